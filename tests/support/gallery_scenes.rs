//! The gallery's scenes, shared by the screenshot gallery (`examples/gallery.rs`, which takes a
//! picture of each from the real window) and `tests/ui_gallery.rs` (which checks each headless
//! at 800×600 and 1024×720): how to set each scene up, when it has settled, and what must be
//! in view once it has (its heading and its primary button, and where they live); and the
//! loopback server that answers like OpenAI, a different answer for each test key.
//!
//! An includer takes it with `#[path = ".../support/gallery_scenes.rs"] mod gallery_scenes;`,
//! next to `keys.rs` and `fakes.rs` as crate-level modules `keys` and `fakes`.

use std::sync::Arc;
use std::time::Duration;

use aaai_key_setup::adapters::browser::SystemBrowser;
use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::{App, CheckState, Intent, KeySource, OfferedKey, Screen, Services};
use aaai_key_setup::core::checklist::{ItemId, Mark};
use aaai_key_setup::core::key::{self, ApiKey, Recognition};
use aaai_key_setup::core::verdict::StepId;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{fakes, keys};

/// A test key, built at run time by the tests' one key maker (never a key-shaped literal in
/// the source).
fn test_key(seed: char) -> String {
    let seed = u64::from(seed);
    keys::made_up(
        "sk-proj-",
        &keys::chars(74, seed),
        &keys::chars(74, seed + 1),
    )
}

fn api_key(seed: char) -> ApiKey {
    match key::scan(&test_key(seed)).result {
        Recognition::Key(k) => k,
        other => panic!("the test key was not recognised: {other:?}"),
    }
}

fn error(message: &str, kind: &str, code: &str) -> serde_json::Value {
    serde_json::json!({"error": {"message": message, "type": kind, "param": null, "code": code}})
}

/// Key 'm': OpenAI shut the first image model down today (its list says so).
fn retired_list() -> serde_json::Value {
    serde_json::json!({"object": "list", "data": [
        {"id": "gpt-6-luna", "object": "model", "created": 1_789_000_000, "shutdown_date": null},
        {"id": "gpt-image-2", "object": "model", "created": 1_776_729_600,
         "shutdown_date": "2026-12-01"},
        {"id": "gpt-image-2.6-sunburst", "object": "model", "created": 1_790_000_000,
         "shutdown_date": null}]})
}

/// Key 'm': the retired model's requests answer 404, as after a shutdown; the check moves on
/// to the next one and says so in step 4.
async fn mount_image_model_retired(server: &MockServer) {
    Mock::given(method("POST"))
        .and(header(
            "authorization",
            format!("Bearer {}", test_key('m')).as_str(),
        ))
        .and(wiremock::matchers::body_partial_json(
            serde_json::json!({"model": "gpt-image-2"}),
        ))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("date", "Tue, 01 Dec 2026 12:00:00 GMT")
                .set_body_json(error(
                    "The model `gpt-image-2` does not exist or you do not have access to it.",
                    "invalid_request_error",
                    "model_not_found",
                )),
        )
        .with_priority(1)
        .mount(server)
        .await;
}

