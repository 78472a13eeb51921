//! The menu bar. Menu items push actions; nothing here changes the project.

use crate::model::Status;

use super::actions::Action;
use super::app::GlossApp;

fn item(ui: &mut egui::Ui, app: &mut GlossApp, text: &str, shortcut: &str, action: Action) {
    let mut button = egui::Button::new(text);
    if !shortcut.is_empty() {
        // An empty shortcut would still add a space to the accessible name.
        button = button.shortcut_text(shortcut);
    }
    if ui.add(button).clicked() {
        app.act(action);
        ui.close();
    }
}

/// Draws the top panel.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                item(ui, app, "New project", "Ctrl+N", Action::NewProject);
                item(ui, app, "Open project…", "Ctrl+O", Action::OpenProject);
                item(ui, app, "Open by path…", "", Action::TypePath);
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
                ui.separator();
                item(
                    ui,
                    app,
                    "Import articles…",
                    "Ctrl+I",
                    Action::ImportArticles,
                );
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
                item(ui, app, "Import dataset…", "", Action::ImportDataset);
                item(ui, app, "Export dataset…", "", Action::ExportDataset);
                ui.separator();
                item(ui, app, "Save", "Ctrl+S", Action::Save);
                item(ui, app, "Save as…", "Ctrl+Shift+S", Action::SaveAs);
                ui.separator();
                item(ui, app, "Quit", "Ctrl+Q", Action::Quit);
            });
            ui.menu_button("Edit", |ui| {
                let undo = egui::Button::new("Undo").shortcut_text("Ctrl+Z");
                if ui
                    .add_enabled(app.session.history.can_undo(), undo)
                    .clicked()
                {
                    app.act(Action::Undo);
                    ui.close();
                }
                let redo = egui::Button::new("Redo").shortcut_text("Ctrl+Shift+Z");
                if ui
                    .add_enabled(app.session.history.can_redo(), redo)
                    .clicked()
                {
                    app.act(Action::Redo);
                    ui.close();
                }
                ui.separator();
                item(ui, app, "Find…", "Ctrl+F", Action::Find);
                item(
                    ui,
                    app,
                    "Annotate all occurrences…",
                    "A",
                    Action::AnnotateAll,
                );
                item(ui, app, "Delete annotation", "Del", Action::DeleteSelected);
                ui.separator();
                item(ui, app, "Schema…", "", Action::EditSchema);
            });
            ui.menu_button("Annotate", |ui| {
                let types: Vec<(String, String, Option<char>)> = app
                    .session
                    .project
                    .schema
                    .entity_types
                    .iter()
                    .map(|t| (t.key.clone(), t.name.clone(), t.hotkey))
                    .collect();
                for (key, name, hotkey) in types {
                    let shortcut = hotkey.map(String::from).unwrap_or_default();
                    item(
                        ui,
                        app,
                        &format!("{key} — {name}"),
                        &shortcut,
                        Action::TagEntity(key.clone()),
                    );
                }
                ui.separator();
                item(ui, app, "Claim…", "C", Action::MakeClaim);
                item(ui, app, "Edit claim…", "E", Action::EditClaim);
            });
            ui.menu_button("Document", |ui| {
                item(ui, app, "Next document", "N", Action::NextDocument);
                item(ui, app, "Previous document", "P", Action::PreviousDocument);
                ui.separator();
                for (n, status) in Status::ALL.into_iter().enumerate() {
                    item(
                        ui,
                        app,
                        &format!("Mark {}", status.label()),
                        &format!("Ctrl+{}", n + 1),
                        Action::SetStatus(status),
                    );
                }
            });
            ui.menu_button("View", |ui| {
                item(
                    ui,
                    app,
                    if app.dark {
                        "Light theme"
                    } else {
                        "Dark theme"
                    },
                    "",
                    Action::ToggleTheme,
                );
                item(ui, app, "Zoom in", "Ctrl++", Action::ZoomIn);
                item(ui, app, "Zoom out", "Ctrl+−", Action::ZoomOut);
                let snap = if app.snap_to_words {
                    "Don't snap selections to words"
                } else {
                    "Snap selections to words"
                };
                item(ui, app, snap, "", Action::ToggleWordSnap);
            });
            ui.menu_button("Help", |ui| {
                item(ui, app, "Keyboard shortcuts", "F1", Action::Help);
            });
        });
    });
}
