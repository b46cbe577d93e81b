//! Drawing. Every function here reads state and returns intents; none has effects. Colours and
//! symbols come from `theme`; the rules (what is left, which step a finding belongs to, what
//! the paste box says) come from the core.

use egui::{RichText, ScrollArea};

use super::theme;
use super::{App, CheckExtra, CheckState, ClipStatus, Intent, Screen, VaultState, ViewState};
use crate::core::checklist::{Checklist, ItemId, Mark};
use crate::core::features::Feature;
use crate::core::guide::{self, Block, FINAL_CHECKLIST, TROUBLES, Trouble, TroubleId};
use crate::core::paste::{self, PasteHint};
use crate::core::readiness::CheckReport;
use crate::core::recheck::Awaited;
use crate::core::status::{self, Tone};
use crate::core::verdict::{StepId, StepState, Verdict};

/// The whole window.
pub fn app_ui(ui: &mut egui::Ui, app: &App, view: &mut ViewState) -> Vec<Intent> {
    let mut intents = Vec::new();
    egui::Panel::top("top")
        .resizable(false)
        .show(ui, |ui| top_bar_ui(ui, app, &mut intents));
    egui::Panel::bottom("key_strip")
        .resizable(false)
        .show(ui, |ui| key_strip_ui(ui, app, view, &mut intents));
    egui::Panel::left("checklist")
        .resizable(true)
        .default_size(theme::PANEL_WIDTH)
        .min_size(theme::PANEL_MIN_WIDTH)
        .show(ui, |ui| checklist_ui(ui, app, &mut intents));
    egui::CentralPanel::default().show(ui, |ui| {
        ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
            if let Some(failure) = &app.link_failure
                && failure.screen == app.screen
                && failure.step == app.progress.selected_step
            {
                link_failure_ui(ui, app, failure.url, &mut intents);
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
            theme::badge(ui, Tone::NeedsYou);
            ui.label(theme::toned(notice, Tone::NeedsYou));
            if ui.small_button("Dismiss").clicked() {
                intents.push(Intent::DismissNotice);
            }
        });
    }
    if app.welcome && app.key.is_some() {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(status::welcome_back(
                    &app.progress.checklist,
                    app.report(),
                    app.key_standing(),
                ))
                .strong(),
            );
            if ui.small_button("OK").clicked() {
                intents.push(Intent::DismissWelcome);
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
        for step in StepId::ALL {
            ui.add_space(4.0);
            let content = guide::step(step);
            let tone = status::step_tone(checklist, step, app.report());
            let (settled, total) = checklist.step_progress(step);
            let selected = app.screen == Screen::Step && app.progress.selected_step == step;
            let title = format!("{}. {}", guide::number(step), content.title);
            ui.horizontal(|ui| {
                theme::badge(ui, tone);
                let response = ui.selectable_label(selected, RichText::new(&title).strong());
                // The button speaks its state: "2. Create your secret key, done".
                let spoken = format!("{title}, {}", tone.spoken());
                response.widget_info(|| {
                    egui::WidgetInfo::selected(egui::Role::Button, true, selected, spoken.clone())
                });
                if response
                    .on_hover_text(format!("{settled} of {total} done"))
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
        ui.add_space(theme::GAP);
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
        let label = theme::quiet(format!("Not needed: {reason}"));
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

/// A button that opens a page, with a painted arrow after it (not part of its name).
fn link_button(ui: &mut egui::Ui, label: &str, url: &'static str, intents: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        if ui.button(label).on_hover_text(url).clicked() {
            intents.push(Intent::OpenLink(url));
        }
        theme::link_mark(ui);
    });
}

/// The label for a fix button: the guide's own name for that page, when it has one.
fn fix_label(url: &str) -> &'static str {
    guide::STEPS
        .iter()
        .flat_map(|s| s.blocks.iter())
        .find_map(|b| match b {
            Block::Link(link) if link.url == url => Some(link.label),
            _ => None,
        })
        .unwrap_or("Open the page that fixes this")
}

/// A state line with its painted symbol: "✔ Checked with OpenAI: credit available (just now)".
fn toned_line(ui: &mut egui::Ui, tone: Tone, text: &str) {
    ui.horizontal_wrapped(|ui| {
        theme::badge(ui, tone);
        ui.label(theme::toned(text, tone));
    });
}

/// The pages this step's findings already offer as fix buttons (so the guide's own link to the
/// same page is not offered a second time).
fn step_fix_urls(app: &App, step: StepId) -> Vec<&'static str> {
    let mut urls = Vec::new();
    if let Some(report) = app.report() {
        if status::step_of(report) == Some(step)
            && report.verdict.exit_code() != 0
            && let Some(url) = report.fix_url.or_else(|| trouble_url(report))
        {
            urls.push(url);
        }
        for (feature, fs) in report.features.all() {
            if status::step_of_feature(feature) == step
                && let Some(url) = fs.fix_url
                && !urls.contains(&url)
            {
                urls.push(url);
            }
        }
    }
    urls
}

