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
//! - The first usable OpenAI key wins. Without one, the most telling problem is reported.
//!
//! Work is linear in the input size and nothing here panics on any input. The secret never
//! appears in a message, in `Debug` or in `Display` output: only masked forms (prefix and last
//! four characters) do.

use std::fmt;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::core::verdict::Verdict;

/// The most text [`scan`] reads, in bytes (16 MiB): a key at the end of a big paste is still
/// found, and the scan is linear (a few tens of milliseconds for 5 MB in a release build).
/// Text beyond is ignored and [`Scan::truncated`] is set.
pub const MAX_SCAN_BYTES: usize = 16 << 20;

/// The API keys page, named in messages.
pub use crate::core::guide::API_KEYS as API_KEYS_PAGE;

/// The base64 of `OpenAI`, found in the middle of every OpenAI secret key. Split so that secret
/// scanners do not take this source for a key.
const MARKER: &str = concat!("T3Blbk", "FJ");

/// Runs of key characters longer than this are not taken for a key (real keys are < 200).
const MAX_TOKEN_BYTES: usize = 1024;

/// Each half of a key (before and after the marker) has at least this many characters.
const MIN_HALF: usize = 16;

/// How many `sk-` found inside one run of key characters are tried as a start.
const MAX_INNER_TRIES: usize = 8;

/// How many times per word pieces split by odd characters are tried joined.
const MAX_JOINS: usize = 4;

/// Prefixes of the usable OpenAI kinds that carry their kind in the prefix.
const KIND_PREFIXES: [(&str, KeyKind); 3] = [
    ("sk-proj-", KeyKind::Project),
    ("sk-svcacct-", KeyKind::ServiceAccount),
    ("sk-None-", KeyKind::NoOwner),
];

const ADMIN_PREFIX: &str = "sk-admin-";

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

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// A usable OpenAI secret key.
///
/// `Debug` and `Display` show only the masked form; the memory is zeroed on drop. Not
/// serializable: [`ApiKey::expose_secret`] is the only way to the raw key.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    secret: Zeroizing<String>,
    kind: KeyKind,
}

impl ApiKey {
    /// Wraps a key whose shape has been checked.
    fn new(secret: &str, kind: KeyKind) -> Self {
        Self {
            secret: Zeroizing::new(secret.to_owned()),
            kind,
        }
    }

    /// The raw key, for the keyring and the `Authorization` header only.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }

    /// Which kind of OpenAI key this is.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The key's prefix, `…` and its last four characters, e.g. `sk-proj-…AbCd` or `sk-…AbCd`.
    pub fn masked(&self) -> String {
        let prefix = match self.kind {
            KeyKind::Project => "sk-proj-",
            KeyKind::NoOwner => "sk-None-",
            KeyKind::Admin => ADMIN_PREFIX,
            KeyKind::ServiceAccount if self.secret.starts_with("sk-svcacct-") => "sk-svcacct-",
            KeyKind::ServiceAccount | KeyKind::Legacy => "sk-",
        };
        format!("{prefix}…{}", last_chars(&self.secret, 4))
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("kind", &self.kind)
            .field("masked", &self.masked())
            .finish()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// The kinds of OpenAI secret key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// `sk-proj-…`: a key of one project; what AAAI asks for.
    Project,
    /// `sk-svcacct-…`, or the early `sk-<name>-…` form: a service account's key.
    ServiceAccount,
    /// `sk-` + characters, the marker, characters: an old user key.
    Legacy,
    /// `sk-None-…`: a key made without an owner.
    NoOwner,
    /// `sk-admin-…`: an organization admin key; never usable by AAAI.
    Admin,
}

impl KeyKind {
    /// The word used in JSON output and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::ServiceAccount => "service_account",
            Self::Legacy => "legacy",
            Self::NoOwner => "no_owner",
            Self::Admin => "admin",
        }
    }

    /// Plain words for the user, e.g. "project key".
    pub fn label(self) -> &'static str {
        match self {
            Self::Project => "project key",
            Self::ServiceAccount => "service account key",
            Self::Legacy => "user key (older kind)",
            Self::NoOwner => "key without an owner",
            Self::Admin => "organization admin key",
        }
    }
}

/// Other services whose keys look like OpenAI's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// `sk-ant-…`
    Anthropic,
    /// `sk-or-v1-…`
    OpenRouter,
    /// `sk-` + 32 lowercase hexadecimal characters.
    DeepSeek,
    /// `sk_live_…`, `sk_test_…`, `rk_live_…`
    Stripe,
    /// `gsk_…`
    Groq,
    /// `xai-…`
    Xai,
    /// `pplx-…`
    Perplexity,
    /// `sk-lf-…`
    Langfuse,
    /// `sk-` + 48 letters and digits without OpenAI's marker (Braintrust and others).
    UnknownSk48,
}

impl Provider {
    /// The provider's name as users know it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Anthropic => "Anthropic",
            Self::OpenRouter => "OpenRouter",
            Self::DeepSeek => "DeepSeek",
            Self::Stripe => "Stripe",
            Self::Groq => "Groq",
            Self::Xai => "xAI",
            Self::Perplexity => "Perplexity",
            Self::Langfuse => "Langfuse",
            Self::UnknownSk48 => "another service",
        }
    }

    /// The word used in JSON output and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anthropic => "anthropic",
            Self::OpenRouter => "open_router",
            Self::DeepSeek => "deep_seek",
            Self::Stripe => "stripe",
            Self::Groq => "groq",
            Self::Xai => "xai",
            Self::Perplexity => "perplexity",
            Self::Langfuse => "langfuse",
            Self::UnknownSk48 => "unknown_sk48",
        }
    }
}

