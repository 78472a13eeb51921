//! `gloss merge`: two-way (two annotators' copies, adjudication input) and
//! three-way (two branches and their base, as git's merge driver), through
//! the library and through the real binary, and a real `git merge`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{git, git_ok, gloss, stderr, temp_dir};
use gloss::model::validate::validate;
use gloss::model::{
    Claim, Claimant, CompactString, ConflictAbout, ConflictKind, Document, Entity, Project,
    Relation, RelationType, Status,
};
use gloss::review::merge::{merge, merge3};

const TEXT: &str = "Kim Jong Un met Vladimir Putin in Vostochny on Wednesday, Russian media said.";

/// The span of `word` in TEXT, in code points.
fn span(word: &str) -> (usize, usize) {
    let byte = TEXT.find(word).expect("the word is in the text");
    let start = TEXT[..byte].chars().count();
    (start, start + word.chars().count())
}

fn entity(id: &str, label: &str, word: &str) -> Entity {
    let (start, end) = span(word);
    Entity::new(id, label, start, end, word)
}

/// A project with one article: Kim (e1), Putin (e2), Vostochny (e3) and a
/// claim (c1) whose claimant is e1's neighbour "Russian media" as text.
fn base() -> Project {
    let mut project = Project::new("Summit");
    project.schema.relation_types.push(RelationType {
        key: "Met".into(),
        name: "Met".into(),
    });
    let mut doc = Document::new("summit", "Summit", TEXT);
    doc.entities = vec![
        entity("e1", "PER", "Kim Jong Un"),
        entity("e2", "PER", "Vladimir Putin"),
        entity("e3", "GPE", "Vostochny"),
    ];
    let (start, end) = span("Kim Jong Un met Vladimir Putin");
    let mut claim = Claim::new("c1", start, end, "Kim Jong Un met Vladimir Putin");
    claim.claimant = Some(Claimant::Text("Russian media".into()));
    doc.claims.push(claim);
    doc.relations.push(Relation::new("r1", "Met", "e1", "e2"));
    project.documents.push(doc.into());
    assert_valid(&project);
    project
}

fn assert_valid(project: &Project) {
    let problems = validate(project);
    assert!(problems.is_empty(), "{problems:?}");
}

fn doc(project: &Project) -> &Document {
    &project.documents[0]
}

fn doc_mut(project: &mut Project) -> &mut Document {
    std::sync::Arc::make_mut(&mut project.documents[0])
}

fn labels(project: &Project) -> Vec<(CompactString, CompactString)> {
    doc(project)
        .entities
        .iter()
        .map(|e| (e.text.clone(), e.label.clone()))
        .collect()
}

fn save(dir: &Path, name: &str, project: &Project) -> PathBuf {
    let path = dir.join(name);
    gloss::store::save(project, &path).expect("saved");
    path
}

fn run(args: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut all: Vec<String> = vec!["merge".into()];
    all.extend(extra.iter().map(|s| s.to_string()));
    all.extend(args.iter().map(|p| p.display().to_string()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    gloss(&refs)
}

// --- Three-way ------------------------------------------------------------

#[test]
fn both_sides_add_annotations_and_both_are_kept() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    doc_mut(&mut ours)
        .entities
        .push(entity("e4", "DATE", "Wednesday"));
    doc_mut(&mut theirs)
        .entities
        .push(entity("e5", "ORG", "Russian media"));
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert!(report.is_clean(), "{report:?}");
    let got = labels(&merged);
    assert!(got.contains(&("Wednesday".into(), "DATE".into())));
    assert!(got.contains(&("Russian media".into(), "ORG".into())));
    assert_eq!(got.len(), 5);
}

#[test]
fn a_deletion_the_other_side_did_not_touch_is_kept() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    // Ours deletes Vostochny; theirs changes something else.
    doc_mut(&mut ours).entities.retain(|e| e.id != "e3");
    doc_mut(&mut theirs).entities[0].note = Some("North Korean leader".into());
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert!(report.is_clean(), "{report:?}");
    assert!(doc(&merged).entity("e3").is_none());
    assert_eq!(
        doc(&merged).entity("e1").unwrap().note.as_deref(),
        Some("North Korean leader")
    );
}

