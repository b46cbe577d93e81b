//! Issue 10's network defects, one test each, through the real binary against a loopback
//! stand-in for the OpenAI API: what the user is told, and that no output shares a
//! 16-character run with the key. (A loopback check never going through a proxy is in
//! `proxy_env.rs`; the time bound with a hanging name lookup is a unit test of the adapter.)

#[path = "openai_mock/kinds.rs"]
mod kinds;
mod openai_mock;

use std::process::Command;
use std::time::{Duration, Instant};

use aaai_key_setup::core::key::ApiKey;
use aaai_key_setup::core::leak;
use kinds::{legacy_key, project_key, service_account_key};
use openai_mock::*;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

#[path = "support/run.rs"]
mod run;

/// Runs `check` on `key` (from stdin) with `base` as `OPENAI_BASE_URL`.
fn run_check_cli(key: &ApiKey, base: &str, extra: &[&str]) -> run::Run {
    run_check_cli_env(key, base, extra, &[])
}

/// [`run_check_cli`] with more environment variables.
fn run_check_cli_env(key: &ApiKey, base: &str, extra: &[&str], env: &[(&str, &str)]) -> run::Run {
    // AAAI_CHECK_BINARY runs these tests against another build (e.g. one from before a fix).
    let binary = std::env::var_os("AAAI_CHECK_BINARY")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_aaai-key-setup").into());
    let mut cmd = Command::new(binary);
    cmd.args(["check", "--key-stdin"])
        .args(extra)
        .env("OPENAI_BASE_URL", base)
        .env_remove("OPENAI_API_KEY")
        .env_remove("AAAI_KEY_SETUP_MODELS");
    for v in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = run::run_with_stdin(&mut cmd, key.expose_secret());
    for text in [&run.stdout, &run.stderr] {
        assert!(
            !leak::shares_run(text, key.expose_secret(), leak::RUN),
            "a 16-character run of the key was printed: {text}"
        );
    }
    run
}