/// The loopback server: each test key gets its own answers.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    let models = serde_json::json!({"object": "list", "data": [
        {"id": "gpt-4o-mini", "object": "model"}, {"id": "o3", "object": "model"}]});
    let me = serde_json::json!({"object": "user", "id": "user-1", "orgs": {"object": "list",
        "data": [{"object": "organization", "id": "org-AAA", "name": "acme-publishing",
        "title": "Acme Publishing", "personal": false, "is_default": true, "role": "owner"}]}});
    let credit_ok = ResponseTemplate::new(400)
        .insert_header("openai-organization", "acme-publishing")
        .insert_header("openai-project", "proj_aaai_site")
        .set_body_json(
            serde_json::json!({"error": {"message": "Invalid 'max_tokens'",
            "type": "invalid_request_error", "param": "max_tokens",
            "code": "integer_below_min_value"}}),
        );
    let retired = retired_list();
    mount_image_model_retired(&server).await;
    for seed in ['r', 'n', 'v', 'c', 'm'] {
        let auth = format!("Bearer {}", test_key(seed));
        let list = if seed == 'm' { &retired } else { &models };
        let delay = if seed == 'c' {
            Duration::from_secs(60)
        } else {
            Duration::ZERO
        };
        Mock::given(method("GET"))
            .and(path("/v1/models"))
            .and(header("authorization", auth.as_str()))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("openai-organization", "acme-publishing")
                    .insert_header("openai-project", "proj_aaai_site")
                    .insert_header("date", "Tue, 01 Dec 2026 12:00:00 GMT")
                    .set_body_json(list)
                    .set_delay(delay),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/me"))
            .and(header("authorization", auth.as_str()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(&me)
                    .set_delay(delay),
            )
            .mount(&server)
            .await;
        // The free image evidence (a size no image can have): "must be verified" for an
        // unverified organization, else the size is refused.
        let images = if seed == 'v' {
            ResponseTemplate::new(403).set_body_json(error(
                "Your organization must be verified to use the model `gpt-image-1-mini`.",
                "invalid_request_error",
                "",
            ))
        } else {
            ResponseTemplate::new(400).set_body_json(error(
                "Invalid value: '1x1'. Supported values are: '1024x1024', '1024x1536', \
                 '1536x1024', and 'auto'.",
                "invalid_request_error",
                "invalid_value",
            ))
        };
        Mock::given(method("POST"))
            .and(path("/v1/images/generations"))
            .and(header("authorization", auth.as_str()))
            .respond_with(images.set_delay(delay))
            .mount(&server)
            .await;
        let credit = if seed == 'n' {
            ResponseTemplate::new(429).set_body_json(error(
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota",
                "insufficient_quota",
            ))
        } else {
            credit_ok.clone()
        };
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(header("authorization", auth.as_str()))
            .respond_with(credit.set_delay(delay))
            .mount(&server)
            .await;
    }
    // Key 'i': OpenAI does not know it.
    Mock::given(method("GET"))
        .and(header(
            "authorization",
            format!("Bearer {}", test_key('i')).as_str(),
        ))
        .respond_with(ResponseTemplate::new(401).set_body_json(error(
            "Incorrect API key provided.",
            "invalid_request_error",
            "invalid_api_key",
        )))
        .mount(&server)
        .await;
    server
}

/// The app's services for the gallery: the in-memory clipboard and keyring (named as on a
/// Linux desktop), a progress file in `store`, and the check sent to `server`.
pub fn services(server: &MockServer, store: ProgressStore) -> Services {
    let mut services = fakes::services(
        Box::new(SystemBrowser),
        store,
        fakes::FakeClipboard::default(),
    );
    services.vault = Arc::new(fakes::FakeVault {
        location: Some("GNOME Keyring"),
        ..fakes::FakeVault::default()
    });
    services.check_config.base_url = format!("{}/v1", server.uri());
    services.check_config.timeout_secs = 3;
    services
}

/// Where a thing that must be in view lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The main area: between the top bar and the key strip, right of the checklist.
    Main,
    /// The key strip at the bottom.
    Strip,
    /// The close prompt, over the window.
    Prompt,
}

/// A thing that must be in view once a scene has settled: its accessible name (the text as
/// shown) and where it lives. When several things in that place share the name, the first in
/// reading order is meant.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)] // The gallery only takes pictures; tests/ui_gallery.rs reads these.
pub struct InView {
    /// The text as shown (the accessible name).
    pub text: &'static str,
    /// Where it lives.
    pub place: Place,
}

const fn main(text: &'static str) -> InView {
    InView {
        text,
        place: Place::Main,
    }
}

const fn strip(text: &'static str) -> InView {
    InView {
        text,
        place: Place::Strip,
    }
}

const fn prompt(text: &'static str) -> InView {
    InView {
        text,
        place: Place::Prompt,
    }
}

