//! A loopback stand-in for the OpenAI API (wiremock) that answers with the status, body and
//! headers OpenAI sends (docs/api-facts.md), and the checks every scenario shares: the key
//! travels only in the Authorization header and appears in no output.

#![allow(dead_code)]

#[path = "../support/keys.rs"]
pub mod keys;

use aaai_key_setup::adapters::net::{CheckConfig, run_check};
use aaai_key_setup::core::key::ApiKey;
use aaai_key_setup::core::leak;
use aaai_key_setup::core::models::AaaiModels;
use aaai_key_setup::core::readiness::CheckReport;
use aaai_key_setup::core::report::{render_json, render_text};
use aaai_key_setup::core::verdict::StepState;
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

pub fn legacy_key() -> ApiKey {
    key_of("sk-", 20, 1)
}

pub fn project_key() -> ApiKey {
    key_of("sk-proj-", 58, 3)
}

pub fn service_account_key() -> ApiKey {
    key_of("sk-svcacct-", 74, 5)
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

pub fn config(server: &MockServer) -> CheckConfig {
    CheckConfig {
        base_url: format!("{}/v1", server.uri()),
        timeout_secs: 10,
        ..CheckConfig::default()
    }
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

pub fn me_single_org() -> Value {
    json!({"object": "user", "id": "user-abc123", "email": "writer@example.com",
    "orgs": {"object": "list", "data": [
        {"object": "organization", "id": "org-AAA", "name": "user-abc123",
         "title": "Personal", "personal": true, "is_default": true, "role": "owner"}
    ]}})
}

pub async fn count(server: &MockServer, p: &str) -> usize {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .iter()
        .filter(|r| r.url.path() == p)
        .count()
}

/// The key went only into the Authorization header, and appears in no output.
pub async fn assert_key_kept_secret(key: &ApiKey, report: &CheckReport, server: &MockServer) {
    let secret = key.expose_secret();
    let requests = server.received_requests().await.expect("recording on");
    for r in &requests {
        assert!(!r.url.as_str().contains(secret), "key in URL {}", r.url);
        let auth = r
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(auth, format!("Bearer {secret}"));
    }
    let masked_tail: String = secret.chars().skip(12).take(20).collect();
    for text in [
        format!("{report:?}"),
        render_text(report),
        render_json(report).to_string(),
        report.message.clone(),
        report.next_step.clone(),
    ] {
        assert!(!text.contains(secret));
        assert!(
            !leak::shares_run(&text, secret, leak::RUN),
            "a 16-character run of the key leaked: {text}"
        );
        assert!(
            !text.contains(&masked_tail),
            "part of the key leaked: {text}"
        );
    }
}

pub async fn check(key: &ApiKey, cfg: &CheckConfig) -> CheckReport {
    run_check(key, cfg).await.expect("check starts")
}

pub fn assert_steps(r: &CheckReport, account: StepState, key: StepState, billing: StepState) {
    assert_eq!(r.steps.account, account, "account");
    assert_eq!(r.steps.key, key, "key");
    assert_eq!(r.steps.billing, billing, "billing");
}

/// AAAI's models, as the check asks for them.
pub fn aaai() -> AaaiModels {
    AaaiModels::built_in()
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

/// The image model's answer for an unverified organization.
pub fn image_must_verify() -> ResponseTemplate {
    json_reply(
        403,
        error_body(
            &format!(
                "Your organization must be verified to use the model `{}`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.",
                aaai().images.model
            ),
            "invalid_request_error",
            None,
            None,
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

/// Models, /me (one organization), credit and image evidence all as for a paying account.
pub async fn mount_paying_account(server: &MockServer) {
    mount_models_ok(server).await;
    mount_me(server, 200, me_single_org()).await;
    mount_credit(server, credit_ok()).await;
    mount_images(server, image_size_refused()).await;
}

/// The JSON bodies of the requests sent to `p`.
pub async fn bodies(server: &MockServer, p: &str) -> Vec<Value> {
    server
        .received_requests()
        .await
        .expect("recording on")
        .iter()
        .filter(|r| r.url.path() == p)
        .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        .collect()
}

/// No image request that could make an image and no billed completion was sent.
pub async fn assert_nothing_billable_sent(server: &MockServer) {
    for b in bodies(server, "/v1/images/generations").await {
        assert_eq!(
            b["size"], "1x1",
            "an image request that could make an image: {b}"
        );
    }
    for b in bodies(server, "/v1/chat/completions").await {
        assert_eq!(b["max_tokens"], 0, "a completion that could be billed: {b}");
        assert!(b.get("max_completion_tokens").is_none(), "{b}");
        assert!(b.get("stream").is_none(), "{b}");
    }
}
