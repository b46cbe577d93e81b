//! The state machine. It plans every probe that depends on nothing at the start (models, me,
//! the credit probe on AAAI's text model, the image evidence on AAAI's image model) and hands
//! them all out at once; the adapter sends them together and feeds each result back as it
//! comes. Only the paid one-token fallback waits for another answer (the credit probe's). When
//! every probe is answered, or an answer settles the whole check (an invalid key, say), the
//! evidence is read into a [`CheckReport`].

use super::classify::{Class, OrgEntry, classify, guess_tier, is_model_list, parse_orgs};
use super::classify::{clean_label, server_wait_secs};
use super::findings::{self, Finding, ImagesAre, Proof, Unknown};
use super::probe::{Answer, Probe, TransportError};
use super::wording;
use super::{CheckOptions, Organization};
use crate::core::features::{Feature, Features};
use crate::core::key::KeyKind;
use crate::core::leak;
use crate::core::report::{CheckReport, Steps};
use crate::core::verdict::StepState;

/// Where one planned probe is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Slot {
    /// Ready to be handed out.
    Ready,
    /// Handed out; no result yet.
    InFlight,
    /// Its final result (after the adapter's retries), classified.
    Done(Outcome),
}

/// A probe's final result, as the report needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// An answer, its class, and how long the server asked to wait (rate limits).
    Answered(Class, Option<u64>),
    /// No answer.
    Failed(TransportError),
}

/// The sans-I/O readiness check: take every ready probe ([`Self::take_ready`]), make the
/// requests (at the same time), [`Self::feed`] each result as it comes, and repeat until
/// [`Self::is_finished`]; then read [`Self::report`].
#[derive(Clone, Debug)]
pub struct ReadinessCheck {
    options: CheckOptions,
    plan: Vec<(Probe, Slot)>,
    /// An answer that settles the whole check, whatever else comes back.
    settled: Option<Finding>,
    orgs: Vec<OrgEntry>,
    org_header: Option<String>,
    project: Option<String>,
    tier: Option<String>,
}

impl ReadinessCheck {
    /// A check with its first probes planned. An admin key is settled at once: it is the
    /// wrong kind of key and nothing needs to be asked of OpenAI.
    pub fn new(options: CheckOptions) -> Self {
        let text = options.models.articles.model.clone();
        let image = &options.models.images;
        let image_probe = if options.verification {
            Probe::TestImage {
                model: image.model.clone(),
                size: image.size.clone(),
                quality: image.quality.clone(),
            }
        } else {
            Probe::ImageEvidence {
                model: image.model.clone(),
            }
        };
        let plan = [
            Probe::Models,
            Probe::Me,
            Probe::CreditProbe { model: text },
            image_probe,
        ]
        .into_iter()
        .map(|p| (p, Slot::Ready))
        .collect();
        let settled =
            matches!(&options.key, Some((KeyKind::Admin, _))).then_some(Finding::AdminKey);
        Self {
            options,
            plan,
            settled,
            orgs: Vec::new(),
            org_header: None,
            project: None,
            tier: None,
        }
    }

    /// Every probe that is ready to be sent now; each is handed out once.
    pub fn take_ready(&mut self) -> Vec<Probe> {
        if self.is_finished() {
            return Vec::new();
        }
        let mut ready = Vec::new();
        for (probe, slot) in &mut self.plan {
            if *slot == Slot::Ready {
                *slot = Slot::InFlight;
                ready.push(probe.clone());
            }
        }
        ready
    }

    /// True once the check needs nothing more.
    pub fn is_finished(&self) -> bool {
        self.settled.is_some()
            || self
                .plan
                .iter()
                .all(|(_, slot)| matches!(slot, Slot::Done(_)))
    }

    /// Ends the check (e.g. the whole time bound ran out): every unanswered probe gets `error`.
    pub fn give_up(&mut self, error: TransportError) {
        for (_, slot) in &mut self.plan {
            if !matches!(slot, Slot::Done(_)) {
                *slot = Slot::Done(Outcome::Failed(error));
            }
        }
    }

