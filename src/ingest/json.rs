//! JSON (an object or an array of objects) and JSONL article batches: `text`
//! is required; `id`, `title`, `source` or `url`, and `date` are optional.

use serde_json::Value;

use super::{Article, decode::normalize_line_ends, text_article};

/// Reads a `.json` file: one article object or an array of them.
pub fn read_json(text: &str) -> Result<Vec<Article>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
        format!(
            "line {}, {}",
            e.line(),
            crate::diagnostics::json_error_in_line(&e, line)
        )
    })?;
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(n, item)| article(item).map_err(|m| format!("item {}: {m}", n + 1)))
            .collect(),
        object @ Value::Object(_) => Ok(vec![article(&object)?]),
        _ => Err("expected an article object or an array of them".to_owned()),
    }
}

/// Reads a `.jsonl` file, one article object per non-empty line, giving
/// each article to `take` as soon as its line is read, so that a batch of a million is never a list in memory. Stops at
/// the first line that is not an article, or when `take` fails.
pub fn each_jsonl(
    text: &str,
    take: &mut dyn FnMut(Article) -> Result<(), String>,
) -> Result<(), String> {
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| {
            format!(
                "line {}, {}",
                n + 1,
                crate::diagnostics::json_error_in_line(&e, line)
            )
        })?;
        take(article(&value).map_err(|m| format!("line {}: {m}", n + 1))?)?;
    }
    Ok(())
}

fn article(value: &Value) -> Result<Article, String> {
    let Value::Object(map) = value else {
        return Err("expected a JSON object".to_owned());
    };
    let field = |name: &str| match map.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let text = field("text").ok_or("no \"text\" string")?;
    let mut article = text_article(
        normalize_line_ends(&text),
        field("source").or_else(|| field("url")),
    );
    if let Some(title) = field("title").filter(|t| !t.trim().is_empty()) {
        article.title = title;
    }
    article.id = field("id");
    article.date = field("date");
    Ok(article)
}
