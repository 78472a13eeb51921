//! Times the Annotations pane's and the dashboard's work on the generated
//! 2,000-document project: snapshot (the project clone the app hands to the
//! worker), building the rows, the dashboard's counts, filters, sorts and
//! the shown document's match set. Medians of `--runs` runs (default 5).
//!
//! `cargo build --release --no-default-features --features bench-tools --bin gloss-bench-table`
//! then `target/release/gloss-bench-table`; the figures are in
//! docs/performance.md. (`benches/annotations_table.rs` measures the same
//! with criterion, but needs the dev-dependencies built.)

use std::time::{Duration, Instant};

use gloss::review::dashboard::Dashboard;
use gloss::review::table::{Column, Filter, Kind, Sort, Table};

fn median<T>(runs: usize, mut work: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(work());
            start.elapsed()
        })
        .collect();
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let runs = std::env::args()
        .skip_while(|a| a != "--runs")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    for characters in [3000, 8000] {
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
        let one = Filter {
            document: Some(1000),
            ..Filter::default()
        };
        let by_text = Sort {
            column: Column::Text,
            descending: false,
        };
        let by_type_desc = Sort {
            column: Column::Type,
            descending: true,
        };
        let per_rows = table.view(&per, Sort::default());
        println!(
            "{} documents of {characters} characters: {} annotations (PER {}, text \"kim\" {})",
            project.documents.len(),
            table.rows.len(),
            per_rows.len(),
            table.view(&text, Sort::default()).len()
        );
        let rows: Vec<(&str, Duration)> = vec![
            ("snapshot (project clone)", median(runs, || project.clone())),
            ("build rows", median(runs, || Table::build(&project))),
            ("dashboard counts", median(runs, || Dashboard::of(&project))),
            (
                "list, no filter",
                median(runs, || table.view(&Filter::default(), Sort::default())),
            ),
            (
                "filter type = PER",
                median(runs, || table.view(&per, Sort::default())),
            ),
            (
                "filter text \"kim\"",
                median(runs, || table.view(&text, Sort::default())),
            ),
            (
                "filter claims by claimant",
                median(runs, || table.view(&claims, Sort::default())),
            ),
            (
                "one document's rows",
                median(runs, || table.view(&one, Sort::default())),
            ),
            (
                "all rows sorted by text",
                median(runs, || table.view(&Filter::default(), by_text)),
            ),
            (
                "all rows sorted by type, descending",
                median(runs, || table.view(&Filter::default(), by_type_desc)),
            ),
            (
                "match set of the shown document (PER)",
                median(runs, || table.matches_in(1000, &per_rows)),
            ),
        ];
        for (what, time) in rows {
            println!("  {what:<40} {:>10.2} ms", time.as_secs_f64() * 1000.0);
        }
    }
}
