//! doccano JSONL: round trip of the shared samples and the relation shape.

use crate::common::corpus;

use gloss::formats::{self, ExportOptions, Format};
use gloss::model::{Claim, Document, Entity, Project};
use serde_json::Value;

fn lines(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn sequence_labeling_round_trip_is_identical() {
    let Some(corpus) = corpus() else { return };
    let source = corpus.join("doccano/sequence_labeling.jsonl");
    let imported = formats::import(Format::Doccano, &[&source]).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert!(gloss::model::validate::validate(&imported.project).is_empty());
    let exported = formats::export(
        &imported.project,
        Format::Doccano,
        &ExportOptions::default(),
    )
    .unwrap();
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
    let original = lines(&std::fs::read(&source).unwrap());
    let written = lines(&exported.files[0].1);
    assert_eq!(written.len(), original.len());
    for (n, (mut written, original)) in written.into_iter().zip(original).enumerate() {
        // The source lines have no id: Gloss names them after the file and line,
        // and writes that id; everything else is exactly the source line.
        assert!(original.get("id").is_none());
        let id = written.as_object_mut().unwrap().remove("id");
        assert_eq!(
            id,
            Some(Value::from(format!("sequence_labeling-{}", n + 1)))
        );
        assert_eq!(written, original, "line {}", n + 1);
    }
    // Written ids are read back as the document ids: a second round trip is
    // byte for byte the same.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("again.jsonl");
    std::fs::write(&path, &exported.files[0].1).unwrap();
    let again = formats::import(Format::Doccano, &[&path]).unwrap();
    let twice =
        formats::export(&again.project, Format::Doccano, &ExportOptions::default()).unwrap();
    assert_eq!(twice.files[0].1, exported.files[0].1);
}

#[test]
fn relation_extraction_import_keeps_relations() {
    let Some(corpus) = corpus() else { return };
    let source = corpus.join("doccano/relation_extraction.jsonl");
    let imported = formats::import(Format::Doccano, &[&source]).unwrap();
    let project = &imported.project;
    assert!(gloss::model::validate::validate(project).is_empty());
    let doc = project.document("relation_extraction-1").unwrap();
    let text = |id: &str| doc.entity(id).unwrap().text.as_str();
    let found: Vec<(&str, &str, &str)> = doc
        .relations
        .iter()
        .map(|r| (text(&r.from), r.label.as_str(), text(&r.to)))
        .collect();
    assert_eq!(
        found,
        [
            ("Google", "foundedAt", "September 4, 1998"),
            ("Google", "foundedBy", "Larry Page"),
            ("Google", "foundedBy", "Sergey Brin"),
        ]
    );
    assert!(project.schema.entity_type("PERSON").is_some());
    assert!(project.schema.relation_type("foundedBy").is_some());
    // The label shape has no relations: exporting says so.
    let exported = formats::export(project, Format::Doccano, &ExportOptions::default()).unwrap();
    assert!(
        exported
            .warnings
            .iter()
            .any(|w| w.contains("3 relations left out")),
        "{:?}",
        exported.warnings
    );
    let line = &lines(&exported.files[0].1)[0];
    assert_eq!(
        line["label"],
        serde_json::json!([
            [0, 6, "ORG"],
            [22, 39, "DATE"],
            [44, 54, "PERSON"],
            [59, 70, "PERSON"]
        ])
    );
}

#[test]
fn claims_are_counted_and_bad_lines_name_the_line() {
    let mut doc = Document::new("7", "Seven", "Kim said it works.");
    doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
    doc.claims.push(Claim::new("c1", 9, 17, "it works"));
    let mut project = Project::new("p");
    project.documents.push(doc.into());
    let exported = formats::export(&project, Format::Doccano, &ExportOptions::default()).unwrap();
    assert_eq!(
        std::str::from_utf8(&exported.files[0].1).unwrap(),
        "{\"id\":7,\"text\":\"Kim said it works.\",\"label\":[[0,3,\"PER\"]],\"title\":\"Seven\"}\n"
    );
    assert!(
        exported
            .warnings
            .iter()
            .any(|w| w.contains("1 claim left out")),
        "{:?}",
        exported.warnings
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, "{\"text\": \"abc\", \"label\": [[0, 2, \"X\"]]}\n{\"text\": \"abc\", \"label\": [[1, 9, \"X\"]]}\n").unwrap();
    let error = formats::import(Format::Doccano, &[&path])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("bad.jsonl:2:") && error.contains("out of range"),
        "{error}"
    );
    std::fs::write(&path, "{\"text\": \"abc\", \"label\": [[0, 2]]}\n").unwrap();
    let error = formats::import(Format::Doccano, &[&path])
        .unwrap_err()
        .to_string();
    assert!(error.contains("bad.jsonl:1:"), "{error}");
    std::fs::write(&path, "not json\n").unwrap();
    assert!(
        formats::import(Format::Doccano, &[&path])
            .unwrap_err()
            .to_string()
            .contains("bad.jsonl:1:")
    );
}

