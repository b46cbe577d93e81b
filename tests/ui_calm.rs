//! A calm window (issue 13) and a checklist that tells the truth (issue 9), headless with
//! egui_kittest: one status per screen, findings with one fix, check on capture, transient
//! messages, the hand-off in view at 800×600, keyboard only, and what screen readers hear.

#[path = "support/fakes.rs"]
mod fakes;
#[path = "support/keys.rs"]
mod keys;
#[path = "support/ui.rs"]
mod ui;

use ui::{key_menu, paste_key, paste_key_and_go_on, step_until};

use std::sync::Arc;
use std::time::Duration;

use aaai_key_setup::adapters::browser::{Browser, BrowserError};
use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, CheckState, Screen, Services};
use aaai_key_setup::core::checklist::{ItemId, Mark};
use aaai_key_setup::core::status;
use aaai_key_setup::core::verdict::StepId;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn project_key(seed: u64) -> String {
    keys::made_up(
        "sk-proj-",
        &keys::chars(74, seed),
        &keys::chars(74, seed + 1),
    )
}

struct FailingBrowser;

impl Browser for FailingBrowser {
    fn open(&mut self, _url: &str) -> Result<(), BrowserError> {
        Err(BrowserError(String::from("no browser here")))
    }
}

fn services(clipboard: fakes::FakeClipboard) -> Services {
    fakes::services(
        Box::new(aaai_key_setup::adapters::browser::SystemBrowser),
        ProgressStore::none(),
        clipboard,
    )
}

fn error(message: &str, kind: &str, code: &str) -> serde_json::Value {
    json!({"error": {"message": message, "type": kind, "param": null, "code": code}})
}

fn credit_ok() -> ResponseTemplate {
    ResponseTemplate::new(400)
        .insert_header("openai-organization", "acme-publishing")
        .set_body_json(json!({"error": {"message": "Invalid 'max_tokens'",
            "type": "invalid_request_error", "param": "max_tokens",
            "code": "integer_below_min_value"}}))
}

fn me() -> serde_json::Value {
    json!({"object": "user", "id": "user-1", "orgs": {"object": "list", "data": [
        {"object": "organization", "id": "org-AAA", "name": "acme-publishing",
         "title": "Acme Publishing", "personal": false, "is_default": true, "role": "owner"}]}})
}

/// The scenarios the window must show without contradicting itself.
#[derive(Clone, Copy, Debug)]
enum Scenario {
    Ready,
    NoCredit,
    InvalidKey,
    VerificationRequired,
    Unreachable,
}

