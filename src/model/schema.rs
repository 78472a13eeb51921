//! The project's annotation schema: entity and relation types.

use serde::{Deserialize, Serialize};

/// An sRGB colour written as `"#rrggbb"` in project files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Parses `#rrggbb` (the leading `#` is optional).
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#').unwrap_or(text);
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        Some(Self([channel(0)?, channel(2)?, channel(4)?]))
    }

    /// `#rrggbb`.
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

impl Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Rgb::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("colour {text:?} is not #rrggbb")))
    }
}

/// A kind of entity such as `PER`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityType {
    /// Short key used in annotations and exports (`PER`).
    pub key: String,
    /// Name shown to people (`Person`).
    pub name: String,
    /// Highlight colour.
    pub color: Rgb,
    /// Keyboard shortcut, a digit `1`–`9`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotkey: Option<char>,
    /// Whether a mention of this type can be a claim's claimant (people and
    /// organisations say things; dates do not). Absent in files written
    /// before the flag existed: then the types keyed `PER` and `ORG` can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_claim: Option<bool>,
}

impl EntityType {
    /// Whether mentions of this type are offered and guessed as claimants.
    pub fn can_claim(&self) -> bool {
        self.can_claim
            .unwrap_or(matches!(self.key.as_str(), "PER" | "ORG"))
    }
}

/// A kind of typed link between two annotations, as in brat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    /// Key used in annotations and exports (`Alias`).
    pub key: String,
    /// Name shown to people.
    pub name: String,
}

/// Entity and relation types of one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Entity types in display order.
    pub entity_types: Vec<EntityType>,
    /// Relation types in display order.
    #[serde(default)]
    pub relation_types: Vec<RelationType>,
}

impl Schema {
    /// The name people see for the relation type `key` ("Member of" for
    /// `MemberOf`); the key itself when the schema does not list it.
    pub fn relation_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.relation_types
            .iter()
            .find(|t| t.key == key)
            .map_or(key, |t| t.name.as_str())
    }

    /// The entity type with `key`.
    pub fn entity_type(&self, key: &str) -> Option<&EntityType> {
        self.entity_types.iter().find(|t| t.key == key)
    }

    /// The entity type bound to a hotkey.
    pub fn entity_type_for_hotkey(&self, hotkey: char) -> Option<&EntityType> {
        self.entity_types.iter().find(|t| t.hotkey == Some(hotkey))
    }

    /// The relation type with `key`.
    pub fn relation_type(&self, key: &str) -> Option<&RelationType> {
        self.relation_types.iter().find(|t| t.key == key)
    }

    /// Colour for an entity label; a neutral grey for labels the schema lacks.
    pub fn color_of(&self, key: &str) -> Rgb {
        self.entity_type(key)
            .map_or(Rgb([0xbb, 0xbb, 0xbb]), |t| t.color)
    }
}

impl Default for Schema {
    /// PER, ORG, GPE, LOC, DATE, EVENT, MISC on hotkeys 1–7, and a few relation types.
    fn default() -> Self {
        let types = [
            ("PER", "Person", [0xf4, 0xa2, 0x61]),
            ("ORG", "Organisation", [0x8e, 0xc5, 0xfc]),
            ("GPE", "Geo-political entity", [0x9b, 0xe5, 0x9b]),
            ("LOC", "Location", [0xc5, 0xe1, 0xa5]),
            ("DATE", "Date", [0xf7, 0xd8, 0x6a]),
            ("EVENT", "Event", [0xe0, 0xa8, 0xf0]),
            ("MISC", "Miscellaneous", [0xd0, 0xd0, 0xd0]),
        ];
        let entity_types = types
            .iter()
            .zip('1'..='7')
            .map(|((key, name, color), hotkey)| EntityType {
                key: (*key).to_owned(),
                name: (*name).to_owned(),
                color: Rgb(*color),
                hotkey: Some(hotkey),
                can_claim: None,
            })
            .collect();
        let relation_types = [
            ("Alias", "Alias of"),
            ("Located", "Located in"),
            ("MemberOf", "Member of"),
            ("Mentions", "Mentions"),
        ]
        .iter()
        .map(|(key, name)| RelationType {
            key: (*key).to_owned(),
            name: (*name).to_owned(),
        })
        .collect();
        Self {
            entity_types,
            relation_types,
        }
    }
}

/// Pastel colours for entity types an import adds, distinct from the defaults.
pub const PALETTE: [[u8; 3]; 16] = [
    [0xff, 0x9a, 0xa2],
    [0xb5, 0xea, 0xd7],
    [0xc7, 0xce, 0xea],
    [0xff, 0xda, 0xc1],
    [0xe2, 0xf0, 0xcb],
    [0xf3, 0xb0, 0xc3],
    [0xa0, 0xce, 0xd9],
    [0xff, 0xee, 0x93],
    [0xd4, 0xa5, 0xa5],
    [0xb8, 0xc0, 0xff],
    [0xad, 0xf7, 0xb6],
    [0xff, 0xc8, 0xdd],
    [0xcd, 0xb4, 0xdb],
    [0xfc, 0xf5, 0xc7],
    [0x9a, 0xd1, 0xd4],
    [0xe4, 0xc1, 0xf9],
];

/// A colour no entity type of `schema` uses yet.
pub fn distinct_color(schema: &Schema) -> Rgb {
    let used: std::collections::HashSet<[u8; 3]> =
        schema.entity_types.iter().map(|t| t.color.0).collect();
    if let Some(color) = PALETTE.iter().find(|c| !used.contains(*c)) {
        return Rgb(*color);
    }
    // Past the palette, walk the hue circle by the golden angle.
    (0..4096u32)
        .map(|n| hsv_pastel((n as f32 * 137.508) % 360.0))
        .find(|c| !used.contains(&c.0))
        .unwrap_or(Rgb([0xbb, 0xbb, 0xbb]))
}

fn hsv_pastel(hue: f32) -> Rgb {
    let (s, v) = (0.35_f32, 0.95_f32);
    let c = v * s;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let (r, g, b) = match (hue / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    let to = |f: f32| ((f + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb([to(r), to(g), to(b)])
}
