//! The article view: wrapped text with entity backgrounds, claim underlines
//! and margin markers, selection by mouse, hover details.
//!
//! Long articles stay fluid: the text is split into pieces — a line
//! (paragraph) each, and a line longer than [`MAX_PIECE`] characters into
//! sentence-bounded pieces of at most [`LONG_LINE_PIECE`] (a huge
//! "sentence" is cut at a word boundary) — each laid out on its own and cached with a signature of
//! what styles it; only the pieces in view are laid out and drawn. A piece
//! starts a new row, so a long line breaks only between sentences (as brat
//! and INCEpTION show one sentence per row), and an edit re-lays only the
//! piece it touches. Heights of pieces not yet laid out are estimated, and a
//! prefix sum of heights finds the visible ones by binary search, so no
//! per-frame work grows with the document's length.
//!
//! Here: the view's state ([`ArticleView`]), its rebuild when the document
//! changes, and [`show`]. Beside it: `pieces` (cutting the text into
//! pieces), `spans` (which annotations touch a piece), `style` (how a piece
//! looks and what its cache depends on), `layout` (laying a piece out),
//! `bidi_piece` (right-to-left pieces), `paint` (relations, review marks),
//! `hover` (what is under the pointer), `probes` (what the last frame drew,
//! for tests).

mod bidi_piece;
mod hover;
mod layout;
mod paint;
mod pieces;
mod probes;
mod spans;
mod style;

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use egui::emath::GuiRounding as _;
use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Pos2, Rect, Sense, Stroke, Vec2};

use crate::model::{Document, Review, Schema};

use super::app::{AnnotationKind, AnnotationRef, GlossApp};
use super::theme;

pub use hover::*;
use layout::*;
use paint::*;
pub use pieces::*;
pub use probes::*;
use spans::*;
use style::*;

use unicode_segmentation::UnicodeSegmentation as _;

const MARGIN: f32 = 18.0;
use bidi_piece::BidiPiece;
pub use bidi_piece::{RTL_FAMILY, visual_line_job};

/// Layout cache for the document shown.
#[derive(Default)]
pub struct ArticleView {
    doc_key: Option<(String, String)>,
    paragraphs: Vec<Piece>,
    /// Annotation spans per paragraph, rebuilt when the project changes.
    /// With each piece's spans, their hash: the galley check reads it every
    /// frame, and hashing the spans (ids included) each frame showed in
    /// profiles of idle frames.
    spans_per_paragraph: Vec<Option<(u64, Vec<StyledSpan>)>>,
    /// The annotations touching each paragraph, as indices into the
    /// document's lists: rebuilt when the project changes (one cheap pass);
    /// the styled spans of a piece are made from them when it is drawn.
    members: Vec<Vec<Member>>,
    /// Which pieces need the bidi layout (they hold right-to-left text).
    bidi: Vec<bool>,
    /// Pieces drawn in the last frame: index and origin on screen.
    last_drawn: Vec<(usize, Pos2)>,
    galleys: Vec<Option<CachedGalley>>,
    heights: Vec<f32>,
    /// Prefix sums of `heights` (len + 1 entries).
    tops: Vec<f32>,
    tops_dirty: bool,
    width: f32,
    font_size: f32,
    dark: bool,
    generation: u64,
    /// The Annotations pane's matches the spans were dimmed for (their `Arc`'s address).
    matches_key: Option<usize>,
    /// Scroll so that this code-point offset is visible next frame.
    pub scroll_to: Option<usize>,
    /// Where a mouse drag started (code points).
    drag_anchor: Option<usize>,
    /// Galleys laid out in the last frame (for benchmarks and tests).
    pub last_layouts: usize,
    /// The annotations drawn with a review mark in the last frame, as
    /// (id, decision): what a reviewer sees in the text (tests read it).
    last_review_marks: Vec<(String, Review)>,
    /// How many relations were drawn in the last frame (tests read it).
    last_relations_drawn: usize,
    /// The shown document's relations by the id of each end (indices into
    /// `relations`), for what it was built for (session, history
    /// generation, document): a frame looks up only the ends it draws.
    relations_by_end: Option<((u64, u64, usize), Arc<RelationsByEnd>)>,
    /// The visible part of the content in the last frame.
    last_viewport: Option<Rect>,
}

