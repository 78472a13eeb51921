//! The Annotations pane and the Dashboard, driven as a reviewer would: open
//! the pane, filter by type and by text, sort by a column, click a row and
//! land on the annotation in its document; click a dashboard bar and see the
//! pane list what the bar counted; the article view's dimming set follows
//! the filter.

use crate::common;

use std::collections::HashSet;

use egui::{Key, Modifiers, Pos2};
use egui_kittest::kittest::Queryable as _;
use gloss::model::{Claim, Claimant, Document, Entity, Project, Review, Status, Verdict};
use gloss::ui::files::ScriptedPicker;
use gloss::ui::{AnnotationKind, AnnotationRef, GlossApp, Startup};

type Harness = egui_kittest::Harness<'static, GlossApp>;

fn entity(id: &str, label: &str, doc: &Document, text: &str, by: Option<&str>) -> Entity {
    let byte = doc.text.find(text).expect("the text has it");
    let start = doc.text[..byte].chars().count();
    let mut e = Entity::new(id, label, start, start + text.chars().count(), text);
    e.annotator = by.map(Into::into);
    e
}

/// Three articles: "Summit" (Kim, Moon: PER; Seoul: GPE), "Talks" (Putin,
/// accepted; Lavrov: PER; a claim by Putin) and "Later" (done; Monday).
fn project() -> Project {
    let mut p = Project::new("panes");
    let mut d1 = Document::new("d1", "Summit", "Kim met Moon in Seoul.");
    let kim = entity("e1", "PER", &d1, "Kim", Some("ann"));
    let moon = entity("e2", "PER", &d1, "Moon", Some("bob"));
    let seoul = entity("e3", "GPE", &d1, "Seoul", Some("ann"));
    d1.entities.extend([kim, moon, seoul]);
    let mut d2 = Document::new("d2", "Talks", "Putin said talks advance. Lavrov agreed.");
    let mut putin = entity("e1", "PER", &d2, "Putin", Some("bob"));
    putin.review = Review::Accepted;
    let lavrov = entity("e2", "PER", &d2, "Lavrov", None);
    d2.entities.extend([putin, lavrov]);
    let mut claim = Claim::new("c1", 11, 24, "talks advance");
    claim.claimant = Some(Claimant::Entity("e1".into()));
    claim.verdict = Some(Verdict::Refutes);
    d2.claims.push(claim);
    let mut d3 = Document::new("d3", "Later", "On Monday nothing happened.");
    d3.status = Status::Done;
    let monday = entity("e1", "DATE", &d3, "Monday", Some("ann"));
    d3.entities.push(monday);
    p.documents.extend([d1, d2, d3].map(std::sync::Arc::new));
    assert!(gloss::model::validate::validate(&p).is_empty());
    p
}

fn harness(dir: &tempfile::TempDir) -> Harness {
    let app = GlossApp::new_in(
        Startup::InMemory(Box::new(project()), None),
        Box::new(ScriptedPicker::new(vec![])),
        dir.path().join("data"),
    );
    common::harness(app)
}

fn listed(harness: &Harness) -> Vec<String> {
    harness
        .state()
        .annotations
        .listed()
        .into_iter()
        .map(|(d, a)| format!("{d}/{a}"))
        .collect()
}

fn matches(harness: &Harness) -> Option<HashSet<String>> {
    harness
        .state()
        .pane_matches
        .as_ref()
        .map(|m| m.iter().map(|(d, a)| format!("{d}/{a}")).collect())
}

fn set(items: &[&str]) -> Option<HashSet<String>> {
    Some(items.iter().map(|s| (*s).to_owned()).collect())
}

fn open_pane(harness: &mut Harness) {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    harness.run();
    harness.get_by_label("Whole project").click();
    harness.run();
}

fn pick(harness: &mut Harness, combo: &str, item: &str) {
    harness
        .get_by_role_and_label(egui::Role::ComboBox, combo)
        .click();
    harness.run();
    // The popup's choice, not a table cell with the same text.
    harness
        .get_by_role_and_label(egui::Role::Button, item)
        .click();
    harness.run();
}

/// Clicks into a filter field and types.
fn type_into(harness: &mut Harness, field: &str, text: &str) {
    harness.get_by_label(field).click();
    harness.run();
    harness.get_by_label(field).type_text(text);
    harness.run();
}

