//! Where actions are handled: every change to the project goes through
//! `self.session.apply` (the edit layer), so undo, dirty state and autosave
//! see it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers};

use crate::edit::Edit;
use crate::model::{CompactString, Entity, Project, span};
use crate::workspace::Session;

use super::actions::Action;
use super::app::{AnnotationKind, AnnotationRef, GlossApp, SidePane};
use super::claim_editor::ClaimEditor;
use super::dialogs::AfterSave;
use super::files::{PickKind, Picked};
use super::jobs::JobOutput;

const RECENT_FILE: &str = "recent.ron";
const RECENT_MAX: usize = 10;

/// Recent project files remembered in `data_dir`.
pub fn load_recent(data_dir: &Path) -> Vec<PathBuf> {
    std::fs::read_to_string(data_dir.join(RECENT_FILE))
        .ok()
        .and_then(|text| ron::from_str::<Vec<PathBuf>>(&text).ok())
        .unwrap_or_default()
}

impl GlossApp {
    /// Runs one action.
    pub fn run(&mut self, action: Action, ctx: &egui::Context) {
        let changes_annotations = matches!(
            action,
            Action::TagEntity(_)
                | Action::AcceptSuggestion
                | Action::RejectSuggestion
                | Action::AcceptAllSuggestions(_)
                | Action::MakeClaim
                | Action::EditClaim
                | Action::DeleteSelected
                | Action::MoveBoundary { .. }
                | Action::Link
                | Action::AnnotateAll
        );
        if self.review_mode && changes_annotations {
            // Review reads the annotations as they are; menus obey it too.
            self.notify("review mode: the text is read-only (Ctrl+Shift+R to annotate)");
            return;
        }
        match action {
            Action::NewProject => self.guard_unsaved(AfterSave::New),
            Action::OpenProject => self.guard_unsaved(AfterSave::Open),
            Action::OpenProjectPath(path) => self.guard_unsaved(AfterSave::OpenPath(path)),
            Action::ImportArticles => self.files.pick(PickKind::ImportArticles, ""),
            Action::ImportArticlePaths(paths) => self.import_articles(&paths),
            Action::ImportDataset => self.dialogs.open_dataset(true),
            Action::ExportDataset => self.dialogs.open_dataset(false),
            Action::Save => {
                self.save(None);
            }
            Action::SaveAs => self
                .files
                .pick(PickKind::SaveProject, &self.suggested_file_name()),
            Action::TypePath => self.dialogs.ask_path(PickKind::OpenProject),
            Action::Undo => match self.session.undo() {
                Ok(true) => {
                    // The undone step is now the next redo: show what it changed.
                    let focus = self.session.history.next_redo_focus();
                    self.after_history_move("undone", focus);
                }
                Ok(false) => self.notify("nothing to undo"),
                Err(e) => self.notify(format!("cannot undo: {e}")),
            },
            Action::Redo => match self.session.redo() {
                Ok(true) => {
                    let focus = self.session.history.next_undo_focus();
                    self.after_history_move("redone", focus);
                }
                Ok(false) => self.notify("nothing to redo"),
                Err(e) => self.notify(format!("cannot redo: {e}")),
            },
            Action::TagEntity(label) => self.tag_entity(&label),
            Action::MakeClaim => self.make_claim(),
            Action::EditClaim => self.edit_selected_claim(),
            Action::DeleteSelected => self.delete_selected(),
            Action::MoveBoundary { start, end } => self.move_boundary(start, end),
            Action::SetStatus(status) => {
                if let Some(doc) = self.document_id() {
                    self.apply(Edit::SetStatus { doc, status });
                }
            }
            Action::NextDocument => self.show_document(self.visible_neighbour(true)),
            Action::PreviousDocument => self.show_document(self.visible_neighbour(false)),
            Action::SelectDocument(index) => self.show_document(Some(index)),
            Action::SelectAnnotation(annotation) => {
                self.selection = None;
                self.article_view.scroll_to = self.annotation_start(&annotation);
                self.selected = Some(annotation);
                // The Annotations pane stays: the user is walking its rows.
                if self.side_pane != SidePane::Annotations {
                    self.side_pane = SidePane::Inspector;
                }
            }
            Action::JumpTo { doc, start, end } => {
                if let Some(index) = self.session.project().document_index(&doc) {
                    self.show_document(Some(index));
                    self.selection = Some((start, end));
                    self.article_view.scroll_to = Some(start);
                }
            }
            Action::Find => self.find.open(),
            Action::AnnotateAll => self.open_annotate_all(),
            Action::EditSchema => {
                self.schema_editor = Some(super::schema_editor::SchemaEditor::default())
            }
            Action::ToggleTheme => {
                self.dark = !self.dark;
                ctx.set_theme(if self.dark {
                    egui::Theme::Dark
                } else {
                    egui::Theme::Light
                });
            }
            Action::ZoomIn => egui::gui_zoom::zoom_in(ctx),
            Action::ZoomOut => egui::gui_zoom::zoom_out(ctx),
            Action::ToggleWordSnap => self.snap_to_words = !self.snap_to_words,
            Action::ToggleSuggestions => {
                self.suggestions.enabled = !self.suggestions.enabled;
                self.suggestions.focus = None;
            }
            Action::NextSuggestion(forward) => self.walk_suggestions(forward),
            Action::AcceptSuggestion => self.accept_suggestions(None),
            Action::RejectSuggestion => self.reject_suggestion(),
            Action::AcceptAllSuggestions(label) => self.accept_all_suggestions_of_type(label),
            Action::SetHtmlMode(mode) => self.html_mode = mode,
            Action::Help => self.show_help = !self.show_help,
            Action::ShowMessages => self.notifications.open = true,
            Action::Quit => self.guard_unsaved(AfterSave::Quit),
            Action::Link => self.link(),
            Action::CompareWith => self.files.pick(PickKind::CompareProject, ""),
            Action::CloseComparison => self.compare = None,
            Action::Recompare => self.recompare(),
            Action::Adjudicate => self.toggle_adjudication(),
            Action::Settle(choice) => self.settle_shown(choice, false),
            Action::SettleAndEdit => self.settle_and_edit(),
            Action::NextDisagreement(forward) => self.step_disagreement(forward),
            Action::ShowAnnotations => self.side_pane = SidePane::Annotations,
            Action::FilterAnnotations(filter) => {
                super::annotations_pane::apply_filter(self, *filter)
            }
            Action::Dashboard => self.show_dashboard = !self.show_dashboard,
            Action::SetAnnotatorName => self.dialogs.ask_name(self.prefs.annotator.clone()),
            Action::ToggleReviewMode => {
                self.review_mode = !self.review_mode;
                self.link_from = None;
                self.notify(if self.review_mode {
                    "review mode: the text is read-only; A accept, R reject, D discuss, J/K next/previous unreviewed"
                } else {
                    "review mode off"
                });
            }
            Action::Review(review) => self.review_selected(review),
            Action::NextUnreviewed(forward) => self.go_to_unreviewed(forward),
            Action::Discuss {
                doc,
                target,
                comment,
            } => self.discuss(&doc, &target, comment),
            Action::CommandPalette => {
                self.palette = Some(super::palette::Palette::default());
            }
            Action::Edit(edit) => {
                self.apply(*edit);
            }
            Action::EditCoalescing { edit, key } => {
                if let Err(e) = self.session.apply_coalescing(*edit, &key) {
                    self.notify(format!("not done: {e}"));
                }
            }
            Action::ApplyClaimDraft => self.apply_claim_draft(),
            Action::AnnotateAllConfirmed {
                text,
                label,
                all_documents: true,
            } => super::annotate_all::start(self, text, label, 1),
            Action::AnnotateAllConfirmed {
                text,
                label,
                all_documents,
            } => {
                let (edit, count) =
                    super::dialogs::annotate_all_edit(self, &text, &label, all_documents);
                if let Some(edit) = edit
                    && self.apply(edit)
                {
                    self.notify(format!(
                        "tagged {} of {text:?} as {label} (one undo step)",
                        crate::model::plural(count, "mention")
                    ));
                }
            }
            Action::RunDataset(form) => super::dataset_job::start_dataset_job(self, &form),
            Action::CancelJob(id) => {
                if self.jobs.cancel(id) {
                    self.notify("cancelling…");
                }
            }
            Action::Escape => {
                if self.link_from.is_some() {
                    self.link_from = None;
                    self.notify("link cancelled");
                } else if self.palette.is_some() {
                    self.palette = None;
                } else if self.show_help {
                    self.show_help = false;
                } else if self.dialogs.is_open() {
                    self.cancel_prompt();
                } else if self.claim_editor.is_some() {
                    self.claim_editor = None;
                } else if self.schema_editor.is_some() {
                    self.schema_editor = None;
                } else if self.find.visible {
                    self.find.visible = false;
                } else if self.adjudication.is_some() {
                    self.adjudication = None;
                } else {
                    self.selection = None;
                    self.selected = None;
                }
            }
        }
    }

