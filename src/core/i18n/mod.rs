//! The window's texts in the user's language. The texts are written in English where they are
//! made (the core's wording, the guide, the UI); the window passes every text it shows through
//! [`Catalog::translate`] just before drawing it, so a change of language shows at once and the
//! command line, which never translates, stays English.
//!
//! Each language has one catalogue, compiled in from `assets/i18n/<tag>.txt`. The English one
//! lists every text the window may show, as templates: `{name}` is a part that changes (a
//! model's name, a masked key, a number) and is kept as it is; `{name:t}` is a part that is
//! itself a text of the catalogue, translated in turn; `{name:n}` is a number (digits only);
//! `{name:date}` is a date written
//! `1 December 2026`, written again in the language's own way. The other catalogues pair each
//! English template with its translation, which uses the same parts. A text that is not one
//! template is cut into sentences and each sentence is looked up alone. Pure: no I/O.

pub mod lang;

use std::collections::HashMap;

use crate::core::models::MONTHS;

pub use lang::{Lang, LangChoice};

/// The catalogue files, compiled in as build.rs packs them: zlib, and in a translation each
/// line that is also a line of `en.txt` written [`SAME_AS_ENGLISH`] and its index there.
const PACKED: [(Lang, &[u8]); 4] = [
    (
        Lang::En,
        include_bytes!(concat!(env!("OUT_DIR"), "/i18n/en.z")),
    ),
    (
        Lang::It,
        include_bytes!(concat!(env!("OUT_DIR"), "/i18n/it.z")),
    ),
    (
        Lang::Ja,
        include_bytes!(concat!(env!("OUT_DIR"), "/i18n/ja.z")),
    ),
    (
        Lang::ZhHans,
        include_bytes!(concat!(env!("OUT_DIR"), "/i18n/zh-Hans.z")),
    ),
];

/// The mark build.rs puts at the start of a packed line that stands for a line of `en.txt`.
const SAME_AS_ENGLISH: char = '\u{1}';

/// Whether `lang` has a catalogue with every text of the English one (the others are not
/// translated yet and are neither offered nor picked).
pub fn is_translated(lang: Lang) -> bool {
    lang == Lang::En || !catalog(lang).is_empty()
}

/// The text of one catalogue file for `lang`, exactly as written in `assets/i18n`, unpacked
/// from the binary. Empty if it does not unpack (the tests keep this from happening): that
/// language then stays English.
pub fn source(lang: Lang) -> String {
    // The English file, which every other one refers to, is unpacked once.
    static ENGLISH: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let packed = |l: Lang| PACKED.iter().find(|(p, _)| *p == l).map(|(_, z)| *z);
    let english = ENGLISH.get_or_init(|| packed(Lang::En).and_then(|z| unpack(z, "")));
    match (lang, english) {
        (Lang::En, Some(english)) => english.clone(),
        (_, Some(english)) => packed(lang)
            .and_then(|z| unpack(z, english))
            .unwrap_or_default(),
        (_, None) => String::new(),
    }
}

/// One packed catalogue unpacked: inflated, then each `\u{1}N` line replaced by line N of
/// `english`. `None` for a stream that does not inflate to UTF-8 or names a line `english`
/// does not have.
fn unpack(packed: &[u8], english: &str) -> Option<String> {
    let text = String::from_utf8(fdeflate::decompress_to_vec(packed).ok()?).ok()?;
    let lines: Vec<&str> = english.split('\n').collect();
    let mut out = Vec::new();
    for line in text.split('\n') {
        match line.strip_prefix(SAME_AS_ENGLISH) {
            Some(at) => out.push(*lines.get(at.parse::<usize>().ok()?)?),
            None => out.push(line),
        }
    }
    Some(out.join("\n"))
}

/// How a changing part is carried into the translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hole {
    /// As it is: a name, a number, a masked key.
    Keep,
    /// Translated in turn, as a text of the catalogue.
    Text,
    /// A date in words, written again in the language's way.
    Date,
    /// A number (digits only), kept as it is.
    Number,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Lit(String),
    Hole(String, Hole),
}

/// One text with its changing parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    raw: String,
    parts: Vec<Part>,
}

