//! The engine through the `hyperabi` binary: runs, faults, baselines, shards and dumps, as CI
//! and a person use them.

use std::path::Path;
use std::process::Command;

use conformance::engine::run_target;
use conformance::plan::{plan, PlanConfig};
use runners::model::Model;

fn hyperabi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hyperabi"))
        .args(args)
        .env_remove("CI")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn the_model_run_of_every_abi_passes_and_writes_its_report() {
    let dir = tempdir("run");
    let (code, out, err) = hyperabi(&[
        "run",
        "--target",
        "model,model-debug",
        "--seed",
        "0x5eed",
        "--out",
        &dir,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("seed 0x5eed"), "{err}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/report.json")).unwrap())
            .unwrap();
    assert_eq!(report["seed"], "0x5eed");
    assert_eq!(report["targets"].as_array().unwrap().len(), 2);
}

#[test]
fn each_fault_fails_the_run_and_names_the_violation() {
    for (fault, words) in [
        ("clobber-preserved", "preserved register changed"),
        ("result-in-wrong-register", "result in the wrong register"),
        ("ignore-must-be-zero", "invalid argument not rejected"),
        ("accept-unknown", "unknown number not answered"),
        ("raise-exception", "exception where a return was due"),
        ("caller-disagrees", "generated caller and probe disagree"),
    ] {
        let (code, out, err) = hyperabi(&[
            "run", "--target", "model", "--fault", fault, "--seed", "1", "--cases", "2",
        ]);
        assert_eq!(code, 1, "{fault}: {out}{err}");
        assert!(out.contains(words), "{fault}: {out}");
    }
}

#[test]
fn a_baseline_accepts_known_failures_and_catches_new_ones() {
    let dir = tempdir("baseline");
    let b = format!("{dir}/b.json");
    let (code, out, _) = hyperabi(&[
        "bless",
        "--target",
        "model",
        "--fault",
        "accept-unknown",
        "--seed",
        "3",
        "--baseline",
        &b,
    ]);
    assert_eq!(code, 0, "{out}");
    // The same fault under another seed: known, the gate passes.
    let (code, out, _) = hyperabi(&[
        "run",
        "--target",
        "model",
        "--fault",
        "accept-unknown",
        "--seed",
        "4",
        "--baseline",
        &b,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no regression"), "{out}");
    // Another fault: a regression.
    let (code, out, _) = hyperabi(&[
        "run",
        "--target",
        "model",
        "--fault",
        "clobber-preserved",
        "--seed",
        "4",
        "--baseline",
        &b,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("regression"), "{out}");
}

#[test]
fn malformed_baselines_exit_2_naming_the_file() {
    let dir = tempdir("badbase");
    let b = format!("{dir}/b.json");
    std::fs::write(
        &b,
        "{\"format_version\": 1, \"targets\": {\"model\": {\"known\": [ {\"abi\": 1} ]}}}",
    )
    .unwrap();
    let (code, _, err) = hyperabi(&["run", "--target", "model", "--baseline", &b]);
    assert_eq!(code, 2);
    assert!(err.contains(&b) && err.contains(":1:"), "{err}");
    std::fs::write(&b, "{\"format_version\": 99, \"targets\": {}}").unwrap();
    let (code, _, err) = hyperabi(&["run", "--target", "model", "--baseline", &b]);
    assert_eq!(code, 2);
    assert!(err.contains("format_version 99"), "{err}");
}

#[test]
fn shards_together_are_the_whole_run() {
    let config = PlanConfig {
        seed: 9,
        cases_per_call: 8,
        calls: Vec::new(),
        callers: true,
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
    };
    let whole = plan(specs::all(), &config);
    let mut model = Model::new(specs::all());
    let all = run_target(&mut model, &whole, 0.0);
    let mut cases = Vec::new();
    for i in 1..=3 {
        let mut p = whole.clone();
        p.shard(i, 3);
        cases.extend(run_target(&mut model, &p, 0.0).cases);
    }
    cases.sort_by_key(|c| c.id);
    assert_eq!(cases, all.cases);
}

#[test]
fn plans_are_reproducible_from_the_seed() {
    let config = PlanConfig {
        seed: 42,
        cases_per_call: 8,
        calls: Vec::new(),
        callers: true,
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
    };
    let a = plan(specs::all(), &config);
    let b = plan(specs::all(), &config);
    assert_eq!(
        a.encode(abi_spec::Arch::Aarch64),
        b.encode(abi_spec::Arch::Aarch64)
    );
    let other = plan(specs::all(), &PlanConfig { seed: 43, ..config });
    assert_ne!(
        a.encode(abi_spec::Arch::Aarch64),
        other.encode(abi_spec::Arch::Aarch64)
    );
}

#[test]
fn recorded_dumps_are_checked() {
    let (code, out, err) = hyperabi(&["check", "--dump", &fixture("dump_good.json")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 pass"), "{out}");
    let (code, out, _) = hyperabi(&["check", "--dump", &fixture("dump_bad_values.json")]);
    assert_eq!(code, 1);
    assert!(out.contains("xen-arm64::xen_version(): preserved register changed in x2 (preserved); expected 0x77 (preserved), observed 0x0"), "{out}");
}

#[test]
fn malformed_dumps_exit_2_with_the_file_and_the_problem() {
    let (code, _, err) = hyperabi(&["check", "--dump", &fixture("dump_unknown_register.json")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("dump_unknown_register.json: at dumps[0]: `rax` is not a aarch64 register"),
        "{err}"
    );
    let (code, _, err) = hyperabi(&["check", "--dump", &fixture("dump_truncated.json")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("dump_truncated.json:") && err.contains("not valid JSON"),
        "{err}"
    );
}

fn tempdir(tag: &str) -> String {
    let d = std::env::temp_dir().join(format!("hyperabi-test-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.display().to_string()
}
