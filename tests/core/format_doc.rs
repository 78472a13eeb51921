//! The complete example in docs/format.md loads, validates and is canonical.

#[test]
fn the_documented_example_is_a_valid_canonical_project() {
    let doc = include_str!("../../docs/format.md");
    let start = doc
        .find("```ron\n")
        .expect("docs/format.md has a ```ron example")
        + "```ron\n".len();
    let length = doc[start..].find("```").expect("the example block ends");
    let example = &doc[start..start + length];
    let project = gloss::store::parse(std::path::Path::new("docs/format.md"), example.as_bytes())
        .unwrap_or_else(|e| panic!("{}", e.lines().join("\n")));
    assert_eq!(project.documents.len(), 1);
    let document = &project.documents[0];
    assert_eq!(
        document.claims[0].claimant_name(document),
        Some("Adrienne Watson")
    );
    assert_eq!(document.entities.len(), 3);
    // Provenance (format version 3).
    assert_eq!(project.version, gloss::model::FORMAT_VERSION);
    assert_eq!(
        document.entities[1].modified.as_deref(),
        Some("2026-11-28T09:14:02Z")
    );
    assert_eq!(document.relations[0].annotator.as_deref(), Some("ana"));
    assert_eq!(
        document.claims[0].review_comment.as_deref(),
        Some("is the NSC the source, or Watson?")
    );
    // The example is written exactly as Gloss writes it.
    assert_eq!(gloss::store::to_ron(&project), example);
}

/// The documented example without what a version needs, as that version's
/// Gloss wrote it.
fn example_as_version(version: u32) -> String {
    let doc = include_str!("../../docs/format.md");
    let start = doc.find("```ron\n").expect("an example") + "```ron\n".len();
    let length = doc[start..].find("```").expect("the example block ends");
    let mut text = doc[start..start + length].to_owned();
    for stamp in [
        r#", modified: "2026-11-28T09:14:02Z""#,
        r#", modified: "2026-11-28T09:20:45Z""#,
        r#", modified: "2026-11-28T09:15:10Z""#,
        r#", review_comment: "is the NSC the source, or Watson?""#,
        r#"", to: "e1", annotator: "ana""#,
    ] {
        assert!(text.contains(stamp), "{stamp}");
        let keep = if stamp.starts_with("\"") {
            r#"", to: "e1""#
        } else {
            ""
        };
        text = text.replacen(stamp, keep, 1);
    }
    if version < 2 {
        text = text.replacen(", review: Discuss", "", 1);
    }
    text.replace("format version 3", &format!("format version {version}"))
        .replace("version: 3,", &format!("version: {version},"))
}

#[test]
fn files_of_older_versions_load_and_are_written_back_as_they_were() {
    for version in [1, 2] {
        let old = example_as_version(version);
        let project = gloss::store::parse(std::path::Path::new("old.ron"), old.as_bytes())
            .unwrap_or_else(|e| panic!("version {version}: {}", e.lines().join("\n")));
        // Read into the current version, with no time made up…
        assert_eq!(project.version, gloss::model::FORMAT_VERSION);
        let document = &project.documents[0];
        assert!(document.entities.iter().all(|e| e.modified.is_none()));
        assert!(document.relations.iter().all(|r| r.annotator.is_none()));
        // …and written back byte for byte as the version it was, so that
        // the Gloss that wrote it still opens it.
        assert_eq!(gloss::store::to_ron(&project), old, "version {version}");
    }
}
