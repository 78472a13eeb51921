//! Adding an imported project to an open one: new types, canonical
//! entities and documents as one undoable edit, ids renamed on clashes,
//! documents already present (same text) skipped and counted.

use std::collections::{HashMap, HashSet};

use super::FormatError;
use crate::model::{Evidence, Project};

/// What merging an imported project added and left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// Documents added.
    pub added: usize,
    /// Documents skipped because the project (or an earlier document of the
    /// same import) has the same text.
    pub skipped: usize,
}

/// Adds an imported project to `project` through the edit layer; see
/// [`merge_edit`].
pub fn merge_into(project: &mut Project, imported: Project) -> Result<Merged, FormatError> {
    let (edit, merged) = merge_edit(project, imported);
    let Some(edit) = edit else { return Ok(merged) };
    crate::edit::apply(project, edit).map_err(|e| FormatError(e.to_string()))?;
    Ok(merged)
}

/// The edit that adds an imported project's types, canonical entities and
/// documents to `project`. Document and canonical ids that clash get a new id
/// (and the references to them follow); a canonical entity identical to one
/// of the project's (same id, name and type) is shared rather than copied.
/// A document whose text the project already has (same content hash) is
/// skipped and counted, so importing the same data twice adds nothing.
pub fn merge_edit(project: &Project, imported: Project) -> (Option<crate::edit::Edit>, Merged) {
    use crate::edit::Edit;
    let mut edits = Vec::new();
    let mut types = project.schema.entity_types.len();
    for t in imported.schema.entity_types {
        if project.schema.entity_type(&t.key).is_none() {
            let mut t = t;
            if t.hotkey
                .is_some_and(|h| project.schema.entity_type_for_hotkey(h).is_some())
            {
                t.hotkey = None;
            }
            edits.push(Edit::InsertEntityType {
                index: types,
                entity_type: t,
            });
            types += 1;
        }
    }
    let mut relation_types = project.schema.relation_types.len();
    for t in imported.schema.relation_types {
        if project.schema.relation_type(&t.key).is_none() {
            edits.push(Edit::InsertRelationType {
                index: relation_types,
                relation_type: t,
            });
            relation_types += 1;
        }
    }
    let mut canonical_ids: HashMap<String, String> = HashMap::new();
    let mut canonical_taken: HashSet<String> = project
        .canonical_entities
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let mut canonical_index = project.canonical_entities.len();
    for mut canonical in imported.canonical_entities {
        if project
            .canonical(&canonical.id)
            .is_some_and(|c| c.name == canonical.name && c.label == canonical.label)
        {
            canonical_ids.insert(canonical.id.clone(), canonical.id);
            continue;
        }
        let old = canonical.id.clone();
        if canonical_taken.contains(&canonical.id) {
            canonical.id = (1..)
                .map(|n| format!("k{n}"))
                .find(|id| !canonical_taken.contains(id))
                .unwrap_or(old.clone());
        }
        canonical_taken.insert(canonical.id.clone());
        canonical_ids.insert(old, canonical.id.clone());
        edits.push(Edit::InsertCanonical {
            index: canonical_index,
            canonical,
        });
        canonical_index += 1;
    }
    let mut taken: HashSet<String> = project.documents.iter().map(|d| d.id.clone()).collect();
    let mut document_ids: HashMap<String, String> = HashMap::new();
    // Text already present: its document id, so evidence follows it.
    let mut by_hash: HashMap<String, String> = project
        .documents
        .iter()
        .map(|d| (d.content_hash.clone(), d.id.clone()))
        .collect();
    let mut duplicates: HashSet<usize> = HashSet::new();
    for (n, document) in imported.documents.iter().enumerate() {
        if let Some(existing) = by_hash.get(&document.content_hash) {
            document_ids.insert(document.id.clone(), existing.clone());
            duplicates.insert(n);
            continue;
        }
        let mut id = document.id.clone();
        if taken.contains(&id) {
            id = (2..)
                .map(|n| format!("{}-{n}", document.id))
                .find(|id| !taken.contains(id))
                .unwrap_or(id);
        }
        taken.insert(id.clone());
        by_hash.insert(document.content_hash.clone(), id.clone());
        document_ids.insert(document.id.clone(), id);
    }
    let merged = Merged {
        added: imported.documents.len() - duplicates.len(),
        skipped: duplicates.len(),
    };
    let kept = imported
        .documents
        .into_iter()
        .enumerate()
        .filter(|(n, _)| !duplicates.contains(n))
        .map(|(_, d)| std::sync::Arc::unwrap_or_clone(d));
    for (index, mut document) in (project.documents.len()..).zip(kept) {
        if let Some(id) = document_ids.get(&document.id) {
            document.id.clone_from(id);
        }
        for entity in &mut document.entities {
            if let Some(id) = entity
                .canonical
                .as_ref()
                .and_then(|c| canonical_ids.get(c.as_str()))
            {
                entity.canonical = Some(id.clone().into());
            }
        }
        for claim in &mut document.claims {
            for evidence in &mut claim.evidence {
                if let Evidence::Span { doc, .. } = evidence
                    && let Some(id) = document_ids.get(doc.as_str())
                {
                    doc.clone_from(id);
                }
            }
        }
        edits.push(Edit::InsertDocument {
            index,
            document: Box::new(document),
        });
    }
    let edit = (!edits.is_empty()).then(|| Edit::Batch {
        label: "import dataset".to_owned(),
        edits,
    });
    (edit, merged)
}
