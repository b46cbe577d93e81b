//! Issue 9's scenarios against a loopback stand-in for the OpenAI API, one per test: what AAAI
//! can do with the key (articles, images), the verdict, the steps and the exit code, that no
//! key appears anywhere, and, from the server's request log, that nothing that can be billed
//! (an image request that could make an image, a completion with tokens) is ever sent without
//! consent.

#[path = "openai_mock/checks.rs"]
mod checks;
#[path = "openai_mock/kinds.rs"]
mod kinds;
mod openai_mock;
#[path = "openai_mock/paying.rs"]
mod paying;

use std::time::{Duration, Instant};

use aaai_key_setup::adapters::net::CheckConfig;
use aaai_key_setup::core::readiness::{CheckReport, Trouble};
use aaai_key_setup::core::report::{render_json, render_text};
use aaai_key_setup::core::verdict::{StepState, Verdict};
use checks::*;
use kinds::{legacy_key, project_key, service_account_key};
use openai_mock::*;
use paying::{me_single_org, mount_paying_account};
use serde_json::json;
use wiremock::matchers::{any, body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The image model's answer for an unverified organization.
fn image_must_verify() -> ResponseTemplate {
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

fn assert_features(r: &CheckReport, articles: &str, images: &str) {
    let j = render_json(r);
    assert_eq!(j["features"]["articles"], articles, "articles");
    assert_eq!(j["features"]["images"], images, "images");
    let t = render_text(r);
    assert!(
        t.contains(&format!("Writing articles: {}", r.features.articles.line)),
        "{t}"
    );
    assert!(
        t.contains(&format!("Images:           {}", r.features.images.line)),
        "{t}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unverified_organization_text_works_image_model_refused() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    mount_images(&server, image_must_verify()).await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::VerificationRequired);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_features(&r, "ready", "verification_required");
    assert_eq!(r.features.images.line, "your organization must be verified");
    assert_eq!(
        r.features.images.fix_url,
        Some("https://platform.openai.com/settings/organization/general")
    );
    assert_steps(&r, StepState::Done, StepState::Done, StepState::Done);
    assert_eq!(r.steps.verification, StepState::Pending);
    assert_eq!(r.trouble, Some(Trouble::Verification));
    assert!(r.message.contains("images"));
    assert!(!r.offer_image_test);
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verified_organization_without_consent_images_stay_unknown() {
    let server = MockServer::start().await;
    mount_paying_account(&server).await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::Ready);
    assert_eq!(r.verdict.exit_code(), 0);
    assert_features(&r, "ready", "unknown");
    assert_eq!(
        r.features.images.line,
        "not checked yet: one test image proves it (about half a cent)"
    );
    assert!(r.offer_image_test);
    assert_eq!(render_json(&r)["offer_image_test"], true);
    assert!(
        r.next_step.contains("Images are not checked yet"),
        "{}",
        r.next_step
    );
    assert!(!r.next_step.contains("all set"));
    assert_eq!(r.steps.verification, StepState::Unknown);
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verified_organization_with_consent_the_smallest_image_succeeds() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    let models = aaai();
    Mock::given(method("POST"))
        .and(path("/v1/images/generations"))
        .and(body_partial_json(json!({
            "model": models.images.model,
            "size": models.images.size,
            "quality": models.images.quality,
            "n": 1,
        })))
        .respond_with(json_reply(
            200,
            json!({"created": 1, "data": [{"b64_json": "iVBORw0KGgo="}]}),
        ))
        .mount(&server)
        .await;
    let key = service_account_key();
    let cfg = CheckConfig {
        verification: true,
        ..config(&server)
    };
    let r = check(&key, &cfg).await;
    assert_eq!(r.verdict, Verdict::Ready);
    assert_eq!(r.verdict.exit_code(), 0);
    assert_features(&r, "ready", "ready");
    assert_steps(&r, StepState::Done, StepState::Done, StepState::Done);
    assert_eq!(r.steps.verification, StepState::Done);
    assert!(!r.offer_image_test);
    assert!(r.next_step.contains("all set"));
    // Exactly one image, the smallest; no free evidence request besides it; no paid tokens.
    let images = bodies(&server, "/v1/images/generations").await;
    assert_eq!(images.len(), 1, "{images:?}");
    assert_eq!(images[0]["size"], models.images.size.as_str());
    for b in bodies(&server, "/v1/chat/completions").await {
        assert_eq!(b["max_tokens"], 0);
    }
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_model_allow_list_refuses_the_text_model() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_images(&server, image_size_refused()).await;
    let model = aaai().articles.model;
    mount_credit(
        &server,
        json_reply(
            403,
            error_body(
                &format!("Project `proj_abc123` does not have access to model `{model}`"),
                "invalid_request_error",
                Some("model_not_found"),
                None,
            ),
        ),
    )
    .await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::ModelUnavailable);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_features(&r, "model_unavailable", "unknown");
    assert!(r.features.articles.line.contains(&model));
    assert!(r.message.contains(&model) && r.next_step.contains("project"));
    assert_eq!(
        r.fix_url,
        Some("https://platform.openai.com/settings/organization/projects")
    );
    assert_steps(&r, StepState::Done, StepState::Done, StepState::Unknown);
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billing_not_active_is_a_billing_problem_but_not_add_credit() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_images(&server, image_size_refused()).await;
    mount_credit(
        &server,
        json_reply(
            429,
            error_body(
                "Your account is not active, please check your billing details on our website.",
                "billing_not_active",
                Some("billing_not_active"),
                None,
            ),
        ),
    )
    .await;
    let key = legacy_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::NoCredit);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_features(&r, "no_credit", "unknown");
    assert_eq!(
        r.features.articles.line,
        "billing is not active on the account"
    );
    assert_steps(&r, StepState::Done, StepState::Done, StepState::Pending);
    assert!(!r.next_step.starts_with("Add credit"), "{}", r.next_step);
    assert!(r.message.contains("not necessarily a lack of credit"));
    assert_eq!(
        count(&server, "/v1/chat/completions").await,
        1,
        "not retried"
    );
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn billing_hard_limit_reached_on_images_is_never_retried() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    mount_images(
        &server,
        json_reply(
            400,
            error_body(
                "Billing hard limit has been reached",
                "invalid_request_error",
                Some("billing_hard_limit_reached"),
                None,
            ),
        ),
    )
    .await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::NoCredit);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_features(&r, "ready", "no_credit");
    assert_eq!(r.steps.billing, StepState::Pending);
    assert_eq!(
        r.fix_url,
        Some("https://platform.openai.com/settings/organization/limits")
    );
    assert!(r.next_step.contains("Limits"));
    assert_eq!(
        count(&server, "/v1/images/generations").await,
        1,
        "not retried"
    );
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_terminated_is_an_account_problem() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_images(&server, image_size_refused()).await;
    mount_credit(
        &server,
        json_reply(
            429,
            error_body(
                "Your access was terminated due to violation of our policies, please check your email for more information.",
                "access_terminated",
                Some("access_terminated"),
                None,
            ),
        ),
    )
    .await;
    let key = legacy_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::AccountDeactivated);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_features(&r, "account_deactivated", "account_deactivated");
    assert_eq!(r.steps.account, StepState::Pending);
    assert_ne!(r.steps.billing, StepState::Pending);
    assert!(r.message.contains("policy") && !r.next_step.starts_with("Add credit"));
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricted_key_or_reader_role() {
    let server = MockServer::start().await;
    mount_me(&server, 403, json!({})).await;
    Mock::given(any())
        .respond_with(json_reply(
            401,
            error_body(
                "You have insufficient permissions for this operation. Missing scopes: model.request. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.",
                "invalid_request_error",
                None,
                None,
            ),
        ))
        .mount(&server)
        .await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::RestrictedKey);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_features(&r, "restricted_key", "restricted_key");
    assert_steps(&r, StepState::Done, StepState::Pending, StepState::Unknown);
    assert!(
        r.message
            .contains("\"Model capabilities\" set to \"Write\"")
    );
    assert!(r.next_step.contains("tick") && r.next_step.contains("Reader role"));
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_server_the_probes_overlap() {
    let delay = Duration::from_millis(400);
    let server = MockServer::start().await;
    for (m, p, reply) in [
        ("GET", "/v1/models", json_reply(200, models_list())),
        ("GET", "/v1/me", json_reply(200, me_single_org())),
        ("POST", "/v1/chat/completions", credit_ok()),
        ("POST", "/v1/images/generations", image_size_refused()),
    ] {
        Mock::given(method(m))
            .and(path(p))
            .respond_with(reply.set_delay(delay))
            .mount(&server)
            .await;
    }
    let key = project_key();
    let started = Instant::now();
    let r = check(&key, &config(&server)).await;
    let took = started.elapsed();
    assert_eq!(r.verdict, Verdict::Ready);
    assert_features(&r, "ready", "unknown");
    assert_eq!(server.received_requests().await.map(|v| v.len()), Some(4));
    // One after another they would take 4 x 400 ms.
    assert!(took >= delay, "{took:?}");
    assert!(took < delay * 3, "the probes did not overlap: {took:?}");
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_required_for_a_gated_text_model() {
    // Streamed gpt-5 and reasoning summaries answer like this for an unverified organization
    // (when support names such a text model in the models file).
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_images(&server, image_size_refused()).await;
    mount_credit(
        &server,
        json_reply(
            400,
            error_body(
                "Your organization must be verified to generate reasoning summaries for this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.",
                "invalid_request_error",
                Some("unsupported_value"),
                Some("reasoning.summary"),
            ),
        ),
    )
    .await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::VerificationRequired);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_eq!(r.steps.verification, StepState::Pending);
    assert_eq!(
        r.fix_url,
        Some("https://platform.openai.com/settings/organization/general")
    );
    assert_eq!(r.trouble, Some(Trouble::Verification));
    assert!(r.next_step.contains("Verify Organization") && r.next_step.contains("15 minutes"));
    assert_eq!(
        render_json(&r)["features"]["articles"],
        "verification_required"
    );
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_probe_holds_up_no_other() {
    let delay = Duration::from_millis(400);
    let server = MockServer::start().await;
    // /models is overloaded once (retried after about half a second); the others are slow.
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(json_reply(
            503,
            error_body(
                "Our servers are currently overloaded. Please try again later.",
                "service_unavailable_error",
                Some("server_is_overloaded"),
                None,
            ),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    for (m, p, reply) in [
        ("GET", "/v1/models", json_reply(200, models_list())),
        ("GET", "/v1/me", json_reply(200, me_single_org())),
        ("POST", "/v1/chat/completions", credit_ok()),
        ("POST", "/v1/images/generations", image_size_refused()),
    ] {
        let reply = if p == "/v1/models" {
            reply
        } else {
            reply.set_delay(delay)
        };
        Mock::given(method(m))
            .and(path(p))
            .respond_with(reply)
            .mount(&server)
            .await;
    }
    let key = legacy_key();
    let started = Instant::now();
    let r = check(&key, &config(&server)).await;
    let took = started.elapsed();
    assert_eq!(r.verdict, Verdict::Ready);
    assert_eq!(count(&server, "/v1/models").await, 2);
    // Waiting for the retry, then for the others, would take 0.375 s + 3 x 0.4 s at least.
    assert!(took < Duration::from_millis(1200), "{took:?}");
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}
