//! The hyperabi conformance engine: plans, checks, reports and baselines. The `hyperabi` binary is
//! a thin CLI over this library.

pub mod baseline;
pub mod dump;
pub mod engine;
pub mod files;
pub mod plan;
pub mod report;
pub mod run;
pub mod targets;
