//! The dictionary recommender: every mention the analyst annotated (and
//! every canonical entity's name) becomes an entry, matched again at word
//! boundaries, longest first. The score of a match is the share of that
//! string's occurrences in the training documents that carry the label
//! (annotated as it / seen at all), so a word annotated once and left alone
//! ten times scores low. Ties between labels go to the one annotated more
//! often, then to the label that sorts first: never decided at random.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::tokens::Token;

/// Entries shorter than this many code points are not learned ("a", "y").
pub const MIN_CHARS: usize = 2;

/// Longest entry, in tokens: longer mentions are rare and would make every
/// lookup slower.
const MAX_TOKENS: usize = 8;

/// What the dictionary knows of one string.
#[derive(Debug, Clone, Default)]
struct Entry {
    /// Times annotated with each label.
    labels: BTreeMap<String, usize>,
    /// Times seen in the training documents as a longest match, annotated
    /// or not (rejected suggestions count here as unannotated sightings).
    seen: usize,
}

/// A dictionary match: tokens `first..last` (inclusive start, exclusive
/// end), the label and its share.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index of the first token.
    pub first: usize,
    /// Index past the last token.
    pub last: usize,
    /// The label.
    pub label: String,
    /// Annotated with the label / seen, in 0..=1.
    pub score: f64,
}

/// Mentions learned from annotated documents.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    entries: HashMap<String, Entry>,
    /// Per token text: how often it was the first (B) or a later (I) token
    /// of a mention of each label, keyed "B-PER".
    token_tags: HashMap<String, BTreeMap<String, usize>>,
    /// Per token text that was ever in a mention: how often it occurs in
    /// the training documents at all.
    token_seen: HashMap<String, usize>,
    /// Strings never to learn or propose (the user's exclusions), lowercased.
    excluded: HashSet<String>,
    /// The longest entry, in tokens.
    longest: usize,
    /// The first token of every entry, with the longest entry it starts:
    /// most tokens start none, and are passed over without building a key.
    first_tokens: HashMap<String, usize>,
}

/// The key of a token run: the tokens' texts joined by U+001F.
fn key(text: &str, tokens: &[Token]) -> String {
    let mut key = String::new();
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            key.push('\u{1f}');
        }
        key.push_str(token.text(text));
    }
    key
}

impl Dictionary {
    /// An empty dictionary that will never learn or propose `excluded`
    /// strings (compared without case).
    pub fn new(excluded: impl IntoIterator<Item = String>) -> Self {
        Self {
            excluded: excluded.into_iter().map(|s| s.to_lowercase()).collect(),
            ..Self::default()
        }
    }

