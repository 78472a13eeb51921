//! Tokens for the recommenders, by the project's one word definition
//! ([`crate::model::span`]): a word is a run of letters, digits and marks;
//! every other character but white space is a token of its own. Letters of
//! scripts written without spaces (Chinese, Japanese kana and kanji, Thai,
//! Lao, Khmer, Myanmar) are marked: a word there cannot be told from the
//! letters alone, so the recommenders propose nothing that touches them
//! rather than junk.

use crate::model::span::{is_unspaced_letter, is_word_char};

/// One token of a text, in code points and bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Start, code points.
    pub start: usize,
    /// End, code points, exclusive.
    pub end: usize,
    /// Start, bytes.
    pub byte_start: usize,
    /// End, bytes.
    pub byte_end: usize,
    /// A word (letters, digits, marks), not punctuation or a symbol.
    pub word: bool,
    /// Of a script written without spaces: never part of a suggestion.
    pub unspaced: bool,
    /// Starts a line (a paragraph or the headline): sentence-initial.
    pub line_start: bool,
}

impl Token {
    /// The token's text in `text`.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.byte_start..self.byte_end).unwrap_or_default()
    }
}

/// The tokens of `text`, in order. Linear in the text.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current: Option<Token> = None;
    let mut line_start = true;
    for (at, (byte, c)) in text.char_indices().enumerate() {
        let next_byte = byte + c.len_utf8();
        let continues_word = is_word_char(c) || is_mark(c);
        let unspaced = is_unspaced_letter(c);
        if let Some(token) = current.as_mut() {
            if continues_word && token.word && !unspaced && !token.unspaced {
                token.end = at + 1;
                token.byte_end = next_byte;
                continue;
            }
            tokens.push(*token);
            current = None;
        }
        if c.is_whitespace() {
            if c == '\n' || c == '\r' || c == '\u{2029}' {
                line_start = true;
            }
            continue;
        }
        current = Some(Token {
            start: at,
            end: at + 1,
            byte_start: byte,
            byte_end: next_byte,
            word: is_word_char(c),
            unspaced,
            line_start,
        });
        line_start = false;
    }
    if let Some(token) = current {
        tokens.push(token);
    }
    tokens
}

/// A combining mark continues the word before it (an accent, a vowel sign).
fn is_mark(c: char) -> bool {
    matches!(u32::from(c), 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C..=0x200D | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
        && !c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn words_and_punctuation_with_code_point_offsets() {
        let text = "El Gobierno de EE.UU. dijo: «sí» 🚀 Putin's 2023";
        assert_eq!(
            texts(text),
            [
                "El", "Gobierno", "de", "EE", ".", "UU", ".", "dijo", ":", "«", "sí", "»", "🚀",
                "Putin", "'", "s", "2023"
            ]
        );
        let tokens = tokenize(text);
        let putin = tokens
            .iter()
            .find(|t| t.text(text) == "Putin")
            .expect("Putin");
        let chars: Vec<char> = text.chars().collect();
        let slice: String = chars[putin.start..putin.end].iter().collect();
        assert_eq!(slice, "Putin");
    }

    #[test]
    fn unspaced_letters_are_marked_and_lines_start() {
        let text = "普京 met\nKim";
        let tokens = tokenize(text);
        assert!(tokens[0].unspaced && tokens[1].unspaced);
        assert!(tokens[0].line_start);
        assert!(!tokens[2].line_start);
        assert!(tokens[3].line_start, "{tokens:?}");
    }
}
