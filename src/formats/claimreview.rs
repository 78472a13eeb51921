//! schema.org ClaimReview JSON-LD: a JSON array with one `ClaimReview` per
//! claim that has a verdict.

use serde_json::{Map, Value, json};

use super::{ExportOptions, Exported, FormatError, Tally};
use crate::model::{Claim, Claimant, Document, Project};

/// Exports a ClaimReview for every claim with a verdict in the selected
/// documents; claims without one are counted in the warnings.
pub fn export(project: &Project, options: &ExportOptions) -> Result<Exported, FormatError> {
    let mut reviews = Vec::new();
    let mut tally = Tally::default();
    for doc in options.select(project) {
        for claim in &doc.claims {
            let place = format!("{} {}", doc.id, claim.id);
            if claim.verdict.is_none() {
                tally.add("claim(s) without a verdict left out", place);
                continue;
            }
            reviews.push(claim_review(doc, claim));
            for (what, lost) in [
                ("claim note(s) left out", claim.note.is_some()),
                ("annotator name(s) left out", claim.annotator.is_some()),
                ("modification time(s) left out", claim.modified.is_some()),
                (
                    "review state(s) left out",
                    claim.review != crate::model::Review::Unreviewed,
                ),
            ] {
                if lost {
                    tally.add(what, place.clone());
                }
            }
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&Value::Array(reviews))
        .map_err(|e| FormatError(format!("claimreview: {e}")))?;
    bytes.push(b'\n');
    Ok(Exported {
        files: vec![(Default::default(), bytes)],
        warnings: tally.warnings("claimreview: "),
    })
}

/// Whether an entity type names people rather than organisations.
fn is_person(label: &str) -> bool {
    matches!(
        label.to_ascii_uppercase().as_str(),
        "PER" | "PERSON" | "PEOPLE"
    )
}

/// One ClaimReview object.
fn claim_review(doc: &Document, claim: &Claim) -> Value {
    let mut appearance = Map::new();
    appearance.insert("@type".into(), json!("CreativeWork"));
    if let Some(source) = &doc.source {
        appearance.insert("url".into(), json!(source));
    }
    appearance.insert("headline".into(), json!(doc.title));
    if let Some(date) = &doc.date {
        appearance.insert("datePublished".into(), json!(date));
    }
    let appearance = Value::Object(appearance);
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    if let Some(name) = claim.claimant_name(doc) {
        let person = match &claim.claimant {
            Some(Claimant::Entity(id)) => doc.entity(id).is_some_and(|e| is_person(&e.label)),
            _ => false,
        };
        item.insert(
            "author".into(),
            json!({"@type": if person { "Person" } else { "Organization" }, "name": name}),
        );
    }
    item.insert("text".into(), json!(claim.text));
    item.insert("appearance".into(), appearance.clone());
    // The article is the only appearance Gloss knows of.
    item.insert("firstAppearance".into(), appearance);
    if let Some(date) = &doc.date {
        item.insert("datePublished".into(), json!(date));
    }
    let verdict = claim.verdict.map(|v| v.name()).unwrap_or_default();
    let mut rating = Map::new();
    rating.insert("@type".into(), json!("Rating"));
    rating.insert(
        "alternateName".into(),
        json!(claim.rating.as_deref().unwrap_or(verdict)),
    );
    let mut review = Map::new();
    review.insert("@context".into(), json!("https://schema.org"));
    review.insert("@type".into(), json!("ClaimReview"));
    review.insert(
        "identifier".into(),
        json!(format!("{}#{}", doc.id, claim.id)),
    );
    review.insert(
        "claimReviewed".into(),
        json!(claim.summary.as_deref().unwrap_or(&claim.text)),
    );
    review.insert("itemReviewed".into(), Value::Object(item));
    review.insert("reviewRating".into(), Value::Object(rating));
    let citations: Vec<Value> = claim
        .evidence
        .iter()
        .map(|e| match e {
            crate::model::Evidence::Url(url) => json!({"@type": "CreativeWork", "url": url}),
            crate::model::Evidence::Span { doc, text, .. } => {
                json!({"@type": "Quotation", "text": text, "isPartOf": doc})
            }
        })
        .collect();
    if !citations.is_empty() {
        review.insert("citation".into(), Value::Array(citations));
    }
    Value::Object(review)
}
