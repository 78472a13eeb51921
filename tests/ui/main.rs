//! The app's tests in one binary: each drives the real app through
//! egui_kittest as a user would and checks the project model afterwards.
//! Snapshots live in `tests/snapshots/`; update them with
//! `UPDATE_SNAPSHOTS=1 cargo test --test ui`.

#[path = "../common/mod.rs"]
mod common;

mod main_window;
mod recovery;
mod ui_adjudicate;
mod ui_annotate_all;
mod ui_long_lines;
mod ui_review_panes;
mod ui_rtl;
mod ui_safety;
mod ui_suggestions;
mod ui_workspace;
