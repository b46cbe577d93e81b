//! The one status the window shows: how a state looks (done, needs you, problem, not checked),
//! what is left in one sentence, and the "welcome back" sentence. "All set" is said only when
//! the final checklist can be confirmed, so no two places can disagree.

use super::checklist::{Checklist, ItemId, Mark};
use super::features::FeatureState;
use super::guide;
use super::readiness::CheckReport;
use super::verdict::{StepId, StepState, Verdict};

/// The four ways a thing can stand, each with its own look in the theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tone {
    /// Done, proven or chosen.
    Done,
    /// Waiting for the user.
    NeedsYou,
    /// Something is wrong.
    Problem,
    /// Nothing tells yet.
    NotChecked,
}

impl Tone {
    /// The spoken word for screen readers ("done", "needs you", "problem", "not checked").
    pub(crate) fn spoken(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::NeedsYou => "needs you",
            Self::Problem => "problem",
            Self::NotChecked => "not checked",
        }
    }

    /// How a step's state looks.
    pub(crate) fn of_step(state: StepState) -> Self {
        match state {
            StepState::Done | StepState::NotNeeded => Self::Done,
            StepState::Pending => Self::NeedsYou,
            StepState::Unknown => Self::NotChecked,
        }
    }

    /// How a check's verdict looks: ready is done; "could not tell" is not checked; a problem
    /// the user fixes in OpenAI (billing, verification) needs them; the rest are problems.
    pub(crate) fn of_verdict(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Ready | Verdict::WellFormed => Self::Done,
            Verdict::NoCredit | Verdict::VerificationRequired => Self::NeedsYou,
            v if v.exit_code() == 2 => Self::NotChecked,
            _ => Self::Problem,
        }
    }
}

/// The plain words for one item that is still open, to name it in "what is left".
pub(crate) fn left_words(item: ItemId) -> &'static str {
    match item {
        ItemId::SignedIn => "sign in to OpenAI",
        ItemId::RightOrganization => "confirm the organization",
        ItemId::KeyCreated => "create your key",
        ItemId::KeyCopied => "copy your key",
        ItemId::KeySavedSafely => "keep your key somewhere safe",
        ItemId::PaymentMethod => "add a payment method",
        ItemId::Credits => "add credit, or tick that your organization pays by card",
        ItemId::SpendLimit => "set a monthly usage limit, which only you can see in OpenAI",
        ItemId::Verified => "verify your organization, or choose \"I won't use AAAI's images\"",
    }
}

/// The items still open, in checklist order.
pub(crate) fn open_items(checklist: &Checklist) -> Vec<ItemId> {
    ItemId::ALL
        .into_iter()
        .filter(|i| checklist.mark(*i) == Mark::NotYet)
        .collect()
}

/// "Two things left: add a payment method; set a monthly usage limit, …", or `None` when the
/// final checklist can be confirmed.
pub(crate) fn what_is_left(checklist: &Checklist) -> Option<String> {
    if checklist.can_confirm() {
        return None;
    }
    let open = open_items(checklist);
    let count = match open.len() {
        1 => "One thing left",
        2 => "Two things left",
        3 => "Three things left",
        4 => "Four things left",
        5 => "Five things left",
        6 => "Six things left",
        7 => "Seven things left",
        8 => "Eight things left",
        _ => "Nine things left",
    };
    let words: Vec<&str> = open.iter().map(|i| left_words(*i)).take(3).collect();
    let more = open.len().saturating_sub(words.len());
    if more == 0 {
        Some(format!("{count}: {}.", words.join("; ")))
    } else {
        Some(format!(
            "{count}: {}; and {more} more, shown in your checklist.",
            words.join("; ")
        ))
    }
}

/// What is left, counting what the last check found wanting too; `None` when the final
/// checklist can be confirmed.
pub(crate) fn left_sentence(checklist: &Checklist, report: Option<&CheckReport>) -> Option<String> {
    if let Some(left) = what_is_left(checklist) {
        return Some(left);
    }
    let wanting: Vec<String> = StepId::ALL
        .iter()
        .filter(|s| step_tone(checklist, **s, report) != Tone::Done)
        .map(|s| guide::number(*s).to_string())
        .collect();
    match wanting.as_slice() {
        [] => None,
        [one] => Some(format!(
            "One thing left: fix what the check found in step {one}."
        )),
        many => Some(format!(
            "Left: fix what the check found in steps {}.",
            many.join(", ")
        )),
    }
}

