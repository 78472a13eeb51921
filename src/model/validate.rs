//! Checks that a project is consistent: spans in range and quoting their text,
//! unique ids, references that resolve, types that exist.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::span::CharIndex;
use super::{Claimant, Conflict, ConflictAbout, Document, Evidence, FORMAT_VERSION, Project};

/// One thing wrong with a project, located by document and annotation id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Document id, when the problem is inside one.
    pub document: Option<String>,
    /// Annotation (or canonical entity) id, when the problem is about one.
    pub item: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match (&self.document, &self.item) {
            (Some(doc), Some(item)) => format!("document {doc:?}, {item:?}: {}", self.message),
            (Some(doc), None) => format!("document {doc:?}: {}", self.message),
            (None, Some(item)) => format!("{item:?}: {}", self.message),
            (None, None) => self.message.clone(),
        };
        // Ids and quoted spans come from the file: a long one must not make
        // a message of thousands of characters.
        f.write_str(&crate::diagnostics::clip_quotes(&text))
    }
}

struct Collector {
    problems: Vec<Problem>,
    document: Option<String>,
}

impl Collector {
    fn report(&mut self, item: Option<&str>, message: String) {
        self.problems.push(Problem {
            document: self.document.clone(),
            item: item.map(str::to_owned),
            message,
        });
    }
}

/// Every problem in `project`; empty when it is valid.
pub fn validate(project: &Project) -> Vec<Problem> {
    let mut out = Collector {
        problems: Vec::new(),
        document: None,
    };
    if project.version != FORMAT_VERSION {
        out.report(
            None,
            format!("version {} is not {FORMAT_VERSION}", project.version),
        );
    }
    let mut keys = HashSet::new();
    for t in &project.schema.entity_types {
        if t.key.trim().is_empty() {
            out.report(None, "an entity type has an empty key".to_owned());
        }
        if !keys.insert(t.key.as_str()) {
            out.report(None, format!("entity type {:?} is defined twice", t.key));
        }
    }
    let mut hotkeys = HashSet::new();
    for t in &project.schema.entity_types {
        if let Some(key) = t.hotkey
            && !hotkeys.insert(key)
        {
            out.report(
                None,
                format!("hotkey {key:?} is bound to more than one entity type"),
            );
        }
    }
    let mut relation_keys = HashSet::new();
    for t in &project.schema.relation_types {
        if !relation_keys.insert(t.key.as_str()) {
            out.report(None, format!("relation type {:?} is defined twice", t.key));
        }
    }
    let mut canonical_ids = HashSet::new();
    for c in &project.canonical_entities {
        if !canonical_ids.insert(c.id.as_str()) {
            out.report(Some(&c.id), "canonical entity id is used twice".to_owned());
        }
        if project.schema.entity_type(&c.label).is_none() {
            out.report(Some(&c.id), format!("unknown entity type {:?}", c.label));
        }
    }
    validate_project_conflicts(project, &mut out);
    let mut documents = HashMap::with_capacity(project.documents.len());
    let repeated: Vec<bool> = project
        .documents
        .iter()
        .map(|doc| {
            let seen = documents.contains_key(doc.id.as_str());
            if !seen {
                documents.insert(doc.id.as_str(), &**doc);
            }
            seen
        })
        .collect();
    let lookup = Lookup {
        canonical_ids,
        entity_types: keys,
        relation_types: relation_keys,
        documents,
    };
    let check = |doc: &Document, repeated: bool| {
        let mut out = Collector {
            problems: Vec::new(),
            document: Some(doc.id.clone()),
        };
        if repeated {
            out.report(None, "document id is used twice".to_owned());
        }
        validate_document(doc, &lookup, &mut out);
        out.problems
    };
    out.problems
        .extend(check_documents(&project.documents, &repeated, &check));
    out.problems
}

/// Project-wide lookups, built once and shared by the checks of every
/// document (on several threads), so that each annotation's checks take
/// constant time.
struct Lookup<'p> {
    canonical_ids: HashSet<&'p str>,
    entity_types: HashSet<&'p str>,
    relation_types: HashSet<&'p str>,
    /// The first document with each id, as [`Project::document`] finds it.
    documents: HashMap<&'p str, &'p Document>,
}

