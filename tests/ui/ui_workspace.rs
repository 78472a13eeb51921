//! Workspace behaviour a new user relies on: Enter confirms the typed-path
//! prompts, Escape cancels every prompt without losing work, and messages
//! count in words ("1 step", not "1 steps").

use crate::common;

use std::path::PathBuf;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use gloss::ui::files::ScriptedPicker;
use gloss::ui::{GlossApp, Startup};

/// The sample project on a machine without file dialogs, as here: every
/// dialog falls back to the typed-path prompt.
fn app_without_dialogs(dir: &tempfile::TempDir) -> GlossApp {
    let mut picker = ScriptedPicker::new(vec![]);
    picker.no_dialog = true;
    GlossApp::new_in(Startup::Sample, Box::new(picker), dir.path().join("data"))
}

/// The app on an unsaved in-memory project, with no dialog answers.
fn app_on(project: gloss::model::Project, dir: &tempfile::TempDir) -> GlossApp {
    GlossApp::new_in(
        Startup::InMemory(Box::new(project), None),
        Box::new(ScriptedPicker::new(vec![])),
        dir.path().join("data"),
    )
}

/// Selects the first occurrence of `needle` in the shown document, as a
/// drag over it would; returns its code-point range.
fn select_text(
    harness: &mut egui_kittest::Harness<'static, GlossApp>,
    needle: &str,
) -> (usize, usize) {
    let text = harness
        .state()
        .document()
        .expect("a document is shown")
        .text
        .clone();
    let byte = text.find(needle).expect("the text has the needle");
    let start = text[..byte].chars().count();
    let range = (start, start + needle.chars().count());
    harness.state_mut().selection = Some(range);
    harness.run();
    range
}

#[test]
fn enter_confirms_the_typed_save_as_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target: PathBuf = dir.path().join("typed.gloss.ron");
    let mut harness = common::harness(app_without_dialogs(&dir));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run();
    harness.get_by_label("Save project as");
    harness
        .get_by_label("Path:")
        .type_text(target.to_str().expect("UTF-8 path"));
    harness.run();
    assert!(!target.exists(), "typing alone saves nothing");
    harness.key_press(Key::Enter);
    harness.run();
    harness.state_mut().wait_for_save();
    harness.run();
    assert!(
        harness.query_by_label("Save project as").is_none(),
        "the prompt closed"
    );
    assert_eq!(
        harness.state().session.path.as_deref(),
        Some(target.as_path())
    );
    let saved = gloss::store::load(&target).expect("a valid project was written");
    assert_eq!(
        saved.documents.len(),
        harness.state().session.project().documents.len()
    );
}

#[test]
fn escape_cancels_the_typed_path_prompt_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run();
    harness.get_by_label("Save project as");
    harness.get_by_label("Path:").type_text("half-typed");
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Save project as").is_none());
    assert!(harness.state().session.path.is_none());
    assert!(harness.state().after_save.is_none());
}

#[test]
fn escape_cancels_the_unsaved_changes_question_and_keeps_the_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    select_text(&mut harness, "Russian");
    harness.key_press(Key::Num7);
    harness.run();
    let edited = harness.state().session.project().clone();
    assert!(harness.state().session.is_dirty());
    // File → New asks first; Escape is Cancel.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness.get_by_label("Unsaved changes");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert_eq!(*harness.state().session.project(), edited);
    assert!(harness.state().session.is_dirty());
}

#[test]
fn undo_messages_count_in_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    for _ in 0..2 {
        select_text(&mut harness, "Russian");
        harness.key_press(Key::Num7);
        harness.run();
        harness.key_press(Key::Delete);
        harness.run();
    }
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    // Four steps were made; one undone leaves three.
    harness.get_by_label_contains("(3 steps left to undo)");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("(1 step left to undo)");
}

