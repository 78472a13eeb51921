//! HTML pages: the article through Mozilla's Readability (the algorithm of
//! Firefox's Reader View, in Rust: `dom_smoothie`), with the page's metadata
//! (title, byline, date, site name, canonical URL, language, direction),
//! then turned into Gloss text by a walk over an html5ever tree.
//!
//! Never a silent fragment: when the page holds no clear article, the whole
//! visible text of the page is imported and the article carries a warning.

mod guard;
mod text;

use scraper::{Html, Selector};

use super::Article;

pub use text::collapse_whitespace;

/// How an HTML page becomes a document's text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HtmlMode {
    /// The article when the page clearly has one, else the whole page text
    /// with a warning.
    #[default]
    Auto,
    /// The article as Readability finds it, even when it is a small part of
    /// the page; the whole page (with a warning) only when none is found.
    Article,
    /// The whole visible text of the page, no extraction.
    Page,
}

impl HtmlMode {
    /// Every mode, for menus.
    pub const ALL: [HtmlMode; 3] = [HtmlMode::Auto, HtmlMode::Article, HtmlMode::Page];

    /// Parses `auto`, `article` or `page` (the CLI's `--html` values).
    pub fn parse(name: &str) -> Result<Self, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "article" => Ok(Self::Article),
            "page" => Ok(Self::Page),
            other => Err(format!(
                "unknown HTML mode {other:?}; expected auto, article or page"
            )),
        }
    }

    /// The mode's name, as [`HtmlMode::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Article => "article",
            Self::Page => "page",
        }
    }
}

/// Pages nested deeper than this are not given to Readability, whose
/// scoring walks ancestors and descendants of every candidate: on a page
/// nested thousands of levels deep that is quadratic. Real news pages stay
/// well under 100 levels; browsers' own parsers cap layout depth at a few
/// hundred.
const MAX_READABILITY_DEPTH: usize = 512;

/// Pages with more elements than this are not given to Readability either,
/// for the same reason (bounded time); the largest real pages measured
/// (Wikipedia articles) have under 40,000.
const MAX_READABILITY_ELEMENTS: usize = 200_000;

/// In auto mode, an article with fewer words than this share of the page's
/// visible words is taken for a stray fragment (a related-story headline, a
/// teaser), and the whole page text is imported instead. Measured on
/// Mozilla's 130 Readability test pages (docs/html-import.md): the smallest
/// share of a real article is 7% (a Yahoo page whose article is one
/// caption), most are 15–100%; the one-headline failures this guards
/// against are under 1% of a news page. 3% leaves a margin on both sides.
const MIN_ARTICLE_SHARE: f64 = 0.03;

/// Below this many words, a page's own text is too short for the share test
/// to mean anything (a page that is all article).
const MIN_PAGE_WORDS_FOR_SHARE: usize = 200;

/// The warning when the whole page text was imported instead of an article.
pub const NO_ARTICLE_WARNING: &str = "no clear article found; imported the whole page text";

