//! `gloss git-setup`: makes a git repository merge project files with
//! Gloss. Without it (or with `gloss` not on git's `PATH`) git cannot run
//! the driver, keeps ours' file unmerged with no markers and no conflict
//! records, and committing it loses theirs' work. So the driver is set with
//! the absolute path of the running `gloss`, and checked by running it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The attribute line that sends project files to the driver.
pub const ATTRIBUTE: &str = "*.gloss.ron merge=gloss";

/// What `.gitignore` gets: lock files and crash journals are per machine.
pub const IGNORED: &[&str] = &[
    ".*.lock",
    "*.gloss.ron.recovery",
    "*.gloss.ron.recovery-base",
];

/// What was done, for the command to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// The repository's top folder.
    pub root: PathBuf,
    /// Lines added, as "file: line".
    pub added: Vec<String>,
    /// The driver command set in the repository's config.
    pub driver: String,
}

/// Sets up the repository that `dir` is in for the driver `gloss` (the
/// absolute path of the binary git will run).
pub fn setup(dir: &Path, gloss: &Path) -> Result<Setup, String> {
    let root = git(dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("{}: not inside a git repository ({e})", dir.display()))?;
    let root = PathBuf::from(root.trim_end_matches(['\n', '\r']));
    let mut added = Vec::new();
    for line in add_lines(&root.join(".gitattributes"), &[ATTRIBUTE])? {
        added.push(format!(".gitattributes: {line}"));
    }
    for line in add_lines(&root.join(".gitignore"), IGNORED)? {
        added.push(format!(".gitignore: {line}"));
    }
    // Check first that the binary runs: a driver that cannot start is the
    // silent failure this command exists to prevent.
    let version = Command::new(gloss)
        .arg("--version")
        .output()
        .map_err(|e| format!("{}: cannot run it: {e}", gloss.display()))?;
    if !version.status.success() {
        return Err(format!(
            "{}: `--version` failed ({}); the driver was not set",
            gloss.display(),
            version.status
        ));
    }
    let driver = format!("{} merge --base %O %A %B -o %A", shell_quote(gloss));
    git(
        &root,
        &["config", "merge.gloss.name", "Gloss project merge"],
    )?;
    git(&root, &["config", "merge.gloss.driver", &driver])?;
    // What git will run, read back.
    let set = git(&root, &["config", "--get", "merge.gloss.driver"])?;
    if set.trim_end() != driver {
        return Err(format!(
            "{}: git reads the driver back as {:?}",
            root.display(),
            set.trim_end()
        ));
    }
    Ok(Setup {
        root,
        added,
        driver,
    })
}

/// Runs git in `dir`; its standard output, or its error as one line.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().next().unwrap_or("git failed").to_owned())
    }
}

/// Appends the `lines` a file lacks (compared trimmed), keeping everything
/// else; returns those added. A link or anything but a regular file is
/// left alone.
fn add_lines(file: &Path, lines: &[&str]) -> Result<Vec<String>, String> {
    let existing = match std::fs::symlink_metadata(file) {
        Ok(meta) if meta.file_type().is_file() => std::fs::read_to_string(file)
            .map_err(|e| format!("{}: cannot read it: {e}", file.display()))?,
        Ok(_) => {
            return Err(format!(
                "{}: is not a regular file; add {:?} to it by hand",
                file.display(),
                lines
            ));
        }
        Err(_) => String::new(),
    };
    let have: std::collections::HashSet<&str> = existing.lines().map(str::trim).collect();
    let missing: Vec<String> = lines
        .iter()
        .filter(|line| !have.contains(**line))
        .map(|line| (*line).to_owned())
        .collect();
    if missing.is_empty() {
        return Ok(missing);
    }
    let mut text = existing.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in &missing {
        text.push_str(line);
        text.push('\n');
    }
    crate::store::write_atomically(file, text.as_bytes())
        .map_err(|e| format!("{}: cannot write it: {e}", file.display()))?;
    Ok(missing)
}

/// `path` as one word for the shell git runs the driver with.
fn shell_quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_a_path_with_spaces_and_quotes_one_word() {
        assert_eq!(shell_quote(Path::new("/usr/bin/gloss")), "/usr/bin/gloss");
        assert_eq!(
            shell_quote(Path::new("/home/a b/it's/gloss")),
            r"'/home/a b/it'\''s/gloss'"
        );
    }

    #[test]
    fn lines_are_added_once_and_the_rest_is_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(".gitignore");
        std::fs::write(&file, "target/").expect("write");
        assert_eq!(
            add_lines(&file, IGNORED).expect("added"),
            IGNORED.iter().map(|s| s.to_string()).collect::<Vec<_>>()
        );
        assert!(add_lines(&file, IGNORED).expect("again").is_empty());
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(text.starts_with("target/\n.*.lock\n"), "{text}");
    }
}
