//! Pieces with right-to-left text: laid out here instead of by egui, which
//! shapes an Arabic or Hebrew stretch but places stretches, words and
//! neutrals in stored order and does no bidi reordering (egui 0.37). Each
//! piece is broken into lines from measured widths, each line reordered by
//! the bidi algorithm ([`crate::model::bidi`]), and each run of one
//! direction on a line shaped whole as one galley: highlights, selections
//! and find hits are shapes drawn behind, so they never cut a word's shaping
//! (letters keep their joined forms). Built once per piece and cached.

use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontFamily, FontId, Galley, Pos2, Rect, Vec2};

use crate::model::bidi::{self, GlyphBox, Line, PlacedRun, Run};

/// The font family right-to-left runs are shaped in (DejaVu Sans first,
/// registered by [`crate::ui::theme::install`]): one face for the whole
/// run, so egui shapes it as one stretch, right to left.
pub const RTL_FAMILY: &str = "gloss-rtl";

/// A laid-out line: where it is, its runs and their galleys.
pub(super) struct BidiLine {
    pub top: f32,
    pub height: f32,
    pub line: Line,
    /// One galley per run of `line.runs`, with the x of its origin.
    pub galleys: Vec<(f32, Arc<Galley>)>,
}

/// A laid-out piece.
pub(super) struct BidiPiece {
    pub lines: Vec<BidiLine>,
    pub size: Vec2,
}

/// A run shaped on its own: its galley and caret positions (relative to it).
struct Shaped {
    galley: Arc<Galley>,
    carets: Vec<f32>,
}

fn shape(ui: &egui::Ui, chars: &[char], rtl: bool, font_size: f32, color: Color32) -> Shaped {
    let rtl_family = FontFamily::Name(RTL_FAMILY.into());
    let has_rtl_family = ui.fonts(|f| f.definitions().families.contains_key(&rtl_family));
    let text: String = chars.iter().collect();
    // A right-to-left run of neutrals only (" (", "– "): the shaper would
    // lay it out left to right, so hand it over reversed and mirrored.
    let reversed = rtl && !bidi::has_rtl_letter(&text);
    let shown: String = if reversed {
        chars.iter().rev().map(|c| bidi::mirrored(*c)).collect()
    } else {
        text
    };
    let family = if rtl && !reversed && has_rtl_family {
        rtl_family
    } else {
        FontFamily::Proportional
    };
    let mut job = LayoutJob::single_section(
        shown,
        TextFormat {
            font_id: FontId::new(font_size, family),
            color,
            ..Default::default()
        },
    );
    job.wrap.max_width = f32::INFINITY;
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    let glyphs: Vec<GlyphBox> = galley
        .rows
        .iter()
        .flat_map(|row| {
            row.row.glyphs.iter().map(move |g| GlyphBox {
                chr: g.chr,
                x: row.pos.x + g.pos.x,
                advance: g.advance_width,
            })
        })
        .collect();
    let carets = if reversed {
        let ltr = bidi::run_carets(chars, &glyphs, false);
        // Code point k is glyph n-1-k: its reading-order (right) edge is
        // the left-to-right caret n-k.
        let n = chars.len();
        (0..=n)
            .map(|k| ltr.get(n - k).copied().unwrap_or(0.0))
            .collect()
    } else {
        bidi::run_carets(chars, &glyphs, rtl)
    };
    Shaped { galley, carets }
}