/// One scene: how to set it up, when it has settled, and what must be in view then.
pub struct Scene {
    /// The picture's name, in order: "01-step1-no-key".
    pub name: &'static str,
    /// Puts the app into the scene (after the scene before it).
    pub setup: fn(&mut App),
    /// Settled yet? It may take the scene's next step (a scene that waits for a check first).
    pub settled: fn(&mut App) -> bool,
    /// The page's heading (or the prompt's headline), as shown.
    #[allow(dead_code)] // The gallery only takes pictures; tests/ui_gallery.rs reads it.
    pub heading: InView,
    /// The one action the user most likely needs next on this screen: in the key strip when
    /// that is where the screen's news is (the offered key's "Use it", the running check's
    /// "Cancel").
    #[allow(dead_code)] // The gallery only takes pictures; tests/ui_gallery.rs reads it.
    pub primary: InView,
}

fn checked(app: &mut App) -> bool {
    matches!(app.check, CheckState::Done { .. } | CheckState::Failed(_))
}

fn always(_: &mut App) -> bool {
    true
}

/// A first start: no key, nothing ticked, nothing waiting for a new key.
fn fresh(app: &mut App) {
    start_over(app);
    app.replacing = None;
}

/// Nothing ticked, and the key replaced the way a user does it ("Replace key…", yes), so the
/// next key may be saved over it.
fn start_over(app: &mut App) {
    app.apply(vec![Intent::ReplaceKey, Intent::ConfirmReplace(true)]);
    app.offered = None;
    app.close_prompt = false;
    app.progress.checklist = Default::default();
    app.evidence.clear();
}

fn step(app: &mut App, step: StepId) {
    app.apply(vec![Intent::SelectStep(step)]);
}

fn with_key(app: &mut App, seed: char, at: StepId) {
    start_over(app);
    step(app, at);
    app.take_key(api_key(seed));
}

