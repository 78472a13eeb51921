//! The app's side of "one writer per project": it holds the lock of the
//! project it has open, offers read-only when another writer has it, never
//! saves over the other writer's file, and offers Save As instead.

use crate::common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::common::{git, git_ok};
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

// --- The file changed on disk under the open app (git, an editor) -----------

/// The sample saved at `project` and the app open on it.
fn app_on_sample(
    dir: &tempfile::TempDir,
    project: &std::path::Path,
) -> egui_kittest::Harness<'static, GlossApp> {
    gloss::store::save(&gloss::sample::sample_project().expect("sample"), project).expect("save");
    common::harness(app(Startup::Project(project.to_owned()), vec![], dir))
}

/// Another program writes a version of the project with one more entity
/// ("Kim Jong Un" as NORP, a label the sample does not use there), as git
/// does: a new file renamed over the old one.
fn change_on_disk(project: &std::path::Path) -> Project {
    let mut theirs = gloss::store::load(project).expect("load");
    let doc = std::sync::Arc::make_mut(&mut theirs.documents[0]);
    let byte = doc.text.find("Kim Jong Un").expect("Kim");
    let start = doc.text[..byte].chars().count();
    doc.entities.push(gloss::model::Entity::new(
        "theirs1",
        "MISC",
        start,
        start + "Kim Jong Un".chars().count(),
        "Kim Jong Un",
    ));
    gloss::store::save(&theirs, project).expect("their save");
    theirs
}

fn message(harness: &egui_kittest::Harness<'static, GlossApp>) -> String {
    harness
        .state()
        .message
        .as_ref()
        .map(|(m, _)| m.clone())
        .unwrap_or_default()
}

#[test]
fn a_file_changed_on_disk_with_no_local_edit_is_reloaded_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let mut harness = app_on_sample(&dir, &project);
    let theirs = change_on_disk(&project);
    wait_for(&mut harness, |h| h.state().session.project() == &theirs);
    assert!(!harness.state().session.is_dirty());
    assert!(message(&harness).contains("reloaded: p.gloss.ron changed on disk"));
    assert!(
        harness.state().document().is_some(),
        "the document stays shown"
    );
    // Saving now writes what is on disk, not the old version.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    wait_for(&mut harness, |h| !h.state().saving.busy());
    assert!(has_entity(
        &gloss::store::load(&project).expect("load"),
        "Kim Jong Un",
        "MISC"
    ));
}

#[test]
fn ctrl_s_after_the_file_changed_offers_merge_and_merge_keeps_both_sides() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let mut harness = app_on_sample(&dir, &project);
    tag(&mut harness, "Russian", Key::Num7);
    change_on_disk(&project);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    wait_for(&mut harness, |h| {
        h.query_by_label("Merge (Enter)").is_some()
    });
    // Nothing was written over their version while the question is open.
    let on_disk = gloss::store::load(&project).expect("load");
    assert!(has_entity(&on_disk, "Kim Jong Un", "MISC"));
    assert!(!has_entity(&on_disk, "Russian", "MISC"));
    harness.get_by_label("Merge (Enter)").click();
    harness.run();
    wait_for(&mut harness, |h| {
        !h.state().saving.busy() && !h.state().session.is_dirty()
    });
    let saved = gloss::store::load(&project).expect("load");
    assert!(has_entity(&saved, "Kim Jong Un", "MISC"), "theirs kept");
    assert!(has_entity(&saved, "Russian", "MISC"), "mine kept");
    assert!(
        ProjectLock::acquire(&project, Duration::ZERO).is_err(),
        "the lock is still held after Merge"
    );
    // The merge is one step: undo gives back the version before it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(!has_entity(
        harness.state().session.project(),
        "Kim Jong Un",
        "MISC"
    ));
    assert!(has_entity(
        harness.state().session.project(),
        "Russian",
        "MISC"
    ));
}

#[test]
fn keep_mine_asks_and_names_the_loss_before_writing_over_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let mut harness = app_on_sample(&dir, &project);
    tag(&mut harness, "Russian", Key::Num7);
    change_on_disk(&project);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    wait_for(&mut harness, |h| h.query_by_label("Keep mine…").is_some());
    harness.get_by_label("Keep mine…").click();
    harness.run();
    harness.get_by_label_contains("1 annotation that this window does not have");
    assert!(has_entity(
        &gloss::store::load(&project).expect("load"),
        "Kim Jong Un",
        "MISC"
    ));
    harness.get_by_label("Replace the file on disk").click();
    harness.run();
    wait_for(&mut harness, |h| !h.state().saving.busy());
    let saved = gloss::store::load(&project).expect("load");
    assert!(has_entity(&saved, "Russian", "MISC"));
    assert!(
        !has_entity(&saved, "Kim Jong Un", "MISC"),
        "replaced, as confirmed"
    );
}

