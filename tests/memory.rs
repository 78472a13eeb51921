//! What a loaded project costs in heap, counted by this test binary's own
//! global allocator: bytes and blocks, not time, so the numbers are the
//! same on every run and every machine. One test only (running each
//! check in turn), so that no other test's allocations are counted with
//! the one being measured.
//!
//! Each block is counted as glibc's malloc holds it (the request plus an
//! 8-byte header, rounded up to 16, at least 32 bytes), since that is what
//! a small string really costs: a 3-byte id in its own block is 32 bytes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static BYTES: AtomicUsize = AtomicUsize::new(0);
static BLOCKS: AtomicUsize = AtomicUsize::new(0);
/// The most `BYTES` has been since the last [`reset_peak`].
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn reset_peak() -> usize {
    let now = BYTES.load(Ordering::SeqCst);
    PEAK.store(now, Ordering::SeqCst);
    now
}

fn held(size: usize) -> usize {
    ((size + 8 + 15) & !15).max(32)
}

// SAFETY: every call is passed to `System` unchanged; only counted here.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let size = held(layout.size());
            let bytes = BYTES.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(bytes, Ordering::Relaxed);
            BLOCKS.fetch_add(1, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) };
        BYTES.fetch_sub(held(layout.size()), Ordering::Relaxed);
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            BYTES.fetch_sub(held(layout.size()), Ordering::Relaxed);
            let size = held(new_size);
            let bytes = BYTES.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(bytes, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap bytes and blocks held by what `load` returns, and the file's size.
fn loaded(dir: &std::path::Path, name: &str, project: gloss::model::Project) -> (f64, usize, f64) {
    let path = dir.join(format!("{name}.gloss.ron"));
    gloss::store::save(&project, &path).unwrap();
    drop(project);
    let file = std::fs::metadata(&path).unwrap().len() as f64;
    let (bytes, blocks) = (BYTES.load(Ordering::SeqCst), BLOCKS.load(Ordering::SeqCst));
    let project = gloss::store::load(&path).unwrap();
    let held = BYTES.load(Ordering::SeqCst) as f64 - bytes as f64;
    let new_blocks = BLOCKS.load(Ordering::SeqCst).saturating_sub(blocks);
    assert_eq!(project.documents.len(), 200);
    (held / file, new_blocks, project.annotation_count() as f64)
}

#[test]
fn memory_stays_within_its_budgets() {
    a_loaded_project_holds_no_heap_block_per_short_string_and_under_2_4_times_its_file();
    a_batch_of_tiny_articles_is_added_in_under_five_times_its_file();
}

fn a_loaded_project_holds_no_heap_block_per_short_string_and_under_2_4_times_its_file() {
    let dir = tempfile::tempdir().unwrap();
    // The dense synthetic project (a 5-character entity every 40
    // characters) and real news text with canonical links and claims.
    let cases = [
        ("synthetic", gloss::sample::large_project(200, 3000)),
        ("news", gloss::sample::news_project(200, 3000)),
    ];
    for (name, project) in cases {
        let (ratio, blocks, annotations) = loaded(dir.path(), name, project);
        // Ids, type keys, short quotes and canonical ids are held inline
        // in the annotation: blocks are per document (its strings and
        // lists) and per long quote: 2,227 blocks for 16,983 annotations
        // (synthetic), 3,965 for 18,328 (news).
        assert!(
            (blocks as f64) < annotations / 4.0,
            "{name}: {blocks} heap blocks for {annotations} annotations"
        );
        // 2.17× (synthetic) and 1.87× (news) when written; 2.93× and
        // 52,776 blocks (synthetic) with a heap `String` per id, type and
        // quote.
        assert!(
            ratio < 2.4,
            "{name}: the loaded project holds {ratio:.2}× its file"
        );
    }
}

/// Issue 19, finding 11: `gloss new` of a million tiny JSONL articles
/// (17 MB) peaked at 1.44 GB, every article being an `Article`, a
/// `ReadArticle` with its path, a labelled candidate, an edit and a
/// document, then the whole file one string. Now each article is written
/// into the file as it is read; what stays is the batch's text and a few
/// dozen bytes per article (its id and its text's hash, to skip repeats).
fn a_batch_of_tiny_articles_is_added_in_under_five_times_its_file() {
    use clap::Parser;
    use std::io::Write;
    const ARTICLES: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("tiny.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&batch).unwrap());
    for n in 0..ARTICLES {
        writeln!(file, "{{\"text\":\"N{n}.\"}}").unwrap();
    }
    // One repeat, which is skipped and named.
    writeln!(file, "{{\"text\":\"N7.\"}}").unwrap();
    drop(file);
    let size = std::fs::metadata(&batch).unwrap().len() as f64;
    let project = dir.path().join("p.gloss.ron");

    let before = reset_peak();
    let cli = gloss::cli::Cli::parse_from([
        "gloss",
        "new",
        project.to_str().unwrap(),
        batch.to_str().unwrap(),
    ]);
    let code = gloss::cli::run(cli.command.unwrap(), 5.0);
    let peak = (PEAK.load(Ordering::SeqCst) - before) as f64;
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    eprintln!(
        "{ARTICLES} tiny articles: heap peak {:.1} MB, {:.2}× the {:.1} MB batch",
        peak / 1e6,
        peak / size,
        size / 1e6
    );

    let loaded = gloss::store::load(&project).unwrap();
    assert_eq!(loaded.documents.len(), ARTICLES);
    assert_eq!(loaded.documents[0].id, "tiny");
    assert_eq!(
        loaded.documents[ARTICLES - 1].id,
        format!("tiny-{ARTICLES}")
    );
    assert_eq!(
        loaded.documents[ARTICLES - 1].text,
        format!("N{}.", ARTICLES - 1)
    );
    // 3.7× here (the batch's own text is 1×); 81× before.
    assert!(
        peak < 5.0 * size,
        "adding {ARTICLES} tiny articles took {:.1} MB of heap at its peak, {:.1}× the {:.1} MB batch",
        peak / 1e6,
        peak / size,
        size / 1e6
    );
}
