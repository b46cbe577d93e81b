//! When no renderer can start, the app says so in a message box instead of vanishing: the app
//! binary is started on a real X server (Xvfb) with OpenGL made unloadable, and must exit with
//! code 1, print why, and leave a dialog titled "… could not open its window" on screen that
//! tells the user about the command line. Linux only (an X server and the X tools); on Windows
//! and macOS CI lists it as skipped by design.

#![cfg(target_os = "linux")]

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DIALOG_TITLE: &str = "could not open its window";

fn dialogs() -> Vec<String> {
    let out = Command::new("xdotool")
        .args(["search", "--name", DIALOG_TITLE])
        .output()
        .expect("xdotool runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn close(windows: &[String]) {
    for id in windows {
        let _ = Command::new("xdotool").args(["windowkill", id]).status();
    }
}

#[test]
fn no_renderer_means_a_message_box_and_exit_code_1() {
    if !support::require(&["xdotool", "xmessage"], true) {
        return;
    }
    close(&dialogs());
    let home = tempfile::tempdir().expect("tempdir");
    // Every way to OpenGL closed: no EGL vendor, no GLX vendor, no Mesa driver.
    let mut app = Command::new(support::app_binary())
        .env("XDG_CONFIG_HOME", home.path())
        .env("__EGL_VENDOR_LIBRARY_FILENAMES", "/nonexistent/egl.json")
        .env("__GLX_VENDOR_LIBRARY_NAME", "nonexistent")
        .env("LIBGL_DRIVERS_PATH", "/nonexistent")
        .env("MESA_LOADER_DRIVER_OVERRIDE", "nonexistent")
        .env("GALLIUM_DRIVER", "nonexistent")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the app");
    // The app waits while its message box is open.
    let deadline = Instant::now() + Duration::from_secs(20);
    let found = loop {
        let found = dialogs();
        if !found.is_empty() || Instant::now() > deadline {
            break found;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    if found.is_empty() {
        let _ = app.kill();
    }
    close(&found);
    let out = app.wait_with_output().expect("the app ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !found.is_empty(),
        "no message box titled '{DIALOG_TITLE}' appeared; stderr: {stderr}"
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("The window could not be opened"),
        "stderr: {stderr}"
    );
}
