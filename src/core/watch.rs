//! Which clipboard watcher runs on this desktop, and the one line that says so (in the key
//! strip's details and the support report); which one a Linux session gets; and what the window
//! says about macOS's paste privacy (`NSPasteboard.accessBehavior`, macOS 15.4 and later).

/// How the app watches the clipboard here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watcher {
    /// X11, told of each copy by XFixes events; nothing is polled.
    X11Events,
    /// X11 without XFixes: the clipboard is looked at every 400 ms.
    X11Polling,
    /// Wayland's data-control protocol (wlroots compositors, KDE).
    WaylandDataControl,
    /// macOS's pasteboard, read only with the user's permission.
    MacOs,
    /// Windows' clipboard.
    Windows,
    /// Nothing here lets an app watch the clipboard; the paste box is the way.
    None,
}

impl Watcher {
    /// The one line that says which watcher runs (the CLI and support report stay English).
    pub fn line(self) -> &'static str {
        match self {
            Self::X11Events => "Watching the clipboard (X11 events)",
            Self::X11Polling => "Watching the clipboard (X11, looked at every 400 ms)",
            Self::WaylandDataControl => "Watching the clipboard (Wayland data-control)",
            Self::MacOs => "Watching the clipboard (macOS, with your permission)",
            Self::Windows => "Watching the clipboard (Windows)",
            Self::None => "Can't watch the clipboard on this desktop: paste your key into the box",
        }
    }
}

/// What a Linux session offers the watcher.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinuxSession {
    /// A Wayland compositor whose clipboard an app may read (the data-control protocol).
    pub data_control: bool,
    /// An X server, native or XWayland (`DISPLAY`).
    pub x11: bool,
    /// That X server has the XFixes extension.
    pub xfixes: bool,
}

/// The watcher a Linux session gets: Wayland's data-control where the compositor offers it,
/// else X11 (XWayland on a Wayland desktop without data-control, such as GNOME), with events
/// where XFixes exists; else none.
pub fn choose_linux(session: LinuxSession) -> Watcher {
    if session.data_control {
        Watcher::WaylandDataControl
    } else if session.x11 && session.xfixes {
        Watcher::X11Events
    } else if session.x11 {
        Watcher::X11Polling
    } else {
        Watcher::None
    }
}

/// macOS's setting for this app's reading of the clipboard (System Settings → Privacy &
/// Security → Paste from Other Apps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasteAccess {
    /// Before macOS 15.4: no such setting, reading is allowed.
    NoSetting,
    /// Never asked yet: the first read makes macOS ask.
    Default,
    /// macOS asks at each read.
    Ask,
    /// Allowed.
    AlwaysAllow,
    /// Denied: reads see nothing.
    AlwaysDeny,
}

/// The settings pane where the user allows or denies pasting from other apps.
pub const PASTE_PRIVACY_SETTINGS: &str =
    "x-apple.systempreferences:com.apple.preference.security?Privacy_Pasteboard";

/// What the window does about [`PasteAccess`], before the watcher's first read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessNotice {
    /// Said in the key step before anything is read (None: nothing to say).
    pub say: Option<&'static str>,
    /// Whether the watcher may read the clipboard.
    pub read: bool,
    /// Offer a button that opens [`PASTE_PRIVACY_SETTINGS`].
    pub offer_settings: bool,
    /// Put the cursor in the paste box.
    pub focus_paste_box: bool,
}

/// What the window says and does for each setting.
pub fn access_notice(access: PasteAccess) -> AccessNotice {
    match access {
        PasteAccess::NoSetting | PasteAccess::AlwaysAllow => AccessNotice {
            say: None,
            read: true,
            offer_settings: false,
            focus_paste_box: false,
        },
        PasteAccess::Default | PasteAccess::Ask => AccessNotice {
            say: Some(
                "macOS will ask whether AAAI Key Setup may paste from other apps. Choose \
                 Allow, so it can notice your key.",
            ),
            read: true,
            offer_settings: false,
            focus_paste_box: false,
        },
        PasteAccess::AlwaysDeny => AccessNotice {
            say: Some(
                "macOS doesn't let AAAI Key Setup paste from other apps, so it can't notice \
                 your key. Paste it into the box below, or allow it in System Settings \
                 (Privacy & Security, Paste from Other Apps).",
            ),
            read: false,
            offer_settings: true,
            focus_paste_box: true,
        },
    }
}

/// Whether the watcher must not start yet: where macOS will ask (`Default`, `Ask`), nothing is
/// read until the window has shown the notice that says so (a frame drew it), so macOS's alert
/// never comes out of nowhere. Where the user denied it, the watcher starts but reads nothing
/// (`SystemClipboard::factory` refuses, and the window says why and offers the setting).
pub fn waits_for_notice(access: PasteAccess, notice_shown: bool) -> bool {
    let notice = access_notice(access);
    notice.read && notice.say.is_some() && !notice_shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linux_session_gets_data_control_then_x11_events_then_polling_then_none() {
        let all = LinuxSession {
            data_control: true,
            x11: true,
            xfixes: true,
        };
        assert_eq!(choose_linux(all), Watcher::WaylandDataControl);
        // GNOME on Wayland: no data-control, XWayland.
        let gnome = LinuxSession {
            data_control: false,
            ..all
        };
        assert_eq!(choose_linux(gnome), Watcher::X11Events);
        let old_x = LinuxSession {
            xfixes: false,
            ..gnome
        };
        assert_eq!(choose_linux(old_x), Watcher::X11Polling);
        // Weston without XWayland, or a Flatpak with no X socket.
        assert_eq!(choose_linux(LinuxSession::default()), Watcher::None);
        assert!(Watcher::None.line().contains("paste your key into the box"));
        assert!(Watcher::X11Events.line().contains("X11 events"));
    }

    #[test]
    fn each_paste_setting_gets_its_words_and_only_a_denial_stops_reading() {
        for quiet in [PasteAccess::NoSetting, PasteAccess::AlwaysAllow] {
            let n = access_notice(quiet);
            assert!(n.read && n.say.is_none() && !n.offer_settings && !n.focus_paste_box);
        }
        for asks in [PasteAccess::Default, PasteAccess::Ask] {
            let n = access_notice(asks);
            assert!(n.read && !n.offer_settings && !n.focus_paste_box);
            let words = n.say.unwrap_or_default();
            assert!(words.contains("macOS will ask"), "{words}");
            assert!(words.contains("Choose Allow"), "{words}");
        }
        let denied = access_notice(PasteAccess::AlwaysDeny);
        assert!(!denied.read && denied.offer_settings && denied.focus_paste_box);
        assert!(
            denied
                .say
                .unwrap_or_default()
                .contains("Paste it into the box")
        );
        assert!(PASTE_PRIVACY_SETTINGS.ends_with("Privacy_Pasteboard"));
    }

    #[test]
    fn where_macos_will_ask_nothing_is_read_before_the_notice_was_shown() {
        for quiet in [PasteAccess::NoSetting, PasteAccess::AlwaysAllow] {
            assert!(!waits_for_notice(quiet, false) && !waits_for_notice(quiet, true));
        }
        for asks in [PasteAccess::Default, PasteAccess::Ask] {
            assert!(
                waits_for_notice(asks, false),
                "{asks:?} read before the notice"
            );
            assert!(!waits_for_notice(asks, true));
        }
        // Denied: nothing is read at all, and the watcher's refusal is what the window shows.
        assert!(!access_notice(PasteAccess::AlwaysDeny).read);
        assert!(!waits_for_notice(PasteAccess::AlwaysDeny, false));
    }
}
