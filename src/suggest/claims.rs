//! Candidate claims: sentences that quote someone or report what someone
//! said, found by quotation marks and by reporting cues ("said",
//! "according to", "dijo", "قال"…). The cues are a small multilingual seed
//! list plus every cue the analysts annotated in the project, so the
//! recommender learns the project's own reporting verbs. A candidate comes
//! with its claimant guessed (the nearest mention of a type that can
//! claim) and its cue; accepting it opens the claim editor prefilled.

use crate::edit::cues::{CueLexicon, guess_cue};
use crate::model::{Claimant, Cue, Document, Schema};

/// A proposed claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCandidate {
    /// Start, code points: the quoted words, or the reported sentence.
    pub start: usize,
    /// End, code points, exclusive.
    pub end: usize,
    /// The text it quotes.
    pub text: String,
    /// Quotation marks and a cue: 0.9; marks only: 0.7; a sentence with a
    /// cue the project's analysts annotated: 0.6; with a seed cue only:
    /// 0.4, below the default threshold (most news sentences report
    /// someone, and underlining them all would help nobody).
    pub score: f64,
    /// Who, guessed.
    pub claimant: Option<Claimant>,
    /// The reporting cue, when there is one.
    pub cue: Option<Cue>,
}

/// Quotation marks: (opening, closing).
const QUOTES: &[(char, char)] = &[('“', '”'), ('«', '»'), ('„', '“'), ('"', '"'), ('「', '」')];

