//! The last guard between the key and anything shown or copied: text derived from a response
//! (a header echoed by a middlebox, a label from `/me`) or from the environment must share no
//! long run of characters with the key, and must not look like a key itself.
//!
//! The guard sees what a person sees: characters that show as nothing (zero-width spaces,
//! soft hyphens, bidi controls, line separators …, see [`is_invisible`]) are taken out before
//! any comparison, so a key split by them is still the key; and [`visible`] takes them out of
//! server text before it is shown, so a label cannot read differently from what it holds.

use std::borrow::Cow;

use unicode_general_category::{GeneralCategory, get_general_category};

use super::key::MARKER;

/// True for a character a person does not see that can split or reorder text: every format
/// character (general category Cf: zero-width space and joiners, soft hyphen, word joiner,
/// byte-order mark, the bidi embeddings, overrides and isolates U+202A–202E and U+2066–2069,
/// tags …), the line and paragraph separators (Zl U+2028, Zp U+2029), and the few other
/// default-ignorable characters that render as nothing (combining grapheme joiner, Hangul
/// fillers, Mongolian and other variation selectors).
///
/// The category comes from the `unicode-general-category` crate rather than a list of our own,
/// which would go stale with new Unicode versions: that crate's table is in the binary anyway
/// (epaint uses it), so this costs no size.
pub fn is_invisible(c: char) -> bool {
    matches!(
        get_general_category(c),
        GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    ) || matches!(
        c,
        '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FFA0}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// `text` as a person sees it: without the characters of [`is_invisible`].
pub fn visible(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_invisible) {
        Cow::Owned(text.chars().filter(|c| !is_invisible(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` made safe for a terminal: as [`visible`], and without control characters other than
/// line breaks and tabs (no escape sequences).
pub fn printable(text: &str) -> Cow<'_, str> {
    let keep = |c: char| !is_invisible(c) && (!c.is_control() || c == '\n' || c == '\t');
    if text.chars().all(keep) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|c| keep(*c)).collect())
    }
}

/// Text sharing a run this long with the key is never shown.
pub const RUN: usize = 16;

/// True when `text`, as a person sees it ([`visible`]), contains any `len`-character run of
/// `secret` (byte-wise; keys are ASCII).
pub fn shares_run(text: &str, secret: &str, len: usize) -> bool {
    let text = visible(text);
    let (t, s) = (text.as_bytes(), secret.as_bytes());
    if len == 0 || s.len() < len || t.len() < len {
        return false;
    }
    s.windows(len).any(|w| t.windows(len).any(|x| x == w))
}

/// True when `text` holds something shaped like a secret key: the key marker, or `sk-` (or
/// `sk_`) followed by a long run of key characters. An honest name that merely contains
/// "sk-" ("Task-Force") is not one.
pub(crate) fn looks_like_key(text: &str) -> bool {
    let text = visible(text);
    if text.contains(MARKER) {
        return true;
    }
    let bytes = text.as_bytes();
    let key_char = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
    (0..bytes.len().saturating_sub(2)).any(|i| {
        bytes[i..].starts_with(b"sk-") || bytes[i..].starts_with(b"sk_")
    } && bytes[i + 3..].iter().take_while(|b| key_char(b)).count() >= 20)
}

/// True when `text` may be shown next to a check of `secret`.
pub(crate) fn is_safe(text: &str, secret: Option<&str>) -> bool {
    !looks_like_key(text) && !secret.is_some_and(|s| shares_run(text, s, RUN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::key::test_keys::project_key as secret;

    #[test]
    fn runs_of_sixteen_are_caught_shorter_ones_are_not() {
        let s = secret();
        let part16 = &s[20..36];
        let part15 = &s[20..35];
        assert!(shares_run(&format!("org {part16} x"), &s, RUN));
        assert!(!shares_run(&format!("org {part15} x"), &s, RUN));
        assert!(!shares_run("", &s, RUN));
    }

    #[test]
    fn a_key_split_by_invisible_characters_is_still_the_key() {
        let s = secret();
        for sep in [
            '\u{200B}', '\u{00AD}', '\u{202E}', '\u{2066}', '\u{2028}', '\u{FEFF}',
        ] {
            let split: String = s
                .chars()
                .enumerate()
                .flat_map(|(i, c)| (i % 5 == 4).then_some(sep).into_iter().chain([c]))
                .collect();
            assert!(shares_run(&split, &s, RUN), "{:?}", sep);
            assert!(!is_safe(&split, Some(&s)), "{:?}", sep);
            assert!(!visible(&split).contains(sep));
            assert_eq!(visible(&split), s.as_str());
        }
        assert!(looks_like_key(&format!(
            "sk-\u{200B}{}",
            "abcde\u{200D}".repeat(5)
        )));
        assert_eq!(printable("a\u{1b}[2Jb\u{202E}c\nd"), "a[2Jbc\nd");
        assert_eq!(visible("Acme Publishing"), "Acme Publishing");
    }

    #[test]
    fn honest_names_with_sk_pass_key_shapes_do_not() {
        assert!(is_safe("Task-Force", None));
        assert!(is_safe("desk-team", Some(&secret())));
        assert!(!is_safe(
            &format!("x {}", "sk-abcdefghijklmnopqrstuvwxyz"),
            None
        ));
        assert!(!is_safe(&format!("a{MARKER}b"), None));
        assert!(!is_safe(&secret()[30..60], Some(&secret())));
    }
}
