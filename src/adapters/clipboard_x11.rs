//! The X11 clipboard as the watcher needs it, through `x11rb` (already in the tree through
//! arboard and winit): learn that the CLIPBOARD selection changed from XFixes selection-notify
//! events instead of polling, and read at most a bounded prefix of its text. arboard reads the
//! whole selection every time (50 MB left on the clipboard was read and hashed every 400 ms);
//! here a read asks the owner for the text once, keeps the first `limit` bytes, and lets the
//! rest of a large (INCR) transfer pass without receiving it. Putting a key on the clipboard
//! and clearing it stay with arboard, which serves the selection while we own it.

use std::time::{Duration, Instant};

use x11rb::connection::{Connection as _, RequestConnection as _};
use x11rb::protocol::Event;
use x11rb::protocol::xfixes::{self, ConnectionExt as _, SelectionEventMask};
use x11rb::protocol::xproto::{
    Atom, AtomEnum, ConnectionExt as _, CreateWindowAux, EventMask, Property, Window, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use zeroize::Zeroizing;

use super::clipboard::ClipError;

/// How long one read waits for the selection's owner to answer.
const READ_DEADLINE: Duration = Duration::from_secs(2);
/// The pause between looks at the connection while a read waits.
const READ_PAUSE: Duration = Duration::from_millis(1);

/// Which selection to read or watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// What Ctrl+C copies.
    Clipboard,
    /// What was last selected with the mouse (pasted with the middle button).
    Primary,
}

/// Bytes of a selection, and whether there were more than were kept.
type Bytes = (Zeroizing<Vec<u8>>, bool);

struct Atoms {
    clipboard: Atom,
    utf8: Atom,
    incr: Atom,
    property: Atom,
}

/// One connection and a hidden window to receive the selection's text on.
pub struct X11Reader {
    conn: RustConnection,
    window: Window,
    atoms: Atoms,
}

fn unavailable(_: impl std::fmt::Debug) -> ClipError {
    ClipError::Unavailable(String::from("The clipboard cannot be reached here."))
}

/// Open a connection to `$DISPLAY` with a hidden window on it (events on that window: property
/// changes, for reading, plus whatever `extra` asks).
fn open(extra: EventMask) -> Result<(RustConnection, Window, Atoms), ClipError> {
    let (conn, screen) = RustConnection::connect(None).map_err(unavailable)?;
    let root = conn
        .setup()
        .roots
        .get(screen)
        .map(|s| s.root)
        .ok_or_else(|| unavailable("no screen"))?;
    let window = conn.generate_id().map_err(unavailable)?;
    conn.create_window(
        x11rb::COPY_DEPTH_FROM_PARENT,
        window,
        root,
        0,
        0,
        1,
        1,
        0,
        WindowClass::INPUT_ONLY,
        x11rb::COPY_FROM_PARENT,
        &CreateWindowAux::new().event_mask(EventMask::PROPERTY_CHANGE | extra),
    )
    .map_err(unavailable)?;
    let atom = |name: &[u8]| -> Result<Atom, ClipError> {
        Ok(conn
            .intern_atom(false, name)
            .map_err(unavailable)?
            .reply()
            .map_err(unavailable)?
            .atom)
    };
    let atoms = Atoms {
        clipboard: atom(b"CLIPBOARD")?,
        utf8: atom(b"UTF8_STRING")?,
        incr: atom(b"INCR")?,
        property: atom(b"AAAI_KEY_SETUP_CLIP")?,
    };
    conn.flush().map_err(unavailable)?;
    Ok((conn, window, atoms))
}

impl X11Reader {
    /// Connect to the X server named by `$DISPLAY`.
    pub fn connect() -> Result<Self, ClipError> {
        let (conn, window, atoms) = open(EventMask::NO_EVENT)?;
        Ok(Self {
            conn,
            window,
            atoms,
        })
    }

