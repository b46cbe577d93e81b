//! The Secret Service on Linux and the BSDs (GNOME Keyring, KWallet …): its store, the
//! entry's label, and the glue that tells "no keyring" and "locked" from its errors.

/// The store of this system's keyring.
pub(super) use zbus_secret_service_keyring_store::Store;

use super::Class;

/// The label shown for the entry in keyring managers such as Seahorse.
pub(super) const LABEL: Option<&str> = Some("OpenAI API key for Auto Article AI");

/// The class of a store error's platform part, when the platform code says.
pub(super) fn platform_class(
    error: &(dyn std::error::Error + Send + Sync + 'static),
) -> Option<Class> {
    if platform_is_missing(error) {
        Some(Class::Missing)
    } else if platform_is_locked(error) {
        Some(Class::Locked)
    } else {
        None
    }
}

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

fn platform_is_locked(error: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    use secret_service::Error as Ss;
    matches!(
        error.downcast_ref::<Ss>(),
        Some(Ss::Locked | Ss::Prompt | Ss::PromptDisconnected | Ss::NoResult)
    )
}
