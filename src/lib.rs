//! AAAI Key Setup: a small desktop helper that walks a user through getting an OpenAI API key
//! for the Auto Article AI WordPress plugin.
//!
//! `core` is pure (no I/O, no egui); `adapters` touch the outside world; `app` is the window;
//! `cli` is the command-line face; `platform` holds what differs between Windows, macOS and
//! Linux.

pub mod adapters;
pub mod app;
pub mod cli;
pub mod core;
pub mod platform;
