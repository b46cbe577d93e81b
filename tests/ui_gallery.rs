//! Every gallery screen in view (issue 19), headless with egui_kittest: the screenshot
//! gallery's scenes (`tests/support/gallery_scenes.rs`), run in order against the gallery's
//! own loopback server, at 800×600 and at 1024×720. Once a scene has settled, its heading and
//! its primary button are whole in view where they live (the main area between the top bar and
//! the key strip, right of the checklist and not scrolled out of its scroll area; the key
//! strip; or the close prompt), and nothing of the main area is under the key strip.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/gallery_scenes.rs"]
mod gallery_scenes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/ui.rs"]
mod ui;

use std::time::{Duration, Instant};

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::App;
use aaai_key_setup::core::i18n::{self, Lang};
use aaai_key_setup::core::key::{self, Recognition};
use egui::accesskit::Role;
use egui::{Rangef, Rect};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use egui_kittest::{Harness, Node};
use gallery_scenes::{InView, Place, SCENES, Scene};

/// Layout rounding.
const SLACK: f32 = 0.5;

/// `text` as the window shows it in `lang` (kept for the test's life: the queries borrow it).
fn t(lang: Lang, text: &str) -> &'static str {
    Box::leak(i18n::catalog(lang).translate(text).text.into_boxed_str())
}

/// The key strip: the pane around its "Your key:" label, which it shows with a key and
/// without. The one place that knows how to find the strip.
fn strip_pane<'t>(h: &'t Harness<'static, App>, lang: Lang) -> Option<Node<'t>> {
    pane_around(h, t(lang, "Your key:"))
}

/// The pane (an egui panel) around the first node named `label`.
fn pane_around<'t>(h: &'t Harness<'static, App>, label: &'t str) -> Option<Node<'t>> {
    let mut node = h.query_all_by_label(label).next()?;
    loop {
        node = node.parent()?;
        if node.accesskit_node().role() == Role::Pane {
            return Some(node);
        }
    }
}

/// The nearest pane or dialog around a node.
fn container_role(node: &Node<'_>) -> Option<Role> {
    let mut node = node.parent()?;
    loop {
        let role = node.accesskit_node().role();
        if matches!(role, Role::Pane | Role::Dialog) {
            return Some(role);
        }
        node = node.parent()?;
    }
}

fn has_rect(node: &Node<'_>) -> bool {
    node.accesskit_node().bounding_box().is_some()
}

/// What a pane shows: the union of every rect in it (panes themselves carry none).
fn content(pane: &Node<'_>) -> Rect {
    pane.children_recursive()
        .filter(has_rect)
        .fold(Rect::NOTHING, |all, n| all.union(n.rect()))
}

fn same(a: &Node<'_>, b: &Node<'_>) -> bool {
    a.accesskit_node().id() == b.accesskit_node().id()
}

/// Where things are on the screen, found through accesskit.
struct Layout<'t> {
    lang: Lang,
    window: Rect,
    /// The bottom of the top bar.
    top: f32,
    /// The part of the window between the top bar and the key strip, right of the checklist.
    main: Rect,
    /// What the key strip shows.
    strip: Rect,
    main_pane: Node<'t>,
    strip_pane: Node<'t>,
    /// Each scroll area of the main area that scrolls: its content, and the heights it shows
    /// (those of its scroll bar).
    scrolled: Vec<(Node<'t>, Rangef)>,
}

impl<'t> Layout<'t> {
    fn of(h: &'t Harness<'static, App>, size: [f32; 2], lang: Lang) -> Result<Self, String> {
        let window = Rect::from_min_size(egui::Pos2::ZERO, size.into());
        let strip_pane = strip_pane(h, lang).ok_or("no key strip")?;
        let top_pane = pane_around(h, t(lang, "Steps")).ok_or("no top bar")?;
        let checklist_pane = pane_around(h, t(lang, "Your checklist")).ok_or("no checklist")?;
        // The central panel: the one other pane that shows something.
        let mut others = h.query_all_by(|n| n.role() == Role::Pane).filter(|p| {
            ![&strip_pane, &top_pane, &checklist_pane]
                .into_iter()
                .any(|known| same(p, known))
                && p.children_recursive().any(|n| has_rect(&n))
        });
        let main_pane = others.next().ok_or("no main area")?;
        if others.next().is_some() {
            return Err(String::from("more than one main area"));
        }
        let strip = content(&strip_pane);
        let top = content(&top_pane).max.y;
        let main = Rect::from_min_max(
            egui::pos2(content(&checklist_pane).max.x, top),
            egui::pos2(window.max.x, strip.min.y.min(window.max.y)),
        );
        // A scroll area's bar comes right after its content, in the same parent.
        let scrolled = main_pane
            .query_all_by(|n| n.role() == Role::ScrollBar)
            .filter_map(|bar| {
                let content = bar.accesskit_node().preceding_siblings().next()?;
                Some((bar.new_related(content), bar.rect().y_range()))
            })
            .collect();
        Ok(Self {
            lang,
            window,
            top,
            main,
            strip,
            main_pane,
            strip_pane,
            scrolled,
        })
    }

