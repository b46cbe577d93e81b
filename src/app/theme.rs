//! Colours, spacing, text sizes and symbols, in one place. The four states (done, needs you,
//! problem, not checked) each have one colour and one symbol here; nothing else picks colours.
//! Symbols are painted, never put in text, so no accessible name carries a decorative glyph.

use egui::{Color32, RichText};

use crate::core::status::Tone;

/// Green for done.
const DONE: Color32 = Color32::from_rgb(0x16, 0x6c, 0x2f);
/// Amber for what needs the user.
const NEEDS_YOU: Color32 = Color32::from_rgb(0x85, 0x58, 0x00);
/// Red for problems.
const PROBLEM: Color32 = Color32::from_rgb(0xb4, 0x23, 0x18);
/// Grey for not checked, and for quiet side notes.
const MUTED: Color32 = Color32::from_rgb(0x5c, 0x64, 0x6d);
/// The background of a highlighted box (opaque, so text on it can be measured).
const HIGHLIGHT: Color32 = Color32::from_gray(236);
/// Behind selected text and the selected tab.
const SELECTED: Color32 = Color32::from_rgb(0xcf, 0xe4, 0xff);
/// The outline of checkboxes and buttons: 3:1 against the panel.
const OUTLINE: Color32 = Color32::from_gray(0x85);
/// The focus ring: strong enough to see where Tab went.
const FOCUS: Color32 = Color32::from_rgb(0x0b, 0x5c, 0xd5);

/// Width of a painted state symbol.
pub(crate) const BADGE_WIDTH: f32 = 18.0;
/// The left checklist panel's default width.
pub(crate) const PANEL_WIDTH: f32 = 270.0;
/// The left checklist panel's smallest width.
pub(crate) const PANEL_MIN_WIDTH: f32 = 220.0;
/// Space between sections.
pub(crate) const GAP: f32 = 8.0;
/// The key strip's height before its first frame has measured it (one discarded pass fixes it).
pub(crate) const STRIP_FIRST_HEIGHT: f32 = 96.0;
/// Width of the paste box.
pub(crate) const PASTE_WIDTH: f32 = 240.0;
/// The width of a running count of seconds ("120 s"), so nothing after it moves.
pub(crate) const SECONDS_WIDTH: f32 = 44.0;

/// The colour and symbol of a state.
pub fn look(tone: Tone) -> (Color32, &'static str) {
    match tone {
        Tone::Done => (DONE, "✔"),
        Tone::NeedsYou => (NEEDS_YOU, "⚠"),
        Tone::Problem => (PROBLEM, "✖"),
        Tone::NotChecked => (MUTED, "○"),
    }
}

/// Text in a state's colour.
pub(crate) fn toned(text: impl Into<String>, tone: Tone) -> RichText {
    RichText::new(text).color(look(tone).0)
}

/// Small grey text for side notes.
pub(crate) fn quiet(text: impl Into<String>) -> RichText {
    RichText::new(text).small().color(MUTED)
}

/// A state's symbol, painted (it has no accessible node: the words next to it say the state).
/// Not checked has no symbol: its space stays empty, so the lines still align.
pub(crate) fn badge(ui: &mut egui::Ui, tone: Tone) {
    let (colour, symbol) = look(tone);
    let height = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(BADGE_WIDTH, height), egui::Sense::hover());
    if tone == Tone::NotChecked {
        return;
    }
    ui.painter().text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        symbol,
        egui::FontId::proportional(height * 0.95),
        colour,
    );
}

/// A painted list bullet (not part of the line's accessible name).
pub(crate) fn bullet(ui: &mut egui::Ui) {
    let height = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, height), egui::Sense::hover());
    ui.painter()
        .circle_filled(rect.center(), 2.5, ui.visuals().text_color());
}

/// A painted arrow after a link button, marking that it opens the browser.
pub(crate) fn link_mark(ui: &mut egui::Ui) {
    let height = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, height), egui::Sense::hover());
    ui.painter().text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        "⮫",
        egui::FontId::proportional(height * 0.8),
        MUTED,
    );
}

/// "Done: I can open the dashboard", with the state word in its colour, as one text (one
/// accessible name that speaks the state), in the window's language.
pub(crate) fn state_line(
    ui: &egui::Ui,
    word: &str,
    tone: Tone,
    text: &str,
) -> egui::text::LayoutJob {
    let whole = super::ui::tr(ui, &format!("{word}: {text}"));
    let word = super::ui::tr(ui, word);
    // The translated word and what follows it up to the text ("Fatto: ", "已完成："); when the
    // translation does not start with the word, the word is not coloured apart.
    let (head, text) = match whole.strip_prefix(word.as_str()) {
        Some(rest) => {
            let body = rest.trim_start_matches([':', '：', ' ']);
            whole.split_at(whole.len() - body.len())
        }
        None => ("", whole.as_str()),
    };
    let font = egui::TextStyle::Body.resolve(ui.style());
    let mut job = egui::text::LayoutJob::default();
    job.append(
        head,
        0.0,
        egui::TextFormat::simple(font.clone(), look(tone).0),
    );
    job.append(
        text,
        0.0,
        egui::TextFormat::simple(font, ui.visuals().text_color()),
    );
    job.wrap.max_width = ui.available_width();
    job
}

