//! `hyperabi`: the command-line front of the conformance engine.
//!
//! Exit codes: 0 conformant, 1 conformance failures or regressions, 2 bad usage or bad input
//! file, 3 infrastructure error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use conformance::report;

use conformance::{diff, list, spec_md};

#[derive(Parser)]
#[command(name = "hyperabi", version, about = "Hypercall ABI conformance suite")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the ABIs hyperabi knows, with their calls.
    List {
        /// Only this ABI (by id, e.g. xen-arm64).
        #[arg(long)]
        abi: Option<String>,
    },
    /// Run the conformance suite on targets and check every observation against the specs.
    Run(RunCli),
    /// Write or update a baseline from a run (or from a report with --from).
    Bless {
        #[command(flatten)]
        run: RunCli,
        /// Take the results from this report instead of running.
        #[arg(long, value_name = "REPORT")]
        from: Option<std::path::PathBuf>,
    },
    /// Check recorded register dumps against the specs (format: see `hyperabi check --help`).
    #[command(long_about = DUMP_HELP)]
    Check {
        /// A JSON file of register dumps.
        #[arg(long, value_name = "FILE")]
        dump: std::path::PathBuf,
        /// Also write the full report (JSON) here.
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
    /// Compare two spec exports (`spec export --format json`): every change as a finding of a
    /// rule with a stable id, a level (breaking, needs-review, compatible) and the section of
    /// the reference page it is about.
    #[command(after_help = conformance::diff::EXIT_HELP)]
    Diff {
        /// The spec export a guest was built against (`hyperabi spec export --out DIR` writes
        /// DIR/spec.json).
        old: PathBuf,
        /// The spec export to compare with it.
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Accept the changes this allow file lists (rule, optional abi and call, reason).
        #[arg(long, value_name = "FILE")]
        allow: Option<PathBuf>,
    },
    /// List the targets `run --target` accepts, and whether each can run here.
    Targets,
    /// Re-render a JSON report in another format.
    Report {
        /// The report, as `run` wrote it (report.json).
        input: PathBuf,
        #[arg(long, value_enum)]
        format: report::Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Merge the shard reports of one run (`run --shard i/n`) into one JSON report.
    Merge {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Work with the ABI specs themselves.
    Spec {
        #[command(subcommand)]
        command: SpecCommand,
    },
    /// Generate C headers (`--lang c`) or GNU assembler stubs (`--lang asm`) from the specs.
    Gen(conformance::gen::GenArgs),
}

const DUMP_HELP: &str = "Check recorded register dumps against the specs.

The dump file is JSON: {\"format_version\": 1, \"dumps\": [{\"abi\": \"xen-arm64\", \"call\": \"xen_version\" (or a number, or [eid, fid]), \"args\": {\"cmd\": \"0x0\"} (optional), \"before\": {\"x0\": \"0x0\", \"x16\": \"0x11\", ...}, \"after\": {\"x0\": \"0x40011\", ...}, \"exception\": \"0x0\" (optional)}]}. Registers by the spec's names, values as hex strings. A register missing from `after` did not change; one missing from `before` is not compared. Each register once per side (`fp` and `x29` are one register); a call given by number has one number per number register, and must agree with the number register in `before`. At most 64 MiB.";

/// The options shared by `run` and `bless`.
#[derive(clap::Args, Clone)]
struct RunCli {
    /// Targets to run, comma-separated (see `hyperabi targets`).
    #[arg(long, value_delimiter = ',', default_value = "model")]
    target: Vec<String>,
    /// Only these ABIs (default: every ABI the target runs).
    #[arg(long, value_delimiter = ',')]
    abi: Vec<String>,
    /// Only these calls, by name.
    #[arg(long, value_delimiter = ',')]
    call: Vec<String>,
    /// Generated cases per call (at most 100000; a run plans at most 1000000 cases).
    #[arg(long, default_value_t = 16)]
    cases: u32,
    /// Plan seed (hex with 0x, or decimal); printed by every run.
    #[arg(long, value_parser = parse_seed)]
    seed: Option<u64>,
    /// Compare with these baselines (run; repeatable, one per family of targets) / write this
    /// baseline (bless).
    #[arg(long, value_name = "FILE")]
    baseline: Vec<std::path::PathBuf>,
    /// Write the report (JSON and the derived formats) into this directory.
    #[arg(long, value_name = "DIR")]
    out: Option<std::path::PathBuf>,
    /// Report formats: with --out, the ones written beside report.json (default: all);
    /// without, printed to standard output (the summary then goes to standard error).
    #[arg(long, value_enum, value_delimiter = ',')]
    format: Vec<report::Format>,
    /// Keep every case in report.json at full detail, and console logs whole (default: per
    /// call, an example pass and the count and ids of the other passes; per group of known
    /// failures its first 3 cases and the count and ids of the others; binary console output
    /// cut; every new failure, error and skip kept whole).
    #[arg(long)]
    full: bool,
    /// Run only shard i of n of the plan (1-based), e.g. 2/4.
    #[arg(long, value_parser = conformance::run::parse_shard)]
    shard: Option<conformance::report::Shard>,
    /// Targets run at once, each in its own QEMU or VMM (a TCG vCPU keeps one core busy); the
    /// report keeps the order of --target. Per-target timings are measured under that load.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    jobs: u16,
    /// Model targets only: inject this fault (clobber-preserved, result-in-wrong-register,
    /// ignore-must-be-zero, accept-unknown, raise-exception, caller-disagrees, crash).
    #[arg(long, value_parser = parse_fault)]
    fault: Option<runners::model::Fault>,
    /// QEMU and Xen targets: use this QEMU binary for guests of ARCH (repeatable; a bare PATH
    /// when every target has one arch), e.g. `--qemu riscv64=~/qemu/build/qemu-system-riscv64`.
    #[arg(long, value_name = "ARCH=PATH")]
    qemu: Vec<String>,
    /// Xen targets: boot this hypervisor (xen/xen of a Xen build; for x86 not gzipped) for guests
    /// of ARCH instead of the catalogue's, e.g. `--xen aarch64=~/xen/xen/xen`.
    #[arg(long, value_name = "ARCH=PATH")]
    xen: Vec<String>,
    /// QEMU firmware targets: pass this image as `-bios` for guests of ARCH instead of the
    /// catalogue's (or QEMU's bundled) firmware, e.g. `--firmware riscv64=fw_dynamic.bin`.
    #[arg(long, value_name = "ARCH=PATH")]
    firmware: Vec<String>,
    /// KVM targets: boot this kernel (arch/arm64/boot/Image of a Linux build, KVM built in) for
    /// guests of ARCH instead of Debian's, e.g. `--kernel aarch64=~/linux/arch/arm64/boot/Image`.
    #[arg(long, value_name = "ARCH=PATH")]
    kernel: Vec<String>,
}

fn parse_seed(s: &str) -> Result<u64, String> {
    conformance::report::hex::parse(s)
}

fn parse_fault(s: &str) -> Result<runners::model::Fault, String> {
    use strum::VariantNames;
    s.parse().map_err(|_| {
        format!(
            "unknown fault `{s}`; known: {}",
            runners::model::Fault::VARIANTS.join(", ")
        )
    })
}

impl RunCli {
    fn args(&self) -> Result<conformance::run::RunArgs, Failure> {
        let parse = |flag: &str, values: &[String]| {
            conformance::targets::parse_overrides(flag, values, &self.target).map_err(usage)
        };
        Ok(conformance::run::RunArgs {
            targets: self.target.clone(),
            abis: self.abi.clone(),
            calls: self.call.clone(),
            cases: self.cases,
            seed: self.seed,
            baseline: self.baseline.clone(),
            shard: self.shard,
            jobs: self.jobs.into(),
            options: conformance::targets::TargetOptions {
                fault: self.fault,
                overrides: runners::Overrides {
                    qemu: parse("qemu", &self.qemu)?,
                    xen: parse("xen", &self.xen)?,
                    firmware: parse("firmware", &self.firmware)?,
                    kernel: parse("kernel", &self.kernel)?,
                },
            },
        })
    }
}

fn run_error(e: conformance::run::RunError) -> Failure {
    match e {
        conformance::run::RunError::Usage(m) => usage(m),
        conformance::run::RunError::Input(e) => e.into(),
    }
}

/// Writes a report into `--out`: the canonical JSON and the derived formats.
fn write_report(
    report: &conformance::report::Report,
    dir: &std::path::Path,
    formats: &[report::Format],
) -> Result<(), Failure> {
    let fail = |message: String| Failure { code: 3, message };
    if formats.is_empty() {
        report::write_all(report, dir).map_err(|e| fail(e.to_string()))?;
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| fail(format!("{}: {e}", dir.display())))?;
    let mut all = vec![report::Format::Json];
    all.extend(
        formats
            .iter()
            .copied()
            .filter(|f| *f != report::Format::Json),
    );
    for f in all {
        let path = dir.join(f.file_name());
        std::fs::write(&path, f.render(report))
            .map_err(|e| fail(format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

#[derive(Subcommand)]
enum SpecCommand {
    /// Export ABIs in a machine-readable form (every ABI unless --abi is given).
    Export {
        #[arg(long)]
        abi: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write into this directory instead of stdout: `spec.json`, or one `<id>.md` per ABI
        /// and a `README.md` index.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    /// Markdown reference pages.
    Md,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

/// An error that ends the command with a distinct exit code.
struct Failure {
    code: u8,
    message: String,
}

/// A file hyperabi cannot read: its own exit code (2, bad input) and message (file, place,
/// problem).
impl From<conformance::files::ReadError> for Failure {
    fn from(e: conformance::files::ReadError) -> Self {
        Failure {
            code: e.exit_code(),
            message: e.to_string(),
        }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

fn select(ids: &[String]) -> Result<Vec<&'static abi_spec::Abi>, Failure> {
    if ids.is_empty() {
        return Ok(specs::all().to_vec());
    }
    ids.iter()
        .map(|id| {
            specs::find(id).ok_or_else(|| {
                let known: Vec<_> = specs::all().iter().map(|a| a.id).collect();
                usage(format!("unknown ABI `{id}`; known: {}", known.join(", ")))
            })
        })
        .collect()
}

/// Writes `text` to `dest`, or to standard output.
fn emit(dest: Option<&Path>, text: &str) -> Result<(), Failure> {
    let result = match dest {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string()),
    };
    result.map_err(|e| Failure {
        code: 3,
        message: format!("writing output: {e}"),
    })
}

fn run(cli: Cli) -> Result<u8, Failure> {
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| Failure {
        code: 3,
        message: format!("writing output: {e}"),
    };
    match cli.command {
        Command::Run(r) => {
            // Checked now, not after an hour of targets: the report would have nowhere to go.
            if let Some(dir) = &r.out {
                conformance::files::prepare_out_dir(dir).map_err(|b| usage(b.0))?;
            }
            conformance::run::catch_signals().map_err(|e| Failure {
                code: 3,
                message: format!("installing the SIGINT/SIGTERM handler: {e}"),
            })?;
            let mut end = conformance::run::run(&r.args()?).map_err(run_error)?;
            if !r.full {
                report::summarise(&mut end.report);
            }
            if let Some(dir) = &r.out {
                write_report(&end.report, dir, &r.format)?;
            }
            if r.out.is_none() && !r.format.is_empty() {
                for f in &r.format {
                    write!(out, "{}", f.render(&end.report)).map_err(io)?;
                }
                eprint!("{}", conformance::run::summary(&end));
                return Ok(end.exit_code());
            }
            write!(out, "{}", conformance::run::summary(&end)).map_err(io)?;
            if let Some(dir) = &r.out {
                writeln!(out, "reports: {}", dir.display()).map_err(io)?;
            }
            return Ok(end.exit_code());
        }
        Command::Bless { run: r, from } => {
            let [path] = r.baseline.as_slice() else {
                return Err(usage(
                    "bless needs one --baseline FILE (the baseline to write)",
                ));
            };
            let path = path.clone();
            // Checked before the run: a baseline that cannot be written loses the run.
            conformance::files::check_writable_file(&path).map_err(|b| usage(b.0))?;
            let old = if path.exists() {
                Some(conformance::run::load_baseline(&path)?)
            } else {
                None
            };
            let report = match from {
                Some(f) => {
                    let report = conformance::report::json::read(&f)?;
                    if let Some(why) = conformance::baseline::unblessable(&report) {
                        return Err(usage(format!(
                            "{}: not blessed: {why}; nothing written to {}",
                            f.display(),
                            path.display()
                        )));
                    }
                    report
                }
                None => {
                    // The old baseline still applies its exclusions (calls that hang the target),
                    // and only to the targets it has.
                    let mut a = r.args()?;
                    let has_target = old
                        .as_ref()
                        .is_some_and(|o| a.targets.iter().any(|t| o.targets.contains_key(t)));
                    if !has_target {
                        a.baseline.clear();
                    }
                    conformance::run::catch_signals().map_err(|e| Failure {
                        code: 3,
                        message: format!("installing the SIGINT/SIGTERM handler: {e}"),
                    })?;
                    let end = conformance::run::run(&a).map_err(run_error)?;
                    if let Some(why) = conformance::baseline::unblessable(&end.report) {
                        write!(out, "{}", conformance::run::summary(&end)).map_err(io)?;
                        return Err(Failure {
                            code: 3,
                            message: format!("not blessed: {why}; {} unchanged", path.display()),
                        });
                    }
                    end.report
                }
            };
            let b = conformance::baseline::bless(&report, old.as_ref());
            let json = serde_json::to_string_pretty(&b).expect("baselines serialise");
            std::fs::write(&path, json + "\n").map_err(|e| Failure {
                code: 3,
                message: format!("{}: {e}", path.display()),
            })?;
            let known: usize = b.targets.values().map(|t| t.known.len()).sum();
            let ran: Vec<&str> = report.targets.iter().map(|t| t.target.as_str()).collect();
            writeln!(
                out,
                "blessed {} ({} target(s), {known} known failure(s); updated: {})",
                path.display(),
                b.targets.len(),
                ran.join(", ")
            )
            .map_err(io)?;
        }
        Command::Check {
            dump,
            out: report_out,
        } => {
            let report = conformance::dump::check_file(&dump)?;
            if let Some(p) = report_out {
                let json = serde_json::to_string_pretty(&report).expect("reports serialise");
                std::fs::write(&p, json + "\n").map_err(|e| Failure {
                    code: 3,
                    message: format!("{}: {e}", p.display()),
                })?;
            }
            let end = conformance::run::RunEnd {
                report,
                gate: None,
                interrupted: None,
            };
            write!(out, "{}", conformance::run::summary(&end)).map_err(io)?;
            return Ok(end.exit_code());
        }
        Command::Diff {
            old, new, format, ..
        } if conformance::compare::is_report(&old) => {
            let json = matches!(format, DiffFormat::Json);
            let (text, regressions, differences) =
                conformance::compare::diff_reports(&old, &new, json)?;
            out.write_all(text.as_bytes()).map_err(io)?;
            // The statuses of a spec diff: 1 breaking (a call that passed fails), 5 needs
            // review (other differences), 0 none.
            return Ok(if regressions > 0 {
                1
            } else if differences > 0 {
                5
            } else {
                0
            });
        }
        Command::Diff {
            old,
            new,
            format,
            allow,
        } => {
            let end = diff::run(&old, &new, allow.as_deref(), format == DiffFormat::Json)?;
            out.write_all(end.output.as_bytes()).map_err(io)?;
            for note in &end.notes {
                eprintln!("hyperabi: {note}");
            }
            return Ok(end.code);
        }
        Command::Targets => {
            for spec in runners::catalog::TARGETS {
                let text = conformance::targets::describe(spec, &Default::default());
                writeln!(out, "{text}").map_err(io)?;
            }
        }
        Command::List { abi } => {
            let abis = select(&abi.into_iter().collect::<Vec<_>>())?;
            out.write_all(list::render(&abis).as_bytes()).map_err(io)?;
        }
        Command::Spec {
            command:
                SpecCommand::Export {
                    abi,
                    format,
                    out: dir,
                },
        } => {
            let abis = select(&abi)?;
            let files: Vec<(String, String)> = match format {
                Format::Json => {
                    let doc = abi_spec::export::SpecExport::new(&abis);
                    let json = serde_json::to_string_pretty(&doc).map_err(|e| Failure {
                        code: 3,
                        message: format!("serialising the export: {e}"),
                    })?;
                    vec![("spec.json".into(), format!("{json}\n"))]
                }
                Format::Md => match dir {
                    Some(_) => spec_md::pages(&abis),
                    None => vec![(String::new(), spec_md::render_all(&abis))],
                },
            };
            match dir {
                None => {
                    for (_, text) in files {
                        out.write_all(text.as_bytes()).map_err(io)?;
                    }
                }
                Some(dir) => {
                    let infra = |what: &std::path::Path, e: std::io::Error| Failure {
                        code: 3,
                        message: format!("{}: {e}", what.display()),
                    };
                    std::fs::create_dir_all(&dir).map_err(|e| infra(&dir, e))?;
                    for (name, text) in files {
                        let path = dir.join(name);
                        std::fs::write(&path, text).map_err(|e| infra(&path, e))?;
                    }
                }
            }
        }
        Command::Report {
            input,
            format,
            out: dest,
        } => {
            let r = report::json::read(&input)?;
            emit(dest.as_deref(), &format.render(&r))?;
        }
        Command::Merge { inputs, out: dest } => {
            let shards = inputs
                .iter()
                .map(|p| Ok((p.display().to_string(), report::json::read(p)?)))
                .collect::<Result<Vec<_>, conformance::files::ReadError>>()?;
            let merged = report::merge_named(shards).map_err(|e| usage(e.to_string()))?;
            emit(dest.as_deref(), &report::json::to_string(&merged))?;
        }
        Command::Gen(g) => {
            let text = g.run(specs::all()).map_err(|e| match e {
                conformance::gen::GenError::Usage(m) => usage(m),
                conformance::gen::GenError::Io(message) => Failure { code: 3, message },
            })?;
            out.write_all(text.as_bytes()).map_err(io)?;
        }
    }
    Ok(0)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("hyperabi: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
