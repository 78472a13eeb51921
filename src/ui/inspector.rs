//! The right-hand pane: the inspector for the selected annotation, and tabs
//! for the Entities and Claims panes.

use crate::edit::Edit;
use crate::model::Relation;

use super::actions::Action;
use super::app::{AnnotationKind, AnnotationRef, GlossApp, SidePane};

/// Draft state of the inspector's fields.
#[derive(Debug, Default, Clone)]
pub struct InspectorDraft {
    /// Which annotation the draft belongs to.
    pub for_id: Option<String>,
    /// Note being typed.
    pub note: String,
    /// Relation type to add.
    pub relation_type: String,
    /// Target annotation id for a new relation.
    pub relation_target: String,
}

/// Draws the right panel.
pub fn show_side_pane(app: &mut GlossApp, ui: &mut egui::Ui) {
    use super::panel_widths::{self, Fit};
    // The Annotations table is wide: its own panel, with its own width.
    let (id, max): (&str, f32) = if app.side_pane == SidePane::Annotations {
        ("side-annotations", 1100.0)
    } else {
        ("side", 420.0)
    };
    let width = wanted_width(app);
    let (_, fit) = panel_widths::current(app, ui.ctx(), width);
    let max = match fit {
        Fit::Folded => {
            // Too small a window for the pane and a readable article: a
            // button per tab unfolds it on that tab.
            let tabs = [
                (SidePane::Inspector, "I", "Inspector"),
                (SidePane::Entities, "E", "Entities"),
                (SidePane::Claims, "C", "Claims"),
                (SidePane::Annotations, "A", "Annotations"),
            ];
            let buttons: Vec<(&str, &str)> = tabs.iter().map(|(_, k, n)| (*k, *n)).collect();
            if let Some(i) = panel_widths::strip(ui, "side-strip", false, &buttons)
                && let Some((pane, _, _)) = tabs.get(i)
            {
                app.side_pane = *pane;
                app.unfolded.right = true;
            }
            return;
        }
        Fit::Width(room) => max.min(room),
    };
    let unfolded = app.unfolded.right;
    egui::Panel::right(id)
        .resizable(true)
        .default_size(width.min(max))
        .max_size(max)
        .show(ui, |ui| {
            // In a narrow panel the tabs take two rows rather than widen it
            // past the room the article leaves; otherwise one row, as always.
            let tabs = |ui: &mut egui::Ui| {
                if unfolded
                    && ui
                        .small_button("▶")
                        .on_hover_text("Fold the pane")
                        .clicked()
                {
                    app.unfolded.right = false;
                }
                ui.selectable_value(&mut app.side_pane, SidePane::Inspector, "Inspector");
                ui.selectable_value(&mut app.side_pane, SidePane::Entities, "Entities");
                ui.selectable_value(&mut app.side_pane, SidePane::Claims, "Claims");
                ui.selectable_value(&mut app.side_pane, SidePane::Annotations, "Annotations");
            };
            if ui.available_width() >= TABS_WIDTH {
                ui.horizontal(tabs);
            } else {
                ui.horizontal_wrapped(tabs);
            }
            ui.separator();
            match app.side_pane {
                SidePane::Annotations => super::annotations_pane::show(app, ui),
                // The Claims pane scrolls by itself, drawing only the rows in view.
                SidePane::Claims => super::entities_pane::claims(app, ui),
                pane => {
                    // Fill the panel and never report wider content to it:
                    // the panel keeps the width the user gave it, whatever
                    // is selected. Text wraps at the panel's width; a row of
                    // fixed-size widgets wider than that scrolls sideways.
                    let width = ui.available_width();
                    egui::ScrollArea::both()
                        .auto_shrink([false, false])
                        .id_salt("side-pane")
                        .show(ui, |ui| {
                            ui.set_max_width(width);
                            if pane == SidePane::Inspector {
                                inspector(app, ui);
                            } else {
                                super::entities_pane::entities(app, ui);
                            }
                        });
                }
            }
        });
}

/// Who made an annotation and where its review stands.
fn review_line(ui: &mut egui::Ui, review: crate::model::Review, annotator: Option<&str>) {
    use crate::model::Review;
    let state = match review {
        Review::Unreviewed => "not reviewed",
        Review::Accepted => "accepted",
        Review::Rejected => "rejected (left out of exports)",
        Review::Discuss => "needs discussion",
    };
    let by = annotator.map(|a| format!(" · by {a}")).unwrap_or_default();
    ui.weak(format!("Review: {state}{by}"));
}

