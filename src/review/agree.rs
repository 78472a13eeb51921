//! Agreement between two annotators' projects: span precision, recall and F1
//! (exact and overlapping), token-level Cohen's κ and Krippendorff's α, and
//! claim agreement. Definitions, formulas and what is undefined are in
//! `docs/agreement.md`.
//!
//! Project A is the reference: precision is the share of B's annotations that
//! A has, recall the share of A's annotations that B has. Documents are
//! matched by [`Document::content_hash`] (the same text), never by id or
//! title. Every figure that has a zero denominator is `None` (JSON `null`).
//!
//! Everything here is pure: no I/O, and every offset is a code-point offset.
//! The work is O(n log n) in the number of annotations plus linear in the
//! length of the texts.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};

use serde_json::{Value, json};

use crate::model::{Document, Project, plural, same_claimant};

/// What to compare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreeOptions {
    /// Only these documents of A (by id); all documents when empty.
    pub doc_ids: Vec<String>,
}

/// Why two projects cannot be compared as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreeError {
    /// `doc_ids` names documents that project A does not have.
    #[error("project A has no document {}", quoted_list(.0))]
    UnknownDocuments(Vec<String>),
}

fn quoted_list(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("{id:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Span counts of one kind of annotation (one entity type, all entities, or
/// claims) over the compared documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpanCounts {
    /// Annotations in A (the reference).
    pub a: usize,
    /// Annotations in B.
    pub b: usize,
    /// Pairs with the same start, end (and type, for entities).
    pub exact: usize,
    /// Pairs of the maximum one-to-one matching of overlapping spans (of the
    /// same type, for entities).
    pub overlap: usize,
}

impl SpanCounts {
    /// Exact-match precision: `exact / b`.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.exact, self.b)
    }

    /// Exact-match recall: `exact / a`.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.exact, self.a)
    }

    /// Exact-match F1: `2·exact / (a + b)`, the harmonic mean of precision
    /// and recall where both are defined (and 0 when one side is empty).
    pub fn f1(&self) -> Option<f64> {
        ratio(2 * self.exact, self.a + self.b)
    }

    /// Overlap precision: `overlap / b`.
    pub fn overlap_precision(&self) -> Option<f64> {
        ratio(self.overlap, self.b)
    }

    /// Overlap recall: `overlap / a`.
    pub fn overlap_recall(&self) -> Option<f64> {
        ratio(self.overlap, self.a)
    }

    /// Overlap F1: `2·overlap / (a + b)`.
    pub fn overlap_f1(&self) -> Option<f64> {
        ratio(2 * self.overlap, self.a + self.b)
    }

    fn add(&mut self, other: SpanCounts) {
        self.a += other.a;
        self.b += other.b;
        self.exact += other.exact;
        self.overlap += other.overlap;
    }

    fn json_fields(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("annotations_a".into(), json!(self.a));
        map.insert("annotations_b".into(), json!(self.b));
        map.insert("exact_matches".into(), json!(self.exact));
        map.insert("precision".into(), json!(self.precision()));
        map.insert("recall".into(), json!(self.recall()));
        map.insert("f1".into(), json!(self.f1()));
        map.insert("overlap_matches".into(), json!(self.overlap));
        map.insert("overlap_precision".into(), json!(self.overlap_precision()));
        map.insert("overlap_recall".into(), json!(self.overlap_recall()));
        map.insert("overlap_f1".into(), json!(self.overlap_f1()));
        map
    }
}

/// `numerator / denominator`, `None` when the denominator is zero.
fn ratio(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// Label counts over word tokens, enough for nominal κ and α: the number of
/// tokens, how often each coder used each label, and how often both used it
/// on the same token (the diagonal of the confusion matrix).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelCounts {
    /// Tokens (units) labelled by both coders.
    pub tokens: u64,
    /// Per label: tokens A gave that label.
    pub a: Vec<u64>,
    /// Per label: tokens B gave that label.
    pub b: Vec<u64>,
    /// Per label: tokens both gave that label.
    pub both: Vec<u64>,
}

