//! The Entities pane (canonical entities across documents, with mention
//! counts) and the Claims pane (who claimed what). Clicking jumps to the text.

use super::actions::Action;
use super::app::{AnnotationKind, AnnotationRef, GlossApp};

/// Mentions per canonical entity id: (document index, entity index).
type MentionIndex = std::collections::HashMap<String, Vec<(usize, usize)>>;

/// The mention index for the project as it is now, rebuilt (in one pass over
/// all entities) only when the project changed.
fn mention_index(app: &GlossApp, ctx: &egui::Context) -> std::sync::Arc<MentionIndex> {
    let id = egui::Id::unique("canonical-mention-index");
    let generation = app.session.history.generation();
    if let Some((cached, index)) =
        ctx.data(|d| d.get_temp::<(u64, std::sync::Arc<MentionIndex>)>(id))
        && cached == generation
    {
        return index;
    }
    let mut index = MentionIndex::new();
    for (d, doc) in app.session.project.documents.iter().enumerate() {
        for (e, entity) in doc.entities.iter().enumerate() {
            if let Some(canonical) = &entity.canonical {
                index.entry(canonical.clone()).or_default().push((d, e));
            }
        }
    }
    let index = std::sync::Arc::new(index);
    ctx.data_mut(|d| d.insert_temp(id, (generation, index.clone())));
    index
}

/// Canonical entities with their mentions.
pub fn entities(app: &mut GlossApp, ui: &mut egui::Ui) {
    let index = mention_index(app, ui.ctx());
    let project = &app.session.project;
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
            "{} ({}) — {} mentions in {} documents",
            canonical.name,
            canonical.label,
            mentions.len(),
            documents.len()
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
        select_in(app, &doc, AnnotationKind::Entity, id);
    }
}

/// Every claim of the project: claimant, text, document.
pub fn claims(app: &mut GlossApp, ui: &mut egui::Ui) {
    let project = &app.session.project;
    let mut jump = None;
    let mut any = false;
    for doc in &project.documents {
        for claim in &doc.claims {
            any = true;
            let who = claim.claimant_name(doc).unwrap_or("unknown");
            ui.strong(who);
            let text: String = claim.text.chars().take(90).collect();
            if ui.link(format!("“{text}”")).clicked() {
                jump = Some((doc.id.clone(), claim.id.clone()));
            }
            ui.weak(format!(
                "{} · {}{}",
                claim.attribution.label(),
                claim.checkworthiness.map_or(String::new(), |c| c.label()),
                claim
                    .verdict
                    .map(|v| format!(" · {}", v.label()))
                    .unwrap_or_default()
            ));
            ui.separator();
        }
    }
    if !any {
        ui.label("No claims yet. Select a statement and press C.");
    }
    if let Some((doc, id)) = jump {
        select_in(app, &doc, AnnotationKind::Claim, id);
    }
}

fn select_in(app: &mut GlossApp, doc: &str, kind: AnnotationKind, id: String) {
    if let Some(index) = app.session.project.document_index(doc) {
        app.act(Action::SelectDocument(index));
        app.act(Action::SelectAnnotation(AnnotationRef { kind, id }));
    }
}