fn inspector(app: &mut GlossApp, ui: &mut egui::Ui) {
    let Some(doc) = app.document() else { return };
    let Some(selected) = app.selected.clone() else {
        ui.label("Select text and press a type's key (1–9) or C for a claim. Click an annotation to inspect it.");
        ui.add_space(8.0);
        legend(app, ui);
        return;
    };
    let doc_id = doc.id.clone();
    match selected.kind {
        AnnotationKind::Entity => {
            let Some(entity) = doc.entity(&selected.id).cloned() else {
                return;
            };
            ui.heading(format!("Entity {}", entity.id));
            ui.label(super::bidi_text::bidi_text(
                ui,
                &format!("“{}”", entity.text),
            ));
            ui.label(format!("{}–{} (code points)", entity.start, entity.end));
            review_line(ui, entity.review, entity.annotator.as_deref());
            let mut label = entity.label.to_string();
            ui.horizontal(|ui| {
                let name = ui.label("Type");
                super::theme::entity_type_combo(
                    ui,
                    "inspector-type",
                    &mut label,
                    &app.session.project().schema,
                )
                .labelled_by(name.id);
            });
            if label != entity.label {
                app.act(Action::TagEntity(label));
            }
            canonical_picker(app, ui, &doc_id, &entity);
            note_field(
                app,
                ui,
                &doc_id,
                &selected,
                entity.note.as_deref().unwrap_or_default().to_owned(),
            );
        }
        AnnotationKind::Claim => {
            let Some(claim) = doc.claim(&selected.id).cloned() else {
                return;
            };
            ui.heading(format!("Claim {}", claim.id));
            ui.label(super::bidi_text::bidi_text(
                ui,
                &format!("“{}”", claim.text),
            ));
            review_line(ui, claim.review, claim.annotator.as_deref());
            let who = claim.claimant_name(doc).unwrap_or("—").to_owned();
            egui::Grid::new("claim-fields")
                .num_columns(2)
                .show(ui, |ui| {
                    let rows = [
                        ("Claimant", who),
                        (
                            "Cue",
                            claim
                                .cue
                                .as_ref()
                                .map_or("—".to_owned(), |c| c.text.to_string()),
                        ),
                        ("Attribution", claim.attribution.label()),
                        (
                            "Check-worthiness",
                            claim.checkworthiness.map_or("—".to_owned(), |v| v.label()),
                        ),
                        (
                            "Claim type",
                            claim.claim_type.map_or("—".to_owned(), |v| v.label()),
                        ),
                        ("Stance", claim.stance.map_or("—".to_owned(), |v| v.label())),
                        (
                            "Verdict",
                            claim.verdict.map_or("—".to_owned(), |v| v.label()),
                        ),
                        (
                            "Summary",
                            claim.summary.as_deref().unwrap_or("—").to_owned(),
                        ),
                    ];
                    for (name, value) in rows {
                        ui.label(name);
                        ui.label(value);
                        ui.end_row();
                    }
                });
            if ui.button("Edit claim… (E)").clicked() {
                app.act(Action::EditClaim);
            }
        }
        AnnotationKind::Relation => {
            let Some(relation) = doc.relation(&selected.id).cloned() else {
                return;
            };
            let schema = &app.session.project().schema;
            ui.heading(format!("Relation {}", relation.id));
            ui.add(egui::Label::new(relation_line(doc, schema, &relation)).wrap());
            // Its type, changed here (L…L makes the schema's first type).
            let mut label = relation.label.to_string();
            ui.horizontal(|ui| {
                let name = ui.label("Type:");
                egui::ComboBox::from_id_salt("relation-type-of-selected")
                    .selected_text(schema.relation_name(&label).to_owned())
                    .show_ui(ui, |ui| {
                        for t in &schema.relation_types {
                            ui.selectable_value(&mut label, t.key.clone(), &t.name);
                        }
                    })
                    .response
                    .labelled_by(name.id);
            });
            if label != relation.label.as_str()
                && let Some(index) = doc.relations.iter().position(|r| r.id == relation.id)
            {
                let mut changed = relation.clone();
                changed.label = label.into();
                app.request_edit(Edit::Batch {
                    label: "change the relation's type".to_owned(),
                    edits: vec![
                        Edit::RemoveRelation {
                            doc: doc_id.clone(),
                            id: relation.id.to_string(),
                        },
                        Edit::InsertRelation {
                            doc: doc_id.clone(),
                            index,
                            relation: changed,
                        },
                    ],
                });
            }
        }
    }
    ui.separator();
    relations(app, ui, &doc_id, &selected);
    ui.separator();
    if ui.button("✖ Delete (Del)").clicked() {
        app.act(Action::DeleteSelected);
    }
    // The type keys stay in sight while an annotation is inspected: the
    // next tag needs them, and the legend's text stays laid out instead of
    // being laid out again after every tag (it showed in frame profiles).
    ui.add_space(8.0);
    legend(app, ui);
}

