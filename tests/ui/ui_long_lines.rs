//! GUI tests on a one-line article of ~30,000 characters, which the article
//! view lays out in sentence-bounded pieces: a drag, a double click, tagging
//! scrolling to an annotation, hover and find work across the pieces as on
//! short lines.

use crate::common;

use egui::{Key, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::model::{Document, Entity, Project};
use gloss::ui::files::ScriptedPicker;
use gloss::ui::{Action, AnnotationKind, AnnotationRef, GlossApp, Startup};

/// Left margin of the article view before the text (see `article_view.rs`).
const ARTICLE_MARGIN: f32 = 18.0;

/// The sample article on one line, "Part n." before each copy, repeated to
/// about 30,000 characters; one entity on the last "Putin".
fn one_line_project() -> Project {
    one_line_project_of(gloss::sample::SAMPLE_ARTICLE.replace(['\n', '\r'], " "))
}

fn one_line_project_of(article: String) -> Project {
    let mut text = String::new();
    let mut part = 0;
    while text.chars().count() < 30_000 {
        text.push_str(&format!("Part {part}. {article} "));
        part += 1;
    }
    let (start, end) = last_occurrence(&text, "Putin");
    let mut doc = Document::new("one-line", "One long line", text);
    doc.entities
        .push(Entity::new("e1", "PER", start, end, "Putin".to_owned()));
    let mut project = Project::new("long lines");
    project.documents.push(doc.into());
    project
}

/// Code-point range of the last occurrence of `needle`.
fn last_occurrence(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.rfind(needle).expect("the needle is in the text");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// The app on the one-line article, with frames 50 ms apart so that two
/// clicks make a double click.
fn harness() -> (Harness<'static, GlossApp>, tempfile::TempDir) {
    harness_on(one_line_project())
}

/// The same line without its few Arabic letters: every piece is laid out
/// left to right by egui (a piece with right-to-left text is laid out once
/// and draws every style as shapes).
fn plain_harness() -> (Harness<'static, GlossApp>, tempfile::TempDir) {
    let article: String = gloss::sample::SAMPLE_ARTICLE
        .replace(['\n', '\r'], " ")
        .chars()
        .filter(|c| !gloss::model::bidi::needs_bidi(&c.to_string()))
        .collect();
    assert!(!gloss::model::bidi::needs_bidi(&article));
    harness_on(one_line_project_of(article))
}

fn harness_on(project: Project) -> (Harness<'static, GlossApp>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let app = GlossApp::new_in(
        Startup::InMemory(Box::new(project), None),
        Box::new(ScriptedPicker::default()),
        dir.path().join("data"),
    );
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 820.0))
        .with_theme(egui::Theme::Light)
        .with_step_dt(0.05)
        .with_max_steps(40)
        .with_context_setup(gloss::ui::theme::install)
        .build_ui_state(|ui, app: &mut GlossApp| app.frame(ui), app);
    harness.run();
    // A long document's suggestions come from a worker: let it answer
    // before anything is measured, so no result lands mid-drag.
    let started = std::time::Instant::now();
    while harness.state().suggestions.is_working()
        && started.elapsed() < std::time::Duration::from_secs(20)
    {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
    (harness, dir)
}

fn text(harness: &Harness<'static, GlossApp>) -> String {
    harness.state().session.project().documents[0].text.clone()
}

/// Where the article's text starts on screen.
fn article_origin(harness: &Harness<'static, GlossApp>) -> Pos2 {
    harness.get_by_label_contains("Part 0. ").rect().min + Vec2::new(ARTICLE_MARGIN, 0.0)
}

/// Moves the pointer in steps (so egui sees a drag) and releases it.
fn drag(harness: &mut Harness<'static, GlossApp>, from: Pos2, to: Pos2) {
    // Let more than a double click's 0.3 s pass since the last release.
    for _ in 0..8 {
        harness.step();
    }
    harness.hover_at(from);
    harness.drag_at(from);
    let steps = 6;
    for n in 1..=steps {
        harness.hover_at(from + (to - from) * (n as f32 / steps as f32));
    }
    harness.drop_at(to);
    harness.run();
}

/// A click (press and release without moving); returns the caret it left.
fn caret_at(harness: &mut Harness<'static, GlossApp>, pos: Pos2) -> usize {
    harness.hover_at(pos);
    harness.drag_at(pos);
    harness.drop_at(pos);
    harness.run();
    harness
        .state()
        .selection
        .expect("a click on plain text leaves a caret")
        .0
}

