//! Agreement between two annotators' projects: figures worked out by hand on
//! small fixtures, κ and α against an independent reference implementation,
//! properties over generated projects, and `gloss agree` run as a user runs it.

use gloss::model::{
    Attribution, CheckWorthiness, Claim, Claimant, Document, Entity, Project, Verdict,
};
use gloss::review::agree::{AgreeError, AgreeOptions, Agreement, Figures, agree};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

use crate::common::{gloss, stderr, stdout, temp_dir};

const EPS: f64 = 1e-12;

fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < EPS)
}

#[track_caller]
fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
    assert!(
        close(actual, expected),
        "{what}: got {actual:?}, expected {expected}"
    );
}

/// Code-point span of the `nth` occurrence of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let (byte, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn entity(doc: &mut Document, label: &str, quote: &str, nth: usize) {
    let (start, end) = find(&doc.text, quote, nth);
    let id = doc.next_id("e");
    doc.entities
        .push(Entity::new(id, label, start, end, quote.to_owned()));
}

fn project(name: &str, documents: Vec<Document>) -> Project {
    let mut p = Project::new(name);
    p.documents = documents.into_iter().map(std::sync::Arc::new).collect();
    p
}

fn figures<'a>(agreement: &'a Agreement, key: &str) -> &'a Figures {
    &agreement
        .per_type
        .iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no type {key}"))
        .1
}

/// An emoji before the entities: offsets count code points, so it moves
/// every span by two (it and the space), not by five bytes.
const ENTITY_TEXT: &str = "🚀 Kim Jong Un met Putin in Vladivostok on Monday.";

/// A and B annotate the same sentence:
///
/// | words       | A    | B    |
/// |-------------|------|------|
/// | Kim Jong Un | PER  | PER "Kim Jong" only |
/// | Putin       | PER  | PER  |
/// | Vladivostok | GPE  | LOC  |
/// | Monday      | DATE | DATE |
fn entity_fixture() -> (Project, Project) {
    let mut a = Document::new("d1", "Summit", ENTITY_TEXT);
    entity(&mut a, "PER", "Kim Jong Un", 0);
    entity(&mut a, "PER", "Putin", 0);
    entity(&mut a, "GPE", "Vladivostok", 0);
    entity(&mut a, "DATE", "Monday", 0);
    let mut b = Document::new("d1", "Summit", ENTITY_TEXT);
    entity(&mut b, "PER", "Kim Jong", 0);
    entity(&mut b, "PER", "Putin", 0);
    entity(&mut b, "LOC", "Vladivostok", 0);
    entity(&mut b, "DATE", "Monday", 0);
    (project("A", vec![a]), project("B", vec![b]))
}

