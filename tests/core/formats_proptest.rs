//! Random projects (emoji, Arabic, combining marks, line breaks; entities
//! with notes and canonical links, claims with every field, relations) go
//! through export → import in every readable format. What the format holds
//! comes back equal to the original; what it cannot hold is counted in the
//! warnings; export → import → export gives the same files. Random input,
//! noise and well-formed lines with mutated fields alike, never makes an
//! import panic or produce an invalid project.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gloss::formats::{self, ExportOptions, Exported, Format, Imported};
use gloss::model::{
    Attribution, CanonicalEntity, CheckWorthiness, Claim, ClaimType, Claimant, CompactString, Cue,
    Document, Entity, Evidence, Project, Relation, Review, Schema, Stance, Status, Verdict,
};
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

/// The canonical entities documents may link to: one with a `DB:ID`
/// reference (brat writes `N` lines), one with a free note, one without.
fn canonical_pool() -> Vec<CanonicalEntity> {
    vec![
        CanonicalEntity {
            id: "kim".into(),
            name: "Kim Jong Un".into(),
            label: "PER".into(),
            note: Some("Wikipedia:64488".into()),
        },
        CanonicalEntity {
            id: "moscow".into(),
            name: "Moscow".into(),
            label: "GPE".into(),
            note: None,
        },
        CanonicalEntity {
            id: "someone".into(),
            name: "Someone".into(),
            label: "PER".into(),
            note: Some("an unnamed official".into()),
        },
    ]
}

/// Hands out choices from a list of random numbers, round and round.
struct Dice<'a> {
    numbers: &'a [u16],
    next: usize,
}

impl Dice<'_> {
    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        let number = self.numbers.get(self.next % self.numbers.len().max(1));
        self.next += 1;
        usize::from(number.copied().unwrap_or(0)) % n.max(1)
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// `None` or one of `items`, even odds.
    fn maybe<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (self.below(2) == 1).then(|| self.pick(items))
    }

    /// A non-empty span of up to 12 characters of a text of `len` characters.
    fn span(&mut self, text: &str, len: usize) -> (usize, usize, String) {
        let start = self.below(len);
        let end = (start + 1 + self.below(12)).min(len);
        (
            start,
            end,
            text.chars().skip(start).take(end - start).collect(),
        )
    }
}

/// A document from random pieces and spans (entities made non-overlapping),
/// with claims, relations and entity extras chosen by `dice`.
fn document(
    id: usize,
    pieces: &[usize],
    spans: &[(usize, usize, usize)],
    dice: &[u16],
) -> Document {
    let text: String = pieces.iter().map(|&i| PIECES[i % PIECES.len()]).collect();
    let doc_id = format!("d{id}");
    let mut doc = Document::new(doc_id.clone(), format!("Doc {id}"), text.clone());
    let mut dice = Dice {
        numbers: dice,
        next: 0,
    };
    doc.status = dice.pick(&Status::ALL);
    doc.date = dice.pick(&[None, Some("2023-09-05".to_owned())]);
    doc.source = dice.pick(&[None, Some("https://example.org/a".to_owned())]);
    doc.byline = dice.pick(&[None, Some("Ana Ruiz".to_owned())]);
    doc.site_name = dice.pick(&[None, Some("Example News".to_owned())]);
    doc.language = dice.pick(&[None, Some("ar".to_owned())]);
    doc.direction = dice.pick(&[None, Some("rtl".to_owned())]);
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
    for &(start, width, label) in spans {
        let start = start % len;
        let end = (start + 1 + width % 12).min(len);
        if taken.iter().any(|&(s, e)| start < e && s < end) {
            continue;
        }
        taken.push((start, end));
        let quote: String = text.chars().skip(start).take(end - start).collect();
        let mut entity = Entity::new(
            format!("e{}", doc.entities.len() + 1),
            labels[label % labels.len()].clone(),
            start,
            end,
            quote,
        );
        entity.note = dice.pick(&[
            None,
            None,
            Some("checked".into()),
            Some("two\nlines".into()),
        ]);
        entity.annotator = dice.pick(&[None, None, Some("ana".into())]);
        entity.modified = dice.pick(&[None, Some("2026-11-29T00:12:03Z".into())]);
        entity.review = dice.pick(&[
            Review::Unreviewed,
            Review::Unreviewed,
            Review::Accepted,
            Review::Rejected,
        ]);
        entity.canonical = dice.pick(&[
            None,
            None,
            Some("kim".into()),
            Some("moscow".into()),
            Some("someone".into()),
        ]);
        doc.entities.push(entity);
    }
    doc.entities.sort_by_key(|e| e.start);
    let entity_ids: Vec<CompactString> = doc.entities.iter().map(|e| e.id.clone()).collect();
    // Any entity can claim, one of line breaks only too: brat export must
    // then leave the claimant out and say so, not link to a T line it did
    // not write.
    let claimants: Vec<CompactString> = entity_ids.clone();
    for n in 0..dice.below(4) {
        let (start, end, quote) = dice.span(&text, len);
        if doc.claims.iter().any(|c| (c.start, c.end) == (start, end)) {
            continue;
        }
        let mut claim = Claim::new(format!("c{}", n + 1), start, end, quote);
        claim.claimant = match dice.below(3) {
            0 if !claimants.is_empty() => Some(Claimant::Entity(dice.pick(&claimants))),
            1 => Some(Claimant::Text("a spokesman".into())),
            _ => None,
        };
        if dice.below(2) == 0 {
            let (start, end, text) = dice.span(&text, len);
            claim.cue = Some(Cue {
                start,
                end,
                text: text.into(),
            });
        }
        claim.attribution = dice.pick(Attribution::ALL);
        claim.checkworthiness = dice.maybe(CheckWorthiness::ALL);
        claim.claim_type = dice.maybe(ClaimType::ALL);
        claim.stance = dice.maybe(Stance::ALL);
        claim.verdict = dice.maybe(Verdict::ALL);
        claim.rating = dice.maybe(&[CompactString::from("False")]);
        if dice.below(2) == 0 {
            claim
                .evidence
                .push(Evidence::Url("https://example.org/fact".into()));
        }
        if dice.below(2) == 0 {
            let (start, end, text) = dice.span(&text, len);
            claim.evidence.push(Evidence::Span {
                doc: doc_id.clone(),
                start,
                end,
                text,
            });
        }
        claim.summary = dice.pick(&[None, Some("arms talks".into())]);
        claim.note = dice.pick(&[None, Some("verify".into()), Some("one\ntwo".into())]);
        claim.annotator = dice.pick(&[None, Some("bo".into())]);
        claim.modified = dice.pick(&[None, Some("2026-11-28T23:00:00Z".into())]);
        claim.review = dice.pick(&[Review::Unreviewed, Review::Accepted, Review::Discuss]);
        if claim.review == Review::Discuss {
            claim.review_comment = dice.pick(&[None, Some("who said it?".into())]);
        }
        doc.claims.push(claim);
    }
    let ends: Vec<CompactString> = entity_ids
        .iter()
        .cloned()
        .chain(doc.claims.iter().map(|c| c.id.clone()))
        .collect();
    let relation_labels: Vec<String> = Schema::default()
        .relation_types
        .into_iter()
        .map(|t| t.key)
        .collect();
    if !ends.is_empty() {
        for n in 0..dice.below(4) {
            let mut relation = Relation::new(
                format!("r{}", n + 1),
                dice.pick(&relation_labels),
                dice.pick(&ends),
                dice.pick(&ends),
            );
            relation.annotator = dice.pick(&[None, Some("cy".into())]);
            relation.modified = dice.pick(&[None, Some("2026-11-29T01:02:03Z".into())]);
            doc.relations.push(relation);
        }
    }
    doc
}

