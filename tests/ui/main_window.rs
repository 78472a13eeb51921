//! GUI tests: each drives the real app ([`GlossApp`]) through egui_kittest
//! like a user would (keys, clicks, drags, dropped files, dialogs answered by
//! a [`ScriptedPicker`]) and checks the project model afterwards.
//!
//! Every app keeps its recent-files list and recovery copies in a temporary
//! folder, so the tests never touch the user's data folder. Snapshots live in
//! `tests/snapshots/`; create or update them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test ui`.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::{Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gloss::model::{Claimant, Document, Entity, Project};
use gloss::ui::files::{FilePicker, PickKind, Picked, ScriptedPicker};
use gloss::ui::{AnnotationKind, AnnotationRef, GlossApp, Startup};

/// The sample article's title, as shown in the heading and the document list.
const SAMPLE_TITLE: &str = "US says N.Korea’s Kim expects arms meeting with Putin";

/// Left margin of the article view before the text (see `article_view.rs`).
const ARTICLE_MARGIN: f32 = 18.0;

/// A [`ScriptedPicker`] that also tells the test which dialogs were asked
/// for, after the app has taken ownership of it.
struct RecordingPicker {
    inner: ScriptedPicker,
    asked: Arc<Mutex<Vec<PickKind>>>,
}

impl FilePicker for RecordingPicker {
    fn pick(&mut self, kind: PickKind, suggested_name: &str) {
        self.asked.lock().expect("the record").push(kind);
        self.inner.pick(kind, suggested_name);
    }

    fn poll(&mut self) -> Option<Picked> {
        self.inner.poll()
    }

    fn busy(&self) -> bool {
        self.inner.busy()
    }
}

/// A temporary folder, the app's data folder inside it, and the harness.
struct Session {
    harness: Harness<'static, GlossApp>,
    dir: tempfile::TempDir,
    asked: Arc<Mutex<Vec<PickKind>>>,
}

impl Session {
    /// The built-in sample project; file dialogs answer with `answers`.
    fn sample(answers: Vec<Vec<PathBuf>>) -> Self {
        Self::start(Startup::Sample, answers)
    }

    fn start(startup: Startup, answers: Vec<Vec<PathBuf>>) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let asked = Arc::new(Mutex::new(Vec::new()));
        let picker = RecordingPicker {
            inner: ScriptedPicker::new(answers),
            asked: Arc::clone(&asked),
        };
        let app = GlossApp::new_in(startup, Box::new(picker), dir.path().join("data"));
        let harness = common::harness(app);
        Self {
            harness,
            dir,
            asked,
        }
    }

    /// The file dialogs the app asked for so far, in order.
    fn asked(&self) -> Vec<PickKind> {
        self.asked.lock().expect("the record").clone()
    }

    fn app(&self) -> &GlossApp {
        self.harness.state()
    }

    /// Steps the app (in real time) until `done` holds or 10 s pass.
    fn wait_for(&mut self, done: impl Fn(&GlossApp) -> bool) {
        let started = std::time::Instant::now();
        while !done(self.app()) && started.elapsed() < std::time::Duration::from_secs(10) {
            self.harness.step();
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        self.harness.run();
        assert!(done(self.app()), "timed out waiting for a background job");
    }

    /// The status bar's message, or "" when there is none.
    fn message(&self) -> String {
        self.app()
            .message
            .as_ref()
            .map(|(m, _)| m.clone())
            .unwrap_or_default()
    }

    fn app_mut(&mut self) -> &mut GlossApp {
        self.harness.state_mut()
    }

    fn doc(&self) -> &Document {
        self.app().document().expect("a document is shown")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Presses and releases `key`, then lets the ui settle.
    fn press(&mut self, key: Key) {
        self.harness.key_press(key);
        self.harness.run();
    }

    /// Presses `key` with `modifiers` held, then lets the ui settle.
    fn press_with(&mut self, modifiers: Modifiers, key: Key) {
        self.harness.key_press_modifiers(modifiers, key);
        self.harness.run();
    }

    /// Clicks the widget labelled exactly `label`.
    fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        self.harness.run();
    }

    /// Selects text as a drag would leave it: (anchor, head) in code points.
    fn select(&mut self, start: usize, end: usize) {
        self.app_mut().selection = Some((start, end));
        self.app_mut().selected = None;
        self.harness.run();
    }

    /// Selects an entity as a click on it would.
    fn select_entity(&mut self, id: &str) {
        self.app_mut().selection = None;
        self.app_mut().selected = Some(AnnotationRef {
            kind: AnnotationKind::Entity,
            id: id.to_owned(),
        });
        self.harness.run();
    }

    /// Where the article's text starts on screen (its first character).
    fn article_origin(&self) -> Pos2 {
        let article = self
            .harness
            .get_by_label_contains("North Korean leader Kim Jong Un expects");
        article.rect().min + Vec2::new(ARTICLE_MARGIN, 0.0)
    }

    /// A mouse click at `pos` (press and release without moving).
    fn click_at(&mut self, pos: Pos2) {
        self.harness.hover_at(pos);
        self.harness.drag_at(pos);
        self.harness.drop_at(pos);
        self.harness.run();
    }
}

/// Code-point range of the `nth` (0-based) occurrence of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let (byte, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} is in the text"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// The entity of `doc` with exactly this span and type.
fn entity_at<'a>(doc: &'a Document, start: usize, end: usize, label: &str) -> Option<&'a Entity> {
    doc.entities
        .iter()
        .find(|e| e.start == start && e.end == end && e.label == label)
}

