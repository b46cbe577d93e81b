//! The one place where background results come in. Keyring work and readiness checks run on
//! named worker threads and send an [`Inbound`] to the app's one inbox; the clipboard watcher's
//! events are drained here too. `App::poll_background` (from eframe's `logic`) handles them all,
//! and wakes the app for its own deadlines (the hand-off's clear, the next re-check).

use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Instant;

use super::state::{CheckExtra, Handoff, Note};
use super::{App, CheckState, ClipStatus, KeySource, Screen, VaultState};
use crate::adapters::clipboard::{ClipEvent, ClipboardWatcher};
use crate::adapters::net::CheckError;
use crate::adapters::vault::{KeyStore, VaultError};
use crate::core::checklist::{ItemId, Mark};
use crate::core::evidence::{self, Evidence};
use crate::core::key::{ApiKey, Recognition};
use crate::core::readiness::CheckReport;
use crate::core::recheck::{AfterResult, Awaited};
use crate::core::status::{self, Tone};

/// A result from a worker thread.
pub(super) enum Inbound {
    /// The keyring was read at start.
    VaultLoaded(Result<Option<ApiKey>, VaultError>),
    /// The key was stored.
    VaultStored(Result<(), VaultError>),
    /// Not stored: the keyring holds another key that may not be replaced without a yes.
    VaultHoldsOther(ApiKey),
    /// The stored key was forgotten.
    VaultForgot(Result<bool, VaultError>),
    /// A readiness check finished; `seq` says which run, `extra` what it did beyond the free
    /// probes, `key` which key it checked.
    Checked {
        seq: u64,
        extra: CheckExtra,
        key: ApiKey,
        result: Box<Result<CheckReport, CheckError>>,
    },
}

/// The inbox: every worker gets a clone of the sender.
pub(super) struct Inbox {
    tx: Sender<Inbound>,
    rx: Receiver<Inbound>,
}

impl Inbox {
    pub(super) fn new() -> Self {
        let (tx, rx) = mpsc::channel();
        Self { tx, rx }
    }
}

