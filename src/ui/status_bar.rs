//! The status bar: saved state, position, counts, messages.

use super::app::GlossApp;

/// Draws the bottom panel.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if app.review_mode {
                ui.colored_label(ui.visuals().hyperlink_color, "REVIEW")
                    .on_hover_text(
                        "Review mode: A accept, R reject, D discuss, J/K next/previous unreviewed",
                    );
                ui.separator();
            }
            if let Some((target, started)) = app.saving.current() {
                // No spinner: it would repaint every frame while idle.
                let name = target.file_name().map_or_else(
                    || target.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                ui.label(format!(
                    "Saving {name}… ({:.1} s)",
                    started.elapsed().as_secs_f32()
                ));
                ui.separator();
            }
            if app.session.is_dirty() {
                ui.colored_label(ui.visuals().warn_fg_color, "● Unsaved changes");
            } else if app.session.path.is_none() {
                // Nothing is on disk yet: "Saved" would be a promise not kept.
                ui.weak("○ Not saved to a file yet")
                    .on_hover_text("Ctrl+S saves the project to a file");
            } else {
                ui.label("✔ Saved");
            }
            ui.separator();
            if let Some(doc) = app.document() {
                ui.label(format!(
                    "Document {} of {}",
                    app.current + 1,
                    app.session.project().documents.len()
                ));
                ui.separator();
                match app.selection_range() {
                    Some((s, e)) => ui.label(format!("Selection {s}–{e} ({} chars)", e - s)),
                    None => ui.label("No selection"),
                };
                ui.separator();
                ui.label(format!(
                    "{} · {} · {}",
                    crate::model::plural(doc.entities.len(), "entity")
                        .replace("entitys", "entities"),
                    crate::model::plural(doc.claims.len(), "claim"),
                    crate::model::plural(doc.relations.len(), "relation")
                ));
                if app.review_mode {
                    // Counted when the project or the document changes, not
                    // every frame (the count grows with the document).
                    let key = (
                        app.session_serial,
                        app.session.history.generation(),
                        app.current,
                    );
                    let id = egui::Id::unique("unreviewed-count");
                    let cached = ui
                        .ctx()
                        .data(|d| d.get_temp::<((u64, u64, usize), usize)>(id))
                        .filter(|(k, _)| *k == key)
                        .map(|(_, n)| n);
                    let count = cached.unwrap_or_else(|| {
                        let n = crate::review::mode::unreviewed_count(doc);
                        ui.ctx().data_mut(|d| d.insert_temp(id, (key, n)));
                        n
                    });
                    ui.separator();
                    ui.label(format!("{count} to review"));
                }
                ui.separator();
                ui.label(if app.snap_to_words {
                    "Snap: words"
                } else {
                    "Snap: off"
                });
            }
            if let Some(action) = super::jobs::show(&app.jobs, ui) {
                app.act(action);
            }
            if let Some((message, _)) = &app.message {
                ui.separator();
                // One line, cut to the width left; the whole message and the
                // earlier ones are a click away.
                let label = ui
                    .add(
                        egui::Label::new(message.as_str())
                            .truncate()
                            .sense(egui::Sense::click()),
                    )
                    .on_hover_text("Click to see this message in full, and the earlier ones");
                if label.clicked() {
                    app.notifications.open = true;
                }
            }
        });
    });
}
