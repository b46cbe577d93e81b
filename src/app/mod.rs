//! The window, split along eframe's seams: `inbox` is the one place where background results
//! come in (`App::poll_background`, called from `logic`), `apply` the one place where intents are
//! acted on, `ui` draws and returns intents, and `theme` owns colours, sizes and symbols.

mod apply;
mod inbox;
mod intent;
mod services;
mod state;
mod theme;
mod ui;

pub use intent::{Intent, Screen};
pub use services::Services;
pub use state::{
    CapturedKey, CheckExtra, CheckState, ClipStatus, Handoff, KeySource, LinkFailure, Note,
    OfferedKey, RecheckRun, VaultState, ViewState,
};

use std::collections::BTreeMap;
use std::time::Instant;

use crate::adapters::clipboard::{ClipEvent, ClipboardWatcher};
use crate::core::i18n::{self, Lang, LangChoice};
use crate::core::key::Recognition;
use crate::core::progress::Progress;
use crate::core::readiness::CheckReport;
use crate::core::status::{KeyStanding, Tone};
use crate::core::verdict::StepId;

/// The window's title, and the accessible name of its root.
pub const TITLE: &str = "AAAI Key Setup";

/// The whole app.
pub struct App {
    /// The state that is saved between runs.
    pub progress: Progress,
    /// The language the window speaks: the saved choice, or the system's.
    pub lang: Lang,
    /// The screen in the main area.
    pub screen: Screen,
    /// A one-line notice at the top that needs the user (for example: saved progress was
    /// damaged); it stays until dismissed.
    pub notice: Option<String>,
    /// The language menu has been opened: fonts for the other languages' own names (日本語,
    /// 简体中文) are installed too, where the system has them.
    pub(crate) language_names: bool,
    /// "Welcome back: …", shown when the app opens with a stored key, until the user moves on.
    pub welcome: bool,
    /// The last link that failed to open, on the screen where it happened.
    pub link_failure: Option<LinkFailure>,
    /// Text last put on the clipboard by the app (never a key), for the fading "copied" hint.
    pub copied: Option<(String, Instant)>,
    /// The key, once captured or pasted.
    pub key: Option<CapturedKey>,
    /// The clipboard watcher's status.
    pub clip: ClipStatus,
    /// A note about the clipboard (a key-like problem, a clear's outcome).
    pub clip_note: Option<Note>,
    /// The readiness check.
    pub check: CheckState,
    /// What each step's latest evidence is, how it looks, and when it was found.
    pub evidence: BTreeMap<StepId, (String, Tone, Instant)>,
    /// Widget state.
    pub view: ViewState,
    /// The keyring's state.
    pub vault: VaultState,
    /// Save captured keys in the keyring (on by default).
    pub save_in_keyring: bool,
    /// The "forget the saved key?" confirmation is showing.
    pub confirm_forget: bool,
    /// The key the app put on the clipboard for AAAI, until it is cleared.
    pub handoff: Option<Handoff>,
    /// Re-checking (free checks only) for credit or verification to arrive.
    pub recheck: Option<RecheckRun>,
    /// The user said the organization shown is not the one AAAI should bill.
    pub wrong_organization: bool,
    /// How many checks were started (each run's results carry its number).
    pub checks_started: u64,
    /// The key being replaced: kept (and still stored) until a new key arrives, and not taken
    /// back from the clipboard.
    pub replacing: Option<CapturedKey>,
    /// The "replace your key?" confirmation is showing.
    pub confirm_replace: bool,
    /// A new key that differs from the current one, waiting for the user's yes.
    pub offered: Option<OfferedKey>,
    /// Keys the user chose not to use (this session): not offered again.
    declined: Vec<crate::core::key::ApiKey>,
    /// Keys the user said yes to replacing (with "Replace key…", "Use it" or "Replace the
    /// saved key"): the keyring may hold one of them and be written over.
    may_overwrite: Vec<crate::core::key::ApiKey>,
    /// A key seen before the keyring's first answer: handled once it has answered.
    held: Option<(crate::core::key::ApiKey, KeySource)>,
    /// A paid answer that came while a newer check was running: it counts when that one ends.
    late_paid: Option<CheckReport>,
    /// "Your key is on the clipboard for AAAI. Close anyway?" is showing.
    pub close_prompt: bool,
    /// macOS's paste-privacy setting, read from the platform at start (tests set it).
    pub paste_access: crate::core::watch::PasteAccess,
    /// A frame drew the notice about [`Self::paste_access`]: where macOS will ask, the watcher
    /// reads nothing before (`core::watch::waits_for_notice`).
    pub paste_notice_shown: bool,
    close_allowed: bool,
    inbox: inbox::Inbox,
    ctx: egui::Context,
    watcher: Option<ClipboardWatcher>,
    watcher_active: bool,
    services: Services,
}

/// The texts this window showed in English for want of a translation, in this window's life:
/// what the tests of a translated window expect to be empty.
pub fn untranslated(ctx: &egui::Context) -> Vec<String> {
    ctx.data(|d| d.get_temp::<ui::Untranslated>(ui::untranslated_id()))
        .map(|u| u.0.into_iter().collect())
        .unwrap_or_default()
}

