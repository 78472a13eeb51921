//! Merging projects, as pure functions over [`Project`] values.
//!
//! - [`merge`]: two annotators' copies of a project (adjudication input).
//!   Documents are matched by their text (content hash). Annotations both
//!   agree on (same span, type and every other field but id and annotator)
//!   are kept once; every other annotation of both sides is carried into the
//!   result, its `annotator` filled in, and grouped with what it competes
//!   with (overlapping spans of the same kind) in a
//!   [`ConflictKind::Disagreement`] record.
//! - [`merge3`]: a three-way merge of two branches with their common base,
//!   as a git merge driver does. Annotations are matched by id (Gloss keeps
//!   ids stable), fields merged one by one; what both sides changed
//!   differently becomes a [`ConflictKind::Conflict`] record.
//!
//! The rules, in full, are in `docs/format.md` ("Merging"). The result always
//! passes [`crate::model::validate::validate`] when the inputs do.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::model::conflict::next_conflict_id;
use crate::model::{
    CanonicalEntity, Claim, Claimant, CompactString, Conflict, ConflictAbout, ConflictKind,
    ConflictVersion, Document, Entity, EntityType, Evidence, Project, Relation, RelationType,
    Status,
};

/// What a merge did, for the command line to tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Documents in the result.
    pub documents: usize,
    /// Documents found on both sides (same text).
    pub matched: usize,
    /// Ids (in the result) of documents only the first side (A, ours) has
    /// or added.
    pub only_first: Vec<String>,
    /// Ids (in the result) of documents only the second side (B, theirs)
    /// has or added.
    pub only_second: Vec<String>,
    /// Ids of documents deleted by one side and left untouched by the other.
    pub deleted: Vec<String>,
    /// Annotations both sides agree on (two-way) or that merged cleanly.
    pub agreed: usize,
    /// Conflict records this merge made.
    pub new_conflicts: usize,
    /// Conflict records in the result: those made now and those the inputs
    /// carried unsettled.
    pub remaining: usize,
    /// Other things worth saying: renamed ids, dropped hotkeys.
    pub notes: Vec<String>,
}

impl Report {
    /// Whether nothing is left for a reviewer to settle.
    pub fn is_clean(&self) -> bool {
        self.remaining == 0
    }
}

/// How the two sides are called in conflict records and messages.
#[derive(Debug, Clone, Copy)]
pub struct Sides<'a> {
    /// The first side: A, or ours.
    pub first: &'a str,
    /// The second side: B, or theirs.
    pub second: &'a str,
}

/// Two-way merge of two annotators' projects, called `A` and `B`.
pub fn merge(a: &Project, b: &Project) -> (Project, Report) {
    merge_named(
        a,
        b,
        Sides {
            first: "A",
            second: "B",
        },
    )
}

/// Three-way merge of `ours` and `theirs` with their common `base`; the
/// sides are called `ours` and `theirs`.
pub fn merge3(base: &Project, ours: &Project, theirs: &Project) -> (Project, Report) {
    merge3_named(
        base,
        ours,
        theirs,
        Sides {
            first: "ours",
            second: "theirs",
        },
    )
}

// ---------------------------------------------------------------------------
// Field-by-field merging of any serialisable value.

/// Fields that say who touched a value and when: they follow the change and
/// never conflict.
const BOOKKEEPING: &[&str] = &["annotator", "modified"];

/// Fields merged as one: a span's offsets and quote must come from one side.
const SPAN: (&str, &[&str]) = ("span", &["start", "end", "text"]);

fn to_map<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn from_map<T: DeserializeOwned>(map: Map<String, Value>) -> Option<T> {
    serde_json::from_value(Value::Object(map)).ok()
}

/// The value's fields without the ones that do not make it different: its
/// id and bookkeeping.
fn content<T: Serialize>(value: &T) -> Map<String, Value> {
    let mut map = to_map(value);
    map.remove("id");
    for key in BOOKKEEPING {
        map.remove(*key);
    }
    map
}

fn content_key<T: Serialize>(value: &T) -> String {
    Value::Object(content(value)).to_string()
}

/// The outcome of merging fields: the merged value with ours' choice where
/// they conflict, the same with theirs' choice, and the conflicting fields.
struct Fields {
    ours: Map<String, Value>,
    theirs: Map<String, Value>,
    conflicts: Vec<String>,
    /// Each conflicting field's values on both sides (single fields only).
    values: Vec<(Option<Value>, Option<Value>)>,
}

/// Merges `ours` and `theirs` field by field against `base` (`None`: no
/// common base, every difference conflicts). `skip` fields are left to the
/// caller (taken from ours).
fn merge_fields(
    base: Option<&Map<String, Value>>,
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
    skip: &[&str],
) -> Fields {
    let mut out = Fields {
        ours: ours.clone(),
        theirs: ours.clone(),
        conflicts: Vec::new(),
        values: Vec::new(),
    };
    let mut keys: Vec<&String> = ours.keys().collect();
    for key in theirs.keys().chain(base.into_iter().flat_map(|b| b.keys())) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let mut done: HashSet<&str> = HashSet::new();
    for key in keys {
        if skip.contains(&key.as_str()) || done.contains(key.as_str()) {
            continue;
        }
        let (name, unit): (&str, Vec<&str>) = if SPAN.1.contains(&key.as_str()) {
            (SPAN.0, SPAN.1.to_vec())
        } else {
            (key.as_str(), vec![key.as_str()])
        };
        done.extend(unit.iter().copied());
        let get = |map: Option<&Map<String, Value>>| -> Vec<Option<Value>> {
            unit.iter()
                .map(|k| map.and_then(|m| m.get(*k)).cloned())
                .collect()
        };
        let (b, o, t) = (get(base), get(Some(ours)), get(Some(theirs)));
        let (pick_ours, pick_theirs) = if o == t || (base.is_some() && t == b) {
            (&o, &o)
        } else if base.is_some() && o == b {
            (&t, &t)
        } else {
            if !BOOKKEEPING.contains(&name) {
                out.conflicts.push(name.to_owned());
                let single = |v: &Vec<Option<Value>>| {
                    if v.len() == 1 {
                        v.first().cloned().flatten()
                    } else {
                        Some(Value::Array(
                            v.iter().map(|x| x.clone().unwrap_or(Value::Null)).collect(),
                        ))
                    }
                };
                out.values.push((single(&o), single(&t)));
            }
            (&o, &t)
        };
        for (k, (vo, vt)) in unit.iter().zip(pick_ours.iter().zip(pick_theirs)) {
            set(&mut out.ours, k, vo.clone());
            set(&mut out.theirs, k, vt.clone());
        }
    }
    out
}

fn set(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(v) if !v.is_null() => {
            map.insert(key.to_owned(), v);
        }
        _ => {
            map.remove(key);
        }
    }
}

// ---------------------------------------------------------------------------
// Annotations, generically.

/// What the merge needs of an entity, claim or relation.
trait Item: Clone + Serialize + DeserializeOwned {
    /// Prefix of fresh ids.
    const PREFIX: &'static str;
    fn id(&self) -> &str;
    fn set_id(&mut self, id: String);
    fn annotator_mut(&mut self) -> Option<&mut Option<CompactString>>;
    fn annotator(&self) -> Option<&str>;
    /// The span, for grouping disagreements by overlap; relations use ends.
    fn span(&self) -> Option<(usize, usize)>;
    /// Ids of annotations of the same document this one points to.
    fn refs(&self) -> Vec<&str>;
    /// Renames what it points to.
    fn map_refs(&mut self, map: &HashMap<String, String>);
}

fn mapped(map: &HashMap<String, String>, id: &str) -> String {
    map.get(id).cloned().unwrap_or_else(|| id.to_owned())
}

impl Item for Entity {
    const PREFIX: &'static str = "e";
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id.into();
    }
    fn annotator_mut(&mut self) -> Option<&mut Option<CompactString>> {
        Some(&mut self.annotator)
    }
    fn annotator(&self) -> Option<&str> {
        self.annotator.as_deref()
    }
    fn span(&self) -> Option<(usize, usize)> {
        Some((self.start, self.end))
    }
    fn refs(&self) -> Vec<&str> {
        Vec::new()
    }
    fn map_refs(&mut self, _map: &HashMap<String, String>) {}
}

impl Item for Claim {
    const PREFIX: &'static str = "c";
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id.into();
    }
    fn annotator_mut(&mut self) -> Option<&mut Option<CompactString>> {
        Some(&mut self.annotator)
    }
    fn annotator(&self) -> Option<&str> {
        self.annotator.as_deref()
    }
    fn span(&self) -> Option<(usize, usize)> {
        Some((self.start, self.end))
    }
    fn refs(&self) -> Vec<&str> {
        match &self.claimant {
            Some(Claimant::Entity(id)) => vec![id.as_str()],
            _ => Vec::new(),
        }
    }
    fn map_refs(&mut self, map: &HashMap<String, String>) {
        if let Some(Claimant::Entity(id)) = &mut self.claimant {
            *id = mapped(map, id).into();
        }
    }
}

