//! Painting over and under the laid-out text: relation arcs, review
//! marks, and bidi pieces with their styles.

use super::*;

/// The relations whose two ends are on screen, as brat draws them: an arc
/// over the text from the first row of one end to the first row of the
/// other, an arrowhead at the target, the type's name at the top. Returns
/// how many were drawn.
pub(super) fn paint_relations(
    painter: &egui::Painter,
    doc: &Document,
    schema: &Schema,
    by_end: &RelationsByEnd,
    ends: &HashMap<String, Rect>,
    dark: bool,
    background: Color32,
) -> usize {
    if ends.is_empty() {
        return 0;
    }
    let color = theme::relation_color(dark);
    let stroke = Stroke::new(1.5, color);
    let font = FontId::proportional(11.0);
    let mut drawn = 0;
    // Only the relations of ends on screen, each once, in the document's
    // order (so overlapping arcs stack the same way every frame).
    let mut shown: Vec<usize> = ends
        .keys()
        .filter_map(|id| by_end.get(id))
        .flatten()
        .copied()
        .collect();
    shown.sort_unstable();
    shown.dedup();
    for relation in shown.iter().filter_map(|&i| doc.relations.get(i)) {
        let (Some(from), Some(to)) = (
            ends.get(relation.from.as_str()),
            ends.get(relation.to.as_str()),
        ) else {
            continue;
        };
        let a = Pos2::new(from.center().x, from.min.y);
        let b = Pos2::new(to.center().x, to.min.y);
        // Higher for ends further apart, within the rows above.
        let lift = (8.0 + 0.12 * (a.x - b.x).abs() + 0.5 * (a.y - b.y).abs()).min(28.0);
        let top = a.y.min(b.y) - lift;
        painter.add(egui::epaint::CubicBezierShape::from_points_stroke(
            [a, Pos2::new(a.x, top), Pos2::new(b.x, top), b],
            false,
            Color32::TRANSPARENT,
            stroke,
        ));
        painter.add(egui::Shape::convex_polygon(
            vec![b, b + Vec2::new(-4.0, -7.0), b + Vec2::new(4.0, -7.0)],
            color,
            Stroke::NONE,
        ));
        let name = schema.relation_name(&relation.label);
        let label_at = Pos2::new((a.x + b.x) / 2.0, top + lift * 0.25);
        let galley = painter.layout_no_wrap(name.to_owned(), font.clone(), color);
        let rect = Rect::from_center_size(label_at, galley.size()).expand(1.5);
        painter.rect_filled(rect, 3.0, background);
        painter.galley(rect.min + Vec2::splat(1.5), galley, color);
        drawn += 1;
    }
    drawn
}

/// Review decisions on the text, so a reviewer sees them without the pane:
/// a rejected annotation struck through (its background faded), an
/// accepted one with a green tick mark at its end, one marked for
/// discussion with an amber dot there.
pub(super) fn paint_review(
    painter: &egui::Painter,
    layout: &PieceLayout,
    spans: &[StyledSpan],
    pos: Pos2,
    dark: bool,
) {
    for span in spans.iter().filter(|s| s.review != Review::Unreviewed) {
        let rects: Vec<Rect> = layout
            .rects(span.start, span.end)
            .into_iter()
            .map(|r| r.translate(pos.to_vec2()))
            .collect();
        match span.review {
            Review::Rejected => {
                let color = theme::review_color(Review::Rejected, dark);
                for rect in &rects {
                    let y = rect.center().y;
                    painter.line_segment(
                        [Pos2::new(rect.min.x, y), Pos2::new(rect.max.x, y)],
                        Stroke::new(1.5, color),
                    );
                }
            }
            review => {
                // At the end of the span's last row (its right end in
                // left-to-right text; a mark, not text, so no offset moves).
                let Some(last) = rects.last() else { continue };
                let at = Pos2::new(last.max.x, last.min.y + 1.0);
                let color = theme::review_color(review, dark);
                if review == Review::Accepted {
                    let tick = [
                        at + Vec2::new(-5.0, -1.0),
                        at + Vec2::new(-3.0, 2.0),
                        at + Vec2::new(1.5, -4.0),
                    ];
                    painter.add(egui::Shape::line(tick.to_vec(), Stroke::new(2.0, color)));
                } else {
                    painter.circle_filled(at + Vec2::new(-1.5, -1.0), 3.0, color);
                }
            }
        }
    }
}

