//! The `gloss` command line: thin clap layer over the core. Every error is one
//! line on stderr that names the file.
//!
//! Here: the arguments ([`Cli`], [`Command`]), dispatch, exit codes and the
//! helpers every command shares (loading, locking, saving, output that
//! never panics). The commands: `project` (new, add, validate, stats, fmt),
//! `datasets` (export, import), `team` (agree, merge, assign, git-setup),
//! `suggest`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::formats::{self, ExportOptions, Format};
use crate::model::{Project, Status, plural};
use crate::store::{LockError, ProjectLock, output};
use crate::{edit, ingest, store};

/// `println!` that never panics: a failed write to stdout (`> /dev/full`,
/// a closed pipe) is remembered and ends the command with exit code 3.
macro_rules! outln {
    ($($arg:tt)*) => { write_stdout(&format!("{}\n", format_args!($($arg)*))) };
}

/// `print!` that never panics; see [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => { write_stdout(&format!($($arg)*)) };
}

/// `eprintln!` that never panics: when even stderr cannot be written there
/// is nobody left to tell.
macro_rules! errln {
    ($($arg:tt)*) => { write_stderr(&format!("{}\n", format_args!($($arg)*))) };
}

/// The first failed write to stdout of this command, if any.
static STDOUT_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

mod datasets;
mod project;
mod suggest;
mod team;

pub use datasets::*;
use project::*;
use suggest::*;
use team::*;

fn write_stdout(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes())
        && let Ok(mut failed) = STDOUT_FAILED.lock()
    {
        failed.get_or_insert_with(|| e.to_string());
    }
}

fn write_stderr(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes `text` to stdout; exit 0, or 3 when it could not be written.
fn print_out(text: &str) -> ExitCode {
    write_stdout(text);
    ExitCode::SUCCESS
}

/// The version line of `gloss --version`: the package version and the
/// commit it was built from, with "modified" when the work tree had
/// uncommitted changes (set by `build.rs`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("GLOSS_BUILD_COMMIT"),
    ")"
);

/// Gloss: annotate entities and claims in news articles.
#[derive(Debug, Parser)]
#[command(name = "gloss", version = VERSION, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project file to open, or articles to open in a new project. With no
    /// argument the app opens the built-in sample project.
    pub paths: Vec<PathBuf>,
    /// How the app reads web pages given as paths: `auto`, `article` or
    /// `page` (as `new --html`).
    #[arg(long, value_name = "MODE", value_parser = ingest::HtmlMode::parse)]
    pub html: Option<ingest::HtmlMode>,
    /// Seconds to wait for another writer (the app or another command) to
    /// release a project before giving up with exit code 4.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 5.0, value_parser = parse_seconds)]
    pub wait: f64,
}

/// The command the user probably meant when the first path does not exist
/// and is spelled like one (`gloss exprot p.ron`): a word with no folder or
/// extension, one or two edits (a swap counts as one) from a command name.
pub fn mistyped_command(paths: &[PathBuf]) -> Option<String> {
    use clap::CommandFactory;
    let first = paths.first()?;
    let word = first.to_str()?;
    if first.exists() || word.contains(['/', '\\', '.']) || word.chars().count() < 3 {
        return None;
    }
    let word = word.to_lowercase();
    Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .map(|name| (strsim::damerau_levenshtein(&word, &name), name))
        .filter(|(distance, name)| *distance <= 2 && *distance < name.len() / 2 + 1)
        .min()
        .map(|(_, name)| name)
}

/// A number of seconds from 0 to a day: NaN, infinities, negative and
/// larger numbers are refused by the parser (exit 2 with clap's message).
fn parse_seconds(text: &str) -> Result<f64, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !seconds.is_finite() || !(0.0..=86_400.0).contains(&seconds) {
        return Err(format!(
            "{text:?}: give a number of seconds from 0 to 86400"
        ));
    }
    Ok(seconds)
}

