#[test]
fn show() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/brat/news-tutorial");
    let i = gloss::formats::import(gloss::formats::Format::Brat, &[&dir]).unwrap();
    for w in &i.warnings { println!("{w}"); }
    let e = gloss::formats::export(&i.project, gloss::formats::Format::Brat, &Default::default()).unwrap();
    for w in &e.warnings { println!("EXPORT {w}"); }
    for (p, b) in &e.files { if p.to_string_lossy().contains("000-") && p.to_string_lossy().ends_with("ann") || p.to_string_lossy().ends_with("conf") { println!("== {}\n{}", p.display(), String::from_utf8_lossy(b)); } }
    let c = gloss::formats::export(&i.project, gloss::formats::Format::Conll, &Default::default()).unwrap();
    for w in &c.warnings { println!("CONLL {w}"); }
    println!("{}", String::from_utf8_lossy(&c.files[0].1).lines().take(60).collect::<Vec<_>>().join("\n"));
}
