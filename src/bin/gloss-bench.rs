//! Load, save, validate and export costs of large projects, for
//! `docs/performance.md`:
//!
//! ```sh
//! cargo build --release --no-default-features --features bench-tools --bin gloss-bench
//! target/release/gloss-bench [--sizes 200,2000,20000] [--chars 3000] [--text news|synthetic] [--runs 3] [--dir DIR] [--fresh]
//! ```
//!
//! For each size it writes a generated project as canonical RON: `news`
//! (the default) is real news text, `gloss::sample::news_project` (the
//! sample article's sentences in an order per document, tagged as the
//! sample is); `synthetic` is `gloss::sample::large_project` (a word list
//! with emoji and Arabic, an entity every 40 characters). It writes the project and, for comparison, as JSON (the same `Project` through
//! serde_json), then runs every measurement in a child process of its own so
//! that each one's peak memory (`VmHWM` of `/proc/self/status`) is its alone.
//! It prints one JSON object on stdout; progress goes to stderr.
//!
//! Measurements (each includes reading the file where it reads one):
//! - `load`: `gloss::store::load`, i.e. what `gloss validate` does;
//! - `load_plain`: the same with the single-threaded whole-file parse;
//! - `parse_only`: the RON parse alone, without the checks;
//! - `validate`: the checks alone, on a loaded project;
//! - `json`: `serde_json::from_slice::<Project>` of the JSON copy;
//! - `save`: `gloss::store::save` of a loaded project (atomic, fsync);
//! - `export_jsonl`: `gloss::formats::export` to JSONL, written to a file;
//! - `snapshot`: cloning a loaded project, what the app does to save or
//!   journal it off the UI thread;
//! - `find`: `gloss::review::find::find_all` of a word across a loaded
//!   project, ignoring case (the find bar's worker thread, per keystroke);
//! - `find_keystroke`: what a keystroke in the find bar costs the UI
//!   thread: a snapshot for the worker and a search of the shown document.
//!
//! Peak memory of `save` and `export_jsonl` includes loading the project, as
//! in the `gloss fmt` and `gloss export` commands.
//!
//! `gloss-bench measure OP FILE` runs one measurement on a given project
//! (`json` reads `FILE` as the JSON copy); `measure write_json FILE.gloss.ron`
//! writes that copy as `FILE.gloss.json`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use gloss::model::Project;
use serde_json::{Value, json};

