//! The UI-free core's tests in one binary (one link instead of thirteen):
//! agreement against independent figures, the architecture's seams, edit
//! properties, the documented format, every dataset format, fuzz
//! regressions, web-page extraction and merging.

#[path = "../common/mod.rs"]
mod common;

mod agree;
mod architecture;
mod edit_props;
mod format_doc;
mod formats_brat;
mod formats_claims;
mod formats_conll;
mod formats_doccano;
mod formats_offsets;
mod formats_proptest;
mod fuzz_regressions;
mod ingest_html;
mod merge;
mod suggest_curve;
