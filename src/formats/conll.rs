//! CoNLL BIO2: `TOKEN<TAB>TAG` per line, a blank line after each sentence,
//! and `-DOCSTART-<TAB>O` plus a blank line before each document.
//!
//! Tokens are Unicode word-boundary pieces without whitespace, cut again at
//! every entity boundary (so an entity that starts or ends inside a word still
//! gets exact tokens). Sentences are Unicode sentence bounds found over the
//! tokens joined by single spaces (line breaks kept), never inside an entity.
//! Both are chosen so that import → export gives the same file: the imported
//! text (tokens joined by spaces, sentences by line breaks) tokenizes and
//! splits the same way again.

use std::collections::HashSet;
use std::path::Path;

use unicode_segmentation::UnicodeSegmentation;

use super::{ExportOptions, Exported, FormatError, Imported, Tally};
use crate::model::span::CharIndex;
use crate::model::{Document, Entity, Project};

/// The line that starts a document.
const DOCSTART: &str = "-DOCSTART-";

/// An entity kept for export, in byte offsets of the document text.
struct Kept<'d> {
    start: usize,
    end: usize,
    label: &'d str,
}

/// Exports the selected documents. Where entities overlap, the outermost
/// (longest, then earliest) is kept and the others are reported by document
/// and offsets; with `options.strict` that is an error instead.
pub fn export(project: &Project, options: &ExportOptions) -> Result<Exported, FormatError> {
    let mut out = String::new();
    let mut tally = Tally::default();
    for doc in options.select(project) {
        let kept = keep_outermost(doc, &mut tally);
        if options.strict && tally.count(OVERLAP) > 0 {
            let warnings = tally.warnings("conll: ");
            return Err(FormatError(format!(
                "CoNLL cannot hold overlapping entities: {}",
                warnings
                    .iter()
                    .find(|w| w.contains(" overlapping entit"))
                    .map_or("", String::as_str)
            )));
        }
        out.push_str(DOCSTART);
        out.push_str("\tO\n\n");
        write_document(doc, &kept, &mut out, &mut tally);
        tally.add_many(
            "claim(s) left out (CoNLL holds entities only)",
            doc.claims.len(),
            doc.id.clone(),
        );
        tally.add_many(
            "relation(s) left out (CoNLL holds entities only)",
            doc.relations.len(),
            doc.id.clone(),
        );
        super::tally_entity_extras(doc, &mut tally, false, false);
        super::tally_metadata(doc, &mut tally);
    }
    let mut warnings = tally.warnings("conll: ");
    if !out.is_empty() {
        // Not a loss of annotations, but of the text's layout: say it once.
        warnings.push(
            "conll: the text is written as one token per line: spacing, tabs and line breaks are not kept, so the project's character offsets do not apply to this file".to_owned(),
        );
    }
    Ok(Exported {
        files: vec![(Default::default(), out.into_bytes())],
        warnings,
    })
}

const OVERLAP: &str = "overlapping entity(ies) left out (of entities that overlap, the longest, then the earliest, is kept)";

/// The entities BIO can hold: no two overlap; the longest wins, then the earliest.
fn keep_outermost<'d>(doc: &'d Document, tally: &mut Tally) -> Vec<Kept<'d>> {
    let index = CharIndex::new(&doc.text);
    let mut order: Vec<&Entity> = doc.entities.iter().collect();
    order.sort_by_key(|e| (std::cmp::Reverse(e.end.saturating_sub(e.start)), e.start));
    let mut kept: Vec<(usize, usize, &Entity)> = Vec::new();
    // The kept spans never overlap, so the one starting last before a new
    // span's end is the only one that can overlap it: one lookup each, not
    // a scan of everything kept (that was quadratic in the entities).
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for e in order {
        let (Some(start), Some(end)) = (index.byte(e.start), index.byte(e.end)) else {
            tally.add(
                "entity(ies) out of the text's range left out",
                format!("{} {}..{}", doc.id, e.start, e.end),
            );
            continue;
        };
        if start >= end {
            tally.add(
                "empty entity(ies) left out",
                format!("{} {}..{}", doc.id, e.start, e.end),
            );
        } else if taken
            .range(..end)
            .next_back()
            .is_some_and(|(_, taken_end)| start < *taken_end)
        {
            tally.add(
                OVERLAP,
                format!("{} {} {}..{}", doc.id, e.label, e.start, e.end),
            );
        } else {
            taken.insert(start, end);
            kept.push((start, end, e));
        }
    }
    kept.sort_by_key(|(start, _, _)| *start);
    kept.into_iter()
        .map(|(start, end, e)| Kept {
            start,
            end,
            label: &e.label,
        })
        .collect()
}