type DocParts = (Vec<usize>, Vec<(usize, usize, usize)>, Vec<u16>);

fn project_strategy() -> impl Strategy<Value = Project> {
    let doc = (
        prop::collection::vec(0..PIECES.len(), 0..40),
        prop::collection::vec((0..1000usize, 0..30usize, 0..7usize), 0..10),
        prop::collection::vec(any::<u16>(), 1..64),
    );
    prop::collection::vec(doc, 1..4).prop_map(|docs: Vec<DocParts>| {
        let mut project = Project::new("random");
        for (i, (pieces, spans, dice)) in docs.iter().enumerate() {
            project
                .documents
                .push(document(i + 1, pieces, spans, dice).into());
        }
        // Only canonical entities something links to: JSONL carries them on
        // their mentions.
        project.canonical_entities = canonical_pool()
            .into_iter()
            .filter(|c| {
                project
                    .documents
                    .iter()
                    .flat_map(|d| &d.entities)
                    .any(|e| e.canonical.as_deref() == Some(c.id.as_str()))
            })
            .collect();
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

/// Writes `exported` to a fresh folder and imports it (checking that the
/// result is valid). Returns the import, the source read and its folder.
fn import_export(
    exported: &Exported,
    format: Format,
) -> Result<(Imported, PathBuf, tempfile::TempDir), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let single = format!("export.{}", format.name());
    write(exported, dir.path(), &single);
    let source = if format == Format::Brat {
        dir.path().to_path_buf()
    } else {
        dir.path().join(&single)
    };
    let imported = formats::import(format, &[&source]).unwrap();
    let problems = gloss::model::validate::validate(&imported.project);
    prop_assert!(problems.is_empty(), "{:?}: {:?}", format, problems);
    Ok((imported, source, dir))
}

/// Exports, reads the export back and exports again: both exports must be
/// equal. Returns the first export, the import and the source it was read from.
/// (brat too when it left a span of line breaks only or a relation to it
/// out: what is left out takes no id, so nothing after it is renumbered.)
fn round_trip(
    project: &Project,
    format: Format,
) -> Result<(Exported, Imported, PathBuf), TestCaseError> {
    prop_assert_eq!(gloss::model::validate::validate(project), vec![]);
    // Every annotation, rejected ones too: the formats are under test here.
    let everything = ExportOptions {
        include_rejected: true,
        ..ExportOptions::default()
    };
    let first = formats::export(project, format, &everything).unwrap();
    let (imported, source, _dir) = import_export(&first, format)?;
    let second = formats::export(&imported.project, format, &everything).unwrap();
    let reference = &first;
    prop_assert_eq!(reference.files.len(), second.files.len());
    for ((p1, b1), (p2, b2)) in reference.files.iter().zip(&second.files) {
        prop_assert_eq!(p1, p2);
        prop_assert_eq!(
            String::from_utf8_lossy(b1),
            String::from_utf8_lossy(b2),
            "{:?} {}",
            format,
            p1.display()
        );
    }
    Ok((first, imported, source))
}

/// `warnings` are exactly one line `PREFIX N WHAT…` for each `(N, WHAT)` with
/// N > 0, in any order, and nothing else.
fn assert_warnings(
    warnings: &[String],
    prefix: &str,
    expected: &[(usize, &str)],
) -> Result<(), TestCaseError> {
    let wanted: Vec<String> = expected
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{prefix}{n} {}", counted(what, *n)))
        .collect();
    for head in &wanted {
        let found = warnings.iter().filter(|w| w.starts_with(head.as_str()));
        prop_assert_eq!(found.count(), 1, "{:?} in {:#?}", head, warnings);
    }
    prop_assert_eq!(
        warnings.len(),
        wanted.len(),
        "expected only {:#?}, got {:#?}",
        wanted,
        warnings
    );
    Ok(())
}

/// A warning's `what` for `n` things: "line(s)" reads "1 line", "2 lines".
fn counted(what: &str, n: usize) -> String {
    if n == 1 {
        what.replace("y(ies)", "y").replace("(s)", "")
    } else {
        what.replace("y(ies)", "ies").replace("(s)", "s")
    }
}

/// The warning of a format that holds no document metadata, and how many
/// of `project`'s documents it counts: those with a title other than their
/// id, any optional field, or a status past New.
const METADATA_LOST: &str = "document(s) with title or metadata left out";

fn documents_with_metadata(project: &Project) -> usize {
    project
        .documents
        .iter()
        .filter(|d| {
            d.title != d.id
                || d.source.is_some()
                || d.date.is_some()
                || d.byline.is_some()
                || d.site_name.is_some()
                || d.language.is_some()
                || d.direction.is_some()
                || d.status != Status::New
        })
        .count()
}

/// Counts the entities of `project` for which `lost` holds.
fn count_entities(project: &Project, lost: impl Fn(&Entity) -> bool) -> usize {
    project
        .documents
        .iter()
        .flat_map(|d| &d.entities)
        .filter(|e| lost(e))
        .count()
}

/// Entity fields that doccano and CoNLL cannot hold, with their warnings.
fn entity_extras(project: &Project) -> [(usize, &'static str); 5] {
    [
        (
            count_entities(project, |e| e.note.is_some()),
            "entity note(s) left out",
        ),
        (
            count_entities(project, |e| e.canonical.is_some()),
            "canonical entity link(s) left out",
        ),
        (
            count_entities(project, |e| e.annotator.is_some()),
            "annotator name(s) left out",
        ),
        (
            count_entities(project, |e| e.modified.is_some()),
            "modification time(s) left out",
        ),
        (
            count_entities(project, |e| e.review != Review::Unreviewed),
            "review state(s) left out",
        ),
    ]
}

fn claims_and_relations(project: &Project) -> (usize, usize) {
    let docs = &project.documents;
    (
        docs.iter().map(|d| d.claims.len()).sum(),
        docs.iter().map(|d| d.relations.len()).sum(),
    )
}

/// Code points `start..end` of `text`, as Python slices a `str`.
fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// The lines of a single-file export as JSON values.
fn json_lines(exported: &Exported) -> Vec<serde_json::Value> {
    String::from_utf8(exported.files[0].1.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn offsets(value: &serde_json::Value) -> (usize, usize) {
    let number = |key: &str| value[key].as_u64().expect("an offset") as usize;
    (number("start"), number("end"))
}

/// JSONL holds everything: the file's offsets are the project's and slice
/// its text like Python; the import is the original.
fn check_jsonl(project: &Project) -> Result<(), TestCaseError> {
    let (exported, imported, _) = round_trip(project, Format::Jsonl)?;
    let lines = json_lines(&exported);
    prop_assert_eq!(lines.len(), project.documents.len());
    for (doc, line) in project.documents.iter().zip(&lines) {
        let text = line["text"].as_str().unwrap();
        let entities = line["entities"].as_array().unwrap();
        prop_assert_eq!(entities.len(), doc.entities.len());
        for (e, json) in doc.entities.iter().zip(entities) {
            let (start, end) = offsets(json);
            prop_assert_eq!((start, end), (e.start, e.end));
            prop_assert_eq!(py_slice(text, start, end), e.text.as_str());
        }
        let claims = line["claims"].as_array().unwrap();
        prop_assert_eq!(claims.len(), doc.claims.len());
        for (c, json) in doc.claims.iter().zip(claims) {
            let (start, end) = offsets(json);
            prop_assert_eq!((start, end), (c.start, c.end));
            prop_assert_eq!(py_slice(text, start, end), c.text.as_str());
            if let Some(cue) = &c.cue {
                let (start, end) = offsets(&json["cue"]);
                prop_assert_eq!((start, end), (cue.start, cue.end));
                prop_assert_eq!(py_slice(text, start, end), cue.text.as_str());
            }
        }
    }
    prop_assert_eq!(&exported.warnings, &Vec::<String>::new());
    prop_assert_eq!(&imported.warnings, &Vec::<String>::new());
    prop_assert_eq!(&imported.project.documents, &project.documents);
    let by_id = |list: &[CanonicalEntity]| {
        let mut list = list.to_vec();
        list.sort_by(|a, b| a.id.cmp(&b.id));
        list
    };
    prop_assert_eq!(
        by_id(&imported.project.canonical_entities),
        by_id(&project.canonical_entities)
    );
    Ok(())
}

/// doccano holds ids, texts and entity spans and types; the rest is counted.
fn check_doccano(project: &Project) -> Result<(), TestCaseError> {
    let (exported, imported, _) = round_trip(project, Format::Doccano)?;
    // The file's labels are the entities, in code points.
    let lines = json_lines(&exported);
    prop_assert_eq!(lines.len(), project.documents.len());
    for (doc, line) in project.documents.iter().zip(&lines) {
        let labels: Vec<(u64, u64, CompactString)> = line["label"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let label = CompactString::from(l[2].as_str().unwrap());
                (l[0].as_u64().unwrap(), l[1].as_u64().unwrap(), label)
            })
            .collect();
        let expected: Vec<(u64, u64, CompactString)> = doc
            .entities
            .iter()
            .map(|e| (e.start as u64, e.end as u64, e.label.clone()))
            .collect();
        prop_assert_eq!(labels, expected);
    }
    let back = &imported.project;
    prop_assert_eq!(back.documents.len(), project.documents.len());
    for (doc, got) in project.documents.iter().zip(&back.documents) {
        prop_assert_eq!(&got.id, &doc.id);
        prop_assert_eq!(&got.text, &doc.text);
        let spans = |d: &Document| -> Vec<(usize, usize, CompactString, CompactString)> {
            d.entities
                .iter()
                .map(|e| (e.start, e.end, e.label.clone(), e.text.clone()))
                .collect()
        };
        prop_assert_eq!(spans(got), spans(doc));
        prop_assert!(got.claims.is_empty() && got.relations.is_empty());
        // The metadata travels as the line's other keys.
        prop_assert_eq!(&got.title, &doc.title);
        prop_assert_eq!(
            (
                &got.date,
                &got.byline,
                &got.site_name,
                &got.language,
                &got.direction,
                got.status
            ),
            (
                &doc.date,
                &doc.byline,
                &doc.site_name,
                &doc.language,
                &doc.direction,
                doc.status
            )
        );
        if doc.source.is_some() {
            prop_assert_eq!(&got.source, &doc.source);
        }
    }
    let (claims, relations) = claims_and_relations(project);
    let mut expected = vec![
        (
            claims,
            "claim(s) left out (doccano labels hold entities only)",
        ),
        (relations, "relation(s) left out (the label shape has none)"),
    ];
    expected.extend(entity_extras(project));
    assert_warnings(&exported.warnings, "doccano: ", &expected)?;
    prop_assert_eq!(&imported.warnings, &Vec::<String>::new());
    Ok(())
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// CoNLL holds tokens and entity types: the import has the same documents,
/// the same text up to whitespace, and the same entities (but those of
/// whitespace only, which have no token and are counted).
fn check_conll(project: &Project) -> Result<(), TestCaseError> {
    let (exported, imported, _) = round_trip(project, Format::Conll)?;
    let back = &imported.project;
    prop_assert_eq!(back.documents.len(), project.documents.len());
    let mut blank = 0;
    for (doc, got) in project.documents.iter().zip(&back.documents) {
        prop_assert_eq!(without_whitespace(&got.text), without_whitespace(&doc.text));
        let expected: Vec<(CompactString, String)> = doc
            .entities
            .iter()
            .map(|e| (e.label.clone(), without_whitespace(&e.text)))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        blank += doc.entities.len() - expected.len();
        let found: Vec<(CompactString, String)> = got
            .entities
            .iter()
            .map(|e| (e.label.clone(), without_whitespace(&e.text)))
            .collect();
        prop_assert_eq!(found, expected, "{:?}", doc.text);
        prop_assert!(got.claims.is_empty() && got.relations.is_empty());
    }
    let (claims, relations) = claims_and_relations(project);
    let mut expected = vec![
        (blank, "entity(ies) of whitespace only left out (no token)"),
        (claims, "claim(s) left out (CoNLL holds entities only)"),
        (
            relations,
            "relation(s) left out (CoNLL holds entities only)",
        ),
        (documents_with_metadata(project), METADATA_LOST),
    ];
    expected.extend(entity_extras(project));
    // The note that the layout is not kept comes with every non-empty file.
    let layout = "conll: the text is written as one token per line";
    let (notes, losses): (Vec<String>, Vec<String>) = exported
        .warnings
        .iter()
        .cloned()
        .partition(|w| w.starts_with(layout));
    prop_assert_eq!(notes.len(), usize::from(!exported.files[0].1.is_empty()));
    assert_warnings(&losses, "conll: ", &expected)?;
    prop_assert_eq!(&imported.warnings, &Vec::<String>::new());
    Ok(())
}

/// `start..end` without leading and trailing line breaks, as brat writes a
/// span; `None` when nothing else is in it.
fn brat_span(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let chars: Vec<char> = text.chars().skip(start).take(end - start).collect();
    let is_break = |c: &char| *c == '\n' || *c == '\r';
    let lead = chars.iter().take_while(|c| is_break(c)).count();
    if lead == chars.len() {
        return None;
    }
    let trail = chars.iter().rev().take_while(|c| is_break(c)).count();
    Some((start + lead, end - trail))
}

/// An annotation as brat keeps it, independent of ids: what it is and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Entity(usize, usize, CompactString),
    Claim(usize, usize),
}

/// A claim as brat keeps it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct BratClaim {
    span: (usize, usize),
    text: CompactString,
    claimant: Option<Key>,
    cue: Option<(usize, usize)>,
    attributes: String,
    note: Option<CompactString>,
}

/// A canonical entity as brat keeps it: its mentions, name and note.
type BratCanonical = (Vec<(String, usize, usize)>, String, Option<String>);

/// What a brat import should give (entities, claims, relations, canonical
/// entities) and the export and import warnings, worked out from `project`.
struct BratExpected {
    entities: Vec<(
        String,
        usize,
        usize,
        CompactString,
        CompactString,
        Option<CompactString>,
    )>,
    claims: Vec<(String, BratClaim)>,
    relations: Vec<(String, CompactString, Key, Key)>,
    canonical: Vec<BratCanonical>,
    export_warnings: Vec<(usize, &'static str)>,
    import_warnings: Vec<(usize, &'static str)>,
}

fn slice(text: &str, (start, end): (usize, usize)) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn attributes(c: &Claim) -> String {
    format!(
        "{:?} {:?} {:?} {:?} {:?}",
        c.attribution, c.checkworthiness, c.claim_type, c.stance, c.verdict
    )
}

fn brat_expected(project: &Project) -> BratExpected {
    let mut out = BratExpected {
        entities: Vec::new(),
        claims: Vec::new(),
        relations: Vec::new(),
        canonical: Vec::new(),
        export_warnings: Vec::new(),
        import_warnings: Vec::new(),
    };
    let mut count: BTreeMap<&'static str, usize> = BTreeMap::new();
    let add = |count: &mut BTreeMap<&'static str, usize>, what: &'static str, n: usize| {
        *count.entry(what).or_default() += n;
    };
    add(&mut count, METADATA_LOST, documents_with_metadata(project));
    let mut referenced: BTreeMap<String, Vec<(String, usize, usize)>> = BTreeMap::new();
    let mut equivalences = 0;
    for doc in &project.documents {
        let text = doc.text.as_str();
        // Writes a span: where it ends up, counting trims and losses.
        let written_span = |count: &mut BTreeMap<&'static str, usize>, start: usize, end: usize| {
            let span = brat_span(text, start, end);
            match span {
                None => add(count, "span(s) of line breaks only left out", 1),
                Some(s) if s != (start, end) => add(
                    count,
                    "span(s) written without their leading or trailing line breaks",
                    1,
                ),
                Some(_) => {}
            }
            span
        };
        let mut keys: BTreeMap<&str, Key> = BTreeMap::new();
        for e in &doc.entities {
            if let Some((s, t)) = written_span(&mut count, e.start, e.end) {
                keys.insert(&e.id, Key::Entity(s, t, e.label.clone()));
                out.entities.push((
                    doc.id.clone(),
                    s,
                    t,
                    e.label.clone(),
                    slice(text, (s, t)).into(),
                    e.note.as_deref().map(Into::into),
                ));
            }
            add(
                &mut count,
                "annotator name(s) left out",
                usize::from(e.annotator.is_some()),
            );
            add(
                &mut count,
                "modification time(s) left out",
                usize::from(e.modified.is_some()),
            );
            add(
                &mut count,
                "review state(s) left out",
                usize::from(e.review != Review::Unreviewed),
            );
        }
        for c in &doc.claims {
            let Some(span) = written_span(&mut count, c.start, c.end) else {
                continue;
            };
            keys.insert(&c.id, Key::Claim(span.0, span.1));
            let claimant = match &c.claimant {
                Some(Claimant::Entity(id)) => {
                    let key = keys.get(id.as_str()).cloned();
                    if key.is_none() {
                        // No R line to a T line that was not written.
                        add(
                            &mut count,
                            "claimant(s) naming a missing entity left out",
                            1,
                        );
                    }
                    key
                }
                Some(Claimant::Text(_)) => {
                    add(&mut count, "free-text claimant(s) left out", 1);
                    None
                }
                None => None,
            };
            let cue = c
                .cue
                .as_ref()
                .and_then(|cue| written_span(&mut count, cue.start, cue.end));
            add(
                &mut count,
                "claim rating(s) left out",
                usize::from(c.rating.is_some()),
            );
            add(
                &mut count,
                "claim summary(ies) left out",
                usize::from(c.summary.is_some()),
            );
            add(
                &mut count,
                "claim evidence item(s) left out",
                usize::from(!c.evidence.is_empty()),
            );
            add(
                &mut count,
                "annotator name(s) left out",
                usize::from(c.annotator.is_some()),
            );
            add(
                &mut count,
                "modification time(s) left out",
                usize::from(c.modified.is_some()),
            );
            add(
                &mut count,
                "review state(s) left out",
                usize::from(c.review != Review::Unreviewed),
            );
            out.claims.push((
                doc.id.clone(),
                BratClaim {
                    span,
                    text: slice(text, span).into(),
                    claimant,
                    cue,
                    attributes: attributes(c),
                    note: c.note.as_deref().map(Into::into),
                },
            ));
        }
        for r in &doc.relations {
            add(
                &mut count,
                "annotator name(s) left out",
                usize::from(r.annotator.is_some()),
            );
            add(
                &mut count,
                "modification time(s) left out",
                usize::from(r.modified.is_some()),
            );
            match (keys.get(r.from.as_str()), keys.get(r.to.as_str())) {
                (Some(from), Some(to)) => {
                    out.relations
                        .push((doc.id.clone(), r.label.clone(), from.clone(), to.clone()))
                }
                _ => add(
                    &mut count,
                    "relation(s) whose ends were not written left out",
                    1,
                ),
            }
        }
        // Canonical links: per linked entity, the written mentions in this document.
        let mut groups: Vec<(&CanonicalEntity, Vec<&Entity>)> = Vec::new();
        for e in &doc.entities {
            let (Some(id), Some(Key::Entity(..))) = (&e.canonical, keys.get(e.id.as_str())) else {
                continue;
            };
            let canonical = project.canonical(id).expect("a known canonical entity");
            match groups.iter_mut().find(|(c, _)| c.id == *id) {
                Some((_, members)) => members.push(e),
                None => groups.push((canonical, vec![e])),
            }
        }
        for (canonical, members) in groups {
            let mentions: Vec<(String, usize, usize)> = members
                .iter()
                .map(|e| match keys.get(e.id.as_str()) {
                    Some(Key::Entity(s, t, _)) => (doc.id.clone(), *s, *t),
                    _ => unreachable!("only written mentions are grouped"),
                })
                .collect();
            if members.len() > 1 {
                equivalences += 1;
            }
            let reference = canonical.note.as_deref().filter(|n| n.contains(':'));
            if reference.is_some() {
                referenced
                    .entry(canonical.id.clone())
                    .or_default()
                    .extend(mentions);
                continue;
            }
            // Named after the first mention's text as written (brat reads
            // that back as the name).
            let first = slice(&doc.text, (mentions[0].1, mentions[0].2));
            let named =
                canonical.note.is_none() && members.len() > 1 && members[0].text == canonical.name;
            if !named {
                add(
                    &mut count,
                    "canonical entity name(s) or note(s) left out",
                    1,
                );
            }
            if members.len() > 1 {
                out.canonical.push((mentions, first, None));
            }
        }
    }
    for (id, mentions) in referenced {
        let canonical = project.canonical(&id).expect("a known canonical entity");
        out.canonical
            .push((mentions, canonical.name.clone(), canonical.note.clone()));
    }
    out.export_warnings = count.into_iter().map(|(what, n)| (n, what)).collect();
    out.import_warnings = vec![(
        equivalences,
        "equivalence (*) line(s) read as canonical entities",
    )];
    out.entities.sort();
    out.claims.sort();
    out.relations.sort();
    out.canonical.sort();
    out
}

/// brat holds entities, claims (claimant entity, cue, the five claim
/// attributes, note), relations and canonical groups; spans lose leading and
/// trailing line breaks. The rest is counted.
fn check_brat(project: &Project) -> Result<(), TestCaseError> {
    let (exported, imported, source) = round_trip(project, Format::Brat)?;
    // In the files, every T line's offsets slice its .txt to its quote.
    let file = |name: String| {
        let found = exported.files.iter().find(|(p, _)| *p == Path::new(&name));
        String::from_utf8(found.expect("the file is exported").1.clone()).unwrap()
    };
    for doc in &project.documents {
        let text = file(format!("{}.txt", doc.id));
        prop_assert_eq!(&text, &doc.text);
        for line in file(format!("{}.ann", doc.id)).lines() {
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            if !fields[0].starts_with('T') {
                continue;
            }
            let (_, frags) = fields[1].split_once(' ').unwrap();
            let quotes: Vec<String> = frags
                .split(';')
                .map(|frag| {
                    let (s, e) = frag.split_once(' ').unwrap();
                    py_slice(&text, s.parse().unwrap(), e.parse().unwrap())
                })
                .collect();
            prop_assert_eq!(quotes.join(" "), fields[2], "{}", line);
        }
    }
    let expected = brat_expected(project);
    let back = &imported.project;
    prop_assert_eq!(
        back.documents.iter().map(|d| &d.id).collect::<Vec<_>>(),
        project.documents.iter().map(|d| &d.id).collect::<Vec<_>>()
    );
    let mut entities = Vec::new();
    let mut claims = Vec::new();
    let mut relations = Vec::new();
    let mut groups: BTreeMap<&str, Vec<(String, usize, usize)>> = BTreeMap::new();
    for (doc, got) in project.documents.iter().zip(&back.documents) {
        prop_assert_eq!(&got.text, &doc.text);
        let key = |id: &str| -> Option<Key> {
            if let Some(e) = got.entity(id) {
                return Some(Key::Entity(e.start, e.end, e.label.clone()));
            }
            got.claims
                .iter()
                .find(|c| c.id == id)
                .map(|c| Key::Claim(c.start, c.end))
        };
        for e in &got.entities {
            entities.push((
                got.id.clone(),
                e.start,
                e.end,
                e.label.clone(),
                e.text.clone(),
                e.note.as_deref().map(Into::into),
            ));
            if let Some(canonical) = &e.canonical {
                groups
                    .entry(canonical)
                    .or_default()
                    .push((got.id.clone(), e.start, e.end));
            }
            prop_assert!(e.annotator.is_none() && e.review == Review::Unreviewed);
        }
        for c in &got.claims {
            let claimant = match &c.claimant {
                Some(Claimant::Entity(id)) => key(id),
                Some(Claimant::Text(text)) => {
                    prop_assert!(false, "brat has no free-text claimant, got {:?}", text);
                    None
                }
                None => None,
            };
            claims.push((
                got.id.clone(),
                BratClaim {
                    span: (c.start, c.end),
                    text: c.text.clone(),
                    claimant,
                    cue: c.cue.as_ref().map(|cue| (cue.start, cue.end)),
                    attributes: attributes(c),
                    note: c.note.as_deref().map(Into::into),
                },
            ));
            prop_assert!(c.rating.is_none() && c.summary.is_none() && c.evidence.is_empty());
        }
        for r in &got.relations {
            relations.push((
                got.id.clone(),
                r.label.clone(),
                key(&r.from).expect("a relation end"),
                key(&r.to).expect("a relation end"),
            ));
        }
    }
    entities.sort();
    claims.sort();
    relations.sort();
    prop_assert_eq!(entities, expected.entities);
    prop_assert_eq!(claims, expected.claims);
    prop_assert_eq!(relations, expected.relations);
    let mut canonical: Vec<BratCanonical> = Vec::new();
    for (id, mentions) in groups {
        let c = back.canonical(id).expect("linked canonical entities exist");
        canonical.push((mentions, c.name.clone(), c.note.clone()));
    }
    canonical.sort();
    prop_assert_eq!(back.canonical_entities.len(), canonical.len());
    prop_assert_eq!(canonical, expected.canonical);
    assert_warnings(&exported.warnings, "brat: ", &expected.export_warnings)?;
    let folder = source.file_name().unwrap().to_string_lossy().into_owned();
    assert_warnings(
        &imported.warnings,
        &format!("{folder}: "),
        &expected.import_warnings,
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Hostile input

/// Texts for the hostile documents: astral characters, Arabic, line breaks.
const TEXTS: &[&str] = &[
    "Kim 😀 met Putin.\n",
    "😀😀🇫🇷 قال مصدر 𝔏ondon",
    "",
    "a",
    "e\u{301}\r\nline two\n\n",
];

/// An offset near the text's edges (0, its length, one past), in its
/// middle, small, or absurd; a marker that [`fill`] resolves for the text.
fn offset_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-2i64..=2).prop_map(|d| format!("@L{d:+}")),
        1 => Just("@M".to_owned()),
        3 => (0..8u32).prop_map(|n| format!("@N{n}")),
        1 => prop::sample::select(vec![
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999",
            "1.5",
            "1e3",
            "\"3\"",
            "null",
        ])
        .prop_map(|literal| format!("@X{literal}~")),
    ]
}

/// Fills a template line for `text`: `@T` is the text as a JSON string,
/// `@L±D` its length in code points ± D, `@M` its middle, `@Nn` the number
/// n, `@X…~` a literal (not a usable offset), and `@Q` the quote of the last
/// two offsets (JSON-quoted when `json`), or a wrong one when they do not fit.
fn fill(template: &str, text: &str, json: bool) -> String {
    let len = text.chars().count() as i64;
    let mut out = String::new();
    let mut offsets: Vec<Option<i64>> = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let kind = rest[at + 1..].chars().next().expect("a marker kind");
        let after = &rest[at + 1 + kind.len_utf8()..];
        let number_len = |s: &str| {
            s.char_indices()
                .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '+' || c == '-'))))
                .map_or(s.len(), |(i, _)| i)
        };
        let used = match kind {
            'T' => {
                out.push_str(&serde_json::to_string(text).unwrap());
                0
            }
            'L' | 'N' | 'M' => {
                let n = if kind == 'M' { 0 } else { number_len(after) };
                let number: i64 = after[..n].parse().unwrap_or(0);
                let value = match kind {
                    'L' => len + number,
                    'M' => len / 2,
                    _ => number,
                };
                offsets.push(Some(value));
                out.push_str(&value.to_string());
                n
            }
            'X' => {
                let end = after.find('~').expect("a literal ends with ~");
                offsets.push(None);
                out.push_str(&after[..end]);
                end + 1
            }
            'Q' => {
                let quote = match offsets.as_slice() {
                    [.., Some(s), Some(e)] if 0 <= *s && s <= e && *e <= len => text
                        .chars()
                        .skip(*s as usize)
                        .take((e - s) as usize)
                        .collect(),
                    _ => "Kim".to_owned(),
                };
                if json {
                    out.push_str(&serde_json::to_string(&quote).unwrap());
                } else {
                    out.push_str(&quote.replace(['\n', '\r', '\t'], " "));
                }
                0
            }
            other => panic!("unknown marker @{other}"),
        };
        rest = &after[used..];
    }
    out.push_str(rest);
    out
}

