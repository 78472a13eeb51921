//! A fast reader for the documents of a canonical project file.
//!
//! `ron`'s general parser costs about three times a JSON parse of the same
//! data (its tokenizer handles comments, raw strings, every number syntax
//! and extension on every token). [`super::to_ron`] writes a document with
//! a small part of RON: unnamed structs `( … )`, lists `[ … ]`, strings with
//! the escapes of `char::escape_debug`, decimal integers, enum variants
//! (unit, newtype, struct) and, under `implicit_some`, options as bare
//! values. This module reads exactly that part and gives up on anything
//! else (`None`): a comment, a raw string, an unknown field, an integer
//! with a sign or leading zero, a `Some(…)`, an error of any kind. The
//! caller then parses the piece with `ron`, so whatever this reader does
//! not read, `ron` decides, errors and their messages included.
//!
//! What it does read, it reads as `ron` does (same values, same serde
//! calls), so it never accepts what `ron` would reject nor reads it
//! differently; the proptests below compare the two on generated
//! documents and on mutations of them.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};

use crate::model::Document;

/// Reads one document in the canonical subset; `None` when the piece holds
/// anything outside it (the caller then asks `ron`).
pub(super) fn document(piece: &str) -> Option<Document> {
    let mut reader = Reader {
        bytes: piece.as_bytes(),
        text: piece,
        pos: 0,
    };
    let document = Document::deserialize(&mut reader).ok()?;
    reader.ws();
    (reader.pos == reader.bytes.len()).then_some(document)
}

/// "Not in the subset this reader knows": the only error, which sends the
/// piece to `ron`.
#[derive(Debug)]
struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not in the canonical subset")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Bail
    }
}

type Result<T> = std::result::Result<T, Bail>;

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace. Only the four ASCII characters, all of which `ron`
    /// skips too; its other whitespace and comments end the fast path.
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// Whether the byte after a token lets `ron` end the token there too:
    /// only whitespace and punctuation (not `.`, `+`, `-`, `#`, quotes or
    /// non-ASCII, which `ron` may read as part of an identifier, a raw
    /// string or a number).
    fn at_token_end(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\n' | b'\t' | b'\r' | b':' | b',' | b'(' | b')' | b'[' | b']')
        )
    }

    /// An ASCII identifier (`[A-Za-z_][A-Za-z0-9_]*`).
    fn identifier(&mut self) -> Result<&'t str> {
        let start = self.pos;
        match self.peek() {
            Some(b'a'..=b'z' | b'A'..=b'Z' | b'_') => self.pos += 1,
            _ => return Err(Bail),
        }
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.peek() {
            self.pos += 1;
        }
        if !self.at_token_end() {
            return Err(Bail);
        }
        self.text.get(start..self.pos).ok_or(Bail)
    }

    /// A decimal integer without sign, underscore or leading zero.
    fn integer(&mut self) -> Result<u64> {
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(digit @ b'0'..=b'9') = self.peek() {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(digit - b'0')))
                .ok_or(Bail)?;
            self.pos += 1;
        }
        let digits = self.pos - start;
        let leading_zero = digits > 1 && self.bytes.get(start) == Some(&b'0');
        if digits == 0 || leading_zero || !self.at_token_end() {
            return Err(Bail);
        }
        Ok(value)
    }

    /// A `"…"` string with the escapes `char::escape_debug` writes.
    fn string(&mut self) -> Result<Cow<'t, str>> {
        self.expect(b'"')?;
        let start = self.pos;
        let rest = self.bytes.get(start..).ok_or(Bail)?;
        let stop = memchr::memchr2(b'"', b'\\', rest).ok_or(Bail)?;
        if rest.get(stop) == Some(&b'"') {
            self.pos = start + stop + 1;
            return self
                .text
                .get(start..start + stop)
                .map(Cow::Borrowed)
                .ok_or(Bail);
        }
        // Sized to the raw string (escapes only shrink it), so that it
        // neither grows while read nor keeps slack once read.
        let raw = raw_len(rest).ok_or(Bail)?;
        let mut out = String::with_capacity(raw);
        out.push_str(self.text.get(start..start + stop).ok_or(Bail)?);
        self.pos = start + stop;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                _ => return Err(Bail),
            }
            let from = self.pos;
            let rest = self.bytes.get(from..).ok_or(Bail)?;
            let stop = memchr::memchr2(b'"', b'\\', rest).ok_or(Bail)?;
            out.push_str(self.text.get(from..from + stop).ok_or(Bail)?);
            self.pos = from + stop;
        }
    }

    /// The character of an escape, after its `\`. `\x` escapes and line
    /// continuations are left to `ron`.
    fn escape(&mut self) -> Result<char> {
        let byte = self.peek().ok_or(Bail)?;
        self.pos += 1;
        Ok(match byte {
            b'"' => '"',
            b'\'' => '\'',
            b'\\' => '\\',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'0' => '\0',
            b'u' => {
                self.expect(b'{')?;
                let mut code: u32 = 0;
                let mut digits = 0;
                loop {
                    let byte = self.peek().ok_or(Bail)?;
                    self.pos += 1;
                    if byte == b'}' {
                        break;
                    }
                    let digit = char::from(byte).to_digit(16).ok_or(Bail)?;
                    digits += 1;
                    if digits > 6 {
                        return Err(Bail);
                    }
                    code = code * 16 + digit;
                }
                if digits == 0 {
                    return Err(Bail);
                }
                char::from_u32(code).ok_or(Bail)?
            }
            _ => return Err(Bail),
        })
    }
}

