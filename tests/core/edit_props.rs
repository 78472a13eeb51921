//! Property tests of the edit layer and the project file: random edit
//! sequences undo back to the original and redo to the edited project;
//! save → load is exact for random projects.

use gloss::edit::{Edit, History};
use gloss::model::{Claim, Claimant, Document, Entity, EntityType, Project, Relation, Rgb, Status};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "Kim",
    "said",
    "😀",
    "دمشق",
    "Putin",
    "🚀🚀",
    "the",
    "مصدر",
    "Moscow",
    "—",
    "“quote”",
    "e\u{301}",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 3..40).prop_map(|words| words.join(" "))
}

fn base_project(texts: Vec<String>) -> Project {
    let mut project = Project::new("props");
    for (n, text) in texts.into_iter().enumerate() {
        project
            .documents
            .push(Document::new(format!("d{n}"), format!("Doc {n}"), text).into());
    }
    project
}

/// A random edit request, resolved against the current project when applied.
#[derive(Debug, Clone)]
enum Op {
    AddEntity {
        doc: usize,
        a: usize,
        b: usize,
        label: usize,
    },
    AddClaim {
        doc: usize,
        a: usize,
        b: usize,
        claimant: bool,
    },
    AddRelation {
        doc: usize,
        from: usize,
        to: usize,
    },
    RemoveEntity {
        doc: usize,
        which: usize,
    },
    Retype {
        doc: usize,
        which: usize,
        label: usize,
    },
    SetStatus {
        doc: usize,
        status: usize,
    },
    RenameType {
        from: usize,
    },
    AddType,
    RemoveDocument {
        doc: usize,
    },
    Batch(Vec<(usize, usize, usize)>),
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..60usize, 0..60usize, 0..7usize).prop_map(|(doc, a, b, label)| Op::AddEntity { doc, a, b, label }),
        2 => (0..3usize, 0..60usize, 0..60usize, any::<bool>()).prop_map(|(doc, a, b, claimant)| Op::AddClaim { doc, a, b, claimant }),
        1 => (0..3usize, 0..10usize, 0..10usize).prop_map(|(doc, from, to)| Op::AddRelation { doc, from, to }),
        2 => (0..3usize, 0..10usize).prop_map(|(doc, which)| Op::RemoveEntity { doc, which }),
        2 => (0..3usize, 0..10usize, 0..7usize).prop_map(|(doc, which, label)| Op::Retype { doc, which, label }),
        1 => (0..3usize, 0..4usize).prop_map(|(doc, status)| Op::SetStatus { doc, status }),
        1 => (0..7usize).prop_map(|from| Op::RenameType { from }),
        1 => Just(Op::AddType),
        1 => (0..3usize).prop_map(|doc| Op::RemoveDocument { doc }),
        1 => prop::collection::vec((0..60usize, 0..60usize, 0..7usize), 1..5).prop_map(Op::Batch),
    ]
}

fn entity_edit(
    project: &Project,
    doc_index: usize,
    a: usize,
    b: usize,
    label: usize,
    scratch_ids: usize,
) -> Option<Edit> {
    let doc = project
        .documents
        .get(doc_index % project.documents.len().max(1))?;
    let len = doc.text.chars().count();
    let (start, end) = (a.min(b) % len.max(1), (a.max(b) % len.max(1)) + 1);
    let (start, end, text) = doc.span(start, end.min(len))?;
    let label = project
        .schema
        .entity_types
        .get(label % project.schema.entity_types.len().max(1))?
        .key
        .clone();
    let id = format!(
        "{}{}",
        doc.next_id("e"),
        if scratch_ids > 0 {
            format!("x{scratch_ids}")
        } else {
            String::new()
        }
    );
    Some(Edit::InsertEntity {
        doc: doc.id.clone(),
        index: doc.entities.len(),
        entity: Entity::new(id, label, start, end, text),
    })
}

