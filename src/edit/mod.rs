//! The one edit layer: every change to a project is an [`Edit`] applied by
//! [`apply`], which also returns the edit that undoes it. Undo/redo, the dirty
//! flag and autosave all hang off [`History`].

pub mod cues;
mod history;
pub mod ops;
mod prepared;

pub use crate::model::now;
pub use history::History;
pub(crate) use prepared::Base;
pub use prepared::{Prepared, Restore, Snapshot, prepare};

use thiserror::Error;

use crate::model::{
    CanonicalEntity, Claim, Conflict, ConflictAbout, Document, Entity, EntityType, Project,
    Relation, RelationType, Status,
};

/// One change to a project. Ids name documents and annotations; indices say
/// where an inserted item goes so that undo restores the exact order.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Inserts an entity at `index` of document `doc`'s entities.
    InsertEntity {
        doc: String,
        index: usize,
        entity: Entity,
    },
    /// Removes the entity `id`.
    RemoveEntity { doc: String, id: String },
    /// Replaces the entity with the same id (type, bounds, canonical link, note…).
    ReplaceEntity { doc: String, entity: Entity },
    /// Inserts a claim.
    InsertClaim {
        doc: String,
        index: usize,
        claim: Box<Claim>,
    },
    /// Removes the claim `id`.
    RemoveClaim { doc: String, id: String },
    /// Replaces the claim with the same id.
    ReplaceClaim { doc: String, claim: Box<Claim> },
    /// Inserts a relation.
    InsertRelation {
        doc: String,
        index: usize,
        relation: Relation,
    },
    /// Removes the relation `id`.
    RemoveRelation { doc: String, id: String },
    /// Sets a document's workflow status.
    SetStatus { doc: String, status: Status },
    /// Inserts a document at `index`.
    InsertDocument {
        index: usize,
        document: Box<Document>,
    },
    /// Removes the document `id`.
    RemoveDocument { id: String },
    /// Inserts an entity type at `index`.
    InsertEntityType {
        index: usize,
        entity_type: EntityType,
    },
    /// Removes the entity type `key` (refused while annotations use it).
    RemoveEntityType { key: String },
    /// Replaces the entity type `key` (name, colour, hotkey; a new key renames
    /// it and every annotation and canonical entity that uses it).
    ReplaceEntityType {
        key: String,
        entity_type: EntityType,
    },
    /// Inserts a relation type at `index`.
    InsertRelationType {
        index: usize,
        relation_type: RelationType,
    },
    /// Removes the relation type `key` (refused while relations use it).
    RemoveRelationType { key: String },
    /// Inserts a canonical entity.
    InsertCanonical {
        index: usize,
        canonical: CanonicalEntity,
    },
    /// Removes a canonical entity (refused while mentions point to it).
    RemoveCanonical { id: String },
    /// Renames the project.
    SetProjectName { name: String },
    /// Inserts a conflict record into document `doc`'s conflicts, or the
    /// project's when `doc` is `None`.
    InsertConflict {
        doc: Option<String>,
        index: usize,
        conflict: Box<Conflict>,
    },
    /// Removes a conflict record (the reviewer settled it).
    RemoveConflict { doc: Option<String>, id: String },
    /// Sets one field of a document, relation type or canonical entity to a
    /// value as the project file writes it (`None`: the field's default).
    /// Adjudication uses it to take one side's value of a field in conflict;
    /// identity fields (ids, keys, the text, annotations) are refused.
    SetField {
        target: FieldTarget,
        field: String,
        value: Option<serde_json::Value>,
    },
    /// Several edits as one undoable step, applied in order.
    Batch { label: String, edits: Vec<Edit> },
    /// Documents swapped for their versions in another state of the project:
    /// how a step prepared off the UI thread is applied, undone and redone
    /// (see [`Prepared`]). Only the edit layer makes one.
    Restore(Restore),
    /// The whole project swapped for another version of it: reloading the
    /// file after another program changed it, merging that version in, or
    /// restoring a recovery copy, each as one undoable step. Documents are
    /// shared (`Arc`), so the step and its inverse cost one pointer per
    /// document. The new project must be valid (loaded or merged from valid
    /// projects); it is not checked again.
    ReplaceProject {
        label: String,
        project: Box<Project>,
    },
}