impl Reader<'_> {
    /// For a list written one item per line (as `to_ron` writes the
    /// annotations), the number of lines before the line that closes it:
    /// the list's length, so that it is allocated once at its size instead
    /// of growing by doubling and being shrunk afterwards. Only a hint: a
    /// wrong count costs time, never correctness.
    fn lines_in_list(&self) -> Option<usize> {
        let rest = self.bytes.get(self.pos..)?;
        if rest.first() != Some(&b'\n') {
            return None;
        }
        for (lines, newline) in memchr::memchr_iter(b'\n', rest).enumerate() {
            let line = rest.get(newline + 1..)?;
            let first = line.iter().find(|&&b| b != b' ');
            if first == Some(&b']') {
                return Some(lines);
            }
        }
        None
    }
}

/// The length of a string's raw text up to its closing quote, escapes
/// skipped; `None` when it has no closing quote.
fn raw_len(rest: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        at += memchr::memchr2(b'"', b'\\', rest.get(at..)?)?;
        if rest.get(at) == Some(&b'"') {
            return Some(at);
        }
        at += 2;
    }
}

/// Items of a list or fields of a struct, separated by commas, with an
/// optional comma before `end` (as `ron` reads them).
struct Separated<'r, 't> {
    reader: &'r mut Reader<'t>,
    end: u8,
    had_comma: bool,
    /// How many items a list probably has (see [`Reader::lines_in_list`]).
    hint: Option<usize>,
}

impl Separated<'_, '_> {
    fn has_element(&mut self) -> Result<bool> {
        self.reader.ws();
        match (self.had_comma, self.reader.peek() != Some(self.end)) {
            (true, more) => Ok(more),
            (false, false) => Ok(false),
            (false, true) => Err(Bail),
        }
    }

    fn comma(&mut self) {
        self.reader.ws();
        self.had_comma = self.reader.peek() == Some(b',');
        if self.had_comma {
            self.reader.pos += 1;
        }
    }
}

impl<'de> de::SeqAccess<'de> for Separated<'_, 'de> {
    type Error = Bail;

    fn size_hint(&self) -> Option<usize> {
        self.hint
    }

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.reader)?;
        self.comma();
        Ok(Some(value))
    }
}

impl<'de> de::MapAccess<'de> for Separated<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        let name = self.reader.identifier()?;
        seed.deserialize(BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.reader.ws();
        self.reader.expect(b':')?;
        self.reader.ws();
        let value = seed.deserialize(&mut *self.reader)?;
        self.comma();
        Ok(value)
    }
}

impl<'de> Reader<'de> {
    /// `( fields )` for a struct or struct variant.
    fn fields<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.ws();
        self.expect(b'(')?;
        let value = visitor.visit_map(Separated {
            reader: self,
            end: b')',
            had_comma: true,
            hint: None,
        })?;
        self.ws();
        self.expect(b')')?;
        Ok(value)
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Bail;

