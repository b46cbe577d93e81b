//! The guide's content, in this app's own words: the four steps, what to click on each, the
//! links, and the three troubleshooting entries. The facts (the order of the steps, the pages'
//! addresses, the names of OpenAI's buttons) are OpenAI's own; the sentences are ours.

use super::verdict::StepId;

/// The OpenAI developer platform's home page.
pub const PLATFORM_HOME: &str = "https://platform.openai.com/";
/// The API keys page, where "+ Create new secret key" lives.
pub const API_KEYS: &str = "https://platform.openai.com/api-keys";
/// The billing overview.
pub const BILLING: &str = "https://platform.openai.com/settings/organization/billing/overview";
/// Organization › General, where "Verify Organization" lives.
pub const ORG_GENERAL: &str = "https://platform.openai.com/settings/organization/general";

/// The AAAI self-manage billing page. The guide names it without an address, so it is kept
/// in `assets/self-manage-url.txt`; while that file is empty the button is hidden.
pub(crate) fn self_manage_url() -> Option<&'static str> {
    let url = include_str!("../../assets/self-manage-url.txt").trim();
    (!url.is_empty()).then_some(url)
}

/// A button that opens a page in the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// The button text.
    pub label: &'static str,
    /// The address.
    pub url: &'static str,
}

/// One block of a step's instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Text(&'static str),
    /// A numbered action the user performs.
    Action(&'static str),
    /// Something to watch out for.
    Warning(&'static str),
    /// A button that opens a page.
    Link(Link),
}

/// A button that opens a page: its label, then its address.
const fn link(label: &'static str, url: &'static str) -> Block {
    Block::Link(Link { label, url })
}

/// The content of one guide step.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// Which step.
    pub id: StepId,
    /// Short title, sentence case.
    pub title: &'static str,
    /// One line on why the step matters.
    pub why: &'static str,
    /// The instructions.
    pub blocks: &'static [Block],
    /// The troubleshooting entry that belongs to this step, if any.
    pub trouble: Option<TroubleId>,
}

/// Before starting: what the user should have ready.
pub(crate) const BEFORE_YOU_START: &[&str] = &[
    "A computer with a desktop web browser such as Chrome, Edge or Safari.",
    "A safe place for the key. A password manager is best.",
    "For AAAI's images: an official photo ID, to verify your organization in step 4.",
];

const ACCOUNT_BLOCKS: &[Block] = &[
    Block::Text("Open the OpenAI developer platform in your browser."),
    link("Open the OpenAI platform", PLATFORM_HOME),
    Block::Action("New to OpenAI? Click \"Sign up\". Already have an account? Click \"Log in\"."),
    Block::Action("Finish signing in. When it works, you see the OpenAI dashboard."),
    Block::Action(
        "Member of more than one organization? Pick the one you want with the organization \
         switcher, usually at the top of the page.",
    ),
    Block::Warning(
        "Keys and billing belong to the organization and project that is selected, so choose \
         it before you go on.",
    ),
];

const KEY_BLOCKS: &[Block] = &[
    Block::Text("Go straight to the API keys page."),
    link("Open the API keys page", API_KEYS),
    Block::Action("Check that you see a table of keys, or an empty page saying you have none yet."),
    Block::Action(
        "Click \"+ Create new secret key\". Not there? Make sure you are signed in and the right \
         organization or project is selected.",
    ),
    Block::Action(
        "Give the key a name you will recognise, for example AAAI, wpaaai or production. If \
         permissions are shown, leave the default unless you are sure you need a restriction.",
    ),
    Block::Action("Click \"Create\" (or the button that confirms)."),
    Block::Action(
        "Right away, click the copy button next to the new key. This app notices the copy, and \
         you should also keep the key in a password manager or secure notes.",
    ),
    Block::Warning(
        "Keep the dialog open until the key is copied: OpenAI usually shows a key only once.",
    ),
    Block::Text(
        "A secret key usually begins with sk- (the exact form varies). Never put it in code that \
         others can see, such as a public repository.",
    ),
];

const BILLING_BLOCKS: &[Block] = &[
    Block::Text(
        "Without billing, requests from AAAI can fail with quota or payment errors. A spend \
         limit keeps your costs under control. This step is recommended.",
    ),
    link("Open billing", BILLING),
    Block::Action("Find \"Payment methods\", click \"Add payment method\" and fill in the form."),
    Block::Action(
        "If your account works with credits, find \"Buy credits\" and add some. Some \
         organizations pay by card, others with credits: it depends on how yours is set up.",
    ),
    Block::Action(
        "Find \"Usage limits\" (or \"Spend limits\") and set a monthly limit you are comfortable \
         with.",
    ),
    Block::Action("When you have changed billing settings, reload the page once."),
];

