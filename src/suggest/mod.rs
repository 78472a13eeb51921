//! Suggestions: Gloss learns from the project's own annotations and
//! proposes the next ones, on this machine, with no network and no
//! pre-trained model.
//!
//! Two recommenders are trained from the documents marked Done or Reviewed
//! (annotations a reviewer rejected are left out of what is learned):
//! - [`dictionary`]: every annotated mention, matched again at word
//!   boundaries, longest first, scored by the share of its sightings that
//!   carry the label;
//! - [`model`]: an averaged perceptron over BIO tags with rich token
//!   features, the dictionary's match among them (see `docs/suggestions.md`).
//!
//! Suggestions are spans of whole [`tokens`], never overlap an annotation
//! the document has, and never repeat one the analyst rejected.

pub mod claims;
pub mod dictionary;
pub mod model;
pub mod tokens;

use crate::model::{Document, Project, Review, Status};

use dictionary::Dictionary;
use tokens::Token;

/// Which recommender proposed a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The dictionary of annotated mentions.
    Dictionary,
    /// The trained sequence model.
    Model,
}

impl Source {
    /// The name the JSON output uses.
    pub fn name(self) -> &'static str {
        match self {
            Source::Dictionary => "dictionary",
            Source::Model => "model",
        }
    }
}

/// A proposed entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Start, code points.
    pub start: usize,
    /// End, code points, exclusive.
    pub end: usize,
    /// Entity type key.
    pub label: String,
    /// The text it quotes.
    pub text: String,
    /// How sure, 0..=1.
    pub score: f64,
    /// Who proposed it.
    pub source: Source,
}

/// The score below which suggestions are not shown unless asked for.
pub const DEFAULT_MIN_SCORE: f64 = 0.5;

/// The dictionary never proposes a string annotated in fewer than one in
/// ten of its sightings, whatever threshold is asked for: that is a slip
/// (in CoNLL-2002, "de" annotated once as ORG among 2,800 sightings made
/// 2,823 suggestions in 169 documents at threshold 0). Such entries still
/// tell the model what the dictionary says, in its share bucket.
pub const MIN_DICTIONARY_SHARE: f64 = 0.1;

/// What the recommenders were trained on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trained {
    /// Documents marked Done or Reviewed.
    pub documents: usize,
    /// Their entities, rejected ones left out.
    pub entities: usize,
}

/// The trained recommenders.
#[derive(Debug, Clone, Default)]
pub struct Recommender {
    dictionary: Dictionary,
    model: Option<model::Model>,
    trained: Trained,
    /// Each training document's features, by [`document_key`], for a
    /// retrain that changes only what changed.
    features: std::collections::HashMap<u64, std::sync::Arc<model::DocFeatures>>,
}

/// What a training document's features depend on: its id, text and
/// entities (the dictionary's later growth aside).
fn document_key(doc: &Document) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    doc.id.hash(&mut hasher);
    doc.content_hash.hash(&mut hasher);
    for (start, end, label) in gold(doc) {
        (start, end, label).hash(&mut hasher);
    }
    hasher.finish()
}

/// Whether a document is training material: finished by the analyst.
pub fn is_training(doc: &Document) -> bool {
    matches!(doc.status, Status::Done | Status::Reviewed)
}

/// A document's annotated entities as (start, end, label), without the
/// rejected ones.
fn gold(doc: &Document) -> Vec<(usize, usize, &str)> {
    doc.entities
        .iter()
        .filter(|e| e.review != Review::Rejected)
        .map(|e| (e.start, e.end, e.label.as_str()))
        .collect()
}

impl Recommender {
    /// Trains on the project's Done and Reviewed documents; every
    /// suggestion the analyst rejected, in any document, counts against
    /// its string in the dictionary.
    pub fn train(project: &Project) -> Self {
        Self::retrain(None, project)
    }