impl LabelCounts {
    /// Counts over `labels` distinct labels (numbered from 0).
    pub fn new(labels: usize) -> Self {
        Self {
            tokens: 0,
            a: vec![0; labels],
            b: vec![0; labels],
            both: vec![0; labels],
        }
    }

    /// Counts of the pairs `(label by A, label by B)`, one per token.
    pub fn from_pairs(labels: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut counts = Self::new(labels);
        for (a, b) in pairs {
            counts.add(a, b);
        }
        counts
    }

    /// Adds one token that A labelled `a` and B labelled `b` (labels outside
    /// the range are ignored).
    pub fn add(&mut self, a: usize, b: usize) {
        if a >= self.a.len() || b >= self.b.len() {
            return;
        }
        if let Some(n) = self.a.get_mut(a) {
            *n += 1;
        }
        if let Some(n) = self.b.get_mut(b) {
            *n += 1;
        }
        self.tokens += 1;
        if a == b
            && let Some(both) = self.both.get_mut(a)
        {
            *both += 1;
        }
    }

    /// The binary labelling "`label` or not" of the same tokens.
    pub fn binary(&self, label: usize) -> LabelCounts {
        let get = |v: &[u64]| v.get(label).copied().unwrap_or(0);
        let (a, b, both) = (get(&self.a), get(&self.b), get(&self.both));
        let n = self.tokens;
        // Tokens neither labelled `label`: n − a − b + both (inclusion–exclusion).
        let neither = (n + both).saturating_sub(a + b);
        LabelCounts {
            tokens: n,
            a: vec![n - a, a],
            b: vec![n - b, b],
            both: vec![neither, both],
        }
    }

    /// Cohen's κ = (p_o − p_e) / (1 − p_e), with p_o the share of tokens
    /// both labelled alike and p_e = Σ_k (a_k/N)(b_k/N). `None` when there
    /// are no tokens or p_e = 1 (both coders used one and the same label
    /// throughout).
    pub fn kappa(&self) -> Option<f64> {
        let n = u128::from(self.tokens);
        let agree: u128 = self.both.iter().map(|&x| u128::from(x)).sum();
        let chance: u128 = self
            .a
            .iter()
            .zip(&self.b)
            .map(|(&a, &b)| u128::from(a) * u128::from(b))
            .sum();
        // Multiplied through by N²: κ = (N·agree − Σ a_k b_k) / (N² − Σ a_k b_k).
        let denominator = n * n - chance.min(n * n);
        if n == 0 || denominator == 0 {
            return None;
        }
        finite((n * agree) as f64 - chance as f64, denominator as f64)
    }

    /// Krippendorff's α, nominal, two coders, no missing values:
    /// α = 1 − D_o / D_e = 1 − (n − 1) · 2·d / (n² − Σ_c n_c²), where n = 2N
    /// pairable values, n_c = a_c + b_c, and d the tokens labelled
    /// differently. `None` when there are no tokens or only one label value
    /// occurs at all (D_e = 0).
    pub fn alpha(&self) -> Option<f64> {
        let n = 2 * u128::from(self.tokens);
        let agree: u128 = self.both.iter().map(|&x| u128::from(x)).sum();
        let disagree = u128::from(self.tokens).saturating_sub(agree);
        let squares: u128 = self
            .a
            .iter()
            .zip(&self.b)
            .map(|(&a, &b)| {
                let c = u128::from(a) + u128::from(b);
                c * c
            })
            .sum();
        let expected = (n * n).saturating_sub(squares);
        if n == 0 || expected == 0 {
            return None;
        }
        let observed = (n - 1) * 2 * disagree;
        finite(expected as f64 - observed as f64, expected as f64)
    }
}

fn finite(numerator: f64, denominator: f64) -> Option<f64> {
    let value = numerator / denominator;
    value.is_finite().then_some(value)
}

