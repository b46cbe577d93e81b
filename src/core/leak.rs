//! The last guard between the key and anything shown or copied: text derived from a response
//! (a header echoed by a middlebox, a label from `/me`) or from the environment must share no
//! long run of characters with the key, and must not look like a key itself.

use super::key::MARKER;

/// Text sharing a run this long with the key is never shown.
pub const RUN: usize = 16;

/// True when `text` contains any `len`-character run of `secret` (byte-wise; keys are ASCII).
pub fn shares_run(text: &str, secret: &str, len: usize) -> bool {
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
