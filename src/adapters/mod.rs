//! Adapters at the edge: the small pieces that touch the outside world (browser, files,
//! network, keyring).
//! Each is replaceable by a fake in tests and is also tested for real.

pub mod browser;
pub mod clipboard;
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
pub mod clipboard_linux;
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
pub mod clipboard_x11;
pub mod net;
pub mod progress_store;
pub mod vault;