const VERIFICATION_BLOCKS: &[Block] = &[
    Block::Text(
        "AAAI makes featured and in-article images, and OpenAI's image models work only for a \
         verified organization. If you will not use AAAI's images, you can skip this step: tick \
         \"I won't use AAAI's images\" in your checklist.",
    ),
    link("Open organization settings", ORG_GENERAL),
    Block::Action(
        "Under Organization › General, click \"Verify Organization\". A verification flow opens, \
         often run by a trusted verification partner.",
    ),
    Block::Action(
        "Have an official photo ID ready that has not expired. Upload photos of it when asked; \
         you may also be asked for a selfie.",
    ),
    Block::Warning("If the flow asks for photos only, do not use scans or screenshots."),
    Block::Action(
        "Submit, then wait for the status to change. Access can take a while to arrive; \
         reloading the page helps.",
    ),
    Block::Action(
        "Verified but still refused? Log out and log in again, then create a new API key \
         (step 2). That often clears a lingering \"not verified\" message.",
    ),
];

/// The four steps in the guide's order.
pub const STEPS: [Step; 4] = [
    Step {
        id: StepId::Account,
        title: "Create an account or sign in",
        why: "You need an OpenAI account to make a key.",
        blocks: ACCOUNT_BLOCKS,
        trouble: None,
    },
    Step {
        id: StepId::Key,
        title: "Create your secret key",
        why: "This is the key you paste into AAAI.",
        blocks: KEY_BLOCKS,
        trouble: Some(TroubleId::NoCreateButton),
    },
    Step {
        id: StepId::Billing,
        title: "Set up billing and a spend limit",
        why: "New accounts have no credit; AAAI needs some to write.",
        blocks: BILLING_BLOCKS,
        trouble: Some(TroubleId::Quota),
    },
    Step {
        id: StepId::Verification,
        title: "Verify your organization for images",
        why: "AAAI makes its images with models that need a verified organization.",
        blocks: VERIFICATION_BLOCKS,
        trouble: Some(TroubleId::Verification),
    },
];

/// The content of a step.
pub fn step(id: StepId) -> &'static Step {
    match id {
        StepId::Account => &STEPS[0],
        StepId::Key => &STEPS[1],
        StepId::Billing => &STEPS[2],
        StepId::Verification => &STEPS[3],
    }
}

/// One of the guide's three troubleshooting entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TroubleId {
    /// "Create new secret key" is not on the page.
    NoCreateButton,
    /// Quota, billing or payment errors.
    Quota,
    /// "Organization must be verified".
    Verification,
}

/// A troubleshooting entry: the problem as the user sees it, and the fixes in order.
#[derive(Clone, Copy, Debug)]
pub struct Trouble {
    /// Which entry.
    pub id: TroubleId,
    /// The step it belongs to.
    pub step: StepId,
    /// The problem in the user's words.
    pub problem: &'static str,
    /// What to do, in order.
    pub fixes: &'static [&'static str],
    /// Pages that help.
    pub links: &'static [Link],
}

/// The three troubleshooting entries, in the guide's order.
pub(crate) const TROUBLES: [Trouble; 3] = [
    Trouble {
        id: TroubleId::NoCreateButton,
        step: StepId::Key,
        problem: "I can't find \"Create new secret key\"",
        fixes: &[
            "Check that you are signed in: open the OpenAI platform and look for the dashboard.",
            "Go to the API keys page directly.",
            "If you have several organizations or projects, switch to the right one and reload \
             the page.",
        ],
        links: &[
            Link {
                label: "Open the OpenAI platform",
                url: PLATFORM_HOME,
            },
            Link {
                label: "Open the API keys page",
                url: API_KEYS,
            },
        ],
    },
    Trouble {
        id: TroubleId::Quota,
        step: StepId::Billing,
        problem: "I get \"quota\", \"billing\" or \"payment required\" errors",
        fixes: &[
            "Open billing.",
            "Add a payment method and set a usage limit.",
            "After changing billing, create a new API key and try again.",
        ],
        links: &[Link {
            label: "Open billing",
            url: BILLING,
        }],
    },
    Trouble {
        id: TroubleId::Verification,
        step: StepId::Verification,
        problem: "I get \"organization must be verified\"",
        fixes: &[
            "Open Organization › General.",
            "Click \"Verify Organization\" and finish the ID check.",
            "Give it some time, then create a new API key if it still fails.",
        ],
        links: &[Link {
            label: "Open organization settings",
            url: ORG_GENERAL,
        }],
    },
];

