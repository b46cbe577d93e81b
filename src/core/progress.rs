//! The saved progress: what goes into the progress file and how a file's text is read back.
//! Only ticks and choices are saved, never a key. Reading is strict: anything that is not a
//! current, well-formed save is reported, so the caller can keep the file aside and start over.

use serde::{Deserialize, Serialize};

use super::checklist::{Checklist, ItemId, Mark};
use super::i18n::LangChoice;
use super::models::Day;
use super::verdict::StepId;

/// The version written into new saves. Older or newer saves are not guessed at.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// The state that is persisted between runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Format version of the save.
    pub version: u32,
    /// The user's ticks and the confirmation.
    pub checklist: Checklist,
    /// The step that was open.
    pub selected_step: StepId,
    /// The user's choice for the clipboard watcher.
    #[serde(default)]
    pub watch: WatchSetting,
    /// How long a key copied for AAAI stays on the clipboard before it is cleared: one of
    /// [`CLEAR_AFTER_CHOICES`]. A saved value that is not one of them reads as the default.
    #[serde(
        default = "default_clear_after_secs",
        deserialize_with = "clear_after_from_save"
    )]
    pub clear_after_secs: u64,
    /// The user has reached the key step once: from then on the watcher (on `Auto`) listens on
    /// every screen, in every later run too.
    #[serde(default)]
    pub reached_key_step: bool,
    /// Test images that proved images work, one per organization, with the day each was made.
    /// A paid proof is kept: later checks re-check it for free only.
    #[serde(default)]
    pub image_proofs: Vec<ImageProof>,
    /// The window's language: the system's, or one picked in the menu. A saved value that is
    /// not a language we have reads as the system's.
    #[serde(default, deserialize_with = "language_from_save")]
    pub language: LangChoice,
}

/// One paid test image that proved images work for an organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageProof {
    /// The organization's name (its slug, as OpenAI reports it).
    pub organization: String,
    /// The day the image was made, `YYYY-MM-DD` (UTC).
    pub made_on: String,
}

impl Progress {
    /// The saved proof for `organization`, if a test image proved images there.
    pub fn image_proof(&self, organization: &str) -> Option<&ImageProof> {
        self.image_proofs
            .iter()
            .find(|p| p.organization == organization)
    }

    /// Keep a proof, replacing an older one for the same organization.
    pub fn keep_image_proof(&mut self, proof: ImageProof) {
        self.image_proofs
            .retain(|p| p.organization != proof.organization);
        self.image_proofs.push(proof);
    }
}

/// The UTC day `unix_secs` falls on, as `YYYY-MM-DD` (the core reads no clock, the caller
/// passes the time; the calendar arithmetic is `Day`'s).
pub fn utc_date(unix_secs: u64) -> String {
    Day::from_unix_secs(i64::try_from(unix_secs).unwrap_or(i64::MAX)).to_string()
}

/// The default time a key copied for AAAI stays on the clipboard.
pub(crate) const DEFAULT_CLEAR_AFTER_SECS: u64 = 30;

/// The times, in seconds, a user can choose for clearing the key from the clipboard.
pub(crate) const CLEAR_AFTER_CHOICES: [u64; 4] = [15, 30, 60, 120];

fn default_clear_after_secs() -> u64 {
    DEFAULT_CLEAR_AFTER_SECS
}

/// `secs` when it is one of the offered choices, else the default: a hand-edited or damaged
/// value must neither keep the key on the clipboard for days nor overflow a clock.
fn valid_clear_after_secs(secs: u64) -> u64 {
    if CLEAR_AFTER_CHOICES.contains(&secs) {
        secs
    } else {
        DEFAULT_CLEAR_AFTER_SECS
    }
}

/// Reads the saved auto-clear time. Any JSON value is accepted here (a negative number, a
/// string, a huge number): what is not an offered choice becomes the default, and the rest of
/// the save is kept.
fn clear_after_from_save<'de, D>(deserializer: D) -> Result<u64, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(value
        .as_u64()
        .map_or(DEFAULT_CLEAR_AFTER_SECS, valid_clear_after_secs))
}