#[test]
fn annotator_names_in_doccano_files_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"doc_id": 23, "text": "Barack Obama met Kim.", "label": [[0, 12, "PER"]], "username": "admin"}"#,
            "\n",
            r#"{"text": "Google hired Larry Page.", "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 6, "user": "ana"}, {"id": 2, "label": "PER", "start_offset": 13, "end_offset": 23, "user": 7}], "relations": []}"#,
            "\n",
        ),
    )
    .unwrap();
    let imported = formats::import(Format::Doccano, &[&path]).unwrap();
    let names: Vec<Vec<Option<&str>>> = imported
        .project
        .documents
        .iter()
        .map(|d| d.entities.iter().map(|e| e.annotator.as_deref()).collect())
        .collect();
    assert_eq!(
        names,
        [vec![Some("admin")], vec![Some("ana"), Some("user 7")]]
    );
}

#[test]
fn document_metadata_goes_out_as_line_keys_and_comes_back() {
    let mut doc = Document::new("d1", "Kim meets Putin", "Kim met Putin.");
    doc.date = Some("2023-09-04".to_owned());
    doc.source = Some("https://example.org/kim".to_owned());
    doc.status = gloss::model::Status::Done;
    let mut project = Project::new("metadata");
    project.documents.push(doc.into());
    let exported = formats::export(&project, Format::Doccano, &ExportOptions::default()).unwrap();
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
    let line = &lines(&exported.files[0].1)[0];
    assert_eq!(line["title"], "Kim meets Putin");
    assert_eq!(line["date"], "2023-09-04");
    assert_eq!(line["status"], "Done");
    assert!(line.get("byline").is_none(), "unset fields are not written");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("meta.jsonl");
    std::fs::write(&path, &exported.files[0].1).unwrap();
    let imported = formats::import(Format::Doccano, &[&path]).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let back = &imported.project.documents[0];
    assert_eq!(back.title, "Kim meets Putin");
    assert_eq!(back.date.as_deref(), Some("2023-09-04"));
    assert_eq!(back.source.as_deref(), Some("https://example.org/kim"));
    assert_eq!(back.status, gloss::model::Status::Done);
}

#[test]
fn a_doccano_line_whose_own_metadata_gloss_cannot_read_is_imported_with_it_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("theirs.jsonl");
    std::fs::write(
        &path,
        "{\"id\": 1, \"text\": \"Kim met Putin.\", \"label\": [[0, 3, \"PER\"]], \"status\": \"approved\", \"date\": 20230904, \"title\": \"Summit\"}\n",
    )
    .unwrap();
    let imported = formats::import(Format::Doccano, &[&path]).unwrap();
    let doc = &imported.project.documents[0];
    assert_eq!(doc.title, "Summit");
    assert_eq!(doc.status, gloss::model::Status::New);
    assert_eq!(doc.date, None);
    assert_eq!(doc.entities.len(), 1);
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    let warning = &imported.warnings[0];
    assert!(
        warning.contains("2 fields left out")
            && warning.contains("\"date\"")
            && warning.contains("\"status\""),
        "{warning}"
    );
}
