//! Saving: Save and Save As, their results, and waiting for a save.

use std::path::{Path, PathBuf};

use crate::ui::app::GlossApp;
use crate::ui::dialogs::AfterSave;
use crate::ui::files::PickKind;

impl GlossApp {
    /// The name Save As proposes: beside a read-only file, a copy of it
    /// (`p (copy).gloss.ron`, with its folder); else the project's name.
    pub(super) fn suggested_file_name(&self) -> String {
        if let Some(path) = &self.session.path
            && self.session.is_read_only()
        {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let stem = name
                .strip_suffix(".gloss.ron")
                .or_else(|| name.strip_suffix(".ron"));
            let copy = match stem {
                Some(stem) => format!("{stem} (copy).gloss.ron"),
                None => format!("{name} (copy)"),
            };
            return path.with_file_name(copy).display().to_string();
        }
        let stem: String = self
            .session
            .project()
            .name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        format!("{}.gloss.ron", stem.trim_matches('-'))
    }

    /// Saves to `path` or the session's file; asks for a file when there is none.
    /// The file is written on a worker thread (see `saving.rs`); returns
    /// whether the save started, or waits its turn behind the one being
    /// written. "Saved" shows once the write succeeded.
    pub fn save(&mut self, path: Option<&Path>) -> bool {
        self.save_then(path, None)
    }

    /// [`GlossApp::save`], then `then` once the file is written (and asked
    /// again when there were edits meanwhile).
    pub(crate) fn save_then(&mut self, path: Option<&Path>, then: Option<AfterSave>) -> bool {
        if path.is_none() && (self.session.path.is_none() || self.session.is_read_only()) {
            if self.session.is_read_only() {
                self.notify("this project is open read-only: save it under another name");
            }
            self.files
                .pick(PickKind::SaveProject, &self.suggested_file_name());
            return false;
        }
        if self.saving.busy() {
            // One write at a time, so two writes of a file never race.
            let then = then.or_else(|| self.saving.queued.take().and_then(|q| q.then));
            self.saving.queued = Some(crate::ui::saving::Queued {
                path: path.map(Path::to_owned),
                then,
            });
            return true;
        }
        let own_file = path.is_none() || path == self.session.path.as_deref();
        if own_file
            && let crate::ui::dialogs::Prompt::ChangedOnDisk(question) = &mut self.dialogs.prompt
        {
            // The question is open already: the save waits for its answer.
            question
                .save
                .get_or_insert(crate::ui::disk_sync::PendingSave {
                    path: path.map(Path::to_owned),
                    then,
                });
            return true;
        }
        if own_file && self.disk_watch.reading {
            // The changed file is being read: this save waits for the answer.
            self.disk_watch.waiting_save = Some(crate::ui::disk_sync::PendingSave {
                path: path.map(Path::to_owned),
                then,
            });
            self.notify("the project file changed on disk; reading it before saving");
            return true;
        }
        if own_file
            && !self.look_at_disk(Some(crate::ui::disk_sync::PendingSave {
                path: path.map(Path::to_owned),
                then: then.clone(),
            }))
        {
            // Never write over a version this session has not seen: the
            // new version is read, then the user chooses (disk_prompt.rs).
            return true;
        }
        match self.session.begin_save(path, &self.data_dir) {
            Ok((ticket, write)) => {
                // A journal write in flight must not recreate the recovery
                // file that a good save removes: the writer waits for it.
                let journal = self.autosave.take_in_flight();
                self.saving
                    .start(ticket, write, self.session_serial, then, journal);
                true
            }
            Err(e) => {
                let target = path
                    .map(Path::to_owned)
                    .or_else(|| self.session.path.clone());
                self.save_failed(target, &e);
                false
            }
        }
    }

    /// Reports a failed save; offers another name when the file is
    /// read-only. Returns whether it did.
    pub(super) fn save_failed(
        &mut self,
        target: Option<PathBuf>,
        error: &crate::store::SaveError,
    ) -> bool {
        let read_only_file = target.is_some_and(|t| crate::store::output::is_read_only(&t));
        self.notify(format!("{error}; the project was not saved"));
        if read_only_file {
            // Offer another name rather than a dead end.
            self.files
                .pick(PickKind::SaveProject, &self.suggested_file_name());
        }
        read_only_file
    }

    /// A save finished on its worker: the session moves to the saved file
    /// and counts as saved up to the snapshot, or the error is shown and
    /// nothing changes. What waited for it carries on (asking first when
    /// there were edits meanwhile), and a save that waited its turn starts.
    pub(crate) fn on_save_finished(&mut self, finished: crate::ui::saving::Finished) {
        let crate::ui::saving::Finished {
            ticket,
            session,
            then,
            result,
        } = finished;
        if session != self.session_serial {
            // The saved project was replaced (its changes discarded) meanwhile.
            let target = ticket.target().display().to_string();
            match result {
                Ok(_) => self.notify(format!("saved {target}")),
                Err(e) => self.notify(format!("{e}; the project was not saved")),
            }
            self.saving.queued = None;
            return;
        }
        let target = ticket.target().to_owned();
        match self.session.finish_save(ticket, result) {
            Ok(saved) => {
                self.remember_recent(&saved);
                self.notify(format!("saved {}", saved.display()));
                match (self.saving.queued.as_mut(), then) {
                    // The next save carries on with it.
                    (Some(queued), Some(then)) => {
                        queued.then.get_or_insert(then);
                    }
                    (None, Some(then)) => self.guard_unsaved(then),
                    (_, None) => {}
                }
            }
            Err(e) if e.changed_on_disk => {
                // Found right before writing: read the new version and ask.
                let save = crate::ui::disk_sync::PendingSave {
                    path: Some(target),
                    then,
                };
                if self.look_at_disk(Some(save.clone())) {
                    // It changed back meanwhile: try again.
                    self.save_then(save.path.as_deref(), save.then);
                }
                self.saving.queued = None;
                return;
            }
            Err(e) => {
                let offered = self.save_failed(Some(target), &e);
                if let Some(then) = then {
                    if offered {
                        self.after_save = Some(then);
                    } else if !self.dialogs.is_open() {
                        self.dialogs.ask_unsaved(then);
                    }
                }
            }
        }
        if let Some(queued) = self.saving.queued.take() {
            self.save_then(queued.path.as_deref(), queued.then);
        }
    }

    /// Waits for a save in flight (and any waiting behind it) to finish and
    /// applies the outcome: quitting, and tests.
    pub fn wait_for_save(&mut self) {
        while let Some(finished) = self.saving.wait() {
            self.on_save_finished(finished);
        }
    }
}