/// Reads the saved language. Any JSON value is accepted here: what is not a language we have
/// reads as "the system's", and the rest of the save is kept.
fn language_from_save<'de, D>(deserializer: D) -> Result<LangChoice, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).unwrap_or_default())
}

/// When the clipboard watcher runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchSetting {
    /// Once the user reaches the "create your key" step (remembered), or has a key: a new key
    /// copied later is offered, never taken silently.
    #[default]
    Auto,
    /// The user turned it on.
    On,
    /// The user turned it off.
    Off,
}

impl WatchSetting {
    /// Whether to watch now, on any screen: given the open step, whether a key is here, and
    /// whether the user has reached the key step before (saved).
    pub(crate) fn is_active(self, selected_step: StepId, have_key: bool, reached: bool) -> bool {
        match self {
            Self::On => true,
            Self::Off => false,
            Self::Auto => have_key || reached || selected_step >= StepId::Key,
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            version: FORMAT_VERSION,
            checklist: Checklist::default(),
            selected_step: StepId::Account,
            watch: WatchSetting::Auto,
            clear_after_secs: DEFAULT_CLEAR_AFTER_SECS,
            reached_key_step: false,
            image_proofs: Vec::new(),
            language: LangChoice::System,
        }
    }
}

/// Why a save could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProgressProblem {
    /// Not readable as a save at all.
    #[error("the saved progress was damaged")]
    Corrupt,
    /// Written by another version of the app.
    #[error("the saved progress came from another version of the app (format {0})")]
    OtherVersion(u32),
}