/// What an [`Edit::SetField`] changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldTarget {
    /// The document with this id.
    Document(String),
    /// The relation type with this key.
    RelationType(String),
    /// The canonical entity with this id.
    CanonicalEntity(String),
}

/// Where a change is, so that undo and redo can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// The document.
    pub doc: String,
    /// What in it.
    pub target: FocusTarget,
}

/// The annotation a change concerns, or the span where one was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FocusTarget {
    /// An entity that exists.
    Entity(String),
    /// A claim that exists.
    Claim(String),
    /// A relation that exists.
    Relation(String),
    /// Code points where an annotation is about to appear.
    Span(usize, usize),
    /// The document as a whole (its status, say).
    Document,
}

impl Edit {
    /// Where this edit would change the project, described in the project
    /// as it is *before* the edit: an annotation it replaces or removes
    /// (there now), or the span of one it inserts (not there yet). Undo
    /// asks it of the next redo, redo of the next undo: that is the state
    /// the user sees after the step.
    pub fn focus_before(&self) -> Option<Focus> {
        let at = |doc: &str, target| {
            Some(Focus {
                doc: doc.to_owned(),
                target,
            })
        };
        match self {
            Edit::InsertEntity { doc, entity, .. } => {
                at(doc, FocusTarget::Span(entity.start, entity.end))
            }
            Edit::RemoveEntity { doc, id } => at(doc, FocusTarget::Entity(id.clone())),
            Edit::ReplaceEntity { doc, entity } => {
                at(doc, FocusTarget::Entity(entity.id.to_string()))
            }
            Edit::InsertClaim { doc, claim, .. } => {
                at(doc, FocusTarget::Span(claim.start, claim.end))
            }
            Edit::RemoveClaim { doc, id } => at(doc, FocusTarget::Claim(id.clone())),
            Edit::ReplaceClaim { doc, claim } => at(doc, FocusTarget::Claim(claim.id.to_string())),
            Edit::RemoveRelation { doc, id } => at(doc, FocusTarget::Relation(id.clone())),
            Edit::InsertRelation { doc, .. } | Edit::SetStatus { doc, .. } => {
                at(doc, FocusTarget::Document)
            }
            Edit::Batch { edits, .. } => edits.iter().find_map(Edit::focus_before),
            Edit::Restore(restore) => restore.focus().cloned(),
            _ => self
                .document()
                .and_then(|doc| at(doc, FocusTarget::Document)),
        }
    }

    /// The document this edit changes (the first one, for a batch), so that
    /// undo and redo can show where they happened.
    pub fn document(&self) -> Option<&str> {
        match self {
            Edit::InsertEntity { doc, .. }
            | Edit::RemoveEntity { doc, .. }
            | Edit::ReplaceEntity { doc, .. }
            | Edit::InsertClaim { doc, .. }
            | Edit::RemoveClaim { doc, .. }
            | Edit::ReplaceClaim { doc, .. }
            | Edit::InsertRelation { doc, .. }
            | Edit::RemoveRelation { doc, .. }
            | Edit::SetStatus { doc, .. } => Some(doc),
            Edit::InsertConflict { doc, .. } | Edit::RemoveConflict { doc, .. } => doc.as_deref(),
            Edit::SetField {
                target: FieldTarget::Document(doc),
                ..
            } => Some(doc),
            Edit::InsertDocument { document, .. } => Some(&document.id),
            Edit::RemoveDocument { id } => Some(id),
            Edit::Batch { edits, .. } => edits.iter().find_map(Edit::document),
            Edit::Restore(restore) => restore.documents().next().map(|d| d.id.as_str()),
            _ => None,
        }
    }
}

