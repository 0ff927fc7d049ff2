//! The canonical report file: pretty JSON, deterministic (fields in declaration order, maps
//! sorted, register values as hex strings), versioned by `format_version`.

use std::path::Path;

use super::{Report, WriteError};
use crate::files::{Kind, ReadError};

/// The report `format_version` this hyperabi writes. Version 2 added summarised passes
/// (`passed`), version 3 summarised known failures (`known_failures`), version 4 spec coverage
/// (`coverage`); version 1 to 3 reports are still read.
pub const FORMAT_VERSION: u32 = 4;

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

/// Reads a report file.
pub fn read(path: &Path) -> Result<Report, ReadError> {
    let text = crate::files::read_text(path, &Kind::REPORT)?;
    from_str(&text, path)
}

/// Parses a report; `path` names it in errors.
pub fn from_str(text: &str, path: &Path) -> Result<Report, ReadError> {
    let report: Report = crate::files::parse_json(path, text, &Kind::REPORT)?;
    if report.targets.is_empty() {
        // Nothing ran: rendering it would say PASS about nothing.
        return Err(ReadError::new(
            path,
            "the report has no targets (nothing was run); refusing to render or merge it",
        ));
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
        assert_eq!(
            err,
            "runs/r.json:3:15: key must be a string (not valid JSON)"
        );
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
             format_version 1 to 4); re-render it with the hyperabi that wrote it"
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
            "runs/r.json: not a hyperabi report: no `format_version` field"
        );
        assert_eq!(
            parse("").unwrap_err(),
            "runs/r.json:1:1: EOF while parsing a value (not valid JSON)"
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
