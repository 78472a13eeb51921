//! Claim fields, grounded in ClaimReview, ClaimBuster, Full Fact, FNC-1, FEVER
//! and PARC. The value sets are fixed by the file format version so that
//! exports to those schemes stay exact.

use serde::{Deserialize, Serialize};

use super::{Claim, CompactString, Document};

/// Who made a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Claimant {
    /// An entity annotation of the same document, by id.
    Entity(CompactString),
    /// Free text when the claimant is not named in the text ("the White House").
    Text(CompactString),
}

/// How the claim is attributed (PARC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Attribution {
    /// Quoted verbatim.
    DirectQuote,
    /// Reported speech.
    #[default]
    IndirectQuote,
    /// Partly quoted.
    Mixed,
    /// Asserted by the article's author.
    AuthorAssertion,
}

/// ClaimBuster's check-worthiness classes (NFS/UFS/CFS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CheckWorthiness {
    /// Non-factual sentence.
    NonFactual,
    /// Unimportant factual sentence.
    Unimportant,
    /// Check-worthy factual sentence.
    CheckWorthy,
}

/// Full Fact's claim types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClaimType {
    /// A number or amount.
    Quantity,
    /// A statement about the future.
    Prediction,
    /// Cause and effect.
    CorrelationCausation,
    /// Laws and rules.
    LawsRules,
    /// Personal experience.
    PersonalExperience,
    /// Anything else.
    Other,
}

/// The article's stance toward the claim (FNC-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stance {
    /// The article agrees.
    Agree,
    /// The article disagrees.
    Disagree,
    /// The article discusses without taking a side.
    Discuss,
    /// Unrelated.
    Unrelated,
}

/// A fact-check verdict (FEVER).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// The evidence supports the claim.
    Supports,
    /// The evidence refutes the claim.
    Refutes,
    /// Not enough information.
    NotEnoughInfo,
}

/// Evidence for or against a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Evidence {
    /// A span of a document in this project.
    Span {
        /// Document id.
        doc: String,
        /// Start, code points.
        start: usize,
        /// End, code points, exclusive.
        end: usize,
        /// The quoted text.
        text: String,
    },
    /// A web address.
    Url(String),
}

/// A plain span with its quoted text, used for claim cues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    /// Start, code points.
    pub start: usize,
    /// End, code points, exclusive.
    pub end: usize,
    /// The quoted text.
    pub text: CompactString,
}

macro_rules! value_names {
    ($ty:ty: $($variant:ident),+) => {
        impl $ty {
            /// Every value, in display order.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            /// The value's name as written in project files and exports.
            pub fn name(self) -> &'static str {
                match self { $(<$ty>::$variant => stringify!($variant)),+ }
            }
            /// The value as people read it ("Direct quote").
            pub fn label(self) -> String {
                humanize(self.name())
            }
            /// Parses a name written by [`Self::name`].
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.name() == name)
            }
        }
    };
}
value_names!(Attribution: DirectQuote, IndirectQuote, Mixed, AuthorAssertion);
value_names!(CheckWorthiness: NonFactual, Unimportant, CheckWorthy);
value_names!(ClaimType: Quantity, Prediction, CorrelationCausation, LawsRules, PersonalExperience, Other);
value_names!(Stance: Agree, Disagree, Discuss, Unrelated);
value_names!(Verdict: Supports, Refutes, NotEnoughInfo);

/// `CamelCase` as words: "NotEnoughInfo" → "Not enough info".
pub fn humanize(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if i > 0 && c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A claimant as compared across projects, where entity ids differ.
enum Who<'d> {
    Nobody,
    Mention {
        start: usize,
        end: usize,
        text: &'d str,
    },
    Named(&'d str),
    /// An entity id the document does not have (an invalid project).
    Dangling,
}

fn who<'d>(claim: &'d Claim, doc: &'d Document) -> Who<'d> {
    match &claim.claimant {
        None => Who::Nobody,
        Some(Claimant::Entity(id)) => doc.entity(id).map_or(Who::Dangling, |e| Who::Mention {
            start: e.start,
            end: e.end,
            text: e.text.trim(),
        }),
        Some(Claimant::Text(text)) => Who::Named(text.trim()),
    }
}

/// The one rule for "the same claimant" across two projects, shared by
/// agreement (`review::agree`) and merging (`review::merge`), where entity
/// ids differ. Two claimants are the same when both are unset, both are entity mentions
/// with the same span, both are free texts equal after trimming, or one is a
/// mention whose text equals the other's free text.
pub fn same_claimant(ca: &Claim, da: &Document, cb: &Claim, db: &Document) -> bool {
    match (who(ca, da), who(cb, db)) {
        (Who::Nobody, Who::Nobody) => true,
        (
            Who::Mention { start, end, .. },
            Who::Mention {
                start: s2, end: e2, ..
            },
        ) => start == s2 && end == e2,
        (Who::Named(x), Who::Named(y))
        | (Who::Mention { text: x, .. }, Who::Named(y))
        | (Who::Named(x), Who::Mention { text: y, .. }) => x == y,
        _ => false,
    }
}
