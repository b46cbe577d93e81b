//! The key strip says which clipboard watcher runs, and where the desktop offers no clipboard
//! it says so and puts the cursor in the paste box.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/ui.rs"]
mod ui;

use aaai_key_setup::adapters::clipboard::{ClipError, ClipboardSource};
use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{ClipStatus, Services};
use egui_kittest::kittest::{NodeT as _, Queryable as _};

fn services() -> Services {
    fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        fakes::FakeClipboard::default(),
    )
}

#[test]
fn watching_shows_which_watcher_runs() {
    let mut h = ui::harness(services(), [1280.0, 800.0]);
    h.run_ok();
    if h.state().clip != ClipStatus::Watching {
        h.get_by_label("Watch the clipboard for my key").click();
        h.run();
    }
    ui::step_until(&mut h, |app| app.clip == ClipStatus::Watching);
    // The fake clipboard sends no change events: on Linux it is the 400 ms poll.
    let expected = if cfg!(windows) {
        "Watching the clipboard (Windows)"
    } else if cfg!(target_os = "macos") {
        "Watching the clipboard (macOS, with your permission)"
    } else {
        "Watching the clipboard (X11, looked at every 400 ms)"
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while h.query_by_label(expected).is_none() {
        assert!(std::time::Instant::now() < deadline, "no watcher line");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_desktop_without_a_clipboard_says_so_and_focuses_the_paste_box() {
    let mut s = services();
    s.clipboard = Some(Box::new(|| {
        Err::<Box<dyn ClipboardSource>, _>(ClipError::NotOffered(String::from(
            "This desktop doesn't let apps watch the clipboard.",
        )))
    }));
    let mut h = ui::harness(s, [1280.0, 800.0]);
    h.run_ok();
    if !matches!(h.state().clip, ClipStatus::Unavailable(_)) {
        h.get_by_label("Watch the clipboard for my key").click();
        h.run();
    }
    ui::step_until(&mut h, |app| matches!(app.clip, ClipStatus::Unavailable(_)));
    h.run();
    assert!(
        h.query_by_label_contains("doesn't let apps watch the clipboard")
            .is_some()
    );
    assert!(
        h.get_by_label("Or paste your key here:")
            .accesskit_node()
            .is_focused(),
        "the paste box did not get the cursor"
    );
}
