//! A loopback stand-in for the OpenAI API (wiremock) that answers with the status, body and
//! headers OpenAI sends (docs/api-facts.md). Beside it, each taken by the tests that use it:
//! `kinds.rs` (a key of each kind), `paying.rs` (an account that pays) and `checks.rs` (what
//! every readiness scenario checks afterwards).

#[path = "../support/keys.rs"]
pub mod keys;

use aaai_key_setup::core::key::ApiKey;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The key in `text`, as the app would recognise it.
pub fn key_from(text: String) -> ApiKey {
    aaai_key_setup::core::key::scan(&text)
        .result
        .key()
        .cloned()
        .expect("the test key must be recognised")
}

/// A key of the given prefix with `len` characters on each side of the marker.
pub fn key_of(prefix: &str, len: usize, seed: u64) -> ApiKey {
    key_from(keys::made_up(
        prefix,
        &keys::chars(len, seed),
        &keys::chars(len, seed + 1),
    ))
}

pub fn error_body(message: &str, kind: &str, code: Option<&str>, param: Option<&str>) -> Value {
    json!({"error": {"message": message, "type": kind, "param": param, "code": code}})
}

pub fn json_reply(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .insert_header("x-request-id", "req_test")
        .set_body_string(body.to_string())
}

pub fn models_list() -> Value {
    json!({"object": "list", "data": [
        {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
        {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
        {"id": "o3", "object": "model", "created": 1744225308, "owned_by": "system"},
    ]})
}

pub async fn mount_models_ok(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(json_reply(200, models_list()))
        .mount(server)
        .await;
}

pub async fn mount_me(server: &MockServer, status: u16, body: Value) {
    Mock::given(method("GET"))
        .and(path("/v1/me"))
        .respond_with(json_reply(status, body))
        .mount(server)
        .await;
}

pub async fn mount_credit(server: &MockServer, reply: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_partial_json(json!({"max_tokens": 0})))
        .respond_with(reply)
        .mount(server)
        .await;
}

/// The credit probe's answer when the account has credit (400: nothing billed).
pub fn credit_ok() -> ResponseTemplate {
    json_reply(
        400,
        error_body(
            "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.",
            "invalid_request_error",
            Some("integer_below_min_value"),
            Some("max_tokens"),
        ),
    )
    .insert_header("openai-organization", "user-abc123")
    .insert_header("openai-project", "proj_test123")
    .insert_header("x-ratelimit-limit-requests", "500")
    .insert_header("x-ratelimit-limit-tokens", "200000")
}

/// The free image request's answer when the organization is verified, or when the API checks
/// the size first: 400, which proves nothing.
pub fn image_size_refused() -> ResponseTemplate {
    json_reply(
        400,
        error_body(
            "Invalid value: '1x1'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.",
            "invalid_request_error",
            Some("invalid_value"),
            Some("size"),
        ),
    )
}

/// Answers image requests with `reply`.
pub async fn mount_images(server: &MockServer, reply: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/v1/images/generations"))
        .respond_with(reply)
        .mount(server)
        .await;
}
