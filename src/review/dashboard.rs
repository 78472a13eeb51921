//! The dashboard's numbers, UI-free: progress by document status, entity
//! mentions per type, claims per claimant and per verdict, annotations per
//! annotator and review progress. One pass over the project; the app
//! computes it off the UI thread and keeps it per project state.

use std::collections::HashMap;

use crate::model::{Claimant, Project, Review, Status, Verdict};

/// Counts over one project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// Number of documents.
    pub documents: usize,
    /// Documents per status, in workflow order (every status, even at 0).
    pub by_status: Vec<(Status, usize)>,
    /// Entity mentions per type key: the schema's types in schema order
    /// (even at 0), then types the schema lacks, by name.
    pub entities_by_type: Vec<(String, usize)>,
    /// Number of claims.
    pub claims: usize,
    /// Claims per claimant as people read it (`None`: no claimant), most
    /// first, then by name.
    pub claims_by_claimant: Vec<(Option<String>, usize)>,
    /// Claims per verdict, in [`Verdict::ALL`] order, then claims with none.
    pub claims_by_verdict: Vec<(Option<Verdict>, usize)>,
    /// Entities and claims per annotator (`None`: nobody recorded), most
    /// first, then by name. Relations record no annotator.
    pub by_annotator: Vec<(Option<String>, usize)>,
    /// Entities and claims per review state, in [`super::table::REVIEWS`]
    /// order.
    pub review: Vec<(Review, usize)>,
    /// Entities and claims per reviewer (who accepted, rejected or kept
    /// them when settling a disagreement), most first, then by name.
    pub by_reviewer: Vec<(String, usize)>,
    /// Disagreement and conflict records still to settle.
    pub unsettled: usize,
}

impl Dashboard {
    /// Counts `project`.
    pub fn of(project: &Project) -> Self {
        let mut by_status: HashMap<Status, usize> = HashMap::new();
        let mut by_type: HashMap<&str, usize> = HashMap::new();
        let mut by_claimant: HashMap<Option<&str>, usize> = HashMap::new();
        let mut by_verdict: HashMap<Option<Verdict>, usize> = HashMap::new();
        let mut by_annotator: HashMap<Option<&str>, usize> = HashMap::new();
        let mut by_review: HashMap<Review, usize> = HashMap::new();
        let mut by_reviewer: HashMap<Option<&str>, usize> = HashMap::new();
        let mut claims = 0;
        for doc in &project.documents {
            *by_status.entry(doc.status).or_default() += 1;
            for e in &doc.entities {
                *by_type.entry(&e.label).or_default() += 1;
                *by_annotator.entry(e.annotator.as_deref()).or_default() += 1;
                *by_review.entry(e.review).or_default() += 1;
                if let Some(who) = &e.reviewer {
                    *by_reviewer.entry(Some(who.as_str())).or_default() += 1;
                }
            }
            for c in &doc.claims {
                claims += 1;
                let claimant = match &c.claimant {
                    Some(Claimant::Entity(id)) => doc.entity(id).map(|e| e.text.as_str()),
                    Some(Claimant::Text(text)) => Some(text.as_str()),
                    None => None,
                };
                *by_claimant.entry(claimant).or_default() += 1;
                *by_verdict.entry(c.verdict).or_default() += 1;
                *by_annotator.entry(c.annotator.as_deref()).or_default() += 1;
                *by_review.entry(c.review).or_default() += 1;
                if let Some(who) = &c.reviewer {
                    *by_reviewer.entry(Some(who.as_str())).or_default() += 1;
                }
            }
        }
        let mut entities_by_type: Vec<(String, usize)> = project
            .schema
            .entity_types
            .iter()
            .map(|t| (t.key.clone(), by_type.remove(t.key.as_str()).unwrap_or(0)))
            .collect();
        let mut unknown: Vec<(String, usize)> = by_type
            .into_iter()
            .map(|(k, n)| (k.to_owned(), n))
            .collect();
        unknown.sort();
        entities_by_type.extend(unknown);
        let mut claims_by_verdict: Vec<(Option<Verdict>, usize)> = Verdict::ALL
            .iter()
            .map(|v| (Some(*v), by_verdict.get(&Some(*v)).copied().unwrap_or(0)))
            .collect();
        claims_by_verdict.push((None, by_verdict.get(&None).copied().unwrap_or(0)));
        Self {
            documents: project.documents.len(),
            by_status: Status::ALL
                .iter()
                .map(|s| (*s, by_status.get(s).copied().unwrap_or(0)))
                .collect(),
            entities_by_type,
            claims,
            claims_by_claimant: most_first(by_claimant),
            claims_by_verdict,
            by_annotator: most_first(by_annotator),
            review: super::table::REVIEWS
                .iter()
                .map(|r| (*r, by_review.get(r).copied().unwrap_or(0)))
                .collect(),
            by_reviewer: most_first(by_reviewer)
                .into_iter()
                .filter_map(|(who, n)| Some((who?, n)))
                .collect(),
            unsettled: project.conflict_count(),
        }
    }

    /// Entities and claims: what review progress counts.
    pub fn reviewable(&self) -> usize {
        self.review.iter().map(|(_, n)| n).sum()
    }
}

