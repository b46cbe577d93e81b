//! macOS 15.4 and later ask the user before an app reads the clipboard. Where macOS will ask,
//! the window first says so in the key step, and the watcher reads nothing until a frame has
//! shown that notice (issue 20). The platform's answer is set by hand here, so this runs on
//! every system.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/ui.rs"]
mod ui;

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::ClipStatus;
use aaai_key_setup::core::verdict::StepId;
use aaai_key_setup::core::watch::PasteAccess;
use egui_kittest::kittest::Queryable as _;

#[test]
fn where_macos_will_ask_the_watcher_waits_for_the_notice_to_be_shown() {
    let key = keys::made_up("sk-proj-", &keys::chars(74, 61), &keys::chars(74, 62));
    let clipboard = fakes::FakeClipboard::default();
    clipboard.set(&key);
    let services = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        clipboard,
    );
    let mut h = ui::harness(services, [1280.0, 800.0]);
    // The first frame, on the first step, watched nothing.
    assert_ne!(h.state().clip, ClipStatus::Watching);
    h.state_mut().paste_access = PasteAccess::Ask;
    h.state_mut().progress.selected_step = StepId::Key;
    // The next frame decides to watch before it draws: it must wait for the notice.
    h.step();
    assert_ne!(
        h.state().clip,
        ClipStatus::Watching,
        "the watcher was started before the notice was shown"
    );
    assert!(h.state().key.is_none());
    h.get_by_label_contains("macOS will ask whether AAAI Key Setup may paste");
    assert!(h.state().paste_notice_shown);
    // Shown once: now the watcher reads, and the copied key is seen.
    ui::step_until(&mut h, |app| app.key.is_some());
    assert_eq!(h.state().clip, ClipStatus::Watching);
}

/// A session that opens with a saved key: the watcher still looks for a new key, so the
/// notice shows in the key strip first, and then a newly copied key is offered.
#[test]
fn with_a_saved_key_the_notice_shows_and_then_a_new_key_is_seen() {
    let saved = keys::made_up("sk-proj-", &keys::chars(74, 63), &keys::chars(74, 64));
    let copied = keys::made_up("sk-proj-", &keys::chars(74, 65), &keys::chars(74, 66));
    let clipboard = fakes::FakeClipboard::default();
    clipboard.set(&copied);
    let mut services = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        clipboard,
    );
    let vault = fakes::FakeVault::default();
    *vault.stored.lock().expect("lock") = match aaai_key_setup::core::key::scan(&saved).result {
        aaai_key_setup::core::key::Recognition::Key(k) => Some(k),
        _ => panic!("the made-up key is not recognised"),
    };
    services.vault = std::sync::Arc::new(vault);
    let mut h = ui::harness(services, [1024.0, 720.0]);
    h.state_mut().paste_access = PasteAccess::Ask;
    ui::step_until(&mut h, |app| app.key.is_some());
    h.get_by_label_contains("macOS will ask whether AAAI Key Setup may paste");
    ui::step_until(&mut h, |app| app.offered.is_some());
    assert!(h.state().paste_notice_shown);
}
