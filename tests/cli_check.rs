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
}

#[test]
fn a_missing_keyring_with_no_other_key_source_exits_1_in_its_own_words() {
    // `run` points the session bus nowhere: there is no keyring. One may well hold a key, so
    // this is not "no key found" (64) but the keyring's own words (1).
    for env in [&[][..], &[("OPENAI_API_KEY", "")][..]] {
        let r = run(&["check", "--offline"], "", env);
        assert_eq!(r.code, 1, "{env:?}: {}", r.all());
        assert!(r.stderr.contains("No keyring is available"), "{}", r.all());
        assert!(!r.stderr.contains("No key found"), "{}", r.all());
    }
}

#[test]
fn an_empty_openai_api_key_counts_as_unset() {
    let key = project_key();
    // Not "no key found in OPENAI_API_KEY": the next source (here stdin is not asked for, so
    // the keyring) is used, exactly as when the variable is not set.
    for empty in ["", "  "] {
        let r = run(&["check", "--offline"], "", &[("OPENAI_API_KEY", empty)]);
        assert!(
            !r.stderr.contains("found in OPENAI_API_KEY"),
            "{empty:?}: {}",
            r.all()
        );
        assert!(
            r.stderr.contains("No keyring is available"),
            "{empty:?}: {}",
            r.all()
        );
        assert_eq!(r.code, 1, "{empty:?}: {}", r.all());
    }
    // --key-stdin still wins over everything.
    let r = run(
        &["check", "--offline", "--key-stdin", "--json"],
        &key,
        &[("OPENAI_API_KEY", "")],
    );
    assert_eq!(r.code, 0, "{}", r.all());
}

/// Runs the binary with `stdin` as raw bytes and with stdout or stderr a pipe whose reading end
/// is already closed (as in `| head -c1` once `head` has gone).
fn run_closed(args: &[&str], stdin: &[u8], close_stderr: bool) -> (i32, String) {
    use std::io::Write as _;
    use std::process::Stdio;
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aaai-key-setup"));
    cmd.args(args)
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/aaai-key-setup-test-bus",
        )
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped());
    if close_stderr {
        cmd.stdout(Stdio::piped()).stderr(writer);
    } else {
        cmd.stdout(writer).stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("start");
    let mut input = child.stdin.take().expect("stdin");
    let _ = input.write_all(stdin);
    drop(input);
    let out = child.wait_with_output().expect("runs");
    let other = if close_stderr { out.stdout } else { out.stderr };
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&other).into_owned(),
    )
}

#[test]
fn a_closed_stdout_or_stderr_ends_quietly_with_the_exit_it_would_have_had() {
    let key = project_key();
    let cut = key[..60].to_owned();
    for (args, stdin, code) in [
        (&["check", "--offline", "--key-stdin"][..], key.as_str(), 0),
        (
            &["check", "--offline", "--key-stdin", "--json"],
            key.as_str(),
            0,
        ),
        (&["check", "--offline", "--key-stdin"], cut.as_str(), 1),
        (&["--help"], "", 0),
        (&["--version"], "", 0),
        (&["check", "--bogus"], "", 64),
    ] {
        let (got, stderr) = run_closed(args, stdin.as_bytes(), false);
        assert_eq!(got, code, "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    for (args, stdin, code) in [
        (
            &["check", "--offline", "--key-stdin"][..],
            "no key here",
            64,
        ),
        (&["check", "--offline"], "", 1),
        (&["key", "status"], "", 1),
    ] {
        let (got, stdout) = run_closed(args, stdin.as_bytes(), true);
        assert_eq!(got, code, "{args:?}: {stdout}");
    }
}

#[test]
fn utf16_input_with_a_byte_order_mark_is_read() {
    let key = project_key();
    let text = format!("OPENAI_API_KEY={key}\r\n");
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let utf8_bom: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(text.bytes()).collect();
    for (name, bytes) in [("UTF-16LE", le), ("UTF-16BE", be), ("UTF-8 BOM", utf8_bom)] {
        use std::io::Write as _;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_aaai-key-setup"))
            .args(["check", "--offline", "--key-stdin", "--json"])
            .env_remove("OPENAI_API_KEY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start");
        let mut input = child.stdin.take().expect("stdin");
        input.write_all(&bytes).expect("write");
        drop(input);
        let out = child.wait_with_output().expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{name}: {stdout}");
        assert!(stdout.contains("well_formed"), "{name}: {stdout}");
    }
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

#[test]
fn a_key_broken_by_a_line_break_is_named_so() {
    let key = project_key();
    for text in [
        format!("{}\n{}\n", &key[..64], &key[64..]),
        format!("{} {}", &key[..20], &key[20..]),
    ] {
        let (code, json, all) = offline_json(&text);
        assert_eq!(code, 1, "{all}");
        assert_eq!(json["verdict"], "malformed", "{all}");
        let message = json["message"].as_str().unwrap_or_default();
        assert!(message.contains("broken by a space or line break"), "{all}");
        assert!(!message.contains("cut short"), "{all}");
        assert!(!all.contains(&key[8..40]), "part of the key was printed");
    }
}
