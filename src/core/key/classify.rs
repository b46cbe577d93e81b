//! What one run of key characters is, taken whole: a usable key of some [`KeyKind`], a
//! problem still without its words ([`Draft`]), or nothing key-like. The known shapes:
//! OpenAI keys carry the base64 of `OpenAI` in their middle, with at least as many
//! characters after it as before; other services' keys are known by their prefixes.

use zeroize::Zeroizing;

use super::problem::{ProblemReason, Provider};
use super::secret::{KeyKind, last_chars};

/// The base64 of `OpenAI`, found in the middle of every OpenAI secret key. Split so that secret
/// scanners do not take this source for a key.
pub(crate) const MARKER: &str = concat!("T3Blbk", "FJ");

/// Runs of key characters longer than this are not taken for a key (real keys are < 200).
pub(super) const MAX_TOKEN_BYTES: usize = 1024;

/// Each half of a key (before and after the marker) has at least this many characters.
const MIN_HALF: usize = 16;

/// Prefixes of the usable OpenAI kinds that carry their kind in the prefix.
const KIND_PREFIXES: [(&str, KeyKind); 3] = [
    ("sk-proj-", KeyKind::Project),
    ("sk-svcacct-", KeyKind::ServiceAccount),
    ("sk-None-", KeyKind::NoOwner),
];

pub(super) const ADMIN_PREFIX: &str = "sk-admin-";

/// Prefixes of other providers' keys, with the least body length that makes them key-like.
const LOOKALIKES: [(&str, Provider, usize); 11] = [
    ("sk-ant-", Provider::Anthropic, 16),
    ("sk-or-", Provider::OpenRouter, 16),
    ("sk-lf-", Provider::Langfuse, 16),
    ("pk-lf-", Provider::Langfuse, 16),
    ("sk_live_", Provider::Stripe, 8),
    ("sk_test_", Provider::Stripe, 8),
    ("rk_live_", Provider::Stripe, 8),
    ("rk_test_", Provider::Stripe, 8),
    ("gsk_", Provider::Groq, 16),
    ("xai-", Provider::Xai, 16),
    ("pplx-", Provider::Perplexity, 16),
];

/// What one run of key characters is.
pub(super) enum Class {
    Key(KeyKind),
    Problem(Draft),
}

/// A problem before its words are written.
#[derive(Debug)]
pub(super) struct Draft {
    pub(super) reason: ProblemReason,
    pub(super) masked: Option<String>,
    /// Surely meant as an OpenAI key (kind prefix or marker present).
    pub(super) strong: bool,
    /// The beginning is missing (only for [`ProblemReason::CutShort`]).
    pub(super) start_missing: bool,
}

impl Draft {
    pub(super) fn new(reason: ProblemReason, masked: Option<String>) -> Self {
        Self {
            reason,
            masked,
            strong: true,
            start_missing: false,
        }
    }

    fn weak(mut self) -> Self {
        self.strong = false;
        self
    }

    /// How telling the problem is; the highest is reported.
    pub(super) fn score(&self) -> u8 {
        match self.reason {
            ProblemReason::Admin => 100,
            ProblemReason::BadCharacters => 90,
            ProblemReason::ExtraCharacters => 85,
            ProblemReason::BrokenBySpace => 95,
            ProblemReason::CutShort if self.strong => 80,
            ProblemReason::Masked => 70,
            ProblemReason::WrongProvider(Provider::UnknownSk48) => 50,
            ProblemReason::WrongProvider(_) => 60,
            ProblemReason::CutShort => 40,
            ProblemReason::Unrecognized if self.strong => 35,
            ProblemReason::Unrecognized => 30,
            ProblemReason::Placeholder => 20,
        }
    }
}

#[derive(Clone, Copy)]
pub(super) enum Prefix {
    Lookalike(Provider, usize),
    Admin,
    OpenAi(usize),
}

impl Prefix {
    pub(super) fn len(self) -> usize {
        match self {
            Self::Lookalike(_, n) | Self::OpenAi(n) => n,
            Self::Admin => ADMIN_PREFIX.len(),
        }
    }
}

pub(super) fn prefix_info(tok: &str) -> Option<Prefix> {
    if let Some((p, provider, _)) = LOOKALIKES.iter().find(|(p, _, _)| tok.starts_with(p)) {
        return Some(Prefix::Lookalike(*provider, p.len()));
    }
    if tok.starts_with(ADMIN_PREFIX) {
        return Some(Prefix::Admin);
    }
    if let Some((p, _)) = KIND_PREFIXES.iter().find(|(p, _)| tok.starts_with(p)) {
        return Some(Prefix::OpenAi(p.len()));
    }
    tok.starts_with("sk-").then_some(Prefix::OpenAi(3))
}