/// Draws a bidi piece at `pos`: entity backgrounds (the innermost on top),
/// find hits and the selection as rectangles behind the text, then each
/// run's galley, then claim underlines. A stretch in another colour (a cue;
/// text on an entity in the dark theme) is the same galley drawn again with
/// that colour, clipped to the stretch: the run's shaping is never cut.
pub(super) fn paint_bidi(
    ui: &egui::Ui,
    painter: &egui::Painter,
    piece: &BidiPiece,
    pos: Pos2,
    spans: &[StyledSpan],
    overlay: &Overlay,
    dark: bool,
) {
    let shift = pos.to_vec2();
    let clip = painter.clip_rect();
    // Only the lines in view, and only what touches them: a piece of a long
    // line is up to a thousand characters over many rows, and rectangles
    // are found per frame here (egui lays out no backgrounds for these runs).
    let first = piece
        .lines
        .partition_point(|l| pos.y + l.top + l.height < clip.min.y);
    let last = piece.lines.partition_point(|l| pos.y + l.top <= clip.max.y);
    let (Some(first_line), Some(last_line)) = (
        piece.lines.get(first),
        last.checked_sub(1).and_then(|i| piece.lines.get(i)),
    ) else {
        return;
    };
    if first >= last {
        return;
    }
    let (in_view_start, in_view_end) = (first_line.line.start, last_line.line.end);
    // A span cut to the lines in view; `None` when it has no letter there.
    let in_view = |start: usize, end: usize| {
        let (from, to) = (start.max(in_view_start), end.min(in_view_end));
        (from < to).then_some((from, to))
    };

    // Backgrounds as one mesh of plain rectangles, as the other pieces get
    // them: longer entities first (a nested one shows on top), then find
    // hits, then the selection.
    let mut backgrounds = egui::Mesh::default();
    let mut fill = |from: usize, to: usize, color: Color32| {
        for rect in piece.rects(from, to) {
            let rect = rect.translate(shift);
            if rect.intersects(clip) {
                backgrounds.add_colored_rect(rect, color);
            }
        }
    };
    let mut entities: Vec<(&StyledSpan, [u8; 3])> = spans
        .iter()
        .filter_map(|s| match s.kind {
            SpanKind::Entity(rgb) if in_view(s.start, s.end).is_some() => Some((s, rgb)),
            _ => None,
        })
        .collect();
    entities.sort_by_key(|(s, _)| std::cmp::Reverse(s.end - s.start));
    for (span, rgb) in &entities {
        let strong = overlay.selected_id == Some(span.id.as_str());
        let color = faint(
            theme::entity_background(crate::model::Rgb(*rgb), dark, strong),
            span.dim,
        );
        if let Some((from, to)) = in_view(span.start, span.end) {
            fill(from, to, color);
        }
    }
    for (s, e) in overlay.hits {
        if let Some((from, to)) = in_view(*s, *e) {
            fill(from, to, theme::find_hit_color(dark));
        }
    }
    if let Some((s, e)) = overlay.selection
        && let Some((from, to)) = in_view(s, e)
    {
        fill(from, to, theme::selection_color(dark));
    }
    if !backgrounds.is_empty() {
        painter.add(egui::Shape::mesh(backgrounds));
    }

    // Text. Cues (and, in the dark theme, text on an entity) are drawn in
    // another colour; only spans in view can recolour a run in view.
    let recolouring: Vec<&StyledSpan> = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Cue || (dark && matches!(s.kind, SpanKind::Entity(_))))
        .filter(|s| in_view(s.start, s.end).is_some())
        .collect();
    let text_color = ui.visuals().text_color();
    for line in piece.lines.get(first..last).unwrap_or_default() {
        let y0 = pos.y + line.top;
        // Marks above and below the letters may reach past the row.
        let (band_top, band_bottom) = (y0 - 6.0, y0 + line.height + 6.0);
        for ((gx, galley), run) in line.galleys.iter().zip(&line.line.runs) {
            let gpos = Pos2::new(pos.x + gx, y0);
            let recoloured: Vec<(f32, f32, Color32)> =
                colour_stretches(run.run.start, run.run.end, &recolouring, dark, text_color)
                    .into_iter()
                    .flat_map(|(s, e, c)| {
                        line.line
                            .x_ranges(s, e)
                            .into_iter()
                            .map(move |(x0, x1)| (pos.x + x0, pos.x + x1, c))
                    })
                    .collect();
            if recoloured.is_empty() {
                painter.galley(gpos, galley.clone(), text_color);
                continue;
            }
            // The run's own colour in the gaps between the recoloured stretches.
            let mut edges: Vec<(f32, f32)> = recoloured.iter().map(|(a, b, _)| (*a, *b)).collect();
            edges.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut from = f32::NEG_INFINITY;
            let mut gaps = Vec::new();
            for (a, b) in edges {
                if a > from {
                    gaps.push((from, a));
                }
                from = from.max(b);
            }
            gaps.push((from, f32::INFINITY));
            for (a, b) in gaps {
                let band = Rect::from_min_max(Pos2::new(a, band_top), Pos2::new(b, band_bottom));
                painter.with_clip_rect(band.intersect(clip)).galley(
                    gpos,
                    galley.clone(),
                    text_color,
                );
            }
            for (a, b, color) in recoloured {
                let band = Rect::from_min_max(Pos2::new(a, band_top), Pos2::new(b, band_bottom));
                painter
                    .with_clip_rect(band.intersect(clip))
                    .galley_with_override_text_color(gpos, galley.clone(), color);
            }
        }
    }
    for span in spans.iter().filter(|s| s.kind == SpanKind::Claim) {
        let Some((from, to)) = in_view(span.start, span.end) else {
            continue;
        };
        let selected = overlay.selected_id == Some(span.id.as_str());
        let stroke = Stroke::new(
            if selected { 3.0 } else { 1.5 },
            faint(theme::claim_color(dark), span.dim),
        );
        for rect in piece.rects(from, to) {
            let rect = rect.translate(shift);
            let y = rect.max.y - 1.0;
            painter.line_segment([Pos2::new(rect.min.x, y), Pos2::new(rect.max.x, y)], stroke);
        }
    }
}

