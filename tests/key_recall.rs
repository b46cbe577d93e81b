//! Recall of `scan` against the public detector regexes (gitleaks, TruffleHog) on made-up keys
//! of every known OpenAI shape, and look-alikes that must not pass for OpenAI keys.
//! Run with `cargo test --test recall -- --nocapture` to see the table.

#[path = "support/keys.rs"]
mod keys;
#[path = "support/rng.rs"]
mod rng;

use aaai_key_setup::core::key::{KeyKind, ProblemReason, Provider, Recognition, scan};
use regex::Regex;
use rng::Rng;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const HEX: &[u8] = b"0123456789abcdef";
const NAME: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const N: u64 = 200;

/// gitleaks `openai-api-key`, as published by the project (marker spliced in).
fn gitleaks() -> Regex {
    let m = keys::marker();
    let re = format!(
        r"sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{{74}}|[A-Za-z0-9_-]{{58}}){m}(?:[A-Za-z0-9_-]{{74}}|[A-Za-z0-9_-]{{58}})\b|sk-[a-zA-Z0-9]{{20}}{m}[a-zA-Z0-9]{{20}}"
    );
    Regex::new(&re).expect("gitleaks regex")
}

/// TruffleHog's openai detector, as published by the project (marker spliced in).
fn trufflehog() -> Regex {
    let m = keys::marker();
    let re = format!(
        r"\b(sk-(?:(?:proj|svcacct|service)-[A-Za-z0-9_-]+|[a-zA-Z0-9]+){m}[A-Za-z0-9_-]+)\b"
    );
    Regex::new(&re).expect("trufflehog regex")
}

/// `n` characters drawn from `charset`.
fn chars(rng: &mut Rng, n: usize, charset: &[u8]) -> String {
    (0..n)
        .map(|_| char::from(charset[rng.below(charset.len())]))
        .collect()
}

/// A made-up key: prefix, `head` characters, marker, `tail` characters. Half the keys use
/// letters and digits only, half also `_` and `-`.
fn make_key(rng: &mut Rng, prefix: &str, head: usize, tail: usize) -> String {
    let (head, tail) = if rng.below(2) == 0 {
        (keys::chars(head, rng.next()), keys::chars(tail, rng.next()))
    } else {
        (chars(rng, head, URLSAFE), chars(rng, tail, URLSAFE))
    };
    keys::made_up(prefix, &head, &tail)
}

/// An early service-account name: lowercase letters, digits and dashes.
fn service_name(rng: &mut Rng) -> String {
    const RESERVED: [&str; 6] = ["ant", "or", "lf", "admin", "proj", "svcacct"];
    loop {
        let parts = 1 + rng.below(3);
        let name: Vec<String> = (0..parts)
            .map(|_| {
                let n = 2 + rng.below(8);
                chars(rng, n, NAME)
            })
            .collect();
        if !RESERVED.contains(&name[0].as_str()) {
            return name.join("-");
        }
    }
}

type Maker = fn(&mut Rng) -> String;

fn shapes() -> Vec<(&'static str, Option<KeyKind>, Maker)> {
    vec![
        ("legacy 51", Some(KeyKind::Legacy), |r| {
            make_key(r, "sk-", 20, 20)
        }),
        ("sk-None 56", Some(KeyKind::NoOwner), |r| {
            make_key(r, "sk-None-", 20, 20)
        }),
        ("early proj 56", Some(KeyKind::Project), |r| {
            make_key(r, "sk-proj-", 20, 20)
        }),
        ("proj 132", Some(KeyKind::Project), |r| {
            make_key(r, "sk-proj-", 58, 58)
        }),
        ("proj 164", Some(KeyKind::Project), |r| {
            make_key(r, "sk-proj-", 74, 74)
        }),
        ("proj 172", Some(KeyKind::Project), |r| {
            make_key(r, "sk-proj-", 78, 78)
        }),
        ("svcacct 135", Some(KeyKind::ServiceAccount), |r| {
            make_key(r, "sk-svcacct-", 58, 58)
        }),
        ("svcacct 167", Some(KeyKind::ServiceAccount), |r| {
            make_key(r, "sk-svcacct-", 74, 74)
        }),
        ("early svcacct", Some(KeyKind::ServiceAccount), |r| {
            let name = service_name(r);
            let half = [20, 58, 74][r.below(3)];
            make_key(r, &format!("sk-{name}-"), half, half)
        }),
        ("admin 133", None, |r| make_key(r, "sk-admin-", 58, 58)),
    ]
}

