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
use std::sync::atomic::{AtomicBool, Ordering};

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
    let first_line_end = text.find('\n')?;
    let first_line = text.get(..first_line_end)?;
    if !first_line.starts_with("//") || !text.get(first_line_end..)?.starts_with(HEADER) {
        return None;
    }
    let open = text.find(DOCUMENTS_OPEN)?;
    let head = text.get(..open + 1)?;
    let body_start = open + DOCUMENTS_OPEN.len();
    let body_end = text.len().checked_sub(TAIL.len())?;
    if !text.ends_with(TAIL) || body_end < body_start {
        return None;
    }
    let body = text.get(body_start..body_end)?;
    let mut documents = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        if !rest.starts_with(DOCUMENT_OPEN) {
            return None;
        }
        let close = rest.find(DOCUMENT_CLOSE)?;
        // The piece ends with the `)`; the `,` and line break are the list's.
        let end = close + DOCUMENT_CLOSE.len() - 2;
        documents.push(rest.get(..end)?);
        rest = rest.get(close + DOCUMENT_CLOSE.len()..)?;
    }
    Some(Pieces { head, documents })
}

/// Parses a file in the canonical layout on up to `threads` threads; `None`
/// when the file is not in that layout or any piece does not parse, in
/// which case the caller must parse the whole file itself. When it returns
/// a project, that project is exactly what parsing the whole file gives.
pub(super) fn parse_canonical(text: &str, threads: usize) -> Option<Project> {
    let pieces = cut(text)?;
    let mut project = parse_head(pieces.head)?;
    project.documents = parse_in_parallel(&pieces.documents, threads)?;
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
const BATCH_BYTES_PER_THREAD: usize = 1 << 20;

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
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Owned::Untouched(bytes);
    };
    let Some(pieces) = cut(text) else {
        return Owned::Untouched(bytes);
    };
    let Some(mut project) = parse_head(pieces.head) else {
        return Owned::Untouched(bytes);
    };
    // Byte ranges of the pieces, so that the text can shrink under them.
    let base = text.as_ptr() as usize;
    let ranges: Vec<(usize, usize)> = pieces
        .documents
        .iter()
        .map(|piece| {
            let start = piece.as_ptr() as usize - base;
            (start, start + piece.len())
        })
        .collect();
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
        let batch: Option<Vec<&str>> = ranges
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|&(from, to)| std::str::from_utf8(bytes.get(from..to)?).ok())
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

/// Parses document pieces on up to `threads` threads, each taking a
/// contiguous run, and returns the documents in order; `None` when any
/// piece does not parse.
fn parse_in_parallel(pieces: &[&str], threads: usize) -> Option<Vec<Arc<Document>>> {
    let failed = AtomicBool::new(false);
    let threads = threads.clamp(1, pieces.len().max(1));
    let per_thread = pieces.len().div_ceil(threads).max(1);
    let mut groups = pieces.chunks(per_thread);
    let parsed = std::thread::scope(|scope| {
        // The first group is parsed here, the others on their own threads.
        let first = groups.next();
        let handles: Vec<_> = groups
            .map(|group| scope.spawn(|| parse_documents(group, &failed)))
            .collect();
        let mut parsed = vec![first.map_or(Some(Vec::new()), |g| parse_documents(g, &failed))];
        parsed.extend(handles.into_iter().map(|h| h.join().ok().flatten()));
        parsed
    });
    let mut documents = Vec::with_capacity(pieces.len());
    for group in parsed {
        documents.extend(group?);
    }
    Some(documents)
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

/// Parses one group of document pieces, in order; stops early (with `None`)
/// once any piece anywhere has failed.
fn parse_documents(pieces: &[&str], failed: &AtomicBool) -> Option<Vec<Arc<Document>>> {
    let options = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(RECURSION_LIMIT - DOCUMENT_DEPTH);
    let mut documents = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if failed.load(Ordering::Relaxed) {
            return None;
        }
        // The fast reader takes the canonical subset of RON; whatever it
        // does not take, `ron` reads (or rejects).
        let parsed = match super::fast::document(piece) {
            Some(document) => Ok(document),
            None => options.from_str::<Document>(piece),
        };
        match parsed {
            Ok(mut document) => {
                // Lists grow by doubling while they are read; give back the
                // slack now so that it does not add up over the project.
                document.entities.shrink_to_fit();
                document.claims.shrink_to_fit();
                document.relations.shrink_to_fit();
                document.text.shrink_to_fit();
                documents.push(document.into());
            }
            Err(_) => {
                failed.store(true, Ordering::Relaxed);
                return None;
            }
        }
    }
    Some(documents)
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
                entity.note = Some(note);
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
