//! The Windows Credential Manager: its store, and the glue that reads the Win32 code out of
//! its errors.

/// The store of this system's keyring.
pub(super) use windows_native_keyring_store::Store;

use super::{Class, windows_code_class, windows_code_from_debug};

/// Entries get no label here.
pub(super) const LABEL: Option<&str> = None;

/// The class of a store error's platform part, when the platform code says.
pub(super) fn platform_class(
    error: &(dyn std::error::Error + Send + Sync + 'static),
) -> Option<Class> {
    windows_code_from_debug(&format!("{error:?}")).map(windows_code_class)
}
