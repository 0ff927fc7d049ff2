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

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/diff/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn diff_of_compatible_changes_exits_5_when_one_needs_review_and_lists_them_by_abi() {
    let (code, out, err) = hyperabi(&["diff", &fixture("old.json"), &fixture("compatible.json")]);
    // Compatible changes and one that needs review (a doc change): 5.
    assert_eq!(code, 5, "{err}");
    let body: String = out.lines().skip(1).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(body);
}

#[test]
fn diff_of_breaking_changes_exits_1_text_and_json() {
    let (code, out, err) = hyperabi(&["diff", &fixture("old.json"), &fixture("breaking.json")]);
    assert_eq!(code, 1);
    assert!(err.contains("3 breaking change(s)"), "{err}");
    assert!(
        out.contains("3 breaking, 0 needing review, 1 compatible"),
        "{out}"
    );
    assert!(
        out.contains("BREAKING    `console_io`: number changed from 0x12 to 0x13"),
        "{out}"
    );

    let (code, out, _) = hyperabi(&[
        "diff",
        &fixture("old.json"),
        &fixture("breaking.json"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["breaking"], 3);
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "call_number_changed",
            "argument_domain_widened",
            "result_domain_changed",
            "register_role_weakened"
        ]
    );
}

#[test]
fn diff_of_an_export_with_itself_is_empty() {
    let dir = std::env::temp_dir().join(format!("hyperabi-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _, err) = hyperabi(&["spec", "export", "--out", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let spec = dir.join("spec.json");
    let (code, out, _) = hyperabi(&["diff", spec.to_str().unwrap(), spec.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.ends_with("no changes\n"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_of_malformed_files_exits_2_naming_file_place_and_problem() {
    let old = fixture("old.json");
    for (file, expected) in [
        ("bad_syntax.json", "bad_syntax.json:143:8: EOF while parsing an object"),
        (
            "bad_version.json",
            "bad_version.json: unsupported format_version 2: this hyperabi reads format_version 1",
        ),
        (
            "bad_register.json",
            "bad_register.json: at abis[0] (`xen-arm64`).calls[4] (`console_io`).args[1].reg: `x99` is not a register of aarch64",
        ),
        ("missing.json", "missing.json: cannot read"),
    ] {
        let (code, out, err) = hyperabi(&["diff", &old, &fixture(file)]);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(out.is_empty(), "{file}: {out}");
        assert!(err.contains(expected), "{file}: {err}");
        // The bad file is named whichever side it is on.
        let (code, _, err) = hyperabi(&["diff", &fixture(file), &old]);
        assert_eq!(code, 2);
        assert!(err.contains(file), "{err}");
    }
}
