//! Problems named rightly, in words that hold no key and say what to do next.

use super::{ALNUM, HEX, URLSAFE, Want, check, make_key, problem_in, project, rand_str};
use crate::core::key::{ApiKey, ProblemReason, Provider, Recognition, scan};
use crate::core::verdict::Verdict;

/// One case: a name, the text and the problem it must be named as.
type Case = (&'static str, String, ProblemReason);

/// Keys cut short, and keys shown masked (by OpenAI, its dashboard or this app).
fn cut_and_masked_cases(p: &str, l: &str, admin: &str) -> Vec<Case> {
    vec![
        ("admin", admin.to_owned(), ProblemReason::Admin),
        ("admin cut", admin[..60].to_owned(), ProblemReason::Admin),
        (
            "cut after marker",
            p[..100].to_owned(),
            ProblemReason::CutShort,
        ),
        (
            "cut before marker",
            p[..50].to_owned(),
            ProblemReason::CutShort,
        ),
        (
            "cut tail",
            make_key("sk-proj-", 58, 30, 14),
            ProblemReason::CutShort,
        ),
        ("legacy cut", l[..40].to_owned(), ProblemReason::CutShort),
        (
            "legacy cut early",
            l[..15].to_owned(),
            ProblemReason::CutShort,
        ),
        ("start missing", p[3..].to_owned(), ProblemReason::CutShort),
        (
            "masked project",
            "sk-proj-****…abcd".to_owned(),
            ProblemReason::Masked,
        ),
        (
            "masked legacy",
            "sk-abcd****wxyz".to_owned(),
            ProblemReason::Masked,
        ),
        (
            "openai error",
            "Incorrect API key provided: sk-abcd****wxyz. You can find your API key at \
             https://platform.openai.com/account/api-keys."
                .to_owned(),
            ProblemReason::Masked,
        ),
        (
            "dashboard dots",
            "sk-proj-...AbCd".to_owned(),
            ProblemReason::Masked,
        ),
        (
            "own masked form",
            "sk-proj-…AbCd".to_owned(),
            ProblemReason::Masked,
        ),
        (
            "bullets",
            "sk-••••••••AbCd".to_owned(),
            ProblemReason::Masked,
        ),
        (
            "cut then dots",
            format!("{}...", &p[..40]),
            ProblemReason::Masked,
        ),
    ]
}

/// Placeholders, characters a key never has, and two keys run together.
fn placeholder_and_character_cases(p: &str) -> Vec<Case> {
    let mut accent = p.to_owned();
    accent.insert(50, 'é');
    let mut cyrillic = p.to_owned();
    cyrillic.replace_range(40..41, "а");
    let dashes = p.replacen('-', "\u{2013}", 2);
    vec![
        (
            "placeholder dots",
            "sk-...your-key-here".to_owned(),
            ProblemReason::Placeholder,
        ),
        (
            "enter your key",
            "ENTER_YOUR_KEY_HERE".to_owned(),
            ProblemReason::Placeholder,
        ),
        (
            "angle",
            "<your-api-key>".to_owned(),
            ProblemReason::Placeholder,
        ),
        ("xxx", "sk-xxxxxxxx".to_owned(), ProblemReason::Placeholder),
        (
            "sk your key",
            "OPENAI_API_KEY=sk-YOUR_KEY".to_owned(),
            ProblemReason::Placeholder,
        ),
        (
            "env placeholder",
            "OPENAI_API_KEY=your-api-key-here".to_owned(),
            ProblemReason::Placeholder,
        ),
        (
            "bare dots",
            "api_key = \"sk-...\"".to_owned(),
            ProblemReason::Placeholder,
        ),
        (
            "upper",
            "YOUR_OPENAI_API_KEY".to_owned(),
            ProblemReason::Placeholder,
        ),
        ("accent inside", accent, ProblemReason::BadCharacters),
        ("cyrillic letter", cyrillic, ProblemReason::BadCharacters),
        ("long dashes", dashes, ProblemReason::BadCharacters),
        (
            "two markers",
            format!("{}{}", &p[..100], &p[8..]),
            ProblemReason::Unrecognized,
        ),
    ]
}

/// Keys of other providers, and a mix where the other provider's key decides.
fn provider_cases(admin: &str) -> Vec<Case> {
    let anthropic = format!("sk-ant-api03-{}AA", rand_str(93, URLSAFE, 13));
    vec![
        (
            "anthropic",
            anthropic.clone(),
            ProblemReason::WrongProvider(Provider::Anthropic),
        ),
        (
            "anthropic admin",
            format!("sk-ant-admin01-{}AA", rand_str(90, URLSAFE, 15)),
            ProblemReason::WrongProvider(Provider::Anthropic),
        ),
        (
            "openrouter",
            format!("sk-or-v1-{}", rand_str(64, HEX, 16)),
            ProblemReason::WrongProvider(Provider::OpenRouter),
        ),
        (
            "deepseek",
            format!("sk-{}", rand_str(32, HEX, 17)),
            ProblemReason::WrongProvider(Provider::DeepSeek),
        ),
        (
            "stripe live",
            format!("sk_live_{}", rand_str(99, ALNUM, 18)),
            ProblemReason::WrongProvider(Provider::Stripe),
        ),
        (
            "stripe test",
            format!("sk_test_{}", rand_str(99, ALNUM, 19)),
            ProblemReason::WrongProvider(Provider::Stripe),
        ),
        (
            "stripe restricted",
            format!("rk_live_{}", rand_str(99, ALNUM, 20)),
            ProblemReason::WrongProvider(Provider::Stripe),
        ),
        (
            "groq",
            format!("gsk_{}", rand_str(52, ALNUM, 21)),
            ProblemReason::WrongProvider(Provider::Groq),
        ),
        (
            "xai",
            format!("xai-{}", rand_str(80, ALNUM, 22)),
            ProblemReason::WrongProvider(Provider::Xai),
        ),
        (
            "perplexity",
            format!("pplx-{}", rand_str(48, ALNUM, 23)),
            ProblemReason::WrongProvider(Provider::Perplexity),
        ),
        (
            "langfuse",
            "sk-lf-1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d".to_owned(),
            ProblemReason::WrongProvider(Provider::Langfuse),
        ),
        (
            "sk 48",
            format!("sk-{}", rand_str(48, ALNUM, 24)),
            ProblemReason::WrongProvider(Provider::UnknownSk48),
        ),
        (
            "masked anthropic",
            "sk-ant-api03-****abcd".to_owned(),
            ProblemReason::WrongProvider(Provider::Anthropic),
        ),
        (
            "placeholder and anthropic",
            format!("OPENAI_API_KEY=your-key-here\nKEY={anthropic}"),
            ProblemReason::WrongProvider(Provider::Anthropic),
        ),
        (
            "admin and masked",
            format!("sk-abcd****wxyz {admin}"),
            ProblemReason::Admin,
        ),
    ]
}

#[test]
fn names_the_problems() {
    let p = project();
    let l = make_key("sk-", 20, 20, 2);
    let admin = make_key("sk-admin-", 58, 58, 12);
    let mut cases = cut_and_masked_cases(&p, &l, &admin);
    cases.extend(placeholder_and_character_cases(&p));
    cases.extend(provider_cases(&admin));
    for (name, text, reason) in &cases {
        check(name, text, &Want::Problem(*reason));
        // Every case is a problem (checked just above): none may slip through unexamined.
        let problem = problem_in(text);
        let expected = match reason {
            ProblemReason::Admin => Verdict::AdminKey,
            ProblemReason::WrongProvider(_) => Verdict::WrongProvider,
            _ => Verdict::Malformed,
        };
        assert_eq!(problem.verdict, expected, "{name}");
        assert!(!problem.message.is_empty() && !problem.next_step.is_empty());
        if let Some(m) = &problem.masked {
            let visible = m.rsplit('…').next().unwrap_or_default();
            assert!(visible.chars().count() <= 4, "{name}: {m}");
        }
        let shown = format!("{problem:?} {problem}");
        for start in (3..text.len().saturating_sub(9)).step_by(3) {
            if let Some(piece) = text.get(start..start + 9)
                && piece.bytes().all(|b| b.is_ascii_alphanumeric())
                && !text.contains(' ')
            {
                assert!(!shown.contains(piece), "{name}: {piece} shown in {shown}");
            }
        }
    }
}

#[test]
fn messages_say_what_the_issue_asks() {
    let anthropic = format!("sk-ant-api03-{}AA", rand_str(93, URLSAFE, 13));
    assert_eq!(
        problem_in(&anthropic).message,
        "This is an Anthropic key. OpenAI keys start with sk-proj- and come from \
         platform.openai.com/api-keys."
    );
    assert_eq!(
        problem_in(&project()[..90]).next_step,
        "Copy it again with the copy button next to it in OpenAI's dialog; if the dialog is \
         closed, create a new key at https://platform.openai.com/api-keys"
    );
    let admin = problem_in(&make_key("sk-admin-", 58, 58, 3)).to_string();
    assert!(admin.contains("AAAI needs a project key, not an organization admin key"));
    assert!(admin.contains("API keys page"));
    assert_eq!(problem_in("sk-...your-key-here").masked, None);
    assert_eq!(
        problem_in("sk-proj-****…abcd").masked.as_deref(),
        Some("sk-proj-…abcd")
    );
}

#[test]
fn extra_characters_after_a_whole_key_are_named() {
    let p = project();
    let p58 = make_key("sk-proj-", 58, 58, 31);
    let l = make_key("sk-", 20, 20, 2);
    let svc = make_key("sk-svcacct-", 74, 74, 32);
    let early = make_key("sk-my-bot-", 20, 20, 10);
    let cases = [
        ("env, dashes", format!("key={p}--old"), &p),
        ("shell, underscore", format!("export KEY={p}_backup\n"), &p),
        ("132 characters", format!("{p58}-2"), &p58),
        ("legacy, dash digit", format!("{l}-2"), &l),
        ("legacy, underscore", format!("\"{l}_old\""), &l),
        ("service account", format!("{svc}-copy"), &svc),
        ("early service account", format!("{early}_v2"), &early),
    ];
    for (name, text, key) in &cases {
        let got = scan(text).result;
        let Recognition::Problem(problem) = &got else {
            panic!("{name}: wanted extra characters, got {got:?}");
        };
        assert_eq!(problem.reason, ProblemReason::ExtraCharacters, "{name}");
        assert_eq!(problem.verdict, Verdict::Malformed, "{name}");
        let last4 = &key[key.len() - 4..];
        assert!(
            problem
                .masked
                .as_deref()
                .is_some_and(|m| m.ends_with(last4)),
            "{name}: the masked form shows the key's end: {problem:?}"
        );
        assert!(problem.message.contains("extra characters after the key"));
        assert!(!problem.next_step.is_empty());
        let shown = format!("{problem:?} {problem}");
        assert!(!shown.contains(&key[10..30]), "{name}: {shown}");
    }
    // The same keys whole, or followed by a delimiter, are still keys; a dash glued to
    // the end is extra.
    for key in [&p, &p58, &l, &svc, &early] {
        for text in [key.clone(), format!("{key} -old"), format!("{key}, _x")] {
            let got = scan(&text).result;
            assert_eq!(got.key().map(ApiKey::expose_secret), Some(key.as_str()));
        }
        assert_eq!(
            problem_in(&format!("{key}-")).reason,
            ProblemReason::ExtraCharacters,
            "a dash glued to the end is extra"
        );
    }
}

#[test]
fn own_messages_hold_no_key() {
    let texts = [
        project()[..90].to_owned(),
        "sk-abcd****wxyz".to_owned(),
        "ENTER_YOUR_KEY_HERE".to_owned(),
        make_key("sk-admin-", 58, 58, 1),
        format!("gsk_{}", rand_str(52, ALNUM, 21)),
        format!("{}é{}", &project()[..50], &project()[50..]),
        project()[3..].to_owned(),
        format!("{}--old", project()),
    ];
    for text in &texts {
        let p = problem_in(text);
        let words = format!("{} {}", p.message, p.next_step);
        assert_eq!(scan(&words).result, Recognition::Nothing, "{words}");
    }
}
