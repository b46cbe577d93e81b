//! The key in a real Secret Service: each test runs its own D-Bus session with
//! gnome-keyring-daemon (unlocked with a test password), its HOME and XDG dirs in a temp dir,
//! and drives the real CLI binary: `key store`, `key status`, `key forget`, `check` reading the
//! stored key, read back with `secret-tool` as a user would. And the way things go without a
//! keyring: a plain message, exit code 1, and no file written anywhere.

#![cfg(target_os = "linux")]

#[path = "support/child.rs"]
mod child;
#[path = "support/keyring.rs"]
mod keyring;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/run.rs"]
mod run;
mod support;

use keys::chars;

use keyring::{Session, WAIT_FOR_SECRETS, isolated};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aaai_key_setup::adapters::vault::{KeyVault, VaultError};
use serde_json::Value;

const SESSION_PROGRAMS: [&str; 4] = [
    "dbus-run-session",
    "gnome-keyring-daemon",
    "secret-tool",
    "dbus-send",
];

/// The key the app recognises in `text`.
fn key_from(text: String) -> aaai_key_setup::core::key::ApiKey {
    let scan = aaai_key_setup::core::key::scan(&text);
    scan.result
        .key()
        .cloned()
        .expect("the test key must be recognised")
}

fn project_key(seed: u64) -> String {
    keys::made_up("sk-proj-", &chars(74, seed), &chars(74, seed + 1))
}

fn admin_key() -> String {
    keys::made_up("sk-admin-", &chars(58, 8), &chars(58, 9))
}

fn masked(key: &str) -> String {
    format!("sk-proj-…{}", &key[key.len() - 4..])
}

fn cli(session: &Session, args: &[&str], stdin: &str) -> run::Run {
    run_cli(args, stdin, session.home.path(), &session.bus)
}

fn run_cli(args: &[&str], stdin: &str, home: &Path, bus: &str) -> run::Run {
    // `timeout`: a prompt that nobody can answer must fail the test, not hang it.
    let mut cmd = Command::new("timeout");
    cmd.arg("120").arg(support::app_binary());
    isolated(&mut cmd, home);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", bus).args(args);
    run::run_with_stdin(&mut cmd, stdin)
}

#[test]
fn a_key_goes_into_the_real_secret_service_and_back() {
    if !support::require(&SESSION_PROGRAMS, false) {
        return;
    }
    let session = Session::start(true);
    let first = project_key(1);
    let second = project_key(5);
    assert_ne!(
        masked(&first),
        masked(&second),
        "test keys must differ at the end"
    );

    // Shape check first: an admin key is refused and nothing is written.
    let admin = admin_key();
    let r = cli(&session, &["key", "store", "--stdin"], &admin);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("Nothing was stored"), "{}", r.all());
    assert!(!r.all().contains(&admin[..24]), "admin key echoed");
    assert_eq!(session.lookup(), None);
    let r = cli(&session, &["key", "store", "--stdin"], "hello, no key here");
    assert_eq!(r.code, 64, "{}", r.all());

    // Store from messy text, read back with secret-tool.
    let r = cli(
        &session,
        &["key", "store", "--stdin"],
        &format!("  export OPENAI_API_KEY='{first}'\r\n"),
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains(&masked(&first)), "{}", r.all());
    assert!(!r.all().contains(&first), "the key was printed");
    assert_eq!(session.lookup().as_deref(), Some(first.as_str()));

    let r = cli(&session, &["key", "status"], "");
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains(&masked(&first)), "{}", r.all());
    assert!(r.stdout.contains("GNOME Keyring"), "{}", r.all());
    assert!(!r.all().contains(&first), "status printed the key");

    // Replace: one item, holding the new key.
    let r = cli(&session, &["key", "store", "--stdin"], &second);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(session.lookup().as_deref(), Some(second.as_str()));
    assert_eq!(session.items(), 1, "replacing left more than one item");

    // `check` with no stdin and no OPENAI_API_KEY uses the stored key.
    let r = cli(&session, &["check", "--offline", "--json"], "");
    assert_eq!(r.code, 0, "{}", r.all());
    let json: Value = serde_json::from_str(r.stdout.trim()).expect("JSON");
    assert_eq!(json["verdict"], "well_formed");
    assert_eq!(json["key"]["masked"], masked(&second).as_str());
    assert!(!r.all().contains(&second), "check printed the key");

    // Forget, twice; then nothing is found anywhere.
    let r = cli(&session, &["key", "forget"], "");
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(session.lookup(), None);
    let r = cli(&session, &["key", "forget"], "");
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("nothing to remove"), "{}", r.all());
    let r = cli(&session, &["key", "status"], "");
    assert_eq!(r.code, 1, "{}", r.all());
    let r = cli(&session, &["check", "--offline"], "");
    assert_eq!(r.code, 64, "{}", r.all());
    assert!(r.stderr.contains("No key found"), "{}", r.all());
}

