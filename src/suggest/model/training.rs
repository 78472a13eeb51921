//! Training: the averaged perceptron's weights, one learner's pass, and
//! iterative parameter mixing of several learners.

use super::*;

/// Weights while training, and what averaging needs (Daumé's trick: each
/// change is also added times the step it happened at, so the average is
/// the weight less that sum over the steps, with no work per step).
pub(super) struct Training {
    pub(super) weights: Vec<f32>,
    /// Sum of (step - 1) × change, per cell.
    pub(super) timed: Vec<f64>,
    /// Examples seen so far.
    pub(super) step: u64,
    /// Cells changed since the last mixing, each once (a bit per cell says
    /// which): only those can differ between learners.
    pub(super) touched: Vec<usize>,
    pub(super) touched_bits: Vec<u64>,
    /// Whether this learner is mixed with others (else nothing is tracked).
    pub(super) mixed: bool,
}

impl Training {
    pub(super) fn new(rows: usize, tags: usize) -> Self {
        Self {
            weights: vec![0.0; rows * tags],
            timed: vec![0.0; rows * tags],
            step: 0,
            touched: Vec::new(),
            touched_bits: Vec::new(),
            mixed: false,
        }
    }

    pub(super) fn add(&mut self, at: usize, delta: f32) {
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
    pub(super) fn set(&mut self, at: usize, value: f32) {
        if let Some(w) = self.weights.get(at).copied() {
            self.add(at, value - w);
        }
    }

    /// The weights averaged over every step.
    pub(super) fn averaged(self) -> Vec<f32> {
        let step = self.step.max(1) as f64;
        self.weights
            .iter()
            .zip(&self.timed)
            .map(|(&w, &timed)| (f64::from(w) - timed / step) as f32)
            .collect()
    }
}

/// One sentence: every token's feature ids, flat (token k's are
/// `ids[offsets[k]..offsets[k + 1]]`), and the gold tags.
pub(super) type Example<'a> = (&'a [u32], &'a [u32], Vec<Tag>);

/// One sentence's feature ids, flat, and where each token's start (see
/// [`Example`]).
pub(super) type SentenceIds = (Vec<u32>, Vec<u32>);

/// One shard's weights while training, and its reused buffers.
pub(super) struct Learner {
    pub(super) emit: Training,
    pub(super) trans: Training,
    pub(super) emissions: Vec<f32>,
    pub(super) scratch: Scratch,
}

impl Learner {
    pub(super) fn new(features: usize, tags: usize) -> Self {
        Self {
            emit: Training::new(features, tags),
            trans: Training::new(tags + 1, tags),
            emissions: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    /// One perceptron pass over `examples[k]` for each `k` in `order`.
    pub(super) fn pass(&mut self, examples: &[Example], order: &[usize], tags: usize) {
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
pub(super) fn train_mixed(
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
pub(super) fn mix(mut shards: Vec<&mut Training>) {
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
