//! Reading the files users hand us (baselines, dumps, reports, spec exports, allow files): one
//! reader ([`read_text`], then [`parse_json`]) for every versioned JSON file, with one error
//! ([`ReadError`]) that names the file, the place (line and column, or the field) and the
//! problem, and maps to exit code 2.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// An output path hyperabi cannot use (`--out DIR`, a baseline to bless), found before the
/// run: the message is ready to print (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusableOutput(pub String);

impl std::fmt::Display for UnusableOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnusableOutput {}

/// A file hyperabi could not read, or whose contents it refuses: the file, the place in it and
/// the problem. Always bad input (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file, as named on the command line.
    pub file: PathBuf,
    /// Where in the file, when the problem has a place.
    pub place: Option<Place>,
    /// The problem.
    pub problem: String,
}

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// 1-based line and column of the text (serde_json's, for a problem of syntax or type).
    Text {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A path inside the document (`abis[0] (`xen-arm64`).calls[4].args[1].reg`), for a problem
    /// of its meaning.
    Field(String),
}

impl ReadError {
    /// A problem of the whole file.
    pub fn new(file: &Path, problem: impl Into<String>) -> Self {
        ReadError {
            file: file.to_path_buf(),
            place: None,
            problem: problem.into(),
        }
    }

    /// A problem at 1-based `line` and `column` of the text.
    pub fn at(file: &Path, line: usize, column: usize, problem: impl Into<String>) -> Self {
        ReadError {
            place: Some(Place::Text { line, column }),
            ..ReadError::new(file, problem)
        }
    }

    /// A problem of the meaning of `field` (a path inside the document).
    pub fn in_field(file: &Path, field: impl Into<String>, problem: impl Into<String>) -> Self {
        ReadError {
            place: Some(Place::Field(field.into())),
            ..ReadError::new(file, problem)
        }
    }

    /// serde_json's error, placed at its line and column (without its own " at line L column
    /// C"); a syntax error says so.
    pub fn json(file: &Path, e: &serde_json::Error) -> Self {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let mut problem = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        if e.is_syntax() || e.is_eof() {
            problem.push_str(" (not valid JSON)");
        }
        match e.line() {
            0 => ReadError::new(file, problem),
            // serde_json reports the column of the last character read, 0 before the first.
            line => ReadError::at(file, line, e.column().max(1), problem),
        }
    }

    /// The `hyperabi` exit code for this error: always 2, bad input file.
    pub fn exit_code(&self) -> u8 {
        2
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        match &self.place {
            Some(Place::Text { line, column }) => write!(f, ":{line}:{column}")?,
            Some(Place::Field(field)) => write!(f, ": at {field}")?,
            None => {}
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for ReadError {}

/// A kind of versioned JSON file hyperabi reads: what it is called, and the `format_version`s
/// this build reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    /// What it is, for messages (`baseline`, `report`, `spec export`).
    pub what: &'static str,
    /// The oldest `format_version` read.
    pub oldest: u32,
    /// The newest `format_version` read (the one this build writes).
    pub newest: u32,
    /// What to do with a file of a version this build does not read, appended to the message.
    pub hint: &'static str,
}

impl Kind {
    /// A baseline (`--baseline`).
    pub const BASELINE: Kind = Kind::current("baseline");
    /// A register dump (`check --dump`).
    pub const DUMP: Kind = Kind::current("register dump");
    /// A spec export (`hyperabi spec export --format json`, read by `diff`).
    pub const SPEC_EXPORT: Kind = Kind::current("spec export");
    /// A `diff --allow` file.
    pub const ALLOW: Kind = Kind {
        newest: crate::diff::allow::FORMAT_VERSION,
        oldest: crate::diff::allow::FORMAT_VERSION,
        ..Kind::current("allow file")
    };
    /// A report (`report.json`, read by `report` and `merge`).
    pub const REPORT: Kind = Kind {
        what: "report",
        oldest: crate::report::json::OLDEST_VERSION,
        newest: crate::report::json::FORMAT_VERSION,
        hint: "; re-render it with the hyperabi that wrote it",
    };

    /// A kind of file written at [`abi_spec::FORMAT_VERSION`], the only version read.
    const fn current(what: &'static str) -> Kind {
        Kind {
            what,
            oldest: abi_spec::FORMAT_VERSION,
            newest: abi_spec::FORMAT_VERSION,
            hint: "",
        }
    }
}

/// The largest input file hyperabi reads (baselines, dumps, reports, spec exports): 64 MiB.
/// Parsing holds the whole document in memory several times over, so a bound on the file is
/// the bound on memory; a file this large is a mistake or needs splitting (`check --dump` per
/// recording, `merge` per shard).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Reads `path` (a file of `kind`) as UTF-8 text, refusing files over [`MAX_INPUT_BYTES`],
/// byte-order marks and invalid UTF-8 with their place. [`parse_json`] reads the text.
pub fn read_text(path: &Path, kind: &Kind) -> Result<String, ReadError> {
    let what = kind.what;
    let bad = |m: String| ReadError::new(path, m);
    let file = std::fs::File::open(path).map_err(|e| bad(format!("cannot read {what}: {e}")))?;
    // `take` bounds the read even when the length is unknown up front (a pipe, /dev/zero).
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("cannot read {what}: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(bad(format!(
            "{what} is larger than {} MiB, the most hyperabi reads; split it",
            MAX_INPUT_BYTES >> 20
        )));
    }
    text_of(path, bytes)
}

