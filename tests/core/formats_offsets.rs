//! Offsets are code points (Python `str` indices) in every format, also for
//! emoji outside the BMP and Arabic.

use crate::common::py_slice;
use gloss::formats::{self, ExportOptions, Format};
use gloss::model::{Claim, Document, Entity, Project};
use serde_json::Value;

const TEXT: &str = "😀 Kim 👨‍👩‍👧 met محمد بن سلمان in 𝔏ondon.\nقال إن 🇫🇷 Paris is 🔥.";

/// Entities over emoji, Arabic and astral letters, located by substring.
fn project() -> Project {
    let mut doc = Document::new("emoji", "Emoji", TEXT);
    for (i, (needle, label)) in [
        ("Kim", "PER"),
        ("محمد بن سلمان", "PER"),
        ("𝔏ondon", "GPE"),
        ("🇫🇷 Paris", "GPE"),
        ("👨‍👩‍👧", "MISC"),
    ]
    .iter()
    .enumerate()
    {
        let byte = TEXT.find(needle).unwrap();
        let start = TEXT[..byte].chars().count();
        let end = start + needle.chars().count();
        doc.entities.push(Entity::new(
            format!("e{}", i + 1),
            *label,
            start,
            end,
            *needle,
        ));
    }
    let byte = TEXT.find("إن").unwrap();
    let start = TEXT[..byte].chars().count();
    doc.claims.push(Claim::new("c1", start, start + 2, "إن"));
    let mut project = Project::new("emoji");
    project.documents.push(doc.into());
    project
}

fn expected() -> Vec<(usize, usize, String)> {
    project().documents[0]
        .entities
        .iter()
        .map(|e| (e.start, e.end, e.text.to_string()))
        .collect()
}

#[test]
fn offsets_are_not_bytes_or_utf16() {
    // The test would prove nothing if code points, UTF-16 units and bytes agreed.
    let london = TEXT.find("𝔏ondon").unwrap();
    let chars = TEXT[..london].chars().count();
    let utf16 = TEXT[..london].encode_utf16().count();
    assert!(chars != utf16 && chars != london);
    assert_eq!(gloss::model::validate::validate(&project()), []);
}

#[test]
fn jsonl_offsets_slice_like_python() {
    let exported = formats::export(&project(), Format::Jsonl, &ExportOptions::default()).unwrap();
    let line: Value = serde_json::from_slice(&exported.files[0].1).unwrap();
    let text = line["text"].as_str().unwrap();
    let entities = line["entities"].as_array().unwrap();
    assert_eq!(entities.len(), expected().len(), "every entity is exported");
    for (entity, (start, end, quote)) in entities.iter().zip(expected()) {
        let (s, e) = (
            entity["start"].as_u64().unwrap() as usize,
            entity["end"].as_u64().unwrap() as usize,
        );
        assert_eq!((s, e), (start, end));
        assert_eq!(py_slice(text, s, e), quote);
        assert_eq!(entity["text"], quote.as_str());
    }
    assert_eq!(line["claims"].as_array().map(Vec::len), Some(1));
    let claim = &line["claims"][0];
    let (s, e) = (
        claim["start"].as_u64().unwrap() as usize,
        claim["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(py_slice(text, s, e), "إن");
}

#[test]
fn doccano_offsets_slice_like_python() {
    let exported = formats::export(&project(), Format::Doccano, &ExportOptions::default()).unwrap();
    let line: Value = serde_json::from_slice(&exported.files[0].1).unwrap();
    let text = line["text"].as_str().unwrap();
    let labels = line["label"].as_array().unwrap();
    assert_eq!(labels.len(), expected().len(), "every entity is exported");
    for (label, (start, end, quote)) in labels.iter().zip(expected()) {
        let (s, e) = (
            label[0].as_u64().unwrap() as usize,
            label[1].as_u64().unwrap() as usize,
        );
        assert_eq!((s, e), (start, end));
        assert_eq!(py_slice(text, s, e), quote);
    }
}

#[test]
fn brat_offsets_slice_like_python() {
    let exported = formats::export(&project(), Format::Brat, &ExportOptions::default()).unwrap();
    let file = |name: &str| {
        let bytes = exported
            .files
            .iter()
            .find(|(p, _)| p.to_str() == Some(name))
            .unwrap()
            .1
            .clone();
        String::from_utf8(bytes).unwrap()
    };
    let text = file("emoji.txt");
    assert_eq!(text, TEXT);
    let ann = file("emoji.ann");
    let mut spans = 0;
    for line in ann.lines().filter(|l| l.starts_with('T')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let offsets: Vec<usize> = fields[1]
            .split(' ')
            .skip(1)
            .map(|n| n.parse().unwrap())
            .collect();
        let (s, e) = (offsets[0], offsets[1]);
        assert_eq!(py_slice(&text, s, e), fields[2], "{line}");
        spans += 1;
    }
    assert_eq!(spans, 6, "{ann}");
    // And reading it back gives the same spans.
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in &exported.files {
        std::fs::write(dir.path().join(path), bytes).unwrap();
    }
    let imported = formats::import(Format::Brat, &[dir.path()]).unwrap();
    let back: Vec<(usize, usize, String)> = imported.project.documents[0]
        .entities
        .iter()
        .map(|e| (e.start, e.end, e.text.to_string()))
        .collect();
    assert_eq!(back, expected());
}

#[test]
fn conll_tokens_keep_emoji_and_arabic_whole() {
    let exported = formats::export(&project(), Format::Conll, &ExportOptions::default()).unwrap();
    let conll = String::from_utf8(exported.files[0].1.clone()).unwrap();
    assert!(
        conll.contains("محمد\tB-PER\nبن\tI-PER\nسلمان\tI-PER\n"),
        "{conll}"
    );
    assert!(conll.contains("👨‍👩‍👧\tB-MISC\n"), "{conll}");
    assert!(conll.contains("🇫🇷\tB-GPE\nParis\tI-GPE\n"), "{conll}");
}
