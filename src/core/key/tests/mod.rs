//! Tests of the key scan: every wrapping a key comes in, every shape and problem, the words
//! shown, and the scan's limits (size cap, linear time, no panic on any input). Keys are made
//! up at run time; none is written out in the source.

mod found;
mod problems;
mod scale;

use super::test_keys::made_up;
use super::{KeyKind, ProblemReason, Recognition, ShapeProblem, scan};

pub(super) const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub(super) const URLSAFE: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
pub(super) const HEX: &[u8] = b"0123456789abcdef";

/// splitmix64: small, deterministic.
pub(super) struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn chars(&mut self, n: usize, charset: &[u8]) -> String {
        (0..n)
            .map(|_| char::from(charset[self.below(charset.len())]))
            .collect()
    }
}

/// A made-up key of OpenAI's shape: prefix, `head` characters, marker, `tail` characters.
pub(super) fn make_key(prefix: &str, head: usize, tail: usize, seed: u64) -> String {
    let charset = if prefix == "sk-" { ALNUM } else { URLSAFE };
    let mut rng = Rng(seed);
    let head = rng.chars(head, charset);
    made_up(prefix, &head, &rng.chars(tail, charset))
}

pub(super) fn rand_str(n: usize, charset: &[u8], seed: u64) -> String {
    Rng(seed).chars(n, charset)
}

#[derive(Debug)]
pub(super) enum Want {
    Key(KeyKind, String),
    Problem(ProblemReason),
    Nothing,
}

pub(super) fn check(name: &str, text: &str, want: &Want) {
    let got = scan(text);
    match (want, &got.result) {
        (Want::Key(kind, secret), Recognition::Key(k)) => {
            assert_eq!(k.expose_secret(), secret, "{name}: wrong key");
            assert_eq!(k.kind(), *kind, "{name}: wrong kind");
        }
        (Want::Problem(reason), Recognition::Problem(p)) => {
            assert_eq!(p.reason, *reason, "{name}: {p:?}");
        }
        (Want::Nothing, Recognition::Nothing) => {}
        _ => panic!("{name}: wanted {want:?}, got {got:?}"),
    }
    assert!(!got.truncated, "{name}");
    if let Want::Key(_, secret) = want {
        let shown = format!("{got:?} {:?}", got.result);
        assert!(!shown.contains(secret.as_str()), "{name}: secret in Debug");
        assert!(
            !shown.contains(&secret[8..24]),
            "{name}: part of secret in Debug"
        );
    }
}

pub(super) fn project() -> String {
    make_key("sk-proj-", 74, 74, 1)
}

/// The problem the scan names in `text`; fails the test when it finds a key or nothing.
pub(super) fn problem_in(text: &str) -> ShapeProblem {
    match scan(text).result {
        Recognition::Problem(p) => p,
        other => panic!("wanted a problem, got {other:?}"),
    }
}
