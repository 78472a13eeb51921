//! The command line's tests: the real `gloss` binary run as a user would,
//! and its safety with files (locks, links, devices, full disks).

#[path = "../common/mod.rs"]
mod common;

mod cli_safety;
mod commands;
