//! The checklist model: every item the user ticks, the state of each guide step derived from
//! them, and the guide's final checklist with its confirmation rule. Pure data and rules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::verdict::{StepId, StepState};

/// One tickable item of the checklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemId {
    /// Signed in and seeing the dashboard.
    SignedIn,
    /// The organization that should own the key is selected (only with several).
    RightOrganization,
    /// A key was created with a recognisable name.
    KeyCreated,
    /// The key was copied before the dialog was closed.
    KeyCopied,
    /// The key is kept somewhere safe.
    KeySavedSafely,
    /// A payment method is on file.
    PaymentMethod,
    /// Credits were bought (only for accounts that use credits).
    Credits,
    /// A monthly usage limit is set.
    SpendLimit,
    /// The organization is verified (AAAI's images need it).
    Verified,
}

impl ItemId {
    /// Every item, in checklist order.
    pub const ALL: [Self; 9] = [
        Self::SignedIn,
        Self::RightOrganization,
        Self::KeyCreated,
        Self::KeyCopied,
        Self::KeySavedSafely,
        Self::PaymentMethod,
        Self::Credits,
        Self::SpendLimit,
        Self::Verified,
    ];

    /// The step this item belongs to: the one place that says which items make up a step.
    pub fn step(self) -> StepId {
        match self {
            Self::SignedIn | Self::RightOrganization => StepId::Account,
            Self::KeyCreated | Self::KeyCopied | Self::KeySavedSafely => StepId::Key,
            Self::PaymentMethod | Self::Credits | Self::SpendLimit => StepId::Billing,
            Self::Verified => StepId::Verification,
        }
    }

    /// The checkbox text, sentence case, no trailing period.
    pub fn label(self) -> &'static str {
        match self {
            Self::SignedIn => "Signed in and I see the dashboard",
            Self::RightOrganization => "The right organization is selected",
            Self::KeyCreated => "Key created, with a name I recognise",
            Self::KeyCopied => "Key copied before closing the dialog",
            Self::KeySavedSafely => "Key kept somewhere safe",
            Self::PaymentMethod => "Payment method added",
            Self::Credits => "Credits added",
            Self::SpendLimit => "Monthly usage limit set",
            Self::Verified => "Organization verified",
        }
    }

    /// Why the item may not apply, for items that are optional; `None` for required ones.
    pub fn optional_because(self) -> Option<&'static str> {
        match self {
            Self::RightOrganization => Some("I belong to only one organization"),
            Self::Credits => Some("my organization pays by card"),
            Self::Verified => Some("I won't use AAAI's images"),
            _ => None,
        }
    }

    /// The mark an item has before the user touches it: not yet, for every item. Nothing
    /// starts pre-ticked, not even verification: AAAI's images need it, and only the user can
    /// say "I won't use AAAI's images".
    pub(crate) fn default_mark(self) -> Mark {
        Mark::NotYet
    }
}

/// How far one item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Still to do.
    NotYet,
    /// Done.
    Done,
    /// Does not apply to this user (optional items only).
    NotNeeded,
}

/// The ticks the user made (and later, what checks found): the part of the state that is saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Checklist {
    marks: BTreeMap<ItemId, Mark>,
    /// The user confirmed the final checklist.
    pub confirmed: bool,
}

impl Checklist {
    /// The mark of one item.
    pub fn mark(&self, item: ItemId) -> Mark {
        self.marks
            .get(&item)
            .copied()
            .unwrap_or_else(|| item.default_mark())
    }

    /// Set one item. `NotNeeded` on a required item is ignored. Any change to a required
    /// item un-confirms the final checklist when it makes confirmation impossible.
    pub fn set(&mut self, item: ItemId, mark: Mark) {
        if mark == Mark::NotNeeded && item.optional_because().is_none() {
            return;
        }
        if mark == item.default_mark() {
            self.marks.remove(&item);
        } else {
            self.marks.insert(item, mark);
        }
        if !self.can_confirm() {
            self.confirmed = false;
        }
    }

    /// A step's state: done when each of its items is done or not needed; not needed when
    /// every item is optional and not needed; pending when some but not all are done.
    pub fn step_state(&self, step: StepId) -> StepState {
        let marks: Vec<Mark> = items_of(step).map(|i| self.mark(i)).collect();
        if marks.iter().all(|m| *m == Mark::NotNeeded) {
            StepState::NotNeeded
        } else if marks.iter().all(|m| *m != Mark::NotYet) {
            StepState::Done
        } else if marks.contains(&Mark::Done) {
            StepState::Pending
        } else {
            StepState::Unknown
        }
    }

