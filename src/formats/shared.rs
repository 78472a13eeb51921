//! Helpers shared by the format files: located errors, reading text files,
//! ids, the tally of what a format left out, schema completion, and the
//! typed access to JSON fields.

use std::collections::HashSet;
use std::path::Path;

use super::FormatError;
use crate::model::{Document, EntityType, Project, RelationType, Rgb, Schema};

/// An error located at a line of a file: `path:line: message`.
pub(crate) fn error_at(path: &Path, line: usize, message: impl std::fmt::Display) -> FormatError {
    let message = crate::diagnostics::clip_quotes(&message.to_string());
    FormatError(format!("{}:{line}: {message}", path.display()))
}

/// Reads a UTF-8 text file (a leading byte-order mark is dropped), with
/// errors that name the file.
pub(crate) fn read_text(path: &Path) -> Result<String, FormatError> {
    let bytes = crate::store::read_regular_file(path)
        .map_err(|e| FormatError(format!("{}: cannot read: {e}", path.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| FormatError(format!("{}: not UTF-8 text ({e})", path.display())))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// The file name without its last extension, for document ids.
pub(crate) fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".to_owned())
}

/// `wanted`, or `wanted-2`, `wanted-3`… when `taken` has it; the result is
/// added to `taken`.
pub(crate) fn unique_id(taken: &mut HashSet<String>, wanted: &str) -> String {
    let id = if taken.contains(wanted) {
        // Many lines with the same id are common (`wanted-2`, `-3`, … are
        // then taken in a row): find a free suffix by doubling, then halving
        // between the last taken one and the free one, so that n duplicates
        // take O(n log n) rather than O(n²).
        let free = |n: usize| !taken.contains(&format!("{wanted}-{n}"));
        let (mut low, mut high) = (1, 2);
        while !free(high) {
            low = high;
            high = high.saturating_mul(2);
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if free(middle) {
                high = middle;
            } else {
                low = middle;
            }
        }
        format!("{wanted}-{high}")
    } else {
        wanted.to_owned()
    };
    taken.insert(id.clone());
    id
}

/// A document for an import: its hash computed, `source` set.
pub(crate) fn imported_document(id: String, text: String, source: Option<&Path>) -> Document {
    let mut doc = Document::new(id.clone(), id, text);
    doc.source = source.map(|p| p.display().to_string());
    doc
}

/// The document fields besides id and text, as JSON lines carry them (the
/// JSONL and doccano exports).
pub(crate) const METADATA_KEYS: &[&str] = &[
    "title",
    "source",
    "date",
    "byline",
    "site_name",
    "language",
    "direction",
    "status",
];

/// `doc`'s metadata under [`METADATA_KEYS`] (`None` fields as `null`).
pub(crate) fn metadata_json(doc: &Document) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| {
        map.insert(key.to_owned(), value);
    };
    put("title", doc.title.clone().into());
    put("source", doc.source.clone().into());
    put("date", doc.date.clone().into());
    put("byline", doc.byline.clone().into());
    put("site_name", doc.site_name.clone().into());
    put("language", doc.language.clone().into());
    put("direction", doc.direction.clone().into());
    put("status", doc.status.name().into());
    map
}

/// Reads what [`metadata_json`] writes into `doc`; a missing title leaves
/// `doc`'s own, a missing field `None`. A value of the wrong kind (or an
/// unknown status) is an error in Gloss's own JSONL; with `foreign` (a
/// doccano line, whose other keys are whatever its users put there) it is
/// left out and counted there instead.
pub(crate) fn read_metadata(
    fields: &Fields<'_>,
    doc: &mut Document,
    mut foreign: Option<&mut Tally>,
) -> Result<(), FormatError> {
    let mut read = |key: &str| -> Result<Option<String>, FormatError> {
        let value = fields.string(key).and_then(|value| match (key, value) {
            ("status", Some(status)) if crate::model::Status::parse(&status).is_none() => {
                Err(fields.error(format!("unknown status {status:?}")))
            }
            (_, value) => Ok(value),
        });
        match (value, foreign.as_deref_mut()) {
            (Ok(value), _) => Ok(value),
            (Err(_), Some(tally)) => {
                tally.add("field(s) left out", format!("{} {key:?}", fields.place()));
                Ok(None)
            }
            (Err(e), None) => Err(e),
        }
    };
    if let Some(title) = read("title")? {
        doc.title = title;
    }
    doc.date = read("date")?;
    doc.byline = read("byline")?;
    doc.site_name = read("site_name")?;
    doc.language = read("language")?;
    doc.direction = read("direction")?;
    if let Some(source) = read("source")? {
        doc.source = Some(source);
    }
    if let Some(status) = read("status")?
        .as_deref()
        .and_then(crate::model::Status::parse)
    {
        doc.status = status;
    }
    Ok(())
}

/// Counts `doc` when a format that holds only text and annotations leaves
/// out any of its metadata: a title other than its id (what an import of
/// such a format gives), source, date, byline, site, language, direction or
/// a status past New. The place names the fields.
pub(crate) fn tally_metadata(doc: &Document, tally: &mut Tally) {
    let mut lost = Vec::new();
    if doc.title != doc.id {
        lost.push("title");
    }
    let optional = [
        ("source", &doc.source),
        ("date", &doc.date),
        ("byline", &doc.byline),
        ("site", &doc.site_name),
        ("language", &doc.language),
        ("direction", &doc.direction),
    ];
    lost.extend(
        optional
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| *k),
    );
    if doc.status != crate::model::Status::New {
        lost.push("status");
    }
    if !lost.is_empty() {
        tally.add(
            "document(s) with title or metadata left out",
            format!("{} ({})", doc.id, lost.join(", ")),
        );
    }
}

