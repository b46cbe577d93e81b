//! Drawing. Every function here reads state and returns intents; none has effects. Colours and
//! symbols come from `theme`; the rules (what is left, which step a finding belongs to, what
//! the paste box says) come from the core.

mod checklist;
mod final_screen;
mod findings;
mod key_strip;
mod step;

use egui::{RichText, ScrollArea};

use super::theme;
use super::{App, Intent, Screen, ViewState};
use crate::core::guide::{self, Block};
use crate::core::i18n::{self, Lang, LangChoice};
use crate::core::status::{self, Tone};
use checklist::checklist_ui;
use final_screen::{confirm_bar_ui, final_checklist_ui};
use key_strip::key_strip_ui;
use step::{step_nav_ui, step_ui, troubleshooting_ui};

/// Where the frame's language is kept for [`tr`].
fn lang_id() -> egui::Id {
    egui::Id::unique("ui_language")
}

/// Texts that had no translation in this window's life, for the tests that look for English
/// left in a translated window.
#[derive(Clone, Default)]
pub(crate) struct Untranslated(pub(crate) std::collections::BTreeSet<String>);

/// Where [`Untranslated`] is kept.
pub(crate) fn untranslated_id() -> egui::Id {
    egui::Id::unique("untranslated")
}

/// `text` in the window's language: every text the window shows passes through here just
/// before it is drawn (see `core::i18n`). A text the catalogue lacks stays English and is
/// noted in [`Untranslated`].
pub(crate) fn tr(ui: &egui::Ui, text: &str) -> String {
    let lang = ui
        .data(|d| d.get_temp::<Lang>(lang_id()))
        .unwrap_or(Lang::En);
    if lang == Lang::En {
        return text.to_owned();
    }
    let done = i18n::catalog(lang).translate(text);
    if !done.missed.is_empty() {
        ui.data_mut(|d| {
            d.get_temp_mut_or_default::<Untranslated>(untranslated_id())
                .0
                .extend(done.missed)
        });
    }
    done.text
}

/// The whole window.
pub(crate) fn app_ui(ui: &mut egui::Ui, app: &App, view: &mut ViewState) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.data_mut(|d| d.insert_temp(lang_id(), app.lang));
    egui::Panel::top("top")
        .resizable(false)
        .show(ui, |ui| top_bar_ui(ui, app, &mut intents));
    // The key strip's place at the bottom is kept first, with its height from the last frame;
    // its contents are drawn last, so that Tab reaches it after the page, in reading order.
    let strip_id = egui::Id::unique("key_strip_height");
    let strip_height = ui
        .data(|d| d.get_temp::<f32>(strip_id))
        .unwrap_or(theme::STRIP_FIRST_HEIGHT);
    let strip = egui::Panel::bottom("key_strip")
        .resizable(false)
        .exact_size(strip_height)
        .show(ui, |ui| ui.max_rect());
    // Not resizable: the resize handle would be a Tab stop that shows nothing.
    egui::Panel::left("checklist")
        .resizable(false)
        .default_size(theme::PANEL_WIDTH)
        .min_size(theme::PANEL_MIN_WIDTH)
        .show(ui, |ui| checklist_ui(ui, app, &mut intents));
    if app.close_prompt {
        close_prompt_ui(ui, &mut intents);
    }
    // A page is the screen and, on the steps screen, the step: each opens at its top.
    let page = match app.screen {
        Screen::Troubleshooting(_) => (Screen::Troubleshooting(None), app.progress.selected_step),
        screen => (screen, app.progress.selected_step),
    };
    let mut scroll = ScrollArea::vertical().auto_shrink(false);
    if view.shown_page != Some(page) {
        view.shown_page = Some(page);
        scroll = scroll.vertical_scroll_offset(0.0);
    }
    egui::CentralPanel::default().show(ui, |ui| {
        // The page's own actions ("Next step", "Confirm") sit under the scrolled page, in
        // space kept for them: their height from the last frame.
        let bar_id = ui.scope_id().with("page_actions");
        let bar_height = ui.data(|d| d.get_temp::<f32>(bar_id)).unwrap_or(0.0);
        scroll = scroll.max_height((ui.available_height() - bar_height).max(0.0));
        scroll.show(ui, |ui| {
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
            keep_focus_in_view(ui);
        });
        let bar_top = ui.cursor().min.y;
        match app.screen {
            Screen::Step => {
                ui.separator();
                step_nav_ui(ui, app.progress.selected_step, &mut intents);
            }
            Screen::FinalChecklist if !app.progress.checklist.confirmed => {
                ui.separator();
                confirm_bar_ui(ui, app, &mut intents);
            }
            _ => {}
        }
        let used = ui.cursor().min.y - bar_top;
        let used = if used > 0.5 {
            used + ui.spacing().item_spacing.y
        } else {
            0.0
        };
        if (used - bar_height).abs() > 0.5 {
            ui.data_mut(|d| d.insert_temp(bar_id, used));
            ui.ctx()
                .request_discard("the page's actions changed height");
        }
    });
    let margins = strip.response.rect.height() - strip.inner.height();
    let mut strip_ui = ui.new_child(
        egui::UiBuilder::new()
            .id_salt("key_strip_contents")
            .max_rect(strip.inner)
            .layout(egui::Layout::top_down(egui::Align::Min))
            .ui_stack_info(egui::UiStackInfo::new(egui::UiKind::BottomPanel))
            .accessibility_label(tr(ui, "Your key")),
    );
    key_strip_ui(&mut strip_ui, app, view, &mut intents);
    let needed = strip_ui.min_rect().height() + margins;
    if (needed - strip_height).abs() > 0.5 {
        ui.data_mut(|d| d.insert_temp(strip_id, needed));
        ui.ctx().request_discard("the key strip changed height");
    }
    // A pass that is thrown away was never on screen: what it "showed" was not seen.
    if ui.ctx().will_discard() {
        intents.retain(|i| *i != Intent::PasteNoticeShown);
    }
    intents
}

