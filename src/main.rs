//! Entry point: parse the command line and hand over.
//!
//! On Windows the exe is a console program (no `windows_subsystem` attribute), so that cmd and
//! PowerShell wait for it and get its output and exit code; opened from Explorer it lets go of
//! the console Windows made for it (see `platform::console`).

use clap::Parser as _;

fn main() -> std::process::ExitCode {
    // Any argument means the command line (a subcommand, --help, --version, or a usage error
    // that clap must be able to print); none opens the window.
    let args = aaai_key_setup::platform::program_args();
    if args.len() <= 1 {
        aaai_key_setup::platform::console::detach_if_started_from_explorer();
    }
    let cli = match aaai_key_setup::cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return std::process::ExitCode::from(aaai_key_setup::cli::parse_failed(&e)),
    };
    std::process::ExitCode::from(aaai_key_setup::cli::run(cli))
}
