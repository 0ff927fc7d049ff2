//! The hyperabi conformance engine: plans, checks, reports and baselines. The `hyperabi` binary is
//! a thin CLI over this library.

pub mod report;