impl Item for Relation {
    const PREFIX: &'static str = "r";
    fn id(&self) -> &str {
        &self.id
    }
    fn set_id(&mut self, id: String) {
        self.id = id.into();
    }
    fn annotator_mut(&mut self) -> Option<&mut Option<CompactString>> {
        Some(&mut self.annotator)
    }
    fn annotator(&self) -> Option<&str> {
        self.annotator.as_deref()
    }
    fn span(&self) -> Option<(usize, usize)> {
        None
    }
    fn refs(&self) -> Vec<&str> {
        vec![self.from.as_str(), self.to.as_str()]
    }
    fn map_refs(&mut self, map: &HashMap<String, String>) {
        self.from = mapped(map, &self.from).into();
        self.to = mapped(map, &self.to).into();
    }
}

/// Hands out ids that are not taken: fresh ones also avoid every id either
/// side uses, so that a fresh id never takes one a later item keeps.
struct Ids {
    taken: HashSet<String>,
    reserved: HashSet<String>,
    next: HashMap<String, u64>,
}

impl Ids {
    fn new(
        taken: impl IntoIterator<Item = String>,
        reserved: impl IntoIterator<Item = String>,
    ) -> Self {
        let taken: HashSet<String> = taken.into_iter().collect();
        let mut all = taken.clone();
        all.extend(reserved);
        Self {
            taken,
            reserved: all,
            next: HashMap::new(),
        }
    }

    /// `wanted` when free, else a fresh id with the same prefix.
    fn keep_or_fresh(&mut self, wanted: &str, default_prefix: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            self.reserved.insert(wanted.to_owned());
            return wanted.to_owned();
        }
        let prefix: String = wanted.chars().take_while(|c| !c.is_ascii_digit()).collect();
        let prefix = if prefix.is_empty() || prefix == wanted {
            default_prefix.to_owned()
        } else {
            prefix
        };
        self.fresh(&prefix)
    }

    fn fresh(&mut self, prefix: &str) -> String {
        let start = match self.next.get(prefix) {
            Some(n) => *n,
            None => self
                .reserved
                .iter()
                .filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
                .max()
                .unwrap_or(0)
                .saturating_add(1),
        };
        let mut n = start;
        loop {
            let id = format!("{prefix}{n}");
            n = n.saturating_add(1);
            if !self.reserved.contains(&id) && !self.taken.contains(&id) {
                self.next.insert(prefix.to_owned(), n);
                self.taken.insert(id.clone());
                self.reserved.insert(id.clone());
                return id;
            }
            if n == u64::MAX {
                // Unreachable in practice; a long id cannot clash.
                let id = format!("{prefix}{}-{}", start, self.taken.len());
                self.taken.insert(id.clone());
                return id;
            }
        }
    }
}

/// The annotations of one document, without its text.
#[derive(Debug, Clone, Default)]
struct Parts {
    entities: Vec<Entity>,
    claims: Vec<Claim>,
    relations: Vec<Relation>,
    conflicts: Vec<Conflict>,
}

impl Parts {
    fn of(doc: &Document) -> Self {
        Self {
            entities: doc.entities.clone(),
            claims: doc.claims.clone(),
            relations: doc.relations.clone(),
            conflicts: doc.conflicts.clone(),
        }
    }

    fn ids(&self) -> impl Iterator<Item = &str> {
        self.entities
            .iter()
            .map(|e| e.id.as_str())
            .chain(self.claims.iter().map(|c| c.id.as_str()))
            .chain(self.relations.iter().map(|r| r.id.as_str()))
    }

    fn has(&self, id: &str) -> bool {
        self.ids().any(|i| i == id)
    }

    /// Renames annotations (ids and everything pointing to them).
    fn rename(&mut self, map: &HashMap<String, String>) {
        if map.is_empty() {
            return;
        }
        for e in &mut self.entities {
            e.id = mapped(map, &e.id).into();
        }
        for c in &mut self.claims {
            c.id = mapped(map, &c.id).into();
            c.map_refs(map);
        }
        for r in &mut self.relations {
            r.id = mapped(map, &r.id).into();
            r.map_refs(map);
        }
        for conflict in &mut self.conflicts {
            for version in &mut conflict.versions {
                for id in &mut version.annotations {
                    *id = mapped(map, id);
                }
            }
        }
    }

    /// Points entities at renamed canonical entities and evidence at renamed
    /// documents.
    fn map_project_refs(
        &mut self,
        canonical: &HashMap<String, String>,
        docs: &HashMap<String, String>,
    ) {
        for e in &mut self.entities {
            if let Some(c) = &mut e.canonical {
                *c = mapped(canonical, c).into();
            }
        }
        for claim in &mut self.claims {
            for evidence in &mut claim.evidence {
                if let Evidence::Span { doc, .. } = evidence {
                    *doc = mapped(docs, doc);
                }
            }
        }
    }

    fn fill_annotator(&mut self, keep: &HashSet<String>, who: &str) {
        for e in self
            .entities
            .iter_mut()
            .filter(|e| !keep.contains(e.id.as_str()))
        {
            e.annotator.get_or_insert_with(|| who.into());
        }
        for c in self
            .claims
            .iter_mut()
            .filter(|c| !keep.contains(c.id.as_str()))
        {
            c.annotator.get_or_insert_with(|| who.into());
        }
    }
}

fn version(side: &str, annotator: Option<&str>, annotations: Vec<String>) -> ConflictVersion {
    ConflictVersion {
        side: side.to_owned(),
        annotator: annotator.map(str::to_owned),
        annotations,
        ..ConflictVersion::default()
    }
}

fn deleted_version(side: &str) -> ConflictVersion {
    ConflictVersion {
        side: side.to_owned(),
        deleted: true,
        ..ConflictVersion::default()
    }
}

fn conflict(
    kind: ConflictKind,
    about: ConflictAbout,
    fields: Vec<String>,
    versions: Vec<ConflictVersion>,
) -> Conflict {
    Conflict {
        id: String::new(),
        kind,
        about,
        fields,
        versions,
    }
}

/// Appends new conflicts to `list`, giving each a free id; returns how many.
/// Ids are counted up from the first free one, checked against a set: a
/// scan of the list per record made 50,000 records quadratic.
fn push_conflicts(list: &mut Vec<Conflict>, new: Vec<Conflict>) -> usize {
    let count = new.len();
    let mut taken: HashSet<String> = list.iter().map(|c| c.id.clone()).collect();
    let mut next = next_conflict_id(list)
        .strip_prefix('x')
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(1);
    list.reserve(count);
    for mut c in new {
        let mut id = format!("x{next}");
        while taken.contains(&id) {
            next = next.saturating_add(1);
            id = format!("x{next}");
        }
        next = next.saturating_add(1);
        taken.insert(id.clone());
        c.id = id;
        list.push(c);
    }
    count
}

// ---------------------------------------------------------------------------
// Documents: pairing by text, and their own fields.

/// For each document of `xs`, the index of the document of `ys` with the
/// same text: the one with the same id first, then any.
fn pair_by_text(
    xs: &[std::sync::Arc<Document>],
    ys: &[std::sync::Arc<Document>],
) -> Vec<Option<usize>> {
    let mut buckets: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, y) in ys.iter().enumerate() {
        buckets.entry(y.content_hash.as_str()).or_default().push(j);
    }
    let mut pairs = vec![None; xs.len()];
    for (i, x) in xs.iter().enumerate() {
        if let Some(bucket) = buckets.get_mut(x.content_hash.as_str())
            && let Some(pos) = bucket
                .iter()
                .position(|&j| ys.get(j).is_some_and(|y| y.id == x.id))
        {
            pairs[i] = Some(bucket.remove(pos));
        }
    }
    for (i, x) in xs.iter().enumerate() {
        if pairs[i].is_none()
            && let Some(bucket) = buckets.get_mut(x.content_hash.as_str())
            && !bucket.is_empty()
        {
            pairs[i] = Some(bucket.remove(0));
        }
    }
    pairs
}

/// Fields of a document that are not its identity, text or annotations.
/// Every field, including ones added to the model later, is merged.
fn document_fields(doc: &Document) -> Map<String, Value> {
    let mut map = to_map(doc);
    for key in [
        "id",
        "content_hash",
        "entities",
        "claims",
        "relations",
        "conflicts",
        "text",
    ] {
        map.remove(key);
    }
    map
}

