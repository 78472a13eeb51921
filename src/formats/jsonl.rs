//! Gloss's own JSONL: one object per document with every field, offsets in
//! code points. Lossless: `import` reads back what `export` writes.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::{ExportOptions, Exported, Fields, FormatError, Imported, Tally};
use crate::model::span::CharIndex;
use crate::model::{
    Attribution, CanonicalEntity, CheckWorthiness, Claim, ClaimType, Claimant, Cue, Document,
    Entity, Evidence, Project, Relation, Review, Stance, Verdict,
};

/// One document as a line of Gloss JSONL, borrowing from the project: it
/// serializes straight to bytes, with no `serde_json::Value` tree in between
/// (that tree cost three times the whole save of a project). Field order is
/// the line's key order.
#[derive(Serialize)]
struct DocumentLine<'a> {
    id: &'a str,
    // The metadata, in the order of `super::METADATA_KEYS`.
    title: &'a str,
    source: Option<&'a str>,
    date: Option<&'a str>,
    byline: Option<&'a str>,
    site_name: Option<&'a str>,
    language: Option<&'a str>,
    direction: Option<&'a str>,
    status: &'static str,
    text: &'a str,
    entities: Vec<EntityLine<'a>>,
    claims: Vec<ClaimLine<'a>>,
    relations: Vec<RelationLine<'a>>,
}

#[derive(Serialize)]
struct EntityLine<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    canonical: Option<CanonicalLine<'a>>,
    note: Option<&'a str>,
    annotator: Option<&'a str>,
    modified: Option<&'a str>,
    review: &'static str,
    review_comment: Option<&'a str>,
    reviewer: Option<&'a str>,
}

/// A mention's canonical entity, carried on the mention.
#[derive(Serialize)]
struct CanonicalLine<'a> {
    id: &'a str,
    name: Option<&'a str>,
    label: Option<&'a str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct ClaimLine<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    claimant: Option<ClaimantLine<'a>>,
    cue: Option<CueLine<'a>>,
    attribution: &'static str,
    checkworthiness: Option<&'static str>,
    claim_type: Option<&'static str>,
    stance: Option<&'static str>,
    verdict: Option<&'static str>,
    rating: Option<&'a str>,
    evidence: Vec<EvidenceLine<'a>>,
    summary: Option<&'a str>,
    note: Option<&'a str>,
    annotator: Option<&'a str>,
    modified: Option<&'a str>,
    review: &'static str,
    review_comment: Option<&'a str>,
    reviewer: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ClaimantLine<'a> {
    Entity {
        entity: &'a str,
        text: Option<&'a str>,
    },
    Text {
        text: &'a str,
    },
}

#[derive(Serialize)]
struct CueLine<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum EvidenceLine<'a> {
    Span {
        doc: &'a str,
        start: usize,
        end: usize,
        text: &'a str,
    },
    Url {
        url: &'a str,
    },
}

#[derive(Serialize)]
struct RelationLine<'a> {
    id: &'a str,
    label: &'a str,
    from: &'a str,
    to: &'a str,
    annotator: Option<&'a str>,
    modified: Option<&'a str>,
}

fn document_line<'a>(project: &'a Project, doc: &'a Document) -> DocumentLine<'a> {
    let entities = doc
        .entities
        .iter()
        .map(|e| EntityLine {
            id: &e.id,
            start: e.start,
            end: e.end,
            label: &e.label,
            text: &e.text,
            canonical: e.canonical.as_deref().map(|id| {
                let canonical = project.canonical(id);
                CanonicalLine {
                    id,
                    name: canonical.map(|c| c.name.as_str()),
                    label: canonical.map(|c| c.label.as_str()),
                    note: canonical.and_then(|c| c.note.as_deref()),
                }
            }),
            note: e.note.as_deref(),
            annotator: e.annotator.as_deref(),
            modified: e.modified.as_deref(),
            review: review_name(e.review),
            review_comment: e.review_comment.as_deref(),
            reviewer: e.reviewer.as_deref(),
        })
        .collect();
    let claims = doc.claims.iter().map(|c| claim_line(doc, c)).collect();
    let relations = doc
        .relations
        .iter()
        .map(|r| RelationLine {
            id: &r.id,
            label: &r.label,
            from: &r.from,
            to: &r.to,
            annotator: r.annotator.as_deref(),
            modified: r.modified.as_deref(),
        })
        .collect();
    DocumentLine {
        id: &doc.id,
        title: &doc.title,
        source: doc.source.as_deref(),
        date: doc.date.as_deref(),
        byline: doc.byline.as_deref(),
        site_name: doc.site_name.as_deref(),
        language: doc.language.as_deref(),
        direction: doc.direction.as_deref(),
        status: doc.status.name(),
        text: &doc.text,
        entities,
        claims,
        relations,
    }
}