#[test]
fn deleting_what_the_other_side_changed_is_a_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    doc_mut(&mut ours).entities.retain(|e| e.id != "e3");
    doc_mut(&mut theirs).entities[2].label = "LOC".into();
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert_eq!(report.remaining, 1);
    assert_eq!(doc(&merged).entity("e3").unwrap().label, "LOC");
    let conflict = &doc(&merged).conflicts[0];
    assert!(conflict.versions[0].deleted);
    assert_eq!(conflict.versions[1].annotations, ["e3"]);
}

#[test]
fn edits_of_different_fields_of_one_annotation_are_both_applied() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    doc_mut(&mut ours).entities[1].label = "ORG".into();
    doc_mut(&mut ours).entities[1].annotator = Some("ana".into());
    doc_mut(&mut theirs).entities[1].note = Some("Russian president".into());
    doc_mut(&mut theirs).entities[1].annotator = Some("ben".into());
    doc_mut(&mut theirs).claims[0].verdict = Some(gloss::model::Verdict::Supports);
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert!(report.is_clean(), "{report:?}");
    let putin = doc(&merged).entity("e2").unwrap();
    assert_eq!(putin.label, "ORG");
    assert_eq!(putin.note.as_deref(), Some("Russian president"));
    assert_eq!(
        doc(&merged).claims[0].verdict,
        Some(gloss::model::Verdict::Supports)
    );
}

#[test]
fn the_same_field_changed_differently_is_a_recorded_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    doc_mut(&mut ours).entities[2].label = "LOC".into();
    doc_mut(&mut ours).entities[2].annotator = Some("ana".into());
    doc_mut(&mut theirs).entities[2].label = "ORG".into();
    doc_mut(&mut theirs).entities[2].annotator = Some("ben".into());
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert_eq!(report.new_conflicts, 1);
    let d = doc(&merged);
    let conflict = &d.conflicts[0];
    assert_eq!(conflict.kind, ConflictKind::Conflict);
    assert_eq!(conflict.about, ConflictAbout::Annotations);
    assert_eq!(conflict.fields, ["label"]);
    // Ours stays in place under its id; theirs is a live copy.
    assert_eq!(conflict.versions[0].side, "ours");
    assert_eq!(conflict.versions[0].annotations, ["e3"]);
    assert_eq!(conflict.versions[0].annotator.as_deref(), Some("ana"));
    assert_eq!(d.entity("e3").unwrap().label, "LOC");
    let copy = &conflict.versions[1].annotations[0];
    assert_eq!(conflict.versions[1].annotator.as_deref(), Some("ben"));
    assert_eq!(d.entity(copy).unwrap().label, "ORG");
    assert_eq!(d.entity(copy).unwrap().text, "Vostochny");
}

#[test]
fn the_same_change_on_both_sides_is_no_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    for side in [&mut ours, &mut theirs] {
        doc_mut(side).entities[2].label = "LOC".into();
        doc_mut(side).status = Status::Done;
        doc_mut(side)
            .entities
            .push(entity("e4", "DATE", "Wednesday"));
    }
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(doc(&merged).entities.len(), 4);
    assert_eq!(doc(&merged).status, Status::Done);
    assert_eq!(doc(&merged).entity("e3").unwrap().label, "LOC");
}

#[test]
fn a_document_added_on_one_side_is_kept() {
    let base = base();
    let ours = base.clone();
    let mut theirs = base.clone();
    let mut added = Document::new("second", "Second", "Putin thanked Kim.");
    added.entities.push(Entity::new("e1", "PER", 0, 5, "Putin"));
    theirs.documents.push(added.into());
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(merged.documents.len(), 2);
    assert_eq!(report.only_second, ["second"]);
    assert_eq!(merged.document("second").unwrap().entities.len(), 1);
}

#[test]
fn clashing_ids_are_renamed_with_everything_that_points_to_them() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    // Both take the next free ids, e4 and c2, for different things.
    doc_mut(&mut ours)
        .entities
        .push(entity("e4", "DATE", "Wednesday"));
    {
        let d = doc_mut(&mut theirs);
        d.entities.push(entity("e4", "ORG", "Russian media"));
        let (start, end) = span("Vladimir Putin in Vostochny");
        let mut claim = Claim::new("c2", start, end, "Vladimir Putin in Vostochny");
        claim.claimant = Some(Claimant::Entity("e4".into()));
        d.claims.push(claim);
        d.relations.push(Relation::new("r2", "Met", "e4", "e2"));
    }
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert!(report.is_clean(), "{report:?}");
    assert!(!report.notes.is_empty());
    let d = doc(&merged);
    assert_eq!(d.entity("e4").unwrap().text, "Wednesday");
    let media = d
        .entities
        .iter()
        .find(|e| e.text == "Russian media")
        .unwrap();
    assert_ne!(media.id, "e4");
    assert_eq!(
        d.claim("c2").unwrap().claimant,
        Some(Claimant::Entity(media.id.clone()))
    );
    assert_eq!(d.relation("r2").unwrap().from, media.id);
}

