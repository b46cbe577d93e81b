//! The HTTP adapter: drives the pure [`ReadinessCheck`] over reqwest (rustls with the ring
//! provider), with retries from [`retry_after`] and one time bound for the whole check.
//!
//! The key travels only in the `Authorization: Bearer` header (marked sensitive); it is never
//! put in a URL, an error, a log line or a `Debug` output.

use std::net::IpAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Client, Method, Url};
use zeroize::Zeroizing;

use crate::core::key::ApiKey;
use crate::core::readiness::{
    Answer, CheckOptions, CheckReport, Probe, ReadinessCheck, TransportError, retry_after,
};

/// The API base URL used when `OPENAI_BASE_URL` is not set.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// The connect timeout of each request, as in the official SDKs.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Response bodies are read up to this size; the rest is ignored.
const MAX_BODY: usize = 256 * 1024;

/// Why a check could not even start. Never contains the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckError {
    /// The base URL could not be read as a URL.
    #[error("the API base URL \"{0}\" is not a valid URL")]
    BadUrl(String),
    /// Plain `http://` to a host that is not this computer.
    #[error(
        "the API base URL uses plain http:// to \"{0}\"; the key would travel unencrypted. \
         Use https://, or http:// only to this computer (localhost, 127.0.0.1, ::1)"
    )]
    InsecureUrl(String),
    /// A scheme other than http or https.
    #[error("the API base URL must start with https:// (found \"{0}:\")")]
    UnsupportedScheme(String),
    /// The key holds characters that cannot be sent in a header.
    #[error("the key contains characters that cannot be sent to OpenAI; copy it again")]
    KeyNotSendable,
    /// The HTTP client or the runtime could not be set up.
    #[error("could not set up the network client: {0}")]
    Setup(String),
}

/// Where and how to run the check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckConfig {
    /// The API base URL, ending in `/v1` (default [`DEFAULT_BASE_URL`]).
    pub base_url: String,
    /// Sent as `OpenAI-Organization` when set.
    pub org_id: Option<String>,
    /// Sent as `OpenAI-Project` when set.
    pub project_id: Option<String>,
    /// The whole check's time bound in seconds (default 30).
    pub timeout_secs: u64,
    /// Also run the verification probe.
    pub verification: bool,
    /// The user agreed to a one-token paid request if the free credit probe is inconclusive.
    pub paid_probe_consent: bool,
}

impl Default for CheckConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            org_id: None,
            project_id: None,
            timeout_secs: 30,
            verification: false,
            paid_probe_consent: false,
        }
    }
}

impl CheckConfig {
    /// Defaults plus `OPENAI_BASE_URL`, `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID`.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], reading variables through `lookup` (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            base_url: get("OPENAI_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
            org_id: get("OPENAI_ORG_ID"),
            project_id: get("OPENAI_PROJECT_ID"),
            ..Self::default()
        }
    }

    /// The parsed base URL, refusing plain `http://` unless the host is loopback.
    pub fn validated_base_url(&self) -> Result<Url, CheckError> {
        let raw = self.base_url.trim().trim_end_matches('/');
        let url = Url::parse(raw).map_err(|_| CheckError::BadUrl(raw.to_owned()))?;
        match url.scheme() {
            "https" => Ok(url),
            "http" => {
                let host = url.host_str().unwrap_or_default();
                let bare = host.trim_start_matches('[').trim_end_matches(']');
                let loopback = host.eq_ignore_ascii_case("localhost")
                    || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
                if loopback {
                    Ok(url)
                } else {
                    Err(CheckError::InsecureUrl(
                        url.host_str().unwrap_or_default().to_owned(),
                    ))
                }
            }
            other => Err(CheckError::UnsupportedScheme(other.to_owned())),
        }
    }

    fn options(&self, key: &ApiKey) -> CheckOptions {
        CheckOptions {
            verification: self.verification,
            paid_probe_consent: self.paid_probe_consent,
            timeout_secs: self.timeout_secs,
            org_id: self.org_id.clone(),
            ..CheckOptions::for_key(key)
        }
    }
}

/// Sorts a reqwest error into the few kinds the report explains.
pub fn classify_error(e: &reqwest::Error) -> TransportError {
    let mut chain = e.to_string().to_ascii_lowercase();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(" | ");
        chain.push_str(&s.to_string().to_ascii_lowercase());
        source = s.source();
    }
    if chain.contains("proxy") || chain.contains("tunnel") {
        TransportError::Proxy
    } else if e.is_timeout() {
        TransportError::Timeout
    } else if e.is_dns() || chain.contains("dns") || chain.contains("failed to lookup") {
        TransportError::Dns
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake")
    {
        TransportError::Tls
    } else if e.is_connect() {
        TransportError::Connect
    } else {
        TransportError::Other
    }
}

fn jitter() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    f64::from(nanos % 1000) / 1000.0
}

struct Driver<'a> {
    client: Client,
    base: Url,
    auth: HeaderValue,
    config: &'a CheckConfig,
    deadline: Instant,
}

