//! Running a command with text on its standard input, and what it printed.

use std::process::Command;

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
