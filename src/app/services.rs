//! The outside world as the app sees it: real adapters in the binary, fakes in UI tests.

use std::sync::Arc;

use crate::adapters::browser::{Browser, SystemBrowser};
use crate::adapters::clipboard::{SourceFactory, SystemClipboard};
use crate::adapters::net::CheckConfig;
use crate::adapters::progress_store::ProgressStore;
use crate::adapters::vault::{KeyStore, KeyVault};

/// The outside world, as the app sees it. Tests pass fakes.
pub struct Services {
    /// Opens pages.
    pub browser: Box<dyn Browser>,
    /// Keeps progress between runs.
    pub store: ProgressStore,
    /// Opens the clipboard for the watcher thread; `None` where there is none to read (the
    /// paste box is then the way). Handed to the watcher thread when the app starts.
    pub clipboard: Option<SourceFactory>,
    /// Where and how the readiness check talks to OpenAI.
    pub check_config: CheckConfig,
    /// Keeps the key between runs (the OS keyring).
    pub vault: Arc<dyn KeyStore>,
    /// Print a line per event (masked, never the key) to stderr, for tests and support.
    pub trace: bool,
    /// The system's preferred languages, most preferred first (`it-IT`, `ja`), for the window's
    /// language when the user has not picked one.
    pub locales: Vec<String>,
}

impl Services {
    /// The real services: the system browser, clipboard and network, the config-dir file.
    pub fn system() -> Self {
        Self {
            browser: Box::new(SystemBrowser),
            store: ProgressStore::in_config_dir(),
            clipboard: Some(SystemClipboard::factory()),
            check_config: CheckConfig::from_env(),
            vault: Arc::new(KeyVault::new()),
            trace: std::env::var_os("AAAI_KEY_SETUP_TRACE").is_some(),
            locales: sys_locale::get_locales().collect(),
        }
    }
}