/// Why an edit could not be applied. The project is unchanged when this is
/// returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EditError {
    /// No document with this id.
    #[error("no document {0:?}")]
    NoDocument(String),
    /// An edit prepared from a snapshot, when the project has changed since.
    #[error("the project changed while the change was being prepared")]
    Stale,
    /// No annotation with this id.
    #[error("no annotation {0:?} in document {1:?}")]
    NoAnnotation(String, String),
    /// An id is taken already.
    #[error("id {0:?} is already used")]
    DuplicateId(String),
    /// A span does not fit the text or does not quote it.
    #[error("span {start}..{end} does not quote {quote:?} in document {doc:?}")]
    BadSpan {
        doc: String,
        start: usize,
        end: usize,
        quote: String,
    },
    /// An index is past the end.
    #[error("index {0} is out of range")]
    BadIndex(usize),
    /// Unknown type, or a type still in use.
    #[error("{0}")]
    Schema(String),
}

fn doc_mut<'p>(project: &'p mut Project, id: &str) -> Result<&'p mut Document, EditError> {
    project
        .documents
        .iter_mut()
        .find(|d| d.id == id)
        // Copies the document only while a snapshot (a save in flight) shares it.
        .map(std::sync::Arc::make_mut)
        .ok_or_else(|| EditError::NoDocument(id.to_owned()))
}

fn check_span(doc: &Document, start: usize, end: usize, quote: &str) -> Result<(), EditError> {
    match crate::model::span::char_slice(&doc.text, start, end) {
        Some(actual) if start < end && actual == quote => Ok(()),
        _ => Err(EditError::BadSpan {
            doc: doc.id.clone(),
            start,
            end,
            quote: quote.to_owned(),
        }),
    }
}

/// A claim's references must resolve, as loading will check: its cue quotes
/// the text, its claimant entity exists, its evidence spans quote their
/// documents.
fn check_claim(project: &Project, doc_id: &str, claim: &Claim) -> Result<(), EditError> {
    let doc = project
        .document(doc_id)
        .ok_or_else(|| EditError::NoDocument(doc_id.to_owned()))?;
    check_span(doc, claim.start, claim.end, &claim.text)?;
    if let Some(cue) = &claim.cue {
        check_span(doc, cue.start, cue.end, &cue.text)?;
    }
    if let Some(crate::model::Claimant::Entity(id)) = &claim.claimant
        && doc.entity(id).is_none()
    {
        return Err(EditError::NoAnnotation(id.to_string(), doc_id.to_owned()));
    }
    for evidence in &claim.evidence {
        if let crate::model::Evidence::Span {
            doc: target,
            start,
            end,
            text,
        } = evidence
        {
            let other = project
                .document(target)
                .ok_or_else(|| EditError::NoDocument(target.clone()))?;
            check_span(other, *start, *end, text)?;
        }
    }
    Ok(())
}

/// An entity's type and canonical entity must exist.
fn check_entity_refs(project: &Project, entity: &Entity) -> Result<(), EditError> {
    if project.schema.entity_type(&entity.label).is_none() {
        return Err(EditError::Schema(format!(
            "unknown entity type {:?}",
            entity.label
        )));
    }
    if let Some(canonical) = &entity.canonical
        && project.canonical(canonical).is_none()
    {
        return Err(EditError::Schema(format!(
            "unknown canonical entity {canonical:?}"
        )));
    }
    Ok(())
}

fn check_free_id(doc: &Document, id: &str) -> Result<(), EditError> {
    if doc.entity(id).is_some() || doc.claim(id).is_some() || doc.relation(id).is_some() {
        Err(EditError::DuplicateId(id.to_owned()))
    } else {
        Ok(())
    }
}

fn position<T>(
    items: &[T],
    doc: &str,
    id: &str,
    id_of: impl Fn(&T) -> &str,
) -> Result<usize, EditError> {
    items
        .iter()
        .position(|item| id_of(item) == id)
        .ok_or_else(|| EditError::NoAnnotation(id.to_owned(), doc.to_owned()))
}

/// An annotation that a conflict record names cannot be removed: the record
/// would point at nothing. Settling the conflict removes the record first.
fn check_not_in_conflict(doc: &Document, id: &str) -> Result<(), EditError> {
    match doc.conflicts.iter().find(|c| c.names_annotation(id)) {
        Some(c) => Err(EditError::Schema(format!(
            "{id:?} is a version in conflict {:?}; settle the conflict first",
            c.id
        ))),
        None => Ok(()),
    }
}