/// Entity types for the hostile lines. Without the empty type: brat and
/// doccano import still accept `T1<TAB> 0 3` and `[0, 3, ""]` and make an
/// entity type with an empty key (an invalid project); add `""` once they
/// refuse it.
const LABELS: &[&str] = &["PER", "GPE", "Claim", "Cue", "X Y", "😀"];

/// A brat `.ann` line: each kind of line Gloss reads, with mutated fields.
fn ann_line() -> impl Strategy<Value = String> {
    let id = (
        prop::sample::select(vec!["T", "R", "A", "M", "N", "#", "*", "E"]),
        0..4u8,
    );
    let target = (prop::sample::select(vec!["T", "R", "E", "X"]), 0..4u8)
        .prop_map(|(p, n)| format!("{p}{n}"));
    prop_oneof![
        // Text-bound, maybe discontinuous, with a right or wrong quote.
        4 => (
            0..4u8,
            prop::sample::select(LABELS),
            prop::collection::vec((offset_strategy(), offset_strategy()), 1..3),
            prop::sample::select(vec!["", "\t@Q", "\t@Q", "\tKim", "\t😀", "\t"]),
        )
            .prop_map(|(n, label, frags, quote)| {
                let frags: Vec<String> = frags.into_iter().map(|(s, e)| format!("{s} {e}")).collect();
                format!("T{n}\t{label} {}{quote}", frags.join(";"))
            }),
        2 => (0..4u8, prop::sample::select(vec!["Claimant", "Cue", "Alias", "Equiv"]), target.clone(), target.clone())
            .prop_map(|(n, label, a, b)| format!("R{n}\t{label} Arg1:{a} Arg2:{b}")),
        1 => (prop::collection::vec(target.clone(), 0..4))
            .prop_map(|members| format!("*\tEquiv {}", members.join(" "))),
        2 => (0..4u8, prop::sample::select(vec!["Attribution", "Stance", "Verdict", "Negated", "CheckWorthiness"]), target.clone(), prop::sample::select(vec!["", " DirectQuote", " Agree", " Refutes", " nonsense", " CheckWorthy"]))
            .prop_map(|(n, name, t, value)| format!("A{n}\t{name} {t}{value}")),
        1 => (0..4u8, target.clone(), prop::sample::select(vec!["Wikipedia:64488", "Q1", ":", "x:y"]), prop::sample::select(vec!["", "\tKim Jong Un", "\t"]))
            .prop_map(|(n, t, reference, name)| format!("N{n}\tReference {t} {reference}{name}")),
        1 => (0..4u8, target, prop::sample::select(vec!["a note", "", "brat:X=1", "\t"]))
            .prop_map(|(n, t, note)| format!("#{n}\tAnnotatorNotes {t}\t{note}")),
        1 => id.prop_map(|(p, n)| format!("{p}{n}\t")),
        1 => "[ -?A-~\t😀]{0,12}",
    ]
}

