//! Every sentence the readiness check says, in one place so that it reads like copy: the
//! message, the next step and the fix page for each finding, and the one-line state of each
//! AAAI feature ("Writing articles: ready", "Images: your organization must be verified").
//! Our own words only: a server message is never copied.

use super::choice::{How, Passed};
use super::classify::{BillingCode, Refusal, Shape};
use super::findings::{Finding, ImagesAre, Proof, Unknown};
use super::probe::TransportError;
use super::{
    API_KEYS_URL, BILLING_URL, HELP_URL, LIMITS_URL, ORG_GENERAL_URL, PROJECTS_URL, STATUS_URL,
    SUPPORTED_COUNTRIES_URL, Trouble,
};
use crate::core::features::{Feature, FeatureState, FeatureStatus};
use crate::core::report::ModelChoice;
use crate::core::verdict::Verdict;

/// What the words may mention.
pub struct Context<'a> {
    /// The whole check's time bound.
    pub timeout_secs: u64,
    /// The title of the organization the key belongs to, when known.
    pub org: Option<&'a str>,
    /// The text model the check asked for.
    pub text_model: &'a str,
    /// The image model the check asked for.
    pub image_model: &'a str,
}

impl Context<'_> {
    fn model(&self, feature: Feature) -> &str {
        match feature {
            Feature::Articles => self.text_model,
            Feature::Images => self.image_model,
        }
    }
}

/// How many days ahead a shutdown gets a notice.
pub(crate) const SHUTDOWN_NOTICE_DAYS: i64 = 30;

