//! Field-by-field merging of any serialisable value.

use super::*;

/// Fields that say who touched a value and when: they follow the change and
/// never conflict.
const BOOKKEEPING: &[&str] = &["annotator", "modified", "reviewer"];

/// Fields merged as one: a span's offsets and quote must come from one side.
const SPAN: (&str, &[&str]) = ("span", &["start", "end", "text"]);

pub(super) fn to_map<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

pub(super) fn from_map<T: DeserializeOwned>(map: Map<String, Value>) -> Option<T> {
    serde_json::from_value(Value::Object(map)).ok()
}

/// The value's fields without the ones that do not make it different: its
/// id and bookkeeping.
pub(super) fn content<T: Serialize>(value: &T) -> Map<String, Value> {
    let mut map = to_map(value);
    map.remove("id");
    for key in BOOKKEEPING {
        map.remove(*key);
    }
    map
}

pub(super) fn content_key<T: Serialize>(value: &T) -> String {
    Value::Object(content(value)).to_string()
}

/// The outcome of merging fields: the merged value with ours' choice where
/// they conflict, the same with theirs' choice, and the conflicting fields.
pub(super) struct Fields {
    pub(super) ours: Map<String, Value>,
    pub(super) theirs: Map<String, Value>,
    pub(super) conflicts: Vec<String>,
    /// Each conflicting field's values on both sides (single fields only).
    pub(super) values: Vec<(Option<Value>, Option<Value>)>,
}

/// Merges `ours` and `theirs` field by field against `base` (`None`: no
/// common base, every difference conflicts). `skip` fields are left to the
/// caller (taken from ours).
pub(super) fn merge_fields(
    base: Option<&Map<String, Value>>,
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
    skip: &[&str],
) -> Fields {
    let mut out = Fields {
        ours: ours.clone(),
        theirs: ours.clone(),
        conflicts: Vec::new(),
        values: Vec::new(),
    };
    let mut keys: Vec<&String> = ours.keys().collect();
    for key in theirs.keys().chain(base.into_iter().flat_map(|b| b.keys())) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let mut done: HashSet<&str> = HashSet::new();
    for key in keys {
        if skip.contains(&key.as_str()) || done.contains(key.as_str()) {
            continue;
        }
        let (name, unit): (&str, Vec<&str>) = if SPAN.1.contains(&key.as_str()) {
            (SPAN.0, SPAN.1.to_vec())
        } else {
            (key.as_str(), vec![key.as_str()])
        };
        done.extend(unit.iter().copied());
        let get = |map: Option<&Map<String, Value>>| -> Vec<Option<Value>> {
            unit.iter()
                .map(|k| map.and_then(|m| m.get(*k)).cloned())
                .collect()
        };
        let (b, o, t) = (get(base), get(Some(ours)), get(Some(theirs)));
        let (pick_ours, pick_theirs) = if o == t || (base.is_some() && t == b) {
            (&o, &o)
        } else if base.is_some() && o == b {
            (&t, &t)
        } else {
            if !BOOKKEEPING.contains(&name) {
                out.conflicts.push(name.to_owned());
                let single = |v: &Vec<Option<Value>>| {
                    if v.len() == 1 {
                        v.first().cloned().flatten()
                    } else {
                        Some(Value::Array(
                            v.iter().map(|x| x.clone().unwrap_or(Value::Null)).collect(),
                        ))
                    }
                };
                out.values.push((single(&o), single(&t)));
            }
            (&o, &t)
        };
        for (k, (vo, vt)) in unit.iter().zip(pick_ours.iter().zip(pick_theirs)) {
            set(&mut out.ours, k, vo.clone());
            set(&mut out.theirs, k, vt.clone());
        }
    }
    out
}

pub(super) fn set(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(v) if !v.is_null() => {
            map.insert(key.to_owned(), v);
        }
        _ => {
            map.remove(key);
        }
    }
}
