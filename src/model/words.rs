//! The one word definition of Gloss: where word boundaries are (UAX #29,
//! with dictionary segmentation for Chinese and Japanese and a trained
//! model for Thai, Lao, Khmer and Myanmar, by ICU4X) and which pieces
//! between them are words. Snapping and double clicks, agreement tokens and
//! CoNLL tokens all come from here.
//!
//! One refinement, on purpose: in scripts written with spaces, snapping
//! and double clicks stop at punctuation inside such a word, so that
//! "Korea" can be tagged in "Korea’s" (`span::word_around`); a CoNLL token
//! is cut there too when an entity ends there.
//!
//! ASCII text takes a fast path (unicode-segmentation's UAX #29 word bounds,
//! which give the same boundaries on ASCII) without ICU's machinery.

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;
use unicode_segmentation::UnicodeSegmentation as _;

/// A piece of text between two word boundaries: bytes `start..end`, and
/// whether it is a word (letters or digits; not space, punctuation or an
/// emoji).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
    /// Letters or digits.
    pub word: bool,
}

/// The pieces of `text` between word boundaries, in order, covering it.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    if text.is_ascii() {
        for (start, piece) in text.split_word_bound_indices() {
            out.push(Segment {
                start,
                end: start + piece.len(),
                word: piece.bytes().any(|b| b.is_ascii_alphanumeric()),
            });
        }
        return out;
    }
    let segmenter = WordSegmenter::new_auto(WordBreakInvariantOptions::default());
    let mut start = 0;
    for (end, kind) in segmenter.segment_str(text).iter_with_word_type() {
        if end <= start {
            continue;
        }
        let piece = text.get(start..end).unwrap_or_default();
        out.push(Segment {
            start,
            end,
            // ICU's word-like pieces (letters, digits, ideographs, kana);
            // a piece of marks or symbols with a letter in it counts too,
            // as the agreement tokens always did.
            word: kind.is_word_like() || piece.chars().any(char::is_alphanumeric),
        });
        start = end;
    }
    out
}

/// The words of `text` as code-point spans, in order.
pub fn word_spans(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut chars_before = 0;
    let mut byte_at = 0;
    for segment in segments(text) {
        chars_before += text
            .get(byte_at..segment.start)
            .map_or(0, |s| s.chars().count());
        let len = text
            .get(segment.start..segment.end)
            .map_or(0, |s| s.chars().count());
        if segment.word {
            out.push((chars_before, chars_before + len));
        }
        chars_before += len;
        byte_at = segment.end;
    }
}

/// The byte range of the word around byte `at` of `text` (a char
/// boundary), from the segmentation of `text` alone; `None` off words.
pub fn word_bytes_around(text: &str, at: usize) -> Option<(usize, usize)> {
    segments(text)
        .into_iter()
        .find(|s| s.start <= at && at < s.end)
        .filter(|s| s.word)
        .map(|s| (s.start, s.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut spans = Vec::new();
        word_spans(text, &mut spans);
        spans
            .iter()
            .map(|&(s, e)| text.chars().skip(s).take(e - s).collect())
            .collect()
    }

    #[test]
    fn latin_words_are_uax29_words_with_or_without_ascii() {
        assert_eq!(
            words("Kim met Putin, on Monday."),
            ["Kim", "met", "Putin", "on", "Monday"]
        );
        assert_eq!(
            words("N.Korea’s Kim — 2023 🚢"),
            ["N.Korea’s", "Kim", "2023"]
        );
    }

    #[test]
    fn chinese_japanese_and_thai_get_dictionary_words() {
        // Not one letter at a time: 北京 and 大学 are words.
        let zh = words("我在北京大学学习");
        assert!(zh.iter().any(|w| w.chars().count() > 1), "{zh:?}");
        assert_eq!(zh.concat(), "我在北京大学学习");
        // Agreement counts the same words as tokens.
        let mut tokens = Vec::new();
        crate::review::agree::word_tokens("我在北京大学学习", &mut tokens);
        assert!(tokens.contains(&(2, 4)), "{tokens:?}");
        let th = words("ทุกสองสัปดาห์");
        assert!(
            th.len() >= 2 && th.iter().all(|w| w.chars().count() > 1),
            "{th:?}"
        );
    }
}