/// A troubleshooting entry by id.
pub fn trouble(id: TroubleId) -> &'static Trouble {
    match id {
        TroubleId::NoCreateButton => &TROUBLES[0],
        TroubleId::Quota => &TROUBLES[1],
        TroubleId::Verification => &TROUBLES[2],
    }
}

/// One line of the guide's final checklist.
#[derive(Clone, Copy, Debug)]
pub struct FinalItem {
    /// The step it sums up.
    pub step: StepId,
    /// What the user confirms.
    pub text: &'static str,
}

/// The guide's final checklist, in order.
pub(crate) const FINAL_CHECKLIST: [FinalItem; 4] = [
    FinalItem {
        step: StepId::Account,
        text: "I can open the OpenAI dashboard (step 1)",
    },
    FinalItem {
        step: StepId::Key,
        text: "I created a secret API key and keep it somewhere safe (step 2)",
    },
    FinalItem {
        step: StepId::Billing,
        text: "Billing is set up with a usage limit (step 3)",
    },
    FinalItem {
        step: StepId::Verification,
        text: "My organization is verified, or I won't use AAAI's images (step 4)",
    },
];

/// The step's number in the guide, from 1.
pub fn number(step: StepId) -> usize {
    match step {
        StepId::Account => 1,
        StepId::Key => 2,
        StepId::Billing => 3,
        StepId::Verification => 4,
    }
}

/// The step after this one, if any.
pub fn next(step: StepId) -> Option<StepId> {
    StepId::ALL.get(number(step)).copied()
}

/// The step before this one, if any.
pub(crate) fn previous(step: StepId) -> Option<StepId> {
    StepId::ALL.get(number(step).checked_sub(2)?).copied()
}

/// "Step 3: Set up billing and a spend limit".
pub fn heading(step: StepId) -> String {
    format!("Step {}: {}", number(step), self::step(step).title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_in_the_guides_order_and_each_has_a_link() {
        let ids: Vec<StepId> = STEPS.iter().map(|s| s.id).collect();
        assert_eq!(ids, StepId::ALL.to_vec());
        let urls: Vec<&str> = STEPS
            .iter()
            .flat_map(|s| s.blocks.iter())
            .filter_map(|b| match b {
                Block::Link(l) => Some(l.url),
                _ => None,
            })
            .collect();
        assert_eq!(urls, vec![PLATFORM_HOME, API_KEYS, BILLING, ORG_GENERAL]);
    }

    #[test]
    fn button_names_match_the_guide() {
        let all_text: String = STEPS
            .iter()
            .flat_map(|s| s.blocks.iter())
            .map(|b| match b {
                Block::Text(t) | Block::Action(t) | Block::Warning(t) => *t,
                Block::Link(l) => l.label,
            })
            .collect::<Vec<_>>()
            .join("\n");
        for name in [
            "\"Sign up\"",
            "\"Log in\"",
            "\"+ Create new secret key\"",
            "\"Create\"",
            "\"Add payment method\"",
            "\"Buy credits\"",
            "\"Usage limits\"",
            "\"Spend limits\"",
            "\"Verify Organization\"",
            "Organization › General",
        ] {
            assert!(all_text.contains(name), "missing {name}");
        }
    }

    #[test]
    fn every_trouble_is_reachable_from_its_step() {
        for t in &TROUBLES {
            assert_eq!(step(t.step).trouble, Some(t.id));
            assert_eq!(trouble(t.id).id, t.id);
        }
    }

    #[test]
    fn final_checklist_covers_each_step_once() {
        let steps: Vec<StepId> = FINAL_CHECKLIST.iter().map(|f| f.step).collect();
        assert_eq!(steps, StepId::ALL.to_vec());
    }

    #[test]
    fn steps_are_numbered_from_one_with_next_and_previous() {
        let numbers: Vec<usize> = StepId::ALL.iter().map(|s| number(*s)).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4]);
        for (i, s) in StepId::ALL.iter().enumerate() {
            assert_eq!(StepId::ALL[number(*s) - 1], *s);
            assert_eq!(next(*s), StepId::ALL.get(i + 1).copied());
            assert_eq!(previous(*s), i.checked_sub(1).map(|j| StepId::ALL[j]));
        }
        assert_eq!(next(StepId::Verification), None);
        assert_eq!(previous(StepId::Account), None);
        assert_eq!(
            heading(StepId::Billing),
            "Step 3: Set up billing and a spend limit"
        );
    }
}