/// A final checklist line that is not done names what is open in its step, not only the
/// step's first item: "I can open the OpenAI dashboard (step 1). Still open: confirm the
/// organization."
pub(crate) fn final_line(checklist: &Checklist, step: StepId, text: &str) -> String {
    let open: Vec<&str> = super::checklist::items_of(step)
        .filter(|i| checklist.mark(*i) == Mark::NotYet)
        .map(left_words)
        .collect();
    if open.is_empty() {
        text.to_owned()
    } else {
        format!("{text}. Still open: {}.", open.join("; "))
    }
}

/// The one name of the choice not to use images, everywhere it is shown.
pub(crate) fn no_images_choice() -> &'static str {
    ItemId::Verified
        .optional_because()
        .unwrap_or("I won't use AAAI's images")
}

/// A feature's line as the window shows it, with its look. After "I won't use AAAI's images",
/// an images line that is not proven says the choice instead of asking for a test image.
pub(crate) fn feature_line(
    checklist: &Checklist,
    feature: super::features::Feature,
    fs: &super::features::FeatureStatus,
) -> (Tone, String, Option<&'static str>) {
    if feature == super::features::Feature::Images
        && checklist.mark(ItemId::Verified) == Mark::NotNeeded
        && fs.state != FeatureState::Ready
    {
        return (
            Tone::Done,
            format!(
                "{}: not needed, you chose \"{}\"",
                feature.label(),
                no_images_choice()
            ),
            None,
        );
    }
    (
        feature_tone(fs.state),
        format!("{}: {}", feature.label(), fs.line),
        fs.fix_url,
    )
}

/// Something the window can offer about a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// "I added credit: keep checking" (free re-checks until credit shows).
    KeepCheckingCredit,
    /// "I raised the limit: keep checking" (free re-checks until requests go through).
    KeepCheckingLimit,
    /// One paid one-token request to settle an unclear credit answer.
    OneTokenTest,
    /// One smallest real test image, the only proof images work.
    TestImage,
    /// "I've verified my organization: keep checking" (free re-checks).
    KeepCheckingVerification,
}

/// Which actions can help with what a check found: each finding offers only those. Billing
/// that is "not active" is a setting or a support case, so waiting for credit does not help;
/// after "I won't use AAAI's images", nothing about images is offered.
pub fn actions(report: &CheckReport, checklist: &Checklist) -> Vec<Action> {
    use super::readiness::BillingCode as B;
    let no_images = checklist.mark(ItemId::Verified) == Mark::NotNeeded;
    let mut out = Vec::new();
    if report.steps.billing == StepState::Pending {
        match report.billing {
            Some(B::InsufficientQuota | B::CreditBalanceExhausted) | None => {
                out.push(Action::KeepCheckingCredit);
            }
            Some(
                B::OrganizationSpendLimit
                | B::ProjectSpendLimit
                | B::OrganizationUsageLimit
                | B::HardLimitReached,
            ) => out.push(Action::KeepCheckingLimit),
            Some(B::BillingNotActive) => {}
        }
    }
    if report.offer_paid_probe {
        out.push(Action::OneTokenTest);
    }
    if !no_images {
        if report.offer_image_test {
            out.push(Action::TestImage);
        }
        if report.steps.verification == StepState::Pending {
            out.push(Action::KeepCheckingVerification);
        }
    }
    out
}

/// The one overall status line and how it looks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// How it looks.
    pub tone: Tone,
    /// The sentence.
    pub text: String,
}

/// Said after "all set" when the user ticked "Organization verified" but no check has proven
/// images yet: ready must mean ready for both, or say plainly what is not proven.
pub(crate) fn images_unproven(
    checklist: &Checklist,
    report: Option<&CheckReport>,
) -> Option<&'static str> {
    let ticked = checklist.mark(ItemId::Verified) == Mark::Done;
    let unknown = report.is_some_and(|r| r.features.images.state == FeatureState::Unknown);
    (ticked && unknown).then_some(
        "Images are not proven yet: one test image on step 4 (about half a cent) proves them.",
    )
}

