//! The Entities pane (canonical entities across documents, with mention
//! counts) and the Claims pane (who claimed what). Clicking jumps to the text.

use super::actions::Action;
use super::app::{AnnotationKind, AnnotationRef, GlossApp};

/// Canonical entities with their mentions.
pub fn entities(app: &mut GlossApp, ui: &mut egui::Ui) {
    let project = &app.session.project;
    let mut jump = None;
    if project.canonical_entities.is_empty() {
        ui.label("No canonical entities yet. Select a mention and use “New canonical entity” in the inspector.");
    }
    for canonical in &project.canonical_entities {
        let mentions: Vec<(&crate::model::Document, &crate::model::Entity)> = project
            .documents
            .iter()
            .flat_map(|d| {
                d.entities
                    .iter()
                    .filter(|e| e.canonical.as_deref() == Some(canonical.id.as_str()))
                    .map(move |e| (d, e))
            })
            .collect();
        let documents: std::collections::BTreeSet<&str> =
            mentions.iter().map(|(d, _)| d.id.as_str()).collect();
        egui::CollapsingHeader::new(format!(
            "{} ({}) — {} mentions in {} documents",
            canonical.name,
            canonical.label,
            mentions.len(),
            documents.len()
        ))
        .id_salt(&canonical.id)
        .show(ui, |ui| {
            for (doc, entity) in mentions {
                if ui
                    .link(format!(
                        "“{}” in {} @{}",
                        entity.text,
                        doc.title.chars().take(24).collect::<String>(),
                        entity.start
                    ))
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
