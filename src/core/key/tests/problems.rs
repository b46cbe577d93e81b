//! Problems named rightly, in words that hold no key and say what to do next.

use super::{ALNUM, HEX, URLSAFE, Want, check, make_key, problem_in, project, rand_str};
use crate::core::key::{ApiKey, ProblemReason, ProblemReason as R, Provider, Recognition, scan};
use crate::core::verdict::Verdict;

/// One case: a name, the text and the problem it must be named as.
type Case = (&'static str, String, ProblemReason);

/// Keys shown masked: by OpenAI's error, its dashboard, this app, bullets.
const MASKED: [(&str, &str); 6] = [
    ("masked project", "sk-proj-****…abcd"),
    ("masked legacy", "sk-abcd****wxyz"),
    (
        "openai error",
        "Incorrect API key provided: sk-abcd****wxyz. You can find your API key at \
         https://platform.openai.com/account/api-keys.",
    ),
    ("dashboard dots", "sk-proj-...AbCd"),
    ("own masked form", "sk-proj-…AbCd"),
    ("bullets", "sk-••••••••AbCd"),
];

/// Placeholders from tutorials and templates.
const PLACEHOLDERS: [(&str, &str); 8] = [
    ("placeholder dots", "sk-...your-key-here"),
    ("enter your key", "ENTER_YOUR_KEY_HERE"),
    ("angle", "<your-api-key>"),
    ("xxx", "sk-xxxxxxxx"),
    ("sk your key", "OPENAI_API_KEY=sk-YOUR_KEY"),
    ("env placeholder", "OPENAI_API_KEY=your-api-key-here"),
    ("bare dots", "api_key = \"sk-...\""),
    ("upper", "YOUR_OPENAI_API_KEY"),
];

/// Another provider's key made up at run time: name, prefix, length, characters, seed, provider.
type OtherKey = (
    &'static str,
    &'static str,
    usize,
    &'static [u8],
    u64,
    Provider,
);

/// Other providers' keys.
const OTHER_PROVIDERS: [OtherKey; 9] = [
    ("openrouter", "sk-or-v1-", 64, HEX, 16, Provider::OpenRouter),
    ("deepseek", "sk-", 32, HEX, 17, Provider::DeepSeek),
    ("stripe live", "sk_live_", 99, ALNUM, 18, Provider::Stripe),
    ("stripe test", "sk_test_", 99, ALNUM, 19, Provider::Stripe),
    (
        "stripe restricted",
        "rk_live_",
        99,
        ALNUM,
        20,
        Provider::Stripe,
    ),
    ("groq", "gsk_", 52, ALNUM, 21, Provider::Groq),
    ("xai", "xai-", 80, ALNUM, 22, Provider::Xai),
    ("perplexity", "pplx-", 48, ALNUM, 23, Provider::Perplexity),
    ("sk 48", "sk-", 48, ALNUM, 24, Provider::UnknownSk48),
];

/// Every problem case: the tables above, and texts made from a project key `p`, a legacy key
/// `l` and an admin key.
fn problem_cases(p: &str, l: &str, admin: &str) -> Vec<Case> {
    let mut accent = p.to_owned();
    accent.insert(50, 'é');
    let mut cyrillic = p.to_owned();
    cyrillic.replace_range(40..41, "а");
    let anthropic = format!("sk-ant-api03-{}AA", rand_str(93, URLSAFE, 13));
    let other = |provider| R::WrongProvider(provider);
    let mut cases: Vec<Case> = vec![
        ("admin", admin.to_owned(), R::Admin),
        ("admin cut", admin[..60].to_owned(), R::Admin),
        (
            "admin and masked",
            format!("sk-abcd****wxyz {admin}"),
            R::Admin,
        ),
        ("cut after marker", p[..100].to_owned(), R::CutShort),
        ("cut before marker", p[..50].to_owned(), R::CutShort),
        ("cut tail", make_key("sk-proj-", 58, 30, 14), R::CutShort),
        ("legacy cut", l[..40].to_owned(), R::CutShort),
        ("legacy cut early", l[..15].to_owned(), R::CutShort),
        ("start missing", p[3..].to_owned(), R::CutShort),
        ("cut then dots", format!("{}...", &p[..40]), R::Masked),
        ("accent inside", accent, R::BadCharacters),
        ("cyrillic letter", cyrillic, R::BadCharacters),
        (
            "long dashes",
            p.replacen('-', "\u{2013}", 2),
            R::BadCharacters,
        ),
        (
            "two markers",
            format!("{}{}", &p[..100], &p[8..]),
            R::Unrecognized,
        ),
        ("anthropic", anthropic.clone(), other(Provider::Anthropic)),
        (
            "anthropic admin",
            format!("sk-ant-admin01-{}AA", rand_str(90, URLSAFE, 15)),
            other(Provider::Anthropic),
        ),
        (
            "masked anthropic",
            "sk-ant-api03-****abcd".to_owned(),
            other(Provider::Anthropic),
        ),
        (
            "placeholder and anthropic",
            format!("OPENAI_API_KEY=your-key-here\nKEY={anthropic}"),
            other(Provider::Anthropic),
        ),
        (
            "langfuse",
            "sk-lf-1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d".to_owned(),
            other(Provider::Langfuse),
        ),
    ];
    let fixed = |table: &[(&'static str, &str)], reason| {
        table
            .iter()
            .map(move |(name, text)| (*name, (*text).to_owned(), reason))
            .collect::<Vec<Case>>()
    };
    cases.extend(fixed(&MASKED, R::Masked));
    cases.extend(fixed(&PLACEHOLDERS, R::Placeholder));
    for (name, prefix, len, charset, seed, provider) in OTHER_PROVIDERS {
        cases.push((
            name,
            format!("{prefix}{}", rand_str(len, charset, seed)),
            other(provider),
        ));
    }
    cases
}

#[test]
fn names_the_problems() {
    let p = project();
    let l = make_key("sk-", 20, 20, 2);
    let admin = make_key("sk-admin-", 58, 58, 12);
    let cases = problem_cases(&p, &l, &admin);
    // 19 made from keys, 6 masked, 8 placeholders, 9 other providers: none left out.
    assert_eq!(cases.len(), 42);
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

#[test]
fn a_key_broken_by_a_space_or_line_break_is_named_so_and_the_joined_key_offered() {
    let p = project();
    for (name, text) in [
        ("line break", format!("{}\n{}", &p[..60], &p[60..])),
        ("crlf", format!("key: {}\r\n{}\r\n", &p[..100], &p[100..])),
        ("space", format!("{} {}", &p[..30], &p[30..])),
        (
            "three pieces",
            format!("{}\n{}\n{}", &p[..50], &p[50..110], &p[110..]),
        ),
    ] {
        let problem = problem_in(&text);
        assert_eq!(problem.reason, R::BrokenBySpace, "{name}: {problem:?}");
        assert!(
            problem.message.contains("broken by a space or line break"),
            "{name}: {}",
            problem.message
        );
        assert!(problem.next_step.contains("Join the pieces"), "{name}");
        assert_eq!(
            problem.joined.as_ref().map(ApiKey::expose_secret),
            Some(p.as_str()),
            "{name}"
        );
        assert!(!problem.message.contains(&p[8..24]), "{name}");
        assert!(!format!("{problem:?}").contains(&p[8..24]), "{name}: Debug");
    }
    // A key that is really cut short is still called cut short.
    let cut = problem_in(&format!("{} and more words here", &p[..60]));
    assert_eq!(cut.reason, R::CutShort);
    assert_eq!(cut.joined, None);
}