/// Called at the end of a scroll area's contents: a control that has just taken the keyboard's
/// focus (Tab) and is cut off by the scroll area's edge is scrolled into view. egui does not do
/// this by itself, and a focus ring under the edge shows nothing.
fn keep_focus_in_view(ui: &mut egui::Ui) {
    let Some(id) = ui.memory(|m| m.focused()) else {
        return;
    };
    let seen_id = ui.scope_id().with("focus in view");
    if ui.data(|d| d.get_temp::<egui::Id>(seen_id)) == Some(id) {
        return;
    }
    let Some(rect) = ui.ctx().read_response(id).map(|r| r.rect) else {
        return;
    };
    // Only a control of this scroll area (its contents so far).
    if !ui.min_rect().expand(1.0).contains_rect(rect) {
        return;
    }
    ui.data_mut(|d| d.insert_temp(seen_id, id));
    if !ui.clip_rect().contains_rect(rect) {
        ui.scroll_to_rect(rect.expand(theme::GAP), None);
    }
}

/// "Your key is on the clipboard for AAAI. Close anyway? It will be cleared."
fn close_prompt_ui(ui: &mut egui::Ui, intents: &mut Vec<Intent>) {
    egui::Modal::new(egui::Id::unique("close_prompt")).show(ui.ctx(), |ui| {
        ui.set_max_width(360.0);
        ui.label(RichText::new(tr(ui, "Your key is on the clipboard for AAAI.")).strong());
        ui.label(tr(ui, "Close anyway? It will be cleared."));
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            if ui.button(tr(ui, "Keep the window open")).clicked() {
                intents.push(Intent::CloseAnyway(false));
            }
            if ui.button(tr(ui, "Close anyway")).clicked() {
                intents.push(Intent::CloseAnyway(true));
            }
        });
    });
}

