//! The project model: plain data, no egui and no I/O.
//!
//! Offsets are Unicode scalar (code point) offsets, end exclusive; every span
//! also stores the text it quotes so that loading can check it.

pub mod bidi;
pub mod claim;
pub mod conflict;
pub mod rare;
pub mod rejected;
pub mod schema;
pub mod span;
pub mod validate;
pub mod words;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The string type of the fields that repeat per annotation: up to 24
/// bytes (ids, type labels, most quotes, annotator, timestamps) are held
/// inline with no heap allocation, in the 24 bytes a `String` takes.
pub use compact_str::CompactString;
pub use rare::RareText;

pub use claim::{
    Attribution, CheckWorthiness, ClaimType, Claimant, Cue, Evidence, Stance, Verdict,
    same_claimant,
};
pub use conflict::{Conflict, ConflictAbout, ConflictKind, ConflictVersion};

/// The kinds of annotation a document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnnotationKind {
    /// An entity mention.
    Entity,
    /// A claim.
    Claim,
    /// A relation.
    Relation,
}
pub use schema::{EntityType, RelationType, Rgb, Schema};

/// The newest project format version, the one this build reads projects
/// into. Files are written with the oldest version that can hold them
/// ([`Project::written_version`]): 1 without conflict records or review
/// discussions, 2 with them, 3 once an annotation carries a `modified`
/// time, a review comment, or a relation its annotator; 4 once a document
/// records a decision on a suggestion; 5 once an annotation names its
/// reviewer.
pub const FORMAT_VERSION: u32 = 5;

/// A whole annotation project, as stored in one RON file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// Format version; see `docs/format.md`.
    pub version: u32,
    /// Name shown in the title bar.
    pub name: String,
    /// When the project was created (RFC 3339), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When the project was last saved with changes (RFC 3339), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// People who annotated this project.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotators: Vec<String>,
    /// Entity and relation types.
    pub schema: Schema,
    /// Cross-document entities that mentions point to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub canonical_entities: Vec<CanonicalEntity>,
    /// Unsettled disagreements and merge conflicts about the project itself
    /// (its name, schema and canonical entities); see [`Conflict`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    /// The articles with their annotations. Shared, so that a snapshot of
    /// the project (to save or journal it off the UI thread) copies one
    /// pointer per document; edits copy a document only while a snapshot
    /// still holds it (`Arc::make_mut`). Serialized as plain documents.
    #[serde(default)]
    pub documents: Vec<Arc<Document>>,
}

impl Project {
    /// The name of a project nobody has named yet; Save As names it after
    /// its file.
    pub const UNTITLED: &'static str = "Untitled";

    /// The project name a file suggests: `talks.gloss.ron` → `talks`.
    pub fn name_for_file(path: &std::path::Path) -> String {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(Self::UNTITLED);
        stem.trim_end_matches(".gloss").to_owned()
    }

