//! A project being worked on: the project, its history and where it lives
//! (its file, the lock on it, the version on disk, the recovery journal).
//! The I/O side of an open project, above the pure edit layer ([`crate::edit`])
//! and the files ([`crate::store`]), as helix keeps its document with path
//! and saving in `helix-view` and its transactions in `helix-core`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::edit::{Base, Edit, EditError, History, Prepared, Snapshot};
use crate::model::Project;
use crate::review::merge::Report;
use crate::store::{self, FileIdentity, LockError, ProjectLock};

/// The open project with undo/redo and dirty tracking. The GUI and tests
/// change a project only through [`Session::apply`], [`Session::undo`] and
/// [`Session::redo`].
#[derive(Debug)]
pub struct Session {
    /// The project as it is now; read through [`Session::project`], changed
    /// only through edits so undo, dirty state and autosave see every change.
    project: Project,
    /// Undo/redo stacks and the saved revision.
    pub history: History,
    /// The project file, `None` for a project never saved (the sample, say).
    pub path: Option<PathBuf>,
    /// The lock on `path` while this session may write it: one writer per
    /// project, across windows and the command line.
    lock: Option<Arc<ProjectLock>>,
    /// Opened while another writer held the file: saving in place is
    /// refused; Save As to another file is allowed.
    read_only: bool,
    /// Who held the file then ("pid 12, host h, since …"), for the banner.
    held_by: Option<String>,
    /// A number no other session of this process has, so that an edit
    /// prepared from one session's snapshot is never installed in another.
    serial: u64,
    /// The identity of the file as this session last read or wrote it
    /// (`None`: no file there then). A save refuses to write over any other
    /// version: git, an editor or a network drive's other writer may have
    /// changed it without looking at the lock.
    disk: Option<FileIdentity>,
    /// The project as that version of the file holds it: the base of a
    /// three-way merge with a version changed on disk. Documents are shared
    /// with the project (`Arc`), so it costs one pointer per document.
    on_disk: Project,
}

/// How the session's file stands against the version the session last read
/// or wrote, by one `stat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskState {
    /// The same version (or the session has no file).
    Unchanged,
    /// Another version is there now: read it to see what changed.
    Changed(FileIdentity),
    /// The file was deleted or moved away; saving writes it again.
    Missing,
    /// The file cannot be looked at (permissions, a vanished network drive).
    Unreadable(String),
}

/// Numbers the sessions of this process.
static SESSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Clone for Session {
    /// A copy goes its own way: it gets a number of its own.
    fn clone(&self) -> Self {
        Self {
            project: self.project.clone(),
            history: self.history.clone(),
            path: self.path.clone(),
            lock: self.lock.clone(),
            read_only: self.read_only,
            held_by: self.held_by.clone(),
            serial: SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            disk: self.disk,
            on_disk: self.on_disk.clone(),
        }
    }
}

