//! Keeping the open project and its file in step when something else
//! changes the file: git (a merge, a checkout, a rebase), a text editor, a
//! `gloss add` from a terminal. The lock keeps other Glosses out, but git
//! never looks at it.
//!
//! A watcher on the file's folder (`notify`) and a cheap `stat` once a
//! second both only say "look again"; what decides is the file's identity
//! against the version the session last read or wrote
//! ([`crate::workspace::Session::disk_state`]), and then its content, read on a
//! worker. With no unsaved changes the new version is reloaded at once;
//! with unsaved changes nothing is written over it until the user chose
//! Merge, Keep mine or Reload (`disk_prompt.rs`). Every save checks the
//! identity again right before writing ([`crate::workspace::SaveWrite::run`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::model::Project;
use crate::store::FileIdentity;
use crate::workspace::DiskState;

use super::app::GlossApp;
use super::dialogs::{AfterSave, Prompt};
use super::jobs::JobOutput;

/// How often the file is looked at without an event: watchers miss changes
/// on network drives and some file systems, and cannot start everywhere.
const POLL: Duration = Duration::from_secs(1);

/// What the app knows of its file's changes.
pub struct DiskWatch {
    /// The folder watcher, while one runs for `watched`.
    watcher: Option<notify::RecommendedWatcher>,
    /// Events from it: only that something happened in the folder.
    events: Option<Receiver<()>>,
    /// The file being watched.
    watched: Option<PathBuf>,
    last_look: Instant,
    /// Something may have changed: look at the file when nothing is in the way.
    pub(crate) look: bool,
    /// A worker is reading the changed file.
    pub(crate) reading: bool,
    /// A save asked for while the file was being read: it waits for the answer.
    pub(crate) waiting_save: Option<PendingSave>,
    /// The file was found missing, and the user told.
    told_missing: bool,
    /// Tests: no watcher and no poll, only the check when saving (a
    /// network drive whose changes no watcher reports).
    #[doc(hidden)]
    pub paused: bool,
    /// The version on disk that could not be read as a project, and the user told.
    pub(crate) unreadable: Option<(Option<FileIdentity>, String)>,
}

impl Default for DiskWatch {
    fn default() -> Self {
        Self {
            watcher: None,
            events: None,
            watched: None,
            last_look: Instant::now(),
            look: false,
            reading: false,
            waiting_save: None,
            told_missing: false,
            paused: false,
            unreadable: None,
        }
    }
}

impl DiskWatch {
    /// Watches `path`'s folder, starting again when the path changed. A
    /// watcher that cannot start (too many watches, an unsupported file
    /// system) is no error: the once-a-second look and the check before
    /// every save do the job.
    fn follow(&mut self, path: Option<&Path>, ctx: &egui::Context) {
        if self.watched.as_deref() == path {
            return;
        }
        self.watcher = None;
        self.events = None;
        self.watched = path.map(Path::to_owned);
        self.told_missing = false;
        self.unreadable = None;
        let Some(path) = path else { return };
        let folder = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
        let name = path.file_name().map(|n| n.to_owned());
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        let handler = move |event: notify::Result<notify::Event>| {
            let ours = match &event {
                Ok(event) => {
                    event.paths.is_empty()
                        || event.paths.iter().any(|p| p.file_name() == name.as_deref())
                }
                Err(_) => true,
            };
            if ours {
                // Thousands of events (a rebase) are thousands of wake-ups
                // but one look: the frame drains them all at once.
                let _ = sender.send(());
                ctx.request_repaint();
            }
        };
        use notify::Watcher;
        match notify::recommended_watcher(handler) {
            Ok(mut watcher) => {
                if watcher
                    .watch(&folder, notify::RecursiveMode::NonRecursive)
                    .is_ok()
                {
                    self.watcher = Some(watcher);
                    self.events = Some(receiver);
                } else {
                    log::info!("not watching {}: polling it", folder.display());
                }
            }
            Err(e) => log::info!("no file watcher ({e}): polling {}", path.display()),
        }
    }

    /// Whether to look at the file now: an event came, or the poll is due.
    fn due(&mut self) -> bool {
        if let Some(events) = &self.events {
            while events.try_recv().is_ok() {
                self.look = true;
            }
        }
        if self.last_look.elapsed() >= POLL {
            self.look = true;
        }
        self.look
    }
}

impl GlossApp {
    /// Tests: only the check when saving looks at the file.
    #[doc(hidden)]
    pub fn pause_disk_watch(&mut self) {
        self.disk_watch.paused = true;
        self.disk_watch.watcher = None;
    }

