//! The app's state and its frame: collect intents from the panels, run them,
//! draw. Work that is not drawing (file dialogs, autosave) runs in `logic`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::model::Project;
use crate::workspace::Session;

use super::actions::Action;
use super::article_view::ArticleView;
use super::autosave::Autosave;
use super::claim_editor::ClaimEditor;
use super::dialogs::Dialogs;
use super::files::FilePicker;
use super::find::FindState;
use super::schema_editor::SchemaEditor;

/// What the app opens with.
#[derive(Debug, Clone)]
pub enum Startup {
    /// The built-in sample project.
    Sample,
    /// A project file.
    Project(PathBuf),
    /// Articles to import into a new project, web pages read as the mode
    /// says.
    Articles(Vec<PathBuf>, crate::ingest::HtmlMode),
    /// A project file already read (and so checked) by the caller.
    Loaded(Box<Project>, PathBuf),
    /// A project already in memory (tests).
    InMemory(Box<Project>, Option<PathBuf>),
}

pub use crate::model::AnnotationKind;

/// The selected annotation of the current document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationRef {
    /// Entity, claim or relation.
    pub kind: AnnotationKind,
    /// Its id.
    pub id: String,
}

/// Right-hand pane tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SidePane {
    /// The selected annotation.
    Inspector,
    /// Canonical entities across documents.
    Entities,
    /// Who claimed what.
    Claims,
    /// Every annotation in a sortable, filterable table.
    Annotations,
}

/// The whole app.
pub struct GlossApp {
    /// The open project, its history and file.
    pub session: Session,
    /// Index of the document shown.
    pub current: usize,
    /// Text selection in the current document: (anchor, head), code points.
    pub selection: Option<(usize, usize)>,
    /// The selected annotation.
    pub selected: Option<AnnotationRef>,
    /// Snap selections to word boundaries.
    pub snap_to_words: bool,
    /// How imported web pages are read (File → Web pages).
    pub html_mode: crate::ingest::HtmlMode,
    /// Dark theme.
    pub dark: bool,
    /// Document list filter.
    pub doc_filter: String,
    /// Right pane tab.
    pub side_pane: SidePane,
    /// Side panels the user unfolded in a window too small for them.
    pub unfolded: super::panel_widths::Unfolded,
    /// Find bar.
    pub find: FindState,
    /// Modal dialogs and prompts.
    pub dialogs: Dialogs,
    /// Claim editor window.
    pub claim_editor: Option<ClaimEditor>,
    /// The command palette, while open.
    pub palette: Option<super::palette::Palette>,
    /// Where a relation being made by keyboard starts (L … L).
    pub link_from: Option<AnnotationRef>,
    /// Review mode: the text is read-only and the keys review annotations.
    pub review_mode: bool,
    /// Schema editor window.
    pub schema_editor: Option<SchemaEditor>,
    /// The help overlay.
    pub show_help: bool,
    /// Article layout cache.
    pub(crate) article_view: ArticleView,
    /// Native dialogs.
    pub files: Box<dyn FilePicker>,
    /// Background journal of changes.
    pub(crate) autosave: Autosave,
    /// The save being written off the UI thread, and one waiting its turn.
    pub saving: super::saving::Saving,
    /// A message in the status bar, with when it was shown.
    pub message: Option<(String, Instant)>,
    /// Every message of this session, for the messages window.
    pub notifications: super::notifications::Log,
    /// Actions collected this frame.
    pub(crate) pending: Vec<Action>,
    /// The user confirmed closing (after saving or discarding).
    pub close_confirmed: bool,
    /// Recently opened project files, newest first.
    pub recent: Vec<PathBuf>,
    /// Folder for recent files and the recovery copy of unsaved projects.
    pub data_dir: PathBuf,
    /// Work running off the UI thread.
    pub jobs: super::jobs::Jobs,
    /// What to do once a "Save as" asked for by the unsaved-changes prompt
    /// succeeds (quit, open another project…).
    pub after_save: Option<super::dialogs::AfterSave>,
    /// Changes whenever another project replaces the open one.
    pub session_serial: u64,
    /// The user's preferences (the annotator's name).
    pub prefs: super::prefs::Preferences,
    /// While the Annotations pane filters: the annotations that match, as
    /// (document id, annotation id). The article view dims every other
    /// annotation. A new `Arc` whenever the matches change, so views can
    /// key caches on its pointer.
    pub pane_matches: Option<Arc<std::collections::HashSet<(String, String)>>>,
    /// Another annotator's project loaded by File → Compare with…, with the
    /// agreement figures.
    pub compare: Option<super::compare::Comparison>,
    /// The adjudication walk-through, while open.
    pub adjudication: Option<super::adjudication::Adjudication>,
    /// The Annotations pane: filters, sort, rows.
    pub annotations: super::annotations_pane::AnnotationsPane,
    /// The Dashboard window is open.
    pub show_dashboard: bool,
    /// The annotate-all dialog's count across all documents (a worker).
    pub(crate) annotate_all_preview: super::annotate_all::Preview,
    /// Changes to the project file made by other programs.
    pub(crate) disk_watch: super::disk_sync::DiskWatch,
    /// Suggestions learned from the project's finished documents.
    pub suggestions: super::suggestions::Suggestions,
}

