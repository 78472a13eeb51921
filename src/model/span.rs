//! Code-point offsets. Every offset in Gloss counts Unicode scalar values, end
//! exclusive, exactly like Python `str` slicing, so exports never drift on emoji
//! or other non-BMP text.

/// Number of Unicode scalar values in `text`.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Byte offset of the code point at `char_offset`, or `None` past the end.
/// `char_offset == char_len(text)` gives `text.len()`.
pub fn byte_offset(text: &str, char_offset: usize) -> Option<usize> {
    if char_offset == 0 {
        return Some(0);
    }
    let mut count = 0;
    for (byte, _) in text.char_indices() {
        if count == char_offset {
            return Some(byte);
        }
        count += 1;
    }
    (count == char_offset).then_some(text.len())
}

/// The text between two code-point offsets, `None` when the range is invalid.
pub fn char_slice(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    let from = byte_offset(text, start)?;
    let rest = text.get(from..)?;
    let len = byte_offset(rest, end - start)?;
    rest.get(..len)
}

/// Code-point offset of a byte offset that lies on a char boundary.
pub fn char_offset_of_byte(text: &str, byte: usize) -> Option<usize> {
    text.get(..byte).map(char_len)
}

/// A precomputed code-point → byte table for one text, for code that converts
/// many offsets of the same document (exports, the article view).
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of every code point, plus the text length at the end.
    bytes: Vec<usize>,
}

impl CharIndex {
    /// Builds the table in one pass over `text`.
    pub fn new(text: &str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        Self { bytes }
    }

    /// Number of code points.
    pub fn char_len(&self) -> usize {
        self.bytes.len() - 1
    }

    /// Byte offset of a code-point offset (`None` past the end).
    pub fn byte(&self, char_offset: usize) -> Option<usize> {
        self.bytes.get(char_offset).copied()
    }

    /// Code-point offset of a byte offset on a char boundary (`None` otherwise).
    pub fn char_of_byte(&self, byte: usize) -> Option<usize> {
        self.bytes.binary_search(&byte).ok()
    }

