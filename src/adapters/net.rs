//! The HTTP adapter: drives the pure [`ReadinessCheck`] over reqwest (rustls with the ring
//! provider). Every probe the check hands out is sent at once, each with its own retries from
//! [`retry_after`], so one slow or retried probe holds up no other; one time bound covers the
//! whole check, and the runtime is shut down in the background so that nothing (not even a
//! hanging name lookup) keeps the caller past it.
//!
//! The key travels only in the `Authorization: Bearer` header (marked sensitive) and only over
//! https, or plain http to this computer, which never goes through a proxy: an http proxy never
//! sees a request carrying the key. The key is never put in a URL, an error, a log line or a
//! `Debug` output, and no error repeats an environment value that could be the key.

use std::io::Read as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Client, Method, Url};
use tokio::task::JoinSet;
use tokio::time::Instant;
use zeroize::Zeroizing;

use crate::core::key::{self, ApiKey, Recognition};
use crate::core::leak;
use crate::core::models::{AaaiModels, Day, ModelsError, OVERRIDE_VAR};
use crate::core::readiness::{
    Answer, CheckOptions, CheckReport, Probe, ReadinessCheck, TransportError, retry_after,
};

/// The API base URL used when `OPENAI_BASE_URL` is not set.
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// The connect timeout of each request, as in the official SDKs.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Response bodies are read up to this size; the rest is ignored.
const MAX_BODY: usize = 256 * 1024;
/// A models file larger than this (1 MiB) is not a models file.
const MAX_MODELS_FILE: u64 = 1 << 20;

/// The proxy variables reqwest reads, in both spellings.
const PROXY_VARS: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// A setting that cannot be used as it is. Names the variable, never its value (which could
/// hold a key, or a proxy password).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SettingError {
    /// A header value (`OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`) with a line break or another
    /// control character: it cannot be sent, so nothing is.
    #[error(
        "{0} holds a line break or another control character, so it cannot be sent. Set it \
         again to the ID alone, on one line, or unset it"
    )]
    HeaderValue(&'static str),
    /// A proxy variable that is not an http:// or https:// proxy address.
    #[error(
        "{0} is not a proxy address this app can use; it should look like \
         http://proxy.example:3128. Fix it, or unset it"
    )]
    Proxy(&'static str),
    /// `user:pass@` in the base URL: the key is the only login ever sent.
    #[error(
        "OPENAI_BASE_URL holds a user name or password (the part before @); only the key is \
         sent to log in. Remove that part, or unset OPENAI_BASE_URL"
    )]
    BaseUrlLogin,
    /// A `?query` or `#fragment` in the base URL, which would send the checks to the wrong path.
    #[error(
        "OPENAI_BASE_URL holds a ? or # part; it should be a plain address such as \
         https://api.openai.com/v1. Remove that part, or unset OPENAI_BASE_URL"
    )]
    BaseUrlQuery,
}

