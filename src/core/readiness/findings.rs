//! Which evidence proves what: each probe's answer, once classified, becomes a [`Proof`] for
//! one AAAI feature (ready, not proven, or blocked by a [`Finding`]). The state machine
//! combines them; `wording` puts them into words.

use super::classify::{BillingCode, Class, Refusal, Shape};
use super::probe::TransportError;
use crate::core::features::Feature;
use crate::core::verdict::Verdict;

/// What the check found, before it is put into words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Articles are ready and images are not blocked; how far images are proven.
    Ready(ImagesAre),
    /// An organization admin key.
    AdminKey,
    /// `invalid_api_key`.
    InvalidKey,
    /// `no_organization`.
    NoOrganization,
    /// `account_deactivated`.
    AccountDeactivated,
    /// `access_terminated`: an account problem, not a billing one.
    AccessTerminated,
    /// `unsupported_country_region_territory`.
    RegionBlocked,
    /// A web page answered.
    Html,
    /// A restricted key without these scopes (or a member with the Reader role).
    Restricted(Vec<String>),
    /// A billing answer.
    NoCredit(BillingCode),
    /// The key's project may not use AAAI's model for this feature.
    ModelUnavailable(Feature),
    /// The organization must be verified for this feature's model.
    VerificationRequired(Feature),
    /// Rate limited; how long the server asked to wait, when it said.
    RateLimited(Option<u64>),
    /// A server error after retries.
    ServerError,
    /// No answer.
    Network(TransportError),
    /// OpenAI offers this key none of the models the check knows for this feature, nor any
    /// other of its family: nothing could be checked.
    NoModel(Feature),
    /// The free credit probe was refused as written (it does not fit the model): proves
    /// nothing about credit.
    ProbeRefused(Refusal),
    /// An answer without the shape that proves anything (an empty or plain-text 200, a model
    /// list with no models, an image answer with no image, a redirect): what came back.
    Unproven(Shape),
    /// An answer this app does not know; whether a paid one-token test is offered.
    Unexpected {
        /// True when the paid one-token test could settle it and was not consented to yet.
        offer_paid: bool,
    },
}

/// How far images are proven when articles are ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImagesAre {
    /// A real test image was made.
    Ready,
    /// Not proven: only the free evidence was taken, and it told nothing.
    NotChecked,
    /// The consented test image got no clear answer in time.
    TestUnfinished,
    /// The consented test image was refused for a reason this app does not know.
    TestRefused,
    /// OpenAI offers this key no image model the check knows.
    NoModel,
}

/// What the answers prove about one feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Proof {
    /// Proven to work.
    Ready,
    /// Not proven either way.
    Unknown(Unknown),
    /// This finding stops it.
    Blocked(Finding),
}

/// Why a feature is not proven.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// The check could not tell (rate limit, server error, network, odd answer).
    Because(Finding),
    /// The free credit probe's answer was not one this app knows.
    CreditUnclear,
    /// Images: the free evidence told nothing (see [`ImagesAre::NotChecked`]).
    ImageNotChecked,
    /// Images: the test image did not finish.
    ImageTestUnfinished,
    /// Images: the test image was refused for an unknown reason.
    ImageTestRefused,
}

impl Finding {
    /// The verdict word for this finding.
    pub fn verdict(&self) -> Verdict {
        match self {
            Self::Ready(_) => Verdict::Ready,
            Self::AdminKey => Verdict::AdminKey,
            Self::InvalidKey => Verdict::InvalidKey,
            Self::NoOrganization => Verdict::NoOrganization,
            Self::AccountDeactivated | Self::AccessTerminated => Verdict::AccountDeactivated,
            Self::RegionBlocked => Verdict::RegionBlocked,
            Self::Html
            | Self::Unproven(_)
            | Self::Unexpected { .. }
            | Self::NoModel(_)
            | Self::ProbeRefused(_) => Verdict::UnexpectedResponse,
            Self::Restricted(_) => Verdict::RestrictedKey,
            Self::NoCredit(_) => Verdict::NoCredit,
            Self::ModelUnavailable(_) => Verdict::ModelUnavailable,
            Self::VerificationRequired(_) => Verdict::VerificationRequired,
            Self::RateLimited(_) => Verdict::RateLimited,
            Self::ServerError => Verdict::ServerError,
            Self::Network(_) => Verdict::NetworkError,
        }
    }
}