    fn atom_of(&self, selection: Selection) -> Atom {
        match selection {
            Selection::Clipboard => self.atoms.clipboard,
            Selection::Primary => AtomEnum::PRIMARY.into(),
        }
    }

    /// The selection's text, at most `limit` bytes of it (cut at a character boundary), and
    /// whether there was more.
    pub fn text_prefix(
        &mut self,
        selection: Selection,
        limit: usize,
    ) -> Result<(Zeroizing<String>, bool), ClipError> {
        let selection = self.atom_of(selection);
        let owner = self
            .conn
            .get_selection_owner(selection)
            .map_err(unavailable)?
            .reply()
            .map_err(unavailable)?
            .owner;
        if owner == x11rb::NONE {
            return Err(ClipError::NoText);
        }
        for target in [self.atoms.utf8, AtomEnum::STRING.into()] {
            match self.convert(selection, target, limit)? {
                Some((bytes, more)) => {
                    return Ok(decode(bytes, target == self.atoms.utf8, limit, more));
                }
                None => continue,
            }
        }
        Err(ClipError::NoText)
    }

    /// Ask the owner for `target`; `None` when it has no such form.
    fn convert(
        &mut self,
        selection: Atom,
        target: Atom,
        limit: usize,
    ) -> Result<Option<Bytes>, ClipError> {
        let (conn, window, property) = (&self.conn, self.window, self.atoms.property);
        // A stale value from an earlier, abandoned read must not be taken for this answer.
        conn.delete_property(window, property)
            .map_err(unavailable)?;
        conn.convert_selection(window, selection, target, property, x11rb::CURRENT_TIME)
            .map_err(unavailable)?;
        conn.flush().map_err(unavailable)?;
        let deadline = Instant::now() + READ_DEADLINE;
        let answered = loop {
            match self.next_event(deadline)? {
                Some(Event::SelectionNotify(e)) if e.requestor == window => {
                    break e.property != x11rb::NONE;
                }
                Some(_) => {}
                None => return Err(ClipError::Busy),
            }
        };
        if !answered {
            return Ok(None);
        }
        // At most `limit` bytes (plus one, to know there was more), in 32-bit units.
        let longs = u32::try_from(limit / 4 + 1).unwrap_or(u32::MAX);
        let reply = conn
            .get_property(false, window, property, AtomEnum::ANY, 0, longs)
            .map_err(unavailable)?
            .reply()
            .map_err(unavailable)?;
        conn.delete_property(window, property)
            .map_err(unavailable)?;
        conn.flush().map_err(unavailable)?;
        if reply.type_ == self.atoms.incr {
            return self.incremental(limit, deadline).map(Some);
        }
        let more = reply.bytes_after > 0;
        Ok(Some((Zeroizing::new(reply.value), more)))
    }

    /// An INCR transfer: chunks arrive one by one as we delete each. Keep chunks until `limit`
    /// bytes are in; after that, delete each chunk unread, so the owner finishes its transfer
    /// without us receiving the rest.
    fn incremental(&mut self, limit: usize, deadline: Instant) -> Result<Bytes, ClipError> {
        let (window, property) = (self.window, self.atoms.property);
        let mut bytes = Zeroizing::new(Vec::new());
        let mut more = false;
        loop {
            match self.next_event(deadline)? {
                Some(Event::PropertyNotify(e))
                    if e.window == window
                        && e.atom == property
                        && e.state == Property::NEW_VALUE => {}
                Some(_) => continue,
                // The owner stopped answering: what came so far is the prefix.
                None => return Ok((bytes, true)),
            }
            let room = limit.saturating_sub(bytes.len());
            if room == 0 {
                more = true;
                // Learn only whether the chunk is the empty last one, then drop it unread.
                let reply = self
                    .conn
                    .get_property(true, window, property, AtomEnum::ANY, 0, 0)
                    .map_err(unavailable)?
                    .reply()
                    .map_err(unavailable)?;
                if reply.bytes_after == 0 {
                    return Ok((bytes, more));
                }
                self.conn
                    .delete_property(window, property)
                    .map_err(unavailable)?;
                self.conn.flush().map_err(unavailable)?;
                continue;
            }
            let longs = u32::try_from(room / 4 + 1).unwrap_or(u32::MAX);
            let reply = self
                .conn
                .get_property(false, window, property, AtomEnum::ANY, 0, longs)
                .map_err(unavailable)?
                .reply()
                .map_err(unavailable)?;
            self.conn
                .delete_property(window, property)
                .map_err(unavailable)?;
            self.conn.flush().map_err(unavailable)?;
            if reply.value.is_empty() && reply.bytes_after == 0 {
                return Ok((bytes, more));
            }
            more |= reply.bytes_after > 0;
            bytes.extend_from_slice(&reply.value);
        }
    }