/// The overall status once a check said the key is ready: "all set" only when the final checklist
/// can be confirmed (or is), else what is left.
pub(crate) fn after_ready_check(checklist: &Checklist, report: Option<&CheckReport>) -> Summary {
    match left_sentence(checklist, report) {
        None if checklist.confirmed => Summary {
            tone: Tone::Done,
            text: match images_unproven(checklist, report) {
                Some(caveat) => format!(
                    "All set: your key works. Copy it for AAAI from the final checklist. {caveat}"
                ),
                None => String::from(
                    "All set: your key works. Copy it for AAAI from the final checklist.",
                ),
            },
        },
        None => Summary {
            tone: Tone::Done,
            text: String::from(
                "Your key works and every step is done: confirm the final checklist.",
            ),
        },
        Some(left) => Summary {
            tone: Tone::NeedsYou,
            text: format!("Your key works. {left}"),
        },
    }
}

/// The evidence line a step's state from a check gives, and how it looks; `None` when the check
/// tells nothing about the step.
pub(crate) fn evidence_line(step: StepId, state: StepState) -> Option<(&'static str, Tone)> {
    let line = match (step, state) {
        (_, StepState::Unknown | StepState::NotNeeded) => return None,
        (StepId::Account, StepState::Done) => "Checked with OpenAI: your account works",
        (StepId::Key, StepState::Done) => "Checked with OpenAI: the key works",
        (StepId::Billing, StepState::Done) => "Checked with OpenAI: credit available",
        (StepId::Billing, StepState::Pending) => "Checked with OpenAI: no credit yet",
        (StepId::Verification, StepState::Done) => {
            "Checked with OpenAI: a test image was made, so images work"
        }
        (StepId::Verification, StepState::Pending) => {
            "Checked with OpenAI: your organization must be verified for images"
        }
        (StepId::Account | StepId::Key, StepState::Pending) => {
            return Some((
                "Checked with OpenAI: not working yet, see what the check found",
                Tone::Problem,
            ));
        }
    };
    Some((line, Tone::of_step(state)))
}

/// The step a check's finding belongs to: its troubleshooting entry's step, else the step the
/// verdict is about. `None` when the key is ready or the check could not tell.
pub fn step_of(report: &CheckReport) -> Option<StepId> {
    if report.offer_paid_probe {
        // The unclear answer was about credit: the one-token test belongs to billing.
        return Some(StepId::Billing);
    }
    if let Some(trouble) = report.trouble {
        return Some(guide::trouble(trouble).step);
    }
    match report.verdict {
        Verdict::NoOrganization | Verdict::AccountDeactivated | Verdict::RegionBlocked => {
            Some(StepId::Account)
        }
        Verdict::Malformed
        | Verdict::WrongProvider
        | Verdict::AdminKey
        | Verdict::InvalidKey
        | Verdict::RestrictedKey
        | Verdict::ModelUnavailable => Some(StepId::Key),
        Verdict::NoCredit => Some(StepId::Billing),
        Verdict::VerificationRequired => Some(StepId::Verification),
        _ => None,
    }
}

/// What the last check found about a step, when it found it wanting: a problem in this step, or
/// something the user must do here.
pub(crate) fn found_tone(report: &CheckReport, step: StepId) -> Option<Tone> {
    (report.steps.get(step) == StepState::Pending).then(|| {
        if step_of(report) == Some(step) {
            Tone::of_verdict(report.verdict)
        } else {
            Tone::NeedsYou
        }
    })
}

/// How a step looks: what the last check found wanting wins over ticks (it is newer and
/// proven), except the user's own choice not to use AAAI's images; otherwise the ticks say.
pub(crate) fn step_tone(checklist: &Checklist, step: StepId, report: Option<&CheckReport>) -> Tone {
    if step == StepId::Verification && checklist.mark(ItemId::Verified) == Mark::NotNeeded {
        return Tone::Done;
    }
    report
        .and_then(|r| found_tone(r, step))
        .unwrap_or_else(|| Tone::of_step(checklist.step_state(step)))
}

