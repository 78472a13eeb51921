//! Modal prompts: unsaved changes, typed paths, crash recovery, "annotate all
//! occurrences", and dataset import/export.

use std::path::PathBuf;

use egui::{Id, Modal};

use crate::edit::Edit;
use crate::formats::Format;
use crate::model::Project;

use super::app::GlossApp;
use super::files::PickKind;

pub use super::unsaved::AfterSave;

/// The prompt shown, if any.
#[derive(Debug, Default)]
pub enum Prompt {
    /// Nothing.
    #[default]
    None,
    /// Save / Discard / Cancel before `then`.
    Unsaved(AfterSave),
    /// Type a path because no dialog is available (or by choice).
    Path { kind: PickKind, text: String },
    /// A recovery copy was found.
    Recovery {
        recovered: Box<crate::store::recovery::Recovered>,
        path: PathBuf,
    },
    /// Annotate every occurrence of a text.
    AnnotateAll {
        text: String,
        label: String,
        all_documents: bool,
    },
    /// Import or export a dataset.
    Dataset(DatasetForm),
    /// Who annotates: the name recorded on annotations (skippable).
    AnnotatorName { text: String },
    /// The optional comment of a "needs discussion" review (D).
    ReviewComment {
        doc: String,
        target: crate::review::mode::Reviewed,
        text: String,
    },
    /// The project file changed on disk while this window had unsaved
    /// changes, or just before a save: Merge, Keep mine or Reload.
    ChangedOnDisk(Box<super::disk_sync::ChangedOnDisk>),
    /// The project just loaded is open in another writer.
    Locked {
        project: Box<Project>,
        path: PathBuf,
        error: crate::store::LockError,
    },
}

/// The dataset import/export form.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetForm {
    /// Import (true) or export.
    pub import: bool,
    /// Format.
    pub format: Format,
    /// Source files/folder (import) or output path (export).
    pub path: String,
    /// Export only Done and Reviewed documents.
    pub finished_only: bool,
    /// Export annotations rejected in review too (left out by default).
    pub include_rejected: bool,
}

/// The app's modal state.
#[derive(Debug, Default)]
pub struct Dialogs {
    /// The prompt shown.
    pub prompt: Prompt,
    /// The format of the last dataset import and export run, offered again
    /// next time: a brat folder is not meant to get JSONL.
    last_dataset_format: [Option<Format>; 2],
}

impl Dialogs {
    /// Whether a prompt is shown.
    pub fn is_open(&self) -> bool {
        !matches!(self.prompt, Prompt::None)
    }

    /// Closes the prompt.
    pub fn close(&mut self) {
        self.prompt = Prompt::None;
    }

    /// Asks Save / Discard / Cancel.
    pub fn ask_unsaved(&mut self, then: AfterSave) {
        self.prompt = Prompt::Unsaved(then);
    }

    /// Asks for a typed path.
    pub fn ask_path(&mut self, kind: PickKind) {
        self.prompt = Prompt::Path {
            kind,
            text: String::new(),
        };
    }

    /// Offers a recovery copy.
    pub fn ask_recovery(&mut self, recovered: crate::store::recovery::Recovered, path: PathBuf) {
        self.prompt = Prompt::Recovery {
            recovered: Box::new(recovered),
            path,
        };
    }

    /// Asks for the annotator's name, prefilled with `current`.
    pub fn ask_name(&mut self, current: Option<String>) {
        self.prompt = Prompt::AnnotatorName {
            text: current.unwrap_or_default(),
        };
    }

    /// Asks whether to open a project another writer holds read-only.
    pub fn ask_locked(&mut self, project: Project, path: PathBuf, error: crate::store::LockError) {
        self.prompt = Prompt::Locked {
            project: Box::new(project),
            path,
            error,
        };
    }

    /// Opens "annotate all occurrences".
    pub fn open_annotate_all(&mut self, text: String, label: String) {
        self.prompt = Prompt::AnnotateAll {
            text,
            label,
            all_documents: false,
        };
    }

    /// Opens the dataset form.
    pub fn open_dataset(&mut self, import: bool) {
        let default = if import { Format::Brat } else { Format::Jsonl };
        let format = self.last_dataset_format[usize::from(import)].unwrap_or(default);
        self.prompt = Prompt::Dataset(DatasetForm {
            import,
            format,
            path: String::new(),
            finished_only: false,
            include_rejected: false,
        });
    }

    /// Fills the dataset form's path from a dialog.
    pub fn dataset_paths(&mut self, paths: Vec<PathBuf>) {
        if let Prompt::Dataset(form) = &mut self.prompt {
            form.path = paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(";");
        }
    }
}

