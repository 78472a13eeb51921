//! Atomic file replacement.

use std::io::Write;
use std::path::Path;

/// Reads a whole file, refusing anything that is not a regular file (a
/// folder, a FIFO or a device would fail late or block forever).
pub fn read_regular_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other("is not a regular file"));
    }
    std::fs::read(path)
}

/// Writes `bytes` to `path` so that a crash or a full disk leaves either the
/// old file or the new one, never a mix: temp file in the same folder, fsync,
/// rename, fsync of the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Replace the file a symlink points to, not the link itself.
    let resolved = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).ok(),
        _ => None,
    };
    let path = resolved.as_deref().unwrap_or(path);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".gloss-save-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the permissions of the file being replaced.
        let _ = temp.as_file().set_permissions(meta.permissions());
    } else {
        // A temporary file is private (0600); a new project file is an
        // ordinary document, readable like any file the user's editor makes.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = temp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644));
        }
    }
    temp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform can open a folder.
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}