/// Why something key-like cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemReason {
    /// Part of the key is missing (its end, its middle marker, or its beginning).
    CutShort,
    /// A whole key with more text stuck to its end (`…--old`, `…_backup`, `…-2`).
    ExtraCharacters,
    /// A shortened or hidden copy, as shown on dashboards and in error messages.
    Masked,
    /// An example value such as `sk-...your-key-here` or `ENTER_YOUR_KEY_HERE`.
    Placeholder,
    /// The key holds characters no key has (a long dash, a letter from another alphabet …).
    BadCharacters,
    /// Another service's key.
    WrongProvider(Provider),
    /// An OpenAI organization admin key.
    Admin,
    /// Starts like a key but has no shape OpenAI uses.
    Unrecognized,
}

impl ProblemReason {
    /// The word used in JSON output and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CutShort => "cut_short",
            Self::ExtraCharacters => "extra_characters",
            Self::Masked => "masked",
            Self::Placeholder => "placeholder",
            Self::BadCharacters => "bad_characters",
            Self::WrongProvider(_) => "wrong_provider",
            Self::Admin => "admin",
            Self::Unrecognized => "unrecognized",
        }
    }
}

/// Something key-like that cannot be used, with words for the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShapeProblem {
    /// [`Verdict::Malformed`], [`Verdict::WrongProvider`] or [`Verdict::AdminKey`].
    pub verdict: Verdict,
    /// What exactly is wrong.
    pub reason: ProblemReason,
    /// The damaged candidate as prefix, `…` and at most its last four characters; `None` for
    /// placeholders.
    pub masked: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What the user should do now.
    pub next_step: String,
}

