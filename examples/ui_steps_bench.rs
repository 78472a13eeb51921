//! UI-thread steps benchmark: drives the real [`GlossApp`] headless (egui
//! without a GPU: `Context::run_ui` and `tessellate` per frame, the same code
//! path as the window) on a project of 2,000 documents opened from disk, and
//! times every frame while the user works:
//!
//! - `first_frames`: the app has opened the project file (start-up, as
//!   `gloss FILE`) and draws its first frames; peak memory is read here;
//! - `find`: Ctrl+F, a query typed letter by letter, then frames until every
//!   document has been searched;
//! - `tag`: a word tagged with its type's key;
//! - `save`: Ctrl+S, then frames until the file is written;
//! - `autosave`: an edit, then frames (in real time) until the recovery
//!   journal has been written;
//! - `annotate_all_dialog`: "annotate all occurrences" across all documents,
//!   the dialog counting what it would tag;
//! - `annotate_all`: the dialog confirmed, frames until the entities are in
//!   the project;
//! - `undo` / `redo` of that one step (`--rounds` times).
//!
//! For each step it prints the number of frames, p50, p99 and max frame
//! wall time, p99 and max of the UI thread's own CPU time per frame (which
//! other processes on a loaded machine do not inflate), and the longest
//! frame with what it was doing. The goal is no frame over 16 ms.
//!
//! ```sh
//! cargo run --release --example ui_steps_bench -- [--documents 2000] [--chars 3000]
//!     [--text news|synthetic] [--pane] [--rounds 3] [--slow MS] [--json] [--open-only]
//!     [--project FILE] [--import N] [--train]
//! ```
//!
//! `--text news` (the default) generates real news prose
//! (`sample::news_project`); `synthetic` the older `sample::large_project`.
//!
//! `--pane` shows the Annotations pane (its rows are rebuilt after every
//! change); `--slow MS` lists every frame over MS; `--open-only` stops
//! after the memory reading and the idle frames. The project is written
//! by a child process, so the peak memory of this process is the app's
//! own: `VmHWM` from `/proc/self/status`, compared with the file size.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Event, Key, Modifiers, Pos2, RawInput, Rect, Vec2};
use gloss::ui::{Action, GlossApp};

const SCREEN: Vec2 = Vec2::new(1400.0, 900.0);
/// Between frames, so workers get the core a real window would leave them.
const PAUSE: Duration = Duration::from_millis(4);
/// Give up on a step after this long (a bug, not a measurement).
const STEP_LIMIT: Duration = Duration::from_secs(120);

/// The timed frames of one step: wall time and the UI thread's own CPU
/// time (ms), and what each frame was doing.
#[derive(Default)]
struct Step {
    name: &'static str,
    frames: Vec<Frame>,
}

struct Frame {
    wall: f64,
    cpu: f64,
    what: String,
}

fn percentile(mut values: Vec<f64>, p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values
        .get(rank.saturating_sub(1).min(values.len() - 1))
        .copied()
        .unwrap_or(0.0)
}

impl Step {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            frames: Vec::new(),
        }
    }

    fn wall(&self, p: f64) -> f64 {
        percentile(self.frames.iter().map(|f| f.wall).collect(), p)
    }

    fn cpu(&self, p: f64) -> f64 {
        percentile(self.frames.iter().map(|f| f.cpu).collect(), p)
    }

    fn longest(&self) -> Option<&Frame> {
        self.frames.iter().max_by(|a, b| a.wall.total_cmp(&b.wall))
    }
}

/// This thread's CPU time, ms.
fn thread_cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}

/// A headless window: the egui context, the app and the clock; frames are
/// recorded in the current step.
struct Window {
    ctx: egui::Context,
    app: GlossApp,
    started: Instant,
    step: Step,
    done: Vec<Step>,
}

impl Window {
    /// Starts recording frames as step `name`.
    fn begin(&mut self, name: &'static str) {
        let finished = std::mem::replace(&mut self.step, Step::new(name));
        if !finished.frames.is_empty() {
            self.done.push(finished);
        }
    }