impl GlossApp {
    /// Opens `startup` with the user's data folder.
    pub fn new(startup: Startup, files: Box<dyn FilePicker>) -> Self {
        let mut app = Self::new_in(startup, files, crate::store::recovery::data_dir());
        // The first start asks who annotates (skippable), unless another
        // question (a recovery copy) comes first.
        if !app.prefs.asked_name && !app.dialogs.is_open() {
            app.dialogs.ask_name(None);
        }
        app
    }

    /// Opens `startup`, keeping recent files and recovery copies in
    /// `data_dir`; errors become a message and an empty project.
    pub fn new_in(startup: Startup, files: Box<dyn FilePicker>, data_dir: PathBuf) -> Self {
        let mut message = None;
        let mut html_mode = crate::ingest::HtmlMode::default();
        let session = match startup {
            Startup::Sample => match crate::sample::sample_project() {
                Ok(project) => Session::new(project, None),
                Err(e) => {
                    message = Some(e.to_string());
                    Session::new(Project::new(Project::UNTITLED), None)
                }
            },
            Startup::Project(path) => match Session::open(&path) {
                Ok((session, refused)) => {
                    message = refused.map(read_only_note);
                    session
                }
                Err(e) => {
                    message = Some(e.to_string());
                    Session::new(Project::new(Project::UNTITLED), None)
                }
            },
            Startup::Loaded(project, path) => {
                let (session, refused) = Session::open_loaded(*project, &path);
                message = refused.map(read_only_note);
                session
            }
            Startup::Articles(paths, mode) => {
                html_mode = mode;
                let mut session = Session::new(Project::new(Project::UNTITLED), None);
                let (edit, report) =
                    crate::ingest::add_articles_with(session.project(), &paths, mode);
                if !report.warnings.is_empty() {
                    message = Some(report.warnings.join("; "));
                }
                if let Some(edit) = edit
                    && let Err(e) = session.apply(edit)
                {
                    message = Some(e.to_string());
                }
                if let Some(error) = report.errors.first() {
                    message = Some(error.to_string());
                }
                session
            }
            Startup::InMemory(project, path) => Session::new(*project, path),
        };
        let mut app = Self {
            session,
            current: 0,
            selection: None,
            selected: None,
            snap_to_words: true,
            html_mode,
            dark: false,
            doc_filter: String::new(),
            side_pane: SidePane::Inspector,
            find: FindState::default(),
            dialogs: Dialogs::default(),
            claim_editor: None,
            palette: None,
            link_from: None,
            review_mode: false,
            schema_editor: None,
            show_help: false,
            article_view: ArticleView::default(),
            files,
            autosave: Autosave::default(),
            saving: Default::default(),
            message: None,
            unfolded: Default::default(),
            notifications: Default::default(),
            pending: Vec::new(),
            close_confirmed: false,
            recent: super::commands::load_recent(&data_dir),
            prefs: super::prefs::Preferences::load(&data_dir),
            data_dir,
            jobs: super::jobs::Jobs::default(),
            after_save: None,
            session_serial: 0,
            pane_matches: None,
            compare: None,
            adjudication: None,
            annotations: Default::default(),
            show_dashboard: false,
            annotate_all_preview: Default::default(),
            disk_watch: Default::default(),
            suggestions: Default::default(),
        };
        if let Some(message) = message {
            app.notify(message);
        }
        app.offer_recovery();
        app
    }

