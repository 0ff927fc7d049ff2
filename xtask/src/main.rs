//! `cargo xtask`: the project's own automation.
//!
//! - `setup`   install the system packages the project needs (Debian), idempotently
//! - `test`    everything CI runs: setup, fmt, clippy, tests, cross builds of every arch
//! - `codegen` write the checked-in generated files (docs/abi/); `--check` fails when they are stale
//! - `conform` the main job
//! - `bench`   performance figures (printed, never asserted)
//! - `cross`   the cross builds of `test` alone
//! - `guests`  the bare-metal guest images (`--arch A[,B]` for some)

mod bench;
mod codegen;
mod cross;
mod guests;
mod mutants;
mod setup;
mod xen;

use std::process::{Command, ExitCode};

fn usage() -> ExitCode {
    eprintln!("usage: cargo xtask <setup|test|codegen [--check]|conform|bench [--cold]|cross|guests [--arch A]>");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("test") => test(),
        Some("codegen") => codegen::run(&args[1..]),
        Some("conform") => conform(),
        Some("bench") => bench::run(&args[1..]),
        Some("cross") => cross::build_all(),
        Some("guests") => guests::run_cli(&args[1..]),
        Some("mutants") => mutants::run_cli(&args[1..]),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// Runs a command from the workspace root (unless it names its own directory), echoing it; fails
/// with its exit status.
pub fn run(cmd: &mut Command) -> Result {
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

fn describe(cmd: &Command) -> String {
    let envs: Vec<String> = cmd
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut s = envs.join(" ");
    if !s.is_empty() {
        s.push(' ');
    }
    s.push_str(&cmd.get_program().to_string_lossy());
    for a in args {
        s.push(' ');
        s.push_str(&a);
    }
    s
}

pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn test() -> Result {
    setup::run()?;
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The QEMU tests in runners/tests boot these images.
    guests::run_cli(&[])?;
    run(cargo().args(["test", "--workspace"]))?;
    xen_conformance()?;
    codegen::run(&["--check".to_string()])?;
    qemu_gate()?;
    cross::build_all()?;
    Ok(())
}

/// The real Xen targets.
const XEN_TARGETS: &str = "xen-arm64,xen-arm64-debug,xen-x86_64,xen-x86_64-debug";

/// Every QEMU firmware target.
const QEMU_TARGETS: &str = "qemu-aarch64,qemu-arm,qemu-s390x,qemu-ppc64,qemu-riscv64";

/// The QEMU targets as a CI gate: 64 generated cases per call against the QEMU 7.2 baseline.
fn qemu_gate() -> Result {
    gate(
        QEMU_TARGETS,
        &["--cases", "64"],
        "baselines/qemu-7.2.json",
        "target/qemu-gate",
    )
}

/// The four Xen targets (real Xen 4.17 under QEMU, the guest harness as dom0; about 20 s
/// together) against their committed baseline.
fn xen_conformance() -> Result {
    gate(
        XEN_TARGETS,
        &[],
        "baselines/xen-4.17.json",
        "target/xen-conform",
    )
}

/// `hyperabi run` as a CI gate: a fixed seed (a red gate is reproducible), the committed
/// baseline, reports in `out`. A target that cannot run fails it (exit 3), so a machine without
/// QEMU or the hypervisors (`cargo xtask setup` installs and builds them) fails here.
fn gate(targets: &str, extra: &[&str], baseline: &str, out: &str) -> Result {
    run(cargo()
        .args([
            "run",
            "--quiet",
            "-p",
            "conformance",
            "--",
            "run",
            "--target",
            targets,
        ])
        .args(["--seed", "0x5eed"])
        .args(extra)
        .args(["--baseline", baseline, "--out"])
        .arg(root().join(out)))
}

/// The main job: the conformance suite over every target this machine can run (a fresh seed each
/// time, printed), gated by the committed baselines; reports in `target/conform/`.
fn conform() -> Result {
    setup::run()?;
    guests::run_cli(&[])?;
    let out = root().join("target/conform");
    let out = out.to_string_lossy();
    run(cargo().args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "conformance",
        "--",
        "run",
        "--target",
        &format!("model,model-debug,{QEMU_TARGETS},{XEN_TARGETS}"),
        "--cases",
        "64",
        "--baseline",
        "baselines/qemu-7.2.json",
        "--baseline",
        "baselines/xen-4.17.json",
        "--out",
        &out,
    ]))?;
    println!("reports: {out}/report.{{json,junit.xml,tap,md,html}}");
    Ok(())
}