    /// Feeds the final result (after retries) of a probe that was handed out. Anything else
    /// is ignored.
    pub fn feed(&mut self, probe: Probe, result: Result<Answer, TransportError>) {
        if self.settled.is_some() {
            return;
        }
        let Some(index) = self
            .plan
            .iter()
            .position(|(p, s)| *p == probe && *s == Slot::InFlight)
        else {
            return;
        };
        let outcome = match &result {
            Err(e) => Outcome::Failed(*e),
            Ok(answer) => {
                self.read_headers(answer);
                let mut class = classify(answer);
                if probe == Probe::Models && class == Class::Success && !is_model_list(&answer.body)
                {
                    class = Class::Unexpected;
                }
                let wait = server_wait_secs(answer).map(|s| s.ceil() as u64);
                Outcome::Answered(class, wait)
            }
        };
        if let (Ok(answer), Outcome::Answered(class, _)) = (&result, &outcome) {
            self.read_answer(&probe, answer, class);
        }
        self.plan[index].1 = Slot::Done(outcome);
    }

    fn read_headers(&mut self, a: &Answer) {
        let secret = self.options.secret();
        if let Some(org) = a
            .header("openai-organization")
            .and_then(|v| clean_label(v, secret))
        {
            self.org_header = Some(org);
        }
        if let Some(p) = a
            .header("openai-project")
            .and_then(|v| clean_label(v, secret))
        {
            self.project = Some(p);
        }
    }

    fn read_answer(&mut self, probe: &Probe, answer: &Answer, class: &Class) {
        if matches!(probe, Probe::Me) {
            // Anything but a readable 200 leaves the organization unknown: never "invalid".
            if *class == Class::Success
                && let Some(orgs) = parse_orgs(&answer.body, self.options.secret())
            {
                self.orgs = orgs;
            }
            return;
        }
        if let Some(finding) = findings::settling(class) {
            self.settled = Some(finding);
            return;
        }
        let credit_proven = matches!(
            probe,
            Probe::CreditProbe { .. } | Probe::PaidOneToken { .. }
        ) && matches!(class, Class::InvalidRequest | Class::Success);
        if credit_proven && let Some(t) = guess_tier(answer) {
            self.tier = Some(t);
        }
        // The free credit probe could not tell: with consent, one real token settles it.
        if let Probe::CreditProbe { model } = probe
            && findings::credit_proof(class, None) == Proof::Unknown(Unknown::CreditUnclear)
            && self.options.paid_probe_consent
        {
            self.plan.push((
                Probe::PaidOneToken {
                    model: model.clone(),
                },
                Slot::Ready,
            ));
        }
    }

    fn outcome(&self, pred: impl Fn(&Probe) -> bool) -> Option<&Outcome> {
        self.plan.iter().find_map(|(p, s)| match s {
            Slot::Done(o) if pred(p) => Some(o),
            _ => None,
        })
    }

    fn class_of(&self, pred: impl Fn(&Probe) -> bool) -> Option<&Class> {
        match self.outcome(pred) {
            Some(Outcome::Answered(c, _)) => Some(c),
            _ => None,
        }
    }

    /// What the answers prove about writing articles.
    fn articles(&self) -> Proof {
        let paid = self.outcome(|p| matches!(p, Probe::PaidOneToken { .. }));
        let credit = self.outcome(|p| matches!(p, Probe::CreditProbe { .. }));
        let models_scopes = match self.class_of(|p| *p == Probe::Models) {
            Some(Class::MissingScopes(s)) if !only_listing(s) => Some(s.clone()),
            _ => None,
        };
        let proof = match (paid, credit) {
            (Some(Outcome::Answered(class, wait)), _) => findings::paid_proof(class, *wait),
            (Some(Outcome::Failed(e)), _) | (None, Some(Outcome::Failed(e))) => {
                Proof::Unknown(Unknown::Because(Finding::Network(*e)))
            }
            (None, Some(Outcome::Answered(class, wait))) => {
                match findings::credit_proof(class, *wait) {
                    Proof::Unknown(Unknown::CreditUnclear) => {
                        Proof::Unknown(Unknown::Because(Finding::Unexpected {
                            offer_paid: !self.options.paid_probe_consent,
                        }))
                    }
                    other => other,
                }
            }
            (None, None) => {
                Proof::Unknown(Unknown::Because(Finding::Network(TransportError::Timeout)))
            }
        };
        match (proof, models_scopes) {
            (Proof::Ready, _) => Proof::Ready,
            (Proof::Unknown(_), Some(scopes)) => Proof::Blocked(Finding::Restricted(scopes)),
            (other, _) => other,
        }
    }

