//! Operations that decide what a change is, as pure functions over the
//! project: the app and the CLI ask them for a value (a claim, an edit) and
//! apply it through the edit layer. No egui here.

use super::Edit;
use crate::model::{
    AnnotationKind, Attribution, CanonicalEntity, Claim, Claimant, CompactString, Document, Entity,
    Project, Relation, Schema, span,
};

mod annotate_all;
mod claims;

pub use annotate_all::*;
pub use claims::*;

/// Records provenance on every entity, claim and relation that `edit`
/// inserts or replaces: `modified` (RFC 3339) always, and `annotator` when
/// given (a review passes none: it changes an annotation's state, not who
/// made it). The app stamps each edit it applies here and nowhere else;
/// undo and redo apply the inverse edits unstamped, so they restore the
/// old values.
pub fn stamp(edit: &mut Edit, annotator: Option<&str>, modified: &str) {
    let mark = |who: &mut Option<CompactString>, when: &mut Option<CompactString>| {
        if let Some(name) = annotator {
            *who = Some(name.into());
        }
        *when = Some(modified.into());
    };
    match edit {
        Edit::InsertEntity { entity, .. } | Edit::ReplaceEntity { entity, .. } => {
            mark(&mut entity.annotator, &mut entity.modified);
        }
        Edit::InsertClaim { claim, .. } | Edit::ReplaceClaim { claim, .. } => {
            mark(&mut claim.annotator, &mut claim.modified);
        }
        Edit::InsertRelation { relation, .. } => {
            mark(&mut relation.annotator, &mut relation.modified);
        }
        Edit::Batch { edits, .. } => {
            for edit in edits {
                stamp(edit, annotator, modified);
            }
        }
        _ => {}
    }
}

/// Records who reviewed: every entity and claim a review `edit` replaces
/// gets `reviewer` (none once its state is back to unreviewed) and
/// `modified`; `annotator` stays (who made it). Anything else the edit
/// inserts or replaces is stamped as by [`stamp`] with no annotator. The
/// app stamps review mode's states and adjudication here.
pub fn stamp_review(edit: &mut Edit, reviewer: Option<&str>, modified: &str) {
    let who = |review: crate::model::Review| {
        reviewer
            .filter(|_| review != crate::model::Review::Unreviewed)
            .map(crate::model::RareText::from)
    };
    match edit {
        Edit::ReplaceEntity { entity, .. } => {
            entity.reviewer = who(entity.review);
            entity.modified = Some(modified.into());
        }
        Edit::ReplaceClaim { claim, .. } => {
            claim.reviewer = who(claim.review);
            claim.modified = Some(modified.into());
        }
        Edit::Batch { edits, .. } => {
            for edit in edits {
                stamp_review(edit, reviewer, modified);
            }
        }
        other => stamp(other, None, modified),
    }
}

/// Why an operation cannot be made into an edit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpError {
    /// The schema has no relation types to link with.
    #[error("the schema has no relation types; add one in Edit → Schema")]
    NoRelationTypes,
    /// An annotation cannot be linked to itself.
    #[error("an annotation cannot be linked to itself")]
    SelfLink,
    /// No entity or claim with this id in the document.
    #[error("no entity or claim {0:?} in this document")]
    NoAnnotation(String),
    /// No document with this id in the project.
    #[error("no document {0:?} in this project")]
    NoDocument(String),
    /// A boundary cannot move that way: the span would be empty or leave
    /// the text, or it would not change.
    #[error("the annotation cannot move further that way")]
    NoRoom,
    /// Relations have no span to move.
    #[error("a relation has no boundaries to move")]
    NoBoundaries,
    /// The entity already has a canonical entity.
    #[error("{0:?} is already linked to a canonical entity")]
    AlreadyCanonical(String),
}

/// A relation of type `label` (the schema's first relation type when
/// `None`) from one entity or claim of `doc` to another.
pub fn new_relation(
    doc: &Document,
    schema: &Schema,
    from: &str,
    to: &str,
    label: Option<&str>,
) -> Result<Edit, OpError> {
    if from == to {
        return Err(OpError::SelfLink);
    }
    let exists = |id: &str| doc.entity(id).is_some() || doc.claims.iter().any(|c| c.id == id);
    for id in [from, to] {
        if !exists(id) {
            return Err(OpError::NoAnnotation(id.to_owned()));
        }
    }
    let label = match label {
        Some(label) => label.to_owned(),
        None => schema
            .relation_types
            .first()
            .map(|t| t.key.clone())
            .ok_or(OpError::NoRelationTypes)?,
    };
    Ok(Edit::InsertRelation {
        doc: doc.id.clone(),
        index: doc.relations.len(),
        relation: Relation::new(doc.next_id("r"), label, from.to_owned(), to.to_owned()),
    })
}