#[test]
fn undo_and_redo_show_and_select_what_changed_in_another_document() {
    use gloss::model::{Document, Project};
    use gloss::ui::{AnnotationKind, AnnotationRef};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = Project::new("Two documents");
    // A long first document, so the word near its end is off screen.
    let filler = "Filler sentence about nothing in particular. ".repeat(400);
    let first_text = format!("{filler}Vladimir Putin arrived late.");
    project
        .documents
        .push(Document::new("d1", "First", first_text.as_str()).into());
    project
        .documents
        .push(Document::new("d2", "Second", "A short second article.").into());
    let mut harness = common::harness(app_on(project, &dir));
    let start = first_text.chars().count() - "Vladimir Putin arrived late.".chars().count();
    let end = start + "Vladimir Putin".chars().count();
    harness.state_mut().selection = Some((start, end));
    harness.run();
    harness.key_press(Key::Num1);
    harness.run();
    let entity_id = harness.state().session.project().documents[0].entities[0]
        .id
        .clone();
    // Move to the second document, then undo the tag made in the first.
    harness.key_press(Key::N);
    harness.run();
    assert_eq!(harness.state().current, 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    // Scrolling a long way is animated over several frames.
    harness.run_steps(40);
    assert_eq!(
        harness.state().current,
        0,
        "undo shows the document it changed"
    );
    assert!(
        harness.state().session.project().documents[0]
            .entities
            .is_empty()
    );
    assert_eq!(
        harness.state().selection,
        Some((start, end)),
        "undo marks where the removed entity was"
    );
    harness.key_press(Key::N);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(40);
    assert_eq!(
        harness.state().current,
        0,
        "redo shows the document it changed"
    );
    assert_eq!(
        harness.state().selected,
        Some(AnnotationRef {
            kind: AnnotationKind::Entity,
            id: entity_id.to_string(),
        }),
        "redo selects the entity it brought back"
    );
}

#[test]
fn the_command_palette_finds_a_command_by_its_letters_and_runs_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    assert!(!harness.state().dark);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    harness.run();
    // Typed straight away, as a user does: the field has the focus without
    // a click.
    harness.event(egui::Event::Text("dark".into()));
    harness.run();
    // The matching command is listed with its menu name; Enter runs it.
    harness.get_by_label_contains("Dark or light theme");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.state().dark, "the palette ran the theme command");
    assert!(harness.state().palette.is_none(), "and closed");
    // Escape closes it without running anything.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    harness.run();
    harness.get_by_label("Command:").type_text("dark");
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.state().palette.is_none());
    assert!(harness.state().dark, "nothing ran");
}

#[test]
fn the_menus_and_help_come_from_the_command_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    harness.get_by_label("Annotate").click();
    harness.run();
    // Every entity type of the schema is a menu command with its digit.
    harness.get_by_label_contains("Tag as PER — Person");
    harness.get_by_label_contains("Tag as MISC — Miscellaneous");
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press(Key::F1);
    harness.run();
    // The overlay lists table commands with their keys.
    harness.get_by_label("Command palette…");
    harness.get_by_label("Quit");
}

#[test]
fn the_side_panel_keeps_its_width_whatever_is_selected() {
    use gloss::ui::{AnnotationKind, AnnotationRef};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    let panel_left =
        |h: &egui_kittest::Harness<'static, GlossApp>| h.get_by_label("Inspector").rect().min.x;
    let before = panel_left(&harness);
    // Select every annotation in turn (entities with long texts, claims with
    // long quotes): the panel's edge must not move.
    let doc = harness.state().document().expect("a document").clone();
    let mut refs: Vec<AnnotationRef> = doc
        .entities
        .iter()
        .map(|e| AnnotationRef {
            kind: AnnotationKind::Entity,
            id: e.id.to_string(),
        })
        .collect();
    refs.extend(doc.claims.iter().map(|c| AnnotationRef {
        kind: AnnotationKind::Claim,
        id: c.id.to_string(),
    }));
    for annotation in refs {
        harness.state_mut().selected = Some(annotation.clone());
        harness.run();
        let now = panel_left(&harness);
        assert!(
            (now - before).abs() < 0.5,
            "selecting {annotation:?} moved the side panel's edge from {before} to {now}"
        );
    }
    for pane in ["Entities", "Claims", "Inspector"] {
        harness.get_by_label(pane).click();
        harness.run();
        let now = panel_left(&harness);
        assert!(
            (now - before).abs() < 0.5,
            "the {pane} pane moved the side panel's edge from {before} to {now}"
        );
    }
}