    /// What the answers prove about making images.
    fn images(&self) -> Proof {
        let test = self.outcome(|p| matches!(p, Probe::TestImage { .. }));
        let free = self.outcome(|p| matches!(p, Probe::ImageEvidence { .. }));
        match (test, free) {
            (Some(Outcome::Answered(class, _)), _) => findings::test_image_proof(class),
            (Some(Outcome::Failed(_)), _) => Proof::Unknown(Unknown::ImageTestUnfinished),
            (None, Some(Outcome::Answered(class, _))) => findings::image_evidence_proof(class),
            (None, Some(Outcome::Failed(_))) | (None, None) => {
                Proof::Unknown(Unknown::ImageNotChecked)
            }
        }
    }

    /// True when some answer shows the key itself is accepted by OpenAI.
    fn authenticated(&self) -> bool {
        self.plan.iter().any(|(p, s)| match (p, s) {
            (Probe::Me, _) => false,
            (_, Slot::Done(Outcome::Answered(class, _))) => match class {
                Class::Billing(_)
                | Class::ModelNotFound
                | Class::VerificationRequired
                | Class::MissingScopes(_)
                | Class::Success => true,
                Class::InvalidRequest => !matches!(p, Probe::Models),
                _ => false,
            },
            _ => false,
        })
    }

    /// The organization the key's requests are billed to, when it can be told, and whether it
    /// is the user's default.
    fn key_org(&self) -> Option<(Organization, Option<bool>)> {
        let entry = if let Some(slug) = &self.org_header {
            match self.orgs.iter().find(|o| &o.name == slug) {
                Some(o) => Some(o),
                None => {
                    let org = Organization {
                        name: slug.clone(),
                        title: None,
                    };
                    return Some((org, None));
                }
            }
        } else if let Some(id) = &self.options.org_id {
            self.orgs.iter().find(|o| &o.id == id)
        } else if self.orgs.len() == 1 {
            self.orgs.first()
        } else {
            None
        };
        entry.map(|o| {
            let org = Organization {
                name: o.name.clone(),
                title: o.title.clone(),
            };
            (org, Some(o.is_default))
        })
    }

