//! Adjudication and comparison, driven like a reviewer would: merge two
//! annotators' projects with `gloss::review::merge`, open the result, walk
//! every disagreement to zero with keys and buttons, undo; and File →
//! Compare with… another annotator's file (the dialog answered by a
//! [`ScriptedPicker`]).

use crate::common;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::model::validate::validate;
use gloss::model::{Document, Entity, Project};
use gloss::ui::files::ScriptedPicker;
use gloss::ui::{GlossApp, Startup};

const TEXT: &str = "Kim Jong Un met Vladimir Putin in Vostochny on Wednesday.";

/// One annotator's copy of the summit article.
fn copy(annotator: &str, title: &str, entities: &[(&str, &str, usize, usize)]) -> Project {
    let mut p = Project::new("Summit");
    p.annotators = vec![annotator.to_owned()];
    let mut d = Document::new("summit", title, TEXT);
    for (id, label, start, end) in entities {
        let text: String = TEXT.chars().skip(*start).take(end - start).collect();
        let mut e = Entity::new(*id, *label, *start, *end, text);
        e.annotator = Some(annotator.into());
        d.entities.push(e);
    }
    p.documents.push(d.into());
    p
}

/// Ana and Ben agree on Kim; tag Vostochny GPE and LOC; only Ben tagged
/// Putin; they titled the article differently.
fn ana_and_ben() -> (Project, Project) {
    let ana = copy(
        "ana",
        "Summit",
        &[("e1", "PER", 0, 11), ("e2", "GPE", 34, 43)],
    );
    let ben = copy(
        "ben",
        "Putin meets Kim",
        &[
            ("e1", "PER", 0, 11),
            ("e2", "LOC", 34, 43),
            ("e3", "PER", 16, 30),
        ],
    );
    (ana, ben)
}

fn app_on(project: Project, picker: ScriptedPicker, dir: &tempfile::TempDir) -> GlossApp {
    GlossApp::new_in(
        Startup::InMemory(Box::new(project), None),
        Box::new(picker),
        dir.path().join("data"),
    )
}

fn labels(harness: &Harness<'static, GlossApp>) -> Vec<(String, usize)> {
    harness.state().session.project().documents[0]
        .entities
        .iter()
        .map(|e| (e.label.to_string(), e.start))
        .collect()
}

fn press(harness: &mut Harness<'static, GlossApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

#[test]
fn walks_every_disagreement_to_zero_and_undo_brings_one_back() {
    let (ana, ben) = ana_and_ben();
    let (merged, report) = gloss::review::merge::merge(&ana, &ben);
    assert_eq!(report.remaining, 3, "title, Putin, Vostochny");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_on(merged, ScriptedPicker::new(vec![]), &dir));
    // The reviewer's name, as the app's preferences give it.
    harness.state_mut().prefs.annotator = Some("Rev".into());

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::J);
    harness.run();
    harness.get_by_label("3 left");
    // The title comes first.
    harness.get_by_label("“Summit”");
    harness.get_by_label("“Putin meets Kim”");
    press(&mut harness, Key::B);
    assert_eq!(
        harness.state().session.project().documents[0].title,
        "Putin meets Kim"
    );
    harness.get_by_label("2 left");

    // Putin, only Ben's: the view jumped to it; who made which shows.
    assert_eq!(harness.state().selection, Some((16, 30)));
    harness.get_by_label("A — ana");
    harness.get_by_label("B — ben");
    harness.get_by_label("(nothing here)");
    harness.get_by_label("PER “Vladimir Putin”");
    harness.get_by_label("Neither").click();
    harness.run();
    harness.get_by_label("1 left");

    // Vostochny: Ana's GPE.
    assert_eq!(harness.state().selection, Some((34, 43)));
    press(&mut harness, Key::A);
    harness.get_by_label("0 left");
    harness.get_by_label("No disagreements left ✔");
    let project = harness.state().session.project().clone();
    assert_eq!(project.conflict_count(), 0);
    assert!(validate(&project).is_empty(), "{:?}", validate(&project));
    assert_eq!(
        labels(&harness),
        [("PER".to_owned(), 0), ("GPE".to_owned(), 34)]
    );
    // Settling stamped the reviewer on what was kept and accepted it; Ana
    // still made it. Kim, agreed by both, was never in a record.
    let doc = &project.documents[0];
    let trace: Vec<(gloss::model::Review, Option<&str>, Option<&str>)> = doc
        .entities
        .iter()
        .map(|e| (e.review, e.annotator.as_deref(), e.reviewer.as_deref()))
        .collect();
    assert_eq!(
        trace,
        [
            (gloss::model::Review::Unreviewed, Some("ana"), None),
            (gloss::model::Review::Accepted, Some("ana"), Some("Rev"))
        ]
    );
    assert!(doc.entities[1].modified.is_some());

    // One undo: the Vostochny disagreement is back, both versions live.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().session.project().conflict_count(), 1);
    harness.get_by_label("1 left");
    assert_eq!(
        labels(&harness),
        [
            ("PER".to_owned(), 0),
            ("GPE".to_owned(), 34),
            ("LOC".to_owned(), 34)
        ]
    );
}

