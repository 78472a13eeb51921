//! Doubling benchmark of the paths an adversarial trial found quadratic
//! (issue 19), for `docs/performance.md`:
//!
//! ```sh
//! cargo build --release --no-default-features --features bench-tools --bin gloss-bench-scaling
//! target/release/gloss-bench-scaling [--sizes 12500,25000,50000,100000]
//! ```
//!
//! For each size N it times, on one document with N one-word entities:
//! - `doccano_import`: a doccano JSONL line with N labels, imported;
//! - `merge_two_way`: `gloss merge` of two copies whose labels all differ
//!   (N disagreement records);
//! - `merge_three_way`: both sides relabel every entity differently from
//!   the base (N conflict records);
//! - `conll_export`: the CoNLL export, with N nested pairs to leave out.
//!
//! It prints one JSON object: milliseconds per size and the ratio of each
//! size's time to the previous one's (about 2 for linear growth, 4 for
//! quadratic).

use std::process::ExitCode;
use std::time::Instant;

use gloss::model::{Document, Entity, Project};
use serde_json::{Value, json};

fn main() -> ExitCode {
    let mut sizes = vec![12_500, 25_000, 50_000, 100_000];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--sizes" => match it.next().map(|s| {
                s.split(',')
                    .map(str::parse)
                    .collect::<Result<Vec<usize>, _>>()
            }) {
                Some(Ok(list)) if !list.is_empty() => sizes = list,
                _ => return usage(),
            },
            _ => return usage(),
        }
    }
    type Timed = fn(usize) -> f64;
    let ops: [(&str, Timed); 4] = [
        ("doccano_import", doccano_import),
        ("merge_two_way", merge_two_way),
        ("merge_three_way", merge_three_way),
        ("conll_export", conll_export),
    ];
    let mut results = serde_json::Map::new();
    for (name, op) in ops {
        let mut rows = Vec::new();
        let mut previous: Option<f64> = None;
        for &n in &sizes {
            // The best of three: the machine's other work only adds time.
            let ms = (0..3).map(|_| op(n)).fold(f64::INFINITY, f64::min);
            eprintln!("{name} {n}: {ms:.1} ms");
            rows.push(json!({
                "n": n,
                "ms": (ms * 10.0).round() / 10.0,
                "ratio_to_previous": previous.map(|p| ((ms / p) * 100.0).round() / 100.0),
            }));
            previous = Some(ms);
        }
        results.insert(name.to_owned(), Value::Array(rows));
    }
    println!("{}", Value::Object(results));
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: gloss-bench-scaling [--sizes 12500,25000,50000,100000]");
    ExitCode::from(2)
}

/// "w0 w1 w2 …": N words of two or more letters.
fn text(n: usize) -> String {
    (0..n)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Code-point spans of the N words of [`text`].
fn spans(n: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(n);
    let mut at = 0;
    for i in 0..n {
        let len = format!("w{i}").len();
        out.push((at, at + len));
        at += len + 1;
    }
    out
}

fn project(n: usize, label: &str) -> Project {
    let text = text(n);
    let mut doc = Document::new("d", "Many labels", &text);
    doc.entities = spans(n)
        .into_iter()
        .enumerate()
        .map(|(i, (s, e))| Entity::new(format!("e{}", i + 1), label, s, e, &text[s..e]))
        .collect();
    let mut project = Project::new("Scaling");
    project.documents.push(doc.into());
    project
}

fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn doccano_import(n: usize) -> f64 {
    let labels: Vec<Value> = spans(n)
        .into_iter()
        .map(|(s, e)| json!([s, e, "PER"]))
        .collect();
    let line = json!({"id": 1, "text": text(n), "label": labels}).to_string();
    let dir = std::env::temp_dir().join(format!("gloss-bench-scaling-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("many.jsonl");
    if std::fs::write(&file, line).is_err() {
        return f64::NAN;
    }
    let start = Instant::now();
    let imported = gloss::formats::import(gloss::formats::Format::Doccano, &[file.as_path()]);
    let ms = ms_since(start);
    assert_eq!(
        imported.map(|i| i.project.annotation_count()).ok(),
        Some(n),
        "every label imported"
    );
    let _ = std::fs::remove_dir_all(&dir);
    ms
}

fn merge_two_way(n: usize) -> f64 {
    let (a, b) = (project(n, "PER"), project(n, "ORG"));
    let start = Instant::now();
    let (_, report) = gloss::review::merge::merge(&a, &b);
    let ms = ms_since(start);
    assert_eq!(report.new_conflicts, n);
    ms
}

fn merge_three_way(n: usize) -> f64 {
    let base = project(n, "MISC");
    let (ours, theirs) = (project(n, "PER"), project(n, "ORG"));
    let start = Instant::now();
    let (_, report) = gloss::review::merge::merge3(&base, &ours, &theirs);
    let ms = ms_since(start);
    assert_eq!(report.new_conflicts, n);
    ms
}

fn conll_export(n: usize) -> f64 {
    // Each word tagged twice (PER and ORG): one of each pair is left out.
    let mut both = project(n, "PER");
    let extra = project(n, "ORG");
    if let (Some(doc), Some(other)) = (both.documents.first_mut(), extra.documents.first()) {
        let doc = std::sync::Arc::make_mut(doc);
        for (i, e) in other.entities.iter().enumerate() {
            let mut e = e.clone();
            e.id = format!("o{}", i + 1).into();
            doc.entities.push(e);
        }
    }
    let start = Instant::now();
    let exported = gloss::formats::export(
        &both,
        gloss::formats::Format::Conll,
        &gloss::formats::ExportOptions::default(),
    );
    let ms = ms_since(start);
    assert!(exported.is_ok());
    ms
}
