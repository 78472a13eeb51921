//! A mutation fuzzer for every reader of outside data, on the stable
//! toolchain: project files, articles (txt in every encoding, HTML, JSON,
//! JSONL) and datasets (brat, doccano, CoNLL, Gloss JSONL).
//!
//! ```sh
//! cargo run --release --no-default-features --example fuzz -- --target all --execs 100000 --seed 1
//! ```
//!
//! A seeded loop takes an input of the corpus (the real files of
//! `../shared/corpus`, the sample project, `docs/format.md`, exports of those
//! projects, `tests/fuzz/corpus` and earlier findings), mutates it (byte
//! flips, inserts and deletes, splices of two inputs, repeated chunks and
//! nesting, numbers near boundaries, astral characters, invalid UTF-8, BOMs,
//! legacy encodings) and runs the target on it in a thread with the app's
//! 2 MiB stack. A panic, a run over one second, an error message that is not
//! one short line naming the file, or an accepted input that gives an invalid
//! project is a finding: its input is saved under
//! `tests/fuzz/regressions/TARGET/HASH.EXT` (a folder for brat), which
//! `tests/fuzz_regressions.rs` replays. Every few hundred runs a probe grows an
//! input 10× (repeated body, repeated chunk, deeper nesting) and flags run
//! times that grow much more than 10×.
//!
//! Each target runs in a child process so that a stack overflow (an abort)
//! is recorded too: the parent saves the input the child was running.
//!
//! Options: `--target NAME|all` (project, txt, html, json, articles-jsonl,
//! brat, doccano, conll, jsonl), `--execs N` (mutated inputs in all, split
//! evenly over the targets), `--seed S`, `--probe-every K` (default 250),
//! `--no-save` (report findings without writing regression files),
//! `--replay FILE` (run the target on FILE, a folder for brat, and print
//! what it said; may be repeated).

#[path = "../tests/fuzz/targets.rs"]
mod targets;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gloss::formats::{self, ExportOptions, Format};
use sha2::{Digest, Sha256};
use targets::{BRAT_FILES, Target};

/// A run longer than this is a finding.
const HANG: Duration = Duration::from_secs(1);
/// How long to wait for a hanging run before the worker gives up on it.
const GIVE_UP: Duration = Duration::from_secs(120);
/// The app's background threads use the default 2 MiB stack.
const STACK: usize = 2 * 1024 * 1024;
/// Mutated inputs are cut to this size, so that runs stay fast.
const MAX_INPUT: usize = 256 * 1024;
/// Findings of one kind saved per target and run, beyond which they are only counted.
const SAVES_PER_KIND: usize = 4;

fn main() {
    let args = Args::parse();
    if !args.replay.is_empty() {
        replay(&args);
    } else if args.worker {
        worker(&args);
    } else {
        supervise(&args);
    }
}

// ---------------------------------------------------------------------------
// Command line

struct Args {
    targets: Vec<Target>,
    execs: u64,
    seed: u64,
    probe_every: u64,
    save: bool,
    worker: bool,
    dir: Option<PathBuf>,
    replay: Vec<PathBuf>,
}

impl Args {
    fn parse() -> Args {
        let mut args = Args {
            targets: Target::ALL.to_vec(),
            execs: 10_000,
            seed: 1,
            probe_every: 250,
            save: true,
            worker: false,
            dir: None,
            replay: Vec::new(),
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let mut value = || {
                it.next()
                    .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
            };
            match arg.as_str() {
                "--target" => {
                    let name = value();
                    args.targets = if name == "all" {
                        Target::ALL.to_vec()
                    } else {
                        name.split(',')
                            .map(|n| {
                                Target::parse(n)
                                    .unwrap_or_else(|| usage(&format!("unknown target {n:?}")))
                            })
                            .collect()
                    };
                }
                "--execs" => args.execs = number(&value()),
                "--seed" => args.seed = number(&value()),
                "--probe-every" => args.probe_every = number(&value()).max(1),
                "--no-save" => args.save = false,
                "--worker" => args.worker = true,
                "--dir" => args.dir = Some(PathBuf::from(value())),
                "--replay" => args.replay.push(PathBuf::from(value())),
                "-h" | "--help" => usage(""),
                other => usage(&format!("unknown argument {other:?}")),
            }
        }
        args
    }
}

/// Runs the first target on each `--replay` file and prints what it said.
fn replay(args: &Args) {
    for path in &args.replay {
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| targets::run(args.targets[0], path));
        let secs = start.elapsed().as_secs_f64();
        match result {
            Ok(Ok(said)) => println!("{}: fine in {secs:.3} s: {said}", path.display()),
            Ok(Err(wrong)) => println!("{}: WRONG in {secs:.3} s: {wrong}", path.display()),
            Err(_) => println!("{}: PANIC in {secs:.3} s", path.display()),
        }
    }
}

fn number(text: &str) -> u64 {
    text.replace('_', "")
        .parse()
        .unwrap_or_else(|_| usage(&format!("not a number: {text:?}")))
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("fuzz: {problem}");
    }
    let names: Vec<_> = Target::ALL.iter().map(|t| t.name()).collect();
    eprintln!(
        "usage: fuzz [--target all|{}] [--execs N] [--seed S] [--probe-every K] [--no-save]",
        names.join("|")
    );
    std::process::exit(2);
}

// ---------------------------------------------------------------------------
// Supervisor: one worker process per target, restarted after a crash.

