//! Headless UI checks that hostile or clumsy conditions neither crash the window nor mislead
//! the user: a clock-overflowing auto-clear time, a clipboard that cannot be read when the key
//! should be cleared from it.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/ui.rs"]
mod ui;

use ui::{harness, paste_key, step_until};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use aaai_key_setup::adapters::clipboard::{ClipError, ClipboardSource};
use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, Intent, Services};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use zeroize::Zeroizing;

fn project_key() -> String {
    keys::made_up("sk-proj-", &keys::chars(74, 31), &keys::chars(74, 32))
}

/// The fake clipboard, with a switch that makes every read fail as a busy clipboard does.
#[derive(Clone, Default)]
struct Breakable {
    inner: fakes::FakeClipboard,
    broken: Arc<AtomicBool>,
}

impl ClipboardSource for Breakable {
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError> {
        if self.broken.load(Ordering::SeqCst) {
            return Err(ClipError::Busy);
        }
        self.inner.text()
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        self.inner.clear()
    }
    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError> {
        self.inner.set_sensitive(text)
    }
}

fn services(clipboard: Breakable) -> Services {
    let mut s = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        fakes::FakeClipboard::default(),
    );
    s.clipboard = Some(Box::new(move || {
        Ok(Box::new(clipboard.clone()) as Box<dyn ClipboardSource>)
    }));
    s
}

/// The words of the clipboard note, once there is one.
fn clip_note_text(h: &Harness<'static, App>) -> String {
    h.state()
        .clip_note
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

#[test]
fn an_auto_clear_time_that_overflows_the_clock_clears_at_once_instead_of_crashing() {
    let clipboard = Breakable::default();
    let mut h = harness(services(clipboard.clone()), [1280.0, 800.0]);
    paste_key(&mut h, &project_key());
    h.state_mut().progress.clear_after_secs = u64::MAX;
    h.state_mut().apply(vec![Intent::CopyForAaai]);
    // Copied, then cleared straight away (the key is on the clipboard only for an instant, so
    // the test waits for the outcome rather than trying to catch it there).
    step_until(&mut h, |app| app.clip_note.is_some());
    let note = clip_note_text(&h);
    assert!(note.contains("no longer on the clipboard"), "{note}");
    assert!(clipboard.inner.0.lock().expect("lock").is_none());
    assert!(h.state().handoff.is_none());
}

#[test]
fn a_clipboard_that_cannot_be_read_is_reported_as_unchecked() {
    let clipboard = Breakable::default();
    let mut h = harness(services(clipboard.clone()), [1280.0, 800.0]);
    paste_key(&mut h, &project_key());
    h.state_mut().apply(vec![Intent::CopyForAaai]);
    step_until(&mut h, |app| {
        app.handoff.as_ref().is_some_and(|x| x.until.is_some())
    });
    clipboard.broken.store(true, Ordering::SeqCst);
    h.state_mut().apply(vec![Intent::ClearNow]);
    step_until(&mut h, |app| app.clip_note.is_some());
    let note = clip_note_text(&h);
    assert!(note.contains("could not be checked"), "{note}");
    assert!(!note.contains("something else"), "{note}");
    h.get_by_label_contains("could not be checked");
    // Nothing was cleared behind the user's back, and nothing claims it was.
    assert_eq!(
        clipboard.inner.0.lock().expect("lock").as_deref(),
        Some(project_key().as_str())
    );
}
