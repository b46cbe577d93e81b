//! The screenshot gallery: the real window, walked through every screen and key state against a
//! loopback server that answers like OpenAI (a different answer for each test key). After each
//! scene has settled it prints `SHOT <name>` and waits for a line on stdin; `scripts/gallery`
//! takes the picture and answers. Usage: `gallery WIDTH HEIGHT`.

#[path = "../tests/support/fakes.rs"]
mod fakes;
#[path = "../tests/support/gallery_scenes.rs"]
mod gallery_scenes;
#[path = "../tests/support/keys.rs"]
mod keys;

use std::io::BufRead as _;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use aaai_key_setup::adapters::progress_store::ProgressStore;
use aaai_key_setup::app::App;
use wiremock::MockServer;

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
        let Some(scene) = gallery_scenes::SCENES.get(self.scene) else {
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
    let server = runtime.block_on(gallery_scenes::server());
    let dir = tempfile::tempdir().expect("tempdir");
    let mut services =
        gallery_scenes::services(&server, ProgressStore::at(dir.path().join("progress.json")));
    // `--lang ja`: the window's language, as the system would ask for it.
    let all: Vec<String> = std::env::args().collect();
    if let Some(at) = all.iter().position(|a| a == "--lang") {
        services.locales = all.get(at + 1).into_iter().cloned().collect();
    }
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
