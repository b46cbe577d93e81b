//! The checklist panel on the left: each step with its state, and the items a user ticks.

use egui::{RichText, ScrollArea};

use super::tr;
use crate::app::theme;
use crate::app::{App, Intent, Screen};
use crate::core::checklist::{Checklist, ItemId, Mark, items_of};
use crate::core::guide;
use crate::core::status;
use crate::core::verdict::StepId;

pub(super) fn checklist_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let checklist = &app.progress.checklist;
    ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(6.0);
        ui.label(RichText::new(tr(ui, "Your checklist")).strong());
        for step in StepId::ALL {
            ui.add_space(4.0);
            let content = guide::step(step);
            let tone = status::step_tone(checklist, step, app.report());
            let selected = app.screen == Screen::Step && app.progress.selected_step == step;
            let title = tr(ui, &format!("{}. {}", guide::number(step), content.title));
            ui.horizontal(|ui| {
                theme::badge(ui, tone);
                let response = ui.selectable_label(selected, RichText::new(&title).strong());
                // The button speaks its state: "2. Create your secret key, done".
                let spoken = tr(
                    ui,
                    &format!(
                        "{}. {}, {}",
                        guide::number(step),
                        content.title,
                        tone.spoken()
                    ),
                );
                response.widget_info(|| {
                    egui::WidgetInfo::selected(egui::Role::Button, true, selected, spoken.clone())
                });
                // No tooltip: the step's items are right below, and a tooltip would cover them.
                if response.clicked() {
                    intents.push(Intent::SelectStep(step));
                }
            });
            ui.indent(step.as_str(), |ui| {
                for item in items_of(step) {
                    item_ui(ui, checklist, item, intents);
                }
            });
        }
        ui.add_space(theme::GAP);
        // On the final checklist already, a button to it would do nothing.
        if app.screen != Screen::FinalChecklist
            && ui.button(tr(ui, "Go to the final checklist")).clicked()
        {
            intents.push(Intent::Show(Screen::FinalChecklist));
        }
        super::keep_focus_in_view(ui);
    });
}

fn item_ui(ui: &mut egui::Ui, checklist: &Checklist, item: ItemId, intents: &mut Vec<Intent>) {
    let mark = checklist.mark(item);
    let mut done = mark == Mark::Done;
    let response = ui.add_enabled(
        mark != Mark::NotNeeded,
        egui::Checkbox::new(&mut done, tr(ui, item.label())),
    );
    if response.changed() {
        intents.push(Intent::SetItem(
            item,
            if done { Mark::Done } else { Mark::NotYet },
        ));
    }
    if let Some(reason) = item.optional_because() {
        let mut not_needed = mark == Mark::NotNeeded;
        let label = theme::quiet(tr(ui, &format!("Not needed: {reason}")));
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
