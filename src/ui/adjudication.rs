//! The adjudication walk-through: a bar under the article that shows one
//! recorded disagreement (or merge conflict) at a time, who made which
//! version, and settles it with a key or a button (take A, take B, both,
//! neither, edit). Each choice is one undoable edit decided by
//! [`crate::review::adjudicate`]; the article view jumps to each one.

use egui::{Color32, RichText};

use super::actions::Action;
use super::app::GlossApp;
use crate::model::{Conflict, ConflictAbout, ConflictKind, ConflictVersion, Document, Project};
use crate::review::adjudicate::{self, Choice, ConflictRef};

/// The walk-through's state.
#[derive(Debug, Clone, Default)]
pub struct Adjudication {
    /// The record shown.
    pub at: Option<ConflictRef>,
    /// Its place in the list, so that settling it shows the next one.
    position: usize,
    /// A kept version is being changed by hand: the annotation keys work
    /// until the user goes on (Ctrl+Shift+J or "Continue").
    pub editing: bool,
    /// The record the article view was last moved to.
    shown: Option<ConflictRef>,
    /// The unsettled records, for the project version they were listed at.
    cache: Option<((u64, u64), Vec<ConflictRef>)>,
}

/// The colour of version `index` (A, B…), in the bar and the comparison.
pub fn side_color(index: usize, dark: bool) -> Color32 {
    let light = [
        Color32::from_rgb(0x1f, 0x6f, 0xc5),
        Color32::from_rgb(0xc0, 0x5a, 0x00),
        Color32::from_rgb(0x2e, 0x8b, 0x57),
    ];
    let dark_set = [
        Color32::from_rgb(0x6c, 0xb4, 0xff),
        Color32::from_rgb(0xff, 0xa8, 0x4a),
        Color32::from_rgb(0x7f, 0xd8, 0x9a),
    ];
    let set = if dark { dark_set } else { light };
    set[index % set.len()]
}

/// "A", "B", … for version `index`.
pub fn side_letter(index: usize) -> String {
    char::from_u32(u32::from(b'A') + index as u32)
        .map_or_else(|| format!("#{index}"), |c| c.to_string())
}

impl Adjudication {
    /// The unsettled records, listed again only when the project changed.
    fn list(&mut self, project: &Project, version: (u64, u64)) -> &[ConflictRef] {
        if self.cache.as_ref().is_none_or(|(v, _)| *v != version) {
            self.cache = Some((version, adjudicate::unsettled(project)));
        }
        self.cache.as_ref().map_or(&[], |(_, list)| list.as_slice())
    }

    /// Keeps `at` on an unsettled record: the same one, or (once it is
    /// settled) the one now at its place. Returns (position, count).
    fn resolve(&mut self, project: &Project, version: (u64, u64)) -> (usize, usize) {
        let at = self.at.clone();
        let position = self.position;
        let list = self.list(project, version);
        let count = list.len();
        let found = at.and_then(|at| list.iter().position(|r| *r == at));
        let index = found.unwrap_or(position.min(count.saturating_sub(1)));
        let next = list.get(index).cloned();
        self.at = next;
        self.position = index;
        (index, count)
    }
}

impl GlossApp {
    /// Ctrl+Shift+J: open the walk-through, go on after editing, or close.
    pub(crate) fn toggle_adjudication(&mut self) {
        match &mut self.adjudication {
            Some(a) if a.editing => {
                a.editing = false;
                a.shown = None;
            }
            Some(_) => self.adjudication = None,
            None if self.session.project().conflict_count() == 0 && self.compare.is_some() => {
                // Nothing recorded, but a comparison is open: adjudicating
                // means curating the two versions.
                self.adjudicate_comparison();
            }
            None => {
                let left = self.session.project().conflict_count();
                self.adjudication = Some(Adjudication::default());
                self.notify(if left == 0 {
                    "nothing to adjudicate: this project has no recorded disagreements".to_owned()
                } else {
                    format!(
                        "{} to settle: A/B take a version, O both, X neither, E edit, J/K next/previous",
                        crate::model::plural(left, "disagreement")
                    )
                });
            }
        }
    }

    /// The record shown, brought up to date with the project.
    pub(crate) fn shown_conflict(&mut self) -> Option<ConflictRef> {
        let version = self.project_version();
        let a = self.adjudication.as_mut()?;
        a.resolve(self.session.project(), version);
        a.at.clone()
    }

    /// E: keep the version of the selected annotation (else A's) and edit it.
    pub(crate) fn settle_and_edit(&mut self) {
        let Some(at) = self.shown_conflict() else {
            self.notify("nothing left to settle");
            return;
        };
        let Some(conflict) = adjudicate::find(self.session.project(), &at) else {
            return;
        };
        if conflict.about != ConflictAbout::Annotations {
            self.notify("only annotations can be edited here: take a version");
            return;
        }
        let selected = self.selected.as_ref().map(|s| s.id.clone());
        let index = conflict
            .versions
            .iter()
            .position(|v| selected.as_ref().is_some_and(|s| v.annotations.contains(s)))
            .or_else(|| {
                conflict
                    .versions
                    .iter()
                    .position(|v| !v.annotations.is_empty())
            })
            .unwrap_or(0);
        self.settle_shown(Choice::Take(index), true);
    }

