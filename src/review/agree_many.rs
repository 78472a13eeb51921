//! Agreement among any number of annotators' projects: every pairwise
//! comparison of [`super::agree`], and multi-coder figures over the
//! documents every project has — Krippendorff's α (nominal) and Fleiss' κ on
//! the same word tokens and innermost-label rule as the two-coder κ and α —
//! overall and per entity type (that type against everything else), plus
//! each annotator's mean pairwise figures against the others.
//! Definitions are in `docs/agreement.md`. Pure: no I/O.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::agree::{AgreeError, AgreeOptions, Agreement, agree, token_labels, word_tokens};
use crate::model::{Document, Project};

/// The figures of every coder together.
#[derive(Debug, Clone, PartialEq)]
pub struct AllCoders {
    /// Documents every project has (matched by text).
    pub documents: usize,
    /// Word tokens in them: the units each coder labels.
    pub tokens: usize,
    /// Krippendorff's α (nominal) over the full labelling.
    pub alpha: Option<f64>,
    /// Fleiss' κ over the full labelling.
    pub fleiss_kappa: Option<f64>,
    /// Per entity type: (key, α, Fleiss' κ) of "this type or not".
    pub per_type: Vec<(String, Option<f64>, Option<f64>)>,
}

/// One annotator against the others: the mean of their pairwise figures.
#[derive(Debug, Clone, PartialEq)]
pub struct AgainstOthers {
    /// Mean exact-span F1 over the pairs this annotator is in.
    pub f1: Option<f64>,
    /// Mean token κ over those pairs.
    pub kappa: Option<f64>,
    /// The entity type with this annotator's lowest mean F1 (where they
    /// disagree most), with that F1.
    pub weakest_type: Option<(String, f64)>,
}

/// Agreement among several projects.
#[derive(Debug, Clone)]
pub struct ManyAgreement {
    /// The annotators' names, in argument order.
    pub annotators: Vec<String>,
    /// Every pair (i < j) with its two-project agreement (i is A).
    pub pairs: Vec<(usize, usize, Agreement)>,
    /// Every coder together.
    pub all: AllCoders,
    /// Each annotator against the others, in `annotators` order.
    pub per_annotator: Vec<AgainstOthers>,
}

/// Compares `projects` (name, project) pairwise and all together.
pub fn agree_many(
    projects: &[(String, &Project)],
    options: &AgreeOptions,
) -> Result<ManyAgreement, AgreeError> {
    let mut pairs = Vec::new();
    for i in 0..projects.len() {
        for j in i + 1..projects.len() {
            if let (Some((_, a)), Some((_, b))) = (projects.get(i), projects.get(j)) {
                pairs.push((i, j, agree(a, b, options)?));
            }
        }
    }
    let refs: Vec<&Project> = projects.iter().map(|(_, p)| *p).collect();
    let all = all_coders(&refs, options);
    let per_annotator = (0..projects.len())
        .map(|k| against_others(k, &pairs))
        .collect();
    Ok(ManyAgreement {
        annotators: projects.iter().map(|(n, _)| n.clone()).collect(),
        pairs,
        all,
        per_annotator,
    })
}

/// The documents of the first project (all, or those of `options`) that
/// every other project has too, matched by text (copies paired in order),
/// with each project's copy.
fn common_documents<'p>(
    projects: &[&'p Project],
    options: &AgreeOptions,
) -> Vec<Vec<&'p Document>> {
    let Some((first, others)) = projects.split_first() else {
        return Vec::new();
    };
    let mut by_hash: Vec<HashMap<&str, Vec<&Document>>> = others
        .iter()
        .map(|p| {
            let mut map: HashMap<&str, Vec<&Document>> = HashMap::new();
            for d in p.documents.iter().rev() {
                map.entry(d.content_hash.as_str()).or_default().push(d);
            }
            map
        })
        .collect();
    let mut out = Vec::new();
    for doc in first.documents.iter() {
        if !options.doc_ids.is_empty() && !options.doc_ids.contains(&doc.id) {
            continue;
        }
        let found: Option<Vec<&Document>> = by_hash
            .iter()
            .map(|map| {
                map.get(doc.content_hash.as_str())
                    .and_then(|v| v.last().copied())
            })
            .collect();
        if let Some(copies) = found {
            for map in &mut by_hash {
                if let Some(v) = map.get_mut(doc.content_hash.as_str()) {
                    v.pop();
                }
            }
            let mut row = vec![&**doc];
            row.extend(copies);
            out.push(row);
        }
    }
    out
}