    /// [`Recommender::train`], reusing what `previous` (trained on an
    /// earlier state of the project) worked out for documents that did not
    /// change: a document marked Done, or edited, is the only one whose
    /// features are worked out again, its dictionary feature from
    /// `previous`' dictionary (which had not learned it). The dictionary is
    /// learned again in full and the model trained again on everything.
    /// When more than a quarter of the documents are new, it trains from
    /// scratch, folds and all.
    pub fn retrain(previous: Option<&Recommender>, project: &Project) -> Self {
        let documents: Vec<&Document> = project
            .documents
            .iter()
            .map(|d| &**d)
            .filter(|d| is_training(d))
            .collect();
        let new = previous.map_or(documents.len(), |p| {
            documents
                .iter()
                .filter(|d| !p.features.contains_key(&document_key(d)))
                .count()
        });
        let mut trained = match previous {
            Some(previous) if !previous.is_empty() && new * 4 <= documents.len() => {
                Self::train_incrementally(previous, &documents)
            }
            _ => Self::train_on(&documents),
        };
        for doc in &project.documents {
            for d in doc.suggestion_decisions.iter().filter(|d| !d.accepted) {
                let tokens = tokens::tokenize(&d.text);
                trained.dictionary.count_rejection(&d.text, &tokens);
            }
        }
        trained
    }

    /// Trains on `documents` (whatever their status), from scratch.
    pub fn train_on(documents: &[&Document]) -> Self {
        let tokenized: Vec<(&Document, Vec<Token>)> = documents
            .iter()
            .map(|d| (*d, tokens::tokenize(&d.text)))
            .collect();
        let (dictionary, entities) = full_dictionary(&tokenized);
        // The model learns how far to trust the dictionary from matches of
        // mentions it has not seen: each document's dictionary feature
        // comes from a dictionary of the other documents (ten folds), as
        // it will for new documents.
        let folds = fold_dictionaries(&tokenized, 10);
        let empty = Dictionary::default();
        let prepared: Vec<std::sync::Arc<model::DocFeatures>> =
            parallel_map(&tokenized, |i, (doc, tokens)| {
                let fold = folds.get(i % folds.len().max(1)).unwrap_or(&empty);
                std::sync::Arc::new(model::document_features(&doc.text, tokens, fold))
            });
        Self::finish(&tokenized, dictionary, entities, prepared, None)
    }

    /// A retrain after few documents changed (see [`Recommender::retrain`]).
    fn train_incrementally(previous: &Recommender, documents: &[&Document]) -> Self {
        let tokenized: Vec<(&Document, Vec<Token>)> = documents
            .iter()
            .map(|d| (*d, tokens::tokenize(&d.text)))
            .collect();
        let (dictionary, entities) = full_dictionary(&tokenized);
        let prepared: Vec<std::sync::Arc<model::DocFeatures>> =
            parallel_map(&tokenized, |_, (doc, tokens)| {
                match previous.features.get(&document_key(doc)) {
                    Some(kept) => kept.clone(),
                    None => std::sync::Arc::new(model::document_features(
                        &doc.text,
                        tokens,
                        &previous.dictionary,
                    )),
                }
            });
        Self::finish(
            &tokenized,
            dictionary,
            entities,
            prepared,
            previous.model.as_ref(),
        )
    }

    fn finish(
        tokenized: &[(&Document, Vec<Token>)],
        dictionary: Dictionary,
        entities: usize,
        prepared: Vec<std::sync::Arc<model::DocFeatures>>,
        base: Option<&model::Model>,
    ) -> Self {
        let model = (entities > 0).then(|| model::Model::train(tokenized, &prepared, base));
        let features = tokenized
            .iter()
            .zip(prepared)
            .map(|((doc, _), f)| (document_key(doc), f))
            .collect();
        Self {
            dictionary,
            model,
            trained: Trained {
                documents: tokenized.len(),
                entities,
            },
            features,
        }
    }

    /// What it was trained on.
    pub fn trained(&self) -> Trained {
        self.trained
    }

    /// Whether there was anything to learn from.
    pub fn is_empty(&self) -> bool {
        self.trained.entities == 0
    }