    /// The heights the scroll areas around a main-area node show (None outside any).
    fn scroll_shows(&self, node: &Node<'_>) -> Option<Rangef> {
        self.scrolled
            .iter()
            .filter(|(content, _)| {
                node.accesskit_node()
                    .is_descendant_of(&content.accesskit_node())
            })
            .map(|(_, shown)| *shown)
            .reduce(|a, b| a.intersection(b))
    }

    /// The part of a main-area node its scroll areas show (empty when scrolled away).
    fn unscrolled(&self, node: &Node<'_>) -> Rect {
        let mut rect = node.rect();
        if let Some(shown) = self.scroll_shows(node) {
            rect.min.y = rect.min.y.max(shown.min);
            rect.max.y = rect.max.y.min(shown.max);
        }
        rect
    }

    /// The first node named `thing.text` in its place.
    fn find(&self, h: &'t Harness<'static, App>, thing: InView) -> Option<Node<'t>> {
        let named = |n: &Node<'_>| n.accesskit_node().role() != Role::TextRun && has_rect(n);
        let text = t(self.lang, thing.text);
        match thing.place {
            Place::Main => self.main_pane.query_all_by_label(text).find(named),
            Place::Strip => self.strip_pane.query_all_by_label(text).find(named),
            Place::Prompt => h
                .query_all_by_label(text)
                .filter(named)
                .find(|n| container_role(n) == Some(Role::Dialog)),
        }
    }

    /// Why `node`, living in `place`, is not whole in view (None when it is).
    fn hidden(&self, node: &Node<'_>, place: Place) -> Option<String> {
        let rect = node.rect();
        let area = match place {
            Place::Main => self.main,
            // Below the top bar, inside the window (and not under the main area: `covered`).
            Place::Strip => Rect::from_min_max(egui::pos2(0.0, self.top), self.window.max),
            Place::Prompt => self.window,
        };
        if !area.expand(SLACK).contains_rect(rect) {
            return Some(format!(
                "at {rect:?}, not whole in the {} {area:?}",
                place_name(place)
            ));
        }
        match self.scroll_shows(node).filter(|_| place == Place::Main) {
            Some(shown) if shown.min > rect.min.y + SLACK || shown.max < rect.max.y - SLACK => {
                Some(format!(
                    "at {rect:?}, scrolled out of view: its scroll area shows y {:.0} to {:.0}",
                    shown.min, shown.max
                ))
            }
            _ => None,
        }
    }

    /// Every node of the main area that shows under the key strip.
    fn covered(&self) -> Vec<String> {
        let strip = self.strip.shrink(SLACK);
        self.main_pane
            .children_recursive()
            .filter(|n| has_rect(n) && n.accesskit_node().role() != Role::TextRun)
            .filter_map(|n| {
                let shown = self.unscrolled(&n);
                (shown.min.y < shown.max.y && shown.intersects(strip)).then(|| {
                    let node = n.accesskit_node();
                    let name = node.label().or_else(|| node.value()).unwrap_or_default();
                    format!("{:?} {:?} at {shown:?}", node.role(), said(&name))
                })
            })
            .collect()
    }
}

fn place_name(place: Place) -> &'static str {
    match place {
        Place::Main => "main area",
        Place::Strip => "key strip",
        Place::Prompt => "close prompt",
    }
}

/// A text as a failure message may say it: never one that holds anything key-like.
fn said(text: &str) -> String {
    match key::scan(text).result {
        Recognition::Nothing => text.to_owned(),
        _ => String::from("(a text with something key-like in it)"),
    }
}

