//! The one place where intents are acted on, and the effects they start (capturing a key,
//! starting a check, keyring work, the clipboard hand-off).

use std::time::Instant;

use zeroize::Zeroizing;

use super::inbox::Inbound;
use super::state::{CapturedKey, CheckExtra, LinkFailure, OfferedKey, RecheckRun};
use super::{App, CheckState, Intent, KeySource, Screen, VaultState};
use crate::adapters::net;
use crate::core::checklist::{ItemId, Mark};
use crate::core::evidence::{self, Evidence};
use crate::core::i18n::LangChoice;
use crate::core::key::{self, ApiKey, Recognition};
use crate::core::progress::WatchSetting;
use crate::core::recheck::Recheck;
use crate::core::status::Tone;
use crate::core::verdict::StepId;

/// How soon the first free re-check runs after "I added credit" or "I've verified".
const FIRST_RECHECK: std::time::Duration = std::time::Duration::from_secs(3);

impl App {
    /// Apply what the UI asked for.
    pub fn apply(&mut self, intents: Vec<Intent>) {
        let before = self.progress.clone();
        for intent in intents {
            self.apply_one(intent);
        }
        self.save_if_changed(&before);
    }

    fn navigate(&mut self, screen: Screen, step: Option<StepId>) {
        if let Some(step) = step {
            self.progress.selected_step = step;
            if step >= StepId::Key {
                self.progress.reached_key_step = true;
            }
        }
        self.screen = screen;
        // A link failure belongs to the screen and step where it happened.
        if self
            .link_failure
            .as_ref()
            .is_some_and(|f| f.screen != self.screen || f.step != self.progress.selected_step)
        {
            self.link_failure = None;
        }
        self.welcome = false;
    }

