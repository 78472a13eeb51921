//! The `gloss` command line: thin clap layer over the core. Every error is one
//! line on stderr that names the file.

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

/// Adds the articles in `articles` to `project` (as loaded, or new) and
/// saves it to `path`, in one pass: each article is written into the new
/// file as it is read, so a batch of a million short articles never becomes
/// a million documents in memory (issue 19, finding 11). All or nothing: an
/// article file that cannot be read, or a full disk, leaves `path` as it
/// was (the temporary file is dropped). With `keep_empty` false, a batch
/// that adds nothing does not replace the file. When `path` is not a
/// writable regular file (read-only, a FIFO, a device), the articles are
/// first read and checked without writing anything, so that their errors
/// and a batch that adds nothing are reported as such. Bypasses the edit
/// layer on purpose: there is no history to record in a command, and the
/// same ingest code decides ids and duplicates.
fn add_and_save(
    project: &Project,
    path: &Path,
    articles: &[PathBuf],
    html: ingest::HtmlMode,
    held: &ProjectLock,
    keep_empty: bool,
) -> Result<ingest::StreamReport, ExitCode> {
    let writable_file = match std::fs::metadata(path) {
        Ok(meta) => meta.is_file() && !output::is_read_only(path),
        Err(_) => true,
    };
    let mut said = false;
    if !writable_file {
        let checked = ingest::stream_new_documents(
            project,
            articles,
            html,
            &mut |line| errln!("gloss: {line}"),
            &mut |_| Ok(()),
        )
        .map_err(|e| fail(CANNOT_READ, format!("cannot read the articles: {e}")))?;
        said = true;
        if !checked.errors.is_empty() {
            return Err(report_article_errors(&checked));
        }
        if checked.added == 0 && !keep_empty {
            return Ok(checked);
        }
    }
    let mut streamed = None;
    let saved = store::save_with_more_documents(project, path, &mut |sink| {
        let report = ingest::stream_new_documents(
            project,
            articles,
            html,
            &mut |line| {
                if !said {
                    errln!("gloss: {line}");
                }
            },
            &mut |doc| sink.push(doc),
        )?;
        let keep = report.errors.is_empty() && (keep_empty || report.added > 0);
        streamed = Some(report);
        if keep {
            Ok(())
        } else {
            Err(std::io::Error::other("nothing to keep"))
        }
    });
    let report = match (streamed, saved) {
        (Some(report), _) if !report.errors.is_empty() => {
            return Err(report_article_errors(&report));
        }
        (Some(report), Ok(())) => {
            store::remove_stale_temps(path, held);
            report
        }
        (Some(report), Err(_)) if !keep_empty && report.added == 0 => report,
        (_, Err(e)) => {
            return Err(fail(
                CANNOT_WRITE,
                format!("{e}; the project was not saved"),
            ));
        }
        (None, Ok(())) => return Err(fail(CANNOT_WRITE, "the articles were not read")),
    };
    if report.added > 0 {
        let more = report.added.saturating_sub(report.first_added.len());
        // Ids of a large batch would make one line of thousands: name a few.
        errln!(
            "gloss: added {}: {}{}",
            plural(report.added, "document"),
            report.first_added.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    Ok(report)
}

/// Reports the article files that could not be read: exit code 2 when one
/// could not be read at all, else 1.
fn report_article_errors(report: &ingest::StreamReport) -> ExitCode {
    for error in &report.errors {
        errln!("gloss: {error}");
    }
    if report.errors.iter().any(|e| e.cannot_read) {
        ExitCode::from(CANNOT_READ)
    } else {
        ExitCode::from(INVALID)
    }
}

fn new(
    path: &Path,
    articles: &[PathBuf],
    name: Option<String>,
    force: bool,
    wait: Duration,
    html: ingest::HtmlMode,
) -> ExitCode {
    if path.is_dir() {
        return fail(
            CANNOT_WRITE,
            format!("{}: is a directory; nothing was written", path.display()),
        );
    }
    let held = match lock(path, wait) {
        Ok(held) => held,
        Err(code) => return code,
    };
    // Checked under the lock, so two `new` of one path cannot both pass.
    if let Err(e) = output::check_file(path, None, false, force) {
        return fail(CANNOT_WRITE, e);
    }
    let name = name.unwrap_or_else(|| Project::name_for_file(path));
    let mut project = Project::new(name);
    project.created = Some(edit::now());
    match add_and_save(&project, path, articles, html, &held, true) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => {
            errln!("gloss: {}: was not created", path.display());
            code
        }
    }
}

fn add(path: &Path, articles: &[PathBuf], wait: Duration, html: ingest::HtmlMode) -> ExitCode {
    // The lock spans load to save: another writer's change cannot be lost
    // between them.
    let held = match lock(path, wait) {
        Ok(held) => held,
        Err(code) => return code,
    };
    let mut project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // Written only when something is added.
    project.modified = Some(edit::now());
    // All or nothing, like `new` and `import`: an exit code that says
    // failure never comes with a changed project.
    match add_and_save(&project, path, articles, html, &held, false) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => {
            errln!("gloss: {}: nothing was added", path.display());
            code
        }
    }
}