    /// An empty project with the default schema.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            version: FORMAT_VERSION,
            name: name.into(),
            created: None,
            modified: None,
            annotators: Vec::new(),
            schema: Schema::default(),
            canonical_entities: Vec::new(),
            conflicts: Vec::new(),
            documents: Vec::new(),
        }
    }

    /// The format version a file of this project is written with: the
    /// oldest that can hold it, so that an older Gloss still opens projects
    /// without conflict records and refuses (rather than silently drops)
    /// those with them.
    pub fn written_version(&self) -> u32 {
        // Version 5: who reviewed or adjudicated, which an older Gloss drops.
        if self.documents.iter().any(|d| {
            d.entities.iter().any(|e| e.reviewer.is_some())
                || d.claims.iter().any(|c| c.reviewer.is_some())
        }) {
            return 5;
        }
        // Version 4: decisions on suggestions, which an older Gloss drops.
        if self
            .documents
            .iter()
            .any(|d| !d.suggestion_decisions.is_empty())
        {
            return 4;
        }
        // Version 3: provenance an older Gloss would read and drop on save.
        let stamped = self.documents.iter().any(|d| {
            d.entities
                .iter()
                .any(|e| e.modified.is_some() || e.review_comment.is_some())
                || d.claims
                    .iter()
                    .any(|c| c.modified.is_some() || c.review_comment.is_some())
                || d.relations
                    .iter()
                    .any(|r| r.modified.is_some() || r.annotator.is_some())
        });
        if stamped {
            return 3;
        }
        let discussed = self.documents.iter().any(|d| {
            d.entities.iter().any(|e| e.review == Review::Discuss)
                || d.claims.iter().any(|c| c.review == Review::Discuss)
        });
        if self.conflict_count() > 0 || discussed {
            2
        } else {
            1
        }
    }

    /// Number of unsettled conflicts: the project's and every document's.
    pub fn conflict_count(&self) -> usize {
        self.conflicts.len()
            + self
                .documents
                .iter()
                .map(|d| d.conflicts.len())
                .sum::<usize>()
    }

    /// The document with `id`.
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id).map(|d| &**d)
    }

    /// Index of the document with `id`.
    pub fn document_index(&self, id: &str) -> Option<usize> {
        self.documents.iter().position(|d| d.id == id)
    }

    /// The canonical entity with `id`.
    pub fn canonical(&self, id: &str) -> Option<&CanonicalEntity> {
        self.canonical_entities.iter().find(|c| c.id == id)
    }

    /// A document id not used yet, derived from `wanted` (a file stem, say).
    pub fn unique_document_id(&self, wanted: &str) -> String {
        let base = document_id_base(wanted);
        if self.document(&base).is_none() {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| self.document(id).is_none())
            .unwrap_or(base)
    }

    /// A canonical entity id not used yet.
    pub fn next_canonical_id(&self) -> String {
        next_numbered_id("k", self.canonical_entities.iter().map(|c| c.id.as_str()))
    }

    /// Number of annotations over all documents.
    pub fn annotation_count(&self) -> usize {
        self.documents.iter().map(|d| d.annotation_count()).sum()
    }
}

/// Review progress of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Status {
    /// Not started.
    #[default]
    New,
    /// Being annotated.
    InProgress,
    /// Annotation finished.
    Done,
    /// Checked by a reviewer.
    Reviewed,
}

impl Status {
    /// Every status, in workflow order.
    pub const ALL: [Status; 4] = [
        Status::New,
        Status::InProgress,
        Status::Done,
        Status::Reviewed,
    ];

    /// The name used in files and exports.
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "New",
            Status::InProgress => "InProgress",
            Status::Done => "Done",
            Status::Reviewed => "Reviewed",
        }
    }

    /// The status as people read it ("In progress").
    pub fn label(self) -> String {
        claim::humanize(self.name())
    }

    /// Parses a name written by [`Status::name`] (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// Review state of one annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Review {
    /// Nobody has reviewed it.
    #[default]
    Unreviewed,
    /// A reviewer accepted it.
    Accepted,
    /// A reviewer rejected it.
    Rejected,
    /// A reviewer wants it discussed before deciding (format version 2).
    Discuss,
}

impl Review {
    fn is_unreviewed(&self) -> bool {
        *self == Review::Unreviewed
    }
}

/// One article and its annotations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id, unique in the project.
    pub id: String,
    /// Title shown in the document list.
    pub title: String,
    /// Where the article came from: a file path or URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Publication date as given by the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Author line as the source gives it (a web page's byline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// Name of the publishing site (a web page's `og:site_name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// Language tag of the text, e.g. `en` or `ar` (a web page's `lang`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Text direction, `rtl`, `ltr` or `auto` (a web page's `dir`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// `sha256:` of the text, used to skip articles imported twice.
    pub content_hash: String,
    /// Workflow status.
    #[serde(default)]
    pub status: Status,
    /// Entity mentions.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Claims.
    #[serde(default)]
    pub claims: Vec<Claim>,
    /// Typed links between annotations of this document.
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// Unsettled disagreements and merge conflicts about this document and
    /// its annotations; see [`Conflict`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    /// Suggestions the analyst accepted or rejected here (format version
    /// 4): a rejected one is never proposed again and counts against its
    /// string; both give the suggestions' precision per type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestion_decisions: Vec<SuggestionDecision>,
    /// The full text, so that a project file is self-contained.
    pub text: String,
}

/// An accepted or rejected suggestion, where it was and what it proposed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SuggestionDecision {
    /// Start, code points.
    pub start: usize,
    /// End, code points, exclusive.
    pub end: usize,
    /// The proposed entity type key.
    pub label: CompactString,
    /// The quoted text.
    pub text: CompactString,
    /// Accepted (it became an entity) or rejected.
    pub accepted: bool,
}

