//! Counts per entity type, claim field and document status.

use std::collections::BTreeMap;

use serde_json::json;

use crate::model::{Project, Status};

/// Counts over one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Project name.
    pub name: String,
    /// Number of documents.
    pub documents: usize,
    /// Documents per status, in workflow order.
    pub by_status: Vec<(Status, usize)>,
    /// Entity mentions per type key (schema order, then unknown keys).
    pub entities_by_type: Vec<(String, usize)>,
    /// Number of claims.
    pub claims: usize,
    /// Claims per attribution.
    pub claims_by_attribution: BTreeMap<String, usize>,
    /// Number of relations.
    pub relations: usize,
    /// Number of canonical entities.
    pub canonical_entities: usize,
    /// Characters over all documents.
    pub characters: usize,
}

impl Stats {
    /// Counts `project`.
    pub fn of(project: &Project) -> Self {
        let by_status = Status::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    project.documents.iter().filter(|d| d.status == *s).count(),
                )
            })
            .collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for e in project.documents.iter().flat_map(|d| &d.entities) {
            *counts.entry(e.label.as_str()).or_default() += 1;
        }
        let mut entities_by_type: Vec<(String, usize)> = project
            .schema
            .entity_types
            .iter()
            .map(|t| (t.key.clone(), counts.remove(t.key.as_str()).unwrap_or(0)))
            .collect();
        entities_by_type.extend(counts.into_iter().map(|(k, n)| (k.to_owned(), n)));
        let mut claims_by_attribution = BTreeMap::new();
        for c in project.documents.iter().flat_map(|d| &d.claims) {
            *claims_by_attribution
                .entry(c.attribution.name().to_owned())
                .or_default() += 1;
        }
        Self {
            name: project.name.clone(),
            documents: project.documents.len(),
            by_status,
            entities_by_type,
            claims: project.documents.iter().map(|d| d.claims.len()).sum(),
            claims_by_attribution,
            relations: project.documents.iter().map(|d| d.relations.len()).sum(),
            canonical_entities: project.canonical_entities.len(),
            characters: project
                .documents
                .iter()
                .map(|d| d.text.chars().count())
                .sum(),
        }
    }

    /// Total entity mentions.
    pub fn entities(&self) -> usize {
        self.entities_by_type.iter().map(|(_, n)| n).sum()
    }

    /// JSON for scripts; has a `documents` count.
    pub fn to_json(&self) -> serde_json::Value {
        let status: serde_json::Map<String, serde_json::Value> = self
            .by_status
            .iter()
            .map(|(s, n)| (s.name().to_owned(), json!(n)))
            .collect();
        let types: serde_json::Map<String, serde_json::Value> = self
            .entities_by_type
            .iter()
            .map(|(k, n)| (k.clone(), json!(n)))
            .collect();
        json!({
            "name": self.name,
            "documents": self.documents,
            "status": status,
            "entities": self.entities(),
            "entities_by_type": types,
            "claims": self.claims,
            "claims_by_attribution": self.claims_by_attribution,
            "relations": self.relations,
            "canonical_entities": self.canonical_entities,
            "characters": self.characters,
        })
    }

    /// A plain-text table for people.
    pub fn to_table(&self) -> String {
        let mut out = format!("{}\n  documents  {:>7}\n", self.name, self.documents);
        for (status, n) in &self.by_status {
            out.push_str(&format!("    {:<12}{n:>6}\n", status.name()));
        }
        out.push_str(&format!("  entities   {:>7}\n", self.entities()));
        for (key, n) in &self.entities_by_type {
            out.push_str(&format!("    {key:<12}{n:>6}\n"));
        }
        out.push_str(&format!("  claims     {:>7}\n", self.claims));
        for (name, n) in &self.claims_by_attribution {
            out.push_str(&format!("    {name:<16}{n:>2}\n"));
        }
        out.push_str(&format!(
            "  relations  {:>7}\n  canonical  {:>7}\n",
            self.relations, self.canonical_entities
        ));
        out
    }
}