/// The annotate-all edit for the current document or all of them.
pub fn annotate_all_edit(
    app: &GlossApp,
    text: &str,
    label: &str,
    all_documents: bool,
) -> (Option<Edit>, usize) {
    let project = app.session.project();
    let documents: Vec<&crate::model::Document> = if all_documents {
        project.documents.iter().map(|d| &**d).collect()
    } else {
        app.document().into_iter().collect()
    };
    crate::edit::ops::annotate_all(&documents, text, label)
}

impl GlossApp {
    /// Escape on a prompt: its Cancel, whatever the prompt. Nothing the user
    /// made is dropped: a recovery copy stays for the next start.
    pub fn cancel_prompt(&mut self) {
        match std::mem::take(&mut self.dialogs.prompt) {
            Prompt::None => {}
            Prompt::Unsaved(_)
            | Prompt::Path {
                kind: PickKind::SaveProject,
                ..
            } => self.after_save = None,
            Prompt::Recovery { .. } => {
                self.notify("the recovery copy is kept; it is offered again next time")
            }
            Prompt::Locked { path, .. } => self.notify(format!("{}: not opened", path.display())),
            Prompt::ChangedOnDisk(_) => self.notify(format!(
                "{}: not saved; the file on disk is left as it is",
                self.session.display_name()
            )),
            Prompt::AnnotatorName { .. } => app_skip_name(self),
            // Escape skips the comment, not the review.
            Prompt::ReviewComment { doc, target, .. } => {
                self.act(super::actions::Action::Discuss {
                    doc,
                    target,
                    comment: None,
                });
            }
            Prompt::AnnotateAll { .. } => self.annotate_all_preview.clear(),
            Prompt::Path { .. } | Prompt::Dataset(_) => {}
        }
    }
}

/// Draws the prompt, if any, and acts on its buttons.
pub fn show(app: &mut GlossApp, ctx: &egui::Context) {
    let prompt = std::mem::take(&mut app.dialogs.prompt);
    app.dialogs.prompt = match prompt {
        Prompt::None => Prompt::None,
        Prompt::Unsaved(then) => super::unsaved::prompt(app, ctx, then),
        Prompt::Path { kind, text } => path(app, ctx, kind, text),
        Prompt::Recovery { recovered, path } => recovery(app, ctx, recovered, path),
        Prompt::ChangedOnDisk(state) => super::disk_prompt::show(app, ctx, state),
        Prompt::AnnotateAll {
            text,
            label,
            all_documents,
        } => annotate_all(app, ctx, text, label, all_documents),
        Prompt::Dataset(form) => dataset(app, ctx, form),
        Prompt::AnnotatorName { text } => annotator_name(app, ctx, text),
        Prompt::ReviewComment { doc, target, text } => review_comment(app, ctx, doc, target, text),
        Prompt::Locked {
            project,
            path,
            error,
        } => locked(app, ctx, project, path, error),
    };
}

/// Skipping the name question is an answer too: it is not asked again.
fn app_skip_name(app: &mut GlossApp) {
    app.prefs.asked_name = true;
    if let Err(e) = app.prefs.save(&app.data_dir) {
        app.notify(format!("preferences not saved: {e}"));
    }
}

fn annotator_name(app: &mut GlossApp, ctx: &egui::Context, mut text: String) -> Prompt {
    let mut done = None;
    Modal::new(Id::unique("annotator-name")).show(ctx, |ui| {
        ui.heading("Who is annotating?");
        ui.label("Your name is recorded on every annotation you make or change, so a team can see who did what. You can skip this and set it later in Edit → Your name.");
        let name = ui.label("Your name:");
        let field = ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(260.0))
            .labelled_by(name.id);
        field.request_focus();
        let enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() || enter {
                done = Some(true);
            }
            if ui.button("Skip").clicked() {
                done = Some(false);
            }
        });
    });
    match done {
        Some(save) => {
            let name = text.trim();
            if save && !name.is_empty() {
                app.prefs.annotator = Some(name.to_owned());
                app.notify(format!("annotations you make are recorded as {name:?}"));
            }
            app_skip_name(app);
            Prompt::None
        }
        None => Prompt::AnnotatorName { text },
    }
}

/// D in review mode: a one-line comment; Enter confirms, Escape skips it.
fn review_comment(
    app: &mut GlossApp,
    ctx: &egui::Context,
    doc: String,
    target: crate::review::mode::Reviewed,
    mut text: String,
) -> Prompt {
    let mut done = false;
    Modal::new(Id::unique("review-comment")).show(ctx, |ui| {
        ui.heading("Needs discussion");
        let name = ui.label("Comment (optional; Escape skips):");
        ui.add(egui::TextEdit::singleline(&mut text).desired_width(420.0))
            .labelled_by(name.id)
            .request_focus();
        let enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
        done = ui.button("OK").clicked() || enter;
    });
    if done {
        app.act(super::actions::Action::Discuss {
            doc,
            target,
            comment: Some(text),
        });
        Prompt::None
    } else {
        Prompt::ReviewComment { doc, target, text }
    }
}

