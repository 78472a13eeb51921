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

use std::collections::HashMap;

use super::dictionary::Dictionary;
use super::tokens::Token;
use crate::model::Document;

/// Passes over the training documents.
const EPOCHS: usize = 8;

/// Path-score margin that makes a score of about 0.73 (logistic of 1).
const SCORE_SCALE: f64 = 10.0;

/// BIO tags: 0 is O, then B-label and I-label for each label.
type Tag = usize;

/// The trained model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    labels: Vec<String>,
    /// Feature hash → row in `weights`.
    features: HashMap<u64, u32>,
    /// Averaged emission weights, one row of `tags()` per feature.
    weights: Vec<f32>,
    /// Averaged transition weights: `[previous tag + 1][tag]`, where row 0
    /// is the start of a sentence.
    transitions: Vec<f32>,
}

/// Weights while training, with the sums for averaging (the lazy
/// "timestamp" trick: a weight's sum is brought up to date when it changes).
struct Training {
    tags: usize,
    weights: Vec<f32>,
    sums: Vec<f64>,
    stamps: Vec<u64>,
    step: u64,
}

impl Training {
    fn new(rows: usize, tags: usize) -> Self {
        Self {
            tags,
            weights: vec![0.0; rows * tags],
            sums: vec![0.0; rows * tags],
            stamps: vec![0; rows * tags],
            step: 0,
        }
    }

    fn add(&mut self, at: usize, delta: f32) {
        let (Some(w), Some(sum), Some(stamp)) = (
            self.weights.get_mut(at),
            self.sums.get_mut(at),
            self.stamps.get_mut(at),
        ) else {
            return;
        };
        *sum += f64::from(*w) * (self.step - *stamp) as f64;
        *stamp = self.step;
        *w += delta;
    }

    fn averaged(mut self) -> Vec<f32> {
        let step = self.step.max(1);
        for i in 0..self.weights.len() {
            let w = self.weights.get(i).copied().unwrap_or(0.0);
            if let (Some(sum), Some(stamp)) = (self.sums.get_mut(i), self.stamps.get(i)) {
                *sum += f64::from(w) * (step - *stamp) as f64;
                self.weights[i] = (*sum / step as f64) as f32;
            }
        }
        let _ = self.tags;
        self.weights
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

/// The shape of a word: upper, lower and digit runs collapsed ("Xx", "d",
/// "X.X."), so that unseen names look like seen ones.
fn shape(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if !out.ends_with(class) {
            out.push(class);
        }
    }
    out
}

/// The first `n` characters of `word`, or the last (`from_end`).
fn affix(word: &str, n: usize, from_end: bool) -> Option<&str> {
    let count = word.chars().count();
    if count <= n {
        return None;
    }
    let byte = if from_end {
        word.char_indices().nth(count - n).map(|(b, _)| b)?
    } else {
        word.char_indices().nth(n).map(|(b, _)| b)?
    };
    Some(if from_end {
        &word[byte..]
    } else {
        &word[..byte]
    })
}

/// Feature hashes of every token of a document (emission features only).
fn token_features(text: &str, tokens: &[Token], dictionary: &Dictionary) -> Vec<Vec<u64>> {
    let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let shapes: Vec<String> = words.iter().map(|w| shape(w)).collect();
    let matched = dictionary.token_labels(text, tokens);
    // Document consistency: lowercase forms that occur capitalised
    // somewhere in the document not at a line start.
    let mut capitalised: HashMap<&str, bool> = HashMap::new();
    for (i, t) in tokens.iter().enumerate() {
        if !t.line_start
            && words
                .get(i)
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_uppercase)
            && let Some(l) = lower.get(i)
        {
            capitalised.insert(l.as_str(), true);
        }
    }
    let at = |i: isize| -> (&str, &str, &str) {
        if i < 0 {
            return ("<s>", "<s>", "<s>");
        }
        let i = i as usize;
        match (words.get(i), lower.get(i), shapes.get(i)) {
            (Some(w), Some(l), Some(s)) => (w, l.as_str(), s.as_str()),
            _ => ("</s>", "</s>", "</s>"),
        }
    };
    (0..tokens.len())
        .map(|i| {
            let mut f = Vec::with_capacity(48);
            let (w, l, s) = at(i as isize);
            f.push(hash(&["bias"]));
            f.push(hash(&["w", w]));
            f.push(hash(&["l", l]));
            f.push(hash(&["s", s]));
            for n in 1..=4 {
                if let Some(p) = affix(l, n, false) {
                    f.push(hash(&["p", &n.to_string(), p]));
                }
                if let Some(x) = affix(l, n, true) {
                    f.push(hash(&["x", &n.to_string(), x]));
                }
            }
            let first = w.chars().next();
            if first.is_some_and(char::is_uppercase) {
                f.push(hash(&["title"]));
            }
            if w.chars().all(char::is_uppercase) && first.is_some() {
                f.push(hash(&["upper"]));
            }
            if w.chars().any(char::is_numeric) {
                f.push(hash(&["digit"]));
            }
            let token = tokens.get(i);
            if token.is_some_and(|t| t.line_start) {
                f.push(hash(&["first"]));
                f.push(hash(&["first-s", s]));
            }
            if token.is_some_and(|t| !t.word) {
                f.push(hash(&["punct", w]));
            }
            if capitalised.contains_key(l) {
                f.push(hash(&["cap-elsewhere"]));
            }
            for d in [-2isize, -1, 1, 2] {
                let (w2, l2, s2) = at(i as isize + d);
                let d = d.to_string();
                f.push(hash(&["l@", &d, l2]));
                f.push(hash(&["s@", &d, s2]));
                if d == "-1" || d == "1" {
                    f.push(hash(&["w@", &d, w2]));
                    f.push(hash(&["ls@", &d, l2, s]));
                }
            }
            let (_, lp, _) = at(i as isize - 1);
            let (_, ln, _) = at(i as isize + 1);
            f.push(hash(&["l-1l", lp, l]));
            f.push(hash(&["ll+1", l, ln]));
            match matched.get(i).cloned().flatten() {
                Some((label, begins)) => {
                    let pos = if begins { "B" } else { "I" };
                    f.push(hash(&["dict", pos, &label]));
                    f.push(hash(&["dict-s", pos, &label, s]));
                }
                None => f.push(hash(&["dict-none"])),
            }
            f
        })
        .collect()
}

