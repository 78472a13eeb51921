//! The sequence model: an averaged structured perceptron over BIO tags with
//! first-order Viterbi decoding (Collins, 2002), trained on the project's
//! finished documents. Written here rather than taken from a crate: the
//! well-kept CRF crates bind CRFsuite (C, a build dependency and training
//! too slow for a retrain on every "Done"), and the pure-Rust ones are
//! unmaintained; a perceptron is a few hundred lines, deterministic, and
//! trains 700 news articles in well under a second (`docs/suggestions.md`).
//!
//! Features are hashed strings (FNV-1a) mapped to dense indexes when
//! trained; unknown features at prediction time are ignored.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use super::dictionary::Dictionary;
use super::tokens::Token;
use crate::model::Document;

/// Passes over the training documents.
const EPOCHS: usize = 8;

/// Learners trained in parallel and mixed after every pass (one per core
/// of a two-core machine); see [`train_mixed`].
const SHARDS: usize = 2;

/// Fewest sentences a shard learns from; see [`train_mixed`].
const MIN_SENTENCES_PER_SHARD: usize = 2_000;

/// Path-score margin that makes a score of about 0.73 (logistic of 1).
const SCORE_SCALE: f64 = 10.0;

/// BIO tags: 0 is O, then B-label and I-label for each label.
type Tag = usize;

/// A hasher for keys that are hashes already (the features' FNV-1a): the
/// map need not hash them again (SipHash showed in profiles).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type FeatureMap = HashMap<u64, u32, std::hash::BuildHasherDefault<PreHashed>>;

/// The trained model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    labels: Vec<String>,
    /// Feature hash → row in `weights`.
    features: FeatureMap,
    /// Averaged emission weights, one row of `tags()` per feature.
    weights: Vec<f32>,
    /// Averaged transition weights: `[previous tag + 1][tag]`, where row 0
    /// is the start of a sentence.
    transitions: Vec<f32>,
    /// The trainings whose feature maps `features` extends, this one's
    /// last: feature ids a document was given in any of them are still
    /// its ids here (see [`DocFeatures`]).
    lineage: Vec<u64>,
}

/// Numbers the trainings, for [`Model::lineage`].
static TRAININGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Weights while training, and what averaging needs (Daumé's trick: each
/// change is also added times the step it happened at, so the average is
/// the weight less that sum over the steps, with no work per step).
struct Training {
    weights: Vec<f32>,
    /// Sum of (step - 1) × change, per cell.
    timed: Vec<f64>,
    /// Examples seen so far.
    step: u64,
    /// Cells changed since the last mixing, each once (a bit per cell says
    /// which): only those can differ between learners.
    touched: Vec<usize>,
    touched_bits: Vec<u64>,
    /// Whether this learner is mixed with others (else nothing is tracked).
    mixed: bool,
}

impl Training {
    fn new(rows: usize, tags: usize) -> Self {
        Self {
            weights: vec![0.0; rows * tags],
            timed: vec![0.0; rows * tags],
            step: 0,
            touched: Vec::new(),
            touched_bits: Vec::new(),
            mixed: false,
        }
    }

    fn add(&mut self, at: usize, delta: f32) {
        let (Some(w), Some(timed)) = (self.weights.get_mut(at), self.timed.get_mut(at)) else {
            return;
        };
        *w += delta;
        *timed += f64::from(delta) * self.step.saturating_sub(1) as f64;
        if self.mixed {
            let (word, bit) = (at / 64, 1u64 << (at % 64));
            if self.touched_bits.len() <= word {
                self.touched_bits.resize(self.weights.len().div_ceil(64), 0);
            }
            if let Some(bits) = self.touched_bits.get_mut(word)
                && *bits & bit == 0
            {
                *bits |= bit;
                self.touched.push(at);
            }
        }
    }

    /// Sets cell `at` to `value`, as a change made now.
    fn set(&mut self, at: usize, value: f32) {
        if let Some(w) = self.weights.get(at).copied() {
            self.add(at, value - w);
        }
    }

    /// The weights averaged over every step.
    fn averaged(self) -> Vec<f32> {
        let step = self.step.max(1) as f64;
        self.weights
            .iter()
            .zip(&self.timed)
            .map(|(&w, &timed)| (f64::from(w) - timed / step) as f32)
            .collect()
    }
}

/// Adds row `row` (of `tags` weights) of `weights` to `scores`: one slice,
/// one bounds check, a loop the compiler vectorises.
fn add_row(scores: &mut [f32], weights: &[f32], row: usize, tags: usize) {
    if let Some(weights) = weights.get(row * tags..(row + 1) * tags) {
        for (slot, w) in scores.iter_mut().zip(weights) {
            *slot += *w;
        }
    }
}

/// FNV-1a of a feature's text.
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A character's class in a shape: X upper, x lower, d digit, else itself.
fn char_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// The shape of a word: upper, lower and digit runs collapsed ("Xx", "d",
/// "X.X."), so that unseen names look like seen ones.
fn shape(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        let class = char_class(c);
        if !out.ends_with(class) {
            out.push(class);
        }
    }
    out
}

