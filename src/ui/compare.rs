//! File → Compare with…: another annotator's project, loaded off the UI
//! thread, with the agreement figures of `gloss agree` (this project is A,
//! the reference) and, for the document shown, both annotators' versions
//! side by side, a colour per annotator and every disagreement marked.

use std::path::PathBuf;
use std::sync::Arc;

use egui::RichText;

use super::actions::Action;
use super::adjudication::{shorten, side_color};
use super::app::GlossApp;
use super::jobs::Origin;
use crate::model::{Document, Project};
use crate::review::agree::{AgreeOptions, Agreement, Figures, SpanCounts};

/// The other project and how far it agrees with this one.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The other project's file.
    pub path: PathBuf,
    /// Its file name, for headings.
    pub name: String,
    /// The other project (B).
    pub other: Arc<Project>,
    /// The figures, this project as A.
    pub agreement: Agreement,
    /// The state of this project the figures were worked out for.
    pub origin: Option<Origin>,
    /// List only the places where the two versions differ.
    pub only_differences: bool,
}

/// The comparison of `a` (this project) with `other`.
pub fn compare(a: &Project, other: Arc<Project>, path: PathBuf) -> Comparison {
    // No documents are selected, so agree cannot fail.
    let agreement =
        crate::review::agree::agree(a, &other, &AgreeOptions::default()).unwrap_or_default();
    Comparison {
        name: file_name(&path),
        path,
        other,
        agreement,
        origin: None,
        only_differences: false,
    }
}

pub(crate) fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// One place of the document where either annotator put something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Code points.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// The quoted text.
    pub text: String,
    /// What A has there (entity types, claims in words), sorted.
    pub a: Vec<String>,
    /// What B has there.
    pub b: Vec<String>,
}

impl Row {
    /// Whether both have the same there.
    pub fn agrees(&self) -> bool {
        self.a == self.b
    }
}

/// Both versions of one document, one row per span either annotated,
/// in text order.
pub fn rows(a: &Document, b: &Document) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut add = |start: usize, end: usize, text: &str, what: String, first: bool| {
        let row = match rows.iter_mut().find(|r| r.start == start && r.end == end) {
            Some(row) => row,
            None => {
                rows.push(Row {
                    start,
                    end,
                    text: text.to_owned(),
                    a: Vec::new(),
                    b: Vec::new(),
                });
                let last = rows.len() - 1;
                &mut rows[last]
            }
        };
        if first {
            row.a.push(what);
        } else {
            row.b.push(what);
        }
    };
    for (doc, first) in [(a, true), (b, false)] {
        for e in &doc.entities {
            add(e.start, e.end, &e.text, e.label.to_string(), first);
        }
        for c in &doc.claims {
            let mut what = "claim".to_owned();
            if let Some(who) = c.claimant_name(doc) {
                what.push_str(&format!(" by {}", shorten(who, 30)));
            }
            if let Some(verdict) = &c.verdict {
                what.push_str(&format!(", {verdict:?}"));
            }
            add(c.start, c.end, &c.text, what, first);
        }
    }
    for row in &mut rows {
        row.a.sort();
        row.b.sort();
    }
    rows.sort_by_key(|r| (r.start, r.end));
    rows
}