fn resolve(project: &Project, op: &Op) -> Option<Edit> {
    let doc_at = |i: usize| project.documents.get(i % project.documents.len().max(1));
    match op {
        Op::AddEntity { doc, a, b, label } => entity_edit(project, *doc, *a, *b, *label, 0),
        Op::AddClaim {
            doc,
            a,
            b,
            claimant,
        } => {
            let d = doc_at(*doc)?;
            let len = d.text.chars().count();
            let (start, end, text) =
                d.span(a.min(b) % len.max(1), (a.max(b) % len.max(1) + 1).min(len))?;
            let mut claim = Claim::new(d.next_id("c"), start, end, text);
            claim.claimant = if *claimant {
                d.entities.first().map(|e| Claimant::Entity(e.id.clone()))
            } else {
                Some(Claimant::Text("someone".into()))
            };
            Some(Edit::InsertClaim {
                doc: d.id.clone(),
                index: 0,
                claim: Box::new(claim),
            })
        }
        Op::AddRelation { doc, from, to } => {
            let d = doc_at(*doc)?;
            let from = d.entities.get(from % d.entities.len().max(1))?.id.clone();
            let to = d.entities.get(to % d.entities.len().max(1))?.id.clone();
            let relation = Relation::new(d.next_id("r"), "Alias", from, to);
            Some(Edit::InsertRelation {
                doc: d.id.clone(),
                index: d.relations.len(),
                relation,
            })
        }
        Op::RemoveEntity { doc, which } => {
            let d = doc_at(*doc)?;
            let e = d.entities.get(which % d.entities.len().max(1))?;
            Some(Edit::RemoveEntity {
                doc: d.id.clone(),
                id: e.id.to_string(),
            })
        }
        Op::Retype { doc, which, label } => {
            let d = doc_at(*doc)?;
            let mut e = d.entities.get(which % d.entities.len().max(1))?.clone();
            e.label = project
                .schema
                .entity_types
                .get(label % project.schema.entity_types.len().max(1))?
                .key
                .as_str()
                .into();
            Some(Edit::ReplaceEntity {
                doc: d.id.clone(),
                entity: e,
            })
        }
        Op::SetStatus { doc, status } => Some(Edit::SetStatus {
            doc: doc_at(*doc)?.id.clone(),
            status: Status::ALL[status % 4],
        }),
        Op::RenameType { from } => {
            let t = project
                .schema
                .entity_types
                .get(from % project.schema.entity_types.len().max(1))?
                .clone();
            let renamed = EntityType {
                key: format!("{}_R", t.key),
                ..t.clone()
            };
            Some(Edit::ReplaceEntityType {
                key: t.key,
                entity_type: renamed,
            })
        }
        Op::AddType => {
            let n = project.schema.entity_types.len();
            let entity_type = EntityType {
                key: format!("NEW{n}"),
                name: "New".into(),
                color: Rgb([1, 2, 3]),
                hotkey: None,
                can_claim: None,
            };
            Some(Edit::InsertEntityType {
                index: n,
                entity_type,
            })
        }
        Op::RemoveDocument { doc } => Some(Edit::RemoveDocument {
            id: doc_at(*doc)?.id.clone(),
        }),
        Op::Batch(items) => {
            let edits: Vec<Edit> = items
                .iter()
                .enumerate()
                .filter_map(|(n, (a, b, label))| entity_edit(project, 0, *a, *b, *label, n + 1))
                .collect();
            Some(Edit::Batch {
                label: "batch".into(),
                edits,
            })
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_restores_the_original_and_redo_all_the_edited(
        texts in prop::collection::vec(text_strategy(), 1..4),
        ops in prop::collection::vec(op_strategy(), 1..30),
    ) {
        let original = base_project(texts);
        let mut project = original.clone();
        let mut history = History::new();
        for op in &ops {
            if let Some(edit) = resolve(&project, op) {
                let before = project.clone();
                if history.apply(&mut project, edit).is_err() {
                    // A refused edit leaves the project exactly as it was.
                    prop_assert_eq!(&project, &before);
                }
                prop_assert!(gloss::model::validate::validate(&project).is_empty(), "edits keep the project valid");
            }
        }
        let edited = project.clone();
        prop_assert_eq!(history.is_dirty(), history.can_undo());
        while history.undo(&mut project).unwrap() {}
        prop_assert_eq!(&project, &original);
        prop_assert!(!history.is_dirty());
        while history.redo(&mut project).unwrap() {}
        prop_assert_eq!(&project, &edited);
    }

    #[test]
    fn save_then_load_gives_the_same_project(
        texts in prop::collection::vec(text_strategy(), 1..4),
        ops in prop::collection::vec(op_strategy(), 0..20),
    ) {
        let mut project = base_project(texts);
        let mut history = History::new();
        for op in &ops {
            if let Some(edit) = resolve(&project, op) {
                let _ = history.apply(&mut project, edit);
            }
        }
        let text = gloss::store::to_ron(&project);
        let loaded = gloss::store::parse(std::path::Path::new("prop.ron"), text.as_bytes()).unwrap();
        prop_assert_eq!(&loaded, &project);
        prop_assert_eq!(gloss::store::to_ron(&loaded), text);
    }
}

/// The names of the files in `dir`, sorted.
fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_save_leaves_the_previous_file_intact() {
    use gloss::store::atomic::{SaveStep, write_atomically_with_faults};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let project = gloss::sample::sample_project().unwrap();
    gloss::store::save(&project, &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut edited = project.clone();
    edited.name = "edited".into();
    let after = gloss::store::to_ron(&edited).into_bytes();
    assert_ne!(after, before);
    // A save onto the existing project fails once the temporary file beside
    // it holds the whole new project: when flushing it (a full disk) or when
    // renaming it over the old file.
    for failing in [SaveStep::Sync, SaveStep::Rename] {
        let mut steps = Vec::new();
        let mut fault = |step: SaveStep, temp: &std::path::Path| {
            steps.push(step);
            if step != failing {
                return Ok(());
            }
            assert_eq!(
                temp.parent(),
                Some(dir.path()),
                "the temporary file is beside the project"
            );
            assert_eq!(
                std::fs::read(temp).unwrap(),
                after,
                "the temporary file was written"
            );
            Err(std::io::Error::other(format!(
                "injected failure at {step:?}"
            )))
        };
        let error = write_atomically_with_faults(&path, &after, &mut fault).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("injected failure at {failing:?}")
        );
        assert_eq!(
            steps.last(),
            Some(&failing),
            "the save stopped where it failed"
        );
        assert!(
            std::fs::read(&path).unwrap() == before,
            "{failing:?} failed: the previous file must be byte for byte intact"
        );
        assert_eq!(
            file_names(dir.path()),
            ["p.ron"],
            "{failing:?} failed: no temporary file is left"
        );
    }
    // The same save without a fault replaces the file (the faults above hit
    // a real save, not one that would have done nothing anyway).
    let mut steps = Vec::new();
    write_atomically_with_faults(&path, &after, &mut |step, _| {
        steps.push(step);
        Ok(())
    })
    .unwrap();
    assert_eq!(steps, [SaveStep::Sync, SaveStep::Rename]);
    assert!(
        std::fs::read(&path).unwrap() == after,
        "the save went through"
    );
    assert_eq!(file_names(dir.path()), ["p.ron"]);

    // Saving into a folder that does not exist fails and touches nothing.
    let missing = dir.path().join("missing/p.ron");
    let error = gloss::store::save(&project, &missing).unwrap_err();
    assert!(error.to_string().contains("missing/p.ron"), "{error}");
    // Saving onto a directory fails too, and the folder stays a folder.
    let folder = dir.path().join("folder.ron");
    std::fs::create_dir(&folder).unwrap();
    assert!(gloss::store::save(&project, &folder).is_err());
    assert!(folder.is_dir());
    assert!(std::fs::read(&path).unwrap() == after, "p.ron is untouched");
    assert_eq!(file_names(dir.path()), ["folder.ron", "p.ron"]);
    assert_eq!(file_names(&folder), Vec::<String>::new());
}

#[test]
fn adding_one_entity_is_a_one_line_diff() {
    let project = gloss::sample::sample_project().unwrap();
    let before = gloss::store::to_ron(&project);
    let mut after_project = project.clone();
    let doc = &after_project.documents[0];
    let (start, end, text) = doc.span(0, 2).unwrap();
    let entity = Entity::new(doc.next_id("e"), "MISC", start, end, text);
    let doc_id = doc.id.clone();
    gloss::edit::apply(
        &mut after_project,
        Edit::InsertEntity {
            doc: doc_id,
            index: 0,
            entity,
        },
    )
    .unwrap();
    let after = gloss::store::to_ron(&after_project);
    let before_lines: Vec<&str> = before.lines().collect();
    let after_lines: Vec<&str> = after.lines().collect();
    assert_eq!(after_lines.len(), before_lines.len() + 1);
    let changed = after_lines
        .iter()
        .filter(|l| !before_lines.contains(l))
        .count();
    assert_eq!(changed, 1);
}

#[test]
fn the_sample_project_is_what_the_generator_builds() {
    let built = gloss::sample::build_sample(gloss::sample::SAMPLE_ARTICLE);
    assert_eq!(
        gloss::store::to_ron(&built),
        gloss::sample::SAMPLE_RON,
        "run `cargo run --example build_sample`"
    );
    let sample = gloss::sample::sample_project().unwrap();
    let doc = &sample.documents[0];
    // The claims and claimants of DESIGN.md.
    let claimants: Vec<(&str, &str)> = doc
        .claims
        .iter()
        .map(|c| (c.text.as_str(), c.claimant_name(doc).unwrap()))
        .collect();
    assert_eq!(
        claimants,
        [
            (
                "arms negotiations between Russia and the DPRK are actively advancing",
                "Adrienne Watson"
            ),
            (
                "North Korea supplied infantry rockets and missiles to Russia in 2022",
                "John Kirby"
            ),
            ("It is a failure", "Putin"),
        ]
    );
    let kim: Vec<&str> = doc
        .entities
        .iter()
        .filter(|e| e.canonical.as_deref() == Some("kim"))
        .map(|e| e.text.as_str())
        .collect();
    for mention in ["Kim", "Kim Jong Un", "North Korean leader"] {
        assert!(kim.contains(&mention), "{mention} points to Kim Jong Un");
    }
    for (text, label) in [
        ("Vladivostok", "GPE"),
        ("National Security Council", "ORG"),
        ("The New York Times", "ORG"),
        ("9/4/2023", "DATE"),
        ("Volodymyr Zelensky", "PER"),
        ("Wagner", "ORG"),
    ] {
        assert!(
            doc.entities
                .iter()
                .any(|e| e.text == text && e.label == label),
            "{text} is tagged {label}"
        );
    }
}

#[cfg(unix)]
#[test]
fn saving_keeps_or_sets_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let project = gloss::sample::sample_project().unwrap();
    let fresh = dir.path().join("fresh.ron");
    gloss::store::save(&project, &fresh).unwrap();
    assert_eq!(
        std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
        0o644
    );
    std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o640)).unwrap();
    gloss::store::save(&project, &fresh).unwrap();
    assert_eq!(
        std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

#[test]
fn the_edit_layer_refuses_what_loading_would_reject() {
    let mut project = gloss::sample::sample_project().unwrap();
    let before = project.clone();
    let doc = project.documents[0].id.clone();
    // A claimant that is not an entity of the document.
    let mut claim = project.documents[0].claims[0].clone();
    claim.claimant = Some(Claimant::Entity("e999".into()));
    assert!(
        gloss::edit::apply(
            &mut project,
            Edit::ReplaceClaim {
                doc: doc.clone(),
                claim: Box::new(claim)
            }
        )
        .is_err()
    );
    // A cue that does not quote the text.
    let mut claim = project.documents[0].claims[0].clone();
    claim.id = "c99".into();
    if let Some(cue) = &mut claim.cue {
        cue.text = "shouted".into();
    }
    assert!(
        gloss::edit::apply(
            &mut project,
            Edit::InsertClaim {
                doc: doc.clone(),
                index: 0,
                claim: Box::new(claim)
            }
        )
        .is_err()
    );
    // A type with no key, or a hotkey already bound.
    let blank = EntityType {
        key: " ".into(),
        name: "Blank".into(),
        color: Rgb([0, 0, 0]),
        hotkey: None,
        can_claim: None,
    };
    assert!(
        gloss::edit::apply(
            &mut project,
            Edit::InsertEntityType {
                index: 0,
                entity_type: blank
            }
        )
        .is_err()
    );
    let clash = EntityType {
        key: "NEW".into(),
        name: "New".into(),
        color: Rgb([0, 0, 0]),
        hotkey: Some('1'),
        can_claim: None,
    };
    assert!(
        gloss::edit::apply(
            &mut project,
            Edit::InsertEntityType {
                index: 0,
                entity_type: clash
            }
        )
        .is_err()
    );
    // A mention of an unknown canonical entity.
    let mut entity = project.documents[0].entities[0].clone();
    entity.canonical = Some("nobody".into());
    assert!(gloss::edit::apply(&mut project, Edit::ReplaceEntity { doc, entity }).is_err());
    assert_eq!(project, before, "refused edits change nothing");
    assert!(gloss::model::validate::validate(&project).is_empty());
}

#[test]
fn a_colour_drag_is_one_undo_step() {
    let mut project = gloss::sample::sample_project().unwrap();
    let original = project.clone();
    let mut history = History::new();
    for shade in 0..20u8 {
        let mut per = project.schema.entity_types[0].clone();
        per.color = Rgb([shade, shade, shade]);
        let edit = Edit::ReplaceEntityType {
            key: per.key.clone(),
            entity_type: per,
        };
        history
            .apply_coalescing(&mut project, edit, "recolour PER")
            .unwrap();
    }
    assert_eq!(project.schema.entity_types[0].color, Rgb([19, 19, 19]));
    assert_eq!(history.undo_len(), 1);
    assert!(history.is_dirty());
    history.undo(&mut project).unwrap();
    assert_eq!(project, original);
    assert!(!history.is_dirty());
    // Another kind of edit in between starts a new step.
    let mut per = project.schema.entity_types[0].clone();
    per.color = Rgb([1, 1, 1]);
    history
        .apply_coalescing(
            &mut project,
            Edit::ReplaceEntityType {
                key: "PER".into(),
                entity_type: per.clone(),
            },
            "recolour PER",
        )
        .unwrap();
    history
        .apply(&mut project, Edit::SetProjectName { name: "x".into() })
        .unwrap();
    per.color = Rgb([2, 2, 2]);
    history
        .apply_coalescing(
            &mut project,
            Edit::ReplaceEntityType {
                key: "PER".into(),
                entity_type: per,
            },
            "recolour PER",
        )
        .unwrap();
    assert_eq!(history.undo_len(), 3);
}

/// A document `d{n}` whose one claim cites the documents `cites` as evidence.
fn citing_document(n: usize, cites: &[usize]) -> Document {
    let mut doc = Document::new(
        format!("d{n}"),
        format!("Doc {n}"),
        format!("Claim {n} here."),
    );
    let mut claim = Claim::new(format!("c{n}"), 0, 5, "Claim");
    claim.evidence = cites
        .iter()
        .map(|c| gloss::model::Evidence::Span {
            doc: format!("d{c}"),
            start: 0,
            end: 5,
            text: "Claim".into(),
        })
        .collect();
    doc.claims.push(claim);
    doc
}

/// A batch of document inserts and removals, as a request: insert `d{n}`
/// citing some documents, or remove `d{n}`.
#[derive(Debug, Clone)]
enum DocOp {
    Insert(usize, Vec<usize>, bool),
    Remove(usize),
}

fn doc_op() -> impl Strategy<Value = DocOp> {
    prop_oneof![
        (
            0..5usize,
            prop::collection::vec(0..5usize, 0..4),
            any::<bool>()
        )
            .prop_map(|(n, cites, at_end)| DocOp::Insert(n, cites, at_end)),
        (0..5usize).prop_map(DocOp::Remove),
    ]
}

proptest! {
    /// A batch of document inserts and removals (how an import of thousands
    /// of articles and its undo are applied, against an index built once)
    /// succeeds or fails exactly as applying its edits one by one would, and
    /// when it fails it leaves the project as it was.
    #[test]
    fn a_batch_of_document_edits_does_what_its_edits_do_one_by_one(
        start in prop::collection::vec(prop::collection::vec(0..5usize, 0..4), 0..5),
        ops in prop::collection::vec(doc_op(), 1..12),
    ) {
        // Citations only of documents that exist when a document is added:
        // the edit layer and loading refuse evidence naming a missing one.
        let mut project = Project::new("docs");
        let mut present = std::collections::BTreeSet::new();
        for (n, cites) in start.iter().enumerate() {
            let cites: Vec<usize> = cites.iter().copied().filter(|c| *c < n).collect();
            project.documents.push(citing_document(n, &cites).into());
            present.insert(n);
        }
        let edits: Vec<Edit> = ops
            .iter()
            .enumerate()
            .map(|(k, op)| match op {
                DocOp::Insert(n, cites, at_end) => {
                    let cites: Vec<usize> =
                        cites.iter().copied().filter(|c| present.contains(c)).collect();
                    present.insert(*n);
                    Edit::InsertDocument {
                        // At the end, or at the front; an index past the end fails.
                        index: if *at_end { project.documents.len() + k } else { 0 },
                        document: Box::new(citing_document(*n, &cites)),
                    }
                }
                DocOp::Remove(n) => {
                    present.remove(n);
                    Edit::RemoveDocument { id: format!("d{n}") }
                }
            })
            .collect();

        let mut one_by_one = project.clone();
        let mut failed = false;
        for edit in edits.clone() {
            if gloss::edit::apply(&mut one_by_one, edit).is_err() {
                failed = true;
                break;
            }
        }
        let mut batched = project.clone();
        let result = gloss::edit::apply(
            &mut batched,
            Edit::Batch { label: "docs".into(), edits },
        );
        prop_assert_eq!(result.is_err(), failed);
        if failed {
            prop_assert_eq!(&batched, &project, "a failed batch is rolled back");
        } else {
            prop_assert_eq!(&batched, &one_by_one);
            // Its inverse (undo) restores the project.
            let inverse = result.expect("applied");
            gloss::edit::apply(&mut batched, inverse).expect("the inverse applies");
            prop_assert_eq!(&batched, &project);
        }
    }
}
