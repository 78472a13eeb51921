//! Find (Ctrl+F): hits in the article and across the project.
//!
//! The shown document is searched on the UI thread (one article: well
//! under a frame), so its highlights follow every keystroke. The rest of
//! the project is searched by a worker thread from a snapshot of the
//! project (one pointer per document), in batches that stream in; a newer
//! query or edit makes it drop the search in progress, so typing on a
//! 2,000-document project never waits for the whole project.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};

use super::actions::Action;
use super::app::GlossApp;
use crate::model::Project;

/// Documents searched per batch sent back by the worker.
const BATCH: usize = 100;

/// The find bar's state.
#[derive(Debug, Default)]
pub struct FindState {
    /// Whether the bar is shown.
    pub visible: bool,
    /// The text searched for.
    pub query: String,
    /// Case-sensitive search.
    pub match_case: bool,
    /// Focus the field next frame.
    focus: bool,
    /// Hits of the shown document, searched on the UI thread: the key it
    /// was searched for (doc id, query, case, project version) and hits.
    shown: Option<(ShownKey, Vec<(usize, usize)>)>,
    /// Hits of the whole project as far as the worker got, per document.
    by_document: HashMap<String, Vec<(usize, usize)>>,
    /// What the project-wide search is for, and how far it got.
    search: Option<Search>,
    worker: Option<Worker>,
    /// Hits found so far and the documents they are in, counted when the
    /// hits change rather than every frame.
    counts: (usize, usize),
}

/// What the shown document's hits were searched for: document id, query,
/// match case, project version.
type ShownKey = (String, String, bool, (u64, u64));

/// One project-wide search.
#[derive(Debug)]
struct Search {
    key: (String, bool, (u64, u64)),
    id: u64,
    searched: usize,
    total: usize,
}

#[derive(Debug)]
struct Request {
    id: u64,
    project: Arc<Project>,
    query: String,
    match_case: bool,
}

#[derive(Debug)]
struct Batch {
    id: u64,
    hits: Vec<(String, Vec<(usize, usize)>)>,
    searched: usize,
}

#[derive(Debug)]
struct Worker {
    requests: Sender<Request>,
    batches: Receiver<Batch>,
    next_id: u64,
}

impl Worker {
    fn start() -> Option<Self> {
        let (requests, inbox) = std::sync::mpsc::channel::<Request>();
        let (outbox, batches) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("find".into())
            .spawn(move || search_loop(&inbox, &outbox))
            .ok()?;
        Some(Self {
            requests,
            batches,
            next_id: 0,
        })
    }
}

/// Searches each request in batches; a newer request replaces the one in
/// progress. Ends when the app drops its side.
fn search_loop(inbox: &Receiver<Request>, outbox: &Sender<Batch>) {
    let mut next = inbox.recv().ok();
    while let Some(request) = next.take() {
        let mut searched = 0;
        for chunk in request.project.documents.chunks(BATCH) {
            match inbox.try_recv() {
                Ok(newer) => {
                    next = Some(newer);
                    break;
                }
                Err(TryRecvError::Disconnected) => return,
                Err(TryRecvError::Empty) => {}
            }
            let hits = chunk
                .iter()
                .map(|doc| {
                    let hits =
                        crate::review::find::find_in(&doc.text, &request.query, request.match_case);
                    (doc.id.clone(), hits)
                })
                .filter(|(_, hits)| !hits.is_empty())
                .collect();
            searched += chunk.len();
            let batch = Batch {
                id: request.id,
                hits,
                searched,
            };
            if outbox.send(batch).is_err() {
                return;
            }
        }
        if next.is_none() {
            // Wait for the next request, keeping only the newest queued.
            next = inbox.recv().ok();
        }
        while let Ok(newer) = inbox.try_recv() {
            next = Some(newer);
        }
    }
}

impl FindState {
    /// Shows the bar and focuses it.
    pub fn open(&mut self) {
        self.visible = true;
        self.focus = true;
    }

    /// Hits in one document (code points).
    pub fn hits_in(&self, doc: &str) -> &[(usize, usize)] {
        if !self.visible {
            return &[];
        }
        if let Some(((shown, ..), hits)) = &self.shown
            && shown == doc
        {
            return hits;
        }
        self.by_document.get(doc).map_or(&[], Vec::as_slice)
    }