/// Draws the comparison window while one is loaded.
pub fn show(app: &mut GlossApp, ctx: &egui::Context) {
    let Some(comparison) = &app.compare else {
        return;
    };
    let mut only_differences = comparison.only_differences;
    let dark = ctx.global_style().visuals.dark_mode;
    let (color_a, color_b) = (side_color(0, dark), side_color(1, dark));
    let stale = comparison.origin.is_some_and(|o| o != app.job_origin());
    let project = app.session.project();
    let doc = app.document();
    let twin = doc.and_then(|d| {
        comparison
            .other
            .documents
            .iter()
            .find(|o| o.content_hash == d.content_hash)
    });
    let mut open = true;
    let mut actions = Vec::new();
    let mut recompute = false;
    egui::Window::new(format!("Comparison with {}", comparison.name))
        .id(egui::Id::unique("comparison"))
        .open(&mut open)
        .default_width(620.0)
        .default_height(560.0)
        .vscroll(true)
        .default_pos([ctx.content_rect().max.x - 680.0, 120.0])
        .show(ctx, |ui| {
            let ag = &comparison.agreement;
            ui.horizontal(|ui| {
                // Both sides by file name (this project by its name while it
                // has no file), so A and B read alike.
                let name_a = app
                    .session
                    .path
                    .as_deref()
                    .map_or_else(|| project.name.clone(), file_name);
                ui.colored_label(color_a, RichText::new(format!("A: {name_a}")).strong());
                ui.label("(reference)");
                ui.colored_label(
                    color_b,
                    RichText::new(format!("B: {}", comparison.name)).strong(),
                );
            });
            ui.label(format!(
                "{} compared (matched by text); only in A: {}; only in B: {}",
                crate::model::plural(ag.documents, "document"),
                ag.only_in_a.len(),
                ag.only_in_b.len()
            ));
            if stale {
                ui.horizontal(|ui| {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "The figures are from before your last changes.",
                    );
                    if ui.button("Recompute").clicked() {
                        recompute = true;
                    }
                });
            }
            ui.separator();
            figures_grid(ui, ag);
            if ui
                .button("Adjudicate…")
                .on_hover_text(
                    "Merge A (as saved) and B into a new, unsaved curated project \
                     and settle their disagreements one by one",
                )
                .clicked()
            {
                actions.push(Action::AdjudicateComparison);
            }
            ui.separator();
            let Some(doc) = doc else { return };
            ui.strong(format!("This document: {}", shorten(&doc.title, 60)));
            let Some(twin) = twin else {
                ui.label("B does not have this document (no document with the same text).");
                return;
            };
            let rows = rows(doc, twin);
            let differ = rows.iter().filter(|r| !r.agrees()).count();
            ui.label(format!(
                "{} annotated; {} differ{}",
                crate::model::plural(rows.len(), "place"),
                differ,
                if differ == 1 { "s" } else { "" }
            ));
            ui.checkbox(&mut only_differences, "Only differences");
            let error = ui.visuals().error_fg_color;
            egui::Grid::new("comparison-rows")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    ui.strong("Text");
                    ui.colored_label(color_a, RichText::new("A").strong());
                    ui.colored_label(color_b, RichText::new("B").strong());
                    ui.strong("");
                    ui.end_row();
                    for row in rows.iter().filter(|r| !only_differences || !r.agrees()) {
                        let link = ui
                            .link(format!("“{}”", shorten(&row.text, 36)))
                            .on_hover_text(format!("{}–{}: show it", row.start, row.end));
                        if link.clicked() {
                            actions.push(Action::JumpTo {
                                doc: doc.id.clone(),
                                start: row.start,
                                end: row.end,
                            });
                        }
                        let side = |list: &[String]| {
                            if list.is_empty() {
                                "—".to_owned()
                            } else {
                                list.join("; ")
                            }
                        };
                        ui.colored_label(color_a, side(&row.a));
                        ui.colored_label(color_b, side(&row.b));
                        if row.agrees() {
                            ui.label("✔");
                        } else {
                            ui.colored_label(error, RichText::new("✖ differs").strong());
                        }
                        ui.end_row();
                    }
                });
        });
    if !open {
        actions.push(Action::CloseComparison);
    }
    // A view setting of the panel, not a change to the project.
    if let Some(comparison) = &mut app.compare {
        comparison.only_differences = only_differences;
    }
    if recompute {
        actions.push(Action::Recompare);
    }
    for action in actions {
        app.act(action);
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"))
}

/// The figures as `gloss agree` prints them: per type, all, and claims.
fn figures_grid(ui: &mut egui::Ui, ag: &Agreement) {
    egui::Grid::new("agreement-figures")
        .striped(true)
        .num_columns(10)
        .show(ui, |ui| {
            for head in [
                "Entities",
                "A",
                "B",
                "exact",
                "P",
                "R",
                "F1",
                "overlap F1",
                "κ",
                "α",
            ] {
                ui.strong(head);
            }
            ui.end_row();
            let row = |ui: &mut egui::Ui, name: &str, f: &Figures, strong: bool| {
                let cells = span_cells(&f.spans)
                    .into_iter()
                    .chain([number(f.kappa), number(f.alpha)]);
                if strong {
                    ui.strong(name);
                } else {
                    ui.label(name);
                }
                for cell in cells {
                    ui.label(cell);
                }
                ui.end_row();
            };
            for (key, f) in &ag.per_type {
                row(ui, key, f, false);
            }
            row(ui, "all", &ag.overall, true);
            ui.strong("claims");
            for cell in span_cells(&ag.claims.spans) {
                ui.label(cell);
            }
            ui.end_row();
        });
    let shares: Vec<String> = ag
        .claims
        .shares()
        .iter()
        .map(|(name, share)| format!("{name} {}", number(*share)))
        .collect();
    ui.label(format!(
        "Matched claims ({}) agree on: {}",
        ag.claims.compared,
        shares.join(" · ")
    ));
}

fn span_cells(s: &SpanCounts) -> Vec<String> {
    vec![
        s.a.to_string(),
        s.b.to_string(),
        s.exact.to_string(),
        number(s.precision()),
        number(s.recall()),
        number(s.f1()),
        number(s.overlap_f1()),
    ]
}
