//! Dataset formats. Each format lives in its own file with the same shape:
//! `export(project, &ExportOptions) -> Result<Exported, FormatError>` and, where
//! the format can be read, `import(paths) -> Result<Imported, FormatError>`.

pub mod brat;
pub mod claimreview;
pub mod conll;
pub mod csv;
pub mod doccano;
pub mod jsonl;

use std::path::{Path, PathBuf};

use crate::model::{Project, Status};

/// Which documents to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Only documents with one of these statuses (all when empty).
    pub statuses: Vec<Status>,
    /// Only documents with one of these ids (all when empty).
    pub doc_ids: Vec<String>,
    /// Fail instead of leaving out what the format cannot express.
    pub strict: bool,
    /// Keep annotations a reviewer rejected (left out by default).
    pub include_rejected: bool,
    /// Counts the documents exported so far, for a progress bar.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

impl ExportOptions {
    fn wants(&self, doc: &crate::model::Document) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&doc.status))
            && (self.doc_ids.is_empty() || self.doc_ids.contains(&doc.id))
    }

    /// The documents of `project` that these options select, in project
    /// order; each one handed out counts toward `progress`.
    pub fn select<'a>(
        &'a self,
        project: &'a Project,
    ) -> impl Iterator<Item = &'a crate::model::Document> + 'a {
        project
            .documents
            .iter()
            .map(|d| &**d)
            .filter(|d| self.wants(d))
            .inspect(|_| {
                if let Some(progress) = &self.progress {
                    progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            })
    }

    /// How many documents [`Self::select`] will hand out.
    pub fn selected_count(&self, project: &Project) -> usize {
        project.documents.iter().filter(|d| self.wants(d)).count()
    }
}

/// A format error that names what it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FormatError(pub String);

/// What an export produced: files to write (a single file has an empty
/// relative path and goes to `-o`), and warnings about what was left out.
#[derive(Debug, Default)]
pub struct Exported {
    /// Relative path (empty for a single-file format) and contents.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// Human-readable notes about anything the format could not hold.
    pub warnings: Vec<String>,
}

/// The dataset formats Gloss reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Gloss's own full JSONL, one document per line.
    Jsonl,
    /// doccano JSONL (`label` triples; relation shape on import).
    Doccano,
    /// CoNLL BIO2, one token per line.
    Conll,
    /// brat standoff: `NAME.txt` + `NAME.ann` per document.
    Brat,
    /// A claims table.
    Csv,
    /// schema.org ClaimReview JSON-LD.
    ClaimReview,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Jsonl,
        Format::Doccano,
        Format::Conll,
        Format::Brat,
        Format::Csv,
        Format::ClaimReview,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::Conll => "conll",
            Format::Brat => "brat",
            Format::Csv => "csv",
            Format::ClaimReview => "claimreview",
        }
    }

    /// Parses a command-line name.
    pub fn parse(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!(
                    "unknown format {name:?}; one of jsonl, doccano, conll, brat, csv, claimreview"
                )
            })
    }

    /// Whether an export writes a folder of files rather than one file.
    pub fn writes_folder(self) -> bool {
        matches!(self, Format::Brat)
    }

    /// Whether [`import`] reads this format.
    pub fn can_import(self) -> bool {
        matches!(
            self,
            Format::Jsonl | Format::Doccano | Format::Conll | Format::Brat
        )
    }
}

/// Exports `project` in `format`.
pub fn export(
    project: &Project,
    format: Format,
    options: &ExportOptions,
) -> Result<Exported, FormatError> {
    // Rejected annotations are not part of a dataset unless asked for.
    let filtered;
    let mut left = crate::model::rejected::LeftOut::default();
    let project = if options.include_rejected || !crate::model::rejected::has_rejected(project) {
        project
    } else {
        (filtered, left) = crate::model::rejected::without_rejected_counted(project);
        &filtered
    };
    let mut exported = match format {
        Format::Jsonl => jsonl::export(project, options),
        Format::Doccano => doccano::export(project, options),
        Format::Conll => conll::export(project, options),
        Format::Brat => brat::export(project, options),
        Format::Csv => self::csv::export(project, options),
        Format::ClaimReview => claimreview::export(project, options),
    }?;
    if left.annotations > 0 {
        let mut also = Vec::new();
        if left.relations > 0 {
            also.push(format!(
                "{} ending at one left out too",
                crate::model::plural(left.relations, "relation")
            ));
        }
        if left.claimant_links > 0 {
            also.push(format!(
                "{} naming one kept as plain words",
                crate::model::plural(left.claimant_links, "claimant")
            ));
        }
        let also = if also.is_empty() {
            String::new()
        } else {
            format!("; {}", also.join(", "))
        };
        exported.warnings.push(format!(
            "{} {REJECTED_LEFT_OUT}{also}",
            crate::model::plural(left.annotations, "annotation")
        ));
    }
    Ok(exported)
}

