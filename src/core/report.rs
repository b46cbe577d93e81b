//! The report of a check ([`CheckReport`] and its parts) next to its two renderers: the JSON
//! object `check --json` prints (`docs/cli.md`), and the plain text a support person pastes
//! into a ticket. Both show the key masked, never whole.

use serde::Serialize;
use serde_json::{Value, json};

use crate::core::features::{Feature, FeatureState, FeatureStatus, Features};
use crate::core::guide::{API_KEYS as API_KEYS_URL, TroubleId as Trouble};
use crate::core::key::KeyKind;
use crate::core::models::Day;
use crate::core::readiness::{How, Passed};
use crate::core::verdict::{StepId, StepState, Verdict};

/// The state of the guide's four steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Steps {
    /// Step 1: account.
    pub account: StepState,
    /// Step 2: key.
    pub key: StepState,
    /// Step 3: billing.
    pub billing: StepState,
    /// Step 4: verification.
    pub verification: StepState,
}

impl Steps {
    /// The state of one step.
    pub fn get(&self, id: StepId) -> StepState {
        match id {
            StepId::Account => self.account,
            StepId::Key => self.key,
            StepId::Billing => self.billing,
            StepId::Verification => self.verification,
        }
    }

    /// All four steps in the guide's order.
    pub fn all(&self) -> [(StepId, StepState); 4] {
        StepId::ALL.map(|id| (id, self.get(id)))
    }
}

/// Everything the GUI and the CLI show after a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    /// The overall answer.
    pub verdict: Verdict,
    /// The guide's four steps.
    pub steps: Steps,
    /// The organization the key belongs to, when known.
    pub organization: Option<Organization>,
    /// The project the key belongs to (`openai-project` header), when known.
    pub project: Option<String>,
    /// Set when the key's organization may not be the one that was paid for.
    pub other_orgs_warning: Option<String>,
    /// The usage tier, guessed from rate-limit headers.
    pub tier: Option<String>,
    /// A plain, kind sentence on what was found.
    pub message: String,
    /// What to do next.
    pub next_step: String,
    /// The page that fixes it.
    pub fix_url: Option<&'static str>,
    /// The guide's troubleshooting entry that fits.
    pub trouble: Option<Trouble>,
    /// True when a one-token paid test could settle an unclear answer.
    pub offer_paid_probe: bool,
    /// True when one smallest real image (about half a cent) would prove images and the user
    /// has not consented to it yet.
    pub offer_image_test: bool,
    /// The key's kind and masked form.
    pub key: Option<(KeyKind, String)>,
    /// Extra plain sentences (side findings that do not change the verdict).
    pub notes: Vec<String>,
    /// What AAAI can do with this key: articles and images.
    pub features: Features,
    /// Which model each feature was checked on; `None` when nothing was sent.
    pub models: Option<ModelsReport>,
    /// The billing problem OpenAI named, when the finding is one (the window offers only the
    /// actions that can help with it).
    pub billing: Option<crate::core::readiness::BillingCode>,
}

/// Which model each feature was checked on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelsReport {
    /// Writing articles.
    pub articles: ModelChoice,
    /// Making images.
    pub images: ModelChoice,
}

impl ModelsReport {
    /// One feature's choice.
    pub fn get(&self, feature: Feature) -> &ModelChoice {
        match feature {
            Feature::Articles => &self.articles,
            Feature::Images => &self.images,
        }
    }
}

/// The model one feature was checked on, the model the models file names first, and what
/// OpenAI said about them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelChoice {
    /// The feature.
    pub feature: Feature,
    /// The model the probes used; `None` when no model of the family was available.
    pub checked: Option<String>,
    /// The models file's first choice.
    pub named: String,
    /// The checked model's announced shutdown, from OpenAI's list.
    pub checked_shutdown: Option<Day>,
    /// The named model's announced shutdown, from OpenAI's list.
    pub named_shutdown: Option<Day>,
    /// Why the named model was not checked, when it was not.
    pub named_passed: Option<Passed>,
    /// How the checked model was chosen.
    pub how: How,
    /// The day the dates were read against (the server's, else the local one).
    pub today: Option<Day>,
    /// The plain sentence about it, when there is something to say (a retired or retiring
    /// model, an unreadable list).
    pub notice: Option<String>,
}

