//! The `hyperabi` binary as a user runs it.

use std::process::Command;

fn hyperabi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hyperabi"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn list_shows_every_abi_with_its_calls() {
    let (code, out, _) = hyperabi(&["list"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn export_is_versioned_json_of_the_model() {
    let (code, out, _) = hyperabi(&["spec", "export", "--abi", "xen-arm64", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format_version"], abi_spec::FORMAT_VERSION);
    let abi = &v["abis"][0];
    assert_eq!(abi["id"], "xen-arm64");
    assert_eq!(abi["trap"]["immediate"], 0xea1);
    let console = abi["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "console_io")
        .unwrap();
    assert_eq!(console["number"][0], 18);
    assert_eq!(console["args"][2]["reg"], "x2");

    let (code, out, _) = hyperabi(&["spec", "export"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["abis"].as_array().unwrap().len(), specs::all().len());
}

#[test]
fn bad_usage_exits_2_with_a_message() {
    let (code, _, err) = hyperabi(&["spec", "export", "--abi", "xen-mips"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown ABI `xen-mips`"), "{err}");
    let (code, _, _) = hyperabi(&["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn markdown_export_prints_every_page_or_writes_one_file_per_abi() {
    let (code, out, _) = hyperabi(&["spec", "export", "--format", "md"]);
    assert_eq!(code, 0);
    for abi in specs::all() {
        assert!(out.contains(&format!("# {}\n", abi.title)), "{}", abi.id);
        assert!(out.contains(&format!("[`{id}`]({id}.md)", id = abi.id)));
    }

    let dir = std::env::temp_dir().join(format!("hyperabi-md-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _, err) = hyperabi(&[
        "spec",
        "export",
        "--format",
        "md",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = specs::all()
        .iter()
        .map(|a| format!("{}.md", a.id))
        .collect();
    expected.push("README.md".into());
    expected.sort();
    assert_eq!(names, expected);
    // The files are exactly what is checked in under docs/abi (what `cargo xtask codegen` writes).
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/abi");
    for name in &names {
        let written = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            written.starts_with(conformance::spec_md::GENERATED),
            "{name}"
        );
        let checked_in = std::fs::read_to_string(docs.join(name)).unwrap_or_default();
        assert!(
            written == checked_in,
            "docs/abi/{name} is stale: run `cargo xtask codegen`"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
