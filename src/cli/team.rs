//! `gloss agree`, `merge`, `assign` and `git-setup`: a team's projects.

use super::*;

pub(super) fn agree(a: &Path, b: &Path, json: bool, doc_ids: Vec<String>) -> ExitCode {
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
pub(super) fn agree_many(paths: &[PathBuf], json: bool, doc_ids: Vec<String>) -> ExitCode {
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

/// `gloss merge`: two-way (adjudication input) or, with a base, three-way
/// (git merge driver). Every input that cannot be loaded is exit code 2,
/// since 1 means "merged, with conflicts left".
pub(super) fn merge(
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

pub(super) fn assign(
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
pub(super) fn git_setup() -> ExitCode {
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