    /// Anything the canonical writer does not write as a document field
    /// (an unknown field, a conflict's free value) is left to `ron`.
    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        let value = u32::try_from(self.integer()?).map_err(|_| Bail)?;
        visitor.visit_u32(value)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        visitor.visit_u64(self.integer()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        match self.string()? {
            Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
            Cow::Owned(text) => visitor.visit_string(text),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    /// Under `implicit_some`, a present option is its bare value; `None`
    /// and `Some(…)` are left to `ron`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        let at = self.pos;
        if let Some(b'a'..=b'z' | b'A'..=b'Z' | b'_') = self.peek() {
            let name = self.identifier()?;
            if name == "None" || name == "Some" {
                return Err(Bail);
            }
            self.pos = at;
        }
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        self.expect(b'[')?;
        let hint = self.lines_in_list();
        let value = visitor.visit_seq(Separated {
            reader: &mut *self,
            end: b']',
            had_comma: true,
            hint,
        })?;
        self.ws();
        self.expect(b']')?;
        Ok(value)
    }

    /// Only unnamed structs, as the canonical writer writes them.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.fields(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.ws();
        visitor.visit_enum(self)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.ws();
        visitor.visit_borrowed_str(self.identifier()?)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u128 f32 f64 char bytes byte_buf
        unit unit_struct newtype_struct tuple tuple_struct map ignored_any
    }
}

