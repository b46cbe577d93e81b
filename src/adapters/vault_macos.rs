//! The macOS Keychain: its store, and the glue that reads the `OSStatus` code out of its
//! errors.

/// The store of this system's keyring.
pub(super) use apple_native_keyring_store::keychain::Store;

use super::{Class, keychain_status_class};

/// Entries get no label here.
pub(super) const LABEL: Option<&str> = None;

/// The class of a store error's platform part, when the platform code says.
pub(super) fn platform_class(
    error: &(dyn std::error::Error + Send + Sync + 'static),
) -> Option<Class> {
    error
        .downcast_ref::<security_framework::base::Error>()
        .map(|e| keychain_status_class(e.code()))
}