fn trouble_url(report: &CheckReport) -> Option<&'static str> {
    report
        .trouble
        .and_then(|t| guide::trouble(t).links.first().map(|l| l.url))
}

/// What the check found about this step, inside the step: evidence, the finding with its one
/// fix, the feature line, and the questions and offers that belong here.
fn findings_ui(ui: &mut egui::Ui, app: &App, step: StepId, intents: &mut Vec<Intent>) {
    let report = app.report();
    let mut shown_urls: Vec<&'static str> = Vec::new();
    let evidence = app.evidence.get(&step);
    let finding = report.filter(|r| status::step_of(r) == Some(step) && r.verdict.exit_code() != 0);
    let feature = report.map(|r| {
        Feature::ALL
            .into_iter()
            .filter(|f| status::step_of_feature(*f) == step)
            .map(|f| (f, r.features.get(f).clone()))
            .collect::<Vec<_>>()
    });
    let org_question = step == StepId::Account
        && report.and_then(|r| r.organization.as_ref()).is_some()
        && app.progress.checklist.mark(ItemId::RightOrganization) == Mark::NotYet;
    let anything = evidence.is_some()
        || finding.is_some()
        || feature.as_ref().is_some_and(|f| !f.is_empty())
        || org_question
        || app.recheck.is_some()
        || step == StepId::Verification;
    if !anything {
        return;
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        // The finding below says it better than a "not working" evidence line.
        if let Some((what, tone, at)) = evidence
            && (finding.is_none() || *tone == Tone::Done)
        {
            toned_line(ui, *tone, &format!("{what} ({})", ago(*at)));
        }
        if let Some(report) = finding {
            let tone = Tone::of_verdict(report.verdict);
            toned_line(ui, tone, &report.message);
            if !report.next_step.is_empty() {
                ui.label(&report.next_step);
            }
            if let Some(url) = report.fix_url.or_else(|| trouble_url(report)) {
                link_button(ui, fix_label(url), url, intents);
                shown_urls.push(url);
            }
        }
        for (feature, fs) in feature.unwrap_or_default() {
            let tone = status::feature_tone(fs.state);
            toned_line(ui, tone, &format!("{}: {}", feature.label(), fs.line));
            if let Some(url) = fs.fix_url
                && !shown_urls.contains(&url)
            {
                link_button(ui, fix_label(url), url, intents);
                shown_urls.push(url);
            }
        }
        if step == StepId::Account
            && let Some(report) = report
        {
            organization_ui(ui, app, report, intents);
        }
        if step == StepId::Billing {
            billing_offers_ui(ui, app, report, intents);
        }
        if step == StepId::Verification {
            verification_offers_ui(ui, app, report, intents);
        }
    });
    ui.add_space(theme::GAP);
}

