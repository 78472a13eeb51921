//! Splitting a corpus among annotators (`gloss assign`): every document goes
//! to one annotator, and a stated share of them to two, so that agreement
//! can be measured on that overlap. The work is balanced by text length
//! (longest documents first, each to the annotators with the least text so
//! far), and the same seed gives the same split on any machine.

use std::sync::Arc;

use serde_json::json;

use crate::model::{Document, Project};

/// What to split and how.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignOptions {
    /// The annotators' names, in the order given.
    pub annotators: Vec<String>,
    /// The share of documents given to two annotators, 0 to 1.
    pub overlap: f64,
    /// Which documents are shared, and how ties are broken.
    pub seed: u64,
}

/// Who has which document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Per document (in project order), the annotators (indices into
    /// [`AssignOptions::annotators`]) it is given to: one, or two when it
    /// is in the overlap.
    pub owners: Vec<Vec<usize>>,
    /// Per annotator, the characters of text given.
    pub characters: Vec<usize>,
}

impl Assignment {
    /// The documents given to annotator `who`, in project order.
    pub fn documents_of(&self, who: usize) -> impl Iterator<Item = usize> + '_ {
        self.owners
            .iter()
            .enumerate()
            .filter(move |(_, owners)| owners.contains(&who))
            .map(|(i, _)| i)
    }

    /// How many documents are given to two annotators.
    pub fn shared(&self) -> usize {
        self.owners.iter().filter(|o| o.len() > 1).count()
    }
}

/// Why a split cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssignError {
    /// No annotator named.
    #[error("no annotators: name them with --annotators ana,ben,cy")]
    NoAnnotators,
    /// A name is empty, or two names are the same (or the same file name).
    #[error(
        "annotator {0:?} is named twice (or is empty); each annotator gets a file of their own"
    )]
    BadName(String),
    /// An overlap with one annotator, or outside 0–100%.
    #[error("{0}")]
    BadOverlap(String),
    /// Nothing to split.
    #[error("the project has no documents")]
    NoDocuments,
}

/// The file name (without `.gloss.ron`) of an annotator's project.
pub fn file_stem(annotator: &str) -> String {
    crate::model::document_id_base(annotator.trim())
}