fn legend(app: &GlossApp, ui: &mut egui::Ui) {
    ui.strong("Types");
    for t in &app.session.project().schema.entity_types {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 3.0, super::theme::swatch(t.color));
            let key = t.hotkey.map(|h| format!("[{h}] ")).unwrap_or_default();
            ui.label(format!("{key}{} — {}", t.key, t.name));
        });
    }
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
        ui.painter().line_segment(
            [rect.left_bottom(), rect.right_bottom()],
            egui::Stroke::new(2.0, super::theme::claim_color(ui.visuals().dark_mode)),
        );
        ui.label("[C] Claim (underlined, marked in the margin)");
    });
}

/// "Kim (PER) —Alias of→ Kim Jong Un (PER)": a relation with its type's name.
fn relation_line(
    doc: &crate::model::Document,
    schema: &crate::model::Schema,
    relation: &Relation,
) -> String {
    format!(
        "{} —{}→ {}",
        describe(doc, &relation.from),
        schema.relation_name(&relation.label),
        describe(doc, &relation.to)
    )
}

fn describe(doc: &crate::model::Document, id: &str) -> String {
    doc.entity(id)
        .map(|e| format!("{} “{}”", e.label, e.text))
        .or_else(|| {
            doc.claim(id)
                .map(|c| format!("claim “{}”", c.text.chars().take(30).collect::<String>()))
        })
        .unwrap_or_else(|| id.to_owned())
}

fn canonical_picker(
    app: &mut GlossApp,
    ui: &mut egui::Ui,
    doc_id: &str,
    entity: &crate::model::Entity,
) {
    let current = entity
        .canonical
        .as_deref()
        .and_then(|id| app.session.project().canonical(id))
        .map_or_else(|| "none".to_owned(), |c| c.name.clone());
    let mut chosen = entity.canonical.clone();
    egui::ComboBox::from_label("Canonical entity")
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "none");
            for c in &app.session.project().canonical_entities {
                ui.selectable_value(
                    &mut chosen,
                    Some(c.id.as_str().into()),
                    format!("{} ({})", c.name, c.label),
                );
            }
        });
    if chosen != entity.canonical {
        let mut updated = entity.clone();
        updated.canonical = chosen;
        app.request_edit(Edit::ReplaceEntity {
            doc: doc_id.to_owned(),
            entity: updated,
        });
    }
    if entity.canonical.is_none()
        && ui
            .button("New canonical entity from this mention")
            .clicked()
    {
        match crate::edit::ops::canonical_from_mention(app.session.project(), doc_id, &entity.id) {
            Ok(edit) => app.request_edit(edit),
            Err(e) => app.notify(format!("not done: {e}")),
        }
    }
}

fn note_field(
    app: &mut GlossApp,
    ui: &mut egui::Ui,
    doc_id: &str,
    selected: &AnnotationRef,
    current: String,
) {
    let draft = ui
        .ctx()
        .data_mut(|d| d.get_temp::<InspectorDraft>(egui::Id::unique("inspector-draft")))
        .unwrap_or_default();
    // The draft belongs to one annotation of one document with one stored
    // note: after switching documents or an undo it starts afresh.
    let key = format!("{doc_id}\u{0}{}\u{0}{current}", selected.id);
    let mut draft = if draft.for_id.as_deref() == Some(key.as_str()) {
        draft
    } else {
        InspectorDraft {
            for_id: Some(key),
            note: current.clone(),
            ..Default::default()
        }
    };
    let name = ui.label("Note");
    let response = ui
        .add(
            egui::TextEdit::multiline(&mut draft.note)
                .desired_rows(2)
                .id_salt("entity-note"),
        )
        .labelled_by(name.id);
    if response.lost_focus()
        && draft.note != current
        && let Some(entity) = app.document().and_then(|d| d.entity(&selected.id)).cloned()
    {
        let mut updated = entity;
        updated.note = (!draft.note.trim().is_empty()).then(|| draft.note.as_str().into());
        app.request_edit(Edit::ReplaceEntity {
            doc: doc_id.to_owned(),
            entity: updated,
        });
    }
    ui.ctx()
        .data_mut(|d| d.insert_temp(egui::Id::unique("inspector-draft"), draft));
}

