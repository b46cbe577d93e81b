//! Records the commit the binary is built from, for `--version`; on Windows, also puts the
//! icon and the version information (shown in Explorer's Properties) into the exe.

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
    // The target, not the machine building (which is what `cfg` in a build script means).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows_resources();
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
