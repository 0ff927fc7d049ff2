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