/// Stretches of `start..end` drawn in a colour other than the text's: cues
/// in the claim colour, and in the dark theme text on an entity in white.
pub(super) fn colour_stretches(
    start: usize,
    end: usize,
    spans: &[&StyledSpan],
    dark: bool,
    text_color: Color32,
) -> Vec<(usize, usize, Color32)> {
    let touching: Vec<&StyledSpan> = spans
        .iter()
        .copied()
        .filter(|s| s.start < end && s.end > start)
        .filter(|s| s.kind == SpanKind::Cue || (dark && matches!(s.kind, SpanKind::Entity(_))))
        .collect();
    if touching.is_empty() {
        return Vec::new();
    }
    let mut cuts = vec![start, end];
    for s in &touching {
        cuts.push(s.start.clamp(start, end));
        cuts.push(s.end.clamp(start, end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<(usize, usize, Color32)> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let covering = touching.iter().filter(|s| s.start <= from && s.end >= to);
        let color = match covering.clone().find(|s| s.kind == SpanKind::Cue) {
            Some(cue) => faint(theme::claim_color(dark), cue.dim),
            None if covering.clone().next().is_some() => Color32::WHITE,
            None => text_color,
        };
        if color == text_color {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.1 == from && last.2 == color => last.1 = to,
            _ => out.push((from, to, color)),
        }
    }
    out
}
