//! The command-line face of the app, exactly as `shared/CLI.md` specifies. It is a thin printer
//! of the same reports the window shows; nothing it prints contains the key.

use std::io::Read as _;

use clap::{Args, Parser, Subcommand};
use zeroize::Zeroizing;

use crate::adapters::net::{self, CheckConfig};
use crate::core::key::{self, ApiKey, Recognition};
use crate::core::readiness::CheckReport;
use crate::core::report::{render_json, render_text};

/// Exit code for a usage error (bad option, no key found anywhere).
pub const EXIT_USAGE: u8 = 64;

/// Most text read from standard input; the key scan looks at the first MiB of it anyway.
const MAX_STDIN_BYTES: u64 = 64 << 20;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "aaai-key-setup",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("AAAI_BUILD_COMMIT"), ")"),
    about = "Get an OpenAI API key ready for Auto Article AI",
    long_about = "With no command, opens the window that walks you through getting an OpenAI API key for Auto Article AI."
)]
pub struct Cli {
    /// What to do; nothing opens the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a key and print what is missing.
    Check(CheckArgs),
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Read the key from standard input (any text around it is fine, as with the clipboard).
    #[arg(long)]
    pub key_stdin: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Stop after the shape check; no network at all.
    #[arg(long)]
    pub offline: bool,
    /// Also run the organization-verification probe (may cost a tiny fraction of a cent).
    #[arg(long)]
    pub verification: bool,
    /// Give up on the network after N seconds in all.
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout_secs: u64,
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        None => match crate::app::run() {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("The window could not be opened: {e}");
                eprintln!(
                    "This app needs a desktop session. Without one, use the command line: aaai-key-setup --help"
                );
                1
            }
        },
        Some(Command::Check(args)) => check(&args),
    }
}

/// Where the key text came from, for messages.
enum Source {
    Stdin,
    Env,
}

impl Source {
    fn describe(&self) -> &'static str {
        match self {
            Self::Stdin => "standard input",
            Self::Env => "OPENAI_API_KEY",
        }
    }
}

fn key_text(args: &CheckArgs) -> Result<(Zeroizing<String>, Source), String> {
    if args.key_stdin {
        let mut bytes = Zeroizing::new(Vec::new());
        std::io::stdin()
            .take(MAX_STDIN_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("Standard input could not be read ({}).", e.kind()))?;
        return Ok((
            Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned()),
            Source::Stdin,
        ));
    }
    if let Some(value) = std::env::var_os("OPENAI_API_KEY") {
        return Ok((
            Zeroizing::new(value.to_string_lossy().into_owned()),
            Source::Env,
        ));
    }
    Err(String::from(
        "No key found. Pipe it in with --key-stdin, or set OPENAI_API_KEY, or save it in the app first.",
    ))
}

fn print(report: &CheckReport, json: bool) {
    if json {
        println!("{}", render_json(report));
    } else {
        print!("{}", render_text(report));
    }
}

fn check(args: &CheckArgs) -> u8 {
    let (text, source) = match key_text(args) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("{message}");
            return EXIT_USAGE;
        }
    };
    let scan = key::scan(&text);
    drop(text);
    if scan.truncated {
        eprintln!("Note: only the first MiB of the text was searched for a key.");
    }
    let key: &ApiKey = match &scan.result {
        Recognition::Key(key) if !args.offline => key,
        recognition => {
            let Some(report) = CheckReport::from_shape(recognition) else {
                eprintln!(
                    "No OpenAI key was found in {}. Copy the key again from OpenAI's dialog (it starts with sk-).",
                    source.describe()
                );
                return EXIT_USAGE;
            };
            print(&report, args.json);
            return report.verdict.exit_code();
        }
    };
    let mut config = CheckConfig::from_env();
    config.timeout_secs = args.timeout_secs;
    config.verification = args.verification;
    match net::run_check_blocking(key, &config) {
        Ok(report) => {
            print(&report, args.json);
            report.verdict.exit_code()
        }
        Err(e) => {
            eprintln!("{e}");
            EXIT_USAGE
        }
    }
}
