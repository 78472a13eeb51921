//! Bidirectional text for display, with no UI: the paragraph direction and
//! the visual order of a line by the Unicode bidi algorithm (UAX #9, the
//! `unicode-bidi` crate), line breaking from measured character widths, and
//! the mapping between an x position on a laid-out line and code-point
//! offsets (hit testing, carets, highlight ranges).
//!
//! Offsets here are code points relative to the text given (a piece of a
//! document in the article view), end exclusive.

use std::ops::Range;

use unicode_bidi::{BidiClass, ParagraphBidiInfo, bidi_class};

/// A stretch of one line at one embedding level, in code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// First code point.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Laid out right to left (an odd level).
    pub rtl: bool,
}

/// Whether `text` needs the bidi algorithm at all: it holds a right-to-left
/// character (Hebrew, Arabic…), an Arabic-Indic digit or an explicit
/// right-to-left mark, embedding, override or isolate. Text without any lays
/// out left to right as it is stored.
pub fn needs_bidi(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            bidi_class(c),
            BidiClass::R
                | BidiClass::AL
                | BidiClass::AN
                | BidiClass::RLE
                | BidiClass::RLO
                | BidiClass::RLI
                | BidiClass::FSI
        )
    })
}

/// Whether the paragraph direction of `text` is right to left: its first
/// strong character (outside isolates) is right to left (rules P2, P3).
pub fn is_rtl_paragraph(text: &str) -> bool {
    ParagraphBidiInfo::new(text, None).paragraph_level.is_rtl()
}

/// The resolved embedding level of each code point of `text`, as one
/// paragraph with its direction from its first strong character.
pub fn char_levels(text: &str) -> Vec<u8> {
    let info = ParagraphBidiInfo::new(text, None);
    text.char_indices()
        .map(|(b, _)| info.levels.get(b).map_or(0, |l| l.number()))
        .collect()
}

/// The maximal runs of one level, in logical order (what is shaped as one
/// stretch when measuring).
pub fn level_runs(levels: &[u8]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (i, level) in levels.iter().enumerate() {
        let rtl = level % 2 == 1;
        match runs.last_mut() {
            Some(run) if run.end == i && levels.get(run.start) == Some(level) => run.end = i + 1,
            _ => runs.push(Run {
                start: i,
                end: i + 1,
                rtl,
            }),
        }
    }
    runs
}

/// The runs of each line of `text`, in visual order (left to right), by
/// `unicode-bidi`'s reordering (rules L1 and L2: trailing white space takes
/// the paragraph's level, then runs are reversed level by level). `lines`
/// are code-point ranges of `text`.
pub fn visual_lines(text: &str, lines: &[Range<usize>]) -> Vec<Vec<Run>> {
    let info = ParagraphBidiInfo::new(text, None);
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte_to_char = |b: usize| bytes.partition_point(|x| *x < b);
    lines
        .iter()
        .map(|line| {
            let (Some(&from), Some(&to)) = (bytes.get(line.start), bytes.get(line.end)) else {
                return Vec::new();
            };
            if from >= to {
                return Vec::new();
            }
            let (levels, runs) = info.visual_runs(from..to);
            runs.into_iter()
                .map(|r| Run {
                    start: byte_to_char(r.start),
                    end: byte_to_char(r.end),
                    rtl: levels.get(r.start).is_some_and(|l| l.is_rtl()),
                })
                .collect()
        })
        .collect()
}

/// Breaks a paragraph into lines no wider than `max_width`, greedily, given
/// each code point's advance. A line may break before a non-space character
/// that follows white space; white space at a line's end does not count
/// towards its width (it hangs). A word wider than a line is cut where it
/// overflows. Returns code-point ranges covering the whole text; an empty
/// text gives one empty line.
pub fn break_lines(chars: &[char], widths: &[f32], max_width: f32) -> Vec<Range<usize>> {
    let n = chars.len().min(widths.len());
    let allowed = break_opportunities(chars.get(..n).unwrap_or_default());
    let mut lines = Vec::new();
    let mut start = 0;
    // Width of the line so far without trailing spaces, and with them.
    let mut total = 0.0_f32;
    // The last break opportunity on this line.
    let mut last_break: Option<usize> = None;
    let mut i = 0;
    while i < n {
        let c = chars.get(i).copied().unwrap_or(' ');
        let w = widths.get(i).copied().unwrap_or(0.0);
        if c.is_whitespace() {
            total += w;
            i += 1;
            continue;
        }
        if i > start && allowed.get(i).copied().unwrap_or(false) {
            last_break = Some(i);
        }
        if total + w > max_width && i > start {
            let cut = match last_break {
                Some(b) if b > start => b,
                _ => i,
            };
            lines.push(start..cut);
            start = cut;
            last_break = None;
            // Measure again from the cut.
            total = widths.get(cut..i).map_or(0.0, |w| w.iter().sum());
            continue;
        }
        total += w;
        i += 1;
    }
    lines.push(start..n);
    lines
}

