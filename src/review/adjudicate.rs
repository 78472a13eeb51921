//! Settling recorded disagreements and merge conflicts (adjudication), as
//! pure functions: [`settle`] turns a reviewer's choice about one conflict
//! record into one [`Edit`] that removes the losing versions and the record
//! together, so that one undo brings the disagreement back whole.
//! [`unsettled`] lists what is left, in document order.

use std::collections::{HashMap, HashSet};

use thiserror::Error;

use crate::edit::{Edit, FieldTarget};
use crate::model::{
    Claim, Claimant, CompactString, Conflict, ConflictAbout, Document, Entity, Project, Review,
};

/// Where a conflict record lives: a document's list or the project's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConflictRef {
    /// The document whose list holds it; `None` for the project's list.
    pub doc: Option<String>,
    /// The record's id.
    pub id: String,
}

/// What the reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Keep this version (0: A or ours, 1: B or theirs) and drop the others.
    Take(usize),
    /// Keep every version's annotations.
    Both,
    /// Drop every version's annotations.
    Neither,
}

/// Why a choice cannot be made into an edit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AdjudicateError {
    /// No such record (settled already?).
    #[error("no conflict {0:?} to settle")]
    NoConflict(String),
    /// The record has no such version.
    #[error("conflict {0:?} has no version {1}")]
    NoVersion(String, usize),
    /// "Both" or "neither" for a field, which has one value.
    #[error("conflict {0:?} is about one value: take one version")]
    OneValue(String),
    /// The record names something the project does not have.
    #[error("conflict {0:?}: {1}")]
    Broken(String, String),
}

/// Every conflict record of the project in walking order: the project's own
/// first, then each document's in document order: the document's fields,
/// then annotations by where their first span starts.
pub fn unsettled(project: &Project) -> Vec<ConflictRef> {
    let mut out: Vec<ConflictRef> = project
        .conflicts
        .iter()
        .map(|c| ConflictRef {
            doc: None,
            id: c.id.clone(),
        })
        .collect();
    for doc in &project.documents {
        let mut list: Vec<(usize, &Conflict)> = doc
            .conflicts
            .iter()
            .map(|c| (span_of(doc, c).map_or(0, |(start, _)| start), c))
            .collect();
        // Stable: records at one place keep their file order.
        list.sort_by_key(|(start, c)| (c.about != ConflictAbout::Document, *start));
        out.extend(list.into_iter().map(|(_, c)| ConflictRef {
            doc: Some(doc.id.clone()),
            id: c.id.clone(),
        }));
    }
    out
}

/// The record `at` points to.
pub fn find<'p>(project: &'p Project, at: &ConflictRef) -> Option<&'p Conflict> {
    let list = match &at.doc {
        Some(doc) => &project.document(doc)?.conflicts,
        None => &project.conflicts,
    };
    list.iter().find(|c| c.id == at.id)
}

/// Where in the document a record's annotations are: from the first start
/// to the last end (relations: their ends' spans). `None` for records not
/// about annotations, or naming none.
pub fn span_of(doc: &Document, conflict: &Conflict) -> Option<(usize, usize)> {
    if conflict.about != ConflictAbout::Annotations {
        return None;
    }
    conflict
        .annotation_ids()
        .flat_map(|id| annotation_spans(doc, id))
        .fold(None, |acc, (s, e)| match acc {
            None => Some((s, e)),
            Some((s0, e0)) => Some((s0.min(s), e0.max(e))),
        })
}

/// The span of an entity or claim, or the spans of a relation's ends.
fn annotation_spans(doc: &Document, id: &str) -> Vec<(usize, usize)> {
    let span = |id: &str| {
        doc.entity(id)
            .map(|e| (e.start, e.end))
            .or_else(|| doc.claim(id).map(|c| (c.start, c.end)))
    };
    match span(id) {
        Some(s) => vec![s],
        None => doc
            .relation(id)
            .map(|r| [span(&r.from), span(&r.to)].into_iter().flatten().collect())
            .unwrap_or_default(),
    }
}

/// The choices that make sense for a record: every version, and for
/// annotations also both and neither.
pub fn choices(conflict: &Conflict) -> Vec<Choice> {
    let mut out: Vec<Choice> = (0..conflict.versions.len()).map(Choice::Take).collect();
    if conflict.about == ConflictAbout::Annotations {
        out.push(Choice::Both);
        out.push(Choice::Neither);
    }
    out
}