/// The final checklist may be confirmed: every line is done or not needed, and the last check
/// found no step wanting.
pub fn can_confirm(checklist: &Checklist, report: Option<&CheckReport>) -> bool {
    checklist.can_confirm()
        && StepId::ALL
            .iter()
            .all(|s| step_tone(checklist, *s, report) == Tone::Done)
}

/// The step a feature's line belongs to: articles need billing, images need verification.
pub(crate) fn step_of_feature(feature: super::features::Feature) -> StepId {
    match feature {
        super::features::Feature::Articles => StepId::Billing,
        super::features::Feature::Images => StepId::Verification,
    }
}

/// How a feature's state looks.
pub(crate) fn feature_tone(state: FeatureState) -> Tone {
    match state {
        FeatureState::Ready => Tone::Done,
        FeatureState::Unknown => Tone::NotChecked,
        FeatureState::Blocked(verdict) => Tone::of_verdict(verdict),
    }
}

/// How the key stands, for the welcome sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStanding {
    /// Read from the keyring, not checked yet.
    Kept,
    /// A check is running.
    Checking,
    /// The last check said it works.
    Works,
    /// The last check found a problem.
    NeedsAttention,
}

/// Which step is next, in words that follow "… is next".
fn next_words(step: StepId) -> &'static str {
    match step {
        StepId::Account => "signing in",
        StepId::Key => "your key",
        StepId::Billing => "billing",
        StepId::Verification => "verifying your organization",
    }
}

/// "Welcome back: your key works; billing is next." The next step is the first one not done,
/// counting what the last check found wanting.
pub(crate) fn welcome_back(
    checklist: &Checklist,
    report: Option<&CheckReport>,
    key: KeyStanding,
) -> String {
    let key_words = match key {
        KeyStanding::Kept => "your key is saved",
        KeyStanding::Checking => "your key is being checked",
        KeyStanding::Works => "your key works",
        KeyStanding::NeedsAttention => "your key needs attention",
    };
    let rest = match first_open_step(checklist, report) {
        Some(step) => format!(
            "{} is next (step {}).",
            next_words(step),
            guide::number(step)
        ),
        None if checklist.confirmed => {
            String::from("you are all set; copy it for AAAI from the final checklist.")
        }
        None => String::from("every step is done; confirm the final checklist."),
    };
    format!("Welcome back: {key_words}; {rest}")
}

