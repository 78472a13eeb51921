//! CoNLL BIO2: export of the brat CoNLL-2002 sample, overlaps, and reading
//! other tag schemes.

use crate::common::corpus;

use gloss::formats::{self, ExportOptions, Format};
use gloss::model::{Document, Entity, Project};

/// Entities of a BIO2 file, per document: (type, tokens).
fn parse_bio(conll: &str) -> Vec<Vec<(String, Vec<String>)>> {
    let mut documents: Vec<Vec<(String, Vec<String>)>> = Vec::new();
    let mut open = false;
    for line in conll.lines() {
        if line.starts_with("-DOCSTART-") {
            documents.push(Vec::new());
            open = false;
            continue;
        }
        if line.is_empty() {
            open = false;
            continue;
        }
        let (token, tag) = line.split_once('\t').unwrap();
        let doc = documents.last_mut().unwrap();
        if let Some(label) = tag.strip_prefix("B-") {
            doc.push((label.to_owned(), vec![token.to_owned()]));
            open = true;
        } else if let Some(label) = tag.strip_prefix("I-") {
            assert!(open, "I- without B-: {line}");
            let last = doc.last_mut().unwrap();
            assert_eq!(last.0, label);
            last.1.push(token.to_owned());
        } else {
            assert_eq!(tag, "O");
            open = false;
        }
    }
    documents
}

#[test]
fn conll_export_of_conll2002_rebuilds_every_entity() {
    let Some(corpus) = corpus() else { return };
    let imported = formats::import(Format::Brat, &[&corpus.join("brat/conll2002-esp")]).unwrap();
    let exported =
        formats::export(&imported.project, Format::Conll, &ExportOptions::default()).unwrap();
    // Nothing is left out but the brat file each document came from; the
    // last note says the text's layout is not kept.
    let documents = imported.project.documents.len();
    assert_eq!(exported.warnings.len(), 2, "{:?}", exported.warnings);
    assert!(
        exported.warnings[1].contains("character offsets do not apply"),
        "{:?}",
        exported.warnings
    );
    assert!(
        exported.warnings[0].starts_with(&format!(
            "conll: {documents} document{} with title or metadata left out (",
            if documents == 1 { "" } else { "s" }
        )) && exported.warnings[0].contains(" (source)")
            && !exported.warnings[0].contains("(title"),
        "{:?}",
        exported.warnings
    );
    let conll = String::from_utf8(exported.files[0].1.clone()).unwrap();
    let documents = parse_bio(&conll);
    assert_eq!(documents.len(), imported.project.documents.len());
    let mut total = 0;
    for (doc, found) in imported.project.documents.iter().zip(&documents) {
        let mut expected: Vec<&Entity> = doc.entities.iter().collect();
        expected.sort_by_key(|e| e.start);
        assert_eq!(found.len(), expected.len(), "{}", doc.id);
        for (entity, (label, tokens)) in expected.iter().zip(found) {
            assert_eq!(&entity.label, label);
            let squeezed: String = entity.text.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(tokens.concat(), squeezed, "{} {}", doc.id, entity.id);
        }
        total += expected.len();
    }
    assert!(total > 100, "{total} entities");
    // Spanish accents survive and sentences are split.
    assert!(
        conll.contains("Viruca\tB-PER\nAtanes\tI-PER\n"),
        "{}",
        &conll[..400]
    );
    assert!(
        conll.contains("(\tO\nEFE\tB-ORG\n)\tO\n.\tO\n\n"),
        "{}",
        &conll[..400]
    );

    // Reading the CoNLL back gives the same entities, and exporting again
    // gives the same file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("esp.conll");
    std::fs::write(&path, &conll).unwrap();
    let back = formats::import(Format::Conll, &[&path]).unwrap();
    assert_eq!(back.project.documents.len(), documents.len());
    assert_eq!(back.project.documents[0].id, "esp-1");
    assert!(gloss::model::validate::validate(&back.project).is_empty());
    let again = formats::export(&back.project, Format::Conll, &ExportOptions::default()).unwrap();
    assert_eq!(String::from_utf8(again.files[0].1.clone()).unwrap(), conll);
}

fn nested() -> Project {
    let text = "The Bank of England in London said so.";
    let mut doc = Document::new("nested", "Nested", text);
    doc.entities
        .push(Entity::new("e1", "ORG", 4, 19, "Bank of England"));
    doc.entities
        .push(Entity::new("e2", "GPE", 12, 19, "England"));
    doc.entities
        .push(Entity::new("e3", "GPE", 23, 29, "London"));
    doc.entities
        .push(Entity::new("e4", "LOC", 20, 29, "in London"));
    let mut project = Project::new("nested");
    project.documents.push(doc.into());
    project
}

