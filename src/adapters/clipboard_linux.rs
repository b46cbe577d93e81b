//! Reading the clipboard on Linux and the BSDs, a bounded prefix only: through Wayland's
//! data-control protocol where the compositor offers it (`wl-clipboard-rs`, already in the tree
//! through arboard), else through X11 (`clipboard_x11`, XWayland included); which one is
//! `core::watch::choose_linux`'s choice. Where neither exists the desktop is said to offer no
//! clipboard to watch, and the watcher stops trying.

use std::io::Read as _;

use zeroize::Zeroizing;

use super::clipboard::{ClipError, cut};
use super::clipboard_x11::{Selection, X11Reader};
use crate::core::watch::{LinuxSession, Watcher, choose_linux};

/// The reader this session gets.
pub enum LinuxReader {
    /// Wayland's data-control protocol.
    Wayland,
    /// X11, with our own connection.
    X11(Box<X11Reader>),
}

fn set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

impl LinuxReader {
    /// Look at the session and open the reader it gets. `NotOffered` where nothing can be read
    /// (no data-control, no X server named); `Unavailable` where one is named but cannot be
    /// reached now.
    pub fn open() -> Result<Self, ClipError> {
        // wl-clipboard-rs fails this when the compositor lacks a data-control protocol.
        let data_control = set("WAYLAND_DISPLAY")
            && wl_clipboard_rs::utils::is_primary_selection_supported().is_ok();
        let session = LinuxSession {
            data_control,
            x11: set("DISPLAY"),
            // Asked for real when the events are set up; polling is the fallback there.
            xfixes: true,
        };
        match choose_linux(session) {
            Watcher::WaylandDataControl => Ok(Self::Wayland),
            Watcher::None => Err(ClipError::NotOffered(String::from(
                "This desktop doesn't let apps watch the clipboard.",
            ))),
            _ => X11Reader::connect().map(|r| Self::X11(Box::new(r))),
        }
    }

    /// The watcher this reader is, with or without change events.
    pub fn watcher(&self, events: bool) -> Watcher {
        match self {
            Self::Wayland => Watcher::WaylandDataControl,
            Self::X11(_) if events => Watcher::X11Events,
            Self::X11(_) => Watcher::X11Polling,
        }
    }

    /// At most `limit` bytes of the selection's text, and whether there was more.
    pub fn text_prefix(
        &mut self,
        selection: Selection,
        limit: usize,
    ) -> Result<(Zeroizing<String>, bool), ClipError> {
        match self {
            Self::X11(x11) => x11.text_prefix(selection, limit),
            Self::Wayland => wayland_prefix(selection, limit),
        }
    }
}

/// Read at most `limit` bytes from the owner's pipe, then drop it: the owner's write of the
/// rest fails, which every owner takes as the reader having gone.
fn wayland_prefix(
    selection: Selection,
    limit: usize,
) -> Result<(Zeroizing<String>, bool), ClipError> {
    use wl_clipboard_rs::paste::{ClipboardType, Error, MimeType, Seat, get_contents};
    let kind = match selection {
        Selection::Clipboard => ClipboardType::Regular,
        Selection::Primary => ClipboardType::Primary,
    };
    let (pipe, _) = match get_contents(kind, Seat::Unspecified, MimeType::Text) {
        Ok(found) => found,
        Err(
            Error::NoSeats
            | Error::ClipboardEmpty
            | Error::NoMimeType
            | Error::PrimarySelectionUnsupported,
        ) => {
            return Err(ClipError::NoText);
        }
        Err(Error::WaylandConnection(_) | Error::MissingProtocol { .. }) => {
            return Err(ClipError::Unavailable(String::from(
                "The clipboard cannot be reached here.",
            )));
        }
        Err(_) => return Err(ClipError::Busy),
    };
    let mut bytes = Zeroizing::new(Vec::new());
    let wanted = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    pipe.take(wanted)
        .read_to_end(&mut bytes)
        .map_err(|_| ClipError::Busy)?;
    let more = bytes.len() > limit;
    let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
    let (text, cut_here) = cut(text, limit);
    Ok((text, more || cut_here))
}
