//! The clipboard, on its own named thread: it watches for a copied key (polling, comparing a
//! hash of the content so unchanged content costs almost nothing), scans new text with the
//! core's key recognition, and wakes the UI only when something changed. It also clears a key
//! from the clipboard on request, but only if the clipboard still holds that same key.
//! Where the system keeps a cheap change counter (Windows, macOS; `platform::clipboard_counter`)
//! the text is read only when that counter moved.
//! Clipboard contents are never logged, sent anywhere or written to disk.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash as _, Hasher as _};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::core::key::{self, ApiKey, Recognition};

/// How often the clipboard is read while watching.
pub const POLL_INTERVAL: Duration = Duration::from_millis(400);
/// How often a missing clipboard is tried again.
const RETRY_UNAVAILABLE: Duration = Duration::from_secs(5);
/// How many times a clear request reads (and clears) the clipboard before it gives up.
const CLEAR_ATTEMPTS: u32 = 3;
/// The pause between those attempts.
const CLEAR_RETRY_PAUSE: Duration = Duration::from_millis(100);

/// Why the clipboard cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClipError {
    /// Empty, or holding something that is not text (an image, files).
    #[error("the clipboard holds no text")]
    NoText,
    /// No clipboard can be reached here (no display, or a desktop that does not let apps read it).
    #[error("{0}")]
    Unavailable(String),
    /// Busy or a passing failure; try again next time.
    #[error("the clipboard was busy")]
    Busy,
}

/// Something that holds text the user copied. The real one is [`SystemClipboard`].
pub trait ClipboardSource {
    /// The current text.
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError>;
    /// Empty the clipboard.
    fn clear(&mut self) -> Result<(), ClipError>;
    /// Put a secret on the clipboard, marked so clipboard managers and history leave it out
    /// where the platform allows.
    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError>;
    /// A number that changes whenever anything is copied, where the system keeps one that
    /// costs next to nothing to read (Windows, macOS); `None` where it does not, and the text
    /// is then read at every poll.
    fn change_count(&mut self) -> Option<u64> {
        None
    }
}

/// Opens the clipboard; called once on the watcher thread (and again after a failure).
pub type SourceFactory = Box<dyn FnMut() -> Result<Box<dyn ClipboardSource>, ClipError> + Send>;

/// The operating system's clipboard through `arboard`.
pub struct SystemClipboard(arboard::Clipboard);

impl SystemClipboard {
    /// A factory for the watcher.
    pub fn factory() -> SourceFactory {
        Box::new(|| {
            arboard::Clipboard::new()
                .map(|c| Box::new(SystemClipboard(c)) as Box<dyn ClipboardSource>)
                .map_err(|e| ClipError::Unavailable(unavailable_reason(&e)))
        })
    }
}

fn unavailable_reason(e: &arboard::Error) -> String {
    match e {
        arboard::Error::ClipboardNotSupported => {
            String::from("This desktop does not let apps read the clipboard.")
        }
        _ => String::from("The clipboard cannot be reached here."),
    }
}

impl ClipboardSource for SystemClipboard {
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError> {
        match self.0.get_text() {
            Ok(text) => Ok(Zeroizing::new(text)),
            Err(arboard::Error::ContentNotAvailable | arboard::Error::ConversionFailure) => {
                Err(ClipError::NoText)
            }
            Err(arboard::Error::ClipboardNotSupported) => Err(ClipError::Unavailable(
                unavailable_reason(&arboard::Error::ClipboardNotSupported),
            )),
            Err(_) => Err(ClipError::Busy),
        }
    }

    fn clear(&mut self) -> Result<(), ClipError> {
        self.0.clear().map_err(|_| ClipError::Busy)
    }

    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError> {
        let set = self.0.set();
        #[cfg(all(
            unix,
            not(any(target_os = "macos", target_os = "ios", target_os = "android"))
        ))]
        let set = {
            use arboard::SetExtLinux as _;
            set.exclude_from_history()
        };
        #[cfg(target_os = "macos")]
        let set = {
            use arboard::SetExtApple as _;
            set.exclude_from_history()
        };
        #[cfg(windows)]
        let set = {
            use arboard::SetExtWindows as _;
            set.exclude_from_monitoring()
                .exclude_from_cloud()
                .exclude_from_history()
        };
        set.text(text).map_err(|_| ClipError::Busy)
    }

    fn change_count(&mut self) -> Option<u64> {
        crate::platform::clipboard_counter::change_count()
    }
}