#[test]
fn at_a_large_zoom_with_the_find_bar_open_the_article_fits_its_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    harness.ctx.set_zoom_factor(1.5);
    harness.run();
    let column = |h: &egui_kittest::Harness<'static, GlossApp>| {
        // From the article's heading to the side panel's edge.
        let title = h.state().document().expect("a document").title.clone();
        // The heading, maybe cut to the column with "…".
        let start: String = title.chars().take(12).collect();
        // The heading is the topmost of them (the text starts with it too).
        let left = h
            .query_all_by(|node| {
                node.label()
                    .or_else(|| node.value())
                    .is_some_and(|l| l.starts_with(start.as_str()))
            })
            .map(|node| node.rect())
            .min_by(|a, b| a.min.y.total_cmp(&b.min.y))
            .expect("the heading")
            .min
            .x;
        h.get_by_label("Inspector").rect().min.x - left
    };
    let before = harness.state().article_wrap_width();
    assert!(
        before > 0.0 && before <= column(&harness),
        "{before} vs {}",
        column(&harness)
    );
    // The find bar's row is wider than the column at this zoom.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.event(egui::Event::Text("Putin".into()));
    harness.run();
    let after = harness.state().article_wrap_width();
    assert!(
        after <= column(&harness),
        "the text wraps at {after} but the column is {} wide: lines would be cut off",
        column(&harness)
    );
    assert!(
        (after - before).abs() < 0.5,
        "opening find re-wrapped the article: {before} -> {after}"
    );
}

#[test]
fn l_then_l_links_two_annotations_from_the_keyboard() {
    use gloss::ui::{AnnotationKind, AnnotationRef};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    let doc = harness.state().document().expect("a document").clone();
    let (first, second) = (doc.entities[0].id.clone(), doc.entities[1].id.clone());
    let relations_before = doc.relations.len();
    let entity = |id: &str| AnnotationRef {
        kind: AnnotationKind::Entity,
        id: id.to_owned(),
    };
    // Escape cancels a started link.
    harness.state_mut().selected = Some(entity(&first));
    harness.run();
    harness.key_press(Key::L);
    harness.run();
    assert_eq!(harness.state().link_from, Some(entity(&first)));
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().link_from, None);
    // L on the source, select the target, L again.
    harness.key_press(Key::L);
    harness.run();
    harness.state_mut().selected = Some(entity(&second));
    harness.run();
    harness.key_press(Key::L);
    harness.run();
    let doc = harness.state().document().expect("a document");
    assert_eq!(doc.relations.len(), relations_before + 1);
    let relation = doc.relations.last().expect("the new relation");
    assert_eq!(
        (relation.from.as_str(), relation.to.as_str()),
        (first.as_str(), second.as_str())
    );
    assert_eq!(harness.state().link_from, None);
    // One undo step removes it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        harness
            .state()
            .document()
            .expect("a document")
            .relations
            .len(),
        relations_before
    );
}

