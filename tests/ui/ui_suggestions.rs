//! Suggestions in the app: learned on a worker from the finished
//! documents, walked with S, accepted with Enter (one undoable step that
//! records the decision), rejected with X (never proposed again, kept in
//! the project file), accepted all of a type at once, and filtered by the
//! score threshold.

use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use gloss::model::{Document, Project, Status};
use gloss::ui::files::ScriptedPicker;
use gloss::ui::{GlossApp, Startup};

const NEW_TEXT: &str = "Kim Jong Un met Vladimir Putin in Moscow on Monday, Russian media said.";

/// The sample article marked Done (what Gloss learns from) and a new one.
fn project() -> Project {
    let mut project = gloss::sample::sample_project().expect("sample");
    std::sync::Arc::make_mut(&mut project.documents[0]).status = Status::Done;
    project
        .documents
        .push(Document::new("new", "Summit", NEW_TEXT).into());
    project
}

fn app(dir: &tempfile::TempDir, project: Project, path: Option<std::path::PathBuf>) -> GlossApp {
    let mut app = GlossApp::new_in(
        Startup::InMemory(Box::new(project), path),
        Box::new(ScriptedPicker::default()),
        dir.path().join("data"),
    );
    app.current = 1;
    app
}

/// The shared harness settles in 60 steps; learning on a worker in a debug
/// build, with its spinner, takes more.
fn start(app: GlossApp) -> egui_kittest::Harness<'static, GlossApp> {
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::Vec2::new(1280.0, 820.0))
        .with_theme(egui::Theme::Light)
        .with_max_steps(2000)
        .with_context_setup(gloss::ui::theme::install)
        .build_ui_state(|ui, app: &mut GlossApp| app.frame(ui), app);
    harness.run();
    harness
}

