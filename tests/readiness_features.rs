//! Issue 9's scenarios against a loopback stand-in for the OpenAI API, one per test: what AAAI
//! can do with the key (articles, images), the verdict, the steps and the exit code, that no
//! key appears anywhere, and, from the server's request log, that nothing that can be billed
//! (an image request that could make an image, a completion with tokens) is ever sent without
//! consent.

#[path = "openai_mock/checks.rs"]
mod checks;
#[path = "openai_mock/kinds.rs"]
mod kinds;
#[path = "openai_mock/lifecycle.rs"]
mod lifecycle;
mod openai_mock;
#[path = "openai_mock/paying.rs"]
mod paying;

use std::time::{Duration, Instant};

use aaai_key_setup::adapters::net::CheckConfig;
use aaai_key_setup::core::readiness::{CheckReport, How, ModelChoice, Trouble};
use aaai_key_setup::core::report::{render_json, render_text};
use aaai_key_setup::core::verdict::{StepState, Verdict};
use checks::*;
use kinds::{legacy_key, project_key, service_account_key};
use lifecycle::{
    SERVER_DATE_SECS, mount_gone, mount_models, mount_project_refuses, mount_refuses_max_tokens,
};
use openai_mock::*;
use paying::{me_single_org, mount_paying_account};
use serde_json::{Value, json};
use wiremock::matchers::{any, body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The image model's answer for an unverified organization.
fn image_must_verify() -> ResponseTemplate {
    json_reply(
        403,
        error_body(
            &format!(
                "Your organization must be verified to use the model `{}`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.",
                aaai().images.first().model
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
        "not checked yet. One test image proves it (about half a cent)"
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
    let image = models.images.first();
    Mock::given(method("POST"))
        .and(path("/v1/images/generations"))
        .and(body_partial_json(json!({
            "model": image.model,
            "size": image.size,
            "quality": image.quality,
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
    assert_eq!(images[0]["size"], image.size.as_str());
    for b in bodies(&server, "/v1/chat/completions").await {
        assert_eq!(b["max_completion_tokens"], 0);
    }
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_model_allow_list_refuses_the_text_model() {
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_me(&server, 200, me_single_org()).await;
    mount_images(&server, image_size_refused()).await;
    let model = aaai().articles.first().model.clone();
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
    assert!(
        r.next_step.contains("\"Restricted\"") && r.next_step.contains("from Reader to Writer")
    );
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

// Models that come and go (issue 17). The stand-in lists models with `shutdown_date` and
// answers 404 `model_not_found` for a shut-down model, as OpenAI does; its `Date` is
// 2026-12-01.

/// The image models the check asked for, in order.
async fn image_models_asked(server: &MockServer) -> Vec<String> {
    bodies(server, "/v1/images/generations")
        .await
        .iter()
        .map(|b| b["model"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The text models the credit probe asked for, in order.
async fn text_models_asked(server: &MockServer) -> Vec<String> {
    bodies(server, "/v1/chat/completions")
        .await
        .iter()
        .map(|b| b["model"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn models_of(r: &CheckReport) -> (&ModelChoice, &ModelChoice) {
    let m = r
        .models
        .as_ref()
        .expect("a checked report names its models");
    (&m.articles, &m.images)
}

/// An unverified organization: every image model refuses with "must be verified".
fn must_verify_for(model: &str) -> ResponseTemplate {
    json_reply(
        403,
        error_body(
            &format!(
                "Your organization must be verified to use the model `{model}`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization."
            ),
            "invalid_request_error",
            None,
            None,
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retired_image_candidate_the_next_one_is_checked_and_the_report_says_so() {
    let server = MockServer::start().await;
    mount_models(
        &server,
        &[
            ("gpt-6-luna", 1_789_000_000, None),
            ("gpt-image-2", 1_776_729_600, Some("2026-12-01")),
            ("gpt-image-2.6-sunburst", 1_790_000_000, None),
        ],
    )
    .await;
    mount_gone(&server, "gpt-image-2").await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    mount_images(&server, must_verify_for("gpt-image-2.6-sunburst")).await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    // The verdict is what the successor proves: an unverified organization.
    assert_eq!(r.verdict, Verdict::VerificationRequired);
    assert_features(&r, "ready", "verification_required");
    let (_, images) = models_of(&r);
    assert_eq!(images.checked.as_deref(), Some("gpt-image-2.6-sunburst"));
    assert_eq!(images.named, "gpt-image-2");
    assert_eq!(images.how, How::Next);
    let notice = images.notice.as_deref().expect("a notice");
    assert!(
        notice.starts_with(
            "OpenAI retired gpt-image-2 on 1 December 2026. We checked gpt-image-2.6-sunburst, \
             its successor, instead. If AAAI still makes images with the old model, AAAI itself \
             needs an update."
        ),
        "{notice}"
    );
    let j = render_json(&r);
    assert_eq!(
        j["models"]["images"],
        json!({"checked": "gpt-image-2.6-sunburst", "named": "gpt-image-2",
               "shutdown_date": null, "named_shutdown_date": "2026-12-01", "how": "next",
               "notice": notice})
    );
    assert!(
        render_text(&r).contains(
            "Image model:      checked gpt-image-2.6-sunburst; gpt-image-2 was retired by OpenAI on 2026-12-01"
        ),
        "{}",
        render_text(&r)
    );
    for text in [&r.message, &r.next_step, &r.features.images.line] {
        assert!(!text.contains("project"), "{text}");
    }
    let asked = image_models_asked(&server).await;
    assert!(
        asked.iter().any(|m| m == "gpt-image-2.6-sunburst"),
        "{asked:?}"
    );
    assert!(asked.len() <= 2, "{asked:?}");
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retired_text_candidate_the_credit_probe_moves_to_the_next_with_its_own_parameter() {
    let server = MockServer::start().await;
    mount_models(
        &server,
        &[
            ("gpt-6-luna", 1_789_000_000, Some("2026-11-30")),
            ("gpt-4.1-mini-2025-04-14", 1_744_000_000, Some("2027-01-14")),
            ("gpt-image-2", 1_776_729_600, None),
        ],
    )
    .await;
    mount_gone(&server, "gpt-6-luna").await;
    mount_paying_account(&server).await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::Ready);
    assert_features(&r, "ready", "unknown");
    assert_eq!(r.steps.billing, StepState::Done);
    let (articles, _) = models_of(&r);
    assert_eq!(articles.checked.as_deref(), Some("gpt-4.1-mini-2025-04-14"));
    assert_eq!(articles.named, "gpt-6-luna");
    let notice = articles.notice.as_deref().expect("a notice");
    assert!(
        notice.starts_with(
            "OpenAI retired gpt-6-luna on 30 November 2026. We checked gpt-4.1-mini-2025-04-14, its successor, instead. If AAAI still writes articles with the old model"
        ),
        "{notice}"
    );
    // 44 days to its own shutdown: outside the 30-day notice.
    assert!(!notice.contains("will retire"), "{notice}");
    assert_eq!(
        render_json(&r)["models"]["articles"]["shutdown_date"],
        "2027-01-14"
    );
    // The successor's probe uses the field that model takes.
    let credit = bodies(&server, "/v1/chat/completions").await;
    let successor: Vec<_> = credit
        .iter()
        .filter(|b| b["model"] == "gpt-4.1-mini-2025-04-14")
        .collect();
    assert_eq!(successor.len(), 1, "{credit:?}");
    assert_eq!(successor[0]["max_tokens"], 0);
    assert!(credit.len() <= 2, "{credit:?}");
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_candidate_listed_the_newest_model_of_the_family_is_checked() {
    let server = MockServer::start().await;
    mount_models(
        &server,
        &[
            ("gpt-6-luna", 1_789_000_000, None),
            ("gpt-image-2.9", 1_795_000_000, None),
            ("gpt-image-3", 1_796_000_000, None),
            ("gpt-image-3-old", 1_700_000_000, None),
            ("gpt-image-4", 1_796_100_000, Some("2026-11-01")),
        ],
    )
    .await;
    for c in &aaai().images.candidates {
        mount_gone(&server, &c.model).await;
    }
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    mount_images(&server, must_verify_for("gpt-image-3")).await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::VerificationRequired);
    let (_, images) = models_of(&r);
    assert_eq!(images.checked.as_deref(), Some("gpt-image-3"));
    assert_eq!(images.how, How::Newest);
    let notice = images.notice.as_deref().expect("a notice");
    assert!(
        notice.contains("We checked gpt-image-3, the newest image model OpenAI lists, instead."),
        "{notice}"
    );
    assert!(render_text(&r).contains("(the newest of its family that OpenAI lists)"));
    assert_eq!(render_json(&r)["models"]["images"]["how"], "newest");
    assert!(
        image_models_asked(&server)
            .await
            .iter()
            .any(|m| m == "gpt-image-3")
    );
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_model_list_the_first_candidates_are_checked_and_the_report_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(json_reply(
            403,
            error_body(
                "You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.",
                "invalid_request_error",
                None,
                None,
            ),
        ))
        .mount(&server)
        .await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    mount_images(&server, image_size_refused()).await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::Ready);
    let (articles, images) = models_of(&r);
    assert_eq!(articles.checked.as_deref(), Some("gpt-6-luna"));
    assert_eq!(images.checked.as_deref(), Some("gpt-image-2"));
    assert_eq!(articles.how, How::ListUnreadable);
    let t = render_text(&r);
    assert!(
        t.contains("Text model:       checked gpt-6-luna (OpenAI's model list could not be read)"),
        "{t}"
    );
    assert!(
        t.contains("Image model:      checked gpt-image-2 (OpenAI's model list could not be read)"),
        "{t}"
    );
    assert_eq!(
        render_json(&r)["models"]["images"]["how"],
        "list_unreadable"
    );
    assert!(
        images
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("list of models could not be read"))
    );
    assert_eq!(text_models_asked(&server).await, ["gpt-6-luna"]);
    assert_eq!(image_models_asked(&server).await, ["gpt-image-2"]);
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_shutting_down_in_ten_days_gets_one_notice_and_the_verdict_is_unchanged() {
    let server = MockServer::start().await;
    mount_models(
        &server,
        &[
            ("gpt-6-luna", 1_789_000_000, Some("2026-12-11")),
            ("gpt-image-2", 1_776_729_600, None),
        ],
    )
    .await;
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    mount_images(&server, image_size_refused()).await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::Ready);
    assert_features(&r, "ready", "unknown");
    let (articles, images) = models_of(&r);
    assert_eq!(articles.checked.as_deref(), Some("gpt-6-luna"));
    let notice = articles.notice.as_deref().expect("a notice");
    assert!(notice.contains("11 December 2026"), "{notice}");
    assert_eq!(
        notice.matches(". ").count() + 1,
        2,
        "one short notice: {notice}"
    );
    assert_eq!(images.notice, None);
    assert!(
        render_text(&r).contains(
            "Text model:       checked gpt-6-luna; OpenAI retires gpt-6-luna on 2026-12-11"
        )
    );
    assert_eq!(
        text_models_asked(&server).await,
        ["gpt-6-luna"],
        "one round trip"
    );
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_date_wins_over_a_local_clock_a_year_off() {
    // gpt-image-2 is listed as shut down today but still answers (no 404): only the date can
    // tell, and the local clock says it is a year earlier.
    let server = MockServer::start().await;
    mount_models(
        &server,
        &[
            ("gpt-6-luna", 1_789_000_000, None),
            ("gpt-image-2", 1_776_729_600, Some("2026-12-01")),
            ("gpt-image-2.6-sunburst", 1_790_000_000, None),
        ],
    )
    .await;
    mount_paying_account(&server).await;
    let key = project_key();
    for local in [
        SERVER_DATE_SECS - 365 * 86_400,
        SERVER_DATE_SECS + 365 * 86_400,
    ] {
        let cfg = CheckConfig {
            local_clock_secs: Some(local),
            ..config(&server)
        };
        let r = check(&key, &cfg).await;
        let (_, images) = models_of(&r);
        assert_eq!(
            images.checked.as_deref(),
            Some("gpt-image-2.6-sunburst"),
            "local clock {local}"
        );
        assert_eq!(
            images.today.map(|d| d.to_string()).as_deref(),
            Some("2026-12-01")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_one_model_file_still_loads_and_its_retired_model_is_a_notice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("models.json");
    std::fs::write(
        &file,
        r#"{"version": 1,
            "articles": {"model": "gpt-4.1-mini-2025-04-14", "chosen": "2026-11-27", "why": "old"},
            "images": {"model": "gpt-image-1-mini", "size": "1024x1024", "quality": "low",
                       "chosen": "2026-11-27", "why": "old"}}"#,
    )
    .expect("write");
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_gone(&server, "gpt-image-1-mini").await;
    mount_paying_account(&server).await;
    let key = project_key();
    let cfg = CheckConfig::from_lookup(|name| match name {
        "OPENAI_BASE_URL" => Some(format!("{}/v1", server.uri())),
        "AAAI_KEY_SETUP_MODELS" => Some(file.display().to_string()),
        _ => None,
    });
    let r = check(&key, &cfg).await;
    assert_eq!(r.verdict, Verdict::Ready);
    let (articles, images) = models_of(&r);
    assert_eq!(articles.checked.as_deref(), Some("gpt-4.1-mini-2025-04-14"));
    assert_eq!(images.named, "gpt-image-1-mini");
    assert_eq!(images.checked.as_deref(), Some("gpt-image-2"));
    let notice = images.notice.as_deref().expect("a notice");
    assert!(
        notice.starts_with(
            "OpenAI retired gpt-image-1-mini on 1 December 2026. We checked gpt-image-2"
        ),
        "{notice}"
    );
    let credit = bodies(&server, "/v1/chat/completions").await;
    assert_eq!(credit.len(), 1);
    assert_eq!(
        credit[0]["max_tokens"], 0,
        "version 1 named a model that takes max_tokens"
    );
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_404_is_never_the_projects_limits_and_the_projects_403_still_is() {
    // Every text model the key could use answers 404: gone, not the project.
    let server = MockServer::start().await;
    mount_models(&server, &[("gpt-image-2", 1_776_729_600, None)]).await;
    for c in &aaai().articles.candidates {
        mount_gone(&server, &c.model).await;
    }
    mount_me(&server, 200, me_single_org()).await;
    mount_credit(&server, credit_ok()).await;
    mount_images(&server, image_size_refused()).await;
    let key = project_key();
    let r = check(&key, &config(&server)).await;
    assert_ne!(r.verdict, Verdict::ModelUnavailable);
    assert_eq!(render_json(&r)["features"]["articles"], "unknown");
    assert_eq!(models_of(&r).0.checked, None);
    assert_eq!(
        render_json(&r)["models"]["articles"]["checked"],
        Value::Null
    );
    let words = format!("{} {} {}", r.message, r.next_step, r.features.articles.line);
    assert!(!words.to_lowercase().contains("project"), "{words}");
    assert!(!words.contains("model limits"), "{words}");
    assert!(r.fix_url != Some("https://platform.openai.com/settings/organization/projects"));

    // The project's allow-list refuses the first text model: model_unavailable, the project.
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_project_refuses(&server, "gpt-6-luna").await;
    mount_paying_account(&server).await;
    let r = check(&key, &config(&server)).await;
    assert_eq!(r.verdict, Verdict::ModelUnavailable);
    assert!(r.next_step.contains("model limits") && r.message.contains("project"));
    assert_eq!(
        text_models_asked(&server).await,
        ["gpt-6-luna"],
        "no other model is tried"
    );
    assert_key_kept_secret(&key, &r, &server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credit_probe_the_model_refuses_as_written_is_not_checked_never_ready() {
    // A models file that sends max_tokens to a reasoning model: OpenAI answers 400
    // unsupported_parameter, which says nothing about credit.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("models.json");
    let text = aaai_key_setup::core::models::BUILT_IN.replacen(
        "\"budget_param\": \"max_completion_tokens\"",
        "\"budget_param\": \"max_tokens\"",
        1,
    );
    std::fs::write(&file, text).expect("write");
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_refuses_max_tokens(&server, "gpt-6-luna").await;
    mount_paying_account(&server).await;
    let key = project_key();
    let cfg = CheckConfig {
        models_file: Some(file),
        ..config(&server)
    };
    let r = check(&key, &cfg).await;
    assert_ne!(r.verdict, Verdict::Ready);
    assert_eq!(render_json(&r)["features"]["articles"], "unknown");
    assert_eq!(r.steps.billing, StepState::Unknown);
    assert!(
        r.features
            .articles
            .line
            .starts_with("not checked. OpenAI refused the free test for gpt-6-luna"),
        "{}",
        r.features.articles.line
    );
    assert!(
        r.message.contains("proves nothing about credit"),
        "{}",
        r.message
    );
    assert_nothing_billable_sent(&server).await;
    assert_key_kept_secret(&key, &r, &server).await;
}