/// Sources of a dataset that cannot be read at all (missing, a folder where
/// the format reads files, no permission): exit code 2 before anything else.
fn unreadable_source(format: Format, sources: &[PathBuf]) -> Option<String> {
    sources.iter().find_map(|source| {
        let meta = match std::fs::metadata(source) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Some(format!("{}: no such file", source.display()));
            }
            Err(e) => return Some(format!("{}: {e}", source.display())),
        };
        if meta.is_dir() {
            return (format != Format::Brat).then(|| {
                format!(
                    "{}: is a directory, not a {} file",
                    source.display(),
                    format.name()
                )
            });
        }
        std::fs::File::open(source)
            .err()
            .map(|e| format!("{}: {e}", source.display()))
    })
}

fn validate(path: &Path) -> ExitCode {
    match store::load(path) {
        Ok(project) => {
            outln!(
                "{}: valid ({}, {})",
                path.display(),
                plural(project.documents.len(), "document"),
                plural(project.annotation_count(), "annotation")
            );
            ExitCode::SUCCESS
        }
        Err(e @ store::LoadError::Io { .. }) => fail(CANNOT_READ, e),
        Err(e) => {
            for line in e.lines() {
                errln!("gloss: {line}");
            }
            ExitCode::from(INVALID)
        }
    }
}

fn stats(path: &Path, json: bool) -> ExitCode {
    let project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let stats = crate::review::stats::Stats::of(&project);
    if json {
        outln!("{}", stats.to_json());
    } else {
        out!("{}", stats.to_table());
    }
    ExitCode::SUCCESS
}

fn agree(a: &Path, b: &Path, json: bool, doc_ids: Vec<String>) -> ExitCode {
    use crate::review::agree::{AgreeOptions, agree as compare};
    let project_a = match load(a) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let project_b = match load(b) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let agreement = match compare(&project_a, &project_b, &AgreeOptions { doc_ids }) {
        Ok(agreement) => agreement,
        Err(e) => return fail(INVALID, format!("{}: {e}", a.display())),
    };
    if json {
        outln!("{}", agreement.to_json());
    } else {
        out!(
            "{}",
            agreement.to_table(&a.display().to_string(), &b.display().to_string())
        );
    }
    if agreement.documents == 0 {
        // The figures are printed (all undefined), but never silently:
        // a script sees its own exit code.
        errln!(
            "gloss: {} and {} have no document in common (matched by text): every figure is undefined",
            a.display(),
            b.display()
        );
        return ExitCode::from(exit::NOTHING_IN_COMMON);
    }
    ExitCode::SUCCESS
}

