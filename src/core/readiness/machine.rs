//! The state machine. It plans every probe that depends on nothing at the start (models, me,
//! the credit probe on the first text candidate, the image evidence on the first image
//! candidate) and hands them all out at once; the adapter sends them together and feeds each
//! result back as it comes. Only three things wait for another answer: the paid one-token
//! fallback (for the credit probe's), the consented test image (for the model list, so that a
//! retired model is never paid for and one consent buys one image), and a probe of the next
//! candidate when the model list or a 404 shows that a feature's model is gone (`choice`). When every probe is answered, or an
//! answer settles the whole check (an invalid key, say), the evidence is read into a
//! [`CheckReport`].

use super::choice::{self, How, ListState, Passed};
use super::classify::{Class, OrgEntry, Shape, classify_for, guess_tier, parse_orgs};
use super::classify::{clean_label, server_wait_secs};
use super::findings::{self, Finding, ImagesAre, Proof, Unknown};
use super::probe::{Answer, Probe, TransportError};
use super::wording;
use super::{CheckOptions, Organization};
use crate::core::features::{Feature, Features};
use crate::core::key::KeyKind;
use crate::core::leak;
use crate::core::models::{Candidate, Day, parse_model_list};
use crate::core::report::{CheckReport, ModelChoice, ModelsReport, Steps};
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
    /// Its model was passed over for the feature; what it got, if anything, proves nothing
    /// about the feature (but may show that the key authenticates).
    Superseded(Option<Outcome>),
}

/// The model one feature is checked on, and how it came to be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Track {
    /// The model probed now; `None` when no model of the family is left.
    current: Option<String>,
    /// Models that answered 404 (gone or unknown to this key).
    gone: Vec<String>,
    /// Models passed over, and why.
    passed: Vec<(String, Passed)>,
    /// How `current` was chosen.
    how: How,
}

impl Track {
    fn new(first: &str) -> Self {
        Self {
            current: Some(first.to_owned()),
            gone: Vec::new(),
            passed: Vec::new(),
            how: How::First,
        }
    }
}

/// The feature a probe is evidence for.
fn feature_of(probe: &Probe) -> Option<Feature> {
    match probe {
        Probe::Models | Probe::Me => None,
        Probe::CreditProbe { .. } | Probe::PaidOneToken { .. } => Some(Feature::Articles),
        Probe::ImageEvidence { .. } | Probe::TestImage { .. } => Some(Feature::Images),
    }
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
    /// OpenAI's model list.
    list: ListState,
    /// The day of the first server `Date` header seen.
    server_day: Option<Day>,
    articles: Track,
    images: Track,
}

impl ReadinessCheck {
    /// A check with its first probes planned. An admin key is settled at once: it is the
    /// wrong kind of key and nothing needs to be asked of OpenAI.
    pub fn new(options: CheckOptions) -> Self {
        let articles = Track::new(options.models.articles.first().id());
        let images = Track::new(options.models.images.first().id());
        let settled =
            matches!(&options.key, Some((KeyKind::Admin, _))).then_some(Finding::AdminKey);
        let mut check = Self {
            options,
            plan: Vec::new(),
            settled,
            orgs: Vec::new(),
            org_header: None,
            project: None,
            tier: None,
            list: ListState::Pending,
            server_day: None,
            articles,
            images,
        };
        let text = check.probe_for(
            Feature::Articles,
            &check.articles.current.clone().unwrap_or_default(),
        );
        let mut first = vec![Probe::Models, Probe::Me, text];
        // A consented test image is billed: it waits for the list, so that a model the list
        // shows retired is never paid for and one consent buys one image.
        if !check.options.verification {
            first.push(check.probe_for(
                Feature::Images,
                &check.images.current.clone().unwrap_or_default(),
            ));
        }
        check.plan = first.into_iter().map(|p| (p, Slot::Ready)).collect();
        check
    }

