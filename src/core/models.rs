//! Which models AAAI calls, read from one small data file (`assets/aaai-models.json`) that is
//! compiled in. Support staff can point the app at another copy of the file (the adapter reads
//! it; see README, "Which models the check uses").
//!
//! OpenAI retires models on a schedule, so the file names, per feature, an ordered list of
//! candidates; the readiness check probes the first one OpenAI still offers (see
//! `readiness::choice`). Also here: OpenAI's model list as the check reads it ([`Listed`]) and
//! the calendar day ([`Day`]) that decides whether a shutdown date has been reached.

use serde::Deserialize;
use serde_json::Value;

/// The file compiled into the binary.
pub const BUILT_IN: &str = include_str!("../../assets/aaai-models.json");

/// The environment variable that names a replacement models file.
pub(crate) const OVERRIDE_VAR: &str = "AAAI_KEY_SETUP_MODELS";

/// The file format this app writes (version 1, one model per feature, is still read).
pub const FORMAT_VERSION: u32 = 2;

/// The models AAAI may call, per feature, first choice first.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AaaiModels {
    /// The file format's version (2; a version-1 file is read as lists of one).
    pub version: u32,
    /// The text models AAAI may write articles with.
    pub articles: Family<TextModel>,
    /// The image models AAAI may make images with.
    pub images: Family<ImageModel>,
}

/// One feature's candidates, and the family a replacement is looked for in when OpenAI lists
/// none of them.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family<M> {
    /// The id prefix of the family, e.g. `gpt-image-`.
    pub family: String,
    /// Ids of the family holding one of these words are not of this kind (`gpt-` holds audio
    /// and realtime models, which cannot write articles).
    #[serde(default)]
    pub family_excludes: Vec<String>,
    /// The candidates, first choice first; never empty.
    pub candidates: Vec<M>,
}

/// Which field caps the reply's length in a chat completion request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BudgetParam {
    /// `max_tokens`: older chat models (reasoning models refuse it).
    MaxTokens,
    /// `max_completion_tokens`: what reasoning models take.
    #[default]
    MaxCompletionTokens,
}

impl BudgetParam {
    /// The field's name in the request body.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MaxTokens => "max_tokens",
            Self::MaxCompletionTokens => "max_completion_tokens",
        }
    }
}

/// One text model.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextModel {
    /// The model id, a dated snapshot where one exists.
    pub model: String,
    /// Which field the zero-token credit probe sets to 0.
    #[serde(default)]
    pub budget_param: BudgetParam,
    /// When it was chosen (YYYY-MM-DD).
    pub chosen: String,
    /// Why it was chosen (guesses are called guesses).
    pub why: String,
}

/// One image model, and the smallest, cheapest image it makes.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageModel {
    /// The model id.
    pub model: String,
    /// The smallest size it makes, e.g. `1024x1024`.
    pub size: String,
    /// The cheapest quality, e.g. `low`.
    pub quality: String,
    /// When it was chosen (YYYY-MM-DD).
    pub chosen: String,
    /// Why it was chosen (guesses are called guesses).
    pub why: String,
}

/// Anything with a model id.
pub trait Candidate {
    /// The model id.
    fn id(&self) -> &str;
}

impl Candidate for TextModel {
    fn id(&self) -> &str {
        &self.model
    }
}

impl Candidate for ImageModel {
    fn id(&self) -> &str {
        &self.model
    }
}

impl<M: Candidate> Family<M> {
    /// The first choice.
    pub fn first(&self) -> &M {
        // `parse` refuses an empty list, and the fallback in `built_in` has one.
        &self.candidates[0]
    }

    /// The candidate with this id.
    pub fn find(&self, id: &str) -> Option<&M> {
        self.candidates.iter().find(|c| c.id() == id)
    }

    /// True when `id` belongs to this family.
    pub fn holds(&self, id: &str) -> bool {
        id.starts_with(&self.family) && !self.family_excludes.iter().any(|w| id.contains(w))
    }
}

/// Why a models file could not be used. Never repeats the file's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModelsError {
    /// Not JSON of the expected shape.
    #[error("it is not a models file of the expected shape (see the README)")]
    Shape,
    /// A version this app does not know.
    #[error("it has a version this app does not know")]
    Version,
    /// A model id is empty or holds characters no model id has.
    #[error("a model name in it is empty or holds characters no model name has")]
    BadModelId,
    /// A feature has no candidate.
    #[error("a feature in it names no model")]
    Empty,
}

/// True for a string that may be a model id (also used for ids read from OpenAI's list).
pub(crate) fn plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
}

/// The version-1 file: one model per feature.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct V1 {
    #[allow(dead_code)]
    version: u32,
    articles: V1Text,
    images: ImageModel,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct V1Text {
    model: String,
    chosen: String,
    why: String,
}

const IMAGE_FAMILY: &str = "gpt-image-";
const TEXT_FAMILY: &str = "gpt-";
const TEXT_EXCLUDES: [&str; 10] = [
    "image",
    "audio",
    "realtime",
    "tts",
    "transcribe",
    "search",
    "embedding",
    "codex",
    "moderation",
    "oss",
];

