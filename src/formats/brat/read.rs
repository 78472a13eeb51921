//! brat import: folders searched recursively, `.ann` lines read into
//! entities, claims, relations, canonical entities and notes; what cannot be
//! read is counted and named.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::super::{FormatError, Imported, Tally};
use super::*;
use crate::model::span::CharIndex;
use crate::model::{
    CanonicalEntity, Claim, Claimant, Cue, Document, Entity, Project, RareText, Relation,
};

/// The `.txt`/`.ann` pairs of one source, by path of the `.txt`.
/// The third list holds annotation files without a text, the fourth text
/// entries that are not regular files.
#[allow(clippy::type_complexity)]
pub(super) fn documents_of(
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
                    super::super::ensure_entity_type(
                        &mut project.schema,
                        key,
                        conf.names.get(key).map(String::as_str),
                        conf.colors.get(key).copied(),
                    );
                }
                for key in &conf.relations {
                    super::super::ensure_relation_type(
                        &mut project.schema,
                        key,
                        conf.names.get(key).map(String::as_str),
                    );
                }
                confs.insert(dir.clone(), conf);
            }
            let conf = confs.get(&dir);
            let stem = super::super::file_stem(&txt);
            let id = super::super::unique_id(&mut doc_ids, &stem);
            if id != stem {
                tally.add(
                    "duplicate document name(s) renamed",
                    format!("{} → {id}", txt.display()),
                );
            }
            let text = read_exact(&txt)?;
            let mut doc = super::super::imported_document(id, text, Some(&txt));
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
                let name = conf
                    .and_then(|c| c.names.get(e.label.as_str()))
                    .map(String::as_str);
                let color = conf.and_then(|c| c.colors.get(e.label.as_str())).copied();
                super::super::ensure_entity_type(&mut project.schema, &e.label, name, color);
            }
            for r in &doc.relations {
                let name = conf
                    .and_then(|c| c.names.get(r.label.as_str()))
                    .map(String::as_str);
                super::super::ensure_relation_type(&mut project.schema, &r.label, name);
            }
            project.documents.push(doc.into());
        }
        let name = source.file_name().map_or_else(
            || source.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        warnings.extend(tally.warnings(&format!("{name}: ")));
    }
    super::super::complete_schema(&mut project);
    Ok(Imported { project, warnings })
}

/// A UTF-8 file byte for byte (a byte-order mark stays: brat counts it).
pub(super) fn read_exact(path: &Path) -> Result<String, FormatError> {
    let bytes = crate::store::read_regular_file(path)
        .map_err(|e| FormatError(format!("{}: cannot read: {e}", path.display())))?;
    String::from_utf8(bytes)
        .map_err(|e| FormatError(format!("{}: not UTF-8 text ({e})", path.display())))
}

/// A text-bound (`T`) line.
pub(super) struct TextBound {
    pub(super) id: String,
    pub(super) label: String,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: String,
}

/// The lines of one `.ann` file that Gloss can hold.
#[derive(Default)]
pub(super) struct Ann {
    pub(super) spans: Vec<TextBound>,
    /// Id, type, first and second argument.
    pub(super) relations: Vec<(String, String, String, String, String)>,
    /// Type and members of `*` lines, with the place.
    pub(super) equivalences: Vec<(String, Vec<String>, String)>,
    /// Name, target, value, place of `A`/`M` lines.
    pub(super) attributes: Vec<(String, String, Option<String>, String)>,
    /// Target, reference, name, place of `N` lines.
    pub(super) references: Vec<(String, String, String, String)>,
    /// Target, text, place of `#` lines.
    pub(super) notes: Vec<(String, String, String)>,
}

pub(super) fn parse_ann(
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
        let err = |message: String| super::super::error_at(path, line_no, message);
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
                let (label, offsets) = body
                    .split_once(' ')
                    .filter(|(label, _)| !label.trim().is_empty())
                    .ok_or_else(|| {
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
                let text = super::super::span_text(&index, &doc.text, start, end).map_err(err)?;
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

pub(super) fn build(
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
            if let Some(claim) = doc.claims.iter_mut().find(|c| c.id == from) {
                claim.claimant = Some(Claimant::Entity(to.clone().into()));
            }
        } else if label == CUE && cues.contains(to.as_str()) && claim_ids.contains(from.as_str()) {
            if let (Some(claim), Some(span)) = (
                doc.claims.iter_mut().find(|c| c.id == from),
                cue_spans.get(to.as_str()),
            ) {
                claim.cue = Some(Cue {
                    start: span.start,
                    end: span.end,
                    text: span.text.clone().into(),
                });
            }
        } else if doc.has_span_annotation(from) && doc.has_span_annotation(to) {
            doc.relations.push(Relation::new(
                id.clone(),
                label.clone(),
                from.clone(),
                to.clone(),
            ));
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
        let Some(entity) = doc.entities.iter_mut().find(|e| e.id == target) else {
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
                    label: entity.label.to_string(),
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
            entity.canonical = Some(id.into());
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
                    name: first.text.to_string(),
                    label: first.label.to_string(),
                    note: None,
                });
                id.into()
            }
        };
        tally.add(
            "equivalence (*) line(s) read as canonical entities",
            format!("{file} {label}"),
        );
        for member in members {
            if let Some(entity) = doc.entities.iter_mut().find(|e| e.id == member) {
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
        if let Some(claim) = doc.claims.iter_mut().find(|c| c.id == target) {
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
                    .join("\n")
                    .into(),
            );
        }
    }
}

/// The note of the entity or claim `id`.
pub(super) fn note_of<'d>(doc: &'d mut Document, id: &str) -> Option<&'d mut Option<RareText>> {
    if let Some(e) = doc.entities.iter_mut().find(|e| e.id == id) {
        return Some(&mut e.note);
    }
    doc.claims
        .iter_mut()
        .find(|c| c.id == id)
        .map(|c| &mut c.note)
}

pub(super) fn append_line(note: &mut Option<RareText>, line: &str) {
    match note {
        Some(text) => {
            text.push_str("\n");
            text.push_str(line);
        }
        None => *note = Some(line.into()),
    }
}