impl Progress {
    /// Read a save from its text.
    pub fn parse(text: &str) -> Result<Self, ProgressProblem> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let version = serde_json::from_str::<VersionOnly>(text)
            .map_err(|_| ProgressProblem::Corrupt)?
            .version;
        if version != FORMAT_VERSION {
            return Err(ProgressProblem::OtherVersion(version));
        }
        let mut progress: Self =
            serde_json::from_str(text).map_err(|_| ProgressProblem::Corrupt)?;
        progress.settle();
        Ok(progress)
    }

    /// Brings back in line what a save can hold but the app never writes (a hand-edited or
    /// damaged file), keeping everything else: a required item marked "not needed" is not
    /// done, and the final checklist is confirmed only while it can be.
    fn settle(&mut self) {
        for item in ItemId::ALL {
            if self.checklist.mark(item) == Mark::NotNeeded && item.optional_because().is_none() {
                self.checklist.set(item, item.default_mark());
            }
        }
        if !self.checklist.can_confirm() {
            self.checklist.confirmed = false;
        }
    }

    /// The text of a save.
    pub(crate) fn to_text(&self) -> String {
        // Serializing plain enums and maps cannot fail; fall back to an empty object anyway.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| String::from("{}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut p = Progress::default();
        p.checklist.set(ItemId::KeyCopied, Mark::Done);
        p.checklist.set(ItemId::Credits, Mark::NotNeeded);
        p.selected_step = StepId::Billing;
        p.watch = WatchSetting::Off;
        assert_eq!(Progress::parse(&p.to_text()), Ok(p));
    }

    #[test]
    fn an_auto_clear_time_that_was_never_offered_reads_as_the_default() {
        let mut saved = Progress::default();
        saved.checklist.set(ItemId::KeyCopied, Mark::Done);
        saved.selected_step = StepId::Billing;
        saved.clear_after_secs = 60;
        let text = saved.to_text();
        assert_eq!(Progress::parse(&text), Ok(saved.clone()));
        for bad in [
            "18446744073709551615",
            "1e300",
            "-5",
            "0",
            "45",
            "31536000",
            "\"60\"",
            "null",
            "[60]",
        ] {
            let edited = text.replace(
                "\"clear_after_secs\": 60",
                &format!("\"clear_after_secs\": {bad}"),
            );
            assert_ne!(edited, text, "the save's layout changed");
            let loaded = Progress::parse(&edited);
            let want = Progress {
                clear_after_secs: DEFAULT_CLEAR_AFTER_SECS,
                ..saved.clone()
            };
            assert_eq!(loaded, Ok(want), "{bad}: the rest of the save is kept");
        }
        for choice in CLEAR_AFTER_CHOICES {
            let edited = text.replace(
                "\"clear_after_secs\": 60",
                &format!("\"clear_after_secs\": {choice}"),
            );
            let loaded = Progress::parse(&edited).map(|p| p.clear_after_secs);
            assert_eq!(loaded, Ok(choice));
        }
    }

    #[test]
    fn checklist_values_the_app_never_writes_are_brought_back_in_line() {
        let mut saved = Progress::default();
        saved.checklist.set(ItemId::KeyCopied, Mark::Done);
        saved.selected_step = StepId::Billing;
        let mut json: serde_json::Value = serde_json::from_str(&saved.to_text()).expect("json");
        json["checklist"]["marks"]["signed_in"] = serde_json::json!("not_needed");
        json["checklist"]["confirmed"] = serde_json::json!(true);
        let loaded = Progress::parse(&json.to_string()).expect("kept");
        assert_eq!(loaded.checklist.mark(ItemId::SignedIn), Mark::NotYet);
        assert!(!loaded.checklist.confirmed, "confirmed with items missing");
        assert_eq!(loaded.checklist.mark(ItemId::KeyCopied), Mark::Done);
        assert_eq!(loaded.selected_step, StepId::Billing);
        // Optional items may be not needed, and a complete checklist stays confirmed.
        let mut done = Progress::default();
        for item in ItemId::ALL {
            let mark = if item.optional_because().is_some() {
                Mark::NotNeeded
            } else {
                Mark::Done
            };
            done.checklist.set(item, mark);
        }
        assert!(done.checklist.confirm());
        assert_eq!(Progress::parse(&done.to_text()), Ok(done));
    }

    #[test]
    fn watching_runs_from_the_key_step_on_and_with_a_key() {
        assert!(!WatchSetting::Auto.is_active(StepId::Account, false, false));
        assert!(WatchSetting::Auto.is_active(StepId::Key, false, false));
        assert!(WatchSetting::Auto.is_active(StepId::Billing, false, false));
        assert!(WatchSetting::Auto.is_active(StepId::Key, true, false));
        assert!(WatchSetting::Auto.is_active(StepId::Account, false, true));
        assert!(WatchSetting::Auto.is_active(StepId::Account, true, false));
        assert!(WatchSetting::On.is_active(StepId::Account, true, false));
        assert!(!WatchSetting::Off.is_active(StepId::Key, false, true));
    }

    #[test]
    fn an_older_save_loads_and_proofs_are_kept_per_organization() {
        let old = r#"{"version": 1, "checklist": {}, "selected_step": "key"}"#;
        let p = Progress::parse(old).expect("an older save loads");
        assert!(!p.reached_key_step);
        assert!(p.image_proofs.is_empty());
        let mut p = Progress::default();
        p.keep_image_proof(ImageProof {
            organization: String::from("acme"),
            made_on: String::from("2026-11-30"),
        });
        p.keep_image_proof(ImageProof {
            organization: String::from("acme"),
            made_on: utc_date(1_764_633_600),
        });
        assert_eq!(p.image_proofs.len(), 1);
        assert_eq!(
            p.image_proof("acme").map(|x| x.made_on.as_str()),
            Some("2025-12-02")
        );
        assert_eq!(Progress::parse(&p.to_text()), Ok(p));
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
    }

    #[test]
    fn corrupt_and_other_versions_are_reported() {
        assert_eq!(Progress::parse(""), Err(ProgressProblem::Corrupt));
        assert_eq!(
            Progress::parse("\u{0}\u{1}garbage"),
            Err(ProgressProblem::Corrupt)
        );
        assert_eq!(
            Progress::parse("{\"version\": 0}"),
            Err(ProgressProblem::OtherVersion(0))
        );
        let mut text = Progress::default().to_text();
        text = text.replace(
            "\"selected_step\": \"account\"",
            "\"selected_step\": \"moon\"",
        );
        assert_eq!(Progress::parse(&text), Err(ProgressProblem::Corrupt));
    }
}
