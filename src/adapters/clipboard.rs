//! The clipboard, on its own named thread: it watches for a copied key, scans new text with the
//! core's key recognition, and wakes the UI only when something changed. It also clears a key
//! from the clipboard on request, but only if the clipboard still holds that same key.
//! At most [`READ_LIMIT`] bytes of the clipboard are read. How a change is noticed depends on
//! the system: on X11, XFixes events say when a program copied (`clipboard_x11`) and nothing
//! is read in between; where the system keeps a cheap change counter (Windows, macOS;
//! `platform::clipboard_counter`) it is read every 400 ms and the text only when it moved;
//! elsewhere the text is read every 400 ms and compared by a hash of that bounded prefix.
//! Clipboard contents are never logged, sent anywhere or written to disk.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash as _, Hasher as _};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::core::key::{self, ApiKey, Recognition};
pub use crate::core::watch::Watcher;

/// The most of the clipboard's text that is read, in bytes (1 MiB). A key is under 200
/// characters; text beyond this is not searched, and the user is told so.
pub const READ_LIMIT: usize = 1 << 20;
/// How often the clipboard is read while watching, where no change events come.
pub const POLL_INTERVAL: Duration = Duration::from_millis(400);
/// How often a missing clipboard is tried again.
const RETRY_UNAVAILABLE: Duration = Duration::from_secs(5);
/// How many times a clear request reads (and clears) the clipboard before it gives up.
const CLEAR_ATTEMPTS: u32 = 3;
/// Text this many times longer than the key is never taken for it.
const HOLDS_LIMIT_FACTOR: usize = 4;
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
    /// Nothing on this desktop lets an app read the clipboard (no Wayland data-control and no
    /// X server): said once, and not tried again.
    #[error("{0}")]
    NotOffered(String),
    /// Busy or a passing failure; try again next time.
    #[error("the clipboard was busy")]
    Busy,
}

