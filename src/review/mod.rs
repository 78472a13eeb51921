//! Reviewing saved projects: statistics and agreement between annotators
//! (adjudication comes later).

pub mod agree;
pub mod find;
pub mod merge;
pub mod mode;
pub mod stats;