/// A schema type or canonical entity that a project conflict is about cannot
/// be removed while the conflict is recorded.
fn check_project_conflict(project: &Project, about: &ConflictAbout) -> Result<(), EditError> {
    match project.conflicts.iter().find(|c| c.about == *about) {
        Some(c) => Err(EditError::Schema(format!(
            "conflict {:?} is about it; settle the conflict first",
            c.id
        ))),
        None => Ok(()),
    }
}

/// Applies `edit` to `project` and returns the edit that undoes it. On error
/// the project is left as it was (a failing batch is rolled back).
pub fn apply(project: &mut Project, edit: Edit) -> Result<Edit, EditError> {
    Ok(match edit {
        Edit::InsertEntity { doc, index, entity } => {
            check_entity_refs(project, &entity)?;
            let d = doc_mut(project, &doc)?;
            check_free_id(d, &entity.id)?;
            check_span(d, entity.start, entity.end, &entity.text)?;
            if index > d.entities.len() {
                return Err(EditError::BadIndex(index));
            }
            let id = entity.id.clone();
            d.entities.insert(index, entity);
            Edit::RemoveEntity {
                doc,
                id: id.to_string(),
            }
        }
        Edit::RemoveEntity { doc, id } => {
            let d = doc_mut(project, &doc)?;
            let index = position(&d.entities, &doc, &id, |e| &e.id)?;
            let used_by_claim = d
                .claims
                .iter()
                .any(|c| c.claimant == Some(crate::model::Claimant::Entity(id.clone().into())));
            let used_by_relation = d.relations.iter().any(|r| r.from == id || r.to == id);
            if used_by_claim || used_by_relation {
                return Err(EditError::Schema(format!(
                    "entity {id:?} is still a claimant or relation end; remove those first"
                )));
            }
            check_not_in_conflict(d, &id)?;
            let entity = d.entities.remove(index);
            Edit::InsertEntity { doc, index, entity }
        }
        Edit::ReplaceEntity { doc, entity } => {
            check_entity_refs(project, &entity)?;
            let d = doc_mut(project, &doc)?;
            let index = position(&d.entities, &doc, &entity.id, |e| &e.id)?;
            check_span(d, entity.start, entity.end, &entity.text)?;
            let old = std::mem::replace(&mut d.entities[index], entity);
            Edit::ReplaceEntity { doc, entity: old }
        }
        Edit::InsertClaim { doc, index, claim } => {
            check_claim(project, &doc, &claim)?;
            let d = doc_mut(project, &doc)?;
            check_free_id(d, &claim.id)?;
            if index > d.claims.len() {
                return Err(EditError::BadIndex(index));
            }
            let id = claim.id.clone();
            d.claims.insert(index, *claim);
            Edit::RemoveClaim {
                doc,
                id: id.to_string(),
            }
        }
        Edit::RemoveClaim { doc, id } => {
            let d = doc_mut(project, &doc)?;
            let index = position(&d.claims, &doc, &id, |c| &c.id)?;
            if d.relations.iter().any(|r| r.from == id || r.to == id) {
                return Err(EditError::Schema(format!(
                    "claim {id:?} is still a relation end; remove the relation first"
                )));
            }
            check_not_in_conflict(d, &id)?;
            let claim = Box::new(d.claims.remove(index));
            Edit::InsertClaim { doc, index, claim }
        }
        Edit::ReplaceClaim { doc, claim } => {
            check_claim(project, &doc, &claim)?;
            let d = doc_mut(project, &doc)?;
            let index = position(&d.claims, &doc, &claim.id, |c| &c.id)?;
            let old = std::mem::replace(&mut d.claims[index], *claim);
            Edit::ReplaceClaim {
                doc,
                claim: Box::new(old),
            }
        }
        Edit::InsertRelation {
            doc,
            index,
            relation,
        } => {
            if project.schema.relation_type(&relation.label).is_none() {
                return Err(EditError::Schema(format!(
                    "unknown relation type {:?}",
                    relation.label
                )));
            }
            let d = doc_mut(project, &doc)?;
            check_free_id(d, &relation.id)?;
            for end in [&relation.from, &relation.to] {
                if !d.has_span_annotation(end) {
                    return Err(EditError::NoAnnotation(end.to_string(), doc.clone()));
                }
            }
            if index > d.relations.len() {
                return Err(EditError::BadIndex(index));
            }
            let id = relation.id.clone();
            d.relations.insert(index, relation);
            Edit::RemoveRelation {
                doc,
                id: id.to_string(),
            }
        }
        Edit::RemoveRelation { doc, id } => {
            let d = doc_mut(project, &doc)?;
            let index = position(&d.relations, &doc, &id, |r| &r.id)?;
            check_not_in_conflict(d, &id)?;
            let relation = d.relations.remove(index);
            Edit::InsertRelation {
                doc,
                index,
                relation,
            }
        }
        Edit::SetStatus { doc, status } => {
            let d = doc_mut(project, &doc)?;
            let old = std::mem::replace(&mut d.status, status);
            Edit::SetStatus { doc, status: old }
        }
        edit @ (Edit::InsertDocument { .. } | Edit::RemoveDocument { .. }) => {
            apply_document_edit(project, edit, &mut DocumentRun::new(project))?
        }
        Edit::InsertEntityType { index, entity_type } => {
            if entity_type.key.trim().is_empty() {
                return Err(EditError::Schema("an entity type needs a key".to_owned()));
            }
            if let Some(hotkey) = entity_type.hotkey
                && project.schema.entity_type_for_hotkey(hotkey).is_some()
            {
                return Err(EditError::Schema(format!(
                    "hotkey {hotkey:?} is already bound"
                )));
            }
            if project.schema.entity_type(&entity_type.key).is_some() {
                return Err(EditError::DuplicateId(entity_type.key.clone()));
            }
            if index > project.schema.entity_types.len() {
                return Err(EditError::BadIndex(index));
            }
            let key = entity_type.key.clone();
            project.schema.entity_types.insert(index, entity_type);
            Edit::RemoveEntityType { key }
        }
        Edit::RemoveEntityType { key } => {
            let in_use = project
                .documents
                .iter()
                .any(|d| d.entities.iter().any(|e| e.label == key))
                || project.canonical_entities.iter().any(|c| c.label == key);
            if in_use {
                return Err(EditError::Schema(format!(
                    "entity type {key:?} is still used by annotations"
                )));
            }
            check_project_conflict(project, &ConflictAbout::EntityType(key.clone()))?;
            let index = project
                .schema
                .entity_types
                .iter()
                .position(|t| t.key == key)
                .ok_or_else(|| EditError::Schema(format!("unknown entity type {key:?}")))?;
            let entity_type = project.schema.entity_types.remove(index);
            Edit::InsertEntityType { index, entity_type }
        }
        Edit::ReplaceEntityType { key, entity_type } => {
            let index = project
                .schema
                .entity_types
                .iter()
                .position(|t| t.key == key)
                .ok_or_else(|| EditError::Schema(format!("unknown entity type {key:?}")))?;
            let new_key = entity_type.key.clone();
            if new_key != key && project.schema.entity_type(&new_key).is_some() {
                return Err(EditError::DuplicateId(new_key));
            }
            if new_key.trim().is_empty() {
                return Err(EditError::Schema("an entity type needs a key".to_owned()));
            }
            if let Some(hotkey) = entity_type.hotkey
                && project
                    .schema
                    .entity_types
                    .iter()
                    .any(|t| t.key != key && t.hotkey == Some(hotkey))
            {
                return Err(EditError::Schema(format!(
                    "hotkey {hotkey:?} is already bound"
                )));
            }
            let old = std::mem::replace(&mut project.schema.entity_types[index], entity_type);
            if new_key != key {
                // Only documents that use the key are written (and copied
                // while a snapshot shares them).
                for d in project
                    .documents
                    .iter_mut()
                    .filter(|d| d.entities.iter().any(|e| e.label == key))
                {
                    let d = std::sync::Arc::make_mut(d);
                    for e in d.entities.iter_mut().filter(|e| e.label == key) {
                        e.label = new_key.as_str().into();
                    }
                }
                for c in project
                    .canonical_entities
                    .iter_mut()
                    .filter(|c| c.label == key)
                {
                    c.label.clone_from(&new_key);
                }
                for c in &mut project.conflicts {
                    if c.about == ConflictAbout::EntityType(key.clone()) {
                        c.about = ConflictAbout::EntityType(new_key.clone());
                    }
                }
            }
            Edit::ReplaceEntityType {
                key: new_key,
                entity_type: old,
            }
        }
        Edit::InsertRelationType {
            index,
            relation_type,
        } => {
            if project.schema.relation_type(&relation_type.key).is_some() {
                return Err(EditError::DuplicateId(relation_type.key.clone()));
            }
            if index > project.schema.relation_types.len() {
                return Err(EditError::BadIndex(index));
            }
            let key = relation_type.key.clone();
            project.schema.relation_types.insert(index, relation_type);
            Edit::RemoveRelationType { key }
        }
        Edit::RemoveRelationType { key } => {
            if project
                .documents
                .iter()
                .any(|d| d.relations.iter().any(|r| r.label == key))
            {
                return Err(EditError::Schema(format!(
                    "relation type {key:?} is still used"
                )));
            }
            let index = project
                .schema
                .relation_types
                .iter()
                .position(|t| t.key == key)
                .ok_or_else(|| EditError::Schema(format!("unknown relation type {key:?}")))?;
            check_project_conflict(project, &ConflictAbout::RelationType(key.clone()))?;
            let relation_type = project.schema.relation_types.remove(index);
            Edit::InsertRelationType {
                index,
                relation_type,
            }
        }
        Edit::InsertCanonical { index, canonical } => {
            if project.canonical(&canonical.id).is_some() {
                return Err(EditError::DuplicateId(canonical.id.clone()));
            }
            if index > project.canonical_entities.len() {
                return Err(EditError::BadIndex(index));
            }
            let id = canonical.id.clone();
            project.canonical_entities.insert(index, canonical);
            Edit::RemoveCanonical { id }
        }
        Edit::RemoveCanonical { id } => {
            if project.documents.iter().any(|d| {
                d.entities
                    .iter()
                    .any(|e| e.canonical.as_deref() == Some(&id))
            }) {
                return Err(EditError::Schema(format!(
                    "canonical entity {id:?} still has mentions"
                )));
            }
            let index = project
                .canonical_entities
                .iter()
                .position(|c| c.id == id)
                .ok_or_else(|| EditError::Schema(format!("unknown canonical entity {id:?}")))?;
            check_project_conflict(project, &ConflictAbout::CanonicalEntity(id.clone()))?;
            let canonical = project.canonical_entities.remove(index);
            Edit::InsertCanonical { index, canonical }
        }
        Edit::SetProjectName { name } => {
            let old = std::mem::replace(&mut project.name, name);
            Edit::SetProjectName { name: old }
        }
        Edit::InsertConflict {
            doc,
            index,
            conflict,
        } => {
            let list = match &doc {
                Some(id) => {
                    let d = doc_mut(project, id)?;
                    if !conflict.about.is_in_document() {
                        return Err(EditError::Schema(
                            "a conflict about the project belongs in the project's list".to_owned(),
                        ));
                    }
                    if let Some(missing) = conflict
                        .annotation_ids()
                        .find(|a| !d.has_span_annotation(a) && d.relation(a).is_none())
                    {
                        return Err(EditError::NoAnnotation(missing.to_owned(), id.clone()));
                    }
                    &mut d.conflicts
                }
                None => {
                    if conflict.about.is_in_document() {
                        return Err(EditError::Schema(
                            "a conflict about a document belongs in that document's list"
                                .to_owned(),
                        ));
                    }
                    &mut project.conflicts
                }
            };
            if list.iter().any(|c| c.id == conflict.id) {
                return Err(EditError::DuplicateId(conflict.id.clone()));
            }
            if index > list.len() {
                return Err(EditError::BadIndex(index));
            }
            let id = conflict.id.clone();
            list.insert(index, *conflict);
            Edit::RemoveConflict { doc, id }
        }
        Edit::RemoveConflict { doc, id } => {
            let list = match &doc {
                Some(d) => &mut doc_mut(project, d)?.conflicts,
                None => &mut project.conflicts,
            };
            let index = list.iter().position(|c| c.id == id).ok_or_else(|| {
                EditError::NoAnnotation(id.clone(), doc.clone().unwrap_or_default())
            })?;
            let conflict = Box::new(list.remove(index));
            Edit::InsertConflict {
                doc,
                index,
                conflict,
            }
        }
        Edit::SetField {
            target,
            field,
            value,
        } => set_field(project, target, field, value)?,
        Edit::Batch { label, edits } => {
            let mut inverses = Vec::with_capacity(edits.len());
            // Consecutive document inserts and removals (an import of
            // thousands of articles, or its undo) share one index of ids and
            // citations instead of scanning every document each.
            let mut run: Option<DocumentRun> = None;
            for edit in edits {
                let applied = match edit {
                    edit @ (Edit::InsertDocument { .. } | Edit::RemoveDocument { .. }) => {
                        let run = run.get_or_insert_with(|| DocumentRun::new(project));
                        apply_document_edit(project, edit, run)
                    }
                    edit => {
                        // Any other edit may change ids or citations.
                        run = None;
                        apply(project, edit)
                    }
                };
                match applied {
                    Ok(inverse) => inverses.push(inverse),
                    Err(error) => {
                        // Roll back what this batch did so far.
                        for inverse in inverses.into_iter().rev() {
                            let _ = apply(project, inverse);
                        }
                        return Err(error);
                    }
                }
            }
            inverses.reverse();
            Edit::Batch {
                label,
                edits: inverses,
            }
        }
        Edit::Restore(restore) => Edit::Restore(restore.apply(project)?),
        Edit::ReplaceProject {
            label,
            project: mut other,
        } => {
            std::mem::swap(project, &mut *other);
            Edit::ReplaceProject {
                label,
                project: other,
            }
        }
    })
}

