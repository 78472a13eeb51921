//! The schema editor: add, rename and recolour entity types and set their
//! hotkeys. Every change is one undoable edit; renames update annotations.

use crate::edit::Edit;
use crate::model::{EntityType, RelationType, Rgb};

use super::app::GlossApp;

/// Draft of the new-type row.
#[derive(Debug, Default, Clone)]
pub struct SchemaEditor {
    /// Key of a type to add.
    pub new_key: String,
    /// Name of a type to add.
    pub new_name: String,
    /// Key of a relation type to add.
    pub new_relation: String,
    /// Pending renames: (old key, new key being typed).
    pub renaming: Option<(String, String)>,
}

/// Draws the editor window when open.
pub fn show(app: &mut GlossApp, ctx: &egui::Context) {
    let Some(mut editor) = app.schema_editor.take() else {
        return;
    };
    let mut open = true;
    let mut edits = Vec::new();
    // A colour drag changes the colour every frame: one undo step for all.
    let mut recolour = None;
    egui::Window::new("Schema")
        .default_pos([360.0, 80.0])
        .open(&mut open)
        .default_width(460.0)
        .show(ctx, |ui| {
            ui.strong("Entity types");
            let types = app.session.project().schema.entity_types.clone();
            egui::Grid::new("schema-types")
                .num_columns(6)
                .striped(true)
                .show(ui, |ui| {
                    ui.label("Key");
                    ui.label("Name");
                    ui.label("Colour");
                    ui.label("Hotkey");
                    ui.label("Claimant");
                    ui.label("");
                    ui.end_row();
                    for t in &types {
                        match &mut editor.renaming {
                            Some((old, new)) if *old == t.key => {
                                let field = ui.add(
                                    egui::TextEdit::singleline(new)
                                        .desired_width(70.0)
                                        .id_salt("rename-key"),
                                );
                                if field.lost_focus() {
                                    let mut renamed = t.clone();
                                    renamed.key = new.trim().to_owned();
                                    // The default depends on the key: keep
                                    // what the type does under its new name.
                                    renamed.can_claim = Some(t.can_claim());
                                    if renamed.key != t.key && !renamed.key.is_empty() {
                                        edits.push(Edit::ReplaceEntityType {
                                            key: t.key.clone(),
                                            entity_type: renamed,
                                        });
                                    }
                                    editor.renaming = None;
                                }
                            }
                            _ => {
                                if ui
                                    .button(&t.key)
                                    .on_hover_text("Rename (updates every annotation)")
                                    .clicked()
                                {
                                    editor.renaming = Some((t.key.clone(), t.key.clone()));
                                }
                            }
                        }
                        let mut name = t.name.clone();
                        if ui
                            .add(
                                egui::TextEdit::singleline(&mut name)
                                    .desired_width(120.0)
                                    .id_salt(("type-name", &t.key)),
                            )
                            .lost_focus()
                            && name != t.name
                        {
                            edits.push(Edit::ReplaceEntityType {
                                key: t.key.clone(),
                                entity_type: EntityType { name, ..t.clone() },
                            });
                        }
                        let mut color =
                            egui::Color32::from_rgb(t.color.0[0], t.color.0[1], t.color.0[2]);
                        if ui.color_edit_button_srgba(&mut color).changed() {
                            let color = Rgb([color.r(), color.g(), color.b()]);
                            recolour = Some(Edit::ReplaceEntityType {
                                key: t.key.clone(),
                                entity_type: EntityType { color, ..t.clone() },
                            });
                        }
                        let mut hotkey = t.hotkey;
                        egui::ComboBox::from_id_salt(("hotkey", &t.key))
                            .width(40.0)
                            .selected_text(hotkey.map(String::from).unwrap_or_default())
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut hotkey, None, "none");
                                for digit in '1'..='9' {
                                    ui.selectable_value(
                                        &mut hotkey,
                                        Some(digit),
                                        digit.to_string(),
                                    );
                                }
                            });
                        if hotkey != t.hotkey {
                            edits.push(Edit::ReplaceEntityType {
                                key: t.key.clone(),
                                entity_type: EntityType {
                                    hotkey,
                                    ..t.clone()
                                },
                            });
                        }
                        let mut can_claim = t.can_claim();
                        if ui
                            .checkbox(&mut can_claim, "")
                            .on_hover_text("Mentions of this type can be a claim's claimant")
                            .changed()
                        {
                            edits.push(Edit::ReplaceEntityType {
                                key: t.key.clone(),
                                entity_type: EntityType {
                                    can_claim: Some(can_claim),
                                    ..t.clone()
                                },
                            });
                        }
                        if ui
                            .small_button("✖")
                            .on_hover_text("Remove (only when unused)")
                            .clicked()
                        {
                            edits.push(Edit::RemoveEntityType { key: t.key.clone() });
                        }
                        ui.end_row();
                    }
                });
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut editor.new_key)
                        .hint_text("KEY")
                        .desired_width(70.0)
                        .id_salt("new-type-key"),
                );
                ui.add(
                    egui::TextEdit::singleline(&mut editor.new_name)
                        .hint_text("Name")
                        .desired_width(120.0)
                        .id_salt("new-type-name"),
                );
                if ui.button("Add type").clicked() && !editor.new_key.trim().is_empty() {
                    let used: Vec<char> = types.iter().filter_map(|t| t.hotkey).collect();
                    let hotkey = ('1'..='9').find(|d| !used.contains(d));
                    let key = editor.new_key.trim().to_owned();
                    let name = if editor.new_name.trim().is_empty() {
                        key.clone()
                    } else {
                        editor.new_name.trim().to_owned()
                    };
                    // The one palette of the schema code, as imports use.
                    let color = crate::model::schema::distinct_color(&app.session.project().schema);
                    edits.push(Edit::InsertEntityType {
                        index: types.len(),
                        entity_type: EntityType {
                            key,
                            name,
                            color,
                            hotkey,
                            can_claim: None,
                        },
                    });
                    editor.new_key.clear();
                    editor.new_name.clear();
                }
            });
            ui.separator();
            ui.strong("Relation types");
            let relation_types = app.session.project().schema.relation_types.clone();
            for t in &relation_types {
                ui.horizontal(|ui| {
                    ui.label(format!("{} — {}", t.key, t.name));
                    if ui.small_button("✖").clicked() {
                        edits.push(Edit::RemoveRelationType { key: t.key.clone() });
                    }
                });
            }
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut editor.new_relation)
                        .hint_text("RelationKey")
                        .desired_width(120.0)
                        .id_salt("new-relation"),
                );
                if ui.button("Add relation type").clicked()
                    && !editor.new_relation.trim().is_empty()
                {
                    let key = editor.new_relation.trim().to_owned();
                    edits.push(Edit::InsertRelationType {
                        index: relation_types.len(),
                        relation_type: RelationType {
                            name: key.clone(),
                            key,
                        },
                    });
                    editor.new_relation.clear();
                }
            });
        });
    for edit in edits {
        app.request_edit(edit);
    }
    if recolour.is_none() && !ctx.input(|i| i.pointer.any_down()) {
        // A drag ended: the next colour change is a new undo step.
        app.session.history.end_coalescing();
    }
    if let Some(edit) = recolour {
        let key = match &edit {
            Edit::ReplaceEntityType { key, .. } => format!("recolour {key}"),
            _ => String::new(),
        };
        app.act(super::Action::EditCoalescing {
            edit: Box::new(edit),
            key,
        });
    }
    if open {
        app.schema_editor = Some(editor);
    }
}