    /// The next event, waiting until `deadline`; `None` when it passed.
    fn next_event(&self, deadline: Instant) -> Result<Option<Event>, ClipError> {
        loop {
            if let Some(event) = self.conn.poll_for_event().map_err(unavailable)? {
                return Ok(Some(event));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            std::thread::sleep(READ_PAUSE);
        }
    }
}

/// The text of `bytes` (UTF-8, or Latin-1 for the old STRING form), cut to `limit` bytes at a
/// character boundary; `more` is set when anything was cut.
fn decode(
    bytes: Zeroizing<Vec<u8>>,
    utf8: bool,
    limit: usize,
    more: bool,
) -> (Zeroizing<String>, bool) {
    let text = Zeroizing::new(if utf8 {
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    });
    let (text, cut) = super::clipboard::cut(text, limit);
    (text, more || cut)
}

/// Watch CLIPBOARD with XFixes: on its own thread and connection, call `changed` each time a
/// program takes the selection (each copy does) or its owner goes away, until `changed` returns
/// false. `Err` when the server has no XFixes; the caller then polls.
pub fn watch_changes(changed: impl Fn() -> bool + Send + 'static) -> Result<(), ClipError> {
    let (conn, window, atoms) = open(EventMask::NO_EVENT)?;
    if conn
        .extension_information(xfixes::X11_EXTENSION_NAME)
        .map_err(unavailable)?
        .is_none()
    {
        return Err(ClipError::Unavailable(String::from("no XFixes")));
    }
    // The version must be asked before any other XFixes request.
    conn.xfixes_query_version(5, 0)
        .map_err(unavailable)?
        .reply()
        .map_err(unavailable)?;
    conn.xfixes_select_selection_input(
        window,
        atoms.clipboard,
        SelectionEventMask::SET_SELECTION_OWNER
            | SelectionEventMask::SELECTION_WINDOW_DESTROY
            | SelectionEventMask::SELECTION_CLIENT_CLOSE,
    )
    .map_err(unavailable)?
    .check()
    .map_err(unavailable)?;
    std::thread::Builder::new()
        .name(String::from("clipboard-x11-events"))
        .spawn(move || {
            // Blocks in the kernel between events: no cost while nothing is copied.
            while let Ok(event) = conn.wait_for_event() {
                if matches!(event, Event::XfixesSelectionNotify(_)) && !changed() {
                    return;
                }
            }
        })
        .map_err(unavailable)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_cut_at_a_character_boundary_and_says_more_was_there() {
        let (text, more) = decode(Zeroizing::new("aé".as_bytes().to_vec()), true, 2, false);
        assert_eq!((text.as_str(), more), ("a", true));
        let (text, more) = decode(Zeroizing::new(b"abc".to_vec()), true, 3, false);
        assert_eq!((text.as_str(), more), ("abc", false));
        let (text, more) = decode(Zeroizing::new(vec![b'a', 0xe9]), false, 10, true);
        assert_eq!((text.as_str(), more), ("aé", true));
    }
}