/// A dropped file, as a windowing backend would hand it to egui.
#[derive(Debug)]
struct DroppedPath(PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn opening_the_sample_shows_its_article_and_annotations() {
    let s = Session::sample(vec![]);
    // The document list has the article, with its counts.
    let short_title: String = SAMPLE_TITLE.chars().take(20).collect();
    s.harness.get_by(move |node| {
        node.value()
            .or_else(|| node.label())
            .is_some_and(|l| l.contains(&short_title) && l.contains("72 entities · 3 claims"))
    });
    // The article view shows the title as a heading and the text itself.
    s.harness.get_by_label(SAMPLE_TITLE);
    s.harness.get_by_label_contains(
        "North Korean leader Kim Jong Un expects to meet with President Vladimir Putin",
    );
    // The sample is not in a file: the status bar does not say "Saved".
    s.harness.get_by_label("○ Not saved to a file yet");
    assert!(s.harness.query_by_label("✔ Saved").is_none());
    s.harness.get_by_label("Document 1 of 1");
    let project = s.app().session.project();
    assert_eq!(project.documents.len(), 1);
    assert_eq!(project.documents[0].title, SAMPLE_TITLE);
    assert_eq!(project.documents[0].entities.len(), 72);
    assert_eq!(project.documents[0].claims.len(), 3);
    assert!(!s.app().session.is_dirty());
}

#[test]
fn selecting_kim_jong_un_and_pressing_1_tags_a_person() {
    let mut s = Session::sample(vec![]);
    let (start, end) = find(&s.doc().text, "Kim Jong Un", 0);
    // The sample already tags it; delete that mention first, as a user would.
    let existing = entity_at(s.doc(), start, end, "PER")
        .expect("the sample tags the first Kim Jong Un")
        .id
        .clone();
    s.select_entity(&existing);
    s.press(Key::Delete);
    assert!(
        entity_at(s.doc(), start, end, "PER").is_none(),
        "Delete removed the mention"
    );
    assert_eq!(s.doc().entities.len(), 71);

    s.select(start, end);
    s.harness
        .get_by_label(&format!("Selection {start}–{end} (11 chars)"));
    s.press(Key::Num1);
    let doc = s.doc();
    let tagged: Vec<&Entity> = doc
        .entities
        .iter()
        .filter(|e| e.start == start && e.end == end)
        .collect();
    assert_eq!(
        tagged.len(),
        1,
        "exactly one entity on the span: {tagged:?}"
    );
    let entity = tagged[0];
    assert_eq!(
        (entity.label.as_str(), entity.text.as_str()),
        ("PER", "Kim Jong Un")
    );
    assert_eq!(doc.entities.len(), 72);
    assert!(
        doc.entities
            .windows(2)
            .all(|w| (w[0].start, w[0].end) <= (w[1].start, w[1].end)),
        "entities stay sorted"
    );
    let selected = s
        .app()
        .selected
        .clone()
        .expect("the new entity is selected");
    assert_eq!(selected.id, entity.id);
    assert!(s.app().selection.is_none());
    assert!(s.app().session.is_dirty());
    s.harness.get_by_label("● Unsaved changes");
}

#[test]
fn pressing_1_on_an_untagged_project_tags_exactly_the_selection() {
    let mut project = gloss::sample::sample_project().expect("the sample loads");
    let (start, end) = find(&project.documents[0].text, "Kim Jong Un", 0);
    std::sync::Arc::make_mut(&mut project.documents[0])
        .entities
        .retain(|e| !(e.start == start && e.end == end));
    std::sync::Arc::make_mut(&mut project.documents[0])
        .relations
        .clear();
    let mut s = Session::start(Startup::InMemory(Box::new(project), None), vec![]);
    let before = s.doc().entities.len();
    s.select(start, end);
    s.press(Key::Num1);
    let entity = entity_at(s.doc(), start, end, "PER").expect("a PER entity on the span");
    assert_eq!(entity.text, "Kim Jong Un");
    assert_eq!(s.doc().entities.len(), before + 1);
    // Pressing 1 on the same span again adds nothing: it is already tagged.
    s.select(start, end);
    s.press(Key::Num1);
    assert_eq!(s.doc().entities.len(), before + 1);
    s.harness.get_by_label_contains("is already tagged PER");
}

#[test]
fn selecting_with_the_keyboard_from_a_click_then_tagging() {
    let mut s = Session::sample(vec![]);
    // The article starts with its title line, "US says N.Korea’s Kim …".
    let origin = s.article_origin();
    // A click on plain text leaves a caret there…
    s.click_at(origin + Vec2::new(1.0, 8.0));
    assert_eq!(s.app().selected, None, "no annotation under the click");
    assert_eq!(
        s.app().selection,
        Some((0, 0)),
        "the caret is before the first letter"
    );
    // …and Shift+Ctrl+→ grows the selection from it a word at a time.
    s.press_with(Modifiers::SHIFT | Modifiers::COMMAND, Key::ArrowRight);
    assert_eq!(
        s.app().selection_range(),
        Some((0, 2)),
        "Shift+Ctrl+→ selects the word \"US\""
    );
    s.press_with(Modifiers::SHIFT, Key::ArrowRight);
    s.press_with(Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(s.app().selection_range(), Some((0, 4)));
    s.press_with(Modifiers::SHIFT, Key::ArrowLeft);
    s.press_with(Modifiers::SHIFT, Key::ArrowLeft);
    assert_eq!(s.app().selection_range(), Some((0, 2)));
    s.harness.get_by_label("Selection 0–2 (2 chars)");
    // Ctrl+Shift+→ as a Linux or Windows keyboard sends it: `ctrl` and
    // `command` both set. It grows the selection by the next word.
    let ctrl_shift = Modifiers::SHIFT | Modifiers::CTRL | Modifiers::COMMAND;
    s.press_with(ctrl_shift, Key::ArrowRight);
    assert_eq!(s.app().selection_range(), Some((0, 7)), "“US says”");
    s.press_with(ctrl_shift, Key::ArrowLeft);
    assert_eq!(s.app().selection_range(), Some((0, 3)));
    // A quick tap: Shift+→ pressed and released within one frame, so the
    // frame ends with no modifier held. Each tap still grows the selection.
    for expected in [4, 5] {
        for pressed in [true, false] {
            s.harness.event(egui::Event::Key {
                key: Key::ArrowRight,
                physical_key: None,
                pressed,
                repeat: false,
                modifiers: if pressed {
                    Modifiers::SHIFT
                } else {
                    Modifiers::NONE
                },
            });
        }
        s.harness.run();
        assert_eq!(s.app().selection_range(), Some((0, expected)));
    }
    s.select(0, 2);
    s.press(Key::Num3);
    let entity = entity_at(s.doc(), 0, 2, "GPE").expect("\"US\" tagged GPE");
    assert_eq!(entity.text, "US");

    // A click further along the line starts the selection there, not at the
    // start of the text.
    s.press(Key::Escape);
    s.click_at(origin + Vec2::new(100.0, 8.0));
    let (caret, head) = s.app().selection.expect("a caret where the click was");
    assert_eq!(caret, head);
    assert!(
        (5..30).contains(&caret),
        "the caret is some way into the title: {caret}"
    );
    s.press_with(Modifiers::SHIFT | Modifiers::COMMAND, Key::ArrowRight);
    let (start, end) = s.app().selection_range().expect("a selection");
    assert_eq!(start, caret, "the selection grows from the caret");
    let chars: Vec<char> = s.doc().text.chars().collect();
    assert!(
        chars[end - 1].is_alphanumeric() && !chars[end].is_alphanumeric(),
        "it ends at a word's end"
    );
    s.press(Key::Num7);
    let text: String = chars[start..end].iter().collect();
    assert_eq!(
        entity_at(s.doc(), start, end, "MISC").map(|e| e.text.to_string()),
        Some(text)
    );
}

/// Drags the mouse along the article's first line, from `from` to `to`
/// pixels right of its start, and returns the selection it leaves.
fn drag_along_first_line(s: &mut Session, from: f32, to: f32) -> (usize, usize) {
    let origin = s.article_origin() + Vec2::new(0.0, 8.0);
    s.harness.hover_at(origin + Vec2::new(from, 0.0));
    s.harness.drag_at(origin + Vec2::new(from, 0.0));
    let steps = 6;
    for n in 1..=steps {
        s.harness
            .hover_at(origin + Vec2::new(from + (to - from) * n as f32 / steps as f32, 0.0));
    }
    s.harness.drop_at(origin + Vec2::new(to, 0.0));
    s.harness.run();
    s.app().selection_range().expect("the drag selected text")
}

#[test]
fn selecting_with_a_mouse_drag() {
    let mut s = Session::sample(vec![]);
    // Where clicks at a few points of the first line put the caret.
    let origin = s.article_origin() + Vec2::new(0.0, 8.0);
    let mut caret_at = |x: f32| {
        s.click_at(origin + Vec2::new(x, 0.0));
        s.app().selection.expect("a caret").0
    };
    let (c30, c75) = (caret_at(30.0), caret_at(75.0));
    assert!(0 < c30 && c30 < c75, "carets at {c30} and {c75}");
    let chars: Vec<char> = s.doc().text.chars().collect();
    // Both points are inside words (a selection's spaces are trimmed).
    assert!(
        !chars[c30].is_whitespace() && !chars[c75 - 1].is_whitespace(),
        "carets at {c30} and {c75}"
    );

    // Without snapping, a drag selects exactly from where it started to
    // where it ended, both ways.
    s.harness.get_by_label("View").click();
    s.harness.run();
    s.click("Don't snap selections to words");
    assert!(!s.app().snap_to_words);
    assert_eq!(drag_along_first_line(&mut s, 30.0, 75.0), (c30, c75));
    assert_eq!(drag_along_first_line(&mut s, 75.0, 30.0), (c30, c75));

    // With snapping, the same drag grows to whole words.
    s.harness.get_by_label("View").click();
    s.harness.run();
    s.click("Snap selections to words");
    assert!(s.app().snap_to_words);
    let (start, end) = drag_along_first_line(&mut s, 30.0, 75.0);
    let inside_word = |i: usize| {
        i > 0 && chars[i - 1].is_alphanumeric() && chars.get(i).is_some_and(|c| c.is_alphanumeric())
    };
    assert!(
        start <= c30 && end >= c75,
        "({start}, {end}) covers ({c30}, {c75})"
    );
    assert!(
        !inside_word(start) && !inside_word(end),
        "({start}, {end}) does not cut a word"
    );
    let text: String = chars[start..end].iter().collect();
    assert!(SAMPLE_TITLE.contains(&text), "{text:?}");
    // Tag what the drag selected.
    s.press(Key::Num7);
    assert_eq!(
        entity_at(s.doc(), start, end, "MISC").map(|e| e.text.to_string()),
        Some(text)
    );
}

#[test]
fn making_a_claim_with_adrienne_watson_as_claimant() {
    let mut s = Session::sample(vec![]);
    let watson = s
        .doc()
        .entities
        .iter()
        .find(|e| e.text == "Adrienne Watson")
        .expect("Watson is tagged")
        .clone();
    let (start, end) = find(&s.doc().text, "Kim could even travel to Moscow", 0);
    s.select(start, end);
    s.press(Key::C);
    let claim_id = {
        let editor = s
            .app()
            .claim_editor
            .as_ref()
            .expect("C opens the claim editor");
        assert_eq!((editor.draft.start, editor.draft.end), (start, end));
        editor.draft.id.clone()
    };
    assert_eq!(s.doc().claims.len(), 4, "C made the claim");
    // The editor quotes the claim (the inspector beside it does too).
    assert_eq!(
        s.harness
            .query_all_by_label("“Kim could even travel to Moscow”")
            .count(),
        2
    );
    // The guess is the nearest organisation before it, The New York Times.
    assert_ne!(
        s.doc().claim(&claim_id).and_then(|c| c.claimant.clone()),
        Some(Claimant::Entity(watson.id.clone()))
    );

    s.harness
        .get_by_role_and_label(egui::Role::ComboBox, "Claimant")
        .click();
    s.harness.run();
    // The list scrolls to the guessed claimant; scroll to Watson, then pick her.
    let item = format!("Adrienne Watson (PER) @{}", watson.start);
    s.harness.get_by_label(&item).scroll_to_me();
    s.harness.run();
    s.click(&item);
    s.click("Apply");
    assert!(s.app().claim_editor.is_none(), "Apply closes the editor");
    let claim = s.doc().claim(&claim_id).expect("the claim exists");
    assert_eq!(
        (claim.start, claim.end, claim.text.as_str()),
        (start, end, "Kim could even travel to Moscow")
    );
    assert_eq!(claim.claimant, Some(Claimant::Entity(watson.id.clone())));
    assert_eq!(claim.claimant_name(s.doc()), Some("Adrienne Watson"));
    assert_eq!(s.doc().claims.len(), 4);
}

#[test]
fn changing_a_type_with_undo_and_redo() {
    let mut s = Session::sample(vec![]);
    let (start, end) = find(&s.doc().text, "Kim Jong Un", 0);
    let id = entity_at(s.doc(), start, end, "PER")
        .expect("the first Kim Jong Un is PER")
        .id
        .clone();
    // Tab walks the annotations in text order; the first Kim Jong Un is the eighth.
    for _ in 0..8 {
        s.press(Key::Tab);
    }
    assert_eq!(
        s.app().selected.as_ref().map(|a| a.id.as_str()),
        Some(id.as_str()),
        "Tab selected it"
    );
    s.harness.get_by_label(&format!("Entity {id}"));
    let label = |s: &Session| {
        s.doc()
            .entity(&id)
            .expect("the entity exists")
            .label
            .clone()
    };
    s.press(Key::Num2);
    assert_eq!(label(&s), "ORG");
    s.press_with(Modifiers::COMMAND, Key::Z);
    assert_eq!(label(&s), "PER");
    s.press_with(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(label(&s), "ORG");
    s.press_with(Modifiers::COMMAND, Key::Z);
    s.press_with(Modifiers::COMMAND, Key::Y);
    assert_eq!(label(&s), "ORG");
    assert_eq!(s.doc().entities.len(), 72);
}

#[test]
fn deleting_with_undo_and_both_redo_keys() {
    let mut s = Session::sample(vec![]);
    let original = s.app().session.project().clone();
    let watson = s
        .doc()
        .entities
        .iter()
        .find(|e| e.text == "Adrienne Watson")
        .expect("Watson is tagged")
        .clone();
    s.select_entity(&watson.id);
    s.press(Key::Delete);
    let gone = |s: &Session| s.doc().entity(&watson.id).is_none();
    assert!(gone(&s));
    assert_eq!(s.doc().entities.len(), 71);
    assert!(s.app().selected.is_none());
    // Her claim keeps her as text, and the relation from her is removed with her.
    let c1 = s.doc().claim("c1").expect("c1");
    assert_eq!(c1.claimant, Some(Claimant::Text("Adrienne Watson".into())));
    assert!(
        s.doc()
            .relations
            .iter()
            .all(|r| r.from != watson.id && r.to != watson.id)
    );

    s.press_with(Modifiers::COMMAND, Key::Z);
    assert_eq!(
        *s.app().session.project(),
        original,
        "one undo restores everything exactly"
    );
    assert!(!s.app().session.is_dirty());
    s.press_with(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert!(gone(&s), "Ctrl+Shift+Z redoes");
    s.press_with(Modifiers::COMMAND, Key::Z);
    assert_eq!(*s.app().session.project(), original);
    s.press_with(Modifiers::COMMAND, Key::Y);
    assert!(gone(&s), "Ctrl+Y redoes");
    assert_eq!(s.doc().entities.len(), 71);
}

#[test]
fn saving_to_a_file_and_reopening_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("saved.gloss.ron");
    let mut s = Session::sample(vec![vec![target.clone()]]);
    // Change something so there is work to save.
    let (start, end) = find(&s.doc().text, "Russian", 0);
    s.select(start, end);
    s.press(Key::Num7);
    assert!(entity_at(s.doc(), start, end, "MISC").is_some());
    s.harness.get_by_label("● Unsaved changes");

    // The sample has no file yet, so Ctrl+S asks where (the scripted dialog answers).
    s.press_with(Modifiers::COMMAND, Key::S);
    s.harness.run();
    // The file is written on a worker thread.
    s.app_mut().wait_for_save();
    s.harness.run();
    assert_eq!(s.asked(), [PickKind::SaveProject]);
    assert!(target.is_file(), "Ctrl+S wrote {}", target.display());
    assert_eq!(s.app().session.path.as_deref(), Some(target.as_path()));
    assert!(!s.app().session.is_dirty());
    s.harness.get_by_label("✔ Saved");
    s.harness.get_by_label_contains("saved ");

    let reopened: Project = gloss::store::load(&target).expect("the saved file loads");
    assert_eq!(reopened, *s.app().session.project());
    assert!(entity_at(&reopened.documents[0], start, end, "MISC").is_some());
    // The file is also in the recent list, kept in the test's data folder.
    assert_eq!(s.app().recent.len(), 1);
    assert!(s.path("data").join("recent.ron").is_file());
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let mut s = Session::sample(vec![]);
    let (start, end) = find(&s.doc().text, "Russian", 0);
    s.select(start, end);
    s.press(Key::Num7);
    assert!(s.app().session.is_dirty());

    // Ctrl+Q asks; Cancel keeps the app open with the changes.
    s.press_with(Modifiers::COMMAND, Key::Q);
    s.harness.get_by_label("Unsaved changes");
    s.click("Cancel");
    assert!(
        s.harness.query_by_label("Unsaved changes").is_none(),
        "Cancel closes the prompt"
    );
    assert!(!s.app().close_confirmed);
    assert!(s.app().session.is_dirty());

    // Closing the window asks too (and cancels the close).
    s.harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    s.harness.step();
    let cancelled = s
        .harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::CancelClose));
    assert!(cancelled, "the window stays open");
    s.harness.run();
    s.harness.get_by_label("Unsaved changes");
    assert!(!s.app().close_confirmed);

    // Discard lets it close.
    s.click("Discard");
    assert!(s.app().close_confirmed);
    assert!(s.harness.query_by_label("Unsaved changes").is_none());
}

#[test]
fn dropping_an_article_imports_it() {
    let mut s = Session::sample(vec![]);
    let article = s.path("ceasefire.txt");
    std::fs::write(
        &article,
        "Ceasefire talks resume in Geneva\n\nDiplomats from both sides met on Tuesday.\n",
    )
    .expect("the article is written");
    let before = s.app().session.project().documents.len();
    s.harness
        .input_mut()
        .dropped_files
        .push(Arc::new(DroppedPath(article)));
    // The file is read on a worker thread; the window keeps drawing meanwhile.
    s.wait_for(|app| app.session.project().documents.len() > before);
    let project = s.app().session.project();
    assert_eq!(project.documents.len(), before + 1);
    let doc = project.documents.last().expect("the new document");
    assert_eq!(doc.title, "Ceasefire talks resume in Geneva");
    assert!(
        doc.text
            .contains("Diplomats from both sides met on Tuesday.")
    );
    assert_eq!(s.app().current, before, "the new document is shown");
    s.harness.get_by_label("Ceasefire talks resume in Geneva");
    s.harness.get_by_label("Document 2 of 2");
    // One undo step removes it again.
    s.press_with(Modifiers::COMMAND, Key::Z);
    assert_eq!(s.app().session.project().documents.len(), before);
}

/// A JSONL batch of `n` short articles, ids `b0`, `b1`, … in the session's
/// folder.
fn write_batch(s: &Session, n: usize) -> PathBuf {
    let batch = s.path("batch.jsonl");
    let lines: Vec<String> = (0..n)
        .map(|n| format!(r#"{{"id": "b{n}", "text": "Article number {n} about the talks."}}"#))
        .collect();
    std::fs::write(&batch, lines.join("\n")).expect("the batch is written");
    batch
}

/// The batch is read and its edit prepared on a worker, against the project
/// as it was when the files were dropped. An edit made meanwhile (here a
/// document that takes the id "b1" and one with article 2's text) makes the
/// app prepare it again: no duplicate id, no duplicate text, one undo step.
#[test]
fn an_import_after_an_edit_made_while_it_read_keeps_ids_and_texts_unique() {
    let mut s = Session::sample(vec![]);
    let batch = write_batch(&s, 5);
    let before = s.app().session.project().documents.len();
    s.harness
        .input_mut()
        .dropped_files
        .push(Arc::new(DroppedPath(batch)));
    // The frame that takes the drop starts the reading job.
    s.harness.step();
    assert!(s.app().jobs.busy(), "the batch is being read");
    // Before any later frame can take the job's output, two documents are
    // added through the edit layer.
    for (id, text) in [
        ("b1", "A report of our own."),
        ("copy", "Article number 2 about the talks."),
    ] {
        let index = s.app().session.project().documents.len();
        let applied = s.app_mut().apply(gloss::edit::Edit::InsertDocument {
            index,
            document: Box::new(Document::new(id, id, text)),
        });
        assert!(applied);
    }
    s.wait_for(|app| app.session.project().documents.len() == before + 2 + 4);
    let project = s.app().session.project();
    let ids: Vec<&str> = project.documents[before..]
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(ids, ["b1", "copy", "b0", "b1-2", "b3", "b4"]);
    assert_eq!(
        project.documents[before + 3].text,
        "Article number 1 about the talks."
    );
    assert_eq!(gloss::model::validate::validate(project), []);
    let message = s.message();
    assert!(message.contains("imported 4 articles"), "{message}");
    assert!(
        message.contains("\"b2\"")
            && message.contains("already in the project as document \"copy\""),
        "{message}"
    );
    // One undo step takes the import back, the two documents stay.
    s.press_with(Modifiers::COMMAND, Key::Z);
    assert_eq!(s.app().session.project().documents.len(), before + 2);
}

#[test]
fn dropping_a_batch_again_says_how_many_were_skipped_in_one_short_message() {
    let mut s = Session::sample(vec![]);
    let batch = write_batch(&s, 50);
    let before = s.app().session.project().documents.len();
    let drop = |s: &mut Session| {
        s.harness
            .input_mut()
            .dropped_files
            .push(Arc::new(DroppedPath(batch.clone())));
    };
    drop(&mut s);
    s.wait_for(|app| app.session.project().documents.len() == before + 50);
    // The same batch again: every article is in the project already.
    s.app_mut().message = None;
    drop(&mut s);
    s.wait_for(|app| app.message.is_some() && !app.jobs.busy());
    let message = s.message();
    assert_eq!(
        s.app().session.project().documents.len(),
        before + 50,
        "nothing added twice"
    );
    assert!(message.contains("47 more articles skipped"), "{message}");
    assert_eq!(
        message.matches("already in the project").count(),
        3,
        "{message}"
    );
    assert!(
        message.chars().count() <= 601,
        "{} characters",
        message.chars().count()
    );
    s.harness.get_by_label_contains("47 more articles skipped");
}

#[test]
fn annotating_all_occurrences_is_one_undo_step() {
    let mut s = Session::sample(vec![]);
    let occurrences = s.doc().text.match_indices("Russian").count();
    assert_eq!(occurrences, 2);
    let before = s.app().session.project().clone();
    let (start, end) = find(&s.doc().text, "Russian", 0);
    s.select(start, end);
    // A opens the dialog for the selected text; pick the type, then confirm.
    s.press(Key::A);
    s.harness.get_by_label("Annotate all occurrences");
    s.harness
        .get_by_role_and_label(egui::Role::ComboBox, "Type:")
        .click();
    s.harness.run();
    s.click("MISC — Miscellaneous");
    s.harness
        .get_by_label("2 new mentions will be tagged MISC.");
    s.click("Annotate all");
    assert!(
        s.harness
            .query_by_label("Annotate all occurrences")
            .is_none(),
        "the dialog closed"
    );
    let tagged: Vec<(usize, usize)> = s
        .doc()
        .entities
        .iter()
        .filter(|e| e.text == "Russian" && e.label == "MISC")
        .map(|e| (e.start, e.end))
        .collect();
    assert_eq!(
        tagged,
        vec![
            find(&s.doc().text, "Russian", 0),
            find(&s.doc().text, "Russian", 1)
        ]
    );
    assert_eq!(s.doc().entities.len(), 74);

    s.press_with(Modifiers::COMMAND, Key::Z);
    assert_eq!(
        *s.app().session.project(),
        before,
        "one undo removes all of them"
    );
    s.press_with(Modifiers::COMMAND, Key::Y);
    assert_eq!(s.doc().entities.len(), 74);
}

#[test]
fn snapshot_main_window() {
    let mut s = Session::sample(vec![]);
    s.harness.snapshot("main_window");
}

#[test]
fn snapshot_claim_editor() {
    let mut s = Session::sample(vec![]);
    let (start, end) = find(&s.doc().text, "Kim could even travel to Moscow", 0);
    s.select(start, end);
    s.press(Key::C);
    assert!(s.app().claim_editor.is_some());
    s.harness.snapshot("claim_editor");
}

#[test]
fn snapshot_help_overlay() {
    let mut s = Session::sample(vec![]);
    s.press(Key::F1);
    assert!(s.app().show_help);
    s.harness.get_by_label("Keyboard shortcuts");
    // Selecting by word with the keyboard is listed, not only by letter.
    s.harness.get_by_label("Ctrl+Shift+←→");
    s.harness.snapshot("help_overlay");
    s.press(Key::Escape);
    assert!(!s.app().show_help, "Esc closes the help");
}

#[test]
fn without_a_file_dialog_the_user_types_the_path() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let project_path = dir.path().join("typed.gloss.ron");
    let mut other = Project::new("Typed path project");
    other
        .documents
        .push(Document::new("d1", "Only document", "Only document\n\nSome text.").into());
    gloss::store::save(&other, &project_path).expect("saved");
    let mut picker = ScriptedPicker::new(vec![]);
    picker.no_dialog = true;
    let app = GlossApp::new_in(Startup::Sample, Box::new(picker), dir.path().join("data"));
    let mut harness = common::harness(app);
    // Ctrl+O: no dialog can be shown, so Gloss asks for the path.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    harness.get_by_label("Open project");
    text_field(&harness, "Path:").type_text(project_path.to_str().unwrap());
    harness.run();
    harness.get_by_label("OK").click();
    let started = std::time::Instant::now();
    while harness.state().session.path.as_deref() != Some(project_path.as_path())
        && started.elapsed() < std::time::Duration::from_secs(10)
    {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
    let app = harness.state();
    assert_eq!(app.session.path.as_deref(), Some(project_path.as_path()));
    assert_eq!(*app.session.project(), other);
    assert!(!app.session.is_dirty());
}

#[test]
fn exporting_a_dataset_from_the_app_shows_progress_and_writes_the_file() {
    let mut s = Session::sample(vec![]);
    let out = s.path("sample.jsonl");
    s.click("File");
    s.click("Export dataset…");
    s.harness.get_by_label("Export dataset");
    text_field(&s.harness, "To:").click();
    s.harness.run();
    text_field(&s.harness, "To:").type_text(out.to_str().unwrap());
    s.harness.run();
    s.click("Export");
    // The export runs as a job; the status bar shows it until it is done.
    let out_path = out.clone();
    s.wait_for(move |app| !app.jobs.busy() && out_path.exists());
    let text = std::fs::read_to_string(&out).expect("the export was written");
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("one JSON line");
    assert_eq!(line["id"], "kim-putin-arms-meeting");
    assert_eq!(line["entities"].as_array().map(Vec::len), Some(72));
    s.harness.get_by_label_contains("exported 1 file");
}

#[test]
fn the_export_format_list_works_after_an_export_and_keeps_the_format_chosen() {
    let mut s = Session::sample(vec![]);
    let folder = s.path("brat-out");
    s.click("File");
    s.click("Export dataset…");
    s.click("brat");
    text_field(&s.harness, "To:").click();
    s.harness.run();
    text_field(&s.harness, "To:").type_text(folder.to_str().unwrap());
    s.harness.run();
    s.click("Export");
    let ann = folder.join("kim-putin-arms-meeting.ann");
    s.wait_for(move |app| !app.jobs.busy() && ann.exists());
    // Again: the dialog offers brat, not JSONL, and the list still answers clicks.
    s.click("File");
    s.click("Export dataset…");
    let format = |app: &GlossApp| match &app.dialogs.prompt {
        gloss::ui::dialogs::Prompt::Dataset(form) => Some(form.format),
        _ => None,
    };
    assert_eq!(format(s.app()), Some(gloss::formats::Format::Brat));
    s.click("conll");
    assert_eq!(format(s.app()), Some(gloss::formats::Format::Conll));
    s.click("jsonl");
    assert_eq!(format(s.app()), Some(gloss::formats::Format::Jsonl));
}

#[test]
fn an_untitled_project_takes_its_file_name_on_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("talks.txt");
    std::fs::write(&article, "Putin said the talks would go on.\n").unwrap();
    let target = dir.path().join("moscow talks.gloss.ron");
    let mut s = Session::start(
        Startup::Articles(vec![article], Default::default()),
        vec![vec![target.clone()]],
    );
    assert_eq!(s.app().session.project().name, "Untitled");
    s.press_with(Modifiers::COMMAND, Key::S);
    s.app_mut().wait_for_save();
    s.harness.run();
    assert_eq!(s.app().session.project().name, "moscow talks");
    let saved = gloss::store::load(&target).expect("saved");
    assert_eq!(saved.name, "moscow talks");
    s.harness.get_by_label("✔ Saved");
}

#[test]
fn status_messages_are_kept_in_full_in_the_messages_window() {
    let mut s = Session::sample(vec![]);
    let long = format!(
        "first: {}the end of the first",
        "a long warning ".repeat(40)
    );
    s.app_mut().notify(long.clone());
    s.app_mut().notify("second message");
    s.harness.run();
    // The status bar shows the newest message; a click on it opens them all.
    assert!(s.harness.query_by_label("Messages").is_none());
    s.click("second message");
    s.harness.get_by_label("Messages");
    s.harness.get_by_label("2 messages");
    // The long one is there in full, not cut at the window's edge.
    assert!(
        s.harness
            .query_all_by_value(&long)
            .chain(s.harness.query_all_by_label(&long))
            .next()
            .is_some(),
        "the first message in full"
    );
    s.click("Clear");
    s.harness.get_by_label("0 messages");
}

/// The text field whose accessible name is `label`.
fn text_field<'h>(
    harness: &'h Harness<'static, GlossApp>,
    label: &'static str,
) -> egui_kittest::Node<'h> {
    harness.get_by(move |node| {
        node.role() == egui::accesskit::Role::TextInput && node.label().as_deref() == Some(label)
    })
}

