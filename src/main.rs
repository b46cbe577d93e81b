//! Entry point: parse the command line and hand over.

use clap::Parser as _;

fn main() -> std::process::ExitCode {
    let cli = aaai_key_setup::cli::Cli::parse();
    std::process::ExitCode::from(aaai_key_setup::cli::run(cli))
}
