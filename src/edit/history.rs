//! Undo/redo history and the dirty flag.

use super::{Edit, EditError, apply};
use crate::model::Project;

/// A project together with its undo and redo stacks. Every change made
/// through [`History::apply`] can be undone; the dirty flag compares the
/// current revision with the last saved one.
#[derive(Debug, Clone)]
pub struct History {
    undo: Vec<(Edit, u64)>,
    redo: Vec<(Edit, u64)>,
    /// Revision of the current state; each new edit gets a fresh number so a
    /// state reached again by undo compares equal to the saved one.
    revision: u64,
    next_revision: u64,
    saved_revision: u64,
    /// Bumped on every change, undo and redo included: the autosave and view
    /// caches watch it.
    generation: u64,
    /// Key of the last step when it may absorb the next one (see
    /// [`History::apply_coalescing`]).
    coalesce_key: Option<String>,
}

impl Default for History {
    fn default() -> Self {
        Self::new()
    }
}

impl History {
    /// An empty history for a project that is saved as it is.
    pub fn new() -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
            next_revision: 1,
            saved_revision: 0,
            generation: 0,
            coalesce_key: None,
        }
    }

    /// Applies `edit`, records its inverse and clears the redo stack.
    pub fn apply(&mut self, project: &mut Project, edit: Edit) -> Result<(), EditError> {
        let inverse = apply(project, edit)?;
        self.coalesce_key = None;
        self.undo.push((inverse, self.revision));
        self.redo.clear();
        self.revision = self.next_revision;
        self.next_revision += 1;
        self.generation += 1;
        Ok(())
    }

    /// Applies `edit`; when the previous step was applied with the same `key`
    /// (and nothing was undone since), both become one undo step. Dragging a
    /// colour picker makes one step, not one per frame.
    pub fn apply_coalescing(
        &mut self,
        project: &mut Project,
        edit: Edit,
        key: &str,
    ) -> Result<(), EditError> {
        if self.coalesce_key.as_deref() == Some(key)
            && self.redo.is_empty()
            && !self.undo.is_empty()
        {
            // The older inverse already restores the state before the first step.
            apply(project, edit)?;
            self.revision = self.next_revision;
            self.next_revision += 1;
            self.generation += 1;
            return Ok(());
        }
        self.apply(project, edit)?;
        self.coalesce_key = Some(key.to_owned());
        Ok(())
    }

    /// Ends the current run of coalescing steps (the user let go).
    pub fn end_coalescing(&mut self) {
        self.coalesce_key = None;
    }

    /// Undoes the last edit; `false` when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        self.coalesce_key = None;
        let Some((inverse, previous)) = self.undo.pop() else {
            return Ok(false);
        };
        match apply(project, inverse.clone()) {
            Ok(redo) => {
                self.redo.push((redo, self.revision));
                self.revision = previous;
                self.generation += 1;
                Ok(true)
            }
            Err(error) => {
                self.undo.push((inverse, previous));
                Err(error)
            }
        }
    }

    /// Redoes the last undone edit; `false` when there is nothing to redo.
    pub fn redo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        let Some((edit, next)) = self.redo.pop() else {
            return Ok(false);
        };
        match apply(project, edit.clone()) {
            Ok(inverse) => {
                self.undo.push((inverse, self.revision));
                self.revision = next;
                self.generation += 1;
                Ok(true)
            }
            Err(error) => {
                self.redo.push((edit, next));
                Err(error)
            }
        }
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Whether the project differs from what was last saved.
    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        // A step applied before a save must not absorb one made after it.
        self.coalesce_key = None;
        self.saved_revision = self.revision;
    }

    /// The revision of the current state: what a snapshot taken now holds.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Records that the state at `revision` is what is on disk: a save of
    /// a snapshot taken then has succeeded. Later edits stay unsaved, and
    /// undoing back to that state makes the project clean again.
    pub fn mark_saved_at(&mut self, revision: u64) {
        self.saved_revision = revision;
    }

    /// Records that nothing is on disk (a recovered or imported project), so
    /// that closing asks to save.
    pub fn mark_unsaved(&mut self) {
        self.saved_revision = u64::MAX;
    }

    /// A number that changes with every change of the project.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Where the next undo would change the project (see
    /// [`super::Edit::focus_before`]): after a redo, what the redo changed.
    pub fn next_undo_focus(&self) -> Option<super::Focus> {
        self.undo.last().and_then(|(edit, _)| edit.focus_before())
    }

    /// Where the next redo would change the project: after an undo, what
    /// the undo changed.
    pub fn next_redo_focus(&self) -> Option<super::Focus> {
        self.redo.last().and_then(|(edit, _)| edit.focus_before())
    }

    /// The document that the next undo would change.
    pub fn next_undo_document(&self) -> Option<&str> {
        self.undo.last().and_then(|(edit, _)| edit.document())
    }

    /// The document that the next redo would change.
    pub fn next_redo_document(&self) -> Option<&str> {
        self.redo.last().and_then(|(edit, _)| edit.document())
    }

    /// Number of undoable steps.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}
