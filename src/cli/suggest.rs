//! `gloss suggest`: suggestions learned from the project, for pipelines.

use super::*;

/// `gloss suggest`: trains on the Done and Reviewed documents and proposes
/// entities for the others.
pub(super) fn suggest(
    path: &Path,
    doc_ids: &[String],
    json: bool,
    apply_to: Option<&Path>,
    force: bool,
    min_score: f64,
) -> ExitCode {
    let target = match apply_to {
        Some(out) => match output::check_file(out, Some(path), false, force) {
            Ok(target) => Some(target),
            Err(e) => return fail(CANNOT_WRITE, e),
        },
        None => None,
    };
    let mut project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(unknown) = doc_ids.iter().find(|id| project.document(id).is_none()) {
        return fail(
            INVALID,
            format!("{}: no document {unknown:?}", path.display()),
        );
    }
    let stale: usize = project
        .documents
        .iter()
        .map(|d| crate::suggest::stale_decisions(d))
        .sum();
    if stale > 0 {
        errln!(
            "gloss: {}: {} ignored: no longer matching the text (the file was edited by hand)",
            path.display(),
            plural(stale, "suggestion decision")
        );
    }
    let recommender = crate::suggest::Recommender::train(&project);
    if recommender.is_empty() {
        errln!(
            "gloss: {}: nothing to learn from yet: annotate some documents and mark them Done",
            path.display()
        );
    }
    let wanted = |id: &str| doc_ids.is_empty() || doc_ids.iter().any(|d| d == id);
    let mut found: Vec<(String, crate::suggest::Suggestion)> = Vec::new();
    for doc in &project.documents {
        if crate::suggest::is_training(doc) || !wanted(&doc.id) {
            continue;
        }
        for s in recommender.suggest(doc, min_score) {
            found.push((doc.id.clone(), s));
        }
    }
    let trained = recommender.trained();
    if json {
        let suggestions: Vec<serde_json::Value> = found
            .iter()
            .map(|(doc, s)| {
                serde_json::json!({
                    "doc": doc,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "text": s.text,
                    "score": (s.score * 10_000.0).round() / 10_000.0,
                    "source": s.source.name(),
                })
            })
            .collect();
        outln!(
            "{}",
            serde_json::json!({
                "trained_on": {"documents": trained.documents, "entities": trained.entities},
                "suggestions": suggestions,
            })
        );
    } else if apply_to.is_none() {
        for (doc, s) in &found {
            outln!(
                "{doc}\t{}\t{}\t{}\t{:.2}\t{}\t{}",
                s.start,
                s.end,
                s.label,
                s.score,
                s.source.name(),
                s.text
            );
        }
        errln!(
            "gloss: {} (learned from {} with {})",
            plural(found.len(), "suggestion"),
            plural(trained.documents, "document"),
            crate::model::plural(trained.entities, "annotation")
        );
    }
    let Some(target) = target else {
        return ExitCode::SUCCESS;
    };
    let added = crate::suggest::apply_suggestions(&mut project, &found);
    project.modified = Some(edit::now());
    let held = match lock(&target, Duration::ZERO) {
        Ok(held) => held,
        Err(code) => return code,
    };
    if let Err(code) = save_locked(&project, &target, &held) {
        return code;
    }
    errln!(
        "gloss: {}: wrote {} as unreviewed entities by gloss-suggest",
        target.display(),
        plural(added, "suggestion")
    );
    ExitCode::SUCCESS
}