/// Quotation marks of many languages: (opening, closing). A mark that can
/// both open and close (`"`, `“` in German after `„`) is resolved by what
/// is open at the time.
const QUOTE_PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('‘', '’'),
    ('„', '“'),
    ('‚', '‘'),
    ('«', '»'),
    ('‹', '›'),
    ('「', '」'),
    ('『', '』'),
    ('〝', '〞'),
    ('"', '"'),
];

/// What tagging a span as an entity comes to.
// A short-lived return value, matched at once: boxing the edit would buy
// nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Tagging {
    /// An entity of that type over exactly that span exists: nothing to do.
    Exists { id: String },
    /// Insert this entity (id `id`), in span order.
    Insert { id: String, edit: Edit },
}

/// Tags `start..end` of `doc` (its text `text`) as `label`.
pub fn tag_span(
    doc: &Document,
    start: usize,
    end: usize,
    text: impl Into<CompactString>,
    label: &str,
) -> Tagging {
    if let Some(existing) = doc
        .entities
        .iter()
        .find(|e| e.start == start && e.end == end && e.label == label)
    {
        return Tagging::Exists {
            id: existing.id.to_string(),
        };
    }
    let id = doc.next_id("e");
    let index = doc
        .entities
        .partition_point(|e| (e.start, e.end) <= (start, end));
    Tagging::Insert {
        id: id.clone(),
        edit: Edit::InsertEntity {
            doc: doc.id.clone(),
            index,
            entity: Entity::new(id, label, start, end, text),
        },
    }
}

/// Gives entity `id` the type `label`; `None` when it has it already.
pub fn retype_entity(doc: &Document, id: &str, label: &str) -> Result<Option<Edit>, OpError> {
    let entity = doc
        .entity(id)
        .ok_or_else(|| OpError::NoAnnotation(id.to_owned()))?;
    if entity.label == label {
        return Ok(None);
    }
    let mut entity = entity.clone();
    entity.label = label.into();
    Ok(Some(Edit::ReplaceEntity {
        doc: doc.id.clone(),
        entity,
    }))
}

/// Deletes an annotation with whatever points at it, as one step: the
/// relations from or to it, and — for an entity — the claims it is the
/// claimant of keep who claimed them as text, so nothing is lost.
pub fn delete_annotation(doc: &Document, kind: AnnotationKind, id: &str) -> Result<Edit, OpError> {
    let exists = match kind {
        AnnotationKind::Entity => doc.entity(id).is_some(),
        AnnotationKind::Claim => doc.claim(id).is_some(),
        AnnotationKind::Relation => doc.relations.iter().any(|r| r.id == id),
    };
    if !exists {
        return Err(OpError::NoAnnotation(id.to_owned()));
    }
    let doc_id = || doc.id.clone();
    let mut edits = Vec::new();
    if kind != AnnotationKind::Relation {
        for r in doc.relations.iter().filter(|r| r.from == id || r.to == id) {
            edits.push(Edit::RemoveRelation {
                doc: doc_id(),
                id: r.id.to_string(),
            });
        }
    }
    match kind {
        AnnotationKind::Entity => {
            let name = doc.entity(id).map(|e| Claimant::Text(e.text.clone()));
            for c in doc
                .claims
                .iter()
                .filter(|c| matches!(&c.claimant, Some(Claimant::Entity(e)) if e == id))
            {
                let mut claim = c.clone();
                claim.claimant = name.clone();
                edits.push(Edit::ReplaceClaim {
                    doc: doc_id(),
                    claim: Box::new(claim),
                });
            }
            edits.push(Edit::RemoveEntity {
                doc: doc_id(),
                id: id.to_owned(),
            });
        }
        AnnotationKind::Claim => edits.push(Edit::RemoveClaim {
            doc: doc_id(),
            id: id.to_owned(),
        }),
        AnnotationKind::Relation => edits.push(Edit::RemoveRelation {
            doc: doc_id(),
            id: id.to_owned(),
        }),
    }
    Ok(if edits.len() == 1 {
        edits.remove(0)
    } else {
        Edit::Batch {
            label: "delete".into(),
            edits,
        }
    })
}