/// Where a line may break: entry `i` says whether before code point `i`.
/// ASCII text breaks only after white space; other text by the Unicode line
/// breaking algorithm (UAX #14, ICU4X): between Chinese or Japanese
/// characters, within Thai by its word model, after a hyphen, never before
/// closing punctuation.
fn break_opportunities(chars: &[char]) -> Vec<bool> {
    let mut allowed = vec![false; chars.len() + 1];
    if chars.iter().all(char::is_ascii) {
        for (i, pair) in chars.windows(2).enumerate() {
            if pair[0].is_whitespace()
                && !pair[1].is_whitespace()
                && let Some(slot) = allowed.get_mut(i + 1)
            {
                *slot = true;
            }
        }
        return allowed;
    }
    let text: String = chars.iter().collect();
    // Byte offsets to code points, in one pass.
    let mut char_at_byte = vec![0usize; text.len() + 1];
    let mut k = 0;
    for (i, (b, _)) in text.char_indices().enumerate() {
        for slot in char_at_byte.get_mut(k..=b).unwrap_or_default() {
            *slot = i;
        }
        k = b + 1;
    }
    if let Some(last) = char_at_byte.last_mut() {
        *last = chars.len();
    }
    let segmenter = icu_segmenter::LineSegmenter::new_auto(Default::default());
    for byte in segmenter.segment_str(&text) {
        if let Some(&i) = char_at_byte.get(byte)
            && i > 0
            && i < chars.len()
            && let Some(slot) = allowed.get_mut(i)
        {
            *slot = true;
        }
    }
    allowed
}

/// One glyph of a shaped run as the layout gives it: the character it was
/// shaped from (the first of its cluster), its x and its advance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlyphBox {
    /// The first character of the glyph's cluster.
    pub chr: char,
    /// Left edge.
    pub x: f32,
    /// Advance width (0 for marks and stand-ins).
    pub advance: f32,
}

/// The x of every caret position of a run shaped as one stretch: entry `k`
/// is the edge of code point `k` that comes first in reading order (the
/// left edge left to right, the right edge right to left), and the last
/// entry the far edge of the last code point; so code point `k` spans
/// between entries `k` and `k + 1`.
///
/// Left to right, glyph `k` is code point `k` (the layout keeps one glyph
/// per code point). Right to left the glyphs come in visual order, one or
/// more per cluster, each naming its cluster's first character: walking them
/// from the left, clusters go backwards through the text, so each glyph is
/// matched to the nearest earlier code point with its character, and the
/// code points of a cluster (a ligature such as lam-alef) share its width.
pub fn run_carets(chars: &[char], glyphs: &[GlyphBox], rtl: bool) -> Vec<f32> {
    let n = chars.len();
    if !rtl {
        let mut carets: Vec<f32> = (0..n)
            .map(|k| glyphs.get(k).map_or(f32::NAN, |g| g.x))
            .collect();
        let end = glyphs
            .get(..n)
            .unwrap_or(glyphs)
            .iter()
            .map(|g| g.x + g.advance)
            .fold(f32::NAN, f32::max);
        carets.push(end);
        fill_gaps(&mut carets);
        return carets;
    }
    // Right edges of each code point (NaN until assigned) and the far edge.
    let mut carets = vec![f32::NAN; n + 1];
    let mut next = n; // code points 0..next are unassigned
    let mut left_end = f32::NAN;
    for g in glyphs.iter().filter(|g| g.advance > 0.0) {
        if next == 0 {
            break;
        }
        let from = (0..next)
            .rev()
            .find(|&j| chars.get(j) == Some(&g.chr))
            .unwrap_or(next - 1);
        let count = (next - from) as f32;
        let (x0, x1) = (g.x, g.x + g.advance);
        if left_end.is_nan() {
            left_end = x0;
        }
        for (t, slot) in carets
            .get_mut(from..next)
            .unwrap_or_default()
            .iter_mut()
            .enumerate()
        {
            *slot = x1 - g.advance * t as f32 / count;
        }
        next = from;
    }
    if let Some(last) = carets.get_mut(n) {
        *last = if left_end.is_nan() { 0.0 } else { left_end };
    }
    // Code points left over (none in practice) sit at the run's right end.
    let right_end = carets
        .iter()
        .copied()
        .filter(|x| !x.is_nan())
        .fold(f32::NAN, f32::max);
    for slot in carets.iter_mut().filter(|x| x.is_nan()) {
        *slot = if right_end.is_nan() { 0.0 } else { right_end };
    }
    carets
}