async fn server_for(scenario: Scenario) -> MockServer {
    let server = MockServer::start().await;
    let models = json!({"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]});
    match scenario {
        Scenario::InvalidKey => {
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(401).set_body_json(error(
                    "Incorrect API key provided.",
                    "invalid_request_error",
                    "invalid_api_key",
                )))
                .mount(&server)
                .await;
        }
        Scenario::Unreachable => {
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
                .mount(&server)
                .await;
        }
        _ => {
            Mock::given(method("GET"))
                .and(path("/v1/models"))
                .respond_with(
                    ResponseTemplate::new(200)
                        .insert_header("openai-organization", "acme-publishing")
                        .set_body_json(&models),
                )
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .and(path("/v1/me"))
                .respond_with(ResponseTemplate::new(200).set_body_json(me()))
                .mount(&server)
                .await;
            // The free image evidence: a request that cannot make an image (its size is
            // refused). An unverified organization hears "must be verified" first.
            let images = if matches!(scenario, Scenario::VerificationRequired) {
                ResponseTemplate::new(403).set_body_json(json!({"error": {
                    "message": "Your organization must be verified to use the model \
                                `gpt-image-1-mini`. Please go to: \
                                https://platform.openai.com/settings/organization/general and \
                                click on Verify Organization. If you just verified, it can take \
                                up to 15 minutes for access to propagate.",
                    "type": "invalid_request_error", "param": null, "code": null}}))
            } else {
                ResponseTemplate::new(400).set_body_json(json!({"error": {
                    "message": "Invalid value: '1x1'. Supported values are: '1024x1024', \
                                '1024x1536', '1536x1024', and 'auto'.",
                    "type": "invalid_request_error", "param": "size",
                    "code": "invalid_value"}}))
            };
            Mock::given(method("POST"))
                .and(path("/v1/images/generations"))
                .respond_with(images)
                .mount(&server)
                .await;
            let credit = match scenario {
                Scenario::NoCredit => ResponseTemplate::new(429).set_body_json(error(
                    "You exceeded your current quota, please check your plan and billing details.",
                    "insufficient_quota",
                    "insufficient_quota",
                )),
                _ => credit_ok(),
            };
            Mock::given(method("POST"))
                .and(path("/v1/chat/completions"))
                .respond_with(credit)
                .mount(&server)
                .await;
        }
    }
    server
}

/// The loopback server and the runtime it lives on.
struct Server {
    rt: tokio::runtime::Runtime,
    server: MockServer,
}

impl Server {
    fn requests(&self) -> Vec<wiremock::Request> {
        self.rt
            .block_on(self.server.received_requests())
            .unwrap_or_default()
    }
}

/// Every accessible name and value in the window.
fn all_text(h: &Harness<'static, App>) -> Vec<String> {
    h.query_all_by(|_| true)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

/// The screens to look at: the four steps and the final checklist.
fn visit_every_screen(h: &mut Harness<'static, App>, mut look: impl FnMut(&Harness<'static, App>)) {
    for step in StepId::ALL {
        h.state_mut().screen = Screen::Step;
        h.state_mut().progress.selected_step = step;
        h.run_ok();
        look(h);
    }
    h.state_mut().screen = Screen::FinalChecklist;
    h.run_ok();
    look(h);
}

/// The app with a key pasted and the free check (which starts by itself) finished.
fn checked(scenario: Scenario, size: [f32; 2]) -> (Harness<'static, App>, Server, String) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(server_for(scenario));
    let key = project_key(61);
    let mut s = services(fakes::FakeClipboard::default());
    s.check_config.base_url = format!("{}/v1", server.uri());
    s.check_config.timeout_secs = 2;
    let mut h = ui::harness(s, size);
    h.run();
    paste_key(&mut h, &key);
    (h, Server { rt, server }, key)
}

#[test]
fn no_two_statuses_contradict_on_any_screen_in_any_check_result() {
    for scenario in [
        Scenario::Ready,
        Scenario::NoCredit,
        Scenario::InvalidKey,
        Scenario::VerificationRequired,
        Scenario::Unreachable,
    ] {
        let (mut h, _server, key) = checked(scenario, [1024.0, 720.0]);
        let report = h.state().report().cloned();
        let confirmable = status::can_confirm(&h.state().progress.checklist, report.as_ref());
        let finding_step = report.as_ref().and_then(status::step_of);
        let verdict_ok = report.as_ref().is_some_and(|r| r.verdict.exit_code() == 0);
        visit_every_screen(&mut h, |h| {
            let texts = all_text(h);
            let all_set = texts.iter().any(|t| t.to_lowercase().contains("all set"));
            assert!(
                !all_set || confirmable,
                "{scenario:?}: 'all set' while the final checklist cannot be confirmed: {texts:?}"
            );
            // A step the check found wanting never reads as done, anywhere.
            if let Some(step) = finding_step.filter(|_| !verdict_ok) {
                let n = aaai_key_setup::core::guide::number(step);
                let title = aaai_key_setup::core::guide::step(step).title;
                let panel = format!("{n}. {title}, done");
                assert!(
                    !texts.contains(&panel),
                    "{scenario:?}: step {n} reads as done next to a finding in it"
                );
            }
            // The window never shows the key, nor a 16-character run of it.
            for text in &texts {
                for start in 0..=key.len() - 16 {
                    assert!(
                        !text.contains(&key[start..start + 16]),
                        "{scenario:?}: the window shows part of the key"
                    );
                }
            }
            // Problems never look done: a red or amber message is not also "All set".
            if texts.iter().any(|t| t.starts_with("Problem:")) {
                assert!(!all_set);
            }
        });
        // One fix button per problem: a page is offered at most once on a step.
        for step in StepId::ALL {
            h.state_mut().screen = Screen::Step;
            h.state_mut().progress.selected_step = step;
            h.run_ok();
            for label in [
                "Open billing",
                "Open organization settings",
                "Open the API keys page",
                "Open the OpenAI platform",
                "Open the page that fixes this",
            ] {
                assert!(
                    h.query_all_by_label(label).count() <= 1,
                    "{scenario:?}: '{label}' offered twice on step {step:?}"
                );
            }
        }
    }
}

#[test]
fn a_ready_check_with_images_unknown_offers_the_image_test_with_its_cost() {
    let (mut h, server, _) = checked(Scenario::Ready, [1024.0, 720.0]);
    h.state_mut().progress.selected_step = StepId::Verification;
    h.run_ok();
    h.get_by_label_contains("Images: not checked");
    h.get_by_label("Make one test image with gpt-image-2 (about half a cent)");
    // Credit evidence ticked the credit item and "signed in"; nothing paid was sent.
    let checklist = &h.state().progress.checklist;
    assert_eq!(checklist.mark(ItemId::Credits), Mark::Done);
    assert_eq!(checklist.mark(ItemId::PaymentMethod), Mark::Done);
    assert_eq!(checklist.mark(ItemId::SignedIn), Mark::Done);
    assert_eq!(checklist.mark(ItemId::SpendLimit), Mark::NotYet);
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| !String::from_utf8_lossy(&r.body).contains("\"stream\":true")),
        "an image or verification probe ran without consent"
    );
    // "All set" is not said: a monthly limit and the organization are still open.
    h.state_mut().screen = Screen::FinalChecklist;
    h.run_ok();
    assert!(h.query_by_label_contains("All set").is_none());
    assert!(
        h.query_all_by_label_contains(
            "set a monthly usage limit, which only you can see in OpenAI"
        )
        .count()
            >= 1
    );
}

