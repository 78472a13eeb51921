//! The code's seams, checked: a new contributor who breaks one learns it
//! from `cargo test`, not from a review.
//!
//! - The core (model, edit, review, formats, ingest, store) knows nothing of
//!   egui, eframe, the UI or the command line.
//! - Nothing but the command line's own file calls into `cli`.
//! - In the UI, only the command layer changes the project, saves or starts
//!   jobs: panels push actions.
//! - The core's layers depend downwards only: `model` on nothing of ours,
//!   `edit` on `model`, `store` (files) on `model`, and the open project's
//!   I/O (`workspace`) on both; tests excepted.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_owned()];
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The file's code without `//` comments (doc comments may name egui).
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .expect("readable source")
        .lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `(file, forbidden word)` where a file under `dirs` uses one of
/// `words`, files named in `allowed` excepted.
fn uses(dirs: &[&str], words: &[&str], allowed: &[&str]) -> Vec<(String, String)> {
    scan(dirs, words, allowed, false)
}

/// [`uses`] in the code of each file without its `#[cfg(test)]` module.
fn uses_outside_tests(dirs: &[&str], words: &[&str]) -> Vec<(String, String)> {
    scan(dirs, words, &[], true)
}

fn scan(
    dirs: &[&str],
    words: &[&str],
    allowed: &[&str],
    without_tests: bool,
) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in dirs {
        for file in rust_files(&root.join(dir)) {
            let name = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .display()
                .to_string();
            if allowed.contains(&name.as_str()) {
                continue;
            }
            let code = code(&file);
            let code = if without_tests {
                code.split("#[cfg(test)]").next().unwrap_or_default()
            } else {
                &code
            };
            for word in words {
                if code.contains(word) {
                    found.push((name.clone(), (*word).to_owned()));
                }
            }
        }
    }
    found
}

#[test]
fn the_core_knows_nothing_of_the_ui_or_the_command_line() {
    let core = [
        "src/model",
        "src/edit",
        "src/review",
        "src/formats",
        "src/ingest",
        "src/store",
    ];
    let found = uses(
        &core,
        &["egui", "eframe", "rfd::", "crate::ui", "crate::cli"],
        &[],
    );
    assert_eq!(found, vec![], "the core must stay UI-free and CLI-free");
}

#[test]
fn the_core_layers_depend_downwards_only() {
    let above_model = [
        "crate::edit",
        "crate::store",
        "crate::workspace",
        "crate::review",
        "crate::formats",
        "crate::ingest",
        "crate::suggest",
    ];
    assert_eq!(uses_outside_tests(&["src/model"], &above_model), vec![]);
    assert_eq!(
        uses_outside_tests(
            &["src/edit"],
            &[
                "crate::store",
                "crate::workspace",
                "crate::formats",
                "crate::ingest"
            ]
        ),
        vec![],
        "the edit layer is pure: no files"
    );
    assert_eq!(
        uses_outside_tests(
            &["src/store"],
            &["crate::edit", "crate::workspace", "crate::review"]
        ),
        vec![],
        "files know nothing of edits or sessions"
    );
    assert_eq!(
        uses_outside_tests(&["src/formats"], &["crate::review", "crate::workspace"]),
        vec![],
        "exports filter rejected annotations through the model"
    );
}

#[test]
fn the_command_line_is_a_leaf() {
    let found = uses(
        &["src"],
        &["crate::cli", "cli::"],
        &["src/cli", "src/main.rs"],
    );
    assert_eq!(found, vec![], "only main.rs calls into cli");
}

#[test]
fn only_the_command_layer_changes_the_project_saves_or_starts_jobs() {
    let writes = [
        ".apply(",
        ".apply_as_is(",
        ".apply_reviewed(",
        "replace_session(",
        "session.restore(",
        ".apply_coalescing(",
        "session.undo(",
        "session.redo(",
        "session.save(",
        "app.save(",
        "jobs.spawn(",
        "jobs.spawn_quiet(",
        "jobs.spawn_cancellable(",
        ".apply_prepared(",
    ];
    // The command layer, the unsaved-changes state machine, the jobs it
    // starts, and the app's start-up (applying a command line's import).
    let command_layer = [
        "src/ui/commands/mod.rs",
        "src/ui/commands/editing.rs",
        "src/ui/commands/keys.rs",
        "src/ui/commands/open.rs",
        "src/ui/commands/review.rs",
        "src/ui/commands/save.rs",
        "src/ui/unsaved.rs",
        "src/ui/dataset_job.rs",
        "src/ui/annotate_all.rs",
        "src/ui/jobs.rs",
        "src/ui/app.rs",
        // Reading the project file again when another program changed it.
        "src/ui/disk_sync.rs",
        // Training the recommenders, accepting and rejecting suggestions.
        "src/ui/suggestions.rs",
    ];
    let found = uses(&["src/ui"], &writes, &command_layer);
    assert_eq!(
        found,
        vec![],
        "panels push actions (app.act, app.request_edit) instead"
    );
}
