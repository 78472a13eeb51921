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

mod bidi_piece;

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

use unicode_segmentation::UnicodeSegmentation as _;

const MARGIN: f32 = 18.0;
const PARAGRAPH_GAP: f32 = 6.0;
/// The most characters laid out as one galley: re-laying a piece after an
/// edit stays inside a frame, and a paragraph of an ordinary article (the
/// sample's longest has 2,600 characters) stays whole.
pub const MAX_PIECE: usize = 3000;
/// A line longer than [`MAX_PIECE`] (a whole article on one line, common in
/// JSONL datasets and scraped pages) is cut into sentence-bounded pieces of
/// at most this many characters: a piece that scrolls into view or that an
/// edit re-lays costs a third of a full-size one, and in a long line that
/// mixes scripts only the pieces with right-to-left text take the bidi path.
const LONG_LINE_PIECE: usize = 1000;

/// One piece of text laid out as one galley: its code-point and byte range
/// in the document. Pieces are contiguous; the newline between two lines
/// belongs to neither.
#[derive(Debug, Clone, Copy)]
struct Paragraph {
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    /// The last piece of its line: a paragraph gap follows it.
    line_end: bool,
}

impl Paragraph {
    /// Space below the piece.
    fn gap(&self) -> f32 {
        if self.line_end { PARAGRAPH_GAP } else { 0.0 }
    }
}

use bidi_piece::BidiPiece;
pub use bidi_piece::{RTL_FAMILY, visual_line_job};

/// A laid-out piece: by egui when it is all left to right (styles as
/// sections of one galley), else by [`bidi_piece`] (runs in visual order,
/// styles drawn as shapes behind).
#[derive(Clone)]
enum PieceLayout {
    Plain(Arc<Galley>),
    Bidi(Arc<BidiPiece>),
}

impl PieceLayout {
    fn height(&self) -> f32 {
        match self {
            Self::Plain(g) => g.size().y,
            Self::Bidi(b) => b.size.y,
        }
    }

    /// Rectangles covering code points `start..end` (piece coordinates).
    fn rects(&self, start: usize, end: usize) -> Vec<Rect> {
        match self {
            Self::Plain(g) => range_rects(g, start, end),
            Self::Bidi(b) => b.rects(start, end),
        }
    }

