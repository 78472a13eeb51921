//! Review mode: accepting, rejecting and discussing annotations, walking
//! the unreviewed ones, and linking annotations.

use std::path::PathBuf;
use std::sync::Arc;

use crate::edit::Edit;

use crate::ui::actions::Action;
use crate::ui::app::{AnnotationKind, AnnotationRef, GlossApp};
use crate::ui::jobs::JobOutput;

impl GlossApp {
    /// The selected entity or claim, as the review operations name it.
    pub(super) fn reviewed_selection(&self) -> Option<crate::review::mode::Reviewed> {
        use crate::review::mode::Reviewed;
        let selected = self.selected.as_ref()?;
        match selected.kind {
            AnnotationKind::Entity => Some(Reviewed::Entity(selected.id.clone())),
            AnnotationKind::Claim => Some(Reviewed::Claim(selected.id.clone())),
            AnnotationKind::Relation => None,
        }
    }

    /// A, R, D in review mode: one undoable edit, then the next unreviewed.
    pub(super) fn review_selected(&mut self, review: crate::model::Review) {
        let Some(target) = self.reviewed_selection() else {
            self.notify("select an entity or claim to review (J: the next unreviewed)");
            return;
        };
        let Some(doc) = self.document() else { return };
        if review == crate::model::Review::Discuss {
            // D asks for an optional comment first (src/ui/dialogs.rs).
            self.dialogs.prompt = crate::ui::dialogs::Prompt::ReviewComment {
                doc: doc.id.clone(),
                target,
                text: String::new(),
            };
            return;
        }
        if let Some(edit) = crate::review::mode::set_review(doc, &target, review) {
            self.apply_reviewed(edit);
        }
        self.go_to_unreviewed(true);
    }

    /// Marks `target` "needs discussion" with an optional comment (one
    /// undoable edit), then moves to the next unreviewed annotation.
    pub(super) fn discuss(
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
            self.apply_reviewed(edit);
        }
        self.go_to_unreviewed(true);
    }

    /// J/K in review mode: select the next or previous unreviewed annotation.
    pub(super) fn go_to_unreviewed(&mut self, forward: bool) {
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
    pub(super) fn link(&mut self) {
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
}

/// Comparison and adjudication: the handlers that start jobs and apply
/// edits (the panels, `compare.rs` and `adjudication.rs`, push actions).
impl GlossApp {
    /// Loads `path` and works out the figures in the background.
    pub(crate) fn start_comparison(&mut self, path: PathBuf) {
        let project = self.session.project().clone();
        let origin = self.job_origin();
        let name = crate::ui::compare::file_name(&path);
        self.jobs
            .spawn(format!("comparing with {name}"), 0, origin, move |_| {
                let result = crate::store::load(&path)
                    .map_err(|e| e.lines().join("; "))
                    .map(|other| crate::ui::compare::compare(&project, Arc::new(other), path));
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
                JobOutput::Compared(Ok(Box::new(crate::ui::compare::compare(
                    &project, other, path,
                ))))
            },
        );
    }

    /// Adjudicate the comparison: asks about unsaved changes first, since
    /// the curated project replaces this one in the window (the file stays
    /// as it is).
    pub(crate) fn adjudicate_comparison(&mut self) {
        if self.compare.is_none() {
            self.notify("compare with another annotator's project first (File → Compare with…)");
            return;
        }
        self.guard_unsaved(crate::ui::unsaved::AfterSave::CurateComparison);
    }

    /// Merges this project as saved (unsaved changes were saved or
    /// discarded) with the compared one, as `gloss merge` does, into a new
    /// project with no file: one undoable step, unsaved, so closing it asks.
    /// The versions are named after the two files; the walk starts.
    pub(crate) fn curate_comparison(&mut self) {
        let Some(comparison) = &self.compare else {
            return;
        };
        let first = self.session.path.as_deref().map_or_else(
            || self.session.project().name.clone(),
            crate::ui::compare::file_name,
        );
        let mut second = comparison.name.clone();
        if second == first {
            second = format!("{second} (compared)");
        }
        // Merging 2,000 documents takes over a second: a worker does it
        // while frames go on.
        let saved = self.session.on_disk().clone();
        let other = Arc::clone(&comparison.other);
        let origin = self.job_origin();
        self.jobs.spawn(
            format!("curating {first} and {second}"),
            0,
            origin,
            move |_| {
                let (merged, report) = crate::review::merge::merge_named(
                    &saved,
                    &other,
                    crate::review::merge::Sides {
                        first: &first,
                        second: &second,
                    },
                );
                JobOutput::Curated(Box::new(crate::ui::jobs::Curated {
                    project: merged,
                    report,
                    first,
                    second,
                }))
            },
        );
    }

    /// The curated project is merged: it replaces the project in the window,
    /// unless that project changed while the worker merged (then nothing
    /// happens but a message: the user's edits are not dropped).
    pub(crate) fn on_curated(
        &mut self,
        changed_meanwhile: bool,
        curated: crate::ui::jobs::Curated,
    ) {
        let crate::ui::jobs::Curated {
            project,
            report,
            first,
            second,
        } = curated;
        if changed_meanwhile {
            self.notify(format!(
                "curating {first} and {second}: not done, the project changed meanwhile; ask again"
            ));
            return;
        }
        let mut session = crate::workspace::Session::new(
            crate::model::Project::new(crate::model::Project::UNTITLED),
            None,
        );
        if let Err(e) = session.restore(project, &format!("curate {first} and {second}")) {
            self.notify(format!("not done: {e}"));
            return;
        }
        self.compare = None;
        self.replace_session(session);
        self.adjudication = Some(crate::ui::adjudication::Adjudication::default());
        self.notify(format!(
            "curated {first} and {second}: {} matched, {} agreed, {} to settle; Save As to keep it",
            crate::model::plural(report.matched, "document"),
            crate::model::plural(report.agreed, "annotation"),
            crate::model::plural(report.remaining, "disagreement"),
        ));
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
        // The reviewer decides between versions and is stamped on what is
        // kept (accepted); who made them stays.
        if !self.apply_reviewed(edit) {
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