/// Where to open the app: the first step not done (by ticks, or by what the last check found
/// wanting); `None` when every step is done (open the final checklist).
pub(crate) fn first_open_step(
    checklist: &Checklist,
    report: Option<&CheckReport>,
) -> Option<StepId> {
    StepId::ALL
        .into_iter()
        .find(|s| step_tone(checklist, *s, report) != Tone::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::checklist::items_of;
    use crate::core::key::test_keys::project_key;

    fn everything_but(open: &[ItemId]) -> Checklist {
        let mut c = Checklist::default();
        for item in ItemId::ALL {
            if !open.contains(&item) {
                c.set(item, Mark::Done);
            }
        }
        c
    }

    #[test]
    fn what_is_left_names_each_open_thing_in_one_sentence() {
        let c = everything_but(&[ItemId::RightOrganization, ItemId::SpendLimit]);
        assert_eq!(
            what_is_left(&c).as_deref(),
            Some(
                "Two things left: confirm the organization; set a monthly usage limit, which \
                 only you can see in OpenAI."
            )
        );
        let c = everything_but(&[]);
        assert_eq!(what_is_left(&c), None);
        assert_eq!(
            what_is_left(&Checklist::default())
                .as_deref()
                .map(|s| &s[..17]),
            Some("Nine things left:")
        );
    }

    #[test]
    fn all_set_only_when_the_final_checklist_can_be_confirmed() {
        let open = everything_but(&[ItemId::SpendLimit]);
        let s = after_ready_check(&open, None);
        assert_eq!(s.tone, Tone::NeedsYou);
        assert!(!s.text.to_lowercase().contains("all set"), "{}", s.text);
        assert!(s.text.contains("One thing left"));
        let mut done = everything_but(&[]);
        assert!(!after_ready_check(&done, None).text.contains("All set"));
        assert!(done.confirm());
        let s = after_ready_check(&done, None);
        assert_eq!(s.tone, Tone::Done);
        assert!(s.text.starts_with("All set"));
    }

    #[test]
    fn all_set_says_plainly_when_images_are_not_proven() {
        let mut done = everything_but(&[]);
        assert!(done.confirm());
        let recognition = crate::core::key::scan(&project_key()).result;
        let mut report = CheckReport::from_shape(&recognition).expect("a report");
        report.features.images.state = FeatureState::Unknown;
        let s = after_ready_check(&done, Some(&report));
        assert!(s.text.starts_with("All set"), "{}", s.text);
        assert!(s.text.contains("Images are not proven yet"), "{}", s.text);
        report.features.images.state = FeatureState::Ready;
        let s = after_ready_check(&done, Some(&report));
        assert!(!s.text.contains("not proven"), "{}", s.text);
    }

    #[test]
    fn welcome_back_says_where_the_user_is() {
        let mut c = Checklist::default();
        for item in items_of(StepId::Account).chain(items_of(StepId::Key)) {
            c.set(item, Mark::Done);
        }
        assert_eq!(
            welcome_back(&c, None, KeyStanding::Works),
            "Welcome back: your key works; billing is next (step 3)."
        );
        assert_eq!(first_open_step(&c, None), Some(StepId::Billing));
        let done = everything_but(&[]);
        assert_eq!(first_open_step(&done, None), None);
        assert!(
            welcome_back(&done, None, KeyStanding::Kept).contains("confirm the final checklist")
        );
    }

    #[test]
    fn a_step_the_check_found_wanting_never_looks_done() {
        let text = project_key();
        let recognition = crate::core::key::scan(&text).result;
        let mut report = CheckReport::from_shape(&recognition).expect("a report");
        let mut c = Checklist::default();
        c.set(ItemId::KeyCreated, Mark::Done);
        c.set(ItemId::KeyCopied, Mark::Done);
        c.set(ItemId::KeySavedSafely, Mark::Done);
        assert_eq!(step_tone(&c, StepId::Key, Some(&report)), Tone::Done);
        report.verdict = Verdict::InvalidKey;
        report.steps.key = StepState::Pending;
        assert_eq!(step_tone(&c, StepId::Key, Some(&report)), Tone::Problem);
        report.verdict = Verdict::VerificationRequired;
        report.steps.key = StepState::Done;
        report.steps.verification = StepState::Pending;
        assert_eq!(
            step_tone(&c, StepId::Verification, Some(&report)),
            Tone::NeedsYou
        );
        c.set(ItemId::Verified, Mark::NotNeeded);
        assert_eq!(
            step_tone(&c, StepId::Verification, Some(&report)),
            Tone::Done
        );
        assert_eq!(step_tone(&c, StepId::Billing, None), Tone::NotChecked);
    }

    /// A finding and the actions it offers: verdict, billing code, billing and verification
    /// states, paid probe offered, image test offered, the actions.
    type ActionCase = (
        Verdict,
        Option<crate::core::readiness::BillingCode>,
        StepState,
        StepState,
        bool,
        bool,
        &'static [Action],
    );

    /// Every verdict (and every billing code) offers only the actions that can help with it.
    #[test]
    fn each_finding_offers_only_the_actions_that_can_help() {
        use super::super::readiness::BillingCode as B;
        use Action::*;
        use StepState::{Done as D, Pending as P, Unknown as U};
        let recognition = crate::core::key::scan(&project_key()).result;
        let base = CheckReport::from_shape(&recognition).expect("a report");
        // verdict, billing code, billing, verification, paid probe offered, image test offered,
        // the actions.
        #[rustfmt::skip]
        let cases: [ActionCase; 23] = [
            (Verdict::Ready, None, D, U, false, true, &[TestImage]),
            (Verdict::Ready, None, D, D, false, false, &[]),
            (Verdict::WellFormed, None, U, U, false, false, &[]),
            (Verdict::Malformed, None, U, U, false, false, &[]),
            (Verdict::WrongProvider, None, U, U, false, false, &[]),
            (Verdict::AdminKey, None, U, U, false, false, &[]),
            (Verdict::InvalidKey, None, U, U, false, false, &[]),
            (Verdict::NoOrganization, None, U, U, false, false, &[]),
            (Verdict::AccountDeactivated, None, U, U, false, false, &[]),
            (Verdict::RestrictedKey, None, U, U, false, false, &[]),
            (Verdict::NoCredit, Some(B::InsufficientQuota), P, U, false, false, &[KeepCheckingCredit]),
            (Verdict::NoCredit, Some(B::CreditBalanceExhausted), P, U, false, false, &[KeepCheckingCredit]),
            (Verdict::NoCredit, Some(B::OrganizationSpendLimit), P, U, false, false, &[KeepCheckingLimit]),
            (Verdict::NoCredit, Some(B::ProjectSpendLimit), P, U, false, false, &[KeepCheckingLimit]),
            (Verdict::NoCredit, Some(B::OrganizationUsageLimit), P, U, false, false, &[KeepCheckingLimit]),
            (Verdict::NoCredit, Some(B::HardLimitReached), P, U, false, false, &[KeepCheckingLimit]),
            (Verdict::NoCredit, Some(B::BillingNotActive), P, U, false, false, &[]),
            (Verdict::ModelUnavailable, None, U, U, false, false, &[]),
            (Verdict::VerificationRequired, None, D, P, false, false, &[KeepCheckingVerification]),
            (Verdict::RegionBlocked, None, U, U, false, false, &[]),
            (Verdict::RateLimited, None, U, U, false, false, &[]),
            (Verdict::ServerError, None, U, U, false, false, &[]),
            (Verdict::UnexpectedResponse, None, U, U, true, false, &[OneTokenTest]),
        ];
        let mut seen = std::collections::HashSet::new();
        for (verdict, billing, b, v, paid, image, want) in cases {
            let mut r = base.clone();
            r.verdict = verdict;
            r.billing = billing;
            r.steps.billing = b;
            r.steps.verification = v;
            r.offer_paid_probe = paid;
            r.offer_image_test = image;
            assert_eq!(
                actions(&r, &Checklist::default()),
                want,
                "{verdict:?} {billing:?}"
            );
            // After "I won't use AAAI's images", nothing about images is offered.
            let mut no_images = Checklist::default();
            no_images.set(ItemId::Verified, Mark::NotNeeded);
            let left = actions(&r, &no_images);
            assert!(
                !left.contains(&TestImage) && !left.contains(&KeepCheckingVerification),
                "{verdict:?}"
            );
            seen.insert(verdict);
        }
        seen.insert(Verdict::NetworkError);
        let mut r = base.clone();
        r.verdict = Verdict::NetworkError;
        assert_eq!(actions(&r, &Checklist::default()), []);
        assert_eq!(seen.len(), 17, "every verdict has a case");
    }

    #[test]
    fn the_final_checklist_names_the_item_that_is_open() {
        let mut c = Checklist::default();
        c.set(ItemId::SignedIn, Mark::Done);
        let line = final_line(
            &c,
            StepId::Account,
            "I can open the OpenAI dashboard (step 1)",
        );
        assert!(
            line.contains("Still open: confirm the organization."),
            "{line}"
        );
        assert!(!line.contains("sign in"), "{line}");
        c.set(ItemId::RightOrganization, Mark::NotNeeded);
        assert_eq!(final_line(&c, StepId::Account, "x"), "x");
    }

    #[test]
    fn tones_never_make_a_problem_look_done() {
        assert_eq!(Tone::of_verdict(Verdict::Ready), Tone::Done);
        assert_eq!(Tone::of_verdict(Verdict::NoCredit), Tone::NeedsYou);
        assert_eq!(Tone::of_verdict(Verdict::InvalidKey), Tone::Problem);
        assert_eq!(Tone::of_verdict(Verdict::NetworkError), Tone::NotChecked);
        assert_eq!(Tone::of_step(StepState::Pending), Tone::NeedsYou);
        assert_eq!(Tone::of_step(StepState::Unknown), Tone::NotChecked);
        let words: Vec<&str> = [Tone::Done, Tone::NeedsYou, Tone::Problem, Tone::NotChecked]
            .iter()
            .map(|t| t.spoken())
            .collect();
        assert_eq!(words, vec!["done", "needs you", "problem", "not checked"]);
    }
}
