//! Laying out one piece: egui galleys for left-to-right pieces, the bidi
//! path for the rest, the cache entry, and rectangles over a range.

use super::*;

/// A laid-out piece: by egui when it is all left to right (styles as
/// sections of one galley), else by [`bidi_piece`] (runs in visual order,
/// styles drawn as shapes behind).
#[derive(Clone)]
pub(super) enum PieceLayout {
    Plain(Arc<Galley>),
    Bidi(Arc<BidiPiece>),
}

impl PieceLayout {
    pub(super) fn height(&self) -> f32 {
        match self {
            Self::Plain(g) => g.size().y,
            Self::Bidi(b) => b.size.y,
        }
    }

    /// Rectangles covering code points `start..end` (piece coordinates).
    pub(super) fn rects(&self, start: usize, end: usize) -> Vec<Rect> {
        match self {
            Self::Plain(g) => range_rects(g, start, end),
            Self::Bidi(b) => b.rects(start, end),
        }
    }

    /// The caret nearest to `pos` and the code point drawn under it.
    pub(super) fn hit(&self, pos: Vec2) -> (usize, Option<usize>) {
        match self {
            Self::Plain(g) => {
                let caret = g.cursor_from_pos(pos).index.0;
                let inside = g.rect.contains(pos.to_pos2());
                // A caret lands on the nearer edge of the glyph: the glyph
                // under the pointer is the one whose span holds `pos.x`.
                let under = inside.then(|| {
                    let before = caret.saturating_sub(1);
                    let rects = range_rects(g, before, caret);
                    if rects.iter().any(|r| {
                        (r.min.x..r.max.x).contains(&pos.x) && (r.min.y..r.max.y).contains(&pos.y)
                    }) {
                        before
                    } else {
                        caret
                    }
                });
                (caret, under)
            }
            Self::Bidi(b) => match b.line_at(pos.y) {
                Some(l) => {
                    let inside = pos.y >= 0.0 && pos.y < b.size.y;
                    (
                        l.line.offset_at(pos.x),
                        l.line.char_at(pos.x).filter(|_| inside),
                    )
                }
                None => (0, None),
            },
        }
    }

    /// The top of the row holding `offset`.
    pub(super) fn row_top(&self, offset: usize) -> f32 {
        match self {
            Self::Plain(g) => g.pos_from_cursor(CCursor::new(offset)).min.y,
            Self::Bidi(b) => b.line_of(offset).map_or(0.0, |l| l.top),
        }
    }
}

/// A laid-out paragraph and what it was laid out for.
pub(super) struct CachedGalley {
    /// [`text_signature`] of what it was laid out for.
    pub(super) signature: u64,
    /// The hash of the looks it was laid out in: an edit that changes the
    /// spans but not how the text looks (an entity added in the light
    /// theme) keeps the galley.
    pub(super) looks: u64,
    pub(super) layout: PieceLayout,
    /// A plain piece's background rectangles and their [`background_signature`].
    pub(super) background: Option<(u64, Backgrounds)>,
}

/// Background rectangles of a plain piece and their colours.
pub(super) type Backgrounds = Arc<Vec<(Rect, Color32)>>;

/// Background rectangles of a plain piece (galley coordinates, on pixels),
/// built the way egui builds a section's background so they look the same:
/// one per run of glyphs of one colour on a row, expanded by a point.
pub(super) fn background_rects(
    galley: &Galley,
    colors: &[Color32],
    pixels_per_point: f32,
) -> Vec<(Rect, Color32)> {
    let mut out = Vec::new();
    let mut char_index = 0usize;
    for row in &galley.rows {
        let mut run: Option<(Color32, Rect)> = None;
        let mut last = Rect::NOTHING;
        let mut end_run = |run: Option<(Color32, Rect)>, stop_x: f32| {
            if let Some((color, start)) = run {
                let rect = Rect::from_min_max(start.left_top(), Pos2::new(stop_x, start.bottom()))
                    .expand(1.0)
                    .round_to_pixels(pixels_per_point)
                    .translate(row.pos.to_vec2());
                out.push((rect, color));
            }
        };
        for glyph in &row.glyphs {
            let color = colors
                .get(char_index)
                .copied()
                .unwrap_or(Color32::TRANSPARENT);
            char_index += 1;
            let rect = glyph.logical_rect();
            if color == Color32::TRANSPARENT {
                end_run(run.take(), last.right());
            } else if let Some((existing, start)) = run {
                if existing != color || start.top() != rect.top() || start.bottom() != rect.bottom()
                {
                    end_run(run.take(), last.right());
                    run = Some((color, rect));
                }
            } else {
                run = Some((color, rect));
            }
            last = rect;
        }
        end_run(run.take(), last.right());
        char_index += usize::from(row.ends_with_newline);
    }
    out
}

/// Lays out one plain piece in its [`text_looks`].
pub(super) fn layout_piece(
    ui: &egui::Ui,
    text: &str,
    looks: &[(usize, usize, Look)],
    width: f32,
    font_size: f32,
) -> Arc<Galley> {
    let font = FontId::proportional(font_size);
    let mut job = LayoutJob {
        wrap: egui::text::TextWrapping::wrap_at_width(width),
        ..Default::default()
    };
    // Byte offsets of the looks' bounds, in one pass over the text.
    let mut bytes = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let mut at_char = 0usize;
    let mut byte_from = bytes.next().unwrap_or(text.len());
    for (from, to, look) in looks {
        let _ = from;
        let byte_to = bytes.nth(to - at_char - 1).unwrap_or(text.len());
        at_char = *to;
        let piece = text.get(byte_from..byte_to).unwrap_or_default();
        byte_from = byte_to;
        job.append(
            piece,
            0.0,
            TextFormat {
                font_id: font.clone(),
                color: look.color,
                italics: look.italics,
                underline: look.underline,
                ..Default::default()
            },
        );
    }
    if job.text.is_empty() {
        job.append(
            "",
            0.0,
            TextFormat {
                font_id: font,
                color: ui.visuals().text_color(),
                ..Default::default()
            },
        );
    }
    ui.fonts_mut(|fonts| fonts.layout_job(job))
}

/// Rectangles covering a code-point range of a galley, one per row.
pub(super) fn range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let count = row.char_count_excluding_newline().0;
        let row_end = row_start + count;
        let (s, e) = (start.max(row_start), end.min(row_end));
        if s < e || (s == e && start == end && s >= row_start && s <= row_end) {
            let x0 = row.pos.x + row.x_offset(egui::epaint::text::CharIndex(s - row_start));
            let x1 = row.pos.x + row.x_offset(egui::epaint::text::CharIndex(e - row_start));
            rects.push(Rect::from_min_max(
                Pos2::new(x0, row.min_y()),
                Pos2::new(x1, row.max_y()),
            ));
        }
        row_start = row_end + usize::from(row.ends_with_newline);
    }
    rects
}