#[test]
fn the_organization_question_ticks_its_item() {
    let (mut h, _server, _) = checked(Scenario::Ready, [1024.0, 720.0]);
    h.state_mut().progress.selected_step = StepId::Account;
    h.state_mut().screen = Screen::Step;
    h.run_ok();
    h.get_by_label("Is Acme Publishing the organization you want AAAI to bill?");
    h.get_by_label("Yes, bill this one").click();
    h.run_ok();
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::RightOrganization),
        Mark::Done
    );
    assert!(
        h.query_by_label("Is Acme Publishing the organization you want AAAI to bill?")
            .is_none()
    );
}

#[test]
fn step_four_starts_not_checked_and_no_images_is_a_real_choice() {
    let mut h = ui::harness(services(fakes::FakeClipboard::default()), [1024.0, 720.0]);
    h.run();
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::Verified),
        Mark::NotYet
    );
    h.get_by_label("4. Verify your organization for images, not checked")
        .click();
    h.run();
    let verified = h.get_by_label("Organization verified");
    assert!(!verified.accesskit_node().is_disabled());
    assert_eq!(
        verified.accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::False)
    );
    h.get_by_label("I won't use AAAI's images").click();
    h.run();
    assert_eq!(
        h.state().progress.checklist.mark(ItemId::Verified),
        Mark::NotNeeded
    );
    h.get_by_label("4. Verify your organization for images, done");
}

#[test]
fn a_link_failure_is_gone_after_navigating() {
    let mut s = services(fakes::FakeClipboard::default());
    s.browser = Box::new(FailingBrowser);
    let mut h = ui::harness(s, [1024.0, 720.0]);
    h.run();
    h.get_by_label("2. Create your secret key, not checked")
        .click();
    h.run();
    h.get_by_label("Open the API keys page").click();
    h.run();
    h.get_by_label_contains("Your browser could not be opened");
    h.get_by_label("Copy address").click();
    h.run();
    h.get_by_label("Copied");
    h.get_by_label("Next step").click();
    h.run();
    assert!(
        h.query_by_label_contains("Your browser could not be opened")
            .is_none(),
        "the link failure followed the user to another screen"
    );
    h.get_by_label("Final checklist").click();
    h.run();
    assert!(
        h.query_by_label_contains("Your browser could not be opened")
            .is_none()
    );
}

#[test]
fn the_copied_hint_fades() {
    let mut s = services(fakes::FakeClipboard::default());
    s.browser = Box::new(FailingBrowser);
    let mut h = ui::harness(s, [1024.0, 720.0]);
    h.run();
    h.get_by_label("Open the OpenAI platform").click();
    h.run();
    h.get_by_label("Copy address").click();
    h.run();
    h.get_by_label("Copied");
    // Pretend the hint was shown a while ago.
    if let Some((_, at)) = h.state_mut().copied.as_mut() {
        *at -= Duration::from_secs(60);
    }
    h.run();
    assert!(h.query_by_label("Copied").is_none());
    // The link failure itself stays until acted on.
    h.get_by_label_contains("Your browser could not be opened");
}

