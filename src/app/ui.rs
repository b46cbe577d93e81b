//! Drawing. Every function here reads state and returns intents; none has effects.

use egui::{RichText, ScrollArea};

use super::theme;
use super::{App, Intent, Screen};
use crate::core::checklist::{Checklist, ItemId, Mark};
use crate::core::guide::{self, Block, FINAL_CHECKLIST, TROUBLES, TroubleId};
use crate::core::verdict::StepId;

/// The whole window.
pub fn app_ui(ui: &mut egui::Ui, app: &App) -> Vec<Intent> {
    let mut intents = Vec::new();
    egui::Panel::top("top")
        .resizable(false)
        .show(ui, |ui| top_bar_ui(ui, app, &mut intents));
    egui::Panel::bottom("key_pane")
        .resizable(false)
        .show(ui, |ui| key_pane_ui(ui, &mut intents));
    egui::Panel::left("checklist")
        .resizable(true)
        .default_size(300.0)
        .min_size(240.0)
        .show(ui, |ui| checklist_ui(ui, app, &mut intents));
    egui::CentralPanel::default().show(ui, |ui| {
        ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            if let Some(failure) = &app.link_failure {
                link_failure_ui(ui, failure.url, &mut intents);
            }
            match app.screen {
                Screen::Step => step_ui(ui, app.progress.selected_step, &mut intents),
                Screen::Troubleshooting(open) => troubleshooting_ui(ui, open, &mut intents),
                Screen::FinalChecklist => {
                    final_checklist_ui(ui, &app.progress.checklist, &mut intents)
                }
            }
        });
    });
    intents
}

fn top_bar_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.heading(super::TITLE);
        ui.add_space(12.0);
        let on_steps = app.screen == Screen::Step;
        if ui.selectable_label(on_steps, "Steps").clicked() {
            intents.push(Intent::Show(Screen::Step));
        }
        let on_trouble = matches!(app.screen, Screen::Troubleshooting(_));
        if ui.selectable_label(on_trouble, "Troubleshooting").clicked() {
            intents.push(Intent::Show(Screen::Troubleshooting(None)));
        }
        let on_final = app.screen == Screen::FinalChecklist;
        if ui.selectable_label(on_final, "Final checklist").clicked() {
            intents.push(Intent::Show(Screen::FinalChecklist));
        }
        if let Some(url) = guide::self_manage_url()
            && ui.button("Manage my AAAI subscription").clicked()
        {
            intents.push(Intent::OpenLink(url));
        }
    });
    if let Some(notice) = &app.notice {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(notice).color(theme::WARN));
            if ui.small_button("Dismiss").clicked() {
                intents.push(Intent::DismissNotice);
            }
        });
    }
    ui.add_space(4.0);
}

fn checklist_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let checklist = &app.progress.checklist;
    ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(6.0);
        ui.label(RichText::new("Your checklist").strong());
        for (number, step) in StepId::ALL.into_iter().enumerate() {
            ui.add_space(6.0);
            let content = guide::step(step);
            let (badge, colour) = theme::step_badge(checklist.step_state(step));
            let (settled, total) = checklist.step_progress(step);
            let selected = app.screen == Screen::Step && app.progress.selected_step == step;
            let title = format!("{}. {}", number + 1, content.title);
            ui.horizontal(|ui| {
                ui.label(RichText::new(badge).color(colour))
                    .on_hover_text(format!("{settled} of {total} done"));
                if ui
                    .selectable_label(selected, RichText::new(title).strong())
                    .clicked()
                {
                    intents.push(Intent::SelectStep(step));
                }
            });
            ui.indent(step.as_str(), |ui| {
                for item in guide::items_of(step) {
                    item_ui(ui, checklist, *item, intents);
                }
            });
        }
        ui.add_space(10.0);
        if ui.button("Go to the final checklist").clicked() {
            intents.push(Intent::Show(Screen::FinalChecklist));
        }
    });
}

fn item_ui(ui: &mut egui::Ui, checklist: &Checklist, item: ItemId, intents: &mut Vec<Intent>) {
    let mark = checklist.mark(item);
    let mut done = mark == Mark::Done;
    let response = ui.add_enabled(
        mark != Mark::NotNeeded,
        egui::Checkbox::new(&mut done, item.label()),
    );
    if response.changed() {
        intents.push(Intent::SetItem(
            item,
            if done { Mark::Done } else { Mark::NotYet },
        ));
    }
    if let Some(reason) = item.optional_because() {
        let mut not_needed = mark == Mark::NotNeeded;
        let label = RichText::new(format!("Not needed: {reason}"))
            .small()
            .color(theme::MUTED);
        ui.indent(item.label(), |ui| {
            if ui.checkbox(&mut not_needed, label).changed() {
                intents.push(Intent::SetItem(
                    item,
                    if not_needed {
                        Mark::NotNeeded
                    } else {
                        Mark::NotYet
                    },
                ));
            }
        });
    }
}

