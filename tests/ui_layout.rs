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

/// The pane (egui panel) a node is in.
fn pane_id(node: &egui_kittest::kittest::AccessKitNode<'_>) -> Option<String> {
    let mut at = node.parent();
    while let Some(n) = at {
        if n.role() == egui::accesskit::Role::Pane {
            return Some(format!("{:?}", n.id()));
        }
        at = n.parent();
    }
    None
}

/// Which part of the window a node is in, in reading order: the top bar (0), the checklist
/// (1), the page (2), the key strip (3, the pane named "Your key").
fn part_of(h: &Harness<'static, App>, node: &egui_kittest::kittest::AccessKitNode<'_>) -> usize {
    let pane = pane_id(node);
    let pane_of_label = |label: &str| pane_id(&h.get_by_label(label).accesskit_node());
    let strip = h
        .query_by(|n| {
            n.role() == egui::accesskit::Role::Pane && n.label().as_deref() == Some("Your key")
        })
        .map(|n| format!("{:?}", n.accesskit_node().id()));
    if pane == pane_of_label("Steps") {
        0
    } else if pane == pane_of_label("Your checklist") {
        1
    } else if pane.is_some() && pane == strip {
        3
    } else {
        2
    }
}

/// Every focus stop, in the order Tab visits them, starting from nothing focused: its name,
/// its rect and its part of the window. Stops when Tab comes back to the first.
fn tab_cycle(h: &mut Harness<'static, App>) -> Vec<(String, egui::Rect, usize)> {
    let mut stops: Vec<(String, egui::Rect, usize)> = Vec::new();
    for _ in 0..200 {
        h.key_press(egui::Key::Tab);
        h.run_ok();
        let Some(node) = h.query_by(|n| n.is_focused()) else {
            stops.push((String::from("<nothing>"), egui::Rect::NOTHING, 9));
            continue;
        };
        let name = node.accesskit_node().label().unwrap_or_default();
        let rect = node.rect();
        if stops
            .first()
            .is_some_and(|(n, r, _)| *n == name && *r == rect)
        {
            break;
        }
        let part = part_of(h, &node.accesskit_node());
        stops.push((name, rect, part));
    }
    stops
}

/// Every control that can take the keyboard's focus, in reading order: by part of the window
/// (top bar, checklist, page, key strip), and within a part as drawn.
fn reading_order(h: &Harness<'static, App>) -> Vec<(String, egui::Rect)> {
    let mut nodes: Vec<(usize, usize, String, egui::Rect)> = h
        .query_all_by(|n| {
            n.data().supports_action(egui::accesskit::Action::Focus) && !n.is_disabled()
        })
        .enumerate()
        .map(|(i, n)| {
            let rect = n.rect();
            let name = n.accesskit_node().label().unwrap_or_default();
            (part_of(h, &n.accesskit_node()), i, name, rect)
        })
        .collect();
    nodes.sort_by_key(|(part, i, _, _)| (*part, *i));
    nodes
        .into_iter()
        .map(|(_, _, name, rect)| (name, rect))
        .collect()
}