/// What the document says of its own words: lowercase forms that occur
/// in lowercase somewhere, capitalised words seen after a sentence's first
/// token, and the contexts each capitalised word occurs in (so that "Pastrana"
/// in a headline learns from "el presidente Pastrana" further down), kept
/// as the hashes of the features they give.
struct DocumentFacts<'t> {
    lower_seen: HashSet<&'t str>,
    capitalised_inside: HashSet<&'t str>,
    contexts: HashMap<&'t str, BTreeSet<u64>>,
}

fn document_facts<'t>(
    words: &[&'t str],
    lower: &[String],
    shapes: &[String],
    sentences: &[(usize, usize)],
) -> DocumentFacts<'t> {
    let mut facts = DocumentFacts {
        lower_seen: HashSet::new(),
        capitalised_inside: HashSet::new(),
        contexts: HashMap::new(),
    };
    for &(start, end) in sentences {
        for i in start..end {
            let Some(&w) = words.get(i) else {
                continue;
            };
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            if w.chars().all(|c| !c.is_uppercase()) && w.chars().any(char::is_lowercase) {
                facts.lower_seen.insert(w);
            } else if capital && i > start {
                facts.capitalised_inside.insert(w);
            }
            if !capital {
                continue;
            }
            let at = |j: isize, shape: bool| -> &str {
                if j < start as isize {
                    "<s>"
                } else if j >= end as isize {
                    "</s>"
                } else if shape {
                    shapes
                        .get(j as usize)
                        .map(String::as_str)
                        .unwrap_or_default()
                } else {
                    lower
                        .get(j as usize)
                        .map(String::as_str)
                        .unwrap_or_default()
                }
            };
            let i = i as isize;
            let set = facts.contexts.entry(w).or_default();
            set.insert(hash(&["dc", "-", at(i - 1, false)]));
            set.insert(hash(&["dc", "+", at(i + 1, false)]));
            set.insert(hash(&["dc", "--", at(i - 2, false)]));
            set.insert(hash(&["dc", "++", at(i + 2, false)]));
            set.insert(hash(&["dc", "s-", at(i - 1, true)]));
            set.insert(hash(&["dc", "s+", at(i + 1, true)]));
        }
    }
    facts
}

/// Whether a word is written as a title: a capital first, not all capitals
/// (unless the rest has no letters).
fn is_title(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest: String = chars.collect();
    first.is_uppercase()
        && (rest.is_empty()
            || !rest.chars().any(char::is_alphabetic)
            || !rest
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase))
}

