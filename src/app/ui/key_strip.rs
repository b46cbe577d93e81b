//! The key strip at the bottom: the masked key, where it is kept and its menu, the keyring
//! states that need the user, the one status of the check; with no key, the paste box and the
//! clipboard switch.

use egui::RichText;

use super::{Look, ago, lines, toned_lines, tr};
use crate::app::theme;
use crate::app::{App, CheckExtra, CheckState, ClipStatus, Intent, Screen, VaultState, ViewState};
use crate::core::guide;
use crate::core::paste::{self, PasteHint};
use crate::core::readiness::CheckReport;
use crate::core::status::{self, Tone};
use crate::core::verdict::Verdict;
use crate::core::watch;

/// The key strip: the masked key, its kind, where it is kept and one menu; the one status
/// line of the check; with no key, the paste box and the clipboard switch.
pub(super) fn key_strip_ui(
    ui: &mut egui::Ui,
    app: &App,
    view: &mut ViewState,
    intents: &mut Vec<Intent>,
) {
    ui.add_space(4.0);
    offered_key_ui(ui, app, intents);
    match &app.key {
        Some(captured) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(tr(ui, "Your key:")).strong());
                ui.label(format!(
                    "{} {}",
                    tr(ui, captured.key.kind().label()),
                    captured.key.masked()
                ));
                ui.label(theme::quiet(tr(ui, &vault_words(app))));
                key_menu_ui(ui, app, captured.on_clipboard, intents);
            });
            if app.confirm_replace {
                let question = format!(
                    "Replace {}? It stays saved until your new key is copied or pasted here.",
                    captured.key.masked()
                );
                lines(
                    ui,
                    |_| {},
                    &question,
                    Look::Strong,
                    |ui| {
                        if ui.button(tr(ui, "Yes, replace it")).clicked() {
                            intents.push(Intent::ConfirmReplace(true));
                        }
                        if ui.button(tr(ui, "Keep this key")).clicked() {
                            intents.push(Intent::ConfirmReplace(false));
                        }
                    },
                );
            }
            vault_ui(ui, app, intents);
            // macOS 15.4+, a session that opens with a saved key: the watcher still looks for a
            // new key, so the notice comes first here too (there is no "Watch" line).
            let notice = watch::access_notice(app.paste_access);
            if app.watcher_wanted()
                && notice.read
                && let Some(words) = notice.say
            {
                lines(ui, |_| {}, words, Look::Toned(Tone::NeedsYou), |_| {});
                if !app.paste_notice_shown {
                    intents.push(Intent::PasteNoticeShown);
                }
            }
            if captured.on_clipboard && app.handoff.is_none() {
                toned_lines(
                    ui,
                    Tone::NeedsYou,
                    "Your key is still on the clipboard, where other apps can read it.",
                    |ui| {
                        if ui.small_button("Clear it from the clipboard").clicked() {
                            intents.push(Intent::ClearClipboard);
                        }
                    },
                );
            }
            check_status_ui(ui, app, intents);
        }
        None => {
            let lead = |ui: &mut egui::Ui| {
                ui.label(RichText::new(tr(ui, "Your key:")).strong());
            };
            match &app.replacing {
                Some(old) => {
                    let words = format!(
                        "waiting for your new key. Copy it in OpenAI's dialog, or paste it \
                         below. Until then {} stays saved.",
                        old.key.masked()
                    );
                    lines(ui, lead, &words, Look::Quiet, |ui| {
                        if ui.small_button(tr(ui, "Keep my old key")).clicked() {
                            intents.push(Intent::KeepOldKey);
                        }
                    });
                }
                None => lines(
                    ui,
                    lead,
                    "none yet. Copy it in OpenAI's dialog (step 2) and it shows up here, masked.",
                    Look::Quiet,
                    |_| {},
                ),
            }
            if let VaultState::Failed(message) = &app.vault {
                ui.label(theme::quiet(tr(
                    ui,
                    "Your keyring could not be opened, so no saved key was read.",
                )))
                .on_hover_text(tr(ui, message));
                ui.label(theme::quiet(tr(ui, "You can still paste a key.")));
            }
            let focus = matches!(app.clip, ClipStatus::Unavailable(_));
            paste_box_ui(ui, view, focus, intents);
            watch_ui(ui, app, intents);
        }
    }
    if let Some(note) = &app.clip_note {
        toned_lines(ui, note.tone, &note.text, |ui| {
            if note.joined.is_some() && ui.button(tr(ui, "Join the pieces")).clicked() {
                intents.push(Intent::JoinCopied);
            }
        });
    }
    ui.add_space(4.0);
}