/// Figures for one entity type, or for all entities together.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
    /// Span counts: precision, recall and F1 come from these.
    pub spans: SpanCounts,
    /// Word tokens compared.
    pub tokens: u64,
    /// Token-level Cohen's κ.
    pub kappa: Option<f64>,
    /// Token-level Krippendorff's α (nominal).
    pub alpha: Option<f64>,
}

impl Figures {
    fn from_counts(spans: SpanCounts, labels: &LabelCounts) -> Self {
        Self {
            spans,
            tokens: labels.tokens,
            kappa: labels.kappa(),
            alpha: labels.alpha(),
        }
    }

    /// JSON: span counts, `precision`, `recall`, `f1`, `overlap_*`,
    /// `tokens`, `kappa`, `alpha` (`null` where undefined).
    pub fn to_json(&self) -> Value {
        let mut map = self.spans.json_fields();
        map.insert("tokens".into(), json!(self.tokens));
        map.insert("kappa".into(), json!(self.kappa));
        map.insert("alpha".into(), json!(self.alpha));
        Value::Object(map)
    }
}

/// How many matched claim pairs agree on each field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldAgreement {
    /// Same claimant (see `docs/agreement.md` for when two claimants are the same).
    pub claimant: usize,
    /// Same attribution.
    pub attribution: usize,
    /// Same check-worthiness (both unset counts as the same).
    pub checkworthiness: usize,
    /// Same stance (both unset counts as the same).
    pub stance: usize,
    /// Same verdict (both unset counts as the same).
    pub verdict: usize,
}

/// Claim figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimFigures {
    /// Span counts (type is not part of a claim's match).
    pub spans: SpanCounts,
    /// Claim pairs whose fields were compared: the pairs of the overlap
    /// matching (`spans.overlap`).
    pub compared: usize,
    /// Agreeing pairs per field.
    pub agreeing: FieldAgreement,
}

impl ClaimFigures {
    /// The share of compared pairs that agree, per field, in output order;
    /// `None` when no claims were compared.
    pub fn shares(&self) -> [(&'static str, Option<f64>); 5] {
        let g = &self.agreeing;
        let share = |n| ratio(n, self.compared);
        [
            ("claimant", share(g.claimant)),
            ("attribution", share(g.attribution)),
            ("checkworthiness", share(g.checkworthiness)),
            ("stance", share(g.stance)),
            ("verdict", share(g.verdict)),
        ]
    }

    /// JSON: span counts and figures, `compared` and `agreement` per field.
    pub fn to_json(&self) -> Value {
        let mut map = self.spans.json_fields();
        map.insert("compared".into(), json!(self.compared));
        let shares: serde_json::Map<String, Value> = self
            .shares()
            .into_iter()
            .map(|(name, share)| (name.to_owned(), json!(share)))
            .collect();
        map.insert("agreement".into(), Value::Object(shares));
        Value::Object(map)
    }
}

/// The agreement of two projects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agreement {
    /// Documents compared (in both projects, matched by text).
    pub documents: usize,
    /// Documents of A considered (all, or those selected by id).
    pub documents_a: usize,
    /// Documents of B.
    pub documents_b: usize,
    /// Ids of the considered documents of A that B does not have.
    pub only_in_a: Vec<String>,
    /// Ids of B's documents that A does not have (empty when documents were
    /// selected by id: B's other documents are then out of scope).
    pub only_in_b: Vec<String>,
    /// Whether A's documents were selected by id (`--docs`).
    pub selected_by_id: bool,
    /// All entities, micro-averaged (counts summed over types), with κ and α
    /// over the full labelling.
    pub overall: Figures,
    /// Per entity type (A's schema order, then B's, then other labels), with
    /// κ and α over the binary labelling "this type or not".
    pub per_type: Vec<(String, Figures)>,
    /// Claims.
    pub claims: ClaimFigures,
}

