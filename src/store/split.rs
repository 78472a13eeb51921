//! Parallel parsing of project files in the canonical layout.
//!
//! [`super::to_ron`] writes every document between a line `    (` and a line
//! `    ),` inside `  documents: [`, and escapes line breaks inside strings,
//! so a file written by Gloss can be cut at those lines and its documents
//! parsed on several threads. The cut is only trusted when every piece
//! parses on its own, completely: the head (everything before the
//! documents) as a project with no documents, and each piece as one
//! document. Anything else — a hand-edited layout, a comment or raw string
//! across a cut, a syntax error — returns `None`, and the caller parses the
//! whole file the plain way, which also gives the error messages their
//! line and column in the whole file.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::model::{Document, Project};

/// The file's first lines up to the opening parenthesis, after a one-line
/// comment: the only RON extension a canonical file enables.
const HEADER: &str = "\n#![enable(implicit_some)]\n(\n";
/// The line that opens the document list (documents are the last field).
const DOCUMENTS_OPEN: &str = "\n  documents: [\n";
/// What follows the document list: the end of the file.
const TAIL: &str = "  ],\n)\n";
/// The first line of a document.
const DOCUMENT_OPEN: &str = "    (\n";
/// The last line of a document, from the line break before it.
const DOCUMENT_CLOSE: &str = "\n    ),\n";

/// RON's default nesting limit, and how deep a document sits in a project
/// as RON counts it (the project's struct, the document list and its
/// element; `nesting_limits_match_the_whole_file` pins it): a document parsed
/// on its own gets the limit less that depth, so that a value nested too
/// deeply fails exactly when it would in the whole file.
const RECURSION_LIMIT: usize = 128;
const DOCUMENT_DEPTH: usize = 4;

/// A canonical file cut into its head and one piece per document.
pub(super) struct Pieces<'t> {
    /// The file up to (and including) the line break before the document
    /// list.
    pub(super) head: &'t str,
    /// Each document from its `(` to its `)`.
    pub(super) documents: Vec<&'t str>,
}

/// Cuts `text` at the canonical document boundaries; `None` when the layout
/// is not exactly the canonical one.
pub(super) fn cut(text: &str) -> Option<Pieces<'_>> {
    let ranges = cut_bytes(text.as_bytes())?;
    let documents = ranges
        .documents
        .iter()
        .map(|&(from, to)| text.get(from..to))
        .collect::<Option<_>>()?;
    Some(Pieces {
        head: text.get(..ranges.head_end)?,
        documents,
    })
}

/// Where the pieces of a canonical file are, as byte ranges.
struct Ranges {
    /// The head is the file's first `head_end` bytes.
    head_end: usize,
    /// Each document's bytes, from its `(` to its `)`.
    documents: Vec<(usize, usize)>,
}

/// [`cut`] on bytes that need not be checked as UTF-8 first: every
/// boundary is an ASCII line break, so the file is UTF-8 exactly when its
/// head and each piece are, and each piece is checked by the thread that
/// parses it.
fn cut_bytes(bytes: &[u8]) -> Option<Ranges> {
    let first_line_end = memchr::memchr(b'\n', bytes)?;
    if !bytes.starts_with(b"//") || !bytes.get(first_line_end..)?.starts_with(HEADER.as_bytes()) {
        return None;
    }
    let open = memchr::memmem::find(bytes, DOCUMENTS_OPEN.as_bytes())?;
    let body_start = open + DOCUMENTS_OPEN.len();
    let body_end = bytes.len().checked_sub(TAIL.len())?;
    if !bytes.ends_with(TAIL.as_bytes()) || body_end < body_start {
        return None;
    }
    let close_finder = memchr::memmem::Finder::new(DOCUMENT_CLOSE.as_bytes());
    let mut documents = Vec::new();
    let mut at = body_start;
    while at < body_end {
        let rest = bytes.get(at..body_end)?;
        if !rest.starts_with(DOCUMENT_OPEN.as_bytes()) {
            return None;
        }
        let close = close_finder.find(rest)?;
        // The piece ends with the `)`; the `,` and line break are the list's.
        documents.push((at, at + close + DOCUMENT_CLOSE.len() - 2));
        at += close + DOCUMENT_CLOSE.len();
    }
    Some(Ranges {
        head_end: open + 1,
        documents,
    })
}

