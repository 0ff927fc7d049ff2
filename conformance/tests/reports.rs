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
            "<testsuites name=\"hyperabi\" tests=\"11\" skipped=\"2\" failures=\"2\"",
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
            good.replacen(
                &format!(
                    "\"format_version\": {}",
                    conformance::report::FORMAT_VERSION
                ),
                "\"format_version\": 99",
                1,
            ),
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
            for p in t.passed.iter_mut().flatten() {
                p.duration_ns = 0;
            }
        }
        r
    };
    let whole = read(&d("whole/report.json"));
    let merged = read(&d("merged.json"));
    assert!(whole.targets.iter().all(|t| t.tally().total() > 1000));
    assert!(whole.targets.iter().all(|t| t.passed_count() > 500));
    assert!(whole.targets.iter().any(|t| !t.clobbers.is_empty()));
    assert_eq!(merged, whole);
    std::fs::remove_dir_all(dir).unwrap();
}

fn run_model(dir: &std::path::Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    let mut args = vec![
        "run",
        "--target",
        "model,model-debug",
        "--seed",
        "0x9",
        "--cases",
        "16",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let (code, _, err) = hyperabi(&args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// The default report summarises passes: it counts the same cases as `--full`, keeps every
/// case that did not pass, is several times smaller (18x at `--cases 64`), and a baseline
/// blessed from it is the baseline blessed from the full report.
#[test]
fn default_report_summarises_passes_and_blesses_the_same() {
    let dir = scratch("summarised");
    let small = run_model(&dir, "default", &[]);
    let full = run_model(&dir, "full", &["--full"]);
    let read =
        |d: &std::path::Path| conformance::report::json::read(&d.join("report.json")).unwrap();
    let (s, f) = (read(&small), read(&full));
    assert_eq!(s.tally(), f.tally());
    for (ts, tf) in s.targets.iter().zip(&f.targets) {
        assert!(tf.passed.is_none());
        assert!(ts.passed.as_ref().is_some_and(|p| !p.is_empty()));
        for c in tf
            .cases
            .iter()
            .filter(|c| c.verdict != conformance::report::Verdict::Pass)
        {
            // A call never planned keeps its reason, not the arguments it never ran with.
            let mut c = c.clone();
            if conformance::report::groups::never_planned(&c) {
                c.args.clear();
            }
            assert!(ts.cases.contains(&c), "{c:?}");
        }
    }
    let size = |d: &std::path::Path, f: &str| std::fs::metadata(d.join(f)).unwrap().len();
    let (f, s_) = (size(&full, "report.json"), size(&small, "report.json"));
    assert!(f >= 5 * s_, "report.json: {f} (--full) vs {s_}");
    let bless = |d: &std::path::Path| {
        let b = d.join("baseline.json");
        let (code, _, err) = hyperabi(&[
            "bless",
            "--from",
            d.join("report.json").to_str().unwrap(),
            "--baseline",
            b.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        std::fs::read_to_string(b).unwrap()
    };
    let baseline = bless(&small);
    assert!(baseline.contains("\"stable\""), "{baseline}");
    assert_eq!(baseline, bless(&full));
    // Re-rendering a summarised report gives the files the run wrote.
    for (format, file) in [
        ("json", "report.json"),
        ("md", "report.md"),
        ("html", "report.html"),
        ("junit", "report.junit.xml"),
    ] {
        let (code, out, _) = hyperabi(&[
            "report",
            small.join("report.json").to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(code, 0);
        assert_eq!(
            out,
            std::fs::read_to_string(small.join(file)).unwrap(),
            "{format}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Known failures are summarised like passes: a model run with an injected fault, gated by a
/// baseline that knows all its failures but one kind, counts the same cases in the default
/// report as in `--full`, keeps every new failure whole and the first cases of each group of
/// known failures, blesses the same baseline, and `hyperabi diff` finds no difference between
/// the two reports.
#[test]
fn default_report_summarises_known_failures_and_keeps_new_ones() {
    use conformance::report::{Status, Verdict};
    let dir = scratch("known");
    let base = dir.join("baseline.json");
    let common = [
        "--target",
        "model",
        "--seed",
        "0x9",
        "--cases",
        "16",
        "--fault",
        "clobber-preserved",
        "--baseline",
    ];
    let mut args = vec!["bless"];
    args.extend(common);
    args.push(base.to_str().unwrap());
    let (code, _, err) = hyperabi(&args);
    assert_eq!(code, 0, "{err}");
    // One known failure less: its cases are new failures.
    let mut b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    let known = b["targets"]["model"]["known"].as_array_mut().unwrap();
    assert!(known.len() > 10, "{known:?}");
    let dropped = known.remove(0);
    std::fs::write(&base, b.to_string()).unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.join(name);
        let mut args = vec!["run"];
        args.extend(common);
        args.extend([base.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        args.extend(extra);
        let (code, _, err) = hyperabi(&args);
        assert_eq!(code, 1, "{args:?}: {err}");
        out
    };
    let (small, full) = (run("default", &[]), run("full", &["--full"]));
    let read =
        |d: &std::path::Path| conformance::report::json::read(&d.join("report.json")).unwrap();
    let (s, f) = (read(&small), read(&full));
    assert_eq!(s.tally(), f.tally());
    assert!(
        f.tally().known > 1000 && f.tally().fail > 0,
        "{:?}",
        f.tally()
    );
    let (ts, tf) = (&s.targets[0], &f.targets[0]);
    assert!(tf.known_failures.is_none());
    let summarised = ts.known_failures.as_ref().unwrap();
    assert!(!summarised.is_empty());
    // Every new failure whole, each with the dropped entry's kind.
    let new: Vec<_> = tf
        .cases
        .iter()
        .filter(|c| c.status() == Status::Fail)
        .collect();
    assert!(!new.is_empty());
    for c in new {
        assert!(ts.cases.contains(c), "{c:?}");
        assert!(c.violations.iter().any(|v| v.kind == dropped["kind"]));
    }
    // Per group, the first three known failures whole (with their registers and values).
    for k in summarised {
        let examples: Vec<_> = ts
            .cases
            .iter()
            .filter(|c| {
                c.status() == Status::Known
                    && c.abi == k.abi
                    && c.call == k.call
                    && c.label != "documented values"
            })
            .filter(|c| conformance::report::groups::kinds(c) == k.kinds)
            .filter(|c| c.known.as_deref() == Some(k.reason.as_str()))
            .collect();
        assert!(
            (1..=3).contains(&examples.len()),
            "{}::{}: {examples:?}",
            k.abi,
            k.call
        );
        for e in examples {
            assert!(e.violations.iter().all(|v| v.observed.is_some()), "{e:?}");
            assert!(tf.cases.contains(e));
        }
    }
    assert!(ts
        .cases
        .iter()
        .all(|c| c.verdict != Verdict::Pass || tf.cases.contains(c)));
    let size = |d: &std::path::Path, f: &str| std::fs::metadata(d.join(f)).unwrap().len();
    // The grouped formats (HTML, JUnit, Markdown) list groups either way; JSON and TAP list
    // cases. The fault breaks every call (334 groups here, each with its examples), so the
    // gain is less than in a real run, where a few groups hold hundreds of cases.
    for file in ["report.json", "report.tap"] {
        let (fs, ss) = (size(&full, file), size(&small, file));
        assert!(fs >= 3 * ss, "{file}: {fs} (--full) vs {ss}");
    }
    // A baseline blessed from either is the same.
    let bless = |d: &std::path::Path| {
        let b = d.join("blessed.json");
        let (code, _, err) = hyperabi(&[
            "bless",
            "--from",
            d.join("report.json").to_str().unwrap(),
            "--baseline",
            b.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        std::fs::read_to_string(b).unwrap()
    };
    assert_eq!(bless(&small), bless(&full));
    // Two reports of one run: no difference, either way round.
    let (a, b) = (full.join("report.json"), small.join("report.json"));
    for (x, y) in [(&a, &b), (&b, &a)] {
        let (code, out, err) = hyperabi(&["diff", x.to_str().unwrap(), y.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(out, "model -> model: 0 difference(s)\n");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// The HTML page of a real run opens on the verdict, then the matrix; the identities come
/// after it, collapsed; calls never planned are told apart from skipped cases.
#[test]
fn html_opens_on_the_verdict_and_the_matrix() {
    let dir = scratch("html-order");
    let out = run_model(&dir, "run", &[]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in the page"))
    };
    let verdict = at(
        "<h1 id=\"verdict\">hyperabi conformance: <span class=\"badge v-pass\">pass</span></h1>",
    );
    let matrix = at("<table class=\"matrix\">");
    let targets = at("<h2>Targets</h2>");
    assert!(verdict < matrix && matrix < targets);
    // Nothing but the verdict, its counts and the matrix' legend before the matrix.
    assert_eq!(html[..matrix].matches("<table").count(), 0);
    assert!(html[..matrix].contains("No new failure, no error."));
    // Every identity table is inside a collapsed <details>.
    for part in html.split("<details class=\"target\"").skip(1) {
        let body = &part[..part.find("</details>").unwrap()];
        assert!(body.starts_with(" id=\"target-"), "{body}");
        assert!(body.contains("<td>hypervisor</td>"));
    }
    assert_eq!(html.matches("<details class=\"target\" id=").count(), 2);
    // The spec's disruptive calls: listed once as never planned, not as skipped cases.
    let never = at("<details id=\"never-planned\"><summary>Never planned:");
    assert!(never > matrix && never < targets);
    assert!(html.contains("(spec: disruptive); never planned</td><td>model, model-debug</td>"));
    let matrix_html = &html[matrix..never];
    assert!(
        !matrix_html.contains("disruptive"),
        "a never-planned call became a matrix row"
    );
    assert!(
        matrix_html.contains(" skip</a></td>"),
        "case skips still show as skips"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// Nothing regressed: the pull-request comment shows the verdict and the target table, and
/// everything else is collapsed, so it fits one screen.
#[test]
fn markdown_fits_one_screen_when_nothing_regressed() {
    let dir = scratch("md-screen");
    let out = run_model(&dir, "run", &[]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let mut visible = 0;
    let mut depth = 0;
    for line in md.lines() {
        if line.starts_with("<details>") {
            depth += 1;
            visible += 1; // the summary line
        }
        if depth == 0 && !line.trim().is_empty() {
            visible += 1;
        }
        if line.starts_with("</details>") {
            depth -= 1;
        }
    }
    assert!(visible <= 15, "{visible} visible lines:\n{md}");
    assert!(md.starts_with("## hyperabi conformance: PASS\n"), "{md}");
    assert!(md.contains("<details><summary>Never planned: "), "{md}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The terminal summary groups failures like the reports: a line per (ABI, call, violation
/// kinds) with the count and the case ids, then the example's violations, a few groups per
/// target, and one line for what was not run.
#[test]
fn terminal_summary_groups_failures() {
    let (code, out, err) = hyperabi(&[
        "run",
        "--target",
        "model",
        "--abi",
        "xen-arm64",
        "--cases",
        "3",
        "--seed",
        "0x9",
        "--fault",
        "clobber-preserved",
    ]);
    assert_eq!(code, 1, "{err}");
    let fails: Vec<&str> = out.lines().filter(|l| l.starts_with("  FAIL ")).collect();
    assert_eq!(fails.len(), 5, "{out}");
    assert!(
        fails[0].starts_with("  FAIL xen-arm64::sched_op_compat preserved_changed"),
        "{out}"
    );
    assert!(
        fails[0].contains(" x") && fails[0].contains("(cases "),
        "{out}"
    );
    assert!(out.contains("  ... and "), "{out}");
    assert!(
        out.contains(" more groups of failures (see report.md)\n"),
        "{out}"
    );
    assert!(
        out.contains("calls never planned (noreturn, disruptive or excluded)"),
        "{out}"
    );
    assert!(out.lines().count() < 30, "{out}");
}