#[derive(Default, Clone, Copy)]
struct Counts {
    mutated: u64,
    probes: u64,
    runs: u64,
    findings: u64,
    secs: f64,
}

fn supervise(args: &Args) {
    let exe = std::env::current_exe().expect("the fuzzer knows its own path");
    let per_target = args.execs.div_ceil(args.targets.len() as u64);
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let mut table = Vec::new();
    for (index, &target) in args.targets.iter().enumerate() {
        let dir = base.join(format!(
            "gloss-fuzz-{}-{}",
            std::process::id(),
            target.name()
        ));
        let mut total = Counts::default();
        let mut remaining = per_target;
        let mut restarts = 0u64;
        let started = Instant::now();
        while remaining > 0 {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("the work folder can be made");
            let seed = args
                .seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add((index as u64) << 32)
                .wrapping_add(restarts);
            let mut command = Command::new(&exe);
            command
                .args(["--worker", "--target", target.name()])
                .args(["--execs", &remaining.to_string()])
                .args(["--seed", &seed.to_string()])
                .args(["--probe-every", &args.probe_every.to_string()])
                .arg("--dir")
                .arg(&dir)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            if !args.save {
                command.arg("--no-save");
            }
            let mut child = command.spawn().expect("the worker starts");
            let mut stderr = child.stderr.take().expect("piped stderr");
            let stderr_tail = std::thread::spawn(move || {
                let mut text = String::new();
                let _ = stderr.read_to_string(&mut text);
                text
            });
            let mut last = Counts::default();
            let stdout = child.stdout.take().expect("piped stdout");
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("@progress ") {
                    last = parse_progress(rest);
                } else {
                    println!("{line}");
                }
            }
            let status = child.wait().expect("the worker ends");
            let stderr = stderr_tail.join().unwrap_or_default();
            total.mutated += last.mutated;
            total.probes += last.probes;
            total.runs += last.runs;
            total.findings += last.findings;
            remaining = remaining.saturating_sub(last.mutated);
            if status.success() {
                break;
            }
            restarts += 1;
            if status.code() != Some(3) {
                // A crash the worker could not catch (a stack overflow aborts):
                // the input it was running is still in its folder.
                total.findings += 1;
                total.runs += 1;
                remaining = remaining.saturating_sub(1);
                let why = stderr
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("no message")
                    .to_owned();
                match Input::from_work_dir(target, &dir) {
                    Some(input) => {
                        let saved = args.save.then(|| save(target, &input));
                        print_finding(target, "crash", &format!("{status}: {why}"), &input, saved);
                    }
                    None => println!("[{}] crash ({status}): {why}; input lost", target.name()),
                }
            }
            if restarts > 50 {
                println!("[{}] too many restarts; moving on", target.name());
                break;
            }
        }
        total.secs = started.elapsed().as_secs_f64();
        let _ = std::fs::remove_dir_all(&dir);
        println!(
            "[{}] done: {} runs ({} mutated, {} probes), {} findings, {:.0} exec/s",
            target.name(),
            total.runs,
            total.mutated,
            total.probes,
            total.findings,
            total.runs as f64 / total.secs.max(1e-9)
        );
        table.push((target, total));
    }
    println!();
    println!(
        "{:<15} {:>10} {:>10} {:>8} {:>9} {:>9}",
        "target", "runs", "mutated", "probes", "findings", "exec/s"
    );
    let mut sum = Counts::default();
    for (target, c) in &table {
        println!(
            "{:<15} {:>10} {:>10} {:>8} {:>9} {:>9.0}",
            target.name(),
            c.runs,
            c.mutated,
            c.probes,
            c.findings,
            c.runs as f64 / c.secs.max(1e-9)
        );
        sum.runs += c.runs;
        sum.mutated += c.mutated;
        sum.probes += c.probes;
        sum.findings += c.findings;
        sum.secs += c.secs;
    }
    println!(
        "{:<15} {:>10} {:>10} {:>8} {:>9} {:>9.0}",
        "total",
        sum.runs,
        sum.mutated,
        sum.probes,
        sum.findings,
        sum.runs as f64 / sum.secs.max(1e-9)
    );
    println!("seed {}, {:.0} s", args.seed, sum.secs);
}

fn parse_progress(text: &str) -> Counts {
    let mut fields = text
        .split_whitespace()
        .map(|f| f.parse::<u64>().unwrap_or(0));
    let mut next = || fields.next().unwrap_or(0);
    Counts {
        mutated: next(),
        probes: next(),
        runs: next(),
        findings: next(),
        secs: 0.0,
    }
}

// ---------------------------------------------------------------------------
// Inputs

/// One input: a single file, or for brat the text, the annotations and the
/// configuration (empty: no `annotation.conf`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Input {
    parts: Vec<Vec<u8>>,
}

impl Input {
    fn file(bytes: Vec<u8>) -> Input {
        Input { parts: vec![bytes] }
    }