/// Which organization (and project) the key belongs to, and the one question about it.
fn organization_ui(ui: &mut egui::Ui, app: &App, report: &CheckReport, intents: &mut Vec<Intent>) {
    if let Some(warning) = &report.other_orgs_warning {
        toned_line(ui, Tone::NeedsYou, warning);
    }
    let Some(org) = &report.organization else {
        return;
    };
    let name = org.title.as_deref().unwrap_or(&org.name);
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("Organization: {name}"));
        if let Some(project) = &report.project {
            ui.label(format!("Project: {project}"));
        }
        if let Some(tier) = &report.tier {
            ui.label(theme::quiet(format!("Usage tier (estimate): {tier}")));
        }
    });
    if app.progress.checklist.mark(ItemId::RightOrganization) == Mark::NotYet {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!("Is {name} the organization you want AAAI to bill?"))
                    .strong(),
            );
            if ui.button("Yes, bill this one").clicked() {
                intents.push(Intent::AnswerOrganization(true));
            }
            if ui.button("No, another one").clicked() {
                intents.push(Intent::AnswerOrganization(false));
            }
        });
        if app.wrong_organization {
            toned_line(
                ui,
                Tone::NeedsYou,
                "Switch to the right organization in OpenAI (top left of the dashboard), create \
                 a key there (step 2) and copy it: this app picks it up.",
            );
        }
    }
}

fn recheck_ui(ui: &mut egui::Ui, app: &App, awaited: Awaited, intents: &mut Vec<Intent>) -> bool {
    let Some(run) = app
        .recheck
        .as_ref()
        .filter(|r| r.schedule.awaited == awaited)
    else {
        return false;
    };
    ui.horizontal_wrapped(|ui| {
        let left = run.next_at().map_or(0, |at| {
            at.saturating_duration_since(std::time::Instant::now())
                .as_secs()
        });
        let what = match awaited {
            Awaited::Credit => {
                "Waiting for your credit to show up: that often takes a few minutes."
            }
            Awaited::Verification => {
                "Waiting for your verification to reach the API: that can take a while. Only free \
                 checks run."
            }
        };
        if matches!(app.check, CheckState::Running { .. }) {
            ui.label(format!("{what} Checking now."));
        } else {
            ui.label(format!("{what} Next check in {left} s."));
        }
        if ui.small_button("Stop checking").clicked() {
            intents.push(Intent::StopWatching);
        }
    });
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_secs(1));
    true
}

fn billing_offers_ui(
    ui: &mut egui::Ui,
    app: &App,
    report: Option<&CheckReport>,
    intents: &mut Vec<Intent>,
) {
    if recheck_ui(ui, app, Awaited::Credit, intents) {
        return;
    }
    let Some(report) = report else { return };
    if report.steps.billing != StepState::Pending && !report.offer_paid_probe {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        if report.steps.billing == StepState::Pending
            && ui.button("I added credit: keep checking").clicked()
        {
            intents.push(Intent::WatchFor(Awaited::Credit));
        }
        if report.offer_paid_probe
            && ui
                .button("Run a one-token test")
                .on_hover_text("One real request of one token: it costs a tiny fraction of a cent.")
                .clicked()
        {
            intents.push(Intent::RunCheckWith(CheckExtra::PaidProbe));
        }
    });
    if report.offer_paid_probe {
        ui.label(theme::quiet(
            "The one-token test is one real request: it costs a tiny fraction of a cent.",
        ));
    }
}

