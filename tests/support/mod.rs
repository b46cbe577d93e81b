//! The real system parts a test needs (programs, an X display) and the app binary it starts.
//! Under CI a missing part fails the test; elsewhere it skips it loudly.
//!
//! The other shared helpers are modules of their own, each taken by the tests that use all of
//! it: `keys.rs` (every test key), `run.rs` (running a command), `child.rs` (a test run again
//! in a child process), `fakes.rs` (services for headless UI tests), `ui.rs` (driving the
//! headless app), `models_stub.rs` (a models list from a local server), `keyring.rs` (a private
//! Secret Service) and `gallery_scenes.rs` (the screenshot gallery's scenes and loopback
//! server, also taken by `examples/gallery.rs`).

use std::process::Command;

/// True when running under CI, where a missing real component is a failure, never a skip.
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether a program is on PATH.
fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

/// Require the named programs and, when `x_display` is set, an X display. Outside CI a missing
/// part skips the test loudly (returns false); under CI it fails it.
pub fn require(programs: &[&str], x_display: bool) -> bool {
    let mut missing: Vec<&str> = programs.iter().copied().filter(|p| !have(p)).collect();
    if x_display && std::env::var_os("DISPLAY").is_none() {
        missing.push("an X display (DISPLAY)");
    }
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

/// The app binary the tests start: the one cargo built for this test run (its profile and
/// `CARGO_TARGET_DIR` included), so no separate release build is needed.
#[allow(dead_code)] // wayland_real runs its watcher in a copy of itself, not the app.
pub fn app_binary() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_aaai-key-setup"))
}