fn wait_for(
    harness: &mut egui_kittest::Harness<'static, GlossApp>,
    done: impl Fn(&mut egui_kittest::Harness<'static, GlossApp>) -> bool,
) {
    let started = Instant::now();
    while !done(harness) && started.elapsed() < Duration::from_secs(30) {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run();
    assert!(done(harness), "timed out");
}

/// Runs frames until no training is under way (its spinner repaints).
fn settle(harness: &mut egui_kittest::Harness<'static, GlossApp>) {
    // Input is read by the next frames: run them before asking.
    harness.run();
    wait_for(harness, |h| !h.state().suggestions.is_training());
}

fn shown(harness: &egui_kittest::Harness<'static, GlossApp>) -> Vec<(String, String)> {
    harness
        .state()
        .suggestions
        .shown()
        .iter()
        .map(|s| (s.text.clone(), s.label.clone()))
        .collect()
}

fn entities(harness: &egui_kittest::Harness<'static, GlossApp>) -> Vec<(String, String)> {
    harness.state().session.project().documents[1]
        .entities
        .iter()
        .map(|e| (e.text.to_string(), e.label.to_string()))
        .collect()
}

#[test]
fn walk_accept_undo_reject_and_accept_all() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = start(app(&dir, project(), None));
    wait_for(&mut harness, |h| !h.state().suggestions.shown().is_empty());
    let first = shown(&harness);
    assert!(
        first.contains(&("Vladimir Putin".to_owned(), "PER".to_owned())),
        "{first:?}"
    );
    harness.get_by_label_contains("S next · Enter accept · X reject");
    // S walks to the first suggestion and selects it.
    harness.key_press(Key::S);
    settle(&mut harness);
    let focused = harness.state().suggestions.focused().expect("focused");
    assert_eq!(
        harness.state().selection,
        Some((focused.start, focused.end))
    );
    // Enter accepts: an ordinary entity, stamped, and the decision recorded.
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(entities(&harness).contains(&(focused.text.clone(), focused.label.clone())));
    let doc = &harness.state().session.project().documents[1];
    assert_eq!(doc.suggestion_decisions.len(), 1);
    assert!(doc.suggestion_decisions[0].accepted);
    assert!(!shown(&harness).contains(&(focused.text.clone(), focused.label.clone())));
    // One undo step takes back both.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert!(entities(&harness).is_empty());
    assert!(
        harness.state().session.project().documents[1]
            .suggestion_decisions
            .is_empty()
    );
    // X rejects: recorded, and never proposed again.
    wait_for(&mut harness, |h| !h.state().suggestions.shown().is_empty());
    harness.key_press(Key::S);
    settle(&mut harness);
    let rejected = harness.state().suggestions.focused().expect("focused");
    harness.key_press(Key::X);
    settle(&mut harness);
    let doc = &harness.state().session.project().documents[1];
    assert_eq!(doc.suggestion_decisions.len(), 1);
    assert!(!doc.suggestion_decisions[0].accepted);
    wait_for(&mut harness, |h| !h.state().suggestions.is_training());
    assert!(!shown(&harness).contains(&(rejected.text.clone(), rejected.label.clone())));
    // Accept all of a type: every PER suggestion, one step.
    let pers = shown(&harness).iter().filter(|(_, l)| l == "PER").count();
    assert!(pers >= 1);
    harness
        .get_by_label(&format!("Accept all PER ({pers})"))
        .click();
    settle(&mut harness);
    let per_entities = entities(&harness)
        .iter()
        .filter(|(_, l)| l == "PER")
        .count();
    assert_eq!(per_entities, pers);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert!(entities(&harness).is_empty(), "one undo step");
}

#[test]
fn a_rejection_survives_save_and_reload_and_the_threshold_filters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.gloss.ron");
    gloss::store::save(&project(), &path).expect("save");
    let mut harness = start(app(&dir, project(), Some(path.clone())));
    wait_for(&mut harness, |h| !h.state().suggestions.shown().is_empty());
    harness.key_press(Key::S);
    settle(&mut harness);
    let rejected = harness.state().suggestions.focused().expect("focused");
    harness.key_press(Key::X);
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    wait_for(&mut harness, |h| {
        !h.state().saving.busy() && !h.state().session.is_dirty()
    });
    drop(harness);
    // The decision needs format version 4 (and nothing newer).
    let written = std::fs::read_to_string(&path).expect("read");
    assert!(written.contains("\n  version: 4,\n"), "{written}");
    let reloaded = gloss::store::load(&path).expect("load");
    let mut harness = start(app(&dir, reloaded, Some(path)));
    wait_for(&mut harness, |h| !h.state().suggestions.shown().is_empty());
    assert!(!shown(&harness).contains(&(rejected.text.clone(), rejected.label.clone())));
    // A threshold of 1 shows only what is certain; 0 shows everything.
    let at_half = shown(&harness).len();
    harness.state_mut().suggestions.threshold = 0.0;
    settle(&mut harness);
    let at_zero = shown(&harness).len();
    harness.state_mut().suggestions.threshold = 1.0;
    settle(&mut harness);
    let at_one = shown(&harness).len();
    assert!(
        at_zero >= at_half && at_half >= at_one,
        "{at_zero} {at_half} {at_one}"
    );
    assert!(
        harness
            .state()
            .suggestions
            .shown()
            .iter()
            .all(|s| s.score >= 1.0)
    );
}

#[test]
fn nothing_learned_gives_a_hint_and_hiding_hides() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut fresh = Project::new("Fresh");
    fresh
        .documents
        .push(Document::new("a", "A", NEW_TEXT).into());
    fresh
        .documents
        .push(Document::new("b", "B", "Another text.").into());
    let mut harness = start(app(&dir, fresh, None));
    wait_for(&mut harness, |h| {
        h.state().suggestions.recommender().is_some()
    });
    harness.get_by_label_contains("no entities to learn from yet");
    assert!(harness.state().suggestions.shown().is_empty());
    harness.get_by_label("Hide").click();
    settle(&mut harness);
    assert!(!harness.state().suggestions.enabled);
    assert!(
        harness
            .query_by_label_contains("nothing to learn from yet")
            .is_none()
    );
}

