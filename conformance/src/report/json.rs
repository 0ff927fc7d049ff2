//! The canonical report file: pretty JSON, deterministic (fields in declaration order, maps
//! sorted, register values as hex strings), versioned by `format_version`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Report, WriteError};

/// The report `format_version` this hyperabi writes. Version 2 added summarised passes
/// (`passed`), version 3 summarised known failures (`known_failures`); version 1 and 2 reports
/// are still read.
pub const FORMAT_VERSION: u32 = 3;

/// The oldest report `format_version` this hyperabi reads.
pub const OLDEST_VERSION: u32 = 1;

/// The report as pretty JSON with a trailing newline.
pub fn to_string(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serialises");
    s.push('\n');
    s
}

/// Writes the report to `path`.
pub fn write(report: &Report, path: &Path) -> Result<(), WriteError> {
    std::fs::write(path, to_string(report)).map_err(|source| WriteError {
        path: path.to_path_buf(),
        source,
    })
}

/// A report file that could not be read. Every variant is bad input (exit code 2).
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not JSON, or not a report: the place (1-based line and column) and the problem.
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The problem.
        message: String,
    },
    /// A report of a format this hyperabi does not read.
    Version {
        /// The file.
        path: PathBuf,
        /// Its `format_version`.
        found: u32,
    },
    /// Not a report hyperabi can read, for a reason the message (file and place included) gives:
    /// too large, a byte-order mark, invalid UTF-8, a version that is not a `u32`, no targets.
    Bad(crate::files::BadInput),
}

