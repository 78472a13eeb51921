//! Web pages as a user saves them from the browser: the article's
//! paragraphs, headings, lists and quotes, the page's metadata, the whole
//! page (with a warning) when there is no clear article, `--html page` on
//! the command line, and hostile nesting in bounded time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::common::{corpus, gloss, stderr, temp_dir};
use gloss::ingest::{Article, HtmlMode, NO_ARTICLE_WARNING, read_articles_with};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html")
        .join(name)
}

fn read(path: &Path, mode: HtmlMode) -> Article {
    let mut articles = read_articles_with(path, mode).expect("the page reads");
    assert_eq!(articles.len(), 1);
    articles.remove(0)
}

fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n").collect()
}

#[test]
fn the_article_keeps_paragraphs_headings_lists_quotes_and_captions() {
    let article = read(&fixture("structure.html"), HtmlMode::Auto);
    assert!(article.warnings.is_empty(), "{:?}", article.warnings);
    let paragraphs = paragraphs(&article.text);
    // The headline leads as its own paragraph (once: Readability drops the
    // `<h1>` repeating it), and the byline paragraph stays when the byline
    // came from the metadata.
    assert_eq!(paragraphs[0], "Harbour town votes to rebuild its sea wall");
    assert_eq!(article.title, paragraphs[0]);
    assert_eq!(
        article
            .text
            .matches("Harbour town votes to rebuild")
            .count(),
        1
    );
    assert_eq!(paragraphs[1], "By Maria Okafor");
    assert!(
        paragraphs[2].starts_with("The council of Port Alden voted on Wednesday"),
        "the article starts with its first paragraph: {paragraphs:#?}"
    );
    // Entities are decoded, line breaks inside a paragraph are spaces, and
    // a no-break space is a space.
    assert!(
        article
            .text
            .contains("rebuild the town’s crumbling sea wall, ending a decade")
    );
    assert!(article.text.contains("raises the wall by one metre"));
    assert!(paragraphs.contains(&"How the money will be found"));
    assert!(paragraphs.contains(
        &"A national grant of £4.2 million\nA council loan of £1.8 million\nA mooring levy of £12 a month"
    ));
    assert!(paragraphs.contains(
        &"“We cannot keep sandbagging the same streets every winter,” said the council leader, Tom Reyes."
    ));
    assert!(paragraphs.contains(&"The old wall was built in 1952 and last repaired in 1987."));
    assert!(
        paragraphs
            .last()
            .is_some_and(|p| p.starts_with("Opponents said the levy"))
    );
    for furniture in [
        "Home",
        "newsletter",
        "Related stories",
        "Storm closes",
        "Share on",
        "All rights reserved",
        "Privacy",
        "analytics",
        "font-family",
    ] {
        assert!(
            !article.text.contains(furniture),
            "{furniture:?} is page furniture:\n{}",
            article.text
        );
    }
    // Whitespace is normalised: no doubled spaces, no space at a line's ends,
    // never more than one blank line.
    assert!(!article.text.contains("  "));
    assert!(!article.text.contains("\n\n\n"));
    assert!(article.text.lines().all(|l| l.trim() == l));
}

#[test]
fn the_page_metadata_goes_into_the_document() {
    let article = read(&fixture("structure.html"), HtmlMode::Auto);
    assert_eq!(article.title, "Harbour town votes to rebuild its sea wall");
    assert_eq!(article.byline.as_deref(), Some("Maria Okafor"));
    assert_eq!(article.date.as_deref(), Some("2024-03-14T09:30:00Z"));
    assert_eq!(article.site_name.as_deref(), Some("The Coastal Ledger"));
    assert_eq!(
        article.source.as_deref(),
        Some("https://ledger.example.org/2024/03/sea-wall-vote"),
        "the canonical URL wins over og:url and the file path"
    );
    assert_eq!(article.language.as_deref(), Some("en"));
    assert_eq!(article.direction, None);
}

#[test]
fn an_arabic_page_is_right_to_left_with_its_metadata() {
    let article = read(&fixture("arabic.html"), HtmlMode::Auto);
    assert!(article.warnings.is_empty(), "{:?}", article.warnings);
    assert_eq!(article.title, "افتتاح مكتبة عامة جديدة في وسط المدينة");
    assert_eq!(article.language.as_deref(), Some("ar"));
    assert_eq!(article.direction.as_deref(), Some("rtl"));
    assert_eq!(article.site_name.as_deref(), Some("صحيفة المدينة"));
    assert_eq!(article.date.as_deref(), Some("2024-05-02"));
    assert_eq!(
        article.source.as_deref(),
        Some("https://madina.example.org/culture/library")
    );
    let paragraphs = paragraphs(&article.text);
    // The headline first, then the article's three paragraphs.
    assert_eq!(paragraphs.len(), 5, "{paragraphs:#?}");
    assert_eq!(paragraphs[0], article.title);
    assert!(paragraphs[1].starts_with("افتتحت البلدية يوم الخميس"));
    assert!(
        !article.text.contains("الرئيسية"),
        "the navigation is left out"
    );
    assert!(
        !article.text.contains("جميع الحقوق"),
        "the footer is left out"
    );
}