impl Agreement {
    /// The one JSON object `gloss agree --json` prints.
    pub fn to_json(&self) -> Value {
        let per_type: serde_json::Map<String, Value> = self
            .per_type
            .iter()
            .map(|(key, f)| (key.clone(), f.to_json()))
            .collect();
        json!({
            "documents": self.documents,
            "documents_a": self.documents_a,
            "documents_b": self.documents_b,
            "only_in_a": self.only_in_a,
            "only_in_b": self.only_in_b,
            "overall": self.overall.to_json(),
            "per_type": per_type,
            "claims": self.claims.to_json(),
        })
    }

    /// A table for people; `a` and `b` name the projects.
    pub fn to_table(&self, a: &str, b: &str) -> String {
        // With --docs, A's count is of the documents it selected.
        let of_a = if self.selected_by_id {
            format!("{} of A selected by --docs", self.documents_a)
        } else {
            format!("A has {}", self.documents_a)
        };
        let mut out = format!(
            "A (reference): {a}\nB:             {b}\n{} compared (matched by text; {of_a}, B has {})\n",
            plural(self.documents, "document"),
            self.documents_b
        );
        for (side, ids) in [("A", &self.only_in_a), ("B", &self.only_in_b)] {
            if !ids.is_empty() {
                out.push_str(&format!(
                    "only in {side}: {}: {}\n",
                    plural(ids.len(), "document"),
                    ids.join(", ")
                ));
            }
        }
        let width = self
            .per_type
            .iter()
            .map(|(k, _)| k.chars().count())
            .chain([8])
            .max()
            .unwrap_or(8);
        out.push_str(&format!(
            "\n{:<width$} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6}\n",
            "entities", "A", "B", "exact", "P", "R", "F1", "overlap", "kappa", "alpha"
        ));
        let row = |name: &str, f: &Figures| {
            let s = &f.spans;
            format!(
                "{name:<width$} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6}\n",
                s.a,
                s.b,
                s.exact,
                figure(s.precision()),
                figure(s.recall()),
                figure(s.f1()),
                figure(s.overlap_f1()),
                figure(f.kappa),
                figure(f.alpha),
            )
        };
        for (key, f) in &self.per_type {
            out.push_str(&row(key, f));
        }
        out.push_str(&row("all", &self.overall));
        out.push_str(
            "(P, R, F1: exact match; overlap: overlap F1; kappa, alpha: over word tokens)\n",
        );
        let c = &self.claims.spans;
        out.push_str(&format!(
            "\n{:<width$} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>7}\n",
            "claims", "A", "B", "exact", "P", "R", "F1", "overlap"
        ));
        out.push_str(&format!(
            "{:<width$} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>7}\n",
            "spans",
            c.a,
            c.b,
            c.exact,
            figure(c.precision()),
            figure(c.recall()),
            figure(c.f1()),
            figure(c.overlap_f1()),
        ));
        out.push_str(&format!(
            "\nfields agreeing, of {} matched:\n",
            plural(self.claims.compared, "claim")
        ));
        for (name, share) in self.claims.shares() {
            out.push_str(&format!("  {name:<16}{:>6}\n", figure(share)));
        }
        out
    }
}

/// A figure with three decimals, `-` when undefined.
fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

