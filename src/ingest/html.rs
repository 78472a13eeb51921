//! HTML pages: the article's main text through a real HTML5 parser
//! (html5ever via scraper), without navigation, ads, scripts, related links
//! and footers.

use scraper::{ElementRef, Html, Node, Selector};

use super::Article;

/// Elements that never hold article text.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "iframe", "svg",
    "button", "select", "figure", "img", "video", "audio", "canvas", "object",
];

/// Class or id words that mark boilerplate blocks.
const BOILERPLATE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "banner",
    "related",
    "share",
    "sharing",
    "social",
    "promo",
    "newsletter",
    "comments",
    "comment",
    "cookie",
    "cookies",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "subscribe",
    "popup",
    "sponsored",
];

/// Elements that start a new paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "figcaption",
    "header",
    "address",
    "hr",
];

/// Reads the main article of an HTML page.
pub fn read(html: &str, source: Option<String>) -> Article {
    let page = Html::parse_document(html);
    let root = ["article", "main", "[role=main]", "body"]
        .iter()
        .filter_map(|css| Selector::parse(css).ok())
        .find_map(|selector| page.select(&selector).next());
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    match root {
        Some(root) => collect(root, &mut paragraphs, &mut current),
        None => current.push_str(&page.root_element().text().collect::<String>()),
    }
    flush(&mut paragraphs, &mut current);
    let text = paragraphs.join("\n\n");
    let title = first_text(&page, "h1")
        .or_else(|| first_text(&page, "title"))
        .or_else(|| paragraphs.first().cloned())
        .unwrap_or_default();
    let date = Selector::parse("meta[property='article:published_time'], time[datetime]")
        .ok()
        .and_then(|s| page.select(&s).next())
        .and_then(|e| {
            e.value()
                .attr("content")
                .or_else(|| e.value().attr("datetime"))
        })
        .map(str::to_owned);
    Article {
        id: None,
        title,
        text,
        source,
        date,
    }
}

fn first_text(page: &Html, css: &str) -> Option<String> {
    let selector = Selector::parse(css).ok()?;
    page.select(&selector)
        .map(|e| collapse_whitespace(&e.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

fn is_boilerplate(element: &ElementRef) -> bool {
    let value = element.value();
    if SKIPPED_TAGS.contains(&value.name())
        || value.attr("hidden").is_some()
        || value.attr("aria-hidden") == Some("true")
    {
        return true;
    }
    let words = value.classes().chain(value.id());
    words
        .flat_map(|w| w.split(['-', '_']))
        .any(|w| BOILERPLATE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

/// Walks the tree with an explicit stack: a page nested thousands of levels
/// deep must not overflow the thread's stack.
fn collect(element: ElementRef, paragraphs: &mut Vec<String>, current: &mut String) {
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>),
        /// Leaving a block element: its text ends a paragraph.
        LeaveBlock,
    }
    let mut stack: Vec<Step> = element.children().rev().map(Step::Enter).collect();
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::LeaveBlock => {
                flush(paragraphs, current);
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(e) => {
                let Some(child_element) = ElementRef::wrap(node) else {
                    continue;
                };
                if is_boilerplate(&child_element) {
                    continue;
                }
                if e.name() == "br" {
                    current.push('\n');
                    continue;
                }
                if BLOCK_TAGS.contains(&e.name()) {
                    flush(paragraphs, current);
                    stack.push(Step::LeaveBlock);
                }
                stack.extend(node.children().rev().map(Step::Enter));
            }
            _ => {}
        }
    }
}

fn flush(paragraphs: &mut Vec<String>, current: &mut String) {
    let text = collapse_whitespace(current);
    if !text.is_empty() {
        paragraphs.push(text);
    }
    current.clear();
}

/// Runs of whitespace become one space; the ends are trimmed.
fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_article_and_drops_boilerplate() {
        let page = r#"<html><head><title>T | Site</title><script>var x=1;</script></head><body>
            <nav>Home | World</nav><div class="ad-slot">Buy now</div>
            <article><h1>Big  news</h1><p>First <b>para</b>.</p><p>Second.</p>
            <div class="related-links"><a>Other</a></div></article>
            <footer>(c) Site</footer></body></html>"#;
        let article = read(page, None);
        assert_eq!(article.title, "Big news");
        assert_eq!(article.text, "Big news\n\nFirst para.\n\nSecond.");
    }
}
