//! `cargo xtask bench`: figures, printed. Nothing here asserts a speed.

use std::time::Instant;

use crate::{root, Result};

/// Every section, or only `section` (`targets`).
pub fn run(cold: bool, section: Option<&str>) -> Result {
    match section {
        None => {}
        Some("targets") => return targets(),
        Some(other) => return Err(format!("bench: no section `{other}` (known: targets)")),
    }
    macro_expansion()?;
    engine()?;
    guests(cold)?;
    setup_costs();
    targets()
}

/// Planning and checking through the model backend, built in release (the engine's speed in
/// a debug build says nothing).
fn engine() -> Result {
    println!();
    println!("engine: conformance/examples/engine_bench.rs, release profile");
    crate::run(std::process::Command::new(env!("CARGO")).args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "conformance",
        "--example",
        "engine_bench",
    ]))
}

/// Per boot environment: guest image build time (cold into a fresh target dir with `--cold`;
/// warm = nothing changed, and after touching the guest's main.rs).
fn guests(cold: bool) -> Result {
    println!();
    println!("guests: image build (s)");
    println!(
        "{:<16} {:>8} {:>8} {:>9}",
        "environment", "cold", "no-op", "touched"
    );
    let main_rs = root().join("runners/guest/src/main.rs");
    for env in runners::catalog::BOOT_ENVS {
        let cold_s = if cold {
            let dir = root().join("target/guest-cold");
            let _ = std::fs::remove_dir_all(&dir);
            let d = crate::guests::build_in(env.name, "../../target/guest-cold")?;
            let _ = std::fs::remove_dir_all(&dir);
            format!("{:.1}", d.as_secs_f64())
        } else {
            "-".into()
        };
        crate::guests::build(env.name)?;
        let noop = crate::guests::build(env.name)?;
        let text = std::fs::read(&main_rs).map_err(|e| e.to_string())?;
        std::fs::write(&main_rs, &text).map_err(|e| e.to_string())?;
        let touched = crate::guests::build(env.name)?;
        println!(
            "{:<16} {:>8} {:>8.2} {:>9.2}",
            env.name,
            cold_s,
            noop.as_secs_f64(),
            touched.as_secs_f64(),
        );
    }
    if !cold {
        println!("(cold builds: cargo xtask bench --cold; each rebuilds core)");
    }
    Ok(())
}

/// What setup took per component, from the `MANIFEST` the run that fetched or built it wrote.
fn setup_costs() {
    println!();
    println!(
        "setup: per component, from target/components/<id>/MANIFEST (the fetching run's time)"
    );
    for c in runners::catalog::COMPONENTS {
        let manifest = crate::components::manifest(c);
        let field = |k: &str| {
            manifest
                .iter()
                .find(|(key, _)| key == k)
                .map_or("-".to_string(), |(_, v)| v.clone())
        };
        let state = match c.origin {
            runners::catalog::Origin::System { .. } => "apt (system)".to_string(),
            _ if manifest.is_empty() => "not set up".to_string(),
            _ => format!("{} s", field("seconds")),
        };
        println!("{:<22} {:<26} {}", c.id, c.origin_kind(), state);
    }
    println!("(cached: a second `cargo xtask setup` only checks the manifests)");
}

/// `hyperabi run` of `targets` as the gate runs it (seed 0x5eed, 64 cases per call, `baselines`),
/// reports in `out`, output discarded.
fn gate_run(
    bin: &std::path::Path,
    targets: &[&str],
    baselines: &[&str],
    out: &std::path::Path,
    jobs: usize,
) -> Result<std::process::ExitStatus> {
    let mut cmd = std::process::Command::new(bin);
    cmd.args(["run", "--target", &targets.join(",")]).args([
        "--seed",
        "0x5eed",
        "--cases",
        "64",
        "--jobs",
        &jobs.to_string(),
    ]);
    for b in baselines {
        cmd.arg("--baseline").arg(root().join(b));
    }
    cmd.arg("--out")
        .arg(out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("{}: {e}", bin.display()))
}

