//! Adapters at the edge: the small pieces that touch the outside world (browser, files).
//! Each is replaceable by a fake in tests and is also tested for real.

pub mod browser;
pub mod net;
pub mod progress_store;
