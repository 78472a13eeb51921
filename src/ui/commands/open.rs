//! Replacing the open project: opening files, job results, recovery
//! journals, imported articles and the recent-files list.

use std::path::{Path, PathBuf};

use crate::edit::Edit;
use crate::model::Project;
use crate::workspace::Session;

use crate::ui::app::GlossApp;
use crate::ui::dialogs::AfterSave;
use crate::ui::files::{PickKind, Picked};
use crate::ui::jobs::JobOutput;

impl GlossApp {
    /// Opens a project file, replacing the current one (already confirmed).
    /// The file is read and checked on a worker thread.
    pub fn open_project(&mut self, path: &Path) {
        let path = path.to_owned();
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let origin = self.job_origin();
        self.jobs
            .spawn(format!("opening {name}"), 0, origin, move |_| {
                let result = crate::store::load(&path)
                    .map(Box::new)
                    .map_err(|e| e.lines().join("; "));
                JobOutput::Opened { path, result }
            });
    }

    /// Takes in what a background job produced.
    pub fn on_job_output(&mut self, origin: crate::ui::jobs::Origin, output: JobOutput) {
        let same_session = origin.session == self.session_serial;
        let changed_meanwhile =
            !same_session || origin.generation != self.session.history.generation();
        match output {
            JobOutput::DiskVersion {
                path,
                identity,
                result,
                save,
            } => self.on_disk_version(same_session, path, identity, result, save),
            JobOutput::SuggestionsTrained {
                signature,
                recommender,
            } => self.on_suggestions_trained(same_session, signature, recommender),
            JobOutput::ShownSuggestions { key, list, claims } => {
                self.on_shown_suggestions(*key, list, claims);
            }
            JobOutput::LearningCurve { signature, points } => {
                self.suggestions.curve_done(same_session, signature, points);
            }
            JobOutput::Opened { path, .. } if !same_session => {
                // Another project was opened (or started) since: that one wins.
                self.notify(format!(
                    "{}: loaded after another project was opened; not shown",
                    path.display()
                ));
            }
            JobOutput::Opened {
                path,
                result: Ok(_),
            } if changed_meanwhile && self.session.is_dirty() => {
                // The user edited while the file loaded: ask again rather
                // than drop those edits, unless another question is open.
                if self.dialogs.is_open() {
                    self.notify(format!(
                        "{}: not opened, there are unsaved changes; open it again",
                        path.display()
                    ));
                } else {
                    self.dialogs.ask_unsaved(AfterSave::OpenPath(path));
                }
            }
            JobOutput::ArticlesRead { .. } | JobOutput::DatasetImported(_) if !same_session => {
                self.notify(
                    "an import finished for a project that is no longer open; nothing was added",
                );
            }
            JobOutput::Opened { path, result } => match result {
                Ok(project) => {
                    match crate::store::ProjectLock::acquire(&path, std::time::Duration::ZERO) {
                        Ok(lock) => self.open_loaded(*project, path, Ok(lock)),
                        // Another writer has it: ask before opening it read-only.
                        Err(e) => self.dialogs.ask_locked(*project, path, e),
                    }
                }
                Err(e) => self.notify(e),
            },
            JobOutput::ArticlesRead { edit, mut report } => {
                // Prepared on the worker (20,000 articles: ~40 ms that were
                // on the UI thread); made again only if the project changed.
                let edit = match edit {
                    Some(edit) if changed_meanwhile => {
                        crate::ingest::rebase_import(self.session.project(), edit, &mut report)
                    }
                    edit => edit,
                };
                self.apply_import(edit, &report);
            }
            JobOutput::DatasetImported(result) => match result {
                Ok(imported) => {
                    let (edit, merged) =
                        crate::formats::merge_edit(self.session.project(), imported.project);
                    let applied = edit.is_some_and(|edit| self.apply(edit));
                    if applied || merged.skipped > 0 {
                        let mut message = format!(
                            "imported {} (one undo step)",
                            crate::model::plural(merged.added, "document")
                        );
                        if merged.skipped > 0 {
                            message.push_str(&format!(
                                "; skipped {} already in the project",
                                crate::model::plural(merged.skipped, "document")
                            ));
                        }
                        for warning in &imported.warnings {
                            message.push_str("; ");
                            message.push_str(warning);
                        }
                        self.notify(message);
                    }
                }
                Err(e) => self.notify(format!("import: {e}")),
            },
            JobOutput::Compared(result) => match result {
                Ok(mut comparison) => {
                    comparison.origin = Some(origin);
                    self.notify(format!(
                        "compared with {}: {} in both",
                        comparison.name,
                        crate::model::plural(comparison.agreement.documents, "document")
                    ));
                    self.compare = Some(*comparison);
                }
                Err(e) => self.notify(format!("compare: {e}")),
            },
            JobOutput::AnnotatedAll(annotated) => self.on_annotated_all(*annotated, same_session),
            JobOutput::Curated(curated) => self.on_curated(changed_meanwhile, *curated),
            JobOutput::Exported(result) => match result {
                Ok((files, warnings)) => {
                    let mut message = format!("exported {}", crate::model::plural(files, "file"));
                    for warning in &warnings {
                        message.push_str("; ");
                        message.push_str(warning);
                    }
                    self.notify(message);
                }
                Err(e) => self.notify(format!("export: {e}")),
            },
        }
    }

