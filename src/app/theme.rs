//! Colours, spacing and text sizes, in one place.

use egui::Color32;

use crate::core::checklist::Mark;
use crate::core::verdict::StepState;

/// Green for done.
pub const DONE: Color32 = Color32::from_rgb(0x1a, 0x7f, 0x37);
/// Amber for things still to do.
pub const TODO: Color32 = Color32::from_rgb(0x9a, 0x67, 0x00);
/// Grey for things that do not apply.
pub const MUTED: Color32 = Color32::from_rgb(0x6e, 0x77, 0x81);
/// Red for warnings.
pub const WARN: Color32 = Color32::from_rgb(0xb4, 0x23, 0x18);

/// Set up the look once at start.
pub fn apply(ctx: &egui::Context) {
    add_symbol_font(ctx);
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
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

/// Badge text and colour for a final-checklist line.
pub fn mark_badge(mark: Mark) -> (&'static str, Color32) {
    match mark {
        Mark::Done => ("✔ Done", DONE),
        Mark::NotYet => ("○ Not yet", TODO),
        Mark::NotNeeded => ("– Not needed", MUTED),
    }
}

/// Badge text and colour for a step in the checklist panel.
pub fn step_badge(state: StepState) -> (&'static str, Color32) {
    match state {
        StepState::Done => ("✔", DONE),
        StepState::NotNeeded => ("–", MUTED),
        StepState::Pending => ("○", TODO),
        StepState::Unknown => ("○", MUTED),
    }
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
