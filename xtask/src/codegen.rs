//! `cargo xtask codegen [--check]`: the generated files that are checked in.
//!
//! `docs/abi/`, the Markdown reference page of every ABI and its index, rendered by the
//! conformance library exactly as `hyperabi spec export --format md --out docs/abi` does;
//! `docs/catalogue/targets.md`, the target table of `runners::catalog`; `stubs/`, the C header and
//! assembly stubs of every ABI (`hyperabi gen`). Each directory belongs to the generator: files it
//! would not write are extra and get removed.
//! `--check` writes nothing and fails, naming every stale, missing and extra file, when the
//! checked-in tree differs from what would be generated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{root, Result};

/// One generated directory: its path under the workspace root and its files (name → contents).
struct Tree {
    dir: PathBuf,
    files: BTreeMap<String, String>,
}

fn trees() -> Vec<Tree> {
    vec![
        Tree {
            dir: PathBuf::from("docs/abi"),
            files: conformance::spec_md::pages(specs::all())
                .into_iter()
                .collect(),
        },
        // The target table, derived from the catalogue like everything else about targets.
        Tree {
            dir: PathBuf::from("docs/catalogue"),
            files: BTreeMap::from([("targets.md".to_string(), runners::catalog::markdown())]),
        },
        // `hyperabi gen`'s C header and assembly file of every ABI.
        Tree {
            dir: PathBuf::from("stubs"),
            files: conformance::gen::files(specs::all()).into_iter().collect(),
        },
    ]
}

/// What differs between a generated tree and the files on disk.
#[derive(Default, Debug, PartialEq)]
pub struct Drift {
    pub stale: Vec<PathBuf>,
    pub missing: Vec<PathBuf>,
    pub extra: Vec<PathBuf>,
}

impl Drift {
    fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

fn on_disk(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut found = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = if path.is_dir() {
            // A directory the generator never writes: extra, whatever it holds.
            Vec::new()
        } else {
            std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?
        };
        found.insert(name, bytes);
    }
    Ok(found)
}

fn drift(dir: &Path, rel: &Path, files: &BTreeMap<String, String>) -> Result<Drift> {
    let disk = on_disk(dir)?;
    let mut d = Drift::default();
    for (name, text) in files {
        match disk.get(name) {
            None => d.missing.push(rel.join(name)),
            Some(bytes) if bytes != text.as_bytes() => d.stale.push(rel.join(name)),
            Some(_) => {}
        }
    }
    for name in disk.keys() {
        if !files.contains_key(name) {
            d.extra.push(rel.join(name));
        }
    }
    Ok(d)
}

/// Writes the generated trees, or with `check` fails naming what differs.
pub fn run(check: bool) -> Result {
    let root = root();
    let mut problems = Vec::new();
    for tree in trees() {
        let dir = root.join(&tree.dir);
        let d = drift(&dir, &tree.dir, &tree.files)?;
        if check {
            for (what, paths) in [
                ("stale", &d.stale),
                ("missing", &d.missing),
                ("extra", &d.extra),
            ] {
                for p in paths {
                    problems.push(format!("  {what}: {}", p.display()));
                }
            }
            continue;
        }
        if d.is_empty() {
            eprintln!(
                "codegen: {} is current ({} files)",
                tree.dir.display(),
                tree.files.len()
            );
            continue;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for p in d.stale.iter().chain(&d.missing) {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let path = root.join(p);
            std::fs::write(&path, &tree.files[&name])
                .map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("codegen: wrote {}", p.display());
        }
        for p in &d.extra {
            let path = root.join(p);
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("codegen: removed {}", p.display());
        }
    }
    if problems.is_empty() {
        if check {
            eprintln!("codegen --check: generated files are current");
        }
        Ok(())
    } else {
        Err(format!(
            "generated files differ from what `cargo xtask codegen` would write:\n{}\nrun `cargo xtask codegen` and commit the result",
            problems.join("\n")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("xtask-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn drift_names_stale_missing_and_extra_files() {
        let dir = scratch("drift");
        let files: BTreeMap<String, String> = [
            ("a.md".to_string(), "A\n".to_string()),
            ("b.md".to_string(), "B\n".to_string()),
            ("c.md".to_string(), "C\n".to_string()),
        ]
        .into();
        std::fs::write(dir.join("a.md"), "A\n").unwrap();
        std::fs::write(dir.join("b.md"), "old B\n").unwrap();
        std::fs::write(dir.join("z.md"), "hand-written\n").unwrap();
        let d = drift(&dir, Path::new("docs/abi"), &files).unwrap();
        assert_eq!(d.stale, vec![PathBuf::from("docs/abi/b.md")]);
        assert_eq!(d.missing, vec![PathBuf::from("docs/abi/c.md")]);
        assert_eq!(d.extra, vec![PathBuf::from("docs/abi/z.md")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_directory_is_all_missing() {
        let dir = scratch("none").join("absent");
        let files: BTreeMap<String, String> = [("a.md".to_string(), "A\n".to_string())].into();
        let d = drift(&dir, Path::new("docs/abi"), &files).unwrap();
        assert_eq!(d.missing.len(), 1);
        assert!(d.stale.is_empty() && d.extra.is_empty());
    }
}
