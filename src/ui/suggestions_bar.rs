//! The suggestions bar over the article: how many suggestions the shown
//! document has, the score threshold, accept-all for a type, and the keys.
//! Hidden with the suggestions (View → Hide suggestions).

use super::Action;
use super::app::GlossApp;

/// Draws the bar.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    if !app.suggestions.enabled || app.document().is_none() {
        return;
    }
    let shown = app.suggestions.shown();
    let finished = app.document().is_some_and(crate::suggest::is_training);
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new("Suggestions").strong());
        match app.suggestions.recommender() {
            // No spinner: it would repaint every frame; the job's end repaints.
            None if app.suggestions.is_training() => {
                ui.label("learning from the finished documents…");
            }
            Some(r) if r.is_empty() => {
                ui.label("no entities to learn from yet: annotate a few articles and mark them Done (Ctrl+3)");
                let claims = app.suggestions.claims().len();
                if claims > 0 {
                    ui.label(format!(
                        "· {} · S next · Enter accept · X reject",
                        crate::model::plural(claims, "candidate claim")
                    ));
                }
            }
            None => {
                ui.label("nothing to learn from yet: annotate a few articles and mark them Done (Ctrl+3)");
            }
            Some(r) => {
                let trained = r.trained();
                if finished {
                    ui.label("none in a finished document (Gloss learns from it)");
                } else {
                    let claims = app.suggestions.claims().len();
                    let claims = match claims {
                        0 => String::new(),
                        1 => " and 1 claim".to_owned(),
                        n => format!(" and {n} claims"),
                    };
                    ui.label(format!(
                        "{} here{claims} · S next · Enter accept · X reject",
                        shown.len()
                    ));
                }
                let slider = egui::Slider::new(&mut app.suggestions.threshold, 0.0..=1.0)
                    .text("min score")
                    .fixed_decimals(2);
                ui.add(slider);
                let mut labels: Vec<&str> = shown.iter().map(|s| s.label.as_str()).collect();
                labels.sort_unstable();
                labels.dedup();
                for label in labels {
                    let count = shown.iter().filter(|s| s.label == label).count();
                    if ui
                        .small_button(format!("Accept all {label} ({count})"))
                        .on_hover_text(format!(
                            "Accept every {label} suggestion in this document, as one step you can undo"
                        ))
                        .clicked()
                    {
                        app.act(Action::AcceptAllSuggestions(Some(label.to_owned())));
                    }
                }
                if app.suggestions.is_training() {
                    ui.label(egui::RichText::new("learning…").weak());
                }
                ui.label(
                    egui::RichText::new(format!(
                        "learned from {} ({})",
                        crate::model::plural(trained.documents, "document"),
                        plural_entities(trained.entities)
                    ))
                    .weak(),
                );
            }
        }
        if ui.small_button("Hide").clicked() {
            app.act(Action::ToggleSuggestions);
        }
    });
    ui.add_space(2.0);
}

/// "1 entity", "2 entities".
fn plural_entities(count: usize) -> String {
    if count == 1 {
        "1 entity".to_owned()
    } else {
        format!("{count} entities")
    }
}