/// A JSON value for a span's quote: right (`@Q`, filled in) or not.
fn quote_strategy() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        ", \"text\": @Q",
        ", \"text\": \"Kim\"",
        ", \"text\": 3",
        "",
    ])
}

fn span_json(fields: &'static str) -> impl Strategy<Value = String> {
    (offset_strategy(), offset_strategy(), quote_strategy())
        .prop_map(move |(s, e, q)| format!("{{{fields}\"start\": {s}, \"end\": {e}{q}}}"))
}

/// A Gloss JSONL line with entities, claims (claimant, cue, evidence) and
/// relations whose offsets, quotes and references are mutated.
fn jsonl_line() -> impl Strategy<Value = String> {
    let entity = (
        prop::sample::select(vec!["e1", "e2", "c1"]),
        prop::sample::select(LABELS),
        span_json(""),
        prop::sample::select(vec![
            "",
            ", \"canonical\": {\"id\": \"k1\", \"name\": \"Kim\"}",
            ", \"canonical\": {}",
            ", \"review\": \"Maybe\"",
        ]),
    )
        .prop_map(|(id, label, span, extra)| {
            format!(
                "{{\"id\": \"{id}\", \"label\": \"{label}\"{extra}, {}",
                &span[1..]
            )
        });
    let claim = (
        prop::sample::select(vec!["c1", "e1"]),
        span_json(""),
        prop::sample::select(vec![
            "",
            ", \"claimant\": {\"entity\": \"e1\"}",
            ", \"claimant\": {\"entity\": \"e9\", \"text\": \"X\"}",
            ", \"claimant\": {}",
        ]),
        prop::option::of(span_json("")),
        prop::option::of(span_json("\"doc\": \"a\", ")),
        prop::sample::select(vec![
            "",
            ", \"verdict\": \"Refutes\"",
            ", \"stance\": \"Sideways\"",
        ]),
    )
        .prop_map(|(id, span, claimant, cue, evidence, extra)| {
            let cue = cue.map(|c| format!(", \"cue\": {c}")).unwrap_or_default();
            let evidence = evidence
                .map(|e| format!(", \"evidence\": [{e}, {{\"url\": \"https://x\"}}]"))
                .unwrap_or_default();
            format!(
                "{{\"id\": \"{id}\"{claimant}{cue}{evidence}{extra}, {}",
                &span[1..]
            )
        });
    let relation = (
        prop::sample::select(vec!["r1", "e1"]),
        prop::sample::select(vec!["e1", "e2", "c1", "zz"]),
        prop::sample::select(vec!["e1", "e2", "c1", "zz"]),
    )
        .prop_map(|(id, from, to)| {
            format!(
                "{{\"id\": \"{id}\", \"label\": \"Alias\", \"from\": \"{from}\", \"to\": \"{to}\"}}"
            )
        });
    (
        prop::sample::select(vec!["a", "a", "b"]),
        prop::sample::select(vec!["", ", \"status\": \"Done\"", ", \"status\": \"Later\""]),
        prop::collection::vec(entity, 0..3),
        prop::collection::vec(claim, 0..2),
        prop::collection::vec(relation, 0..2),
    )
        .prop_map(|(id, status, entities, claims, relations)| {
            format!(
                "{{\"id\": \"{id}\", \"text\": @T{status}, \"entities\": [{}], \"claims\": [{}], \"relations\": [{}]}}",
                entities.join(", "),
                claims.join(", "),
                relations.join(", ")
            )
        })
}

