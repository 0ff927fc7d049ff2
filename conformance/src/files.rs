//! Reading the files users hand us (baselines, dumps, reports, spec exports): every problem
//! names the file, the place and what is wrong, and maps to exit code 2.

use std::path::Path;

use serde::de::DeserializeOwned;

/// A bad input file: the message is ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a JSON file of kind `what` whose top-level `format_version` must be ours.
pub fn read_versioned<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, BadInput> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| BadInput(format!("{}: cannot read {what}: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        BadInput(format!(
            "{}:{}:{}: not valid JSON ({what}): {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    match value.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(abi_spec::FORMAT_VERSION) => {}
        Some(v) => {
            return Err(BadInput(format!(
                "{}: {what} has format_version {v}; this hyperabi reads version {}",
                path.display(),
                abi_spec::FORMAT_VERSION
            )))
        }
        None => {
            return Err(BadInput(format!(
                "{}: not a hyperabi {what}: no numeric `format_version` field",
                path.display()
            )))
        }
    }
    serde_json::from_str(&text).map_err(|e| {
        BadInput(format!(
            "{}:{}:{}: bad {what}: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}
