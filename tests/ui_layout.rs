//! Nothing hidden, nothing out of order (issue 19), headless with egui_kittest: at 800×600 and
//! at 1024×720, every page opens at its top, its heading and its primary button are in view,
//! and nothing of the page is under the key strip.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, Screen, Services};
use aaai_key_setup::core::guide;
use aaai_key_setup::core::verdict::StepId;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

const SIZES: [[f32; 2]; 2] = [[800.0, 600.0], [1024.0, 720.0]];

fn services() -> Services {
    let mut s = fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        fakes::FakeClipboard::default(),
    );
    s.vault = Arc::new(fakes::FakeVault::default());
    // Nothing listens here: the check fails at once, as with no network.
    s.check_config.base_url = String::from("http://127.0.0.1:9/v1");
    s.check_config.timeout_secs = 1;
    s
}

fn key() -> String {
    keys::made_up("sk-proj-", &keys::chars(74, 91), &keys::chars(74, 92))
}

/// The content of the pane (egui panel) holding the node named `label`: the union of every
/// rect in it. (Panes themselves carry no rect.)
fn pane_of(h: &Harness<'static, App>, label: &str) -> egui::Rect {
    let node = h.get_by_label(label);
    let mut pane = node.parent().expect("a parent");
    while pane.accesskit_node().role() != egui::accesskit::Role::Pane {
        pane = pane.parent().expect("a pane around it");
    }
    pane.children_recursive()
        .filter_map(|n| n.accesskit_node().bounding_box().map(|_| n.rect()))
        .fold(egui::Rect::NOTHING, |a, b| a.union(b))
}

/// The part of the window between the top bar and the key strip, right of the checklist, and
/// the key strip's top.
fn main_and_strip(h: &Harness<'static, App>, size: [f32; 2]) -> (egui::Rect, egui::Rect) {
    let strip_anchor = if h.state().key.is_some() {
        "Your key:"
    } else {
        "Or paste your key here:"
    };
    let strip = pane_of(h, strip_anchor);
    let top = pane_of(h, "Steps");
    let checklist = pane_of(h, "Your checklist");
    let main = egui::Rect::from_min_max(
        egui::pos2(checklist.max.x, top.max.y),
        egui::pos2(size[0], strip.min.y),
    );
    (main, strip)
}

/// The node named `label` inside the main area (the checklist and the tabs may use the same
/// words; the main area is drawn last).
fn in_main(h: &Harness<'static, App>, main: egui::Rect, label: &str) -> egui::Rect {
    h.query_all_by_label(label)
        .map(|n| n.rect())
        .rfind(|r| r.min.x >= main.min.x - 1.0)
        .unwrap_or_else(|| panic!("no {label:?} in the main area"))
}

/// Every page, with what must be in view on it: its heading and its primary button.
fn pages() -> Vec<(Screen, StepId, String, &'static str)> {
    let mut pages: Vec<_> = StepId::ALL
        .into_iter()
        .map(|step| {
            let primary = match guide::next(step) {
                Some(_) => "Next step",
                None => "Go to the final checklist",
            };
            (Screen::Step, step, guide::heading(step), primary)
        })
        .collect();
    pages.push((
        Screen::Troubleshooting(None),
        StepId::ALL[0],
        String::from("Troubleshooting"),
        "Troubleshooting",
    ));
    pages.push((
        Screen::FinalChecklist,
        StepId::ALL[0],
        String::from("Final checklist"),
        "Confirm",
    ));
    pages
}

fn show(h: &mut Harness<'static, App>, screen: Screen, step: StepId) {
    h.state_mut().screen = screen;
    h.state_mut().progress.selected_step = step;
    h.run_ok();
}