/// The document ids of a project and, per id, how many evidence spans of
/// other documents cite it: what inserting and removing documents checks.
struct DocumentRun {
    ids: std::collections::HashSet<String>,
    cited: std::collections::HashMap<String, usize>,
}

impl DocumentRun {
    fn new(project: &Project) -> Self {
        let mut run = Self {
            ids: std::collections::HashSet::with_capacity(project.documents.len()),
            cited: std::collections::HashMap::new(),
        };
        for doc in &project.documents {
            run.add(doc);
        }
        run
    }

    /// The documents `doc` cites, other than itself.
    fn citations(doc: &Document) -> impl Iterator<Item = &str> {
        doc.claims
            .iter()
            .flat_map(|c| &c.evidence)
            .filter_map(|e| match e {
                crate::model::Evidence::Span { doc: cited, .. } => Some(cited.as_str()),
                _ => None,
            })
            .filter(move |cited| *cited != doc.id)
    }

    fn add(&mut self, doc: &Document) {
        self.ids.insert(doc.id.clone());
        for cited in Self::citations(doc) {
            *self.cited.entry(cited.to_owned()).or_default() += 1;
        }
    }

    fn remove(&mut self, doc: &Document) {
        self.ids.remove(&doc.id);
        for cited in Self::citations(doc) {
            if let Some(count) = self.cited.get_mut(cited) {
                *count = count.saturating_sub(1);
            }
        }
    }
}