impl ModelChoice {
    /// The model to name in sentences: the checked one, else the named one.
    pub fn model_words(&self) -> &str {
        self.checked.as_deref().unwrap_or(&self.named)
    }

    fn how_word(&self) -> &'static str {
        match self.how {
            How::First => "first",
            How::Next => "next",
            How::Newest => "newest",
            How::ListUnreadable => "list_unreadable",
            How::NoModel => "none",
        }
    }

    fn json(&self) -> Value {
        let mut o = serde_json::Map::new();
        o.insert("checked".into(), json!(self.checked));
        o.insert("named".into(), json!(self.named));
        o.insert(
            "shutdown_date".into(),
            json!(self.checked_shutdown.map(|d| d.to_string())),
        );
        let named_date = match self.named_passed {
            Some(Passed::Retired(d)) => Some(d),
            _ => self.named_shutdown,
        };
        if let Some(d) = named_date {
            o.insert("named_shutdown_date".into(), json!(d.to_string()));
        }
        o.insert("how".into(), json!(self.how_word()));
        o.insert("notice".into(), json!(self.notice));
        Value::Object(o)
    }

    /// The text report's line: "checked gpt-image-2; gpt-image-1-mini was retired by OpenAI
    /// on 2026-12-01".
    pub fn text_line(&self) -> String {
        let Some(checked) = &self.checked else {
            return "none: OpenAI offers this key no model of this kind that the check knows"
                .to_owned();
        };
        let mut line = format!("checked {checked}");
        if *checked != self.named {
            match self.named_passed {
                Some(Passed::Retired(d)) => {
                    line.push_str(&format!("; {} was retired by OpenAI on {d}", self.named));
                }
                Some(Passed::Gone) => line.push_str(&format!(
                    "; OpenAI answered that {} does not exist for this key",
                    self.named
                )),
                Some(Passed::Unlisted) | None => line.push_str(&format!(
                    "; OpenAI does not list {} for this key",
                    self.named
                )),
            }
        }
        if let Some(d) = self.checked_shutdown {
            line.push_str(&format!("; OpenAI retires {checked} on {d}"));
        }
        match self.how {
            How::Newest => line.push_str(" (the newest of its family that OpenAI lists)"),
            How::ListUnreadable => line.push_str(" (OpenAI's model list could not be read)"),
            _ => {}
        }
        line
    }
}

/// The organization a key belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organization {
    /// The organization's name (slug), e.g. `acme-publishing`.
    pub name: String,
    /// Its display title, when known.
    pub title: Option<String>,
}

/// Both features after a shape check alone: not checked when the key looks right (nothing
/// was sent), else blocked by what is wrong with it.
fn shape_features(verdict: Verdict) -> Features {
    let status = if verdict == Verdict::WellFormed {
        FeatureStatus {
            state: FeatureState::Unknown,
            line: "not checked: nothing was sent to OpenAI".to_owned(),
            fix_url: None,
        }
    } else {
        FeatureStatus {
            state: FeatureState::Blocked(verdict),
            line: "not possible with this key: see what the check found".to_owned(),
            fix_url: Some(API_KEYS_URL),
        }
    };
    Features {
        articles: status.clone(),
        images: status,
    }
}