/// Something that holds text the user copied. The real one is [`SystemClipboard`].
pub trait ClipboardSource {
    /// The current text.
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError>;
    /// At most `limit` bytes of the current text (cut at a character boundary), and whether
    /// there was more. Sources that can read a part only override this; the default reads it
    /// all and cuts.
    fn text_prefix(&mut self, limit: usize) -> Result<(Zeroizing<String>, bool), ClipError> {
        Ok(cut(self.text()?, limit))
    }
    /// At most `limit` bytes of the primary selection (X11 and Wayland keep one: what was last
    /// selected with the mouse), and whether there was more; `NoText` where there is none.
    fn primary_prefix(&mut self, limit: usize) -> Result<(Zeroizing<String>, bool), ClipError> {
        let _ = limit;
        Err(ClipError::NoText)
    }
    /// Empty the primary selection, where there is one.
    fn clear_primary(&mut self) -> Result<(), ClipError> {
        Ok(())
    }
    /// Arrange for `changed` to be called each time something is copied, until it returns
    /// false; true when that will happen (the watcher then stops polling), false where the
    /// system offers no such events here.
    fn notify_changes(&mut self, changed: Box<dyn Fn() -> bool + Send>) -> bool {
        let _ = changed;
        false
    }
    /// Which watcher this is, given whether change events come (see `notify_changes`).
    fn watcher(&self, events: bool) -> Watcher {
        let _ = events;
        if cfg!(windows) {
            Watcher::Windows
        } else if cfg!(target_os = "macos") {
            Watcher::MacOs
        } else {
            Watcher::X11Polling
        }
    }
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

/// `text` cut to at most `limit` bytes at a character boundary, and whether anything was cut.
pub(crate) fn cut(mut text: Zeroizing<String>, limit: usize) -> (Zeroizing<String>, bool) {
    if text.len() <= limit {
        return (text, false);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    (text, true)
}

/// Opens the clipboard; called once on the watcher thread (and again after a failure).
pub type SourceFactory = Box<dyn FnMut() -> Result<Box<dyn ClipboardSource>, ClipError> + Send>;

/// The operating system's clipboard through `arboard`; on Linux its text is read, a bounded
/// prefix only, through Wayland's data-control or X11, and X11's changes are watched through
/// XFixes events (`clipboard_linux`, `clipboard_x11`).
pub struct SystemClipboard {
    arboard: arboard::Clipboard,
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    linux: super::clipboard_linux::LinuxReader,
}

impl SystemClipboard {
    /// A factory for the watcher.
    pub fn factory() -> SourceFactory {
        Box::new(|| {
            #[cfg(all(
                unix,
                not(any(target_os = "macos", target_os = "ios", target_os = "android"))
            ))]
            let linux = super::clipboard_linux::LinuxReader::open()?;
            // macOS 15.4+: where the user denied pasting from other apps, nothing is read at
            // all (a read would see nothing); the window says why, once.
            let access = crate::platform::clipboard_counter::paste_access();
            if !crate::core::watch::access_notice(access).read {
                let words = crate::core::watch::access_notice(access)
                    .say
                    .unwrap_or_default();
                return Err(ClipError::NotOffered(String::from(words)));
            }
            let arboard = arboard::Clipboard::new()
                .map_err(|e| ClipError::Unavailable(unavailable_reason(&e)))?;
            Ok(Box::new(SystemClipboard {
                arboard,
                #[cfg(all(
                    unix,
                    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
                ))]
                linux,
            }) as Box<dyn ClipboardSource>)
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
        match self.arboard.get_text() {
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

    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    fn text_prefix(&mut self, limit: usize) -> Result<(Zeroizing<String>, bool), ClipError> {
        self.linux
            .text_prefix(super::clipboard_x11::Selection::Clipboard, limit)
    }

    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    fn primary_prefix(&mut self, limit: usize) -> Result<(Zeroizing<String>, bool), ClipError> {
        self.linux
            .text_prefix(super::clipboard_x11::Selection::Primary, limit)
    }

    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    fn clear_primary(&mut self) -> Result<(), ClipError> {
        use arboard::ClearExtLinux as _;
        self.arboard
            .clear_with()
            .clipboard(arboard::LinuxClipboardKind::Primary)
            .map_err(|_| ClipError::Busy)
    }

    fn notify_changes(&mut self, changed: Box<dyn Fn() -> bool + Send>) -> bool {
        #[cfg(all(
            unix,
            not(any(target_os = "macos", target_os = "ios", target_os = "android"))
        ))]
        if matches!(self.linux, super::clipboard_linux::LinuxReader::X11(_)) {
            return super::clipboard_x11::watch_changes(changed).is_ok();
        }
        let _ = changed;
        false
    }

    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    fn watcher(&self, events: bool) -> Watcher {
        self.linux.watcher(events)
    }

    fn clear(&mut self) -> Result<(), ClipError> {
        self.arboard.clear().map_err(|_| ClipError::Busy)
    }

    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError> {
        let set = self.arboard.set();
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
    /// Something was copied (from the source's change events).
    Changed,
    ClearIfHolds(ApiKey),
    CopySensitive(ApiKey),
}

/// The handle the app keeps: switch watching on and off, ask for a clear, read events.
pub struct ClipboardWatcher {
    commands: Sender<Command>,
    events: Receiver<ClipEvent>,
    watcher: Arc<Mutex<Option<Watcher>>>,
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
        let changes = commands.clone();
        let watcher = Arc::new(Mutex::new(None));
        let watcher_seen = Arc::clone(&watcher);
        std::thread::Builder::new()
            .name(String::from("clipboard-watcher"))
            .spawn(move || {
                let send = |event: ClipEvent| {
                    let ok = event_tx.send(event).is_ok();
                    wake();
                    ok
                };
                let opened = Opener {
                    open: &mut open,
                    changes: &changes,
                    watcher: &watcher_seen,
                };
                watch(opened, &command_rx, send);
            })?;
        Ok(Self {
            commands,
            events,
            watcher,
        })
    }

    /// Which watcher runs, once the clipboard was first opened (or found not to be offered).
    pub fn watcher(&self) -> Option<Watcher> {
        self.watcher.lock().ok().and_then(|w| *w)
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

/// What the watcher thread opens the clipboard with.
struct Opener<'a> {
    open: &'a mut SourceFactory,
    /// Where change events are sent in, as [`Command::Changed`].
    changes: &'a Sender<Command>,
    /// Where the handle reads which [`Watcher`] runs.
    watcher: &'a Mutex<Option<Watcher>>,
}