impl Session {
    /// A session over a project that matches what is at `path`.
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        let disk = path
            .as_deref()
            .and_then(|p| FileIdentity::of(p).ok().flatten());
        Self {
            on_disk: project.clone(),
            project,
            history: History::new(),
            path,
            lock: None,
            read_only: false,
            held_by: None,
            serial: SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            disk,
        }
    }

    /// A session over a project loaded from `path`, holding its lock when
    /// one could be taken (`lock`); without it the session is read-only.
    pub fn with_lock(
        project: Project,
        path: PathBuf,
        lock: Result<ProjectLock, LockError>,
    ) -> Self {
        let mut session = Self::new(project, Some(path));
        match lock {
            Ok(lock) => session.lock = Some(Arc::new(lock)),
            Err(e) => {
                session.read_only = true;
                session.held_by = Some(match e {
                    LockError::Held { holder, .. } => holder,
                    LockError::Io { message, .. } => format!("it cannot be locked: {message}"),
                });
            }
        }
        session
    }

    /// Opens the project file at `path` and takes its lock; when another
    /// writer holds it, the session is read-only and the lock error says who.
    pub fn open(path: &Path) -> Result<(Self, Option<LockError>), store::LoadError> {
        Ok(Self::open_loaded(store::load(path)?, path))
    }

    /// [`Session::open`] for a project already read from `path` (the
    /// command line reads it before the window opens, to report a bad file
    /// on the terminal; reading it twice cost time and memory).
    pub fn open_loaded(project: Project, path: &Path) -> (Self, Option<LockError>) {
        let lock = ProjectLock::acquire(path, Duration::ZERO);
        let refused = lock.as_ref().err().cloned();
        (Self::with_lock(project, path.to_owned(), lock), refused)
    }

    /// The project as it is now.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Whether saving in place is refused because another writer has the file.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Who held the file when it was opened read-only.
    pub fn held_by(&self) -> Option<&str> {
        self.held_by.as_deref()
    }

    /// Whether this session holds its file's lock (no other Gloss may write it).
    pub fn holds_lock(&self) -> bool {
        self.lock.is_some()
    }

    /// The identity of the file as this session last read or wrote it.
    pub fn disk_identity(&self) -> Option<FileIdentity> {
        self.disk
    }

    /// The project as this session last read or wrote its file: the base
    /// of a merge with a version changed on disk.
    pub fn on_disk(&self) -> &Project {
        &self.on_disk
    }

    /// How the file stands against the version last read or written: one
    /// `stat`, cheap enough for every frame that asks.
    pub fn disk_state(&self) -> DiskState {
        let Some(path) = &self.path else {
            return DiskState::Unchanged;
        };
        match FileIdentity::of(path) {
            Ok(now) if now == self.disk => DiskState::Unchanged,
            Ok(Some(now)) => DiskState::Changed(now),
            Ok(None) => DiskState::Missing,
            Err(e) => DiskState::Unreadable(e.to_string()),
        }
    }

    /// Takes `identity` as the version on disk without reading it: the
    /// file was found to hold what the session last read or wrote (a
    /// `touch`, a checkout of the same content), or it is gone (`None`).
    pub fn note_disk_identity(&mut self, identity: Option<FileIdentity>) {
        self.disk = identity;
    }

    /// Another version of the file (`theirs`, read from disk with
    /// `identity`) replaces the project as one undoable step that counts as
    /// saved: the session had no unsaved changes, or the user chose to
    /// discard them. Undo brings the session's version back, unsaved.
    pub fn reload_from_disk(
        &mut self,
        theirs: Project,
        identity: Option<FileIdentity>,
    ) -> Result<(), EditError> {
        self.replace_project("reload from disk", theirs.clone())?;
        self.history.mark_saved();
        self.on_disk = theirs;
        self.disk = identity;
        Ok(())
    }

    /// Merges another version of the file (`theirs`, read from disk with
    /// `identity`) into the project, three-way against the version this
    /// session last read or wrote, as the git merge driver does: both
    /// sides' annotations are kept, what both changed differently becomes a
    /// conflict record for the adjudication walk. One undoable step; the
    /// result is unsaved (it is neither side's file).
    pub fn merge_from_disk(
        &mut self,
        theirs: Project,
        identity: Option<FileIdentity>,
    ) -> Result<Report, EditError> {
        let (merged, report) = crate::review::merge::merge3(&self.on_disk, &self.project, &theirs);
        self.replace_project("merge with the file on disk", merged)?;
        self.history.mark_unsaved();
        self.on_disk = theirs;
        self.disk = identity;
        Ok(report)
    }

    /// The user chose to write this session's project over another version
    /// of the file (`theirs`, with `identity`): the next save may replace it.
    pub fn overwrite_disk_version(&mut self, theirs: Project, identity: Option<FileIdentity>) {
        self.on_disk = theirs;
        self.disk = identity;
        self.history.mark_unsaved();
    }

    /// Puts a recovered project (a crash journal) in place of the loaded
    /// one, as one undoable step left unsaved. The session keeps its file,
    /// its lock and what it knows of the file on disk.
    pub fn restore(&mut self, project: Project, label: &str) -> Result<(), EditError> {
        self.replace_project(label, project)?;
        self.history.mark_unsaved();
        Ok(())
    }

    fn replace_project(&mut self, label: &str, project: Project) -> Result<(), EditError> {
        self.history.end_coalescing();
        self.apply(Edit::ReplaceProject {
            label: label.to_owned(),
            project: Box::new(project),
        })
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

    /// A copy of the project for a worker (one pointer per document) that
    /// remembers which state it is: see [`super::prepare`].
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            project: self.project.clone(),
            base: self.snapshot_base(),
        }
    }

    /// Installs an edit a worker prepared from [`Session::snapshot`] as one
    /// undoable step, exactly as [`Session::apply`] would have applied it,
    /// in time proportional to the number of documents it changed. Refused
    /// with [`EditError::Stale`] when the project changed since the snapshot
    /// (an edit, undo or redo) or the snapshot is another session's: the
    /// caller prepares it again from the current state.
    pub fn apply_prepared(&mut self, prepared: Prepared) -> Result<(), EditError> {
        if prepared.base != self.snapshot_base() {
            return Err(EditError::Stale);
        }
        self.history
            .apply(&mut self.project, Edit::Restore(prepared.restore))
    }

    fn snapshot_base(&self) -> Base {
        Base {
            session: self.serial,
            generation: self.history.generation(),
        }
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
    /// Blocks until the file is written: the app uses [`Session::begin_save`]
    /// and writes on a worker thread instead.
    pub fn save(
        &mut self,
        path: Option<&Path>,
        data_dir: &Path,
    ) -> Result<PathBuf, store::SaveError> {
        let (ticket, write) = self.begin_save(path, data_dir)?;
        let written = write.run();
        self.finish_save(ticket, written)
    }

    /// Starts a save to `path` (the session's own path when `None`): checks
    /// that the file may be written (not read-only, its lock taken for a new
    /// file) and takes a snapshot of the project, which costs one pointer per
    /// document. The [`SaveWrite`] does the slow part (serialize, write,
    /// fsync, rename) on any thread; its result goes back to
    /// [`Session::finish_save`] with the [`SaveTicket`], which marks saved
    /// the state that was snapshotted, not whatever the project is by then.
    pub fn begin_save(
        &mut self,
        path: Option<&Path>,
        data_dir: &Path,
    ) -> Result<(SaveTicket, SaveWrite), store::SaveError> {
        let Some(target) = path.map(Path::to_owned).or_else(|| self.path.clone()) else {
            return Err(store::SaveError {
                path: String::new(),
                message: "no file chosen".to_owned(),
                ..Default::default()
            });
        };
        let same_file = self.path.as_deref() == Some(target.as_path());
        if same_file && self.read_only {
            return Err(store::SaveError {
                path: target.display().to_string(),
                message: "opened read-only while another Gloss had it open; use Save As".to_owned(),
                ..Default::default()
            });
        }
        // Writing another file needs that file's lock; ours moves with us.
        let new_lock = if same_file && self.lock.is_some() {
            None
        } else {
            let lock = ProjectLock::acquire(&target, Duration::ZERO).map_err(|e| {
                let message = match e {
                    LockError::Held { holder, .. } => {
                        format!("another Gloss has it open ({holder}); choose another file")
                    }
                    LockError::Io { message, .. } => format!("cannot lock it: {message}"),
                };
                store::SaveError {
                    path: target.display().to_string(),
                    message,
                    ..Default::default()
                }
            })?;
            Some(Arc::new(lock))
        };
        if self.is_dirty() || !same_file {
            self.project.modified = Some(crate::edit::now());
        }
        // A step applied before the snapshot must not absorb one made after it.
        self.history.end_coalescing();
        let ticket = SaveTicket {
            target: target.clone(),
            revision: self.history.revision(),
            new_lock: new_lock.clone(),
            snapshot: self.project.clone(),
        };
        let write = SaveWrite {
            project: self.project.clone(),
            // Writing over our own file: only over the version we know.
            expected: same_file.then_some(self.disk),
            target,
            lock: new_lock.or_else(|| self.lock.clone()),
            old_recovery: store::recovery::recovery_path(self.path.as_deref(), data_dir),
        };
        Ok((ticket, write))
    }

    /// Ends a save begun with [`Session::begin_save`]: when the write
    /// succeeded, the session moves to the saved file (and its lock) and the
    /// snapshotted state counts as saved; when it failed, nothing changes
    /// (a lock taken for a new file is let go) and the error is returned.
    pub fn finish_save(
        &mut self,
        ticket: SaveTicket,
        written: Result<Option<FileIdentity>, store::SaveError>,
    ) -> Result<PathBuf, store::SaveError> {
        let identity = written?;
        if let Some(lock) = ticket.new_lock {
            self.lock = Some(lock);
            self.read_only = false;
            self.held_by = None;
        }
        self.disk = identity;
        self.on_disk = ticket.snapshot;
        self.path = Some(ticket.target.clone());
        self.history.mark_saved_at(ticket.revision);
        Ok(ticket.target)
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
        .to_owned()
            + if self.read_only { " (read-only)" } else { "" }
    }
}