#[test]
fn review_mode_accepts_rejects_and_undoes_from_the_keyboard() {
    use gloss::model::Review;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    let entities_before = harness
        .state()
        .document()
        .expect("a document")
        .entities
        .len();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    harness.run();
    assert!(harness.state().review_mode);
    harness.get_by_label("REVIEW");
    // J selects the first unreviewed annotation in reading order.
    harness.key_press(Key::J);
    harness.run();
    let first = harness
        .state()
        .selected
        .clone()
        .expect("an annotation is selected");
    // A accepts it and moves on; R rejects the next one.
    harness.key_press(Key::A);
    harness.run();
    let second = harness
        .state()
        .selected
        .clone()
        .expect("the next one is selected");
    assert_ne!(first, second);
    harness.key_press(Key::R);
    harness.run();
    let review_of = |h: &egui_kittest::Harness<'static, GlossApp>, id: &str| {
        let doc = h.state().document().expect("a document");
        doc.entities
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.review)
            .or_else(|| doc.claims.iter().find(|c| c.id == id).map(|c| c.review))
            .expect("the annotation exists")
    };
    assert_eq!(review_of(&harness, &first.id), Review::Accepted);
    assert_eq!(review_of(&harness, &second.id), Review::Rejected);
    // The decisions show in the text, not only in the pane: a tick on the
    // accepted one, the rejected one struck through.
    let marks = gloss::ui::review_marks_last_frame(harness.state());
    assert!(
        marks.contains(&(first.id.clone(), Review::Accepted)),
        "{marks:?}"
    );
    assert!(
        marks.contains(&(second.id.clone(), Review::Rejected)),
        "{marks:?}"
    );
    // The text is read-only: a type's digit tags nothing.
    harness.key_press(Key::Num1);
    harness.run();
    assert_eq!(
        harness
            .state()
            .document()
            .expect("a document")
            .entities
            .len(),
        entities_before
    );
    // Each review is one undo step.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(review_of(&harness, &second.id), Review::Unreviewed);
    assert_eq!(review_of(&harness, &first.id), Review::Accepted);
}

#[test]
fn d_asks_for_a_comment_enter_keeps_it_and_escape_skips_it() {
    use gloss::model::Review;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    harness.run();
    harness.key_press(Key::J);
    harness.run();
    let first = harness.state().selected.clone().expect("selected").id;
    let state = |h: &egui_kittest::Harness<'static, GlossApp>, id: &str| {
        let doc = h.state().document().expect("a document");
        doc.entities
            .iter()
            .find(|e| e.id == id)
            .map(|e| (e.review, e.review_comment.clone(), e.modified.clone()))
            .or_else(|| {
                doc.claims
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| (c.review, c.review_comment.clone(), c.modified.clone()))
            })
            .expect("the annotation exists")
    };
    let before = state(&harness, &first);
    // D opens the one-line prompt; typing and Enter keep the comment.
    harness.key_press(Key::D);
    harness.run();
    harness.get_by_label("Needs discussion");
    harness.event(egui::Event::Text("who is the source?".into()));
    harness.key_press(Key::Enter);
    harness.run();
    assert!(!harness.state().dialogs.is_open());
    let (review, comment, modified) = state(&harness, &first);
    assert_eq!(review, Review::Discuss);
    assert_eq!(comment.as_deref(), Some("who is the source?"));
    assert!(modified.is_some(), "a review records when");
    // It moved on; D then Escape marks the next one without a comment.
    let second = harness.state().selected.clone().expect("the next one").id;
    assert_ne!(first, second);
    harness.key_press(Key::D);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().dialogs.is_open());
    assert_eq!(state(&harness, &second).0, Review::Discuss);
    assert_eq!(state(&harness, &second).1, None);
    // Each is one undo step, which restores the old state and time.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(state(&harness, &first), before);
}

