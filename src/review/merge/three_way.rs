//! The three-way merge: two branches and their base (git's driver).

use super::*;

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
pub(super) fn same_document(base: &Document, side: &Document) -> bool {
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
pub(super) fn merge_three_documents(
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
pub(super) fn rename_added<T: Item>(
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
pub(super) fn merge_items<T: Item>(
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
pub(super) fn added_on_both_sides<T: Item>(
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
pub(super) fn restore_referenced(
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