/// Reads an HTML page into an article as `mode` asks. `file_source` is the
/// file's path, used as the document's source when the page names no URL.
pub fn read(html: &str, file_source: Option<String>, mode: HtmlMode) -> Article {
    let mut warnings = Vec::new();
    // Checked before any tree is built: building one for a hostile page is
    // itself quadratic (see `guard`).
    let flattened;
    let (html, too_deep) = if guard::nests_deeper_than(html, MAX_READABILITY_DEPTH) {
        if mode != HtmlMode::Page {
            warnings.push(format!(
                "nested more than {MAX_READABILITY_DEPTH} elements deep; {NO_ARTICLE_WARNING}"
            ));
        }
        flattened = guard::flatten(html);
        (flattened.as_str(), true)
    } else {
        (html, false)
    };
    let page = Html::parse_document(html);
    let meta = PageMeta::read(&page);

    let extracted = match mode {
        HtmlMode::Page => None,
        _ if too_deep => None,
        HtmlMode::Auto | HtmlMode::Article => {
            let depth = text::max_depth(&page);
            let elements = page.tree.nodes().filter(|n| n.value().is_element()).count();
            if depth > MAX_READABILITY_DEPTH {
                warnings.push(format!(
                    "nested {depth} elements deep (more than {MAX_READABILITY_DEPTH}); {NO_ARTICLE_WARNING}"
                ));
                None
            } else if elements > MAX_READABILITY_ELEMENTS {
                warnings.push(format!(
                    "{elements} elements (more than {MAX_READABILITY_ELEMENTS}); {NO_ARTICLE_WARNING}"
                ));
                None
            } else {
                extract(html, mode == HtmlMode::Auto)
            }
        }
    };

    let page_text = || text::visible_text(&page);
    // Whether the text is the article Readability found (not the page's).
    let mut article_found = false;
    let (body, readable) = match (extracted, mode) {
        (Some(found), HtmlMode::Article) => {
            article_found = true;
            (found.text.clone(), Some(found))
        }
        (Some(found), _) => {
            let page_text = page_text();
            if is_fragment(&found.text, &page_text) {
                warnings.push(NO_ARTICLE_WARNING.to_owned());
                (page_text, Some(found))
            } else {
                article_found = true;
                (found.text.clone(), Some(found))
            }
        }
        (None, HtmlMode::Page) => (page_text(), None),
        (None, _) => {
            if warnings.is_empty() {
                warnings.push(NO_ARTICLE_WARNING.to_owned());
            }
            (page_text(), None)
        }
    };

    // Without an article, Readability still reads the page's metadata
    // (JSON-LD, Open Graph, the `<title>` without its " | Site" tail).
    let readable = readable.or_else(|| metadata_only(html));
    let readable_meta = readable.as_ref();
    let title = readable_meta
        .map(|r| collapse_whitespace(&r.title))
        .filter(|t| !t.is_empty())
        .or_else(|| meta.title.clone())
        .unwrap_or_else(|| first_line(&body));
    // Readability drops the `<h1>` that repeats the title; an analyst
    // tags the headline too, so it leads the text as its own paragraph.
    let body = if article_found && !title.is_empty() && !body.starts_with(title.as_str()) {
        format!("{title}\n\n{body}")
    } else {
        body
    };
    let field = |f: fn(&Extracted) -> Option<&String>| {
        readable_meta
            .and_then(f)
            .map(|s| collapse_whitespace(s))
            .filter(|s| !s.is_empty())
    };
    Article {
        id: None,
        title,
        source: meta
            .url
            .clone()
            .or_else(|| field(|r| r.url.as_ref()).filter(|u| is_web_url(u)))
            .or(file_source),
        date: field(|r| r.published_time.as_ref()).or(meta.date),
        byline: field(|r| r.byline.as_ref()),
        site_name: field(|r| r.site_name.as_ref()).or(meta.site_name),
        language: field(|r| r.lang.as_ref()).or(meta.language),
        direction: readable_meta
            .and_then(|r| r.dir.as_deref())
            .and_then(direction)
            .or(meta.direction),
        text: body,
        warnings,
    }
}

/// What Readability found: the article's text and its metadata.
struct Extracted {
    text: String,
    title: String,
    byline: Option<String>,
    published_time: Option<String>,
    site_name: Option<String>,
    lang: Option<String>,
    dir: Option<String>,
    url: Option<String>,
}

/// Runs Readability on the page. With `check_readerable`, a page that
/// Readability's quick check finds not to be an article gives `None`, as
/// Firefox then offers no Reader View.
fn extract(html: &str, check_readerable: bool) -> Option<Extracted> {
    let config = dom_smoothie::Config {
        max_elements_to_parse: MAX_READABILITY_ELEMENTS,
        ..Default::default()
    };
    let mut readability = dom_smoothie::Readability::new(html, None, Some(config)).ok()?;
    if check_readerable && !readability.is_probably_readable() {
        return None;
    }
    let article = readability.parse().ok()?;
    let content = Html::parse_document(&article.content);
    let text = text::visible_text(&content);
    if text.trim().is_empty() {
        return None;
    }
    Some(Extracted {
        text,
        title: article.title,
        byline: article.byline,
        published_time: article.published_time,
        site_name: article.site_name,
        lang: article.lang,
        dir: article.dir,
        url: article.url,
    })
}