/// Moves an entity's or claim's boundaries by whole words: a positive
/// delta moves a boundary right, a negative one left. A start moved forward
/// lands on the next word's start, an end moved back on the previous word's
/// end.
pub fn move_boundary(
    doc: &Document,
    kind: AnnotationKind,
    id: &str,
    start_delta: i32,
    end_delta: i32,
) -> Result<Edit, OpError> {
    let missing = || OpError::NoAnnotation(id.to_owned());
    let (start, end) = match kind {
        AnnotationKind::Entity => doc
            .entity(id)
            .map(|e| (e.start, e.end))
            .ok_or_else(missing)?,
        AnnotationKind::Claim => doc
            .claim(id)
            .map(|c| (c.start, c.end))
            .ok_or_else(missing)?,
        AnnotationKind::Relation => return Err(OpError::NoBoundaries),
    };
    let step = |pos: usize, delta: i32| match delta.signum() {
        1 => span::next_word_boundary(&doc.text, pos, true),
        -1 => span::next_word_boundary(&doc.text, pos, false),
        _ => pos,
    };
    let mut new_start = step(start, start_delta);
    if start_delta > 0 {
        new_start =
            span::snap_selection(&doc.text, new_start, end, false).map_or(start, |(s, _)| s);
    }
    let new_end = if end_delta < 0 {
        let back = step(end, -1);
        span::snap_selection(&doc.text, new_start, back, false).map_or(end, |(_, e)| e)
    } else {
        step(end, end_delta)
    };
    let (s, e, text) = doc.span(new_start, new_end).ok_or(OpError::NoRoom)?;
    if (s, e) == (start, end) {
        return Err(OpError::NoRoom);
    }
    let doc_id = doc.id.clone();
    match kind {
        AnnotationKind::Entity => {
            let mut entity = doc.entity(id).ok_or_else(missing)?.clone();
            (entity.start, entity.end, entity.text) = (s, e, text);
            Ok(Edit::ReplaceEntity {
                doc: doc_id,
                entity,
            })
        }
        _ => {
            let mut claim = doc.claim(id).ok_or_else(missing)?.clone();
            (claim.start, claim.end, claim.text) = (s, e, text);
            Ok(Edit::ReplaceClaim {
                doc: doc_id,
                claim: Box::new(claim),
            })
        }
    }
}