#[test]
fn the_pane_filters_by_type_and_text_and_a_click_jumps_to_the_annotation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(&dir);
    assert_eq!(harness.state().current, 0);
    open_pane(&mut harness);
    // Every annotation, in document and reading order; nothing is dimmed.
    assert_eq!(
        listed(&harness),
        [
            "d1/e1", "d1/e2", "d1/e3", "d2/e1", "d2/c1", "d2/e2", "d3/e1"
        ]
    );
    harness.get_by_label("7 annotations listed");
    assert_eq!(matches(&harness), None);

    pick(&mut harness, "Type:", "PER — Person");
    assert_eq!(listed(&harness), ["d1/e1", "d1/e2", "d2/e1", "d2/e2"]);
    harness.get_by_label("4 annotations matching");
    // The article shows d1: its PER mentions stay bright, Seoul dims.
    assert_eq!(matches(&harness), set(&["d1/e1", "d1/e2"]));

    type_into(&mut harness, "Text:", "PUT");
    assert_eq!(listed(&harness), ["d2/e1"]);
    assert_eq!(matches(&harness), set(&[]), "nothing in d1 matches");

    // The row's text cell; the click lands on d2's Putin, the pane stays.
    harness.get_by_label("Putin").click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.document_id().as_deref(), Some("d2"));
    assert_eq!(
        app.selected,
        Some(AnnotationRef {
            kind: AnnotationKind::Entity,
            id: "e1".into()
        })
    );
    assert!(
        harness.query_by_label("Clear filters").is_some(),
        "the Annotations pane is still shown"
    );
    assert_eq!(matches(&harness), set(&["d2/e1"]));

    harness.get_by_label("Clear filters").click();
    harness.run();
    assert_eq!(listed(&harness).len(), 7);
    assert_eq!(matches(&harness), None, "no filter, nothing dimmed");
}

#[test]
fn filters_by_annotator_review_verdict_claimant_and_document_status() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(&dir);
    open_pane(&mut harness);
    pick(&mut harness, "Annotator:", "ann");
    assert_eq!(listed(&harness), ["d1/e1", "d1/e3", "d3/e1"]);
    pick(&mut harness, "Status:", "Done");
    assert_eq!(listed(&harness), ["d3/e1"]);
    harness.get_by_label("Clear filters").click();
    harness.run();
    pick(&mut harness, "Review:", "accepted");
    assert_eq!(listed(&harness), ["d2/e1"]);
    harness.get_by_label("Clear filters").click();
    harness.run();
    pick(&mut harness, "Verdict:", "Refutes");
    assert_eq!(listed(&harness), ["d2/c1"]);
    harness.get_by_label("Clear filters").click();
    harness.run();
    type_into(&mut harness, "Claimant:", "\"putin\"");
    assert_eq!(listed(&harness), ["d2/c1"]);
}

#[test]
fn clicking_a_column_title_sorts_and_clicking_again_reverses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(&dir);
    open_pane(&mut harness);
    harness.get_by_label("Text").click();
    harness.run();
    // Kim, Lavrov, Monday, Moon, Putin, Seoul, talks advance.
    assert_eq!(
        listed(&harness),
        [
            "d1/e1", "d2/e2", "d3/e1", "d1/e2", "d2/e1", "d1/e3", "d2/c1"
        ]
    );
    harness.get_by_label("Text ▲").click();
    harness.run();
    assert_eq!(
        listed(&harness),
        [
            "d2/c1", "d1/e3", "d2/e1", "d1/e2", "d3/e1", "d2/e2", "d1/e1"
        ]
    );
    harness.get_by_label("Text ▼");
    harness.get_by_label("Annotator").click();
    harness.run();
    // Nobody recorded (Lavrov, the claim) first, then ann, then bob.
    assert_eq!(
        listed(&harness),
        [
            "d2/c1", "d2/e2", "d1/e1", "d1/e3", "d3/e1", "d1/e2", "d2/e1"
        ]
    );
}

#[test]
fn this_document_scope_follows_the_shown_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(&dir);
    open_pane(&mut harness);
    harness.get_by_label("This document").click();
    harness.run();
    assert_eq!(listed(&harness), ["d1/e1", "d1/e2", "d1/e3"]);
    harness
        .state_mut()
        .act(gloss::ui::Action::SelectDocument(1));
    harness.run();
    assert_eq!(listed(&harness), ["d2/e1", "d2/c1", "d2/e2"]);
    // The scope alone filters nothing out of the shown document.
    assert_eq!(matches(&harness), None);
}