/// `bytes` (the contents of `path`) as text, or where and why not.
pub fn text_of(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    for (bom, name) in [
        (&[0xef, 0xbb, 0xbf][..], "a UTF-8 byte-order mark"),
        (&[0xfe, 0xff][..], "a UTF-16 (big-endian) byte-order mark"),
        (
            &[0xff, 0xfe][..],
            "a UTF-16 (little-endian) byte-order mark",
        ),
    ] {
        if bytes.starts_with(bom) {
            return Err(ReadError::new(
                path,
                format!(
                    "byte 0: the file starts with {name}; JSON files are UTF-8 without one \
                     (RFC 8259 section 8.1): save it without the mark"
                ),
            ));
        }
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = std::str::from_utf8(
            &before[before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)..],
        )
        .map_or(0, |s| s.chars().count())
            + 1;
        ReadError::at(
            path,
            line,
            column,
            format!("invalid UTF-8 at byte {at} (0x{:02x})", bytes[at]),
        )
    })
}

/// Parses the text of the versioned JSON file `path` of `kind` ([`read_text`]) into `T`: the one
/// reader of every file hyperabi is handed. In order: a JSON object, a `format_version` this
/// build reads (before anything else, so that a newer file is refused for its version rather
/// than for whatever field it added), then `T`; each problem placed.
pub fn parse_json<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    kind: &Kind,
) -> Result<T, ReadError> {
    expect_object(path, text, kind)?;
    check_version(path, text, kind)?;
    serde_json::from_str(text).map_err(|e| ReadError::json(path, &e))
}

/// Refuses a document that is not a JSON object up front, placed at its first character (a
/// struct also deserialises from a JSON array, and a parser's own complaint says less).
fn expect_object(path: &Path, text: &str, kind: &Kind) -> Result<(), ReadError> {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !c.is_whitespace()) {
        if c != '{' {
            let before = &text[..at];
            return Err(ReadError::at(
                path,
                before.matches('\n').count() + 1,
                before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
                format!("expected a {} (a JSON object), found `{c}`", kind.what),
            ));
        }
    }
    Ok(())
}

/// Checks the top-level `format_version` of a document of `kind`.
fn check_version(path: &Path, text: &str, kind: &Kind) -> Result<(), ReadError> {
    // Only the version is read here (the rest is skipped without being kept).
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        format_version: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| ReadError::json(path, &e))?;
    let Kind {
        what,
        oldest,
        newest,
        hint,
    } = *kind;
    let reads = if oldest == newest {
        format!("format_version {newest}")
    } else {
        format!("format_version {oldest} to {newest}")
    };
    let bad = |m: String| Err(ReadError::new(path, m));
    match probe.format_version {
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(v) if (u64::from(oldest)..=u64::from(newest)).contains(&v) => Ok(()),
            // Another hyperabi's version: what to do about it. Not a version at all: no hint.
            v => bad(format!(
                "{what} format_version {n} is not supported (this hyperabi reads {reads}){}",
                if v.is_some() { hint } else { "" }
            )),
        },
        Some(other) => bad(format!(
            "{what} format_version {other} is not a version number (this hyperabi reads {reads})"
        )),
        None => bad(format!("not a hyperabi {what}: no `format_version` field")),
    }
}

