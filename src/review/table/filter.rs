//! Filters over the rows: what the pane's filter fields mean, compiled
//! once per view.

use super::*;

/// A text filter as typed: empty passes everything, `"words"` in double
/// quotes must be the whole value, anything else a part of it; case is
/// ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextMatch {
    /// No filter.
    Any,
    /// The value contains this (lowercase).
    Contains(String),
    /// The value is exactly this (lowercase); `""` means no value.
    Exact(String),
}

impl TextMatch {
    /// Reads what the user typed.
    pub fn parse(typed: &str) -> Self {
        let trimmed = typed.trim();
        if trimmed.is_empty() {
            return TextMatch::Any;
        }
        match trimmed
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
        {
            Some(exact) => TextMatch::Exact(exact.to_lowercase()),
            None => TextMatch::Contains(trimmed.to_lowercase()),
        }
    }

    /// What to type to match `value` exactly.
    pub fn exact(value: &str) -> String {
        format!("\"{value}\"")
    }

    pub(super) fn matches_lower(&self, lower: Option<&str>) -> bool {
        match self {
            TextMatch::Any => true,
            TextMatch::Contains(part) => lower.is_some_and(|l| l.contains(part.as_str())),
            TextMatch::Exact(whole) => lower.unwrap_or("") == whole,
        }
    }

    /// Whether `text` (any case) matches; non-ASCII text is lowercased
    /// into `scratch`.
    pub(super) fn matches_text(&self, text: &str, scratch: &mut String) -> bool {
        match self {
            TextMatch::Any => true,
            TextMatch::Contains(part) => contains_lower(text, part, scratch),
            TextMatch::Exact(whole) => equals_lower(text, whole, scratch),
        }
    }

    pub(super) fn matches(&self, value: Option<&str>) -> bool {
        match self {
            TextMatch::Any => true,
            // Lowercasing allocates: only values that could match pay for it.
            _ => self.matches_lower(value.map(str::to_lowercase).as_deref()),
        }
    }
}

/// What the Annotations pane shows: each field narrows the rows; the default
/// passes everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this document's rows (by index): the pane's "this document" scope.
    pub document: Option<usize>,
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only this type (exact name).
    pub label: Option<String>,
    /// The annotation's text ([`TextMatch`] syntax).
    pub text: String,
    /// A claim's claimant ([`TextMatch`] syntax; `""` for claims without one).
    pub claimant: String,
    /// Only claims with this verdict (`Some(None)`: claims without one).
    pub verdict: Option<Option<Verdict>>,
    /// Only this annotator's entities and claims (`Some(None)`: those
    /// nobody is recorded for).
    pub annotator: Option<Option<String>>,
    /// Only entities and claims in this review state.
    pub review: Option<Review>,
    /// The document's id or title ([`TextMatch`] syntax).
    pub doc_text: String,
    /// Only documents with this status.
    pub status: Option<Status>,
}

impl Filter {
    /// Whether any column filter is set (the scope alone does not count:
    /// it shows a document's annotations, it does not pick among them).
    pub fn is_active(&self) -> bool {
        let unscoped = Filter {
            document: None,
            ..self.clone()
        };
        unscoped != Filter::default()
    }
}

/// Which claimant names pass `claimant`, then whether having none does:
/// each name is lowercased once, not once per row.
pub(super) fn claimants(table: &Table, claimant: TextMatch) -> Option<Vec<bool>> {
    (claimant != TextMatch::Any).then(|| {
        table
            .claimants
            .iter()
            .map(|name| claimant.matches(Some(name)))
            .chain([claimant.matches(None)])
            .collect()
    })
}

/// The filter made ready to test rows: strings parsed and names resolved
/// to the table's indices once, not per row.
pub(super) struct Compiled {
    pub(super) kind: Option<Kind>,
    /// `Some(None)`: the type is not in the table, nothing passes.
    pub(super) label: Option<Option<u32>>,
    pub(super) text: TextMatch,
    /// Whether each claimant name passes, the last entry for none (None:
    /// no claimant filter).
    pub(super) claimants: Option<Vec<bool>>,
    pub(super) verdict: Option<Option<Verdict>>,
    pub(super) annotator: Option<Option<Option<u32>>>,
    pub(super) review: Option<Review>,
    /// Documents that pass the status and document filters (None: all).
    pub(super) documents: Option<Vec<bool>>,
}

impl Compiled {
    pub(super) fn new(table: &Table, filter: &Filter) -> Self {
        let find = |names: &[String], name: &str| {
            names
                .binary_search_by(|n| n.as_str().cmp(name))
                .ok()
                .map(|i| i as u32)
        };
        let doc_text = TextMatch::parse(&filter.doc_text);
        let documents = (filter.status.is_some() || doc_text != TextMatch::Any).then(|| {
            table
                .documents
                .iter()
                .map(|d| {
                    filter.status.is_none_or(|s| d.status == s)
                        && match &doc_text {
                            TextMatch::Exact(whole) => {
                                d.id.to_lowercase() == *whole || d.title.to_lowercase() == *whole
                            }
                            other => other.matches_lower(Some(&d.search)),
                        }
                })
                .collect()
        });
        Self {
            kind: filter.kind,
            label: filter.label.as_deref().map(|l| find(&table.labels, l)),
            text: TextMatch::parse(&filter.text),
            claimants: claimants(table, TextMatch::parse(&filter.claimant)),
            verdict: filter.verdict,
            annotator: filter
                .annotator
                .as_ref()
                .map(|a| a.as_deref().map(|name| find(&table.annotators, name))),
            review: filter.review,
            documents,
        }
    }

    pub(super) fn matches(&self, table: &Table, row: &Row, scratch: &mut String) -> bool {
        if self.kind.is_some_and(|k| k != row.kind) {
            return false;
        }
        if let Some(label) = self.label
            && label != Some(row.label)
        {
            return false;
        }
        if let Some(documents) = &self.documents
            && !documents.get(row.doc as usize).copied().unwrap_or(false)
        {
            return false;
        }
        if self.review.is_some() && self.review != row.review {
            return false;
        }
        // Verdicts and claimants belong to claims; annotators to entities
        // and claims: "none" must not pick up kinds that cannot have one.
        if let Some(verdict) = self.verdict
            && (row.kind != Kind::Claim || row.verdict != verdict)
        {
            return false;
        }
        if let Some(annotator) = self.annotator {
            let passes = match annotator {
                None => row.kind != Kind::Relation && row.annotator == NONE,
                Some(None) => false,
                Some(Some(a)) => row.annotator == a,
            };
            if !passes {
                return false;
            }
        }
        if let Some(claimants) = &self.claimants {
            let index = if row.claimant == NONE {
                claimants.len().saturating_sub(1)
            } else {
                row.claimant as usize
            };
            if row.kind != Kind::Claim || !claimants.get(index).copied().unwrap_or(false) {
                return false;
            }
        }
        self.text == TextMatch::Any || self.text.matches_text(table.text(row), scratch)
    }
}
