//! "Annotate all occurrences" across every document runs on a worker: the
//! status bar shows "k of n documents" with Cancel, the entities arrive as
//! one undoable step, Cancel adds nothing, and an edit made meanwhile is
//! neither lost nor overwritten.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::ui::jobs::Turnstile;
use gloss::ui::{GlossApp, Startup};

const DOCUMENTS: usize = 300;

/// 300 short articles (no emoji: the harness's fonts have none); "Kim"
/// occurs in every one, once already tagged.
fn app(dir: &tempfile::TempDir) -> (GlossApp, usize) {
    let mut project = gloss::model::Project::new("Many");
    for n in 0..DOCUMENTS {
        let text = format!(
            "Report {n}\n\nKim met officials in Moscow on Monday. Kim said the talks \
             were advancing; Kimberly and Pyongyang agreed. Kim left."
        );
        let mut doc =
            gloss::model::Document::new(format!("doc-{n:03}"), format!("Report {n}"), text);
        let at = doc.text.find("Kim").expect("Kim");
        let start = doc.text[..at].chars().count();
        doc.entities.push(gloss::model::Entity::new(
            "e1",
            "PER",
            start,
            start + 3,
            "Kim",
        ));
        project.documents.push(doc.into());
    }
    let documents: Vec<&gloss::model::Document> = project.documents.iter().map(|d| &**d).collect();
    let (_, expected) = gloss::edit::ops::annotate_all(&documents, "Kim", "PER");
    assert_eq!(expected, 2 * DOCUMENTS, "two untagged Kims a document");
    let app = GlossApp::new_in(
        Startup::InMemory(Box::new(project), None),
        Box::new(gloss::ui::files::ScriptedPicker::default()),
        dir.path().join("data"),
    );
    (app, expected)
}

/// Steps the app in real time until `done` holds (background work).
fn wait_for(
    harness: &mut Harness<'static, GlossApp>,
    done: impl Fn(&Harness<'static, GlossApp>) -> bool,
) {
    let started = Instant::now();
    while !done(harness) && started.elapsed() < Duration::from_secs(20) {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    settle(harness);
    assert!(done(harness), "timed out waiting for background work");
}

/// This file's `harness.run()`. The find bar stays open, and its worker
/// searches again after every edit, asking for a frame per batch of hits
/// until it is done; under load a bounded `run` ran out of steps meanwhile
/// (about one run in three with both cores busy). So: let the app take in
/// what was just pressed, step in real time until the worker is idle, then
/// run without failing at the step limit; the assertions that follow check
/// the outcome.
fn settle(harness: &mut Harness<'static, GlossApp>) {
    for _ in 0..3 {
        harness.step();
    }
    let started = Instant::now();
    while harness.state().find.progress().is_some() && started.elapsed() < Duration::from_secs(20) {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = harness.run_ok();
}

fn entities(harness: &Harness<'static, GlossApp>) -> usize {
    harness
        .state()
        .session
        .project()
        .documents
        .iter()
        .map(|d| d.entities.len())
        .sum()
}

fn has_label(harness: &Harness<'static, GlossApp>, label: &str) -> bool {
    harness.query_by_label(label).is_some()
}

/// Find "Kim", open "Annotate all…" from the find bar, choose all
/// documents, wait for the count and confirm. The worker then waits at the
/// turnstile before each document.
fn annotate_all_documents(
    harness: &mut Harness<'static, GlossApp>,
    expected: usize,
) -> Arc<Turnstile> {
    let turnstile = Turnstile::new();
    harness.state_mut().jobs.turnstile = Some(turnstile.clone());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    settle(harness);
    harness.get_by_label("Find:").type_text("Kim");
    // The find worker streams hits in (and asks for frames) until every
    // document is searched: step in real time, not a bounded `run`.
    wait_for(harness, |h| h.state().find.progress().is_none());
    harness.get_by_label("Annotate all…").click();
    settle(harness);
    harness.get_by_label("All documents").click();
    // The count streams in from a worker: wait for it in real time.
    harness.step();
    let count = format!("{expected} new mentions will be tagged PER.");
    wait_for(harness, |h| has_label(h, &count));
    harness.get_by_label("Annotate all").click();
    settle(harness);
    turnstile
}

#[test]
fn annotate_all_documents_shows_progress_and_is_one_undo_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, expected) = app(&dir);
    let mut harness = common::harness(app);
    let before = entities(&harness);
    let steps_before = harness.state().session.history.undo_len();
    let turnstile = annotate_all_documents(&mut harness, expected);

    // Held before the first document: the window is alive and says so.
    harness.get_by_label("annotating all \"Kim\": 0 of 300 documents");
    harness.get_by_label("Cancel");
    turnstile.allow(120);
    wait_for(&mut harness, |h| {
        has_label(h, "annotating all \"Kim\": 120 of 300 documents")
    });
    assert_eq!(entities(&harness), before, "nothing is applied half-way");

    turnstile.allow(usize::MAX);
    wait_for(&mut harness, |h| !h.state().jobs.busy());
    assert_eq!(entities(&harness), before + expected);
    harness.get_by_label_contains(&format!("tagged {expected} mentions of \"Kim\" as PER"));
    let tagged = |h: &Harness<'static, GlossApp>| {
        h.state()
            .session
            .project()
            .documents
            .iter()
            .flat_map(|d| &d.entities)
            .filter(|e| e.text == "Kim" && e.label == "PER")
            .count()
    };
    assert_eq!(tagged(&harness), expected + DOCUMENTS);
    assert_eq!(harness.state().session.history.undo_len(), steps_before + 1);
    let after = harness.state().session.project().clone();

    // One Ctrl+Z removes them all; Ctrl+Y brings them all back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(entities(&harness), before);
    assert_eq!(tagged(&harness), DOCUMENTS);
    assert_eq!(harness.state().session.history.undo_len(), steps_before);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    settle(&mut harness);
    assert_eq!(harness.state().session.project(), &after);
}

