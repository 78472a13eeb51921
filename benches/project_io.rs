//! Load and save of a large generated project (2,000 documents), and frames
//! of the article view on a 150k-character article.
//!
//! Run with `cargo bench --bench project_io`; numbers are in docs/performance.md.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::model::Project;

fn bench_store(c: &mut Criterion) {
    let project = gloss::sample::large_project(2000, 3000);
    let text = gloss::store::to_ron(&project);
    eprintln!(
        "large project: {} documents, {} annotations, {:.1} MB of RON",
        project.documents.len(),
        project.annotation_count(),
        text.len() as f64 / 1e6
    );
    let mut group = c.benchmark_group("project_2000_docs");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("serialize", |b| b.iter(|| gloss::store::to_ron(&project)));
    group.bench_function("parse_and_validate", |b| {
        b.iter(|| {
            gloss::store::parse(Path::new("large.ron"), text.as_bytes()).map(|p| p.documents.len())
        })
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.ron");
    group.bench_function("save_atomic", |b| {
        b.iter(|| gloss::store::save(&project, &path))
    });
    group.finish();
}

fn app_for(project: Project) -> gloss::ui::GlossApp {
    let data = tempfile::tempdir().expect("temp dir").keep();
    gloss::ui::GlossApp::new_in(
        gloss::ui::Startup::InMemory(Box::new(project), None),
        Box::new(gloss::ui::files::ScriptedPicker::default()),
        data,
    )
}

/// A context with the app's fonts, and the input of one 1400×900 frame.
fn frame_context() -> (egui::Context, impl Fn() -> egui::RawInput) {
    let ctx = egui::Context::default();
    gloss::ui::theme::install(&ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        ..Default::default()
    };
    (ctx, input)
}

fn bench_article_view(c: &mut Criterion) {
    let (ctx, input) = frame_context();
    let mut app = app_for(gloss::sample::large_project(1, 150_000));
    // Warm up: fonts, first layout of the visible paragraphs.
    for _ in 0..3 {
        let _ = ctx.run_ui(input(), |ui| app.frame(ui));
    }
    let mut group = c.benchmark_group("article_150k_chars");
    group.sample_size(30);
    group.bench_function("cached_frame", |b| {
        b.iter(|| ctx.run_ui(input(), |ui| app.frame(ui)))
    });
    group.bench_function("frame_after_retyping_one_entity", |b| {
        let mut round = 0usize;
        b.iter(|| {
            // Change the type of an entity in view, then draw the frame that
            // re-lays only its paragraph.
            round += 1;
            let doc = &app.session.project().documents[0];
            if let Some(first) = doc.entities.get(round % 20) {
                let mut entity = first.clone();
                entity.label = if entity.label == "MISC" {
                    "PER".into()
                } else {
                    "MISC".into()
                };
                let edit = gloss::edit::Edit::ReplaceEntity {
                    doc: doc.id.clone(),
                    entity,
                };
                let _ = app.session.apply(edit);
            }
            ctx.run_ui(input(), |ui| app.frame(ui))
        })
    });
    group.finish();
}

fn bench_large_project_frame(c: &mut Criterion) {
    let (ctx, input) = frame_context();
    let mut app = app_for(gloss::sample::large_project(2000, 3000));
    for _ in 0..3 {
        let _ = ctx.run_ui(input(), |ui| app.frame(ui));
    }
    let mut group = c.benchmark_group("project_2000_docs_ui");
    group.sample_size(30);
    group.bench_function("cached_frame", |b| {
        b.iter(|| ctx.run_ui(input(), |ui| app.frame(ui)))
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_store,
    bench_article_view,
    bench_large_project_frame
);
criterion_main!(benches);