/// "Language: [As this computer]": the system's language, or one named in itself. Only the
/// languages that are translated are offered. A name the fonts cannot draw (日本語 with no
/// Japanese font) is given in English instead; picking it then says why it stays English.
fn language_menu_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    let label = ui.label(tr(ui, "Language:"));
    let system = tr(ui, "As this computer");
    let chosen = app.progress.language;
    let body = egui::TextStyle::Body.resolve(ui.style());
    let ctx = ui.ctx().clone();
    let drawable = |lang: Lang| ctx.fonts_mut(|f| f.has_glyphs(&body, lang.native_name()));
    let name = |lang: Lang| {
        if drawable(lang) {
            lang.native_name()
        } else {
            lang.english_name()
        }
    };
    let shown = match chosen {
        LangChoice::System => system.clone(),
        LangChoice::Picked(lang) => name(lang).to_owned(),
    };
    egui::ComboBox::from_id_salt("language")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            let mut offer = |ui: &mut egui::Ui, choice: LangChoice, name: &str| {
                if ui.selectable_label(chosen == choice, name).clicked() && chosen != choice {
                    intents.push(Intent::SetLanguage(choice));
                }
            };
            offer(ui, LangChoice::System, &system);
            let offered = Lang::ALL.into_iter().filter(|&l| i18n::is_translated(l));
            for lang in offered.clone() {
                offer(ui, LangChoice::Picked(lang), name(lang));
            }
            if !app.language_names && offered.into_iter().any(|l| !drawable(l)) {
                intents.push(Intent::ShowLanguageNames);
            }
        })
        .response
        .labelled_by(label.id);
}

fn top_bar_ui(ui: &mut egui::Ui, app: &App, intents: &mut Vec<Intent>) {
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.heading(super::TITLE);
        ui.add_space(12.0);
        let on_steps = app.screen == Screen::Step;
        if ui.selectable_label(on_steps, tr(ui, "Steps")).clicked() {
            intents.push(Intent::Show(Screen::Step));
        }
        let on_trouble = matches!(app.screen, Screen::Troubleshooting(_));
        if ui
            .selectable_label(on_trouble, tr(ui, "Troubleshooting"))
            .clicked()
        {
            intents.push(Intent::Show(Screen::Troubleshooting(None)));
        }
        let on_final = app.screen == Screen::FinalChecklist;
        if ui
            .selectable_label(on_final, tr(ui, "Final checklist"))
            .clicked()
        {
            intents.push(Intent::Show(Screen::FinalChecklist));
        }
        if let Some(url) = guide::self_manage_url()
            && ui.button(tr(ui, "Manage my AAAI subscription")).clicked()
        {
            intents.push(Intent::OpenLink(url));
        }
        ui.add_space(12.0);
        language_menu_ui(ui, app, intents);
    });
    if let Some(notice) = &app.notice {
        ui.horizontal_wrapped(|ui| {
            theme::badge(ui, Tone::NeedsYou);
            ui.label(theme::toned(tr(ui, notice), Tone::NeedsYou));
            if ui.small_button(tr(ui, "Dismiss")).clicked() {
                intents.push(Intent::DismissNotice);
            }
        });
    }
    if app.welcome && app.key.is_some() {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(tr(
                    ui,
                    &status::welcome_back(
                        &app.progress.checklist,
                        app.report(),
                        app.key_standing(),
                    ),
                ))
                .strong(),
            );
            if ui.small_button(tr(ui, "OK")).clicked() {
                intents.push(Intent::DismissWelcome);
            }
        });
    }
    ui.add_space(4.0);
}

/// A button that opens a page, with a painted arrow after it (not part of its name). True
/// when it was clicked.
fn link_button(
    ui: &mut egui::Ui,
    label: &str,
    url: &'static str,
    intents: &mut Vec<Intent>,
) -> bool {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        let clicked = ui.button(tr(ui, label)).on_hover_text(url).clicked();
        if clicked {
            intents.push(Intent::OpenLink(url));
        }
        theme::link_mark(ui);
        clicked
    })
    .inner
}

/// A fix button: after it, the next thing to do is to check again, so focus goes to "Check
/// again" in the key strip (drawn later in the same frame).
fn fix_button(ui: &mut egui::Ui, url: &'static str, intents: &mut Vec<Intent>) {
    if link_button(ui, fix_label(url), url, intents) {
        ui.data_mut(|d| d.insert_temp(check_again_focus_id(), true));
    }
}

