//! The scan's limits: the size cap, linear time on big inputs, and no panic on any input.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::{ALNUM, Rng, URLSAFE, make_key, project};
use crate::core::key::MARKER;
use crate::core::key::scanner::{floor_char_boundary, scan_limited};
use crate::core::key::{ApiKey, MAX_SCAN_BYTES, Recognition, Scan, scan};

#[test]
fn cap_and_truncation() {
    let p = project();
    let mut text = format!("{p}\n");
    text.push_str(&"word ".repeat(MAX_SCAN_BYTES / 4));
    let got = scan(&text);
    assert!(got.truncated);
    assert_eq!(
        got.result.key().map(ApiKey::expose_secret),
        Some(p.as_str())
    );

    let late = format!("{}{p}", " ".repeat(MAX_SCAN_BYTES));
    let got = scan(&late);
    assert!(got.truncated);
    assert_eq!(got.result, Recognition::Nothing);

    // The cap falls inside a multi-byte character.
    for pad in 0..4 {
        let text = format!("{}{}", "a".repeat(pad), "é€😀".repeat(MAX_SCAN_BYTES / 5));
        let got = scan(&text);
        assert!(got.truncated);
        assert_eq!(got.result, Recognition::Nothing);
    }
    let exact = "a".repeat(MAX_SCAN_BYTES);
    assert!(!scan(&exact).truncated);

    // A key at the end of a big paste, well within the cap, is found.
    let mut big = "lorem ipsum sk- proj- … ".repeat((5 << 20) / 24);
    big.push_str(&p);
    let got = scan(&big);
    assert!(!got.truncated);
    assert_eq!(
        got.result.key().map(ApiKey::expose_secret),
        Some(p.as_str())
    );
    const { assert!(MAX_SCAN_BYTES >= 16 << 20) };
}

fn time<F: FnMut()>(mut f: F) -> Duration {
    (0..2)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn random_text(len: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let pieces = [
        " ", "\n", "sk-", "proj-", "the ", "é", "…", "*", ".", "\u{a0}", "\u{200b}", "\"", "=",
        "–", "T3Bl", "FJ", "_", "-", "😀",
    ];
    let mut s = String::with_capacity(len + 16);
    while s.len() < len {
        if rng.below(3) == 0 {
            s.push_str(pieces[rng.below(pieces.len())]);
        } else {
            let n = rng.below(12);
            s.push_str(&rng.chars(n, URLSAFE));
        }
    }
    s
}

fn fragments_text(len: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let m = MARKER;
    let mut s = String::with_capacity(len + 200);
    while s.len() < len {
        match rng.below(6) {
            0 => s.push_str("sk-sk-sk-sk-sk-"),
            1 => {
                s.push_str("sk-proj-");
                s.push_str(&rng.chars(30, ALNUM));
                s.push_str(m);
                s.push(' ');
            }
            2 => s.push_str("sk-a1\u{a0}sk-b2–sk-"),
            3 => s.push_str("sk-abc****…"),
            4 => {
                s.push_str("sk-");
                s.push_str(&rng.chars(20, ALNUM));
                s.push(' ');
            }
            _ => s.push_str(m),
        }
    }
    s
}

#[test]
fn big_inputs_scan_in_linear_time() {
    let five = 5 * 1024 * 1024;
    for (name, text) in [
        ("random", random_text(2 * five, 1)),
        ("sk fragments", fragments_text(2 * five, 2)),
        ("one long token", "sk-".repeat(2 * five / 3)),
    ] {
        let half = &text[..floor_char_boundary(&text, five)];
        // Both sizes are under the cap: the whole text is scanned each time.
        assert!(!scan(&text).truncated, "{name}");
        let t5 = time(|| {
            let _ = scan(half);
        });
        let t10 = time(|| {
            let _ = scan(&text);
        });
        assert!(
            scan(&text).result.key().is_none(),
            "{name}: the timing needs no key"
        );
        println!("{name}: 5 MB {t5:?}, 10 MB {t10:?}");
        assert!(t10.as_secs_f64() < 4.0 * t5.as_secs_f64() + 0.05, "{name}");

        // Without the cap, eight times the text takes about eight times as long (a
        // quadratic scan would take 64 times). Speed itself is the benchmark's business.
        let small = &text[..floor_char_boundary(&text, 256 << 10)];
        let large = &text[..floor_char_boundary(&text, 2 << 20)];
        let ts = time(|| {
            let _ = scan_limited(small, usize::MAX);
        });
        let tl = time(|| {
            let _ = scan_limited(large, usize::MAX);
        });
        println!("{name}: uncapped 256 KiB {ts:?}, 2 MiB {tl:?}");
        assert!(tl.as_secs_f64() < 24.0 * ts.as_secs_f64() + 0.05, "{name}");
    }
}

fn check_result(text: &str, got: &Scan) -> Result<(), TestCaseError> {
    let shown = format!("{got:?}");
    if let Recognition::Key(k) = &got.result {
        let secret = k.expose_secret();
        prop_assert!(secret.starts_with("sk-"));
        prop_assert!(secret.contains(MARKER));
        prop_assert!(!shown.contains(secret));
    }
    if let Recognition::Problem(p) = &got.result {
        prop_assert!(!p.message.is_empty());
    }
    prop_assert_eq!(got.truncated, text.len() > MAX_SCAN_BYTES);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..65_536)) {
        let text = String::from_utf8_lossy(&bytes);
        let got = scan(&text);
        check_result(&text, &got)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn key_like_soup_never_panics(parts in proptest::collection::vec(0usize..24, 0..400), seed in any::<u64>()) {
        let key = make_key("sk-proj-", 58, 58, seed);
        let m = MARKER;
        let pieces = [
            "sk-", "proj-", "admin-", "None-", m, "T3Bl", "abcdEF12", "-", "_", "*",
            "…", ".", "...", " ", "\u{a0}", "\u{200b}", "–", "é", "\"", "=", "\r\n",
            key.as_str(), "gsk_", "xx",
        ];
        let text: String = parts.iter().map(|&i| pieces[i]).collect();
        let got = scan(&text);
        check_result(&text, &got)?;
    }

    #[test]
    fn any_key_in_any_wrapping_is_found(
        seed in any::<u64>(),
        shape in 0usize..6,
        before in 0usize..10,
        after in 0usize..10,
        junk in "[a-zA-Z ]{0,40}",
    ) {
        let key = match shape {
            0 => make_key("sk-", 20, 20, seed),
            1 => make_key("sk-None-", 20, 20, seed),
            2 => make_key("sk-proj-", 58, 58, seed),
            3 => make_key("sk-proj-", 74, 74, seed),
            4 => make_key("sk-svcacct-", 74, 74, seed),
            _ => make_key("sk-team-x-", 58, 58, seed),
        };
        let opens = [" ", "\"", "'", "Bearer ", "OPENAI_API_KEY=", "?key=", "\u{feff}", "“", "\n", "(", ];
        let closes = [" ", "\"", "'", "\r\n", "&x=1", ". ", ", ", "”", "\u{200b}", ")"];
        let text = format!("{junk}{}{key}{}{junk}", opens[before], closes[after]);
        let got = scan(&text);
        prop_assert_eq!(got.result.key().map(ApiKey::expose_secret), Some(key.as_str()));
    }
}