    /// Suggestions for `doc` scoring at least `min_score`, in reading
    /// order: the model's, and the dictionary's where the model proposes
    /// nothing that overlaps them. None overlaps an entity `doc` has.
    pub fn suggest(&self, doc: &Document, min_score: f64) -> Vec<Suggestion> {
        if self.is_empty() {
            return Vec::new();
        }
        let tokens = tokens::tokenize(&doc.text);
        let mut found: Vec<Suggestion> = Vec::new();
        if let Some(model) = &self.model {
            for (first, last, label, score) in model.spans(&doc.text, &tokens, &self.dictionary) {
                if let Some(s) = suggestion(doc, &tokens, first, last, label, score, Source::Model)
                {
                    found.push(s);
                }
            }
        }
        for m in self.dictionary.matches(&doc.text, &tokens) {
            if m.score < MIN_DICTIONARY_SHARE {
                continue;
            }
            if let Some(s) = suggestion(
                doc,
                &tokens,
                m.first,
                m.last,
                m.label,
                m.score,
                Source::Dictionary,
            ) && !found
                .iter()
                .any(|f| overlaps(f.start, f.end, s.start, s.end))
            {
                found.push(s);
            }
        }
        let mut annotated: Vec<(usize, usize)> =
            doc.entities.iter().map(|e| (e.start, e.end)).collect();
        annotated.sort_unstable();
        // A decision that no longer quotes the text (the file was edited by
        // hand) is ignored rather than refused: it only steers suggestions.
        let rejected: std::collections::HashSet<(usize, usize, &str)> = doc
            .suggestion_decisions
            .iter()
            .filter(|d| {
                !d.accepted
                    && crate::model::span::char_slice(&doc.text, d.start, d.end)
                        == Some(d.text.as_str())
            })
            .map(|d| (d.start, d.end, d.label.as_str()))
            .collect();
        found.retain(|s| {
            s.score >= min_score
                && !overlaps_any(&annotated, s.start, s.end)
                && !rejected.contains(&(s.start, s.end, s.label.as_str()))
        });
        found.sort_by_key(|a| (a.start, a.end));
        found
    }
}

/// The dictionary of every document's mentions, and how many entities it
/// learned from.
fn full_dictionary(tokenized: &[(&Document, Vec<Token>)]) -> (Dictionary, usize) {
    let mut dictionary = Dictionary::new(Vec::new());
    let mut entities = 0;
    for (doc, tokens) in tokenized {
        let spans = gold(doc);
        entities += spans.len();
        dictionary.learn(&doc.text, tokens, &spans);
    }
    let texts: Vec<(&str, &[Token])> = tokenized
        .iter()
        .map(|(doc, tokens)| (doc.text.as_str(), tokens.as_slice()))
        .collect();
    dictionary.count_all_sightings(&texts);
    (dictionary, entities)
}

/// Dictionaries for training the model: document `i`'s is learned from
/// every document not in its fold (`i % folds`). With one document, its own.
/// Built on every core.
fn fold_dictionaries(tokenized: &[(&Document, Vec<Token>)], folds: usize) -> Vec<Dictionary> {
    let folds = folds.min(tokenized.len()).max(1);
    let fold_ids: Vec<usize> = (0..folds).collect();
    parallel_map(&fold_ids, |_, &fold| {
        let mut dictionary = Dictionary::new(Vec::new());
        let others = || {
            tokenized
                .iter()
                .enumerate()
                .filter(move |(i, _)| folds == 1 || i % folds != fold)
                .map(|(_, d)| d)
        };
        for (doc, tokens) in others() {
            dictionary.learn(&doc.text, tokens, &gold(doc));
        }
        for (doc, tokens) in others() {
            dictionary.count_sightings(&doc.text, tokens);
        }
        dictionary
    })
}

/// `f` of each contiguous share of `items`, one share per core, in order.
pub(crate) fn parallel_chunks<'a, T: Sync, R: Send>(
    items: &'a [T],
    f: impl Fn(&'a [T]) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len())
        .max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    let shares: Vec<&'a [T]> = items.chunks(chunk).collect();
    parallel_map(&shares, |_, share| f(share))
}