fn verification_offers_ui(
    ui: &mut egui::Ui,
    app: &App,
    report: Option<&CheckReport>,
    intents: &mut Vec<Intent>,
) {
    let checklist = &app.progress.checklist;
    let mut no_images = checklist.mark(ItemId::Verified) == Mark::NotNeeded;
    if report.is_none() && !no_images && checklist.mark(ItemId::Verified) == Mark::NotYet {
        toned_line(
            ui,
            Tone::NotChecked,
            "Images: not checked yet. Once your key is here, the app checks what it can for free.",
        );
    }
    if !recheck_ui(ui, app, Awaited::Verification, intents)
        && let Some(report) = report
    {
        ui.horizontal_wrapped(|ui| {
            if report.offer_image_test
                && !no_images
                && ui
                    .button("Make one test image (about half a cent)")
                    .on_hover_text(
                        "One smallest real image: the only proof that AAAI's images will work.",
                    )
                    .clicked()
            {
                intents.push(Intent::RunCheckWith(CheckExtra::Verification));
            }
            if report.steps.verification == StepState::Pending
                && !no_images
                && ui
                    .button("I've verified my organization: keep checking")
                    .clicked()
            {
                intents.push(Intent::WatchFor(Awaited::Verification));
            }
        });
    }
    if ui
        .checkbox(&mut no_images, "Skip this step: I won't use AAAI's images")
        .changed()
    {
        intents.push(Intent::SetItem(
            ItemId::Verified,
            if no_images {
                Mark::NotNeeded
            } else {
                Mark::NotYet
            },
        ));
    }
}

fn step_ui(ui: &mut egui::Ui, app: &App, step: StepId, intents: &mut Vec<Intent>) {
    let content = guide::step(step);
    let tone = status::step_tone(&app.progress.checklist, step, app.report());
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        ui.heading(guide::heading(step));
        theme::badge(ui, tone);
        ui.label(theme::toned(tone.spoken(), tone));
    });
    ui.label(RichText::new(content.why).italics());
    ui.add_space(4.0);
    findings_ui(ui, app, step, intents);
    let fixes = step_fix_urls(app, step);
    if step == StepId::Account {
        ui.label(RichText::new("Before you start, have ready:").strong());
        for line in guide::BEFORE_YOU_START {
            ui.horizontal_wrapped(|ui| {
                theme::bullet(ui);
                ui.label(*line);
            });
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
                ui.horizontal_wrapped(|ui| {
                    theme::badge(ui, Tone::NeedsYou);
                    ui.label(theme::toned(*text, Tone::NeedsYou));
                });
            }
            Block::Link(link) => {
                if fixes.contains(&link.url) {
                    // Offered above, with what the check found: one button per problem.
                    ui.label(theme::quiet(format!(
                        "Use \"{}\" above to open this page.",
                        fix_label(link.url)
                    )));
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
        if ui.link(format!("Stuck? {problem}")).clicked() {
            intents.push(Intent::Show(Screen::Troubleshooting(Some(trouble))));
        }
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if let Some(prev) = guide::previous(step)
            && ui.button("Previous step").clicked()
        {
            intents.push(Intent::SelectStep(prev));
        }
        match guide::next(step) {
            Some(next) => {
                if ui.button("Next step").clicked() {
                    intents.push(Intent::SelectStep(next));
                }
            }
            None => {
                if ui.button("Go to the final checklist").clicked() {
                    intents.push(Intent::Show(Screen::FinalChecklist));
                }
            }
        }
    });
}

fn troubleshooting_ui(ui: &mut egui::Ui, open: Option<TroubleId>, intents: &mut Vec<Intent>) {
    ui.add_space(6.0);
    ui.heading("Troubleshooting");
    ui.label("The three problems people meet most often, and what fixes them.");
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
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(trouble.problem).strong());
        for (n, fix) in trouble.fixes.iter().enumerate() {
            ui.label(format!("{}. {fix}", n + 1));
        }
        ui.horizontal_wrapped(|ui| {
            for link in trouble.links {
                link_button(ui, link.label, link.url, intents);
            }
            let number = guide::number(trouble.step);
            if ui.button(format!("Back to step {number}")).clicked() {
                intents.push(Intent::SelectStep(trouble.step));
            }
        });
    });
}

