//! The window. `ui.rs` draws and returns intents; `App::apply` here is the only place that acts
//! on them, and `App::poll_background` drains what worker threads report.

mod intent;
mod services;
mod state;
mod theme;
mod ui;

pub use intent::{Intent, Screen};
pub use services::Services;
use state::VaultEvent;
pub use state::{
    CapturedKey, CheckExtra, CheckState, ClipStatus, CreditWatch, KeySource, LinkFailure,
    VaultState, ViewState,
};

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Instant;

use zeroize::Zeroizing;

use crate::adapters::clipboard::{ClipEvent, ClipboardWatcher};
use crate::adapters::net;
use crate::adapters::vault::KeyStore;
use crate::core::checklist::{ItemId, Mark};
use crate::core::key::{self, ApiKey, Recognition};
use crate::core::progress::{Progress, WatchSetting};
use crate::core::readiness::CheckReport;
use crate::core::recheck;
use crate::core::verdict::{StepId, StepState};

/// The window's title.
pub const TITLE: &str = "AAAI Key Setup";

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
    /// The key, once captured or pasted.
    pub key: Option<CapturedKey>,
    /// The clipboard watcher's status.
    pub clip: ClipStatus,
    /// A note about what the clipboard held (a key-like problem, or text too long to scan).
    pub clip_note: Option<String>,
    /// The readiness check.
    pub check: CheckState,
    /// What each step's latest evidence is, and when it was found.
    pub evidence: BTreeMap<StepId, (String, Instant)>,
    /// Widget state.
    pub view: ViewState,
    /// The keyring's state.
    pub vault: VaultState,
    /// Save captured keys in the keyring (on by default).
    pub save_in_keyring: bool,
    /// The "forget the saved key?" confirmation is showing.
    pub confirm_forget: bool,
    /// The key is on the clipboard for AAAI until this moment, then it is cleared.
    pub handoff_until: Option<Instant>,
    /// Re-checking for credit, when the user said they added some.
    pub credit_watch: Option<CreditWatch>,
    vault_events: (Sender<VaultEvent>, Receiver<VaultEvent>),
    ctx: egui::Context,
    watcher: Option<ClipboardWatcher>,
    watcher_active: bool,
    services: Services,
}

impl App {
    /// Build the app and load saved progress.
    pub fn new(cc: &eframe::CreationContext<'_>, mut services: Services) -> Self {
        theme::apply(&cc.egui_ctx);
        let loaded = services.store.load();
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
        let mut app = Self {
            screen: Screen::Step,
            progress: loaded.progress,
            notice: loaded.notice,
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
            handoff_until: None,
            credit_watch: None,
            vault_events: mpsc::channel(),
            ctx: cc.egui_ctx.clone(),
            watcher,
            watcher_active: false,
            services,
        };
        app.vault_work(|vault| VaultEvent::Loaded(vault.load()));
        app
    }

    /// Run keyring work on a named worker thread (it may wait for an unlock prompt).
    fn vault_work(&mut self, work: impl FnOnce(&dyn KeyStore) -> VaultEvent + Send + 'static) {
        let vault = Arc::clone(&self.services.vault);
        let tx = self.vault_events.0.clone();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name(String::from("keyring"))
            .spawn(move || {
                let _ = tx.send(work(vault.as_ref()));
                ctx.request_repaint();
            });
        if spawned.is_err() {
            self.vault = VaultState::Failed(String::from("The keyring could not be reached."));
        }
    }

    fn store_current_key(&mut self) {
        let Some(captured) = &self.key else { return };
        let key = captured.key.clone();
        self.vault = VaultState::Saving;
        self.vault_work(move |vault| VaultEvent::Stored(vault.store(&key)));
    }