    fn len(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    /// Writes the input where the target reads it; returns that path.
    fn write(&self, target: Target, dir: &Path) -> PathBuf {
        if target == Target::Brat {
            let folder = dir.join("input");
            std::fs::create_dir_all(&folder).expect("the brat folder can be made");
            for (name, part) in BRAT_FILES.iter().zip(&self.parts) {
                let path = folder.join(name);
                if part.is_empty() && *name == "annotation.conf" {
                    let _ = std::fs::remove_file(&path);
                } else {
                    std::fs::write(&path, part).expect("the input can be written");
                }
            }
            folder
        } else {
            let path = dir.join(format!("input.{}", target.extension()));
            std::fs::write(&path, &self.parts[0]).expect("the input can be written");
            path
        }
    }

    /// The input a crashed worker left in `dir`.
    fn from_work_dir(target: Target, dir: &Path) -> Option<Input> {
        if target == Target::Brat {
            Some(Input::read_brat(&dir.join("input")))
        } else {
            std::fs::read(dir.join(format!("input.{}", target.extension())))
                .ok()
                .map(Input::file)
        }
    }

    fn read_brat(folder: &Path) -> Input {
        Input {
            parts: BRAT_FILES
                .iter()
                .map(|name| std::fs::read(folder.join(name)).unwrap_or_default())
                .collect(),
        }
    }

    fn hash(&self) -> String {
        let mut hasher = Sha256::new();
        for part in &self.parts {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hasher.finalize()[..5]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Saves a finding's input as a regression file; returns its path.
fn save(target: Target, input: &Input) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/regressions")
        .join(target.name());
    std::fs::create_dir_all(&folder).expect("the regression folder can be made");
    if target == Target::Brat {
        let dir = folder.join(input.hash());
        std::fs::create_dir_all(&dir).expect("the regression folder can be made");
        for (name, part) in BRAT_FILES.iter().zip(&input.parts) {
            if !(part.is_empty() && *name == "annotation.conf") {
                std::fs::write(dir.join(name), part).expect("the regression can be written");
            }
        }
        dir
    } else {
        let path = folder.join(format!("{}.{}", input.hash(), target.extension()));
        std::fs::write(&path, &input.parts[0]).expect("the regression can be written");
        path
    }
}

fn print_finding(target: Target, kind: &str, detail: &str, input: &Input, saved: Option<PathBuf>) {
    println!("[{}] FINDING {kind}: {detail}", target.name());
    if let Some(path) = saved {
        println!("    saved as {}", path.display());
    }
    for (n, part) in input.parts.iter().enumerate() {
        let shown = String::from_utf8_lossy(&part[..part.len().min(300)]);
        let more = if part.len() > 300 { "…" } else { "" };
        println!(
            "    part {n} ({} bytes): \"{}\"{more}",
            part.len(),
            shown.escape_debug()
        );
    }
}

// ---------------------------------------------------------------------------
// Corpus

fn corpus(target: Target) -> Vec<Input> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus");
    let mut out: Vec<Input> = Vec::new();
    let files = |dir: &Path, ext: &str| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.is_file() && (ext.is_empty() || p.extension().is_some_and(|e| e == ext))
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found
    };
    let read = |path: &Path| std::fs::read(path).ok().map(Input::file);
    let projects = sample_projects(root, &shared);
    let export = |format: Format| -> Vec<Input> {
        projects
            .iter()
            .filter_map(|p| formats::export(p, format, &ExportOptions::default()).ok())
            .filter_map(|e| e.files.into_iter().next())
            .map(|(_, bytes)| Input::file(bytes))
            .collect()
    };
    match target {
        Target::Project => {
            out.extend(
                projects
                    .iter()
                    .map(|p| Input::file(gloss::store::to_ron(p).into_bytes())),
            );
            out.extend(
                files(&root.join("assets/sample"), "ron")
                    .iter()
                    .filter_map(|p| read(p)),
            );
            if let Ok(doc) = std::fs::read_to_string(root.join("docs/format.md"))
                && let Some(start) = doc.find("```ron\n")
                && let Some(len) = doc[start + 7..].find("```")
            {
                out.push(Input::file(
                    doc.as_bytes()[start + 7..start + 7 + len].to_vec(),
                ));
            }
        }
        Target::Txt => {
            out.extend(
                files(&shared.join("articles"), "txt")
                    .iter()
                    .filter_map(|p| read(p)),
            );
            out.extend(
                files(&shared.join("articles"), "md")
                    .iter()
                    .filter_map(|p| read(p)),
            );
            for dir in subfolders(&shared.join("brat")) {
                out.extend(files(&dir, "txt").iter().take(6).filter_map(|p| read(p)));
            }
            out.extend(
                files(&root.join("assets/sample"), "txt")
                    .iter()
                    .filter_map(|p| read(p)),
            );
        }
        Target::Html => {
            out.extend(
                files(&shared.join("articles"), "html")
                    .iter()
                    .filter_map(|p| read(p)),
            );
        }
        Target::Json => {
            // The JSONL batch as an array, and its lines as single objects.
            if let Ok(batch) = std::fs::read_to_string(shared.join("articles/efe-batch.jsonl")) {
                let lines: Vec<&str> = batch.lines().filter(|l| !l.trim().is_empty()).collect();
                out.push(Input::file(format!("[{}]", lines.join(",\n")).into_bytes()));
                out.extend(
                    lines
                        .iter()
                        .take(4)
                        .map(|l| Input::file(l.as_bytes().to_vec())),
                );
            }
        }
        Target::ArticlesJsonl => {
            out.extend(
                files(&shared.join("articles"), "jsonl")
                    .iter()
                    .filter_map(|p| read(p)),
            );
        }
        Target::Brat => {
            for dir in subfolders(&shared.join("brat")) {
                let conf = std::fs::read(dir.join("annotation.conf")).unwrap_or_default();
                for txt in files(&dir, "txt") {
                    let Ok(text) = std::fs::read(&txt) else {
                        continue;
                    };
                    let ann = std::fs::read(txt.with_extension("ann")).unwrap_or_default();
                    out.push(Input {
                        parts: vec![text, ann, conf.clone()],
                    });
                }
            }
            out.extend(projects.iter().filter_map(|p| {
                let exported = formats::export(p, Format::Brat, &ExportOptions::default()).ok()?;
                let find = |ext: &str| {
                    exported
                        .files
                        .iter()
                        .find(|(path, _)| path.extension().is_some_and(|e| e == ext))
                        .map(|(path, bytes)| (path.clone(), bytes.clone()))
                };
                let (ann_path, ann) = find("ann")?;
                let text = exported
                    .files
                    .iter()
                    .find(|(path, _)| *path == ann_path.with_extension("txt"))
                    .map(|(_, b)| b.clone())?;
                let conf = find("conf").map(|(_, b)| b).unwrap_or_default();
                Some(Input {
                    parts: vec![text, ann, conf],
                })
            }));
        }
        Target::Doccano => {
            out.extend(
                files(&shared.join("doccano"), "jsonl")
                    .iter()
                    .filter_map(|p| read(p)),
            );
            out.extend(export(Format::Doccano));
        }
        Target::Conll => out.extend(export(Format::Conll)),
        Target::Jsonl => out.extend(export(Format::Jsonl)),
    }
    // The hand-written seeds and every earlier finding.
    for folder in ["tests/fuzz/corpus", "tests/fuzz/regressions"] {
        let dir = root.join(folder).join(target.name());
        if target == Target::Brat {
            out.extend(subfolders(&dir).iter().map(|d| Input::read_brat(d)));
        } else {
            out.extend(files(&dir, "").iter().filter_map(|p| read(p)));
        }
    }
    // Very large inputs make slow runs; keep their first part.
    for input in &mut out {
        for part in &mut input.parts {
            part.truncate(MAX_INPUT);
        }
    }
    out.retain(|i| i.len() > 0);
    if out.is_empty() {
        out.push(Input::file(b"x".to_vec()));
    }
    out
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Real projects to export as seeds: the sample and the shared corpus's
/// brat and doccano data read in.
fn sample_projects(root: &Path, shared: &Path) -> Vec<gloss::model::Project> {
    let mut projects = Vec::new();
    if let Ok(p) = gloss::store::load(&root.join("assets/sample/kim-putin.gloss.ron")) {
        projects.push(p);
    }
    for dir in subfolders(&shared.join("brat")) {
        if let Ok(imported) = formats::import(Format::Brat, &[dir.as_path()]) {
            projects.push(imported.project);
        }
    }
    if let Ok(entries) = std::fs::read_dir(shared.join("doccano")) {
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        {
            if let Ok(imported) = formats::import(Format::Doccano, &[path.as_path()]) {
                projects.push(imported.project);
            }
        }
    }
    projects
}

// ---------------------------------------------------------------------------
// Random numbers and mutations

/// xorshift64*: small, fast, seeded.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng((seed ^ 0x2545_F491_4F6C_DD1D) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Small counts are likely, large ones possible.
    fn count(&mut self, max: usize) -> usize {
        let bits = self.below(usize::BITS as usize - max.leading_zeros() as usize + 1);
        1 + self.below((1usize << bits).min(max))
    }
}

const INTERESTING_BYTES: &[u8] = b"\0\x01\x7f\x80\xbf\xc0\xc3\xe2\xef\xf0\xf4\xfe\xff\n\r\t \"'\\[]{}()<>,:;=/#*&%-+.0129eE_TRNAM";

const SNIPPETS: &[&[u8]] = &[
    "😀".as_bytes(),
    "𝔘𝔫𝔦".as_bytes(),
    "👩‍👩‍👧".as_bytes(),
    "e\u{301}".as_bytes(),
    "\u{feff}".as_bytes(),
    "\u{2028}".as_bytes(),
    "\u{200f}".as_bytes(),
    "مرحبا".as_bytes(),
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x80",
    b"\xe2\x82",
    b"\r\n",
    b"\r",
    b"\0",
    b"\\u0000",
    b"\\ud83d",
    b"\\ud83d\\ude00",
    b"\\\"",
    b"&amp;",
    b"&#128512;",
    b"&#xD800;",
    b"&#99999999999;",
    b"<![CDATA[",
    b"<!--",
    b"-->",
    b"<script>",
    b"</script>",
    b"<p>",
    b"</p>",
    b"<h1>",
    b"<br>",
    b"null",
    b"true",
    b"[]",
    b"{}",
    b"\"\"",
    b"-DOCSTART- -X- O O\n",
    b"B-PER",
    b"I-ORG",
    b"T1\tPER 0 5\tHello\n",
    b"R1\tClaimant Arg1:T1 Arg2:T2\n",
    b"A1\tVerdict T1 False\n",
    b"*\tEquiv T1 T2\n",
    b"N1\tReference T1 Wikipedia:1\tX\n",
    b"#1\tAnnotatorNotes T1\tnote\n",
    b"E1\tEv:T1 Arg:T2\n",
    b";",
    b"\t",
    b"Some(",
    b"None",
    b"version: 99",
    b"r#\"",
    b"\"#",
    b"[entities]\n",
    b"[relations]\n",
];

/// Nesting shapes: an opening and its closing.
const NESTING: &[(&[u8], &[u8])] = &[
    (b"[", b"]"),
    (b"{\"a\":", b"}"),
    (b"(", b")"),
    (b"[[", b"]]"),
    (b"Some(", b")"),
    (b"<div>", b"</div>"),
    (b"<div><p>", b"</p></div>"),
    (b"<table><tr><td>", b"</td></tr></table>"),
    (b"<b><i>", b"</i></b>"),
    (b"<li>", b""),
    (b"<p>", b""),
    (b"<a href=x>", b""),
    (b"<!--", b"-->"),
    (b"\"", b"\""),
    (b"\\", b""),
    (b"#", b""),
    (b"-", b""),
];

fn mutate(rng: &mut Rng, target: Target, input: &mut Input, corpus: &[Input]) {
    let part = if input.parts.len() > 1 {
        // brat: the annotations most, then the text, then the configuration.
        match rng.below(10) {
            0..=5 => 1,
            6..=8 => 0,
            _ => 2,
        }
    } else {
        0
    };
    let text_chars = if target == Target::Brat {
        String::from_utf8_lossy(&input.parts[0]).chars().count()
    } else {
        0
    };
    let other = rng
        .pick(corpus)
        .parts
        .get(part)
        .cloned()
        .unwrap_or_default();
    let bytes = &mut input.parts[part];
    let rounds = rng.count(8);
    for _ in 0..rounds {
        mutate_bytes(rng, bytes, &other, text_chars);
    }
    // Text articles go through every decoder; other inputs now and then.
    let reencoded = if target == Target::Txt { 4 } else { 60 };
    if rng.chance(reencoded) {
        reencode(rng, bytes);
    }
    bytes.truncate(MAX_INPUT);
}

fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8], text_chars: usize) {
    let len = bytes.len();
    let at = rng.below(len + 1);
    match rng.below(14) {
        // Bit flip.
        0 if len > 0 => {
            let i = rng.below(len);
            bytes[i] ^= 1 << rng.below(8);
        }
        // An interesting byte.
        1 if len > 0 => {
            let i = rng.below(len);
            bytes[i] = *rng.pick(INTERESTING_BYTES);
        }
        // Insert random or interesting bytes.
        2 => {
            let n = rng.count(16);
            let new: Vec<u8> = (0..n)
                .map(|_| {
                    if rng.chance(2) {
                        *rng.pick(INTERESTING_BYTES)
                    } else {
                        rng.next() as u8
                    }
                })
                .collect();
            bytes.splice(at..at, new);
        }
        // Delete a range.
        3 if len > 0 => {
            let n = rng.count(len.min(256)).min(len - at.min(len));
            bytes.drain(at..at + n);
        }
        // Splice: this input's start with another's end.
        4 => {
            let from = rng.below(other.len() + 1);
            bytes.truncate(at);
            bytes.extend_from_slice(&other[from..]);
        }
        // Insert a piece of another input.
        5 if !other.is_empty() => {
            let from = rng.below(other.len());
            let n = rng.count(512).min(other.len() - from);
            bytes.splice(at..at, other[from..from + n].iter().copied());
        }
        // Repeat a chunk: long lines, many items.
        6 if len > 0 => {
            let start = rng.below(len);
            let n = rng.count(64).min(len - start);
            let chunk = bytes[start..start + n].to_vec();
            let max = if rng.chance(8) { 20_000 } else { 64 };
            let times = rng.count(max);
            let repeated: Vec<u8> = chunk.iter().copied().cycle().take(n * times).collect();
            let cut = repeated.len().min(MAX_INPUT);
            bytes.splice(start..start, repeated[..cut].iter().copied());
        }
        // Nesting.
        7 => {
            let (open, close) = *rng.pick(NESTING);
            let max = if rng.chance(4) { 20_000 } else { 200 };
            let depth = rng.count(max);
            let end = at + rng.below(len - at.min(len) + 1);
            let mut out = bytes[..at].to_vec();
            for _ in 0..depth {
                out.extend_from_slice(open);
            }
            out.extend_from_slice(&bytes[at..end]);
            if rng.below(4) > 0 {
                for _ in 0..depth {
                    out.extend_from_slice(close);
                }
            }
            out.extend_from_slice(&bytes[end..]);
            *bytes = out;
        }
        // A number near a boundary.
        8 | 9 => tweak_number(rng, bytes, text_chars),
        // Astral characters, invalid UTF-8, BOMs, format tokens.
        10 | 11 => {
            let snippet = rng.pick(SNIPPETS);
            if rng.chance(6) {
                bytes.splice(0..0, snippet.iter().copied());
            } else {
                bytes.splice(at..at, snippet.iter().copied());
            }
        }
        // Whole lines: duplicate, delete or swap.
        12 => lines_op(rng, bytes),
        // Truncate.
        13 => bytes.truncate(at),
        _ => {}
    }
}

