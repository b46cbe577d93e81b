//! The readiness check as a pure, sans-I/O state machine: does the key work for what AAAI
//! really does (write articles, make images), and what is left to do?
//!
//! [`ReadinessCheck`] hands out every request that is ready to go ([`Probe`]), is fed each
//! answer (or the adapter's classification of a transport failure) as it comes, and finally
//! produces a [`CheckReport`]: the [`Verdict`](crate::core::verdict::Verdict), the state of the
//! guide's four steps, the state of each AAAI feature, and plain sentences for the user.
//! Nothing here touches the network, the clock or the disk. The adapter in
//! `crate::adapters::net` drives it.
//!
//! - `probe`: the requests and what comes back; which ones may cost money.
//! - `classify`: what one answer means (code first, then type, then message, then status).
//! - `retry`: the retry policy.
//! - `findings`: which evidence proves what, per AAAI feature.
//! - `choice`: which model each feature is checked on (the first candidate OpenAI still offers).
//! - `machine`: the state machine.
//! - `wording`: every sentence the check says.
//!
//! Rules kept throughout: never copy a server message into our own text (the 401 message
//! echoes part of the key); a failing `/me` never makes a key invalid; nothing that can be
//! billed is sent without the user's consent. The API facts behind the rules are in
//! `docs/api-facts.md`.

mod choice;
mod classify;
mod findings;
mod machine;
mod probe;
mod retry;
mod wording;

pub use choice::{How, Passed};
pub use classify::{BillingCode, Class, Refusal, Shape};
pub use machine::ReadinessCheck;
pub use probe::{Answer, Probe, TransportError};
pub(crate) use retry::retry_after;

/// The report and its parts, kept next to their renderers in `crate::core::report`.
pub use crate::core::report::{CheckReport, ModelChoice, ModelsReport, Organization, Steps};

use crate::core::key::{ApiKey, KeyKind};
use crate::core::models::{AaaiModels, Day};

/// Which troubleshooting entry of the guide fits the result: the guide's own entries.
pub use crate::core::guide::TroubleId as Trouble;
/// The guide's pages, under the names the wording uses.
pub use crate::core::guide::{
    API_KEYS as API_KEYS_URL, BILLING as BILLING_URL, ORG_GENERAL as ORG_GENERAL_URL,
};
/// OpenAI's status page.
pub(crate) const STATUS_URL: &str = "https://status.openai.com/";
/// OpenAI's help centre (support contact).
pub(crate) const HELP_URL: &str = "https://help.openai.com/";
/// The list of countries and regions OpenAI serves.
pub(crate) const SUPPORTED_COUNTRIES_URL: &str =
    "https://platform.openai.com/docs/supported-countries";
/// The organization's limits (spend limits, hard limit).
pub(crate) const LIMITS_URL: &str = "https://platform.openai.com/settings/organization/limits";
/// The organization's projects, where each project's allowed models are set.
pub(crate) const PROJECTS_URL: &str = "https://platform.openai.com/settings/organization/projects";

/// What the check is asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    /// The key's kind and masked form, for the report.
    pub key: Option<(KeyKind, String)>,
    /// The key itself, only so that no text taken from a response that shares a long run
    /// with it is ever shown (`Debug` is masked; never put in the report).
    pub secret: Option<ApiKey>,
    /// The user consents to one smallest real image (about half a cent), which alone proves
    /// that images work.
    pub verification: bool,
    /// The user agreed to a one-token paid request when the free credit probe is inconclusive.
    pub paid_probe_consent: bool,
    /// The whole check's time bound, for the timeout message.
    pub timeout_secs: u64,
    /// The organization id the requests are sent for (`OpenAI-Organization`), if any.
    pub org_id: Option<String>,
    /// The models AAAI may call, per feature first choice first; the probes ask for the first
    /// one OpenAI still offers.
    pub models: AaaiModels,
    /// Today by the local clock (the adapter reads it); the server's `Date` header wins.
    pub today: Option<Day>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            key: None,
            secret: None,
            verification: false,
            paid_probe_consent: false,
            timeout_secs: 30,
            org_id: None,
            models: AaaiModels::built_in(),
            today: None,
        }
    }
}

impl CheckOptions {
    /// Options for checking `key`, with everything else at its default.
    pub fn for_key(key: &ApiKey) -> Self {
        Self {
            key: Some((key.kind(), key.masked())),
            secret: Some(key.clone()),
            ..Self::default()
        }
    }

    fn secret(&self) -> Option<&str> {
        self.secret.as_ref().map(ApiKey::expose_secret)
    }
}
