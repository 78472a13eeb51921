//! Long work off the UI thread: opening projects, reading articles, dataset
//! import and export. Each job runs on a worker thread and reports progress;
//! the status bar shows it, and the window never freezes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use crate::model::Project;

/// A curated project made from a comparison, and the two sides' names.
#[derive(Debug)]
pub struct Curated {
    /// The merge of both versions.
    pub project: Project,
    /// What the merge did.
    pub report: crate::review::merge::Report,
    /// This project's file name.
    pub first: String,
    /// The compared project's file name.
    pub second: String,
}

/// What a finished job hands back to the app.
#[derive(Debug)]
pub enum JobOutput {
    /// A project file was read (or could not be).
    Opened {
        path: PathBuf,
        result: Result<Box<Project>, String>,
    },
    /// Article files were read and turned into one undoable edit (`None`:
    /// nothing new) for the project as it was when the job started; the
    /// app makes it again if the project changed meanwhile.
    ArticlesRead {
        edit: Option<crate::edit::Edit>,
        report: crate::ingest::AddReport,
    },
    /// A dataset was read; the app merges it as one undoable edit.
    DatasetImported(Result<crate::formats::Imported, String>),
    /// A dataset was written: number of files and warnings.
    Exported(Result<(usize, Vec<String>), String>),
    /// Another annotator's project was read and compared with this one.
    Compared(Result<Box<super::compare::Comparison>, String>),
    /// This project (as saved) and the compared one, merged into a curated
    /// project.
    Curated(Box<Curated>),
    /// "Annotate all occurrences" across the project was worked out (or
    /// cancelled); the command layer installs it as one undoable step.
    AnnotatedAll(Box<super::annotate_all::Annotated>),
    /// The recommenders were trained for a training set (its signature).
    SuggestionsTrained {
        signature: u64,
        recommender: std::sync::Arc<crate::suggest::Recommender>,
    },
    /// A long document's suggestions, worked out for `key`.
    ShownSuggestions {
        key: Box<super::suggestions::ShownKey>,
        list: Vec<crate::suggest::Suggestion>,
        claims: Vec<crate::suggest::claims::ClaimCandidate>,
    },
    /// The learning curve of the finished documents, for a training set.
    LearningCurve {
        signature: u64,
        points: Vec<crate::suggest::CurvePoint>,
    },
    /// The project file changed on disk and was read again.
    DiskVersion {
        path: PathBuf,
        identity: crate::store::FileIdentity,
        result: Result<Box<Project>, String>,
        save: Option<super::disk_sync::PendingSave>,
    },
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
    /// Names it for [`Jobs::cancel`].
    pub id: u64,
    /// What it does, for the status bar.
    pub label: String,
    /// What `done` and `total` count ("documents"), to show "k of n
    /// documents" rather than a percentage.
    pub unit: Option<&'static str>,
    /// Set to ask the worker to stop; `None` when it cannot be cancelled.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Items done so far (documents, files), updated by the worker.
    pub done: Arc<AtomicUsize>,
    /// Items in all; 0 when unknown.
    pub total: usize,
    /// When it started.
    pub started: Instant,
    /// What it was started for.
    pub origin: Origin,
    /// Background upkeep the user did not ask for (learning suggestions):
    /// not listed in the status bar, whose spinner would repaint every
    /// frame; the panel it serves says what it is doing.
    pub quiet: bool,
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
    /// The next job's id.
    next_id: u64,
    /// Holds cancellable jobs' workers before each item until let through
    /// (tests: progress shown deterministically).
    #[doc(hidden)]
    pub turnstile: Option<Arc<Turnstile>>,
}

/// What a cancellable job's worker is given: its progress counter and the
/// user's Cancel.
pub struct Progress {
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    turnstile: Option<Arc<Turnstile>>,
}

impl Progress {
    /// Whether the user cancelled; the worker asks before each item.
    pub fn cancelled(&self) -> bool {
        if let Some(turnstile) = &self.turnstile {
            turnstile.pass(&self.cancel);
        }
        self.cancel.load(Ordering::Relaxed)
    }

