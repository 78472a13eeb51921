//! Error messages in user terms: parser errors without the parser's own
//! position suffix, columns counted in characters, and quoted input clipped
//! so that a 50 MB line never becomes a 50 MB message.

/// The most characters of the user's input a message quotes.
pub const MAX_QUOTED: usize = 80;

/// Shortens every quoted run (between `"…"` or `` `…` ``) longer than
/// [`MAX_QUOTED`] characters to its start and an ellipsis, and the whole
/// message to a few hundred characters.
pub fn clip_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(512));
    let mut quote: Option<char> = None;
    let mut quoted = 0usize;
    for c in message.chars() {
        match quote {
            Some(open) if c == open => {
                quote = None;
                out.push(c);
            }
            Some(_) => {
                quoted += 1;
                if quoted <= MAX_QUOTED {
                    out.push(c);
                } else if quoted == MAX_QUOTED + 1 {
                    out.push('…');
                }
            }
            None => {
                if c == '"' || c == '`' {
                    quote = Some(c);
                    quoted = 0;
                }
                out.push(c);
            }
        }
    }
    // An unclosed quote or a long unquoted message: clip the whole.
    if out.chars().count() > 4 * MAX_QUOTED {
        let mut clipped: String = out.chars().take(4 * MAX_QUOTED).collect();
        clipped.push('…');
        return clipped;
    }
    out
}

/// A serde_json error as "column C: MESSAGE" for a one-line input, with the
/// column in characters of `line` and serde_json's own " at line L column C"
/// suffix removed (it counts from the start of the parsed slice, which
/// contradicts the file's line numbers).
pub fn json_error_in_line(error: &serde_json::Error, line: &str) -> String {
    let column = char_column(line, error.column());
    format!("column {column}: {}", json_message(error))
}

/// A serde_json error's message without its position suffix, quotes clipped.
pub fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    clip_quotes(text.strip_suffix(&suffix).unwrap_or(&text))
}

/// The 1-based character column of a 1-based byte column in `line`.
pub fn char_column(line: &str, byte_column: usize) -> usize {
    let byte = byte_column.saturating_sub(1).min(line.len());
    let mut end = byte;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line.get(..end).map_or(0, |s| s.chars().count()) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quotes_are_clipped_and_short_ones_kept() {
        let long = "x".repeat(10_000);
        let message = format!("invalid type: string \"{long}\", expected a map");
        let clipped = clip_quotes(&message);
        assert!(clipped.len() < 200, "{clipped}");
        assert!(clipped.starts_with("invalid type: string \"xxxx"));
        assert!(clipped.ends_with("…\", expected a map"), "{clipped}");
        assert_eq!(clip_quotes("expected `,` or `]`"), "expected `,` or `]`");
    }

    #[test]
    fn json_errors_name_one_position_in_characters() {
        let line = r#"{"text": "😀😀", "id": }"#;
        let error = serde_json::from_str::<serde_json::Value>(line).expect_err("invalid");
        let message = json_error_in_line(&error, line);
        // `{"text": "` is 10 characters, the emoji 2, `", "id": ` 9: the
        // bad `}` is character 22 (serde_json counts bytes: 28).
        assert_eq!(error.column(), 28);
        assert_eq!(message, "column 22: expected value");
    }
}
