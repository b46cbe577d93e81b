//! A key broken into pieces by a line break or a space (a mail or chat app wrapped it) is named
//! so in the paste box, and "Join the pieces" takes the joined key as a pasted key: by the same
//! rules, never shown, and the box is emptied (issue 22, "also seen").

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/ui.rs"]
mod ui;

use aaai_key_setup::adapters::progress_store::ProgressStore;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

fn project_key() -> String {
    keys::made_up("sk-proj-", &keys::chars(74, 51), &keys::chars(74, 52))
}

#[test]
fn a_key_broken_by_a_line_break_is_joined_on_a_click_and_taken_as_pasted() {
    let services = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        fakes::FakeClipboard::default(),
    );
    let mut h = ui::harness(services, [1280.0, 800.0]);
    h.run_ok();
    h.get_by_label("Or paste your key here:").focus();
    h.run();
    let key = project_key();
    let (head, tail) = key.split_at(40);
    h.event(egui::Event::Paste(format!("{head}\n{tail}")));
    h.run();
    let note = h.get_by_label_contains("broken by a space or line break");
    let words = note.accesskit_node().value().unwrap_or_default();
    assert!(!words.contains(tail), "the problem repeats the key");
    assert!(
        h.get_by_label("Use this key")
            .accesskit_node()
            .is_disabled()
    );
    join_and_expect(&mut h, &key);
    assert!(
        h.state().view.paste.is_empty(),
        "the pieces stayed in the box"
    );
    h.run_ok();
    assert!(h.query_by_label("Join the pieces").is_none());
    assert_shown_nowhere(&h, head, tail);
}

/// Click "Join the pieces" and expect `key` to be taken (compared, never printed: a failure must
/// not show a key).
fn join_and_expect(h: &mut egui_kittest::Harness<'static, aaai_key_setup::app::App>, key: &str) {
    h.get_by_label("Join the pieces").click();
    h.step();
    assert!(
        h.state()
            .key
            .as_ref()
            .is_some_and(|k| k.key.expose_secret() == key),
        "the joined key was not taken"
    );
}

/// Nothing in the window shows the key, whole or in pieces.
fn assert_shown_nowhere(
    h: &egui_kittest::Harness<'static, aaai_key_setup::app::App>,
    head: &str,
    tail: &str,
) {
    for node in h.root().children_recursive() {
        let node = node.accesskit_node();
        for text in [node.label(), node.value()].into_iter().flatten() {
            assert!(
                !text.contains(head) && !text.contains(tail),
                "the joined key is shown unmasked"
            );
        }
    }
}

/// The same for a key copied in pieces: the clipboard note offers "Join the pieces" too.
#[test]
fn a_key_copied_in_pieces_is_joined_from_the_clipboard_note() {
    let clipboard = fakes::FakeClipboard::default();
    let services = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        clipboard.clone(),
    );
    let mut h = ui::harness(services, [1280.0, 800.0]);
    h.state_mut().progress.selected_step = aaai_key_setup::core::verdict::StepId::Key;
    h.run_ok();
    let key = project_key();
    let (head, tail) = key.split_at(40);
    clipboard.set(&format!("{head}\n{tail}"));
    ui::step_until(&mut h, |app| {
        app.clip_note.as_ref().is_some_and(|n| n.joined.is_some())
    });
    h.get_by_label_contains("broken by a space or line break");
    join_and_expect(&mut h, &key);
    h.run_ok();
    assert!(h.query_by_label("Join the pieces").is_none());
    assert_shown_nowhere(&h, head, tail);
}