fn tweak_number(rng: &mut Rng, bytes: &mut Vec<u8>, text_chars: usize) {
    // The digit runs; pick one.
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() && runs.len() < 4096 {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let Some(&(start, end)) = (!runs.is_empty()).then(|| rng.pick(&runs)) else {
        return;
    };
    let old: i128 = std::str::from_utf8(&bytes[start..end])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // Lengths a number may be compared with: the brat text, the quoted strings.
    let mut lengths = vec![text_chars as i128, bytes.len() as i128];
    let text = String::from_utf8_lossy(bytes);
    for (n, quoted) in text.split('"').enumerate().take(64) {
        if n % 2 == 1 {
            lengths.push(quoted.chars().count() as i128);
        }
    }
    let length = *rng.pick(&lengths);
    let new: String = match rng.below(12) {
        0 => "0".into(),
        1 => "-1".into(),
        2 => (length + rng.below(5) as i128 - 2).to_string(),
        3 => length.to_string(),
        4 => old.saturating_add(1).to_string(),
        5 => old.saturating_sub(1).to_string(),
        6 => rng
            .pick(&[
                "2147483647",
                "2147483648",
                "4294967295",
                "4294967296",
                "9007199254740993",
                "9223372036854775807",
                "9223372036854775808",
                "18446744073709551615",
                "18446744073709551616",
                "99999999999999999999999999999",
                "1e308",
                "1e999",
                "-0",
                "1.5",
                "0x10",
            ])
            .to_string(),
        7 => rng.below((length.max(1) as usize) * 2).to_string(),
        8 => old.saturating_mul(2).to_string(),
        9 => "-9223372036854775808".into(),
        _ => old.saturating_add(rng.below(20) as i128 - 10).to_string(),
    };
    bytes.splice(start..end, new.into_bytes());
}

fn lines_op(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    if lines.is_empty() {
        return;
    }
    let i = rng.below(lines.len());
    match rng.below(4) {
        0 => {
            let max = if rng.chance(6) { 5000 } else { 8 };
            let times = rng.count(max);
            let line = lines[i].clone();
            for _ in 0..times {
                lines.insert(i, line.clone());
            }
        }
        1 => {
            lines.remove(i);
        }
        2 => {
            let j = rng.below(lines.len());
            lines.swap(i, j);
        }
        _ => {
            // A field of a tab- or space-separated line dropped or doubled.
            let sep = if lines[i].contains(&b'\t') {
                b'\t'
            } else {
                b' '
            };
            let mut fields: Vec<Vec<u8>> =
                lines[i].split(|b| *b == sep).map(<[u8]>::to_vec).collect();
            let f = rng.below(fields.len());
            if rng.chance(2) {
                fields.remove(f);
            } else {
                let copy = fields[f].clone();
                fields.insert(f, copy);
            }
            lines[i] = fields.join(&sep);
        }
    }
    *bytes = lines.join(&b'\n');
}

/// The text in another encoding: UTF-16 with or without BOM, UTF-8 with a
/// BOM, or a legacy code page.
fn reencode(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let utf16 = |big: bool| -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    *bytes = match rng.below(9) {
        0 => [&[0xff, 0xfe][..], &utf16(false)].concat(),
        1 => [&[0xfe, 0xff][..], &utf16(true)].concat(),
        2 => utf16(false),
        3 => utf16(true),
        4 => [&[0xef, 0xbb, 0xbf][..], text.as_bytes()].concat(),
        _ => {
            let encoding = *rng.pick(&[
                encoding_rs::WINDOWS_1252,
                encoding_rs::WINDOWS_1256,
                encoding_rs::WINDOWS_1251,
                encoding_rs::WINDOWS_1250,
                encoding_rs::WINDOWS_1253,
                encoding_rs::SHIFT_JIS,
                encoding_rs::GBK,
            ]);
            encoding.encode(&text).0.into_owned()
        }
    };
}

// ---------------------------------------------------------------------------
// Worker: runs one target.

/// What one run did.
enum Outcome {
    /// Accepted or refused as it should be, with what the reader said.
    Fine(String),
    /// A check failed (bad message, invalid project).
    Wrong(String),
    /// A panic, with its location and message.
    Panic(String),
}

/// A finished run.
struct Done {
    outcome: Outcome,
    elapsed: Duration,
}

/// Runs the target on a thread with the app's stack size and times it.
struct Runner {
    target: Target,
    dir: PathBuf,
    jobs: mpsc::Sender<PathBuf>,
    done: mpsc::Receiver<Done>,
    runs: u64,
    /// A run never came back; the worker must stop.
    stuck: bool,
}

/// Why a run did not come back in time.
enum Late {
    /// It came back, slowly.
    Slow(Done),
    /// It is still running after [`GIVE_UP`].
    Stuck,
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

impl Runner {
    fn new(target: Target, dir: PathBuf) -> Runner {
        std::panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut last) = LAST_PANIC.lock() {
                *last = Some(format!("{place}: {message}"));
            }
        }));
        let (jobs, job_rx) = mpsc::channel::<PathBuf>();
        let (done_tx, done) = mpsc::channel();
        std::thread::Builder::new()
            .name("fuzz-run".into())
            .stack_size(STACK)
            .spawn(move || {
                for path in job_rx {
                    let start = Instant::now();
                    let result = std::panic::catch_unwind(|| targets::run(target, &path));
                    let elapsed = start.elapsed();
                    let outcome = match result {
                        Ok(Ok(said)) => Outcome::Fine(said),
                        Ok(Err(wrong)) => Outcome::Wrong(wrong),
                        Err(_) => Outcome::Panic(
                            LAST_PANIC
                                .lock()
                                .ok()
                                .and_then(|mut l| l.take())
                                .unwrap_or_else(|| "unknown panic".into()),
                        ),
                    };
                    if done_tx.send(Done { outcome, elapsed }).is_err() {
                        break;
                    }
                }
            })
            .expect("the run thread starts");
        Runner {
            target,
            dir,
            jobs,
            done,
            runs: 0,
            stuck: false,
        }
    }

    /// Runs one input; `Err` when it took over [`HANG`].
    fn run(&mut self, input: &Input) -> Result<Done, Late> {
        let path = input.write(self.target, &self.dir);
        self.runs += 1;
        self.jobs.send(path).expect("the run thread is alive");
        match self.done.recv_timeout(HANG) {
            Ok(done) if done.elapsed <= HANG => Ok(done),
            Ok(done) => Err(Late::Slow(done)),
            Err(_) => match self.done.recv_timeout(GIVE_UP) {
                Ok(done) => Err(Late::Slow(done)),
                Err(_) => {
                    self.stuck = true;
                    Err(Late::Stuck)
                }
            },
        }
    }
}

