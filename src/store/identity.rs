//! Which version of a file is on disk: its size, modification time and
//! inode, read with one `stat`. An app that remembers the identity of the
//! file it last read or wrote can tell, before it writes again, whether
//! something else (git, a text editor, another Gloss on a network drive that
//! ignores locks) changed the file meanwhile. Watchers miss events on some
//! file systems; this check does not.

use std::path::Path;
use std::time::UNIX_EPOCH;

/// The identity of one version of a file. Two versions with the same
/// identity are taken to be the same content; a different identity may
/// still hold the same content (a `touch`, a checkout of the same blob),
/// which callers confirm by reading the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileIdentity {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 when the file
    /// system gives none).
    pub modified_ns: u128,
    /// Device and inode (0 where the platform has none): an atomic save or
    /// a git checkout makes a new inode even when size and time agree.
    pub dev: u64,
    pub ino: u64,
}

impl FileIdentity {
    /// The identity of the file at `path` now (following a symlink, as
    /// loading and saving do); `Ok(None)` when there is no file there.
    pub fn of(path: &Path) -> std::io::Result<Option<FileIdentity>> {
        match std::fs::metadata(path) {
            Ok(meta) => Ok(Some(Self::from_metadata(&meta))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The identity given by already-read metadata.
    pub fn from_metadata(meta: &std::fs::Metadata) -> FileIdentity {
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        FileIdentity {
            len: meta.len(),
            modified_ns,
            dev,
            ino,
        }
    }

    /// One line for a journal's header: `len mtime dev ino`.
    pub fn to_line(&self) -> String {
        format!(
            "{} {} {} {}",
            self.len, self.modified_ns, self.dev, self.ino
        )
    }

    /// Reads [`FileIdentity::to_line`]'s output; `None` when it is not one.
    pub fn from_line(line: &str) -> Option<FileIdentity> {
        let mut parts = line.split_whitespace();
        let identity = FileIdentity {
            len: parts.next()?.parse().ok()?,
            modified_ns: parts.next()?.parse().ok()?,
            dev: parts.next()?.parse().ok()?,
            ino: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_file_has_another_identity_and_a_missing_one_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.gloss.ron");
        assert_eq!(FileIdentity::of(&path).expect("stat"), None);
        std::fs::write(&path, "one").expect("write");
        let first = FileIdentity::of(&path).expect("stat").expect("there");
        assert_eq!(FileIdentity::of(&path).expect("stat"), Some(first));
        // Same size, written by rename as git and atomic saves do.
        let other = dir.path().join("other");
        std::fs::write(&other, "two").expect("write");
        std::fs::rename(&other, &path).expect("rename");
        let second = FileIdentity::of(&path).expect("stat").expect("there");
        assert_ne!(first, second);
        assert_eq!(FileIdentity::from_line(&second.to_line()), Some(second));
        assert_eq!(FileIdentity::from_line("1 2 3"), None);
        assert_eq!(FileIdentity::from_line("1 2 3 4 5"), None);
    }
}
