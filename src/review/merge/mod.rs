//! Merging projects, as pure functions over [`Project`] values.
//!
//! - [`merge`]: two annotators' copies of a project (adjudication input).
//!   Documents are matched by their text (content hash). Annotations both
//!   agree on (same span, type and every other field but id and annotator)
//!   are kept once; every other annotation of both sides is carried into the
//!   result, its `annotator` filled in, and grouped with what it competes
//!   with (overlapping spans of the same kind) in a
//!   [`ConflictKind::Disagreement`] record.
//! - [`merge3`]: a three-way merge of two branches with their common base,
//!   as a git merge driver does. Annotations are matched by id (Gloss keeps
//!   ids stable), fields merged one by one; what both sides changed
//!   differently becomes a [`ConflictKind::Conflict`] record.
//!
//! The rules, in full, are in `docs/format.md` ("Merging"). The result always
//! passes [`crate::model::validate::validate`] when the inputs do.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::model::conflict::next_conflict_id;
use crate::model::{
    CanonicalEntity, Claim, Claimant, CompactString, Conflict, ConflictAbout, ConflictKind,
    ConflictVersion, Document, Entity, EntityType, Evidence, Project, Relation, RelationType,
    Status,
};

/// What a merge did, for the command line to tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Documents in the result.
    pub documents: usize,
    /// Documents found on both sides (same text).
    pub matched: usize,
    /// Ids (in the result) of documents only the first side (A, ours) has
    /// or added.
    pub only_first: Vec<String>,
    /// Ids (in the result) of documents only the second side (B, theirs)
    /// has or added.
    pub only_second: Vec<String>,
    /// Ids of documents deleted by one side and left untouched by the other.
    pub deleted: Vec<String>,
    /// Annotations both sides agree on (two-way) or that merged cleanly.
    pub agreed: usize,
    /// Conflict records this merge made.
    pub new_conflicts: usize,
    /// Conflict records in the result: those made now and those the inputs
    /// carried unsettled.
    pub remaining: usize,
    /// Other things worth saying: renamed ids, dropped hotkeys.
    pub notes: Vec<String>,
}

impl Report {
    /// Whether nothing is left for a reviewer to settle.
    pub fn is_clean(&self) -> bool {
        self.remaining == 0
    }
}

/// How the two sides are called in conflict records and messages.
#[derive(Debug, Clone, Copy)]
pub struct Sides<'a> {
    /// The first side: A, or ours.
    pub first: &'a str,
    /// The second side: B, or theirs.
    pub second: &'a str,
}

/// Two-way merge of two annotators' projects, called `A` and `B`.
pub fn merge(a: &Project, b: &Project) -> (Project, Report) {
    merge_named(
        a,
        b,
        Sides {
            first: "A",
            second: "B",
        },
    )
}

/// Three-way merge of `ours` and `theirs` with their common `base`; the
/// sides are called `ours` and `theirs`.
pub fn merge3(base: &Project, ours: &Project, theirs: &Project) -> (Project, Report) {
    merge3_named(
        base,
        ours,
        theirs,
        Sides {
            first: "ours",
            second: "theirs",
        },
    )
}

mod documents;
mod fields;
mod items;
mod schema;
mod three_way;
mod two_way;

use documents::*;
use fields::*;
use items::*;
use schema::*;
use two_way::*;

pub use three_way::merge3_named;
pub use two_way::merge_named;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::validate;

    const TEXT: &str = "Kim Jong Un met Putin in Moscow on Monday, officials said.";

    fn project(entities: &[(&str, &str, usize, usize)]) -> Project {
        let mut p = Project::new("t");
        let mut d = Document::new("d1", "Talks", TEXT);
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

    #[test]
    fn fields_merge_against_the_base() {
        let m = |pairs: &[(&str, i64)]| -> Map<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
                .collect()
        };
        let base = m(&[("a", 1), ("b", 1), ("c", 1)]);
        let ours = m(&[("a", 2), ("b", 1), ("c", 3)]);
        let theirs = m(&[("a", 1), ("b", 2), ("c", 4)]);
        let f = merge_fields(Some(&base), &ours, &theirs, &[]);
        assert_eq!(f.ours, m(&[("a", 2), ("b", 2), ("c", 3)]));
        assert_eq!(f.theirs, m(&[("a", 2), ("b", 2), ("c", 4)]));
        assert_eq!(f.conflicts, ["c"]);
    }

    #[test]
    fn span_fields_merge_as_one() {
        let base = project(&[("e1", "PER", 0, 11)]);
        let mut ours = base.clone();
        let mut theirs = base.clone();
        // Ours moves the start, theirs the end: one span each, a conflict.
        std::sync::Arc::make_mut(&mut ours.documents[0]).entities[0] =
            Entity::new("e1", "PER", 4, 11, "Jong Un");
        std::sync::Arc::make_mut(&mut theirs.documents[0]).entities[0] =
            Entity::new("e1", "PER", 0, 8, "Kim Jong");
        let (merged, report) = merge3(&base, &ours, &theirs);
        valid(&merged);
        assert_eq!(report.new_conflicts, 1);
        assert_eq!(merged.documents[0].conflicts[0].fields, ["span"]);
    }

    #[test]
    fn ids_are_fresh_and_keep_their_prefix() {
        let mut ids = Ids::new(["e1".to_owned(), "T3".to_owned()], ["e7".to_owned()]);
        assert_eq!(ids.keep_or_fresh("e2", "e"), "e2");
        assert_eq!(ids.keep_or_fresh("e1", "e"), "e8");
        assert_eq!(ids.keep_or_fresh("T3", "e"), "T4");
        assert_eq!(ids.keep_or_fresh("x", "e"), "x");
        assert_eq!(ids.keep_or_fresh("x", "e"), "e9");
    }

    #[test]
    fn two_way_renames_references_once() {
        // B's e1 agrees with A's e5; B's own e5 is new and must move, but a
        // claim of B naming e1 must end on A's e5, not on B's moved e5.
        let mut a = project(&[("e5", "PER", 0, 11)]);
        let mut b = project(&[("e1", "PER", 0, 11), ("e5", "PER", 16, 21)]);
        let mut claim = Claim::new("c1", 0, 21, "Kim Jong Un met Putin");
        claim.claimant = Some(Claimant::Entity("e1".into()));
        std::sync::Arc::make_mut(&mut b.documents[0])
            .claims
            .push(claim.clone());
        claim.claimant = Some(Claimant::Entity("e5".into()));
        std::sync::Arc::make_mut(&mut a.documents[0])
            .claims
            .push(claim);
        let (merged, report) = merge(&a, &b);
        valid(&merged);
        let doc = &merged.documents[0];
        assert_eq!(doc.claims.len(), 1, "the claims agree: {:?}", doc.claims);
        assert_eq!(report.agreed, 2);
        assert_eq!(doc.entities.len(), 2);
        assert_eq!(doc.conflicts.len(), 1);
    }

    #[test]
    fn two_way_groups_overlapping_spans() {
        let a = project(&[("e1", "PER", 0, 11), ("e2", "GPE", 25, 31)]);
        let b = project(&[
            ("e1", "PER", 0, 8),
            ("e2", "GPE", 25, 31),
            ("e3", "PER", 16, 21),
        ]);
        let (merged, report) = merge(&a, &b);
        valid(&merged);
        assert_eq!(report.agreed, 1);
        let doc = &merged.documents[0];
        // e1 of A and B's "Kim Jong" compete; B's Putin stands alone.
        assert_eq!(doc.conflicts.len(), 2);
        assert_eq!(doc.entities.len(), 4);
    }
}
