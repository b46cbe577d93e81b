//! The app binary in a real window under Xvfb, with the real X clipboard (xclip), the real
//! Secret Service (gnome-keyring in a private D-Bus session) and real HTTP to a local server.
//! The app reports what it did through its trace lines (`AAAI_KEY_SETUP_TRACE`), which carry
//! the key only masked. Where a test must click, it asks a headless replica of the same app, at
//! the same size and in the same state, where the button is.

#![cfg(target_os = "linux")]

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keyring.rs"]
mod keyring;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/models_stub.rs"]
mod models_stub;
mod support;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, CheckState, VaultState};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use keyring::{Session, isolated};
use serde_json::json;

/// The tests share one X clipboard, so they take turns.
static X_CLIPBOARD: Mutex<()> = Mutex::new(());

fn take_turn() -> std::sync::MutexGuard<'static, ()> {
    X_CLIPBOARD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
const PROGRAMS: [&str; 3] = ["xdotool", "xclip", "dbus-run-session"];

fn project_key(seed: u64) -> String {
    keys::made_up(
        "sk-proj-",
        &keys::chars(74, seed),
        &keys::chars(74, seed + 1),
    )
}

fn masked(key: &str) -> String {
    format!("sk-proj-…{}", &key[key.len() - 4..])
}

/// Progress with every step settled and the final checklist confirmed, on the key step.
fn confirmed_progress(home: &Path, clear_after_secs: u64) {
    let dir = home.join("config/aaai-key-setup");
    std::fs::create_dir_all(&dir).expect("config dir");
    let marks = json!({
        "signed_in": "done", "right_organization": "not_needed", "key_created": "done",
        "key_copied": "done", "key_saved_safely": "done", "payment_method": "done",
        "credits": "not_needed", "spend_limit": "done", "verified": "not_needed"
    });
    let progress = json!({
        "version": 1,
        "checklist": {"marks": marks, "confirmed": true},
        "selected_step": "key",
        "watch": "auto",
        "clear_after_secs": clear_after_secs
    });
    std::fs::write(dir.join("progress.json"), progress.to_string()).expect("write progress");
}

/// The app, started for real; its stderr lines arrive on a channel and are all kept.
struct RealApp {
    child: Child,
    lines: Receiver<String>,
    output: Arc<Mutex<String>>,
    window: String,
}

