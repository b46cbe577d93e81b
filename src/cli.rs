//! The command-line face of the app (`shared/CLI.md`): with no subcommand it opens the window.

use clap::{Parser, Subcommand};

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "aaai-key-setup",
    version,
    about = "Get an OpenAI API key ready for Auto Article AI"
)]
pub struct Cli {
    /// What to do; nothing opens the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        None => match crate::app::run() {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("The window could not be opened: {e}");
                eprintln!(
                    "This app needs a desktop session (a display). On a server, use the command line: aaai-key-setup --help"
                );
                1
            }
        },
        Some(command) => match command {},
    }
}
