//! Gloss: annotate entities and claims in news articles.
//!
//! The library is the UI-free core that the `gloss` binary, the GUI and the
//! tests all drive:
//! - [`model`]: projects, documents, spans (code-point offsets), validation;
//! - [`edit`]: the one edit layer: edits that return their inverse, undo/redo
//!   history, the dirty flag (pure: no files);
//! - [`store`]: RON project files (versioned, validated, atomic), locks,
//!   recovery journals;
//! - [`workspace`]: an open project's session: the project, its history, its
//!   file, lock and version on disk;
//! - [`ingest`]: article import (txt, md, html, json/jsonl, any encoding);
//! - [`formats`]: dataset import and export;
//! - [`review`]: statistics, agreement, merging and adjudication;
//! - [`suggest`]: suggestions learned from the project's own annotations;
//! - [`git_setup`]: the git merge driver's set-up in a repository;
//! - `ui`: the eframe app (cargo feature `gui`, on by default).

// No panics on user data: library code returns errors (tests may unwrap).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod cli;
pub mod diagnostics;
pub mod edit;
pub mod formats;
pub mod git_setup;
pub mod ingest;
pub mod model;
pub mod review;
pub mod sample;
pub mod store;
pub mod suggest;
#[cfg(feature = "gui")]
pub mod ui;
pub mod workspace;