#[test]
fn a_keyring_left_locked_is_reported_plainly_and_nothing_is_stored() {
    if !support::require(&SESSION_PROGRAMS, false) {
        return;
    }
    // No login keyring and no display: gnome-keyring's unlock prompt cannot be shown, so it
    // ends as dismissed, the same answer as a user closing the dialog.
    let session = Session::start(false);
    let key = project_key(7);
    let r = cli(&session, &["key", "store", "--stdin"], &key);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stderr.contains("locked and was not unlocked"),
        "{}",
        r.all()
    );
    assert!(!r.all().contains(&key), "the key was printed");
    assert_eq!(session.lookup(), None);
}

#[test]
fn a_locked_keyring_is_not_no_key_and_an_empty_variable_does_not_hide_the_stored_key() {
    if !support::require(&SESSION_PROGRAMS, false) {
        return;
    }
    let session = Session::start(true);
    let key = project_key(11);
    let r = cli(&session, &["key", "store", "--stdin"], &key);
    assert_eq!(r.code, 0, "{}", r.all());

    // OPENAI_API_KEY= (empty, or blank) counts as unset: the stored key is used.
    for empty in ["", " "] {
        let mut cmd = Command::new("timeout");
        cmd.arg("120").arg(support::app_binary());
        isolated(&mut cmd, session.home.path());
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &session.bus)
            .env("OPENAI_API_KEY", empty)
            .args(["check", "--offline", "--json"]);
        let r = run::run_with_stdin(&mut cmd, "");
        assert_eq!(r.code, 0, "{empty:?}: {}", r.all());
        let json: Value = serde_json::from_str(r.stdout.trim()).expect("JSON");
        assert_eq!(json["key"]["masked"], masked(&key).as_str());
    }

    // Lock the collection. There is no display, so the unlock prompt cannot be answered: the
    // keyring says no, and `check` says so in the keyring's words, exit 1, never "no key".
    // (Through D-Bus: `secret-tool lock` waits for a prompt that never comes.)
    let mut lock = Command::new("timeout");
    isolated(&mut lock, session.home.path());
    let out = lock
        .env("DBUS_SESSION_BUS_ADDRESS", &session.bus)
        .args([
            "20",
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .expect("dbus-send runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = cli(&session, &["check", "--offline"], "");
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("locked"), "{}", r.all());
    assert!(!r.stderr.contains("No key found"), "{}", r.all());
    assert!(!r.all().contains(&key), "the key was printed");
}

/// Every file and directory under `dir`.
fn everything_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path.clone());
            }
            found.push(path);
        }
    }
    found
}

#[test]
fn without_a_keyring_the_key_is_refused_plainly_and_no_file_is_written() {
    let home = tempfile::tempdir().expect("temp HOME");
    let bus = format!("unix:path={}", home.path().join("no-bus").display());
    let key = project_key(3);

    let r = run_cli(&["key", "store", "--stdin"], &key, home.path(), &bus);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("No keyring is available"), "{}", r.all());
    assert!(r.stderr.contains("never kept in a file"), "{}", r.all());
    assert!(!r.all().contains(&key), "the key was printed");

    let r = run_cli(&["key", "status"], "", home.path(), &bus);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("No keyring is available"), "{}", r.all());

    // No keyring is not "no key": exit 1, in the keyring's own words.
    let r = run_cli(&["check", "--offline"], "", home.path(), &bus);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("No keyring is available"), "{}", r.all());

    let written = everything_under(home.path());
    assert!(written.is_empty(), "files were written: {written:?}");
}

/// Set in the child process of the test below: the directory whose `bus` socket will appear.
const LATE_BUS_DIR: &str = "AAAI_TEST_LATE_BUS_DIR";

#[test]
fn a_keyring_that_appears_later_is_used_without_a_restart() {
    if let Some(dir) = std::env::var_os(LATE_BUS_DIR) {
        late_bus_child(Path::new(&dir));
        return;
    }
    if !support::require(&["dbus-daemon", "gnome-keyring-daemon", "dbus-send"], false) {
        return;
    }
    // One process must see both tries, with DBUS_SESSION_BUS_ADDRESS fixed from its start; so
    // this test runs itself again as a child with that address set.
    let home = tempfile::tempdir().expect("temp HOME");
    let run = home.path().join("run");
    std::fs::create_dir_all(&run).expect("runtime dir");
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .expect("runtime dir mode");
    let bus = format!("unix:path={}", home.path().join("bus").display());
    let mut cmd = child::this_test_binary();
    isolated(&mut cmd, home.path());
    cmd.env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .env(LATE_BUS_DIR, home.path());
    child::passes(
        &mut cmd,
        "a_keyring_that_appears_later_is_used_without_a_restart",
    );
}

