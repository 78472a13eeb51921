//! Operations that decide what a change is, as pure functions over the
//! project: the app and the CLI ask them for a value (a claim, an edit) and
//! apply it through the edit layer. No egui here.

use super::Edit;
use crate::model::{Attribution, Claim, Claimant, Document, Relation, Schema};

/// Records `annotator` on every entity and claim that `edit` inserts or
/// replaces (provenance: who made or last changed an annotation).
pub fn stamp_annotator(edit: &mut Edit, annotator: &str) {
    match edit {
        Edit::InsertEntity { entity, .. } | Edit::ReplaceEntity { entity, .. } => {
            entity.annotator = Some(annotator.to_owned());
        }
        Edit::InsertClaim { claim, .. } | Edit::ReplaceClaim { claim, .. } => {
            claim.annotator = Some(annotator.to_owned());
        }
        Edit::Batch { edits, .. } => {
            for edit in edits {
                stamp_annotator(edit, annotator);
            }
        }
        _ => {}
    }
}

/// Why an operation cannot be made into an edit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpError {
    /// The schema has no relation types to link with.
    #[error("the schema has no relation types; add one in Edit → Schema")]
    NoRelationTypes,
    /// An annotation cannot be linked to itself.
    #[error("an annotation cannot be linked to itself")]
    SelfLink,
    /// No entity or claim with this id in the document.
    #[error("no entity or claim {0:?} in this document")]
    NoAnnotation(String),
}

/// A relation of type `label` (the schema's first relation type when
/// `None`) from one entity or claim of `doc` to another.
pub fn new_relation(
    doc: &Document,
    schema: &Schema,
    from: &str,
    to: &str,
    label: Option<&str>,
) -> Result<Edit, OpError> {
    if from == to {
        return Err(OpError::SelfLink);
    }
    let exists = |id: &str| doc.entity(id).is_some() || doc.claims.iter().any(|c| c.id == id);
    for id in [from, to] {
        if !exists(id) {
            return Err(OpError::NoAnnotation(id.to_owned()));
        }
    }
    let label = match label {
        Some(label) => label.to_owned(),
        None => schema
            .relation_types
            .first()
            .map(|t| t.key.clone())
            .ok_or(OpError::NoRelationTypes)?,
    };
    Ok(Edit::InsertRelation {
        doc: doc.id.clone(),
        index: doc.relations.len(),
        relation: Relation {
            id: doc.next_id("r"),
            label,
            from: from.to_owned(),
            to: to.to_owned(),
        },
    })
}

/// A new claim over `start..end` (code points) of `doc`, with the claimant
/// and attribution guessed from the text around it; the user corrects them
/// in the claim editor.
pub fn new_claim(doc: &Document, schema: &Schema, start: usize, end: usize, text: String) -> Claim {
    let mut claim = Claim::new(doc.next_id("c"), start, end, text);
    claim.claimant = guess_claimant(doc, schema, start, end);
    claim.attribution = guess_attribution(&doc.text, start, end);
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

/// Quotation marks of many languages: (opening, closing). A mark that can
/// both open and close (`"`, `“` in German after `„`) is resolved by what
/// is open at the time.
const QUOTE_PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('‘', '’'),
    ('„', '“'),
    ('‚', '‘'),
    ('«', '»'),
    ('‹', '›'),
    ('「', '」'),
    ('『', '』'),
    ('〝', '〞'),
    ('"', '"'),
];

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

/// Every whole-word occurrence of `needle` in `text`, as code-point ranges.
pub fn occurrences(text: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    let index = crate::model::span::CharIndex::new(text);
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let length = needle.chars().count();
    text.match_indices(needle)
        .filter(|(byte, _)| {
            let before = text.get(..*byte).and_then(|t| t.chars().next_back());
            let after = text
                .get(byte + needle.len()..)
                .and_then(|t| t.chars().next());
            !word(before) && !word(after)
        })
        .filter_map(|(byte, _)| index.char_of_byte(byte))
        .map(|start| (start, start + length))
        .collect()
}

