//! What can be wrong with something key-like, and the words the user reads about it: each
//! problem says what is wrong and what to do next, and never holds more of the key than its
//! prefix and last four characters.

use std::fmt;

use crate::core::guide::API_KEYS as API_KEYS_PAGE;
use crate::core::verdict::Verdict;

use super::classify::Draft;

/// Other services whose keys look like OpenAI's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// `sk-ant-…`
    Anthropic,
    /// `sk-or-v1-…`
    OpenRouter,
    /// `sk-` + 32 lowercase hexadecimal characters.
    DeepSeek,
    /// `sk_live_…`, `sk_test_…`, `rk_live_…`
    Stripe,
    /// `gsk_…`
    Groq,
    /// `xai-…`
    Xai,
    /// `pplx-…`
    Perplexity,
    /// `sk-lf-…`
    Langfuse,
    /// `sk-` + 48 letters and digits without OpenAI's marker (Braintrust and others).
    UnknownSk48,
}

impl Provider {
    /// The provider's name as users know it.
    fn name(self) -> &'static str {
        match self {
            Self::Anthropic => "Anthropic",
            Self::OpenRouter => "OpenRouter",
            Self::DeepSeek => "DeepSeek",
            Self::Stripe => "Stripe",
            Self::Groq => "Groq",
            Self::Xai => "xAI",
            Self::Perplexity => "Perplexity",
            Self::Langfuse => "Langfuse",
            Self::UnknownSk48 => "another service",
        }
    }
}

/// Why something key-like cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemReason {
    /// Part of the key is missing (its end, its middle marker, or its beginning).
    CutShort,
    /// A whole key broken into pieces by spaces or line breaks (a mail or chat app wrapped
    /// it); joined, the pieces are a key ([`ShapeProblem::joined`]).
    BrokenBySpace,
    /// A whole key with more text stuck to its end (`…--old`, `…_backup`, `…-2`).
    ExtraCharacters,
    /// A shortened or hidden copy, as shown on dashboards and in error messages.
    Masked,
    /// An example value such as `sk-...your-key-here` or `ENTER_YOUR_KEY_HERE`.
    Placeholder,
    /// The key holds characters no key has (a long dash, a letter from another alphabet …).
    BadCharacters,
    /// Another service's key.
    WrongProvider(Provider),
    /// An OpenAI organization admin key.
    Admin,
    /// Starts like a key but has no shape OpenAI uses.
    Unrecognized,
}

/// Something key-like that cannot be used, with words for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeProblem {
    /// [`Verdict::Malformed`], [`Verdict::WrongProvider`] or [`Verdict::AdminKey`].
    pub verdict: Verdict,
    /// What exactly is wrong.
    pub reason: ProblemReason,
    /// The damaged candidate as prefix, `…` and at most its last four characters; `None` for
    /// placeholders.
    pub masked: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What the user should do now.
    pub next_step: String,
    /// For [`ProblemReason::BrokenBySpace`]: the key the pieces make when joined, to offer
    /// (never used without the user's yes).
    pub joined: Option<super::ApiKey>,
}

impl fmt::Display for ShapeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.message, self.next_step)
    }
}

/// Writes the words for a problem the scan settled on.
pub(super) fn write_problem(d: Draft) -> ShapeProblem {
    let copy_again = format!(
        "Copy it again with the copy button next to it in OpenAI's dialog; if the dialog is \
         closed, create a new key at {API_KEYS_PAGE}"
    );
    let (verdict, message, next_step) = match d.reason {
        ProblemReason::CutShort if d.start_missing => (
            Verdict::Malformed,
            "The beginning of the key is missing: OpenAI keys start with sk-.".to_owned(),
            copy_again,
        ),
        ProblemReason::CutShort => (
            Verdict::Malformed,
            "The key looks cut short: part of it is missing.".to_owned(),
            copy_again,
        ),
        ProblemReason::BrokenBySpace => (
            Verdict::Malformed,
            "The key is broken by a space or line break: it arrived in pieces, as when a mail \
             or chat app wraps a long line."
                .to_owned(),
            "Join the pieces into one, with nothing between them, and use that; or copy the key \
             again with the copy button next to it in OpenAI's dialog."
                .to_owned(),
        ),
        ProblemReason::ExtraCharacters => (
            Verdict::Malformed,
            "There are extra characters after the key: the key itself looks complete, but more \
             text is stuck to its end."
                .to_owned(),
            "Copy only the key, or copy it again with the copy button next to it in OpenAI's \
             dialog, and make sure nothing follows it on the same line."
                .to_owned(),
        ),
        ProblemReason::Masked => (
            Verdict::Malformed,
            "This is a shortened copy of the key, with most of it hidden by dots or stars, as \
             shown on web pages and in error messages. It can't be used."
                .to_owned(),
            format!(
                "OpenAI shows the whole key only once, when you create it. If you didn't keep \
                 it, create a new key at {API_KEYS_PAGE} and copy it with the copy button."
            ),
        ),
        ProblemReason::Placeholder => (
            Verdict::Malformed,
            "This is a placeholder from an example, not a real key.".to_owned(),
            format!(
                "Create a key at {API_KEYS_PAGE}, copy it with the copy button and paste it \
                 here."
            ),
        ),
        ProblemReason::BadCharacters => (
            Verdict::Malformed,
            "The key contains characters that no key has, such as a long dash or a letter from \
             another alphabet. A text editor or chat app may have changed it."
                .to_owned(),
            copy_again,
        ),
        ProblemReason::WrongProvider(p) => {
            let what = match p {
                Provider::UnknownSk48 => {
                    "This key is from another service, not from OpenAI.".to_owned()
                }
                Provider::Anthropic | Provider::OpenRouter | Provider::Xai => {
                    format!("This is an {} key.", p.name())
                }
                _ => format!("This is a {} key.", p.name()),
            };
            (
                Verdict::WrongProvider,
                format!(
                    "{what} OpenAI keys start with sk-proj- and come from \
                     platform.openai.com/api-keys."
                ),
                format!("Create an OpenAI key at {API_KEYS_PAGE} and paste that one here."),
            )
        }
        ProblemReason::Admin => (
            Verdict::AdminKey,
            "This is an OpenAI organization admin key. It manages an organization (its members, \
             keys and usage) and can't write articles. AAAI needs a project key, not an \
             organization admin key."
                .to_owned(),
            format!(
                "Create a project key on the API keys page, {API_KEYS_PAGE}, and paste that one \
                 here. Keep the admin key private."
            ),
        ),
        ProblemReason::Unrecognized => (
            Verdict::Malformed,
            "This looks like a key, but not like a complete OpenAI key.".to_owned(),
            copy_again,
        ),
    };
    ShapeProblem {
        verdict,
        reason: d.reason,
        masked: d.masked,
        message,
        next_step,
        joined: None,
    }
}

/// The words for a key broken by spaces or line breaks; `joined` gives the masked form.
pub(super) fn broken_by_space(joined: &super::ApiKey) -> ShapeProblem {
    let mut draft = Draft::new(ProblemReason::BrokenBySpace, Some(joined.masked()));
    draft.strong = true;
    write_problem(draft)
}
