//! The Entities pane (canonical entities across documents, with mention
//! counts) and the Claims pane (who claimed what). Clicking jumps to the text.

use super::actions::Action;
use super::app::{AnnotationKind, AnnotationRef, GlossApp};

/// Mentions per canonical entity id: (document index, entity index).
type MentionIndex = std::collections::HashMap<String, Vec<(usize, usize)>>;

/// The mention index for the project as it is now, rebuilt (in one pass over
/// all entities) only when the project changed.
fn mention_index(app: &GlossApp, ctx: &egui::Context) -> std::sync::Arc<MentionIndex> {
    super::memo::kept(
        ctx,
        "canonical-mention-index",
        app.project_version(),
        || {
            let mut index = MentionIndex::new();
            for (d, doc) in app.session.project().documents.iter().enumerate() {
                for (e, entity) in doc.entities.iter().enumerate() {
                    if let Some(canonical) = &entity.canonical {
                        index.entry(canonical.to_string()).or_default().push((d, e));
                    }
                }
            }
            std::sync::Arc::new(index)
        },
    )
}

/// Canonical entities with their mentions.
pub fn entities(app: &mut GlossApp, ui: &mut egui::Ui) {
    let index = mention_index(app, ui.ctx());
    let project = app.session.project();
    let mut jump = None;
    if project.canonical_entities.is_empty() {
        ui.label("No canonical entities yet. Select a mention and use “New canonical entity” in the inspector.");
    }
    for canonical in &project.canonical_entities {
        let mentions = index
            .get(&canonical.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let documents: std::collections::BTreeSet<usize> =
            mentions.iter().map(|(d, _)| *d).collect();
        egui::CollapsingHeader::new(format!(
            "{} ({}) — {} in {}",
            canonical.name,
            canonical.label,
            crate::model::plural(mentions.len(), "mention"),
            crate::model::plural(documents.len(), "document")
        ))
        .id_salt(&canonical.id)
        .show(ui, |ui| {
            // Built only while the header is open.
            for &(d, e) in mentions {
                let (Some(doc), Some(entity)) = (
                    project.documents.get(d),
                    project.documents.get(d).and_then(|doc| doc.entities.get(e)),
                ) else {
                    continue;
                };
                let title: String = doc.title.chars().take(24).collect();
                if ui
                    .link(format!("“{}” in {title} @{}", entity.text, entity.start))
                    .clicked()
                {
                    jump = Some((doc.id.clone(), entity.id.clone()));
                }
            }
        });
    }
    if let Some((doc, id)) = jump {
        select_in(app, &doc, AnnotationKind::Entity, id.to_string());
    }
}

/// Every claim of the project: claimant, text, document.
pub fn claims(app: &mut GlossApp, ui: &mut egui::Ui) {
    const ROW_HEIGHT: f32 = 62.0;
    // (document index, claim index) of every claim, rebuilt only when the
    // project changes; only the rows in view are drawn.
    let rows = super::memo::kept(ui.ctx(), "claims-pane-rows", app.project_version(), || {
        let rows: Vec<(usize, usize)> = app
            .session
            .project()
            .documents
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| (0..doc.claims.len()).map(move |c| (d, c)))
            .collect();
        std::sync::Arc::new(rows)
    });
    if rows.is_empty() {
        ui.label("No claims yet. Select a statement and press C.");
        return;
    }
    let project = app.session.project();
    let mut jump = None;
    egui::ScrollArea::vertical()
        .id_salt("claims-pane")
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for &(d, c) in rows.get(range).unwrap_or_default() {
                let Some(doc) = project.documents.get(d) else {
                    continue;
                };
                let Some(claim) = doc.claims.get(c) else {
                    continue;
                };
                let width = ui.available_width();
                ui.allocate_ui(egui::vec2(width, ROW_HEIGHT), |ui| {
                    ui.set_min_height(ROW_HEIGHT);
                    ui.strong(claim.claimant_name(doc).unwrap_or("unknown"));
                    // One line, cut to the pane's width, so every row has the same height.
                    let link = egui::Label::new(
                        egui::RichText::new(format!("“{}”", claim.text))
                            .color(ui.visuals().hyperlink_color),
                    )
                    .truncate()
                    .sense(egui::Sense::click());
                    if ui.add(link).clicked() {
                        jump = Some((doc.id.clone(), claim.id.clone()));
                    }
                    // Only the fields that are set: no empty " ·  · " gaps.
                    let facts: Vec<String> = [
                        Some(claim.attribution.label()),
                        claim.checkworthiness.map(|c| c.label()),
                        claim.verdict.map(|v| v.label()),
                    ]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect();
                    ui.weak(facts.join(" · "));
                });
            }
        });
    if let Some((doc, id)) = jump {
        select_in(app, &doc, AnnotationKind::Claim, id.to_string());
    }
}

fn select_in(app: &mut GlossApp, doc: &str, kind: AnnotationKind, id: String) {
    if let Some(index) = app.session.project().document_index(doc) {
        app.act(Action::SelectDocument(index));
        app.act(Action::SelectAnnotation(AnnotationRef { kind, id }));
    }
}
