//! The document list: title, status, counts, a filter box and overall progress.

use crate::model::Status;

use super::actions::Action;
use super::app::GlossApp;

/// Indices of the documents that pass the filter (title, id or status).
pub fn visible_indices(app: &GlossApp) -> Vec<usize> {
    let filter = app.doc_filter.trim().to_lowercase();
    app.session
        .project()
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            filter.is_empty()
                || d.title.to_lowercase().contains(&filter)
                || d.id.to_lowercase().contains(&filter)
                || d.status.name().to_lowercase() == filter
        })
        .map(|(i, _)| i)
        .collect()
}

/// What the panel shows above and in its list, for one project version and
/// filter: worked out again only when either changes, since going over every
/// document each frame cost 2–3 ms at 20,000 documents.
#[derive(Clone)]
struct ListSummary {
    finished: usize,
    visible: std::sync::Arc<Vec<usize>>,
}

fn list_summary(app: &GlossApp, ctx: &egui::Context) -> ListSummary {
    let key = (app.project_version(), app.doc_filter.clone());
    super::memo::kept(ctx, "document-list-summary", key, || ListSummary {
        finished: app
            .session
            .project()
            .documents
            .iter()
            .filter(|d| matches!(d.status, Status::Done | Status::Reviewed))
            .count(),
        visible: std::sync::Arc::new(visible_indices(app)),
    })
}

fn status_mark(status: Status) -> &'static str {
    match status {
        Status::New => "○",
        Status::InProgress => "◐",
        Status::Done => "●",
        Status::Reviewed => "✔",
    }
}

/// Draws the left panel.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    use super::panel_widths::{self, Fit};
    let (fit, _) = panel_widths::current(app, ui.ctx(), super::inspector::wanted_width(app));
    let max = match fit {
        Fit::Folded => {
            // Too small a window for the list and a readable article.
            if panel_widths::strip(ui, "documents-strip", true, &[("D", "Documents")]).is_some() {
                app.unfolded.left = true;
            }
            return;
        }
        Fit::Width(max) => max,
    };
    let unfolded = app.unfolded.left;
    egui::Panel::left("documents")
        .resizable(true)
        .default_size(panel_widths::LEFT_WANTED)
        .max_size(max)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Documents");
                if unfolded
                    && ui
                        .small_button("◀")
                        .on_hover_text("Fold the list")
                        .clicked()
                {
                    app.unfolded.left = false;
                }
            });
            let summary = list_summary(app, ui.ctx());
            let (finished, visible) = (summary.finished, summary.visible);
            let documents = &app.session.project().documents;
            let total = documents.len().max(1);
            ui.add(
                egui::ProgressBar::new(finished as f32 / total as f32)
                    .text(format!("{finished} of {} done", documents.len())),
            );
            ui.horizontal(|ui| {
                let name = ui.label("Filter:");
                ui.add(
                    egui::TextEdit::singleline(&mut app.doc_filter)
                        .hint_text("title, id or status")
                        .id_salt("doc-filter"),
                )
                .labelled_by(name.id);
            });
            ui.separator();
            let mut chosen = None;
            egui::ScrollArea::vertical()
                .id_salt("document-list")
                .show_rows(ui, 36.0, visible.len(), |ui, rows| {
                    for &index in visible.get(rows).unwrap_or_default() {
                        let Some(doc) = app.session.project().documents.get(index) else {
                            continue;
                        };
                        // The title cut to the list's width in reading order
                        // (an Arabic title keeps its start), then the counts.
                        let font = egui::TextStyle::Button.resolve(ui.style());
                        let color = ui.visuals().text_color();
                        let (mut label, _) = super::bidi_text::fitted_line_job(
                            ui,
                            &format!("{} {}", status_mark(doc.status), doc.title),
                            font.clone(),
                            color,
                            ui.available_width() - 2.0 * ui.spacing().button_padding.x,
                        );
                        label.append(
                            &format!(
                                "\n   {} · {} entities · {} claims",
                                doc.status.label(),
                                doc.entities.len(),
                                doc.claims.len()
                            ),
                            0.0,
                            egui::TextFormat::simple(font, color),
                        );
                        let response = ui.selectable_label(index == app.current, label);
                        if response.clicked() {
                            chosen = Some(index);
                        }
                    }
                });
            if let Some(index) = chosen {
                app.act(Action::SelectDocument(index));
            }
        });
}