impl ArticleView {
    /// The width the article is wrapped at, in points (0 before the first frame).
    pub(crate) fn wrap_width(&self) -> f32 {
        self.width
    }

    /// Rebuilds what depends on the document or its annotations.
    #[allow(clippy::too_many_arguments)] // What the layout depends on, each checked here.
    fn sync(
        &mut self,
        doc: &Document,
        generation: u64,
        width: f32,
        font_size: f32,
        dark: bool,
        matches: Option<&Arc<HashSet<(String, String)>>>,
    ) {
        let key = (doc.id.clone(), doc.content_hash.clone());
        if self.doc_key.as_ref() != Some(&key) {
            self.doc_key = Some(key);
            self.paragraphs = split_paragraphs(&doc.text);
            self.bidi = self
                .paragraphs
                .iter()
                .map(|p| {
                    crate::model::bidi::needs_bidi(
                        doc.text.get(p.byte_start..p.byte_end).unwrap_or_default(),
                    )
                })
                .collect();
            self.galleys = (0..self.paragraphs.len()).map(|_| None).collect();
            self.heights = self
                .paragraphs
                .iter()
                .map(|p| estimate_height(p, width, font_size))
                .collect();
            self.tops_dirty = true;
            self.generation = u64::MAX;
        }
        // The pane's matches are a new `Arc` whenever they change.
        let matches_key = matches.map(|m| Arc::as_ptr(m) as usize);
        if self.generation != generation || self.matches_key != matches_key {
            self.generation = generation;
            self.matches_key = matches_key;
            file_members(doc, &self.paragraphs, &mut self.members);
            self.spans_per_paragraph = vec![None; self.paragraphs.len()];
        }
        if (self.width - width).abs() > 0.5 || self.font_size != font_size || self.dark != dark {
            self.width = width;
            self.font_size = font_size;
            self.dark = dark;
            // Keep the galleys' heights as estimates until they are re-laid.
            self.galleys.iter_mut().for_each(|g| *g = None);
            self.heights = self
                .paragraphs
                .iter()
                .map(|p| estimate_height(p, width, font_size))
                .collect();
            self.tops_dirty = true;
        }
        if self.tops_dirty {
            self.tops.clear();
            self.tops.push(0.0);
            let mut y = 0.0;
            for (h, p) in self.heights.iter().zip(&self.paragraphs) {
                y += h + p.gap();
                self.tops.push(y);
            }
            self.tops_dirty = false;
        }
    }

    fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// Index of the paragraph at `y` (content coordinates).
    fn paragraph_at(&self, y: f32) -> usize {
        self.tops
            .partition_point(|top| *top <= y)
            .saturating_sub(1)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    fn paragraph_of_char(&self, offset: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.end < offset)
            .min(self.paragraphs.len().saturating_sub(1))
    }
}