#[test]
fn edit_keeps_a_version_and_hands_the_keys_back_for_changing_it() {
    let (ana, ben) = ana_and_ben();
    let (merged, _) = gloss::review::merge::merge(&ana, &ben);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_on(merged, ScriptedPicker::new(vec![]), &dir));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::J);
    harness.run();
    // J twice: past the title and Putin, to Vostochny.
    press(&mut harness, Key::J);
    press(&mut harness, Key::J);
    assert_eq!(harness.state().selection, Some((34, 43)));
    // E keeps A's GPE, selects it, and the digits retype it: ORG is 2.
    press(&mut harness, Key::E);
    assert!(
        harness
            .state()
            .adjudication
            .as_ref()
            .is_some_and(|a| a.editing)
    );
    press(&mut harness, Key::Num2);
    let doc = &harness.state().session.project().documents[0];
    let vostochny: Vec<&str> = doc
        .entities
        .iter()
        .filter(|e| e.start == 34)
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(vostochny, ["ORG"]);
    // Back to the walk-through: the keys settle again.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::J);
    harness.run();
    assert!(
        harness
            .state()
            .adjudication
            .as_ref()
            .is_some_and(|a| !a.editing)
    );
    harness.get_by_label("2 left");
}

#[test]
fn compare_with_shows_the_figures_and_both_versions() {
    let (ana, ben) = ana_and_ben();
    let dir = tempfile::tempdir().expect("temp dir");
    let ben_path = dir.path().join("ben.gloss.ron");
    gloss::store::save(&ben, &ben_path).expect("saved");
    let picker = ScriptedPicker::new(vec![vec![ben_path.clone()]]);
    let mut harness = common::harness(app_on(ana.clone(), picker, &dir));
    compare_with(&mut harness);
    let comparison = harness.state().compare.clone().expect("compared");
    let expected = gloss::review::agree::agree(&ana, &ben, &Default::default()).expect("figures");
    assert_eq!(comparison.agreement, expected);
    // Exact: Kim only, of 2 (A) and 3 (B): P 1/3, R 1/2, F1 2/5.
    harness.get_by_label("Comparison with ben.gloss.ron");
    assert!(harness.query_all_by_label("0.400").count() >= 1);
    harness.get_by_label("0.333");
    // This document, side by side: Kim agrees, Putin and Vostochny differ.
    harness.get_by_label("“Vladimir Putin”");
    assert_eq!(harness.query_all_by_label("✖ differs").count(), 2);
    assert_eq!(harness.query_all_by_label("✔").count(), 1);
    // Only the differences: Kim's row goes.
    harness.get_by_label("Only differences").click();
    harness.run();
    assert_eq!(harness.query_all_by_label("✔").count(), 0);
    assert_eq!(harness.query_all_by_label("✖ differs").count(), 2);
    // A row jumps the article view to its text.
    harness.get_by_label("“Vostochny”").click();
    harness.run();
    assert_eq!(harness.state().selection, Some((34, 43)));
}

