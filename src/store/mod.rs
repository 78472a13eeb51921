//! RON project files: versioned load with migration and validation, and
//! deterministic, atomic save.

pub mod atomic;
mod fast;
pub mod identity;
pub mod lock;
mod migrate;
pub mod output;
pub mod recovery;
mod split;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::validate::{Problem, validate};
use crate::model::{FORMAT_VERSION, Project};

pub use atomic::{read_regular_file, remove_stale_temps, write_atomically};
pub use identity::FileIdentity;
pub use lock::{LockError, ProjectLock};

/// Why a project file could not be opened. Displays as one line that names
/// the file (and line:column where known).
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read (missing, a directory, no permission).
    Io { path: PathBuf, message: String },
    /// The file is not a project file: bad UTF-8, bad RON, wrong shape.
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file was written by a newer Gloss.
    TooNew { path: PathBuf, version: u32 },
    /// The file parses but is inconsistent; every problem found, each with a
    /// line where it could be located.
    Invalid {
        path: PathBuf,
        problems: Vec<(Option<usize>, Problem)>,
    },
}

impl LoadError {
    /// Each problem as its own `file:line: message` line (one for most errors).
    pub fn lines(&self) -> Vec<String> {
        match self {
            LoadError::Invalid { path, problems } => problems
                .iter()
                .map(|(line, problem)| match line {
                    Some(line) => format!("{}:{line}: {problem}", path.display()),
                    None => format!("{}: {problem}", path.display()),
                })
                .collect(),
            other => vec![other.to_string()],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, message } => write!(f, "{}: {message}", path.display()),
            LoadError::Syntax {
                path,
                line,
                column,
                message,
            } => {
                write!(f, "{}:{line}:{column}: {message}", path.display())
            }
            LoadError::TooNew { path, version } => write!(
                f,
                "{}: project format version {version} is newer than this Gloss supports ({FORMAT_VERSION}); update Gloss to open it",
                path.display()
            ),
            LoadError::Invalid { path, problems } => {
                let count = problems.len();
                match problems.first() {
                    Some((line, first)) => {
                        let at = line.map(|l| format!(":{l}")).unwrap_or_default();
                        let more = if count > 1 {
                            format!(" (and {} more problems)", count - 1)
                        } else {
                            String::new()
                        };
                        write!(f, "{}{at}: {first}{more}", path.display())
                    }
                    None => write!(f, "{}: invalid project", path.display()),
                }
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads, migrates and validates the project at `path`.
///
/// A file in Gloss's canonical layout is parsed on every core, and its text
/// is given back as its documents are parsed (so peak memory is about the
/// project's, not the project's plus the file's); any other file is parsed
/// the plain way. Either gives the same project and the same messages.
pub fn load(path: &Path) -> Result<Project, LoadError> {
    let read = || {
        read_regular_file(path).map_err(|e| LoadError::Io {
            path: path.to_owned(),
            message: io_message(&e),
        })
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let bytes = match split::parse_canonical_owned(read()?, threads) {
        split::Owned::Parsed(project) => {
            // Only a file with problems is read again, to find their lines.
            return checked(path, project, || read().ok().map(Cow::Owned));
        }
        split::Owned::Untouched(bytes) => bytes,
        split::Owned::Spent => read()?,
    };
    parse_with_threads(path, &bytes, 0)
}

/// Parses, migrates and validates project file contents; `path` is only used
/// in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Project, LoadError> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    parse_with_threads(path, bytes, threads)
}

/// [`parse`] with a set number of threads: `0` parses the whole file on
/// this thread the plain way; `1` or more cut a file in Gloss's canonical
/// layout into documents and parse them on up to that many threads
/// (falling back to the plain way for any other file). The result, error
/// messages included, is the same either way.
pub fn parse_with_threads(path: &Path, bytes: &[u8], threads: usize) -> Result<Project, LoadError> {
    let syntax = |line: usize, column: usize, message: String| LoadError::Syntax {
        path: path.to_owned(),
        line,
        column,
        message,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            return Err(syntax(
                line,
                column,
                "the file is not valid UTF-8 text".to_owned(),
            ));
        }
    };
    if text.trim().is_empty() {
        return Err(syntax(
            1,
            1,
            "the file is empty, not a Gloss project".to_owned(),
        ));
    }
    let too_new = |version| LoadError::TooNew {
        path: path.to_owned(),
        version,
    };
    // One parse in the common case. Only when the file does not parse is
    // the version read on its own, so that a newer file whose shape changed
    // is refused as "too new" rather than with a confusing syntax error.
    let split = match threads {
        0 => None,
        threads => split::parse_canonical(text, threads).map(Ok),
    };
    let project = match split.unwrap_or_else(|| ron::from_str::<Project>(text)) {
        Ok(project) => project,
        Err(error) => match read_version(text) {
            Ok(version) if version > FORMAT_VERSION => return Err(too_new(version)),
            _ => return Err(spanned(path, error)),
        },
    };
    checked(path, project, || Some(Cow::Borrowed(bytes)))
}

/// Refuses a project from a newer Gloss, migrates and validates it; `file`
/// gives the file's bytes to locate problems in, when there are any.
fn checked<'b>(
    path: &Path,
    project: Project,
    file: impl FnOnce() -> Option<Cow<'b, [u8]>>,
) -> Result<Project, LoadError> {
    if project.version > FORMAT_VERSION {
        return Err(LoadError::TooNew {
            path: path.to_owned(),
            version: project.version,
        });
    }
    let project = migrate::migrate(project);
    let problems = validate(&project);
    if problems.is_empty() {
        return Ok(project);
    }
    let bytes = file().unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let ids = id_lines(&text);
    let located = problems
        .into_iter()
        .map(|p| (locate(&ids, &p), p))
        .collect();
    Err(LoadError::Invalid {
        path: path.to_owned(),
        problems: located,
    })
}

fn spanned(path: &Path, error: ron::error::SpannedError) -> LoadError {
    LoadError::Syntax {
        path: path.to_owned(),
        line: error.span.start.line,
        column: error.span.start.col,
        message: ron_message(&error.code),
    }
}

/// A RON parser error in user terms.
fn ron_message(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => {
            "values are nested too deeply for a Gloss project file".to_owned()
        }
        other => crate::diagnostics::clip_quotes(&other.to_string()),
    }
}

