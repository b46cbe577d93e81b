//! The words the app and the command line share for "how far along is the user": the four
//! guide steps, the state of each, and the overall verdict of a check. Names and their
//! serialized forms follow `docs/cli.md` exactly.

use serde::{Deserialize, Serialize};

/// One of the guide's four steps, in the guide's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    /// Step 1: create an OpenAI account or sign in.
    Account,
    /// Step 2: create the secret API key and keep it safe.
    Key,
    /// Step 3: billing, credit and spend limits.
    Billing,
    /// Step 4: organization verification (only when required).
    Verification,
}

impl StepId {
    /// All steps in the guide's order.
    pub const ALL: [Self; 4] = [Self::Account, Self::Key, Self::Billing, Self::Verification];

    /// The word used in JSON output and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Key => "key",
            Self::Billing => "billing",
            Self::Verification => "verification",
        }
    }
}

/// What is known about one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// The step is complete.
    Done,
    /// The step still needs the user's action.
    Pending,
    /// Nothing tells yet.
    #[default]
    Unknown,
    /// The step does not apply (only organization verification can be this).
    NotNeeded,
}

impl StepState {
    /// The word used in JSON output and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Pending => "pending",
            Self::Unknown => "unknown",
            Self::NotNeeded => "not_needed",
        }
    }
}

/// The overall answer of a check, as listed in `docs/cli.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The key works and the account has credit.
    Ready,
    /// Only with `--offline`: the key looks right; nothing was asked of OpenAI.
    WellFormed,
    /// The text holds something key-like that is damaged (cut short, masked, a placeholder).
    Malformed,
    /// A key from another provider.
    WrongProvider,
    /// An organization admin key: the wrong kind for AAAI.
    AdminKey,
    /// OpenAI says the key is wrong, revoked or deleted.
    InvalidKey,
    /// The user belongs to no organization.
    NoOrganization,
    /// The OpenAI account is deactivated.
    AccountDeactivated,
    /// A restricted key lacks a permission AAAI needs.
    RestrictedKey,
    /// No credit or a spend limit reached.
    NoCredit,
    /// The key's project may not use a model AAAI needs (a project model allow-list).
    ModelUnavailable,
    /// The organization must be verified for the model that was asked for.
    VerificationRequired,
    /// OpenAI does not serve this country, region or territory.
    RegionBlocked,
    /// Rate limited even after retries.
    RateLimited,
    /// OpenAI answered with a server error or is overloaded.
    ServerError,
    /// OpenAI could not be reached.
    NetworkError,
    /// An answer the app does not know how to read.
    UnexpectedResponse,
}

impl Verdict {
    /// The word used in JSON output and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::WellFormed => "well_formed",
            Self::Malformed => "malformed",
            Self::WrongProvider => "wrong_provider",
            Self::AdminKey => "admin_key",
            Self::InvalidKey => "invalid_key",
            Self::NoOrganization => "no_organization",
            Self::AccountDeactivated => "account_deactivated",
            Self::RestrictedKey => "restricted_key",
            Self::NoCredit => "no_credit",
            Self::ModelUnavailable => "model_unavailable",
            Self::VerificationRequired => "verification_required",
            Self::RegionBlocked => "region_blocked",
            Self::RateLimited => "rate_limited",
            Self::ServerError => "server_error",
            Self::NetworkError => "network_error",
            Self::UnexpectedResponse => "unexpected_response",
        }
    }

    /// The process exit code `docs/cli.md` assigns to this verdict.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Ready | Self::WellFormed => 0,
            Self::RateLimited
            | Self::ServerError
            | Self::NetworkError
            | Self::UnexpectedResponse => 2,
            _ => 1,
        }
    }
}
