//! The command-line face of the app, exactly as `docs/cli.md` specifies. It is a thin printer
//! of the same reports the window shows; nothing it prints contains the key.

use std::io::Read as _;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use zeroize::Zeroizing;

use crate::adapters::net::{self, CheckConfig};
use crate::adapters::vault::{KeyVault, VaultError};
use crate::core::key::{self, ApiKey, Recognition};
use crate::core::leak;
use crate::core::readiness::CheckReport;
use crate::core::report::{render_json, render_text};
use crate::platform::PROGRAM;

/// Exit code for a usage error (bad option, no key found anywhere).
pub(crate) const EXIT_USAGE: u8 = 64;

/// Exit code when the user must act: the key has a problem, or the keyring could not be used.
pub(crate) const EXIT_ACT: u8 = 1;

/// The longest the command line waits for the keyring before it gives up (exit 1). Generous:
/// a locked keyring shows an unlock dialog, and the user may be typing a long password.
pub(crate) const KEYRING_GIVE_UP: Duration = Duration::from_secs(120);

/// After this long without an answer from the keyring, say what is being waited for.
const KEYRING_SAY_WAITING: Duration = Duration::from_secs(2);

/// Test hook: a shorter give-up time, in seconds (never a longer one), so the tests of a
/// keyring that never answers do not take two minutes. Not for users; not in `--help`.
const KEYRING_GIVE_UP_ENV: &str = "AAAI_KEY_SETUP_KEYRING_GIVE_UP_SECS";

/// Most text read from standard input; the key scan looks at the first
/// [`key::MAX_SCAN_BYTES`] of it anyway.
const MAX_STDIN_BYTES: u64 = 64 << 20;

/// Writes one line to standard output. A closed standard output (`| head -c1`) is not an
/// error and never a panic: the command goes on and ends with the exit code it would have had.
macro_rules! say {
    ($($arg:tt)*) => { write_quietly(&mut std::io::stdout().lock(), format_args!($($arg)*), true) };
}

/// [`say!`] for standard error.
macro_rules! tell {
    ($($arg:tt)*) => { write_quietly(&mut std::io::stderr().lock(), format_args!($($arg)*), true) };
}

/// Writes `args` (and a line break) and flushes, ignoring a closed stream (`EPIPE`) and every
/// other write error: there is nobody left to tell.
fn write_quietly(out: &mut dyn std::io::Write, args: std::fmt::Arguments<'_>, line: bool) {
    let _ = out.write_fmt(args);
    if line {
        let _ = out.write_all(b"\n");
    }
    let _ = out.flush();
}

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "aaai-key-setup",
    bin_name = PROGRAM,
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
    /// Store, show or remove the key kept in the OS keyring.
    Key {
        /// What to do with the stored key.
        #[command(subcommand)]
        command: KeyCommand,
    },
}

/// The `key` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Store a key in the OS keyring (asks without echo, or reads stdin).
    Store {
        /// Read the key from standard input (any text around it is fine, as with the clipboard).
        #[arg(long)]
        stdin: bool,
    },
    /// Where the key is stored and its masked form; never the key.
    Status,
    /// Remove the stored key.
    Forget,
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
    /// Also make one smallest test image with AAAI's image model, the only proof that images
    /// work (about half a cent); this flag is your consent to that cost.
    #[arg(long)]
    pub verification: bool,
    /// Give up on the network after N seconds in all.
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout_secs: u64,
}

