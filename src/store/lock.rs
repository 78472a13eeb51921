//! One writer per project: a lock file beside the project, held with the
//! operating system's advisory lock for as long as a writer has the project
//! open (the app) or is between loading and saving it (a CLI command).
//!
//! The OS lock, not the file's existence, decides who holds the project, so
//! a lock left behind by a process that died is taken over at once (the OS
//! released it with the process). The file's contents — pid, host and start
//! time — only tell a second writer who holds it.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A held lock on a project. Dropping it releases the lock and removes the
/// lock file.
#[derive(Debug)]
pub struct ProjectLock {
    file: File,
    path: PathBuf,
}

/// Why a project could not be locked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LockError {
    /// Another live writer holds the project.
    #[error("{project}: is open in another Gloss ({holder}); nothing was changed")]
    Held {
        /// The project file.
        project: String,
        /// Who holds it, as written in the lock file ("pid 12, host h, since …").
        holder: String,
    },
    /// The lock file could not be made (read-only folder, …).
    #[error("{path}: cannot lock the project: {message}")]
    Io {
        /// The lock file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// The lock file of a project: `.NAME.lock` in the project's folder.
pub fn lock_path(project: &Path) -> PathBuf {
    let resolved = resolve_symlink(project);
    let mut name = std::ffi::OsString::from(".");
    name.push(resolved.file_name().unwrap_or_default());
    name.push(".lock");
    resolved.with_file_name(name)
}

/// The file a path names after following a symlink, so that two paths to
/// one project share one lock.
fn resolve_symlink(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
        }
        _ => path.to_owned(),
    }
}

impl ProjectLock {
    /// Takes the lock of `project`, waiting up to `wait` for another writer
    /// to finish. The project file itself need not exist yet.
    pub fn acquire(project: &Path, wait: Duration) -> Result<ProjectLock, LockError> {
        let path = lock_path(project);
        let deadline = Instant::now() + wait;
        loop {
            match Self::try_acquire(&path)? {
                Some(lock) => return Ok(lock),
                None if Instant::now() >= deadline => {
                    return Err(LockError::Held {
                        project: project.display().to_string(),
                        holder: describe_holder(&path),
                    });
                }
                None => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// One attempt: `Ok(None)` when another writer holds the lock.
    fn try_acquire(path: &Path) -> Result<Option<ProjectLock>, LockError> {
        let io = |e: std::io::Error| LockError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        // A link (or anything but a regular file) at the lock's path is not
        // ours: opening it would write "pid …" into whatever it points to.
        if let Ok(meta) = std::fs::symlink_metadata(path)
            && !meta.file_type().is_file()
        {
            return Err(LockError::Io {
                path: path.display().to_string(),
                message: "is a link or not a regular file; Gloss does not follow it (remove it if it is not yours)".to_owned(),
            });
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // And never through a link made between the check and the open.
            options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
        }
        let mut file = options.open(path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        // The holder we waited for may have removed the file between our
        // open and our lock: then we hold a lock on a file nobody else can
        // see, and must start again on the path's current file.
        if !same_file(&file, path) {
            return Ok(None);
        }
        let info = format!(
            "pid {}, host {}, since {}\n",
            std::process::id(),
            host_name(),
            crate::model::now()
        );
        let written = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|_| file.write_all(info.as_bytes()))
            .and_then(|()| file.flush());
        if let Err(e) = written {
            // A full disk: leave no empty lock file behind.
            let _ = std::fs::remove_file(path);
            let _ = file.unlock();
            return Err(io(e));
        }
        Ok(Some(ProjectLock {
            file,
            path: path.to_owned(),
        }))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // Remove first, then unlock: a waiter that opened the old file sees
        // it is gone (`same_file`) and retries on a new one.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether the open `file` is still the file at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // `symlink_metadata`: a link put at the path is not the file we opened.
        match (file.metadata(), std::fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        // Elsewhere an open file cannot be removed, so it is still there.
        let _ = (file, path);
        true
    }
}

/// Who holds a lock, read from its file; "another process" when unreadable.
fn describe_holder(path: &Path) -> String {
    let mut text = String::new();
    let read = File::open(path).and_then(|f| f.take(200).read_to_string(&mut text));
    match read {
        Ok(_) if !text.trim().is_empty() => text.trim().to_owned(),
        _ => "another process".to_owned(),
    }
}

/// This machine's name, for lock messages.
fn host_name() -> String {
    let from_os = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_owned());
    from_os
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "this machine".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_and_named_and_gets_it_after_release() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("p.gloss.ron");
        let first = ProjectLock::acquire(&project, Duration::ZERO).expect("first lock");
        let second = ProjectLock::acquire(&project, Duration::from_millis(120));
        match second {
            Err(LockError::Held { holder, .. }) => {
                assert!(
                    holder.contains(&format!("pid {}", std::process::id())),
                    "{holder}"
                );
            }
            other => panic!("expected Held, got {other:?}"),
        }
        assert!(first.path().exists());
        drop(first);
        assert!(
            !lock_path(&project).exists(),
            "the lock file is removed on release"
        );
        let third = ProjectLock::acquire(&project, Duration::ZERO);
        assert!(third.is_ok(), "{third:?}");
    }

    #[test]
    fn a_lock_file_left_by_a_dead_writer_is_taken_over() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("p.gloss.ron");
        std::fs::write(lock_path(&project), "pid 999999, host gone, since then\n")
            .expect("write stale lock");
        let lock = ProjectLock::acquire(&project, Duration::ZERO).expect("stale lock taken over");
        let text = std::fs::read_to_string(lock.path()).expect("read lock");
        assert!(
            text.starts_with(&format!("pid {},", std::process::id())),
            "{text}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_lock_path_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("p.gloss.ron");
        let precious = dir.path().join("precious.txt");
        std::fs::write(&precious, "months of notes").expect("write");
        std::os::unix::fs::symlink(&precious, lock_path(&project)).expect("link");
        let got = ProjectLock::acquire(&project, Duration::ZERO);
        assert!(matches!(got, Err(LockError::Io { .. })), "{got:?}");
        assert_eq!(
            std::fs::read_to_string(&precious).expect("read"),
            "months of notes"
        );
        // A dangling link is not followed to make a file either.
        let elsewhere = dir.path().join("made-by-gloss");
        let other = dir.path().join("q.gloss.ron");
        std::os::unix::fs::symlink(&elsewhere, lock_path(&other)).expect("link");
        assert!(ProjectLock::acquire(&other, Duration::ZERO).is_err());
        assert!(!elsewhere.exists());
    }

    #[test]
    fn a_waiting_writer_gets_the_lock_when_the_holder_finishes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("p.gloss.ron");
        let first = ProjectLock::acquire(&project, Duration::ZERO).expect("first lock");
        let waiter = {
            let project = project.clone();
            std::thread::spawn(move || ProjectLock::acquire(&project, Duration::from_secs(20)))
        };
        std::thread::sleep(Duration::from_millis(200));
        drop(first);
        let got = waiter.join().expect("waiter thread");
        assert!(got.is_ok(), "{got:?}");
    }
}
