//! Reading text: it is cut into words at delimiters, each word into runs of key characters,
//! masks, invisible characters and others, and each run is tried as a key, as a masked copy,
//! or joined with its neighbours; the [`Collector`] keeps the first key or the most telling
//! problem.

use zeroize::Zeroizing;

use super::classify::{
    Class, Draft, MARKER, MAX_TOKEN_BYTES, Prefix, classify, has_kind_prefix, is_placeholder_body,
    prefix_info,
};
use super::problem::{ProblemReason, write_problem};
use super::secret::{ApiKey, KeyKind, last_chars};
use super::{Recognition, Scan};

/// How many `sk-` found inside one run of key characters are tried as a start.
const MAX_INNER_TRIES: usize = 8;

/// How many times per word pieces split by odd characters are tried joined.
const MAX_JOINS: usize = 4;

pub(super) fn scan_limited(text: &str, limit: usize) -> Scan {
    let truncated = text.len() > limit;
    let text = if truncated {
        &text[..floor_char_boundary(text, limit)]
    } else {
        text
    };
    let mut sink = Collector::default();
    let mut runs = Vec::new();
    for word in text.split(is_delimiter) {
        if !word.is_empty() {
            process_word(word, &mut runs, &mut sink);
            if sink.done() {
                break;
            }
        }
    }
    Scan {
        result: sink.finish(),
        truncated,
    }
}

/// How many words that start like a key are tried joined with the words after them.
const MAX_BROKEN_TRIES: usize = 16;

/// How many pieces a key broken by spaces or line breaks may be in.
const MAX_PIECES: usize = 6;

/// The key that `text` holds broken into pieces by spaces or line breaks, if any: a word that
/// starts like an OpenAI key, joined with the words right after it, is a whole key. Bounded
/// (a few tries of a few words each), so the scan stays linear.
pub(super) fn broken_by_space(text: &str) -> Option<ApiKey> {
    let mut words = text
        .split([' ', '\t', '\r', '\n'])
        .filter(|w| !w.is_empty());
    let mut tries = 0;
    while let Some(first) = words.next() {
        if !first.contains("sk-") || first.len() > MAX_TOKEN_BYTES {
            continue;
        }
        tries += 1;
        if tries > MAX_BROKEN_TRIES {
            break;
        }
        let mut joined = Zeroizing::new(first.to_owned());
        for word in words.clone().take(MAX_PIECES - 1) {
            joined.push_str(word);
            if joined.len() > MAX_TOKEN_BYTES {
                break;
            }
            if let Recognition::Key(key) = scan_limited(&joined, MAX_TOKEN_BYTES).result {
                return Some(key);
            }
        }
    }
    None
}

pub(super) fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut i = index.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Characters that web pages and chat apps put into text without showing them.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// Invisible characters and non-breaking spaces: they separate words, but a key split by them
/// is joined again; elsewhere they are ignored.
fn is_soft(c: char) -> bool {
    is_invisible(c) || matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}')
}