/// File → Compare with… (the picker answers with the other file), waiting
/// for the figures. The dialog and the comparison run on workers, with a
/// spinner: step in real time until the result is in (a bounded run() ran
/// out of steps under load), then settle; an endless repaint still fails.
fn compare_with(harness: &mut Harness<'static, GlossApp>) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Compare with…").click();
    harness.step();
    let started = std::time::Instant::now();
    while harness.state().compare.is_none() && started.elapsed().as_secs() < 20 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(harness.state().compare.is_some(), "compared");
    assert!(
        (0..3).any(|_| harness.try_run().is_ok()),
        "the window keeps repainting"
    );
}

/// The curated project is merged on a worker: step in real time until it
/// replaces the compared one, then settle.
fn wait_for_curation(harness: &mut Harness<'static, GlossApp>) {
    harness.step();
    let started = std::time::Instant::now();
    while harness.state().compare.is_some() && started.elapsed().as_secs() < 20 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(harness.state().compare.is_none(), "curated");
    assert!(
        (0..3).any(|_| harness.try_run().is_ok()),
        "the window keeps repainting"
    );
}

#[test]
fn adjudicate_from_the_comparison_curates_both_versions_in_a_new_project() {
    let (ana, ben) = ana_and_ben();
    let dir = tempfile::tempdir().expect("temp dir");
    let ana_path = dir.path().join("ana.gloss.ron");
    let ben_path = dir.path().join("ben.gloss.ron");
    gloss::store::save(&ana, &ana_path).expect("saved");
    gloss::store::save(&ben, &ben_path).expect("saved");
    let ana_file = std::fs::read(&ana_path).expect("read");
    let picker = ScriptedPicker::new(vec![vec![ben_path.clone()]]);
    let mut harness = common::harness(app_on(ana.clone(), picker, &dir));
    harness.state_mut().session.path = Some(ana_path.clone());
    harness.state_mut().prefs.annotator = Some("Rev".into());
    compare_with(&mut harness);

    harness.get_by_label("Adjudicate…").click();
    wait_for_curation(&mut harness);
    // A new curated project, unsaved and without a file, with the walk open
    // on the same disagreements `gloss merge ana ben` records.
    let state = harness.state();
    assert!(state.compare.is_none());
    assert!(state.session.path.is_none());
    assert!(state.session.is_dirty(), "closing it asks first");
    assert!(state.adjudication.is_some());
    let (merged, _) = gloss::review::merge::merge_named(
        &ana,
        &ben,
        gloss::review::merge::Sides {
            first: "ana.gloss.ron",
            second: "ben.gloss.ron",
        },
    );
    assert_eq!(state.session.project().documents, merged.documents);
    harness.get_by_label("3 left");
    // The versions are named after the files.
    press(&mut harness, Key::J);
    harness.get_by_label("A — ana (ana.gloss.ron)");
    harness.get_by_label("B — ben (ben.gloss.ron)");
    // Settle all three (title: B's; Putin: neither; Vostochny: A's GPE).
    press(&mut harness, Key::K);
    press(&mut harness, Key::B);
    harness.get_by_label("Neither").click();
    harness.run();
    press(&mut harness, Key::A);
    harness.get_by_label("0 left");
    let doc = &harness.state().session.project().documents[0];
    assert_eq!(doc.title, "Putin meets Kim");
    let kept = doc.entities.iter().find(|e| e.start == 34).expect("kept");
    assert_eq!(
        (kept.label.as_str(), kept.reviewer.as_deref()),
        ("GPE", Some("Rev"))
    );
    // Ana's file was never touched.
    assert_eq!(std::fs::read(&ana_path).expect("read"), ana_file);
    // The Dashboard counts the decision and what is left.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    harness.run();
    harness.get_by_label("No disagreements left to settle.");
    harness.get_by_label("Rev");
}

#[test]
fn ctrl_shift_j_with_only_a_comparison_open_curates_it() {
    let (ana, ben) = ana_and_ben();
    let dir = tempfile::tempdir().expect("temp dir");
    let ben_path = dir.path().join("ben.gloss.ron");
    gloss::store::save(&ben, &ben_path).expect("saved");
    let picker = ScriptedPicker::new(vec![vec![ben_path]]);
    let mut harness = common::harness(app_on(ana, picker, &dir));
    compare_with(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::J);
    wait_for_curation(&mut harness);
    assert_eq!(harness.state().session.project().conflict_count(), 3);
    harness.get_by_label("3 left");
}
