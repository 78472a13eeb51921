//! Editing and navigation: tagging, claims, deleting, boundaries,
//! annotate-all and moving between documents and annotations.

use crate::model::{CompactString, Entity, span};

use crate::ui::actions::Action;
use crate::ui::app::{AnnotationKind, AnnotationRef, GlossApp};
use crate::ui::claim_editor::ClaimEditor;

impl GlossApp {
    pub(super) fn show_document(&mut self, index: Option<usize>) {
        let Some(index) = index else { return };
        if index < self.session.project().documents.len() && index != self.current {
            self.current = index;
            self.selection = None;
            self.selected = None;
            // The claim editor stays open: its draft keeps its own document,
            // and evidence can be picked from the one shown now.
            self.article_view.scroll_to = Some(0);
        }
    }

    /// The next or previous document that passes the list filter.
    pub(super) fn visible_neighbour(&self, forward: bool) -> Option<usize> {
        let visible = crate::ui::document_list::visible_indices(self);
        let position = visible.iter().position(|i| *i == self.current);
        match (position, forward) {
            (Some(p), true) => visible.get(p + 1).copied(),
            (Some(p), false) => p.checked_sub(1).and_then(|p| visible.get(p).copied()),
            (None, _) => visible.first().copied(),
        }
    }

    /// The selected annotation, when it is an entity of the current document.
    pub(super) fn selected_entity(&self) -> Option<&Entity> {
        match &self.selected {
            Some(AnnotationRef {
                kind: AnnotationKind::Entity,
                id,
            }) => self.document()?.entity(id),
            _ => None,
        }
    }

    /// Start offset of an annotation of the current document.
    pub fn annotation_start(&self, annotation: &AnnotationRef) -> Option<usize> {
        let doc = self.document()?;
        match annotation.kind {
            AnnotationKind::Entity => doc.entity(&annotation.id).map(|e| e.start),
            AnnotationKind::Claim => doc.claim(&annotation.id).map(|c| c.start),
            AnnotationKind::Relation => {
                let relation = doc.relation(&annotation.id)?;
                doc.entity(&relation.from)
                    .map(|e| e.start)
                    .or_else(|| doc.claim(&relation.from).map(|c| c.start))
            }
        }
    }

    /// The snapped selection, as the span an annotation would get.
    pub fn annotation_span(&self) -> Option<(usize, usize, CompactString)> {
        let (start, end) = self.selection_range()?;
        let doc = self.document()?;
        let (start, end) = span::snap_selection(&doc.text, start, end, false)?;
        doc.span(start, end)
    }

    pub(super) fn tag_entity(&mut self, label: &str) {
        use crate::edit::ops::{self, Tagging};
        let Some(doc) = self.document() else { return };
        if let Some((start, end, text)) = self.annotation_span() {
            match ops::tag_span(doc, start, end, text.clone(), label) {
                Tagging::Exists { id } => {
                    self.notify(format!("{text:?} is already tagged {label}"));
                    self.selected = Some(AnnotationRef {
                        kind: AnnotationKind::Entity,
                        id,
                    });
                }
                Tagging::Insert { id, edit } => {
                    let edit = self.with_digit_decision(edit, start, end, label);
                    if self.apply(edit) {
                        self.selection = None;
                        self.selected = Some(AnnotationRef {
                            kind: AnnotationKind::Entity,
                            id,
                        });
                    }
                }
            }
        } else if let Some(AnnotationRef {
            kind: AnnotationKind::Entity,
            id,
        }) = &self.selected
        {
            match ops::retype_entity(doc, id, label) {
                Ok(Some(edit)) => {
                    self.apply(edit);
                }
                Ok(None) => {}
                Err(e) => self.notify(format!("not done: {e}")),
            }
        } else {
            self.notify("select some text first");
        }
    }

    pub(super) fn make_claim(&mut self) {
        let Some(doc) = self.document() else { return };
        let Some((start, end, text)) = self.annotation_span() else {
            self.notify("select the claim's text first");
            return;
        };
        let doc_id = doc.id.clone();
        let (edit, claim) =
            crate::edit::ops::insert_claim(doc, &self.session.project().schema, start, end, text);
        let id = claim.id.clone();
        if self.apply(edit) {
            self.selection = None;
            self.selected = Some(AnnotationRef {
                kind: AnnotationKind::Claim,
                id: id.to_string(),
            });
            self.claim_editor = Some(ClaimEditor::new(doc_id, claim));
        }
    }

    pub(super) fn edit_selected_claim(&mut self) {
        let Some(doc) = self.document() else { return };
        if let Some(AnnotationRef {
            kind: AnnotationKind::Claim,
            id,
        }) = &self.selected
            && let Some(claim) = doc.claim(id)
        {
            self.claim_editor = Some(ClaimEditor::new(doc.id.clone(), claim.clone()));
        }
    }