/// Compares `b` against the reference `a`.
pub fn agree(a: &Project, b: &Project, options: &AgreeOptions) -> Result<Agreement, AgreeError> {
    let selected: Vec<&Document> = if options.doc_ids.is_empty() {
        a.documents.iter().map(|d| &**d).collect()
    } else {
        let wanted: HashSet<&str> = options.doc_ids.iter().map(String::as_str).collect();
        let known: HashSet<&str> = a.documents.iter().map(|d| d.id.as_str()).collect();
        let mut unknown: Vec<String> = options
            .doc_ids
            .iter()
            .filter(|id| !known.contains(id.as_str()))
            .cloned()
            .collect();
        unknown.dedup();
        if !unknown.is_empty() {
            return Err(AgreeError::UnknownDocuments(unknown));
        }
        a.documents
            .iter()
            .filter(|d| wanted.contains(d.id.as_str()))
            .map(|d| &**d)
            .collect()
    };
    let pairs = match_documents(&selected, &b.documents, options.doc_ids.is_empty());

    let types = type_keys(a, b);
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i + 1))
        .collect();
    // Label 0 is O; type i of `types` is label i + 1.
    let mut spans = vec![SpanCounts::default(); types.len() + 1];
    let mut labels = LabelCounts::new(types.len() + 1);
    let mut claims = ClaimFigures::default();
    let mut scratch = Scratch::default();
    for (da, db) in &pairs.matched {
        compare_entities(da, db, &index, &mut spans, &mut labels, &mut scratch);
        compare_claims(da, db, &mut claims);
    }

    let mut overall_spans = SpanCounts::default();
    for s in &spans {
        overall_spans.add(*s);
    }
    let per_type = types
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let label = i + 1;
            let s = spans.get(label).copied().unwrap_or_default();
            (key.clone(), Figures::from_counts(s, &labels.binary(label)))
        })
        .collect();
    Ok(Agreement {
        documents: pairs.matched.len(),
        documents_a: selected.len(),
        documents_b: b.documents.len(),
        only_in_a: pairs.only_in_a,
        only_in_b: pairs.only_in_b,
        selected_by_id: !options.doc_ids.is_empty(),
        overall: Figures::from_counts(overall_spans, &labels),
        per_type,
        claims,
    })
}

/// Documents paired by content hash.
struct DocumentPairs<'p> {
    matched: Vec<(&'p Document, &'p Document)>,
    only_in_a: Vec<String>,
    only_in_b: Vec<String>,
}

/// Pairs documents with the same content hash, in A's order. A text that
/// occurs several times on a side pairs its copies in order.
fn match_documents<'p>(
    a: &[&'p Document],
    b: &'p [std::sync::Arc<Document>],
    name_unmatched_b: bool,
) -> DocumentPairs<'p> {
    let mut by_hash: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, doc) in b.iter().enumerate().rev() {
        by_hash
            .entry(doc.content_hash.as_str())
            .or_default()
            .push(i);
    }
    let mut used = vec![false; b.len()];
    let mut pairs = DocumentPairs {
        matched: Vec::new(),
        only_in_a: Vec::new(),
        only_in_b: Vec::new(),
    };
    for &da in a {
        // Indices were pushed in reverse, so `pop` gives B's order.
        let found = by_hash
            .get_mut(da.content_hash.as_str())
            .and_then(Vec::pop)
            .and_then(|i| Some((i, &**b.get(i)?)));
        match found {
            Some((i, db)) => {
                if let Some(flag) = used.get_mut(i) {
                    *flag = true;
                }
                pairs.matched.push((da, db));
            }
            None => pairs.only_in_a.push(da.id.clone()),
        }
    }
    if name_unmatched_b {
        pairs.only_in_b = b
            .iter()
            .zip(&used)
            .filter(|(_, used)| !**used)
            .map(|(d, _)| d.id.clone())
            .collect();
    }
    pairs
}

/// Entity type keys: A's schema order, then B's schema types A lacks, then
/// labels used by annotations that neither schema has (sorted).
fn type_keys(a: &Project, b: &Project) -> Vec<String> {
    type_keys_of(&[a, b])
}

/// [`type_keys`] of any number of projects, in their order.
pub(crate) fn type_keys_of(projects: &[&Project]) -> Vec<String> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut keys = Vec::new();
    for t in projects.iter().flat_map(|p| &p.schema.entity_types) {
        if seen.insert(t.key.as_str()) {
            keys.push(t.key.clone());
        }
    }
    let extra: BTreeSet<&str> = projects
        .iter()
        .flat_map(|p| &p.documents)
        .flat_map(|d| &d.entities)
        .map(|e| e.label.as_str())
        .filter(|l| !seen.contains(l))
        .collect();
    keys.extend(extra.into_iter().map(str::to_owned));
    keys
}

/// Buffers reused across documents.
#[derive(Default)]
struct Scratch {
    a: Vec<(usize, usize, usize)>,
    b: Vec<(usize, usize, usize)>,
    tokens: Vec<(usize, usize)>,
    labels_a: Vec<usize>,
    labels_b: Vec<usize>,
}