/// Feature hashes of every token of a document (emission features only),
/// the token's sentence being `sentences`' range that holds it.
fn token_features(
    text: &str,
    tokens: &[Token],
    sentences: &[(usize, usize)],
    dictionary: &Dictionary,
) -> Vec<Vec<u64>> {
    let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let shapes: Vec<String> = words.iter().map(|w| shape(w)).collect();
    let matched = dictionary.token_matches(text, tokens);
    let gazetteer: Vec<Option<(&str, char)>> =
        words.iter().map(|w| dictionary.token_tag(w)).collect();
    let facts = document_facts(&words, &lower, &shapes, sentences);
    let mut out = Vec::with_capacity(tokens.len());
    for &(start, end) in sentences {
        for i in start..end {
            let mut f = Vec::with_capacity(64);
            let w = words.get(i).copied().unwrap_or_default();
            let l = lower.get(i).map(String::as_str).unwrap_or_default();
            let s = shapes.get(i).map(String::as_str).unwrap_or_default();
            let neighbour = |j: isize| -> Option<usize> {
                (j >= start as isize && j < end as isize).then_some(j as usize)
            };
            let lower_at = |j: isize| {
                neighbour(j).map_or(if j < start as isize { "<s>" } else { "</s>" }, |j| {
                    lower.get(j).map(String::as_str).unwrap_or_default()
                })
            };
            let shape_at = |j: isize| {
                neighbour(j).map_or(if j < start as isize { "<s>" } else { "</s>" }, |j| {
                    shapes.get(j).map(String::as_str).unwrap_or_default()
                })
            };
            let ii = i as isize;
            f.push(hash(&["b"]));
            f.push(hash(&["w", w]));
            f.push(hash(&["l", l]));
            f.push(hash(&["s", s]));
            let long_shape: String = w.chars().take(8).map(char_class).collect();
            f.push(hash(&["S", &long_shape]));
            // Prefixes and suffixes as slices of the lowercase word.
            let bounds: Vec<usize> = l.char_indices().map(|(b, _)| b).chain([l.len()]).collect();
            let count = bounds.len() - 1;
            for (k, name) in ["1", "2", "3", "4", "5"].iter().enumerate() {
                let k = k + 1;
                if count >= k {
                    let prefix = l.get(..bounds[k]).unwrap_or_default();
                    let suffix = l.get(bounds[count - k]..).unwrap_or_default();
                    f.push(hash(&["p", name, prefix]));
                    f.push(hash(&["x", name, suffix]));
                }
            }
            if is_title(w) {
                f.push(hash(&["T"]));
            }
            if w.chars().any(char::is_alphabetic) && w.chars().all(|c| !c.is_lowercase()) {
                f.push(hash(&["U"]));
            }
            if w.chars().any(char::is_numeric) {
                f.push(hash(&["D"]));
            }
            if !w.chars().any(char::is_alphanumeric) {
                f.push(hash(&["P"]));
            }
            if i == start {
                f.push(hash(&["first"]));
                f.push(hash(&["first_s", s]));
            }
            f.push(hash(&["l-1", lower_at(ii - 1)]));
            f.push(hash(&["l+1", lower_at(ii + 1)]));
            f.push(hash(&["s-1", shape_at(ii - 1)]));
            f.push(hash(&["s+1", shape_at(ii + 1)]));
            f.push(hash(&["lb-", lower_at(ii - 1), l]));
            f.push(hash(&["lb+", l, lower_at(ii + 1)]));
            f.push(hash(&["sb", shape_at(ii - 1), s, shape_at(ii + 1)]));
            match matched.get(i).and_then(Option::as_ref) {
                Some((tag, share)) => {
                    f.push(hash(&["g", tag]));
                    f.push(hash(&["g", tag, share.encode_utf8(&mut [0; 4])]));
                }
                None => f.push(hash(&["g", "none"])),
            }
            for (d, name) in [(-1isize, "g-1"), (1, "g+1")] {
                if let Some(j) = neighbour(ii + d)
                    && let Some((tag, _)) = matched.get(j).and_then(Option::as_ref)
                {
                    f.push(hash(&[name, tag]));
                }
            }
            match gazetteer.get(i).copied().flatten() {
                Some((tag, share)) => f.push(hash(&["tg", tag, share.encode_utf8(&mut [0; 4])])),
                None => f.push(hash(&["tg", "none"])),
            }
            for (d, name) in [(-1isize, "tg-1"), (1, "tg+1")] {
                if let Some(j) = neighbour(ii + d)
                    && let Some((tag, _)) = gazetteer.get(j).copied().flatten()
                {
                    f.push(hash(&[name, tag]));
                }
            }
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            if capital {
                if let Some(contexts) = facts.contexts.get(w) {
                    f.extend(contexts.iter().copied());
                }
                if w.chars().all(char::is_alphabetic) {
                    if facts.lower_seen.contains(l) {
                        f.push(hash(&["doc_lower"]));
                    }
                    if i == start && facts.capitalised_inside.contains(w) {
                        f.push(hash(&["doc_capmid"]));
                    }
                }
            }
            out.push(f);
        }
    }
    out
}

/// Sentences: token ranges split where a line starts (a paragraph, a
/// headline, a sentence of the corpus), so that decoding stays short.
fn sentences(tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.line_start && i > start {
            out.push((start, i));
            start = i;
        }
    }
    if start < tokens.len() {
        out.push((start, tokens.len()));
    }
    out
}

