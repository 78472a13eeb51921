//! The keyboard shortcuts overlay (F1 or ?).

use super::actions::HELP_ROWS;
use super::app::GlossApp;
use super::command_table;

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
            // Taller than a small window: scroll rather than cut rows off.
            let max_height = (ctx.content_rect().height() - 140.0).max(200.0);
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .show(ui, |ui| {
                    egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                        // Keys that are not commands (selection, walking annotations).
                        for (keys, what) in HELP_ROWS {
                            ui.strong(*keys);
                            ui.label(*what);
                            ui.end_row();
                        }
                        // Every command with keys, from the same table as the menus.
                        for command in command_table::table(&app.session.project().schema) {
                            if command.keys.is_empty() {
                                continue;
                            }
                            ui.strong(command_table::shortcut_text(ctx, &command));
                            ui.label(&command.label);
                            ui.end_row();
                        }
                    });
                });
        });
    if !open {
        app.show_help = false;
    }
}
