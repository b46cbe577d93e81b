//! The paste box takes at most 64 KiB: a bigger paste is refused whole, the box says how big it
//! was and what to copy instead, and nothing of it goes in (a 2 MB paste once took the window
//! to about 1 GB of memory).

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/ui.rs"]
mod ui;

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::core::paste::PASTE_LIMIT;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

fn project_key() -> String {
    keys::made_up("sk-proj-", &keys::chars(74, 41), &keys::chars(74, 42))
}

#[test]
fn a_two_megabyte_paste_is_refused_whole_and_said_so_and_a_key_still_goes_in_after() {
    let services = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        fakes::FakeClipboard::default(),
    );
    let mut h = ui::harness(services, [1280.0, 800.0]);
    h.run_ok();
    h.get_by_label("Or paste your key here:").focus();
    h.run();
    // A key buried in 2 MB of other text: none of it goes in, not even a cut-off part.
    let big = format!("{}{}", "word ".repeat(420 * 1024), project_key());
    h.event(egui::Event::Paste(big));
    h.run();
    assert!(h.state().view.paste.is_empty(), "part of the paste went in");
    let note = h.get_by_label_contains("too long for this box");
    let words = note.accesskit_node().value().unwrap_or_default();
    assert!(words.contains("2.0 MB"), "{words}");
    assert!(words.contains("nothing was pasted"), "{words}");
    assert!(
        h.get_by_label("Use this key")
            .accesskit_node()
            .is_disabled()
    );
    // Just under the limit is taken as it is.
    let fits = "a".repeat(PASTE_LIMIT);
    h.event(egui::Event::Paste(fits));
    h.run();
    assert_eq!(h.state().view.paste.len(), PASTE_LIMIT);
    assert!(h.query_by_label_contains("too long for this box").is_none());
    // Emptied, a real key pasted after that is taken.
    h.state_mut().view.paste = zeroize::Zeroizing::default();
    h.event(egui::Event::Paste(project_key()));
    h.run();
    h.get_by_label("Use this key").click();
    h.step();
    assert!(
        h.state().key.is_some(),
        "the key pasted after was not taken"
    );
}