/// Parses a file in the canonical layout on up to `threads` threads; `None`
/// when the file is not in that layout or any piece does not parse, in
/// which case the caller must parse the whole file itself. When it returns
/// a project, that project is exactly what parsing the whole file gives.
pub(super) fn parse_canonical(text: &str, threads: usize) -> Option<Project> {
    let pieces = cut(text)?;
    let mut project = parse_head(pieces.head)?;
    let pieces: Vec<&[u8]> = pieces.documents.iter().map(|p| p.as_bytes()).collect();
    project.documents = parse_in_parallel(&pieces, threads)?;
    Some(project)
}

/// What [`parse_canonical_owned`] did with the file it was given.
pub(super) enum Owned {
    /// The file parsed; its text is gone.
    Parsed(Project),
    /// The file is not in the canonical layout (or not UTF-8); here it is,
    /// untouched, for the plain parse.
    Untouched(Vec<u8>),
    /// A document did not parse after part of the text had been given back:
    /// the caller must read the file again for the plain parse.
    Spent,
}

/// How much text each thread parses before the text parsed so far is given
/// back to the allocator.
const BATCH_BYTES_PER_THREAD: usize = 256 << 10;

/// [`parse_canonical`] for a file the caller has no further use for: the
/// documents are parsed from the last one back, and the end of the text is
/// given back to the allocator after each batch, so that the whole text and
/// the whole parsed project are never in memory at once (a large file is
/// its own allocation, which shrinks in place).
pub(super) fn parse_canonical_owned(bytes: Vec<u8>, threads: usize) -> Owned {
    let batch_bytes = BATCH_BYTES_PER_THREAD * threads.max(1);
    parse_in_batches(bytes, threads, batch_bytes)
}

/// [`parse_canonical_owned`] with batches of about `batch_bytes` of text.
fn parse_in_batches(mut bytes: Vec<u8>, threads: usize, batch_bytes: usize) -> Owned {
    // The file is checked as UTF-8 piece by piece, on the parsing threads,
    // not once whole beforehand.
    let Some(ranges) = cut_bytes(&bytes) else {
        return Owned::Untouched(bytes);
    };
    let head = bytes
        .get(..ranges.head_end)
        .and_then(|head| std::str::from_utf8(head).ok());
    let Some(mut project) = head.and_then(parse_head) else {
        return Owned::Untouched(bytes);
    };
    let ranges = ranges.documents;
    let mut batches: Vec<Vec<Arc<Document>>> = Vec::new();
    let mut end = ranges.len();
    while end > 0 {
        let mut start = end - 1;
        let last_byte = ranges.get(end - 1).map_or(0, |r| r.1);
        while start > 0
            && ranges
                .get(start)
                .is_some_and(|r| last_byte - r.0 < batch_bytes)
        {
            start -= 1;
        }
        let batch: Option<Vec<&[u8]>> = ranges
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|&(from, to)| bytes.get(from..to))
            .collect();
        let Some(documents) = batch.and_then(|b| parse_in_parallel(&b, threads)) else {
            return if batches.is_empty() {
                Owned::Untouched(bytes)
            } else {
                Owned::Spent
            };
        };
        batches.push(documents);
        let first_byte = ranges.get(start).map_or(0, |r| r.0);
        bytes.truncate(first_byte);
        bytes.shrink_to_fit();
        end = start;
    }
    drop(bytes);
    let mut documents = Vec::with_capacity(ranges.len());
    for batch in batches.into_iter().rev() {
        documents.extend(batch);
    }
    project.documents = documents;
    Owned::Parsed(project)
}

