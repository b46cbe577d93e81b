//! The real thing: the app binary opens a real window on a real X server (Xvfb), which is
//! found by its title, captured, and checked not to be blank. Linux only (an X server and the
//! X tools); on Windows and macOS CI lists it as skipped by design.

#![cfg(target_os = "linux")]

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn output(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run helper program");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn app_binary_opens_a_window_that_is_not_blank() {
    if !support::require(&["xdotool", "import", "identify"], true) {
        return;
    }
    let home = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    let app = KillOnDrop(
        Command::new(support::app_binary())
            .env("XDG_CONFIG_HOME", home.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the app"),
    );
    let window = output(Command::new("timeout").args([
        "30",
        "xdotool",
        "search",
        "--sync",
        "--onlyvisible",
        "--name",
        "AAAI Key Setup",
    ]));
    let window = window.lines().next().expect("a window id").to_owned();
    eprintln!("window {window} visible after {:?}", started.elapsed());
    // Give the first frame time to paint.
    std::thread::sleep(Duration::from_millis(700));
    let shot = home.path().join("shot.png");
    output(Command::new("import").args(["-window", &window]).arg(&shot));
    let colours: u64 = output(Command::new("identify").args(["-format", "%k"]).arg(&shot))
        .parse()
        .expect("a colour count");
    let size = output(
        Command::new("identify")
            .args(["-format", "%w %h"])
            .arg(&shot),
    );
    eprintln!("screenshot {size}, {colours} distinct colours");
    assert!(colours > 50, "the window looks blank ({colours} colours)");
    let name = output(Command::new("xdotool").args(["getwindowname", &window]));
    assert!(name.contains("AAAI Key Setup"), "{name}");
    drop(app);
}