/// The notice about one feature's model: a retired model the file names (never the user's
/// problem: AAAI itself needs an update), a shutdown within [`SHUTDOWN_NOTICE_DAYS`], or a
/// list that could not be read. Never about the key's project.
pub(crate) fn model_notice(c: &ModelChoice) -> Option<String> {
    let (kind, does) = match c.feature {
        Feature::Articles => ("text", "writes articles"),
        Feature::Images => ("image", "makes images"),
    };
    let checked = c.checked.as_deref()?;
    let mut parts = Vec::new();
    if checked != c.named {
        let what = match c.how {
            How::Newest => format!("{checked}, the newest {kind} model OpenAI lists,"),
            _ => format!("{checked}, its successor,"),
        };
        let gone = match c.named_passed {
            Some(Passed::Retired(d)) => format!("OpenAI retired {} on {}.", c.named, d.words()),
            Some(Passed::Gone) => format!(
                "OpenAI answered that {} does not exist, so it has most likely been retired.",
                c.named
            ),
            Some(Passed::Unlisted) | None => {
                format!("OpenAI no longer lists {} for this key.", c.named)
            }
        };
        parts.push(format!(
            "{gone} We checked {what} instead. If AAAI still {does} with the old model, AAAI \
             itself needs an update."
        ));
    }
    if let (Some(d), Some(today)) = (c.checked_shutdown, c.today) {
        let days = today.days_until(d);
        if (1..=SHUTDOWN_NOTICE_DAYS).contains(&days) {
            parts.push(format!(
                "OpenAI will retire {checked} on {}. Nothing changes until then; after that \
                 date AAAI needs a newer {kind} model.",
                d.words()
            ));
        }
    }
    if c.how == How::ListUnreadable {
        parts.push(format!(
            "OpenAI's list of models could not be read, so we checked {checked}, the first \
             {kind} model this app knows, without knowing whether OpenAI still offers it."
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The sentences for one finding.
pub struct Wording {
    /// The verdict.
    pub verdict: Verdict,
    /// What was found.
    pub message: String,
    /// What to do next.
    pub next_step: String,
    /// The page that fixes it.
    pub fix_url: Option<&'static str>,
    /// The guide's troubleshooting entry.
    pub trouble: Option<Trouble>,
}

fn say(
    finding: &Finding,
    message: impl Into<String>,
    next_step: impl Into<String>,
    fix_url: Option<&'static str>,
    trouble: Option<Trouble>,
) -> Wording {
    Wording {
        verdict: finding.verdict(),
        message: message.into(),
        next_step: next_step.into(),
        fix_url,
        trouble,
    }
}

/// A note when the key may not list models.
pub(crate) const NOTE_CANNOT_LIST: &str = "This key may not list models (a restricted key). That is \
     fine as long as it may use them, which the other tests check.";
/// A note when the tier is a guess.
pub(crate) const NOTE_TIER: &str = "The usage tier is a guess from the rate limits OpenAI reported; \
     OpenAI changes those limits from time to time.";

const VERIFY_STEPS: &str = "Open your organization settings and click \"Verify Organization\", \
     then follow the steps. It can take up to 15 minutes to take effect; if it still fails \
     after that, create a new key.";

/// The message, next step and fix for a finding.
// One arm per finding, all of them words: the whole table reads best in one place.
#[allow(clippy::too_many_lines)]
pub(crate) fn wording(finding: &Finding, ctx: &Context<'_>) -> Wording {
    let f = finding;
    match finding {
        Finding::Ready(images) => ready(f, *images),
        Finding::AdminKey => say(
            f,
            "This is an organization admin key. It manages your organization, but it cannot be \
             used to write articles in AAAI.",
            "On the API keys page, create a normal secret key (not an admin key) and use that.",
            Some(API_KEYS_URL),
            Some(Trouble::NoCreateButton),
        ),
        Finding::InvalidKey => say(
            f,
            "OpenAI does not accept this key. It may have been cut short or mistyped when \
             copying, or it was revoked or deleted.",
            "On the API keys page, create a new secret key and copy it in one piece with the \
             Copy button, then check again.",
            Some(API_KEYS_URL),
            Some(Trouble::NoCreateButton),
        ),
        Finding::NoOrganization => say(
            f,
            "Your OpenAI account is not part of any organization yet, so OpenAI does not accept \
             its keys.",
            "Sign in at platform.openai.com and finish setting up your account (this creates an \
             organization), then create a new key there.",
            Some(ORG_GENERAL_URL),
            None,
        ),
        Finding::AccountDeactivated => say(
            f,
            "The OpenAI account this key belongs to has been deactivated.",
            "Only OpenAI can reactivate it: contact OpenAI support through their help centre. A \
             new key will not help.",
            Some(HELP_URL),
            None,
        ),
        Finding::AccessTerminated => say(
            f,
            "OpenAI has ended this account's access to the API because of a policy violation. \
             This is about the account, not about credit.",
            "Only OpenAI can review this: contact OpenAI support through their help centre. \
             Adding credit or a new key will not help.",
            Some(HELP_URL),
            None,
        ),
        Finding::Restricted(scopes) => restricted(f, scopes),
        Finding::RegionBlocked => say(
            f,
            "OpenAI does not offer its API in the country, region or territory your connection \
             comes from.",
            "A new key or more credit will not change this. OpenAI's list of supported countries \
             shows where the API is available.",
            Some(SUPPORTED_COUNTRIES_URL),
            None,
        ),
        Finding::NoCredit(code) => no_credit(f, *code, ctx.org),
        Finding::ModelUnavailable(feature) => say(
            f,
            format!(
                "Your key works, but its project may not use {}, the model AAAI uses for {}.",
                ctx.model(*feature),
                purpose(*feature)
            ),
            format!(
                "In your organization's project settings, allow {} in this key's project (its \
                 model limits), or create a key in a project that may use it. Then check again.",
                ctx.model(*feature)
            ),
            Some(PROJECTS_URL),
            None,
        ),
        Finding::VerificationRequired(Feature::Images) => say(
            f,
            "Your key works and your account has credit, but your organization must be \
             verified before AAAI can make images.",
            VERIFY_STEPS,
            Some(ORG_GENERAL_URL),
            Some(Trouble::Verification),
        ),
        Finding::VerificationRequired(Feature::Articles) => say(
            f,
            format!(
                "Your key works, but your organization must be verified before it can use {}, \
                 the model AAAI writes with.",
                ctx.model(Feature::Articles)
            ),
            VERIFY_STEPS,
            Some(ORG_GENERAL_URL),
            Some(Trouble::Verification),
        ),
        Finding::RateLimited(wait) => say(
            f,
            "OpenAI is limiting how fast this key may send requests right now, so the check \
             could not finish.",
            match wait {
                Some(secs) => format!(
                    "OpenAI asked to wait {}: check again after that. If it keeps happening, \
                     another program may be using the same key.",
                    duration_words(*secs)
                ),
                None => "Wait a minute and check again. If it keeps happening, another program \
                         may be using the same key."
                    .to_owned(),
            },
            None,
            None,
        ),
        Finding::ServerError => say(
            f,
            "OpenAI's servers had a problem or were too busy, so the check could not finish. \
             As far as we can tell, nothing is wrong on your side.",
            "Try again in a few minutes. OpenAI's status page shows ongoing problems.",
            Some(STATUS_URL),
            None,
        ),
        Finding::Network(e) => network(f, *e, ctx.timeout_secs),
        Finding::Html => say(
            f,
            "A web page answered instead of OpenAI. This usually means a Wi-Fi sign-in page \
             (a captive portal) or a company firewall is catching the connection.",
            "Open any web page in your browser to finish a Wi-Fi sign-in, or ask your network \
             administrator to allow api.openai.com, then check again.",
            None,
            None,
        ),
        Finding::NoModel(feature) => say(
            f,
            format!(
                "OpenAI offers this key none of the {} models this app knows, so {} could not \
                 be checked. This is not a problem with your key.",
                match feature {
                    Feature::Articles => "text",
                    Feature::Images => "image",
                },
                purpose(*feature)
            ),
            "This app needs an update to know OpenAI's newer models. Send the text report to \
             support.",
            None,
            None,
        ),
        Finding::ProbeRefused(why) => say(
            f,
            format!(
                "Your key works, but OpenAI refused the free credit test for {} as this app \
                 wrote it{}, so it proves nothing about credit.",
                ctx.model(Feature::Articles),
                match why {
                    Refusal::UnsupportedParameter =>
                        " (the model does not take one of its settings)",
                    Refusal::Other => "",
                }
            ),
            "This app needs an update for this model; until then, AAAI itself shows whether \
             articles work. Send the text report to support.",
            None,
            None,
        ),
        Finding::Unproven(shape @ Shape::Redirect(_)) => say(
            f,
            format!(
                "The server sent the check on elsewhere ({}) instead of answering it. OpenAI's \
                 API never does that, so the answers prove nothing about your key.",
                shape.words()
            ),
            "A proxy, a firewall or a wrong API address is answering in OpenAI's place. Check \
             your network settings (or OPENAI_BASE_URL), then check again.",
            None,
            None,
        ),
        Finding::Unproven(shape) => say(
            f,
            format!(
                "The server answered with {}, not with what OpenAI sends, so this app cannot \
                 say your key is ready.",
                shape.words()
            ),
            "A proxy, a firewall or a wrong API address may be answering in OpenAI's place. \
             Open any web page to finish a Wi-Fi sign-in, check the API address, then check \
             again. If it keeps happening, send the text report to support.",
            None,
            None,
        ),
        Finding::Unexpected { offer_paid: true } => say(
            f,
            "Your key works, but OpenAI's answer about credit was not one this app knows, so it \
             cannot say for sure whether your account can pay for requests.",
            "A one-token test request can settle it. It costs a tiny fraction of a cent and runs \
             only if you agree.",
            None,
            None,
        ),
        Finding::Unexpected { offer_paid: false } => say(
            f,
            "OpenAI gave an answer this app does not know how to read, so it cannot say for sure \
             whether your account is ready.",
            "Try again later. If it keeps happening, send the text report to support.",
            None,
            None,
        ),
    }
}

fn purpose(feature: Feature) -> &'static str {
    match feature {
        Feature::Articles => "writing articles",
        Feature::Images => "images",
    }
}

fn duration_words(secs: u64) -> String {
    match secs {
        0..=1 => "a second".to_owned(),
        2..=119 => format!("{secs} seconds"),
        _ => format!("about {} minutes", secs.div_ceil(60)),
    }
}

fn ready(f: &Finding, images: ImagesAre) -> Wording {
    let (message, next_step) = match images {
        ImagesAre::Ready => (
            "Your key works, your account has credit, and your organization may make images.",
            "You are all set: paste the key into AAAI's settings.",
        ),
        ImagesAre::NotChecked => (
            "Your key works and your account has credit.",
            "Writing articles is ready: you can paste the key into AAAI's settings. Images are \
             not checked yet. One test image (about half a cent, made only if you agree) proves \
             that AAAI can make them.",
        ),
        ImagesAre::TestUnfinished => (
            "Your key works and your account has credit.",
            "Writing articles is ready: you can paste the key into AAAI's settings. The test \
             image did not finish, so images are not proven yet: check again in a few minutes.",
        ),
        ImagesAre::NoModel => (
            "Your key works and your account has credit.",
            "Writing articles is ready: you can paste the key into AAAI's settings. OpenAI \
             offers this key none of the image models this app knows, so images could not be \
             checked: send the text report to support.",
        ),
        ImagesAre::TestRefused => (
            "Your key works and your account has credit.",
            "Writing articles is ready: you can paste the key into AAAI's settings. OpenAI \
             refused the test image for a reason this app does not know, so images are not \
             proven: if AAAI's images fail, send the text report to support.",
        ),
    };
    say(f, message, next_step, None, None)
}

/// A missing scope as OpenAI's key page shows it: the resource's name and the level to choose.
fn permission_name(scope: &str) -> String {
    let (resource, level) = match scope {
        "model.request" => ("Model capabilities", "Write"),
        "api.model.read" => ("Models", "Read"),
        "api.responses.write" => ("Responses", "Write"),
        // A scope this app does not know by its page name: no identifier in the user's words.
        _ => return String::from("the permission OpenAI names in its answer"),
    };
    format!("\"{resource}\" set to \"{level}\"")
}

/// A restricted key, or a member whose role only reads. The key page's words first (what to
/// choose there), the role names last.
fn restricted(f: &Finding, scopes: &[String]) -> Wording {
    let mut named: Vec<String> = if scopes.is_empty() {
        vec![permission_name("model.request")]
    } else {
        scopes.iter().map(|s| permission_name(s)).collect()
    };
    named.dedup();
    let named = named.join(" and ");
    say(
        f,
        format!(
            "This key does not have a permission AAAI needs. On OpenAI's key page it needs \
             {named}."
        ),
        format!(
            "On the API keys page, edit this key. Under \"Permissions\", choose \"All\", or \
             keep \"Restricted\" and set {named}. You can also create a new key with \"All\" \
             permissions. Then check again. If the key already has \"All\", your role is the \
             cause. Ask an owner of the organization to change your role from Reader to \
             Writer, or to create the key for you."
        ),
        Some(API_KEYS_URL),
        None,
    )
}

fn no_credit(f: &Finding, code: BillingCode, org: Option<&str>) -> Wording {
    let org_part = match org {
        Some(o) => format!("the organization this key belongs to (“{o}”)"),
        None => "the organization this key belongs to".to_owned(),
    };
    let add_credit = format!(
        "Add credit on the Billing page. New accounts get no free credit, and a ChatGPT Plus \
         subscription does not pay for the API. After paying, the credit can take a few minutes \
         to show up. Make sure you pay for {org_part}."
    );
    let (message, next_step, url) = match code {
        BillingCode::InsufficientQuota | BillingCode::CreditBalanceExhausted => (
            "Your key works, but your OpenAI account has no credit left to pay for requests."
                .to_owned(),
            add_credit,
            BILLING_URL,
        ),
        BillingCode::OrganizationSpendLimit
        | BillingCode::ProjectSpendLimit
        | BillingCode::OrganizationUsageLimit => (
            match code {
                BillingCode::ProjectSpendLimit => {
                    "Your key works, but its project has reached the spend limit set for it."
                }
                BillingCode::OrganizationSpendLimit => {
                    "Your key works, but your organization has reached the spend limit it set."
                }
                _ => "Your key works, but your organization has reached its usage limit.",
            }
            .to_owned(),
            format!("Raise the limit in your organization's Limits settings, or {add_credit}"),
            LIMITS_URL,
        ),
        BillingCode::BillingNotActive => (
            "Your key works, but OpenAI says billing is not active for this account. This is a \
             billing setting, not necessarily a lack of credit: it has been seen on accounts \
             that had credit."
                .to_owned(),
            format!(
                "Open the Billing page and check that a payment method is set up and that no \
                 payment failed or is waiting, for {org_part}. If everything there looks right, \
                 contact OpenAI support through their help centre: adding more credit is \
                 unlikely to help."
            ),
            BILLING_URL,
        ),
        BillingCode::HardLimitReached => (
            "Your key works, but your organization has reached the hard spending limit set for \
             it, so OpenAI refuses further requests."
                .to_owned(),
            "Raise the limit in your organization's Limits settings, then check again. Trying \
             again before that will not help."
                .to_owned(),
            LIMITS_URL,
        ),
    };
    say(f, message, next_step, Some(url), Some(Trouble::Quota))
}

fn network(f: &Finding, e: TransportError, timeout_secs: u64) -> Wording {
    let check = "Check your internet connection and try again.";
    let (message, next): (String, String) = match e {
        TransportError::Timeout => (
            format!(
                "Could not reach OpenAI within {timeout_secs} second{}.",
                if timeout_secs == 1 { "" } else { "s" }
            ),
            format!(
                "{check} If you are on a work, school or hotel network, a firewall may be \
                 blocking api.openai.com."
            ),
        ),
        TransportError::Dns => (
            "Could not reach OpenAI: the address of its servers could not be looked up. This \
             computer may be offline, or its name lookup (DNS) is not working."
                .to_owned(),
            check.to_owned(),
        ),
        TransportError::Connect => (
            "Could not reach OpenAI: the connection could not be made. This computer may be \
             offline."
                .to_owned(),
            check.to_owned(),
        ),
        TransportError::Tls => (
            "Could not reach OpenAI securely: the secure connection could not be set up. \
             Something on this network (a proxy, firewall, antivirus or filtering software) may \
             be getting in the way, or this computer's clock may be wrong."
                .to_owned(),
            "Check the computer's date and time and the proxy settings (HTTPS_PROXY), then try \
             another network or ask your network administrator."
                .to_owned(),
        ),
        TransportError::Proxy => (
            "Could not reach OpenAI: the proxy server set on this computer did not let the \
             connection through."
                .to_owned(),
            "Check the proxy settings (HTTPS_PROXY), or ask your network administrator.".to_owned(),
        ),
        TransportError::Other => (
            "Could not reach OpenAI: the connection failed unexpectedly.".to_owned(),
            check.to_owned(),
        ),
    };
    say(f, message, next, None, None)
}

/// A short phrase and the fix page for what blocks a feature.
fn blocked_line(finding: &Finding, ctx: &Context<'_>) -> (String, Option<&'static str>) {
    let (line, url): (&str, _) = match finding {
        Finding::NoCredit(BillingCode::InsufficientQuota | BillingCode::CreditBalanceExhausted) => {
            ("your account needs credit", Some(BILLING_URL))
        }
        Finding::NoCredit(BillingCode::BillingNotActive) => {
            ("billing is not active on the account", Some(BILLING_URL))
        }
        Finding::NoCredit(BillingCode::HardLimitReached) => {
            ("the hard spending limit has been reached", Some(LIMITS_URL))
        }
        Finding::NoCredit(_) => ("a spend or usage limit has been reached", Some(LIMITS_URL)),
        Finding::ModelUnavailable(feature) => {
            return (
                format!("this key's project may not use {}", ctx.model(*feature)),
                Some(PROJECTS_URL),
            );
        }
        Finding::VerificationRequired(_) => {
            ("your organization must be verified", Some(ORG_GENERAL_URL))
        }
        Finding::Restricted(_) => ("the key lacks a permission it needs", Some(API_KEYS_URL)),
        Finding::InvalidKey => ("OpenAI does not accept this key", Some(API_KEYS_URL)),
        Finding::AdminKey => ("an admin key cannot be used", Some(API_KEYS_URL)),
        Finding::NoOrganization => ("the account has no organization yet", Some(ORG_GENERAL_URL)),
        Finding::AccountDeactivated => ("the account is deactivated", Some(HELP_URL)),
        Finding::AccessTerminated => ("OpenAI has ended the account's access", Some(HELP_URL)),
        Finding::RegionBlocked => (
            "OpenAI does not offer it where you are",
            Some(SUPPORTED_COUNTRIES_URL),
        ),
        _ => ("not working yet. See what the check found", None),
    };
    (line.to_owned(), url)
}

/// One feature's line ("ready", "your organization must be verified", …) and its fix.
pub(crate) fn feature_status(feature: Feature, proof: &Proof, ctx: &Context<'_>) -> FeatureStatus {
    let unknown = |line: &str| FeatureStatus {
        state: FeatureState::Unknown,
        line: line.to_owned(),
        fix_url: None,
    };
    match proof {
        Proof::Ready => FeatureStatus {
            state: FeatureState::Ready,
            line: "ready".to_owned(),
            fix_url: None,
        },
        Proof::Blocked(f) => {
            let (line, fix_url) = blocked_line(f, ctx);
            FeatureStatus {
                state: FeatureState::Blocked(f.verdict()),
                line,
                fix_url,
            }
        }
        Proof::Unknown(Unknown::ImageNotChecked) => {
            unknown("not checked yet. One test image proves it (about half a cent)")
        }
        Proof::Unknown(Unknown::ImageTestUnfinished) => {
            unknown("not known yet. The test image did not finish; check again later")
        }
        Proof::Unknown(Unknown::ImageTestRefused) => unknown(
            "not known yet. OpenAI refused the test image for a reason this app does not know",
        ),
        Proof::Unknown(Unknown::Because(Finding::NoModel(_))) => {
            unknown("not checked. OpenAI offers this key no model of this kind that the app knows")
        }
        Proof::Unknown(Unknown::Because(Finding::ProbeRefused(_))) => unknown(&format!(
            "not checked. OpenAI refused the free test for {} as written, which proves nothing",
            ctx.model(feature)
        )),
        Proof::Unknown(Unknown::Because(Finding::Unproven(shape))) => unknown(&format!(
            "not known yet. The server answered with {}",
            shape.words()
        )),
        Proof::Unknown(Unknown::Because(Finding::RateLimited(_))) => {
            unknown("not known yet. OpenAI asked to slow down; check again later")
        }
        Proof::Unknown(_) if feature == Feature::Images => {
            unknown("not known yet. The check could not finish")
        }
        Proof::Unknown(_) => unknown("not known yet. The check could not finish"),
    }
}

/// The warning when the key's organization may not be the one that was paid for. `orgs` are
/// the user's organizations (title, is default); `key_org` the key's (title, is default).
pub(crate) fn orgs_warning(
    orgs: &[(String, bool)],
    key_org: Option<(&str, Option<bool>)>,
    no_credit: bool,
) -> Option<String> {
    if orgs.len() < 2 {
        return None;
    }
    let cause = "paying for a different organization is the commonest cause of “I added credit \
                 but still get quota errors”";
    match key_org {
        Some((this, Some(false))) => {
            let default = orgs
                .iter()
                .find(|(_, d)| *d)
                .map(|(t, _)| format!("“{t}”"))
                .unwrap_or_else(|| "another one".to_owned());
            Some(format!(
                "You belong to {} organizations. This key belongs to “{this}”, not to your \
                 default organization, {default}. Credit must be added to “{this}” itself: \
                 {cause}.",
                orgs.len(),
            ))
        }
        None if no_credit => Some(format!(
            "You belong to {} organizations. Make sure the credit was added to the organization \
             this key belongs to: {cause}.",
            orgs.len()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod translated {
    //! Every finding's words, and every feature line, have a translation in every language
    //! (the window translates them as it draws: `core::i18n`).

    use super::*;
    use crate::core::i18n::{Lang, catalog};
    use crate::core::readiness::classify::{BillingCode, Refusal, Shape};
    use crate::core::readiness::findings::{ImagesAre, Proof, Unknown};

    fn findings() -> Vec<Finding> {
        let mut all = vec![
            Finding::AdminKey,
            Finding::InvalidKey,
            Finding::NoOrganization,
            Finding::AccountDeactivated,
            Finding::AccessTerminated,
            Finding::RegionBlocked,
            Finding::Html,
            Finding::Restricted(vec!["model.request".to_owned()]),
            Finding::Restricted(Vec::new()),
            Finding::RateLimited(Some(20)),
            Finding::RateLimited(None),
            Finding::ServerError,
            Finding::ProbeRefused(Refusal::UnsupportedParameter),
            Finding::ProbeRefused(Refusal::Other),
            Finding::Unexpected { offer_paid: true },
            Finding::Unexpected { offer_paid: false },
        ];
        for images in [
            ImagesAre::Ready,
            ImagesAre::NotChecked,
            ImagesAre::TestUnfinished,
            ImagesAre::TestRefused,
            ImagesAre::NoModel,
        ] {
            all.push(Finding::Ready(images));
        }
        for code in [
            BillingCode::InsufficientQuota,
            BillingCode::CreditBalanceExhausted,
            BillingCode::OrganizationSpendLimit,
            BillingCode::ProjectSpendLimit,
            BillingCode::OrganizationUsageLimit,
            BillingCode::BillingNotActive,
            BillingCode::HardLimitReached,
        ] {
            all.push(Finding::NoCredit(code));
        }
        for feature in Feature::ALL {
            all.push(Finding::ModelUnavailable(feature));
            all.push(Finding::VerificationRequired(feature));
            all.push(Finding::NoModel(feature));
        }
        for error in [
            TransportError::Timeout,
            TransportError::Dns,
            TransportError::Connect,
            TransportError::Tls,
            TransportError::Proxy,
            TransportError::Other,
        ] {
            all.push(Finding::Network(error));
        }
        for shape in [
            Shape::Empty,
            Shape::NotJson,
            Shape::NoModels,
            Shape::NoOrganization,
            Shape::NoCompletion,
            Shape::NoImage,
            Shape::Redirect(Some("portal.example".to_owned())),
            Shape::Redirect(None),
        ] {
            all.push(Finding::Unproven(shape));
        }
        all
    }

    #[test]
    fn every_finding_and_feature_line_is_translated() {
        let mut missed = Vec::new();
        for org in [Some("Acme Publishing"), None] {
            let ctx = Context {
                timeout_secs: 20,
                org,
                text_model: "gpt-6-luna",
                image_model: "gpt-image-2",
            };
            let mut texts = Vec::new();
            for finding in findings() {
                let w = wording(&finding, &ctx);
                texts.push(w.message);
                texts.push(w.next_step);
                for feature in Feature::ALL {
                    texts
                        .push(feature_status(feature, &Proof::Blocked(finding.clone()), &ctx).line);
                    let unknown = Proof::Unknown(Unknown::Because(finding.clone()));
                    texts.push(feature_status(feature, &unknown, &ctx).line);
                }
            }
            for unknown in [
                Unknown::CreditUnclear,
                Unknown::ImageNotChecked,
                Unknown::ImageTestUnfinished,
                Unknown::ImageTestRefused,
            ] {
                texts.push(feature_status(Feature::Images, &Proof::Unknown(unknown), &ctx).line);
            }
            for lang in Lang::ALL
                .into_iter()
                .filter(|&l| l != Lang::En && crate::core::i18n::is_translated(l))
            {
                for text in texts.iter().filter(|t| !t.is_empty()) {
                    for m in catalog(lang).translate(text).missed {
                        missed.push(format!("{}: {m:?}", lang.tag()));
                    }
                }
            }
        }
        missed.sort();
        missed.dedup();
        assert!(
            missed.is_empty(),
            "{} untranslated:\n{}",
            missed.len(),
            missed.join("\n")
        );
    }
}
