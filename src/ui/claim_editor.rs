//! The claim editor: claimant, cue, attribution, check-worthiness, claim
//! type, stance, verdict, evidence, summary and note. Edits a draft; Apply
//! turns it into one undoable edit.

use crate::model::{
    Attribution, CheckWorthiness, Claim, ClaimType, Claimant, Cue, Evidence, Stance, Verdict,
};

use super::app::GlossApp;

/// The editor's draft.
#[derive(Debug, Clone)]
pub struct ClaimEditor {
    /// Document of the claim.
    pub doc: String,
    /// The claim as edited so far.
    pub draft: Claim,
    /// Free-text claimant being typed.
    pub claimant_text: String,
    /// Evidence URL being typed.
    pub evidence_url: String,
}

impl ClaimEditor {
    /// An editor on `claim`.
    pub fn new(doc: String, claim: Claim) -> Self {
        let claimant_text = match &claim.claimant {
            Some(Claimant::Text(text)) => text.to_string(),
            _ => String::new(),
        };
        Self {
            doc,
            draft: claim,
            claimant_text,
            evidence_url: String::new(),
        }
    }
}

fn optional_combo<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<T>,
    all: &[T],
    name: impl Fn(T) -> String,
) {
    let shown = value.map_or_else(|| "—".to_owned(), &name);
    egui::ComboBox::from_label(label)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "—");
            for v in all {
                ui.selectable_value(value, Some(*v), name(*v));
            }
        });
}

