//! The readiness check against a real HTTP server on loopback (wiremock), one scenario per
//! test, answering with the status, body and headers OpenAI sends (docs/api-facts.md). The per-feature scenarios of issue 9 are in
//! `readiness_features.rs`..

#[path = "openai_mock/checks.rs"]
mod checks;
#[path = "openai_mock/kinds.rs"]
mod kinds;
mod openai_mock;
#[path = "openai_mock/paying.rs"]
mod paying;

use checks::*;
use kinds::{legacy_key, project_key, service_account_key};
use openai_mock::*;
use paying::{me_single_org, mount_paying_account};

use std::time::{Duration, Instant};

use aaai_key_setup::adapters::net::{CheckConfig, CheckError, run_check, run_check_blocking};
use aaai_key_setup::core::key::ApiKey;
use aaai_key_setup::core::readiness::{CheckReport, Trouble};
use aaai_key_setup::core::report::{render_json, render_text};
use aaai_key_setup::core::verdict::{StepState, Verdict};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn ready_with(key: ApiKey) {
    let server = MockServer::start().await;
    mount_paying_account(&server).await;
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::Ready);
    assert_eq!(r.verdict.exit_code(), 0);
    assert_steps(&r, StepState::Done, StepState::Done, StepState::Done);
    assert_eq!(r.steps.verification, StepState::Unknown);
    assert_eq!(r.tier.as_deref(), Some("Tier 1"));
    assert_eq!(r.project.as_deref(), Some("proj_test123"));
    let org = r.organization.clone().expect("organization known");
    assert_eq!(org.name, "user-abc123");
    assert_eq!(org.title.as_deref(), Some("Personal"));
    assert!(r.other_orgs_warning.is_none());
    assert_eq!(r.key.as_ref().map(|(_, m)| m.clone()), Some(key.masked()));
    let j = render_json(&r);
    assert_eq!(j["verdict"], "ready");
    assert_eq!(j["key"]["kind"], key.kind().as_str());
    assert_eq!(j["steps"]["billing"], "done");
    assert_eq!(j["organization"]["name"], "user-abc123");
    assert_eq!(j["message"], "Your key works and your account has credit.");
    assert!(j["fix_url"].is_null());
    // Models, me, the credit probe and the free image evidence, once each; nothing billable.
    assert_eq!(count(&server, "/v1/models").await, 1);
    assert_eq!(count(&server, "/v1/me").await, 1);
    assert_eq!(count(&server, "/v1/chat/completions").await, 1);
    assert_eq!(count(&server, "/v1/images/generations").await, 1);
    assert_nothing_billable_sent(&server).await;
    // The credit probe asked for AAAI's first text model (a reasoning model) with a zero
    // max_completion_tokens, the field such models take.
    let requests = server.received_requests().await.expect("recording on");
    let probe = requests
        .iter()
        .find(|r| r.url.path() == "/v1/chat/completions")
        .expect("credit probe sent");
    let body: Value = serde_json::from_slice(&probe.body).expect("json body");
    assert_eq!(body["model"], aaai().articles.first().model.as_str());
    assert_eq!(body["max_completion_tokens"], 0);
    assert!(body.get("max_tokens").is_none());
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_legacy_key() {
    ready_with(legacy_key()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_project_key() {
    ready_with(project_key()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_service_account_key() {
    ready_with(service_account_key()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn org_and_project_headers_are_sent() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 403, json!({})).await;
    mount_credit(&server, credit_ok()).await;
    let key = project_key();
    let cfg = CheckConfig {
        org_id: Some("org-AAA".into()),
        project_id: Some("proj_test123".into()),
        ..config(&server)
    };
    let r = check(&key, &cfg).await;
    assert_eq!(r.verdict, Verdict::Ready);
    for req in server.received_requests().await.expect("recording on") {
        assert_eq!(
            req.headers
                .get("openai-organization")
                .and_then(|v| v.to_str().ok()),
            Some("org-AAA")
        );
        assert_eq!(
            req.headers
                .get("openai-project")
                .and_then(|v| v.to_str().ok()),
            Some("proj_test123")
        );
    }
    // /me refused: the organization slug still comes from the response header.
    assert_eq!(
        r.organization.map(|o| o.name).as_deref(),
        Some("user-abc123")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_key() {
    let server = MockServer::start().await;
    let key = project_key();
    let echoed = format!(
        "Incorrect API key provided: {}****{}. You can find your API key at https://platform.openai.com/account/api-keys.",
        &key.expose_secret()[..12],
        &key.expose_secret()[key.expose_secret().len() - 4..]
    );
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(json_reply(
            401,
            error_body(
                &echoed,
                "invalid_request_error",
                Some("invalid_api_key"),
                None,
            ),
        ))
        .mount(&server)
        .await;
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::InvalidKey);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_steps(
        &r,
        StepState::Unknown,
        StepState::Pending,
        StepState::Unknown,
    );
    assert_eq!(r.fix_url, Some("https://platform.openai.com/api-keys"));
    assert_eq!(r.trouble, Some(Trouble::NoCreateButton));
    assert!(!r.message.contains("****") && !render_text(&r).contains("****"));
    // Not retried.
    assert_eq!(count(&server, "/v1/models").await, 1);
    assert_key_kept_secret(&key, &r, &server).await;
}

async fn models_error_scenario(status: u16, body: Value) -> (CheckReport, MockServer, ApiKey) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(json_reply(status, body))
        .mount(&server)
        .await;
    let key = legacy_key();
    let r = check(&key, &config(&server)).await;
    assert_key_kept_secret(&key, &r, &server).await;
    (r, server, key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_organization() {
    let (r, server, _) = models_error_scenario(
        401,
        error_body(
            "You must be a member of an organization to use the API. Please contact us through our help center at help.openai.com.",
            "invalid_request_error",
            Some("no_organization"),
            None,
        ),
    )
    .await;
    assert_eq!(r.verdict, Verdict::NoOrganization);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_eq!(r.steps.account, StepState::Pending);
    assert_eq!(count(&server, "/v1/models").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_deactivated() {
    let (r, _, _) = models_error_scenario(
        401,
        error_body(
            "The OpenAI account associated with this API key has been deactivated. If you are the developer for this OpenAI app, please check your email for more information.",
            "invalid_request_error",
            Some("account_deactivated"),
            None,
        ),
    )
    .await;
    assert_eq!(r.verdict, Verdict::AccountDeactivated);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_eq!(r.steps.account, StepState::Pending);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricted_key_on_models() {
    let (r, _, _) = models_error_scenario(
        403,
        error_body(
            "You have insufficient permissions for this operation. Missing scopes: model.request. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.",
            "invalid_request_error",
            None,
            None,
        ),
    )
    .await;
    assert_eq!(r.verdict, Verdict::RestrictedKey);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_eq!(r.steps.key, StepState::Pending);
    assert!(r.message.contains("Model capabilities") && !r.message.contains("model.request"));
    assert_eq!(r.fix_url, Some("https://platform.openai.com/api-keys"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricted_key_on_credit_probe() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(
        &server,
        json_reply(
            401,
            error_body(
                "You have insufficient permissions for this operation. Missing scopes: model.request.",
                "invalid_request_error",
                None,
                None,
            ),
        ),
    )
    .await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::RestrictedKey);
    assert_steps(&r, StepState::Done, StepState::Pending, StepState::Unknown);
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_blocked() {
    let (r, _, _) = models_error_scenario(
        403,
        error_body(
            "Country, region, or territory not supported",
            "request_forbidden",
            Some("unsupported_country_region_territory"),
            None,
        ),
    )
    .await;
    assert_eq!(r.verdict, Verdict::RegionBlocked);
    assert_eq!(r.verdict.exit_code(), 1);
}

async fn no_credit_with(code: &str, kind: &str) {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(
        &server,
        json_reply(
            429,
            error_body(
                "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
                kind,
                Some(code),
                None,
            ),
        )
        .insert_header("openai-organization", "user-abc123"),
    )
    .await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::NoCredit, "{code}");
    assert_eq!(r.verdict.exit_code(), 1);
    assert_steps(&r, StepState::Done, StepState::Done, StepState::Pending);
    assert_eq!(
        r.fix_url,
        Some("https://platform.openai.com/settings/organization/billing/overview")
    );
    assert_eq!(r.trouble, Some(Trouble::Quota));
    for needle in [
        "no free credit",
        "ChatGPT Plus",
        "few minutes",
        "“Personal”",
    ] {
        assert!(
            r.next_step.contains(needle),
            "{needle} missing in {}",
            r.next_step
        );
    }
    // A billing 429 is never retried.
    assert_eq!(count(&server, "/v1/chat/completions").await, 1);
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credit_insufficient_quota() {
    no_credit_with("insufficient_quota", "insufficient_quota").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credit_credit_balance_exhausted() {
    no_credit_with("credit_balance_exhausted", "insufficient_quota").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_once_then_fine() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(
            json_reply(
                429,
                error_body(
                    "Rate limit reached for requests. Please try again in 20ms.",
                    "requests",
                    Some("rate_limit_exceeded"),
                    None,
                ),
            )
            .insert_header("retry-after-ms", "20"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    let key = legacy_key();
    let started = Instant::now();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::Ready);
    assert_eq!(count(&server, "/v1/models").await, 2);
    // retry-after-ms was honoured rather than the 0.5 s backoff.
    assert!(
        started.elapsed() < Duration::from_millis(450),
        "{:?}",
        started.elapsed()
    );
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_after_retries() {
    let server = MockServer::start().await;
    // Every endpoint answers the same.
    Mock::given(wiremock::matchers::any())
        .respond_with(
            json_reply(
                429,
                error_body(
                    "Rate limit reached",
                    "requests",
                    Some("rate_limit_exceeded"),
                    None,
                ),
            )
            .insert_header("retry-after-ms", "10"),
        )
        .mount(&server)
        .await;
    let key = legacy_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::RateLimited);
    assert_eq!(r.verdict.exit_code(), 2);
    assert_eq!(count(&server, "/v1/models").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overloaded_after_retries() {
    let server = MockServer::start().await;
    // Every endpoint answers the same.
    Mock::given(wiremock::matchers::any())
        .respond_with(json_reply(
            503,
            error_body(
                "Our servers are currently overloaded. Please try again later.",
                "service_unavailable_error",
                Some("server_is_overloaded"),
                None,
            ),
        ))
        .mount(&server)
        .await;
    let key = legacy_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::ServerError);
    assert_eq!(r.verdict.exit_code(), 2);
    assert_eq!(count(&server, "/v1/models").await, 3);
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_server_ends_within_the_bound() {
    let server = MockServer::start().await;
    // Every endpoint answers the same.
    Mock::given(wiremock::matchers::any())
        .respond_with(json_reply(200, models_list()).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let key = legacy_key();
    let cfg = CheckConfig {
        timeout_secs: 2,
        ..config(&server)
    };
    let started = Instant::now();
    let r = check(&key, &cfg).await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert_eq!(r.verdict, Verdict::NetworkError);
    assert_eq!(r.verdict.exit_code(), 2);
    assert!(
        r.message
            .contains("Could not reach OpenAI within 2 seconds"),
        "{}",
        r.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_is_network_error() {
    // Bind then drop a listener: the port is (almost surely) closed afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let cfg = CheckConfig {
        base_url: format!("http://127.0.0.1:{port}/v1"),
        timeout_secs: 10,
        ..CheckConfig::default()
    };
    let r = check(&legacy_key(), &cfg).await;
    assert_eq!(r.verdict, Verdict::NetworkError);
    assert!(r.message.contains("offline"), "{}", r.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_instead_of_json() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/html; charset=utf-8")
                .set_body_string(
                    "<!DOCTYPE html><html><body>Please sign in to Hotel WiFi</body></html>",
                ),
        )
        .mount(&server)
        .await;
    let key = legacy_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::UnexpectedResponse);
    assert_eq!(r.verdict.exit_code(), 2);
    assert!(r.message.contains("captive portal") && r.message.contains("firewall"));
    assert!(!r.offer_paid_probe);
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_orgs_key_not_in_default() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(
        &server,
        200,
        json!({"object": "user", "id": "user-abc123", "orgs": {"object": "list", "data": [
            {"object": "organization", "id": "org-AAA", "name": "user-abc123", "title": "Personal",
             "personal": true, "is_default": true, "role": "owner"},
            {"object": "organization", "id": "org-BBB", "name": "acme-publishing",
             "title": "Acme Publishing", "personal": false, "is_default": false, "role": "reader"},
        ]}}),
    )
    .await;
    mount_credit(
        &server,
        json_reply(
            429,
            error_body(
                "You exceeded your current quota.",
                "insufficient_quota",
                Some("insufficient_quota"),
                None,
            ),
        )
        .insert_header("openai-organization", "acme-publishing"),
    )
    .await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::NoCredit);
    let org = r.organization.clone().expect("org known");
    assert_eq!(org.name, "acme-publishing");
    assert_eq!(org.title.as_deref(), Some("Acme Publishing"));
    let w = r.other_orgs_warning.clone().expect("warning present");
    assert!(w.contains("Acme Publishing") && w.contains("Personal") && w.contains("added credit"));
    assert!(r.next_step.contains("Acme Publishing"));
    assert!(render_text(&r).contains("Warning:"));
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unexpected_credit_answer_offers_paid_probe() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, json_reply(418, json!({"odd": true}))).await;
    let r = check(&legacy_key(), &config(&server)).await;
    assert_eq!(r.verdict, Verdict::UnexpectedResponse);
    assert!(r.offer_paid_probe);
    assert_eq!(render_json(&r)["offer_paid_probe"], true);
    assert_eq!(count(&server, "/v1/chat/completions").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paid_probe_runs_with_consent() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, json_reply(418, json!({"odd": true}))).await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_partial_json(json!({"max_completion_tokens": 1})))
        .respond_with(json_reply(200, json!({"id": "chatcmpl-1", "choices": []})))
        .mount(&server)
        .await;
    let cfg = CheckConfig {
        paid_probe_consent: true,
        ..config(&server)
    };
    let r = check(&legacy_key(), &cfg).await;
    assert_eq!(r.verdict, Verdict::Ready);
    assert_eq!(count(&server, "/v1/chat/completions").await, 2);
}

#[tokio::test]
async fn plain_http_to_non_loopback_is_refused() {
    // Refused before any connection is attempted (203.0.113.0/24 is a documentation range).
    let cfg = CheckConfig {
        base_url: "http://203.0.113.7/v1".into(),
        ..CheckConfig::default()
    };
    let err = run_check(&legacy_key(), &cfg).await.expect_err("refused");
    assert_eq!(err, CheckError::InsecureUrl);
    assert!(err.to_string().contains("http://"));
}

#[test]
fn blocking_entry_point_works_outside_a_runtime() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        mount_models_ok(&server).await;
        mount_me(&server, 200, me_single_org()).await;
        mount_credit(&server, credit_ok()).await;
        server
    });
    let r = run_check_blocking(&legacy_key(), &config(&server)).expect("check starts");
    assert_eq!(r.verdict, Verdict::Ready);
    drop(server);
}
