//! brat standoff: `NAME.txt` (the text) and `NAME.ann` (the annotations) per
//! document, plus `annotation.conf` and `visual.conf` for the types.
//!
//! Offsets are code points of the `.txt`, end exclusive (brat uses Python
//! `str` offsets). How Gloss maps the line kinds:
//! - `T` entity lines ↔ entities; the brat id is kept as the entity id and
//!   reused on export. Type `Claim` ↔ claims; type `Cue` linked from a claim
//!   by an `R … Cue` line ↔ the claim's cue.
//! - Discontinuous spans (`TYPE 0 5;10 15`) are read as the covering span
//!   (`0..15`); when a gap holds more than whitespace that is reported. On
//!   export, spans that cross line breaks are written as fragments split at
//!   the breaks, as brat itself does.
//! - `R` lines ↔ relations; `R … Claimant Arg1:CLAIM Arg2:ENTITY` ↔ claimant.
//! - `*` equivalence lines and `N` normalization lines ↔ canonical entities
//!   (an `N` reference such as `Wikipedia:64488` is the canonical entity's note
//!   and links mentions across documents).
//! - `A`/`M` attribute lines on a claim ↔ its Attribution, CheckWorthiness,
//!   ClaimType, Stance and Verdict; on an entity they become note lines
//!   `brat:NAME` or `brat:NAME=VALUE`, which export writes back as `A` lines.
//! - `#` AnnotatorNotes ↔ notes (one `#` line per note line).
//! - Events (`E`) and anything else are left out and counted.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{ExportOptions, Exported, FormatError, Imported, Tally};
use crate::model::span::CharIndex;
use crate::model::{
    Attribution, CanonicalEntity, CheckWorthiness, Claim, ClaimType, Claimant, Cue, Document,
    Entity, Project, Relation, Rgb, Stance, Verdict,
};

/// Entity type of claim spans.
const CLAIM: &str = "Claim";
/// Entity type of cue spans, and the relation type from a claim to its cue.
const CUE: &str = "Cue";
/// Relation type from a claim to its claimant.
const CLAIMANT: &str = "Claimant";
/// Equivalence relation type written for canonical entity groups.
const EQUIV: &str = "Equiv";
/// The prefix of note lines that stand for brat attributes.
const ATTRIBUTE_NOTE: &str = "brat:";
/// Claim fields written as attributes, with their values.
const CLAIM_ATTRIBUTES: [&str; 5] = [
    "Attribution",
    "CheckWorthiness",
    "ClaimType",
    "Stance",
    "Verdict",
];

fn claim_attribute_values(name: &str) -> Vec<&'static str> {
    match name {
        "Attribution" => Attribution::ALL.iter().map(|v| v.name()).collect(),
        "CheckWorthiness" => CheckWorthiness::ALL.iter().map(|v| v.name()).collect(),
        "ClaimType" => ClaimType::ALL.iter().map(|v| v.name()).collect(),
        "Stance" => Stance::ALL.iter().map(|v| v.name()).collect(),
        "Verdict" => Verdict::ALL.iter().map(|v| v.name()).collect(),
        _ => Vec::new(),
    }
}

/// Sets a claim field from an attribute; `Ok(false)` when `name` is no claim field.
fn set_claim_attribute(claim: &mut Claim, name: &str, value: &str) -> Result<bool, ()> {
    match name {
        "Attribution" => claim.attribution = Attribution::parse(value).ok_or(())?,
        "CheckWorthiness" => claim.checkworthiness = Some(CheckWorthiness::parse(value).ok_or(())?),
        "ClaimType" => claim.claim_type = Some(ClaimType::parse(value).ok_or(())?),
        "Stance" => claim.stance = Some(Stance::parse(value).ok_or(())?),
        "Verdict" => claim.verdict = Some(Verdict::parse(value).ok_or(())?),
        _ => return Ok(false),
    }
    Ok(true)
}