/// `gloss agree` with three or more projects.
fn agree_many(paths: &[PathBuf], json: bool, doc_ids: Vec<String>) -> ExitCode {
    use crate::review::agree::AgreeOptions;
    // One annotator given twice would count their labels twice over.
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !seen.insert(key) {
            return fail(
                INVALID,
                format!(
                    "{}: given twice; each annotator's project once",
                    path.display()
                ),
            );
        }
    }
    let mut projects = Vec::with_capacity(paths.len());
    for path in paths {
        match load(path) {
            Ok(p) => projects.push(p),
            Err(code) => return code,
        }
    }
    // Each annotator is named by their file ("ana" for ana.gloss.ron); the
    // whole path when two files have the same name.
    let stems: Vec<String> = paths.iter().map(|p| Project::name_for_file(p)).collect();
    let names: Vec<String> = paths
        .iter()
        .zip(&stems)
        .map(|(path, stem)| {
            if stems.iter().filter(|s| *s == stem).count() > 1 {
                path.display().to_string()
            } else {
                stem.clone()
            }
        })
        .collect();
    let named: Vec<(String, &Project)> = names.into_iter().zip(projects.iter()).collect();
    let agreement = match crate::review::agree_many::agree_many(&named, &AgreeOptions { doc_ids }) {
        Ok(agreement) => agreement,
        Err(e) => return fail(INVALID, format!("{}: {e}", paths[0].display())),
    };
    if json {
        outln!("{}", agreement.to_json());
    } else {
        out!("{}", agreement.to_table());
    }
    if agreement.all.documents == 0 {
        errln!(
            "gloss: no document is in all {} projects (matched by text): the figures over all annotators are undefined",
            paths.len()
        );
        return ExitCode::from(exit::NOTHING_IN_COMMON);
    }
    ExitCode::SUCCESS
}

