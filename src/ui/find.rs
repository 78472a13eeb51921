//! Find (Ctrl+F): hits in the article and across the project.

use super::actions::Action;
use super::app::GlossApp;

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
    /// Hits per document for `cached_for`: (doc id, start, end).
    hits: Vec<(String, usize, usize)>,
    /// The same hits per document, in text order.
    by_document: std::collections::HashMap<String, Vec<(usize, usize)>>,
    cached_for: Option<(String, bool, (u64, u64))>,
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
        self.by_document.get(doc).map_or(&[], Vec::as_slice)
    }

    /// Recomputes hits when the query or the project changed.
    fn refresh(&mut self, project: &crate::model::Project, generation: (u64, u64)) {
        let key = (self.query.clone(), self.match_case, generation);
        if self.cached_for.as_ref() == Some(&key) {
            return;
        }
        self.cached_for = Some(key);
        self.hits = find_all(project, &self.query, self.match_case);
        self.by_document.clear();
        for (doc, start, end) in &self.hits {
            self.by_document
                .entry(doc.clone())
                .or_default()
                .push((*start, *end));
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
        app.find.refresh(app.session.project(), generation);
        let here = app.document_id().unwrap_or_default();
        let in_doc = app.find.by_document.get(&here).map_or(0, Vec::len);
        ui.label(format!(
            "{in_doc} here · {} in {}",
            app.find.hits.len(),
            crate::model::plural(app.find.by_document.len(), "document")
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
    let order = |doc: &str| {
        app.session
            .project()
            .document_index(doc)
            .unwrap_or(usize::MAX)
    };
    let mut hits: Vec<&(String, usize, usize)> = app.find.hits.iter().collect();
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
