//! Unit tests of the clipboard watcher, over clipboards kept in memory.

use std::sync::{Arc, Mutex};

use super::*;
use crate::core::key::test_keys::{made_up, recognised};

/// A clipboard in memory, shared with the test.
#[derive(Clone, Default)]
struct Fake(Arc<Mutex<Option<String>>>);

impl ClipboardSource for Fake {
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError> {
        let guard = self.0.lock().map_err(|_| ClipError::Busy)?;
        guard.clone().map(Zeroizing::new).ok_or(ClipError::NoText)
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        *self.0.lock().map_err(|_| ClipError::Busy)? = None;
        Ok(())
    }
    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError> {
        *self.0.lock().map_err(|_| ClipError::Busy)? = Some(text.to_owned());
        Ok(())
    }
}

fn key_text() -> String {
    made_up("sk-proj-", &"Ab1".repeat(20), &"Zy9".repeat(20))
}

/// A watcher over `clipboard`, a clipboard in memory whose clones share its content, so the
/// test keeps a handle on what the watcher sees.
fn watching<C: ClipboardSource + Clone + Send + 'static>(clipboard: &C) -> ClipboardWatcher {
    let c = clipboard.clone();
    ClipboardWatcher::start(
        Box::new(move || Ok(Box::new(c.clone()) as Box<dyn ClipboardSource>)),
        || {},
    )
    .expect("thread")
}

/// A watcher over `clipboard`, which is empty: switched on, and its first event (no text)
/// checked.
fn watching_empty<C: ClipboardSource + Clone + Send + 'static>(clipboard: &C) -> ClipboardWatcher {
    let w = watching(clipboard);
    w.set_active(true);
    assert!(matches!(next(&w), ClipEvent::NoText));
    w
}