/// Set the scene up and step frames, with real time passing for the check's thread, until it
/// has settled for as many frames as the gallery waits before its picture.
fn settle(h: &mut Harness<'static, App>, scene: &Scene, at: &str) {
    (scene.setup)(h.state_mut());
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut settled_frames = 0;
    while settled_frames <= 8 {
        assert!(Instant::now() < deadline, "{at}: never settled");
        h.step();
        if (scene.settled)(h.state_mut()) {
            settled_frames += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What is wrong with the settled scene: its heading or primary button not whole in view,
/// or something of the main area under the key strip.
fn check(
    h: &Harness<'static, App>,
    scene: &Scene,
    size: [f32; 2],
    lang: Lang,
    at: &str,
) -> Vec<String> {
    let layout = match Layout::of(h, size, lang) {
        Ok(layout) => layout,
        Err(why) => return vec![format!("{at}: {why}")],
    };
    let mut failures = Vec::new();
    for (what, thing) in [
        ("heading", scene.heading),
        ("primary button", scene.primary),
    ] {
        let Some(node) = layout.find(h, thing) else {
            failures.push(format!(
                "{at}: the {what} {:?} is not in the {}",
                thing.text,
                place_name(thing.place)
            ));
            continue;
        };
        if let Some(why) = layout.hidden(&node, thing.place) {
            failures.push(format!("{at}: the {what} {:?} is {why}", thing.text));
        }
        // The page's heading is the first thing in its scroll area: when the main area
        // scrolls and the heading is not seen inside, scrolling is not understood here.
        if what == "heading"
            && thing.place == Place::Main
            && !layout.scrolled.is_empty()
            && layout.scroll_shows(&node).is_none()
        {
            failures.push(format!(
                "{at}: the main area scrolls, but its heading is not found in what scrolls"
            ));
        }
    }
    let covered = layout.covered();
    if !covered.is_empty() {
        failures.push(format!(
            "{at}: {} of the main area under the key strip at {:?}: {}",
            covered.len(),
            layout.strip,
            covered.join("; ")
        ));
    }
    failures
}

/// Every accessible name and value on the screen (not the wrapped lines' pieces).
fn all_text(h: &Harness<'static, App>) -> Vec<String> {
    h.query_all_by(|n| n.role() != Role::TextRun)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

/// Names that are the same in every language: OpenAI's own page and button names, the brand,
/// and what is not words (the masked key, addresses, numbers).
fn same_in_every_language(text: &str) -> bool {
    const NAMES: [&str; 6] = [
        "AAAI",
        "AAAI Key Setup",
        "OpenAI",
        "English",
        "Italiano",
        "日本語",
    ];
    NAMES.contains(&text) || text == "简体中文" || i18n::is_verbatim(text)
}

/// What of the window is still English in `lang`: the texts the catalogue has no
/// translation for, and any shown text that is an English text the catalogue translates.
fn english_left(h: &Harness<'static, App>, lang: Lang, at: &str) -> Vec<String> {
    let catalog = i18n::catalog(lang);
    let mut left: Vec<String> = aaai_key_setup::app::untranslated(&h.ctx)
        .into_iter()
        .map(|text| format!("{at}: no {} for {:?}", lang.tag(), said(&text)))
        .collect();
    for text in all_text(h) {
        let again = catalog.translate(&text);
        if again.missed.is_empty() && again.text != text && !same_in_every_language(&text) {
            left.push(format!("{at}: shown in English: {:?}", said(&text)));
        }
    }
    left
}

/// Every scene in order at one size, in one language; every failure, each naming its scene,
/// the size and the language. In a language other than English, nothing may be left English.
fn every_scene_in_view(size: [f32; 2], lang: Lang) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(gallery_scenes::server());
    let dir = tempfile::tempdir().expect("tempdir");
    let store = ProgressStore::at(dir.path().join("progress.json"));
    let mut services = gallery_scenes::services(&server, store);
    services.locales = vec![lang.tag().to_owned()];
    let mut h = ui::harness(services, size);
    h.run_ok();
    assert_eq!(
        h.state().lang,
        lang,
        "the window did not take the system's language"
    );
    let mut failures = Vec::new();
    for scene in SCENES {
        let at = format!(
            "{} at {}×{} in {}",
            scene.name,
            size[0],
            size[1],
            lang.tag()
        );
        settle(&mut h, scene, &at);
        failures.extend(check(&h, scene, size, lang, &at));
        if lang != Lang::En {
            failures.extend(english_left(&h, lang, &at));
        }
    }
    failures.dedup();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_gallery_screen_is_in_view_at_800_by_600() {
    every_scene_in_view([800.0, 600.0], Lang::En);
}

#[test]
fn every_gallery_screen_is_in_view_at_1024_by_720() {
    every_scene_in_view([1024.0, 720.0], Lang::En);
}

#[test]
fn every_gallery_screen_is_in_view_and_in_italian_at_800_by_600() {
    every_scene_in_view([800.0, 600.0], Lang::It);
}

#[test]
fn every_gallery_screen_is_in_view_and_in_simplified_chinese_at_800_by_600() {
    every_scene_in_view([800.0, 600.0], Lang::ZhHans);
}

#[test]
fn every_gallery_screen_is_in_view_and_in_japanese_at_800_by_600() {
    every_scene_in_view([800.0, 600.0], Lang::Ja);
}