fn json_of(run: &run::Run) -> Value {
    serde_json::from_str(run.stdout.trim()).unwrap_or_else(|_| panic!("JSON: {}", run.all()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_whose_wait_does_not_fit_is_reported_as_a_rate_limit() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            json_reply(
                429,
                error_body(
                    "Rate limit reached for requests. Please try again in 40s.",
                    "requests",
                    Some("rate_limit_exceeded"),
                    None,
                ),
            )
            .insert_header("retry-after", "40"),
        )
        .mount(&server)
        .await;
    let key = project_key();
    let started = Instant::now();
    let run = tokio::task::spawn_blocking({
        let (key, base) = (key.clone(), format!("{}/v1", server.uri()));
        move || run_check_cli(&key, &base, &["--json", "--timeout-secs", "5"])
    })
    .await
    .expect("join");
    assert!(started.elapsed() < Duration::from_secs(4), "it waited");
    assert_eq!(run.code, 2, "{}", run.all());
    let j = json_of(&run);
    assert_eq!(j["verdict"], "rate_limited");
    let next = j["next_step"].as_str().unwrap_or_default();
    assert!(next.contains("40 seconds"), "{next}");
    assert!(!j["message"].as_str().unwrap_or_default().contains("reach"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_to_a_server_that_does_not_speak_tls_is_a_tls_problem_not_offline() {
    // wiremock speaks plain HTTP; the check asks for https.
    let server = MockServer::start().await;
    let base = server.uri().replace("http://", "https://") + "/v1";
    let j = tls_problem_not_offline(base).await;
    assert!(
        j["next_step"]
            .as_str()
            .unwrap_or_default()
            .contains("proxy")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_during_the_tls_handshake_is_a_tls_problem_not_offline() {
    // A server that takes the connection, reads the start of the TLS hello and closes with the
    // rest unread, so the system resets the connection. (This is what Windows reports for the
    // plain-HTTP server above: it drops the server's answer and keeps only the reset.)
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("https://{}/v1", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        use std::io::Read as _;
        for mut stream in listener.incoming().flatten() {
            let mut start = [0u8; 5];
            let _ = stream.read_exact(&mut start);
        }
    });
    tls_problem_not_offline(base).await;
}

/// Runs `check --json` against `base` and expects a network error worded as a TLS problem,
/// never as "offline"; returns the JSON.
async fn tls_problem_not_offline(base: String) -> serde_json::Value {
    let key = legacy_key();
    let run = tokio::task::spawn_blocking(move || run_check_cli(&key, &base, &["--json"]))
        .await
        .expect("join");
    assert_eq!(run.code, 2, "{}", run.all());
    let j = json_of(&run);
    assert_eq!(j["verdict"], "network_error");
    let message = j["message"].as_str().unwrap_or_default();
    assert!(message.contains("secure connection"), "{message}");
    assert!(!message.contains("offline"), "{message}");
    j
}

#[test]
fn a_key_put_in_openai_base_url_is_named_masked_never_echoed() {
    let key = project_key();
    let stray = service_account_key();
    for base in [
        stray.expose_secret().to_owned(),
        format!("https://{}/v1", stray.expose_secret()),
    ] {
        let run = run_check_cli(&key, &base, &[]);
        assert_eq!(run.code, 64, "{}", run.all());
        assert!(
            run.stderr
                .contains("OPENAI_BASE_URL holds what looks like an API key"),
            "{}",
            run.all()
        );
        assert!(run.stderr.contains(&stray.masked()), "{}", run.all());
        assert!(
            !leak::shares_run(&run.stderr, stray.expose_secret(), leak::RUN),
            "{}",
            run.all()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_echoing_part_of_the_key_are_not_shown_honest_names_are() {
    let key = project_key();
    let secret = key.expose_secret().to_owned();
    let server = MockServer::start().await;
    mount_models_ok(&server).await;
    mount_images(&server, image_size_refused()).await;
    mount_me(
        &server,
        200,
        json!({"object": "user", "orgs": {"object": "list", "data": [
            {"object": "organization", "id": "org-AAA", "name": "task-force",
             "title": "Task-Force", "personal": false, "is_default": true, "role": "owner"},
            {"object": "organization", "id": "org-BBB", "name": &secret[30..60],
             "title": &secret[70..100], "personal": false, "is_default": false, "role": "owner"},
        ]}}),
    )
    .await;
    // A middlebox echoes parts of the key (no "sk-", no marker) in the label headers.
    mount_credit(
        &server,
        credit_ok()
            .insert_header("openai-organization", &secret[10..40])
            .insert_header("openai-project", &secret[44..70]),
    )
    .await;
    for format in [&["--json"][..], &[][..]] {
        let run = tokio::task::spawn_blocking({
            let (key, base, format) = (key.clone(), format!("{}/v1", server.uri()), format);
            move || run_check_cli(&key, &base, format)
        })
        .await
        .expect("join");
        assert_eq!(run.code, 0, "{}", run.all());
    }
    let run = tokio::task::spawn_blocking({
        let (key, base) = (key.clone(), format!("{}/v1", server.uri()));
        move || run_check_cli(&key, &base, &["--json"])
    })
    .await
    .expect("join");
    let j = json_of(&run);
    assert!(j["project"].is_null(), "{j}");
    // Only the honest organization is left, so it is the key's.
    assert_eq!(j["organization"]["title"], "Task-Force", "{j}");
}

/// A loopback server for issue 22's billing defect: it answers the free probes as OpenAI does,
/// but reads every billable request whole and then fails it as a gateway might (drops the
/// connection, or answers 504). It logs every request it read, as `POST /v1/… <body>`.
mod gateway {
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    /// How the billable request fails.
    #[derive(Clone, Copy, Debug)]
    pub enum Failure {
        /// The whole request is read, then the connection is closed without an answer.
        Drop,
        /// The whole request is read, then `504 Gateway Timeout`.
        GatewayTimeout,
    }

    pub struct Gateway {
        pub base: String,
        pub log: Arc<Mutex<Vec<String>>>,
    }

    impl Gateway {
        pub fn count(&self, what: &str) -> usize {
            let log = self.log.lock().expect("log");
            log.iter().filter(|l| l.contains(what)).count()
        }
    }

    fn reply(status: &str, body: &str) -> String {
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    /// `billable` tells a billable request from its method, path and body. With
    /// `credit_unclear`, the free credit probe gets an answer this app does not know (418), so
    /// the paid one-token test is the next step when it was consented to.
    pub fn start(failure: Failure, billable: fn(&str) -> bool, credit_unclear: bool) -> Gateway {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let log = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                    let mut head = String::new();
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        if head.is_empty() {
                            head = line.trim().to_owned();
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0u8; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let request = format!("{head} {}", String::from_utf8_lossy(&body));
                    log.lock().expect("log").push(request.clone());
                    let answer = if billable(&request) {
                        match failure {
                            Failure::Drop => return,
                            Failure::GatewayTimeout => reply("504 Gateway Timeout", ""),
                        }
                    } else if request.starts_with("GET /v1/models") {
                        reply("200 OK", &super::models_list().to_string())
                    } else if request.starts_with("GET /v1/me") {
                        let me = super::json!({"object": "user", "orgs": {"object": "list", "data": [
                            {"object": "organization", "id": "org-AAA", "name": "user-abc123",
                             "title": "Personal", "personal": true, "is_default": true}
                        ]}});
                        reply("200 OK", &me.to_string())
                    } else if let Some(field) = ["max_tokens", "max_completion_tokens"]
                        .into_iter()
                        .find(|f| request.contains(&format!("\"{f}\":0")))
                        .filter(|_| !credit_unclear)
                    {
                        // The zero-budget credit probe, refused as OpenAI refuses it, on
                        // whichever budget field the chosen model takes.
                        let body = super::error_body(
                            &format!("Invalid '{field}': integer below minimum value."),
                            "invalid_request_error",
                            Some("integer_below_min_value"),
                            Some(field),
                        );
                        reply("400 Bad Request", &body.to_string())
                    } else {
                        reply("418 I'm a teapot", "{}")
                    };
                    let _ = stream.write_all(answer.as_bytes());
                });
            }
        });
        Gateway { base, log }
    }
}

#[test]
fn a_consented_test_image_is_sent_once_even_when_the_gateway_fails_after_reading_it() {
    use gateway::Failure;
    let key = project_key();
    for failure in [Failure::Drop, Failure::GatewayTimeout] {
        let server = gateway::start(
            failure,
            |r| r.starts_with("POST /v1/images/generations"),
            false,
        );
        let run = run_check_cli(
            &key,
            &server.base,
            &["--json", "--verification", "--timeout-secs", "20"],
        );
        assert_eq!(
            server.count("POST /v1/images/generations"),
            1,
            "{failure:?}: {:?}\n{}",
            server.log.lock().expect("log"),
            run.all()
        );
        // The free probes still get their answers.
        assert_eq!(server.count("GET /v1/models"), 1, "{failure:?}");
        let j = json_of(&run);
        assert_eq!(j["features"]["articles"], "ready", "{failure:?}: {j}");
        assert_ne!(j["features"]["images"], "ready", "{failure:?}: {j}");
    }
}

#[test]
fn the_paid_one_token_test_is_sent_once_even_when_the_gateway_fails_after_reading_it() {
    use aaai_key_setup::adapters::net::{CheckConfig, run_check_blocking};
    use gateway::Failure;
    let key = project_key();
    for failure in [Failure::Drop, Failure::GatewayTimeout] {
        let paid = |r: &str| r.contains("\"max_completion_tokens\":1");
        let server = gateway::start(failure, paid, true);
        // The credit probe gets an answer this app does not know (418), so the consented
        // paid test is sent next, and fails after the server read it.
        let config = CheckConfig {
            base_url: server.base.clone(),
            paid_probe_consent: true,
            timeout_secs: 20,
            ..CheckConfig::default()
        };
        let report = run_check_blocking(&key, &config).expect("the check starts");
        assert_eq!(
            server.count("\"max_completion_tokens\":1"),
            1,
            "{failure:?}: {:?}",
            server.log.lock().expect("log")
        );
        assert_ne!(report.verdict.as_str(), "ready", "{failure:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_ok_to_everything_or_a_redirect_is_unexpected_never_ready() {
    let key = project_key();
    // A server that says 200 to everything: plain "OK", "{}", or nothing.
    for (body, words) in [("OK", "plain text"), ("{}", "no models"), ("", "empty")] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_string(body))
            .mount(&server)
            .await;
        for extra in [&["--json"][..], &["--json", "--verification"][..]] {
            let run = tokio::task::spawn_blocking({
                let (key, base) = (key.clone(), format!("{}/v1", server.uri()));
                move || run_check_cli(&key, &base, extra)
            })
            .await
            .expect("join");
            assert_eq!(run.code, 2, "{body:?}: {}", run.all());
            let j = json_of(&run);
            assert_eq!(j["verdict"], "unexpected_response", "{body:?}: {j}");
            assert_ne!(j["features"]["images"], "ready", "{body:?}: {j}");
            let message = j["message"].as_str().unwrap_or_default();
            assert!(message.contains(words), "{body:?}: {message}");
        }
    }
    // Every request redirected to a host that would never get the key: not followed.
    let elsewhere = MockServer::start().await;
    mount_paying_account_here(&elsewhere).await;
    let server = MockServer::start().await;
    let target = elsewhere.uri().replace("127.0.0.1", "localhost");
    Mock::given(any())
        .respond_with(
            wiremock::ResponseTemplate::new(307)
                .insert_header("location", format!("{target}/v1/x")),
        )
        .mount(&server)
        .await;
    let run = tokio::task::spawn_blocking({
        let (key, base) = (key.clone(), format!("{}/v1", server.uri()));
        move || run_check_cli(&key, &base, &["--json"])
    })
    .await
    .expect("join");
    assert_eq!(run.code, 2, "{}", run.all());
    let j = json_of(&run);
    assert_eq!(j["verdict"], "unexpected_response", "{j}");
    let message = j["message"].as_str().unwrap_or_default();
    assert!(message.contains("a redirect to localhost"), "{message}");
    let followed = elsewhere.received_requests().await.unwrap_or_default();
    assert!(
        followed.is_empty(),
        "the redirect was followed: {followed:?}"
    );
}

async fn mount_paying_account_here(server: &MockServer) {
    mount_models_ok(server).await;
    mount_me(
        server,
        200,
        json!({"object": "user", "orgs": {"object": "list", "data": [
            {"object": "organization", "id": "org-AAA", "name": "user-abc123",
             "title": "Personal", "personal": true, "is_default": true}]}}),
    )
    .await;
    mount_credit(server, credit_ok()).await;
    mount_images(server, image_size_refused()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_setting_with_a_control_character_is_a_usage_error_and_sends_nothing() {
    let server = MockServer::start().await;
    mount_paying_account_here(&server).await;
    let key = project_key();
    let base = format!("{}/v1", server.uri());
    for (name, value) in [
        ("OPENAI_ORG_ID", "org-abc\ndef"),
        ("OPENAI_PROJECT_ID", "proj_abc\u{1b}[2Jdef"),
    ] {
        let started = Instant::now();
        let run = tokio::task::spawn_blocking({
            let (key, base) = (key.clone(), base.clone());
            move || run_check_cli_env(&key, &base, &["--json"], &[(name, value)])
        })
        .await
        .expect("join");
        assert_eq!(run.code, 64, "{name}: {}", run.all());
        assert!(run.stderr.contains(name), "{}", run.all());
        assert!(
            !run.all().contains("abc"),
            "the value was repeated: {}",
            run.all()
        );
        assert!(started.elapsed() < Duration::from_secs(2), "it retried");
    }
    let sent = server.received_requests().await.unwrap_or_default();
    assert!(sent.is_empty(), "requests were sent: {}", sent.len());
    // Where a paid test is offered, the option that consents to it is named.
    let run = tokio::task::spawn_blocking(move || run_check_cli(&key, &base, &[]))
        .await
        .expect("join");
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("Image test:"), "{}", run.all());
    assert!(run.stdout.contains("check --verification"), "{}", run.all());
}