/// Fills NaN entries with the previous value (or 0).
fn fill_gaps(carets: &mut [f32]) {
    let mut last = 0.0;
    for x in carets.iter_mut() {
        if x.is_nan() {
            *x = last;
        } else {
            last = *x;
        }
    }
}

/// A run placed on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedRun {
    /// The run's code points and direction.
    pub run: Run,
    /// Caret x positions on the line, one per boundary `run.start..=run.end`
    /// (see [`run_carets`]), already offset to the run's place.
    pub carets: Vec<f32>,
}

impl PlacedRun {
    fn caret(&self, offset: usize) -> f32 {
        let k = offset.clamp(self.run.start, self.run.end) - self.run.start;
        self.carets.get(k).copied().unwrap_or(0.0)
    }

    fn left(&self) -> f32 {
        self.carets.iter().copied().fold(f32::INFINITY, f32::min)
    }

    fn right(&self) -> f32 {
        self.carets
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
    }
}

/// One laid-out line: its runs in visual order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The line's code points.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Runs from left to right.
    pub runs: Vec<PlacedRun>,
}

impl Line {
    /// The run under `x`, or the nearest one.
    fn run_at(&self, x: f32) -> Option<&PlacedRun> {
        self.runs
            .iter()
            .find(|r| r.left() <= x && x < r.right())
            .or_else(|| {
                self.runs.iter().min_by(|a, b| {
                    let da = (a.left() - x).abs().min((a.right() - x).abs());
                    let db = (b.left() - x).abs().min((b.right() - x).abs());
                    da.total_cmp(&db)
                })
            })
    }

    /// The caret offset nearest to `x` (a click or a drag at `x`).
    pub fn offset_at(&self, x: f32) -> usize {
        let Some(run) = self.run_at(x) else {
            return self.start;
        };
        (run.run.start..=run.run.end)
            .min_by(|a, b| {
                (run.caret(*a) - x)
                    .abs()
                    .total_cmp(&(run.caret(*b) - x).abs())
            })
            .unwrap_or(self.start)
    }

    /// The code point drawn under `x`, if any (a double click, a hover).
    pub fn char_at(&self, x: f32) -> Option<usize> {
        let run = self.runs.iter().find(|r| r.left() <= x && x < r.right())?;
        (run.run.start..run.run.end).find(|&k| {
            let (a, b) = (run.caret(k), run.caret(k + 1));
            a.min(b) <= x && x < a.max(b)
        })
    }

    /// The x of a caret before code point `offset` (at the line's end: after
    /// the last code point).
    pub fn caret_x(&self, offset: usize) -> f32 {
        let inside = self
            .runs
            .iter()
            .find(|r| r.run.start <= offset && offset < r.run.end)
            .or_else(|| self.runs.iter().find(|r| r.run.end == offset));
        inside.map_or(0.0, |r| r.caret(offset))
    }

    /// The x ranges (left, right) that draw code points `start..end` on this
    /// line: one per run they touch, left to right. A range that crosses a
    /// direction change is not contiguous on screen.
    pub fn x_ranges(&self, start: usize, end: usize) -> Vec<(f32, f32)> {
        self.runs
            .iter()
            .filter_map(|r| {
                let (s, e) = (start.max(r.run.start), end.min(r.run.end));
                (s < e).then(|| {
                    let (a, b) = (r.caret(s), r.caret(e));
                    (a.min(b), a.max(b))
                })
            })
            .collect()
    }

