//! The complete example in docs/format.md loads, validates and is canonical.

#[test]
fn the_documented_example_is_a_valid_canonical_project() {
    let doc = include_str!("../docs/format.md");
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
    // The example is written exactly as Gloss writes it.
    assert_eq!(gloss::store::to_ron(&project), example);
}