/// Clicks a name beside a dashboard chart, scrolled into view first.
fn click_link(harness: &mut Harness, name: &str) {
    harness
        .get_by_role_and_label(egui::Role::Link, name)
        .scroll_to_me();
    harness.run();
    harness
        .get_by_role_and_label(egui::Role::Link, name)
        .click();
    harness.run();
}

#[test]
fn a_dashboard_bar_lists_what_it_counts_in_the_pane() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(&dir);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    harness.run();
    assert!(harness.state().show_dashboard);
    harness.get_by_label("Entity mentions by type");
    // Nothing here was rejected, so the counts need no caveat.
    assert!(
        harness
            .query_by_label_contains("rejected in review")
            .is_none()
    );
    // The PER bar is the first of the schema's seven: click inside its
    // column of the chart, which sits just under the section's title.
    let title = harness.get_by_label("Entity mentions by type").rect();
    let spacing = 4.0;
    let per = Pos2::new(
        title.left() + 380.0 * (0.5 / 7.0),
        title.bottom() + spacing + 40.0,
    );
    harness.hover_at(per);
    harness.run();
    harness.drag_at(per);
    harness.drop_at(per);
    harness.run();
    let app = harness.state();
    assert_eq!(
        app.annotations.filter.label.as_deref(),
        Some("PER"),
        "the PER bar set the type filter"
    );
    assert!(
        harness.query_by_label("Clear filters").is_some(),
        "the pane is shown"
    );
    assert_eq!(listed(&harness), ["d1/e1", "d1/e2", "d2/e1", "d2/e2"]);

    // The names beside the bars do the same: "ann" lists ann's work.
    click_link(&mut harness, "ann");
    harness.run();
    assert_eq!(listed(&harness), ["d1/e1", "d1/e3", "d3/e1"]);
    click_link(&mut harness, "Refutes");
    harness.run();
    assert_eq!(listed(&harness), ["d2/c1"]);
}

#[test]
fn the_dashboard_says_its_counts_include_rejected_annotations() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = project();
    let doc = std::sync::Arc::make_mut(&mut project.documents[0]);
    doc.entities[2].review = Review::Rejected;
    let app = GlossApp::new_in(
        Startup::InMemory(Box::new(project), None),
        Box::new(ScriptedPicker::new(vec![])),
        dir.path().join("data"),
    );
    let mut harness = common::harness(app);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    harness.run();
    harness.get_by_label("The counts include 1 annotation rejected in review.");
}

#[test]
fn on_a_large_project_rows_and_filters_come_from_worker_threads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(&dir);
    // Everything goes to workers, as on the 2,000-document project.
    harness.state_mut().annotations.sync_limit = 0;
    let settle = |harness: &mut Harness| {
        // Bounded: a worker that never answers fails the test, not hangs it.
        for _ in 0..2000 {
            harness.step();
            if !harness.state().annotations.busy() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // The worker's rows may land in the middle of a bounded run, which
        // then needs a few more frames than one allows (CI once took 14 of
        // 12); an endless repaint still fails.
        assert!(
            (0..3).any(|_| harness.try_run().is_ok()),
            "the window keeps repainting"
        );
        assert!(!harness.state().annotations.busy());
    };
    // Open the pane over the whole project, settling as the rows come in.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    settle(&mut harness);
    harness.get_by_label("Whole project").click();
    assert_eq!(listed(&harness).len(), 7);
    // A filter picked from a combo box, settling after each click (the
    // workers filter while the popup is open).
    let pick_settled = |harness: &mut Harness, combo: &str, item: &str| {
        harness
            .get_by_role_and_label(egui::Role::ComboBox, combo)
            .click();
        settle(harness);
        harness
            .get_by_role_and_label(egui::Role::Button, item)
            .click();
        settle(harness);
    };
    pick_settled(&mut harness, "Type:", "PER — Person");
    assert_eq!(listed(&harness), ["d1/e1", "d1/e2", "d2/e1", "d2/e2"]);
    assert_eq!(matches(&harness), set(&["d1/e1", "d1/e2"]));
    // An edit makes a new project state: the rows are rebuilt.
    harness
        .state_mut()
        .act(gloss::ui::Action::SetStatus(Status::Reviewed));
    settle(&mut harness);
    pick_settled(&mut harness, "Status:", "Reviewed");
    std::thread::sleep(std::time::Duration::from_millis(450));
    settle(&mut harness);
    assert_eq!(listed(&harness), ["d1/e1", "d1/e2"]);
}

