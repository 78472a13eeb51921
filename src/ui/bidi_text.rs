//! Short texts in the app's own widgets (document titles, quotes in the
//! inspector and the claim editor) in reading order: egui places
//! right-to-left runs in stored order, so an Arabic title would read
//! backwards. Each line is reordered by the bidi algorithm
//! ([`super::visual_line_job`]); text with no right-to-left character is
//! left as it is.

use egui::text::LayoutJob;
use egui::{TextStyle, WidgetText};

/// `text` for a label in the body font, each line in visual order.
pub fn bidi_text(ui: &egui::Ui, text: &str) -> WidgetText {
    if !crate::model::bidi::needs_bidi(text) {
        return text.into();
    }
    let font = TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    let mut job = LayoutJob::default();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            job.append("\n", 0.0, egui::TextFormat::simple(font.clone(), color));
        }
        let visual = super::visual_line_job(ui, line, font.clone(), color);
        for section in &visual.sections {
            let range = section.byte_range.start.0..section.byte_range.end.0;
            let part = visual.text.get(range).unwrap_or_default();
            job.append(part, 0.0, section.format.clone());
        }
    }
    job.into()
}