impl fmt::Display for ShapeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.message, self.next_step)
    }
}

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
    /// [`Verdict::WellFormed`] for a key, the problem's verdict, `None` for nothing.
    pub fn verdict(&self) -> Option<Verdict> {
        match self {
            Self::Key(_) => Some(Verdict::WellFormed),
            Self::Problem(p) => Some(p.verdict),
            Self::Nothing => None,
        }
    }

    /// The key, when one was found.
    pub fn key(&self) -> Option<&ApiKey> {
        match self {
            Self::Key(k) => Some(k),
            _ => None,
        }
    }

    /// The problem, when something unusable was found.
    pub fn problem(&self) -> Option<&ShapeProblem> {
        match self {
            Self::Problem(p) => Some(p),
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
    scan_limited(text, MAX_SCAN_BYTES)
}

// ---------------------------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------------------------

fn scan_limited(text: &str, limit: usize) -> Scan {
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

fn floor_char_boundary(text: &str, index: usize) -> usize {
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
// Classifying one candidate
// ---------------------------------------------------------------------------------------------

/// What one run of key characters is.
enum Class {
    Key(KeyKind),
    Problem(Draft),
}

/// A problem before its words are written.
#[derive(Debug)]
struct Draft {
    reason: ProblemReason,
    masked: Option<String>,
    /// Surely meant as an OpenAI key (kind prefix or marker present).
    strong: bool,
    /// The beginning is missing (only for [`ProblemReason::CutShort`]).
    start_missing: bool,
}

impl Draft {
    fn new(reason: ProblemReason, masked: Option<String>) -> Self {
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
    fn score(&self) -> u8 {
        match self.reason {
            ProblemReason::Admin => 100,
            ProblemReason::BadCharacters => 90,
            ProblemReason::ExtraCharacters => 85,
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
enum Prefix {
    Lookalike(Provider, usize),
    Admin,
    OpenAi(usize),
}

impl Prefix {
    fn len(self) -> usize {
        match self {
            Self::Lookalike(_, n) | Self::OpenAi(n) => n,
            Self::Admin => ADMIN_PREFIX.len(),
        }
    }
}

fn prefix_info(tok: &str) -> Option<Prefix> {
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

fn has_kind_prefix(tok: &str) -> bool {
    tok.starts_with(ADMIN_PREFIX) || KIND_PREFIXES.iter().any(|(p, _)| tok.starts_with(p))
}

fn masked_parts(prefix: &str, rest: &str) -> Option<String> {
    Some(format!("{prefix}…{}", last_chars(rest, 4)))
}

/// Classifies one run of key characters taken whole; `None` when it is not key-like.
fn classify(tok: &str) -> Option<Class> {
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
fn is_placeholder_body(body: &str) -> bool {
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

/// The last `n` characters of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
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

fn write_problem(d: Draft) -> ShapeProblem {
    let copy_again = format!(
        "Copy it again with the copy button next to it in OpenAI's dialog; if the dialog is \
         closed, create a new key at {API_KEYS_PAGE}"
    );
    let (verdict, message, next_step) = match d.reason {
        ProblemReason::CutShort if d.start_missing => (
            Verdict::Malformed,
            "The beginning of the key is missing: OpenAI keys start with sk-.".to_owned(),
            copy_again,
        ),
        ProblemReason::CutShort => (
            Verdict::Malformed,
            "The key looks cut short: part of it is missing.".to_owned(),
            copy_again,
        ),
        ProblemReason::ExtraCharacters => (
            Verdict::Malformed,
            "There are extra characters after the key: the key itself looks complete, but more \
             text is stuck to its end."
                .to_owned(),
            "Copy only the key, or copy it again with the copy button next to it in OpenAI's \
             dialog, and make sure nothing follows it on the same line."
                .to_owned(),
        ),
        ProblemReason::Masked => (
            Verdict::Malformed,
            "This is a shortened copy of the key, with most of it hidden by dots or stars, as \
             shown on web pages and in error messages. It can't be used."
                .to_owned(),
            format!(
                "OpenAI shows the whole key only once, when you create it. If you didn't keep \
                 it, create a new key at {API_KEYS_PAGE} and copy it with the copy button."
            ),
        ),
        ProblemReason::Placeholder => (
            Verdict::Malformed,
            "This is a placeholder from an example, not a real key.".to_owned(),
            format!(
                "Create a key at {API_KEYS_PAGE}, copy it with the copy button and paste it \
                 here."
            ),
        ),
        ProblemReason::BadCharacters => (
            Verdict::Malformed,
            "The key contains characters that no key has, such as a long dash or a letter from \
             another alphabet. A text editor or chat app may have changed it."
                .to_owned(),
            copy_again,
        ),
        ProblemReason::WrongProvider(p) => {
            let what = match p {
                Provider::UnknownSk48 => {
                    "This key is from another service, not from OpenAI.".to_owned()
                }
                Provider::Anthropic | Provider::OpenRouter | Provider::Xai => {
                    format!("This is an {} key.", p.name())
                }
                _ => format!("This is a {} key.", p.name()),
            };
            (
                Verdict::WrongProvider,
                format!(
                    "{what} OpenAI keys start with sk-proj- and come from \
                     platform.openai.com/api-keys."
                ),
                format!("Create an OpenAI key at {API_KEYS_PAGE} and paste that one here."),
            )
        }
        ProblemReason::Admin => (
            Verdict::AdminKey,
            "This is an OpenAI organization admin key. It manages an organization (its members, \
             keys and usage) and can't write articles. AAAI needs a project key, not an \
             organization admin key."
                .to_owned(),
            format!(
                "Create a project key on the API keys page, {API_KEYS_PAGE}, and paste that one \
                 here. Keep the admin key private."
            ),
        ),
        ProblemReason::Unrecognized => (
            Verdict::Malformed,
            "This looks like a key, but not like a complete OpenAI key.".to_owned(),
            copy_again,
        ),
    };
    ShapeProblem {
        verdict,
        reason: d.reason,
        masked: d.masked,
        message,
        next_step,
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use proptest::prelude::*;

    use super::{
        ApiKey, KeyKind, MAX_SCAN_BYTES, ProblemReason, Provider, Recognition, Scan, scan,
        scan_limited,
    };
    use crate::core::verdict::Verdict;

    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const URLSAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    const HEX: &[u8] = b"0123456789abcdef";

    /// The OpenAI marker, split so that no literal key shape is in this source.
    fn marker() -> String {
        ["T3Blbk", "FJ"].concat()
    }

    /// splitmix64: small, deterministic.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn chars(&mut self, n: usize, charset: &[u8]) -> String {
            (0..n)
                .map(|_| char::from(charset[self.below(charset.len())]))
                .collect()
        }
    }

    /// A made-up key of OpenAI's shape: prefix, `head` characters, marker, `tail` characters.
    fn make_key(prefix: &str, head: usize, tail: usize, seed: u64) -> String {
        let charset = if prefix == "sk-" { ALNUM } else { URLSAFE };
        let mut rng = Rng(seed);
        format!(
            "{prefix}{}{}{}",
            rng.chars(head, charset),
            marker(),
            rng.chars(tail, charset)
        )
    }

    fn rand_str(n: usize, charset: &[u8], seed: u64) -> String {
        Rng(seed).chars(n, charset)
    }

    #[derive(Debug)]
    enum Want {
        Key(KeyKind, String),
        Problem(ProblemReason),
        Nothing,
    }

    fn check(name: &str, text: &str, want: &Want) {
        let got = scan(text);
        match (want, &got.result) {
            (Want::Key(kind, secret), Recognition::Key(k)) => {
                assert_eq!(k.expose_secret(), secret, "{name}: wrong key");
                assert_eq!(k.kind(), *kind, "{name}: wrong kind");
            }
            (Want::Problem(reason), Recognition::Problem(p)) => {
                assert_eq!(p.reason, *reason, "{name}: {p:?}");
            }
            (Want::Nothing, Recognition::Nothing) => {}
            _ => panic!("{name}: wanted {want:?}, got {got:?}"),
        }
        assert!(!got.truncated, "{name}");
        if let Want::Key(_, secret) = want {
            let shown = format!("{got:?} {:?}", got.result);
            assert!(!shown.contains(secret.as_str()), "{name}: secret in Debug");
            assert!(
                !shown.contains(&secret[8..24]),
                "{name}: part of secret in Debug"
            );
        }
    }

    fn project() -> String {
        make_key("sk-proj-", 74, 74, 1)
    }

    #[test]
    fn finds_a_key_in_every_wrapping() {
        let p = project();
        let want = Want::Key(KeyKind::Project, p.clone());
        let mut zw = p.clone();
        zw.insert(60, '\u{200B}');
        zw.insert(30, '\u{2060}');
        zw.insert(12, '\u{00AD}');
        zw.insert(100, '\u{FEFF}');
        let mut nbsp = p.clone();
        nbsp.insert(90, '\u{00A0}');
        let mut nnbsp = p.clone();
        nnbsp.insert(40, '\u{202F}');
        let cases = [
            ("raw", p.clone()),
            ("spaces, tabs, newlines", format!("  \t\n{p} \t\n")),
            ("crlf", format!("\r\n{p}\r\n")),
            ("double quotes", format!("\"{p}\"")),
            ("single quotes", format!("'{p}'")),
            ("smart quotes", format!("“{p}”")),
            ("backticks", format!("`{p}`")),
            ("bold", format!("**{p}**")),
            ("brackets", format!("<{p}> ({p}) [{p}]")),
            ("bearer", format!("Bearer {p}")),
            ("header", format!("Authorization: Bearer {p}\r\n")),
            ("env", format!("OPENAI_API_KEY={p}")),
            ("export", format!("export OPENAI_API_KEY='{p}'\n")),
            (
                "json",
                format!("{{\n  \"api_key\": \"{p}\",\n  \"model\": \"gpt-4o\"\n}}"),
            ),
            (
                ".env file",
                format!("# keys\r\nANTHROPIC_API_KEY=\r\nOPENAI_API_KEY=\"{p}\"\r\nDEBUG=1\r\n"),
            ),
            ("sentence", format!("Here is my key: {p}. Thanks!")),
            ("sentence comma", format!("my key is {p}, does it work?")),
            ("url", format!("https://example.com/v1/chat?key={p}&x=1")),
            ("url end", format!("https://example.com/?api_key={p}")),
            (
                "url encoded",
                format!("https://example.com/?q=api_key%3D{p}%26x"),
            ),
            ("bom", format!("\u{FEFF}{p}")),
            ("nbsp around", format!("key:\u{00A0}{p}\u{202F}ok")),
            ("bearer nbsp", format!("Bearer\u{00A0}{p}")),
            ("bearer zero width", format!("Bearer\u{200B}{p}")),
            ("zero width inside", zw),
            (
                "zero width inside, quoted",
                format!("\"{}\"", p.replace('A', "A\u{200C}")),
            ),
            ("nbsp inside", nbsp),
            ("narrow nbsp inside", nnbsp),
            ("trailing ellipsis", format!("{p}...")),
            ("doubled paste", format!("{p}{p}")),
            ("yaml", format!("openai:\n  api_key: {p}\n")),
            ("python", format!("client = OpenAI(api_key=\"{p}\")")),
        ];
        for (name, text) in &cases {
            check(name, text, &want);
        }
    }

    #[test]
    fn classifies_each_kind() {
        let cases = [
            ("legacy", make_key("sk-", 20, 20, 2), KeyKind::Legacy),
            (
                "no owner",
                make_key("sk-None-", 20, 20, 3),
                KeyKind::NoOwner,
            ),
            (
                "early project",
                make_key("sk-proj-", 20, 20, 4),
                KeyKind::Project,
            ),
            (
                "project 132",
                make_key("sk-proj-", 58, 58, 5),
                KeyKind::Project,
            ),
            (
                "project 164",
                make_key("sk-proj-", 74, 74, 6),
                KeyKind::Project,
            ),
            (
                "project 172",
                make_key("sk-proj-", 78, 78, 7),
                KeyKind::Project,
            ),
            (
                "project longer tail",
                make_key("sk-proj-", 74, 82, 7),
                KeyKind::Project,
            ),
            (
                "svcacct 135",
                make_key("sk-svcacct-", 58, 58, 8),
                KeyKind::ServiceAccount,
            ),
            (
                "svcacct 167",
                make_key("sk-svcacct-", 74, 74, 9),
                KeyKind::ServiceAccount,
            ),
            (
                "early svcacct",
                make_key("sk-my-bot-", 20, 20, 10),
                KeyKind::ServiceAccount,
            ),
            (
                "early svcacct long",
                make_key("sk-svc2-", 58, 58, 11),
                KeyKind::ServiceAccount,
            ),
        ];
        for (name, key, kind) in &cases {
            check(name, key, &Want::Key(*kind, key.clone()));
            let got = scan(key);
            let masked = got.result.key().map(ApiKey::masked).unwrap_or_default();
            assert!(masked.ends_with(&key[key.len() - 4..]), "{name}: {masked}");
            assert!(
                masked.chars().count() <= "sk-svcacct-".len() + 5,
                "{name}: {masked}"
            );
            assert_eq!(got.result.verdict(), Some(Verdict::WellFormed));
        }
    }

    #[test]
    fn names_the_problems() {
        let p = project();
        let l = make_key("sk-", 20, 20, 2);
        let admin = make_key("sk-admin-", 58, 58, 12);
        let mut accent = p.clone();
        accent.insert(50, 'é');
        let mut cyrillic = p.clone();
        cyrillic.replace_range(40..41, "а");
        let dashes = p.replacen('-', "\u{2013}", 2);
        let anthropic = format!("sk-ant-api03-{}AA", rand_str(93, URLSAFE, 13));
        let cases: Vec<(&str, String, ProblemReason)> = vec![
            ("admin", admin.clone(), ProblemReason::Admin),
            ("admin cut", admin[..60].to_owned(), ProblemReason::Admin),
            (
                "cut after marker",
                p[..100].to_owned(),
                ProblemReason::CutShort,
            ),
            (
                "cut before marker",
                p[..50].to_owned(),
                ProblemReason::CutShort,
            ),
            (
                "cut tail",
                make_key("sk-proj-", 58, 30, 14),
                ProblemReason::CutShort,
            ),
            ("legacy cut", l[..40].to_owned(), ProblemReason::CutShort),
            (
                "legacy cut early",
                l[..15].to_owned(),
                ProblemReason::CutShort,
            ),
            ("start missing", p[3..].to_owned(), ProblemReason::CutShort),
            (
                "masked project",
                "sk-proj-****…abcd".to_owned(),
                ProblemReason::Masked,
            ),
            (
                "masked legacy",
                "sk-abcd****wxyz".to_owned(),
                ProblemReason::Masked,
            ),
            (
                "openai error",
                "Incorrect API key provided: sk-abcd****wxyz. You can find your API key at \
                 https://platform.openai.com/account/api-keys."
                    .to_owned(),
                ProblemReason::Masked,
            ),
            (
                "dashboard dots",
                "sk-proj-...AbCd".to_owned(),
                ProblemReason::Masked,
            ),
            (
                "own masked form",
                "sk-proj-…AbCd".to_owned(),
                ProblemReason::Masked,
            ),
            (
                "bullets",
                "sk-••••••••AbCd".to_owned(),
                ProblemReason::Masked,
            ),
            (
                "cut then dots",
                format!("{}...", &p[..40]),
                ProblemReason::Masked,
            ),
            (
                "placeholder dots",
                "sk-...your-key-here".to_owned(),
                ProblemReason::Placeholder,
            ),
            (
                "enter your key",
                "ENTER_YOUR_KEY_HERE".to_owned(),
                ProblemReason::Placeholder,
            ),
            (
                "angle",
                "<your-api-key>".to_owned(),
                ProblemReason::Placeholder,
            ),
            ("xxx", "sk-xxxxxxxx".to_owned(), ProblemReason::Placeholder),
            (
                "sk your key",
                "OPENAI_API_KEY=sk-YOUR_KEY".to_owned(),
                ProblemReason::Placeholder,
            ),
            (
                "env placeholder",
                "OPENAI_API_KEY=your-api-key-here".to_owned(),
                ProblemReason::Placeholder,
            ),
            (
                "bare dots",
                "api_key = \"sk-...\"".to_owned(),
                ProblemReason::Placeholder,
            ),
            (
                "upper",
                "YOUR_OPENAI_API_KEY".to_owned(),
                ProblemReason::Placeholder,
            ),
            ("accent inside", accent, ProblemReason::BadCharacters),
            ("cyrillic letter", cyrillic, ProblemReason::BadCharacters),
            ("long dashes", dashes, ProblemReason::BadCharacters),
            (
                "two markers",
                format!("{}{}", &p[..100], &p[8..]),
                ProblemReason::Unrecognized,
            ),
            (
                "anthropic",
                anthropic.clone(),
                ProblemReason::WrongProvider(Provider::Anthropic),
            ),
            (
                "anthropic admin",
                format!("sk-ant-admin01-{}AA", rand_str(90, URLSAFE, 15)),
                ProblemReason::WrongProvider(Provider::Anthropic),
            ),
            (
                "openrouter",
                format!("sk-or-v1-{}", rand_str(64, HEX, 16)),
                ProblemReason::WrongProvider(Provider::OpenRouter),
            ),
            (
                "deepseek",
                format!("sk-{}", rand_str(32, HEX, 17)),
                ProblemReason::WrongProvider(Provider::DeepSeek),
            ),
            (
                "stripe live",
                format!("sk_live_{}", rand_str(99, ALNUM, 18)),
                ProblemReason::WrongProvider(Provider::Stripe),
            ),
            (
                "stripe test",
                format!("sk_test_{}", rand_str(99, ALNUM, 19)),
                ProblemReason::WrongProvider(Provider::Stripe),
            ),
            (
                "stripe restricted",
                format!("rk_live_{}", rand_str(99, ALNUM, 20)),
                ProblemReason::WrongProvider(Provider::Stripe),
            ),
            (
                "groq",
                format!("gsk_{}", rand_str(52, ALNUM, 21)),
                ProblemReason::WrongProvider(Provider::Groq),
            ),
            (
                "xai",
                format!("xai-{}", rand_str(80, ALNUM, 22)),
                ProblemReason::WrongProvider(Provider::Xai),
            ),
            (
                "perplexity",
                format!("pplx-{}", rand_str(48, ALNUM, 23)),
                ProblemReason::WrongProvider(Provider::Perplexity),
            ),
            (
                "langfuse",
                "sk-lf-1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d".to_owned(),
                ProblemReason::WrongProvider(Provider::Langfuse),
            ),
            (
                "sk 48",
                format!("sk-{}", rand_str(48, ALNUM, 24)),
                ProblemReason::WrongProvider(Provider::UnknownSk48),
            ),
            (
                "masked anthropic",
                "sk-ant-api03-****abcd".to_owned(),
                ProblemReason::WrongProvider(Provider::Anthropic),
            ),
            (
                "placeholder and anthropic",
                format!("OPENAI_API_KEY=your-key-here\nKEY={anthropic}"),
                ProblemReason::WrongProvider(Provider::Anthropic),
            ),
            (
                "admin and masked",
                format!("sk-abcd****wxyz {admin}"),
                ProblemReason::Admin,
            ),
        ];
        for (name, text, reason) in &cases {
            check(name, text, &Want::Problem(*reason));
            let Recognition::Problem(problem) = scan(text).result else {
                continue;
            };
            let expected = match reason {
                ProblemReason::Admin => Verdict::AdminKey,
                ProblemReason::WrongProvider(_) => Verdict::WrongProvider,
                _ => Verdict::Malformed,
            };
            assert_eq!(problem.verdict, expected, "{name}");
            assert!(!problem.message.is_empty() && !problem.next_step.is_empty());
            if let Some(m) = &problem.masked {
                let visible = m.rsplit('…').next().unwrap_or_default();
                assert!(visible.chars().count() <= 4, "{name}: {m}");
            }
            let shown = format!("{problem:?} {problem}");
            for start in (3..text.len().saturating_sub(9)).step_by(3) {
                if let Some(piece) = text.get(start..start + 9)
                    && piece.bytes().all(|b| b.is_ascii_alphanumeric())
                    && !text.contains(' ')
                {
                    assert!(!shown.contains(piece), "{name}: {piece} shown in {shown}");
                }
            }
        }
    }

    #[test]
    fn messages_say_what_the_issue_asks() {
        let anthropic = format!("sk-ant-api03-{}AA", rand_str(93, URLSAFE, 13));
        let p = scan(&anthropic).result;
        assert_eq!(
            p.problem().map(|p| p.message.as_str()),
            Some(
                "This is an Anthropic key. OpenAI keys start with sk-proj- and come from \
                 platform.openai.com/api-keys."
            )
        );
        let cut = scan(&project()[..90]).result;
        assert_eq!(
            cut.problem().map(|p| p.next_step.as_str()),
            Some(
                "Copy it again with the copy button next to it in OpenAI's dialog; if the dialog \
                 is closed, create a new key at https://platform.openai.com/api-keys"
            )
        );
        let admin = scan(&make_key("sk-admin-", 58, 58, 3)).result;
        let admin = admin.problem().map(|p| format!("{p}")).unwrap_or_default();
        assert!(admin.contains("AAAI needs a project key, not an organization admin key"));
        assert!(admin.contains("API keys page"));
        let placeholder = scan("sk-...your-key-here").result;
        assert_eq!(placeholder.problem().and_then(|p| p.masked.clone()), None);
        let masked = scan("sk-proj-****…abcd").result;
        assert_eq!(
            masked.problem().and_then(|p| p.masked.clone()).as_deref(),
            Some("sk-proj-…abcd")
        );
    }

    #[test]
    fn extra_characters_after_a_whole_key_are_named() {
        let p = project();
        let p58 = make_key("sk-proj-", 58, 58, 31);
        let l = make_key("sk-", 20, 20, 2);
        let svc = make_key("sk-svcacct-", 74, 74, 32);
        let early = make_key("sk-my-bot-", 20, 20, 10);
        let cases = [
            ("env, dashes", format!("key={p}--old"), &p),
            ("shell, underscore", format!("export KEY={p}_backup\n"), &p),
            ("132 characters", format!("{p58}-2"), &p58),
            ("legacy, dash digit", format!("{l}-2"), &l),
            ("legacy, underscore", format!("\"{l}_old\""), &l),
            ("service account", format!("{svc}-copy"), &svc),
            ("early service account", format!("{early}_v2"), &early),
        ];
        for (name, text, key) in &cases {
            let got = scan(text).result;
            let Recognition::Problem(problem) = &got else {
                panic!("{name}: wanted extra characters, got {got:?}");
            };
            assert_eq!(problem.reason, ProblemReason::ExtraCharacters, "{name}");
            assert_eq!(problem.verdict, Verdict::Malformed, "{name}");
            let last4 = &key[key.len() - 4..];
            assert!(
                problem
                    .masked
                    .as_deref()
                    .is_some_and(|m| m.ends_with(last4)),
                "{name}: the masked form shows the key's end: {problem:?}"
            );
            assert!(problem.message.contains("extra characters after the key"));
            assert!(!problem.next_step.is_empty());
            let shown = format!("{problem:?} {problem}");
            assert!(!shown.contains(&key[10..30]), "{name}: {shown}");
        }
        // The same keys whole, or followed by a delimiter, are still keys; a dash glued to
        // the end is extra.
        for key in [&p, &p58, &l, &svc, &early] {
            for text in [key.clone(), format!("{key} -old"), format!("{key}, _x")] {
                let got = scan(&text).result;
                assert_eq!(got.key().map(ApiKey::expose_secret), Some(key.as_str()));
            }
            let got = scan(&format!("{key}-")).result;
            assert!(
                got.problem()
                    .is_some_and(|p| p.reason == ProblemReason::ExtraCharacters),
                "a dash glued to the end is extra: {got:?}"
            );
        }
    }

    #[test]
    fn prefers_a_usable_key() {
        let p = project();
        let l = make_key("sk-", 20, 20, 2);
        let admin = make_key("sk-admin-", 58, 58, 12);
        let anthropic = format!("sk-ant-api03-{}AA", rand_str(93, URLSAFE, 13));
        let cases = [
            (
                "after look-alike",
                format!("ANTHROPIC={anthropic}\nOPENAI={p}"),
                p.clone(),
            ),
            ("after cut copy", format!("{}\n{p}", &p[..90]), p.clone()),
            ("after admin", format!("{admin} {p}"), p.clone()),
            (
                "after placeholder",
                format!("sk-...your-key-here {p}"),
                p.clone(),
            ),
            (
                "after masked",
                format!("sk-abcd****wxyz then {l}"),
                l.clone(),
            ),
            ("cut glued to whole", format!("{}{p}", &p[..50]), p.clone()),
            ("first of two", format!("{l} {p}"), l.clone()),
            ("legacy url encoded", format!("?q=key%3D{l}%26"), l.clone()),
            (
                "legacy glued after word",
                format!("Bearer\u{200B}{l}"),
                l.clone(),
            ),
        ];
        for (name, text, key) in &cases {
            let got = scan(text);
            assert_eq!(
                got.result.key().map(ApiKey::expose_secret),
                Some(key.as_str()),
                "{name}: {got:?}"
            );
        }
    }

    #[test]
    fn nothing_in_plain_text() {
        let cases = [
            "",
            "   \r\n\t",
            "hello world",
            "I use sk-learn and scikit-learn.",
            "OpenAI keys start with sk-proj- and come from platform.openai.com/api-keys.",
            "OPENAI_API_KEY=",
            "Set OPENAI_API_KEY in your .env file.",
            "https://platform.openai.com/api-keys",
            "xai-grok is a model; pplx-api is a thing; gsk_ prefix",
            "wait...what? ** bold ** … •••",
        ];
        for text in cases {
            check(text, text, &Want::Nothing);
        }
    }

    #[test]
    fn own_messages_hold_no_key() {
        let texts = [
            project()[..90].to_owned(),
            "sk-abcd****wxyz".to_owned(),
            "ENTER_YOUR_KEY_HERE".to_owned(),
            make_key("sk-admin-", 58, 58, 1),
            format!("gsk_{}", rand_str(52, ALNUM, 21)),
            format!("{}é{}", &project()[..50], &project()[50..]),
            project()[3..].to_owned(),
            format!("{}--old", project()),
        ];
        for text in &texts {
            if let Recognition::Problem(p) = scan(text).result {
                let words = format!("{} {}", p.message, p.next_step);
                assert_eq!(scan(&words).result, Recognition::Nothing, "{words}");
            }
        }
    }

    #[test]
    fn secret_never_shown() {
        let p = project();
        let got = scan(&p);
        let key = got.result.key().cloned();
        let Some(key) = key else {
            panic!("no key");
        };
        for shown in [
            format!("{key:?}"),
            format!("{key}"),
            format!("{key:#?}"),
            format!("{got:?}"),
            format!("{got:#?}"),
            format!("{:?}", got.result),
            key.masked(),
        ] {
            assert!(!shown.contains(&p), "{shown}");
            assert!(!shown.contains(&p[8..20]), "{shown}");
        }
        assert_eq!(key.masked(), format!("sk-proj-…{}", &p[p.len() - 4..]));
        let legacy = scan(&make_key("sk-", 20, 20, 2)).result;
        assert!(legacy.key().is_some_and(|k| k.masked().starts_with("sk-…")));
        assert_eq!(key, key.clone());
        assert_eq!(KeyKind::Project.as_str(), "project");
        assert_eq!(KeyKind::NoOwner.as_str(), "no_owner");
        assert_eq!(KeyKind::ServiceAccount.label(), "service account key");
    }

    #[test]
    fn cap_and_truncation() {
        let p = project();
        let mut text = format!("{p}\n");
        text.push_str(&"word ".repeat(MAX_SCAN_BYTES / 4));
        let got = scan(&text);
        assert!(got.truncated);
        assert_eq!(
            got.result.key().map(ApiKey::expose_secret),
            Some(p.as_str())
        );

        let late = format!("{}{p}", " ".repeat(MAX_SCAN_BYTES));
        let got = scan(&late);
        assert!(got.truncated);
        assert_eq!(got.result, Recognition::Nothing);

        // The cap falls inside a multi-byte character.
        for pad in 0..4 {
            let text = format!("{}{}", "a".repeat(pad), "é€😀".repeat(MAX_SCAN_BYTES / 5));
            let got = scan(&text);
            assert!(got.truncated);
            assert_eq!(got.result, Recognition::Nothing);
        }
        let exact = "a".repeat(MAX_SCAN_BYTES);
        assert!(!scan(&exact).truncated);

        // A key at the end of a big paste, well within the cap, is found.
        let mut big = "lorem ipsum sk- proj- … ".repeat((5 << 20) / 24);
        big.push_str(&p);
        let got = scan(&big);
        assert!(!got.truncated);
        assert_eq!(
            got.result.key().map(ApiKey::expose_secret),
            Some(p.as_str())
        );
        const { assert!(MAX_SCAN_BYTES >= 16 << 20) };
    }

    fn time<F: FnMut()>(mut f: F) -> Duration {
        (0..2)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    }

    fn random_text(len: usize, seed: u64) -> String {
        let mut rng = Rng(seed);
        let pieces = [
            " ", "\n", "sk-", "proj-", "the ", "é", "…", "*", ".", "\u{a0}", "\u{200b}", "\"", "=",
            "–", "T3Bl", "FJ", "_", "-", "😀",
        ];
        let mut s = String::with_capacity(len + 16);
        while s.len() < len {
            if rng.below(3) == 0 {
                s.push_str(pieces[rng.below(pieces.len())]);
            } else {
                let n = rng.below(12);
                s.push_str(&rng.chars(n, URLSAFE));
            }
        }
        s
    }

    fn fragments_text(len: usize, seed: u64) -> String {
        let mut rng = Rng(seed);
        let m = marker();
        let mut s = String::with_capacity(len + 200);
        while s.len() < len {
            match rng.below(6) {
                0 => s.push_str("sk-sk-sk-sk-sk-"),
                1 => {
                    s.push_str("sk-proj-");
                    s.push_str(&rng.chars(30, ALNUM));
                    s.push_str(&m);
                    s.push(' ');
                }
                2 => s.push_str("sk-a1\u{a0}sk-b2–sk-"),
                3 => s.push_str("sk-abc****…"),
                4 => {
                    s.push_str("sk-");
                    s.push_str(&rng.chars(20, ALNUM));
                    s.push(' ');
                }
                _ => s.push_str(&m),
            }
        }
        s
    }

    #[test]
    fn big_inputs_scan_in_linear_time() {
        let five = 5 * 1024 * 1024;
        for (name, text) in [
            ("random", random_text(2 * five, 1)),
            ("sk fragments", fragments_text(2 * five, 2)),
            ("one long token", "sk-".repeat(2 * five / 3)),
        ] {
            let half = &text[..super::floor_char_boundary(&text, five)];
            // Both sizes are under the cap: the whole text is scanned each time.
            assert!(!scan(&text).truncated, "{name}");
            let t5 = time(|| {
                let _ = scan(half);
            });
            let t10 = time(|| {
                let _ = scan(&text);
            });
            assert!(
                scan(&text).result.key().is_none(),
                "{name}: the timing needs no key"
            );
            println!("{name}: 5 MB {t5:?}, 10 MB {t10:?}");
            assert!(t10.as_secs_f64() < 4.0 * t5.as_secs_f64() + 0.05, "{name}");

            // Without the cap, eight times the text takes about eight times as long (a
            // quadratic scan would take 64 times). Speed itself is the benchmark's business.
            let small = &text[..super::floor_char_boundary(&text, 256 << 10)];
            let large = &text[..super::floor_char_boundary(&text, 2 << 20)];
            let ts = time(|| {
                let _ = scan_limited(small, usize::MAX);
            });
            let tl = time(|| {
                let _ = scan_limited(large, usize::MAX);
            });
            println!("{name}: uncapped 256 KiB {ts:?}, 2 MiB {tl:?}");
            assert!(tl.as_secs_f64() < 24.0 * ts.as_secs_f64() + 0.05, "{name}");
        }
    }

    fn check_result(text: &str, got: &Scan) -> Result<(), TestCaseError> {
        let shown = format!("{got:?}");
        if let Recognition::Key(k) = &got.result {
            let secret = k.expose_secret();
            prop_assert!(secret.starts_with("sk-"));
            prop_assert!(secret.contains(&marker()));
            prop_assert!(!shown.contains(secret));
        }
        if let Recognition::Problem(p) = &got.result {
            prop_assert!(!p.message.is_empty());
        }
        prop_assert_eq!(got.truncated, text.len() > MAX_SCAN_BYTES);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..65_536)) {
            let text = String::from_utf8_lossy(&bytes);
            let got = scan(&text);
            check_result(&text, &got)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn key_like_soup_never_panics(parts in proptest::collection::vec(0usize..24, 0..400), seed in any::<u64>()) {
            let key = make_key("sk-proj-", 58, 58, seed);
            let m = marker();
            let pieces = [
                "sk-", "proj-", "admin-", "None-", m.as_str(), "T3Bl", "abcdEF12", "-", "_", "*",
                "…", ".", "...", " ", "\u{a0}", "\u{200b}", "–", "é", "\"", "=", "\r\n",
                key.as_str(), "gsk_", "xx",
            ];
            let text: String = parts.iter().map(|&i| pieces[i]).collect();
            let got = scan(&text);
            check_result(&text, &got)?;
        }

        #[test]
        fn any_key_in_any_wrapping_is_found(
            seed in any::<u64>(),
            shape in 0usize..6,
            before in 0usize..10,
            after in 0usize..10,
            junk in "[a-zA-Z ]{0,40}",
        ) {
            let key = match shape {
                0 => make_key("sk-", 20, 20, seed),
                1 => make_key("sk-None-", 20, 20, seed),
                2 => make_key("sk-proj-", 58, 58, seed),
                3 => make_key("sk-proj-", 74, 74, seed),
                4 => make_key("sk-svcacct-", 74, 74, seed),
                _ => make_key("sk-team-x-", 58, 58, seed),
            };
            let opens = [" ", "\"", "'", "Bearer ", "OPENAI_API_KEY=", "?key=", "\u{feff}", "“", "\n", "(", ];
            let closes = [" ", "\"", "'", "\r\n", "&x=1", ". ", ", ", "”", "\u{200b}", ")"];
            let text = format!("{junk}{}{key}{}{junk}", opens[before], closes[after]);
            let got = scan(&text);
            prop_assert_eq!(got.result.key().map(ApiKey::expose_secret), Some(key.as_str()));
        }
    }
}
