//! Rejected annotations left out of what leaves the project (exports),
//! with a count of what went with them: a model-level filter that the
//! formats and the review code both use.

use crate::model::{Claimant, CompactString, Project, Review};

/// Whether any annotation of `project` was rejected in review.
pub fn has_rejected(project: &Project) -> bool {
    project.documents.iter().any(|d| {
        d.entities.iter().any(|e| e.review == Review::Rejected)
            || d.claims.iter().any(|c| c.review == Review::Rejected)
    })
}

/// `project` without its rejected annotations, for exports, and how many
/// were left out. Relations that touch a rejected annotation go too; a
/// claim whose claimant mention was rejected keeps the claimant's words.
pub fn without_rejected(project: &Project) -> (Project, usize) {
    let (copy, left) = without_rejected_counted(project);
    (copy, left.annotations)
}

/// What leaving rejected annotations out took with them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Rejected entities and claims.
    pub annotations: usize,
    /// Relations not rejected themselves that ended at a rejected one.
    pub relations: usize,
    /// Claimants that named a rejected entity, kept as its words.
    pub claimant_links: usize,
}

/// [`without_rejected`], counting everything that went with the rejected
/// annotations, so that an export can say so.
pub fn without_rejected_counted(project: &Project) -> (Project, LeftOut) {
    let mut copy = project.clone();
    let mut left = LeftOut::default();
    if !has_rejected(project) {
        return (copy, left);
    }
    let mut removed = 0;
    for doc in &mut copy.documents {
        let rejected: std::collections::HashSet<CompactString> = doc
            .entities
            .iter()
            .filter(|e| e.review == Review::Rejected)
            .map(|e| e.id.clone())
            .chain(
                doc.claims
                    .iter()
                    .filter(|c| c.review == Review::Rejected)
                    .map(|c| c.id.clone()),
            )
            .collect();
        if rejected.is_empty() {
            continue;
        }
        // Only documents with rejected annotations are copied.
        let doc = std::sync::Arc::make_mut(doc);
        removed += rejected.len();
        let words: std::collections::HashMap<CompactString, CompactString> = doc
            .entities
            .iter()
            .filter(|e| rejected.contains(e.id.as_str()))
            .map(|e| (e.id.clone(), e.text.clone()))
            .collect();
        doc.entities.retain(|e| !rejected.contains(e.id.as_str()));
        doc.claims.retain(|c| !rejected.contains(c.id.as_str()));
        let relations_before = doc.relations.len();
        doc.relations
            .retain(|r| !rejected.contains(r.from.as_str()) && !rejected.contains(r.to.as_str()));
        left.relations += relations_before - doc.relations.len();
        for claim in &mut doc.claims {
            if let Some(Claimant::Entity(id)) = &claim.claimant
                && let Some(text) = words.get(id.as_str())
            {
                claim.claimant = Some(Claimant::Text(text.clone()));
                left.claimant_links += 1;
            }
        }
    }
    left.annotations = removed;
    (copy, left)
}
