//! The Annotations pane: every annotation of the document or of the whole
//! project in a sortable, filterable table; clicking a row jumps to it, and
//! while a filter is set the article view dims what does not match.
//!
//! The rows ([`Table`]) and the dashboard's counts are built once per
//! project state; filtering and sorting make a list of row indices. Small
//! projects do both on the UI thread (well under a millisecond); above
//! [`AnnotationsPane::sync_limit`] annotations both run on worker threads,
//! one job of each kind at a time, the newest request winning, while the
//! pane keeps showing the last answer. Only the rows in view are drawn.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::model::{Project, Review, Status, Verdict};
use crate::review::dashboard::Dashboard;
use crate::review::table::{self, Column, Filter, Kind, Sort, Table};

use super::actions::Action;
use super::app::{AnnotationKind, AnnotationRef, GlossApp, SidePane};

/// Annotations above which rows are built and filtered off the UI thread.
pub const SYNC_LIMIT: usize = 50_000;

/// How long the project must stay unchanged before a large project's rows
/// are rebuilt: a burst of edits (a review pass) costs one rebuild.
const SETTLE: Duration = Duration::from_millis(400);

/// The rows and counts of one project state.
#[derive(Clone)]
pub struct Data {
    /// The [`GlossApp::project_version`] they were built from.
    pub version: (u64, u64),
    /// Every annotation.
    pub table: Arc<Table>,
    /// The dashboard's numbers.
    pub dashboard: Arc<Dashboard>,
}

impl Data {
    fn build(version: (u64, u64), project: &Project) -> Self {
        Self {
            version,
            table: Arc::new(Table::build(project)),
            dashboard: Arc::new(Dashboard::of(project)),
        }
    }
}

/// What a list of rows was made for.
#[derive(Debug, Clone, PartialEq)]
struct ViewKey {
    version: (u64, u64),
    /// The pane's filter with the scope resolved to a document index.
    filter: Filter,
    sort: Sort,
}

/// The rows that pass the filter, in order, with the table they index.
#[derive(Clone)]
struct View {
    key: ViewKey,
    table: Arc<Table>,
    order: Arc<Vec<u32>>,
}

/// One computation on a worker thread.
struct Pending<T> {
    receiver: Receiver<Result<T, String>>,
}

impl<T: Send + 'static> Pending<T> {
    fn spawn(name: &str, work: impl FnOnce() -> T + Send + 'static) -> Result<Self, String> {
        let (sender, receiver) = channel();
        let what = name.to_owned();
        std::thread::Builder::new()
            .name(format!("gloss: {name}"))
            .spawn(move || {
                // A bug in the worker must reach the user, not leave the pane
                // waiting forever.
                let answer = super::jobs::caught(work)
                    .map_err(|panic| format!("{what} failed (a bug in Gloss: {panic})"));
                let _ = sender.send(answer);
            })
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(Self { receiver })
    }

    /// The answer once there is one.
    fn poll(&self) -> Option<Result<T, String>> {
        match self.receiver.try_recv() {
            Ok(answer) => Some(answer),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("a worker stopped".to_owned())),
        }
    }
}

/// The pane's state.
pub struct AnnotationsPane {
    /// The column filters (its `document` is set from `this_document`).
    pub filter: Filter,
    /// Show the current document's annotations, not the whole project's.
    pub this_document: bool,
    /// The sort order.
    pub sort: Sort,
    /// Annotations above which work goes to worker threads.
    pub sync_limit: usize,
    data: Option<Data>,
    data_job: Option<Pending<Data>>,
    /// The project version last seen and since when.
    seen: Option<((u64, u64), Instant)>,
    view: Option<View>,
    view_job: Option<Pending<View>>,
    /// What `pane_matches` was made from: the list and the document.
    matches_for: Option<(usize, Option<String>)>,
}