#[test]
fn entity_figures_match_the_hand_computation() {
    let (a, b) = entity_fixture();
    let r = agree(&a, &b, &AgreeOptions::default()).unwrap();
    assert_eq!(r.documents, 1);

    // PER: A {Kim Jong Un, Putin}, B {Kim Jong, Putin}: Putin is exact,
    // the Kims only overlap.
    let per = figures(&r, "PER");
    assert_eq!((per.spans.a, per.spans.b, per.spans.exact), (2, 2, 1));
    assert_close(per.spans.precision(), 1.0 / 2.0, "PER precision");
    assert_close(per.spans.recall(), 1.0 / 2.0, "PER recall");
    assert_close(per.spans.f1(), 2.0 * 1.0 / (2.0 + 2.0), "PER F1");
    assert_close(
        per.spans.overlap_f1(),
        2.0 * 2.0 / (2.0 + 2.0),
        "PER overlap F1",
    );

    // GPE only in A: precision undefined (B has none), recall 0, F1 0.
    let gpe = figures(&r, "GPE");
    assert_eq!(gpe.spans.precision(), None);
    assert_close(gpe.spans.recall(), 0.0, "GPE recall");
    assert_close(gpe.spans.f1(), 0.0, "GPE F1");
    // LOC only in B: recall undefined.
    let loc = figures(&r, "LOC");
    assert_close(loc.spans.precision(), 0.0, "LOC precision");
    assert_eq!(loc.spans.recall(), None);
    // ORG: nobody used it; everything undefined.
    let org = figures(&r, "ORG");
    assert_eq!(org.spans.precision(), None);
    assert_eq!(org.spans.recall(), None);
    assert_eq!(org.spans.f1(), None);
    assert_eq!(org.spans.overlap_f1(), None);
    assert_eq!(org.kappa, None);
    assert_eq!(org.alpha, None);

    // Overall, micro: A 4, B 4, exact 2 (Putin, Monday), overlap 3 (+ Kim).
    let all = &r.overall;
    assert_eq!((all.spans.a, all.spans.b), (4, 4));
    assert_close(all.spans.precision(), 2.0 / 4.0, "precision");
    assert_close(all.spans.recall(), 2.0 / 4.0, "recall");
    assert_close(all.spans.f1(), 2.0 * 2.0 / (4.0 + 4.0), "F1");
    assert_close(
        all.spans.overlap_f1(),
        2.0 * 3.0 / (4.0 + 4.0),
        "overlap F1",
    );

    // Tokens (the emoji and the full stop are not words):
    //   Kim Jong Un met Putin in Vladivostok on Monday   (N = 9)
    // A PER PER  PER O   PER   O  GPE         O  DATE
    // B PER PER  O   O   PER   O  LOC         O  DATE
    // Agree on 7. A: PER 4, O 3, GPE 1, DATE 1. B: PER 3, O 4, LOC 1, DATE 1.
    assert_eq!(all.tokens, 9);
    let p_o = 7.0 / 9.0;
    let p_e = (4.0 * 3.0 + 3.0 * 4.0 + 1.0 * 0.0 + 0.0 * 1.0 + 1.0 * 1.0) / 81.0;
    assert_close(all.kappa, (p_o - p_e) / (1.0 - p_e), "kappa");
    assert_close(all.kappa, 19.0 / 28.0, "kappa as a fraction");
    // α: n = 18 values; n_PER = 7, n_O = 7, n_GPE = 1, n_LOC = 1, n_DATE = 2;
    // 2 tokens disagree. D_o = 2·2/18; D_e = (18² − (49+49+1+1+4)) / (18·17).
    let d_o = 2.0 * 2.0 / 18.0;
    let d_e = (18.0 * 18.0 - (49.0 + 49.0 + 1.0 + 1.0 + 4.0)) / (18.0 * 17.0);
    assert_close(all.alpha, 1.0 - d_o / d_e, "alpha");
    assert_close(all.alpha, 38.0 / 55.0, "alpha as a fraction");

    // PER vs not: A PER on 4 tokens, B on 3, both on 3 (Kim, Jong, Putin),
    // neither on 9 − 4 − 3 + 3 = 5.
    let p_o = (3.0 + 5.0) / 9.0;
    let p_e = (4.0 * 3.0 + 5.0 * 6.0) / 81.0;
    assert_close(per.kappa, (p_o - p_e) / (1.0 - p_e), "PER kappa");
    // n_PER = 7, n_not = 11, 1 token disagrees.
    let d_o = 2.0 * 1.0 / 18.0;
    let d_e = 2.0 * 7.0 * 11.0 / (18.0 * 17.0);
    assert_close(per.alpha, 1.0 - d_o / d_e, "PER alpha");
    assert_close(per.alpha, 60.0 / 77.0, "PER alpha as a fraction");
}

#[test]
fn kappa_and_alpha_agree_with_the_reference_implementation_on_the_fixture() {
    let (a, b) = entity_fixture();
    let r = agree(&a, &b, &AgreeOptions::default()).unwrap();
    let (la, lb) = reference::labels(&a, &b);
    assert_eq!(la.len(), 9);
    assert_close(
        r.overall.kappa,
        reference::kappa(&la, &lb).unwrap(),
        "kappa",
    );
    assert_close(
        r.overall.alpha,
        reference::alpha(&la, &lb).unwrap(),
        "alpha",
    );
    let per = |l: &[String]| -> Vec<String> {
        l.iter()
            .map(|x| if x == "PER" { "PER" } else { "-" }.to_owned())
            .collect()
    };
    let f = figures(&r, "PER");
    assert_close(
        f.kappa,
        reference::kappa(&per(&la), &per(&lb)).unwrap(),
        "PER kappa",
    );
    assert_close(
        f.alpha,
        reference::alpha(&per(&la), &per(&lb)).unwrap(),
        "PER alpha",
    );
}

const CLAIM_TEXT: &str =
    "The minister said the talks are advancing, and officials said the deal is done.";

fn claim(doc: &mut Document, quote: &str, claimant: &str) -> usize {
    let (start, end) = find(&doc.text, quote, 0);
    let mut c = Claim::new(doc.next_id("c"), start, end, quote.to_owned());
    c.claimant = Some(Claimant::Text(claimant.into()));
    c.checkworthiness = Some(CheckWorthiness::CheckWorthy);
    doc.claims.push(c);
    doc.claims.len() - 1
}

/// A: two claims. B: the first exactly (another attribution), the second
/// without "the " (another check-worthiness and verdict), and one more.
fn claim_fixture() -> (Project, Project) {
    let mut a = Document::new("d2", "Talks", CLAIM_TEXT);
    let i = claim(&mut a, "the talks are advancing", "the minister");
    a.claims[i].verdict = Some(Verdict::NotEnoughInfo);
    claim(&mut a, "the deal is done", "officials");

    let mut b = Document::new("d2", "Talks", CLAIM_TEXT);
    let i = claim(&mut b, "the talks are advancing", "the minister");
    b.claims[i].verdict = Some(Verdict::NotEnoughInfo);
    b.claims[i].attribution = Attribution::DirectQuote;
    let i = claim(&mut b, "deal is done", " officials ");
    b.claims[i].checkworthiness = Some(CheckWorthiness::Unimportant);
    b.claims[i].verdict = Some(Verdict::Refutes);
    claim(&mut b, "The minister", "nobody");
    (project("A", vec![a]), project("B", vec![b]))
}