    /// J/K: the next or previous unsettled record.
    pub(crate) fn step_disagreement(&mut self, forward: bool) {
        let version = self.project_version();
        let Some(a) = self.adjudication.as_mut() else {
            return;
        };
        let (index, count) = a.resolve(self.session.project(), version);
        if count == 0 {
            return;
        }
        let next = if forward {
            (index + 1) % count
        } else {
            (index + count - 1) % count
        };
        a.position = next;
        a.at = a.list(self.session.project(), version).get(next).cloned();
        a.editing = false;
    }

    /// Moves the article view to the record shown when it changed.
    fn jump_to_conflict(&mut self, at: &ConflictRef) {
        let Some(a) = &mut self.adjudication else {
            return;
        };
        if a.shown.as_ref() == Some(at) {
            return;
        }
        a.shown = Some(at.clone());
        let Some(doc_id) = &at.doc else { return };
        let project = self.session.project();
        let Some(doc) = project.document(doc_id) else {
            return;
        };
        let span = adjudicate::find(project, at).and_then(|c| adjudicate::span_of(doc, c));
        match span {
            Some((start, end)) => self.act(Action::JumpTo {
                doc: doc_id.clone(),
                start,
                end,
            }),
            None => {
                if let Some(index) = project.document_index(doc_id) {
                    self.act(Action::SelectDocument(index));
                }
            }
        }
    }
}

/// Draws the bar while the walk-through is open.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    if app.adjudication.is_none() {
        return;
    }
    let version = app.project_version();
    let (index, count) = match app.adjudication.as_mut() {
        Some(a) => a.resolve(app.session.project(), version),
        None => return,
    };
    let at = app.adjudication.as_ref().and_then(|a| a.at.clone());
    let editing = app.adjudication.as_ref().is_some_and(|a| a.editing);
    if let Some(at) = &at
        && !editing
    {
        app.jump_to_conflict(at);
    }
    let dark = ui.visuals().dark_mode;
    let mut actions = Vec::new();
    egui::Panel::bottom("adjudication").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.strong("Adjudication");
            ui.separator();
            ui.label(RichText::new(format!("{count} left")).strong())
                .on_hover_text("unsettled disagreements and conflicts in the project");
            if count > 0 {
                ui.label(format!("(showing {} of {count})", index + 1));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Close").on_hover_text("Esc").clicked() {
                    actions.push(Action::Adjudicate);
                }
            });
        });
        let project = app.session.project();
        let conflict = at.as_ref().and_then(|at| adjudicate::find(project, at));
        let (Some(at), Some(conflict)) = (at.as_ref(), conflict) else {
            ui.label("No disagreements left ✔");
            ui.add_space(4.0);
            return;
        };
        let doc = at.doc.as_ref().and_then(|d| project.document(d));
        ui.label(title(project, doc, conflict));
        if editing {
            ui.horizontal(|ui| {
                ui.label("Editing the kept version: change it as usual.");
                if ui
                    .button("Continue")
                    .on_hover_text("Ctrl+Shift+J: back to the walk-through")
                    .clicked()
                {
                    actions.push(Action::Adjudicate);
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            for (i, version) in conflict.versions.iter().enumerate() {
                let color = side_color(i, dark);
                egui::Frame::group(ui.style())
                    .stroke(egui::Stroke::new(1.5, color))
                    .show(ui, |ui| {
                        ui.set_min_width(220.0);
                        ui.vertical(|ui| {
                            ui.colored_label(
                                color,
                                RichText::new(version_heading(i, version)).strong(),
                            );
                            for line in version_lines(project, doc, conflict, version) {
                                ui.label(line);
                            }
                        });
                    });
            }
        });
        ui.horizontal(|ui| {
            let choices = adjudicate::choices(conflict);
            let enabled = !editing;
            ui.add_enabled_ui(enabled, |ui| {
                for choice in &choices {
                    let (label, key) = match choice {
                        Choice::Take(i) if *i < 2 => {
                            (format!("Take {}", side_letter(*i)), side_letter(*i))
                        }
                        Choice::Take(_) => continue,
                        Choice::Both => ("Both".to_owned(), "O".to_owned()),
                        Choice::Neither => ("Neither".to_owned(), "X".to_owned()),
                    };
                    if ui.button(label).on_hover_text(key).clicked() {
                        actions.push(Action::Settle(*choice));
                    }
                }
                if conflict.about == ConflictAbout::Annotations
                    && ui
                        .button("Edit…")
                        .on_hover_text("E: keep the selected version (else A) and change it")
                        .clicked()
                {
                    actions.push(Action::SettleAndEdit);
                }
                ui.separator();
                if ui.button("◀ Previous").on_hover_text("K or P").clicked() {
                    actions.push(Action::NextDisagreement(false));
                }
                if ui.button("Next ▶").on_hover_text("J or N").clicked() {
                    actions.push(Action::NextDisagreement(true));
                }
            });
        });
        ui.add_space(4.0);
    });
    for action in actions {
        app.act(action);
    }
}