/// Makes sure `dir` is a directory reports can be written into, creating it if needed: an
/// existing file, a path under a file or a directory without write permission is refused
/// (`--out DIR`, checked before a run).
pub fn prepare_out_dir(dir: &Path) -> Result<(), UnusableOutput> {
    let bad = |m: String| UnusableOutput(format!("--out {}: {m}", dir.display()));
    if dir.exists() && !dir.is_dir() {
        return Err(bad("exists and is not a directory".into()));
    }
    std::fs::create_dir_all(dir).map_err(|e| bad(format!("cannot create the directory: {e}")))?;
    probe_write(dir).map_err(|e| bad(format!("cannot write into it: {e}")))
}

/// Makes sure `path` can be written (a baseline `bless` will write), without changing it: an
/// existing file must be writable, a new one must be creatable in an existing directory.
pub fn check_writable_file(path: &Path) -> Result<(), UnusableOutput> {
    let bad = |m: String| UnusableOutput(format!("{}: {m}", path.display()));
    if path.is_dir() {
        return Err(bad("is a directory, not a file".into()));
    }
    if path.exists() {
        return std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map(drop)
            .map_err(|e| bad(format!("cannot be written: {e}")));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(bad(format!("{} is not a directory", parent.display())));
    }
    probe_write(parent).map_err(|e| bad(format!("cannot be created: {e}")))
}

/// Creates and removes a file in `dir`: the only sure test of write permission (root ignores
/// mode bits, read-only mounts ignore them the other way).
fn probe_write(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".hyperabi-write-test-{}", std::process::id()));
    std::fs::File::create(&probe)?;
    std::fs::remove_file(&probe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<serde_json::Value, String> {
        let path = Path::new("f.json");
        let text = text_of(path, bytes.to_vec()).map_err(|e| e.to_string())?;
        parse_json(path, &text, &Kind::BASELINE).map_err(|e| e.to_string())
    }

    #[test]
    fn byte_order_marks_are_named_at_byte_0() {
        let e = read(b"\xef\xbb\xbf{\"format_version\": 1}").unwrap_err();
        assert!(
            e.starts_with("f.json: byte 0: the file starts with a UTF-8 byte-order mark"),
            "{e}"
        );
        let e = read(b"\xff\xfe{\0").unwrap_err();
        assert!(e.contains("UTF-16 (little-endian) byte-order mark"), "{e}");
    }

    #[test]
    fn invalid_utf8_is_placed() {
        let e = read(b"{\n  \"format_version\": 1,\n  \"x\": \"a\xffb\"\n}").unwrap_err();
        assert_eq!(e, "f.json:3:10: invalid UTF-8 at byte 34 (0xff)");
    }

    #[test]
    fn versions_are_checked_first_and_named() {
        let e = read(b"{\"format_version\": 2, \"new\": []}").unwrap_err();
        assert_eq!(
            e,
            "f.json: baseline format_version 2 is not supported (this hyperabi reads \
             format_version 1)"
        );
        let e = read(b"{\"format_version\": -1}").unwrap_err();
        assert_eq!(
            e,
            "f.json: baseline format_version -1 is not supported (this hyperabi reads \
             format_version 1)"
        );
        let e = read(b"{\"format_version\": 1.5}").unwrap_err();
        assert!(e.contains("format_version 1.5 is not supported"), "{e}");
        let e = read(b"{\"format_version\": \"1\"}").unwrap_err();
        assert!(
            e.contains("format_version \"1\" is not a version number"),
            "{e}"
        );
        let e = read(b"{}").unwrap_err();
        assert_eq!(
            e,
            "f.json: not a hyperabi baseline: no `format_version` field"
        );
        let e = read(b"[1]").unwrap_err();
        assert_eq!(
            e,
            "f.json:1:1: expected a baseline (a JSON object), found `[`"
        );
    }

    #[test]
    fn syntax_and_type_errors_are_placed() {
        let e = read(b"{\"format_version\": 1,\n \"x\": [}").unwrap_err();
        assert_eq!(e, "f.json:2:8: expected value (not valid JSON)");
        let path = Path::new("f.json");
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            format_version: u32,
            n: u8,
        }
        let e = parse_json::<Doc>(path, "{\"format_version\": 1,\n \"n\": -1}", &Kind::DUMP)
            .unwrap_err();
        assert_eq!(e.place, Some(Place::Text { line: 2, column: 8 }));
        assert_eq!(e.problem, "invalid value: integer `-1`, expected u8");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn oversized_files_are_refused_without_reading_them_whole() {
        let e = read_text(Path::new("/dev/zero"), &Kind::DUMP).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/dev/zero: register dump is larger than 64 MiB, the most hyperabi reads; split it"
        );
    }
}
