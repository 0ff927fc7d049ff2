//! The hyperabi conformance engine: plans, checks, reports and baselines. The `hyperabi` binary is
//! a thin CLI over this library.

pub mod engine;
pub mod plan;
pub mod report;
