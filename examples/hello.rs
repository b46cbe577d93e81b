//! The floor for `scripts/bench`: a bare eframe window with the same renderer, features and
//! release profile as the app, and nothing else. The app is measured against this.

/// The window title `scripts/bench` waits for.
const TITLE: &str = "eframe hello floor";

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(TITLE)
            .with_inner_size([1024.0, 720.0]),
        // As the app: no start-up enumeration of the system's fonts (the feature, and so its
        // code and size, is the same).
        system_font_fallback: false,
        ..Default::default()
    };
    eframe::run_ui_native(TITLE, options, |ui, _frame| {
        ui.heading("Hello");
        ui.label("A bare eframe window.");
    })
}
