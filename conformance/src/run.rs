//! `hyperabi run` and `hyperabi bless`: plan, execute on each target, shrink, gate, write.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Instant;

use crate::baseline::{self, Baseline, Gate};
use crate::engine::{run_target, shrink_failures_except};
use crate::files::{Kind, ReadError};
use crate::plan::{plan, PlanConfig};
use crate::report::{Report, RunOutcome, Shard, TargetRun};
use crate::targets::{self, TargetOptions};

/// Everything `run` needs, already parsed.
#[derive(Clone, Debug, Default)]
pub struct RunArgs {
    pub targets: Vec<String>,
    pub abis: Vec<String>,
    pub calls: Vec<String>,
    pub cases: u32,
    pub seed: Option<u64>,
    /// Baselines to gate against; each holds its own targets (QEMU's, Xen's).
    pub baseline: Vec<PathBuf>,
    pub shard: Option<Shard>,
    pub options: TargetOptions,
    /// Targets run at once (at least 1).
    pub jobs: usize,
}

/// How a run ended, for the exit code.
#[derive(Debug)]
pub struct RunEnd {
    pub report: Report,
    pub gate: Option<Gate>,
    /// The signal that stopped the run before its end, if any.
    pub interrupted: Option<&'static str>,
}

impl RunEnd {
    /// 1 on failures/regressions, 3 when a target could not run, else 0. Regressions win: they
    /// are a verdict about the hypervisor, while an infrastructure error is about this machine.
    /// An interrupted run is 3 whatever it found: it is not a verdict on the whole plan.
    pub fn exit_code(&self) -> u8 {
        if self.interrupted.is_some() {
            return 3;
        }
        let failed = match &self.gate {
            Some(g) => !g.regressions.is_empty(),
            None => self.report.summary().fail > 0,
        };
        let infra = self
            .report
            .targets
            .iter()
            .any(|t| t.outcome != RunOutcome::Completed)
            || self.report.summary().error > 0;
        if failed {
            1
        } else if infra {
            3
        } else {
            0
        }
    }
}

/// A usage problem (exit 2) or a bad input file (exit 2).
pub enum RunError {
    Usage(String),
    Input(ReadError),
}

pub fn parse_shard(s: &str) -> Result<Shard, String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("--shard `{s}`: expected i/n, e.g. 2/4"))?;
    let index: u32 = i
        .parse()
        .map_err(|_| format!("--shard `{s}`: `{i}` is not a number"))?;
    let count: u32 = n
        .parse()
        .map_err(|_| format!("--shard `{s}`: `{n}` is not a number"))?;
    if count == 0 || index == 0 || index > count {
        return Err(format!("--shard `{s}`: need 1 <= i <= n"));
    }
    Ok(Shard { index, count })
}

/// The most generated cases per call `--cases` accepts.
pub const MAX_CASES_PER_CALL: u32 = 100_000;
/// The most cases one run plans over all its targets (fixed, generated and edge cases): a plan
/// lives in memory whole, and a million cases already take hours on an emulated target.
pub const MAX_PLANNED_CASES: usize = 1_000_000;

/// Reads a baseline and checks its contents (targets, ABIs, calls, stable values).
pub fn load_baseline(path: &Path) -> Result<Baseline, ReadError> {
    parse_baseline(path, &crate::files::read_text(path, &Kind::BASELINE)?)
}

/// [`load_baseline`] of a baseline's text (`path` names it in errors).
pub fn parse_baseline(path: &Path, text: &str) -> Result<Baseline, ReadError> {
    let b: Baseline = crate::files::parse_json(path, text, &Kind::BASELINE)?;
    b.validate(path)?;
    Ok(b)
}

/// Several baselines as one: their targets side by side (a target in two of them is an error).
/// Each must hold at least one of `run_targets`: a baseline that matches no target of the run
/// would gate nothing (a baseline for another machine, or a misspelt target).
pub fn load_baselines(paths: &[PathBuf], run_targets: &[String]) -> Result<Baseline, ReadError> {
    let mut all = Baseline {
        format_version: abi_spec::FORMAT_VERSION,
        ..Baseline::default()
    };
    for p in paths {
        let b = load_baseline(p)?;
        if !b.targets.keys().any(|t| run_targets.contains(t)) {
            let has: Vec<&str> = b.targets.keys().map(String::as_str).collect();
            return Err(ReadError::new(
                p,
                format!(
                    "the baseline is for target(s) [{}], none of which this run runs ({}); pass \
                     the baseline of these targets, or --target one of its own",
                    has.join(", "),
                    run_targets.join(", ")
                ),
            ));
        }
        for (target, t) in b.targets {
            if all.targets.insert(target.clone(), t).is_some() {
                return Err(ReadError::in_field(
                    p,
                    format!("targets.`{target}`"),
                    "the target is also in an earlier --baseline",
                ));
            }
        }
    }
    Ok(all)
}

