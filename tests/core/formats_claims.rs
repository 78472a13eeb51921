//! Claim exports (CSV, ClaimReview) and the lossless Gloss JSONL round trip.

use gloss::formats::{self, ExportOptions, Format};
use gloss::model::{
    Attribution, CanonicalEntity, CheckWorthiness, Claim, ClaimType, Claimant, Cue, Document,
    Entity, Evidence, Project, Relation, Stance, Status, Verdict,
};
use serde_json::Value;

const TEXT: &str = "John Kirby said North Korea supplied rockets to Russia in 2022. The White House warned it would grow.";

fn at(needle: &str) -> (usize, usize) {
    let byte = TEXT.find(needle).unwrap();
    let start = TEXT[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// Two claims: one fact-checked with every field, one without a verdict.
fn project() -> Project {
    let mut doc = Document::new("kirby", "Kirby on arms", TEXT);
    doc.source = Some("https://example.org/kirby".into());
    doc.date = Some("2023-09-04".into());
    doc.status = Status::Done;
    let (s, e) = at("John Kirby");
    let mut kirby = Entity::new("e1", "PER", s, e, "John Kirby");
    kirby.canonical = Some("k1".into());
    kirby.note = Some("NSC spokesman".into());
    kirby.annotator = Some("ana".into());
    doc.entities.push(kirby);
    let (s, e) = at("North Korea");
    doc.entities
        .push(Entity::new("e2", "GPE", s, e, "North Korea"));
    let (s, e) = at("North Korea supplied rockets to Russia in 2022");
    let mut claim = Claim::new("c1", s, e, "North Korea supplied rockets to Russia in 2022");
    claim.claimant = Some(Claimant::Entity("e1".into()));
    let (cs, ce) = at("said");
    claim.cue = Some(Cue {
        start: cs,
        end: ce,
        text: "said".into(),
    });
    claim.attribution = Attribution::IndirectQuote;
    claim.checkworthiness = Some(CheckWorthiness::CheckWorthy);
    claim.claim_type = Some(ClaimType::Quantity);
    claim.stance = Some(Stance::Agree);
    claim.verdict = Some(Verdict::Supports);
    claim.rating = Some("Mostly true".into());
    claim.summary = Some("North Korea armed Russia in 2022".into());
    claim.evidence = vec![Evidence::Url("https://example.org/report".into())];
    doc.claims.push(claim);
    let (s, e) = at("it would grow");
    let mut warned = Claim::new("c2", s, e, "it would grow");
    warned.claimant = Some(Claimant::Text("The White House".into()));
    warned.claim_type = Some(ClaimType::Prediction);
    doc.claims.push(warned);
    doc.relations
        .push(Relation::new("r1", "Mentions", "c1", "e2"));
    let mut project = Project::new("claims");
    project.canonical_entities.push(CanonicalEntity {
        id: "k1".into(),
        name: "John F. Kirby".into(),
        label: "PER".into(),
        note: None,
    });
    project.documents.push(doc.into());
    assert_eq!(gloss::model::validate::validate(&project), []);
    project
}

#[test]
fn csv_has_one_row_per_claim_with_every_column() {
    let exported = formats::export(&project(), Format::Csv, &ExportOptions::default()).unwrap();
    let mut reader = csv::Reader::from_reader(exported.files[0].1.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "document",
            "claim_id",
            "claim",
            "claimant",
            "cue",
            "attribution",
            "checkworthiness",
            "claim_type",
            "stance",
            "verdict",
            "rating",
            "summary",
            "start",
            "end"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let (s, e) = at("North Korea supplied rockets to Russia in 2022");
    assert_eq!(
        rows[0],
        [
            "kirby",
            "c1",
            "North Korea supplied rockets to Russia in 2022",
            "John Kirby",
            "said",
            "IndirectQuote",
            "CheckWorthy",
            "Quantity",
            "Agree",
            "Supports",
            "Mostly true",
            "North Korea armed Russia in 2022",
            &s.to_string(),
            &e.to_string(),
        ]
    );
    let (s, e) = at("it would grow");
    assert_eq!(
        rows[1],
        [
            "kirby",
            "c2",
            "it would grow",
            "The White House",
            "",
            "IndirectQuote",
            "",
            "Prediction",
            "",
            "",
            "",
            "",
            &s.to_string(),
            &e.to_string()
        ]
    );
    assert_eq!(rows.len(), 2);
    assert!(
        exported
            .warnings
            .iter()
            .any(|w| w.contains("1 claim evidence item left out")),
        "{:?}",
        exported.warnings
    );
}

#[test]
fn claimreview_covers_claims_with_a_verdict() {
    let exported =
        formats::export(&project(), Format::ClaimReview, &ExportOptions::default()).unwrap();
    let reviews: Value = serde_json::from_slice(&exported.files[0].1).unwrap();
    let reviews = reviews.as_array().unwrap();
    assert_eq!(reviews.len(), 1);
    let review = &reviews[0];
    assert_eq!(review["@context"], "https://schema.org");
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(review["claimReviewed"], "North Korea armed Russia in 2022");
    let item = &review["itemReviewed"];
    assert_eq!(item["@type"], "Claim");
    assert_eq!(
        item["author"],
        serde_json::json!({"@type": "Person", "name": "John Kirby"})
    );
    assert_eq!(item["appearance"]["url"], "https://example.org/kirby");
    assert_eq!(item["firstAppearance"]["url"], "https://example.org/kirby");
    assert_eq!(item["datePublished"], "2023-09-04");
    assert_eq!(
        review["reviewRating"],
        serde_json::json!({"@type": "Rating", "alternateName": "Mostly true"})
    );
    assert!(
        exported
            .warnings
            .iter()
            .any(|w| w.contains("1 claim without a verdict left out (kirby c2)")),
        "{:?}",
        exported.warnings
    );
}

#[test]
fn jsonl_import_reads_back_every_field() {
    let original = project();
    let exported = formats::export(&original, Format::Jsonl, &ExportOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.jsonl");
    std::fs::write(&path, &exported.files[0].1).unwrap();
    let imported = formats::import(Format::Jsonl, &[&path]).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(imported.project.documents, original.documents);
    assert_eq!(
        imported.project.canonical_entities,
        original.canonical_entities
    );
    assert_eq!(imported.project.schema, original.schema);
    assert_eq!(gloss::model::validate::validate(&imported.project), []);

    // Merging into a project that has another canonical entity "k1" renames
    // the imported one and its mentions.
    let mut target = Project::new("target");
    target.canonical_entities.push(CanonicalEntity {
        id: "k1".into(),
        name: "Other".into(),
        label: "ORG".into(),
        note: None,
    });
    formats::merge_into(&mut target, imported.project).unwrap();
    assert_eq!(
        target.canonical("k2").map(|c| c.name.as_str()),
        Some("John F. Kirby")
    );
    assert_eq!(
        target.documents[0].entities[0].canonical.as_deref(),
        Some("k2")
    );
    assert_eq!(gloss::model::validate::validate(&target), []);

    // Malformed lines name the file and line.
    std::fs::write(
        &path,
        format!(
            "{}{{\"id\": \"x\"}}\n",
            String::from_utf8(exported.files[0].1.clone()).unwrap()
        ),
    )
    .unwrap();
    let error = formats::import(Format::Jsonl, &[&path])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("claims.jsonl:2:") && error.contains("\"text\" is missing"),
        "{error}"
    );
}

#[test]
fn jsonl_names_a_canonical_entity_no_exported_mention_refers_to() {
    let mut project = gloss::sample::sample_project().unwrap();
    project
        .canonical_entities
        .push(gloss::model::CanonicalEntity {
            id: "lavrov".to_owned(),
            name: "Sergei Lavrov".to_owned(),
            label: "PER".to_owned(),
            note: None,
        });
    let exported = formats::export(&project, Format::Jsonl, &ExportOptions::default()).unwrap();
    assert_eq!(
        exported.warnings,
        vec!["jsonl: 1 canonical entity without an exported mention left out (lavrov)"]
    );
}

#[test]
fn formats_without_document_metadata_say_they_left_it_out() {
    let project = gloss::sample::sample_project().unwrap();
    for format in [Format::Conll, Format::Brat] {
        let exported = formats::export(&project, format, &ExportOptions::default()).unwrap();
        let wanted = format!(
            "{}: 1 document with title or metadata left out (kim-putin-arms-meeting (title, source, date, status))",
            format.name()
        );
        assert!(
            exported.warnings.contains(&wanted),
            "{:?}",
            exported.warnings
        );
    }
}