#[test]
fn the_free_check_starts_once_per_captured_key_and_never_pays() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(async {
        // Slow enough to see "Checking…".
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"object": "list", "data": []}))
                    .set_delay(Duration::from_millis(800)),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(credit_ok())
            .mount(&server)
            .await;
        server
    });
    let clipboard = fakes::FakeClipboard::default();
    let mut s = services(clipboard.clone());
    s.check_config.base_url = format!("{}/v1", server.uri());
    let mut h = ui::harness(s, [1024.0, 720.0]);
    h.run();
    h.get_by_label("2. Create your secret key, not checked")
        .click();
    h.run();
    // Copied in OpenAI's dialog: captured, and checked without a click.
    let first = project_key(63);
    clipboard.set(&first);
    while h.state().key.is_none() {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.step();
    assert_eq!(h.state().checks_started, 1);
    h.get_by_label("Checking with OpenAI…");
    // "Check again" stays available while it runs.
    assert!(!h.get_by_label("Check again").accesskit_node().is_disabled());
    step_until(&mut h, |app| matches!(app.check, CheckState::Done { .. }));
    // The same key copied again is not checked again.
    clipboard.set("something else");
    clipboard.set(&first);
    for _ in 0..10 {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(h.state().checks_started, 1);
    // Another key: one more check. (The replaced key, still on the clipboard, is not taken
    // back.)
    key_menu(&mut h, "Replace key…");
    h.get_by_label("Yes, replace it").click();
    h.run();
    paste_key(&mut h, &project_key(65));
    assert_eq!(h.state().checks_started, 2);
    let requests = rt.block_on(server.received_requests()).unwrap_or_default();
    for r in &requests {
        let body = String::from_utf8_lossy(&r.body);
        // The free credit probe sends a zero budget; any other budget is paid.
        let budget: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
        assert!(
            budget
                .get("max_completion_tokens")
                .is_none_or(|t| *t == json!(0))
                && !body.contains("\"stream\":true"),
            "a paid or verification request was sent without consent: {body}"
        );
        if r.url.path().contains("images") {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            assert_eq!(
                body["size"], "1x1",
                "an image that could be made was asked for"
            );
        }
    }
}

/// The final checklist, confirmed, with a key kept.
fn confirmed(size: [f32; 2], clipboard: fakes::FakeClipboard) -> Harness<'static, App> {
    let mut s = services(clipboard);
    s.vault = Arc::new(fakes::FakeVault::default());
    let mut h = ui::harness(s, size);
    h.run();
    paste_key(&mut h, &project_key(67));
    for item in ItemId::ALL {
        h.state_mut().progress.checklist.set(item, Mark::Done);
    }
    h.state_mut().check = CheckState::NotYet;
    h.state_mut().progress.checklist.confirm();
    h.state_mut().screen = Screen::FinalChecklist;
    h.run_ok();
    h
}

#[test]
fn the_final_hand_off_is_whole_in_the_window_at_800_by_600() {
    for size in [[800.0, 600.0], [1024.0, 720.0]] {
        let mut h = confirmed(size, fakes::FakeClipboard::default());
        let strip_top = h.get_by_label("Your key:").rect().min.y;
        for label in [
            "Copy key for AAAI",
            "Copy a support report",
            "Works here but AAAI still fails?",
        ] {
            let rect = h.get_by_label(label).rect();
            assert!(
                rect.min.y >= 0.0 && rect.max.y <= strip_top && rect.max.x <= size[0],
                "{label} is not whole in view at {size:?}: {rect:?}"
            );
        }
        let advice = h
            .get_by_label_contains("Then your web host is the usual suspect")
            .rect();
        assert!(advice.max.y <= strip_top, "the advice is cut at {size:?}");
        h.get_by_label("Copy key for AAAI").click();
        step_until(&mut h, |app| {
            app.handoff.as_ref().is_some_and(|x| x.until.is_some())
        });
        assert!(h.get_by_label("Clear now").rect().max.y <= strip_top);
    }
}

