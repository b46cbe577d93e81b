//! Systems with no keyring this app supports: there is no store, and no error code is known.

use std::sync::Arc;

use keyring_core::{CredentialStore, Error as KeyringError};

use super::Class;

/// Entries get no label here.
pub(super) const LABEL: Option<&str> = None;

/// No store: opening it always fails.
pub(super) struct Store;

impl Store {
    /// Fails: there is no keyring to open.
    pub(super) fn new() -> keyring_core::Result<Arc<CredentialStore>> {
        Err(KeyringError::NoDefaultStore)
    }
}

/// No code is known here.
pub(super) fn platform_class(
    _error: &(dyn std::error::Error + Send + Sync + 'static),
) -> Option<Class> {
    None
}
