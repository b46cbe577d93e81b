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
    assert!(
        j["next_step"]
            .as_str()
            .unwrap_or_default()
            .contains("proxy")
    );
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
