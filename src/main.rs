//! The `gloss` binary: subcommands run the CLI; otherwise the app opens on a
//! project, on articles, or on the built-in sample project.

use std::process::ExitCode;

use clap::Parser;

/// One line on stderr; a stderr that cannot be written is no reason to panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = gloss::cli::Cli::parse();
    if let Some(command) = cli.command {
        return gloss::cli::run(command, cli.wait);
    }
    if let (Some(meant), Some(typed)) =
        (gloss::cli::mistyped_command(&cli.paths), cli.paths.first())
    {
        say!(
            "gloss: {}: no such file or command; did you mean `gloss {meant}`? (see `gloss --help`)",
            typed.display()
        );
        return ExitCode::from(gloss::cli::exit::CANNOT_READ);
    }
    open_window(&cli.paths, cli.html.unwrap_or_default())
}

/// Opens the app on the command line's paths.
#[cfg(feature = "gui")]
fn open_window(paths: &[std::path::PathBuf], html: gloss::ingest::HtmlMode) -> ExitCode {
    use gloss::cli::exit;
    use gloss::ui::Startup;
    let startup = match paths {
        [] => Startup::Sample,
        [one]
            if one
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron")) =>
        {
            // Read the project before a window opens, so a bad path is a
            // one-line error on the terminal; the window gets what was read.
            match gloss::store::load(one) {
                Ok(project) => Startup::Loaded(Box::new(project), one.clone()),
                Err(e) => {
                    say!("gloss: {e}");
                    return ExitCode::from(exit::for_load_error(&e));
                }
            }
        }
        articles => {
            if let Some(bad) = articles.iter().find(|p| !p.is_file()) {
                let what = if bad.is_dir() {
                    "is a directory, not an article"
                } else {
                    "no such file"
                };
                say!("gloss: {}: {what}", bad.display());
                return ExitCode::from(exit::CANNOT_READ);
            }
            Startup::Articles(articles.to_vec(), html)
        }
    };
    match gloss::ui::run(startup) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("gloss: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A build without the `gui` feature has no window to open.
#[cfg(not(feature = "gui"))]
fn open_window(_paths: &[std::path::PathBuf], _html: gloss::ingest::HtmlMode) -> ExitCode {
    say!(
        "gloss: this build has no window (built without the `gui` feature); use a command, see `gloss --help`"
    );
    ExitCode::from(gloss::cli::exit::INVALID)
}
