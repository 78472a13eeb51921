//! Review as pure operations: the edit that sets an annotation's review
//! state, the next or previous annotation still to review, and the copy of
//! a project that exports use, with rejected annotations left out.

use crate::edit::Edit;
pub use crate::model::rejected::{
    LeftOut, has_rejected, without_rejected, without_rejected_counted,
};
use crate::model::{Document, RareText, Review};

/// An entity or a claim of a document, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reviewed {
    /// An entity.
    Entity(String),
    /// A claim.
    Claim(String),
}

/// The edit that gives `target` the review state `review` (undoable like
/// every edit); `None` when the target is not in `doc` or already has it.
/// A comment the annotation had goes with its old state.
pub fn set_review(doc: &Document, target: &Reviewed, review: Review) -> Option<Edit> {
    set_review_with_comment(doc, target, review, None)
}

/// [`set_review`] with a reviewer's comment, kept only with
/// [`Review::Discuss`] ("needs discussion: why"); an empty comment is none.
pub fn set_review_with_comment(
    doc: &Document,
    target: &Reviewed,
    review: Review,
    comment: Option<String>,
) -> Option<Edit> {
    let comment = comment
        .map(|c| RareText::from(c.trim()))
        .filter(|c| !c.is_empty() && review == Review::Discuss);
    match target {
        Reviewed::Entity(id) => {
            let entity = doc.entity(id)?;
            (entity.review != review || entity.review_comment != comment).then(|| {
                Edit::ReplaceEntity {
                    doc: doc.id.clone(),
                    entity: crate::model::Entity {
                        review,
                        review_comment: comment,
                        ..entity.clone()
                    },
                }
            })
        }
        Reviewed::Claim(id) => {
            let claim = doc.claims.iter().find(|c| c.id == id)?;
            (claim.review != review || claim.review_comment != comment).then(|| {
                Edit::ReplaceClaim {
                    doc: doc.id.clone(),
                    claim: Box::new(crate::model::Claim {
                        review,
                        review_comment: comment,
                        ..claim.clone()
                    }),
                }
            })
        }
    }
}

/// The entities and claims of `doc` in reading order (start, then end).
fn in_reading_order(doc: &Document) -> Vec<(usize, usize, Reviewed, Review)> {
    let mut all: Vec<(usize, usize, Reviewed, Review)> = doc
        .entities
        .iter()
        .map(|e| (e.start, e.end, Reviewed::Entity(e.id.to_string()), e.review))
        .chain(
            doc.claims
                .iter()
                .map(|c| (c.start, c.end, Reviewed::Claim(c.id.to_string()), c.review)),
        )
        .collect();
    all.sort_by_key(|(start, end, ..)| (*start, *end));
    all
}

/// The next (or previous) annotation of `doc` still unreviewed, after (or
/// before) `from` in reading order; from the start (or end) without one.
pub fn next_unreviewed(doc: &Document, from: Option<&Reviewed>, forward: bool) -> Option<Reviewed> {
    let all = in_reading_order(doc);
    let here = from.and_then(|f| all.iter().position(|(_, _, r, _)| r == f));
    let candidates: Box<dyn Iterator<Item = &(usize, usize, Reviewed, Review)>> =
        match (forward, here) {
            (true, Some(i)) => Box::new(all.iter().skip(i + 1)),
            (true, None) => Box::new(all.iter()),
            (false, Some(i)) => Box::new(all.iter().take(i).rev()),
            (false, None) => Box::new(all.iter().rev()),
        };
    candidates
        .filter(|(.., review)| *review == Review::Unreviewed)
        .map(|(_, _, r, _)| r.clone())
        .next()
}

