//! Unit tests of the HTTP adapter's configuration and its time bound.

use std::time::Instant as StdInstant;

use super::*;
use crate::core::key::test_keys::{made_up, recognised};

fn with_base(base: &str) -> CheckConfig {
    CheckConfig {
        base_url: base.to_owned(),
        ..CheckConfig::default()
    }
}

fn test_key() -> ApiKey {
    recognised(&made_up("sk-proj-", &"Mn5".repeat(20), &"Op6".repeat(20)))
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
        Err(CheckError::InsecureUrl)
    );
    for bad in ["http://192.168.1.5/v1", "http://localhost.evil.example/v1"] {
        assert_eq!(
            with_base(bad).validated_base_url(),
            Err(CheckError::InsecureUrl)
        );
    }
    assert_eq!(
        with_base("ftp://x/v1").validated_base_url(),
        Err(CheckError::UnsupportedScheme)
    );
    assert_eq!(
        with_base("not a url").validated_base_url(),
        Err(CheckError::BadUrl)
    );
}

#[test]
fn a_key_in_the_base_url_is_named_masked_never_echoed() {
    let key = test_key();
    let secret = key.expose_secret();
    for value in [
        secret.to_owned(),
        format!("https://{secret}/v1"),
        format!("http://example.com/{secret}"),
    ] {
        let err = with_base(&value).validated_base_url().expect_err("refused");
        assert_eq!(err, CheckError::KeyInBaseUrl(Some(key.masked())));
        let text = err.to_string();
        assert!(text.contains("OPENAI_BASE_URL holds what looks like an API key"));
        assert!(text.contains(&key.masked()));
        assert!(!leak::shares_run(&text, secret, leak::RUN), "{text}");
    }
    // Part of the key, without its marker: still never repeated.
    let part = format!("http://{}/v1", &secret[8..40]);
    for err in [
        with_base(&part).validated_base_url().err(),
        with_base(&format!("{}{}", &secret[8..40], " x"))
            .validated_base_url()
            .err(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(!leak::shares_run(&err.to_string(), secret, leak::RUN));
    }
}

#[test]
fn config_from_lookup() {
    let c = CheckConfig::from_lookup(|n| match n {
        "OPENAI_BASE_URL" => Some("http://127.0.0.1:1/v1".into()),
        "OPENAI_ORG_ID" => Some("org-x".into()),
        "OPENAI_PROJECT_ID" => Some("  ".into()),
        "AAAI_KEY_SETUP_MODELS" => Some("/tmp/m.json".into()),
        _ => None,
    });
    assert_eq!(c.base_url, "http://127.0.0.1:1/v1");
    assert_eq!(c.org_id.as_deref(), Some("org-x"));
    assert_eq!(c.project_id, None);
    assert_eq!(c.timeout_secs, 30);
    assert_eq!(c.models_file, Some(PathBuf::from("/tmp/m.json")));
    let d = CheckConfig::from_lookup(|_| None);
    assert_eq!(d.base_url, DEFAULT_BASE_URL);
    assert_eq!(d.models().expect("built in"), AaaiModels::built_in());
}

#[test]
fn models_file_override_and_its_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("models.json");
    let text = crate::core::models::BUILT_IN.replace("\"gpt-image-2\"", "\"gpt-image-1\"");
    std::fs::write(&good, text).expect("write");
    let c = CheckConfig {
        models_file: Some(good),
        ..CheckConfig::default()
    };
    assert_eq!(
        c.models().expect("read").images.first().model,
        "gpt-image-1"
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "sk-not-a-models-file").expect("write");
    for path in [bad, dir.path().join("missing.json"), dir.path().to_owned()] {
        let err = CheckConfig {
            models_file: Some(path),
            ..CheckConfig::default()
        }
        .models()
        .expect_err("refused");
        assert!(!err.to_string().contains("sk-not"), "{err}");
        assert!(err.to_string().contains("AAAI_KEY_SETUP_MODELS"));
    }
}

/// A resolver that blocks a thread the way the system resolver does when name lookup hangs.
struct HangingDns;

impl reqwest::dns::Resolve for HangingDns {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async {
            let _ =
                tokio::task::spawn_blocking(|| std::thread::sleep(Duration::from_secs(8))).await;
            Err("lookup hung".into())
        })
    }
}

#[test]
fn timeout_is_a_bound_even_when_name_lookup_hangs() {
    let config = CheckConfig {
        base_url: "https://api.example.invalid/v1".into(),
        timeout_secs: 1,
        ..CheckConfig::default()
    };
    let started = StdInstant::now();
    let report =
        run_blocking_with(&test_key(), &config, Some(Arc::new(HangingDns))).expect("check starts");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert_eq!(report.verdict.as_str(), "network_error");
    assert!(
        report.message.contains("within 1 second."),
        "{}",
        report.message
    );
}

