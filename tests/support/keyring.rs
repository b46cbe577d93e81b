//! A private D-Bus session with a real, unlocked gnome-keyring (Secret Service), and a clean
//! environment for the processes that use it. Linux only: the tests that use it are the
//! real-parts tests, which need a Secret Service (and Unix file modes for its runtime dir); on
//! Windows and macOS this module is compiled out so that every other test builds there.

#![cfg(target_os = "linux")]

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use aaai_key_setup::adapters::vault::{ACCOUNT, SERVICE};

/// Waits until `org.freedesktop.secrets` has an owner on the session bus (at most 10 s).
pub const WAIT_FOR_SECRETS: &str = r#"
i=0
until dbus-send --session --dest=org.freedesktop.DBus --print-reply /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
  i=$((i+1))
  [ "$i" -gt 100 ] && { echo "org.freedesktop.secrets never got an owner" >&2; exit 1; }
  sleep 0.1
done
"#;

/// A clean environment: a temp HOME and XDG dirs, no key variable, no display.
pub fn isolated(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("LANG", "C.UTF-8");
}

/// A private D-Bus session (`dbus-run-session`) with an unlocked gnome-keyring. It lives until
/// dropped: closing the shell's stdin ends the shell, and with it the bus and the keyring.
pub struct Session {
    pub home: tempfile::TempDir,
    pub bus: String,
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Session {
    /// A session whose login keyring is unlocked with a test password (`unlocked`), or one
    /// with no login keyring and no way to show an unlock prompt (no display).
    pub fn start(unlocked: bool) -> Self {
        let home = tempfile::tempdir().expect("temp HOME");
        let run = home.path().join("run");
        std::fs::create_dir_all(&run).expect("runtime dir");
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .expect("runtime dir mode");
        let start = if unlocked {
            "printf '%s' testpass | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
        } else {
            "gnome-keyring-daemon --components=secrets </dev/null >/dev/null"
        };
        let script = format!(
            r#"set -e
{start}
{WAIT_FOR_SECRETS}
echo "$DBUS_SESSION_BUS_ADDRESS"
read _ignored || true
"#
        );
        let mut cmd = Command::new("dbus-run-session");
        isolated(&mut cmd, home.path());
        let mut child = cmd
            .args(["--", "sh", "-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start dbus-run-session");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("session stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the D-Bus session with gnome-keyring started within 30 s");
        let bus = line.trim().to_owned();
        assert!(
            bus.starts_with("unix:"),
            "no session bus address from dbus-run-session: {line:?}"
        );
        Self {
            home,
            bus,
            child,
            stdin,
        }
    }

    /// What `secret-tool lookup service aaai-key-setup username openai-api-key` prints, as a
    /// user would run it; `None` when nothing is stored.
    pub fn lookup(&self) -> Option<String> {
        let mut cmd = Command::new("secret-tool");
        isolated(&mut cmd, self.home.path());
        let out = cmd
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .args(["lookup", "service", SERVICE, "username", ACCOUNT])
            .output()
            .expect("secret-tool runs");
        let text = String::from_utf8_lossy(&out.stdout).trim_end().to_owned();
        (out.status.success() && !text.is_empty()).then_some(text)
    }

    /// How many items carry our service attribute.
    pub fn items(&self) -> usize {
        let mut cmd = Command::new("secret-tool");
        isolated(&mut cmd, self.home.path());
        let out = cmd
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .args(["search", "--all", "service", SERVICE])
            .output()
            .expect("secret-tool runs");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        all.lines()
            .filter(|l| l.trim() == format!("attribute.username = {ACCOUNT}"))
            .count()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
