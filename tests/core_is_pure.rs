//! Enforces the architecture's first invariant: the core imports no UI, async, network,
//! keyring or clipboard crate, no adapter of ours, and does no I/O and reads no clock of its
//! own. The core's source is parsed as Rust (syn): the module tree is followed from
//! `src/core/mod.rs`, and in every module that is not test code each `use` item is expanded
//! into full paths, and every path and macro in the code is checked too (so `std::fs::read(…)`
//! written inline, or `Instant::now()` through an import, are caught). Every `.rs` file under
//! `src/core` must belong to the module tree, so nothing escapes the check.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// Path prefixes the core must not name: UI, async, network, keyring, clipboard and platform
/// crates, our own adapters and window, and the standard library's I/O and process parts.
const FORBIDDEN_PREFIXES: &[&[&str]] = &[
    &["egui"],
    &["eframe"],
    &["egui_kittest"],
    &["winit"],
    &["tokio"],
    &["reqwest"],
    &["rustls"],
    &["keyring_core"],
    &["keyring"],
    &["zbus"],
    &["secret_service"],
    &["arboard"],
    &["open"],
    &["directories"],
    &["rpassword"],
    &["tempfile"],
    &["libc"],
    &["crate", "adapters"],
    &["crate", "app"],
    &["crate", "cli"],
    &["std", "io"],
    &["std", "fs"],
    &["std", "net"],
    &["std", "process"],
    &["std", "thread"],
    &["std", "env"],
];

/// Calls that read a clock: the core is given the time, it never reads it.
const FORBIDDEN_CALLS: &[[&str; 2]] = &[["Instant", "now"], ["SystemTime", "now"]];

/// Macros that print: the core returns text, it never writes it anywhere.
const FORBIDDEN_MACROS: &[&str] = &["println", "eprintln", "print", "eprint", "dbg"];

/// Whether an item or module carries `#[cfg(test)]`.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The full paths a `use` tree brings in, each with the name it is known by in the module.
fn expand_use(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            expand_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            let mut full = prefix.clone();
            if name != "self" {
                full.push(name.clone());
            }
            let alias = if name == "self" {
                prefix.last().cloned().unwrap_or_default()
            } else {
                name
            };
            out.push((full, alias));
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix.clone();
            if r.ident != "self" {
                full.push(r.ident.to_string());
            }
            out.push((full, r.rename.to_string()));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), String::from("*"))),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                expand_use(t, prefix, out);
            }
        }
    }
}

/// What one module file says that the core must not say.
#[derive(Default)]
struct Checker {
    /// Names brought in by `use`, with the full path each stands for.
    aliases: HashMap<String, Vec<String>>,
    /// `mod name;` declarations (not test-only) and test-only ones, in order.
    modules: Vec<(String, bool)>,
    /// `#[path = "…"]` of a module declaration, by module name.
    module_paths: HashMap<String, String>,
    offences: Vec<String>,
}

impl Checker {
    fn check_path(&mut self, segments: &[String], what: &str) {
        // A path through an import stands for the import's full path.
        // In code (not a `use`), a lone name that no import brought in is a local (a variable, a function, a type of
        // this module): an outside crate is only ever reached through a path with `::`.
        if what == "path" && segments.len() == 1 && !self.aliases.contains_key(&segments[0]) {
            return;
        }
        let mut full = match segments.first().and_then(|s| self.aliases.get(s)) {
            Some(target) => {
                let mut full = target.clone();
                full.extend(segments.iter().skip(1).cloned());
                full
            }
            None => segments.to_vec(),
        };
        if full.first().is_some_and(|s| s.is_empty()) {
            full.remove(0);
        }
        let bad_prefix = FORBIDDEN_PREFIXES
            .iter()
            .any(|p| full.len() >= p.len() && full.iter().zip(p.iter()).all(|(a, b)| a == b));
        let bad_call = FORBIDDEN_CALLS
            .iter()
            .any(|c| full.windows(2).any(|w| w[0] == c[0] && w[1] == c[1]));
        if bad_prefix || bad_call {
            self.offences.push(format!("{what} {}", full.join("::")));
        }
    }
}

impl<'ast> Visit<'ast> for Checker {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            syn::Item::Trait(i) => &i.attrs,
            syn::Item::Macro(i) => &i.attrs,
            _ => &[],
        };
        let test_only = is_test_only(attrs);
        if let syn::Item::Mod(m) = item
            && m.content.is_none()
        {
            self.modules.push((m.ident.to_string(), test_only));
            if let Some(path) = m.attrs.iter().find_map(path_attribute) {
                self.module_paths.insert(m.ident.to_string(), path);
            }
            return;
        }
        if test_only {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut found = Vec::new();
        expand_use(&item.tree, &mut Vec::new(), &mut found);
        for (full, alias) in found {
            self.check_path(&full, "use");
            if alias != "*" {
                self.aliases.insert(alias, full);
            }
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let mut segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if path.leading_colon.is_some() {
            segments.insert(0, String::new());
        }
        self.check_path(&segments, "path");
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if let Some(last) = mac.path.segments.last()
            && FORBIDDEN_MACROS.contains(&last.ident.to_string().as_str())
        {
            self.offences.push(format!("macro {}!", last.ident));
        }
        syn::visit::visit_macro(self, mac);
    }
}

