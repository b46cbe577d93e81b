//! The command line as `docs/cli.md` specifies it: `check --offline --key-stdin [--json]`,
//! verdicts, JSON fields and exit codes, and nothing printed ever holds the key.

#[path = "support/keys.rs"]
mod keys;
#[path = "support/run.rs"]
mod run;

use std::process::Command;

use serde_json::Value;

use keys::chars;

fn project_key() -> String {
    keys::made_up("sk-proj-", &chars(74, 1), &chars(74, 2))
}

fn run(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> run::Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aaai-key-setup"));
    cmd.args(args)
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        // No keyring: `check` without stdin or OPENAI_API_KEY would read a developer's own.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/aaai-key-setup-test-bus",
        );
    for (k, v) in env {
        cmd.env(k, v);
    }
    run::run_with_stdin(&mut cmd, stdin)
}

fn offline_json(stdin: &str) -> (i32, Value, String) {
    let r = run(&["check", "--offline", "--key-stdin", "--json"], stdin, &[]);
    let json: Value = serde_json::from_str(r.stdout.trim()).unwrap_or(Value::Null);
    (r.code, json, format!("{}{}", r.stdout, r.stderr))
}

#[test]
fn a_well_formed_key_in_messy_text_exits_0_and_is_never_printed() {
    let key = project_key();
    let (code, json, all) = offline_json(&format!("  export OPENAI_API_KEY='{key}'\r\n"));
    assert_eq!(code, 0, "{all}");
    assert_eq!(json["verdict"], "well_formed");
    assert_eq!(json["key"]["kind"], "project");
    let masked = json["key"]["masked"].as_str().expect("masked");
    assert_eq!(masked, format!("sk-proj-…{}", &key[key.len() - 4..]));
    for field in ["steps", "organization", "tier", "message", "fix_url"] {
        assert!(json.get(field).is_some(), "missing {field}");
    }
    assert!(!all.contains(&key), "the key was printed");
    assert!(!all.contains(&key[8..40]), "part of the key was printed");
}

#[test]
fn shape_verdicts_and_exit_codes() {
    let key = project_key();
    let cut = &key[..60];
    let admin = keys::made_up("sk-admin-", &chars(58, 3), &chars(58, 4));
    let anthropic = format!("sk-ant-api03-{}AA", chars(93, 5));
    for (input, verdict) in [
        (cut.to_owned(), "malformed"),
        (anthropic, "wrong_provider"),
        (admin.clone(), "admin_key"),
        (String::from("sk-...your-key-here"), "malformed"),
    ] {
        let (code, json, all) = offline_json(&input);
        assert_eq!(json["verdict"], verdict, "{all}");
        assert_eq!(code, 1, "{all}");
        assert!(!json["message"].as_str().unwrap_or("").is_empty());
        assert!(
            input.len() < 24 || !all.contains(&input[..24]),
            "input echoed: {all}"
        );
    }
    let (_, json, _) = offline_json(&admin);
    assert_eq!(json["key"]["kind"], "admin");
}

#[test]
fn extra_characters_glued_to_a_key_are_named_not_taken() {
    let key = project_key();
    for text in [format!("key={key}--old"), format!("{key}_backup\n")] {
        let (code, json, all) = offline_json(&text);
        assert_eq!(code, 1, "{all}");
        assert_eq!(json["verdict"], "malformed", "{all}");
        let message = json["message"].as_str().unwrap_or_default();
        assert!(message.contains("extra characters after the key"), "{all}");
        assert!(!all.contains(&key[8..40]), "part of the key was printed");
    }
}

#[test]
fn no_key_anywhere_is_a_usage_error() {
    let r = run(
        &["check", "--offline", "--key-stdin"],
        "hello, no key in here",
        &[],
    );
    assert_eq!(r.code, 64);
    assert!(r.stderr.contains("No OpenAI key was found"), "{}", r.all());
    let r = run(&["check", "--offline"], "", &[]);
    assert_eq!(r.code, 64);
    assert!(r.stderr.contains("No key found"), "{}", r.stderr);
}

#[test]
fn usage_errors_exit_64_and_help_exits_0() {
    // 2 means "could not tell" for `check`; a usage error must never look like it.
    for args in [
        &["check", "--bogus"][..],
        &["bogus"],
        &["check", "--timeout-secs", "0"],
        &["check", "--timeout-secs", "abc"],
        &["check", "--timeout-secs"],
        &["key"],
        &["key", "bogus"],
        &["key", "store", "--bogus"],
        &["--bogus"],
    ] {
        let r = run(args, "", &[]);
        assert_eq!(r.code, 64, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.trim().is_empty(), "{args:?}: says nothing");
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    for args in [
        &["--help"][..],
        &["-h"],
        &["check", "--help"],
        &["key", "--help"],
    ] {
        let r = run(args, "", &[]);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("Usage"), "{args:?}: {}", r.stdout);
    }
}

#[test]
fn the_environment_variable_is_a_key_source() {
    let key = project_key();
    let r = run(
        &["check", "--offline", "--json"],
        "",
        &[("OPENAI_API_KEY", &key)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("well_formed"));
    assert!(!r.stdout.contains(&key));
}

#[test]
fn a_key_at_the_end_of_five_megabytes_of_text_is_found() {
    let key = project_key();
    let mut text = String::new();
    while text.len() < 5 << 20 {
        text.push_str("lorem ipsum dolor sit amet sk- proj- \u{200b} ");
    }
    text.push_str(&format!("\nOPENAI_API_KEY={key}\n"));
    let r = run(&["check", "--offline", "--key-stdin"], &text, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("only the first"), "{}", r.stderr);
    assert!(r.stdout.contains("sk-proj-…"), "{}", r.stdout);
    assert!(!format!("{}{}", r.stdout, r.stderr).contains(&key));
}

#[test]
fn more_than_sixteen_mebibytes_are_searched_only_in_part_and_it_is_said() {
    let key = project_key();
    let mut text = format!("OPENAI_API_KEY={key}\n");
    while text.len() <= 17 << 20 {
        text.push_str("lorem ipsum dolor sit amet sk- proj- \u{200b} ");
    }
    let r = run(&["check", "--offline", "--key-stdin"], &text, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("only the first 16 MiB"), "{}", r.stderr);
    assert!(r.stdout.contains("sk-proj-…"), "{}", r.stdout);
}

#[test]
fn plain_http_to_another_host_is_refused() {
    let r = run(
        &["check", "--key-stdin"],
        &project_key(),
        &[("OPENAI_BASE_URL", "http://example.com/v1")],
    );
    assert_eq!(r.code, 64, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("unencrypted"), "{}", r.stderr);
}

#[test]
fn version_names_the_commit() {
    let r = run(&["--version"], "", &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .starts_with(&format!("aaai-key-setup {} (", env!("CARGO_PKG_VERSION"))),
        "{}",
        r.stdout
    );
}
