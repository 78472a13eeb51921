//! Dataset imports and exports as background jobs, started by the command
//! layer when the dataset form is confirmed.

use std::path::PathBuf;

use crate::formats::ExportOptions;

use super::app::GlossApp;
use super::dialogs::DatasetForm;
use super::jobs::JobOutput;

/// Runs an import or export on a worker thread, with progress in the status
/// bar, so the window stays fluid on large projects.
pub(crate) fn start_dataset_job(app: &mut GlossApp, form: &DatasetForm) {
    let paths: Vec<PathBuf> = form
        .path
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    let format = form.format;
    let origin = app.job_origin();
    if form.import {
        app.jobs.spawn(
            format!("importing {}", format.name()),
            0,
            origin,
            move |_| {
                let sources: Vec<&std::path::Path> = paths.iter().map(PathBuf::as_path).collect();
                JobOutput::DatasetImported(
                    crate::formats::import(format, &sources).map_err(|e| e.to_string()),
                )
            },
        );
        return;
    }
    let overwrites_project = paths.first().is_some_and(|target| match &app.session.path {
        Some(project_path) => {
            crate::store::output::check_file(target, Some(project_path), true, true).is_err()
        }
        // A never-saved project: no file of its own, but other projects count.
        None => {
            target
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
                && target.exists()
        }
    });
    if let (true, Some(target)) = (overwrites_project, paths.first()) {
        app.notify(format!(
            "{}: an export would overwrite a project file; choose another name",
            target.display()
        ));
        return;
    }
    let project = app.session.project().clone();
    let include_rejected = form.include_rejected;
    let statuses = if form.finished_only {
        vec![crate::model::Status::Done, crate::model::Status::Reviewed]
    } else {
        Vec::new()
    };
    let total = ExportOptions {
        statuses: statuses.clone(),
        ..Default::default()
    }
    .selected_count(&project);
    app.jobs.spawn(
        format!("exporting {}", format.name()),
        total,
        origin,
        move |done| {
            let options = ExportOptions {
                statuses,
                include_rejected,
                progress: Some(done),
                ..Default::default()
            };
            let result = (|| {
                let target = paths.first().ok_or("no output path")?;
                let exported = crate::formats::export(&project, format, &options)
                    .map_err(|e| e.to_string())?;
                let warnings = exported
                    .warnings
                    .iter()
                    .map(|w| {
                        if w.contains(crate::formats::REJECTED_LEFT_OUT) {
                            format!("{w} (to keep them, tick “{KEEP_REJECTED}” when exporting)")
                        } else {
                            w.clone()
                        }
                    })
                    .collect::<Vec<_>>();
                let files = exported.files.len();
                exported.write_to(target).map_err(|e| e.to_string())?;
                Ok((files, warnings))
            })();
            JobOutput::Exported(result)
        },
    );
}

/// The export dialog's checkbox that keeps annotations rejected in review.
pub const KEEP_REJECTED: &str = "Keep annotations rejected in review";
