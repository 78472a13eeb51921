//! Random projects (emoji, Arabic, combining marks, line breaks) survive
//! export → import → export unchanged in every readable format, and random
//! input never makes an import panic.

use std::path::Path;

use gloss::formats::{self, ExportOptions, Exported, Format};
use gloss::model::{Document, Entity, Project, Schema};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "Kim",
    "Jong",
    "Un",
    "said",
    "a",
    "B",
    "3.14",
    "U.S.",
    "2022",
    "محمد",
    "بن",
    "سلمان",
    "قال",
    "😀",
    "👨‍👩‍👧",
    "🇫🇷",
    "👍🏽",
    "𝔏ondon",
    "e\u{301}",
    "日本",
    ".",
    ",",
    "!",
    "?",
    "'",
    "\"",
    "(",
    ")",
    "-",
    "—",
    "«",
    "»",
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
];

/// A document from random pieces and random spans, made non-overlapping.
fn document(id: usize, pieces: Vec<usize>, spans: Vec<(usize, usize, usize)>) -> Document {
    let text: String = pieces.iter().map(|&i| PIECES[i % PIECES.len()]).collect();
    let mut doc = Document::new(format!("d{id}"), format!("Doc {id}"), text.clone());
    let len = text.chars().count();
    if len == 0 {
        return doc;
    }
    let labels: Vec<String> = Schema::default()
        .entity_types
        .into_iter()
        .map(|t| t.key)
        .collect();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (start, width, label) in spans {
        let start = start % len;
        let end = (start + 1 + width % 12).min(len);
        if taken.iter().any(|&(s, e)| start < e && s < end) {
            continue;
        }
        taken.push((start, end));
        let quote: String = text.chars().skip(start).take(end - start).collect();
        let id = format!("e{}", doc.entities.len() + 1);
        doc.entities.push(Entity::new(
            id,
            labels[label % labels.len()].clone(),
            start,
            end,
            quote,
        ));
    }
    doc.entities.sort_by_key(|e| e.start);
    doc
}

fn project_strategy() -> impl Strategy<Value = Project> {
    let doc = (
        prop::collection::vec(0..PIECES.len(), 0..40),
        prop::collection::vec((0..1000usize, 0..30usize, 0..7usize), 0..10),
    );
    prop::collection::vec(doc, 1..4).prop_map(|docs| {
        let mut project = Project::new("random");
        for (i, (pieces, spans)) in docs.into_iter().enumerate() {
            project.documents.push(document(i + 1, pieces, spans));
        }
        project
    })
}

fn write(exported: &Exported, dir: &Path, single: &str) {
    for (path, bytes) in &exported.files {
        let target = if path.as_os_str().is_empty() {
            dir.join(single)
        } else {
            dir.join(path)
        };
        std::fs::write(target, bytes).unwrap();
    }
}

/// Exports, reads the export back, exports again: both exports must be equal.
fn stable(project: &Project, format: Format) -> Result<(), TestCaseError> {
    let first = formats::export(project, format, &ExportOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let single = format!("export.{}", format.name());
    write(&first, dir.path(), &single);
    let source = if format == Format::Brat {
        dir.path().to_path_buf()
    } else {
        dir.path().join(&single)
    };
    let imported = formats::import(format, &[&source]).unwrap();
    let problems = gloss::model::validate::validate(&imported.project);
    prop_assert!(problems.is_empty(), "{:?}: {:?}", format, problems);
    let second = formats::export(&imported.project, format, &ExportOptions::default()).unwrap();
    prop_assert_eq!(first.files.len(), second.files.len());
    for ((p1, b1), (p2, b2)) in first.files.iter().zip(&second.files) {
        prop_assert_eq!(p1, p2);
        prop_assert_eq!(
            String::from_utf8_lossy(b1),
            String::from_utf8_lossy(b2),
            "{:?} {}",
            format,
            p1.display()
        );
    }
    Ok(())
}

proptest! {
    // 96 cases by default; `PROPTEST_CASES=5000` for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(96),
        ..ProptestConfig::default()
    })]

    #[test]
    fn jsonl_export_import_export_is_stable(project in project_strategy()) {
        stable(&project, Format::Jsonl)?;
    }

    #[test]
    fn doccano_export_import_export_is_stable(project in project_strategy()) {
        stable(&project, Format::Doccano)?;
    }

    #[test]
    fn brat_export_import_export_is_stable(project in project_strategy()) {
        stable(&project, Format::Brat)?;
    }

    #[test]
    fn conll_export_import_export_is_stable(project in project_strategy()) {
        stable(&project, Format::Conll)?;
    }

    #[test]
    fn random_input_gives_errors_not_panics(
        lines in prop::collection::vec(
            prop::collection::vec(prop::sample::select(vec!["T1", "R1", "E1", "A1", "*", "#1", "N1", "\t", " ", "PER", "0", "5", "3;9", "Arg1:T1", "B-PER", "I-", "O", "-DOCSTART-", "{", "}", "\"text\"", ":", "[", "]", ",", "😀", "é"]), 0..8),
            0..12,
        )
    ) {
        let content: String = lines.iter().map(|l| l.concat() + "\n").collect();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.txt"), "Kim 😀 met Putin.\n").unwrap();
        std::fs::write(dir.path().join("x.ann"), &content).unwrap();
        let _ = formats::import(Format::Brat, &[dir.path()]);
        let file = dir.path().join("x.data");
        std::fs::write(&file, &content).unwrap();
        for format in [Format::Jsonl, Format::Doccano, Format::Conll] {
            if let Ok(imported) = formats::import(format, &[&file]) {
                prop_assert!(gloss::model::validate::validate(&imported.project).is_empty());
            }
        }
    }
}