/// Finds the screen row where the second piece of the line starts, by
/// clicking down the left edge of the text: (its y, its first code point).
fn second_piece_row(harness: &mut Harness<'static, GlossApp>) -> (f32, usize) {
    let pieces = gloss::ui::piece_ranges(&text(harness));
    assert!(
        pieces.len() >= 5,
        "a 30k-character line is laid out in pieces: {pieces:?}"
    );
    assert!(pieces.iter().all(|(s, e)| e - s <= gloss::ui::MAX_PIECE));
    let boundary = pieces[1].0;
    let origin = article_origin(harness);
    let mut y = 2.0;
    while y < 700.0 {
        let caret = caret_at(harness, Pos2::new(origin.x + 1.0, origin.y + y));
        if caret == boundary {
            return (origin.y + y, boundary);
        }
        assert!(
            caret < boundary,
            "the row starting at {boundary} was skipped"
        );
        y += 5.0;
    }
    panic!("no row starts at the second piece ({boundary})");
}

#[test]
fn a_drag_selects_across_a_piece_boundary() {
    let (mut harness, _dir) = harness();
    let (row_y, boundary) = second_piece_row(&mut harness);
    let x = article_origin(&harness).x;
    // The last row of the first piece, and the first row of the second.
    let from = Pos2::new(x + 30.0, row_y - 10.0);
    let to = Pos2::new(x + 60.0, row_y + 4.0);
    let start = caret_at(&mut harness, from);
    let end = caret_at(&mut harness, to);
    assert!(
        start < boundary && boundary < end,
        "carets {start} and {end} around {boundary}"
    );
    let all = text(&harness);
    // Selections snap to whole words (the default): the drag selects the
    // words from the first caret to the second, across the boundary. (A
    // caret can move by a sub-pixel once the selection restyles the text,
    // which snapping makes irrelevant.)
    let expected =
        gloss::model::span::snap_selection(&all, start, end, true).expect("a non-empty selection");
    drag(&mut harness, from, to);
    let (s, e) = harness
        .state()
        .selection_range()
        .expect("the drag selected text");
    assert_eq!((s, e), expected);
    assert!(s < boundary && boundary < e);
    let selected = common::py_slice(&all, s, e);
    assert_eq!(selected.chars().count(), e - s, "offsets count code points");
    assert!(
        selected.starts_with(&common::py_slice(&all, s, boundary))
            && selected.ends_with(&common::py_slice(&all, boundary, e)),
        "{selected:?}"
    );
}

#[test]
fn double_click_after_a_boundary_selects_the_word_and_1_tags_it() {
    let (mut harness, _dir) = harness();
    let (row_y, boundary) = second_piece_row(&mut harness);
    let all = text(&harness);
    let word: String = all
        .chars()
        .skip(boundary)
        .take_while(|c| c.is_alphanumeric())
        .collect();
    assert!(!word.is_empty(), "a piece starts with a word");
    let end = boundary + word.chars().count();
    let point = Pos2::new(article_origin(&harness).x + 5.0, row_y + 4.0);
    common::double_click(&mut harness, point);
    assert_eq!(harness.state().selection_range(), Some((boundary, end)));

    harness.key_press(Key::Num1);
    harness.run();
    let doc = &harness.state().session.project().documents[0];
    let tagged = doc
        .entities
        .iter()
        .find(|e| e.start == boundary && e.end == end)
        .expect("the word is tagged");
    assert_eq!(
        (tagged.label.as_str(), tagged.text.as_str()),
        ("PER", word.as_str())
    );
}

#[test]
fn selecting_an_annotation_near_the_end_scrolls_to_it() {
    let (mut harness, _dir) = harness();
    let all = text(&harness);
    let target = harness.state().session.project().documents[0].entities[0].clone();
    assert!(target.start > all.chars().count() - 3_000);
    harness
        .state_mut()
        .act(Action::SelectAnnotation(AnnotationRef {
            kind: AnnotationKind::Entity,
            id: target.id.to_string(),
        }));
    harness.run();
    // The article view names the text in view: it now holds the entity.
    let found = std::cell::RefCell::new(String::new());
    harness.get_by(|node| {
        // A `Role::Label` node keeps its text in its value.
        let long = node.value().filter(|l| l.chars().count() > 1_000);
        let is_article = long.is_some();
        if let Some(label) = long {
            *found.borrow_mut() = label;
        }
        is_article
    });
    let shown = found.into_inner();
    let byte = all
        .find(&shown)
        .expect("the view shows a stretch of the text");
    let shown_start = all[..byte].chars().count();
    let shown_end = shown_start + shown.chars().count();
    assert!(
        shown_start <= target.start && target.end <= shown_end,
        "{}..{} in view, the entity at {}..{}",
        shown_start,
        shown_end,
        target.start,
        target.end
    );
    assert!(shown_start > 0, "the view scrolled");
    // It is the selected annotation.
    assert_eq!(
        harness.state().selected.as_ref().map(|s| s.id.as_str()),
        Some("e1")
    );
}