#[test]
fn claim_figures_match_the_hand_computation() {
    let (a, b) = claim_fixture();
    let r = agree(&a, &b, &AgreeOptions::default()).unwrap();
    let c = &r.claims;
    // A 2, B 3; exact 1 ("the talks are advancing"); overlap 2.
    assert_eq!(
        (c.spans.a, c.spans.b, c.spans.exact, c.spans.overlap),
        (2, 3, 1, 2)
    );
    assert_close(c.spans.precision(), 1.0 / 3.0, "precision");
    assert_close(c.spans.recall(), 1.0 / 2.0, "recall");
    assert_close(c.spans.f1(), 2.0 * 1.0 / (2.0 + 3.0), "F1");
    assert_close(c.spans.overlap_precision(), 2.0 / 3.0, "overlap precision");
    assert_close(c.spans.overlap_recall(), 2.0 / 2.0, "overlap recall");
    assert_close(c.spans.overlap_f1(), 2.0 * 2.0 / (2.0 + 3.0), "overlap F1");
    // Two matched pairs: claimants agree on both (free text compared
    // trimmed), attribution on 1, check-worthiness on 1, stance on both
    // (unset on both), verdict on 1.
    assert_eq!(c.compared, 2);
    let shares: Vec<(&str, Option<f64>)> = c.shares().to_vec();
    let expect = [
        ("claimant", 2.0 / 2.0),
        ("attribution", 1.0 / 2.0),
        ("checkworthiness", 1.0 / 2.0),
        ("stance", 2.0 / 2.0),
        ("verdict", 1.0 / 2.0),
    ];
    for ((name, share), (expected_name, expected)) in shares.into_iter().zip(expect) {
        assert_eq!(name, expected_name);
        assert_close(share, expected, name);
    }
    // No entities on either side: every token is O, so κ and α are undefined.
    assert_eq!(r.overall.kappa, None);
    assert_eq!(r.overall.alpha, None);
    assert_eq!(r.overall.spans.f1(), None);
    assert_eq!(r.overall.tokens, 14);
}

#[test]
fn provenance_does_not_change_the_figures() {
    let (a, b) = claim_fixture();
    let plain = agree(&a, &b, &AgreeOptions::default()).unwrap();
    // A tags two mentions and B the same two, each with its own annotator
    // and times, and every claim carries provenance too.
    let stamp = |project: &mut Project, who: &str, when: &str| {
        let doc = std::sync::Arc::make_mut(&mut project.documents[0]);
        for (id, label, word) in [("e1", "PER", "minister"), ("e2", "ORG", "officials")] {
            let (start, end) = find(CLAIM_TEXT, word, 0);
            let mut e = Entity::new(id, label, start, end, word);
            e.annotator = Some(who.into());
            e.modified = Some(when.into());
            doc.entities.push(e);
        }
        for c in &mut doc.claims {
            c.annotator = Some(who.into());
            c.modified = Some(when.into());
        }
    };
    let (mut a2, mut b2) = (a.clone(), b.clone());
    stamp(&mut a2, "ana", "2026-11-28T09:00:00Z");
    stamp(&mut b2, "ben", "2026-11-29T23:59:59Z");
    let stamped = agree(&a2, &b2, &AgreeOptions::default()).unwrap();
    assert_eq!(
        stamped.claims, plain.claims,
        "claims compare without provenance"
    );
    assert_eq!(stamped.overall.spans.exact, 2);
    assert_close(stamped.overall.spans.f1(), 1.0, "F1");
}

#[test]
fn claimants_compare_by_mention_span_or_text_not_by_id() {
    let text = "Watson said the talks are advancing.";
    let make = |entity_id: &str, claimant: Claimant| {
        let mut doc = Document::new("d", "t", text);
        let (s, e) = find(text, "Watson", 0);
        doc.entities
            .push(Entity::new(entity_id, "PER", s, e, "Watson"));
        let (s, e) = find(text, "the talks are advancing", 0);
        let mut c = Claim::new("c1", s, e, "the talks are advancing");
        c.claimant = Some(claimant);
        doc.claims.push(c);
        project("p", vec![doc])
    };
    let a = make("e1", Claimant::Entity("e1".into()));
    // Another id for the same mention: the same claimant.
    let b = make("T7", Claimant::Entity("T7".into()));
    let r = agree(&a, &b, &AgreeOptions::default()).unwrap();
    assert_eq!(r.claims.agreeing.claimant, 1);
    // The mention's text as free text: the same claimant.
    let c = make("e1", Claimant::Text("Watson".into()));
    let r = agree(&a, &c, &AgreeOptions::default()).unwrap();
    assert_eq!(r.claims.agreeing.claimant, 1);
    // Someone else.
    let d = make("e1", Claimant::Text("Kirby".into()));
    let r = agree(&a, &d, &AgreeOptions::default()).unwrap();
    assert_eq!((r.claims.compared, r.claims.agreeing.claimant), (1, 0));
}

