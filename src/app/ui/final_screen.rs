//! The final checklist, and the hand-off once it is confirmed: copying the key for AAAI with
//! its countdown, and the support report.

use egui::RichText;

use super::findings::organization_ui;
use super::{toned_group, toned_line, tr};
use crate::app::theme;
use crate::app::{App, CheckState, Intent, VaultState};
use crate::core::checklist::{ItemId, Mark};
use crate::core::guide::FINAL_CHECKLIST;
use crate::core::status::{self, Tone};
use crate::core::verdict::StepId;

pub(super) fn final_checklist_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let checklist = &app.progress.checklist;
    ui.add_space(6.0);
    ui.heading(tr(ui, "Final checklist"));
    if checklist.confirmed && app.key.is_some() {
        // The hand-off first, so it is whole on screen even at 800×600.
        let headline = match status::images_unproven(checklist, app.report()) {
            Some(caveat) => {
                format!("All set. You are ready to paste your key into AAAI. {caveat}")
            }
            None => String::from("All set. You are ready to paste your key into AAAI."),
        };
        toned_group(ui, Tone::Done, &headline, |ui| {
            ui.label(tr(
                ui,
                "In WordPress, open the AAAI settings, paste the key into the OpenAI API key field and save.",
            ));
            handoff_ui(ui, app, intents);
        });
        ui.add_space(theme::GAP);
    } else if checklist.confirmed {
        toned_line(
            ui,
            Tone::NeedsYou,
            "Your checklist is confirmed, but no key is here: copy your key in OpenAI's dialog \
             or paste it below, then copy it for AAAI here.",
        );
    } else {
        ui.label(tr(
            ui,
            "When every line is done (or not needed), confirm and you are finished.",
        ));
    }
    ui.add_space(4.0);
    for ((step, mark), line) in checklist.final_states().into_iter().zip(FINAL_CHECKLIST) {
        let tone = match (mark, status::step_tone(checklist, step, app.report())) {
            (Mark::NotYet, Tone::Done) => Tone::NeedsYou,
            (_, tone) => tone,
        };
        let word = match (tone, mark) {
            (Tone::Done, Mark::NotNeeded) => "Not needed",
            (Tone::Done, _) => "Done",
            (Tone::NeedsYou, _) => "Not yet",
            (Tone::Problem, _) => "Problem",
            (Tone::NotChecked, _) => "Not checked",
        };
        // The symbol, then the line and its button; a long line wraps under its text, never
        // under the symbol.
        ui.horizontal_top(|ui| {
            theme::badge(ui, tone);
            ui.horizontal_wrapped(|ui| {
                let text = status::final_line(checklist, step, line.text);
                let job = theme::state_line(ui, word, tone, &text);
                ui.label(job);
                if mark == Mark::NotYet && ui.small_button(tr(ui, "Show me how")).clicked() {
                    intents.push(Intent::SelectStep(step));
                }
            });
        });
        // The organization question right under the line it settles, where it is seen first.
        if step == StepId::Account
            && checklist.mark(ItemId::RightOrganization) == Mark::NotYet
            && let Some(report) = app.report()
        {
            ui.indent("organization question", |ui| {
                organization_ui(ui, app, report, intents);
            });
        }
    }
    if let Some(report) = app.report() {
        ui.add_space(4.0);
        for (feature, fs) in report.features.all() {
            let (tone, line, _) = status::feature_line(checklist, feature, fs);
            toned_line(ui, tone, &line);
        }
    }
    ui.add_space(4.0);
    ui.label(RichText::new(tr(ui, &key_line(app))).strong());
}

/// What is left and "Confirm", under the final checklist and outside its scroll area, until it
/// is confirmed: never scrolled away.
pub(super) fn confirm_bar_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let checklist = &app.progress.checklist;
    if !checklist.confirmed {
        let allowed = status::can_confirm(checklist, app.report());
        // After a check that says the key works, the key strip says what is left; say it
        // here only when the strip does not.
        let strip_says_it = app.report().is_some_and(|r| r.verdict.exit_code() == 0);
        if !strip_says_it && let Some(left) = status::left_sentence(checklist, app.report()) {
            toned_line(ui, Tone::NeedsYou, &left);
        }
        if ui
            .add_enabled(allowed, egui::Button::new(tr(ui, "Confirm")))
            .clicked()
        {
            intents.push(Intent::Confirm);
        }
    }
}

