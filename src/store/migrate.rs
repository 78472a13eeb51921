//! Migrations from older project format versions.
//!
//! - Version 0 is the pre-release draft format: entities named their type
//!   with a `type` field instead of `label` (the model reads `type` as an
//!   alias of `label`), and the `version` field was 0.
//! - Version 1 has no conflict records; version 2 adds them (`conflicts` on
//!   the project and on documents, both optional). Nothing else changed, so
//!   a version 1 file reads as a version 2 project with no conflicts.
//!
//! Loading brings a project to the current version; saving writes the
//! oldest version that can hold it (see `Project::written_version`), so
//! `gloss fmt` writes an old file back as version 1 unless it has conflicts.

use crate::model::{FORMAT_VERSION, Project};

/// Brings a project read from an older format version up to the current
/// one; a current project is returned as it is.
pub fn migrate(mut project: Project) -> Project {
    // 0 -> 1: the `type` alias is read by serde; nothing else to do.
    // 1 -> 2: additive (conflict records default to none); nothing to do.
    // Later versions will transform `project` here step by step, oldest first.
    project.version = project.version.max(FORMAT_VERSION);
    project
}
