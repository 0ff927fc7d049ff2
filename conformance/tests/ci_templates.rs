//! The CI templates (`ci/github-actions.yml`, `ci/gitlab-ci.yml`) run locally: their `hyperabi`
//! steps are read from the YAML, rendered with the CI system's matrix variables (GitHub's
//! `matrix.shard` and `strategy.job-total`, GitLab's `CI_NODE_INDEX` and `CI_NODE_TOTAL`, one
//! job per shard) and run by bash in a scratch directory against the model target, then the
//! merge and gate steps. The merged report equals the unsharded run, and the gate passes on
//! it and fails on a regression.

use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(name: &str) -> Yaml {
    let text = std::fs::read_to_string(repo().join("ci").join(name)).unwrap();
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("ci/{name}: {e}"))
        .remove(0)
}

/// A scratch directory with the repository's baselines, as a CI checkout has them.
fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hyperabi-ci-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(repo().join("baselines"), dir.join("baselines")).unwrap();
    dir
}

/// Runs `script` with bash (`-e`, as both CI systems do) in `dir`, `hyperabi` on the PATH.
fn bash(dir: &Path, script: &str, env: &[(&str, String)]) -> (i32, String) {
    assert!(
        !script.contains("${{"),
        "unrendered expression in:\n{script}"
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_hyperabi")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("GITHUB_STEP_SUMMARY")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The template's own variables, the targets and cases replaced by the model's; the model has no
/// baseline (a baseline that names none of the run's targets is a usage error), so every failure
/// fails the gate.
fn variables(vars: &Yaml, extra: &str) -> Vec<(&'static str, String)> {
    assert!(vars["HYPERABI_BASELINES"]
        .as_str()
        .is_some_and(|b| b.contains("--baseline baselines/")));
    assert!(vars["HYPERABI_TARGETS"].as_str().is_some());
    assert!(vars["HYPERABI_SEED"].as_str().is_some());
    vec![
        ("HYPERABI_TARGETS", "model,model-debug".into()),
        ("HYPERABI_CASES", "3".into()),
        ("HYPERABI_BASELINES", extra.to_string()),
        ("HYPERABI_SEED", "4242".into()),
    ]
}

/// The unsharded run with the same seed and cases, for comparison.
fn whole(dir: &Path) -> conformance::report::Report {
    let out = dir.join("whole");
    let (code, log) = bash(
        dir,
        &format!(
            "hyperabi run --target model,model-debug --cases 3 --seed 4242 --out {}",
            out.display()
        ),
        &[],
    );
    assert_eq!(code, 0, "{log}");
    normalised(&out.join("report.json"))
}

fn normalised(path: &Path) -> conformance::report::Report {
    let mut r = conformance::report::json::read(path).unwrap();
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
}

fn check_merged(dir: &Path) {
    for f in [
        "report.json",
        "report.md",
        "report.html",
        "report.junit.xml",
    ] {
        assert!(dir.join("merged").join(f).is_file(), "merged/{f}");
    }
    let md = std::fs::read_to_string(dir.join("merged/report.md")).unwrap();
    assert!(md.starts_with("## hyperabi conformance: PASS"), "{md}");
    assert_eq!(normalised(&dir.join("merged/report.json")), whole(dir));
}

#[test]
fn github_actions_template_runs_locally_on_the_model_target() {
    let doc = load("github-actions.yml");
    let shards: Vec<i64> = doc["jobs"]["conform"]["strategy"]["matrix"]["shard"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|s| s.as_i64().unwrap())
        .collect();
    assert!(shards.len() >= 2, "{shards:?}");
    let steps = |job: &str| -> Vec<String> {
        doc["jobs"][job]["steps"]
            .as_vec()
            .unwrap()
            .iter()
            .filter(|s| {
                s["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("hyperabi:"))
            })
            .map(|s| s["run"].as_str().unwrap().to_string())
            .collect()
    };
    let (conform, report) = (steps("conform"), steps("report"));
    assert_eq!((conform.len(), report.len()), (1, 2));
    assert!(doc["env"]["HYPERABI_SEED"]
        .as_str()
        .unwrap()
        .contains("github.run_id"));

    for (case, extra, gate) in [
        ("clean", "", 0),
        ("regression", "--fault clobber-preserved", 1),
    ] {
        let dir = workdir(&format!("github-{case}"));
        let env = variables(&doc["env"], extra);
        // One job per matrix entry.
        for i in &shards {
            let script = conform[0]
                .replace("${{ matrix.shard }}", &i.to_string())
                .replace("${{ strategy.job-total }}", &shards.len().to_string());
            let (code, log) = bash(&dir, &script, &env);
            assert_eq!(
                code, 0,
                "shard {i}: the step records the status, never fails:\n{log}"
            );
        }
        let (code, log) = bash(&dir, &report[0], &env);
        assert_eq!(code, 0, "{log}");
        let (code, log) = bash(&dir, &report[1], &env);
        assert_eq!(code, gate, "{case}: {log}");
        if gate == 0 {
            check_merged(&dir);
        } else {
            let md = std::fs::read_to_string(dir.join("merged/report.md")).unwrap();
            assert!(md.contains("### New failures (regressions)"), "{md}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn gitlab_ci_template_runs_locally_on_the_model_target() {
    let doc = load("gitlab-ci.yml");
    let n = doc["hyperabi-conform"]["parallel"].as_i64().unwrap();
    assert!(n >= 2);
    let scripts = |job: &str| -> Vec<String> {
        doc[job]["script"]
            .as_vec()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .filter(|s| s.starts_with("# hyperabi:"))
            .collect()
    };
    let (conform, report) = (scripts("hyperabi-conform"), scripts("hyperabi-report"));
    assert_eq!((conform.len(), report.len()), (1, 2));
    assert_eq!(
        doc["variables"]["HYPERABI_SEED"].as_str(),
        Some("$CI_PIPELINE_ID")
    );
    assert_eq!(
        doc["hyperabi-report"]["artifacts"]["reports"]["junit"].as_str(),
        Some("merged/report.junit.xml")
    );

    let dir = workdir("gitlab");
    let env = variables(&doc["variables"], "");
    for i in 1..=n {
        let mut env = env.clone();
        env.push(("CI_NODE_INDEX", i.to_string()));
        env.push(("CI_NODE_TOTAL", n.to_string()));
        let (code, log) = bash(&dir, &conform[0], &env);
        assert_eq!(code, 0, "shard {i}:\n{log}");
    }
    let (code, log) = bash(&dir, &report[0], &env);
    assert_eq!(code, 0, "{log}");
    let (code, log) = bash(&dir, &report[1], &env);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("-> 0"), "{log}");
    check_merged(&dir);
    std::fs::remove_dir_all(dir).unwrap();
}
