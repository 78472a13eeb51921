//! Reviewing saved projects: statistics and agreement between annotators
//! and adjudication.

pub mod adjudicate;
pub mod agree;
pub mod agree_many;
pub mod assign;
pub mod dashboard;
pub mod find;
pub mod merge;
pub mod mode;
pub mod stats;
pub mod table;