/// Counts things of one kind that an import or export left out or changed,
/// with a few examples of where, and turns them into warning lines.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// What, how many, the distinct places (in order), and those places as
    /// a set: one lookup per place, not a scan of every place so far (that
    /// made 50,000 overlapping entities take seconds).
    entries: Vec<TallyEntry>,
}

#[derive(Debug, Default)]
struct TallyEntry {
    what: String,
    count: usize,
    places: Vec<String>,
    seen: std::collections::HashSet<String>,
}

/// How many places a warning names before it says "and N more".
const EXAMPLES: usize = 5;

impl Tally {
    /// Counts one `what` (a phrase such as "claims left out") at `place`.
    pub(crate) fn add(&mut self, what: &str, place: impl Into<String>) {
        self.add_many(what, 1, place);
    }

    /// Counts `n` of `what` at `place`.
    pub(crate) fn add_many(&mut self, what: &str, n: usize, place: impl Into<String>) {
        if n == 0 {
            return;
        }
        let place = place.into();
        let entry = match self.entries.iter_mut().find(|e| e.what == what) {
            Some(entry) => entry,
            None => {
                self.entries.push(TallyEntry {
                    what: what.to_owned(),
                    ..TallyEntry::default()
                });
                let Some(entry) = self.entries.last_mut() else {
                    return;
                };
                entry
            }
        };
        entry.count += n;
        if !place.is_empty() && !entry.seen.contains(&place) {
            entry.seen.insert(place.clone());
            entry.places.push(place);
        }
    }

    /// How many of `what` were counted.
    pub(crate) fn count(&self, what: &str) -> usize {
        self.entries
            .iter()
            .find(|e| e.what == what)
            .map_or(0, |e| e.count)
    }

    /// One line per kind: `prefix` + `"12 event (E) lines left out (a, b, … and 3 more places)"`
    /// (a `what` written `line(s)` gets the plural it needs).
    pub(crate) fn warnings(&self, prefix: &str) -> Vec<String> {
        self.entries
            .iter()
            .map(
                |TallyEntry {
                     what,
                     count: n,
                     places,
                     ..
                 }| {
                    // "line(s)" reads as one word: "1 line", "12 lines".
                    let what = if *n == 1 {
                        what.replace("y(ies)", "y").replace("(s)", "")
                    } else {
                        what.replace("y(ies)", "ies").replace("(s)", "s")
                    };
                    let mut line = format!("{prefix}{n} {what}");
                    if !places.is_empty() {
                        let shown: Vec<&str> =
                            places.iter().take(EXAMPLES).map(String::as_str).collect();
                        line.push_str(" (");
                        line.push_str(&shown.join(", "));
                        if places.len() > EXAMPLES {
                            line.push_str(&format!(", … and {} more", places.len() - EXAMPLES));
                        }
                        line.push(')');
                    }
                    line
                },
            )
            .collect()
    }
}

/// Counts, for a format that holds entity spans and types only, what else a
/// document has: notes, canonical links, annotators, modification times and
/// review states of its entities (claims and relations are counted by the
/// caller, which may hold some).
pub(crate) fn tally_entity_extras(
    doc: &Document,
    tally: &mut Tally,
    holds_notes: bool,
    holds_canonical: bool,
) {
    for e in &doc.entities {
        let place = format!("{} {}", doc.id, e.id);
        if !holds_notes && e.note.is_some() {
            tally.add("entity note(s) left out", place.clone());
        }
        if !holds_canonical && e.canonical.is_some() {
            tally.add("canonical entity link(s) left out", place.clone());
        }
        if e.annotator.is_some() {
            tally.add("annotator name(s) left out", place.clone());
        }
        if e.modified.is_some() {
            tally.add("modification time(s) left out", place.clone());
        }
        if e.review != crate::model::Review::Unreviewed {
            tally.add("review state(s) left out", place);
        }
    }
}

