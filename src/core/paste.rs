//! What the paste box says about its text: nothing while empty, ready when it holds one key,
//! else the problem in plain words with the next action. Never repeats the text. The box takes
//! at most [`PASTE_LIMIT`] bytes: a paste that would go past it is refused whole and said so.

use super::key::{self, Recognition};

/// The most text the paste box holds, in bytes (64 KiB). A key is under 200 characters; a
/// paste this long is something else, and laying out megabytes in one line of the window
/// costs gigabytes of memory.
pub const PASTE_LIMIT: usize = 64 * 1024;

/// Whether `added` may go into a box that already holds `current` bytes.
pub fn fits(current: usize, added: &str) -> bool {
    current.saturating_add(added.len()) <= PASTE_LIMIT
}

/// What the box says when a paste of `bytes` bytes was refused: how big it was, how much the box
/// takes, that nothing was pasted, and what to copy instead.
pub fn too_long(bytes: usize) -> PasteHint {
    PasteHint::Problem(format!(
        "That text is too long for this box ({}; it takes up to 64 KB), so nothing was pasted. \
         A key is short: copy just the key with the copy button in OpenAI's dialog, then paste \
         it here again.",
        size_words(bytes)
    ))
}

/// A size in plain units: "70 KB", "2.0 MB".
fn size_words(bytes: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * 1024;
    if bytes >= MB {
        let tenths = bytes.saturating_mul(10) / MB;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", bytes.div_ceil(KB))
    }
}

/// The paste box's verdict on its text.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum PasteHint {
    /// Nothing typed yet.
    #[default]
    Empty,
    /// A usable key is in the box.
    Ready,
    /// Not usable; the sentence says why and what to do.
    Problem(String),
    /// A key broken into pieces by spaces or line breaks: the sentence says so, and the box
    /// offers to join them ([`joined`]).
    Broken(String),
}

impl PasteHint {
    /// Whether "Use this key" may be pressed.
    pub fn usable(&self) -> bool {
        *self == Self::Ready
    }
}

/// Look at the paste box's text.
pub fn hint(text: &str) -> PasteHint {
    if text.trim().is_empty() {
        return PasteHint::Empty;
    }
    match key::scan(text).result {
        Recognition::Key(_) => PasteHint::Ready,
        Recognition::Problem(p) if p.joined.is_some() => {
            PasteHint::Broken(format!("{} {}", p.message, p.next_step))
        }
        Recognition::Problem(p) => PasteHint::Problem(format!("{} {}", p.message, p.next_step)),
        Recognition::Nothing => PasteHint::Problem(String::from(
            "No OpenAI key found in this text yet. A key starts with sk- and is long; copy it \
             with the copy button in OpenAI's dialog.",
        )),
    }
}

/// The key the box's pieces make when joined, for "Join the pieces"; `None` unless the text is
/// a key broken by spaces or line breaks.
pub fn joined(text: &str) -> Option<key::ApiKey> {
    match key::scan(text).result {
        Recognition::Problem(p) => p.joined,
        Recognition::Key(_) | Recognition::Nothing => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::key::test_keys::project_key;

    #[test]
    fn a_paste_past_the_limit_is_refused_with_its_size_and_what_to_do() {
        assert!(fits(0, &"a".repeat(PASTE_LIMIT)));
        assert!(!fits(0, &"a".repeat(PASTE_LIMIT + 1)));
        assert!(!fits(PASTE_LIMIT - 10, &"a".repeat(11)));
        assert!(fits(PASTE_LIMIT - 10, &"a".repeat(10)));
        assert!(!fits(usize::MAX, "a"));
        let PasteHint::Problem(words) = too_long(2 * 1024 * 1024) else {
            panic!("no problem named")
        };
        assert!(words.contains("2.0 MB"), "{words}");
        assert!(words.contains("64 KB"), "{words}");
        assert!(words.contains("nothing was pasted"), "{words}");
        assert!(words.contains("copy just the key"), "{words}");
        let PasteHint::Problem(words) = too_long(70_000) else {
            panic!("no problem named")
        };
        assert!(words.contains("69 KB"), "{words}");
    }

    #[test]
    fn empty_ready_or_a_problem_that_never_repeats_the_text() {
        assert_eq!(hint(""), PasteHint::Empty);
        assert_eq!(hint("   "), PasteHint::Empty);
        let key = project_key();
        let h = hint(&key);
        assert!(h.usable(), "{h:?}");
        let PasteHint::Problem(words) = hint("hello there") else {
            panic!("no problem named")
        };
        assert!(words.contains("No OpenAI key found"));
        let cut = &key[..30];
        let PasteHint::Problem(words) = hint(cut) else {
            panic!("a cut key was taken")
        };
        assert!(!words.contains(cut));
        let PasteHint::Problem(words) = hint("sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789")
        else {
            panic!("another provider's key was taken")
        };
        assert!(!words.is_empty());
    }
}