/// What the watcher reports to the UI.
#[derive(Debug)]
pub enum ClipEvent {
    /// The clipboard changed and its text was scanned.
    Scanned {
        /// What the scan found.
        result: Recognition,
        /// More text than the scan looks at was on the clipboard.
        truncated: bool,
    },
    /// The clipboard changed to something that is not text, or became empty.
    NoText,
    /// The clipboard cannot be read here; the paste box is the way.
    Unavailable(String),
    /// The clipboard can be read (again).
    Available,
    /// A "copy the key for AAAI" request finished.
    Copied {
        /// True when the key is on the clipboard.
        ok: bool,
    },
    /// A "clear the key from the clipboard" request finished.
    Cleared {
        /// True when the key was removed; false when the clipboard was read and no longer
        /// held it.
        removed: bool,
    },
    /// A "clear the key from the clipboard" request could not read or empty the clipboard,
    /// even after a few tries: the key may still be on it.
    ClearFailed,
}

enum Command {
    SetActive(bool),
    ClearIfHolds(ApiKey),
    CopySensitive(ApiKey),
}

/// The handle the app keeps: switch watching on and off, ask for a clear, read events.
pub struct ClipboardWatcher {
    commands: Sender<Command>,
    events: Receiver<ClipEvent>,
}

impl ClipboardWatcher {
    /// Start the watcher thread. `wake` is called after each event (the app passes
    /// `ctx.request_repaint`); the watcher starts inactive.
    pub fn start(
        mut open: SourceFactory,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let (commands, command_rx) = mpsc::channel();
        let (event_tx, events) = mpsc::channel();
        std::thread::Builder::new()
            .name(String::from("clipboard-watcher"))
            .spawn(move || {
                let send = |event: ClipEvent| {
                    let ok = event_tx.send(event).is_ok();
                    wake();
                    ok
                };
                watch(&mut open, &command_rx, send);
            })?;
        Ok(Self { commands, events })
    }

    /// Watch or stop watching. Turning it on looks at the current content at once.
    pub fn set_active(&self, active: bool) {
        let _ = self.commands.send(Command::SetActive(active));
    }

    /// Remove `key` from the clipboard if the clipboard still holds exactly that key.
    pub fn clear_if_holds(&self, key: ApiKey) {
        let _ = self.commands.send(Command::ClearIfHolds(key));
    }

    /// Put `key` on the clipboard for pasting into AAAI, marked as sensitive.
    pub fn copy_sensitive(&self, key: ApiKey) {
        let _ = self.commands.send(Command::CopySensitive(key));
    }

    /// The next event, if any (never blocks).
    pub fn try_event(&self) -> Option<ClipEvent> {
        self.events.try_recv().ok()
    }
}