fn final_checklist_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let checklist = &app.progress.checklist;
    ui.add_space(6.0);
    ui.heading("Final checklist");
    if checklist.confirmed {
        // The hand-off first, so it is whole on screen even at 800×600.
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            toned_line(
                ui,
                Tone::Done,
                "All set. You are ready to paste your key into AAAI.",
            );
            ui.label(
                "In WordPress, open the AAAI settings, paste the key into the OpenAI API key field and save.",
            );
            handoff_ui(ui, app, intents);
        });
        ui.add_space(theme::GAP);
    } else {
        ui.label("When every line is done (or not needed), confirm and you are finished.");
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
        ui.horizontal_wrapped(|ui| {
            theme::badge(ui, tone);
            let job = theme::state_line(ui, word, tone, line.text);
            ui.label(job);
            if mark == Mark::NotYet && ui.small_button("Show me how").clicked() {
                intents.push(Intent::SelectStep(step));
            }
        });
    }
    if let Some(report) = app.report() {
        ui.add_space(4.0);
        for (feature, fs) in report.features.all() {
            toned_line(
                ui,
                status::feature_tone(fs.state),
                &format!("{}: {}", feature.label(), fs.line),
            );
        }
        if checklist.mark(ItemId::RightOrganization) == Mark::NotYet {
            organization_ui(ui, app, report, intents);
        }
    }
    ui.add_space(4.0);
    ui.label(RichText::new(key_line(app)).strong());
    if !checklist.confirmed {
        ui.add_space(theme::GAP);
        let allowed = status::can_confirm(checklist, app.report());
        // After a check that says the key works, the key strip says what is left; say it
        // here only when the strip does not.
        let strip_says_it = app.report().is_some_and(|r| r.verdict.exit_code() == 0);
        if !strip_says_it && let Some(left) = status::left_sentence(checklist, app.report()) {
            toned_line(ui, Tone::NeedsYou, &left);
        }
        if ui
            .add_enabled(allowed, egui::Button::new("Confirm"))
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
    }
}

/// "Copy key for AAAI" with its countdown, and the support report.
fn handoff_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| match app.handoff.as_ref().and_then(|h| h.until) {
        Some(until) => {
            let left = until
                .saturating_duration_since(std::time::Instant::now())
                .as_secs()
                + 1;
            ui.label(theme::toned(
                format!(
                    "Your key is on the clipboard: paste it into AAAI now. Clearing it in {left} s."
                ),
                Tone::Done,
            ));
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
        if app.copied.is_some() {
            ui.label(theme::toned("Copied", Tone::Done));
        } else {
            ui.label(theme::quiet(
                "It shows your key masked, never whole, so it is safe to send to support.",
            ));
        }
    });
    ui.label(RichText::new("Works here but AAAI still fails?").strong());
    ui.label(
        "Then your web host is the usual suspect. Ask it: \"Can my site make outbound HTTPS \
         calls to api.openai.com, and what is the PHP timeout?\" (a minute per request is needed).",
    );
}

fn link_failure_ui(ui: &mut egui::Ui, app: &App, url: &'static str, intents: &mut Vec<Intent>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        toned_line(
            ui,
            Tone::Problem,
            "Your browser could not be opened. Copy this address and paste it into your browser:",
        );
        ui.horizontal_wrapped(|ui| {
            ui.monospace(url);
            if ui.button("Copy address").clicked() {
                intents.push(Intent::CopyText(url.to_owned()));
            }
            if app.copied.as_ref().is_some_and(|(text, _)| text == url) {
                ui.label(theme::toned("Copied", Tone::Done));
            }
            if ui.small_button("Dismiss").clicked() {
                intents.push(Intent::DismissLinkFailure);
            }
        });
    });
    ui.add_space(theme::GAP);
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

