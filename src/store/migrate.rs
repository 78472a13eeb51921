//! Migrations from older project format versions.
//!
//! Version 0 is the pre-release draft format: entities named their type with a
//! `type` field instead of `label`, and the `version` field was 0. Loading it
//! renames the field and sets version 1; `gloss fmt` then writes it back as v1.

use ron::error::{Position, Span, SpannedError};
use ron::Value;

use crate::model::{Project, FORMAT_VERSION};

/// Upgrades the project text written with format `version` to the current model.
pub fn migrate(text: &str, version: u32) -> Result<Project, SpannedError> {
    let mut value: Value = ron::from_str(text)?;
    if version == 0 {
        v0_to_v1(&mut value);
    }
    set_field(&mut value, "version", Value::Number(ron::Number::U32(FORMAT_VERSION)));
    value.into_rust::<Project>().map_err(|code| SpannedError {
        code,
        span: Span { start: Position { line: 1, col: 1 }, end: Position { line: 1, col: 1 } },
    })
}

fn v0_to_v1(project: &mut Value) {
    let Some(Value::Seq(documents)) = field_mut(project, "documents") else { return };
    for document in documents {
        let Some(Value::Seq(entities)) = field_mut(document, "entities") else { continue };
        for entity in entities {
            if let Value::Map(map) = entity
                && let Some(label) = map.remove(&Value::String("type".to_owned()))
            {
                map.insert(Value::String("label".to_owned()), label);
            }
        }
    }
}

fn field_mut<'v>(value: &'v mut Value, name: &str) -> Option<&'v mut Value> {
    match value {
        Value::Map(map) => map.get_mut(&Value::String(name.to_owned())),
        _ => None,
    }
}

fn set_field(value: &mut Value, name: &str, new: Value) {
    if let Value::Map(map) = value {
        map.insert(Value::String(name.to_owned()), new);
    }
}
