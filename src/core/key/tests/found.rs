//! Keys found in every wrapping, each kind classified, the usable key preferred, nothing in
//! plain prose, and the secret never shown.

use super::{URLSAFE, Want, check, make_key, project, rand_str};
use crate::core::key::{ApiKey, KeyKind, scan};

#[test]
fn finds_a_key_in_every_wrapping() {
    let p = project();
    let want = Want::Key(KeyKind::Project, p.clone());
    let mut zw = p.clone();
    zw.insert(60, '\u{200B}');
    zw.insert(30, '\u{2060}');
    zw.insert(12, '\u{00AD}');
    zw.insert(100, '\u{FEFF}');
    let mut nbsp = p.clone();
    nbsp.insert(90, '\u{00A0}');
    let mut nnbsp = p.clone();
    nnbsp.insert(40, '\u{202F}');
    let cases = [
        ("raw", p.clone()),
        ("spaces, tabs, newlines", format!("  \t\n{p} \t\n")),
        ("crlf", format!("\r\n{p}\r\n")),
        ("double quotes", format!("\"{p}\"")),
        ("single quotes", format!("'{p}'")),
        ("smart quotes", format!("“{p}”")),
        ("backticks", format!("`{p}`")),
        ("bold", format!("**{p}**")),
        ("brackets", format!("<{p}> ({p}) [{p}]")),
        ("bearer", format!("Bearer {p}")),
        ("header", format!("Authorization: Bearer {p}\r\n")),
        ("env", format!("OPENAI_API_KEY={p}")),
        ("export", format!("export OPENAI_API_KEY='{p}'\n")),
        (
            "json",
            format!("{{\n  \"api_key\": \"{p}\",\n  \"model\": \"gpt-4o\"\n}}"),
        ),
        (
            ".env file",
            format!("# keys\r\nANTHROPIC_API_KEY=\r\nOPENAI_API_KEY=\"{p}\"\r\nDEBUG=1\r\n"),
        ),
        ("sentence", format!("Here is my key: {p}. Thanks!")),
        ("sentence comma", format!("my key is {p}, does it work?")),
        ("url", format!("https://example.com/v1/chat?key={p}&x=1")),
        ("url end", format!("https://example.com/?api_key={p}")),
        (
            "url encoded",
            format!("https://example.com/?q=api_key%3D{p}%26x"),
        ),
        ("bom", format!("\u{FEFF}{p}")),
        ("nbsp around", format!("key:\u{00A0}{p}\u{202F}ok")),
        ("bearer nbsp", format!("Bearer\u{00A0}{p}")),
        ("bearer zero width", format!("Bearer\u{200B}{p}")),
        ("zero width inside", zw),
        (
            "zero width inside, quoted",
            format!("\"{}\"", p.replace('A', "A\u{200C}")),
        ),
        ("nbsp inside", nbsp),
        ("narrow nbsp inside", nnbsp),
        ("trailing ellipsis", format!("{p}...")),
        ("doubled paste", format!("{p}{p}")),
        ("yaml", format!("openai:\n  api_key: {p}\n")),
        ("python", format!("client = OpenAI(api_key=\"{p}\")")),
    ];
    for (name, text) in &cases {
        check(name, text, &want);
    }
}

#[test]
fn classifies_each_kind() {
    let cases = [
        ("legacy", make_key("sk-", 20, 20, 2), KeyKind::Legacy),
        (
            "no owner",
            make_key("sk-None-", 20, 20, 3),
            KeyKind::NoOwner,
        ),
        (
            "early project",
            make_key("sk-proj-", 20, 20, 4),
            KeyKind::Project,
        ),
        (
            "project 132",
            make_key("sk-proj-", 58, 58, 5),
            KeyKind::Project,
        ),
        (
            "project 164",
            make_key("sk-proj-", 74, 74, 6),
            KeyKind::Project,
        ),
        (
            "project 172",
            make_key("sk-proj-", 78, 78, 7),
            KeyKind::Project,
        ),
        (
            "project longer tail",
            make_key("sk-proj-", 74, 82, 7),
            KeyKind::Project,
        ),
        (
            "svcacct 135",
            make_key("sk-svcacct-", 58, 58, 8),
            KeyKind::ServiceAccount,
        ),
        (
            "svcacct 167",
            make_key("sk-svcacct-", 74, 74, 9),
            KeyKind::ServiceAccount,
        ),
        (
            "early svcacct",
            make_key("sk-my-bot-", 20, 20, 10),
            KeyKind::ServiceAccount,
        ),
        (
            "early svcacct long",
            make_key("sk-svc2-", 58, 58, 11),
            KeyKind::ServiceAccount,
        ),
    ];
    for (name, key, kind) in &cases {
        check(name, key, &Want::Key(*kind, key.clone()));
        let got = scan(key);
        let masked = got.result.key().map(ApiKey::masked).unwrap_or_default();
        assert!(masked.ends_with(&key[key.len() - 4..]), "{name}: {masked}");
        assert!(
            masked.chars().count() <= "sk-svcacct-".len() + 5,
            "{name}: {masked}"
        );
    }
}