/// Parses document pieces on up to `threads` threads and returns the
/// documents in order; `None` when any piece does not parse (or is not
/// UTF-8). Each thread takes the next piece not yet taken, so that no
/// thread sits idle while another still has a run of long documents.
fn parse_in_parallel(pieces: &[&[u8]], threads: usize) -> Option<Vec<Arc<Document>>> {
    let failed = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, pieces.len().max(1));
    let work = || {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .with_recursion_limit(RECURSION_LIMIT - DOCUMENT_DEPTH);
        let mut parsed = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(index) else {
                break;
            };
            match parse_document(piece, &options) {
                Some(document) => parsed.push((index, document)),
                None => failed.store(true, Ordering::Relaxed),
            }
        }
        parsed
    };
    let parsed = std::thread::scope(|scope| {
        // This thread works too, beside the others.
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut parsed = vec![Some(work())];
        parsed.extend(handles.into_iter().map(|h| h.join().ok()));
        parsed
    });
    if failed.load(Ordering::Relaxed) {
        return None;
    }
    let mut slots: Vec<Option<Arc<Document>>> = vec![None; pieces.len()];
    for (index, document) in parsed.into_iter().flatten().flatten() {
        if let Some(slot) = slots.get_mut(index) {
            *slot = Some(document);
        }
    }
    slots.into_iter().collect()
}

/// The project fields before the document list, with no documents.
fn parse_head(head: &str) -> Option<Project> {
    let mut text = String::with_capacity(head.len() + TAIL.len() + 16);
    text.push_str(head);
    text.push_str("  documents: [],\n)\n");
    let project: Project = ron::from_str(&text).ok()?;
    // A head that holds documents of its own is not canonical.
    project.documents.is_empty().then_some(project)
}

