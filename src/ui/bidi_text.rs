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

/// Characters of a one-line text ever considered for a label: no panel is
/// wide enough to show more, and a title can be a whole one-line article.
const MOST_SHOWN: usize = 400;

/// `text` on one line in `font`, cut at its *logical* end with "…" so it
/// fits `max_width`, then put in visual order. Cutting after reordering
/// (egui's `truncate`) would cut a right-to-left title at its start, which
/// is drawn on the right. Whether it was cut is returned too.
pub fn fitted_line_job(
    ui: &egui::Ui,
    text: &str,
    font: egui::FontId,
    color: egui::Color32,
    max_width: f32,
) -> (LayoutJob, bool) {
    let job_of = |s: &str| super::visual_line_job(ui, s, font.clone(), color);
    let width_of = |job: &LayoutJob| ui.fonts_mut(|f| f.layout_job(job.clone())).size().x;
    let chars: Vec<char> = text.chars().take(MOST_SHOWN + 1).collect();
    if chars.len() <= MOST_SHOWN {
        let whole = job_of(text);
        if width_of(&whole) <= max_width {
            return (whole, false);
        }
    }
    // The longest prefix that fits with its ellipsis, searched once per
    // title, font and width (whole points) rather than every frame.
    let key = egui::Id::unique((
        "fitted-line",
        &chars,
        &font,
        color,
        max_width.round() as i64,
    ));
    if let Some(found) = ui.data(|d| d.get_temp::<LayoutJob>(key)) {
        return (found, true);
    }
    let cut = |n: usize| {
        let mut s: String = chars.iter().take(n).collect();
        s.truncate(s.trim_end().len());
        s.push('…');
        s
    };
    let (mut fits, mut too_long) = (0usize, chars.len().min(MOST_SHOWN));
    while fits + 1 < too_long {
        let mid = (fits + too_long) / 2;
        if width_of(&job_of(&cut(mid))) <= max_width {
            fits = mid;
        } else {
            too_long = mid;
        }
    }
    let job = job_of(&cut(fits));
    ui.data_mut(|d| d.insert_temp(key, job.clone()));
    (job, true)
}
