//! brat standoff: round trips over the shared brat corpora, and claims.

use crate::common::corpus;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use gloss::formats::{self, ExportOptions, Exported, Format};
use gloss::model::{
    Attribution, Claim, Claimant, Cue, Document, Entity, Project, Relation, Stance, Verdict,
};

/// The exported files by relative path.
fn files(exported: &Exported) -> BTreeMap<String, Vec<u8>> {
    exported
        .files
        .iter()
        .map(|(p, b)| (p.display().to_string(), b.clone()))
        .collect()
}

fn write(exported: &Exported, dir: &Path) {
    for (path, bytes) in &exported.files {
        std::fs::write(dir.join(path), bytes).unwrap();
    }
}

fn t_lines(ann: &str) -> BTreeSet<String> {
    ann.lines()
        .filter(|l| l.starts_with('T'))
        .map(str::to_owned)
        .collect()
}

/// Imports a brat folder, exports it again and checks that every `.txt` is
/// byte for byte the same and every `.ann` has the same `T` lines.
fn round_trip(folder: &Path) -> formats::Imported {
    let imported = formats::import(Format::Brat, &[folder]).unwrap();
    assert!(
        gloss::model::validate::validate(&imported.project).is_empty(),
        "{:?}",
        gloss::model::validate::validate(&imported.project)
    );
    let exported =
        formats::export(&imported.project, Format::Brat, &ExportOptions::default()).unwrap();
    let out = files(&exported);
    let mut documents = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".txt") {
            documents += 1;
            assert_eq!(
                out.get(&name),
                Some(&std::fs::read(&path).unwrap()),
                "{name} differs"
            );
        } else if name.ends_with(".ann") {
            let original = std::fs::read_to_string(&path).unwrap();
            let written = String::from_utf8(out.get(&name).cloned().unwrap_or_default()).unwrap();
            assert_eq!(
                t_lines(&written),
                t_lines(&original),
                "{name}: T lines differ"
            );
        }
    }
    assert_eq!(imported.project.documents.len(), documents);
    assert!(out.contains_key("annotation.conf") && out.contains_key("visual.conf"));
    imported
}

#[test]
fn conll2002_brat_round_trip_keeps_texts_and_entities() {
    let Some(corpus) = corpus() else { return };
    let imported = round_trip(&corpus.join("brat/conll2002-esp"));
    assert_eq!(imported.project.documents.len(), 10);
    let doc = imported.project.document("esp.train-doc-100").unwrap();
    let first = doc.entities.first().unwrap();
    assert_eq!(
        (
            first.id.as_str(),
            first.label.as_str(),
            first.start,
            first.end,
            first.text.as_str()
        ),
        ("T1", "PER", 4, 17, "Viruca Atanes")
    );
    for key in ["ORG", "PER", "LOC", "MISC"] {
        assert!(imported.project.schema.entity_type(key).is_some());
    }
}

