//! What evidence proves: which checklist items a check's result, a kept key or a saved image
//! proof ticks (or unticks). Ticks follow the evidence: a key is ticked created and copied when
//! OpenAI accepts it, kept when it is stored and works; a refused key unticks all three. Evidence
//! never overrides a real choice the user made ("my organization pays by card", "I won't use
//! AAAI's images"). A monthly usage limit is never ticked by evidence: only the user can see it
//! in OpenAI.

use super::checklist::{Checklist, ItemId, Mark};
use super::features::FeatureState;
use super::progress::ImageProof;
use super::readiness::{CheckReport, Steps};
use super::verdict::StepState;

/// Something that tells the app how far the user is.
#[derive(Clone, Copy, Debug)]
pub enum Evidence<'a> {
    /// The key is kept in the OS keyring; `works` when the last check says OpenAI accepts it
    /// (a key that does not work ticks nothing about keeping it).
    KeyStored {
        /// The last check found the key working.
        works: bool,
    },
    /// A readiness check's step states.
    Checked(&'a Steps),
    /// The user answered "Is <org> the organization you want AAAI to bill?".
    OrganizationAnswer(bool),
}

/// The marks `evidence` gives, against the current checklist (to keep the user's choices).
pub fn ticks(evidence: Evidence<'_>, current: &Checklist) -> Vec<(ItemId, Mark)> {
    let mut out = Vec::new();
    match evidence {
        Evidence::KeyStored { works } => {
            if works {
                out.push((ItemId::KeySavedSafely, Mark::Done));
            }
        }
        Evidence::OrganizationAnswer(yes) => {
            out.push((
                ItemId::RightOrganization,
                if yes { Mark::Done } else { Mark::NotYet },
            ));
        }
        Evidence::Checked(steps) => {
            if steps.account == StepState::Done {
                out.push((ItemId::SignedIn, Mark::Done));
            }
            match steps.key {
                StepState::Done => {
                    out.push((ItemId::SignedIn, Mark::Done));
                    out.push((ItemId::KeyCreated, Mark::Done));
                    out.push((ItemId::KeyCopied, Mark::Done));
                }
                // OpenAI refuses this key: a new one must be created, copied and kept.
                StepState::Pending => {
                    out.push((ItemId::KeyCreated, Mark::NotYet));
                    out.push((ItemId::KeyCopied, Mark::NotYet));
                    out.push((ItemId::KeySavedSafely, Mark::NotYet));
                }
                StepState::Unknown | StepState::NotNeeded => {}
            }
            let pays_by_card = current.mark(ItemId::Credits) == Mark::NotNeeded;
            match steps.billing {
                StepState::Done => {
                    // Credit is available: a way to pay is on file, and the credits item is
                    // proven too, unless the user said the organization pays by card.
                    out.push((ItemId::PaymentMethod, Mark::Done));
                    if !pays_by_card {
                        out.push((ItemId::Credits, Mark::Done));
                    }
                }
                StepState::Pending => {
                    // A billing problem: whatever pays is not paying yet.
                    if pays_by_card {
                        out.push((ItemId::PaymentMethod, Mark::NotYet));
                    } else {
                        out.push((ItemId::Credits, Mark::NotYet));
                    }
                }
                StepState::Unknown | StepState::NotNeeded => {}
            }
            let no_images = current.mark(ItemId::Verified) == Mark::NotNeeded;
            match steps.verification {
                StepState::Done => out.push((ItemId::Verified, Mark::Done)),
                StepState::Pending if !no_images => out.push((ItemId::Verified, Mark::NotYet)),
                _ => {}
            }
        }
    }
    out.dedup();
    out
}

/// Count a saved paid proof in a free check's report: when a test image proved images for the
/// key's organization and this check could not tell (it sends no paid request), images are
/// ready, step 4 is done and no paid test is offered again. Free evidence that images are
/// blocked is newer and stays. Returns whether the report changed.
pub fn count_image_proof(report: &mut CheckReport, proofs: &[ImageProof]) -> bool {
    let Some(org) = &report.organization else {
        return false;
    };
    let Some(proof) = proofs.iter().find(|p| p.organization == org.name) else {
        return false;
    };
    if report.features.images.state != FeatureState::Unknown {
        return false;
    }
    report.features.images.state = FeatureState::Ready;
    report.features.images.line = format!(
        "ready: proven by the test image made on {}; re-checked for free since",
        proof.made_on
    );
    report.features.images.fix_url = None;
    report.steps.verification = StepState::Done;
    report.offer_image_test = false;
    true
}

/// Count a paid answer that came after a newer check started. The newer check's free evidence
/// stands, except where it could not tell: an unclear credit answer is settled by the paid
/// one-token answer, and images not proven are proven by a test image that was made.
pub fn count_paid_answer(newer: &mut CheckReport, paid: CheckReport) {
    if newer.offer_paid_probe && !paid.offer_paid_probe {
        *newer = paid;
        return;
    }
    if paid.features.images.state == FeatureState::Ready
        && newer.features.images.state == FeatureState::Unknown
    {
        newer.features.images = paid.features.images;
        newer.steps.verification = StepState::Done;
        newer.offer_image_test = false;
    }
}