/// True when `value` is a proxy address reqwest would really use: `http://` or `https://`
/// (no scheme means http://) with a host. Anything else it would drop without a word.
fn is_usable_proxy(value: &str) -> bool {
    let value = value.trim();
    let with_scheme = if value.contains("://") {
        value.to_owned()
    } else {
        format!("http://{value}")
    };
    Url::parse(&with_scheme).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// Why a check could not even start. Never contains the key, nor an environment value that
/// could hold it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckError {
    /// `OPENAI_BASE_URL` holds (part of) an API key; the masked form when it is a whole one.
    #[error(
        "OPENAI_BASE_URL holds what looks like an API key{}. Put the key in OPENAI_API_KEY (or \
         paste it), and set OPENAI_BASE_URL to an address such as https://api.openai.com/v1, or \
         unset it",
        .0.as_ref().map(|m| format!(" ({m})")).unwrap_or_default()
    )]
    KeyInBaseUrl(Option<String>),
    /// The base URL could not be read as a URL.
    #[error(
        "OPENAI_BASE_URL is not a valid web address; it should look like \
         https://api.openai.com/v1, or be unset"
    )]
    BadUrl,
    /// Plain `http://` to a host that is not this computer.
    #[error(
        "OPENAI_BASE_URL uses plain http:// to another computer, so the key would travel \
         unencrypted. Use https://, or http:// only to this computer (localhost, 127.0.0.1, ::1)"
    )]
    InsecureUrl,
    /// A scheme other than http or https.
    #[error("OPENAI_BASE_URL must start with https://")]
    UnsupportedScheme,
    /// The key holds characters that cannot be sent in a header.
    #[error("the key contains characters that cannot be sent to OpenAI; copy it again")]
    KeyNotSendable,
    /// The models file named by `AAAI_KEY_SETUP_MODELS` could not be used.
    #[error(
        "the models file named by {OVERRIDE_VAR} could not be used: {0}. Fix it, or unset \
         {OVERRIDE_VAR} to use the built-in one"
    )]
    Models(String),
    /// A setting cannot be used as it is (see [`SettingError`]).
    #[error("{0}")]
    Setting(SettingError),
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
    /// The user consents to one smallest real image (about half a cent), which proves that
    /// images work.
    pub verification: bool,
    /// The user agreed to a one-token paid request if the free credit probe is inconclusive.
    pub paid_probe_consent: bool,
    /// A models file replacing the built-in one (`AAAI_KEY_SETUP_MODELS`), read when a check
    /// starts.
    pub models_file: Option<PathBuf>,
    /// The local clock, in seconds since 1970, when not the system's (tests). Only a fallback:
    /// the server's `Date` header decides which shutdown dates have been reached.
    pub local_clock_secs: Option<i64>,
    /// The first proxy variable that is set to something no proxy can be (reqwest would
    /// ignore it silently); the check refuses to start.
    pub bad_proxy: Option<&'static str>,
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
            models_file: None,
            local_clock_secs: None,
            bad_proxy: None,
        }
    }
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl CheckConfig {
    /// Defaults plus `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID` and
    /// `AAAI_KEY_SETUP_MODELS`.
    pub(crate) fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], reading variables through `lookup` (for tests). An empty
    /// variable counts as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let bad_proxy = PROXY_VARS
            .into_iter()
            .find(|name| get(name).is_some_and(|v| !is_usable_proxy(&v)));
        Self {
            base_url: get("OPENAI_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
            org_id: get("OPENAI_ORG_ID"),
            project_id: get("OPENAI_PROJECT_ID"),
            models_file: get(OVERRIDE_VAR).map(PathBuf::from),
            bad_proxy,
            ..Self::default()
        }
    }

    /// Every setting that cannot be sent as it is, before anything is: a header value with a
    /// control character, a proxy variable no proxy can be.
    pub fn validated_settings(&self) -> Result<(), CheckError> {
        for (name, value) in [
            ("OPENAI_ORG_ID", &self.org_id),
            ("OPENAI_PROJECT_ID", &self.project_id),
        ] {
            let unsendable =
                |v: &String| v.chars().any(char::is_control) || HeaderValue::from_str(v).is_err();
            if value.as_ref().is_some_and(unsendable) {
                return Err(CheckError::Setting(SettingError::HeaderValue(name)));
            }
        }
        match self.bad_proxy {
            Some(name) => Err(CheckError::Setting(SettingError::Proxy(name))),
            None => Ok(()),
        }
    }

    /// The parsed base URL, refusing one that holds a key, and plain `http://` unless the host
    /// is loopback. No error repeats the value.
    pub fn validated_base_url(&self) -> Result<Url, CheckError> {
        let raw = self.base_url.trim().trim_end_matches('/');
        if let Recognition::Key(k) = key::scan(raw).result {
            return Err(CheckError::KeyInBaseUrl(Some(k.masked())));
        }
        if leak::looks_like_key(raw) {
            return Err(CheckError::KeyInBaseUrl(None));
        }
        let url = Url::parse(raw).map_err(|_| CheckError::BadUrl)?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(CheckError::Setting(SettingError::BaseUrlLogin));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(CheckError::Setting(SettingError::BaseUrlQuery));
        }
        match url.scheme() {
            "https" => Ok(url),
            "http" if is_loopback(&url) => Ok(url),
            "http" => Err(CheckError::InsecureUrl),
            _ => Err(CheckError::UnsupportedScheme),
        }
    }

    /// The models to check: the file named by [`Self::models_file`], else the built-in ones.
    pub fn models(&self) -> Result<AaaiModels, CheckError> {
        let Some(path) = &self.models_file else {
            return Ok(AaaiModels::built_in());
        };
        let problem = |words: &str| CheckError::Models(words.to_owned());
        let unreadable = || problem("it could not be read");
        // Opened without blocking: a FIFO (or a device) named here would otherwise hold the
        // check before its time bound even starts. Then it must be a regular, small file.
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let file = options.open(path).map_err(|_| unreadable())?;
        let meta = file.metadata().map_err(|_| unreadable())?;
        if !meta.is_file() {
            return Err(problem("it is not a regular file"));
        }
        if meta.len() > MAX_MODELS_FILE {
            return Err(problem("it is larger than 1 MiB"));
        }
        let mut bytes = Vec::new();
        file.take(MAX_MODELS_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| unreadable())?;
        if bytes.len() as u64 > MAX_MODELS_FILE {
            return Err(problem("it is larger than 1 MiB"));
        }
        let text = String::from_utf8(bytes).map_err(|_| problem("it is not UTF-8 text"))?;
        AaaiModels::parse(&text).map_err(|e: ModelsError| CheckError::Models(e.to_string()))
    }

    /// Today by the local clock: the fallback when no answer carries a `Date` header.
    pub fn local_day(&self) -> Option<Day> {
        let secs = match self.local_clock_secs {
            Some(s) => s,
            None => {
                i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()?
            }
        };
        Some(Day::from_unix_secs(secs))
    }
}

