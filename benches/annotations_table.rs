//! The Annotations pane and dashboard on the 2,000-document generated
//! project: building the rows, filtering and sorting them, the match set the
//! article view dims by, the dashboard's counts, and (for comparison) the
//! project clone the app hands to the worker that builds the rows.
//!
//! Run with `cargo bench --bench annotations_table --no-default-features`;
//! the figures are in docs/performance.md.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::review::dashboard::Dashboard;
use gloss::review::table::{Column, Filter, Kind, Sort, Table};

fn bench_table(c: &mut Criterion) {
    for (name, characters) in [("3000_chars", 3000), ("8000_chars", 8000)] {
        let project = gloss::sample::large_project(2000, characters);
        let table = Table::build(&project);
        let per = Filter {
            label: Some("PER".into()),
            ..Filter::default()
        };
        let text = Filter {
            text: "kim".into(),
            ..Filter::default()
        };
        let claims = Filter {
            kind: Some(Kind::Claim),
            claimant: "kim".into(),
            ..Filter::default()
        };
        let one_document = Filter {
            document: Some(1000),
            ..Filter::default()
        };
        let by_text = Sort {
            column: Column::Text,
            descending: false,
        };
        eprintln!(
            "{name}: {} documents, {} annotations; PER {}, text \"kim\" {}, claims by Kim {}",
            project.documents.len(),
            table.rows.len(),
            table.view(&per, Sort::default()).len(),
            table.view(&text, Sort::default()).len(),
            table.view(&claims, Sort::default()).len(),
        );
        let mut group = c.benchmark_group(format!("annotations_2000_docs_{name}"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(8))
            .warm_up_time(Duration::from_secs(1));
        group.bench_function("clone_project", |b| b.iter(|| project.clone()));
        group.bench_function("build_rows", |b| b.iter(|| Table::build(&project)));
        group.bench_function("dashboard", |b| b.iter(|| Dashboard::of(&project)));
        group.bench_function("view_unfiltered", |b| {
            b.iter(|| table.view(&Filter::default(), Sort::default()))
        });
        group.bench_function("filter_type_PER", |b| {
            b.iter(|| table.view(&per, Sort::default()))
        });
        group.bench_function("filter_text_kim", |b| {
            b.iter(|| table.view(&text, Sort::default()))
        });
        group.bench_function("filter_claimant", |b| {
            b.iter(|| table.view(&claims, Sort::default()))
        });
        group.bench_function("one_document", |b| {
            b.iter(|| table.view(&one_document, Sort::default()))
        });
        group.bench_function("sort_all_by_text", |b| {
            b.iter(|| table.view(&Filter::default(), by_text))
        });
        let per_rows = table.view(&per, Sort::default());
        group.bench_function("match_set_PER_one_document", |b| {
            b.iter(|| table.matches_in(1000, &per_rows))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_table);
criterion_main!(benches);
