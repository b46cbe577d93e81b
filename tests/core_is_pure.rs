//! Enforces the architecture's first invariant: the core imports no UI, async, network,
//! keyring or clipboard crate, and does no I/O of its own.

use std::fs;
use std::path::Path;

const FORBIDDEN: &[&str] = &[
    "egui",
    "eframe",
    "tokio",
    "reqwest",
    "keyring",
    "arboard",
    "winit",
    "std::fs",
    "std::net",
    "std::process",
    "std::thread",
    "std::env",
    "println!",
    "eprintln!",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("read core dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            // A module's unit tests in their own folder (`key/tests/`) are test code.
            if path.file_name().is_some_and(|n| n == "tests") {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn core_imports_nothing_impure() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"),
        &mut files,
    );
    assert!(
        files.len() >= 4,
        "expected the core's modules, found {files:?}"
    );
    let mut offences = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("read");
        // Only code before the unit tests counts: tests may build fixtures however they like.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            for word in FORBIDDEN {
                let hit = line
                    .match_indices(word)
                    .any(|(i, _)| !line[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
                if hit {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "the core must stay pure:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_purity_check_can_fail() {
    // The matcher above must see a plain import.
    let line = "use egui::Ui;";
    assert!(
        line.match_indices("egui")
            .any(|(i, _)| !line[..i].ends_with(char::is_alphanumeric))
    );
}