/// Per target of the catalogue, in one release run each with the gate's seed, cases and
/// baseline (its exclusions keep calls that hang an implementation out): boot to the first
/// result, checked cases per second, and wall; then the whole matrix in one run, as
/// `cargo xtask conform` runs it.
fn targets() -> Result {
    crate::run(crate::cargo().args(["build", "--quiet", "--release", "-p", "conformance"]))?;
    let bin = root().join("target/release/hyperabi");
    let out = root().join("target/bench-targets");
    println!();
    println!("targets: hyperabi run --seed 0x5eed --cases 64, one target per run (release build)");
    println!(
        "{:<30} {:>7} {:>12} {:>10} {:>10}  identity",
        "target", "cases", "first (ms)", "cases/s", "wall (ms)"
    );
    for t in runners::catalog::TARGETS {
        if let Some(why) = runners::kvm_host::left_out(t) {
            println!("{:<30} left out: {why}", t.name);
            continue;
        }
        let dir = out.join(t.name);
        // No stale report can stand in for a run that wrote none.
        let _ = std::fs::remove_dir_all(&dir);
        let start = Instant::now();
        let status = gate_run(&bin, &[t.name], t.baseline.as_slice(), &dir, 1)?;
        let wall = start.elapsed();
        let Ok(r) = conformance::report::json::read(&dir.join("report.json")) else {
            println!("{:<30} no report (exit {status})", t.name);
            continue;
        };
        let target = &r.targets[0];
        // Every case, the ones the default report summarises included.
        let cases = target.tally().total();
        let run_ms = target.timings.run_ms;
        let first = target
            .timings
            .first_result_ms
            .map_or("-".into(), |v| format!("{v:.0}"));
        let outcome = target.outcome.as_str();
        let id = &target.identity;
        println!(
            "{:<30} {:>7} {:>12} {:>10.0} {:>10.0}  {} {} ({outcome})",
            t.name,
            cases,
            first,
            if run_ms > 0.0 {
                cases as f64 / (run_ms / 1e3)
            } else {
                0.0
            },
            wall.as_secs_f64() * 1e3,
            id.hypervisor,
            id.version,
        );
    }
    let start = Instant::now();
    let baselines: Vec<&str> = runners::matrix_baselines()
        .into_iter()
        .map(|(b, _)| b)
        .collect();
    let matrix: Vec<&str> = runners::default_matrix().iter().map(|t| t.name).collect();
    let jobs = crate::jobs();
    let status = gate_run(&bin, &matrix, &baselines, &out.join("matrix"), jobs)?;
    println!(
        "whole matrix ({} targets, one run, --jobs {jobs}): {:.1} s wall ({status})",
        matrix.len(),
        start.elapsed().as_secs_f64()
    );
    // The nested-KVM part alone (not the HYP stub targets, whose kernel runs no KVM): every
    // boot pays a Linux boot under TCG.
    let nested_kvm = |t: &&runners::catalog::TargetSpec| {
        t.backend == runners::catalog::Backend::Kvm && t.kernel.is_some_and(|k| k.headers.is_none())
    };
    let kvm: Vec<&str> = runners::catalog::TARGETS
        .iter()
        .filter(nested_kvm)
        .map(|t| t.name)
        .collect();
    let mut kvm_baselines: Vec<&str> = runners::catalog::TARGETS
        .iter()
        .filter(nested_kvm)
        .filter_map(|t| t.baseline)
        .collect();
    kvm_baselines.dedup();
    let start = Instant::now();
    let status = gate_run(&bin, &kvm, &kvm_baselines, &out.join("kvm"), jobs)?;
    println!(
        "KVM targets ({}, one run, --jobs {jobs}): {:.1} s wall ({status})",
        kvm.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// How long `hypercall_abi!` takes to expand each invocation in `specs/src`, measured by calling
/// the pipeline (`abi_dsl::expand`) on the invocation's tokens, as rustc would.
fn macro_expansion() -> Result {
    let dir = root().join("specs/src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let profile = if cfg!(debug_assertions) {
        "dev (as cargo builds proc-macros)"
    } else {
        "release"
    };
    println!(
        "hypercall_abi! expansion: abi_dsl::expand on each invocation's tokens, {profile} profile"
    );
    println!(
        "{:<28} {:>6} {:>8} {:>12} {:>12}",
        "invocation", "calls", "runs", "mean", "bytes out"
    );
    for path in files {
        let src = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = syn::parse_file(&src).map_err(|e| format!("{}: {e}", path.display()))?;
        for item in file.items {
            let syn::Item::Macro(m) = item else { continue };
            let name = m.mac.path.segments.last().map(|s| s.ident.to_string());
            if name.as_deref() != Some("hypercall_abi") {
                continue;
            }
            let tokens = m.mac.tokens.clone();
            let name = ident_of(&tokens);
            let calls = count_calls(&tokens);
            let out_len = abi_dsl::expand(tokens.clone()).to_string().len();
            let runs = 200;
            let start = Instant::now();
            for _ in 0..runs {
                std::hint::black_box(abi_dsl::expand(tokens.clone()));
            }
            let mean = start.elapsed() / runs;
            println!(
                "{:<28} {:>6} {:>8} {:>10.3?} {:>12}",
                name, calls, runs, mean, out_len
            );
        }
    }
    Ok(())
}

fn count_calls(tokens: &proc_macro2::TokenStream) -> usize {
    let Ok(input) = syn::parse2::<abi_dsl::parse::Input>(tokens.clone()) else {
        return 0;
    };
    input
        .abis
        .iter()
        .flat_map(|a| &a.fields)
        .map(|f| match &f.value {
            abi_dsl::parse::FieldValue::Calls(c) => c.len(),
            _ => 0,
        })
        .sum()
}

fn ident_of(tokens: &proc_macro2::TokenStream) -> String {
    let mut it = tokens.clone().into_iter();
    while let Some(t) = it.next() {
        if t.to_string() == "abi" {
            if let Some(i) = it.next() {
                return i.to_string();
            }
        }
    }
    "?".into()
}