impl Driver<'_> {
    fn url(&self, probe: &Probe) -> Result<Url, TransportError> {
        let joined = format!(
            "{}{}",
            self.base.as_str().trim_end_matches('/'),
            probe.path()
        );
        Url::parse(&joined).map_err(|_| TransportError::Other)
    }

    async fn send_once(&self, probe: &Probe) -> Result<Answer, TransportError> {
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(TransportError::Timeout);
        }
        let method = if probe.method() == "GET" {
            Method::GET
        } else {
            Method::POST
        };
        let mut req = self
            .client
            .request(method, self.url(probe)?)
            .timeout(remaining)
            .header(AUTHORIZATION, self.auth.clone());
        if let Some(org) = &self.config.org_id {
            req = req.header("OpenAI-Organization", org);
        }
        if let Some(project) = &self.config.project_id {
            req = req.header("OpenAI-Project", project);
        }
        if let Some(body) = probe.body() {
            req = req.json(&body);
        }
        let mut resp = req.send().await.map_err(|e| classify_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(n, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (n.as_str().to_ascii_lowercase(), v.to_owned()))
            })
            .collect();
        let mut bytes = Vec::new();
        while bytes.len() < MAX_BODY {
            match resp.chunk().await {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return Err(classify_error(&e)),
            }
        }
        bytes.truncate(MAX_BODY);
        Ok(Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    async fn send_with_retries(&self, probe: &Probe) -> Result<Answer, TransportError> {
        let mut attempt = 0;
        loop {
            let outcome = self.send_once(probe).await;
            match retry_after(attempt, &outcome, jitter()) {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => return outcome,
            }
        }
    }

    async fn drive(&self, check: &mut ReadinessCheck) {
        while let Some(probe) = check.next_probe() {
            let outcome = self.send_with_retries(&probe).await;
            check.feed(probe, outcome);
        }
    }
}

/// Runs the whole readiness check against the API, bounded by `config.timeout_secs`.
/// Errors only when the check cannot start (bad base URL, unsendable key, client setup).
pub async fn run_check(key: &ApiKey, config: &CheckConfig) -> Result<CheckReport, CheckError> {
    let base = config.validated_base_url()?;
    let mut check = ReadinessCheck::new(config.options(key));
    if check.is_finished() {
        return Ok(check.report());
    }
    let bearer = Zeroizing::new(format!("Bearer {}", key.expose_secret()));
    let mut auth = HeaderValue::from_str(&bearer).map_err(|_| CheckError::KeyNotSendable)?;
    auth.set_sensitive(true);

    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("aaai-key-setup/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| CheckError::Setup(e.to_string()))?;

    let bound = Duration::from_secs(config.timeout_secs);
    let driver = Driver {
        client,
        base,
        auth,
        config,
        deadline: Instant::now() + bound,
    };
    if tokio::time::timeout(bound, driver.drive(&mut check))
        .await
        .is_err()
    {
        check.give_up(TransportError::Timeout);
    }
    Ok(check.report())
}

/// [`run_check`] on a fresh current-thread runtime: for the CLI, and for a background thread
/// of the GUI. Do not call it from inside an async runtime.
pub fn run_check_blocking(key: &ApiKey, config: &CheckConfig) -> Result<CheckReport, CheckError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CheckError::Setup(e.to_string()))?;
    runtime.block_on(run_check(key, config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_base(base: &str) -> CheckConfig {
        CheckConfig {
            base_url: base.to_owned(),
            ..CheckConfig::default()
        }
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "https://api.openai.com/v1",
            "http://127.0.0.1:8080/v1",
            "http://127.5.6.7/v1",
            "http://localhost:1234/v1/",
            "http://[::1]:9/v1",
        ] {
            assert!(with_base(ok).validated_base_url().is_ok(), "{ok}");
        }
        assert_eq!(
            with_base("http://api.openai.com/v1").validated_base_url(),
            Err(CheckError::InsecureUrl("api.openai.com".into()))
        );
        assert!(matches!(
            with_base("http://192.168.1.5/v1").validated_base_url(),
            Err(CheckError::InsecureUrl(_))
        ));
        assert!(matches!(
            with_base("http://localhost.evil.example/v1").validated_base_url(),
            Err(CheckError::InsecureUrl(_))
        ));
        assert!(matches!(
            with_base("ftp://x/v1").validated_base_url(),
            Err(CheckError::UnsupportedScheme(_))
        ));
        assert!(matches!(
            with_base("not a url").validated_base_url(),
            Err(CheckError::BadUrl(_))
        ));
    }

    #[test]
    fn config_from_lookup() {
        let c = CheckConfig::from_lookup(|n| match n {
            "OPENAI_BASE_URL" => Some("http://127.0.0.1:1/v1".into()),
            "OPENAI_ORG_ID" => Some("org-x".into()),
            "OPENAI_PROJECT_ID" => Some("  ".into()),
            _ => None,
        });
        assert_eq!(c.base_url, "http://127.0.0.1:1/v1");
        assert_eq!(c.org_id.as_deref(), Some("org-x"));
        assert_eq!(c.project_id, None);
        assert_eq!(c.timeout_secs, 30);
        let d = CheckConfig::from_lookup(|_| None);
        assert_eq!(d.base_url, DEFAULT_BASE_URL);
    }
}
