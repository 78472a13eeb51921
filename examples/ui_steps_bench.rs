//! UI-thread steps benchmark: drives the real [`GlossApp`] headless (egui
//! without a GPU: `Context::run_ui` and `tessellate` per frame, the same code
//! path as the window) on a project of 2,000 documents opened from disk, and
//! times every frame while the user works:
//!
//! - `open`: the app opens the project file (start-up, as `gloss FILE`) and
//!   draws its first frames; peak memory is read here;
//! - `find`: Ctrl+F, a query typed letter by letter, then frames until every
//!   document has been searched;
//! - `save`: Ctrl+S, then frames until the file is written;
//! - `autosave`: an edit, then frames (in real time) until the recovery
//!   journal has been written;
//! - `annotate_all_preview`: "annotate all occurrences" across all documents,
//!   the dialog counting what it would tag;
//! - `annotate_all`: the dialog confirmed, frames until the entities are in
//!   the project;
//! - `undo` / `redo` of that one step.
//!
//! For each step it prints the number of frames, p50, p99 and max frame time
//! (ms), and the longest frame of the run with what it was doing. The goal
//! is no frame over 16 ms.
//!
//! ```sh
//! cargo run --release --example ui_steps_bench -- [--documents 2000] [--chars 3000] [--pane] [--json]
//! ```
//!
//! `--pane` shows the Annotations pane (its rows are rebuilt after every
//! change). The project is written by a child process, so the peak memory
//! of this process is the app's own: `VmHWM` from `/proc/self/status`,
//! compared with the file size.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Event, Key, Modifiers, Pos2, RawInput, Rect, Vec2};
use gloss::ui::{Action, GlossApp};

const SCREEN: Vec2 = Vec2::new(1400.0, 900.0);
/// Between frames, so workers get the core a real window would leave them.
const PAUSE: Duration = Duration::from_millis(4);
/// Give up on a step after this long (a bug, not a measurement).
const STEP_LIMIT: Duration = Duration::from_secs(120);

/// The timed frames of one step, each with what it was doing.
struct Step {
    name: &'static str,
    frames: Vec<(f64, String)>,
}

impl Step {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted: Vec<f64> = self.frames.iter().map(|(ms, _)| *ms).collect();
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

    fn longest(&self) -> Option<&(f64, String)> {
        self.frames.iter().max_by(|a, b| a.0.total_cmp(&b.0))
    }
}

/// A headless window: the egui context, the app and the clock.
struct Window {
    ctx: egui::Context,
    app: GlossApp,
    started: Instant,
}

impl Window {
    /// One frame with `events`; returns its time in milliseconds (run and
    /// tessellate).
    fn frame(&mut self, events: Vec<Event>) -> f64 {
        std::thread::sleep(PAUSE);
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.started.elapsed().as_secs_f64()),
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

    fn key_events(key: Key, modifiers: Modifiers) -> Vec<Event> {
        let event = |pressed| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        };
        vec![event(true), event(false)]
    }

    /// Runs frames until `done` says so, recording each under `what`.
    fn until(
        &mut self,
        step: &mut Step,
        what: &str,
        mut done: impl FnMut(&GlossApp) -> bool,
    ) -> bool {
        let started = Instant::now();
        let mut n = 0;
        while !done(&self.app) {
            if started.elapsed() > STEP_LIMIT {
                eprintln!("{}: gave up waiting ({what})", step.name);
                return false;
            }
            n += 1;
            let ms = self.frame(vec![]);
            step.frames.push((ms, format!("{what}, frame {n}")));
        }
        true
    }

    /// A few more frames, so that what a step's end changed is drawn.
    fn settle(&mut self, step: &mut Step, frames: usize) {
        for n in 1..=frames {
            let ms = self.frame(vec![]);
            step.frames.push((ms, format!("after, frame {n}")));
        }
    }
}

/// Peak and current resident memory of this process, bytes.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let read = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (read("VmHWM:"), read("VmRSS:"))
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Writes the generated project to `path` in a child process, so that
/// generating it does not count in this process's peak memory.
fn write_project(path: &Path, documents: usize, chars: usize) {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let status = std::process::Command::new(exe)
        .arg("--write")
        .arg(path)
        .args(["--documents", &documents.to_string()])
        .args(["--chars", &chars.to_string()])
        .status()
        .expect("the child runs");
    assert!(status.success(), "writing the project failed");
}

