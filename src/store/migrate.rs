//! Migrations from older project format versions.
//!
//! Version 0 is the pre-release draft format: entities named their type with a
//! `type` field instead of `label` (the model accepts `type` as an alias), and
//! the `version` field was 0. Loading it sets version 1; `gloss fmt` then
//! writes it back as v1.

use ron::error::SpannedError;

use crate::model::{FORMAT_VERSION, Project};

/// Upgrades the project text written with format `version` to the current model.
pub fn migrate(text: &str, version: u32) -> Result<Project, SpannedError> {
    let mut project: Project = ron::from_str(text)?;
    debug_assert!(version < FORMAT_VERSION);
    // Later versions will transform `project` step by step here, oldest first.
    project.version = FORMAT_VERSION;
    Ok(project)
}