impl Template {
    /// Reads `{name}`, `{name:t}` and `{name:date}`; `{{` and `}}` are braces.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => name.push(c),
                            None => return Err(format!("an unclosed {{ in {raw:?}")),
                        }
                    }
                    let (name, hole) = match name.split_once(':') {
                        None => (name, Hole::Keep),
                        Some((n, "t")) => (n.to_owned(), Hole::Text),
                        Some((n, "date")) => (n.to_owned(), Hole::Date),
                        Some((n, "n")) => (n.to_owned(), Hole::Number),
                        Some((_, kind)) => {
                            return Err(format!("an unknown part :{kind} in {raw:?}"));
                        }
                    };
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        return Err(format!("a part with a bad name in {raw:?}"));
                    }
                    if matches!(parts.last(), Some(Part::Hole(..))) && lit.is_empty() {
                        return Err(format!("two parts side by side in {raw:?}"));
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Hole(name, hole));
                }
                '}' => return Err(format!("a stray }} in {raw:?}")),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        if parts.is_empty() {
            return Err("an empty text".to_owned());
        }
        if parts.len() == 1 && matches!(parts[0], Part::Hole(..)) {
            return Err(format!("a text that is only a part: {raw:?}"));
        }
        Ok(Self {
            raw: raw.to_owned(),
            parts,
        })
    }

    /// The template as written.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The changing parts, sorted by name.
    pub fn holes(&self) -> Vec<(&str, Hole)> {
        let mut holes: Vec<(&str, Hole)> = self
            .parts
            .iter()
            .filter_map(|p| match p {
                Part::Hole(n, h) => Some((n.as_str(), *h)),
                Part::Lit(_) => None,
            })
            .collect();
        holes.sort_unstable_by_key(|(n, _)| *n);
        holes
    }

    fn literal_len(&self) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(l) => l.len(),
                Part::Hole(..) => 0,
            })
            .sum()
    }

    /// Offers `accept` each split of `text` into this template's parts, shortest values first,
    /// until it takes one (returns `true`). A text like "project sk-…, kept" can split more
    /// than one way; the caller decides which split reads (its translated parts translate).
    /// Each place tried to end a part takes one of `steps`, shared by the whole translation,
    /// so a long text with many ways to split cannot make it slow; with none left, no match.
    fn each_split<'t>(
        &self,
        text: &'t str,
        steps: &Steps,
        accept: &mut dyn FnMut(&[&'t str]) -> bool,
    ) -> bool {
        let mut out = Vec::new();
        self.match_from(0, text, &mut out, steps, accept)
    }

    fn match_from<'t>(
        &self,
        i: usize,
        text: &'t str,
        out: &mut Vec<&'t str>,
        steps: &Steps,
        accept: &mut dyn FnMut(&[&'t str]) -> bool,
    ) -> bool {
        match self.parts.get(i) {
            None => text.is_empty() && accept(out),
            Some(Part::Lit(l)) => text
                .strip_prefix(l.as_str())
                .is_some_and(|rest| self.match_from(i + 1, rest, out, steps, accept)),
            Some(Part::Hole(_, hole)) => {
                // A part kept as it is (a name, a number) never spans a sentence's end.
                let fits = |v: &str| match hole {
                    Hole::Keep => !v.contains(". "),
                    Hole::Number => v.chars().all(|c| c.is_ascii_digit()),
                    Hole::Text | Hole::Date => true,
                };
                let Some(next) = self.parts.get(i + 1) else {
                    if text.is_empty() || !fits(text) {
                        return false;
                    }
                    out.push(text);
                    let taken = accept(out);
                    out.pop();
                    return taken;
                };
                let Part::Lit(l) = next else { return false };
                // Each place the next literal could start, shortest value first.
                for (at, _) in text.match_indices(l.as_str()) {
                    if steps.get() == 0 {
                        return false;
                    }
                    steps.set(steps.get() - 1);
                    if at == 0 || !fits(&text[..at]) {
                        continue;
                    }
                    out.push(&text[..at]);
                    let taken = self.match_from(i + 1, &text[at..], out, steps, accept);
                    out.pop();
                    if taken {
                        return true;
                    }
                }
                false
            }
        }
    }
}

/// How many places to end a part are tried, in all, while one text is translated; past that,
/// what is left stays English. Real texts need a few hundred.
const MAX_STEPS: usize = 20_000;

/// What is left of [`MAX_STEPS`] for the text being translated.
type Steps = std::cell::Cell<usize>;

/// One language's catalogue, ready to look texts up.
#[derive(Debug)]
pub struct Catalog {
    lang: Lang,
    exact: HashMap<String, Template>,
    /// Templates with changing parts, the most specific first: those that start with words,
    /// then the most literal text.
    patterns: Vec<(Template, Template)>,
}

/// What [`Catalog::translate`] made of a text.
#[derive(Debug, PartialEq, Eq)]
pub struct Translated {
    /// The text to show.
    pub text: String,
    /// The sentences no template matched, left in English.
    pub missed: Vec<String>,
}

/// One entry of a catalogue file: the English template and, outside `en.txt`, its translation.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    /// The line the entry starts on.
    pub line: usize,
    /// The English template.
    pub english: String,
    /// The translation (the English itself in `en.txt`).
    pub translation: String,
}

