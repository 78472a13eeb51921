//! The two-way merge: two annotators' copies.

use super::*;

/// Who made one side's annotations when they do not say: the project's
/// only annotator, or the side's name (also when both sides would get the
/// same name).
pub(super) fn default_annotator<'a>(project: &'a Project, side: &'a str) -> &'a str {
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

pub(super) fn finish_report(project: &mut Project, report: &mut Report) {
    report.documents = project.documents.len();
    report.remaining = project.conflict_count();
}

/// One document both annotators have: agreed annotations once, the rest of
/// both sides grouped into disagreements.
pub(super) fn merge_two_documents(
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
pub(super) struct Sameness<'f, T> {
    pub(super) key: &'f dyn Fn(&T) -> String,
    /// Whether A's item and B's item (as B has it, before renaming) agree.
    pub(super) agree: &'f dyn Fn(&T, &T) -> bool,
}

pub(super) fn match_items<T: Item>(
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
pub(super) fn group_disagreements<T: Item>(
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
