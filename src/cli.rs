//! The `gloss` command line: thin clap layer over the core. Every error is one
//! line on stderr that names the file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::formats::{self, ExportOptions, Format};
use crate::model::{Project, Status};
use crate::{edit, ingest, store};

/// Gloss: annotate entities and claims in news articles.
#[derive(Debug, Parser)]
#[command(name = "gloss", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project file to open, or articles to open in a new project. With no
    /// argument the app opens the built-in sample project.
    pub paths: Vec<PathBuf>,
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
    },
    /// Add articles to a project.
    Add {
        /// The project file.
        project: PathBuf,
        /// Articles to add.
        #[arg(required = true)]
        articles: Vec<PathBuf>,
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
    Agree {
        /// The reference project.
        a: PathBuf,
        /// The project compared with it.
        b: PathBuf,
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
        /// Add to the existing project instead of creating a new one.
        #[arg(long)]
        into: bool,
    },
}

/// Exit code for "invalid" results.
const INVALID: u8 = 1;
/// Exit code for "cannot read".
const CANNOT_READ: u8 = 2;

/// Runs a subcommand and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::New {
            project,
            articles,
            name,
            force,
        } => new(&project, &articles, name, force),
        Command::Add { project, articles } => add(&project, &articles),
        Command::Validate { project } => validate(&project),
        Command::Stats { project, json } => stats(&project, json),
        Command::Agree { a, b, json, docs } => agree(&a, &b, json, docs),
        Command::Fmt { project, output } => fmt(&project, output.as_deref()),
        Command::Export {
            project,
            format,
            output,
            status,
            docs,
            strict,
        } => export(&project, format, output.as_deref(), &status, docs, strict),
        Command::Import {
            format,
            sources,
            output,
            into,
        } => import(format, &sources, &output, into),
    }
}

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("gloss: {message}");
    ExitCode::from(code)
}

fn load(path: &Path) -> Result<Project, ExitCode> {
    store::load(path).map_err(|e| {
        let code = if matches!(e, store::LoadError::Io { .. }) {
            CANNOT_READ
        } else {
            INVALID
        };
        fail(code, e)
    })
}

/// Adds articles through the edit layer and prints what happened. Returns
/// whether every file could be read.
fn add_to(project: &mut Project, articles: &[PathBuf]) -> bool {
    let (edit, report) = ingest::add_articles(project, articles);
    if let Some(edit) = edit
        && let Err(e) = edit::apply(project, edit)
    {
        eprintln!("gloss: cannot add the articles: {e}");
        return false;
    }
    for line in &report.skipped {
        eprintln!("gloss: {line}");
    }
    for error in &report.errors {
        eprintln!("gloss: {error}");
    }
    if !report.added.is_empty() {
        eprintln!(
            "gloss: added {} document(s): {}",
            report.added.len(),
            report.added.join(", ")
        );
    }
    report.errors.is_empty()
}

fn new(path: &Path, articles: &[PathBuf], name: Option<String>, force: bool) -> ExitCode {
    if path.exists() && !force {
        return fail(
            INVALID,
            format!(
                "{}: already exists; use --force to overwrite it",
                path.display()
            ),
        );
    }
    if path.is_dir() {
        return fail(INVALID, format!("{}: is a directory", path.display()));
    }
    let name = name.unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("Untitled");
        stem.trim_end_matches(".gloss").to_owned()
    });
    let mut project = Project::new(name);
    project.created = Some(now());
    let all_read = add_to(&mut project, articles);
    if !all_read {
        return ExitCode::from(INVALID);
    }
    match store::save(&project, path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(CANNOT_READ, e),
    }
}

fn add(path: &Path, articles: &[PathBuf]) -> ExitCode {
    let mut project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let before = project.documents.len();
    let all_read = add_to(&mut project, articles);
    if project.documents.len() != before {
        project.modified = Some(now());
        if let Err(e) = store::save(&project, path) {
            return fail(CANNOT_READ, e);
        }
    }
    if all_read {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(INVALID)
    }
}