/// What [`Session::finish_save`] needs to know about a save in flight.
#[derive(Debug)]
pub struct SaveTicket {
    /// The file being written.
    target: PathBuf,
    /// The history revision the snapshot holds.
    revision: u64,
    /// The lock taken for a file the session did not have yet.
    new_lock: Option<Arc<ProjectLock>>,
    /// The project as written: what the file holds once the write succeeded.
    snapshot: Project,
}

impl SaveTicket {
    /// The file being written.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The history revision the snapshot holds.
    pub fn revision(&self) -> u64 {
        self.revision
    }
}

/// The slow half of a save, for a worker thread: a snapshot of the project
/// and where it goes.
#[derive(Debug)]
pub struct SaveWrite {
    project: Project,
    target: PathBuf,
    /// The target's lock, held until the write is done.
    lock: Option<Arc<ProjectLock>>,
    /// When writing over the session's own file: the version it may
    /// replace (`None` inside: no file). Any other version there means the
    /// file changed on disk since, and nothing is written.
    expected: Option<Option<FileIdentity>>,
    /// The recovery copy of the project as it was before this save (the
    /// unsaved journal for a first save), removed once the file is written.
    old_recovery: PathBuf,
}

impl SaveWrite {
    /// Serializes and writes the snapshot atomically (temporary file, fsync,
    /// rename), then tidies up: stale temporary files of ours and the
    /// recovery copy the saved file makes unnecessary.
    /// Returns the identity of the file written.
    pub fn run(self) -> Result<Option<FileIdentity>, store::SaveError> {
        if let Some(expected) = self.expected {
            // Checked right before writing, not only when the save was
            // asked for: a watcher can miss a change (network drives), and
            // git may have written the file while this save waited.
            let now = FileIdentity::of(&self.target).ok().flatten();
            if now.is_some() && now != expected {
                return Err(store::SaveError {
                    path: self.target.display().to_string(),
                    message: "the file changed on disk since Gloss last read or wrote it; nothing was written".to_owned(),
                    changed_on_disk: true,
                });
            }
        }
        store::save(&self.project, &self.target)?;
        let identity = FileIdentity::of(&self.target).ok().flatten();
        if let Some(lock) = &self.lock {
            store::remove_stale_temps(&self.target, lock);
        }
        store::recovery::remove(&self.old_recovery);
        Ok(identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_never_writes_over_a_version_it_has_not_seen() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.gloss.ron");
        let data = dir.path().join("data");
        store::save(&Project::new("Mine"), &path).expect("save");
        let (mut session, refused) = Session::open(&path).expect("open");
        assert!(refused.is_none());
        session
            .apply(Edit::SetProjectName {
                name: "Mine, renamed".to_owned(),
            })
            .expect("edit");
        let (ticket, write) = session.begin_save(None, &data).expect("begin");
        // Git writes the file between the save's start and its write.
        store::save(&Project::new("Theirs"), &path).expect("their save");
        let error = session
            .finish_save(ticket, write.run())
            .expect_err("refused");
        assert!(error.changed_on_disk, "{error}");
        assert_eq!(store::load(&path).expect("load").name, "Theirs");
        assert!(session.is_dirty());
        assert!(matches!(session.disk_state(), DiskState::Changed(_)));
        // Merged with it, the save goes through and the file is known again.
        let theirs = store::load(&path).expect("load");
        let identity = FileIdentity::of(&path).expect("stat");
        session.merge_from_disk(theirs, identity).expect("merge");
        session.save(None, &data).expect("saved");
        assert_eq!(session.disk_state(), DiskState::Unchanged);
    }
}