/// Sorts a reqwest error into the few kinds the report explains.
pub(crate) fn classify_error(e: &reqwest::Error) -> TransportError {
    let mut chain = e.to_string().to_ascii_lowercase();
    let mut tls = false;
    let mut cut = false;
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(" | ");
        chain.push_str(&s.to_string().to_ascii_lowercase());
        let io = s.downcast_ref::<std::io::Error>();
        // rustls errors, bare or inside an io::Error (whose `source` skips the inner error).
        let inner = io
            .and_then(|io| io.get_ref())
            .map(|i| i as &(dyn std::error::Error + 'static));
        tls |= s.is::<rustls::Error>() || inner.is_some_and(|i| i.is::<rustls::Error>());
        // A reset, bare or inside an io::Error (as the connector hands it on).
        let reset = |io: &std::io::Error| {
            matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
            )
        };
        cut |= io.is_some_and(reset)
            || inner
                .and_then(|i| i.downcast_ref::<std::io::Error>())
                .is_some_and(reset);
        source = s.source();
    }
    // The connection was made and then reset before the request went out: over https that is
    // during the TLS handshake (a refused connection is `ConnectionRefused`). Something on the
    // way cut the handshake, or the server does not speak TLS: hyper's server, for one, reads
    // only the start of the hello, answers 400 and closes, and the unread rest makes the
    // system reset the connection. Linux hands rustls the answer before the reset; Winsock
    // drops data not yet read when a reset comes, so on Windows only the reset is seen.
    // Either way the network was there: not "offline".
    let cut_in_handshake = cut && e.is_connect() && e.url().is_some_and(|u| u.scheme() == "https");
    if chain.contains("proxy") || chain.contains("tunnel") {
        TransportError::Proxy
    } else if e.is_timeout() {
        TransportError::Timeout
    } else if tls
        || cut_in_handshake
        || [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "invalidcontenttype",
        ]
        .iter()
        .any(|w| chain.contains(w))
    {
        // Checked before DNS and connect: a server that does not speak TLS (or a proxy that
        // answers in its place) is a TLS problem, not "offline".
        TransportError::Tls
    } else if e.is_dns() || chain.contains("dns") || chain.contains("failed to lookup") {
        TransportError::Dns
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

/// What every request needs; shared by the probes in flight.
struct Sender {
    client: Client,
    /// For the requests that may cost money: no retries of its own (not even reqwest's
    /// default retry of protocol NACKs) and no reused connections (so hyper never re-sends a
    /// request on a pooled connection that closed).
    billable_client: Client,
    base: Url,
    auth: HeaderValue,
    org_id: Option<String>,
    project_id: Option<String>,
    deadline: Instant,
}

impl Sender {
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
        let client = if probe.may_cost() {
            &self.billable_client
        } else {
            &self.client
        };
        let mut req = client
            .request(method, self.url(probe)?)
            .timeout(remaining)
            .header(AUTHORIZATION, self.auth.clone());
        if let Some(org) = &self.org_id {
            req = req.header("OpenAI-Organization", org);
        }
        if let Some(project) = &self.project_id {
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

    /// One probe with its own retries; a wait that does not fit in the time left is not
    /// waited, and the answer that asked for it is the probe's result. A probe that may cost
    /// money is sent once, whatever happens ([`retry_after`] says so).
    async fn send_with_retries(&self, probe: &Probe) -> Result<Answer, TransportError> {
        let mut attempt = 0;
        loop {
            let outcome = self.send_once(probe).await;
            let left = self.deadline.saturating_duration_since(Instant::now());
            match retry_after(probe, attempt, &outcome, jitter(), left) {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => return outcome,
            }
        }
    }
}

/// Runs the whole readiness check against the API, bounded by `config.timeout_secs`.
/// Errors only when the check cannot start (bad base URL, unsendable key, models file, client
/// setup).
pub async fn run_check(key: &ApiKey, config: &CheckConfig) -> Result<CheckReport, CheckError> {
    run_check_with(key, config, None).await
}

type Resolver = Arc<dyn reqwest::dns::Resolve>;

async fn run_check_with(
    key: &ApiKey,
    config: &CheckConfig,
    resolver: Option<Resolver>,
) -> Result<CheckReport, CheckError> {
    let base = config.validated_base_url()?;
    config.validated_settings()?;
    if leak::shares_run(&config.base_url, key.expose_secret(), leak::RUN) {
        return Err(CheckError::KeyInBaseUrl(Some(key.masked())));
    }
    let mut check = ReadinessCheck::new(CheckOptions {
        verification: config.verification,
        paid_probe_consent: config.paid_probe_consent,
        timeout_secs: config.timeout_secs,
        org_id: config.org_id.clone(),
        models: config.models()?,
        today: config.local_day(),
        ..CheckOptions::for_key(key)
    });
    if check.is_finished() {
        return Ok(check.report());
    }
    let bearer = Zeroizing::new(format!("Bearer {}", key.expose_secret()));
    let mut auth = HeaderValue::from_str(&bearer).map_err(|_| CheckError::KeyNotSendable)?;
    auth.set_sensitive(true);

    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = client_builder(&base, resolver.clone()).build();
    let billable_client = client_builder(&base, resolver)
        .retry(reqwest::retry::never())
        .pool_max_idle_per_host(0)
        .build();
    // The builder's own error text may quote a proxy variable: not repeated.
    let (Ok(client), Ok(billable_client)) = (client, billable_client) else {
        return Err(CheckError::Setup(
            "check the proxy settings (HTTPS_PROXY, ALL_PROXY)".to_owned(),
        ));
    };

    let deadline = Instant::now() + Duration::from_secs(config.timeout_secs);
    let sender = Arc::new(Sender {
        client,
        billable_client,
        base,
        auth,
        org_id: config.org_id.clone(),
        project_id: config.project_id.clone(),
        deadline,
    });
    let mut in_flight = JoinSet::new();
    loop {
        for probe in check.take_ready() {
            let sender = Arc::clone(&sender);
            in_flight.spawn(async move {
                let outcome = sender.send_with_retries(&probe).await;
                (probe, outcome)
            });
        }
        if check.is_finished() {
            break;
        }
        match tokio::time::timeout_at(deadline, in_flight.join_next()).await {
            Ok(Some(Ok((probe, outcome)))) => check.feed(probe, outcome),
            Ok(Some(Err(_))) | Ok(None) => {
                check.give_up(TransportError::Other);
                break;
            }
            Err(_) => {
                check.give_up(TransportError::Timeout);
                break;
            }
        }
    }
    // Whatever is still in flight is not needed any more.
    in_flight.abort_all();
    Ok(check.report())
}

/// The client settings every request shares. Redirects are never followed: the API does not
/// redirect, and a redirected request would reach a host that never gets the key (reqwest
/// drops the header) yet answers for it; a 3xx is read as an unexpected answer instead.
fn client_builder(base: &Url, resolver: Option<Resolver>) -> reqwest::ClientBuilder {
    let mut builder = Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("aaai-key-setup/", env!("CARGO_PKG_VERSION")));
    if is_loopback(base) {
        // This computer is reached directly, never through a proxy: a plain-http proxy would
        // see the key in clear text.
        builder = builder.no_proxy();
    }
    if let Some(r) = resolver {
        builder = builder.dns_resolver(r);
    }
    builder
}

/// [`run_check`] on a fresh current-thread runtime: for the CLI, and for a background thread
/// of the GUI. Do not call it from inside an async runtime. Returns within the time bound even
/// when a name lookup hangs: the runtime is shut down in the background, and a lookup still
/// blocked in the system resolver (which cannot be cancelled) ends on its own, holding no key.
pub fn run_check_blocking(key: &ApiKey, config: &CheckConfig) -> Result<CheckReport, CheckError> {
    run_blocking_with(key, config, None)
}

fn run_blocking_with(
    key: &ApiKey,
    config: &CheckConfig,
    resolver: Option<Resolver>,
) -> Result<CheckReport, CheckError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("readiness-net")
        .thread_keep_alive(Duration::from_secs(1))
        .build()
        .map_err(|e| CheckError::Setup(e.kind().to_string()))?;
    let result = runtime.block_on(run_check_with(key, config, resolver));
    runtime.shutdown_background();
    result
}

#[cfg(test)]
#[path = "net_tests.rs"]
mod tests;