/// The format version, read before the rest so that newer files are refused
/// with a clear message instead of a confusing parse error.
fn read_version(text: &str) -> Result<u32, ron::error::SpannedError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    ron::from_str::<VersionOnly>(text).map(|v| v.version)
}

/// Where each `id: "…"` of a project file is: its lines (1-based, in order),
/// each with whether the id opens its line or a `(` block (a document's own
/// id does). Built in one pass, so that locating many problems stays linear.
type IdLines<'t> = std::collections::HashMap<&'t str, Vec<(usize, bool)>>;

fn id_lines(text: &str) -> IdLines<'_> {
    let mut ids = IdLines::new();
    for (n, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line.get(from..).and_then(|rest| rest.find("id: \"")) {
            let start = from + found;
            // The closing quote, past escaped characters.
            let bytes = line.as_bytes();
            let mut end = start + 5;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let Some(needle) = line.get(start..=end) else {
                break;
            };
            let before = line.get(..start).unwrap_or_default();
            let opens = before.trim().is_empty() || before.ends_with('(');
            ids.entry(needle).or_default().push((n + 1, opens));
            from = end + 1;
        }
    }
    ids
}

/// The line of a validation problem: the line with the annotation's id inside
/// the document's block, or the document's own id line.
fn locate(ids: &IdLines<'_>, problem: &Problem) -> Option<usize> {
    let lines = |id: &str| ids.get(format!("id: {id:?}").as_str());
    let mut after = 0;
    if let Some(doc) = &problem.document {
        after = lines(doc)?.iter().find(|(_, opens)| *opens)?.0;
    }
    let Some(item) = &problem.item else {
        return problem
            .document
            .as_ref()
            .and_then(|doc| lines(doc)?.first().map(|(line, _)| *line));
    };
    let found = lines(item)?;
    found
        .get(found.partition_point(|(line, _)| *line <= after))
        .map(|(line, _)| *line)
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory, not a project file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ if error.raw_os_error() == Some(21) => "is a directory, not a project file".to_owned(),
        _ => error.to_string(),
    }
}

/// The canonical text of a project: pretty, deterministic RON. Lists are
/// expanded one item per line and each item (entity type, canonical entity,
/// entity, claim, relation, conflict) is written on one line, so adding an annotation
/// shows as a one-line `git diff`.
pub fn to_ron(project: &Project) -> String {
    let mut out = ron_head(project);
    for doc in &project.documents {
        push_document(&mut out, doc);
    }
    out.push_str(RON_TAIL);
    out
}

/// What follows the last document.
const RON_TAIL: &str = "  ],\n)\n";

/// Everything of [`to_ron`] before the first document.
fn ron_head(project: &Project) -> String {
    // The oldest version that can hold the project, so that an older Gloss
    // still opens it unless it has conflict records (which it would drop).
    let version = project.written_version();
    let mut out = format!(
        "// Gloss project file, format version {version}: see docs/format.md.\n#![enable(implicit_some)]\n(\n",
    );
    field(&mut out, 1, "version", &version);
    field(&mut out, 1, "name", &project.name);
    optional(&mut out, 1, "created", &project.created);
    optional(&mut out, 1, "modified", &project.modified);
    if !project.annotators.is_empty() {
        list(&mut out, 1, "annotators", &project.annotators);
    }
    out.push_str("  schema: (\n");
    list(&mut out, 2, "entity_types", &project.schema.entity_types);
    list(
        &mut out,
        2,
        "relation_types",
        &project.schema.relation_types,
    );
    out.push_str("  ),\n");
    if !project.canonical_entities.is_empty() {
        list(
            &mut out,
            1,
            "canonical_entities",
            &project.canonical_entities,
        );
    }
    if !project.conflicts.is_empty() {
        list(&mut out, 1, "conflicts", &project.conflicts);
    }
    out.push_str("  documents: [\n");
    out
}