/// Adds entity type `key` to `schema` unless it is there, with `name` (the
/// key when `None`), `color` (a distinct one when `None`) and the next free
/// digit hotkey.
pub(crate) fn ensure_entity_type(
    schema: &mut Schema,
    key: &str,
    name: Option<&str>,
    color: Option<Rgb>,
) {
    if schema.entity_type(key).is_some() {
        return;
    }
    let color = color.unwrap_or_else(|| crate::model::schema::distinct_color(schema));
    let hotkey = ('1'..='9').find(|h| schema.entity_type_for_hotkey(*h).is_none());
    schema.entity_types.push(EntityType {
        key: key.to_owned(),
        name: name.unwrap_or(key).to_owned(),
        color,
        hotkey,
        can_claim: None,
    });
}

/// Adds relation type `key` to `schema` unless it is there.
pub(crate) fn ensure_relation_type(schema: &mut Schema, key: &str, name: Option<&str>) {
    if schema.relation_type(key).is_none() {
        schema.relation_types.push(RelationType {
            key: key.to_owned(),
            name: name.unwrap_or(key).to_owned(),
        });
    }
}

/// Adds every entity and relation type that `project`'s documents and
/// canonical entities use but its schema lacks.
pub(crate) fn complete_schema(project: &mut Project) {
    let mut schema = std::mem::replace(
        &mut project.schema,
        Schema {
            entity_types: Vec::new(),
            relation_types: Vec::new(),
        },
    );
    for doc in &project.documents {
        for e in &doc.entities {
            ensure_entity_type(&mut schema, &e.label, None, None);
        }
        for r in &doc.relations {
            ensure_relation_type(&mut schema, &r.label, None);
        }
    }
    for c in &project.canonical_entities {
        ensure_entity_type(&mut schema, &c.label, None, None);
    }
    project.schema = schema;
}

/// Typed access to the fields of one JSON object of an input line, with
/// errors that name the file, the line and the object.
pub(crate) struct Fields<'a> {
    map: &'a serde_json::Map<String, serde_json::Value>,
    path: &'a Path,
    line: usize,
    what: String,
}

impl<'a> Fields<'a> {
    /// The object `value`, or an error when it is not one.
    pub(crate) fn new(
        value: &'a serde_json::Value,
        path: &'a Path,
        line: usize,
        what: impl Into<String>,
    ) -> Result<Self, FormatError> {
        let what = what.into();
        match value.as_object() {
            Some(map) => Ok(Self {
                map,
                path,
                line,
                what,
            }),
            None => Err(error_at(path, line, format!("{what} is not a JSON object"))),
        }
    }

    /// An error about this object.
    pub(crate) fn error(&self, message: impl std::fmt::Display) -> FormatError {
        error_at(self.path, self.line, format!("{}: {message}", self.what))
    }

    /// The value of `key`; `None` when absent or null.
    pub(crate) fn get(&self, key: &str) -> Option<&'a serde_json::Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A string field.
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, FormatError> {
        match self.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.error(format!("{key:?} must be a string"))),
        }
    }

    /// A string field that must be there.
    pub(crate) fn required_string(&self, key: &str) -> Result<String, FormatError> {
        self.string(key)?
            .ok_or_else(|| self.error(format!("{key:?} is missing")))
    }

    /// A type name (an entity's label) that must be there and not blank: a
    /// blank one cannot be a type of the schema.
    pub(crate) fn required_label(&self, key: &str) -> Result<String, FormatError> {
        let label = self.required_string(key)?;
        if label.trim().is_empty() {
            return Err(self.error(format!("{key:?} is empty")));
        }
        Ok(label)
    }

    /// A non-negative integer field (an offset).
    pub(crate) fn offset(&self, key: &str) -> Result<Option<usize>, FormatError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| self.error(format!("{key:?} must be a non-negative integer"))),
        }
    }

    /// An offset that must be there.
    pub(crate) fn required_offset(&self, key: &str) -> Result<usize, FormatError> {
        self.offset(key)?
            .ok_or_else(|| self.error(format!("{key:?} is missing")))
    }

    /// An array field; empty when absent.
    pub(crate) fn array(&self, key: &str) -> Result<&'a [serde_json::Value], FormatError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(serde_json::Value::Array(items)) => Ok(items),
            Some(_) => Err(self.error(format!("{key:?} must be an array"))),
        }
    }

    /// Keys with a non-null value that are not in `known`.
    pub(crate) fn unknown_keys(&self, known: &[&str]) -> Vec<&'a str> {
        self.map
            .iter()
            .filter(|(k, v)| !v.is_null() && !known.contains(&k.as_str()))
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// `path:line` of this object, for warnings.
    pub(crate) fn place(&self) -> String {
        format!("{}:{}", self.path.display(), self.line)
    }
}

/// The text between code-point offsets `start..end` of a document, or an
/// error that says why not.
pub(crate) fn span_text(
    index: &crate::model::span::CharIndex,
    text: &str,
    start: usize,
    end: usize,
) -> Result<String, String> {
    if start >= end {
        return Err(format!("span {start}..{end} is empty or reversed"));
    }
    index
        .slice(text, start, end)
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "span {start}..{end} is out of range (the text has {} characters)",
                index.char_len()
            )
        })
}
