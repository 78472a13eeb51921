//! Code-point offsets. Every offset in Gloss counts Unicode scalar values, end
//! exclusive, exactly like Python `str` slicing, so exports never drift on emoji
//! or other non-BMP text.

use unicode_segmentation::GraphemeCursor;

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

/// Whether `c` is part of a word (letters, digits, `_`): the one word
/// definition that snapping and the recommenders' tokens share.
pub fn is_word_char(c: char) -> bool {
    is_word(c)
}

/// Whether `c` is a letter of a script written without spaces (see
/// [`unspaced`]), where each letter counts as a word of its own.
pub fn is_unspaced_letter(c: char) -> bool {
    unspaced(c) && c.is_alphabetic()
}

/// Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer,
/// Hiragana and Han (Chinese characters, Japanese kanji, and the marks
/// 々 〆 〇 〻 written among them). A word there cannot
/// be told from the characters alone, so each letter counts as a word of its
/// own: snapping "普京" must not grow to the whole clause around it.
/// Katakana is left out: a katakana run is one loanword or name ("プーチン").
fn unspaced(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0E00..=0x0EFF
            | 0x1000..=0x109F
            | 0x1780..=0x17FF
            | 0x3005..=0x3007
            | 0x303B
            | 0x3040..=0x309F
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0x20000..=0x3FFFF
    )
}

/// What a grapheme cluster is to word snapping, by its first character
/// (the rest are marks, joiners and the like: a Devanagari virama or vowel
/// sign, an accent, a ZWJ sequence's parts stay with their letter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cluster {
    /// Part of a word that runs until a non-word cluster.
    Word,
    /// A word by itself (see [`unspaced`]).
    Unspaced,
    /// Space, punctuation, a symbol.
    Other,
}

fn cluster_kind(cluster: &str) -> Cluster {
    match cluster.chars().next() {
        // Digits and punctuation of those scripts are no one-letter words:
        // digits run together like any digits, punctuation is no word.
        Some(c) if unspaced(c) && c.is_alphabetic() => Cluster::Unspaced,
        Some(c) if is_word(c) => Cluster::Word,
        _ => Cluster::Other,
    }
}

/// The grapheme boundary at or before `byte` (a char boundary of `text`).
fn cluster_start_at(text: &str, byte: usize) -> usize {
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(false) => cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0),
        _ => byte,
    }
}

/// The grapheme boundary after the one at or before `byte`: the end of the
/// cluster that holds the character at `byte`.
fn cluster_end_at(text: &str, byte: usize) -> usize {
    let start = cluster_start_at(text, byte);
    let mut cursor = GraphemeCursor::new(start, text.len(), true);
    cursor
        .next_boundary(text, 0)
        .ok()
        .flatten()
        .unwrap_or(text.len())
}

/// Byte range of the word the cluster at `byte` belongs to: the cluster
/// alone when it is unspaced, the run of word clusters around it when it is
/// a word, `None` when it is neither.
fn word_bytes_at(text: &str, byte: usize) -> Option<(usize, usize)> {
    let mut start = cluster_start_at(text, byte);
    let mut end = cluster_end_at(text, byte);
    match cluster_kind(text.get(start..end)?) {
        Cluster::Other => return None,
        Cluster::Unspaced => return unspaced_word_at(text, start, end),
        Cluster::Word => {}
    }
    // An ASCII character with ASCII on both sides is a cluster by itself
    // (only CR LF joins two ASCII characters): such letters are taken one
    // byte at a time, without asking the segmenter, so a long ASCII token
    // costs what a plain scan costs.
    let bytes = text.as_bytes();
    let ascii_word = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    let ascii_or_edge = |i: Option<usize>| i.is_none_or(|i| bytes.get(i).is_none_or(u8::is_ascii));
    while start > 0 {
        if ascii_word(start - 1) && ascii_or_edge(start.checked_sub(2)) {
            start -= 1;
            continue;
        }
        let before = cluster_start_at(text, start - prev_char_len(text, start));
        if cluster_kind(text.get(before..start)?) != Cluster::Word {
            break;
        }
        start = before;
    }
    while end < text.len() {
        if ascii_word(end) && ascii_or_edge(Some(end + 1)) {
            end += 1;
            continue;
        }
        let after = cluster_end_at(text, end);
        if cluster_kind(text.get(end..after)?) != Cluster::Word {
            break;
        }
        end = after;
    }
    Some((start, end))
}

