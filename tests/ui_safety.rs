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
fn a_project_read_by_the_command_line_opens_locked_and_in_place_or_read_only_when_held() {
    // `gloss FILE` reads the file once, to report a bad one on the terminal,
    // and hands what it read to the window.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.gloss.ron");
    let mut project = Project::new("Read once");
    project
        .documents
        .push(gloss::model::Document::new("d1", "Talks resume", "Talks resume in Geneva.").into());
    gloss::store::save(&project, &path).expect("save");
    let loaded = gloss::store::load(&path).expect("load");
    let harness = common::harness(app(
        Startup::Loaded(Box::new(loaded.clone()), path.clone()),
        vec![],
        &dir,
    ));
    assert_eq!(harness.state().session.project(), &loaded);
    assert_eq!(
        harness.state().session.path.as_deref(),
        Some(path.as_path())
    );
    assert!(!harness.state().session.is_read_only());
    harness.get_by_label("Talks resume");
    assert!(
        ProjectLock::acquire(&path, Duration::ZERO).is_err(),
        "the window holds the project's lock"
    );
    drop(harness);
    // Held by another writer: read-only, and the status bar says so.
    let elsewhere = ProjectLock::acquire(&path, Duration::ZERO).expect("another writer");
    let harness = common::harness(app(
        Startup::Loaded(Box::new(loaded), path.clone()),
        vec![],
        &dir,
    ));
    assert!(harness.state().session.is_read_only());
    let message = harness
        .state()
        .message
        .as_ref()
        .map(|(m, _)| m.clone())
        .unwrap_or_default();
    assert!(message.contains("opened read-only"), "{message}");
    drop(elsewhere);
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
    harness.state_mut().wait_for_save();
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

/// A project file with the sample article, opened in the app with every
/// save held at a gate until the test opens it.
fn app_saving_behind_a_gate(
    dir: &tempfile::TempDir,
    project: &std::path::Path,
) -> (
    egui_kittest::Harness<'static, GlossApp>,
    std::sync::Arc<gloss::ui::saving::Gate>,
) {
    gloss::store::save(&gloss::sample::sample_project().expect("sample"), project).expect("save");
    let mut harness = common::harness(app(Startup::Project(project.to_owned()), vec![], dir));
    let gate = gloss::ui::saving::Gate::new();
    harness.state_mut().saving.gate = Some(gate.clone());
    (harness, gate)
}

/// Tags the first occurrence of `needle` with the type of `key`, as a
/// drag over it and the type's digit would.
fn tag(harness: &mut egui_kittest::Harness<'static, GlossApp>, needle: &str, key: Key) {
    let text = harness.state().document().expect("a document").text.clone();
    let byte = text.find(needle).expect("the text has the needle");
    let start = text[..byte].chars().count();
    harness.state_mut().selection = Some((start, start + needle.chars().count()));
    harness.run();
    harness.key_press(key);
    harness.run();
}

fn has_entity(project: &Project, quote: &str, label: &str) -> bool {
    project.documents[0]
        .entities
        .iter()
        .any(|e| e.text == quote && e.label == label)
}

#[test]
fn quitting_while_a_save_is_written_waits_for_it_then_closes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let (mut harness, gate) = app_saving_behind_a_gate(&dir, &project);
    let before = std::fs::read(&project).expect("read");
    tag(&mut harness, "Russian", Key::Num7);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    // The save is in flight: the window goes on, the file is not written yet
    // and the project is not "saved" yet.
    assert!(harness.state().saving.busy());
    harness.get_by_label_contains("Saving p.gloss.ron");
    harness.get_by_label("● Unsaved changes");
    assert_eq!(std::fs::read(&project).expect("read"), before);

    // Ctrl+Q and the close button wait for the save instead of asking.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert!(!harness.state().close_confirmed);
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    let cancelled = harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::CancelClose));
    assert!(cancelled, "the window stays open while the file is written");
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert!(!harness.state().close_confirmed);

    gate.open();
    wait_for(&mut harness, |h| !h.state().saving.busy());
    assert!(harness.state().close_confirmed, "closes once written");
    assert!(!harness.state().session.is_dirty());
    let saved = gloss::store::load(&project).expect("the saved file loads");
    assert!(has_entity(&saved, "Russian", "MISC"));
}

#[test]
fn an_edit_made_while_saving_stays_unsaved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let (mut harness, gate) = app_saving_behind_a_gate(&dir, &project);
    tag(&mut harness, "Russian", Key::Num7);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert!(harness.state().saving.busy());
    // Typing goes on while the file is written.
    tag(&mut harness, "Kirby", Key::Num2);
    assert!(has_entity(
        harness.state().session.project(),
        "Kirby",
        "ORG"
    ));
    gate.open();
    wait_for(&mut harness, |h| !h.state().saving.busy());
    // The file has what was saved, not the later edit, and the app says so.
    let saved = gloss::store::load(&project).expect("the saved file loads");
    assert!(has_entity(&saved, "Russian", "MISC"));
    assert!(!has_entity(&saved, "Kirby", "ORG"));
    assert!(harness.state().session.is_dirty());
    harness.get_by_label("● Unsaved changes");
    // Undoing the later edit is back at what is on disk.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(!harness.state().session.is_dirty());
    harness.get_by_label("✔ Saved");
}

#[test]
fn a_save_that_fails_in_the_background_leaves_the_work_unsaved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("work");
    std::fs::create_dir(&folder).expect("folder");
    let project = folder.join("p.gloss.ron");
    let (mut harness, gate) = app_saving_behind_a_gate(&dir, &project);
    tag(&mut harness, "Russian", Key::Num7);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    // The folder goes away before the worker writes.
    std::fs::remove_dir_all(&folder).expect("remove");
    gate.open();
    wait_for(&mut harness, |h| !h.state().saving.busy());
    assert!(harness.state().session.is_dirty(), "not marked saved");
    harness.get_by_label("● Unsaved changes");
    harness.get_by_label_contains("the project was not saved");
    assert!(!project.exists());
}
