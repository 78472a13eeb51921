//! Checks that a project is consistent: spans in range and quoting their text,
//! unique ids, references that resolve, types that exist.

use std::collections::HashSet;
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
        match (&self.document, &self.item) {
            (Some(doc), Some(item)) => write!(f, "document {doc:?}, {item:?}: {}", self.message),
            (Some(doc), None) => write!(f, "document {doc:?}: {}", self.message),
            (None, Some(item)) => write!(f, "{item:?}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
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
    let mut doc_ids = HashSet::new();
    for doc in &project.documents {
        out.document = Some(doc.id.clone());
        if !doc_ids.insert(doc.id.as_str()) {
            out.report(None, "document id is used twice".to_owned());
        }
        validate_document(project, doc, &canonical_ids, &mut out);
    }
    out.problems
}

fn validate_document(
    project: &Project,
    doc: &Document,
    canonical_ids: &HashSet<&str>,
    out: &mut Collector,
) {
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
    let mut ids = HashSet::new();
    for e in &doc.entities {
        if !ids.insert(e.id.as_str()) {
            out.report(Some(&e.id), "annotation id is used twice".to_owned());
        }
        check_span(out, &e.id, "span", e.start, e.end, &e.text);
        if project.schema.entity_type(&e.label).is_none() {
            out.report(Some(&e.id), format!("unknown entity type {:?}", e.label));
        }
        if let Some(c) = &e.canonical
            && !canonical_ids.contains(c.as_str())
        {
            out.report(Some(&e.id), format!("unknown canonical entity {c:?}"));
        }
    }
    for c in &doc.claims {
        if !ids.insert(c.id.as_str()) {
            out.report(Some(&c.id), "annotation id is used twice".to_owned());
        }
        check_span(out, &c.id, "span", c.start, c.end, &c.text);
        if let Some(cue) = &c.cue {
            check_span(out, &c.id, "cue", cue.start, cue.end, &cue.text);
        }
        if let Some(Claimant::Entity(id)) = &c.claimant
            && doc.entity(id).is_none()
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
                match project.document(target) {
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
        if !ids.insert(r.id.as_str()) {
            out.report(Some(&r.id), "annotation id is used twice".to_owned());
        }
        if project.schema.relation_type(&r.label).is_none() {
            out.report(Some(&r.id), format!("unknown relation type {:?}", r.label));
        }
        for end in [&r.from, &r.to] {
            if !doc.has_span_annotation(end) {
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