/// Applies an [`Edit::InsertDocument`] or [`Edit::RemoveDocument`] checked
/// against `run`, which it keeps up to date.
fn apply_document_edit(
    project: &mut Project,
    edit: Edit,
    run: &mut DocumentRun,
) -> Result<Edit, EditError> {
    match edit {
        Edit::InsertDocument { index, document } => {
            if run.ids.contains(&document.id) {
                return Err(EditError::DuplicateId(document.id.clone()));
            }
            if index > project.documents.len() {
                return Err(EditError::BadIndex(index));
            }
            run.add(&document);
            let id = document.id.clone();
            project
                .documents
                .insert(index, std::sync::Arc::new(*document));
            Ok(Edit::RemoveDocument { id })
        }
        Edit::RemoveDocument { id } => {
            if run.cited.get(&id).is_some_and(|n| *n > 0) {
                return Err(EditError::Schema(format!(
                    "document {id:?} is cited as evidence by claims of other documents"
                )));
            }
            // Undoing an import removes the last document first.
            let index = match project.documents.last() {
                Some(last) if last.id == id => project.documents.len() - 1,
                _ => project
                    .document_index(&id)
                    .ok_or_else(|| EditError::NoDocument(id.clone()))?,
            };
            let document = Box::new(std::sync::Arc::unwrap_or_clone(
                project.documents.remove(index),
            ));
            run.remove(&document);
            Ok(Edit::InsertDocument { index, document })
        }
        other => apply(project, other),
    }
}