fn relations(app: &mut GlossApp, ui: &mut egui::Ui, doc_id: &str, selected: &AnnotationRef) {
    let Some(doc) = app.document() else { return };
    if selected.kind == AnnotationKind::Relation {
        return;
    }
    ui.strong("Relations");
    let mine: Vec<Relation> = doc
        .relations
        .iter()
        .filter(|r| r.from == selected.id || r.to == selected.id)
        .cloned()
        .collect();
    let mut remove = None;
    let schema = &app.session.project().schema;
    for r in &mine {
        // The button first: a long name wraps instead of pushing it off.
        ui.horizontal_top(|ui| {
            if ui
                .small_button("✖")
                .on_hover_text("Remove relation")
                .clicked()
            {
                remove = Some(r.id.clone());
            }
            ui.add(egui::Label::new(relation_line(doc, schema, r)).wrap());
        });
    }
    // The list of targets is built only while the combo box is open.
    // Cut to a few words: a long name would push the Link button off the
    // panel.
    let describe_target = |id: &str| -> Option<String> {
        doc.entity(id)
            .map(|e| {
                let text: String = e.text.chars().take(24).collect();
                let cut = if e.text.chars().count() > 24 {
                    "…"
                } else {
                    ""
                };
                format!("{} “{text}{cut}” @{}", e.label, e.start)
            })
            .or_else(|| doc.claim(id).map(|c| format!("claim @{}", c.start)))
    };
    let mut draft: InspectorDraft = ui
        .ctx()
        .data_mut(|d| d.get_temp(egui::Id::unique("relation-draft")))
        .unwrap_or_default();
    if draft.relation_type.is_empty() {
        draft.relation_type = app
            .session
            .project()
            .schema
            .relation_types
            .first()
            .map(|t| t.key.clone())
            .unwrap_or_default();
    }
    let mut add = false;
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_id_salt("relation-type")
            .selected_text(schema.relation_name(&draft.relation_type).to_owned())
            .width(90.0)
            .show_ui(ui, |ui| {
                for t in &app.session.project().schema.relation_types {
                    ui.selectable_value(&mut draft.relation_type, t.key.clone(), &t.name);
                }
            })
            .response
            .on_hover_text("Relation type");
        let target_text =
            describe_target(&draft.relation_target).unwrap_or_else(|| "to…".to_owned());
        egui::ComboBox::from_id_salt("relation-target")
            .selected_text(target_text)
            .width(150.0)
            .show_ui(ui, |ui| {
                let ids = doc
                    .entities
                    .iter()
                    .map(|e| &e.id)
                    .chain(doc.claims.iter().map(|c| &c.id));
                for id in ids.filter(|id| **id != selected.id) {
                    let text = describe_target(id).unwrap_or_default();
                    ui.selectable_value(&mut draft.relation_target, id.to_string(), text);
                }
            })
            .response
            .on_hover_text("Relation target");
        add = ui
            .add_enabled(!draft.relation_target.is_empty(), egui::Button::new("Link"))
            .clicked();
    });
    if add {
        let relation = Relation::new(
            doc.next_id("r"),
            draft.relation_type.clone(),
            selected.id.clone(),
            draft.relation_target.clone(),
        );
        let index = doc.relations.len();
        app.request_edit(Edit::InsertRelation {
            doc: doc_id.to_owned(),
            index,
            relation,
        });
        draft.relation_target.clear();
    }
    ui.ctx()
        .data_mut(|d| d.insert_temp(egui::Id::unique("relation-draft"), draft));
    if let Some(id) = remove {
        app.request_edit(Edit::RemoveRelation {
            doc: doc_id.to_owned(),
            id: id.to_string(),
        });
    }
}

/// About the width of the four tabs in one row at zoom 1, in points.
const TABS_WIDTH: f32 = 280.0;

/// The width the side pane wants: the Annotations table is wider.
pub fn wanted_width(app: &GlossApp) -> f32 {
    if app.side_pane == SidePane::Annotations {
        620.0
    } else {
        300.0
    }
}
