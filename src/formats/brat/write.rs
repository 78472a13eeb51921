//! brat export: `.txt` + `.ann` per document and the two configuration
//! files, with fragments at line breaks and notes as `#` lines.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use super::super::{ExportOptions, Exported, FormatError, Tally};
use super::*;
use crate::model::span::CharIndex;
use crate::model::{
    CheckWorthiness, ClaimType, Claimant, Document, Entity, Project, Stance, Verdict,
};

/// Exports the selected documents as `ID.txt` + `ID.ann`, with
/// `annotation.conf` and `visual.conf` from the schema.
pub fn export(project: &Project, options: &ExportOptions) -> Result<Exported, FormatError> {
    let mut files = Vec::new();
    let mut tally = Tally::default();
    let mut names = HashSet::new();
    let mut attributes: BTreeMap<(String, &'static str), BTreeSet<String>> = BTreeMap::new();
    for doc in options.select(project) {
        let name = file_name(&doc.id, &mut names);
        if name != doc.id {
            tally.add(
                "document(s) written under a file-safe name",
                format!("{} → {name}", doc.id),
            );
        }
        super::super::tally_metadata(doc, &mut tally);
        let ann = write_ann(project, doc, &mut tally, &mut attributes);
        files.push((
            PathBuf::from(format!("{name}.txt")),
            doc.text.clone().into_bytes(),
        ));
        files.push((PathBuf::from(format!("{name}.ann")), ann.into_bytes()));
    }
    files.push((
        PathBuf::from("annotation.conf"),
        annotation_conf(project, &attributes, &mut tally).into_bytes(),
    ));
    files.push((
        PathBuf::from("visual.conf"),
        visual_conf(project).into_bytes(),
    ));
    Ok(Exported {
        files,
        warnings: tally.warnings("brat: "),
    })
}

/// A file name for a document id: letters, digits, `-`, `_` and `.` kept,
/// anything else `_`; unique (ignoring case) among `taken`.
pub(super) fn file_name(id: &str, taken: &mut HashSet<String>) -> String {
    let mut name: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with('.') {
        name.insert_str(0, "doc");
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate.to_lowercase()) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    taken.insert(candidate.to_lowercase());
    candidate
}

/// A type key as brat can write it: no whitespace.
pub(super) fn brat_type(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// Whether `id` is a brat id with `prefix` (`T12`).
pub(super) fn is_brat_id(id: &str, prefix: char) -> Option<u64> {
    let digits = id.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Gives every annotation a brat id with one prefix: its own id when that is
/// a valid, unused brat id, otherwise a fresh number past the highest one.
pub(super) struct Ids {
    pub(super) prefix: char,
    pub(super) of: HashMap<String, String>,
    pub(super) next: u64,
}

impl Ids {
    fn new<'a>(prefix: char, ids: impl Iterator<Item = &'a str>) -> Self {
        let ids: Vec<&str> = ids.collect();
        let mut of = HashMap::new();
        let mut used = HashSet::new();
        let mut highest = 0;
        for id in &ids {
            // Absurdly large numbers are not kept, so that `next` never overflows.
            if let Some(n) = is_brat_id(id, prefix)
                && n < u64::from(u32::MAX)
                && used.insert(n)
            {
                of.insert((*id).to_owned(), (*id).to_owned());
                highest = highest.max(n);
            }
        }
        let mut this = Self {
            prefix,
            of,
            next: highest + 1,
        };
        for id in ids {
            if !this.of.contains_key(id) {
                let fresh = this.fresh();
                this.of.insert(id.to_owned(), fresh);
            }
        }
        this
    }

    fn fresh(&mut self) -> String {
        let id = format!("{}{}", self.prefix, self.next);
        self.next += 1;
        id
    }

    fn get(&self, id: &str) -> Option<&str> {
        self.of.get(id).map(String::as_str)
    }
}

/// Code-point fragments of `start..end` without line breaks, as brat writes
/// spans that cross lines.
pub(super) fn fragments(
    index: &CharIndex,
    text: &str,
    start: usize,
    end: usize,
) -> Vec<(usize, usize)> {
    let Some(slice) = index.slice(text, start, end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in slice.chars().enumerate() {
        let at = start + i;
        if c == '\n' || c == '\r' {
            if let Some(s) = open.take() {
                out.push((s, at));
            }
        } else if open.is_none() {
            open = Some(at);
        }
    }
    if let Some(s) = open {
        out.push((s, end));
    }
    out
}

/// One `T` line (without the id), or `None` when the span holds nothing
/// but line breaks.
pub(super) fn span_line(
    index: &CharIndex,
    text: &str,
    label: &str,
    start: usize,
    end: usize,
) -> Option<(String, bool)> {
    let frags = fragments(index, text, start, end);
    let (first, last) = (frags.first()?, frags.last()?);
    let trimmed = first.0 != start || last.1 != end;
    let offsets: Vec<String> = frags.iter().map(|(s, e)| format!("{s} {e}")).collect();
    let quotes: Vec<&str> = frags
        .iter()
        .filter_map(|(s, e)| index.slice(text, *s, *e))
        .collect();
    Some((
        format!(
            "{} {}\t{}",
            brat_type(label),
            offsets.join(";"),
            quotes.join(" ")
        ),
        trimmed,
    ))
}

/// Splits a note into brat attributes (`brat:NAME[=VALUE]` lines) and note lines.
pub(super) fn split_note(note: &str) -> (Vec<(String, Option<String>)>, Vec<&str>) {
    let mut attributes = Vec::new();
    let mut lines = Vec::new();
    for line in note.lines() {
        let attribute = line.strip_prefix(ATTRIBUTE_NOTE).and_then(|rest| {
            let (name, value) = match rest.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (rest, None),
            };
            let word = |s: &str| !s.is_empty() && !s.chars().any(char::is_whitespace);
            (word(name) && value.is_none_or(word))
                .then(|| (name.to_owned(), value.map(str::to_owned)))
        });
        match attribute {
            Some(a) => attributes.push(a),
            None => lines.push(line),
        }
    }
    (attributes, lines)
}

/// Whether a canonical entity's note is a normalization reference (`DB:ID`).
pub(super) fn is_reference(note: &str) -> bool {
    !note.chars().any(char::is_whitespace)
        && note
            .split_once(':')
            .is_some_and(|(db, id)| !db.is_empty() && !id.is_empty())
}

/// Writes a note: `brat:` lines as `A` lines (remembering the attribute for
/// `annotation.conf`, keyed by name and the type it applies to), the rest as
/// `#` lines.
pub(super) fn write_note_lines(
    extras: &mut String,
    a: &mut usize,
    write_note: &mut impl FnMut(&mut String, &str, &str),
    attributes: &mut BTreeMap<(String, &'static str), BTreeSet<String>>,
    id: &str,
    note: &str,
    applies_to: &'static str,
) {
    let (attrs, lines) = split_note(note);
    for (name, value) in attrs {
        *a += 1;
        let _ = match &value {
            Some(v) => writeln!(extras, "A{a}\t{name} {id} {v}"),
            None => writeln!(extras, "A{a}\t{name} {id}"),
        };
        attributes
            .entry((name, applies_to))
            .or_default()
            .extend(value);
    }
    for line in lines {
        write_note(extras, id, line);
    }
}

pub(super) fn write_ann(
    project: &Project,
    doc: &Document,
    tally: &mut Tally,
    attributes: &mut BTreeMap<(String, &'static str), BTreeSet<String>>,
) -> String {
    let index = CharIndex::new(&doc.text);
    let text = doc.text.as_str();
    // Only what will be written gets a number: a span of line breaks only
    // (left out) or a relation to it must not take one, or the lines after
    // it would be renumbered when the export is read back and written again.
    let writable: HashSet<&str> = doc
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.start, e.end))
        .chain(doc.claims.iter().map(|c| (c.id.as_str(), c.start, c.end)))
        .filter(|(_, start, end)| !fragments(&index, text, *start, *end).is_empty())
        .map(|(id, _, _)| id)
        .collect();
    let mut t_ids = Ids::new(
        'T',
        doc.entities
            .iter()
            .map(|e| e.id.as_str())
            .chain(doc.claims.iter().map(|c| c.id.as_str()))
            .filter(|id| writable.contains(id)),
    );
    let mut r_ids = Ids::new(
        'R',
        doc.relations
            .iter()
            .filter(|r| writable.contains(r.from.as_str()) && writable.contains(r.to.as_str()))
            .map(|r| r.id.as_str()),
    );
    let mut spans = String::new();
    let mut links = String::new();
    let mut extras = String::new();
    let (mut a, mut n, mut notes) = (0, 0, 0);
    let mut written: HashSet<String> = HashSet::new();
    let place = |id: &str| format!("{} {id}", doc.id);
    let mut write_note = |extras: &mut String, target: &str, line: &str| {
        notes += 1;
        let _ = writeln!(extras, "#{notes}\tAnnotatorNotes {target}\t{line}");
    };
    let write_span =
        |spans: &mut String, tally: &mut Tally, id: &str, label: &str, start: usize, end: usize| {
            match span_line(&index, text, label, start, end) {
                Some((line, trimmed)) => {
                    if trimmed {
                        tally.add(
                            "span(s) written without their leading or trailing line breaks",
                            place(id),
                        );
                    }
                    let _ = writeln!(spans, "{id}\t{line}");
                    true
                }
                None => {
                    tally.add("span(s) of line breaks only left out", place(id));
                    false
                }
            }
        };
    for e in &doc.entities {
        let Some(id) = t_ids.get(&e.id).map(str::to_owned) else {
            tally.add("span(s) of line breaks only left out", place(&e.id));
            continue;
        };
        if !write_span(&mut spans, tally, &id, &e.label, e.start, e.end) {
            continue;
        }
        written.insert(e.id.to_string());
        if let Some(note) = &e.note {
            write_note_lines(
                &mut extras,
                &mut a,
                &mut write_note,
                attributes,
                &id,
                note,
                "<ENTITY>",
            );
        }
    }
    for c in &doc.claims {
        let Some(id) = t_ids.get(&c.id).map(str::to_owned) else {
            tally.add("span(s) of line breaks only left out", place(&c.id));
            continue;
        };
        if !write_span(&mut spans, tally, &id, CLAIM, c.start, c.end) {
            continue;
        }
        written.insert(c.id.to_string());
        let values = [
            Some(c.attribution.name()),
            c.checkworthiness.map(CheckWorthiness::name),
            c.claim_type.map(ClaimType::name),
            c.stance.map(Stance::name),
            c.verdict.map(Verdict::name),
        ];
        for (name, value) in CLAIM_ATTRIBUTES.iter().zip(values) {
            if let Some(value) = value {
                a += 1;
                let _ = writeln!(extras, "A{a}\t{name} {id} {value}");
            }
        }
        match &c.claimant {
            Some(Claimant::Entity(entity)) => {
                // Only to an entity whose T line was written: one of line
                // breaks only is left out, and a link to it would dangle.
                match t_ids
                    .get(entity.as_str())
                    .filter(|_| written.contains(entity.as_str()))
                {
                    Some(target) => {
                        let _ = writeln!(
                            links,
                            "{}\t{CLAIMANT} Arg1:{id} Arg2:{target}",
                            r_ids.fresh()
                        );
                    }
                    None => tally.add("claimant(s) naming a missing entity left out", place(&c.id)),
                }
            }
            Some(Claimant::Text(_)) => tally.add("free-text claimant(s) left out", place(&c.id)),
            None => {}
        }
        if let Some(cue) = &c.cue {
            // A cue of line breaks only takes no number (see `writable`).
            if fragments(&index, text, cue.start, cue.end).is_empty() {
                tally.add("span(s) of line breaks only left out", place(&c.id));
            } else {
                let cue_id = t_ids.fresh();
                if write_span(&mut spans, tally, &cue_id, CUE, cue.start, cue.end) {
                    let _ = writeln!(links, "{}\t{CUE} Arg1:{id} Arg2:{cue_id}", r_ids.fresh());
                }
            }
        }
        if let Some(note) = &c.note {
            write_note_lines(
                &mut extras,
                &mut a,
                &mut write_note,
                attributes,
                &id,
                note,
                CLAIM,
            );
        }
        for (what, lost) in [
            ("claim rating(s) left out", c.rating.is_some()),
            ("claim summary(ies) left out", c.summary.is_some()),
            ("claim evidence item(s) left out", !c.evidence.is_empty()),
            ("annotator name(s) left out", c.annotator.is_some()),
            ("modification time(s) left out", c.modified.is_some()),
            (
                "review state(s) left out",
                c.review != crate::model::Review::Unreviewed,
            ),
        ] {
            if lost {
                tally.add(what, place(&c.id));
            }
        }
    }
    for r in &doc.relations {
        if r.annotator.is_some() {
            tally.add("annotator name(s) left out", place(&r.id));
        }
        if r.modified.is_some() {
            tally.add("modification time(s) left out", place(&r.id));
        }
        let ends = (
            t_ids
                .get(&r.from)
                .filter(|_| written.contains(r.from.as_str())),
            t_ids.get(&r.to).filter(|_| written.contains(r.to.as_str())),
        );
        match (r_ids.get(&r.id), ends) {
            (Some(id), (Some(from), Some(to))) => {
                let _ = writeln!(links, "{id}\t{} Arg1:{from} Arg2:{to}", brat_type(&r.label));
            }
            _ => tally.add(
                "relation(s) whose ends were not written left out",
                place(&r.id),
            ),
        }
    }
    // Canonical entities: an equivalence per group of mentions, and a
    // normalization line per mention when the note is a `DB:ID` reference.
    let mut groups: Vec<(&str, Vec<&Entity>)> = Vec::new();
    for e in doc
        .entities
        .iter()
        .filter(|e| written.contains(e.id.as_str()))
    {
        let Some(canonical) = e.canonical.as_deref() else {
            continue;
        };
        match groups.iter_mut().find(|(id, _)| *id == canonical) {
            Some((_, members)) => members.push(e),
            None => groups.push((canonical, vec![e])),
        }
    }
    for (canonical, members) in groups {
        let ids: Vec<&str> = members.iter().filter_map(|e| t_ids.get(&e.id)).collect();
        if members.len() > 1 {
            let _ = writeln!(links, "*\t{EQUIV} {}", ids.join(" "));
        }
        let found = project.canonical(canonical);
        match found.and_then(|c| {
            c.note
                .as_deref()
                .filter(|note| is_reference(note))
                .map(|r| (c, r))
        }) {
            Some((c, reference)) => {
                for id in &ids {
                    n += 1;
                    let _ = writeln!(extras, "N{n}\tReference {id} {reference}\t{}", c.name);
                }
            }
            None => {
                let named = found.is_some_and(|c| {
                    c.note.is_none()
                        && members.len() > 1
                        && members.first().is_some_and(|e| e.text == c.name)
                });
                if !named {
                    tally.add(
                        "canonical entity name(s) or note(s) left out",
                        format!("{} {canonical}", doc.id),
                    );
                }
            }
        }
    }
    for e in &doc.entities {
        if e.annotator.is_some() {
            tally.add("annotator name(s) left out", place(&e.id));
        }
        if e.modified.is_some() {
            tally.add("modification time(s) left out", place(&e.id));
        }
        if e.review != crate::model::Review::Unreviewed {
            tally.add("review state(s) left out", place(&e.id));
        }
    }
    spans + &links + &extras
}
