//! The clipboard's change counter, where the system keeps one: a number that changes whenever
//! anything is copied. Reading it costs next to nothing and does not open the clipboard, so the
//! watcher reads the text only when the number moved. On Windows that matters: opening the
//! clipboard every 400 ms can make other programs find it busy. Windows has
//! `GetClipboardSequenceNumber`, macOS `NSPasteboard.changeCount`; X11 and Wayland have no
//! such number; there X11's XFixes events (or a poll) say when to read.
//! Also macOS's paste-privacy setting (`NSPasteboard.accessBehavior`, macOS 15.4 and later),
//! read without touching the pasteboard's content; what the window says about it is
//! `core::watch::access_notice`.

use crate::core::watch::PasteAccess;

/// The current change count, or `None` where the system has none (or it cannot be read now).
pub fn change_count() -> Option<u64> {
    imp::change_count()
}

/// macOS's setting for this app's reading of the clipboard; `NoSetting` before macOS 15.4 and
/// on every other system. Read once, then kept: it changes only in System Settings, and a
/// change there is seen at the next start.
pub fn paste_access() -> PasteAccess {
    static ACCESS: std::sync::OnceLock<PasteAccess> = std::sync::OnceLock::new();
    *ACCESS.get_or_init(imp::paste_access)
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod imp {
    pub(super) fn paste_access() -> super::PasteAccess {
        super::PasteAccess::NoSetting
    }

    pub(super) fn change_count() -> Option<u64> {
        // SAFETY: no arguments, no memory of ours; returns 0 when this process may not see the
        // clipboard (another window station), which we take as "no counter".
        let n = unsafe { windows_sys::Win32::System::DataExchange::GetClipboardSequenceNumber() };
        (n != 0).then_some(u64::from(n))
    }
}

#[cfg(target_os = "macos")]
mod imp {
    use super::PasteAccess;

    pub(super) fn paste_access() -> PasteAccess {
        // `accessBehavior` exists from macOS 15.4: sending it to an older AppKit would be an
        // unknown selector.
        if !objc2::available!(macos = 15.4) {
            return PasteAccess::NoSetting;
        }
        objc2::rc::autoreleasepool(|_| {
            use objc2_app_kit::{NSPasteboard, NSPasteboardAccessBehavior as B};
            match NSPasteboard::generalPasteboard().accessBehavior() {
                B::Ask => PasteAccess::Ask,
                B::AlwaysAllow => PasteAccess::AlwaysAllow,
                B::AlwaysDeny => PasteAccess::AlwaysDeny,
                // `Default`, and any value a later macOS adds: macOS will ask.
                _ => PasteAccess::Default,
            }
        })
    }

    pub(super) fn change_count() -> Option<u64> {
        // Our own pool: the watcher thread has none, and the pasteboard object may be
        // autoreleased.
        objc2::rc::autoreleasepool(|_| {
            let count = objc2_app_kit::NSPasteboard::generalPasteboard().changeCount();
            // An NSInteger that only grows; its bits are all we compare.
            Some(count as u64)
        })
    }
}

#[cfg(not(any(windows, target_os = "macos")))]
mod imp {
    pub(super) fn paste_access() -> super::PasteAccess {
        super::PasteAccess::NoSetting
    }

    pub(super) fn change_count() -> Option<u64> {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_counter_holds_still_while_nobody_copies_and_is_absent_on_linux() {
        let first = super::change_count();
        let second = super::change_count();
        assert_eq!(first, second);
        if !cfg!(any(windows, target_os = "macos")) {
            assert_eq!(first, None);
        }
    }

    #[test]
    fn only_macos_has_a_paste_setting() {
        let access = super::paste_access();
        if !cfg!(target_os = "macos") {
            assert_eq!(access, super::PasteAccess::NoSetting);
        }
        assert_eq!(super::paste_access(), access);
    }
}