fn main() {
    let documents: usize = arg("--documents").and_then(|s| s.parse().ok()).unwrap_or(2000);
    let chars: usize = arg("--chars").and_then(|s| s.parse().ok()).unwrap_or(3000);
    if let Some(path) = arg("--write") {
        let project = gloss::sample::large_project(documents, chars);
        gloss::store::save(&project, Path::new(&path)).expect("the project is written");
        return;
    }
    let json = std::env::args().any(|a| a == "--json");
    let pane = std::env::args().any(|a| a == "--pane");
    let dir = tempfile::tempdir().expect("a temp dir");
    let path: PathBuf = dir.path().join("large.gloss.ron");
    write_project(&path, documents, chars);
    let file_size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let (peak_before, _) = memory();

    // Open: the same start-up as `gloss FILE`.
    let mut open = Step {
        name: "open",
        frames: Vec::new(),
    };
    let opened = Instant::now();
    let ctx = egui::Context::default();
    gloss::ui::theme::install(&ctx);
    let app = GlossApp::new_in(
        gloss::ui::Startup::Project(path.clone()),
        Box::new(gloss::ui::files::ScriptedPicker::default()),
        dir.path().join("data"),
    );
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;
    open.frames.push((open_ms, "opening the file (start-up)".into()));
    let mut w = Window {
        ctx,
        app,
        started: Instant::now(),
    };
    let loaded = w.app.session.project().documents.len();
    let annotations = w.app.session.project().annotation_count();
    if pane {
        w.app.act(Action::ShowAnnotations);
    }
    for n in 1..=30 {
        let ms = w.frame(vec![]);
        open.frames.push((ms, format!("first frames, frame {n}")));
    }
    let (peak, rss) = memory();
    eprintln!(
        "opened {loaded} documents, {annotations} annotations; file {:.1} MB; \
         peak RSS {:.1} MB ({:.2}× the file; {:.1} MB before opening), RSS now {:.1} MB",
        mb(file_size),
        mb(peak),
        peak as f64 / file_size as f64,
        mb(peak_before),
        mb(rss)
    );
    let mut steps = vec![open];

    // Find: type a query letter by letter, then wait for every document.
    let mut find = Step {
        name: "find",
        frames: Vec::new(),
    };
    let ms = w.frame(Window::key_events(Key::F, Modifiers::COMMAND));
    find.frames.push((ms, "Ctrl+F".into()));
    for letter in "Pyongyang".chars() {
        let ms = w.frame(vec![Event::Text(letter.to_string())]);
        find.frames.push((ms, format!("typing {letter:?}")));
        let ms = w.frame(vec![]);
        find.frames.push((ms, format!("after typing {letter:?}")));
    }
    w.until(&mut find, "searching", |app| app.find.progress().is_none());
    w.settle(&mut find, 10);
    let ms = w.frame(Window::key_events(Key::Escape, Modifiers::NONE));
    find.frames.push((ms, "Escape".into()));
    steps.push(find);

    // An edit, so that there is something to save: tag a word in view.
    let mut edit = Step {
        name: "tag",
        frames: Vec::new(),
    };
    let word = w.app.document().and_then(|doc| {
        let at = doc.text.find("Moscow")?;
        let start = doc.text.get(..at)?.chars().count();
        Some((start, start + "Moscow".chars().count()))
    });
    if let Some(range) = word {
        w.app.selection = Some(range);
        w.app.selected = None;
        let ms = w.frame(Window::key_events(Key::Num3, Modifiers::NONE));
        edit.frames.push((ms, "pressing 3 on a selected word".into()));
    }
    w.settle(&mut edit, 10);
    steps.push(edit);

    // Save: Ctrl+S, then frames until the file is written.
    let mut save = Step {
        name: "save",
        frames: Vec::new(),
    };
    let ms = w.frame(Window::key_events(Key::S, Modifiers::COMMAND));
    save.frames.push((ms, "Ctrl+S".into()));
    w.until(&mut save, "saving", |app| !app.saving.busy());
    w.settle(&mut save, 10);
    if w.app.session.is_dirty() {
        eprintln!("save: the project is still unsaved: {:?}", w.app.message);
    }
    steps.push(save);

    // Autosave: an edit, then frames in real time until the journal is on disk.
    let mut autosave = Step {
        name: "autosave",
        frames: Vec::new(),
    };
    if let Some(range) = word {
        w.app.selection = Some(range);
        w.app.selected = None;
        let ms = w.frame(Window::key_events(Key::Num1, Modifiers::NONE));
        autosave.frames.push((ms, "an edit (retype)".into()));
    }
    let recovery = w.app.recovery_path();
    w.until(&mut autosave, "waiting for the journal", |_| {
        recovery.is_file()
    });
    // The journal is renamed into place when written; a few more frames let
    // the app take in that the write finished.
    w.settle(&mut autosave, 30);
    steps.push(autosave);

    // Annotate all: the dialog, all documents, counting.
    let text = "Kim";
    let label = "PER";
    let before = w.app.session.project().annotation_count();
    let mut preview = Step {
        name: "annotate_all_preview",
        frames: Vec::new(),
    };
    w.app.dialogs.prompt = gloss::ui::dialogs::Prompt::AnnotateAll {
        text: text.into(),
        label: label.into(),
        all_documents: true,
    };
    for n in 1..=60 {
        let ms = w.frame(vec![]);
        preview
            .frames
            .push((ms, format!("dialog open, all documents, frame {n}")));
    }
    steps.push(preview);

    // Confirmed (what the dialog's button does), then frames until applied.
    let mut annotate = Step {
        name: "annotate_all",
        frames: Vec::new(),
    };
    w.app.dialogs.close();
    w.app.act(Action::AnnotateAllConfirmed {
        text: text.into(),
        label: label.into(),
        all_documents: true,
    });
    let ms = w.frame(vec![]);
    annotate.frames.push((ms, "confirmed".into()));
    w.until(&mut annotate, "annotating", |app| {
        app.session.project().annotation_count() != before
    });
    let added = w.app.session.project().annotation_count() - before;
    w.settle(&mut annotate, 60);
    steps.push(annotate);

    // Undo and redo that one step.
    for (name, key, modifiers) in [
        ("undo", Key::Z, Modifiers::COMMAND),
        ("redo", Key::Y, Modifiers::COMMAND),
    ] {
        let mut step = Step {
            name,
            frames: Vec::new(),
        };
        let ms = w.frame(Window::key_events(key, modifiers));
        step.frames.push((ms, format!("pressing {name}")));
        w.settle(&mut step, 60);
        steps.push(step);
    }
    eprintln!(
        "annotate all {text:?} as {label}: {added} entities added; after undo and redo: {}",
        w.app.session.project().annotation_count() - before
    );

    let longest = steps
        .iter()
        .filter(|s| s.name != "open")
        .filter_map(|s| s.longest().map(|(ms, what)| (s.name, *ms, what.clone())))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if json {
        let list: Vec<serde_json::Value> = steps
            .iter()
            .map(|s| {
                serde_json::json!({
                    "name": s.name,
                    "frames": s.frames.len(),
                    "p50_ms": (s.percentile(50.0) * 1000.0).round() / 1000.0,
                    "p99_ms": (s.percentile(99.0) * 1000.0).round() / 1000.0,
                    "max_ms": (s.percentile(100.0) * 1000.0).round() / 1000.0,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "documents": loaded,
                "annotations": annotations,
                "file_bytes": file_size,
                "peak_rss_bytes": peak,
                "peak_over_file": peak as f64 / file_size as f64,
                "steps": list,
                "longest": longest.map(|(step, ms, what)| serde_json::json!({
                    "step": step, "ms": ms, "doing": what
                })),
            })
        );
    } else {
        println!(
            "{:<22} {:>7} {:>9} {:>9} {:>9}   longest frame",
            "step", "frames", "p50 ms", "p99 ms", "max ms"
        );
        for s in &steps {
            println!(
                "{:<22} {:>7} {:>9.3} {:>9.3} {:>9.3}   {}",
                s.name,
                s.frames.len(),
                s.percentile(50.0),
                s.percentile(99.0),
                s.percentile(100.0),
                s.longest().map_or("", |(_, what)| what.as_str())
            );
        }
        if let Some((step, ms, what)) = longest {
            println!("longest frame after opening: {ms:.2} ms in {step} ({what})");
        }
        println!(
            "memory: file {:.1} MB, peak RSS with the project open {:.1} MB = {:.2}× the file",
            mb(file_size),
            mb(peak),
            peak as f64 / file_size as f64
        );
    }
}