#[test]
fn the_entities_pane_counts_mentions_and_jumps_to_them() {
    let mut s = Session::sample(vec![]);
    let kim_mentions = s
        .doc()
        .entities
        .iter()
        .filter(|e| e.canonical.as_deref() == Some("kim"))
        .count();
    assert!(kim_mentions >= 3);
    s.click("Entities");
    let header = format!("Kim Jong Un (PER) — {kim_mentions} mentions in 1 document");
    s.click(&header);
    // The first mention listed is the first in the text: "Kim" in the title.
    let first = s
        .doc()
        .entities
        .iter()
        .find(|e| e.canonical.as_deref() == Some("kim"))
        .cloned()
        .expect("a Kim mention");
    let link = format!(
        "“{}” in US says N.Korea’s Kim ex @{}",
        first.text, first.start
    );
    s.click(&link);
    assert_eq!(
        s.app().selected,
        Some(AnnotationRef {
            kind: AnnotationKind::Entity,
            id: first.id.to_string()
        })
    );
    // Selecting switches to the inspector, which shows the canonical entity.
    s.harness.get_by_label(&format!("Entity {}", first.id));

    // The Claims pane lists who claimed what.
    s.click("Claims");
    s.harness.get_by_label("Adrienne Watson");
    s.harness.get_by_label("John Kirby");
}

