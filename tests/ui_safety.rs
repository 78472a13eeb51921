//! The app's side of "one writer per project": it holds the lock of the
//! project it has open, offers read-only when another writer has it, never
//! saves over the other writer's file, and offers Save As instead.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use gloss::model::Project;
use gloss::store::{LockError, ProjectLock};
use gloss::ui::files::ScriptedPicker;
use gloss::ui::{GlossApp, Startup};

fn app(startup: Startup, answers: Vec<Vec<PathBuf>>, dir: &tempfile::TempDir) -> GlossApp {
    GlossApp::new_in(
        startup,
        Box::new(ScriptedPicker::new(answers)),
        dir.path().join("data"),
    )
}

/// Steps the app in real time until `done` holds (background jobs).
fn wait_for(
    harness: &mut egui_kittest::Harness<'static, GlossApp>,
    done: impl Fn(&mut egui_kittest::Harness<'static, GlossApp>) -> bool,
) {
    let started = Instant::now();
    while !done(harness) && started.elapsed() < Duration::from_secs(10) {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run();
    assert!(done(harness), "timed out waiting for a background job");
}

#[test]
fn the_open_project_is_locked_and_released_when_another_replaces_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    gloss::store::save(&Project::new("P"), &project).expect("save");
    let mut harness = common::harness(app(Startup::Project(project.clone()), vec![], &dir));
    assert!(!harness.state().session.is_read_only());
    match ProjectLock::acquire(&project, Duration::ZERO) {
        Err(LockError::Held { holder, .. }) => {
            assert!(
                holder.contains(&format!("pid {}", std::process::id())),
                "{holder}"
            );
        }
        other => panic!("a second writer must be refused while the app has it: {other:?}"),
    }
    // File → New replaces the project (nothing unsaved, so no question).
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    assert!(harness.state().session.path.is_none());
    assert!(
        ProjectLock::acquire(&project, Duration::ZERO).is_ok(),
        "the app let go of the project it closed"
    );
}

#[test]
fn a_project_open_elsewhere_opens_read_only_and_saves_only_under_another_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let copy = dir.path().join("copy.gloss.ron");
    gloss::store::save(&Project::new("P"), &project).expect("save");
    let before = std::fs::read(&project).expect("read");
    let elsewhere = ProjectLock::acquire(&project, Duration::ZERO).expect("another writer");
    let mut harness = common::harness(app(
        Startup::Sample,
        vec![vec![project.clone()], vec![copy.clone()]],
        &dir,
    ));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    wait_for(&mut harness, |h| {
        h.query_by_label("Open read-only").is_some()
    });
    harness.get_by_label("Project open elsewhere");
    harness.get_by_label("Open read-only").click();
    harness.run();
    assert_eq!(harness.state().session.project().name, "P");
    assert!(harness.state().session.is_read_only());
    assert!(
        harness
            .state()
            .session
            .display_name()
            .ends_with("(read-only)")
    );
    // Ctrl+S cannot write the other writer's file: it asks for another name.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    harness.run();
    assert_eq!(
        std::fs::read(&project).expect("read"),
        before,
        "not overwritten"
    );
    assert_eq!(
        harness.state().session.path.as_deref(),
        Some(copy.as_path())
    );
    assert!(!harness.state().session.is_read_only());
    assert_eq!(
        gloss::store::load(&copy)
            .expect("the copy is a valid project")
            .name,
        "P"
    );
    drop(elsewhere);
}

#[test]
fn cancelling_the_read_only_question_keeps_the_current_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    gloss::store::save(&Project::new("P"), &project).expect("save");
    let _elsewhere = ProjectLock::acquire(&project, Duration::ZERO).expect("another writer");
    let mut harness = common::harness(app(Startup::Sample, vec![vec![project.clone()]], &dir));
    let sample = harness.state().session.project().clone();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    wait_for(&mut harness, |h| {
        h.query_by_label("Open read-only").is_some()
    });
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(*harness.state().session.project(), sample);
    assert!(harness.query_by_label("Open read-only").is_none());
}
