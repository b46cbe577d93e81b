//! Keys found in every wrapping, each kind classified, the usable key preferred, nothing in
//! plain prose, and the secret never shown.

use super::{URLSAFE, Want, check, make_key, project, rand_str};
use crate::core::key::{ApiKey, KeyKind, KeyKind as K, scan};

/// Wrappings a key comes in: name, text before the key, text after it.
const WRAPPINGS: [(&str, &str, &str); 24] = [
    ("spaces, tabs, newlines", "  \t\n", " \t\n"),
    ("crlf", "\r\n", "\r\n"),
    ("double quotes", "\"", "\""),
    ("single quotes", "'", "'"),
    ("smart quotes", "“", "”"),
    ("backticks", "`", "`"),
    ("bold", "**", "**"),
    ("bearer", "Bearer ", ""),
    ("header", "Authorization: Bearer ", "\r\n"),
    ("env", "OPENAI_API_KEY=", ""),
    ("export", "export OPENAI_API_KEY='", "'\n"),
    (
        ".env file",
        "# keys\r\nANTHROPIC_API_KEY=\r\nOPENAI_API_KEY=\"",
        "\"\r\nDEBUG=1\r\n",
    ),
    ("sentence", "Here is my key: ", ". Thanks!"),
    ("sentence comma", "my key is ", ", does it work?"),
    ("url", "https://example.com/v1/chat?key=", "&x=1"),
    ("url end", "https://example.com/?api_key=", ""),
    ("url encoded", "https://example.com/?q=api_key%3D", "%26x"),
    ("bom", "\u{FEFF}", ""),
    ("nbsp around", "key:\u{00A0}", "\u{202F}ok"),
    ("bearer nbsp", "Bearer\u{00A0}", ""),
    ("bearer zero width", "Bearer\u{200B}", ""),
    ("trailing ellipsis", "", "..."),
    ("yaml", "openai:\n  api_key: ", "\n"),
    ("python", "client = OpenAI(api_key=\"", "\")"),
];

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
    let mut cases = vec![
        ("raw", p.clone()),
        ("brackets", format!("<{p}> ({p}) [{p}]")),
        (
            "json",
            format!("{{\n  \"api_key\": \"{p}\",\n  \"model\": \"gpt-4o\"\n}}"),
        ),
        ("doubled paste", format!("{p}{p}")),
        ("zero width inside", zw),
        (
            "zero width inside, quoted",
            format!("\"{}\"", p.replace('A', "A\u{200C}")),
        ),
        ("nbsp inside", nbsp),
        ("narrow nbsp inside", nnbsp),
    ];
    for (name, before, after) in WRAPPINGS {
        cases.push((name, format!("{before}{p}{after}")));
    }
    assert_eq!(cases.len(), 8 + WRAPPINGS.len());
    for (name, text) in &cases {
        check(name, text, &want);
    }
}

/// Keys of each kind, made up at run time: name, prefix, characters before and after the
/// marker, seed, kind.
const KINDS: [(&str, &str, usize, usize, u64, K); 11] = [
    ("legacy", "sk-", 20, 20, 2, K::Legacy),
    ("no owner", "sk-None-", 20, 20, 3, K::NoOwner),
    ("early project", "sk-proj-", 20, 20, 4, K::Project),
    ("project 132", "sk-proj-", 58, 58, 5, K::Project),
    ("project 164", "sk-proj-", 74, 74, 6, K::Project),
    ("project 172", "sk-proj-", 78, 78, 7, K::Project),
    ("project longer tail", "sk-proj-", 74, 82, 7, K::Project),
    ("svcacct 135", "sk-svcacct-", 58, 58, 8, K::ServiceAccount),
    ("svcacct 167", "sk-svcacct-", 74, 74, 9, K::ServiceAccount),
    ("early svcacct", "sk-my-bot-", 20, 20, 10, K::ServiceAccount),
    (
        "early svcacct 132",
        "sk-svc2-",
        58,
        58,
        11,
        K::ServiceAccount,
    ),
];

#[test]
fn classifies_each_kind() {
    let cases = KINDS.map(|(name, prefix, head, tail, seed, kind)| {
        (name, make_key(prefix, head, tail, seed), kind)
    });
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
