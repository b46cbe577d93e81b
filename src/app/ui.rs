//! Drawing. Every function here reads state and returns intents; none has effects.

use egui::{RichText, ScrollArea};

use super::theme;
use super::{App, CheckExtra, CheckState, ClipStatus, Intent, Screen, VaultState, ViewState};
use crate::core::checklist::{Checklist, ItemId, Mark};
use crate::core::guide::{self, Block, FINAL_CHECKLIST, TROUBLES, Trouble, TroubleId};
use crate::core::key::{self, Recognition};
use crate::core::verdict::{StepId, StepState};

/// The whole window.
pub fn app_ui(ui: &mut egui::Ui, app: &App, view: &mut ViewState) -> Vec<Intent> {
    let mut intents = Vec::new();
    egui::Panel::top("top")
        .resizable(false)
        .show(ui, |ui| top_bar_ui(ui, app, &mut intents));
    // The key pane never takes more than 40% of the window; past that it scrolls.
    let max_pane = ui.available_height() * 0.4;
    egui::Panel::bottom("key_pane")
        .resizable(false)
        .show(ui, |ui| {
            ScrollArea::vertical()
                .max_height(max_pane)
                .min_scrolled_height(max_pane)
                .show(ui, |ui| key_pane_ui(ui, app, view, &mut intents));
        });
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
                Screen::Step => step_ui(ui, app, app.progress.selected_step, &mut intents),
                Screen::Troubleshooting(open) => troubleshooting_ui(ui, open, &mut intents),
                Screen::FinalChecklist => final_checklist_ui(ui, app, &mut intents),
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

fn step_ui(ui: &mut egui::Ui, app: &App, step: StepId, intents: &mut Vec<Intent>) {
    let content = guide::step(step);
    let number = StepId::ALL.iter().position(|s| *s == step).unwrap_or(0) + 1;
    ui.add_space(6.0);
    ui.heading(format!("Step {number}: {}", content.title));
    ui.label(RichText::new(content.why).italics());
    if let Some((what, at)) = app.evidence.get(&step) {
        ui.label(RichText::new(format!("{what} ({})", ago(*at))).color(theme::DONE));
    }
    if let CheckState::Done { report, .. } = &app.check
        && let Some(trouble) = report.trouble
        && guide::trouble(trouble).step == step
    {
        ui.add_space(4.0);
        trouble_box_ui(ui, guide::trouble(trouble), true, intents);
    }
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
        trouble_box_ui(ui, trouble, open == Some(trouble.id), intents);
    }
}

