//! The OS keyring, where the key is kept between runs: the Secret Service (GNOME Keyring,
//! KWallet …) on Linux, the Keychain on macOS, the Credential Manager on Windows. Never a file:
//! with no keyring the key is not stored at all, and the error says so.
//!
//! One entry, service [`SERVICE`] and account [`ACCOUNT`]. On Linux it can be read with
//! `secret-tool lookup service aaai-key-setup username openai-api-key`.
//!
//! Every call blocks, possibly for as long as the user takes to answer an unlock prompt (no
//! timeout on purpose: a locked keyring shows a password dialog, and giving up on it after a few
//! seconds would fail the user who is typing). Call it from a worker thread, never the UI thread.
//!
//! The platform store is opened anew for each call rather than once per process (which is what
//! the `keyring` crate does): when the first try finds no session bus or no Secret Service, a
//! later try, after the user started one, works without restarting the app.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};

use crate::core::key::{self, ApiKey, Recognition};

/// The keyring service name under which the key is kept.
pub const SERVICE: &str = "aaai-key-setup";

/// The keyring account (`username` attribute on the Secret Service) of the key.
pub const ACCOUNT: &str = "openai-api-key";

/// The label shown for the entry in keyring managers such as Seahorse (Linux only).
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
const LABEL: &str = "OpenAI API key for Auto Article AI";

/// Why the keyring could not be used. Messages are plain words with a next step; they never
/// hold the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// There is no keyring to talk to: no Secret Service or no session bus (WSL, a server, a
    /// session without a desktop), or the platform has no keyring we support.
    #[error(
        "No keyring is available here: {location} is not running or cannot be reached (as on WSL, a server or a login without a desktop). The key is never kept in a file instead. Open a desktop session with a keyring and try again, or give the key to the command directly (OPENAI_API_KEY or --key-stdin)."
    )]
    Missing {
        /// Where we looked, in plain words.
        location: &'static str,
    },
    /// The keyring is locked and was not unlocked (the unlock dialog was closed or could not
    /// be shown).
    #[error(
        "Your keyring is locked and was not unlocked ({location}). Try again and unlock it with your login password when asked."
    )]
    Locked {
        /// Where the key is kept, in plain words.
        location: &'static str,
    },
    /// The keyring refused this app access.
    #[error(
        "Your keyring refused access to the key ({location}). Try again and choose Allow when asked, or check the keyring's settings for this app."
    )]
    Refused {
        /// Where the key is kept, in plain words.
        location: &'static str,
    },
    /// The stored entry holds no usable OpenAI key (edited by hand, or damaged).
    #[error(
        "The entry in {location} does not hold a usable OpenAI key. Store the key again (aaai-key-setup key store), or remove the entry (aaai-key-setup key forget)."
    )]
    Unusable {
        /// Where the key is kept, in plain words.
        location: &'static str,
    },
    /// Anything else the keyring answered.
    #[error(
        "Your keyring could not be used ({location}: {detail}). Try again; if it keeps failing, restart your session."
    )]
    Other {
        /// Where the key is kept, in plain words.
        location: &'static str,
        /// The platform's own words; never the key.
        detail: String,
    },
}

/// Something that keeps the key between runs. The real one is [`KeyVault`]; UI tests use a
/// fake. Every call may block (unlock prompts): call from a worker thread.
pub trait KeyStore: Send + Sync {
    /// Store `key`, replacing any earlier one (the new key is written first).
    fn store(&self, key: &ApiKey) -> Result<(), VaultError>;
    /// The stored key, if any.
    fn load(&self) -> Result<Option<ApiKey>, VaultError>;
    /// Remove the stored key; `false` when there was none.
    fn forget(&self) -> Result<bool, VaultError>;
    /// Where the key is kept, in plain words.
    fn location(&self) -> &'static str;
}

impl KeyStore for KeyVault {
    fn store(&self, key: &ApiKey) -> Result<(), VaultError> {
        KeyVault::store(self, key)
    }
    fn load(&self) -> Result<Option<ApiKey>, VaultError> {
        KeyVault::load(self)
    }
    fn forget(&self) -> Result<bool, VaultError> {
        KeyVault::forget(self)
    }
    fn location(&self) -> &'static str {
        KeyVault::location(self)
    }
}