#[test]
fn saving_from_the_quit_prompt_asks_where_then_quits() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("kept.gloss.ron");
    let mut s = Session::sample(vec![vec![target.clone()]]);
    let (start, end) = find(&s.doc().text, "Russian", 0);
    s.select(start, end);
    s.press(Key::Num7);
    s.press_with(Modifiers::COMMAND, Key::Q);
    // The sample was never saved: Save asks where, saves there, then quits.
    s.click("Save");
    s.app_mut().wait_for_save();
    s.harness.run();
    assert_eq!(s.asked(), [PickKind::SaveProject]);
    assert!(
        s.app().close_confirmed,
        "the app closes once the work is saved"
    );
    let saved = gloss::store::load(&target).expect("the project was saved");
    assert_eq!(saved, *s.app().session.project());
    assert!(!s.app().session.is_dirty());
}

#[test]
fn cancelling_the_save_dialog_keeps_the_app_open() {
    let mut s = Session::sample(vec![vec![]]);
    let (start, end) = find(&s.doc().text, "Russian", 0);
    s.select(start, end);
    s.press(Key::Num7);
    s.press_with(Modifiers::COMMAND, Key::Q);
    s.harness.get_by_label("Unsaved changes");
    assert!(s.asked().is_empty(), "no dialog before Save is clicked");
    s.click("Save");
    // The sample was never saved, so Save asked where; that dialog was cancelled.
    assert_eq!(
        s.asked(),
        [PickKind::SaveProject],
        "Save asked where to save"
    );
    assert!(!s.app().close_confirmed);
    assert!(s.app().session.is_dirty());
    assert!(s.app().after_save.is_none());
}

