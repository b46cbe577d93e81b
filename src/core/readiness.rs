//! The readiness check as a pure, sans-I/O state machine.
//!
//! [`ReadinessCheck`] says which request to make next ([`Probe`]), is fed each answer (or the
//! adapter's classification of a transport failure), and finally produces a [`CheckReport`]:
//! the [`Verdict`], the state of the guide's four steps, and plain sentences for the user.
//! Nothing here touches the network, the clock or the disk; [`retry_after`] is the retry policy,
//! also pure. The adapter in `crate::net` drives it.
//!
//! Rules kept throughout: decide on `error.code` first, then `error.type`, then the message
//! text, and only then on the HTTP status; never copy a server message into our own text (the
//! 401 message echoes part of the key); a failing `/me` never makes a key invalid.

use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use crate::core::features::{FeatureState, FeatureStatus, Features};
use crate::core::key::{ApiKey, KeyKind};
use crate::core::verdict::{StepId, StepState, Verdict};

/// The guide's pages, under the names the mapping below uses.
pub use crate::core::guide::{
    API_KEYS as API_KEYS_URL, BILLING as BILLING_URL, ORG_GENERAL as ORG_GENERAL_URL,
};
/// OpenAI's status page.
pub const STATUS_URL: &str = "https://status.openai.com/";
/// OpenAI's help centre (support contact).
pub const HELP_URL: &str = "https://help.openai.com/";
/// The list of countries and regions OpenAI serves.
pub const SUPPORTED_COUNTRIES_URL: &str = "https://platform.openai.com/docs/supported-countries";

/// The model used by the verification probe: one that needs a verified organization to stream.
pub const VERIFICATION_MODEL: &str = "o3";
/// Cheap chat models, cheapest-and-simplest first; the first one listed for the key is used by
/// the credit probe and the paid fallback.
pub const CHEAP_CHAT_MODELS: [&str; 5] = [
    "gpt-4.1-nano",
    "gpt-4o-mini",
    "gpt-4.1-mini",
    "gpt-5-nano",
    "gpt-3.5-turbo",
];
/// Used when the model list could not be read.
pub const FALLBACK_CHAT_MODEL: &str = "gpt-4o-mini";

/// How many times one request is retried at most (so at most 3 attempts).
pub const MAX_RETRIES: u32 = 2;

/// Usage tiers guessed from rate-limit headers of a small chat model (gpt-4o-mini /
/// gpt-4.1-nano class). Highest first: `(tier, min tokens per minute, min requests per minute)`.
/// OpenAI changes these numbers over time, so the result is only ever called a guess.
pub const TIER_TABLE: [(&str, u64, u64); 6] = [
    ("Tier 5", 150_000_000, 30_000),
    ("Tier 4", 10_000_000, 10_000),
    ("Tier 3", 4_000_000, 5_000),
    ("Tier 2", 2_000_000, 5_000),
    ("Tier 1", 200_000, 500),
    ("Free", 0, 0),
];

/// One HTTP answer, as the adapter read it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers; names lowercased.
    pub headers: Vec<(String, String)>,
    /// The response body as text (possibly cut short by the adapter).
    pub body: String,
}

impl Answer {
    /// The first value of a header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True when a web page came back instead of an API answer.
    pub fn is_html(&self) -> bool {
        let by_type = self
            .header("content-type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("text/html"));
        by_type || self.body.trim_start().starts_with('<')
    }
}

/// Why a request got no answer, as classified by the adapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportError {
    /// No answer in time.
    Timeout,
    /// The host name could not be looked up.
    Dns,
    /// The connection was refused or could not be made (offline).
    Connect,
    /// The secure connection failed (certificate, interception).
    Tls,
    /// The proxy refused or failed.
    Proxy,
    /// Anything else.
    Other,
}

/// One request the check wants made.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Probe {
    /// `GET /models`: free; proves the key authenticates.
    Models,
    /// `GET /me`: free, undocumented; names the user's organizations.
    Me,
    /// `POST /chat/completions` with an empty message and `max_tokens: 0`: free; tells credit.
    CreditProbe {
        /// The chat model asked for.
        model: String,
    },
    /// A real one-token completion (costs a tiny fraction of a cent; only with consent).
    PaidOneToken {
        /// The chat model asked for.
        model: String,
    },
    /// A one-token streamed request to a verification-gated model.
    Verification {
        /// The gated model asked for.
        model: String,
    },
}

impl Probe {
    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        match self {
            Self::Models | Self::Me => "GET",
            _ => "POST",
        }
    }

    /// The path below the base URL (which ends in `/v1`).
    pub fn path(&self) -> &'static str {
        match self {
            Self::Models => "/models",
            Self::Me => "/me",
            _ => "/chat/completions",
        }
    }

    /// The JSON body, for POST probes.
    pub fn body(&self) -> Option<Value> {
        match self {
            Self::Models | Self::Me => None,
            Self::CreditProbe { model } => Some(json!({
                "model": model,
                "messages": [{"role": "user", "content": ""}],
                "max_tokens": 0,
            })),
            Self::PaidOneToken { model } => Some(json!({
                "model": model,
                "messages": [{"role": "user", "content": "Hi"}],
                "max_completion_tokens": 1,
            })),
            Self::Verification { model } => Some(json!({
                "model": model,
                "messages": [{"role": "user", "content": "Hi"}],
                "max_completion_tokens": 1,
                "stream": true,
            })),
        }
    }

    /// A short name for logs and tests.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Models => "models",
            Self::Me => "me",
            Self::CreditProbe { .. } => "credit_probe",
            Self::PaidOneToken { .. } => "paid_one_token",
            Self::Verification { .. } => "verification",
        }
    }
}

/// What the check is asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    /// The key's kind and masked form, for the report (never the key itself).
    pub key: Option<(KeyKind, String)>,
    /// Also run the verification probe (may cost a tiny fraction of a cent).
    pub verification: bool,
    /// The user agreed to a one-token paid request when the free credit probe is inconclusive.
    pub paid_probe_consent: bool,
    /// The whole check's time bound, for the timeout message.
    pub timeout_secs: u64,
    /// The organization id the requests are sent for (`OpenAI-Organization`), if any.
    pub org_id: Option<String>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            key: None,
            verification: false,
            paid_probe_consent: false,
            timeout_secs: 30,
            org_id: None,
        }
    }
}

impl CheckOptions {
    /// Options for checking `key`, with everything else at its default.
    pub fn for_key(key: &ApiKey) -> Self {
        Self {
            key: Some((key.kind(), key.masked())),
            ..Self::default()
        }
    }
}

/// The state of the guide's four steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Steps {
    /// Step 1: account.
    pub account: StepState,
    /// Step 2: key.
    pub key: StepState,
    /// Step 3: billing.
    pub billing: StepState,
    /// Step 4: verification.
    pub verification: StepState,
}

impl Steps {
    /// The state of one step.
    pub fn get(&self, id: StepId) -> StepState {
        match id {
            StepId::Account => self.account,
            StepId::Key => self.key,
            StepId::Billing => self.billing,
            StepId::Verification => self.verification,
        }
    }

    /// All four steps in the guide's order.
    pub fn all(&self) -> [(StepId, StepState); 4] {
        StepId::ALL.map(|id| (id, self.get(id)))
    }
}

