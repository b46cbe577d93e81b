//! The one place where intents are acted on, and the effects they start (capturing a key,
//! starting a check, keyring work, the clipboard hand-off).

use std::time::Instant;

use zeroize::Zeroizing;

use super::inbox::Inbound;
use super::state::{CapturedKey, CheckExtra, LinkFailure, RecheckRun};
use super::{App, CheckState, Intent, KeySource, Screen, VaultState};
use crate::adapters::net;
use crate::core::evidence::{self, Evidence};
use crate::core::key::{self, ApiKey, Recognition};
use crate::core::progress::WatchSetting;
use crate::core::recheck::Recheck;
use crate::core::status::Tone;
use crate::core::verdict::StepId;

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
            Intent::SetItem(item, mark) => self.progress.checklist.set(item, mark),
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
            Intent::DismissNotice => self.notice = None,
            Intent::DismissLinkFailure => self.link_failure = None,
            Intent::DismissWelcome => {}
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
                    self.view.paste_hint = crate::core::paste::PasteHint::Empty;
                    self.capture(key, KeySource::PasteBox);
                }
            }
            Intent::ReplaceKey => {
                // The hand-off keeps its own key: a countdown running now still clears it.
                self.replaced = self.key.take().map(|k| k.key);
                self.check = CheckState::NotYet;
                self.recheck = None;
                self.evidence.clear();
                self.wrong_organization = false;
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
            Intent::WatchFor(awaited) => {
                self.recheck = Some(RecheckRun {
                    schedule: Recheck::start(awaited),
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

    fn store_current_key(&mut self) {
        let Some(captured) = &self.key else { return };
        let key = captured.key.clone();
        self.vault = VaultState::Saving;
        self.vault_work(move |vault| Inbound::VaultStored(vault.store(&key)));
    }

    /// Take a key (from the clipboard, the paste box or the keyring): tick what it proves, keep
    /// it, and start the free check by itself (never a paid one).
    pub(super) fn capture(&mut self, key: ApiKey, source: KeySource) {
        self.trace(&format!(
            "key captured kind={} masked={} source={source:?}",
            key.kind().as_str(),
            key.masked()
        ));
        evidence::apply(Evidence::KeyCaptured, &mut self.progress.checklist);
        self.replaced = None;
        let how = match source {
            KeySource::Clipboard => "noticed on the clipboard",
            KeySource::PasteBox => "pasted here",
            KeySource::Keyring => "read from your keyring",
        };
        self.evidence.insert(
            StepId::Key,
            (
                format!("Key {} {how}", key.masked()),
                Tone::Done,
                Instant::now(),
            ),
        );
        self.key = Some(CapturedKey {
            key,
            source,
            on_clipboard: source == KeySource::Clipboard,
        });
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
    /// is already running is superseded (its result is dropped).
    pub(super) fn start_check(&mut self, extra: CheckExtra) {
        let Some(captured) = &self.key else { return };
        let key = captured.key.clone();
        let mut config = self.services.check_config.clone();
        config.verification = extra == CheckExtra::Verification;
        config.paid_probe_consent = extra == CheckExtra::PaidProbe;
        self.checks_started = self.checks_started.saturating_add(1);
        let seq = self.checks_started;
        let spawned = self.spawn_worker("readiness-check", move || Inbound::Checked {
            seq,
            result: Box::new(net::run_check_blocking(&key, &config)),
        });
        self.check = if spawned {
            CheckState::Running {
                seq,
                since: Instant::now(),
            }
        } else {
            CheckState::Failed(String::from(
                "The check could not be started. Close other programs and click Check again.",
            ))
        };
        self.trace(&format!("check started extra={extra:?}"));
    }
}
