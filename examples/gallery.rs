//! The screenshot gallery: the real window, walked through every screen and key state against a
//! loopback server that answers like OpenAI (a different answer for each test key). After each
//! scene has settled it prints `SHOT <name>` and waits for a line on stdin; `scripts/gallery`
//! takes the picture and answers. Usage: `gallery WIDTH HEIGHT`.

#[path = "../tests/support/keys.rs"]
mod keys;

use std::io::BufRead as _;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aaai_key_setup::adapters::browser::SystemBrowser;
use aaai_key_setup::adapters::clipboard::{ClipError, ClipboardSource};
use aaai_key_setup::adapters::net::CheckConfig;
use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::adapters::vault::{KeyStore, VaultError};
use aaai_key_setup::app::{App, CheckState, Intent, KeySource, OfferedKey, Screen, Services};
use aaai_key_setup::core::checklist::{ItemId, Mark};
use aaai_key_setup::core::key::{self, ApiKey, Recognition};
use aaai_key_setup::core::verdict::StepId;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zeroize::Zeroizing;

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

#[derive(Clone, Default)]
struct MemClipboard(Arc<Mutex<Option<String>>>);

impl ClipboardSource for MemClipboard {
    fn text(&mut self) -> Result<Zeroizing<String>, ClipError> {
        let held = self.0.lock().map_err(|_| ClipError::Busy)?.clone();
        held.map(Zeroizing::new).ok_or(ClipError::NoText)
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        *self.0.lock().map_err(|_| ClipError::Busy)? = None;
        Ok(())
    }
    fn set_sensitive(&mut self, text: &str) -> Result<(), ClipError> {
        *self.0.lock().map_err(|_| ClipError::Busy)? = Some(text.to_owned());
        Ok(())
    }
}

#[derive(Default)]
struct MemVault(Mutex<Option<ApiKey>>);