    /// The report as things stand (a check cut short reports what it knew).
    pub fn report(&self) -> CheckReport {
        let (articles, images) = match &self.settled {
            // An answer that says nothing about the account (a web page) leaves both unknown.
            Some(f) if f.verdict().exit_code() == 2 => (
                Proof::Unknown(Unknown::Because(f.clone())),
                Proof::Unknown(Unknown::Because(f.clone())),
            ),
            Some(f) => (Proof::Blocked(f.clone()), Proof::Blocked(f.clone())),
            None => (self.articles(), self.images()),
        };
        // The overall finding: what blocks articles, then what blocks images, else ready.
        let finding = match (&articles, &images) {
            (Proof::Blocked(f), _) | (Proof::Unknown(Unknown::Because(f)), _) => f.clone(),
            (Proof::Unknown(_), _) => Finding::Unexpected { offer_paid: false },
            (Proof::Ready, Proof::Blocked(f)) => f.clone(),
            (Proof::Ready, Proof::Ready) => Finding::Ready(ImagesAre::Ready),
            (Proof::Ready, Proof::Unknown(Unknown::ImageTestUnfinished)) => {
                Finding::Ready(ImagesAre::TestUnfinished)
            }
            (Proof::Ready, Proof::Unknown(Unknown::ImageTestRefused)) => {
                Finding::Ready(ImagesAre::TestRefused)
            }
            (Proof::Ready, Proof::Unknown(_)) => Finding::Ready(ImagesAre::NotChecked),
        };
        // Scope names come from a server message: repeat only those that cannot be the key.
        let finding = match finding {
            Finding::Restricted(scopes) => Finding::Restricted(
                scopes
                    .into_iter()
                    .filter(|s| leak::is_safe(s, self.options.secret()))
                    .collect(),
            ),
            other => other,
        };
        let steps = self.steps(&articles, &images);
        let key_org = self.key_org();
        let org_name = key_org
            .as_ref()
            .map(|(o, _)| o.title.clone().unwrap_or_else(|| o.name.clone()));
        let ctx = wording::Context {
            timeout_secs: self.options.timeout_secs,
            org: org_name.as_deref(),
            models: &self.options.models,
        };
        let w = wording::wording(&finding, &ctx);
        let titles: Vec<(String, bool)> = self
            .orgs
            .iter()
            .map(|o| {
                (
                    o.title.clone().unwrap_or_else(|| o.name.clone()),
                    o.is_default,
                )
            })
            .collect();
        let other_orgs_warning = wording::orgs_warning(
            &titles,
            key_org
                .as_ref()
                .map(|(o, d)| (o.title.as_deref().unwrap_or(&o.name), *d)),
            matches!(finding, Finding::NoCredit(_)),
        );
        let mut notes = Vec::new();
        if matches!(self.class_of(|p| *p == Probe::Models), Some(Class::MissingScopes(s)) if only_listing(s))
        {
            notes.push(wording::NOTE_CANNOT_LIST.to_owned());
        }
        if self.tier.is_some() {
            notes.push(wording::NOTE_TIER.to_owned());
        }
        let offer_image_test = !self.options.verification
            && images == Proof::Unknown(Unknown::ImageNotChecked)
            && articles == Proof::Ready;
        CheckReport {
            verdict: w.verdict,
            steps,
            organization: key_org.map(|(o, _)| o),
            project: self.project.clone(),
            other_orgs_warning,
            tier: self.tier.clone(),
            message: w.message,
            next_step: w.next_step,
            fix_url: w.fix_url,
            trouble: w.trouble,
            offer_paid_probe: finding == Finding::Unexpected { offer_paid: true },
            offer_image_test,
            key: self.options.key.clone(),
            notes,
            features: Features {
                articles: wording::feature_status(Feature::Articles, &articles, &ctx),
                images: wording::feature_status(Feature::Images, &images, &ctx),
            },
            billing: match finding {
                Finding::NoCredit(code) => Some(code),
                _ => None,
            },
        }
    }

    fn steps(&self, articles: &Proof, images: &Proof) -> Steps {
        let mut steps = Steps::default();
        let blocked_by = |f: &dyn Fn(&Finding) -> bool| {
            [articles, images]
                .iter()
                .any(|p| matches!(p, Proof::Blocked(x) if f(x)))
        };
        if self.authenticated() || *articles == Proof::Ready {
            steps.account = StepState::Done;
            steps.key = StepState::Done;
        }
        if blocked_by(&|f| matches!(f, Finding::Restricted(_))) {
            steps.account = StepState::Done;
            steps.key = StepState::Pending;
        }
        if let Some(f) = &self.settled {
            match f {
                Finding::InvalidKey | Finding::AdminKey => steps.key = StepState::Pending,
                Finding::NoOrganization
                | Finding::AccountDeactivated
                | Finding::AccessTerminated => steps.account = StepState::Pending,
                _ => {}
            }
        }
        if *articles == Proof::Ready {
            steps.billing = StepState::Done;
        }
        if blocked_by(&|f| matches!(f, Finding::NoCredit(_))) {
            steps.billing = StepState::Pending;
        }
        if *images == Proof::Ready {
            steps.verification = StepState::Done;
        }
        if blocked_by(&|f| matches!(f, Finding::VerificationRequired(_))) {
            steps.verification = StepState::Pending;
        }
        steps
    }
}

/// True when the only missing scopes are the model-listing ones (a restricted key that may
/// still use models).
fn only_listing(scopes: &[String]) -> bool {
    !scopes.is_empty() && scopes.iter().all(|s| s.contains("model.read"))
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