fn content_hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The watcher loop: runs until the app drops its handle.
fn watch(open: &mut SourceFactory, commands: &Receiver<Command>, send: impl Fn(ClipEvent) -> bool) {
    let mut source: Option<Box<dyn ClipboardSource>> = None;
    let mut next_open = Instant::now();
    let mut reported_unavailable = false;
    let mut active = false;
    // `None` until the first read; `Some(None)` for "no text".
    let mut last: Option<Option<u64>> = None;
    // The clipboard's change count at the last read, where the platform keeps one: while it
    // holds still, the text is not read again.
    let mut last_count: Option<u64> = None;
    loop {
        let wait = if active {
            POLL_INTERVAL
        } else {
            Duration::from_secs(3600)
        };
        match commands.recv_timeout(wait) {
            Ok(Command::SetActive(on)) => {
                active = on;
                last = None;
                last_count = None;
                if !active {
                    continue;
                }
            }
            Ok(Command::CopySensitive(key)) => {
                if source.is_none() {
                    source = open().ok();
                }
                let ok = source
                    .as_mut()
                    .is_some_and(|s| s.set_sensitive(key.expose_secret()).is_ok());
                if !send(ClipEvent::Copied { ok }) {
                    return;
                }
                continue;
            }
            Ok(Command::ClearIfHolds(key)) => {
                let event = clear_if_holds(open, &mut source, &key);
                if matches!(event, ClipEvent::Cleared { removed: true }) {
                    last = Some(None);
                }
                if !send(event) {
                    return;
                }
                continue;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if !active {
            continue;
        }
        if source.is_none() && Instant::now() >= next_open {
            match open() {
                Ok(s) => {
                    source = Some(s);
                    if reported_unavailable {
                        reported_unavailable = false;
                        if !send(ClipEvent::Available) {
                            return;
                        }
                    }
                }
                Err(e) => {
                    next_open = Instant::now() + RETRY_UNAVAILABLE;
                    if !reported_unavailable {
                        reported_unavailable = true;
                        if !send(ClipEvent::Unavailable(e.to_string())) {
                            return;
                        }
                    }
                }
            }
        }
        let Some(clipboard) = source.as_mut() else {
            continue;
        };
        let count = clipboard.change_count();
        if count.is_some() && count == last_count && last.is_some() {
            continue;
        }
        let event = match clipboard.text() {
            Ok(text) => {
                last_count = count;
                let hash = Some(content_hash(&text));
                if last == Some(hash) {
                    continue;
                }
                last = Some(hash);
                let scan = key::scan(&text);
                ClipEvent::Scanned {
                    result: scan.result,
                    truncated: scan.truncated,
                }
            }
            Err(ClipError::NoText) => {
                last_count = count;
                if last == Some(None) {
                    continue;
                }
                last = Some(None);
                ClipEvent::NoText
            }
            Err(ClipError::Busy) => continue,
            Err(ClipError::Unavailable(reason)) => {
                source = None;
                last_count = None;
                next_open = Instant::now() + RETRY_UNAVAILABLE;
                reported_unavailable = true;
                ClipEvent::Unavailable(reason)
            }
        };
        if !send(event) {
            return;
        }
    }
}

/// Clears the clipboard if it holds `key`. A read that fails is not an answer: it is tried
/// again a few times (reopening the clipboard if it went away), and if no read works the
/// outcome is [`ClipEvent::ClearFailed`], never "something else was there". Between the read
/// and the clear there is only an in-memory comparison of a short text.
fn clear_if_holds(
    open: &mut SourceFactory,
    source: &mut Option<Box<dyn ClipboardSource>>,
    key: &ApiKey,
) -> ClipEvent {
    for attempt in 0..CLEAR_ATTEMPTS {
        if attempt > 0 {
            std::thread::sleep(CLEAR_RETRY_PAUSE);
        }
        if source.is_none() {
            *source = open().ok();
        }
        let Some(clipboard) = source.as_mut() else {
            continue;
        };
        match clipboard.text() {
            Ok(text) => {
                if !clipboard_holds(&text, key) {
                    return ClipEvent::Cleared { removed: false };
                }
                drop(text);
                if clipboard.clear().is_ok() {
                    return ClipEvent::Cleared { removed: true };
                }
            }
            // Empty, or not text: the key is not there.
            Err(ClipError::NoText) => return ClipEvent::Cleared { removed: false },
            Err(ClipError::Unavailable(_)) => *source = None,
            Err(ClipError::Busy) => {}
        }
    }
    ClipEvent::ClearFailed
}

/// Whether the clipboard text is this key (allowing the whitespace and wrapping a copy may
/// add). Text much longer than the key is the user's, not ours, and is not searched at all,
/// which keeps the read-compare-clear window short.
fn clipboard_holds(text: &str, key: &ApiKey) -> bool {
    let secret = key.expose_secret();
    if text.trim() == secret {
        return true;
    }
    text.len() < 4 * secret.len() && key::scan(text).result.key() == Some(key)
}

#[cfg(test)]
#[path = "clipboard_tests.rs"]
mod tests;
