//! Nothing a user did is lost: unsaved edits are journalled to a recovery
//! file in the background, and the next start offers to restore them.

use std::time::{Duration, Instant};

use crate::common::harness;

use egui_kittest::kittest::Queryable as _;
use gloss::edit::Edit;
use gloss::model::Status;
use gloss::ui::files::ScriptedPicker;
use gloss::ui::{GlossApp, Startup};

#[test]
fn unsaved_edits_are_journalled_and_restored_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let project_path = dir.path().join("p.gloss.ron");
    gloss::store::save(&gloss::sample::sample_project().unwrap(), &project_path).unwrap();
    let on_disk = std::fs::read(&project_path).unwrap();

    // Session 1: one edit, then the app "crashes" (is dropped without saving).
    let recovery = gloss::store::recovery::recovery_path(Some(&project_path), &data);
    {
        let app = GlossApp::new_in(
            Startup::Project(project_path.clone()),
            Box::new(ScriptedPicker::default()),
            data.clone(),
        );
        let mut h = harness(app);
        let doc = h.state().session.project().documents[0].id.clone();
        h.state_mut()
            .session
            .apply(Edit::SetStatus {
                doc,
                status: Status::Done,
            })
            .unwrap();
        let started = Instant::now();
        while !recovery.exists() && started.elapsed() < Duration::from_secs(15) {
            h.step();
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(
            recovery.exists(),
            "the recovery file is written within seconds"
        );
    }
    assert_eq!(
        std::fs::read(&project_path).unwrap(),
        on_disk,
        "the project file itself is untouched"
    );

    // Session 2: the app offers the recovered work.
    let app = GlossApp::new_in(
        Startup::Project(project_path.clone()),
        Box::new(ScriptedPicker::default()),
        data.clone(),
    );
    let mut h = harness(app);
    h.get_by_label("Restore unsaved work?");
    h.get_by_label("Restore").click();
    h.run();
    let app = h.state();
    assert_eq!(app.session.project().documents[0].status, Status::Done);
    assert!(
        app.session.is_dirty(),
        "restored work is unsaved until the user saves"
    );

    // Saving removes the journal.
    let mut h = h;
    h.state_mut().save(None);
    h.state_mut().wait_for_save();
    h.run();
    assert!(!recovery.exists());
    assert_eq!(
        gloss::store::load(&project_path).unwrap().documents[0].status,
        Status::Done
    );
}

#[test]
fn discarding_the_recovered_work_removes_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut project = gloss::sample::sample_project().unwrap();
    let recovery = gloss::store::recovery::recovery_path(None, &data);
    std::sync::Arc::make_mut(&mut project.documents[0]).status = Status::Reviewed;
    gloss::store::recovery::write(&recovery, &project, None).unwrap();
    let app = GlossApp::new_in(Startup::Sample, Box::new(ScriptedPicker::default()), data);
    let mut h = harness(app);
    h.get_by_label("Discard").click();
    h.run();
    assert!(!recovery.exists());
    assert_eq!(
        h.state().session.project().documents[0].status,
        Status::InProgress
    );
    assert!(!h.state().session.is_dirty());
}
