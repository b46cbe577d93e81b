//! Adapters at the edge: the small pieces that touch the outside world (browser, files,
//! network, keyring).
//! Each is replaceable by a fake in tests and is also tested for real.

pub mod browser;
pub mod clipboard;
pub mod net;
pub mod progress_store;
pub mod vault;