impl ReadError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Io { path, .. }
            | ReadError::Parse { path, .. }
            | ReadError::Version { path, .. } => path,
            // The message starts with the path; the error no longer carries it apart.
            ReadError::Bad(_) => Path::new(""),
        }
    }

    /// The `hyperabi` exit code for this error: always 2, bad input file.
    pub fn exit_code(&self) -> u8 {
        2
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ReadError::Parse {
                path,
                line,
                column,
                message,
            } => write!(f, "{}:{line}:{column}: {message}", path.display()),
            ReadError::Version { path, found } => write!(
                f,
                "{}: report format_version {found} is not supported (this hyperabi reads \
                 format_version {OLDEST_VERSION} to {FORMAT_VERSION}); re-render it with the \
                 hyperabi that wrote it",
                path.display()
            ),
            ReadError::Bad(b) => f.write_str(&b.0),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads a report file.
pub fn read(path: &Path) -> Result<Report, ReadError> {
    let text = crate::files::read_text(path, "report").map_err(ReadError::Bad)?;
    from_str(&text, path)
}

/// Parses a report; `path` names it in errors.
pub fn from_str(text: &str, path: &Path) -> Result<Report, ReadError> {
    // The version first, so that a newer file is refused for its version rather than for
    // whatever field it added.
    #[derive(Deserialize)]
    #[serde(rename = "Report")]
    struct Probe {
        format_version: serde_json::Value,
    }
    let parse_error = |e: serde_json::Error| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        ReadError::Parse {
            path: path.to_path_buf(),
            line: e.line(),
            // serde_json reports the column of the last character read, 0 before the first.
            column: e.column().max(1),
            message: full.strip_suffix(&suffix).unwrap_or(&full).to_string(),
        }
    };
    // A struct also deserialises from a JSON array: refuse anything but an object up front.
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !c.is_whitespace()) {
        if c != '{' {
            let before = &text[..at];
            return Err(ReadError::Parse {
                path: path.to_path_buf(),
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
                message: format!("expected a report (a JSON object), found `{c}`"),
            });
        }
    }
    let probe: Probe = serde_json::from_str(text).map_err(parse_error)?;
    match probe.format_version.as_u64().map(u32::try_from) {
        Some(Ok(v)) if (OLDEST_VERSION..=FORMAT_VERSION).contains(&v) => {}
        Some(Ok(found)) => {
            return Err(ReadError::Version {
                path: path.to_path_buf(),
                found,
            })
        }
        _ => {
            return Err(ReadError::Bad(crate::files::BadInput(format!(
                "{}: format_version {} is not a supported version (this build reads \
                 {OLDEST_VERSION} to {FORMAT_VERSION})",
                path.display(),
                probe.format_version
            ))))
        }
    }
    let report: Report = serde_json::from_str(text).map_err(parse_error)?;
    if report.targets.is_empty() {
        // Nothing ran: rendering it would say PASS about nothing.
        return Err(ReadError::Bad(crate::files::BadInput(format!(
            "{}: the report has no targets (nothing was run); refusing to render or merge it",
            path.display()
        ))));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn parse(text: &str) -> Result<Report, String> {
        from_str(text, Path::new("runs/r.json")).map_err(|e| e.to_string())
    }

    #[test]
    fn round_trips_and_is_deterministic() {
        let r = fixture::report();
        let text = to_string(&r);
        assert_eq!(parse(&text).unwrap(), r);
        assert_eq!(to_string(&parse(&text).unwrap()), text);
        assert!(text.contains("\"seed\": \"0x5eed\""), "{text}");
    }

    #[test]
    fn json_snapshot() {
        insta::assert_snapshot!(to_string(&fixture::report()));
    }

    /// `tests/data/report.json` (used by the CLI tests) is the fixture as JSON; set
    /// `HYPERABI_BLESS=1` to rewrite it.
    #[test]
    fn cli_test_data_is_the_fixture() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/report.json");
        let text = to_string(&fixture::report());
        if std::env::var_os("HYPERABI_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "{} is stale: rerun with HYPERABI_BLESS=1",
            path.display()
        );
    }

    #[test]
    fn syntax_error_names_file_line_and_column() {
        let err = parse("{\n  \"format_version\": 1,\n  \"tool\": \"x\",,\n}").unwrap_err();
        assert_eq!(err, "runs/r.json:3:15: key must be a string");
    }

    #[test]
    fn wrong_field_is_placed() {
        let mut text = to_string(&fixture::report());
        text = text.replacen("\"cases_per_call\": 8", "\"cases_per_call\": \"eight\"", 1);
        let err = parse(&text).unwrap_err();
        assert!(err.starts_with("runs/r.json:5:"), "{err}");
        assert!(
            err.contains("invalid type: string \"eight\", expected u32"),
            "{err}"
        );

        let text = to_string(&fixture::report()).replacen("\"0x5eed\"", "\"0xzz\"", 1);
        let err = parse(&text).unwrap_err();
        assert!(err.starts_with("runs/r.json:4:"), "{err}");
        assert!(err.contains("`0xzz` is not a 64-bit value"), "{err}");

        let text = to_string(&fixture::report()).replacen("\"tool\"", "\"tool_name\"", 1);
        let err = parse(&text).unwrap_err();
        assert!(err.contains("unknown field `tool_name`"), "{err}");
    }

    #[test]
    fn unknown_version_is_refused_before_unknown_fields() {
        let err = parse("{\"format_version\": 7, \"something_new\": []}").unwrap_err();
        assert_eq!(
            err,
            "runs/r.json: report format_version 7 is not supported (this hyperabi reads \
             format_version 1 to 3); re-render it with the hyperabi that wrote it"
        );
    }

    #[test]
    fn not_a_report() {
        assert_eq!(
            parse("\n  \"report\"").unwrap_err(),
            "runs/r.json:2:3: expected a report (a JSON object), found `\"`"
        );
        assert_eq!(
            parse("[1, 2]").unwrap_err(),
            "runs/r.json:1:1: expected a report (a JSON object), found `[`"
        );
        assert_eq!(
            parse("{\"tool\": \"x\"}").unwrap_err(),
            "runs/r.json:1:13: missing field `format_version`"
        );
        assert_eq!(
            parse("").unwrap_err(),
            "runs/r.json:1:1: EOF while parsing a value"
        );
    }

    #[test]
    fn missing_file_is_named() {
        let err = read(Path::new("/nonexistent/r.json")).unwrap_err();
        assert!(
            err.to_string().starts_with("/nonexistent/r.json: "),
            "{err}"
        );
        assert_eq!(err.exit_code(), 2);
    }
}