/// Reads a catalogue file. `en.txt` is one template per line; the others pair each English
/// line with a line that starts `= ` and holds its translation. `#` starts a comment line;
/// blank lines are free.
pub fn entries(lang: Lang, text: &str) -> Result<Vec<Entry>, String> {
    let mut out: Vec<Entry> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(t) = line.strip_prefix("= ") {
            let Some((at, english)) = open.take() else {
                return Err(format!(
                    "{}.txt line {n}: a translation with no English before it",
                    lang.tag()
                ));
            };
            if lang == Lang::En {
                return Err(format!(
                    "en.txt line {n}: the English catalogue has no translations"
                ));
            }
            out.push(Entry {
                line: at,
                english,
                translation: t.trim().to_owned(),
            });
        } else {
            if let Some(open) = open.take() {
                out.push(untranslated(lang, open)?);
            }
            open = Some((n, line.to_owned()));
        }
    }
    if let Some(open) = open {
        out.push(untranslated(lang, open)?);
    }
    Ok(out)
}

/// An English line with no translation after it: its own entry in `en.txt`, an error elsewhere.
fn untranslated(lang: Lang, (at, english): (usize, String)) -> Result<Entry, String> {
    if lang != Lang::En {
        return Err(format!(
            "{}.txt line {at}: no translation for {english:?}",
            lang.tag()
        ));
    }
    Ok(Entry {
        line: at,
        translation: english.clone(),
        english,
    })
}

/// The compiled-in catalogue for `lang`, read once. A catalogue that does not read (the
/// tests keep this from happening) leaves that language's texts in English.
pub fn catalog(lang: Lang) -> &'static Catalog {
    static CATALOGS: std::sync::OnceLock<Vec<Catalog>> = std::sync::OnceLock::new();
    let all = CATALOGS.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|&l| Catalog::load(l).unwrap_or_else(|_| Catalog::empty(l)))
            .collect()
    });
    let at = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
    &all[at]
}

impl Catalog {
    /// A catalogue with no texts: everything stays English.
    pub fn empty(lang: Lang) -> Self {
        Self {
            lang,
            exact: HashMap::new(),
            patterns: Vec::new(),
        }
    }

    /// The compiled-in catalogue for `lang`.
    pub fn load(lang: Lang) -> Result<Self, String> {
        Self::from_text(lang, &source(lang))
    }

    /// A catalogue from a file's text.
    pub fn from_text(lang: Lang, text: &str) -> Result<Self, String> {
        let mut exact = HashMap::new();
        let mut patterns = Vec::new();
        for e in entries(lang, text)? {
            let english =
                Template::parse(&e.english).map_err(|m| format!("line {}: {m}", e.line))?;
            let translation =
                Template::parse(&e.translation).map_err(|m| format!("line {}: {m}", e.line))?;
            if english.holes() != translation.holes() {
                return Err(format!(
                    "{}.txt line {}: the translation's parts differ from the English ones",
                    lang.tag(),
                    e.line
                ));
            }
            if english.holes().is_empty() {
                exact.insert(english.raw.clone(), translation);
            } else {
                patterns.push((english, translation));
            }
        }
        // A template that starts with its own words is tried before one that starts with a
        // part: "Welcome back: {a:t}; {b:t}" holds "{what:t} is next (step {n:n})." in its
        // second part, never the other way round. Then the most literal text first.
        patterns.sort_by_key(|(e, _)| {
            std::cmp::Reverse((
                matches!(e.parts.first(), Some(Part::Lit(_))),
                e.literal_len(),
            ))
        });
        Ok(Self {
            lang,
            exact,
            patterns,
        })
    }

