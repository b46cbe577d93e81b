//! What the paste box says about its text: nothing while empty, ready when it holds one key,
//! else the problem in plain words with the next action. Never repeats the text.

use super::key::{self, Recognition};

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
        Recognition::Problem(p) => PasteHint::Problem(format!("{} {}", p.message, p.next_step)),
        Recognition::Nothing => PasteHint::Problem(String::from(
            "No OpenAI key found in this text yet. A key starts with sk- and is long; copy it \
             with the copy button in OpenAI's dialog.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::key::test_keys::project_key;

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
