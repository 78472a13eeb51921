//! Quality and speed of suggestions on a held-out set, for
//! `docs/suggestions.md`:
//!
//! ```sh
//! cargo build --release --no-default-features --features bench-tools --bin gloss-bench-suggest
//! target/release/gloss-bench-suggest TRAIN.jsonl DEV.jsonl [--sizes 10,50,200,707] [--min-score X]
//! ```
//!
//! Both files are Gloss JSONL (`../shared/corpus/ner/`). For each size N it
//! trains on the first N training documents, suggests for every development
//! document (with no annotations of its own) and scores the suggestions as
//! the CoNLL shared task did: an entity counts when start, end and label all
//! match; micro precision, recall and F1. It prints one JSON object with the
//! learning curve, per-type figures for the largest size, and the time to
//! train plus suggest.

use std::collections::{BTreeMap, HashSet};
use std::process::ExitCode;
use std::time::Instant;

use gloss::model::Document;
use gloss::suggest::{DEFAULT_MIN_SCORE, Recommender};
use serde_json::json;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(train), Some(dev)) = (args.first(), args.get(1)) else {
        eprintln!(
            "usage: gloss-bench-suggest TRAIN.jsonl DEV.jsonl [--sizes 10,50,200,707] [--min-score X]"
        );
        return ExitCode::from(2);
    };
    let mut sizes = vec![10, 50, 200, 707];
    let mut min_score = DEFAULT_MIN_SCORE;
    let mut it = args.iter().skip(2);
    while let Some(arg) = it.next() {
        match (arg.as_str(), it.next()) {
            ("--sizes", Some(list)) => {
                sizes = list.split(',').filter_map(|s| s.parse().ok()).collect();
            }
            ("--min-score", Some(x)) => min_score = x.parse().unwrap_or(min_score),
            _ => {
                eprintln!("unknown argument {arg}");
                return ExitCode::from(2);
            }
        }
    }
    let read = |path: &str| -> Result<Vec<Document>, String> {
        let imported =
            gloss::formats::import(gloss::formats::Format::Jsonl, &[std::path::Path::new(path)])
                .map_err(|e| e.to_string())?;
        Ok(imported
            .project
            .documents
            .iter()
            .map(|d| (**d).clone())
            .collect())
    };
    let (train, dev) = match (read(train), read(dev)) {
        (Ok(t), Ok(d)) => (t, d),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let unannotated: Vec<Document> = dev
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.entities.clear();
            d.claims.clear();
            d.relations.clear();
            d
        })
        .collect();
    let mut curve = Vec::new();
    let mut per_type = serde_json::Value::Null;
    for &n in &sizes {
        let n = n.min(train.len());
        let docs: Vec<&Document> = train.iter().take(n).collect();
        let started = Instant::now();
        let recommender = Recommender::train_on(&docs);
        let trained_ms = started.elapsed().as_secs_f64() * 1000.0;
        let suggested: Vec<Vec<gloss::suggest::Suggestion>> = unannotated
            .iter()
            .map(|d| recommender.suggest(d, min_score))
            .collect();
        let total_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut by_type: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        for (doc, found) in dev.iter().zip(&suggested) {
            let gold: HashSet<(usize, usize, &str)> = doc
                .entities
                .iter()
                .map(|e| (e.start, e.end, e.label.as_str()))
                .collect();
            for e in &doc.entities {
                by_type.entry(e.label.to_string()).or_default().1 += 1;
            }
            for s in found {
                let entry = by_type.entry(s.label.clone()).or_default();
                entry.2 += 1;
                if gold.contains(&(s.start, s.end, s.label.as_str())) {
                    entry.0 += 1;
                }
            }
        }
        let f1 = |(tp, gold, found): (usize, usize, usize)| {
            let (p, r, f) = gloss::suggest::precision_recall_f1(tp, found, gold);
            json!({"precision": round(p), "recall": round(r), "f1": round(f)})
        };
        let all = by_type
            .values()
            .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
        eprintln!("{n} documents: {} in {total_ms:.0} ms", f1(all));
        curve.push(json!({
            "documents": n,
            "score": f1(all),
            "train_ms": trained_ms.round(),
            "train_and_suggest_ms": total_ms.round(),
        }));
        per_type = by_type
            .iter()
            .map(|(label, counts)| (label.clone(), f1(*counts)))
            .collect::<serde_json::Map<_, _>>()
            .into();
    }
    // The app's retrain after one more document is marked Done: the
    // recommender trained on all but the last training document, then
    // retrained with it.
    let mut project = gloss::model::Project::new("bench");
    let all = sizes.iter().copied().max().unwrap_or(0).min(train.len());
    for doc in train.iter().take(all.saturating_sub(1)) {
        let mut doc = doc.clone();
        doc.status = gloss::model::Status::Done;
        project.documents.push(doc.into());
    }
    let before = Recommender::train(&project);
    if let Some(doc) = train.get(all.saturating_sub(1)) {
        let mut doc = doc.clone();
        doc.status = gloss::model::Status::Done;
        project.documents.push(doc.into());
    }
    // Five times, as the machine's speed comes and goes: the median and the
    // slowest.
    let mut times = Vec::new();
    let mut after = Recommender::retrain(Some(&before), &project);
    for _ in 0..5 {
        let started = Instant::now();
        after = Recommender::retrain(Some(&before), &project);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let retrain_ms = times[times.len() / 2];
    let slowest_ms = times[times.len() - 1];
    let (mut hits, mut found, mut gold_count) = (0, 0, 0);
    for (doc, blank) in dev.iter().zip(&unannotated) {
        let gold: HashSet<(usize, usize, &str)> = doc
            .entities
            .iter()
            .map(|e| (e.start, e.end, e.label.as_str()))
            .collect();
        gold_count += gold.len();
        for s in after.suggest(blank, min_score) {
            found += 1;
            hits += usize::from(gold.contains(&(s.start, s.end, s.label.as_str())));
        }
    }
    let (_, _, retrain_f1) = gloss::suggest::precision_recall_f1(hits, found, gold_count);
    eprintln!(
        "retrain after one more Done document ({all}): median {retrain_ms:.0} ms, slowest {slowest_ms:.0} ms of 5, F1 {retrain_f1:.4}"
    );
    println!(
        "{}",
        json!({
            "min_score": min_score,
            "learning_curve": curve,
            "per_type_at_largest": per_type,
            "retrain_after_one_more": {"documents": all, "ms": retrain_ms.round(), "slowest_ms": slowest_ms.round(), "f1": round(retrain_f1)},
        })
    );
    ExitCode::SUCCESS
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