impl Document {
    /// A new document; the hash is computed from `text`.
    pub fn new(id: impl Into<String>, title: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let hash = content_hash(&text);
        Self::with_content_hash(id, title, text, hash)
    }

    /// A new document whose `content_hash` the caller computed already with
    /// [`content_hash`] (on another thread, say); loading checks it.
    pub fn with_content_hash(
        id: impl Into<String>,
        title: impl Into<String>,
        text: String,
        content_hash: String,
    ) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            source: None,
            date: None,
            byline: None,
            site_name: None,
            language: None,
            direction: None,
            content_hash,
            status: Status::New,
            entities: Vec::new(),
            claims: Vec::new(),
            relations: Vec::new(),
            conflicts: Vec::new(),
            suggestion_decisions: Vec::new(),
            text,
        }
    }

    /// The entity with `id`.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// The claim with `id`.
    pub fn claim(&self, id: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == id)
    }

    /// The relation with `id`.
    pub fn relation(&self, id: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.id == id)
    }

    /// Whether an entity or claim has `id`: what a relation may point to.
    pub fn has_span_annotation(&self, id: &str) -> bool {
        self.entity(id).is_some() || self.claim(id).is_some()
    }

    /// Entities, claims and relations together.
    pub fn annotation_count(&self) -> usize {
        self.entities.len() + self.claims.len() + self.relations.len()
    }

    /// Next free id with `prefix` (`e`, `c`, `r`) over every annotation of the
    /// document, since relation ends may name either kind.
    pub fn next_id(&self, prefix: &str) -> String {
        let ids = self
            .entities
            .iter()
            .map(|e| e.id.as_str())
            .chain(self.claims.iter().map(|c| c.id.as_str()))
            .chain(self.relations.iter().map(|r| r.id.as_str()));
        next_numbered_id(prefix, ids)
    }

    /// Makes a span of this document's text, `None` when out of range.
    pub fn span(&self, start: usize, end: usize) -> Option<(usize, usize, CompactString)> {
        let text = span::char_slice(&self.text, start, end)?;
        (start < end).then(|| (start, end, CompactString::from(text)))
    }
}

/// A document id made of `wanted` (a file stem, say): letters, digits and
/// `-_.`, anything else as `-`; `doc` when nothing is left.
pub fn document_id_base(wanted: &str) -> String {
    let base: String = wanted
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if base.is_empty() {
        "doc".to_owned()
    } else {
        base
    }
}

/// The current time in RFC 3339, UTC, whole seconds: the stamp of
/// `created`/`modified` fields (and of a lock's "since").
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// `sha256:<hex>` of a text: a document's content hash.
pub fn content_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(71);
    hex.push_str("sha256:");
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in digest {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    hex
}

pub(crate) fn next_numbered_id<'a>(
    prefix: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
) -> String {
    let numbers = ids.filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok());
    let highest = numbers.clone().max().unwrap_or(0);
    // Past the highest number (one pass, no set: this runs on every tag), or
    // after an absurd id from a file, the first free one.
    let next = highest
        .checked_add(1)
        .or_else(|| {
            let used: std::collections::HashSet<u64> = numbers.collect();
            (1..).find(|n| !used.contains(n))
        })
        .unwrap_or(1);
    format!("{prefix}{next}")
}

/// A mention of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Id, unique among the document's annotations.
    pub id: CompactString,
    /// Entity type key (`PER`); format version 0 called it `type`.
    #[serde(alias = "type")]
    pub label: CompactString,
    /// Start, code points.
    pub start: usize,
    /// End, code points, exclusive.
    pub end: usize,
    /// The quoted text.
    pub text: CompactString,
    /// Canonical entity this mention refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<CompactString>,
    /// Free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<RareText>,
    /// Who made it or last changed it (a review does not change it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<CompactString>,
    /// When it was made or last changed in the app, reviews included (RFC
    /// 3339, UTC; format version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<CompactString>,
    /// Review state.
    #[serde(default, skip_serializing_if = "Review::is_unreviewed")]
    pub review: Review,
    /// The reviewer's comment on a `Discuss` review (format version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_comment: Option<RareText>,
    /// Who gave it its review state: a reviewer in review mode, or the
    /// adjudicator who settled a disagreement by keeping it (format
    /// version 5). `modified` says when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<RareText>,
}