/// The signal that interrupted the run (SIGINT or SIGTERM), 0 while none did.
static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

/// The name of the signal that interrupted the run, if one did.
pub fn interrupted() -> Option<&'static str> {
    match INTERRUPTED.load(Ordering::SeqCst) {
        0 => None,
        signal_hook::consts::SIGINT => Some("SIGINT"),
        signal_hook::consts::SIGTERM => Some("SIGTERM"),
        _ => Some("a signal"),
    }
}

/// Catches SIGINT and SIGTERM for `run` and `bless`: the first stops every child process
/// (`runners::children::kill_all`, which also refuses new ones), so the target running ends as
/// an error, the rest are not started, and the partial report is written; a second signal
/// exits at once (code 3).
pub fn catch_signals() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::spawn(move || {
        for sig in signals.forever() {
            let again = INTERRUPTED.swap(sig, Ordering::SeqCst) != 0;
            runners::children::kill_all();
            if again {
                eprintln!("hyperabi: interrupted again; exiting without a report");
                std::process::exit(3);
            }
            eprintln!(
                "hyperabi: {}: stopping the targets and writing the partial report (send it \
                 again to exit at once)",
                interrupted().unwrap_or("signal")
            );
        }
    });
    Ok(())
}

/// The ABIs `--abi` selects for `runner`, or its own.
fn abis_for(
    name: &str,
    runner: &dyn runners::Runner,
    ids: &[String],
) -> Result<Vec<&'static abi_spec::Abi>, RunError> {
    let abis: Vec<&'static abi_spec::Abi> = if ids.is_empty() {
        targets::default_abis(runner)
    } else {
        ids.iter()
            .map(|id| {
                specs::find(id).ok_or_else(|| {
                    let known: Vec<_> = specs::all().iter().map(|a| a.id).collect();
                    RunError::Usage(format!("unknown ABI `{id}`; known: {}", known.join(", ")))
                })
            })
            .collect::<Result<_, _>>()?
    };
    if let Some(arch) = runner.arch() {
        if let Some(a) = abis.iter().find(|a| a.arch != arch) {
            return Err(RunError::Usage(format!(
                "target `{name}` runs {arch} guests; ABI `{}` is {}",
                a.id, a.arch
            )));
        }
    }
    Ok(abis)
}