/// Every scene, in the order they run (each starts from where the one before left the app).
pub const SCENES: &[Scene] = &[
    Scene {
        name: "01-step1-no-key",
        setup: |a| {
            fresh(a);
            step(a, StepId::Account);
        },
        settled: always,
        heading: main("Step 1: Create an account or sign in"),
        primary: main("Open the OpenAI platform"),
    },
    Scene {
        name: "02-step2-no-key",
        setup: |a| step(a, StepId::Key),
        settled: always,
        heading: main("Step 2: Create your secret key"),
        primary: main("Open the API keys page"),
    },
    Scene {
        name: "03-step3-no-key",
        setup: |a| step(a, StepId::Billing),
        settled: always,
        heading: main("Step 3: Set up billing and a spend limit"),
        primary: main("Open billing"),
    },
    Scene {
        name: "04-step4-no-key",
        setup: |a| step(a, StepId::Verification),
        settled: always,
        heading: main("Step 4: Verify your organization for images"),
        primary: main("Open organization settings"),
    },
    Scene {
        name: "05-troubleshooting",
        setup: |a| a.apply(vec![Intent::Show(Screen::Troubleshooting(None))]),
        settled: always,
        heading: main("Troubleshooting"),
        primary: main("Open the OpenAI platform"),
    },
    Scene {
        name: "06-final-before-confirming",
        setup: |a| {
            a.progress.checklist.set(ItemId::SignedIn, Mark::Done);
            a.apply(vec![Intent::Show(Screen::FinalChecklist)]);
        },
        settled: always,
        heading: main("Final checklist"),
        // Confirm waits for eight things: the first "Show me how" (step 1's line) is next.
        primary: main("Show me how"),
    },
    Scene {
        name: "07-key-checking",
        setup: |a| with_key(a, 'c', StepId::Key),
        settled: |a| matches!(a.check, CheckState::Running { .. }),
        heading: main("Step 2: Create your secret key"),
        primary: strip("Cancel"),
    },
    Scene {
        name: "08-key-captured-not-checked",
        setup: |a| {
            with_key(a, 'r', StepId::Key);
            a.check = CheckState::NotYet;
        },
        settled: always,
        heading: main("Step 2: Create your secret key"),
        primary: strip("Check my key with OpenAI"),
    },
    Scene {
        name: "09-key-ready-step1-org-question",
        setup: |a| with_key(a, 'r', StepId::Account),
        settled: checked,
        heading: main("Step 1: Create an account or sign in"),
        primary: main("Yes, bill this one"),
    },
    Scene {
        name: "10-key-ready-step4-images",
        setup: |a| step(a, StepId::Verification),
        settled: checked,
        heading: main("Step 4: Verify your organization for images"),
        primary: main("Make one test image with gpt-image-2 (about half a cent)"),
    },
    Scene {
        name: "11-key-ready-final-before",
        setup: |a| a.apply(vec![Intent::Show(Screen::FinalChecklist)]),
        settled: checked,
        heading: main("Final checklist"),
        // Confirm waits for three things; the organization question is the one asked here.
        primary: main("Yes, bill this one"),
    },
    Scene {
        name: "12-final-after-confirming",
        setup: |a| {
            for item in ItemId::ALL {
                a.progress.checklist.set(item, Mark::Done);
            }
            a.apply(vec![Intent::Confirm, Intent::Show(Screen::FinalChecklist)]);
        },
        settled: checked,
        heading: main("Final checklist"),
        primary: main("Copy key for AAAI"),
    },
    Scene {
        name: "13-key-no-credit",
        setup: |a| with_key(a, 'n', StepId::Key),
        settled: checked,
        heading: main("Step 3: Set up billing and a spend limit"),
        primary: main("Open billing"),
    },
    Scene {
        name: "14-key-invalid",
        setup: |a| with_key(a, 'i', StepId::Billing),
        settled: checked,
        heading: main("Step 2: Create your secret key"),
        primary: main("Open the API keys page"),
    },
    Scene {
        name: "15-key-verification-required",
        setup: |a| with_key(a, 'v', StepId::Key),
        settled: checked,
        heading: main("Step 4: Verify your organization for images"),
        primary: main("Open organization settings"),
    },
    Scene {
        name: "16-key-network-error",
        setup: |a| with_key(a, 'c', StepId::Key),
        settled: checked,
        heading: main("Step 2: Create your secret key"),
        primary: strip("Check again"),
    },
    Scene {
        name: "17-image-model-retired-step4",
        setup: |a| with_key(a, 'm', StepId::Verification),
        settled: checked,
        heading: main("Step 4: Verify your organization for images"),
        primary: main("Make one test image with gpt-image-2.6-sunburst (about half a cent)"),
    },
    Scene {
        name: "18-new-key-offered",
        setup: |a| with_key(a, 'i', StepId::Key),
        settled: |a| {
            if checked(a) && a.offered.is_none() {
                a.offered = Some(OfferedKey {
                    key: api_key('r'),
                    source: KeySource::Clipboard,
                });
            }
            a.offered.is_some()
        },
        heading: main("Step 2: Create your secret key"),
        primary: strip("Use it"),
    },
    Scene {
        name: "19-cancellable-check",
        setup: |a| with_key(a, 'c', StepId::Key),
        settled: |a| {
            matches!(a.check, CheckState::Running { since, .. }
                if since.elapsed() > Duration::from_millis(1500))
        },
        heading: main("Step 2: Create your secret key"),
        primary: strip("Cancel"),
    },
    Scene {
        name: "20-close-prompt",
        setup: |a| {
            with_key(a, 'r', StepId::Key);
            for item in ItemId::ALL {
                a.progress.checklist.set(item, Mark::Done);
            }
        },
        settled: |a| {
            if checked(a) && !a.progress.checklist.confirmed {
                a.apply(vec![
                    Intent::Confirm,
                    Intent::Show(Screen::FinalChecklist),
                    Intent::CopyForAaai,
                ]);
            }
            if a.handoff.as_ref().is_some_and(|h| h.until.is_some()) {
                a.close_prompt = true;
            }
            a.close_prompt
        },
        heading: prompt("Your key is on the clipboard for AAAI."),
        primary: prompt("Close anyway"),
    },
];