#[test]
fn cancel_adds_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, expected) = app(&dir);
    let mut harness = common::harness(app);
    let before = harness.state().session.project().clone();
    let turnstile = annotate_all_documents(&mut harness, expected);
    turnstile.allow(50);
    wait_for(&mut harness, |h| {
        has_label(h, "annotating all \"Kim\": 50 of 300 documents")
    });
    harness.get_by_label("Cancel").click();
    settle(&mut harness);
    turnstile.allow(usize::MAX);
    wait_for(&mut harness, |h| !h.state().jobs.busy());
    harness.get_by_label_contains("cancelled; nothing was tagged");
    assert_eq!(harness.state().session.project(), &before);
    assert!(!harness.state().session.history.can_undo());
    assert!(!harness.state().session.is_dirty());
}

#[test]
fn an_edit_made_while_annotating_is_kept_and_the_tagging_worked_out_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, expected) = app(&dir);
    let mut harness = common::harness(app);
    let before = entities(&harness);
    let turnstile = annotate_all_documents(&mut harness, expected);
    turnstile.allow(10);
    wait_for(&mut harness, |h| {
        has_label(h, "annotating all \"Kim\": 10 of 300 documents")
    });
    // Meanwhile the user marks the shown document Done (Ctrl+3).
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    settle(&mut harness);
    let done = gloss::model::Status::Done;
    assert_eq!(harness.state().document().map(|d| d.status), Some(done));
    turnstile.allow(usize::MAX);
    wait_for(&mut harness, |h| {
        !h.state().jobs.busy() && entities(h) == before + expected
    });
    // The status is kept, and undo takes the two steps back one at a time.
    assert_eq!(harness.state().document().map(|d| d.status), Some(done));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(entities(&harness), before);
    assert_eq!(harness.state().document().map(|d| d.status), Some(done));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_ne!(harness.state().document().map(|d| d.status), Some(done));
}