fn fmt(path: &Path, output: Option<&Path>, force: bool, wait: Duration) -> ExitCode {
    let target = match output {
        Some(out) => match output::check_file(out, Some(path), false, force) {
            Ok(_) => out,
            // An output that is the source itself (the same path, a link,
            // `sub/..`, a hard link) replaces the source: only when asked.
            Err(output::OutputError::IsSourceProject(_)) if force => path,
            Err(e) => return fail(CANNOT_WRITE, e),
        },
        None => path,
    };
    let held = match lock(target, wait) {
        Ok(held) => held,
        Err(code) => return code,
    };
    let project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match save_locked(&project, target, &held) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

fn export(
    path: &Path,
    format: Format,
    output: Option<&Path>,
    statuses: &[String],
    mut options: ExportOptions,
    force: bool,
) -> ExitCode {
    for name in statuses {
        match Status::parse(name) {
            Some(status) => options.statuses.push(status),
            None => {
                return fail(
                    INVALID,
                    format!("unknown status {name:?} (use New, InProgress, Done, Reviewed)"),
                );
            }
        }
    }
    // Decide before any work whether the output may be written.
    let target = match output {
        Some(target) if format.writes_folder() => output::check_folder(target, force),
        Some(target) => output::check_file(target, Some(path), true, force),
        None => Ok(PathBuf::new()),
    };
    if let Err(e) = target {
        return fail(CANNOT_WRITE, e);
    }
    let project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let exported = match formats::export(&project, format, &options) {
        Ok(e) => e,
        Err(e) => {
            return fail(
                INVALID,
                format!("{}: {e}; nothing was written", path.display()),
            );
        }
    };
    for warning in &exported.warnings {
        // The command line's way to keep them; the app has a checkbox.
        let hint = if warning.contains(formats::REJECTED_LEFT_OUT) {
            " (--include-rejected keeps them)"
        } else {
            ""
        };
        errln!("gloss: {warning}{hint}");
    }
    write_exported(exported, output)
}

/// How `import` treats an existing output project.
struct ImportMode {
    into: bool,
    force: bool,
    strict: bool,
}

fn import(
    format: Format,
    sources: &[PathBuf],
    output: &Path,
    mode: ImportMode,
    wait: Duration,
) -> ExitCode {
    if !format.can_import() {
        return fail(INVALID, format!("{} cannot be imported", format.name()));
    }
    if let Some(problem) = unreadable_source(format, sources) {
        return fail(CANNOT_READ, format!("{problem}; nothing was written"));
    }
    let held = match lock(output, wait) {
        Ok(held) => held,
        Err(code) => return code,
    };
    let adding = mode.into && output.exists();
    if !mode.into
        && let Err(e) = output::check_file(output, None, false, mode.force)
    {
        let hint = if matches!(e, output::OutputError::Exists(_)) {
            format!(
                "{}: already exists; use --into to add to it or --force to replace it (nothing was written)",
                output.display()
            )
        } else {
            e.to_string()
        };
        return fail(CANNOT_WRITE, hint);
    }
    let sources: Vec<&Path> = sources.iter().map(PathBuf::as_path).collect();
    let imported = match formats::import(format, &sources) {
        Ok(i) => i,
        Err(e) => return fail(INVALID, format!("{e}; nothing was written")),
    };
    for warning in &imported.warnings {
        errln!("gloss: {warning}");
    }
    if mode.strict && !imported.warnings.is_empty() {
        return fail(
            INVALID,
            format!(
                "{}: --strict and {} above; nothing was written",
                output.display(),
                plural(imported.warnings.len(), "warning")
            ),
        );
    }
    let (project, summary) = if adding {
        let mut project = match load(output) {
            Ok(p) => p,
            Err(code) => return code,
        };
        let merged = match formats::merge_into(&mut project, imported.project) {
            Ok(merged) => merged,
            Err(e) => {
                return fail(
                    INVALID,
                    format!("{}: {e}; nothing was changed", output.display()),
                );
            }
        };
        project.modified = Some(edit::now());
        let mut summary = format!("added {}", plural(merged.added, "document"));
        if merged.skipped > 0 {
            summary.push_str(&format!(
                "; skipped {} already in the project (same text)",
                plural(merged.skipped, "document")
            ));
        }
        (project, summary)
    } else {
        let mut project = imported.project;
        if project.name.is_empty() {
            project.name = output
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("Imported")
                .trim_end_matches(".gloss")
                .to_owned();
        }
        project.created = Some(edit::now());
        let summary = format!("imported {}", plural(project.documents.len(), "document"));
        (project, summary)
    };
    let problems = crate::model::validate::validate(&project);
    if let Some(problem) = problems.first() {
        return fail(
            INVALID,
            format!(
                "{}: the imported project is inconsistent: {problem}; nothing was written",
                output.display()
            ),
        );
    }
    if let Err(code) = save_locked(&project, output, &held) {
        return code;
    }
    errln!("gloss: {}: {summary}", output.display());
    ExitCode::SUCCESS
}

/// `gloss merge`: two-way (adjudication input) or, with a base, three-way
/// (git merge driver). Every input that cannot be loaded is exit code 2,
/// since 1 means "merged, with conflicts left".
fn merge(
    base: Option<&Path>,
    first: &Path,
    second: &Path,
    out: &Path,
    force: bool,
    wait: Duration,
) -> ExitCode {
    use crate::review::merge as m;
    // Git asks the driver to replace %A, the first input, with the result:
    // that is allowed without --force; any other existing file is not.
    let in_place = output::same_file(out, first);
    if in_place {
        if output::is_read_only(out) {
            return fail(
                CANNOT_WRITE,
                output::OutputError::ReadOnly(out.display().to_string()),
            );
        }
    } else if let Err(e) = output::check_file(out, None, false, force) {
        return fail(CANNOT_WRITE, e);
    }
    let held = match lock(out, wait) {
        Ok(held) => held,
        Err(code) => return code,
    };
    let read = |path: &Path| {
        store::load(path).map_err(|e| fail(CANNOT_READ, format!("{e}; nothing was written")))
    };
    let (ours, theirs) = match (read(first), read(second)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let name = |path: &Path| {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        stem.trim_end_matches(".gloss").to_owned()
    };
    let (merged, report) = match base {
        Some(base_path) => {
            let base = match read(base_path) {
                Ok(p) => p,
                Err(code) => return code,
            };
            m::merge3(&base, &ours, &theirs)
        }
        None => {
            let (a, b) = (name(first), name(second));
            // Two files of one name in different folders: A and B.
            let (a, b) = if a == b {
                ("A".to_owned(), "B".to_owned())
            } else {
                (a, b)
            };
            m::merge_named(
                &ours,
                &theirs,
                m::Sides {
                    first: &a,
                    second: &b,
                },
            )
        }
    };
    if let Some(problem) = crate::model::validate::validate(&merged).first() {
        return fail(
            INVALID,
            format!(
                "{}: the merged project is inconsistent: {problem}; nothing was written",
                out.display()
            ),
        );
    }
    if let Err(code) = save_locked(&merged, out, &held) {
        return code;
    }
    for note in &report.notes {
        errln!("gloss: {note}");
    }
    let what = if base.is_some() {
        "conflict"
    } else {
        "disagreement"
    };
    errln!(
        "gloss: {}: merged {} ({} on both sides); {} left for review",
        out.display(),
        plural(report.documents, "document"),
        report.matched,
        plural(report.remaining, what),
    );
    if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(INVALID)
    }
}

/// Writes an export: one file to `output` (or stdout), or many into the
/// `output` folder. The caller has checked that `output` may be written.
pub fn write_exported(exported: formats::Exported, output: Option<&Path>) -> ExitCode {
    use std::io::Write;
    match output {
        Some(target) => {
            if let Err(e) = exported.write_to(target) {
                return fail(CANNOT_WRITE, e);
            }
        }
        None if exported.is_single_file() => {
            let bytes = exported
                .files
                .into_iter()
                .next()
                .map(|(_, b)| b)
                .unwrap_or_default();
            if let Err(e) = std::io::stdout().write_all(&bytes) {
                return fail(CANNOT_WRITE, format!("stdout: {e}"));
            }
        }
        None => {
            return fail(
                INVALID,
                "this format writes several files: give a folder with -o",
            );
        }
    }
    ExitCode::SUCCESS
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

fn assign(
    path: &Path,
    options: &crate::review::assign::AssignOptions,
    folder: &Path,
    force: bool,
) -> ExitCode {
    use crate::review::assign;
    let project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let split = match assign::assign(&project, options) {
        Ok(split) => split,
        Err(e) => {
            return fail(
                INVALID,
                format!("{}: {e}; nothing was written", path.display()),
            );
        }
    };
    let folder = match output::check_folder(folder, force) {
        Ok(folder) => folder,
        Err(e) => return fail(CANNOT_WRITE, format!("{e}; nothing was written")),
    };
    if let Err(e) = std::fs::create_dir_all(&folder) {
        return fail(
            CANNOT_WRITE,
            format!("{}: cannot create the folder: {e}", folder.display()),
        );
    }
    let names = &options.annotators;
    let files: Vec<PathBuf> = names
        .iter()
        .map(|name| folder.join(format!("{}.gloss.ron", assign::file_stem(name))))
        .chain(std::iter::once(folder.join("assignment.json")))
        .collect();
    if let Some(source) = files.iter().find(|f| output::same_file(f, path)) {
        return fail(
            INVALID,
            format!(
                "{}: would replace the project being split; choose another folder or name",
                source.display()
            ),
        );
    }
    if options.overlap > 0.0 && split.shared() == 0 {
        errln!(
            "gloss: {}: an overlap of {}% of {} rounds to no document; none is shared",
            path.display(),
            options.overlap * 100.0,
            plural(project.documents.len(), "document")
        );
    }
    for (who, file) in files.iter().take(names.len()).enumerate() {
        let theirs = assign::project_for(&project, &split, names, who);
        if let Err(e) = store::save(&theirs, file) {
            return fail(CANNOT_WRITE, format!("{e}; the assignment is incomplete"));
        }
        outln!(
            "{}: {} ({} shared), {} characters",
            file.display(),
            plural(theirs.documents.len(), "document"),
            split
                .documents_of(who)
                .filter(|&i| split.owners[i].len() > 1)
                .count(),
            split.characters[who]
        );
    }
    let manifest = assign::manifest(&project, &path.display().to_string(), &split, options);
    let manifest_file = folder.join("assignment.json");
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    if let Err(e) = store::write_atomically(&manifest_file, text.as_bytes()) {
        return fail(
            CANNOT_WRITE,
            format!(
                "{}: cannot write the manifest: {e}",
                manifest_file.display()
            ),
        );
    }
    outln!(
        "{}: {} among {}, {} given to two; manifest {}",
        path.display(),
        plural(project.documents.len(), "document"),
        plural(names.len(), "annotator"),
        split.shared(),
        manifest_file.display()
    );
    ExitCode::SUCCESS
}

/// `gloss git-setup`: the merge driver in the repository around the
/// current folder, pointing at this binary.
fn git_setup() -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return fail(INVALID, format!("cannot tell where this gloss is: {e}")),
    };
    match crate::git_setup::setup(Path::new("."), &exe) {
        Ok(setup) => {
            let mut out = String::new();
            for line in &setup.added {
                out.push_str(&format!("added to {line}\n"));
            }
            out.push_str(&format!(
                "{}: git merges *.gloss.ron files with `{}`\n",
                setup.root.display(),
                setup.driver
            ));
            print_out(&out)
        }
        Err(e) => fail(INVALID, e),
    }
}

