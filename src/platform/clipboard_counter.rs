//! The clipboard's change counter, where the system keeps one: a number that changes whenever
//! anything is copied. Reading it costs next to nothing and does not open the clipboard, so the
//! watcher reads the text only when the number moved. On Windows that matters: opening the
//! clipboard every 400 ms can make other programs find it busy. Windows has
//! `GetClipboardSequenceNumber`, macOS `NSPasteboard.changeCount`; X11 and Wayland have no
//! such number, so there the watcher reads and hashes the text each time, as before.

/// The current change count, or `None` where the system has none (or it cannot be read now).
pub fn change_count() -> Option<u64> {
    imp::change_count()
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod imp {
    pub(super) fn change_count() -> Option<u64> {
        // SAFETY: no arguments, no memory of ours; returns 0 when this process may not see the
        // clipboard (another window station), which we take as "no counter".
        let n = unsafe { windows_sys::Win32::System::DataExchange::GetClipboardSequenceNumber() };
        (n != 0).then_some(u64::from(n))
    }
}

#[cfg(target_os = "macos")]
mod imp {
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
}
