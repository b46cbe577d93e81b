//! The property behind issue 10: no output of `check`, text or JSON, shares a 16-character run
//! with the key, whatever the server answers (statuses, error bodies, organization lists,
//! header values, waits) and whatever the environment holds. The readiness core is fed random
//! answers built from pieces of the key, honest names and noise; the environment side runs the
//! adapter's start-up checks on random base URLs. (The window side of this property is covered
//! with the window's own tests.)

#[path = "support/keys.rs"]
mod keys;
#[path = "support/rng.rs"]
mod rng;

use aaai_key_setup::adapters::net::{CheckConfig, run_check_blocking};
use aaai_key_setup::core::key::{self, ApiKey};
use aaai_key_setup::core::leak;
use aaai_key_setup::core::readiness::{
    Answer, CheckOptions, Probe, ReadinessCheck, TransportError,
};
use aaai_key_setup::core::report::{render_json, render_text};
use proptest::prelude::*;
use rng::Rng;
use serde_json::json;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// One of `items`.
fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

fn make_key(rng: &mut Rng) -> ApiKey {
    let (prefix, n) = [("sk-proj-", 58), ("sk-svcacct-", 74), ("sk-", 20)][rng.below(3)];
    let head = keys::chars(n, rng.next());
    let tail = keys::chars(n, rng.next());
    let text = keys::made_up(prefix, &head, &tail);
    key::scan(&text).result.key().cloned().expect("a key")
}

/// Characters that show as nothing, or turn text around, as a server could slip them into a
/// label: zero-width space, non-joiner and joiner, soft hyphen, word joiner, byte-order mark,
/// the bidi controls, the line and paragraph separators, a tag character, a variation
/// selector, the combining grapheme joiner.
const INVISIBLE: &[char] = &[
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{00AD}',
    '\u{2060}',
    '\u{FEFF}',
    '\u{202A}',
    '\u{202B}',
    '\u{202C}',
    '\u{202D}',
    '\u{202E}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{200E}',
    '\u{200F}',
    '\u{061C}',
    '\u{2028}',
    '\u{2029}',
    '\u{E0041}',
    '\u{FE0F}',
    '\u{034F}',
];

/// `text` with invisible characters slipped in at random (or not at all), from one to every
/// few characters apart.
fn with_invisibles(rng: &mut Rng, text: &str) -> String {
    if rng.below(2) == 0 {
        return text.to_owned();
    }
    let every = 1 + rng.below(7);
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (i % every == 0 || rng.below(10) == 0) {
            out.push(INVISIBLE[rng.below(INVISIBLE.len())]);
        }
        out.push(c);
    }
    out
}

/// `text` as a person reads it: without the characters [`with_invisibles`] slips in. The test's
/// own list, so that it does not trust the guard it tests.
fn as_seen(text: &str) -> String {
    text.chars().filter(|c| !INVISIBLE.contains(c)).collect()
}

/// A piece of text a response might carry: part of the key, an honest name, or noise, with
/// invisible characters slipped in or not.
fn piece(rng: &mut Rng, secret: &str) -> String {
    let plain = plain_piece(rng, secret);
    with_invisibles(rng, &plain)
}

fn plain_piece(rng: &mut Rng, secret: &str) -> String {
    match rng.below(6) {
        0 | 1 => {
            let len = 16 + rng.below(secret.len().saturating_sub(16));
            let start = rng.below(secret.len() - len + 1);
            secret[start..start + len].to_owned()
        }
        2 => secret.to_owned(),
        3 => pick(
            rng,
            &[
                "Task-Force",
                "desk-team",
                "Acme Publishing",
                "user-abc123",
                "proj_x",
            ],
        )
        .to_owned(),
        4 => format!("sk-{}", &secret[secret.len() / 2..]),
        _ => (0..rng.below(40))
            .map(|_| ALNUM[rng.below(ALNUM.len())] as char)
            .collect(),
    }
}