#[test]
fn reload_asks_then_discards_mine_for_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let mut harness = app_on_sample(&dir, &project);
    tag(&mut harness, "Russian", Key::Num7);
    let theirs = change_on_disk(&project);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    wait_for(&mut harness, |h| h.query_by_label("Reload…").is_some());
    harness.get_by_label("Reload…").click();
    harness.run();
    harness.get_by_label("Discard mine and reload").click();
    harness.run();
    assert_eq!(harness.state().session.project(), &theirs);
    assert!(!harness.state().session.is_dirty());
    assert!(
        ProjectLock::acquire(&project, Duration::ZERO).is_err(),
        "the lock is still held after Reload"
    );
}

#[test]
fn a_file_deleted_under_the_app_is_told_and_written_again_on_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let mut harness = app_on_sample(&dir, &project);
    std::fs::remove_file(&project).expect("delete");
    wait_for(&mut harness, |h| {
        message(h).contains("deleted or moved away")
    });
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    wait_for(&mut harness, |h| {
        !h.state().saving.busy() && project.exists()
    });
    assert_eq!(
        &gloss::store::load(&project).expect("written again"),
        harness.state().session.project()
    );
}

#[test]
fn a_file_replaced_by_garbage_is_never_written_over_without_a_yes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let mut harness = app_on_sample(&dir, &project);
    tag(&mut harness, "Russian", Key::Num7);
    std::fs::write(&project, "this is not a project").expect("garbage");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    wait_for(&mut harness, |h| {
        h.query_by_label("Replace the file…").is_some()
    });
    assert_eq!(
        std::fs::read_to_string(&project).expect("read"),
        "this is not a project"
    );
    assert!(harness.state().session.is_dirty(), "the work is kept");
    harness.get_by_label("Replace the file…").click();
    harness.run();
    harness.get_by_label("Replace the file on disk").click();
    harness.run();
    wait_for(&mut harness, |h| !h.state().saving.busy());
    assert!(has_entity(
        &gloss::store::load(&project).expect("load"),
        "Russian",
        "MISC"
    ));
}

// --- The lock for the whole time a project is open --------------------------

#[test]
fn restore_keeps_the_lock_and_a_second_window_opens_read_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let sample = gloss::sample::sample_project().expect("sample");
    gloss::store::save(&sample, &project).expect("save");
    let mut edited = sample.clone();
    std::sync::Arc::make_mut(&mut edited.documents[0]).status = gloss::model::Status::Reviewed;
    let recovery = gloss::store::recovery::recovery_path(Some(&project), &dir.path().join("data"));
    gloss::store::recovery::write(&recovery, &edited, None).expect("journal");
    let mut harness = common::harness(app(Startup::Project(project.clone()), vec![], &dir));
    harness.get_by_label("Restore").click();
    harness.run();
    assert_eq!(
        harness.state().session.project().documents[0].status,
        gloss::model::Status::Reviewed
    );
    assert!(harness.state().session.is_dirty());
    assert!(
        ProjectLock::acquire(&project, Duration::ZERO).is_err(),
        "the lock is held after Restore"
    );
    // A second window: read-only, no recovery offered, nothing of the first touched.
    let other_dir = tempfile::tempdir().expect("temp dir");
    let second = common::harness(app(Startup::Project(project.clone()), vec![], &other_dir));
    assert!(second.state().session.is_read_only());
    assert!(second.query_by_label("Restore").is_none());
    drop(second);
    assert!(gloss::store::lock::lock_path(&project).exists());
    assert!(
        recovery.exists(),
        "the first window's journal is left alone"
    );
}

#[test]
fn save_as_moves_the_lock_to_the_new_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let other = dir.path().join("q.gloss.ron");
    gloss::store::save(&gloss::sample::sample_project().expect("sample"), &project).expect("save");
    let mut harness = common::harness(app(
        Startup::Project(project.clone()),
        vec![vec![other.clone()]],
        &dir,
    ));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run();
    wait_for(&mut harness, |h| {
        h.state().session.path.as_deref() == Some(other.as_path()) && !h.state().saving.busy()
    });
    assert!(ProjectLock::acquire(&other, Duration::ZERO).is_err());
    let second = common::harness(app(Startup::Project(other.clone()), vec![], &dir));
    assert!(second.state().session.is_read_only());
}

// --- Read-only is unmistakable ---------------------------------------------