impl RealApp {
    fn start(home: &Path, bus: &str, extra_env: &[(&str, String)]) -> Self {
        // Whatever an earlier test left on the clipboard must not be taken for this one's key.
        set_clipboard("(clipboard emptied by the test)");
        let mut cmd = Command::new(support::app_binary());
        isolated(&mut cmd, home);
        cmd.env("DISPLAY", std::env::var("DISPLAY").expect("DISPLAY"))
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .env("AAAI_KEY_SETUP_TRACE", "1")
            // The free check starts by itself on capture: never against the real OpenAI.
            .env("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start app");
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stderr.take().expect("stderr")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stdout.take().expect("stdout")),
        ] {
            let (tx, output) = (tx.clone(), Arc::clone(&output));
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    output.lock().expect("lock").push_str(&format!("{line}\n"));
                    let _ = tx.send(line);
                }
            });
        }
        let found = Command::new("timeout")
            .args([
                "30",
                "xdotool",
                "search",
                "--sync",
                "--onlyvisible",
                "--pid",
            ])
            .arg(child.id().to_string())
            .arg("--name")
            .arg("AAAI Key Setup")
            .output()
            .expect("xdotool");
        let window = String::from_utf8_lossy(&found.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(!window.is_empty(), "no window appeared");
        Self {
            child,
            lines,
            output,
            window,
        }
    }

    /// Wait for a trace line containing `needle`; returns it and how long it took.
    fn wait_for(&self, needle: &str, timeout: Duration) -> (String, Duration) {
        let start = Instant::now();
        loop {
            let left = timeout.checked_sub(start.elapsed()).unwrap_or_default();
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return (line, start.elapsed()),
                Ok(_) => {}
                Err(_) => panic!(
                    "no line with {needle:?} within {timeout:?}; output so far:\n{}",
                    self.output.lock().expect("lock")
                ),
            }
        }
    }

    /// Wait for trace lines containing each of `needles`, in any order.
    fn wait_for_all(&self, needles: &[&str], timeout: Duration) {
        let start = Instant::now();
        let mut missing: Vec<&str> = needles.to_vec();
        while !missing.is_empty() {
            let left = timeout.checked_sub(start.elapsed()).unwrap_or_default();
            match self.lines.recv_timeout(left) {
                Ok(line) => missing.retain(|n| !line.contains(n)),
                Err(_) => panic!(
                    "no lines with {missing:?} within {timeout:?}; output so far:\n{}",
                    self.output.lock().expect("lock")
                ),
            }
        }
    }

    /// Click the middle of `rect` (window coordinates).
    fn click(&self, rect: egui::Rect) {
        let c = rect.center();
        let status = Command::new("xdotool")
            .args([
                "mousemove",
                "--window",
                &self.window,
                &format!("{}", c.x.round()),
                &format!("{}", c.y.round()),
            ])
            .args(["click", "1"])
            .status()
            .expect("xdotool click");
        assert!(status.success());
        std::thread::sleep(Duration::from_millis(300));
    }

    fn size(&self) -> [f32; 2] {
        let out = Command::new("xdotool")
            .args(["getwindowgeometry", &self.window])
            .output()
            .expect("geometry");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let dims = text
            .split("Geometry: ")
            .nth(1)
            .and_then(|g| g.lines().next())
            .expect("geometry line")
            .to_owned();
        let (w, h) = dims.split_once('x').expect("WxH");
        [
            w.trim().parse().expect("width"),
            h.trim().parse().expect("height"),
        ]
    }

    /// Close the window as a user would and wait for the process to end.
    fn close(mut self) -> String {
        let _ = Command::new("xdotool")
            .args(["windowclose", &self.window])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(200));
        self.output.lock().expect("lock").clone()
    }
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