impl V1 {
    fn upgrade(self) -> AaaiModels {
        AaaiModels {
            version: 1,
            articles: Family {
                family: TEXT_FAMILY.to_owned(),
                family_excludes: TEXT_EXCLUDES.iter().map(|s| (*s).to_owned()).collect(),
                candidates: vec![TextModel {
                    model: self.articles.model,
                    // Version 1 named non-reasoning models and sent max_tokens.
                    budget_param: BudgetParam::MaxTokens,
                    chosen: self.articles.chosen,
                    why: self.articles.why,
                }],
            },
            images: Family {
                family: IMAGE_FAMILY.to_owned(),
                family_excludes: Vec::new(),
                candidates: vec![self.images],
            },
        }
    }
}

impl AaaiModels {
    /// Reads a models file's text (version 2, or version 1 read as lists of one).
    pub fn parse(text: &str) -> Result<Self, ModelsError> {
        let value: Value = serde_json::from_str(text).map_err(|_| ModelsError::Shape)?;
        let models = match value.get("version").and_then(Value::as_u64) {
            Some(1) => serde_json::from_value::<V1>(value)
                .map_err(|_| ModelsError::Shape)?
                .upgrade(),
            Some(2) => serde_json::from_value::<Self>(value).map_err(|_| ModelsError::Shape)?,
            Some(_) => return Err(ModelsError::Version),
            None => return Err(ModelsError::Shape),
        };
        if models.articles.candidates.is_empty() || models.images.candidates.is_empty() {
            return Err(ModelsError::Empty);
        }
        let mut ids: Vec<&str> = vec![&models.articles.family, &models.images.family];
        ids.extend(models.articles.candidates.iter().map(|c| c.model.as_str()));
        for c in &models.images.candidates {
            ids.extend([c.model.as_str(), &c.size, &c.quality]);
        }
        if !ids.iter().all(|id| plausible_id(id)) {
            return Err(ModelsError::BadModelId);
        }
        Ok(models)
    }

    /// The compiled-in file (checked by a test, so this never falls back in practice).
    pub fn built_in() -> Self {
        Self::parse(BUILT_IN).unwrap_or_else(|_| {
            V1 {
                version: 1,
                articles: V1Text {
                    model: "gpt-6-luna".to_owned(),
                    chosen: String::new(),
                    why: String::new(),
                },
                images: ImageModel {
                    model: "gpt-image-2".to_owned(),
                    size: "1024x1024".to_owned(),
                    quality: "low".to_owned(),
                    chosen: String::new(),
                    why: String::new(),
                },
            }
            .upgrade()
        })
    }
}

impl Default for AaaiModels {
    fn default() -> Self {
        Self::built_in()
    }
}

/// A calendar day (UTC), ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    year: i32,
    month: u8,
    day: u8,
}

/// The months' English names, as `Day::words` writes them.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Day {
    /// A day, when it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Self { year, month, day })
    }

    /// `YYYY-MM-DD`, as OpenAI's `shutdown_date`.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut parts = s.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Self::new(year, month, day)
    }

    /// The day of an HTTP `Date` header (`Tue, 01 Dec 2026 21:56:11 GMT`).
    pub fn parse_http_date(s: &str) -> Option<Self> {
        let mut words = s.split_whitespace();
        let _weekday = words.next()?;
        let day = words.next()?.parse().ok()?;
        let month_word = words.next()?;
        let month = MONTHS.iter().position(|m| {
            m.get(..3)
                .is_some_and(|m| m.eq_ignore_ascii_case(month_word))
        })?;
        let year = words.next()?.parse().ok()?;
        Self::new(year, u8::try_from(month + 1).ok()?, day)
    }

    /// The UTC day `secs` seconds after 1970-01-01 (the adapter reads the clock; this is only
    /// arithmetic).
    pub fn from_unix_secs(secs: i64) -> Self {
        Self::from_days(secs.div_euclid(86_400))
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days(z: i64) -> Self {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Self) -> i64 {
        later.days() - self.days()
    }

    /// `1 December 2026`, for sentences.
    pub fn words(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month - 1)],
            self.year
        )
    }
}

impl std::fmt::Display for Day {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One model in OpenAI's `/models` list, as the check reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The id (only ids that look like model ids are kept).
    pub id: String,
    /// `created`, seconds since 1970; 0 when missing.
    pub created: i64,
    /// `shutdown_date`, when one is announced and readable.
    pub shutdown: Option<Day>,
}

