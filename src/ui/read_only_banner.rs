//! The banner over the article while the project is open read-only
//! (another Gloss holds its lock): the title bar alone was missed.

use super::app::GlossApp;

/// Draws the banner when the session is read-only.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    if !app.session.is_read_only() {
        return;
    }
    let name = app
        .session
        .path
        .as_deref()
        .and_then(|p| p.file_name())
        .map_or_else(
            || "this project".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
    let who = app
        .session
        .held_by()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    let text =
        format!("Read-only: {name} is open in another Gloss{who} — Save As to keep your changes");
    let fill = if ui.visuals().dark_mode {
        egui::Color32::from_rgb(110, 70, 0)
    } else {
        egui::Color32::from_rgb(255, 226, 150)
    };
    egui::Frame::new()
        .fill(fill)
        .inner_margin(egui::Margin::symmetric(10, 6))
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                let ink = if ui.visuals().dark_mode {
                    egui::Color32::WHITE
                } else {
                    egui::Color32::BLACK
                };
                ui.label(egui::RichText::new(text).strong().color(ink));
                if ui.button("Save As…").clicked() {
                    app.act(super::Action::SaveAs);
                }
            });
        });
    ui.add_space(4.0);
}