impl App {
    /// Run `work` on a named worker thread; its result comes back through the inbox.
    pub(super) fn spawn_worker(
        &self,
        name: &str,
        work: impl FnOnce() -> Inbound + Send + 'static,
    ) -> bool {
        let tx = self.inbox.tx.clone();
        let ctx = self.ctx.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let _ = tx.send(work());
                ctx.request_repaint();
            })
            .is_ok()
    }

    /// Keyring work on a worker thread (it may wait for an unlock prompt).
    pub(super) fn vault_work(
        &mut self,
        work: impl FnOnce(&dyn KeyStore) -> Inbound + Send + 'static,
    ) {
        let vault = std::sync::Arc::clone(&self.services.vault);
        if !self.spawn_worker("keyring", move || work(vault.as_ref())) {
            self.vault = VaultState::Failed(String::from("The keyring could not be reached."));
        }
    }

    /// Drain background work and wake up for deadlines. Called each frame.
    pub(crate) fn poll_background(&mut self) {
        let before = self.progress.clone();
        let mut clip_events = Vec::new();
        while let Some(event) = self.watcher.as_ref().and_then(ClipboardWatcher::try_event) {
            clip_events.push(event);
        }
        // What the clipboard holds changed what the window says: draw it again now, not when
        // the mouse next moves (the strip may also change height, see `ui::app_ui`).
        if !clip_events.is_empty() {
            self.ctx.request_repaint();
        }
        for event in clip_events {
            self.on_clip_event(event);
        }
        while let Ok(inbound) = self.inbox.rx.try_recv() {
            match inbound {
                Inbound::VaultLoaded(result) => self.on_vault_loaded(result),
                Inbound::VaultStored(result) => self.on_vault_stored(result),
                Inbound::VaultHoldsOther(saved) => {
                    self.trace(&format!(
                        "the keyring holds another key masked={}; not replaced",
                        saved.masked()
                    ));
                    self.vault = VaultState::HoldsOther(saved);
                }
                Inbound::VaultForgot(result) => self.on_vault_forgot(result),
                Inbound::Checked {
                    seq,
                    extra,
                    key,
                    result,
                } => self.on_checked(seq, extra, &key, *result),
            }
        }
        let now = Instant::now();
        if self
            .handoff
            .as_ref()
            .and_then(|h| h.until)
            .is_some_and(|until| now >= until)
        {
            self.clear_handoff();
            self.ctx.request_repaint();
        }
        self.drive_recheck(now);
        // Fading hints go by themselves.
        if self.clip_note.as_ref().is_some_and(|n| n.faded(now)) {
            self.clip_note = None;
        }
        if self
            .copied
            .as_ref()
            .is_some_and(|(_, at)| now.saturating_duration_since(*at) >= Note::FADE_AFTER)
        {
            self.copied = None;
        }
        // Wake up for our own deadlines even when nothing else repaints (another screen is
        // open, or the window is hidden). While a check runs, its own result wakes us instead.
        let running = matches!(self.check, CheckState::Running { .. });
        let recheck_at = self
            .recheck
            .as_ref()
            .filter(|_| !running)
            .and_then(|r| r.next_at());
        let fade_at = [
            self.clip_note
                .as_ref()
                .filter(|n| n.fades)
                .and_then(|n| n.at.checked_add(Note::FADE_AFTER)),
            self.copied
                .as_ref()
                .and_then(|(_, at)| at.checked_add(Note::FADE_AFTER)),
        ];
        let deadlines = [self.handoff.as_ref().and_then(|h| h.until), recheck_at]
            .into_iter()
            .chain(fade_at);
        if let Some(next) = deadlines.flatten().min() {
            self.ctx
                .request_repaint_after(next.saturating_duration_since(now));
        }
        if self.progress.selected_step >= crate::core::verdict::StepId::Key {
            self.progress.reached_key_step = true;
        }
        let want = self.watcher_wanted()
            && !crate::core::watch::waits_for_notice(self.paste_access, self.paste_notice_shown);
        if want != self.watcher_active {
            if !want {
                // Nothing watches the clipboard now: the app no longer knows what it holds.
                self.mark_key_off_clipboard();
            }
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

    fn on_vault_loaded(&mut self, result: Result<Option<ApiKey>, VaultError>) {
        match result {
            Ok(Some(key)) => {
                if self.key.is_none() {
                    self.trace(&format!("key loaded from keyring masked={}", key.masked()));
                    self.vault = VaultState::Stored;
                    self.capture(key, KeySource::Keyring);
                    self.mark_saved();
                    // Coming back: open at the first step not done, and say where the user is.
                    self.welcome = true;
                    match status::first_open_step(&self.progress.checklist, None) {
                        Some(step) => {
                            self.progress.selected_step = step;
                            self.screen = Screen::Step;
                        }
                        None => self.screen = Screen::FinalChecklist,
                    }
                } else if self.vault == VaultState::Loading {
                    self.vault = VaultState::Empty;
                }
            }
            Ok(None) => {
                if self.vault == VaultState::Loading {
                    self.vault = VaultState::Empty;
                }
            }
            Err(e) => {
                if self.vault == VaultState::Loading {
                    self.vault = VaultState::Failed(vault_failure_text(&e));
                }
            }
        }
        // A key copied before the keyring answered is offered now, never stored over the
        // user's key without their yes.
        self.release_held_key();
    }

    fn on_vault_stored(&mut self, result: Result<(), VaultError>) {
        match result {
            Ok(()) => {
                self.trace("key stored in keyring");
                self.vault = VaultState::Stored;
                self.mark_saved();
            }
            Err(e) => {
                self.trace("keyring store failed");
                self.vault = VaultState::Failed(vault_failure_text(&e));
            }
        }
    }

    fn on_vault_forgot(&mut self, result: Result<bool, VaultError>) {
        match result {
            Ok(_) => {
                self.trace("key forgotten");
                self.vault = VaultState::Empty;
                self.save_in_keyring = false;
                self.progress
                    .checklist
                    .set(ItemId::KeySavedSafely, Mark::NotYet);
            }
            Err(e) => self.vault = VaultState::Failed(vault_failure_text(&e)),
        }
    }

    fn mark_saved(&mut self) {
        let works = self.key_works();
        evidence::apply(Evidence::KeyStored { works }, &mut self.progress.checklist);
        self.key_line();
    }

    /// Step 2's evidence line: what is known about the key. "Kept in the keyring" stays neutral
    /// until OpenAI accepts the key; a refused key gets no line (its finding says it).
    pub(super) fn key_line(&mut self) {
        use crate::core::verdict::StepState;
        let step = crate::core::verdict::StepId::Key;
        let Some(captured) = &self.key else {
            self.evidence.remove(&step);
            return;
        };
        let location = self.services.vault.location();
        let stored = self.vault == VaultState::Stored;
        let running = matches!(self.check, CheckState::Running { .. });
        let here = if stored {
            format!("Key kept in {location}")
        } else {
            let how = match captured.source {
                KeySource::Clipboard => "noticed on the clipboard",
                KeySource::PasteBox => "pasted here",
                KeySource::Keyring => "read from your keyring",
            };
            format!("Key {} {how}", captured.key.masked())
        };
        let line = match self.report().map(|r| r.steps.key) {
            Some(StepState::Done) if stored => Some((
                format!("Checked with OpenAI: the key works, and it is kept in {location}"),
                Tone::Done,
            )),
            Some(StepState::Done) => Some((
                String::from("Checked with OpenAI: the key works"),
                Tone::Done,
            )),
            Some(StepState::Pending) => None,
            _ if running => Some((
                format!("{here}; being checked with OpenAI now"),
                Tone::NotChecked,
            )),
            _ => Some((
                format!("{here}, not checked with OpenAI yet"),
                Tone::NotChecked,
            )),
        };
        match line {
            Some((text, tone)) => {
                self.evidence.insert(step, (text, tone, Instant::now()));
            }
            None => {
                self.evidence.remove(&step);
            }
        }
    }

    fn on_clip_event(&mut self, event: ClipEvent) {
        match event {
            ClipEvent::Scanned {
                result, truncated, ..
            } => {
                self.clip_note = truncated.then(|| {
                    Note::staying(
                        format!(
                            "The clipboard held a lot of text; only its first {} MiB was \
                             searched for a key. Copy just the key and try again.",
                            crate::adapters::clipboard::READ_LIMIT >> 20
                        ),
                        Tone::NeedsYou,
                    )
                });
                match result {
                    Recognition::Key(key) => {
                        if self.key.as_ref().is_none_or(|k| k.key != key) {
                            self.mark_key_off_clipboard();
                        }
                        self.key_seen(key, KeySource::Clipboard);
                    }
                    Recognition::Problem(problem) => {
                        self.trace(&format!(
                            "clipboard problem verdict={}",
                            problem.verdict.as_str()
                        ));
                        self.clip_note = Some(Note {
                            joined: problem.joined,
                            ..Note::staying(
                                format!("{} {}", problem.message, problem.next_step),
                                Tone::NeedsYou,
                            )
                        });
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
                    // Checked: a value from outside must not overflow the clock.
                    let until = Instant::now()
                        .checked_add(std::time::Duration::from_secs(secs))
                        .unwrap_or_else(Instant::now);
                    if let Some(h) = &mut self.handoff {
                        h.until = Some(until);
                    }
                } else {
                    self.handoff = None;
                    self.clip_note = Some(Note::staying(
                        "The key could not be put on the clipboard. Try again in a moment.",
                        Tone::Problem,
                    ));
                }
            }
            ClipEvent::Cleared { removed } => {
                self.trace(&format!("clipboard clear removed={removed}"));
                // Either way the clipboard does not hold the key now.
                self.mark_key_off_clipboard();
                self.clip_note = Some(Note::fading(
                    if removed {
                        "Done: your key is no longer on the clipboard."
                    } else {
                        "The clipboard already held something else, so it was left alone."
                    },
                    Tone::Done,
                ));
            }
            ClipEvent::ClearFailed => {
                self.trace("clipboard clear failed");
                self.clip_note = Some(Note::staying(
                    "The clipboard could not be checked, so your key may still be on it. Copy \
                     any other text to replace it.",
                    Tone::NeedsYou,
                ));
            }
        }
    }

    /// Clear the hand-off's key from the clipboard (if it is still there) and end the hand-off.
    pub(super) fn clear_handoff(&mut self) {
        if let (Some(w), Some(h)) = (&self.watcher, self.handoff.take()) {
            w.clear_if_holds(h.key.clone());
        }
    }

    /// Begin a hand-off: the key goes on the clipboard, owned by the hand-off.
    pub(super) fn start_handoff(&mut self) {
        let (Some(w), Some(k)) = (&self.watcher, &self.key) else {
            return;
        };
        // An earlier hand-off of another key is cleared first.
        if let Some(old) = self.handoff.take()
            && old.key != k.key
        {
            w.clear_if_holds(old.key.clone());
        }
        w.copy_sensitive(k.key.clone());
        self.handoff = Some(Handoff {
            key: k.key.clone(),
            until: None,
        });
    }

    fn mark_key_off_clipboard(&mut self) {
        if let Some(k) = &mut self.key {
            k.on_clipboard = false;
        }
    }

    fn on_checked(
        &mut self,
        seq: u64,
        extra: CheckExtra,
        key: &ApiKey,
        result: Result<CheckReport, CheckError>,
    ) {
        let current = matches!(self.check, CheckState::Running { seq: s, .. } if s == seq);
        if !current {
            let same_key = self.key.as_ref().is_some_and(|k| k.key == *key);
            match result {
                // A newer check supersedes free evidence only: a paid answer counts.
                Ok(report) if extra != CheckExtra::Free && same_key => {
                    self.trace("a paid answer came after a newer check started; it counts");
                    self.on_late_paid(extra, report);
                }
                _ => self.trace("an older check's result was dropped"),
            }
            return;
        }
        match result {
            Ok(report) => self.on_report(extra, report, true),
            Err(e) => {
                self.trace("check could not run");
                self.check = CheckState::Failed(check_error_text(&e));
            }
        }
    }

    /// A paid answer whose check was superseded (by "Check again", a re-check or Cancel): its
    /// proof is saved, and it is merged into the current report now or when that one comes.
    fn on_late_paid(&mut self, extra: CheckExtra, report: CheckReport) {
        self.keep_paid_proof(extra, &report);
        match std::mem::take(&mut self.check) {
            CheckState::Running { seq, since, extra } => {
                self.check = CheckState::Running { seq, since, extra };
                self.late_paid = Some(report);
            }
            CheckState::Done {
                report: current, ..
            } => {
                let mut merged = *current;
                evidence::count_paid_answer(&mut merged, report);
                self.on_report(CheckExtra::Free, merged, false);
            }
            _ => self.on_report(CheckExtra::Free, report, false),
        }
    }

    /// Save a test image's proof for the key's organization, with today's date.
    fn keep_paid_proof(&mut self, extra: CheckExtra, report: &CheckReport) {
        if extra != CheckExtra::Verification
            || report.features.images.state != crate::core::features::FeatureState::Ready
        {
            return;
        }
        let Some(org) = &report.organization else {
            return;
        };
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.progress
            .keep_image_proof(crate::core::progress::ImageProof {
                organization: org.name.clone(),
                made_on: crate::core::progress::utc_date(secs),
            });
        self.trace("image proof saved for the key's organization");
    }

    fn on_report(&mut self, extra: CheckExtra, mut report: CheckReport, navigate: bool) {
        self.trace(&format!("check verdict={}", report.verdict.as_str()));
        let now = Instant::now();
        self.keep_paid_proof(extra, &report);
        if let Some(paid) = self.late_paid.take() {
            evidence::count_paid_answer(&mut report, paid);
        }
        // A saved test image still counts: this check re-checked it for free.
        evidence::count_image_proof(&mut report, &self.progress.image_proofs);
        evidence::apply(
            Evidence::Checked(&report.steps),
            &mut self.progress.checklist,
        );
        for (step, state) in report.steps.all() {
            match status::evidence_line(step, state) {
                Some((what, tone)) => {
                    self.evidence.insert(step, (what.to_owned(), tone, now));
                }
                // An older check's line would now contradict this one.
                None => {
                    self.evidence.remove(&step);
                }
            }
        }
        if let Some(step) = status::step_of(&report).filter(|_| navigate) {
            self.progress.selected_step = step;
            if self.screen != Screen::FinalChecklist {
                self.screen = Screen::Step;
            }
        }
        let steps = report.steps;
        self.check = CheckState::Done {
            report: Box::new(report),
            at: now,
        };
        // Step 2's line, and "kept somewhere safe" once a stored key works.
        if self.vault == VaultState::Stored {
            self.mark_saved();
        } else {
            self.key_line();
        }
        self.after_recheck(&steps, now);
    }

    /// Start the next re-check when it is due.
    fn drive_recheck(&mut self, now: Instant) {
        let Some(run) = &mut self.recheck else { return };
        if matches!(self.check, CheckState::Running { .. })
            || !run
                .schedule
                .is_due(now.saturating_duration_since(run.started))
        {
            return;
        }
        run.schedule.started_one();
        // Never anything paid on a timer.
        self.start_check(CheckExtra::Free);
    }

    fn after_recheck(&mut self, steps: &crate::core::readiness::Steps, now: Instant) {
        let Some(run) = &mut self.recheck else { return };
        let awaited = run.schedule.awaited;
        let outcome = run
            .schedule
            .after(steps, now.saturating_duration_since(run.started));
        let (text, tone) = match (outcome, awaited) {
            (AfterResult::Again(_), _) => return,
            (AfterResult::Arrived, Awaited::Credit) => {
                ("Credit has arrived: billing is ticked.", Tone::Done)
            }
            (AfterResult::Arrived, Awaited::Verification) => (
                "OpenAI no longer says your organization must be verified. Make one test image \
                 to prove images work.",
                Tone::Done,
            ),
            (AfterResult::GaveUp, Awaited::Credit) => (
                "After 15 minutes there is still no credit on this key. Check that you paid for \
                 the organization this key belongs to, then create a new key and try again.",
                Tone::NeedsYou,
            ),
            (AfterResult::GaveUp, Awaited::Verification) => (
                "After 30 minutes OpenAI still says your organization must be verified. Log out \
                 and in again, create a new key (step 2), and copy it here.",
                Tone::NeedsYou,
            ),
        };
        self.recheck = None;
        self.clip_note = Some(Note::staying(text, tone));
    }

    pub(super) fn save_if_changed(&mut self, before: &crate::core::progress::Progress) {
        if self.progress != *before && self.services.store.save(&self.progress).is_err() {
            self.notice = Some(String::from(
                "Your progress could not be saved on this computer; it is kept while the app is open.",
            ));
        }
    }
}

/// What a check that could not run means, in the window's words (never repeating a setting's
/// value, which could hold a key pasted by mistake).
fn check_error_text(e: &CheckError) -> String {
    match e {
        CheckError::KeyNotSendable => String::from(
            "The key holds characters that cannot be sent to OpenAI. Copy it again from OpenAI \
             and paste it here.",
        ),
        CheckError::Setup(_) => String::from(
            "This computer could not set up a secure connection. Restart the app and click Check \
             again.",
        ),
        CheckError::BadUrl | CheckError::InsecureUrl | CheckError::UnsupportedScheme => {
            String::from(
                "The app is set to talk to another address than OpenAI's (OPENAI_BASE_URL), and \
                 that address cannot be used. Remove that setting and start the app again.",
            )
        }
        CheckError::KeyInBaseUrl(masked) => format!(
            "The setting OPENAI_BASE_URL holds what looks like an API key{}, not a web address. \
             Remove that setting (your key belongs in this app, not there) and start the app \
             again.",
            masked
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        ),
        // Names the setting, never its value.
        CheckError::Setting(e) => format!("{e}. Then start the app again."),
        CheckError::Models(_) => String::from(
            "The models file named by the setting AAAI_KEY_SETUP_MODELS could not be used. \
             Remove that setting to use the built-in one, and start the app again.",
        ),
    }
}

/// What a keyring failure means in the window, and what to click (the CLI's texts name options).
fn vault_failure_text(e: &VaultError) -> String {
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