#[test]
fn prefers_a_usable_key() {
    let p = project();
    let l = make_key("sk-", 20, 20, 2);
    let admin = make_key("sk-admin-", 58, 58, 12);
    let anthropic = format!("sk-ant-api03-{}AA", rand_str(93, URLSAFE, 13));
    let cases = [
        (
            "after look-alike",
            format!("ANTHROPIC={anthropic}\nOPENAI={p}"),
            p.clone(),
        ),
        ("after cut copy", format!("{}\n{p}", &p[..90]), p.clone()),
        ("after admin", format!("{admin} {p}"), p.clone()),
        (
            "after placeholder",
            format!("sk-...your-key-here {p}"),
            p.clone(),
        ),
        (
            "after masked",
            format!("sk-abcd****wxyz then {l}"),
            l.clone(),
        ),
        ("cut glued to whole", format!("{}{p}", &p[..50]), p.clone()),
        ("first of two", format!("{l} {p}"), l.clone()),
        ("legacy url encoded", format!("?q=key%3D{l}%26"), l.clone()),
        (
            "legacy glued after word",
            format!("Bearer\u{200B}{l}"),
            l.clone(),
        ),
    ];
    for (name, text, key) in &cases {
        let got = scan(text);
        assert_eq!(
            got.result.key().map(ApiKey::expose_secret),
            Some(key.as_str()),
            "{name}: {got:?}"
        );
    }
}

#[test]
fn nothing_in_plain_text() {
    let cases = [
        "",
        "   \r\n\t",
        "hello world",
        "I use sk-learn and scikit-learn.",
        "OpenAI keys start with sk-proj- and come from platform.openai.com/api-keys.",
        "OPENAI_API_KEY=",
        "Set OPENAI_API_KEY in your .env file.",
        "https://platform.openai.com/api-keys",
        "xai-grok is a model; pplx-api is a thing; gsk_ prefix",
        "wait...what? ** bold ** … •••",
    ];
    for text in cases {
        check(text, text, &Want::Nothing);
    }
}

#[test]
fn secret_never_shown() {
    let p = project();
    let got = scan(&p);
    let key = got.result.key().cloned();
    let Some(key) = key else {
        panic!("no key");
    };
    for shown in [
        format!("{key:?}"),
        format!("{key}"),
        format!("{key:#?}"),
        format!("{got:?}"),
        format!("{got:#?}"),
        format!("{:?}", got.result),
        key.masked(),
    ] {
        assert!(!shown.contains(&p), "{shown}");
        assert!(!shown.contains(&p[8..20]), "{shown}");
    }
    assert_eq!(key.masked(), format!("sk-proj-…{}", &p[p.len() - 4..]));
    let legacy = scan(&make_key("sk-", 20, 20, 2)).result;
    assert!(legacy.key().is_some_and(|k| k.masked().starts_with("sk-…")));
    // Equality compares the secret and kind: the same key found again is equal, another is not.
    let again = scan(&format!("Bearer {p}")).result;
    assert_eq!(again.key(), Some(&key));
    let other = make_key("sk-proj-", 74, 74, 99);
    assert_ne!(scan(&other).result.key(), Some(&key));
    assert_eq!(KeyKind::Project.as_str(), "project");
    assert_eq!(KeyKind::NoOwner.as_str(), "no_owner");
    assert_eq!(KeyKind::ServiceAccount.label(), "service account key");
}
