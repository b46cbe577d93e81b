//! Headless UI tests with egui_kittest: the real app, driven through its accessible labels.

#[path = "support/fakes.rs"]
mod fakes;

use std::cell::RefCell;
use std::rc::Rc;

use aaai_key_setup::adapters::browser::{Browser, BrowserError};
use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, Screen};
use aaai_key_setup::core::checklist::{ItemId, Mark};
use aaai_key_setup::core::guide;
use aaai_key_setup::core::verdict::{StepId, StepState};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

/// A browser that records what it was asked to open, and can be told to fail.
#[derive(Clone, Default)]
struct FakeBrowser {
    opened: Rc<RefCell<Vec<String>>>,
    fail: bool,
}

impl Browser for FakeBrowser {
    fn open(&mut self, url: &str) -> Result<(), BrowserError> {
        if self.fail {
            return Err(BrowserError(String::from("no browser here")));
        }
        self.opened.borrow_mut().push(url.to_owned());
        Ok(())
    }
}

fn harness_with(
    store: ProgressStore,
    browser: FakeBrowser,
    size: [f32; 2],
) -> Harness<'static, App> {
    Harness::builder()
        .with_size(size)
        .with_max_steps(16)
        .build_eframe(move |cc| {
            App::new(
                cc,
                fakes::services(Box::new(browser), store, fakes::FakeClipboard::default()),
            )
        })
}

fn harness(dir: &tempfile::TempDir) -> (Harness<'static, App>, FakeBrowser) {
    let browser = FakeBrowser::default();
    let h = harness_with(
        ProgressStore::at(dir.path().join("progress.json")),
        browser.clone(),
        [1280.0, 800.0],
    );
    (h, browser)
}

#[test]
fn navigate_steps_with_the_checklist_and_next_buttons() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, _) = harness(&dir);
    h.run();
    h.get_by_label("Step 1: Create an account or sign in");
    h.get_by_label("3. Set up billing and a spend limit, not checked")
        .click();
    h.run();
    assert_eq!(h.state().progress.selected_step, StepId::Billing);
    h.get_by_label("Step 3: Set up billing and a spend limit");
    h.get_by_label("Next step").click();
    h.run();
    assert_eq!(h.state().progress.selected_step, StepId::Verification);
    h.get_by_label("Previous step").click();
    h.run();
    assert_eq!(h.state().progress.selected_step, StepId::Billing);
}

#[test]
fn link_buttons_open_the_guides_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, browser) = harness(&dir);
    h.run();
    for (step, label) in [
        (
            "1. Create an account or sign in, not checked",
            "Open the OpenAI platform",
        ),
        (
            "2. Create your secret key, not checked",
            "Open the API keys page",
        ),
        (
            "3. Set up billing and a spend limit, not checked",
            "Open billing",
        ),
        (
            "4. Verify your organization for images, not checked",
            "Open organization settings",
        ),
    ] {
        h.get_by_label(step).click();
        h.run();
        h.get_by_label(label).click();
        h.run();
    }
    assert_eq!(
        *browser.opened.borrow(),
        vec![
            guide::PLATFORM_HOME,
            guide::API_KEYS,
            guide::BILLING,
            guide::ORG_GENERAL
        ]
    );
}

#[test]
fn a_browser_failure_shows_the_address_with_a_copy_button() {
    let dir = tempfile::tempdir().expect("tempdir");
    let browser = FakeBrowser {
        fail: true,
        ..FakeBrowser::default()
    };
    let mut h = harness_with(
        ProgressStore::at(dir.path().join("p.json")),
        browser,
        [1280.0, 800.0],
    );
    h.run();
    h.get_by_label("Open the OpenAI platform").click();
    h.run();
    h.get_by_label(guide::PLATFORM_HOME);
    h.get_by_label("Copy address").click();
    h.run();
    assert_eq!(
        h.state().copied.as_ref().map(|(text, _)| text.as_str()),
        Some(guide::PLATFORM_HOME)
    );
}

#[test]
fn tick_and_untick_items() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, _) = harness(&dir);
    h.run();
    h.get_by_label(ItemId::SignedIn.label()).click();
    h.run();
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::SignedIn),
        Mark::Done
    );
    h.get_by_label("Not needed: I belong to only one organization")
        .click();
    h.run();
    assert_eq!(
        h.state().progress.checklist.step_state(StepId::Account),
        StepState::Done
    );
    h.get_by_label(ItemId::SignedIn.label()).click();
    h.run();
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::SignedIn),
        Mark::NotYet
    );
}