fn trouble_box_ui(
    ui: &mut egui::Ui,
    trouble: &Trouble,
    highlighted: bool,
    intents: &mut Vec<Intent>,
) {
    {
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

fn final_checklist_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let checklist = &app.progress.checklist;
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
    ui.add_space(8.0);
    let key_line = match &app.key {
        Some(captured) => {
            let place = match &app.vault {
                VaultState::Stored => format!("saved in {}", app.vault_location()),
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
    };
    ui.label(RichText::new(key_line).strong());
    ui.add_space(12.0);
    if checklist.confirmed {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(RichText::new("✔ All set. You are ready to paste your key into AAAI.").color(theme::DONE).strong());
            ui.label(
                "In WordPress, open the AAAI settings, paste the key into the OpenAI API key field and save.",
            );
            handoff_ui(ui, app, intents);
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

/// "Copy key for AAAI" with its countdown, and the support report.
fn handoff_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| match app.handoff_until {
        Some(until) => {
            let left = until
                .saturating_duration_since(std::time::Instant::now())
                .as_secs()
                + 1;
            ui.label(
                RichText::new(format!(
                    "Your key is on the clipboard: paste it into AAAI now. Clearing it in {left} s."
                ))
                .color(theme::DONE),
            );
            if ui.button("Clear now").clicked() {
                intents.push(Intent::ClearNow);
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(250));
        }
        None => {
            if ui
                .add_enabled(app.key.is_some(), egui::Button::new("Copy key for AAAI"))
                .clicked()
            {
                intents.push(Intent::CopyForAaai);
            }
            let mut secs = app.progress.clear_after_secs;
            let label = ui.label("and clear it from the clipboard after");
            egui::ComboBox::from_id_salt("clear_after")
                .selected_text(format!("{secs} s"))
                .show_ui(ui, |ui| {
                    for choice in crate::core::progress::CLEAR_AFTER_CHOICES {
                        ui.selectable_value(&mut secs, choice, format!("{choice} s"));
                    }
                })
                .response
                .labelled_by(label.id);
            if secs != app.progress.clear_after_secs {
                intents.push(Intent::SetClearAfter(secs));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(
                app.key.is_some() || matches!(app.check, CheckState::Done { .. }),
                egui::Button::new("Copy a support report"),
            )
            .clicked()
        {
            intents.push(Intent::CopyReport);
        }
        ui.label(
            RichText::new(
                "It shows your key masked, never whole, so it is safe to send to support.",
            )
            .small()
            .color(theme::MUTED),
        );
    });
    ui.add_space(6.0);
    ui.label(RichText::new("Works here but AAAI still fails?").strong());
    ui.label(
        "Then the key is fine and your web host is the usual suspect: its server must be allowed to \
         make outgoing HTTPS requests to api.openai.com, and its time limit must allow a minute or \
         so per request. Ask your host: \"Can my site make outbound HTTPS calls to api.openai.com, \
         and what is the PHP timeout?\"",
    );
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

/// "2 minutes ago", for evidence lines.
fn ago(at: std::time::Instant) -> String {
    let secs = at.elapsed().as_secs();
    match secs {
        0..=59 => String::from("just now"),
        60..=119 => String::from("1 minute ago"),
        120..=3599 => format!("{} minutes ago", secs / 60),
        _ => format!("{} hours ago", secs / 3600),
    }
}

/// The key-entry pane: what was captured, the clipboard switch, the paste box, the check.
fn key_pane_ui(ui: &mut egui::Ui, app: &App, view: &mut ViewState, intents: &mut Vec<Intent>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Your key").strong());
        match &app.key {
            Some(captured) => {
                ui.label(
                    RichText::new(format!(
                        "✔ {} {}",
                        captured.key.kind().label(),
                        captured.key.masked()
                    ))
                    .color(theme::DONE),
                );
                let running = matches!(app.check, CheckState::Running { .. });
                if ui
                    .add_enabled(!running, egui::Button::new("Check my key with OpenAI"))
                    .clicked()
                {
                    intents.push(Intent::RunCheck);
                }
                if ui.button("Replace key…").clicked() {
                    intents.push(Intent::ReplaceKey);
                }
            }
            None => {
                ui.label(
                    RichText::new(
                        "Copy your new key in OpenAI's dialog and it shows up here, masked.",
                    )
                    .color(theme::MUTED),
                );
            }
        }
    });
    if let Some(captured) = &app.key
        && captured.on_clipboard
        // While handing the key to AAAI, the countdown on the final screen says it instead.
        && app.handoff_until.is_none()
    {
        ui.horizontal_wrapped(|ui| {
            ui.label("Your key is still on the clipboard, where other apps can read it.");
            if ui.small_button("Clear it from the clipboard").clicked() {
                intents.push(Intent::ClearClipboard);
            }
        });
    }
    if app.key.is_some() {
        vault_ui(ui, app, intents);
    } else if let VaultState::Failed(message) = &app.vault {
        ui.label(
            RichText::new("Your keyring could not be opened, so no saved key was read. You can still paste a key.")
                .small()
                .color(theme::MUTED),
        )
        .on_hover_text(message);
    }
    ui.horizontal_wrapped(|ui| match &app.clip {
        ClipStatus::Unavailable(reason) => {
            ui.label(
                RichText::new(format!(
                    "{reason} Paste your key into the box below instead."
                ))
                .color(theme::TODO),
            );
        }
        status => {
            let mut watching = *status == ClipStatus::Watching;
            if ui
                .checkbox(&mut watching, "Watch the clipboard for my key")
                .changed()
            {
                intents.push(Intent::SetWatch(watching));
            }
            ui.label(
                RichText::new("Only this app looks at it; nothing is sent anywhere or saved.")
                    .small()
                    .color(theme::MUTED),
            );
        }
    });
    if let Some(note) = &app.clip_note {
        ui.label(RichText::new(note).color(theme::TODO));
    }
    if app.key.is_none() {
        paste_box_ui(ui, view, intents);
    }
    check_result_ui(ui, app, intents);
    ui.add_space(4.0);
}

/// Where the key is kept, and the keyring's choices.
fn vault_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let location = app.vault_location();
    ui.horizontal_wrapped(|ui| match &app.vault {
        VaultState::Loading | VaultState::Empty => {
            let mut save = app.save_in_keyring;
            if ui.checkbox(&mut save, "Save in my keyring").changed() {
                intents.push(Intent::SetSaveInKeyring(save));
            }
            ui.label(RichText::new(format!("({location})")).small().color(theme::MUTED));
        }
        VaultState::Saving => {
            ui.spinner();
            ui.label(format!(
                "Saving in {location}… If you are asked to unlock your keyring, enter your login password."
            ));
        }
        VaultState::Forgetting => {
            ui.spinner();
            ui.label("Removing the saved key…");
        }
        VaultState::Stored => {
            ui.label(RichText::new(format!("✔ Saved in {location}")).color(theme::DONE));
            if app.confirm_forget {
                ui.label(format!("Remove the key from {location}? You will need it again for AAAI."));
                if ui.button("Yes, forget it").clicked() {
                    intents.push(Intent::ConfirmForget(true));
                }
                if ui.button("Keep it").clicked() {
                    intents.push(Intent::ConfirmForget(false));
                }
            } else if ui.small_button("Forget saved key…").clicked() {
                intents.push(Intent::AskForget);
            }
        }
        VaultState::Failed(message) => {
            ui.label(RichText::new(message).color(theme::WARN));
            if ui.button("Try again").clicked() {
                intents.push(Intent::RetryStore);
            }
            if ui.button("Continue without saving").clicked() {
                intents.push(Intent::ContinueWithoutSaving);
            }
        }
        VaultState::SessionOnly => {
            ui.label(
                RichText::new("Kept in memory for this session only: it is gone when you close the app.")
                    .color(theme::TODO),
            );
            if ui.small_button("Save in my keyring").clicked() {
                intents.push(Intent::SetSaveInKeyring(true));
            }
        }
    });
}

fn paste_box_ui(ui: &mut egui::Ui, view: &mut ViewState, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Or paste your key here:");
        let edit = egui::TextEdit::singleline(&mut *view.paste)
            .password(!view.show_paste)
            .hint_text("sk-proj-…")
            .desired_width(260.0);
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            view.paste_problem = match key::scan(&view.paste).result {
                Recognition::Problem(p) => Some(format!("{} {}", p.message, p.next_step)),
                Recognition::Nothing if !view.paste.trim().is_empty() => Some(String::from(
                    "No OpenAI key found in this text yet. A key starts with sk- and is long; copy it with the copy button in OpenAI's dialog.",
                )),
                _ => None,
            };
        }
        let toggle = if view.show_paste { "Hide" } else { "Show" };
        if ui.small_button(toggle).clicked() {
            view.show_paste = !view.show_paste;
        }
        let usable = view.paste_problem.is_none() && !view.paste.trim().is_empty();
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui.add_enabled(usable, egui::Button::new("Use this key")).clicked();
        if usable && (clicked || entered) {
            intents.push(Intent::UsePasted);
        }
    });
    if let Some(problem) = &view.paste_problem {
        ui.label(RichText::new(problem).color(theme::WARN));
    }
}