/// Gold BIO tags of a document's tokens (entities not on token boundaries
/// are left as O, as are overlaps after the first).
fn gold_tags(tokens: &[Token], spans: &[(usize, usize, &str)], labels: &[String]) -> Vec<Tag> {
    let mut tags = vec![0; tokens.len()];
    let by_start: HashMap<usize, usize> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.start, i))
        .collect();
    let mut sorted = spans.to_vec();
    sorted.sort_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
    for (start, end, label) in sorted {
        let (Some(&first), Some(l)) =
            (by_start.get(&start), labels.iter().position(|x| x == label))
        else {
            continue;
        };
        let Some(count) = tokens
            .get(first..)
            .and_then(|rest| rest.iter().position(|t| t.end == end))
        else {
            continue;
        };
        if tags
            .get(first..=first + count)
            .is_some_and(|run| run.iter().all(|t| *t == 0))
        {
            for (k, tag) in tags.iter_mut().enumerate().skip(first).take(count + 1) {
                *tag = if k == first { 1 + 2 * l } else { 2 + 2 * l };
            }
        }
    }
    tags
}

/// Whether `tag` may follow `previous` (`None`: the sentence start): an I-
/// only after a B- or I- of its label.
fn allowed(previous: Option<Tag>, tag: Tag) -> bool {
    if tag == 0 || tag % 2 == 1 {
        return true;
    }
    previous.is_some_and(|p| p != 0 && p.div_ceil(2) == tag / 2)
}

/// One sentence: every token's feature ids, flat (token k's are
/// `ids[offsets[k]..offsets[k + 1]]`), and the gold tags.
type Example<'a> = (&'a [u32], &'a [u32], Vec<Tag>);

/// One sentence's feature ids, flat, and where each token's start (see
/// [`Example`]).
type SentenceIds = (Vec<u32>, Vec<u32>);

/// One shard's weights while training, and its reused buffers.
struct Learner {
    emit: Training,
    trans: Training,
    emissions: Vec<f32>,
    scratch: Scratch,
}

impl Learner {
    fn new(features: usize, tags: usize) -> Self {
        Self {
            emit: Training::new(features, tags),
            trans: Training::new(tags + 1, tags),
            emissions: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    /// One perceptron pass over `examples[k]` for each `k` in `order`.
    fn pass(&mut self, examples: &[Example], order: &[usize], tags: usize) {
        let Self {
            emit,
            trans,
            emissions,
            scratch,
        } = self;
        for (ids, offsets, gold) in order.iter().filter_map(|&k| examples.get(k)) {
            emit.step += 1;
            trans.step += 1;
            let row = |k: usize| -> &[u32] {
                let (a, b) = (
                    offsets.get(k).copied().unwrap_or(0) as usize,
                    offsets.get(k + 1).copied().unwrap_or(0) as usize,
                );
                ids.get(a..b).unwrap_or_default()
            };
            emissions.clear();
            emissions.resize(gold.len() * tags, 0.0);
            for (k, e) in emissions.chunks_mut(tags).enumerate() {
                for &f in row(k) {
                    add_row(e, &emit.weights, f as usize, tags);
                }
            }
            viterbi(emissions, &trans.weights, tags, None, scratch);
            let guess = &scratch.path;
            if guess == gold {
                continue;
            }
            for i in 0..gold.len() {
                let fs = row(i);
                let (g, p) = (gold[i], guess[i]);
                let (gp, pp) = if i == 0 {
                    (0, 0)
                } else {
                    (gold[i - 1] + 1, guess[i - 1] + 1)
                };
                if g != p {
                    for &f in fs {
                        emit.add(f as usize * tags + g, 1.0);
                        emit.add(f as usize * tags + p, -1.0);
                    }
                }
                if g != p || gp != pp {
                    trans.add(gp * tags + g, 1.0);
                    trans.add(pp * tags + p, -1.0);
                }
            }
        }
    }
}

/// The averaged perceptron by iterative parameter mixing (McDonald, Hall
/// and Mann 2010): each pass, the examples (in a new order a 64-bit LCG
/// gives, so deterministic) are dealt to `shards` learners that run in
/// parallel, one per core, and their weights are then replaced by their
/// mean. With two cores a pass takes about half the time; on CoNLL-2002
/// the F1 is that of one learner or better (docs/suggestions.md). The
/// result is the mean of the learners' averaged weights, the same on any
/// machine.
fn train_mixed(
    examples: &[Example],
    features: usize,
    tags: usize,
    shards: usize,
    epochs: usize,
) -> (Vec<f32>, Vec<f32>) {
    // A learner sees too few examples to learn alone below this: small
    // training sets (which train in a fraction of a second anyway) keep one
    // learner; at 50 CoNLL documents two would cost 0.015 F1.
    let shards = shards.clamp(1, (examples.len() / MIN_SENTENCES_PER_SHARD).max(1));
    let mut learners: Vec<Learner> = (0..shards)
        .map(|_| {
            let mut learner = Learner::new(features, tags);
            learner.emit.mixed = shards > 1;
            learner.trans.mixed = shards > 1;
            learner
        })
        .collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut lcg: u64 = 1;
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            lcg = lcg
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            order.swap(i, ((lcg >> 32) % (i as u64 + 1)) as usize);
        }
        if let [only] = learners.as_mut_slice() {
            only.pass(examples, &order, tags);
            continue;
        }
        let order = &order;
        std::thread::scope(|scope| {
            for (k, learner) in learners.iter_mut().enumerate() {
                scope.spawn(move || {
                    let part: Vec<usize> = order.iter().skip(k).step_by(shards).copied().collect();
                    learner.pass(examples, &part, tags);
                });
            }
        });
        mix(learners.iter_mut().map(|l| &mut l.emit).collect());
        mix(learners.iter_mut().map(|l| &mut l.trans).collect());
    }
    let n = learners.len() as f32;
    let mut averaged = learners
        .into_iter()
        .map(|l| (l.emit.averaged(), l.trans.averaged()));
    let Some((mut weights, mut transitions)) = averaged.next() else {
        return (Vec::new(), Vec::new());
    };
    for (w, t) in averaged {
        weights.iter_mut().zip(&w).for_each(|(a, b)| *a += b);
        transitions.iter_mut().zip(&t).for_each(|(a, b)| *a += b);
    }
    weights.iter_mut().for_each(|a| *a /= n);
    transitions.iter_mut().for_each(|a| *a /= n);
    (weights, transitions)
}