pub(super) fn has_kind_prefix(tok: &str) -> bool {
    tok.starts_with(ADMIN_PREFIX) || KIND_PREFIXES.iter().any(|(p, _)| tok.starts_with(p))
}

fn masked_parts(prefix: &str, rest: &str) -> Option<String> {
    Some(format!("{prefix}…{}", last_chars(rest, 4)))
}

/// Classifies one run of key characters taken whole; `None` when it is not key-like.
pub(super) fn classify(tok: &str) -> Option<Class> {
    if tok.len() > MAX_TOKEN_BYTES {
        return None;
    }
    if let Some((p, provider, min)) = LOOKALIKES.iter().find(|(p, _, _)| tok.starts_with(p)) {
        let body = &tok[p.len()..];
        return (body.len() >= *min).then(|| {
            Class::Problem(Draft::new(
                ProblemReason::WrongProvider(*provider),
                masked_parts(p, body),
            ))
        });
    }
    if let Some(rest) = tok.strip_prefix(ADMIN_PREFIX) {
        return (rest.len() >= 4).then(|| {
            Class::Problem(Draft::new(
                ProblemReason::Admin,
                masked_parts(ADMIN_PREFIX, rest),
            ))
        });
    }
    if let Some((prefix, kind)) = KIND_PREFIXES.iter().find(|(p, _)| tok.starts_with(p)) {
        return classify_typed(prefix, &tok[prefix.len()..], *kind);
    }
    if let Some(body) = tok.strip_prefix("sk-") {
        return classify_bare(body);
    }
    classify_other(tok)
}

/// After `sk-proj-`, `sk-svcacct-` or `sk-None-`.
fn classify_typed(prefix: &str, rest: &str, kind: KeyKind) -> Option<Class> {
    if rest.len() < 4 {
        return None;
    }
    let problem = |reason| {
        Some(Class::Problem(Draft::new(
            reason,
            masked_parts(prefix, rest),
        )))
    };
    let Some(m) = rest.find(MARKER) else {
        if is_placeholder_body(rest) {
            return Some(Class::Problem(Draft::new(ProblemReason::Placeholder, None)));
        }
        return problem(if rest.len() < 100 {
            ProblemReason::CutShort
        } else {
            ProblemReason::Unrecognized
        });
    };
    let head = &rest[..m];
    let tail = &rest[m + MARKER.len()..];
    if tail.contains(MARKER) || head.len() < MIN_HALF {
        problem(ProblemReason::Unrecognized)
    } else if tail.len() < head.len() {
        problem(ProblemReason::CutShort)
    } else if extra_after(head.len(), tail) {
        let key_part = &rest[..m + MARKER.len() + head.len()];
        Some(Class::Problem(extra_characters(prefix, key_part)))
    } else {
        Some(Class::Key(kind))
    }
}

/// Whether `tail` (the part after the marker) holds a whole key's tail of `len` characters
/// followed by `-` or `_` and more. Every known shape has as many characters after the marker as
/// before it (20, 58, 74 …), so this is where the key ends and the rest is something glued on:
/// `$KEY--old`, `${KEY}_backup`, a numbered copy `-2`. A longer tail that simply goes on with
/// letters and digits is still taken whole, since no exact length is assumed.
fn extra_after(len: usize, tail: &str) -> bool {
    tail.len() > len && matches!(tail.as_bytes().get(len), Some(b'-' | b'_'))
}

fn extra_characters(prefix: &str, key_part: &str) -> Draft {
    Draft::new(
        ProblemReason::ExtraCharacters,
        masked_parts(prefix, key_part),
    )
}