#[test]
fn documents_are_matched_by_content_hash_not_id_or_title() {
    let (a, b) = entity_fixture();
    let (ca, cb) = claim_fixture();
    let only_a = Document::new("only-a", "Only in A", "Text that B never saw.");
    let only_b = Document::new("d1", "Summit", "Text that A never saw, with A's id.");
    let mut a_docs: Vec<Document> = a.documents.iter().map(|d| Document::clone(d)).collect();
    a_docs.extend(ca.documents.iter().map(|d| Document::clone(d)));
    a_docs.push(only_a);
    // B: other ids and titles, another order, and a document with A's first
    // id but another text.
    let mut b1 = Document::clone(&b.documents[0]);
    b1.id = "zeta".into();
    b1.title = "Another title".into();
    let mut b2 = Document::clone(&cb.documents[0]);
    b2.id = "alpha".into();
    b2.title = "Summit".into();
    let b_docs = vec![only_b, b2, b1];
    let a = project("A", a_docs);
    let b = project("B", b_docs);
    let r = agree(&a, &b, &AgreeOptions::default()).unwrap();
    assert_eq!(r.documents, 2);
    assert_eq!((r.documents_a, r.documents_b), (3, 3));
    assert_eq!(r.only_in_a, vec!["only-a".to_owned()]);
    assert_eq!(r.only_in_b, vec!["d1".to_owned()]);
    // The figures are those of the two fixtures together.
    assert_close(r.overall.spans.f1(), 2.0 * 2.0 / (4.0 + 4.0), "entity F1");
    assert_close(r.claims.spans.f1(), 2.0 * 1.0 / (2.0 + 3.0), "claim F1");

    // --docs: only A's "d1" (B's "d1" is another text and is not compared).
    let options = AgreeOptions {
        doc_ids: vec!["d1".into()],
    };
    let r = agree(&a, &b, &options).unwrap();
    assert_eq!((r.documents, r.documents_a), (1, 1));
    assert!(r.only_in_a.is_empty() && r.only_in_b.is_empty());
    assert_eq!(r.claims.spans.a, 0);
    assert_close(r.overall.kappa, 19.0 / 28.0, "kappa of d1 alone");
    let options = AgreeOptions {
        doc_ids: vec!["d1".into(), "nope".into()],
    };
    assert_eq!(
        agree(&a, &b, &options),
        Err(AgreeError::UnknownDocuments(vec!["nope".into()]))
    );
}

/// A second, straightforward computation: tokens and labels by brute force,
/// κ from a full confusion matrix and α from a coincidence matrix.
// Index loops on purpose: the reference reads like the textbook formulas.
#[allow(clippy::needless_range_loop)]
mod reference {
    use super::*;

    /// Token labels of both projects' first documents: for each word token,
    /// the label of the shortest entity sharing a code point with it (ties:
    /// the later start, then the type that comes first in A's schema), or "O".
    pub fn labels(a: &Project, b: &Project) -> (Vec<String>, Vec<String>) {
        let doc_a = &a.documents[0];
        let doc_b = &b.documents[0];
        let chars: Vec<char> = doc_a.text.chars().collect();
        let mut tokens = Vec::new();
        let mut pos = 0;
        for word in doc_a.text.split_word_bounds() {
            let len = word.chars().count();
            if word.chars().any(|c| c.is_alphanumeric()) {
                tokens.push((pos, pos + len));
            }
            pos += len;
        }
        assert_eq!(pos, chars.len());
        let rank = |key: &str| a.schema.entity_types.iter().position(|t| t.key == key);
        let label = |doc: &Document, (ts, te): (usize, usize)| -> String {
            let mut best: Option<&Entity> = None;
            for e in &doc.entities {
                if e.start < te && ts < e.end {
                    let better = match best {
                        None => true,
                        Some(b) => {
                            let (l, bl) = (e.end - e.start, b.end - b.start);
                            l < bl
                                || (l == bl && e.start > b.start)
                                || (l == bl
                                    && e.start == b.start
                                    && rank(&e.label) < rank(&b.label))
                        }
                    };
                    if better {
                        best = Some(e);
                    }
                }
            }
            best.map_or("O".to_owned(), |e| e.label.to_string())
        };
        let la = tokens.iter().map(|t| label(doc_a, *t)).collect();
        let lb = tokens.iter().map(|t| label(doc_b, *t)).collect();
        (la, lb)
    }