fn claim_line<'a>(doc: &'a Document, c: &'a Claim) -> ClaimLine<'a> {
    let claimant = c.claimant.as_ref().map(|claimant| match claimant {
        Claimant::Entity(id) => ClaimantLine::Entity {
            entity: id,
            text: doc.entity(id).map(|e| e.text.as_str()),
        },
        Claimant::Text(text) => ClaimantLine::Text { text },
    });
    let evidence = c
        .evidence
        .iter()
        .map(|e| match e {
            Evidence::Span {
                doc,
                start,
                end,
                text,
            } => EvidenceLine::Span {
                doc,
                start: *start,
                end: *end,
                text,
            },
            Evidence::Url(url) => EvidenceLine::Url { url },
        })
        .collect();
    ClaimLine {
        id: &c.id,
        start: c.start,
        end: c.end,
        text: &c.text,
        claimant,
        cue: c.cue.as_ref().map(|cue| CueLine {
            start: cue.start,
            end: cue.end,
            text: &cue.text,
        }),
        attribution: c.attribution.name(),
        checkworthiness: c.checkworthiness.map(|v| v.name()),
        claim_type: c.claim_type.map(|v| v.name()),
        stance: c.stance.map(|v| v.name()),
        verdict: c.verdict.map(|v| v.name()),
        rating: c.rating.as_deref(),
        evidence,
        summary: c.summary.as_deref(),
        note: c.note.as_deref(),
        annotator: c.annotator.as_deref(),
        modified: c.modified.as_deref(),
        review: review_name(c.review),
        review_comment: c.review_comment.as_deref(),
        reviewer: c.reviewer.as_deref(),
    }
}

fn review_name(review: crate::model::Review) -> &'static str {
    match review {
        crate::model::Review::Unreviewed => "Unreviewed",
        crate::model::Review::Accepted => "Accepted",
        crate::model::Review::Rejected => "Rejected",
        crate::model::Review::Discuss => "Discuss",
    }
}

/// Exports the selected documents, one JSON object per line.
pub fn export(project: &Project, options: &ExportOptions) -> Result<Exported, FormatError> {
    let mut out = Vec::new();
    let mut mentioned = HashSet::new();
    for doc in options.select(project) {
        serde_json::to_writer(&mut out, &document_line(project, doc))
            .map_err(|e| FormatError(format!("{}: {e}", doc.id)))?;
        out.push(b'\n');
        mentioned.extend(doc.entities.iter().filter_map(|e| e.canonical.as_deref()));
    }
    // A canonical entity travels inside its mentions: one with none in the
    // export has no place in it.
    let mut tally = Tally::default();
    for c in &project.canonical_entities {
        if !mentioned.contains(c.id.as_str()) {
            tally.add(
                "canonical entity(ies) without an exported mention left out",
                c.id.clone(),
            );
        }
    }
    Ok(Exported {
        files: vec![(Default::default(), out)],
        warnings: tally.warnings("jsonl: "),
    })
}