    /// Deletes the selected annotation, with whatever points at it (relations,
    /// claimant links), as one undoable step.
    pub(super) fn delete_selected(&mut self) {
        let (Some(doc), Some(selected)) = (self.document(), self.selected.clone()) else {
            return;
        };
        match crate::edit::ops::delete_annotation(doc, selected.kind, &selected.id) {
            Ok(edit) => {
                if self.apply(edit) {
                    self.selected = None;
                    self.claim_editor = None;
                }
            }
            Err(e) => self.notify(format!("not done: {e}")),
        }
    }

    /// Installs what an annotate-all job worked out as one undoable step.
    /// When the project changed while the job ran (an edit, undo or redo),
    /// the result is not applied on top of a state it was not worked out
    /// for: the job runs again from the current state, up to
    /// [`crate::ui::annotate_all::ATTEMPTS`] times, then the user is told.
    pub(super) fn on_annotated_all(
        &mut self,
        annotated: crate::ui::annotate_all::Annotated,
        same_session: bool,
    ) {
        let crate::ui::annotate_all::Annotated {
            text,
            label,
            attempt,
            result,
            cancelled,
        } = annotated;
        if cancelled {
            self.notify(format!(
                "annotate all {text:?}: cancelled; nothing was tagged"
            ));
            return;
        }
        if !same_session {
            self.notify(format!(
                "annotate all {text:?} finished for a project that is no longer open; nothing was tagged"
            ));
            return;
        }
        match result {
            Ok(None) => self.notify(format!("no untagged occurrence of {text:?} to tag")),
            Ok(Some((prepared, count))) => match self.session.apply_prepared(prepared) {
                Ok(()) => self.notify(format!(
                    "tagged {} of {text:?} as {label} (one undo step)",
                    crate::model::plural(count, "mention")
                )),
                Err(crate::edit::EditError::Stale) if attempt < crate::ui::annotate_all::ATTEMPTS => {
                    self.notify(format!(
                        "the project changed while tagging {text:?}; working it out again"
                    ));
                    crate::ui::annotate_all::start(self, text, label, attempt + 1);
                }
                Err(crate::edit::EditError::Stale) => self.notify(format!(
                    "the project kept changing while tagging {text:?}; nothing was tagged, try again"
                )),
                Err(e) => self.notify(format!("not done: {e}")),
            },
            Err(e) => self.notify(format!("not done: {e}")),
        }
    }

    /// Moves the selected entity's or claim's boundaries by whole words.
    pub(super) fn move_boundary(&mut self, start_delta: i32, end_delta: i32) {
        let (Some(doc), Some(selected)) = (self.document(), self.selected.clone()) else {
            return;
        };
        match crate::edit::ops::move_boundary(
            doc,
            selected.kind,
            &selected.id,
            start_delta,
            end_delta,
        ) {
            Ok(edit) => {
                self.apply(edit);
            }
            Err(e) => self.notify(e.to_string()),
        }
    }

    pub(super) fn open_annotate_all(&mut self) {
        let text = match self.annotation_span() {
            Some((_, _, text)) => text.to_string(),
            None => match self.selected_entity() {
                Some(entity) => entity.text.to_string(),
                None => self.find.query.clone(),
            },
        };
        let label = self
            .selected_entity()
            .map(|e| e.label.to_string())
            .or_else(|| {
                self.session
                    .project()
                    .schema
                    .entity_types
                    .first()
                    .map(|t| t.key.clone())
            })
            .unwrap_or_default();
        self.dialogs.open_annotate_all(text, label);
    }

    /// Selects the next (or previous) annotation in text order.
    pub(super) fn cycle_annotation(&mut self, forward: bool) {
        let Some(doc) = self.document() else { return };
        let mut all: Vec<(usize, usize, AnnotationRef)> = doc
            .entities
            .iter()
            .map(|e| {
                (
                    e.start,
                    e.end,
                    AnnotationRef {
                        kind: AnnotationKind::Entity,
                        id: e.id.to_string(),
                    },
                )
            })
            .chain(doc.claims.iter().map(|c| {
                (
                    c.start,
                    c.end,
                    AnnotationRef {
                        kind: AnnotationKind::Claim,
                        id: c.id.to_string(),
                    },
                )
            }))
            .collect();
        if all.is_empty() {
            return;
        }
        all.sort_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
        let position = self
            .selected
            .as_ref()
            .and_then(|sel| all.iter().position(|(_, _, a)| a == sel));
        let next = match (position, forward) {
            (Some(p), true) => (p + 1) % all.len(),
            (Some(p), false) => (p + all.len() - 1) % all.len(),
            (None, true) => 0,
            (None, false) => all.len() - 1,
        };
        if let Some((_, _, annotation)) = all.get(next).cloned() {
            self.act(Action::SelectAnnotation(annotation));
        }
    }
}