/// The annotations a choice keeps (for the app to select after "edit").
pub fn kept(conflict: &Conflict, choice: Choice) -> Vec<String> {
    match choice {
        Choice::Take(i) => conflict
            .versions
            .get(i)
            .map(|v| v.annotations.clone())
            .unwrap_or_default(),
        Choice::Both => conflict.annotation_ids().map(str::to_owned).collect(),
        Choice::Neither => Vec::new(),
    }
}

/// The one edit that settles the record `at` as `choice` says: the losing
/// versions go (with what depends on them, see [`settle_annotations`]) and
/// so does the record.
pub fn settle(
    project: &Project,
    at: &ConflictRef,
    choice: Choice,
) -> Result<Edit, AdjudicateError> {
    let conflict = find(project, at).ok_or_else(|| AdjudicateError::NoConflict(at.id.clone()))?;
    if let Choice::Take(i) = choice
        && conflict.versions.get(i).is_none()
    {
        return Err(AdjudicateError::NoVersion(at.id.clone(), i));
    }
    let remove_record = Edit::RemoveConflict {
        doc: at.doc.clone(),
        id: at.id.clone(),
    };
    let mut edits = vec![remove_record];
    match (&conflict.about, &at.doc) {
        (ConflictAbout::Annotations, Some(doc_id)) => {
            let doc = project
                .document(doc_id)
                .ok_or_else(|| AdjudicateError::NoConflict(at.id.clone()))?;
            edits = settle_annotations(doc, conflict, choice)?;
        }
        (about, _) => {
            let Choice::Take(i) = choice else {
                return Err(AdjudicateError::OneValue(at.id.clone()));
            };
            let version = conflict
                .versions
                .get(i)
                .ok_or_else(|| AdjudicateError::NoVersion(at.id.clone(), i))?;
            edits.extend(take_value(project, at, about, conflict, version)?);
        }
    }
    Ok(Edit::Batch {
        label: format!("settle conflict {}", at.id),
        edits,
    })
}

/// The edits (after removing the record) that give the thing a record is
/// about the chosen version's value, or delete it when that version did.
fn take_value(
    project: &Project,
    at: &ConflictRef,
    about: &ConflictAbout,
    conflict: &Conflict,
    version: &crate::model::ConflictVersion,
) -> Result<Vec<Edit>, AdjudicateError> {
    let broken = |why: &str| AdjudicateError::Broken(at.id.clone(), why.to_owned());
    let field = conflict.fields.first();
    if version.deleted {
        // This side deleted the thing: so does the reviewer.
        return Ok(match about {
            ConflictAbout::Document => at
                .doc
                .iter()
                .map(|id| Edit::RemoveDocument { id: id.clone() })
                .collect(),
            ConflictAbout::EntityType(key) => vec![Edit::RemoveEntityType { key: key.clone() }],
            ConflictAbout::RelationType(key) => {
                vec![Edit::RemoveRelationType { key: key.clone() }]
            }
            ConflictAbout::CanonicalEntity(id) => vec![Edit::RemoveCanonical { id: id.clone() }],
            ConflictAbout::Project | ConflictAbout::Annotations => Vec::new(),
        });
    }
    // A version that kept the thing, for a record about its existence:
    // removing the record is all.
    let Some(field) = field else {
        return Ok(Vec::new());
    };
    let value = version.value.clone();
    Ok(vec![match about {
        ConflictAbout::Document => Edit::SetField {
            target: FieldTarget::Document(at.doc.clone().ok_or_else(|| broken("no document"))?),
            field: field.clone(),
            value,
        },
        ConflictAbout::Project => match (field.as_str(), value) {
            ("name", Some(serde_json::Value::String(name))) => Edit::SetProjectName { name },
            _ => return Err(broken(&format!("cannot set the project's {field:?}"))),
        },
        ConflictAbout::EntityType(key) => {
            let current = project
                .schema
                .entity_type(key)
                .ok_or_else(|| broken(&format!("no entity type {key:?}")))?;
            let (entity_type, _) = crate::edit::with_field(current, field, value)
                .map_err(|e| broken(&e.to_string()))?;
            Edit::ReplaceEntityType {
                key: key.clone(),
                entity_type,
            }
        }
        ConflictAbout::RelationType(key) => Edit::SetField {
            target: FieldTarget::RelationType(key.clone()),
            field: field.clone(),
            value,
        },
        ConflictAbout::CanonicalEntity(id) => Edit::SetField {
            target: FieldTarget::CanonicalEntity(id.clone()),
            field: field.clone(),
            value,
        },
        ConflictAbout::Annotations => return Err(broken("annotations outside a document")),
    }])
}