/// Below this much text, checking on one thread is as fast as starting
/// others.
const PARALLEL_TEXT_BYTES: usize = 1 << 20;

/// Runs `check` on every document (`repeated` says whether its id was used
/// by an earlier one) and returns the problems in document order: on
/// several threads for a large project, each taking a contiguous run of
/// documents, so the result is the same as checking them one by one.
fn check_documents<F>(
    documents: &[std::sync::Arc<Document>],
    repeated: &[bool],
    check: &F,
) -> Vec<Problem>
where
    F: Fn(&Document, bool) -> Vec<Problem> + Sync,
{
    let run = |documents: &[std::sync::Arc<Document>], repeated: &[bool]| -> Vec<Problem> {
        documents
            .iter()
            .zip(repeated)
            .flat_map(|(doc, repeated)| check(doc, *repeated))
            .collect()
    };
    let text: usize = documents.iter().map(|d| d.text.len()).sum();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 || documents.len() < 2 || text < PARALLEL_TEXT_BYTES {
        return run(documents, repeated);
    }
    let per_thread = documents.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = documents
            .chunks(per_thread)
            .zip(repeated.chunks(per_thread))
            .map(|(documents, repeated)| scope.spawn(move || run(documents, repeated)))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(problems) => problems,
                // A check panicked: a bug; let it surface as it would have
                // on one thread.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// Kinds of annotation an id is used by, as bits.
const ENTITY: u8 = 1;
const CLAIM: u8 = 2;
const RELATION: u8 = 4;

/// Records that an annotation of `kind` uses `id`, reporting a second use.
fn add_id<'d>(ids: &mut HashMap<&'d str, u8>, out: &mut Collector, id: &'d str, kind: u8) {
    let kinds = ids.entry(id).or_insert(0);
    if *kinds != 0 {
        out.report(Some(id), "annotation id is used twice".to_owned());
    }
    *kinds |= kind;
}

/// Whether an annotation of one of `kinds` uses `id`.
fn is(ids: &HashMap<&str, u8>, id: &str, kinds: u8) -> bool {
    ids.get(id).is_some_and(|k| k & kinds != 0)
}

fn validate_document(doc: &Document, lookup: &Lookup, out: &mut Collector) {
    let index = CharIndex::new(&doc.text);
    let check_span =
        |out: &mut Collector, id: &str, what: &str, start: usize, end: usize, quote: &str| {
            if start >= end {
                out.report(
                    Some(id),
                    format!("{what} {start}..{end} is empty or reversed"),
                );
            } else if end > index.char_len() {
                out.report(
                    Some(id),
                    format!(
                        "{what} {start}..{end} is out of range (the text has {} characters)",
                        index.char_len()
                    ),
                );
            } else if let Some(actual) = index.slice(&doc.text, start, end)
                && actual != quote
            {
                out.report(
                    Some(id),
                    format!("{what} quotes {quote:?} but the text at {start}..{end} is {actual:?}"),
                );
            }
        };
    // Every annotation id with the kinds that use it (one lookup each, so
    // claimants and relation ends resolve in constant time).
    let mut ids: HashMap<&str, u8> = HashMap::with_capacity(doc.annotation_count());
    for e in &doc.entities {
        add_id(&mut ids, out, &e.id, ENTITY);
        check_span(out, &e.id, "span", e.start, e.end, &e.text);
        if !lookup.entity_types.contains(e.label.as_str()) {
            out.report(Some(&e.id), format!("unknown entity type {:?}", e.label));
        }
        if let Some(c) = &e.canonical
            && !lookup.canonical_ids.contains(c.as_str())
        {
            out.report(Some(&e.id), format!("unknown canonical entity {c:?}"));
        }
    }
    for c in &doc.claims {
        add_id(&mut ids, out, &c.id, CLAIM);
        check_span(out, &c.id, "span", c.start, c.end, &c.text);
        if let Some(cue) = &c.cue {
            check_span(out, &c.id, "cue", cue.start, cue.end, &cue.text);
        }
        if let Some(Claimant::Entity(id)) = &c.claimant
            && !is(&ids, id, ENTITY)
        {
            out.report(
                Some(&c.id),
                format!("claimant {id:?} is not an entity of this document"),
            );
        }
        for evidence in &c.evidence {
            if let Evidence::Span {
                doc: target,
                start,
                end,
                text,
            } = evidence
            {
                match lookup.documents.get(target.as_str()) {
                    None => out.report(
                        Some(&c.id),
                        format!("evidence names unknown document {target:?}"),
                    ),
                    Some(other) => match super::span::char_slice(&other.text, *start, *end) {
                        Some(actual) if actual == text && start < end => {}
                        _ => out.report(
                            Some(&c.id),
                            format!(
                                "evidence {start}..{end} in {target:?} does not quote {text:?}"
                            ),
                        ),
                    },
                }
            }
        }
    }
    for r in &doc.relations {
        add_id(&mut ids, out, &r.id, RELATION);
        if !lookup.relation_types.contains(r.label.as_str()) {
            out.report(Some(&r.id), format!("unknown relation type {:?}", r.label));
        }
        for end in [&r.from, &r.to] {
            if !is(&ids, end, ENTITY | CLAIM) {
                out.report(
                    Some(&r.id),
                    format!("relation end {end:?} is not an entity or claim of this document"),
                );
            }
        }
    }
    validate_document_conflicts(doc, out);
    if super::content_hash(&doc.text) != doc.content_hash {
        out.report(None, "content_hash does not match the text".to_owned());
    }
}

