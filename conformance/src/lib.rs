//! The hyperabi conformance engine as a library: what the `hyperabi` CLI runs, and what `cargo
//! xtask` calls to generate the checked-in reference pages.

pub mod list;
pub mod spec_md;