    /// Whether the project-wide search is still running: (searched, total).
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.search
            .as_ref()
            .filter(|s| s.searched < s.total)
            .map(|s| (s.searched, s.total))
    }

    /// (hits, documents with a hit) over the shown document's own search
    /// and the worker's results for the others.
    fn count_hits(&self) -> (usize, usize) {
        let shown = self
            .shown
            .as_ref()
            .map(|((doc, ..), hits)| (doc, hits.len()));
        let mut counts = shown.map_or((0, 0), |(_, n)| (n, usize::from(n > 0)));
        for (doc, hits) in &self.by_document {
            if shown.is_none_or(|(d, _)| d != doc) && !hits.is_empty() {
                counts.0 += hits.len();
                counts.1 += 1;
            }
        }
        counts
    }

    /// Every hit found so far, (doc id, start, end), the shown document's
    /// from its own search.
    fn all_hits(&self) -> Vec<(String, usize, usize)> {
        let shown = self.shown.as_ref().map(|((doc, ..), hits)| (doc, hits));
        let mut all: Vec<(String, usize, usize)> = self
            .by_document
            .iter()
            .filter(|(doc, _)| shown.is_none_or(|(d, _)| d != *doc))
            .flat_map(|(doc, hits)| hits.iter().map(move |(s, e)| (doc.clone(), *s, *e)))
            .collect();
        if let Some((doc, hits)) = shown {
            all.extend(hits.iter().map(|(s, e)| (doc.clone(), *s, *e)));
        }
        all
    }

    /// Searches the shown document now and asks the worker for the rest
    /// when the query or the project changed; takes in what the worker
    /// found since the last frame.
    fn refresh(&mut self, project: &Project, shown_doc: Option<&str>, version: (u64, u64)) {
        if let Some(doc_id) = shown_doc {
            let key = (
                doc_id.to_owned(),
                self.query.clone(),
                self.match_case,
                version,
            );
            if self.shown.as_ref().map(|(k, _)| k) != Some(&key) {
                let hits = project.document(doc_id).map_or_else(Vec::new, |doc| {
                    crate::review::find::find_in(&doc.text, &self.query, self.match_case)
                });
                self.shown = Some((key, hits));
                self.counts = self.count_hits();
            }
        }
        let key = (self.query.clone(), self.match_case, version);
        if self.search.as_ref().map(|s| &s.key) != Some(&key) {
            self.by_document.clear();
            self.counts = self.count_hits();
            if self.worker.is_none() {
                self.worker = Worker::start();
            }
            let Some(worker) = self.worker.as_mut() else {
                return;
            };
            worker.next_id += 1;
            let id = worker.next_id;
            let total = if self.query.is_empty() {
                0
            } else {
                project.documents.len()
            };
            self.search = Some(Search {
                key,
                id,
                searched: 0,
                total,
            });
            if total > 0 {
                let request = Request {
                    id,
                    // One pointer per document: cheap on the UI thread.
                    project: Arc::new(project.clone()),
                    query: self.query.clone(),
                    match_case: self.match_case,
                };
                if worker.requests.send(request).is_err() {
                    self.worker = None;
                }
            }
        }
        let (Some(worker), Some(search)) = (&self.worker, &mut self.search) else {
            return;
        };
        let mut changed = false;
        while let Ok(batch) = worker.batches.try_recv() {
            if batch.id != search.id {
                continue;
            }
            search.searched = batch.searched;
            self.by_document.extend(batch.hits);
            changed = true;
        }
        if changed {
            self.counts = self.count_hits();
        }
    }
}

pub use crate::review::find::find_all;

/// Draws the bar above the article when open.
pub fn bar(app: &mut GlossApp, ui: &mut egui::Ui) {
    if !app.find.visible {
        return;
    }
    let generation = app.project_version();
    let mut jump = None;
    // Wrapped, so a narrow panel or a large zoom puts the buttons on a second
    // row instead of widening the panel.
    ui.horizontal_wrapped(|ui| {
        let name = ui.label("Find:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut app.find.query)
                    .id_salt("find-field")
                    .desired_width(240.0),
            )
            .labelled_by(name.id);
        if app.find.focus {
            field.request_focus();
            app.find.focus = false;
        }
        ui.checkbox(&mut app.find.match_case, "Match case");
        let here = app.document_id().unwrap_or_default();
        app.find
            .refresh(app.session.project(), Some(here.as_str()), generation);
        let in_doc = app.find.hits_in(&here).len();
        let (total, documents) = app.find.counts;
        let searching = match app.find.progress() {
            Some((searched, total)) => {
                // Batches are still coming: draw again when they do.
                ui.ctx().request_repaint();
                format!(" (searching, {searched} of {total} documents)")
            }
            None => String::new(),
        };
        ui.label(format!(
            "{in_doc} here · {} in {}{searching}",
            total,
            crate::model::plural(documents, "document")
        ));
        if ui.button("Next").clicked()
            || (field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)))
        {
            jump = next_hit(app);
        }
        if ui.button("Annotate all…").clicked() {
            app.act(Action::AnnotateAll);
        }
        if ui.button("✖").on_hover_text("Close (Esc)").clicked() {
            app.find.visible = false;
        }
    });
    if let Some(action) = jump {
        app.act(action);
    }
    ui.separator();
}

/// The first hit after the current selection, across documents.
fn next_hit(app: &GlossApp) -> Option<Action> {
    let here = app.current;
    let after = app.selection_range().map_or(0, |(_, e)| e);
    let index: HashMap<&str, usize> = app
        .session
        .project()
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let order = |doc: &str| index.get(doc).copied().unwrap_or(usize::MAX);
    let mut hits = app.find.all_hits();
    hits.sort_by_key(|(d, s, _)| (order(d), *s));
    let next = hits
        .iter()
        .find(|(d, s, _)| (order(d) == here && *s >= after) || order(d) > here)
        .or_else(|| hits.first())?;
    Some(Action::JumpTo {
        doc: next.0.clone(),
        start: next.1,
        end: next.2,
    })
}
