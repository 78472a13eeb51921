//! A new claim and what is guessed for it: claimant, attribution, cue.

use super::*;

/// A new claim over `start..end` (code points) of `doc`, with the claimant
/// and attribution guessed from the text around it; the user corrects them
/// in the claim editor.
pub fn new_claim(
    doc: &Document,
    schema: &Schema,
    start: usize,
    end: usize,
    text: impl Into<CompactString>,
) -> Claim {
    let mut claim = Claim::new(doc.next_id("c"), start, end, text);
    claim.claimant = guess_claimant(doc, schema, start, end);
    claim.attribution = guess_attribution(&doc.text, start, end);
    // The reporting verb around it ("…," said X), from the seed cues and
    // the cues annotated in this document.
    claim.cue = crate::edit::cues::guess_cue(
        &doc.text,
        &crate::edit::cues::CueLexicon::learn([doc]),
        start,
        end,
    );
    claim
}

/// The nearest mention (within 200 characters) before or after the claim
/// of a type that can claim (the schema's flag, not fixed type keys).
pub fn guess_claimant(
    doc: &Document,
    schema: &Schema,
    start: usize,
    end: usize,
) -> Option<Claimant> {
    doc.entities
        .iter()
        .filter(|e| e.end <= start || e.start >= end)
        .filter(|e| schema.entity_type(&e.label).is_some_and(|t| t.can_claim()))
        .map(|e| {
            let gap = if e.end <= start {
                start - e.end
            } else {
                e.start - end
            };
            (gap, e)
        })
        .filter(|(gap, _)| *gap < 200)
        .min_by_key(|(gap, _)| *gap)
        .map(|(_, e)| Claimant::Entity(e.id.clone()))
}

/// Direct quote when every word of the span is inside quotation marks
/// (curly or straight, any language's), mixed when some are, indirect
/// otherwise. Marks are matched within the span's paragraph, in one pass.
pub fn guess_attribution(text: &str, start: usize, end: usize) -> Attribution {
    // The paragraph around the span, in code points.
    let chars: Vec<char> = text.chars().collect();
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    let from = chars[..start]
        .iter()
        .rposition(|c| *c == '\n')
        .map_or(0, |i| i + 1);
    let to = chars[end..]
        .iter()
        .position(|c| *c == '\n')
        .map_or(chars.len(), |i| end + i);
    // The closing marks expected, innermost last.
    let mut open: Vec<char> = Vec::new();
    let (mut words_inside, mut words) = (0usize, 0usize);
    let mut in_word = false;
    for (i, &c) in chars.iter().enumerate().take(to).skip(from) {
        // A single mark between two letters is an apostrophe (won’t), not
        // a quotation mark.
        let apostrophe = matches!(c, '’' | '‘' | '\'')
            && i > 0
            && chars.get(i - 1).is_some_and(|p| p.is_alphanumeric())
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if apostrophe {
            // Part of the word.
        } else if open.last() == Some(&c) {
            open.pop();
        } else if let Some((_, close)) = QUOTE_PAIRS.iter().find(|(o, _)| *o == c) {
            open.push(*close);
        }
        let word_char = c.is_alphanumeric();
        if word_char && !in_word && (start..end).contains(&i) {
            words += 1;
            if !open.is_empty() {
                words_inside += 1;
            }
        }
        in_word = word_char;
    }
    match (words_inside, words) {
        (_, 0) | (0, _) => Attribution::IndirectQuote,
        (inside, all) if inside == all => Attribution::DirectQuote,
        _ => Attribution::Mixed,
    }
}

/// A new claim over `start..end` inserted in span order, with its guesses
/// (see [`new_claim`]): the edit and the claim, for the claim editor.
pub fn insert_claim(
    doc: &Document,
    schema: &Schema,
    start: usize,
    end: usize,
    text: impl Into<CompactString>,
) -> (Edit, Claim) {
    let index = doc
        .claims
        .partition_point(|c| (c.start, c.end) <= (start, end));
    let claim = new_claim(doc, schema, start, end, text);
    let edit = Edit::InsertClaim {
        doc: doc.id.clone(),
        index,
        claim: Box::new(claim.clone()),
    };
    (edit, claim)
}
