//! Keys for the crate's unit tests, made up at run time from parts (a prefix, characters, the
//! marker, characters), so that no source file holds a string shaped like a real key.

use super::classify::MARKER;
use super::{ApiKey, Recognition, scan};

/// A made-up key of OpenAI's shape: `prefix`, `head`, the marker, `tail`.
pub(crate) fn made_up(prefix: &str, head: &str, tail: &str) -> String {
    format!("{prefix}{head}{MARKER}{tail}")
}

/// A project key, for tests where any well-formed key will do.
pub(crate) fn project_key() -> String {
    made_up("sk-proj-", &"Qw3rTy".repeat(12), &"Zx8cVb".repeat(12))
}

/// The key the scan recognises in `text`; fails the test when it finds none.
pub(crate) fn recognised(text: &str) -> ApiKey {
    match scan(text).result {
        Recognition::Key(key) => key,
        other => panic!("the test key was not recognised: {other:?}"),
    }
}