    /// Whether the catalogue holds no texts (a language not translated yet).
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.patterns.is_empty()
    }

    /// The catalogue's language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// `text` in this catalogue's language. A text that is one template is translated whole;
    /// any other is cut into lines and sentences, each looked up alone. What nothing matches
    /// stays English and is listed in `missed`.
    pub fn translate(&self, text: &str) -> Translated {
        let mut missed = Vec::new();
        let text = if self.lang == Lang::En {
            text.to_owned()
        } else {
            self.lines(text, &mut missed, &Steps::new(MAX_STEPS))
        };
        Translated { text, missed }
    }

    fn lines(&self, text: &str, missed: &mut Vec<String>, steps: &Steps) -> String {
        if let Some(t) = self.whole(text, steps) {
            return t;
        }
        if text.contains('\n') {
            return text
                .split('\n')
                .map(|line| self.lines(line, missed, steps))
                .collect::<Vec<_>>()
                .join("\n");
        }
        let sentences = crate::core::sentences::sentences(text);
        if sentences.len() <= 1 {
            if !is_verbatim(text) {
                missed.push(text.to_owned());
            }
            return text.to_owned();
        }
        sentences
            .iter()
            .map(|s| match self.whole(s, steps) {
                Some(t) => t,
                None => {
                    if !is_verbatim(s) {
                        missed.push((*s).to_owned());
                    }
                    (*s).to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(self.lang.sentence_gap())
    }

    /// `text` translated when it is one template of the catalogue.
    fn whole(&self, text: &str, steps: &Steps) -> Option<String> {
        if is_verbatim(text) {
            return None;
        }
        if let Some(t) = self.exact.get(text) {
            return Some(t.raw.replace("{{", "{").replace("}}", "}"));
        }
        // Leading and trailing spaces and a trailing colon are kept around the lookup.
        let trimmed = text.trim();
        if trimmed.len() != text.len() && !trimmed.is_empty() {
            let t = self.whole(trimmed, steps)?;
            let start = &text[..text.len() - text.trim_start().len()];
            let end = &text[text.trim_end().len()..];
            return Some(format!("{start}{t}{end}"));
        }
        // The most specific template, split so that its translated parts all translate.
        for (english, translation) in &self.patterns {
            let mut done = None;
            english.each_split(text, steps, &mut |values| {
                let filled = self.fill_in(english, translation, values, steps);
                let taken = filled.is_some();
                done = filled;
                taken
            });
            if done.is_some() {
                return done;
            }
        }
        // A text that is another with a full stop after it ("{item}." in a sentence).
        if let Some(bare) = text.strip_suffix('.')
            && !bare.ends_with('.')
            && let Some(t) = self.whole(bare, steps)
        {
            let ended = t.ends_with(['.', '?', '!', '。', '？', '！', '…']);
            return Some(if ended {
                t
            } else {
                format!("{t}{}", self.lang.full_stop())
            });
        }
        None
    }

    /// `translation` with `values` (one split of the English text) in its parts, or `None`
    /// when one of the translated parts does not translate.
    fn fill_in(
        &self,
        english: &Template,
        translation: &Template,
        values: &[&str],
        steps: &Steps,
    ) -> Option<String> {
        let names = english.parts.iter().filter_map(|p| match p {
            Part::Hole(n, h) => Some((n.as_str(), *h)),
            Part::Lit(_) => None,
        });
        let mut inner = Vec::new();
        let values: HashMap<&str, String> = names
            .zip(values)
            .map(|((name, hole), value)| (name, self.fill(hole, value, &mut inner, steps)))
            .collect();
        if !inner.is_empty() {
            return None;
        }
        let mut out = String::new();
        for part in &translation.parts {
            match part {
                Part::Lit(l) => out.push_str(l),
                Part::Hole(n, _) => out.push_str(values.get(n.as_str()).map_or("", String::as_str)),
            }
        }
        Some(out)
    }

    fn fill(&self, hole: Hole, value: &str, missed: &mut Vec<String>, steps: &Steps) -> String {
        match hole {
            Hole::Keep | Hole::Number => value.to_owned(),
            Hole::Text => self.lines(value, missed, steps),
            Hole::Date => date(self.lang, value).unwrap_or_else(|| {
                missed.push(value.to_owned());
                value.to_owned()
            }),
        }
    }
}

/// A text that is the same in every language: a web address, a masked key, a number.
pub fn is_verbatim(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("http://")
        || t.starts_with("https://")
        || t.starts_with("sk-")
        || !t.chars().any(char::is_alphabetic)
}

const MESI: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// `1 December 2026` written the language's way.
fn date(lang: Lang, english: &str) -> Option<String> {
    let mut words = english.split(' ');
    let day: u8 = words.next()?.parse().ok()?;
    let month_word = words.next()?;
    let month = MONTHS.iter().position(|m| *m == month_word)?;
    let year: u16 = words.next()?.parse().ok()?;
    Some(match lang {
        Lang::En => english.to_owned(),
        Lang::It => format!("{day} {} {year}", MESI[month]),
        Lang::Ja | Lang::ZhHans => format!("{year}年{}月{day}日", month + 1),
    })
}

#[cfg(test)]
mod tests;
