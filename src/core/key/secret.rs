//! The key itself: [`ApiKey`], whose `Debug` and `Display` are masked and whose memory is zeroed
//! on drop, and [`KeyKind`], the kinds of OpenAI secret key.

use std::fmt;

use serde::Serialize;
use zeroize::Zeroizing;

use super::classify::ADMIN_PREFIX;

/// A usable OpenAI secret key.
///
/// `Debug` and `Display` show only the masked form; the memory is zeroed on drop. Not
/// serializable: [`ApiKey::expose_secret`] is the only way to the raw key.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    secret: Zeroizing<String>,
    kind: KeyKind,
}

impl ApiKey {
    /// Wraps a key whose shape has been checked.
    pub(super) fn new(secret: &str, kind: KeyKind) -> Self {
        Self {
            secret: Zeroizing::new(secret.to_owned()),
            kind,
        }
    }

    /// The raw key, for the keyring and the `Authorization` header only.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }

    /// Which kind of OpenAI key this is.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The key's prefix, `…` and its last four characters, e.g. `sk-proj-…AbCd` or `sk-…AbCd`.
    pub fn masked(&self) -> String {
        let prefix = match self.kind {
            KeyKind::Project => "sk-proj-",
            KeyKind::NoOwner => "sk-None-",
            KeyKind::Admin => ADMIN_PREFIX,
            KeyKind::ServiceAccount if self.secret.starts_with("sk-svcacct-") => "sk-svcacct-",
            KeyKind::ServiceAccount | KeyKind::Legacy => "sk-",
        };
        format!("{prefix}…{}", last_chars(&self.secret, 4))
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("kind", &self.kind)
            .field("masked", &self.masked())
            .finish()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// The kinds of OpenAI secret key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// `sk-proj-…`: a key of one project; what AAAI asks for.
    Project,
    /// `sk-svcacct-…`, or the early `sk-<name>-…` form: a service account's key.
    ServiceAccount,
    /// `sk-` + characters, the marker, characters: an old user key.
    Legacy,
    /// `sk-None-…`: a key made without an owner.
    NoOwner,
    /// `sk-admin-…`: an organization admin key; never usable by AAAI.
    Admin,
}

impl KeyKind {
    /// The word used in JSON output and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::ServiceAccount => "service_account",
            Self::Legacy => "legacy",
            Self::NoOwner => "no_owner",
            Self::Admin => "admin",
        }
    }

    /// Plain words for the user, e.g. "project key".
    pub fn label(self) -> &'static str {
        match self {
            Self::Project => "project key",
            Self::ServiceAccount => "service account key",
            Self::Legacy => "user key (older kind)",
            Self::NoOwner => "key without an owner",
            Self::Admin => "organization admin key",
        }
    }
}

/// The last `n` characters of `s`.
pub(super) fn last_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}