/// `f` of every item, in order, worked out on every core (scoped threads
/// over contiguous chunks; one thread when there is one core or one item).
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len())
        .max(1);
    if threads == 1 {
        return items.iter().enumerate().map(|(i, x)| f(i, x)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(k, x)| f(c * chunk + k, x))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        // A worker that panicked is a bug; its part comes back empty
        // rather than taking the app down.
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

fn overlaps(a_start: usize, a_end: usize, b_start: usize, b_end: usize) -> bool {
    a_start < b_end && b_start < a_end
}

/// Whether `start..end` overlaps any of the spans (sorted by start).
fn overlaps_any(sorted: &[(usize, usize)], start: usize, end: usize) -> bool {
    let upto = sorted.partition_point(|(s, _)| *s < end);
    sorted
        .get(..upto)
        .unwrap_or_default()
        .iter()
        .any(|&(_, e)| e > start)
}

/// The suggestion for tokens `first..last`, when it is a valid span.
fn suggestion(
    doc: &Document,
    tokens: &[Token],
    first: usize,
    last: usize,
    label: String,
    score: f64,
    source: Source,
) -> Option<Suggestion> {
    let (a, b) = (tokens.get(first)?, tokens.get(last.checked_sub(1)?)?);
    if tokens.get(first..last)?.iter().any(|t| t.unspaced) {
        return None;
    }
    let text = doc.text.get(a.byte_start..b.byte_end)?.to_owned();
    Some(Suggestion {
        start: a.start,
        end: b.end,
        label,
        text,
        score,
        source,
    })
}

/// The annotator name of entities `gloss suggest --apply` writes.
pub const SUGGEST_ANNOTATOR: &str = "gloss-suggest";

/// Adds suggestions, as (document id, suggestion), to `project` as
/// unreviewed entities by [`SUGGEST_ANNOTATOR`], with fresh ids; a
/// suggestion whose span no longer quotes the text is skipped. Returns how
/// many were added.
pub fn apply_suggestions(project: &mut Project, found: &[(String, Suggestion)]) -> usize {
    let mut added = 0;
    let mut by_doc: std::collections::HashMap<&str, Vec<&Suggestion>> = Default::default();
    for (doc, s) in found {
        by_doc.entry(doc.as_str()).or_default().push(s);
    }
    for doc in &mut project.documents {
        let Some(list) = by_doc.get(doc.id.as_str()) else {
            continue;
        };
        let doc = std::sync::Arc::make_mut(doc);
        let mut next = doc
            .entities
            .iter()
            .filter_map(|e| e.id.strip_prefix('e')?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        for s in list {
            if crate::model::span::char_slice(&doc.text, s.start, s.end) != Some(s.text.as_str()) {
                continue;
            }
            next += 1;
            let mut entity = crate::model::Entity::new(
                format!("e{next}"),
                s.label.as_str(),
                s.start,
                s.end,
                s.text.as_str(),
            );
            entity.annotator = Some(SUGGEST_ANNOTATOR.into());
            doc.entities.push(entity);
            added += 1;
        }
    }
    added
}

/// Decisions of `doc` that no longer quote its text (a file edited by
/// hand): ignored by the recommenders, and worth a warning.
pub fn stale_decisions(doc: &Document) -> usize {
    doc.suggestion_decisions
        .iter()
        .filter(|d| {
            crate::model::span::char_slice(&doc.text, d.start, d.end) != Some(d.text.as_str())
        })
        .count()
}

/// One point of a learning curve: F1 of suggestions on held-out finished
/// documents, trained on this many others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    /// Training documents.
    pub documents: usize,
    /// Exact span and label, micro-averaged over the held-out documents.
    pub f1: f64,
}

/// The learning curve of the project's own finished documents: the last
/// fifth (at least one) is held out, the recommenders are trained on the
/// first quarter, half and all of the rest, and their suggestions for the
/// held-out documents (annotations removed; those the app shows by default,
/// scoring at least [`DEFAULT_MIN_SCORE`]) are scored against
/// what the analysts annotated. Empty with fewer than two finished documents.
/// Stops early (returning what it has) when `cancelled` says so.
pub fn learning_curve(project: &Project, cancelled: &dyn Fn() -> bool) -> Vec<CurvePoint> {
    let finished: Vec<&Document> = project
        .documents
        .iter()
        .map(|d| &**d)
        .filter(|d| is_training(d))
        .collect();
    if finished.len() < 2 {
        return Vec::new();
    }
    let held = (finished.len() / 5).max(1);
    let (train, test) = finished.split_at(finished.len() - held);
    let mut sizes: Vec<usize> = [
        train.len().div_ceil(4),
        train.len().div_ceil(2),
        train.len(),
    ]
    .into_iter()
    .filter(|n| *n > 0)
    .collect();
    sizes.dedup();
    let blank: Vec<Document> = test
        .iter()
        .map(|d| {
            let mut d = (*d).clone();
            d.entities.clear();
            d.claims.clear();
            d.relations.clear();
            d.suggestion_decisions.clear();
            d.status = Status::InProgress;
            d
        })
        .collect();
    let mut curve = Vec::new();
    for n in sizes {
        if cancelled() {
            break;
        }
        let recommender = Recommender::train_on(train.get(..n).unwrap_or_default());
        let (mut hits, mut found, mut gold) = (0usize, 0usize, 0usize);
        for (doc, blank) in test.iter().zip(&blank) {
            let truth: std::collections::HashSet<(usize, usize, &str)> = gold_spans(doc);
            gold += truth.len();
            // Scored as the app shows them by default: at a threshold of 0
            // every dictionary match of a word annotated once in twenty
            // sightings counts, and a larger training set (more such
            // words) scored lower.
            for s in recommender.suggest(blank, DEFAULT_MIN_SCORE) {
                found += 1;
                hits += usize::from(truth.contains(&(s.start, s.end, s.label.as_str())));
            }
        }
        let (_, _, f1) = precision_recall_f1(hits, found, gold);
        curve.push(CurvePoint { documents: n, f1 });
    }
    curve
}

/// Precision, recall and F1 of `hits` right answers among `found`
/// proposed, against `gold` expected (0 where undefined).
pub fn precision_recall_f1(hits: usize, found: usize, gold: usize) -> (f64, f64, f64) {
    let share = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    let (p, r) = (share(hits, found), share(hits, gold));
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f1)
}