    /// Shows a project that was loaded from `path`, with its lock or, when
    /// another writer holds it, read-only.
    pub fn open_loaded(
        &mut self,
        project: Project,
        path: PathBuf,
        lock: Result<crate::store::ProjectLock, crate::store::LockError>,
    ) {
        let read_only = lock.is_err();
        self.replace_session(Session::with_lock(project, path.clone(), lock));
        self.remember_recent(&path);
        if read_only {
            self.notify(format!(
                "opened {} read-only: another Gloss has it open (Save As to keep changes)",
                path.display()
            ));
        } else {
            self.notify(format!("opened {}", path.display()));
            self.offer_recovery();
        }
    }

    pub(crate) fn replace_session(&mut self, session: Session) {
        // The old project's journal is no longer needed: its changes were
        // saved or the user chose to discard them.
        self.autosave.settle();
        crate::store::recovery::remove(&self.recovery_path());
        self.session = session;
        self.reset_workspace();
        self.autosave = Default::default();
    }

    pub(super) fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_MAX);
        let text = ron::to_string(&self.recent).unwrap_or_default();
        let _ = std::fs::create_dir_all(&self.data_dir);
        let _ = crate::store::write_atomically(&self.data_dir.join(RECENT_FILE), text.as_bytes());
    }

    /// Offers to restore a recovery copy left by a crash. A read-only
    /// session never does: the journal beside the file is the writer's.
    pub fn offer_recovery(&mut self) {
        if self.session.is_read_only() {
            return;
        }
        let path = self.recovery_path();
        if let Some(recovered) = crate::store::recovery::read(&path)
            && &recovered.project != self.session.project()
        {
            self.dialogs.ask_recovery(recovered, path);
        }
    }

    /// Whether the file changed since a journal was made against it (a
    /// `gloss add` or a git merge after the crash).
    pub fn changed_since_journal(&self, recovered: &crate::store::recovery::Recovered) -> bool {
        self.session.path.is_some()
            && recovered
                .against
                .is_some_and(|against| self.session.disk_identity() != Some(against))
    }

    /// Restores a recovered project as unsaved changes of the current file,
    /// as one undoable step; the session keeps its file and its lock. When
    /// the file changed after the journal was made, the journal is merged
    /// with it (three-way when the journal kept the version it was made
    /// against, else two-way with every difference a disagreement), so
    /// what was saved after the crash is not written over.
    pub fn restore(&mut self, recovered: crate::store::recovery::Recovered) {
        let changed = self.changed_since_journal(&recovered);
        let crate::store::recovery::Recovered { project, base, .. } = recovered;
        let (project, message) = if changed {
            let on_disk = self.session.project();
            let (merged, report) = match &base {
                Some(base) => crate::review::merge::merge3(base, &project, on_disk),
                None => crate::review::merge::merge_named(
                    &project,
                    on_disk,
                    crate::review::merge::Sides {
                        first: "recovered",
                        second: "on disk",
                    },
                ),
            };
            let conflicts = report.new_conflicts;
            (
                merged,
                format!(
                    "restored unsaved work, merged with the file saved since ({} to settle); save to keep it",
                    crate::model::plural(conflicts, "conflict")
                ),
            )
        } else {
            (project, "restored unsaved work; save to keep it".to_owned())
        };
        if let Err(e) = self.session.restore(project, "restore unsaved work") {
            self.notify(format!("not restored: {e}"));
            return;
        }
        self.reset_workspace();
        // The journal keeps the restored work until it is saved.
        self.autosave.settle();
        self.autosave = crate::ui::autosave::Autosave::journal_soon();
        self.notify(message);
    }

    /// Imports article files as one undoable step; the files are read and
    /// decoded on a worker thread.
    pub fn import_articles(&mut self, paths: &[PathBuf]) {
        let paths = paths.to_vec();
        let total = paths.len();
        let origin = self.job_origin();
        let html = self.html_mode;
        // One pointer per document: the edit is prepared against it.
        let snapshot = self.session.project().clone();
        self.jobs.spawn(
            format!("reading {}", crate::model::plural(total, "file")),
            total,
            origin,
            move |done| {
                let mut articles = Vec::new();
                let mut errors = Vec::new();
                for path in paths {
                    match crate::ingest::read_articles_with(&path, html) {
                        // Hashed here, off the UI thread (20,000 articles: 0.3 s).
                        Ok(found) => articles.extend(
                            found
                                .into_iter()
                                .map(|a| crate::ingest::ReadArticle::new(&path, a)),
                        ),
                        Err(e) => errors.push(e),
                    }
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                let mut report = crate::ingest::AddReport {
                    errors,
                    ..Default::default()
                };
                let edit = crate::ingest::add_read_articles(&snapshot, articles, &mut report);
                JobOutput::ArticlesRead { edit, report }
            },
        );
    }

    /// Applies an article import and says what happened.
    pub(super) fn apply_import(&mut self, edit: Option<Edit>, report: &crate::ingest::AddReport) {
        let first_new = self.session.project().documents.len();
        if let Some(edit) = edit
            && self.apply(edit)
        {
            self.show_document(Some(first_new));
        }
        let mut parts = Vec::new();
        if !report.added.is_empty() {
            parts.push(format!(
                "imported {}",
                crate::model::plural(report.added.len(), "article")
            ));
        }
        let errors: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        parts.extend(first_few(&report.warnings, "warnings"));
        parts.extend(first_few(&report.skipped, "articles skipped"));
        parts.extend(first_few(&errors, "files not read"));
        if !parts.is_empty() {
            self.notify(parts.join("; "));
        }
    }

    /// Handles a dialog's answer.
    pub fn on_picked(&mut self, picked: Picked) {
        if picked.no_dialog {
            self.notify("no file dialog is available here: type the path");
            self.dialogs.ask_path(picked.kind);
            return;
        }
        self.on_paths(picked.kind, picked.paths);
    }

    /// Handles paths from a dialog or the typed-path prompt.
    pub fn on_paths(&mut self, kind: PickKind, paths: Vec<PathBuf>) {
        if kind == PickKind::SaveProject && paths.is_empty() {
            // The save was cancelled: so is what waited for it.
            self.after_save = None;
        }
        let Some(first) = paths.first().cloned() else {
            return;
        };
        match kind {
            PickKind::OpenProject => self.open_project(&first),
            PickKind::SaveProject => {
                let path = if first.extension().is_none() {
                    first.with_extension("gloss.ron")
                } else {
                    first
                };
                if self.session.project().name == crate::model::Project::UNTITLED {
                    // A project nobody named takes its file's name, as the
                    // command line's `gloss new` names it.
                    self.apply(Edit::SetProjectName {
                        name: crate::model::Project::name_for_file(&path),
                    });
                }
                let then = self.after_save.take();
                let started = self.save_then(Some(&path), then.clone());
                self.saved_as(started, then);
            }
            PickKind::ImportArticles => self.import_articles(&paths),
            PickKind::ImportDataset => self.dialogs.dataset_paths(paths),
            PickKind::ExportDataset => self.dialogs.dataset_paths(paths),
            PickKind::CompareProject => self.start_comparison(first),
        }
    }
}

const RECENT_FILE: &str = "recent.ron";
const RECENT_MAX: usize = 10;

/// Recent project files remembered in `data_dir`.
pub fn load_recent(data_dir: &Path) -> Vec<PathBuf> {
    std::fs::read_to_string(data_dir.join(RECENT_FILE))
        .ok()
        .and_then(|text| ron::from_str::<Vec<PathBuf>>(&text).ok())
        .unwrap_or_default()
}

/// The first few of `lines`, then how many more `what` there are: the status
/// bar shows one message, and a batch can skip thousands of articles.
pub(super) fn first_few(lines: &[String], what: &str) -> Vec<String> {
    const SHOWN: usize = 3;
    let mut out: Vec<String> = lines.iter().take(SHOWN).cloned().collect();
    if lines.len() > SHOWN {
        out.push(format!("{} more {what}", lines.len() - SHOWN));
    }
    out
}