impl Default for AnnotationsPane {
    fn default() -> Self {
        Self {
            filter: Filter::default(),
            this_document: false,
            sort: Sort::default(),
            sync_limit: SYNC_LIMIT,
            data: None,
            data_job: None,
            seen: None,
            view: None,
            view_job: None,
            matches_for: None,
        }
    }
}

impl AnnotationsPane {
    /// The rows and counts, when built (they may be of an older project
    /// state while a new build runs).
    pub fn data(&self) -> Option<&Data> {
        self.data.as_ref()
    }

    /// Whether rows or a list are being built.
    pub fn busy(&self) -> bool {
        self.data_job.is_some() || self.view_job.is_some()
    }

    /// (document id, annotation id) of the listed rows, in order.
    pub fn listed(&self) -> Vec<(String, String)> {
        let Some(view) = &self.view else {
            return Vec::new();
        };
        view.order
            .iter()
            .filter_map(|&i| view.table.rows.get(i as usize))
            .filter_map(|row| {
                let doc = view.table.document(row)?;
                Some((doc.id.clone(), view.table.id(row).to_owned()))
            })
            .collect()
    }
}

/// Shows the pane with `filter` over the whole project (a dashboard bar).
pub fn apply_filter(app: &mut GlossApp, filter: Filter) {
    app.annotations.filter = filter;
    app.annotations.this_document = false;
    app.side_pane = SidePane::Annotations;
}

/// Keeps rows, the list and `app.pane_matches` up to date; every frame.
pub fn logic(app: &mut GlossApp, ctx: &egui::Context) {
    let shown = app.side_pane == SidePane::Annotations;
    if (shown || app.show_dashboard)
        && let Err(message) = refresh_data(app, ctx)
    {
        app.notify(message);
    }
    if shown && let Err(message) = refresh_view(app, ctx) {
        app.notify(message);
    }
    if !shown && !app.show_dashboard {
        release_stale(app);
    }
    refresh_matches(app, shown);
}

/// Frees hidden rows of an older project state: they share that state's
/// documents, so they would keep a second copy of every document edited
/// since. They would be rebuilt when shown again anyway.
fn release_stale(app: &mut GlossApp) {
    let version = app.project_version();
    let pane = &mut app.annotations;
    if pane.data.as_ref().is_some_and(|d| d.version != version) {
        super::jobs::drop_later((pane.data.take(), pane.view.take()));
    }
}

fn refresh_data(app: &mut GlossApp, ctx: &egui::Context) -> Result<(), String> {
    let version = app.project_version();
    let pane = &mut app.annotations;
    if let Some(job) = &pane.data_job
        && let Some(answer) = job.poll()
    {
        pane.data_job = None;
        // The old rows and documents they alone hold are freed on another
        // thread: on a large project that can take longer than a frame.
        super::jobs::drop_later(pane.data.replace(answer?));
    }
    if pane.data.as_ref().is_some_and(|d| d.version == version) {
        return Ok(());
    }
    if pane.data_job.is_some() {
        ctx.request_repaint_after(Duration::from_millis(50));
        return Ok(());
    }
    let project = app.session.project();
    if project.annotation_count() <= pane.sync_limit {
        pane.data = Some(Data::build(version, project));
        return Ok(());
    }
    let since = match pane.seen {
        Some((seen, since)) if seen == version => since,
        _ => {
            let now = Instant::now();
            pane.seen = Some((version, now));
            now
        }
    };
    let waited = since.elapsed();
    if pane.data.is_some() && waited < SETTLE {
        ctx.request_repaint_after(SETTLE - waited);
        return Ok(());
    }
    // The worker needs its own copy: the project changes on this thread.
    let snapshot = project.clone();
    pane.data_job = Some(Pending::spawn("building the annotation list", move || {
        Data::build(version, &snapshot)
    })?);
    ctx.request_repaint_after(Duration::from_millis(50));
    Ok(())
}

/// Index of the shown document in `table` (which may be of an older state).
fn document_in(app: &GlossApp, table: &Table) -> Option<usize> {
    let id = app.document()?.id.as_str();
    if table.documents.get(app.current).is_some_and(|d| d.id == id) {
        return Some(app.current);
    }
    table.documents.iter().position(|d| d.id == id)
}