impl CheckReport {
    /// The report of a shape check alone (`check --offline`, or a key that fails its shape
    /// before any network call). `None` when the text held nothing key-like.
    pub(crate) fn from_shape(recognition: &crate::core::key::Recognition) -> Option<Self> {
        use crate::core::key::Recognition;
        let blank = |verdict, key_state, message: String, next_step: String, key| Self {
            verdict,
            steps: Steps {
                key: key_state,
                ..Steps::default()
            },
            organization: None,
            project: None,
            other_orgs_warning: None,
            tier: None,
            message,
            next_step,
            fix_url: Some(API_KEYS_URL),
            trouble: None,
            offer_paid_probe: false,
            offer_image_test: false,
            key,
            notes: Vec::new(),
            features: shape_features(verdict),
            models: None,
            billing: None,
        };
        match recognition {
            Recognition::Nothing => None,
            Recognition::Key(key) => Some(Self {
                fix_url: None,
                ..blank(
                    Verdict::WellFormed,
                    StepState::Done,
                    format!("This looks like a complete OpenAI {}.", key.kind().label()),
                    String::from(
                        "Nothing was sent to OpenAI. Run the full check to see whether it works and has credit.",
                    ),
                    Some((key.kind(), key.masked())),
                )
            }),
            Recognition::Problem(problem) => Some(blank(
                problem.verdict,
                StepState::Pending,
                problem.message.clone(),
                problem.next_step.clone(),
                // An admin key is a real OpenAI key of the wrong kind: name it.
                match (problem.verdict, &problem.masked) {
                    (Verdict::AdminKey, Some(masked)) => Some((KeyKind::Admin, masked.clone())),
                    _ => None,
                },
            )),
        }
    }
}

/// The JSON object of `check --json`, with the fields of `docs/cli.md` (`verdict`, `key`,
/// `steps`, `features`, `models`, `organization`, `tier`, `message`, `fix_url`) plus these added
/// ones: `next_step`, `project`, `warning`, `offer_paid_probe`, `offer_image_test`, `notes`, and
/// in each `models` entry `how` and `notice`.
pub fn render_json(report: &CheckReport) -> Value {
    let key = match &report.key {
        Some((kind, masked)) => json!({"kind": kind.as_str(), "masked": masked}),
        None => Value::Null,
    };
    let mut steps = serde_json::Map::new();
    for (id, state) in report.steps.all() {
        steps.insert(id.as_str().to_owned(), json!(state.as_str()));
    }
    let organization = match &report.organization {
        Some(o) => json!({"name": o.name, "title": o.title}),
        None => Value::Null,
    };
    let mut features = serde_json::Map::new();
    for (feature, status) in report.features.all() {
        features.insert(feature.as_str().to_owned(), json!(status.state.as_str()));
    }
    let models = match &report.models {
        Some(m) => json!({"articles": m.articles.json(), "images": m.images.json()}),
        None => Value::Null,
    };
    json!({
        "verdict": report.verdict.as_str(),
        "key": key,
        "steps": steps,
        "features": features,
        "models": models,
        "organization": organization,
        "tier": report.tier,
        "message": report.message,
        "fix_url": report.fix_url,
        "next_step": report.next_step,
        "project": report.project,
        "warning": report.other_orgs_warning,
        "offer_paid_probe": report.offer_paid_probe,
        "offer_image_test": report.offer_image_test,
        "notes": report.notes,
    })
}

fn step_title(id: StepId) -> &'static str {
    match id {
        StepId::Account => "1. Account",
        StepId::Key => "2. Key",
        StepId::Billing => "3. Billing",
        StepId::Verification => "4. Verification",
    }
}

