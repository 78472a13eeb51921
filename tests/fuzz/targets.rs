//! The fuzz targets: every reader of outside data, run on one input file (a
//! folder for brat), with the checks a run must pass besides not panicking.
//!
//! Shared by the fuzzer (`examples/fuzz.rs`) and the regression replay
//! (`tests/core/fuzz_regressions.rs`) through `#[path]`, so that both run exactly
//! the same code.

use std::path::Path;

use gloss::formats::{self, Format};

/// The longest error message a reader may give, in characters: one line that
/// names the file, quoting at most a few dozen characters of input.
pub const MAX_MESSAGE: usize = 500;

/// A reader under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// `gloss::store::parse` of a `.ron` project file.
    Project,
    /// Article import of a `.txt` file (every encoding path).
    Txt,
    /// Article import of an `.html` page.
    Html,
    /// Article import of a `.json` object or array.
    Json,
    /// Article import of a `.jsonl` batch.
    ArticlesJsonl,
    /// Dataset import of a brat folder (`doc.txt`, `doc.ann`, `annotation.conf`).
    Brat,
    /// Dataset import of doccano JSONL.
    Doccano,
    /// Dataset import of CoNLL BIO2.
    Conll,
    /// Dataset import of Gloss JSONL.
    Jsonl,
}

impl Target {
    /// Every target, in the order the fuzzer runs them.
    pub const ALL: [Target; 9] = [
        Target::Project,
        Target::Txt,
        Target::Html,
        Target::Json,
        Target::ArticlesJsonl,
        Target::Brat,
        Target::Doccano,
        Target::Conll,
        Target::Jsonl,
    ];

    /// The name on the command line and of the regression folder.
    pub fn name(self) -> &'static str {
        match self {
            Target::Project => "project",
            Target::Txt => "txt",
            Target::Html => "html",
            Target::Json => "json",
            Target::ArticlesJsonl => "articles-jsonl",
            Target::Brat => "brat",
            Target::Doccano => "doccano",
            Target::Conll => "conll",
            Target::Jsonl => "jsonl",
        }
    }

    /// The target called `name`.
    pub fn parse(name: &str) -> Option<Target> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The extension of an input file; empty for brat, whose input is a folder.
    pub fn extension(self) -> &'static str {
        match self {
            Target::Project => "ron",
            Target::Txt => "txt",
            Target::Html => "html",
            Target::Json => "json",
            Target::ArticlesJsonl | Target::Doccano | Target::Jsonl => "jsonl",
            Target::Brat => "",
            Target::Conll => "conll",
        }
    }
}

/// The files of a brat input folder, in the order of an input's parts.
pub const BRAT_FILES: [&str; 3] = ["doc.txt", "doc.ann", "annotation.conf"];

/// Runs `target` on `path` (a file, or a folder for brat). `Ok` when the
/// reader accepted or refused the input as it should, with what it said
/// (`ok` and the warnings, or the error message); `Err` says what is wrong: a
/// message that is not one short line naming the file, or an accepted input
/// that gives an invalid project. Panics are the caller's.
pub fn run(target: Target, path: &Path) -> Result<String, String> {
    let refused = match target {
        Target::Project => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read the input: {e}"))?;
            match gloss::store::parse(path, &bytes) {
                Ok(project) => return check_round_trip(path, &project).map(|()| "ok".into()),
                Err(e) => e.to_string(),
            }
        }
        Target::Txt | Target::Html | Target::Json | Target::ArticlesJsonl => {
            match gloss::ingest::read_articles(path) {
                Ok(articles) => {
                    // What the app does next: each article becomes a document.
                    let mut project = gloss::model::Project::new("fuzz");
                    let read = articles
                        .into_iter()
                        .map(|a| gloss::ingest::ReadArticle::new(path, a))
                        .collect();
                    let mut report = gloss::ingest::AddReport::default();
                    if let Some(edit) =
                        gloss::ingest::add_read_articles(&project, read, &mut report)
                    {
                        gloss::edit::apply(&mut project, edit)
                            .map_err(|e| format!("the articles make an invalid edit: {e}"))?;
                    }
                    return check_valid(&project).map(|()| "ok".into());
                }
                Err(e) => e.to_string(),
            }
        }
        Target::Brat | Target::Doccano | Target::Conll | Target::Jsonl => {
            let format = match target {
                Target::Brat => Format::Brat,
                Target::Doccano => Format::Doccano,
                Target::Conll => Format::Conll,
                _ => Format::Jsonl,
            };
            match formats::import(format, &[path]) {
                Ok(imported) => {
                    return check_valid(&imported.project)
                        .map(|()| format!("ok {}", imported.warnings.join("|")));
                }
                Err(e) => e.to_string(),
            }
        }
    };
    check_message(path, &refused).map(|()| refused)
}

/// An error message must be one line, short, and name the file.
fn check_message(path: &Path, message: &str) -> Result<(), String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if message.contains('\n') || message.contains('\r') {
        Err(format!("the message has several lines: {message:?}"))
    } else if message.chars().count() > MAX_MESSAGE {
        let start: String = message.chars().take(200).collect();
        Err(format!(
            "the message has {} characters: {start:?}…",
            message.chars().count()
        ))
    } else if !message.contains(&name) {
        Err(format!("the message does not name the file: {message:?}"))
    } else {
        Ok(())
    }
}

/// What a reader accepted must be a valid project.
fn check_valid(project: &gloss::model::Project) -> Result<(), String> {
    match gloss::model::validate::validate(project).first() {
        None => Ok(()),
        Some(problem) => Err(format!("the project read is invalid: {problem}")),
    }
}

/// A project that loads must save and load back the same.
fn check_round_trip(path: &Path, project: &gloss::model::Project) -> Result<(), String> {
    let text = gloss::store::to_ron(project);
    match gloss::store::parse(path, text.as_bytes()) {
        Ok(again) if &again == project => Ok(()),
        Ok(_) => Err("the project changes when saved and loaded again".to_owned()),
        Err(e) => Err(format!("the saved project does not load again: {e}")),
    }
}