/// A doccano line in the label shape or the relation shape.
fn doccano_line() -> impl Strategy<Value = String> {
    let triple = (
        offset_strategy(),
        offset_strategy(),
        prop::sample::select(LABELS),
    )
        .prop_map(|(s, e, l)| format!("[{s}, {e}, \"{l}\"]"));
    let entity = (0..3u8, offset_strategy(), offset_strategy()).prop_map(|(id, s, e)| {
        format!("{{\"id\": {id}, \"start_offset\": {s}, \"end_offset\": {e}, \"label\": \"PER\"}}")
    });
    let relation = (0..4u8, 0..4u8)
        .prop_map(|(a, b)| format!("{{\"from_id\": {a}, \"to_id\": {b}, \"type\": \"Alias\"}}"));
    prop_oneof![
        (
            prop::sample::select(vec!["\"id\": 1, ", "\"id\": \"x\", ", "", "\"id\": [], "]),
            prop::collection::vec(triple, 0..4),
            prop::sample::select(vec!["", ", \"category\""])
        )
            .prop_map(|(id, labels, category)| format!(
                "{{{id}\"text\": @T, \"label\": [{}{category}]}}",
                labels.join(", ")
            )),
        (
            prop::collection::vec(entity, 0..3),
            prop::collection::vec(relation, 0..3)
        )
            .prop_map(|(entities, relations)| format!(
                "{{\"text\": @T, \"entities\": [{}], \"relations\": [{}]}}",
                entities.join(", "),
                relations.join(", ")
            )),
    ]
}

