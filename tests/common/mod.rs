//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `../shared/corpus`, or `None` (with a printed notice) when it is absent,
/// as in a user's clone.
pub fn corpus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!(
            "skipped: ../shared/corpus not found (tests that need the shared corpus do nothing)"
        );
        None
    }
}

/// Runs the real `gloss` binary.
pub fn gloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .env("RUST_LOG", "off")
        .output()
        .expect("the gloss binary runs")
}

/// Stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh temporary folder.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// Python-style slicing by code points.
pub fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// A harness that drives the real app as a user would, with the app's
/// bundled fonts (egui's own have no Arabic) and a fixed window size.
pub fn harness(app: gloss::ui::GlossApp) -> egui_kittest::Harness<'static, gloss::ui::GlossApp> {
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::Vec2::new(1280.0, 820.0))
        .with_theme(egui::Theme::Light)
        .with_max_steps(12)
        .with_context_setup(gloss::ui::theme::install)
        .build_ui_state(|ui, app: &mut gloss::ui::GlossApp| app.frame(ui), app);
    harness.run();
    harness
}