/// The models of a `/models` answer's `data`; `None` when it is not a model list.
pub(crate) fn parse_model_list(body: &str) -> Option<Vec<Listed>> {
    let v: Value = serde_json::from_str(body).ok()?;
    let data = v.get("data")?.as_array()?;
    Some(
        data.iter()
            .filter_map(|m| {
                let id = m.get("id")?.as_str()?;
                plausible_id(id).then(|| Listed {
                    id: id.to_owned(),
                    created: m.get("created").and_then(Value::as_i64).unwrap_or(0),
                    shutdown: m
                        .get("shutdown_date")
                        .and_then(Value::as_str)
                        .and_then(Day::parse_iso),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_file_parses_with_todays_first_choices() {
        let m = AaaiModels::parse(BUILT_IN).expect("the compiled-in file is valid");
        assert_eq!(m, AaaiModels::built_in());
        assert_eq!(m.version, FORMAT_VERSION);
        assert_eq!(m.articles.first().model, "gpt-6-luna");
        assert_eq!(
            m.articles.first().budget_param,
            BudgetParam::MaxCompletionTokens
        );
        // The older text model is a dated snapshot (ends in -YYYY-MM-DD) that takes max_tokens.
        let old = &m.articles.candidates[1];
        assert!(old.model.starts_with("gpt-4.1-mini-"));
        assert!(Day::parse_iso(&old.model["gpt-4.1-mini-".len()..]).is_some());
        assert_eq!(old.budget_param, BudgetParam::MaxTokens);
        assert_eq!(m.images.first().model, "gpt-image-2");
        assert!(m.images.candidates.iter().all(|c| m.images.holds(&c.model)));
        for c in &m.articles.candidates {
            assert!(!c.why.is_empty() && Day::parse_iso(&c.chosen).is_some());
        }
        for c in &m.images.candidates {
            assert!(!c.why.is_empty() && Day::parse_iso(&c.chosen).is_some());
            assert_eq!((c.size.as_str(), c.quality.as_str()), ("1024x1024", "low"));
        }
        // The sizes of the 2.5/2.6 names are not published: their reasons say it is a guess.
        for c in m
            .images
            .candidates
            .iter()
            .filter(|c| c.model.contains("2."))
        {
            assert!(c.why.contains("Guess"), "{}", c.model);
        }
        assert!(m.articles.holds("gpt-6.1-sol") && !m.articles.holds("gpt-image-2"));
        assert!(!m.articles.holds("gpt-realtime-2") && !m.articles.holds("o3"));
    }

    #[test]
    fn a_version_1_file_still_loads_as_lists_of_one() {
        let v1 = r#"{
          "version": 1,
          "articles": {"model": "gpt-4.1-mini-2025-04-14", "chosen": "2026-11-27", "why": "w"},
          "images": {"model": "gpt-image-1-mini", "size": "1024x1024", "quality": "low",
                     "chosen": "2026-11-27", "why": "w"}
        }"#;
        let m = AaaiModels::parse(v1).expect("a version-1 file loads");
        assert_eq!(m.articles.candidates.len(), 1);
        assert_eq!(m.articles.first().model, "gpt-4.1-mini-2025-04-14");
        assert_eq!(m.articles.first().budget_param, BudgetParam::MaxTokens);
        assert_eq!(m.images.candidates.len(), 1);
        assert_eq!(m.images.first().model, "gpt-image-1-mini");
        assert_eq!(m.images.family, "gpt-image-");
        assert!(m.articles.holds("gpt-6-luna"));
    }

    #[test]
    fn bad_files_are_refused_without_echo() {
        assert_eq!(AaaiModels::parse("nope"), Err(ModelsError::Shape));
        let v3 = BUILT_IN.replace("\"version\": 2", "\"version\": 3");
        assert_eq!(AaaiModels::parse(&v3), Err(ModelsError::Version));
        let bad = BUILT_IN.replace("\"gpt-image-2\"", "\"gpt image\"");
        assert_eq!(AaaiModels::parse(&bad), Err(ModelsError::BadModelId));
        let empty = r#"{"version": 2,
            "articles": {"family": "gpt-", "candidates": []},
            "images": {"family": "gpt-image-", "candidates": []}}"#;
        assert_eq!(AaaiModels::parse(empty), Err(ModelsError::Empty));
        assert!(!ModelsError::Shape.to_string().contains("nope"));
    }

    #[test]
    fn days_read_and_count() {
        let d = Day::parse_http_date("Tue, 01 Dec 2026 21:56:11 GMT").expect("a date");
        assert_eq!(d, Day::parse_iso("2026-12-01").expect("iso"));
        assert_eq!(d.to_string(), "2026-12-01");
        assert_eq!(d.words(), "1 December 2026");
        assert_eq!(Day::from_unix_secs(1_796_083_200 + 86_399), d);
        assert_eq!(Day::from_unix_secs(0).to_string(), "1970-01-01");
        assert_eq!(d.days_until(Day::parse_iso("2027-01-14").expect("iso")), 44);
        assert_eq!(Day::parse_iso("2026-02-30"), None);
        assert_eq!(Day::parse_http_date("yesterday"), None);
        assert!(Day::parse_iso("2026-11-30") < Some(d));
    }

    #[test]
    fn model_list_keeps_ids_dates_and_drops_odd_ids() {
        let l = parse_model_list(
            r#"{"data":[{"id":"gpt-image-2","created":5,"shutdown_date":null},
                        {"id":"gpt-image-1-mini","shutdown_date":"2026-12-01"},
                        {"id":"not an id"}]}"#,
        )
        .expect("a list");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].created, 5);
        assert_eq!(l[1].shutdown, Day::parse_iso("2026-12-01"));
        assert_eq!(parse_model_list("{}"), None);
    }
}