/// Adds one document pair's entity span counts and token labels.
fn compare_entities(
    da: &Document,
    db: &Document,
    index: &HashMap<&str, usize>,
    spans: &mut [SpanCounts],
    labels: &mut LabelCounts,
    scratch: &mut Scratch,
) {
    let keys = |doc: &Document, out: &mut Vec<(usize, usize, usize)>| {
        out.clear();
        out.extend(
            doc.entities
                .iter()
                .filter_map(|e| Some((*index.get(e.label.as_str())?, e.start, e.end))),
        );
        out.sort_unstable();
    };
    keys(da, &mut scratch.a);
    keys(db, &mut scratch.b);

    // Sorted by (label, start, end): each label is one run on each side.
    let (mut i, mut j) = (0, 0);
    while i < scratch.a.len() || j < scratch.b.len() {
        let label = match (scratch.a.get(i), scratch.b.get(j)) {
            (Some(x), Some(y)) => x.0.min(y.0),
            (Some(x), None) => x.0,
            (None, Some(y)) => y.0,
            (None, None) => break,
        };
        let run = |v: &[(usize, usize, usize)], from: usize| {
            from + v
                .get(from..)
                .map_or(0, |rest| rest.iter().take_while(|k| k.0 == label).count())
        };
        let (i_end, j_end) = (run(&scratch.a, i), run(&scratch.b, j));
        let to_spans = |v: &[(usize, usize, usize)], from, to| -> Vec<(usize, usize)> {
            v.get(from..to)
                .unwrap_or_default()
                .iter()
                .map(|k| (k.1, k.2))
                .collect()
        };
        let (sa, sb) = (
            to_spans(&scratch.a, i, i_end),
            to_spans(&scratch.b, j, j_end),
        );
        if let Some(counts) = spans.get_mut(label) {
            counts.add(SpanCounts {
                a: sa.len(),
                b: sb.len(),
                exact: exact_matches(&sa, &sb),
                overlap: overlap_matching(&sa, &sb).len(),
            });
        }
        (i, j) = (i_end, j_end);
    }

    word_tokens(&da.text, &mut scratch.tokens);
    token_labels(&scratch.tokens, &scratch.a, &mut scratch.labels_a);
    token_labels(&scratch.tokens, &scratch.b, &mut scratch.labels_b);
    for (&la, &lb) in scratch.labels_a.iter().zip(&scratch.labels_b) {
        labels.add(la, lb);
    }
}