    /// Changes with every change of the project, and when another project
    /// replaces it (a new session's history starts again at generation 0):
    /// the key for caches derived from the project.
    pub fn project_version(&self) -> (u64, u64) {
        (self.session_serial, self.session.history.generation())
    }

    /// The project state a background job starts from.
    pub fn job_origin(&self) -> super::jobs::Origin {
        super::jobs::Origin {
            session: self.session_serial,
            generation: self.session.history.generation(),
        }
    }

    /// Where the current project's recovery copy goes.
    pub fn recovery_path(&self) -> PathBuf {
        // A read-only session must not journal beside a file another
        // Gloss is writing: that one's recovery copy lives there.
        let path = self
            .session
            .path
            .as_deref()
            .filter(|_| !self.session.is_read_only());
        crate::store::recovery::recovery_path(path, &self.data_dir)
    }

    /// Shows a message in the status bar.
    pub fn notify(&mut self, message: impl Into<String>) {
        let mut message = message.into();
        log::info!("{message}");
        self.notifications.push(&message);
        // The status bar has one line: a message of megabytes (a file's
        // whole error list) would be laid out, slowly, for nothing.
        const LONGEST: usize = 600;
        if let Some((cut, _)) = message.char_indices().nth(LONGEST) {
            message.truncate(cut);
            message.push('…');
        }
        self.message = Some((message, Instant::now()));
    }

    /// Queues an action for this frame.
    pub fn act(&mut self, action: Action) {
        self.pending.push(action);
    }

    /// Asks for an edit, applied with this frame's other actions.
    pub fn request_edit(&mut self, edit: crate::edit::Edit) {
        self.act(Action::Edit(Box::new(edit)));
    }

    /// The width the article text is wrapped at, in points: for tests that
    /// check the text fits the visible column.
    pub fn article_wrap_width(&self) -> f32 {
        self.article_view.wrap_width()
    }

    /// The document shown, if any.
    pub fn document(&self) -> Option<&crate::model::Document> {
        self.session
            .project()
            .documents
            .get(self.current)
            .map(|d| &**d)
    }

    /// The id of the document shown.
    pub fn document_id(&self) -> Option<String> {
        self.document().map(|d| d.id.clone())
    }

    /// The selection as an ordered (start, end) range, if not empty.
    pub fn selection_range(&self) -> Option<(usize, usize)> {
        let (a, b) = self.selection?;
        let (start, end) = (a.min(b), a.max(b));
        (start < end).then_some((start, end))
    }