impl<'de> de::EnumAccess<'de> for &mut Reader<'de> {
    type Error = Bail;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = self.identifier()?;
        let value = seed.deserialize(BorrowedStrDeserializer::new(name))?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader<'de> {
    type Error = Bail;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    /// `Variant(value)`, with an optional comma before the `)` as in `ron`.
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.ws();
        self.expect(b'(')?;
        self.ws();
        let value = seed.deserialize(&mut *self)?;
        self.ws();
        if self.peek() == Some(b',') {
            self.pos += 1;
            self.ws();
        }
        self.expect(b')')?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.fields(visitor)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::{
        Attribution, CheckWorthiness, Claim, Claimant, Cue, Entity, Evidence, Project, Relation,
        Review, Status, Verdict,
    };

    /// `ron`'s reading of a document piece, with the options the split
    /// parse gives it.
    fn by_ron(piece: &str) -> std::result::Result<Document, ron::error::SpannedError> {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(piece)
    }

    /// The document pieces of a project's canonical file.
    fn pieces(project: &Project) -> Vec<String> {
        let text = super::super::to_ron(project);
        let pieces = super::super::split::cut(&text).expect("canonical layout");
        pieces.documents.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn reads_generated_documents_as_ron_does() {
        let project = crate::sample::large_project(3, 2000);
        for piece in pieces(&project) {
            let fast = document(&piece).expect("a canonical document is in the subset");
            assert_eq!(Some(fast), by_ron(&piece).ok());
        }
    }

    #[test]
    fn a_list_written_one_item_per_line_is_sized_by_its_lines() {
        let project = crate::sample::large_project(1, 2000);
        let piece = pieces(&project).remove(0);
        let entities = project.documents.first().map_or(0, |d| d.entities.len());
        assert!(entities > 10);
        let at = piece.find("entities: [").expect("entity list") + "entities: [".len();
        let reader = Reader {
            bytes: piece.as_bytes(),
            text: &piece,
            pos: at,
        };
        assert_eq!(reader.lines_in_list(), Some(entities));
    }

    #[test]
    fn leaves_everything_else_to_ron() {
        let mut doc = Document::new("d1", "Title", "Kim said.");
        doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
        let mut project = Project::new("p");
        project.documents.push(doc.into());
        let piece = pieces(&project).remove(0);
        assert!(document(&piece).is_some());
        let start = "start: 0,";
        for (from, to) in [
            // Comments, a raw string, a named struct, an unknown field.
            ("      id: ", "      // note\n      id: "),
            ("id: \"d1\"", "id: r\"d1\""),
            ("    (\n      id", "    Document(\n      id"),
            ("status: New,", "status: New,\n      extra: 1,"),
            // Options spelled out, signs, leading zeros, `\x` escapes.
            ("status: New,", "status: New,\n      source: Some(\"x\"),"),
            ("status: New,", "status: New,\n      source: None,"),
            (start, "start: +0,"),
            (start, "start: 00,"),
            (start, "start: 0_0,"),
            ("text: \"Kim\"", "text: \"\\x4bim\""),
            ("text: \"Kim\"", "text: \"K\\\n im\""),
            // Syntax errors: ron reports them.
            (start, "start: 0,,"),
            // A comment that hides a comma: `ron` finds none.
            (start, "start: 0 //,\n"),
            (start, "start: 0.5,"),
            (start, "start 0,"),
            ("status: New,", "status: Nw,"),
            ("label: \"PER\"", "label: \"PER\\q\""),
            ("text: \"Kim\"", "text: \"\\u{110000}\""),
        ] {
            let edited = piece.replacen(from, to, 1);
            assert_ne!(edited, piece, "{from:?} not found");
            assert_eq!(document(&edited), None, "{to:?} is not in the subset");
        }
        // What it does read in spellings other than the canonical one.
        let spaced = piece.replacen(start, "start : 0 ,", 1);
        assert_eq!(document(&spaced), by_ron(&spaced).ok());
        let escaped = piece.replacen("text: \"Kim\"", "text: \"\\u{4B}\\u{069}m\"", 1);
        assert_eq!(document(&escaped).map(|d| d.entities), Some(doc_entities()));
    }

    fn doc_entities() -> Vec<Entity> {
        vec![Entity::new("e1", "PER", 0, 3, "Kim")]
    }

    /// Strings with everything that needs an escape or looks like syntax.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "Kim", " ", "\n", "\r", "\t", "\0", "\u{1}", "\u{7f}", "\"", "'", "\\", "\\n", "r#\"",
            "//", "/*", "(", ")", "[", "],", ":", "😀", "دمشق", "\u{64e}", "\u{200f}", "\u{301}",
            "\u{feff}", "None", "Some(", "0", "é",
        ]);
        prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
    }

    fn optional() -> impl Strategy<Value = Option<String>> {
        prop::option::of(text())
    }

    fn entity() -> impl Strategy<Value = Entity> {
        (
            (text(), text(), any::<usize>(), any::<usize>(), text()),
            (
                optional(),
                optional(),
                optional(),
                optional(),
                0..4u8,
                optional(),
            ),
        )
            .prop_map(
                |(
                    (id, label, start, end, quote),
                    (canonical, note, annotator, modified, review, comment),
                )| {
                    let mut e = Entity::new(id, label, start, end, quote);
                    e.canonical = canonical.map(Into::into);
                    e.note = note.map(Into::into);
                    e.annotator = annotator.map(Into::into);
                    e.modified = modified.map(Into::into);
                    e.review = [
                        Review::Unreviewed,
                        Review::Accepted,
                        Review::Rejected,
                        Review::Discuss,
                    ][usize::from(review)];
                    e.review_comment = comment.map(Into::into);
                    e
                },
            )
    }

    fn claim() -> impl Strategy<Value = Claim> {
        (
            (text(), 0..10_000usize, 0..10_000usize, text()),
            (
                prop::option::of((any::<bool>(), text())),
                prop::option::of((0..99usize, 0..99usize, text())),
            ),
            (
                0..4u8,
                any::<bool>(),
                optional(),
                prop::collection::vec((any::<bool>(), text(), 0..9usize), 0..3),
            ),
        )
            .prop_map(
                |(
                    (id, start, end, quote),
                    (claimant, cue),
                    (attribution, worthy, rating, evidence),
                )| {
                    let mut c = Claim::new(id, start, end, quote);
                    c.claimant = claimant.map(|(entity, name)| {
                        if entity {
                            Claimant::Entity(name.into())
                        } else {
                            Claimant::Text(name.into())
                        }
                    });
                    c.cue = cue.map(|(start, end, text)| Cue {
                        start,
                        end,
                        text: text.into(),
                    });
                    c.attribution = Attribution::ALL[usize::from(attribution)];
                    c.checkworthiness = worthy.then_some(CheckWorthiness::CheckWorthy);
                    c.verdict = worthy.then_some(Verdict::NotEnoughInfo);
                    c.rating = rating.map(Into::into);
                    c.evidence = evidence
                        .into_iter()
                        .map(|(span, text, n)| {
                            if span {
                                Evidence::Span {
                                    doc: format!("d{n}"),
                                    start: n,
                                    end: n + 1,
                                    text,
                                }
                            } else {
                                Evidence::Url(text)
                            }
                        })
                        .collect();
                    c
                },
            )
    }

    fn arbitrary_document() -> impl Strategy<Value = Document> {
        (
            (text(), text(), text(), optional(), optional(), optional()),
            prop::collection::vec(entity(), 0..4),
            prop::collection::vec(claim(), 0..3),
            prop::collection::vec((text(), text(), text(), text(), optional()), 0..3),
            0..4usize,
        )
            .prop_map(
                |(
                    (id, title, body, source, date, language),
                    entities,
                    claims,
                    relations,
                    status,
                )| {
                    let mut doc = Document::new(id, title, body);
                    doc.source = source;
                    doc.date = date;
                    doc.language = language;
                    doc.status = Status::ALL[status];
                    doc.entities = entities;
                    doc.claims = claims;
                    doc.relations = relations
                        .into_iter()
                        .map(|(id, label, from, to, annotator)| {
                            let mut r = Relation::new(id, label, from, to);
                            r.annotator = annotator.map(Into::into);
                            r
                        })
                        .collect();
                    doc
                },
            )
    }

    /// Edits that turn a canonical piece into something near it: valid
    /// other spellings, things outside the subset, and syntax errors.
    fn edit() -> impl Strategy<Value = (prop::sample::Index, usize, &'static str)> {
        let snippet = prop::sample::select(vec![
            "",
            " ",
            "\n",
            "\t",
            ",",
            ",,",
            "(",
            ")",
            "[",
            "]",
            "\"",
            "\\",
            "\\x41",
            "\\u{41}",
            "\\u{d800}",
            "\\u{1F600}",
            "\\'",
            "None",
            "Some(",
            "0",
            "01",
            "9999999999999999999999",
            "+",
            "-",
            ".",
            "_",
            "r#",
            "r",
            "b",
            "//",
            "/*",
            "*/",
            "é",
            "#",
            ":",
            "'",
            "x",
            "1",
            "New",
            "Entity(",
            "Span(",
            "\u{85}",
            "\u{2028}",
        ]);
        (any::<prop::sample::Index>(), 0..3usize, snippet)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every document Gloss writes is read by the fast reader, exactly
        /// as `ron` reads it.
        #[test]
        fn canonical_documents_read_as_ron_reads_them(doc in arbitrary_document()) {
            let mut project = Project::new("p");
            project.documents.push(doc.clone().into());
            let piece = pieces(&project).remove(0);
            let fast = document(&piece);
            prop_assert_eq!(fast.as_ref(), Some(&doc));
            prop_assert_eq!(fast, by_ron(&piece).ok());
        }

        /// Near a canonical piece, the fast reader either gives up or reads
        /// what `ron` reads; it never accepts what `ron` rejects.
        #[test]
        fn never_accepts_what_ron_rejects(
            doc in arbitrary_document(),
            edits in prop::collection::vec(edit(), 1..4),
        ) {
            let mut project = Project::new("p");
            project.documents.push(doc.into());
            let mut piece = pieces(&project).remove(0);
            for (at, delete, insert) in edits {
                // Mostly where tokens meet, where a wrong reading would
                // matter; sometimes anywhere.
                let joints: Vec<usize> = piece
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| b":,([)] ".contains(b))
                    .flat_map(|(i, _)| [i, i + 1])
                    .collect();
                let mut start = if at.index(4) == 0 || joints.is_empty() {
                    at.index(piece.len() + 1)
                } else {
                    joints[at.index(joints.len())]
                };
                while !piece.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = start;
                for _ in 0..delete {
                    end += piece.get(end..).and_then(|r| r.chars().next()).map_or(0, char::len_utf8);
                }
                piece.replace_range(start..end, insert);
            }
            if let Some(fast) = document(&piece) {
                prop_assert_eq!(Some(fast), by_ron(&piece).ok(), "piece {:?}", piece);
            }
        }
    }
}
