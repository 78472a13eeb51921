//! The `gloss` binary: subcommands run the CLI; otherwise the app opens on a
//! project, on articles, or on the built-in sample project.

use std::process::ExitCode;

use clap::Parser;
use gloss::ui::Startup;

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = gloss::cli::Cli::parse();
    if let Some(command) = cli.command {
        return gloss::cli::run(command);
    }
    let startup = match cli.paths.as_slice() {
        [] => Startup::Sample,
        [one]
            if one
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron")) =>
        {
            // Check the project before a window opens, so a bad path is a
            // one-line error on the terminal.
            if let Err(e) = gloss::store::load(one) {
                eprintln!("gloss: {e}");
                // As `gloss validate`: 2 cannot read, 1 invalid.
                let code = if matches!(e, gloss::store::LoadError::Io { .. }) {
                    2
                } else {
                    1
                };
                return ExitCode::from(code);
            }
            Startup::Project(one.clone())
        }
        articles => {
            if let Some(bad) = articles.iter().find(|p| !p.is_file()) {
                let what = if bad.is_dir() {
                    "is a directory, not an article"
                } else {
                    "no such file"
                };
                eprintln!("gloss: {}: {what}", bad.display());
                return ExitCode::from(2);
            }
            Startup::Articles(articles.to_vec())
        }
    };
    match gloss::ui::run(startup) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gloss: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}
