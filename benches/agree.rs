//! `agree` on two versions of the 2,000-document generated project: B is A
//! with some entities dropped, moved, shortened or retyped, and some claims
//! moved, deterministically.
//!
//! Run with `cargo bench --bench agree --no-default-features` (the GUI is not
//! needed); the figure is in docs/performance.md.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::model::Project;
use gloss::review::agree::{AgreeOptions, agree};

/// A second annotator's version of `project`: of every 10 entities one is
/// dropped, one moved a character right, one shortened by a character and
/// one given another type; every third claim ends a character early.
fn perturbed(project: &Project) -> Project {
    let mut other = project.clone();
    for doc in &mut other.documents {
        let doc = std::sync::Arc::make_mut(doc);
        let entities = std::mem::take(&mut doc.entities);
        for (n, mut e) in entities.into_iter().enumerate() {
            match n % 10 {
                0 => continue,
                3 => {
                    if let Some((s, end, quote)) = doc.span(e.start + 1, e.end + 1) {
                        (e.start, e.end, e.text) = (s, end, quote);
                    }
                }
                5 => {
                    if let Some((s, end, quote)) = doc.span(e.start, e.end - 1) {
                        (e.start, e.end, e.text) = (s, end, quote);
                    }
                }
                7 => e.label = if e.label == "PER" { "ORG" } else { "PER" }.into(),
                _ => {}
            }
            doc.entities.push(e);
        }
        for (n, claim) in doc.claims.iter_mut().enumerate() {
            if n % 3 == 0 && claim.end - claim.start > 1 {
                claim.end -= 1;
                claim.text.pop();
            }
        }
    }
    other
}

fn bench_agree(c: &mut Criterion) {
    let a = gloss::sample::large_project(2000, 3000);
    let b = perturbed(&a);
    let options = AgreeOptions::default();
    let result = agree(&a, &b, &options).map(|r| {
        eprintln!(
            "agree: {} documents, {} entities in A, {} in B, {} word tokens; F1 {:?}, overlap F1 {:?}, kappa {:?}, alpha {:?}",
            r.documents,
            r.overall.spans.a,
            r.overall.spans.b,
            r.overall.tokens,
            r.overall.spans.f1(),
            r.overall.spans.overlap_f1(),
            r.overall.kappa,
            r.overall.alpha,
        );
    });
    if let Err(e) = result {
        eprintln!("agree failed: {e}");
    }
    let mut group = c.benchmark_group("agree_2000_docs");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("agree", |bench| {
        bench.iter(|| agree(&a, &b, &options).map(|r| r.documents))
    });
    // Longer articles: about 430,000 entities a side.
    let a = gloss::sample::large_project(2000, 8000);
    let b = perturbed(&a);
    if let Ok(r) = agree(&a, &b, &options) {
        eprintln!(
            "agree, 8,000-character articles: {} entities in A, {} in B, {} word tokens",
            r.overall.spans.a, r.overall.spans.b, r.overall.tokens
        );
    }
    group.bench_function("agree_8000_chars", |bench| {
        bench.iter(|| agree(&a, &b, &options).map(|r| r.documents))
    });
    group.finish();
}

criterion_group!(benches, bench_agree);
criterion_main!(benches);
