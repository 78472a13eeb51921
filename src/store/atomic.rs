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
    write_atomically_with_faults(path, bytes, &mut |_, _| Ok(()))
}

/// [`write_atomically`] for a file too large to build in memory first:
/// `write` streams the content into the temporary file (buffered). An error
/// from `write` leaves the old file as it was, like any failed save.
pub fn write_atomically_streamed(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    replace_atomically(path, write, &mut |_, _| Ok(()))
}

/// A step of [`write_atomically`] at which a test can inject a failure.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStep {
    /// Flushing the fully written temporary file to disk (a full disk
    /// reports itself here at the latest).
    Sync,
    /// Renaming the temporary file over the target.
    Rename,
}

/// [`write_atomically`], calling `fault(step, temp_file)` just before each
/// [`SaveStep`]; an error it returns fails that step as the system would.
/// For tests of the failure paths only.
#[doc(hidden)]
pub fn write_atomically_with_faults(
    path: &Path,
    bytes: &[u8],
    fault: &mut dyn FnMut(SaveStep, &Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    replace_atomically(path, &mut |out| out.write_all(bytes), fault)
}

fn replace_atomically(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    fault: &mut dyn FnMut(SaveStep, &Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
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
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        // Never replace a device, a FIFO or a socket with a regular file
        // (`-o /dev/null --force` as root would break the system): a
        // character device or a FIFO takes the bytes as a stream.
        return write_stream(path, &meta, write);
    }
    // A read-only file is the user saying "do not change this"; a rename
    // would replace it regardless of its permissions.
    if super::output::is_read_only(path) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    fault(SaveStep::Sync, temp.path())?;
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
    fault(SaveStep::Rename, temp.path())?;
    temp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform can open a folder.
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Writes into a character device or a FIFO; refuses anything else that is
/// not a regular file.
fn write_stream(
    path: &Path,
    meta: &std::fs::Metadata,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_char_device() || kind.is_fifo() {
            let stream = std::fs::OpenOptions::new().write(true).open(path)?;
            let mut buffered = std::io::BufWriter::with_capacity(1 << 16, stream);
            return write(&mut buffered).and_then(|()| buffered.flush());
        }
    }
    let _ = (meta, write);
    Err(std::io::Error::other(
        "is not a regular file (a device or a socket); Gloss does not replace it",
    ))
}

/// The name every temporary save file of `path` starts with: a hidden file
/// named after the target, so stale ones can be matched to their project.
pub fn temp_prefix(path: &Path) -> String {
    format!(
        ".{}.gloss-save-",
        path.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Removes temporary save files of `path` left by a save that was killed.
/// The caller holds the project's lock, so no live writer is mid-save.
/// Returns how many were removed.
pub fn remove_stale_temps(path: &Path, _held: &super::lock::ProjectLock) -> usize {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let prefix = temp_prefix(path);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix)
                && name.ends_with(".tmp")
                && entry.file_type().is_ok_and(|t| t.is_file())
        })
        .filter(|entry| std::fs::remove_file(entry.path()).is_ok())
        .count()
}
