//! The keyboard shortcuts overlay (F1 or ?).

use super::actions::HELP_ROWS;
use super::app::GlossApp;

/// Draws the overlay when open.
pub fn show(app: &mut GlossApp, ctx: &egui::Context) {
    if !app.show_help {
        return;
    }
    let mut open = true;
    egui::Window::new("Keyboard shortcuts")
        .default_pos([360.0, 80.0])
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                let hotkeys: Vec<char> = app
                    .session
                    .project
                    .schema
                    .entity_types
                    .iter()
                    .filter_map(|t| t.hotkey)
                    .collect();
                if let (Some(first), Some(last)) = (hotkeys.iter().min(), hotkeys.iter().max()) {
                    // The digits the schema really uses, not a fixed "1 – 9".
                    ui.strong(if first == last {
                        first.to_string()
                    } else {
                        format!("{first} – {last}")
                    });
                    ui.label(
                        "tag the selection with an entity type, or retype the selected entity",
                    );
                    ui.end_row();
                }
                for (keys, what) in HELP_ROWS {
                    ui.strong(*keys);
                    ui.label(*what);
                    ui.end_row();
                }
                for t in &app.session.project.schema.entity_types {
                    if let Some(key) = t.hotkey {
                        ui.strong(key.to_string());
                        ui.label(format!("tag as {} ({})", t.key, t.name));
                        ui.end_row();
                    }
                }
            });
        });
    if !open {
        app.show_help = false;
    }
}