fn clipboard() -> Option<String> {
    let out = Command::new("timeout")
        .args(["5", "xclip", "-selection", "clipboard", "-o"])
        .output()
        .expect("xclip -o");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A headless replica of the app, in the state the real one is in, to find where things are.
fn replica(
    size: [f32; 2],
    key: &str,
    vault: fakes::FakeVault,
    home: &Path,
) -> Harness<'static, App> {
    let clipboard = fakes::FakeClipboard::default();
    let mut services = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::at(home.join("config/aaai-key-setup/progress.json")),
        clipboard.clone(),
    );
    let stored = vault.missing;
    services.vault = Arc::new(vault);
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(16)
        .build_eframe(move |cc| App::new(cc, services));
    clipboard.set(key);
    let deadline = Instant::now() + Duration::from_secs(10);
    while h.state().key.is_none()
        || matches!(h.state().vault, VaultState::Saving | VaultState::Loading)
        || matches!(h.state().check, CheckState::Running { .. })
    {
        assert!(
            Instant::now() < deadline,
            "the replica did not capture the key"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(matches!(h.state().vault, VaultState::Failed(_)), stored);
    h.run_ok();
    h
}

fn rect_of(h: &Harness<'static, App>, label: &str) -> egui::Rect {
    h.get_by_label(label).rect()
}

fn no_bus(home: &Path) -> String {
    format!("unix:path={}", home.join("no-bus-here").display())
}

#[test]
fn a_key_copied_on_the_x_clipboard_is_recognised_masked_and_ticked() {
    if !support::require(&PROGRAMS, true) {
        return;
    }
    let _turn = take_turn();
    let home = tempfile::tempdir().expect("home");
    confirmed_progress(home.path(), 30);
    let app = RealApp::start(home.path(), &no_bus(home.path()), &[]);
    app.wait_for("clipboard watching", Duration::from_secs(10));

    set_clipboard("just a note, no key in here");
    app.wait_for("clipboard holds no key", Duration::from_secs(5));

    // 5 MB of text: only its first 1 MiB is read and searched (the watcher's `READ_LIMIT`),
    // without freezing the window; no key is in it.
    let mut big = String::with_capacity(5 << 20);
    while big.len() < 5 << 20 {
        big.push_str("lorem ipsum sk- dolor sit amet proj- consectetur ");
    }
    set_clipboard(&big);
    app.wait_for("clipboard holds no key", Duration::from_secs(15));
    let alive = Command::new("xdotool")
        .args(["getwindowname", &app.window])
        .output()
        .expect("xdotool");
    assert!(String::from_utf8_lossy(&alive.stdout).contains("AAAI Key Setup"));

    set_clipboard("\u{2}\u{0}\u{7f}binary-looking\u{1b}[0m");
    app.wait_for("clipboard holds no key", Duration::from_secs(5));

    let key = project_key(7);
    set_clipboard(&format!("\u{feff}  OPENAI_API_KEY=\"{key}\"\r\n"));
    let (line, took) = app.wait_for("key captured", Duration::from_secs(5));
    eprintln!("clipboard change to key recognised: {took:?}");
    assert!(line.contains("kind=project"), "{line}");
    assert!(line.contains(&format!("masked={}", masked(&key))), "{line}");
    let output = app.close();
    assert!(!output.contains(&key), "the key was printed");
    let saved = std::fs::read_to_string(home.path().join("config/aaai-key-setup/progress.json"))
        .expect("progress");
    assert!(
        !saved.contains(&key[10..40]),
        "the key reached the progress file"
    );
}

#[test]
fn copy_for_aaai_puts_the_key_on_the_x_clipboard_and_clears_it() {
    if !support::require(&PROGRAMS, true) {
        return;
    }
    let _turn = take_turn();
    let home = tempfile::tempdir().expect("home");
    // 15 s, the shortest time offered: a saved time that was never offered reads as 30 s.
    confirmed_progress(home.path(), 15);
    let key = project_key(11);
    let app = RealApp::start(home.path(), &no_bus(home.path()), &[]);
    app.wait_for("clipboard watching", Duration::from_secs(10));
    set_clipboard(&key);
    app.wait_for("key captured", Duration::from_secs(5));
    app.wait_for_all(
        &["keyring store failed", "check verdict="],
        Duration::from_secs(10),
    );

    let vault = fakes::FakeVault {
        missing: true,
        location: Some(aaai_key_setup::adapters::vault::location()),
        ..fakes::FakeVault::default()
    };
    let replica_home = tempfile::tempdir().expect("replica home");
    confirmed_progress(replica_home.path(), 15);
    let mut h = replica(app.size(), &key, vault, replica_home.path());
    app.click(rect_of(&h, "Final checklist"));
    h.get_by_label("Final checklist").click();
    h.run();
    let copy = rect_of(&h, "Copy key for AAAI");

    // Copied, then cleared after the timeout.
    app.click(copy);
    app.wait_for("key copied for AAAI ok=true", Duration::from_secs(5));
    assert!(
        clipboard().as_deref() == Some(key.as_str()),
        "the key is not on the X clipboard"
    );
    let (_, took) = app.wait_for("clipboard clear removed=true", Duration::from_secs(20));
    assert!(
        took >= Duration::from_secs(10),
        "cleared too early: {took:?}"
    );
    assert!(
        clipboard().as_deref() != Some(key.as_str()),
        "the key was not cleared"
    );

    // Copied again, then something else copied before "Clear now": left alone.
    app.click(copy);
    app.wait_for("key copied for AAAI ok=true", Duration::from_secs(5));
    set_clipboard("the title of my next post");
    // The replica shows the same countdown, to find "Clear now" where the window has it.
    h.get_by_label("Copy key for AAAI").click();
    let deadline = Instant::now() + Duration::from_secs(10);
    while h.state().handoff.as_ref().is_none_or(|x| x.until.is_none()) {
        assert!(Instant::now() < deadline, "the replica did not copy");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_ok();
    app.click(rect_of(&h, "Clear now"));
    app.wait_for("clipboard clear removed=false", Duration::from_secs(6));
    assert_eq!(clipboard().as_deref(), Some("the title of my next post"));
    let output = app.close();
    assert!(!output.contains(&key), "the key was printed");
}

/// Every file under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_session_leaves_the_key_nowhere_on_disk() {
    if !support::require(
        &[
            "xdotool",
            "xclip",
            "dbus-run-session",
            "gnome-keyring-daemon",
            "dbus-send",
        ],
        true,
    ) {
        return;
    }
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    models_stub::mount_models(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "max_tokens must be at least 1", "type": "invalid_request_error",
            "param": "max_tokens", "code": null}})))
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());

    let key = project_key(23);
    let (output, session) = tokio::task::spawn_blocking({
        let key = key.clone();
        move || {
            let _turn = take_turn();
            let session = Session::start(true);
            let home = session.home.path().to_path_buf();
            confirmed_progress(&home, 30);
            let app = RealApp::start(&home, &session.bus, &[("OPENAI_BASE_URL", base)]);
            app.wait_for("clipboard watching", Duration::from_secs(10));
            // Capture.
            set_clipboard(&format!("{key}\n"));
            app.wait_for("key captured", Duration::from_secs(5));
            // Store (in the real keyring), and the free check that starts by itself on
            // capture, against the local server: in either order.
            app.wait_for_all(
                &["key stored in keyring", "check verdict=ready"],
                Duration::from_secs(20),
            );
            let vault = fakes::FakeVault {
                location: Some(aaai_key_setup::adapters::vault::location()),
                ..fakes::FakeVault::default()
            };
            let replica_home = tempfile::tempdir().expect("replica home");
            confirmed_progress(replica_home.path(), 30);
            let mut h = replica(app.size(), &key, vault, replica_home.path());
            // Copy for AAAI.
            app.click(rect_of(&h, "Final checklist"));
            h.get_by_label("Final checklist").click();
            h.run();
            app.click(rect_of(&h, "Copy key for AAAI"));
            app.wait_for("key copied for AAAI ok=true", Duration::from_secs(5));
            assert!(
                clipboard().as_deref() == Some(key.as_str()),
                "the key is not on the X clipboard"
            );
            // Quit: the key leaves the clipboard with the app.
            let output = app.close();
            assert!(
                clipboard().as_deref() != Some(key.as_str()),
                "the key stayed on the clipboard after quitting"
            );
            assert!(
                session.lookup().as_deref() == Some(key.as_str()),
                "the key is not in the keyring"
            );
            assert_eq!(
                session.items(),
                1,
                "the keyring holds more than the one key"
            );
            (output, session)
        }
    })
    .await
    .expect("session");
    // The key's secret part, and a long piece of it, appear in no file and no output.
    let needles = [key.clone(), key[8..60].to_owned()];
    for needle in &needles {
        assert!(
            !output.contains(needle.as_str()),
            "the process printed the key"
        );
    }
    let files = files_under(session.home.path());
    assert!(
        files.iter().any(|f| f.ends_with("progress.json")),
        "no progress file: {files:?}"
    );
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        for needle in &needles {
            assert!(
                !text.contains(needle.as_str()),
                "the key reached {}",
                file.display()
            );
        }
    }
    eprintln!(
        "checked {} files and the process output: no key",
        files.len()
    );
    drop(session);
}