#[test]
fn the_annotators_name_is_asked_saved_and_recorded_on_what_they_make() {
    use gloss::model::Review;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::harness(app_without_dialogs(&dir));
    harness.get_by_label("Edit").click();
    harness.run();
    harness
        .get_by_label_contains("Your name (annotator)")
        .click();
    harness.run();
    harness.get_by_label("Who is annotating?");
    harness.event(egui::Event::Text("Ana Ruiz".into()));
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().prefs.annotator.as_deref(), Some("Ana Ruiz"));
    let saved = gloss::ui::prefs::Preferences::load(&dir.path().join("data"));
    assert_eq!(
        saved.annotator.as_deref(),
        Some("Ana Ruiz"),
        "kept for the next start"
    );
    assert!(saved.asked_name);
    // A new tag carries the name.
    let (start, _) = select_text(&mut harness, "Russian");
    harness.key_press(Key::Num7);
    harness.run();
    let doc = harness.state().document().expect("a document");
    let tagged = doc
        .entities
        .iter()
        .find(|e| e.start == start)
        .expect("the new entity");
    assert_eq!(tagged.annotator.as_deref(), Some("Ana Ruiz"));
    // …and when it was made: RFC 3339, UTC, whole seconds.
    let when = tagged.modified.clone().expect("a modified time");
    assert!(
        when.len() == 20 && when.ends_with('Z') && humantime::parse_rfc3339(&when).is_ok(),
        "{when}"
    );
    // A review keeps who made an annotation.
    let other = doc
        .entities
        .iter()
        .find(|e| e.start != start)
        .expect("another entity")
        .clone();
    harness.state_mut().selected = Some(gloss::ui::AnnotationRef {
        kind: gloss::ui::AnnotationKind::Entity,
        id: other.id.to_string(),
    });
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    harness.run();
    harness.key_press(Key::A);
    harness.run();
    let reviewed = harness
        .state()
        .document()
        .expect("a document")
        .entity(&other.id)
        .expect("still there")
        .clone();
    assert_eq!(reviewed.review, Review::Accepted);
    assert_eq!(
        reviewed.annotator, other.annotator,
        "a review is not authorship"
    );
}

#[test]
fn evidence_can_be_picked_from_another_document() {
    use gloss::model::{Claim, Document, Evidence, Project};
    use gloss::ui::{Action, AnnotationKind, AnnotationRef};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = Project::new("Two documents");
    let mut first = Document::new("d1", "Claim", "Kirby said Russia bought arms.");
    first
        .claims
        .push(Claim::new("c1", 11, 29, "Russia bought arms"));
    project.documents.push(first.into());
    project
        .documents
        .push(Document::new("d2", "Evidence", "Satellite images show the shipment.").into());
    let mut harness = common::harness(app_on(project, &dir));
    harness.state_mut().selected = Some(AnnotationRef {
        kind: AnnotationKind::Claim,
        id: "c1".into(),
    });
    harness.run();
    harness.key_press(Key::E);
    harness.run();
    harness.get_by_label("Apply");
    // Go to the other document with the editor open and select a span there.
    harness.state_mut().act(Action::SelectDocument(1));
    harness.run();
    assert_eq!(harness.state().current, 1);
    harness.get_by_label("Apply");
    let (start, end) = select_text(&mut harness, "Satellite images");
    harness.get_by_label("Add selection").click();
    harness.run();
    harness.get_by_label("Apply").click();
    harness.run();
    let claim = &harness.state().session.project().documents[0].claims[0];
    assert_eq!(
        claim.evidence,
        vec![Evidence::Span {
            doc: "d2".into(),
            start,
            end,
            text: "Satellite images".into(),
        }]
    );
}

#[test]
fn a_claim_draft_the_edit_layer_refuses_keeps_the_editor_open_with_the_draft() {
    use gloss::model::{Claim, Claimant, Document, Project};
    use gloss::ui::{AnnotationKind, AnnotationRef};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = Project::new("One document");
    let mut doc = Document::new("d1", "Claim", "Kirby said Russia bought arms.");
    doc.claims
        .push(Claim::new("c1", 11, 29, "Russia bought arms"));
    project.documents.push(doc.into());
    let mut harness = common::harness(app_on(project, &dir));
    harness.state_mut().selected = Some(AnnotationRef {
        kind: AnnotationKind::Claim,
        id: "c1".into(),
    });
    harness.run();
    harness.key_press(Key::E);
    harness.run();
    // A claimant naming no entity of the document: the edit layer refuses it.
    let dangling = Some(Claimant::Entity("T404".into()));
    harness
        .state_mut()
        .claim_editor
        .as_mut()
        .expect("the editor is open")
        .draft
        .claimant = dangling.clone();
    harness.run();
    harness.get_by_label("Apply").click();
    harness.run();
    let app = harness.state();
    let editor = app.claim_editor.as_ref().expect("the editor stays open");
    assert_eq!(editor.draft.claimant, dangling, "the draft is kept");
    assert_eq!(
        app.session.project().documents[0].claims[0].claimant,
        None,
        "nothing was applied"
    );
    assert!(!app.session.is_dirty());
    let message = app.message.as_ref().map(|(m, _)| m.as_str()).unwrap_or("");
    assert!(
        message.starts_with("not done"),
        "{message:?} {:?}",
        app.message
    );
    // A good draft applies through the same path and closes the editor.
    harness
        .state_mut()
        .claim_editor
        .as_mut()
        .expect("the editor is open")
        .draft
        .claimant = Some(Claimant::Text("Kirby".into()));
    harness.run();
    harness.get_by_label("Apply").click();
    harness.run();
    assert!(harness.state().claim_editor.is_none());
    assert_eq!(
        harness.state().session.project().documents[0].claims[0].claimant,
        Some(Claimant::Text("Kirby".into()))
    );
}