#[test]
fn an_entity_across_a_piece_boundary_is_tagged_hovered_and_found() {
    let (mut harness, _dir) = harness();
    let (row_y, boundary) = second_piece_row(&mut harness);
    let all = text(&harness);
    // About eight characters each side of the boundary, widened to whole
    // words, found nowhere before (the line repeats the article, so later
    // copies hold it again).
    let chars: Vec<char> = all.chars().collect();
    let (mut start, mut end) = (boundary - 8, boundary + 8);
    while chars[start].is_whitespace() {
        start += 1;
    }
    while start > 0 && chars[start - 1].is_alphanumeric() {
        start -= 1;
    }
    while chars[end - 1].is_whitespace() {
        end -= 1;
    }
    while chars[end].is_alphanumeric() {
        end += 1;
    }
    assert!(start < boundary && boundary < end);
    let query = common::py_slice(&all, start, end);
    let byte = all.find(query.as_str()).expect("the query is in the text");
    assert_eq!(all[..byte].chars().count(), start, "{query:?} first here");

    // Tagged across the boundary through the edit layer…
    harness.state_mut().selection = Some((start, end));
    harness.run();
    harness.key_press(Key::Num1);
    harness.run();
    let doc = &harness.state().session.project().documents[0];
    assert!(
        doc.entities
            .iter()
            .any(|e| (e.start, e.end, e.text.as_str()) == (start, end, query.as_str())),
        "{query:?} is tagged"
    );
    // …hovering its part in the second piece tells what it is…
    let tooltip = format!("PER “{query}”");
    assert_eq!(harness.query_all_by_label_contains(&tooltip).count(), 0);
    harness.hover_at(Pos2::new(article_origin(&harness).x + 3.0, row_y + 4.0));
    for _ in 0..20 {
        harness.step();
    }
    harness.get_by_label_contains(&tooltip);

    // …and find reports it as one hit and selects it.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    harness.run();
    harness.event(egui::Event::Text(query.clone()));
    harness.run();
    assert!(
        harness
            .state()
            .find
            .hits_in("one-line")
            .contains(&(start, end)),
        "the hit across the boundary is found"
    );
    harness.state_mut().selection = Some((0, 0));
    harness.get_by_label("Next").click();
    harness.run();
    assert_eq!(harness.state().selection_range(), Some((start, end)));
}

/// Pieces laid out over `frames` frames.
fn layouts_over(harness: &mut Harness<'static, GlossApp>, frames: usize) -> usize {
    (0..frames)
        .map(|_| {
            harness.step();
            gloss::ui::layouts_last_frame(harness.state())
        })
        .sum()
}

#[test]
fn dragging_a_selection_re_lays_no_piece() {
    let (mut harness, _dir) = plain_harness();
    let origin = article_origin(&harness);
    let from = origin + Vec2::new(30.0, 10.0);
    let to = origin + Vec2::new(400.0, 70.0);
    for _ in 0..8 {
        harness.step();
    }
    harness.hover_at(from);
    harness.drag_at(from);
    let mut laid = 0;
    for n in 1..=6 {
        harness.hover_at(from + (to - from) * (n as f32 / 6.0));
        laid += layouts_over(&mut harness, 1);
    }
    harness.drop_at(to);
    laid += layouts_over(&mut harness, 3);
    let (s, e) = harness
        .state()
        .selection_range()
        .expect("the drag selected text");
    assert!(e - s > 40, "three rows selected: {s}..{e}");
    // The selection is drawn behind the text, not laid into it.
    assert_eq!(laid, 0, "pieces laid out while dragging");
}

/// Selects the word at code points `start..end` and presses 1 (PER); returns
/// the pieces laid out in the frames that follow.
fn tag_and_count_layouts(
    harness: &mut Harness<'static, GlossApp>,
    start: usize,
    end: usize,
) -> usize {
    harness.state_mut().selection = Some((start, end));
    harness.state_mut().selected = None;
    harness.run();
    harness.key_press(Key::Num1);
    let laid = layouts_over(harness, 4);
    let doc = &harness.state().session.project().documents[0];
    assert!(
        doc.entities
            .iter()
            .any(|e| e.start == start && e.end == end),
        "the word is tagged"
    );
    laid
}

#[test]
fn tagging_a_word_re_lays_only_the_piece_that_changes_look() {
    // "Part 0. " starts the line: tag "Part" (code points 0..4), in the
    // first piece, with more pieces in view below it.
    let (mut light, _dir) = plain_harness();
    let pieces = gloss::ui::piece_ranges(&text(&light));
    assert!(pieces[0].1 > 4);
    // In the light theme an entity is only a background: no piece changes
    // how its text looks, none is laid out again.
    assert_eq!(tag_and_count_layouts(&mut light, 0, 4), 0);

    // In the dark theme text on an entity turns white: only the piece
    // holding the new entity is laid out again.
    let (mut dark, _dark_dir) = plain_harness();
    dark.state_mut().act(Action::ToggleTheme);
    dark.run();
    assert_eq!(dark.ctx.theme(), egui::Theme::Dark);
    assert_eq!(tag_and_count_layouts(&mut dark, 0, 4), 1);
}
