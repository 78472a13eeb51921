//! A linear pre-pass over the raw HTML that keeps hostile pages in bounded
//! time. HTML5 tree building checks "is there a `<p>` in button scope?" at
//! every block start tag by walking the stack of open elements, so a page of
//! 100,000 nested `<div>`s costs 100,000² steps in html5ever (minutes); and
//! Readability's scoring walks ancestors and descendants of every candidate.
//! Such a page is flattened before it is parsed: tags deeper than a limit are
//! dropped, block tags become paragraph breaks, and the text stays (entities
//! are still decoded by the parser afterwards).

/// Elements whose content is raw text: a `<` inside them is not a tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Elements that never have content, so never deepen the tree.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];

/// Elements whose end tag may be left out; pages that never close their
/// `<p>`s or `<li>`s are not deep for that, so they are not counted.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rtc", "rp",
    "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
];

/// Tags that become a paragraph break in a flattened page.
const BLOCK: &[&str] = &[
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
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "ul",
    "ol",
    "dl",
    "address",
    "form",
    "center",
];

/// Tags that become a line break in a flattened page.
const LINE: &[&str] = &["br", "li", "dt", "dd", "tr"];

/// Tags copied as they are: the page's metadata and the root's `lang` and
/// `dir`, which never nest.
const KEPT: &[&str] = &["html", "meta", "link"];

/// One tag found by the scanner.
struct Tag<'a> {
    /// Lower-case name.
    name: &'a str,
    closing: bool,
    self_closing: bool,
    /// Byte range of the whole tag in the page.
    start: usize,
    end: usize,
}

/// What the scanner met next.
enum Token<'a> {
    /// Text (or something that is not a tag) from `start` to `end`.
    Text(usize, usize),
    Tag(Tag<'a>),
    /// A comment, doctype or processing instruction: dropped.
    Other,
}

/// A single forward pass over the page, one token at a time.
struct Scanner<'a> {
    /// The page, lower-cased in ASCII only, so byte offsets match the page.
    lower: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn next_token(&mut self) -> Option<Token<'a>> {
        let lower = self.lower;
        let rest = lower.get(self.at..)?;
        if rest.is_empty() {
            return None;
        }
        let start = self.at;
        if !rest.starts_with('<') {
            let end = rest.find('<').map_or(lower.len(), |n| start + n);
            self.at = end;
            return Some(Token::Text(start, end));
        }
        if rest.starts_with("<!--") {
            self.at = rest.find("-->").map_or(lower.len(), |n| start + n + 3);
            return Some(Token::Other);
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            self.at = rest.find('>').map_or(lower.len(), |n| start + n + 1);
            return Some(Token::Other);
        }
        let closing = rest.starts_with("</");
        let name_start = start + if closing { 2 } else { 1 };
        let after = lower.get(name_start..).unwrap_or("");
        let name_len = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        if name_len == 0 || !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // A lone `<` is text.
            self.at = start + 1;
            return Some(Token::Text(start, start + 1));
        }
        let name = after.get(..name_len).unwrap_or("");
        // The tag ends at the first `>` outside a quoted attribute value. A
        // quote opens a value only right after `=` (as the HTML tokenizer
        // reads it); a stray `'` in a name must not swallow the page.
        let mut quote: Option<char> = None;
        let mut value_next = false;
        let mut end = lower.len();
        let mut previous = ' ';
        for (offset, c) in after.char_indices().skip(name_len) {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if value_next && (c == '"' || c == '\'') => {
                    quote = Some(c);
                    value_next = false;
                }
                None if c == '>' => {
                    end = name_start + offset + 1;
                    break;
                }
                None if c == '=' => value_next = true,
                None if c.is_whitespace() => {}
                None => value_next = false,
            }
            if !c.is_whitespace() {
                previous = c;
            }
        }
        self.at = end;
        Some(Token::Tag(Tag {
            name,
            closing,
            self_closing: previous == '/',
            start,
            end,
        }))
    }

    /// Skips a raw-text element's content, to just before its end tag.
    fn skip_raw_text(&mut self, name: &str) -> (usize, usize) {
        let start = self.at;
        let needle = format!("</{name}");
        let end = self
            .lower
            .get(start..)
            .and_then(|rest| rest.find(&needle))
            .map_or(self.lower.len(), |n| start + n);
        self.at = end;
        (start, end)
    }
}

