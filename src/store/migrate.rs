//! Migrations from older project format versions.
//!
//! Version 0 is the pre-release draft format: entities named their type with a
//! `type` field instead of `label` (the model reads `type` as an alias of
//! `label`), and the `version` field was 0. Loading it sets version 1;
//! `gloss fmt` then writes it back as v1.

use crate::model::{FORMAT_VERSION, Project};

/// Brings a project read from an older format version up to the current
/// one; a current project is returned as it is.
pub fn migrate(mut project: Project) -> Project {
    // Later versions will transform `project` here step by step, oldest first.
    project.version = project.version.max(FORMAT_VERSION);
    project
}