/// Gives every shard the mean of their weights. Only cells some shard
/// changed since the last mixing can differ.
fn mix(mut shards: Vec<&mut Training>) {
    let mut changed: Vec<usize> = Vec::new();
    for shard in shards.iter_mut() {
        for at in std::mem::take(&mut shard.touched) {
            if let Some(bits) = shard.touched_bits.get_mut(at / 64) {
                *bits = 0;
            }
            changed.push(at);
        }
    }
    changed.sort_unstable();
    changed.dedup();
    let n = shards.len() as f32;
    for at in changed {
        let total: f32 = shards.iter().filter_map(|s| s.weights.get(at)).sum();
        for shard in shards.iter_mut() {
            shard.set(at, total / n);
        }
    }
    // Setting the mean touched them again: that is not a change to mix.
    for shard in shards {
        for at in std::mem::take(&mut shard.touched) {
            if let Some(bits) = shard.touched_bits.get_mut(at / 64) {
                *bits = 0;
            }
        }
    }
}

/// Buffers Viterbi reuses from sentence to sentence (training decodes
/// every sentence eight times: allocating them each time showed).
#[derive(Default)]
struct Scratch {
    score: Vec<f32>,
    back: Vec<u32>,
    path: Vec<Tag>,
    /// The transitions with the moves [`allowed`] forbids set to minus
    /// infinity, so the inner loop is a plain add and compare.
    masked: Vec<f32>,
}