fn locked(
    app: &mut GlossApp,
    ctx: &egui::Context,
    project: Box<Project>,
    path: PathBuf,
    error: crate::store::LockError,
) -> Prompt {
    let mut choice = None;
    Modal::new(Id::unique("locked")).show(ctx, |ui| {
        ui.heading("Project open elsewhere");
        ui.label(error.to_string());
        ui.label("Open it read-only? You can still save your changes under another name.");
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Open read-only").clicked() {
                choice = Some(true);
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                choice = Some(false);
            }
        });
    });
    match choice {
        Some(true) => {
            app.open_loaded(*project, path, Err(error));
            Prompt::None
        }
        Some(false) => {
            app.notify(format!("{}: not opened", path.display()));
            Prompt::None
        }
        None => Prompt::Locked {
            project,
            path,
            error,
        },
    }
}

fn path(app: &mut GlossApp, ctx: &egui::Context, kind: PickKind, mut text: String) -> Prompt {
    let mut done = None;
    Modal::new(Id::unique("type-path")).show(ctx, |ui| {
        let what = match kind {
            PickKind::OpenProject => "Open project",
            PickKind::SaveProject => "Save project as",
            PickKind::ImportArticles => "Import articles (separate several paths with ;)",
            PickKind::ImportDataset => "Import dataset (files or a brat folder; separate with ;)",
            PickKind::ExportDataset => "Export to",
            PickKind::CompareProject => "Compare with project",
        };
        ui.heading(what);
        let edit = ui.horizontal(|ui| {
            let name = ui.label("Path:");
            ui.add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text("/path/to/file")
                    .desired_width(420.0),
            )
            .labelled_by(name.id)
        });
        let edit = edit.inner;
        edit.request_focus();
        // The field is the only input of this prompt: Enter confirms it
        // whether or not the field still reports focus this frame.
        let enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
        ui.horizontal(|ui| {
            if ui.button("OK").clicked() || enter {
                done = Some(true);
            }
            if ui.button("Cancel").clicked() {
                done = Some(false);
            }
        });
    });
    match done {
        Some(true) => {
            let paths: Vec<PathBuf> = text
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .collect();
            app.on_paths(kind, paths);
            if matches!(kind, PickKind::ImportDataset | PickKind::ExportDataset) {
                // The dataset form stays open with the path filled in.
                return std::mem::take(&mut app.dialogs.prompt);
            }
            std::mem::take(&mut app.dialogs.prompt)
        }
        Some(false) => Prompt::None,
        None => Prompt::Path { kind, text },
    }
}

fn recovery(
    app: &mut GlossApp,
    ctx: &egui::Context,
    recovered: Box<crate::store::recovery::Recovered>,
    path: PathBuf,
) -> Prompt {
    let mut choice = None;
    let changed = app.changed_since_journal(&recovered);
    Modal::new(Id::unique("recovery")).show(ctx, |ui| {
        ui.heading("Restore unsaved work?");
        ui.label(format!(
            "Gloss found changes to {} that were not saved (the app did not close normally).",
            app.session.display_name()
        ));
        let project = &recovered.project;
        ui.label(format!(
            "{}, {}.",
            crate::model::plural(project.documents.len(), "document"),
            crate::model::plural(project.annotation_count(), "annotation")
        ));
        if changed {
            let on_disk = app.session.project();
            ui.label(egui::RichText::new(format!(
                "The file was saved again after these changes were made (it now has {} and {}). Restoring merges your unsaved work with it: nothing saved since is lost, and where both differ you settle it in the adjudication walk.",
                crate::model::plural(on_disk.documents.len(), "document"),
                crate::model::plural(on_disk.annotation_count(), "annotation")
            )).strong());
        }
        ui.horizontal(|ui| {
            let restore = if changed { "Restore and merge" } else { "Restore" };
            if ui.button(restore).clicked() {
                choice = Some(true);
            }
            if ui.button("Discard").clicked() {
                choice = Some(false);
            }
        });
    });
    match choice {
        Some(true) => {
            app.restore(*recovered);
            Prompt::None
        }
        Some(false) => {
            crate::store::recovery::remove(&path);
            Prompt::None
        }
        None => Prompt::Recovery { recovered, path },
    }
}