/// "A — ana": the version's letter, who made it, and the side's name when
/// it says more (a file name, "theirs").
fn version_heading(index: usize, version: &ConflictVersion) -> String {
    let letter = side_letter(index);
    let mut heading = letter.clone();
    if let Some(who) = &version.annotator {
        heading.push_str(&format!(" — {who}"));
    }
    if version.side != letter && version.annotator.as_ref() != Some(&version.side) {
        heading.push_str(&format!(" ({})", version.side));
    }
    heading
}

/// One line about what a record is: its kind, what it is about, where.
fn title(project: &Project, doc: Option<&Document>, conflict: &Conflict) -> String {
    let kind = match conflict.kind {
        ConflictKind::Disagreement => "Annotators disagree",
        ConflictKind::Conflict => "Merge conflict",
    };
    let field = conflict.fields.join(", ");
    let about = match &conflict.about {
        ConflictAbout::Annotations => {
            let quote = doc
                .and_then(|d| {
                    let (s, e) = adjudicate::span_of(d, conflict)?;
                    crate::model::span::char_slice(&d.text, s, e).map(|t| shorten(t, 60))
                })
                .unwrap_or_default();
            if field.is_empty() {
                format!("on “{quote}”")
            } else {
                format!("on “{quote}” ({field})")
            }
        }
        ConflictAbout::Document if field.is_empty() => "on whether the document stays".to_owned(),
        ConflictAbout::Document => format!("on the document's {field}"),
        ConflictAbout::Project => format!("on the project's {field} ({})", project.name),
        ConflictAbout::EntityType(key) => format!("on entity type {key}: {field}"),
        ConflictAbout::RelationType(key) => format!("on relation type {key}: {field}"),
        ConflictAbout::CanonicalEntity(id) => format!("on canonical entity {id}: {field}"),
    };
    let place = doc.map(|d| format!(" — in “{}”", shorten(&d.title, 50)));
    format!("{kind} {about}{}", place.unwrap_or_default())
}

/// What one version says, a line per annotation or its value.
fn version_lines(
    project: &Project,
    doc: Option<&Document>,
    conflict: &Conflict,
    version: &ConflictVersion,
) -> Vec<String> {
    if version.deleted {
        return vec!["deleted it".to_owned()];
    }
    if conflict.about != ConflictAbout::Annotations {
        if conflict.fields.is_empty() {
            return vec!["kept it".to_owned()];
        }
        return vec![match &version.value {
            None => "(empty)".to_owned(),
            Some(serde_json::Value::String(s)) => format!("“{}”", shorten(s, 80)),
            Some(other) => shorten(&other.to_string(), 80),
        }];
    }
    let Some(doc) = doc else {
        return Vec::new();
    };
    if version.annotations.is_empty() {
        return vec!["(nothing here)".to_owned()];
    }
    version
        .annotations
        .iter()
        .map(|id| describe_annotation(project, doc, id))
        .collect()
}

/// An annotation in a few words: type and quote, a claim's fields, a
/// relation's ends.
pub fn describe_annotation(project: &Project, doc: &Document, id: &str) -> String {
    if let Some(e) = doc.entity(id) {
        let canonical = e
            .canonical
            .as_ref()
            .and_then(|c| project.canonical(c))
            .map(|c| format!(" → {}", c.name))
            .unwrap_or_default();
        return format!("{} “{}”{canonical}", e.label, shorten(&e.text, 50));
    }
    if let Some(c) = doc.claim(id) {
        let mut parts = vec![format!("claim “{}”", shorten(&c.text, 50))];
        if let Some(who) = c.claimant_name(doc) {
            parts.push(format!("by {who}"));
        }
        if let Some(verdict) = &c.verdict {
            parts.push(format!("verdict {verdict:?}"));
        }
        if let Some(stance) = &c.stance {
            parts.push(format!("stance {stance:?}"));
        }
        return parts.join(", ");
    }
    if let Some(r) = doc.relation(id) {
        let end = |id: &str| {
            doc.entity(id)
                .map(|e| e.text.clone())
                .or_else(|| doc.claim(id).map(|c| c.text.clone()))
                .map_or_else(|| id.to_owned(), |t| shorten(&t, 30))
        };
        return format!("{}: “{}” → “{}”", r.label, end(&r.from), end(&r.to));
    }
    id.to_owned()
}

/// `text` cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