/// Best tags of one sentence by Viterbi (into `scratch.path`), and the
/// path's score; `emissions` holds `tags` scores per token, flat. With
/// `only_o`, the tokens in that range may only be O (to score a span
/// against its absence).
fn viterbi(
    emissions: &[f32],
    transitions: &[f32],
    tags: usize,
    only_o: Option<(usize, usize)>,
    scratch: &mut Scratch,
) -> f32 {
    let n = emissions.len() / tags.max(1);
    scratch.path.clear();
    if n == 0 {
        return 0.0;
    }
    // Row 0: from the sentence start; row p + 1: from tag p.
    scratch.masked.clear();
    scratch.masked.extend((0..(tags + 1) * tags).map(|cell| {
        let (row, tag) = (cell / tags, cell % tags);
        let previous = row.checked_sub(1);
        if allowed(previous, tag) {
            transitions.get(cell).copied().unwrap_or(0.0)
        } else {
            f32::NEG_INFINITY
        }
    }));
    let masked = &scratch.masked;
    let forced_o = |i: usize| only_o.is_some_and(|(a, b)| a <= i && i < b);
    scratch.score.clear();
    scratch.score.resize(n * tags, f32::NEG_INFINITY);
    scratch.back.clear();
    scratch.back.resize(n * tags, 0);
    let (score, back) = (&mut scratch.score, &mut scratch.back);
    for (i, (row, emitted)) in score
        .chunks_exact_mut(tags)
        .zip(emissions.chunks_exact(tags))
        .enumerate()
        .take(1)
    {
        for (t, (slot, e)) in row.iter_mut().zip(emitted).enumerate() {
            let e = if t != 0 && forced_o(i) {
                f32::NEG_INFINITY
            } else {
                *e
            };
            *slot = e + masked.get(t).copied().unwrap_or(f32::NEG_INFINITY);
        }
    }
    for i in 1..n {
        let (before, now) = score.split_at_mut(i * tags);
        let before = &before[(i - 1) * tags..];
        let emitted = &emissions[i * tags..(i + 1) * tags];
        let back = &mut back[i * tags..(i + 1) * tags];
        let forced = forced_o(i);
        for t in 0..tags {
            let mut best = (f32::NEG_INFINITY, 0usize);
            for (p, (&b, from)) in before
                .iter()
                .zip(masked[tags..].chunks_exact(tags))
                .enumerate()
            {
                let s = b + from[t];
                // Ties go to the lower tag: deterministic.
                if s > best.0 {
                    best = (s, p);
                }
            }
            let e = if t != 0 && forced {
                f32::NEG_INFINITY
            } else {
                emitted[t]
            };
            now[t] = best.0 + e;
            back[t] = best.1 as u32;
        }
    }
    let last_row = &score[(n - 1) * tags..n * tags];
    let mut last = 0;
    for t in 0..tags {
        if last_row[t] > last_row[last] {
            last = t;
        }
    }
    let total = last_row[last];
    scratch.path.resize(n, 0);
    scratch.path[n - 1] = last;
    for i in (1..n).rev() {
        scratch.path[i - 1] = back[i * tags + scratch.path[i]] as usize;
    }
    total
}

/// A document's sentences and the feature hashes of its tokens: what
/// training needs of it, kept between trainings so that a retrain after one
/// document changed works out only that one's.
#[derive(Debug)]
pub struct DocFeatures {
    sentences: Vec<(usize, usize)>,
    hashed: Vec<Vec<u64>>,
    /// Each sentence's feature ids, and the training that gave them: a
    /// retrain that extends that training's feature map reuses them
    /// instead of looking up every hash again (about 100 ms at 700 news
    /// articles).
    ids: std::sync::OnceLock<(u64, Vec<SentenceIds>)>,
}

/// The features of a document, its dictionary feature from `dictionary`
/// (one that has not learned this document's annotations).
pub fn document_features(text: &str, tokens: &[Token], dictionary: &Dictionary) -> DocFeatures {
    let sentences = sentences(tokens);
    let hashed = token_features(text, tokens, &sentences, dictionary);
    DocFeatures {
        sentences,
        hashed,
        ids: std::sync::OnceLock::new(),
    }
}

impl DocFeatures {
    /// Each sentence's feature ids in `features`, new features added.
    fn ids_in(&self, features: &mut FeatureMap) -> Vec<SentenceIds> {
        self.sentences
            .iter()
            .map(|&(start, end)| {
                let mut ids = Vec::new();
                let mut offsets = vec![0u32];
                for fs in self.hashed.get(start..end).unwrap_or_default() {
                    for h in fs {
                        let next = features.len() as u32;
                        ids.push(*features.entry(*h).or_insert(next));
                    }
                    offsets.push(ids.len() as u32);
                }
                (ids, offsets)
            })
            .collect()
    }
}

impl Model {
    fn tags(&self) -> usize {
        1 + 2 * self.labels.len()
    }