/// The key's place in the OS keyring. Blocking; see the module docs.
#[derive(Clone, Copy, Debug)]
pub struct KeyVault {
    service: &'static str,
    account: &'static str,
}

impl Default for KeyVault {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyVault {
    /// The app's entry: [`SERVICE`] / [`ACCOUNT`].
    pub const fn new() -> Self {
        Self {
            service: SERVICE,
            account: ACCOUNT,
        }
    }

    /// Where the key is kept, in plain words for messages.
    pub fn location(&self) -> &'static str {
        location()
    }

    /// Stores `key`, replacing any key stored before. The new key is written first; nothing is
    /// removed before it is in place, so a failure leaves the old key as it was.
    pub fn store(&self, key: &ApiKey) -> Result<(), VaultError> {
        let entry = self.entry()?;
        match entry.set_password(key.expose_secret()) {
            Ok(()) => {}
            // Several entries match (made by another tool): write the key into the first, then
            // remove the others so the next read is not ambiguous.
            Err(KeyringError::Ambiguous(entries)) => {
                let mut rest = entries.into_iter();
                if let Some(first) = rest.next() {
                    first.set_password(key.expose_secret()).map_err(classify)?;
                }
                for extra in rest {
                    match extra.delete_credential() {
                        Ok(()) | Err(KeyringError::NoEntry) => {}
                        Err(e) => return Err(classify(e)),
                    }
                }
            }
            Err(e) => return Err(classify(e)),
        }
        // Read it back: a keyring that accepted the write but kept something else is an error
        // the user must hear about now, not when the plugin fails later.
        match self.load()? {
            Some(stored) if stored == *key => Ok(()),
            _ => Err(VaultError::Other {
                location: location(),
                detail: String::from("the key read back differs from the key written"),
            }),
        }
    }

    /// The stored key, or `None` when none is stored. The stored text is scanned like pasted
    /// text, so only a usable OpenAI key comes back.
    pub fn load(&self) -> Result<Option<ApiKey>, VaultError> {
        let entry = self.entry()?;
        let text = match entry.get_password() {
            Ok(text) => zeroize::Zeroizing::new(text),
            Err(KeyringError::NoEntry) => return Ok(None),
            Err(KeyringError::Ambiguous(entries)) => {
                match entries.first().map(Entry::get_password) {
                    Some(Ok(text)) => zeroize::Zeroizing::new(text),
                    Some(Err(KeyringError::NoEntry)) | None => return Ok(None),
                    Some(Err(e)) => return Err(classify(e)),
                }
            }
            Err(KeyringError::BadEncoding(_)) => {
                return Err(VaultError::Unusable {
                    location: location(),
                });
            }
            Err(e) => return Err(classify(e)),
        };
        match key::scan(&text).result {
            Recognition::Key(key) => Ok(Some(key)),
            Recognition::Problem(_) | Recognition::Nothing => Err(VaultError::Unusable {
                location: location(),
            }),
        }
    }

    /// Removes the stored key. `Ok(false)` when there was none.
    pub fn forget(&self) -> Result<bool, VaultError> {
        let entry = self.entry()?;
        match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(KeyringError::Ambiguous(entries)) => {
                for each in entries {
                    match each.delete_credential() {
                        Ok(()) | Err(KeyringError::NoEntry) => {}
                        Err(e) => return Err(classify(e)),
                    }
                }
                Ok(true)
            }
            Err(e) => Err(classify(e)),
        }
    }

    /// The entry in a store opened for this call.
    fn entry(&self) -> Result<Entry, VaultError> {
        let store = open_store().map_err(classify)?;
        entry_in(&store, self.service, self.account).map_err(classify)
    }
}

/// Where the key is kept, in plain words for messages.
pub fn location() -> &'static str {
    if cfg!(target_os = "macos") {
        "the macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "the Windows Credential Manager"
    } else {
        "the GNOME keyring / Secret Service"
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(
    target_os = "macos",
    target_os = "windows",
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )
)))]
fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(KeyringError::NoDefaultStore)
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn entry_in(
    store: &Arc<CredentialStore>,
    service: &str,
    account: &str,
) -> keyring_core::Result<Entry> {
    let modifiers = std::collections::HashMap::from([("label", LABEL)]);
    Entry::new_in_store_with_modifiers(store, service, account, &modifiers)
}