#[test]
fn project_name_schema_and_canonical_entities_merge_by_key() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.name = "Summit (ana)".into();
    theirs.name = "Summit (ben)".into();
    ours.canonical_entities.push(gloss::model::CanonicalEntity {
        id: "k1".into(),
        name: "Kim Jong Un".into(),
        label: "PER".into(),
        note: None,
    });
    doc_mut(&mut ours).entities[0].canonical = Some("k1".into());
    theirs
        .canonical_entities
        .push(gloss::model::CanonicalEntity {
            id: "k1".into(),
            name: "Vladimir Putin".into(),
            label: "PER".into(),
            note: None,
        });
    doc_mut(&mut theirs).entities[1].canonical = Some("k1".into());
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    // The name is a conflict; the canonical entities are two things.
    assert_eq!(report.remaining, 1, "{:?}", merged.conflicts);
    assert_eq!(merged.name, "Summit (ana)");
    assert_eq!(merged.conflicts[0].about, ConflictAbout::Project);
    assert_eq!(merged.canonical_entities.len(), 2);
    let putin = doc(&merged)
        .entity("e2")
        .unwrap()
        .canonical
        .clone()
        .unwrap();
    assert_eq!(merged.canonical(&putin).unwrap().name, "Vladimir Putin");
}

#[test]
fn carried_conflicts_survive_a_save_and_an_old_file_stays_version_1() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    doc_mut(&mut ours).entities[2].label = "LOC".into();
    doc_mut(&mut theirs).entities[2].label = "ORG".into();
    let (merged, _) = merge3(&base, &ours, &theirs);
    let text = gloss::store::to_ron(&merged);
    assert!(text.contains("version: 2,"));
    assert!(text.contains("conflicts: ["));
    let back = gloss::store::parse(Path::new("merged.ron"), text.as_bytes()).unwrap();
    assert_eq!(back, merged);
    // A project without conflicts is still written as version 1.
    assert!(gloss::store::to_ron(&base).contains("version: 1,"));
    // A conflict naming an annotation that is gone is reported…
    let mut broken = merged.clone();
    let copy = doc(&broken).conflicts[0].versions[1].annotations[0].clone();
    doc_mut(&mut broken).entities.retain(|e| e.id != copy);
    let problems = validate(&broken);
    assert!(
        problems.iter().any(|p| p.message.contains(&copy)),
        "{problems:?}"
    );
    // …and the edit layer refuses to make it so.
    let mut project = merged.clone();
    let refused = gloss::edit::apply(
        &mut project,
        gloss::edit::Edit::RemoveEntity {
            doc: "summit".into(),
            id: copy.clone(),
        },
    );
    assert!(refused.is_err());
    // Settling: remove the record, then the version not taken.
    let settle = gloss::edit::Edit::Batch {
        label: "Take ours".into(),
        edits: vec![
            gloss::edit::Edit::RemoveConflict {
                doc: Some("summit".into()),
                id: doc(&project).conflicts[0].id.clone(),
            },
            gloss::edit::Edit::RemoveEntity {
                doc: "summit".into(),
                id: copy,
            },
        ],
    };
    let undo = gloss::edit::apply(&mut project, settle).unwrap();
    assert_valid(&project);
    assert_eq!(project.conflict_count(), 0);
    gloss::edit::apply(&mut project, undo).unwrap();
    assert_eq!(project, merged);
}

// --- Two-way --------------------------------------------------------------