/// The key strip: the masked key, its kind, where it is kept and one menu; the one status
/// line of the check; with no key, the paste box and the clipboard switch.
fn key_strip_ui(ui: &mut egui::Ui, app: &App, view: &mut ViewState, intents: &mut Vec<Intent>) {
    ui.add_space(4.0);
    match &app.key {
        Some(captured) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Your key:").strong());
                ui.label(format!(
                    "{} {}",
                    captured.key.kind().label(),
                    captured.key.masked()
                ));
                ui.label(theme::quiet(vault_words(app)));
                ui.menu_button("Key options", |ui| {
                    if ui.button("Replace key…").clicked() {
                        intents.push(Intent::ReplaceKey);
                    }
                    if app.vault == VaultState::Stored && ui.button("Forget saved key…").clicked()
                    {
                        intents.push(Intent::AskForget);
                    }
                    if captured.on_clipboard && ui.button("Clear it from the clipboard").clicked() {
                        intents.push(Intent::ClearClipboard);
                    }
                    if matches!(app.vault, VaultState::SessionOnly | VaultState::Empty)
                        && ui.button("Save in my keyring").clicked()
                    {
                        intents.push(Intent::SetSaveInKeyring(true));
                    }
                });
            });
            vault_ui(ui, app, intents);
            if captured.on_clipboard && app.handoff.is_none() {
                ui.horizontal_wrapped(|ui| {
                    theme::badge(ui, Tone::NeedsYou);
                    ui.label(theme::toned(
                        "Your key is still on the clipboard, where other apps can read it.",
                        Tone::NeedsYou,
                    ));
                    if ui.small_button("Clear it from the clipboard").clicked() {
                        intents.push(Intent::ClearClipboard);
                    }
                });
            }
            check_status_ui(ui, app, intents);
        }
        None => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Your key:").strong());
                ui.label(theme::quiet(
                    "none yet. Copy it in OpenAI's dialog (step 2) and it shows up here, masked.",
                ));
            });
            if let VaultState::Failed(message) = &app.vault {
                ui.label(theme::quiet(
                    "Your keyring could not be opened, so no saved key was read. You can still paste a key.",
                ))
                .on_hover_text(message);
            }
            paste_box_ui(ui, view, intents);
            watch_ui(ui, app, intents);
        }
    }
    if let Some(note) = &app.clip_note {
        toned_line(ui, note.tone, &note.text);
    }
    ui.add_space(4.0);
}

fn vault_words(app: &App) -> String {
    let location = app.vault_location();
    match &app.vault {
        VaultState::Stored => format!("kept in {location}"),
        VaultState::Saving => format!("saving in {location}…"),
        VaultState::Forgetting => String::from("removing the saved key…"),
        VaultState::SessionOnly => String::from("kept for this session only"),
        VaultState::Loading | VaultState::Empty => String::from("not saved"),
        VaultState::Failed(_) => String::from("not saved"),
    }
}

fn watch_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| match &app.clip {
        ClipStatus::Unavailable(reason) => {
            ui.label(theme::toned(
                format!("{reason} Paste your key into the box above instead."),
                Tone::NeedsYou,
            ));
        }
        status => {
            let mut watching = *status == ClipStatus::Watching;
            if ui
                .checkbox(&mut watching, "Watch the clipboard for my key")
                .changed()
            {
                intents.push(Intent::SetWatch(watching));
            }
            ui.label(theme::quiet(
                "Only this app looks at it; nothing is sent anywhere or saved.",
            ));
        }
    });
}