/// A new canonical entity named after mention `entity_id` of document
/// `doc_id`, with the mention linked to it, as one step.
pub fn canonical_from_mention(
    project: &Project,
    doc_id: &str,
    entity_id: &str,
) -> Result<Edit, OpError> {
    let doc = project
        .document(doc_id)
        .ok_or_else(|| OpError::NoDocument(doc_id.to_owned()))?;
    let entity = doc
        .entity(entity_id)
        .ok_or_else(|| OpError::NoAnnotation(entity_id.to_owned()))?;
    if entity.canonical.is_some() {
        return Err(OpError::AlreadyCanonical(entity.text.to_string()));
    }
    let id = project.next_canonical_id();
    let canonical = CanonicalEntity {
        id: id.clone(),
        name: entity.text.to_string(),
        label: entity.label.to_string(),
        note: None,
    };
    let mut updated = entity.clone();
    updated.canonical = Some(id.into());
    Ok(Edit::Batch {
        label: "new canonical entity".into(),
        edits: vec![
            Edit::InsertCanonical {
                index: project.canonical_entities.len(),
                canonical,
            },
            Edit::ReplaceEntity {
                doc: doc_id.to_owned(),
                entity: updated,
            },
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Code-point range of `needle` in `text`.
    fn span(text: &str, needle: &str) -> (usize, usize) {
        let byte = text.find(needle).expect("needle in text");
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    }

    fn attribution(text: &str, needle: &str) -> Attribution {
        let (start, end) = span(text, needle);
        guess_attribution(text, start, end)
    }

    #[test]
    fn a_relation_links_two_annotations_with_the_first_type_by_default() {
        let text = "Kim met Putin.";
        let mut project = Project::new("p");
        let mut doc = crate::model::Document::new("d1", "t", text);
        doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
        doc.entities.push(Entity::new("e2", "PER", 8, 13, "Putin"));
        let schema = project.schema.clone();
        let edit = new_relation(&doc, &schema, "e1", "e2", None).expect("a relation");
        project.documents.push(doc.clone().into());
        crate::edit::apply(&mut project, edit).expect("applies");
        let relation = &project.documents[0].relations[0];
        assert_eq!((relation.from.as_str(), relation.to.as_str()), ("e1", "e2"));
        assert_eq!(
            Some(relation.label.as_str()),
            schema.relation_types.first().map(|t| t.key.as_str())
        );
        assert_eq!(
            new_relation(&doc, &schema, "e1", "e1", None),
            Err(OpError::SelfLink)
        );
        assert_eq!(
            new_relation(&doc, &schema, "e1", "e9", None),
            Err(OpError::NoAnnotation("e9".into()))
        );
        let mut bare = schema.clone();
        bare.relation_types.clear();
        assert_eq!(
            new_relation(&doc, &bare, "e1", "e2", None),
            Err(OpError::NoRelationTypes)
        );
    }

    #[test]
    fn stamping_records_who_and_when_and_undo_restores_the_old_values() {
        let mut project = Project::new("p");
        let mut doc = crate::model::Document::new("d1", "t", "Kim met Putin.");
        let mut kim = Entity::new("e1", "PER", 0, 3, "Kim");
        kim.annotator = Some("ben".into());
        kim.modified = Some("2026-01-01T00:00:00Z".into());
        doc.entities.push(kim.clone());
        project.documents.push(doc.into());
        // A change by Ana: a new entity, a relation and a retyped entity
        // in one batch.
        let mut edit = Edit::Batch {
            label: "several".into(),
            edits: vec![
                Edit::InsertEntity {
                    doc: "d1".into(),
                    index: 1,
                    entity: Entity::new("e2", "PER", 8, 13, "Putin"),
                },
                Edit::InsertRelation {
                    doc: "d1".into(),
                    index: 0,
                    relation: Relation::new("r1", "Alias", "e1", "e2"),
                },
                Edit::ReplaceEntity {
                    doc: "d1".into(),
                    entity: Entity {
                        label: "ORG".into(),
                        ..kim.clone()
                    },
                },
            ],
        };
        stamp(&mut edit, Some("ana"), "2026-11-29T00:12:03Z");
        let undo = crate::edit::apply(&mut project, edit).expect("applies");
        let d = &project.documents[0];
        for (who, when) in [
            (&d.entities[0].annotator, &d.entities[0].modified),
            (&d.entities[1].annotator, &d.entities[1].modified),
            (&d.relations[0].annotator, &d.relations[0].modified),
        ] {
            assert_eq!(who.as_deref(), Some("ana"));
            assert_eq!(when.as_deref(), Some("2026-11-29T00:12:03Z"));
        }
        // A review records its reviewer and the time, not an annotator.
        let mut review = crate::review::mode::set_review(
            d,
            &crate::review::mode::Reviewed::Entity("e1".into()),
            crate::model::Review::Accepted,
        )
        .expect("a change");
        stamp_review(&mut review, Some("rev"), "2026-11-29T01:00:00Z");
        let undo_review = crate::edit::apply(&mut project, review).expect("applies");
        let e1 = &project.documents[0].entities[0];
        assert_eq!(e1.annotator.as_deref(), Some("ana"));
        assert_eq!(e1.reviewer.as_deref(), Some("rev"));
        assert_eq!(e1.modified.as_deref(), Some("2026-11-29T01:00:00Z"));
        assert_eq!(project.written_version(), 5);
        // Back to unreviewed: no reviewer any more.
        let mut unreview = crate::review::mode::set_review(
            &project.documents[0],
            &crate::review::mode::Reviewed::Entity("e1".into()),
            crate::model::Review::Unreviewed,
        )
        .expect("a change");
        stamp_review(&mut unreview, Some("rev"), "2026-11-29T01:00:01Z");
        let undo_unreview = crate::edit::apply(&mut project, unreview).expect("applies");
        assert_eq!(project.documents[0].entities[0].reviewer, None);
        crate::edit::apply(&mut project, undo_unreview).expect("undo");
        // Undo brings back the old stamps, not new ones.
        crate::edit::apply(&mut project, undo_review).expect("undo");
        crate::edit::apply(&mut project, undo).expect("undo");
        assert_eq!(project.documents[0].entities, vec![kim]);
        assert!(project.documents[0].relations.is_empty());
    }

    #[test]
    fn annotate_all_tags_whole_words_once_and_skips_tagged_ones() {
        let mut doc = crate::model::Document::new("d1", "t", "Kim met Kimberly; Kim left. 😀 Kim");
        doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
        let (edit, count) = annotate_all(&[&doc], "Kim", "PER");
        // "Kim" at 18 and at 30 (the emoji is one code point); not
        // "Kimberly", not the one already tagged.
        assert_eq!(count, 2);
        assert_eq!(
            occurrences(&doc.text, "Kim"),
            vec![(0, 3), (18, 21), (30, 33)]
        );
        let mut project = Project::new("p");
        project.documents.push(doc.into());
        crate::edit::apply(&mut project, edit.expect("an edit")).expect("applies");
        let starts: Vec<usize> = project.documents[0]
            .entities
            .iter()
            .map(|e| e.start)
            .collect();
        assert_eq!(starts, vec![0, 18, 30]);
    }

    /// The first implementation of annotate-all, one document at a time
    /// with a scratch copy and a fresh id per insert: the reference the
    /// linear one must match exactly (ids, indices, order).
    fn annotate_all_reference(doc: &Document, text: &str, label: &str) -> Vec<Edit> {
        let mut scratch = doc.clone();
        let mut edits = Vec::new();
        for (start, end) in occurrences(&doc.text, text) {
            if scratch
                .entities
                .iter()
                .any(|e| e.start == start && e.end == end && e.label == label)
            {
                continue;
            }
            let id = scratch.next_id("e");
            let index = scratch
                .entities
                .partition_point(|e| (e.start, e.end) <= (start, end));
            let entity = Entity::new(id, label, start, end, text);
            scratch.entities.insert(index, entity.clone());
            edits.push(Edit::InsertEntity {
                doc: doc.id.clone(),
                index,
                entity,
            });
        }
        edits
    }

    proptest::proptest! {
        #[test]
        fn annotate_all_in_matches_the_reference(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["Kim", "Kimberly", "met", "😀", "Kim.", "دمشق", " ", "\n"]),
                0..60,
            ),
            tagged in proptest::collection::vec((0usize..200, 1usize..6, proptest::bool::ANY), 0..12),
            ids in proptest::collection::vec(
                proptest::sample::select(vec!["e3", "e17", "c2", "x", "e18446744073709551615"]),
                0..3,
            ),
        ) {
            let text: String = words.join(" ");
            let length = text.chars().count();
            let mut doc = Document::new("d", "t", text.clone());
            for (n, (start, len, per)) in tagged.into_iter().enumerate() {
                let start = start % length.max(1);
                let end = (start + len).min(length);
                if let Some((s, e, quote)) = doc.span(start, end) {
                    let id = ids.get(n).map_or_else(|| format!("e{}", 100 + n), |i| (*i).to_owned());
                    if doc.entity(&id).is_none() {
                        let label = if per { "PER" } else { "ORG" };
                        doc.entities.push(Entity::new(id, label, s, e, quote));
                    }
                }
            }
            doc.entities.sort_by_key(|e| (e.start, e.end));
            proptest::prop_assert_eq!(
                annotate_all_in(&doc, "Kim", "PER"),
                annotate_all_reference(&doc, "Kim", "PER")
            );
        }
    }

    #[test]
    fn quotes_in_any_language_make_a_direct_quote() {
        let english = "Kirby said: “Kim expects the talks to continue.” He left.";
        assert_eq!(
            attribution(english, "Kim expects the talks to continue."),
            Attribution::DirectQuote
        );
        assert_eq!(
            attribution(english, "“Kim expects the talks to continue.”"),
            Attribution::DirectQuote
        );
        let straight = "He said \"we will win\" and left.";
        assert_eq!(
            attribution(straight, "we will win"),
            Attribution::DirectQuote
        );
        let german = "Er sagte: „Wir werden gewinnen“, und ging.";
        assert_eq!(
            attribution(german, "Wir werden gewinnen"),
            Attribution::DirectQuote
        );
        let french = "Il a dit « nous allons gagner » hier.";
        assert_eq!(
            attribution(french, "nous allons gagner"),
            Attribution::DirectQuote
        );
        let japanese = "彼は「勝つ」と言った。";
        assert_eq!(attribution(japanese, "勝つ"), Attribution::DirectQuote);
    }

    #[test]
    fn partly_quoted_is_mixed_and_unquoted_is_indirect() {
        let text = "Putin said the talks were “very useful” for both sides.";
        assert_eq!(
            attribution(text, "the talks were “very useful” for both sides"),
            Attribution::Mixed
        );
        assert_eq!(
            attribution(text, "the talks were"),
            Attribution::IndirectQuote
        );
        // An apostrophe is not a quotation mark.
        let apostrophe = "The country’s leader said it won’t happen.";
        assert_eq!(
            attribution(apostrophe, "it won’t happen"),
            Attribution::IndirectQuote
        );
        // Quotes in another paragraph do not count.
        let paragraphs = "“Opening\nKim will travel";
        assert_eq!(
            attribution(paragraphs, "Kim will travel"),
            Attribution::IndirectQuote
        );
    }

    #[test]
    fn the_claimant_is_the_nearest_mention_of_a_type_that_can_claim() {
        let text = "Adrienne Watson of the NSC said on Monday that Kim expects talks.";
        let mut project = Project::new("p");
        let mut doc = crate::model::Document::new("d1", "t", text);
        for (id, label, needle) in [
            ("e1", "PER", "Adrienne Watson"),
            ("e2", "ORG", "NSC"),
            ("e3", "DATE", "Monday"),
        ] {
            let (start, end) = span(text, needle);
            doc.entities
                .push(Entity::new(id, label, start, end, needle));
        }
        let (start, end) = span(text, "Kim expects talks");
        // DATE is nearest but cannot claim: the organisation is next.
        assert_eq!(
            guess_claimant(&doc, &project.schema, start, end),
            Some(Claimant::Entity("e2".into()))
        );
        // Renamed types keep their flag; a type flagged off is skipped.
        if let Some(org) = project
            .schema
            .entity_types
            .iter_mut()
            .find(|t| t.key == "ORG")
        {
            org.can_claim = Some(false);
        }
        assert_eq!(
            guess_claimant(&doc, &project.schema, start, end),
            Some(Claimant::Entity("e1".into()))
        );
        if let Some(date) = project
            .schema
            .entity_types
            .iter_mut()
            .find(|t| t.key == "DATE")
        {
            date.can_claim = Some(true);
        }
        assert_eq!(
            guess_claimant(&doc, &project.schema, start, end),
            Some(Claimant::Entity("e3".into()))
        );
        let claim = new_claim(&doc, &project.schema, start, end, "Kim expects talks");
        assert_eq!(claim.attribution, Attribution::IndirectQuote);
        project.documents.push(doc.into());
    }

    /// "Kirby said Russia bought arms." with Kirby (e1, PER) claiming c1
    /// and a relation r1 from c1 to e1.
    fn kirby() -> Project {
        let text = "Kirby said Russia bought arms.";
        let mut project = Project::new("p");
        let mut doc = Document::new("d1", "t", text);
        doc.entities.push(Entity::new("e1", "PER", 0, 5, "Kirby"));
        let mut claim = Claim::new("c1", 11, 29, "Russia bought arms");
        claim.claimant = Some(Claimant::Entity("e1".into()));
        doc.claims.push(claim);
        let label = project.schema.relation_types[0].key.clone();
        doc.relations.push(Relation::new("r1", label, "c1", "e1"));
        project.documents.push(doc.into());
        project
    }

    #[test]
    fn tagging_inserts_in_span_order_and_finds_an_existing_entity() {
        let mut project = kirby();
        let doc = &project.documents[0];
        assert_eq!(
            tag_span(doc, 0, 5, "Kirby", "PER"),
            Tagging::Exists { id: "e1".into() }
        );
        let Tagging::Insert { id, edit } = tag_span(doc, 11, 17, "Russia", "GPE") else {
            panic!("a new entity");
        };
        crate::edit::apply(&mut project, edit).expect("applies");
        let doc = &project.documents[0];
        assert_eq!(doc.entities[1].id, id);
        assert_eq!((doc.entities[1].start, doc.entities[1].end), (11, 17));
        // The same span with another type is a second entity (nesting and
        // overlap are allowed), before it in span order it is not.
        let Tagging::Insert { edit, .. } = tag_span(doc, 0, 5, "Kirby", "ORG") else {
            panic!("a new entity");
        };
        assert!(matches!(edit, Edit::InsertEntity { index: 1, .. }));
        assert_eq!(retype_entity(doc, "e1", "PER"), Ok(None));
        assert!(matches!(
            retype_entity(doc, "e1", "ORG"),
            Ok(Some(Edit::ReplaceEntity { .. }))
        ));
        assert_eq!(
            retype_entity(doc, "e9", "ORG"),
            Err(OpError::NoAnnotation("e9".into()))
        );
    }

    #[test]
    fn deleting_an_entity_keeps_its_claims_claimant_as_text_and_drops_its_relations() {
        let mut project = kirby();
        let before = project.clone();
        let edit = delete_annotation(&project.documents[0], AnnotationKind::Entity, "e1")
            .expect("an edit");
        let inverse = crate::edit::apply(&mut project, edit).expect("applies");
        let doc = &project.documents[0];
        assert!(doc.entities.is_empty());
        assert!(doc.relations.is_empty());
        assert_eq!(doc.claims[0].claimant, Some(Claimant::Text("Kirby".into())));
        assert_eq!(
            crate::model::validate::validate(&project),
            vec![],
            "still valid"
        );
        crate::edit::apply(&mut project, inverse).expect("undo applies");
        assert_eq!(project, before, "one step undoes all of it");
        assert_eq!(
            delete_annotation(&project.documents[0], AnnotationKind::Claim, "e1"),
            Err(OpError::NoAnnotation("e1".into()))
        );
        let edit = delete_annotation(&project.documents[0], AnnotationKind::Relation, "r1")
            .expect("an edit");
        assert!(matches!(edit, Edit::RemoveRelation { .. }));
    }

    #[test]
    fn boundaries_move_by_whole_words_and_keep_the_quoted_text() {
        let mut project = kirby();
        let doc = &project.documents[0];
        // Grow the claim's start one word left: "said Russia bought arms".
        let edit = move_boundary(doc, AnnotationKind::Claim, "c1", -1, 0).expect("an edit");
        crate::edit::apply(&mut project, edit).expect("applies");
        let claim = &project.documents[0].claims[0];
        assert_eq!(claim.text, "said Russia bought arms");
        assert_eq!(claim.start, 6);
        // Shrink its end one word: "said Russia bought".
        let doc = &project.documents[0];
        let edit = move_boundary(doc, AnnotationKind::Claim, "c1", 0, -1).expect("an edit");
        crate::edit::apply(&mut project, edit).expect("applies");
        assert_eq!(project.documents[0].claims[0].text, "said Russia bought");
        // A one-word entity cannot lose its only word.
        let doc = &project.documents[0];
        assert_eq!(
            move_boundary(doc, AnnotationKind::Entity, "e1", 1, 0),
            Err(OpError::NoRoom)
        );
        assert_eq!(
            move_boundary(doc, AnnotationKind::Relation, "r1", 1, 0),
            Err(OpError::NoBoundaries)
        );
    }

    #[test]
    fn a_canonical_entity_from_a_mention_links_it_in_one_step() {
        let mut project = kirby();
        let edit = canonical_from_mention(&project, "d1", "e1").expect("an edit");
        crate::edit::apply(&mut project, edit).expect("applies");
        let canonical = &project.canonical_entities[0];
        assert_eq!(
            (canonical.name.as_str(), canonical.label.as_str()),
            ("Kirby", "PER")
        );
        assert_eq!(
            project.documents[0].entities[0].canonical.as_deref(),
            Some(canonical.id.as_str())
        );
        assert_eq!(
            canonical_from_mention(&project, "d1", "e1"),
            Err(OpError::AlreadyCanonical("Kirby".into()))
        );
        assert_eq!(
            canonical_from_mention(&project, "d9", "e1"),
            Err(OpError::NoDocument("d9".into()))
        );
    }
}