    fn categories(a: &[String], b: &[String]) -> Vec<String> {
        let mut all: Vec<String> = a.iter().chain(b).cloned().collect();
        all.sort();
        all.dedup();
        all
    }

    pub fn kappa(a: &[String], b: &[String]) -> Option<f64> {
        let cats = categories(a, b);
        let k = cats.len();
        let n = a.len();
        let mut matrix = vec![vec![0.0f64; k]; k];
        for t in 0..n {
            let i = cats.iter().position(|c| *c == a[t]).unwrap();
            let j = cats.iter().position(|c| *c == b[t]).unwrap();
            matrix[i][j] += 1.0;
        }
        let total = n as f64;
        let mut observed = 0.0;
        for i in 0..k {
            observed += matrix[i][i];
        }
        observed /= total;
        let mut expected = 0.0;
        for i in 0..k {
            let mut row = 0.0;
            let mut col = 0.0;
            for j in 0..k {
                row += matrix[i][j];
                col += matrix[j][i];
            }
            expected += (row / total) * (col / total);
        }
        if n == 0 || (1.0 - expected).abs() < 1e-15 {
            return None;
        }
        Some((observed - expected) / (1.0 - expected))
    }

    pub fn alpha(a: &[String], b: &[String]) -> Option<f64> {
        let cats = categories(a, b);
        let k = cats.len();
        // Coincidence matrix: each unit with two values adds both ordered
        // pairs, weighted 1 / (m_u − 1) = 1.
        let mut o = vec![vec![0.0f64; k]; k];
        for t in 0..a.len() {
            let i = cats.iter().position(|c| *c == a[t]).unwrap();
            let j = cats.iter().position(|c| *c == b[t]).unwrap();
            o[i][j] += 1.0;
            o[j][i] += 1.0;
        }
        let mut n_c = vec![0.0; k];
        let mut n = 0.0;
        for i in 0..k {
            for j in 0..k {
                n_c[i] += o[i][j];
                n += o[i][j];
            }
        }
        let mut d_o = 0.0;
        let mut d_e = 0.0;
        for i in 0..k {
            for j in 0..k {
                if i != j {
                    d_o += o[i][j];
                    d_e += n_c[i] * n_c[j];
                }
            }
        }
        if n == 0.0 || d_e == 0.0 {
            return None;
        }
        d_o /= n;
        d_e /= n * (n - 1.0);
        Some(1.0 - d_o / d_e)
    }
}

// ---- Properties over generated projects ----

const WORDS: &[&str] = &[
    "Kim", "met", "Putin", "in", "Moscow", "😀", "دمشق", "on", "2023", ",",
];
const LABELS: &[&str] = &["PER", "ORG", "GPE"];

/// A one-document project on `text` with entities `(start, len, label)`
/// (clamped into the text).
fn generated(text: &str, entities: &[(usize, usize, usize)]) -> Project {
    let mut doc = Document::new("g", "generated", text);
    let len = doc.text.chars().count();
    for &(start, span, label) in entities {
        let start = start % len.max(1);
        let end = (start + span).min(len);
        if let Some((s, e, quote)) = doc.span(start, end) {
            let id = doc.next_id("e");
            doc.entities
                .push(Entity::new(id, LABELS[label], s, e, quote));
        }
    }
    project("generated", vec![doc])
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(0..WORDS.len(), 1..30)
        .prop_map(|ws| ws.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" "))
}

fn entities_strategy() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0usize..200, 1usize..15, 0..LABELS.len()), 0..12)
}

