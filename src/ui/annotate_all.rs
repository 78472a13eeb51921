//! "Annotate all occurrences" across the whole project, off the UI thread:
//! the dialog's count of what would be tagged, and the edit itself. Both
//! read a snapshot of the project (one pointer per document) document by
//! document on a worker; the edit is also applied to the snapshot there
//! ([`crate::edit::prepare`]), so that installing it, undoing and redoing
//! it cost the UI thread one pointer per changed document, not one check
//! per new entity. The command layer starts the job and installs its result.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::edit::{Prepared, Snapshot};
use crate::model::Project;

use super::app::GlossApp;
use super::jobs::JobOutput;

/// How many times the edit is worked out again when the project changed
/// while it was being worked out, before the user is told to try again.
pub(crate) const ATTEMPTS: u32 = 3;

/// What an annotate-all job hands back.
#[derive(Debug)]
pub struct Annotated {
    /// The text tagged.
    pub text: String,
    /// Its entity type.
    pub label: String,
    /// 1 for the first try, more after the project changed meanwhile.
    pub attempt: u32,
    /// The prepared edit and the number of new entities; `None` when there
    /// was nothing to tag or the user cancelled (`cancelled`).
    pub result: Result<Option<(Prepared, usize)>, String>,
    /// The user cancelled: nothing is tagged.
    pub cancelled: bool,
}

/// Starts tagging every occurrence of `text` as `label` in every document,
/// on a worker, with "k of n documents" and Cancel in the status bar.
pub(crate) fn start(app: &mut GlossApp, text: String, label: String, attempt: u32) {
    let snapshot = app.session.snapshot();
    let total = snapshot.project().documents.len();
    // Provenance is stamped as the command layer stamps every edit: the
    // user's name and the time the user asked.
    let annotator = app.prefs.annotator.clone();
    let now = crate::edit::now();
    let origin = app.job_origin();
    app.jobs.spawn_cancellable(
        format!("annotating all {text:?}"),
        total,
        "documents",
        origin,
        move |progress| {
            let (result, cancelled) = match work(
                snapshot,
                &text,
                &label,
                annotator.as_deref(),
                &now,
                &progress,
            ) {
                Some(result) => (result, false),
                None => (Ok(None), true),
            };
            JobOutput::AnnotatedAll(Box::new(Annotated {
                text,
                label,
                attempt,
                result,
                cancelled,
            }))
        },
    );
}

/// The worker's part; `None` when cancelled.
fn work(
    snapshot: Snapshot,
    text: &str,
    label: &str,
    annotator: Option<&str>,
    now: &str,
    progress: &super::jobs::Progress,
) -> Option<Result<Option<(Prepared, usize)>, String>> {
    let mut edits = Vec::new();
    for doc in &snapshot.project().documents {
        if progress.cancelled() {
            return None;
        }
        edits.extend(crate::edit::ops::annotate_all_in(doc, text, label));
        progress.advance();
    }
    let count = edits.len();
    let Some(mut edit) = crate::edit::ops::annotate_all_batch(text, edits) else {
        return Some(Ok(None));
    };
    crate::edit::ops::stamp(&mut edit, annotator, now);
    let prepared = crate::edit::prepare(snapshot, edit);
    // A Cancel pressed while the edit was being applied still counts.
    if progress.cancel_requested() {
        return None;
    }
    Some(
        prepared
            .map(|prepared| Some((prepared, count)))
            .map_err(|e| e.to_string()),
    )
}

/// The dialog's count of new mentions across all documents, worked out on
/// a worker whenever the text, the type or the project changes; a newer
/// request cancels the one in progress.
#[derive(Debug, Default)]
pub struct Preview {
    /// What the count is for, and the count once known.
    current: Option<(u64, Option<usize>)>,
    counting: Option<Counting>,
}

#[derive(Debug)]
struct Counting {
    done: Arc<AtomicUsize>,
    total: usize,
    cancel: Arc<AtomicBool>,
    receiver: Receiver<usize>,
}

impl Drop for Counting {
    fn drop(&mut self) {
        // Nobody wants this count any more.
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Where the dialog's count stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Known.
    Done(usize),
    /// Being counted: (documents read, documents in all).
    Counting(usize, usize),
}

impl Preview {
    /// The count of new mentions of `text` as `label` across `project` for
    /// the request `key` (a hash of the form and the project's version):
    /// starts counting when the key is new, and takes in a finished count.
    pub fn count(&mut self, key: u64, project: &Project, text: &str, label: &str) -> Count {
        if self.current.as_ref().map(|(k, _)| *k) != Some(key) {
            self.current = Some((key, None));
            self.counting = start_count(project, text, label);
        }
        if let Some(counting) = &self.counting {
            match counting.receiver.try_recv() {
                Ok(count) => {
                    self.current = Some((key, Some(count)));
                    self.counting = None;
                }
                Err(TryRecvError::Empty) => {
                    return Count::Counting(counting.done.load(Ordering::Relaxed), counting.total);
                }
                Err(TryRecvError::Disconnected) => self.counting = None,
            }
        }
        Count::Done(self.current.and_then(|(_, count)| count).unwrap_or(0))
    }

    /// Whether the count asked for last is known.
    pub fn is_done(&self) -> bool {
        self.counting.is_none()
    }

    /// Stops counting (the dialog closed).
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

fn start_count(project: &Project, text: &str, label: &str) -> Option<Counting> {
    // One pointer per document.
    let documents = project.documents.clone();
    let total = documents.len();
    let done = Arc::new(AtomicUsize::new(0));
    let cancel = Arc::new(AtomicBool::new(false));
    let (sender, receiver) = std::sync::mpsc::channel();
    let (text, label) = (text.to_owned(), label.to_owned());
    let (counter, stop) = (done.clone(), cancel.clone());
    std::thread::Builder::new()
        .name("gloss: annotate-all count".to_owned())
        .spawn(move || {
            let mut count = 0;
            for doc in &documents {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                count += crate::edit::ops::annotate_all_in(doc, &text, &label).len();
                counter.fetch_add(1, Ordering::Relaxed);
            }
            let _ = sender.send(count);
        })
        .ok()?;
    Some(Counting {
        done,
        total,
        cancel,
        receiver,
    })
}