/// Findings of one worker, deduplicated.
struct Findings {
    target: Target,
    save: bool,
    seen: HashSet<String>,
    per_kind: HashMap<String, usize>,
    count: u64,
}

impl Findings {
    fn report(&mut self, kind: &str, key: &str, detail: &str, input: &Input) {
        self.count += 1;
        let saves = self.per_kind.entry(kind.to_owned()).or_default();
        if !self.seen.insert(format!("{kind}|{key}")) || *saves >= SAVES_PER_KIND {
            return;
        }
        *saves += 1;
        let saved = self.save.then(|| save(self.target, input));
        print_finding(self.target, kind, detail, input, saved);
    }
}

fn worker(args: &Args) {
    let target = args.targets[0];
    let dir = args.dir.clone().expect("a worker has a folder");
    let corpus = corpus(target);
    let mut rng = Rng::new(args.seed);
    let mut runner = Runner::new(target, dir);
    let mut findings = Findings {
        target,
        save: args.save,
        seen: HashSet::new(),
        per_kind: HashMap::new(),
        count: 0,
    };
    // Inputs whose outcome was new (a message not seen before) join the
    // corpus: a cheap stand-in for coverage feedback.
    let mut grown: Vec<Input> = Vec::new();
    let mut signatures: HashSet<String> = HashSet::new();
    let mut probes = 0u64;
    let progress = |mutated: u64, probes: u64, runs: u64, findings: u64| {
        println!("@progress {mutated} {probes} {runs} {findings}");
        let _ = std::io::stdout().flush();
    };
    for n in 0..args.execs {
        let mut input = if !grown.is_empty() && rng.chance(3) {
            rng.pick(&grown).clone()
        } else {
            rng.pick(&corpus).clone()
        };
        mutate(&mut rng, target, &mut input, &corpus);
        match runner.run(&input) {
            Ok(done) => {
                if let Outcome::Fine(said) = &done.outcome
                    && grown.len() < 2000
                    && input.len() < 64 * 1024
                    && signatures.insert(outcome_signature(&runner, said))
                {
                    grown.push(input.clone());
                }
                check(&mut runner, &mut findings, &input, done);
            }
            Err(late) => {
                if !slow(&mut findings, &input, late, "a run") {
                    progress(n + 1, probes, runner.runs, findings.count);
                    std::process::exit(3);
                }
            }
        }
        if runner.stuck {
            progress(n + 1, probes, runner.runs, findings.count);
            std::process::exit(3);
        }
        if n % args.probe_every == args.probe_every - 1 {
            probes += 1;
            if !probe(&mut rng, &mut runner, &mut findings, &input) {
                progress(n + 1, probes, runner.runs, findings.count);
                std::process::exit(3);
            }
        }
        if n % 100 == 99 || n + 1 == args.execs {
            progress(n + 1, probes, runner.runs, findings.count);
        }
    }
}