    /// Applies an edit through the session; a refused edit becomes a message.
    /// Provenance: what the user makes or changes carries their name and
    /// the time.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let name = self.prefs.annotator.clone();
        self.apply_stamped(edit, name.as_deref())
    }

    /// Applies the claim editor's draft as one edit and closes the editor;
    /// it stays open (with the error in the status bar) when the edit is
    /// refused, so nothing typed is lost.
    fn apply_claim_draft(&mut self) {
        let Some(editor) = &self.claim_editor else {
            return;
        };
        let unchanged = self
            .session
            .project()
            .document(&editor.doc)
            .and_then(|doc| doc.claim(&editor.draft.id))
            == Some(&editor.draft);
        let edit = Edit::ReplaceClaim {
            doc: editor.doc.clone(),
            claim: Box::new(editor.draft.clone()),
        };
        if unchanged || self.apply(edit) {
            self.claim_editor = None;
        }
    }

    /// Applies an edit recording the time but not the annotator (a review
    /// changes an annotation's state, not who made it).
    pub fn apply_as_is(&mut self, edit: Edit) -> bool {
        self.apply_stamped(edit, None)
    }

    /// The one place where the app stamps provenance on its edits.
    fn apply_stamped(&mut self, mut edit: Edit, annotator: Option<&str>) -> bool {
        crate::edit::ops::stamp(&mut edit, annotator, &crate::edit::now());
        match self.session.apply(edit) {
            Ok(()) => {
                if self.session.is_read_only() {
                    self.notify(format!(
                        "read-only: {} is open in another Gloss; keep this change with Save As",
                        self.session.display_name()
                    ));
                }
                true
            }
            Err(e) => {
                self.notify(format!("not done: {e}"));
                false
            }
        }
    }

    /// After undo or redo: show the document that changed (undo works across
    /// documents), scroll to and select what changed, and drop a selection
    /// that no longer exists.
    fn after_history_move(&mut self, what: &str, focus: Option<crate::edit::Focus>) {
        use crate::edit::FocusTarget;
        self.current = self
            .current
            .min(self.session.project().documents.len().saturating_sub(1));
        if let Some(focus) = focus
            && let Some(index) = self.session.project().document_index(&focus.doc)
        {
            self.show_document(Some(index));
            let annotation = |kind, id| AnnotationRef { kind, id };
            match focus.target {
                FocusTarget::Entity(id) => {
                    self.act(Action::SelectAnnotation(annotation(
                        AnnotationKind::Entity,
                        id,
                    )));
                }
                FocusTarget::Claim(id) => {
                    self.act(Action::SelectAnnotation(annotation(
                        AnnotationKind::Claim,
                        id,
                    )));
                }
                FocusTarget::Relation(id) => {
                    self.act(Action::SelectAnnotation(annotation(
                        AnnotationKind::Relation,
                        id,
                    )));
                }
                FocusTarget::Span(start, end) => {
                    // What was there is gone: show where it was.
                    self.selected = None;
                    self.selection = Some((start, end));
                    self.article_view.scroll_to = Some(start);
                }
                FocusTarget::Document => {}
            }
        }
        if let Some(selected) = &self.selected
            && self.annotation_start(selected).is_none()
            && selected.kind != AnnotationKind::Relation
        {
            self.selected = None;
        }
        self.notify(format!(
            "{what} ({} left to undo)",
            crate::model::plural(self.session.history.undo_len(), "step")
        ));
    }

    /// The name Save As proposes: beside a read-only file, a copy of it
    /// (`p (copy).gloss.ron`, with its folder); else the project's name.
    fn suggested_file_name(&self) -> String {
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
            self.saving.queued = Some(super::saving::Queued {
                path: path.map(Path::to_owned),
                then,
            });
            return true;
        }
        let own_file = path.is_none() || path == self.session.path.as_deref();
        if own_file
            && let super::dialogs::Prompt::ChangedOnDisk(question) = &mut self.dialogs.prompt
        {
            // The question is open already: the save waits for its answer.
            question.save.get_or_insert(super::disk_sync::PendingSave {
                path: path.map(Path::to_owned),
                then,
            });
            return true;
        }
        if own_file && self.disk_watch.reading {
            // The changed file is being read: this save waits for the answer.
            self.disk_watch.waiting_save = Some(super::disk_sync::PendingSave {
                path: path.map(Path::to_owned),
                then,
            });
            self.notify("the project file changed on disk; reading it before saving");
            return true;
        }
        if own_file
            && !self.look_at_disk(Some(super::disk_sync::PendingSave {
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
    fn save_failed(&mut self, target: Option<PathBuf>, error: &crate::store::SaveError) -> bool {
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
    pub(crate) fn on_save_finished(&mut self, finished: super::saving::Finished) {
        let super::saving::Finished {
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
                let save = super::disk_sync::PendingSave {
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
    pub fn on_job_output(&mut self, origin: super::jobs::Origin, output: JobOutput) {
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

    /// The selected entity or claim, as the review operations name it.
    fn reviewed_selection(&self) -> Option<crate::review::mode::Reviewed> {
        use crate::review::mode::Reviewed;
        let selected = self.selected.as_ref()?;
        match selected.kind {
            AnnotationKind::Entity => Some(Reviewed::Entity(selected.id.clone())),
            AnnotationKind::Claim => Some(Reviewed::Claim(selected.id.clone())),
            AnnotationKind::Relation => None,
        }
    }

    /// A, R, D in review mode: one undoable edit, then the next unreviewed.
    fn review_selected(&mut self, review: crate::model::Review) {
        let Some(target) = self.reviewed_selection() else {
            self.notify("select an entity or claim to review (J: the next unreviewed)");
            return;
        };
        let Some(doc) = self.document() else { return };
        if review == crate::model::Review::Discuss {
            // D asks for an optional comment first (src/ui/dialogs.rs).
            self.dialogs.prompt = super::dialogs::Prompt::ReviewComment {
                doc: doc.id.clone(),
                target,
                text: String::new(),
            };
            return;
        }
        if let Some(edit) = crate::review::mode::set_review(doc, &target, review) {
            self.apply_as_is(edit);
        }
        self.go_to_unreviewed(true);
    }

    /// Marks `target` "needs discussion" with an optional comment (one
    /// undoable edit), then moves to the next unreviewed annotation.
    fn discuss(
        &mut self,
        doc: &str,
        target: &crate::review::mode::Reviewed,
        comment: Option<String>,
    ) {
        let edit = self.session.project().document(doc).and_then(|d| {
            crate::review::mode::set_review_with_comment(
                d,
                target,
                crate::model::Review::Discuss,
                comment,
            )
        });
        if let Some(edit) = edit {
            self.apply_as_is(edit);
        }
        self.go_to_unreviewed(true);
    }

    /// J/K in review mode: select the next or previous unreviewed annotation.
    fn go_to_unreviewed(&mut self, forward: bool) {
        use crate::review::mode::Reviewed;
        let from = self.reviewed_selection();
        let Some(doc) = self.document() else { return };
        let left = crate::review::mode::unreviewed_count(doc);
        match crate::review::mode::next_unreviewed(doc, from.as_ref(), forward) {
            Some(next) => {
                let (kind, id) = match next {
                    Reviewed::Entity(id) => (AnnotationKind::Entity, id),
                    Reviewed::Claim(id) => (AnnotationKind::Claim, id),
                };
                self.act(Action::SelectAnnotation(AnnotationRef { kind, id }));
                self.notify(format!("{left} left to review in this document"));
            }
            None if left == 0 => self.notify("everything in this document is reviewed"),
            None => self.notify(format!(
                "no unreviewed annotation {} this one ({left} left)",
                if forward { "after" } else { "before" }
            )),
        }
    }

    /// L: the first press remembers the selected annotation, the second
    /// links it to the annotation selected then.
    fn link(&mut self) {
        let Some(selected) = self.selected.clone() else {
            self.notify("select an entity or claim first, then press L");
            return;
        };
        if selected.kind == AnnotationKind::Relation {
            self.notify("a relation cannot be linked; select an entity or claim");
            return;
        }
        let Some(from) = self.link_from.take() else {
            self.notify(format!(
                "linking from {}: select the target and press L (Esc cancels)",
                selected.id
            ));
            self.link_from = Some(selected);
            return;
        };
        let Some(doc) = self.document() else { return };
        match crate::edit::ops::new_relation(
            doc,
            &self.session.project().schema,
            &from.id,
            &selected.id,
            None,
        ) {
            Ok(edit) => {
                let (id, label) = match &edit {
                    Edit::InsertRelation { relation, .. } => {
                        (relation.id.to_string(), relation.label.to_string())
                    }
                    _ => (String::new(), String::new()),
                };
                let name = self
                    .session
                    .project()
                    .schema
                    .relation_name(&label)
                    .to_owned();
                if self.apply(edit) {
                    self.notify(format!(
                        "linked {} → {} as “{name}”: its type can be changed in the inspector",
                        from.id, selected.id
                    ));
                    self.selected = Some(AnnotationRef {
                        kind: AnnotationKind::Relation,
                        id,
                    });
                }
            }
            Err(e) => self.notify(format!("not linked: {e}")),
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

    fn remember_recent(&mut self, path: &Path) {
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
        self.autosave = super::autosave::Autosave::journal_soon();
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
    fn apply_import(&mut self, edit: Option<Edit>, report: &crate::ingest::AddReport) {
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

    fn show_document(&mut self, index: Option<usize>) {
        let Some(index) = index else { return };
        if index < self.session.project().documents.len() && index != self.current {
            self.current = index;
            self.selection = None;
            self.selected = None;
            // The claim editor stays open: its draft keeps its own document,
            // and evidence can be picked from the one shown now.
            self.article_view.scroll_to = Some(0);
        }
    }

    /// The next or previous document that passes the list filter.
    fn visible_neighbour(&self, forward: bool) -> Option<usize> {
        let visible = super::document_list::visible_indices(self);
        let position = visible.iter().position(|i| *i == self.current);
        match (position, forward) {
            (Some(p), true) => visible.get(p + 1).copied(),
            (Some(p), false) => p.checked_sub(1).and_then(|p| visible.get(p).copied()),
            (None, _) => visible.first().copied(),
        }
    }

    /// The selected annotation, when it is an entity of the current document.
    fn selected_entity(&self) -> Option<&Entity> {
        match &self.selected {
            Some(AnnotationRef {
                kind: AnnotationKind::Entity,
                id,
            }) => self.document()?.entity(id),
            _ => None,
        }
    }

    /// Start offset of an annotation of the current document.
    pub fn annotation_start(&self, annotation: &AnnotationRef) -> Option<usize> {
        let doc = self.document()?;
        match annotation.kind {
            AnnotationKind::Entity => doc.entity(&annotation.id).map(|e| e.start),
            AnnotationKind::Claim => doc.claim(&annotation.id).map(|c| c.start),
            AnnotationKind::Relation => {
                let relation = doc.relation(&annotation.id)?;
                doc.entity(&relation.from)
                    .map(|e| e.start)
                    .or_else(|| doc.claim(&relation.from).map(|c| c.start))
            }
        }
    }

    /// The snapped selection, as the span an annotation would get.
    pub fn annotation_span(&self) -> Option<(usize, usize, CompactString)> {
        let (start, end) = self.selection_range()?;
        let doc = self.document()?;
        let (start, end) = span::snap_selection(&doc.text, start, end, false)?;
        doc.span(start, end)
    }

    fn tag_entity(&mut self, label: &str) {
        use crate::edit::ops::{self, Tagging};
        let Some(doc) = self.document() else { return };
        if let Some((start, end, text)) = self.annotation_span() {
            match ops::tag_span(doc, start, end, text.clone(), label) {
                Tagging::Exists { id } => {
                    self.notify(format!("{text:?} is already tagged {label}"));
                    self.selected = Some(AnnotationRef {
                        kind: AnnotationKind::Entity,
                        id,
                    });
                }
                Tagging::Insert { id, edit } => {
                    let edit = self.with_digit_decision(edit, start, end, label);
                    if self.apply(edit) {
                        self.selection = None;
                        self.selected = Some(AnnotationRef {
                            kind: AnnotationKind::Entity,
                            id,
                        });
                    }
                }
            }
        } else if let Some(AnnotationRef {
            kind: AnnotationKind::Entity,
            id,
        }) = &self.selected
        {
            match ops::retype_entity(doc, id, label) {
                Ok(Some(edit)) => {
                    self.apply(edit);
                }
                Ok(None) => {}
                Err(e) => self.notify(format!("not done: {e}")),
            }
        } else {
            self.notify("select some text first");
        }
    }

    fn make_claim(&mut self) {
        let Some(doc) = self.document() else { return };
        let Some((start, end, text)) = self.annotation_span() else {
            self.notify("select the claim's text first");
            return;
        };
        let doc_id = doc.id.clone();
        let (edit, claim) =
            crate::edit::ops::insert_claim(doc, &self.session.project().schema, start, end, text);
        let id = claim.id.clone();
        if self.apply(edit) {
            self.selection = None;
            self.selected = Some(AnnotationRef {
                kind: AnnotationKind::Claim,
                id: id.to_string(),
            });
            self.claim_editor = Some(ClaimEditor::new(doc_id, claim));
        }
    }

    fn edit_selected_claim(&mut self) {
        let Some(doc) = self.document() else { return };
        if let Some(AnnotationRef {
            kind: AnnotationKind::Claim,
            id,
        }) = &self.selected
            && let Some(claim) = doc.claim(id)
        {
            self.claim_editor = Some(ClaimEditor::new(doc.id.clone(), claim.clone()));
        }
    }

    /// Deletes the selected annotation, with whatever points at it (relations,
    /// claimant links), as one undoable step.
    fn delete_selected(&mut self) {
        let (Some(doc), Some(selected)) = (self.document(), self.selected.clone()) else {
            return;
        };
        match crate::edit::ops::delete_annotation(doc, selected.kind, &selected.id) {
            Ok(edit) => {
                if self.apply(edit) {
                    self.selected = None;
                    self.claim_editor = None;
                }
            }
            Err(e) => self.notify(format!("not done: {e}")),
        }
    }

    /// Installs what an annotate-all job worked out as one undoable step.
    /// When the project changed while the job ran (an edit, undo or redo),
    /// the result is not applied on top of a state it was not worked out
    /// for: the job runs again from the current state, up to
    /// [`super::annotate_all::ATTEMPTS`] times, then the user is told.
    fn on_annotated_all(&mut self, annotated: super::annotate_all::Annotated, same_session: bool) {
        let super::annotate_all::Annotated {
            text,
            label,
            attempt,
            result,
            cancelled,
        } = annotated;
        if cancelled {
            self.notify(format!(
                "annotate all {text:?}: cancelled; nothing was tagged"
            ));
            return;
        }
        if !same_session {
            self.notify(format!(
                "annotate all {text:?} finished for a project that is no longer open; nothing was tagged"
            ));
            return;
        }
        match result {
            Ok(None) => self.notify(format!("no untagged occurrence of {text:?} to tag")),
            Ok(Some((prepared, count))) => match self.session.apply_prepared(prepared) {
                Ok(()) => self.notify(format!(
                    "tagged {} of {text:?} as {label} (one undo step)",
                    crate::model::plural(count, "mention")
                )),
                Err(crate::edit::EditError::Stale) if attempt < super::annotate_all::ATTEMPTS => {
                    self.notify(format!(
                        "the project changed while tagging {text:?}; working it out again"
                    ));
                    super::annotate_all::start(self, text, label, attempt + 1);
                }
                Err(crate::edit::EditError::Stale) => self.notify(format!(
                    "the project kept changing while tagging {text:?}; nothing was tagged, try again"
                )),
                Err(e) => self.notify(format!("not done: {e}")),
            },
            Err(e) => self.notify(format!("not done: {e}")),
        }
    }

    /// Moves the selected entity's or claim's boundaries by whole words.
    fn move_boundary(&mut self, start_delta: i32, end_delta: i32) {
        let (Some(doc), Some(selected)) = (self.document(), self.selected.clone()) else {
            return;
        };
        match crate::edit::ops::move_boundary(
            doc,
            selected.kind,
            &selected.id,
            start_delta,
            end_delta,
        ) {
            Ok(edit) => {
                self.apply(edit);
            }
            Err(e) => self.notify(e.to_string()),
        }
    }

    fn open_annotate_all(&mut self) {
        let text = match self.annotation_span() {
            Some((_, _, text)) => text.to_string(),
            None => match self.selected_entity() {
                Some(entity) => entity.text.to_string(),
                None => self.find.query.clone(),
            },
        };
        let label = self
            .selected_entity()
            .map(|e| e.label.to_string())
            .or_else(|| {
                self.session
                    .project()
                    .schema
                    .entity_types
                    .first()
                    .map(|t| t.key.clone())
            })
            .unwrap_or_default();
        self.dialogs.open_annotate_all(text, label);
    }

    /// Selects the next (or previous) annotation in text order.
    fn cycle_annotation(&mut self, forward: bool) {
        let Some(doc) = self.document() else { return };
        let mut all: Vec<(usize, usize, AnnotationRef)> = doc
            .entities
            .iter()
            .map(|e| {
                (
                    e.start,
                    e.end,
                    AnnotationRef {
                        kind: AnnotationKind::Entity,
                        id: e.id.to_string(),
                    },
                )
            })
            .chain(doc.claims.iter().map(|c| {
                (
                    c.start,
                    c.end,
                    AnnotationRef {
                        kind: AnnotationKind::Claim,
                        id: c.id.to_string(),
                    },
                )
            }))
            .collect();
        if all.is_empty() {
            return;
        }
        all.sort_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
        let position = self
            .selected
            .as_ref()
            .and_then(|sel| all.iter().position(|(_, _, a)| a == sel));
        let next = match (position, forward) {
            (Some(p), true) => (p + 1) % all.len(),
            (Some(p), false) => (p + all.len() - 1) % all.len(),
            (None, true) => 0,
            (None, false) => all.len() - 1,
        };
        if let Some((_, _, annotation)) = all.get(next).cloned() {
            self.act(Action::SelectAnnotation(annotation));
        }
    }
}

/// Single-key annotation commands, read only while no text field has focus.
pub fn read_annotation_keys(app: &mut GlossApp, ctx: &egui::Context) {
    // Single-key commands come from the command table, like the menus.
    let text_commands: Vec<(egui::KeyboardShortcut, Action)> =
        super::command_table::shared_table(&app.session.project().schema)
            .iter()
            .filter(|c| {
                c.scope
                    == if app.adjudication.as_ref().is_some_and(|a| !a.editing) {
                        super::command_table::Scope::Adjudicate
                    } else if app.review_mode {
                        super::command_table::Scope::Review
                    } else {
                        super::command_table::Scope::Text
                    }
            })
            .flat_map(|c| c.keys.iter().map(move |k| (*k, c.action.clone())))
            .collect();
    let mut actions: Vec<Action> = ctx.input_mut(|i| {
        text_commands
            .iter()
            .filter(|(shortcut, _)| super::command_table::consume_exact(i, shortcut))
            .map(|(_, action)| action.clone())
            .collect()
    });
    let mut selection_moves = Vec::new();
    ctx.input(|i| {
        let pressed = |key| i.key_pressed(key);
        if pressed(Key::Escape) {
            actions.push(Action::Escape);
        }
        // Each key event's own modifiers, not the frame's: a quick
        // Shift+→ (pressed and released within one frame, as a fast typist
        // or a second tap does) has no Shift left by the frame's end.
        for event in &i.events {
            let egui::Event::Key {
                key: key @ (Key::ArrowLeft | Key::ArrowRight),
                pressed: true,
                modifiers,
                ..
            } = event
            else {
                continue;
            };
            // Ctrl+Shift arrives with both `ctrl` and `command` set on Linux
            // and Windows (`mac_cmd` and `command` on a Mac).
            let by_word = modifiers.shift && modifiers.command && !modifiers.alt;
            if modifiers.shift_only() || by_word {
                selection_moves.push((*key == Key::ArrowRight, by_word));
            }
        }
        for event in &i.events {
            if let egui::Event::Text(text) = event
                && text == "?"
            {
                actions.push(Action::Help);
            }
        }
    });
    let tab = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Tab));
    let shift_tab = ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, Key::Tab));
    if tab || shift_tab {
        // Tab walks the annotations here: keep egui from also moving keyboard
        // focus to a widget, which would swallow every later annotation key.
        ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
    }
    if tab {
        app.cycle_annotation(true);
    }
    if shift_tab {
        app.cycle_annotation(false);
    }
    for (forward, by_word) in selection_moves {
        extend_selection(app, forward, by_word);
    }
    for action in actions {
        app.act(action);
    }
}

/// Shift+arrows: grows or shrinks the selection's head by a character (or a
/// word with Ctrl), starting from the selected annotation or the last click.
fn extend_selection(app: &mut GlossApp, forward: bool, by_word: bool) {
    let Some(doc) = app.document() else { return };
    let len = doc.text.chars().count();
    let (anchor, head) = match (app.selection, &app.selected) {
        (Some(selection), _) => selection,
        (None, Some(selected)) => match app.annotation_start(selected) {
            Some(start) => (start, start),
            None => return,
        },
        (None, None) => (0, 0),
    };
    // The arrows move the way they point: in right-to-left text ← goes forward.
    let forward = forward != app.article_view.rtl_at(&doc.text, head);
    let head = if by_word {
        span::next_word_boundary(&doc.text, head, forward)
    } else if forward {
        (head + 1).min(len)
    } else {
        head.saturating_sub(1)
    };
    app.selection = Some((anchor, head));
    app.selected = None;
}

/// Comparison and adjudication: the handlers that start jobs and apply
/// edits (the panels, `compare.rs` and `adjudication.rs`, push actions).
impl GlossApp {
    /// Loads `path` and works out the figures in the background.
    pub(crate) fn start_comparison(&mut self, path: PathBuf) {
        let project = self.session.project().clone();
        let origin = self.job_origin();
        let name = super::compare::file_name(&path);
        self.jobs
            .spawn(format!("comparing with {name}"), 0, origin, move |_| {
                let result = crate::store::load(&path)
                    .map_err(|e| e.lines().join("; "))
                    .map(|other| super::compare::compare(&project, Arc::new(other), path));
                JobOutput::Compared(result.map(Box::new))
            });
    }

    /// Works the figures out again for the project as it is now.
    pub(crate) fn recompare(&mut self) {
        let Some(comparison) = &self.compare else {
            return;
        };
        let project = self.session.project().clone();
        let other = Arc::clone(&comparison.other);
        let path = comparison.path.clone();
        let origin = self.job_origin();
        self.jobs.spawn(
            format!("comparing with {}", comparison.name),
            0,
            origin,
            move |_| {
                JobOutput::Compared(Ok(Box::new(super::compare::compare(&project, other, path))))
            },
        );
    }

    /// Settles the record shown as `choice`: one undoable edit.
    pub(crate) fn settle_shown(
        &mut self,
        choice: crate::review::adjudicate::Choice,
        then_edit: bool,
    ) {
        let Some(at) = self.shown_conflict() else {
            self.notify("nothing left to settle");
            return;
        };
        let kept = crate::review::adjudicate::find(self.session.project(), &at)
            .map(|c| crate::review::adjudicate::kept(c, choice))
            .unwrap_or_default();
        let edit = match crate::review::adjudicate::settle(self.session.project(), &at, choice) {
            Ok(edit) => edit,
            Err(e) => {
                self.notify(format!("not done: {e}"));
                return;
            }
        };
        // The reviewer decides between versions; who made them stays.
        if !self.apply_as_is(edit) {
            return;
        }
        let left = self.session.project().conflict_count();
        if then_edit && let Some(id) = kept.first() {
            let kind = self.document().and_then(|d| {
                if d.entity(id).is_some() {
                    Some(AnnotationKind::Entity)
                } else if d.claim(id).is_some() {
                    Some(AnnotationKind::Claim)
                } else if d.relation(id).is_some() {
                    Some(AnnotationKind::Relation)
                } else {
                    None
                }
            });
            if let Some(kind) = kind {
                self.act(Action::SelectAnnotation(AnnotationRef {
                    kind,
                    id: id.clone(),
                }));
                if kind == AnnotationKind::Claim {
                    self.act(Action::EditClaim);
                }
            }
            if let Some(a) = &mut self.adjudication {
                a.editing = true;
            }
            self.notify(format!(
                "kept it: change it as usual, then Ctrl+Shift+J to go on ({left} left)"
            ));
        } else {
            self.notify(format!("settled ({left} left; Ctrl+Z undoes)"));
        }
    }
}

/// The first few of `lines`, then how many more `what` there are: the status
/// bar shows one message, and a batch can skip thousands of articles.
fn first_few(lines: &[String], what: &str) -> Vec<String> {
    const SHOWN: usize = 3;
    let mut out: Vec<String> = lines.iter().take(SHOWN).cloned().collect();
    if lines.len() > SHOWN {
        out.push(format!("{} more {what}", lines.len() - SHOWN));
    }
    out
}
