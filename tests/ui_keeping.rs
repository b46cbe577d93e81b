//! Headless UI flows for keeping the key: the keyring (a fake here; the real Secret Service is
//! tested in keyring_real.rs), the hand-off to AAAI with its auto-clear, and the final screen.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/ui.rs"]
mod ui;

use ui::{harness, paste_key, step_until};

use std::sync::Arc;

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, Screen, Services, VaultState};
use aaai_key_setup::core::checklist::{ItemId, Mark};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn project_key() -> String {
    keys::made_up("sk-proj-", &keys::chars(74, 41), &keys::chars(74, 42))
}

fn services(vault: Arc<fakes::FakeVault>, clipboard: fakes::FakeClipboard) -> Services {
    let mut s = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        clipboard,
    );
    s.vault = vault;
    s
}

#[test]
fn a_captured_key_is_saved_and_loaded_on_the_next_start() {
    let vault = Arc::new(fakes::FakeVault::default());
    let mut h = harness(
        services(Arc::clone(&vault), fakes::FakeClipboard::default()),
        [1280.0, 800.0],
    );
    step_until(&mut h, |app| app.vault == VaultState::Empty);
    paste_key(&mut h, &project_key());
    step_until(&mut h, |app| app.vault == VaultState::Stored);
    // OpenAI could not be reached here: a key not known to work is kept, but not ticked.
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::KeySavedSafely),
        Mark::NotYet
    );
    h.get_by_label("kept in the test keyring");
    assert_eq!(
        vault
            .stored
            .lock()
            .expect("lock")
            .as_ref()
            .map(|k| k.expose_secret().to_owned()),
        Some(project_key())
    );
    drop(h);

    let mut h = harness(
        services(Arc::clone(&vault), fakes::FakeClipboard::default()),
        [1280.0, 800.0],
    );
    step_until(&mut h, |app| app.key.is_some());
    let key = project_key();
    h.get_by_label(&format!("project key sk-proj-…{}", &key[key.len() - 4..]));
    assert_eq!(h.state().vault, VaultState::Stored);
}

#[test]
fn forgetting_asks_first() {
    let vault = Arc::new(fakes::FakeVault::default());
    let mut h = harness(
        services(Arc::clone(&vault), fakes::FakeClipboard::default()),
        [1280.0, 800.0],
    );
    paste_key(&mut h, &project_key());
    step_until(&mut h, |app| app.vault == VaultState::Stored);
    ui::key_menu(&mut h, "Forget saved key…");
    h.get_by_label("Keep it").click();
    h.run();
    assert!(vault.stored.lock().expect("lock").is_some());
    ui::key_menu(&mut h, "Forget saved key…");
    h.get_by_label("Yes, forget it").click();
    step_until(&mut h, |app| app.vault == VaultState::Empty);
    assert!(vault.stored.lock().expect("lock").is_none());
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::KeySavedSafely),
        Mark::NotYet
    );
}

#[test]
fn a_missing_keyring_is_explained_and_the_session_goes_on() {
    let vault = Arc::new(fakes::FakeVault {
        missing: true,
        ..fakes::FakeVault::default()
    });
    let mut h = harness(
        services(vault, fakes::FakeClipboard::default()),
        [1280.0, 800.0],
    );
    paste_key(&mut h, &project_key());
    step_until(&mut h, |app| matches!(app.vault, VaultState::Failed(_)));
    h.get_by_label_contains("No keyring is available on this computer");
    h.get_by_label("Continue without saving").click();
    h.run();
    assert_eq!(h.state().vault, VaultState::SessionOnly);
    h.get_by_label_contains("Kept in memory for this session only");
    assert!(h.state().key.is_some());
}

fn confirmed_with_key(clipboard: fakes::FakeClipboard) -> Harness<'static, App> {
    let mut h = harness(
        services(Arc::new(fakes::FakeVault::default()), clipboard),
        [1280.0, 800.0],
    );
    paste_key(&mut h, &project_key());
    step_until(&mut h, |app| app.vault == VaultState::Stored);
    for item in [
        ItemId::SignedIn,
        ItemId::KeyCreated,
        ItemId::KeyCopied,
        ItemId::KeySavedSafely,
        ItemId::PaymentMethod,
        ItemId::SpendLimit,
    ] {
        h.state_mut().progress.checklist.set(item, Mark::Done);
    }
    for item in [ItemId::RightOrganization, ItemId::Credits, ItemId::Verified] {
        h.state_mut().progress.checklist.set(item, Mark::NotNeeded);
    }
    h.state_mut().screen = Screen::FinalChecklist;
    h.run();
    h.get_by_label_contains("Your key: project key sk-proj-…");
    h.get_by_label("Confirm").click();
    h.run();
    assert!(h.state().progress.checklist.confirmed);
    h
}

