//! Big edits applied off the UI thread. An edit that touches thousands of
//! documents ("annotate all occurrences" across a project) takes far longer
//! than a frame to check and apply, and as long again to undo. Instead, a
//! worker applies it, with every check, to a snapshot of the project
//! ([`Session::snapshot`], one pointer per document) and keeps the documents
//! it changed ([`prepare`]); the session then installs them
//! ([`Session::apply_prepared`]) by swapping one pointer per changed
//! document, provided the project is still in the snapshot's state. Undo and
//! redo swap the documents back and forth the same way ([`Restore`]).
//!
//! [`Session::snapshot`]: crate::workspace::Session::snapshot
//! [`Session::apply_prepared`]: crate::workspace::Session::apply_prepared

use std::sync::Arc;

use super::{Edit, EditError, Focus, apply};
use crate::model::{Document, Project};

/// Documents put back as they are in another state of the project: the
/// step that [`Session::apply_prepared`] records, and its undo and redo.
/// Only this module makes one, from states the project was in (checked
/// when they were reached), so applying it checks only that each document
/// is still the same article in the same place, in constant time per
/// document.
///
/// [`Session::apply_prepared`]: super::Session::apply_prepared
#[derive(Debug, Clone, PartialEq)]
pub struct Restore {
    label: String,
    /// (index in the project, the document as it is to be).
    documents: Vec<(usize, Arc<Document>)>,
    /// Where applying this changes the project, and where its inverse does.
    focus: Option<Focus>,
    inverse_focus: Option<Focus>,
}

impl Restore {
    /// What the step does, for messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The documents it puts back, as they are to be.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.documents.iter().map(|(_, doc)| &**doc)
    }

    /// Where applying it changes the project (see [`Edit::focus_before`]).
    pub(super) fn focus(&self) -> Option<&Focus> {
        self.focus.as_ref()
    }

    /// Swaps the documents in; returns the swap that undoes it. Nothing
    /// changes when a document is not where it was.
    pub(super) fn apply(self, project: &mut Project) -> Result<Restore, EditError> {
        for (index, doc) in &self.documents {
            match project.documents.get(*index) {
                Some(current)
                    if current.id == doc.id && current.content_hash == doc.content_hash => {}
                _ => return Err(EditError::NoDocument(doc.id.clone())),
            }
        }
        let Restore {
            label,
            documents,
            focus,
            inverse_focus,
        } = self;
        let mut swapped = Vec::with_capacity(documents.len());
        for (index, doc) in documents {
            if let Some(slot) = project.documents.get_mut(index) {
                swapped.push((index, std::mem::replace(slot, doc)));
            }
        }
        Ok(Restore {
            label,
            documents: swapped,
            focus: inverse_focus,
            inverse_focus: focus,
        })
    }
}

/// Which session and which state of its project a snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Base {
    /// The session ([`super::Session`] numbers each one).
    pub(crate) session: u64,
    /// Its history generation, which every change bumps.
    pub(crate) generation: u64,
}

/// A copy of the project for a worker thread (one pointer per document),
/// remembering which state it is, so that an edit prepared from it is
/// installed only on that very state.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub(crate) project: Project,
    pub(crate) base: Base,
}

impl Snapshot {
    /// The project as it was when the snapshot was taken.
    pub fn project(&self) -> &Project {
        &self.project
    }
}

/// An edit applied to a snapshot: the documents it changed, ready for
/// [`super::Session::apply_prepared`].
#[derive(Debug)]
pub struct Prepared {
    pub(crate) base: Base,
    pub(crate) restore: Restore,
}

impl Prepared {
    /// How many documents the edit changed.
    pub fn document_count(&self) -> usize {
        self.restore.documents.len()
    }
}

/// Applies `edit` to the snapshot's project, with every check
/// [`super::apply`] makes, and keeps the documents it changed. Only edits
/// of documents' annotations, statuses and fields can be prepared (not the
/// schema, the project's own fields, or documents added or removed):
/// anything else is refused and should be applied as usual.
pub fn prepare(snapshot: Snapshot, edit: Edit) -> Result<Prepared, EditError> {
    if !changes_documents_only(&edit) {
        return Err(EditError::Schema(
            "only changes within documents can be prepared off the UI thread".to_owned(),
        ));
    }
    let Snapshot { mut project, base } = snapshot;
    let label = match &edit {
        Edit::Batch { label, .. } => label.clone(),
        _ => "change".to_owned(),
    };
    let focus = edit.focus_before();
    // Holding the old pointers makes the edit copy each document it changes
    // (`Arc::make_mut`), so a changed document is one whose pointer changed.
    let before: Vec<Arc<Document>> = project.documents.clone();
    let inverse = apply(&mut project, edit)?;
    let documents = project
        .documents
        .iter()
        .zip(&before)
        .enumerate()
        .filter(|(_, (now, was))| !Arc::ptr_eq(now, was))
        .map(|(index, (now, _))| (index, Arc::clone(now)))
        .collect();
    Ok(Prepared {
        base,
        restore: Restore {
            label,
            documents,
            focus,
            inverse_focus: inverse.focus_before(),
        },
    })
}

