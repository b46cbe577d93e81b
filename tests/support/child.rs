//! A test that runs itself again in a child process (an environment only a fresh process can
//! have: a D-Bus address fixed from its start, a fontconfig with no CJK font), and the check
//! that the child ran that one test and it passed.

use std::process::Command;

/// This test binary, to be given the child's environment and then [`passes`].
pub fn this_test_binary() -> Command {
    Command::new(std::env::current_exe().expect("test binary"))
}

/// Run only the test `name` in `cmd` (from [`this_test_binary`]); panic, with what it printed,
/// unless it ran exactly that test and it passed.
pub fn passes(cmd: &mut Command, name: &str) {
    let out = cmd
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .output()
        .expect("run the child test");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the child failed:\n{all}");
    assert!(all.contains("1 passed"), "the child ran no test:\n{all}");
}