#[test]
fn discard_then_cancelling_the_open_dialog_keeps_the_changes() {
    // The Open dialog is cancelled (an empty answer).
    let mut s = Session::sample(vec![vec![]]);
    let (start, end) = find(&s.doc().text, "Russian", 0);
    s.select(start, end);
    s.press(Key::Num7);
    let edited = s.app().session.project().clone();
    s.press_with(Modifiers::COMMAND, Key::O);
    s.harness.get_by_label("Unsaved changes");
    assert!(s.asked().is_empty(), "Ctrl+O asks about the changes first");
    s.click("Discard");
    assert_eq!(
        s.asked(),
        [PickKind::OpenProject],
        "Discard went on to the Open dialog"
    );
    // Nothing replaced the project, so the changes are still there, unsaved.
    assert_eq!(*s.app().session.project(), edited);
    assert!(s.app().session.is_dirty());
    s.harness.get_by_label("● Unsaved changes");
}

#[test]
fn a_project_that_finishes_loading_after_new_edits_asks_first() {
    let mut s = Session::sample(vec![]);
    let other = s.path("other.gloss.ron");
    gloss::store::save(&Project::new("Other"), &other).expect("saved");
    // The open started from the clean sample…
    let origin = s.app().job_origin();
    // …and the user tagged something while it loaded.
    let (start, end) = find(&s.doc().text, "Russian", 0);
    s.select(start, end);
    s.press(Key::Num7);
    let edited = s.app().session.project().clone();
    let loaded = gloss::store::load(&other).expect("loads");
    s.app_mut().on_job_output(
        origin,
        gloss::ui::jobs::JobOutput::Opened {
            path: other.clone(),
            result: Ok(Box::new(loaded)),
        },
    );
    s.harness.run();
    assert_eq!(
        *s.app().session.project(),
        edited,
        "the edit is not thrown away"
    );
    s.harness.get_by_label("Unsaved changes");
}