/// A key for what a run said: the message without the file path and
/// numbers, so that each new kind of answer counts once.
fn outcome_signature(runner: &Runner, said: &str) -> String {
    let path = runner.dir.display().to_string();
    said.replace(&path, "")
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .take(48)
        .collect()
}

/// Reports what a finished run found.
fn check(runner: &mut Runner, findings: &mut Findings, input: &Input, done: Done) {
    match done.outcome {
        Outcome::Fine(_) => {}
        Outcome::Panic(message) => {
            let place = message.split(": ").next().unwrap_or("").to_owned();
            let small = minimize(
                runner,
                input,
                |o| matches!(o, Outcome::Panic(m) if m.starts_with(&place)),
            );
            findings.report("panic", &place, &message, &small);
        }
        Outcome::Wrong(wrong) => {
            let key: String = wrong
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .take(40)
                .collect();
            let small = minimize(
                runner,
                input,
                |o| matches!(o, Outcome::Wrong(w) if w.chars().filter(|c| !c.is_ascii_digit()).take(40).collect::<String>() == key),
            );
            findings.report("wrong", &key, &wrong, &small);
        }
    }
}

/// Reports a run over [`HANG`]; `false` when it is still running.
fn slow(findings: &mut Findings, input: &Input, late: Late, what: &str) -> bool {
    match late {
        Late::Slow(done) => {
            let secs = done.elapsed.as_secs_f64();
            findings.report(
                "hang",
                &format!("{}", findings.count),
                &format!("{what} took {secs:.2} s ({} bytes)", input.len()),
                input,
            );
            true
        }
        Late::Stuck => {
            findings.report(
                "hang",
                "stuck",
                &format!(
                    "{what} still runs after {} s ({} bytes)",
                    GIVE_UP.as_secs(),
                    input.len()
                ),
                input,
            );
            false
        }
    }
}

