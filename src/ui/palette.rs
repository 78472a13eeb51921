//! The command palette (Ctrl+Shift+P): fuzzy search over every command of
//! the command table, with its shortcut; Enter runs the highlighted one.

use egui::{Id, Key, Modal, Modifiers};

use super::app::GlossApp;
use super::command_table::{self, Command};

/// The palette's state while open.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    /// What the user typed.
    pub query: String,
    /// The highlighted row among the matches.
    pub highlighted: usize,
}

/// The commands matching `query`, best first.
pub fn matches(commands: Vec<Command>, query: &str) -> Vec<Command> {
    let mut scored: Vec<(usize, usize, Command)> = commands
        .into_iter()
        .enumerate()
        .filter_map(|(order, c)| {
            command_table::fuzzy_score(&c.label, query).map(|score| (score, order, c))
        })
        .collect();
    scored.sort_by_key(|(score, order, _)| (*score, *order));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

/// Draws the palette when open and runs the chosen command.
pub fn show(app: &mut GlossApp, ctx: &egui::Context) {
    let Some(mut palette) = app.palette.take() else {
        return;
    };
    let found = matches(
        command_table::table(&app.session.project().schema),
        &palette.query,
    );
    let (down, up, enter) = ctx.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::Enter),
        )
    });
    if down {
        palette.highlighted = (palette.highlighted + 1).min(found.len().saturating_sub(1));
    }
    if up {
        palette.highlighted = palette.highlighted.saturating_sub(1);
    }
    let mut chosen = enter.then_some(palette.highlighted);
    let mut close = false;
    Modal::new(Id::unique("command-palette")).show(ctx, |ui| {
        ui.set_width(460.0);
        let name = ui.label("Command:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut palette.query)
                    .hint_text("type to search every command")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(name.id);
        field.request_focus();
        if field.changed() {
            palette.highlighted = 0;
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                for (n, command) in found.iter().enumerate() {
                    let shortcut = command_table::shortcut_text(ctx, command);
                    // Always a shortcut column, so every label sits left.
                    let button = egui::Button::selectable(n == palette.highlighted, &command.label)
                        .shortcut_text(shortcut);
                    let row = ui.add_sized([ui.available_width(), 20.0], button);
                    if n == palette.highlighted && (down || up) {
                        row.scroll_to_me(None);
                    }
                    if row.clicked() {
                        chosen = Some(n);
                    }
                }
                if found.is_empty() {
                    ui.weak("No command matches.");
                }
            });
        if ui.input(|i| i.key_pressed(Key::Escape)) {
            close = true;
        }
    });
    if let Some(command) = chosen.and_then(|n| found.get(n)) {
        app.act(command.action.clone());
        return;
    }
    if !close {
        app.palette = Some(palette);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rank_the_closest_command_first() {
        let table = command_table::table(&crate::model::Schema::default());
        let found = matches(table.clone(), "save as");
        assert_eq!(found.first().map(|c| c.label.as_str()), Some("Save as…"));
        let found = matches(table.clone(), "tag per");
        assert_eq!(
            found.first().map(|c| c.label.as_str()),
            Some("Tag as PER — Person")
        );
        assert_eq!(matches(table.clone(), "").len(), table.len());
        assert!(matches(table, "qqqqzz").is_empty());
    }
}