/// The word around the unspaced cluster `start..end` (Chinese, Japanese,
/// Thai…): the run of unspaced clusters around it, at most [`RUN_LIMIT`]
/// bytes each way, segmented by the one word definition (a dictionary or
/// a trained model), and the word of it that holds the cluster.
fn unspaced_word_at(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let (mut from, mut to) = (start, end);
    while from > 0 && start - from < RUN_LIMIT {
        let before = cluster_start_at(text, from - prev_char_len(text, from));
        if cluster_kind(text.get(before..from)?) != Cluster::Unspaced {
            break;
        }
        from = before;
    }
    while to < text.len() && to - end < RUN_LIMIT {
        let after = cluster_end_at(text, to);
        if cluster_kind(text.get(to..after)?) != Cluster::Unspaced {
            break;
        }
        to = after;
    }
    let run = text.get(from..to)?;
    match super::words::word_bytes_around(run, start - from) {
        // A word the cluster is part of, never less than the cluster.
        Some((s, e)) => Some(((from + s).min(start), (from + e).max(end))),
        None => Some((start, end)),
    }
}

/// How far (bytes) a run of unspaced letters is read each way to find the
/// word around a click: a sentence's worth, so a long unspaced paragraph
/// costs no more than that.
const RUN_LIMIT: usize = 300;

/// The word (code points) that the character at `offset` belongs to, as
/// snapping sees words; `None` on space, punctuation or a symbol.
pub fn word_around(text: &str, offset: usize) -> Option<(usize, usize)> {
    let byte = byte_offset(text, offset).filter(|b| *b < text.len())?;
    let (start, end) = word_bytes_at(text, byte)?;
    let start_char = offset - text.get(start..byte)?.chars().count();
    Some((
        start_char,
        start_char + text.get(start..end)?.chars().count(),
    ))
}

/// Length in bytes of the character that ends at `byte` (1 at the start).
fn prev_char_len(text: &str, byte: usize) -> usize {
    text.get(..byte)
        .and_then(|before| before.chars().next_back())
        .map_or(1, char::len_utf8)
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
        // Each end grows to the edge of the word it falls in (see
        // `word_bytes_at`): never past the selection's own first or last
        // character's word, and only outward.
        if let Some((word_start, _)) = word_bytes_at(text, start_byte) {
            start -= text.get(word_start..start_byte)?.chars().count();
        }
        let last = end_byte - prev_char_len(text, end_byte);
        if let Some((_, word_end)) = word_bytes_at(text, last) {
            end += text.get(end_byte..word_end.max(end_byte))?.chars().count();
        }
    }
    Some((start, end))
}

/// What a word step does with the next cluster it meets.
enum Step {
    /// Steps over it and goes on.
    Take,
    /// Steps over it and ends there: an unspaced letter is a whole word.
    Last,
    /// Ends before it: the word is over.
    Stop,
}

/// A word step skips the gap (space, punctuation) before a word, then the
/// word: one unspaced letter, or a run of word clusters. `stage` is what
/// the step is in, the gap ([`Cluster::Other`]) or a word.
fn word_step(stage: &mut Cluster, next: Cluster) -> Step {
    match (*stage, next) {
        (Cluster::Other, Cluster::Other) => Step::Take,
        (Cluster::Other, Cluster::Unspaced) => Step::Last,
        (Cluster::Other | Cluster::Word, Cluster::Word) => {
            *stage = Cluster::Word;
            Step::Take
        }
        _ => Step::Stop,
    }
}

