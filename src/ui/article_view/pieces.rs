//! Pieces: how the text is cut into the units laid out one galley each
//! (a line, or a sentence-bounded part of a long line), and their
//! estimated heights before they are laid out.

use super::*;

pub(super) const PARAGRAPH_GAP: f32 = 6.0;
/// The most characters laid out as one galley: re-laying a piece after an
/// edit stays inside a frame, and a paragraph of an ordinary article (the
/// sample's longest has 2,600 characters) stays whole.
pub const MAX_PIECE: usize = 3000;
/// A line longer than [`MAX_PIECE`] (a whole article on one line, common in
/// JSONL datasets and scraped pages) is cut into sentence-bounded pieces of
/// at most this many characters: a piece that scrolls into view or that an
/// edit re-lays costs a third of a full-size one, and in a long line that
/// mixes scripts only the pieces with right-to-left text take the bidi path.
pub(super) const LONG_LINE_PIECE: usize = 1000;

/// One piece of text laid out as one galley: its code-point and byte range
/// in the document. Pieces are contiguous; the newline between two lines
/// belongs to neither.
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) byte_start: usize,
    pub(super) byte_end: usize,
    /// The last piece of its line: a paragraph gap follows it.
    pub(super) line_end: bool,
}

impl Piece {
    /// Space below the piece.
    pub(super) fn gap(&self) -> f32 {
        if self.line_end { PARAGRAPH_GAP } else { 0.0 }
    }
}

/// The code-point ranges of the pieces the view lays out `text` in: one per
/// line, and lines longer than [`MAX_PIECE`] characters in sentence-bounded
/// pieces (tests use it to find where pieces meet).
pub fn piece_ranges(text: &str) -> Vec<(usize, usize)> {
    split_paragraphs(text)
        .iter()
        .map(|p| (p.start, p.end))
        .collect()
}

pub(super) fn split_paragraphs(text: &str) -> Vec<Piece> {
    let mut paragraphs = Vec::new();
    let (mut char_pos, mut byte_pos) = (0, 0);
    for line in text.split('\n') {
        let chars = line.chars().count();
        if chars <= MAX_PIECE {
            paragraphs.push(Piece {
                start: char_pos,
                end: char_pos + chars,
                byte_start: byte_pos,
                byte_end: byte_pos + line.len(),
                line_end: true,
            });
        } else {
            split_long_line(line, char_pos, byte_pos, &mut paragraphs);
        }
        char_pos += chars + 1;
        byte_pos += line.len() + 1;
    }
    paragraphs
}

/// A stretch of a line that is never split: a sentence, or where a sentence
/// is longer than [`LONG_LINE_PIECE`], a word, a run of spaces, or (in a
/// single "word" longer than that) [`LONG_LINE_PIECE`] characters.
pub(super) struct Unit {
    pub(super) bytes: usize,
    pub(super) chars: usize,
    /// A piece may start here (not before spaces).
    pub(super) break_before: bool,
}

pub(super) fn line_units(line: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    for sentence in line.split_sentence_bounds() {
        let chars = sentence.chars().count();
        if chars <= LONG_LINE_PIECE {
            units.push(Unit {
                bytes: sentence.len(),
                chars,
                break_before: true,
            });
            continue;
        }
        for word in sentence.split_word_bounds() {
            let chars = word.chars().count();
            let break_before = !word.chars().all(char::is_whitespace);
            if chars <= LONG_LINE_PIECE {
                units.push(Unit {
                    bytes: word.len(),
                    chars,
                    break_before,
                });
                continue;
            }
            // A "word" longer than a piece (a URL, a run of symbols, letters
            // with many marks): cut it about every LONG_LINE_PIECE
            // characters, between grapheme clusters, so that a letter and
            // its marks (or an emoji sequence) are never drawn apart.
            let (mut bytes, mut chars) = (0, 0);
            for grapheme in word.graphemes(true) {
                let n = grapheme.chars().count();
                if chars > 0 && chars + n > LONG_LINE_PIECE {
                    units.push(Unit {
                        bytes,
                        chars,
                        break_before: true,
                    });
                    (bytes, chars) = (0, 0);
                }
                bytes += grapheme.len();
                chars += n;
            }
            if chars > 0 {
                units.push(Unit {
                    bytes,
                    chars,
                    break_before: true,
                });
            }
        }
    }
    units
}

/// Packs a long line's units greedily into pieces of at most [`LONG_LINE_PIECE`]
/// characters (spaces may run a little over, so no piece starts with one).
pub(super) fn split_long_line(
    line: &str,
    char_start: usize,
    byte_start: usize,
    out: &mut Vec<Piece>,
) {
    let (mut start, mut byte) = (char_start, byte_start);
    let (mut chars, mut bytes) = (0, 0);
    for unit in line_units(line) {
        if chars > 0 && unit.break_before && chars + unit.chars > LONG_LINE_PIECE {
            out.push(Piece {
                start,
                end: start + chars,
                byte_start: byte,
                byte_end: byte + bytes,
                line_end: false,
            });
            (start, byte) = (start + chars, byte + bytes);
            (chars, bytes) = (0, 0);
        }
        chars += unit.chars;
        bytes += unit.bytes;
    }
    out.push(Piece {
        start,
        end: start + chars,
        byte_start: byte,
        byte_end: byte + bytes,
        line_end: true,
    });
}

pub(super) fn estimate_height(paragraph: &Piece, width: f32, font_size: f32) -> f32 {
    let chars_per_row = (width / (font_size * 0.5)).max(10.0);
    let rows = ((paragraph.end - paragraph.start) as f32 / chars_per_row)
        .ceil()
        .max(1.0);
    rows * font_size * 1.35
}
