//! Long work off the UI thread: opening projects, reading articles, dataset
//! import and export. Each job runs on a worker thread and reports progress;
//! the status bar shows it, and the window never freezes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use crate::ingest::{Article, IngestError};
use crate::model::Project;

/// What a finished job hands back to the app.
#[derive(Debug)]
pub enum JobOutput {
    /// A project file was read (or could not be).
    Opened {
        path: PathBuf,
        result: Result<Box<Project>, String>,
    },
    /// Article files were read; the app turns them into one undoable edit.
    ArticlesRead {
        articles: Vec<(PathBuf, Article)>,
        errors: Vec<IngestError>,
    },
    /// A dataset was read; the app merges it as one undoable edit.
    DatasetImported(Result<crate::formats::Imported, String>),
    /// A dataset was written: number of files and warnings.
    Exported(Result<(usize, Vec<String>), String>),
}

/// The project state a job was started for: which session (a number that
/// changes whenever another project replaces the open one) and its history
/// generation, so that a result is never applied to the wrong project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The app's session number.
    pub session: u64,
    /// The session's history generation.
    pub generation: u64,
}

/// One running job.
pub struct Job {
    /// What it does, for the status bar.
    pub label: String,
    /// Items done so far (documents, files), updated by the worker.
    pub done: Arc<AtomicUsize>,
    /// Items in all; 0 when unknown.
    pub total: usize,
    /// When it started.
    pub started: Instant,
    /// What it was started for.
    pub origin: Origin,
    receiver: Receiver<JobOutput>,
}

impl Job {
    /// Fraction done, when the total is known.
    pub fn fraction(&self) -> Option<f32> {
        (self.total > 0)
            .then(|| (self.done.load(Ordering::Relaxed) as f32 / self.total as f32).min(1.0))
    }
}

/// The running jobs.
#[derive(Default)]
pub struct Jobs {
    /// Jobs not finished yet, oldest first.
    pub running: Vec<Job>,
}

impl Jobs {
    /// Starts `work` on a worker thread. `total` is the number of items the
    /// worker will count in the counter it is given (0 when unknown).
    pub fn spawn(
        &mut self,
        label: impl Into<String>,
        total: usize,
        origin: Origin,
        work: impl FnOnce(Arc<AtomicUsize>) -> JobOutput + Send + 'static,
    ) {
        let (sender, receiver) = channel();
        let done = Arc::new(AtomicUsize::new(0));
        let counter = done.clone();
        std::thread::spawn(move || {
            let _ = sender.send(work(counter));
        });
        self.running.push(Job {
            label: label.into(),
            done,
            total,
            started: Instant::now(),
            origin,
            receiver,
        });
    }

    /// Outputs of the jobs that finished since the last call.
    pub fn poll(&mut self) -> Vec<(Origin, JobOutput)> {
        let mut finished = Vec::new();
        self.running.retain(|job| match job.receiver.try_recv() {
            Ok(output) => {
                finished.push((job.origin, output));
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                log::error!("job {:?} stopped without an answer", job.label);
                false
            }
        });
        finished
    }

    /// Whether any job is running.
    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }
}

/// Progress of the running jobs, for the status bar.
pub fn show(jobs: &Jobs, ui: &mut egui::Ui) {
    for job in &jobs.running {
        let seconds = job.started.elapsed().as_secs_f32();
        match job.fraction() {
            Some(fraction) => {
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text(format!("{} {:.0}%", job.label, fraction * 100.0)),
                );
            }
            None => {
                ui.spinner();
                ui.label(format!("{} ({seconds:.1} s)", job.label));
            }
        }
        ui.separator();
    }
}
