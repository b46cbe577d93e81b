//! The app's runtime state types: the key, the clipboard watcher, the keyring and the check as
//! the user sees them, and the widgets' own state. Nothing here is saved to disk.

use std::time::Instant;

use zeroize::Zeroizing;

use super::intent::Screen;
use crate::core::key::ApiKey;
use crate::core::readiness::CheckReport;
use crate::core::recheck::Recheck;
use crate::core::status::Tone;
use crate::core::verdict::StepId;

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
    /// Before saving, the keyring turned out to hold another key, one this window never
    /// showed (an earlier save it could not read at start): it is not replaced without a yes.
    HoldsOther(ApiKey),
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
    /// Also one smallest real image (about half a cent), which alone proves images work.
    Verification,
    /// The user agreed to one paid one-token request if the free credit probe is unclear.
    PaidProbe,
}

/// Re-checking on a schedule (free checks only) while the user waits for credit or for
/// verification to arrive.
#[derive(Clone, Debug)]
pub struct RecheckRun {
    /// The schedule (what is awaited, when the next check is due).
    pub schedule: Recheck,
    /// When the user asked.
    pub started: Instant,
}

impl RecheckRun {
    /// When the next check is due, as a moment; `None` if it cannot be represented.
    pub fn next_at(&self) -> Option<Instant> {
        self.started.checked_add(self.schedule.due_at())
    }
}

/// The key the app put on the clipboard for AAAI: the hand-off owns its own copy of the key, so
/// replacing or capturing a key during the countdown cannot make the app forget to clear it.
#[derive(Clone, Debug)]
pub struct Handoff {
    /// The key that was copied (masked `Debug`, zeroed on drop).
    pub key: ApiKey,
    /// When it is cleared; `None` while the copy is still being made.
    pub until: Option<Instant>,
}

/// The readiness check, as background work.
#[derive(Debug, Default)]
pub enum CheckState {
    /// Not run since the key arrived.
    #[default]
    NotYet,
    /// Running on its thread; its result arrives in the inbox tagged with `seq`.
    Running {
        /// Which run this is (free results of older runs are dropped; a paid answer never is).
        seq: u64,
        /// When it started.
        since: Instant,
        /// What it does beyond the free probes.
        extra: CheckExtra,
    },
    /// The user cancelled the check before it answered.
    Cancelled,
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

/// A key the watcher or the paste box brought while another key is here: offered, never taken
/// without the user's yes.
#[derive(Clone, Debug)]
pub struct OfferedKey {
    /// The new key (masked `Debug`, zeroed on drop).
    pub key: ApiKey,
    /// How it arrived.
    pub source: KeySource,
}

/// A short message that goes away by itself after a while, or stays until acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The words.
    pub text: String,
    /// How it looks.
    pub tone: Tone,
    /// When it appeared.
    pub at: Instant,
    /// It fades after [`Note::FADE_AFTER`]; otherwise it stays until its cause is gone.
    pub fades: bool,
    /// A key copied in pieces (broken by a space or a line break): the key the pieces make,
    /// offered with "Join the pieces" (masked `Debug`, zeroed on drop).
    pub joined: Option<ApiKey>,
}

impl Note {
    /// How long a fading note stays.
    pub(crate) const FADE_AFTER: std::time::Duration = std::time::Duration::from_secs(8);

    /// A note that fades.
    pub(crate) fn fading(text: impl Into<String>, tone: Tone) -> Self {
        Self {
            text: text.into(),
            tone,
            at: Instant::now(),
            fades: true,
            joined: None,
        }
    }

    /// A note that stays.
    pub(crate) fn staying(text: impl Into<String>, tone: Tone) -> Self {
        Self {
            fades: false,
            ..Self::fading(text, tone)
        }
    }

    /// Whether a fading note is past its time at `now`.
    pub(crate) fn faded(&self, now: Instant) -> bool {
        self.fades && now.saturating_duration_since(self.at) >= Self::FADE_AFTER
    }
}

/// State that belongs to the widgets, not the app: the paste box's text and its show/hide.
#[derive(Default)]
pub struct ViewState {
    /// What is in the paste box. Zeroed on drop.
    pub paste: Zeroizing<String>,
    /// Show the paste box's text in clear.
    pub show_paste: bool,
    /// What the paste box says about its text, recomputed when it changes.
    pub paste_hint: crate::core::paste::PasteHint,
    /// The page the main area showed last frame: a new page opens at its top.
    pub shown_page: Option<(Screen, StepId)>,
}

/// A link that could not be opened: shown with its address and a copy button, on the screen
/// where it happened only; it goes away on navigation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkFailure {
    /// The page's address.
    pub url: &'static str,
    /// The screen it happened on.
    pub screen: Screen,
    /// The step that was open.
    pub step: StepId,
}
