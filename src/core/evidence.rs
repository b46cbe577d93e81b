//! What evidence proves: which checklist items a captured key or a check's result ticks (or
//! unticks). Evidence ticks every item it proves and never overrides a real choice the user made
//! ("my organization pays by card", "I won't use AAAI's images"). A monthly usage limit is never
//! ticked by evidence: only the user can see it in OpenAI.

use super::checklist::{Checklist, ItemId, Mark};
use super::readiness::Steps;
use super::verdict::StepState;

/// Something that tells the app how far the user is.
#[derive(Clone, Copy, Debug)]
pub enum Evidence<'a> {
    /// A key was captured (copied or pasted): it was created and copied.
    KeyCaptured,
    /// The key is kept in the OS keyring.
    KeyStored,
    /// A readiness check's step states.
    Checked(&'a Steps),
    /// The user answered "Is <org> the organization you want AAAI to bill?".
    OrganizationAnswer(bool),
}

/// The marks `evidence` gives, against the current checklist (to keep the user's choices).
pub fn ticks(evidence: Evidence<'_>, current: &Checklist) -> Vec<(ItemId, Mark)> {
    let mut out = Vec::new();
    match evidence {
        Evidence::KeyCaptured => {
            out.push((ItemId::KeyCreated, Mark::Done));
            out.push((ItemId::KeyCopied, Mark::Done));
        }
        Evidence::KeyStored => out.push((ItemId::KeySavedSafely, Mark::Done)),
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
            if steps.key == StepState::Done {
                out.push((ItemId::SignedIn, Mark::Done));
                out.push((ItemId::KeyCreated, Mark::Done));
                out.push((ItemId::KeyCopied, Mark::Done));
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
    fn a_captured_key_ticks_created_and_copied() {
        let mut c = Checklist::default();
        assert!(apply(Evidence::KeyCaptured, &mut c));
        assert_eq!(c.mark(ItemId::KeyCreated), Mark::Done);
        assert_eq!(c.mark(ItemId::KeyCopied), Mark::Done);
        assert_eq!(c.mark(ItemId::KeySavedSafely), Mark::NotYet);
        apply(Evidence::KeyStored, &mut c);
        assert_eq!(c.mark(ItemId::KeySavedSafely), Mark::Done);
    }

    /// A check's findings on a checklist that starts with `preset`: the marks that must follow.
    type CheckCase = (
        &'static str,
        &'static [(ItemId, Mark)],
        [StepState; 4],
        &'static [(ItemId, Mark)],
    );

    use ItemId::{Credits, KeyCopied, PaymentMethod, SignedIn, SpendLimit, Verified};
    use Mark as M;
    use StepState::{Done as D, Pending as P, Unknown as U};

    // One case a line: name, preset, what the check found (account, key, billing,
    // verification), the marks that follow.
    #[rustfmt::skip]
    const CHECK_CASES: [CheckCase; 8] = [
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
