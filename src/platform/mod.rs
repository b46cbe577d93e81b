//! The little code that differs between Windows, macOS and Linux, one file per concern with
//! the `cfg` branches side by side, so that the code no local compiler sees stays small and in
//! one place: the console (`console`), the message box shown when no window can open
//! (`dialog`), the window's start-up with its renderer fallback (`window`), the clipboard's
//! change counter (`clipboard_counter`), termination signals (`signals`) and the fonts that
//! can draw the window's language (`fonts`). Everything here is
//! at the edge, like `adapters`.
//! `program_args` is here too: the arguments as the command line should see them, and
//! `PROGRAM`, the one name the program goes by in its help and messages.

pub mod clipboard_counter;
pub mod console;
pub mod dialog;
pub mod fonts;
pub mod signals;
pub mod window;

/// The program's name as the user types it: with `.exe` on Windows, where that is the file
/// (`aaai-key-setup.exe --help` in cmd and PowerShell). Usage lines, help and every message
/// that tells the user what to type use this one name.
#[cfg(windows)]
pub const PROGRAM: &str = "aaai-key-setup.exe";
/// The program's name as the user types it.
#[cfg(not(windows))]
pub const PROGRAM: &str = "aaai-key-setup";

/// The program's arguments (the program name first), without the process serial number
/// argument (`-psn_0_12345`) that older macOS versions add when an app is opened from Finder:
/// passed on, it would be taken for a usage error and the app would not open.
pub fn program_args() -> Vec<std::ffi::OsString> {
    without_finder_serial(std::env::args_os())
}

/// `args` without macOS Finder's `-psn_…` argument.
fn without_finder_serial(
    args: impl Iterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    args.filter(|a| !a.to_str().is_some_and(|a| a.starts_with("-psn_")))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    #[test]
    fn finders_serial_number_is_not_an_argument() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            super::without_finder_serial(args(&["aaai-key-setup", "-psn_0_1234567"]).into_iter()),
            args(&["aaai-key-setup"])
        );
        assert_eq!(
            super::without_finder_serial(args(&["aaai-key-setup", "key", "status"]).into_iter()),
            args(&["aaai-key-setup", "key", "status"])
        );
    }
}