/// Draws the article of the current document.
pub fn show(app: &mut GlossApp, ui: &mut egui::Ui) {
    let Some(doc) = app.session.project().documents.get(app.current) else {
        ui.centered_and_justified(|ui| {
            ui.label("No documents yet. Import articles with File → Import articles (Ctrl+I) or drop files here.");
        });
        return;
    };
    // The wrap width comes from what is visible of the panel: a wide row
    // above (the find bar at a large zoom) widens the ui's max rect but not
    // its clip rect, and text wrapped wider than that would be cut off.
    let visible = (ui.clip_rect().right() - ui.cursor().left()).min(ui.available_width());
    let width = (visible - MARGIN - 16.0).max(100.0);
    // A title can be a whole one-line article: cut it to the panel (the
    // hover shows it all) so it does not widen the panel and the wrap width.
    let heading = egui::TextStyle::Heading.resolve(ui.style());
    let (title, cut) = super::bidi_text::fitted_line_job(
        ui,
        &doc.title,
        heading,
        ui.visuals().text_color(),
        ui.available_width(),
    );
    let title = ui.add(egui::Label::new(title).wrap_mode(egui::TextWrapMode::Extend));
    if cut {
        title.on_hover_text(super::bidi_text::bidi_text(ui, &doc.title));
    }
    ui.separator();
    let font_size = 16.0;
    let dark = ui.visuals().dark_mode;
    let generation = app.session.history.generation();
    // Suggestions are drawn over the text, apart from annotations.
    let suggestions = app.suggestions.shown();
    let claim_candidates = app.suggestions.claims();
    let suggestion_focus = app.suggestions.focus.clone();
    let relations_key = (app.session_serial, generation, app.current);
    let view = &mut app.article_view;
    // Rebuilt when the document changes, not every frame: a frame's work
    // must not grow with the document's relations.
    let by_end = match &view.relations_by_end {
        Some((key, map)) if *key == relations_key => Arc::clone(map),
        _ => {
            let mut map = RelationsByEnd::new();
            for (i, r) in doc.relations.iter().enumerate() {
                map.entry(r.from.to_string()).or_default().push(i);
                if r.to != r.from {
                    map.entry(r.to.to_string()).or_default().push(i);
                }
            }
            let map = Arc::new(map);
            view.relations_by_end = Some((relations_key, Arc::clone(&map)));
            map
        }
    };
    view.sync(
        doc,
        generation,
        width,
        font_size,
        dark,
        app.pane_matches.as_ref(),
    );
    let selection = app.selection.map(|(a, b)| (a.min(b), a.max(b)));
    let selected_id = app.selected.as_ref().map(|s| s.id.clone());
    let hits = app.find.hits_in(&doc.id);
    let schema = &app.session.project().schema;
    let matches = app.pane_matches.as_ref();

    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("article")
        .auto_shrink([false, false]);
    if let Some(target) = view.scroll_to.take() {
        let paragraph = view.paragraph_of_char(target);
        let top = view.tops.get(paragraph).copied().unwrap_or(0.0);
        // Within a laid-out piece, aim at the row that holds the offset; in
        // one not laid out yet, at the same fraction of its estimated height.
        let cached = view.galleys.get(paragraph).and_then(Option::as_ref);
        let row_y = view.paragraphs.get(paragraph).map_or(0.0, |p| {
            let local = target.saturating_sub(p.start);
            match cached {
                Some(cached) => cached.layout.row_top(local),
                None => {
                    let height = view.heights.get(paragraph).copied().unwrap_or(0.0);
                    height * local as f32 / (p.end - p.start).max(1) as f32
                }
            }
        });
        let y = top + row_y;
        // Scroll only when the target is not in view already.
        if !view
            .last_viewport
            .is_some_and(|v| v.min.y + 20.0 <= y && y <= v.max.y - 40.0)
        {
            scroll = scroll.vertical_scroll_offset((y - 80.0).max(0.0));
        }
    }
    let mut clicked_at: Option<(usize, bool)> = None;
    // Where a double click landed: the caret, the code point under the
    // pointer, and whether the piece is laid out right to left.
    let mut double_clicked_at: Option<(usize, Option<usize>, bool)> = None;
    let mut drag_to: Option<usize> = None;
    let mut hover: Option<usize> = None;
    let mut released = false;
    let mut heights_changed = false;
    view.last_layouts = 0;
    view.last_review_marks.clear();
    view.last_drawn.clear();
    scroll.show_viewport(ui, |ui, viewport| {
        view.last_viewport = Some(viewport);
        let total = view.total_height();
        let (content_rect, response) =
            ui.allocate_exact_size(Vec2::new(width + MARGIN, total), Sense::click_and_drag());
        let origin = content_rect.min;
        let first = view.paragraph_at(viewport.min.y);
        let last = view.paragraph_at(viewport.max.y);
        let painter = ui.painter_at(content_rect.expand(4.0));
        let pointer = response
            .hover_pos()
            .or_else(|| ui.input(|i| i.pointer.interact_pos()));
        // A drag starts where the button went down, not where egui noticed the drag.
        let pointer = if response.drag_started() {
            ui.input(|i| i.pointer.press_origin()).or(pointer)
        } else {
            pointer
        };
        // Where the ends of the document's relations are drawn this frame:
        // the relations are drawn between them once the pieces are.
        let mut end_rects: HashMap<String, Rect> = HashMap::new();
        for index in first..=last {
            let Some(paragraph) = view.paragraphs.get(index).copied() else {
                break;
            };
            let text = doc
                .text
                .get(paragraph.byte_start..paragraph.byte_end)
                .unwrap_or_default();
            if let (Some(slot @ None), Some(members)) = (
                view.spans_per_paragraph.get_mut(index),
                view.members.get(index),
            ) {
                let spans = piece_spans(
                    doc,
                    schema,
                    &paragraph,
                    members,
                    matches.map(|m| m.as_ref()),
                );
                let mut hasher = DefaultHasher::new();
                spans.hash(&mut hasher);
                *slot = Some((hasher.finish(), spans));
            }
            let (spans_hash, spans) = view
                .spans_per_paragraph
                .get(index)
                .and_then(Option::as_ref)
                .map_or((0, &[][..]), |(hash, spans)| (*hash, spans.as_slice()));
            let local = |(s, e): (usize, usize)| -> Option<(usize, usize)> {
                let (s, e) = (s.max(paragraph.start), e.min(paragraph.end));
                (s < e).then(|| (s - paragraph.start, e - paragraph.start))
            };
            // Hits are in text order: only those that can touch this paragraph.
            let first_hit = hits.partition_point(|(_, e)| *e <= paragraph.start);
            let local_hits: Vec<(usize, usize)> = hits
                .get(first_hit..)
                .unwrap_or_default()
                .iter()
                .take_while(|(s, _)| *s < paragraph.end)
                .filter_map(|h| local(*h))
                .collect();
            let overlay = Overlay {
                selection: selection.and_then(local),
                selected_id: selected_id.as_deref(),
                hits: &local_hits,
            };
            let is_bidi = view.bidi.get(index).copied().unwrap_or(false);
            // A bidi piece draws its styles as shapes: its layout depends on
            // nothing but the text, the width, the size and the theme (all
            // of which clear the cache when they change).
            let sig = if is_bidi {
                0
            } else {
                text_signature(spans_hash, spans, &overlay)
            };
            let piece_len = paragraph.end - paragraph.start;
            let slot = view.galleys.get_mut(index);
            let mut relaid = false;
            let layout = match slot {
                Some(Some(cached)) if cached.signature == sig => cached.layout.clone(),
                Some(slot) => {
                    let text_color = ui.visuals().text_color();
                    let looks = (!is_bidi).then(|| {
                        text_looks(piece_len, spans, selected_id.as_deref(), dark, text_color)
                    });
                    let looks_key = looks.as_deref().map_or(0, looks_hash);
                    match slot.as_mut() {
                        // Spans changed but not how the text looks: keep it.
                        Some(cached) if !is_bidi && cached.looks == looks_key => {
                            cached.signature = sig;
                            cached.background = None;
                            cached.layout.clone()
                        }
                        _ => {
                            view.last_layouts += 1;
                            relaid = true;
                            let layout = match looks {
                                None => PieceLayout::Bidi(Arc::new(bidi_piece::layout(
                                    ui, text, width, font_size, text_color,
                                ))),
                                Some(looks) => PieceLayout::Plain(layout_piece(
                                    ui, text, &looks, width, font_size,
                                )),
                            };
                            *slot = Some(CachedGalley {
                                signature: sig,
                                looks: looks_key,
                                layout: layout.clone(),
                                background: None,
                            });
                            layout
                        }
                    }
                }
                None => continue,
            };
            if relaid {
                let height = layout.height();
                if let Some(h) = view.heights.get_mut(index)
                    && (*h - height).abs() > 0.5
                {
                    *h = height;
                    heights_changed = true;
                }
            }
            // Backgrounds of a plain piece: rebuilt when the selection, the
            // hits, the selected annotation or the spans change, never by
            // re-laying the text.
            let background = match (&layout, view.galleys.get_mut(index)) {
                (PieceLayout::Plain(galley), Some(Some(cached))) => {
                    let key = background_signature(sig, spans, &overlay);
                    match &cached.background {
                        Some((k, rects)) if *k == key => Some(rects.clone()),
                        _ => {
                            let colors = background_colors(piece_len, spans, &overlay, dark);
                            let rects = Arc::new(background_rects(
                                galley,
                                &colors,
                                ui.ctx().pixels_per_point(),
                            ));
                            cached.background = Some((key, rects.clone()));
                            Some(rects)
                        }
                    }
                }
                _ => None,
            };
            let top = view.tops.get(index).copied().unwrap_or(0.0);
            let pos = origin + Vec2::new(MARGIN, top);
            view.last_drawn.push((index, pos));
            match &layout {
                PieceLayout::Plain(galley) => {
                    if let Some(rects) = background.as_deref()
                        && !rects.is_empty()
                    {
                        // Placed like the galley: on a whole pixel.
                        let shift = pos.round_to_pixels(ui.ctx().pixels_per_point()).to_vec2();
                        let clip = painter.clip_rect();
                        let mut mesh = egui::Mesh::default();
                        for (rect, color) in rects.iter() {
                            let rect = rect.translate(shift);
                            if rect.intersects(clip) {
                                mesh.add_colored_rect(rect, *color);
                            }
                        }
                        painter.add(egui::Shape::mesh(mesh));
                    }
                    painter.galley(pos, galley.clone(), ui.visuals().text_color());
                }
                PieceLayout::Bidi(piece) => {
                    paint_bidi(ui, &painter, piece, pos, spans, &overlay, dark);
                }
            }
            // Margin markers beside claims.
            for span in spans.iter().filter(|s| s.kind == SpanKind::Claim) {
                for rect in layout.rects(span.start, span.end) {
                    let y = rect.translate(pos.to_vec2());
                    painter.line_segment(
                        [
                            Pos2::new(origin.x + 6.0, y.min.y),
                            Pos2::new(origin.x + 6.0, y.max.y),
                        ],
                        Stroke::new(4.0, faint(theme::claim_color(dark), span.dim)),
                    );
                }
            }
            // An entity that contains another one gets a bar in its own colour
            // under its rows, so both stay visible (the inner one paints the
            // background).
            for outer in spans.iter().filter(|o| o.outer) {
                let SpanKind::Entity(rgb) = outer.kind else {
                    continue;
                };
                for rect in layout.rects(outer.start, outer.end) {
                    let rect = rect.translate(pos.to_vec2());
                    painter.line_segment(
                        [
                            Pos2::new(rect.min.x, rect.max.y + 1.0),
                            Pos2::new(rect.max.x, rect.max.y + 1.0),
                        ],
                        Stroke::new(3.0, faint(theme::swatch(crate::model::Rgb(rgb)), outer.dim)),
                    );
                }
            }
            paint_review(&painter, &layout, spans, pos, dark);
            for span in spans
                .iter()
                .filter(|s| s.kind != SpanKind::Cue && by_end.contains_key(s.id.as_str()))
            {
                if let Some(rect) = layout.rects(span.start, span.end).first() {
                    end_rects
                        .entry(span.id.clone())
                        .or_insert(rect.translate(pos.to_vec2()));
                }
            }
            view.last_review_marks.extend(
                spans
                    .iter()
                    .filter(|s| s.review != Review::Unreviewed)
                    .map(|s| (s.id.clone(), s.review)),
            );
            // A frame around the selected annotation.
            if let Some(id) = &selected_id {
                for span in spans
                    .iter()
                    .filter(|s| &s.id == id && s.kind != SpanKind::Cue)
                {
                    for rect in layout.rects(span.start, span.end) {
                        painter.rect_stroke(
                            rect.translate(pos.to_vec2()).expand(1.0),
                            2.0,
                            Stroke::new(1.5, ui.visuals().strong_text_color()),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
            }
            // Suggestions: a faint fill and a dashed outline in the type's
            // colour, thicker on the one the walk is on.
            let first_suggestion = suggestions.partition_point(|s| s.end <= paragraph.start);
            for s in suggestions
                .get(first_suggestion..)
                .unwrap_or_default()
                .iter()
                .take_while(|s| s.start < paragraph.end)
            {
                let Some((start, end)) = local((s.start, s.end)) else {
                    continue;
                };
                let color = schema
                    .entity_type(&s.label)
                    .map_or(ui.visuals().strong_text_color(), |t| theme::swatch(t.color));
                let focused = suggestion_focus
                    .as_ref()
                    .is_some_and(|(a, b, l)| *a == s.start && *b == s.end && *l == s.label);
                let stroke = Stroke::new(if focused { 2.5 } else { 1.2 }, color);
                for rect in layout.rects(start, end) {
                    let rect = rect.translate(pos.to_vec2()).expand(1.0);
                    painter.rect_filled(rect, 2.0, color.gamma_multiply(0.10));
                    let corners = [
                        rect.left_top(),
                        rect.right_top(),
                        rect.right_bottom(),
                        rect.left_bottom(),
                        rect.left_top(),
                    ];
                    painter.extend(egui::Shape::dashed_line(&corners, stroke, 4.0, 3.0));
                }
            }
            // Candidate claims: a dashed underline and a dashed margin bar
            // in the claim colour.
            for c in claim_candidates
                .iter()
                .filter(|c| c.start < paragraph.end && paragraph.start < c.end)
            {
                let Some((start, end)) = local((c.start, c.end)) else {
                    continue;
                };
                let focused = suggestion_focus.as_ref().is_some_and(|(a, b, l)| {
                    *a == c.start && *b == c.end && l == crate::ui::suggestions::CLAIM
                });
                let color = theme::claim_color(dark);
                let stroke = Stroke::new(if focused { 2.5 } else { 1.5 }, color);
                for rect in layout.rects(start, end) {
                    let rect = rect.translate(pos.to_vec2());
                    let under = [
                        Pos2::new(rect.min.x, rect.max.y + 1.0),
                        Pos2::new(rect.max.x, rect.max.y + 1.0),
                    ];
                    painter.extend(egui::Shape::dashed_line(&under, stroke, 5.0, 3.0));
                    let bar = [
                        Pos2::new(origin.x + 6.0, rect.min.y),
                        Pos2::new(origin.x + 6.0, rect.max.y),
                    ];
                    painter.extend(egui::Shape::dashed_line(&bar, Stroke::new(3.0, color), 4.0, 3.0));
                }
            }
            if let Some(p) = pointer {
                let piece_rect = Rect::from_min_size(
                    origin + Vec2::new(MARGIN, top),
                    Vec2::new(width, layout.height() + paragraph.gap()),
                );
                if piece_rect.contains(p) {
                    let (caret, under) = layout.hit(p - pos);
                    let offset = paragraph.start + caret;
                    let under = under.map(|u| paragraph.start + u);
                    let inside_text = match &layout {
                        PieceLayout::Plain(galley) => {
                            galley.rect.translate(pos.to_vec2()).contains(p)
                        }
                        PieceLayout::Bidi(_) => under.is_some(),
                    };
                    // The plain layout keeps its caret-based word and hover
                    // lookup; the bidi layout knows the glyph under the pointer.
                    let exact = under.filter(|_| is_bidi);
                    if response.drag_started() || response.clicked() {
                        clicked_at = Some((offset, inside_text));
                    }
                    if response.double_clicked() && inside_text {
                        double_clicked_at = Some((offset, under, is_bidi));
                    }
                    if response.dragged() {
                        drag_to = Some(offset);
                    }
                    if response.hovered() && inside_text {
                        hover = Some(exact.unwrap_or(offset));
                    }
                }
            }
        }
        view.last_relations_drawn = paint_relations(
            &painter,
            doc,
            &app.session.project().schema,
            &by_end,
            &end_rects,
            dark,
            ui.visuals().extreme_bg_color,
        );
        if response.drag_stopped() {
            released = true;
        }
        // The text is painted, not a label: name the view with the paragraphs
        // in view so screen readers (and tests) can read it.
        response.widget_info(|| {
            let mut shown = String::new();
            for p in (first..=last).filter_map(|i| view.paragraphs.get(i)) {
                shown.push_str(doc.text.get(p.byte_start..p.byte_end).unwrap_or_default());
                if p.line_end {
                    shown.push('\n');
                }
            }
            if shown.ends_with('\n') {
                shown.pop();
            }
            egui::WidgetInfo::labeled(egui::Role::Label, true, shown)
        });
        if let Some(offset) = hover {
            // Only the annotations of the piece under the pointer can hold it.
            let piece = view.paragraphs.partition_point(|p| p.end <= offset);
            let members = view
                .members
                .get(piece)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let mut details = hover_details(app.session.project(), doc, members, offset);
            for c in claim_candidates
                .iter()
                .filter(|c| c.start <= offset && offset < c.end)
            {
                details.push(format!(
                    "Candidate claim ({:.2}){}: S to choose, Enter opens it in the claim editor, X rejects",
                    c.score,
                    c.cue
                        .as_ref()
                        .map(|cue| format!(", cue {:?}", cue.text.as_str()))
                        .unwrap_or_default()
                ));
            }
            for s in suggestions
                .iter()
                .filter(|s| s.start <= offset && offset < s.end)
            {
                details.push(format!(
                    "Suggestion: {} as {} — score {:.2} ({}); S to choose, Enter accepts, X rejects",
                    s.text,
                    s.label,
                    s.score,
                    s.source.name()
                ));
            }
            if !details.is_empty() {
                response.on_hover_ui_at_pointer(|ui| {
                    for line in details {
                        ui.label(line);
                    }
                });
            }
        }
    });
    if heights_changed {
        view.tops_dirty = true;
        ui.ctx().request_repaint();
    }
    // Mouse: a click selects the innermost annotation under it; a drag
    // selects text.
    if let Some((offset, _)) = clicked_at {
        view.drag_anchor = Some(offset);
        let under = annotation_at(doc, offset);
        // A click on plain text leaves a caret there for Shift+arrows.
        app.selection = under.is_none().then_some((offset, offset));
        app.selected = under;
    }
    if let (Some(anchor), Some(offset)) = (view.drag_anchor, drag_to)
        && anchor != offset
    {
        app.selection = Some((anchor, offset));
        app.selected = None;
    }
    // A double click selects the word under the pointer (even inside an
    // annotation), ready for a type's key. In a plain piece the word of the
    // letter under the pointer comes first (in Chinese every letter is a
    // word, and the caret of a click on a letter's right half is the next
    // letter's); on punctuation, the caret's word as before.
    if let Some((offset, under, is_bidi)) = double_clicked_at
        && let Some(word) = match under {
            Some(at) if is_bidi => crate::model::span::snap_selection(&doc.text, at, at + 1, true),
            _ => under
                .and_then(|at| crate::model::span::word_around(&doc.text, at))
                .or_else(|| word_at(&doc.text, offset)),
        }
    {
        app.selection = Some(word);
        app.selected = None;
    }
    if released {
        view.drag_anchor = None;
        if let Some((a, b)) = app.selection
            && let Some((s, e)) =
                crate::model::span::snap_selection(&doc.text, a.min(b), a.max(b), app.snap_to_words)
        {
            app.selection = Some((s, e));
        }
    }
}

impl ArticleView {
    /// Whether the text at `offset` reads right to left (Shift+← then
    /// moves forward in the text).
    pub(crate) fn rtl_at(&self, text: &str, offset: usize) -> bool {
        let index = self.paragraph_of_char(offset);
        let (Some(p), Some(true)) = (self.paragraphs.get(index), self.bidi.get(index)) else {
            return false;
        };
        let piece = text.get(p.byte_start..p.byte_end).unwrap_or_default();
        let levels = crate::model::bidi::char_levels(piece);
        let local = offset.saturating_sub(p.start);
        let level = levels
            .get(local)
            .or_else(|| local.checked_sub(1).and_then(|l| levels.get(l)));
        level.is_some_and(|l| l % 2 == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Cue, Entity};
    use proptest::prelude::*;

    /// What each piece's members must be: every annotation that shares a
    /// code point with it, in the document's order (entities, then each
    /// claim followed by its cue).
    fn members_by_brute_force(doc: &Document, paragraphs: &[Piece]) -> Vec<Vec<String>> {
        let overlaps = |p: &Piece, start: usize, end: usize| start.max(p.start) < end.min(p.end);
        paragraphs
            .iter()
            .map(|p| {
                let mut names = Vec::new();
                for (i, e) in doc.entities.iter().enumerate() {
                    if overlaps(p, e.start, e.end) {
                        names.push(format!("e{i}"));
                    }
                }
                for (i, c) in doc.claims.iter().enumerate() {
                    if overlaps(p, c.start, c.end) {
                        names.push(format!("c{i}"));
                    }
                    if let Some(cue) = &c.cue
                        && overlaps(p, cue.start, cue.end)
                    {
                        names.push(format!("q{i}"));
                    }
                }
                names
            })
            .collect()
    }

    fn names(members: &[Vec<Member>]) -> Vec<Vec<String>> {
        members
            .iter()
            .map(|list| {
                list.iter()
                    .map(|m| match m {
                        Member::Entity(i) => format!("e{i}"),
                        Member::Claim(i) => format!("c{i}"),
                        Member::Cue(i) => format!("q{i}"),
                    })
                    .collect()
            })
            .collect()
    }

    proptest! {
        /// Pieces cover the text exactly, none is longer than a line's
        /// limit allows (a grapheme cluster is never cut, so one over the
        /// limit stands alone), and every cut falls between grapheme
        /// clusters: long words of letters with marks, emoji sequences and
        /// plain runs, with and without spaces and sentence ends.
        #[test]
        fn long_lines_are_cut_between_grapheme_clusters(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "a", "e\u{301}", "e\u{301}\u{302}", "👩\u{200d}👩\u{200d}👧", "🇫🇷", "ب\u{64e}", "x", " ", ". ", "中",
                ]),
                0..4_000,
            ),
            // Letters with marks and nothing else: one "word" of thousands
            // of characters, cut only by the length limit.
            one_word in prop::collection::vec(
                prop::sample::select(vec!["a", "e\u{301}", "e\u{301}\u{302}", "ب\u{64e}\u{651}"]),
                0..2_500,
            ),
        ) {
            let text: String = parts.concat() + &one_word.concat();
            let pieces = piece_ranges(&text);
            let boundaries: std::collections::HashSet<usize> = {
                let mut at = 0;
                let mut set = std::collections::HashSet::from([0]);
                for g in text.graphemes(true) {
                    at += g.chars().count();
                    set.insert(at);
                }
                set
            };
            let len = text.chars().count();
            prop_assert_eq!(pieces.first().map(|p| p.0), Some(0));
            prop_assert_eq!(pieces.last().map(|p| p.1), Some(len));
            for pair in pieces.windows(2) {
                prop_assert_eq!(pair[0].1, pair[1].0, "pieces are contiguous on one line");
            }
            for (start, end) in &pieces {
                prop_assert!(boundaries.contains(start) && boundaries.contains(end), "piece {}..{} cuts a grapheme cluster", start, end);
                let longest_cluster = 8;
                prop_assert!(end - start <= MAX_PIECE.max(LONG_LINE_PIECE + longest_cluster));
            }
        }

        /// Filing with a cursor gives what checking every piece against
        /// every annotation gives, for sorted and unsorted annotations,
        /// long lines cut into pieces, and lists reused from another text.
        #[test]
        fn pieces_get_exactly_the_annotations_that_touch_them(
            lines in prop::collection::vec(0usize..4_000, 1..6),
            spans in prop::collection::vec((0.0f64..1.0, 0usize..2_500), 0..60),
            claims in prop::collection::vec((0.0f64..1.0, 0usize..300, prop::option::of((0.0f64..1.0, 0usize..40))), 0..6),
            sort in any::<bool>(),
        ) {
            let text = lines
                .iter()
                .map(|n| "Word one. ".repeat(n / 10))
                .collect::<Vec<_>>()
                .join("\n");
            let len = text.chars().count();
            let span = |at: f64, width: usize| {
                let start = ((at * len as f64) as usize).min(len);
                (start, (start + width.max(1)).min(len.max(start)))
            };
            let mut doc = Document::new("d", "d", text.clone());
            for (i, (at, width)) in spans.iter().enumerate() {
                let (start, end) = span(*at, *width);
                doc.entities.push(Entity::new(format!("e{i}"), "PER", start, end, ""));
            }
            if sort {
                doc.entities.sort_by_key(|e| (e.start, e.end));
            }
            for (i, (at, width, cue)) in claims.iter().enumerate() {
                let (start, end) = span(*at, *width);
                let mut claim = Claim::new(format!("c{i}"), start, end, "");
                claim.cue = cue.map(|(at, width)| {
                    let (start, end) = span(at, width);
                    Cue { start, end, text: Default::default() }
                });
                doc.claims.push(claim);
            }
            let paragraphs = split_paragraphs(&doc.text);
            // Lists left over from a longer, other text must not leak in.
            let mut members = vec![vec![Member::Entity(999)]; paragraphs.len() + 3];
            file_members(&doc, &paragraphs, &mut members);
            prop_assert_eq!(names(&members), members_by_brute_force(&doc, &paragraphs));
        }
    }
}