#[test]
fn find_searches_the_project_in_the_background_and_the_newest_query_wins() {
    use gloss::model::{Document, Project};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = Project::new("Many reports");
    // 250 documents, more than two of the worker's batches; every seventh
    // mentions the needle twice, once capitalised.
    for i in 0..250 {
        let text = if i % 7 == 0 {
            format!("Report {i}: the Needle moved; a needle again.")
        } else {
            format!("Report {i}: nothing to see.")
        };
        project
            .documents
            .push(Document::new(format!("d{i}"), format!("Report {i}"), text).into());
    }
    let expected = gloss::review::find::find_all(&project, "needle", false);
    assert_eq!(expected.len(), 72, "36 documents, two hits each");
    let mut harness = common::harness(app_on(project, &dir));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    let wait_for_search = |harness: &mut egui_kittest::Harness<'static, GlossApp>| {
        let started = std::time::Instant::now();
        while harness.state().find.progress().is_some() && started.elapsed().as_secs() < 20 {
            harness.step();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        harness.run();
    };
    harness.event(egui::Event::Text("needle".into()));
    // The shown document's hits are there at once, from the UI thread.
    harness.step();
    assert_eq!(harness.state().find.hits_in("d0"), [(14, 20), (30, 36)]);
    wait_for_search(&mut harness);
    harness.get_by_label("2 here · 72 in 36 documents");
    for (doc, start, end) in &expected {
        assert!(
            harness.state().find.hits_in(doc).contains(&(*start, *end)),
            "{doc} {start}..{end} was found"
        );
    }
    // A longer query replaces the one before: nothing of the old one stays.
    harness.event(egui::Event::Text("s".into()));
    wait_for_search(&mut harness);
    harness.get_by_label("0 here · 0 in 0 documents");
    assert!(harness.state().find.hits_in("d7").is_empty());
    // Enter with the shorter query again goes to the next hit after the
    // shown document's: in d7.
    harness.key_press(Key::Backspace);
    wait_for_search(&mut harness);
    harness.get_by_label("2 here · 72 in 36 documents");
    harness.state_mut().selection = Some((30, 36));
    harness.run();
    harness.get_by_label("Next").click();
    harness.run();
    assert_eq!(harness.state().current, 7);
    assert_eq!(harness.state().selection, Some((14, 20)));
}

