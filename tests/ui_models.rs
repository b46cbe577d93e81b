//! The window when OpenAI has retired the image model the check names first (issue 17),
//! headless with egui_kittest at 800×600 against the loopback OpenAI stand-in: the notice sits
//! in step 4 (images) and nowhere else, the test-image button names the model it will use,
//! and nothing on any screen calls the retired model the project's problem.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "openai_mock/lifecycle.rs"]
mod lifecycle;
mod openai_mock;
#[path = "support/ui.rs"]
mod ui;

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, Screen};
use aaai_key_setup::core::verdict::StepId;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use lifecycle::{SERVER_DATE_SECS, mount_gone, mount_models};
use openai_mock::{
    ListedModel, TODAYS_MODELS, credit_ok, image_size_refused, key_of, mount_credit, mount_images,
    mount_me,
};
use serde_json::json;
use wiremock::MockServer;

const NOTICE: &str = "OpenAI retired gpt-image-2 on 1 December 2026. We checked \
                      gpt-image-2.6-sunburst, its successor, instead. If AAAI still makes images \
                      with the old model, AAAI itself needs an update.";
const BUTTON: &str = "Make one test image with gpt-image-2.6-sunburst (about half a cent)";

/// A paying account whose first image model was shut down today.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    let mut models: Vec<ListedModel<'_>> = TODAYS_MODELS
        .iter()
        .filter(|(id, _, _)| *id != "gpt-image-2")
        .copied()
        .collect();
    models.push(("gpt-image-2", 1_776_729_600, Some("2026-12-01")));
    models.push(("gpt-image-2.6-sunburst", 1_790_000_000, None));
    mount_models(&server, &models).await;
    mount_gone(&server, "gpt-image-2").await;
    mount_me(
        &server,
        200,
        json!({"object": "user", "id": "user-1", "orgs": {"object": "list", "data": [
            {"object": "organization", "id": "org-AAA", "name": "acme-publishing",
             "title": "Acme Publishing", "personal": false, "is_default": true,
             "role": "owner"}]}}),
    )
    .await;
    mount_credit(&server, credit_ok()).await;
    mount_images(&server, image_size_refused()).await;
    server
}

fn all_text(h: &Harness<'static, App>) -> Vec<String> {
    h.query_all_by(|_| true)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

#[test]
fn a_retired_image_model_is_a_notice_in_step_4_and_the_button_names_the_successor() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(server());
    let key = key_of("sk-proj-", 74, 71).expose_secret().to_owned();
    let mut s = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        fakes::FakeClipboard::default(),
    );
    s.check_config.base_url = format!("{}/v1", server.uri());
    s.check_config.timeout_secs = 5;
    // The computer's clock is a year behind: the server's date decides.
    s.check_config.local_clock_secs = Some(SERVER_DATE_SECS - 365 * 86_400);
    let size = [800.0, 600.0];
    let mut h = ui::harness(s, size);
    h.run();
    ui::paste_key(&mut h, &key);
    let report = h.state().report().cloned().expect("a report");
    assert_eq!(
        report
            .models
            .as_ref()
            .and_then(|m| m.images.checked.as_deref()),
        Some("gpt-image-2.6-sunburst")
    );

    for step in StepId::ALL {
        h.state_mut().screen = Screen::Step;
        h.state_mut().progress.selected_step = step;
        h.run_ok();
        let texts = all_text(&h);
        let notices = texts.iter().filter(|t| t.as_str() == NOTICE).count();
        if step == StepId::Verification {
            assert_eq!(notices, 1, "the notice, once, in step 4: {texts:?}");
            let strip_top = h.get_by_label("Your key:").rect().min.y;
            for label in [NOTICE, BUTTON] {
                let rect = h.get_by_label(label).rect();
                assert!(
                    rect.min.y >= 0.0 && rect.max.y <= strip_top && rect.max.x <= size[0],
                    "{label} is not whole in view: {rect:?}"
                );
            }
        } else {
            assert_eq!(
                notices, 0,
                "the notice outside step 4 ({step:?}): {texts:?}"
            );
        }
        // Nothing contradicts it: the retired model is never offered for a test, never the
        // project's problem, and images are never called blocked.
        for t in &texts {
            let lower = t.to_lowercase();
            assert!(!t.contains("test image with gpt-image-2 "), "{t}");
            assert!(!lower.contains("may not use"), "{t}");
            assert!(!lower.contains("model limits"), "{t}");
        }
    }
    h.state_mut().screen = Screen::FinalChecklist;
    h.run_ok();
    for t in all_text(&h) {
        assert!(!t.to_lowercase().contains("may not use"), "{t}");
    }
}
