//! The app's runtime state types: the key, the clipboard watcher, the keyring and the check as
//! the user sees them, and the widgets' own state. Nothing here is saved to disk.

use std::sync::mpsc::Receiver;
use std::time::Instant;

use zeroize::Zeroizing;

use crate::adapters::net::CheckError;
use crate::adapters::vault::VaultError;
use crate::core::key::ApiKey;
use crate::core::readiness::CheckReport;

/// The key's place in the OS keyring, as the user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VaultState {
    /// Reading the keyring at start.
    Loading,
    /// Nothing is stored.
    Empty,
    /// Saving the current key.
    Saving,
    /// The current key is stored.
    Stored,
    /// Removing the stored key.
    Forgetting,
    /// The keyring could not be used; the message says why and what to do.
    Failed(String),
    /// The user chose to keep the key for this session only.
    SessionOnly,
}

/// Results of keyring work done on worker threads.
pub(super) enum VaultEvent {
    Loaded(Result<Option<ApiKey>, VaultError>),
    Stored(Result<(), VaultError>),
    Forgot(Result<bool, VaultError>),
}

/// Where the key came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// Noticed on the clipboard.
    Clipboard,
    /// Typed or pasted into the box.
    PasteBox,
    /// Read from the OS keyring at start.
    Keyring,
}

/// The key the user gave us, kept in memory only (zeroed on drop).
#[derive(Clone, Debug)]
pub struct CapturedKey {
    /// The key; `Debug` is masked.
    pub key: ApiKey,
    /// How it arrived.
    pub source: KeySource,
    /// The clipboard may still hold it (offer to clear it).
    pub on_clipboard: bool,
}

/// The clipboard watcher as the user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClipStatus {
    /// Not watching.
    Off,
    /// Watching for a key.
    Watching,
    /// The clipboard cannot be read here; the paste box is the way.
    Unavailable(String),
}

/// What a check does beyond the free probes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckExtra {
    /// Only the free probes.
    Free,
    /// Also the organization-verification probe (may cost a tiny fraction of a cent).
    Verification,
    /// The user agreed to one paid one-token request if the free credit probe is unclear.
    PaidProbe,
}

/// Re-checking for credit after the user said they added some.
#[derive(Clone, Debug)]
pub struct CreditWatch {
    /// When re-checking began.
    pub started: Instant,
    /// When the next check runs.
    pub next_at: Instant,
    /// How many re-checks ran.
    pub attempt: u32,
}

/// The readiness check, as background work.
#[derive(Debug, Default)]
pub enum CheckState {
    /// Not run since the key arrived.
    #[default]
    NotYet,
    /// Running on its thread.
    Running {
        /// The result arrives here.
        rx: Receiver<Result<CheckReport, CheckError>>,
        /// When it started.
        since: Instant,
    },
    /// Finished.
    Done {
        /// What it found.
        report: Box<CheckReport>,
        /// When.
        at: Instant,
    },
    /// Could not be run (bad settings such as a plain-http base URL).
    Failed(String),
}

/// State that belongs to the widgets, not the app: the paste box's text and its show/hide.
#[derive(Default)]
pub struct ViewState {
    /// What is in the paste box. Zeroed on drop.
    pub paste: Zeroizing<String>,
    /// Show the paste box's text in clear.
    pub show_paste: bool,
    /// The shape problem of the paste box's text, recomputed when it changes.
    pub paste_problem: Option<String>,
}

/// A link that could not be opened: shown with its address and a copy button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkFailure {
    /// The page's address.
    pub url: &'static str,
}