/// The value of a `#[path = "…"]` attribute.
fn path_attribute(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    if !nv.path.is_ident("path") {
        return None;
    }
    match &nv.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// The file of module `name` declared in `file`.
fn module_file(file: &Path, name: &str) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("."));
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let base = if stem == "mod" || stem == "lib" || stem == "main" {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    };
    let flat = base.join(format!("{name}.rs"));
    if flat.exists() {
        flat
    } else {
        base.join(name).join("mod.rs")
    }
}

/// The offences in `source`, and the modules it declares.
fn check_source(source: &str) -> Result<Checker, syn::Error> {
    let file = syn::parse_file(source)?;
    let mut checker = Checker::default();
    checker.visit_file(&file);
    Ok(checker)
}

fn rust_files(dir: &Path, out: &mut BTreeSet<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read core dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.insert(path);
        }
    }
}

#[test]
fn core_imports_nothing_impure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core/mod.rs");
    let mut checked = BTreeSet::new();
    let mut test_code = BTreeSet::new();
    let mut offences = Vec::new();
    let mut queue = vec![(root, false)];
    while let Some((file, in_tests)) = queue.pop() {
        let source =
            fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let checker = check_source(&source).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if in_tests {
            test_code.insert(file.clone());
        } else {
            checked.insert(file.clone());
            offences.extend(
                checker
                    .offences
                    .iter()
                    .map(|o| format!("{}: {o}", file.display())),
            );
        }
        for (name, test_only) in &checker.modules {
            // A `#[path]` is relative to the directory of the declaring file.
            let target = match checker.module_paths.get(name) {
                Some(path) => file.parent().unwrap_or(Path::new(".")).join(path),
                None => module_file(&file, name),
            };
            queue.push((target, in_tests || *test_only));
        }
    }
    let mut all = BTreeSet::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"),
        &mut all,
    );
    let reached: BTreeSet<_> = checked.union(&test_code).cloned().collect();
    let stray: Vec<_> = all.difference(&reached).collect();
    assert!(stray.is_empty(), "files outside the module tree: {stray:?}");
    assert!(
        checked.len() >= 10,
        "expected the core's modules, found {checked:?}"
    );
    assert!(
        offences.is_empty(),
        "the core must stay pure:\n{}",
        offences.join("\n")
    );
}

/// The checker itself, on code that breaks each rule: it must see every kind of offence, and
/// pass what the core is allowed.
#[test]
fn the_purity_check_sees_each_kind_of_offence() {
    let cases = [
        ("use egui::Ui;", "use egui::Ui"),
        ("use std::{collections::HashMap, fs};", "use std::fs"),
        ("use std::io::{self, Write as _};", "use std::io"),
        ("use std::io::Write as _;", "use std::io::Write"),
        ("use ::tokio as t;", "use tokio"),
        (
            "use crate::adapters::vault::KeyVault;",
            "use crate::adapters::vault::KeyVault",
        ),
        (
            "fn f() { let _ = std::fs::read(\"x\"); }",
            "path std::fs::read",
        ),
        (
            "fn f() { let _ = std::net::TcpStream::connect(\"x\"); }",
            "path std::net",
        ),
        (
            "use std::time::Instant; fn f() { let _ = Instant::now(); }",
            "path std::time::Instant::now",
        ),
        (
            "use std::time::SystemTime as Clock; fn f() { let _ = Clock::now(); }",
            "path std::time::SystemTime::now",
        ),
        ("fn f() { println!(\"hi\"); }", "macro println!"),
        (
            "mod inner { fn f() { eprintln!(\"hi\"); } }",
            "macro eprintln!",
        ),
    ];
    for (code, wanted) in cases {
        let checker = check_source(code).expect("parses");
        assert!(
            checker.offences.iter().any(|o| o.starts_with(wanted)),
            "{code}: wanted {wanted}, saw {:?}",
            checker.offences
        );
    }
    let allowed = "use std::fmt; use std::time::Duration; use serde::Serialize; \
                   fn g(open: &[u8]) -> usize { let tokio = open.len(); tokio } \
                   use crate::core::verdict::Verdict; \
                   fn f(d: Duration) -> String { format!(\"{d:?}\") } \
                   #[cfg(test)] mod tests { use std::time::Instant; fn t() { println!(\"{:?}\", Instant::now()); } }";
    let checker = check_source(allowed).expect("parses");
    assert!(checker.offences.is_empty(), "{:?}", checker.offences);
    let declared =
        check_source("mod a; #[cfg(test)] #[path = \"a_tests.rs\"] mod tests;").expect("parses");
    assert_eq!(
        declared.module_paths.get("tests").map(String::as_str),
        Some("a_tests.rs")
    );
    assert_eq!(
        declared.modules,
        vec![(String::from("a"), false), (String::from("tests"), true)]
    );
}
