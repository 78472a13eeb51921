//! Regenerates `assets/sample/kim-putin.gloss.ron` from the sample article.

fn main() -> std::process::ExitCode {
    let project = gloss::sample::build_sample(gloss::sample::SAMPLE_ARTICLE);
    let problems = gloss::model::validate::validate(&project);
    if !problems.is_empty() {
        for p in problems {
            eprintln!("sample: {p}");
        }
        return std::process::ExitCode::FAILURE;
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/sample/kim-putin.gloss.ron"
    );
    match gloss::store::save(&project, std::path::Path::new(path)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