#[test]
fn the_dashboard_shows_the_precision_of_decisions_per_type() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = start(app(&dir, project(), None));
    wait_for(&mut harness, |h| h.state().suggestions.shown().len() >= 2);
    harness.key_press(Key::S);
    settle(&mut harness);
    let accepted = harness.state().suggestions.focused().expect("focused");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    harness.key_press(Key::S);
    settle(&mut harness);
    let rejected = harness.state().suggestions.focused().expect("focused");
    harness.key_press(Key::X);
    settle(&mut harness);
    let decisions = gloss::suggest::decisions_by_type(harness.state().session.project());
    let total: usize = decisions.iter().map(|(_, a, r)| a + r).sum();
    assert_eq!(total, 2, "{decisions:?}");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    settle(&mut harness);
    harness.get_by_label("Suggestions: precision so far");
    if accepted.label == rejected.label {
        harness.get_by_label("50%");
    } else {
        harness.get_by_label("100%");
        harness.get_by_label("0%");
    }
}

#[test]
fn a_quotation_is_a_candidate_claim_that_opens_the_claim_editor_with_cue_and_claimant() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = project();
    let text = "“We will not give up the fight,” said Kirby on Monday.";
    let mut doc = Document::new("quote", "Quote", text);
    let at = text
        .find("Kirby")
        .map(|b| text[..b].chars().count())
        .expect("Kirby");
    doc.entities
        .push(gloss::model::Entity::new("e1", "PER", at, at + 5, "Kirby"));
    project.documents[1] = doc.into();
    let mut harness = start(app(&dir, project, None));
    wait_for(&mut harness, |h| !h.state().suggestions.claims().is_empty());
    let candidate = harness.state().suggestions.claims()[0].clone();
    assert_eq!(candidate.text, "We will not give up the fight");
    harness.get_by_label_contains("1 claim · S next");
    // Walk to it and accept: a claim with the cue and claimant guessed,
    // and the editor open on it.
    while harness.state().suggestions.focused().map(|s| s.label)
        != Some(gloss::ui::suggestions::CLAIM.to_owned())
    {
        harness.key_press(Key::S);
        settle(&mut harness);
    }
    harness.key_press(Key::Enter);
    settle(&mut harness);
    let doc = &harness.state().session.project().documents[1];
    assert_eq!(doc.claims.len(), 1, "{:?}", doc.claims);
    let claim = &doc.claims[0];
    assert_eq!(claim.text, "We will not give up the fight");
    assert_eq!(claim.cue.as_ref().map(|c| c.text.as_str()), Some("said"));
    assert_eq!(
        claim.claimant,
        Some(gloss::model::Claimant::Entity("e1".into()))
    );
    assert!(harness.state().claim_editor.is_some(), "the editor is open");
    assert_eq!(
        doc.suggestion_decisions.len(),
        1,
        "the decision is recorded with the claim"
    );
    assert!(
        harness.state().suggestions.claims().is_empty(),
        "{:?}",
        harness.state().suggestions.claims()
    );
    // One undo step takes back the claim and the decision.
    harness.state_mut().claim_editor = None;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    let doc = &harness.state().session.project().documents[1];
    assert!(doc.claims.is_empty() && doc.suggestion_decisions.is_empty());
}

/// Tags the first occurrence of `needle` in the shown document with `key`.
fn tag(harness: &mut egui_kittest::Harness<'static, GlossApp>, needle: &str, key: Key) {
    let text = harness.state().document().expect("a document").text.clone();
    let byte = text.find(needle).expect("the text has the needle");
    let start = text[..byte].chars().count();
    harness.state_mut().selection = Some((start, start + needle.chars().count()));
    harness.run();
    harness.key_press(key);
    settle(harness);
}