#[test]
fn every_page_shows_its_heading_and_primary_button_above_the_key_strip() {
    for size in SIZES {
        let mut h = ui::harness(services(), size);
        h.run();
        for with_key in [false, true] {
            if with_key {
                ui::paste_key(&mut h, &key());
            }
            for (screen, step, heading, primary) in pages() {
                show(&mut h, screen, step);
                let what = format!("{heading} (key: {with_key})");
                let (main, _strip) = main_and_strip(&h, size);
                for label in [heading.as_str(), primary] {
                    let rect = in_main(&h, main, label);
                    assert!(
                        rect.min.y >= main.min.y - 0.5
                            && rect.max.y <= main.max.y + 0.5
                            && rect.max.x <= main.max.x + 0.5,
                        "{what} at {size:?}: {label:?} {rect:?} is not whole in {main:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn each_page_opens_at_its_top_after_scrolling_another() {
    let mut h = ui::harness(services(), [800.0, 600.0]);
    h.run();
    let pages = pages();
    for (i, (screen, step, heading, _)) in pages.iter().cloned().enumerate() {
        let (before_screen, before_step, _, _) = pages[(i + pages.len() - 1) % pages.len()].clone();
        show(&mut h, before_screen, before_step);
        // Scroll the page before down as far as it goes, with the mouse over it.
        let (main, _) = main_and_strip(&h, [800.0, 600.0]);
        h.event(egui::Event::PointerMoved(main.center()));
        for _ in 0..10 {
            h.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Page,
                delta: egui::vec2(0.0, -1.0),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            });
            h.run_ok();
        }
        show(&mut h, screen, step);
        let (main, _) = main_and_strip(&h, [800.0, 600.0]);
        let rect = in_main(&h, main, &heading);
        assert!(
            rect.min.y >= main.min.y - 0.5,
            "{heading} opened scrolled: its heading is at {rect:?}, the area at {main:?}"
        );
    }
}

/// Every accessible name and value on the screen.
fn all_text(h: &Harness<'static, App>) -> Vec<String> {
    h.query_all_by(|_| true)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

/// The mechanical wording rules of ARCHITECTURE.md, for one text: what it breaks.
fn broken_rules(text: &str) -> Vec<&'static str> {
    let mut broken = Vec::new();
    for sentence in text.split_inclusive(['.', '?', '!']) {
        if sentence.matches(": ").count() > 1 {
            broken.push("two colons in one sentence");
        }
        if sentence.split_whitespace().count() > MAX_WORDS {
            broken.push("a sentence longer than MAX_WORDS words");
        }
    }
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let internal = word.contains('.')
            && !word.contains('/')
            && word
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        if internal && !word.ends_with(".com") && !word.ends_with(".org") {
            broken.push("an internal identifier");
        }
    }
    if text.contains("api.") && !text.contains("api.openai.com") {
        broken.push("an internal identifier");
    }
    broken
}

/// The longest sentence the window may show.
const MAX_WORDS: usize = 30;

#[test]
fn the_rules_catch_what_they_are_about() {
    assert!(!broken_rules("Images: not checked yet: one test image proves it.").is_empty());
    assert!(!broken_rules("Your key lacks the model.request permission.").is_empty());
    assert!(!broken_rules(&"word ".repeat(MAX_WORDS + 1)).is_empty());
    assert!(broken_rules("Open platform.openai.com: sign in. Then go on: step 2.").is_empty());
}

#[test]
fn every_text_on_every_page_follows_the_wording_rules() {
    let mut failures = Vec::new();
    let mut h = ui::harness(services(), [1024.0, 720.0]);
    h.run();
    for with_key in [false, true] {
        if with_key {
            ui::paste_key(&mut h, &key());
        }
        for (screen, step, heading, _) in pages() {
            show(&mut h, screen, step);
            for text in all_text(&h) {
                for rule in broken_rules(&text) {
                    failures.push(format!("{heading}: {rule}: {text:?}"));
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_step_nobody_has_checked_shows_no_state() {
    let mut h = ui::harness(services(), [1024.0, 720.0]);
    h.run();
    for step in StepId::ALL {
        show(&mut h, Screen::Step, step);
        let said: Vec<String> = all_text(&h)
            .into_iter()
            .filter(|t| t.eq_ignore_ascii_case("not checked"))
            .collect();
        assert!(said.is_empty(), "{}: {said:?}", guide::heading(step));
    }
}

#[test]
fn after_confirm_with_the_keyboard_focus_is_on_copy_key_for_aaai() {
    let mut h = ui::harness(services(), [1024.0, 720.0]);
    h.run();
    ui::paste_key(&mut h, &key());
    for item in aaai_key_setup::core::checklist::ItemId::ALL {
        h.state_mut()
            .progress
            .checklist
            .set(item, aaai_key_setup::core::checklist::Mark::Done);
    }
    h.state_mut().check = aaai_key_setup::app::CheckState::NotYet;
    show(&mut h, Screen::FinalChecklist, StepId::ALL[0]);
    h.get_by_label("Confirm").focus();
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(h.state().progress.checklist.confirmed);
    let focused = h
        .query_by(|n| n.is_focused())
        .and_then(|n| n.accesskit_node().label());
    assert_eq!(focused.as_deref(), Some("Copy key for AAAI"));
}
