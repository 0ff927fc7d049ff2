//! Allow files (`hyperabi diff --allow FILE`): changes a project has accepted, each with its
//! reason, so that a known, intended change does not fail the diff again.
//!
//! ```json
//! {
//!   "format_version": 1,
//!   "allow": [
//!     {"rule": "call_number_changed", "abi": "xen-arm64", "call": "console_io",
//!      "reason": "renumbered upstream in 4.20; guests rebuilt"}
//!   ]
//! }
//! ```
//!
//! `rule` is a rule id of [`super::rules::RULES`]; `abi` and `call` narrow the entry (absent or
//! `*`: any). An entry that matches nothing is reported, so that stale entries get dropped.

use std::path::Path;

use serde::Deserialize;

use super::{rules, Change};
use crate::files::{Kind, ReadError};

/// The allow file `format_version` this hyperabi reads.
pub const FORMAT_VERSION: u32 = 1;

/// An allow file.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowFile {
    /// Always [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The accepted changes.
    pub allow: Vec<Allow>,
}

/// One accepted change.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// A rule id.
    pub rule: String,
    /// Only on this ABI (`*` or absent: any).
    #[serde(default)]
    pub abi: Option<String>,
    /// Only on this call (`*` or absent: any, including findings on no call).
    #[serde(default)]
    pub call: Option<String>,
    /// Why the change is accepted; shown beside it.
    pub reason: String,
}

impl Allow {
    fn matches(&self, c: &Change) -> bool {
        let any = |f: &Option<String>| f.as_deref().is_none_or(|v| v == "*");
        self.rule == c.kind
            && (any(&self.abi) || self.abi.as_deref() == Some(c.abi.as_str()))
            && (any(&self.call) || self.call.as_deref() == c.call.as_deref())
    }

    /// `call_number_changed on xen-arm64::console_io`.
    pub fn describe(&self) -> String {
        let mut s = self.rule.clone();
        match (self.abi.as_deref(), self.call.as_deref()) {
            (Some(a), Some(c)) => s += &format!(" on {a}::{c}"),
            (Some(a), None) => s += &format!(" on {a}"),
            (None, Some(c)) => s += &format!(" on any ABI's {c}"),
            (None, None) => {}
        }
        s
    }
}

/// Reads an allow file; errors name the file, the place and the problem (bad input: exit 2).
pub fn load(path: &Path) -> Result<AllowFile, ReadError> {
    let text = crate::files::read_text(path, &Kind::ALLOW)?;
    parse(path, &text)
}

/// Parses the text of an allow file (`path` names it in errors).
pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<AllowFile, ReadError> {
    let path = path.as_ref();
    let a: AllowFile = crate::files::parse_json(path, text, &Kind::ALLOW)?;
    for (i, entry) in a.allow.iter().enumerate() {
        if rules::find(&entry.rule).is_none() {
            let ids: Vec<&str> = rules::RULES.iter().map(|r| r.id).collect();
            return Err(ReadError::in_field(
                path,
                format!("allow[{i}].rule"),
                format!(
                    "`{}` is not a rule of hyperabi diff; rules: {}",
                    entry.rule,
                    ids.join(", ")
                ),
            ));
        }
        if entry.reason.trim().is_empty() {
            return Err(ReadError::in_field(
                path,
                format!("allow[{i}].reason"),
                "say why the change is accepted",
            ));
        }
    }
    Ok(a)
}

/// Marks the changes `allow` accepts; returns the entries that matched nothing.
pub fn apply<'a>(allow: &'a AllowFile, changes: &mut [Change]) -> Vec<&'a Allow> {
    let mut used = vec![false; allow.allow.len()];
    for c in changes.iter_mut() {
        if let Some(i) = allow.allow.iter().position(|a| a.matches(c)) {
            used[i] = true;
            c.allowed = Some(allow.allow[i].reason.clone());
        }
    }
    allow
        .allow
        .iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|(a, _)| a)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Class;

    fn change(kind: &'static str, abi: &str, call: Option<&str>) -> Change {
        Change {
            abi: abi.into(),
            call: call.map(Into::into),
            kind,
            class: rules::find(kind).unwrap().level,
            message: String::new(),
            spec: String::new(),
            allowed: None,
        }
    }

    #[test]
    fn allowed_changes_leave_the_exit_status() {
        let allow = parse(
            "a.json",
            r#"{"format_version": 1, "allow": [
                {"rule": "call_number_changed", "abi": "xen-arm64", "call": "console_io", "reason": "renumbered"},
                {"rule": "call_removed", "reason": "nobody calls it"},
                {"rule": "trap_changed", "abi": "*", "reason": "stale"}
            ]}"#,
        )
        .unwrap();
        let mut cs = vec![
            change("call_number_changed", "xen-arm64", Some("console_io")),
            change("call_number_changed", "xen-arm64", Some("memory_op")),
            change("call_removed", "psci-arm64", Some("cpu_freeze")),
        ];
        assert_eq!(crate::diff::exit_code(&cs), 1);
        let unused = apply(&allow, &mut cs);
        assert_eq!(cs[0].allowed.as_deref(), Some("renumbered"));
        assert_eq!(cs[1].allowed, None, "another call");
        assert_eq!(cs[2].allowed.as_deref(), Some("nobody calls it"));
        assert_eq!(crate::diff::exit_code(&cs), 1);
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].describe(), "trap_changed on *");
        cs.remove(1);
        assert_eq!(crate::diff::exit_code(&cs), 0);
        cs.push(change("call_added", "psci-arm64", Some("x")));
        assert_eq!(crate::diff::exit_code(&cs), 4);
        cs.push(change("call_doc_changed", "psci-arm64", Some("x")));
        assert_eq!(cs[3].class, Class::NeedsReview);
        assert_eq!(crate::diff::exit_code(&cs), 5);
    }

    #[test]
    fn bad_allow_files_name_the_place() {
        let e = parse(
            "a.json",
            r#"{"format_version": 1, "allow": [{"rule": "no_such", "reason": "x"}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("a.json: at allow[0].rule: `no_such` is not a rule"),
            "{e}"
        );
        let e = parse(
            "a.json",
            "{\"format_version\": 1,\n \"allow\": [{\"rule\": 1}]}",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("a.json:2:"), "{e}");
        let e = parse("a.json", r#"{"format_version": 2, "allow": []}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "a.json: allow file format_version 2 is not supported (this hyperabi reads \
             format_version 1)"
        );
        let e = parse(
            "a.json",
            r#"{"format_version": 1, "allow": [{"rule": "call_added", "reason": " "}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("allow[0].reason"), "{e}");
    }
}