/// The key strip's one menu: replace, forget, clear from the clipboard, save.
fn key_menu_ui(ui: &mut egui::Ui, app: &App, on_clipboard: bool, intents: &mut Vec<Intent>) {
    ui.menu_button(tr(ui, "Key options"), |ui| {
        if ui.button(tr(ui, "Replace key…")).clicked() {
            intents.push(Intent::ReplaceKey);
        }
        if app.vault == VaultState::Stored && ui.button(tr(ui, "Forget saved key…")).clicked() {
            intents.push(Intent::AskForget);
        }
        if on_clipboard && ui.button(tr(ui, "Clear it from the clipboard")).clicked() {
            intents.push(Intent::ClearClipboard);
        }
        if matches!(app.vault, VaultState::SessionOnly | VaultState::Empty)
            && ui.button(tr(ui, "Save in my keyring")).clicked()
        {
            intents.push(Intent::SetSaveInKeyring(true));
        }
    });
}

fn vault_words(app: &App) -> String {
    let location = app.vault_location();
    match &app.vault {
        VaultState::Stored => format!("kept in {location}"),
        VaultState::Saving => format!("saving in {location}…"),
        VaultState::Forgetting => String::from("removing the saved key…"),
        VaultState::SessionOnly => String::from("kept for this session only"),
        VaultState::Loading | VaultState::Empty => String::from("not saved"),
        VaultState::Failed(_) | VaultState::HoldsOther(_) => String::from("not saved"),
    }
}

fn watch_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    match &app.clip {
        ClipStatus::Unavailable(reason) => {
            let words = format!("{reason} Paste your key into the box above instead.");
            lines(
                ui,
                |_| {},
                &words,
                Look::Toned(Tone::NeedsYou),
                |ui| {
                    // macOS: the user denied pasting from other apps; the setting is one click away.
                    if watch::access_notice(app.paste_access).offer_settings
                        && ui.button(tr(ui, "Open System Settings")).clicked()
                    {
                        intents.push(Intent::OpenLink(watch::PASTE_PRIVACY_SETTINGS));
                    }
                },
            );
        }
        status => {
            let mut watching = *status == ClipStatus::Watching;
            ui.horizontal_wrapped(|ui| {
                if ui
                    .checkbox(&mut watching, tr(ui, "Watch the clipboard for my key"))
                    .changed()
                {
                    intents.push(Intent::SetWatch(watching));
                }
                ui.label(theme::quiet(tr(
                    ui,
                    "Only this app looks at it, and nothing is sent anywhere or saved.",
                )));
            });
            if watching && let Some(line) = app.watcher_line() {
                lines(ui, |_| {}, line, Look::Quiet, |_| {});
            }
            // macOS 15.4+: say before the first read that macOS will ask, and what to choose.
            if let Some(words) = watch::access_notice(app.paste_access).say {
                lines(ui, |_| {}, words, Look::Toned(Tone::NeedsYou), |_| {});
                if !app.paste_notice_shown {
                    intents.push(Intent::PasteNoticeShown);
                }
            }
        }
    }
}

/// "A new key was copied (sk-proj-…WxYz). Use it?": a key that differs from the current one
/// is never taken without the user's yes.
fn offered_key_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let (Some(offer), Some(current)) = (&app.offered, &app.key) else {
        return;
    };
    let how = match offer.source {
        crate::app::KeySource::PasteBox => "pasted",
        _ => "copied",
    };
    let question = if app.key_works() {
        format!(
            "A new key was {how} ({}). Your current key {} works: use the new one instead?",
            offer.key.masked(),
            current.key.masked()
        )
    } else {
        format!("A new key was {how} ({}). Use it?", offer.key.masked())
    };
    toned_lines(ui, Tone::NeedsYou, &question, |ui| {
        if ui.button(tr(ui, "Use it")).clicked() {
            intents.push(Intent::UseNewKey(true));
        }
        if ui.button(tr(ui, "Keep my current key")).clicked() {
            intents.push(Intent::UseNewKey(false));
        }
    });
}