impl Entity {
    /// A new entity with no canonical link, note or annotator.
    pub fn new(
        id: impl Into<CompactString>,
        label: impl Into<CompactString>,
        start: usize,
        end: usize,
        text: impl Into<CompactString>,
    ) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            start,
            end,
            text: text.into(),
            canonical: None,
            note: None,
            annotator: None,
            modified: None,
            review: Review::Unreviewed,
            review_comment: None,
            reviewer: None,
        }
    }
}

/// A statement made in the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// Id, unique among the document's annotations.
    pub id: CompactString,
    /// Start of the claim's content, code points.
    pub start: usize,
    /// End, code points, exclusive.
    pub end: usize,
    /// The quoted claim.
    pub text: CompactString,
    /// Who made the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant: Option<Claimant>,
    /// The reporting verb ("said").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<Cue>,
    /// Direct or indirect quote, or the author's own assertion.
    #[serde(default)]
    pub attribution: Attribution,
    /// ClaimBuster class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkworthiness: Option<CheckWorthiness>,
    /// Full Fact claim type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_type: Option<ClaimType>,
    /// The article's stance toward the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// Fact-check verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Free-text rating that goes with the verdict ("Mostly false").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<CompactString>,
    /// Evidence spans and URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// What the claim says, in a sentence (ClaimReview `claimReviewed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<CompactString>,
    /// Free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<RareText>,
    /// Who made it or last changed it (a review does not change it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<CompactString>,
    /// When it was made or last changed in the app, reviews included (RFC
    /// 3339, UTC; format version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<CompactString>,
    /// Review state.
    #[serde(default, skip_serializing_if = "Review::is_unreviewed")]
    pub review: Review,
    /// The reviewer's comment on a `Discuss` review (format version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_comment: Option<RareText>,
    /// Who gave it its review state: a reviewer in review mode, or the
    /// adjudicator who settled a disagreement by keeping it (format
    /// version 5). `modified` says when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<RareText>,
}

impl Claim {
    /// A new claim with default fields.
    pub fn new(
        id: impl Into<CompactString>,
        start: usize,
        end: usize,
        text: impl Into<CompactString>,
    ) -> Self {
        Self {
            id: id.into(),
            start,
            end,
            text: text.into(),
            claimant: None,
            cue: None,
            attribution: Attribution::default(),
            checkworthiness: None,
            claim_type: None,
            stance: None,
            verdict: None,
            rating: None,
            evidence: Vec::new(),
            summary: None,
            note: None,
            annotator: None,
            modified: None,
            review: Review::Unreviewed,
            review_comment: None,
            reviewer: None,
        }
    }

    /// The claimant as people read it: the entity's text or the free text.
    pub fn claimant_name<'a>(&'a self, document: &'a Document) -> Option<&'a str> {
        match self.claimant.as_ref()? {
            Claimant::Entity(id) => document.entity(id).map(|e| e.text.as_str()),
            Claimant::Text(text) => Some(text),
        }
    }
}

/// A typed link between two annotations of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Id, unique among the document's annotations.
    pub id: CompactString,
    /// Relation type key.
    pub label: CompactString,
    /// Id of the source annotation.
    pub from: CompactString,
    /// Id of the target annotation.
    pub to: CompactString,
    /// Who made it (format version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<CompactString>,
    /// When it was made in the app (RFC 3339, UTC; format version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<CompactString>,
}

impl Relation {
    /// A new relation with no provenance.
    pub fn new(
        id: impl Into<CompactString>,
        label: impl Into<CompactString>,
        from: impl Into<CompactString>,
        to: impl Into<CompactString>,
    ) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            from: from.into(),
            to: to.into(),
            annotator: None,
            modified: None,
        }
    }
}

/// An entity across documents ("Kim Jong Un"), that mentions point to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CanonicalEntity {
    /// Id, unique in the project.
    pub id: String,
    /// Preferred name.
    pub name: String,
    /// Entity type key.
    pub label: String,
    /// Free note (a Wikidata id, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A count with its noun for messages: "1 document", "2 documents".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