    /// Whether the user cancelled, without waiting at a test's turnstile.
    pub fn cancel_requested(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// One more item done.
    pub fn advance(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Lets workers of cancellable jobs through one item at a time, as many as
/// allowed: tests hold a job part-way to see its progress.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Turnstile {
    allowed: Mutex<usize>,
    changed: Condvar,
}

impl Turnstile {
    /// A turnstile that lets nothing through yet.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Lets `items` more through.
    pub fn allow(&self, items: usize) {
        if let Ok(mut allowed) = self.allowed.lock() {
            *allowed = allowed.saturating_add(items);
        }
        self.changed.notify_all();
    }

    /// Waits until an item may pass (or the job is cancelled).
    fn pass(&self, cancel: &AtomicBool) {
        let Ok(mut allowed) = self.allowed.lock() else {
            return;
        };
        while *allowed == 0 && !cancel.load(Ordering::Relaxed) {
            match self
                .changed
                .wait_timeout(allowed, std::time::Duration::from_millis(10))
            {
                Ok((guard, _)) => allowed = guard,
                Err(_) => return,
            }
        }
        *allowed = allowed.saturating_sub(1);
    }
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
        self.start(label.into(), total, None, None, origin, work);
    }

    /// [`Jobs::spawn`] for background upkeep not shown in the status bar.
    pub fn spawn_quiet(
        &mut self,
        label: impl Into<String>,
        origin: Origin,
        work: impl FnOnce(Arc<AtomicUsize>) -> JobOutput + Send + 'static,
    ) {
        let id = self.start(label.into(), 0, None, None, origin, work);
        if let Some(job) = self.running.iter_mut().find(|job| job.id == id) {
            job.quiet = true;
        }
    }

    /// Starts `work` on a worker thread that the user can cancel: the
    /// worker is given its progress over `total` items (counted in `unit`,
    /// e.g. "documents") and the user's Cancel, which it checks between
    /// items (see [`Progress`]). Returns the job's id.
    pub fn spawn_cancellable(
        &mut self,
        label: impl Into<String>,
        total: usize,
        unit: &'static str,
        origin: Origin,
        work: impl FnOnce(Progress) -> JobOutput + Send + 'static,
    ) -> u64 {
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let turnstile = self.turnstile.clone();
        self.start(
            label.into(),
            total,
            Some(unit),
            Some(cancel),
            origin,
            move |done| {
                work(Progress {
                    done,
                    cancel: flag,
                    turnstile,
                })
            },
        )
    }

    /// Asks job `id` to stop; `false` when it is not running or cannot be
    /// cancelled. The job still ends with an output, which says so.
    pub fn cancel(&mut self, id: u64) -> bool {
        let flag = self
            .running
            .iter()
            .find(|job| job.id == id)
            .and_then(|job| job.cancel.as_ref());
        if let Some(flag) = flag {
            flag.store(true, Ordering::Relaxed);
        }
        flag.is_some()
    }

    fn start(
        &mut self,
        label: String,
        total: usize,
        unit: Option<&'static str>,
        cancel: Option<Arc<AtomicBool>>,
        origin: Origin,
        work: impl FnOnce(Arc<AtomicUsize>) -> JobOutput + Send + 'static,
    ) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        let (sender, receiver) = channel();
        let done = Arc::new(AtomicUsize::new(0));
        let counter = done.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("gloss: {label}"))
            .spawn(move || {
                // A bug in a worker must reach the user as a message, not
                // leave a spinner turning forever.
                let answer = caught(|| work(counter));
                let _ = sender.send(answer);
            });
        if let Err(e) = spawned {
            self.failures.push(format!(
                "{label}: could not start ({e}); nothing was changed"
            ));
            return id;
        }
        self.running.push(Job {
            id,
            label,
            unit,
            cancel,
            done,
            total,
            started: Instant::now(),
            origin,
            quiet: false,
            receiver,
        });
        id
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

/// Frees `value` on a short-lived thread: dropping a large structure (rows
/// of every annotation, an old copy of the project) takes longer than a
/// frame. Dropped here when no thread can be started.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("gloss: free".to_owned())
        .spawn(move || drop(value));
}

/// Progress of the running jobs, for the status bar; a Cancel button for
/// jobs that can stop, which asks for [`super::Action::CancelJob`].
pub fn show(jobs: &Jobs, ui: &mut egui::Ui) -> Option<super::Action> {
    let mut action = None;
    for job in jobs.running.iter().filter(|job| !job.quiet) {
        let seconds = job.started.elapsed().as_secs_f32();
        match (job.fraction(), job.unit) {
            (Some(fraction), Some(unit)) => {
                let done = job.done.load(Ordering::Relaxed).min(job.total);
                let text = format!("{}: {done} of {} {unit}", job.label, job.total);
                // Wide enough for its text: "k of n documents" is the point.
                let width = ui.fonts_mut(|f| {
                    f.layout_no_wrap(
                        text.clone(),
                        egui::TextStyle::Body.resolve(ui.style()),
                        egui::Color32::PLACEHOLDER,
                    )
                    .size()
                    .x
                });
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(width + 2.0 * ui.spacing().button_padding.x)
                        .text(text),
                );
            }
            (Some(fraction), None) => {
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text(format!("{} {:.0}%", job.label, fraction * 100.0)),
                );
            }
            (None, _) => {
                ui.spinner();
                ui.label(format!("{} ({seconds:.1} s)", job.label));
            }
        }
        if let Some(flag) = &job.cancel {
            if flag.load(Ordering::Relaxed) {
                ui.label("cancelling…");
            } else if ui.button("Cancel").clicked() {
                action = Some(super::Action::CancelJob(job.id));
            }
        }
        ui.separator();
    }
    action
}

/// Runs `work` on a worker thread's behalf: a panic (a bug in Gloss)
/// becomes its message, so that it reaches the user instead of leaving a
/// spinner turning or a save in flight forever. The one place the UI's
/// workers (jobs, saves, the Annotations pane's queries) catch panics.
pub(crate) fn caught<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".to_owned())
    })
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
