//! [`RareText`]: a string field most annotations leave empty.

use std::fmt;
use std::ops::Deref;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Text that most annotations do not have (a note, a reviewer's comment).
///
/// `Option<RareText>` is 8 bytes where `Option<CompactString>` is 24:
/// entities are most of a loaded project's memory, and each has two such
/// fields. The text lives behind one box (inline in it up to 24 bytes).
/// It reads and writes as a plain string, so the file format is unchanged,
/// and it derefs to `str`, so `field.as_deref()` is an `Option<&str>`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RareText(Box<CompactString>);

impl RareText {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Appends `text`.
    pub fn push_str(&mut self, text: &str) {
        self.0.push_str(text);
    }
}

impl Deref for RareText {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for RareText {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for RareText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for RareText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for RareText {
    fn from(text: &str) -> Self {
        Self(Box::new(CompactString::from(text)))
    }
}

impl From<String> for RareText {
    fn from(text: String) -> Self {
        Self(Box::new(CompactString::from(text)))
    }
}

impl From<CompactString> for RareText {
    fn from(text: CompactString) -> Self {
        Self(Box::new(text))
    }
}

impl From<&String> for RareText {
    fn from(text: &String) -> Self {
        Self::from(text.as_str())
    }
}

impl PartialEq<str> for RareText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RareText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_rare_text_is_one_pointer() {
        assert_eq!(std::mem::size_of::<Option<RareText>>(), 8);
    }

    #[test]
    fn an_entity_stays_small() {
        // A loaded project is mostly entities (a dense import: 120 MB of
        // its 124 MB); each optional string field is 24 bytes even empty.
        // 184 bytes until the reviewer (format version 5) took 8 more: it
        // is a `RareText`, a pointer while absent.
        assert!(
            std::mem::size_of::<crate::model::Entity>() <= 192,
            "Entity is {} bytes",
            std::mem::size_of::<crate::model::Entity>()
        );
    }

    #[test]
    fn it_reads_and_writes_as_a_plain_string() {
        let text = RareText::from("a note with \"quotes\" and 😀");
        let ron_text = ron::to_string(&Some(text.clone())).expect("serialises");
        assert_eq!(
            ron_text,
            ron::to_string(&Some("a note with \"quotes\" and 😀")).expect("serialises")
        );
        let back: Option<RareText> = ron::from_str(&ron_text).expect("parses");
        assert_eq!(back, Some(text));
        let json: RareText = serde_json::from_str("\"x\"").expect("parses");
        assert_eq!(json.as_str(), "x");
    }
}
