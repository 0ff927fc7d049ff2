//! `hyperabi diff` as a user runs it: rule ids, levels and spec links, allow files, and the
//! documented exit statuses (0 no change, 1 breaking, 2 could not run, 4 compatible only,
//! 5 needs review).

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

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/diff/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("hyperabi-diff-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// The three breaking changes of `breaking.json`, accepted one by one: the exit status falls
/// from 1 (breaking) to 4 (compatible only), each accepted change shows its reason, and an
/// entry that matched nothing is reported.
#[test]
fn an_allow_file_accepts_known_changes() {
    let (old, new) = (fixture("old.json"), fixture("breaking.json"));
    let (code, out, _) = hyperabi(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["exit_status"], 1);
    let breaking: Vec<(String, String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["level"] == "breaking")
        .map(|c| {
            assert!(c["spec"].as_str().unwrap().starts_with("docs/abi/"), "{c}");
            (
                c["rule"].as_str().unwrap().to_string(),
                c["abi"].as_str().unwrap().to_string(),
                c["call"].as_str().unwrap_or("*").to_string(),
            )
        })
        .collect();
    assert_eq!(breaking.len(), 3);
    let mut entries: Vec<String> = breaking
        .iter()
        .map(|(rule, abi, call)| {
            format!(
                r#"{{"rule": "{rule}", "abi": "{abi}", "call": "{call}", "reason": "accepted in review #7"}}"#
            )
        })
        .collect();
    entries.push(r#"{"rule": "trap_changed", "reason": "never happened"}"#.into());
    let allow = scratch(
        "allow.json",
        &format!(
            r#"{{"format_version": 1, "allow": [{}]}}"#,
            entries.join(",\n")
        ),
    );
    let (code, out, err) = hyperabi(&["diff", &old, &new, "--allow", allow.to_str().unwrap()]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("0 breaking, 0 needing review, 1 compatible, 3 allowed"),
        "{out}"
    );
    assert!(
        out.contains("  allowed     `console_io`: number changed from 0x12 to 0x13\n              [call_number_changed] docs/abi/xen-arm64.md#console_io (allowed: accepted in review #7)"),
        "{out}"
    );
    assert!(
        err.contains("allow entry matched no change (drop it?): trap_changed"),
        "{err}"
    );
    std::fs::remove_file(allow).unwrap();
}

#[test]
fn exit_statuses_tell_no_change_compatible_review_and_breaking_apart() {
    let old = fixture("old.json");
    assert_eq!(hyperabi(&["diff", &old, &old]).0, 0);
    assert_eq!(hyperabi(&["diff", &old, &fixture("breaking.json")]).0, 1);
    assert_eq!(hyperabi(&["diff", &old, &fixture("compatible.json")]).0, 5);
    // Only compatible: the compatible fixture without its doc change.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("compatible.json")).unwrap())
            .unwrap();
    let o: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&old).unwrap()).unwrap();
    for (a, oa) in v["abis"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(o["abis"].as_array().unwrap())
    {
        for c in a["calls"].as_array_mut().unwrap() {
            if let Some(oc) = oa["calls"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == c["name"])
            {
                for k in ["doc", "source", "since"] {
                    match oc.get(k) {
                        Some(x) => c[k] = x.clone(),
                        None => {
                            c.as_object_mut().unwrap().remove(k);
                        }
                    }
                }
            }
        }
    }
    let compatible = scratch("compatible-only.json", &v.to_string());
    let (code, out, err) = hyperabi(&["diff", &old, compatible.to_str().unwrap()]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("0 breaking, 0 needing review, 4 compatible"),
        "{out}"
    );
    std::fs::remove_file(compatible).unwrap();
    // Could not run: 2, naming the file and the problem.
    assert_eq!(hyperabi(&["diff", &old, &fixture("missing.json")]).0, 2);
    let bad = scratch(
        "bad-allow.json",
        "{\"format_version\": 1,\n \"allow\": [{\"rule\": \"nope\", \"reason\": \"x\"}]}",
    );
    let (code, _, err) = hyperabi(&["diff", &old, &old, "--allow", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "{}: at allow[0].rule: `nope` is not a rule",
            bad.display()
        )),
        "{err}"
    );
    std::fs::write(&bad, "{\"format_version\": 1,\n \"allow\": [}").unwrap();
    let (code, _, err) = hyperabi(&["diff", &old, &old, "--allow", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:2:", bad.display())), "{err}");
    std::fs::remove_file(bad).unwrap();
}

/// `hyperabi diff --help` and the README document every exit status, and the README's rule
/// table lists every rule of the catalogue with its level.
#[test]
fn exit_statuses_and_rules_are_documented() {
    let (code, help, _) = hyperabi(&["diff", "--help"]);
    assert_eq!(code, 0);
    for status in [
        "  0  no change",
        "  1  at least one breaking",
        "  2  could not run",
        "  3  could not run",
        "  4  compatible changes only",
        "  5  changes that need review",
    ] {
        assert!(help.contains(status), "{status}: {help}");
    }
    assert!(help.contains("--allow <FILE>"), "{help}");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for r in conformance::diff::rules::RULES {
        let row = format!("| `{}` | {} |", r.id, r.level.as_str());
        assert!(readme.contains(&row), "README lacks the rule row `{row}`");
    }
    for status in ["| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |"] {
        assert!(readme.contains(status), "README lacks exit status {status}");
    }
}
