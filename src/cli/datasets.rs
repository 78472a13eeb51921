//! `gloss export` and `import`: datasets in and out.

use super::*;

/// Sources of a dataset that cannot be read at all (missing, a folder where
/// the format reads files, no permission): exit code 2 before anything else.
pub(super) fn unreadable_source(format: Format, sources: &[PathBuf]) -> Option<String> {
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

pub(super) fn export(
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
pub(super) struct ImportMode {
    pub(super) into: bool,
    pub(super) force: bool,
    pub(super) strict: bool,
}

pub(super) fn import(
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