fn whole_match(re: &Regex, key: &str) -> bool {
    re.captures_iter(key).any(|c| {
        c.get(1)
            .or_else(|| c.get(0))
            .is_some_and(|m| m.as_str() == key)
    })
}

#[test]
fn recall_against_public_detectors() {
    let (gl, th) = (gitleaks(), trufflehog());
    let mut rng = Rng(0x5EED);
    println!();
    println!("| shape | n | gitleaks | trufflehog | scan | scan kind right |");
    println!("|---|---|---|---|---|---|");
    let mut failures = Vec::new();
    for (name, kind, make) in shapes() {
        let (mut g, mut t, mut s, mut k) = (0, 0, 0, 0);
        for _ in 0..N {
            let key = make(&mut rng);
            g += u64::from(whole_match(&gl, &key));
            t += u64::from(whole_match(&th, &key));
            let result = scan(&key).result;
            let (found, kind_right) = match (&result, kind) {
                (Recognition::Key(found), Some(kind)) => {
                    (found.expose_secret() == key, found.kind() == kind)
                }
                (Recognition::Problem(p), None) => {
                    let admin = p.reason == ProblemReason::Admin;
                    (admin, admin)
                }
                _ => (false, false),
            };
            s += u64::from(found);
            k += u64::from(kind_right);
            if !found {
                failures.push(format!("{name}: {result:?}"));
            }
        }
        let pct = |x: u64| format!("{x}/{N} ({:.1}%)", 100.0 * x as f64 / N as f64);
        println!(
            "| {name} | {N} | {} | {} | {} | {} |",
            pct(g),
            pct(t),
            pct(s),
            pct(k)
        );
        // The public detectors are the bar: the scan finds every key either of them finds.
        assert!(
            s >= g && s >= t,
            "{name}: scan {s}, gitleaks {g}, trufflehog {t}"
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn look_alikes_are_never_openai_keys() {
    let (gl, th) = (gitleaks(), trufflehog());
    let mut rng = Rng(0xA11CE);
    let makers: Vec<(Provider, Maker)> = vec![
        (Provider::Anthropic, |r| {
            format!("sk-ant-api03-{}AA", chars(r, 93, URLSAFE))
        }),
        (Provider::Anthropic, |r| {
            format!("sk-ant-admin01-{}AA", chars(r, 91, URLSAFE))
        }),
        (Provider::OpenRouter, |r| {
            format!("sk-or-v1-{}", chars(r, 64, HEX))
        }),
        (Provider::DeepSeek, |r| format!("sk-{}", chars(r, 32, HEX))),
        (Provider::UnknownSk48, |r| {
            format!("sk-{}", chars(r, 48, ALNUM))
        }),
        (Provider::Langfuse, |r| {
            format!(
                "sk-lf-{}-{}-{}-{}-{}",
                chars(r, 8, HEX),
                chars(r, 4, HEX),
                chars(r, 4, HEX),
                chars(r, 4, HEX),
                chars(r, 12, HEX)
            )
        }),
        (Provider::Stripe, |r| {
            format!("sk_live_{}", chars(r, 99, ALNUM))
        }),
        (Provider::Stripe, |r| {
            format!("sk_test_{}", chars(r, 99, ALNUM))
        }),
        (Provider::Stripe, |r| {
            format!("rk_live_{}", chars(r, 99, ALNUM))
        }),
        (Provider::Groq, |r| format!("gsk_{}", chars(r, 52, ALNUM))),
        (Provider::Xai, |r| format!("xai-{}", chars(r, 80, ALNUM))),
        (Provider::Perplexity, |r| {
            format!("pplx-{}", chars(r, 48, ALNUM))
        }),
    ];
    println!();
    println!("| look-alike | n | named right | taken as OpenAI key | regex hits |");
    println!("|---|---|---|---|---|");
    for (provider, make) in makers {
        let (mut named, mut taken, mut hits) = (0, 0, 0);
        for _ in 0..N {
            let key = make(&mut rng);
            let text = format!("OPENAI_API_KEY=\"{key}\"\n");
            match scan(&text).result {
                Recognition::Key(_) => taken += 1,
                Recognition::Problem(p) if p.reason == ProblemReason::WrongProvider(provider) => {
                    named += 1;
                }
                _ => {}
            }
            hits += u64::from(gl.is_match(&key) || th.is_match(&key));
        }
        println!("| {provider:?} | {N} | {named} | {taken} | {hits} |");
        assert_eq!(taken, 0, "{provider:?} taken for an OpenAI key");
        assert_eq!(named, N, "{provider:?} not named");
    }
}
