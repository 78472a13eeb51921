//! How a piece looks: the signatures its cached galley and backgrounds
//! are checked against, text looks per stretch and background colours.

use super::*;

/// What styles one paragraph besides its annotations.
pub(super) struct Overlay<'a> {
    pub(super) selection: Option<(usize, usize)>,
    pub(super) selected_id: Option<&'a str>,
    pub(super) hits: &'a [(usize, usize)],
}

/// What a plain piece's galley depends on besides its text, the width, the
/// size and the theme: its spans and whether it holds the selected claim
/// (drawn with a thicker underline). Selection, find hits and entity
/// backgrounds are drawn as shapes behind the galley, so they never re-lay it.
pub(super) fn text_signature(spans_hash: u64, spans: &[StyledSpan], overlay: &Overlay) -> u64 {
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
pub(super) fn background_signature(
    text_signature: u64,
    spans: &[StyledSpan],
    overlay: &Overlay,
) -> u64 {
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
pub(super) struct Look {
    pub(super) color: Color32,
    pub(super) italics: bool,
    pub(super) underline: Stroke,
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
pub(super) fn text_looks(
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

pub(super) fn looks_hash(looks: &[(usize, usize, Look)]) -> u64 {
    let mut hasher = DefaultHasher::new();
    looks.hash(&mut hasher);
    hasher.finish()
}

/// The background of each code point of a piece: the innermost entity's
/// colour (stronger when selected), find hits over it, the selection over
/// all.
pub(super) fn background_colors(
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

/// An annotation's colour, faint when the Annotations pane filters it out.
pub(super) fn faint(color: Color32, dim: bool) -> Color32 {
    if dim {
        color.gamma_multiply(0.25)
    } else {
        color
    }
}
