//! One key of each kind the check accepts, for the scenarios that try them all.

use aaai_key_setup::core::key::ApiKey;

use crate::openai_mock::key_of;

/// A legacy key (`sk-`, 20 characters on each side of the marker).
pub fn legacy_key() -> ApiKey {
    key_of("sk-", 20, 1)
}

/// A project key (`sk-proj-`).
pub fn project_key() -> ApiKey {
    key_of("sk-proj-", 58, 3)
}

/// A service account key (`sk-svcacct-`).
pub fn service_account_key() -> ApiKey {
    key_of("sk-svcacct-", 74, 5)
}