    /// The caret nearest to `pos` and the code point drawn under it.
    fn hit(&self, pos: Vec2) -> (usize, Option<usize>) {
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
    fn row_top(&self, offset: usize) -> f32 {
        match self {
            Self::Plain(g) => g.pos_from_cursor(CCursor::new(offset)).min.y,
            Self::Bidi(b) => b.line_of(offset).map_or(0.0, |l| l.top),
        }
    }
}

/// A laid-out paragraph and what it was laid out for.
struct CachedGalley {
    /// [`text_signature`] of what it was laid out for.
    signature: u64,
    /// The hash of the looks it was laid out in: an edit that changes the
    /// spans but not how the text looks (an entity added in the light
    /// theme) keeps the galley.
    looks: u64,
    layout: PieceLayout,
    /// A plain piece's background rectangles and their [`background_signature`].
    background: Option<(u64, Backgrounds)>,
}

/// Background rectangles of a plain piece and their colours.
type Backgrounds = Arc<Vec<(Rect, Color32)>>;

/// Layout cache for the document shown.
#[derive(Default)]
pub struct ArticleView {
    doc_key: Option<(String, String)>,
    paragraphs: Vec<Paragraph>,
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

/// A document's relations by the id of each of their ends.
type RelationsByEnd = HashMap<String, Vec<usize>>;

/// A styled range inside one paragraph (offsets relative to the paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct StyledSpan {
    start: usize,
    end: usize,
    kind: SpanKind,
    id: String,
    /// Drawn faintly: the Annotations pane filters and this one does not match.
    dim: bool,
    /// An entity that contains a shorter one in this piece: a bar in its
    /// colour goes under its rows (found once per change, not per frame).
    outer: bool,
    /// The reviewer's decision, drawn on the text (see [`paint_review`]).
    review: Review,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SpanKind {
    Entity([u8; 3]),
    Claim,
    Cue,
}

/// The code-point ranges of the pieces the view lays out `text` in: one per
/// line, and lines longer than [`MAX_PIECE`] characters in sentence-bounded
/// pieces (tests use it to find where pieces meet).
pub fn piece_ranges(text: &str) -> Vec<(usize, usize)> {
    split_paragraphs(text)
        .iter()
        .map(|p| (p.start, p.end))
        .collect()
}

fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let (mut char_pos, mut byte_pos) = (0, 0);
    for line in text.split('\n') {
        let chars = line.chars().count();
        if chars <= MAX_PIECE {
            paragraphs.push(Paragraph {
                start: char_pos,
                end: char_pos + chars,
                byte_start: byte_pos,
                byte_end: byte_pos + line.len(),
                line_end: true,
            });
        } else {
            split_long_line(line, char_pos, byte_pos, &mut paragraphs);
        }
        char_pos += chars + 1;
        byte_pos += line.len() + 1;
    }
    paragraphs
}

/// A stretch of a line that is never split: a sentence, or where a sentence
/// is longer than [`LONG_LINE_PIECE`], a word, a run of spaces, or (in a
/// single "word" longer than that) [`LONG_LINE_PIECE`] characters.
struct Unit {
    bytes: usize,
    chars: usize,
    /// A piece may start here (not before spaces).
    break_before: bool,
}

fn line_units(line: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    for sentence in line.split_sentence_bounds() {
        let chars = sentence.chars().count();
        if chars <= LONG_LINE_PIECE {
            units.push(Unit {
                bytes: sentence.len(),
                chars,
                break_before: true,
            });
            continue;
        }
        for word in sentence.split_word_bounds() {
            let chars = word.chars().count();
            let break_before = !word.chars().all(char::is_whitespace);
            if chars <= LONG_LINE_PIECE {
                units.push(Unit {
                    bytes: word.len(),
                    chars,
                    break_before,
                });
                continue;
            }
            // A "word" longer than a piece (a URL, a run of symbols, letters
            // with many marks): cut it about every LONG_LINE_PIECE
            // characters, between grapheme clusters, so that a letter and
            // its marks (or an emoji sequence) are never drawn apart.
            let (mut bytes, mut chars) = (0, 0);
            for grapheme in word.graphemes(true) {
                let n = grapheme.chars().count();
                if chars > 0 && chars + n > LONG_LINE_PIECE {
                    units.push(Unit {
                        bytes,
                        chars,
                        break_before: true,
                    });
                    (bytes, chars) = (0, 0);
                }
                bytes += grapheme.len();
                chars += n;
            }
            if chars > 0 {
                units.push(Unit {
                    bytes,
                    chars,
                    break_before: true,
                });
            }
        }
    }
    units
}

/// Packs a long line's units greedily into pieces of at most [`LONG_LINE_PIECE`]
/// characters (spaces may run a little over, so no piece starts with one).
fn split_long_line(line: &str, char_start: usize, byte_start: usize, out: &mut Vec<Paragraph>) {
    let (mut start, mut byte) = (char_start, byte_start);
    let (mut chars, mut bytes) = (0, 0);
    for unit in line_units(line) {
        if chars > 0 && unit.break_before && chars + unit.chars > LONG_LINE_PIECE {
            out.push(Paragraph {
                start,
                end: start + chars,
                byte_start: byte,
                byte_end: byte + bytes,
                line_end: false,
            });
            (start, byte) = (start + chars, byte + bytes);
            (chars, bytes) = (0, 0);
        }
        chars += unit.chars;
        bytes += unit.bytes;
    }
    out.push(Paragraph {
        start,
        end: start + chars,
        byte_start: byte,
        byte_end: byte + bytes,
        line_end: true,
    });
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

fn estimate_height(paragraph: &Paragraph, width: f32, font_size: f32) -> f32 {
    let chars_per_row = (width / (font_size * 0.5)).max(10.0);
    let rows = ((paragraph.end - paragraph.start) as f32 / chars_per_row)
        .ceil()
        .max(1.0);
    rows * font_size * 1.35
}

/// An annotation touching a piece: its index in the document's entities or
/// claims (a claim's cue is its own member).
#[derive(Debug, Clone, Copy)]
enum Member {
    Entity(usize),
    Claim(usize),
    Cue(usize),
}

/// Finds the first piece an annotation can touch. Annotations are kept sorted
/// by start, so the cursor mostly steps forward along the pieces; a binary
/// search per annotation was the largest single cost of the frame after an
/// edit (10,000 entities). A start that goes back searches again.
struct PieceCursor<'a> {
    paragraphs: &'a [Paragraph],
    index: usize,
    last_start: usize,
}

impl<'a> PieceCursor<'a> {
    fn new(paragraphs: &'a [Paragraph]) -> Self {
        Self {
            paragraphs,
            index: 0,
            last_start: 0,
        }
    }

