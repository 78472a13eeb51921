//! Crash recovery: the app journals the project to a recovery file a few
//! seconds after each change; the next start offers to restore it.

use std::path::{Path, PathBuf};

use crate::model::Project;

/// Where the recovery copy of a project lives: beside the project file, or in
/// the user's data folder for a project that was never saved.
pub fn recovery_path(project_path: Option<&Path>, data_dir: &Path) -> PathBuf {
    match project_path {
        Some(path) => {
            let mut name = path
                .file_name()
                .map(|n| n.to_os_string())
                .unwrap_or_default();
            name.push(".recovery");
            path.with_file_name(name)
        }
        None => data_dir.join("unsaved.gloss.ron.recovery"),
    }
}

/// Gloss's folder for per-user state (recent projects, recovery of unsaved work).
pub fn data_dir() -> PathBuf {
    dirs::data_local_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("gloss")
}

/// Writes the recovery copy atomically.
pub fn write(recovery: &Path, project: &Project) -> std::io::Result<()> {
    if let Some(dir) = recovery.parent() {
        std::fs::create_dir_all(dir)?;
    }
    super::write_atomically(recovery, super::to_ron(project).as_bytes())
}

/// Reads a recovery copy, if one exists and is a valid project.
pub fn read(recovery: &Path) -> Option<Project> {
    if !recovery.is_file() {
        return None;
    }
    super::load(recovery).ok()
}

/// Deletes the recovery copy after a successful save or an explicit discard.
pub fn remove(recovery: &Path) {
    let _ = std::fs::remove_file(recovery);
}
