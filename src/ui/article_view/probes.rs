//! What the view drew in the last frame, for tests and benchmarks.

use super::*;

/// A glyph as the article view drew it in the last frame, on screen: for
/// tests that click where a word is drawn, and compare glyph forms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawnGlyph {
    /// The character it was shaped from (the first of its cluster).
    pub chr: char,
    /// Where it was drawn: its advance wide, its row high.
    pub rect: Rect,
    /// Its place in the font atlas: one per glyph form and size.
    pub atlas: ([u16; 2], [u16; 2]),
    /// In a right-to-left run.
    pub rtl: bool,
    /// The piece (see [`piece_ranges`]) and the row in it.
    pub piece: usize,
    /// The row within the piece.
    pub row: usize,
}

/// The glyphs of the pieces drawn in the last frame, row by row, left to
/// right within each run (runs in visual order).
pub fn drawn_glyphs(app: &GlossApp) -> Vec<DrawnGlyph> {
    let view = &app.article_view;
    let mut out = Vec::new();
    for (index, pos) in &view.last_drawn {
        let Some(Some(cached)) = view.galleys.get(*index) else {
            continue;
        };
        let mut push = |galley: &Galley,
                        origin: Pos2,
                        top: f32,
                        height: Option<f32>,
                        rtl: bool,
                        row_of: &dyn Fn(usize) -> usize| {
            for (r, row) in galley.rows.iter().enumerate() {
                for g in &row.row.glyphs {
                    let x = origin.x + row.pos.x + g.pos.x;
                    let y = top + height.map_or(row.pos.y, |_| 0.0);
                    let h = height.unwrap_or(row.row.size.y);
                    out.push(DrawnGlyph {
                        chr: g.chr,
                        rect: Rect::from_min_size(Pos2::new(x, y), Vec2::new(g.advance_width, h)),
                        atlas: (g.uv_rect.min, g.uv_rect.max),
                        rtl,
                        piece: *index,
                        row: row_of(r),
                    });
                }
            }
        };
        match &cached.layout {
            PieceLayout::Plain(galley) => {
                push(galley, *pos, pos.y, None, false, &|r| r);
            }
            PieceLayout::Bidi(piece) => {
                for (l, line) in piece.lines.iter().enumerate() {
                    for ((gx, galley), run) in line.galleys.iter().zip(&line.line.runs) {
                        push(
                            galley,
                            Pos2::new(pos.x + gx, pos.y),
                            pos.y + line.top,
                            Some(line.height),
                            run.run.rtl,
                            &|_| l,
                        );
                    }
                }
            }
        }
    }
    out
}

/// How many pieces the article view laid out in the last frame (for tests
/// and benchmarks: a frame that changes nothing lays out none).
pub fn layouts_last_frame(app: &GlossApp) -> usize {
    app.article_view.last_layouts
}

/// How many relations the article drew in the last frame (for tests).
pub fn relations_drawn_last_frame(app: &GlossApp) -> usize {
    app.article_view.last_relations_drawn
}

/// The annotations drawn with a review mark in the last frame, as (id,
/// decision), for tests.
pub fn review_marks_last_frame(app: &GlossApp) -> &[(String, Review)] {
    &app.article_view.last_review_marks
}
