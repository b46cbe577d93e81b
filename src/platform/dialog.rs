//! The message box shown when the window cannot open at all (no renderer could start), so a
//! user who double-clicked the app learns what happened and what to do instead of seeing
//! nothing. The box uses what each system already has, so it adds no dependency and nothing
//! to the binary's size: `MessageBoxW` on Windows, `osascript`'s alert on macOS, and the first
//! of `zenity`, `kdialog` or `xmessage` on Linux (the same tools dialog crates call there).
//! Everywhere the program waits until the box is closed, then exits.

/// The box's title.
pub const TITLE: &str = "AAAI Key Setup could not open its window";

/// The box's text: what failed, in the system's words, and how to carry on with the command
/// line. `reasons` are the renderers' errors (never anything the user typed or copied).
pub fn failure_text(reasons: &[String]) -> String {
    let how = if cfg!(windows) {
        "open Command Prompt or PowerShell and type"
    } else {
        "open a terminal and type"
    };
    format!(
        "Your computer's graphics could not start the window.\n\nWhat failed: {}\n\nYou can still check and store your key from the command line: {how}\n\n{program} --help\n\nIf the graphics driver was just updated or is missing, restarting the computer may help.",
        reasons.join("; "),
        program = super::PROGRAM,
    )
}

/// Show an error box with `TITLE` and `text`. Best effort: where no box can be shown, nothing
/// happens (the text is printed on the command line as well).
pub fn show_error(text: &str) {
    show(TITLE, text);
}

#[cfg(windows)]
#[allow(unsafe_code)]
fn show(title: &str, text: &str) {
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        MB_ICONERROR, MB_OK, MB_SETFOREGROUND, MessageBoxW,
    };
    let wide = |s: &str| s.encode_utf16().chain(Some(0)).collect::<Vec<u16>>();
    let (title, text) = (wide(title), wide(text));
    // SAFETY: both pointers are to NUL-terminated UTF-16 buffers that live until the call
    // returns; no owner window (null). The call only reads them and returns the button chosen.
    unsafe {
        MessageBoxW(
            std::ptr::null_mut(),
            text.as_ptr(),
            title.as_ptr(),
            MB_OK | MB_ICONERROR | MB_SETFOREGROUND,
        );
    }
}

#[cfg(target_os = "macos")]
fn show(title: &str, text: &str) {
    // The texts go in as arguments, never into the script, so nothing needs quoting.
    let _ = std::process::Command::new("osascript")
        .args([
            "-e",
            "on run argv",
            "-e",
            "display alert (item 1 of argv) message (item 2 of argv) as critical",
            "-e",
            "end run",
            title,
            text,
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

#[cfg(not(any(windows, target_os = "macos")))]
fn show(title: &str, text: &str) {
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    if !display {
        return;
    }
    for (program, args) in linux_dialogs(title, text) {
        // Waits for the box to be closed; a program that is not installed fails at once.
        let shown = std::process::Command::new(program)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if shown.is_ok() {
            return;
        }
    }
}

/// The dialog programs tried on Linux, first found wins.
#[cfg(not(any(windows, target_os = "macos")))]
fn linux_dialogs(title: &str, text: &str) -> [(&'static str, Vec<String>); 3] {
    [
        (
            "zenity",
            vec![
                String::from("--error"),
                String::from("--no-markup"),
                format!("--title={title}"),
                format!("--text={text}"),
            ],
        ),
        (
            "kdialog",
            vec![
                String::from("--title"),
                title.to_owned(),
                String::from("--error"),
                text.to_owned(),
            ],
        ),
        (
            "xmessage",
            vec![
                String::from("-center"),
                String::from("-title"),
                title.to_owned(),
                String::from("-buttons"),
                String::from("OK:0"),
                String::from("-default"),
                String::from("OK"),
                format!("{title}\n\n{text}"),
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_says_what_failed_and_what_to_do() {
        let text = failure_text(&[
            String::from("wgpu: no adapter"),
            String::from("glow: no GL"),
        ]);
        assert!(text.contains("wgpu: no adapter; glow: no GL"), "{text}");
        assert!(
            text.contains(&format!("{} --help", super::super::PROGRAM)),
            "{text}"
        );
        assert!(text.contains("command line"), "{text}");
    }
}