fn check_result_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    if let Some(watch) = &app.credit_watch {
        ui.horizontal_wrapped(|ui| {
            let left = watch.next_at.saturating_duration_since(std::time::Instant::now()).as_secs();
            ui.label(format!(
                "Waiting for your credit to show up: that often takes a few minutes. Next check in {left} s."
            ));
            if ui.small_button("Stop checking").clicked() {
                intents.push(Intent::StopWatchingForCredit);
            }
        });
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs(1));
    }
    match &app.check {
        CheckState::NotYet => {}
        CheckState::Running { since, .. } => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Asking OpenAI… ({} s)", since.elapsed().as_secs()));
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(500));
        }
        CheckState::Failed(message) => {
            ui.label(RichText::new(message).color(theme::WARN));
        }
        CheckState::Done { report, at } => {
            let colour = if report.verdict.exit_code() == 0 {
                theme::DONE
            } else {
                theme::WARN
            };
            ui.label(
                RichText::new(format!("{} (checked {})", report.message, ago(*at)))
                    .color(colour)
                    .strong(),
            );
            if !report.next_step.is_empty() {
                ui.label(&report.next_step);
            }
            if let Some(warning) = &report.other_orgs_warning {
                ui.label(RichText::new(warning).color(theme::TODO));
            }
            ui.horizontal_wrapped(|ui| {
                if report.offer_paid_probe
                    && ui
                        .button("Run a one-token test")
                        .on_hover_text("One real request of one token: it costs a tiny fraction of a cent.")
                        .clicked()
                {
                    intents.push(Intent::RunCheckWith(CheckExtra::PaidProbe));
                }
                if report.steps.billing == StepState::Pending
                    && app.credit_watch.is_none()
                    && ui.button("I added credit: keep checking").clicked()
                {
                    intents.push(Intent::WatchForCredit);
                }
                if report.steps.verification == StepState::Unknown
                    && ui
                        .small_button("Check organization verification")
                        .on_hover_text("One tiny request to a model that needs a verified organization; it costs a tiny fraction of a cent.")
                        .clicked()
                {
                    intents.push(Intent::RunCheckWith(CheckExtra::Verification));
                }
            });
            ui.horizontal_wrapped(|ui| {
                if let Some(org) = &report.organization {
                    let name = org.title.as_deref().unwrap_or(&org.name);
                    ui.label(format!("Organization: {name}"));
                }
                if let Some(project) = &report.project {
                    ui.label(format!("Project: {project}"));
                }
                if let Some(tier) = &report.tier {
                    ui.label(format!("Usage tier (estimate): {tier}"));
                }
                if let Some(url) = report.fix_url
                    && ui
                        .button("Open the page that fixes this ⮫")
                        .on_hover_text(url)
                        .clicked()
                {
                    intents.push(Intent::OpenLink(url));
                }
            });
        }
    }
}