impl Opener<'_> {
    /// Open the clipboard and ask it for change events; true in the second place when they
    /// will come and polling is not needed.
    fn watched(&mut self) -> Result<(Box<dyn ClipboardSource>, bool), ClipError> {
        let mut source = match (self.open)() {
            Ok(source) => source,
            Err(e) => {
                if matches!(e, ClipError::NotOffered(_)) {
                    self.set(Watcher::None);
                }
                return Err(e);
            }
        };
        let changes = self.changes.clone();
        let events =
            source.notify_changes(Box::new(move || changes.send(Command::Changed).is_ok()));
        self.set(source.watcher(events));
        Ok((source, events))
    }

    fn set(&self, watcher: Watcher) {
        if let Ok(mut slot) = self.watcher.lock() {
            *slot = Some(watcher);
        }
    }
}

fn content_hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// What the watcher knows of the content it last read.
#[derive(Default)]
struct Seen {
    /// A hash of the text's prefix; `None` until the first read, `Some(None)` for "no text".
    last: Option<Option<u64>>,
    /// The clipboard's change count at the last read, where the platform keeps one: while it
    /// holds still, the text is not read again.
    last_count: Option<u64>,
    /// The last read found the clipboard busy: try again at the next poll, events or not.
    busy: bool,
}

/// Read the clipboard unless its change count says it did not change; the event to send when
/// its content is new (or it cannot be reached any more).
fn look(clipboard: &mut dyn ClipboardSource, seen: &mut Seen) -> Option<ClipEvent> {
    let count = clipboard.change_count();
    if count.is_some() && count == seen.last_count && seen.last.is_some() {
        return None;
    }
    seen.busy = false;
    match clipboard.text_prefix(READ_LIMIT) {
        Ok((text, cut)) => {
            seen.last_count = count;
            let hash = Some(content_hash(&text));
            if seen.last == Some(hash) {
                return None;
            }
            seen.last = Some(hash);
            let scan = key::scan(&text);
            Some(ClipEvent::Scanned {
                result: scan.result,
                truncated: cut || scan.truncated,
            })
        }
        Err(ClipError::NoText) => {
            seen.last_count = count;
            if seen.last == Some(None) {
                return None;
            }
            seen.last = Some(None);
            Some(ClipEvent::NoText)
        }
        Err(ClipError::Busy) => {
            seen.busy = true;
            None
        }
        Err(ClipError::Unavailable(reason) | ClipError::NotOffered(reason)) => {
            seen.last_count = None;
            Some(ClipEvent::Unavailable(reason))
        }
    }
}

