//! Which imported articles a project takes, and under which id: a text the
//! project (or the batch) has already is skipped; every other article gets
//! the id it wants, or that with the next free suffix. Compact, so that a
//! batch of a million short articles costs tens of bytes per article, not
//! a string or two.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::model::Project;

/// The ids and texts seen so far: the project's documents, then every
/// article admitted. Entry `i` is one document's id (in `ids`) and the
/// first 128 bits of its text's SHA-256 (in `digests`): two texts are the
/// same when those are, as the full content hash decides elsewhere.
pub(crate) struct Admission {
    ids: String,
    id_ends: Vec<u32>,
    digests: Vec<[u8; 16]>,
    by_id: HashTable<u32>,
    by_text: HashTable<u32>,
    hasher: std::collections::hash_map::RandomState,
    /// Next suffix to try per base id: a thousand files named `index.html`
    /// (or a batch without ids) stay linear.
    next_suffix: std::collections::HashMap<String, usize>,
}

impl Admission {
    /// What `project` holds already.
    pub(crate) fn of(project: &Project) -> Self {
        let mut admission = Self {
            ids: String::new(),
            id_ends: Vec::new(),
            digests: Vec::new(),
            by_id: HashTable::new(),
            by_text: HashTable::new(),
            hasher: std::collections::hash_map::RandomState::new(),
            next_suffix: std::collections::HashMap::new(),
        };
        for doc in &project.documents {
            admission.record(&doc.id, &doc.content_hash);
        }
        admission
    }

    /// Admits a document wanting id `wanted` with `content_hash`: its id,
    /// or the id of the document that has its text already.
    pub(crate) fn admit(&mut self, wanted: &str, content_hash: &str) -> Result<String, String> {
        let digest = digest_of(content_hash);
        if let Some(&same) = self
            .by_text
            .find(text_hash(&digest), |&i| self.digests[i as usize] == digest)
        {
            return Err(self.id(same).to_owned());
        }
        let base = crate::model::document_id_base(wanted);
        let mut id = base.clone();
        if self.has_id(&id) {
            let mut suffix = self.next_suffix.get(&base).copied().unwrap_or(2);
            loop {
                id = format!("{base}-{suffix}");
                if !self.has_id(&id) {
                    break;
                }
                suffix += 1;
            }
            self.next_suffix.insert(base, suffix + 1);
        }
        self.record(&id, content_hash);
        Ok(id)
    }

    fn id(&self, i: u32) -> &str {
        arena_id(&self.ids, &self.id_ends, i)
    }

    fn has_id(&self, id: &str) -> bool {
        self.by_id
            .find(self.hasher.hash_one(id), |&i| self.id(i) == id)
            .is_some()
    }

    fn record(&mut self, id: &str, content_hash: &str) {
        let Ok(next) = u32::try_from(self.id_ends.len()) else {
            return;
        };
        self.ids.push_str(id);
        // Ids are short; four billion bytes of them is not a project.
        self.id_ends
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
        let digest = digest_of(content_hash);
        self.digests.push(digest);
        let Self {
            ids,
            id_ends,
            digests,
            by_id,
            by_text,
            hasher,
            ..
        } = self;
        let id_at = |i: u32| arena_id(ids, id_ends, i);
        by_id.insert_unique(hasher.hash_one(id), next, |&i| hasher.hash_one(id_at(i)));
        by_text.insert_unique(text_hash(&digest), next, |&i| {
            text_hash(&digests[i as usize])
        });
    }
}

/// Id `i` of the arena `ids`, whose ids end at `ends` (empty past the end:
/// never a panic, even with more id bytes than `u32` counts).
fn arena_id<'a>(ids: &'a str, ends: &[u32], i: u32) -> &'a str {
    let i = i as usize;
    let start = match i.checked_sub(1) {
        Some(before) => ends.get(before).copied().unwrap_or(0) as usize,
        None => 0,
    };
    let end = ends.get(i).copied().unwrap_or(0) as usize;
    ids.get(start..end).unwrap_or("")
}

/// The first 128 bits of `sha256:<hex>`. A hash written some other way (a
/// hand-edited file that loading let through) gets the first bytes of its
/// own text's SHA-256, which no real content hash shares.
fn digest_of(content_hash: &str) -> [u8; 16] {
    let hex = content_hash.strip_prefix("sha256:").unwrap_or("");
    let mut digest = [0u8; 16];
    let parsed = hex.len() == 64
        && digest.iter_mut().enumerate().all(|(n, byte)| {
            match hex
                .get(2 * n..2 * n + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            {
                Some(value) => {
                    *byte = value;
                    true
                }
                None => false,
            }
        });
    if !parsed {
        use sha2::{Digest, Sha256};
        let whole = Sha256::digest(content_hash.as_bytes());
        digest.copy_from_slice(&whole[..16]);
        // Never equal to a parsed digest of the same bytes.
        digest[15] ^= 0xff;
    }
    digest
}

/// A digest is already uniformly random: its first eight bytes hash it.
fn text_hash(digest: &[u8; 16]) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, content_hash};

    #[test]
    fn texts_seen_are_skipped_and_ids_get_the_next_free_suffix() {
        let mut project = Project::new("p");
        project
            .documents
            .push(Document::new("tiny", "A", "A").into());
        project
            .documents
            .push(Document::new("tiny-3", "B", "B").into());
        let mut admission = Admission::of(&project);
        assert_eq!(
            admission.admit("tiny", &content_hash("A")),
            Err("tiny".into())
        );
        assert_eq!(
            admission.admit("tiny", &content_hash("C")),
            Ok("tiny-2".into())
        );
        assert_eq!(
            admission.admit("tiny", &content_hash("D")),
            Ok("tiny-4".into())
        );
        // A text admitted in this batch is known too.
        assert_eq!(
            admission.admit("x", &content_hash("D")),
            Err("tiny-4".into())
        );
        assert_eq!(admission.admit("a b", &content_hash("E")), Ok("a-b".into()));
        assert_eq!(
            admission.admit("a b", &content_hash("F")),
            Ok("a-b-2".into())
        );
    }

    #[test]
    fn a_hash_not_in_the_usual_form_still_tells_texts_apart() {
        assert_ne!(digest_of("md5:abc"), digest_of("md5:abd"));
        assert_eq!(digest_of("md5:abc"), digest_of("md5:abc"));
        let real = content_hash("x");
        assert_ne!(digest_of(&real), digest_of(&real.to_uppercase()));
    }
}