#[test]
fn two_way_keeps_agreements_once_and_records_every_disagreement() {
    let mut a = base();
    a.annotators = vec!["ana".into()];
    let mut b = base();
    b.annotators = vec!["ben".into()];
    // B's copy of the article has another id and order: matched by text.
    doc_mut(&mut b).id = "article-1".into();
    doc_mut(&mut b).entities.reverse();
    // They disagree on Vostochny's type; only B tagged Wednesday.
    doc_mut(&mut a).entities[2].label = "LOC".into();
    doc_mut(&mut b)
        .entities
        .push(entity("e9", "DATE", "Wednesday"));
    let (merged, report) = merge(&a, &b);
    assert_valid(&merged);
    assert_eq!(report.matched, 1);
    let d = doc(&merged);
    // Kim, Putin, the claim and the relation agree; kept once.
    assert_eq!(report.agreed, 4);
    assert_eq!(d.entities.len(), 5);
    assert_eq!(d.conflicts.len(), 2);
    for c in &d.conflicts {
        assert_eq!(c.kind, ConflictKind::Disagreement);
        assert_eq!(c.versions[0].annotator.as_deref(), Some("ana"));
        assert_eq!(c.versions[1].annotator.as_deref(), Some("ben"));
    }
    let vostochny = &d.conflicts[0];
    assert_eq!(vostochny.fields, ["label"]);
    let theirs = d.entity(&vostochny.versions[1].annotations[0]).unwrap();
    assert_eq!(
        (theirs.label.as_str(), theirs.annotator.as_deref()),
        ("GPE", Some("ben"))
    );
    let wednesday = &d.conflicts[1];
    assert!(wednesday.versions[0].annotations.is_empty());
    assert_eq!(
        d.entity(&wednesday.versions[1].annotations[0])
            .unwrap()
            .text,
        "Wednesday"
    );
    assert_eq!(merged.annotators, ["ana", "ben"]);
}

#[test]
fn two_way_of_identical_projects_is_clean() {
    let (merged, report) = merge(&base(), &base());
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(merged.documents, base().documents);
}

/// Stamps every annotation of the article as made by `who` at `when`, the
/// way the app does.
fn stamp_all(project: &mut Project, who: &str, when: &str) {
    let d = doc_mut(project);
    for e in &mut d.entities {
        e.annotator = Some(who.into());
        e.modified = Some(when.into());
    }
    for c in &mut d.claims {
        c.annotator = Some(who.into());
        c.modified = Some(when.into());
    }
    for r in &mut d.relations {
        r.annotator = Some(who.into());
        r.modified = Some(when.into());
    }
}

#[test]
fn modified_times_never_make_a_disagreement_or_a_conflict() {
    // Two-way: the same annotations, made by two people at other times.
    let mut a = base();
    stamp_all(&mut a, "ana", "2026-11-28T09:00:00Z");
    let mut b = base();
    stamp_all(&mut b, "ben", "2026-11-29T10:30:00Z");
    let (merged, report) = merge(&a, &b);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.agreed, 5, "3 entities, a claim and a relation");
    assert_eq!(merged.conflict_count(), 0);
    // Three-way: both sides touched the same annotations at different
    // times (the same label on both, a note on one side only).
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    stamp_all(&mut ours, "ana", "2026-11-28T09:00:00Z");
    stamp_all(&mut theirs, "ben", "2026-11-29T10:30:00Z");
    doc_mut(&mut theirs).entities[0].note = Some("North Korean leader".into());
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(merged.conflict_count(), 0);
    assert_valid(&merged);
    let kim = doc(&merged).entity("e1").unwrap();
    assert_eq!(kim.note.as_deref(), Some("North Korean leader"));
    assert!(kim.modified.is_some(), "a time is kept");
    // A review comment is content: different comments do disagree.
    let mut a = base.clone();
    let mut b = base.clone();
    for (p, comment) in [(&mut a, "who said it?"), (&mut b, "check the date")] {
        let e = &mut doc_mut(p).entities[2];
        e.review = gloss::model::Review::Discuss;
        e.review_comment = Some(comment.into());
    }
    let (_, report) = merge(&a, &b);
    assert!(!report.is_clean(), "{report:?}");
}

// --- The binary -----------------------------------------------------------