#[test]
fn keyboard_only_ticks_an_item() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, _) = harness(&dir);
    h.run();
    h.get_by_label(ItemId::SignedIn.label()).focus();
    h.run();
    h.key_press(egui::Key::Space);
    h.run();
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::SignedIn),
        Mark::Done
    );
    // Tab moves focus on to the next control, and Space works there too.
    h.key_press(egui::Key::Tab);
    h.run();
    h.key_press(egui::Key::Space);
    h.run();
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::RightOrganization),
        Mark::Done
    );
}

#[test]
fn troubleshooting_is_linked_from_its_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, _) = harness(&dir);
    h.run();
    h.get_by_label("3. Set up billing and a spend limit, not checked")
        .click();
    h.run();
    h.get_by_label_contains("Stuck? I get \"quota\"").click();
    h.run();
    assert_eq!(
        h.state().screen,
        Screen::Troubleshooting(Some(guide::TroubleId::Quota))
    );
    h.get_by_label("Back to step 2").click();
    h.run();
    assert_eq!(h.state().progress.selected_step, StepId::Key);
}

#[test]
fn confirm_only_when_allowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut h, _) = harness(&dir);
    h.run();
    h.get_by_label("Final checklist").click();
    h.run();
    assert_eq!(h.state().screen, Screen::FinalChecklist);
    let confirm = h.get_by_label("Confirm");
    assert!(confirm.accesskit_node().is_disabled());
    confirm.click();
    h.run();
    assert!(!h.state().progress.checklist.confirmed);

    for item in ItemId::ALL {
        if item.optional_because().is_none() {
            h.get_by_label(item.label()).click();
            h.run();
        }
    }
    h.get_by_label("Not needed: I belong to only one organization")
        .click();
    h.run();
    h.get_by_label("Not needed: my organization pays by card")
        .click();
    h.run();
    // Step 4 is never assumed: the user chooses it.
    assert!(h.get_by_label("Confirm").accesskit_node().is_disabled());
    h.get_by_label("Not needed: I won't use AAAI's images")
        .click();
    h.run();
    let confirm = h.get_by_label("Confirm");
    assert!(!confirm.accesskit_node().is_disabled());
    confirm.click();
    h.run();
    assert!(h.state().progress.checklist.confirmed);
    // No key here: "all set" follows the key, so the hand-off waits for one.
    h.get_by_label_contains("Your checklist is confirmed");
}

#[test]
fn progress_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (mut h, _) = harness(&dir);
        h.run();
        h.get_by_label(ItemId::PaymentMethod.label()).click();
        h.get_by_label("2. Create your secret key, not checked")
            .click();
        h.run();
    }
    let (mut h, _) = harness(&dir);
    h.run();
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::PaymentMethod),
        Mark::Done
    );
    assert_eq!(h.state().progress.selected_step, StepId::Key);
    assert!(h.state().notice.is_none());
}

#[test]
fn a_corrupt_save_starts_fresh_with_a_notice() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("progress.json"), "not json at all").expect("write");
    let (mut h, _) = harness(&dir);
    h.run();
    h.get_by_label_contains("Your saved progress was damaged");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().notice.is_none());
}

#[test]
fn small_window_still_shows_every_step_and_the_key_pane() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_with(
        ProgressStore::at(dir.path().join("p.json")),
        FakeBrowser::default(),
        [800.0, 600.0],
    );
    // Many frames: a panel whose content asks for more room would keep growing.
    h.run_steps(30);
    for step in guide::STEPS {
        let n = StepId::ALL
            .iter()
            .position(|s| *s == step.id)
            .expect("step")
            + 1;
        let label = format!("{n}. {}, not checked", step.title);
        let node = h.get_by_label(&label);
        let rect = node.rect();
        assert!(rect.max.x <= 800.0, "{} clipped: {rect:?}", step.title);
    }
    let pane = h.get_by_label("Your key:").rect();
    assert!(pane.max.y <= 600.0 && pane.min.y > 300.0, "{pane:?}");
}