/// Settling a record about annotations: the record goes, and so do the
/// annotations of the versions not kept. What pointed to them follows:
/// a claimant or relation end moves to the kept annotation with the same
/// span when there is one; otherwise a claimant becomes free text (its
/// quote) and a relation goes. Other records that named a relation that
/// moves or goes are taken out and put back, so none ever points at
/// nothing.
pub fn settle_annotations(
    doc: &Document,
    conflict: &Conflict,
    choice: Choice,
) -> Result<Vec<Edit>, AdjudicateError> {
    let doc_id = doc.id.clone();
    let keep: HashSet<String> = kept(conflict, choice).into_iter().collect();
    let mut gone: HashSet<String> = conflict
        .annotation_ids()
        .filter(|id| !keep.contains(*id))
        .map(str::to_owned)
        .collect();
    // The kept annotation with the same span as a dropped one.
    let span = |id: &str| {
        doc.entity(id)
            .map(|e| (0, e.start, e.end))
            .or_else(|| doc.claim(id).map(|c| (1, c.start, c.end)))
    };
    let heir = |id: &str| -> Option<String> {
        let wanted = span(id)?;
        let mut kept_ids: Vec<&String> = keep.iter().collect();
        kept_ids.sort();
        kept_ids
            .into_iter()
            .find(|k| span(k) == Some(wanted))
            .cloned()
    };
    // Relations that end at a dropped annotation: moved to an heir or gone.
    let mut moved_relations = Vec::new();
    for (index, r) in doc.relations.iter().enumerate() {
        if gone.contains(r.id.as_str())
            || !(gone.contains(r.from.as_str()) || gone.contains(r.to.as_str()))
        {
            continue;
        }
        let end = |id: &CompactString| {
            if gone.contains(id.as_str()) {
                heir(id).map(CompactString::from)
            } else {
                Some(id.clone())
            }
        };
        match (end(&r.from), end(&r.to)) {
            (Some(from), Some(to)) => {
                let mut moved = r.clone();
                moved.from = from;
                moved.to = to;
                moved_relations.push((index, moved));
            }
            _ => {
                gone.insert(r.id.to_string());
            }
        }
    }
    let touched: HashSet<&str> = gone
        .iter()
        .map(String::as_str)
        .chain(moved_relations.iter().map(|(_, r)| r.id.as_str()))
        .collect();
    // Other records naming what moves or goes: out first, back at the end.
    let others: Vec<&Conflict> = doc
        .conflicts
        .iter()
        .filter(|c| c.id != conflict.id && c.annotation_ids().any(|a| touched.contains(a)))
        .collect();
    let mut edits = vec![Edit::RemoveConflict {
        doc: Some(doc_id.clone()),
        id: conflict.id.clone(),
    }];
    edits.extend(others.iter().map(|c| Edit::RemoveConflict {
        doc: Some(doc_id.clone()),
        id: c.id.clone(),
    }));
    // Claimants first, while the dropped entities still exist.
    for claim in &doc.claims {
        if gone.contains(claim.id.as_str()) {
            continue;
        }
        if let Some(Claimant::Entity(id)) = &claim.claimant
            && gone.contains(id.as_str())
        {
            let mut changed = claim.clone();
            changed.claimant = Some(match heir(id) {
                Some(heir) => Claimant::Entity(heir.into()),
                None => Claimant::Text(doc.entity(id).map(|e| e.text.clone()).unwrap_or_default()),
            });
            edits.push(Edit::ReplaceClaim {
                doc: doc_id.clone(),
                claim: Box::new(changed),
            });
        }
    }
    // What the adjudicator kept is accepted (the app stamps them as its
    // reviewer, `edit::ops::stamp_review`); who made each stays.
    for edit in &mut edits {
        if let Edit::ReplaceClaim { claim, .. } = edit
            && keep.contains(claim.id.as_str())
        {
            claim.review = Review::Accepted;
            claim.review_comment = None;
        }
    }
    let claims_replaced: HashSet<String> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::ReplaceClaim { claim, .. } => Some(claim.id.to_string()),
            _ => None,
        })
        .collect();
    for claim in doc
        .claims
        .iter()
        .filter(|c| keep.contains(c.id.as_str()) && !claims_replaced.contains(c.id.as_str()))
    {
        edits.push(Edit::ReplaceClaim {
            doc: doc_id.clone(),
            claim: Box::new(Claim {
                review: Review::Accepted,
                review_comment: None,
                ..claim.clone()
            }),
        });
    }
    for entity in doc.entities.iter().filter(|e| keep.contains(e.id.as_str())) {
        edits.push(Edit::ReplaceEntity {
            doc: doc_id.clone(),
            entity: Entity {
                review: Review::Accepted,
                review_comment: None,
                ..entity.clone()
            },
        });
    }
    // Relations before what they connect; moved relations keep their place.
    for (_, r) in &moved_relations {
        edits.push(Edit::RemoveRelation {
            doc: doc_id.clone(),
            id: r.id.to_string(),
        });
    }
    for (index, relation) in &moved_relations {
        edits.push(Edit::InsertRelation {
            doc: doc_id.clone(),
            index: *index,
            relation: relation.clone(),
        });
    }
    let removals = doc
        .relations
        .iter()
        .filter(|r| gone.contains(r.id.as_str()))
        .map(|r| Edit::RemoveRelation {
            doc: doc_id.clone(),
            id: r.id.to_string(),
        })
        .chain(
            doc.claims
                .iter()
                .filter(|c| gone.contains(c.id.as_str()))
                .map(|c| Edit::RemoveClaim {
                    doc: doc_id.clone(),
                    id: c.id.to_string(),
                }),
        )
        .chain(
            doc.entities
                .iter()
                .filter(|e| gone.contains(e.id.as_str()))
                .map(|e| Edit::RemoveEntity {
                    doc: doc_id.clone(),
                    id: e.id.to_string(),
                }),
        );
    edits.extend(removals);
    // Put the other records back where they were, without what went; one
    // left with no annotation in any version has nothing to settle.
    let back: HashMap<String, Conflict> = others
        .iter()
        .map(|c| {
            let mut c = (*c).clone();
            for v in &mut c.versions {
                v.annotations.retain(|a| !gone.contains(a));
            }
            (c.id.clone(), c)
        })
        .filter(|(_, c)| c.annotation_ids().next().is_some())
        .collect();
    let dropped_others: HashSet<&str> = others
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| !back.contains_key(*id))
        .collect();
    let final_order: Vec<&str> = doc
        .conflicts
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| *id != conflict.id && !dropped_others.contains(id))
        .collect();
    for (index, id) in final_order.iter().enumerate() {
        if let Some(c) = back.get(*id) {
            edits.push(Edit::InsertConflict {
                doc: Some(doc_id.clone()),
                index,
                conflict: Box::new(c.clone()),
            });
        }
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;
    use crate::model::validate::validate;
    use crate::model::{Claim, Entity, Relation, Status};
    use crate::review::merge::merge;

    const TEXT: &str = "Kim Jong Un met Vladimir Putin in Vostochny.";

    fn side(entities: &[(&str, &str, usize, usize)]) -> Project {
        let mut p = Project::new("Summit");
        let mut d = Document::new("summit", "Summit", TEXT);
        for (id, label, start, end) in entities {
            let text: String = TEXT.chars().skip(*start).take(end - start).collect();
            d.entities
                .push(Entity::new(*id, *label, *start, *end, text));
        }
        p.documents.push(d.into());
        p
    }

    fn valid(p: &Project) {
        let problems = validate(p);
        assert!(problems.is_empty(), "{problems:?}");
    }

    /// Settles `at` as `choice` on `project`, checks the result is valid and
    /// that the inverse restores the project exactly; returns the inverse.
    fn settle_checked(project: &mut Project, at: &ConflictRef, choice: Choice) -> Edit {
        let before = project.clone();
        let edit = settle(project, at, choice).expect("an edit");
        let inverse = apply(project, edit).expect("applies");
        valid(project);
        assert!(find(project, at).is_none(), "the record is gone");
        let mut undone = project.clone();
        apply(&mut undone, inverse.clone()).expect("undo applies");
        assert_eq!(undone, before, "one undo restores everything");
        inverse
    }

    /// Ana and Ben: agree on Kim; Vostochny GPE against LOC; only Ben has
    /// Putin; other titles.
    fn summit() -> Project {
        let a = side(&[("e1", "PER", 0, 11), ("e2", "GPE", 34, 43)]);
        let mut b = side(&[
            ("e1", "PER", 0, 11),
            ("e2", "LOC", 34, 43),
            ("e3", "PER", 16, 30),
        ]);
        std::sync::Arc::make_mut(&mut b.documents[0]).title = "Putin meets Kim".into();
        let (merged, report) = merge(&a, &b);
        assert_eq!(report.remaining, 3);
        merged
    }

    #[test]
    fn walks_in_document_order_fields_first() {
        let project = summit();
        let doc = &project.documents[0];
        let order: Vec<(ConflictAbout, Option<(usize, usize)>)> = unsettled(&project)
            .iter()
            .map(|at| {
                let c = find(&project, at).expect("exists");
                (c.about.clone(), span_of(doc, c))
            })
            .collect();
        assert_eq!(
            order,
            vec![
                (ConflictAbout::Document, None),
                (ConflictAbout::Annotations, Some((16, 30))),
                (ConflictAbout::Annotations, Some((34, 43))),
            ]
        );
    }

    #[test]
    fn every_choice_settles_one_record_and_undoes_whole() {
        let mut project = summit();
        let refs = unsettled(&project);
        let [title, putin, vostochny] = refs.as_slice() else {
            panic!("three records: {refs:?}");
        };
        // The title: B's.
        settle_checked(&mut project, title, Choice::Take(1));
        assert_eq!(project.documents[0].title, "Putin meets Kim");
        assert_eq!(
            settle(&project, title, Choice::Take(0)),
            Err(AdjudicateError::NoConflict(title.id.clone()))
        );
        // Putin, only B's: neither keeps nothing.
        settle_checked(&mut project, putin, Choice::Neither);
        // Vostochny: A's GPE wins, B's LOC goes.
        settle_checked(&mut project, vostochny, Choice::Take(0));
        let doc = &project.documents[0];
        let labels: Vec<(&str, usize)> = doc
            .entities
            .iter()
            .map(|e| (e.label.as_str(), e.start))
            .collect();
        assert_eq!(labels, [("PER", 0), ("GPE", 34)]);
        assert!(unsettled(&project).is_empty());
        // What the adjudicator kept is accepted; Kim, agreed by both and
        // never in a record, is left as it was.
        let reviews: Vec<Review> = doc.entities.iter().map(|e| e.review).collect();
        assert_eq!(reviews, [Review::Unreviewed, Review::Accepted]);
    }

    #[test]
    fn both_keeps_every_version_and_fields_take_one_value() {
        let mut project = summit();
        let refs = unsettled(&project);
        assert_eq!(
            settle(&project, &refs[0], Choice::Both),
            Err(AdjudicateError::OneValue(refs[0].id.clone()))
        );
        assert_eq!(
            settle(&project, &refs[0], Choice::Take(2)),
            Err(AdjudicateError::NoVersion(refs[0].id.clone(), 2))
        );
        settle_checked(&mut project, &refs[2], Choice::Both);
        assert_eq!(project.documents[0].entities.len(), 4);
    }

    #[test]
    fn a_dropped_claimant_moves_to_the_kept_entity_with_its_span() {
        // The claims differ in their span (their claimants, mentions of the
        // same span, are the same claimant, as `gloss agree` counts them).
        let claim = |claimant: &str, end: usize| {
            let mut c = Claim::new("c1", 0, end, &TEXT[..end]);
            c.claimant = Some(Claimant::Entity(claimant.into()));
            c
        };
        let mut a = side(&[("e1", "PER", 0, 11)]);
        std::sync::Arc::make_mut(&mut a.documents[0])
            .claims
            .push(claim("e1", 30));
        let mut b = side(&[("e1", "ORG", 0, 11)]);
        std::sync::Arc::make_mut(&mut b.documents[0])
            .claims
            .push(claim("e1", 29));
        let (mut project, _) = merge(&a, &b);
        let refs = unsettled(&project);
        assert_eq!(refs.len(), 2, "entities and claims disagree");
        // Take B's ORG: A's claim, still in its own record, now names it.
        settle_checked(&mut project, &refs[0], Choice::Take(1));
        let doc = &project.documents[0];
        let org = doc
            .entities
            .iter()
            .find(|e| e.label == "ORG")
            .expect("kept");
        assert!(
            doc.claims
                .iter()
                .all(|c| c.claimant == Some(Claimant::Entity(org.id.clone())))
        );
        // Neither claim: the entity alone stays.
        settle_checked(&mut project, &refs[1], Choice::Neither);
        assert!(project.documents[0].claims.is_empty());
        // A claimant with no heir becomes free text.
        let mut project = merge(&a, &b).0;
        settle_checked(&mut project, &refs[0], Choice::Neither);
        let doc = &project.documents[0];
        assert!(
            doc.claims
                .iter()
                .all(|c| c.claimant == Some(Claimant::Text("Kim Jong Un".into())))
        );
    }

    #[test]
    fn a_relation_that_loses_its_end_goes_and_its_record_follows() {
        let relation = |from: &str| Relation::new("r1", "Located", from, "e2");
        let mut a = side(&[("e1", "PER", 0, 11), ("e2", "GPE", 34, 43)]);
        std::sync::Arc::make_mut(&mut a.documents[0])
            .relations
            .push(relation("e1"));
        let mut b = side(&[("e1", "PER", 0, 8), ("e2", "GPE", 34, 43)]);
        std::sync::Arc::make_mut(&mut b.documents[0])
            .relations
            .push(relation("e1"));
        let (mut project, _) = merge(&a, &b);
        valid(&project);
        // The spans compete; the relations have other ends, so each is a
        // record of its own.
        let refs = unsettled(&project);
        assert_eq!(refs.len(), 3, "{:?}", project.documents[0].conflicts);
        // "Kim Jong" (B) wins: A's relation from "Kim Jong Un" has no end
        // left and goes, and so does its record, which names nothing now.
        settle_checked(&mut project, &refs[0], Choice::Take(1));
        let doc = &project.documents[0];
        assert_eq!(doc.relations.len(), 1);
        assert!(find(&project, &refs[1]).is_none());
        settle_checked(&mut project, &refs[2], Choice::Take(1));
        assert_eq!(project.documents[0].relations.len(), 1);
        assert!(unsettled(&project).is_empty());

        // Same span, other type: the relation moves to the kept entity and
        // its record stays.
        let mut b = side(&[("e1", "ORG", 0, 11), ("e2", "GPE", 34, 43)]);
        std::sync::Arc::make_mut(&mut b.documents[0])
            .relations
            .push(relation("e1"));
        let (mut project, _) = merge(&a, &b);
        let refs = unsettled(&project);
        assert_eq!(refs.len(), 3);
        settle_checked(&mut project, &refs[0], Choice::Take(1));
        let doc = &project.documents[0];
        let org = doc
            .entities
            .iter()
            .find(|e| e.label == "ORG")
            .expect("kept");
        assert_eq!(doc.relations.len(), 2);
        assert!(doc.relations.iter().all(|r| r.from == org.id));
        assert_eq!(unsettled(&project), refs[1..].to_vec());
    }

    #[test]
    fn project_records_take_a_value_or_a_deletion() {
        let base = side(&[("e1", "LOC", 34, 43)]);
        let mut ours = base.clone();
        let mut theirs = base.clone();
        ours.name = "Ours".into();
        theirs.name = "Theirs".into();
        std::sync::Arc::make_mut(&mut ours.documents[0]).status = Status::Done;
        std::sync::Arc::make_mut(&mut theirs.documents[0]).status = Status::Reviewed;
        for (p, color) in [(&mut ours, "#112233"), (&mut theirs, "#445566")] {
            if let Some(t) = p.schema.entity_types.iter_mut().find(|t| t.key == "LOC") {
                t.color = crate::model::Rgb::parse(color).expect("colour");
            }
        }
        // Theirs deleted the relation type ours renamed.
        if let Some(t) = ours.schema.relation_types.first_mut() {
            t.name = "Also known as".into();
        }
        theirs.schema.relation_types.remove(0);
        let (mut project, report) = crate::review::merge::merge3(&base, &ours, &theirs);
        valid(&project);
        assert_eq!(report.remaining, 4, "{:?}", project.conflicts);
        for at in unsettled(&project) {
            settle_checked(&mut project, &at, Choice::Take(1));
        }
        assert_eq!(project.name, "Theirs");
        assert_eq!(project.documents[0].status, Status::Reviewed);
        let loc = project.schema.entity_type("LOC").expect("LOC");
        assert_eq!(loc.color.to_hex(), "#445566");
        assert!(project.schema.relation_type("Alias").is_none());
    }
}