    /// The text between two code-point offsets.
    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> Option<&'t str> {
        if start > end {
            return None;
        }
        text.get(self.byte(start)?..self.byte(end)?)
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Turns a raw selection into an annotation span: whitespace at both ends is
/// trimmed and, with `snap`, the ends grow to whole words. `None` when
/// nothing but whitespace is selected or the range is invalid.
pub fn snap_selection(text: &str, start: usize, end: usize, snap: bool) -> Option<(usize, usize)> {
    // Walks the text around the selection only (an article can be 150k
    // characters; this runs on every tag and every click).
    let (mut start, end) = (start.min(end), start.max(end));
    if start >= end {
        return None;
    }
    let mut indices = text.char_indices().skip(start);
    let mut start_byte = indices.next().map(|(b, _)| b)?;
    // The code point `end`, or the end of the text when the selection runs
    // past it (clamped, as before).
    let mut at = start + 1;
    let mut found = None;
    for (b, _) in indices {
        if at == end {
            found = Some(b);
            break;
        }
        at += 1;
    }
    let (mut end, mut end_byte) = match found {
        Some(b) => (end, b),
        None => (at, text.len()),
    };
    for c in text.get(start_byte..end_byte)?.chars() {
        if !c.is_whitespace() {
            break;
        }
        start += 1;
        start_byte += c.len_utf8();
    }
    for c in text.get(start_byte..end_byte)?.chars().rev() {
        if !c.is_whitespace() {
            break;
        }
        end -= 1;
        end_byte -= c.len_utf8();
    }
    if start >= end {
        return None;
    }
    if snap {
        let inside = text.get(start_byte..end_byte)?;
        if inside.chars().next().is_some_and(is_word) {
            start -= text
                .get(..start_byte)?
                .chars()
                .rev()
                .take_while(|c| is_word(*c))
                .count();
        }
        if inside.chars().next_back().is_some_and(is_word) {
            end += text
                .get(end_byte..)?
                .chars()
                .take_while(|c| is_word(*c))
                .count();
        }
    }
    Some((start, end))
}

/// The next word start (forward) or previous word start (backward) from
/// `pos`, for moving annotation boundaries by whole words.
pub fn next_word_boundary(text: &str, pos: usize, forward: bool) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let word_at = |i: usize| chars.get(i).is_some_and(|c| is_word(*c));
    let mut p = pos.min(len);
    if forward {
        // Skip the rest of this word, then the gap, landing on the next word's end
        // when moving an end, or start when moving a start: callers treat the
        // result as "one word further".
        while p < len && !word_at(p) {
            p += 1;
        }
        while p < len && word_at(p) {
            p += 1;
        }
        p
    } else {
        while p > 0 && !word_at(p - 1) {
            p -= 1;
        }
        while p > 0 && word_at(p - 1) {
            p -= 1;
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The first implementation (a copy of every character), as the oracle.
    fn snap_selection_by_copy(
        text: &str,
        start: usize,
        end: usize,
        snap: bool,
    ) -> Option<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let (mut start, mut end) = (start.min(end), start.max(end).min(chars.len()));
        if start >= end {
            return None;
        }
        while start < end && chars.get(start).is_some_and(|c| c.is_whitespace()) {
            start += 1;
        }
        while end > start && chars.get(end - 1).is_some_and(|c| c.is_whitespace()) {
            end -= 1;
        }
        if start >= end {
            return None;
        }
        if snap {
            let inside_word_start = chars.get(start).is_some_and(|c| is_word(*c));
            while inside_word_start
                && start > 0
                && chars.get(start - 1).is_some_and(|c| is_word(*c))
            {
                start -= 1;
            }
            let inside_word_end = end > 0 && chars.get(end - 1).is_some_and(|c| is_word(*c));
            while inside_word_end && chars.get(end).is_some_and(|c| is_word(*c)) {
                end += 1;
            }
        }
        Some((start, end))
    }

    proptest! {
        #[test]
        fn snap_selection_equals_the_copying_version(
            text in "[a b_é😀\n\t.،ق]{0,24}",
            start in 0usize..30,
            end in 0usize..30,
            snap: bool,
        ) {
            prop_assert_eq!(
                snap_selection(&text, start, end, snap),
                snap_selection_by_copy(&text, start, end, snap)
            );
        }
    }

    use super::*;

    #[test]
    fn slices_by_code_points_like_python() {
        let text = "a😀b مرحبا";
        assert_eq!(char_len(text), 9);
        assert_eq!(char_slice(text, 1, 2), Some("😀"));
        assert_eq!(char_slice(text, 2, 3), Some("b"));
        assert_eq!(char_slice(text, 4, 9), Some("مرحبا"));
        assert_eq!(char_slice(text, 4, 10), None);
        assert_eq!(char_slice(text, 3, 2), None);
        let index = CharIndex::new(text);
        assert_eq!(index.slice(text, 1, 2), Some("😀"));
        assert_eq!(index.char_of_byte(5), Some(2));
        assert_eq!(index.char_of_byte(2), None);
    }

    #[test]
    fn snapping_grows_to_words_and_trims_space() {
        let text = "said Kim Jong Un. 😀 ok";
        // "d Kim Jo" snaps to "said Kim Jong".
        assert_eq!(snap_selection(text, 3, 11, true), Some((0, 13)));
        assert_eq!(snap_selection(text, 3, 11, false), Some((3, 11)));
        // Whitespace only: nothing.
        assert_eq!(snap_selection(text, 4, 5, true), None);
        // " Kim " trims to "Kim".
        assert_eq!(snap_selection(text, 4, 9, true), Some((5, 8)));
        assert_eq!(char_slice(text, 18, 19), Some("😀"));
        assert_eq!(next_word_boundary(text, 5, true), 8);
        assert_eq!(next_word_boundary(text, 8, false), 5);
    }
}