fn refresh_view(app: &mut GlossApp, ctx: &egui::Context) -> Result<(), String> {
    let Some(data) = app.annotations.data.clone() else {
        return Ok(());
    };
    let mut filter = app.annotations.filter.clone();
    filter.document = if app.annotations.this_document {
        // No shown document: a scope that lists nothing.
        Some(document_in(app, &data.table).unwrap_or(usize::MAX))
    } else {
        None
    };
    let pane = &mut app.annotations;
    if let Some(job) = &pane.view_job
        && let Some(answer) = job.poll()
    {
        pane.view_job = None;
        super::jobs::drop_later(pane.view.replace(answer?));
    }
    let key = ViewKey {
        version: data.version,
        filter,
        sort: pane.sort,
    };
    if pane.view.as_ref().is_some_and(|v| v.key == key) {
        return Ok(());
    }
    if pane.view_job.is_some() {
        ctx.request_repaint_after(Duration::from_millis(30));
        return Ok(());
    }
    let table = data.table;
    let make = move || View {
        order: Arc::new(table.view(&key.filter, key.sort)),
        table,
        key,
    };
    if data_is_small(pane) {
        pane.view = Some(make());
    } else {
        pane.view_job = Some(Pending::spawn("filtering annotations", make)?);
        ctx.request_repaint_after(Duration::from_millis(30));
    }
    Ok(())
}

/// Whether a list is made at once: one document's rows are a few hundred at
/// most, and a small project's all are cheap.
fn data_is_small(pane: &AnnotationsPane) -> bool {
    pane.this_document
        || pane
            .data
            .as_ref()
            .is_none_or(|d| d.table.rows.len() <= pane.sync_limit)
}

fn refresh_matches(app: &mut GlossApp, shown: bool) {
    let pane = &mut app.annotations;
    let view = pane
        .view
        .as_ref()
        .filter(|_| shown && pane.filter.is_active());
    let Some(view) = view else {
        pane.matches_for = None;
        if app.pane_matches.is_some() {
            app.pane_matches = None;
        }
        return;
    };
    let doc_id = app
        .session
        .project()
        .documents
        .get(app.current)
        .map(|d| d.id.clone());
    let key = (Arc::as_ptr(&view.order) as usize, doc_id.clone());
    if pane.matches_for.as_ref() == Some(&key) {
        return;
    }
    let index = doc_id
        .as_deref()
        .and_then(|id| view.table.documents.iter().position(|d| d.id == id));
    let matches = index
        .map(|i| view.table.matches_in(i, &view.order))
        .unwrap_or_default();
    app.pane_matches = Some(Arc::new(matches));
    pane.matches_for = Some(key);
}

const ROW_HEIGHT: f32 = 20.0;

/// Draws the pane.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    let before = (
        app.annotations.filter.clone(),
        app.annotations.sort,
        app.annotations.this_document,
    );
    filters_ui(app, ui);
    ui.separator();
    let Some(view) = app.annotations.view.clone() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Building the list of annotations…");
        });
        return;
    };
    table_ui(app, ui, &view);
    let pane = &app.annotations;
    if before != (pane.filter.clone(), pane.sort, pane.this_document) {
        // The list is remade at the start of a frame: have one.
        ui.ctx().request_repaint();
    }
}

fn combo<T: Clone + PartialEq>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<T>,
    choices: &[(T, String)],
) {
    let name = ui.label(label);
    let selected = value
        .as_ref()
        .and_then(|v| choices.iter().find(|(c, _)| c == v))
        .map_or("any".to_owned(), |(_, text)| text.clone());
    egui::ComboBox::from_id_salt(("annotations-filter", label))
        .selected_text(selected)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "any");
            for (choice, text) in choices {
                ui.selectable_value(value, Some(choice.clone()), text);
            }
        })
        .response
        .labelled_by(name.id);
}