/// Whether a character ends a paragraph for Unicode sentence segmentation.
fn is_paragraph_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn write_document(doc: &Document, kept: &[Kept<'_>], out: &mut String, tally: &mut Tally) {
    let text = doc.text.as_str();
    let mut cuts: Vec<usize> = kept.iter().flat_map(|k| [k.start, k.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let tokens = tokenize(text, &cuts);
    let breaks = sentence_breaks(text, &tokens, kept);
    // Tags: the entity a token lies in, B- on its first token.
    let mut next_entity = 0;
    let mut inside: Option<usize> = None;
    let mut tagged = vec![false; kept.len()];
    for (i, &(start, end)) in tokens.iter().enumerate() {
        if i > 0 && breaks.contains(&i) {
            out.push('\n');
        }
        while kept.get(next_entity).is_some_and(|k| k.end <= start) {
            next_entity += 1;
        }
        let tag = match kept.get(next_entity) {
            Some(k) if k.start <= start && end <= k.end => {
                let first = inside != Some(next_entity);
                inside = Some(next_entity);
                if let Some(t) = tagged.get_mut(next_entity) {
                    *t = true;
                }
                format!("{}-{}", if first { "B" } else { "I" }, k.label)
            }
            _ => {
                inside = None;
                "O".to_owned()
            }
        };
        out.push_str(text.get(start..end).unwrap_or_default());
        out.push('\t');
        out.push_str(&tag);
        out.push('\n');
    }
    if !tokens.is_empty() {
        out.push('\n');
    }
    for (k, tagged) in kept.iter().zip(tagged) {
        if !tagged {
            let place = CharIndex::new(text);
            let (s, e) = (
                place.char_of_byte(k.start).unwrap_or(0),
                place.char_of_byte(k.end).unwrap_or(0),
            );
            tally.add(
                "entity(ies) of whitespace only left out (no token)",
                format!("{} {s}..{e}", doc.id),
            );
        }
    }
}

/// Token byte ranges of `text`: the pieces between word boundaries (the one
/// word definition, [`crate::model::words`]), split at whitespace and at
/// `cuts`, then split again as they would be on their own.
fn tokenize(text: &str, cuts: &[usize]) -> Vec<(usize, usize)> {
    let mut tokens = Vec::new();
    for segment in crate::model::words::segments(text) {
        let (offset, piece) = (
            segment.start,
            text.get(segment.start..segment.end).unwrap_or_default(),
        );
        let mut start = None;
        for (i, c) in piece
            .char_indices()
            .chain(std::iter::once((piece.len(), ' ')))
        {
            let at = offset + i;
            if (c.is_whitespace() || cuts.binary_search(&at).is_ok())
                && let Some(s) = start.take()
            {
                refine(text, s, at, &mut tokens);
            }
            if !c.is_whitespace() && start.is_none() && i < piece.len() {
                start = Some(at);
            }
        }
    }
    tokens
}

/// Pushes `start..end`, split the way word segmentation splits it when it
/// stands alone (as it does in an imported text, between spaces).
fn refine(text: &str, start: usize, end: usize, tokens: &mut Vec<(usize, usize)>) {
    let Some(token) = text.get(start..end) else {
        return;
    };
    let pieces = crate::model::words::segments(token);
    if pieces.len() <= 1 {
        tokens.push((start, end));
        return;
    }
    for piece in pieces {
        refine(text, start + piece.start, start + piece.end, tokens);
    }
}

/// Indices of the tokens that start a sentence (besides the first).
fn sentence_breaks(text: &str, tokens: &[(usize, usize)], kept: &[Kept<'_>]) -> HashSet<usize> {
    // The tokens as an imported text would hold them: single spaces, and line
    // breaks where the original has one between two tokens.
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(tokens.len());
    let mut previous_end = None;
    for &(start, end) in tokens {
        if let Some(previous) = previous_end {
            let gap = text.get(previous..start).unwrap_or_default();
            joined.push(if gap.chars().any(is_paragraph_break) {
                '\n'
            } else {
                ' '
            });
        }
        starts.push(joined.len());
        joined.push_str(text.get(start..end).unwrap_or_default());
        previous_end = Some(end);
    }
    let inside_entity = |i: usize| {
        let (Some(&(a, _)), Some(&(b, _))) = (tokens.get(i.wrapping_sub(1)), tokens.get(i)) else {
            return false;
        };
        // `kept` is sorted and disjoint: only the last one starting at or
        // before `a` can hold both tokens.
        let at = kept.partition_point(|k| k.start <= a);
        at.checked_sub(1)
            .and_then(|i| kept.get(i))
            .is_some_and(|k| b < k.end)
    };
    let mut breaks = HashSet::new();
    // unicode-segmentation 1.13's sentence iterator underflows in `size_hint`
    // on an empty string, so it is neither called on one nor collected.
    if joined.is_empty() {
        return breaks;
    }
    for (offset, _) in joined.split_sentence_bound_indices() {
        if let Ok(i) = starts.binary_search(&offset)
            && i > 0
            && !inside_entity(i)
        {
            breaks.insert(i);
        }
    }
    breaks
}

/// Reads CoNLL files with BIO (IOB2), IOB1, BIOES or BILOU tags in the last
/// column. Each `-DOCSTART-` starts a document (`STEM-N`; a file without one
/// is one document, `STEM`). The text is rebuilt from the tokens: single
/// spaces between tokens, a line break between sentences.
pub fn import(sources: &[&Path]) -> Result<Imported, FormatError> {
    let mut project = Project::new("");
    let mut doc_ids = HashSet::new();
    let mut tally = Tally::default();
    for path in sources {
        let content = super::read_text(path)?;
        let stem = super::file_stem(path);
        let has_docstart = content
            .lines()
            .any(|l| l.split_whitespace().next() == Some(DOCSTART));
        let mut builder: Option<Builder> = (!has_docstart).then(Builder::default);
        let mut count = 0;
        let mut finish = |builder: Option<Builder>, project: &mut Project, count: &mut usize| {
            let Some(builder) = builder else { return };
            *count += 1;
            let wanted = if has_docstart {
                format!("{stem}-{count}")
            } else {
                stem.clone()
            };
            let id = super::unique_id(&mut doc_ids, &wanted);
            if id != wanted {
                tally.add(
                    "duplicate document id(s) renamed",
                    format!("{} {wanted} → {id}", path.display()),
                );
            }
            project.documents.push(builder.finish(id, path).into());
        };
        for (n, line) in content.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                if let Some(b) = builder.as_mut() {
                    b.end_sentence();
                }
                continue;
            }
            let columns: Vec<&str> = if line.contains('\t') {
                line.split('\t').collect()
            } else {
                line.split_whitespace().collect()
            };
            let (Some(&token), Some(&tag)) = (columns.first(), columns.last()) else {
                continue;
            };
            if token.trim() == DOCSTART {
                finish(builder.take(), &mut project, &mut count);
                builder = Some(Builder::default());
                continue;
            }
            if columns.len() < 2 || token.is_empty() {
                return Err(super::error_at(path, n + 1, "expected a token and a tag"));
            }
            let tag = parse_tag(tag.trim())
                .ok_or_else(|| super::error_at(path, n + 1, format!("unknown tag {tag:?}")))?;
            builder
                .get_or_insert_with(Builder::default)
                .token(token, tag);
        }
        finish(builder.take(), &mut project, &mut count);
    }
    super::complete_schema(&mut project);
    Ok(Imported {
        project,
        warnings: tally.warnings("conll: "),
    })
}

/// A tag: `O`, or a prefix (`B`, `I`, `E`, `S`, and BILOU's `L`, `U`) and a type.
enum Tag<'a> {
    Outside,
    Begin(&'a str),
    Inside(&'a str),
    End(&'a str),
    Single(&'a str),
}

fn parse_tag(tag: &str) -> Option<Tag<'_>> {
    if tag == "O" {
        return Some(Tag::Outside);
    }
    let (prefix, label) = tag.split_once('-')?;
    if label.is_empty() {
        return None;
    }
    Some(match prefix {
        "B" => Tag::Begin(label),
        "I" => Tag::Inside(label),
        "E" | "L" => Tag::End(label),
        "S" | "U" => Tag::Single(label),
        _ => return None,
    })
}

/// Rebuilds one document from its tokens.
#[derive(Default)]
struct Builder {
    text: String,
    /// Code points in `text`.
    len: usize,
    /// Tokens in the current sentence so far.
    sentence_tokens: usize,
    /// The entity being read: label, start, end (code points).
    open: Option<(String, usize, usize)>,
    entities: Vec<(String, usize, usize)>,
}

impl Builder {
    fn token(&mut self, token: &str, tag: Tag<'_>) {
        if self.sentence_tokens > 0 {
            self.push(" ");
        } else if self.len > 0 {
            self.push("\n");
        }
        let start = self.len;
        self.push(token);
        let end = self.len;
        self.sentence_tokens += 1;
        let continues = |open: &Option<(String, usize, usize)>, label: &str| {
            open.as_ref().is_some_and(|(l, _, _)| l == label)
        };
        match tag {
            Tag::Outside => self.close(),
            Tag::Begin(label) => {
                self.close();
                self.open = Some((label.to_owned(), start, end));
            }
            Tag::Inside(label) => {
                if continues(&self.open, label) {
                    self.extend(end);
                } else {
                    // IOB1, or an I- tag that follows O in loose BIO.
                    self.close();
                    self.open = Some((label.to_owned(), start, end));
                }
            }
            Tag::End(label) => {
                if continues(&self.open, label) {
                    self.extend(end);
                } else {
                    self.close();
                    self.open = Some((label.to_owned(), start, end));
                }
                self.close();
            }
            Tag::Single(label) => {
                self.close();
                self.open = Some((label.to_owned(), start, end));
                self.close();
            }
        }
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.len += s.chars().count();
    }

    fn extend(&mut self, end: usize) {
        if let Some(open) = self.open.as_mut() {
            open.2 = end;
        }
    }

    fn close(&mut self) {
        if let Some(open) = self.open.take() {
            self.entities.push(open);
        }
    }

    fn end_sentence(&mut self) {
        self.close();
        self.sentence_tokens = 0;
    }

    fn finish(mut self, id: String, path: &Path) -> Document {
        self.close();
        let mut doc = super::imported_document(id, std::mem::take(&mut self.text), Some(path));
        let index = CharIndex::new(&doc.text);
        for (label, start, end) in self.entities {
            let text = index
                .slice(&doc.text, start, end)
                .unwrap_or_default()
                .to_owned();
            let id = format!("e{}", doc.entities.len() + 1);
            doc.entities.push(Entity::new(id, label, start, end, text));
        }
        doc
    }
}