/// The answers that settle the whole check, whichever probe got them.
pub(crate) fn settling(class: &Class) -> Option<Finding> {
    Some(match class {
        Class::InvalidKey => Finding::InvalidKey,
        Class::NoOrganization => Finding::NoOrganization,
        Class::AccountDeactivated => Finding::AccountDeactivated,
        Class::AccessTerminated => Finding::AccessTerminated,
        Class::RegionBlocked => Finding::RegionBlocked,
        Class::Html => Finding::Html,
        // Every answer came from wherever the redirect points, not from OpenAI.
        Class::WrongShape(shape @ Shape::Redirect(_)) => Finding::Unproven(shape.clone()),
        _ => return None,
    })
}

/// What blocks a feature whatever probe saw it.
fn blocking(class: &Class, feature: Feature) -> Option<Finding> {
    Some(match class {
        Class::Billing(code) => Finding::NoCredit(*code),
        Class::ModelNotFound => Finding::ModelUnavailable(feature),
        Class::VerificationRequired => Finding::VerificationRequired(feature),
        Class::MissingScopes(scopes) => Finding::Restricted(scopes.clone()),
        other => return settling(other),
    })
}

fn could_not_tell(class: &Class, wait: Option<u64>) -> Option<Finding> {
    match class {
        Class::WrongShape(shape) => Some(Finding::Unproven(shape.clone())),
        Class::RateLimited => Some(Finding::RateLimited(wait)),
        Class::ServerError | Class::Unfinished => Some(Finding::ServerError),
        _ => None,
    }
}

/// What the free credit probe on AAAI's text model proves. A 400 means the request was read
/// and refused as invalid after the credit check; a 200 means it was even served.
pub(crate) fn credit_proof(class: &Class, wait: Option<u64>) -> Proof {
    match class {
        Class::InvalidRequest | Class::Success => return Proof::Ready,
        Class::ProbeRefused(why) => {
            return Proof::Unknown(Unknown::Because(Finding::ProbeRefused(*why)));
        }
        Class::ModelGone => {
            return Proof::Unknown(Unknown::Because(Finding::NoModel(Feature::Articles)));
        }
        _ => {}
    }
    if let Some(f) = blocking(class, Feature::Articles) {
        return Proof::Blocked(f);
    }
    match could_not_tell(class, wait) {
        Some(f) => Proof::Unknown(Unknown::Because(f)),
        None => Proof::Unknown(Unknown::CreditUnclear),
    }
}

/// What the consented one-token completion proves: only a 200 is "ready".
pub(crate) fn paid_proof(class: &Class, wait: Option<u64>) -> Proof {
    if *class == Class::Success {
        return Proof::Ready;
    }
    if let Some(f) = blocking(class, Feature::Articles) {
        return Proof::Blocked(f);
    }
    if *class == Class::ModelGone {
        return Proof::Unknown(Unknown::Because(Finding::NoModel(Feature::Articles)));
    }
    let f = could_not_tell(class, wait).unwrap_or(Finding::Unexpected { offer_paid: false });
    Proof::Unknown(Unknown::Because(f))
}

/// What the free image request (one that cannot make an image) proves. Only "must be
/// verified", a billing answer, a refused model or a missing permission mean anything.
pub(crate) fn image_evidence_proof(class: &Class) -> Proof {
    if *class == Class::ModelGone {
        return Proof::Unknown(Unknown::Because(Finding::NoModel(Feature::Images)));
    }
    match blocking(class, Feature::Images) {
        Some(f) => Proof::Blocked(f),
        None => Proof::Unknown(Unknown::ImageNotChecked),
    }
}

/// What the consented smallest real image proves.
pub(crate) fn test_image_proof(class: &Class) -> Proof {
    match class {
        Class::Success => return Proof::Ready,
        Class::ModelGone => {
            return Proof::Unknown(Unknown::Because(Finding::NoModel(Feature::Images)));
        }
        _ => {}
    }
    if let Some(f) = blocking(class, Feature::Images) {
        return Proof::Blocked(f);
    }
    match could_not_tell(class, None) {
        Some(f @ Finding::Unproven(_)) => Proof::Unknown(Unknown::Because(f)),
        Some(_) => Proof::Unknown(Unknown::ImageTestUnfinished),
        None => Proof::Unknown(Unknown::ImageTestRefused),
    }
}

/// A feature proven ready stays ready only if the free answers it rests on had their shape
/// too: a model list with models, a `/me` with an organization. `odd` is the first of those
/// that did not; it is also the clearest thing to name when the feature was not proven anyway.
/// What blocks a feature still blocks it.
pub(crate) fn unless_unproven(proof: Proof, odd: Option<&Shape>) -> Proof {
    match (proof, odd) {
        (Proof::Ready | Proof::Unknown(_), Some(shape)) => {
            Proof::Unknown(Unknown::Because(Finding::Unproven(shape.clone())))
        }
        (proof, _) => proof,
    }
}