    /// The probe that checks `feature` on `model`, with the parameters the file gives it (a
    /// model of the family the file does not name gets those of the first candidate, and the
    /// reply budget field that reasoning models take).
    fn probe_for(&self, feature: Feature, model: &str) -> Probe {
        let models = &self.options.models;
        match feature {
            Feature::Articles => Probe::CreditProbe {
                model: model.to_owned(),
                budget: models
                    .articles
                    .find(model)
                    .map(|c| c.budget_param)
                    .unwrap_or_default(),
            },
            Feature::Images if self.options.verification => {
                let c = models.images.find(model).unwrap_or(models.images.first());
                Probe::TestImage {
                    model: model.to_owned(),
                    size: c.size.clone(),
                    quality: c.quality.clone(),
                }
            }
            Feature::Images => Probe::ImageEvidence {
                model: model.to_owned(),
            },
        }
    }

    /// The day the shutdown dates are read against: the server's, else the local one.
    fn today(&self) -> Option<Day> {
        self.server_day.or(self.options.today)
    }

    fn track(&self, feature: Feature) -> &Track {
        match feature {
            Feature::Articles => &self.articles,
            Feature::Images => &self.images,
        }
    }

    fn track_mut(&mut self, feature: Feature) -> &mut Track {
        match feature {
            Feature::Articles => &mut self.articles,
            Feature::Images => &mut self.images,
        }
    }

    /// The slot of the live main probe (credit probe or image probe) for a feature's model.
    fn main_slot(&self, feature: Feature, model: &str) -> Option<&Slot> {
        self.plan.iter().find_map(|(p, s)| {
            let main = matches!(
                p,
                Probe::CreditProbe { .. } | Probe::ImageEvidence { .. } | Probe::TestImage { .. }
            );
            (main
                && feature_of(p) == Some(feature)
                && p.model() == Some(model)
                && !matches!(s, Slot::Superseded(_)))
            .then_some(s)
        })
    }

    /// Looks again at which model `feature` should be checked on, once the list (or the
    /// probe's answer) is in; probes the next candidate when the current one is gone.
    fn reconsider(&mut self, feature: Feature) {
        if self.list == ListState::Pending {
            return;
        }
        let Some(current) = self.track(feature).current.clone() else {
            return;
        };
        let slot = self.main_slot(feature, &current).cloned();
        if slot.is_none()
            && !self
                .plan
                .iter()
                .any(|(p, _)| feature_of(p) == Some(feature))
        {
            self.plan_deferred(feature, &current);
            return;
        }
        let answered = matches!(slot, Some(Slot::Done(_)));
        let alive =
            matches!(&slot, Some(Slot::Done(Outcome::Answered(c, _))) if *c != Class::ModelGone);
        // Not listed and not answered yet: its answer may still show it alive.
        if !answered
            && matches!(self.list, ListState::Known(_))
            && self.list.entry(&current).is_none()
        {
            return;
        }
        let today = self.today();
        let pick = self.pick(feature, alive.then_some(current.as_str()));
        if pick.model.as_deref() == Some(current.as_str()) {
            self.track_mut(feature).how = pick.how;
            self.maybe_plan_paid(feature, &current);
            return;
        }
        let why = choice::passed(
            &current,
            &self.list,
            today,
            &self.track(feature).gone,
            alive,
        )
        .unwrap_or(Passed::Unlisted);
        for (p, s) in &mut self.plan {
            if feature_of(p) == Some(feature) && p.model() == Some(current.as_str()) {
                let old = std::mem::replace(s, Slot::Ready);
                *s = match old {
                    Slot::Done(o) => Slot::Superseded(Some(o)),
                    Slot::Superseded(o) => Slot::Superseded(o),
                    Slot::Ready | Slot::InFlight => Slot::Superseded(None),
                };
            }
        }
        let next = pick.model.as_deref().map(|m| self.probe_for(feature, m));
        let track = self.track_mut(feature);
        track.passed.push((current, why));
        track.current = pick.model;
        track.how = pick.how;
        if let Some(probe) = next {
            self.plan.push((probe, Slot::Ready));
        }
    }

