//! Records the commit the binary is built from, for `--version`; packs the window's catalogues
//! (`assets/i18n`) small for the binary; on Windows, also puts the icon and the version
//! information (shown in Explorer's Properties) into the exe.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| String::from("unknown commit"));
    println!("cargo:rustc-env=AAAI_BUILD_COMMIT={commit}");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    println!("cargo:rerun-if-changed=assets/icon.ico");
    pack_catalogues();
    // The target, not the machine building (which is what `cfg` in a build script means).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows_resources();
    }
}

/// The mark that starts a packed line standing for a line of `en.txt`; no catalogue line may
/// start with it (a control character, which the texts never hold).
const SAME_AS_ENGLISH: char = '\u{1}';

/// Packs every catalogue `assets/i18n/<tag>.txt` into `$OUT_DIR/i18n/<tag>.z`, which
/// `src/core/i18n` compiles in and unpacks. Two steps, both undone exactly:
/// - in a translation, a line that is also a line of `en.txt` (the English of each pair, the
///   header) becomes `\u{1}N`, N being its index there, so the English is stored once;
/// - then zlib, at the best compression.
///
/// The catalogues are about 230 KB of text, and the binary has a size target (README,
/// "Languages"); packed they take under 45 KB.
fn pack_catalogues() {
    let dir = Path::new("assets/i18n");
    // A directory: cargo then looks at every file in it, so a new catalogue is packed too.
    println!("cargo:rerun-if-changed=assets/i18n");
    let Some(out) = std::env::var_os("OUT_DIR").map(|d| PathBuf::from(d).join("i18n")) else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        panic!("{}: {e}", out.display());
    }
    let read = |tag: &str| {
        let path = dir.join(format!("{tag}.txt"));
        match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => panic!("{}: {e}", path.display()),
        }
    };
    let english = read("en");
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (n, line) in english.split('\n').enumerate() {
        index.entry(line).or_insert(n);
    }
    let tags: Vec<String> = match std::fs::read_dir(dir) {
        Ok(files) => files
            .filter_map(|f| f.ok()?.file_name().into_string().ok())
            .filter_map(|name| name.strip_suffix(".txt").map(str::to_owned))
            .collect(),
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    for tag in &tags {
        let text = read(tag);
        let packed: Vec<String> = text
            .split('\n')
            .enumerate()
            .map(|(n, line)| {
                if line.starts_with(SAME_AS_ENGLISH) {
                    panic!("{tag}.txt line {}: starts with a control character", n + 1);
                }
                match index.get(line) {
                    Some(at) if tag != "en" && !line.is_empty() => {
                        format!("{SAME_AS_ENGLISH}{at}")
                    }
                    _ => line.to_owned(),
                }
            })
            .collect();
        let z = miniz_oxide::deflate::compress_to_vec_zlib(packed.join("\n").as_bytes(), 10);
        let path = out.join(format!("{tag}.z"));
        if let Err(e) = std::fs::write(&path, z) {
            panic!("{}: {e}", path.display());
        }
    }
}

/// The exe's icon and version resource, compiled with the Windows SDK's resource compiler.
/// The version numbers come from Cargo.toml.
#[cfg(windows)]
fn windows_resources() {
    let mut resource = winresource::WindowsResource::new();
    resource
        .set_icon("assets/icon.ico")
        .set("FileDescription", "AAAI Key Setup")
        .set("ProductName", "AAAI Key Setup")
        .set("OriginalFilename", "aaai-key-setup.exe")
        .set("LegalCopyright", "MIT License");
    if let Err(e) = resource.compile() {
        panic!("the Windows icon and version resource could not be compiled: {e}");
    }
}

/// Building for Windows elsewhere (cross): winresource is a Windows-only build-dependency, so
/// this exe gets no icon and no version resource. Release builds run on Windows.
#[cfg(not(windows))]
fn windows_resources() {
    println!(
        "cargo:warning=built on a non-Windows machine: the exe has no icon and no version resource"
    );
}