/// Candidate claims of `doc`: quotations of three words or more, and
/// sentences with a reporting cue; none overlapping a claim the document
/// has. In reading order.
pub fn candidates(doc: &Document, schema: &Schema, lexicon: &CueLexicon) -> Vec<ClaimCandidate> {
    let chars: Vec<char> = doc.text.chars().collect();
    let mut out: Vec<ClaimCandidate> = Vec::new();
    let words = |s: usize, e: usize| {
        chars
            .get(s..e)
            .unwrap_or_default()
            .split(|c| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count()
    };
    // Quotations.
    let mut i = 0;
    while i < chars.len() {
        let Some(&(_, close)) = QUOTES.iter().find(|(open, _)| chars.get(i) == Some(open)) else {
            i += 1;
            continue;
        };
        let inside = i + 1;
        let Some(length) = chars.get(inside..).and_then(|rest| {
            rest.iter()
                .take(600)
                .position(|c| *c == close || *c == '\n')
        }) else {
            i += 1;
            continue;
        };
        let end = inside + length;
        if chars.get(end) == Some(&close) && words(inside, end) >= 3 {
            // Trailing punctuation inside the marks ("…," said) stays out.
            let mut last = end;
            while last > inside
                && chars
                    .get(last - 1)
                    .is_some_and(|c| matches!(c, ',' | ';' | ':' | ' '))
            {
                last -= 1;
            }
            let cue = guess_cue(&doc.text, lexicon, inside, last);
            out.push(ClaimCandidate {
                start: inside,
                end: last,
                text: chars.get(inside..last).unwrap_or_default().iter().collect(),
                score: if cue.is_some() { 0.9 } else { 0.7 },
                claimant: crate::edit::ops::guess_claimant(doc, schema, inside, last),
                cue,
            });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    // Sentences with a cue and no quotation.
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut sentence_start = 0;
    for k in 0..=chars.len() {
        let at_end = k == chars.len();
        let c = chars.get(k).copied().unwrap_or('\n');
        let ends = at_end
            || c == '\n'
            || (matches!(c, '.' | '!' | '?' | '؟' | '。')
                && chars.get(k + 1).is_none_or(|n| n.is_whitespace()));
        if !ends {
            continue;
        }
        let end = if at_end || c == '\n' { k } else { k + 1 };
        let (mut s, mut e) = (sentence_start, end);
        while s < e && chars.get(s).is_some_and(|c| c.is_whitespace()) {
            s += 1;
        }
        while e > s && chars.get(e - 1).is_some_and(|c| c.is_whitespace()) {
            e -= 1;
        }
        sentence_start = k + 1;
        if words(s, e) < 4 || out.iter().any(|o| o.start < e && s < o.end) {
            continue;
        }
        if let Some(&(cs, ce)) = lexicon.find(&chars, &lower, s, e).first() {
            let cue: String = chars.get(cs..ce).unwrap_or_default().iter().collect();
            out.push(ClaimCandidate {
                start: s,
                end: e,
                text: chars.get(s..e).unwrap_or_default().iter().collect(),
                score: if lexicon.is_learned(&cue) { 0.6 } else { 0.4 },
                claimant: crate::edit::ops::guess_claimant(doc, schema, s, e),
                cue: Some(Cue {
                    start: cs,
                    end: ce,
                    text: chars
                        .get(cs..ce)
                        .unwrap_or_default()
                        .iter()
                        .collect::<String>()
                        .into(),
                }),
            });
        }
    }
    out.retain(|c| {
        !doc.claims
            .iter()
            .any(|x| x.start < c.end && c.start < x.end)
    });
    out.sort_by_key(|c| (c.start, c.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, Entity};

    fn slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn quotations_and_reported_sentences_are_candidates_with_their_claimant() {
        let text = "Putin said talks with Kim went well.\n“We expect a deal by Friday,” Kirby told reporters.\nThe weather was fine.";
        let mut doc = Document::new("d", "d", text);
        let at = |needle: &str| {
            let b = text.find(needle).expect("needle");
            text[..b].chars().count()
        };
        doc.entities.push(Entity::new(
            "e1",
            "PER",
            at("Putin"),
            at("Putin") + 5,
            "Putin",
        ));
        doc.entities.push(Entity::new(
            "e2",
            "PER",
            at("Kirby"),
            at("Kirby") + 5,
            "Kirby",
        ));
        let schema = crate::model::Schema::default();
        let lexicon = CueLexicon::learn([]);
        let found = candidates(&doc, &schema, &lexicon);
        let texts: Vec<&str> = found.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Putin said talks with Kim went well.",
                "We expect a deal by Friday"
            ]
        );
        // A seed cue alone scores below the default threshold; a quotation above.
        assert!(found[0].score < crate::suggest::DEFAULT_MIN_SCORE);
        assert!(found[1].score > crate::suggest::DEFAULT_MIN_SCORE);
        assert_eq!(found[1].claimant, Some(Claimant::Entity("e2".into())));
        assert_eq!(found[1].cue.as_ref().map(|c| c.text.as_str()), Some("told"));
        for c in &found {
            assert_eq!(slice(text, c.start, c.end), c.text);
        }
        // An existing claim there: no candidate.
        doc.claims.push(Claim::new(
            "c1",
            found[1].start,
            found[1].end,
            found[1].text.as_str(),
        ));
        assert_eq!(candidates(&doc, &schema, &lexicon).len(), 1);
    }

    #[test]
    fn the_project_s_own_cues_are_learned() {
        let mut doc = Document::new("d", "d", "Kim subrayó que habrá acuerdo pronto.");
        let mut claim = Claim::new("c1", 16, 36, "habrá acuerdo pronto");
        claim.cue = Some(Cue {
            start: 4,
            end: 11,
            text: "subrayó".into(),
        });
        doc.claims.push(claim);
        let lexicon = CueLexicon::learn([&doc]);
        let other = Document::new(
            "o",
            "o",
            "La ministra subrayó que el plan seguirá adelante.",
        );
        let found = candidates(&other, &crate::model::Schema::default(), &lexicon);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].cue.as_ref().map(|c| c.text.as_str()),
            Some("subrayó")
        );
        assert!(
            found[0].score >= crate::suggest::DEFAULT_MIN_SCORE,
            "a learned cue shows"
        );
    }
}