#[test]
fn tab_follows_the_reading_order_and_every_stop_shows() {
    for size in SIZES {
        let mut h = ui::harness(services(), size);
        h.run();
        for (name, with_key, screen, step) in [
            ("first start, step 1", false, Screen::Step, StepId::ALL[0]),
            ("a key, step 2", true, Screen::Step, StepId::ALL[1]),
            (
                "a key, final checklist",
                true,
                Screen::FinalChecklist,
                StepId::ALL[0],
            ),
        ] {
            if with_key && h.state().key.is_none() {
                ui::paste_key(&mut h, &key());
            }
            show(&mut h, screen, step);
            h.state_mut().check = aaai_key_setup::app::CheckState::NotYet;
            h.run_ok();
            // Start from nothing focused.
            h.key_press(egui::Key::Escape);
            h.run_ok();
            let stops = tab_cycle(&mut h);
            let order: Vec<String> = reading_order(&h).into_iter().map(|(n, _)| n).collect();
            let visited: Vec<String> = stops.iter().map(|(n, _, _)| n.clone()).collect();
            assert_eq!(
                visited, order,
                "{name} at {size:?}: Tab's order is not the reading order"
            );
            let parts: Vec<usize> = stops.iter().map(|(_, _, p)| *p).collect();
            assert!(
                parts.windows(2).all(|w| w[0] <= w[1]) && parts.contains(&3),
                "{name} at {size:?}: Tab goes top bar, checklist, page, key strip, not {parts:?}"
            );
            // Where each part's scrolled view ends: the checklist at the key strip, the page at
            // its actions bar ("Next step", "Confirm"), which is outside the scrolled page.
            let (main, strip) = main_and_strip(&h, size);
            let bar = [
                "Previous step",
                "Next step",
                "Go to the final checklist",
                "Confirm",
            ];
            let bar_top = h
                .query_all_by(|n| bar.contains(&n.label().as_deref().unwrap_or_default()))
                .map(|n| n.rect())
                .filter(|r| r.min.x >= main.min.x - 1.0)
                .map(|r| r.min.y)
                .fold(strip.min.y, f32::min);
            for (label, rect, part) in &stops {
                let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size.into());
                let in_bar = *part == 2 && rect.min.y >= bar_top - 1.0;
                let view_bottom = match part {
                    1 => strip.min.y,
                    2 if !in_bar => bar_top - 1.0,
                    _ => size[1],
                };
                assert!(
                    !label.is_empty()
                        && rect.width() >= 8.0
                        && rect.height() >= 8.0
                        && window.contains_rect(*rect)
                        && rect.max.y <= view_bottom + 0.5,
                    "{name} at {size:?}: a focus stop that does not show: {label:?} {rect:?} \
                     (its view ends at y {view_bottom})"
                );
            }
        }
    }
}

/// Press Tab until the focused control is named `label`; returns how many presses it took, and
/// how many it should take at most: how far `label` is from the focused control in reading
/// order.
fn tab_to_counted(h: &mut Harness<'static, App>, label: &str) -> (usize, usize) {
    let order = reading_order(h);
    let focused = h
        .query_by(|n| n.is_focused())
        .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()));
    let from = focused
        .as_ref()
        .and_then(|f| order.iter().position(|(n, r)| (n, r) == (&f.0, &f.1)));
    let to = order
        .iter()
        .position(|(n, _)| n == label)
        .unwrap_or_else(|| panic!("{label:?} is not a focus stop"));
    let bound = match from {
        Some(from) => (to + order.len() - from) % order.len(),
        None => to + 1,
    };
    for presses in 0..200 {
        if h.query_by(|n| n.is_focused())
            .is_some_and(|n| n.accesskit_node().label().as_deref() == Some(label))
        {
            return (presses, bound);
        }
        h.key_press(egui::Key::Tab);
        h.run_ok();
    }
    panic!("Tab never reached {label:?}");
}

#[test]
fn keyboard_only_from_the_first_start_to_copy_key_for_aaai_takes_no_extra_tab() {
    let size = [800.0, 600.0];
    let mut h = ui::harness(services(), size);
    h.run();
    let mut total = 0;
    let mut hop = |h: &mut Harness<'static, App>, label: &str| {
        let (presses, bound) = tab_to_counted(h, label);
        assert!(
            presses <= bound,
            "{presses} Tab presses to {label:?}, where reading order has it {bound} away"
        );
        total += presses;
    };
    hop(&mut h, "Or paste your key here:");
    h.event(egui::Event::Text(key()));
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    ui::step_until(&mut h, |app| {
        app.key.is_some() && !matches!(app.check, aaai_key_setup::app::CheckState::Running { .. })
    });
    for item in aaai_key_setup::core::checklist::ItemId::ALL {
        let mark = h.state().progress.checklist.mark(item);
        if mark != aaai_key_setup::core::checklist::Mark::NotYet {
            continue;
        }
        hop(&mut h, item.label());
        h.key_press(egui::Key::Space);
        h.run_ok();
    }
    hop(&mut h, "Go to the final checklist");
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert_eq!(h.state().screen, Screen::FinalChecklist);
    hop(&mut h, "Confirm");
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(h.state().progress.checklist.confirmed);
    // Focus is already on "Copy key for AAAI": no Tab at all.
    hop(&mut h, "Copy key for AAAI");
    eprintln!("{total} Tab presses from the first start to \"Copy key for AAAI\"");
}

