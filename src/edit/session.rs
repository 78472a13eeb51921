//! A project being worked on: the project, its history and where it lives.

use std::path::{Path, PathBuf};

use super::{Edit, EditError, History};
use crate::model::Project;
use crate::store;

/// The open project with undo/redo and dirty tracking. The GUI and tests
/// change a project only through [`Session::apply`], [`Session::undo`] and
/// [`Session::redo`].
#[derive(Debug, Clone)]
pub struct Session {
    /// The project as it is now.
    pub project: Project,
    /// Undo/redo stacks and the saved revision.
    pub history: History,
    /// The project file, `None` for a project never saved (the sample, say).
    pub path: Option<PathBuf>,
}

impl Session {
    /// A session over a project that matches what is at `path`.
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        Self {
            project,
            history: History::new(),
            path,
        }
    }

    /// Opens the project file at `path`.
    pub fn open(path: &Path) -> Result<Self, store::LoadError> {
        Ok(Self::new(store::load(path)?, Some(path.to_owned())))
    }

    /// Applies one edit as one undoable step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        self.history.apply(&mut self.project, edit)
    }

    /// Applies an edit that merges with the previous one of the same `key`
    /// into one undo step (continuous changes such as a colour drag).
    pub fn apply_coalescing(&mut self, edit: Edit, key: &str) -> Result<(), EditError> {
        self.history.apply_coalescing(&mut self.project, edit, key)
    }

    /// Undoes the last step.
    pub fn undo(&mut self) -> Result<bool, EditError> {
        self.history.undo(&mut self.project)
    }

    /// Redoes the last undone step.
    pub fn redo(&mut self) -> Result<bool, EditError> {
        self.history.redo(&mut self.project)
    }

    /// Whether there are changes not on disk.
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// Saves to `path` (the session's own path when `None`), atomically, and
    /// remembers the path. The recovery copy is removed after a good save.
    pub fn save(
        &mut self,
        path: Option<&Path>,
        data_dir: &Path,
    ) -> Result<PathBuf, store::SaveError> {
        let Some(target) = path.map(Path::to_owned).or_else(|| self.path.clone()) else {
            return Err(store::SaveError {
                path: String::new(),
                message: "no file chosen".to_owned(),
            });
        };
        if self.is_dirty() || self.path.as_deref() != Some(target.as_path()) {
            self.project.modified = Some(crate::cli::now());
        }
        store::save(&self.project, &target)?;
        let old_recovery = store::recovery::recovery_path(self.path.as_deref(), data_dir);
        store::recovery::remove(&old_recovery);
        self.path = Some(target.clone());
        self.history.mark_saved();
        Ok(target)
    }

    /// The file name shown in the title bar.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(path) => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => format!("{} (not saved)", self.project.name),
        }
    }
}