    /// Index of the first piece that does not end before `start`.
    fn first(&mut self, start: usize) -> usize {
        if start < self.last_start {
            self.index = self.paragraphs.partition_point(|p| p.end < start);
        } else {
            while self
                .paragraphs
                .get(self.index)
                .is_some_and(|p| p.end < start)
            {
                self.index += 1;
            }
        }
        self.last_start = start;
        self.index
    }
}

/// Files the annotations that touch each paragraph, in the document's order,
/// into `out` (its lists are cleared and reused, so a change allocates
/// nothing once the lists have grown).
fn file_members(doc: &Document, paragraphs: &[Paragraph], out: &mut Vec<Vec<Member>>) {
    out.truncate(paragraphs.len());
    out.iter_mut().for_each(Vec::clear);
    out.resize_with(paragraphs.len(), Vec::new);
    let add = |out: &mut Vec<Vec<Member>>, first: usize, start: usize, end: usize, member| {
        for (index, p) in paragraphs.iter().enumerate().skip(first) {
            if p.start >= end {
                break;
            }
            if start.max(p.start) < end.min(p.end)
                && let Some(list) = out.get_mut(index)
            {
                list.push(member);
            }
        }
    };
    let mut cursor = PieceCursor::new(paragraphs);
    for (i, e) in doc.entities.iter().enumerate() {
        let first = cursor.first(e.start);
        add(out, first, e.start, e.end, Member::Entity(i));
    }
    let mut claims = PieceCursor::new(paragraphs);
    let mut cues = PieceCursor::new(paragraphs);
    for (i, c) in doc.claims.iter().enumerate() {
        let first = claims.first(c.start);
        add(out, first, c.start, c.end, Member::Claim(i));
        if let Some(cue) = &c.cue {
            let first = cues.first(cue.start);
            add(out, first, cue.start, cue.end, Member::Cue(i));
        }
    }
}

/// The styled spans of one paragraph, from its members.
fn paragraph_spans(
    doc: &Document,
    schema: &Schema,
    paragraph: &Paragraph,
    members: &[Member],
    matches: Option<&HashSet<(String, String)>>,
) -> Vec<StyledSpan> {
    let mut spans = Vec::with_capacity(members.len());
    for member in members {
        let (start, end, kind, id, review) = match *member {
            Member::Entity(i) => match doc.entities.get(i) {
                Some(e) => (
                    e.start,
                    e.end,
                    SpanKind::Entity(schema.color_of(&e.label).0),
                    &e.id,
                    e.review,
                ),
                None => continue,
            },
            Member::Claim(i) => match doc.claims.get(i) {
                Some(c) => (c.start, c.end, SpanKind::Claim, &c.id, c.review),
                None => continue,
            },
            Member::Cue(i) => match doc
                .claims
                .get(i)
                .and_then(|c| c.cue.as_ref().map(|q| (c, q)))
            {
                // The claim's mark is on the claim, not again on its cue.
                Some((c, cue)) => (cue.start, cue.end, SpanKind::Cue, &c.id, Review::Unreviewed),
                None => continue,
            },
        };
        let (s, e) = (start.max(paragraph.start), end.min(paragraph.end));
        if s < e {
            spans.push(StyledSpan {
                start: s - paragraph.start,
                end: e - paragraph.start,
                kind,
                id: id.to_string(),
                dim: matches.is_some_and(|m| !m.contains(&(doc.id.clone(), id.to_string()))),
                outer: false,
                review,
            });
        }
    }
    mark_outer(&mut spans);
    spans
}

/// Flags the entities of one piece that contain a shorter, other entity.
/// Entities are short, so scanning those that start inside each one stays
/// near linear (a pairwise check was quadratic, every frame).
fn mark_outer(spans: &mut [StyledSpan]) {
    let mut order: Vec<usize> = (0..spans.len())
        .filter(|i| {
            spans
                .get(*i)
                .is_some_and(|s| matches!(s.kind, SpanKind::Entity(_)))
        })
        .collect();
    order.sort_by_key(|i| spans.get(*i).map(|s| s.start));
    let mut outer = Vec::new();
    for (n, &i) in order.iter().enumerate() {
        let Some(o) = spans.get(i) else { continue };
        let contains_one = order
            .get(n + 1..)
            .unwrap_or_default()
            .iter()
            .map_while(|j| spans.get(*j).filter(|inner| inner.start < o.end))
            .chain(
                // Entities that start at the same offset but sort before it.
                order
                    .get(..n)
                    .unwrap_or_default()
                    .iter()
                    .rev()
                    .map_while(|j| spans.get(*j).filter(|inner| inner.start == o.start)),
            )
            .any(|inner| {
                inner.id != o.id
                    && o.start <= inner.start
                    && inner.end <= o.end
                    && (inner.end - inner.start) < (o.end - o.start)
            });
        if contains_one {
            outer.push(i);
        }
    }
    for i in outer {
        if let Some(s) = spans.get_mut(i) {
            s.outer = true;
        }
    }
}

/// What styles one paragraph besides its annotations.
struct Overlay<'a> {
    selection: Option<(usize, usize)>,
    selected_id: Option<&'a str>,
    hits: &'a [(usize, usize)],
}

