//! Frame benchmark: drives the real [`GlossApp`] headless, the same code
//! path as the window (egui without a GPU: `Context::run_ui` and
//! `tessellate` per frame), through the scenarios a user meets on a long
//! article, and prints p50/p99 frame times.
//!
//! ```sh
//! cargo run --release --example frame_bench -- --json
//! ```
//!
//! Two articles of about 150,000 characters of real news text (the sample
//! Kim–Putin article repeated, with its annotations, plus an entity on about
//! every other word: ≈10k entities and some claims): `paragraphs` keeps the
//! article's line breaks, `one_line` replaces every newline with a space.
//!
//! Scenarios (each a series of frames, each frame timed from input to
//! tessellated meshes):
//! - `idle`: frames with no input;
//! - `hover`: the pointer moves over the text (tooltips appear);
//! - `scroll`: the mouse wheel scrolls 120 px a frame, down then up;
//! - `add`: a word in view is selected and tagged with its type's key
//!   (the frame that handles the key and the frame that shows the change);
//! - `undo`: Ctrl+Z undoes those additions one by one (same two frames);
//! - `select`: a mouse drag over three rows of text, a few pixels a frame.
//!
//! Without `--json` it prints a table instead. For profiling, the
//! environment variables `FRAME_BENCH_ONLY` (a scenario name) and
//! `FRAME_BENCH_ARTICLE` (`paragraphs` or `one_line`) run a part only;
//! `FRAME_BENCH_FRAMES=1` prints each add's two frame times to stderr;
//! `FRAME_BENCH_SOURCE=FILE` repeats a plain-text file of your own instead
//! of the sample (its words tagged), to try other scripts and shapes.

use std::time::Instant;

use egui::{Event, Key, Modifiers, Pos2, RawInput, Rect, Vec2};
use gloss::model::{Claim, Claimant, Cue, Document, Entity, Project};
use gloss::ui::GlossApp;

const SCREEN: Vec2 = Vec2::new(1400.0, 900.0);
const TARGET_CHARS: usize = 150_000;
const TARGET_ENTITIES: usize = 10_000;

/// One timed series.
struct Scenario {
    name: &'static str,
    article: &'static str,
    frames_ms: Vec<f64>,
}

impl Scenario {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.frames_ms.clone();
        sorted.sort_by(f64::total_cmp);
        if sorted.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted
            .get(rank.saturating_sub(1).min(sorted.len() - 1))
            .copied()
            .unwrap_or(0.0)
    }
}

/// The sample article repeated to ~150k characters with its annotations
/// shifted along, plus an entity on every other untagged word until there
/// are ~10k. `one_line` replaces newlines with spaces (same offsets).
fn article_project(one_line: bool) -> Project {
    let sample = gloss::sample::sample_project().expect("the built-in sample parses");
    // `FRAME_BENCH_SOURCE=FILE`: a plain-text file repeated instead of the
    // sample (its words tagged, no claims), to try other scripts and shapes.
    let custom = custom_source();
    let source = match &custom {
        Some(doc) => doc,
        None => sample.documents.first().expect("the sample has a document"),
    };
    let unit_chars = source.text.chars().count() + 2;
    let mut text = String::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut claims: Vec<Claim> = Vec::new();
    let mut copy = 0usize;
    while text.chars().count() < TARGET_CHARS {
        let shift = copy * unit_chars;
        text.push_str(&source.text);
        text.push_str("\n\n");
        let map = |id: &str| format!("{id}x{copy}");
        for e in &source.entities {
            let mut e = e.clone();
            e.id = map(&e.id).into();
            e.start += shift;
            e.end += shift;
            entities.push(e);
        }
        for c in &source.claims {
            let mut claim = Claim::new(map(&c.id), c.start + shift, c.end + shift, c.text.clone());
            claim.claimant = match &c.claimant {
                Some(Claimant::Entity(id)) => Some(Claimant::Entity(map(id).into())),
                other => other.clone(),
            };
            claim.cue = c.cue.as_ref().map(|cue| Cue {
                start: cue.start + shift,
                end: cue.end + shift,
                text: cue.text.clone(),
            });
            claim.attribution = c.attribution;
            claim.checkworthiness = c.checkworthiness;
            claims.push(claim);
        }
        copy += 1;
    }
    if one_line {
        text = text.replace('\n', " ");
    }
    // More entities: every other word that no annotation covers yet.
    let mut covered = vec![false; text.chars().count() + 1];
    for e in &entities {
        for flag in covered.iter_mut().take(e.end).skip(e.start) {
            *flag = true;
        }
    }
    let mut extra = 0usize;
    let mut char_pos = 0usize;
    let mut words = Vec::new();
    for word in unicode_segmentation::UnicodeSegmentation::split_word_bounds(text.as_str()) {
        let len = word.chars().count();
        // Scripts without spaces (CJK) have one-letter words.
        let long_enough = len >= 3 || (custom.is_some() && !word.is_ascii());
        if word.chars().all(char::is_alphanumeric) && long_enough {
            words.push((char_pos, char_pos + len, word.to_owned()));
        }
        char_pos += len;
    }
    let wanted = TARGET_ENTITIES.saturating_sub(entities.len());
    // Some candidates are covered already: take a few more than needed.
    let step = (words.len() * 3 / (wanted.max(1) * 4)).max(1);
    for (s, e, word) in words.into_iter().step_by(step) {
        if extra >= wanted || covered[s..e].iter().any(|c| *c) {
            continue;
        }
        extra += 1;
        let label = ["MISC", "ORG", "LOC", "EVENT"][extra % 4];
        entities.push(Entity::new(format!("w{extra}"), label, s, e, word));
    }
    entities.sort_by_key(|e| (e.start, e.end));
    let mut doc = Document::new(
        if one_line { "one-line" } else { "paragraphs" },
        "Kim–Putin, repeated (frame benchmark)",
        text,
    );
    doc.entities = entities;
    doc.claims = claims;
    let mut project = sample.clone();
    project.documents = vec![doc.into()];
    project
}