/// Lays out `text` (one piece) wrapped at `width`.
pub(super) fn layout(
    ui: &egui::Ui,
    text: &str,
    width: f32,
    font_size: f32,
    color: Color32,
) -> BidiPiece {
    let chars: Vec<char> = text.chars().collect();
    let levels = bidi::char_levels(text);
    let rtl_paragraph = bidi::is_rtl_paragraph(text);
    // Measure: each run of one level shaped whole gives every code point's advance.
    let level_runs = bidi::level_runs(&levels);
    let mut widths = vec![0.0_f32; chars.len()];
    let mut measured: Vec<(Run, Shaped)> = Vec::with_capacity(level_runs.len());
    for run in level_runs {
        let shaped = shape(
            ui,
            chars.get(run.start..run.end).unwrap_or_default(),
            run.rtl,
            font_size,
            color,
        );
        for k in run.start..run.end {
            let i = k - run.start;
            if let (Some(a), Some(b), Some(w)) = (
                shaped.carets.get(i),
                shaped.carets.get(i + 1),
                widths.get_mut(k),
            ) {
                *w = (a - b).abs();
            }
        }
        measured.push((run, shaped));
    }
    let ranges = bidi::break_lines(&chars, &widths, width);
    let visual = bidi::visual_lines(text, &ranges);
    let row_height = ui.fonts_mut(|f| f.row_height(&FontId::proportional(font_size)));
    let mut lines = Vec::with_capacity(ranges.len());
    let mut top = 0.0;
    for (range, runs) in ranges.iter().zip(visual) {
        let mut x = 0.0;
        let mut placed = Vec::with_capacity(runs.len());
        let mut galleys = Vec::with_capacity(runs.len());
        let mut height = row_height;
        for run in runs {
            let shaped = match measured.iter().find(|(r, _)| *r == run) {
                Some((_, s)) => Shaped {
                    galley: s.galley.clone(),
                    carets: s.carets.clone(),
                },
                None => shape(
                    ui,
                    chars.get(run.start..run.end).unwrap_or_default(),
                    run.rtl,
                    font_size,
                    color,
                ),
            };
            let left = shaped.carets.iter().copied().fold(f32::INFINITY, f32::min);
            let right = shaped
                .carets
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max);
            let (left, right) = if left.is_finite() {
                (left, right)
            } else {
                (0.0, 0.0)
            };
            height = height.max(shaped.galley.size().y);
            galleys.push((x - left, shaped.galley));
            placed.push(PlacedRun {
                run,
                carets: shaped.carets.iter().map(|c| c - left + x).collect(),
            });
            x += right - left;
        }
        // Right-to-left paragraphs are aligned right.
        let shift = if rtl_paragraph {
            (width - x).max(0.0)
        } else {
            0.0
        };
        for run in &mut placed {
            run.carets.iter_mut().for_each(|c| *c += shift);
        }
        galleys.iter_mut().for_each(|(gx, _)| *gx += shift);
        lines.push(BidiLine {
            top,
            height,
            line: Line {
                start: range.start,
                end: range.end,
                runs: placed,
            },
            galleys,
        });
        top += height;
    }
    BidiPiece {
        lines,
        size: Vec2::new(width, top),
    }
}

impl BidiPiece {
    /// The line at `y` (piece coordinates), clamped to the first or last.
    pub fn line_at(&self, y: f32) -> Option<&BidiLine> {
        let i = self.lines.partition_point(|l| l.top + l.height <= y);
        self.lines.get(i).or_else(|| self.lines.last())
    }

    /// The line holding code point `offset` (or the caret after the last one).
    pub fn line_of(&self, offset: usize) -> Option<&BidiLine> {
        let i = self.lines.partition_point(|l| l.line.end <= offset);
        self.lines.get(i).or_else(|| self.lines.last())
    }

    /// Rectangles (piece coordinates) that draw code points `start..end`:
    /// one per run they touch on each line; a caret (empty range) gives a
    /// zero-width rectangle.
    pub fn rects(&self, start: usize, end: usize) -> Vec<Rect> {
        if start == end {
            return self
                .line_of(start)
                .map(|l| {
                    let x = l.line.caret_x(start);
                    vec![Rect::from_min_max(
                        Pos2::new(x, l.top),
                        Pos2::new(x, l.top + l.height),
                    )]
                })
                .unwrap_or_default();
        }
        let first = self.lines.partition_point(|l| l.line.end <= start);
        let mut out = Vec::new();
        for l in self.lines.iter().skip(first) {
            if l.line.start >= end {
                break;
            }
            for (x0, x1) in l.line.x_ranges(start, end) {
                out.push(Rect::from_min_max(
                    Pos2::new(x0, l.top),
                    Pos2::new(x1, l.top + l.height),
                ));
            }
        }
        out
    }
}

/// One line of text (a title, a name) as a job whose sections are its runs
/// in visual order: egui places sections left to right, and shapes each
/// right-to-left run (in [`RTL_FAMILY`]) right to left. For labels, which
/// need no offsets: `egui::Label::new(job)`. Text that needs no bidi is one
/// section.
pub fn visual_line_job(ui: &egui::Ui, text: &str, font: FontId, color: Color32) -> LayoutJob {
    let mut job = LayoutJob::default();
    let format = |family: Option<FontFamily>| TextFormat {
        font_id: FontId::new(font.size, family.unwrap_or_else(|| font.family.clone())),
        color,
        ..Default::default()
    };
    if !bidi::needs_bidi(text) {
        job.append(text, 0.0, format(None));
        return job;
    }
    let rtl_family = FontFamily::Name(RTL_FAMILY.into());
    let has_rtl_family = ui.fonts(|f| f.definitions().families.contains_key(&rtl_family));
    let chars: Vec<char> = text.chars().collect();
    let line = 0..chars.len();
    let runs = bidi::visual_lines(text, std::slice::from_ref(&line));
    for run in runs.first().into_iter().flatten() {
        let part = chars.get(run.start..run.end).unwrap_or_default();
        let s: String = part.iter().collect();
        if !run.rtl {
            job.append(&s, 0.0, format(None));
        } else if bidi::has_rtl_letter(&s) {
            job.append(&s, 0.0, format(has_rtl_family.then(|| rtl_family.clone())));
        } else {
            let shown: String = part.iter().rev().map(|c| bidi::mirrored(*c)).collect();
            job.append(&shown, 0.0, format(None));
        }
    }
    job
}