/// Checks ids and versions common to every conflict list.
fn check_conflict_list<'c>(conflicts: &'c [Conflict], out: &mut Collector) -> Vec<&'c Conflict> {
    let mut ids = HashSet::new();
    let mut checked = Vec::with_capacity(conflicts.len());
    for c in conflicts {
        if !ids.insert(c.id.as_str()) {
            out.report(Some(&c.id), "conflict id is used twice".to_owned());
        }
        if c.versions.is_empty() {
            out.report(Some(&c.id), "conflict has no versions".to_owned());
        }
        checked.push(c);
    }
    checked
}

/// A project's conflicts are about the project, its schema and canonical
/// entities, and name ones that exist.
fn validate_project_conflicts(project: &Project, out: &mut Collector) {
    for c in check_conflict_list(&project.conflicts, out) {
        let missing = match &c.about {
            ConflictAbout::Annotations | ConflictAbout::Document => {
                out.report(
                    Some(&c.id),
                    "a conflict about a document belongs in that document's conflicts".to_owned(),
                );
                None
            }
            ConflictAbout::Project => None,
            ConflictAbout::EntityType(key) => project
                .schema
                .entity_type(key)
                .is_none()
                .then(|| format!("conflict names unknown entity type {key:?}")),
            ConflictAbout::RelationType(key) => project
                .schema
                .relation_type(key)
                .is_none()
                .then(|| format!("conflict names unknown relation type {key:?}")),
            ConflictAbout::CanonicalEntity(id) => project
                .canonical(id)
                .is_none()
                .then(|| format!("conflict names unknown canonical entity {id:?}")),
        };
        if let Some(message) = missing {
            out.report(Some(&c.id), message);
        }
    }
}

/// A document's conflicts are about the document or its annotations, and
/// every annotation they name exists.
fn validate_document_conflicts(doc: &Document, out: &mut Collector) {
    for c in check_conflict_list(&doc.conflicts, out) {
        if !c.about.is_in_document() {
            out.report(
                Some(&c.id),
                "a conflict about the project belongs in the project's conflicts".to_owned(),
            );
        }
        for id in c.annotation_ids() {
            if c.about != ConflictAbout::Annotations {
                out.report(
                    Some(&c.id),
                    format!("conflict names annotation {id:?} but is not about annotations"),
                );
            } else if !doc.has_span_annotation(id) && doc.relation(id).is_none() {
                out.report(
                    Some(&c.id),
                    format!("conflict names {id:?}, which is not an annotation of this document"),
                );
            }
        }
    }
}
