//! What is under the pointer or a caret: the word, the innermost
//! annotation, the tooltip lines.

use super::*;

/// The word at a caret offset. A caret lands between characters (on the
/// nearer edge of the clicked glyph), so a click on a word's last letter
/// gives the offset after it: then the character before counts.
pub(super) fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
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
pub(super) fn hover_details(
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