/// Keyring states that need the user: saving (an unlock prompt may be up), a failure with its
/// choices, the forget confirmation.
fn vault_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let location = app.vault_location();
    match &app.vault {
        VaultState::Saving => {
            let words = format!(
                "Saving in {location}… If you are asked to unlock your keyring, enter your login \
                 password."
            );
            lines(
                ui,
                |ui| {
                    ui.spinner();
                },
                &words,
                Look::Plain,
                |_| {},
            );
        }
        VaultState::Stored if app.confirm_forget => {
            let question =
                format!("Remove the key from {location}? You will need it again for AAAI.");
            lines(
                ui,
                |_| {},
                &question,
                Look::Plain,
                |ui| {
                    if ui.button(tr(ui, "Yes, forget it")).clicked() {
                        intents.push(Intent::ConfirmForget(true));
                    }
                    if ui.button(tr(ui, "Keep it")).clicked() {
                        intents.push(Intent::ConfirmForget(false));
                    }
                },
            );
        }
        VaultState::Failed(message) => {
            toned_lines(ui, Tone::Problem, message, |ui| {
                if ui.button(tr(ui, "Try again")).clicked() {
                    intents.push(Intent::RetryStore);
                }
                if ui.button(tr(ui, "Continue without saving")).clicked() {
                    intents.push(Intent::ContinueWithoutSaving);
                }
            });
        }
        VaultState::HoldsOther(saved) => {
            let question = format!(
                "Your keyring already holds another key, {}, saved before. Replace it with \
                 this key?",
                saved.masked()
            );
            toned_lines(ui, Tone::NeedsYou, &question, |ui| {
                if ui.button(tr(ui, "Replace the saved key")).clicked() {
                    intents.push(Intent::ReplaceSavedKey(true));
                }
                if ui.button(tr(ui, "Keep the saved key")).clicked() {
                    intents.push(Intent::ReplaceSavedKey(false));
                }
            });
        }
        VaultState::SessionOnly => {
            ui.label(theme::quiet(tr(
                ui,
                "Kept in memory for this session only, and gone when you close the app.",
            )));
        }
        _ => {}
    }
}

/// The paste box; `focus` puts the cursor in it once (the clipboard cannot be watched here).
fn paste_box_ui(ui: &mut egui::Ui, view: &mut ViewState, focus: bool, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr(ui, "Or paste your key here:"));
        let id = ui.make_persistent_id("paste box");
        let focused_once = id.with("focused once");
        if focus && !ui.data(|d| d.get_temp::<bool>(focused_once).unwrap_or(false)) {
            ui.memory_mut(|m| m.request_focus(id));
            ui.data_mut(|d| d.insert_temp(focused_once, true));
        }
        if ui.memory(|m| m.has_focus(id))
            && let Some(bytes) = ui.input_mut(|i| refuse_oversized(&mut i.events, view.paste.len()))
        {
            view.paste_hint = paste::too_long(bytes);
        }
        let edit = egui::TextEdit::singleline(&mut *view.paste)
            .id(id)
            .char_limit(paste::PASTE_LIMIT)
            .password(!view.show_paste)
            .hint_text("sk-proj-…")
            .desired_width(theme::PASTE_WIDTH);
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            view.paste_hint = paste::hint(&view.paste);
        }
        let toggle = if view.show_paste { "Hide" } else { "Show" };
        if ui.small_button(tr(ui, toggle)).clicked() {
            view.show_paste = !view.show_paste;
        }
        let usable = view.paste_hint.usable();
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui
            .add_enabled(usable, egui::Button::new(tr(ui, "Use this key")))
            .clicked();
        if usable && (clicked || entered) {
            intents.push(Intent::UsePasted);
        }
    });
    match &view.paste_hint {
        PasteHint::Problem(problem) => toned_lines(ui, Tone::Problem, problem, |_| {}),
        PasteHint::Broken(problem) => toned_lines(ui, Tone::Problem, problem, |ui| {
            if ui.button(tr(ui, "Join the pieces")).clicked() {
                intents.push(Intent::JoinPasted);
            }
        }),
        PasteHint::Empty | PasteHint::Ready => {}
    }
}

