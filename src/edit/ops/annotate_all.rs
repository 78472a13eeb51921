//! Annotate all: every occurrence of a text tagged at once, in every
//! document or one.

use super::*;

/// Every whole-word occurrence of `needle` in `text`, as code-point ranges.
pub fn occurrences(text: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    let index = crate::model::span::CharIndex::new(text);
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let length = needle.chars().count();
    text.match_indices(needle)
        .filter(|(byte, _)| {
            let before = text.get(..*byte).and_then(|t| t.chars().next_back());
            let after = text
                .get(byte + needle.len()..)
                .and_then(|t| t.chars().next());
            !word(before) && !word(after)
        })
        .filter_map(|(byte, _)| index.char_of_byte(byte))
        .map(|start| (start, start + length))
        .collect()
}

/// The edit for "annotate all occurrences": every whole-word occurrence of
/// `text` not already tagged with `label`, in `documents`, as one undoable
/// step; `None` when there are none. Also returns the count.
pub fn annotate_all(documents: &[&Document], text: &str, label: &str) -> (Option<Edit>, usize) {
    let edits: Vec<Edit> = documents
        .iter()
        .flat_map(|doc| annotate_all_in(doc, text, label))
        .collect();
    let count = edits.len();
    (annotate_all_batch(text, edits), count)
}

/// The edits "annotate all occurrences" makes in one document: an
/// [`Edit::InsertEntity`] per whole-word occurrence of `text` not already
/// tagged `label`, in text order, each index counting the ones before it.
/// Linear in the document (plus the occurrences' inserts), so a long
/// article with thousands of entities and occurrences stays fast; a worker
/// runs it document by document across a project.
pub fn annotate_all_in(doc: &Document, text: &str, label: &str) -> Vec<Edit> {
    let found = occurrences(&doc.text, text);
    if found.is_empty() {
        return Vec::new();
    }
    let tagged: std::collections::HashSet<(usize, usize)> = doc
        .entities
        .iter()
        .filter(|e| e.label == label)
        .map(|e| (e.start, e.end))
        .collect();
    // Spans in list order, with the new ones inserted as they are made, so
    // that each index is where the entity goes once the ones before it are in.
    let mut spans: Vec<(usize, usize)> = doc.entities.iter().map(|e| (e.start, e.end)).collect();
    let mut ids = IdSequence::new(
        "e",
        doc.entities
            .iter()
            .map(|e| e.id.as_str())
            .chain(doc.claims.iter().map(|c| c.id.as_str()))
            .chain(doc.relations.iter().map(|r| r.id.as_str())),
    );
    let mut edits = Vec::new();
    for (start, end) in found {
        if tagged.contains(&(start, end)) {
            continue;
        }
        let index = spans.partition_point(|span| *span <= (start, end));
        spans.insert(index, (start, end));
        edits.push(Edit::InsertEntity {
            doc: doc.id.clone(),
            index,
            entity: Entity::new(ids.next(), label, start, end, text),
        });
    }
    edits
}

/// The one undoable step of "annotate all occurrences" of `text`; `None`
/// when there is nothing to tag.
pub fn annotate_all_batch(text: &str, edits: Vec<Edit>) -> Option<Edit> {
    (!edits.is_empty()).then(|| Edit::Batch {
        label: format!("annotate all {text:?}"),
        edits,
    })
}

/// Fresh ids `e1`, `e2`… as [`Document::next_id`] would give them one after
/// another while each is inserted, without rescanning the document's ids
/// for each.
pub(super) struct IdSequence {
    pub(super) prefix: &'static str,
    pub(super) used: std::collections::HashSet<u64>,
    pub(super) highest: u64,
}

impl IdSequence {
    pub(super) fn new<'a>(prefix: &'static str, ids: impl Iterator<Item = &'a str>) -> Self {
        let used: std::collections::HashSet<u64> = ids
            .filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
            .collect();
        let highest = used.iter().copied().max().unwrap_or(0);
        Self {
            prefix,
            used,
            highest,
        }
    }

    pub(super) fn next(&mut self) -> String {
        // Past the highest number, or (after an absurd id from a file) the
        // first free one: the rule of `next_numbered_id`.
        let next = self
            .highest
            .checked_add(1)
            .or_else(|| (1..).find(|n| !self.used.contains(n)))
            .unwrap_or(1);
        self.used.insert(next);
        self.highest = self.highest.max(next);
        format!("{}{next}", self.prefix)
    }
}