    /// Trains on tokenized documents and their features (`features[i]`
    /// for document `i`, see [`document_features`]). With `base` (a model
    /// trained earlier) its feature map is extended rather than built
    /// again, and documents it was trained on keep their feature ids. The
    /// weights are the same either way: a weight's updates do not depend
    /// on its row's number.
    pub fn train(
        documents: &[(&Document, Vec<Token>)],
        prepared: &[Arc<DocFeatures>],
        base: Option<&Model>,
    ) -> Model {
        let mut labels: Vec<String> = documents
            .iter()
            .flat_map(|(d, _)| d.entities.iter().map(|e| e.label.to_string()))
            .collect();
        labels.sort();
        labels.dedup();
        let tags = 1 + 2 * labels.len();
        let this_training = TRAININGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (mut features, mut lineage) = match base {
            Some(base) => (base.features.clone(), base.lineage.clone()),
            None => (FeatureMap::default(), Vec::new()),
        };
        lineage.push(this_training);
        // Ids for the documents that have none in this lineage yet, in
        // document order, so the model is the same on any machine. A
        // document seen by a training outside the lineage gets ids of its
        // own here, kept only for this call.
        let mut own_ids: Vec<Option<Vec<SentenceIds>>> = Vec::with_capacity(prepared.len());
        for prepared in prepared {
            let known = prepared
                .ids
                .get()
                .is_some_and(|(training, _)| lineage.contains(training));
            own_ids.push(if known {
                None
            } else {
                let ids = prepared.ids_in(&mut features);
                match prepared.ids.set((this_training, ids)) {
                    Ok(()) => None,
                    Err((_, ids)) => Some(ids),
                }
            });
        }
        // Per sentence: every token's feature ids, flat, where token k's are
        // `ids[offsets[k]..offsets[k + 1]]`; and the gold tags.
        let mut examples: Vec<Example> = Vec::new();
        for (((doc, tokens), prepared), own) in documents.iter().zip(prepared).zip(&own_ids) {
            let gold = gold_tags(tokens, &super::gold(doc), &labels);
            let ids = match own {
                Some(ids) => ids.as_slice(),
                None => prepared
                    .ids
                    .get()
                    .map_or(&[][..], |(_, ids)| ids.as_slice()),
            };
            for (&(start, end), (ids, offsets)) in prepared.sentences.iter().zip(ids) {
                examples.push((
                    ids,
                    offsets,
                    gold.get(start..end).unwrap_or_default().to_vec(),
                ));
            }
        }
        let (weights, transitions) = train_mixed(&examples, features.len(), tags, SHARDS, EPOCHS);
        Model {
            labels,
            features,
            weights,
            transitions,
            lineage,
        }
    }

