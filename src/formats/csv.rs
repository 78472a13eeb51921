//! A claims table: one row per claim of the selected documents.

use super::{ExportOptions, Exported, FormatError, Tally};
use crate::model::{CheckWorthiness, ClaimType, Project, Stance, Verdict};

/// The header row.
pub const COLUMNS: [&str; 14] = [
    "document",
    "claim_id",
    "claim",
    "claimant",
    "cue",
    "attribution",
    "checkworthiness",
    "claim_type",
    "stance",
    "verdict",
    "rating",
    "summary",
    "start",
    "end",
];

/// Exports every claim of the selected documents as a CSV row (offsets in
/// code points). Evidence, notes, annotators, review states, entities and
/// relations are counted in the warnings.
pub fn export(project: &Project, options: &ExportOptions) -> Result<Exported, FormatError> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let failed = |e: ::csv::Error| FormatError(format!("csv: {e}"));
    writer.write_record(COLUMNS).map_err(failed)?;
    let mut tally = Tally::default();
    for doc in options.select(project) {
        for c in &doc.claims {
            let (start, end) = (c.start.to_string(), c.end.to_string());
            let record = [
                doc.id.as_str(),
                c.id.as_str(),
                c.text.as_str(),
                c.claimant_name(doc).unwrap_or_default(),
                c.cue.as_ref().map_or("", |cue| cue.text.as_str()),
                c.attribution.name(),
                c.checkworthiness.map_or("", CheckWorthiness::name),
                c.claim_type.map_or("", ClaimType::name),
                c.stance.map_or("", Stance::name),
                c.verdict.map_or("", Verdict::name),
                c.rating.as_deref().unwrap_or_default(),
                c.summary.as_deref().unwrap_or_default(),
                start.as_str(),
                end.as_str(),
            ];
            writer.write_record(record).map_err(failed)?;
            let place = format!("{} {}", doc.id, c.id);
            tally.add_many(
                "claim evidence item(s) left out",
                c.evidence.len(),
                place.clone(),
            );
            for (what, lost) in [
                ("claim note(s) left out", c.note.is_some()),
                ("annotator name(s) left out", c.annotator.is_some()),
                ("modification time(s) left out", c.modified.is_some()),
                (
                    "review state(s) left out",
                    c.review != crate::model::Review::Unreviewed,
                ),
            ] {
                if lost {
                    tally.add(what, place.clone());
                }
            }
        }
        tally.add_many(
            "entity(ies) not part of the claims table",
            doc.entities.len(),
            doc.id.clone(),
        );
        tally.add_many(
            "relation(s) not part of the claims table",
            doc.relations.len(),
            doc.id.clone(),
        );
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| FormatError(format!("csv: {e}")))?;
    Ok(Exported {
        files: vec![(Default::default(), bytes)],
        warnings: tally.warnings("csv: "),
    })
}
