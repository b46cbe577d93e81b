//! The clipboard watcher under real Wayland compositors, headless: sway (wlroots, with the
//! data-control protocol) where a key copied with `wl-copy` is captured, and Weston with no
//! XWayland, which offers apps no clipboard: the watcher says so once and stops.
//!
//! The watcher reads `WAYLAND_DISPLAY` and `DISPLAY` from its process, so each test runs its
//! watcher in a child process (this same test binary, started again with those variables).
#![cfg(target_os = "linux")]

#[path = "support/keys.rs"]
mod keys;
#[path = "support/mod.rs"]
mod support;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use aaai_key_setup::adapters::clipboard::{ClipEvent, ClipboardWatcher, SystemClipboard};
use aaai_key_setup::core::key::Recognition;

/// Set in the child: which part to play.
const CHILD: &str = "AAAI_TEST_WAYLAND_CHILD";

fn project_key() -> String {
    keys::made_up("sk-proj-", &keys::chars(74, 500), &keys::chars(74, 501))
}

/// A compositor, ended on drop.
struct Compositor(Child);

impl Drop for Compositor {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `cmd` and wait for its Wayland socket in `run`; the socket's name.
fn start(mut cmd: Command, run: &Path) -> (Compositor, String) {
    let child = cmd
        .env("XDG_RUNTIME_DIR", run)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the compositor");
    let compositor = Compositor(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let socket = std::fs::read_dir(run).ok().and_then(|entries| {
            entries
                .map_while(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.starts_with("wayland-") && !n.ends_with(".lock"))
        });
        if let Some(socket) = socket {
            return (compositor, socket);
        }
        assert!(Instant::now() < deadline, "the compositor made no socket");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn runtime_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("runtime dir");
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .expect("runtime dir mode");
    dir
}

/// This test binary again, as the child playing `part`, on `socket` with no X display; its
/// stdout lines arrive on the channel.
fn start_child(part: &str, run: &Path, socket: &str) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(CHILD, part)
        .env("XDG_RUNTIME_DIR", run)
        .env("WAYLAND_DISPLAY", socket)
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the child");
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

fn expect_line(lines: &mpsc::Receiver<String>, prefix: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            // libtest may print "test child ... " in front of the first line.
            Ok(line) if line.contains(prefix) => {
                let at = line.find(prefix).unwrap_or_default();
                return line[at..].to_owned();
            }
            Ok(_) => {}
            Err(e) => panic!("no line starting {prefix:?}: {e}"),
        }
    }
}

fn next_event(w: &ClipboardWatcher, within: Duration) -> Option<ClipEvent> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(e) = w.try_event() {
            return Some(e);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// The child's part: watch, say which watcher runs and what it saw.
#[test]
fn child() {
    let Ok(part) = std::env::var(CHILD) else {
        return;
    };
    let w = ClipboardWatcher::start(SystemClipboard::factory(), || {}).expect("thread");
    w.set_active(true);
    let first = next_event(&w, Duration::from_secs(10));
    println!("watcher {:?}", w.watcher());
    match part.as_str() {
        "capture" => loop {
            match next_event(&w, Duration::from_secs(20)) {
                Some(ClipEvent::Scanned {
                    result: Recognition::Key(key),
                    ..
                }) => {
                    println!("captured {}", key.masked());
                    return;
                }
                Some(_) => {}
                None => {
                    println!("nothing captured");
                    return;
                }
            }
        },
        _ => {
            if let Some(ClipEvent::Unavailable(reason)) = first {
                println!("unavailable {reason}");
            }
            // Said once: nothing more comes, however long it waits.
            let more = next_event(&w, Duration::from_secs(7));
            println!(
                "afterwards {}",
                if more.is_some() { "more" } else { "quiet" }
            );
        }
    }
}

#[test]
fn under_sway_a_key_copied_with_wl_copy_is_captured_through_data_control() {
    if std::env::var_os(CHILD).is_some() || !support::require(&["sway", "wl-copy"], false) {
        return;
    }
    let run = runtime_dir();
    // sway refuses to run as root: there it runs as nobody, in a runtime dir of its own.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let mut sway = if root {
        std::os::unix::fs::chown(run.path(), Some(65534), Some(65534)).expect("chown");
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "sway"]);
        c
    } else {
        Command::new("sway")
    };
    sway.args(["-c", "/dev/null"])
        .env("WLR_BACKENDS", "headless")
        .env("WLR_RENDERER", "pixman")
        .env("WLR_LIBINPUT_NO_DEVICES", "1");
    let (_sway, socket) = start(sway, run.path());
    let (mut watcher, lines) = start_child("capture", run.path(), &socket);
    let line = expect_line(&lines, "watcher ");
    assert_eq!(line, "watcher Some(WaylandDataControl)");
    let key = project_key();
    let mut copy = Command::new("wl-copy")
        .env("XDG_RUNTIME_DIR", run.path())
        .env("WAYLAND_DISPLAY", &socket)
        .stdin(Stdio::piped())
        .spawn()
        .expect("wl-copy");
    copy.stdin
        .take()
        .expect("stdin")
        .write_all(key.as_bytes())
        .expect("write to wl-copy");
    assert!(copy.wait().expect("wl-copy ends").success());
    let line = expect_line(&lines, "captured ");
    assert!(line.ends_with(&key[key.len() - 4..]), "{line}");
    assert!(!line.contains(&key), "the key was printed");
    let _ = watcher.wait();
}

#[test]
fn under_weston_without_xwayland_the_watcher_says_it_cannot_watch_and_stops() {
    if std::env::var_os(CHILD).is_some() || !support::require(&["weston"], false) {
        return;
    }
    let run = runtime_dir();
    let mut weston = Command::new("weston");
    weston.args([
        "--backend=headless-backend.so",
        "--socket=wayland-weston",
        "--no-config",
        "--idle-time=0",
    ]);
    let (_weston, socket) = start(weston, run.path());
    let (mut watcher, lines) = start_child("none", run.path(), &socket);
    assert_eq!(expect_line(&lines, "watcher "), "watcher Some(None)");
    let line = expect_line(&lines, "unavailable ");
    assert!(
        line.contains("doesn't let apps watch the clipboard"),
        "{line}"
    );
    assert_eq!(expect_line(&lines, "afterwards "), "afterwards quiet");
    let _ = watcher.wait();
}