/// Parses one document piece; `None` when it is not UTF-8 or does not
/// parse.
fn parse_document(piece: &[u8], options: &ron::Options) -> Option<Arc<Document>> {
    let piece = std::str::from_utf8(piece).ok()?;
    // The fast reader takes the canonical subset of RON; whatever it does
    // not take, `ron` reads (or rejects).
    let mut document = match super::fast::document(piece) {
        Some(document) => document,
        None => options.from_str::<Document>(piece).ok()?,
    };
    // Lists grow by doubling while they are read; give back the slack now
    // so that it does not add up over the project.
    document.entities.shrink_to_fit();
    document.claims.shrink_to_fit();
    document.relations.shrink_to_fit();
    document.text.shrink_to_fit();
    Some(document.into())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::super::{LoadError, parse_with_threads, to_ron};
    use super::*;
    use crate::model::Entity;

    #[test]
    fn cuts_a_canonical_file_into_documents() {
        let project = crate::sample::large_project(3, 300);
        let text = to_ron(&project);
        let pieces = cut(&text).expect("canonical layout");
        assert_eq!(pieces.documents.len(), 3);
        for piece in &pieces.documents {
            assert!(piece.starts_with("    (\n") && piece.ends_with("\n    )"));
        }
        assert_eq!(parse_canonical(&text, 2), ron::from_str(&text).ok());
    }

    #[test]
    fn an_empty_document_list_is_canonical() {
        let project = Project::new("empty");
        let text = to_ron(&project);
        assert_eq!(cut(&text).map(|p| p.documents.len()), Some(0));
        assert_eq!(parse_canonical(&text, 4), ron::from_str(&text).ok());
    }

    #[test]
    fn other_layouts_are_not_cut() {
        let project = crate::sample::large_project(2, 200);
        let text = to_ron(&project);
        // Windows line ends, a missing header, a field after the documents.
        assert!(cut(&text.replace('\n', "\r\n")).is_none());
        assert!(cut(text.split_once('\n').map_or("", |(_, rest)| rest)).is_none());
        let extra = text.replace("  ],\n)\n", "  ],\n  extra: 1,\n)\n");
        assert!(cut(&extra).is_none());
        // A piece that does not parse on its own: the whole parse decides.
        let broken = text.replacen("      status: New,", "      status: New,,", 1);
        assert!(cut(&broken).is_some());
        assert_eq!(parse_canonical(&broken, 2), None);
    }

    /// Both ways of parsing, compared: `(plain, cut on 1 thread, on 3)`.
    fn both(text: &str) -> [Result<Project, LoadError>; 3] {
        let path = Path::new("p.gloss.ron");
        [0, 1, 3].map(|threads| parse_with_threads(path, text.as_bytes(), threads))
    }

    fn assert_same(text: &str) {
        let [plain, one, three] = both(text);
        let show = |r: &Result<Project, LoadError>| match r {
            Ok(p) => format!("{p:?}"),
            Err(e) => e.lines().join("\n"),
        };
        assert_eq!(show(&plain), show(&one));
        assert_eq!(show(&plain), show(&three));
    }

    #[test]
    fn a_hand_edited_file_loads_through_the_plain_parse() {
        let project = crate::sample::large_project(3, 300);
        let text = to_ron(&project);
        // A document's opening parenthesis moved onto the line before, a
        // comment between documents, and a tab indent: none of it canonical.
        let edited = text
            .replacen("  documents: [\n    (\n", "  documents: [ (\n", 1)
            .replacen("    ),\n    (\n", "    ),\n    // checked\n\t(\n", 1);
        assert!(cut(&edited).is_none());
        let loaded = parse_with_threads(Path::new("p.ron"), edited.as_bytes(), 2);
        let reference = parse_with_threads(Path::new("p.ron"), text.as_bytes(), 0);
        assert_eq!(loaded.ok(), reference.ok());
        assert_same(&edited);
    }

    #[test]
    fn syntax_errors_keep_their_place_in_the_whole_file() {
        let project = crate::sample::large_project(4, 300);
        let text = to_ron(&project);
        let line = text
            .lines()
            .position(|l| l == "      id: \"doc-00002\",")
            .expect("third document")
            + 1;
        let broken = text.replacen("      id: \"doc-00002\",", "      id: \"doc-00002\",,", 1);
        let [plain, one, three] = both(&broken);
        for result in [&plain, &one, &three] {
            match result {
                Err(LoadError::Syntax { line: at, .. }) => assert_eq!(*at, line),
                other => panic!("expected a syntax error, got {other:?}"),
            }
        }
        assert_same(&broken);
        // A validation problem in a later document is located the same way.
        let wrong = text.replacen("text: \"Gener", "text: \"gener", 3);
        assert_same(&wrong);
        assert!(matches!(both(&wrong)[2], Err(LoadError::Invalid { .. })));
    }

    #[test]
    fn nesting_limits_match_the_whole_file() {
        let project = crate::sample::large_project(2, 200);
        let text = to_ron(&project);
        let mut outcomes = Vec::new();
        for depth in 2..=140 {
            let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let deep = text.replacen(
                "      status: New,\n",
                &format!("      status: New,\n      unknown: {nested},\n"),
                1,
            );
            let [plain, one, _] = both(&deep);
            assert_eq!(plain.is_ok(), one.is_ok(), "nesting {depth}");
            outcomes.push(plain.is_ok());
        }
        // The range straddles the limit.
        assert!(outcomes.contains(&true) && outcomes.contains(&false));
    }

    #[test]
    fn load_gives_back_the_text_and_still_reports_like_the_plain_parse() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.gloss.ron");
        // More than one batch of text, so that a failure comes after part of
        // the text was given back and the file must be read again.
        let project = crate::sample::large_project(40, 3000);
        let text = to_ron(&project);
        let plain = |text: &str| parse_with_threads(&path, text.as_bytes(), 0);
        for case in [
            text.clone(),
            // A syntax error in the first document, a quote that does not
            // match in the last, a file that is not canonical.
            text.replacen("      status: New,", "      status: New,,", 1),
            text.replace(
                "(id: \"e3\", label: \"DATE\", start: 100, end: 105, text: \"",
                "(id: \"e3\", label: \"DATE\", start: 100, end: 105, text: \"x",
            ),
            text.replacen("    (\n", "    ( \n", 1),
        ] {
            std::fs::write(&path, &case).expect("write");
            let show = |r: Result<Project, LoadError>| match r {
                Ok(p) => format!("{p:?}"),
                Err(e) => e.lines().join("\n"),
            };
            assert_eq!(show(super::super::load(&path)), show(plain(&case)));
        }
        // In batches of about five documents, an error in the first one
        // comes after the text of the others was given back.
        let broken = text.replacen("      status: New,", "      status: New,,", 1);
        assert!(matches!(
            parse_in_batches(broken.into_bytes(), 2, 50_000),
            Owned::Spent
        ));
        match parse_in_batches(text.clone().into_bytes(), 2, 50_000) {
            Owned::Parsed(parsed) => assert_eq!(Some(parsed), ron::from_str(&text).ok()),
            _ => panic!("a canonical file parses in batches"),
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_in_a_document_are_reported_like_the_plain_parse() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.gloss.ron");
        let text = to_ron(&crate::sample::large_project(40, 3000));
        // A stray byte in the text of the first document (parsed last, after
        // the text of the others was given back) and of the last one.
        for nth in [1, 40] {
            let at = text
                .match_indices("      text: \"")
                .nth(nth - 1)
                .map(|(at, _)| at + 20)
                .expect("document text");
            let mut bytes = text.clone().into_bytes();
            bytes.insert(at, 0xff);
            assert!(cut_bytes(&bytes).is_some());
            std::fs::write(&path, &bytes).expect("write");
            let loaded = super::super::load(&path).map_err(|e| e.to_string());
            let plain = parse_with_threads(&path, &bytes, 0).map_err(|e| e.to_string());
            assert_eq!(loaded, plain);
            let message = loaded.err().unwrap_or_default();
            assert!(message.contains("not valid UTF-8"), "{message}");
            assert!(matches!(
                parse_in_batches(bytes, 2, 50_000),
                Owned::Spent | Owned::Untouched(_)
            ));
        }
    }

    fn arbitrary_text() -> impl Strategy<Value = String> {
        // Text that looks like the layout the cut looks for, and quotes.
        let pieces = prop::sample::select(vec![
            "\n",
            "    (\n",
            "\n    ),\n",
            "  documents: [\n",
            "  ],\n)\n",
            "\"",
            "\\",
            "r#\"",
            "/*",
            "//",
            "😀",
            "دمشق",
            "word ",
            "(",
            ")",
            ",",
        ]);
        prop::collection::vec(pieces, 0..24).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the strings hold, the cut parse of a file Gloss wrote
        /// gives exactly the plain parse.
        #[test]
        fn cut_parse_equals_plain_parse(
            docs in prop::collection::vec((arbitrary_text(), arbitrary_text(), arbitrary_text()), 0..6),
            name in arbitrary_text(),
            threads in 1usize..4,
        ) {
            let mut project = Project::new(name);
            for (n, (title, text, note)) in docs.into_iter().enumerate() {
                let text = format!("Kim {text}");
                let mut doc = crate::model::Document::new(format!("d{n}"), title, text);
                let mut entity = Entity::new("e1", "PER", 0, 3, "Kim");
                entity.note = Some(note.into());
                doc.entities.push(entity);
                project.documents.push(doc.into());
            }
            let text = to_ron(&project);
            prop_assert!(cut(&text).is_some());
            let path = Path::new("p.ron");
            let plain = parse_with_threads(path, text.as_bytes(), 0);
            let split = parse_with_threads(path, text.as_bytes(), threads);
            prop_assert!(plain.is_ok());
            prop_assert_eq!(plain.ok(), split.ok());
            // And straight from the split: the same project, documents and all.
            let direct = parse_canonical(&text, threads);
            prop_assert_eq!(direct.map(|p| p.documents), Some(ron::from_str::<Project>(&text).map(|p| p.documents).unwrap_or_default()));
        }
    }
}
