//! The Dashboard window: progress by document status, entity mentions per
//! type, claims per claimant and per verdict, annotations per annotator and
//! review progress, each as a bar chart with its numbers beside it. Clicking
//! a bar (or its name) shows those annotations in the Annotations pane.
//!
//! With another annotator's project loaded (File → Compare with…), the
//! agreement figures follow: F1 per entity type as bars, every figure beside.
//!
//! The numbers come from [`crate::review::dashboard::Dashboard`], built with
//! the pane's rows once per project state (off the UI thread on a large
//! project), so a frame only draws.

use egui_plot::{Bar, BarChart, Plot};

use crate::review::dashboard::Dashboard;
use crate::review::table::{self, Filter, Kind, TextMatch};

use super::actions::Action;
use super::app::GlossApp;

/// Bars drawn for the claimant and annotator charts; the rest are summed.
const MOST: usize = 10;
/// A chart's width in points.
const CHART_WIDTH: f32 = 380.0;

/// One bar: its name, its count and the filter it stands for.
struct Entry {
    name: String,
    count: usize,
    filter: Filter,
    color: Option<egui::Color32>,
}

/// Draws the window while it is open.
pub fn show(app: &mut GlossApp, ctx: &egui::Context) {
    if !app.show_dashboard {
        return;
    }
    let data = app.annotations.data().cloned();
    let schema = app.session.project().schema.clone();
    let comparison = app.compare.clone();
    let decisions = app.suggestion_decisions();
    let curve = app.suggestions.curve();
    let curve_pending = app.suggestions.curve_pending();
    let mut open = true;
    let mut picked = None;
    egui::Window::new("Dashboard")
        .open(&mut open)
        .default_size([760.0, 640.0])
        .vscroll(true)
        .show(ctx, |ui| {
            let Some(data) = data else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Counting…");
                });
                return;
            };
            let d = &data.dashboard;
            if data.version != app.project_version() {
                ui.weak("Updating…");
            }
            ui.label(format!(
                "{} · {} · {} · {}",
                crate::model::plural(d.documents, "document"),
                crate::model::plural(
                    d.entities_by_type.iter().map(|(_, n)| n).sum(),
                    "entity mention"
                ),
                crate::model::plural(d.claims, "claim"),
                crate::model::plural(data.table.rows.len() - d.reviewable(), "relation"),
            ));
            ui.weak("Click a bar or a name to list those annotations in the Annotations pane.");
            let rejected = d
                .review
                .iter()
                .find(|(r, _)| *r == crate::model::Review::Rejected)
                .map_or(0, |(_, n)| *n);
            if rejected > 0 {
                // The counts are of everything in the file; an export leaves
                // these out unless asked.
                ui.label(format!(
                    "The counts include {} rejected in review.",
                    crate::model::plural(rejected, "annotation")
                ));
            }
            for (title, entries) in sections(d, &schema) {
                ui.separator();
                if let Some(filter) = section(ui, title, &entries) {
                    picked = Some(filter);
                }
            }
            ui.separator();
            adjudication_section(ui, d);
            ui.separator();
            suggestions_section(ui, &decisions);
            learning_curve_section(ui, curve.as_deref().map(Vec::as_slice), curve_pending);
            if let Some(comparison) = &comparison {
                ui.separator();
                if let Some(filter) = agreement_section(ui, comparison, &schema) {
                    picked = Some(filter);
                }
            } else {
                ui.separator();
                ui.weak(
                    "Agreement: compare with another annotator's project (File → Compare with…).",
                );
            }
        });
    if !open {
        app.show_dashboard = false;
    }
    if let Some(filter) = picked {
        app.act(Action::FilterAnnotations(Box::new(filter)));
    }
}

/// What is left to settle and who decided what (format version 5's
/// `reviewer`).
fn adjudication_section(ui: &mut egui::Ui, d: &Dashboard) {
    ui.strong("Adjudication and review decisions");
    ui.label(if d.unsettled == 0 {
        "No disagreements left to settle.".to_owned()
    } else {
        format!(
            "{} left to settle (Ctrl+Shift+J walks them).",
            crate::model::plural(d.unsettled, "disagreement")
        )
    });
    if d.by_reviewer.is_empty() {
        ui.weak("No decisions recorded yet: settling a disagreement or reviewing an annotation records who decided.");
        return;
    }
    egui::Grid::new("decisions by reviewer")
        .num_columns(2)
        .show(ui, |ui| {
            ui.weak("reviewer");
            ui.weak("entities and claims decided");
            ui.end_row();
            for (who, n) in &d.by_reviewer {
                ui.label(who);
                ui.label(n.to_string());
                ui.end_row();
            }
        });
}

