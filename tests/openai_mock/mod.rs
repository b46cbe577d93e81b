//! A loopback stand-in for the OpenAI API (wiremock) that answers with the status, body and
//! headers OpenAI sends (docs/api-facts.md): every answer carries a fixed `Date` (the day the
//! models' shutdown dates are read against) and the model list gives `shutdown_date`. Beside
//! it, each taken by the tests that use it: `kinds.rs` (a key of each kind), `paying.rs` (an
//! account that pays), `lifecycle.rs` (retired models answer 404, project allow-lists 403) and
//! `checks.rs` (what every readiness scenario checks afterwards).

#[path = "../support/keys.rs"]
pub mod keys;

use aaai_key_setup::core::key::ApiKey;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// The server's `Date` on every answer: the day the issue about retired models was filed.
pub const SERVER_DATE: &str = "Tue, 01 Dec 2026 12:00:00 GMT";

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
        .insert_header("date", SERVER_DATE)
        .set_body_string(body.to_string())
}

/// One model of the list: id, `created`, `shutdown_date`.
pub type ListedModel<'a> = (&'a str, i64, Option<&'a str>);

/// OpenAI's models as listed on 2026-12-01 (from its deprecations page): today's first
/// choices alive, gpt-image-1-mini shut down today, the GPT-4.1 and GPT-4o families retiring
/// on 2027-01-14.
pub const TODAYS_MODELS: &[ListedModel<'static>] = &[
    ("gpt-6-luna", 1_789_000_000, None),
    ("gpt-4.1-mini-2025-04-14", 1_744_000_000, Some("2027-01-14")),
    ("gpt-4o", 1_715_367_049, Some("2027-01-14")),
    ("gpt-4o-mini", 1_721_172_741, Some("2027-01-14")),
    ("o3", 1_744_225_308, Some("2026-12-11")),
    ("gpt-image-2", 1_776_729_600, None),
    ("gpt-image-1-mini", 1_759_000_000, Some("2026-12-01")),
];

/// A `/models` body listing `models`.
pub fn model_list(models: &[ListedModel<'_>]) -> Value {
    let data: Vec<Value> = models
        .iter()
        .map(|(id, created, shutdown)| {
            json!({"id": id, "object": "model", "created": created, "owned_by": "system",
                   "shutdown_date": shutdown})
        })
        .collect();
    json!({"object": "list", "data": data})
}

#[allow(dead_code)] // ui_models lists its own models.
pub fn models_list() -> Value {
    model_list(TODAYS_MODELS)
}

#[allow(dead_code)] // ui_models lists its own models.
pub async fn mount_models_ok(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(json_reply(200, models_list()))
        .mount(server)
        .await;
}

/// A chat completion whose reply budget is 0 (`max_tokens` or `max_completion_tokens`).
pub struct ZeroBudget;

impl Match for ZeroBudget {
    fn matches(&self, request: &Request) -> bool {
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return false;
        };
        ["max_tokens", "max_completion_tokens"]
            .iter()
            .any(|k| body.get(*k) == Some(&json!(0)))
    }
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
        .and(ZeroBudget)
        .respond_with(reply)
        .mount(server)
        .await;
}

/// The credit probe's answer when the account has credit (400: nothing billed). For a
/// reasoning model's `max_completion_tokens` this answer is a guess (docs/api-facts.md).
pub fn credit_ok() -> ResponseTemplate {
    json_reply(
        400,
        error_body(
            "Invalid 'max_completion_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.",
            "invalid_request_error",
            Some("integer_below_min_value"),
            Some("max_completion_tokens"),
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