#[test]
fn nested_entities_keep_the_outermost_and_warn_or_fail_when_strict() {
    let project = nested();
    let exported = formats::export(&project, Format::Conll, &ExportOptions::default()).unwrap();
    let conll = String::from_utf8(exported.files[0].1.clone()).unwrap();
    assert_eq!(
        conll,
        "-DOCSTART-\tO\n\nThe\tO\nBank\tB-ORG\nof\tI-ORG\nEngland\tI-ORG\nin\tB-LOC\nLondon\tI-LOC\nsaid\tO\nso\tO\n.\tO\n\n"
    );
    let warning = exported
        .warnings
        .iter()
        .find(|w| w.contains("overlapping"))
        .expect("an overlap warning");
    assert!(warning.starts_with("conll: 2 overlapping"), "{warning}");
    assert!(
        warning.contains("nested GPE 12..19") && warning.contains("nested GPE 23..29"),
        "{warning}"
    );

    let strict = ExportOptions {
        strict: true,
        ..ExportOptions::default()
    };
    let error = formats::export(&project, Format::Conll, &strict)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("2 overlapping") && error.contains("nested GPE 12..19"),
        "{error}"
    );
}

#[test]
fn entity_boundaries_inside_words_split_tokens() {
    let text = "Kimchi from Seoul-based firms.\nSecond line";
    let mut doc = Document::new("d", "D", text);
    doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
    doc.entities.push(Entity::new("e2", "GPE", 12, 17, "Seoul"));
    doc.entities
        .push(Entity::new("e3", "MISC", 28, 39, "s.\nSecond l"));
    let mut project = Project::new("p");
    project.documents.push(doc.into());
    let exported = formats::export(&project, Format::Conll, &ExportOptions::default()).unwrap();
    let conll = String::from_utf8(exported.files[0].1.clone()).unwrap();
    assert_eq!(
        conll,
        "-DOCSTART-\tO\n\nKim\tB-PER\nchi\tO\nfrom\tO\nSeoul\tB-GPE\n-\tO\nbased\tO\nfirm\tO\ns\tB-MISC\n.\tI-MISC\nSecond\tI-MISC\nl\tI-MISC\nine\tO\n\n"
    );
}

#[test]
fn import_reads_iob1_bioes_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.txt");
    std::fs::write(
        &path,
        "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\ncall NN I-NP O\n\nPeter\tB-PER\nBlackburn\tI-PER\n\n\
         -DOCSTART- -X- -X- O\n\nNew\tB-LOC\nYork\tE-LOC\nand\tO\nParis\tS-LOC\nKim\tU-PER\nJong\tB-PER\nUn\tL-PER\n",
    )
    .unwrap();
    let imported = formats::import(Format::Conll, &[&path]).unwrap();
    let docs = &imported.project.documents;
    assert_eq!(docs.len(), 2);
    assert_eq!(
        (docs[0].id.as_str(), docs[0].text.as_str()),
        ("mixed-1", "EU rejects German call\nPeter Blackburn")
    );
    let found: Vec<(&str, &str)> = docs[0]
        .entities
        .iter()
        .map(|e| (e.label.as_str(), e.text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("ORG", "EU"),
            ("MISC", "German"),
            ("PER", "Peter Blackburn")
        ]
    );
    let found: Vec<(&str, &str)> = docs[1]
        .entities
        .iter()
        .map(|e| (e.label.as_str(), e.text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("LOC", "New York"),
            ("LOC", "Paris"),
            ("PER", "Kim"),
            ("PER", "Jong Un")
        ]
    );
    assert!(gloss::model::validate::validate(&imported.project).is_empty());

    std::fs::write(&path, "EU\tB-ORG\nrejects\tX-FOO\n").unwrap();
    let error = formats::import(Format::Conll, &[&path])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("mixed.txt:2:") && error.contains("X-FOO"),
        "{error}"
    );
}

/// Chinese is written without spaces: its CoNLL tokens are the words of the
/// one word definition (a dictionary), not single characters, so 北京 is
/// one token, B-GPE.
#[test]
fn chinese_tokens_are_dictionary_words() {
    let text = "我在北京大学学习。";
    let mut doc = Document::new("d", "D", text);
    doc.entities.push(Entity::new("e1", "GPE", 2, 4, "北京"));
    let mut project = Project::new("p");
    project.documents.push(doc.into());
    let exported = formats::export(&project, Format::Conll, &ExportOptions::default()).unwrap();
    let conll = String::from_utf8(exported.files[0].1.clone()).unwrap();
    assert!(conll.contains("\n北京\tB-GPE\n大学\tO\n"), "{conll}");
}