    /// The line's width from its leftmost to its rightmost caret.
    pub fn extent(&self) -> (f32, f32) {
        let left = self
            .runs
            .iter()
            .map(PlacedRun::left)
            .fold(f32::INFINITY, f32::min);
        let right = self
            .runs
            .iter()
            .map(PlacedRun::right)
            .fold(f32::NEG_INFINITY, f32::max);
        if left.is_finite() {
            (left, right)
        } else {
            (0.0, 0.0)
        }
    }
}

/// The character a right-to-left run shows for `c` when the shaper will not
/// mirror it itself (a run of neutrals only): "(" shows as ")" and so on,
/// by the Unicode Bidi_Mirroring_Glyph property (all its pairs).
pub fn mirrored(c: char) -> char {
    unicode_bidi_mirroring::get_mirrored(c).unwrap_or(c)
}

/// Whether a run has a strong right-to-left letter: a shaper that guesses
/// the direction from the script lays it out right to left (and mirrors
/// brackets itself); a run of neutrals only it lays out left to right.
pub fn has_rtl_letter(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "قال بوتين في 4 سبتمبر 2023 إن شركة Gazprom ستزيد الإنتاج.";

    fn words_visual(text: &str, runs: &[Run]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        for r in runs {
            let s: String = chars[r.start..r.end].iter().collect();
            let mut words: Vec<String> = s.split_whitespace().map(str::to_owned).collect();
            if r.rtl {
                words.reverse();
            }
            out.extend(words);
        }
        out
    }

    #[test]
    fn paragraph_direction_from_first_strong_character() {
        assert!(is_rtl_paragraph(MIXED));
        assert!(!is_rtl_paragraph("Putin said قال"));
        assert!(is_rtl_paragraph("2023 שלום world"));
        assert!(!is_rtl_paragraph("12 (34)"));
        assert!(needs_bidi("abc שלום"));
        assert!(needs_bidi("abc \u{200F}"));
        assert!(!needs_bidi("plain English, 12 (34) — “quoted”"));
    }

    #[test]
    fn visual_order_of_a_mixed_arabic_line() {
        let n = MIXED.chars().count();
        let runs = &visual_lines(MIXED, std::slice::from_ref(&(0..n)))[0];
        let words = words_visual(MIXED, runs);
        // Read from the left edge: the sentence's end comes first.
        assert_eq!(
            words,
            vec![
                "الإنتاج.",
                "ستزيد",
                "Gazprom",
                "شركة",
                "إن",
                "2023",
                "سبتمبر",
                "4",
                "في",
                "بوتين",
                "قال"
            ]
        );
        // Digits and the Latin name are left-to-right runs inside.
        assert!(runs.iter().any(|r| !r.rtl));
    }

    #[test]
    fn arabic_inside_english_stays_in_place_and_reverses_itself() {
        let text = "He said مرحبا بكم to us";
        let n = text.chars().count();
        let runs = &visual_lines(text, std::slice::from_ref(&(0..n)))[0];
        assert_eq!(
            words_visual(text, runs),
            vec!["He", "said", "بكم", "مرحبا", "to", "us"]
        );
    }

    #[test]
    fn rlm_moves_a_neutral() {
        // Without a mark the final "!" belongs to the LTR paragraph's end;
        // an RLM after it keeps it with the Hebrew run.
        let text = "abc שלום!\u{200F} def";
        let levels = char_levels(text);
        let bang = text.chars().position(|c| c == '!').unwrap_or(0);
        assert_eq!(levels[bang], 1);
        assert_eq!(char_levels("abc שלום! def")[bang], 0);
    }

    #[test]
    fn lines_reorder_one_by_one() {
        let text = "abc שלום עולם def";
        let lines = [0..9, 9..text.chars().count()];
        let runs = visual_lines(text, &lines);
        assert_eq!(words_visual(text, &runs[0]), vec!["abc", "שלום"]);
        assert_eq!(words_visual(text, &runs[1]), vec!["עולם", "def"]);
    }

    #[test]
    fn thai_breaks_between_words_and_brackets_mirror_by_the_full_table() {
        // "Putin met Kim" in Thai, no spaces: lines end between words
        // (ปูติน | พบกับ | คิม), not where the width runs out.
        let thai: Vec<char> = "ปูตินพบกับคิม".chars().collect();
        let lines = break_lines(&thai, &vec![1.0; thai.len()], 6.0);
        let words: Vec<String> = lines
            .iter()
            .map(|r| thai[r.clone()].iter().collect())
            .collect();
        assert_eq!(words, ["ปูติน", "พบกับ", "คิม"]);
        // Pairs the old 14-pair table lacked.
        assert_eq!(mirrored('∈'), '∋');
        assert_eq!(mirrored('⦃'), '⦄');
        assert_eq!(mirrored('a'), 'a');
    }

    #[test]
    fn break_lines_at_spaces_and_hangs_trailing_space() {
        let chars: Vec<char> = "aa bb cc".chars().collect();
        let widths = vec![1.0; chars.len()];
        assert_eq!(break_lines(&chars, &widths, 5.0), vec![0..6, 6..8]);
        assert_eq!(break_lines(&chars, &widths, 2.0), vec![0..3, 3..6, 6..8]);
        // A word longer than the line is cut.
        let long: Vec<char> = "abcdefg".chars().collect();
        assert_eq!(break_lines(&long, &[1.0; 7], 3.0), vec![0..3, 3..6, 6..7]);
        assert_eq!(break_lines(&[], &[], 3.0), vec![0..0]);
    }

    #[test]
    fn rtl_carets_from_visual_glyphs_with_a_ligature() {
        // "سلام": س ل ا م, where lam-alef is one glyph naming 'ل'.
        let chars: Vec<char> = "سلام".chars().collect();
        let glyphs = [
            GlyphBox {
                chr: 'م',
                x: 0.0,
                advance: 4.0,
            },
            GlyphBox {
                chr: 'ل',
                x: 4.0,
                advance: 6.0,
            },
            GlyphBox {
                chr: 'س',
                x: 10.0,
                advance: 8.0,
            },
            // A zero-width stand-in the layout appends.
            GlyphBox {
                chr: 'ا',
                x: 18.0,
                advance: 0.0,
            },
        ];
        let carets = run_carets(&chars, &glyphs, true);
        assert_eq!(carets, vec![18.0, 10.0, 7.0, 4.0, 0.0]);
    }

    #[test]
    fn ltr_carets_are_glyph_edges() {
        let chars: Vec<char> = "ab".chars().collect();
        let glyphs = [
            GlyphBox {
                chr: 'a',
                x: 0.0,
                advance: 3.0,
            },
            GlyphBox {
                chr: 'b',
                x: 3.0,
                advance: 5.0,
            },
        ];
        assert_eq!(run_carets(&chars, &glyphs, false), vec![0.0, 3.0, 8.0]);
    }

    #[test]
    fn hit_testing_a_mixed_line() {
        // A hand-made line: code points 0..2 right to left at x 40..20,
        // then 2..4 left to right at x 0..20.
        let line = Line {
            start: 0,
            end: 4,
            runs: vec![
                PlacedRun {
                    run: Run {
                        start: 2,
                        end: 4,
                        rtl: false,
                    },
                    carets: vec![0.0, 10.0, 20.0],
                },
                PlacedRun {
                    run: Run {
                        start: 0,
                        end: 2,
                        rtl: true,
                    },
                    carets: vec![40.0, 30.0, 20.0],
                },
            ],
        };
        assert_eq!(line.char_at(35.0), Some(0));
        assert_eq!(line.char_at(25.0), Some(1));
        assert_eq!(line.char_at(5.0), Some(2));
        assert_eq!(line.offset_at(39.0), 0);
        assert_eq!(line.offset_at(31.0), 1);
        assert_eq!(line.caret_x(1), 30.0);
        assert_eq!(line.x_ranges(1, 3), vec![(0.0, 10.0), (20.0, 30.0)]);
        assert_eq!(line.extent(), (0.0, 40.0));
    }

    #[test]
    fn mirroring_pairs() {
        assert_eq!(mirrored('('), ')');
        assert_eq!(mirrored('»'), '«');
        assert_eq!(mirrored('a'), 'a');
        assert!(has_rtl_letter("(שלום)"));
        assert!(!has_rtl_letter(" ( "));
    }
}
