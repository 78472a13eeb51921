//! Crash recovery: the app journals the project to a recovery file a few
//! seconds after each change; the next start offers to restore it.
//!
//! The journal records which version of the project file it was made
//! against (a RON comment on its first line, so the journal is still a
//! project file), and keeps that version itself as a hard link beside it
//! (`NAME.recovery-base`: an atomic save or a git checkout replaces the
//! file's inode, so the link goes on holding the old content at no cost).
//! When the file changed after the crash (`gloss add`, a git merge),
//! restoring merges three ways instead of writing the journal over it.

use std::path::{Path, PathBuf};

use super::FileIdentity;
use crate::model::Project;

/// The first line of a journal made against a version of its file.
const BASE_HEADER: &str = "// gloss recovery; made against the file version ";

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

/// Where the journal keeps the version of the file it was made against.
pub fn base_path(recovery: &Path) -> PathBuf {
    let mut name = recovery
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push("-base");
    recovery.with_file_name(name)
}

/// Gloss's folder for per-user state (recent projects, recovery of unsaved work).
pub fn data_dir() -> PathBuf {
    dirs::data_local_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("gloss")
}

/// The version of the project file a journal is made against.
#[derive(Debug, Clone, Copy)]
pub struct Against<'a> {
    /// The project file.
    pub file: &'a Path,
    /// Its version as the session last read or wrote it (`None`: no file).
    pub identity: Option<FileIdentity>,
}

/// Writes the recovery copy atomically. With `against`, the journal
/// records that version and, while the file still is that version, keeps
/// a link to it for a three-way merge at restore.
pub fn write(
    recovery: &Path,
    project: &Project,
    against: Option<Against<'_>>,
) -> std::io::Result<()> {
    if let Some(dir) = recovery.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut text = String::new();
    if let Some(Against {
        file,
        identity: Some(identity),
    }) = against
    {
        keep_base(recovery, file, identity);
        text.push_str(BASE_HEADER);
        text.push_str(&identity.to_line());
        text.push('\n');
    }
    text.push_str(&super::to_ron(project));
    super::write_atomically(recovery, text.as_bytes())
}

/// Links `file` as the journal's base when it still is version `identity`
/// and the link is not that version already. Best effort: without the link
/// a restore over a changed file merges two ways.
fn keep_base(recovery: &Path, file: &Path, identity: FileIdentity) {
    let base = base_path(recovery);
    if FileIdentity::of(&base).ok().flatten() == Some(identity) {
        return;
    }
    // Never replace anything but our own regular file (or a dangling name).
    match std::fs::symlink_metadata(&base) {
        Ok(meta) if meta.file_type().is_file() => {
            let _ = std::fs::remove_file(&base);
        }
        Ok(_) => return,
        Err(_) => {}
    }
    if FileIdentity::of(file).ok().flatten() == Some(identity) {
        let _ = std::fs::hard_link(file, &base);
        // The file may have been replaced between the check and the link.
        if FileIdentity::of(&base).ok().flatten() != Some(identity) {
            let _ = std::fs::remove_file(&base);
        }
    }
}

/// A recovery copy read back.
#[derive(Debug, Clone)]
pub struct Recovered {
    /// The unsaved project.
    pub project: Project,
    /// The file version it was made against, when the journal says.
    pub against: Option<FileIdentity>,
    /// That version's project, when the journal kept it.
    pub base: Option<Project>,
}

/// Reads a recovery copy, if one exists and is a valid project.
pub fn read(recovery: &Path) -> Option<Recovered> {
    if !recovery.is_file() {
        return None;
    }
    let project = super::load(recovery).ok()?;
    let against = std::fs::File::open(recovery).ok().and_then(|file| {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(file).read_line(&mut line).ok()?;
        FileIdentity::from_line(line.trim_end().strip_prefix(BASE_HEADER)?)
    });
    let base_file = base_path(recovery);
    let base = against
        .filter(|a| FileIdentity::of(&base_file).ok().flatten() == Some(*a))
        .and_then(|_| super::load(&base_file).ok());
    Some(Recovered {
        project,
        against,
        base,
    })
}

/// Deletes the recovery copy (and the version it kept) after a successful
/// save or an explicit discard.
pub fn remove(recovery: &Path) {
    let _ = std::fs::remove_file(recovery);
    let base = base_path(recovery);
    if std::fs::symlink_metadata(&base).is_ok_and(|m| m.file_type().is_file()) {
        let _ = std::fs::remove_file(base);
    }
}