/// A score from 0 to 1.
fn parse_score(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("{text:?}: give a score from 0 to 1")),
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a project, optionally with articles.
    New {
        /// The project file to create.
        project: PathBuf,
        /// Articles to add (txt, md, html, json, jsonl).
        articles: Vec<PathBuf>,
        /// Project name (default: the file name).
        #[arg(long)]
        name: Option<String>,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
        /// Web pages: `article` (Reader View's article), `page` (all the
        /// visible text); default: the article when there clearly is one.
        #[arg(long, value_name = "MODE", value_parser = ingest::HtmlMode::parse, default_value = "auto")]
        html: ingest::HtmlMode,
    },
    /// Add articles to a project.
    Add {
        /// The project file.
        project: PathBuf,
        /// Articles to add.
        #[arg(required = true)]
        articles: Vec<PathBuf>,
        /// Web pages: `article` (Reader View's article), `page` (all the
        /// visible text); default: the article when there clearly is one.
        #[arg(long, value_name = "MODE", value_parser = ingest::HtmlMode::parse, default_value = "auto")]
        html: ingest::HtmlMode,
    },
    /// Check a project; exit 0 valid, 1 invalid, 2 cannot read.
    Validate {
        /// The project file.
        project: PathBuf,
    },
    /// Counts per type and status.
    Stats {
        /// The project file.
        project: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Agreement of two annotators' projects (A is the reference); documents
    /// are matched by their text. See docs/agreement.md.
    /// Agreement between annotators: two projects (A is the reference), or
    /// three or more (every pair, and Krippendorff's α and Fleiss' κ over
    /// all of them).
    Agree {
        /// The reference project.
        a: PathBuf,
        /// The project compared with it.
        b: PathBuf,
        /// More annotators' projects: every pair is compared, and all of
        /// them together.
        more: Vec<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Only these document ids of A, comma-separated.
        #[arg(long, value_delimiter = ',')]
        docs: Vec<String>,
    },
    /// Rewrite a project canonically, migrating older versions.
    Fmt {
        /// The project file.
        project: PathBuf,
        /// Write here instead of in place.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
    /// Export a dataset.
    Export {
        /// The project file.
        project: PathBuf,
        /// Dataset format: jsonl, doccano, conll, brat, csv, claimreview.
        #[arg(long, value_parser = Format::parse)]
        format: Format,
        /// Output file (folder for brat); stdout when absent for one-file formats.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Only documents with these statuses, comma-separated.
        #[arg(long, value_delimiter = ',')]
        status: Vec<String>,
        /// Only these document ids, comma-separated.
        #[arg(long, value_delimiter = ',')]
        docs: Vec<String>,
        /// Fail instead of leaving out what the format cannot express.
        #[arg(long)]
        strict: bool,
        /// Replace an existing output file, or write into a non-empty folder
        /// (files the export does not write are kept).
        #[arg(long)]
        force: bool,
        /// Keep annotations a reviewer rejected (left out by default).
        #[arg(long)]
        include_rejected: bool,
    },
    /// Import a dataset from another tool into a project.
    Import {
        /// Dataset format: jsonl, doccano, conll, brat.
        #[arg(long, value_parser = Format::parse)]
        format: Format,
        /// Files (or brat folders) to read.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// The project file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Add to the existing project instead of creating a new one;
        /// documents it already has (same text) are skipped.
        #[arg(long)]
        into: bool,
        /// Replace an existing project file instead of adding to it.
        #[arg(long, conflicts_with = "into")]
        force: bool,
        /// Fail, writing nothing, when anything in the sources could not be read.
        #[arg(long)]
        strict: bool,
    },
    /// Merge two annotators' projects, or (with --base) two branches of one
    /// project as a git merge driver. Exit 0 clean, 1 when disagreements or
    /// conflicts remain (recorded in OUT, which is written and valid), 2 when
    /// an input cannot be read.
    Merge {
        /// A (two-way) or OURS (three-way): kept in place where sides differ.
        first: PathBuf,
        /// B (two-way) or THEIRS (three-way).
        second: PathBuf,
        /// The common ancestor: makes this a three-way merge (git's %O).
        #[arg(long)]
        base: Option<PathBuf>,
        /// The merged project. It may be the first project (git's %A);
        /// any other existing file needs --force.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
    /// Propose entities learned from the project's own Done and Reviewed
    /// documents, for every other document (never where it has an entity).
    Suggest {
        /// The project file (never changed).
        project: PathBuf,
        /// Only these document ids, comma-separated.
        #[arg(long, value_delimiter = ',')]
        docs: Vec<String>,
        /// Print one JSON object: what was learned from and the suggestions.
        #[arg(long)]
        json: bool,
        /// Write the project with the suggestions added as unreviewed
        /// entities (annotator `gloss-suggest`) to -o.
        #[arg(long, requires = "output")]
        apply: bool,
        /// Where --apply writes (never the project itself).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
        /// Only suggestions scoring at least this (0 to 1; default 0.5,
        /// what the app shows).
        #[arg(long, value_name = "X", value_parser = parse_score)]
        min_score: Option<f64>,
    },
    /// Split a project's documents among annotators: one project per
    /// annotator in DIR, each document given to one of them and a share
    /// (--overlap) to two, for agreement; balanced by text length, the same
    /// split for the same --seed; DIR/assignment.json says who has what.
    /// See docs/teams.md.
    Assign {
        /// The project to split (never changed).
        project: PathBuf,
        /// The annotators' names, comma-separated; each gets NAME.gloss.ron.
        #[arg(long, value_delimiter = ',', required = true)]
        annotators: Vec<String>,
        /// The share of documents given to two annotators: `20%` or `0.2`.
        #[arg(long, value_name = "SHARE", value_parser = parse_share, default_value = "0")]
        overlap: f64,
        /// Which documents are shared, and how ties are broken.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The folder to write the projects and the manifest into.
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Write into a folder that has files already (replacing those of
        /// the same names).
        #[arg(long)]
        force: bool,
    },
    /// Set up the git repository around the current folder to merge project
    /// files with Gloss: `.gitattributes`, `.gitignore` (lock files, crash
    /// journals) and the merge driver, with this `gloss`'s absolute path.
    GitSetup,
}

/// The exit codes, the same for every command (README: "Exit codes").
pub mod exit {
    /// Everything went as asked.
    pub const OK: u8 = 0;
    /// The input is invalid, or the command was refused as asked (nothing
    /// was written).
    pub const INVALID: u8 = 1;
    /// An input file cannot be read (missing, a folder, no permission).
    pub const CANNOT_READ: u8 = 2;
    /// An output cannot be written, or writing it would replace a file
    /// without consent; the previous file is untouched.
    pub const CANNOT_WRITE: u8 = 3;
    /// Another writer holds the project.
    pub const LOCKED: u8 = 4;
    /// `agree`: the projects have no document in common, so every figure
    /// is undefined (the figures are still printed).
    pub const NOTHING_IN_COMMON: u8 = 5;

    /// The code for a project that could not be loaded.
    pub fn for_load_error(error: &crate::store::LoadError) -> u8 {
        match error {
            crate::store::LoadError::Io { .. } => CANNOT_READ,
            _ => INVALID,
        }
    }
}

use exit::{CANNOT_READ, CANNOT_WRITE, INVALID, LOCKED};

/// Runs a subcommand and returns the process exit code. `wait_seconds` is
/// how long a writer waits for another to release a project.
pub fn run(command: Command, wait_seconds: f64) -> ExitCode {
    let code = run_command(command, wait_seconds);
    {
        use std::io::Write;
        if let Err(e) = std::io::stdout().lock().flush()
            && let Ok(mut failed) = STDOUT_FAILED.lock()
        {
            failed.get_or_insert_with(|| e.to_string());
        }
    }
    match STDOUT_FAILED.lock().ok().and_then(|mut f| f.take()) {
        Some(e) => fail(
            CANNOT_WRITE,
            format!("stdout: cannot write the output: {e}"),
        ),
        None => code,
    }
}

fn run_command(command: Command, wait_seconds: f64) -> ExitCode {
    let wait = Duration::from_secs_f64(wait_seconds.clamp(0.0, 86_400.0));
    match command {
        Command::New {
            project,
            articles,
            name,
            force,
            html,
        } => new(&project, &articles, name, force, wait, html),
        Command::Add {
            project,
            articles,
            html,
        } => add(&project, &articles, wait, html),
        Command::Validate { project } => validate(&project),
        Command::Stats { project, json } => stats(&project, json),
        Command::Agree {
            a,
            b,
            more,
            json,
            docs,
        } => {
            if more.is_empty() {
                agree(&a, &b, json, docs)
            } else {
                let mut paths = vec![a, b];
                paths.extend(more);
                agree_many(&paths, json, docs)
            }
        }
        Command::Fmt {
            project,
            output,
            force,
        } => fmt(&project, output.as_deref(), force, wait),
        Command::Export {
            project,
            format,
            output,
            status,
            docs,
            strict,
            force,
            include_rejected,
        } => export(
            &project,
            format,
            output.as_deref(),
            &status,
            ExportOptions {
                doc_ids: docs,
                strict,
                include_rejected,
                ..ExportOptions::default()
            },
            force,
        ),
        Command::Import {
            format,
            sources,
            output,
            into,
            force,
            strict,
        } => import(
            format,
            &sources,
            &output,
            ImportMode {
                into,
                force,
                strict,
            },
            wait,
        ),
        Command::Merge {
            first,
            second,
            base,
            output,
            force,
        } => merge(base.as_deref(), &first, &second, &output, force, wait),
        Command::GitSetup => git_setup(),
        Command::Assign {
            project,
            annotators,
            overlap,
            seed,
            output,
            force,
        } => assign(
            &project,
            &crate::review::assign::AssignOptions {
                annotators,
                overlap,
                seed,
            },
            &output,
            force,
        ),
        Command::Suggest {
            project,
            docs,
            json,
            apply,
            output,
            force,
            min_score,
        } => suggest(
            &project,
            &docs,
            json,
            apply.then_some(output.as_deref()).flatten(),
            force,
            min_score.unwrap_or(crate::suggest::DEFAULT_MIN_SCORE),
        ),
    }
}

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    errln!("gloss: {message}");
    ExitCode::from(code)
}

fn load(path: &Path) -> Result<Project, ExitCode> {
    store::load(path).map_err(|e| {
        let code = exit::for_load_error(&e);
        fail(code, format!("{e}; nothing was changed"))
    })
}

/// Takes the project's lock for a command that writes it.
fn lock(path: &Path, wait: Duration) -> Result<ProjectLock, ExitCode> {
    ProjectLock::acquire(path, wait).map_err(|e| match e {
        LockError::Held { .. } => fail(
            LOCKED,
            format!(
                "{e}; close it there or retry with a longer --wait (waited {:.1} s)",
                wait.as_secs_f64()
            ),
        ),
        LockError::Io { .. } => fail(CANNOT_WRITE, format!("{e}; nothing was changed")),
    })
}

/// Saves a project whose lock is held, then clears temporary files that
/// killed saves of it left behind.
fn save_locked(project: &Project, path: &Path, held: &ProjectLock) -> Result<(), ExitCode> {
    store::save(project, path)
        .map_err(|e| fail(CANNOT_WRITE, format!("{e}; the project was not saved")))?;
    store::remove_stale_temps(path, held);
    Ok(())
}

/// A share as `20%` or `0.2`.
fn parse_share(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.trim().strip_suffix('%') {
        Some(percent) => (percent, 100.0),
        None => (text.trim(), 1.0),
    };
    match number.trim().parse::<f64>() {
        Ok(x) if (0.0..=scale).contains(&x) => Ok(x / scale),
        _ => Err(format!(
            "{text:?} is not a share between 0% and 100% (e.g. 20% or 0.2)"
        )),
    }
}