/// A CoNLL line: a token and a tag (BIO, IOB1, BIOES, BILOU, or wrong).
fn conll_line() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "Kim",
        "😀",
        "محمد",
        "𝔏ondon",
        "-DOCSTART-",
        "e\u{301}",
        "",
    ]);
    let tag = prop::sample::select(vec![
        "O", "B-PER", "I-PER", "I-GPE", "E-PER", "S-GPE", "L-PER", "U-PER", "B-", "X-PER", "b-per",
        "",
    ]);
    prop_oneof![
        6 => (token, prop::sample::select(vec!["\t", " ", "\tNNP\t"]), tag).prop_map(|(t, sep, g)| format!("{t}{sep}{g}")),
        2 => Just(String::new()),
        1 => "[ -?A-~\t😀]{0,10}",
    ]
}

/// One hostile case: a text, and lines for each importer (templates whose
/// markers [`fill`] fills in for the text).
#[derive(Debug, Clone)]
struct Hostile {
    text: &'static str,
    ann: Vec<String>,
    jsonl: Vec<String>,
    doccano: Vec<String>,
    conll: Vec<String>,
}

fn hostile_strategy() -> impl Strategy<Value = Hostile> {
    (
        prop::sample::select(TEXTS),
        prop::collection::vec(ann_line(), 0..10),
        prop::collection::vec(jsonl_line(), 0..3),
        prop::collection::vec(doccano_line(), 0..3),
        prop::collection::vec(conll_line(), 0..12),
    )
        .prop_map(|(text, ann, jsonl, doccano, conll)| Hostile {
            text,
            ann,
            jsonl,
            doccano,
            conll,
        })
}