fn text_field(ui: &mut egui::Ui, label: &str, value: &mut String) {
    let name = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .hint_text("part, or \"whole\"")
            .desired_width(110.0),
    )
    .labelled_by(name.id);
}

fn filters_ui(app: &mut GlossApp, ui: &mut egui::Ui) {
    let (labels, annotators) = match &app.annotations.data {
        Some(data) => (data.table.labels.clone(), data.table.annotators.clone()),
        None => (Vec::new(), Vec::new()),
    };
    let schema = &app.session.project().schema;
    // The schema's types first, named; then any other type in the rows.
    let mut types: Vec<(String, String)> = schema
        .entity_types
        .iter()
        .map(|t| (t.key.clone(), format!("{} — {}", t.key, t.name)))
        .collect();
    for label in labels.iter().filter(|l| !l.is_empty()) {
        if !types.iter().any(|(k, _)| k == label) {
            types.push((label.clone(), label.clone()));
        }
    }
    let pane = &mut app.annotations;
    let total = pane.view.as_ref().map_or(0, |v| v.order.len());
    ui.horizontal(|ui| {
        ui.selectable_value(&mut pane.this_document, true, "This document");
        ui.selectable_value(&mut pane.this_document, false, "Whole project");
        if pane.busy() {
            ui.spinner();
        }
    });
    ui.horizontal(|ui| {
        let noun = if pane.filter.is_active() {
            "matching"
        } else {
            "listed"
        };
        ui.label(format!(
            "{} {noun}",
            crate::model::plural(total, "annotation")
        ));
        if ui
            .add_enabled(pane.filter.is_active(), egui::Button::new("Clear filters"))
            .clicked()
        {
            pane.filter = Filter::default();
        }
    });
    let filter = &mut pane.filter;
    ui.horizontal_wrapped(|ui| {
        let kinds: Vec<(Kind, String)> = Kind::ALL
            .iter()
            .map(|k| (*k, k.label().to_owned()))
            .collect();
        combo(ui, "Kind:", &mut filter.kind, &kinds);
        combo(ui, "Type:", &mut filter.label, &types);
        let reviews: Vec<(Review, String)> = table::REVIEWS
            .iter()
            .map(|r| (*r, table::review_label(*r).to_owned()))
            .collect();
        combo(ui, "Review:", &mut filter.review, &reviews);
        let mut verdicts: Vec<(Option<Verdict>, String)> =
            Verdict::ALL.iter().map(|v| (Some(*v), v.label())).collect();
        verdicts.push((None, "no verdict".to_owned()));
        combo(ui, "Verdict:", &mut filter.verdict, &verdicts);
        let mut people: Vec<(Option<String>, String)> = annotators
            .iter()
            .map(|a| (Some(a.clone()), a.clone()))
            .collect();
        people.push((None, "nobody recorded".to_owned()));
        combo(ui, "Annotator:", &mut filter.annotator, &people);
        let statuses: Vec<(Status, String)> = Status::ALL.iter().map(|s| (*s, s.label())).collect();
        combo(ui, "Status:", &mut filter.status, &statuses);
    });
    ui.horizontal_wrapped(|ui| {
        text_field(ui, "Text:", &mut filter.text);
        text_field(ui, "Claimant:", &mut filter.claimant);
        text_field(ui, "Document:", &mut filter.doc_text);
    });
}

fn cell(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(text).truncate().selectable(false));
}