const OPS: &[&str] = &[
    "load",
    "load_plain",
    "parse_only",
    "validate",
    "json",
    "save",
    "export_jsonl",
    "snapshot",
    "find",
    "find_keystroke",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("measure") {
        return match (args.get(1), args.get(2)) {
            (Some(op), Some(file)) => measure(op, Path::new(file)),
            _ => usage(),
        };
    }
    let mut sizes = vec![200, 2000, 20000];
    let mut chars = 3000;
    let mut runs = 3;
    let mut dir = std::env::temp_dir().join("gloss-bench");
    let mut fresh = false;
    let mut text = Text::News;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--sizes" => {
                let Some(list) = it.next() else {
                    return usage();
                };
                let parsed: Result<Vec<usize>, _> = list.split(',').map(str::parse).collect();
                match parsed {
                    Ok(list) if !list.is_empty() => sizes = list,
                    _ => return usage(),
                }
            }
            "--chars" => match it.next().and_then(|a| a.parse().ok()) {
                Some(n) => chars = n,
                None => return usage(),
            },
            "--runs" => match it.next().and_then(|a| a.parse().ok()) {
                Some(n) if n > 0 => runs = n,
                _ => return usage(),
            },
            "--dir" => match it.next() {
                Some(d) => dir = PathBuf::from(d),
                None => return usage(),
            },
            "--fresh" => fresh = true,
            "--text" => match it.next().map(String::as_str) {
                Some("news") => text = Text::News,
                Some("synthetic") => text = Text::Synthetic,
                _ => return usage(),
            },
            _ => return usage(),
        }
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("gloss-bench: {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut results = Vec::new();
    for &size in &sizes {
        match bench_size(&dir, size, chars, text, runs, fresh) {
            Ok(result) => results.push(result),
            Err(e) => {
                eprintln!("gloss-bench: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let summary = json!({
        "machine": machine(),
        "chars_per_document": chars,
        "text": text.name(),
        "runs": runs,
        "sizes": results,
    });
    match serde_json::to_string_pretty(&summary) {
        Ok(text) => println!("{text}"),
        Err(e) => {
            eprintln!("gloss-bench: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: gloss-bench [--sizes 200,2000,20000] [--chars 3000] [--text news|synthetic] [--runs 3] [--dir DIR] [--fresh]"
    );
    ExitCode::from(2)
}

/// Where the generated documents' text comes from.
#[derive(Clone, Copy)]
enum Text {
    /// Real news sentences (`gloss::sample::news_project`).
    News,
    /// A word list with emoji and Arabic (`gloss::sample::large_project`).
    Synthetic,
}

impl Text {
    fn name(self) -> &'static str {
        match self {
            Text::News => "news",
            Text::Synthetic => "synthetic",
        }
    }

    fn project(self, documents: usize, chars: usize) -> Project {
        match self {
            Text::News => gloss::sample::news_project(documents, chars),
            Text::Synthetic => gloss::sample::large_project(documents, chars),
        }
    }

    /// Synthetic files keep their old names, so earlier runs' files are reused.
    fn file_stem(self) -> &'static str {
        match self {
            Text::News => "news",
            Text::Synthetic => "large",
        }
    }
}

/// Generates (unless already there) and measures one project size.
fn bench_size(
    dir: &Path,
    size: usize,
    chars: usize,
    text: Text,
    runs: usize,
    fresh: bool,
) -> Result<Value, String> {
    let stem = text.file_stem();
    let ron = dir.join(format!("{stem}-{size}x{chars}.gloss.ron"));
    let json_file = dir.join(format!("{stem}-{size}x{chars}.json"));
    let (documents, annotations) = if fresh || !ron.exists() || !json_file.exists() {
        eprintln!(
            "generating {size} {} documents of {chars} characters…",
            text.name()
        );
        let project = text.project(size, chars);
        gloss::store::save(&project, &ron).map_err(|e| e.to_string())?;
        let file = std::fs::File::create(&json_file)
            .map_err(|e| format!("{}: {e}", json_file.display()))?;
        serde_json::to_writer(std::io::BufWriter::new(file), &project)
            .map_err(|e| format!("{}: {e}", json_file.display()))?;
        (project.documents.len(), project.annotation_count())
    } else {
        let project = gloss::store::load(&ron).map_err(|e| e.to_string())?;
        (project.documents.len(), project.annotation_count())
    };
    let size_of = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let ron_bytes = size_of(&ron);
    let json_bytes = size_of(&json_file);
    let mut ops = serde_json::Map::new();
    for op in OPS {
        let file = if *op == "json" { &json_file } else { &ron };
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        for run in 0..runs {
            eprintln!("{size} documents: {op} (run {}/{runs})", run + 1);
            let (ms, peak_kb) = child(op, file)?;
            times.push(ms);
            peaks.push(peak_kb);
        }
        times.sort_by(f64::total_cmp);
        peaks.sort_unstable();
        let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
        let min = times.first().copied().unwrap_or(0.0);
        let peak_mb = peaks.get(peaks.len() / 2).copied().unwrap_or(0) as f64 / 1024.0;
        ops.insert(
            (*op).to_owned(),
            json!({
                "ms_median": round(median),
                "ms_min": round(min),
                "ms_all": times.iter().map(|t| round(*t)).collect::<Vec<_>>(),
                "peak_mb": round(peak_mb),
            }),
        );
    }
    let ms = |op: &str| ops.get(op).and_then(|o| o["ms_median"].as_f64());
    let peak = |op: &str| ops.get(op).and_then(|o| o["peak_mb"].as_f64());
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(round(a / b)),
        _ => None,
    };
    let file_mb = ron_bytes as f64 / (1024.0 * 1024.0);
    Ok(json!({
        "documents": documents,
        "annotations": annotations,
        "ron_mb": round(file_mb),
        "json_mb": round(json_bytes as f64 / (1024.0 * 1024.0)),
        "load_vs_json": ratio(ms("load"), ms("json")),
        "load_plain_vs_json": ratio(ms("load_plain"), ms("json")),
        "load_peak_vs_file": ratio(peak("load"), Some(file_mb)),
        "ops": ops,
    }))
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Runs one measurement in a fresh process: `(milliseconds, peak kB)`.
fn child(op: &str, file: &Path) -> Result<(f64, u64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .arg("measure")
        .arg(op)
        .arg(file)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{op} {}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let value: Value = serde_json::from_str(stdout.trim()).map_err(|e| format!("{op}: {e}"))?;
    match (value["ms"].as_f64(), value["peak_kb"].as_u64()) {
        (Some(ms), Some(kb)) => Ok((ms, kb)),
        _ => Err(format!("{op}: unexpected output {stdout}")),
    }
}

/// The child side: does one operation, prints `{"ms", "peak_kb"}`.
fn measure(op: &str, file: &Path) -> ExitCode {
    match run_op(op, file) {
        Ok(ms) => {
            println!("{}", json!({ "ms": ms, "peak_kb": peak_kb() }));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn run_op(op: &str, file: &Path) -> Result<f64, String> {
    let load = || gloss::store::load(file).map_err(|e| e.to_string());
    let read = || std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()));
    match op {
        "load" => {
            let start = Instant::now();
            let project = load()?;
            let ms = ms_since(start);
            keep(&project);
            Ok(ms)
        }
        "load_plain" => {
            let start = Instant::now();
            let bytes = read()?;
            let project =
                gloss::store::parse_with_threads(file, &bytes, 0).map_err(|e| e.to_string())?;
            let ms = ms_since(start);
            keep(&project);
            Ok(ms)
        }
        "parse_only" => {
            let start = Instant::now();
            let bytes = read()?;
            let text = std::str::from_utf8(&bytes).map_err(|e| e.to_string())?;
            let project: Project = ron::from_str(text).map_err(|e| e.to_string())?;
            let ms = ms_since(start);
            keep(&project);
            Ok(ms)
        }
        "validate" => {
            let project = load()?;
            let start = Instant::now();
            let problems = gloss::model::validate::validate(&project);
            let ms = ms_since(start);
            if !problems.is_empty() {
                return Err(format!("{} problems", problems.len()));
            }
            Ok(ms)
        }
        "json" => {
            let start = Instant::now();
            let bytes = read()?;
            let project: Project = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
            let ms = ms_since(start);
            keep(&project);
            Ok(ms)
        }
        // Writes the project as JSON beside it (FILE.json), the input of
        // `json` for a project this tool did not generate.
        "write_json" => {
            let project = load()?;
            let out = file.with_extension("json");
            let start = Instant::now();
            let writer =
                std::fs::File::create(&out).map_err(|e| format!("{}: {e}", out.display()))?;
            serde_json::to_writer(std::io::BufWriter::new(writer), &project)
                .map_err(|e| format!("{}: {e}", out.display()))?;
            Ok(ms_since(start))
        }
        "save" => {
            let project = load()?;
            let out = file.with_extension("saved.ron");
            let start = Instant::now();
            gloss::store::save(&project, &out).map_err(|e| e.to_string())?;
            let ms = ms_since(start);
            let _ = std::fs::remove_file(&out);
            Ok(ms)
        }
        "export_jsonl" => {
            let project = load()?;
            let out = file.with_extension("export.jsonl");
            let start = Instant::now();
            let exported = gloss::formats::export(
                &project,
                gloss::formats::Format::Jsonl,
                &gloss::formats::ExportOptions::default(),
            )
            .map_err(|e| e.to_string())?;
            for (_, bytes) in &exported.files {
                std::fs::write(&out, bytes).map_err(|e| e.to_string())?;
            }
            let ms = ms_since(start);
            let _ = std::fs::remove_file(&out);
            Ok(ms)
        }
        "snapshot" => {
            let project = load()?;
            let start = Instant::now();
            let copy = project.clone();
            let ms = ms_since(start);
            keep(&copy);
            Ok(ms)
        }
        "find" => {
            let project = load()?;
            let start = Instant::now();
            let hits = gloss::review::find::find_all(&project, "moscow", false);
            let ms = ms_since(start);
            std::hint::black_box(hits.len());
            Ok(ms)
        }
        "find_keystroke" => {
            let project = load()?;
            let start = Instant::now();
            let snapshot = std::sync::Arc::new(project.clone());
            let shown = project.documents.first().map_or_else(Vec::new, |doc| {
                gloss::review::find::find_in(&doc.text, "moscow", false)
            });
            let ms = ms_since(start);
            std::hint::black_box((snapshot.documents.len(), shown.len()));
            Ok(ms)
        }
        other => Err(format!("unknown measurement {other:?}")),
    }
}

/// Keeps the optimiser from dropping a parse whose result is unused.
fn keep(project: &Project) {
    std::hint::black_box(project.documents.len());
}

/// Peak resident memory of this process so far, in kB (`VmHWM`).
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix("VmHWM:")?;
                rest.trim().trim_end_matches("kB").trim().parse().ok()
            })
        })
        .unwrap_or(0)
}

/// What the numbers were measured on.
fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name")?.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_default();
    let memory_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map(|kb| round(kb / 1024.0 / 1024.0));
    json!({
        "cpu": cpu,
        "threads": std::thread::available_parallelism().map(usize::from).unwrap_or(1),
        "memory_gb": memory_gb,
    })
}
