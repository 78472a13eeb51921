//! Dataset formats. Each format lives in its own file with the same shape:
//! `export(project, &ExportOptions) -> Result<Exported, FormatError>` and, where
//! the format can be read, `import(paths) -> Result<Imported, FormatError>`.

pub mod brat;
pub mod claimreview;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod jsonl;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::model::{Document, Project, RelationType, Rgb, Schema, Status};
use crate::model::{EntityType, Evidence};

/// Which documents to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Only documents with one of these statuses (all when empty).
    pub statuses: Vec<Status>,
    /// Only documents with one of these ids (all when empty).
    pub doc_ids: Vec<String>,
    /// Fail instead of leaving out what the format cannot express.
    pub strict: bool,
    /// Counts the documents exported so far, for a progress bar.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

impl ExportOptions {
    fn wants(&self, doc: &crate::model::Document) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&doc.status))
            && (self.doc_ids.is_empty() || self.doc_ids.contains(&doc.id))
    }

    /// The documents of `project` that these options select, in project
    /// order; each one handed out counts toward `progress`.
    pub fn select<'a>(
        &'a self,
        project: &'a Project,
    ) -> impl Iterator<Item = &'a crate::model::Document> + 'a {
        project
            .documents
            .iter()
            .filter(|d| self.wants(d))
            .inspect(|_| {
                if let Some(progress) = &self.progress {
                    progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            })
    }

    /// How many documents [`Self::select`] will hand out.
    pub fn selected_count(&self, project: &Project) -> usize {
        project.documents.iter().filter(|d| self.wants(d)).count()
    }
}

/// A format error that names what it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FormatError(pub String);

/// What an export produced: files to write (a single file has an empty
/// relative path and goes to `-o`), and warnings about what was left out.
#[derive(Debug, Default)]
pub struct Exported {
    /// Relative path (empty for a single-file format) and contents.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// Human-readable notes about anything the format could not hold.
    pub warnings: Vec<String>,
}

/// The dataset formats Gloss reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Gloss's own full JSONL, one document per line.
    Jsonl,
    /// doccano JSONL (`label` triples; relation shape on import).
    Doccano,
    /// CoNLL BIO2, one token per line.
    Conll,
    /// brat standoff: `NAME.txt` + `NAME.ann` per document.
    Brat,
    /// A claims table.
    Csv,
    /// schema.org ClaimReview JSON-LD.
    ClaimReview,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Jsonl,
        Format::Doccano,
        Format::Conll,
        Format::Brat,
        Format::Csv,
        Format::ClaimReview,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::Conll => "conll",
            Format::Brat => "brat",
            Format::Csv => "csv",
            Format::ClaimReview => "claimreview",
        }
    }

    /// Parses a command-line name.
    pub fn parse(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!(
                    "unknown format {name:?}; one of jsonl, doccano, conll, brat, csv, claimreview"
                )
            })
    }

    /// Whether an export writes a folder of files rather than one file.
    pub fn writes_folder(self) -> bool {
        matches!(self, Format::Brat)
    }

    /// Whether [`import`] reads this format.
    pub fn can_import(self) -> bool {
        matches!(
            self,
            Format::Jsonl | Format::Doccano | Format::Conll | Format::Brat
        )
    }
}

/// Exports `project` in `format`.
pub fn export(
    project: &Project,
    format: Format,
    options: &ExportOptions,
) -> Result<Exported, FormatError> {
    match format {
        Format::Jsonl => jsonl::export(project, options),
        Format::Doccano => doccano::export(project, options),
        Format::Conll => conll::export(project, options),
        Format::Brat => brat::export(project, options),
        Format::Csv => self::csv::export(project, options),
        Format::ClaimReview => claimreview::export(project, options),
    }
}

/// What an import produced: a project (documents, schema types found) and
/// notes about anything that could not be kept.
#[derive(Debug)]
pub struct Imported {
    /// The imported documents and the types they use.
    pub project: Project,
    /// One line per thing left out, with counts.
    pub warnings: Vec<String>,
}

/// Imports `sources` (files, or folders for brat) in `format`.
pub fn import(format: Format, sources: &[&Path]) -> Result<Imported, FormatError> {
    if sources.is_empty() {
        return Err(FormatError(format!(
            "import from {}: no files given",
            format.name()
        )));
    }
    match format {
        Format::Jsonl => jsonl::import(sources),
        Format::Doccano => doccano::import(sources),
        Format::Conll => conll::import(sources),
        Format::Brat => brat::import(sources),
        Format::Csv | Format::ClaimReview => Err(FormatError(format!(
            "{} is an export-only format",
            format.name()
        ))),
    }
}

/// What merging an imported project added and left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// Documents added.
    pub added: usize,
    /// Documents skipped because the project (or an earlier document of the
    /// same import) has the same text.
    pub skipped: usize,
}