#[test]
fn a_header_value_with_a_control_character_is_refused_naming_the_variable() {
    for (name, value) in [
        ("OPENAI_ORG_ID", "org-abc\ndef"),
        ("OPENAI_PROJECT_ID", "proj_abc\rdef"),
        ("OPENAI_PROJECT_ID", "proj_\u{7}x"),
        ("OPENAI_ORG_ID", "org-\u{85}x"),
    ] {
        let c = CheckConfig::from_lookup(|n| (n == name).then(|| value.to_owned()));
        let err = c.validated_settings().expect_err("refused");
        assert_eq!(err, CheckError::Setting(SettingError::HeaderValue(name)));
        assert!(err.to_string().starts_with(name), "{err}");
        assert!(!err.to_string().contains("abc"), "{err}");
    }
    // A trailing line break is only trimmed away, as any stray space is.
    let c = CheckConfig::from_lookup(|n| (n == "OPENAI_ORG_ID").then(|| "org-abc\n".to_owned()));
    assert_eq!(c.validated_settings(), Ok(()));
    assert_eq!(c.org_id.as_deref(), Some("org-abc"));
}

#[test]
fn a_header_value_with_a_control_character_sends_nothing_and_is_not_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let config = CheckConfig {
        base_url: format!("http://{}/v1", listener.local_addr().expect("addr")),
        org_id: Some("org-a\nb".to_owned()),
        ..CheckConfig::default()
    };
    let started = StdInstant::now();
    let err = run_check_blocking(&test_key(), &config).expect_err("refused");
    assert_eq!(
        err,
        CheckError::Setting(SettingError::HeaderValue("OPENAI_ORG_ID"))
    );
    assert!(started.elapsed() < Duration::from_secs(1), "it retried");
    assert!(listener.accept().is_err(), "a connection was made");
}

#[test]
fn proxy_variables_no_proxy_can_be_are_refused_naming_the_variable() {
    for (name, value) in [
        ("HTTPS_PROXY", "http://[::1"),
        ("https_proxy", "ftp://proxy.example:21"),
        ("ALL_PROXY", "socks5://127.0.0.1:1080"),
        ("HTTP_PROXY", "https://:3128"),
    ] {
        let c = CheckConfig::from_lookup(|n| (n == name).then(|| value.to_owned()));
        assert_eq!(c.bad_proxy, Some(name), "{value}");
        let err = c.validated_settings().expect_err("refused");
        assert!(err.to_string().starts_with(name), "{err}");
        assert!(!err.to_string().contains(value), "{err}");
    }
    for fine in [
        "http://proxy.example:3128",
        "proxy.example:3128",
        "https://u:p@p.example",
        "",
    ] {
        let c = CheckConfig::from_lookup(|n| (n == "HTTPS_PROXY").then(|| fine.to_owned()));
        assert_eq!(c.bad_proxy, None, "{fine}");
    }
}

#[test]
fn a_login_query_or_fragment_in_the_base_url_is_refused() {
    for base in [
        "https://user:pass@api.example/v1",
        "https://user@api.example/v1",
        "http://u:p@127.0.0.1:9/v1",
    ] {
        assert_eq!(
            with_base(base).validated_base_url(),
            Err(CheckError::Setting(SettingError::BaseUrlLogin)),
            "{base}"
        );
    }
    for base in [
        "https://api.example/v1?x=1",
        "https://api.example/v1#top",
        "https://api.example/v1?",
    ] {
        let err = with_base(base).validated_base_url().expect_err(base);
        assert_eq!(
            err,
            CheckError::Setting(SettingError::BaseUrlQuery),
            "{base}"
        );
        assert!(!err.to_string().contains("x=1"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn a_models_file_that_is_a_fifo_or_too_big_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("models.fifo");
    let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a plain libc call with a valid, NUL-terminated path.
    #[allow(unsafe_code)]
    let made = unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) };
    assert_eq!(made, 0, "mkfifo");
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; (1 << 20) + 1]).expect("write");
    for (path, words) in [(fifo, "not a regular file"), (big, "larger than 1 MiB")] {
        let (tx, rx) = std::sync::mpsc::channel();
        let config = CheckConfig {
            models_file: Some(path),
            ..CheckConfig::default()
        };
        std::thread::spawn(move || {
            let _ = tx.send(config.models());
        });
        let answer = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("models() returned without waiting");
        let err = answer.expect_err("refused");
        assert!(err.to_string().contains(words), "{err}");
    }
}
