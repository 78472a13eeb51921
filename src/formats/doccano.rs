//! doccano JSONL. Export writes the sequence-labeling shape, one line per
//! document: `{"id": …, "text": …, "label": [[start, end, "TYPE"], …]}`.
//! Import reads that shape and the relation-extraction shape (`entities` with
//! `start_offset`/`end_offset`, `relations` with `from_id`/`to_id`/`type`).
//! Offsets are code points, end exclusive, as in doccano.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Value, json};

use super::{ExportOptions, Exported, Fields, FormatError, Imported, Tally};
use crate::model::span::CharIndex;
use crate::model::{CompactString, Entity, Project, Relation, Status};

/// Exports the selected documents' entities as `label` triples. Claims,
/// relations, notes, canonical links, annotators and review states are
/// counted in the warnings.
pub fn export(project: &Project, options: &ExportOptions) -> Result<Exported, FormatError> {
    let mut out = String::new();
    let mut tally = Tally::default();
    for doc in options.select(project) {
        let label: Vec<Value> = doc
            .entities
            .iter()
            .map(|e| json!([e.start, e.end, e.label]))
            .collect();
        // doccano keeps a line's other keys as the example's metadata.
        let mut line = serde_json::Map::new();
        line.insert("id".to_owned(), id_value(&doc.id));
        line.insert("text".to_owned(), doc.text.clone().into());
        line.insert("label".to_owned(), label.into());
        // Only what says something: a title other than the id (an import's
        // default), fields that are set, a status past New.
        let says_nothing = |key: &str, value: &Value| {
            value.is_null()
                || (key == "title" && value.as_str() == Some(doc.id.as_str()))
                || (key == "status" && value.as_str() == Some(Status::New.name()))
        };
        line.extend(
            super::metadata_json(doc)
                .into_iter()
                .filter(|(key, value)| !says_nothing(key, value)),
        );
        let line = Value::Object(line);
        out.push_str(&line.to_string());
        out.push('\n');
        tally.add_many(
            "claim(s) left out (doccano labels hold entities only)",
            doc.claims.len(),
            doc.id.clone(),
        );
        tally.add_many(
            "relation(s) left out (the label shape has none)",
            doc.relations.len(),
            doc.id.clone(),
        );
        super::tally_entity_extras(doc, &mut tally, false, false);
    }
    Ok(Exported {
        files: vec![(Default::default(), out.into_bytes())],
        warnings: tally.warnings("doccano: "),
    })
}

/// doccano ids are integers: a document id written as a plain decimal number
/// goes out as a JSON number, anything else as a string.
fn id_value(id: &str) -> Value {
    let plain = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && (id == "0" || !id.starts_with('0'));
    match id.parse::<u64>() {
        Ok(n) if plain => Value::from(n),
        _ => Value::from(id),
    }
}

/// The keys a line is read for besides [`super::METADATA_KEYS`].
const KNOWN_KEYS: &[&str] = &[
    "id",
    "text",
    "data",
    "label",
    "labels",
    "entities",
    "relations",
    "username",
];