/// Adds an imported project to `project` through the edit layer; see
/// [`merge_edit`].
pub fn merge_into(project: &mut Project, imported: Project) -> Result<Merged, FormatError> {
    let (edit, merged) = merge_edit(project, imported);
    let Some(edit) = edit else { return Ok(merged) };
    crate::edit::apply(project, edit).map_err(|e| FormatError(e.to_string()))?;
    Ok(merged)
}

/// The edit that adds an imported project's types, canonical entities and
/// documents to `project`. Document and canonical ids that clash get a new id
/// (and the references to them follow); a canonical entity identical to one
/// of the project's (same id, name and type) is shared rather than copied.
/// A document whose text the project already has (same content hash) is
/// skipped and counted, so importing the same data twice adds nothing.
pub fn merge_edit(project: &Project, imported: Project) -> (Option<crate::edit::Edit>, Merged) {
    use crate::edit::Edit;
    let mut edits = Vec::new();
    let mut types = project.schema.entity_types.len();
    for t in imported.schema.entity_types {
        if project.schema.entity_type(&t.key).is_none() {
            let mut t = t;
            if t.hotkey
                .is_some_and(|h| project.schema.entity_type_for_hotkey(h).is_some())
            {
                t.hotkey = None;
            }
            edits.push(Edit::InsertEntityType {
                index: types,
                entity_type: t,
            });
            types += 1;
        }
    }
    let mut relation_types = project.schema.relation_types.len();
    for t in imported.schema.relation_types {
        if project.schema.relation_type(&t.key).is_none() {
            edits.push(Edit::InsertRelationType {
                index: relation_types,
                relation_type: t,
            });
            relation_types += 1;
        }
    }
    let mut canonical_ids: HashMap<String, String> = HashMap::new();
    let mut canonical_taken: HashSet<String> = project
        .canonical_entities
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let mut canonical_index = project.canonical_entities.len();
    for mut canonical in imported.canonical_entities {
        if project
            .canonical(&canonical.id)
            .is_some_and(|c| c.name == canonical.name && c.label == canonical.label)
        {
            canonical_ids.insert(canonical.id.clone(), canonical.id);
            continue;
        }
        let old = canonical.id.clone();
        if canonical_taken.contains(&canonical.id) {
            canonical.id = (1..)
                .map(|n| format!("k{n}"))
                .find(|id| !canonical_taken.contains(id))
                .unwrap_or(old.clone());
        }
        canonical_taken.insert(canonical.id.clone());
        canonical_ids.insert(old, canonical.id.clone());
        edits.push(Edit::InsertCanonical {
            index: canonical_index,
            canonical,
        });
        canonical_index += 1;
    }
    let mut taken: HashSet<String> = project.documents.iter().map(|d| d.id.clone()).collect();
    let mut document_ids: HashMap<String, String> = HashMap::new();
    // Text already present: its document id, so evidence follows it.
    let mut by_hash: HashMap<String, String> = project
        .documents
        .iter()
        .map(|d| (d.content_hash.clone(), d.id.clone()))
        .collect();
    let mut duplicates: HashSet<usize> = HashSet::new();
    for (n, document) in imported.documents.iter().enumerate() {
        if let Some(existing) = by_hash.get(&document.content_hash) {
            document_ids.insert(document.id.clone(), existing.clone());
            duplicates.insert(n);
            continue;
        }
        let mut id = document.id.clone();
        if taken.contains(&id) {
            id = (2..)
                .map(|n| format!("{}-{n}", document.id))
                .find(|id| !taken.contains(id))
                .unwrap_or(id);
        }
        taken.insert(id.clone());
        by_hash.insert(document.content_hash.clone(), id.clone());
        document_ids.insert(document.id.clone(), id);
    }
    let merged = Merged {
        added: imported.documents.len() - duplicates.len(),
        skipped: duplicates.len(),
    };
    let kept = imported
        .documents
        .into_iter()
        .enumerate()
        .filter(|(n, _)| !duplicates.contains(n))
        .map(|(_, d)| d);
    for (index, mut document) in (project.documents.len()..).zip(kept) {
        if let Some(id) = document_ids.get(&document.id) {
            document.id.clone_from(id);
        }
        for entity in &mut document.entities {
            if let Some(id) = entity.canonical.as_ref().and_then(|c| canonical_ids.get(c)) {
                entity.canonical = Some(id.clone());
            }
        }
        for claim in &mut document.claims {
            for evidence in &mut claim.evidence {
                if let Evidence::Span { doc, .. } = evidence
                    && let Some(id) = document_ids.get(doc.as_str())
                {
                    doc.clone_from(id);
                }
            }
        }
        edits.push(Edit::InsertDocument {
            index,
            document: Box::new(document),
        });
    }
    let edit = (!edits.is_empty()).then(|| Edit::Batch {
        label: "import dataset".to_owned(),
        edits,
    });
    (edit, merged)
}

