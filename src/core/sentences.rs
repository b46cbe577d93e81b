//! Text cut into sentences, for the places that show one sentence per line (the key strip)
//! and for the wording rules. Pure: no egui, no I/O.

/// The sentences of `text`, trimmed, in order. A sentence ends at `.`, `?`, `!` or `…` (with
/// any closing quote or bracket after it) followed by a space and a capital letter or an
/// opening quote; so "e.g. a key", "1.5 MB", "sk-proj-…AbCd" and a closing "(checked just
/// now)" do not cut a sentence.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '?' | '!' | '…') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | ')' | '\'') {
                j += 1;
            }
            let spaced = j < chars.len() && chars[j].1 == ' ';
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let opens = next.is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“'));
            if spaced && opens {
                let end = chars[j].0;
                push(&mut out, &text[start..end]);
                start = end;
                i = j;
            }
        }
        i += 1;
    }
    push(&mut out, &text[start..]);
    out
}

fn push<'a>(out: &mut Vec<&'a str>, piece: &'a str) {
    let piece = piece.trim();
    if !piece.is_empty() {
        out.push(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::sentences;

    #[test]
    fn cuts_at_the_end_of_each_sentence() {
        assert_eq!(
            sentences("Replace it? It stays saved. Then \"Check again\"."),
            ["Replace it?", "It stays saved.", "Then \"Check again\"."]
        );
        assert_eq!(
            sentences("Saving in the keyring… If asked, unlock it."),
            ["Saving in the keyring…", "If asked, unlock it."]
        );
        assert_eq!(
            sentences("Choose \"All\". Or ask (an owner) first."),
            ["Choose \"All\".", "Or ask (an owner) first."]
        );
    }

    #[test]
    fn keeps_what_only_looks_like_an_end() {
        assert_eq!(
            sentences("e.g. a key of 1.5 MB, sk-proj-…AbCd ok"),
            ["e.g. a key of 1.5 MB, sk-proj-…AbCd ok"]
        );
        assert_eq!(
            sentences("All set. Paste it. (checked just now)"),
            ["All set.", "Paste it. (checked just now)"]
        );
        assert_eq!(sentences("  "), Vec::<&str>::new());
    }
}