#[test]
fn the_command_exits_0_when_clean_1_with_conflicts_and_2_for_bad_input() {
    let dir = temp_dir();
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    doc_mut(&mut ours).entities[2].label = "LOC".into();
    doc_mut(&mut theirs).entities[2].label = "ORG".into();
    let base_path = save(dir.path(), "base.gloss.ron", &base);
    let ours_path = save(dir.path(), "ours.gloss.ron", &ours);
    let theirs_path = save(dir.path(), "theirs.gloss.ron", &theirs);

    // Conflict: exit 1, the output written and valid, the conflict in it.
    let out_path = dir.path().join("out.gloss.ron");
    let out = run(
        &[&ours_path, &theirs_path],
        &[
            "--base",
            base_path.to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 conflict left"), "{}", stderr(&out));
    let merged = gloss::store::load(&out_path).unwrap();
    assert_eq!(doc(&merged).conflicts.len(), 1);

    // An existing output that is not the first input needs --force.
    let again = run(
        &[&ours_path, &theirs_path],
        &[
            "--base",
            base_path.to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), Some(3), "{}", stderr(&again));

    // Clean, written over the first input as git asks: exit 0.
    let same = save(dir.path(), "same.gloss.ron", &ours);
    let clean = run(
        &[&same, &ours_path],
        &[
            "--base",
            base_path.to_str().unwrap(),
            "-o",
            same.to_str().unwrap(),
        ],
    );
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert_eq!(gloss::store::load(&same).unwrap().documents, ours.documents);

    // Two-way: file names say who made what.
    let ana = save(dir.path(), "ana.gloss.ron", &ours);
    let ben = save(dir.path(), "ben.gloss.ron", &theirs);
    let adjudicate = dir.path().join("adjudicate.gloss.ron");
    let two = run(&[&ana, &ben], &["-o", adjudicate.to_str().unwrap()]);
    assert_eq!(two.status.code(), Some(1), "{}", stderr(&two));
    let merged = gloss::store::load(&adjudicate).unwrap();
    let c = &doc(&merged).conflicts[0];
    assert_eq!(
        (c.versions[0].side.as_str(), c.versions[1].side.as_str()),
        ("ana", "ben")
    );

    // An input that cannot be read: exit 2, nothing written.
    let missing = dir.path().join("missing.gloss.ron");
    let fresh = dir.path().join("fresh.gloss.ron");
    let bad = run(&[&ours_path, &missing], &["-o", fresh.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(!fresh.exists());
    let garbage = dir.path().join("garbage.gloss.ron");
    std::fs::write(&garbage, "(version: 1").unwrap();
    let bad = run(&[&garbage, &ours_path], &["-o", fresh.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(!fresh.exists());
}

// --- git ------------------------------------------------------------------

#[test]
fn git_merge_of_two_annotating_branches_just_works() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed (the git merge driver test does nothing)");
        return;
    }
    let dir = temp_dir();
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git_ok(&repo, &["init", "-q"]);
    git_ok(&repo, &["config", "commit.gpgsign", "false"]);
    git_ok(
        &repo,
        &["config", "merge.gloss.name", "Gloss project merge"],
    );
    let driver = format!(
        "'{}' merge --base %O %A %B -o %A",
        env!("CARGO_BIN_EXE_gloss")
    );
    git_ok(&repo, &["config", "merge.gloss.driver", &driver]);
    std::fs::write(repo.join(".gitattributes"), "*.gloss.ron merge=gloss\n").unwrap();
    std::fs::write(repo.join(".gitignore"), ".*.lock\n").unwrap();
    let file = repo.join("summit.gloss.ron");
    let base = base();
    gloss::store::save(&base, &file).unwrap();
    git_ok(&repo, &["add", "."]);
    git_ok(&repo, &["commit", "-q", "-m", "base"]);
    let main = git_ok(&repo, &["rev-parse", "--abbrev-ref", "HEAD"]);

    // Ben tags the date and a claimant on a branch; both take id e4.
    git_ok(&repo, &["checkout", "-q", "-b", "ben"]);
    let mut theirs = base.clone();
    doc_mut(&mut theirs)
        .entities
        .push(entity("e4", "DATE", "Wednesday"));
    doc_mut(&mut theirs).entities[1].note = Some("Russian president".into());
    gloss::store::save(&theirs, &file).unwrap();
    git_ok(&repo, &["commit", "-q", "-am", "ben: date"]);

    // Ana tags the media and changes Vostochny's type on the main branch.
    git_ok(&repo, &["checkout", "-q", &main]);
    let mut ours = base.clone();
    doc_mut(&mut ours)
        .entities
        .push(entity("e4", "ORG", "Russian media"));
    doc_mut(&mut ours).entities[2].label = "LOC".into();
    gloss::store::save(&ours, &file).unwrap();
    git_ok(&repo, &["commit", "-q", "-am", "ana: media"]);

    // A plain line merge would conflict on the e4 lines; the driver does not.
    git_ok(&repo, &["merge", "-q", "--no-edit", "ben"]);
    let merged = gloss::store::load(&file).unwrap();
    assert_valid(&merged);
    assert_eq!(merged.conflict_count(), 0);
    let got = labels(&merged);
    assert!(
        got.contains(&("Wednesday".into(), "DATE".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("Russian media".into(), "ORG".into())),
        "{got:?}"
    );
    assert!(got.contains(&("Vostochny".into(), "LOC".into())), "{got:?}");
    assert_eq!(
        doc(&merged).entity("e2").unwrap().note.as_deref(),
        Some("Russian president")
    );
    // Nothing left behind in the work tree (lock, temporary files).
    assert_eq!(git_ok(&repo, &["status", "--porcelain"]), "");

    // A real conflict: git stops, the file holds both versions, recorded.
    git_ok(&repo, &["checkout", "-q", "-b", "ben2", "HEAD~1"]);
    let mut theirs2 = gloss::store::load(&file).unwrap();
    doc_mut(&mut theirs2).entities[0].label = "ORG".into();
    gloss::store::save(&theirs2, &file).unwrap();
    git_ok(&repo, &["commit", "-q", "-am", "ben: Kim is an ORG"]);
    git_ok(&repo, &["checkout", "-q", &main]);
    let mut ours2 = gloss::store::load(&file).unwrap();
    doc_mut(&mut ours2).entities[0].label = "GPE".into();
    gloss::store::save(&ours2, &file).unwrap();
    git_ok(&repo, &["commit", "-q", "-am", "ana: Kim is a GPE"]);
    let out = git(&repo, &["merge", "-q", "--no-edit", "ben2"]);
    assert!(!out.status.success(), "the merge stops on the conflict");
    let merged = gloss::store::load(&file).unwrap();
    assert_eq!(merged.conflict_count(), 1);
    assert_eq!(doc(&merged).conflicts[0].fields, ["label"]);
}

#[test]
fn the_documented_merged_project_is_valid_and_canonical() {
    let doc = include_str!("../../docs/format.md");
    let section = doc
        .find("## A merged project")
        .expect("docs/format.md has a merged example");
    let start = doc[section..].find("```ron\n").expect("a ```ron block") + section + 7;
    let length = doc[start..].find("```").expect("the block ends");
    let example = &doc[start..start + length];
    let project = gloss::store::parse(Path::new("docs/format.md"), example.as_bytes())
        .unwrap_or_else(|e| panic!("{}", e.lines().join("\n")));
    assert_eq!(project.conflict_count(), 4);
    assert_eq!(gloss::store::to_ron(&project), example);
}

// --- Same span, both sides -------------------------------------------------

#[test]
fn the_same_span_added_on_both_sides_with_different_labels_is_one_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    doc_mut(&mut ours)
        .entities
        .push(entity("e4", "GPE", "Wednesday"));
    doc_mut(&mut theirs)
        .entities
        .push(entity("e9", "DATE", "Wednesday"));
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert_eq!(report.new_conflicts, 1, "{report:?}");
    assert_eq!(merged.conflict_count(), 1);
    let record = &doc(&merged).conflicts[0];
    assert_eq!(record.kind, ConflictKind::Conflict);
    assert_eq!(record.fields, ["label"]);
    let ids: Vec<&str> = record.annotation_ids().collect();
    assert_eq!(ids.len(), 2, "{record:?}");
    // Both versions are there for the reviewer, each named in the record.
    for id in ids {
        assert!(doc(&merged).entity(id).is_some(), "{id}");
    }
}

#[test]
fn the_same_entity_added_on_both_sides_under_different_ids_is_one_entity() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    doc_mut(&mut ours)
        .entities
        .push(entity("e4", "DATE", "Wednesday"));
    let mut twin = entity("e7", "DATE", "Wednesday");
    twin.annotator = Some("ben".into());
    doc_mut(&mut theirs).entities.push(twin);
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert_valid(&merged);
    assert!(report.is_clean(), "{report:?}");
    let wednesdays = doc(&merged)
        .entities
        .iter()
        .filter(|e| e.text == "Wednesday")
        .count();
    assert_eq!(wednesdays, 1);
}

#[test]
fn the_two_way_merge_records_the_same_span_pair_once_too() {
    let base = base();
    let mut a = base.clone();
    let mut b = base.clone();
    doc_mut(&mut a)
        .entities
        .push(entity("e4", "GPE", "Wednesday"));
    doc_mut(&mut b)
        .entities
        .push(entity("e4", "DATE", "Wednesday"));
    let (merged, report) = merge(&a, &b);
    assert_valid(&merged);
    assert_eq!(report.new_conflicts, 1, "{report:?}");
    assert_eq!(doc(&merged).conflicts[0].annotation_ids().count(), 2);
}

#[test]
fn many_differing_labels_are_grouped_in_pairs_by_the_sweep() {
    // 4,000 one-word entities per side, every label different: each pairs
    // with exactly one of the other side, so the records are 4,000 pairs.
    let words: Vec<(usize, usize)> = (0..4000).map(|i| (i * 2, i * 2 + 1)).collect();
    let text: String = "x ".repeat(4000);
    let make = |label: &str| {
        let mut project = Project::new("Many");
        let mut doc = Document::new("d", "Many", &text);
        doc.entities = words
            .iter()
            .enumerate()
            .map(|(i, (s, e))| Entity::new(format!("e{i}"), label, *s, *e, "x"))
            .collect();
        project.documents.push(doc.into());
        project
    };
    let (merged, report) = merge(&make("PER"), &make("ORG"));
    assert_eq!(report.new_conflicts, 4000);
    assert!(
        doc(&merged)
            .conflicts
            .iter()
            .all(|c| c.annotation_ids().count() == 2)
    );
}

#[test]
fn a_claimant_mention_and_the_same_words_as_text_agree_in_merge_as_in_agree() {
    let base = base();
    let mut a = base.clone();
    let mut b = base.clone();
    // A names Kim by his mention; B writes his name as text.
    doc_mut(&mut a).claims[0].claimant = Some(Claimant::Entity("e1".into()));
    doc_mut(&mut b).claims[0].claimant = Some(Claimant::Text("Kim Jong Un".into()));
    let (merged, report) = merge(&a, &b);
    assert_valid(&merged);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(doc(&merged).claims.len(), 1);
    let agreement = gloss::review::agree::agree(&a, &b, &Default::default()).unwrap();
    let json = agreement.to_json();
    assert!(json.to_string().contains("\"claimant\":1.0"), "{json}");
    // Different words: a disagreement in both.
    doc_mut(&mut b).claims[0].claimant = Some(Claimant::Text("Putin".into()));
    let (_, report) = merge(&a, &b);
    assert_eq!(report.new_conflicts, 1, "{report:?}");
}

#[test]
fn git_setup_writes_the_attributes_ignores_and_an_absolute_driver_that_runs() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let dir = temp_dir();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join("sub")).unwrap();
    git_ok(&repo, &["init", "-q"]);
    std::fs::write(repo.join(".gitignore"), "target/\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg("git-setup")
        .current_dir(repo.join("sub"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(repo.join(".gitattributes")).unwrap(),
        "*.gloss.ron merge=gloss\n"
    );
    let ignore = std::fs::read_to_string(repo.join(".gitignore")).unwrap();
    assert!(ignore.starts_with("target/\n.*.lock\n"), "{ignore}");
    let driver = git_ok(&repo, &["config", "--get", "merge.gloss.driver"]);
    assert!(
        driver.starts_with(&format!("{} merge --base", env!("CARGO_BIN_EXE_gloss")))
            || driver.starts_with(&format!("'{}' merge --base", env!("CARGO_BIN_EXE_gloss"))),
        "{driver}"
    );
    // Twice changes nothing.
    let again = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg("git-setup")
        .current_dir(&repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(
        std::fs::read_to_string(repo.join(".gitignore")).unwrap(),
        ignore
    );
    // Outside a repository: exit 1 and a clear line.
    let outside = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg("git-setup")
        .current_dir(outside.path())
        .env("GIT_CEILING_DIRECTORIES", outside.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not inside a git repository"),
        "{}",
        stderr(&out)
    );
}
