//! Shared helpers for the tests that use real system parts (X display, D-Bus, tools).

#![allow(dead_code)]

use std::process::Command;

pub mod keyring;
pub mod ui;

/// True when running under CI, where a missing real component is a failure, never a skip.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

/// Require the named programs and an X display. Outside CI a missing part skips the test
/// loudly (returns false); under CI it fails it.
pub fn require_display_and(programs: &[&str]) -> bool {
    let mut missing: Vec<&str> = programs.iter().copied().filter(|p| !have(p)).collect();
    if std::env::var_os("DISPLAY").is_none() {
        missing.push("an X display (DISPLAY)");
    }
    present_or_skip(&missing)
}

/// Require the named programs. Outside CI a missing one skips the test loudly (returns false);
/// under CI it fails it.
pub fn require_programs(programs: &[&str]) -> bool {
    let missing: Vec<&str> = programs.iter().copied().filter(|p| !have(p)).collect();
    present_or_skip(&missing)
}

/// True when nothing is missing; otherwise fails under CI and skips loudly elsewhere.
fn present_or_skip(missing: &[&str]) -> bool {
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "missing {}; run the README's test command (scripts/test), which provides them",
        missing.join(", ")
    );
    assert!(!in_ci(), "{message}");
    eprintln!("SKIPPED (not in CI): {message}");
    false
}

/// What a finished command printed, and its exit code.
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Both streams, for assertion messages.
    pub fn all(&self) -> String {
        format!("stdout: {}\nstderr: {}", self.stdout, self.stderr)
    }
}

/// Run `cmd` with `stdin` written to it (from a thread, so a large input cannot deadlock).
pub fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Run {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the command");
    let mut input = child.stdin.take().expect("stdin");
    let text = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().expect("the command runs");
    writer.join().expect("writer");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The app binary the real-window tests start: the one cargo built for this test run (its
/// profile and `CARGO_TARGET_DIR` included), so no separate release build is needed.
pub fn app_binary() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_aaai-key-setup"))
}

/// A usable key recognised from text built at run time (tests never hold a literal key).
pub fn key_from(text: String) -> aaai_key_setup::core::key::ApiKey {
    let scan = aaai_key_setup::core::key::scan(&text);
    scan.result
        .key()
        .cloned()
        .expect("the test key must be recognised")
}

/// A clipboard in memory that tests write to, standing in for the X clipboard.
#[derive(Clone, Default)]
pub struct FakeClipboard(pub std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl FakeClipboard {
    /// Put text on the fake clipboard.
    pub fn set(&self, text: &str) {
        *self.0.lock().expect("lock") = Some(text.to_owned());
    }
}

impl aaai_key_setup::adapters::clipboard::ClipboardSource for FakeClipboard {
    fn text(
        &mut self,
    ) -> Result<zeroize::Zeroizing<String>, aaai_key_setup::adapters::clipboard::ClipError> {
        use aaai_key_setup::adapters::clipboard::ClipError;
        let guard = self.0.lock().map_err(|_| ClipError::Busy)?;
        guard
            .clone()
            .map(zeroize::Zeroizing::new)
            .ok_or(ClipError::NoText)
    }
    fn clear(&mut self) -> Result<(), aaai_key_setup::adapters::clipboard::ClipError> {
        *self.0.lock().expect("lock") = None;
        Ok(())
    }
    fn set_sensitive(
        &mut self,
        text: &str,
    ) -> Result<(), aaai_key_setup::adapters::clipboard::ClipError> {
        self.set(text);
        Ok(())
    }
}

/// Services for headless UI tests: the given browser, store and fake clipboard, a check
/// configuration pointing at nothing (tests that check set their own), no tracing.
pub fn services(
    browser: Box<dyn aaai_key_setup::adapters::browser::Browser>,
    store: aaai_key_setup::adapters::progress_store::ProgressStore,
    clipboard: FakeClipboard,
) -> aaai_key_setup::app::Services {
    use aaai_key_setup::adapters::clipboard::ClipboardSource;
    aaai_key_setup::app::Services {
        browser,
        store,
        clipboard: Some(Box::new(move || {
            Ok(Box::new(clipboard.clone()) as Box<dyn ClipboardSource>)
        })),
        check_config: aaai_key_setup::adapters::net::CheckConfig {
            base_url: String::from("http://127.0.0.1:9/v1"),
            ..aaai_key_setup::adapters::net::CheckConfig::default()
        },
        vault: std::sync::Arc::new(FakeVault::default()),
        trace: false,
    }
}

/// A keyring in memory; `missing` makes every call fail as with no Secret Service.
#[derive(Default)]
pub struct FakeVault {
    /// The stored key.
    pub stored: std::sync::Mutex<Option<aaai_key_setup::core::key::ApiKey>>,
    /// Fail every call.
    pub missing: bool,
    /// Where it says the key is kept (default: "the test keyring").
    pub location: Option<&'static str>,
}

impl aaai_key_setup::adapters::vault::KeyStore for FakeVault {
    fn store(
        &self,
        key: &aaai_key_setup::core::key::ApiKey,
    ) -> Result<(), aaai_key_setup::adapters::vault::VaultError> {
        self.check()?;
        *self.stored.lock().expect("lock") = Some(key.clone());
        Ok(())
    }
    fn load(
        &self,
    ) -> Result<
        Option<aaai_key_setup::core::key::ApiKey>,
        aaai_key_setup::adapters::vault::VaultError,
    > {
        self.check()?;
        Ok(self.stored.lock().expect("lock").clone())
    }
    fn forget(&self) -> Result<bool, aaai_key_setup::adapters::vault::VaultError> {
        self.check()?;
        Ok(self.stored.lock().expect("lock").take().is_some())
    }
    fn location(&self) -> &'static str {
        self.location.unwrap_or("the test keyring")
    }
}

impl FakeVault {
    fn check(&self) -> Result<(), aaai_key_setup::adapters::vault::VaultError> {
        if self.missing {
            Err(aaai_key_setup::adapters::vault::VaultError::Missing {
                location: "the test keyring",
            })
        } else {
            Ok(())
        }
    }
}