fn random_answer(rng: &mut Rng, secret: &str) -> Result<Answer, TransportError> {
    if rng.below(8) == 0 {
        return Err([
            TransportError::Timeout,
            TransportError::Tls,
            TransportError::Connect,
        ][rng.below(3)]);
    }
    let status = [200u16, 400, 401, 403, 404, 408, 429, 500, 503][rng.below(9)];
    let code = pick(
        rng,
        &[
            "invalid_api_key",
            "insufficient_quota",
            "billing_not_active",
            "billing_hard_limit_reached",
            "access_terminated",
            "model_not_found",
            "rate_limit_exceeded",
            "unsupported_value",
            "",
        ],
    );
    let body = match rng.below(4) {
        0 => json!({"object": "list", "data": [{"id": piece(rng, secret)}]}),
        1 => json!({"object": "user", "orgs": {"data": [
            {"id": "org-a", "name": piece(rng, secret), "title": piece(rng, secret), "is_default": true},
            {"id": "org-b", "name": piece(rng, secret), "title": piece(rng, secret), "is_default": false},
        ]}}),
        _ => json!({"error": {
            "message": format!("{} Missing scopes: {} must be verified {}", piece(rng, secret), piece(rng, secret), piece(rng, secret)),
            "type": pick(rng, &["invalid_request_error", "insufficient_quota", "requests"]),
            "code": code,
            "param": pick(rng, &["stream", "reasoning.summary", "size"]),
        }}),
    };
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    for name in [
        "openai-organization",
        "openai-project",
        "retry-after",
        "x-request-id",
    ] {
        if rng.below(2) == 0 {
            headers.push((name.to_owned(), piece(rng, secret)));
        }
    }
    Ok(Answer {
        status,
        headers,
        body: body.to_string(),
    })
}

fn assert_clean(text: &str, secret: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !leak::shares_run(&as_seen(text), secret, leak::RUN),
        "a 16-character run of the key, as a person reads it, in: {:?}",
        text
    );
    Ok(())
}

/// Nothing that turns text around or hides in it reaches the output.
fn assert_no_invisibles(text: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !text.chars().any(|c| INVISIBLE.contains(&c)),
        "an invisible or bidi character in: {:?}",
        text
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_check_output_shares_a_run_with_the_key(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let key = make_key(&mut rng);
        let secret = key.expose_secret().to_owned();
        let mut check = ReadinessCheck::new(CheckOptions {
            verification: rng.below(2) == 0,
            paid_probe_consent: rng.below(2) == 0,
            ..CheckOptions::for_key(&key)
        });
        let mut rounds = 0;
        while !check.is_finished() && rounds < 5 {
            let batch: Vec<Probe> = check.take_ready();
            for p in batch {
                let a = random_answer(&mut rng, &secret);
                check.feed(p, a);
            }
            rounds += 1;
        }
        if !check.is_finished() {
            check.give_up(TransportError::Timeout);
        }
        let report = check.report();
        assert_clean(&render_text(&report), &secret)?;
        assert_clean(&render_json(&report).to_string(), &secret)?;
        assert_clean(&format!("{report:?}"), &secret)?;
        assert_no_invisibles(&render_text(&report))?;
        assert_no_invisibles(&render_json(&report).to_string())?;
    }

    #[test]
    fn no_start_up_error_repeats_the_key_from_the_environment(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let key = make_key(&mut rng);
        let secret = key.expose_secret().to_owned();
        let p = piece(&mut rng, &secret);
        let base = match rng.below(5) {
            0 => p,
            1 => format!("https://{p}/v1"),
            2 => format!("http://example.com/{p}"),
            3 => format!("http://{p}:8080/v1"),
            _ => format!("{p}://x/v1"),
        };
        let config = CheckConfig::from_lookup(|name| match name {
            "OPENAI_BASE_URL" => Some(base.clone()),
            "OPENAI_ORG_ID" | "OPENAI_PROJECT_ID" => Some(secret.clone()),
            _ => None,
        });
        match config.validated_base_url() {
            Err(e) => assert_clean(&e.to_string(), &secret)?,
            Ok(_) if leak::shares_run(&base, &secret, leak::RUN) => {
                // Refused before any request is made.
                let e = run_check_blocking(&key, &config).expect_err("refused");
                assert_clean(&e.to_string(), &secret)?;
            }
            Ok(_) => {}
        }
    }
}