#[test]
fn a_page_without_an_article_is_imported_whole_with_a_warning() {
    let path = fixture("links.html");
    let article = read(&path, HtmlMode::Auto);
    assert_eq!(article.warnings, vec![NO_ARTICLE_WARNING.to_owned()]);
    assert_eq!(
        article.text,
        "Home | News | Sport\n\nAll sections\n\nNews\nPolitics\nBusiness\nWeather\n\n\
         Latest\n\nStorm closes coast road again\nFishermen protest mooring fees\n\
         School roof repairs finished early\n\n© 2024 The Coastal Ledger"
    );
    assert_eq!(article.title, "Sections - The Coastal Ledger");
    assert_eq!(
        article.source.as_deref(),
        Some(path.display().to_string().as_str()),
        "without a canonical URL the source is the file"
    );

    // The report names the file.
    let project = gloss::model::Project::new("p");
    let (_, report) = gloss::ingest::add_articles(&project, std::slice::from_ref(&path));
    assert_eq!(
        report.warnings,
        vec![format!("{}: {NO_ARTICLE_WARNING}", path.display())]
    );
}

#[test]
fn page_mode_imports_everything_and_article_mode_only_the_article() {
    let path = fixture("structure.html");
    let page = read(&path, HtmlMode::Page);
    assert!(
        page.warnings.is_empty(),
        "page mode was asked for: no warning"
    );
    assert!(page.text.starts_with("Home News Sport Weather"));
    assert!(page.text.contains("Related stories"));
    assert!(page.text.contains("The council of Port Alden voted"));
    assert!(!page.text.contains("analytics"), "scripts are never text");
    assert_eq!(page.title, "Harbour town votes to rebuild its sea wall");

    let article = read(&path, HtmlMode::Article);
    assert_eq!(article.text, read(&path, HtmlMode::Auto).text);
}

#[test]
fn the_command_line_chooses_the_mode_and_prints_the_warning() {
    let dir = temp_dir();
    let project = dir.path().join("p.gloss.ron");
    let project = project.to_str().expect("utf-8 path");
    let structure = fixture("structure.html");
    let links = fixture("links.html");

    let out = gloss(&[
        "new",
        project,
        structure.to_str().expect("utf-8 path"),
        "--html",
        "page",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let saved = fs::read_to_string(project).expect("the project was written");
    assert!(
        saved.contains("Related stories"),
        "--html page keeps the whole page"
    );
    for metadata in [
        "source: \"https://ledger.example.org/2024/03/sea-wall-vote\"",
        "date: \"2024-03-14T09:30:00Z\"",
        "byline: \"Maria Okafor\"",
        "site_name: \"The Coastal Ledger\"",
        "language: \"en\"",
    ] {
        assert!(saved.contains(metadata), "{metadata} is saved:\n{saved}");
    }

    let out = gloss(&["add", project, links.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("links.html: {NO_ARTICLE_WARNING}")),
        "{}",
        stderr(&out)
    );

    let out = gloss(&[
        "add",
        project,
        "--html",
        "reader",
        links.to_str().expect("utf-8 path"),
    ]);
    assert!(!out.status.success(), "an unknown mode is refused");
}

#[test]
fn the_kim_putin_page_gives_the_whole_article_and_nothing_around_it() {
    let Some(corpus) = corpus() else { return };
    let articles = corpus.join("articles");
    let plain = fs::read_to_string(articles.join("kim-putin-arms-meeting.txt")).expect("txt");
    let article = read(
        &articles.join("kim-putin-arms-meeting.html"),
        HtmlMode::Auto,
    );
    assert!(article.warnings.is_empty(), "{:?}", article.warnings);
    let title = plain.lines().next().expect("a title line").trim();
    assert_eq!(article.title, title);
    // Every paragraph of the article (its long body) is there, whole.
    let ours = paragraphs(&article.text);
    for paragraph in plain.split("\n\n").map(str::trim) {
        if paragraph.split_whitespace().count() > 20 {
            assert!(
                ours.contains(&paragraph),
                "missing paragraph {paragraph:?} in {ours:#?}"
            );
        }
    }
    for furniture in [
        "Home",
        "Business",
        "Advertisement",
        "Related",
        "Other story",
        "مشاركة",
        "©",
        "dataLayer",
    ] {
        assert!(
            !article.text.contains(furniture),
            "{furniture:?} is not the article:\n{}",
            article.text
        );
    }
}

/// 100,000 nested `<div>`s: no stack overflow, and the time is printed (run
/// with `--nocapture` to see it). Readability is not given such a page; the
/// whole text is imported with a warning.
#[test]
fn a_hundred_thousand_nested_divs_import_without_overflow() {
    let dir = temp_dir();
    let path = dir.path().join("deep.html");
    let depth = 100_000;
    fs::write(
        &path,
        format!(
            "<html><body>{}deep text{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        ),
    )
    .expect("write");
    // On a thread with the default 2 MiB stack, like the app's workers.
    let started = Instant::now();
    let article = std::thread::spawn(move || read(&path, HtmlMode::Auto))
        .join()
        .expect("no stack overflow or panic");
    let elapsed = started.elapsed();
    eprintln!("100,000 nested divs imported in {elapsed:?}");
    assert_eq!(article.text, "deep text");
    assert!(
        article
            .warnings
            .iter()
            .any(|w| w.contains(NO_ARTICLE_WARNING))
    );
}