    /// Entity spans in `tokens`: (first token, past the last, label, score).
    /// The score is how much the chosen tags beat the best other tag of
    /// each token, through a logistic: 0.5 at a tie, near 1 when clear.
    pub fn spans(
        &self,
        text: &str,
        tokens: &[Token],
        dictionary: &Dictionary,
    ) -> Vec<(usize, usize, String, f64)> {
        let tags = self.tags();
        if self.labels.is_empty() {
            return Vec::new();
        }
        let sentences = sentences(tokens);
        let hashed = token_features(text, tokens, &sentences, dictionary);
        let mut emissions = vec![0.0f32; hashed.len() * tags];
        for (fs, e) in hashed.iter().zip(emissions.chunks_mut(tags)) {
            for h in fs {
                if let Some(&f) = self.features.get(h) {
                    add_row(e, &self.weights, f as usize, tags);
                }
            }
        }
        let mut out = Vec::new();
        let mut scratch = Scratch::default();
        let mut without_scratch = Scratch::default();
        for (start, end) in sentences {
            let part = emissions.get(start * tags..end * tags).unwrap_or_default();
            let best = viterbi(part, &self.transitions, tags, None, &mut scratch);
            let path = &scratch.path;
            let mut i = 0;
            while i < path.len() {
                let tag = path[i];
                if tag == 0 || tag % 2 == 0 {
                    i += 1;
                    continue;
                }
                let label = (tag - 1) / 2;
                let mut j = i + 1;
                while path.get(j) == Some(&(tag + 1)) {
                    j += 1;
                }
                // How much better the best path is than the best one without
                // this entity, through a logistic: 0.5 at a tie.
                let without = viterbi(
                    part,
                    &self.transitions,
                    tags,
                    Some((i, j)),
                    &mut without_scratch,
                );
                let margin = f64::from(best - without).max(0.0);
                let score = 1.0 / (1.0 + (-margin / SCORE_SCALE).exp());
                if let Some(name) = self.labels.get(label) {
                    out.push((start + i, start + j, name.clone(), score));
                }
                i = j;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences of two tokens whose tags follow from their features: a
    /// token with feature 1 is B-X (tag 1), with feature 2 is O, and
    /// feature 0 (on every token) says nothing. Enough of them to be
    /// dealt to two learners.
    const TOY_IDS: [[u32; 4]; 2] = [[0, 1, 0, 2], [0, 2, 0, 1]];
    const TOY_OFFSETS: [u32; 3] = [0, 2, 4];

    fn toy_examples() -> Vec<Example<'static>> {
        (0..2 * MIN_SENTENCES_PER_SHARD + 10)
            .map(|n| {
                let first_is_entity = n % 3 == 0;
                let (ids, gold) = if first_is_entity {
                    (&TOY_IDS[0], vec![1, 0])
                } else {
                    (&TOY_IDS[1], vec![0, 1])
                };
                (&ids[..], &TOY_OFFSETS[..], gold)
            })
            .collect()
    }

    fn decode(weights: &[f32], transitions: &[f32], example: &Example) -> Vec<Tag> {
        let (ids, offsets, gold) = example;
        let tags = 3;
        let mut emissions = vec![0.0; gold.len() * tags];
        for (k, e) in emissions.chunks_mut(tags).enumerate() {
            for &f in &ids[offsets[k] as usize..offsets[k + 1] as usize] {
                add_row(e, weights, f as usize, tags);
            }
        }
        let mut scratch = Scratch::default();
        viterbi(&emissions, transitions, tags, None, &mut scratch);
        scratch.path
    }

    #[test]
    fn learners_mixed_after_every_pass_learn_the_examples_the_same_way_each_time() {
        let examples = toy_examples();
        let (weights, transitions) = train_mixed(&examples, 3, 3, 2, EPOCHS);
        for example in &examples {
            assert_eq!(decode(&weights, &transitions, example), example.2);
        }
        // Threads, but the same model: each learner's share and the mixing
        // order are fixed.
        assert_eq!(
            train_mixed(&examples, 3, 3, 2, EPOCHS),
            (weights.clone(), transitions.clone())
        );
        // One learner learns it too, to weights of its own.
        let (alone, _) = train_mixed(&examples, 3, 3, 1, EPOCHS);
        assert_ne!(alone, weights);
    }

    /// Each feature's weights and the transitions, by feature hash: the
    /// model as it behaves, whatever its rows' numbers.
    fn by_hash(model: &Model) -> (Vec<(u64, Vec<f32>)>, Vec<f32>) {
        let tags = model.tags();
        let mut rows: Vec<(u64, Vec<f32>)> = model
            .features
            .iter()
            .map(|(&h, &row)| {
                let at = row as usize * tags;
                (h, model.weights[at..at + tags].to_vec())
            })
            .collect();
        rows.sort_by_key(|(h, _)| *h);
        (rows, model.transitions.clone())
    }

    #[test]
    fn a_retrain_that_extends_a_feature_map_learns_what_training_from_scratch_learns() {
        let docs = super::super::tests::training();
        let tokenized: Vec<(&Document, Vec<Token>)> = docs
            .iter()
            .map(|d| (d, super::super::tokens::tokenize(&d.text)))
            .collect();
        let empty = Dictionary::default();
        let prepare = || -> Vec<Arc<DocFeatures>> {
            tokenized
                .iter()
                .map(|(d, t)| Arc::new(document_features(&d.text, t, &empty)))
                .collect()
        };
        // Trained on the first document, then on both reusing its ids.
        let kept = prepare();
        let first = Model::train(&tokenized[..1], &kept[..1], None);
        let extended = Model::train(&tokenized, &kept, Some(&first));
        let scratch = Model::train(&tokenized, &prepare(), None);
        assert_eq!(extended.lineage.len(), 2);
        // The second document's features were numbered after the first's,
        // not in the order training from scratch numbers them...
        assert!(
            kept[0]
                .ids
                .get()
                .is_some_and(|(t, _)| *t == first.lineage[0])
        );
        // ...but every weight is the same.
        assert_eq!(by_hash(&extended), by_hash(&scratch));
        // A model outside the lineage does not take the first one's ids.
        let unrelated = Model::train(&tokenized[1..], &kept[1..], None);
        let mixed = Model::train(&tokenized, &kept, Some(&unrelated));
        assert_eq!(by_hash(&mixed), by_hash(&scratch));
    }

    #[test]
    fn averaging_weighs_each_weight_by_the_steps_it_was_held() {
        let mut training = Training::new(1, 1);
        // Step 1 sets the weight to 2, step 5 sets it back to 0.
        training.step = 1;
        training.add(0, 2.0);
        training.step = 5;
        training.add(0, -2.0);
        training.step = 8;
        // Held as 2 for steps 1-4 (4 steps) of 8: 1.0.
        assert_eq!(training.averaged(), vec![1.0]);
    }
}
