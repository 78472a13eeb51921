//! Deciding whether a write may go ahead: the final path a write lands on
//! (symlinks followed, `..` taken after folders that do not exist yet,
//! case-insensitive file systems answered by the file system itself), and
//! the refusals that protect files the user did not ask to replace.

use std::path::{Component, Path, PathBuf};

/// Why a file will not be written. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputError {
    /// The file exists and the user did not say `--force`.
    #[error("{0}: already exists; use --force to replace it (nothing was written)")]
    Exists(String),
    /// The write would replace the project being read.
    #[error("{0}: is the project being read; choose another output (nothing was written)")]
    IsSourceProject(String),
    /// An export would replace a project file.
    #[error("{0}: is a project file; an export never replaces one (nothing was written)")]
    IsProjectFile(String),
    /// A folder holds files and the user did not say `--force`.
    #[error(
        "{0}: the folder is not empty; use --force to write into it (files Gloss does not write are kept; nothing was written)"
    )]
    FolderNotEmpty(String),
    /// A file was expected and a folder is there (or the other way round).
    #[error("{0}: {1} (nothing was written)")]
    WrongKind(String, &'static str),
    /// The file is read-only.
    #[error("{0}: is read-only; save under another name (nothing was written)")]
    ReadOnly(String),
}

/// The path a write to `target` will replace: the target of a symlink, and
/// `..` resolved against the folders that exist, lexically below them (the
/// folders still to be made cannot be symlinks). Nothing is created.
pub fn resolve(target: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(target) {
        return real;
    }
    let absolute = if target.is_absolute() {
        target.to_owned()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("."))
            .join(target)
    };
    // Walk the components: canonicalise while the prefix exists, then
    // apply the rest lexically.
    let mut resolved = PathBuf::new();
    let mut on_disk = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if on_disk {
                    match std::fs::canonicalize(&resolved) {
                        Ok(real) => resolved = real,
                        Err(_) => on_disk = false,
                    }
                }
            }
        }
    }
    resolved
}

/// Whether two paths name the same existing file (by device and inode where
/// the platform has them, so that case and links do not fool it).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

fn is_ron(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// Checks a one-file write to `target` (an export, `fmt -o`, `import -o`).
/// `source` is the project being read, never replaced; `export` forbids
/// replacing any `.ron` file; `force` is the user's consent to replace an
/// existing file. Returns the resolved path to write.
pub fn check_file(
    target: &Path,
    source: Option<&Path>,
    export: bool,
    force: bool,
) -> Result<PathBuf, OutputError> {
    let shown = target.display().to_string();
    let resolved = resolve(target);
    if resolved.is_dir() {
        return Err(OutputError::WrongKind(shown, "is a folder, not a file"));
    }
    if source.is_some_and(|s| same_file(s, &resolved)) {
        return Err(OutputError::IsSourceProject(shown));
    }
    let exists = std::fs::symlink_metadata(&resolved).is_ok();
    if exists && export && is_ron(&resolved) {
        return Err(OutputError::IsProjectFile(shown));
    }
    if exists && !force {
        return Err(OutputError::Exists(shown));
    }
    if exists && is_read_only(&resolved) {
        return Err(OutputError::ReadOnly(shown));
    }
    Ok(resolved)
}

/// Checks a write of several files into the folder `target` (brat): the
/// folder must be new or empty unless `force`; it must not be a file.
pub fn check_folder(target: &Path, force: bool) -> Result<PathBuf, OutputError> {
    let shown = target.display().to_string();
    let resolved = resolve(target);
    match std::fs::read_dir(&resolved) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                return Err(OutputError::FolderNotEmpty(shown));
            }
        }
        Err(_) if resolved.exists() => {
            return Err(OutputError::WrongKind(shown, "is a file, not a folder"));
        }
        Err(_) => {}
    }
    Ok(resolved)
}

/// Whether saving over `path` must be refused because the file is read-only.
pub fn is_read_only(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_of_a_missing_folder_resolves_to_the_file_it_would_replace() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("a.ron");
        std::fs::write(&project, "x").expect("write");
        let sneaky = dir.path().join("nosuchdir").join("..").join("a.ron");
        assert!(same_file(&resolve(&sneaky), &project));
        assert_eq!(
            check_file(&sneaky, Some(&project), true, true),
            Err(OutputError::IsSourceProject(sneaky.display().to_string()))
        );
        assert!(!dir.path().join("nosuchdir").exists(), "nothing is created");
    }

    #[test]
    fn existing_files_need_force_and_projects_are_never_export_targets() {
        let dir = tempfile::tempdir().expect("temp dir");
        let other = dir.path().join("b.ron");
        let data = dir.path().join("out.jsonl");
        std::fs::write(&other, "x").expect("write");
        std::fs::write(&data, "x").expect("write");
        assert!(matches!(
            check_file(&data, None, true, false),
            Err(OutputError::Exists(_))
        ));
        assert!(check_file(&data, None, true, true).is_ok());
        assert!(matches!(
            check_file(&other, None, true, true),
            Err(OutputError::IsProjectFile(_))
        ));
        assert!(matches!(
            check_file(&other, None, false, false),
            Err(OutputError::Exists(_))
        ));
        assert!(check_file(&other, None, false, true).is_ok());
        assert!(check_file(&dir.path().join("new.jsonl"), None, true, false).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_the_project_is_the_project() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("a.ron");
        std::fs::write(&project, "x").expect("write");
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&project, &link).expect("symlink");
        assert!(matches!(
            check_file(&link, Some(&project), true, true),
            Err(OutputError::IsSourceProject(_))
        ));
    }

    #[test]
    fn a_folder_with_files_needs_force() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(check_folder(&dir.path().join("new"), false).is_ok());
        assert!(check_folder(dir.path(), false).is_ok());
        std::fs::write(dir.path().join("a.ann"), "T1").expect("write");
        assert!(matches!(
            check_folder(dir.path(), false),
            Err(OutputError::FolderNotEmpty(_))
        ));
        assert!(check_folder(dir.path(), true).is_ok());
        assert!(matches!(
            check_folder(&dir.path().join("a.ann"), true),
            Err(OutputError::WrongKind(..))
        ));
    }
}