/// Takes out of this frame's input every paste (or typed text) that would make the paste box
/// hold more than [`paste::PASTE_LIMIT`] bytes, before the box sees it: nothing of it goes in, so
/// nothing is cut silently. Returns the size of the largest one refused.
fn refuse_oversized(events: &mut Vec<egui::Event>, current: usize) -> Option<usize> {
    let mut refused = None;
    events.retain(|event| match event {
        egui::Event::Paste(text) | egui::Event::Text(text) if !paste::fits(current, text) => {
            refused = refused.max(Some(text.len()));
            false
        }
        _ => true,
    });
    refused
}

/// The one status of the check, in the key strip: checking, not checked, or what it found (with
/// "all set" only when the final checklist can be confirmed), and "Check again".
fn check_status_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let label = if matches!(app.check, CheckState::NotYet) {
        "Check my key with OpenAI"
    } else {
        "Check again"
    };
    let check_button = |ui: &mut egui::Ui, intents: &mut Vec<Intent>| {
        let check = ui.button(tr(ui, label));
        if ui.data_mut(|d| d.remove_temp::<bool>(super::check_again_focus_id())) == Some(true) {
            check.request_focus();
        }
        if check.clicked() {
            intents.push(Intent::RunCheck);
        }
    };
    match &app.check {
        CheckState::NotYet => {
            toned_lines(ui, Tone::NotChecked, "Not checked with OpenAI yet.", |ui| {
                check_button(ui, intents);
            })
        }
        CheckState::Running { since, extra, .. } => {
            let words = match extra {
                CheckExtra::Verification => "Making one test image and checking with OpenAI…",
                _ => "Checking with OpenAI…",
            };
            lines(
                ui,
                |ui| {
                    ui.spinner();
                },
                words,
                Look::Plain,
                |ui| {
                    // A fixed width, so the buttons after it do not move as the count grows.
                    super::seconds_label(ui, since.elapsed().as_secs());
                    if ui.button(tr(ui, "Cancel")).clicked() {
                        intents.push(Intent::CancelCheck);
                    }
                    check_button(ui, intents);
                },
            );
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(500));
        }
        CheckState::Cancelled => toned_lines(
            ui,
            Tone::NotChecked,
            "Check cancelled, so nothing was found yet. Click Check again when you are ready.",
            |ui| check_button(ui, intents),
        ),
        CheckState::Failed(message) => {
            toned_lines(ui, Tone::Problem, message, |ui| check_button(ui, intents));
        }
        CheckState::Done { report, at } => {
            let (tone, text) = summary(app, report);
            let text = format!("{text} (checked {})", ago(*at));
            toned_lines(ui, tone, &text, |ui| {
                if let Some(step) =
                    status::step_of(report).filter(|_| report.verdict != Verdict::Ready)
                    && !(app.screen == Screen::Step && app.progress.selected_step == step)
                    && ui
                        .small_button(tr(ui, &format!("Show step {}", guide::number(step))))
                        .clicked()
                {
                    intents.push(Intent::SelectStep(step));
                }
                check_button(ui, intents);
            });
        }
    }
}

/// The one overall status line after a check. A finding is told in full inside its step; the
/// strip does not repeat it while that step is on screen.
fn summary(app: &App, report: &CheckReport) -> (Tone, String) {
    if report.verdict.exit_code() == 0 {
        let s = status::after_ready_check(&app.progress.checklist, Some(report));
        // The confirmed final checklist says the rest right above ("Copy key for AAAI", what
        // images still need): the strip keeps only its first sentence, not a second wording.
        if app.screen == Screen::FinalChecklist
            && app.progress.checklist.confirmed
            && let Some(first) = crate::core::sentences::sentences(&s.text).first()
        {
            return (s.tone, (*first).to_owned());
        }
        return (s.tone, s.text);
    }
    let tone = Tone::of_verdict(report.verdict);
    match status::step_of(report) {
        Some(step) if app.screen == Screen::Step && app.progress.selected_step == step => (
            tone,
            format!(
                "Not ready yet. Step {} above says what to do.",
                guide::number(step)
            ),
        ),
        Some(_) => (tone, report.message.clone()),
        // Nothing in a step holds this finding: say what to do here.
        None => (tone, format!("{} {}", report.message, report.next_step)),
    }
}