/// Reads doccano JSONL files. A line's `id` becomes the document id; lines
/// without one get `STEM-LINE` (file stem and line number).
pub fn import(sources: &[&Path]) -> Result<Imported, FormatError> {
    let mut project = Project::new("");
    let mut tally = Tally::default();
    let mut doc_ids = HashSet::new();
    for path in sources {
        let stem = super::file_stem(path);
        let content = super::read_text(path)?;
        for (n, line) in content.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(line).map_err(|e| {
                let at = crate::diagnostics::json_error_in_line(&e, line);
                super::error_at(path, n + 1, format!("not JSON at {at}"))
            })?;
            let f = Fields::new(&value, path, n + 1, "line")?;
            let known: Vec<&str> = KNOWN_KEYS
                .iter()
                .chain(super::METADATA_KEYS)
                .copied()
                .collect();
            for key in f.unknown_keys(&known) {
                tally.add("field(s) left out", format!("{} {key:?}", f.place()));
            }
            let wanted = match f.get("id") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(_) => return Err(f.error("\"id\" must be a string or a number")),
                None => format!("{stem}-{}", n + 1),
            };
            let id = super::unique_id(&mut doc_ids, &wanted);
            if id != wanted {
                tally.add(
                    "duplicate document id(s) renamed",
                    format!("{} {wanted} → {id}", f.place()),
                );
            }
            let text = match f.string("text")? {
                Some(text) => text,
                None => f
                    .string("data")?
                    .ok_or_else(|| f.error("\"text\" is missing"))?,
            };
            // As in Gloss JSONL, the source is the line's own, not the file's:
            // an export then reads back as it was written.
            let mut doc = super::imported_document(id, text, None);
            super::read_metadata(&f, &mut doc, Some(&mut tally))?;
            // Provenance: early doccano wrote the annotator's name on the
            // line; an entity object may name its own.
            let line_user = user_name(f.get("username"));
            let index = CharIndex::new(&doc.text);
            // The document is new: its ids are counted here, not looked up
            // in it for every label (that was quadratic in the labels).
            let (mut entities_made, mut relations_made) = (0usize, 0usize);
            let mut next_entity = || {
                entities_made += 1;
                format!("e{entities_made}")
            };
            let labels = match f.get("label") {
                Some(_) => f.array("label")?,
                None => f.array("labels")?,
            };
            for (i, item) in labels.iter().enumerate() {
                let what = format!("label {}", i + 1);
                match item {
                    Value::Array(triple) => {
                        let (start, end, label) = triple_parts(triple).ok_or_else(|| {
                            f.error(format!("{what} is not [start, end, \"TYPE\"]"))
                        })?;
                        let text = super::span_text(&index, &doc.text, start, end)
                            .map_err(|e| f.error(format!("{what}: {e}")))?;
                        let id = next_entity();
                        let mut entity = Entity::new(id, label, start, end, text);
                        entity.annotator.clone_from(&line_user);
                        doc.entities.push(entity);
                    }
                    Value::String(category) => {
                        tally.add(
                            "document category label(s) left out",
                            format!("{} {category:?}", f.place()),
                        );
                    }
                    _ => return Err(f.error(format!("{what} is not [start, end, \"TYPE\"]"))),
                }
            }
            let mut entity_ids: HashMap<String, String> = HashMap::new();
            for (i, item) in f.array("entities")?.iter().enumerate() {
                let e = Fields::new(item, path, n + 1, format!("entity {}", i + 1))?;
                let (start, end) = (
                    e.required_offset("start_offset")?,
                    e.required_offset("end_offset")?,
                );
                let label = e.required_label("label")?;
                let text =
                    super::span_text(&index, &doc.text, start, end).map_err(|m| e.error(m))?;
                let id = next_entity();
                if let Some(source_id) = e.get("id") {
                    entity_ids.insert(source_id.to_string(), id.clone());
                }
                let mut entity = Entity::new(id, label, start, end, text);
                entity.annotator = user_name(e.get("annotator"))
                    .or_else(|| user_name(e.get("user")))
                    .or_else(|| line_user.clone());
                doc.entities.push(entity);
            }
            for (i, item) in f.array("relations")?.iter().enumerate() {
                let r = Fields::new(item, path, n + 1, format!("relation {}", i + 1))?;
                let end_id = |key: &str| {
                    r.get(key)
                        .and_then(|v| entity_ids.get(&v.to_string()))
                        .cloned()
                };
                let (Some(from), Some(to)) = (end_id("from_id"), end_id("to_id")) else {
                    tally.add(
                        "relation(s) left out: an end names no entity of the line",
                        r.place(),
                    );
                    continue;
                };
                let label = r.required_string("type")?;
                relations_made += 1;
                let id = format!("r{relations_made}");
                doc.relations.push(Relation::new(id, label, from, to));
            }
            project.documents.push(doc.into());
        }
    }
    super::complete_schema(&mut project);
    Ok(Imported {
        project,
        warnings: tally.warnings("doccano: "),
    })
}

/// An annotator's name from a doccano `username`/`user` value: a name as
/// it is, a numeric user id as `user N` (doccano's own id, not a name).
fn user_name(value: Option<&Value>) -> Option<CompactString> {
    match value? {
        Value::String(name) if !name.trim().is_empty() => Some(name.trim().into()),
        Value::Number(n) => Some(compact_str::format_compact!("user {n}")),
        _ => None,
    }
}

/// `[start, end, "TYPE"]` → its parts.
fn triple_parts(triple: &[Value]) -> Option<(usize, usize, String)> {
    let [start, end, label] = triple else {
        return None;
    };
    let start = usize::try_from(start.as_u64()?).ok()?;
    let end = usize::try_from(end.as_u64()?).ok()?;
    let label = label.as_str().filter(|l| !l.trim().is_empty())?;
    Some((start, end, label.to_owned()))
}
