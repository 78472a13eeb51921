//! Reporting cues ("said", "according to", "dijo", "قال"…): a seed list
//! plus every cue annotated in the project, and the guess of a claim's cue
//! from the text around it, used by the claim editor and by candidate
//! claims ([`crate::suggest::claims`]).

use std::collections::BTreeSet;

use crate::model::{Cue, Document, Project};

/// Reporting cues every project starts with, lowercase. Languages of the
/// corpora Gloss is used on; the project's own cues are added to them.
const SEED_CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "stated",
    "added",
    "according to",
    "claimed",
    "claims",
    "announced",
    "warned",
    "insisted",
    "argued",
    "explained",
    "reported",
    "wrote",
    "dijo",
    "afirmó",
    "señaló",
    "aseguró",
    "declaró",
    "explicó",
    "indicó",
    "añadió",
    "según",
    "a déclaré",
    "a dit",
    "selon",
    "sagte",
    "erklärte",
    "laut",
    "disse",
    "قال",
    "قالت",
    "وفقا",
    "сказал",
    "заявил",
];

/// The reporting cues to look for, lowercase, longest first (so "according
/// to" wins over a shorter cue at the same place).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CueLexicon {
    cues: Vec<String>,
    /// The cues annotated in the project (not only seeds).
    learned: BTreeSet<String>,
}

impl CueLexicon {
    /// The seed cues and every cue annotated in `documents`.
    pub fn learn<'d>(documents: impl IntoIterator<Item = &'d Document>) -> Self {
        let mut learned: BTreeSet<String> = BTreeSet::new();
        for doc in documents {
            for claim in &doc.claims {
                if let Some(cue) = &claim.cue {
                    let cue = cue.text.trim().to_lowercase();
                    if cue.chars().count() >= 2 {
                        learned.insert(cue);
                    }
                }
            }
        }
        let mut cues: Vec<String> = SEED_CUES
            .iter()
            .map(|c| (*c).to_owned())
            .chain(learned.iter().cloned())
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        cues.sort_by_key(|c| std::cmp::Reverse(c.chars().count()));
        Self { cues, learned }
    }

    /// Whether `cue` (any case) was annotated in the project.
    pub fn is_learned(&self, cue: &str) -> bool {
        self.learned.contains(&cue.to_lowercase())
    }

    /// The project's lexicon.
    pub fn of(project: &Project) -> Self {
        Self::learn(project.documents.iter().map(|d| &**d))
    }

    /// Every cue occurrence in `chars[from..to]` at word boundaries:
    /// (start, end) in code points.
    pub(crate) fn find(
        &self,
        chars: &[char],
        lower: &[char],
        from: usize,
        to: usize,
    ) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for cue in &self.cues {
            let needle: Vec<char> = cue.chars().collect();
            if needle.is_empty() || to < needle.len() {
                continue;
            }
            let mut i = from;
            while i + needle.len() <= to {
                let end = i + needle.len();
                let matches = lower.get(i..end) == Some(needle.as_slice());
                let before = i == 0 || chars.get(i - 1).is_none_or(|c| !c.is_alphanumeric());
                let after = chars.get(end).is_none_or(|c| !c.is_alphanumeric());
                if matches && before && after && !found.iter().any(|&(s, e)| s < end && i < e) {
                    found.push((i, end));
                    i = end;
                } else {
                    i += 1;
                }
            }
        }
        found.sort_unstable();
        found
    }
}

/// The reporting cue nearest a claim at `start..end` of `text`, in the
/// claim's paragraph and within 60 characters of it, outside it: the
/// "said" of `"…," said X` and of `X said …`.
pub fn guess_cue(text: &str, lexicon: &CueLexicon, start: usize, end: usize) -> Option<Cue> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    let paragraph_start = chars
        .get(..start)
        .and_then(|before| before.iter().rposition(|c| *c == '\n'))
        .map_or(0, |i| i + 1);
    let paragraph_end = chars
        .get(end..)
        .and_then(|after| after.iter().position(|c| *c == '\n'))
        .map_or(chars.len(), |i| end + i);
    let from = start.saturating_sub(60).max(paragraph_start);
    let to = (end + 60).min(paragraph_end);
    lexicon
        .find(&chars, &lower, from, to)
        .into_iter()
        .filter(|&(s, e)| e <= start || s >= end)
        .min_by_key(|&(s, e)| if e <= start { start - e } else { s - end })
        .map(|(s, e)| Cue {
            start: s,
            end: e,
            text: chars
                .get(s..e)
                .unwrap_or_default()
                .iter()
                .collect::<String>()
                .into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn the_cue_after_a_quotation_is_guessed() {
        let text = "“We will not give up the fight,” said John Kirby on Monday.";
        let lexicon = CueLexicon::learn([]);
        let start = 1;
        let end = text.chars().position(|c| c == ',').expect("comma");
        let cue = guess_cue(text, &lexicon, start, end).expect("a cue");
        assert_eq!(cue.text, "said");
        assert_eq!(slice(text, cue.start, cue.end), "said");
        // Before the claim too, and in Spanish.
        let text = "El ministro dijo que la economía crecerá este año.";
        let start = text
            .find("la economía")
            .map(|b| text[..b].chars().count())
            .expect("start");
        let cue = guess_cue(text, &lexicon, start, text.chars().count() - 1).expect("a cue");
        assert_eq!(cue.text, "dijo");
    }
}