impl CheckReport {
    /// The report of a shape check alone (`check --offline`, or a key that fails its shape
    /// before any network call). `None` when the text held nothing key-like.
    pub fn from_shape(recognition: &crate::core::key::Recognition) -> Option<Self> {
        use crate::core::key::Recognition;
        let blank = |verdict, key_state, message: String, next_step: String, key| Self {
            verdict,
            steps: Steps {
                key: key_state,
                ..Steps::default()
            },
            organization: None,
            project: None,
            other_orgs_warning: None,
            tier: None,
            message,
            next_step,
            fix_url: Some(API_KEYS_URL),
            trouble: None,
            offer_paid_probe: false,
            key,
            notes: Vec::new(),
            features: Features::default(),
        };
        match recognition {
            Recognition::Nothing => None,
            Recognition::Key(key) => Some(Self {
                fix_url: None,
                ..blank(
                    Verdict::WellFormed,
                    StepState::Done,
                    format!("This looks like a complete OpenAI {}.", key.kind().label()),
                    String::from(
                        "Nothing was sent to OpenAI. Run the full check to see whether it works and has credit.",
                    ),
                    Some((key.kind(), key.masked())),
                )
            }),
            Recognition::Problem(problem) => Some(blank(
                problem.verdict,
                StepState::Pending,
                problem.message.clone(),
                problem.next_step.clone(),
                // An admin key is a real OpenAI key of the wrong kind: name it.
                match (problem.verdict, &problem.masked) {
                    (Verdict::AdminKey, Some(masked)) => Some((KeyKind::Admin, masked.clone())),
                    _ => None,
                },
            )),
        }
    }
}

/// The organization a key belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organization {
    /// The organization's name (slug), e.g. `acme-publishing`.
    pub name: String,
    /// Its display title, when known.
    pub title: Option<String>,
}

/// Which troubleshooting entry of the guide fits the result: the guide's own entries.
pub use crate::core::guide::TroubleId as Trouble;

/// Everything the GUI and the CLI show after a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    /// The overall answer.
    pub verdict: Verdict,
    /// The guide's four steps.
    pub steps: Steps,
    /// The organization the key belongs to, when known.
    pub organization: Option<Organization>,
    /// The project the key belongs to (`openai-project` header), when known.
    pub project: Option<String>,
    /// Set when the key's organization may not be the one that was paid for.
    pub other_orgs_warning: Option<String>,
    /// The usage tier, guessed from rate-limit headers.
    pub tier: Option<String>,
    /// A plain, kind sentence on what was found.
    pub message: String,
    /// What to do next.
    pub next_step: String,
    /// The page that fixes it.
    pub fix_url: Option<&'static str>,
    /// The guide's troubleshooting entry that fits.
    pub trouble: Option<Trouble>,
    /// True when a one-token paid test could settle an unclear answer.
    pub offer_paid_probe: bool,
    /// The key's kind and masked form.
    pub key: Option<(KeyKind, String)>,
    /// Extra plain sentences (side findings that do not change the verdict).
    pub notes: Vec<String>,
    /// What AAAI can do with this key: articles and images.
    pub features: Features,
}

/// Which billing error OpenAI gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BillingCode {
    /// `insufficient_quota`.
    InsufficientQuota,
    /// `credit_balance_exhausted`.
    CreditBalanceExhausted,
    /// `organization_spend_limit_exceeded`.
    OrganizationSpendLimit,
    /// `project_spend_limit_exceeded`.
    ProjectSpendLimit,
    /// `organization_usage_limit_exceeded`.
    OrganizationUsageLimit,
    /// `billing_not_active`.
    BillingNotActive,
}

/// What one answer means, before the stage decides what to do with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Class {
    /// A 2xx answer that is not a web page.
    Success,
    /// A web page instead of an API answer.
    Html,
    /// `invalid_api_key`.
    InvalidKey,
    /// `no_organization`.
    NoOrganization,
    /// `account_deactivated`.
    AccountDeactivated,
    /// "Missing scopes: …", with the scopes named.
    MissingScopes(Vec<String>),
    /// `unsupported_country_region_territory`.
    RegionBlocked,
    /// A billing 429 (never retried).
    Billing(BillingCode),
    /// `access_terminated`.
    AccessTerminated,
    /// `rate_limit_exceeded` (or a 429 with nothing else to go on).
    RateLimited,
    /// A 5xx or `server_is_overloaded`.
    ServerError,
    /// 408 or 409: the request did not finish.
    Unfinished,
    /// "Your organization must be verified …".
    VerificationRequired,
    /// `model_not_found`.
    ModelNotFound,
    /// Any other 400 `invalid_request_error` (what the free credit probe expects).
    InvalidRequest,
    /// Anything else.
    Unexpected,
}

/// The parts of an OpenAI error body used for deciding; the message is never shown.
#[derive(Debug, Default)]
struct ErrorBody {
    message: String,
    kind: String,
    code: String,
    param: String,
}

fn parse_error(body: &str) -> Option<ErrorBody> {
    let v: Value = serde_json::from_str(body).ok()?;
    let e = v.get("error")?;
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    Some(ErrorBody {
        message: s("message"),
        kind: s("type"),
        code: s("code"),
        param: s("param"),
    })
}

fn billing_code(code: &str) -> Option<BillingCode> {
    Some(match code {
        "insufficient_quota" => BillingCode::InsufficientQuota,
        "credit_balance_exhausted" => BillingCode::CreditBalanceExhausted,
        "organization_spend_limit_exceeded" => BillingCode::OrganizationSpendLimit,
        "project_spend_limit_exceeded" => BillingCode::ProjectSpendLimit,
        "organization_usage_limit_exceeded" => BillingCode::OrganizationUsageLimit,
        "billing_not_active" => BillingCode::BillingNotActive,
        _ => return None,
    })
}

/// The scopes named after "Missing scopes:" in a message.
fn missing_scopes(message: &str) -> Option<Vec<String>> {
    let at = message.find("Missing scopes:")?;
    let rest = &message[at + "Missing scopes:".len()..];
    let rest = rest.split(['\n', '"']).next().unwrap_or("");
    Some(
        rest.split([',', ' '])
            .map(|s| s.trim().trim_end_matches('.'))
            .filter(|s| !s.is_empty())
            .filter(|s| {
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            })
            .map(str::to_owned)
            .collect(),
    )
}

/// Reads one answer: code first, then type, then message, then status.
pub fn classify(answer: &Answer) -> Class {
    let status = answer.status;
    if (500..=599).contains(&status) {
        return Class::ServerError;
    }
    if answer.is_html() {
        return Class::Html;
    }
    if (200..=299).contains(&status) {
        return Class::Success;
    }
    let err = parse_error(&answer.body).unwrap_or_default();
    // 1. error.code
    match err.code.as_str() {
        "invalid_api_key" => return Class::InvalidKey,
        "no_organization" => return Class::NoOrganization,
        "account_deactivated" => return Class::AccountDeactivated,
        "unsupported_country_region_territory" => return Class::RegionBlocked,
        "access_terminated" => return Class::AccessTerminated,
        "rate_limit_exceeded" => return Class::RateLimited,
        "server_is_overloaded" => return Class::ServerError,
        "model_not_found" => return Class::ModelNotFound,
        "unsupported_value" if err.param == "stream" && err.message.contains("verified") => {
            return Class::VerificationRequired;
        }
        code => {
            if let Some(b) = billing_code(code) {
                return Class::Billing(b);
            }
        }
    }
    // 2. error.type
    match err.kind.as_str() {
        "insufficient_quota" => return Class::Billing(BillingCode::InsufficientQuota),
        "requests" | "tokens" if status == 429 => return Class::RateLimited,
        "service_unavailable_error" | "server_error" => return Class::ServerError,
        _ => {}
    }
    // 3. message text
    let m = err.message.as_str();
    if let Some(scopes) = missing_scopes(m) {
        return Class::MissingScopes(scopes);
    }
    if m.contains("must be verified") {
        return Class::VerificationRequired;
    }
    if m.starts_with("Incorrect API key") {
        return Class::InvalidKey;
    }
    if m.contains("exceeded your current quota") {
        return Class::Billing(BillingCode::InsufficientQuota);
    }
    if m.contains("must be a member of an organization") {
        return Class::NoOrganization;
    }
    if m.contains("has been deactivated") {
        return Class::AccountDeactivated;
    }
    if m.starts_with("Country, region, or territory not supported") {
        return Class::RegionBlocked;
    }
    // 4. status
    match status {
        400 if err.kind == "invalid_request_error" => Class::InvalidRequest,
        408 | 409 => Class::Unfinished,
        429 => Class::RateLimited,
        _ => Class::Unexpected,
    }
}