/// What a plain piece's galley depends on besides its text, the width, the
/// size and the theme: its spans and whether it holds the selected claim
/// (drawn with a thicker underline). Selection, find hits and entity
/// backgrounds are drawn as shapes behind the galley, so they never re-lay it.
fn text_signature(spans_hash: u64, spans: &[StyledSpan], overlay: &Overlay) -> u64 {
    let mut hasher = DefaultHasher::new();
    spans_hash.hash(&mut hasher);
    let selected_claim = overlay.selected_id.filter(|id| {
        spans
            .iter()
            .any(|s| s.kind == SpanKind::Claim && s.id == *id)
    });
    selected_claim.hash(&mut hasher);
    hasher.finish()
}

/// What the backgrounds of a piece depend on: its spans, the selection,
/// the selected annotation (a stronger background) and the find hits.
fn background_signature(text_signature: u64, spans: &[StyledSpan], overlay: &Overlay) -> u64 {
    let mut hasher = DefaultHasher::new();
    text_signature.hash(&mut hasher);
    overlay.selection.hash(&mut hasher);
    let selected_here = overlay
        .selected_id
        .filter(|id| spans.iter().any(|s| s.id == *id));
    selected_here.hash(&mut hasher);
    overlay.hits.hash(&mut hasher);
    hasher.finish()
}

/// How a stretch of a plain piece's text is drawn (its background aside).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Look {
    color: Color32,
    italics: bool,
    underline: Stroke,
}

impl Hash for Look {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.color.hash(state);
        self.italics.hash(state);
        self.underline.width.to_bits().hash(state);
        self.underline.color.hash(state);
    }
}