/// Counts of each label value per unit, summed into what α and κ need.
#[derive(Debug, Default, Clone)]
struct Units {
    /// Coders per unit (every unit has all of them).
    coders: usize,
    /// Units (tokens).
    units: usize,
    /// Σ_u Σ_c n_uc (m − n_uc): ordered pairs of differing values in units.
    differing_pairs: f64,
    /// Σ_u Σ_c n_uc²: for Fleiss' P̄.
    same_squares: f64,
    /// n_c: how often each value was given overall.
    totals: HashMap<usize, u64>,
}

impl Units {
    fn new(coders: usize) -> Self {
        Self {
            coders,
            ..Self::default()
        }
    }

    /// One unit: the value each coder gave.
    fn add(&mut self, values: &[usize], counts: &mut HashMap<usize, u64>) {
        counts.clear();
        for v in values {
            *counts.entry(*v).or_default() += 1;
        }
        let m = self.coders as f64;
        for (value, n) in counts.iter() {
            let n = *n as f64;
            self.differing_pairs += n * (m - n);
            self.same_squares += n * n;
            *self.totals.entry(*value).or_default() += n as u64;
        }
        self.units += 1;
    }

    /// Krippendorff's α, nominal, no missing values:
    /// α = 1 − (n − 1) · Σ_u Σ_c n_uc(m − n_uc)/(m − 1) / (n² − Σ_c n_c²),
    /// n = m · units. `None` with no units, one coder, or one value in all.
    fn alpha(&self) -> Option<f64> {
        let m = self.coders as f64;
        let n = m * self.units as f64;
        let squares: f64 = self.totals.values().map(|&c| (c as f64) * (c as f64)).sum();
        let expected = n * n - squares;
        if self.units == 0 || self.coders < 2 || expected <= 0.0 {
            return None;
        }
        let observed = (n - 1.0) * self.differing_pairs / (m - 1.0);
        finite(1.0 - observed / expected)
    }

    /// Fleiss' κ = (P̄ − P̄_e) / (1 − P̄_e), P̄ the mean share of agreeing
    /// rater pairs per unit, P̄_e = Σ_j p_j². `None` with no units, one
    /// coder, or P̄_e = 1.
    fn fleiss_kappa(&self) -> Option<f64> {
        let m = self.coders as f64;
        let units = self.units as f64;
        if self.units == 0 || self.coders < 2 {
            return None;
        }
        let p_bar = (self.same_squares - units * m) / (units * m * (m - 1.0));
        let p_e: f64 = self
            .totals
            .values()
            .map(|&c| {
                let p = c as f64 / (units * m);
                p * p
            })
            .sum();
        if (1.0 - p_e).abs() < 1e-15 {
            return None;
        }
        finite((p_bar - p_e) / (1.0 - p_e))
    }
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// α and Fleiss' κ over every coder, overall and per type.
fn all_coders(projects: &[&Project], options: &AgreeOptions) -> AllCoders {
    let types = super::agree::type_keys_of(projects);
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i + 1))
        .collect();
    let documents = common_documents(projects, options);
    let coders = projects.len();
    let mut overall = Units::new(coders);
    let mut per_type: Vec<Units> = vec![Units::new(coders); types.len()];
    let (mut tokens, mut entities) = (Vec::new(), Vec::new());
    let mut labels: Vec<Vec<usize>> = vec![Vec::new(); coders];
    let (mut values, mut binary, mut counts) = (Vec::new(), Vec::new(), HashMap::new());
    for row in &documents {
        let Some(first) = row.first() else { continue };
        word_tokens(&first.text, &mut tokens);
        for (doc, out) in row.iter().zip(labels.iter_mut()) {
            entities.clear();
            entities.extend(
                doc.entities
                    .iter()
                    .filter_map(|e| Some((*index.get(e.label.as_str())?, e.start, e.end))),
            );
            token_labels(&tokens, &entities, out);
        }
        for t in 0..tokens.len() {
            values.clear();
            values.extend(labels.iter().map(|l| l.get(t).copied().unwrap_or(0)));
            overall.add(&values, &mut counts);
            for (k, units) in per_type.iter_mut().enumerate() {
                binary.clear();
                binary.extend(values.iter().map(|&v| usize::from(v == k + 1)));
                units.add(&binary, &mut counts);
            }
        }
    }
    AllCoders {
        documents: documents.len(),
        tokens: overall.units,
        alpha: overall.alpha(),
        fleiss_kappa: overall.fleiss_kappa(),
        per_type: types
            .into_iter()
            .zip(&per_type)
            .map(|(key, units)| (key, units.alpha(), units.fleiss_kappa()))
            .collect(),
    }
}

fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for v in values.flatten() {
        sum += v;
        n += 1;
    }
    (n > 0).then(|| sum / n as f64)
}

fn against_others(k: usize, pairs: &[(usize, usize, Agreement)]) -> AgainstOthers {
    let mine: Vec<&Agreement> = pairs
        .iter()
        .filter(|(i, j, _)| *i == k || *j == k)
        .map(|(_, _, a)| a)
        .collect();
    let f1 = mean(mine.iter().map(|a| a.overall.spans.f1()));
    let kappa = mean(mine.iter().map(|a| a.overall.kappa));
    let types: Vec<&String> = mine
        .first()
        .map(|a| a.per_type.iter().map(|(key, _)| key).collect())
        .unwrap_or_default();
    let weakest_type = types
        .into_iter()
        .filter_map(|key| {
            let f = mean(mine.iter().map(|a| {
                a.per_type
                    .iter()
                    .find(|(k, _)| k == key)
                    .and_then(|(_, f)| f.spans.f1())
            }))?;
            Some((key.clone(), f))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1));
    AgainstOthers {
        f1,
        kappa,
        weakest_type,
    }
}

impl ManyAgreement {
    /// The JSON object of `gloss agree A B C … --json` (three or more).
    pub fn to_json(&self) -> Value {
        let name = |i: usize| self.annotators.get(i).cloned().unwrap_or_default();
        let pairs: Vec<Value> = self
            .pairs
            .iter()
            .map(|(i, j, agreement)| {
                let mut object = agreement.to_json();
                if let Value::Object(map) = &mut object {
                    map.insert("a".to_owned(), Value::String(name(*i)));
                    map.insert("b".to_owned(), Value::String(name(*j)));
                }
                object
            })
            .collect();
        let per_type: serde_json::Map<String, Value> = self
            .all
            .per_type
            .iter()
            .map(|(key, alpha, kappa)| {
                (key.clone(), json!({"alpha": alpha, "fleiss_kappa": kappa}))
            })
            .collect();
        let per_annotator: serde_json::Map<String, Value> = self
            .per_annotator
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    name(i),
                    json!({
                        "f1": a.f1,
                        "kappa": a.kappa,
                        "weakest_type": a.weakest_type.as_ref().map(|(k, f)| json!({"type": k, "f1": f})),
                    }),
                )
            })
            .collect();
        json!({
            "annotators": self.annotators,
            "pairs": pairs,
            "all": {
                "documents": self.all.documents,
                "tokens": self.all.tokens,
                "alpha": self.all.alpha,
                "fleiss_kappa": self.all.fleiss_kappa,
                "per_type": per_type,
            },
            "per_annotator": per_annotator,
        })
    }

    /// Tables for people: the pairwise matrix (F1 and κ), the all-coder
    /// figures per type, and each annotator against the others.
    pub fn to_table(&self) -> String {
        let figure = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.3}"));
        let width = self
            .annotators
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .max(6);
        let mut out = format!(
            "{} annotators; {} every project has ({} tokens)\n\n",
            self.annotators.len(),
            crate::model::plural(self.all.documents, "document"),
            self.all.tokens
        );
        for (title, pick) in [
            ("Pairwise entity F1 (exact spans; row is A)", 0),
            ("Pairwise token κ", 1),
        ] {
            out.push_str(title);
            out.push('\n');
            out.push_str(&format!("{:width$}", ""));
            for n in &self.annotators {
                out.push_str(&format!("  {n:>width$}"));
            }
            out.push('\n');
            for (i, row) in self.annotators.iter().enumerate() {
                out.push_str(&format!("{row:width$}"));
                for j in 0..self.annotators.len() {
                    let cell = if i == j {
                        "·".to_owned()
                    } else {
                        let (a, b) = (i.min(j), i.max(j));
                        let agreement = self
                            .pairs
                            .iter()
                            .find(|(x, y, _)| *x == a && *y == b)
                            .map(|(_, _, g)| g);
                        figure(agreement.and_then(|g| {
                            if pick == 0 {
                                g.overall.spans.f1()
                            } else {
                                g.overall.kappa
                            }
                        }))
                    };
                    out.push_str(&format!("  {cell:>width$}"));
                }
                out.push('\n');
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "All annotators: Krippendorff's α {}, Fleiss' κ {}\n",
            figure(self.all.alpha),
            figure(self.all.fleiss_kappa)
        ));
        for (key, alpha, kappa) in &self.all.per_type {
            out.push_str(&format!(
                "  {key:<10} α {:>6}  κ {:>6}\n",
                figure(*alpha),
                figure(*kappa)
            ));
        }
        out.push_str("\nEach annotator against the others (mean of their pairs)\n");
        for (name, a) in self.annotators.iter().zip(&self.per_annotator) {
            let weakest = a.weakest_type.as_ref().map_or(String::new(), |(k, f)| {
                format!("; weakest on {k} (F1 {f:.3})")
            });
            out.push_str(&format!(
                "  {name:width$}  F1 {}  κ {}{weakest}\n",
                figure(a.f1),
                figure(a.kappa)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, Project};

    fn project(entities: &[(&str, usize, usize)]) -> Project {
        let text = "Kim met Putin in Moscow on Monday and Lavrov in Minsk";
        let mut doc = Document::new("d", "D", text);
        for (n, (label, start, end)) in entities.iter().enumerate() {
            let quote: String = text.chars().skip(*start).take(end - start).collect();
            doc.entities
                .push(Entity::new(format!("e{n}"), *label, *start, *end, quote));
        }
        let mut p = Project::new("p");
        p.documents.push(doc.into());
        p
    }

    #[test]
    fn two_coders_give_the_two_coder_alpha() {
        let a = project(&[("PER", 0, 3), ("PER", 8, 13), ("GPE", 17, 23)]);
        let b = project(&[("PER", 0, 3), ("GPE", 8, 13), ("LOC", 17, 23)]);
        let many = agree_many(
            &[("a".into(), &a), ("b".into(), &b)],
            &AgreeOptions::default(),
        )
        .expect("figures");
        let two = &many.pairs[0].2;
        let (x, y) = (many.all.alpha.unwrap(), two.overall.alpha.unwrap());
        assert!((x - y).abs() < 1e-12, "{x} vs {y}");
    }

    #[test]
    fn identical_coders_agree_fully_and_one_value_is_undefined() {
        let a = project(&[("PER", 0, 3), ("GPE", 17, 23)]);
        let many = agree_many(
            &[("a".into(), &a), ("b".into(), &a), ("c".into(), &a)],
            &AgreeOptions::default(),
        )
        .expect("figures");
        assert_eq!(many.all.alpha, Some(1.0));
        assert_eq!(many.all.fleiss_kappa, Some(1.0));
        // No coder used DATE: "DATE or not" is one value throughout.
        let date = many
            .all
            .per_type
            .iter()
            .find(|(k, _, _)| k == "DATE")
            .unwrap();
        assert_eq!((date.1, date.2), (None, None));
        assert_eq!(many.pairs.len(), 3);
    }
}
