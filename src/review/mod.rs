//! Reviewing saved projects: statistics (agreement and adjudication come later).

pub mod stats;