/// One document of [`to_ron`].
fn push_document(out: &mut String, doc: &crate::model::Document) {
    out.push_str("    (\n");
    field(out, 3, "id", &doc.id);
    field(out, 3, "title", &doc.title);
    optional(out, 3, "source", &doc.source);
    optional(out, 3, "date", &doc.date);
    optional(out, 3, "byline", &doc.byline);
    optional(out, 3, "site_name", &doc.site_name);
    optional(out, 3, "language", &doc.language);
    optional(out, 3, "direction", &doc.direction);
    field(out, 3, "content_hash", &doc.content_hash);
    field(out, 3, "status", &doc.status);
    list(out, 3, "entities", &doc.entities);
    list(out, 3, "claims", &doc.claims);
    list(out, 3, "relations", &doc.relations);
    if !doc.conflicts.is_empty() {
        list(out, 3, "conflicts", &doc.conflicts);
    }
    if !doc.suggestion_decisions.is_empty() {
        list(out, 3, "suggestion_decisions", &doc.suggestion_decisions);
    }
    field(out, 3, "text", &doc.text);
    out.push_str("    ),\n");
}

/// Writes documents one by one into the file [`save_with_more_documents`]
/// is writing, so that none of them need be in memory at once.
pub struct DocumentSink<'w> {
    out: &'w mut dyn std::io::Write,
    buffer: String,
}

impl DocumentSink<'_> {
    /// Writes `doc` after the documents written so far.
    pub fn push(&mut self, doc: &crate::model::Document) -> std::io::Result<()> {
        self.buffer.clear();
        push_document(&mut self.buffer, doc);
        self.out.write_all(self.buffer.as_bytes())
    }
}

/// Saves `project` as [`save`] does, followed by the documents `more` pushes
/// (new documents without annotations, which do not change the format
/// version): a batch of a million articles is written as it is read,
/// without becoming a project in memory. When `more` fails, nothing is
/// written and its error is the save's.
pub fn save_with_more_documents(
    project: &Project,
    path: &Path,
    more: &mut dyn FnMut(&mut DocumentSink<'_>) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    atomic::write_atomically_streamed(path, &mut |out| {
        out.write_all(ron_head(project).as_bytes())?;
        let mut sink = DocumentSink {
            out,
            buffer: String::new(),
        };
        for doc in &project.documents {
            sink.push(doc)?;
        }
        more(&mut sink)?;
        sink.out.write_all(RON_TAIL.as_bytes())
    })
    .map_err(|e| SaveError {
        path: path.display().to_string(),
        message: e.to_string(),
        changed_on_disk: false,
    })
}

/// One value in RON on a single line.
fn compact<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(0)
        .struct_names(false);
    // The file header enables implicit_some once; items must not repeat it.
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    match options.to_string_pretty(value, config) {
        Ok(text) => text,
        // The model holds only strings, numbers and enums, which RON can
        // always write; reaching this is a bug in the model.
        Err(e) => unreachable!("project value cannot be written as RON: {e}"),
    }
}

fn field<T: serde::Serialize + ?Sized>(out: &mut String, depth: usize, name: &str, value: &T) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(name);
    out.push_str(": ");
    out.push_str(&compact(value));
    out.push_str(",\n");
}

fn optional<T: serde::Serialize>(out: &mut String, depth: usize, name: &str, value: &Option<T>) {
    if let Some(value) = value {
        field(out, depth, name, value);
    }
}

fn list<T: serde::Serialize>(out: &mut String, depth: usize, name: &str, items: &[T]) {
    let indent = "  ".repeat(depth);
    if items.is_empty() {
        out.push_str(&format!("{indent}{name}: [],\n"));
        return;
    }
    out.push_str(&format!("{indent}{name}: [\n"));
    for item in items {
        out.push_str(&indent);
        out.push_str("  ");
        out.push_str(&compact(item));
        out.push_str(",\n");
    }
    out.push_str(&format!("{indent}],\n"));
}

/// Why a project could not be saved. The previous file is untouched.
#[derive(Debug, Default, thiserror::Error)]
#[error("{path}: cannot save: {message}")]
pub struct SaveError {
    /// The file that was to be written.
    pub path: String,
    /// What went wrong.
    pub message: String,
    /// The file changed on disk since this session last read or wrote it:
    /// nothing was written, and the caller asks the user what to do.
    pub changed_on_disk: bool,
}

/// Writes `project` to `path` atomically: a temporary file in the same
/// folder, flushed to disk, then renamed over the old file.
pub fn save(project: &Project, path: &Path) -> Result<(), SaveError> {
    write_atomically(path, to_ron(project).as_bytes()).map_err(|e| SaveError {
        path: path.display().to_string(),
        message: e.to_string(),
        changed_on_disk: false,
    })
}