/// Set up the look once at start.
pub fn apply(ctx: &egui::Context) {
    add_symbol_font(ctx);
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        // A thin bar that is always drawn when there is more below: hidden content shows.
        style.spacing.scroll = egui::style::ScrollStyle::thin();
        // Thin, but dark enough to see without hovering.
        style.spacing.scroll.foreground_color = true;
        style.spacing.scroll.floating_width = 4.0;
        // And a fade at the cut edge.
        style.spacing.scroll.fade = egui::style::ScrollFadeStyle {
            strength: 0.8,
            size: 28.0,
        };
        // Focus is drawn with the "active" look: make it a clear ring.
        style.visuals.widgets.active.bg_stroke = egui::Stroke::new(2.0, FOCUS);
        style.visuals.selection.stroke = egui::Stroke::new(2.0, FOCUS);
        style.visuals.selection.bg_fill = SELECTED;
        style.visuals.hyperlink_color = FOCUS;
        style.visuals.faint_bg_color = HIGHLIGHT;
        // Checkboxes and buttons get an outline that can be seen, not grey on grey.
        style.visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, OUTLINE);
        for (text_style, size) in [
            (egui::TextStyle::Body, 15.0),
            (egui::TextStyle::Button, 15.0),
            (egui::TextStyle::Heading, 21.0),
            (egui::TextStyle::Small, 12.5),
        ] {
            if let Some(font) = style.text_styles.get_mut(&text_style) {
                font.size = size;
            }
        }
    });
}

/// egui's default fonts (without the large emoji fonts) lack ✔ ○ ⚠ ⮫ ✖. A 1.5 KB subset of
/// emoji-icon-font (MIT, see assets/symbols-LICENSE.txt) adds just those as a fallback.
fn add_symbol_font(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "symbols".to_owned(),
        std::sync::Arc::new(
            egui::FontData::from_static(include_bytes!("../../assets/symbols.ttf")).tweak(
                egui::FontTweak {
                    scale: 0.9,
                    ..Default::default()
                },
            ),
        ),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("symbols".to_owned());
    }
    ctx.set_fonts(fonts);
}

#[cfg(test)]
mod tests {
    use crate::core::status::Tone;
    use egui::Color32;

    /// WCAG 2 relative luminance of an opaque colour.
    fn luminance(c: Color32) -> f64 {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
    }

    /// WCAG 2 contrast ratio, 1 to 21.
    fn contrast(a: Color32, b: Color32) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn contrast_ratios_follow_the_published_formula() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        // #767676 on white is the classic 4.54:1.
        assert!((contrast(Color32::from_gray(0x76), Color32::WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn every_text_and_control_outline_meets_wcag_aa_on_what_it_is_drawn_on() {
        let ctx = egui::Context::default();
        super::apply(&ctx);
        let v = ctx.global_style().visuals.clone();
        let w = &v.widgets;
        let grounds = [
            ("panel", v.panel_fill),
            ("window", v.window_fill),
            ("highlighted box", v.faint_bg_color),
            ("text box", v.extreme_bg_color),
        ];
        let mut texts = vec![("text", v.text_color()), ("link", v.hyperlink_color)];
        for tone in [Tone::Done, Tone::NeedsYou, Tone::Problem, Tone::NotChecked] {
            texts.push((tone.spoken(), super::look(tone).0));
        }
        texts.push(("side note", super::MUTED));
        let mut failures = Vec::new();
        let mut check = |what: String, ratio: f64, least: f64| {
            if ratio < least {
                failures.push(format!("{what}: {ratio:.2} < {least}"));
            }
        };
        for (ground, bg) in grounds {
            for (name, fg) in &texts {
                check(format!("{name} on {ground}"), contrast(*fg, bg), 4.5);
            }
        }
        for (state, wv) in [("inactive", &w.inactive), ("hovered", &w.hovered)] {
            check(
                format!("{state} button text"),
                contrast(wv.fg_stroke.color, wv.weak_bg_fill),
                4.5,
            );
            check(
                format!("{state} check mark"),
                contrast(wv.fg_stroke.color, wv.bg_fill),
                4.5,
            );
            // The outline of a checkbox or button against the panel it sits on.
            check(
                format!("{state} control outline"),
                if wv.bg_stroke.width > 0.0 {
                    contrast(wv.bg_stroke.color, v.panel_fill)
                } else {
                    1.0
                },
                3.0,
            );
        }
        check(
            String::from("focus ring"),
            contrast(w.active.bg_stroke.color, v.panel_fill),
            3.0,
        );
        check(
            String::from("selected tab text"),
            contrast(v.selection.stroke.color, v.selection.bg_fill),
            4.5,
        );
        check(
            String::from("selected text"),
            contrast(v.text_color(), v.selection.bg_fill),
            4.5,
        );
        // Selected text must show: its highlight differs from the panel.
        check(
            String::from("selection highlight against the panel"),
            contrast(v.selection.bg_fill, v.panel_fill),
            1.15,
        );
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn scroll_bars_show_without_hovering_and_the_cut_edge_fades() {
        let ctx = egui::Context::default();
        super::apply(&ctx);
        let scroll = ctx.global_style().spacing.scroll;
        assert!(scroll.dormant_handle_opacity >= 0.9, "{scroll:?}");
        assert!(scroll.floating_allocated_width > 0.0, "{scroll:?}");
        assert!(scroll.fade.strength > 0.0, "{scroll:?}");
    }
}
