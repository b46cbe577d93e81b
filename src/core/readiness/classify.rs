//! Reading one answer: which kind of answer it is ([`Class`]), decided on `error.code` first,
//! then `error.type`, then the message text, and only then on the HTTP status. Also the parts
//! of a successful answer the report uses (organizations, the usage tier). Server messages are
//! read here and never copied into our own text (the 401 message echoes part of the key).

use serde_json::Value;

use super::probe::{Answer, Probe};
use crate::core::leak;

/// Usage tiers guessed from rate-limit headers of a small chat model (gpt-4o-mini /
/// gpt-4.1-nano class). Highest first: `(tier, min tokens per minute, min requests per minute)`.
/// OpenAI changes these numbers over time, so the result is only ever called a guess.
pub(crate) const TIER_TABLE: [(&str, u64, u64); 6] = [
    ("Tier 5", 150_000_000, 30_000),
    ("Tier 4", 10_000_000, 10_000),
    ("Tier 3", 4_000_000, 5_000),
    ("Tier 2", 2_000_000, 5_000),
    ("Tier 1", 200_000, 500),
    ("Free", 0, 0),
];

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
    /// `billing_not_active`: a billing problem, but seen on accounts that had credit.
    BillingNotActive,
    /// `billing_hard_limit_reached` (seen on the images endpoint).
    HardLimitReached,
}

/// What one answer means, before the state machine decides what to do with it.
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
    /// A billing answer (never retried).
    Billing(BillingCode),
    /// `access_terminated`.
    AccessTerminated,
    /// `rate_limit_exceeded` (or a 429 with nothing else to go on).
    RateLimited,
    /// A 5xx or `server_is_overloaded`.
    ServerError,
    /// 408 or 409: the request did not finish.
    Unfinished,
    /// "Your organization must be verified …", for a model, a stream or reasoning summaries.
    VerificationRequired,
    /// A 403 "Project `proj_…` does not have access to model `x`": the key's project may not
    /// use the model (a project model allow-list). The only model answer that is about the
    /// project.
    ModelNotFound,
    /// The model is gone or unknown to this key: 404 `model_not_found`, "does not exist", or
    /// any `model_not_found` that is not the project's allow-list. Never the project's limits.
    ModelGone,
    /// A 400 to the free credit probe that is not the one credit proves (an unsupported
    /// parameter, an unknown model): proves nothing about credit. Set by the state machine,
    /// which knows what was asked.
    ProbeRefused(Refusal),
    /// Any other 400 `invalid_request_error` (what the free credit probe expects).
    InvalidRequest,
    /// A 2xx whose body is not what this request gets from OpenAI (no models in the list, no
    /// organization, no image …), or a redirect, which the API never sends.
    WrongShape(Shape),
    /// Anything else.
    Unexpected,
}

/// Why OpenAI refused the free credit probe as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// The model does not take a parameter the probe sent (`unsupported_parameter`).
    UnsupportedParameter,
    /// Another 400 the probe does not expect.
    Other,
}

/// What came back when an answer did not have the shape that proves anything, in plain words.
/// No server text is ever part of it; a redirect's host is cleaned like any label.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// An empty body.
    Empty,
    /// A body that is not JSON (plain text such as `OK`).
    NotJson,
    /// A model list with no models (or no list at all).
    NoModels,
    /// An account answer naming no organization.
    NoOrganization,
    /// A text answer with no reply in it.
    NoCompletion,
    /// An image answer with no image in it (neither `b64_json` nor `url`).
    NoImage,
    /// A redirect (3xx); the host it pointed to, when one could be read and shown.
    Redirect(Option<String>),
}

impl Shape {
    /// What came back, as a phrase ("an empty answer", "a redirect to proxy.example").
    pub fn words(&self) -> String {
        match self {
            Self::Empty => "an empty answer".to_owned(),
            Self::NotJson => "plain text instead of the API's JSON".to_owned(),
            Self::NoModels => "a model list with no models in it".to_owned(),
            Self::NoOrganization => "an account answer that names no organization".to_owned(),
            Self::NoCompletion => "a text answer with no reply in it".to_owned(),
            Self::NoImage => "an image answer with no image in it".to_owned(),
            Self::Redirect(Some(host)) => format!("a redirect to {host}"),
            Self::Redirect(None) => "a redirect".to_owned(),
        }
    }
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
        "billing_hard_limit_reached" => BillingCode::HardLimitReached,
        _ => return None,
    })
}