/// The language the window speaks for `choice`: English when that language is not translated
/// yet (its catalogue is empty).
pub(crate) fn shown_language(choice: LangChoice, locales: &[String]) -> Lang {
    let lang = choice.resolve(locales.iter().map(String::as_str));
    if i18n::is_translated(lang) {
        lang
    } else {
        Lang::En
    }
}

impl App {
    /// Build the app and load saved progress.
    pub fn new(cc: &eframe::CreationContext<'_>, mut services: Services) -> Self {
        theme::apply(&cc.egui_ctx);
        let mut loaded = services.store.load();
        // A save confirmed under older rules is confirmed only if it still may be.
        if loaded.progress.checklist.confirmed {
            loaded.progress.checklist.confirm();
        }
        let ctx = cc.egui_ctx.clone();
        let watcher = services
            .clipboard
            .take()
            .and_then(|open| ClipboardWatcher::start(open, move || ctx.request_repaint()).ok());
        let clip = if watcher.is_some() {
            ClipStatus::Off
        } else {
            ClipStatus::Unavailable(String::from("The clipboard cannot be read here."))
        };
        let lang = shown_language(loaded.progress.language, &services.locales);
        let mut app = Self {
            lang,
            language_names: false,
            screen: Screen::Step,
            progress: loaded.progress,
            notice: loaded.notice,
            welcome: false,
            link_failure: None,
            copied: None,
            key: None,
            clip,
            clip_note: None,
            check: CheckState::NotYet,
            evidence: BTreeMap::new(),
            view: ViewState::default(),
            vault: VaultState::Loading,
            save_in_keyring: true,
            confirm_forget: false,
            handoff: None,
            recheck: None,
            wrong_organization: false,
            checks_started: 0,
            replacing: None,
            confirm_replace: false,
            offered: None,
            declined: Vec::new(),
            may_overwrite: Vec::new(),
            held: None,
            late_paid: None,
            close_prompt: false,
            paste_access: crate::platform::clipboard_counter::paste_access(),
            paste_notice_shown: false,
            close_allowed: false,
            inbox: inbox::Inbox::new(),
            ctx: cc.egui_ctx.clone(),
            watcher,
            watcher_active: false,
            services,
        };
        let wanted = app.lang;
        app.speak(wanted);
        app.vault_work(|vault| inbox::Inbound::VaultLoaded(vault.load()));
        app
    }

    /// Where the key is kept, in plain words.
    pub(crate) fn vault_location(&self) -> &'static str {
        self.services.vault.location()
    }

    /// The support report: the last check's text, or the key's shape; never the key. Built on
    /// request only (the UI enables its button from the key and check state). Ends with the
    /// renderer the window started with, and why any tried before it could not, and the
    /// window's language. Always English, for AAAI's support staff.
    pub(crate) fn support_report(&self) -> Option<String> {
        let text = match (&self.check, &self.key) {
            (CheckState::Done { report, .. }, _) => Some(crate::core::report::render_text(report)),
            (_, Some(captured)) => CheckReport::from_shape(&Recognition::Key(captured.key.clone()))
                .map(|r| crate::core::report::render_text(&r)),
            _ => None,
        }?;
        let watcher = self.watcher_line().unwrap_or("Not watching the clipboard");
        let mut text = format!("{}\n{:<18}{watcher}\n", text.trim_end(), "Clipboard:");
        if let Some(start) = crate::platform::window::started() {
            text.push_str(&format!("{:<18}{}\n", "Window:", start.line()));
        }
        text.push_str(&format!(
            "{:<18}{} ({})\n",
            "Window language:",
            self.lang.english_name(),
            self.lang.tag()
        ));
        Some(text)
    }

    /// Which clipboard watcher runs (`core::watch`), once the clipboard was first opened.
    /// Whether the clipboard watcher should run now, the macOS notice aside: there is a
    /// watcher, it can watch, and the user's setting wants it on this step.
    pub(crate) fn watcher_wanted(&self) -> bool {
        self.watcher.is_some()
            && !matches!(self.clip, ClipStatus::Unavailable(_))
            && self.progress.watch.is_active(
                self.progress.selected_step,
                self.key.is_some() || self.replacing.is_some(),
                self.progress.reached_key_step,
            )
    }

    pub(crate) fn watcher_line(&self) -> Option<&'static str> {
        self.watcher
            .as_ref()
            .and_then(crate::adapters::clipboard::ClipboardWatcher::watcher)
            .map(crate::core::watch::Watcher::line)
    }

    /// How the key stands, for the welcome sentence.
    pub(crate) fn key_standing(&self) -> KeyStanding {
        match &self.check {
            CheckState::Running { .. } => KeyStanding::Checking,
            CheckState::Done { report, .. } if report.verdict.exit_code() == 0 => {
                KeyStanding::Works
            }
            CheckState::Done { .. } | CheckState::Failed(_) => KeyStanding::NeedsAttention,
            CheckState::NotYet | CheckState::Cancelled => KeyStanding::Kept,
        }
    }

    /// The last check's report, if one finished.
    pub fn report(&self) -> Option<&CheckReport> {
        match &self.check {
            CheckState::Done { report, .. } => Some(report),
            _ => None,
        }
    }

    /// The key is on the clipboard for AAAI (a hand-off is running): closing the window clears
    /// it, so closing asks first.
    pub fn handing_off(&self) -> bool {
        self.handoff.is_some()
    }

    /// Whether the last check found that OpenAI accepts the key.
    pub(crate) fn key_works(&self) -> bool {
        self.report()
            .is_some_and(|r| r.steps.key == crate::core::verdict::StepState::Done)
    }

    /// Take a key as if it had been pasted (the screenshot gallery and tests use this): it is
    /// ticked, kept and checked like any other.
    pub fn take_key(&mut self, key: crate::core::key::ApiKey) {
        self.capture(key, KeySource::PasteBox);
    }

    fn trace(&self, line: &str) {
        if self.services.trace {
            eprintln!("aaai-key-setup: {line}");
        }
    }
}

