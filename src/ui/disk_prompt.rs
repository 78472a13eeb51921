//! The question asked when the project file changed on disk while this
//! window had unsaved changes: Merge (three-way, conflicts to the
//! adjudication walk), Keep mine (after a confirmation naming what the file
//! would lose) or Reload (after a confirmation). Nothing is written over
//! the file until the user chose.

use egui::{Id, Modal, RichText};

use super::app::GlossApp;
use super::dialogs::Prompt;
use super::disk_sync::{ChangedOnDisk, DiskChoice, lost_by_keeping_mine};

/// Shows the question; returns the prompt for the next frame.
pub fn show(app: &mut GlossApp, ctx: &egui::Context, mut state: Box<ChangedOnDisk>) -> Prompt {
    let name = app.session.display_name();
    let mut chosen: Option<DiskChoice> = None;
    let mut cancel = false;
    let mut back = false;
    Modal::new(Id::unique("changed-on-disk")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(format!("{name} changed on disk"));
        match (&state.confirm, &state.theirs) {
            (None, Some(_)) => {
                ui.label(
                    "Another program (git, an editor, a terminal command) changed the project \
                     file while you had unsaved changes here. Gloss has not written over it.",
                );
                ui.label(
                    "Merge keeps both: annotations from either side are kept, and what both \
                     changed differently becomes a conflict to settle in the adjudication walk \
                     (Ctrl+Shift+J). Merging is one step you can undo.",
                );
                ui.horizontal(|ui| {
                    // Enter merges: the choice that loses nothing.
                    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if ui.button("Merge (Enter)").clicked() || enter {
                        chosen = Some(DiskChoice::Merge);
                    }
                    if ui.button("Keep mine…").clicked() {
                        state.confirm = Some(DiskChoice::KeepMine);
                        state.lost = state
                            .theirs
                            .as_deref()
                            .map(|theirs| lost_by_keeping_mine(app.session.project(), theirs));
                    }
                    if ui.button("Reload…").clicked() {
                        state.confirm = Some(DiskChoice::Reload);
                    }
                    if ui.button("Cancel").clicked() {
                        cancel = true;
                    }
                });
            }
            (None, None) => {
                ui.label(format!(
                    "The file on disk is no longer a project Gloss can read: {}",
                    state.problem.as_deref().unwrap_or("unknown problem")
                ));
                ui.label("Your work here is kept. Save As writes it to another file; Replace writes it over this one.");
                ui.horizontal(|ui| {
                    if ui.button("Save As…").clicked() {
                        cancel = true;
                        app.act(super::Action::SaveAs);
                    }
                    if ui.button("Replace the file…").clicked() {
                        state.confirm = Some(DiskChoice::KeepMine);
                    }
                    if ui.button("Cancel").clicked() {
                        cancel = true;
                    }
                });
            }
            (Some(DiskChoice::KeepMine), theirs) => {
                let what = match (theirs, state.lost) {
                    (Some(_), Some((documents, annotations))) => {
                        format!(
                            "The file on disk has {} and {} that this window does not have (or has otherwise). Writing your version over it loses them.",
                            crate::model::plural(documents, "document"),
                            crate::model::plural(annotations, "annotation")
                        )
                    }
                    _ => "The unreadable file on disk is replaced by your version.".to_owned(),
                };
                ui.label(RichText::new(what).strong());
                ui.horizontal(|ui| {
                    if ui.button("Replace the file on disk").clicked() {
                        chosen = Some(DiskChoice::KeepMine);
                    }
                    if ui.button("Back").clicked() {
                        back = true;
                    }
                });
            }
            (Some(DiskChoice::Reload), _) => {
                ui.label(
                    RichText::new(format!(
                        "Discard this window's unsaved changes ({}) and load the file from disk? Undo brings them back while this window is open.",
                        crate::model::plural(app.session.history.undo_len(), "step")
                    ))
                    .strong(),
                );
                ui.horizontal(|ui| {
                    if ui.button("Discard mine and reload").clicked() {
                        chosen = Some(DiskChoice::Reload);
                    }
                    if ui.button("Back").clicked() {
                        back = true;
                    }
                });
            }
            (Some(DiskChoice::Merge), _) => chosen = Some(DiskChoice::Merge),
        }
    });
    if back {
        state.confirm = None;
    }
    if cancel {
        app.notify(format!(
            "{name}: not saved; the file on disk is left as it is"
        ));
        return Prompt::None;
    }
    match chosen {
        Some(choice) => {
            app.resolve_disk_change(*state, choice);
            Prompt::None
        }
        None => Prompt::ChangedOnDisk(state),
    }
}

impl GlossApp {
    /// Carries out the user's choice about a file changed on disk, then the
    /// save that found it (Merge, Keep mine).
    pub(crate) fn resolve_disk_change(&mut self, state: ChangedOnDisk, choice: DiskChoice) {
        let name = self.session.display_name();
        let ChangedOnDisk {
            theirs,
            identity,
            save,
            ..
        } = state;
        self.disk_watch.unreadable = None;
        let shown = self
            .document()
            .map(|d| (d.id.clone(), d.content_hash.clone()));
        let save_after = match (choice, theirs) {
            (DiskChoice::Merge, Some(theirs)) => {
                match self.session.merge_from_disk(*theirs, identity) {
                    Ok(report) => {
                        self.keep_view(shown);
                        let conflicts = report.new_conflicts;
                        self.notify(if conflicts == 0 {
                            format!("merged the changes made to {name} on disk: no conflicts")
                        } else {
                            format!(
                                "merged the changes made to {name} on disk: {} to settle (Review → Adjudicate, Ctrl+Shift+J)",
                                crate::model::plural(conflicts, "conflict")
                            )
                        });
                        true
                    }
                    Err(e) => {
                        self.notify(format!("not merged: {e}"));
                        false
                    }
                }
            }
            (DiskChoice::KeepMine, theirs) => {
                let theirs = theirs.map_or_else(|| self.session.on_disk().clone(), |t| *t);
                self.session.overwrite_disk_version(theirs, identity);
                // "Replace the file on disk" is a save, asked for or not.
                if save.is_none() {
                    self.save_then(None, None);
                }
                true
            }
            (DiskChoice::Reload, Some(theirs)) => {
                self.reload_keeping_view(*theirs, identity, &name);
                false
            }
            (_, None) => false,
        };
        if save_after && let Some(save) = save {
            self.save_then(save.path.as_deref(), save.then);
        }
    }
}