/// The watcher loop: runs until the app drops its handle.
fn watch(mut open: Opener<'_>, commands: &Receiver<Command>, send: impl Fn(ClipEvent) -> bool) {
    let mut source: Option<Box<dyn ClipboardSource>> = None;
    // True while the open source sends change events: then nothing is polled.
    let mut events = false;
    let mut next_open = Instant::now();
    let mut reported_unavailable = false;
    let mut active = false;
    let mut seen = Seen::default();
    // False once the desktop said it offers no clipboard at all.
    let mut offered = true;
    loop {
        // With change events nothing is polled, unless the last read found the clipboard busy.
        let wait = if !active || (events && !seen.busy) || (source.is_none() && !offered) {
            Duration::from_secs(3600)
        } else if source.is_none() {
            next_open
                .saturating_duration_since(Instant::now())
                .max(POLL_INTERVAL)
        } else {
            POLL_INTERVAL
        };
        match commands.recv_timeout(wait) {
            Ok(Command::SetActive(on)) => {
                active = on;
                offered = true;
                seen = Seen::default();
                if !active {
                    continue;
                }
            }
            Ok(Command::Changed) => {
                if !active {
                    continue;
                }
            }
            Ok(Command::CopySensitive(key)) => {
                if source.is_none()
                    && let Ok((s, e)) = open.watched()
                {
                    source = Some(s);
                    events = e;
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
                let event = clear_if_holds(&mut open, &mut source, &mut events, &key);
                if matches!(event, ClipEvent::Cleared { removed: true }) {
                    seen.last = Some(None);
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
        if source.is_none() && offered && Instant::now() >= next_open {
            match open.watched() {
                Ok((s, e)) => {
                    source = Some(s);
                    events = e;
                    if reported_unavailable {
                        reported_unavailable = false;
                        if !send(ClipEvent::Available) {
                            return;
                        }
                    }
                }
                Err(e) => {
                    // A desktop that offers no clipboard is not asked again until the watch
                    // is switched off and on.
                    offered = !matches!(e, ClipError::NotOffered(_));
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
        let Some(event) = look(clipboard.as_mut(), &mut seen) else {
            continue;
        };
        if matches!(event, ClipEvent::Unavailable(_)) {
            source = None;
            events = false;
            next_open = Instant::now() + RETRY_UNAVAILABLE;
            reported_unavailable = true;
        }
        if !send(event) {
            return;
        }
    }
}

/// Clears the clipboard if it holds `key`, and the primary selection too if it holds it (that
/// one quietly: it is what was last selected, and a failure there is not reported). A read that
/// fails is not an answer: it is tried
/// again a few times (reopening the clipboard if it went away), and if no read works the
/// outcome is [`ClipEvent::ClearFailed`], never "something else was there". Between the read
/// and the clear there is only an in-memory comparison of a short text.
fn clear_if_holds(
    open: &mut Opener<'_>,
    source: &mut Option<Box<dyn ClipboardSource>>,
    events: &mut bool,
    key: &ApiKey,
) -> ClipEvent {
    let event = clear_clipboard_if_holds(open, source, events, key);
    if let Some(clipboard) = source.as_mut()
        && let Ok((text, cut)) =
            clipboard.primary_prefix(HOLDS_LIMIT_FACTOR * key.expose_secret().len())
        && !cut
        && clipboard_holds(&text, key)
    {
        drop(text);
        let _ = clipboard.clear_primary();
    }
    event
}

fn clear_clipboard_if_holds(
    open: &mut Opener<'_>,
    source: &mut Option<Box<dyn ClipboardSource>>,
    events: &mut bool,
    key: &ApiKey,
) -> ClipEvent {
    for attempt in 0..CLEAR_ATTEMPTS {
        if attempt > 0 {
            std::thread::sleep(CLEAR_RETRY_PAUSE);
        }
        if source.is_none()
            && let Ok((s, e)) = open.watched()
        {
            *source = Some(s);
            *events = e;
        }
        let Some(clipboard) = source.as_mut() else {
            continue;
        };
        // Text much longer than the key is the user's: a short prefix tells.
        match clipboard.text_prefix(HOLDS_LIMIT_FACTOR * key.expose_secret().len()) {
            Ok((text, cut)) => {
                if cut || !clipboard_holds(&text, key) {
                    return ClipEvent::Cleared { removed: false };
                }
                drop(text);
                if clipboard.clear().is_ok() {
                    return ClipEvent::Cleared { removed: true };
                }
            }
            // Empty, or not text: the key is not there.
            Err(ClipError::NoText) => return ClipEvent::Cleared { removed: false },
            Err(ClipError::Unavailable(_) | ClipError::NotOffered(_)) => {
                *source = None;
                *events = false;
            }
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
    text.len() < HOLDS_LIMIT_FACTOR * secret.len() && key::scan(text).result.key() == Some(key)
}

#[cfg(test)]
#[path = "clipboard_tests.rs"]
mod tests;