/// The scopes named after "Missing scopes:" in a message.
fn missing_scopes(message: &str) -> Option<Vec<String>> {
    let at = message.find("Missing scopes:")?;
    let rest = &message[at + "Missing scopes:".len()..];
    let rest = rest.split(['\n', '"']).next().unwrap_or("");
    let rest = rest.split(". ").next().unwrap_or("");
    Some(
        rest.split([',', ' '])
            .map(|s| s.trim().trim_end_matches('.'))
            .filter(|s| !s.is_empty())
            // Scope names look like `api.model.read`: anything else is not repeated.
            .filter(|s| {
                s.len() <= 40
                    && s.contains('.')
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            })
            .map(str::to_owned)
            .collect(),
    )
}

/// Reads one answer: code first, then type, then message, then status.
pub(crate) fn classify(answer: &Answer) -> Class {
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
    let verified = err.message.contains("must be verified");
    // 1. error.code
    match err.code.as_str() {
        "invalid_api_key" => return Class::InvalidKey,
        "no_organization" => return Class::NoOrganization,
        "account_deactivated" => return Class::AccountDeactivated,
        "unsupported_country_region_territory" => return Class::RegionBlocked,
        "access_terminated" => return Class::AccessTerminated,
        "rate_limit_exceeded" => return Class::RateLimited,
        "server_is_overloaded" => return Class::ServerError,
        "model_not_found" => return model_answer(status, &err.message),
        // Streamed gpt-5 (param `stream`) and reasoning summaries (`reasoning.summary`).
        "unsupported_value" if verified || err.param == "reasoning.summary" => {
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
        "access_terminated" => return Class::AccessTerminated,
        "requests" | "tokens" if status == 429 => return Class::RateLimited,
        "service_unavailable_error" | "server_error" => return Class::ServerError,
        _ => {}
    }
    // 3. message text
    let m = err.message.as_str();
    if let Some(scopes) = missing_scopes(m) {
        return Class::MissingScopes(scopes);
    }
    if verified {
        return Class::VerificationRequired;
    }
    if m.starts_with("Incorrect API key") {
        return Class::InvalidKey;
    }
    if m.contains("exceeded your current quota") {
        return Class::Billing(BillingCode::InsufficientQuota);
    }
    if m.contains("Billing hard limit has been reached") {
        return Class::Billing(BillingCode::HardLimitReached);
    }
    if m.contains("does not have access to model")
        || (m.contains("does not exist") && m.contains("model"))
    {
        return model_answer(status, m);
    }
    if m.contains("access was terminated") {
        return Class::AccessTerminated;
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

/// A model answer: only the 403 naming the project's access is about the project.
fn model_answer(status: u16, message: &str) -> Class {
    if status == 403 && message.contains("does not have access to model") {
        Class::ModelNotFound
    } else {
        Class::ModelGone
    }
}

/// What a 400 `invalid_request_error` to the zero-token credit probe means: `None` when it is
/// the expected refusal of the zero budget (`max_tokens` / `max_completion_tokens` below its
/// minimum, read after the credit check), else why it is not evidence.
pub(crate) fn credit_refusal(answer: &Answer) -> Option<Refusal> {
    let err = parse_error(&answer.body).unwrap_or_default();
    let unsupported = err.code == "unsupported_parameter"
        || err.code == "unsupported_value"
        || err.message.starts_with("Unsupported parameter");
    if unsupported {
        return Some(Refusal::UnsupportedParameter);
    }
    let budget = matches!(err.param.as_str(), "max_tokens" | "max_completion_tokens")
        || (err.param.is_empty() && err.message.contains("max_tokens"))
        || (err.param.is_empty() && err.message.contains("max_completion_tokens"));
    (!budget).then_some(Refusal::Other)
}

/// Reads one answer to `probe`: as [`classify`]; a 400 to the credit probe that is not the
/// expected refusal of its zero budget is [`Class::ProbeRefused`]; and a 2xx only counts as
/// [`Class::Success`] when its body has the shape that proves what the probe asks (a model
/// list with models, a `/me` with an organization, a completion, an image). A redirect is
/// never followed (the adapter does not) and never proves anything. `secret` keeps the key
/// out of a redirect's host.
pub(crate) fn classify_for(probe: &Probe, answer: &Answer, secret: Option<&str>) -> Class {
    if (300..=399).contains(&answer.status) {
        return Class::WrongShape(Shape::Redirect(location_host(answer, secret)));
    }
    let class = classify(answer);
    if matches!(probe, Probe::CreditProbe { .. })
        && class == Class::InvalidRequest
        && let Some(why) = credit_refusal(answer)
    {
        return Class::ProbeRefused(why);
    }
    if class != Class::Success {
        return class;
    }
    match wrong_shape(probe, &answer.body) {
        Some(shape) => Class::WrongShape(shape),
        None => Class::Success,
    }
}

/// What is wrong with a 2xx body for `probe`, or `None` when it proves what it should.
fn wrong_shape(probe: &Probe, body: &str) -> Option<Shape> {
    if body.trim().is_empty() {
        return Some(Shape::Empty);
    }
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return Some(Shape::NotJson);
    };
    let non_empty = |v: Option<&Value>| v.and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    match probe {
        Probe::Models => (!non_empty(v.get("data"))).then_some(Shape::NoModels),
        Probe::Me => {
            (!non_empty(v.get("orgs").and_then(|o| o.get("data")))).then_some(Shape::NoOrganization)
        }
        // A completion: its `choices` list (the reply itself is not needed).
        Probe::CreditProbe { .. } | Probe::PaidOneToken { .. } => {
            (!v.get("choices").is_some_and(Value::is_array)).then_some(Shape::NoCompletion)
        }
        Probe::TestImage { .. } => {
            let has_image = v
                .get("data")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .is_some_and(|img| {
                    ["b64_json", "url"].iter().any(|k| {
                        img.get(*k)
                            .and_then(Value::as_str)
                            .is_some_and(|s| !s.trim().is_empty())
                    })
                });
            (!has_image).then_some(Shape::NoImage)
        }
        // It cannot make an image, so a 2xx proves nothing either way.
        Probe::ImageEvidence { .. } => None,
    }
}

/// The host a redirect points to, when it is an absolute address whose host can be shown.
fn location_host(answer: &Answer, secret: Option<&str>) -> Option<String> {
    let location = answer.header("location")?.trim();
    let (_, rest) = location.split_once("://")?;
    let authority = rest.split(['/', '?', '#', '\\']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = match host_port.strip_prefix('[') {
        Some(v6) => format!("[{}]", v6.split(']').next()?),
        None => host_port.split(':').next()?.to_owned(),
    };
    let plain = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !plain || host.len() > 100 {
        return None;
    }
    clean_label(&host, secret)
}

/// Seconds the server asked to wait before trying again (`retry-after-ms`, then
/// `retry-after`), when it said so sensibly.
pub(crate) fn server_wait_secs(a: &Answer) -> Option<f64> {
    let ms = a
        .header("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|ms| ms / 1000.0);
    let secs = ms.or_else(|| {
        a.header("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok())
    })?;
    (secs.is_finite() && (0.0..=86_400.0).contains(&secs)).then_some(secs)
}

/// Guesses the usage tier from rate-limit headers, using [`TIER_TABLE`].
pub(crate) fn guess_tier(answer: &Answer) -> Option<String> {
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
pub struct OrgEntry {
    /// `org-…`.
    pub id: String,
    /// The slug.
    pub name: String,
    /// The display title.
    pub title: Option<String>,
    /// The user's default organization.
    pub is_default: bool,
}

/// A label from the server, cleaned for display: no control characters, none that show as
/// nothing or reorder text (bidi controls, zero-width and line separators, see
/// [`leak::is_invisible`]), short, and dropped entirely if it looks like a key or shares a
/// long run with `secret` (a middlebox echoing part of the key). Honest names containing "sk-"
/// ("Task-Force") are kept.
pub(crate) fn clean_label(s: &str, secret: Option<&str>) -> Option<String> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_control() && !leak::is_invisible(*c))
        .take(100)
        .collect();
    let s = s.trim();
    (!s.is_empty() && leak::is_safe(s, secret)).then(|| s.to_owned())
}

/// The organizations listed by `/me`, cleaned.
pub(crate) fn parse_orgs(body: &str, secret: Option<&str>) -> Option<Vec<OrgEntry>> {
    let v: Value = serde_json::from_str(body).ok()?;
    let data = v.get("orgs")?.get("data")?.as_array()?;
    Some(
        data.iter()
            .filter_map(|o| {
                let s = |k: &str| o.get(k).and_then(Value::as_str);
                Some(OrgEntry {
                    id: s("id").unwrap_or("").to_owned(),
                    name: clean_label(s("name")?, secret)?,
                    title: s("title").and_then(|t| clean_label(t, secret)),
                    is_default: o
                        .get("is_default")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                })
            })
            .collect(),
    )
}
