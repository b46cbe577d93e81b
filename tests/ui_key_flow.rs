//! Headless UI flows for key capture and the readiness check: a fake clipboard stands in for
//! the X clipboard, and the check talks real HTTP to a wiremock server on loopback.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/models_stub.rs"]
mod models_stub;
#[path = "support/ui.rs"]
mod ui;

use ui::{harness, paste_key_and_go_on, step_until};

use std::time::{Duration, Instant};

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, CheckState, Services};
use aaai_key_setup::core::checklist::{ItemId, Mark};
use aaai_key_setup::core::verdict::StepId;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn project_key() -> String {
    keys::made_up("sk-proj-", &keys::chars(74, 51), &keys::chars(74, 52))
}

fn plain_services(clipboard: fakes::FakeClipboard) -> Services {
    fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        clipboard,
    )
}

#[test]
fn a_copied_key_is_captured_masked_and_ticks_the_checklist() {
    let clipboard = fakes::FakeClipboard::default();
    let mut h = harness(plain_services(clipboard.clone()), [1280.0, 800.0]);
    h.run();
    h.get_by_label("2. Create your secret key, not checked")
        .click();
    h.run();
    let key = project_key();
    clipboard.set(&format!("\u{feff}  Bearer {key}\r\n"));
    step_until(&mut h, |app| app.key.is_some());
    let masked = format!("sk-proj-…{}", &key[key.len() - 4..]);
    h.get_by_label(&format!("project key {masked}"));
    // Ticks follow the evidence: OpenAI is not reachable here, so nothing is ticked yet.
    let checklist = &h.state().progress.checklist;
    assert_eq!(checklist.mark(ItemId::KeyCreated), Mark::NotYet);
    assert_eq!(checklist.mark(ItemId::KeyCopied), Mark::NotYet);
    // Offer to clear it, and clear it.
    h.get_by_label("Clear it from the clipboard").click();
    step_until(&mut h, |app| app.clip_note.is_some());
    assert!(clipboard.0.lock().expect("lock").is_none());
}

#[test]
fn watching_starts_at_the_key_step_and_can_be_switched() {
    let clipboard = fakes::FakeClipboard::default();
    clipboard.set(&project_key());
    let mut h = harness(plain_services(clipboard), [1280.0, 800.0]);
    // On step 1 the watcher is off: the key on the clipboard is not taken.
    for _ in 0..20 {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(h.state().key.is_none());
    let switch = h.get_by_label("Watch the clipboard for my key");
    assert!(!switch.accesskit_node().is_disabled());
    switch.click();
    step_until(&mut h, |app| app.key.is_some());
}

#[test]
fn the_paste_box_names_a_wrong_provider_and_takes_a_real_key() {
    let mut h = harness(
        plain_services(fakes::FakeClipboard::default()),
        [1280.0, 800.0],
    );
    h.run();
    let anthropic = format!("sk-ant-api03-{}AA", "b".repeat(93));
    h.get_by_label("Or paste your key here:").focus();
    h.run();
    h.get_by_label("Or paste your key here:")
        .type_text(&anthropic);
    h.run();
    h.get_by_label_contains("Anthropic");
    assert!(
        h.get_by_label("Use this key")
            .accesskit_node()
            .is_disabled()
    );
    // Replace the text with a real key wrapped in quotes.
    h.state_mut().view.paste = zeroize::Zeroizing::new(String::new());
    h.get_by_label("Or paste your key here:")
        .type_text(&format!("\"{}\"", project_key()));
    h.run();
    h.get_by_label("Use this key").click();
    step_until(&mut h, |app| {
        app.key.is_some() && !matches!(app.check, CheckState::Running { .. })
    });
    // Taken, and not ticked until OpenAI accepts it (it cannot be reached here).
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::KeyCopied),
        Mark::NotYet
    );
    // A captured key can be replaced.
    ui::key_menu(&mut h, "Replace key…");
    h.get_by_label("Yes, replace it").click();
    h.run();
    assert!(h.state().key.is_none());
    h.get_by_label("Or paste your key here:");
}

/// The app with a pasted key, checking against `server` with the given time bound.
/// The free check starts by itself once the key is pasted; it is left running.
fn app_with_key_against(server: &MockServer, timeout_secs: u64) -> Harness<'static, App> {
    let mut services = plain_services(fakes::FakeClipboard::default());
    services.check_config.base_url = format!("{}/v1", server.uri());
    services.check_config.timeout_secs = timeout_secs;
    let mut h = harness(services, [1280.0, 800.0]);
    h.run();
    paste_key_and_go_on(&mut h, &project_key());
    h
}

fn error(message: &str, kind: &str, code: &str) -> serde_json::Value {
    json!({"error": {"message": message, "type": kind, "param": null, "code": code}})
}

async fn openai_without_credit() -> MockServer {
    let server = MockServer::start().await;
    models_stub::mount_models(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(429).set_body_json(error(
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            "insufficient_quota",
        )))
        .mount(&server)
        .await;
    server
}

