//! Where actions are handled: every change to the project goes through
//! `self.session.apply` (the edit layer), so undo, dirty state and autosave
//! see it. One file per concern: dispatch and the apply path here, then
//! saving, opening and sessions, review and comparison, editing and
//! navigation, and the keys read outside text fields.

use crate::edit::Edit;

use super::actions::Action;
use super::app::{AnnotationKind, AnnotationRef, GlossApp, SidePane};
use super::dialogs::AfterSave;
use super::files::PickKind;

mod editing;
mod keys;
mod open;
mod review;
mod save;

pub use keys::read_annotation_keys;
pub use open::load_recent;

impl GlossApp {
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
            Action::AdjudicateComparison => self.adjudicate_comparison(),
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

    /// Applies a review or an adjudication: what it gives a review state
    /// carries this user as its reviewer, and the time; who made it stays.
    pub fn apply_reviewed(&mut self, mut edit: Edit) -> bool {
        let name = self.prefs.annotator.clone();
        crate::edit::ops::stamp_review(&mut edit, name.as_deref(), &crate::edit::now());
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
}