pub fn run(args: &RunArgs) -> Result<RunEnd, RunError> {
    // Everything the arguments can get wrong is checked before the first target starts.
    if args.cases > MAX_CASES_PER_CALL {
        return Err(RunError::Usage(format!(
            "--cases {}: at most {MAX_CASES_PER_CALL} generated cases per call",
            args.cases
        )));
    }
    let seed = args.seed.unwrap_or_else(|| {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        (t.as_nanos() as u64) ^ u64::from(std::process::id()).rotate_left(32)
    });
    let baseline = match args.baseline.as_slice() {
        [] => None,
        paths => Some(load_baselines(paths, &args.targets).map_err(RunError::Input)?),
    };
    let mut selected = Vec::new();
    for name in &args.targets {
        let runner = targets::runner(name, &args.options).map_err(RunError::Usage)?;
        if args.options.fault.is_some() && !name.starts_with("model") {
            return Err(RunError::Usage(format!(
                "--fault: faults are injected by the model; target `{name}` is not the model \
                 (use --target model or model-debug)"
            )));
        }
        let abis = abis_for(name, runner.as_ref(), &args.abis)?;
        selected.push((name, runner, abis));
    }
    for c in &args.calls {
        if !selected
            .iter()
            .any(|(_, _, abis)| abis.iter().any(|a| a.call(c).is_some()))
        {
            let ids: BTreeSet<&str> = selected
                .iter()
                .flat_map(|(_, _, abis)| abis.iter().map(|a| a.id))
                .collect();
            return Err(RunError::Usage(format!(
                "--call `{c}` matches no call of the ABIs this run selects ({}); \
                 `hyperabi list` shows their calls",
                ids.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    // Bounded before any plan is built (a plan holds every case in memory), from the calls
    // each target selects; and a target whose ABIs have none of the --call names is an error.
    let mut planned = 0usize;
    for (name, _, abis) in &selected {
        let calls: usize = abis
            .iter()
            .map(|a| {
                a.calls
                    .iter()
                    .filter(|c| args.calls.is_empty() || args.calls.iter().any(|n| n == c.name))
                    .count()
            })
            .sum();
        if calls == 0 {
            let ids: Vec<&str> = abis.iter().map(|a| a.id).collect();
            return Err(RunError::Usage(format!(
                "target `{name}`: nothing to run: --call {} matches no call of its ABIs ({})",
                args.calls.join(","),
                ids.join(", ")
            )));
        }
        let generated = calls.saturating_mul(args.cases as usize);
        planned = planned.saturating_add(generated);
        if planned > MAX_PLANNED_CASES {
            return Err(RunError::Usage(format!(
                "--cases {}: {calls} call(s) on `{name}` make {generated} generated cases; a run \
                 plans at most {MAX_PLANNED_CASES} cases (lower --cases, or select calls with \
                 --call/--abi)",
                args.cases
            )));
        }
    }

    let mut report = Report {
        format_version: crate::report::FORMAT_VERSION,
        tool: format!("hyperabi {}", env!("CARGO_PKG_VERSION")),
        seed,
        cases_per_call: args.cases,
        shard: args.shard,
        targets: Vec::new(),
    };
    let quiet = std::env::var_os("CI").is_some() || !std::io::stderr().is_terminal();
    eprintln!("hyperabi: seed {seed:#x} (rerun with --seed {seed:#x})");
    // Targets run on `jobs` threads (each boots its own QEMU or VMM); the report keeps the
    // order of --target whatever order they end in.
    let jobs = args.jobs.clamp(1, selected.len().max(1));
    let bars = indicatif::MultiProgress::new();
    let queue = std::sync::Mutex::new(selected.into_iter().enumerate().collect::<Vec<_>>());
    let done = std::sync::Mutex::new(Vec::new());
    let ctx = TargetContext {
        args,
        seed,
        baseline: baseline.as_ref(),
        bars: (!quiet).then_some(&bars),
    };
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let next = {
                    let mut q = queue.lock().unwrap_or_else(|p| p.into_inner());
                    (!q.is_empty()).then(|| q.remove(0))
                };
                let Some((i, (name, runner, abis))) = next else {
                    break;
                };
                let t = run_one(&ctx, name, runner, &abis);
                done.lock().unwrap_or_else(|p| p.into_inner()).push((i, t));
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.sort_by_key(|(i, _)| *i);
    report.targets = done.into_iter().map(|(_, t)| t).collect();
    let gate = baseline.as_ref().map(|b| baseline::gate(&mut report, b));
    Ok(RunEnd {
        report,
        gate,
        interrupted: interrupted(),
    })
}

/// What every target of a run shares.
struct TargetContext<'a> {
    args: &'a RunArgs,
    seed: u64,
    baseline: Option<&'a Baseline>,
    /// Where the spinners go (none under CI or without a terminal).
    bars: Option<&'a indicatif::MultiProgress>,
}

/// Plans, executes, checks and shrinks one target.
fn run_one(
    ctx: &TargetContext,
    name: &String,
    mut runner: Box<dyn runners::Runner + Send>,
    abis: &[&'static abi_spec::Abi],
) -> TargetRun {
    let (args, seed, baseline) = (ctx.args, ctx.seed, ctx.baseline);
    if let Some(sig) = interrupted() {
        return TargetRun {
            target: name.clone(),
            identity: Default::default(),
            outcome: RunOutcome::Error {
                reason: format!("not started: interrupted by {sig}"),
            },
            timings: Default::default(),
            cases: Vec::new(),
            passed: None,
            known_failures: None,
            clobbers: Vec::new(),
            paths: Vec::new(),
            coverage: Vec::new(),
            console_log: None,
        };
    }
    let t0 = Instant::now();
    let mut p = plan(
        abis,
        &PlanConfig {
            seed,
            cases_per_call: args.cases,
            calls: args.calls.clone(),
            callers: true,
            admit: runners::catalog::TargetSpec::get(name)
                .map(|t| {
                    t.admits
                        .iter()
                        .map(|a| (a.abi.to_string(), a.call.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            implementation: runners::catalog::TargetSpec::get(name)
                .and_then(|t| t.implementation()),
            scratch_at_memory_end: runners::catalog::TargetSpec::get(name)
                .and_then(|t| t.boot_env())
                .is_some_and(|b| b.scratch_at_memory_end),
        },
    );
    if let Some(s) = args.shard {
        p.shard(s.index, s.count);
    }
    if let Some(b) = baseline {
        baseline::apply_exclusions(&mut p, name, b);
    }
    let plan_ms = t0.elapsed().as_secs_f64() * 1e3;
    let progress = ctx.bars.map(|bars| {
        let bar = bars.add(indicatif::ProgressBar::new_spinner());
        bar.set_message(format!("{name}: {} cases", p.cases.len()));
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    });
    let mut t = run_target(runner.as_mut(), &p, plan_ms);
    if interrupted().is_none() {
        let known = |c: &crate::report::CaseResult| {
            baseline.is_some_and(|b| baseline::all_known(b, name, c))
        };
        shrink_failures_except(runner.as_mut(), &p, &mut t, &known);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if let Some(sig) = interrupted() {
        // Whatever the target said after its QEMU was killed, the cause is the signal.
        let reason = match t.outcome.reason() {
            Some(r) => format!("interrupted by {sig}: {r}"),
            None => format!("interrupted by {sig}"),
        };
        t.outcome = RunOutcome::Error { reason };
    }
    t
}

/// The lines a person reads at the end of a run: per target its counts, then what broke,
/// grouped like the reports (one line per target, ABI, call, violation kind and reason, with a
/// count and an example), then what did not break the gate, in one line each.
pub fn summary(end: &RunEnd) -> String {
    use crate::report::groups::target_groups;
    use crate::report::Status;
    /// Groups listed per status and target before "and N more".
    const SHOWN: usize = 5;
    let mut s = String::new();
    for t in &end.report.targets {
        let sum = t.summary();
        // What ran, as the components named themselves; nothing for a target that never started.
        let id = t.identity.one_line_without_host();
        let id = if id.is_empty() {
            String::new()
        } else {
            format!(" {id}")
        };
        s += &format!(
            "{}:{id}: {} cases: {} pass, {} fail ({} known), {} error, {} skip",
            t.target,
            sum.total(),
            sum.pass,
            sum.fail,
            sum.known,
            sum.error,
            sum.skip
        );
        match &t.outcome {
            RunOutcome::Completed => s.push('\n'),
            RunOutcome::Error { reason } => s += &format!("\n  ERROR: {reason}\n"),
            RunOutcome::Unavailable { reason } => s += &format!("\n  UNAVAILABLE: {reason}\n"),
        }
        let more = |s: &mut String, n: usize, what: &str| {
            if n > SHOWN {
                *s += &format!("  ... and {} more {what} (see report.md)\n", n - SHOWN);
            }
        };
        if let Some(line) = crate::report::paths_line(&t.paths) {
            s += &format!("  paths: {line}\n");
        }
        for c in &t.coverage {
            let dims: Vec<String> = c
                .dimensions()
                .iter()
                .filter(|(_, d)| d.declared > 0)
                .map(|(what, d)| format!("{what} {}", d.fraction()))
                .collect();
            if !dims.is_empty() {
                s += &format!("  coverage {}: {}\n", c.abi, dims.join(", "));
            }
        }
        let fails = target_groups(t, Status::Fail);
        for g in fails.iter().take(SHOWN) {
            let c = g.example;
            s += &format!(
                "  FAIL {}::{} {} x{} (cases {}), e.g. #{}:\n",
                g.abi,
                g.call,
                g.kinds,
                g.count(),
                g.ids.abbreviated(60),
                c.id
            );
            for v in c.violations.iter().take(3) {
                s += &format!("    {}\n", v.message);
            }
            if let Some(from) = &c.shrunk_from {
                let args: Vec<String> = from
                    .iter()
                    .map(|a| format!("{}={:#x}", a.name, a.value))
                    .collect();
                s += &format!("    (shrunk from {})\n", args.join(", "));
            }
        }
        more(&mut s, fails.len(), "groups of failures");
        let errors = target_groups(t, Status::Error);
        for g in errors.iter().take(SHOWN) {
            s += &format!(
                "  ERROR {}::{} x{} (cases {}): {}\n",
                g.abi,
                g.call,
                g.count(),
                g.ids.abbreviated(60),
                g.reason
            );
        }
        more(&mut s, errors.len(), "groups of errors");
        let known = target_groups(t, Status::Known);
        if !known.is_empty() {
            s += &format!(
                "  known failures: {} cases in {} groups (report.md lists them)\n",
                sum.known,
                known.len()
            );
        }
        let skips = target_groups(t, Status::Skip);
        let unplanned = skips.iter().filter(|g| g.never_planned()).count();
        let skipped: u32 = skips
            .iter()
            .filter(|g| !g.never_planned())
            .map(|g| g.count())
            .sum();
        if unplanned > 0 || skipped > 0 {
            s += &format!(
                "  not run: {unplanned} calls never planned (noreturn, disruptive or excluded), \
                 {skipped} cases skipped\n"
            );
        }
    }
    if let Some(g) = &end.gate {
        if g.regressions.is_empty() {
            s += &format!(
                "gate: no regression against the baseline ({} known failures)\n",
                g.known
            );
        } else {
            s += &format!("gate: {} regression(s):\n", g.regressions.len());
            for r in &g.regressions {
                s += &format!("  {r}\n");
            }
        }
        for st in &g.stale {
            s += &format!("  note: known failure did not occur (bless to drop it): {st}\n");
        }
    }
    s
}
