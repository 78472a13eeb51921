//! The user's preferences, kept in the data folder as RON: the annotator's
//! name that provenance records on every annotation made in the app.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The preferences file in the data folder.
const PREFS_FILE: &str = "preferences.ron";

/// What the user chose once and keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// The name written as `annotator` on annotations made or changed here.
    #[serde(default)]
    pub annotator: Option<String>,
    /// Whether the name was asked for already (answered or skipped).
    #[serde(default)]
    pub asked_name: bool,
}

impl Preferences {
    /// The preferences in `data_dir`; defaults when there are none (or the
    /// file is unreadable: preferences are never worth a failed start).
    pub fn load(data_dir: &Path) -> Self {
        std::fs::read_to_string(data_dir.join(PREFS_FILE))
            .ok()
            .and_then(|text| ron::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Writes the preferences atomically into `data_dir`.
    pub fn save(&self, data_dir: &Path) -> Result<(), String> {
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| e.to_string())?;
        std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
        let path = data_dir.join(PREFS_FILE);
        crate::store::write_atomically(&path, text.as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_round_trip_and_default_when_absent() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(Preferences::load(dir.path()), Preferences::default());
        let prefs = Preferences {
            annotator: Some("Ana".into()),
            asked_name: true,
        };
        prefs.save(dir.path()).expect("saved");
        assert_eq!(Preferences::load(dir.path()), prefs);
    }
}