    /// Plans a probe that waited for the list (the consented test image), on the model the
    /// list shows alive.
    fn plan_deferred(&mut self, feature: Feature, first: &str) {
        let pick = self.pick(feature, None);
        let (today, track) = (self.today(), self.track(feature));
        // The list shows no model of the family at all: a list may leave models out, so the
        // first candidate no 404 ruled out is tried (a model that is not there answers 404,
        // which is not billed).
        let pick = match pick.model {
            Some(_) => pick,
            None => choice::Pick {
                model: Some(first.to_owned()).filter(|m| !track.gone.contains(m)),
                how: How::First,
            },
        };
        let why = choice::passed(first, &self.list, today, &track.gone, false);
        let next = pick.model.as_deref().map(|m| self.probe_for(feature, m));
        let track = self.track_mut(feature);
        if pick.model.as_deref() != Some(first) {
            track
                .passed
                .push((first.to_owned(), why.unwrap_or(Passed::Unlisted)));
        }
        track.current = pick.model;
        track.how = pick.how;
        if let Some(probe) = next {
            self.plan.push((probe, Slot::Ready));
        }
    }

    /// The free credit probe could not tell: with consent, one real token settles it.
    fn maybe_plan_paid(&mut self, feature: Feature, model: &str) {
        if feature != Feature::Articles || !self.options.paid_probe_consent {
            return;
        }
        let unclear = matches!(
            self.main_slot(feature, model),
            Some(Slot::Done(Outcome::Answered(class, _)))
                if findings::credit_proof(class, None) == Proof::Unknown(Unknown::CreditUnclear)
        );
        let planned = self
            .plan
            .iter()
            .any(|(p, _)| matches!(p, Probe::PaidOneToken { model: m } if m == model));
        if unclear && !planned {
            self.plan.push((
                Probe::PaidOneToken {
                    model: model.to_owned(),
                },
                Slot::Ready,
            ));
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
                .all(|(_, slot)| matches!(slot, Slot::Done(_) | Slot::Superseded(_)))
    }

    /// Ends the check (e.g. the whole time bound ran out): every unanswered probe gets `error`.
    pub fn give_up(&mut self, error: TransportError) {
        for (_, slot) in &mut self.plan {
            if matches!(slot, Slot::Ready | Slot::InFlight) {
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
                let class = classify_for(&probe, answer, self.options.secret());
                let wait = server_wait_secs(answer).map(|s| s.ceil() as u64);
                Outcome::Answered(class, wait)
            }
        };
        if let (Ok(answer), Outcome::Answered(class, _)) = (&result, &outcome) {
            self.read_answer(&probe, answer, class);
        }
        if probe == Probe::Models {
            self.list = match (&result, &outcome) {
                // A model id may end up in a sentence: one that could be (part of) the key is
                // dropped.
                (Ok(answer), Outcome::Answered(Class::Success, _)) => {
                    parse_model_list(&answer.body)
                        .map(|list| {
                            list.into_iter()
                                .filter(|l| leak::is_safe(&l.id, self.options.secret()))
                                .collect()
                        })
                        .map_or(ListState::Unreadable, ListState::Known)
                }
                _ => ListState::Unreadable,
            };
        }
        if let (Some(feature), Outcome::Answered(Class::ModelGone, _)) =
            (feature_of(&probe), &outcome)
            && let Some(model) = probe.model()
        {
            self.track_mut(feature).gone.push(model.to_owned());
        }
        self.plan[index].1 = Slot::Done(outcome);
        if self.settled.is_none() {
            self.reconsider(Feature::Articles);
            self.reconsider(Feature::Images);
        }
    }

    fn read_headers(&mut self, a: &Answer) {
        if self.server_day.is_none() {
            self.server_day = a.header("date").and_then(Day::parse_http_date);
        }
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
        if self.articles.current.is_none() {
            return Proof::Unknown(Unknown::Because(Finding::NoModel(Feature::Articles)));
        }
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
        if self.images.current.is_none() {
            return Proof::Unknown(Unknown::Because(Finding::NoModel(Feature::Images)));
        }
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

    /// The first free answer (models, `/me`) that came back 2xx without its shape.
    fn odd_free_answer(&self) -> Option<&Shape> {
        [Probe::Models, Probe::Me]
            .iter()
            .find_map(|probe| match self.class_of(|p| p == probe) {
                Some(Class::WrongShape(shape)) => Some(shape),
                _ => None,
            })
    }

    /// True when some answer shows the key itself is accepted by OpenAI.
    fn authenticated(&self) -> bool {
        self.plan.iter().any(|(p, s)| match (p, s) {
            (Probe::Me, _) => false,
            (_, Slot::Done(Outcome::Answered(class, _)))
            | (_, Slot::Superseded(Some(Outcome::Answered(class, _)))) => match class {
                Class::Billing(_)
                | Class::ModelNotFound
                | Class::ModelGone
                | Class::ProbeRefused(_)
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
            None => (
                findings::unless_unproven(self.articles(), self.odd_free_answer()),
                self.images(),
            ),
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
            (Proof::Ready, Proof::Unknown(Unknown::Because(Finding::NoModel(_)))) => {
                Finding::Ready(ImagesAre::NoModel)
            }
            (Proof::Ready, Proof::Unknown(Unknown::Because(f @ Finding::Unproven(_)))) => f.clone(),
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
        let models = self.models_report();
        let ctx = wording::Context {
            timeout_secs: self.options.timeout_secs,
            org: org_name.as_deref(),
            text_model: models.articles.model_words(),
            image_model: models.images.model_words(),
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
            models: Some(models.clone()),
            billing: match finding {
                Finding::NoCredit(code) => Some(code),
                _ => None,
            },
        }
    }

    /// Which model each feature was checked on, and why (with its notice).
    fn models_report(&self) -> ModelsReport {
        let m = &self.options.models;
        ModelsReport {
            articles: self.model_choice(Feature::Articles, m.articles.first().id()),
            images: self.model_choice(Feature::Images, m.images.first().id()),
        }
    }

    fn model_choice(&self, feature: Feature, named: &str) -> ModelChoice {
        let track = self.track(feature);
        let shutdown = |id: &str| self.list.entry(id).and_then(|l| l.shutdown);
        let named_passed = track
            .passed
            .iter()
            .find(|(id, _)| id == named)
            .map(|(_, why)| *why);
        let list_read = matches!(self.list, ListState::Known(_));
        let how = if self.list == ListState::Pending || (!list_read && track.how == How::First) {
            // The list never came (the check was cut short or settled early).
            How::ListUnreadable
        } else {
            track.how
        };
        let mut choice = ModelChoice {
            feature,
            checked: track.current.clone(),
            named: named.to_owned(),
            checked_shutdown: track.current.as_deref().and_then(shutdown),
            named_shutdown: shutdown(named),
            named_passed,
            how,
            today: self.today(),
            notice: None,
        };
        // A check settled by the key or the account (an invalid key, say) has nothing to say
        // about models.
        if self.settled.is_none() {
            choice.notice = wording::model_notice(&choice);
        }
        choice
    }

    /// The model `feature` should be checked on now (`alive`: the current one, when an answer
    /// showed it alive).
    fn pick(&self, feature: Feature, alive: Option<&str>) -> choice::Pick {
        let (today, gone) = (self.today(), &self.track(feature).gone);
        match feature {
            Feature::Articles => choice::choose(
                &self.options.models.articles,
                &self.list,
                today,
                gone,
                alive,
            ),
            Feature::Images => {
                choice::choose(&self.options.models.images, &self.list, today, gone, alive)
            }
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