/// Precision of suggestions per type, from the analyst's accepts and rejects.
fn suggestions_section(ui: &mut egui::Ui, decisions: &[(String, usize, usize)]) {
    ui.strong("Suggestions: precision so far");
    if decisions.is_empty() {
        ui.weak("No suggestion accepted or rejected yet (S walks them, Enter accepts, X rejects).");
        return;
    }
    egui::Grid::new("suggestion-precision")
        .striped(true)
        .show(ui, |ui| {
            for head in ["Type", "Accepted", "Rejected", "Precision"] {
                ui.strong(head);
            }
            ui.end_row();
            for (label, accepted, rejected) in decisions {
                ui.label(label);
                ui.label(accepted.to_string());
                ui.label(rejected.to_string());
                let decided = accepted + rejected;
                ui.label(if decided == 0 {
                    "–".to_owned()
                } else {
                    format!("{:.0}%", 100.0 * *accepted as f64 / decided as f64)
                });
                ui.end_row();
            }
        });
}

/// F1 of suggestions on held-out finished documents as training grows.
fn learning_curve_section(
    ui: &mut egui::Ui,
    curve: Option<&[crate::suggest::CurvePoint]>,
    pending: bool,
) {
    ui.strong("Suggestions: learning curve");
    match curve {
        None if pending => {
            ui.weak("Training on parts of the finished documents…");
        }
        Some(points) if !points.is_empty() => {
            let series: Vec<[f64; 2]> = points.iter().map(|p| [p.documents as f64, p.f1]).collect();
            let line = egui_plot::Line::new("F1", series.clone());
            let dots = egui_plot::Points::new("F1 points", series).radius(4.0);
            Plot::new("learning-curve")
                .width(380.0)
                .height(140.0)
                .allow_zoom(false)
                .allow_drag(false)
                .allow_scroll(false)
                .include_y(0.0)
                .include_y(1.0)
                .include_x(0.0)
                .x_axis_label("training documents")
                .y_axis_label("F1")
                .show(ui, |plot| {
                    plot.line(line);
                    plot.points(dots);
                });
            ui.weak(format!(
                "F1 of suggestions (score ≥ {:.2}) on the last fifth of the finished documents, learned from the others: {}",
                crate::suggest::DEFAULT_MIN_SCORE,
                points
                    .iter()
                    .map(|p| format!("{} → {:.2}", p.documents, p.f1))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        _ => {
            ui.weak("Mark at least two annotated documents Done to see how suggestions improve.");
        }
    }
}

fn sections(d: &Dashboard, schema: &crate::model::Schema) -> Vec<(&'static str, Vec<Entry>)> {
    let entry = |name: String, count: usize, filter: Filter| Entry {
        name,
        count,
        filter,
        color: None,
    };
    let status = d
        .by_status
        .iter()
        .map(|(s, n)| {
            entry(
                s.label(),
                *n,
                Filter {
                    status: Some(*s),
                    ..Filter::default()
                },
            )
        })
        .collect();
    let types = d
        .entities_by_type
        .iter()
        .map(|(key, n)| Entry {
            color: schema
                .entity_types
                .iter()
                .find(|t| t.key == *key)
                .map(|t| super::theme::swatch(t.color)),
            ..entry(
                key.clone(),
                *n,
                Filter {
                    kind: Some(Kind::Entity),
                    label: Some(key.clone()),
                    ..Filter::default()
                },
            )
        })
        .collect();
    let claimants = d
        .claims_by_claimant
        .iter()
        .map(|(who, n)| {
            entry(
                who.clone().unwrap_or_else(|| "no claimant".to_owned()),
                *n,
                Filter {
                    kind: Some(Kind::Claim),
                    claimant: TextMatch::exact(who.as_deref().unwrap_or("")),
                    ..Filter::default()
                },
            )
        })
        .collect();
    let verdicts = d
        .claims_by_verdict
        .iter()
        .map(|(v, n)| {
            entry(
                v.map_or("no verdict".to_owned(), |v| v.label()),
                *n,
                Filter {
                    verdict: Some(*v),
                    ..Filter::default()
                },
            )
        })
        .collect();
    let annotators = d
        .by_annotator
        .iter()
        .map(|(who, n)| {
            entry(
                who.clone().unwrap_or_else(|| "nobody recorded".to_owned()),
                *n,
                Filter {
                    annotator: Some(who.clone()),
                    ..Filter::default()
                },
            )
        })
        .collect();
    let review = d
        .review
        .iter()
        .map(|(r, n)| {
            entry(
                table::review_label(*r).to_owned(),
                *n,
                Filter {
                    review: Some(*r),
                    ..Filter::default()
                },
            )
        })
        .collect();
    vec![
        ("Documents by status", status),
        ("Entity mentions by type", types),
        ("Claims by claimant", claimants),
        ("Claims by verdict", verdicts),
        ("Entities and claims by annotator", annotators),
        ("Review progress (entities and claims)", review),
    ]
}

/// A chart and its numbers; the filter of a clicked bar or name.
fn section(ui: &mut egui::Ui, title: &str, entries: &[Entry]) -> Option<Filter> {
    ui.strong(title);
    let total: usize = entries.iter().map(|e| e.count).sum();
    let shown = entries.len().min(MOST);
    let mut picked = None;
    ui.horizontal_top(|ui| {
        let bars: Vec<(String, f64, Option<egui::Color32>)> = entries
            .iter()
            .take(shown)
            .map(|e| (e.name.clone(), e.count as f64, e.color))
            .collect();
        if let Some(i) = chart(ui, title, &bars)
            && let Some(entry) = entries.get(i)
        {
            picked = Some(entry.filter.clone());
        }
        ui.add_space(12.0);
        egui::Grid::new(("dashboard-numbers", title))
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for entry in entries.iter().take(shown) {
                    if ui.link(&entry.name).clicked() {
                        picked = Some(entry.filter.clone());
                    }
                    ui.label(entry.count.to_string());
                    ui.weak(percent(entry.count, total));
                    ui.end_row();
                }
                if entries.len() > shown {
                    let rest: usize = entries.iter().skip(shown).map(|e| e.count).sum();
                    ui.weak(format!("{} more", entries.len() - shown));
                    ui.label(rest.to_string());
                    ui.weak(percent(rest, total));
                    ui.end_row();
                }
            });
    });
    picked
}

/// A bar chart of `bars` (name, height, colour) with the names under the
/// bars; the index of a clicked bar.
fn chart(
    ui: &mut egui::Ui,
    title: &str,
    bars: &[(String, f64, Option<egui::Color32>)],
) -> Option<usize> {
    let shown = bars.len();
    let names: Vec<String> = bars.iter().map(|(name, _, _)| name.clone()).collect();
    let strong = ui.visuals().hyperlink_color;
    let bars: Vec<Bar> = bars
        .iter()
        .enumerate()
        .map(|(i, (name, value, color))| {
            // Solid bars with an outline: the types' swatches are pastel.
            let fill = color.unwrap_or(strong);
            let outline = egui::Stroke::new(1.0, fill.gamma_multiply(0.6).to_opaque());
            Bar::new(i as f64, *value)
                .name(name)
                .width(0.7)
                .fill(fill)
                .stroke(outline)
        })
        .collect();
    let chart = BarChart::new(title, bars).color(strong);
    // Every bar gets its name under it, cut with "…" to its column's width
    // (the table beside has the names in full).
    let column = CHART_WIDTH / shown.max(1) as f32;
    let fits = ((column / 7.0).floor() as usize).max(2);
    let names: Vec<String> = names
        .iter()
        .map(|name| {
            if name.chars().count() <= fits {
                name.clone()
            } else {
                let cut: String = name.chars().take(fits - 1).collect();
                format!("{}…", cut.trim_end())
            }
        })
        .collect();
    let plot = Plot::new(("dashboard", title))
        .width(CHART_WIDTH)
        .height(130.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([false, true])
        .include_y(0.0)
        .include_x(-0.5)
        .include_x(shown as f64 - 0.5)
        .show_x(false)
        .show_y(false)
        // Names under the bars; the numbers are in the table beside.
        .show_axes([true, false])
        // No side margins: a bar's place on screen follows from the
        // plot's width alone.
        .set_margin_fraction(egui::vec2(0.0, 0.1))
        // One mark per bar: egui_plot's own spacing labelled only every
        // fifth bar (the first).
        .x_grid_spacer(move |_| {
            (0..shown)
                .map(|i| egui_plot::GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        // Labels as close as the bars (egui_plot's default hides x labels
        // under 60 points apart: seven types showed none).
        .custom_x_axes(vec![
            egui_plot::AxisHints::new_x()
                .label_spacing(20.0..=24.0)
                .formatter(move |mark, _| {
                    let i = mark.value.round();
                    if (mark.value - i).abs() > 1e-6 || i < 0.0 {
                        return String::new();
                    }
                    names.get(i as usize).cloned().unwrap_or_default()
                }),
        ]);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(chart);
        plot_ui.pointer_coordinate()
    });
    if response.response.clicked()
        && let Some(point) = response.inner
    {
        return bar_at(point.x, shown);
    }
    None
}

/// Agreement with the project loaded by File → Compare with…: F1 overall
/// and per entity type as bars, every figure beside them (— where a figure
/// is undefined). A type's name or bar lists this project's mentions of it.
fn agreement_section(
    ui: &mut egui::Ui,
    comparison: &super::compare::Comparison,
    schema: &crate::model::Schema,
) -> Option<Filter> {
    let agreement = &comparison.agreement;
    let title = format!(
        "Agreement with {} (F1, this project as reference)",
        comparison.name
    );
    ui.strong(&title);
    ui.weak(format!(
        "{} compared · {} only here · {} only there",
        crate::model::plural(agreement.documents, "document"),
        agreement.only_in_a.len(),
        agreement.only_in_b.len()
    ));
    let mut rows: Vec<(String, &crate::review::agree::Figures)> =
        vec![("all types".to_owned(), &agreement.overall)];
    rows.extend(agreement.per_type.iter().map(|(key, f)| (key.clone(), f)));
    let color = |key: &str| {
        schema
            .entity_types
            .iter()
            .find(|t| t.key == key)
            .map(|t| super::theme::swatch(t.color))
    };
    let bars: Vec<(String, f64, Option<egui::Color32>)> = rows
        .iter()
        .map(|(name, f)| (name.clone(), f.spans.f1().unwrap_or(0.0), color(name)))
        .collect();
    let filter_for = |i: usize| {
        (i > 0).then(|| Filter {
            kind: Some(Kind::Entity),
            label: rows.get(i).map(|(key, _)| key.clone()),
            ..Filter::default()
        })
    };
    let mut picked = None;
    let figure = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.3}"));
    ui.horizontal_top(|ui| {
        if let Some(i) = chart(ui, &title, &bars) {
            picked = filter_for(i);
        }
        ui.add_space(12.0);
        egui::Grid::new("dashboard-agreement")
            .num_columns(7)
            .striped(true)
            .show(ui, |ui| {
                for heading in ["", "P", "R", "F1", "overlap F1", "κ", "α"] {
                    ui.weak(heading);
                }
                ui.end_row();
                for (i, (name, f)) in rows.iter().enumerate() {
                    if i == 0 {
                        ui.label(name);
                    } else if ui.link(name).clicked() {
                        picked = filter_for(i);
                    }
                    ui.label(figure(f.spans.precision()));
                    ui.label(figure(f.spans.recall()));
                    ui.label(figure(f.spans.f1()));
                    ui.label(figure(f.spans.overlap_f1()));
                    ui.label(figure(f.kappa));
                    ui.label(figure(f.alpha));
                    ui.end_row();
                }
                let claims = &agreement.claims.spans;
                ui.label("claims");
                ui.label(figure(claims.precision()));
                ui.label(figure(claims.recall()));
                ui.label(figure(claims.f1()));
                ui.label(figure(claims.overlap_f1()));
                ui.weak("—");
                ui.weak("—");
                ui.end_row();
            });
    });
    picked
}

/// The bar under x (bars sit at 0, 1, …, each 0.7 wide); clicks between
/// bars pick none.
fn bar_at(x: f64, bars: usize) -> Option<usize> {
    let i = x.round();
    (i >= 0.0 && (i as usize) < bars && (x - i).abs() <= 0.4).then_some(i as usize)
}

fn percent(count: usize, total: usize) -> String {
    if total == 0 {
        return String::new();
    }
    format!("{:.1}%", count as f64 * 100.0 / total as f64)
}
