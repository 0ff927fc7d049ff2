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
            "bad_version.json: spec export format_version 2 is not supported (this hyperabi reads format_version 1)",
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

// ---- Issue 17: bad input, misuse and faults. Each test failed before its fix. ----

/// A fresh directory for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hyperabi-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &std::path::Path, name: &str, text: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn data_report() -> serde_json::Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/data/report.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn bless_merges_into_the_baseline_and_keeps_the_other_targets() {
    let dir = scratch("bless-merge");
    let base = write(
        &dir,
        "base.json",
        std::fs::read(repo("baselines/qemu-7.2.json")).unwrap(),
    );
    let before: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    // A report of the model only, as `run --target model` writes it.
    let out = dir.join("run");
    let (code, _, err) = hyperabi(&[
        "run",
        "--target",
        "model",
        "--cases",
        "1",
        "--seed",
        "1",
        "--call",
        "psci_version",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let report = out.join("report.json");
    let (code, msg, err) = hyperabi(&[
        "bless",
        "--from",
        report.to_str().unwrap(),
        "--baseline",
        &base,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(msg.contains("6 target(s)"), "{msg}");
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    for t in before["targets"].as_object().unwrap().keys() {
        assert_eq!(after["targets"][t], before["targets"][t], "{t} changed");
    }
    let passing = after["targets"]["model"]["passing"].as_array().unwrap();
    assert!(
        passing.iter().any(|p| p == "psci-arm64::psci_version"),
        "{passing:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bless_keeps_the_calls_a_narrower_run_did_not_run() {
    let dir = scratch("bless-narrow");
    let base = dir.join("b.json");
    let base = base.to_str().unwrap();
    let bless = |call: &str| {
        hyperabi(&[
            "bless",
            "--target",
            "model",
            "--abi",
            "psci-arm64",
            "--cases",
            "1",
            "--seed",
            "1",
            "--call",
            call,
            "--baseline",
            base,
        ])
    };
    assert_eq!(bless("psci_version").0, 0);
    assert_eq!(bless("cpu_off").0, 0);
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(base).unwrap()).unwrap();
    let passing: Vec<&str> = b["targets"]["model"]["passing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(passing.contains(&"psci-arm64::psci_version"), "{passing:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bless_refuses_a_report_whose_target_did_not_run() {
    let dir = scratch("bless-refuse");
    let base = write(
        &dir,
        "base.json",
        std::fs::read(repo("baselines/qemu-7.2.json")).unwrap(),
    );
    let original = std::fs::read(&base).unwrap();
    let mut r = data_report();
    for (target, outcome) in [
        (
            "qemu7.2-aarch64",
            serde_json::json!({"status": "unavailable", "reason": "qemu-system-aarch64 is not on PATH"}),
        ),
        (
            "qemu7.2-aarch64",
            serde_json::json!({"status": "error", "reason": "QEMU died"}),
        ),
    ] {
        r["targets"] = serde_json::json!([r["targets"][0].clone()]);
        r["targets"][0]["target"] = target.into();
        r["targets"][0]["outcome"] = outcome;
        let report = write(&dir, "r.json", serde_json::to_string(&r).unwrap());
        let (code, _, err) = hyperabi(&["bless", "--from", &report, "--baseline", &base]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("not blessed: target `qemu7.2-aarch64`"),
            "{err}"
        );
        assert!(
            err.contains("qemu-system-aarch64 is not on PATH") || err.contains("QEMU died"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&base).unwrap(),
            original,
            "the baseline changed"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn out_is_checked_before_the_run() {
    let dir = scratch("out");
    let file = write(&dir, "file", "x");
    let under = format!("{file}/reports");
    for (out, expected) in [
        (file.as_str(), "exists and is not a directory"),
        (under.as_str(), "cannot create the directory"),
        ("/proc/hyperabi-reports", "cannot create the directory"),
    ] {
        let t0 = std::time::Instant::now();
        // Many cases: the run would take long if it started.
        let (code, stdout, err) =
            hyperabi(&["run", "--target", "model", "--cases", "5000", "--out", out]);
        assert_eq!(code, 2, "{out}: {err}");
        assert!(err.contains(&format!("--out {out}: {expected}")), "{err}");
        assert!(
            stdout.is_empty() && !err.contains("seed"),
            "the run started: {err}"
        );
        assert!(t0.elapsed().as_secs() < 5);
    }
    // bless: the baseline's directory is checked before the run too.
    let (code, _, err) = hyperabi(&[
        "bless",
        "--target",
        "model",
        "--baseline",
        &format!("{under}/b.json"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a directory"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn selections_that_match_nothing_are_usage_errors() {
    for (args, expected) in [
        (
            &["run", "--call", "psci_verison"][..],
            "--call `psci_verison` matches no call of the ABIs this run selects",
        ),
        (
            &[
                "run",
                "--target",
                "model",
                "--abi",
                "sbi-riscv64",
                "--call",
                "psci_version",
            ][..],
            "--call `psci_version` matches no call of the ABIs this run selects (sbi-riscv64)",
        ),
        (
            &[
                "run",
                "--target",
                "qemu7.2-aarch64",
                "--fault",
                "clobber-preserved",
            ][..],
            "--fault: faults are injected by the model; target `qemu7.2-aarch64` is not the model",
        ),
        (
            &["run", "--cases", "100000000"][..],
            "--cases 100000000: at most 100000 generated cases per call",
        ),
        (
            &["run", "--cases", "100000"][..],
            "a run plans at most 1000000 cases",
        ),
    ] {
        let t0 = std::time::Instant::now();
        let (code, _, err) = hyperabi(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(t0.elapsed().as_secs() < 10, "{args:?}");
    }
}

#[test]
fn baselines_that_gate_nothing_or_name_unknown_things_are_bad_input() {
    let dir = scratch("baseline");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("baselines/qemu-7.2.json")).unwrap())
            .unwrap();
    let qemu = write(&dir, "qemu.json", serde_json::to_string(&b).unwrap());
    let edit = |name: &str, f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = b.clone();
        f(&mut v);
        write(&dir, name, serde_json::to_string_pretty(&v).unwrap())
    };
    let misspelt = edit("misspelt.json", &|v| {
        let t = v["targets"]
            .as_object_mut()
            .unwrap()
            .remove("qemu7.2-aarch64")
            .unwrap();
        v["targets"]["qemu7.2-arch64"] = t;
    });
    let exclusion = edit("exclusion.json", &|v| {
        v["targets"]["qemu7.2-riscv64"]["exclude"][0]["call"] = "pmu_counter_fw_reed".into();
    });
    let stable = edit("stable.json", &|v| {
        v["targets"]["qemu7.2-aarch64"]["stable"]["psci-arm64::psci_version"][0] = "0xZZ".into();
    });
    let model = edit("model.json", &|v| {
        let mut t = v["targets"]["qemu7.2-aarch64"].take();
        // QEMU's stable values are not the model's.
        t["stable"] = serde_json::json!({});
        v["targets"] = serde_json::json!({ "model": t });
    });
    for (args, expected) in [
        (
            vec!["run", "--target", "model", "--baseline", &qemu],
            "none of which this run runs (model)".to_string(),
        ),
        (
            vec!["run", "--target", "model", "--baseline", &misspelt],
            "targets.`qemu7.2-arch64`: unknown target".into(),
        ),
        (
            vec!["run", "--target", "model", "--baseline", &exclusion],
            "targets.`qemu7.2-riscv64`.exclude[0]: ABI `sbi-riscv64` has no call `pmu_counter_fw_reed`"
                .into(),
        ),
        (
            vec!["run", "--target", "model", "--baseline", &stable],
            "targets.`qemu7.2-aarch64`.stable.`psci-arm64::psci_version`[0]: `0xZZ` is not a stable value"
                .into(),
        ),
        (
            vec!["run", "--target", "qemu7.2-aarch64", "--baseline", &qemu, "--baseline", &qemu],
            format!("{qemu}: at targets.`qemu7.2-aarch64`: the target is also in an earlier --baseline"),
        ),
    ] {
        let (code, _, err) = hyperabi(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(&expected), "{args:?}: {err}");
    }
    // The model's baseline (psci known failures will not occur: stale, still exit 0).
    let (code, _, err) = hyperabi(&[
        "run",
        "--target",
        "model",
        "--abi",
        "psci-arm64",
        "--cases",
        "1",
        "--baseline",
        &model,
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn dump(dumps: serde_json::Value) -> String {
    serde_json::to_string(&serde_json::json!({"format_version": 1, "dumps": dumps})).unwrap()
}

#[test]
fn dumps_that_are_empty_or_ambiguous_are_bad_input() {
    let dir = scratch("dump");
    let good = serde_json::json!({
        "abi": "xen-arm64", "call": "xen_version",
        "before": {"x0": "0x0", "x16": "0x11", "x29": "0x1234"},
        "after": {"x0": "0x40011"}
    });
    let (code, _, err) = hyperabi(&[
        "check",
        "--dump",
        &write(&dir, "ok.json", dump(serde_json::json!([good]))),
    ]);
    assert_eq!(code, 0, "{err}");
    let raw = |name: &str, text: &str| write(&dir, name, text);
    for (file, expected) in [
        (write(&dir, "empty.json", dump(serde_json::json!([]))), "at dumps: the list is empty".to_string()),
        (
            raw("twice.json", r#"{"format_version": 1, "dumps": [{"abi": "xen-arm64", "call": "xen_version",
                "before": {"x0": "0x0", "x16": "0x11", "x19": "0x1"},
                "after": {"x19": "0x2", "x19": "0x1"}}]}"#),
            "at dumps[0].after: `x19` is given twice".into(),
        ),
        (
            raw("alias.json", r#"{"format_version": 1, "dumps": [{"abi": "xen-arm64", "call": "xen_version",
                "before": {"x0": "0x0", "x16": "0x11", "fp": "0x1", "x29": "0x1"}}]}"#),
            "at dumps[0].before: `fp` and `x29` are the same register (x29)".into(),
        ),
        (
            raw("numbers.json", r#"{"format_version": 1, "dumps": [{"abi": "xen-arm64", "call": [17, 0],
                "before": {"x0": "0x0", "x16": "0x11"}}]}"#),
            "at dumps[0]: `call` gives 2 number(s) but ABI `xen-arm64` has 1 number register(s): number (x16)".into(),
        ),
        (
            raw("conflict.json", r#"{"format_version": 1, "dumps": [{"abi": "xen-arm64", "call": "xen_version",
                "before": {"x0": "0x0", "x16": "0x12"}}]}"#),
            "at dumps[0]: `call` is number 0x11 but before.x16 (the number register) is 0x12".into(),
        ),
    ] {
        let (code, _, err) = hyperabi(&["check", "--dump", &file]);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(err.contains(&expected), "{file}: {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn readers_name_byte_order_marks_invalid_utf8_and_bad_numbers() {
    let dir = scratch("messages");
    let report = std::fs::read(format!(
        "{}/tests/data/report.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(&report);
    let mut bad_utf8 = report.clone();
    bad_utf8[40] = 0xff;
    let text = String::from_utf8(report.clone()).unwrap();
    let minus_one = text.replacen(
        &format!(
            "\"format_version\": {}",
            conformance::report::FORMAT_VERSION
        ),
        "\"format_version\": -1",
        1,
    );
    assert_ne!(minus_one, text, "the data report's format_version moved");
    let seed = text.replacen("\"seed\": \"0x5eed\"", "\"seed\": -1", 1);
    let mut none = data_report();
    none["targets"] = serde_json::json!([]);
    for (name, bytes, expected) in [
        (
            "bom.json",
            bom,
            "byte 0: the file starts with a UTF-8 byte-order mark".to_string(),
        ),
        (
            "utf8.json",
            bad_utf8,
            "invalid UTF-8 at byte 40 (0xff)".into(),
        ),
        (
            "v.json",
            minus_one.into_bytes(),
            "report format_version -1 is not supported".into(),
        ),
        (
            "seed.json",
            seed.into_bytes(),
            "-1 is negative, not a 64-bit value".into(),
        ),
        (
            "none.json",
            serde_json::to_vec(&none).unwrap(),
            "the report has no targets".into(),
        ),
    ] {
        let path = write(&dir, name, bytes);
        let (code, _, err) = hyperabi(&["report", &path, "--format", "md"]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(&expected), "{name}: {err}");
        assert!(err.contains(&path), "{name}: {err}");
    }
    // The same messages from the baseline and dump reader.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(&std::fs::read(repo("baselines/qemu-7.2.json")).unwrap());
    let b = write(&dir, "bom-baseline.json", bom);
    let (code, _, err) = hyperabi(&["run", "--target", "qemu7.2-aarch64", "--baseline", &b]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("byte 0: the file starts with a UTF-8 byte-order mark"),
        "{err}"
    );
    // And from the spec-export reader of `diff`.
    let (_, spec, _) = hyperabi(&["spec", "export", "--abi", "psci-arm64"]);
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(spec.as_bytes());
    let s = write(&dir, "bom-spec.json", bom);
    let mut bad = spec.clone().into_bytes();
    bad[30] = 0xff;
    let u = write(&dir, "utf8-spec.json", bad);
    for (file, expected) in [
        (&s, "byte 0: the file starts with a UTF-8 byte-order mark"),
        (&u, "invalid UTF-8 at byte 30"),
    ] {
        let (code, _, err) = hyperabi(&["diff", file, file]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(expected) && err.contains(file.as_str()),
            "{err}"
        );
    }
    let d = write(
        &dir,
        "v-dump.json",
        r#"{"format_version": -1, "dumps": []}"#,
    );
    let (code, _, err) = hyperabi(&["check", "--dump", &d]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "register dump format_version -1 is not supported (this hyperabi reads format_version 1)"
        ),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every kind of file hyperabi reads refuses a newer `format_version` for what it is (not for a
/// field the newer format added), naming the file and the versions this build reads: exit 2.
#[test]
fn every_reader_refuses_a_newer_format_version_naming_the_file() {
    let dir = scratch("future");
    let newer = |name: &str, mut v: serde_json::Value| {
        v["format_version"] = serde_json::json!(99);
        v["added_by_version_99"] = serde_json::json!(true);
        write(&dir, name, serde_json::to_string_pretty(&v).unwrap())
    };
    let report = newer("report.json", data_report());
    let baseline = newer(
        "baseline.json",
        serde_json::from_str(&std::fs::read_to_string(repo("baselines/qemu-7.2.json")).unwrap())
            .unwrap(),
    );
    let dump = newer("dump.json", serde_json::json!({"dumps": []}));
    let (code, spec_text, err) = hyperabi(&["spec", "export", "--abi", "psci-arm64"]);
    assert_eq!(code, 0, "{err}");
    let current_spec = write(&dir, "current-spec.json", &spec_text);
    let spec = newer("spec.json", serde_json::from_str(&spec_text).unwrap());
    let allow = newer("allow.json", serde_json::json!({"allow": []}));
    let not_yet_blessed = dir.join("new-baseline.json");
    let reports = format!(
        "format_version {} to {}",
        conformance::report::json::OLDEST_VERSION,
        conformance::report::FORMAT_VERSION
    );
    let current = format!("format_version {}", abi_spec::FORMAT_VERSION);
    let allows = format!(
        "format_version {}",
        conformance::diff::allow::FORMAT_VERSION
    );
    for (args, file, kind, reads) in [
        (
            vec!["report", &report, "--format", "md"],
            &report,
            "report",
            &reports,
        ),
        (vec!["merge", &report, &report], &report, "report", &reports),
        (vec!["diff", &report, &report], &report, "report", &reports),
        (
            vec![
                "bless",
                "--target",
                "model",
                "--baseline",
                not_yet_blessed.to_str().unwrap(),
                "--from",
                &report,
            ],
            &report,
            "report",
            &reports,
        ),
        (
            vec!["run", "--target", "model", "--baseline", &baseline],
            &baseline,
            "baseline",
            &current,
        ),
        (
            vec!["check", "--dump", &dump],
            &dump,
            "register dump",
            &current,
        ),
        (
            vec!["diff", &spec, &current_spec],
            &spec,
            "spec export",
            &current,
        ),
        (
            vec!["diff", &current_spec, &current_spec, "--allow", &allow],
            &allow,
            "allow file",
            &allows,
        ),
    ] {
        let (code, out, err) = hyperabi(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        let expected = format!(
            "hyperabi: {file}: {kind} format_version 99 is not supported (this hyperabi reads \
             {reads})"
        );
        assert!(err.starts_with(&expected), "{args:?}: {err}");
    }
    assert!(!not_yet_blessed.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `diff` of two reports with no target in common is bad input naming both files, not an
/// empty comparison.
#[test]
fn diff_of_reports_without_a_common_target_names_both_files() {
    let dir = scratch("unpaired");
    let old = write(
        &dir,
        "old.json",
        serde_json::to_string(&data_report()).unwrap(),
    );
    let mut other = data_report();
    for (i, t) in other["targets"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        t["target"] = format!("unpaired{i}").into();
    }
    let new = write(&dir, "new.json", serde_json::to_string(&other).unwrap());
    let (code, out, err) = hyperabi(&["diff", &old, &new]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(
        err,
        format!(
            "hyperabi: {new}: no target of the report pairs with a target of {old} (by name or \
             family)\n"
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merge_of_counters_near_u32_max_is_refused_not_wrapped() {
    let dir = scratch("merge");
    let mut shards = Vec::new();
    for i in 1..=2u32 {
        let mut r = data_report();
        r["shard"] = serde_json::json!({"index": i, "count": 2});
        let t = &mut r["targets"][0];
        t["cases"] = serde_json::json!(if i == 1 {
            vec![t["cases"][0].clone()]
        } else {
            vec![]
        });
        t["clobbers"][0]["changed"] = (u32::MAX - 1).into();
        t["clobbers"][0]["of"] = (u32::MAX - 1).into();
        r["targets"] = serde_json::json!([r["targets"][0].clone()]);
        shards.push(write(
            &dir,
            &format!("s{i}.json"),
            serde_json::to_string(&r).unwrap(),
        ));
    }
    let (code, _, err) = hyperabi(&["merge", &shards[0], &shards[1]]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("more than 4294967295"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_of_an_export_with_zero_bit_narrow_does_not_panic() {
    let dir = scratch("narrow0");
    let (code, out, _) = hyperabi(&["spec", "export", "--abi", "psci-arm64"]);
    assert_eq!(code, 0);
    let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let abi = &mut v["abis"][0];
    assert!(
        !abi["narrow"].is_null()
            || abi["calls"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| !c["narrow"].is_null())
    );
    if !abi["narrow"].is_null() {
        abi["narrow"]["bits"] = 0.into();
    }
    for c in abi["calls"].as_array_mut().unwrap() {
        if !c["narrow"].is_null() {
            c["narrow"]["bits"] = 0.into();
        }
        // A changed result domain makes diff read values at the call's width (here 0 bits).
        if c["name"] == "cpu_suspend" {
            c["results"][0]["domain"] = serde_json::json!({
                "kind": "enum", "values": [{"name": "SUCCESS", "value": 0}]
            });
        }
    }
    let old = write(&dir, "old.json", &out);
    let new = write(&dir, "new.json", serde_json::to_string(&v).unwrap());
    let (code, _, err) = hyperabi(&["diff", &old, &new]);
    assert!(code == 1 || code == 2, "{code}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The processes whose parent is `pid`.
fn children_of(pid: u32) -> Vec<(u32, String)> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| {
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
            let (head, rest) = stat.rsplit_once(')')?;
            let ppid: u32 = rest.split_whitespace().nth(1)?.parse().ok()?;
            let comm = head.split_once('(')?.1.to_string();
            (ppid == pid).then_some((p, comm))
        })
        .collect()
}

#[test]
fn sigterm_stops_qemu_and_writes_the_partial_report() {
    let image = repo("target/guest-aarch64-virt/aarch64-unknown-none/release/hyperabi-guest");
    let qemu = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("qemu-system-aarch64").is_file()))
        .unwrap_or(false);
    if !qemu || !std::path::Path::new(&image).is_file() {
        let why = "needs qemu-system-aarch64 and `cargo xtask guests --arch aarch64-virt`";
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{why} (CI=true: a failure)"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let dir = scratch("sigterm");
    let out = dir.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_hyperabi"))
        .args([
            "run",
            "--target",
            "qemu7.2-aarch64,model",
            "--cases",
            "1000",
            "--seed",
            "1",
        ])
        .args(["--format", "json", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = run.id();
    let t0 = std::time::Instant::now();
    let qemu = loop {
        if let Some((p, _)) = children_of(pid)
            .into_iter()
            .find(|(_, c)| c.starts_with("qemu"))
        {
            break p;
        }
        assert!(t0.elapsed().as_secs() < 60, "QEMU never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    let kill = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let t1 = std::time::Instant::now();
    let end = run.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&end.stdout),
        String::from_utf8_lossy(&end.stderr),
    );
    assert!(
        // Checking and reporting the unrun cases takes a while in a debug build on a busy machine.
        t1.elapsed().as_secs() < 60,
        "took {:?} to stop",
        t1.elapsed()
    );
    assert_eq!(end.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(stderr.contains("SIGTERM: stopping the targets"), "{stderr}");
    // QEMU is gone (not re-parented to init and still running).
    std::thread::sleep(std::time::Duration::from_millis(200));
    let alive = std::fs::read_to_string(format!("/proc/{qemu}/stat")).is_ok_and(|s| {
        s.contains("qemu") && !s.rsplit_once(')').unwrap().1.trim_start().starts_with('Z')
    });
    assert!(!alive, "QEMU {qemu} survived hyperabi");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let targets = report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0]["target"], "qemu7.2-aarch64");
    assert_eq!(targets[0]["outcome"]["status"], "error");
    let reason = targets[0]["outcome"]["reason"].as_str().unwrap();
    assert!(reason.starts_with("interrupted by SIGTERM"), "{reason}");
    assert_eq!(
        targets[1]["outcome"]["reason"],
        "not started: interrupted by SIGTERM"
    );
    assert!(stdout.contains("interrupted by SIGTERM"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_guest_that_never_booted_is_not_blamed_on_a_case() {
    let image = repo("target/guest-aarch64-virt/aarch64-unknown-none/release/hyperabi-guest");
    if !std::path::Path::new(&image).is_file() {
        let why = "needs `cargo xtask guests --arch aarch64-virt`";
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{why} (CI=true: a failure)"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let dir = scratch("never-booted");
    let out = dir.join("out");
    // /bin/true as QEMU: every boot ends before the guest says anything.
    let (code, _, err) = hyperabi(&[
        "run",
        "--target",
        "qemu7.2-aarch64",
        "--qemu",
        "/bin/true",
        "--call",
        "psci_version",
        "--cases",
        "1",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 3, "{err}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let cases = report["targets"][0]["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for c in cases {
        let reason = c["reason"].as_str().unwrap_or("");
        assert!(
            !reason.contains("broke on this case"),
            "case {} blamed: {reason}",
            c["id"]
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