impl eframe::App for App {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_background();
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Leave no key on the clipboard behind us: whatever key the app put there for AAAI, and
        // a captured key that is still there, if the clipboard still holds it. Wait briefly for
        // the watcher thread to do it. (And from the primary selection: see `clear_if_holds`.)
        let Some(w) = &self.watcher else {
            crate::platform::signals::cleaned_up();
            return;
        };
        let mut keys = Vec::new();
        if let Some(h) = &self.handoff {
            keys.push(h.key.clone());
        }
        for k in [&self.key, &self.replacing].into_iter().flatten() {
            if keys.iter().all(|other| *other != k.key) {
                keys.push(k.key.clone());
            }
        }
        let mut waiting = keys.len();
        for key in keys {
            w.clear_if_holds(key);
        }
        let deadline = Instant::now() + std::time::Duration::from_secs(2);
        while waiting > 0 && Instant::now() < deadline {
            match w.try_event() {
                Some(ClipEvent::Cleared { removed }) => {
                    self.trace(&format!("clipboard clear on exit removed={removed}"));
                    waiting -= 1;
                    continue;
                }
                Some(ClipEvent::ClearFailed) => {
                    self.trace("clipboard clear on exit failed");
                    waiting -= 1;
                    continue;
                }
                _ => {}
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        crate::platform::signals::cleaned_up();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ui.ctx()
            .accesskit_node_builder(egui::accesskit_root_id(), |node| node.set_label(TITLE));
        // Closing while the key is on the clipboard for AAAI empties the clipboard (on X11 with
        // no clipboard manager it is gone anyway): ask first.
        if ui.ctx().input(|i| i.viewport().close_requested())
            && self.handing_off()
            && !self.close_allowed
        {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.close_prompt = true;
        }
        let mut view = std::mem::take(&mut self.view);
        let intents = ui::app_ui(ui, self, &mut view);
        self.view = view;
        if !intents.is_empty() {
            self.apply(intents);
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
        // eframe's system font provider picks CJK faces by the system's locale, not the
        // window's, and enumerates every font at each start; `App::speak` installs the
        // language's own face instead (`platform::fonts`).
        system_font_fallback: false,
        ..Default::default()
    }
}

impl App {
    /// Speak `lang` from the next frame on, when a font on this system can draw it: install
    /// its fonts and set [`Self::lang`]. When none can, the window keeps (or goes back to)
    /// English and the notice says why and what to install. A later success clears that
    /// notice.
    pub fn speak(&mut self, lang: Lang) {
        let started = std::time::Instant::now();
        match crate::platform::fonts::use_fonts_for(&self.ctx, lang, self.language_names) {
            Ok(()) => {
                self.trace(&format!(
                    "fonts: ready for {} in {} ms",
                    lang.tag(),
                    started.elapsed().as_millis()
                ));
                self.lang = lang;
                if self
                    .notice
                    .as_deref()
                    .is_some_and(crate::platform::fonts::NoFont::is_notice)
                {
                    self.notice = None;
                }
            }
            Err(no_font) => {
                self.trace(&format!(
                    "fonts: none for {} ({} characters missing); the window stays English",
                    lang.tag(),
                    no_font.missing
                ));
                // English needs no font of its own, so this cannot fail.
                let _ =
                    crate::platform::fonts::use_fonts_for(&self.ctx, Lang::En, self.language_names);
                self.lang = Lang::En;
                self.notice = Some(no_font.message());
            }
        }
    }
}

/// Open the window and run until it is closed; each renderer this system has is tried in turn
/// (`platform::window`).
pub fn run() -> eframe::Result {
    crate::platform::window::open(TITLE, native_options, || {
        Box::new(|cc| {
            // SIGTERM, Ctrl+C and the like close the window as a normal close does, so
            // `on_exit` clears the key from the clipboard (`platform::signals`).
            let ctx = cc.egui_ctx.clone();
            crate::platform::signals::on_termination(move || {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                ctx.request_repaint();
            });
            Ok(Box::new(App::new(cc, Services::system())))
        })
    })
}