#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn entry_in(
    store: &Arc<CredentialStore>,
    service: &str,
    account: &str,
) -> keyring_core::Result<Entry> {
    Entry::new_in_store(store, service, account)
}

/// What a keyring failure means for the user, whatever the platform said. Each store's own
/// error codes are put into one of these by a pure function compiled on every system (so its
/// tests run everywhere); only the small glue that gets the code out of the error is per
/// platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// No keyring to talk to.
    Missing,
    /// The keyring is locked and was not unlocked.
    Locked,
    /// The keyring (or the user, in its dialog) refused this app.
    Refused,
    /// Anything else.
    Other,
}

/// Puts a keyring error into the user's words. Its text may name the platform's error, never
/// the secret (keyring errors do not carry it in their `Display`).
fn classify(error: KeyringError) -> VaultError {
    let location = location();
    let class = match &error {
        KeyringError::NoDefaultStore => Class::Missing,
        KeyringError::PlatformFailure(inner) => {
            platform_class(inner.as_ref()).unwrap_or(Class::Other)
        }
        // The store crates use this variant for "not allowed": refused unless the code says
        // more (on Windows it only ever means there is no credential store at all).
        KeyringError::NoStorageAccess(inner) => {
            platform_class(inner.as_ref()).unwrap_or(Class::Refused)
        }
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            return VaultError::Unusable { location };
        }
        _ => Class::Other,
    };
    match class {
        Class::Missing => VaultError::Missing { location },
        Class::Locked => VaultError::Locked { location },
        Class::Refused => VaultError::Refused { location },
        Class::Other => VaultError::Other {
            location,
            detail: error.to_string(),
        },
    }
}

/// The Windows Credential Manager's errors (Win32 codes from `GetLastError`, as
/// windows-native-keyring-store reports them).
#[cfg_attr(not(any(test, target_os = "windows")), allow(dead_code))]
fn windows_code_class(code: u32) -> Class {
    /// ERROR_ACCESS_DENIED.
    const ACCESS_DENIED: u32 = 5;
    /// ERROR_NOT_SUPPORTED: this kind of logon has no credential store.
    const NOT_SUPPORTED: u32 = 50;
    /// ERROR_CANCELLED.
    const CANCELLED: u32 = 1223;
    /// ERROR_NOT_LOGGED_ON.
    const NOT_LOGGED_ON: u32 = 1245;
    /// ERROR_NO_SUCH_LOGON_SESSION: no credential store for this logon (SSH, services,
    /// some remote sessions). Windows never asks the user anything here.
    const NO_SUCH_LOGON_SESSION: u32 = 1312;
    match code {
        NO_SUCH_LOGON_SESSION | NOT_LOGGED_ON | NOT_SUPPORTED => Class::Missing,
        ACCESS_DENIED | CANCELLED => Class::Refused,
        _ => Class::Other,
    }
}

/// The Win32 code in a windows-native-keyring-store error. That crate keeps its error type
/// (`PlatformError(pub u32)`, derived `Debug`) in a private module, so it cannot be downcast;
/// its `Debug` form is the one stable place the number shows.
#[cfg_attr(not(any(test, target_os = "windows")), allow(dead_code))]
fn windows_code_from_debug(debug: &str) -> Option<u32> {
    debug
        .strip_prefix("PlatformError(")?
        .strip_suffix(')')?
        .parse()
        .ok()
}

