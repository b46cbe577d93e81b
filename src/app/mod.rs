//! The window: app state, the services it talks to, and the intents the UI returns.
//! `ui.rs` draws and returns intents; this module applies them (the only place with effects).

mod theme;
mod ui;

use crate::adapters::browser::{Browser, SystemBrowser};
use crate::adapters::progress_store::ProgressStore;
use crate::core::checklist::{ItemId, Mark};
use crate::core::guide::TroubleId;
use crate::core::progress::Progress;
use crate::core::verdict::StepId;

/// The window's title.
pub const TITLE: &str = "AAAI Key Setup";

/// Which screen the main area shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The selected step's instructions.
    Step,
    /// The troubleshooting entries, one of them highlighted.
    Troubleshooting(Option<TroubleId>),
    /// The guide's final checklist.
    FinalChecklist,
}

/// What the user asked for, returned by the draw functions and applied after drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum Intent {
    /// Show a step's instructions.
    SelectStep(StepId),
    /// Change an item's mark.
    SetItem(ItemId, Mark),
    /// Switch screens.
    Show(Screen),
    /// Open a page in the browser.
    OpenLink(&'static str),
    /// Put text (never a key) on the clipboard.
    CopyText(String),
    /// Confirm the final checklist.
    Confirm,
    /// Hide the one-line notice.
    DismissNotice,
    /// Hide the "could not open the browser" box.
    DismissLinkFailure,
}

/// The outside world, as the app sees it. Tests pass fakes.
pub struct Services {
    /// Opens pages.
    pub browser: Box<dyn Browser>,
    /// Keeps progress between runs.
    pub store: ProgressStore,
}

impl Services {
    /// The real services: the system browser and the config-dir progress file.
    pub fn system() -> Self {
        Self {
            browser: Box::new(SystemBrowser),
            store: ProgressStore::in_config_dir(),
        }
    }
}

/// A link that could not be opened: shown with its address and a copy button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkFailure {
    /// The page's address.
    pub url: &'static str,
}

/// The whole app.
pub struct App {
    /// The state that is saved between runs.
    pub progress: Progress,
    /// The screen in the main area.
    pub screen: Screen,
    /// A one-line notice at the top (for example: saved progress was damaged).
    pub notice: Option<String>,
    /// The last link that failed to open.
    pub link_failure: Option<LinkFailure>,
    /// Text last put on the clipboard by the app (never a key), for the "copied" hint.
    pub copied: Option<String>,
    services: Services,
}

impl App {
    /// Build the app and load saved progress.
    pub fn new(cc: &eframe::CreationContext<'_>, services: Services) -> Self {
        theme::apply(&cc.egui_ctx);
        let loaded = services.store.load();
        Self {
            screen: Screen::Step,
            progress: loaded.progress,
            notice: loaded.notice,
            link_failure: None,
            copied: None,
            services,
        }
    }

    /// Apply what the UI asked for.
    pub fn apply(&mut self, ctx: &egui::Context, intents: Vec<Intent>) {
        let before = self.progress.clone();
        for intent in intents {
            match intent {
                Intent::SelectStep(step) => {
                    self.progress.selected_step = step;
                    self.screen = Screen::Step;
                }
                Intent::SetItem(item, mark) => self.progress.checklist.set(item, mark),
                Intent::Show(screen) => self.screen = screen,
                Intent::OpenLink(url) => {
                    self.link_failure = match self.services.browser.open(url) {
                        Ok(()) => None,
                        Err(_) => Some(LinkFailure { url }),
                    };
                }
                Intent::CopyText(text) => {
                    ctx.copy_text(text.clone());
                    self.copied = Some(text);
                }
                Intent::Confirm => {
                    self.progress.checklist.confirm();
                }
                Intent::DismissNotice => self.notice = None,
                Intent::DismissLinkFailure => self.link_failure = None,
            }
        }
        if self.progress != before && self.services.store.save(&self.progress).is_err() {
            self.notice = Some(String::from(
                "Your progress could not be saved on this computer; it is kept while the app is open.",
            ));
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let intents = ui::app_ui(ui, self);
        if !intents.is_empty() {
            self.apply(ui.ctx(), intents);
        }
    }
}

/// Window options: title, icon and sizes readable from 800x600 up.
pub fn native_options() -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(TITLE)
        .with_app_id("aaai-key-setup")
        .with_inner_size([1024.0, 720.0])
        .with_min_inner_size([760.0, 560.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    eframe::NativeOptions {
        viewport,
        ..Default::default()
    }
}

/// Open the window and run until it is closed.
pub fn run() -> eframe::Result {
    eframe::run_native(
        TITLE,
        native_options(),
        Box::new(|cc| Ok(Box::new(App::new(cc, Services::system())))),
    )
}