/// Random tokens with no structure at all.
fn noise_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(
            prop::sample::select(vec![
                "T1",
                "R1",
                "E1",
                "A1",
                "*",
                "#1",
                "N1",
                "\t",
                " ",
                "PER",
                "0",
                "5",
                "3;9",
                "Arg1:T1",
                "B-PER",
                "I-",
                "O",
                "-DOCSTART-",
                "{",
                "}",
                "\"text\"",
                ":",
                "[",
                "]",
                ",",
                "😀",
                "é",
            ]),
            0..8,
        ),
        0..12,
    )
    .prop_map(|lines| lines.iter().map(|l| l.concat() + "\n").collect())
}

/// What importing one hostile case gave, per format: `Ok` with how many
/// annotations, or the error.
fn import_hostile(case: &Hostile) -> Result<Vec<Result<usize, String>>, TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let lines = |templates: &[String], json: bool| -> String {
        templates
            .iter()
            .map(|t| fill(t, case.text, json) + "\n")
            .collect()
    };
    let brat = dir.path().join("brat");
    std::fs::create_dir(&brat).unwrap();
    std::fs::write(brat.join("x.txt"), case.text).unwrap();
    std::fs::write(brat.join("x.ann"), lines(&case.ann, false)).unwrap();
    let jsonl = dir.path().join("x.jsonl");
    std::fs::write(&jsonl, lines(&case.jsonl, true)).unwrap();
    let doccano = dir.path().join("x.doccano");
    std::fs::write(&doccano, lines(&case.doccano, true)).unwrap();
    let conll = dir.path().join("x.conll");
    std::fs::write(&conll, lines(&case.conll, false)).unwrap();
    let mut results = Vec::new();
    for (format, source) in [
        (Format::Brat, &brat),
        (Format::Jsonl, &jsonl),
        (Format::Doccano, &doccano),
        (Format::Conll, &conll),
    ] {
        results.push(match formats::import(format, &[source]) {
            Ok(imported) => {
                let problems = gloss::model::validate::validate(&imported.project);
                prop_assert!(
                    problems.is_empty(),
                    "{:?} imported an invalid project: {:?}",
                    format,
                    problems
                );
                Ok(imported
                    .project
                    .documents
                    .iter()
                    .map(|d| d.entities.len() + d.claims.len() + d.relations.len())
                    .sum())
            }
            Err(e) => Err(e.to_string()),
        });
    }
    Ok(results)
}

