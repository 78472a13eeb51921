//! `gloss new`, `add`, `validate`, `stats` and `fmt`: one project file.

use super::*;

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
pub(super) fn add_and_save(
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
pub(super) fn report_article_errors(report: &ingest::StreamReport) -> ExitCode {
    for error in &report.errors {
        errln!("gloss: {error}");
    }
    if report.errors.iter().any(|e| e.cannot_read) {
        ExitCode::from(CANNOT_READ)
    } else {
        ExitCode::from(INVALID)
    }
}

pub(super) fn new(
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

pub(super) fn add(
    path: &Path,
    articles: &[PathBuf],
    wait: Duration,
    html: ingest::HtmlMode,
) -> ExitCode {
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

pub(super) fn validate(path: &Path) -> ExitCode {
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

pub(super) fn stats(path: &Path, json: bool) -> ExitCode {
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

pub(super) fn fmt(path: &Path, output: Option<&Path>, force: bool, wait: Duration) -> ExitCode {
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
