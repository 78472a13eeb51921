//! Measures Gloss's HTML import against reader view: for every folder of a
//! test-page set laid out like Mozilla Readability's `test-pages` (each
//! folder holds `source.html`, the saved page; `expected.html`, what Reader
//! View shows; and optionally `expected-metadata.json` with its `title`), it
//! imports `source.html` as Gloss does and scores the document text against
//! the text of `expected.html`.
//!
//! ```sh
//! cargo run --release --example html_f1 -- PATH/TO/test-pages [auto|article|page]
//! ```
//!
//! Word F1 is over multisets of lower-cased words (runs of letters and
//! digits), so that punctuation and line breaks do not count; the title
//! counts as found when it equals the expected title once whitespace is
//! collapsed. The pages are third-party and are read where they lie; none is
//! copied into this repository. See `docs/html-import.md` for the numbers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use gloss::ingest::{HtmlMode, read_articles_with};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: html_f1 TEST-PAGES-FOLDER [auto|article|page]");
        std::process::exit(2);
    };
    let mode = match args.next().map(|m| HtmlMode::parse(&m)) {
        None => HtmlMode::Auto,
        Some(Ok(mode)) => mode,
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut folders: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("source.html").is_file() && p.join("expected.html").is_file())
            .collect(),
        Err(e) => {
            eprintln!("{}: {e}", root.display());
            std::process::exit(2);
        }
    };
    folders.sort();

    let mut f1s = Vec::new();
    let mut titles_found = 0;
    let mut titled = 0;
    let mut warned = 0;
    let started = Instant::now();
    println!("page\tF1\ttitle\tarticle/page words\twarning");
    for folder in &folders {
        let name = folder
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let ours = match read_articles_with(&folder.join("source.html"), mode) {
            Ok(mut articles) if !articles.is_empty() => articles.swap_remove(0),
            Ok(_) => continue,
            Err(e) => {
                println!("{name}\t0.000\t-\t-\terror: {e}");
                f1s.push(0.0);
                continue;
            }
        };
        let expected = expected_text(&folder.join("expected.html"));
        let f1 = word_f1(&ours.text, &expected);
        f1s.push(f1);
        let title = expected_title(folder);
        let title_mark = match &title {
            Some(t) => {
                titled += 1;
                if collapse(t) == collapse(&ours.title) {
                    titles_found += 1;
                    "yes".to_owned()
                } else {
                    format!("no: {:?} vs {:?}", ours.title, t)
                }
            }
            None => "-".to_owned(),
        };
        if !ours.warnings.is_empty() {
            warned += 1;
        }
        println!(
            "{name}\t{f1:.3}\t{title_mark}\t{}\t{}",
            share(folder),
            ours.warnings.join("; ")
        );
    }
    let n = f1s.len().max(1) as f64;
    let mean = f1s.iter().sum::<f64>() / n;
    let at_least_09 = f1s.iter().filter(|f| **f >= 0.9).count();
    println!();
    println!("mode: {}", mode.name());
    println!("pages: {}", f1s.len());
    println!("mean word F1: {mean:.4}");
    println!(
        "pages with F1 >= 0.9: {at_least_09} of {} ({:.1}%)",
        f1s.len(),
        100.0 * at_least_09 as f64 / n
    );
    println!(
        "title equal to reader view's: {titles_found} of {titled} ({:.1}%)",
        100.0 * titles_found as f64 / titled.max(1) as f64
    );
    println!("pages imported with a warning: {warned}");
    println!("time: {:.2} s", started.elapsed().as_secs_f64());
}

/// Words of the article against words of the whole page, in article mode:
/// what the fragment threshold of auto mode is tuned on.
fn share(folder: &Path) -> String {
    let words = |mode| {
        read_articles_with(&folder.join("source.html"), mode)
            .ok()
            .and_then(|a| a.into_iter().next())
            .map_or(0, |a| a.text.split_whitespace().count())
    };
    let article = words(HtmlMode::Article);
    let page = words(HtmlMode::Page);
    format!(
        "{article}/{page} = {:.2}",
        article as f64 / page.max(1) as f64
    )
}

/// The text of Reader View's output: every text node, spaced, with no
/// Gloss code involved so that the reference is independent.
fn expected_text(path: &Path) -> String {
    let html = std::fs::read_to_string(path).unwrap_or_default();
    let page = scraper::Html::parse_document(&html);
    page.root_element().text().collect::<Vec<_>>().join(" ")
}

fn expected_title(folder: &Path) -> Option<String> {
    let json = std::fs::read_to_string(folder.join("expected-metadata.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&json).ok()?;
    value.get("title")?.as_str().map(str::to_owned)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

/// F1 of the word multisets of `ours` against `expected`.
fn word_f1(ours: &str, expected: &str) -> f64 {
    let ours = words(ours);
    let expected = words(expected);
    let total_ours: usize = ours.values().sum();
    let total_expected: usize = expected.values().sum();
    if total_ours == 0 && total_expected == 0 {
        return 1.0;
    }
    let common: usize = ours
        .iter()
        .map(|(w, n)| (*n).min(expected.get(w).copied().unwrap_or(0)))
        .sum();
    if common == 0 {
        return 0.0;
    }
    let precision = common as f64 / total_ours as f64;
    let recall = common as f64 / total_expected as f64;
    2.0 * precision * recall / (precision + recall)
}
