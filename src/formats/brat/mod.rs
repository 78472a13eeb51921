//! brat standoff: `NAME.txt` (the text) and `NAME.ann` (the annotations) per
//! document, plus `annotation.conf` and `visual.conf` for the types.
//!
//! Offsets are code points of the `.txt`, end exclusive (brat uses Python
//! `str` offsets). How Gloss maps the line kinds:
//! - `T` entity lines ↔ entities; the brat id is kept as the entity id and
//!   reused on export. Type `Claim` ↔ claims; type `Cue` linked from a claim
//!   by an `R … Cue` line ↔ the claim's cue.
//! - Discontinuous spans (`TYPE 0 5;10 15`) are read as the covering span
//!   (`0..15`); when a gap holds more than whitespace that is reported. On
//!   export, spans that cross line breaks are written as fragments split at
//!   the breaks, as brat itself does.
//! - `R` lines ↔ relations; `R … Claimant Arg1:CLAIM Arg2:ENTITY` ↔ claimant.
//! - `*` equivalence lines and `N` normalization lines ↔ canonical entities
//!   (an `N` reference such as `Wikipedia:64488` is the canonical entity's note
//!   and links mentions across documents).
//! - `A`/`M` attribute lines on a claim ↔ its Attribution, CheckWorthiness,
//!   ClaimType, Stance and Verdict; on an entity they become note lines
//!   `brat:NAME` or `brat:NAME=VALUE`, which export writes back as `A` lines.
//! - `#` AnnotatorNotes ↔ notes (one `#` line per note line).
//! - Events (`E`) and anything else are left out and counted.

mod conf;
mod read;
mod write;

pub use read::import;
pub use write::export;

// The three parts share their helpers through this module.
#[allow(unused_imports)]
use conf::*;
#[allow(unused_imports)]
use read::*;
#[allow(unused_imports)]
use write::*;

use crate::model::{Attribution, CheckWorthiness, Claim, ClaimType, Stance, Verdict};

/// Entity type of claim spans.
pub(super) const CLAIM: &str = "Claim";
/// Entity type of cue spans, and the relation type from a claim to its cue.
pub(super) const CUE: &str = "Cue";
/// Relation type from a claim to its claimant.
pub(super) const CLAIMANT: &str = "Claimant";
/// Equivalence relation type written for canonical entity groups.
pub(super) const EQUIV: &str = "Equiv";
/// The prefix of note lines that stand for brat attributes.
pub(super) const ATTRIBUTE_NOTE: &str = "brat:";
/// Claim fields written as attributes, with their values.
pub(super) const CLAIM_ATTRIBUTES: [&str; 5] = [
    "Attribution",
    "CheckWorthiness",
    "ClaimType",
    "Stance",
    "Verdict",
];

pub(super) fn claim_attribute_values(name: &str) -> Vec<&'static str> {
    match name {
        "Attribution" => Attribution::ALL.iter().map(|v| v.name()).collect(),
        "CheckWorthiness" => CheckWorthiness::ALL.iter().map(|v| v.name()).collect(),
        "ClaimType" => ClaimType::ALL.iter().map(|v| v.name()).collect(),
        "Stance" => Stance::ALL.iter().map(|v| v.name()).collect(),
        "Verdict" => Verdict::ALL.iter().map(|v| v.name()).collect(),
        _ => Vec::new(),
    }
}

/// Sets a claim field from an attribute; `Ok(false)` when `name` is no claim field.
pub(super) fn set_claim_attribute(claim: &mut Claim, name: &str, value: &str) -> Result<bool, ()> {
    match name {
        "Attribution" => claim.attribution = Attribution::parse(value).ok_or(())?,
        "CheckWorthiness" => claim.checkworthiness = Some(CheckWorthiness::parse(value).ok_or(())?),
        "ClaimType" => claim.claim_type = Some(ClaimType::parse(value).ok_or(())?),
        "Stance" => claim.stance = Some(Stance::parse(value).ok_or(())?),
        "Verdict" => claim.verdict = Some(Verdict::parse(value).ok_or(())?),
        _ => return Ok(false),
    }
    Ok(true)
}