proptest! {
    // 96 cases by default; `PROPTEST_CASES=5000` for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(96),
        ..ProptestConfig::default()
    })]

    #[test]
    fn jsonl_export_import_export_is_stable(project in project_strategy()) {
        check_jsonl(&project)?;
    }

    #[test]
    fn doccano_export_import_export_is_stable(project in project_strategy()) {
        check_doccano(&project)?;
    }

    #[test]
    fn brat_export_import_export_is_stable(project in project_strategy()) {
        check_brat(&project)?;
    }

    #[test]
    fn conll_export_import_export_is_stable(project in project_strategy()) {
        check_conll(&project)?;
    }

    #[test]
    fn random_input_gives_errors_not_panics(case in hostile_strategy(), noise in noise_strategy()) {
        import_hostile(&case)?;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.txt"), case.text).unwrap();
        std::fs::write(dir.path().join("x.ann"), &noise).unwrap();
        let _ = formats::import(Format::Brat, &[dir.path()]);
        let file = dir.path().join("x.data");
        std::fs::write(&file, &noise).unwrap();
        for format in [Format::Jsonl, Format::Doccano, Format::Conll] {
            if let Ok(imported) = formats::import(format, &[&file]) {
                prop_assert!(gloss::model::validate::validate(&imported.project).is_empty());
            }
        }
    }
}

/// The hostile input reaches the importers' inner checks: across a fixed
/// sample of cases each importer both accepts annotations and refuses spans
/// that do not fit the text (not only malformed lines).
#[test]
fn hostile_input_reaches_the_range_checks() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = hostile_strategy();
    let names = ["brat", "jsonl", "doccano", "conll"];
    let mut accepted = [0usize; 4];
    let mut out_of_range = [0usize; 4];
    for _ in 0..400 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let results = import_hostile(&case).unwrap();
        for (i, result) in results.iter().enumerate() {
            match result {
                Ok(n) if *n > 0 => accepted[i] += 1,
                Err(e) if e.contains("does not fit") || e.contains("out of range") => {
                    out_of_range[i] += 1;
                }
                _ => {}
            }
        }
    }
    for (i, name) in names.iter().enumerate() {
        assert!(
            accepted[i] > 0,
            "{name}: no case was accepted with annotations"
        );
        // CoNLL has no offsets to get wrong.
        if *name != "conll" {
            assert!(
                out_of_range[i] > 0,
                "{name}: no case reached the range check"
            );
        }
    }
}
