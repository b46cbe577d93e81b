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

// Each platform's store, the label its entry gets, and the glue that reads a code out of its
// errors. The classification of those codes is pure and stays below, tested everywhere.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
#[path = "vault_linux.rs"]
mod platform;
#[cfg(target_os = "macos")]
#[path = "vault_macos.rs"]
mod platform;
#[cfg(target_os = "windows")]
#[path = "vault_windows.rs"]
mod platform;
#[cfg(not(any(
    target_os = "macos",
    target_os = "windows",
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    )
)))]
#[path = "vault_elsewhere.rs"]
mod platform;

use platform::{LABEL, Store, platform_class};

/// The system's keyring store, opened for one call.
fn open_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = Store::new()?;
    Ok(store)
}

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

/// Where the key is kept, named the way the system names it to its users.
pub fn location() -> &'static str {
    if cfg!(target_os = "macos") {
        "the macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "the Windows Credential Manager"
    } else {
        linux_location(std::env::var("XDG_CURRENT_DESKTOP").ok().as_deref())
    }
}

/// On Linux, KDE's keyring is KWallet; elsewhere it is GNOME Keyring, which GNOME's own app
/// calls "Passwords and Keys".
#[cfg_attr(any(target_os = "macos", target_os = "windows"), allow(dead_code))]
fn linux_location(desktop: Option<&str>) -> &'static str {
    if desktop.is_some_and(|d| d.split(':').any(|part| part.eq_ignore_ascii_case("KDE"))) {
        "KWallet"
    } else {
        "GNOME Keyring (Passwords and Keys)"
    }
}

/// The entry in `store`, with its [`LABEL`] where the platform has one.
fn entry_in(
    store: &Arc<CredentialStore>,
    service: &str,
    account: &str,
) -> keyring_core::Result<Entry> {
    match LABEL {
        Some(label) => {
            let modifiers = std::collections::HashMap::from([("label", label)]);
            Entry::new_in_store_with_modifiers(store, service, account, &modifiers)
        }
        None => Entry::new_in_store(store, service, account),
    }
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

#[cfg(test)]
#[path = "vault_tests.rs"]
mod tests;