/// A headless replica that checks against the same server as the real window, so both show
/// the same findings (and the same layout).
fn replica_against(
    size: [f32; 2],
    base: &str,
    home: &Path,
) -> (Harness<'static, App>, fakes::FakeClipboard) {
    let clipboard = fakes::FakeClipboard::default();
    let mut services = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::at(home.join("config/aaai-key-setup/progress.json")),
        clipboard.clone(),
    );
    services.check_config.base_url = base.to_owned();
    services.vault = Arc::new(fakes::FakeVault {
        missing: true,
        location: Some(aaai_key_setup::adapters::vault::location()),
        ..fakes::FakeVault::default()
    });
    let h = Harness::builder()
        .with_size(size)
        .with_max_steps(16)
        .build_eframe(move |cc| App::new(cc, services));
    (h, clipboard)
}

/// Step the replica until `done` holds (10 s at most).
fn replica_until(h: &mut Harness<'static, App>, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "the replica did not get there");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_then_a_new_copied_key_used_with_a_yes_is_checked_and_ready() {
    if !support::require(&PROGRAMS, true) {
        return;
    }
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let (bad, good) = (project_key(31), project_key(33));
    let server = MockServer::start().await;
    Mock::given(header("authorization", format!("Bearer {bad}").as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {
            "message": "Incorrect API key provided.", "type": "invalid_request_error",
            "param": null, "code": "invalid_api_key"}})))
        .with_priority(1)
        .mount(&server)
        .await;
    models_stub::mount_models(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "message": "max_tokens must be at least 1", "type": "invalid_request_error",
            "param": "max_tokens", "code": null}})))
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let output = tokio::task::spawn_blocking({
        let (bad, good, base) = (bad.clone(), good.clone(), base.clone());
        move || {
            let _turn = take_turn();
            let home = tempfile::tempdir().expect("home");
            confirmed_progress(home.path(), 30);
            let app = RealApp::start(
                home.path(),
                &no_bus(home.path()),
                &[("OPENAI_BASE_URL", base.clone())],
            );
            app.wait_for("clipboard watching", Duration::from_secs(10));
            set_clipboard(&bad);
            app.wait_for("key captured", Duration::from_secs(5));
            app.wait_for("check verdict=invalid_key", Duration::from_secs(15));
            // The user creates a new key and copies it, as the error box says.
            set_clipboard(&good);
            let (line, _) = app.wait_for("a new key is offered", Duration::from_secs(5));
            assert!(line.contains(&masked(&good)), "{line}");
            // Where "Use it" is: a replica in the same state, against the same server.
            let replica_home = tempfile::tempdir().expect("replica home");
            confirmed_progress(replica_home.path(), 30);
            let (mut h, clip) = replica_against(app.size(), &base, replica_home.path());
            clip.set(&bad);
            replica_until(&mut h, |a| {
                a.key.is_some()
                    && matches!(a.check, CheckState::Done { .. })
                    && !matches!(a.vault, VaultState::Saving | VaultState::Loading)
            });
            clip.set(&good);
            let deadline = Instant::now() + Duration::from_secs(10);
            while h.query_by_label_contains("A new key was copied").is_none() {
                assert!(
                    Instant::now() < deadline,
                    "the replica was not offered the key"
                );
                h.step();
                std::thread::sleep(Duration::from_millis(20));
            }
            h.run_ok();
            app.click(rect_of(&h, "Use it"));
            let (line, _) = app.wait_for("key captured", Duration::from_secs(5));
            assert!(line.contains(&masked(&good)), "{line}");
            app.wait_for("check verdict=ready", Duration::from_secs(15));
            app.close()
        }
    })
    .await
    .expect("session");
    for key in [&bad, &good] {
        assert!(!output.contains(key.as_str()), "the process printed a key");
    }
    let with_good = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| {
            r.headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v == format!("Bearer {good}"))
        })
        .count();
    assert!(with_good > 0, "the server never saw the new key");
    eprintln!("the server checked the new key with {with_good} requests");
}
