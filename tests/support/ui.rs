//! Helpers for headless UI tests of the real app (egui_kittest).

use std::time::{Duration, Instant};

use aaai_key_setup::app::{App, CheckState, Services};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// The app, headless, at a laptop's window size.
pub fn harness(services: Services) -> Harness<'static, App> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(16)
        .build_eframe(move |cc| App::new(cc, services))
}

/// Step frames, with real time passing for the worker threads, until `done` holds (10 s at most).
pub fn step_until(h: &mut Harness<'static, App>, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "timed out");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_ok();
}

/// Type a key into the paste box and use it; the free check it starts by itself is left
/// running.
pub fn paste_key_and_go_on(h: &mut Harness<'static, App>, text: &str) {
    h.get_by_label("Or paste your key here:").focus();
    h.run();
    h.get_by_label("Or paste your key here:").type_text(text);
    h.run();
    h.get_by_label("Use this key").click();
    h.step();
    assert!(h.state().key.is_some(), "the pasted key was not taken");
}

/// Type a key into the paste box, use it, and wait for the free check it starts by itself.
pub fn paste_key(h: &mut Harness<'static, App>, text: &str) {
    paste_key_and_go_on(h, text);
    step_until(h, |app| !matches!(app.check, CheckState::Running { .. }));
}

/// Pick an entry of the key strip's one menu ("Key options").
pub fn key_menu(h: &mut Harness<'static, App>, entry: &str) {
    h.get_by_label("Key options").click();
    h.run();
    h.get_by_label(entry).click();
    h.run();
}

/// `GET /v1/models` answering as OpenAI does for a working key.
pub async fn mount_models(server: &wiremock::MockServer) {
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .insert_header("openai-organization", "acme-publishing")
                .insert_header("openai-project", "proj_aaai_site")
                .set_body_json(
                    serde_json::json!({"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]}),
                ),
        )
        .mount(server)
        .await;
}