/// Where a fix button leaves word that "Check again" should take the focus.
fn check_again_focus_id() -> egui::Id {
    egui::Id::unique("focus_check_again")
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
/// A long line wraps under its first word, not under the symbol.
fn toned_line(ui: &mut egui::Ui, tone: Tone, text: &str) {
    ui.horizontal_top(|ui| {
        theme::badge(ui, tone);
        ui.add(egui::Label::new(theme::toned(tr(ui, text), tone)).wrap());
    });
}

/// How a text in [`lines`] looks.
#[derive(Clone, Copy)]
enum Look {
    Plain,
    Strong,
    Quiet,
    Toned(Tone),
}

impl Look {
    fn text(self, text: &str) -> RichText {
        match self {
            Self::Plain => RichText::new(text),
            Self::Strong => RichText::new(text).strong(),
            Self::Quiet => theme::quiet(text),
            Self::Toned(tone) => theme::toned(text, tone),
        }
    }
}

/// One sentence per line: `lead` (a symbol, a spinner, a name) on the left, then each sentence
/// of `text` on its own line, and `tail` (the buttons) after the last one. Wrapped lines start
/// under the text, never under the lead.
fn lines(
    ui: &mut egui::Ui,
    lead: impl FnOnce(&mut egui::Ui),
    text: &str,
    look: Look,
    tail: impl FnOnce(&mut egui::Ui),
) {
    ui.horizontal_top(|ui| {
        lead(ui);
        ui.vertical(|ui| {
            let said = crate::core::sentences::sentences(text);
            let (last, before) = match said.split_last() {
                Some((last, before)) => (*last, before),
                None => ("", &[][..]),
            };
            for sentence in before {
                ui.add(egui::Label::new(look.text(&tr(ui, sentence))).wrap());
            }
            ui.horizontal_wrapped(|ui| {
                if !last.is_empty() {
                    ui.label(look.text(&tr(ui, last)));
                }
                tail(ui);
            });
        });
    });
}

/// [`lines`] after a state's symbol, in the state's colour.
fn toned_lines(ui: &mut egui::Ui, tone: Tone, text: &str, tail: impl FnOnce(&mut egui::Ui)) {
    lines(
        ui,
        |ui| theme::badge(ui, tone),
        text,
        Look::Toned(tone),
        tail,
    );
}

fn link_failure_ui(ui: &mut egui::Ui, app: &App, url: &'static str, intents: &mut Vec<Intent>) {
    let headline =
        "Your browser could not be opened. Copy this address and paste it into your browser:";
    toned_group(ui, Tone::Problem, headline, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.monospace(url);
            if ui.button(tr(ui, "Copy address")).clicked() {
                intents.push(Intent::CopyText(url.to_owned()));
            }
            if app.copied.as_ref().is_some_and(|(text, _)| text == url) {
                ui.label(theme::toned(tr(ui, "Copied"), Tone::Done));
            }
            if ui.small_button(tr(ui, "Dismiss")).clicked() {
                intents.push(Intent::DismissLinkFailure);
            }
        });
    });
    ui.add_space(theme::GAP);
}

/// A group frame as wide as the area, holding one block (a finding, the hand-off, a failure).
fn full_width_group(
    ui: &mut egui::Ui,
    frame: egui::Frame,
    add_contents: impl FnOnce(&mut egui::Ui),
) {
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        add_contents(ui);
    });
}

/// A full-width group that opens with a state line: a failure, or "All set" before the hand-off.
fn toned_group(
    ui: &mut egui::Ui,
    tone: Tone,
    headline: &str,
    add_contents: impl FnOnce(&mut egui::Ui),
) {
    full_width_group(ui, egui::Frame::group(ui.style()), |ui| {
        toned_line(ui, tone, headline);
        add_contents(ui);
    });
}

/// "12 s" in a box of fixed width: what follows it does not move as the number changes.
fn seconds_label(ui: &mut egui::Ui, secs: u64) {
    let height = ui.spacing().interact_size.y;
    ui.add_sized(
        [theme::SECONDS_WIDTH, height],
        egui::Label::new(tr(ui, &format!("{secs} s"))),
    );
}

/// "2 minutes ago", for evidence lines.
fn ago(at: std::time::Instant) -> String {
    let secs = at.elapsed().as_secs();
    match secs {
        0..=59 => String::from("just now"),
        60..=119 => String::from("1 minute ago"),
        120..=3599 => format!("{} minutes ago", secs / 60),
        3600..=7199 => String::from("1 hour ago"),
        _ => format!("{} hours ago", secs / 3600),
    }
}
