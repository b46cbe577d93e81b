//! Being told to stop: SIGINT (Ctrl+C in the terminal), SIGTERM (`kill`, a logout) and SIGHUP
//! (the terminal closed) on Unix, and the console's Ctrl+C, Ctrl+Break, close, logoff and
//! shutdown events on Windows, close the window as a normal close does, so its clean-up runs
//! (the key is cleared from the clipboard and the primary selection if they still hold it).
//! After that clean-up the program ends with the signal's usual exit code ([`exit_code`]: 128
//! plus the signal's number on Unix, as shells expect). If the window has not closed after
//! [`GRACE`], or a second signal comes, the program ends at once with that code.

use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

/// How long a signal waits for the window to close before the program ends anyway.
pub const GRACE: Duration = Duration::from_secs(5);

/// What a signal asks the window to do (close). Replaced, not added to, when a second window
/// starts (the renderer fallback).
static CLOSE: Mutex<Option<Box<dyn Fn() + Send>>> = Mutex::new(None);

/// The exit code of the first signal received; 0 while none came.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// The exit code the first termination signal stands for (130 for SIGINT, 143 for SIGTERM, 129
/// for SIGHUP; `STATUS_CONTROL_C_EXIT` on Windows), once one came; the program ends with it
/// after the window's clean-up.
pub fn exit_code() -> Option<i32> {
    Some(RECEIVED.load(Ordering::SeqCst)).filter(|code| *code != 0)
}

/// Keeps the first signal's exit code for [`exit_code`].
fn remember(exit_code: i32) {
    let _ = RECEIVED.compare_exchange(0, exit_code, Ordering::SeqCst, Ordering::SeqCst);
}

/// From now on, a termination signal calls `close` (which should ask the window to close); the
/// listener is installed once per process.
pub fn on_termination(close: impl Fn() + Send + 'static) {
    if let Ok(mut slot) = CLOSE.lock() {
        *slot = Some(Box::new(close));
    }
    imp::install_once();
}

/// The window's clean-up has finished (called at the end of its exit handler): a console close
/// on Windows, which ends the process as soon as its handler returns, may now let it end.
pub fn cleaned_up() {
    imp::cleaned_up();
}

/// Called on the listener's thread for each signal, with the exit code the signal stands for.
fn received(exit_code: i32, first: bool) {
    remember(exit_code);
    if !first {
        std::process::exit(exit_code);
    }
    if let Ok(slot) = CLOSE.lock()
        && let Some(close) = slot.as_ref()
    {
        close();
    } else {
        std::process::exit(exit_code);
    }
    let _ = std::thread::Builder::new()
        .name(String::from("signal-grace"))
        .spawn(move || {
            std::thread::sleep(GRACE);
            std::process::exit(exit_code);
        });
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_signal_gives_the_exit_code() {
        assert_eq!(super::exit_code(), None);
        super::remember(128 + 15);
        super::remember(128 + 2);
        assert_eq!(super::exit_code(), Some(143));
    }
}

#[cfg(unix)]
mod imp {
    use std::sync::Once;

    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    static INSTALL: Once = Once::new();

    pub(super) fn install_once() {
        INSTALL.call_once(|| {
            // signal-hook's handler only writes to a pipe; the signals are handled here, on an
            // ordinary thread, where anything may be done.
            let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name(String::from("signals"))
                .spawn(move || {
                    let mut first = true;
                    for signal in signals.forever() {
                        super::received(128 + signal, first);
                        first = false;
                    }
                });
        });
    }

    pub(super) fn cleaned_up() {}
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod imp {
    use std::sync::Once;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    use std::time::Instant;

    use windows_sys::Win32::System::Console::{
        CTRL_BREAK_EVENT, CTRL_C_EVENT, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT,
        SetConsoleCtrlHandler,
    };

    static INSTALL: Once = Once::new();
    static EVENTS: AtomicU32 = AtomicU32::new(0);
    static CLEANED: AtomicBool = AtomicBool::new(false);

    /// Windows calls this on a thread of its own. For a close, logoff or shutdown the process
    /// ends as soon as it returns, so it waits (Windows allows about 5 s) for the clean-up.
    unsafe extern "system" fn handler(event: u32) -> windows_sys::core::BOOL {
        let ends_process = match event {
            CTRL_C_EVENT | CTRL_BREAK_EVENT => false,
            CTRL_CLOSE_EVENT | CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT => true,
            _ => return 0,
        };
        let first = EVENTS.fetch_add(1, Ordering::SeqCst) == 0;
        // 0xC000013A, STATUS_CONTROL_C_EXIT, is what a console program ended by Ctrl+C returns.
        super::received(0xC000_013A_u32 as i32, first);
        if ends_process {
            let deadline = Instant::now() + super::GRACE;
            while !CLEANED.load(Ordering::SeqCst) && Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        1
    }

    pub(super) fn install_once() {
        INSTALL.call_once(|| {
            // SAFETY: `handler` is a plain function that lives as long as the program; Windows
            // keeps only its address.
            unsafe {
                SetConsoleCtrlHandler(Some(handler), 1);
            }
        });
    }

    pub(super) fn cleaned_up() {
        CLEANED.store(true, Ordering::SeqCst);
    }
}

#[cfg(not(any(unix, windows)))]
mod imp {
    pub(super) fn install_once() {}
    pub(super) fn cleaned_up() {}
}