/// Whether `edit` changes nothing but existing documents.
fn changes_documents_only(edit: &Edit) -> bool {
    match edit {
        Edit::InsertEntity { .. }
        | Edit::RemoveEntity { .. }
        | Edit::ReplaceEntity { .. }
        | Edit::InsertClaim { .. }
        | Edit::RemoveClaim { .. }
        | Edit::ReplaceClaim { .. }
        | Edit::InsertRelation { .. }
        | Edit::RemoveRelation { .. }
        | Edit::SetStatus { .. }
        | Edit::InsertConflict { doc: Some(_), .. }
        | Edit::RemoveConflict { doc: Some(_), .. }
        | Edit::SetField {
            target: super::FieldTarget::Document(_),
            ..
        } => true,
        Edit::Batch { edits, .. } => edits.iter().all(changes_documents_only),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entity;
    use crate::workspace::Session;

    fn session() -> Session {
        Session::new(crate::sample::large_project(30, 400), None)
    }

    fn annotate_all(project: &Project) -> Edit {
        let documents: Vec<&Document> = project.documents.iter().map(|d| &**d).collect();
        let (edit, count) = crate::edit::ops::annotate_all(&documents, "Kim", "PER");
        assert!(count > 30, "Kim is in every document");
        edit.expect("an edit")
    }

    #[test]
    fn a_prepared_edit_is_the_same_step_as_the_edit_itself() {
        let mut direct = session();
        let mut prepared = session();
        let edit = annotate_all(direct.project());
        direct.apply(edit.clone()).expect("applies");
        let ready = prepare(prepared.snapshot(), edit).expect("prepares");
        assert_eq!(ready.document_count(), 30);
        prepared.apply_prepared(ready).expect("installs");
        assert_eq!(prepared.project(), direct.project());
        assert!(prepared.is_dirty());
        assert_eq!(prepared.history.undo_len(), 1);
        // Undo and redo land on the same states, and undo shows the same place.
        assert_eq!(
            prepared.history.next_undo_focus(),
            direct.history.next_undo_focus()
        );
        let original = session();
        assert!(prepared.undo().expect("undo"));
        assert!(direct.undo().expect("undo"));
        assert_eq!(prepared.project(), original.project());
        assert!(!prepared.is_dirty());
        assert_eq!(
            prepared.history.next_redo_focus(),
            direct.history.next_redo_focus()
        );
        assert!(prepared.redo().expect("redo"));
        assert!(direct.redo().expect("redo"));
        assert_eq!(prepared.project(), direct.project());
    }

    #[test]
    fn an_edit_prepared_for_an_older_state_or_another_session_is_refused() {
        let mut session = session();
        let edit = annotate_all(session.project());
        let snapshot = session.snapshot();
        let doc = session.project().documents[0].id.clone();
        session
            .apply(Edit::SetStatus {
                doc,
                status: crate::model::Status::Done,
            })
            .expect("applies");
        let changed = session.project().clone();
        let stale = prepare(snapshot, edit.clone()).expect("prepares");
        assert_eq!(session.apply_prepared(stale), Err(EditError::Stale));
        assert_eq!(session.project(), &changed);
        assert_eq!(session.history.undo_len(), 1);
        // The same state in another session (a copy) is not this one.
        let mut other = session.clone();
        let ready = prepare(session.snapshot(), edit).expect("prepares");
        assert_eq!(other.apply_prepared(ready), Err(EditError::Stale));
    }

    #[test]
    fn a_prepared_edit_is_checked_like_any_edit() {
        let session = session();
        let doc = session.project().documents[0].id.clone();
        let bad = Edit::InsertEntity {
            doc,
            index: 0,
            entity: Entity::new("e9999", "PER", 0, 3, "not the text"),
        };
        assert!(matches!(
            prepare(session.snapshot(), bad),
            Err(EditError::BadSpan { .. })
        ));
        let schema = Edit::SetProjectName { name: "x".into() };
        assert!(prepare(session.snapshot(), schema).is_err());
    }
}
