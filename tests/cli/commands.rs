//! The `gloss` command line, run as a user runs it: the real binary on real
//! files.

use std::fs;
use std::path::Path;

use crate::common::{corpus, gloss, gloss_within, py_slice, stderr, stdout, temp_dir};
use serde_json::Value;

fn export_jsonl(project: &Path) -> Vec<Value> {
    let out = gloss(&["export", project.to_str().unwrap(), "--format", "jsonl"]);
    assert!(out.status.success(), "export failed: {}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn new_project_from(dir: &Path, name: &str, article: &Path) -> std::path::PathBuf {
    let project = dir.join(name);
    let out = gloss(&["new", project.to_str().unwrap(), article.to_str().unwrap()]);
    assert!(out.status.success(), "new failed: {}", stderr(&out));
    project
}

#[test]
fn utf8_utf16_and_windows_1256_articles_decode_to_the_same_text_and_title() {
    let Some(corpus) = corpus() else { return };
    let dir = temp_dir();
    let mut seen = Vec::new();
    for file in [
        "kim-putin-arms-meeting.txt",
        "kim-putin-arms-meeting.utf16.txt",
        "kim-putin-arms-meeting.cp1256.txt",
    ] {
        let project = new_project_from(
            dir.path(),
            &format!("{file}.ron"),
            &corpus.join("articles").join(file),
        );
        let docs = export_jsonl(&project);
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        seen.push((
            doc["title"].as_str().unwrap().to_owned(),
            doc["text"].as_str().unwrap().to_owned(),
        ));
    }
    let expected = fs::read_to_string(corpus.join("articles/kim-putin-arms-meeting.txt"))
        .unwrap()
        .replace("\r\n", "\n");
    for (title, text) in &seen {
        assert_eq!(
            title,
            "US says N.Korea’s Kim expects arms meeting with Putin"
        );
        assert_eq!(
            text, &expected,
            "the decoded text must be exactly the UTF-8 file's text"
        );
        assert!(
            text.contains("مشاركة"),
            "the Arabic footer survives decoding"
        );
    }
}

#[test]
fn html_page_gives_the_article_without_boilerplate() {
    let Some(corpus) = corpus() else { return };
    let dir = temp_dir();
    let project = new_project_from(
        dir.path(),
        "html.ron",
        &corpus.join("articles/kim-putin-arms-meeting.html"),
    );
    let docs = export_jsonl(&project);
    let text = docs[0]["text"].as_str().unwrap();
    assert_eq!(
        docs[0]["title"],
        "US says N.Korea’s Kim expects arms meeting with Putin"
    );
    // The headline is the document's title and, so it can be tagged, the
    // text's first paragraph; the article's first paragraph follows.
    assert!(
        text.starts_with(
            "US says N.Korea’s Kim expects arms meeting with Putin\n\nKim — who rarely travels outside his country"
        ),
        "{}",
        text.chars().take(120).collect::<String>()
    );
    assert!(
        text.contains(
            "North Korean leader Kim Jong Un expects to meet with President Vladimir Putin"
        )
    );
    assert!(text.contains("“new approaches” to face Russia’s offensive."));
    for boilerplate in [
        "Home",
        "Advertisement",
        "dataLayer",
        "font-family",
        "Related",
        "Other story",
        "Example News",
        "مشاركة",
    ] {
        assert!(
            !text.contains(boilerplate),
            "{boilerplate:?} is boilerplate and must be dropped"
        );
    }
    // The article is the plain-text version's body, exactly (without the
    // page's Arabic "share" footer, which the plain text kept).
    let plain =
        std::fs::read_to_string(corpus.join("articles/kim-putin-arms-meeting.txt")).unwrap();
    let body = &plain[plain.find("Kim — who rarely").unwrap()..plain.find("مشاركة").unwrap()];
    let after_headline = text.split_once("\n\n").map_or(text, |(_, rest)| rest);
    assert_eq!(after_headline.trim(), body.trim());
}

#[test]
fn jsonl_batch_gives_six_documents_and_duplicates_are_skipped() {
    let Some(corpus) = corpus() else { return };
    let dir = temp_dir();
    let batch = corpus.join("articles/efe-batch.jsonl");
    let project = new_project_from(dir.path(), "batch.ron", &batch);
    let stats = gloss(&["stats", project.to_str().unwrap(), "--json"]);
    assert!(stats.status.success());
    let stats: Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert_eq!(stats["documents"], 6);
    let docs = export_jsonl(&project);
    assert_eq!(docs[0]["id"], "esp.train-doc-100");
    assert_eq!(docs[0]["title"], "Por Viruca Atanes Madrid, 24 may (EFE).");

    // Adding the same batch again adds nothing and says so.
    let again = gloss(&["add", project.to_str().unwrap(), batch.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(
        stderr(&again).contains("already in the project"),
        "{}",
        stderr(&again)
    );
    let stats: Value = serde_json::from_str(&stdout(&gloss(&[
        "stats",
        project.to_str().unwrap(),
        "--json",
    ])))
    .unwrap();
    assert_eq!(stats["documents"], 6);
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let dir = temp_dir();
    let project = dir.path().join("p.ron");
    fs::write(&project, "precious").unwrap();
    let out = gloss(&["new", project.to_str().unwrap()]);
    // 3: writing it would replace a file without consent.
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("already exists; use --force to replace it"));
    assert!(stderr(&out).contains("p.ron"));
    assert_eq!(fs::read_to_string(&project).unwrap(), "precious");
    let forced = gloss(&[
        "new",
        project.to_str().unwrap(),
        "--force",
        "--name",
        "Fresh",
    ]);
    assert!(forced.status.success());
    assert!(
        fs::read_to_string(&project)
            .unwrap()
            .contains("name: \"Fresh\"")
    );
}

#[test]
fn unreadable_articles_get_an_error_naming_the_file() {
    let dir = temp_dir();
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, "  \n").unwrap();
    let broken = dir.path().join("broken.jsonl");
    fs::write(&broken, "{\"text\": \"ok\"}\n{not json\n").unwrap();
    let project = dir.path().join("x.ron");
    // Read and found wanting: exit 1; not readable at all: exit 2.
    for (article, what, code) in [
        (empty.as_path(), "the article is empty", 1),
        // The second line's `{not` fails at its second character.
        (
            broken.as_path(),
            "line 2, column 2: key must be a string",
            1,
        ),
        (Path::new("/no/such/article.txt"), "no such file", 2),
    ] {
        let out = gloss(&[
            "new",
            project.to_str().unwrap(),
            "--force",
            article.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
        let message = stderr(&out);
        // What went wrong, with the article; then that the project was not made.
        assert_eq!(
            message.lines().collect::<Vec<_>>(),
            [
                format!("gloss: {}: {what}", article.display()),
                format!("gloss: {}: was not created", project.display()),
            ],
            "{message}"
        );
        assert!(!project.exists(), "no project is written");
    }
}

#[test]
fn save_load_round_trip_is_exact_and_fmt_is_idempotent() {
    let dir = temp_dir();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/kim-putin.gloss.ron");
    let copy = dir.path().join("sample.ron");
    fs::copy(&sample, &copy).unwrap();
    let original = fs::read(&copy).unwrap();
    assert!(gloss(&["fmt", copy.to_str().unwrap()]).status.success());
    assert_eq!(
        fs::read(&copy).unwrap(),
        original,
        "the sample is already canonical"
    );
    let out = dir.path().join("out.ron");
    assert!(
        gloss(&["fmt", copy.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .status
            .success()
    );
    assert!(gloss(&["fmt", out.to_str().unwrap()]).status.success());
    assert_eq!(fs::read(&out).unwrap(), original);

    // In the library: load → save → load is equal, saving twice gives the same bytes.
    let project = gloss::store::load(&copy).unwrap();
    let again = dir.path().join("again.ron");
    gloss::store::save(&project, &again).unwrap();
    let first = fs::read(&again).unwrap();
    gloss::store::save(&project, &again).unwrap();
    assert_eq!(fs::read(&again).unwrap(), first);
    assert_eq!(gloss::store::load(&again).unwrap(), project);
}

/// Writes a broken variant of the sample and checks that `validate` and `fmt`
/// refuse it with a one-line error naming the file, and leave it untouched.
fn assert_refused(dir: &Path, name: &str, bytes: &[u8], expected_code: i32, needle: &str) {
    assert_refused_at(dir, name, bytes, expected_code, needle, None);
}

/// [`assert_refused`], and when `at` is a place (`LINE` or `LINE:COLUMN`),
/// the message says `NAME:AT: NEEDLE`.
fn assert_refused_at(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    expected_code: i32,
    needle: &str,
    at: Option<&str>,
) {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    for command in ["validate", "fmt", "stats"] {
        let out = gloss(&[command, path.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(expected_code),
            "{command} {name}: {}",
            stderr(&out)
        );
        let message = stderr(&out);
        assert!(
            message.contains(name),
            "{command} {name}: the message names the file: {message}"
        );
        assert!(
            message.contains(needle),
            "{command} {name}: expected {needle:?} in {message}"
        );
        if let Some(at) = at {
            let located = format!("{name}:{at}: {needle}");
            assert!(
                message.contains(&located),
                "{command} {name}: expected {located:?} in {message}"
            );
        }
        assert_eq!(
            message.lines().count(),
            1,
            "{command} {name}: one line: {message}"
        );
        assert!(!message.contains("panicked"), "{message}");
        assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "{command} {name}: the file is untouched"
        );
    }
}

#[test]
fn crafted_bad_projects_are_refused_with_clear_messages() {
    let dir = temp_dir();
    let sample = gloss::sample::SAMPLE_RON;
    let replace_once = |from: &str, to: &str| {
        assert!(
            sample.contains(from),
            "fixture text {from:?} is in the sample"
        );
        sample.replacen(from, to, 1).into_bytes()
    };
    // Problems found by validation are located on their line.
    let line_of = |needle: &str| {
        let line = sample.lines().position(|l| l.contains(needle));
        line.expect("the fixture line is in the sample") + 1
    };
    let e1 = line_of("(id: \"e1\",").to_string();
    let in_doc = "document \"kim-putin-arms-meeting\"";
    // Span out of range.
    assert_refused_at(
        dir.path(),
        "range.ron",
        &replace_once(
            "start: 18, end: 21, text: \"Kim\"",
            "start: 18, end: 99999, text: \"Kim\"",
        ),
        1,
        &format!("{in_doc}, \"e1\": span 18..99999 is out of range"),
        Some(&e1),
    );
    // Quote mismatch.
    assert_refused_at(
        dir.path(),
        "quote.ron",
        &replace_once(
            "start: 18, end: 21, text: \"Kim\"",
            "start: 18, end: 21, text: \"Kym\"",
        ),
        1,
        &format!("{in_doc}, \"e1\": span quotes \"Kym\" but the text at 18..21 is \"Kim\""),
        Some(&e1),
    );
    // Duplicate id: e2 renamed e1 (located at the first e1).
    assert_refused_at(
        dir.path(),
        "dup.ron",
        &replace_once("(id: \"e2\",", "(id: \"e1\","),
        1,
        &format!("{in_doc}, \"e1\": annotation id is used twice"),
        Some(&e1),
    );
    // Unknown type.
    assert_refused_at(
        dir.path(),
        "type.ron",
        &replace_once("label: \"DATE\", start: 59", "label: \"WEAPON\", start: 59"),
        1,
        &format!("{in_doc}, \"e3\": unknown entity type \"WEAPON\""),
        Some(&line_of("label: \"DATE\", start: 59").to_string()),
    );
    // Newer version.
    assert_refused(
        dir.path(),
        "newer.ron",
        &replace_once("version: 1,", "version: 7,"),
        1,
        "newer than this Gloss supports",
    );
    // A newer version whose shape changed is still refused as newer.
    assert_refused(
        dir.path(),
        "newer-shape.ron",
        b"(version: 99, name: \"x\", layers: {\"a\": 1})",
        1,
        "newer than this Gloss supports",
    );
    // Truncated file, cut after the first entity: reports where the text
    // stops, just after that entity's line, and what was expected there.
    let cut = sample.find("(id: \"e2\",").expect("the sample has e2");
    let truncated = &sample[..cut];
    let kept = truncated.trim_end();
    let at = format!(
        "{}:{}",
        kept.lines().count(),
        kept.lines().last().unwrap().chars().count() + 1
    );
    assert!(kept.ends_with("canonical: \"kim\"),"), "{kept}");
    assert_refused_at(
        dir.path(),
        "truncated.ron",
        truncated.as_bytes(),
        1,
        "Expected opening `(` for struct `Entity`",
        Some(&at),
    );
    // Invalid UTF-8.
    let mut bad_utf8 = sample.as_bytes().to_vec();
    bad_utf8.splice(200..200, [0xff, 0xfe, 0x80]);
    let before = &sample[..200];
    let at = format!(
        "{}:{}",
        before.split('\n').count(),
        before.split('\n').next_back().unwrap().chars().count() + 1
    );
    assert_refused_at(
        dir.path(),
        "utf8.ron",
        &bad_utf8,
        1,
        "the file is not valid UTF-8 text",
        Some(&at),
    );
    // Empty file.
    assert_refused_at(
        dir.path(),
        "empty.ron",
        b"",
        1,
        "the file is empty, not a Gloss project",
        Some("1:1"),
    );
    // Not RON at all.
    assert_refused_at(
        dir.path(),
        "garbage.ron",
        b"{\"version\": 1}",
        1,
        "Expected opening `(` for struct `Project`",
        Some("1:1"),
    );

    // A directory and a missing file: cannot read (exit 2).
    let folder = dir.path().join("folder.ron");
    fs::create_dir(&folder).unwrap();
    for (path, what) in [
        (
            folder.to_str().unwrap(),
            "is a directory, not a project file",
        ),
        ("/no/such/project.ron", "no such file"),
    ] {
        let out = gloss(&["validate", path]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(stderr(&out), format!("gloss: {path}: {what}\n"));
    }
    assert!(folder.is_dir());
}

#[test]
fn validate_exit_codes() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/kim-putin.gloss.ron");
    let out = gloss(&["validate", sample.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("valid (1 document, 77 annotations)"));
}

#[test]
fn version_0_projects_are_migrated_by_fmt() {
    let dir = temp_dir();
    // Version 0 called an entity's type `type`.
    let old: String = gloss::sample::SAMPLE_RON
        .replacen("version: 1,", "version: 0,", 1)
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("(id: \"e") {
                l.replace("label: \"", "type: \"")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(old.contains("type: \"PER\""));
    let path = dir.path().join("old.ron");
    fs::write(&path, &old).unwrap();
    let valid = gloss(&["validate", path.to_str().unwrap()]);
    assert!(valid.status.success(), "{}", stderr(&valid));
    let out = gloss(&["fmt", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        gloss::sample::SAMPLE_RON
    );
}

#[test]
fn offsets_with_emoji_and_arabic_slice_like_python() {
    use gloss::model::{Document, Entity, Project};
    let dir = temp_dir();
    let text = "Launch 🚀🚀 by Ahmed 😀 in دمشق, said مصدر مطلع 👍🏽 today.";
    let mut project = Project::new("offsets");
    let mut doc = Document::new("d1", "offsets", text);
    for (n, (needle, label)) in [
        ("Ahmed", "PER"),
        ("دمشق", "GPE"),
        ("مصدر مطلع", "PER"),
        ("today", "DATE"),
    ]
    .iter()
    .enumerate()
    {
        let byte = text.find(needle).unwrap();
        let start = text[..byte].chars().count();
        let end = start + needle.chars().count();
        doc.entities.push(Entity::new(
            format!("e{}", n + 1),
            *label,
            start,
            end,
            *needle,
        ));
    }
    project.documents.push(doc.into());
    let path = dir.path().join("offsets.ron");
    gloss::store::save(&project, &path).unwrap();
    let docs = export_jsonl(&path);
    let exported_text = docs[0]["text"].as_str().unwrap();
    let entities = docs[0]["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 4);
    for e in entities {
        let (start, end) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            py_slice(exported_text, start, end),
            e["text"].as_str().unwrap()
        );
    }
    // "Ahmed" comes after two astral characters: UTF-16 offsets would be 2 higher.
    assert_eq!(entities[0]["start"], 13);
}

/// A project with five documents in every status, each with one entity.
fn project_with_statuses(dir: &Path) -> std::path::PathBuf {
    use gloss::model::{Document, Entity, Project, Status};
    let mut project = Project::new("statuses");
    for (id, status) in [
        ("a-new", Status::New),
        ("b-progress", Status::InProgress),
        ("c-done", Status::Done),
        ("d-reviewed", Status::Reviewed),
        ("e-done", Status::Done),
    ] {
        let text = format!("Kim met {id} today.");
        let mut doc = Document::new(id, id, text);
        doc.status = status;
        doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
        project.documents.push(doc.into());
    }
    assert!(gloss::model::validate::validate(&project).is_empty());
    let path = dir.join("statuses.ron");
    gloss::store::save(&project, &path).unwrap();
    path
}

/// The document ids `gloss export PROJECT --format FORMAT EXTRA…` writes, in order.
fn exported_ids(project: &Path, format: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["export", project.to_str().unwrap(), "--format", format];
    args.extend_from_slice(extra);
    let out = gloss(&args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| {
            let line: Value = serde_json::from_str(l).expect("a JSON line");
            line["id"].as_str().expect("a string id").to_owned()
        })
        .collect()
}

#[test]
fn export_filters_by_status_and_document() {
    let dir = temp_dir();
    let project = project_with_statuses(dir.path());
    let all = ["a-new", "b-progress", "c-done", "d-reviewed", "e-done"];
    assert_eq!(exported_ids(&project, "jsonl", &[]), all);
    assert_eq!(
        exported_ids(&project, "jsonl", &["--status", "Done,Reviewed"]),
        ["c-done", "d-reviewed", "e-done"]
    );
    assert_eq!(
        exported_ids(&project, "jsonl", &["--status", "New"]),
        ["a-new"]
    );
    assert_eq!(
        exported_ids(&project, "jsonl", &["--docs", "d-reviewed,a-new"]),
        ["a-new", "d-reviewed"],
        "--docs selects, in project order"
    );
    // Both filters: documents that pass both.
    assert_eq!(
        exported_ids(
            &project,
            "jsonl",
            &["--status", "Done", "--docs", "c-done,d-reviewed"]
        ),
        ["c-done"]
    );
    assert_eq!(
        exported_ids(
            &project,
            "jsonl",
            &["--status", "InProgress", "--docs", "c-done"]
        ),
        Vec::<String>::new()
    );
    // The filters are the export's, not the JSONL writer's.
    assert_eq!(
        exported_ids(
            &project,
            "doccano",
            &[
                "--status",
                "Done,Reviewed",
                "--docs",
                "b-progress,e-done,d-reviewed"
            ]
        ),
        ["d-reviewed", "e-done"]
    );

    // The sample's only document is InProgress; its claims come out whole.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/kim-putin.gloss.ron");
    let s = sample.to_str().unwrap();
    assert_eq!(
        exported_ids(&sample, "jsonl", &["--status", "Done,Reviewed"]),
        Vec::<String>::new()
    );
    let in_progress = gloss(&[
        "export",
        s,
        "--format",
        "jsonl",
        "--status",
        "InProgress",
        "--docs",
        "kim-putin-arms-meeting",
    ]);
    assert!(in_progress.status.success(), "{}", stderr(&in_progress));
    let line: Value = serde_json::from_str(stdout(&in_progress).trim()).unwrap();
    assert_eq!(line["id"], "kim-putin-arms-meeting");
    assert_eq!(line["claims"][0]["claimant"]["text"], "Adrienne Watson");
    assert_eq!(line["claims"][0]["cue"]["text"], "said");
    assert_eq!(line["claims"][1]["checkworthiness"], "CheckWorthy");
    let bad = gloss(&["export", s, "--format", "jsonl", "--status", "Finished"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("unknown status"));
}

#[test]
fn jsonl_export_then_import_through_the_cli_is_lossless() {
    let dir = temp_dir();
    let mut project = gloss::sample::sample_project().unwrap();
    // Exercise the fields that are not in the sample.
    std::sync::Arc::make_mut(&mut project.documents[0]).entities[0].review =
        gloss::model::Review::Accepted;
    std::sync::Arc::make_mut(&mut project.documents[0]).claims[0].review =
        gloss::model::Review::Rejected;
    std::sync::Arc::make_mut(&mut project.documents[0]).claims[0].verdict =
        Some(gloss::model::Verdict::Refutes);
    std::sync::Arc::make_mut(&mut project.documents[0]).claims[0].rating = Some("False".into());
    std::sync::Arc::make_mut(&mut project.documents[0]).claims[0]
        .evidence
        .push(gloss::model::Evidence::Url("https://example.org".into()));
    project.canonical_entities[0].note = Some("Q56226".into());
    let source = dir.path().join("source.ron");
    gloss::store::save(&project, &source).unwrap();
    let jsonl = dir.path().join("out.jsonl");
    let out = gloss(&[
        "export",
        source.to_str().unwrap(),
        "--format",
        "jsonl",
        "-o",
        jsonl.to_str().unwrap(),
        // Lossless: the sample's rejected claim too.
        "--include-rejected",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let imported = dir.path().join("imported.ron");
    let out = gloss(&[
        "import",
        "--format",
        "jsonl",
        jsonl.to_str().unwrap(),
        "-o",
        imported.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let back = gloss::store::load(&imported).unwrap();
    assert_eq!(back.documents, project.documents);
    // JSONL lists canonical entities with their mentions, so they come back in
    // order of first mention.
    let by_id = |list: &[gloss::model::CanonicalEntity]| {
        let mut list = list.to_vec();
        list.sort_by(|a, b| a.id.cmp(&b.id));
        list
    };
    assert_eq!(
        by_id(&back.canonical_entities),
        by_id(&project.canonical_entities)
    );
    // Importing onto an existing file needs --into.
    let again = gloss(&[
        "import",
        "--format",
        "jsonl",
        jsonl.to_str().unwrap(),
        "-o",
        imported.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(3));
    assert!(
        stderr(&again).contains("already exists; use --into to add to it or --force to replace it")
    );
}

#[test]
fn deeply_nested_html_does_not_crash() {
    let dir = temp_dir();
    let page = dir.path().join("deep.html");
    let depth = 100_000;
    let html = format!(
        "<html><body><article>{}deep text{}</article></body></html>",
        "<span>".repeat(depth),
        "</span>".repeat(depth)
    );
    fs::write(&page, html).unwrap();
    let project = dir.path().join("deep.ron");
    let out = gloss(&["new", project.to_str().unwrap(), page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = export_jsonl(&project);
    assert_eq!(docs[0]["text"], "deep text");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_instead_of_blocking() {
    let dir = temp_dir();
    let fifo = dir.path().join("pipe.ron");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    // Opening a FIFO for reading blocks until a writer comes: a binary that
    // tried would be killed here and the test would fail, not hang.
    let within = std::time::Duration::from_secs(30);
    let out = gloss_within(&["validate", fifo.to_str().unwrap()], within);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    let project = dir.path().join("p.ron");
    let out = gloss_within(
        &["new", project.to_str().unwrap(), fifo.to_str().unwrap()],
        within,
    );
    assert_eq!(out.status.code(), Some(2), "a file that cannot be read");
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_export_never_overwrites_a_project_file() {
    let dir = temp_dir();
    let project = dir.path().join("p.ron");
    fs::write(&project, gloss::sample::SAMPLE_RON).unwrap();
    let out = gloss(&[
        "export",
        project.to_str().unwrap(),
        "--format",
        "jsonl",
        "-o",
        project.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains(
            "p.ron: is the project being read; choose another output (nothing was written)"
        ),
        "{}",
        stderr(&out)
    );
    // Another project file is not an export target either, even with --force.
    let other = dir.path().join("other.ron");
    fs::write(&other, "precious").unwrap();
    let out = gloss(&[
        "export",
        project.to_str().unwrap(),
        "--format",
        "jsonl",
        "-o",
        other.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("other.ron: is a project file; an export never replaces one"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&other).unwrap(), "precious");
    assert_eq!(
        fs::read_to_string(&project).unwrap(),
        gloss::sample::SAMPLE_RON
    );
}

#[test]
fn absurd_ids_from_files_do_not_overflow() {
    let dir = temp_dir();
    let project = dir.path().join("ids.ron");
    let text =
        gloss::sample::SAMPLE_RON.replacen("(id: \"e1\",", "(id: \"e18446744073709551615\",", 1);
    fs::write(&project, text).unwrap();
    let loaded = gloss::store::load(&project).unwrap();
    let next = loaded.documents[0].next_id("e");
    assert!(
        loaded.documents[0].entity(&next).is_none(),
        "{next} is free"
    );
    let out_dir = dir.path().join("brat");
    let out = gloss(&[
        "export",
        project.to_str().unwrap(),
        "--format",
        "brat",
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn a_brat_folder_with_a_symlink_cycle_imports_once() {
    let dir = temp_dir();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    fs::write(corpus.join("a.txt"), "Kim met Putin.\n").unwrap();
    fs::write(
        corpus.join("a.ann"),
        "T1\tPER 0 3\tKim\nT2\tPER 8 13\tPutin\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(".", corpus.join("loop")).unwrap();
    let project = dir.path().join("p.ron");
    let out = gloss(&[
        "import",
        "--format",
        "brat",
        corpus.to_str().unwrap(),
        "-o",
        project.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let loaded = gloss::store::load(&project).unwrap();
    assert_eq!(loaded.documents.len(), 1);
    assert_eq!(loaded.documents[0].entities.len(), 2);
}

#[test]
fn rejected_annotations_are_left_out_of_exports_unless_asked_for() {
    use gloss::model::{Document, Entity, Project, Review};
    let dir = temp_dir();
    let mut project = Project::new("reviewed");
    let mut doc = Document::new("d1", "t", "Kim met Putin.");
    doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
    let mut rejected = Entity::new("e2", "PER", 8, 13, "Putin");
    rejected.review = Review::Rejected;
    doc.entities.push(rejected);
    project.documents.push(doc.into());
    let path = dir.path().join("p.ron");
    gloss::store::save(&project, &path).unwrap();
    let export = |extra: &[&str]| {
        let mut args = vec!["export", path.to_str().unwrap(), "--format", "jsonl"];
        args.extend_from_slice(extra);
        gloss(&args)
    };
    let out = export(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    let texts: Vec<&str> = line["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Kim"]);
    assert!(
        stderr(&out)
            .contains("1 annotation rejected in review left out (--include-rejected keeps them)"),
        "{}",
        stderr(&out)
    );
    let out = export(&["--include-rejected"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(line["entities"].as_array().unwrap().len(), 2);
    assert!(!stderr(&out).contains("rejected"), "{}", stderr(&out));
}

#[test]
fn provenance_and_review_comments_go_out_in_jsonl_and_come_back() {
    use gloss::model::{Claim, Document, Entity, Project, Relation, Review};
    let dir = temp_dir();
    let text = "Watson said the talks are advancing.";
    let mut doc = Document::new("d1", "Talks", text);
    let mut watson = Entity::new("e1", "PER", 0, 6, "Watson");
    watson.annotator = Some("ana".into());
    watson.modified = Some("2026-11-29T00:12:03Z".into());
    doc.entities.push(watson);
    let mut claim = Claim::new("c1", 12, 35, "the talks are advancing");
    claim.review = Review::Discuss;
    claim.review_comment = Some("which talks?".into());
    doc.claims.push(claim);
    let mut relation = Relation::new("r1", "Alias", "c1", "e1");
    relation.annotator = Some("ben".into());
    relation.modified = Some("2026-11-29T00:13:00Z".into());
    doc.relations.push(relation);
    let mut project = Project::new("p");
    project.documents.push(doc.into());
    let path = dir.path().join("p.gloss.ron");
    gloss::store::save(&project, &path).unwrap();
    assert!(fs::read_to_string(&path).unwrap().contains("version: 3,"));
    let lines = export_jsonl(&path);
    let line = &lines[0];
    assert_eq!(line["entities"][0]["annotator"], "ana");
    assert_eq!(line["entities"][0]["modified"], "2026-11-29T00:12:03Z");
    assert_eq!(line["claims"][0]["review"], "Discuss");
    assert_eq!(line["claims"][0]["review_comment"], "which talks?");
    assert_eq!(line["relations"][0]["annotator"], "ben");
    assert_eq!(line["relations"][0]["modified"], "2026-11-29T00:13:00Z");
    // And an import of it keeps all of it.
    let jsonl = dir.path().join("p.jsonl");
    fs::write(&jsonl, format!("{line}\n")).unwrap();
    let back = dir.path().join("back.gloss.ron");
    let out = gloss(&[
        "import",
        "--format",
        "jsonl",
        jsonl.to_str().unwrap(),
        "-o",
        back.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("left out"), "{}", stderr(&out));
    let imported = gloss::store::load(&back).unwrap();
    assert_eq!(
        imported.documents[0].entities,
        project.documents[0].entities
    );
    assert_eq!(imported.documents[0].claims, project.documents[0].claims);
    assert_eq!(
        imported.documents[0].relations,
        project.documents[0].relations
    );
}

#[test]
fn adding_a_large_batch_names_a_few_documents_and_counts_the_rest() {
    let dir = temp_dir();
    let batch = dir.path().join("batch.jsonl");
    let lines: Vec<String> = (0..30)
        .map(|n| format!(r#"{{"id": "b{n}", "text": "Article number {n}."}}"#))
        .collect();
    fs::write(&batch, lines.join("\n")).unwrap();
    let project = dir.path().join("p.gloss.ron");
    let out = gloss(&["new", project.to_str().unwrap(), batch.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("added 30 documents: b0, b1, b2, b3, b4, b5, b6, b7, b8, b9 and 20 more"),
        "{err}"
    );
    assert!(!err.contains("b10"), "{err}");
}

#[test]
fn what_goes_with_a_rejected_entity_is_counted_too() {
    use gloss::model::{
        Claim, Claimant, Document, Entity, Project, Relation, RelationType, Review,
    };
    let dir = temp_dir();
    let mut project = Project::new("reviewed");
    project.schema.relation_types.push(RelationType {
        key: "Met".into(),
        name: "Met".into(),
    });
    let mut doc = Document::new("d1", "t", "Kim met Putin. Putin said talks went well.");
    doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
    let mut rejected = Entity::new("e2", "PER", 8, 13, "Putin");
    rejected.review = Review::Rejected;
    doc.entities.push(rejected);
    doc.relations.push(Relation::new("r1", "Met", "e1", "e2"));
    let mut claim = Claim::new("c1", 26, 41, "talks went well");
    claim.claimant = Some(Claimant::Entity("e2".into()));
    doc.claims.push(claim);
    project.documents.push(doc.into());
    let path = dir.path().join("p.ron");
    gloss::store::save(&project, &path).unwrap();
    let out = gloss(&["export", path.to_str().unwrap(), "--format", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "1 annotation rejected in review left out; 1 relation ending at one left out too, 1 claimant naming one kept as plain words"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn conll_says_which_overlapping_entity_it_keeps_and_that_the_layout_is_not_kept() {
    use gloss::model::{Document, Entity, Project};
    let dir = temp_dir();
    let mut project = Project::new("nested");
    let mut doc = Document::new("d1", "t", "Bank\tof  Korea said so.");
    doc.entities
        .push(Entity::new("e1", "ORG", 0, 14, "Bank\tof  Korea"));
    doc.entities.push(Entity::new("e2", "GPE", 9, 14, "Korea"));
    project.documents.push(doc.into());
    let path = dir.path().join("p.ron");
    gloss::store::save(&project, &path).unwrap();
    let out = gloss(&["export", path.to_str().unwrap(), "--format", "conll"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conll = stdout(&out);
    assert!(
        conll.contains("Bank\tB-ORG") && conll.contains("Korea\tI-ORG"),
        "{conll}"
    );
    let err = stderr(&out);
    assert!(
        err.contains("the longest, then the earliest, is kept"),
        "{err}"
    );
    assert!(err.contains("character offsets do not apply"), "{err}");
}

/// Two finished documents to learn from and a new one.
fn suggest_project(dir: &Path) -> std::path::PathBuf {
    use gloss::model::{Document, Entity, Project, Status};
    let mut project = Project::new("suggest");
    let mut learn = |id: &str, text: &str, mentions: &[(&str, &str)]| {
        let mut doc = Document::new(id, id, text);
        for (i, (needle, label)) in mentions.iter().enumerate() {
            let byte = text.find(needle).unwrap();
            let start = text[..byte].chars().count();
            doc.entities.push(Entity::new(
                format!("e{}", i + 1),
                *label,
                start,
                start + needle.chars().count(),
                *needle,
            ));
        }
        doc.status = Status::Done;
        project.documents.push(doc.into());
    };
    learn(
        "a",
        "Kim Jong Un met Vladimir Putin in Vladivostok.\nThe Kremlin said Putin was pleased.",
        &[
            ("Kim Jong Un", "PER"),
            ("Vladimir Putin", "PER"),
            ("Vladivostok", "GPE"),
            ("Kremlin", "ORG"),
            ("Putin", "PER"),
        ],
    );
    learn(
        "b",
        "Putin flew to Beijing on Monday.\nXi Jinping greeted Putin in Beijing.",
        &[("Putin", "PER"), ("Beijing", "GPE"), ("Xi Jinping", "PER")],
    );
    project.documents.push(
        Document::new(
            "new",
            "new",
            "🚀 Vladimir Putin met Xi Jinping in Beijing; the Kremlin said so.",
        )
        .into(),
    );
    let path = dir.join("p.gloss.ron");
    gloss::store::save(&project, &path).unwrap();
    path
}

#[test]
fn suggest_prints_one_json_object_with_code_point_offsets() {
    let dir = temp_dir();
    let path = suggest_project(dir.path());
    let out = gloss(&["suggest", path.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.trim().lines().count(), 1, "one object: {text}");
    let value: Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(value["trained_on"]["documents"], 2);
    assert_eq!(value["trained_on"]["entities"], 8);
    let suggestions = value["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty());
    let project = gloss::store::load(&path).unwrap();
    let doc_text = project.document("new").unwrap().text.clone();
    let mut seen_putin = false;
    for s in suggestions {
        let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["doc", "start", "end", "label", "text", "score", "source"],
            "{s}"
        );
        assert_eq!(s["doc"], "new", "only unfinished documents get suggestions");
        let (start, end) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(py_slice(&doc_text, start, end), s["text"].as_str().unwrap());
        assert!(["dictionary", "model"].contains(&s["source"].as_str().unwrap()));
        let score = s["score"].as_f64().unwrap();
        assert!(
            (0.5..=1.0).contains(&score),
            "the default shows what the app shows"
        );
        seen_putin |= s["text"] == "Vladimir Putin" && s["label"] == "PER";
    }
    assert!(seen_putin, "{text}");
    // --docs limits; an unknown id is refused.
    let out = gloss(&["suggest", path.to_str().unwrap(), "--json", "--docs", "a"]);
    let value: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(value["suggestions"].as_array().unwrap().len(), 0);
    let out = gloss(&["suggest", path.to_str().unwrap(), "--docs", "zzz"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn suggest_apply_writes_another_file_and_never_the_project() {
    let dir = temp_dir();
    let path = suggest_project(dir.path());
    let before = std::fs::read(&path).unwrap();
    let out_path = dir.path().join("out.gloss.ron");
    let out = gloss(&[
        "suggest",
        path.to_str().unwrap(),
        "--apply",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the input is unchanged"
    );
    let applied = gloss::store::load(&out_path).unwrap();
    let new = applied.document("new").unwrap();
    assert!(!new.entities.is_empty());
    assert!(
        new.entities
            .iter()
            .all(|e| e.annotator.as_deref() == Some("gloss-suggest")
                && e.review == gloss::model::Review::Unreviewed)
    );
    // Onto the project itself: refused. Again onto out: needs --force.
    let out = gloss(&[
        "suggest",
        path.to_str().unwrap(),
        "--apply",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let out = gloss(&[
        "suggest",
        path.to_str().unwrap(),
        "--apply",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // --apply without -o is a usage error.
    let out = gloss(&["suggest", path.to_str().unwrap(), "--apply"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn suggest_on_a_project_with_nothing_annotated_hints_and_exits_0() {
    use gloss::model::{Document, Project};
    let dir = temp_dir();
    let mut project = Project::new("fresh");
    project
        .documents
        .push(Document::new("a", "a", "Vladimir Putin met Xi Jinping.").into());
    let path = dir.path().join("p.gloss.ron");
    gloss::store::save(&project, &path).unwrap();
    let out = gloss(&["suggest", path.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing to learn from yet"),
        "{}",
        stderr(&out)
    );
    let value: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(value["trained_on"]["documents"], 0);
    assert_eq!(value["suggestions"].as_array().unwrap().len(), 0);
}

#[test]
fn suggest_warns_of_decisions_that_no_longer_match_and_ignores_them() {
    let dir = temp_dir();
    let path = suggest_project(dir.path());
    let mut project = gloss::store::load(&path).unwrap();
    let doc = std::sync::Arc::make_mut(&mut project.documents[2]);
    doc.suggestion_decisions
        .push(gloss::model::SuggestionDecision {
            start: 2,
            end: 16,
            label: "PER".into(),
            text: "not this text".into(),
            accepted: false,
        });
    gloss::store::save(&project, &path).unwrap();
    let out = gloss(&["suggest", path.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 suggestion decision ignored: no longer matching the text"),
        "{}",
        stderr(&out)
    );
    // Ignored: Vladimir Putin (2..16) is still proposed.
    let value: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert!(
        value["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["start"] == 2 && s["end"] == 16)
    );
}

/// The man pages and shell completions the Debian package installs, rendered
/// from the clap definitions as the binary parses them. Run with
/// `UPDATE_PACKAGE_FILES=1` to write them after changing the command line.
fn packaged_cli_files() -> Vec<(String, Vec<u8>)> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    // The version without the commit, so the files change only with the
    // command line, not with every commit.
    let command = || gloss::cli::Cli::command().version(env!("CARGO_PKG_VERSION"));
    let mut files = Vec::new();
    let mut pages = vec![command()];
    while let Some(page) = pages.pop() {
        let name = page
            .get_display_name()
            .unwrap_or(page.get_name())
            .to_owned();
        let mut roff = Vec::new();
        clap_mangen::Man::new(page.clone())
            .render(&mut roff)
            .expect("rendering into memory");
        files.push((format!("man/{name}.1"), roff));
        for sub in page.get_subcommands().filter(|s| !s.is_hide_set()) {
            let sub = sub
                .clone()
                .display_name(format!("{name}-{}", sub.get_name()))
                .version(env!("CARGO_PKG_VERSION"));
            if sub.get_name() != "help" {
                pages.push(sub);
            }
        }
    }
    for (shell, file) in [
        (Shell::Bash, "gloss.bash"),
        (Shell::Zsh, "_gloss"),
        (Shell::Fish, "gloss.fish"),
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command(), "gloss", &mut script);
        files.push((format!("completions/{file}"), script));
    }
    files.sort();
    files
}

#[test]
fn packaged_man_pages_and_completions_match_the_command_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/package");
    let files = packaged_cli_files();
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"man/gloss.1"), "{names:?}");
    assert!(names.contains(&"man/gloss-export.1"), "{names:?}");
    if std::env::var_os("UPDATE_PACKAGE_FILES").is_some() {
        for sub in ["man", "completions"] {
            let _ = fs::remove_dir_all(dir.join(sub));
            fs::create_dir_all(dir.join(sub)).unwrap();
        }
        for (name, bytes) in &files {
            fs::write(dir.join(name), bytes).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, bytes) in &files {
        if fs::read(dir.join(name)).ok().as_ref() != Some(bytes) {
            stale.push(name.clone());
        }
    }
    // A page for a subcommand that no longer exists would be shipped too.
    let mut extra = Vec::new();
    for sub in ["man", "completions"] {
        for entry in fs::read_dir(dir.join(sub)).into_iter().flatten().flatten() {
            let name = format!("{sub}/{}", entry.file_name().to_string_lossy());
            if !names.contains(&name.as_str()) {
                extra.push(name);
            }
        }
    }
    assert!(
        stale.is_empty() && extra.is_empty(),
        "assets/package is out of date with the command line (stale {stale:?}, extra {extra:?}); \
         run `UPDATE_PACKAGE_FILES=1 cargo test --test cli packaged` and commit the files"
    );
    let page = String::from_utf8_lossy(&files.iter().find(|(n, _)| n == "man/gloss.1").unwrap().1)
        .into_owned();
    assert!(
        page.contains("gloss\\-export(1)"),
        "the main page lists the subcommands' pages"
    );
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = gloss(&["--version"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let version = env!("CARGO_PKG_VERSION");
    assert!(line.starts_with(&format!("gloss {version} (")), "{line}");
    // Either a commit (short hash and date) or, outside a checkout, "unknown commit".
    let inside = line
        .trim_end()
        .trim_start_matches(&format!("gloss {version} ("))
        .trim_end_matches(')');
    let hash = inside.split(' ').next().unwrap_or("");
    assert!(
        inside == "unknown commit"
            || (hash.len() >= 7 && hash.chars().all(|c| c.is_ascii_hexdigit())),
        "{line}"
    );
    // In a git checkout it is this checkout's commit.
    let head = std::process::Command::new("git")
        .args(["log", "-1", "--format=%h"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    if let Ok(head) = head
        && head.status.success()
    {
        let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
        assert_eq!(hash, head, "{line}");
    }
}

#[test]
fn a_mistyped_command_gets_a_suggestion_not_no_such_file() {
    for (typed, meant) in [
        ("exprot", "export"),
        ("valdate", "validate"),
        ("merg", "merge"),
    ] {
        let out = gloss_within(&[typed, "p.gloss.ron"], std::time::Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(2), "{typed}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("did you mean `gloss {meant}`?")),
            "{typed}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
    // A path far from every command name is just a missing file (to the
    // window, which a build without the GUI does not have).
    if !cfg!(feature = "gui") {
        return;
    }
    let out = gloss(&["/no/such/zebra.txt"]);
    assert!(stderr(&out).contains("no such file"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("did you mean"), "{}", stderr(&out));
}

/// `gloss assign` splits a corpus among three annotators with an overlap;
/// each edits their copy; merging the copies back gives every document once,
/// the overlap's differences as disagreements, and `agree` measures the
/// agreement on exactly the shared documents of each pair.
#[test]
fn assign_splits_a_corpus_and_merging_the_edited_copies_rebuilds_it() {
    use std::collections::BTreeSet;
    use std::sync::Arc;
    let dir = temp_dir();
    let batch = dir.path().join("news.jsonl");
    let lines: Vec<String> = (0..30)
        .map(|i| {
            let filler = " and more".repeat(i % 7);
            format!("{{\"id\": \"n{i}\", \"text\": \"Report {i} from Berlin{filler}.\"}}")
        })
        .collect();
    std::fs::write(&batch, lines.join("\n")).unwrap();
    let project = dir.path().join("corpus.gloss.ron");
    let made = gloss(&["new", project.to_str().unwrap(), batch.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    let team = dir.path().join("team");
    let args = |seed: &str| {
        vec![
            "assign".to_owned(),
            project.display().to_string(),
            "--annotators".to_owned(),
            "ana,ben,cy".to_owned(),
            "--overlap".to_owned(),
            "20%".to_owned(),
            "--seed".to_owned(),
            seed.to_owned(),
            "-o".to_owned(),
            team.display().to_string(),
        ]
    };
    let run = |args: Vec<String>| gloss(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let assigned = run(args("4"));
    assert!(assigned.status.success(), "{}", stderr(&assigned));
    assert!(stdout(&assigned).contains("30 documents among 3 annotators, 6 given to two"));

    // The folder has files now: a second run asks for --force.
    let again = run(args("4"));
    assert_eq!(again.status.code(), Some(3), "{}", stderr(&again));
    let first = std::fs::read(team.join("ana.gloss.ron")).unwrap();
    let mut forced = args("4");
    forced.push("--force".to_owned());
    assert!(run(forced).status.success());
    assert_eq!(
        std::fs::read(team.join("ana.gloss.ron")).unwrap(),
        first,
        "reproducible"
    );

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(team.join("assignment.json")).unwrap()).unwrap();
    let owners: Vec<(String, Vec<String>)> = manifest["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let names = d["annotators"].as_array().unwrap();
            (
                d["id"].as_str().unwrap().to_owned(),
                names
                    .iter()
                    .map(|n| n.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(owners.len(), 30);
    assert_eq!(owners.iter().filter(|(_, o)| o.len() == 2).count(), 6);

    // Each annotator tags "Berlin" in every document they have: ana and cy
    // as GPE, ben as LOC.
    for (name, label) in [("ana", "GPE"), ("ben", "LOC"), ("cy", "GPE")] {
        let file = team.join(format!("{name}.gloss.ron"));
        let mut theirs = gloss::store::load(&file).unwrap();
        for doc in &mut theirs.documents {
            let doc = Arc::make_mut(doc);
            let start = doc.text.find("Berlin").unwrap();
            let start = doc.text[..start].chars().count();
            let mut entity = gloss::model::Entity::new("e1", label, start, start + 6, "Berlin");
            entity.annotator = Some(name.into());
            doc.entities.push(entity);
        }
        gloss::store::save(&theirs, &file).unwrap();
    }

    let path = |name: &str| team.join(format!("{name}.gloss.ron")).display().to_string();
    let ab = dir.path().join("ab.gloss.ron").display().to_string();
    let all = dir.path().join("all.gloss.ron").display().to_string();
    let merged = gloss(&["merge", &path("ana"), &path("ben"), "-o", &ab]);
    let shared_ab = owners
        .iter()
        .filter(|(_, o)| o.contains(&"ana".into()) && o.contains(&"ben".into()))
        .count();
    // Exit 1 exactly when ana and ben share a document (GPE against LOC).
    assert_eq!(
        merged.status.code(),
        Some(i32::from(shared_ab > 0)),
        "{}",
        stderr(&merged)
    );
    let merged = gloss(&["merge", &ab, &path("cy"), "-o", &all]);
    assert!(
        matches!(merged.status.code(), Some(0 | 1)),
        "{}",
        stderr(&merged)
    );
    let rebuilt = gloss::store::load(std::path::Path::new(&all)).unwrap();
    let ids: BTreeSet<&str> = rebuilt.documents.iter().map(|d| d.id.as_str()).collect();
    let wanted: BTreeSet<&str> = owners.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(rebuilt.documents.len(), 30, "every document once");
    assert_eq!(ids, wanted);

    // Agreement on the overlap: each pair is compared on what it shares.
    let agreed = gloss(&["agree", &path("ana"), &path("ben"), &path("cy"), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&agreed)).unwrap();
    for pair in report["pairs"].as_array().unwrap() {
        let (a, b) = (pair["a"].as_str().unwrap(), pair["b"].as_str().unwrap());
        // The annotators are named as the assignment named them.
        let shared = owners
            .iter()
            .filter(|(_, o)| o.iter().any(|n| n == a) && o.iter().any(|n| n == b))
            .count();
        assert_eq!(pair["documents"], shared, "{a} and {b}");
    }
}

/// `gloss add` reads every article before it writes anything: a batch that
/// adds nothing leaves the project alone (even a read-only one), and an
/// article that cannot be read is reported as such, not as a failed save.
#[test]
fn add_reads_the_articles_before_writing_and_leaves_the_project_alone_when_nothing_is_new() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let article = dir.path().join("a.txt");
    fs::write(&article, "Kim met Putin in Vladivostok.").unwrap();
    let project = dir.path().join("p.gloss.ron");
    let made = gloss(&["new", project.to_str().unwrap(), article.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    let before = fs::read(&project).unwrap();
    fs::set_permissions(&project, fs::Permissions::from_mode(0o444)).unwrap();

    let again = gloss(&["add", project.to_str().unwrap(), article.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("is already in the project"),
        "{}",
        stderr(&again)
    );

    let missing = dir.path().join("missing.txt");
    let failed = gloss(&["add", project.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("no such file"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(fs::read(&project).unwrap(), before);
    // No temporary file was left beside it either.
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}