/// Prints what clap reports when the arguments cannot be used (or `--help`/`--version` were
/// asked for) and gives the exit code: 0 for help and version, [`EXIT_USAGE`] for every usage
/// error. Not clap's own 2, which for `check` means "could not tell".
pub fn parse_failed(error: &clap::Error) -> u8 {
    let _ = error.print();
    if error.use_stderr() { EXIT_USAGE } else { 0 }
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        None => match crate::app::run() {
            // Closed by a signal, after the same clean-up as a normal close: the signal's exit
            // code, as shells expect (130 after Ctrl+C). Windows' code does not fit a u8.
            Ok(()) => match crate::platform::signals::exit_code().map(u8::try_from) {
                None => 0,
                Some(Ok(code)) => code,
                Some(Err(_)) => {
                    std::process::exit(crate::platform::signals::exit_code().unwrap_or(1))
                }
            },
            Err(e) => {
                tell!("The window could not be opened: {e}");
                tell!(
                    "This app needs a desktop session. Without one, use the command line: {PROGRAM} --help"
                );
                1
            }
        },
        Some(Command::Check(args)) => check(&args),
        Some(Command::Key { command }) => match command {
            KeyCommand::Store { stdin } => key_store(stdin),
            KeyCommand::Status => key_status(),
            KeyCommand::Forget => key_forget(),
        },
    }
}

/// Where the key text came from, for messages.
enum Source {
    Stdin,
    Env,
    Keyring,
}

impl Source {
    fn describe(&self) -> &'static str {
        match self {
            Self::Stdin => "standard input",
            Self::Env => "OPENAI_API_KEY",
            Self::Keyring => "the key stored in the keyring",
        }
    }
}

/// All of standard input (at most [`MAX_STDIN_BYTES`]), as text.
fn read_stdin() -> Result<Zeroizing<String>, String> {
    let mut bytes = Zeroizing::new(Vec::new());
    std::io::stdin()
        .take(MAX_STDIN_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("Standard input could not be read ({}).", e.kind()))?;
    Ok(decode_input(&bytes))
}

/// Text from bytes: UTF-16 when it starts with a byte-order mark (Windows Notepad's
/// "Unicode", PowerShell's `Out-File`), else UTF-8 (a UTF-8 byte-order mark is dropped).
/// Anything undecodable becomes U+FFFD, which the key scan treats as a separator.
fn decode_input(bytes: &[u8]) -> Zeroizing<String> {
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Zeroizing<Vec<u16>> = Zeroizing::new(
            rest.chunks(2)
                .map(|pair| from([pair[0], pair.get(1).copied().unwrap_or(0)]))
                .collect(),
        );
        Zeroizing::new(String::from_utf16_lossy(&units))
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => Zeroizing::new(String::from_utf8_lossy(rest).into_owned()),
        _ => Zeroizing::new(String::from_utf8_lossy(bytes).into_owned()),
    }
}

/// The key for `check`, first match wins: stdin, `OPENAI_API_KEY`, the keyring. Text the user
/// gave is scanned like clipboard text; a stored key was already checked when it was read.
/// The error is the message and the exit code.
fn key_input(args: &CheckArgs) -> Result<(Recognition, Source), (String, u8)> {
    if args.key_stdin {
        let text = read_stdin().map_err(|message| (message, EXIT_USAGE))?;
        return Ok((scan_input(text).result, Source::Stdin));
    }
    // An empty (or blank) variable counts as unset, as the official libraries read it.
    if let Some(value) = std::env::var_os("OPENAI_API_KEY")
        && !value.to_string_lossy().trim().is_empty()
    {
        let text = Zeroizing::new(value.to_string_lossy().into_owned());
        return Ok((scan_input(text).result, Source::Env));
    }
    let none = format!(
        "No key found. Pipe it in with --key-stdin, set OPENAI_API_KEY, or store it with: {PROGRAM} key store"
    );
    match with_keyring(KeyringTask::Read, |vault| vault.load()) {
        Some(Ok(Some(key))) => Ok((Recognition::Key(key), Source::Keyring)),
        Some(Ok(None)) => Err((none, EXIT_USAGE)),
        // The keyring is missing, locked or refused: the user must act (exit 1), and the
        // keyring's own words say how. Not "no key found": one may well be stored.
        Some(Err(e)) => Err((e.to_string(), EXIT_ACT)),
        None => Err((String::new(), EXIT_ACT)),
    }
}