/// The pure retry policy: `attempt` is the number of retries already made for this request.
/// Retries at most [`MAX_RETRIES`] times on 408, 409, 5xx, rate limits (never billing 429s),
/// and connection failures; honours `retry-after-ms` / `retry-after` (up to 60 s), else backs
/// off `min(0.5 * 2^attempt, 8)` seconds, shortened by up to a quarter by `jitter` (0..1).
pub fn retry_after(
    attempt: u32,
    outcome: &Result<Answer, TransportError>,
    jitter: f64,
) -> Option<Duration> {
    if attempt >= MAX_RETRIES {
        return None;
    }
    let answer = match outcome {
        Err(TransportError::Tls | TransportError::Proxy) => return None,
        Err(_) => None,
        Ok(a) => {
            let retryable = match a.status {
                408 | 409 | 500..=599 => true,
                429 => classify(a) == Class::RateLimited,
                _ => false,
            };
            if !retryable {
                return None;
            }
            Some(a)
        }
    };
    if let Some(d) = answer.and_then(server_delay) {
        return Some(d);
    }
    let base = (0.5 * 2f64.powi(attempt.min(10) as i32)).min(8.0);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    Some(Duration::from_secs_f64(base * (1.0 - 0.25 * jitter)))
}

/// The delay the server asked for, when sensible (0..=60 s).
fn server_delay(a: &Answer) -> Option<Duration> {
    let ms = a
        .header("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|ms| ms / 1000.0);
    let secs = ms.or_else(|| {
        a.header("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok())
    })?;
    (secs.is_finite() && (0.0..=60.0).contains(&secs)).then(|| Duration::from_secs_f64(secs))
}

/// Guesses the usage tier from rate-limit headers, using [`TIER_TABLE`].
pub fn guess_tier(answer: &Answer) -> Option<String> {
    let num = |name: &str| {
        answer
            .header(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    if let Some(tokens) = num("x-ratelimit-limit-tokens") {
        return TIER_TABLE
            .iter()
            .find(|(_, min_tokens, _)| tokens >= *min_tokens)
            .map(|(t, _, _)| (*t).to_owned());
    }
    let requests = num("x-ratelimit-limit-requests")?;
    // Requests alone cannot tell tiers sharing a limit apart: take the lowest such tier.
    let top = TIER_TABLE
        .iter()
        .find(|(_, _, min_requests)| requests >= *min_requests)?;
    TIER_TABLE
        .iter()
        .rev()
        .find(|(_, _, r)| *r == top.2)
        .map(|(t, _, _)| (*t).to_owned())
}

/// One organization from `/me`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OrgEntry {
    id: String,
    name: String,
    title: Option<String>,
    is_default: bool,
}

/// A label from the server, cleaned for display: no control characters, short, and dropped
/// entirely if it looks like it might hold a key.
fn clean_label(s: &str) -> Option<String> {
    let s: String = s.chars().filter(|c| !c.is_control()).take(100).collect();
    let s = s.trim();
    if s.is_empty() || s.contains("sk-") || s.contains("T3Blbk") {
        None
    } else {
        Some(s.to_owned())
    }
}

fn parse_orgs(body: &str) -> Option<Vec<OrgEntry>> {
    let v: Value = serde_json::from_str(body).ok()?;
    let data = v.get("orgs")?.get("data")?.as_array()?;
    Some(
        data.iter()
            .filter_map(|o| {
                let s = |k: &str| o.get(k).and_then(Value::as_str);
                Some(OrgEntry {
                    id: s("id").unwrap_or("").to_owned(),
                    name: clean_label(s("name")?)?,
                    title: s("title").and_then(clean_label),
                    is_default: o
                        .get("is_default")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                })
            })
            .collect(),
    )
}

fn parse_model_ids(body: &str) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(body).ok()?;
    let data = v.get("data")?.as_array()?;
    Some(
        data.iter()
            .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect(),
    )
}

/// The cheapest known chat model among those listed, or the fallback.
pub fn pick_chat_model(listed: &[String]) -> String {
    CHEAP_CHAT_MODELS
        .iter()
        .find(|m| listed.iter().any(|l| l == *m))
        .unwrap_or(&FALLBACK_CHAT_MODEL)
        .to_string()
}

/// How the check ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Finding {
    Ready,
    AdminKey,
    InvalidKey,
    NoOrganization,
    AccountDeactivated,
    Restricted,
    RegionBlocked,
    NoCredit(BillingCode),
    AccessTerminated,
    VerificationRequired,
    RateLimited,
    ServerError,
    Network(TransportError),
    Html,
    Unexpected { offer_paid: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Models,
    Me,
    Credit,
    Paid,
    Verification,
    Finished,
}

/// The sans-I/O readiness check: ask [`Self::next_probe`], make the request, [`Self::feed`]
/// the result, repeat until `next_probe` is `None`, then read [`Self::report`].
#[derive(Clone, Debug)]
pub struct ReadinessCheck {
    options: CheckOptions,
    stage: Stage,
    steps: Steps,
    finding: Option<Finding>,
    chat_model: String,
    orgs: Vec<OrgEntry>,
    org_header: Option<String>,
    project: Option<String>,
    tier: Option<String>,
    notes: Vec<String>,
}

impl ReadinessCheck {
    /// A check that has not asked anything yet. An admin key is settled at once: it is the
    /// wrong kind of key and nothing needs to be asked of OpenAI.
    pub fn new(options: CheckOptions) -> Self {
        let mut check = Self {
            options,
            stage: Stage::Models,
            steps: Steps::default(),
            finding: None,
            chat_model: FALLBACK_CHAT_MODEL.to_owned(),
            orgs: Vec::new(),
            org_header: None,
            project: None,
            tier: None,
            notes: Vec::new(),
        };
        if matches!(&check.options.key, Some((KeyKind::Admin, _))) {
            check.steps.key = StepState::Pending;
            check.finish(Finding::AdminKey);
        }
        check
    }

    /// The next request to make, or `None` when the check is over.
    pub fn next_probe(&self) -> Option<Probe> {
        let model = self.chat_model.clone();
        match self.stage {
            Stage::Models => Some(Probe::Models),
            Stage::Me => Some(Probe::Me),
            Stage::Credit => Some(Probe::CreditProbe { model }),
            Stage::Paid => Some(Probe::PaidOneToken { model }),
            Stage::Verification => Some(Probe::Verification {
                model: VERIFICATION_MODEL.to_owned(),
            }),
            Stage::Finished => None,
        }
    }

    /// True once the check needs nothing more.
    pub fn is_finished(&self) -> bool {
        self.stage == Stage::Finished
    }

    /// Ends the check with a transport failure (e.g. the whole time bound ran out).
    pub fn give_up(&mut self, error: TransportError) {
        if !self.is_finished() {
            self.finish(Finding::Network(error));
        }
    }

    fn finish(&mut self, finding: Finding) {
        self.finding = Some(finding);
        self.stage = Stage::Finished;
    }

    /// Feeds the final result (after retries) of `probe`. A probe other than the one
    /// [`Self::next_probe`] asked for is ignored.
    pub fn feed(&mut self, probe: Probe, result: Result<Answer, TransportError>) {
        if self.next_probe().as_ref() != Some(&probe) {
            return;
        }
        let answer = match result {
            Ok(a) => a,
            Err(e) => {
                if self.stage == Stage::Me {
                    self.stage = Stage::Credit;
                } else {
                    self.finish(Finding::Network(e));
                }
                return;
            }
        };
        self.read_headers(&answer);
        let class = classify(&answer);
        match self.stage {
            Stage::Models => self.on_models(&answer, class),
            Stage::Me => self.on_me(&answer, class),
            Stage::Credit => self.on_credit(&answer, class),
            Stage::Paid => self.on_paid(&answer, class),
            Stage::Verification => self.on_verification(class),
            Stage::Finished => {}
        }
    }

    fn read_headers(&mut self, a: &Answer) {
        if let Some(org) = a.header("openai-organization").and_then(clean_label) {
            self.org_header = Some(org);
        }
        if let Some(p) = a.header("openai-project").and_then(clean_label) {
            self.project = Some(p);
        }
    }

    /// Handles the answers whose meaning is the same for every probe. Returns false when the
    /// stage must decide itself.
    fn settle_common(&mut self, class: &Class) -> bool {
        let finding = match class {
            Class::Html => Finding::Html,
            Class::InvalidKey => {
                self.steps.key = StepState::Pending;
                Finding::InvalidKey
            }
            Class::NoOrganization => {
                self.steps.account = StepState::Pending;
                Finding::NoOrganization
            }
            Class::AccountDeactivated => {
                self.steps.account = StepState::Pending;
                Finding::AccountDeactivated
            }
            Class::RegionBlocked => Finding::RegionBlocked,
            Class::Billing(code) => {
                self.mark_authenticated();
                self.steps.billing = StepState::Pending;
                Finding::NoCredit(*code)
            }
            Class::AccessTerminated => {
                self.steps.account = StepState::Pending;
                Finding::AccessTerminated
            }
            Class::RateLimited => Finding::RateLimited,
            Class::ServerError | Class::Unfinished => Finding::ServerError,
            _ => return false,
        };
        self.finish(finding);
        true
    }

    fn mark_authenticated(&mut self) {
        self.steps.account = StepState::Done;
        self.steps.key = StepState::Done;
    }

    fn restricted(&mut self) {
        self.steps.account = StepState::Done;
        self.steps.key = StepState::Pending;
        self.finish(Finding::Restricted);
    }

    fn on_models(&mut self, answer: &Answer, class: Class) {
        if self.settle_common(&class) {
            return;
        }
        match class {
            Class::Success => match parse_model_ids(&answer.body) {
                Some(ids) => {
                    self.mark_authenticated();
                    self.chat_model = pick_chat_model(&ids);
                    self.stage = Stage::Me;
                }
                None => self.finish(Finding::Unexpected { offer_paid: false }),
            },
            Class::MissingScopes(scopes) => {
                let only_listing =
                    !scopes.is_empty() && scopes.iter().all(|s| s.contains("model.read"));
                if only_listing {
                    // A real key that may not list models; what AAAI needs is tested next.
                    self.mark_authenticated();
                    self.notes.push(
                        "This key may not list models (a restricted key). That is fine as long \
                         as it may use them, which the next test checks."
                            .to_owned(),
                    );
                    self.stage = Stage::Me;
                } else {
                    self.restricted();
                }
            }
            _ => self.finish(Finding::Unexpected { offer_paid: false }),
        }
    }

    fn on_me(&mut self, answer: &Answer, class: Class) {
        if class == Class::Success
            && let Some(orgs) = parse_orgs(&answer.body)
        {
            self.orgs = orgs;
        }
        // Anything but a readable 200 leaves the organization unknown: never "invalid".
        self.stage = Stage::Credit;
    }

    fn billing_done(&mut self, answer: &Answer) {
        self.mark_authenticated();
        self.steps.billing = StepState::Done;
        if let Some(t) = guess_tier(answer) {
            self.tier = Some(t);
        }
        if self.options.verification {
            self.stage = Stage::Verification;
        } else {
            self.finish(Finding::Ready);
        }
    }

    fn on_credit(&mut self, answer: &Answer, class: Class) {
        if self.settle_common(&class) {
            return;
        }
        match class {
            // 400: the request was read and refused as invalid, after the credit check.
            // 200: it was even served. Either way the account can pay.
            Class::InvalidRequest | Class::Success => self.billing_done(answer),
            Class::MissingScopes(_) => self.restricted(),
            _ => {
                if self.options.paid_probe_consent {
                    self.stage = Stage::Paid;
                } else {
                    self.finish(Finding::Unexpected { offer_paid: true });
                }
            }
        }
    }

    fn on_paid(&mut self, answer: &Answer, class: Class) {
        if self.settle_common(&class) {
            return;
        }
        match class {
            Class::Success => self.billing_done(answer),
            Class::MissingScopes(_) => self.restricted(),
            _ => self.finish(Finding::Unexpected { offer_paid: false }),
        }
    }

    fn on_verification(&mut self, class: Class) {
        match class {
            Class::Success => {
                self.steps.verification = StepState::NotNeeded;
                self.finish(Finding::Ready);
            }
            Class::VerificationRequired => {
                self.steps.verification = StepState::Pending;
                self.finish(Finding::VerificationRequired);
            }
            other => {
                if !self.settle_common(&other) {
                    self.notes.push(
                        "Whether your organization needs verification could not be told: the \
                         test model was not available to this key."
                            .to_owned(),
                    );
                    self.finish(Finding::Ready);
                }
            }
        }
    }

    /// The organization the key's requests are billed to, when it can be told.
    fn key_org(&self) -> Option<(Organization, Option<bool>)> {
        let entry = if let Some(slug) = &self.org_header {
            match self.orgs.iter().find(|o| &o.name == slug) {
                Some(o) => Some(o),
                None => {
                    let org = Organization {
                        name: slug.clone(),
                        title: None,
                    };
                    return Some((org, None));
                }
            }
        } else if let Some(id) = &self.options.org_id {
            self.orgs.iter().find(|o| &o.id == id)
        } else if self.orgs.len() == 1 {
            self.orgs.first()
        } else {
            None
        };
        entry.map(|o| {
            let org = Organization {
                name: o.name.clone(),
                title: o.title.clone(),
            };
            (org, Some(o.is_default))
        })
    }

    fn orgs_warning(&self, key_org: Option<&(Organization, Option<bool>)>) -> Option<String> {
        if self.orgs.len() < 2 {
            return None;
        }
        let title = |o: &OrgEntry| format!("“{}”", o.title.as_deref().unwrap_or(&o.name));
        match key_org {
            Some((org, Some(false))) => {
                let this = format!("“{}”", org.title.as_deref().unwrap_or(&org.name));
                let default = self
                    .orgs
                    .iter()
                    .find(|o| o.is_default)
                    .map(title)
                    .unwrap_or_else(|| "another one".to_owned());
                Some(format!(
                    "You belong to {} organizations. This key belongs to {this}, not to your \
                     default organization, {default}. Credit must be added to {this} itself: \
                     paying for a different organization is the commonest cause of “I added \
                     credit but still get quota errors”.",
                    self.orgs.len(),
                ))
            }
            None if matches!(self.finding, Some(Finding::NoCredit(_))) => Some(format!(
                "You belong to {} organizations. Make sure the credit was added to the \
                     organization this key belongs to: paying for a different organization is \
                     the commonest cause of “I added credit but still get quota errors”.",
                self.orgs.len()
            )),
            _ => None,
        }
    }

    /// The report as things stand (a check cut short reports what it knew).
    pub fn report(&self) -> CheckReport {
        let key_org = self.key_org();
        let other_orgs_warning = self.orgs_warning(key_org.as_ref());
        let org_name = key_org
            .as_ref()
            .map(|(o, _)| o.title.clone().unwrap_or_else(|| o.name.clone()));
        let w = wording(self.finding, self.options.timeout_secs, org_name.as_deref());
        let mut notes = self.notes.clone();
        if self.tier.is_some() {
            notes.push(
                "The usage tier is a guess from the rate limits OpenAI reported; OpenAI changes \
                 those limits from time to time."
                    .to_owned(),
            );
        }
        CheckReport {
            verdict: w.verdict,
            steps: self.steps,
            organization: key_org.map(|(o, _)| o),
            project: self.project.clone(),
            other_orgs_warning,
            tier: self.tier.clone(),
            message: w.message,
            next_step: w.next_step,
            fix_url: w.fix_url,
            trouble: w.trouble,
            offer_paid_probe: matches!(
                self.finding,
                Some(Finding::Unexpected { offer_paid: true })
            ),
            key: self.options.key.clone(),
            notes,
            features: provisional_features(w.verdict, self.steps),
        }
    }
}

/// The features as far as this check tells them. Provisional (issue 9 replaces it): articles
/// follow the verdict; images are proven only by the verification probe.
fn provisional_features(verdict: Verdict, steps: Steps) -> Features {
    let articles = match verdict {
        Verdict::Ready => FeatureStatus {
            state: FeatureState::Ready,
            line: "ready".to_owned(),
            fix_url: None,
        },
        v if v.exit_code() == 2 => FeatureStatus {
            state: FeatureState::Unknown,
            line: "not known yet: the check could not finish".to_owned(),
            fix_url: None,
        },
        v => FeatureStatus {
            state: FeatureState::Blocked(v),
            line: "not working yet: see what the check found".to_owned(),
            fix_url: None,
        },
    };
    let images = match steps.verification {
        StepState::Pending => FeatureStatus {
            state: FeatureState::Blocked(Verdict::VerificationRequired),
            line: "your organization must be verified".to_owned(),
            fix_url: Some(ORG_GENERAL_URL),
        },
        _ => FeatureStatus {
            state: FeatureState::Unknown,
            line: "not checked yet".to_owned(),
            fix_url: None,
        },
    };
    Features { articles, images }
}

struct Wording {
    verdict: Verdict,
    message: String,
    next_step: String,
    fix_url: Option<&'static str>,
    trouble: Option<Trouble>,
}

fn say(
    verdict: Verdict,
    message: &str,
    next_step: &str,
    fix_url: Option<&'static str>,
    trouble: Option<Trouble>,
) -> Wording {
    Wording {
        verdict,
        message: message.to_owned(),
        next_step: next_step.to_owned(),
        fix_url,
        trouble,
    }
}

/// Our own words for each ending; server messages are never copied.
fn wording(finding: Option<Finding>, timeout_secs: u64, org: Option<&str>) -> Wording {
    use Verdict as V;
    let Some(finding) = finding else {
        return say(
            V::UnexpectedResponse,
            "The check did not finish, so it cannot say yet whether your account is ready.",
            "Run the check again.",
            None,
            None,
        );
    };
    match finding {
        Finding::Ready => say(
            V::Ready,
            "Your key works and your account has credit.",
            "You are all set: paste the key into AAAI's settings.",
            None,
            None,
        ),
        Finding::AdminKey => say(
            V::AdminKey,
            "This is an organization admin key. It manages your organization, but it cannot be \
             used to write articles in AAAI.",
            "On the API keys page, create a normal secret key (not an admin key) and use that.",
            Some(API_KEYS_URL),
            Some(Trouble::NoCreateButton),
        ),
        Finding::InvalidKey => say(
            V::InvalidKey,
            "OpenAI does not accept this key. It may have been cut short or mistyped when \
             copying, or it was revoked or deleted.",
            "On the API keys page, create a new secret key and copy it in one piece with the \
             Copy button, then check again.",
            Some(API_KEYS_URL),
            Some(Trouble::NoCreateButton),
        ),
        Finding::NoOrganization => say(
            V::NoOrganization,
            "Your OpenAI account is not part of any organization yet, so OpenAI does not accept \
             its keys.",
            "Sign in at platform.openai.com and finish setting up your account (this creates an \
             organization), then create a new key there.",
            Some(ORG_GENERAL_URL),
            None,
        ),
        Finding::AccountDeactivated => say(
            V::AccountDeactivated,
            "The OpenAI account this key belongs to has been deactivated.",
            "Only OpenAI can reactivate it: contact OpenAI support through their help centre. A \
             new key will not help.",
            Some(HELP_URL),
            None,
        ),
        Finding::Restricted => say(
            V::RestrictedKey,
            "This key is a restricted key and lacks a permission AAAI needs: \"Model \
             capabilities\" must be set to \"Write\" (the model.request permission).",
            "On the API keys page, edit this key's permissions and set \"Model capabilities\" to \
             \"Write\", or create a new key with \"All\" permissions. Then check again.",
            Some(API_KEYS_URL),
            None,
        ),
        Finding::RegionBlocked => say(
            V::RegionBlocked,
            "OpenAI does not offer its API in the country, region or territory your connection \
             comes from.",
            "A new key or more credit will not change this. OpenAI's list of supported countries \
             shows where the API is available.",
            Some(SUPPORTED_COUNTRIES_URL),
            None,
        ),
        Finding::NoCredit(code) => no_credit(code, org),
        Finding::AccessTerminated => say(
            V::NoCredit,
            "OpenAI has ended this account's access to the API because of a policy violation.",
            "Only OpenAI can review this: contact OpenAI support through their help centre. \
             Adding credit or a new key will not help.",
            Some(HELP_URL),
            None,
        ),
        Finding::VerificationRequired => say(
            V::VerificationRequired,
            "Your key works, but your organization must be verified before it can use some \
             newer models (such as o3).",
            "Open your organization settings and click \"Verify Organization\", then follow the \
             steps. It can take up to 15 minutes to take effect; if it still fails after that, \
             create a new key.",
            Some(ORG_GENERAL_URL),
            Some(Trouble::Verification),
        ),
        Finding::RateLimited => say(
            V::RateLimited,
            "OpenAI is limiting how fast this key may send requests right now, so the check \
             could not finish.",
            "Wait a minute and check again. If it keeps happening, another program may be using \
             the same key.",
            None,
            None,
        ),
        Finding::ServerError => say(
            V::ServerError,
            "OpenAI's servers had a problem or were too busy, so the check could not finish. \
             As far as we can tell, nothing is wrong on your side.",
            "Try again in a few minutes. OpenAI's status page shows ongoing problems.",
            Some(STATUS_URL),
            None,
        ),
        Finding::Network(e) => network(e, timeout_secs),
        Finding::Html => say(
            V::UnexpectedResponse,
            "A web page answered instead of OpenAI. This usually means a Wi-Fi sign-in page \
             (a captive portal) or a company firewall is catching the connection.",
            "Open any web page in your browser to finish a Wi-Fi sign-in, or ask your network \
             administrator to allow api.openai.com, then check again.",
            None,
            None,
        ),
        Finding::Unexpected { offer_paid: true } => say(
            V::UnexpectedResponse,
            "Your key works, but OpenAI's answer about credit was not one this app knows, so it \
             cannot say for sure whether your account can pay for requests.",
            "A one-token test request can settle it. It costs a tiny fraction of a cent and runs \
             only if you agree.",
            None,
            None,
        ),
        Finding::Unexpected { offer_paid: false } => say(
            V::UnexpectedResponse,
            "OpenAI gave an answer this app does not know how to read, so it cannot say for sure \
             whether your account is ready.",
            "Try again later. If it keeps happening, send the text report to support.",
            None,
            None,
        ),
    }
}

fn no_credit(code: BillingCode, org: Option<&str>) -> Wording {
    let message = match code {
        BillingCode::OrganizationSpendLimit => {
            "Your key works, but your organization has reached the spend limit it set."
        }
        BillingCode::ProjectSpendLimit => {
            "Your key works, but its project has reached the spend limit set for it."
        }
        BillingCode::OrganizationUsageLimit => {
            "Your key works, but your organization has reached its usage limit."
        }
        BillingCode::BillingNotActive => {
            "Your key works, but billing is not active on your OpenAI account."
        }
        BillingCode::InsufficientQuota | BillingCode::CreditBalanceExhausted => {
            "Your key works, but your OpenAI account has no credit left to pay for requests."
        }
    };
    let org_part = match org {
        Some(o) => format!("the organization this key belongs to (“{o}”)"),
        None => "the organization this key belongs to".to_owned(),
    };
    let limit_part = match code {
        BillingCode::OrganizationSpendLimit
        | BillingCode::ProjectSpendLimit
        | BillingCode::OrganizationUsageLimit => {
            "Raise the limit in your organization's Limits settings, or add credit. "
        }
        _ => "",
    };
    let next_step = format!(
        "{limit_part}Add credit on the Billing page. New accounts get no free credit, and a \
         ChatGPT Plus subscription does not pay for the API. After paying, the credit can take \
         a few minutes to show up. Make sure you pay for {org_part}."
    );
    Wording {
        verdict: Verdict::NoCredit,
        message: message.to_owned(),
        next_step,
        fix_url: Some(BILLING_URL),
        trouble: Some(Trouble::Quota),
    }
}

fn network(e: TransportError, timeout_secs: u64) -> Wording {
    let check = "Check your internet connection and try again.";
    let (message, next) = match e {
        TransportError::Timeout => (
            format!("Could not reach OpenAI within {timeout_secs} seconds."),
            format!(
                "{check} If you are on a work, school or hotel network, a firewall may be \
                 blocking api.openai.com."
            ),
        ),
        TransportError::Dns => (
            "Could not reach OpenAI: the address of its servers could not be looked up. This \
             computer may be offline, or its name lookup (DNS) is not working."
                .to_owned(),
            check.to_owned(),
        ),
        TransportError::Connect => (
            "Could not reach OpenAI: the connection could not be made. This computer may be \
             offline."
                .to_owned(),
            check.to_owned(),
        ),
        TransportError::Tls => (
            "Could not reach OpenAI securely: the secure connection could not be set up. \
             Something on this network (a firewall, antivirus or filtering software) may be \
             getting in the way, or this computer's clock may be wrong."
                .to_owned(),
            "Check the computer's date and time, then try another network or ask your network \
             administrator."
                .to_owned(),
        ),
        TransportError::Proxy => (
            "Could not reach OpenAI: the proxy server set on this computer did not let the \
             connection through."
                .to_owned(),
            "Check the proxy settings (HTTPS_PROXY), or ask your network administrator.".to_owned(),
        ),
        TransportError::Other => (
            "Could not reach OpenAI: the connection failed unexpectedly.".to_owned(),
            check.to_owned(),
        ),
    };
    Wording {
        verdict: Verdict::NetworkError,
        message,
        next_step: next,
        fix_url: None,
        trouble: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    fn err_body(message: &str, kind: &str, code: Option<&str>, param: Option<&str>) -> String {
        json!({"error": {"message": message, "type": kind, "param": param, "code": code}})
            .to_string()
    }

    fn models_ok() -> Answer {
        answer(
            200,
            r#"{"object":"list","data":[{"id":"gpt-4o-mini"},{"id":"o3"}]}"#,
        )
    }

    fn run(check: &mut ReadinessCheck, answers: Vec<Result<Answer, TransportError>>) {
        for a in answers {
            let p = check.next_probe().expect("a probe");
            check.feed(p, a);
        }
    }

    #[test]
    fn classify_decides_on_code_first() {
        let a = answer(
            401,
            &err_body(
                "Incorrect API key provided: sk-abcd****wxyz.",
                "invalid_request_error",
                Some("invalid_api_key"),
                None,
            ),
        );
        assert_eq!(classify(&a), Class::InvalidKey);
        let a = answer(
            429,
            &err_body("x", "insufficient_quota", Some("insufficient_quota"), None),
        );
        assert_eq!(classify(&a), Class::Billing(BillingCode::InsufficientQuota));
        let a = answer(
            429,
            &err_body("x", "x", Some("credit_balance_exhausted"), None),
        );
        assert_eq!(
            classify(&a),
            Class::Billing(BillingCode::CreditBalanceExhausted)
        );
        let a = answer(
            429,
            &err_body(
                "Rate limit reached",
                "requests",
                Some("rate_limit_exceeded"),
                None,
            ),
        );
        assert_eq!(classify(&a), Class::RateLimited);
        let a = answer(
            403,
            &err_body(
                "Country, region, or territory not supported",
                "request_forbidden",
                Some("unsupported_country_region_territory"),
                None,
            ),
        );
        assert_eq!(classify(&a), Class::RegionBlocked);
        let a = answer(
            400,
            &err_body(
                "Your organization must be verified to stream this model.",
                "invalid_request_error",
                Some("unsupported_value"),
                Some("stream"),
            ),
        );
        assert_eq!(classify(&a), Class::VerificationRequired);
        let a = answer(
            403,
            &err_body(
                "You have insufficient permissions for this operation. Missing scopes: model.request.",
                "invalid_request_error",
                None,
                None,
            ),
        );
        assert_eq!(
            classify(&a),
            Class::MissingScopes(vec!["model.request".into()])
        );
        let a = answer(
            400,
            &err_body(
                "bad",
                "invalid_request_error",
                Some("integer_below_min_value"),
                None,
            ),
        );
        assert_eq!(classify(&a), Class::InvalidRequest);
        assert_eq!(classify(&answer(503, "<html>")), Class::ServerError);
        assert_eq!(classify(&answer(200, "<!doctype html><html>")), Class::Html);
        assert_eq!(classify(&answer(418, "{}")), Class::Unexpected);
    }

    #[test]
    fn html_by_content_type() {
        let a = Answer {
            status: 200,
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body: "hello".into(),
        };
        assert!(a.is_html());
    }

    #[test]
    fn ready_path_and_order() {
        let mut c = ReadinessCheck::new(CheckOptions::default());
        assert_eq!(c.next_probe(), Some(Probe::Models));
        c.feed(Probe::Models, Ok(models_ok()));
        assert_eq!(c.next_probe(), Some(Probe::Me));
        c.feed(Probe::Me, Ok(answer(404, "{}")));
        assert_eq!(
            c.next_probe(),
            Some(Probe::CreditProbe {
                model: "gpt-4o-mini".into()
            })
        );
        let mut credit = answer(
            400,
            &err_body(
                "max_tokens must be at least 1",
                "invalid_request_error",
                None,
                None,
            ),
        );
        credit
            .headers
            .push(("x-ratelimit-limit-tokens".into(), "2000000".into()));
        c.feed(
            Probe::CreditProbe {
                model: "gpt-4o-mini".into(),
            },
            Ok(credit),
        );
        assert_eq!(c.next_probe(), None);
        let r = c.report();
        assert_eq!(r.verdict, Verdict::Ready);
        assert_eq!(r.steps.account, StepState::Done);
        assert_eq!(r.steps.key, StepState::Done);
        assert_eq!(r.steps.billing, StepState::Done);
        assert_eq!(r.steps.verification, StepState::Unknown);
        assert_eq!(r.tier.as_deref(), Some("Tier 2"));
        assert!(r.organization.is_none());
    }

    #[test]
    fn invalid_key_stops_early_and_never_echoes_the_server_message() {
        let mut c = ReadinessCheck::new(CheckOptions::default());
        c.feed(
            Probe::Models,
            Ok(answer(
                401,
                &err_body(
                    "Incorrect API key provided: sk-abcd****wxyz. You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    Some("invalid_api_key"),
                    None,
                ),
            )),
        );
        assert_eq!(c.next_probe(), None);
        let r = c.report();
        assert_eq!(r.verdict, Verdict::InvalidKey);
        assert_eq!(r.steps.key, StepState::Pending);
        assert_eq!(r.fix_url, Some(API_KEYS_URL));
        assert!(!r.message.contains("****"));
        assert!(!r.next_step.contains("****"));
    }

    #[test]
    fn me_failure_is_never_invalid() {
        let mut c = ReadinessCheck::new(CheckOptions::default());
        c.feed(Probe::Models, Ok(models_ok()));
        c.feed(
            Probe::Me,
            Ok(answer(
                401,
                &err_body("x", "invalid_request_error", Some("invalid_api_key"), None),
            )),
        );
        assert!(matches!(c.next_probe(), Some(Probe::CreditProbe { .. })));
        let mut c2 = ReadinessCheck::new(CheckOptions::default());
        c2.feed(Probe::Models, Ok(models_ok()));
        c2.feed(Probe::Me, Err(TransportError::Timeout));
        assert!(matches!(c2.next_probe(), Some(Probe::CreditProbe { .. })));
    }

    #[test]
    fn no_credit_codes() {
        for code in [
            "insufficient_quota",
            "credit_balance_exhausted",
            "organization_spend_limit_exceeded",
            "project_spend_limit_exceeded",
            "organization_usage_limit_exceeded",
            "billing_not_active",
        ] {
            let mut c = ReadinessCheck::new(CheckOptions::default());
            run(
                &mut c,
                vec![
                    Ok(models_ok()),
                    Ok(answer(404, "")),
                    Ok(answer(
                        429,
                        &err_body("You exceeded", code, Some(code), None),
                    )),
                ],
            );
            let r = c.report();
            assert_eq!(r.verdict, Verdict::NoCredit, "{code}");
            assert_eq!(r.steps.billing, StepState::Pending);
            assert_eq!(r.fix_url, Some(BILLING_URL));
            assert_eq!(r.trouble, Some(Trouble::Quota));
            assert!(r.next_step.contains("ChatGPT Plus"));
            assert!(r.next_step.contains("no free credit"));
        }
    }

    #[test]
    fn access_terminated_has_its_own_message() {
        let mut c = ReadinessCheck::new(CheckOptions::default());
        run(
            &mut c,
            vec![
                Ok(models_ok()),
                Ok(answer(404, "")),
                Ok(answer(
                    429,
                    &err_body("x", "access_terminated", Some("access_terminated"), None),
                )),
            ],
        );
        let r = c.report();
        assert_eq!(r.verdict, Verdict::NoCredit);
        assert!(r.message.contains("policy"));
    }

    #[test]
    fn unexpected_credit_answer_offers_paid_probe_or_runs_it_with_consent() {
        let odd = || {
            Ok(answer(
                404,
                &err_body("x", "invalid_request_error", Some("model_not_found"), None),
            ))
        };
        let mut c = ReadinessCheck::new(CheckOptions::default());
        run(&mut c, vec![Ok(models_ok()), Ok(answer(404, "")), odd()]);
        let r = c.report();
        assert_eq!(r.verdict, Verdict::UnexpectedResponse);
        assert!(r.offer_paid_probe);
        assert!(r.next_step.contains("fraction of a cent"));

        let opts = CheckOptions {
            paid_probe_consent: true,
            ..CheckOptions::default()
        };
        let mut c = ReadinessCheck::new(opts);
        run(&mut c, vec![Ok(models_ok()), Ok(answer(404, "")), odd()]);
        assert_eq!(
            c.next_probe(),
            Some(Probe::PaidOneToken {
                model: "gpt-4o-mini".into()
            })
        );
        c.feed(
            Probe::PaidOneToken {
                model: "gpt-4o-mini".into(),
            },
            Ok(answer(200, r#"{"choices":[]}"#)),
        );
        let r = c.report();
        assert_eq!(r.verdict, Verdict::Ready);
        assert!(!r.offer_paid_probe);
    }

    #[test]
    fn verification_required_and_not_needed() {
        let opts = CheckOptions {
            verification: true,
            ..CheckOptions::default()
        };
        let credit_ok = || {
            Ok(answer(
                400,
                &err_body("x", "invalid_request_error", None, None),
            ))
        };
        let mut c = ReadinessCheck::new(opts.clone());
        run(
            &mut c,
            vec![Ok(models_ok()), Ok(answer(404, "")), credit_ok()],
        );
        assert_eq!(
            c.next_probe(),
            Some(Probe::Verification { model: "o3".into() })
        );
        c.feed(
            Probe::Verification { model: "o3".into() },
            Ok(answer(
                400,
                &err_body(
                    "Your organization must be verified to stream this model.",
                    "invalid_request_error",
                    Some("unsupported_value"),
                    Some("stream"),
                ),
            )),
        );
        let r = c.report();
        assert_eq!(r.verdict, Verdict::VerificationRequired);
        assert_eq!(r.steps.verification, StepState::Pending);
        assert_eq!(r.steps.billing, StepState::Done);
        assert_eq!(r.fix_url, Some(ORG_GENERAL_URL));
        assert!(r.next_step.contains("15 minutes"));

        let mut c = ReadinessCheck::new(opts);
        run(
            &mut c,
            vec![
                Ok(models_ok()),
                Ok(answer(404, "")),
                credit_ok(),
                Ok(answer(200, "data: {}\n\n")),
            ],
        );
        let r = c.report();
        assert_eq!(r.verdict, Verdict::Ready);
        assert_eq!(r.steps.verification, StepState::NotNeeded);
    }

    #[test]
    fn restricted_key_on_models_or_credit() {
        let scopes = |s: &str| {
            Ok(answer(
                401,
                &err_body(
                    &format!(
                        "You have insufficient permissions for this operation. Missing scopes: {s}."
                    ),
                    "invalid_request_error",
                    None,
                    None,
                ),
            ))
        };
        let mut c = ReadinessCheck::new(CheckOptions::default());
        run(&mut c, vec![scopes("model.request")]);
        let r = c.report();
        assert_eq!(r.verdict, Verdict::RestrictedKey);
        assert_eq!(r.steps.key, StepState::Pending);
        assert!(r.message.contains("Model capabilities"));
        assert!(r.next_step.contains("\"All\""));

        // Missing only the listing scope: go on; the credit probe finds model.request missing.
        let mut c = ReadinessCheck::new(CheckOptions::default());
        run(
            &mut c,
            vec![
                scopes("api.model.read"),
                Ok(answer(404, "")),
                scopes("model.request"),
            ],
        );
        assert_eq!(c.report().verdict, Verdict::RestrictedKey);
    }

    #[test]
    fn org_warning_when_key_org_not_default() {
        let me = json!({"object": "user", "orgs": {"data": [
            {"id": "org-a", "name": "user-abc", "title": "Personal", "is_default": true},
            {"id": "org-b", "name": "acme", "title": "Acme", "is_default": false},
        ]}})
        .to_string();
        let mut credit = answer(400, &err_body("x", "invalid_request_error", None, None));
        credit
            .headers
            .push(("openai-organization".into(), "acme".into()));
        let mut c = ReadinessCheck::new(CheckOptions::default());
        run(
            &mut c,
            vec![Ok(models_ok()), Ok(answer(200, &me)), Ok(credit)],
        );
        let r = c.report();
        assert_eq!(
            r.organization,
            Some(Organization {
                name: "acme".into(),
                title: Some("Acme".into())
            })
        );
        let w = r.other_orgs_warning.expect("warning");
        assert!(w.contains("not to your default"));
        assert!(w.contains("Personal"));
    }

    #[test]
    fn transport_errors_have_distinct_messages() {
        let mut seen = Vec::new();
        for e in [
            TransportError::Timeout,
            TransportError::Dns,
            TransportError::Connect,
            TransportError::Tls,
            TransportError::Proxy,
            TransportError::Other,
        ] {
            let mut c = ReadinessCheck::new(CheckOptions {
                timeout_secs: 7,
                ..CheckOptions::default()
            });
            c.feed(Probe::Models, Err(e));
            let r = c.report();
            assert_eq!(r.verdict, Verdict::NetworkError);
            assert!(r.message.starts_with("Could not reach OpenAI"));
            assert!(!seen.contains(&r.message));
            seen.push(r.message);
        }
        assert!(seen[0].contains("within 7 seconds"));
    }

    #[test]
    fn admin_key_needs_no_network() {
        let c = ReadinessCheck::new(CheckOptions {
            key: Some((KeyKind::Admin, "sk-admin-…abcd".into())),
            ..CheckOptions::default()
        });
        assert_eq!(c.next_probe(), None);
        assert_eq!(c.report().verdict, Verdict::AdminKey);
    }

    #[test]
    fn give_up_reports_timeout() {
        let mut c = ReadinessCheck::new(CheckOptions {
            timeout_secs: 3,
            ..CheckOptions::default()
        });
        c.feed(Probe::Models, Ok(models_ok()));
        c.give_up(TransportError::Timeout);
        let r = c.report();
        assert_eq!(r.verdict, Verdict::NetworkError);
        assert!(r.message.contains("within 3 seconds"));
        assert_eq!(r.steps.key, StepState::Done);
    }

    #[test]
    fn retry_policy() {
        let none = 0.0;
        let ok = |status: u16, body: &str| Ok::<_, TransportError>(answer(status, body));
        assert_eq!(
            retry_after(0, &ok(503, ""), none),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            retry_after(1, &ok(500, ""), none),
            Some(Duration::from_secs(1))
        );
        assert_eq!(retry_after(2, &ok(500, ""), none), None);
        assert_eq!(
            retry_after(0, &ok(408, ""), none),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            retry_after(0, &ok(409, ""), none),
            Some(Duration::from_millis(500))
        );
        assert_eq!(retry_after(0, &ok(200, ""), none), None);
        assert_eq!(retry_after(0, &ok(401, ""), none), None);
        // Jitter shortens by at most a quarter.
        assert_eq!(
            retry_after(0, &ok(503, ""), 1.0),
            Some(Duration::from_millis(375))
        );
        // Billing 429s: never.
        for code in [
            "insufficient_quota",
            "credit_balance_exhausted",
            "project_spend_limit_exceeded",
        ] {
            let a = ok(429, &err_body("x", code, Some(code), None));
            assert_eq!(retry_after(0, &a, none), None, "{code}");
        }
        // Rate limits honour retry-after-ms, then retry-after.
        let mut rl = answer(
            429,
            &err_body("Rate limit", "requests", Some("rate_limit_exceeded"), None),
        );
        rl.headers.push(("retry-after-ms".into(), "20".into()));
        assert_eq!(
            retry_after(0, &Ok(rl.clone()), none),
            Some(Duration::from_millis(20))
        );
        rl.headers.retain(|(n, _)| n != "retry-after-ms");
        rl.headers.push(("retry-after".into(), "2".into()));
        assert_eq!(retry_after(1, &Ok(rl), none), Some(Duration::from_secs(2)));
        // Transport errors.
        assert!(retry_after(0, &Err(TransportError::Timeout), none).is_some());
        assert!(retry_after(0, &Err(TransportError::Connect), none).is_some());
        assert_eq!(retry_after(0, &Err(TransportError::Tls), none), None);
        assert_eq!(retry_after(0, &Err(TransportError::Proxy), none), None);
        // Cap at 8 s (unreachable with 2 retries, but the formula holds).
        assert_eq!(
            retry_after(1, &Err(TransportError::Other), none),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn tier_guess_table() {
        let with = |name: &str, v: &str| Answer {
            status: 400,
            headers: vec![(name.into(), v.into())],
            body: String::new(),
        };
        assert_eq!(
            guess_tier(&with("x-ratelimit-limit-tokens", "200000")).as_deref(),
            Some("Tier 1")
        );
        assert_eq!(
            guess_tier(&with("x-ratelimit-limit-tokens", "150000000")).as_deref(),
            Some("Tier 5")
        );
        assert_eq!(
            guess_tier(&with("x-ratelimit-limit-requests", "500")).as_deref(),
            Some("Tier 1")
        );
        assert_eq!(
            guess_tier(&with("x-ratelimit-limit-requests", "5000")).as_deref(),
            Some("Tier 2")
        );
        assert_eq!(guess_tier(&with("x-ratelimit-limit-requests", "abc")), None);
        assert_eq!(guess_tier(&Answer::default()), None);
    }

    #[test]
    fn picks_cheapest_listed_model() {
        let listed = vec![
            "gpt-4o".to_string(),
            "gpt-4o-mini".into(),
            "gpt-4.1-nano".into(),
        ];
        assert_eq!(pick_chat_model(&listed), "gpt-4.1-nano");
        assert_eq!(pick_chat_model(&[]), FALLBACK_CHAT_MODEL);
    }

    #[test]
    fn probe_bodies() {
        let b = Probe::CreditProbe { model: "m".into() }
            .body()
            .expect("body");
        assert_eq!(b["max_tokens"], 0);
        assert_eq!(b["messages"][0]["content"], "");
        let v = Probe::Verification { model: "o3".into() }
            .body()
            .expect("body");
        assert_eq!(v["stream"], true);
        assert_eq!(v["max_completion_tokens"], 1);
        assert_eq!(Probe::Models.method(), "GET");
        assert_eq!(Probe::Me.path(), "/me");
    }
}