/// The document list's progress bar and filter follow the project and the
/// typing (both are kept between frames): marking a document done counts it
/// at once, undo takes it back, and the filter narrows the list as the user
/// types and widens it again when cleared.
#[test]
fn the_document_list_follows_status_changes_and_the_filter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = gloss::model::Project::new("three");
    for (id, title) in [
        ("d1", "Summit in Vladivostok"),
        ("d2", "Grain prices"),
        ("d3", "Summit follow-up"),
    ] {
        project
            .documents
            .push(gloss::model::Document::new(id, title, format!("{title}. Text.")).into());
    }
    let mut harness = common::harness(app_on(project, &dir));
    let rows = |harness: &egui_kittest::Harness<'static, GlossApp>| {
        ["Summit in Vladivostok", "Grain prices", "Summit follow-up"]
            .into_iter()
            // A list row: the title over its status and counts.
            .filter(|title| {
                harness
                    .query_all_by(|node| {
                        node.label()
                            .is_some_and(|l| l.contains(title) && l.contains(" entities · "))
                    })
                    .next()
                    .is_some()
            })
            .collect::<Vec<_>>()
    };
    harness.get_by_label_contains("0 of 3 done");

    // Ctrl+3 marks the shown document done.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    harness.get_by_label_contains("1 of 3 done");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("0 of 3 done");

    harness.get_by_label("Filter:").click();
    harness.run();
    harness.get_by_label("Filter:").type_text("summit");
    harness.run();
    assert_eq!(
        rows(&harness),
        ["Summit in Vladivostok", "Summit follow-up"]
    );
    harness.get_by_label("Filter:").type_text(" follow");
    harness.run();
    assert_eq!(rows(&harness), ["Summit follow-up"]);
    harness.get_by_label("Filter:").focus();
    harness.run();
    for _ in 0.."summit follow".len() {
        harness.key_press(Key::Backspace);
        harness.run();
    }
    assert_eq!(
        rows(&harness),
        ["Summit in Vladivostok", "Grain prices", "Summit follow-up"]
    );
}

/// In a small window at a large zoom (1000 × 700 at 1.5: 667 points wide)
/// the article keeps a readable column; the document list folds into a
/// strip whose button unfolds it.
#[test]
fn a_small_window_squeezes_the_panels_not_the_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = egui_kittest::Harness::builder()
        // The window's size in points: 1000 × 700 pixels at zoom 1.5.
        .with_size(egui::Vec2::new(1000.0 / 1.5, 700.0 / 1.5))
        .with_pixels_per_point(1.5)
        .with_theme(egui::Theme::Light)
        .with_max_steps(60)
        .with_context_setup(gloss::ui::theme::install)
        .build_ui_state(
            |ui, app: &mut GlossApp| app.frame(ui),
            app_without_dialogs(&dir),
        );
    harness.run();
    harness.run();
    let wrap = harness.state().article_wrap_width();
    assert!(wrap >= 260.0, "the article is wrapped at {wrap} points");
    // The list is folded: its strip's button brings it back.
    assert!(harness.query_by_label("Documents").is_none());
    harness.get_by_label("D").click();
    harness.run();
    harness.get_by_label("Documents");
    // Folded again from its own button.
    harness.get_by_label("◀").click();
    harness.run();
    assert!(harness.query_by_label("Documents").is_none());
}

/// A relation is drawn in the article between its ends, and its type is
/// changed in the inspector (one undo step), shown by name everywhere.
#[test]
fn relations_are_drawn_and_their_type_changes_in_the_inspector() {
    use gloss::model::{Document, Entity, Project, Relation};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = Document::new("d", "Talks", "Lavrov met Putin in Moscow.");
    doc.entities.push(Entity::new("e1", "PER", 0, 6, "Lavrov"));
    doc.entities
        .push(Entity::new("e2", "GPE", 20, 26, "Moscow"));
    doc.relations.push(Relation::new("r1", "Alias", "e1", "e2"));
    let mut project = Project::new("relations");
    project.documents.push(doc.into());
    let mut harness = common::harness(app_on(project, &dir));
    harness.run();
    assert_eq!(gloss::ui::relations_drawn_last_frame(harness.state()), 1);
    // Selected, the relation's inspector offers its type by name.
    harness.state_mut().selected = Some(gloss::ui::AnnotationRef {
        kind: gloss::ui::AnnotationKind::Relation,
        id: "r1".to_owned(),
    });
    harness.run();
    harness.get_by_label_contains("—Alias of→");
    harness.get_by_label("Type:").click();
    harness.run();
    harness.get_by_label("Located in").click();
    harness.run();
    let label = |h: &egui_kittest::Harness<'static, GlossApp>| {
        h.state().document().expect("a document").relations[0]
            .label
            .to_string()
    };
    assert_eq!(label(&harness), "Located");
    harness.get_by_label_contains("—Located in→");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(label(&harness), "Alias", "one undo step");
}
