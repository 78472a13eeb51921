//! Documents: pairing by text, and their own fields.

use super::*;

/// For each document of `xs`, the index of the document of `ys` with the
/// same text: the one with the same id first, then any.
pub(super) fn pair_by_text(
    xs: &[std::sync::Arc<Document>],
    ys: &[std::sync::Arc<Document>],
) -> Vec<Option<usize>> {
    let mut buckets: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, y) in ys.iter().enumerate() {
        buckets.entry(y.content_hash.as_str()).or_default().push(j);
    }
    let mut pairs = vec![None; xs.len()];
    for (i, x) in xs.iter().enumerate() {
        if let Some(bucket) = buckets.get_mut(x.content_hash.as_str())
            && let Some(pos) = bucket
                .iter()
                .position(|&j| ys.get(j).is_some_and(|y| y.id == x.id))
        {
            pairs[i] = Some(bucket.remove(pos));
        }
    }
    for (i, x) in xs.iter().enumerate() {
        if pairs[i].is_none()
            && let Some(bucket) = buckets.get_mut(x.content_hash.as_str())
            && !bucket.is_empty()
        {
            pairs[i] = Some(bucket.remove(0));
        }
    }
    pairs
}

/// Fields of a document that are not its identity, text or annotations.
/// Every field, including ones added to the model later, is merged.
pub(super) fn document_fields(doc: &Document) -> Map<String, Value> {
    let mut map = to_map(doc);
    for key in [
        "id",
        "content_hash",
        "entities",
        "claims",
        "relations",
        "conflicts",
        "text",
    ] {
        map.remove(key);
    }
    map
}

/// `doc` with its own fields replaced by `fields` (those that parse).
pub(super) fn with_fields(doc: &mut Document, fields: Map<String, Value>) {
    let mut map = fields;
    map.insert("id".to_owned(), Value::String(doc.id.clone()));
    map.insert(
        "content_hash".to_owned(),
        Value::String(doc.content_hash.clone()),
    );
    map.insert("text".to_owned(), Value::String(String::new()));
    if let Some(mut parsed) = from_map::<Document>(map) {
        std::mem::swap(&mut parsed.text, &mut doc.text);
        parsed.entities = std::mem::take(&mut doc.entities);
        parsed.claims = std::mem::take(&mut doc.claims);
        parsed.relations = std::mem::take(&mut doc.relations);
        parsed.conflicts = std::mem::take(&mut doc.conflicts);
        *doc = parsed;
    }
}

/// Conflict records for a document's (or project's) own fields.
pub(super) fn field_conflicts(
    kind: ConflictKind,
    about: &ConflictAbout,
    fields: &Fields,
    sides: Sides<'_>,
) -> Vec<Conflict> {
    fields
        .conflicts
        .iter()
        .zip(&fields.values)
        .map(|(name, (ours, theirs))| {
            conflict(
                kind,
                about.clone(),
                vec![name.clone()],
                vec![
                    ConflictVersion {
                        side: sides.first.to_owned(),
                        value: ours.clone(),
                        ..ConflictVersion::default()
                    },
                    ConflictVersion {
                        side: sides.second.to_owned(),
                        value: theirs.clone(),
                        ..ConflictVersion::default()
                    },
                ],
            )
        })
        .collect()
}

pub(super) fn status_rank(status: Status) -> usize {
    Status::ALL.iter().position(|s| *s == status).unwrap_or(0)
}
