//! The language menu in the top bar: the window switches at once, the choice is saved with the
//! progress and comes back after a restart, and a damaged saved language reads as the system's.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/ui.rs"]
mod ui;

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, Services};
use aaai_key_setup::core::i18n::{self, Lang, LangChoice};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn services(store: ProgressStore, locales: &[&str]) -> Services {
    let mut s = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        store,
        fakes::FakeClipboard::default(),
    );
    s.locales = locales.iter().map(|l| (*l).to_owned()).collect();
    s
}

/// `text` as the window shows it in `lang`.
fn t(lang: Lang, text: &str) -> String {
    i18n::catalog(lang).translate(text).text
}

fn pick(h: &mut Harness<'static, App>, shown_in: Lang, entry: &str) {
    h.get_by_label(&t(shown_in, "Language:")).click();
    h.run();
    h.get_by_label(entry).click();
    h.run();
}

#[test]
fn picking_a_language_switches_the_window_at_once_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    let mut h = ui::harness(
        services(ProgressStore::at(&path), &["en-GB"]),
        [1280.0, 800.0],
    );
    h.run();
    assert_eq!(h.state().lang, Lang::En);
    assert!(h.query_by_label("Troubleshooting").is_some());

    pick(&mut h, Lang::En, "Italiano");
    assert_eq!(h.state().lang, Lang::It);
    assert_eq!(h.state().progress.language, LangChoice::Picked(Lang::It));
    // The same frame's texts: the top bar speaks Italian, no English left there.
    assert!(h.query_by_label(&t(Lang::It, "Troubleshooting")).is_some());
    assert!(h.query_by_label("Troubleshooting").is_none());
    drop(h);

    // A restart with the system still in English: the saved choice wins.
    let mut h = ui::harness(
        services(ProgressStore::at(&path), &["en-GB"]),
        [1280.0, 800.0],
    );
    h.run();
    assert_eq!(
        h.state().lang,
        Lang::It,
        "the choice did not survive a restart"
    );

    // Back to the system's language.
    pick(&mut h, Lang::It, &t(Lang::It, "As this computer"));
    assert_eq!(h.state().lang, Lang::En);
    assert_eq!(h.state().progress.language, LangChoice::System);
    assert!(h.query_by_label("Troubleshooting").is_some());
}

#[test]
fn the_system_language_is_taken_and_a_damaged_saved_language_reads_as_the_system() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    let mut h = ui::harness(
        services(ProgressStore::at(&path), &["it-IT", "en-US"]),
        [1280.0, 800.0],
    );
    h.run();
    assert_eq!(h.state().lang, Lang::It);
    pick(&mut h, Lang::It, "English");
    assert_eq!(h.state().lang, Lang::En);
    drop(h);

    // Damage the saved language only.
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("\"language\": \"en\""), "{saved}");
    std::fs::write(
        &path,
        saved.replace("\"language\": \"en\"", "\"language\": [1, 2]"),
    )
    .unwrap();
    let mut h = ui::harness(
        services(ProgressStore::at(&path), &["it-IT", "en-US"]),
        [1280.0, 800.0],
    );
    h.run();
    assert_eq!(h.state().progress.language, LangChoice::System);
    assert_eq!(h.state().lang, Lang::It);
}
