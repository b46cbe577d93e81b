//! Entry point: parse the command line and hand over.

// The Windows release build is a GUI program: opening the app shows no console window. The
// command line still prints when run from a terminal (see `attach_parent_console`).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser as _;

fn main() -> std::process::ExitCode {
    // Any argument means the command line (a subcommand, --help, --version, or a usage error
    // that clap must be able to print); none opens the window.
    if std::env::args_os().len() > 1 {
        attach_parent_console();
    }
    let cli = match aaai_key_setup::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return std::process::ExitCode::from(aaai_key_setup::cli::parse_failed(&e)),
    };
    std::process::ExitCode::from(aaai_key_setup::cli::run(cli))
}

/// On Windows, a GUI-subsystem program has no console: attach to the one of the terminal that
/// started us, so that stdout and stderr reach it. When there is none (started from Explorer),
/// this does nothing and the output goes nowhere, as for any GUI program.
#[cfg(all(windows, not(debug_assertions)))]
#[allow(unsafe_code)]
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: AttachConsole takes a process id by value and touches no memory of ours; it only
    // fails (returning 0, ignored: there is simply no console) when there is no parent console
    // or we already have one. Called once, at the start of main, before any output.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

/// Elsewhere (and in Windows debug builds, which keep their console) there is nothing to do.
#[cfg(not(all(windows, not(debug_assertions))))]
fn attach_parent_console() {}