/// A picker that tells the test the names it proposed.
struct NamingPicker {
    inner: ScriptedPicker,
    names: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl gloss::ui::FilePicker for NamingPicker {
    fn pick(&mut self, kind: gloss::ui::PickKind, suggested_name: &str) {
        if let Ok(mut names) = self.names.lock() {
            names.push(suggested_name.to_owned());
        }
        self.inner.pick(kind, suggested_name);
    }
    fn poll(&mut self) -> Option<gloss::ui::files::Picked> {
        self.inner.poll()
    }
    fn busy(&self) -> bool {
        self.inner.busy()
    }
}

#[test]
fn read_only_shows_a_banner_explains_edits_and_proposes_a_copy_beside_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    gloss::store::save(&gloss::sample::sample_project().expect("sample"), &project).expect("save");
    let elsewhere = ProjectLock::acquire(&project, Duration::ZERO).expect("another writer");
    let names = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let picker = NamingPicker {
        inner: ScriptedPicker::new(vec![vec![]]),
        names: names.clone(),
    };
    let mut harness = common::harness(GlossApp::new_in(
        Startup::Project(project.clone()),
        Box::new(picker),
        dir.path().join("data"),
    ));
    harness.get_by_label_contains(&format!(
        "Read-only: p.gloss.ron is open in another Gloss (pid {}",
        std::process::id()
    ));
    tag(&mut harness, "Russian", Key::Num7);
    assert!(
        message(&harness).contains("read-only"),
        "{}",
        message(&harness)
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let proposed = names.lock().expect("names").clone();
    assert_eq!(
        proposed,
        [dir.path().join("p (copy).gloss.ron").display().to_string()]
    );
    drop(elsewhere);
}

// --- Restore after the file changed since the crash -------------------------

#[test]
fn restore_after_the_file_was_saved_since_the_crash_merges_instead_of_dropping() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let sample = gloss::sample::sample_project().expect("sample");
    gloss::store::save(&sample, &project).expect("save");
    // The app journalled an edit against that version, then died.
    let mut edited = sample.clone();
    std::sync::Arc::make_mut(&mut edited.documents[0]).status = gloss::model::Status::Reviewed;
    let recovery = gloss::store::recovery::recovery_path(Some(&project), &dir.path().join("data"));
    let identity = gloss::store::FileIdentity::of(&project).expect("stat");
    gloss::store::recovery::write(
        &recovery,
        &edited,
        Some(gloss::store::recovery::Against {
            file: &project,
            identity,
        }),
    )
    .expect("journal");
    // `gloss add` after the crash: a second document.
    let mut added = sample.clone();
    added.documents.push(
        gloss::model::Document::new("d2", "Later", "Added from a terminal after the crash.").into(),
    );
    gloss::store::save(&added, &project).expect("their save");
    let mut harness = common::harness(app(Startup::Project(project.clone()), vec![], &dir));
    harness.get_by_label_contains("saved again after these changes were made");
    harness.get_by_label("Restore and merge").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    wait_for(&mut harness, |h| !h.state().saving.busy());
    let saved = gloss::store::load(&project).expect("load");
    assert_eq!(saved.documents.len(), 2, "the document added since is kept");
    assert_eq!(saved.documents[0].status, gloss::model::Status::Reviewed);
    assert_eq!(
        saved.conflict_count(),
        0,
        "a three-way merge: nothing to settle"
    );
}

#[test]
fn without_any_watcher_the_check_before_saving_still_offers_merge() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let mut harness = app_on_sample(&dir, &project);
    harness.state_mut().pause_disk_watch();
    tag(&mut harness, "Russian", Key::Num7);
    change_on_disk(&project);
    // Frames pass: nothing notices without a watcher (a network drive).
    for _ in 0..5 {
        harness.step();
    }
    assert!(harness.query_by_label("Merge (Enter)").is_none());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    wait_for(&mut harness, |h| {
        h.query_by_label("Merge (Enter)").is_some()
    });
    harness.get_by_label("Merge (Enter)").click();
    harness.run();
    wait_for(&mut harness, |h| {
        !h.state().saving.busy() && !h.state().session.is_dirty()
    });
    let saved = gloss::store::load(&project).expect("load");
    assert!(has_entity(&saved, "Kim Jong Un", "MISC"));
    assert!(has_entity(&saved, "Russian", "MISC"));
}

// --- A real git merge under the open app ------------------------------------

/// Entities of the first document as (quote, label), sorted.
fn entity_set(project: &Project) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = project.documents[0]
        .entities
        .iter()
        .map(|e| (e.text.to_string(), e.label.to_string()))
        .collect();
    all.sort();
    all
}

