//! One guide step in the main area, and the troubleshooting screen.

use egui::RichText;

use super::findings::{findings_ui, step_fix_urls};
use super::{fix_label, full_width_group, link_button, tr};
use crate::app::theme;
use crate::app::{App, Intent, Screen};
use crate::core::guide::{self, Block, TROUBLES, Trouble, TroubleId};
use crate::core::status::{self, Tone};
use crate::core::verdict::StepId;

pub(super) fn step_ui(ui: &mut egui::Ui, app: &App, step: StepId, intents: &mut Vec<Intent>) {
    let content = guide::step(step);
    let tone = status::step_tone(&app.progress.checklist, step, app.report());
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        ui.heading(tr(ui, &guide::heading(step)));
        // A step nobody has checked yet shows nothing: "not checked" reads like a failure.
        if tone != Tone::NotChecked {
            theme::badge(ui, tone);
            ui.label(theme::toned(tr(ui, tone.spoken()), tone));
        }
    });
    ui.label(RichText::new(tr(ui, content.why)).italics());
    ui.add_space(4.0);
    findings_ui(ui, app, step, intents);
    let fixes = step_fix_urls(app, step);
    if step == StepId::Account {
        let watching = app.clip == crate::app::ClipStatus::Watching;
        let note = if watching {
            "This app is watching the clipboard: a key you copy shows up at the bottom, masked, \
             on every screen."
        } else {
            "From step 2 on, this app watches the clipboard for your key, on every screen."
        };
        ui.label(theme::quiet(tr(ui, note)));
        ui.label(RichText::new(tr(ui, "Before you start, have ready:")).strong());
        for line in guide::BEFORE_YOU_START {
            // A long line wraps under its first word, not under the bullet.
            ui.horizontal_top(|ui| {
                theme::bullet(ui);
                ui.add(egui::Label::new(tr(ui, line)).wrap());
            });
        }
        ui.add_space(6.0);
    }
    let mut action = 0;
    for block in content.blocks {
        match block {
            Block::Text(text) => {
                ui.label(tr(ui, text));
            }
            Block::Action(text) => {
                action += 1;
                ui.horizontal_top(|ui| {
                    ui.label(RichText::new(format!("{action}.")).strong());
                    ui.add(egui::Label::new(tr(ui, text)).wrap());
                });
            }
            Block::Warning(text) => {
                ui.horizontal_wrapped(|ui| {
                    theme::badge(ui, Tone::NeedsYou);
                    ui.label(theme::toned(tr(ui, text), Tone::NeedsYou));
                });
            }
            Block::Link(link) => {
                if fixes.contains(&link.url) {
                    // Offered above, with what the check found: one button per problem.
                    let said = format!("Use \"{}\" above to open this page.", fix_label(link.url));
                    ui.label(theme::quiet(tr(ui, &said)));
                } else {
                    link_button(ui, link.label, link.url, intents);
                }
            }
        }
        ui.add_space(2.0);
    }
    ui.add_space(theme::GAP);
    if let Some(trouble) = content.trouble {
        let problem = guide::trouble(trouble).problem;
        if ui.link(tr(ui, &format!("Stuck? {problem}"))).clicked() {
            intents.push(Intent::Show(Screen::Troubleshooting(Some(trouble))));
        }
    }
}

/// "Previous step / Next step", under the page and outside its scroll area: never scrolled
/// away, never covered.
pub(super) fn step_nav_ui(ui: &mut egui::Ui, step: StepId, intents: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        if let Some(prev) = guide::previous(step)
            && ui.button(tr(ui, "Previous step")).clicked()
        {
            intents.push(Intent::SelectStep(prev));
        }
        match guide::next(step) {
            Some(next) => {
                if ui.button(tr(ui, "Next step")).clicked() {
                    intents.push(Intent::SelectStep(next));
                }
            }
            None => {
                if ui.button(tr(ui, "Go to the final checklist")).clicked() {
                    intents.push(Intent::Show(Screen::FinalChecklist));
                }
            }
        }
    });
}

pub(super) fn troubleshooting_ui(
    ui: &mut egui::Ui,
    open: Option<TroubleId>,
    intents: &mut Vec<Intent>,
) {
    ui.add_space(6.0);
    ui.heading(tr(ui, "Troubleshooting"));
    ui.label(tr(
        ui,
        "The three problems people meet most often, and what fixes them.",
    ));
    for trouble in &TROUBLES {
        ui.add_space(theme::GAP);
        trouble_box_ui(ui, trouble, open == Some(trouble.id), intents);
    }
}

fn trouble_box_ui(
    ui: &mut egui::Ui,
    trouble: &Trouble,
    highlighted: bool,
    intents: &mut Vec<Intent>,
) {
    let frame = egui::Frame::group(ui.style()).fill(if highlighted {
        ui.visuals().faint_bg_color
    } else {
        egui::Color32::TRANSPARENT
    });
    full_width_group(ui, frame, |ui| {
        ui.label(RichText::new(tr(ui, trouble.problem)).strong());
        for (n, fix) in trouble.fixes.iter().enumerate() {
            ui.label(tr(ui, &format!("{}. {fix}", n + 1)));
        }
        ui.horizontal_wrapped(|ui| {
            for link in trouble.links {
                link_button(ui, link.label, link.url, intents);
            }
            let number = guide::number(trouble.step);
            if ui
                .button(tr(ui, &format!("Back to step {number}")))
                .clicked()
            {
                intents.push(Intent::SelectStep(trouble.step));
            }
        });
    });
}
