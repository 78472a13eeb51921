//! brat's `annotation.conf` and `visual.conf`: written from the schema,
//! read (searched up the folder tree, as brat does) into types and colours.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::super::{FormatError, Tally};
use super::*;
use crate::model::{Project, Rgb};

pub(super) fn annotation_conf(
    project: &Project,
    attributes: &BTreeMap<(String, &'static str), BTreeSet<String>>,
    tally: &mut Tally,
) -> String {
    let mut out = String::from(
        "# brat annotation configuration, written by Gloss from the project schema.\n\n[entities]\n\n",
    );
    let mut seen = HashSet::new();
    for t in &project.schema.entity_types {
        let key = brat_type(&t.key);
        if key != t.key {
            tally.add(
                "type name(s) with whitespace written with underscores",
                t.key.clone(),
            );
        }
        if key != CLAIM && key != CUE && seen.insert(key.clone()) {
            let _ = writeln!(out, "{key}");
        }
    }
    let _ = writeln!(out, "{CLAIM}\n{CUE}\n\n[relations]\n");
    for t in &project.schema.relation_types {
        let key = brat_type(&t.key);
        if key != t.key {
            tally.add(
                "type name(s) with whitespace written with underscores",
                t.key.clone(),
            );
        }
        if ![CLAIMANT, CUE, EQUIV].contains(&key.as_str()) {
            let _ = writeln!(out, "{key}\tArg1:<ANY>, Arg2:<ANY>");
        }
    }
    let _ = writeln!(out, "{CLAIMANT}\tArg1:{CLAIM}, Arg2:<ENTITY>");
    let _ = writeln!(out, "{CUE}\tArg1:{CLAIM}, Arg2:{CUE}");
    let _ = writeln!(
        out,
        "{EQUIV}\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive"
    );
    out.push_str("\n[events]\n\n[attributes]\n\n");
    for name in CLAIM_ATTRIBUTES {
        let _ = writeln!(
            out,
            "{name}\tArg:{CLAIM}, Value:{}",
            claim_attribute_values(name).join("|")
        );
    }
    for ((name, applies_to), values) in attributes {
        if values.is_empty() {
            let _ = writeln!(out, "{name}\tArg:{applies_to}");
        } else {
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            let _ = writeln!(out, "{name}\tArg:{applies_to}, Value:{}", values.join("|"));
        }
    }
    out
}

pub(super) fn visual_conf(project: &Project) -> String {
    let mut out = String::from(
        "# brat visual configuration, written by Gloss from the project schema.\n\n[labels]\n\n",
    );
    for t in &project.schema.entity_types {
        let _ = writeln!(out, "{} | {}", brat_type(&t.key), t.name);
    }
    for t in &project.schema.relation_types {
        let _ = writeln!(out, "{} | {}", brat_type(&t.key), t.name);
    }
    out.push_str("\n[drawing]\n\n");
    for t in &project.schema.entity_types {
        let _ = writeln!(out, "{}\tbgColor:{}", brat_type(&t.key), t.color.to_hex());
    }
    let _ = writeln!(out, "{CLAIM}\tbgColor:#fde68a");
    let _ = writeln!(out, "{CUE}\tbgColor:#e5e7eb");
    let _ = writeln!(out, "{EQUIV}\tdashArray:3-3, arrowHead:none");
    out
}

// ---------------------------------------------------------------------------
// Import

/// Types, names and colours read from `annotation.conf` and `visual.conf`.
#[derive(Default)]
pub(super) struct Conf {
    pub(super) entities: Vec<String>,
    pub(super) relations: Vec<String>,
    pub(super) names: HashMap<String, String>,
    pub(super) colors: HashMap<String, Rgb>,
}

pub(super) fn read_conf(dir: &Path, root: &Path) -> Result<Conf, FormatError> {
    let mut conf = Conf::default();
    if let Some(path) = find_up(dir, root, "annotation.conf") {
        let mut section = String::new();
        for line in super::super::read_text(&path)?.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.trim().to_owned();
                continue;
            }
            let Some(first) = line.split_whitespace().next() else {
                continue;
            };
            let key = first.trim_start_matches('!');
            if key.is_empty() || key.starts_with('<') || key.contains('=') {
                continue;
            }
            match section.as_str() {
                "entities" if key != CLAIM && key != CUE => conf.entities.push(key.to_owned()),
                "relations"
                    if ![CLAIMANT, CUE, EQUIV].contains(&key)
                        && !line.contains("symmetric-transitive") =>
                {
                    conf.relations.push(key.to_owned());
                }
                _ => {}
            }
        }
    }
    if let Some(path) = find_up(dir, root, "visual.conf") {
        let mut section = String::new();
        for line in super::super::read_text(&path)?.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.trim().to_owned();
                continue;
            }
            match section.as_str() {
                "labels" => {
                    let mut parts = line.split('|').map(str::trim);
                    if let (Some(key), Some(name)) = (parts.next(), parts.next())
                        && !name.is_empty()
                    {
                        conf.names.insert(key.to_owned(), name.to_owned());
                    }
                }
                "drawing" => {
                    let Some((key, settings)) = line.split_once(char::is_whitespace) else {
                        continue;
                    };
                    for setting in settings.split(',') {
                        if let Some((name, value)) = setting.trim().split_once(':')
                            && name.trim() == "bgColor"
                            && let Some(color) = parse_color(value.trim())
                        {
                            conf.colors.insert(key.to_owned(), color);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(conf)
}

/// `name` in `dir` or a folder above it, up to `root`.
pub(super) fn find_up(dir: &Path, root: &Path, name: &str) -> Option<PathBuf> {
    let mut dir = Some(dir);
    while let Some(d) = dir {
        let candidate = d.join(name);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d == root {
            break;
        }
        dir = d.parent();
    }
    None
}

/// `#rgb`, `#rrggbb` or a common HTML colour name.
pub(super) fn parse_color(value: &str) -> Option<Rgb> {
    if let Some(hex) = value.strip_prefix('#')
        && hex.len() == 3
        && hex.is_ascii()
    {
        let doubled: String = hex.chars().flat_map(|c| [c, c]).collect();
        return Rgb::parse(&doubled);
    }
    if value.starts_with('#') {
        return Rgb::parse(value);
    }
    let rgb = match value.to_ascii_lowercase().as_str() {
        "white" => [0xff, 0xff, 0xff],
        "black" => [0, 0, 0],
        "red" => [0xff, 0, 0],
        "green" => [0, 0x80, 0],
        "blue" => [0, 0, 0xff],
        "yellow" => [0xff, 0xff, 0],
        "orange" => [0xff, 0xa5, 0],
        "pink" => [0xff, 0xc0, 0xcb],
        "purple" => [0x80, 0, 0x80],
        "violet" => [0xee, 0x82, 0xee],
        "brown" => [0xa5, 0x2a, 0x2a],
        "gray" | "grey" => [0x80, 0x80, 0x80],
        "lightgray" | "lightgrey" => [0xd3, 0xd3, 0xd3],
        "lightgreen" => [0x90, 0xee, 0x90],
        "lightblue" => [0xad, 0xd8, 0xe6],
        "lightpink" => [0xff, 0xb6, 0xc1],
        "lightyellow" => [0xff, 0xff, 0xe0],
        "cyan" | "aqua" => [0, 0xff, 0xff],
        "magenta" | "fuchsia" => [0xff, 0, 0xff],
        "gold" => [0xff, 0xd7, 0],
        "khaki" => [0xf0, 0xe6, 0x8c],
        "salmon" => [0xfa, 0x80, 0x72],
        "tan" => [0xd2, 0xb4, 0x8c],
        _ => return None,
    };
    Some(Rgb(rgb))
}