/// Counts by name, most first, then by name (`None` last among equals).
fn most_first(counts: HashMap<Option<&str>, usize>) -> Vec<(Option<String>, usize)> {
    let mut out: Vec<(Option<String>, usize)> = counts
        .into_iter()
        .map(|(k, n)| (k.map(str::to_owned), n))
        .collect();
    out.sort_by(|(a, n), (b, m)| {
        m.cmp(n)
            .then_with(|| a.is_none().cmp(&b.is_none()))
            .then_with(|| a.cmp(b))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Document, Entity};

    #[test]
    fn counts_a_small_project_by_hand() {
        let mut p = Project::new("p");
        // d1 (done): Kim PER by ann (accepted), Seoul GPE by bob (rejected),
        // Moon PER by ann; claims: Kim's (refutes, ann), Kim's again (no
        // verdict, nobody), "the ministry"'s (refutes, ann, discuss).
        let mut d1 = Document::new("d1", "t", "Kim met Moon in Seoul. Talks.");
        d1.status = Status::Done;
        let mut kim = Entity::new("e1", "PER", 0, 3, "Kim");
        kim.annotator = Some("ann".into());
        kim.review = Review::Accepted;
        kim.reviewer = Some("rev".into());
        let mut seoul = Entity::new("e2", "GPE", 16, 21, "Seoul");
        seoul.annotator = Some("bob".into());
        seoul.review = Review::Rejected;
        seoul.reviewer = Some("rev".into());
        let mut moon = Entity::new("e3", "PER", 8, 12, "Moon");
        moon.annotator = Some("ann".into());
        d1.entities.extend([kim, seoul, moon]);
        let mut c1 = Claim::new("c1", 0, 21, "Kim met Moon in Seoul");
        c1.claimant = Some(Claimant::Entity("e1".into()));
        c1.verdict = Some(Verdict::Refutes);
        c1.annotator = Some("ann".into());
        let mut c2 = Claim::new("c2", 23, 29, "Talks.");
        c2.claimant = Some(Claimant::Entity("e1".into()));
        let mut c3 = Claim::new("c3", 0, 3, "Kim");
        c3.claimant = Some(Claimant::Text("the ministry".into()));
        c3.verdict = Some(Verdict::Refutes);
        c3.annotator = Some("ann".into());
        c3.review = Review::Discuss;
        c3.reviewer = Some("ann".into());
        d1.claims.extend([c1, c2, c3]);
        // d2 (new): one mention of a type the schema lacks, and a claim
        // with no claimant.
        let mut d2 = Document::new("d2", "t", "Xyz. Words.");
        d2.entities.push(Entity::new("e1", "WEAPON", 0, 3, "Xyz"));
        d2.claims.push(Claim::new("c1", 5, 11, "Words."));
        p.documents.extend([d1, d2].map(std::sync::Arc::new));

        let d = Dashboard::of(&p);
        assert_eq!(d.documents, 2);
        assert_eq!(
            d.by_status,
            [
                (Status::New, 1),
                (Status::InProgress, 0),
                (Status::Done, 1),
                (Status::Reviewed, 0)
            ]
        );
        // Schema order (PER, ORG, GPE, LOC, DATE, EVENT, MISC), then WEAPON.
        let types: Vec<(&str, usize)> = d
            .entities_by_type
            .iter()
            .map(|(k, n)| (k.as_str(), *n))
            .collect();
        assert_eq!(types.first(), Some(&("PER", 2)));
        assert!(types.contains(&("GPE", 1)));
        assert!(types.contains(&("ORG", 0)));
        assert_eq!(types.last(), Some(&("WEAPON", 1)));
        assert_eq!(d.claims, 4);
        // Kim 2; then 1 each: "the ministry" before "no claimant".
        assert_eq!(
            d.claims_by_claimant,
            [
                (Some("Kim".to_owned()), 2),
                (Some("the ministry".to_owned()), 1),
                (None, 1)
            ]
        );
        assert_eq!(
            d.claims_by_verdict,
            [
                (Some(Verdict::Supports), 0),
                (Some(Verdict::Refutes), 2),
                (Some(Verdict::NotEnoughInfo), 0),
                (None, 2)
            ]
        );
        // ann: Kim, Moon, c1, c3 = 4; nobody: c2, Xyz, Words = 3; bob: 1.
        assert_eq!(
            d.by_annotator,
            [
                (Some("ann".to_owned()), 4),
                (None, 3),
                (Some("bob".to_owned()), 1)
            ]
        );
        // 4 entities + 4 claims = 8: accepted Kim, rejected Seoul,
        // discuss c3, the other 5 unreviewed.
        assert_eq!(
            d.review,
            [
                (Review::Unreviewed, 5),
                (Review::Accepted, 1),
                (Review::Rejected, 1),
                (Review::Discuss, 1)
            ]
        );
        assert_eq!(d.reviewable(), 8);
        // Who decided: rev the two entities, ann the discussion.
        assert_eq!(
            d.by_reviewer,
            [("rev".to_owned(), 2), ("ann".to_owned(), 1)]
        );
        assert_eq!(d.unsettled, 0);
    }

    #[test]
    fn dashboard_agrees_with_the_table_on_the_generated_project() {
        use super::super::table::{Filter, Sort, Table};
        let project = crate::sample::large_project(30, 3000);
        let d = Dashboard::of(&project);
        let table = Table::build(&project);
        for (label, n) in &d.entities_by_type {
            let filter = Filter {
                kind: Some(super::super::table::Kind::Entity),
                label: Some(label.clone()),
                ..Filter::default()
            };
            assert_eq!(table.view(&filter, Sort::default()).len(), *n, "{label}");
        }
        for (review, n) in &d.review {
            let filter = Filter {
                review: Some(*review),
                ..Filter::default()
            };
            assert_eq!(table.view(&filter, Sort::default()).len(), *n);
        }
        assert_eq!(
            d.reviewable()
                + project
                    .documents
                    .iter()
                    .map(|x| x.relations.len())
                    .sum::<usize>(),
            table.rows.len()
        );
    }
}