/// Fields [`Edit::SetField`] never changes: identities and what has edits
/// of its own.
const IDENTITY_FIELDS: &[&str] = &[
    "id",
    "key",
    "content_hash",
    "text",
    "entities",
    "claims",
    "relations",
    "conflicts",
];

/// `item` with `field` set to `value` (removed for `None`), through its
/// serialised form; returns the new item and the field's old value.
pub(crate) fn with_field<T: serde::Serialize + serde::de::DeserializeOwned>(
    item: &T,
    field: &str,
    value: Option<serde_json::Value>,
) -> Result<(T, Option<serde_json::Value>), EditError> {
    let bad = |why: String| EditError::Schema(format!("field {field:?}: {why}"));
    let mut map = match serde_json::to_value(item) {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(_) => return Err(bad("not a record".to_owned())),
        Err(e) => return Err(bad(e.to_string())),
    };
    let old = match value {
        Some(value) => map.insert(field.to_owned(), value),
        None => map.remove(field),
    };
    let new = serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| bad(format!("invalid value ({e})")))?;
    Ok((new, old))
}

fn set_field(
    project: &mut Project,
    target: FieldTarget,
    field: String,
    value: Option<serde_json::Value>,
) -> Result<Edit, EditError> {
    if IDENTITY_FIELDS.contains(&field.as_str()) {
        return Err(EditError::Schema(format!(
            "field {field:?} cannot be set this way"
        )));
    }
    let old = match &target {
        FieldTarget::Document(id) => {
            let d = doc_mut(project, id)?;
            // Only the document's own fields go through the round trip: the
            // text and annotations are moved aside and back untouched.
            let text = std::mem::take(&mut d.text);
            let entities = std::mem::take(&mut d.entities);
            let claims = std::mem::take(&mut d.claims);
            let relations = std::mem::take(&mut d.relations);
            let conflicts = std::mem::take(&mut d.conflicts);
            let result = with_field(&*d, &field, value);
            let (mut new, old) = match result {
                Ok((new, old)) => (new, Ok(old)),
                Err(e) => (d.clone(), Err(e)),
            };
            new.text = text;
            new.entities = entities;
            new.claims = claims;
            new.relations = relations;
            new.conflicts = conflicts;
            *d = new;
            old?
        }
        FieldTarget::RelationType(key) => {
            let index = project
                .schema
                .relation_types
                .iter()
                .position(|t| t.key == *key)
                .ok_or_else(|| EditError::Schema(format!("unknown relation type {key:?}")))?;
            let (new, old) = with_field(&project.schema.relation_types[index], &field, value)?;
            project.schema.relation_types[index] = new;
            old
        }
        FieldTarget::CanonicalEntity(id) => {
            let index = project
                .canonical_entities
                .iter()
                .position(|c| c.id == *id)
                .ok_or_else(|| EditError::Schema(format!("unknown canonical entity {id:?}")))?;
            let (new, old) = with_field(&project.canonical_entities[index], &field, value)?;
            if project.schema.entity_type(&new.label).is_none() {
                return Err(EditError::Schema(format!(
                    "unknown entity type {:?}",
                    new.label
                )));
            }
            project.canonical_entities[index] = new;
            old
        }
    };
    Ok(Edit::SetField {
        target,
        field,
        value: old,
    })
}
