//! Finds an OpenAI secret key inside any pasted or copied text and says what it is, before any
//! network call.
//!
//! [`scan`] takes whatever the clipboard, the paste box or the command line holds (a bare key,
//! a `.env` line, a JSON snippet, a `Bearer` header, a sentence from a chat, a URL) and answers
//! with a [`Scan`]: a usable [`ApiKey`], a [`ShapeProblem`] that names what is wrong in plain
//! words (cut short, masked, a placeholder, another provider's key, an admin key), or nothing.
//!
//! How it reads the text:
//! - At most [`MAX_SCAN_BYTES`] are read; [`Scan::truncated`] tells when more was there.
//! - Invisible characters that web pages and chat apps add (zero-width spaces and joiners,
//!   word joiner, byte order mark, soft hyphen, direction marks) and non-breaking spaces are
//!   dropped: a key split by them is found whole. Where the text before them is already a
//!   whole key they end it, so a key glued to the next word by one is not lengthened.
//! - The text is cut into words at spaces, quotes, brackets and the usual punctuation
//!   (`=`, `&`, `?`, `:`, `,`, `/` …). Each word is checked against the known shapes: OpenAI
//!   keys carry the base64 of `OpenAI` in their middle and the part after it is at least as
//!   long as the part before it; no exact length is assumed.
//! - Every known shape has as many characters after the marker as before it; where a `-` or
//!   `_` and more follow a whole key (`$KEY--old`, `${KEY}_backup`), that is "extra characters
//!   after the key", not a longer key.
//! - The first usable OpenAI key wins. Without one, the most telling problem is reported.
//!
//! The parts: `secret` holds the key type and its masking; `scanner` cuts text into words
//! and runs of characters and collects the answer; `classify` says what one candidate is;
//! `problem` holds the problems and the words the user reads.
//!
//! Work is linear in the input size and nothing here panics on any input. The secret never
//! appears in a message, in `Debug` or in `Display` output: only masked forms (prefix and last
//! four characters) do.

mod classify;
mod problem;
mod scanner;
mod secret;
#[cfg(test)]
pub(crate) mod test_keys;
#[cfg(test)]
mod tests;

pub use problem::{ProblemReason, Provider, ShapeProblem};
pub use secret::{ApiKey, KeyKind};

pub(crate) use classify::MARKER;

/// The most text [`scan`] reads, in bytes (16 MiB): a key at the end of a big paste is still
/// found, and the scan is linear (a few tens of milliseconds for 5 MB in a release build).
/// Text beyond is ignored and [`Scan::truncated`] is set.
pub(crate) const MAX_SCAN_BYTES: usize = 16 << 20;

/// What was found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recognition {
    /// A usable OpenAI key (project, service account, legacy, no-owner).
    Key(ApiKey),
    /// Something key-like was found but cannot be used.
    Problem(ShapeProblem),
    /// Nothing key-like at all.
    Nothing,
}

impl Recognition {
    /// The key, when one was found.
    pub fn key(&self) -> Option<&ApiKey> {
        match self {
            Self::Key(k) => Some(k),
            _ => None,
        }
    }
}

/// The answer of [`scan`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    /// What was found.
    pub result: Recognition,
    /// The text was longer than [`MAX_SCAN_BYTES`]; the rest was not read.
    pub truncated: bool,
}

/// Finds and classifies an OpenAI secret key in any text. Reads at most [`MAX_SCAN_BYTES`].
pub fn scan(text: &str) -> Scan {
    let mut scan = scanner::scan_limited(text, MAX_SCAN_BYTES);
    // A key cut short may be a whole key broken by a space or line break: say so, and keep
    // the joined key to offer.
    if let Recognition::Problem(p) = &scan.result
        && p.reason == ProblemReason::CutShort
    {
        let limited = &text[..scanner::floor_char_boundary(text, MAX_SCAN_BYTES)];
        if let Some(joined) = scanner::broken_by_space(limited) {
            let mut problem = problem::broken_by_space(&joined);
            problem.joined = Some(joined);
            scan.result = Recognition::Problem(problem);
        }
    }
    scan
}