/// The smallest input found by removing chunks that still shows `same`.
fn minimize(runner: &mut Runner, input: &Input, same: impl Fn(&Outcome) -> bool) -> Input {
    let mut best = input.clone();
    let mut budget = 1500;
    for part in 0..best.parts.len() {
        let mut chunk = best.parts[part].len() / 2;
        while chunk > 0 && budget > 0 {
            let mut at = 0;
            while at < best.parts[part].len() && budget > 0 {
                let mut candidate = best.clone();
                let end = (at + chunk).min(candidate.parts[part].len());
                candidate.parts[part].drain(at..end);
                budget -= 1;
                match runner.run(&candidate) {
                    Ok(done) if same(&done.outcome) => best = candidate,
                    _ if runner.stuck => return best,
                    _ => at += chunk,
                }
            }
            chunk /= 2;
        }
    }
    // Leave the files as the finding had them, for a crash that follows.
    best.write(runner.target, &runner.dir);
    best
}

/// Grows `input` 10× in one of three ways and flags a run time that grows far
/// more; `false` when a run is stuck.
fn probe(rng: &mut Rng, runner: &mut Runner, findings: &mut Findings, input: &Input) -> bool {
    let part = if input.parts.len() > 1 {
        rng.below(2)
    } else {
        0
    };
    let bytes = &input.parts[part];
    if bytes.is_empty() {
        return true;
    }
    /// How to grow: a name, then prefix + open×n + middle + close×n + suffix.
    type Growth<'a> = (&'a str, &'a [u8], Vec<u8>, &'a [u8], Vec<u8>, &'a [u8]);
    let (mode, prefix, open, middle, close, suffix): Growth<'_> = match rng.below(3) {
        0 => ("repeat body", &[], bytes.clone(), &[], Vec::new(), &[]),
        1 => {
            let start = rng.below(bytes.len());
            let n = rng.count(32).min(bytes.len() - start);
            let chunk = bytes[start..start + n].to_vec();
            (
                "repeat chunk",
                &bytes[..start],
                chunk,
                &[],
                Vec::new(),
                &bytes[start..],
            )
        }
        _ => {
            let (open, close) = *rng.pick(NESTING);
            let start = rng.below(bytes.len());
            let end = start + rng.below((bytes.len() - start).min(64) + 1);
            (
                "nest",
                &bytes[..start],
                open.to_vec(),
                &bytes[start..end],
                close.to_vec(),
                &bytes[end..],
            )
        }
    };
    let unit = open.len() + close.len();
    let growth = *rng.pick(&[2048usize, 2048, 8192, 32768]);
    let n1 = (growth / unit.max(1)).max(1);
    if n1 * unit * 10 > 4 * MAX_INPUT {
        return true;
    }
    let grown = |times: usize| -> Input {
        let mut out = prefix.to_vec();
        for _ in 0..times {
            out.extend_from_slice(&open);
        }
        out.extend_from_slice(middle);
        for _ in 0..times {
            out.extend_from_slice(&close);
        }
        out.extend_from_slice(suffix);
        let mut grown = input.clone();
        grown.parts[part] = out;
        grown
    };
    let small = grown(n1);
    let large = grown(n1 * 10);
    let what = format!(
        "{mode} {:?} ×{}",
        String::from_utf8_lossy(&open[..open.len().min(16)]),
        n1 * 10
    );
    let mut time = |input: &Input, tries: usize| -> Result<Duration, bool> {
        let mut best = Duration::MAX;
        for _ in 0..tries {
            match runner.run(input) {
                Ok(done) => best = best.min(done.elapsed),
                Err(late) => return Err(slow(findings, input, late, &format!("a probe ({what})"))),
            }
        }
        Ok(best)
    };
    let (t1, t2) = match time(&small, 3).and_then(|t1| Ok((t1, time(&large, 2)?))) {
        Ok(times) => times,
        Err(alive) => return alive,
    };
    let ratio = t2.as_secs_f64() / t1.as_secs_f64().max(1e-6);
    if t2 >= Duration::from_millis(5) && ratio > 25.0 {
        // Confirm between two sizes that both overflow the caches (a small
        // input that fits them makes even a linear reader look super-linear),
        // measured again in case another process took the CPU: doubling the
        // growth doubles a linear reader's time and quadruples a quadratic's.
        let larger = grown(n1 * 20);
        let (t2, t4) = match time(&large, 3).and_then(|t2| Ok((t2, time(&larger, 3)?))) {
            Ok(times) => times,
            Err(alive) => return alive,
        };
        let doubling = t4.as_secs_f64() / t2.as_secs_f64().max(1e-6);
        if doubling > 3.0 {
            findings.report(
                "superlinear",
                &what,
                &format!(
                    "{what}: {} bytes take {:.1} ms, {} bytes {:.1} ms ({ratio:.0}×), {} bytes {:.1} ms",
                    small.len(),
                    t1.as_secs_f64() * 1e3,
                    large.len(),
                    t2.as_secs_f64() * 1e3,
                    larger.len(),
                    t4.as_secs_f64() * 1e3
                ),
                &large,
            );
        }
    }
    true
}