    /// Runs one frame: background logic, input, drawing, then the actions
    /// the frame produced. Used by eframe and by the tests' harness.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.logic(&ctx);
        self.handle_close_request(&ctx);
        self.handle_dropped_files(&ctx);
        self.read_shortcuts(&ctx);
        super::annotations_pane::logic(self, &ctx);
        super::menu_bar::show(self, ui);
        super::status_bar::show(self, ui);
        super::adjudication::show(self, ui);
        super::document_list::show(self, ui);
        super::inspector::show_side_pane(self, ui);
        egui::CentralPanel::default().show(ui, |ui| {
            super::read_only_banner::show(self, ui);
            super::suggestions_bar::show(self, ui);
            super::find::bar(self, ui);
            super::article_view::show(self, ui);
        });
        super::claim_editor::show(self, &ctx);
        super::schema_editor::show(self, &ctx);
        super::compare::show(self, &ctx);
        super::dashboard::show(self, &ctx);
        super::help::show(self, &ctx);
        super::notifications::show(self, &ctx);
        super::dialogs::show(self, &ctx);
        super::palette::show(self, &ctx);
        self.run_pending(&ctx);
        let title = format!(
            "{}{} — Gloss",
            if self.session.is_dirty() { "● " } else { "" },
            self.session.display_name()
        );
        // Every viewport command requests a repaint: send the title only when
        // it changes, or the app would repaint forever while idle.
        let title_id = egui::Id::unique("gloss-window-title");
        if ctx.data(|d| d.get_temp::<String>(title_id)).as_ref() != Some(&title) {
            ctx.data_mut(|d| d.insert_temp(title_id, title.clone()));
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));
        }
    }

    fn logic(&mut self, ctx: &egui::Context) {
        while let Some(picked) = self.files.poll() {
            self.on_picked(picked);
        }
        for (origin, output) in self.jobs.poll() {
            self.on_job_output(origin, output);
        }
        for failure in self.jobs.take_failures() {
            self.notify(failure);
        }
        if self.files.busy() || self.jobs.busy() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if let Some(finished) = self.saving.poll() {
            self.on_save_finished(finished);
        }
        self.watch_disk(ctx);
        self.suggestions_logic();
        if self.saving.busy() {
            ctx.request_repaint_after(Duration::from_millis(50));
        } else {
            // Not while saving: the save writes the project anyway, and a
            // journal written now could outlive the save that removes it.
            let recovery = self.recovery_path();
            if let Some(error) = self.autosave.tick(&self.session, recovery) {
                self.notify(format!("autosave failed: {error}"));
            }
        }
        if self.session.is_dirty() {
            ctx.request_repaint_after(super::autosave::INTERVAL);
        }
        if let Some((_, shown)) = &self.message
            && shown.elapsed() > Duration::from_secs(8)
        {
            self.message = None;
        }
    }

    fn run_pending(&mut self, ctx: &egui::Context) {
        let actions = std::mem::take(&mut self.pending);
        // Actions run after drawing: show what they changed (a selection, a
        // scroll to an annotation) in another frame.
        if !actions.is_empty() {
            ctx.request_repaint();
        }
        for action in actions {
            self.run(action, ctx);
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        let (projects, articles): (Vec<PathBuf>, Vec<PathBuf>) = dropped
            .into_iter()
            .partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")));
        if let Some(project) = projects.into_iter().next() {
            self.act(Action::OpenProjectPath(project));
        }
        if !articles.is_empty() {
            self.act(Action::ImportArticlePaths(articles));
        }
    }

    fn read_shortcuts(&mut self, ctx: &egui::Context) {
        for (shortcut, action) in super::actions::global_shortcuts(&self.session.project().schema) {
            if ctx.input_mut(|i| super::command_table::consume_exact(i, &shortcut)) {
                self.act(action);
            }
        }
        let modal_open = self.dialogs.is_open()
            || self.claim_editor.is_some()
            || self.schema_editor.is_some()
            || self.palette.is_some();
        if ctx.egui_wants_keyboard_input() || modal_open {
            if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
                self.act(Action::Escape);
            }
            return;
        }
        super::commands::read_annotation_keys(self, ctx);
    }
}

impl eframe::App for GlossApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
        if self.close_confirmed {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn on_exit(&mut self) {
        // A save in flight finishes before the process ends.
        self.wait_for_save();
        // Leave the recovery copy only when there is unsaved work to restore.
        if !self.session.is_dirty() {
            crate::store::recovery::remove(&self.recovery_path());
        }
    }
}

/// What the status bar says when another writer holds the project's lock.
fn read_only_note(refused: crate::store::LockError) -> String {
    format!("{refused}: opened read-only (Save As to keep changes)")
}
