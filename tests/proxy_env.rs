//! Verifies that `aaai-key-setup check` honours the usual proxy variables (`HTTP_PROXY`,
//! `HTTPS_PROXY`) and reports a failing proxy as a proxy problem. The real binary runs with the
//! variables set and the key on standard input; the "proxy" is a loopback wiremock server, and
//! the target host is loopback too, so nothing leaves the machine even if the proxy were ignored.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs `check --key-stdin --json` against `base` through the proxy and returns its stdout.
fn run_child(base: &str, var: &str, proxy: &str) -> String {
    let key = format!(
        "sk-{}{}{}{}",
        "a1".repeat(10),
        "T3Blbk",
        "FJ",
        "b2".repeat(10)
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_aaai-key-setup"))
        .args(["check", "--key-stdin", "--json", "--timeout-secs", "10"])
        .env("OPENAI_BASE_URL", base)
        .env_remove("OPENAI_API_KEY")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env(var, proxy)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the CLI");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(key.as_bytes())
        .expect("write key");
    let out = child.wait_with_output().expect("CLI runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stdout.contains(&key) && !stderr.contains(&key),
        "the key was printed"
    );
    format!("{stdout}\n{stderr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_proxy_is_honoured() {
    let proxy = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(
                    json!({"object": "list", "data": [{"id": "gpt-4o-mini"}]}).to_string(),
                ),
        )
        .mount(&proxy)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("content-type", "application/json")
                .set_body_string(
                    json!({"error": {"message": "x", "type": "invalid_request_error", "param": null, "code": null}})
                        .to_string(),
                ),
        )
        .mount(&proxy)
        .await;
    // Nothing listens on 127.0.0.2:9: only the proxy can answer.
    let out = tokio::task::spawn_blocking({
        let uri = proxy.uri();
        move || run_child("http://127.0.0.2:9/v1", "HTTP_PROXY", &uri)
    })
    .await
    .expect("join");
    assert!(out.contains("\"verdict\":\"ready\""), "{out}");
    let seen = proxy.received_requests().await.expect("recording on");
    assert!(
        seen.iter().any(|r| r.url.path() == "/v1/models"),
        "{seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_proxy_refusing_the_tunnel_is_a_proxy_error() {
    // The stand-in proxy answers CONNECT with 404 (wiremock has no mock for it).
    let proxy = MockServer::start().await;
    let out = tokio::task::spawn_blocking({
        let uri = proxy.uri();
        move || run_child("https://localhost:9/v1", "HTTPS_PROXY", &uri)
    })
    .await
    .expect("join");
    assert!(out.contains("\"verdict\":\"network_error\""), "{out}");
    assert!(out.contains("proxy"), "{out}");
    let seen = proxy.received_requests().await.expect("recording on");
    assert!(!seen.is_empty(), "the proxy saw no request");
}