    fn apply_one(&mut self, intent: Intent) {
        // "Welcome back" says where the user was; once they act, it has done its job.
        self.welcome = false;
        match intent {
            Intent::SelectStep(step) => self.navigate(Screen::Step, Some(step)),
            Intent::Show(screen) => self.navigate(screen, None),
            Intent::SetItem(item, mark) => {
                self.progress.checklist.set(item, mark);
                // "I won't use AAAI's images" ends the image nags.
                if item == ItemId::Verified
                    && mark == Mark::NotNeeded
                    && self.recheck.as_ref().is_some_and(|r| {
                        r.schedule.awaited == crate::core::recheck::Awaited::Verification
                    })
                {
                    self.recheck = None;
                }
            }
            Intent::OpenLink(url) => {
                self.link_failure = match self.services.browser.open(url) {
                    Ok(()) => None,
                    Err(_) => Some(LinkFailure {
                        url,
                        screen: self.screen,
                        step: self.progress.selected_step,
                    }),
                };
            }
            Intent::CopyText(text) => {
                self.ctx.copy_text(text.clone());
                self.copied = Some((text, Instant::now()));
            }
            Intent::Confirm => {
                if crate::core::status::can_confirm(&self.progress.checklist, self.report()) {
                    self.progress.checklist.confirm();
                }
            }
            Intent::SetLanguage(choice) => self.set_language(choice),
            Intent::ShowLanguageNames => {
                if !self.language_names {
                    self.language_names = true;
                    let lang = self.lang;
                    self.speak(lang);
                }
            }
            Intent::DismissNotice => self.notice = None,
            Intent::DismissLinkFailure => self.link_failure = None,
            Intent::DismissWelcome => {}
            Intent::PasteNoticeShown => self.paste_notice_shown = true,
            Intent::SetWatch(on) => {
                self.progress.watch = if on {
                    WatchSetting::On
                } else {
                    WatchSetting::Off
                };
            }
            Intent::UsePasted | Intent::JoinPasted | Intent::JoinCopied => self.apply_paste(intent),
            Intent::ReplaceKey => self.confirm_replace = self.key.is_some(),
            Intent::ConfirmReplace(_)
            | Intent::KeepOldKey
            | Intent::UseNewKey(_)
            | Intent::ReplaceSavedKey(_)
            | Intent::CancelCheck
            | Intent::CloseAnyway(_) => self.apply_answer(intent),
            Intent::ClearClipboard => {
                if let (Some(w), Some(k)) = (&self.watcher, &self.key) {
                    w.clear_if_holds(k.key.clone());
                }
            }
            Intent::RunCheck => self.start_check(CheckExtra::Free),
            Intent::RunCheckWith(extra) => self.start_check(extra),
            Intent::WatchFor(awaited) => {
                let mut schedule = Recheck::start(awaited);
                // The first free re-check comes soon after the click, so the user sees it work.
                schedule.make_due(FIRST_RECHECK);
                self.recheck = Some(RecheckRun {
                    schedule,
                    started: Instant::now(),
                });
                self.trace(&format!("re-check on for {awaited:?}"));
            }
            Intent::StopWatching => self.recheck = None,
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
                    self.vault_work(|vault| Inbound::VaultForgot(vault.forget()));
                }
            }
            Intent::CopyForAaai => self.start_handoff(),
            Intent::ClearNow => self.clear_handoff(),
            Intent::SetClearAfter(secs) => self.progress.clear_after_secs = secs,
            Intent::CopyReport => {
                if let Some(report) = self.support_report() {
                    self.ctx.copy_text(report.clone());
                    self.copied = Some((report, Instant::now()));
                }
            }
            Intent::AnswerOrganization(yes) => {
                self.wrong_organization = !yes;
                evidence::apply(
                    Evidence::OrganizationAnswer(yes),
                    &mut self.progress.checklist,
                );
            }
        }
    }

    /// A key the user gave on purpose: pasted into the box, or joined from pieces (pasted or
    /// copied).
    fn apply_paste(&mut self, intent: Intent) {
        match intent {
            Intent::UsePasted => {
                if let Recognition::Key(key) = key::scan(&self.view.paste).result {
                    self.view.paste = Zeroizing::default();
                    self.view.paste_hint = crate::core::paste::PasteHint::Empty;
                    self.key_seen(key, KeySource::PasteBox);
                }
            }
            Intent::JoinPasted => {
                if let Some(key) = crate::core::paste::joined(&self.view.paste) {
                    self.view.paste = Zeroizing::default();
                    self.view.paste_hint = crate::core::paste::PasteHint::Empty;
                    self.trace("the pieces in the paste box were joined");
                    self.key_seen(key, KeySource::PasteBox);
                }
            }
            Intent::JoinCopied => {
                if let Some(key) = self.clip_note.take().and_then(|n| n.joined) {
                    self.trace("the pieces copied were joined");
                    self.key_seen(key, KeySource::PasteBox);
                }
            }
            _ => {}
        }
    }

    /// The user's answers: to "replace your key?", "a new key … use it?", Cancel, and the
    /// close prompt.
    fn apply_answer(&mut self, intent: Intent) {
        match intent {
            Intent::ConfirmReplace(yes) => {
                self.confirm_replace = false;
                if yes {
                    self.wait_for_new_key();
                }
            }
            Intent::KeepOldKey => {
                if let Some(old) = self.replacing.take() {
                    self.key = Some(old);
                    self.start_check(CheckExtra::Free);
                }
            }
            Intent::ReplaceSavedKey(yes) => {
                if let VaultState::HoldsOther(saved) = &self.vault {
                    if yes {
                        self.may_overwrite.push(saved.clone());
                        self.store_current_key();
                    } else {
                        // The saved key stays; this one is kept for this session only.
                        self.save_in_keyring = false;
                        self.vault = VaultState::SessionOnly;
                    }
                }
            }
            Intent::UseNewKey(yes) => {
                if let Some(offer) = self.offered.take() {
                    if yes {
                        // The user's yes: the new key replaces the stored one.
                        self.capture(offer.key, offer.source);
                    } else {
                        self.declined.push(offer.key);
                    }
                }
            }
            Intent::CancelCheck => {
                if matches!(self.check, CheckState::Running { .. }) {
                    // A paid answer that still comes counts (see `inbox::on_checked`).
                    self.check = CheckState::Cancelled;
                    self.recheck = None;
                    self.key_line();
                    self.trace("check cancelled");
                }
            }
            Intent::CloseAnyway(yes) => {
                self.close_prompt = false;
                if yes {
                    self.close_allowed = true;
                    self.clear_handoff();
                    self.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            _ => {}
        }
    }

    /// Save the key in the keyring. What is stored there is read first: a key this window never
    /// showed (saved earlier, when the keyring could not be read at start) is not replaced
    /// without the user's yes. Replacing the user's own key, or one they said yes to, is fine.
    fn store_current_key(&mut self) {
        let Some(captured) = &self.key else { return };
        let key = captured.key.clone();
        let mut may_replace = self.may_overwrite.clone();
        may_replace.push(key.clone());
        self.vault = VaultState::Saving;
        self.vault_work(move |vault| match vault.load() {
            Ok(Some(saved)) if !may_replace.contains(&saved) => Inbound::VaultHoldsOther(saved),
            Ok(_) => Inbound::VaultStored(vault.store(&key)),
            Err(e) => Inbound::VaultStored(Err(e)),
        });
    }

    /// A key was copied or pasted. Before the keyring's first answer it is held; the same key
    /// is noted as on the clipboard; with no key here it is taken; a different key while one
    /// is here is offered ("Use it?"), never stored over the user's key without their yes.
    pub(super) fn key_seen(&mut self, key: ApiKey, source: KeySource) {
        if self.vault == VaultState::Loading {
            self.trace("a key was seen before the keyring answered; held");
            self.held = Some((key, source));
            return;
        }
        if let Some(k) = self.key.as_mut().filter(|k| k.key == key) {
            if source == KeySource::Clipboard {
                k.on_clipboard = true;
            }
            return;
        }
        if self.replacing.as_ref().is_some_and(|k| k.key == key) {
            self.trace("the replaced key is still on the clipboard; not taken");
            return;
        }
        if self.key.is_none() {
            self.capture(key, source);
            return;
        }
        // Copied again after "Keep my current key": not offered twice. A key pasted on purpose
        // is always offered.
        if source == KeySource::Clipboard && self.declined.contains(&key) {
            return;
        }
        self.trace(&format!("a new key is offered masked={}", key.masked()));
        self.offered = Some(OfferedKey { key, source });
    }

    /// Handle a key held while the keyring was being read.
    pub(super) fn release_held_key(&mut self) {
        if let Some((key, source)) = self.held.take() {
            self.key_seen(key, source);
        }
    }

    /// "Replace key…", confirmed: the key goes from the window at once (and with it "all set"),
    /// but stays stored until a new key arrives; the user can still go back to it.
    fn wait_for_new_key(&mut self) {
        // The hand-off keeps its own key: a countdown running now still clears it.
        self.replacing = self.key.take();
        self.offered = None;
        self.check = CheckState::NotYet;
        self.recheck = None;
        self.evidence.clear();
        self.wrong_organization = false;
        // The key's ticks were about the old key.
        for item in [
            ItemId::KeyCreated,
            ItemId::KeyCopied,
            ItemId::KeySavedSafely,
        ] {
            self.progress.checklist.set(item, Mark::NotYet);
        }
        if self.progress.watch == WatchSetting::Off {
            self.progress.watch = WatchSetting::Auto;
        }
        self.trace("waiting for a new key; the old one stays stored until it arrives");
    }

    /// Take a key (from the clipboard, the paste box, the keyring, or the user's yes to a new
    /// key): keep it, and start the free check by itself (never a paid one). Nothing is ticked
    /// until the check answers.
    pub(super) fn capture(&mut self, key: ApiKey, source: KeySource) {
        self.trace(&format!(
            "key captured kind={} masked={} source={source:?}",
            key.kind().as_str(),
            key.masked()
        ));
        // The user said yes to replacing these: the key being replaced, and the one a new key
        // takes over from. Either may be overwritten in the keyring.
        for old in [self.replacing.take(), self.key.take()]
            .into_iter()
            .flatten()
        {
            if old.key != key && !self.may_overwrite.contains(&old.key) {
                self.may_overwrite.push(old.key);
            }
        }
        self.offered = None;
        self.late_paid = None;
        self.recheck = None;
        // A pasted key may be on the clipboard too: the watcher says so when it sees it.
        self.key = Some(CapturedKey {
            key,
            source,
            on_clipboard: source == KeySource::Clipboard,
        });
        self.progress.reached_key_step = true;
        self.wrong_organization = false;
        if source != KeySource::Keyring {
            if self.save_in_keyring {
                self.store_current_key();
            } else {
                self.vault = VaultState::SessionOnly;
            }
        }
        if matches!(&self.clip_note, Some(n) if n.tone == Tone::NeedsYou) {
            self.clip_note = None;
        }
        self.start_check(CheckExtra::Free);
    }

    /// Start a check on a worker thread; its result comes back through the inbox. A check that
    /// is already running is superseded: its free result is dropped, a paid answer still counts.
    pub(super) fn start_check(&mut self, extra: CheckExtra) {
        let Some(captured) = &self.key else { return };
        let key = captured.key.clone();
        let mut config = self.services.check_config.clone();
        config.verification = extra == CheckExtra::Verification;
        config.paid_probe_consent = extra == CheckExtra::PaidProbe;
        self.checks_started = self.checks_started.saturating_add(1);
        let seq = self.checks_started;
        let checked = key.clone();
        let spawned = self.spawn_worker("readiness-check", move || Inbound::Checked {
            seq,
            extra,
            key: checked,
            result: Box::new(net::run_check_blocking(&key, &config)),
        });
        self.check = if spawned {
            CheckState::Running {
                seq,
                since: Instant::now(),
                extra,
            }
        } else {
            CheckState::Failed(String::from(
                "The check could not be started. Close other programs and click Check again.",
            ))
        };
        self.key_line();
        self.trace(&format!("check started extra={extra:?}"));
    }
}

impl App {
    /// Speak the language the user chose (the system's, or one from the menu), from the next
    /// frame on, or English with a notice when no font here can draw it (`App::speak`); the
    /// choice is saved with the progress.
    pub(super) fn set_language(&mut self, choice: LangChoice) {
        self.progress.language = choice;
        let lang = super::shown_language(choice, &self.services.locales);
        self.speak(lang);
    }
}