/// A line's keys besides [`super::METADATA_KEYS`].
const DOCUMENT_KEYS: &[&str] = &[
    "id",
    "text",
    "entities",
    "claims",
    "relations",
    "content_hash",
];
const ENTITY_KEYS: &[&str] = &[
    "id",
    "start",
    "end",
    "label",
    "text",
    "canonical",
    "note",
    "annotator",
    "modified",
    "review",
    "review_comment",
    "reviewer",
];
const CLAIM_KEYS: &[&str] = &[
    "id",
    "start",
    "end",
    "text",
    "claimant",
    "cue",
    "attribution",
    "checkworthiness",
    "claim_type",
    "stance",
    "verdict",
    "rating",
    "evidence",
    "summary",
    "note",
    "annotator",
    "modified",
    "review",
    "review_comment",
    "reviewer",
];
const RELATION_KEYS: &[&str] = &["id", "label", "from", "to", "annotator", "modified"];

/// Reads Gloss JSONL files back into a project: documents with every field,
/// canonical entities rebuilt from the mentions' `{id, name}`, and the
/// schema's defaults plus any type the files use. Ids are kept; a document id
/// seen twice gets a suffix (reported).
pub fn import(sources: &[&Path]) -> Result<Imported, FormatError> {
    let mut project = Project::new("");
    let mut tally = Tally::default();
    let mut doc_ids = HashSet::new();
    let mut canonical: HashMap<String, usize> = HashMap::new();
    for path in sources {
        let content = super::read_text(path)?;
        for (n, line) in content.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(line).map_err(|e| {
                let at = crate::diagnostics::json_error_in_line(&e, line);
                super::error_at(path, n + 1, format!("not JSON at {at}"))
            })?;
            let mut doc = read_document(
                &value,
                path,
                n + 1,
                &mut project,
                &mut canonical,
                &mut tally,
            )?;
            let id = super::unique_id(&mut doc_ids, &doc.id);
            if id != doc.id {
                tally.add(
                    "duplicate document id(s) renamed",
                    format!("{}:{} {} → {id}", path.display(), n + 1, doc.id),
                );
                doc.id = id;
            }
            project.documents.push(doc.into());
        }
    }
    check_evidence(&mut project, &mut tally);
    super::complete_schema(&mut project);
    Ok(Imported {
        project,
        warnings: tally.warnings("jsonl: "),
    })
}

/// Drops evidence spans that point to a document outside the import or do
/// not quote its text (reported), so that the imported project is valid.
fn check_evidence(project: &mut Project, tally: &mut Tally) {
    let texts: HashMap<String, String> = project
        .documents
        .iter()
        .map(|d| (d.id.clone(), d.text.clone()))
        .collect();
    for doc in &mut project.documents {
        let doc = std::sync::Arc::make_mut(doc);
        for claim in &mut doc.claims {
            let place = format!("{} {}", doc.id, claim.id);
            claim.evidence.retain(|e| match e {
                Evidence::Url(_) => true,
                Evidence::Span { doc: target, start, end, text } => {
                    let ok = texts
                        .get(target)
                        .and_then(|t| crate::model::span::char_slice(t, *start, *end))
                        .is_some_and(|actual| actual == text && start < end);
                    if !ok {
                        tally.add("evidence span(s) left out: their document is not in the import or the text differs", place.clone());
                    }
                    ok
                }
            });
        }
    }
}