    /// The final checklist's lines with their states (done, not yet, not needed).
    pub(crate) fn final_states(&self) -> [(StepId, Mark); 4] {
        StepId::ALL.map(|step| {
            let mark = match self.step_state(step) {
                StepState::Done => Mark::Done,
                StepState::NotNeeded => Mark::NotNeeded,
                StepState::Pending | StepState::Unknown => Mark::NotYet,
            };
            (step, mark)
        })
    }

    /// Confirmation is allowed once every line of the final checklist is done or not needed.
    pub fn can_confirm(&self) -> bool {
        self.final_states().iter().all(|(_, m)| *m != Mark::NotYet)
    }

    /// Confirm the final checklist; returns whether it was allowed.
    pub fn confirm(&mut self) -> bool {
        self.confirmed = self.can_confirm();
        self.confirmed
    }
}

/// The checklist items that belong to a step, in checklist order.
pub(crate) fn items_of(step: StepId) -> impl Iterator<Item = ItemId> {
    ItemId::ALL
        .into_iter()
        .filter(move |item| item.step() == step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_required_done() -> Checklist {
        let mut c = Checklist::default();
        for item in ItemId::ALL {
            if item.optional_because().is_none() {
                c.set(item, Mark::Done);
            }
        }
        c
    }

    #[test]
    fn fresh_checklist_has_nothing_done_and_verification_not_checked() {
        let c = Checklist::default();
        assert_eq!(c.step_state(StepId::Account), StepState::Unknown);
        assert_eq!(c.step_state(StepId::Verification), StepState::Unknown);
        assert_eq!(c.mark(ItemId::Verified), Mark::NotYet);
        assert!(!c.can_confirm());
    }

    #[test]
    fn every_step_has_its_items_in_checklist_order() {
        let all: Vec<ItemId> = StepId::ALL.into_iter().flat_map(items_of).collect();
        assert_eq!(all, ItemId::ALL.to_vec());
        assert_eq!(items_of(StepId::Verification).count(), 1);
    }

    #[test]
    fn tick_and_untick() {
        let mut c = Checklist::default();
        c.set(ItemId::SignedIn, Mark::Done);
        assert_eq!(c.mark(ItemId::SignedIn), Mark::Done);
        assert_eq!(c.step_state(StepId::Account), StepState::Pending);
        c.set(ItemId::RightOrganization, Mark::NotNeeded);
        assert_eq!(c.step_state(StepId::Account), StepState::Done);
        c.set(ItemId::SignedIn, Mark::NotYet);
        assert_eq!(c.mark(ItemId::SignedIn), Mark::NotYet);
        assert_eq!(c, {
            let mut d = Checklist::default();
            d.set(ItemId::RightOrganization, Mark::NotNeeded);
            d
        });
    }

    #[test]
    fn required_items_cannot_be_not_needed() {
        let mut c = Checklist::default();
        c.set(ItemId::KeyCreated, Mark::NotNeeded);
        assert_eq!(c.mark(ItemId::KeyCreated), Mark::NotYet);
    }

    #[test]
    fn confirm_only_when_every_required_item_is_settled() {
        let mut c = all_required_done();
        assert!(!c.can_confirm(), "optional items still open");
        c.set(ItemId::RightOrganization, Mark::NotNeeded);
        c.set(ItemId::Credits, Mark::Done);
        assert!(!c.can_confirm(), "verification is never assumed");
        c.set(ItemId::Verified, Mark::NotNeeded);
        assert!(c.can_confirm());
        assert!(c.confirm());
        // Unticking a required item withdraws the confirmation.
        c.set(ItemId::SpendLimit, Mark::NotYet);
        assert!(!c.confirmed);
        assert!(!c.confirm());
    }

    #[test]
    fn verification_can_be_required_then_done() {
        let mut c = all_required_done();
        c.set(ItemId::RightOrganization, Mark::Done);
        c.set(ItemId::Credits, Mark::NotNeeded);
        c.set(ItemId::Verified, Mark::NotYet);
        assert_eq!(c.final_states()[3], (StepId::Verification, Mark::NotYet));
        assert!(!c.can_confirm());
        c.set(ItemId::Verified, Mark::Done);
        assert_eq!(c.final_states()[3], (StepId::Verification, Mark::Done));
        assert!(c.can_confirm());
    }
}
