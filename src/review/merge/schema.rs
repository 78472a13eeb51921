//! Project-level keyed lists (entity types, relation types, canonical
//! entities) and the project's own fields.

use super::*;

/// What a project-level item needs.
pub(super) trait Keyed: Clone + Serialize + DeserializeOwned + PartialEq {
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
pub(super) struct KeyedMerge<T> {
    pub(super) items: Vec<T>,
    pub(super) renamed: HashMap<String, String>,
    /// Items dropped because one side deleted them: (item, theirs deleted it).
    pub(super) dropped: Vec<(T, bool)>,
    pub(super) conflicts: Vec<Conflict>,
}

pub(super) fn merge_keyed<T: Keyed>(
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
pub(super) fn restore_used<T: Keyed>(
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
pub(super) struct ProjectMerge {
    pub(super) project: Project,
    pub(super) canonical_renames: HashMap<String, String>,
    pub(super) entity_types: KeyedMerge<EntityType>,
    pub(super) relation_types: KeyedMerge<RelationType>,
    pub(super) canonicals: KeyedMerge<CanonicalEntity>,
}

pub(super) fn merge_project_fields(
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
pub(super) fn finish_project(
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
pub(super) fn carry_project_conflicts(
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
pub(super) fn carry_conflicts(
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