/// In the child: no bus yet, so the vault answers Missing; then the bus and the keyring come up
/// at the address this process already has, and the same process stores and reads the key.
fn late_bus_child(dir: &Path) {
    let vault = KeyVault::new();
    match vault.load() {
        Err(VaultError::Missing { .. }) => {}
        other => panic!("with no bus yet, expected Missing, got {other:?}"),
    }
    let mut daemon = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile"])
        .arg(format!("--address=unix:path={}", dir.join("bus").display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("start dbus-daemon");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !dir.join("bus").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let started = Command::new("sh")
        .args([
            "-c",
            &format!(
                "printf '%s' testpass | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n{WAIT_FOR_SECRETS}"
            ),
        ])
        .status()
        .expect("start gnome-keyring-daemon");
    let result = std::panic::catch_unwind(|| {
        assert!(started.success(), "gnome-keyring-daemon did not come up");
        assert_eq!(vault.load(), Ok(None));
        let key = key_from(project_key(11));
        vault.store(&key).expect("store once the keyring is there");
        assert_eq!(vault.load(), Ok(Some(key)));
        assert_eq!(vault.forget(), Ok(true));
        assert_eq!(vault.load(), Ok(None));
    });
    // gnome-keyring-daemon leaves when its bus goes away.
    let _ = daemon.kill();
    let _ = daemon.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// A session bus that accepts connections and then never answers, not even the handshake:
/// what a wedged D-Bus looks like to the keyring crate. The listener thread holds every
/// connection open until the test process ends.
fn silent_bus(dir: &Path) -> String {
    let path = dir.join("silent-bus");
    let listener = std::os::unix::net::UnixListener::bind(&path).expect("bind the silent bus");
    std::thread::Builder::new()
        .name(String::from("silent-bus"))
        .spawn(move || {
            let mut held = Vec::new();
            for conn in listener.incoming().flatten() {
                held.push(conn);
            }
        })
        .expect("start the silent bus");
    format!("unix:path={}", path.display())
}

#[test]
fn a_keyring_that_never_answers_is_waited_for_aloud_then_given_up_on() {
    const GIVE_UP_SECS: u64 = 3;
    let home = tempfile::tempdir().expect("temp HOME");
    let bus = silent_bus(home.path());
    let key = project_key(5);
    for (args, stdin, gave_up) in [
        (&["key", "status"][..], "", "Nothing was read"),
        (
            &["key", "store", "--stdin"],
            key.as_str(),
            "may not have been stored",
        ),
        (&["key", "forget"], "", "may not have been removed"),
        (&["check", "--offline"], "", "OPENAI_API_KEY or --key-stdin"),
    ] {
        // `timeout 30`: before the fix these waited forever; that must fail, not hang, the test.
        let mut cmd = Command::new("timeout");
        cmd.arg("30").arg(support::app_binary());
        isolated(&mut cmd, home.path());
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .env(
                "AAAI_KEY_SETUP_KEYRING_GIVE_UP_SECS",
                GIVE_UP_SECS.to_string(),
            )
            .args(args);
        let started = Instant::now();
        let r = run::run_with_stdin(&mut cmd, stdin);
        let took = started.elapsed();
        assert_ne!(r.code, 124, "{args:?} hung: {}", r.all());
        assert_eq!(r.code, 1, "{args:?}: {}", r.all());
        assert!(
            r.stderr.contains("Waiting for the keyring"),
            "{args:?} waited silently: {}",
            r.all()
        );
        assert!(
            r.stderr.contains("unlock your keyring"),
            "{args:?}: says what it waits for: {}",
            r.all()
        );
        assert!(
            r.stderr
                .contains(&format!("did not answer within {GIVE_UP_SECS} s")),
            "{args:?}: {}",
            r.all()
        );
        assert!(r.stderr.contains(gave_up), "{args:?}: {}", r.all());
        assert!(
            took >= Duration::from_secs(GIVE_UP_SECS) && took < Duration::from_secs(20),
            "{args:?} took {took:?}"
        );
        assert!(!r.all().contains(&key), "the key was printed");
    }
    let written: Vec<_> = everything_under(home.path())
        .into_iter()
        .filter(|p| !p.ends_with("silent-bus"))
        .collect();
    assert!(written.is_empty(), "files were written: {written:?}");
}