#[test]
fn a_check_without_credit_opens_billing_with_the_quota_fix() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(openai_without_credit());
    // The free check starts by itself once the key is pasted.
    let mut h = app_with_key_against(&server, 30);
    step_until(&mut h, |app| matches!(app.check, CheckState::Done { .. }));
    let app = h.state();
    assert_eq!(app.progress.selected_step, StepId::Billing);
    assert_eq!(app.progress.checklist.mark(ItemId::SignedIn), Mark::Done);
    assert_eq!(
        app.progress.checklist.mark(ItemId::PaymentMethod),
        Mark::NotYet
    );
    // What the check found is inside the billing step, with one fix button.
    h.get_by_label("3. Set up billing and a spend limit, needs you");
    assert!(h.query_all_by_label_contains("no credit").count() >= 1);
    assert_eq!(h.query_all_by_label("Open billing").count(), 1);
    // Which organization and project the key belongs to, on step 1.
    h.get_by_label("1. Create an account or sign in, needs you")
        .click();
    h.run();
    h.get_by_label("Organization: acme-publishing");
    h.get_by_label("Project: proj_aaai_site");
}

#[test]
fn the_window_stays_responsive_while_openai_hangs() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        // Every endpoint hangs: the check's probes go out together.
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
            .mount(&server)
            .await;
        server
    });
    let mut h = app_with_key_against(&server, 3);
    h.step();
    assert!(matches!(h.state().check, CheckState::Running { .. }));
    // Frames keep coming and clicks keep working while the request hangs.
    let started = Instant::now();
    h.get_by_label("3. Set up billing and a spend limit, not checked")
        .click();
    for _ in 0..10 {
        let frame = Instant::now();
        h.step();
        assert!(
            frame.elapsed() < Duration::from_millis(500),
            "a frame waited on the network"
        );
    }
    assert_eq!(h.state().progress.selected_step, StepId::Billing);
    step_until(&mut h, |app| matches!(app.check, CheckState::Done { .. }));
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "the check was not bounded"
    );
    h.get_by_label_contains("Could not reach OpenAI");
}

async fn openai_credit_arrives_on_second_try() -> MockServer {
    let server = MockServer::start().await;
    models_stub::mount_models(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(429).set_body_json(error(
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            "insufficient_quota",
        )))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "max_tokens is too small", "type": "invalid_request_error",
            "param": "max_tokens", "code": null}})))
        .mount(&server)
        .await;
    server
}

#[test]
fn after_i_added_credit_the_app_checks_again_until_it_shows() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(openai_credit_arrives_on_second_try());
    let mut h = app_with_key_against(&server, 30);
    step_until(&mut h, |app| matches!(app.check, CheckState::Done { .. }));
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::PaymentMethod),
        Mark::NotYet
    );
    h.get_by_label("I added credit: keep checking").click();
    h.run();
    h.get_by_label("Stop checking");
    let watch = h.state().recheck.clone().expect("re-checking");
    assert!(
        watch.next_at().expect("due") <= Instant::now() + Duration::from_secs(5),
        "the first re-check comes within 5 s"
    );
    // Skip the wait: the next re-check is due now.
    if let Some(w) = h.state_mut().recheck.as_mut() {
        w.schedule.make_due(Duration::ZERO);
    }
    step_until(&mut h, |app| app.recheck.is_none());
    // Credit ticks the credit item too.
    let checklist = &h.state().progress.checklist;
    assert_eq!(checklist.mark(ItemId::PaymentMethod), Mark::Done);
    assert_eq!(checklist.mark(ItemId::Credits), Mark::Done);
    h.get_by_label("Credit has arrived: billing is ticked.");
}

#[test]
fn an_unclear_credit_answer_offers_a_paid_test_that_runs_only_when_asked() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        models_stub::mount_models(&server).await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(wiremock::matchers::body_partial_json(
                json!({"max_completion_tokens": 1}),
            ))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"id": "chatcmpl-1", "choices": []})),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(ResponseTemplate::new(418).set_body_json(json!({"odd": true})))
            .mount(&server)
            .await;
        server
    });
    let paid_requests = || {
        rt.block_on(server.received_requests())
            .unwrap_or_default()
            .iter()
            .filter(|r| String::from_utf8_lossy(&r.body).contains("\"max_completion_tokens\":1"))
            .count()
    };
    let mut h = app_with_key_against(&server, 30);
    step_until(&mut h, |app| matches!(app.check, CheckState::Done { .. }));
    assert_eq!(
        paid_requests(),
        0,
        "a billed request was sent without consent"
    );
    h.get_by_label("Run a one-token test").click();
    step_until(
        &mut h,
        |app| matches!(&app.check, CheckState::Done { report, .. } if report.verdict.as_str() == "ready"),
    );
    assert_eq!(paid_requests(), 1);
}