/// Sentences: token ranges split after a line break or a sentence-final
/// full stop, so that decoding stays short.
fn sentences(text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        let next_starts_line = tokens.get(i + 1).is_some_and(|n| n.line_start);
        let stop = matches!(t.text(text), "." | "!" | "?")
            && tokens.get(i + 1).is_some_and(|n| {
                n.text(text)
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || !c.is_alphanumeric())
            });
        if next_starts_line || stop || i + 1 == tokens.len() {
            out.push((start, i + 1));
            start = i + 1;
        }
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
    previous.is_some_and(|p| p != 0 && (p + 1) / 2 == tag / 2)
}

/// Best tags of one sentence by Viterbi, and the path's score; the
/// emission scores are given per token and tag. With `only_o`, the tokens
/// in that range may only be O (to score a span against its absence).
fn viterbi(
    emissions: &[Vec<f32>],
    transitions: &[f32],
    tags: usize,
    only_o: Option<(usize, usize)>,
) -> (Vec<Tag>, f32) {
    let n = emissions.len();
    if n == 0 {
        return (Vec::new(), 0.0);
    }
    let emission = |i: usize, t: Tag| -> f32 {
        if t != 0 && only_o.is_some_and(|(a, b)| a <= i && i < b) {
            return f32::NEG_INFINITY;
        }
        emissions
            .get(i)
            .and_then(|e| e.get(t))
            .copied()
            .unwrap_or(f32::NEG_INFINITY)
    };
    let transition = |row: usize, t: Tag| transitions.get(row * tags + t).copied().unwrap_or(0.0);
    let mut score = vec![vec![f32::NEG_INFINITY; tags]; n];
    let mut back = vec![vec![0usize; tags]; n];
    for t in 0..tags {
        if allowed(None, t) {
            score[0][t] = emission(0, t) + transition(0, t);
        }
    }
    for i in 1..n {
        for t in 0..tags {
            let mut best = (f32::NEG_INFINITY, 0);
            for p in 0..tags {
                if !allowed(Some(p), t) || score[i - 1][p] == f32::NEG_INFINITY {
                    continue;
                }
                let s = score[i - 1][p] + transition(p + 1, t);
                // Ties go to the lower tag: deterministic.
                if s > best.0 {
                    best = (s, p);
                }
            }
            score[i][t] = best.0 + emission(i, t);
            back[i][t] = best.1;
        }
    }
    let mut last = 0;
    for t in 0..tags {
        if score[n - 1][t] > score[n - 1][last] {
            last = t;
        }
    }
    let total = score[n - 1][last];
    let mut out = vec![0; n];
    out[n - 1] = last;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i]];
    }
    (out, total)
}