#[test]
fn copy_for_aaai_then_clear_after_the_timeout() {
    let clipboard = fakes::FakeClipboard::default();
    let mut h = confirmed_with_key(clipboard.clone());
    h.state_mut().progress.clear_after_secs = 1;
    h.get_by_label("Copy key for AAAI").click();
    step_until(&mut h, |app| {
        app.handoff.as_ref().is_some_and(|x| x.until.is_some())
    });
    assert_eq!(
        clipboard.0.lock().expect("lock").clone(),
        Some(project_key())
    );
    h.get_by_label_contains("Your key is on the clipboard: paste it into AAAI now");
    step_until(&mut h, |_| clipboard.0.lock().expect("lock").is_none());
    assert!(h.state().handoff.is_none());
}

#[test]
fn something_else_copied_before_the_timeout_is_left_alone() {
    let clipboard = fakes::FakeClipboard::default();
    let mut h = confirmed_with_key(clipboard.clone());
    h.state_mut().progress.clear_after_secs = 1;
    h.get_by_label("Copy key for AAAI").click();
    step_until(&mut h, |app| {
        app.handoff.as_ref().is_some_and(|x| x.until.is_some())
    });
    clipboard.set("my blog post title");
    step_until(&mut h, |app| app.handoff.is_none());
    step_until(&mut h, |app| app.clip_note.is_some());
    assert_eq!(
        clipboard.0.lock().expect("lock").as_deref(),
        Some("my blog post title")
    );
}

#[test]
fn clear_now_and_the_support_report() {
    let clipboard = fakes::FakeClipboard::default();
    let mut h = confirmed_with_key(clipboard.clone());
    h.get_by_label("Copy key for AAAI").click();
    step_until(&mut h, |app| {
        app.handoff.as_ref().is_some_and(|x| x.until.is_some())
    });
    h.get_by_label("Clear now").click();
    step_until(&mut h, |_| clipboard.0.lock().expect("lock").is_none());
    h.get_by_label("Copy a support report").click();
    h.run();
    let (report, _) = h.state().copied.clone().expect("report copied");
    let key = project_key();
    assert!(
        report.contains(&format!("sk-proj-…{}", &key[key.len() - 4..])),
        "{report}"
    );
    assert!(!report.contains(&key), "the report holds the key");
}

fn earlier_key() -> String {
    keys::made_up("sk-proj-", &keys::chars(74, 45), &keys::chars(74, 46))
}

fn recognised(text: &str) -> aaai_key_setup::core::key::ApiKey {
    match aaai_key_setup::core::key::scan(text).result {
        aaai_key_setup::core::key::Recognition::Key(k) => k,
        _ => panic!("the made-up key is not recognised"),
    }
}

/// The keyring is locked at start, so the key saved in an earlier session is never read; a new
/// key is pasted, saving fails (locked), the user unlocks and clicks "Try again". The saved key
/// must not be written over without a yes.
fn locked_then_unlocked(yes: bool) -> (Arc<fakes::FakeVault>, Harness<'static, App>) {
    let vault = Arc::new(fakes::FakeVault::default());
    *vault.stored.lock().expect("lock") = Some(recognised(&earlier_key()));
    vault
        .locked
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let mut h = harness(
        services(Arc::clone(&vault), fakes::FakeClipboard::default()),
        [1024.0, 720.0],
    );
    step_until(&mut h, |app| matches!(app.vault, VaultState::Failed(_)));
    paste_key(&mut h, &project_key());
    step_until(&mut h, |app| {
        app.key.is_some() && matches!(app.vault, VaultState::Failed(_))
    });
    vault
        .locked
        .store(false, std::sync::atomic::Ordering::SeqCst);
    h.get_by_label("Try again").click();
    step_until(&mut h, |app| matches!(app.vault, VaultState::HoldsOther(_)));
    let masked = recognised(&earlier_key()).masked();
    h.get_by_label(&format!(
        "Your keyring already holds another key, {masked}, saved before."
    ));
    assert_eq!(
        vault.stored.lock().expect("lock").as_ref(),
        Some(&recognised(&earlier_key())),
        "the saved key was replaced before the user answered"
    );
    let answer = if yes {
        "Replace the saved key"
    } else {
        "Keep the saved key"
    };
    h.get_by_label(answer).click();
    step_until(&mut h, |app| {
        matches!(app.vault, VaultState::Stored | VaultState::SessionOnly)
    });
    (vault, h)
}

#[test]
fn a_saved_key_the_window_never_read_is_not_replaced_without_a_yes() {
    let (vault, h) = locked_then_unlocked(false);
    assert_eq!(h.state().vault, VaultState::SessionOnly);
    assert_eq!(
        vault.stored.lock().expect("lock").as_ref(),
        Some(&recognised(&earlier_key()))
    );
    let (vault, h) = locked_then_unlocked(true);
    assert_eq!(h.state().vault, VaultState::Stored);
    assert_eq!(
        vault.stored.lock().expect("lock").as_ref(),
        Some(&recognised(&project_key()))
    );
}