    /// Whether nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of strings learned.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Learns the annotated mentions of one document: `spans` are
    /// (start, end, label) in code points; those that do not fall on token
    /// boundaries are skipped (the recommenders propose whole tokens only).
    pub fn learn(&mut self, text: &str, tokens: &[Token], spans: &[(usize, usize, &str)]) {
        let by_start: HashMap<usize, usize> = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.start, i))
            .collect();
        for &(start, end, label) in spans {
            let Some(&first) = by_start.get(&start) else {
                continue;
            };
            let Some(count) = tokens
                .get(first..)
                .and_then(|rest| rest.iter().take(MAX_TOKENS).position(|t| t.end == end))
            else {
                continue;
            };
            let run = tokens.get(first..=first + count).unwrap_or_default();
            if run.len() > MAX_TOKENS || run.iter().any(|t| t.unspaced) {
                continue;
            }
            let chars = end - start;
            let key = key(text, run);
            if chars < MIN_CHARS
                || self
                    .excluded
                    .contains(&key.replace('\u{1f}', " ").to_lowercase())
            {
                continue;
            }
            self.longest = self.longest.max(run.len());
            let starts = self
                .first_tokens
                .entry(
                    run.first()
                        .map(|t| t.text(text))
                        .unwrap_or_default()
                        .to_owned(),
                )
                .or_default();
            *starts = (*starts).max(run.len());
            for (k, token) in run.iter().enumerate() {
                let tag = format!("{}-{label}", if k == 0 { 'B' } else { 'I' });
                *self
                    .token_tags
                    .entry(token.text(text).to_owned())
                    .or_default()
                    .entry(tag)
                    .or_default() += 1;
            }
            *self
                .entries
                .entry(key)
                .or_default()
                .labels
                .entry(label.to_owned())
                .or_default() += 1;
        }
    }

    /// Counts how often each learned string occurs in a training document
    /// (longest matches), annotated or not: the denominator of the score.
    /// Call after every training document was learned.
    pub fn count_sightings(&mut self, text: &str, tokens: &[Token]) {
        self.count_all_sightings(&[(text, tokens)]);
    }

    /// [`Dictionary::count_sightings`] of every document, counted on every
    /// core (each counts its share against the learned dictionary, which
    /// does not change while counting; the counts are then added up).
    pub fn count_all_sightings(&mut self, documents: &[(&str, &[Token])]) {
        let counted = super::parallel_chunks(documents, |part| {
            let mut words: HashMap<&str, usize> = HashMap::new();
            let mut keys: HashMap<String, usize> = HashMap::new();
            for &(text, tokens) in part {
                for token in tokens {
                    let word = token.text(text);
                    if self.token_tags.contains_key(word) {
                        *words.entry(word).or_default() += 1;
                    }
                }
                let mut i = 0;
                while i < tokens.len() {
                    match self.longest_at(text, tokens, i) {
                        Some((len, key)) => {
                            *keys.entry(key).or_default() += 1;
                            i += len;
                        }
                        None => i += 1,
                    }
                }
            }
            (words, keys)
        });
        for (words, keys) in counted {
            for (word, n) in words {
                *self.token_seen.entry(word.to_owned()).or_default() += n;
            }
            for (key, n) in keys {
                if let Some(entry) = self.entries.get_mut(&key) {
                    entry.seen += n;
                }
            }
        }
    }

    /// A suggestion the user rejected: one more sighting without the label.
    pub fn count_rejection(&mut self, text: &str, tokens: &[Token]) {
        if let Some(entry) = self.entries.get_mut(&key(text, tokens)) {
            entry.seen += 1;
        }
    }

    /// The longest learned run starting at token `i`: its length and key.
    fn longest_at(&self, text: &str, tokens: &[Token], i: usize) -> Option<(usize, String)> {
        let first = tokens.get(i)?;
        if !first.word || first.unspaced {
            return None;
        }
        let longest = *self.first_tokens.get(first.text(text))?;
        let most = longest.min(tokens.len() - i);
        (1..=most).rev().find_map(|len| {
            let run = tokens.get(i..i + len)?;
            if run.iter().any(|t| t.unspaced) || !run.last().is_some_and(|t| t.word) {
                return None;
            }
            let key = key(text, run);
            self.entries.contains_key(&key).then_some((len, key))
        })
    }

    /// The learned label of a run and its share, when the string is known.
    fn label_of(&self, key: &str) -> Option<(String, f64)> {
        let entry = self.entries.get(key)?;
        let total: usize = entry.labels.values().sum();
        // Most often annotated; on a tie, the label that sorts first (the
        // map is sorted, and `max_by_key` keeps the last maximum, so the
        // iteration is reversed).
        let (label, count) = entry.labels.iter().rev().max_by_key(|(_, count)| **count)?;
        let seen = entry.seen.max(total).max(1);
        Some((label.clone(), *count as f64 / seen as f64))
    }

    /// Every longest match in `tokens`, left to right, not overlapping.
    pub fn matches(&self, text: &str, tokens: &[Token]) -> Vec<Match> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.longest_at(text, tokens, i) {
                Some((len, key)) => {
                    if let Some((label, score)) = self.label_of(&key) {
                        out.push(Match {
                            first: i,
                            last: i + len,
                            label,
                            score,
                        });
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The dictionary's match for each token, as a feature for the model:
    /// `Some(("B-PER", share bucket))` for tokens inside a match.
    pub fn token_matches(&self, text: &str, tokens: &[Token]) -> Vec<Option<(String, char)>> {
        let mut out = vec![None; tokens.len()];
        for m in self.matches(text, tokens) {
            for (k, slot) in out.iter_mut().enumerate().take(m.last).skip(m.first) {
                let position = if k == m.first { 'B' } else { 'I' };
                *slot = Some((format!("{position}-{}", m.label), bucket(m.score)));
            }
        }
        out
    }

    /// What the token gazetteer says of one token: the tag it most often
    /// had in a mention (ties to the tag that sorts first) and the share of
    /// its sightings inside mentions, as a bucket.
    pub fn token_tag(&self, word: &str) -> Option<(&str, char)> {
        let tags = self.token_tags.get(word)?;
        let total: usize = tags.values().sum();
        let (tag, _) = tags.iter().rev().max_by_key(|(_, count)| **count)?;
        let seen = self
            .token_seen
            .get(word)
            .copied()
            .unwrap_or(0)
            .max(total)
            .max(1);
        Some((tag.as_str(), bucket(total as f64 / seen as f64)))
    }
}

/// A share in four buckets, for features: high, medium, low, very low.
pub fn bucket(share: f64) -> char {
    if share >= 0.75 {
        'h'
    } else if share >= 0.5 {
        'm'
    } else if share >= 0.2 {
        'l'
    } else {
        'v'
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::tokens::tokenize;

    fn span(text: &str, needle: &str) -> (usize, usize) {
        let byte = text.find(needle).expect("needle");
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    }

    #[test]
    fn longest_match_and_the_share_as_score() {
        let train = "Vladimir Putin met Putin's envoy. Putin left. Moscow said putin.";
        let tokens = tokenize(train);
        let (s1, e1) = span(train, "Vladimir Putin");
        let (s2, e2) = span(train, "Putin left");
        let mut dictionary = Dictionary::new(Vec::new());
        dictionary.learn(
            train,
            &tokens,
            &[
                (s1, e1, "PER"),
                (s2, s2 + 5, "PER"),
                (e2 + 2, e2 + 8, "LOC"),
            ],
        );
        dictionary.count_sightings(train, &tokens);
        let text = "Vladimir Putin and Putin in Moscow";
        let found = dictionary.matches(text, &tokenize(text));
        let labels: Vec<(&str, f64)> = found.iter().map(|m| (m.label.as_str(), m.score)).collect();
        // "Vladimir Putin" once, annotated once; "Putin" seen twice more
        // ("Putin's", "Putin left"), annotated once; "Moscow" once.
        assert_eq!(labels, [("PER", 1.0), ("PER", 0.5), ("LOC", 1.0)]);
        assert_eq!(found[0].last - found[0].first, 2, "the longest match");
    }

    #[test]
    fn ties_are_decided_by_count_then_name_and_short_or_excluded_strings_are_not_learned() {
        let train = "Georgia Georgia Georgia ok X";
        let tokens = tokenize(train);
        let mut dictionary = Dictionary::new(vec!["OK".to_owned()]);
        dictionary.learn(
            train,
            &tokens,
            &[
                (0, 7, "LOC"),
                (8, 15, "PER"),
                (24, 26, "ORG"),
                (27, 28, "ORG"),
            ],
        );
        assert_eq!(dictionary.len(), 1, "'ok' is excluded, 'X' too short");
        let found = dictionary.matches("Georgia", &tokenize("Georgia"));
        assert_eq!(found[0].label, "LOC", "one each: the first by name");
    }
}