    /// Once a frame: looks at the project file when an event or the poll
    /// says so, unless a save, a read of the file or a question is under way.
    pub(crate) fn watch_disk(&mut self, ctx: &egui::Context) {
        let path = self.session.path.clone();
        if self.disk_watch.paused {
            return;
        }
        self.disk_watch.follow(path.as_deref(), ctx);
        if path.is_none() {
            return;
        }
        ctx.request_repaint_after(POLL);
        if !self.disk_watch.due()
            || self.saving.busy()
            || self.disk_watch.reading
            || self.dialogs.is_open()
        {
            return;
        }
        self.disk_watch.look = false;
        self.disk_watch.last_look = Instant::now();
        self.look_at_disk(None);
    }

    /// Compares the file with the version last read or written and acts:
    /// nothing, a note that it is gone, or a read of the new version on a
    /// worker. `save` is a save waiting for the answer. Returns whether the
    /// file is as the session knows it (a save may go ahead).
    pub(crate) fn look_at_disk(&mut self, save: Option<PendingSave>) -> bool {
        let name = self.session.display_name();
        match self.session.disk_state() {
            DiskState::Unchanged => true,
            DiskState::Missing => {
                if !self.disk_watch.told_missing {
                    self.disk_watch.told_missing = true;
                    let note =
                        format!("{name} was deleted or moved away on disk; Save writes it again");
                    // Beside a message just shown (a failed save), not over it.
                    let recent = self
                        .message
                        .as_ref()
                        .filter(|(_, shown)| shown.elapsed() < Duration::from_secs(2))
                        .map(|(m, _)| m.clone());
                    self.notify(match recent {
                        Some(recent) => format!("{recent}; {note}"),
                        None => note,
                    });
                }
                // Saving writes it again; a file that appears there later
                // is another version.
                self.session.note_disk_identity(None);
                true
            }
            DiskState::Unreadable(message) => {
                if save.is_some() {
                    self.notify(format!("cannot look at {name} on disk: {message}"));
                }
                // A save fails with the system's own message if it must.
                true
            }
            DiskState::Changed(identity) => {
                if let Some((known, _)) = &self.disk_watch.unreadable
                    && *known == Some(identity)
                    && save.is_none()
                {
                    // Already told; a save asks.
                    return false;
                }
                self.disk_watch.told_missing = false;
                self.read_disk_version(identity, save);
                false
            }
        }
    }

    /// Reads the file's new version on a worker.
    fn read_disk_version(&mut self, identity: FileIdentity, save: Option<PendingSave>) {
        let Some(path) = self.session.path.clone() else {
            return;
        };
        self.disk_watch.reading = true;
        let origin = self.job_origin();
        let name = self.session.display_name();
        self.jobs.spawn(
            format!("reading {name} (changed on disk)"),
            0,
            origin,
            move |_| {
                let result = crate::store::load(&path)
                    .map(Box::new)
                    .map_err(|e| e.to_string());
                JobOutput::DiskVersion {
                    path,
                    identity,
                    result,
                    save,
                }
            },
        );
    }

    /// The changed file was read: reload it, take it as already known, or
    /// ask what to do with it.
    pub(crate) fn on_disk_version(
        &mut self,
        same_session: bool,
        path: PathBuf,
        identity: FileIdentity,
        result: Result<Box<Project>, String>,
        save: Option<PendingSave>,
    ) {
        self.disk_watch.reading = false;
        let save = save.or_else(|| self.disk_watch.waiting_save.take());
        if !same_session || self.session.path.as_deref() != Some(path.as_path()) {
            return;
        }
        if self.dialogs.is_open() && !matches!(self.dialogs.prompt, Prompt::ChangedOnDisk(_)) {
            // Another question is open: ask after it (the file is looked
            // at again then, and still differs).
            self.disk_watch.look = true;
            self.disk_watch.waiting_save = save;
            return;
        }
        let name = self.session.display_name();
        let theirs = match result {
            Ok(theirs) => theirs,
            Err(message) => {
                self.disk_watch.unreadable = Some((Some(identity), message.clone()));
                self.notify(format!(
                    "{name} changed on disk and is not a project Gloss can read ({message}); your work here is kept, and saving asks before replacing it"
                ));
                if let Some(save) = save {
                    self.dialogs.prompt = Prompt::ChangedOnDisk(Box::new(ChangedOnDisk {
                        theirs: None,
                        identity: Some(identity),
                        problem: Some(message),
                        save: Some(save),
                        confirm: None,
                        lost: None,
                    }));
                }
                return;
            }
        };
        self.disk_watch.unreadable = None;
        if *theirs == *self.session.on_disk() {
            // Touched, or checked out again with the same content.
            self.session.note_disk_identity(Some(identity));
            if let Some(save) = save {
                self.save_then(save.path.as_deref(), save.then);
            }
            return;
        }
        if !self.session.is_dirty() && !self.saving.busy() {
            self.reload_keeping_view(*theirs, Some(identity), &name);
            return;
        }
        self.dialogs.prompt = Prompt::ChangedOnDisk(Box::new(ChangedOnDisk {
            theirs: Some(theirs),
            identity: Some(identity),
            problem: None,
            save,
            confirm: None,
            lost: None,
        }));
    }