/// Readability's reading of the page's metadata alone, with no article.
fn metadata_only(html: &str) -> Option<Extracted> {
    let readability = dom_smoothie::Readability::new(html, None, None).ok()?;
    let found = readability.get_article_metadata(readability.parse_json_ld());
    Some(Extracted {
        text: String::new(),
        title: found.title,
        byline: found.byline,
        published_time: found.published_time,
        site_name: found.site_name,
        lang: found.lang,
        dir: found.dir,
        url: found.url,
    })
}

/// True when the article is a small share of a long page's visible words.
fn is_fragment(article: &str, page: &str) -> bool {
    let page_words = page.split_whitespace().count();
    if page_words < MIN_PAGE_WORDS_FOR_SHARE {
        return false;
    }
    let article_words = article.split_whitespace().count();
    (article_words as f64) < MIN_ARTICLE_SHARE * page_words as f64
}

/// Metadata read straight from the page: what Readability does not give
/// (the canonical URL) and what stands in when Readability found nothing.
#[derive(Debug, Default)]
struct PageMeta {
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
    site_name: Option<String>,
    language: Option<String>,
    direction: Option<String>,
}

impl PageMeta {
    fn read(page: &Html) -> Self {
        let attr = |css: &str, name: &str| -> Option<String> {
            let selector = Selector::parse(css).ok()?;
            page.select(&selector)
                .filter_map(|e| e.value().attr(name))
                .map(collapse_whitespace)
                .find(|v| !v.is_empty())
        };
        let text_of = |css: &str| -> Option<String> {
            let selector = Selector::parse(css).ok()?;
            page.select(&selector)
                .map(|e| collapse_whitespace(&e.text().collect::<String>()))
                .find(|t| !t.is_empty())
        };
        Self {
            title: attr("meta[property='og:title']", "content")
                .or_else(|| text_of("title"))
                .or_else(|| text_of("h1")),
            url: attr("link[rel~='canonical' i]", "href")
                .filter(|u| is_web_url(u))
                .or_else(|| attr("meta[property='og:url']", "content").filter(|u| is_web_url(u))),
            date: attr("meta[property='article:published_time']", "content")
                .or_else(|| attr("time[datetime]", "datetime")),
            site_name: attr("meta[property='og:site_name']", "content"),
            language: attr("html[lang]", "lang"),
            direction: attr("html[dir]", "dir")
                .or_else(|| attr("body[dir]", "dir"))
                .and_then(|d| direction(&d)),
        }
    }
}

/// An absolute `http(s)` URL: relative canonical links say nothing about
/// where a saved file came from.
fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.contains(char::is_whitespace)
}

/// A `dir` attribute's value, when it is one HTML knows.
fn direction(value: &str) -> Option<String> {
    let value = value.trim().to_ascii_lowercase();
    matches!(value.as_str(), "rtl" | "ltr" | "auto").then_some(value)
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sliver_of_a_long_page_is_a_fragment() {
        let page = "word ".repeat(1000);
        // A related-story headline taken for the article (issue 13).
        assert!(is_fragment(
            "Comey Letter on Clinton Email Is Subject",
            &page
        ));
        assert!(!is_fragment(&"word ".repeat(70), &page), "7% is an article");
        // A short page is never judged by share.
        assert!(!is_fragment("one", &"word ".repeat(150)));
    }

    #[test]
    fn modes_parse_and_name() {
        for mode in HtmlMode::ALL {
            assert_eq!(HtmlMode::parse(mode.name()), Ok(mode));
        }
        assert!(HtmlMode::parse("reader").is_err());
    }

    #[test]
    fn a_page_without_an_article_is_imported_whole_with_a_warning() {
        let page = "<html><head><title>Links</title></head><body><nav>Home</nav>\
                    <ul><li><a href='/a'>One</a></li><li><a href='/b'>Two</a></li></ul></body></html>";
        let article = read(page, None, HtmlMode::Auto);
        assert_eq!(article.text, "Home\n\nOne\nTwo");
        assert_eq!(article.title, "Links");
        assert_eq!(article.warnings, vec![NO_ARTICLE_WARNING.to_owned()]);
        let explicit = read(page, None, HtmlMode::Page);
        assert_eq!(explicit.text, "Home\n\nOne\nTwo");
        assert!(explicit.warnings.is_empty());
    }
}
