//! Which annotations touch each piece, and the styled spans made from
//! them when the piece is drawn.

use super::*;

/// A document's relations by the id of each of their ends.
pub(super) type RelationsByEnd = HashMap<String, Vec<usize>>;

/// A styled range inside one paragraph (offsets relative to the paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct StyledSpan {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: SpanKind,
    pub(super) id: String,
    /// Drawn faintly: the Annotations pane filters and this one does not match.
    pub(super) dim: bool,
    /// An entity that contains a shorter one in this piece: a bar in its
    /// colour goes under its rows (found once per change, not per frame).
    pub(super) outer: bool,
    /// The reviewer's decision, drawn on the text (see [`paint_review`]).
    pub(super) review: Review,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum SpanKind {
    Entity([u8; 3]),
    Claim,
    Cue,
}

/// An annotation touching a piece: its index in the document's entities or
/// claims (a claim's cue is its own member).
#[derive(Debug, Clone, Copy)]
pub(super) enum Member {
    Entity(usize),
    Claim(usize),
    Cue(usize),
}

/// Finds the first piece an annotation can touch. Annotations are kept sorted
/// by start, so the cursor mostly steps forward along the pieces; a binary
/// search per annotation was the largest single cost of the frame after an
/// edit (10,000 entities). A start that goes back searches again.
pub(super) struct PieceCursor<'a> {
    pub(super) paragraphs: &'a [Piece],
    pub(super) index: usize,
    pub(super) last_start: usize,
}

impl<'a> PieceCursor<'a> {
    pub(super) fn new(paragraphs: &'a [Piece]) -> Self {
        Self {
            paragraphs,
            index: 0,
            last_start: 0,
        }
    }

    /// Index of the first piece that does not end before `start`.
    pub(super) fn first(&mut self, start: usize) -> usize {
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
pub(super) fn file_members(doc: &Document, paragraphs: &[Piece], out: &mut Vec<Vec<Member>>) {
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
pub(super) fn piece_spans(
    doc: &Document,
    schema: &Schema,
    paragraph: &Piece,
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
pub(super) fn mark_outer(spans: &mut [StyledSpan]) {
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
