//! Records the commit Gloss is built from, for `gloss --version`: a bug
//! report then names the exact source. Outside a git checkout (a source
//! tarball, `cargo install` from a registry) the line says "unknown commit".
//!
//! Sets `GLOSS_BUILD_COMMIT` to e.g. `06b1bf3 2026-12-07` or
//! `06b1bf3 2026-12-07, modified` when the work tree had uncommitted changes.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn main() {
    // Rerun when HEAD moves or the index changes (a commit, a checkout, a
    // staged edit) and when sources change, so "modified" stays true.
    for path in [
        ".git/HEAD",
        ".git/index",
        ".git/refs",
        "src",
        "Cargo.toml",
        "assets",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let commit = git(&["log", "-1", "--format=%h %cs"]).filter(|c| !c.is_empty());
    let line = match commit {
        Some(commit) => {
            let modified = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|status| !status.is_empty());
            if modified {
                format!("{commit}, modified")
            } else {
                commit
            }
        }
        None => "unknown commit".to_owned(),
    };
    println!("cargo:rustc-env=GLOSS_BUILD_COMMIT={line}");
}