    /// Where the key is kept, in plain words.
    pub fn vault_location(&self) -> &'static str {
        self.services.vault.location()
    }

    fn on_vault_event(&mut self, event: VaultEvent) {
        let location = self.services.vault.location();
        match event {
            VaultEvent::Loaded(Ok(Some(key))) => {
                if self.key.is_none() {
                    self.trace(&format!("key loaded from keyring masked={}", key.masked()));
                    self.capture(key, KeySource::Keyring);
                    self.vault = VaultState::Stored;
                    self.mark_saved(location);
                } else if self.vault == VaultState::Loading {
                    self.vault = VaultState::Empty;
                }
            }
            VaultEvent::Loaded(Ok(None)) => {
                if self.vault == VaultState::Loading {
                    self.vault = VaultState::Empty;
                }
            }
            VaultEvent::Loaded(Err(e)) => {
                if self.vault == VaultState::Loading {
                    self.vault = VaultState::Failed(vault_failure_text(&e));
                }
            }
            VaultEvent::Stored(Ok(())) => {
                self.trace("key stored in keyring");
                self.vault = VaultState::Stored;
                self.mark_saved(location);
            }
            VaultEvent::Stored(Err(e)) => {
                self.trace("keyring store failed");
                self.vault = VaultState::Failed(vault_failure_text(&e));
            }
            VaultEvent::Forgot(Ok(_)) => {
                self.trace("key forgotten");
                self.vault = VaultState::Empty;
                self.save_in_keyring = false;
                self.progress
                    .checklist
                    .set(ItemId::KeySavedSafely, Mark::NotYet);
            }
            VaultEvent::Forgot(Err(e)) => self.vault = VaultState::Failed(vault_failure_text(&e)),
        }
    }

    fn mark_saved(&mut self, location: &str) {
        self.progress
            .checklist
            .set(ItemId::KeySavedSafely, Mark::Done);
        self.evidence.insert(
            StepId::Key,
            (format!("Key kept in {location}"), Instant::now()),
        );
    }

    /// The support report: the last check's text, or the key's shape; never the key. Built on
    /// request only (the UI enables its button from the key and check state).
    pub fn support_report(&self) -> Option<String> {
        match (&self.check, &self.key) {
            (CheckState::Done { report, .. }, _) => Some(crate::core::report::render_text(report)),
            (_, Some(captured)) => CheckReport::from_shape(&Recognition::Key(captured.key.clone()))
                .map(|r| crate::core::report::render_text(&r)),
            _ => None,
        }
    }

    fn trace(&self, line: &str) {
        if self.services.trace {
            eprintln!("aaai-key-setup: {line}");
        }
    }

    /// Take a key (from the clipboard or the paste box): tick what it proves, stop watching.
    fn capture(&mut self, key: ApiKey, source: KeySource) {
        self.trace(&format!(
            "key captured kind={} masked={} source={source:?}",
            key.kind().as_str(),
            key.masked()
        ));
        for item in [ItemId::KeyCreated, ItemId::KeyCopied] {
            self.progress.checklist.set(item, Mark::Done);
        }
        let how = match source {
            KeySource::Clipboard => "noticed on the clipboard",
            KeySource::PasteBox => "pasted here",
            KeySource::Keyring => "read from your keyring",
        };
        self.evidence.insert(
            StepId::Key,
            (format!("Key {} {how}", key.masked()), Instant::now()),
        );
        self.key = Some(CapturedKey {
            key,
            source,
            on_clipboard: source == KeySource::Clipboard,
        });
        self.handoff_until = None;
        if source != KeySource::Keyring {
            if self.save_in_keyring {
                self.store_current_key();
            } else {
                self.vault = VaultState::SessionOnly;
            }
        }
        self.check = CheckState::NotYet;
        self.clip_note = None;
    }

    /// Drain background work: clipboard events and the check's result. Called each frame.
    pub fn poll_background(&mut self) {
        let before = self.progress.clone();
        while let Some(event) = self.watcher.as_ref().and_then(ClipboardWatcher::try_event) {
            self.on_clip_event(event);
        }
        while let Ok(event) = self.vault_events.1.try_recv() {
            self.on_vault_event(event);
        }
        if self
            .handoff_until
            .is_some_and(|until| Instant::now() >= until)
        {
            self.clear_handoff();
        }
        self.drive_credit_watch();
        // Wake up for our own deadlines even when nothing else repaints (another screen is
        // open, or the window is hidden): clearing the clipboard and the credit re-check.
        let now = Instant::now();
        // (While a check runs, its own result wakes us instead.)
        let running = matches!(self.check, CheckState::Running { .. });
        let recheck_at = self
            .credit_watch
            .as_ref()
            .filter(|_| !running)
            .map(|w| w.next_at);
        let deadlines = [self.handoff_until, recheck_at];
        if let Some(next) = deadlines.into_iter().flatten().min() {
            self.ctx
                .request_repaint_after(next.saturating_duration_since(now));
        }
        let finished = match &self.check {
            CheckState::Running { rx, .. } => rx.try_recv().ok(),
            _ => None,
        };
        if let Some(result) = finished {
            match result {
                Ok(report) => self.on_report(report),
                Err(e) => self.check = CheckState::Failed(e.to_string()),
            }
        }
        let want = self.watcher.is_some()
            && !matches!(self.clip, ClipStatus::Unavailable(_))
            && self
                .progress
                .watch
                .is_active(self.progress.selected_step, self.key.is_some());
        if want != self.watcher_active {
            if let Some(w) = &self.watcher {
                w.set_active(want);
            }
            self.watcher_active = want;
            self.clip = if want {
                ClipStatus::Watching
            } else {
                ClipStatus::Off
            };
            self.trace(if want {
                "clipboard watching"
            } else {
                "clipboard not watching"
            });
        }
        self.save_if_changed(&before);
    }

    fn on_clip_event(&mut self, event: ClipEvent) {
        match event {
            ClipEvent::Scanned {
                result, truncated, ..
            } => {
                self.clip_note = truncated.then(|| {
                    String::from("The clipboard held a lot of text; only its first MiB was searched for a key.")
                });
                match result {
                    Recognition::Key(key) => {
                        let same = self.key.as_ref().is_some_and(|k| k.key == key);
                        if same {
                            if let Some(k) = &mut self.key {
                                k.on_clipboard = true;
                            }
                        } else if self.key.is_none() || self.progress.watch == WatchSetting::On {
                            self.capture(key, KeySource::Clipboard);
                        }
                    }
                    Recognition::Problem(problem) => {
                        self.trace(&format!(
                            "clipboard problem verdict={}",
                            problem.verdict.as_str()
                        ));
                        self.clip_note = Some(format!("{} {}", problem.message, problem.next_step));
                        self.mark_key_off_clipboard();
                    }
                    Recognition::Nothing => {
                        self.trace("clipboard holds no key");
                        self.mark_key_off_clipboard();
                    }
                }
            }
            ClipEvent::NoText => self.mark_key_off_clipboard(),
            ClipEvent::Unavailable(reason) => {
                self.trace("clipboard unavailable");
                self.clip = ClipStatus::Unavailable(reason);
                self.watcher_active = false;
            }
            ClipEvent::Available => self.clip = ClipStatus::Off,
            ClipEvent::Copied { ok } => {
                self.trace(&format!("key copied for AAAI ok={ok}"));
                if ok {
                    let secs = self.progress.clear_after_secs;
                    self.handoff_until =
                        Some(Instant::now() + std::time::Duration::from_secs(secs));
                } else {
                    self.clip_note = Some(String::from(
                        "The key could not be put on the clipboard. Try again in a moment.",
                    ));
                }
            }
            ClipEvent::Cleared { removed } => {
                self.trace(&format!("clipboard clear removed={removed}"));
                self.mark_key_off_clipboard();
                self.clip_note = Some(String::from(if removed {
                    "Done: your key is no longer on the clipboard."
                } else {
                    "The clipboard already held something else, so it was left alone."
                }));
            }
        }
    }

    /// Clear the key from the clipboard (if it is still there) and end the hand-off.
    fn clear_handoff(&mut self) {
        self.handoff_until = None;
        if let (Some(w), Some(k)) = (&self.watcher, &self.key) {
            w.clear_if_holds(k.key.clone());
        }
    }

    fn mark_key_off_clipboard(&mut self) {
        if let Some(k) = &mut self.key {
            k.on_clipboard = false;
        }
    }

    fn on_report(&mut self, report: CheckReport) {
        self.trace(&format!("check verdict={}", report.verdict.as_str()));
        let now = Instant::now();
        let checklist = &mut self.progress.checklist;
        for (step, state) in report.steps.all() {
            let items: &[(ItemId, Mark)] = match (step, state) {
                (StepId::Account, StepState::Done) => &[(ItemId::SignedIn, Mark::Done)],
                (StepId::Key, StepState::Done) => &[
                    (ItemId::KeyCreated, Mark::Done),
                    (ItemId::KeyCopied, Mark::Done),
                ],
                (StepId::Billing, StepState::Done) => &[(ItemId::PaymentMethod, Mark::Done)],
                (StepId::Billing, StepState::Pending) => &[(ItemId::PaymentMethod, Mark::NotYet)],
                (StepId::Verification, StepState::Pending) => &[(ItemId::Verified, Mark::NotYet)],
                (StepId::Verification, StepState::Done) => &[(ItemId::Verified, Mark::Done)],
                _ => &[],
            };
            for (item, mark) in items {
                checklist.set(*item, *mark);
            }
            if state != StepState::Unknown {
                let what = evidence_text(step, state);
                self.evidence.insert(step, (what.to_owned(), now));
            }
        }
        if let Some(trouble) = report.trouble {
            self.progress.selected_step = crate::core::guide::trouble(trouble).step;
            self.screen = Screen::Step;
        }
        let billing = report.steps.billing;
        self.check = CheckState::Done {
            report: Box::new(report),
            at: now,
        };
        self.after_credit_recheck(billing);
    }

    fn start_check(&mut self, extra: CheckExtra) {
        let Some(captured) = &self.key else { return };
        let key = captured.key.clone();
        let mut config = self.services.check_config.clone();
        config.verification = extra == CheckExtra::Verification;
        config.paid_probe_consent = extra == CheckExtra::PaidProbe;
        let (tx, rx) = mpsc::channel();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name(String::from("readiness-check"))
            .spawn(move || {
                let _ = tx.send(net::run_check_blocking(&key, &config));
                ctx.request_repaint();
            });
        self.check = match spawned {
            Ok(_) => CheckState::Running {
                rx,
                since: Instant::now(),
            },
            Err(_) => CheckState::Failed(String::from("The check could not be started.")),
        };
        self.trace(&format!("check started extra={extra:?}"));
    }

    /// Start or schedule the credit re-check; called each frame while it is on.
    fn drive_credit_watch(&mut self) {
        let Some(watch) = &mut self.credit_watch else {
            return;
        };
        if matches!(self.check, CheckState::Running { .. }) || Instant::now() < watch.next_at {
            return;
        }
        watch.attempt += 1;
        self.start_check(CheckExtra::Free);
    }

    /// After a check during the credit re-check: stop when credit shows, else plan the next.
    fn after_credit_recheck(&mut self, billing: StepState) {
        let Some(watch) = &mut self.credit_watch else {
            return;
        };
        if billing == StepState::Done {
            self.credit_watch = None;
            self.clip_note = Some(String::from("Credit has arrived: billing is ticked."));
            return;
        }
        match recheck::recheck_delay(watch.attempt, watch.started.elapsed()) {
            Some(delay) => watch.next_at = Instant::now() + delay,
            None => {
                self.credit_watch = None;
                self.clip_note = Some(String::from(
                    "After 15 minutes there is still no credit on this key. Check that you paid for the \
                     organization this key belongs to, then create a new key and try again.",
                ));
            }
        }
    }

    fn save_if_changed(&mut self, before: &Progress) {
        if self.progress != *before && self.services.store.save(&self.progress).is_err() {
            self.notice = Some(String::from(
                "Your progress could not be saved on this computer; it is kept while the app is open.",
            ));
        }
    }

    /// Apply what the UI asked for.
    pub fn apply(&mut self, intents: Vec<Intent>) {
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
                    self.ctx.copy_text(text.clone());
                    self.copied = Some(text);
                }
                Intent::Confirm => {
                    self.progress.checklist.confirm();
                }
                Intent::DismissNotice => self.notice = None,
                Intent::DismissLinkFailure => self.link_failure = None,
                Intent::SetWatch(on) => {
                    self.progress.watch = if on {
                        WatchSetting::On
                    } else {
                        WatchSetting::Off
                    };
                }
                Intent::UsePasted => {
                    if let Recognition::Key(key) = key::scan(&self.view.paste).result {
                        self.view.paste = Zeroizing::default();
                        self.view.paste_problem = None;
                        self.capture(key, KeySource::PasteBox);
                    }
                }
                Intent::ReplaceKey => {
                    self.key = None;
                    self.check = CheckState::NotYet;
                    if self.progress.watch == WatchSetting::Off {
                        self.progress.watch = WatchSetting::Auto;
                    }
                    self.trace("key dropped for replacement");
                }
                Intent::ClearClipboard => {
                    if let (Some(w), Some(k)) = (&self.watcher, &self.key) {
                        w.clear_if_holds(k.key.clone());
                    }
                }
                Intent::RunCheck => self.start_check(CheckExtra::Free),
                Intent::RunCheckWith(extra) => self.start_check(extra),
                Intent::WatchForCredit => {
                    let now = Instant::now();
                    let first =
                        recheck::recheck_delay(0, std::time::Duration::ZERO).unwrap_or_default();
                    self.credit_watch = Some(CreditWatch {
                        started: now,
                        next_at: now + first,
                        attempt: 0,
                    });
                    self.trace("credit re-check on");
                }
                Intent::StopWatchingForCredit => self.credit_watch = None,
                Intent::SetSaveInKeyring(on) => {
                    self.save_in_keyring = on;
                    if on && self.key.is_some() && self.vault != VaultState::Stored {
                        self.store_current_key();
                    }
                }
                Intent::RetryStore => self.store_current_key(),
                Intent::ContinueWithoutSaving => {
                    self.save_in_keyring = false;
                    self.vault = VaultState::SessionOnly;
                }
                Intent::AskForget => self.confirm_forget = true,
                Intent::ConfirmForget(yes) => {
                    self.confirm_forget = false;
                    if yes {
                        self.vault = VaultState::Forgetting;
                        self.vault_work(|vault| VaultEvent::Forgot(vault.forget()));
                    }
                }
                Intent::CopyForAaai => {
                    if let (Some(w), Some(k)) = (&self.watcher, &self.key) {
                        w.copy_sensitive(k.key.clone());
                    }
                }
                Intent::ClearNow => self.clear_handoff(),
                Intent::SetClearAfter(secs) => self.progress.clear_after_secs = secs,
                Intent::CopyReport => {
                    if let Some(report) = self.support_report() {
                        self.ctx.copy_text(report.clone());
                        self.copied = Some(report);
                    }
                }
            }
        }
        self.save_if_changed(&before);
    }
}