// Helpers shared by the format files.

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
        (2..)
            .map(|n| format!("{wanted}-{n}"))
            .find(|id| !taken.contains(id))
            .unwrap_or_else(|| wanted.to_owned())
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

/// Counts things of one kind that an import or export left out or changed,
/// with a few examples of where, and turns them into warning lines.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    entries: Vec<(String, usize, Vec<String>)>,
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
        let entry = match self.entries.iter_mut().find(|(w, _, _)| w == what) {
            Some(entry) => entry,
            None => {
                self.entries.push((what.to_owned(), 0, Vec::new()));
                let Some(entry) = self.entries.last_mut() else {
                    return;
                };
                entry
            }
        };
        entry.1 += n;
        if !place.is_empty() && !entry.2.contains(&place) {
            entry.2.push(place);
        }
    }

    /// How many of `what` were counted.
    pub(crate) fn count(&self, what: &str) -> usize {
        self.entries
            .iter()
            .find(|(w, _, _)| w == what)
            .map_or(0, |(_, n, _)| *n)
    }

    /// One line per kind: `prefix` + `"12 event (E) line(s) left out (a, b, … and 3 more places)"`.
    pub(crate) fn warnings(&self, prefix: &str) -> Vec<String> {
        self.entries
            .iter()
            .map(|(what, n, places)| {
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
            })
            .collect()
    }
}

/// Counts, for a format that holds entity spans and types only, what else a
/// document has: notes, canonical links, annotators and review states of its
/// entities (claims and relations are counted by the caller, which may hold some).
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
        if e.review != crate::model::Review::Unreviewed {
            tally.add("review state(s) left out", place);
        }
    }
}

/// Pastel colours for entity types an import adds, distinct from the defaults.
const PALETTE: [[u8; 3]; 16] = [
    [0xff, 0x9a, 0xa2],
    [0xb5, 0xea, 0xd7],
    [0xc7, 0xce, 0xea],
    [0xff, 0xda, 0xc1],
    [0xe2, 0xf0, 0xcb],
    [0xf3, 0xb0, 0xc3],
    [0xa0, 0xce, 0xd9],
    [0xff, 0xee, 0x93],
    [0xd4, 0xa5, 0xa5],
    [0xb8, 0xc0, 0xff],
    [0xad, 0xf7, 0xb6],
    [0xff, 0xc8, 0xdd],
    [0xcd, 0xb4, 0xdb],
    [0xfc, 0xf5, 0xc7],
    [0x9a, 0xd1, 0xd4],
    [0xe4, 0xc1, 0xf9],
];

/// A colour no entity type of `schema` uses yet.
pub(crate) fn distinct_color(schema: &Schema) -> Rgb {
    let used: HashSet<[u8; 3]> = schema.entity_types.iter().map(|t| t.color.0).collect();
    if let Some(color) = PALETTE.iter().find(|c| !used.contains(*c)) {
        return Rgb(*color);
    }
    // Past the palette, walk the hue circle by the golden angle.
    (0..4096u32)
        .map(|n| hsv_pastel((n as f32 * 137.508) % 360.0))
        .find(|c| !used.contains(&c.0))
        .unwrap_or(Rgb([0xbb, 0xbb, 0xbb]))
}

fn hsv_pastel(hue: f32) -> Rgb {
    let (s, v) = (0.35_f32, 0.95_f32);
    let c = v * s;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let (r, g, b) = match (hue / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    let to = |f: f32| ((f + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb([to(r), to(g), to(b)])
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
    let color = color.unwrap_or_else(|| distinct_color(schema));
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

/// A file of an export that could not be written; the files written before
/// it stay, the one that failed is untouched (atomic writes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct WriteError {
    /// The file or folder.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl WriteError {
    fn new(path: &Path, error: std::io::Error) -> Self {
        Self {
            path: path.display().to_string(),
            message: error.to_string(),
        }
    }
}

impl Exported {
    /// Whether this is one file (to go where `-o` says) rather than a folder.
    pub fn is_single_file(&self) -> bool {
        self.files.len() == 1 && self.files.iter().all(|(p, _)| p.as_os_str().is_empty())
    }

    /// Writes the export atomically: a single file to `target`, or each file
    /// into the folder `target`. Errors name the file.
    pub fn write_to(self, target: &Path) -> Result<(), WriteError> {
        let single = self.is_single_file();
        for (relative, bytes) in self.files {
            let path = if single {
                target.to_owned()
            } else {
                target.join(relative)
            };
            if let Some(parent) = path.parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).map_err(|e| WriteError::new(parent, e))?;
            }
            crate::store::write_atomically(&path, &bytes).map_err(|e| WriteError::new(&path, e))?;
        }
        Ok(())
    }
}
