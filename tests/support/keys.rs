//! Every test key, made up at run time from parts: no source file holds a string shaped like a
//! real OpenAI key (secret scanners would flag it, and a real key must never be committed).
//!
//! A test crate takes it with `#[path = "support/keys.rs"] mod keys;` and builds its keys with
//! [`made_up`] from characters it gets from [`chars`].

/// Letters and digits: what every kind of key may hold between its prefix and its end.
const LETTERS_AND_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The marker in the middle of every OpenAI secret key (the base64 of "OpenAI"), joined from
/// two halves here so that no key-shaped text is in the source.
pub fn marker() -> String {
    ["T3Blbk", "FJ"].concat()
}

/// `n` letters and digits, the same for the same seed, different for another (splitmix64).
pub fn chars(n: usize, seed: u64) -> String {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let i = usize::try_from(z % LETTERS_AND_DIGITS.len() as u64).unwrap_or(0);
            char::from(LETTERS_AND_DIGITS[i])
        })
        .collect()
}

/// A made-up key of OpenAI's shape: `prefix` (`sk-proj-`, `sk-svcacct-`, `sk-admin-`, `sk-` …),
/// `head`, the marker, `tail`. Project keys have 74 characters on each side, legacy keys 20.
pub fn made_up(prefix: &str, head: &str, tail: &str) -> String {
    format!("{prefix}{head}{}{tail}", marker())
}