/// The macOS Keychain's errors (`OSStatus` codes, from Security.framework's SecBase.h).
#[cfg_attr(not(any(test, target_os = "macos")), allow(dead_code))]
fn keychain_status_class(status: i32) -> Class {
    /// errSecUserCanceled: the user chose Deny or Cancel in the Keychain's dialog.
    const USER_CANCELED: i32 = -128;
    /// wrPermErr: the item belongs to another app or user.
    const WRITE_PERMISSION: i32 = -61;
    /// errSecInvalidOwnerEdit.
    const INVALID_OWNER_EDIT: i32 = -25244;
    /// errSecNotAvailable: no keychain is available.
    const NOT_AVAILABLE: i32 = -25291;
    /// errSecReadOnly.
    const READ_ONLY: i32 = -25292;
    /// errSecAuthFailed: the password given in the dialog was wrong, or access was denied.
    const AUTH_FAILED: i32 = -25293;
    /// errSecNoSuchKeychain.
    const NO_SUCH_KEYCHAIN: i32 = -25294;
    /// errSecDuplicateItem: an item the app may not change is in the way.
    const DUPLICATE_ITEM: i32 = -25299;
    /// errSecNoDefaultKeychain.
    const NO_DEFAULT_KEYCHAIN: i32 = -25307;
    /// errSecInteractionNotAllowed: locked, and no dialog can be shown (SSH, a service).
    const INTERACTION_NOT_ALLOWED: i32 = -25308;
    /// errSecInteractionRequired.
    const INTERACTION_REQUIRED: i32 = -25315;
    match status {
        NOT_AVAILABLE | NO_SUCH_KEYCHAIN | NO_DEFAULT_KEYCHAIN => Class::Missing,
        INTERACTION_NOT_ALLOWED | INTERACTION_REQUIRED => Class::Locked,
        USER_CANCELED | AUTH_FAILED | WRITE_PERMISSION | INVALID_OWNER_EDIT | READ_ONLY
        | DUPLICATE_ITEM => Class::Refused,
        _ => Class::Other,
    }
}