#[test]
fn news_tutorial_round_trip_keeps_relations_notes_and_reports_events() {
    let Some(corpus) = corpus() else { return };
    let imported = round_trip(&corpus.join("brat/news-tutorial"));
    let project = &imported.project;
    let warnings = imported.warnings.join("\n");
    assert!(
        warnings.contains("news-tutorial: 23 event (E) lines left out"),
        "{warnings}"
    );
    assert!(
        warnings.contains("note (#) lines on events, relations"),
        "{warnings}"
    );

    // Types and colours come from annotation.conf and visual.conf.
    let person = project.schema.entity_type("Person").unwrap();
    assert_eq!(person.color.to_hex(), "#ff821c");
    assert_eq!(
        project.schema.entity_type("GPE").unwrap().name,
        "Geo-political entity"
    );
    assert!(
        project.schema.entity_type("Merge-org").is_some(),
        "event triggers stay text spans"
    );
    assert!(project.schema.relation_type("Family").is_some());

    // Relations, notes, attributes and the normalization of 000-introduction.
    let intro = project.document("000-introduction").unwrap();
    assert!(
        intro
            .relations
            .contains(&Relation::new("R1", "Family", "T4", "T5"))
    );
    assert_eq!(
        intro.entity("T2").unwrap().note.as_deref(),
        Some("100000000 USD")
    );
    assert_eq!(
        intro.entity("T4").unwrap().note.as_deref(),
        Some("brat:Mention=Name\nbrat:Individual")
    );
    let salinas = project
        .canonical(intro.entity("T5").unwrap().canonical.as_deref().unwrap())
        .unwrap();
    assert_eq!(
        (salinas.name.as_str(), salinas.note.as_deref()),
        ("Carlos Salinas de Gortari", Some("Wikipedia:64488"))
    );
    let notes = project.document("110-note_annotation").unwrap();
    assert_eq!(
        notes.entity("T1").unwrap().note.as_deref(),
        Some("Should fictional places be annotated?")
    );
    assert_eq!(notes.relations.len(), 2);

    // The equivalence T3 = T4 = T5 is one canonical entity.
    let aliases = project.document("060-relation_annotation").unwrap();
    let canonical: BTreeSet<_> = ["T3", "T4", "T5"]
        .iter()
        .map(|id| aliases.entity(id).unwrap().canonical.clone())
        .collect();
    assert_eq!(canonical.len(), 1);
    assert!(canonical.iter().all(Option::is_some));

    // Export writes them back.
    let exported = formats::export(project, Format::Brat, &ExportOptions::default()).unwrap();
    let out = files(&exported);
    let intro_ann = String::from_utf8(out["000-introduction.ann"].clone()).unwrap();
    assert!(
        intro_ann.contains("\tFamily Arg1:T4 Arg2:T5\n"),
        "{intro_ann}"
    );
    assert!(
        intro_ann.contains("\tAnnotatorNotes T2\t100000000 USD\n"),
        "{intro_ann}"
    );
    assert!(
        intro_ann.contains("\tMention T4 Name\n") && intro_ann.contains("\tIndividual T4\n"),
        "{intro_ann}"
    );
    assert!(
        intro_ann.contains("\tReference T5 Wikipedia:64488\tCarlos Salinas de Gortari\n"),
        "{intro_ann}"
    );
    let alias_ann = String::from_utf8(out["060-relation_annotation.ann"].clone()).unwrap();
    assert!(alias_ann.contains("*\tEquiv T3 T4 T5\n"), "{alias_ann}");
    let conf = String::from_utf8(out["visual.conf"].clone()).unwrap();
    assert!(conf.contains("Person\tbgColor:#ff821c"), "{conf}");
}

#[test]
fn claims_round_trip_through_brat() {
    let text = "Kirby said North Korea supplied rockets. “It is a failure”, Putin said.";
    let mut doc = Document::new("kim", "Kim", text);
    let span = |s: &str| {
        let byte = text.find(s).unwrap();
        let start = text[..byte].chars().count();
        (start, start + s.chars().count())
    };
    let (s, e) = span("Kirby");
    doc.entities.push(Entity::new("e1", "PER", s, e, "Kirby"));
    let (s, e) = span("Putin");
    let mut putin = Entity::new("T7", "PER", s, e, "Putin");
    putin.note = Some("Russian president\nbrat:Mention=Name".into());
    doc.entities.push(putin);
    let (s, e) = span("North Korea supplied rockets");
    let mut claim = Claim::new("c1", s, e, "North Korea supplied rockets");
    claim.claimant = Some(Claimant::Entity("e1".into()));
    let (cs, ce) = span("said");
    claim.cue = Some(Cue {
        start: cs,
        end: ce,
        text: "said".into(),
    });
    claim.verdict = Some(Verdict::Supports);
    claim.stance = Some(Stance::Discuss);
    claim.note = Some("check the 2022 report".into());
    doc.claims.push(claim);
    let (s, e) = span("It is a failure");
    let mut quote = Claim::new("c2", s, e, "It is a failure");
    quote.attribution = Attribution::DirectQuote;
    quote.claimant = Some(Claimant::Text("the Kremlin".into()));
    doc.claims.push(quote);
    doc.relations
        .push(Relation::new("r1", "Mentions", "c2", "T7"));
    let mut project = Project::new("claims");
    project.documents.push(doc.into());

    let exported = formats::export(&project, Format::Brat, &ExportOptions::default()).unwrap();
    let ann = String::from_utf8(files(&exported)["kim.ann"].clone()).unwrap();
    assert!(ann.contains("T7\tPER 60 65\tPutin\n"), "{ann}");
    assert!(
        ann.contains("T8\tPER 0 5\tKirby\n"),
        "entity ids that are not brat ids get fresh numbers: {ann}"
    );
    assert!(
        ann.contains("\tClaim 11 39\tNorth Korea supplied rockets\n"),
        "{ann}"
    );
    assert!(ann.contains("\tClaimant Arg1:T9 Arg2:T8\n"), "{ann}");
    assert!(
        ann.contains("\tVerdict T9 Supports\n") && ann.contains("\tAttribution T10 DirectQuote\n"),
        "{ann}"
    );
    assert!(
        ann.contains("\tAnnotatorNotes T7\tRussian president\n")
            && ann.contains("\tMention T7 Name\n"),
        "{ann}"
    );
    assert!(ann.contains("\tMentions Arg1:T10 Arg2:T7\n"), "{ann}");
    assert!(
        exported
            .warnings
            .iter()
            .any(|w| w.contains("1 free-text claimant left out")),
        "{:?}",
        exported.warnings
    );

    let dir = tempfile::tempdir().unwrap();
    write(&exported, dir.path());
    let imported = formats::import(Format::Brat, &[dir.path()]).unwrap();
    let back = imported.project.document("kim").unwrap();
    assert_eq!(back.text, text);
    let claim = back.claim("T9").unwrap();
    assert_eq!(claim.claimant, Some(Claimant::Entity("T8".into())));
    assert_eq!(claim.cue.as_ref().map(|c| c.text.as_str()), Some("said"));
    assert_eq!(
        (claim.verdict, claim.stance),
        (Some(Verdict::Supports), Some(Stance::Discuss))
    );
    assert_eq!(claim.note.as_deref(), Some("check the 2022 report"));
    assert_eq!(
        back.claim("T10").unwrap().attribution,
        Attribution::DirectQuote
    );
    assert_eq!(back.entities.len(), 2, "the cue is no entity");
    assert_eq!(
        back.entity("T7").unwrap().note.as_deref(),
        Some("Russian president\nbrat:Mention=Name")
    );
    assert!(gloss::model::validate::validate(&imported.project).is_empty());
    // And a second export is the same as the first.
    let again =
        formats::export(&imported.project, Format::Brat, &ExportOptions::default()).unwrap();
    assert_eq!(files(&again)["kim.ann"], files(&exported)["kim.ann"]);
}