fn step_ui(ui: &mut egui::Ui, step: StepId, intents: &mut Vec<Intent>) {
    let content = guide::step(step);
    let number = StepId::ALL.iter().position(|s| *s == step).unwrap_or(0) + 1;
    ui.add_space(6.0);
    ui.heading(format!("Step {number}: {}", content.title));
    ui.label(RichText::new(content.why).italics());
    ui.add_space(6.0);
    if step == StepId::Account {
        ui.label(RichText::new("Before you start, have ready:").strong());
        for line in guide::BEFORE_YOU_START {
            ui.label(format!("• {line}"));
        }
        ui.add_space(6.0);
    }
    let mut action = 0;
    for block in content.blocks {
        match block {
            Block::Text(text) => {
                ui.label(*text);
            }
            Block::Action(text) => {
                action += 1;
                ui.horizontal_top(|ui| {
                    ui.label(RichText::new(format!("{action}.")).strong());
                    ui.add(egui::Label::new(*text).wrap());
                });
            }
            Block::Warning(text) => {
                ui.label(RichText::new(format!("⚠ {text}")).color(theme::WARN));
            }
            Block::Link(link) => {
                if ui
                    .button(format!("{} ⮫", link.label))
                    .on_hover_text(link.url)
                    .clicked()
                {
                    intents.push(Intent::OpenLink(link.url));
                }
            }
        }
        ui.add_space(2.0);
    }
    ui.add_space(10.0);
    ui.horizontal_wrapped(|ui| {
        if let Some(trouble) = content.trouble {
            let problem = guide::trouble(trouble).problem;
            if ui.link(format!("Stuck? {problem}")).clicked() {
                intents.push(Intent::Show(Screen::Troubleshooting(Some(trouble))));
            }
        }
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if let Some(prev) = neighbour(step, -1)
            && ui.button("‹ Previous step").clicked()
        {
            intents.push(Intent::SelectStep(prev));
        }
        match neighbour(step, 1) {
            Some(next) => {
                if ui.button("Next step ›").clicked() {
                    intents.push(Intent::SelectStep(next));
                }
            }
            None => {
                if ui.button("Go to the final checklist ›").clicked() {
                    intents.push(Intent::Show(Screen::FinalChecklist));
                }
            }
        }
    });
}

fn neighbour(step: StepId, offset: isize) -> Option<StepId> {
    let index = StepId::ALL.iter().position(|s| *s == step)?;
    StepId::ALL.get(index.checked_add_signed(offset)?).copied()
}

fn troubleshooting_ui(ui: &mut egui::Ui, open: Option<TroubleId>, intents: &mut Vec<Intent>) {
    ui.add_space(6.0);
    ui.heading("Troubleshooting");
    ui.label("The three problems people meet most often, and what fixes them.");
    for trouble in &TROUBLES {
        ui.add_space(8.0);
        let highlighted = open == Some(trouble.id);
        let frame = egui::Frame::group(ui.style()).fill(if highlighted {
            ui.visuals().faint_bg_color
        } else {
            egui::Color32::TRANSPARENT
        });
        frame.show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(trouble.problem).strong());
            for (n, fix) in trouble.fixes.iter().enumerate() {
                ui.label(format!("{}. {fix}", n + 1));
            }
            ui.horizontal_wrapped(|ui| {
                for link in trouble.links {
                    if ui
                        .button(format!("{} ⮫", link.label))
                        .on_hover_text(link.url)
                        .clicked()
                    {
                        intents.push(Intent::OpenLink(link.url));
                    }
                }
                let number = StepId::ALL
                    .iter()
                    .position(|s| *s == trouble.step)
                    .unwrap_or(0)
                    + 1;
                if ui.button(format!("Back to step {number}")).clicked() {
                    intents.push(Intent::SelectStep(trouble.step));
                }
            });
        });
    }
}

fn final_checklist_ui(ui: &mut egui::Ui, checklist: &Checklist, intents: &mut Vec<Intent>) {
    ui.add_space(6.0);
    ui.heading("Final checklist");
    ui.label("When every line is done (or not needed), confirm and you are finished.");
    ui.add_space(8.0);
    for ((step, mark), line) in checklist.final_states().into_iter().zip(FINAL_CHECKLIST) {
        let (badge, colour) = theme::mark_badge(mark);
        ui.horizontal_wrapped(|ui| {
            ui.add_sized(
                [110.0, 20.0],
                egui::Label::new(RichText::new(badge).color(colour).strong()),
            );
            ui.label(line.text);
            if mark == Mark::NotYet && ui.small_button("Show me how").clicked() {
                intents.push(Intent::SelectStep(step));
            }
        });
    }
    ui.add_space(12.0);
    if checklist.confirmed {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(RichText::new("✔ All set. You are ready to paste your key into AAAI.").color(theme::DONE).strong());
            ui.label("In WordPress, open the AAAI settings and paste the key into the OpenAI API key field, then save.");
        });
    } else {
        let allowed = checklist.can_confirm();
        let button = ui.add_enabled(allowed, egui::Button::new("Confirm"));
        if button.clicked() {
            intents.push(Intent::Confirm);
        }
        if !allowed {
            ui.label(
                RichText::new("Confirm unlocks when every line above is done or not needed.")
                    .small()
                    .color(theme::MUTED),
            );
        }
    }
}

fn link_failure_ui(ui: &mut egui::Ui, url: &'static str, intents: &mut Vec<Intent>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(
                "Your browser could not be opened. Copy this address and paste it into your browser:",
            )
            .color(theme::WARN),
        );
        ui.horizontal_wrapped(|ui| {
            ui.monospace(url);
            if ui.button("Copy address").clicked() {
                intents.push(Intent::CopyText(url.to_owned()));
            }
            if ui.small_button("Dismiss").clicked() {
                intents.push(Intent::DismissLinkFailure);
            }
        });
    });
}

fn key_pane_ui(ui: &mut egui::Ui, _intents: &mut [Intent]) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Your key").strong());
        ui.label(
            RichText::new(
                "When you copy your new key in OpenAI's dialog, it will show up here, masked.",
            )
            .color(theme::MUTED),
        );
    });
    ui.add_space(4.0);
}