/// Keyring states that need the user: saving (an unlock prompt may be up), a failure with its
/// choices, the forget confirmation.
fn vault_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let location = app.vault_location();
    match &app.vault {
        VaultState::Saving => {
            ui.horizontal_wrapped(|ui| {
                ui.spinner();
                ui.label(format!(
                    "Saving in {location}… If you are asked to unlock your keyring, enter your login password."
                ));
            });
        }
        VaultState::Stored if app.confirm_forget => {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "Remove the key from {location}? You will need it again for AAAI."
                ));
                if ui.button("Yes, forget it").clicked() {
                    intents.push(Intent::ConfirmForget(true));
                }
                if ui.button("Keep it").clicked() {
                    intents.push(Intent::ConfirmForget(false));
                }
            });
        }
        VaultState::Failed(message) => {
            ui.horizontal_wrapped(|ui| {
                theme::badge(ui, Tone::Problem);
                ui.label(theme::toned(message, Tone::Problem));
                if ui.button("Try again").clicked() {
                    intents.push(Intent::RetryStore);
                }
                if ui.button("Continue without saving").clicked() {
                    intents.push(Intent::ContinueWithoutSaving);
                }
            });
        }
        VaultState::SessionOnly => {
            ui.label(theme::quiet(
                "Kept in memory for this session only: it is gone when you close the app.",
            ));
        }
        _ => {}
    }
}

fn paste_box_ui(ui: &mut egui::Ui, view: &mut ViewState, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Or paste your key here:");
        let edit = egui::TextEdit::singleline(&mut *view.paste)
            .password(!view.show_paste)
            .hint_text("sk-proj-…")
            .desired_width(theme::PASTE_WIDTH);
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            view.paste_hint = paste::hint(&view.paste);
        }
        let toggle = if view.show_paste { "Hide" } else { "Show" };
        if ui.small_button(toggle).clicked() {
            view.show_paste = !view.show_paste;
        }
        let usable = view.paste_hint.usable();
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui
            .add_enabled(usable, egui::Button::new("Use this key"))
            .clicked();
        if usable && (clicked || entered) {
            intents.push(Intent::UsePasted);
        }
    });
    if let PasteHint::Problem(problem) = &view.paste_hint {
        toned_line(ui, Tone::Problem, problem);
    }
}

/// The one status of the check, in the key strip: checking, not checked, or what it found (with
/// "all set" only when the final checklist can be confirmed), and "Check again".
fn check_status_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| {
        match &app.check {
            CheckState::NotYet => {
                theme::badge(ui, Tone::NotChecked);
                ui.label(theme::toned(
                    "Not checked with OpenAI yet.",
                    Tone::NotChecked,
                ));
            }
            CheckState::Running { .. } => {
                ui.spinner();
                ui.label("Checking…");
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(500));
            }
            CheckState::Failed(message) => {
                theme::badge(ui, Tone::Problem);
                ui.label(theme::toned(message, Tone::Problem));
            }
            CheckState::Done { report, at } => {
                let (tone, text) = summary(app, report);
                theme::badge(ui, tone);
                ui.label(theme::toned(format!("{text} (checked {})", ago(*at)), tone));
                if let Some(step) =
                    status::step_of(report).filter(|_| report.verdict != Verdict::Ready)
                    && !(app.screen == Screen::Step && app.progress.selected_step == step)
                    && ui
                        .small_button(format!("Show step {}", guide::number(step)))
                        .clicked()
                {
                    intents.push(Intent::SelectStep(step));
                }
            }
        }
        let label = if matches!(app.check, CheckState::NotYet) {
            "Check my key with OpenAI"
        } else {
            "Check again"
        };
        if ui.button(label).clicked() {
            intents.push(Intent::RunCheck);
        }
    });
}

/// The one overall status line after a check. A finding is told in full inside its step; the
/// strip does not repeat it while that step is on screen.
fn summary(app: &App, report: &CheckReport) -> (Tone, String) {
    if report.verdict.exit_code() == 0 {
        let s = status::after_ready_check(&app.progress.checklist, Some(report));
        return (s.tone, s.text);
    }
    let tone = Tone::of_verdict(report.verdict);
    match status::step_of(report) {
        Some(step) if app.screen == Screen::Step && app.progress.selected_step == step => (
            tone,
            format!(
                "Checked with OpenAI: what step {} needs is shown above.",
                guide::number(step)
            ),
        ),
        Some(_) => (tone, report.message.clone()),
        // Nothing in a step holds this finding: say what to do here.
        None => (tone, format!("{} {}", report.message, report.next_step)),
    }
}