/// The texts in the key strip, each with its rect.
fn strip_texts(h: &Harness<'static, App>) -> Vec<(String, egui::Rect)> {
    let strip = h.get_by(|n| {
        n.role() == egui::accesskit::Role::Pane && n.label().as_deref() == Some("Your key")
    });
    strip
        .children_recursive()
        .filter(|n| n.accesskit_node().role() == egui::accesskit::Role::Label)
        .filter_map(|n| n.accesskit_node().value().map(|v| (v, n.rect())))
        .collect()
}

/// Breaks of "one sentence per line" in the key strip: a text of two sentences, or two
/// sentences side by side on one line.
fn sentence_breaks(texts: &[(String, egui::Rect)]) -> Vec<String> {
    use aaai_key_setup::core::sentences::sentences;
    let mut broken = Vec::new();
    let ends = |t: &str| t.trim_end().ends_with(['.', '?', '!', '…']);
    for (i, (text, rect)) in texts.iter().enumerate() {
        if sentences(text).len() > 1 {
            broken.push(format!("two sentences in one text: {text:?}"));
        }
        for (other, r) in &texts[i + 1..] {
            let same_line = rect.y_range().intersects(r.y_range())
                && (rect.center().y - r.center().y).abs() < rect.height().min(r.height()) / 2.0;
            if same_line && ends(text) && ends(other) {
                broken.push(format!("two sentences on one line: {text:?} and {other:?}"));
            }
        }
    }
    broken
}

#[test]
fn the_key_strip_says_one_sentence_per_line() {
    use aaai_key_setup::app::{CheckState, OfferedKey, VaultState};
    let mut h = ui::harness(services(), [800.0, 600.0]);
    h.run();
    let mut failures = Vec::new();
    let mut look = |h: &mut Harness<'static, App>, what: &str| {
        h.run_ok();
        for b in sentence_breaks(&strip_texts(h)) {
            failures.push(format!("{what}: {b}"));
        }
    };
    look(&mut h, "no key");
    h.state_mut().vault = VaultState::Failed(String::from(
        "The keyring is locked. Unlock it and try again.",
    ));
    look(&mut h, "no key, the keyring failed");
    ui::paste_key(&mut h, &key());
    ui::step_until(&mut h, |app| {
        !matches!(app.check, CheckState::Running { .. })
    });
    look(&mut h, "a key, the check could not reach OpenAI");
    h.state_mut().check = CheckState::Cancelled;
    look(&mut h, "a key, the check cancelled");
    h.state_mut().check = CheckState::NotYet;
    h.state_mut().confirm_replace = true;
    look(&mut h, "a key, replace asked");
    h.state_mut().confirm_replace = false;
    let other = keys::made_up("sk-proj-", &keys::chars(70, 91), &keys::chars(71, 92));
    let offered = match aaai_key_setup::core::key::scan(&other).result {
        aaai_key_setup::core::key::Recognition::Key(k) => k,
        _ => panic!("the made-up key is not recognised"),
    };
    h.state_mut().offered = Some(OfferedKey {
        key: offered,
        source: aaai_key_setup::app::KeySource::Clipboard,
    });
    look(&mut h, "a key, a new key offered");
    h.state_mut().offered = None;
    h.state_mut().vault = VaultState::Failed(String::from(
        "The keyring did not answer. Try again, or go on without saving.",
    ));
    look(&mut h, "a key, the keyring failed");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_sentence_rule_catches_what_it_is_about() {
    let r = |y: f32, x: f32| egui::Rect::from_min_size(egui::pos2(x, y), egui::vec2(100.0, 20.0));
    let t = |s: &str, rect| (s.to_owned(), rect);
    assert_eq!(sentence_breaks(&[t("One. Two.", r(0.0, 0.0))]).len(), 1);
    assert_eq!(
        sentence_breaks(&[t("One.", r(0.0, 0.0)), t("Two.", r(0.0, 120.0))]).len(),
        1
    );
    assert!(sentence_breaks(&[t("One.", r(0.0, 0.0)), t("Two.", r(24.0, 0.0))]).is_empty());
    assert!(sentence_breaks(&[t("Your key:", r(0.0, 0.0)), t("Two.", r(0.0, 120.0))]).is_empty());
}