impl Model {
    fn tags(&self) -> usize {
        1 + 2 * self.labels.len()
    }

    /// Trains on tokenized documents; `dictionary` gives the match feature.
    /// `folds[i % folds.len()]` gives document `i`'s dictionary feature.
    pub fn train(documents: &[(&Document, Vec<Token>)], folds: &[Dictionary]) -> Model {
        let mut labels: Vec<String> = documents
            .iter()
            .flat_map(|(d, _)| d.entities.iter().map(|e| e.label.to_string()))
            .collect();
        labels.sort();
        labels.dedup();
        let tags = 1 + 2 * labels.len();
        // Examples: per sentence, the feature rows of each token and the gold tags.
        let mut features: HashMap<u64, u32> = HashMap::new();
        let mut examples: Vec<(Vec<Vec<u32>>, Vec<Tag>)> = Vec::new();
        let empty = Dictionary::default();
        for (i, (doc, tokens)) in documents.iter().enumerate() {
            let spans = super::gold(doc);
            let gold = gold_tags(tokens, &spans, &labels);
            let dictionary = folds.get(i % folds.len().max(1)).unwrap_or(&empty);
            let hashed = token_features(&doc.text, tokens, dictionary);
            for (start, end) in sentences(&doc.text, tokens) {
                let rows: Vec<Vec<u32>> = hashed
                    .get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .map(|fs| {
                        fs.iter()
                            .map(|h| {
                                let next = features.len() as u32;
                                *features.entry(*h).or_insert(next)
                            })
                            .collect()
                    })
                    .collect();
                examples.push((rows, gold.get(start..end).unwrap_or_default().to_vec()));
            }
        }
        let mut emit = Training::new(features.len(), tags);
        let mut trans = Training::new(tags + 1, tags);
        for _ in 0..EPOCHS {
            for (rows, gold) in &examples {
                emit.step += 1;
                trans.step += 1;
                let emissions: Vec<Vec<f32>> = rows
                    .iter()
                    .map(|fs| {
                        let mut e = vec![0.0f32; tags];
                        for &f in fs {
                            let base = f as usize * tags;
                            for (t, slot) in e.iter_mut().enumerate() {
                                *slot += emit.weights.get(base + t).copied().unwrap_or(0.0);
                            }
                        }
                        e
                    })
                    .collect();
                let (guess, _) = viterbi(&emissions, &trans.weights, tags, None);
                if &guess == gold {
                    continue;
                }
                for (i, fs) in rows.iter().enumerate() {
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
        Model {
            labels,
            features,
            weights: emit.averaged(),
            transitions: trans.averaged(),
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
        let hashed = token_features(text, tokens, dictionary);
        let emissions: Vec<Vec<f32>> = hashed
            .iter()
            .map(|fs| {
                let mut e = vec![0.0f32; tags];
                for h in fs {
                    if let Some(&f) = self.features.get(h) {
                        let base = f as usize * tags;
                        for (t, slot) in e.iter_mut().enumerate() {
                            *slot += self.weights.get(base + t).copied().unwrap_or(0.0);
                        }
                    }
                }
                e
            })
            .collect();
        let mut out = Vec::new();
        for (start, end) in sentences(text, tokens) {
            let part = emissions.get(start..end).unwrap_or_default();
            let (path, best) = viterbi(part, &self.transitions, tags, None);
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
                let (_, without) = viterbi(part, &self.transitions, tags, Some((i, j)));
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
