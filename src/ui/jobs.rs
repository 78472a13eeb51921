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
    /// Another annotator's project was read and compared with this one.
    Compared(Result<Box<super::compare::Comparison>, String>),
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
    /// The answer, or why the worker stopped without one (it panicked).
    receiver: Receiver<Result<JobOutput, String>>,
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
    /// Jobs that ended without an answer, as messages for the user.
    failures: Vec<String>,
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
        let label = label.into();
        let (sender, receiver) = channel();
        let done = Arc::new(AtomicUsize::new(0));
        let counter = done.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("gloss: {label}"))
            .spawn(move || {
                // A bug in a worker must reach the user as a message, not
                // leave a spinner turning forever.
                let answer =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(counter)))
                        .map_err(|panic| {
                            panic
                                .downcast_ref::<&str>()
                                .map(|s| (*s).to_owned())
                                .or_else(|| panic.downcast_ref::<String>().cloned())
                                .unwrap_or_else(|| "unknown error".to_owned())
                        });
                let _ = sender.send(answer);
            });
        if let Err(e) = spawned {
            self.failures.push(format!(
                "{label}: could not start ({e}); nothing was changed"
            ));
            return;
        }
        self.running.push(Job {
            label,
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
        let failures = &mut self.failures;
        self.running.retain(|job| match job.receiver.try_recv() {
            Ok(Ok(output)) => {
                finished.push((job.origin, output));
                false
            }
            Ok(Err(why)) => {
                log::error!("job {:?} failed: {why}", job.label);
                failures.push(format!(
                    "{} failed: {why} (a bug in Gloss; nothing was changed)",
                    job.label
                ));
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                log::error!("job {:?} stopped without an answer", job.label);
                failures.push(format!(
                    "{} stopped without an answer; nothing was changed",
                    job.label
                ));
                false
            }
        });
        finished
    }

    /// Messages for jobs that ended without an answer since the last call.
    pub fn take_failures(&mut self) -> Vec<String> {
        std::mem::take(&mut self.failures)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_that_panics_becomes_a_message() {
        let mut jobs = Jobs::default();
        let origin = Origin {
            session: 0,
            generation: 0,
        };
        jobs.spawn("exporting", 0, origin, |_| panic!("index out of range"));
        let started = Instant::now();
        while jobs.busy() && started.elapsed().as_secs() < 10 {
            assert!(jobs.poll().is_empty(), "a panicking job has no output");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let failures = jobs.take_failures();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(
            failures[0].starts_with("exporting failed: index out of range"),
            "{failures:?}"
        );
    }
}