/// Apply what `evidence` proves to `checklist`; returns whether anything changed.
pub fn apply(evidence: Evidence<'_>, checklist: &mut Checklist) -> bool {
    let before = checklist.clone();
    for (item, mark) in ticks(evidence, checklist) {
        checklist.set(item, mark);
    }
    *checklist != before
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(
        account: StepState,
        key: StepState,
        billing: StepState,
        verification: StepState,
    ) -> Steps {
        Steps {
            account,
            key,
            billing,
            verification,
        }
    }

    #[test]
    fn a_stored_key_is_ticked_kept_only_once_it_works() {
        let mut c = Checklist::default();
        assert!(!apply(Evidence::KeyStored { works: false }, &mut c));
        assert_eq!(c.mark(ItemId::KeySavedSafely), Mark::NotYet);
        assert!(apply(Evidence::KeyStored { works: true }, &mut c));
        assert_eq!(c.mark(ItemId::KeySavedSafely), Mark::Done);
    }

    #[test]
    fn a_saved_image_proof_counts_for_its_organization_only() {
        let recognition =
            crate::core::key::scan(&crate::core::key::test_keys::project_key()).result;
        let mut report = CheckReport::from_shape(&recognition).expect("a report");
        let proofs = [ImageProof {
            organization: String::from("acme"),
            made_on: String::from("2026-12-01"),
        }];
        assert!(!count_image_proof(&mut report, &proofs), "no organization");
        report.organization = Some(crate::core::readiness::Organization {
            name: String::from("other"),
            title: None,
        });
        assert!(
            !count_image_proof(&mut report, &proofs),
            "another organization"
        );
        report.organization = Some(crate::core::readiness::Organization {
            name: String::from("acme"),
            title: None,
        });
        report.offer_image_test = true;
        assert!(count_image_proof(&mut report, &proofs));
        assert_eq!(report.features.images.state, FeatureState::Ready);
        assert!(report.features.images.line.contains("2026-12-01"));
        assert_eq!(report.steps.verification, StepState::Done);
        assert!(!report.offer_image_test);
        let mut blocked = report.clone();
        blocked.features.images.state =
            FeatureState::Blocked(crate::core::verdict::Verdict::VerificationRequired);
        assert!(
            !count_image_proof(&mut blocked, &proofs),
            "newer free evidence stays"
        );
    }

    /// A check's findings on a checklist that starts with `preset`: the marks that must follow.
    type CheckCase = (
        &'static str,
        &'static [(ItemId, Mark)],
        [StepState; 4],
        &'static [(ItemId, Mark)],
    );

    use ItemId::{
        Credits, KeyCopied, KeyCreated, KeySavedSafely, PaymentMethod, SignedIn, SpendLimit,
        Verified,
    };
    use Mark as M;
    use StepState::{Done as D, Pending as P, Unknown as U};

    // One case a line: name, preset, what the check found (account, key, billing,
    // verification), the marks that follow.
    #[rustfmt::skip]
    const CHECK_CASES: [CheckCase; 9] = [
        ("a refused key unticks created, copied and kept", &[(KeyCreated, M::Done), (KeyCopied, M::Done), (KeySavedSafely, M::Done)], [D, P, U, U], &[(KeyCreated, M::NotYet), (KeyCopied, M::NotYet), (KeySavedSafely, M::NotYet)]),
        ("a working key ticks signed in", &[], [D, D, U, U], &[(SignedIn, M::Done), (KeyCopied, M::Done), (PaymentMethod, M::NotYet)]),
        ("credit ticks payment and credits but never the limit", &[], [D, D, D, U], &[(PaymentMethod, M::Done), (Credits, M::Done), (SpendLimit, M::NotYet)]),
        ("credit keeps the pays-by-card choice", &[(Credits, M::NotNeeded)], [D, D, D, U], &[(Credits, M::NotNeeded), (PaymentMethod, M::Done)]),
        ("a billing problem unticks the credits", &[(PaymentMethod, M::Done), (Credits, M::Done)], [D, D, P, U], &[(Credits, M::NotYet), (PaymentMethod, M::Done)]),
        ("a billing problem unticks the card of who pays by card", &[(PaymentMethod, M::Done), (Credits, M::NotNeeded)], [D, D, P, U], &[(PaymentMethod, M::NotYet)]),
        ("verification pending leaves it not yet", &[], [D, D, D, P], &[(Verified, M::NotYet)]),
        ("verification pending respects the no-images choice", &[(Verified, M::NotNeeded)], [D, D, D, P], &[(Verified, M::NotNeeded)]),
        ("a real image proves verification, whatever was chosen", &[(Verified, M::NotNeeded)], [D, D, D, D], &[(Verified, M::Done)]),
    ];

    #[test]
    fn a_check_ticks_what_it_proves() {
        for (name, preset, found, want) in CHECK_CASES {
            let mut c = Checklist::default();
            for (item, mark) in preset {
                c.set(*item, *mark);
            }
            let [account, key, billing, verification] = found;
            apply(
                Evidence::Checked(&steps(account, key, billing, verification)),
                &mut c,
            );
            for (item, mark) in want {
                assert_eq!(c.mark(*item), *mark, "{name}: {item:?}");
            }
        }
    }

    #[test]
    fn the_organization_answer_ticks_its_item() {
        let mut c = Checklist::default();
        apply(Evidence::OrganizationAnswer(true), &mut c);
        assert_eq!(c.mark(ItemId::RightOrganization), Mark::Done);
        apply(Evidence::OrganizationAnswer(false), &mut c);
        assert_eq!(c.mark(ItemId::RightOrganization), Mark::NotYet);
    }

    #[test]
    fn nothing_unknown_changes_anything() {
        let mut c = Checklist::default();
        assert!(!apply(Evidence::Checked(&steps(U, U, U, U)), &mut c));
    }
}
