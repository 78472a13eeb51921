//! A token's features: hashed strings from the word, its shape, its
//! neighbours, the dictionary and the rest of the document; sentences and
//! gold tags.

use super::*;

/// FNV-1a of a feature's text.
pub(super) fn hash(parts: &[&str]) -> u64 {
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
pub(super) fn char_class(c: char) -> char {
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
pub(super) fn shape(word: &str) -> String {
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
pub(super) struct DocumentFacts<'t> {
    pub(super) lower_seen: HashSet<&'t str>,
    pub(super) capitalised_inside: HashSet<&'t str>,
    pub(super) contexts: HashMap<&'t str, BTreeSet<u64>>,
}

pub(super) fn document_facts<'t>(
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
pub(super) fn is_title(word: &str) -> bool {
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
pub(super) fn token_features(
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
pub(super) fn sentences(tokens: &[Token]) -> Vec<(usize, usize)> {
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
pub(super) fn gold_tags(
    tokens: &[Token],
    spans: &[(usize, usize, &str)],
    labels: &[String],
) -> Vec<Tag> {
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