/// `doc` with its own fields replaced by `fields` (those that parse).
fn with_fields(doc: &mut Document, fields: Map<String, Value>) {
    let mut map = fields;
    map.insert("id".to_owned(), Value::String(doc.id.clone()));
    map.insert(
        "content_hash".to_owned(),
        Value::String(doc.content_hash.clone()),
    );
    map.insert("text".to_owned(), Value::String(String::new()));
    if let Some(mut parsed) = from_map::<Document>(map) {
        std::mem::swap(&mut parsed.text, &mut doc.text);
        parsed.entities = std::mem::take(&mut doc.entities);
        parsed.claims = std::mem::take(&mut doc.claims);
        parsed.relations = std::mem::take(&mut doc.relations);
        parsed.conflicts = std::mem::take(&mut doc.conflicts);
        *doc = parsed;
    }
}

/// Conflict records for a document's (or project's) own fields.
fn field_conflicts(
    kind: ConflictKind,
    about: &ConflictAbout,
    fields: &Fields,
    sides: Sides<'_>,
) -> Vec<Conflict> {
    fields
        .conflicts
        .iter()
        .zip(&fields.values)
        .map(|(name, (ours, theirs))| {
            conflict(
                kind,
                about.clone(),
                vec![name.clone()],
                vec![
                    ConflictVersion {
                        side: sides.first.to_owned(),
                        value: ours.clone(),
                        ..ConflictVersion::default()
                    },
                    ConflictVersion {
                        side: sides.second.to_owned(),
                        value: theirs.clone(),
                        ..ConflictVersion::default()
                    },
                ],
            )
        })
        .collect()
}