/// Pairs with the same span in two lists sorted by (start, end): the size of
/// their multiset intersection.
pub fn exact_matches(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// A maximum one-to-one matching between spans of `a` and spans of `b` where
/// a pair must overlap (share at least one code point: `a.start < b.end` and
/// `b.start < a.end`). Returns index pairs `(i in a, j in b)`.
///
/// Greedy and optimal: A's spans in order of end (then start, then index)
/// each take the unmatched overlapping span of B that ends first (then starts
/// first, then comes first). Taking the B span that ends first never blocks a
/// later A span that another choice would have left free (an exchange
/// argument, in `docs/agreement.md`), so the matching is as large as
/// possible. O(n log n).
pub fn overlap_matching(a: &[(usize, usize)], b: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut a_order: Vec<(usize, usize, usize)> =
        a.iter().enumerate().map(|(i, &(s, e))| (e, s, i)).collect();
    a_order.sort_unstable();
    let mut b_order: Vec<(usize, usize, usize)> =
        b.iter().enumerate().map(|(j, &(s, e))| (s, e, j)).collect();
    b_order.sort_unstable();
    // Unmatched B spans that start before the current A span ends, by (end, start, index).
    let mut open: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
    let mut next = 0;
    let mut pairs = Vec::new();
    for (a_end, a_start, i) in a_order {
        while let Some(&(s, e, j)) = b_order.get(next)
            && s < a_end
        {
            open.insert((e, s, j));
            next += 1;
        }
        // The first open span ending after this one starts overlaps it.
        let first = open
            .range((a_start.saturating_add(1), 0, 0)..)
            .next()
            .copied();
        if let Some(key) = first {
            open.remove(&key);
            pairs.push((i, key.2));
        }
    }
    pairs
}

/// Word tokens of `text` as code-point spans: the words of Gloss's one word
/// definition ([`crate::model::words`]: UAX #29 word bounds, dictionary
/// words in Chinese, Japanese and Thai) that hold a letter or digit, so
/// whitespace, punctuation and emoji on their own are not tokens.
pub fn word_tokens(text: &str, out: &mut Vec<(usize, usize)>) {
    crate::model::words::word_spans(text, out);
}

/// An entity ordered innermost first (in a min-heap): length, later start,
/// label; then its end, to drop it once tokens are past it.
type Innermost = (usize, Reverse<usize>, usize, usize);

/// The label of each token: that of the innermost entity covering it, or 0
/// (O). An entity covers a token when they share at least one code point;
/// the innermost is the shortest, then the one starting last, then the lowest
/// label. `entities` are `(label, start, end)` and `tokens` ascending,
/// non-overlapping spans.
pub(crate) fn token_labels(
    tokens: &[(usize, usize)],
    entities: &[(usize, usize, usize)],
    out: &mut Vec<usize>,
) {
    out.clear();
    let mut by_start: Vec<(usize, usize, usize)> =
        entities.iter().map(|&(l, s, e)| (s, e, l)).collect();
    by_start.sort_unstable();
    // Entities that start before the current token ends, innermost on top;
    // those that end before it starts are dropped lazily (they cannot cover
    // any later token either).
    let mut active: BinaryHeap<Reverse<Innermost>> = BinaryHeap::new();
    let mut next = 0;
    for &(t_start, t_end) in tokens {
        while let Some(&(s, e, l)) = by_start.get(next)
            && s < t_end
        {
            if e > s {
                active.push(Reverse((e - s, Reverse(s), l, e)));
            }
            next += 1;
        }
        while let Some(Reverse((_, _, _, e))) = active.peek()
            && *e <= t_start
        {
            active.pop();
        }
        out.push(active.peek().map_or(0, |Reverse((_, _, l, _))| *l));
    }
}

/// Adds one document pair's claim counts and field agreement.
fn compare_claims(da: &Document, db: &Document, figures: &mut ClaimFigures) {
    let spans = |d: &Document| -> Vec<(usize, usize)> {
        let mut v: Vec<(usize, usize)> = d.claims.iter().map(|c| (c.start, c.end)).collect();
        v.sort_unstable();
        v
    };
    let (sa, sb) = (spans(da), spans(db));
    let pairs = overlap_matching(
        &da.claims
            .iter()
            .map(|c| (c.start, c.end))
            .collect::<Vec<_>>(),
        &db.claims
            .iter()
            .map(|c| (c.start, c.end))
            .collect::<Vec<_>>(),
    );
    figures.spans.add(SpanCounts {
        a: sa.len(),
        b: sb.len(),
        exact: exact_matches(&sa, &sb),
        overlap: pairs.len(),
    });
    for (i, j) in pairs {
        let (Some(ca), Some(cb)) = (da.claims.get(i), db.claims.get(j)) else {
            continue;
        };
        figures.compared += 1;
        let g = &mut figures.agreeing;
        g.claimant += usize::from(same_claimant(ca, da, cb, db));
        g.attribution += usize::from(ca.attribution == cb.attribution);
        g.checkworthiness += usize::from(ca.checkworthiness == cb.checkworthiness);
        g.stance += usize::from(ca.stance == cb.stance);
        g.verdict += usize::from(ca.verdict == cb.verdict);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Maximum matching by trying every assignment (small inputs only).
    fn brute_force(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
        fn go(a: &[(usize, usize)], b: &[(usize, usize)], used: &mut Vec<bool>) -> usize {
            let Some((&(s, e), rest)) = a.split_first() else {
                return 0;
            };
            let mut best = go(rest, b, used);
            for (j, &(bs, be)) in b.iter().enumerate() {
                if !used[j] && s < be && bs < e {
                    used[j] = true;
                    best = best.max(1 + go(rest, b, used));
                    used[j] = false;
                }
            }
            best
        }
        go(a, b, &mut vec![false; b.len()])
    }

    fn spans() -> impl Strategy<Value = Vec<(usize, usize)>> {
        prop::collection::vec((0usize..20, 1usize..6).prop_map(|(s, l)| (s, s + l)), 0..6)
    }

    proptest! {
        #[test]
        fn greedy_overlap_matching_is_maximum(a in spans(), b in spans()) {
            let pairs = overlap_matching(&a, &b);
            prop_assert_eq!(pairs.len(), brute_force(&a, &b));
            // One to one, and every pair overlaps.
            let mut seen_a = HashSet::new();
            let mut seen_b = HashSet::new();
            for (i, j) in pairs {
                prop_assert!(seen_a.insert(i) && seen_b.insert(j));
                prop_assert!(a[i].0 < b[j].1 && b[j].0 < a[i].1);
            }
        }
    }

    #[test]
    fn greedy_beats_exact_first() {
        // Pairing the exact match A0–B0 first would leave A1 alone; the
        // maximum pairs A1–B0 and A0–B1.
        let a = [(0, 10), (0, 3)];
        let b = [(0, 10), (9, 15)];
        assert_eq!(overlap_matching(&a, &b).len(), 2);
    }

    #[test]
    fn tokens_are_words_in_code_points() {
        let mut out = Vec::new();
        // "😀" is one code point and no word; "U.S" is one word (UAX #29
        // keeps a full stop between letters), the last full stop is not.
        word_tokens("Kim 😀 met U.S. envoys, 2023.", &mut out);
        assert_eq!(out, vec![(0, 3), (6, 9), (10, 13), (15, 21), (23, 27)]);
    }

    #[test]
    fn innermost_entity_labels_a_token() {
        // Tokens of "North Korea leader Kim": the ORG covers all four words,
        // the GPE "North Korea" is inside it, the PER "Kim" too.
        let tokens = [(0, 5), (6, 11), (12, 18), (19, 22)];
        let entities = [(2, 0, 22), (1, 0, 11), (3, 19, 22)];
        let mut out = Vec::new();
        token_labels(&tokens, &entities, &mut out);
        assert_eq!(out, vec![1, 1, 2, 3]);
        // A span that ends inside a word still labels that word.
        token_labels(&tokens, &[(4, 13, 14)], &mut out);
        assert_eq!(out, vec![0, 0, 4, 0]);
    }

    #[test]
    fn kappa_and_alpha_by_hand() {
        // A: X X Y Y, B: X Y Y Y.
        let c = LabelCounts::from_pairs(2, [(0, 0), (0, 1), (1, 1), (1, 1)]);
        // p_o = 3/4; p_e = (2/4)(1/4) + (2/4)(3/4) = 8/16 = 1/2.
        let kappa = (3.0 / 4.0 - 0.5) / (1.0 - 0.5);
        assert!((c.kappa().unwrap() - kappa).abs() < 1e-12);
        // n = 8, n_X = 3, n_Y = 5, d = 1: α = 1 − 7·2·1 / (64 − 9 − 25) = 1 − 14/30.
        let alpha = 1.0 - 14.0 / 30.0;
        assert!((c.alpha().unwrap() - alpha).abs() < 1e-12);
    }

    #[test]
    fn one_label_throughout_is_undefined() {
        let c = LabelCounts::from_pairs(2, [(0, 0), (0, 0)]);
        assert_eq!(c.kappa(), None);
        assert_eq!(c.alpha(), None);
        assert_eq!(LabelCounts::new(3).kappa(), None);
        assert_eq!(LabelCounts::new(3).alpha(), None);
    }
}
