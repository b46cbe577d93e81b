//! Unit tests of the keyring adapter: its messages and the pure classification of each
//! platform's error codes.

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

#[test]
fn the_linux_keyring_is_named_the_way_the_desktop_names_it() {
    assert_eq!(linux_location(Some("KDE")), "KWallet");
    assert_eq!(linux_location(Some("ubuntu:KDE")), "KWallet");
    assert_eq!(
        linux_location(Some("ubuntu:GNOME")),
        "GNOME Keyring (Passwords and Keys)"
    );
    assert_eq!(linux_location(None), "GNOME Keyring (Passwords and Keys)");
}