#[test]
fn replacing_the_key_during_the_countdown_still_clears_the_handed_off_key() {
    let clipboard = fakes::FakeClipboard::default();
    let mut h = confirmed([1024.0, 720.0], clipboard.clone());
    h.state_mut().progress.clear_after_secs = 1;
    h.get_by_label("Copy key for AAAI").click();
    step_until(&mut h, |app| {
        app.handoff.as_ref().is_some_and(|x| x.until.is_some())
    });
    assert_eq!(
        clipboard.0.lock().expect("lock").clone(),
        Some(project_key(67))
    );
    key_menu(&mut h, "Replace key…");
    h.get_by_label("Yes, replace it").click();
    h.run();
    assert!(h.state().key.is_none());
    // Another key arrives during the countdown.
    paste_key_and_go_on(&mut h, &project_key(65));
    step_until(&mut h, |_| clipboard.0.lock().expect("lock").is_none());
    assert!(h.state().handoff.is_none());
}

/// Press Tab until the focused node is named `label` (at most 200 times).
fn tab_to(h: &mut Harness<'static, App>, label: &str) {
    for _ in 0..200 {
        if h.query_by(|n| n.is_focused())
            .is_some_and(|n| n.accesskit_node().label().as_deref() == Some(label))
        {
            return;
        }
        h.key_press(egui::Key::Tab);
        h.run_ok();
    }
    panic!("Tab never reached {label:?}");
}

#[test]
fn keyboard_only_from_step_one_to_copy_key_for_aaai() {
    let clipboard = fakes::FakeClipboard::default();
    let mut s = services(clipboard.clone());
    s.vault = Arc::new(fakes::FakeVault::default());
    let mut h = ui::harness(s, [1024.0, 720.0]);
    h.run();
    // The key, typed into the paste box, taken with Enter.
    tab_to(&mut h, "Or paste your key here:");
    h.event(egui::Event::Text(project_key(69)));
    h.run_ok();
    h.key_press(egui::Key::Enter);
    step_until(&mut h, |app| {
        app.key.is_some() && !matches!(app.check, CheckState::Running { .. })
    });
    // Every item ticked with Space.
    for item in ItemId::ALL {
        if h.state().progress.checklist.mark(item) != Mark::NotYet {
            continue;
        }
        tab_to(&mut h, item.label());
        h.key_press(egui::Key::Space);
        h.run_ok();
        assert_eq!(
            h.state().progress.checklist.mark(item),
            Mark::Done,
            "{item:?}"
        );
    }
    tab_to(&mut h, "Go to the final checklist");
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert_eq!(h.state().screen, Screen::FinalChecklist);
    tab_to(&mut h, "Confirm");
    h.key_press(egui::Key::Enter);
    h.run_ok();
    assert!(h.state().progress.checklist.confirmed);
    tab_to(&mut h, "Copy key for AAAI");
    h.key_press(egui::Key::Enter);
    step_until(&mut h, |app| {
        app.handoff.as_ref().is_some_and(|x| x.until.is_some())
    });
    assert_eq!(
        clipboard.0.lock().expect("lock").clone(),
        Some(project_key(69))
    );
}

const GLYPHS: &[char] = &['✔', '○', '⚠', '⮫', '✖', '‹', '›', '–', '•', '▾', '⏶', '⏷'];

#[test]
fn screen_readers_hear_every_state_and_no_decorative_glyph() {
    let (mut h, _server, _) = checked(Scenario::NoCredit, [1024.0, 720.0]);
    assert_eq!(
        h.root().accesskit_node().label().as_deref(),
        Some("AAAI Key Setup")
    );
    visit_every_screen(&mut h, |h| {
        // What a screen reader speaks: a control's label, and a text label's value.
        for text in h.query_all_by(|_| true).filter_map(|n| {
            let node = n.accesskit_node();
            if node.role() == egui::accesskit::Role::Label {
                node.value()
            } else {
                node.label()
            }
        }) {
            assert!(
                !text.chars().next().is_some_and(|c| GLYPHS.contains(&c))
                    && !text.chars().last().is_some_and(|c| GLYPHS.contains(&c)),
                "a decorative glyph in an accessible name: {text:?}"
            );
        }
        // Every step button says its state.
        for step in StepId::ALL {
            let n = aaai_key_setup::core::guide::number(step);
            let title = aaai_key_setup::core::guide::step(step).title;
            let prefix = format!("{n}. {title}, ");
            let node = h.get_by_label_contains(&prefix);
            let label = node.accesskit_node().label().unwrap_or_default();
            let state = label.trim_start_matches(&prefix);
            assert!(
                ["done", "needs you", "problem", "not checked"].contains(&state),
                "step {n} does not say its state: {label:?}"
            );
        }
        // Every item is a checkbox that says whether it is ticked.
        for item in ItemId::ALL {
            let node = h.get_by_label(item.label());
            assert!(node.accesskit_node().toggled().is_some(), "{item:?}");
        }
    });
    // The billing step, found wanting, says so in words.
    h.get_by_label("3. Set up billing and a spend limit, needs you");
}