#[test]
fn every_edit_of_a_finished_document_retrains() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = app(&dir, project(), None);
    app.current = 0;
    let mut harness = start(app);
    let trained = |h: &egui_kittest::Harness<'static, GlossApp>| {
        h.state()
            .suggestions
            .recommender()
            .map(|r| r.trained().entities)
    };
    wait_for(&mut harness, |h| trained(h).is_some());
    let before = trained(&harness).expect("trained");
    // The second edit changes the document in place (nobody else holds
    // it any more): it must retrain too.
    tag(&mut harness, "Russian", Key::Num7);
    wait_for(&mut harness, |h| trained(h) == Some(before + 1));
    tag(&mut harness, "Defense Minister", Key::Num2);
    wait_for(&mut harness, |h| trained(h) == Some(before + 2));
}

#[test]
fn the_dashboard_draws_a_learning_curve_of_the_finished_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = project();
    // A second finished document, the held-out one.
    let text = "Vladimir Putin met Kim Jong Un in Vladivostok on Wednesday.";
    let mut held = Document::new("held", "Held", text);
    for (needle, label) in [
        ("Vladimir Putin", "PER"),
        ("Kim Jong Un", "PER"),
        ("Vladivostok", "GPE"),
    ] {
        let b = text.find(needle).expect("needle");
        let start = text[..b].chars().count();
        held.entities.push(gloss::model::Entity::new(
            format!("e{}", held.entities.len() + 1),
            label,
            start,
            start + needle.chars().count(),
            needle,
        ));
    }
    held.status = Status::Done;
    project.documents.push(held.into());
    let mut harness = start(app(&dir, project, None));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    harness.run();
    wait_for(&mut harness, |h| {
        h.state().suggestions.curve().is_some_and(|c| !c.is_empty())
    });
    let curve = harness.state().suggestions.curve().expect("curve");
    assert_eq!(curve.last().map(|p| p.documents), Some(1));
    assert!(curve.iter().all(|p| (0.0..=1.0).contains(&p.f1)));
    assert!(curve.last().is_some_and(|p| p.f1 > 0.5), "{curve:?}");
    harness.get_by_label("Suggestions: learning curve");
}

#[test]
fn a_type_digit_on_a_walked_suggestion_decides_it_in_the_same_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = start(app(&dir, project(), None));
    wait_for(&mut harness, |h| !h.state().suggestions.shown().is_empty());
    // Walk to an entity suggestion (not a candidate claim).
    harness.key_press(Key::S);
    settle(&mut harness);
    while harness.state().suggestions.focused().map(|s| s.label)
        == Some(gloss::ui::suggestions::CLAIM.to_owned())
    {
        harness.key_press(Key::S);
        settle(&mut harness);
    }
    let s = harness.state().suggestions.focused().expect("focused");
    // 7 is MISC: a correction unless MISC was suggested.
    harness.key_press(Key::Num7);
    settle(&mut harness);
    let doc = &harness.state().session.project().documents[1];
    assert!(
        doc.entities
            .iter()
            .any(|e| e.start == s.start && e.end == s.end && e.label == "MISC")
    );
    assert_eq!(doc.suggestion_decisions.len(), 1);
    assert_eq!(doc.suggestion_decisions[0].accepted, s.label == "MISC");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    let doc = &harness.state().session.project().documents[1];
    assert!(
        doc.entities.is_empty() && doc.suggestion_decisions.is_empty(),
        "one step"
    );
}

#[test]
fn a_long_article_gets_its_suggestions_from_a_worker() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = project();
    // Over 20,000 bytes: worked out off the UI thread.
    let text = format!("{NEW_TEXT}\n").repeat(400);
    project.documents[1] = Document::new("long", "Long", text).into();
    let mut harness = start(app(&dir, project, None));
    wait_for(&mut harness, |h| h.state().suggestions.shown().len() > 100);
    let first = shown(&harness);
    assert!(first.contains(&("Vladimir Putin".to_owned(), "PER".to_owned())));
    // An edit works them out again; the old ones stay drawn meanwhile.
    harness.key_press(Key::S);
    settle(&mut harness);
    harness.key_press(Key::Enter);
    settle(&mut harness);
    wait_for(&mut harness, |h| {
        h.state().suggestions.shown().len() == first.len() - 1
    });
}