/// Draws the editor window when open.
pub fn show(app: &mut GlossApp, ctx: &egui::Context) {
    let Some(mut editor) = app.claim_editor.take() else {
        return;
    };
    // Borrowed, not cloned: the editor is drawn every frame.
    let Some(doc) = app.session.project().document(&editor.doc) else {
        return;
    };
    let schema = &app.session.project().schema;
    let mut open = true;
    let mut apply = false;
    let mut cancel = false;
    // The selection's span is worked out only when a button uses it.
    let has_selection = app.selection_range().is_some();
    let shown_doc = app.document_id().unwrap_or_default();
    let selection = || app.annotation_span();
    egui::Window::new("Claim")
        // Over the inspector, so the claim's text stays visible.
        .default_pos([ctx.content_rect().max.x - 470.0, 70.0])
        .open(&mut open)
        .default_width(420.0)
        .show(ctx, |ui| {
            let draft = &mut editor.draft;
            ui.label(super::bidi_text::bidi_text(
                ui,
                &format!("“{}”", draft.text),
            ));
            ui.separator();
            // Claimant: an entity of this document or free text.
            let entity_choice = match &draft.claimant {
                Some(Claimant::Entity(id)) => Some(id.clone()),
                _ => None,
            };
            let mut chosen = entity_choice.clone();
            let shown = chosen
                .as_deref()
                .and_then(|id| doc.entity(id))
                .map_or("free text / none".to_owned(), |e| {
                    format!("{} ({})", e.text, e.label)
                });
            egui::ComboBox::from_label("Claimant")
                .selected_text(shown)
                .width(220.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen, None, "free text / none");
                    for e in doc
                        .entities
                        .iter()
                        .filter(|e| schema.entity_type(&e.label).is_some_and(|t| t.can_claim()))
                    {
                        ui.selectable_value(
                            &mut chosen,
                            Some(e.id.clone()),
                            format!("{} ({}) @{}", e.text, e.label, e.start),
                        );
                    }
                });
            if chosen != entity_choice {
                draft.claimant = chosen.map(Claimant::Entity);
            }
            if !matches!(draft.claimant, Some(Claimant::Entity(_))) {
                ui.horizontal(|ui| {
                    ui.label("Claimant (text)");
                    if ui
                        .add(
                            egui::TextEdit::singleline(&mut editor.claimant_text)
                                .hint_text("e.g. the White House")
                                .id_salt("claimant-text"),
                        )
                        .changed()
                    {
                        let text = editor.claimant_text.trim();
                        draft.claimant = (!text.is_empty()).then(|| Claimant::Text(text.into()));
                    }
                });
            }
            ui.horizontal(|ui| {
                ui.label(format!(
                    "Cue: {}",
                    draft.cue.as_ref().map_or("—", |c| c.text.as_str())
                ));
                let enabled = has_selection;
                if ui
                    .add_enabled(enabled, egui::Button::new("Use selection as cue"))
                    .on_disabled_hover_text("Select the reporting verb in the text first")
                    .clicked()
                    && let Some((start, end, text)) = selection()
                {
                    draft.cue = Some(Cue { start, end, text });
                }
                if draft.cue.is_some() && ui.small_button("✖").clicked() {
                    draft.cue = None;
                }
            });
            egui::ComboBox::from_label("Attribution")
                .selected_text(draft.attribution.label())
                .show_ui(ui, |ui| {
                    for v in Attribution::ALL {
                        ui.selectable_value(&mut draft.attribution, *v, v.label());
                    }
                });
            optional_combo(
                ui,
                "Check-worthiness",
                &mut draft.checkworthiness,
                CheckWorthiness::ALL,
                CheckWorthiness::label,
            );
            optional_combo(
                ui,
                "Claim type",
                &mut draft.claim_type,
                ClaimType::ALL,
                ClaimType::label,
            );
            optional_combo(ui, "Stance", &mut draft.stance, Stance::ALL, Stance::label);
            optional_combo(
                ui,
                "Verdict",
                &mut draft.verdict,
                Verdict::ALL,
                Verdict::label,
            );
            let mut rating = draft.rating.as_deref().unwrap_or_default().to_owned();
            ui.horizontal(|ui| {
                ui.label("Rating");
                ui.add(
                    egui::TextEdit::singleline(&mut rating)
                        .hint_text("e.g. Mostly false")
                        .id_salt("claim-rating"),
                );
            });
            draft.rating = (!rating.trim().is_empty()).then(|| rating.into());
            ui.label("Evidence");
            let mut remove = None;
            for (n, evidence) in draft.evidence.iter().enumerate() {
                ui.horizontal(|ui| {
                    match evidence {
                        Evidence::Url(url) => ui.label(url),
                        Evidence::Span { doc, text, .. } => ui.label(format!("“{text}” ({doc})")),
                    };
                    if ui.small_button("✖").clicked() {
                        remove = Some(n);
                    }
                });
            }
            if let Some(n) = remove {
                draft.evidence.remove(n);
            }
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut editor.evidence_url)
                        .hint_text("https://…")
                        .id_salt("evidence-url"),
                );
                if ui.button("Add URL").clicked() && !editor.evidence_url.trim().is_empty() {
                    draft
                        .evidence
                        .push(Evidence::Url(editor.evidence_url.trim().to_owned()));
                    editor.evidence_url.clear();
                }
                if ui
                    .add_enabled(has_selection, egui::Button::new("Add selection"))
                    .clicked()
                    && let Some((start, end, text)) = selection()
                {
                    // The span is in the document shown, which may be
                    // another than the claim's.
                    draft.evidence.push(Evidence::Span {
                        doc: shown_doc.clone(),
                        start,
                        end,
                        text: text.to_string(),
                    });
                }
            });
            let mut summary = draft.summary.as_deref().unwrap_or_default().to_owned();
            let name = ui.label("Summary (what is claimed)");
            ui.add(
                egui::TextEdit::multiline(&mut summary)
                    .desired_rows(2)
                    .id_salt("claim-summary"),
            )
            .labelled_by(name.id);
            draft.summary = (!summary.trim().is_empty()).then(|| summary.into());
            let mut note = draft.note.as_deref().unwrap_or_default().to_owned();
            let name = ui.label("Note");
            ui.add(
                egui::TextEdit::multiline(&mut note)
                    .desired_rows(2)
                    .id_salt("claim-note"),
            )
            .labelled_by(name.id);
            draft.note = (!note.trim().is_empty()).then(|| note.into());
            ui.separator();
            ui.horizontal(|ui| {
                apply = ui.button("Apply").clicked();
                cancel = ui.button("Cancel").clicked();
            });
        });
    if apply {
        // Applied (and the editor closed) with this frame's actions.
        app.act(super::Action::ApplyClaimDraft);
    }
    if open && !cancel {
        app.claim_editor = Some(editor);
    }
}
