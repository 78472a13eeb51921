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
//!
//! Here: the model, a document's kept features, training's entry point and
//! the spans it proposes. Beside it: `features` (what a token's features
//! are), `training` (the perceptron's passes and the mixing), `decoding`
//! (emissions and Viterbi).

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

mod decoding;
mod features;
mod training;

use decoding::*;
use features::*;
use training::*;

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