fn annotate_all(
    app: &mut GlossApp,
    ctx: &egui::Context,
    mut text: String,
    mut label: String,
    mut all: bool,
) -> Prompt {
    let mut done = None;
    Modal::new(Id::unique("annotate-all")).show(ctx, |ui| {
        ui.heading("Annotate all occurrences");
        ui.horizontal(|ui| {
            let name = ui.label("Text:");
            ui.add(egui::TextEdit::singleline(&mut text).desired_width(260.0))
                .labelled_by(name.id);
        });
        ui.horizontal(|ui| {
            let name = ui.label("Type:");
            super::theme::entity_type_combo(
                ui,
                "annotate-all-type",
                &mut label,
                &app.session.project().schema,
            )
            .labelled_by(name.id);
        });
        ui.horizontal(|ui| {
            ui.radio_value(&mut all, false, "This document");
            ui.radio_value(&mut all, true, "All documents");
        });
        // The preview is counted only when the form or the project changes,
        // not on every frame: across all documents it reads every text.
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (&text, &label, all, app.current, app.project_version()).hash(&mut hasher);
            hasher.finish()
        };
        let count = if all {
            // Across the project on a worker: each document's text is read.
            match app
                .annotate_all_preview
                .count(key, app.session.project(), &text, &label)
            {
                super::annotate_all::Count::Done(count) => count,
                super::annotate_all::Count::Counting(done, total) => {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(50));
                    ui.label(format!("Counting… {done} of {total} documents"));
                    0
                }
            }
        } else {
            let cache_id = Id::unique("annotate-all-preview");
            let cached = ui.ctx().data(|d| d.get_temp::<(u64, usize)>(cache_id));
            match cached {
                Some((cached_key, count)) if cached_key == key => count,
                _ => {
                    let (_, count) = annotate_all_edit(app, &text, &label, all);
                    ui.ctx().data_mut(|d| d.insert_temp(cache_id, (key, count)));
                    count
                }
            }
        };
        if !all || app.annotate_all_preview.is_done() {
            ui.label(format!(
                "{} will be tagged {label}.",
                crate::model::plural(count, "new mention")
            ));
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(count > 0, egui::Button::new("Annotate all"))
                .clicked()
            {
                done = Some(true);
            }
            if ui.button("Cancel").clicked() {
                done = Some(false);
            }
        });
    });
    if done.is_some() {
        app.annotate_all_preview.clear();
    }
    match done {
        Some(true) => {
            app.act(super::Action::AnnotateAllConfirmed {
                text,
                label,
                all_documents: all,
            });
            Prompt::None
        }
        Some(false) => Prompt::None,
        None => Prompt::AnnotateAll {
            text,
            label,
            all_documents: all,
        },
    }
}

fn dataset(app: &mut GlossApp, ctx: &egui::Context, mut form: DatasetForm) -> Prompt {
    let mut done = None;
    Modal::new(Id::unique("dataset")).show(ctx, |ui| {
        ui.heading(if form.import {
            "Import dataset"
        } else {
            "Export dataset"
        });
        // The formats as radio buttons, not a drop-down: a drop-down's list
        // is a popup layer that could open behind this modal.
        ui.horizontal_wrapped(|ui| {
            ui.label("Format:");
            for format in Format::ALL
                .into_iter()
                .filter(|f| !form.import || f.can_import())
            {
                ui.radio_value(&mut form.format, format, format.name());
            }
        });
        ui.horizontal(|ui| {
            let name = ui.label(if form.import { "From:" } else { "To:" });
            ui.add(egui::TextEdit::singleline(&mut form.path).desired_width(320.0))
                .labelled_by(name.id);
            if ui.button("Browse…").clicked() {
                let kind = if form.import {
                    PickKind::ImportDataset
                } else {
                    PickKind::ExportDataset
                };
                app.files.pick(kind, "");
            }
        });
        if !form.import {
            ui.checkbox(
                &mut form.finished_only,
                "Only documents marked Done or Reviewed",
            );
            ui.checkbox(
                &mut form.include_rejected,
                super::dataset_job::KEEP_REJECTED,
            );
        }
        ui.horizontal(|ui| {
            let ready = !form.path.trim().is_empty();
            let verb = if form.import { "Import" } else { "Export" };
            if ui.add_enabled(ready, egui::Button::new(verb)).clicked() {
                done = Some(true);
            }
            if ui.button("Cancel").clicked() {
                done = Some(false);
            }
        });
    });
    match done {
        Some(true) => {
            app.dialogs.last_dataset_format[usize::from(form.import)] = Some(form.format);
            app.act(super::Action::RunDataset(Box::new(form)));
            Prompt::None
        }
        Some(false) => Prompt::None,
        None => Prompt::Dataset(form),
    }
}