#[test]
fn with_a_second_project_compared_the_dashboard_shows_agreement_and_a_type_filters_the_pane() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(&dir);
    // The other annotator left out Moon and called Seoul a place.
    let mut other = project();
    let d1 = std::sync::Arc::make_mut(&mut other.documents[0]);
    d1.entities.retain(|e| e.text != "Moon");
    if let Some(seoul) = d1.entities.iter_mut().find(|e| e.text == "Seoul") {
        seoul.label = "LOC".into();
    }
    let expected =
        gloss::review::agree::agree(&project(), &other, &Default::default()).expect("figures");
    let comparison = gloss::ui::compare::compare(
        harness.state().session.project(),
        std::sync::Arc::new(other),
        dir.path().join("other.gloss.ron"),
    );
    assert_eq!(comparison.agreement, expected);
    harness.state_mut().compare = Some(comparison);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    harness.run();
    let title = "Agreement with other.gloss.ron (F1, this project as reference)";
    harness.get_by_label(title).scroll_to_me();
    harness.run();
    // Every figure is the core's, to three places; the overall F1 is
    // 4 of 6 mentions matched against 5: 2·4/(6+5).
    let overall = expected.overall.spans.f1().expect("defined");
    assert!((overall - 8.0 / 11.0).abs() < 1e-9, "{overall}");
    assert!(harness.query_all_by_label(&format!("{overall:.3}")).count() >= 1);
    let per = expected
        .per_type
        .iter()
        .find(|(key, _)| key == "PER")
        .map(|(_, f)| f.spans.recall().expect("defined"))
        .expect("a PER row");
    assert!(harness.query_all_by_label(&format!("{per:.3}")).count() >= 1);
    // GPE: the other side has none, so its precision is undefined.
    assert!(harness.query_all_by_label("—").count() >= 1);
    // The type's name in the agreement table lists this project's GPEs.
    harness
        .query_all_by_role_and_label(egui::Role::Link, "GPE")
        .last()
        .expect("a GPE link in the agreement table")
        .click();
    harness.run();
    assert_eq!(
        harness.state().annotations.filter.label.as_deref(),
        Some("GPE")
    );
    assert_eq!(listed(&harness), ["d1/e3"]);
}

/// The app on the built-in sample project, as `cargo run` opens it.
fn sample_harness(dir: &tempfile::TempDir) -> Harness {
    let app = GlossApp::new_in(
        Startup::Sample,
        Box::new(ScriptedPicker::new(vec![])),
        dir.path().join("data"),
    );
    common::harness(app)
}

#[test]
fn snapshot_annotations_pane_and_dashboard_on_the_sample() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = sample_harness(&dir);
    open_pane(&mut harness);
    pick(&mut harness, "Type:", "PER — Person");
    harness.get_by_label("Text").click();
    harness.run();
    assert!(matches(&harness).is_some_and(|m| !m.is_empty()));
    harness.snapshot("annotations_pane");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    harness.run();
    harness.get_by_label("Dashboard");
    harness.snapshot("dashboard");
}

#[test]
fn hidden_rows_of_an_older_project_state_are_freed_and_rebuilt_when_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(&dir);
    open_pane(&mut harness);
    assert_eq!(listed(&harness).len(), 7);
    harness.get_by_label("Inspector").click();
    harness.run();
    // Hidden but current: kept, nothing to rebuild.
    assert!(harness.state().annotations.data().is_some());
    harness
        .state_mut()
        .session
        .apply(gloss::edit::Edit::RemoveEntity {
            doc: "d1".into(),
            id: "e2".into(),
        })
        .expect("Moon goes");
    harness.run();
    // Stale rows would keep the documents of the older state alive.
    assert!(harness.state().annotations.data().is_none());
    open_pane(&mut harness);
    let rows = listed(&harness);
    assert_eq!(rows.len(), 6);
    assert!(!rows.contains(&"d1/e2".to_owned()));
}