/// What a keyring failure means in the window, and what to click (the CLI's texts name options).
fn vault_failure_text(e: &crate::adapters::vault::VaultError) -> String {
    use crate::adapters::vault::VaultError;
    match e {
        VaultError::Missing { location } => format!(
            "No keyring is available on this computer ({location} is not running), so your key \
             cannot be saved here. It is never written to a file instead. Continue without saving \
             and keep the key in your password manager."
        ),
        VaultError::Locked { .. } => String::from(
            "Your keyring stayed locked. Click Try again and enter your login password when asked.",
        ),
        VaultError::Refused { .. } => String::from(
            "Your keyring did not allow access. Click Try again and choose Allow when asked.",
        ),
        VaultError::Unusable { .. } => String::from(
            "The key saved in your keyring is not usable. Paste or copy your key again to replace it.",
        ),
        VaultError::Other { .. } => String::from(
            "Your keyring could not be used just now. Click Try again; if it keeps failing, continue without saving.",
        ),
    }
}

/// The evidence line for a step's state after a check.
fn evidence_text(step: StepId, state: StepState) -> &'static str {
    match (step, state) {
        (StepId::Account, StepState::Done) => "Checked with OpenAI: your account works",
        (StepId::Key, StepState::Done) => "Checked with OpenAI: the key works",
        (StepId::Billing, StepState::Done) => "Checked with OpenAI: credit available",
        (StepId::Billing, _) => "Checked with OpenAI: no credit yet",
        (StepId::Verification, StepState::Pending) => {
            "Checked with OpenAI: organization verification is needed"
        }
        (StepId::Verification, _) => {
            "Checked with OpenAI: no verification needed for the checked model"
        }
        (_, _) => "Checked with OpenAI: not working yet, see the message below",
    }
}

impl eframe::App for App {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_background();
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Leave no key on the clipboard behind us: clear it if it is still ours, and wait
        // briefly for the watcher thread to do it.
        if let (Some(w), Some(k)) = (&self.watcher, &self.key) {
            w.clear_if_holds(k.key.clone());
            let deadline = Instant::now() + std::time::Duration::from_secs(2);
            while Instant::now() < deadline {
                if let Some(ClipEvent::Cleared { removed }) = w.try_event() {
                    self.trace(&format!("clipboard clear on exit removed={removed}"));
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
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
        ..Default::default()
    }
}

/// Open the window and run until it is closed; each renderer this system has is tried in turn
/// (`platform::window`).
pub fn run() -> eframe::Result {
    crate::platform::window::open(TITLE, native_options, || {
        Box::new(|cc| Ok(Box::new(App::new(cc, Services::system()))))
    })
}
