//! HTML to Gloss text: a walk over a parsed tree, without recursion, that
//! keeps the structure annotators need (paragraphs separated by a blank
//! line, headings, list items and table rows on their own lines), drops what
//! a reader never sees (scripts, styles, hidden elements, media) and
//! normalises whitespace. Entities were decoded by the HTML parser.

use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};

/// Elements whose content is never text a reader sees.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "button", "select",
    "option", "textarea", "input", "iframe", "object", "embed", "canvas", "video", "audio", "img",
    "picture", "source", "track", "map", "dialog", "link", "meta",
];

/// Elements that stand apart as paragraphs: a blank line before and after.
const PARAGRAPH_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "caption",
    "ul",
    "ol",
    "menu",
    "dl",
    "address",
    "hr",
    "form",
    "fieldset",
    "legend",
    "details",
    "summary",
    "center",
    "body",
];

/// Elements that stand on their own line, inside a list or a table.
const LINE_TAGS: &[&str] = &["li", "dt", "dd", "tr"];

/// Table cells: separated from each other by a space, never merged.
const CELL_TAGS: &[&str] = &["td", "th"];

/// The break wanted before the next text, from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    Line,
    Paragraph,
}

/// Builds normalised text from a stream of text runs and breaks.
#[derive(Default)]
struct TextBuilder {
    out: String,
    /// Strongest break asked for since the last character written.
    pending: Option<Break>,
    /// Whitespace seen since the last character written.
    space: bool,
}

impl TextBuilder {
    /// Appends a text run; whitespace runs become one space, and no line
    /// starts or ends with a space.
    fn text(&mut self, text: &str, preformatted: bool) {
        for c in text.chars() {
            if preformatted && c == '\n' {
                self.brk(Break::Line);
            } else if c.is_whitespace() {
                self.space = true;
            } else {
                self.write(c);
            }
        }
    }

    fn write(&mut self, c: char) {
        match self.pending.take() {
            Some(Break::Paragraph) if !self.out.is_empty() => self.out.push_str("\n\n"),
            Some(Break::Line) if !self.out.is_empty() => self.out.push('\n'),
            _ => {
                if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push(' ');
                }
            }
        }
        self.space = false;
        self.out.push(c);
    }

    fn brk(&mut self, wanted: Break) {
        if wanted == Break::None {
            return;
        }
        self.pending = Some(self.pending.map_or(wanted, |b| b.max(wanted)));
    }
}

/// True for elements a reader does not see: skipped tags, `hidden`,
/// `aria-hidden="true"` and inline `display:none` / `visibility:hidden`
/// (the same signs Readability uses).
fn is_invisible(element: &Element) -> bool {
    if SKIPPED_TAGS.contains(&element.name()) {
        return true;
    }
    if element.attr("hidden").is_some() || element.attr("aria-hidden") == Some("true") {
        return true;
    }
    element.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// The visible text of a parsed page or fragment, with paragraphs separated
/// by a blank line and list items, table rows and `<br>` on their own lines.
///
/// Linear in the size of the tree and without recursion: `traverse` yields
/// open and close edges, and a skipped element is remembered by its id until
/// it closes, so 100,000 nested elements cannot overflow the stack.
pub fn visible_text(page: &Html) -> String {
    let mut builder = TextBuilder::default();
    // The element whose subtree is being skipped, if any.
    let mut skipping: Option<ego_tree::NodeId> = None;
    // Inside list items and table cells a paragraph break is only a line
    // break: a `<p>` in an `<li>` must not split the item with a blank line.
    let mut in_line = 0usize;
    let mut in_pre = 0usize;
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => builder.text(text, in_pre > 0),
                    Node::Element(element) => {
                        if is_invisible(element) {
                            skipping = Some(node.id());
                            continue;
                        }
                        let name = element.name();
                        if name == "br" {
                            builder.brk(Break::Line);
                        } else if PARAGRAPH_TAGS.contains(&name) {
                            builder.brk(if in_line > 0 {
                                Break::Line
                            } else {
                                Break::Paragraph
                            });
                        } else if LINE_TAGS.contains(&name) {
                            builder.brk(Break::Line);
                            in_line += 1;
                        } else if CELL_TAGS.contains(&name) {
                            builder.space = true;
                            in_line += 1;
                        }
                        if name == "pre" {
                            in_pre += 1;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                let Node::Element(element) = node.value() else {
                    continue;
                };
                let name = element.name();
                if PARAGRAPH_TAGS.contains(&name) {
                    builder.brk(if in_line > 0 {
                        Break::Line
                    } else {
                        Break::Paragraph
                    });
                } else if LINE_TAGS.contains(&name) {
                    in_line = in_line.saturating_sub(1);
                    builder.brk(Break::Line);
                } else if CELL_TAGS.contains(&name) {
                    in_line = in_line.saturating_sub(1);
                    builder.space = true;
                }
                if name == "pre" {
                    in_pre = in_pre.saturating_sub(1);
                }
            }
        }
    }
    builder.out
}

/// The deepest element nesting of a parsed tree, counted without recursion.
pub fn max_depth(page: &Html) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) if node.value().is_element() => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Edge::Close(node) if node.value().is_element() => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Runs of whitespace become one space; the ends are trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        visible_text(&Html::parse_document(html))
    }

    #[test]
    fn blocks_become_paragraphs_and_items_lines() {
        let html = "<h1>Title</h1><p>One <b>bold</b>\n  word.</p><ul><li>a</li><li><p>b</p></li></ul>\
                    <blockquote>Quoted</blockquote><p>x<br>y</p>";
        assert_eq!(
            text(html),
            "Title\n\nOne bold word.\n\na\nb\n\nQuoted\n\nx\ny"
        );
    }

    #[test]
    fn hidden_and_script_content_is_dropped() {
        let html = "<head><title>T</title></head><p>a<script>var x</script></p>\
                    <div hidden>h</div><div style='display: none'>n</div><p aria-hidden=true>r</p><p>b&amp;c&nbsp;d</p>";
        assert_eq!(text(html), "a\n\nb&c d");
    }

    #[test]
    fn table_cells_are_separated() {
        let html = "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>";
        assert_eq!(text(html), "a b\nc");
    }

    #[test]
    fn depth_is_counted() {
        let page = Html::parse_document("<div><div><span>x</span></div></div>");
        // html, body, div, div, span.
        assert_eq!(max_depth(&page), 5);
    }
}
