//! `aaai-key-setup check` and the usual proxy variables. The real binary runs with the variables
//! set and the key on standard input; the "proxy" is a loopback wiremock server that records
//! what it receives. Two rules: a check of this computer (a loopback base URL) never goes
//! through a proxy, so a plain-http proxy never sees the key; and a proxy used for OpenAI sees
//! only the tunnel request, never the Authorization header. Nothing leaves the machine.

mod openai_mock;
#[path = "openai_mock/paying.rs"]
mod paying;

use std::io::Write as _;
use std::process::{Command, Stdio};

use openai_mock::key_of;
use paying::mount_paying_account;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Runs `check --key-stdin --json` against `base` with `var=proxy` and returns its output.
fn run_child(base: &str, var: &str, proxy: &str) -> String {
    let key = key_of("sk-", 20, 1);
    let secret = key.expose_secret();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aaai-key-setup"));
    cmd.args(["check", "--key-stdin", "--json", "--timeout-secs", "10"])
        .env("OPENAI_BASE_URL", base)
        .env_remove("OPENAI_API_KEY")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for v in PROXY_VARS {
        cmd.env_remove(v);
    }
    let mut child = cmd
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
        .write_all(secret.as_bytes())
        .expect("write key");
    let out = child.wait_with_output().expect("CLI runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stdout.contains(secret) && !stderr.contains(secret),
        "the key was printed"
    );
    format!("{stdout}\n{stderr}")
}

/// A stand-in proxy that would answer every request as a paying account would, so that a
/// check going through it would look fine: only its request log tells.
async fn recording_proxy() -> MockServer {
    let proxy = MockServer::start().await;
    mount_paying_account(&proxy).await;
    proxy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_never_goes_through_a_proxy() {
    let target = MockServer::start().await;
    mount_paying_account(&target).await;
    for var in PROXY_VARS {
        let proxy = recording_proxy().await;
        let out = tokio::task::spawn_blocking({
            let (base, uri) = (format!("{}/v1", target.uri()), proxy.uri());
            move || run_child(&base, var, &uri)
        })
        .await
        .expect("join");
        assert!(out.contains("\"verdict\":\"ready\""), "{var}: {out}");
        let seen = proxy.received_requests().await.expect("recording on");
        assert!(
            seen.is_empty(),
            "{var}: the proxy saw {} request(s), the key among them",
            seen.len()
        );
    }
    assert!(!target.received_requests().await.expect("on").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_for_openai_sees_only_the_tunnel_and_a_refusal_is_a_proxy_error() {
    for var in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        // The stand-in proxy answers CONNECT with 404 (no mock matches it).
        let proxy = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(404))
            .mount(&proxy)
            .await;
        let out = tokio::task::spawn_blocking({
            let uri = proxy.uri();
            move || run_child("https://api.openai.com/v1", var, &uri)
        })
        .await
        .expect("join");
        assert!(
            out.contains("\"verdict\":\"network_error\""),
            "{var}: {out}"
        );
        assert!(out.contains("proxy"), "{var}: {out}");
        let seen = proxy.received_requests().await.expect("recording on");
        assert!(!seen.is_empty(), "{var}: the proxy saw no request");
        for r in &seen {
            assert!(
                r.headers.get("authorization").is_none(),
                "{var}: the proxy saw the Authorization header"
            );
        }
    }
}
