//! Data safety of the real `gloss` binary: one writer per project, no
//! overwrite without consent, nothing dropped in silence, binary input
//! refused, stale temporary files cleaned, exit codes and messages, and
//! crash trials (SIGKILL during saves, concurrent writers).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{gloss, stderr, temp_dir};
use gloss::store::{self, ProjectLock};

fn code(output: &std::process::Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// A project with one article, and an article file to add.
fn project_with_article(dir: &Path) -> (PathBuf, PathBuf) {
    let first = dir.join("first.txt");
    std::fs::write(&first, "Kim Jong Un met Vladimir Putin in Vostochny.").expect("write");
    let project = dir.join("p.gloss.ron");
    let out = gloss(&["new", path_str(&project), path_str(&first)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let second = dir.join("second.txt");
    std::fs::write(&second, "A second article about arms talks.").expect("write");
    (project, second)
}

#[test]
fn a_second_writer_waits_then_fails_with_exit_4_and_changes_nothing() {
    let dir = temp_dir();
    let (project, article) = project_with_article(dir.path());
    let before = std::fs::read(&project).expect("read");
    let held = ProjectLock::acquire(&project, Duration::ZERO).expect("the test holds the lock");
    let out = gloss(&[
        "add",
        path_str(&project),
        path_str(&article),
        "--wait",
        "0.3",
    ]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains("is open in another Gloss")
            && message.contains(&format!("pid {}", std::process::id()))
            && message.contains("nothing was changed"),
        "{message}"
    );
    assert_eq!(std::fs::read(&project).expect("read"), before);
    drop(held);
    let out = gloss(&["add", path_str(&project), path_str(&article)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(store::load(&project).expect("valid").documents.len(), 2);
}

#[test]
fn a_writer_that_waits_gets_the_project_once_the_holder_is_done() {
    let dir = temp_dir();
    let (project, article) = project_with_article(dir.path());
    let held = ProjectLock::acquire(&project, Duration::ZERO).expect("the test holds the lock");
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        drop(held);
    });
    let out = gloss(&[
        "add",
        path_str(&project),
        path_str(&article),
        "--wait",
        "30",
    ]);
    release.join().expect("release thread");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(store::load(&project).expect("valid").documents.len(), 2);
}

/// Concurrent `gloss add` of different articles to one project: every
/// article must end up in it. Returns the number of trials run.
fn concurrent_adds(trials: usize) -> usize {
    let dir = temp_dir();
    for trial in 0..trials {
        let project = dir.path().join(format!("t{trial}.gloss.ron"));
        let out = gloss(&["new", path_str(&project)]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let articles: Vec<PathBuf> = (0..3)
            .map(|n| {
                let path = dir.path().join(format!("t{trial}-a{n}.txt"));
                std::fs::write(&path, format!("Article {n} of trial {trial}.")).expect("write");
                path
            })
            .collect();
        let children: Vec<_> = articles
            .iter()
            .map(|article| {
                common::spawn_gloss(&["add", path_str(&project), path_str(article), "--wait", "60"])
            })
            .collect();
        for child in children {
            // Each run is killed and the test fails if it blocks.
            let out = child.wait();
            assert_eq!(code(&out), 0, "trial {trial}: {}", stderr(&out));
        }
        let loaded = store::load(&project).expect("valid after concurrent adds");
        assert_eq!(
            loaded.documents.len(),
            3,
            "trial {trial}: an article was lost between concurrent writers"
        );
    }
    trials
}

#[test]
fn concurrent_writers_lose_nothing() {
    assert_eq!(concurrent_adds(10), 10);
}

#[test]
#[ignore = "long crash trial; run with --ignored before a release"]
fn concurrent_writers_lose_nothing_long() {
    assert_eq!(concurrent_adds(30), 30);
}

#[test]
fn exports_never_replace_the_project_even_through_a_missing_folder() {
    let dir = temp_dir();
    let (project, _) = project_with_article(dir.path());
    let before = std::fs::read(&project).expect("read");
    let sneaky = dir.path().join("nosuchdir/../p.gloss.ron");
    let out = gloss(&[
        "export",
        path_str(&project),
        "--format",
        "jsonl",
        "-o",
        path_str(&sneaky),
        "--force",
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is the project being read"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&project).expect("read"), before);
    assert!(!dir.path().join("nosuchdir").exists());
}

#[test]
fn fmt_and_export_refuse_existing_files_without_force() {
    let dir = temp_dir();
    let (project, _) = project_with_article(dir.path());
    let other = dir.path().join("b.gloss.ron");
    std::fs::write(&other, "// someone else's project\n").expect("write");
    let out = gloss(&["fmt", path_str(&project), "-o", path_str(&other)]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("already exists; use --force"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&other).expect("read"),
        "// someone else's project\n"
    );
    let out = gloss(&["fmt", path_str(&project), "-o", path_str(&other), "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(store::load(&other).expect("valid").documents.len(), 1);

    let data = dir.path().join("data.jsonl");
    std::fs::write(&data, "keep me\n").expect("write");
    let export = |force: bool| {
        let mut args = vec![
            "export",
            path_str(&project),
            "--format",
            "jsonl",
            "-o",
            path_str(&data),
        ];
        if force {
            args.push("--force");
        }
        gloss(&args)
    };
    let out = export(false);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&data).expect("read"), "keep me\n");
    let out = export(true);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&data)
            .expect("read")
            .contains("Vostochny")
    );
}

#[test]
fn brat_export_into_a_folder_with_files_needs_force_and_keeps_other_files() {
    let dir = temp_dir();
    let (project, _) = project_with_article(dir.path());
    let folder = dir.path().join("brat");
    std::fs::create_dir(&folder).expect("mkdir");
    let theirs = folder.join("theirs.ann");
    std::fs::write(&theirs, "E1\tAttack:T1\n").expect("write");
    let args = |force: bool| {
        let mut args = vec![
            "export".to_owned(),
            path_str(&project).to_owned(),
            "--format".to_owned(),
            "brat".to_owned(),
            "-o".to_owned(),
            path_str(&folder).to_owned(),
        ];
        if force {
            args.push("--force".to_owned());
        }
        args
    };
    let refused = gloss(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&refused), 3, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("folder is not empty"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read_dir(&folder).expect("list").count(), 1);
    let forced = gloss(&args(true).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    assert_eq!(
        std::fs::read_to_string(&theirs).expect("kept"),
        "E1\tAttack:T1\n"
    );
    assert!(folder.join("first.txt").exists() && folder.join("first.ann").exists());
}

#[test]
fn import_into_twice_skips_what_is_there_and_says_how_many() {
    let dir = temp_dir();
    let data = dir.path().join("data.jsonl");
    std::fs::write(
        &data,
        "{\"id\": \"a\", \"text\": \"One text.\", \"entities\": []}\n{\"id\": \"b\", \"text\": \"Two text.\", \"entities\": []}\n",
    )
    .expect("write");
    let project = dir.path().join("p.gloss.ron");
    let first = gloss(&[
        "import",
        "--format",
        "jsonl",
        path_str(&data),
        "-o",
        path_str(&project),
    ]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let again = gloss(&[
        "import",
        "--format",
        "jsonl",
        path_str(&data),
        "-o",
        path_str(&project),
        "--into",
    ]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert!(
        stderr(&again).contains("added 0 documents; skipped 2 documents already in the project"),
        "{}",
        stderr(&again)
    );
    assert_eq!(store::load(&project).expect("valid").documents.len(), 2);
    // Without --into (or --force) an existing project is not replaced.
    let replace = gloss(&[
        "import",
        "--format",
        "jsonl",
        path_str(&data),
        "-o",
        path_str(&project),
    ]);
    assert_eq!(code(&replace), 3, "{}", stderr(&replace));
}

#[cfg(unix)]
#[test]
fn a_brat_annotation_file_that_cannot_be_read_is_named_and_strict_fails() {
    let dir = temp_dir();
    let brat = dir.path().join("brat");
    std::fs::create_dir(&brat).expect("mkdir");
    std::fs::write(brat.join("doc.txt"), "Kim met Putin.").expect("write");
    std::os::unix::fs::symlink(dir.path().join("gone.ann"), brat.join("doc.ann")).expect("link");
    let project = dir.path().join("p.gloss.ron");
    let out = gloss(&[
        "import",
        "--format",
        "brat",
        path_str(&brat),
        "-o",
        path_str(&project),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains("not regular files left out") && message.contains("doc.ann"),
        "{message}"
    );
    let strict_project = dir.path().join("strict.gloss.ron");
    let out = gloss(&[
        "import",
        "--format",
        "brat",
        path_str(&brat),
        "-o",
        path_str(&strict_project),
        "--strict",
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("--strict"), "{}", stderr(&out));
    assert!(!strict_project.exists(), "--strict writes nothing");
}

#[test]
fn binary_files_are_not_articles() {
    let dir = temp_dir();
    let (project, _) = project_with_article(dir.path());
    let before = std::fs::read(&project).expect("read");
    let pdf = dir.path().join("report.txt");
    std::fs::write(
        &pdf,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
    )
    .expect("write");
    let elf = dir.path().join("x.txt");
    let mut program = b"\x7fELF\x02\x01\x01\x00".to_vec();
    program.extend(std::iter::repeat_n(0u8, 64));
    std::fs::write(&elf, &program).expect("write");
    for (file, kind) in [
        (&pdf, "looks like PDF"),
        (&elf, "looks like an ELF program"),
    ] {
        let out = gloss(&["add", path_str(&project), path_str(file)]);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        let message = stderr(&out);
        assert!(
            message.contains(&format!("{}: not a text article ({kind})", file.display())),
            "{message}"
        );
        assert_eq!(
            std::fs::read(&project).expect("read"),
            before,
            "nothing is added"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_project_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let (project, article) = project_with_article(dir.path());
    std::fs::set_permissions(&project, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = std::fs::read(&project).expect("read");
    let out = gloss(&["add", path_str(&project), path_str(&article)]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains("read-only") && message.contains("the project was not saved"),
        "{message}"
    );
    assert!(
        !message.contains("added 1 document"),
        "no success is claimed: {message}"
    );
    assert_eq!(std::fs::read(&project).expect("read"), before);
}

#[test]
fn stale_temporary_saves_of_the_project_are_cleaned_and_others_kept() {
    let dir = temp_dir();
    let (project, article) = project_with_article(dir.path());
    let stale = dir.path().join(".p.gloss.ron.gloss-save-Ab12Cd.tmp");
    let other = dir.path().join(".q.gloss.ron.gloss-save-Ab12Cd.tmp");
    std::fs::write(&stale, "half a project").expect("write");
    std::fs::write(&other, "another project's").expect("write");
    let out = gloss(&["add", path_str(&project), path_str(&article)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        !stale.exists(),
        "the project's own stale temporary file is removed"
    );
    assert!(other.exists(), "another project's file is kept");
}

#[test]
fn messages_quote_little_of_the_input_and_speak_the_users_language() {
    let dir = temp_dir();
    // A one-line project of 2 MB whose document status is a 2 MB word: the
    // parser's message quotes the word.
    let long = dir.path().join("long.gloss.ron");
    let word = "y".repeat(2_000_000);
    std::fs::write(
        &long,
        format!(
            "(version: 1, name: \"n\", schema: (entity_types: [], relation_types: []), documents: [(id: \"d\", status: {word})])"
        ),
    )
    .expect("write");
    let out = gloss(&["validate", path_str(&long)]);
    assert_eq!(code(&out), 1);
    let message = stderr(&out);
    assert!(
        message.len() < 400,
        "{} bytes: {}",
        message.len(),
        message.chars().take(400).collect::<String>()
    );
    assert!(
        message.starts_with(&format!("gloss: {}:1:", long.display())),
        "{message}"
    );
    assert!(message.contains("in enum `Status`"), "{message}");

    let nested = dir.path().join("nested.gloss.ron");
    // Deep nesting inside a field Gloss does not know (read and skipped).
    std::fs::write(
        &nested,
        format!(
            "(version: 1, name: \"n\", extra: {}{})",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    )
    .expect("write");
    let out = gloss(&["validate", path_str(&nested)]);
    assert_eq!(code(&out), 1);
    let message = stderr(&out);
    assert!(message.contains("nested too deeply"), "{message}");
    assert!(
        !message.contains("recursion_limit") && !message.contains("serde_stacker"),
        "{message}"
    );

    // An article batch with an error on line 3: one position, in characters.
    let batch = dir.path().join("batch.jsonl");
    std::fs::write(
        &batch,
        "{\"text\": \"one\"}\n{\"text\": \"two\"}\n{\"text\": \"😀😀\", \"id\": }\n",
    )
    .expect("write");
    let project = dir.path().join("p.gloss.ron");
    let out = gloss(&["new", path_str(&project), path_str(&batch)]);
    assert_eq!(code(&out), 1);
    let message = stderr(&out);
    // `{"text": "😀😀", "id": ` is 21 characters: the `}` is column 22.
    assert!(
        message.contains(&format!(
            "{}: line 3, column 22: expected value",
            batch.display()
        )),
        "{message}"
    );
    assert!(!message.contains("at line 1"), "{message}");
    assert!(!project.exists(), "nothing was created");
}

#[test]
fn a_write_failure_is_exit_3() {
    let dir = temp_dir();
    let (project, _) = project_with_article(dir.path());
    let blocker = dir.path().join("plain-file");
    std::fs::write(&blocker, "x").expect("write");
    let out = gloss(&[
        "export",
        path_str(&project),
        "--format",
        "jsonl",
        "-o",
        path_str(&blocker.join("out.jsonl")),
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

/// Kills `gloss add` on a large project at spread-out moments of its save
/// and checks that the file is always the complete old or the complete new
/// project. Returns (trials, how many ended with the new project).
fn kill_during_saves(trials: usize) -> (usize, usize) {
    let dir = temp_dir();
    let project = dir.path().join("big.gloss.ron");
    store::save(&gloss::sample::large_project(300, 3000), &project).expect("save");
    // How long one whole `add` takes here, so the kills can be spread over
    // the load, the edit, the write and the rename, and past the end.
    let timing = dir.path().join("timing.txt");
    std::fs::write(&timing, "An article that measures how long a save takes.").expect("write");
    let started = std::time::Instant::now();
    let out = gloss(&["add", path_str(&project), path_str(&timing)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let full_run = started.elapsed().as_secs_f64();
    let mut documents = store::load(&project).expect("valid").documents.len();
    let mut finished = 0;
    for trial in 0..trials {
        let before = std::fs::read(&project).expect("read");
        let article = dir.path().join(format!("a{trial}.txt"));
        std::fs::write(
            &article,
            format!("Article number {trial} for the crash trial."),
        )
        .expect("write");
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["add", path_str(&project), path_str(&article)])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gloss starts");
        // Low-discrepancy moments from 0 to 1.3 times a whole run.
        let fraction = (trial as f64 * 0.618_033_988_75).fract() * 1.3;
        std::thread::sleep(Duration::from_secs_f64(full_run * fraction));
        let _ = child.kill();
        let _ = child.wait();
        let after = std::fs::read(&project).expect("the project is still there");
        if after == before {
            continue;
        }
        let loaded = store::load(&project)
            .unwrap_or_else(|e| panic!("trial {trial}: the file is neither old nor new: {e}"));
        assert_eq!(loaded.documents.len(), documents + 1, "trial {trial}");
        documents += 1;
        finished += 1;
    }
    // A later good save removes what killed saves left behind.
    let last = dir.path().join("last.txt");
    std::fs::write(&last, "The last article.").expect("write");
    let out = gloss(&["add", path_str(&project), path_str(&last)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gloss-save"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    (trials, finished)
}

#[test]
fn a_kill_during_a_save_leaves_the_old_or_the_new_project() {
    let (trials, _) = kill_during_saves(10);
    assert_eq!(trials, 10);
}

#[test]
#[ignore = "long crash trial; run with --ignored before a release"]
fn a_kill_during_a_save_leaves_the_old_or_the_new_project_long() {
    let (trials, finished) = kill_during_saves(120);
    eprintln!("{trials} kills, {finished} saves completed before the kill");
    assert_eq!(trials, 120);
    // The kills must have hit both before and after the rename, or the
    // trial did not test the moment that matters.
    assert!(finished > 0 && finished < trials, "{finished} of {trials}");
}

// --- Safety II: what an adversarial trial broke ------------------------------

#[cfg(unix)]
#[test]
fn a_link_at_the_lock_path_never_writes_through_it() {
    let dir = temp_dir();
    let (project, second) = project_with_article(dir.path());
    let precious = dir.path().join("precious.txt");
    std::fs::write(&precious, "months of notes").expect("write");
    std::os::unix::fs::symlink(&precious, dir.path().join(".p.gloss.ron.lock")).expect("link");
    let out = gloss(&["add", path_str(&project), path_str(&second)]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("link"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&precious).expect("read"),
        "months of notes"
    );
    assert_eq!(store::load(&project).expect("load").documents.len(), 1);
}

#[cfg(unix)]
#[test]
fn force_never_turns_a_device_into_a_regular_file() {
    let dir = temp_dir();
    let (project, _) = project_with_article(dir.path());
    let null = dir.path().join("null-link");
    std::os::unix::fs::symlink("/dev/null", &null).expect("link");
    for target in [Path::new("/dev/null"), null.as_path()] {
        let out = gloss(&[
            "export",
            path_str(&project),
            "--format",
            "jsonl",
            "-o",
            path_str(target),
            "--force",
        ]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::metadata("/dev/null").expect("stat").file_type();
        assert!(kind.is_char_device(), "/dev/null is still a device");
    }
}

#[test]
fn add_is_all_or_nothing_and_a_missing_article_is_exit_2() {
    let dir = temp_dir();
    let (project, second) = project_with_article(dir.path());
    let before = std::fs::read(&project).expect("read");
    let binary = dir.path().join("image.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0").expect("write");
    let out = gloss(&[
        "add",
        path_str(&project),
        path_str(&second),
        path_str(&binary),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was added"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&project).expect("read"), before, "unchanged");
    let missing = dir.path().join("missing.txt");
    let out = gloss(&["add", path_str(&project), path_str(&missing)]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = gloss(&["add", path_str(&project), path_str(dir.path())]);
    assert_eq!(code(&out), 2, "a folder: {}", stderr(&out));
    assert_eq!(std::fs::read(&project).expect("read"), before, "unchanged");
    // Dataset sources alike.
    let out = gloss(&[
        "import",
        "--format",
        "jsonl",
        path_str(&missing),
        "-o",
        path_str(&dir.path().join("new.gloss.ron")),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = gloss(&[
        "import",
        "--format",
        "doccano",
        path_str(dir.path()),
        "-o",
        path_str(&dir.path().join("new.gloss.ron")),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_exit_3_not_a_panic_and_bad_numbers_are_refused() {
    let dir = temp_dir();
    let (project, _) = project_with_article(dir.path());
    for args in [
        vec!["stats", path_str(&project)],
        vec!["validate", path_str(&project)],
        vec!["agree", path_str(&project), path_str(&project)],
        vec!["export", path_str(&project), "--format", "conll"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(&args)
            .stdout(full)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("runs");
        assert_eq!(code(&out), 3, "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    for wait in ["NaN", "-1", "inf", "1e300"] {
        let out = gloss(&["--wait", wait, "stats", path_str(&project)]);
        assert_eq!(code(&out), 2, "--wait {wait}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}

#[test]
fn fmt_to_the_source_itself_needs_force() {
    let dir = temp_dir();
    let (project, _) = project_with_article(dir.path());
    std::fs::create_dir(dir.path().join("sub")).expect("sub");
    let before = std::fs::read(&project).expect("read");
    let same = dir.path().join("sub/../p.gloss.ron");
    let out = gloss(&["fmt", path_str(&project), "-o", path_str(&same)]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is the project being read"),
        "{}",
        stderr(&out)
    );
    #[cfg(unix)]
    {
        let hard = dir.path().join("hard.gloss.ron");
        std::fs::hard_link(&project, &hard).expect("hard link");
        let out = gloss(&["fmt", path_str(&project), "-o", path_str(&hard)]);
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&project).expect("stat").nlink(), 2);
    }
    assert_eq!(std::fs::read(&project).expect("read"), before);
    let out = gloss(&["fmt", path_str(&project), "-o", path_str(&same), "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_failed_brat_export_leaves_no_half_folder() {
    let dir = temp_dir();
    let (project, second) = project_with_article(dir.path());
    let out = gloss(&["add", path_str(&project), path_str(&second)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let folder = dir.path().join("brat");
    std::fs::create_dir(&folder).expect("folder");
    // The configuration's place is taken by a folder: the last file fails.
    std::fs::create_dir(folder.join("annotation.conf")).expect("blocker");
    let out = gloss(&[
        "export",
        path_str(&project),
        "--format",
        "brat",
        "-o",
        path_str(&folder),
        "--force",
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );
    let left: Vec<String> = std::fs::read_dir(&folder)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["annotation.conf"], "only what was there before");
}