// ---------------------------------------------------------------------------
// Export

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
fn file_name(id: &str, taken: &mut HashSet<String>) -> String {
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
fn brat_type(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// Whether `id` is a brat id with `prefix` (`T12`).
fn is_brat_id(id: &str, prefix: char) -> Option<u64> {
    let digits = id.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Gives every annotation a brat id with one prefix: its own id when that is
/// a valid, unused brat id, otherwise a fresh number past the highest one.
struct Ids {
    prefix: char,
    of: HashMap<String, String>,
    next: u64,
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
fn fragments(index: &CharIndex, text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
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
fn span_line(
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
fn split_note(note: &str) -> (Vec<(String, Option<String>)>, Vec<&str>) {
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
fn is_reference(note: &str) -> bool {
    !note.chars().any(char::is_whitespace)
        && note
            .split_once(':')
            .is_some_and(|(db, id)| !db.is_empty() && !id.is_empty())
}

/// Writes a note: `brat:` lines as `A` lines (remembering the attribute for
/// `annotation.conf`, keyed by name and the type it applies to), the rest as
/// `#` lines.
fn write_note_lines(
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

fn write_ann(
    project: &Project,
    doc: &Document,
    tally: &mut Tally,
    attributes: &mut BTreeMap<(String, &'static str), BTreeSet<String>>,
) -> String {
    let index = CharIndex::new(&doc.text);
    let text = doc.text.as_str();
    let mut t_ids = Ids::new(
        'T',
        doc.entities
            .iter()
            .map(|e| e.id.as_str())
            .chain(doc.claims.iter().map(|c| c.id.as_str())),
    );
    let mut r_ids = Ids::new('R', doc.relations.iter().map(|r| r.id.as_str()));
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
            continue;
        };
        if !write_span(&mut spans, tally, &id, &e.label, e.start, e.end) {
            continue;
        }
        written.insert(e.id.clone());
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
            continue;
        };
        if !write_span(&mut spans, tally, &id, CLAIM, c.start, c.end) {
            continue;
        }
        written.insert(c.id.clone());
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
                match t_ids.get(entity).filter(|_| doc.entity(entity).is_some()) {
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
            let cue_id = t_ids.fresh();
            if write_span(&mut spans, tally, &cue_id, CUE, cue.start, cue.end) {
                let _ = writeln!(links, "{}\t{CUE} Arg1:{id} Arg2:{cue_id}", r_ids.fresh());
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
        let ends = (
            t_ids.get(&r.from).filter(|_| written.contains(&r.from)),
            t_ids.get(&r.to).filter(|_| written.contains(&r.to)),
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
    for e in doc.entities.iter().filter(|e| written.contains(&e.id)) {
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
        if e.review != crate::model::Review::Unreviewed {
            tally.add("review state(s) left out", place(&e.id));
        }
    }
    spans + &links + &extras
}

fn annotation_conf(
    project: &Project,
    attributes: &BTreeMap<(String, &'static str), BTreeSet<String>>,
    tally: &mut Tally,
) -> String {
    let mut out = String::from(
        "# brat annotation configuration, written by Gloss from the project schema.\n\n[entities]\n\n",
    );
    let mut seen = HashSet::new();
    for t in &project.schema.entity_types {
        let key = brat_type(&t.key);
        if key != t.key {
            tally.add(
                "type name(s) with whitespace written with underscores",
                t.key.clone(),
            );
        }
        if key != CLAIM && key != CUE && seen.insert(key.clone()) {
            let _ = writeln!(out, "{key}");
        }
    }
    let _ = writeln!(out, "{CLAIM}\n{CUE}\n\n[relations]\n");
    for t in &project.schema.relation_types {
        let key = brat_type(&t.key);
        if key != t.key {
            tally.add(
                "type name(s) with whitespace written with underscores",
                t.key.clone(),
            );
        }
        if ![CLAIMANT, CUE, EQUIV].contains(&key.as_str()) {
            let _ = writeln!(out, "{key}\tArg1:<ANY>, Arg2:<ANY>");
        }
    }
    let _ = writeln!(out, "{CLAIMANT}\tArg1:{CLAIM}, Arg2:<ENTITY>");
    let _ = writeln!(out, "{CUE}\tArg1:{CLAIM}, Arg2:{CUE}");
    let _ = writeln!(
        out,
        "{EQUIV}\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive"
    );
    out.push_str("\n[events]\n\n[attributes]\n\n");
    for name in CLAIM_ATTRIBUTES {
        let _ = writeln!(
            out,
            "{name}\tArg:{CLAIM}, Value:{}",
            claim_attribute_values(name).join("|")
        );
    }
    for ((name, applies_to), values) in attributes {
        if values.is_empty() {
            let _ = writeln!(out, "{name}\tArg:{applies_to}");
        } else {
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            let _ = writeln!(out, "{name}\tArg:{applies_to}, Value:{}", values.join("|"));
        }
    }
    out
}

fn visual_conf(project: &Project) -> String {
    let mut out = String::from(
        "# brat visual configuration, written by Gloss from the project schema.\n\n[labels]\n\n",
    );
    for t in &project.schema.entity_types {
        let _ = writeln!(out, "{} | {}", brat_type(&t.key), t.name);
    }
    for t in &project.schema.relation_types {
        let _ = writeln!(out, "{} | {}", brat_type(&t.key), t.name);
    }
    out.push_str("\n[drawing]\n\n");
    for t in &project.schema.entity_types {
        let _ = writeln!(out, "{}\tbgColor:{}", brat_type(&t.key), t.color.to_hex());
    }
    let _ = writeln!(out, "{CLAIM}\tbgColor:#fde68a");
    let _ = writeln!(out, "{CUE}\tbgColor:#e5e7eb");
    let _ = writeln!(out, "{EQUIV}\tdashArray:3-3, arrowHead:none");
    out
}

// ---------------------------------------------------------------------------
// Import

/// Types, names and colours read from `annotation.conf` and `visual.conf`.
#[derive(Default)]
struct Conf {
    entities: Vec<String>,
    relations: Vec<String>,
    names: HashMap<String, String>,
    colors: HashMap<String, Rgb>,
}

fn read_conf(dir: &Path, root: &Path) -> Result<Conf, FormatError> {
    let mut conf = Conf::default();
    if let Some(path) = find_up(dir, root, "annotation.conf") {
        let mut section = String::new();
        for line in super::read_text(&path)?.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.trim().to_owned();
                continue;
            }
            let Some(first) = line.split_whitespace().next() else {
                continue;
            };
            let key = first.trim_start_matches('!');
            if key.is_empty() || key.starts_with('<') || key.contains('=') {
                continue;
            }
            match section.as_str() {
                "entities" if key != CLAIM && key != CUE => conf.entities.push(key.to_owned()),
                "relations"
                    if ![CLAIMANT, CUE, EQUIV].contains(&key)
                        && !line.contains("symmetric-transitive") =>
                {
                    conf.relations.push(key.to_owned());
                }
                _ => {}
            }
        }
    }
    if let Some(path) = find_up(dir, root, "visual.conf") {
        let mut section = String::new();
        for line in super::read_text(&path)?.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.trim().to_owned();
                continue;
            }
            match section.as_str() {
                "labels" => {
                    let mut parts = line.split('|').map(str::trim);
                    if let (Some(key), Some(name)) = (parts.next(), parts.next())
                        && !name.is_empty()
                    {
                        conf.names.insert(key.to_owned(), name.to_owned());
                    }
                }
                "drawing" => {
                    let Some((key, settings)) = line.split_once(char::is_whitespace) else {
                        continue;
                    };
                    for setting in settings.split(',') {
                        if let Some((name, value)) = setting.trim().split_once(':')
                            && name.trim() == "bgColor"
                            && let Some(color) = parse_color(value.trim())
                        {
                            conf.colors.insert(key.to_owned(), color);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(conf)
}

/// `name` in `dir` or a folder above it, up to `root`.
fn find_up(dir: &Path, root: &Path, name: &str) -> Option<PathBuf> {
    let mut dir = Some(dir);
    while let Some(d) = dir {
        let candidate = d.join(name);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d == root {
            break;
        }
        dir = d.parent();
    }
    None
}

/// `#rgb`, `#rrggbb` or a common HTML colour name.
fn parse_color(value: &str) -> Option<Rgb> {
    if let Some(hex) = value.strip_prefix('#')
        && hex.len() == 3
        && hex.is_ascii()
    {
        let doubled: String = hex.chars().flat_map(|c| [c, c]).collect();
        return Rgb::parse(&doubled);
    }
    if value.starts_with('#') {
        return Rgb::parse(value);
    }
    let rgb = match value.to_ascii_lowercase().as_str() {
        "white" => [0xff, 0xff, 0xff],
        "black" => [0, 0, 0],
        "red" => [0xff, 0, 0],
        "green" => [0, 0x80, 0],
        "blue" => [0, 0, 0xff],
        "yellow" => [0xff, 0xff, 0],
        "orange" => [0xff, 0xa5, 0],
        "pink" => [0xff, 0xc0, 0xcb],
        "purple" => [0x80, 0, 0x80],
        "violet" => [0xee, 0x82, 0xee],
        "brown" => [0xa5, 0x2a, 0x2a],
        "gray" | "grey" => [0x80, 0x80, 0x80],
        "lightgray" | "lightgrey" => [0xd3, 0xd3, 0xd3],
        "lightgreen" => [0x90, 0xee, 0x90],
        "lightblue" => [0xad, 0xd8, 0xe6],
        "lightpink" => [0xff, 0xb6, 0xc1],
        "lightyellow" => [0xff, 0xff, 0xe0],
        "cyan" | "aqua" => [0, 0xff, 0xff],
        "magenta" | "fuchsia" => [0xff, 0, 0xff],
        "gold" => [0xff, 0xd7, 0],
        "khaki" => [0xf0, 0xe6, 0x8c],
        "salmon" => [0xfa, 0x80, 0x72],
        "tan" => [0xd2, 0xb4, 0x8c],
        _ => return None,
    };
    Some(Rgb(rgb))
}

/// The `.txt`/`.ann` pairs of one source, by path of the `.txt`.
/// The third list holds annotation files without a text, the fourth text
/// entries that are not regular files.
#[allow(clippy::type_complexity)]
fn documents_of(
    source: &Path,
) -> Result<(PathBuf, Vec<PathBuf>, Vec<PathBuf>, Vec<PathBuf>), FormatError> {
    if source.is_dir() {
        let mut texts = Vec::new();
        let mut orphans = Vec::new();
        // `.txt` entries that are no regular file (dangling links, FIFOs).
        let mut skipped = Vec::new();
        let mut stack = vec![source.to_path_buf()];
        let mut visited: HashSet<PathBuf> = std::fs::canonicalize(source).into_iter().collect();
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| {
                FormatError(format!("{}: cannot read the folder: {e}", dir.display()))
            })?;
            for entry in entries {
                let path = entry
                    .map_err(|e| FormatError(format!("{}: {e}", dir.display())))?
                    .path();
                let hidden = path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                if hidden {
                    continue;
                }
                if path.is_dir() {
                    // Each folder once, even through symlinks: a link cycle
                    // must not make the walk endless.
                    let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                    if visited.insert(canonical) {
                        stack.push(path);
                    }
                } else if path.extension().is_some_and(|e| e == "txt") {
                    if path.is_file() {
                        texts.push(path);
                    } else {
                        skipped.push(path);
                    }
                } else if path.extension().is_some_and(|e| e == "ann")
                    && !path.with_extension("txt").is_file()
                {
                    orphans.push(path);
                }
            }
        }
        texts.sort();
        orphans.sort();
        skipped.sort();
        Ok((source.to_path_buf(), texts, orphans, skipped))
    } else {
        let txt = source.with_extension("txt");
        if !txt.is_file() {
            return Err(FormatError(format!(
                "{}: no such brat document (needs {})",
                source.display(),
                txt.display()
            )));
        }
        let root = source
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok((root, vec![txt], Vec::new(), Vec::new()))
    }
}

/// Reads brat folders (searched recursively) or single documents (`NAME.ann`,
/// `NAME.txt` or `NAME`). Each `NAME.txt` + `NAME.ann` becomes document
/// `NAME`; types, names and colours come from `annotation.conf` and
/// `visual.conf` when present.
pub fn import(sources: &[&Path]) -> Result<Imported, FormatError> {
    let mut project = Project::new("");
    let mut warnings = Vec::new();
    let mut doc_ids = HashSet::new();
    let mut by_reference: HashMap<String, String> = HashMap::new();
    for source in sources {
        let mut tally = Tally::default();
        let (root, texts, orphans, unreadable) = documents_of(source)?;
        for orphan in orphans {
            tally.add(
                "annotation file(s) without a .txt left out",
                orphan.display().to_string(),
            );
        }
        for path in unreadable {
            tally.add(
                "text file(s) that are not regular files left out",
                path.display().to_string(),
            );
        }
        let mut confs: HashMap<PathBuf, Conf> = HashMap::new();
        for txt in texts {
            let dir = txt.parent().map_or_else(|| root.clone(), Path::to_path_buf);
            if !confs.contains_key(&dir) {
                let conf = read_conf(&dir, &root)?;
                for key in &conf.entities {
                    super::ensure_entity_type(
                        &mut project.schema,
                        key,
                        conf.names.get(key).map(String::as_str),
                        conf.colors.get(key).copied(),
                    );
                }
                for key in &conf.relations {
                    super::ensure_relation_type(
                        &mut project.schema,
                        key,
                        conf.names.get(key).map(String::as_str),
                    );
                }
                confs.insert(dir.clone(), conf);
            }
            let conf = confs.get(&dir);
            let stem = super::file_stem(&txt);
            let id = super::unique_id(&mut doc_ids, &stem);
            if id != stem {
                tally.add(
                    "duplicate document name(s) renamed",
                    format!("{} → {id}", txt.display()),
                );
            }
            let text = read_exact(&txt)?;
            let mut doc = super::imported_document(id, text, Some(&txt));
            doc.title = stem;
            let ann = txt.with_extension("ann");
            // A `.ann` that is there but is no readable file (a dangling
            // link, a folder, a FIFO) must not pass as "no annotations".
            let ann_present = std::fs::symlink_metadata(&ann).is_ok();
            if ann_present && !ann.is_file() {
                tally.add(
                    "annotation file(s) that are not regular files left out (their documents have no annotations)",
                    ann.display().to_string(),
                );
            }
            if ann.is_file() {
                let content = read_exact(&ann)?;
                let parsed = parse_ann(&content, &ann, &doc, &mut tally)?;
                build(
                    parsed,
                    &mut doc,
                    &mut project,
                    &mut by_reference,
                    &ann,
                    &mut tally,
                );
            }
            for e in &doc.entities {
                let name = conf.and_then(|c| c.names.get(&e.label)).map(String::as_str);
                let color = conf.and_then(|c| c.colors.get(&e.label)).copied();
                super::ensure_entity_type(&mut project.schema, &e.label, name, color);
            }
            for r in &doc.relations {
                let name = conf.and_then(|c| c.names.get(&r.label)).map(String::as_str);
                super::ensure_relation_type(&mut project.schema, &r.label, name);
            }
            project.documents.push(doc);
        }
        let name = source.file_name().map_or_else(
            || source.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        warnings.extend(tally.warnings(&format!("{name}: ")));
    }
    super::complete_schema(&mut project);
    Ok(Imported { project, warnings })
}

/// A UTF-8 file byte for byte (a byte-order mark stays: brat counts it).
fn read_exact(path: &Path) -> Result<String, FormatError> {
    let bytes = crate::store::read_regular_file(path)
        .map_err(|e| FormatError(format!("{}: cannot read: {e}", path.display())))?;
    String::from_utf8(bytes)
        .map_err(|e| FormatError(format!("{}: not UTF-8 text ({e})", path.display())))
}

/// A text-bound (`T`) line.
struct TextBound {
    id: String,
    label: String,
    start: usize,
    end: usize,
    text: String,
}

/// The lines of one `.ann` file that Gloss can hold.
#[derive(Default)]
struct Ann {
    spans: Vec<TextBound>,
    /// Id, type, first and second argument.
    relations: Vec<(String, String, String, String, String)>,
    /// Type and members of `*` lines, with the place.
    equivalences: Vec<(String, Vec<String>, String)>,
    /// Name, target, value, place of `A`/`M` lines.
    attributes: Vec<(String, String, Option<String>, String)>,
    /// Target, reference, name, place of `N` lines.
    references: Vec<(String, String, String, String)>,
    /// Target, text, place of `#` lines.
    notes: Vec<(String, String, String)>,
}

fn parse_ann(
    content: &str,
    path: &Path,
    doc: &Document,
    tally: &mut Tally,
) -> Result<Ann, FormatError> {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let index = CharIndex::new(&doc.text);
    let mut ann = Ann::default();
    let mut ids = HashSet::new();
    for (n, line) in content.lines().enumerate() {
        let line_no = n + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let place = format!("{file}:{line_no}");
        let err = |message: String| super::error_at(path, line_no, message);
        let mut fields = line.splitn(3, '\t');
        let id = fields.next().unwrap_or_default();
        let body = fields.next().unwrap_or_default();
        let rest = fields.next();
        let words: Vec<&str> = body.split_whitespace().collect();
        let mut new_id = |id: &str| -> Result<(), FormatError> {
            if ids.insert(id.to_owned()) {
                Ok(())
            } else {
                Err(err(format!("id {id:?} is used twice")))
            }
        };
        match id.chars().next() {
            Some('T') => {
                new_id(id)?;
                let (label, offsets) = body.split_once(' ').ok_or_else(|| {
                    err("expected \"T<id><TAB>TYPE START END<TAB>TEXT\"".to_owned())
                })?;
                let mut frags = Vec::new();
                for frag in offsets.split(';') {
                    let numbers: Vec<usize> = frag
                        .split_whitespace()
                        .map(|s| {
                            s.parse()
                                .map_err(|_| err(format!("offset {s:?} is not a number")))
                        })
                        .collect::<Result<_, _>>()?;
                    let [start, end] = numbers.as_slice() else {
                        return Err(err(format!("expected START END, found {frag:?}")));
                    };
                    let (start, end) = (*start, *end);
                    if start > end || end > index.char_len() {
                        return Err(err(format!(
                            "span {start}..{end} does not fit the text ({} characters)",
                            index.char_len()
                        )));
                    }
                    frags.push((start, end));
                }
                let start = frags.iter().map(|f| f.0).min().unwrap_or(0);
                let end = frags.iter().map(|f| f.1).max().unwrap_or(0);
                let text = super::span_text(&index, &doc.text, start, end).map_err(err)?;
                let quotes: Vec<&str> = frags
                    .iter()
                    .filter_map(|(s, e)| index.slice(&doc.text, *s, *e))
                    .collect();
                if let Some(quote) = rest
                    && quote != quotes.join(" ")
                {
                    tally.add(
                        "T line text(s) that differ from the .txt (the .txt is kept)",
                        place.clone(),
                    );
                }
                let mut sorted = frags.clone();
                sorted.sort_unstable();
                let gap_text = sorted.windows(2).any(|w| match w {
                    [a, b] => index
                        .slice(&doc.text, a.1.min(b.0), b.0)
                        .is_some_and(|g| !g.trim().is_empty()),
                    _ => false,
                });
                if gap_text {
                    tally.add(
                        "discontinuous span(s) read as their covering span",
                        place.clone(),
                    );
                }
                ann.spans.push(TextBound {
                    id: id.to_owned(),
                    label: label.to_owned(),
                    start,
                    end,
                    text,
                });
            }
            Some('R') => {
                new_id(id)?;
                let args: Vec<&str> = words
                    .iter()
                    .skip(1)
                    .filter_map(|w| w.split_once(':').map(|(_, v)| v))
                    .collect();
                let (Some(label), [from, to, ..]) = (words.first(), args.as_slice()) else {
                    return Err(err("expected \"R<id><TAB>TYPE Arg1:ID Arg2:ID\"".to_owned()));
                };
                ann.relations.push((
                    id.to_owned(),
                    (*label).to_owned(),
                    (*from).to_owned(),
                    (*to).to_owned(),
                    place,
                ));
            }
            Some('*') => {
                let Some((label, members)) = words.split_first() else {
                    return Err(err("expected \"*<TAB>TYPE ID ID…\"".to_owned()));
                };
                ann.equivalences.push((
                    (*label).to_owned(),
                    members.iter().map(|m| (*m).to_owned()).collect(),
                    place,
                ));
            }
            Some('A' | 'M') => {
                new_id(id)?;
                let [name, target, value @ ..] = words.as_slice() else {
                    return Err(err("expected \"A<id><TAB>NAME TARGET [VALUE]\"".to_owned()));
                };
                let value = (!value.is_empty()).then(|| value.join(" "));
                ann.attributes
                    .push(((*name).to_owned(), (*target).to_owned(), value, place));
            }
            Some('N') => {
                new_id(id)?;
                let [_, target, reference, ..] = words.as_slice() else {
                    return Err(err(
                        "expected \"N<id><TAB>Reference TARGET DB:ID<TAB>NAME\"".to_owned(),
                    ));
                };
                let name = rest
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .unwrap_or(reference);
                ann.references.push((
                    (*target).to_owned(),
                    (*reference).to_owned(),
                    name.to_owned(),
                    place,
                ));
            }
            Some('#') => {
                let [_, target, ..] = words.as_slice() else {
                    return Err(err(
                        "expected \"#<id><TAB>AnnotatorNotes TARGET<TAB>NOTE\"".to_owned()
                    ));
                };
                ann.notes.push((
                    (*target).to_owned(),
                    rest.unwrap_or_default().to_owned(),
                    place,
                ));
            }
            Some('E') => tally.add("event (E) line(s) left out", file.clone()),
            _ => tally.add("unknown line(s) left out", place),
        }
    }
    Ok(ann)
}

fn build(
    ann: Ann,
    doc: &mut Document,
    project: &mut Project,
    by_reference: &mut HashMap<String, String>,
    path: &Path,
    tally: &mut Tally,
) {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let claim_ids: HashSet<&str> = ann
        .spans
        .iter()
        .filter(|s| s.label == CLAIM)
        .map(|s| s.id.as_str())
        .collect();
    let cue_spans: HashMap<&str, &TextBound> = ann
        .spans
        .iter()
        .filter(|s| s.label == CUE)
        .map(|s| (s.id.as_str(), s))
        .collect();
    let cues: HashSet<&str> = ann
        .relations
        .iter()
        .filter(|(_, label, from, to, _)| {
            label == CUE && claim_ids.contains(from.as_str()) && cue_spans.contains_key(to.as_str())
        })
        .map(|(_, _, _, to, _)| to.as_str())
        .collect();
    for span in &ann.spans {
        if span.label == CLAIM {
            doc.claims.push(Claim::new(
                span.id.clone(),
                span.start,
                span.end,
                span.text.clone(),
            ));
        } else if !cues.contains(span.id.as_str()) {
            doc.entities.push(Entity::new(
                span.id.clone(),
                span.label.clone(),
                span.start,
                span.end,
                span.text.clone(),
            ));
        }
    }
    for (id, label, from, to, place) in &ann.relations {
        let is_entity = |id: &str| doc.entity(id).is_some();
        if label == CLAIMANT && claim_ids.contains(from.as_str()) && is_entity(to) {
            if let Some(claim) = doc.claims.iter_mut().find(|c| &c.id == from) {
                claim.claimant = Some(Claimant::Entity(to.clone()));
            }
        } else if label == CUE && cues.contains(to.as_str()) && claim_ids.contains(from.as_str()) {
            if let (Some(claim), Some(span)) = (
                doc.claims.iter_mut().find(|c| &c.id == from),
                cue_spans.get(to.as_str()),
            ) {
                claim.cue = Some(Cue {
                    start: span.start,
                    end: span.end,
                    text: span.text.clone(),
                });
            }
        } else if doc.has_span_annotation(from) && doc.has_span_annotation(to) {
            doc.relations.push(Relation {
                id: id.clone(),
                label: label.clone(),
                from: from.clone(),
                to: to.clone(),
            });
        } else {
            tally.add(
                "relation(s) with an end that is an event or missing left out",
                place.clone(),
            );
        }
    }
    // Normalizations first: they name the canonical entity and link
    // documents; equivalences then group mentions within the document.
    for (target, reference, name, place) in &ann.references {
        let Some(entity) = doc.entities.iter_mut().find(|e| &e.id == target) else {
            tally.add(
                "normalization (N) line(s) on events, relations or missing ids left out",
                place.clone(),
            );
            continue;
        };
        let id = match by_reference.get(reference) {
            Some(id) => id.clone(),
            None => {
                let id = project.next_canonical_id();
                project.canonical_entities.push(CanonicalEntity {
                    id: id.clone(),
                    name: name.clone(),
                    label: entity.label.clone(),
                    note: Some(reference.clone()),
                });
                by_reference.insert(reference.clone(), id.clone());
                id
            }
        };
        if entity.canonical.as_ref().is_some_and(|c| *c != id) {
            tally.add(
                "extra normalization (N) line(s) on an already linked entity left out",
                place.clone(),
            );
        } else {
            entity.canonical = Some(id);
        }
    }
    for (label, members, place) in &ann.equivalences {
        let entities: Vec<&Entity> = members.iter().filter_map(|m| doc.entity(m)).collect();
        if entities.len() < members.len() {
            tally.add(
                "equivalence member(s) that are not entities left out",
                place.clone(),
            );
        }
        let Some(first) = entities.first() else {
            continue;
        };
        let id = match entities.iter().find_map(|e| e.canonical.clone()) {
            Some(id) => id,
            None => {
                let id = project.next_canonical_id();
                project.canonical_entities.push(CanonicalEntity {
                    id: id.clone(),
                    name: first.text.clone(),
                    label: first.label.clone(),
                    note: None,
                });
                id
            }
        };
        tally.add(
            "equivalence (*) line(s) read as canonical entities",
            format!("{file} {label}"),
        );
        for member in members {
            if let Some(entity) = doc.entities.iter_mut().find(|e| &e.id == member) {
                if entity.canonical.as_ref().is_some_and(|c| *c != id) {
                    tally.add(
                        "equivalence member(s) already linked elsewhere kept their link",
                        place.clone(),
                    );
                } else {
                    entity.canonical = Some(id.clone());
                }
            }
        }
    }
    for (name, target, value, place) in &ann.attributes {
        if let Some(claim) = doc.claims.iter_mut().find(|c| &c.id == target) {
            match set_claim_attribute(claim, name, value.as_deref().unwrap_or_default()) {
                Ok(true) => continue,
                Err(()) => {
                    tally.add(
                        "claim attribute(s) with an unknown value left out",
                        place.clone(),
                    );
                    continue;
                }
                Ok(false) => {}
            }
        }
        let line = match value {
            Some(v) => format!("{ATTRIBUTE_NOTE}{name}={v}"),
            None => format!("{ATTRIBUTE_NOTE}{name}"),
        };
        if let Some(note) = note_of(doc, target) {
            append_line(note, &line);
            tally.add(
                "attribute (A) line(s) on entities kept as `brat:` note lines",
                file.clone(),
            );
        } else {
            tally.add(
                "attribute (A) line(s) on events, relations or missing ids left out",
                place.clone(),
            );
        }
    }
    for (target, text, place) in &ann.notes {
        match note_of(doc, target) {
            Some(note) => append_line(note, text),
            None => tally.add(
                "note (#) line(s) on events, relations or missing ids left out",
                place.clone(),
            ),
        }
    }
    // Attribute note lines go after the notes, as export splits them.
    let notes = doc
        .entities
        .iter_mut()
        .map(|e| &mut e.note)
        .chain(doc.claims.iter_mut().map(|c| &mut c.note));
    for note in notes {
        if let Some(text) = note.take() {
            let (attributes, lines): (Vec<&str>, Vec<&str>) =
                text.lines().partition(|l| split_note(l).0.len() == 1);
            *note = Some(
                lines
                    .into_iter()
                    .chain(attributes)
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
    }
}

/// The note of the entity or claim `id`.
fn note_of<'d>(doc: &'d mut Document, id: &str) -> Option<&'d mut Option<String>> {
    if let Some(e) = doc.entities.iter_mut().find(|e| e.id == id) {
        return Some(&mut e.note);
    }
    doc.claims
        .iter_mut()
        .find(|c| c.id == id)
        .map(|c| &mut c.note)
}

fn append_line(note: &mut Option<String>, line: &str) {
    match note {
        Some(text) => {
            text.push('\n');
            text.push_str(line);
        }
        None => *note = Some(line.to_owned()),
    }
}