/// The next word end (forward) or previous word start (backward) from
/// `pos`, for moving annotation boundaries and selections by whole words.
/// Words are those of [`snap_selection`]: in an unspaced script one letter
/// (with its marks) is one step. Walks only the clusters it steps over.
pub fn next_word_boundary(text: &str, pos: usize, forward: bool) -> usize {
    let (pos, from) = match byte_offset(text, pos) {
        Some(byte) => (pos, byte),
        None => (char_len(text), text.len()),
    };
    let mut to = from;
    if forward {
        // Skip the rest of this word (or the gap), landing on the next
        // word's end: callers treat the result as "one word further".
        let mut at = cluster_start_at(text, from);
        let mut stage = Cluster::Other;
        while at < text.len() {
            let next = cluster_end_at(text, at);
            let kind = text.get(at..next).map_or(Cluster::Other, cluster_kind);
            match word_step(&mut stage, kind) {
                Step::Stop => break,
                Step::Last => {
                    to = next;
                    break;
                }
                Step::Take => {}
            }
            to = next;
            at = next;
        }
        pos + text.get(from..to).map_or(0, char_len)
    } else {
        let mut at = if cluster_start_at(text, from) < from {
            cluster_end_at(text, from)
        } else {
            from
        };
        let mut stage = Cluster::Other;
        while at > 0 {
            let before = cluster_start_at(text, at - prev_char_len(text, at));
            let kind = text.get(before..at).map_or(Cluster::Other, cluster_kind);
            match word_step(&mut stage, kind) {
                Step::Stop => break,
                Step::Last => {
                    to = before;
                    break;
                }
                Step::Take => {}
            }
            to = before;
            at = before;
        }
        pos - text.get(to..from).map_or(0, char_len)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation as _;

    /// Code-point ranges and kinds of every grapheme cluster of `text`.
    fn clusters_of(text: &str) -> Vec<(usize, usize, Cluster)> {
        let mut clusters = Vec::new();
        let mut at = 0;
        for cluster in text.graphemes(true) {
            let len = cluster.chars().count();
            clusters.push((at, at + len, cluster_kind(cluster)));
            at += len;
        }
        clusters
    }

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
            // Every cluster of the text with its code-point range and kind.
            let clusters = clusters_of(text);
            let word_of = |i: usize| -> Option<(usize, usize)> {
                let k = clusters.iter().position(|c| c.0 <= i && i < c.1)?;
                let here = clusters.get(k)?;
                match here.2 {
                    Cluster::Other => None,
                    Cluster::Unspaced => {
                        // The one word definition's word in the run of
                        // unspaced clusters around it (never less than the
                        // cluster itself).
                        let (mut a, mut b) = (k, k);
                        while a > 0 && clusters.get(a - 1)?.2 == Cluster::Unspaced {
                            a -= 1;
                        }
                        while clusters
                            .get(b + 1)
                            .is_some_and(|c| c.2 == Cluster::Unspaced)
                        {
                            b += 1;
                        }
                        let (run_start, run_end) = (clusters.get(a)?.0, clusters.get(b)?.1);
                        let run: String = chars.get(run_start..run_end)?.iter().collect();
                        let mut words = Vec::new();
                        super::super::words::word_spans(&run, &mut words);
                        let (i, j) = (here.0 - run_start, here.1 - run_start);
                        Some(
                            words
                                .iter()
                                .find(|(s, e)| *s < j && i < *e)
                                .map_or((here.0, here.1), |(s, e)| {
                                    ((run_start + s).min(here.0), (run_start + e).max(here.1))
                                }),
                        )
                    }
                    Cluster::Word => {
                        let (mut a, mut b) = (k, k);
                        while a > 0 && clusters.get(a - 1)?.2 == Cluster::Word {
                            a -= 1;
                        }
                        while clusters.get(b + 1).is_some_and(|c| c.2 == Cluster::Word) {
                            b += 1;
                        }
                        Some((clusters.get(a)?.0, clusters.get(b)?.1))
                    }
                }
            };
            if let Some((word_start, _)) = word_of(start) {
                start = start.min(word_start);
            }
            if let Some((_, word_end)) = word_of(end - 1) {
                end = end.max(word_end);
            }
        }
        Some((start, end))
    }

    /// Word steps over a list of every cluster of the text, as the oracle.
    fn next_word_boundary_by_copy(text: &str, pos: usize, forward: bool) -> usize {
        // Code-point ranges and kinds of the text's grapheme clusters.
        let clusters = clusters_of(text);
        let mut p = pos.min(clusters.last().map_or(0, |c| c.1));
        if forward {
            // Skip the rest of this word (or the gap), landing on the next
            // word's end: callers treat the result as "one word further".
            let from = p;
            let mut ahead = clusters.iter().skip_while(|c| c.1 <= from).peekable();
            while let Some(c) = ahead.next_if(|c| c.2 == Cluster::Other) {
                p = c.1;
            }
            if let Some(c) = ahead.next_if(|c| c.2 == Cluster::Unspaced) {
                return c.1;
            }
            while let Some(c) = ahead.next_if(|c| c.2 == Cluster::Word) {
                p = c.1;
            }
            p
        } else {
            let from = p;
            let mut behind = clusters.iter().rev().skip_while(|c| c.0 >= from).peekable();
            while let Some(c) = behind.next_if(|c| c.2 == Cluster::Other) {
                p = c.0;
            }
            if let Some(c) = behind.next_if(|c| c.2 == Cluster::Unspaced) {
                return c.0;
            }
            while let Some(c) = behind.next_if(|c| c.2 == Cluster::Word) {
                p = c.0;
            }
            p
        }
    }

    proptest! {
        #[test]
        fn snap_selection_equals_the_copying_version(
            text in "[a b_é😀\n\t.،ق'\u{301}\u{200D}क्षिर普京プーปู]{0,24}",
            start in 0usize..30,
            end in 0usize..30,
            snap: bool,
        ) {
            prop_assert_eq!(
                snap_selection(&text, start, end, snap),
                snap_selection_by_copy(&text, start, end, snap)
            );
        }

        #[test]
        fn word_steps_equal_the_copying_version(
            text in "[a b_é😀\n\t.،ق'\u{301}\u{200D}क्षिर普京プーปู]{0,24}",
            pos in 0usize..30,
            forward: bool,
        ) {
            prop_assert_eq!(
                next_word_boundary(&text, pos, forward),
                next_word_boundary_by_copy(&text, pos, forward)
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
        // A possessive stays outside the name.
        assert_eq!(snap_selection("Putin's", 0, 2, true), Some((0, 5)));
    }

    #[test]
    fn words_of_scripts_with_marks_and_without_spaces() {
        // Devanagari: a click on the virama of "क्रेमलिन" (Kremlin) is in the
        // word, and the word runs over its vowel signs and virama.
        let hindi = "क्रेमलिन ने कहा";
        assert_eq!(snap_selection(hindi, 1, 2, true), Some((0, 8)));
        assert_eq!(snap_selection(hindi, 3, 4, true), Some((0, 8)));
        assert_eq!(next_word_boundary(hindi, 0, true), 8);
        assert_eq!(next_word_boundary(hindi, 8, true), 11);
        // Chinese: words come from ICU4X's dictionary (北京, 大学), so
        // snapping grows to the word, never over the clause; a letter the
        // dictionary does not join stays a word of its own.
        let chinese = "普京与金正恩会谈。";
        assert_eq!(snap_selection(chinese, 0, 2, true), Some((0, 2)));
        assert_eq!(snap_selection(chinese, 3, 6, true), Some((3, 6)));
        assert_eq!(snap_selection("我在北京大学学习", 2, 3, true), Some((2, 4)));
        assert_eq!(snap_selection("我在北京大学学习", 4, 5, true), Some((4, 6)));
        // A click inside 金正恩 selects more than 正 alone.
        assert_eq!(word_around(chinese, 4), Some((3, 5)));
        assert_eq!(next_word_boundary(chinese, 0, true), 1);
        assert_eq!(next_word_boundary(chinese, 3, false), 2);
        // Japanese: a katakana name is one word, and so is 大統領.
        let japanese = "プーチン大統領";
        assert_eq!(snap_selection(japanese, 1, 2, true), Some((0, 4)));
        assert_eq!(snap_selection(japanese, 4, 5, true), Some((4, 7)));
        // Thai, written without spaces: ICU4X's model finds the words
        // (ปูติน "Putin", พบ "met"), letters keep their vowel marks.
        let thai = "ปูตินพบ";
        assert_eq!(snap_selection(thai, 0, 1, true), Some((0, 5)));
        assert_eq!(word_around(thai, 5), Some((5, 7)));
        // Punctuation in those blocks is no word: a word step passes the
        // Khmer full stop to the next letter.
        assert_eq!(next_word_boundary("ក។ខ", 1, true), 3);
        // Their digits run together: a year is one word.
        assert_eq!(snap_selection("ปี ๒๕๖๗", 3, 4, true), Some((3, 7)));
        // 々 repeats the kanji before it: 人々 ("people") is one word.
        assert_eq!(snap_selection("人々カナ", 1, 2, true), Some((0, 2)));
        assert_eq!(word_around("Putin, said", 5), None);
        assert_eq!(word_around("Putin, said", 2), Some((0, 5)));
        assert_eq!(word_around(hindi, 1), Some((0, 8)));
        assert_eq!(word_around(chinese, 1), Some((1, 2)));
        assert_eq!(word_around(thai, 2), Some((0, 5)));
        // An accent written as a combining mark stays with its letter.
        let accent = "Mosque\u{301}e";
        assert_eq!(snap_selection(accent, 0, 1, true), Some((0, 8)));
    }
}
