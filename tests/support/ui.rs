//! Helpers for headless UI tests of the real app (egui_kittest).

use std::time::{Duration, Instant};

use aaai_key_setup::app::{App, CheckState, Services};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// The app, headless, in a window of `size` (a laptop's is `[1280.0, 800.0]`).
pub fn harness(services: Services, size: [f32; 2]) -> Harness<'static, App> {
    Harness::builder()
        .with_size(size)
        .with_max_steps(16)
        .build_eframe(move |cc| App::new(cc, services))
}

/// Step frames, with real time passing for the worker threads, until `done` holds (30 s at most:
/// a bound for a stuck test, generous enough for a loaded two-core machine).
pub fn step_until(h: &mut Harness<'static, App>, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
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
#[allow(dead_code)] // ui_key_flow leaves every check it starts running, on purpose.
pub fn paste_key(h: &mut Harness<'static, App>, text: &str) {
    paste_key_and_go_on(h, text);
    step_until(h, |app| !matches!(app.check, CheckState::Running { .. }));
}

/// Pick an entry of the key strip's one menu ("Key options").
#[allow(dead_code)] // ui_hardening never opens the menu.
pub fn key_menu(h: &mut Harness<'static, App>, entry: &str) {
    h.get_by_label("Key options").click();
    h.run();
    h.get_by_label(entry).click();
    h.run();
}