/// True when elements nest deeper than `limit`, counted the simple way
/// (start tags minus end tags, leaving out elements that need no end tag).
/// Linear in the page's length.
pub fn nests_deeper_than(html: &str, limit: usize) -> bool {
    let lower = html.to_ascii_lowercase();
    let mut scanner = Scanner {
        lower: &lower,
        at: 0,
    };
    // The open elements, as the parser keeps them: an end tag closes the
    // nearest open element of its name (and what is inside it) and an end
    // tag with no open element of its name is ignored, as html5ever does;
    // counting it as a close would let unmatched end tags hide depth. The
    // stack never exceeds `limit`, so the search is bounded: linear overall.
    let mut open: Vec<&str> = Vec::new();
    while let Some(token) = scanner.next_token() {
        let Token::Tag(tag) = token else { continue };
        if VOID.contains(&tag.name) || OPTIONAL_END.contains(&tag.name) {
            continue;
        }
        if RAW_TEXT.contains(&tag.name) {
            if !tag.closing {
                scanner.skip_raw_text(tag.name);
            }
        } else if tag.closing {
            if let Some(at) = open.iter().rposition(|name| *name == tag.name) {
                open.truncate(at);
            }
        } else if !tag.self_closing {
            open.push(tag.name);
            if open.len() > limit {
                return true;
            }
        }
    }
    false
}

/// The page without its element structure: block tags become `<p>`, line
/// tags `<br>`, scripts and styles go, `<title>`, `<meta>`, `<link>` and
/// `<html>` stay, every other tag is dropped and the text is kept as it is.
/// What the parser then builds is at most a few levels deep.
pub fn flatten(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut scanner = Scanner {
        lower: &lower,
        at: 0,
    };
    let mut out = String::with_capacity(html.len());
    let slice = |start: usize, end: usize| html.get(start..end).unwrap_or("");
    while let Some(token) = scanner.next_token() {
        match token {
            Token::Text(start, end) => out.push_str(slice(start, end)),
            Token::Other => {}
            Token::Tag(tag) => {
                if !tag.closing && RAW_TEXT.contains(&tag.name) {
                    let (start, end) = scanner.skip_raw_text(tag.name);
                    if tag.name == "title" {
                        out.push_str("<title>");
                        out.push_str(slice(start, end));
                        out.push_str("</title>");
                    } else if tag.name == "textarea" {
                        out.push_str(slice(start, end));
                    }
                } else if KEPT.contains(&tag.name) {
                    if !tag.closing {
                        out.push_str(slice(tag.start, tag.end));
                    }
                } else if BLOCK.contains(&tag.name) {
                    out.push_str("<p>");
                } else if LINE.contains(&tag.name) {
                    out.push_str("<br>");
                } else if tag.name == "td" || tag.name == "th" {
                    out.push(' ');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_only_elements_that_must_close() {
        let deep = format!("{}x{}", "<div>".repeat(600), "</div>".repeat(600));
        assert!(nests_deeper_than(&deep, 512));
        // Found by the fuzzer: a stray quote in a tag name must not hide the
        // rest of the page, and end tags that close nothing must not hide
        // depth (the parser ignores them).
        let stray_quote = format!("<ht'x{}", "<div>".repeat(600));
        assert!(nests_deeper_than(&stray_quote, 512));
        let unmatched = "<footer></article>".repeat(600);
        assert!(nests_deeper_than(&unmatched, 512));
        let matched = "<footer></footer>".repeat(600);
        assert!(!nests_deeper_than(&matched, 512));
        // A quoted attribute value is still one value: tags in it are text.
        assert!(!nests_deeper_than("<a title='<div><div><div>'>", 2));
        assert!(!nests_deeper_than(&deep, 600));
        // A thousand unclosed paragraphs and list items are not deep.
        let flat = format!(
            "<ul>{}</ul>{}",
            "<li>a".repeat(1000),
            "<p>b<br>".repeat(1000)
        );
        assert!(!nests_deeper_than(&flat, 10));
        // A `<div>` inside a script or an attribute is not a tag.
        let script = "<script>for(;;){document.write('<div>')}</script><a title='>'>x</a>";
        assert!(!nests_deeper_than(script, 1), "only the <a> counts");
    }

    #[test]
    fn flattening_keeps_text_breaks_and_metadata() {
        let page = "<html lang=ar dir=rtl><head><title>T &amp; U</title><meta property='og:title' content='M'>\
                    <script>if (a<b) x()</script></head><body><div><div><span>one</span> &amp; <b>two</b></div>\
                    <p>three<br>four</p><!-- <div> --></div></body></html>";
        assert_eq!(
            flatten(page),
            "<html lang=ar dir=rtl><title>T &amp; U</title><meta property='og:title' content='M'>\
             <p><p>one &amp; two<p><p>three<br>four<p><p>"
        );
    }
}
