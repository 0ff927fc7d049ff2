//! Reading the files users hand us (baselines, dumps, reports, spec exports): every problem
//! names the file, the place and what is wrong, and maps to exit code 2.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// A bad input file: the message is ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The largest input file hyperabi reads (baselines, dumps, reports, spec exports): 64 MiB.
/// Parsing holds the whole document in memory several times over, so a bound on the file is
/// the bound on memory; a file this large is a mistake or needs splitting (`check --dump` per
/// recording, `merge` per shard).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Reads `path` (a file of kind `what`) as UTF-8 text, refusing files over
/// [`MAX_INPUT_BYTES`], byte-order marks and invalid UTF-8 with their byte offset.
pub fn read_text(path: &Path, what: &str) -> Result<String, BadInput> {
    let bad = |m: String| BadInput(format!("{}: {m}", path.display()));
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
    text_of(bytes).map_err(|m| bad(format!("{m} ({what})")))
}

/// `bytes` as text, or where and why not.
pub fn text_of(bytes: Vec<u8>) -> Result<String, String> {
    for (bom, name) in [
        (&[0xef, 0xbb, 0xbf][..], "a UTF-8 byte-order mark"),
        (&[0xfe, 0xff][..], "a UTF-16 (big-endian) byte-order mark"),
        (
            &[0xff, 0xfe][..],
            "a UTF-16 (little-endian) byte-order mark",
        ),
    ] {
        if bytes.starts_with(bom) {
            return Err(format!(
                "byte 0: the file starts with {name}; JSON files are UTF-8 without one \
                 (RFC 8259 section 8.1): save it without the mark"
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
        format!(
            "{line}:{column}: invalid UTF-8 at byte {at} (0x{:02x})",
            bytes[at]
        )
    })
}

/// Checks the top-level `format_version` of a JSON document of kind `what` (`path` names it).
pub fn check_version(path: &Path, text: &str, what: &str) -> Result<(), BadInput> {
    // Only the version is read here (the rest is skipped without being kept), so that a newer
    // file is refused for its version rather than for whatever field it added.
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        format_version: Option<serde_json::Value>,
    }
    let probe: Probe =
        serde_json::from_str(text).map_err(|e| json_error(path, what, "not valid JSON", &e))?;
    let ours = abi_spec::FORMAT_VERSION;
    match probe.format_version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(ours)) => Ok(()),
        Some(serde_json::Value::Number(n)) => Err(BadInput(format!(
            "{}: format_version {n} is not a supported version (this build reads {ours})",
            path.display()
        ))),
        Some(other) => Err(BadInput(format!(
            "{}: format_version {other} is not a version number (this build reads {ours})",
            path.display()
        ))),
        None => Err(BadInput(format!(
            "{}: not a hyperabi {what}: no `format_version` field",
            path.display()
        ))),
    }
}

fn json_error(path: &Path, what: &str, head: &str, e: &serde_json::Error) -> BadInput {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    BadInput(format!(
        "{}:{}:{}: {head} ({what}): {}",
        path.display(),
        e.line(),
        e.column().max(1),
        full.strip_suffix(&suffix).unwrap_or(&full)
    ))
}

/// Reads a JSON file of kind `what` whose top-level `format_version` must be ours.
pub fn read_versioned<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, BadInput> {
    let text = read_text(path, what)?;
    parse_versioned(path, &text, what)
}

/// Refuses a document that is not a JSON object up front, placed at its first character (a
/// struct also deserialises from a JSON array, and a parser's own complaint says less).
pub fn expect_object(path: &Path, text: &str, what: &str) -> Result<(), BadInput> {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !c.is_whitespace()) {
        if c != '{' {
            let before = &text[..at];
            return Err(BadInput(format!(
                "{}:{}:{}: expected a {what} (a JSON object), found `{c}`",
                path.display(),
                before.matches('\n').count() + 1,
                before.rsplit('\n').next().unwrap_or("").chars().count() + 1
            )));
        }
    }
    Ok(())
}

/// Parses the text of a JSON document of kind `what` (`path` names it in errors).
pub fn parse_versioned<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    what: &str,
) -> Result<T, BadInput> {
    expect_object(path, text, what)?;
    check_version(path, text, what)?;
    serde_json::from_str(text).map_err(|e| json_error(path, what, "bad", &e))
}

/// Makes sure `dir` is a directory reports can be written into, creating it if needed: an
/// existing file, a path under a file or a directory without write permission is refused
/// (`--out DIR`, checked before a run).
pub fn prepare_out_dir(dir: &Path) -> Result<(), BadInput> {
    let bad = |m: String| BadInput(format!("--out {}: {m}", dir.display()));
    if dir.exists() && !dir.is_dir() {
        return Err(bad("exists and is not a directory".into()));
    }
    std::fs::create_dir_all(dir).map_err(|e| bad(format!("cannot create the directory: {e}")))?;
    probe_write(dir).map_err(|e| bad(format!("cannot write into it: {e}")))
}

/// Makes sure `path` can be written (a baseline `bless` will write), without changing it: an
/// existing file must be writable, a new one must be creatable in an existing directory.
pub fn check_writable_file(path: &Path) -> Result<(), BadInput> {
    let bad = |m: String| BadInput(format!("{}: {m}", path.display()));
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
        let text = text_of(bytes.to_vec()).map_err(|m| format!("f.json: {m}"))?;
        parse_versioned(Path::new("f.json"), &text, "baseline").map_err(|b| b.0)
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
        assert_eq!(e, "f.json: 3:10: invalid UTF-8 at byte 34 (0xff)");
    }

    #[test]
    fn numeric_but_invalid_versions_are_named_as_such() {
        let e = read(b"{\"format_version\": -1}").unwrap_err();
        assert_eq!(
            e,
            "f.json: format_version -1 is not a supported version (this build reads 1)"
        );
        let e = read(b"{\"format_version\": 1.5}").unwrap_err();
        assert!(
            e.contains("format_version 1.5 is not a supported version"),
            "{e}"
        );
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
    fn oversized_files_are_refused_without_reading_them_whole() {
        let e = read_text(Path::new("/dev/zero"), "register dump").unwrap_err();
        assert_eq!(
            e.0,
            "/dev/zero: register dump is larger than 64 MiB, the most hyperabi reads; split it"
        );
    }
}