/// What the command line asks of the keyring, for the messages while it waits.
#[derive(Clone, Copy)]
enum KeyringTask {
    /// `check` reading the stored key.
    Read,
    /// `key status`.
    Status,
    /// `key store`.
    Store,
    /// `key forget`.
    Forget,
}

impl KeyringTask {
    fn doing(self) -> &'static str {
        match self {
            Self::Read | Self::Status => "read the stored key",
            Self::Store => "store the key",
            Self::Forget => "remove the stored key",
        }
    }

    /// What the user is told when the keyring never answered: what happened, what to do.
    fn gave_up(self) -> &'static str {
        match self {
            Self::Read => {
                "No key was read. Unlock your keyring (or log out and back in) and run the command again, or give the key to the command directly (OPENAI_API_KEY or --key-stdin)."
            }
            Self::Status => {
                "Nothing was read. Unlock your keyring (or log out and back in) and run the command again."
            }
            Self::Store => {
                "The key may not have been stored. Unlock your keyring (or log out and back in) and run the command again."
            }
            Self::Forget => {
                "The key may not have been removed. Unlock your keyring (or log out and back in) and run the command again."
            }
        }
    }
}

/// Runs one keyring call on a named worker thread. A keyring can wait for an unlock or
/// access dialog, or hang on a session bus that never answers; so after
/// [`KEYRING_SAY_WAITING`] the terminal is told what is being waited for, and after
/// [`KEYRING_GIVE_UP`] the command gives up: it prints why and returns `None` (exit 1; the
/// worker is left behind and ends with the process).
fn with_keyring<T: Send + 'static>(
    task: KeyringTask,
    call: impl FnOnce(KeyVault) -> T + Send + 'static,
) -> Option<T> {
    let location = crate::adapters::vault::location();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(String::from("cli-keyring"))
        .spawn(move || {
            let _ = tx.send(call(KeyVault::new()));
        });
    if spawned.is_err() {
        tell!(
            "The keyring could not be used: this computer is short of resources. Close some programs and try again."
        );
        return None;
    }
    let give_up = keyring_give_up();
    let first = KEYRING_SAY_WAITING.min(give_up);
    let failed = || {
        tell!(
            "The keyring ({location}) could not be used: something went wrong inside this app. Run the command again; if it keeps failing, restart your session."
        );
    };
    match rx.recv_timeout(first) {
        Ok(answer) => return Some(answer),
        Err(RecvTimeoutError::Disconnected) => {
            failed();
            return None;
        }
        Err(RecvTimeoutError::Timeout) => {}
    }
    tell!(
        "Waiting for the keyring ({location}) to {}. If a window asks you to unlock your keyring or to allow access, answer it there. Giving up after {} s.",
        task.doing(),
        give_up.as_secs()
    );
    match rx.recv_timeout(give_up.saturating_sub(first)) {
        Ok(answer) => Some(answer),
        Err(RecvTimeoutError::Disconnected) => {
            failed();
            None
        }
        Err(RecvTimeoutError::Timeout) => {
            tell!(
                "The keyring ({location}) did not answer within {} s, so the command gave up. {}",
                give_up.as_secs(),
                task.gave_up()
            );
            None
        }
    }
}