fn table_ui(app: &mut GlossApp, ui: &mut egui::Ui, view: &View) {
    use egui_extras::{Column as Width, TableBuilder};
    let table = &view.table;
    let order = &view.order;
    if order.is_empty() {
        ui.label(if app.annotations.filter.is_active() {
            "No annotation matches the filters."
        } else {
            "No annotations here yet."
        });
        return;
    }
    let selected = app
        .selected
        .as_ref()
        .zip(app.document_id())
        .map(|(s, doc)| (doc, s.kind, s.id.clone()));
    let sort = app.annotations.sort;
    let mut clicked = None;
    let mut sort_by = None;
    // No sideways scroll area around the table: it would take the rows'
    // clicks. The columns fit the pane and can be resized.
    ui.scope(|ui| {
        TableBuilder::new(ui)
            .id_salt("annotations-pane")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Width::initial(52.0).at_least(30.0).clip(true))
            .column(Width::initial(48.0).at_least(30.0).clip(true))
            .column(Width::remainder().at_least(100.0).clip(true))
            .column(Width::initial(80.0).at_least(30.0).clip(true))
            .column(Width::initial(72.0).at_least(30.0).clip(true))
            .column(Width::initial(64.0).at_least(30.0).clip(true))
            .column(Width::initial(70.0).at_least(30.0).clip(true))
            .column(Width::initial(90.0).at_least(30.0).clip(true))
            .min_scrolled_height(0.0)
            .header(ROW_HEIGHT + 2.0, |mut header| {
                for column in Column::ALL {
                    header.col(|ui| {
                        let arrow = match (sort.column == column, sort.descending) {
                            (false, _) => "",
                            (true, false) => " ▲",
                            (true, true) => " ▼",
                        };
                        let button = egui::Button::new(
                            egui::RichText::new(format!("{}{arrow}", column.title())).strong(),
                        )
                        .frame(false);
                        if ui
                            .add(button)
                            .on_hover_text("Sort by this column; again to reverse")
                            .clicked()
                        {
                            sort_by = Some(column);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, order.len(), |mut row| {
                    let Some(&index) = order.get(row.index()) else {
                        return;
                    };
                    let Some(data) = table.rows.get(index as usize) else {
                        return;
                    };
                    let doc = table.document(data);
                    let kind = ui_kind(data.kind);
                    row.set_selected(selected.as_ref().is_some_and(|(d, k, id)| {
                        *k == kind && **id == *table.id(data) && doc.is_some_and(|x| x.id == *d)
                    }));
                    row.col(|ui| cell(ui, data.kind.label()));
                    row.col(|ui| cell(ui, table.label(data)));
                    row.col(|ui| cell(ui, table.text(data)));
                    row.col(|ui| cell(ui, table.claimant(data).unwrap_or("")));
                    row.col(|ui| cell(ui, &data.verdict.map(|v| v.label()).unwrap_or_default()));
                    row.col(|ui| cell(ui, table.annotator(data).unwrap_or("")));
                    row.col(|ui| cell(ui, data.review.map_or("", table::review_label)));
                    row.col(|ui| cell(ui, doc.map_or("", |d| d.title.as_str())));
                    if row.response().clicked() {
                        clicked = Some(index);
                    }
                });
            });
    });
    if let Some(column) = sort_by {
        let sort = &mut app.annotations.sort;
        if sort.column == column {
            sort.descending = !sort.descending;
        } else {
            *sort = Sort {
                column,
                descending: false,
            };
        }
    }
    if let Some(row) = clicked.and_then(|i| table.rows.get(i as usize)) {
        jump(app, table, row);
    }
}

fn ui_kind(kind: Kind) -> AnnotationKind {
    match kind {
        Kind::Entity => AnnotationKind::Entity,
        Kind::Claim => AnnotationKind::Claim,
        Kind::Relation => AnnotationKind::Relation,
    }
}

/// Shows the row's document and selects the annotation.
fn jump(app: &mut GlossApp, table: &Table, row: &table::Row) {
    let Some(doc) = table.document(row) else {
        return;
    };
    let Some(index) = app.session.project().document_index(&doc.id) else {
        app.notify(format!("document {} is gone", doc.id));
        return;
    };
    if index != app.current {
        app.act(Action::SelectDocument(index));
    }
    app.act(Action::SelectAnnotation(AnnotationRef {
        kind: ui_kind(row.kind),
        id: table.id(row).to_owned(),
    }));
}