fn same(x: Option<f64>, y: Option<f64>) -> bool {
    match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_project_agrees_with_itself(text in text_strategy(), ents in entities_strategy()) {
        let p = generated(&text, &ents);
        let r = agree(&p, &p, &AgreeOptions::default()).unwrap();
        let (la, _) = reference::labels(&p, &p);
        let mut distinct = la.clone();
        distinct.sort();
        distinct.dedup();
        for f in std::iter::once(&r.overall).chain(r.per_type.iter().map(|(_, f)| f)) {
            for value in [f.kappa, f.alpha] {
                prop_assert!(value.is_none() || close(value, 1.0), "{:?}", value);
            }
            prop_assert!(f.spans.f1().is_none() || close(f.spans.f1(), 1.0));
        }
        // Undefined overall exactly when one label (or none) occurs.
        prop_assert_eq!(r.overall.kappa.is_none(), distinct.len() <= 1);
        prop_assert_eq!(r.overall.alpha.is_none(), distinct.len() <= 1);
    }

    #[test]
    fn precision_of_a_b_is_recall_of_b_a_and_kappa_matches_the_reference(
        text in text_strategy(),
        ents_a in entities_strategy(),
        ents_b in entities_strategy(),
    ) {
        let a = generated(&text, &ents_a);
        let b = generated(&text, &ents_b);
        let ab = agree(&a, &b, &AgreeOptions::default()).unwrap();
        let ba = agree(&b, &a, &AgreeOptions::default()).unwrap();
        let pairs = std::iter::once((&ab.overall, &ba.overall)).chain(
            ab.per_type.iter().zip(&ba.per_type).map(|((_, x), (_, y))| (x, y)),
        );
        for (x, y) in pairs {
            prop_assert!(same(x.spans.precision(), y.spans.recall()));
            prop_assert!(same(x.spans.recall(), y.spans.precision()));
            prop_assert!(same(x.spans.overlap_precision(), y.spans.overlap_recall()));
            prop_assert!(same(x.spans.f1(), y.spans.f1()));
            prop_assert!(same(x.spans.overlap_f1(), y.spans.overlap_f1()));
            // κ and α are symmetric in the two coders.
            prop_assert!(same(x.kappa, y.kappa));
            prop_assert!(same(x.alpha, y.alpha));
        }
        let (la, lb) = reference::labels(&a, &b);
        prop_assert!(same(ab.overall.kappa, reference::kappa(&la, &lb)));
        prop_assert!(same(ab.overall.alpha, reference::alpha(&la, &lb)));
        for (key, f) in &ab.per_type {
            let binary = |l: &[String]| -> Vec<String> {
                l.iter().map(|x| (x == key).to_string()).collect()
            };
            prop_assert!(same(f.kappa, reference::kappa(&binary(&la), &binary(&lb))), "{}", key);
            prop_assert!(same(f.alpha, reference::alpha(&binary(&la), &binary(&lb))), "{}", key);
        }
    }
}

// ---- The command line ----

fn save(project: &Project, path: &std::path::Path) {
    gloss::store::save(project, path).expect("the fixture is saved");
}

