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

    use StepState::{Done, Pending, Unknown};

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

    #[test]
    fn a_working_key_ticks_signed_in() {
        let mut c = Checklist::default();
        apply(
            Evidence::Checked(&steps(Done, Done, Unknown, Unknown)),
            &mut c,
        );
        assert_eq!(c.mark(ItemId::SignedIn), Mark::Done);
        assert_eq!(c.mark(ItemId::KeyCopied), Mark::Done);
        assert_eq!(c.mark(ItemId::PaymentMethod), Mark::NotYet);
    }

    #[test]
    fn credit_ticks_payment_and_credits_but_never_the_limit() {
        let mut c = Checklist::default();
        apply(Evidence::Checked(&steps(Done, Done, Done, Unknown)), &mut c);
        assert_eq!(c.mark(ItemId::PaymentMethod), Mark::Done);
        assert_eq!(c.mark(ItemId::Credits), Mark::Done);
        assert_eq!(c.mark(ItemId::SpendLimit), Mark::NotYet);
    }

    #[test]
    fn credit_keeps_the_pays_by_card_choice() {
        let mut c = Checklist::default();
        c.set(ItemId::Credits, Mark::NotNeeded);
        apply(Evidence::Checked(&steps(Done, Done, Done, Unknown)), &mut c);
        assert_eq!(c.mark(ItemId::Credits), Mark::NotNeeded);
        assert_eq!(c.mark(ItemId::PaymentMethod), Mark::Done);
    }

    #[test]
    fn a_billing_problem_unticks_what_pays() {
        let mut c = Checklist::default();
        c.set(ItemId::PaymentMethod, Mark::Done);
        c.set(ItemId::Credits, Mark::Done);
        apply(
            Evidence::Checked(&steps(Done, Done, Pending, Unknown)),
            &mut c,
        );
        assert_eq!(c.mark(ItemId::Credits), Mark::NotYet);
        assert_eq!(c.mark(ItemId::PaymentMethod), Mark::Done);
        let mut card = Checklist::default();
        card.set(ItemId::PaymentMethod, Mark::Done);
        card.set(ItemId::Credits, Mark::NotNeeded);
        apply(
            Evidence::Checked(&steps(Done, Done, Pending, Unknown)),
            &mut card,
        );
        assert_eq!(card.mark(ItemId::PaymentMethod), Mark::NotYet);
    }

    #[test]
    fn verification_evidence_respects_the_no_images_choice() {
        let mut c = Checklist::default();
        apply(Evidence::Checked(&steps(Done, Done, Done, Pending)), &mut c);
        assert_eq!(c.mark(ItemId::Verified), Mark::NotYet);
        c.set(ItemId::Verified, Mark::NotNeeded);
        apply(Evidence::Checked(&steps(Done, Done, Done, Pending)), &mut c);
        assert_eq!(c.mark(ItemId::Verified), Mark::NotNeeded);
        // A real image proves it, whatever was chosen.
        apply(Evidence::Checked(&steps(Done, Done, Done, Done)), &mut c);
        assert_eq!(c.mark(ItemId::Verified), Mark::Done);
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
        assert!(!apply(
            Evidence::Checked(&steps(Unknown, Unknown, Unknown, Unknown)),
            &mut c
        ));
    }
}