/// The class of a store error's platform part, when the platform code says.
#[cfg(target_os = "windows")]
fn platform_class(error: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Class> {
    windows_code_from_debug(&format!("{error:?}")).map(windows_code_class)
}

/// The class of a store error's platform part, when the platform code says.
#[cfg(target_os = "macos")]
fn platform_class(error: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Class> {
    error
        .downcast_ref::<security_framework::base::Error>()
        .map(|e| keychain_status_class(e.code()))
}

/// The class of a store error's platform part, when the platform code says.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_class(error: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Class> {
    if platform_is_missing(error) {
        Some(Class::Missing)
    } else if platform_is_locked(error) {
        Some(Class::Locked)
    } else {
        None
    }
}

/// Elsewhere no code is known.
#[cfg(not(any(
    target_os = "macos",
    target_os = "windows",
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )
)))]
fn platform_class(_error: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Class> {
    None
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_is_missing(error: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    use secret_service::Error as Ss;
    match error.downcast_ref::<Ss>() {
        Some(Ss::Unavailable) => true,
        Some(Ss::Zbus(e)) => zbus_is_missing(e),
        _ => false,
    }
}

/// A bus that cannot be reached, or one where nobody owns `org.freedesktop.secrets` and
/// nothing can be started for it.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn zbus_is_missing(error: &zbus::Error) -> bool {
    const NO_SERVICE: [&str; 3] = [
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.DBus.Error.Spawn.ServiceNotFound",
    ];
    match error {
        zbus::Error::Address(_)
        | zbus::Error::InputOutput(_)
        | zbus::Error::Connection(..)
        | zbus::Error::Handshake(_) => true,
        zbus::Error::MethodError(name, _, _) => NO_SERVICE.contains(&name.as_str()),
        zbus::Error::FDO(e) => matches!(
            **e,
            zbus::fdo::Error::ServiceUnknown(_)
                | zbus::fdo::Error::NameHasNoOwner(_)
                | zbus::fdo::Error::SpawnServiceNotFound(_)
        ),
        _ => false,
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_is_locked(error: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    use secret_service::Error as Ss;
    matches!(
        error.downcast_ref::<Ss>(),
        Some(Ss::Locked | Ss::Prompt | Ss::PromptDisconnected | Ss::NoResult)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place_and_a_next_step() {
        let location = location();
        for error in [
            VaultError::Missing { location },
            VaultError::Locked { location },
            VaultError::Refused { location },
            VaultError::Unusable { location },
            VaultError::Other {
                location,
                detail: String::from("x"),
            },
        ] {
            let text = error.to_string();
            assert!(text.contains(location), "{text}");
            assert!(
                text.contains("Try again")
                    || text.contains("Store the key again")
                    || text.contains("Open a desktop session"),
                "{text}"
            );
        }
    }

    #[test]
    fn windows_credential_manager_codes() {
        // ERROR_NO_SUCH_LOGON_SESSION: no store for this logon; Windows never asks, so not
        // "refused".
        assert_eq!(windows_code_class(1312), Class::Missing);
        assert_eq!(windows_code_class(1245), Class::Missing);
        assert_eq!(windows_code_class(50), Class::Missing);
        assert_eq!(windows_code_class(5), Class::Refused);
        assert_eq!(windows_code_class(1223), Class::Refused);
        // ERROR_INVALID_PARAMETER and anything unknown.
        assert_eq!(windows_code_class(87), Class::Other);
        assert_eq!(windows_code_class(0xFFFF_FFFF), Class::Other);
    }

    #[test]
    fn windows_code_is_read_from_the_store_errors_debug_form() {
        /// The same shape as windows-native-keyring-store 1.1's private `utils::PlatformError`.
        #[derive(Debug)]
        struct PlatformError(#[allow(dead_code)] u32);
        assert_eq!(
            windows_code_from_debug(&format!("{:?}", PlatformError(1312))),
            Some(1312)
        );
        assert_eq!(
            windows_code_from_debug(&format!("{:?}", PlatformError(u32::MAX))),
            Some(u32::MAX)
        );
        assert_eq!(windows_code_from_debug("Windows error code 5"), None);
        assert_eq!(windows_code_from_debug("PlatformError(-1)"), None);
        assert_eq!(windows_code_from_debug("PlatformError(5"), None);
    }

    #[test]
    fn macos_keychain_codes() {
        // No keychain at all.
        assert_eq!(keychain_status_class(-25294), Class::Missing);
        assert_eq!(keychain_status_class(-25307), Class::Missing);
        assert_eq!(keychain_status_class(-25291), Class::Missing);
        // Locked, and no dialog could be shown.
        assert_eq!(keychain_status_class(-25308), Class::Locked);
        assert_eq!(keychain_status_class(-25315), Class::Locked);
        // The user chose Deny or Cancel, or typed a wrong password.
        assert_eq!(keychain_status_class(-128), Class::Refused);
        assert_eq!(keychain_status_class(-25293), Class::Refused);
        assert_eq!(keychain_status_class(-61), Class::Refused);
        // errSecInvalidKeychain (damaged) and errSecMissingEntitlement.
        assert_eq!(keychain_status_class(-25295), Class::Other);
        assert_eq!(keychain_status_class(-34018), Class::Other);
    }

    /// The glue on this system: a store error carrying the platform's own error type.
    #[cfg(target_os = "macos")]
    #[test]
    fn keychain_errors_are_classified_through_the_store_error() {
        let boxed = |code| Box::new(security_framework::base::Error::from_code(code));
        assert_eq!(
            classify(KeyringError::PlatformFailure(boxed(-25308))),
            VaultError::Locked {
                location: location()
            }
        );
        assert_eq!(
            classify(KeyringError::NoStorageAccess(boxed(-25294))),
            VaultError::Missing {
                location: location()
            }
        );
        assert_eq!(
            classify(KeyringError::PlatformFailure(boxed(-128))),
            VaultError::Refused {
                location: location()
            }
        );
    }

    #[test]
    fn unknown_platform_errors_keep_their_variant_meaning() {
        #[derive(Debug, thiserror::Error)]
        #[error("something odd")]
        struct Odd;
        assert_eq!(
            classify(KeyringError::NoStorageAccess(Box::new(Odd))),
            VaultError::Refused {
                location: location()
            }
        );
        assert!(matches!(
            classify(KeyringError::PlatformFailure(Box::new(Odd))),
            VaultError::Other { .. }
        ));
    }

    #[test]
    fn no_store_is_missing() {
        assert_eq!(
            classify(KeyringError::NoDefaultStore),
            VaultError::Missing {
                location: location()
            }
        );
    }
}