    /// One frame with `events` (run and tessellate), recorded under `what`.
    fn frame(&mut self, events: Vec<Event>, what: impl Into<String>) {
        std::thread::sleep(PAUSE);
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.started.elapsed().as_secs_f64()),
            events,
            ..Default::default()
        };
        let cpu = thread_cpu_ms();
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
        std::hint::black_box(meshes);
        let wall = started.elapsed().as_secs_f64() * 1e3;
        let cpu = thread_cpu_ms() - cpu;
        self.step.frames.push(Frame {
            wall,
            cpu,
            what: what.into(),
        });
    }

    fn key(&mut self, key: Key, modifiers: Modifiers, what: &str) {
        let event = |pressed| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        };
        self.frame(vec![event(true), event(false)], what);
    }

    /// Runs frames until `done` says so.
    fn until(&mut self, what: &str, done: impl FnMut(&GlossApp) -> bool) -> bool {
        self.frames_until(what, done, None)
    }

    /// [`Window::until`] at 60 frames a second, as a window with vsync
    /// draws while a worker runs (the other steps draw back to back, which
    /// would take a core from the worker being measured).
    fn until_paced(&mut self, what: &str, done: impl FnMut(&GlossApp) -> bool) -> bool {
        self.frames_until(what, done, Some(Duration::from_micros(16_667)))
    }

    fn frames_until(
        &mut self,
        what: &str,
        mut done: impl FnMut(&GlossApp) -> bool,
        pace: Option<Duration>,
    ) -> bool {
        let started = Instant::now();
        let mut n = 0u32;
        while !done(&self.app) {
            if started.elapsed() > STEP_LIMIT {
                eprintln!("{}: gave up waiting ({what})", self.step.name);
                return false;
            }
            n += 1;
            self.frame(vec![], format!("{what}, frame {n}"));
            if let Some(rest) = pace.and_then(|frame| (frame * n).checked_sub(started.elapsed())) {
                std::thread::sleep(rest);
            }
        }
        true
    }

    /// A few more frames, so that what a step's end changed is drawn.
    /// Ctrl+Z, then Ctrl+Y, each a step of its own named by `names`, with
    /// frames after each to settle.
    fn undo_then_redo(&mut self, names: [&'static str; 2], what: &str) {
        for (name, key) in names.into_iter().zip([Key::Z, Key::Y]) {
            self.begin(name);
            self.key(key, Modifiers::COMMAND, &format!("pressing {name}{what}"));
            self.settle(30);
        }
    }

    fn settle(&mut self, frames: usize) {
        for n in 1..=frames {
            self.frame(vec![], format!("after, frame {n}"));
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
fn write_project(path: &Path, documents: usize, chars: usize, text: &str) {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let status = std::process::Command::new(exe)
        .arg("--write")
        .arg(path)
        .args(["--documents", &documents.to_string()])
        .args(["--chars", &chars.to_string()])
        .args(["--text", text])
        .status()
        .expect("the child runs");
    assert!(status.success(), "writing the project failed");
}

fn main() {
    let documents: usize = arg("--documents")
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let chars: usize = arg("--chars").and_then(|s| s.parse().ok()).unwrap_or(3000);
    let rounds: usize = arg("--rounds").and_then(|s| s.parse().ok()).unwrap_or(3);
    let slow: Option<f64> = arg("--slow").and_then(|s| s.parse().ok());
    // Real news prose (`sample::news_project`) or the synthetic project.
    let text = arg("--text").unwrap_or_else(|| "news".to_owned());
    if let Some(path) = arg("--write") {
        let project = if text == "synthetic" {
            gloss::sample::large_project(documents, chars)
        } else {
            gloss::sample::news_project(documents, chars)
        };
        gloss::store::save(&project, Path::new(&path)).expect("the project is written");
        return;
    }
    let json = std::env::args().any(|a| a == "--json");
    let pane = std::env::args().any(|a| a == "--pane");
    let dir = tempfile::tempdir().expect("a temp dir");
    // `--project FILE` opens (a copy of) a given project instead: the
    // steps below save, so the file itself is never touched.
    let path: PathBuf = dir.path().join("large.gloss.ron");
    match arg("--project") {
        Some(given) => {
            std::fs::copy(&given, &path).expect("the given project is copied");
        }
        None => write_project(&path, documents, chars, &text),
    }
    eprintln!("text: {text}");
    let file_size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let (peak_before, _) = memory();

    // Open: the same start-up as `gloss FILE` (the file is read on this
    // thread before the first frame).
    let opened = Instant::now();
    let ctx = egui::Context::default();
    gloss::ui::theme::install(&ctx);
    let app = GlossApp::new_in(
        gloss::ui::Startup::Project(path.clone()),
        Box::new(gloss::ui::files::ScriptedPicker::default()),
        dir.path().join("data"),
    );
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;
    let (peak_opened, rss_opened) = memory();
    let mut w = Window {
        ctx,
        app,
        started: Instant::now(),
        step: Step::new("first_frames"),
        done: Vec::new(),
    };
    let loaded = w.app.session.project().documents.len();
    let annotations = w.app.session.project().annotation_count();
    if pane {
        w.app.act(Action::ShowAnnotations);
    }
    for n in 1..=30 {
        w.frame(vec![], format!("first frames, frame {n}"));
    }
    let (peak, rss) = memory();
    eprintln!(
        "opened {loaded} documents, {annotations} annotations in {open_ms:.0} ms; file {:.1} MB; \
         peak RSS {:.1} MB ({:.2}× the file; {:.1} MB before opening; peak {:.1} MB and RSS \
         {:.1} MB once the file was read, before the first frame), RSS after 30 frames {:.1} MB",
        mb(file_size),
        mb(peak),
        peak as f64 / file_size as f64,
        mb(peak_before),
        mb(peak_opened),
        mb(rss_opened),
        mb(rss)
    );

    // Idle: frames with nothing to do, the panels' own cost, which must not
    // grow with the number of documents.
    w.begin("idle");
    for n in 1..=120 {
        w.frame(vec![], format!("idle, frame {n}"));
    }

    // `--train`: the suggestions' training on a worker (the project needs
    // documents marked Done, e.g. CoNLL-2002 imported with all but the
    // shown one Done): frames until the first training after opening ends,
    // then the shown document marked Done and frames until the retrain ends.
    if std::env::args().any(|a| a == "--train") {
        w.begin("train");
        let trained = Instant::now();
        w.until_paced("training after opening", |app| {
            !app.suggestions.is_working()
        });
        eprintln!(
            "first training: {:.0} ms of frames",
            trained.elapsed().as_secs_f64() * 1e3
        );
        w.settle(10);
        w.begin("retrain");
        let retrained = Instant::now();
        w.app.act(Action::SetStatus(gloss::model::Status::Done));
        // The status edit is taken in on the next frame; training starts
        // in the frame after.
        w.until_paced("retraining to start", |app| app.suggestions.is_working());
        w.until_paced("retraining", |app| !app.suggestions.is_working());
        eprintln!(
            "retrain after marking Done: {:.0} ms of frames",
            retrained.elapsed().as_secs_f64() * 1e3
        );
        w.settle(10);
    }

    if !std::env::args().any(|a| a == "--open-only") {
        // Find: type a query letter by letter, then wait for every document.
        w.begin("find");
        w.key(Key::F, Modifiers::COMMAND, "Ctrl+F");
        for letter in "Pyongyang".chars() {
            w.frame(
                vec![Event::Text(letter.to_string())],
                format!("typing {letter:?}"),
            );
            w.frame(vec![], format!("after typing {letter:?}"));
        }
        w.until("searching", |app| app.find.progress().is_none());
        w.settle(10);
        w.key(Key::Escape, Modifiers::NONE, "Escape");

        // An edit, so that there is something to save: tag a word in view.
        w.begin("tag");
        let word = w.app.document().and_then(|doc| {
            let at = doc.text.find("Moscow")?;
            let start = doc.text.get(..at)?.chars().count();
            Some((start, start + "Moscow".chars().count()))
        });
        if let Some(range) = word {
            w.app.selection = Some(range);
            w.app.selected = None;
            w.key(Key::Num3, Modifiers::NONE, "pressing 3 on a selected word");
        }
        w.settle(10);

        // Save: Ctrl+S, then frames until the file is written.
        w.begin("save");
        w.key(Key::S, Modifiers::COMMAND, "Ctrl+S");
        w.until("saving", |app| !app.saving.busy());
        w.settle(10);
        if w.app.session.is_dirty() {
            eprintln!("save: the project is still unsaved: {:?}", w.app.message);
        }

        // Autosave: an edit, then frames in real time until the journal is on disk.
        w.begin("autosave");
        if let Some(range) = word {
            w.app.selection = Some(range);
            w.app.selected = None;
            w.key(Key::Num1, Modifiers::NONE, "an edit (retype)");
        }
        let recovery = w.app.recovery_path();
        w.until("waiting for the journal", |_| recovery.is_file());
        // The journal is renamed into place when written; a few more frames let
        // the app take in that the write finished.
        w.settle(30);

        // Annotate all: the dialog, all documents, counting.
        let text = "Kim";
        let label = "PER";
        let before = w.app.session.project().annotation_count();
        w.begin("annotate_all_dialog");
        w.app.dialogs.prompt = gloss::ui::dialogs::Prompt::AnnotateAll {
            text: text.into(),
            label: label.into(),
            all_documents: true,
        };
        for n in 1..=60 {
            w.frame(vec![], format!("dialog open, all documents, frame {n}"));
        }

        // Confirmed (what the dialog's button does), then frames until applied.
        w.begin("annotate_all");
        w.app.dialogs.close();
        w.app.act(Action::AnnotateAllConfirmed {
            text: text.into(),
            label: label.into(),
            all_documents: true,
        });
        w.frame(vec![], "confirmed");
        w.until("annotating", |app| {
            app.session.project().annotation_count() != before
        });
        let added = w.app.session.project().annotation_count() - before;
        w.settle(60);

        // Undo and redo that one step, a few rounds.
        for round in 1..=rounds {
            w.undo_then_redo(["undo", "redo"], &format!(", round {round}"));
        }
        eprintln!(
            "annotate all {text:?} as {label}: {added} entities added; after undo and redo: {}",
            w.app.session.project().annotation_count() - before
        );

        // `--import N`: a JSONL batch of N articles dropped on the window
        // (read on a worker, added as one edit), then undo and redo of it.
        let import: usize = arg("--import").and_then(|s| s.parse().ok()).unwrap_or(0);
        if import > 0 {
            let batch = dir.path().join("batch.jsonl");
            let lines: Vec<String> = (0..import)
                .map(|n| {
                    serde_json::json!({
                        "id": format!("batch-{n}"),
                        "text": format!("Batch article {n}. Kim Jong Un met Vladimir Putin in Vladivostok, officials said.\n\nThe talks lasted {n} minutes."),
                    })
                    .to_string()
                })
                .collect();
            std::fs::write(&batch, lines.join("\n")).expect("the batch is written");
            let documents = w.app.session.project().documents.len();
            w.begin("import");
            w.app.act(Action::ImportArticlePaths(vec![batch]));
            w.frame(vec![], "import asked");
            w.until("importing", |app| {
                app.session.project().documents.len() == documents + import
            });
            w.settle(30);
            w.undo_then_redo(["import_undo", "import_redo"], "");
            eprintln!(
                "imported {import} articles; after undo and redo: {} documents",
                w.app.session.project().documents.len()
            );
        }
    }
    w.begin("end");

    // Steps of the same name (undo and redo rounds) count together.
    let mut steps: Vec<Step> = Vec::new();
    for step in w.done {
        match steps.iter_mut().find(|s| s.name == step.name) {
            Some(same) => same.frames.extend(step.frames),
            None => steps.push(step),
        }
    }
    if let Some(threshold) = slow {
        for step in &steps {
            for frame in step.frames.iter().filter(|f| f.wall > threshold) {
                eprintln!(
                    "slow frame: {} — {}: {:.2} ms wall, {:.2} ms CPU",
                    step.name, frame.what, frame.wall, frame.cpu
                );
            }
        }
    }
    let longest = steps
        .iter()
        .filter_map(|s| s.longest().map(|f| (s.name, f)))
        .max_by(|a, b| a.1.wall.total_cmp(&b.1.wall));
    if json {
        let list: Vec<serde_json::Value> = steps
            .iter()
            .map(|s| {
                let round = |ms: f64| (ms * 1000.0).round() / 1000.0;
                serde_json::json!({
                    "name": s.name,
                    "frames": s.frames.len(),
                    "p50_ms": round(s.wall(50.0)),
                    "p99_ms": round(s.wall(99.0)),
                    "max_ms": round(s.wall(100.0)),
                    "cpu_p99_ms": round(s.cpu(99.0)),
                    "cpu_max_ms": round(s.cpu(100.0)),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "documents": loaded,
                "annotations": annotations,
                "file_bytes": file_size,
                "open_ms": open_ms,
                "peak_rss_bytes": peak,
                "peak_over_file": peak as f64 / file_size as f64,
                "steps": list,
                "longest": longest.map(|(step, f)| serde_json::json!({
                    "step": step, "ms": f.wall, "cpu_ms": f.cpu, "doing": f.what
                })),
            })
        );
    } else {
        println!(
            "{:<20} {:>6} {:>8} {:>8} {:>8} {:>9} {:>9}   longest frame",
            "step", "frames", "p50 ms", "p99 ms", "max ms", "CPU p99", "CPU max"
        );
        for s in &steps {
            println!(
                "{:<20} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>9.2} {:>9.2}   {}",
                s.name,
                s.frames.len(),
                s.wall(50.0),
                s.wall(99.0),
                s.wall(100.0),
                s.cpu(99.0),
                s.cpu(100.0),
                s.longest().map_or("", |f| f.what.as_str())
            );
        }
        if let Some((step, f)) = longest {
            println!(
                "longest frame: {:.2} ms ({:.2} ms CPU) in {step}: {}",
                f.wall, f.cpu, f.what
            );
        }
        println!(
            "opening the file (start-up, before the first frame): {open_ms:.0} ms; \
             memory: file {:.1} MB, peak RSS with the project open {:.1} MB = {:.2}× the file",
            mb(file_size),
            mb(peak),
            peak as f64 / file_size as f64
        );
    }
}
