//! Migrations from older project format versions.
//!
//! - Version 0 is the pre-release draft format: entities named their type
//!   with a `type` field instead of `label` (the model reads `type` as an
//!   alias of `label`), and the `version` field was 0.
//! - Version 1 has no conflict records; version 2 adds them (`conflicts` on
//!   the project and on documents, both optional). Nothing else changed, so
//!   a version 1 file reads as a version 2 project with no conflicts.
//!   Version 2 also allows the `Discuss` review state.
//! - Version 3 adds provenance and review comments, all optional: `modified`
//!   on entities, claims and relations, `annotator` on relations, and
//!   `review_comment` on entities and claims. An older file has none of
//!   them (its times are unknown, not guessed), so it reads as it is.
//! - Version 4 adds `suggestion_decisions` on documents (suggestions the
//!   analyst accepted or rejected), optional: an older file has none.
//!
//! Loading brings a project to the current version; saving writes the
//! oldest version that can hold it (see `Project::written_version`), so
//! `gloss fmt` writes an old file back as the version it was (1 unless it
//! has conflicts or discussions).

use crate::model::{FORMAT_VERSION, Project};

/// Brings a project read from an older format version up to the current
/// one; a current project is returned as it is.
pub fn migrate(mut project: Project) -> Project {
    // 0 -> 1: the `type` alias is read by serde; nothing else to do.
    // 1 -> 2: additive (conflict records default to none); nothing to do.
    // 2 -> 3: additive (no times, comments or relation annotators); nothing
    // to do.
    // 3 -> 4: additive (no suggestion decisions); nothing to do.
    // Later versions will transform `project` here step by step, oldest first.
    project.version = project.version.max(FORMAT_VERSION);
    project
}
