//! Writes a large generated project for measurements:
//! `cargo run --release --example gen_large -- OUT.ron [DOCUMENTS] [CHARACTERS]`.

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: gen_large OUT.ron [DOCUMENTS] [CHARACTERS]");
        return std::process::ExitCode::from(2);
    };
    let documents = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let characters = args.next().and_then(|a| a.parse().ok()).unwrap_or(3000);
    let project = gloss::sample::large_project(documents, characters);
    match gloss::store::save(&project, std::path::Path::new(&out)) {
        Ok(()) => {
            eprintln!(
                "{out}: {} documents, {} annotations",
                project.documents.len(),
                project.annotation_count()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