/// The words of the export warning that counts annotations rejected in
/// review and left out; the CLI and the app each add how to keep them.
pub const REJECTED_LEFT_OUT: &str = "rejected in review left out";

/// What an import produced: a project (documents, schema types found) and
/// notes about anything that could not be kept.
#[derive(Debug)]
pub struct Imported {
    /// The imported documents and the types they use.
    pub project: Project,
    /// One line per thing left out, with counts.
    pub warnings: Vec<String>,
}

/// Imports `sources` (files, or folders for brat) in `format`.
pub fn import(format: Format, sources: &[&Path]) -> Result<Imported, FormatError> {
    if sources.is_empty() {
        return Err(FormatError(format!(
            "import from {}: no files given",
            format.name()
        )));
    }
    match format {
        Format::Jsonl => jsonl::import(sources),
        Format::Doccano => doccano::import(sources),
        Format::Conll => conll::import(sources),
        Format::Brat => brat::import(sources),
        Format::Csv | Format::ClaimReview => Err(FormatError(format!(
            "{} is an export-only format",
            format.name()
        ))),
    }
}

mod merge;
mod shared;

pub use merge::{Merged, merge_edit, merge_into};
pub(crate) use shared::*;

/// A file of an export that could not be written; the files written before
/// it stay, the one that failed is untouched (atomic writes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct WriteError {
    /// The file or folder.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

impl WriteError {
    fn new(path: &Path, error: std::io::Error) -> Self {
        Self {
            path: path.display().to_string(),
            message: error.to_string(),
        }
    }
}

impl Exported {
    /// Whether this is one file (to go where `-o` says) rather than a folder.
    pub fn is_single_file(&self) -> bool {
        self.files.len() == 1 && self.files.iter().all(|(p, _)| p.as_os_str().is_empty())
    }

    /// Writes the export atomically: a single file to `target`, or each file
    /// into the folder `target`. A folder is written in two steps: every
    /// file to a temporary file beside its place (flushed), then each
    /// renamed into place, so that a full disk or a refused file leaves the
    /// folder as it was (folders made for it removed) instead of half an
    /// export. Errors name the file and say what was left.
    pub fn write_to(self, target: &Path) -> Result<(), WriteError> {
        if self.is_single_file() {
            let bytes = self
                .files
                .into_iter()
                .next()
                .map(|(_, b)| b)
                .unwrap_or_default();
            return crate::store::write_atomically(target, &bytes)
                .map_err(|e| WriteError::new(target, e));
        }
        let mut made_folders: Vec<PathBuf> = Vec::new();
        let mut staged: Vec<(tempfile::NamedTempFile, PathBuf)> = Vec::new();
        let staging = (|| -> Result<(), WriteError> {
            for (relative, bytes) in &self.files {
                let path = target.join(relative);
                let parent = match path.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
                    _ => PathBuf::from("."),
                };
                let mut missing = Vec::new();
                let mut dir = parent.as_path();
                while !dir.exists() {
                    missing.push(dir.to_owned());
                    match dir.parent() {
                        Some(up) if !up.as_os_str().is_empty() => dir = up,
                        _ => break,
                    }
                }
                std::fs::create_dir_all(&parent).map_err(|e| WriteError::new(&parent, e))?;
                made_folders.extend(missing.into_iter().rev());
                if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_file()) {
                    return Err(WriteError {
                        path: path.display().to_string(),
                        message: "is not a regular file; not replaced".to_owned(),
                    });
                }
                let mut temp = tempfile::Builder::new()
                    .prefix(&crate::store::atomic::temp_prefix(&path))
                    .suffix(".tmp")
                    .tempfile_in(&parent)
                    .map_err(|e| WriteError::new(&parent, e))?;
                use std::io::Write;
                temp.write_all(bytes)
                    .and_then(|()| temp.as_file().sync_all())
                    .map_err(|e| WriteError::new(&path, e))?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = temp
                        .as_file()
                        .set_permissions(std::fs::Permissions::from_mode(0o644));
                }
                staged.push((temp, path));
            }
            Ok(())
        })();
        if let Err(mut error) = staging {
            drop(staged);
            for folder in made_folders.iter().rev() {
                let _ = std::fs::remove_dir(folder);
            }
            error.message.push_str("; nothing was written");
            return Err(error);
        }
        let total = staged.len();
        for (done, (temp, path)) in staged.into_iter().enumerate() {
            if let Err(e) = temp.persist(&path) {
                return Err(WriteError {
                    path: path.display().to_string(),
                    message: format!(
                        "{}; {done} of {total} files were written before it, the rest were not",
                        e.error
                    ),
                });
            }
        }
        if let Ok(folder) = std::fs::File::open(target) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}
