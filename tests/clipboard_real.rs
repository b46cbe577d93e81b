//! The real X clipboard (Xvfb, xclip): the watcher sees a copy through XFixes events, well
//! within the old 400 ms poll, and reads a large clipboard only as a bounded prefix (1 MiB),
//! however much is on it; the app binary, told to stop by SIGTERM, SIGINT or SIGHUP, clears
//! the key it captured from the clipboard and the primary selection as a normal close does,
//! then ends with 128 + the signal's number.
#![cfg(target_os = "linux")]

#[path = "support/keys.rs"]
mod keys;
#[path = "support/mod.rs"]
mod support;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aaai_key_setup::adapters::clipboard::{
    ClipEvent, ClipboardWatcher, READ_LIMIT, SystemClipboard, Watcher,
};
use aaai_key_setup::core::key::Recognition;

fn project_key(seed: u64) -> String {
    keys::made_up(
        "sk-proj-",
        &keys::chars(74, seed),
        &keys::chars(74, seed + 1),
    )
}

fn set_clipboard(text: &str) {
    set_selection("clipboard", text);
}

fn set_selection(selection: &str, text: &str) {
    let mut child = Command::new("xclip")
        .args(["-selection", selection])
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
    assert!(
        next_within(&w, Duration::from_secs(5)).is_some(),
        "no first event"
    );
    w
}

#[test]
fn a_copy_is_seen_by_events_within_200_ms_each_time() {
    if !support::require(&["xclip"], true) {
        return;
    }
    let _turn = CLIPBOARD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    set_clipboard("something else");
    let w = watcher();
    assert_eq!(w.watcher(), Some(Watcher::X11Events));
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
    let _turn = CLIPBOARD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
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
    assert_eq!(
        result,
        Recognition::Nothing,
        "text past the limit was searched"
    );
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

fn selection(selection: &str) -> Option<String> {
    let out = Command::new("timeout")
        .args(["5", "xclip", "-selection", selection, "-o"])
        .output()
        .expect("xclip -o");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The app binary in a window, watching the clipboard from the start, with no keyring (the key
/// is kept for the session), until `signal` ends it; the key copied meanwhile must be gone from
/// the clipboard and the primary selection afterwards.
fn a_signal_clears_the_captured_key(signal: &str, number: i32, seed: u64) {
    if !support::require(&["xclip", "xdotool"], true) {
        return;
    }
    let _turn = CLIPBOARD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    set_clipboard("(emptied by the test)");
    let home = tempfile::tempdir().expect("home");
    let config = home.path().join("config/aaai-key-setup");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("progress.json"),
        r#"{"version":1,"checklist":{"marks":{},"confirmed":false},"selected_step":"key","watch":"on"}"#,
    )
    .expect("progress");
    let mut app = Command::new(support::app_binary())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DISPLAY", std::env::var_os("DISPLAY").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_RUNTIME_DIR", home.path())
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .env("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
        .env("AAAI_KEY_SETUP_TRACE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the app");
    let stderr = app.stderr.take().expect("stderr");
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let wait_for = |needle: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(e) => panic!("no line with {needle:?}: {e}"),
            }
        }
    };
    wait_for("clipboard watching");
    let key = project_key(seed);
    set_selection("primary", &key);
    set_clipboard(&key);
    wait_for("key captured");
    assert_eq!(selection("clipboard").as_deref(), Some(key.as_str()));
    let pid = app.id().to_string();
    assert!(
        Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("kill")
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = app.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = app.kill();
            panic!("the app did not end after SIG{signal}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    eprintln!("SIG{signal}: the app ended with {status:?}");
    // After its clean-up it ends as shells expect of a program a signal stopped: 128 + the
    // signal's number.
    assert_eq!(
        status.code(),
        Some(128 + number),
        "SIG{signal}: the wrong exit code"
    );
    assert_ne!(
        selection("clipboard").as_deref(),
        Some(key.as_str()),
        "the key stayed on the clipboard after SIG{signal}"
    );
    assert_ne!(
        selection("primary").as_deref(),
        Some(key.as_str()),
        "the key stayed in the primary selection after SIG{signal}"
    );
}

#[test]
fn sigterm_clears_the_key_from_the_clipboard_and_the_primary_selection() {
    a_signal_clears_the_captured_key("TERM", 15, 400);
}

#[test]
fn sigint_clears_the_key_from_the_clipboard_and_the_primary_selection() {
    a_signal_clears_the_captured_key("INT", 2, 402);
}

#[test]
fn sighup_clears_the_key_from_the_clipboard_and_the_primary_selection() {
    a_signal_clears_the_captured_key("HUP", 1, 404);
}
