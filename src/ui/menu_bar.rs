//! The menu bar, generated from the command table. Menu items push actions;
//! nothing here changes the project.

use super::actions::Action;
use super::app::GlossApp;
use super::command_table::{self, Menu};

fn item(ui: &mut egui::Ui, app: &mut GlossApp, text: &str, shortcut: &str, action: Action) {
    item_enabled(ui, app, text, shortcut, action, true);
}

fn item_enabled(
    ui: &mut egui::Ui,
    app: &mut GlossApp,
    text: &str,
    shortcut: &str,
    action: Action,
    enabled: bool,
) {
    let mut button = egui::Button::new(text);
    if !shortcut.is_empty() {
        // An empty shortcut would still add a space to the accessible name.
        button = button.shortcut_text(shortcut);
    }
    if ui.add_enabled(enabled, button).clicked() {
        app.act(action);
        ui.close();
    }
}

/// Draws the top panel.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    let commands = command_table::shared_table(&app.session.project().schema);
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::ALL {
                ui.menu_button(menu.title(), |ui| {
                    for command in commands.iter().filter(|c| c.menu == Some(menu)) {
                        if command.group_start {
                            ui.separator();
                        }
                        let shortcut = command
                            .keys
                            .first()
                            .map(|k| ui.ctx().format_shortcut(k))
                            .unwrap_or_default();
                        let label = live_label(app, &command.action)
                            .unwrap_or_else(|| command.label.clone());
                        let enabled = match command.action {
                            Action::Undo => app.session.history.can_undo(),
                            Action::Redo => app.session.history.can_redo(),
                            _ => true,
                        };
                        item_enabled(ui, app, &label, &shortcut, command.action.clone(), enabled);
                        // Submenus that are not commands sit after their kin.
                        match command.action {
                            Action::TypePath => recent_menu(ui, app),
                            Action::ImportArticles => web_pages_menu(ui, app),
                            _ => {}
                        }
                    }
                });
            }
        });
    });
}

/// A label that shows the current state of a toggle.
fn live_label(app: &GlossApp, action: &Action) -> Option<String> {
    match action {
        Action::ToggleTheme => Some(
            if app.dark {
                "Light theme"
            } else {
                "Dark theme"
            }
            .into(),
        ),
        Action::ToggleSuggestions => Some(
            if app.suggestions.enabled {
                "Hide suggestions"
            } else {
                "Show suggestions"
            }
            .into(),
        ),
        Action::ToggleWordSnap => Some(
            if app.snap_to_words {
                "Don't snap selections to words"
            } else {
                "Snap selections to words"
            }
            .into(),
        ),
        _ => None,
    }
}

fn recent_menu(ui: &mut egui::Ui, app: &mut GlossApp) {
    let recent = app.recent.clone();
    ui.menu_button("Open recent", |ui| {
        if recent.is_empty() {
            ui.label("No recent projects");
        }
        for path in recent {
            item(
                ui,
                app,
                &path.display().to_string(),
                "",
                Action::OpenProjectPath(path.clone()),
            );
        }
    });
}

fn web_pages_menu(ui: &mut egui::Ui, app: &mut GlossApp) {
    ui.menu_button("Web pages", |ui| {
        use crate::ingest::HtmlMode;
        for (mode, label) in [
            (HtmlMode::Auto, "The article, or the whole page if unclear"),
            (HtmlMode::Article, "The article only"),
            (HtmlMode::Page, "The whole page"),
        ] {
            let mark = if app.html_mode == mode {
                "● "
            } else {
                "○ "
            };
            item(
                ui,
                app,
                &format!("{mark}{label}"),
                "",
                Action::SetHtmlMode(mode),
            );
        }
    });
}
