//! Decoding: emission rows and first-order Viterbi over BIO tags.

use super::*;

/// Adds row `row` (of `tags` weights) of `weights` to `scores`: one slice,
/// one bounds check, a loop the compiler vectorises.
pub(super) fn add_row(scores: &mut [f32], weights: &[f32], row: usize, tags: usize) {
    if let Some(weights) = weights.get(row * tags..(row + 1) * tags) {
        for (slot, w) in scores.iter_mut().zip(weights) {
            *slot += *w;
        }
    }
}

/// Whether `tag` may follow `previous` (`None`: the sentence start): an I-
/// only after a B- or I- of its label.
pub(super) fn allowed(previous: Option<Tag>, tag: Tag) -> bool {
    if tag == 0 || tag % 2 == 1 {
        return true;
    }
    previous.is_some_and(|p| p != 0 && p.div_ceil(2) == tag / 2)
}

/// Buffers Viterbi reuses from sentence to sentence (training decodes
/// every sentence eight times: allocating them each time showed).
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) score: Vec<f32>,
    pub(super) back: Vec<u32>,
    pub(super) path: Vec<Tag>,
    /// The transitions with the moves [`allowed`] forbids set to minus
    /// infinity, so the inner loop is a plain add and compare.
    pub(super) masked: Vec<f32>,
}

/// Best tags of one sentence by Viterbi (into `scratch.path`), and the
/// path's score; `emissions` holds `tags` scores per token, flat. With
/// `only_o`, the tokens in that range may only be O (to score a span
/// against its absence).
pub(super) fn viterbi(
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
