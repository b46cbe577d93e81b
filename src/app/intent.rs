//! What the user can ask for: the screens, and the intents the draw functions return.

use super::state::CheckExtra;
use crate::core::checklist::{ItemId, Mark};
use crate::core::guide::TroubleId;
use crate::core::i18n::LangChoice;
use crate::core::recheck::Awaited;
use crate::core::verdict::StepId;

/// Which screen the main area shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The selected step's instructions.
    Step,
    /// The troubleshooting entries, one of them highlighted.
    Troubleshooting(Option<TroubleId>),
    /// The guide's final checklist.
    FinalChecklist,
}

/// What the user asked for, returned by the draw functions and applied after drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum Intent {
    /// Speak another language: the system's, or one the user picked. Saved with the progress.
    SetLanguage(LangChoice),
    /// The language menu is open and the fonts cannot draw a language's own name yet (日本語
    /// with only Latin fonts installed): find fonts for the names.
    ShowLanguageNames,
    /// Show a step's instructions.
    SelectStep(StepId),
    /// Change an item's mark.
    SetItem(ItemId, Mark),
    /// Switch screens.
    Show(Screen),
    /// Open a page in the browser.
    OpenLink(&'static str),
    /// Put text (never a key) on the clipboard.
    CopyText(String),
    /// Confirm the final checklist.
    Confirm,
    /// Hide the one-line notice.
    DismissNotice,
    /// Hide the "could not open the browser" box.
    DismissLinkFailure,
    /// Turn the clipboard watcher on or off.
    SetWatch(bool),
    /// A frame drew the notice about macOS's paste privacy: the watcher may read now.
    PasteNoticeShown,
    /// The answer to "your keyring holds another key: replace it?".
    ReplaceSavedKey(bool),
    /// Use the key in the paste box.
    UsePasted,
    /// Join the pieces of a key broken by spaces or line breaks in the paste box, and use the
    /// joined key as a pasted one.
    JoinPasted,
    /// "Join the pieces" under the note about a key copied in pieces: take the joined key as
    /// one the user gave on purpose.
    JoinCopied,
    /// Ask to replace the key (shows a confirmation).
    ReplaceKey,
    /// Answer the replace confirmation: wait for a new key (the old one stays stored until the
    /// new one arrives), or keep the key.
    ConfirmReplace(bool),
    /// While waiting for a new key: go back to the key being replaced.
    KeepOldKey,
    /// Answer "A new key was copied … Use it?": use it, or keep the current key.
    UseNewKey(bool),
    /// Stop the running check (a paid answer still counts when it comes).
    CancelCheck,
    /// Answer the close prompt: close anyway (the key is cleared), or keep the window open.
    CloseAnyway(bool),
    /// Remove the captured key from the clipboard (only if it is still there).
    ClearClipboard,
    /// Ask OpenAI what is still missing (free checks only).
    RunCheck,
    /// Whether a captured key is saved in the OS keyring.
    SetSaveInKeyring(bool),
    /// Try saving in the keyring again.
    RetryStore,
    /// Keep the key in memory for this session only.
    ContinueWithoutSaving,
    /// Ask to forget the saved key (shows a confirmation).
    AskForget,
    /// Answer the confirmation: forget, or keep.
    ConfirmForget(bool),
    /// Put the key on the clipboard for AAAI, to be cleared after a while.
    CopyForAaai,
    /// Clear the key from the clipboard now.
    ClearNow,
    /// Put the support report (never the key) on the clipboard.
    CopyReport,
    /// Run the check with something extra (one test image, or a paid one-token test).
    RunCheckWith(CheckExtra),
    /// "I added credit" / "I've verified my organization": re-check (free) until it shows.
    WatchFor(Awaited),
    /// Stop re-checking.
    StopWatching,
    /// How many seconds a key copied for AAAI stays on the clipboard.
    SetClearAfter(u64),
    /// The answer to "Is <org> the organization you want AAAI to bill?".
    AnswerOrganization(bool),
    /// Hide the welcome-back sentence.
    DismissWelcome,
}