fn status_rank(status: Status) -> usize {
    Status::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Project-level keyed lists: entity types, relation types, canonical entities.

/// What a project-level item needs.
trait Keyed: Clone + Serialize + DeserializeOwned + PartialEq {
    fn key(&self) -> &str;
    fn set_key(&mut self, key: String);
    fn about(key: String) -> ConflictAbout;
    /// Whether two items with the same key are the same thing (a canonical
    /// entity with another name is not); types are their key.
    fn same_thing(&self, other: &Self) -> bool;
    /// Prefix of fresh keys when two different things share a key; `None`:
    /// never renamed.
    const RENAME_PREFIX: Option<&'static str>;
}

impl Keyed for EntityType {
    fn key(&self) -> &str {
        &self.key
    }
    fn set_key(&mut self, key: String) {
        self.key = key;
    }
    fn about(key: String) -> ConflictAbout {
        ConflictAbout::EntityType(key)
    }
    fn same_thing(&self, _other: &Self) -> bool {
        true
    }
    const RENAME_PREFIX: Option<&'static str> = None;
}

impl Keyed for RelationType {
    fn key(&self) -> &str {
        &self.key
    }
    fn set_key(&mut self, key: String) {
        self.key = key;
    }
    fn about(key: String) -> ConflictAbout {
        ConflictAbout::RelationType(key)
    }
    fn same_thing(&self, _other: &Self) -> bool {
        true
    }
    const RENAME_PREFIX: Option<&'static str> = None;
}

impl Keyed for CanonicalEntity {
    fn key(&self) -> &str {
        &self.id
    }
    fn set_key(&mut self, key: String) {
        self.id = key;
    }
    fn about(key: String) -> ConflictAbout {
        ConflictAbout::CanonicalEntity(key)
    }
    fn same_thing(&self, other: &Self) -> bool {
        self.name == other.name && self.label == other.label
    }
    const RENAME_PREFIX: Option<&'static str> = Some("k");
}

/// A merged keyed list, theirs' renames, and what one side deleted (kept
/// aside in case the result still uses it).
struct KeyedMerge<T> {
    items: Vec<T>,
    renamed: HashMap<String, String>,
    /// Items dropped because one side deleted them: (item, theirs deleted it).
    dropped: Vec<(T, bool)>,
    conflicts: Vec<Conflict>,
}

fn merge_keyed<T: Keyed>(
    base: Option<&[T]>,
    ours: &[T],
    theirs: &[T],
    kind: ConflictKind,
    sides: Sides<'_>,
) -> KeyedMerge<T> {
    let find = |list: &[T], key: &str| list.iter().find(|x| x.key() == key).cloned();
    let in_base = |key: &str| base.and_then(|b| find(b, key));
    let mut out = KeyedMerge {
        items: Vec::new(),
        renamed: HashMap::new(),
        dropped: Vec::new(),
        conflicts: Vec::new(),
    };
    let mut keys = Ids::new(
        ours.iter().map(|x| x.key().to_owned()),
        theirs
            .iter()
            .chain(base.unwrap_or_default())
            .map(|x| x.key().to_owned()),
    );
    let merged_fields = |b: Option<&T>, o: &T, t: &T, out: &mut KeyedMerge<T>| -> T {
        let fields = merge_fields(b.map(to_map).as_ref(), &to_map(o), &to_map(t), &[]);
        out.conflicts.extend(field_conflicts(
            kind,
            &T::about(o.key().to_owned()),
            &fields,
            sides,
        ));
        from_map(fields.ours).unwrap_or_else(|| o.clone())
    };
    for o in ours {
        let b = in_base(o.key());
        match (b, find(theirs, o.key())) {
            (b, Some(t)) if b.is_some() || o.same_thing(&t) || T::RENAME_PREFIX.is_none() => {
                let merged = merged_fields(b.as_ref(), o, &t, &mut out);
                out.items.push(merged);
            }
            (Some(b), None) => {
                if *o == b {
                    out.dropped.push((o.clone(), true));
                } else {
                    out.items.push(o.clone());
                    out.conflicts.push(conflict(
                        kind,
                        T::about(o.key().to_owned()),
                        Vec::new(),
                        vec![
                            version(sides.first, None, Vec::new()),
                            deleted_version(sides.second),
                        ],
                    ));
                }
            }
            _ => out.items.push(o.clone()),
        }
    }
    for t in theirs {
        let in_ours = find(ours, t.key());
        let b = in_base(t.key());
        match (in_ours, b) {
            // Merged above, unless two different things share the key.
            (Some(o), None) if !o.same_thing(t) && T::RENAME_PREFIX.is_some() => {
                let prefix = T::RENAME_PREFIX.unwrap_or("k");
                let fresh = keys.fresh(prefix);
                out.renamed.insert(t.key().to_owned(), fresh.clone());
                let mut t = t.clone();
                t.set_key(fresh);
                out.items.push(t);
            }
            (Some(_), _) => {}
            (None, Some(b)) => {
                if *t == b {
                    out.dropped.push((t.clone(), false));
                } else {
                    out.items.push(t.clone());
                    out.conflicts.push(conflict(
                        kind,
                        T::about(t.key().to_owned()),
                        Vec::new(),
                        vec![
                            deleted_version(sides.first),
                            version(sides.second, None, Vec::new()),
                        ],
                    ));
                }
            }
            (None, None) => {
                // Added by theirs: the same thing ours added under another
                // key is one thing.
                let twin = ours
                    .iter()
                    .filter(|o| in_base(o.key()).is_none())
                    .find(|o| {
                        T::RENAME_PREFIX.is_some()
                            && o.same_thing(t)
                            && content_key(*o) == content_key(t)
                    });
                match twin {
                    Some(o) => {
                        out.renamed.insert(t.key().to_owned(), o.key().to_owned());
                    }
                    None => {
                        keys.taken.insert(t.key().to_owned());
                        out.items.push(t.clone());
                    }
                }
            }
        }
    }
    out
}

/// Puts back an item one side deleted that the result still uses, with a
/// conflict saying so.
fn restore_used<T: Keyed>(
    merged: &mut KeyedMerge<T>,
    used: &HashSet<String>,
    kind: ConflictKind,
    sides: Sides<'_>,
) {
    let dropped = std::mem::take(&mut merged.dropped);
    for (item, theirs_deleted) in dropped {
        if used.contains(item.key()) && !merged.items.iter().any(|x| x.key() == item.key()) {
            let versions = if theirs_deleted {
                vec![
                    version(sides.first, None, Vec::new()),
                    deleted_version(sides.second),
                ]
            } else {
                vec![
                    deleted_version(sides.first),
                    version(sides.second, None, Vec::new()),
                ]
            };
            merged.conflicts.push(conflict(
                kind,
                T::about(item.key().to_owned()),
                Vec::new(),
                versions,
            ));
            merged.items.push(item);
        }
    }
}

/// Merges the project's own fields, schema and canonical entities; returns
/// the project without documents and theirs' canonical renames.
struct ProjectMerge {
    project: Project,
    canonical_renames: HashMap<String, String>,
    entity_types: KeyedMerge<EntityType>,
    relation_types: KeyedMerge<RelationType>,
    canonicals: KeyedMerge<CanonicalEntity>,
}

fn merge_project_fields(
    base: Option<&Project>,
    ours: &Project,
    theirs: &Project,
    kind: ConflictKind,
    sides: Sides<'_>,
) -> ProjectMerge {
    let mut project = Project::new(ours.name.clone());
    project.created = ours.created.clone().or_else(|| theirs.created.clone());
    if base.is_none() {
        // Two annotators' copies: the earlier creation.
        if let (Some(a), Some(b)) = (&ours.created, &theirs.created) {
            project.created = Some(a.min(b).clone());
        }
    }
    project.modified = ours.modified.clone().max(theirs.modified.clone());
    project.annotators = ours.annotators.clone();
    for a in &theirs.annotators {
        if !project.annotators.contains(a) {
            project.annotators.push(a.clone());
        }
    }
    if let Some(base) = base {
        let name = |p: &Project| {
            let mut map = Map::new();
            map.insert("name".to_owned(), Value::String(p.name.clone()));
            map
        };
        let fields = merge_fields(Some(&name(base)), &name(ours), &name(theirs), &[]);
        if let Some(Value::String(n)) = fields.ours.get("name") {
            project.name = n.clone();
        }
        project.conflicts.extend(field_conflicts(
            kind,
            &ConflictAbout::Project,
            &fields,
            sides,
        ));
    }
    let entity_types = merge_keyed(
        base.map(|b| b.schema.entity_types.as_slice()),
        &ours.schema.entity_types,
        &theirs.schema.entity_types,
        kind,
        sides,
    );
    let relation_types = merge_keyed(
        base.map(|b| b.schema.relation_types.as_slice()),
        &ours.schema.relation_types,
        &theirs.schema.relation_types,
        kind,
        sides,
    );
    let canonicals = merge_keyed(
        base.map(|b| b.canonical_entities.as_slice()),
        &ours.canonical_entities,
        &theirs.canonical_entities,
        kind,
        sides,
    );
    ProjectMerge {
        project,
        canonical_renames: canonicals.renamed.clone(),
        entity_types,
        relation_types,
        canonicals,
    }
}

/// Completes the project part once the documents are merged: restores
/// types and canonical entities still in use, fixes hotkey clashes, and
/// records the project's conflicts.
fn finish_project(
    mut merge: ProjectMerge,
    documents: Vec<Document>,
    kind: ConflictKind,
    sides: Sides<'_>,
    report: &mut Report,
) -> Project {
    let mut labels: HashSet<String> = HashSet::new();
    let mut relation_labels: HashSet<String> = HashSet::new();
    let mut canonical_ids: HashSet<String> = HashSet::new();
    for doc in &documents {
        for e in &doc.entities {
            labels.insert(e.label.to_string());
            if let Some(c) = &e.canonical {
                canonical_ids.insert(c.to_string());
            }
        }
        for r in &doc.relations {
            relation_labels.insert(r.label.to_string());
        }
    }
    restore_used(&mut merge.canonicals, &canonical_ids, kind, sides);
    for c in &merge.canonicals.items {
        labels.insert(c.label.clone());
    }
    restore_used(&mut merge.entity_types, &labels, kind, sides);
    restore_used(&mut merge.relation_types, &relation_labels, kind, sides);
    let mut project = merge.project;
    let mut hotkeys = HashSet::new();
    for t in &mut merge.entity_types.items {
        if let Some(key) = t.hotkey
            && !hotkeys.insert(key)
        {
            report.notes.push(format!(
                "entity type {:?}: hotkey {key:?} is bound to another type; it has no hotkey now",
                t.key
            ));
            t.hotkey = None;
        }
    }
    project.schema.entity_types = merge.entity_types.items;
    project.schema.relation_types = merge.relation_types.items;
    project.canonical_entities = merge.canonicals.items;
    for (from, to) in &merge.canonical_renames {
        if from != to {
            report.notes.push(format!(
                "canonical entity {from:?} of {} is now {to:?}",
                sides.second
            ));
        }
    }
    let mut new = Vec::new();
    new.extend(merge.entity_types.conflicts);
    new.extend(merge.relation_types.conflicts);
    new.extend(merge.canonicals.conflicts);
    let mut carried = std::mem::take(&mut project.conflicts);
    report.new_conflicts += carried.len();
    report.new_conflicts += push_conflicts(&mut carried, new);
    project.conflicts = carried;
    project.documents = documents.into_iter().map(std::sync::Arc::new).collect();
    project
}

/// Carries the project-level conflicts the inputs had unsettled.
fn carry_project_conflicts(
    base: Option<&Project>,
    ours: &Project,
    theirs: &Project,
    renames: &HashMap<String, String>,
) -> Vec<Conflict> {
    let theirs_conflicts: Vec<Conflict> = theirs
        .conflicts
        .iter()
        .cloned()
        .map(|mut c| {
            if let ConflictAbout::CanonicalEntity(id) = &mut c.about {
                *id = mapped(renames, id);
            }
            c
        })
        .collect();
    carry_conflicts(
        base.map(|b| b.conflicts.as_slice()),
        &ours.conflicts,
        &theirs_conflicts,
    )
}

/// Unsettled conflicts of both sides: ours', theirs' new ones (renamed when
/// their id is taken); one that the base had and a side removed is settled.
fn carry_conflicts(
    base: Option<&[Conflict]>,
    ours: &[Conflict],
    theirs: &[Conflict],
) -> Vec<Conflict> {
    let in_base = |c: &Conflict| base.is_some_and(|b| b.contains(c));
    let mut out: Vec<Conflict> = ours
        .iter()
        .filter(|c| !in_base(c) || theirs.contains(c))
        .cloned()
        .collect();
    for c in theirs {
        if ours.contains(c) || in_base(c) {
            continue;
        }
        let mut c = c.clone();
        if out.iter().any(|o| o.id == c.id) {
            c.id = next_conflict_id(&out);
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------
// Two-way merge.

/// Who made one side's annotations when they do not say: the project's
/// only annotator, or the side's name (also when both sides would get the
/// same name).
fn default_annotator<'a>(project: &'a Project, side: &'a str) -> &'a str {
    match project.annotators.as_slice() {
        [only] => only,
        _ => side,
    }
}

/// Two-way merge with named sides (file names, say).
pub fn merge_named(a: &Project, b: &Project, sides: Sides<'_>) -> (Project, Report) {
    let kind = ConflictKind::Disagreement;
    let mut report = Report::default();
    let mut head = merge_project_fields(None, a, b, kind, sides);
    // The project's own carried conflicts first.
    head.project.conflicts = carry_project_conflicts(None, a, b, &head.canonical_renames);
    let carried_project = head.project.conflicts.len();
    let pairs = pair_by_text(&b.documents, &a.documents);
    // Document ids of B in the result.
    let mut doc_ids: HashMap<String, String> = HashMap::new();
    let mut taken: HashSet<String> = a.documents.iter().map(|d| d.id.clone()).collect();
    let mut added = Vec::new();
    for (j, doc) in b.documents.iter().enumerate() {
        match pairs
            .get(j)
            .copied()
            .flatten()
            .and_then(|i| a.documents.get(i))
        {
            Some(twin) => {
                doc_ids.insert(doc.id.clone(), twin.id.clone());
            }
            None => {
                let mut id = doc.id.clone();
                if taken.contains(&id) {
                    let mut n = 2;
                    while taken.contains(&format!("{}-{n}", doc.id)) {
                        n += 1;
                    }
                    id = format!("{}-{n}", doc.id);
                    report.notes.push(format!(
                        "document {:?} of {} is now {id:?}",
                        doc.id, sides.second
                    ));
                }
                taken.insert(id.clone());
                doc_ids.insert(doc.id.clone(), id.clone());
                added.push(j);
            }
        }
    }
    let a_for_b: HashMap<usize, usize> = pairs
        .iter()
        .enumerate()
        .filter_map(|(j, i)| i.map(|i| (i, j)))
        .collect();
    let (mut who_a, mut who_b) = (
        default_annotator(a, sides.first),
        default_annotator(b, sides.second),
    );
    if who_a == who_b {
        // Copies of one project name the same annotator: the sides' names
        // tell the versions apart.
        (who_a, who_b) = (sides.first, sides.second);
    }
    let mut documents = Vec::with_capacity(a.documents.len() + added.len());
    for (i, doc) in a.documents.iter().map(|d| &**d).enumerate() {
        match a_for_b
            .get(&i)
            .and_then(|j| b.documents.get(*j))
            .map(|d| &**d)
        {
            Some(other) => {
                report.matched += 1;
                let mut other_parts = Parts::of(other);
                other_parts.map_project_refs(&head.canonical_renames, &doc_ids);
                documents.push(merge_two_documents(
                    doc,
                    other,
                    other_parts,
                    (who_a, who_b),
                    sides,
                    &mut report,
                ));
            }
            None => {
                report.only_first.push(doc.id.clone());
                documents.push(doc.clone());
            }
        }
    }
    for j in added {
        let Some(doc) = b.documents.get(j) else {
            continue;
        };
        let mut doc = Document::clone(doc);
        let mut parts = Parts::of(&doc);
        parts.map_project_refs(&head.canonical_renames, &doc_ids);
        doc.entities = parts.entities;
        doc.claims = parts.claims;
        doc.relations = parts.relations;
        doc.id = mapped(&doc_ids, &doc.id);
        report.only_second.push(doc.id.clone());
        documents.push(doc);
    }
    let mut project = finish_project(head, documents, kind, sides, &mut report);
    report.new_conflicts -= carried_project;
    finish_report(&mut project, &mut report);
    (project, report)
}

fn finish_report(project: &mut Project, report: &mut Report) {
    report.documents = project.documents.len();
    report.remaining = project.conflict_count();
}

/// One document both annotators have: agreed annotations once, the rest of
/// both sides grouped into disagreements.
fn merge_two_documents(
    a: &Document,
    b: &Document,
    b_parts: Parts,
    (who_a, who_b): (&str, &str),
    sides: Sides<'_>,
    report: &mut Report,
) -> Document {
    let a_parts = Parts::of(a);
    let mut ids = Ids::new(
        a_parts.ids().map(str::to_owned),
        b_parts.ids().map(str::to_owned),
    );
    let mut map: HashMap<String, String> = HashMap::new();
    let mut agreed_a: HashSet<String> = HashSet::new();
    let mut extra_b = Parts::default();
    match_items(
        &a_parts.entities,
        &b_parts.entities,
        &mut map,
        &mut ids,
        &mut agreed_a,
        &mut extra_b.entities,
        Sameness {
            key: &content_key,
            agree: &|_, _| true,
        },
    );
    // A claimant agrees as `gloss agree` says (an entity mention and free
    // text of the same words are the same claimant), not by its ids.
    let claim_key = |claim: &Claim| {
        let mut map = content(claim);
        map.remove("claimant");
        Value::Object(map).to_string()
    };
    let claimants_agree = |x: &Claim, y: &Claim| crate::model::same_claimant(x, a, y, b);
    match_items(
        &a_parts.claims,
        &b_parts.claims,
        &mut map,
        &mut ids,
        &mut agreed_a,
        &mut extra_b.claims,
        Sameness {
            key: &claim_key,
            agree: &claimants_agree,
        },
    );
    match_items(
        &a_parts.relations,
        &b_parts.relations,
        &mut map,
        &mut ids,
        &mut agreed_a,
        &mut extra_b.relations,
        Sameness {
            key: &content_key,
            agree: &|_, _| true,
        },
    );
    report.agreed += agreed_a.len();
    let renamed = map
        .iter()
        .filter(|(from, to)| from != to && !agreed_a.contains(*to))
        .count();
    if renamed > 0 {
        report.notes.push(format!(
            "document {:?}: new ids for {} of {} (their ids were taken)",
            a.id,
            crate::model::plural(renamed, "annotation"),
            sides.second
        ));
    }
    // Disagreements: what is left of each side, grouped by overlap.
    let mut new = Vec::new();
    group_disagreements(
        &a_parts.entities,
        &extra_b.entities,
        &agreed_a,
        (who_a, who_b),
        sides,
        &mut new,
    );
    group_disagreements(
        &a_parts.claims,
        &extra_b.claims,
        &agreed_a,
        (who_a, who_b),
        sides,
        &mut new,
    );
    group_disagreements(
        &a_parts.relations,
        &extra_b.relations,
        &agreed_a,
        (who_a, who_b),
        sides,
        &mut new,
    );
    let mut merged_parts = a_parts.clone();
    merged_parts.fill_annotator(&agreed_a, who_a);
    extra_b.fill_annotator(&HashSet::new(), who_b);
    merged_parts.entities.extend(extra_b.entities);
    merged_parts.claims.extend(extra_b.claims);
    merged_parts.relations.extend(extra_b.relations);
    let mut b_conflicts = b_parts.conflicts.clone();
    for c in &mut b_conflicts {
        for v in &mut c.versions {
            for id in &mut v.annotations {
                *id = mapped(&map, id);
            }
        }
    }
    merged_parts.conflicts = carry_conflicts(None, &a_parts.conflicts, &b_conflicts);
    // The document's own fields: A's, with every difference recorded.
    let fields = merge_fields(None, &document_fields(a), &document_fields(b), &["status"]);
    new.extend(field_conflicts(
        ConflictKind::Disagreement,
        &ConflictAbout::Document,
        &fields,
        sides,
    ));
    let mut doc = a.clone();
    // The less advanced status: the merged document needs work until
    // the disagreements are settled.
    if status_rank(b.status) < status_rank(a.status) {
        doc.status = b.status;
    }
    doc.entities = merged_parts.entities;
    doc.claims = merged_parts.claims;
    doc.relations = merged_parts.relations;
    doc.conflicts = merged_parts.conflicts;
    report.new_conflicts += push_conflicts(&mut doc.conflicts, new);
    doc
}

/// Matches B's items to A's equal ones (same content once B's references
/// are renamed); unmatched B items get ids free in the result.
/// How two sides' items are found to be the same: a key (equal keys are
/// candidates) and, among candidates, a rule the key cannot say (whose
/// claimant agrees with whose).
struct Sameness<'f, T> {
    key: &'f dyn Fn(&T) -> String,
    /// Whether A's item and B's item (as B has it, before renaming) agree.
    agree: &'f dyn Fn(&T, &T) -> bool,
}

fn match_items<T: Item>(
    a: &[T],
    b: &[T],
    map: &mut HashMap<String, String>,
    ids: &mut Ids,
    agreed_a: &mut HashSet<String>,
    extra_b: &mut Vec<T>,
    same: Sameness<'_, T>,
) {
    let mut by_content: HashMap<String, Vec<&T>> = HashMap::new();
    for item in a.iter().rev() {
        by_content.entry((same.key)(item)).or_default().push(item);
    }
    // References point only to kinds matched before (claimants to
    // entities, relation ends to both), so they are renamed exactly once.
    for original in b {
        let mut item = original.clone();
        item.map_refs(map);
        let twin = by_content
            .get_mut(&(same.key)(&item))
            .and_then(|candidates| {
                // The last is the earliest of A's (pushed in reverse).
                let at = candidates
                    .iter()
                    .rposition(|candidate| (same.agree)(candidate, original))?;
                Some(candidates.remove(at).id())
            });
        match twin {
            Some(twin) => {
                agreed_a.insert(twin.to_owned());
                map.insert(item.id().to_owned(), twin.to_owned());
            }
            None => {
                let id = ids.keep_or_fresh(item.id(), T::PREFIX);
                map.insert(item.id().to_owned(), id.clone());
                item.set_id(id);
                extra_b.push(item);
            }
        }
    }
}

/// Groups A's unmatched items and B's extra items into disagreements:
/// overlapping spans (or relations with the same ends) compete.
fn group_disagreements<T: Item>(
    a: &[T],
    b: &[T],
    agreed_a: &HashSet<String>,
    (who_a, who_b): (&str, &str),
    sides: Sides<'_>,
    out: &mut Vec<Conflict>,
) {
    let a: Vec<&T> = a.iter().filter(|x| !agreed_a.contains(x.id())).collect();
    let n = a.len() + b.len();
    if n == 0 {
        return;
    }
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = parent.get(i) {
            if p == i {
                break;
            }
            let grand = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(i) {
                *slot = grand;
            }
            i = p;
        }
        i
    }
    // Which of A's items compete with which of B's: overlapping spans, found
    // by a sweep in start order (time grows with the overlapping pairs, not
    // with every pair: 50,000 labels each once took 22 s); relations with
    // the same ends, found by their ends.
    let item = |i: usize| -> Option<&T> {
        if i < a.len() {
            a.get(i).copied()
        } else {
            b.get(i - a.len())
        }
    };
    let union = |parent: &mut Vec<usize>, i: usize, j: usize| {
        let (ri, rj) = (root(parent, i), root(parent, j));
        if let Some(slot) = parent.get_mut(ri) {
            *slot = rj;
        }
    };
    let mut spanned: Vec<(usize, usize, usize)> = Vec::new();
    let mut by_ends: HashMap<Vec<&str>, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for i in 0..n {
        let Some(x) = item(i) else { continue };
        match x.span() {
            Some((start, end)) => spanned.push((start, end, i)),
            None => {
                let entry = by_ends.entry(x.refs()).or_default();
                if i < a.len() {
                    entry.0.push(i);
                } else {
                    entry.1.push(i);
                }
            }
        }
    }
    spanned.sort_unstable();
    // Items still open at the sweep's position, per side.
    let mut open: [Vec<(usize, usize)>; 2] = [Vec::new(), Vec::new()];
    for &(start, end, i) in &spanned {
        let side = usize::from(i >= a.len());
        for list in &mut open {
            list.retain(|&(open_end, _)| open_end > start);
        }
        if start < end {
            let others: Vec<usize> = open[1 - side].iter().map(|&(_, j)| j).collect();
            for j in others {
                union(&mut parent, i, j);
            }
        }
        open[side].push((end, i));
    }
    for (mine, theirs) in by_ends.values() {
        for &i in mine {
            for &j in theirs {
                union(&mut parent, i, j);
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        let r = root(&mut parent, i);
        match group_of.get(&r) {
            Some(&g) => {
                if let Some((_, members)) = groups.get_mut(g) {
                    members.push(i);
                }
            }
            None => {
                group_of.insert(r, groups.len());
                groups.push((r, vec![i]));
            }
        }
    }
    for (_, members) in groups {
        let (mine, theirs): (Vec<usize>, Vec<usize>) =
            members.into_iter().partition(|i| *i < a.len());
        let mine: Vec<&T> = mine.iter().filter_map(|i| a.get(*i).copied()).collect();
        let theirs: Vec<&T> = theirs.iter().filter_map(|i| b.get(i - a.len())).collect();
        let fields = match (mine.as_slice(), theirs.as_slice()) {
            ([x], [y]) => merge_fields(None, &content(*x), &content(*y), &[]).conflicts,
            _ => Vec::new(),
        };
        let annotator = |items: &[&T], fallback: &str| -> String {
            let first = items
                .first()
                .and_then(|x| x.annotator())
                .unwrap_or(fallback);
            if items
                .iter()
                .all(|x| x.annotator().unwrap_or(fallback) == first)
            {
                first.to_owned()
            } else {
                fallback.to_owned()
            }
        };
        out.push(conflict(
            ConflictKind::Disagreement,
            ConflictAbout::Annotations,
            fields,
            vec![
                version(
                    sides.first,
                    Some(&annotator(&mine, who_a)),
                    mine.iter().map(|x| x.id().to_owned()).collect(),
                ),
                version(
                    sides.second,
                    Some(&annotator(&theirs, who_b)),
                    theirs.iter().map(|x| x.id().to_owned()).collect(),
                ),
            ],
        ));
    }
}

// ---------------------------------------------------------------------------
// Three-way merge.

/// Three-way merge with named sides.
pub fn merge3_named(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    sides: Sides<'_>,
) -> (Project, Report) {
    let kind = ConflictKind::Conflict;
    let mut report = Report::default();
    let mut head = merge_project_fields(Some(base), ours, theirs, kind, sides);
    let carried = carry_project_conflicts(Some(base), ours, theirs, &head.canonical_renames);
    let carried_count = carried.len();
    let new_project_conflicts = std::mem::replace(&mut head.project.conflicts, carried);
    head.project.conflicts.extend(new_project_conflicts);

    let ours_theirs = pair_by_text(&ours.documents, &theirs.documents);
    let ours_base = pair_by_text(&ours.documents, &base.documents);
    let theirs_base = pair_by_text(&theirs.documents, &base.documents);
    let theirs_paired: HashSet<usize> = ours_theirs.iter().flatten().copied().collect();

    // Ids in the result of theirs' and the base's documents.
    let mut theirs_ids: HashMap<String, String> = HashMap::new();
    let mut base_ids: HashMap<String, String> = HashMap::new();
    let mut taken: HashSet<String> = ours.documents.iter().map(|d| d.id.clone()).collect();
    for (i, doc) in ours.documents.iter().map(|d| &**d).enumerate() {
        if let Some(t) = ours_theirs
            .get(i)
            .copied()
            .flatten()
            .and_then(|k| theirs.documents.get(k))
            .map(|d| &**d)
        {
            theirs_ids.insert(t.id.clone(), doc.id.clone());
        }
        if let Some(b) = ours_base
            .get(i)
            .copied()
            .flatten()
            .and_then(|j| base.documents.get(j))
        {
            base_ids.insert(b.id.clone(), doc.id.clone());
        }
    }
    for (k, doc) in theirs.documents.iter().map(|d| &**d).enumerate() {
        if theirs_paired.contains(&k) {
            continue;
        }
        let mut id = doc.id.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{}-{n}", doc.id);
            n += 1;
        }
        if id != doc.id {
            report.notes.push(format!(
                "document {:?} of {} is now {id:?}",
                doc.id, sides.second
            ));
        }
        taken.insert(id.clone());
        theirs_ids.insert(doc.id.clone(), id.clone());
        if let Some(b) = theirs_base
            .get(k)
            .copied()
            .flatten()
            .and_then(|j| base.documents.get(j))
        {
            base_ids.entry(b.id.clone()).or_insert(id);
        }
    }
    let renames = &head.canonical_renames;
    let no_renames = HashMap::new();
    let parts =
        |doc: &Document, canonical: &HashMap<String, String>, docs: &HashMap<String, String>| {
            let mut p = Parts::of(doc);
            p.map_project_refs(canonical, docs);
            p
        };

    let mut documents = Vec::new();
    // Documents deleted by one side and untouched by the other, kept aside
    // in case evidence still cites them: (document, theirs deleted it).
    let mut dropped: Vec<(Document, bool)> = Vec::new();
    for (i, doc) in ours.documents.iter().map(|d| &**d).enumerate() {
        let b = ours_base
            .get(i)
            .copied()
            .flatten()
            .and_then(|j| base.documents.get(j))
            .map(|d| &**d);
        match ours_theirs
            .get(i)
            .copied()
            .flatten()
            .and_then(|k| theirs.documents.get(k))
            .map(|d| &**d)
        {
            Some(t) => {
                report.matched += 1;
                let base_parts = b.map(|b| parts(b, &no_renames, &base_ids));
                let theirs_parts = parts(t, renames, &theirs_ids);
                let merged =
                    merge_three_documents(b, base_parts, doc, t, theirs_parts, sides, &mut report);
                documents.push(merged);
            }
            None => match b {
                Some(b) if same_document(b, doc) => dropped.push((doc.clone(), true)),
                Some(_) => {
                    let mut doc = doc.clone();
                    let c = conflict(
                        kind,
                        ConflictAbout::Document,
                        Vec::new(),
                        vec![
                            version(sides.first, None, Vec::new()),
                            deleted_version(sides.second),
                        ],
                    );
                    report.new_conflicts += push_conflicts(&mut doc.conflicts, vec![c]);
                    documents.push(doc);
                }
                None => {
                    report.only_first.push(doc.id.clone());
                    documents.push(doc.clone());
                }
            },
        }
    }
    for (k, doc) in theirs.documents.iter().map(|d| &**d).enumerate() {
        if theirs_paired.contains(&k) {
            continue;
        }
        let b = theirs_base
            .get(k)
            .copied()
            .flatten()
            .and_then(|j| base.documents.get(j))
            .map(|d| &**d);
        let mut merged = doc.clone();
        let p = parts(doc, renames, &theirs_ids);
        merged.entities = p.entities;
        merged.claims = p.claims;
        merged.relations = p.relations;
        merged.id = mapped(&theirs_ids, &doc.id);
        match b {
            Some(b) if same_document(b, doc) => dropped.push((merged, false)),
            Some(_) => {
                let c = conflict(
                    kind,
                    ConflictAbout::Document,
                    Vec::new(),
                    vec![
                        deleted_version(sides.first),
                        version(sides.second, None, Vec::new()),
                    ],
                );
                report.new_conflicts += push_conflicts(&mut merged.conflicts, vec![c]);
                documents.push(merged);
            }
            None => {
                report.only_second.push(merged.id.clone());
                documents.push(merged);
            }
        }
    }
    // Put back deleted documents that evidence still cites.
    loop {
        let present: HashSet<&str> = documents.iter().map(|d| d.id.as_str()).collect();
        let cited: HashSet<String> = documents
            .iter()
            .flat_map(|d| d.claims.iter().flat_map(|c| &c.evidence))
            .filter_map(|e| match e {
                Evidence::Span { doc, .. } if !present.contains(doc.as_str()) => Some(doc.clone()),
                _ => None,
            })
            .collect();
        let Some(pos) = dropped.iter().position(|(d, _)| cited.contains(&d.id)) else {
            break;
        };
        let (mut doc, theirs_deleted) = dropped.remove(pos);
        let versions = if theirs_deleted {
            vec![
                version(sides.first, None, Vec::new()),
                deleted_version(sides.second),
            ]
        } else {
            vec![
                deleted_version(sides.first),
                version(sides.second, None, Vec::new()),
            ]
        };
        let c = conflict(kind, ConflictAbout::Document, Vec::new(), versions);
        report.new_conflicts += push_conflicts(&mut doc.conflicts, vec![c]);
        documents.push(doc);
    }
    report.deleted = dropped.into_iter().map(|(d, _)| d.id).collect();
    let mut project = finish_project(head, documents, kind, sides, &mut report);
    report.new_conflicts -= carried_count;
    finish_report(&mut project, &mut report);
    (project, report)
}

/// Whether a side left a document as the base had it (annotations and
/// fields; bookkeeping aside).
fn same_document(base: &Document, side: &Document) -> bool {
    let contents = |d: &Document| -> Vec<Value> {
        d.entities
            .iter()
            .map(|e| Value::Object(content(e)))
            .chain(d.claims.iter().map(|c| Value::Object(content(c))))
            .chain(d.relations.iter().map(|r| Value::Object(content(r))))
            .collect()
    };
    document_fields(base) == document_fields(side)
        && contents(base) == contents(side)
        && base.conflicts == side.conflicts
}

/// One document both branches have.
fn merge_three_documents(
    base: Option<&Document>,
    base_parts: Option<Parts>,
    ours: &Document,
    theirs: &Document,
    mut theirs_parts: Parts,
    sides: Sides<'_>,
    report: &mut Report,
) -> Document {
    let kind = ConflictKind::Conflict;
    let base_parts = base_parts.unwrap_or_default();
    let ours_parts = Parts::of(ours);
    let base_ids: HashSet<&str> = base_parts.ids().collect();
    let mut ids = Ids::new(
        ours_parts.ids().chain(base_parts.ids()).map(str::to_owned),
        theirs_parts.ids().map(str::to_owned),
    );
    // Theirs' additions: the same thing ours added is one annotation; an id
    // ours used for something else is renamed.
    let mut map: HashMap<String, String> = HashMap::new();
    rename_added(
        &base_ids,
        &ours_parts.entities,
        &theirs_parts.entities,
        &mut map,
        &mut ids,
    );
    rename_added(
        &base_ids,
        &ours_parts.claims,
        &theirs_parts.claims,
        &mut map,
        &mut ids,
    );
    rename_added(
        &base_ids,
        &ours_parts.relations,
        &theirs_parts.relations,
        &mut map,
        &mut ids,
    );
    let renamed = map
        .iter()
        .filter(|(from, to)| from != to && !ours_parts.has(to))
        .count();
    if renamed > 0 {
        report.notes.push(format!(
            "document {:?}: new ids for {} added by {} (their ids were taken)",
            ours.id,
            crate::model::plural(renamed, "annotation"),
            sides.second
        ));
    }
    theirs_parts.rename(&map);

    let mut new = Vec::new();
    let mut merged = Parts {
        entities: merge_items(
            &base_parts.entities,
            &ours_parts.entities,
            &theirs_parts.entities,
            &mut ids,
            sides,
            &mut new,
            report,
        ),
        claims: merge_items(
            &base_parts.claims,
            &ours_parts.claims,
            &theirs_parts.claims,
            &mut ids,
            sides,
            &mut new,
            report,
        ),
        relations: merge_items(
            &base_parts.relations,
            &ours_parts.relations,
            &theirs_parts.relations,
            &mut ids,
            sides,
            &mut new,
            report,
        ),
        conflicts: carry_conflicts(
            Some(&base_parts.conflicts),
            &ours_parts.conflicts,
            &theirs_parts.conflicts,
        ),
    };
    restore_referenced(
        &mut merged,
        &ours_parts,
        &theirs_parts,
        &base_ids,
        sides,
        &mut new,
    );
    // Carried conflicts name only annotations that are still there.
    merged.conflicts.retain_mut(|c| {
        if c.about != ConflictAbout::Annotations {
            return true;
        }
        let present: Vec<bool> = c
            .annotation_ids()
            .map(|id| {
                merged.entities.iter().any(|e| e.id == id)
                    || merged.claims.iter().any(|x| x.id == id)
                    || merged.relations.iter().any(|r| r.id == id)
            })
            .collect();
        let mut flags = present.into_iter();
        for v in &mut c.versions {
            v.annotations.retain(|_| flags.next().unwrap_or(false));
        }
        c.annotation_ids().next().is_some()
    });

    let fields = merge_fields(
        base.map(document_fields).as_ref(),
        &document_fields(ours),
        &document_fields(theirs),
        &[],
    );
    new.extend(field_conflicts(
        kind,
        &ConflictAbout::Document,
        &fields,
        sides,
    ));
    let mut doc = ours.clone();
    with_fields(&mut doc, fields.ours);
    doc.entities = merged.entities;
    doc.claims = merged.claims;
    doc.relations = merged.relations;
    doc.conflicts = merged.conflicts;
    report.new_conflicts += push_conflicts(&mut doc.conflicts, new);
    doc
}

/// Renames theirs' added items whose id ours used for something else, and
/// maps theirs' additions equal to one of ours' onto it.
fn rename_added<T: Item>(
    base_ids: &HashSet<&str>,
    ours: &[T],
    theirs: &[T],
    map: &mut HashMap<String, String>,
    ids: &mut Ids,
) {
    let mut ours_added: HashMap<String, Vec<&str>> = HashMap::new();
    for item in ours.iter().rev().filter(|o| !base_ids.contains(o.id())) {
        ours_added
            .entry(content_key(item))
            .or_default()
            .push(item.id());
    }
    let ours_ids: HashSet<&str> = ours.iter().map(|o| o.id()).collect();
    for item in theirs.iter().filter(|t| !base_ids.contains(t.id())) {
        let mut probe = item.clone();
        probe.map_refs(map);
        if let Some(twin) = ours_added.get_mut(&content_key(&probe)).and_then(Vec::pop) {
            map.insert(item.id().to_owned(), twin.to_owned());
        } else if ours_ids.contains(item.id()) {
            let fresh = ids.fresh(T::PREFIX);
            map.insert(item.id().to_owned(), fresh);
        } else {
            ids.taken.insert(item.id().to_owned());
        }
    }
}

/// Merges one kind of annotation by id.
#[allow(clippy::too_many_arguments)]
fn merge_items<T: Item>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    ids: &mut Ids,
    sides: Sides<'_>,
    new: &mut Vec<Conflict>,
    report: &mut Report,
) -> Vec<T> {
    let kind = ConflictKind::Conflict;
    let by_id = |list: &[T]| -> HashMap<String, usize> {
        list.iter()
            .enumerate()
            .map(|(i, x)| (x.id().to_owned(), i))
            .collect()
    };
    let (base_at, theirs_at) = (by_id(base), by_id(theirs));
    let ours_at = by_id(ours);
    let mut out = Vec::with_capacity(ours.len());
    for o in ours {
        let b = base_at.get(o.id()).and_then(|i| base.get(*i));
        let t = theirs_at.get(o.id()).and_then(|i| theirs.get(*i));
        match (b, t) {
            (b, Some(t)) => {
                let fields = merge_fields(b.map(to_map).as_ref(), &to_map(o), &to_map(t), &["id"]);
                let merged_ours: T = from_map(fields.ours).unwrap_or_else(|| o.clone());
                if fields.conflicts.is_empty() {
                    report.agreed += 1;
                    out.push(merged_ours);
                    continue;
                }
                let mut copy: T = from_map(fields.theirs).unwrap_or_else(|| t.clone());
                let copy_id = ids.fresh(T::PREFIX);
                copy.set_id(copy_id.clone());
                if let (Some(slot), Some(who)) = (copy.annotator_mut(), t.annotator()) {
                    *slot = Some(who.into());
                }
                new.push(conflict(
                    kind,
                    ConflictAbout::Annotations,
                    fields.conflicts,
                    vec![
                        version(sides.first, o.annotator(), vec![o.id().to_owned()]),
                        version(sides.second, t.annotator(), vec![copy_id]),
                    ],
                ));
                out.push(merged_ours);
                out.push(copy);
            }
            (Some(b), None) => {
                // Theirs deleted it: gone, unless ours changed it.
                if content_key(b) != content_key(o) {
                    new.push(conflict(
                        kind,
                        ConflictAbout::Annotations,
                        Vec::new(),
                        vec![
                            version(sides.first, o.annotator(), vec![o.id().to_owned()]),
                            deleted_version(sides.second),
                        ],
                    ));
                    out.push(o.clone());
                }
            }
            (None, None) => out.push(o.clone()),
        }
    }
    for t in theirs {
        if ours_at.contains_key(t.id()) {
            continue;
        }
        match base_at.get(t.id()).and_then(|i| base.get(*i)) {
            Some(b) => {
                // Ours deleted it: gone, unless theirs changed it.
                if content_key(b) != content_key(t) {
                    new.push(conflict(
                        kind,
                        ConflictAbout::Annotations,
                        Vec::new(),
                        vec![
                            deleted_version(sides.first),
                            version(sides.second, t.annotator(), vec![t.id().to_owned()]),
                        ],
                    ));
                    out.push(t.clone());
                }
            }
            None => out.push(t.clone()),
        }
    }
    new.extend(added_on_both_sides(
        base_at.keys().map(String::as_str).collect(),
        ours,
        theirs,
        sides,
    ));
    out
}

/// Both sides added an annotation on the same span (or a relation between
/// the same ends) that is not the same annotation (identical additions were
/// made one by [`rename_added`]): different labels, say. Both are kept, and
/// each such place is one conflict record, so that the adjudication walk
/// shows it and no export meets a silent pair on one span.
fn added_on_both_sides<T: Item>(
    base_ids: HashSet<&str>,
    ours: &[T],
    theirs: &[T],
    sides: Sides<'_>,
) -> Vec<Conflict> {
    let ours_ids: HashSet<&str> = ours.iter().map(Item::id).collect();
    let theirs_ids: HashSet<&str> = theirs.iter().map(Item::id).collect();
    let place = |x: &T| match x.span() {
        Some((start, end)) => format!("{start}:{end}"),
        None => x.refs().join("\u{1f}"),
    };
    // Places in ours' order, each with what each side added there.
    let mut order: Vec<String> = Vec::new();
    let mut at: HashMap<String, (Vec<&T>, Vec<&T>)> = HashMap::new();
    for o in ours
        .iter()
        .filter(|o| !base_ids.contains(o.id()) && !theirs_ids.contains(o.id()))
    {
        let key = place(o);
        let entry = at.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            (Vec::new(), Vec::new())
        });
        entry.0.push(o);
    }
    for t in theirs
        .iter()
        .filter(|t| !base_ids.contains(t.id()) && !ours_ids.contains(t.id()))
    {
        if let Some(entry) = at.get_mut(&place(t)) {
            entry.1.push(t);
        }
    }
    let who = |items: &[&T]| -> Option<String> {
        let first = items.first().and_then(|x| x.annotator());
        items
            .iter()
            .all(|x| x.annotator() == first)
            .then(|| first.map(str::to_owned))
            .flatten()
    };
    order
        .iter()
        .filter_map(|key| at.get(key))
        .filter(|(mine, theirs)| !mine.is_empty() && !theirs.is_empty())
        .map(|(mine, theirs)| {
            let fields = match (mine.as_slice(), theirs.as_slice()) {
                ([x], [y]) => merge_fields(None, &content(*x), &content(*y), &[]).conflicts,
                _ => Vec::new(),
            };
            conflict(
                ConflictKind::Conflict,
                ConflictAbout::Annotations,
                fields,
                vec![
                    version(
                        sides.first,
                        who(mine).as_deref(),
                        mine.iter().map(|x| x.id().to_owned()).collect(),
                    ),
                    version(
                        sides.second,
                        who(theirs).as_deref(),
                        theirs.iter().map(|x| x.id().to_owned()).collect(),
                    ),
                ],
            )
        })
        .collect()
}