/// Characters that stand for hidden parts of a masked key.
fn is_mask(c: char) -> bool {
    matches!(
        c,
        '*' | '.' | '•' | '●' | '…' | '·' | '∙' | '⋯' | '◦' | '⁎' | '∗' | '＊'
    )
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Dashes that editors put in place of `-`.
fn is_unicode_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Characters that end a word: spaces, quotes, brackets and most punctuation.
fn is_delimiter(c: char) -> bool {
    if c.is_ascii() {
        return !(is_key_char(c) || c == '*' || c == '.');
    }
    if is_soft(c) {
        return false;
    }
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{2018}'
                ..='\u{201F}'
                    | '«'
                    | '»'
                    | '‹'
                    | '›'
                    | '「'
                    | '」'
                    | '『'
                    | '』'
                    | '【'
                    | '】'
                    | '〈'
                    | '〉'
                    | '《'
                    | '》'
                    | '（'
                    | '）'
                    | '，'
                    | '。'
                    | '、'
                    | '：'
                    | '；'
                    | '！'
                    | '？'
                    | '＝'
        )
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RunKind {
    /// `[A-Za-z0-9_-]`
    Core,
    /// Stars, dots, bullets, ellipsis.
    Mask,
    /// Non-breaking spaces.
    Soft,
    /// Anything else inside a word.
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Run {
    kind: RunKind,
    start: usize,
    end: usize,
}

impl Run {
    fn text(self, word: &str) -> &str {
        &word[self.start..self.end]
    }

    fn is_single_dot(self, word: &str) -> bool {
        self.kind == RunKind::Mask && self.text(word) == "."
    }
}

fn run_kind(c: char) -> RunKind {
    if is_key_char(c) {
        RunKind::Core
    } else if is_mask(c) {
        RunKind::Mask
    } else if is_soft(c) {
        RunKind::Soft
    } else {
        RunKind::Other
    }
}

fn process_word(word: &str, runs: &mut Vec<Run>, sink: &mut Collector) {
    runs.clear();
    for (i, c) in word.char_indices() {
        let kind = run_kind(c);
        let end = i + c.len_utf8();
        match runs.last_mut() {
            Some(last) if last.kind == kind => last.end = end,
            _ => runs.push(Run {
                kind,
                start: i,
                end,
            }),
        }
    }
    drop_stray_soft_runs(runs);
    // A lone dot ends a sentence or separates a host name: it splits the word.
    let mut start = 0;
    for i in 0..=runs.len() {
        if runs.get(i).is_none_or(|r| r.is_single_dot(word)) {
            if let Some(part) = runs.get(start..i) {
                process_part(word, part, sink);
            }
            if sink.done() {
                return;
            }
            start = i + 1;
        }
    }
}

/// Keeps soft runs (invisible characters, non-breaking spaces) only between two runs of key
/// characters, where they may split a key; elsewhere they are removed and their neighbours
/// merged, as if they were not there.
fn drop_stray_soft_runs(runs: &mut Vec<Run>) {
    let mut kept: usize = 0;
    for i in 0..runs.len() {
        let run = runs[i];
        let last = kept.checked_sub(1).map(|k| runs[k]);
        if run.kind == RunKind::Soft {
            let between_core = last.is_some_and(|r| r.kind == RunKind::Core)
                && runs.get(i + 1).is_some_and(|r| r.kind == RunKind::Core);
            if !between_core {
                continue;
            }
        }
        match last {
            Some(last) if last.kind == run.kind && run.kind != RunKind::Core => {
                runs[kept - 1].end = run.end;
            }
            _ => {
                runs[kept] = run;
                kept += 1;
            }
        }
    }
    runs.truncate(kept);
}

/// Looks at one dot-free part of a word, run by run.
fn process_part(word: &str, runs: &[Run], sink: &mut Collector) {
    let mut i = 0;
    let mut joins = 0;
    while let Some(run) = runs.get(i).copied() {
        if run.kind != RunKind::Core {
            i += 1;
            continue;
        }
        let tok = run.text(word);
        let whole = classify(tok);
        if let Some(Class::Key(kind)) = whole {
            sink.key(tok, kind);
            return;
        }
        let next = runs.get(i + 1).map(|r| r.kind);
        if next == Some(RunKind::Mask) && prefix_info(tok).is_some() {
            analyze_masked(word, &runs[i..], sink);
            return;
        }
        let joinable = matches!(next, Some(RunKind::Soft | RunKind::Other))
            && runs.get(i + 2).is_some_and(|r| r.kind == RunKind::Core)
            && (tok.starts_with("sk") || "sk".starts_with(tok));
        if joinable && joins < MAX_JOINS {
            joins += 1;
            let end = runs[i..]
                .iter()
                .position(|r| r.kind == RunKind::Mask)
                .map_or(runs.len(), |p| i + p);
            if analyze_joined(word, &runs[i..end], sink) {
                if sink.done() {
                    return;
                }
                i = end;
                continue;
            }
        }
        analyze_core(tok, whole, sink);
        if sink.done() {
            return;
        }
        i += 1;
    }
}

/// A run of key characters that is not a key as a whole (`whole` is how it classified): any
/// `sk-` inside it is tried as a start.
fn analyze_core(tok: &str, whole: Option<Class>, sink: &mut Collector) {
    if tok.len() > MAX_TOKEN_BYTES {
        return;
    }
    let mut inner_starts = tok
        .match_indices("sk-")
        .map(|(i, _)| i)
        .filter(|&i| i > 0)
        .take(MAX_INNER_TRIES)
        .peekable();
    let doubled = inner_starts.peek().is_some() && tok.matches(MARKER).nth(1).is_some();
    for i in inner_starts {
        let inner = &tok[i..];
        if doubled && let Some(Class::Key(kind)) = classify(&tok[..i]) {
            // Two keys stuck together: the first one is whole.
            sink.key(&tok[..i], kind);
            return;
        }
        // An `sk-` inside a run that starts like a key is most likely chance.
        let free = prefix_info(tok).is_none();
        match classify(inner) {
            Some(Class::Key(kind)) if free || doubled || has_kind_prefix(inner) => {
                sink.key(inner, kind);
                return;
            }
            Some(Class::Problem(d)) if free => sink.problem(d),
            _ => {}
        }
    }
    if let Some(Class::Problem(d)) = whole {
        sink.problem(d);
    }
}

/// A key-like run followed by stars, dots or an ellipsis: a masked copy or a placeholder.
fn analyze_masked(word: &str, runs: &[Run], sink: &mut Collector) {
    let Some(first) = runs.first() else { return };
    let head = first.text(word);
    let Some(prefix) = prefix_info(head) else {
        return;
    };
    let prefix_len = prefix.len();
    let body = &head[prefix_len..];
    let later_core = || {
        runs[1..]
            .iter()
            .filter(|r| r.kind == RunKind::Core)
            .map(|r| r.text(word))
    };
    let tail = later_core().next_back();
    let shown = tail.unwrap_or(body);
    let masked = Some(format!("{}…{}", &head[..prefix_len], last_chars(shown, 4)));
    let draft = match prefix {
        Prefix::Lookalike(p, _) => Draft::new(ProblemReason::WrongProvider(p), masked),
        Prefix::Admin => Draft::new(ProblemReason::Admin, masked),
        Prefix::OpenAi(_) => {
            let wordy = |s: &str| s.len() > 4 && is_placeholder_body(s);
            if wordy(body) || later_core().any(wordy) || (body.is_empty() && tail.is_none()) {
                Draft::new(ProblemReason::Placeholder, None)
            } else {
                Draft::new(ProblemReason::Masked, masked)
            }
        }
    };
    sink.problem(draft);
}

/// Pieces split by non-breaking spaces or odd characters, tried joined. Returns whether
/// something was found (then the pieces are used up).
fn analyze_joined(word: &str, runs: &[Run], sink: &mut Collector) -> bool {
    let mut removed = Zeroizing::new(String::new());
    let mut replaced = Zeroizing::new(String::new());
    let mut only_soft = true;
    for run in runs {
        let text = run.text(word);
        match run.kind {
            RunKind::Core => {
                removed.push_str(text);
                replaced.push_str(text);
            }
            RunKind::Other => {
                only_soft = false;
                replaced.extend(
                    text.chars()
                        .filter(|&c| !is_soft(c))
                        .map(|c| if is_unicode_dash(c) { '-' } else { 'A' }),
                );
            }
            RunKind::Soft | RunKind::Mask => {}
        }
        if removed.len() > MAX_TOKEN_BYTES || replaced.len() > MAX_TOKEN_BYTES {
            return false;
        }
    }
    if let Some(Class::Key(kind)) = classify(&removed) {
        if only_soft {
            sink.key(&removed, kind);
        } else {
            sink.problem(bad_characters(&removed));
        }
        return true;
    }
    if !only_soft && let Some(Class::Key(_)) = classify(&replaced) {
        sink.problem(bad_characters(&removed));
        return true;
    }
    false
}

fn bad_characters(joined: &str) -> Draft {
    let prefix_len = prefix_info(joined).map_or(0, Prefix::len);
    let masked = format!("{}…{}", &joined[..prefix_len], last_chars(joined, 4));
    Draft::new(ProblemReason::BadCharacters, Some(masked))
}

// ---------------------------------------------------------------------------------------------
// Collecting the answer
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Collector {
    key: Option<ApiKey>,
    best: Option<Draft>,
}

impl Collector {
    fn key(&mut self, secret: &str, kind: KeyKind) {
        if self.key.is_none() {
            self.key = Some(ApiKey::new(secret, kind));
        }
    }

    fn problem(&mut self, draft: Draft) {
        if self.best.as_ref().is_none_or(|b| draft.score() > b.score()) {
            self.best = Some(draft);
        }
    }

    fn done(&self) -> bool {
        self.key.is_some()
    }

    fn finish(self) -> Recognition {
        match (self.key, self.best) {
            (Some(key), _) => Recognition::Key(key),
            (None, Some(draft)) => Recognition::Problem(write_problem(draft)),
            (None, None) => Recognition::Nothing,
        }
    }
}
