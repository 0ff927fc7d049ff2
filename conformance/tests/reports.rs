//! `hyperabi report` and `hyperabi merge` as a user runs them, and the report files a real
//! `hyperabi run --out` writes.

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

/// `tests/data/report.json`: the hand-built report fixture of the library's unit tests.
fn fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/report.json")
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hyperabi-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn report_renders_every_format() {
    let input = fixture();
    let input = input.to_str().unwrap();
    for (format, marker) in [
        (
            "junit",
            "<testsuites name=\"hyperabi\" tests=\"12\" failures=\"2\"",
        ),
        ("tap", "TAP version 13\n"),
        ("md", "## hyperabi conformance: FAIL"),
        ("markdown", "## hyperabi conformance: FAIL"),
        ("html", "<!DOCTYPE html>"),
    ] {
        let (code, out, err) = hyperabi(&["report", input, "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        assert!(out.contains(marker), "{format}: {out}");
    }
    // JSON re-renders to the same bytes.
    let (code, out, _) = hyperabi(&["report", input, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(out, std::fs::read_to_string(fixture()).unwrap());

    let dir = scratch("report");
    let dest = dir.join("r.xml");
    let (code, out, _) = hyperabi(&[
        "report",
        input,
        "--format",
        "junit",
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(out.is_empty());
    assert!(std::fs::read_to_string(&dest).unwrap().starts_with("<?xml"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn report_refuses_malformed_files_with_exit_2() {
    let dir = scratch("malformed");
    let good = std::fs::read_to_string(fixture()).unwrap();
    let cases = [
        // A trailing comma on line 3.
        (
            "syntax.json",
            good.replacen(
                "\"tool\": \"hyperabi 0.1.0\",",
                "\"tool\": \"hyperabi 0.1.0\",,",
                1,
            ),
            ":3:28: key must be a string",
        ),
        (
            "type.json",
            good.replacen("\"cases_per_call\": 8", "\"cases_per_call\": -8", 1),
            ":5:22: invalid value: integer `-8`, expected u32",
        ),
        (
            "version.json",
            good.replacen("\"format_version\": 1", "\"format_version\": 99", 1),
            ": report format_version 99 is not supported",
        ),
        (
            "empty.json",
            String::new(),
            ":1:1: EOF while parsing a value",
        ),
    ];
    for (name, text, problem) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let path = path.to_str().unwrap();
        for args in [
            vec!["report", path, "--format", "md"],
            vec!["merge", path, path],
        ] {
            let (code, out, err) = hyperabi(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(out.is_empty());
            assert!(err.contains(&format!("{path}{problem}")), "{args:?}: {err}");
        }
    }
    let missing = dir.join("missing.json");
    let (code, _, err) = hyperabi(&["report", missing.to_str().unwrap(), "--format", "tap"]);
    assert_eq!(code, 2);
    assert!(err.contains(missing.to_str().unwrap()), "{err}");
    let (code, _, _) = hyperabi(&["report", fixture().to_str().unwrap(), "--format", "pdf"]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Splits the fixture into shard files by case id, merges them back with the binary and gets
/// the original cases, in order.
#[test]
fn merge_joins_shards_and_refuses_incomplete_sets() {
    let dir = scratch("merge");
    let full: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    let mut paths = Vec::new();
    for i in 1..=3u64 {
        let mut shard = full.clone();
        shard["shard"] = serde_json::json!({"index": i, "count": 3});
        for t in shard["targets"].as_array_mut().unwrap() {
            t["cases"]
                .as_array_mut()
                .unwrap()
                .retain(|c| c["id"].as_u64().unwrap() % 3 == i - 1);
            t.as_object_mut().unwrap().remove("clobbers");
        }
        let path = dir.join(format!("shard-{i}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&shard).unwrap()).unwrap();
        paths.push(path.to_str().unwrap().to_string());
    }
    let out_path = dir.join("merged.json");
    let (code, _, err) = hyperabi(&[
        "merge",
        &paths[2],
        &paths[0],
        &paths[1],
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let merged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert!(merged.get("shard").is_none());
    for (m, f) in merged["targets"]
        .as_array()
        .unwrap()
        .iter()
        .zip(full["targets"].as_array().unwrap())
    {
        assert_eq!(m["cases"], f["cases"]);
        assert_eq!(m["identity"], f["identity"]);
    }
    // The merged report renders like any other.
    let (code, out, _) = hyperabi(&["report", out_path.to_str().unwrap(), "--format", "tap"]);
    assert_eq!(code, 0);
    assert!(out.contains("\n    1..6\n"));

    let (code, _, err) = hyperabi(&["merge", &paths[0], &paths[2]]);
    assert_eq!(code, 2);
    assert!(
        err.contains("shard 2/3 is missing (have 1/3, 3/3)"),
        "{err}"
    );
    let (code, _, err) = hyperabi(&["merge", &paths[0], &paths[1], &paths[1], &paths[2]]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "shard 2/3 is given twice: {} and {}",
            paths[1], paths[1]
        )),
        "{err}"
    );
    let mut other_seed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&paths[1]).unwrap()).unwrap();
    other_seed["seed"] = "0x1".into();
    let reseeded = dir.join("reseeded.json");
    std::fs::write(&reseeded, other_seed.to_string()).unwrap();
    let (code, _, err) = hyperabi(&["merge", &paths[0], reseeded.to_str().unwrap(), &paths[2]]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "{} is not from the same run as {}: seed 0x1 differs from 0x5eed",
            reseeded.display(),
            paths[0]
        )),
        "{err}"
    );
    let (code, _, _) = hyperabi(&["merge"]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A real run through the model backends, split into three shards on the command line and
/// merged back, equals the unsharded run (up to timings); every format is written.
#[test]
fn merged_shard_runs_equal_the_whole_run() {
    let dir = scratch("shards");
    let d = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let run = |out: &str, shard: Option<&str>| {
        let mut args = vec![
            "run",
            "--target",
            "model,model-debug",
            "--seed",
            "0x9",
            "--cases",
            "3",
            "--out",
            out,
        ];
        if let Some(s) = shard {
            args.extend(["--shard", s]);
        }
        let (code, _, err) = hyperabi(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
    };
    run(&d("whole"), None);
    for i in 1..=3 {
        run(&d(&format!("s{i}")), Some(&format!("{i}/3")));
    }
    for f in [
        "report.json",
        "report.junit.xml",
        "report.tap",
        "report.md",
        "report.html",
    ] {
        assert!(dir.join("whole").join(f).is_file(), "{f}");
    }
    let shards: Vec<String> = (1..=3).map(|i| d(&format!("s{i}/report.json"))).collect();
    let (code, _, err) = hyperabi(&[
        "merge",
        &shards[1],
        &shards[2],
        &shards[0],
        "--out",
        &d("merged.json"),
    ]);
    assert_eq!(code, 0, "{err}");
    let read = |p: &str| {
        let mut r = conformance::report::json::read(std::path::Path::new(p)).unwrap();
        for t in &mut r.targets {
            t.timings = Default::default();
            for c in &mut t.cases {
                c.duration_ns = 0;
            }
        }
        r
    };
    let whole = read(&d("whole/report.json"));
    let merged = read(&d("merged.json"));
    assert!(whole.targets.iter().all(|t| t.cases.len() > 100));
    assert!(whole.targets.iter().any(|t| !t.clobbers.is_empty()));
    assert_eq!(merged, whole);
    std::fs::remove_dir_all(dir).unwrap();
}