fn gold_spans(doc: &Document) -> std::collections::HashSet<(usize, usize, &str)> {
    gold(doc).into_iter().collect()
}

/// Per entity type, suggestions accepted and rejected so far in the
/// project: (type, accepted, rejected), types in name order. The precision
/// the analyst has seen is accepted / (accepted + rejected).
pub fn decisions_by_type(project: &Project) -> Vec<(String, usize, usize)> {
    let mut counts: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for doc in &project.documents {
        for d in &doc.suggestion_decisions {
            let entry = counts.entry(d.label.as_str()).or_default();
            if d.accepted {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(label, (accepted, rejected))| (label.to_owned(), accepted, rejected))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entity;
    use proptest::prelude::*;

    fn annotated(id: &str, text: &str, mentions: &[(&str, &str)]) -> Document {
        let mut doc = Document::new(id, id, text);
        for (i, (needle, label)) in mentions.iter().enumerate() {
            let byte = text.find(needle).expect("needle");
            let start = text[..byte].chars().count();
            doc.entities.push(Entity::new(
                format!("e{}", i + 1),
                *label,
                start,
                start + needle.chars().count(),
                *needle,
            ));
        }
        doc.status = Status::Done;
        doc
    }

    pub(super) fn training() -> Vec<Document> {
        vec![
            annotated(
                "a",
                "Kim Jong Un met Vladimir Putin in Vladivostok.\nThe Kremlin said Putin was pleased.",
                &[
                    ("Kim Jong Un", "PER"),
                    ("Vladimir Putin", "PER"),
                    ("Vladivostok", "LOC"),
                    ("Kremlin", "ORG"),
                    ("Putin", "PER"),
                ],
            ),
            annotated(
                "b",
                "Putin flew to Beijing on Monday.\nXi Jinping greeted Putin in Beijing.",
                &[("Putin", "PER"), ("Beijing", "LOC"), ("Xi Jinping", "PER")],
            ),
        ]
    }

    #[test]
    fn a_string_annotated_by_a_slip_is_never_proposed_by_the_dictionary() {
        let mut docs = training();
        // "de" annotated once, seen eleven times.
        let text = format!("La casa de {}", "de ".repeat(10));
        docs.push(annotated("slip", &text, &[("de", "ORG")]));
        let refs: Vec<&Document> = docs.iter().collect();
        let recommender = Recommender::train_on(&refs);
        let doc = Document::new("new", "new", "El presidente de la casa de Putin.");
        let found = recommender.suggest(&doc, 0.0);
        assert!(
            !found
                .iter()
                .any(|s| s.text == "de" && s.source == Source::Dictionary),
            "{found:?}"
        );
    }

    #[test]
    fn suggestions_quote_the_text_skip_annotated_spans_and_rejections() {
        let docs = training();
        let refs: Vec<&Document> = docs.iter().collect();
        let recommender = Recommender::train_on(&refs);
        assert_eq!(recommender.trained().documents, 2);
        let text = "Vladimir Putin arrived in Beijing; the Kremlin confirmed it.";
        let mut doc = Document::new("new", "new", text);
        let found = recommender.suggest(&doc, 0.0);
        assert!(
            found
                .iter()
                .any(|s| s.text == "Vladimir Putin" && s.label == "PER"),
            "{found:?}"
        );
        for s in &found {
            assert_eq!(
                crate::model::span::char_slice(text, s.start, s.end),
                Some(s.text.as_str())
            );
        }
        // Annotated: no suggestion overlaps it. Rejected: never again.
        doc.entities
            .push(Entity::new("e1", "LOC", 26, 33, "Beijing"));
        let putin = found
            .iter()
            .find(|s| s.text == "Vladimir Putin")
            .expect("Putin");
        doc.suggestion_decisions
            .push(crate::model::SuggestionDecision {
                start: putin.start,
                end: putin.end,
                label: putin.label.as_str().into(),
                text: putin.text.as_str().into(),
                accepted: false,
            });
        let again = recommender.suggest(&doc, 0.0);
        assert!(
            again.iter().all(|s| s.end <= 26 || s.start >= 33),
            "{again:?}"
        );
        assert!(
            !again
                .iter()
                .any(|s| s.start == putin.start && s.end == putin.end && s.label == "PER")
        );
    }

    #[test]
    fn nothing_learned_suggests_nothing_and_unspaced_scripts_get_no_junk() {
        let empty = Recommender::train_on(&[]);
        assert!(empty.is_empty());
        let doc = Document::new("x", "x", "Vladimir Putin");
        assert!(empty.suggest(&doc, 0.0).is_empty());
        let docs = training();
        let refs: Vec<&Document> = docs.iter().collect();
        let recommender = Recommender::train_on(&refs);
        for text in ["普京在北京会见了习近平。", "ปูตินพบกับสีจิ้นผิงที่ปักกิ่ง"]
        {
            let doc = Document::new("zh", "zh", text);
            assert!(recommender.suggest(&doc, 0.0).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_retrain_reuses_unchanged_documents_and_learns_the_new_one() {
        let docs = training();
        let mut project = Project::new("p");
        for doc in &docs {
            project.documents.push(doc.clone().into());
        }
        let first = Recommender::train(&project);
        // Nothing changed: the same suggestions as a full training.
        let doc = Document::new("n", "n", "Xi Jinping met Putin in Vladivostok.");
        let same = Recommender::retrain(Some(&first), &project);
        assert_eq!(same.suggest(&doc, 0.0), first.suggest(&doc, 0.0));
        // One more finished document with a new name: it is learned.
        let mut more = annotated(
            "c",
            "Angela Merkel visited Vladivostok.\nMerkel met Putin there.",
            &[
                ("Angela Merkel", "PER"),
                ("Merkel", "PER"),
                ("Vladivostok", "LOC"),
            ],
        );
        more.status = Status::Done;
        project.documents.push(more.into());
        let retrained = Recommender::retrain(Some(&first), &project);
        assert_eq!(retrained.trained().documents, 3);
        let found = retrained.suggest(&Document::new("m", "m", "Angela Merkel said no."), 0.0);
        assert!(
            found
                .iter()
                .any(|s| s.text == "Angela Merkel" && s.label == "PER"),
            "{found:?}"
        );
    }

    #[test]
    fn training_is_deterministic() {
        let docs = training();
        let refs: Vec<&Document> = docs.iter().collect();
        let doc = Document::new("n", "n", "Xi Jinping met Putin in Vladivostok.");
        let first = Recommender::train_on(&refs).suggest(&doc, 0.0);
        for _ in 0..3 {
            assert_eq!(Recommender::train_on(&refs).suggest(&doc, 0.0), first);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn suggestions_are_valid_spans_with_quotes_that_match(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("Putin"), Just("Kim"), Just("Jong"), Just("Un"), Just("Beijing"),
                    Just("the"), Just("met"), Just("😀"), Just("قال"), Just("普京"),
                    Just("."), Just(","), Just("\n"), Just("Xi"), Just("Jinping"), Just("é"),
                ],
                0..40,
            ),
            threshold in 0.0f64..1.0,
        ) {
            let docs = training();
            let refs: Vec<&Document> = docs.iter().collect();
            let recommender = Recommender::train_on(&refs);
            let text = words.join(" ");
            let doc = Document::new("p", "p", &text);
            let found = recommender.suggest(&doc, threshold);
            let mut previous_end = 0;
            for s in &found {
                prop_assert!(s.start < s.end);
                prop_assert!(s.start >= previous_end, "sorted, not overlapping: {found:?}");
                previous_end = s.end;
                prop_assert_eq!(
                    crate::model::span::char_slice(&text, s.start, s.end),
                    Some(s.text.as_str())
                );
                prop_assert!(s.score >= threshold && s.score <= 1.0);
            }
        }
    }
}