#[test]
fn case_insensitive_find_maps_offsets_exactly() {
    let mut project = Project::new("find");
    let text = "İstanbul and ISTANBUL; Straße 😀 STRASSE straße";
    project
        .documents
        .push(Document::new("d1", "find", text).into());
    let hits = gloss::ui::find::find_all(&project, "straße", false);
    let found: Vec<String> = hits
        .iter()
        .map(|(_, s, e)| text.chars().skip(*s).take(e - s).collect())
        .collect();
    assert_eq!(found, ["Straße", "straße"]);
    let istanbul = gloss::ui::find::find_all(&project, "istanbul", false);
    let found: Vec<String> = istanbul
        .iter()
        .map(|(_, s, e)| text.chars().skip(*s).take(e - s).collect())
        .collect();
    // "İ" lower-cases to "i̇" (two characters), so only the plain spelling matches "istanbul".
    assert_eq!(found, ["ISTANBUL"]);
    assert_eq!(gloss::ui::find::find_all(&project, "😀", true).len(), 1);
}

#[test]
fn undo_across_documents_shows_where_it_happened() {
    let mut project = Project::new("two documents");
    project
        .documents
        .push(Document::new("a", "First", "First\n\nAlice met Bob.").into());
    project
        .documents
        .push(Document::new("b", "Second", "Second\n\nCarol met Dan.").into());
    let mut s = Session::start(Startup::InMemory(Box::new(project), None), vec![]);
    let (start, end) = find(&s.doc().text, "Alice", 0);
    s.select(start, end);
    s.press(Key::Num1);
    assert_eq!(s.app().session.project().documents[0].entities.len(), 1);
    // Move on to the second document, then undo: the first one is shown again.
    s.press(Key::N);
    assert_eq!(s.app().current, 1);
    s.press_with(Modifiers::COMMAND, Key::Z);
    assert_eq!(s.app().current, 0);
    assert!(s.app().session.project().documents[0].entities.is_empty());
    s.press(Key::N);
    s.press_with(Modifiers::COMMAND, Key::Y);
    assert_eq!(s.app().current, 0);
    assert_eq!(s.app().session.project().documents[0].entities.len(), 1);
}