/// Puts back annotations one side deleted that a kept annotation still
/// points to (a claimant, a relation end), each with a conflict.
fn restore_referenced(
    merged: &mut Parts,
    ours: &Parts,
    theirs: &Parts,
    base_ids: &HashSet<&str>,
    sides: Sides<'_>,
    new: &mut Vec<Conflict>,
) {
    let kind = ConflictKind::Conflict;
    loop {
        let missing: Option<String> = {
            let present: HashSet<&str> = merged.ids().collect();
            merged
                .claims
                .iter()
                .flat_map(|c| c.refs())
                .chain(merged.relations.iter().flat_map(|r| r.refs()))
                .find(|id| !present.contains(id))
                .map(str::to_owned)
        };
        let Some(id) = missing else { break };
        let from_theirs = theirs.has(&id);
        let source = if from_theirs { theirs } else { ours };
        let (annotator, restored) = if let Some(e) = source.entities.iter().find(|e| e.id == id) {
            merged.entities.push(e.clone());
            (e.annotator.clone(), true)
        } else if let Some(c) = source.claims.iter().find(|c| c.id == id) {
            merged.claims.push(c.clone());
            (c.annotator.clone(), true)
        } else {
            (None, false)
        };
        if !restored {
            // Nothing to put back (cannot happen with valid inputs): drop the
            // dangling references so that the result stays valid.
            merged.relations.retain(|r| r.from != id && r.to != id);
            for c in &mut merged.claims {
                if c.claimant == Some(Claimant::Entity(id.clone().into())) {
                    c.claimant = None;
                }
            }
            continue;
        }
        let kept = version(
            if from_theirs {
                sides.second
            } else {
                sides.first
            },
            annotator.as_deref(),
            vec![id.clone()],
        );
        let gone = if base_ids.contains(id.as_str()) {
            deleted_version(if from_theirs {
                sides.first
            } else {
                sides.second
            })
        } else {
            version(
                if from_theirs {
                    sides.first
                } else {
                    sides.second
                },
                None,
                Vec::new(),
            )
        };
        let versions = if from_theirs {
            vec![gone, kept]
        } else {
            vec![kept, gone]
        };
        new.push(conflict(
            kind,
            ConflictAbout::Annotations,
            Vec::new(),
            versions,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::validate;

    const TEXT: &str = "Kim Jong Un met Putin in Moscow on Monday, officials said.";

    fn project(entities: &[(&str, &str, usize, usize)]) -> Project {
        let mut p = Project::new("t");
        let mut d = Document::new("d1", "Talks", TEXT);
        for (id, label, start, end) in entities {
            let text: String = TEXT.chars().skip(*start).take(end - start).collect();
            d.entities
                .push(Entity::new(*id, *label, *start, *end, text));
        }
        p.documents.push(d.into());
        p
    }

    fn valid(p: &Project) {
        let problems = validate(p);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn fields_merge_against_the_base() {
        let m = |pairs: &[(&str, i64)]| -> Map<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
                .collect()
        };
        let base = m(&[("a", 1), ("b", 1), ("c", 1)]);
        let ours = m(&[("a", 2), ("b", 1), ("c", 3)]);
        let theirs = m(&[("a", 1), ("b", 2), ("c", 4)]);
        let f = merge_fields(Some(&base), &ours, &theirs, &[]);
        assert_eq!(f.ours, m(&[("a", 2), ("b", 2), ("c", 3)]));
        assert_eq!(f.theirs, m(&[("a", 2), ("b", 2), ("c", 4)]));
        assert_eq!(f.conflicts, ["c"]);
    }

    #[test]
    fn span_fields_merge_as_one() {
        let base = project(&[("e1", "PER", 0, 11)]);
        let mut ours = base.clone();
        let mut theirs = base.clone();
        // Ours moves the start, theirs the end: one span each, a conflict.
        std::sync::Arc::make_mut(&mut ours.documents[0]).entities[0] =
            Entity::new("e1", "PER", 4, 11, "Jong Un");
        std::sync::Arc::make_mut(&mut theirs.documents[0]).entities[0] =
            Entity::new("e1", "PER", 0, 8, "Kim Jong");
        let (merged, report) = merge3(&base, &ours, &theirs);
        valid(&merged);
        assert_eq!(report.new_conflicts, 1);
        assert_eq!(merged.documents[0].conflicts[0].fields, ["span"]);
    }

    #[test]
    fn ids_are_fresh_and_keep_their_prefix() {
        let mut ids = Ids::new(["e1".to_owned(), "T3".to_owned()], ["e7".to_owned()]);
        assert_eq!(ids.keep_or_fresh("e2", "e"), "e2");
        assert_eq!(ids.keep_or_fresh("e1", "e"), "e8");
        assert_eq!(ids.keep_or_fresh("T3", "e"), "T4");
        assert_eq!(ids.keep_or_fresh("x", "e"), "x");
        assert_eq!(ids.keep_or_fresh("x", "e"), "e9");
    }

    #[test]
    fn two_way_renames_references_once() {
        // B's e1 agrees with A's e5; B's own e5 is new and must move, but a
        // claim of B naming e1 must end on A's e5, not on B's moved e5.
        let mut a = project(&[("e5", "PER", 0, 11)]);
        let mut b = project(&[("e1", "PER", 0, 11), ("e5", "PER", 16, 21)]);
        let mut claim = Claim::new("c1", 0, 21, "Kim Jong Un met Putin");
        claim.claimant = Some(Claimant::Entity("e1".into()));
        std::sync::Arc::make_mut(&mut b.documents[0])
            .claims
            .push(claim.clone());
        claim.claimant = Some(Claimant::Entity("e5".into()));
        std::sync::Arc::make_mut(&mut a.documents[0])
            .claims
            .push(claim);
        let (merged, report) = merge(&a, &b);
        valid(&merged);
        let doc = &merged.documents[0];
        assert_eq!(doc.claims.len(), 1, "the claims agree: {:?}", doc.claims);
        assert_eq!(report.agreed, 2);
        assert_eq!(doc.entities.len(), 2);
        assert_eq!(doc.conflicts.len(), 1);
    }

    #[test]
    fn two_way_groups_overlapping_spans() {
        let a = project(&[("e1", "PER", 0, 11), ("e2", "GPE", 25, 31)]);
        let b = project(&[
            ("e1", "PER", 0, 8),
            ("e2", "GPE", 25, 31),
            ("e3", "PER", 16, 21),
        ]);
        let (merged, report) = merge(&a, &b);
        valid(&merged);
        assert_eq!(report.agreed, 1);
        let doc = &merged.documents[0];
        // e1 of A and B's "Kim Jong" compete; B's Putin stands alone.
        assert_eq!(doc.conflicts.len(), 2);
        assert_eq!(doc.entities.len(), 4);
    }
}