fn validate(path: &Path) -> ExitCode {
    match store::load(path) {
        Ok(project) => {
            println!(
                "{}: valid ({} documents, {} annotations)",
                path.display(),
                project.documents.len(),
                project.annotation_count()
            );
            ExitCode::SUCCESS
        }
        Err(e @ store::LoadError::Io { .. }) => fail(CANNOT_READ, e),
        Err(e) => {
            for line in e.lines() {
                eprintln!("gloss: {line}");
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
        println!("{}", stats.to_json());
    } else {
        print!("{}", stats.to_table());
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
        println!("{}", agreement.to_json());
    } else {
        print!(
            "{}",
            agreement.to_table(&a.display().to_string(), &b.display().to_string())
        );
    }
    ExitCode::SUCCESS
}

fn fmt(path: &Path, output: Option<&Path>) -> ExitCode {
    let project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let target = output.unwrap_or(path);
    match store::save(&project, target) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(CANNOT_READ, e),
    }
}

fn export(
    path: &Path,
    format: Format,
    output: Option<&Path>,
    statuses: &[String],
    doc_ids: Vec<String>,
    strict: bool,
) -> ExitCode {
    let mut options = ExportOptions {
        doc_ids,
        strict,
        ..ExportOptions::default()
    };
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
    if let Some(target) = output
        && refuses_to_overwrite(path, target)
    {
        return fail(
            INVALID,
            format!(
                "{}: an export would overwrite a project file; choose another -o",
                target.display()
            ),
        );
    }
    let project = match load(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let exported = match formats::export(&project, format, &options) {
        Ok(e) => e,
        Err(e) => return fail(INVALID, format!("{}: {e}", path.display())),
    };
    for warning in &exported.warnings {
        eprintln!("gloss: {warning}");
    }
    write_exported(exported, output)
}

fn import(format: Format, sources: &[PathBuf], output: &Path, into: bool) -> ExitCode {
    if !format.can_import() {
        return fail(INVALID, format!("{} cannot be imported", format.name()));
    }
    if output.exists() && !into {
        return fail(
            INVALID,
            format!(
                "{}: already exists; use --into to add to it",
                output.display()
            ),
        );
    }
    let sources: Vec<&Path> = sources.iter().map(PathBuf::as_path).collect();
    let imported = match formats::import(format, &sources) {
        Ok(i) => i,
        Err(e) => return fail(INVALID, e),
    };
    for warning in &imported.warnings {
        eprintln!("gloss: {warning}");
    }
    let project = if into && output.exists() {
        let mut project = match load(output) {
            Ok(p) => p,
            Err(code) => return code,
        };
        match formats::merge_into(&mut project, imported.project) {
            Ok(added) => eprintln!("gloss: added {added} document(s)"),
            Err(e) => return fail(INVALID, format!("{}: {e}", output.display())),
        }
        project.modified = Some(now());
        project
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
        project.created = Some(now());
        project
    };
    let problems = crate::model::validate::validate(&project);
    if let Some(problem) = problems.first() {
        return fail(
            INVALID,
            format!(
                "{}: the imported project is inconsistent: {problem}",
                output.display()
            ),
        );
    }
    match store::save(&project, output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(CANNOT_READ, e),
    }
}

/// Whether writing an export to `target` would replace a project: the
/// project being exported or any existing `.ron` file.
pub fn refuses_to_overwrite(project: &Path, target: &Path) -> bool {
    let same = match (
        std::fs::canonicalize(project),
        std::fs::canonicalize(target),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let ron = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    same || (ron && target.exists())
}

/// Writes an export: one file to `output` (or stdout), or many into the
/// `output` folder.
pub fn write_exported(exported: formats::Exported, output: Option<&Path>) -> ExitCode {
    use std::io::Write;
    match output {
        Some(target) => {
            if let Err(e) = exported.write_to(target) {
                return fail(CANNOT_READ, e);
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
                return fail(CANNOT_READ, format!("stdout: {e}"));
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

/// The current time in RFC 3339, UTC, whole seconds.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}