#[test]
fn double_clicking_selects_a_word() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let app = GlossApp::new_in(
        Startup::Sample,
        Box::new(ScriptedPicker::default()),
        dir.path().join("data"),
    );
    // Frames 50 ms apart, so that two clicks make a double click (≤ 0.3 s).
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 820.0))
        .with_step_dt(0.05)
        .with_max_steps(40)
        .with_context_setup(gloss::ui::theme::install)
        .build_ui_state(|ui, app: &mut GlossApp| app.frame(ui), app);
    harness.run();
    let article = harness.get_by_label_contains("North Korean leader Kim Jong Un expects");
    // "says" in the title line, after "US ".
    let point = article.rect().min + Vec2::new(ARTICLE_MARGIN + 30.0, 8.0);
    common::double_click(&mut harness, point);
    let app = harness.state();
    let (start, end) = app
        .selection_range()
        .expect("the double click selected a word");
    let text = &app.session.project().documents[0].text;
    let chars: Vec<char> = text.chars().collect();
    let word: String = chars[start..end].iter().collect();
    assert_eq!(word, "says");
    assert!(app.selected.is_none());
}

#[test]
fn the_claims_pane_follows_a_newly_opened_project() {
    let mut empty = Project::new("no claims");
    empty
        .documents
        .push(Document::new("d", "Plain", "Plain\n\nNothing claimed here.").into());
    let mut s = Session::start(Startup::InMemory(Box::new(empty), None), vec![]);
    s.click("Claims");
    s.harness
        .get_by_label("No claims yet. Select a statement and press C.");
    let sample = s.path("sample.gloss.ron");
    gloss::store::save(&gloss::sample::sample_project().expect("sample"), &sample).expect("saved");
    s.app_mut().open_project(&sample);
    let expected = sample.clone();
    s.wait_for(move |app| app.session.path.as_deref() == Some(expected.as_path()));
    s.click("Claims");
    s.harness.get_by_label("Adrienne Watson");
    assert!(
        s.harness
            .query_by_label("No claims yet. Select a statement and press C.")
            .is_none()
    );
}

#[test]
fn an_older_open_does_not_replace_a_newer_project() {
    let mut s = Session::sample(vec![]);
    let other = s.path("other.gloss.ron");
    gloss::store::save(&Project::new("Other"), &other).expect("saved");
    let origin = s.app().job_origin();
    // Meanwhile the user started a new project.
    s.press_with(Modifiers::COMMAND, Key::N);
    assert_eq!(s.app().session.project().name, "Untitled");
    let loaded = gloss::store::load(&other).expect("loads");
    s.app_mut().on_job_output(
        origin,
        gloss::ui::jobs::JobOutput::Opened {
            path: other,
            result: Ok(Box::new(loaded)),
        },
    );
    s.harness.run();
    assert_eq!(s.app().session.project().name, "Untitled");
    assert!(s.harness.query_by_label("Unsaved changes").is_none());
}