#[test]
fn gloss_agree_prints_one_json_object_and_a_table() {
    let dir = temp_dir();
    let (a, b) = entity_fixture();
    let (ca, cb) = claim_fixture();
    let mut a = a;
    a.documents.extend(ca.documents);
    let mut b = b;
    b.documents.extend(cb.documents);
    std::sync::Arc::make_mut(&mut b.documents[0]).id = "renamed".into();
    let (pa, pb) = (
        dir.path().join("a.gloss.ron"),
        dir.path().join("b.gloss.ron"),
    );
    save(&a, &pa);
    save(&b, &pb);
    let (pa, pb) = (pa.to_str().unwrap(), pb.to_str().unwrap());

    let out = gloss(&["agree", pa, pb, "--json"]);
    assert!(out.status.success(), "agree failed: {}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_str(stdout(&out).trim()).expect("exactly one JSON object");
    assert_eq!(json["documents"], 2);
    assert_eq!(json["only_in_a"], serde_json::json!([]));
    let keys = ["precision", "recall", "f1", "overlap_f1", "kappa", "alpha"];
    for object in std::iter::once(&json["overall"])
        .chain(json["per_type"].as_object().expect("per_type").values())
    {
        for key in keys {
            assert!(object.get(key).is_some(), "{key} missing in {object}");
        }
    }
    let per_type = json["per_type"].as_object().unwrap();
    let types: Vec<&str> = per_type.keys().map(String::as_str).collect();
    assert_eq!(types, ["PER", "ORG", "GPE", "LOC", "DATE", "EVENT", "MISC"]);
    // Entity F1 = 2·2/(4+4); PER κ and α over 9 + 14 tokens are defined;
    // nobody used ORG: null.
    assert!((json["overall"]["f1"].as_f64().unwrap() - 0.5).abs() < EPS);
    assert!((json["overall"]["overlap_f1"].as_f64().unwrap() - 0.75).abs() < EPS);
    assert!(json["per_type"]["ORG"]["kappa"].is_null());
    assert!(json["per_type"]["ORG"]["f1"].is_null());
    assert!((json["claims"]["recall"].as_f64().unwrap() - 0.5).abs() < EPS);
    assert!((json["claims"]["agreement"]["attribution"].as_f64().unwrap() - 0.5).abs() < EPS);

    let out = gloss(&["agree", pa, pb]);
    assert!(out.status.success(), "agree failed: {}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("2 documents compared"), "{table}");
    let all = table
        .lines()
        .find(|l| l.starts_with("all "))
        .expect("an `all` row");
    assert!(all.contains("0.500") && all.contains("0.750"), "{all}");

    // --docs names ids of A; an unknown id is invalid input.
    let out = gloss(&["agree", pa, pb, "--json", "--docs", "d2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(json["documents"], 1);
    let out = gloss(&["agree", pa, pb, "--docs", "nope"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nope"));

    // A file that cannot be read: exit 2; an invalid one: exit 1.
    let missing = dir.path().join("missing.ron");
    let out = gloss(&["agree", pa, missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(version: 1, name: ").unwrap();
    let out = gloss(&["agree", broken.to_str().unwrap(), pb]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// An entity as (type, quoted text, which occurrence of it).
type Tag = (&'static str, &'static str, usize);

/// Three annotators of one article, each tagging its own way.
fn three_annotators(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let text = "Kim met Putin in Moscow on Monday and Lavrov met Kim in Minsk on Friday";
    let coders: [(&str, &[Tag]); 3] = [
        (
            "ana",
            &[
                ("PER", "Kim", 0),
                ("PER", "Putin", 0),
                ("GPE", "Moscow", 0),
                ("DATE", "Monday", 0),
                ("PER", "Lavrov", 0),
                ("GPE", "Minsk", 0),
            ],
        ),
        (
            "ben",
            &[
                ("PER", "Kim", 0),
                ("PER", "Putin", 0),
                ("LOC", "Moscow", 0),
                ("PER", "Lavrov", 0),
                ("PER", "Kim", 1),
                ("GPE", "Minsk", 0),
                ("DATE", "Friday", 0),
            ],
        ),
        (
            "cho",
            &[
                ("PER", "Kim", 0),
                ("ORG", "Putin", 0),
                ("GPE", "Moscow", 0),
                ("DATE", "Monday", 0),
                ("GPE", "Minsk", 0),
                ("DATE", "Friday", 0),
            ],
        ),
    ];
    coders
        .iter()
        .map(|(name, tags)| {
            let mut doc = Document::new("d1", "Talks", text);
            for (label, quote, nth) in tags.iter() {
                entity(&mut doc, label, quote, *nth);
            }
            let path = dir.join(format!("{name}.gloss.ron"));
            gloss::store::save(&project(name, vec![doc]), &path).expect("saved");
            path
        })
        .collect()
}

/// `gloss agree` with three projects: every pair, and α and Fleiss' κ over
/// all three equal to the `krippendorff` package (0.8) and statsmodels'
/// `fleiss_kappa` on the same 15 word tokens (worked out with them when
/// this test was written: see docs/agreement.md).
#[test]
fn three_annotators_get_every_pair_and_multi_coder_alpha_and_fleiss_kappa() {
    let dir = temp_dir();
    let paths = three_annotators(dir.path());
    let args: Vec<&str> = std::iter::once("agree")
        .chain(paths.iter().map(|p| p.to_str().unwrap()))
        .chain(["--json"])
        .collect();
    let out = gloss(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON object");
    assert_eq!(json["annotators"], serde_json::json!(["ana", "ben", "cho"]));
    let pairs = json["pairs"].as_array().expect("pairs");
    let named: Vec<(String, String)> = pairs
        .iter()
        .map(|p| {
            (
                p["a"].as_str().unwrap().to_owned(),
                p["b"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [("ana", "ben"), ("ana", "cho"), ("ben", "cho")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    // Each pair is the two-project object, as `gloss agree A B --json` gives.
    let two = gloss(&["agree", args[1], args[2], "--json"]);
    let two: serde_json::Value = serde_json::from_str(&stdout(&two)).unwrap();
    let mut first = pairs[0].clone();
    first.as_object_mut().unwrap().remove("a");
    first.as_object_mut().unwrap().remove("b");
    assert_eq!(first, two);
    let all = &json["all"];
    assert_eq!(
        (all["documents"].as_u64(), all["tokens"].as_u64()),
        (Some(1), Some(15))
    );
    assert_close(all["alpha"].as_f64(), 0.574879227053140, "α over all three");
    assert_close(all["fleiss_kappa"].as_f64(), 0.565217391304348, "Fleiss' κ");
    let per = &all["per_type"]["PER"];
    assert_close(per["alpha"].as_f64(), 0.554054054054054, "α, PER or not");
    assert_close(
        per["fleiss_kappa"].as_f64(),
        0.543918918918919,
        "κ, PER or not",
    );
    // Nobody tagged an event: one value throughout, undefined.
    assert!(all["per_type"]["EVENT"]["alpha"].is_null());

    // The same project twice would count one annotator twice.
    let twice = gloss(&["agree", args[1], args[2], args[1]]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(stderr(&twice).contains("given twice"), "{}", stderr(&twice));
    // The table has the matrix and the figures over everyone.
    let table = gloss(&args[..args.len() - 1]);
    let table = stdout(&table);
    assert!(table.contains("Pairwise entity F1"), "{table}");
    assert!(
        table.contains("Krippendorff's α 0.575, Fleiss' κ 0.565"),
        "{table}"
    );
}

#[test]
fn agree_warns_when_the_projects_share_no_document() {
    let dir = temp_dir();
    let a = dir.path().join("a.gloss.ron");
    let b = dir.path().join("b.gloss.ron");
    gloss::store::save(
        &project("a", vec![Document::new("d", "D", "One text.")]),
        &a,
    )
    .unwrap();
    gloss::store::save(
        &project("b", vec![Document::new("d", "D", "Another text.")]),
        &b,
    )
    .unwrap();
    let out = gloss(&["agree", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(5), "its own exit code");
    assert!(stdout(&out).contains("F1"), "the figures are still printed");
    assert!(
        stderr(&out).contains("no document in common"),
        "{}",
        stderr(&out)
    );
}

/// Textbook multi-coder figures, written from the definitions (Krippendorff
/// 2011, "Computing Krippendorff's alpha-reliability"; Fleiss 1971), on
/// units where every coder gave a value.
mod reference_many {
    /// α from the coincidence matrix: o_ck = Σ_u Σ_{i≠j} [v_ui = c][v_uj = k]
    /// / (m − 1); α = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k.
    pub fn alpha(units: &[Vec<String>]) -> Option<f64> {
        let mut cats: Vec<&String> = units.iter().flatten().collect();
        cats.sort();
        cats.dedup();
        let k = cats.len();
        let at = |v: &String| cats.iter().position(|c| *c == v).unwrap();
        let mut o = vec![vec![0.0f64; k]; k];
        for unit in units {
            let m = unit.len() as f64;
            for (i, vi) in unit.iter().enumerate() {
                for (j, vj) in unit.iter().enumerate() {
                    if i != j {
                        o[at(vi)][at(vj)] += 1.0 / (m - 1.0);
                    }
                }
            }
        }
        let n_c: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
        let n: f64 = n_c.iter().sum();
        let (mut observed, mut expected) = (0.0, 0.0);
        for c in 0..k {
            for d in 0..k {
                if c != d {
                    observed += o[c][d];
                    expected += n_c[c] * n_c[d];
                }
            }
        }
        if units.is_empty() || expected == 0.0 {
            return None;
        }
        Some(1.0 - (n - 1.0) * observed / expected)
    }

    /// Fleiss' κ: P_i = (Σ_j n_ij² − m) / (m(m − 1)), P̄ their mean,
    /// p_j = Σ_i n_ij / (N m), P̄_e = Σ_j p_j²; κ = (P̄ − P̄_e) / (1 − P̄_e).
    pub fn fleiss(units: &[Vec<String>]) -> Option<f64> {
        let mut cats: Vec<&String> = units.iter().flatten().collect();
        cats.sort();
        cats.dedup();
        let n_units = units.len() as f64;
        let m = units.first()?.len() as f64;
        let mut p_bar = 0.0;
        let mut totals = vec![0.0f64; cats.len()];
        for unit in units {
            let mut sum_sq = 0.0;
            for (j, c) in cats.iter().enumerate() {
                let n = unit.iter().filter(|v| v == c).count() as f64;
                sum_sq += n * n;
                totals[j] += n;
            }
            p_bar += (sum_sq - m) / (m * (m - 1.0)) / n_units;
        }
        let p_e: f64 = totals.iter().map(|t| (t / (n_units * m)).powi(2)).sum();
        if (1.0 - p_e).abs() < 1e-15 {
            return None;
        }
        Some((p_bar - p_e) / (1.0 - p_e))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// α and Fleiss' κ over 3–5 generated annotators equal the textbook
    /// computation to 1e-9, overall and per type.
    #[test]
    fn multi_coder_alpha_and_fleiss_kappa_match_the_textbook(
        text in text_strategy(),
        coders in prop::collection::vec(entities_strategy(), 3..6),
    ) {
        use gloss::review::agree_many::agree_many;
        let projects: Vec<Project> = coders.iter().map(|e| generated(&text, e)).collect();
        let named: Vec<(String, &Project)> = projects
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("c{i}"), p))
            .collect();
        let many = agree_many(&named, &AgreeOptions::default()).unwrap();
        let columns: Vec<Vec<String>> = projects
            .iter()
            .map(|p| reference::labels(&projects[0], p).1)
            .collect();
        let units: Vec<Vec<String>> = (0..columns[0].len())
            .map(|t| columns.iter().map(|c| c[t].clone()).collect())
            .collect();
        prop_assert_eq!(many.all.tokens, units.len());
        prop_assert!(same(many.all.alpha, reference_many::alpha(&units)),
            "α {:?} vs {:?}", many.all.alpha, reference_many::alpha(&units));
        prop_assert!(same(many.all.fleiss_kappa, reference_many::fleiss(&units)),
            "κ {:?} vs {:?}", many.all.fleiss_kappa, reference_many::fleiss(&units));
        for (key, alpha, kappa) in &many.all.per_type {
            let binary: Vec<Vec<String>> = units
                .iter()
                .map(|u| u.iter().map(|v| (v == key).to_string()).collect())
                .collect();
            prop_assert!(same(*alpha, reference_many::alpha(&binary)), "{} α", key);
            prop_assert!(same(*kappa, reference_many::fleiss(&binary)), "{} κ", key);
        }
    }
}