fn read_document(
    value: &Value,
    path: &Path,
    line: usize,
    project: &mut Project,
    canonical: &mut HashMap<String, usize>,
    tally: &mut Tally,
) -> Result<Document, FormatError> {
    let fields = Fields::new(value, path, line, "document")?;
    let known: Vec<&str> = DOCUMENT_KEYS
        .iter()
        .chain(super::METADATA_KEYS)
        .copied()
        .collect();
    for key in fields.unknown_keys(&known) {
        tally.add(
            "unknown field(s) left out",
            format!("{} {key:?}", fields.place()),
        );
    }
    let id = fields.required_string("id")?;
    let text = fields.required_string("text")?;
    let mut doc = Document::new(id.clone(), id, text);
    super::read_metadata(&fields, &mut doc, None)?;
    let index = CharIndex::new(&doc.text);
    let mut ids = HashSet::new();
    for (i, value) in fields.array("entities")?.iter().enumerate() {
        let entity = read_entity(
            value,
            path,
            line,
            i + 1,
            &doc,
            &index,
            project,
            canonical,
            tally,
        )?;
        if !ids.insert(entity.id.clone()) {
            return Err(super::error_at(
                path,
                line,
                format!("annotation id {:?} is used twice", entity.id),
            ));
        }
        doc.entities.push(entity);
    }
    for (i, value) in fields.array("claims")?.iter().enumerate() {
        let claim = read_claim(value, path, line, i + 1, &doc, &index, tally)?;
        if !ids.insert(claim.id.clone()) {
            return Err(super::error_at(
                path,
                line,
                format!("annotation id {:?} is used twice", claim.id),
            ));
        }
        doc.claims.push(claim);
    }
    for (i, value) in fields.array("relations")?.iter().enumerate() {
        let f = Fields::new(value, path, line, format!("relation {}", i + 1))?;
        for key in f.unknown_keys(RELATION_KEYS) {
            tally.add(
                "unknown field(s) left out",
                format!("{} {key:?}", f.place()),
            );
        }
        let mut relation = Relation::new(
            f.required_string("id")?,
            f.required_string("label")?,
            f.required_string("from")?,
            f.required_string("to")?,
        );
        relation.annotator = f.string("annotator")?.map(Into::into);
        relation.modified = f.string("modified")?.map(Into::into);
        if !doc.has_span_annotation(&relation.from) || !doc.has_span_annotation(&relation.to) {
            tally.add(
                "relation(s) left out: an end is not an entity or claim of the document",
                format!("{} {}", doc.id, relation.id),
            );
            continue;
        }
        if !ids.insert(relation.id.clone()) {
            return Err(super::error_at(
                path,
                line,
                format!("annotation id {:?} is used twice", relation.id),
            ));
        }
        doc.relations.push(relation);
    }
    Ok(doc)
}

/// Checks that `start..end` quotes `quote` (when given) and returns the quoted text.
fn quoted(
    f: &Fields<'_>,
    doc: &Document,
    index: &CharIndex,
    start: usize,
    end: usize,
    quote: Option<String>,
) -> Result<String, FormatError> {
    let actual = super::span_text(index, &doc.text, start, end).map_err(|e| f.error(e))?;
    match quote {
        Some(quote) if quote != actual => Err(f.error(format!(
            "quotes {quote:?} but the text at {start}..{end} is {actual:?}"
        ))),
        _ => Ok(actual),
    }
}

fn read_review(f: &Fields<'_>) -> Result<Review, FormatError> {
    match f.string("review")?.as_deref() {
        None | Some("Unreviewed") => Ok(Review::Unreviewed),
        Some("Accepted") => Ok(Review::Accepted),
        Some("Rejected") => Ok(Review::Rejected),
        Some("Discuss") => Ok(Review::Discuss),
        Some(other) => Err(f.error(format!("unknown review state {other:?}"))),
    }
}

#[allow(clippy::too_many_arguments)]
fn read_entity(
    value: &Value,
    path: &Path,
    line: usize,
    n: usize,
    doc: &Document,
    index: &CharIndex,
    project: &mut Project,
    canonical: &mut HashMap<String, usize>,
    tally: &mut Tally,
) -> Result<Entity, FormatError> {
    let f = Fields::new(value, path, line, format!("entity {n}"))?;
    for key in f.unknown_keys(ENTITY_KEYS) {
        tally.add(
            "unknown field(s) left out",
            format!("{} {key:?}", f.place()),
        );
    }
    let (start, end) = (f.required_offset("start")?, f.required_offset("end")?);
    let text = quoted(&f, doc, index, start, end, f.string("text")?)?;
    let mut entity = Entity::new(
        f.required_string("id")?,
        f.required_label("label")?,
        start,
        end,
        text,
    );
    entity.note = f.string("note")?.map(Into::into);
    entity.annotator = f.string("annotator")?.map(Into::into);
    entity.modified = f.string("modified")?.map(Into::into);
    entity.review = read_review(&f)?;
    entity.review_comment = f.string("review_comment")?.map(Into::into);
    entity.reviewer = f.string("reviewer")?.map(Into::into);
    if let Some(value) = f.get("canonical") {
        let c = Fields::new(value, path, line, format!("entity {n} canonical"))?;
        let id = c.required_string("id")?;
        if !canonical.contains_key(&id) {
            let name = c.string("name")?.unwrap_or_else(|| entity.text.to_string());
            canonical.insert(id.clone(), project.canonical_entities.len());
            project.canonical_entities.push(CanonicalEntity {
                id: id.clone(),
                name,
                // The export writes `{id, name}`; `label` and `note` are read
                // when present, else the first mention's type stands in.
                label: c
                    .string("label")?
                    .unwrap_or_else(|| entity.label.to_string()),
                note: c.string("note")?,
            });
        }
        entity.canonical = Some(id.into());
    }
    Ok(entity)
}

