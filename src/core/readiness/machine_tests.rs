//! Tests of the state machine: which probes go out together, and what each combination of
//! answers proves.

use crate::core::key::test_keys::{made_up, recognised};
use serde_json::json;

use super::*;
use crate::core::features::FeatureState;
use crate::core::models::AaaiModels;
use crate::core::readiness::classify::classify;
use crate::core::readiness::classify::guess_tier;
use crate::core::readiness::probe::IMPOSSIBLE_IMAGE_SIZE;
use crate::core::readiness::{API_KEYS_URL, BILLING_URL, LIMITS_URL, ORG_GENERAL_URL, Trouble};
use crate::core::verdict::Verdict;

fn answer(status: u16, body: &str) -> Answer {
    Answer {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.into(),
    }
}

fn err_body(message: &str, kind: &str, code: Option<&str>, param: Option<&str>) -> String {
    json!({"error": {"message": message, "type": kind, "param": param, "code": code}}).to_string()
}

fn models_ok() -> Answer {
    answer(200, r#"{"object":"list","data":[{"id":"gpt-4o-mini"}]}"#)
}

fn credit_ok() -> Answer {
    answer(
        400,
        &err_body("max_tokens", "invalid_request_error", None, None),
    )
}

fn image_size_refused() -> Answer {
    answer(
        400,
        &err_body("Invalid size", "invalid_request_error", None, Some("size")),
    )
}

fn must_verify_image() -> Answer {
    answer(
        403,
        &err_body(
            "Your organization must be verified to use the model `gpt-image-1-mini`.",
            "invalid_request_error",
            None,
            None,
        ),
    )
}

/// Answers every probe with `respond` until the check is finished; returns the probes in the
/// batches they were handed out.
fn run(
    check: &mut ReadinessCheck,
    respond: impl Fn(&Probe) -> Result<Answer, TransportError>,
) -> Vec<Vec<Probe>> {
    let mut batches = Vec::new();
    while !check.is_finished() {
        let batch = check.take_ready();
        assert!(
            !batch.is_empty(),
            "a check that is not finished hands out work"
        );
        for p in &batch {
            check.feed(p.clone(), respond(p));
        }
        batches.push(batch);
    }
    batches
}

fn happy(p: &Probe) -> Result<Answer, TransportError> {
    Ok(match p {
        Probe::Models => models_ok(),
        Probe::Me => answer(404, "{}"),
        Probe::CreditProbe { .. } => credit_ok(),
        Probe::ImageEvidence { .. } => image_size_refused(),
        Probe::TestImage { .. } => answer(200, r#"{"data":[{"b64_json":"AAAA"}]}"#),
        Probe::PaidOneToken { .. } => answer(
            200,
            r#"{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}]}"#,
        ),
    })
}

#[test]
fn independent_probes_go_out_together_on_aaai_models() {
    let mut c = ReadinessCheck::new(CheckOptions::default());
    let first = c.take_ready();
    let models = AaaiModels::built_in();
    assert_eq!(
        first,
        vec![
            Probe::Models,
            Probe::Me,
            Probe::CreditProbe {
                model: models.articles.first().model.clone(),
                budget: models.articles.first().budget_param,
            },
            Probe::ImageEvidence {
                model: models.images.first().model.clone()
            },
        ]
    );
    assert!(c.take_ready().is_empty(), "each probe is handed out once");
    assert!(first.iter().all(|p| !p.may_cost()));
}

#[test]
fn ready_for_articles_images_not_checked() {
    let mut c = ReadinessCheck::new(CheckOptions::default());
    let batches = run(&mut c, happy);
    assert_eq!(batches.len(), 1, "one round trip");
    let r = c.report();
    assert_eq!(r.verdict, Verdict::Ready);
    assert_eq!(r.features.articles.state, FeatureState::Ready);
    assert_eq!(r.features.images.state, FeatureState::Unknown);
    assert_eq!(
        r.features.images.line,
        "not checked yet. One test image proves it (about half a cent)"
    );
    assert!(r.offer_image_test);
    assert!(r.next_step.contains("Images are not checked yet"));
    assert!(!r.next_step.contains("all set"));
    assert_eq!(r.steps.billing, StepState::Done);
    assert_eq!(r.steps.verification, StepState::Unknown);
}

#[test]
fn consent_replaces_the_free_image_evidence_by_the_test_image() {
    let mut c = ReadinessCheck::new(CheckOptions {
        verification: true,
        ..CheckOptions::default()
    });
    let batches = run(&mut c, happy);
    // The billed image waits for the model list (one more round trip), and is made once.
    let all: Vec<_> = batches.iter().flatten().collect();
    assert_eq!(
        all.iter()
            .filter(|p| matches!(p, Probe::TestImage { .. }))
            .count(),
        1
    );
    assert!(!all.iter().any(|p| matches!(p, Probe::ImageEvidence { .. })));
    let r = c.report();
    assert_eq!(r.verdict, Verdict::Ready);
    assert_eq!(r.features.images.state, FeatureState::Ready);
    assert_eq!(r.steps.verification, StepState::Done);
    assert!(!r.offer_image_test);
    assert!(r.next_step.contains("all set"));
}

#[test]
fn unverified_organization_blocks_images_and_the_verdict() {
    let mut c = ReadinessCheck::new(CheckOptions::default());
    run(&mut c, |p| match p {
        Probe::ImageEvidence { .. } => Ok(must_verify_image()),
        other => happy(other),
    });
    let r = c.report();
    assert_eq!(r.verdict, Verdict::VerificationRequired);
    assert_eq!(r.features.articles.state, FeatureState::Ready);
    assert_eq!(
        r.features.images.state,
        FeatureState::Blocked(Verdict::VerificationRequired)
    );
    assert_eq!(r.features.images.line, "your organization must be verified");
    assert_eq!(r.features.images.fix_url, Some(ORG_GENERAL_URL));
    assert_eq!(r.steps.verification, StepState::Pending);
    assert_eq!(r.steps.billing, StepState::Done);
    assert_eq!(r.trouble, Some(Trouble::Verification));
}

#[test]
fn streamed_and_reasoning_summary_verification_errors_are_read() {
    for param in ["stream", "reasoning.summary"] {
        let a = answer(
            400,
            &err_body(
                "Your organization must be verified to stream this model.",
                "invalid_request_error",
                Some("unsupported_value"),
                Some(param),
            ),
        );
        assert_eq!(classify(&a), Class::VerificationRequired, "{param}");
    }
}

#[test]
fn only_the_projects_403_is_model_unavailable_a_404_tries_the_next_model() {
    // 403 "Project … does not have access to model": the project's allow-list.
    let mut c = ReadinessCheck::new(CheckOptions::default());
    run(&mut c, |p| match p {
        Probe::CreditProbe { .. } => Ok(answer(
            403,
            &err_body(
                "Project `proj_abc` does not have access to model `x`",
                "invalid_request_error",
                Some("model_not_found"),
                None,
            ),
        )),
        other => happy(other),
    });
    let r = c.report();
    assert_eq!(r.verdict, Verdict::ModelUnavailable);
    assert_eq!(r.verdict.exit_code(), 1);
    assert_eq!(
        r.features.articles.state,
        FeatureState::Blocked(Verdict::ModelUnavailable)
    );
    assert_eq!(r.steps.key, StepState::Done);
    assert!(r.next_step.contains("project"));

    // 404 "does not exist" for every text model: gone, never the project's limits.
    let mut c = ReadinessCheck::new(CheckOptions::default());
    let batches = run(&mut c, |p| match p {
        Probe::CreditProbe { .. } => Ok(answer(
            404,
            &err_body(
                "The model `x` does not exist or you do not have access to it.",
                "invalid_request_error",
                Some("model_not_found"),
                None,
            ),
        )),
        other => happy(other),
    });
    let r = c.report();
    assert_ne!(r.verdict, Verdict::ModelUnavailable);
    assert_eq!(r.features.articles.state, FeatureState::Unknown);
    assert_eq!(r.steps.key, StepState::Done);
    for text in [&r.message, &r.next_step, &r.features.articles.line] {
        assert!(!text.to_lowercase().contains("project"), "{text}");
    }
    // The list shows no other candidate: the newest listed text model, asked once.
    let asked: Vec<_> = batches
        .iter()
        .flatten()
        .filter_map(|p| match p {
            Probe::CreditProbe { model, .. } => Some(model.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(asked, ["gpt-6-luna", "gpt-4o-mini"]);
    let m = r.models.expect("models");
    assert_eq!(m.articles.checked, None);
}

#[test]
fn billing_answers() {
    for (code, status, url) in [
        ("insufficient_quota", 429, BILLING_URL),
        ("credit_balance_exhausted", 429, BILLING_URL),
        ("organization_spend_limit_exceeded", 429, LIMITS_URL),
        ("project_spend_limit_exceeded", 429, LIMITS_URL),
        ("organization_usage_limit_exceeded", 429, LIMITS_URL),
        ("billing_not_active", 429, BILLING_URL),
        ("billing_hard_limit_reached", 400, LIMITS_URL),
    ] {
        let mut c = ReadinessCheck::new(CheckOptions::default());
        run(&mut c, |p| match p {
            Probe::CreditProbe { .. } => Ok(answer(status, &err_body("x", code, Some(code), None))),
            other => happy(other),
        });
        let r = c.report();
        assert_eq!(r.verdict, Verdict::NoCredit, "{code}");
        assert_eq!(r.steps.billing, StepState::Pending, "{code}");
        assert_eq!(r.fix_url, Some(url), "{code}");
        let says_add_credit = r.next_step.starts_with("Add credit");
        assert_eq!(
            says_add_credit,
            matches!(code, "insufficient_quota" | "credit_balance_exhausted"),
            "{code}: {}",
            r.next_step
        );
    }
}

#[test]
fn access_terminated_is_an_account_problem() {
    let mut c = ReadinessCheck::new(CheckOptions::default());
    run(&mut c, |p| match p {
        Probe::CreditProbe { .. } => Ok(answer(
            429,
            &err_body("x", "access_terminated", Some("access_terminated"), None),
        )),
        other => happy(other),
    });
    let r = c.report();
    assert_eq!(r.verdict, Verdict::AccountDeactivated);
    assert_eq!(r.steps.account, StepState::Pending);
    assert_ne!(r.steps.billing, StepState::Pending);
    assert!(r.message.contains("policy") && !r.next_step.starts_with("Add credit"));
}

#[test]
fn invalid_key_settles_at_once_and_never_echoes() {
    let mut c = ReadinessCheck::new(CheckOptions::default());
    let batch = c.take_ready();
    c.feed(
        Probe::Models,
        Ok(answer(
            401,
            &err_body(
                "Incorrect API key provided: sk-abcd****wxyz.",
                "invalid_request_error",
                Some("invalid_api_key"),
                None,
            ),
        )),
    );
    assert_eq!(batch.len(), 4);
    assert!(c.is_finished(), "the other answers are not waited for");
    let r = c.report();
    assert_eq!(r.verdict, Verdict::InvalidKey);
    assert_eq!(r.steps.key, StepState::Pending);
    assert_eq!(r.fix_url, Some(API_KEYS_URL));
    assert!(!format!("{r:?}").contains("****"));
}

#[test]
fn restricted_key_names_the_permission_and_the_reader_role() {
    let scopes = |s: &str| {
        Ok(answer(
            401,
            &err_body(
                &format!(
                    "You have insufficient permissions for this operation. Missing scopes: {s}. Check that you have the correct role in your organization (Reader, Writer, Owner)."
                ),
                "invalid_request_error",
                None,
                None,
            ),
        ))
    };
    let mut c = ReadinessCheck::new(CheckOptions::default());
    run(&mut c, |p| match p {
        Probe::Models => scopes("api.model.read"),
        Probe::CreditProbe { .. } => scopes("model.request"),
        other => happy(other),
    });
    let r = c.report();
    assert_eq!(r.verdict, Verdict::RestrictedKey);
    assert_eq!(r.steps.key, StepState::Pending);
    assert!(
        r.message
            .contains("\"Model capabilities\" set to \"Write\"")
    );
    assert!(r.next_step.contains("from Reader to Writer") && r.next_step.contains("\"All\""));
    // The key page's words first, the role names last; no internal scope names.
    let page = r
        .next_step
        .find("\"Model capabilities\"")
        .expect("the page's words");
    assert!(page < r.next_step.find("Reader").expect("the role"));
    assert!(!format!("{} {}", r.message, r.next_step).contains("model.request"));
    assert!(r.notes.iter().any(|n| n.contains("may not list models")));
}

#[test]
fn me_failure_is_never_invalid() {
    let mut c = ReadinessCheck::new(CheckOptions::default());
    run(&mut c, |p| match p {
        Probe::Me => Ok(answer(
            401,
            &err_body("x", "invalid_request_error", Some("invalid_api_key"), None),
        )),
        other => happy(other),
    });
    assert_eq!(c.report().verdict, Verdict::Ready);
}

#[test]
fn unclear_credit_answer_asks_for_the_paid_token_only_with_consent() {
    let odd = || Ok(answer(418, "{}"));
    let mut c = ReadinessCheck::new(CheckOptions::default());
    let batches = run(&mut c, |p| match p {
        Probe::CreditProbe { .. } => odd(),
        other => happy(other),
    });
    assert!(batches.iter().flatten().all(|p| !p.may_cost()));
    let r = c.report();
    assert_eq!(r.verdict, Verdict::UnexpectedResponse);
    assert!(r.offer_paid_probe);

    let mut c = ReadinessCheck::new(CheckOptions {
        paid_probe_consent: true,
        ..CheckOptions::default()
    });
    let batches = run(&mut c, |p| match p {
        Probe::CreditProbe { .. } => odd(),
        other => happy(other),
    });
    assert_eq!(batches.len(), 2);
    assert!(matches!(batches[1][..], [Probe::PaidOneToken { .. }]));
    let r = c.report();
    assert_eq!(r.verdict, Verdict::Ready);
    assert!(!r.offer_paid_probe);
}

#[test]
fn rate_limit_says_when_to_try_again() {
    let mut c = ReadinessCheck::new(CheckOptions::default());
    run(&mut c, |p| match p {
        Probe::CreditProbe { .. } => {
            let mut a = answer(
                429,
                &err_body("Rate limit", "requests", Some("rate_limit_exceeded"), None),
            );
            a.headers.push(("retry-after".into(), "40".into()));
            Ok(a)
        }
        other => happy(other),
    });
    let r = c.report();
    assert_eq!(r.verdict, Verdict::RateLimited);
    assert_eq!(r.verdict.exit_code(), 2);
    assert!(r.next_step.contains("40 seconds"), "{}", r.next_step);
    assert_eq!(r.features.articles.state, FeatureState::Unknown);
}

#[test]
fn give_up_keeps_what_was_proven() {
    let mut c = ReadinessCheck::new(CheckOptions {
        timeout_secs: 3,
        ..CheckOptions::default()
    });
    let batch = c.take_ready();
    for p in batch {
        if !matches!(p, Probe::Me) {
            let a = happy(&p);
            c.feed(p, a);
        }
    }
    assert!(!c.is_finished());
    c.give_up(TransportError::Timeout);
    assert!(c.is_finished());
    assert_eq!(c.report().verdict, Verdict::Ready);

    let mut c = ReadinessCheck::new(CheckOptions {
        timeout_secs: 3,
        ..CheckOptions::default()
    });
    let _ = c.take_ready();
    c.feed(Probe::Models, Ok(models_ok()));
    c.give_up(TransportError::Timeout);
    let r = c.report();
    assert_eq!(r.verdict, Verdict::NetworkError);
    assert!(r.message.contains("within 3 seconds"));
    assert_eq!(r.steps.key, StepState::Done);
}

#[test]
fn transport_errors_have_distinct_messages() {
    let mut seen = Vec::new();
    for e in [
        TransportError::Timeout,
        TransportError::Dns,
        TransportError::Connect,
        TransportError::Tls,
        TransportError::Proxy,
        TransportError::Other,
    ] {
        let mut c = ReadinessCheck::new(CheckOptions::default());
        run(&mut c, |_| Err(e));
        let r = c.report();
        assert_eq!(r.verdict, Verdict::NetworkError);
        assert!(r.message.starts_with("Could not reach OpenAI"));
        assert!(!seen.contains(&r.message));
        seen.push(r.message);
    }
    assert!(seen[3].contains("proxy"), "a TLS failure names the proxy");
}

#[test]
fn admin_key_needs_no_network() {
    let mut c = ReadinessCheck::new(CheckOptions {
        key: Some((KeyKind::Admin, "sk-admin-…abcd".into())),
        ..CheckOptions::default()
    });
    assert!(c.is_finished());
    assert!(c.take_ready().is_empty());
    assert_eq!(c.report().verdict, Verdict::AdminKey);
}

#[test]
fn org_labels_sharing_a_run_with_the_key_are_dropped_honest_ones_kept() {
    let key_text = made_up("sk-proj-", &"Qw3".repeat(20), &"Er4".repeat(20));
    let key = recognised(&key_text);
    let mut c = ReadinessCheck::new(CheckOptions::for_key(&key));
    let echoed = key_text[20..40].to_owned();
    run(&mut c, |p| match p {
        Probe::CreditProbe { .. } => {
            let mut a = credit_ok();
            a.headers
                .push(("openai-organization".into(), echoed.clone()));
            a.headers
                .push(("openai-project".into(), "Task-Force".into()));
            Ok(a)
        }
        other => happy(other),
    });
    let r = c.report();
    assert_eq!(r.organization, None);
    assert_eq!(r.project.as_deref(), Some("Task-Force"));
}

#[test]
fn org_warning_when_key_org_not_default() {
    let me = json!({"object": "user", "orgs": {"data": [
        {"id": "org-a", "name": "user-abc", "title": "Personal", "is_default": true},
        {"id": "org-b", "name": "acme", "title": "Acme", "is_default": false},
    ]}})
    .to_string();
    let mut c = ReadinessCheck::new(CheckOptions::default());
    run(&mut c, |p| match p {
        Probe::Me => Ok(answer(200, &me)),
        Probe::CreditProbe { .. } => {
            let mut a = credit_ok();
            a.headers
                .push(("openai-organization".into(), "acme".into()));
            Ok(a)
        }
        other => happy(other),
    });
    let r = c.report();
    assert_eq!(
        r.organization,
        Some(Organization {
            name: "acme".into(),
            title: Some("Acme".into())
        })
    );
    let w = r.other_orgs_warning.expect("warning");
    assert!(w.contains("not to your default") && w.contains("Personal"));
}

#[test]
fn tier_guess_table() {
    let with = |name: &str, v: &str| Answer {
        status: 400,
        headers: vec![(name.into(), v.into())],
        body: String::new(),
    };
    assert_eq!(
        guess_tier(&with("x-ratelimit-limit-tokens", "200000")).as_deref(),
        Some("Tier 1")
    );
    assert_eq!(
        guess_tier(&with("x-ratelimit-limit-requests", "5000")).as_deref(),
        Some("Tier 2")
    );
    assert_eq!(guess_tier(&with("x-ratelimit-limit-requests", "abc")), None);
}

#[test]
fn probe_bodies_cannot_make_an_image_or_bill_without_consent() {
    let b = Probe::CreditProbe {
        model: "m".into(),
        budget: crate::core::models::BudgetParam::MaxTokens,
    }
    .body()
    .expect("body");
    assert_eq!(b["max_tokens"], 0);
    let b = Probe::CreditProbe {
        model: "m".into(),
        budget: crate::core::models::BudgetParam::MaxCompletionTokens,
    }
    .body()
    .expect("body");
    assert_eq!(b["max_completion_tokens"], 0);
    assert!(b.get("max_tokens").is_none());
    let e = Probe::ImageEvidence { model: "m".into() }
        .body()
        .expect("body");
    assert_eq!(e["size"], IMPOSSIBLE_IMAGE_SIZE);
    assert_eq!(
        Probe::ImageEvidence { model: "m".into() }.path(),
        "/images/generations"
    );
    assert_eq!(Probe::Models.method(), "GET");
}

#[test]
fn a_consented_test_image_waits_for_the_list_and_is_made_once_on_a_live_model() {
    let mut c = ReadinessCheck::new(CheckOptions {
        verification: true,
        ..CheckOptions::default()
    });
    let list = answer(
        200,
        r#"{"object":"list","data":[
            {"id":"gpt-6-luna","created":3,"shutdown_date":null},
            {"id":"gpt-image-2","created":1,"shutdown_date":"2026-12-01"},
            {"id":"gpt-image-2.6-sunburst","created":2,"shutdown_date":null}]}"#,
    );
    let list = Answer {
        headers: vec![("date".into(), "Tue, 01 Dec 2026 09:00:00 GMT".into())],
        ..list
    };
    let batches = run(&mut c, |p| match p {
        Probe::Models => Ok(list.clone()),
        other => happy(other),
    });
    assert!(
        batches[0]
            .iter()
            .all(|p| !matches!(p, Probe::TestImage { .. })),
        "a billed image is not sent before the list says which model is alive: {batches:?}"
    );
    let images: Vec<_> = batches
        .iter()
        .flatten()
        .filter(|p| matches!(p, Probe::TestImage { .. }))
        .collect();
    assert_eq!(images.len(), 1, "{images:?}");
    assert_eq!(images[0].model(), Some("gpt-image-2.6-sunburst"));
    let r = c.report();
    assert_eq!(r.features.images.state, FeatureState::Ready);
    let m = r.models.expect("models");
    assert_eq!(m.images.checked.as_deref(), Some("gpt-image-2.6-sunburst"));
    assert!(
        m.images
            .notice
            .as_deref()
            .is_some_and(|n| n.starts_with("OpenAI retired gpt-image-2 on 1 December 2026."))
    );
}

#[test]
fn a_listed_model_id_sharing_a_run_with_the_key_is_never_checked_or_named() {
    let key_text = made_up("sk-proj-", &"Ty5".repeat(20), &"Ui6".repeat(20));
    let key = recognised(&key_text);
    let mut c = ReadinessCheck::new(CheckOptions::for_key(&key));
    let echoed = format!("gpt-image-{}", &key_text[20..40]);
    let list = answer(
        200,
        &json!({"object": "list", "data": [
            {"id": echoed, "created": 9},
            {"id": "gpt-image-9", "created": 1}]})
        .to_string(),
    );
    run(&mut c, |p| match p {
        Probe::Models => Ok(list.clone()),
        // The file's own image models are gone.
        Probe::ImageEvidence { model } if AaaiModels::built_in().images.find(model).is_some() => {
            Ok(answer(
                404,
                &err_body(
                    "The model does not exist",
                    "invalid_request_error",
                    Some("model_not_found"),
                    None,
                ),
            ))
        }
        other => happy(other),
    });
    let r = c.report();
    let m = r.models.expect("models");
    assert_eq!(m.images.checked.as_deref(), Some("gpt-image-9"));
    assert!(!format!("{:?}", m.images).contains(&key_text[20..40]));
}

#[test]
fn a_200_without_the_expected_shape_is_never_ready_and_says_what_came_back() {
    let plain = |body: &str| Answer {
        status: 200,
        headers: vec![("content-type".into(), "text/plain".into())],
        body: body.into(),
    };
    for (body, words) in [
        ("OK", "plain text"),
        ("{}", "no models"),
        ("", "an empty answer"),
    ] {
        for verification in [false, true] {
            let mut c = ReadinessCheck::new(CheckOptions {
                verification,
                ..CheckOptions::default()
            });
            run(&mut c, |_| Ok(plain(body)));
            let r = c.report();
            assert_eq!(r.verdict, Verdict::UnexpectedResponse, "{body:?}");
            assert!(r.message.contains(words), "{body:?}: {}", r.message);
            assert_ne!(r.features.articles.state, FeatureState::Ready, "{body:?}");
            assert_ne!(r.features.images.state, FeatureState::Ready, "{body:?}");
        }
    }
    // Each free answer needs its own shape: a model list with models, a /me with an
    // organization.
    for (bad, words) in [
        (Probe::Models, r#"{"object":"list","data":[]}"#),
        (Probe::Me, r#"{"object":"user","orgs":{"data":[]}}"#),
    ] {
        let mut c = ReadinessCheck::new(CheckOptions::default());
        run(&mut c, |p| {
            if *p == bad {
                Ok(answer(200, words))
            } else {
                happy(p)
            }
        });
        assert_eq!(c.report().verdict, Verdict::UnexpectedResponse, "{bad:?}");
    }
}

#[test]
fn an_empty_200_to_the_test_image_is_not_images_ready() {
    for body in [
        "",
        "{}",
        r#"{"created":1,"data":[]}"#,
        r#"{"data":[{"b64_json":""}]}"#,
    ] {
        let mut c = ReadinessCheck::new(CheckOptions {
            verification: true,
            ..CheckOptions::default()
        });
        run(&mut c, |p| match p {
            Probe::TestImage { .. } => Ok(answer(200, body)),
            other => happy(other),
        });
        let r = c.report();
        assert_eq!(r.verdict, Verdict::UnexpectedResponse, "{body:?}");
        assert_ne!(r.features.images.state, FeatureState::Ready, "{body:?}");
        assert_eq!(r.features.articles.state, FeatureState::Ready, "{body:?}");
    }
    // An image given as a URL is an image.
    let mut c = ReadinessCheck::new(CheckOptions {
        verification: true,
        ..CheckOptions::default()
    });
    run(&mut c, |p| match p {
        Probe::TestImage { .. } => Ok(answer(200, r#"{"data":[{"url":"https://x/y.png"}]}"#)),
        other => happy(other),
    });
    assert_eq!(c.report().features.images.state, FeatureState::Ready);
}

#[test]
fn a_redirect_is_never_followed_nor_ready_and_names_its_host() {
    let mut c = ReadinessCheck::new(CheckOptions::default());
    run(&mut c, |_| {
        Ok(Answer {
            status: 307,
            headers: vec![(
                "location".into(),
                "https://user:pw@filter.example:8443/v1/models?x=1".into(),
            )],
            body: String::new(),
        })
    });
    let r = c.report();
    assert_eq!(r.verdict, Verdict::UnexpectedResponse);
    assert!(
        r.message.contains("a redirect to filter.example"),
        "{}",
        r.message
    );
    assert!(
        !r.message.contains("user") && !r.message.contains("8443"),
        "{}",
        r.message
    );
    // A relative one, or one whose host could be the key, is just "a redirect".
    let key = recognised(&made_up("sk-proj-", &"Ab1".repeat(20), &"Cd2".repeat(20)));
    let host = format!("https://{}.example/", &key.expose_secret()[10..40]);
    for location in ["/elsewhere", host.as_str()] {
        let mut c = ReadinessCheck::new(CheckOptions::for_key(&key));
        run(&mut c, |_| {
            Ok(Answer {
                status: 302,
                headers: vec![("location".into(), location.to_owned())],
                body: String::new(),
            })
        });
        let r = c.report();
        assert_eq!(r.verdict, Verdict::UnexpectedResponse, "{location}");
        assert!(
            r.message.contains("(a redirect)"),
            "{location}: {}",
            r.message
        );
    }
}