/// The piece's text cut into stretches of one [`Look`] (code points,
/// relative to the piece), in order and covering it: claims underlined
/// (thicker when selected), cues in the claim colour, text on an entity in
/// white in the dark theme, italics where entities nest. Computed per code
/// point, so the cost is linear in the piece and the spans' lengths.
fn text_looks(
    len: usize,
    spans: &[StyledSpan],
    selected_id: Option<&str>,
    dark: bool,
    text_color: Color32,
) -> Vec<(usize, usize, Look)> {
    let mut entities = vec![0u16; len];
    // Claims covering each code point: how many, how many not dimmed, and
    // whether the selected one is among them.
    let mut claims = vec![(0u16, 0u16, false); len];
    // The first cue (in span order) covering each code point, and its dim.
    let mut cue: Vec<Option<bool>> = vec![None; len];
    for span in spans {
        let range = span.start.min(len)..span.end.min(len);
        match span.kind {
            SpanKind::Entity(_) => {
                for n in entities.get_mut(range).unwrap_or_default() {
                    *n = n.saturating_add(1);
                }
            }
            SpanKind::Claim => {
                let selected = selected_id == Some(span.id.as_str());
                for c in claims.get_mut(range).unwrap_or_default() {
                    c.0 = c.0.saturating_add(1);
                    c.1 = c.1.saturating_add(u16::from(!span.dim));
                    c.2 |= selected;
                }
            }
            SpanKind::Cue => {
                for c in cue.get_mut(range).unwrap_or_default() {
                    c.get_or_insert(span.dim);
                }
            }
        }
    }
    let mut out: Vec<(usize, usize, Look)> = Vec::new();
    for i in 0..len {
        let entity_count = entities.get(i).copied().unwrap_or(0);
        let (claim_count, undimmed, selected) = claims.get(i).copied().unwrap_or_default();
        let mut color = if dark && entity_count > 0 {
            Color32::WHITE
        } else {
            text_color
        };
        if let Some(Some(dim)) = cue.get(i) {
            color = faint(theme::claim_color(dark), *dim);
        }
        let underline = if claim_count > 0 {
            Stroke::new(
                if selected { 3.0 } else { 1.5 },
                faint(theme::claim_color(dark), undimmed == 0),
            )
        } else {
            Stroke::NONE
        };
        let look = Look {
            color,
            // The innermost entity paints the background; italics tell that
            // an outer entity covers it too (the tooltip lists both).
            italics: entity_count > 1,
            underline,
        };
        match out.last_mut() {
            Some(last) if last.1 == i && last.2 == look => last.1 = i + 1,
            _ => out.push((i, i + 1, look)),
        }
    }
    out
}

fn looks_hash(looks: &[(usize, usize, Look)]) -> u64 {
    let mut hasher = DefaultHasher::new();
    looks.hash(&mut hasher);
    hasher.finish()
}

/// The background of each code point of a piece: the innermost entity's
/// colour (stronger when selected), find hits over it, the selection over
/// all.
fn background_colors(
    len: usize,
    spans: &[StyledSpan],
    overlay: &Overlay,
    dark: bool,
) -> Vec<Color32> {
    let mut colors = vec![Color32::TRANSPARENT; len];
    let mut entities: Vec<(usize, &StyledSpan)> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s.kind, SpanKind::Entity(_)))
        .collect();
    // Longest first, so shorter ones paint over them; of equal lengths the
    // first in order paints last (it wins, as before).
    entities.sort_by_key(|(i, s)| (std::cmp::Reverse(s.end - s.start), std::cmp::Reverse(*i)));
    let mut fill = |start: usize, end: usize, color: Color32| {
        for c in colors
            .get_mut(start.min(len)..end.min(len))
            .unwrap_or_default()
        {
            *c = color;
        }
    };
    for (_, span) in entities {
        let SpanKind::Entity(rgb) = span.kind else {
            continue;
        };
        let strong = overlay.selected_id == Some(span.id.as_str());
        // A rejected entity fades, as a filtered-out one does.
        fill(
            span.start,
            span.end,
            faint(
                theme::entity_background(crate::model::Rgb(rgb), dark, strong),
                span.dim || span.review == Review::Rejected,
            ),
        );
    }
    for (s, e) in overlay.hits {
        fill(*s, *e, theme::find_hit_color(dark));
    }
    if let Some((s, e)) = overlay.selection {
        fill(s, e, theme::selection_color(dark));
    }
    colors
}