fn parse_value<T>(
    f: &Fields<'_>,
    key: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, FormatError> {
    match f.string(key)? {
        None => Ok(None),
        Some(name) => parse(&name)
            .map(Some)
            .ok_or_else(|| f.error(format!("unknown {key} {name:?}"))),
    }
}

fn read_claim(
    value: &Value,
    path: &Path,
    line: usize,
    n: usize,
    doc: &Document,
    index: &CharIndex,
    tally: &mut Tally,
) -> Result<Claim, FormatError> {
    let f = Fields::new(value, path, line, format!("claim {n}"))?;
    for key in f.unknown_keys(CLAIM_KEYS) {
        tally.add(
            "unknown field(s) left out",
            format!("{} {key:?}", f.place()),
        );
    }
    let (start, end) = (f.required_offset("start")?, f.required_offset("end")?);
    let text = quoted(&f, doc, index, start, end, f.string("text")?)?;
    let mut claim = Claim::new(f.required_string("id")?, start, end, text);
    if let Some(value) = f.get("claimant") {
        let c = Fields::new(value, path, line, format!("claim {n} claimant"))?;
        claim.claimant = match (c.string("entity")?, c.string("text")?) {
            (Some(id), _) if doc.entity(&id).is_some() => Some(Claimant::Entity(id.into())),
            (Some(id), text) => {
                tally.add(
                    "claimant(s) that name a missing entity kept as free text",
                    format!("{} {} {id}", doc.id, claim.id),
                );
                Some(Claimant::Text(text.unwrap_or(id).into()))
            }
            (None, Some(text)) => Some(Claimant::Text(text.into())),
            (None, None) => return Err(c.error("needs \"entity\" or \"text\"")),
        };
    }
    if let Some(value) = f.get("cue") {
        let c = Fields::new(value, path, line, format!("claim {n} cue"))?;
        let (start, end) = (c.required_offset("start")?, c.required_offset("end")?);
        let text = quoted(&c, doc, index, start, end, c.string("text")?)?;
        claim.cue = Some(Cue {
            start,
            end,
            text: text.into(),
        });
    }
    if let Some(a) = parse_value(&f, "attribution", Attribution::parse)? {
        claim.attribution = a;
    }
    claim.checkworthiness = parse_value(&f, "checkworthiness", CheckWorthiness::parse)?;
    claim.claim_type = parse_value(&f, "claim_type", ClaimType::parse)?;
    claim.stance = parse_value(&f, "stance", Stance::parse)?;
    claim.verdict = parse_value(&f, "verdict", Verdict::parse)?;
    claim.rating = f.string("rating")?.map(Into::into);
    claim.summary = f.string("summary")?.map(Into::into);
    claim.note = f.string("note")?.map(Into::into);
    claim.annotator = f.string("annotator")?.map(Into::into);
    claim.modified = f.string("modified")?.map(Into::into);
    claim.review = read_review(&f)?;
    claim.review_comment = f.string("review_comment")?.map(Into::into);
    claim.reviewer = f.string("reviewer")?.map(Into::into);
    for (i, value) in f.array("evidence")?.iter().enumerate() {
        let e = Fields::new(value, path, line, format!("claim {n} evidence {}", i + 1))?;
        claim.evidence.push(match e.string("url")? {
            Some(url) => Evidence::Url(url),
            None => Evidence::Span {
                doc: e.required_string("doc")?,
                start: e.required_offset("start")?,
                end: e.required_offset("end")?,
                text: e.required_string("text")?,
            },
        });
    }
    Ok(claim)
}