/// After a bare `sk-`: legacy keys, the early `sk-<name>-` service accounts and look-alikes.
fn classify_bare(body: &str) -> Option<Class> {
    if body.is_empty() {
        return None;
    }
    let problem = |reason| Draft::new(reason, masked_parts("sk-", body));
    if let Some(m) = body.find(MARKER) {
        let head_full = &body[..m];
        let tail = &body[m + MARKER.len()..];
        if tail.contains(MARKER) || head_full.len() < MIN_HALF {
            return Some(Class::Problem(problem(ProblemReason::Unrecognized)));
        }
        let (kind, head) = split_name(head_full);
        let random = |s: &str| {
            s.bytes()
                .any(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        };
        if !random(head) {
            return Some(Class::Problem(problem(ProblemReason::Unrecognized)));
        }
        if tail.len() >= head.len() && tail.len() >= MIN_HALF {
            // Where the early service-account name ends is a guess (a head may hold dashes
            // too): a tail as long as the head after any possible name is whole; extra
            // characters only when none fits and one ends where a `-` or `_` follows.
            let heads = || head_lengths(head_full);
            if !heads().any(|n| n == tail.len())
                && let Some(n) = heads().find(|&n| extra_after(n, tail))
            {
                let key_part = &body[..m + MARKER.len() + n];
                return Some(Class::Problem(extra_characters("sk-", key_part)));
            }
            return Some(Class::Key(kind));
        }
        return Some(Class::Problem(problem(ProblemReason::CutShort)));
    }
    let bytes = body.as_bytes();
    if bytes.len() == 32 && bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Some(Class::Problem(problem(ProblemReason::WrongProvider(
            Provider::DeepSeek,
        ))));
    }
    if bytes.len() == 48 && bytes.iter().all(u8::is_ascii_alphanumeric) {
        return Some(Class::Problem(problem(ProblemReason::WrongProvider(
            Provider::UnknownSk48,
        ))));
    }
    if is_placeholder_body(body) {
        return Some(Class::Problem(Draft::new(ProblemReason::Placeholder, None)));
    }
    let random_looking = bytes
        .iter()
        .any(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if bytes.len() < 8 || !random_looking {
        // Prose such as "sk-learn".
        return None;
    }
    Some(Class::Problem(
        problem(if bytes.len() < 48 {
            ProblemReason::CutShort
        } else {
            ProblemReason::Unrecognized
        })
        .weak(),
    ))
}

/// Splits the early service-account form `<name>-<head>`; the name is lowercase letters,
/// digits and dashes. Takes the longest possible name, which makes the head shortest.
fn split_name(head_full: &str) -> (KeyKind, &str) {
    let mut name_end = None;
    for (i, b) in head_full.bytes().enumerate() {
        match b {
            b'-' if i > 0 => name_end = Some(i),
            b'-' => break,
            b'a'..=b'z' | b'0'..=b'9' => {}
            _ => break,
        }
    }
    match name_end {
        Some(i) => (KeyKind::ServiceAccount, &head_full[i + 1..]),
        None => (KeyKind::Legacy, head_full),
    }
}

/// The lengths the head may have after `sk-`: all of it (a legacy key), or what follows each
/// dash that can end an early service-account name (lowercase letters, digits and dashes).
fn head_lengths(head_full: &str) -> impl Iterator<Item = usize> + '_ {
    let name_dashes = head_full
        .bytes()
        .enumerate()
        .take_while(|&(i, b)| matches!(b, b'a'..=b'z' | b'0'..=b'9') || (b == b'-' && i > 0))
        .filter(|&(_, b)| b == b'-')
        .map(|(i, _)| head_full.len() - i - 1);
    std::iter::once(head_full.len()).chain(name_dashes)
}

/// A run that does not start with `sk-`: placeholders and keys whose beginning is missing.
fn classify_other(tok: &str) -> Option<Class> {
    if is_placeholder_word(tok) {
        return Some(Class::Problem(Draft::new(ProblemReason::Placeholder, None)));
    }
    if tok.len() >= 2 * MIN_HALF && tok.contains(MARKER) {
        let mut d = Draft::new(ProblemReason::CutShort, masked_parts("", tok));
        d.start_missing = true;
        return Some(Class::Problem(d));
    }
    None
}

/// Text after `sk-` that reads like an example value: `your-key-here`, `xxxxxxxx`, `1234…`.
pub(super) fn is_placeholder_body(body: &str) -> bool {
    const HINTS: [&str; 14] = [
        "your",
        "here",
        "xxx",
        "placeholder",
        "example",
        "insert",
        "replace",
        "enter",
        "paste",
        "dummy",
        "fake",
        "redacted",
        "123456",
        "abcdef",
    ];
    let lower = Zeroizing::new(body.to_ascii_lowercase());
    if HINTS.iter().any(|h| lower.contains(h)) {
        return true;
    }
    let mut bytes = lower.bytes();
    let same = bytes
        .next()
        .is_some_and(|first| lower.len() >= 4 && bytes.all(|b| b == first));
    let wordy = lower
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_');
    same || (wordy && ["key", "secret", "token"].iter().any(|w| lower.contains(w)))
}

/// A whole word such as `ENTER_YOUR_KEY_HERE`, `your-api-key` or `YOUR_OPENAI_API_KEY`.
fn is_placeholder_word(tok: &str) -> bool {
    let words = || tok.split(['-', '_']).filter(|w| !w.is_empty());
    let is = |w: &str, list: &[&str]| list.iter().any(|l| w.eq_ignore_ascii_case(l));
    let hint = words().any(|w| {
        is(
            w,
            &[
                "your",
                "here",
                "enter",
                "insert",
                "paste",
                "replace",
                "placeholder",
            ],
        )
    });
    let subject = words().any(|w| {
        is(w, &["key", "apikey", "token", "secret"])
            || (w.len() > 3 && w[w.len() - 3..].eq_ignore_ascii_case("key"))
    });
    hint && subject
}