/// Splits `project`'s documents among `options.annotators`.
pub fn assign(project: &Project, options: &AssignOptions) -> Result<Assignment, AssignError> {
    let names = &options.annotators;
    if names.is_empty() {
        return Err(AssignError::NoAnnotators);
    }
    let mut stems = std::collections::HashSet::new();
    for name in names {
        // Case apart, two names would share a file where file names
        // ignore case (macOS, Windows).
        if name.trim().is_empty() || !stems.insert(file_stem(name).to_lowercase()) {
            return Err(AssignError::BadName(name.clone()));
        }
    }
    if !(0.0..=1.0).contains(&options.overlap) {
        return Err(AssignError::BadOverlap(format!(
            "the overlap must be between 0% and 100%, not {}%",
            options.overlap * 100.0
        )));
    }
    if options.overlap > 0.0 && names.len() < 2 {
        return Err(AssignError::BadOverlap(
            "an overlap needs two annotators or more".to_owned(),
        ));
    }
    let n = project.documents.len();
    if n == 0 {
        return Err(AssignError::NoDocuments);
    }
    // Documents a claim's evidence links go together, or an annotator's
    // project would cite a document it does not have (and not load).
    let units = linked_units(project);
    let u = units.len();
    // A seeded order of the units: its first `shared` are the overlap, and
    // it breaks ties between units of the same length.
    let mut order: Vec<usize> = (0..u).collect();
    let mut state = options.seed;
    for i in (1..u).rev() {
        let j = (splitmix64(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let shared = ((options.overlap * u as f64).round() as usize).min(u);
    let mut rank = vec![0; u];
    for (r, &unit) in order.iter().enumerate() {
        rank[unit] = r;
    }
    let lengths: Vec<usize> = units
        .iter()
        .map(|docs| {
            docs.iter()
                .map(|&d| project.documents[d].text.chars().count())
                .sum()
        })
        .collect();
    // Longest first (each to the least loaded): the greedy rule that keeps
    // the loads within one unit of each other.
    let mut by_length: Vec<usize> = (0..u).collect();
    by_length.sort_by_key(|&unit| (std::cmp::Reverse(lengths[unit]), rank[unit]));
    let mut characters = vec![0usize; names.len()];
    let mut counts = vec![0usize; names.len()];
    let mut owners = vec![Vec::new(); n];
    for unit in by_length {
        let copies = if rank[unit] < shared { 2 } else { 1 };
        let mut least: Vec<usize> = (0..names.len()).collect();
        least.sort_by_key(|&who| (characters[who], counts[who], who));
        least.truncate(copies);
        least.sort_unstable();
        for &who in &least {
            characters[who] += lengths[unit];
            counts[who] += units[unit].len();
        }
        for &doc in &units[unit] {
            owners[doc] = least.clone();
        }
    }
    Ok(Assignment { owners, characters })
}

/// The documents that must go to the same annotators, each unit in
/// project order: a document alone, or those a claim's evidence links.
fn linked_units(project: &Project) -> Vec<Vec<usize>> {
    let n = project.documents.len();
    let index: std::collections::HashMap<&str, usize> = project
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, doc) in project.documents.iter().enumerate() {
        for claim in &doc.claims {
            for evidence in &claim.evidence {
                if let crate::model::Evidence::Span { doc: cited, .. } = evidence
                    && let Some(&j) = index.get(cited.as_str())
                {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut units: Vec<Vec<usize>> = Vec::new();
    let mut unit_of = vec![usize::MAX; n];
    for i in 0..n {
        let r = root(&mut parent, i);
        if unit_of[r] == usize::MAX {
            unit_of[r] = units.len();
            units.push(Vec::new());
        }
        units[unit_of[r]].push(i);
    }
    units
}

/// Annotator `who`'s project: `project` with only their documents (as they
/// are, annotations and all), named after them.
pub fn project_for(
    project: &Project,
    assignment: &Assignment,
    names: &[String],
    who: usize,
) -> Project {
    let name = names.get(who).map_or("", String::as_str);
    let mut theirs = project.clone();
    theirs.name = format!("{} ({name})", project.name);
    theirs.annotators = vec![name.to_owned()];
    theirs.documents = assignment
        .documents_of(who)
        .filter_map(|i| project.documents.get(i).cloned())
        .collect::<Vec<Arc<Document>>>();
    theirs
}

/// The manifest of who has what, as JSON.
pub fn manifest(
    project: &Project,
    source: &str,
    assignment: &Assignment,
    options: &AssignOptions,
) -> serde_json::Value {
    let names = &options.annotators;
    let annotators: Vec<serde_json::Value> = names
        .iter()
        .enumerate()
        .map(|(who, name)| {
            let documents: Vec<usize> = assignment.documents_of(who).collect();
            json!({
                "name": name,
                "file": format!("{}.gloss.ron", file_stem(name)),
                "documents": documents.len(),
                "shared": documents.iter().filter(|&&i| assignment.owners[i].len() > 1).count(),
                "characters": assignment.characters[who],
            })
        })
        .collect();
    let documents: Vec<serde_json::Value> = project
        .documents
        .iter()
        .zip(&assignment.owners)
        .map(|(doc, owners)| {
            json!({
                "id": doc.id.as_str(),
                "characters": doc.text.chars().count(),
                "annotators": owners.iter().map(|&who| names[who].as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "project": source,
        "seed": options.seed,
        "overlap": options.overlap,
        "shared_documents": assignment.shared(),
        "annotators": annotators,
        "documents": documents,
    })
}

/// SplitMix64: a small, well-mixed generator, the same on every machine.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(n: usize) -> Project {
        let mut project = Project::new("corpus");
        for i in 0..n {
            // Lengths 10..=(10 + 7 * 13): uneven on purpose.
            let text = "x".repeat(10 + (i * 7) % 97);
            project
                .documents
                .push(Document::new(format!("d{i}"), "t", format!("{i} {text}")).into());
        }
        project
    }

    fn options(names: &[&str], overlap: f64, seed: u64) -> AssignOptions {
        AssignOptions {
            annotators: names.iter().map(|s| (*s).to_owned()).collect(),
            overlap,
            seed,
        }
    }

    #[test]
    fn every_document_goes_to_one_annotator_and_the_overlap_to_two() {
        let project = corpus(50);
        let split = assign(&project, &options(&["ana", "ben", "cy"], 0.2, 7)).unwrap();
        assert_eq!(split.shared(), 10);
        for owners in &split.owners {
            assert!(matches!(owners.len(), 1 | 2), "{owners:?}");
            assert!(
                owners.windows(2).all(|w| w[0] < w[1]),
                "two different annotators"
            );
        }
        // Balanced by length: within the longest document of each other.
        let longest = project
            .documents
            .iter()
            .map(|d| d.text.chars().count())
            .max()
            .unwrap();
        let (most, least) = (
            *split.characters.iter().max().unwrap(),
            *split.characters.iter().min().unwrap(),
        );
        assert!(most - least <= longest, "{:?}", split.characters);
        // Same seed, same split; another seed shares other documents.
        assert_eq!(
            assign(&project, &options(&["ana", "ben", "cy"], 0.2, 7)).unwrap(),
            split
        );
        assert_ne!(
            assign(&project, &options(&["ana", "ben", "cy"], 0.2, 8)).unwrap(),
            split
        );
    }

    #[test]
    fn each_annotators_project_holds_their_documents_in_order() {
        let project = corpus(12);
        let opts = options(&["ana", "ben"], 0.5, 1);
        let split = assign(&project, &opts).unwrap();
        let ana = project_for(&project, &split, &opts.annotators, 0);
        let ben = project_for(&project, &split, &opts.annotators, 1);
        assert_eq!(ana.documents.len() + ben.documents.len(), 12 + 6);
        assert_eq!(ana.annotators, ["ana"]);
        assert_eq!(ana.name, "corpus (ana)");
        let position = |id: &str| project.documents.iter().position(|d| d.id == id).unwrap();
        let ids: Vec<usize> = ana.documents.iter().map(|d| position(&d.id)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let manifest = manifest(&project, "corpus.gloss.ron", &split, &opts);
        assert_eq!(manifest["shared_documents"], 6);
        assert_eq!(manifest["annotators"][0]["documents"], ana.documents.len());
    }

    #[test]
    fn documents_a_claim_cites_as_evidence_go_to_the_same_annotators() {
        let mut project = corpus(20);
        let first = |i: usize| {
            project.documents[i]
                .text
                .chars()
                .next()
                .unwrap()
                .to_string()
        };
        let mut claim = crate::model::Claim::new("c1", 0, 1, first(2));
        claim.evidence.push(crate::model::Evidence::Span {
            doc: project.documents[17].id.to_string(),
            start: 0,
            end: 1,
            text: first(17),
        });
        std::sync::Arc::make_mut(&mut project.documents[2])
            .claims
            .push(claim);
        for seed in 0..20 {
            let opts = options(&["ana", "ben", "cy"], 0.3, seed);
            let split = assign(&project, &opts).unwrap();
            assert_eq!(split.owners[2], split.owners[17], "seed {seed}");
            for who in 0..3 {
                let theirs = project_for(&project, &split, &opts.annotators, who);
                assert_eq!(crate::model::validate::validate(&theirs), [], "seed {seed}");
            }
        }
    }

    #[test]
    fn bad_requests_are_refused_with_a_reason() {
        let project = corpus(4);
        let refuse = |o: AssignOptions| assign(&project, &o).unwrap_err();
        assert_eq!(refuse(options(&[], 0.0, 0)), AssignError::NoAnnotators);
        assert!(matches!(
            refuse(options(&["ana", "ana"], 0.0, 0)),
            AssignError::BadName(_)
        ));
        assert!(matches!(
            refuse(options(&["ana", " "], 0.0, 0)),
            AssignError::BadName(_)
        ));
        assert!(matches!(
            refuse(options(&["ana"], 0.2, 0)),
            AssignError::BadOverlap(_)
        ));
        assert!(matches!(
            refuse(options(&["ana", "ben"], 1.5, 0)),
            AssignError::BadOverlap(_)
        ));
        assert_eq!(
            assign(&Project::new("empty"), &options(&["ana"], 0.0, 0)).unwrap_err(),
            AssignError::NoDocuments
        );
        // Fifty annotators and four documents: some get nothing, none twice.
        let many: Vec<String> = (0..50).map(|i| format!("a{i}")).collect();
        let split = assign(
            &project,
            &AssignOptions {
                annotators: many,
                overlap: 1.0,
                seed: 0,
            },
        )
        .unwrap();
        assert_eq!(split.shared(), 4);
    }
}