/// The edit for "annotate all occurrences": every whole-word occurrence of
/// `text` not already tagged with `label`, in `documents`, as one undoable
/// step; `None` when there are none. Also returns the count.
pub fn annotate_all(documents: &[&Document], text: &str, label: &str) -> (Option<Edit>, usize) {
    let mut edits = Vec::new();
    for &doc in documents {
        let mut scratch = doc.clone();
        for (start, end) in occurrences(&doc.text, text) {
            if scratch
                .entities
                .iter()
                .any(|e| e.start == start && e.end == end && e.label == label)
            {
                continue;
            }
            let id = scratch.next_id("e");
            let index = scratch
                .entities
                .partition_point(|e| (e.start, e.end) <= (start, end));
            let entity = crate::model::Entity::new(id, label, start, end, text);
            scratch.entities.insert(index, entity.clone());
            edits.push(Edit::InsertEntity {
                doc: doc.id.clone(),
                index,
                entity,
            });
        }
    }
    let count = edits.len();
    let edit = (!edits.is_empty()).then(|| Edit::Batch {
        label: format!("annotate all {text:?}"),
        edits,
    });
    (edit, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, Project};

    /// Code-point range of `needle` in `text`.
    fn span(text: &str, needle: &str) -> (usize, usize) {
        let byte = text.find(needle).expect("needle in text");
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    }

    fn attribution(text: &str, needle: &str) -> Attribution {
        let (start, end) = span(text, needle);
        guess_attribution(text, start, end)
    }

    #[test]
    fn a_relation_links_two_annotations_with_the_first_type_by_default() {
        let text = "Kim met Putin.";
        let mut project = Project::new("p");
        let mut doc = crate::model::Document::new("d1", "t", text);
        doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
        doc.entities.push(Entity::new("e2", "PER", 8, 13, "Putin"));
        let schema = project.schema.clone();
        let edit = new_relation(&doc, &schema, "e1", "e2", None).expect("a relation");
        project.documents.push(doc.clone());
        crate::edit::apply(&mut project, edit).expect("applies");
        let relation = &project.documents[0].relations[0];
        assert_eq!((relation.from.as_str(), relation.to.as_str()), ("e1", "e2"));
        assert_eq!(
            Some(&relation.label),
            schema.relation_types.first().map(|t| &t.key)
        );
        assert_eq!(
            new_relation(&doc, &schema, "e1", "e1", None),
            Err(OpError::SelfLink)
        );
        assert_eq!(
            new_relation(&doc, &schema, "e1", "e9", None),
            Err(OpError::NoAnnotation("e9".into()))
        );
        let mut bare = schema.clone();
        bare.relation_types.clear();
        assert_eq!(
            new_relation(&doc, &bare, "e1", "e2", None),
            Err(OpError::NoRelationTypes)
        );
    }

    #[test]
    fn annotate_all_tags_whole_words_once_and_skips_tagged_ones() {
        let mut doc = crate::model::Document::new("d1", "t", "Kim met Kimberly; Kim left. 😀 Kim");
        doc.entities.push(Entity::new("e1", "PER", 0, 3, "Kim"));
        let (edit, count) = annotate_all(&[&doc], "Kim", "PER");
        // "Kim" at 18 and at 30 (the emoji is one code point); not
        // "Kimberly", not the one already tagged.
        assert_eq!(count, 2);
        assert_eq!(
            occurrences(&doc.text, "Kim"),
            vec![(0, 3), (18, 21), (30, 33)]
        );
        let mut project = Project::new("p");
        project.documents.push(doc);
        crate::edit::apply(&mut project, edit.expect("an edit")).expect("applies");
        let starts: Vec<usize> = project.documents[0]
            .entities
            .iter()
            .map(|e| e.start)
            .collect();
        assert_eq!(starts, vec![0, 18, 30]);
    }

    #[test]
    fn quotes_in_any_language_make_a_direct_quote() {
        let english = "Kirby said: “Kim expects the talks to continue.” He left.";
        assert_eq!(
            attribution(english, "Kim expects the talks to continue."),
            Attribution::DirectQuote
        );
        assert_eq!(
            attribution(english, "“Kim expects the talks to continue.”"),
            Attribution::DirectQuote
        );
        let straight = "He said \"we will win\" and left.";
        assert_eq!(
            attribution(straight, "we will win"),
            Attribution::DirectQuote
        );
        let german = "Er sagte: „Wir werden gewinnen“, und ging.";
        assert_eq!(
            attribution(german, "Wir werden gewinnen"),
            Attribution::DirectQuote
        );
        let french = "Il a dit « nous allons gagner » hier.";
        assert_eq!(
            attribution(french, "nous allons gagner"),
            Attribution::DirectQuote
        );
        let japanese = "彼は「勝つ」と言った。";
        assert_eq!(attribution(japanese, "勝つ"), Attribution::DirectQuote);
    }

    #[test]
    fn partly_quoted_is_mixed_and_unquoted_is_indirect() {
        let text = "Putin said the talks were “very useful” for both sides.";
        assert_eq!(
            attribution(text, "the talks were “very useful” for both sides"),
            Attribution::Mixed
        );
        assert_eq!(
            attribution(text, "the talks were"),
            Attribution::IndirectQuote
        );
        // An apostrophe is not a quotation mark.
        let apostrophe = "The country’s leader said it won’t happen.";
        assert_eq!(
            attribution(apostrophe, "it won’t happen"),
            Attribution::IndirectQuote
        );
        // Quotes in another paragraph do not count.
        let paragraphs = "“Opening\nKim will travel";
        assert_eq!(
            attribution(paragraphs, "Kim will travel"),
            Attribution::IndirectQuote
        );
    }

    #[test]
    fn the_claimant_is_the_nearest_mention_of_a_type_that_can_claim() {
        let text = "Adrienne Watson of the NSC said on Monday that Kim expects talks.";
        let mut project = Project::new("p");
        let mut doc = crate::model::Document::new("d1", "t", text);
        for (id, label, needle) in [
            ("e1", "PER", "Adrienne Watson"),
            ("e2", "ORG", "NSC"),
            ("e3", "DATE", "Monday"),
        ] {
            let (start, end) = span(text, needle);
            doc.entities
                .push(Entity::new(id, label, start, end, needle));
        }
        let (start, end) = span(text, "Kim expects talks");
        // DATE is nearest but cannot claim: the organisation is next.
        assert_eq!(
            guess_claimant(&doc, &project.schema, start, end),
            Some(Claimant::Entity("e2".into()))
        );
        // Renamed types keep their flag; a type flagged off is skipped.
        if let Some(org) = project
            .schema
            .entity_types
            .iter_mut()
            .find(|t| t.key == "ORG")
        {
            org.can_claim = Some(false);
        }
        assert_eq!(
            guess_claimant(&doc, &project.schema, start, end),
            Some(Claimant::Entity("e1".into()))
        );
        if let Some(date) = project
            .schema
            .entity_types
            .iter_mut()
            .find(|t| t.key == "DATE")
        {
            date.can_claim = Some(true);
        }
        assert_eq!(
            guess_claimant(&doc, &project.schema, start, end),
            Some(Claimant::Entity("e3".into()))
        );
        let claim = new_claim(
            &doc,
            &project.schema,
            start,
            end,
            "Kim expects talks".into(),
        );
        assert_eq!(claim.attribution, Attribution::IndirectQuote);
        project.documents.push(doc);
    }
}
