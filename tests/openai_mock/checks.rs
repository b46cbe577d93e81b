//! What every readiness scenario checks after a run: the check's result and steps, that the
//! key went only into the Authorization header and shows in no output, and, from the server's
//! request log, that nothing billable was sent.

use aaai_key_setup::adapters::net::{CheckConfig, run_check};
use aaai_key_setup::core::key::ApiKey;
use aaai_key_setup::core::leak;
use aaai_key_setup::core::models::AaaiModels;
use aaai_key_setup::core::readiness::CheckReport;
use aaai_key_setup::core::report::{render_json, render_text};
use aaai_key_setup::core::verdict::StepState;
use serde_json::Value;
use wiremock::MockServer;

pub fn config(server: &MockServer) -> CheckConfig {
    CheckConfig {
        base_url: format!("{}/v1", server.uri()),
        timeout_secs: 10,
        ..CheckConfig::default()
    }
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
        let budgets: Vec<&Value> = ["max_tokens", "max_completion_tokens"]
            .iter()
            .filter_map(|k| b.get(*k))
            .collect();
        assert_eq!(
            budgets,
            [&Value::from(0)],
            "a completion that could be billed: {b}"
        );
        assert!(b.get("stream").is_none(), "{b}");
    }
}