/// The plain-text report: masked key, organization, each step's state, the message and the
/// fix. Safe to paste into a support ticket.
pub fn render_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        let padded = format!("{label:<18}{value}");
        out.push_str(padded.trim_end());
        out.push('\n');
    };
    line("AAAI Key Setup:", "key check report");
    line(
        "Result:",
        &format!(
            "{} (exit code {})",
            report.verdict.as_str(),
            report.verdict.exit_code()
        ),
    );
    match &report.key {
        Some((kind, masked)) => line("Key:", &format!("{masked} ({})", kind.as_str())),
        None => line("Key:", "none found"),
    }
    match &report.organization {
        Some(o) => match &o.title {
            Some(t) => line("Organization:", &format!("{t} ({})", o.name)),
            None => line("Organization:", &o.name),
        },
        None => line("Organization:", "unknown"),
    }
    if let Some(p) = &report.project {
        line("Project:", p);
    }
    if let Some(t) = &report.tier {
        line("Usage tier:", &format!("{t} (a guess)"));
    }
    for (feature, status) in report.features.all() {
        line(&format!("{}:", feature.label()), &status.line);
    }
    if let Some(m) = &report.models {
        line("Text model:", &m.articles.text_line());
        line("Image model:", &m.images.text_line());
    }
    line("Steps:", "");
    for (id, state) in report.steps.all() {
        line(&format!("  {}", step_title(id)), state.as_str());
    }
    line("What we found:", &report.message);
    line("What to do:", &report.next_step);
    if let Some(url) = report.fix_url {
        line("Fix it here:", url);
    }
    if let Some(w) = &report.other_orgs_warning {
        line("Warning:", w);
    }
    for n in &report.notes {
        line("Note:", n);
    }
    if report.offer_image_test {
        line(
            "Image test:",
            "available with your consent (one smallest image, about half a cent): give it with \
             aaai-key-setup check --verification, or click \"Make one test image\" in the window",
        );
    }
    if report.offer_paid_probe {
        line(
            "Paid test:",
            "available with your consent (one token, a tiny fraction of a cent): click \
             \"Run a one-token test\" in the window; the command line does not send it",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::key::KeyKind;
    use crate::core::key::test_keys::made_up;
    use crate::core::readiness::{CheckOptions, ReadinessCheck, TransportError};

    #[test]
    fn json_shape_follows_cli_md() {
        let mut c = ReadinessCheck::new(CheckOptions {
            key: Some((KeyKind::Project, "sk-proj-…AbCd".into())),
            ..CheckOptions::default()
        });
        for p in c.take_ready() {
            c.feed(p, Err(TransportError::Dns));
        }
        let r = c.report();
        let v = render_json(&r);
        assert_eq!(v["verdict"], "network_error");
        assert_eq!(v["key"]["kind"], "project");
        assert_eq!(v["key"]["masked"], "sk-proj-…AbCd");
        for s in ["account", "key", "billing", "verification"] {
            assert_eq!(v["steps"][s], "unknown");
        }
        assert!(v["organization"].is_null());
        assert!(v["tier"].is_null());
        assert!(v["fix_url"].is_null());
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));

        let t = render_text(&r);
        assert!(t.contains("network_error (exit code 2)"));
        assert!(t.contains("sk-proj-…AbCd (project)"));
        assert!(t.contains("3. Billing"));
        assert!(t.contains("Writing articles: not known yet"), "{t}");
        assert!(t.contains("Images:           not"), "{t}");
        assert_eq!(v["features"]["articles"], "unknown");
        assert_eq!(v["features"]["images"], "unknown");
        assert_eq!(v["offer_image_test"], false);
    }

    #[test]
    fn a_shape_check_alone_proves_no_feature() {
        let text = made_up("sk-proj-", &"Zx7".repeat(20), &"Cv8".repeat(20));
        let r = CheckReport::from_shape(&crate::core::key::scan(&text).result).expect("a report");
        assert_eq!(r.verdict, Verdict::WellFormed);
        let v = render_json(&r);
        assert_eq!(v["features"]["articles"], "unknown");
        assert!(render_text(&r).contains("Images:           not checked: nothing was sent"));
        let bad = CheckReport::from_shape(&crate::core::key::scan("sk-proj-abc…").result)
            .expect("a report");
        assert_eq!(
            render_json(&bad)["features"]["images"],
            bad.verdict.as_str()
        );
    }
}
