//! Annotations, generically: ids, parts and conflict records.

use super::*;

/// What the merge needs of an entity, claim or relation.
pub(super) trait Item: Clone + Serialize + DeserializeOwned {
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

pub(super) fn mapped(map: &HashMap<String, String>, id: &str) -> String {
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
pub(super) struct Ids {
    pub(super) taken: HashSet<String>,
    pub(super) reserved: HashSet<String>,
    pub(super) next: HashMap<String, u64>,
}

impl Ids {
    pub(super) fn new(
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
    pub(super) fn keep_or_fresh(&mut self, wanted: &str, default_prefix: &str) -> String {
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

    pub(super) fn fresh(&mut self, prefix: &str) -> String {
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
pub(super) struct Parts {
    pub(super) entities: Vec<Entity>,
    pub(super) claims: Vec<Claim>,
    pub(super) relations: Vec<Relation>,
    pub(super) conflicts: Vec<Conflict>,
}

impl Parts {
    pub(super) fn of(doc: &Document) -> Self {
        Self {
            entities: doc.entities.clone(),
            claims: doc.claims.clone(),
            relations: doc.relations.clone(),
            conflicts: doc.conflicts.clone(),
        }
    }

    pub(super) fn ids(&self) -> impl Iterator<Item = &str> {
        self.entities
            .iter()
            .map(|e| e.id.as_str())
            .chain(self.claims.iter().map(|c| c.id.as_str()))
            .chain(self.relations.iter().map(|r| r.id.as_str()))
    }

    pub(super) fn has(&self, id: &str) -> bool {
        self.ids().any(|i| i == id)
    }

    /// Renames annotations (ids and everything pointing to them).
    pub(super) fn rename(&mut self, map: &HashMap<String, String>) {
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
    pub(super) fn map_project_refs(
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

    pub(super) fn fill_annotator(&mut self, keep: &HashSet<String>, who: &str) {
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

pub(super) fn version(
    side: &str,
    annotator: Option<&str>,
    annotations: Vec<String>,
) -> ConflictVersion {
    ConflictVersion {
        side: side.to_owned(),
        annotator: annotator.map(str::to_owned),
        annotations,
        ..ConflictVersion::default()
    }
}

pub(super) fn deleted_version(side: &str) -> ConflictVersion {
    ConflictVersion {
        side: side.to_owned(),
        deleted: true,
        ..ConflictVersion::default()
    }
}

pub(super) fn conflict(
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
pub(super) fn push_conflicts(list: &mut Vec<Conflict>, new: Vec<Conflict>) -> usize {
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