/// The repository for one trial: main has the sample plus Ana's committed
/// entity; branch ben adds two entities and relabels one.
fn annotating_repository(repo: &std::path::Path) -> (std::path::PathBuf, Project, Project) {
    std::fs::create_dir_all(repo).expect("repo");
    git_ok(repo, &["init", "-q", "-b", "main"]);
    git_ok(repo, &["config", "commit.gpgsign", "false"]);
    git_ok(repo, &["config", "merge.gloss.name", "Gloss project merge"]);
    let driver = format!(
        "'{}' merge --base %O %A %B -o %A",
        env!("CARGO_BIN_EXE_gloss")
    );
    git_ok(repo, &["config", "merge.gloss.driver", &driver]);
    std::fs::write(repo.join(".gitattributes"), "*.gloss.ron merge=gloss\n").expect("attrs");
    std::fs::write(repo.join(".gitignore"), ".*.lock\n*.recovery\n").expect("ignore");
    let file = repo.join("p.gloss.ron");
    let base = gloss::sample::sample_project().expect("sample");
    gloss::store::save(&base, &file).expect("save");
    git_ok(repo, &["add", "."]);
    git_ok(repo, &["commit", "-q", "-m", "base"]);
    let add = |project: &mut Project, id: &str, word: &str, label: &str| {
        let doc = std::sync::Arc::make_mut(&mut project.documents[0]);
        let byte = doc.text.find(word).expect("word");
        let start = doc.text[..byte].chars().count();
        doc.entities.push(gloss::model::Entity::new(
            id,
            label,
            start,
            start + word.chars().count(),
            word,
        ));
    };
    git_ok(repo, &["checkout", "-q", "-b", "ben"]);
    let mut ben = base.clone();
    add(&mut ben, "ben1", "Kim Jong Un", "MISC");
    add(&mut ben, "ben2", "Vladivostok", "MISC");
    gloss::store::save(&ben, &file).expect("save");
    git_ok(repo, &["commit", "-q", "-am", "ben"]);
    git_ok(repo, &["checkout", "-q", "main"]);
    let mut ana = base.clone();
    add(&mut ana, "ana1", "White House", "MISC");
    gloss::store::save(&ana, &file).expect("save");
    git_ok(repo, &["commit", "-q", "-am", "ana"]);
    (file, ana, ben)
}

#[test]
fn a_git_merge_under_the_open_app_then_a_save_loses_nothing_in_20_trials() {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: git is not installed");
        return;
    }
    let mut lost_trials = Vec::new();
    for trial in 0..20u64 {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        let (file, ana, ben) = annotating_repository(&repo);
        let mut harness = common::harness(app(Startup::Project(file.clone()), vec![], &dir));
        // Half the trials see no watcher at all (a network drive).
        if trial % 2 == 1 {
            harness.state_mut().pause_disk_watch();
        }
        // The analyst's unsaved edit.
        tag(&mut harness, "Russian", Key::Num7);
        // git merges while the app is open, at a different moment each time.
        let merge = {
            let repo = repo.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(trial * 7 % 60));
                git(&repo, &["merge", "-q", "--no-edit", "ben"])
            })
        };
        for _ in 0..(trial % 4) {
            harness.step();
            std::thread::sleep(Duration::from_millis(15));
        }
        let merged = merge.join().expect("merge thread");
        assert!(
            merged.status.success(),
            "trial {trial}: git merge: {}",
            String::from_utf8_lossy(&merged.stderr)
        );
        harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
        harness.run();
        wait_for(&mut harness, |h| {
            h.query_by_label("Merge (Enter)").is_some()
        });
        if trial % 3 == 0 {
            harness.key_press(Key::Enter);
        } else {
            harness.get_by_label("Merge (Enter)").click();
        }
        harness.run();
        wait_for(&mut harness, |h| {
            !h.state().saving.busy() && !h.state().session.is_dirty()
        });
        let saved = entity_set(&gloss::store::load(&file).expect("load"));
        let mut expected: Vec<(String, String)> = entity_set(&ana);
        expected.extend(entity_set(&ben));
        expected.push(("Russian".to_owned(), "MISC".to_owned()));
        expected.sort();
        expected.dedup();
        let missing: Vec<&(String, String)> =
            expected.iter().filter(|e| !saved.contains(e)).collect();
        if !missing.is_empty() {
            lost_trials.push((trial, format!("{missing:?}")));
        }
        assert!(
            saved.len() >= expected.len(),
            "trial {trial}: {} entities saved, {} expected",
            saved.len(),
            expected.len()
        );
    }
    assert!(lost_trials.is_empty(), "lost: {lost_trials:?}");
}

#[test]
fn hundreds_of_changes_in_a_row_end_in_the_last_version_with_few_reloads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("p.gloss.ron");
    let mut harness = app_on_sample(&dir, &project);
    let mut theirs = gloss::store::load(&project).expect("load");
    // A rebase of many commits: 300 versions written as fast as possible.
    for i in 0..300 {
        theirs.name = format!("version {i}");
        gloss::store::save(&theirs, &project).expect("save");
        if i % 50 == 0 {
            harness.step();
        }
    }
    wait_for(&mut harness, |h| {
        h.state().session.project().name == "version 299"
    });
    assert!(!harness.state().session.is_dirty());
    let steps = harness.state().session.history.undo_len();
    assert!(steps <= 10, "{steps} reloads for 300 changes");
}