#[test]
fn coming_back_opens_at_the_first_step_not_done_and_says_where_the_user_is() {
    let vault = Arc::new(fakes::FakeVault::default());
    let dir = tempfile::tempdir().expect("tempdir");
    let store = || ProgressStore::at(dir.path().join("progress.json"));
    {
        let mut s = services(fakes::FakeClipboard::default());
        s.vault = Arc::clone(&vault) as _;
        s.store = store();
        let mut h = ui::harness(s, [1024.0, 720.0]);
        h.run();
        paste_key(&mut h, &project_key(71));
        step_until(&mut h, |app| {
            app.vault == aaai_key_setup::app::VaultState::Stored
        });
        h.get_by_label(ItemId::SignedIn.label()).click();
        // OpenAI could not be reached here, so the key's items are ticked by hand.
        for item in [
            ItemId::KeyCreated,
            ItemId::KeyCopied,
            ItemId::KeySavedSafely,
        ] {
            h.get_by_label(item.label()).click();
        }
        h.get_by_label("Not needed: I belong to only one organization")
            .click();
        h.run_ok();
    }
    let mut s = services(fakes::FakeClipboard::default());
    s.vault = vault;
    s.store = store();
    let mut h = ui::harness(s, [1024.0, 720.0]);
    step_until(&mut h, |app| {
        app.key.is_some() && !matches!(app.check, CheckState::Running { .. })
    });
    assert_eq!(h.state().progress.selected_step, StepId::Billing);
    h.get_by_label_contains("Welcome back: ");
    h.get_by_label_contains("billing is next (step 3).");
    // It goes once the user moves on.
    h.get_by_label("Next step").click();
    h.run_ok();
    assert!(h.query_by_label_contains("Welcome back").is_none());
}

#[test]
fn quitting_during_the_countdown_clears_the_handed_off_key_after_a_replacement() {
    let clipboard = fakes::FakeClipboard::default();
    let mut h = confirmed([1024.0, 720.0], clipboard.clone());
    h.state_mut().progress.clear_after_secs = 120;
    h.get_by_label("Copy key for AAAI").click();
    step_until(&mut h, |app| {
        app.handoff.as_ref().is_some_and(|x| x.until.is_some())
    });
    key_menu(&mut h, "Replace key…");
    assert!(clipboard.0.lock().expect("lock").is_some());
    eframe::App::on_exit(h.state_mut(), None);
    assert!(
        clipboard.0.lock().expect("lock").is_none(),
        "the key stayed on the clipboard after quitting"
    );
}

#[test]
fn after_i_verified_the_app_rechecks_with_free_checks_only() {
    let (mut h, server, _) = checked(Scenario::VerificationRequired, [1024.0, 720.0]);
    assert_eq!(
        h.state().progress.selected_step,
        StepId::Verification,
        "the finding opens its step"
    );
    assert_eq!(
        paid_requests(&server),
        0,
        "the free check found it, at no cost"
    );
    h.get_by_label("I've verified my organization: keep checking")
        .click();
    h.run_ok();
    h.get_by_label("Stop checking");
    let run = h.state().recheck.clone().expect("re-checking");
    assert_eq!(
        run.schedule.awaited,
        aaai_key_setup::core::recheck::Awaited::Verification
    );
    // Run up to three re-checks at once instead of waiting (they stop when free evidence no
    // longer says "must be verified").
    let first = h.state().checks_started;
    for _ in 0..3 {
        let Some(r) = h.state_mut().recheck.as_mut() else {
            break;
        };
        r.schedule.make_due(Duration::ZERO);
        let before = h.state().checks_started;
        step_until(&mut h, |app| {
            app.checks_started > before && !matches!(app.check, CheckState::Running { .. })
        });
    }
    assert!(h.state().checks_started > first, "no re-check ran");
    assert_eq!(paid_requests(&server), 0, "a timer spent money");
}