/// `gloss suggest`: trains on the Done and Reviewed documents and proposes
/// entities for the others.
fn suggest(
    path: &Path,
    doc_ids: &[String],
    json: bool,
    apply_to: Option<&Path>,
    force: bool,
    min_score: f64,
) -> ExitCode {
    let target = match apply_to {
        Some(out) => match output::check_file(out, Some(path), false, force) {
            Ok(target) => Some(target),
            Err(e) => return fail(CANNOT_WRITE, e),
        },
        None => None,
    };
    let mut project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(unknown) = doc_ids.iter().find(|id| project.document(id).is_none()) {
        return fail(
            INVALID,
            format!("{}: no document {unknown:?}", path.display()),
        );
    }
    let stale: usize = project
        .documents
        .iter()
        .map(|d| crate::suggest::stale_decisions(d))
        .sum();
    if stale > 0 {
        errln!(
            "gloss: {}: {} ignored: no longer matching the text (the file was edited by hand)",
            path.display(),
            plural(stale, "suggestion decision")
        );
    }
    let recommender = crate::suggest::Recommender::train(&project);
    if recommender.is_empty() {
        errln!(
            "gloss: {}: nothing to learn from yet: annotate some documents and mark them Done",
            path.display()
        );
    }
    let wanted = |id: &str| doc_ids.is_empty() || doc_ids.iter().any(|d| d == id);
    let mut found: Vec<(String, crate::suggest::Suggestion)> = Vec::new();
    for doc in &project.documents {
        if crate::suggest::is_training(doc) || !wanted(&doc.id) {
            continue;
        }
        for s in recommender.suggest(doc, min_score) {
            found.push((doc.id.clone(), s));
        }
    }
    let trained = recommender.trained();
    if json {
        let suggestions: Vec<serde_json::Value> = found
            .iter()
            .map(|(doc, s)| {
                serde_json::json!({
                    "doc": doc,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "text": s.text,
                    "score": (s.score * 10_000.0).round() / 10_000.0,
                    "source": s.source.name(),
                })
            })
            .collect();
        outln!(
            "{}",
            serde_json::json!({
                "trained_on": {"documents": trained.documents, "entities": trained.entities},
                "suggestions": suggestions,
            })
        );
    } else if apply_to.is_none() {
        for (doc, s) in &found {
            outln!(
                "{doc}\t{}\t{}\t{}\t{:.2}\t{}\t{}",
                s.start,
                s.end,
                s.label,
                s.score,
                s.source.name(),
                s.text
            );
        }
        errln!(
            "gloss: {} (learned from {} with {})",
            plural(found.len(), "suggestion"),
            plural(trained.documents, "document"),
            crate::model::plural(trained.entities, "annotation")
        );
    }
    let Some(target) = target else {
        return ExitCode::SUCCESS;
    };
    let added = crate::suggest::apply_suggestions(&mut project, &found);
    project.modified = Some(edit::now());
    let held = match lock(&target, Duration::ZERO) {
        Ok(held) => held,
        Err(code) => return code,
    };
    if let Err(code) = save_locked(&project, &target, &held) {
        return code;
    }
    errln!(
        "gloss: {}: wrote {} as unreviewed entities by gloss-suggest",
        target.display(),
        plural(added, "suggestion")
    );
    ExitCode::SUCCESS
}
