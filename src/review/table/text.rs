//! Text as the table compares it: interned names, and case-insensitive
//! comparison and search without allocating per row.

use super::*;

/// Interns names, then renumbers them in sorted order.
#[derive(Default)]
pub(super) struct Interner {
    pub(super) ids: HashMap<String, u32>,
}

impl Interner {
    pub(super) fn get(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(name.to_owned(), id);
        id
    }

    /// The names in sorted order, and each old index's new index.
    pub(super) fn finish(self) -> (Vec<String>, Vec<u32>) {
        let mut names: Vec<(String, u32)> = self.ids.into_iter().collect();
        names.sort();
        let mut renumber = vec![0; names.len()];
        for (new, (_, old)) in names.iter().enumerate() {
            if let Some(slot) = renumber.get_mut(*old as usize) {
                *slot = new as u32;
            }
        }
        (names.into_iter().map(|(n, _)| n).collect(), renumber)
    }
}

/// The first 8 bytes of `text` lowercased as a number that orders like the
/// lowercased text.
pub(super) fn prefix(text: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let fill = |bytes: &mut [u8; 8], from: &mut dyn Iterator<Item = u8>| {
        for (slot, byte) in bytes.iter_mut().zip(from) {
            *slot = byte;
        }
    };
    if text.is_ascii() {
        fill(
            &mut bytes,
            &mut text.bytes().map(|b| b.to_ascii_lowercase()),
        );
    } else {
        fill(&mut bytes, &mut text.to_lowercase().bytes());
    }
    u64::from_be_bytes(bytes)
}

/// `text` lowercased as `str::to_lowercase` does it, into `scratch` (the
/// text filter runs over every row: no allocation per row).
pub(super) fn lower_into<'a>(text: &str, scratch: &'a mut String) -> &'a str {
    scratch.clear();
    // Only a capital sigma lowercases by its neighbours (word-final ς).
    if text.contains('Σ') {
        scratch.push_str(&text.to_lowercase());
    } else {
        scratch.extend(text.chars().flat_map(char::to_lowercase));
    }
    scratch
}

/// Compares two texts as their lowercased forms (`str::to_lowercase`)
/// compare, without allocating unless one has a capital sigma.
pub(super) fn cmp_lower(a: &str, b: &str) -> Ordering {
    if a == b {
        // Duplicate quotes are common: the tie the sort meets most.
        Ordering::Equal
    } else if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|x| x.to_ascii_lowercase())
            .cmp(b.bytes().map(|x| x.to_ascii_lowercase()))
    } else if a.contains('Σ') || b.contains('Σ') {
        a.to_lowercase().cmp(&b.to_lowercase())
    } else {
        // UTF-8 orders like its code points, so comparing the lowercased
        // characters compares the lowercased strings.
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    }
}

/// Whether lowercasing `text` can make ASCII out of what is not: only
/// 'İ' (lowercased "i̇") and the Kelvin sign 'K' ("k") do, and their UTF-8
/// starts with one of these two bytes (a test checks every character).
pub(super) fn may_lower_to_ascii(text: &str) -> bool {
    text.bytes().any(|b| b == 0xC4 || b == 0xE2)
}

/// Whether `text` lowercased contains `part` (lowercase already).
pub(super) fn contains_lower(text: &str, part: &str, scratch: &mut String) -> bool {
    // An ASCII `part` can only be found in the text's ASCII runs, which
    // lowercase to themselves lowercased, when no other character becomes
    // ASCII.
    if !text.is_ascii() && (!part.is_ascii() || may_lower_to_ascii(text)) {
        return lower_into(text, scratch).contains(part);
    }
    // `part` has no ASCII capitals, so ignoring ASCII case on both sides is
    // comparing it with the lowercased text.
    let (text, part) = (text.as_bytes(), part.as_bytes());
    part.is_empty()
        || text
            .windows(part.len())
            .any(|window| window.eq_ignore_ascii_case(part))
}

/// Whether `text` lowercased is `whole` (lowercase already).
pub(super) fn equals_lower(text: &str, whole: &str, scratch: &mut String) -> bool {
    if text.is_ascii() {
        text.eq_ignore_ascii_case(whole)
    } else if whole.is_ascii() && !may_lower_to_ascii(text) {
        // Its non-ASCII characters stay non-ASCII.
        false
    } else {
        lower_into(text, scratch) == whole
    }
}
