//! What the check found about a step, shown inside that step: evidence, the finding and its
//! one fix, the feature lines, the organization question and the offers (keep checking, a
//! one-token test, a test image).

use egui::RichText;

use super::{ago, fix_button, full_width_group, toned_line, tr};
use crate::app::theme;
use crate::app::{App, CheckExtra, CheckState, Intent};
use crate::core::checklist::{ItemId, Mark};
use crate::core::features::Feature;
use crate::core::guide;
use crate::core::readiness::CheckReport;
use crate::core::recheck::Awaited;
use crate::core::status::{self, Action, Tone};
use crate::core::verdict::StepId;

/// The pages this step's findings already offer as fix buttons (so the guide's own link to the
/// same page is not offered a second time).
pub(super) fn step_fix_urls(app: &App, step: StepId) -> Vec<&'static str> {
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
pub(super) fn findings_ui(ui: &mut egui::Ui, app: &App, step: StepId, intents: &mut Vec<Intent>) {
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
    let frame = egui::Frame::group(ui.style());
    full_width_group(ui, frame, |ui| {
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
                ui.label(tr(ui, &report.next_step));
            }
            if let Some(url) = report.fix_url.or_else(|| trouble_url(report)) {
                fix_button(ui, url, intents);
                shown_urls.push(url);
            }
            if step == StepId::Key {
                ui.label(theme::quiet(tr(
                    ui,
                    "Create a new key and copy it: it shows up at the bottom of this window, and \
                     the app asks before using it.",
                )));
            }
        }
        for (feature, fs) in feature.unwrap_or_default() {
            let (tone, line, fix_url) = status::feature_line(&app.progress.checklist, feature, &fs);
            toned_line(ui, tone, &line);
            // Which model was checked, when OpenAI retired or is retiring one: a notice, in
            // the step the feature belongs to.
            if let Some(notice) = report
                .and_then(|r| r.models.as_ref())
                .and_then(|m| m.get(feature).notice.as_deref())
            {
                ui.label(tr(ui, notice));
            }
            if let Some(url) = fix_url
                && !shown_urls.contains(&url)
            {
                fix_button(ui, url, intents);
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
pub(super) fn organization_ui(
    ui: &mut egui::Ui,
    app: &App,
    report: &CheckReport,
    intents: &mut Vec<Intent>,
) {
    if let Some(warning) = &report.other_orgs_warning {
        toned_line(ui, Tone::NeedsYou, warning);
    }
    let Some(org) = &report.organization else {
        return;
    };
    let name = org.title.as_deref().unwrap_or(&org.name);
    ui.horizontal_wrapped(|ui| {
        ui.label(tr(ui, &format!("Organization: {name}")));
        if let Some(project) = &report.project {
            ui.label(tr(ui, &format!("Project: {project}")));
        }
    });
    if let Some(tier) = &report.tier {
        egui::CollapsingHeader::new(tr(ui, "Details"))
            .id_salt("tier_details")
            .show(ui, |ui| {
                ui.label(tr(
                    ui,
                    &format!("OpenAI's usage tier for this account: {tier} (a guess)."),
                ));
                ui.label(tr(
                    ui,
                    "The tier limits how much your key may ask of OpenAI each minute, so it \
                     sets how many articles AAAI can write a minute. OpenAI raises it as your \
                     payments add up.",
                ));
            });
    }
    if app.progress.checklist.mark(ItemId::RightOrganization) == Mark::NotYet {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(tr(
                    ui,
                    &format!("Is {name} the organization you want AAAI to bill?"),
                ))
                .strong(),
            );
            if ui.button(tr(ui, "Yes, bill this one")).clicked() {
                intents.push(Intent::AnswerOrganization(true));
            }
            if ui.button(tr(ui, "No, another one")).clicked() {
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
        // The button first: it stays put while the words after it change.
        if ui.small_button(tr(ui, "Stop checking")).clicked() {
            intents.push(Intent::StopWatching);
        }
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
        ui.label(tr(ui, what));
        if matches!(app.check, CheckState::Running { .. }) {
            ui.label(tr(ui, "Checking now."));
        } else {
            ui.label(tr(ui, "Next check in"));
            super::seconds_label(ui, left);
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
    // Only the actions that can help with this finding (the core's table).
    let actions = status::actions(report, &app.progress.checklist);
    if actions.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        if actions.contains(&Action::KeepCheckingCredit)
            && ui.button(tr(ui, "I added credit: keep checking")).clicked()
        {
            intents.push(Intent::WatchFor(Awaited::Credit));
        }
        if actions.contains(&Action::KeepCheckingLimit)
            && ui
                .button(tr(ui, "I raised the limit: keep checking"))
                .clicked()
        {
            intents.push(Intent::WatchFor(Awaited::Credit));
        }
        if actions.contains(&Action::OneTokenTest)
            && ui
                .button(tr(ui, "Run a one-token test"))
                .on_hover_text(tr(
                    ui,
                    "One real request of one token: it costs a tiny fraction of a cent.",
                ))
                .clicked()
        {
            intents.push(Intent::RunCheckWith(CheckExtra::PaidProbe));
        }
    });
    if actions.contains(&Action::OneTokenTest) {
        ui.label(theme::quiet(tr(
            ui,
            "The one-token test is one real request: it costs a tiny fraction of a cent.",
        )));
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
        let image_model = report
            .models
            .as_ref()
            .map_or("AAAI's image model", |m| m.images.model_words());
        let actions = status::actions(report, checklist);
        ui.horizontal_wrapped(|ui| {
            if actions.contains(&Action::TestImage)
                && ui
                    .button(tr(
                        ui,
                        &format!("Make one test image with {image_model} (about half a cent)"),
                    ))
                    .on_hover_text(tr(
                        ui,
                        "One smallest real image: the only proof that AAAI's images will work.",
                    ))
                    .clicked()
            {
                intents.push(Intent::RunCheckWith(CheckExtra::Verification));
            }
            if actions.contains(&Action::KeepCheckingVerification)
                && ui
                    .button(tr(ui, "I've verified my organization: keep checking"))
                    .clicked()
            {
                intents.push(Intent::WatchFor(Awaited::Verification));
            }
        });
    }
    if ui
        .checkbox(&mut no_images, tr(ui, status::no_images_choice()))
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