/// Requests that could cost money: an image that could be made, a completion that could be
/// billed.
fn paid_requests(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let image = r.url.path().contains("images") && body["size"] != "1x1";
            let completion = r.url.path().contains("chat")
                && (body
                    .get("max_completion_tokens")
                    .is_some_and(|t| *t != json!(0))
                    || body.get("stream").is_some());
            image || completion
        })
        .count()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Whatever surrounds a key in the paste box, and whether it is used or not, no window text
    /// (accessible names and values) shares a 16-character run with the key.
    #[test]
    fn no_window_text_shares_a_long_run_with_the_key(
        before in "[ -~]{0,40}",
        after in "[ -~]{0,40}",
        cut in 0usize..20,
        use_it: bool,
    ) {
        let key = project_key(73);
        let typed = format!("{before}{}{after}", &key[..key.len() - cut]);
        let mut h = ui::harness(services(fakes::FakeClipboard::default()), [1024.0, 720.0]);
        h.run();
        h.get_by_label("Or paste your key here:").focus();
        h.run();
        h.get_by_label("Or paste your key here:").type_text(&typed);
        h.run_ok();
        if use_it && h.state().view.paste_hint.usable() {
            h.get_by_label("Use this key").click();
            step_until(&mut h, |app| !matches!(app.check, CheckState::Running { .. }));
        }
        let mut leaked = false;
        visit_every_screen(&mut h, |h| {
            for text in all_text(h) {
                leaked |= (0..=key.len() - 16).any(|start| text.contains(&key[start..start + 16]));
            }
        });
        proptest::prop_assert!(!leaked, "the window shows part of the key");
    }
}

// Issue 19: after a fix button, the next thing to do is to check again.
#[test]
fn after_a_fix_button_focus_is_on_check_again() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(server_for(Scenario::InvalidKey));
    let mut s = fakes::services(
        Box::new(FailingBrowser),
        ProgressStore::none(),
        fakes::FakeClipboard::default(),
    );
    s.check_config.base_url = format!("{}/v1", server.uri());
    s.check_config.timeout_secs = 2;
    let mut h = ui::harness(s, [1024.0, 720.0]);
    h.run();
    paste_key(&mut h, &project_key(61));
    step_until(&mut h, |app| matches!(app.check, CheckState::Done { .. }));
    h.state_mut().screen = Screen::Step;
    h.state_mut().progress.selected_step = StepId::Key;
    h.run_ok();
    h.get_by_label("Open the API keys page").click();
    h.run_ok();
    let focused = h
        .query_by(|n| n.is_focused())
        .and_then(|n| n.accesskit_node().label());
    assert_eq!(focused.as_deref(), Some("Check again"));
}

// One status in one place: on the confirmed final checklist, what images still need is said
// once, on the page, not again in the key strip.
#[test]
fn the_confirmed_final_checklist_says_what_images_need_once() {
    let (mut h, _server, _) = checked(Scenario::Ready, [1024.0, 720.0]);
    step_until(&mut h, |app| matches!(app.check, CheckState::Done { .. }));
    for item in ItemId::ALL {
        h.state_mut().progress.checklist.set(item, Mark::Done);
    }
    h.state_mut().progress.checklist.confirmed = true;
    h.state_mut().screen = Screen::FinalChecklist;
    h.run_ok();
    let said = h
        .query_all_by(|_| true)
        .filter_map(|n| n.accesskit_node().value().or(n.accesskit_node().label()))
        .filter(|t| {
            t.contains("Images are not proven yet") || t.contains("Images: not checked yet")
        })
        .count();
    assert!(said >= 1, "the page no longer says what images need");
    let strip = h.get_by(|n| {
        n.role() == egui::accesskit::Role::Pane && n.label().as_deref() == Some("Your key")
    });
    let in_strip: Vec<String> = strip
        .children_recursive()
        .filter_map(|n| n.accesskit_node().value())
        .filter(|t| t.contains("not proven") || t.contains("final checklist"))
        .collect();
    assert!(in_strip.is_empty(), "the strip says it again: {in_strip:?}");
}