impl KeyStore for MemVault {
    fn store(&self, key: &ApiKey) -> Result<(), VaultError> {
        if let Ok(mut k) = self.0.lock() {
            *k = Some(key.clone());
        }
        Ok(())
    }
    fn load(&self) -> Result<Option<ApiKey>, VaultError> {
        Ok(self.0.lock().ok().and_then(|k| k.clone()))
    }
    fn forget(&self) -> Result<bool, VaultError> {
        Ok(self.0.lock().ok().and_then(|mut k| k.take()).is_some())
    }
    fn location(&self) -> &'static str {
        "GNOME Keyring"
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
async fn server() -> MockServer {
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

/// One scene: how to set it up, and when it has settled.
struct Scene {
    name: &'static str,
    setup: fn(&mut App),
    /// Settled yet? It may take the scene's next step (a scene that waits for a check first).
    settled: fn(&mut App) -> bool,
}

fn checked(app: &mut App) -> bool {
    matches!(app.check, CheckState::Done { .. } | CheckState::Failed(_))
}

fn always(_: &mut App) -> bool {
    true
}

fn fresh(app: &mut App) {
    app.apply(vec![Intent::ReplaceKey, Intent::ConfirmReplace(true)]);
    app.replacing = None;
    app.offered = None;
    app.close_prompt = false;
    app.progress.checklist = Default::default();
    app.evidence.clear();
}

fn step(app: &mut App, step: StepId) {
    app.apply(vec![Intent::SelectStep(step)]);
}

fn with_key(app: &mut App, seed: char, at: StepId) {
    fresh(app);
    step(app, at);
    app.take_key(api_key(seed));
}

const SCENES: &[Scene] = &[
    Scene {
        name: "01-step1-no-key",
        setup: |a| {
            fresh(a);
            step(a, StepId::Account);
        },
        settled: always,
    },
    Scene {
        name: "02-step2-no-key",
        setup: |a| step(a, StepId::Key),
        settled: always,
    },
    Scene {
        name: "03-step3-no-key",
        setup: |a| step(a, StepId::Billing),
        settled: always,
    },
    Scene {
        name: "04-step4-no-key",
        setup: |a| step(a, StepId::Verification),
        settled: always,
    },
    Scene {
        name: "05-troubleshooting",
        setup: |a| a.apply(vec![Intent::Show(Screen::Troubleshooting(None))]),
        settled: always,
    },
    Scene {
        name: "06-final-before-confirming",
        setup: |a| {
            a.progress.checklist.set(ItemId::SignedIn, Mark::Done);
            a.apply(vec![Intent::Show(Screen::FinalChecklist)]);
        },
        settled: always,
    },
    Scene {
        name: "07-key-checking",
        setup: |a| with_key(a, 'c', StepId::Key),
        settled: |a| matches!(a.check, CheckState::Running { .. }),
    },
    Scene {
        name: "08-key-captured-not-checked",
        setup: |a| {
            with_key(a, 'r', StepId::Key);
            a.check = CheckState::NotYet;
        },
        settled: always,
    },
    Scene {
        name: "09-key-ready-step1-org-question",
        setup: |a| with_key(a, 'r', StepId::Account),
        settled: checked,
    },
    Scene {
        name: "10-key-ready-step4-images",
        setup: |a| step(a, StepId::Verification),
        settled: checked,
    },
    Scene {
        name: "11-key-ready-final-before",
        setup: |a| a.apply(vec![Intent::Show(Screen::FinalChecklist)]),
        settled: checked,
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
    },
    Scene {
        name: "13-key-no-credit",
        setup: |a| with_key(a, 'n', StepId::Key),
        settled: checked,
    },
    Scene {
        name: "14-key-invalid",
        setup: |a| with_key(a, 'i', StepId::Billing),
        settled: checked,
    },
    Scene {
        name: "15-key-verification-required",
        setup: |a| with_key(a, 'v', StepId::Key),
        settled: checked,
    },
    Scene {
        name: "16-key-network-error",
        setup: |a| with_key(a, 'c', StepId::Key),
        settled: checked,
    },
    Scene {
        name: "17-image-model-retired-step4",
        setup: |a| with_key(a, 'm', StepId::Verification),
        settled: checked,
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
    },
    Scene {
        name: "19-cancellable-check",
        setup: |a| with_key(a, 'c', StepId::Key),
        settled: |a| {
            matches!(a.check, CheckState::Running { since, .. }
                if since.elapsed() > Duration::from_millis(1500))
        },
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
    },
];

struct Gallery {
    app: App,
    scene: usize,
    started: Option<Instant>,
    settled_frames: u32,
    waiting: bool,
    answers: Receiver<()>,
    _runtime: tokio::runtime::Runtime,
    _server: MockServer,
}

impl eframe::App for Gallery {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.app.logic(ctx, frame);
        ctx.request_repaint_after(Duration::from_millis(50));
        if self.waiting {
            if self.answers.try_recv().is_ok() {
                self.waiting = false;
                self.scene += 1;
                self.started = None;
            }
            return;
        }
        let Some(scene) = SCENES.get(self.scene) else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        };
        if self.started.is_none() {
            (scene.setup)(&mut self.app);
            self.started = Some(Instant::now());
            self.settled_frames = 0;
        }
        if (scene.settled)(&mut self.app) {
            self.settled_frames += 1;
        }
        if self.settled_frames > 8 {
            println!("SHOT {}", scene.name);
            self.waiting = true;
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.app.ui(ui, frame);
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        self.app.on_exit(gl);
    }
}

fn main() -> eframe::Result {
    let args: Vec<f32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let size = [
        args.first().copied().unwrap_or(1024.0),
        args.get(1).copied().unwrap_or(720.0),
    ];
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(server());
    let dir = tempfile::tempdir().expect("tempdir");
    let clipboard = MemClipboard::default();
    let services = Services {
        browser: Box::new(SystemBrowser),
        store: ProgressStore::at(dir.path().join("progress.json")),
        clipboard: Some(Box::new(move || {
            Ok(Box::new(clipboard.clone()) as Box<dyn ClipboardSource>)
        })),
        check_config: CheckConfig {
            base_url: format!("{}/v1", server.uri()),
            timeout_secs: 3,
            ..CheckConfig::default()
        },
        vault: Arc::new(MemVault::default()),
        trace: false,
    };
    let (tx, answers) = mpsc::channel();
    std::thread::Builder::new()
        .name(String::from("gallery-stdin"))
        .spawn(move || {
            for _ in std::io::stdin().lock().lines() {
                if tx.send(()).is_err() {
                    break;
                }
            }
        })
        .expect("stdin thread");
    let mut options = aaai_key_setup::app::native_options();
    options.viewport = options
        .viewport
        .with_inner_size(size)
        .with_min_inner_size([640.0, 480.0])
        .with_resizable(false);
    eframe::run_native(
        aaai_key_setup::app::TITLE,
        options,
        Box::new(move |cc| {
            Ok(Box::new(Gallery {
                app: App::new(cc, services),
                scene: 0,
                started: None,
                settled_frames: 0,
                waiting: false,
                answers,
                _runtime: runtime,
                _server: server,
            }))
        }),
    )
}