fn next(w: &ClipboardWatcher) -> ClipEvent {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(e) = w.try_event() {
            return e;
        }
        assert!(Instant::now() < deadline, "no event");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn sees_a_key_then_clears_it_only_while_it_is_there() {
    let fake = Fake::default();
    let w = watching_empty(&fake);
    *fake.0.lock().expect("lock") = Some(format!("  {}\n", key_text()));
    let ClipEvent::Scanned {
        result: Recognition::Key(key),
        ..
    } = next(&w)
    else {
        panic!("no key")
    };
    assert_eq!(key.expose_secret(), key_text());
    // Unchanged content: no further event.
    std::thread::sleep(POLL_INTERVAL * 2);
    assert!(w.try_event().is_none());
    // Something else copied: a clear request leaves it alone.
    *fake.0.lock().expect("lock") = Some(String::from("shopping list"));
    assert!(matches!(
        next(&w),
        ClipEvent::Scanned {
            result: Recognition::Nothing,
            ..
        }
    ));
    w.clear_if_holds(key.clone());
    assert!(matches!(next(&w), ClipEvent::Cleared { removed: false }));
    assert_eq!(
        fake.0.lock().expect("lock").as_deref(),
        Some("shopping list")
    );
    *fake.0.lock().expect("lock") = Some(key_text());
    assert!(matches!(next(&w), ClipEvent::Scanned { .. }));
    w.clear_if_holds(key);
    assert!(matches!(next(&w), ClipEvent::Cleared { removed: true }));
    assert!(fake.0.lock().expect("lock").is_none());
}

/// A clipboard with a change counter that counts how often its text is read.
#[derive(Clone, Default)]
struct Counted {
    text: Arc<Mutex<Option<String>>>,
    count: Arc<Mutex<u64>>,
    reads: Arc<Mutex<u32>>,
}

impl Counted {
    fn copy(&self, text: &str) {
        *self.text.lock().expect("lock") = Some(text.to_owned());
        *self.count.lock().expect("lock") += 1;
    }
    fn reads(&self) -> u32 {
        *self.reads.lock().expect("lock")
    }
}

impl ClipboardSource for Counted {
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError> {
        *self.reads.lock().map_err(|_| ClipError::Busy)? += 1;
        let guard = self.text.lock().map_err(|_| ClipError::Busy)?;
        guard.clone().map(Zeroizing::new).ok_or(ClipError::NoText)
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        *self.text.lock().map_err(|_| ClipError::Busy)? = None;
        *self.count.lock().map_err(|_| ClipError::Busy)? += 1;
        Ok(())
    }
    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError> {
        self.copy(text);
        Ok(())
    }
    fn change_count(&mut self) -> Option<u64> {
        self.count.lock().ok().map(|c| *c)
    }
}

#[test]
fn with_a_change_counter_the_text_is_read_only_when_it_moved() {
    let clip = Counted::default();
    let w = watching_empty(&clip);
    assert_eq!(clip.reads(), 1);
    // Several polls with the counter still: no further read.
    std::thread::sleep(POLL_INTERVAL * 3);
    assert_eq!(clip.reads(), 1);
    clip.copy(&key_text());
    assert!(matches!(
        next(&w),
        ClipEvent::Scanned {
            result: Recognition::Key(_),
            ..
        }
    ));
    assert_eq!(clip.reads(), 2);
    std::thread::sleep(POLL_INTERVAL * 3);
    assert_eq!(clip.reads(), 2);
    assert!(w.try_event().is_none());
    // Switching the watch off and on again looks at the content afresh.
    w.set_active(false);
    w.set_active(true);
    assert!(matches!(next(&w), ClipEvent::Scanned { .. }));
    assert_eq!(clip.reads(), 3);
}

#[test]
fn no_clipboard_is_reported_once() {
    let w = ClipboardWatcher::start(
        Box::new(|| Err(ClipError::Unavailable(String::from("none")))),
        || {},
    )
    .expect("thread");
    w.set_active(true);
    assert!(matches!(next(&w), ClipEvent::Unavailable(_)));
    std::thread::sleep(POLL_INTERVAL * 3);
    assert!(w.try_event().is_none());
}

#[test]
fn inactive_watcher_reads_nothing() {
    let fake = Fake(Arc::new(Mutex::new(Some(key_text()))));
    let w = watching(&fake);
    std::thread::sleep(POLL_INTERVAL * 2);
    assert!(w.try_event().is_none());
    w.set_active(true);
    assert!(matches!(
        next(&w),
        ClipEvent::Scanned {
            result: Recognition::Key(_),
            ..
        }
    ));
}

/// A clipboard whose reads fail (busy) a given number of times before they work; its clones
/// share the count.
#[derive(Clone)]
struct Flaky {
    inner: Fake,
    failures_left: Arc<Mutex<u32>>,
}

impl ClipboardSource for Flaky {
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError> {
        let mut left = self.failures_left.lock().map_err(|_| ClipError::Busy)?;
        if *left > 0 {
            *left -= 1;
            return Err(ClipError::Busy);
        }
        drop(left);
        self.inner.text()
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        self.inner.clear()
    }
    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError> {
        self.inner.set_sensitive(text)
    }
}

fn flaky_watcher(fake: &Fake, failures: u32) -> ClipboardWatcher {
    watching(&Flaky {
        inner: fake.clone(),
        failures_left: Arc::new(Mutex::new(failures)),
    })
}

fn the_key() -> ApiKey {
    recognised(&key_text())
}

#[test]
fn a_clipboard_that_cannot_be_read_is_not_called_someone_elses() {
    let fake = Fake(Arc::new(Mutex::new(Some(key_text()))));
    let w = flaky_watcher(&fake, u32::MAX);
    w.clear_if_holds(the_key());
    let event = next(&w);
    assert!(
        matches!(event, ClipEvent::ClearFailed),
        "a failed read must not count as 'not ours': {event:?}"
    );
    assert_eq!(
        fake.0.lock().expect("lock").as_deref(),
        Some(key_text().as_str())
    );
}

#[test]
fn a_passing_read_failure_is_retried_and_the_key_cleared() {
    let fake = Fake(Arc::new(Mutex::new(Some(key_text()))));
    let w = flaky_watcher(&fake, CLEAR_ATTEMPTS - 1);
    w.clear_if_holds(the_key());
    let event = next(&w);
    assert!(
        matches!(event, ClipEvent::Cleared { removed: true }),
        "{event:?}"
    );
    assert!(fake.0.lock().expect("lock").is_none());
}

#[test]
fn a_long_text_that_contains_the_key_is_left_alone() {
    // Only the key itself (with the whitespace a copy adds) counts as ours; a long text
    // that contains it is the user's and is left alone.
    let big = format!("{}\n{}", "notes ".repeat(1 << 20), key_text());
    let fake = Fake(Arc::new(Mutex::new(Some(big.clone()))));
    let w = flaky_watcher(&fake, 0);
    w.clear_if_holds(the_key());
    assert!(matches!(next(&w), ClipEvent::Cleared { removed: false }));
    assert_eq!(fake.0.lock().expect("lock").as_deref(), Some(big.as_str()));
}

/// A clipboard with a primary selection, both in memory.
#[derive(Clone, Default)]
struct WithPrimary {
    clipboard: Fake,
    primary: Fake,
}

impl ClipboardSource for WithPrimary {
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError> {
        self.clipboard.text()
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        self.clipboard.clear()
    }
    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError> {
        self.clipboard.set_sensitive(text)
    }
    fn primary_prefix(&mut self, limit: usize) -> Result<(Zeroizing<String>, bool), ClipError> {
        Ok(cut(self.primary.text()?, limit))
    }
    fn clear_primary(&mut self) -> Result<(), ClipError> {
        self.primary.clear()
    }
}

#[test]
fn a_clear_also_empties_the_primary_selection_only_while_it_holds_the_key() {
    let both = WithPrimary::default();
    *both.clipboard.0.lock().expect("lock") = Some(key_text());
    *both.primary.0.lock().expect("lock") = Some(format!("{}\n", key_text()));
    let w = watching(&both);
    w.clear_if_holds(the_key());
    assert!(matches!(next(&w), ClipEvent::Cleared { removed: true }));
    assert!(both.primary.0.lock().expect("lock").is_none());
    // Something else selected since: left alone, as is the user's text on the clipboard.
    *both.clipboard.0.lock().expect("lock") = Some(String::from("a note"));
    *both.primary.0.lock().expect("lock") = Some(String::from("a word"));
    w.clear_if_holds(the_key());
    assert!(matches!(next(&w), ClipEvent::Cleared { removed: false }));
    assert_eq!(
        both.primary.0.lock().expect("lock").as_deref(),
        Some("a word")
    );
}

#[test]
fn a_desktop_that_offers_no_clipboard_is_said_once_and_not_asked_again() {
    let opens = Arc::new(Mutex::new(0_u32));
    let counted = Arc::clone(&opens);
    let w = ClipboardWatcher::start(
        Box::new(move || {
            *counted.lock().expect("lock") += 1;
            Err(ClipError::NotOffered(String::from("none here")))
        }),
        || {},
    )
    .expect("thread");
    w.set_active(true);
    assert!(matches!(next(&w), ClipEvent::Unavailable(_)));
    assert_eq!(w.watcher(), Some(Watcher::None));
    // Longer than the retry after an unreachable clipboard: no second try, no second event.
    std::thread::sleep(RETRY_UNAVAILABLE + POLL_INTERVAL * 2);
    assert!(w.try_event().is_none());
    assert_eq!(*opens.lock().expect("lock"), 1);
}
