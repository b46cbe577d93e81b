//! The requests the readiness check makes ([`Probe`]) and what comes back ([`Answer`], or a
//! [`TransportError`] when nothing did). Which ones cost money is decided here, in one place:
//! only [`Probe::PaidOneToken`] and [`Probe::TestImage`] can be billed, and the state machine
//! hands them out only with the user's consent.

use serde::Serialize;
use serde_json::{Value, json};

use crate::core::models::BudgetParam;

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
    pub(crate) fn is_html(&self) -> bool {
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
    /// The secure connection failed (certificate, interception, a server that does not speak
    /// TLS).
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
    /// `POST /chat/completions` on AAAI's text model with an empty message and a reply
    /// budget of 0 (`max_tokens` or, for reasoning models, `max_completion_tokens`): free;
    /// tells whether the account can pay for that model.
    CreditProbe {
        /// AAAI's text model.
        model: String,
        /// Which field holds the zero budget: the one the model takes.
        budget: BudgetParam,
    },
    /// A real one-token completion on AAAI's text model (a tiny fraction of a cent; only with
    /// consent, and only when the free credit probe could not tell).
    PaidOneToken {
        /// AAAI's text model.
        model: String,
    },
    /// `POST /images/generations` on AAAI's image model with a size no model makes: it cannot
    /// produce an image, so it is free. Only a 403 "must be verified" means something.
    ImageEvidence {
        /// AAAI's image model.
        model: String,
    },
    /// The smallest, cheapest real image AAAI's image model makes (about half a cent; only
    /// with consent). Proves that images work.
    TestImage {
        /// AAAI's image model.
        model: String,
        /// The smallest size, e.g. `1024x1024`.
        size: String,
        /// The cheapest quality, e.g. `low`.
        quality: String,
    },
}

/// The size asked for by [`Probe::ImageEvidence`]: no image model makes it, so no image can
/// come back and nothing is billed.
pub(crate) const IMPOSSIBLE_IMAGE_SIZE: &str = "1x1";

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
            Self::CreditProbe { .. } | Self::PaidOneToken { .. } => "/chat/completions",
            Self::ImageEvidence { .. } | Self::TestImage { .. } => "/images/generations",
        }
    }

    /// True for the probes that can be billed. The machine hands these out only with the
    /// user's consent, and no layer ever sends one twice: [`super::retry::retry_after`] never
    /// retries one, and the adapter sends them on a client with no retries and no reused
    /// connections.
    pub fn may_cost(&self) -> bool {
        matches!(self, Self::PaidOneToken { .. } | Self::TestImage { .. })
    }

    /// The model this probe asks for, if any.
    pub fn model(&self) -> Option<&str> {
        match self {
            Self::Models | Self::Me => None,
            Self::CreditProbe { model, .. }
            | Self::PaidOneToken { model }
            | Self::ImageEvidence { model }
            | Self::TestImage { model, .. } => Some(model),
        }
    }

    /// The JSON body, for POST probes.
    pub fn body(&self) -> Option<Value> {
        match self {
            Self::Models | Self::Me => None,
            Self::CreditProbe { model, budget } => Some(json!({
                "model": model,
                "messages": [{"role": "user", "content": ""}],
                budget.as_str(): 0,
            })),
            Self::PaidOneToken { model } => Some(json!({
                "model": model,
                "messages": [{"role": "user", "content": "Hi"}],
                "max_completion_tokens": 1,
            })),
            Self::ImageEvidence { model } => Some(json!({
                "model": model,
                "prompt": "a small blue dot",
                "size": IMPOSSIBLE_IMAGE_SIZE,
                "n": 1,
            })),
            Self::TestImage {
                model,
                size,
                quality,
            } => Some(json!({
                "model": model,
                "prompt": "a small blue dot on a white background",
                "size": size,
                "quality": quality,
                "n": 1,
            })),
        }
    }
}