    /// Replaces the project with the version on disk, keeping the document
    /// shown, the selection and the scroll where they still exist.
    pub(crate) fn reload_keeping_view(
        &mut self,
        theirs: Project,
        identity: Option<FileIdentity>,
        name: &str,
    ) {
        let shown = self
            .document()
            .map(|d| (d.id.clone(), d.content_hash.clone()));
        match self.session.reload_from_disk(theirs, identity) {
            Ok(()) => {
                self.keep_view(shown);
                self.notify(format!("reloaded: {name} changed on disk"));
            }
            Err(e) => self.notify(format!("{name} changed on disk; not reloaded: {e}")),
        }
    }

    /// After the whole project was replaced: the same document (by id, or
    /// by text), and the selection only where it still exists.
    pub(crate) fn keep_view(&mut self, shown: Option<(String, String)>) {
        let project = self.session.project();
        let index = shown.as_ref().and_then(|(id, hash)| {
            project
                .documents
                .iter()
                .position(|d| &d.id == id)
                .or_else(|| {
                    project
                        .documents
                        .iter()
                        .position(|d| d.content_hash == *hash)
                })
        });
        let same_text = match (&shown, index.and_then(|i| project.documents.get(i))) {
            (Some((_, hash)), Some(doc)) => doc.content_hash == *hash,
            _ => false,
        };
        let selected_exists = self.selected.as_ref().is_some_and(|selected| {
            index
                .and_then(|i| project.documents.get(i))
                .is_some_and(|doc| match selected.kind {
                    crate::model::AnnotationKind::Entity => doc.entity(&selected.id).is_some(),
                    crate::model::AnnotationKind::Claim => doc.claim(&selected.id).is_some(),
                    crate::model::AnnotationKind::Relation => {
                        doc.relations.iter().any(|r| r.id == selected.id)
                    }
                })
        });
        let moved = index != Some(self.current);
        self.current = index
            .unwrap_or(0)
            .min(project.documents.len().saturating_sub(1));
        if !same_text {
            self.selection = None;
        }
        if !selected_exists {
            self.selected = None;
        }
        if moved {
            self.link_from = None;
        }
    }
}

/// A save that waits for the file on disk to be looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSave {
    /// Where to (the session's file when `None`).
    pub path: Option<PathBuf>,
    /// What waits for the save.
    pub then: Option<AfterSave>,
}

/// The question asked when the file changed on disk while there were
/// unsaved changes (or a save was about to write over it).
#[derive(Debug)]
pub struct ChangedOnDisk {
    /// The version on disk; `None` when it cannot be read as a project.
    pub theirs: Option<Box<Project>>,
    /// Its identity.
    pub identity: Option<FileIdentity>,
    /// Why it cannot be read, when it cannot.
    pub problem: Option<String>,
    /// The save that found it, to carry on once the user chose.
    pub save: Option<PendingSave>,
    /// The choice waiting for a confirmation.
    pub confirm: Option<DiskChoice>,
    /// What Keep mine would lose (documents, annotations), worked out once
    /// when it is asked for, not every frame the confirmation shows.
    pub lost: Option<(usize, usize)>,
}

/// What to do with a file changed on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskChoice {
    /// Three-way merge of both versions; conflicts to the adjudication walk.
    Merge,
    /// Write this window's version over the file.
    KeepMine,
    /// Discard this window's unsaved changes and load the file.
    Reload,
}

/// What writing this window's project over `theirs` would lose: documents
/// only the file has, and annotations of shared documents only it has
/// (matched by document text and annotation id).
pub fn lost_by_keeping_mine(mine: &Project, theirs: &Project) -> (usize, usize) {
    use std::collections::HashMap;
    let mine_docs: HashMap<&str, &crate::model::Document> = mine
        .documents
        .iter()
        .map(|d| (d.content_hash.as_str(), &**d))
        .collect();
    let (mut documents, mut annotations) = (0, 0);
    for doc in &theirs.documents {
        let Some(my_doc) = mine_docs.get(doc.content_hash.as_str()) else {
            documents += 1;
            annotations += doc.annotation_count();
            continue;
        };
        if **doc == **my_doc {
            continue;
        }
        // An annotation is lost when mine has no such one (by id) or
        // another version of it.
        fn missing<'a, T: PartialEq + 'a>(
            theirs: &'a [T],
            mine: &'a [T],
            id: fn(&T) -> &str,
        ) -> usize {
            let mine: HashMap<&str, &T> = mine.iter().map(|x| (id(x), x)).collect();
            theirs.iter().filter(|x| mine.get(id(x)) != Some(x)).count()
        }
        annotations += missing(&doc.entities, &my_doc.entities, |e| &e.id);
        annotations += missing(&doc.claims, &my_doc.claims, |c| &c.id);
        annotations += missing(&doc.relations, &my_doc.relations, |r| &r.id);
    }
    (documents, annotations)
}