/// How many annotations of `doc` are still unreviewed.
pub fn unreviewed_count(doc: &Document) -> usize {
    doc.entities
        .iter()
        .filter(|e| e.review == Review::Unreviewed)
        .count()
        + doc
            .claims
            .iter()
            .filter(|c| c.review == Review::Unreviewed)
            .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rejected::without_rejected;
    use crate::model::{Claim, Claimant, Entity, Project, Relation};

    fn doc() -> Document {
        let mut doc = Document::new("d1", "t", "Kim said Putin will come.");
        doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
        doc.entities.push(Entity::new("e2", "PER", 9, 14, "Putin"));
        let mut claim = Claim::new("c1", 9, 24, "Putin will come");
        claim.claimant = Some(Claimant::Entity("e1".into()));
        doc.claims.push(claim);
        doc.relations.push(Relation::new("r1", "Alias", "e1", "e2"));
        doc
    }

    #[test]
    fn review_states_are_edits_and_navigation_skips_reviewed_ones() {
        let mut project = Project::new("p");
        project.documents.push(doc().into());
        let first = next_unreviewed(&project.documents[0], None, true);
        assert_eq!(first, Some(Reviewed::Entity("e1".into())));
        let edit = set_review(
            &project.documents[0],
            &Reviewed::Entity("e1".into()),
            Review::Accepted,
        )
        .expect("a change");
        let undo = crate::edit::apply(&mut project, edit).expect("applies");
        assert_eq!(project.documents[0].entities[0].review, Review::Accepted);
        assert_eq!(unreviewed_count(&project.documents[0]), 2);
        // Reading order: e1 (0), e2 (9..14), c1 (9..24).
        assert_eq!(
            next_unreviewed(&project.documents[0], None, true),
            Some(Reviewed::Entity("e2".into()))
        );
        assert_eq!(
            next_unreviewed(
                &project.documents[0],
                Some(&Reviewed::Entity("e2".into())),
                true
            ),
            Some(Reviewed::Claim("c1".into()))
        );
        assert_eq!(
            next_unreviewed(
                &project.documents[0],
                Some(&Reviewed::Claim("c1".into())),
                false
            ),
            Some(Reviewed::Entity("e2".into()))
        );
        assert!(
            set_review(
                &project.documents[0],
                &Reviewed::Entity("e1".into()),
                Review::Accepted
            )
            .is_none()
        );
        crate::edit::apply(&mut project, undo).expect("undo applies");
        assert_eq!(project.documents[0].entities[0].review, Review::Unreviewed);
    }

    #[test]
    fn a_discussion_carries_a_comment_that_goes_with_the_state() {
        let mut project = Project::new("p");
        project.documents.push(doc().into());
        let target = Reviewed::Claim("c1".into());
        let edit = set_review_with_comment(
            &project.documents[0],
            &target,
            Review::Discuss,
            Some("  who said it?  ".into()),
        )
        .expect("a change");
        let undo = crate::edit::apply(&mut project, edit).expect("applies");
        let claim = &project.documents[0].claims[0];
        assert_eq!(claim.review, Review::Discuss);
        assert_eq!(claim.review_comment.as_deref(), Some("who said it?"));
        // The same state with another comment is a change; the same is not.
        assert!(
            set_review_with_comment(
                &project.documents[0],
                &target,
                Review::Discuss,
                Some("who said it?".into())
            )
            .is_none()
        );
        // Accepting drops the comment with the Discuss state.
        let accept =
            set_review(&project.documents[0], &target, Review::Accepted).expect("a change");
        let undo_accept = crate::edit::apply(&mut project, accept).expect("applies");
        assert_eq!(project.documents[0].claims[0].review_comment, None);
        crate::edit::apply(&mut project, undo_accept).expect("undo applies");
        assert_eq!(
            project.documents[0].claims[0].review_comment.as_deref(),
            Some("who said it?")
        );
        crate::edit::apply(&mut project, undo).expect("undo applies");
        assert_eq!(project.documents[0].claims[0].review_comment, None);
        // A comment with another state is not kept.
        let reject = set_review_with_comment(
            &project.documents[0],
            &Reviewed::Entity("e1".into()),
            Review::Rejected,
            Some("nope".into()),
        );
        let Some(Edit::ReplaceEntity { entity, .. }) = reject else {
            panic!("a replace");
        };
        assert_eq!(entity.review_comment, None);
    }

    #[test]
    fn exports_leave_rejected_annotations_out_and_keep_the_rest_consistent() {
        let mut project = Project::new("p");
        let mut d = doc();
        d.entities[0].review = Review::Rejected;
        project.documents.push(d.into());
        let (copy, removed) = without_rejected(&project);
        assert_eq!(removed, 1);
        let d = &copy.documents[0];
        assert_eq!(d.entities.len(), 1);
        assert!(
            d.relations.is_empty(),
            "the relation to the rejected entity goes"
        );
        assert_eq!(d.claims[0].claimant, Some(Claimant::Text("Kim".into())));
        assert!(crate::model::validate::validate(&copy).is_empty());
    }
}