fn key_line(app: &App) -> String {
    match &app.key {
        Some(captured) => {
            let place = match &app.vault {
                // The key strip names the keyring: once on a screen is enough.
                VaultState::Stored => String::from("saved on this computer"),
                VaultState::Saving => String::from("being saved"),
                _ => String::from("kept in memory for this session only"),
            };
            format!(
                "Your key: {} {}, {place}",
                captured.key.kind().label(),
                captured.key.masked()
            )
        }
        None => String::from("No key yet: copy it in OpenAI's dialog or paste it below."),
    }
}

/// Said beside "Copy key for AAAI" on Linux, where closing the window empties the clipboard.
const CLOSE_CLEARS_NOTE: &str =
    "Paste it into AAAI before you close this window: closing it clears the clipboard.";

/// "Copy key for AAAI" with its countdown, and the support report.
fn handoff_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| match app.handoff.as_ref().and_then(|h| h.until) {
        Some(until) => {
            let left = until
                .saturating_duration_since(std::time::Instant::now())
                .as_secs()
                + 1;
            ui.vertical(|ui| {
                ui.label(theme::toned(
                    tr(ui, "Your key is on the clipboard: paste it into AAAI now."),
                    Tone::Done,
                ));
                ui.horizontal(|ui| {
                    ui.label(tr(ui, "It is cleared from the clipboard in"));
                    // A fixed width, so "Clear now" does not move as the count goes down.
                    super::seconds_label(ui, left);
                    if ui.button(tr(ui, "Clear now")).clicked() {
                        intents.push(Intent::ClearNow);
                    }
                });
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(250));
        }
        None => {
            let copy = ui.add_enabled(
                app.key.is_some(),
                egui::Button::new(tr(ui, "Copy key for AAAI")),
            );
            // Right after Confirm, focus goes here: the next thing to do.
            let shown_id = egui::Id::unique("copy_for_aaai_shown");
            let shown_before = ui.data(|d| d.get_temp::<bool>(shown_id)).unwrap_or(false);
            if !shown_before {
                ui.data_mut(|d| d.insert_temp(shown_id, true));
                if ui.memory(|m| m.focused().is_some()) {
                    copy.request_focus();
                }
            }
            if copy.clicked() {
                intents.push(Intent::CopyForAaai);
            }
            let mut secs = app.progress.clear_after_secs;
            let label = ui.label(tr(ui, "and clear it from the clipboard after"));
            egui::ComboBox::from_id_salt("clear_after")
                .selected_text(tr(ui, &format!("{secs} s")))
                .show_ui(ui, |ui| {
                    for choice in crate::core::progress::CLEAR_AFTER_CHOICES {
                        ui.selectable_value(&mut secs, choice, tr(ui, &format!("{choice} s")));
                    }
                })
                .response
                .labelled_by(label.id);
            if secs != app.progress.clear_after_secs {
                intents.push(Intent::SetClearAfter(secs));
            }
        }
    });
    if cfg!(target_os = "linux") {
        ui.label(theme::quiet(tr(ui, CLOSE_CLEARS_NOTE)));
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                app.key.is_some() || matches!(app.check, CheckState::Done { .. }),
                egui::Button::new(tr(ui, "Copy a support report")),
            )
            .clicked()
        {
            intents.push(Intent::CopyReport);
        }
        if app.copied.is_some() {
            ui.label(theme::toned(tr(ui, "Copied"), Tone::Done));
        } else {
            ui.label(theme::quiet(tr(
                ui,
                "It shows your key masked, never whole, so it is safe to send to support.",
            )));
        }
    });
    ui.label(RichText::new(tr(ui, "Works here but AAAI still fails?")).strong());
    ui.label(tr(
        ui,
        "Then your web host is the usual suspect. Ask it: \"Can my site make outbound HTTPS \
         calls to api.openai.com, and what is the PHP timeout?\" (a minute per request is needed).",
    ));
}
