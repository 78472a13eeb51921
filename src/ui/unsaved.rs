//! The unsaved-changes state machine, in one place.
//!
//! Anything that would replace or close the open project (New, Open, open a
//! dropped file, Quit, the window's close button) asks [`GlossApp::guard_unsaved`]
//! first. The states:
//!
//! - **clean**: carry on at once;
//! - **dirty** → the Save / Discard / Cancel prompt (`Prompt::Unsaved(then)`):
//!   - *Save* with a file to save to: start the save (written off the UI
//!     thread, `saving.rs`) with `then` waiting for it; once written, carry
//!     on (asking again if there were edits meanwhile); on failure ask
//!     again (the error is in the status bar);
//!   - *Save* without one (never saved, or read-only): ask for a file and
//!     remember `then` in `after_save`; a Save As carries it along
//!     ([`GlossApp::saved_as`]), a cancelled one drops `then` (`on_paths`,
//!     `cancel_prompt`);
//! - **a save in flight** with no edits since its snapshot: `then` waits for
//!   that save instead of asking; the window's close button waits for it too.
//!   - *Discard*: carry on; the changes go only when the project is really
//!     replaced or the window closes, so a cancelled Open dialog or a file
//!     that fails to load leaves them, still unsaved;
//!   - *Cancel* / Escape: nothing happens.
//!
//! [`GlossApp::reset_workspace`] is the one reset of everything tied to the
//! project shown, used both when another project replaces it and when a
//! recovery copy is restored.

use std::path::PathBuf;

use egui::{Id, Modal};

use super::app::GlossApp;
use super::dialogs::Prompt;

/// What to do once unsaved changes are saved or discarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterSave {
    /// Start a new project.
    New,
    /// Show the open dialog.
    Open,
    /// Open this project file.
    OpenPath(PathBuf),
    /// Replace the project with its merge with the compared one
    /// ([`GlossApp::curate_comparison`]).
    CurateComparison,
    /// Close the window.
    Quit,
}

/// The user's answer to the unsaved-changes prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Save,
    Discard,
    Cancel,
}

impl GlossApp {
    /// Does `then` now when nothing is unsaved, else asks first.
    pub fn guard_unsaved(&mut self, then: AfterSave) {
        if let Some(flight) = self.saving.in_flight.as_mut()
            && flight.ticket.revision() == self.session.history.revision()
        {
            // What is being written is all there is: carry on once it is.
            flight.then = Some(then);
            self.notify("saving… (carries on when the file is written)");
            return;
        }
        if self.session.is_dirty() {
            self.dialogs.ask_unsaved(then);
        } else {
            self.continue_after(then);
        }
    }

    /// Carries on with what waited for the unsaved-changes question.
    pub fn continue_after(&mut self, then: AfterSave) {
        match then {
            AfterSave::New => self.replace_session(crate::workspace::Session::new(
                crate::model::Project::new(crate::model::Project::UNTITLED),
                None,
            )),
            AfterSave::Open => self.files.pick(super::files::PickKind::OpenProject, ""),
            AfterSave::OpenPath(path) => self.open_project(&path),
            AfterSave::CurateComparison => self.curate_comparison(),
            AfterSave::Quit => self.close_confirmed = true,
        }
    }

    /// The window's close button: cancelled and turned into the question
    /// while there are unsaved changes.
    pub(crate) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed {
            if self.session.is_dirty() || self.saving.busy() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
            self.guard_unsaved(AfterSave::Quit);
        }
    }

    /// A Save As was asked for a file (`started`: whether its save started;
    /// `then` rides along with it and carries on once the file is written).
    /// When it could not start it keeps waiting, since the failed save may
    /// have offered another file; a cancelled file dialog or prompt forgets
    /// it.
    pub(crate) fn saved_as(&mut self, started: bool, then: Option<AfterSave>) {
        if !started {
            self.after_save = then;
        }
    }

    fn choose(&mut self, choice: Choice, then: AfterSave) -> Prompt {
        match choice {
            Choice::Save if self.session.path.is_none() || self.session.is_read_only() => {
                // Ask where to save; once saved, carry on with `then`.
                self.after_save = Some(then);
                self.act(super::Action::SaveAs);
                Prompt::None
            }
            Choice::Save if self.save_then(None, Some(then.clone())) => Prompt::None,
            Choice::Save => Prompt::Unsaved(then),
            Choice::Discard => {
                if then == AfterSave::Quit {
                    self.autosave.settle();
                    crate::store::recovery::remove(&self.recovery_path());
                    self.session.history.mark_saved();
                }
                self.continue_after(then);
                Prompt::None
            }
            Choice::Cancel => Prompt::None,
        }
    }

    /// Forgets everything tied to the project shown: selection, editors,
    /// layout, the pane filter.
    pub(crate) fn reset_workspace(&mut self) {
        self.current = 0;
        self.selection = None;
        self.selected = None;
        self.claim_editor = None;
        self.schema_editor = None;
        self.link_from = None;
        self.pane_matches = None;
        self.article_view = Default::default();
        self.session_serial += 1;
    }
}

/// Draws the Save / Discard / Cancel prompt and acts on the answer.
pub(crate) fn prompt(app: &mut GlossApp, ctx: &egui::Context, then: AfterSave) -> Prompt {
    let mut choice = None;
    Modal::new(Id::unique("unsaved")).show(ctx, |ui| {
        ui.heading("Unsaved changes");
        ui.label(format!(
            "Save the changes to {} first?",
            app.session.display_name()
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                choice = Some(Choice::Save);
            }
            if ui.button("Discard").clicked() {
                choice = Some(Choice::Discard);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(Choice::Cancel);
            }
        });
    });
    match choice {
        Some(choice) => app.choose(choice, then),
        None => Prompt::Unsaved(then),
    }
}