#[test]
fn discontinuous_spans_and_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "New York and\nLondon ok").unwrap();
    std::fs::write(
        dir.path().join("a.ann"),
        "T1\tGPE 0 3;9 12\tNew and\nT2\tLOC 4 8;13 19\tYork London\nX1\tstrange\n",
    )
    .unwrap();
    let imported = formats::import(Format::Brat, &[dir.path()]).unwrap();
    let doc = imported.project.document("a").unwrap();
    assert_eq!(
        (
            doc.entity("T1").unwrap().start,
            doc.entity("T1").unwrap().end
        ),
        (0, 12)
    );
    let warnings = imported.warnings.join("\n");
    assert!(
        warnings.contains("2 discontinuous spans read as their covering span"),
        "{warnings}"
    );
    assert!(
        warnings.contains("1 unknown line left out (a.ann:3)"),
        "{warnings}"
    );

    std::fs::write(
        dir.path().join("a.ann"),
        "T1\tGPE 0 3\tNew\nT2\tLOC 4 99\tYork\n",
    )
    .unwrap();
    let error = formats::import(Format::Brat, &[dir.path()])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("a.ann:2:") && error.contains("does not fit"),
        "{error}"
    );
    std::fs::write(dir.path().join("a.ann"), "T1\tGPE zero 3\tNew\n").unwrap();
    let error = formats::import(Format::Brat, &[dir.path()])
        .unwrap_err()
        .to_string();
    assert!(error.contains("a.ann:1:"), "{error}");
}

#[test]
fn a_claimant_whose_entity_is_left_out_is_not_linked() {
    // An entity of line breaks only cannot be a brat T line; a claim naming
    // it as claimant must not link to a T line that was never written.
    let mut project = Project::new("p");
    let mut doc = Document::new("d1", "t", "Kim\n\nsaid it rains.");
    doc.entities.push(Entity::new("e1", "PER", 3, 5, "\n\n"));
    let mut claim = Claim::new("c1", 10, 18, "it rains");
    claim.claimant = Some(Claimant::Entity("e1".into()));
    doc.claims.push(claim);
    project.documents.push(doc.into());
    let exported = formats::export(&project, Format::Brat, &ExportOptions::default()).unwrap();
    let files = files(&exported);
    let ann = String::from_utf8(files["d1.ann"].clone()).unwrap();
    let t_ids: BTreeSet<&str> = ann
        .lines()
        .filter(|l| l.starts_with('T'))
        .filter_map(|l| l.split('\t').next())
        .collect();
    for line in ann.lines().filter(|l| l.contains("Claimant")) {
        let target = line.rsplit("Arg2:").next().unwrap().trim();
        assert!(
            t_ids.contains(target),
            "{line} links to a T line that is not there:\n{ann}"
        );
    }
    assert!(
        exported
            .warnings
            .iter()
            .any(|w| w.contains("1 claimant naming a missing entity left out")),
        "{:?}",
        exported.warnings
    );
}
