//! The clipboard watcher on the real X clipboard (Xvfb, xclip): a copy is seen through XFixes
//! events, well within the old 400 ms poll, and a large clipboard is read only as a bounded
//! prefix (1 MiB), however much is on it.
#![cfg(target_os = "linux")]

#[path = "support/mod.rs"]
mod support;
#[path = "support/keys.rs"]
mod keys;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aaai_key_setup::adapters::clipboard::{
    ClipEvent, ClipboardWatcher, READ_LIMIT, SystemClipboard, WatchMode,
};
use aaai_key_setup::core::key::Recognition;

fn project_key(seed: u64) -> String {
    keys::made_up("sk-proj-", &keys::chars(74, seed), &keys::chars(74, seed + 1))
}

fn set_clipboard(text: &str) {
    let mut child = Command::new("xclip")
        .args(["-selection", "clipboard"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xclip");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write to xclip");
    assert!(child.wait().expect("xclip ends").success());
}

/// The next event within `within`, if any.
fn next_within(w: &ClipboardWatcher, within: Duration) -> Option<ClipEvent> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(e) = w.try_event() {
            return Some(e);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The tests share one X clipboard: they take turns.
static CLIPBOARD: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn watcher() -> ClipboardWatcher {
    let w = ClipboardWatcher::start(SystemClipboard::factory(), || {}).expect("thread");
    w.set_active(true);
    // The first look at whatever is there now.
    assert!(next_within(&w, Duration::from_secs(5)).is_some(), "no first event");
    w
}

#[test]
fn a_copy_is_seen_by_events_within_200_ms_each_time() {
    if !support::require(&["xclip"], true) {
        return;
    }
    let _turn = CLIPBOARD.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    set_clipboard("something else");
    let w = watcher();
    assert_eq!(w.mode(), WatchMode::Events);
    // Nothing is read while nothing is copied.
    assert!(next_within(&w, Duration::from_millis(900)).is_none());
    for seed in 0..5 {
        let key = project_key(100 + 2 * seed);
        set_clipboard(&key);
        let copied = Instant::now();
        let event = next_within(&w, Duration::from_millis(200));
        let Some(ClipEvent::Scanned {
            result: Recognition::Key(seen),
            ..
        }) = event
        else {
            panic!("copy {seed} not seen within 200 ms: {event:?}");
        };
        assert_eq!(seen.expose_secret(), key);
        eprintln!("copy {seed} seen after {:?}", copied.elapsed());
    }
}

#[test]
fn a_large_clipboard_is_read_only_up_to_the_limit() {
    if !support::require(&["xclip"], true) {
        return;
    }
    let _turn = CLIPBOARD.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let w = watcher();
    // A key past the first MiB is not looked at; the user is told the text was cut.
    let late = format!("{}{}", "notes ".repeat((5 << 20) / 6), project_key(200));
    assert!(late.len() > READ_LIMIT);
    set_clipboard(&late);
    let event = next_within(&w, Duration::from_secs(5));
    let Some(ClipEvent::Scanned { result, truncated }) = event else {
        panic!("the large copy was not seen: {event:?}");
    };
    assert!(truncated, "more than the limit was read");
    assert_eq!(result, Recognition::Nothing, "text past the limit was searched");
    // A key at the start of 50 MB is found, from the prefix alone.
    let key = project_key(300);
    let early = format!("{key}\n{}", "x".repeat(50 << 20));
    set_clipboard(&early);
    let event = next_within(&w, Duration::from_secs(10));
    let Some(ClipEvent::Scanned {
        result: Recognition::Key(seen),
        truncated: true,
    }) = event
    else {
        panic!("the key at the start of 50 MB was not found: {event:?}");
    };
    assert_eq!(seen.expose_secret(), key);
}