/// The text of `FRAME_BENCH_SOURCE`, if set, as an unannotated document.
fn custom_source() -> Option<Document> {
    let path = std::env::var_os("FRAME_BENCH_SOURCE").filter(|p| !p.is_empty())?;
    let text = std::fs::read_to_string(&path).expect("FRAME_BENCH_SOURCE is a UTF-8 text file");
    eprintln!("source: {}", std::path::Path::new(&path).display());
    Some(Document::new("source", "source", text.trim_end()))
}

fn app_for(project: Project) -> GlossApp {
    let data = tempfile::tempdir().expect("temp dir").keep();
    GlossApp::new_in(
        gloss::ui::Startup::InMemory(Box::new(project), None),
        Box::new(gloss::ui::files::ScriptedPicker::default()),
        data,
    )
}

/// A headless window: the egui context, the app and the clock.
struct Window {
    ctx: egui::Context,
    app: GlossApp,
    time: f64,
    pointer: Option<Pos2>,
}

impl Window {
    fn new(project: Project) -> Self {
        let ctx = egui::Context::default();
        gloss::ui::theme::install(&ctx);
        Self {
            ctx,
            app: app_for(project),
            time: 0.0,
            pointer: None,
        }
    }

    /// One frame with `events`; returns its time in milliseconds (run and
    /// tessellate).
    fn frame(&mut self, events: Vec<Event>) -> f64 {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            events,
            ..Default::default()
        };
        let started = Instant::now();
        let app = &mut self.app;
        let egui::FullOutput {
            shapes,
            pixels_per_point,
            mut textures_delta,
            ..
        } = self.ctx.run_ui(input, |ui| app.frame(ui));
        let meshes = self.ctx.tessellate(shapes, pixels_per_point);
        // No GPU to upload the font atlas to.
        textures_delta.clear();
        let elapsed = started.elapsed().as_secs_f64() * 1e3;
        std::hint::black_box(meshes);
        elapsed
    }

    fn move_to(&mut self, pos: Pos2) -> f64 {
        self.pointer = Some(pos);
        self.frame(vec![Event::PointerMoved(pos)])
    }

    fn key(&mut self, key: Key, modifiers: Modifiers) -> f64 {
        let event = |pressed| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        };
        self.frame(vec![event(true), event(false)])
    }

    fn button(&mut self, pos: Pos2, pressed: bool) -> f64 {
        self.frame(vec![
            Event::PointerMoved(pos),
            Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            },
        ])
    }

    /// Where the article's text is on screen: the accessible node of the
    /// article view is not at hand here, so aim inside the central panel.
    fn text_point(&self, dx: f32, dy: f32) -> Pos2 {
        Pos2::new(420.0 + dx, 200.0 + dy)
    }
}