/// [`KEYRING_GIVE_UP`], or the shorter time the test hook asks for.
fn keyring_give_up() -> Duration {
    std::env::var(KEYRING_GIVE_UP_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .filter(|d| !d.is_zero() && *d < KEYRING_GIVE_UP)
        .unwrap_or(KEYRING_GIVE_UP)
}

fn print(report: &CheckReport, json: bool) {
    let text = if json {
        format!("{}\n", render_json(report))
    } else {
        render_text(report)
    };
    // What the terminal shows is what the leak guard compared: no invisible or bidi
    // characters, no escape sequences (the core already keeps them out of server text).
    let text = leak::printable(&text);
    write_quietly(&mut std::io::stdout().lock(), format_args!("{text}"), false);
}

/// Find the key in text the user gave (it is dropped, and zeroed, right after), saying when the
/// text was too long to search whole.
fn scan_input(text: Zeroizing<String>) -> key::Scan {
    let scan = key::scan(&text);
    drop(text);
    if scan.truncated {
        tell!(
            "Note: only the first {} MiB of the text was searched for a key.",
            key::MAX_SCAN_BYTES >> 20
        );
    }
    scan
}

fn check(args: &CheckArgs) -> u8 {
    let (recognition, source) = match key_input(args) {
        Ok(found) => found,
        Err((message, code)) => {
            if !message.is_empty() {
                tell!("{message}");
            }
            return code;
        }
    };
    let key: &ApiKey = match &recognition {
        Recognition::Key(key) if !args.offline => key,
        recognition => {
            let Some(report) = CheckReport::from_shape(recognition) else {
                tell!(
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
            // CheckError never repeats the key or an environment value that could hold it.
            tell!("The check could not start: {e}.");
            EXIT_USAGE
        }
    }
}

/// Prints a keyring error and gives the exit code for it: the user must act (open a desktop
/// session with a keyring, unlock it, allow access), so [`EXIT_ACT`], never a usage error.
fn vault_failed(error: &VaultError) -> u8 {
    tell!("{error}");
    EXIT_ACT
}

/// The text `key store` scans: standard input, or a line typed without echo.
fn typed_or_piped(stdin: bool) -> Result<Zeroizing<String>, String> {
    if stdin {
        return read_stdin();
    }
    rpassword::prompt_password("Paste your OpenAI API key (it is not shown): ")
        .map(Zeroizing::new)
        .map_err(|e| {
            format!(
                "Could not ask for the key ({}). Pipe it in instead: {PROGRAM} key store --stdin",
                e.kind()
            )
        })
}

fn key_store(stdin: bool) -> u8 {
    let text = match typed_or_piped(stdin) {
        Ok(text) => text,
        Err(message) => {
            tell!("{message}");
            return EXIT_USAGE;
        }
    };
    let scan = scan_input(text);
    let key = match scan.result {
        Recognition::Key(key) => key,
        Recognition::Problem(problem) => {
            tell!("Nothing was stored. {problem}");
            return EXIT_ACT;
        }
        Recognition::Nothing => {
            tell!(
                "No OpenAI key was found in what you gave. Copy the key again from OpenAI's dialog (it starts with sk-)."
            );
            return EXIT_USAGE;
        }
    };
    let (kind, masked) = (key.kind(), key.masked());
    match with_keyring(KeyringTask::Store, move |vault| vault.store(&key)) {
        Some(Ok(())) => {
            say!(
                "Stored your {} {} in {}.",
                kind.label(),
                masked,
                KeyVault::new().location()
            );
            0
        }
        Some(Err(e)) => vault_failed(&e),
        None => EXIT_ACT,
    }
}

fn key_status() -> u8 {
    let vault = KeyVault::new();
    let Some(answer) = with_keyring(KeyringTask::Status, |vault| vault.load()) else {
        return EXIT_ACT;
    };
    match answer {
        Ok(Some(key)) => {
            say!(
                "A {} is stored in {}: {}",
                key.kind().label(),
                vault.location(),
                key.masked()
            );
            0
        }
        Ok(None) => {
            say!(
                "No key is stored in {}. Store one with: {PROGRAM} key store",
                vault.location()
            );
            EXIT_ACT
        }
        Err(e) => vault_failed(&e),
    }
}

fn key_forget() -> u8 {
    let vault = KeyVault::new();
    let Some(answer) = with_keyring(KeyringTask::Forget, |vault| vault.forget()) else {
        return EXIT_ACT;
    };
    match answer {
        Ok(true) => {
            say!("Removed the stored key from {}.", vault.location());
            0
        }
        Ok(false) => {
            say!(
                "No key was stored in {}; nothing to remove.",
                vault.location()
            );
            0
        }
        Err(e) => vault_failed(&e),
    }
}
