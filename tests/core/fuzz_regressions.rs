//! Replays the fuzzer's findings (`tests/fuzz/regressions/TARGET/`) and the
//! hand-written seeds (`tests/fuzz/corpus/TARGET/`) through their readers:
//! none may panic, each must be accepted as a valid project or refused with
//! one short line that names the file, and none may take long.
//!
//! New findings come from `cargo run --release --no-default-features
//! --example fuzz`, which saves them here.

// The fuzzer uses the rest of the module (names, extensions, brat files).
#[allow(dead_code)]
#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use targets::Target;

/// Generous for a debug build on a busy machine; the fuzzer's bound is 1 s
/// in release.
const SLOW: Duration = Duration::from_secs(10);

fn inputs(folder: &str, target: Target) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(folder)
        .join(target.name());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        // brat inputs are folders; every other input is a file.
        .filter(|p| p.is_dir() == (target == Target::Brat))
        .collect();
    paths.sort();
    paths
}

fn replay(folder: &str) -> usize {
    let mut failures = Vec::new();
    let mut count = 0;
    for target in Target::ALL {
        for path in inputs(folder, target) {
            count += 1;
            let start = Instant::now();
            let result = std::panic::catch_unwind(|| targets::run(target, &path));
            let elapsed = start.elapsed();
            match result {
                Ok(Ok(_)) if elapsed <= SLOW => {}
                Ok(Ok(_)) => failures.push(format!(
                    "{}: took {:.1} s",
                    path.display(),
                    elapsed.as_secs_f64()
                )),
                Ok(Err(wrong)) => failures.push(format!("{}: {wrong}", path.display())),
                Err(_) => failures.push(format!("{}: panicked", path.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    count
}

#[test]
fn fuzz_findings_stay_fixed() {
    let count = replay("regressions");
    println!("replayed {count} fuzz regression inputs");
}

#[test]
fn seed_corpus_reads_cleanly() {
    let count = replay("corpus");
    assert!(count > 0, "tests/fuzz/corpus has seed inputs");
}