fn run_article(article: &'static str, one_line: bool) -> Vec<Scenario> {
    let project = article_project(one_line);
    let doc = project.documents.first().expect("one document");
    eprintln!(
        "{article}: {} characters, {} entities, {} claims",
        doc.text.chars().count(),
        doc.entities.len(),
        doc.claims.len()
    );
    let words: Vec<(usize, usize)> = {
        let mut out = Vec::new();
        let mut pos = 0usize;
        for word in unicode_segmentation::UnicodeSegmentation::split_word_bounds(doc.text.as_str())
        {
            let len = word.chars().count();
            if word.chars().all(char::is_alphabetic) && (len >= 2 || !word.is_ascii()) {
                out.push((pos, pos + len));
            }
            pos += len;
        }
        out
    };
    let mut w = Window::new(project);
    for _ in 0..5 {
        w.frame(vec![]);
    }
    let mut scenarios = Vec::new();
    let mut add = |name: &'static str, frames_ms: Vec<f64>| {
        scenarios.push(Scenario {
            name,
            article,
            frames_ms,
        })
    };

    let only = std::env::var("FRAME_BENCH_ONLY").ok();
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);

    // Idle.
    if wanted("idle") {
        add("idle", (0..300).map(|_| w.frame(vec![])).collect());
    }

    // Hover: sweep the pointer over the text, row by row.
    let mut hover = Vec::new();
    for n in (0..300).filter(|_| wanted("hover")) {
        let pos = w.text_point((n % 60) as f32 * 12.0, (n / 60) as f32 * 24.0);
        hover.push(w.move_to(pos));
    }
    add("hover", hover);

    // Scroll: 120 px a frame down, then back up.
    let mut scroll = Vec::new();
    let wheel = |dy: f32| Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: Vec2::new(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    };
    let over_text = w.text_point(0.0, 0.0);
    w.move_to(over_text);
    for n in (0..300).filter(|_| wanted("scroll")) {
        let dy = if n < 200 { -120.0 } else { 120.0 };
        scroll.push(w.frame(vec![Event::PointerMoved(over_text), wheel(dy)]));
    }
    // Let the scroll settle, then back to the top.
    for _ in 0..60 {
        w.frame(vec![]);
    }
    for _ in 0..120 {
        w.frame(vec![Event::PointerMoved(over_text), wheel(4000.0)]);
    }
    for _ in 0..60 {
        w.frame(vec![]);
    }
    add("scroll", scroll);

    // Add: tag untagged words near the top (in view) with PER, key "1".
    let doc = w.app.document().expect("a document");
    let untagged: Vec<(usize, usize)> = words
        .iter()
        .filter(|(s, e)| *e < 1500 && !doc.entities.iter().any(|en| en.start < *e && *s < en.end))
        .copied()
        .take(if wanted("add") || wanted("undo") {
            60
        } else {
            0
        })
        .collect();
    let mut adds = Vec::new();
    for (s, e) in &untagged {
        w.app.selection = Some((*s, *e));
        w.app.selected = None;
        adds.push(w.key(Key::Num1, Modifiers::NONE));
        let key_layouts = gloss::ui::layouts_last_frame(&w.app);
        adds.push(w.frame(vec![]));
        if std::env::var_os("FRAME_BENCH_FRAMES").is_some() {
            // The key's frame and the one after it, to see which is slow,
            // and how many pieces each laid out.
            let n = adds.len();
            eprintln!(
                "add: key {:.2} ms ({key_layouts} laid out), next {:.2} ms ({} laid out)",
                adds[n - 2],
                adds[n - 1],
                gloss::ui::layouts_last_frame(&w.app)
            );
        }
    }
    add("add", adds);

    // Undo them.
    let mut undos = Vec::new();
    for _ in &untagged {
        undos.push(w.key(Key::Z, Modifiers::COMMAND));
        undos.push(w.frame(vec![]));
    }
    add("undo", undos);

    // Select: drags over three rows, a few pixels per frame.
    let mut select = Vec::new();
    for round in (0..5).filter(|_| wanted("select")) {
        let from = w.text_point(20.0, 30.0 * round as f32);
        select.push(w.move_to(from));
        select.push(w.button(from, true));
        for step in 1..=40 {
            let to = from + Vec2::new(step as f32 * 12.0, (step / 14) as f32 * 22.0);
            select.push(w.move_to(to));
        }
        let end = from + Vec2::new(480.0, 66.0);
        select.push(w.button(end, false));
        select.push(w.frame(vec![]));
    }
    eprintln!(
        "{article}: the drags selected {:?}",
        w.app.selection_range()
    );
    add("select", select);
    scenarios
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let article = std::env::var("FRAME_BENCH_ARTICLE").ok();
    let mut scenarios = Vec::new();
    if article.as_deref().is_none_or(|a| a == "paragraphs") {
        scenarios.extend(run_article("paragraphs", false));
    }
    if article.as_deref().is_none_or(|a| a == "one_line") {
        scenarios.extend(run_article("one_line", true));
    }
    if json {
        let list: Vec<serde_json::Value> = scenarios
            .iter()
            .map(|s| {
                serde_json::json!({
                    "name": s.name,
                    "article": s.article,
                    "p50_ms": (s.percentile(50.0) * 1000.0).round() / 1000.0,
                    "p99_ms": (s.percentile(99.0) * 1000.0).round() / 1000.0,
                })
            })
            .collect();
        println!("{}", serde_json::json!({ "scenarios": list }));
    } else {
        println!(
            "{:<8} {:<11} {:>7} {:>9} {:>9} {:>9}",
            "scenario", "article", "frames", "p50 ms", "p99 ms", "max ms"
        );
        for s in &scenarios {
            println!(
                "{:<8} {:<11} {:>7} {:>9.3} {:>9.3} {:>9.3}",
                s.name,
                s.article,
                s.frames_ms.len(),
                s.percentile(50.0),
                s.percentile(99.0),
                s.percentile(100.0)
            );
        }
    }
}
