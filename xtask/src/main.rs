//! `cargo xtask`: the project's own automation.
//!
//! - `setup`   install the system packages the project needs (Debian), idempotently
//! - `test`    everything CI runs: setup, fmt, clippy, tests, cross builds of every arch
//! - `codegen` write the checked-in generated files (docs/abi/); `--check` fails when they are stale
//! - `conform` the main job
//! - `bench`   performance figures (printed, never asserted); `bench targets` the targets alone
//! - `cross`   the cross builds of `test` alone
//! - `guests`  the bare-metal guest images (`--arch A[,B]` for some)

mod bench;
mod codegen;
mod components;
mod cross;
mod guests;
mod mutants;
mod setup;
mod xen;

use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

/// The project's own automation.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install the Debian packages and fetch or build the catalogue's components, idempotently.
    Setup,
    /// Everything CI runs: setup, fmt, clippy, guest images, all tests, codegen --check, the
    /// gate of every baseline, cross builds.
    Test,
    /// Write the checked-in generated files (docs/abi/, docs/catalogue/, stubs/).
    Codegen {
        /// Write nothing; fail naming every stale, missing or extra file.
        #[arg(long)]
        check: bool,
    },
    /// The main job: every target of the catalogue against its baseline, reports in
    /// target/conform/.
    Conform,
    /// Performance figures (printed, never asserted).
    Bench {
        /// Also build every guest image cold (each rebuilds core).
        #[arg(long)]
        cold: bool,
        /// Only this section (`targets`: the catalogue's targets and the whole matrix).
        section: Option<String>,
    },
    /// The cross builds of `test` alone.
    Cross,
    /// The bare-metal guest images.
    Guests {
        /// Only these boot environments (comma-separated; default: all of the catalogue).
        #[arg(long, value_delimiter = ',')]
        arch: Vec<String>,
    },
    /// cargo-mutants on abi-spec's checker and wire format.
    Mutants,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors.
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Task::Setup => setup::run(),
        Task::Test => test(),
        Task::Codegen { check } => codegen::run(check),
        Task::Conform => conform(),
        Task::Bench { cold, section } => bench::run(cold, section.as_deref()),
        Task::Cross => cross::build_all(),
        Task::Guests { arch } => guests::run_cli(&arch),
        Task::Mutants => mutants::run_cli(),
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
    codegen::run(true)?;
    for (baseline, targets) in runners::matrix_baselines() {
        gate(&targets, baseline)?;
    }
    cross::build_all()?;
    Ok(())
}

/// Targets the gate and the main job run at once: one per core (each TCG vCPU keeps one busy).
pub fn jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Generated cases per call in the gate and the main job.
const CASES: &str = "64";

/// `hyperabi run` as a CI gate, one per baseline file of the catalogue with the targets gated
/// against it: a fixed seed (a red gate is reproducible), reports in
/// `target/gate/<baseline name>`. A target that cannot run fails it (exit 3), so a machine
/// without QEMU or the hypervisors (`cargo xtask setup` installs and builds them) fails here.
fn gate(targets: &[&str], baseline: &str) -> Result {
    let name = std::path::Path::new(baseline)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = root().join("target/gate").join(name);
    run(cargo()
        .args([
            "run",
            "--quiet",
            "-p",
            "conformance",
            "--",
            "run",
            "--target",
            &targets.join(","),
        ])
        .args(["--seed", "0x5eed", "--cases", CASES])
        .args(["--jobs", &jobs().to_string()])
        .args(["--baseline", baseline, "--out"])
        .arg(out))
}

/// The main job: the conformance suite over every target of the catalogue (a fresh seed each
/// time, printed), gated by the committed baselines; reports in `target/conform/`.
fn conform() -> Result {
    setup::run()?;
    guests::run_cli(&[])?;
    let out = root().join("target/conform");
    let targets: Vec<&str> = runners::default_matrix().iter().map(|t| t.name).collect();
    let targets = targets.join(",");
    let mut cmd = cargo();
    cmd.args(["run", "--quiet", "--release", "-p", "conformance", "--"])
        .args(["run", "--target", &targets, "--cases", CASES])
        .args(["--jobs", &jobs().to_string()]);
    for (baseline, _) in runners::matrix_baselines() {
        cmd.args(["--baseline", baseline]);
    }
    run(cmd.arg("--out").arg(&out))?;
    println!(
        "reports: {}/report.{{json,junit.xml,tap,md,html}}",
        out.display()
    );
    Ok(())
}