/// Background rectangles of a plain piece (galley coordinates, on pixels),
/// built the way egui builds a section's background so they look the same:
/// one per run of glyphs of one colour on a row, expanded by a point.
fn background_rects(
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
fn layout_paragraph(
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

/// The relations whose two ends are on screen, as brat draws them: an arc
/// over the text from the first row of one end to the first row of the
/// other, an arrowhead at the target, the type's name at the top. Returns
/// how many were drawn.
fn paint_relations(
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
fn paint_review(
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

/// An annotation's colour, faint when the Annotations pane filters it out.
fn faint(color: Color32, dim: bool) -> Color32 {
    if dim {
        color.gamma_multiply(0.25)
    } else {
        color
    }
}

/// Rectangles covering a code-point range of a galley, one per row.
fn range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
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
                let spans = paragraph_spans(
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
                                Some(looks) => PieceLayout::Plain(layout_paragraph(
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

/// The word at a caret offset. A caret lands between characters (on the
/// nearer edge of the clicked glyph), so a click on a word's last letter
/// gives the offset after it: then the character before counts.
fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let is_word = |i: usize| {
        crate::model::span::char_slice(text, i, i + 1)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_alphanumeric)
    };
    let at = if !is_word(offset) && offset > 0 && is_word(offset - 1) {
        offset - 1
    } else {
        offset
    };
    crate::model::span::snap_selection(text, at, at + 1, true)
}

/// The innermost entity or claim at `offset`.
pub fn annotation_at(doc: &Document, offset: usize) -> Option<AnnotationRef> {
    let entity = doc
        .entities
        .iter()
        .filter(|e| e.start <= offset && offset < e.end)
        .min_by_key(|e| e.end - e.start)
        .map(|e| AnnotationRef {
            kind: AnnotationKind::Entity,
            id: e.id.to_string(),
        });
    entity.or_else(|| {
        doc.claims
            .iter()
            .filter(|c| c.start <= offset && offset < c.end)
            .min_by_key(|c| c.end - c.start)
            .map(|c| AnnotationRef {
                kind: AnnotationKind::Claim,
                id: c.id.to_string(),
            })
    })
}

/// Tooltip lines for what is under the pointer: type, canonical entity, claimant.
fn hover_details(
    project: &crate::model::Project,
    doc: &Document,
    members: &[Member],
    offset: usize,
) -> Vec<String> {
    let mut lines = Vec::new();
    let entities = members.iter().filter_map(|m| match m {
        Member::Entity(i) => doc.entities.get(*i),
        _ => None,
    });
    for e in entities.filter(|e| e.start <= offset && offset < e.end) {
        let canonical = e
            .canonical
            .as_deref()
            .map(|c| format!(" → {}", project.canonical(c).map_or(c, |k| k.name.as_str())))
            .unwrap_or_default();
        lines.push(format!("{} “{}”{canonical}", e.label, e.text));
    }
    let claims = members.iter().filter_map(|m| match m {
        Member::Claim(i) => doc.claims.get(*i),
        _ => None,
    });
    for c in claims.filter(|c| c.start <= offset && offset < c.end) {
        let who = c.claimant_name(doc).unwrap_or("unknown claimant");
        lines.push(format!("Claim by {who} ({})", c.attribution.label()));
    }
    lines
}

/// Draws a bidi piece at `pos`: entity backgrounds (the innermost on top),
/// find hits and the selection as rectangles behind the text, then each
/// run's galley, then claim underlines. A stretch in another colour (a cue;
/// text on an entity in the dark theme) is the same galley drawn again with
/// that colour, clipped to the stretch: the run's shaping is never cut.
fn paint_bidi(
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
fn colour_stretches(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Cue, Entity};
    use proptest::prelude::*;

    /// What each piece's members must be: every annotation that shares a
    /// code point with it, in the document's order (entities, then each
    /// claim followed by its cue).
    fn members_by_brute_force(doc: &Document, paragraphs: &[Paragraph]) -> Vec<Vec<String>> {
        let overlaps =
            |p: &Paragraph, start: usize, end: usize| start.max(p.start) < end.min(p.end);
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
