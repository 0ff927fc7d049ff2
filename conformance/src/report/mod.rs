//! Reports: the canonical JSON model and the formats derived from it.

pub mod model;

pub use model::*;
