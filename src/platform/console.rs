//! The console on Windows.
//!
//! The Windows exe is a console program (the default subsystem), so that cmd and PowerShell
//! wait for it like for any command-line tool: its output lands before the next prompt, its
//! exit code reaches `%ERRORLEVEL%` / `$LASTEXITCODE`, and `key store` reads the key from a
//! console that the shell is not reading at the same time. Started from Explorer, Windows gives
//! it a console window of its own; opening the app (no arguments) then lets go of that console
//! at once, so no black window stays open beside the app. We know we were started that way
//! when we are the only process on our console (`GetConsoleProcessList`). Elsewhere there is
//! nothing to do.

/// Whether a console shared by `process_count` processes (as `GetConsoleProcessList` counts
/// them, 0 when there is no console) is one Windows made just for us.
pub fn console_is_ours_alone(process_count: u32) -> bool {
    process_count == 1
}

/// Let go of the console when it was made just for us (started from Explorer). Call before
/// opening the window, never for the command line.
pub fn detach_if_started_from_explorer() {
    #[cfg(windows)]
    windows::detach_if_alone();
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod windows {
    use windows_sys::Win32::System::Console::{FreeConsole, GetConsoleProcessList};

    pub(super) fn detach_if_alone() {
        // Two slots are enough: we only need to know whether anyone besides us is there. When
        // the buffer is too small the call returns the full count, which is all we read.
        let mut ids = [0u32; 2];
        // SAFETY: the pointer and length describe `ids`, a live local array of two u32s that
        // the call fills at most; it returns a count and keeps no pointer.
        let count = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), 2) };
        if super::console_is_ours_alone(count) {
            // SAFETY: no arguments; detaches this process from its console. Output written
            // afterwards goes nowhere (the standard library ignores invalid console handles),
            // as for any windowed program. It returns 0 when there was no console.
            let let_go = unsafe { FreeConsole() } != 0;
            // A trace line for tests and support; it reaches standard error only where that
            // is not the console just let go (a pipe or a file).
            if let_go && std::env::var_os("AAAI_KEY_SETUP_TRACE").is_some() {
                eprintln!("aaai-key-setup: console let go (it was made for this program alone)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::console_is_ours_alone;

    #[test]
    fn only_a_console_of_our_own_is_let_go() {
        // Started from Explorer: Windows made a console for us alone.
        assert!(console_is_ours_alone(1));
        // cmd or PowerShell (and maybe cargo) share it: stay.
        assert!(!console_is_ours_alone(2));
        assert!(!console_is_ours_alone(3));
        // No console at all (the call failed): nothing to let go of.
        assert!(!console_is_ours_alone(0));
    }
}
