//! Recorded disagreements and merge conflicts: what `gloss merge` could not
//! settle on its own, kept in the project so that it stays valid and a
//! reviewer can walk through each one later.
//!
//! Competing versions of annotations are kept *live* in the document (each
//! one an ordinary entity, claim or relation, so the article view shows it and
//! loading checks it); the record names them. Competing values of anything
//! else (a document's status, an entity type's colour) are stored in the
//! record itself.

use serde::{Deserialize, Serialize};

/// One thing a reviewer has to settle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// Id, unique among the conflicts of its list (`x1`, `x2`…).
    pub id: String,
    /// Two annotators disagree, or two branches changed the same thing.
    pub kind: ConflictKind,
    /// What the versions are versions of.
    pub about: ConflictAbout,
    /// The fields the versions differ in (`label`, `verdict`, `span`,
    /// `status`, `color`); empty when a version lacks the thing altogether.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The competing versions, the one kept in place first.
    #[serde(default)]
    pub versions: Vec<ConflictVersion>,
}

/// How a conflict came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConflictKind {
    /// Two annotators' projects differ (`gloss merge A B`): adjudication input.
    Disagreement,
    /// Both sides of a three-way merge changed the same thing differently
    /// (`gloss merge --base`).
    Conflict,
}

/// What a conflict is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConflictAbout {
    /// Annotations of the document: each version names its annotations.
    Annotations,
    /// The document itself: a field (`fields`) or, with no field, whether it
    /// exists at all (one version deleted it).
    Document,
    /// A field of the project (`name`).
    Project,
    /// The entity type with this key.
    EntityType(String),
    /// The relation type with this key.
    RelationType(String),
    /// The canonical entity with this id.
    CanonicalEntity(String),
}

impl ConflictAbout {
    /// Whether a conflict about this lives in a document's list (otherwise
    /// in the project's).
    pub fn is_in_document(&self) -> bool {
        matches!(self, ConflictAbout::Annotations | ConflictAbout::Document)
    }
}

/// One side's version.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConflictVersion {
    /// Where it comes from: `ours`, `theirs`, or the name of a merged file.
    pub side: String,
    /// Who made it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
    /// For annotations: the ids of this version's annotations in the
    /// document (none: this side has no such annotation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<String>,
    /// For anything else: this side's value of the one field in `fields`
    /// (absent: the field is empty on this side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// This side deleted the thing.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Conflict {
    /// Every annotation id the versions name.
    pub fn annotation_ids(&self) -> impl Iterator<Item = &str> {
        self.versions
            .iter()
            .flat_map(|v| v.annotations.iter().map(String::as_str))
    }

    /// Whether a version names the annotation `id`.
    pub fn names_annotation(&self, id: &str) -> bool {
        self.about == ConflictAbout::Annotations && self.annotation_ids().any(|a| a == id)
    }
}

/// A conflict id not used yet in `conflicts`.
pub fn next_conflict_id(conflicts: &[Conflict]) -> String {
    super::next_numbered_id("x", conflicts.iter().map(|c| c.id.as_str()))
}
