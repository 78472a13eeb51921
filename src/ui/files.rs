//! File dialogs, off the UI thread. Behind a trait so that tests inject paths
//! and so that a machine without a dialog backend still lets the user type one.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Instant;

/// What a dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    /// Open a project file.
    OpenProject,
    /// Choose where to save a project.
    SaveProject,
    /// Choose articles to import (several).
    ImportArticles,
    /// Choose a dataset (files or a brat folder) to import.
    ImportDataset,
    /// Choose where to write an export.
    ExportDataset,
    /// Choose another annotator's project to compare with.
    CompareProject,
}

/// The answer of a dialog: the paths chosen (empty on cancel) and whether
/// the dialog answered so fast that no dialog can have been shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    /// What the dialog was for.
    pub kind: PickKind,
    /// Chosen paths; empty when cancelled.
    pub paths: Vec<PathBuf>,
    /// The dialog returned nothing at once: likely no portal or zenity.
    pub no_dialog: bool,
}

/// Shows file dialogs without blocking the UI; answers arrive on a channel.
pub trait FilePicker {
    /// Starts a dialog. The answer arrives through [`FilePicker::poll`].
    fn pick(&mut self, kind: PickKind, suggested_name: &str);
    /// An answer, if one has arrived.
    fn poll(&mut self) -> Option<Picked>;
    /// Whether a dialog is open.
    fn busy(&self) -> bool;
}

/// Native dialogs through rfd, each on its own thread.
pub struct RfdPicker {
    sender: Sender<Picked>,
    receiver: Receiver<Picked>,
    open: usize,
}

impl Default for RfdPicker {
    fn default() -> Self {
        let (sender, receiver) = channel();
        Self {
            sender,
            receiver,
            open: 0,
        }
    }
}

/// A dialog starting at a suggested name, in its folder when it has one.
fn suggested(dialog: rfd::FileDialog, suggested: &str) -> rfd::FileDialog {
    let path = std::path::Path::new(suggested);
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => dialog
            .set_directory(dir)
            .set_file_name(name.to_string_lossy()),
        _ => dialog.set_file_name(suggested),
    }
}

impl FilePicker for RfdPicker {
    fn pick(&mut self, kind: PickKind, suggested_name: &str) {
        let sender = self.sender.clone();
        let suggested_name = suggested_name.to_owned();
        self.open += 1;
        let fallback = self.sender.clone();
        let spawned = std::thread::Builder::new()
            .name("gloss: file dialog".to_owned())
            .spawn(move || {
                let started = Instant::now();
                let dialog = rfd::FileDialog::new();
                let paths: Vec<PathBuf> = match kind {
                    PickKind::OpenProject => dialog
                        .add_filter("Gloss project", &["ron"])
                        .set_title("Open project")
                        .pick_file()
                        .into_iter()
                        .collect(),
                    PickKind::SaveProject => suggested(dialog, &suggested_name)
                        .add_filter("Gloss project", &["ron"])
                        .set_title("Save project")
                        .save_file()
                        .into_iter()
                        .collect(),
                    PickKind::CompareProject => dialog
                        .add_filter("Gloss project", &["ron"])
                        .set_title("Compare with another annotator's project")
                        .pick_file()
                        .into_iter()
                        .collect(),
                    PickKind::ImportArticles => dialog
                        .add_filter("Articles", &["txt", "md", "html", "htm", "json", "jsonl"])
                        .set_title("Import articles")
                        .pick_files()
                        .unwrap_or_default(),
                    PickKind::ImportDataset => dialog
                        .set_title("Import dataset (files)")
                        .pick_files()
                        .unwrap_or_default(),
                    PickKind::ExportDataset => dialog
                        .set_title("Export dataset")
                        .set_file_name(&suggested_name)
                        .save_file()
                        .into_iter()
                        .collect(),
                };
                // A person cannot cancel a dialog within a quarter second; an
                // answer that fast means no dialog backend (portal, zenity) exists.
                let no_dialog = paths.is_empty() && started.elapsed().as_millis() < 250;
                let _ = sender.send(Picked {
                    kind,
                    paths,
                    no_dialog,
                });
            });
        if spawned.is_err() {
            // No thread for a dialog: ask for a typed path instead.
            let _ = fallback.send(Picked {
                kind,
                paths: Vec::new(),
                no_dialog: true,
            });
        }
    }

    fn poll(&mut self) -> Option<Picked> {
        let picked = self.receiver.try_recv().ok()?;
        self.open = self.open.saturating_sub(1);
        Some(picked)
    }

    fn busy(&self) -> bool {
        self.open > 0
    }
}

/// A picker that answers from a queue: for tests and scripted runs.
#[derive(Default)]
pub struct ScriptedPicker {
    /// Answers, in order; an empty list answers "cancelled".
    pub answers: std::collections::VecDeque<Vec<PathBuf>>,
    pending: Option<Picked>,
    /// Every dialog that was asked for.
    pub asked: Vec<PickKind>,
    /// The name each dialog proposed.
    pub suggested: Vec<String>,
    /// Answer as a machine without any dialog backend does.
    pub no_dialog: bool,
}

impl ScriptedPicker {
    /// A picker that will answer with these paths, one answer per dialog.
    pub fn new(answers: Vec<Vec<PathBuf>>) -> Self {
        Self {
            answers: answers.into(),
            pending: None,
            asked: Vec::new(),
            suggested: Vec::new(),
            no_dialog: false,
        }
    }
}

impl FilePicker for ScriptedPicker {
    fn pick(&mut self, kind: PickKind, suggested_name: &str) {
        self.asked.push(kind);
        self.suggested.push(suggested_name.to_owned());
        let paths = if self.no_dialog {
            Vec::new()
        } else {
            self.answers.pop_front().unwrap_or_default()
        };
        self.pending = Some(Picked {
            kind,
            paths,
            no_dialog: self.no_dialog,
        });
    }

    fn poll(&mut self) -> Option<Picked> {
        self.pending.take()
    }

    fn busy(&self) -> bool {
        self.pending.is_some()
    }
}
