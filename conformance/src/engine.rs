//! The engine: runs a plan on a runner, turns the records into verdicts with the pure checker,
//! and shrinks failing generated cases by re-executing them through the same runner.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use abi_spec::check::{check_case, check_stub, StubAnswer, Violation, ViolationKind};
use abi_spec::wire::{self, PathRecord, Reader, Record};
use abi_spec::{Abi, Arch, Call, Observation, RegisterFile, Role, Unknown};
use runners::{Execution, Runner};

use crate::plan::{Case, Expectation, Plan};
use crate::report::{
    CaseResult, ClobberStat, ExecPath, Identity, NamedValue, Observed, PathStat, RunOutcome,
    TargetRun, Timings, Verdict, ViolationReport,
};

/// Runs `plan` on `runner` and checks every case.
pub fn run_target(runner: &mut dyn Runner, plan: &Plan, plan_ms: f64) -> TargetRun {
    let mut target = TargetRun {
        target: runner.name().to_string(),
        identity: Identity {
            host: host(),
            ..Identity::default()
        },
        outcome: RunOutcome::Completed,
        timings: Timings {
            plan_ms,
            ..Timings::default()
        },
        cases: Vec::new(),
        passed: None,
        known_failures: None,
        clobbers: Vec::new(),
        paths: Vec::new(),
        coverage: Vec::new(),
        console_log: None,
    };
    if let Err(e) = runner.availability() {
        // The outcome already says "unavailable": the reason is what and how.
        let reason = match &e {
            runners::Error::Unavailable { what, how } => format!("{what}; {how}"),
            e => e.to_string(),
        };
        target.outcome = RunOutcome::Unavailable {
            reason: reason.clone(),
        };
        target.cases = plan
            .cases
            .iter()
            .map(|c| {
                not_run(
                    plan,
                    c,
                    Verdict::Error,
                    format!("target unavailable: {reason}"),
                )
            })
            .collect();
        return target;
    }
    let arches: Vec<Arch> = match runner.arch() {
        Some(a) => vec![a],
        None => {
            let mut a: Vec<Arch> = plan.abis.iter().map(|a| a.arch).collect();
            a.sort_by_key(|a| a.name());
            a.dedup();
            a
        }
    };
    let mut observed: HashMap<u32, Obs> = HashMap::new();
    // What the guest said about its stubs (its info record).
    let mut guest_info: BTreeMap<String, String> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut console = String::new();
    let run_start = Instant::now();
    // Cases that broke the target (it hung, crashed or died on them), with the evidence.
    let mut culprits: HashMap<u32, String> = HashMap::new();
    let name = runner.name().to_string();
    for arch in &arches {
        // A boot that breaks is retried: first the cases without a record, one record per
        // frame, so the first of them still missing after the next break is the one that broke
        // it; then the rest after it. The results before each break are kept. A boot that
        // cannot go better (no QEMU, a wrong image) is not retried, nor one that failed the same
        // way as the last with no new result in between; a boot that never started a case
        // blames no case.
        let mut flags = 0;
        let mut last_failure: Option<(&'static str, usize)> = None;
        for attempt in 0..=MAX_REBOOTS {
            let bytes = plan.encode_some(*arch, flags, |c| {
                !observed.contains_key(&c.id) && !culprits.contains_key(&c.id)
            });
            let seen_before = observed.len();
            let ex = runner.execute(&bytes);
            merge_identity(&mut target.identity, &ex, *arch);
            if target.timings.first_result_ms.is_none() {
                target.timings.first_result_ms = ex.first_result.map(|d| d.as_secs_f64() * 1e3);
            }
            console.push_str(&ex.console_log);
            let started = !ex.records.is_empty();
            if let Err(e) = decode_against(plan, &ex, &mut observed, &mut guest_info) {
                errors.push(e);
            }
            let Some(e) = &ex.error else { break };
            let message = format!("{name}: {e}");
            errors.push(message.clone());
            // Stopped by a signal (its QEMU killed): no case broke it, and no reboot.
            if runners::children::stopping() {
                break;
            }
            let missing: Vec<u32> = plan
                .cases
                .iter()
                .filter(|c| {
                    c.excluded.is_none()
                        && plan.abi(c).arch == *arch
                        && !observed.contains_key(&c.id)
                        && !culprits.contains_key(&c.id)
                })
                .map(|c| c.id)
                .collect();
            let Some(first) = missing.first() else { break };
            // The first case without a record broke the target only if the guest got as far as
            // running cases: a boot that produced no record at all (not even the guest's info
            // record) broke before any case, and no case is to blame.
            if flags & wire::PLAN_FLUSH_EACH != 0 && started {
                culprits.insert(*first, message);
            }
            let failure = (e.kind(), observed.len());
            let same_again = last_failure == Some(failure) && observed.len() == seen_before;
            if attempt == MAX_REBOOTS
                || !runner.retriable()
                || !e.worth_retrying()
                || !started
                || same_again
            {
                break;
            }
            last_failure = Some(failure);
            flags = wire::PLAN_FLUSH_EACH;
        }
    }
    target.timings.run_ms = run_start.elapsed().as_secs_f64() * 1e3;
    if !console.is_empty() {
        target.console_log = Some(console);
    }

    let check_start = Instant::now();
    let error_reason = errors.join("; ");
    let mut clobbers: BTreeMap<ClobberKey, ClobberCount> = BTreeMap::new();
    let mut paths = PathCounts::default();
    let mut coverage = crate::coverage::Tracker::new(plan);
    for case in &plan.cases {
        let abi = plan.abi(case);
        if let Some(why) = &case.excluded {
            target
                .cases
                .push(not_run(plan, case, Verdict::Skip, why.clone()));
            continue;
        }
        if runner.arch().is_some_and(|a| a != abi.arch) {
            target.cases.push(not_run(
                plan,
                case,
                Verdict::Skip,
                format!("{} ABI, target is {}", abi.arch, runner.arch().unwrap()),
            ));
            continue;
        }
        if let Some(why) = culprits.get(&case.id) {
            target.cases.push(not_run(
                plan,
                case,
                Verdict::Error,
                format!("the target broke on this case (the rest ran in a new boot): {why}"),
            ));
            continue;
        }
        let Some(obs) = observed.get(&case.id) else {
            let reason = if error_reason.is_empty() {
                "the target sent no result for this case".to_string()
            } else {
                format!("no result: {error_reason}")
            };
            target
                .cases
                .push(not_run(plan, case, Verdict::Error, reason));
            continue;
        };
        let mut result = judge(plan, case, obs);
        if obs.not_run {
            if let Some(why) = guest_info.get(&format!("{UNAVAILABLE}{}", abi.id)) {
                result.reason = Some(format!("unavailable on this target: {why}"));
            }
        }
        paths.count(case, obs, &result);
        if !obs.not_run {
            coverage.see(case, &obs.observation, obs.buffer.as_deref());
        }
        // What the firmware says it is: the answers of the spec's `#[stable]` calls.
        if let (Some(call), Some(o)) = (plan.call(case), &result.observed) {
            if call.stable && case.label == "documented values" && o.exception.is_none() {
                let values: Vec<String> = o
                    .results
                    .iter()
                    .map(|r| format!("{:#x}", r.value))
                    .collect();
                target
                    .identity
                    .details
                    .insert(format!("{}::{}", abi.id, call.name), values.join(" "));
            }
        }
        if let (Some(ci), Expectation::Contract, None) =
            (case.call, case.expect, obs.observation.exception)
        {
            let call = &abi.calls[ci];
            for reg in abi.arch.regs() {
                if abi.role_after(call, reg) == Role::MayClobber {
                    let e = clobbers.entry((case.abi, ci, reg.index)).or_default();
                    e.1 += 1;
                    let after = obs.observation.after.get(reg);
                    if after != obs.observation.before.get(reg) {
                        e.0 += 1;
                        e.2.get_or_insert(after);
                    }
                }
            }
        }
        target.cases.push(result);
    }
    target.clobbers = clobbers
        .into_iter()
        .map(|((ai, ci, reg), (changed, of, example))| {
            let abi = plan.abis[ai];
            ClobberStat {
                abi: abi.id.into(),
                call: abi.calls[ci].name.into(),
                register: abi_spec::Reg {
                    arch: abi.arch,
                    index: reg,
                }
                .name()
                .into(),
                changed,
                of,
                example,
            }
        })
        .collect();
    target.paths = paths.stats(&guest_info);
    target.coverage = coverage.finish();
    for (k, v) in guest_info {
        let k = match k.strip_prefix(UNAVAILABLE) {
            Some(abi) => format!("{abi} unavailable"),
            None => k,
        };
        target.identity.details.insert(k, v);
    }
    target.timings.check_ms = check_start.elapsed().as_secs_f64() * 1e3;
    if !errors.is_empty() {
        target.outcome = RunOutcome::Error {
            reason: error_reason,
        };
    }
    target
}

/// The guest-info key prefix of an ABI the guest cannot run on this target (the value says why):
/// its cases are errors with that reason, never passes.
const UNAVAILABLE: &str = "unavailable:";

/// Boots after a broken one, to find the case that broke it and run the rest.
pub const MAX_REBOOTS: u32 = 4;

/// (ABI index, call index, register index).
type ClobberKey = (usize, usize, u8);
/// (cases that changed it, cases that returned, a value it was changed to).
type ClobberCount = (u32, u32, Option<u64>);

/// What the target answered for one case.
#[derive(Clone, Debug)]
struct Obs {
    observation: Observation,
    /// What the other paths (Rust caller, C stub, assembly stub) answered.
    paths: Vec<PathRecord>,
    not_run: bool,
    /// For a case with a parameter struct: (window offset, byte after the call) of every byte
    /// the call changed.
    buffer: Option<Vec<(u8, u8)>>,
}

/// The report's path of a wire path.
fn exec_path(path: u8) -> ExecPath {
    match path {
        wire::PATH_C => ExecPath::CStub,
        wire::PATH_ASM => ExecPath::AsmStub,
        _ => ExecPath::Caller,
    }
}

/// Per path: (ran, agreed, unavailable, missing).
#[derive(Default)]
struct PathCounts {
    counts: BTreeMap<ExecPath, (u32, u32, u32, u32)>,
    /// Whether any case asked for more than the probe.
    callers: bool,
}

impl PathCounts {
    fn count(&mut self, case: &Case, obs: &Obs, result: &CaseResult) {
        if obs.not_run {
            return;
        }
        let probe = self.counts.entry(ExecPath::Probe).or_default();
        probe.0 += 1;
        if !result.violations.iter().any(|v| v.path.is_some()) && result.verdict == Verdict::Pass
            || result.violations.iter().all(|v| v.path.is_some()) && result.verdict == Verdict::Fail
        {
            probe.1 += 1;
        }
        // The paths run after a probe that returned, for a case of a known call.
        if !case.caller || case.call.is_none() || obs.observation.exception.is_some() {
            return;
        }
        self.callers = true;
        for path in [wire::PATH_RUST, wire::PATH_C, wire::PATH_ASM] {
            let e = self.counts.entry(exec_path(path)).or_default();
            match obs.paths.iter().find(|p| p.path == path) {
                None => e.3 += 1,
                Some(p) if p.outcome == wire::PATH_UNAVAILABLE => e.2 += 1,
                Some(_) => {
                    e.0 += 1;
                    if !result
                        .violations
                        .iter()
                        .any(|v| v.path == Some(exec_path(path)))
                    {
                        e.1 += 1;
                    }
                }
            }
        }
    }

    fn stats(self, info: &BTreeMap<String, String>) -> Vec<PathStat> {
        if !self.callers {
            return Vec::new();
        }
        let note = info
            .get("stubs")
            .map(|s| format!("compiled by {s}"))
            .or_else(|| {
                info.get("stubs unavailable")
                    .map(|s| format!("unavailable: {s}"))
            });
        self.counts
            .into_iter()
            .map(|(path, (ran, agreed, unavailable, missing))| PathStat {
                path,
                ran,
                agreed,
                unavailable,
                missing,
                note: matches!(path, ExecPath::CStub | ExecPath::AsmStub)
                    .then(|| note.clone())
                    .flatten(),
            })
            .collect()
    }
}

fn merge_identity(id: &mut Identity, ex: &Execution, arch: Arch) {
    let found = &ex.identity;
    if let Some(primary) = found.primary() {
        id.hypervisor = primary.name.clone();
        id.version = primary.version.clone();
    }
    if !found.accelerator.is_empty() {
        id.accelerator = found.accelerator.clone();
    }
    // A later boot knows at least as much (a firmware banner appears only once it booted).
    if found.components.len() >= id.components.len() && !found.components.is_empty() {
        id.components = found.components.clone();
    }
    if let Some(m) = &found.machine {
        id.details.insert("machine".into(), m.clone());
    }
    if let Some(c) = &found.cpu {
        id.details.insert("cpu".into(), c.clone());
    }
    for (k, v) in &ex.details {
        id.details.insert(k.clone(), v.clone());
    }
    if id.arch.is_empty() {
        id.arch = arch.name().into();
    } else if !id.arch.split(',').any(|a| a == arch.name()) {
        id.arch = format!("{},{}", id.arch, arch.name());
    }
}

fn host() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    format!("{} {}", std::env::consts::ARCH, name.trim())
}

/// The input register file of a case, as the guest builds it.
pub fn case_input(plan: &Plan, case: &Case, scratch_base: u64) -> RegisterFile {
    case.wire(0).input(plan.abi(case).arch, scratch_base)
}

fn judge(plan: &Plan, case: &Case, obs: &Obs) -> CaseResult {
    let abi = plan.abi(case);
    let mut result = base_result(plan, case);
    if obs.not_run {
        result.verdict = Verdict::Error;
        result.reason =
            Some("the guest could not run this case (unknown ABI or call in its build)".into());
        return result;
    }
    let expect = plan.expect(case);
    // (violation, the path that saw it; None: the probe)
    let mut violations: Vec<(Violation, Option<ExecPath>)> = Vec::new();
    let rust = obs
        .paths
        .iter()
        .find(|p| p.path == wire::PATH_RUST && p.outcome == wire::PATH_RAN);
    check_case(
        abi,
        expect,
        &obs.observation,
        rust.map(|p| p.values()),
        |v| {
            let path = (v.kind == ViolationKind::CallerMismatch).then_some(ExecPath::Caller);
            violations.push((v, path))
        },
    );
    for p in &obs.paths {
        let answer = match p.outcome {
            wire::PATH_RAN if p.path == wire::PATH_RUST => continue,
            wire::PATH_RAN => StubAnswer::Returned(p.values()),
            wire::PATH_LIVE_CHANGED => StubAnswer::LiveChanged(p.values()),
            wire::PATH_EXCEPTION => StubAnswer::Exception(p.values().first().copied().unwrap_or(0)),
            _ => continue,
        };
        let path = exec_path(p.path);
        check_stub(abi, expect, &obs.observation, answer, |v| {
            violations.push((v, Some(path)))
        });
    }
    // (violation, what it is about: a byte or field of the parameter struct)
    let mut struct_notes: Vec<(Violation, String)> = Vec::new();
    if let (Some(st), Some((_, window))) =
        (case.param.and_then(|p| abi.struct_named(p)), &case.buffer)
    {
        match &obs.buffer {
            None if obs.observation.exception.is_none() => {
                result.verdict = Verdict::Error;
                result.reason = Some(
                    "the guest sent no struct record for a case with a parameter struct".into(),
                );
                return result;
            }
            None => {}
            Some(changed) => {
                let call = plan.call(case);
                struct_notes = judge_struct(abi, call, case.expect, st, window, changed, obs)
            }
        }
    }
    result.observed = Some(observed(abi, plan.call(case), &obs.observation));
    result.verdict = if violations.is_empty() && struct_notes.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    let call_name = plan.call(case).map_or("<unknown>", |c| c.name);
    result.violations = violations
        .iter()
        .map(|(v, path)| {
            let mut r = violation_report(abi, plan.call(case), case, v);
            if let Some(path) = path {
                r.path = Some(*path);
                r.message = format!("{} (through the {})", r.message, path.title());
            }
            r
        })
        .chain(struct_notes.iter().map(|(v, note)| {
            let mut r = violation_report(abi, plan.call(case), case, v);
            r.expected = expected_text(abi, plan.call(case), v);
            r.message = format!(
                "{}::{call_name}: {} at {note}; expected {}, observed {:#x}",
                abi.id,
                v.kind.name(),
                r.expected,
                v.observed
            );
            r
        }))
        .collect();
    result
}

/// The parameter struct after a call: bytes written outside its output fields (`struct_write`),
/// and, when the call succeeded, output fields left untouched (`output_not_written`); fields
/// written with a value outside their domain (`field_out_of_domain`); and a sub-operation
/// refused for its fixed fields although they held the spec's values (`fixed_refused`). Each
/// violation with the byte or field it is about.
fn judge_struct(
    abi: &Abi,
    call: Option<&Call>,
    expect: Expectation,
    st: &abi_spec::StructDef,
    window: &[u8],
    changed: &[(u8, u8)],
    obs: &Obs,
) -> Vec<(Violation, String)> {
    let mut out = Vec::new();
    let violation = |kind, before: u64, expected: u64, observed: u64| Violation {
        kind,
        reg: None,
        role: None,
        before,
        expected,
        observed,
    };
    for &(off, byte) in changed {
        let at = st.byte_at(u32::from(off));
        if at.writable() {
            continue;
        }
        let before = u64::from(window.get(usize::from(off)).copied().unwrap_or(0));
        let what = match at {
            abi_spec::ByteAt::Field(f) => format!("`{}` ({})", f.name, f.dir.into_str()),
            abi_spec::ByteAt::Padding => "padding".into(),
            abi_spec::ByteAt::Past => format!("past the struct's {} bytes", st.size()),
        };
        out.push((
            violation(ViolationKind::StructWrite, before, before, u64::from(byte)),
            format!("byte {off} of struct {} ({what})", st.name),
        ));
    }
    let mut after = window.to_vec();
    for &(off, byte) in changed {
        if let Some(b) = after.get_mut(usize::from(off)) {
            *b = byte;
        }
    }
    let written = |offset: u32, size: u32| {
        changed
            .iter()
            .any(|&(o, _)| (offset..offset + size).contains(&u32::from(o)))
    };
    let status = call.and_then(|c| {
        let r = c.results.first()?;
        let m = abi_spec::abi::mask(abi.width_for(c));
        Some((c, obs.observation.after.get(r.reg) & m, m))
    });
    let succeeded = obs.observation.exception.is_none()
        && status.is_some_and(|(c, v, m)| !c.errors.iter().any(|e| (e.value as u64) & m == v));
    for (f, l) in st.layouts() {
        let end = (l.offset + l.size) as usize;
        if end > after.len() {
            continue;
        }
        if succeeded && f.dir == abi_spec::FieldDir::Out && !written(l.offset, l.size) {
            let before = st
                .rule
                .read(&window[l.offset as usize..end.min(l.offset as usize + 8)]);
            out.push((
                violation(ViolationKind::OutputNotWritten, before, before, before),
                format!(
                    "`{}` of struct {} (bytes {}..{end})",
                    f.name, st.name, l.offset
                ),
            ));
        }
        let (Some((min, max)), true) = (f.domain, written(l.offset, l.size)) else {
            continue;
        };
        let elem = l.size / f.count;
        for i in 0..f.count {
            let at = (l.offset + i * elem) as usize;
            let raw = st.rule.read(&after[at..at + elem as usize]);
            let value = if f.ty.signed() {
                let shift = 128 - elem * 8;
                (i128::from(raw) << shift) >> shift
            } else {
                i128::from(raw)
            };
            if !(min..=max).contains(&value) {
                let name = if f.count == 1 {
                    format!("`{}`", f.name)
                } else {
                    format!("`{}[{i}]`", f.name)
                };
                out.push((
                    violation(ViolationKind::FieldOutOfDomain, 0, min as u64, raw),
                    format!("{name} of struct {} (domain {min}..={max})", st.name),
                ));
            }
        }
    }
    if let (Expectation::Contract, Some(f), Some((c, v, m))) = (
        expect,
        call.and_then(|c| abi.family(c.name))
            .filter(|f| f.field.is_some()),
        status,
    ) {
        if let Some(bad) = f.bad_fixed.filter(|b| (b.value as u64) & m == v) {
            let fixed: Vec<String> = f.fixed.iter().map(|(n, _)| format!("`{n}`")).collect();
            out.push((
                violation(ViolationKind::FixedRefused, v, v, v),
                format!(
                    "{} {} of struct {} ({}::{} answered {} for the spec's values)",
                    if fixed.len() == 1 { "field" } else { "fields" },
                    fixed.join(", "),
                    st.name,
                    abi.id,
                    c.name,
                    bad.name
                ),
            ));
        }
    }
    out
}

fn observed(abi: &Abi, call: Option<&Call>, obs: &Observation) -> Observed {
    if let Some(code) = obs.exception {
        return Observed {
            results: Vec::new(),
            exception: Some(format!("exception {code:#x}")),
        };
    }
    let results = match call {
        Some(call) => call
            .results
            .iter()
            .map(|r| NamedValue {
                name: r.name.into(),
                value: obs.after.get(r.reg),
            })
            .collect(),
        None => abi
            .results
            .first()
            .map(|r| {
                vec![NamedValue {
                    name: "status".into(),
                    value: obs.after.get(*r),
                }]
            })
            .unwrap_or_default(),
    };
    Observed {
        results,
        exception: None,
    }
}

fn base_result(plan: &Plan, case: &Case) -> CaseResult {
    let abi = plan.abi(case);
    let call = plan.call(case);
    CaseResult {
        id: case.id,
        abi: abi.id.into(),
        call: call.map_or_else(|| "<unknown>".to_string(), |c| c.name.to_string()),
        number: case.number.clone(),
        kind: case.kind,
        label: case.label.clone(),
        path: if case.caller {
            ExecPath::Caller
        } else {
            ExecPath::Probe
        },
        args: call
            .map(|c| {
                c.args
                    .iter()
                    .zip(&case.args)
                    .map(|(a, v)| NamedValue {
                        name: a.name.into(),
                        value: *v,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        verdict: Verdict::Error,
        violations: Vec::new(),
        observed: None,
        reason: None,
        known: None,
        shrunk_from: None,
        duration_ns: 0,
    }
}

fn not_run(plan: &Plan, case: &Case, verdict: Verdict, reason: String) -> CaseResult {
    let mut r = base_result(plan, case);
    r.verdict = verdict;
    r.reason = Some(reason);
    r
}

/// What the spec allowed, in words.
fn expected_text(abi: &Abi, call: Option<&Call>, v: &Violation) -> String {
    match v.kind {
        ViolationKind::PreservedChanged => format!("{:#x} (preserved)", v.expected),
        ViolationKind::NotZeroOrPreserved => format!("0 or {:#x}", v.expected),
        ViolationKind::ResultOutOfDomain => {
            let call = call.expect("domain violations are about a call");
            let r = call.results.iter().find(|r| Some(r.reg) == v.reg);
            let mut s = r.map_or_else(String::new, |r| r.domain.to_string());
            if r.is_some_and(|r| Some(r.reg) == call.results.first().map(|f| f.reg))
                && !call.errors.is_empty()
            {
                let errs: Vec<String> = call
                    .errors
                    .iter()
                    .map(|e| format!("{}({})", e.name, e.value))
                    .collect();
                s = format!("{s} or one of {}", errs.join(", "));
            }
            s
        }
        ViolationKind::ResultInWrongRegister => "the result in its declared register".into(),
        ViolationKind::UpperBits => "upper bits per the 32-bit convention".into(),
        ViolationKind::UnexpectedException => "a return".into(),
        ViolationKind::MissingException => match abi.unknown {
            Some(Unknown::Exception(name)) => format!("a {name} exception"),
            _ => "an exception".into(),
        },
        ViolationKind::StructWrite => format!("{:#x} (unchanged)", v.expected),
        ViolationKind::OutputNotWritten => "a value written by the hypervisor".into(),
        ViolationKind::FieldOutOfDomain => "a value in the field's domain".into(),
        ViolationKind::FixedRefused => "the sub-operation's answer, not a refusal".into(),
        ViolationKind::WrongError => {
            let m = abi_spec::abi::mask(call.map_or(abi.arch.gpr_bits(), |c| abi.width_for(c)));
            match abi
                .errors
                .iter()
                .find(|e| (e.value as u64) & m == v.expected)
            {
                Some(e) => format!("{} ({})", e.name, e.value),
                None => format!("{:#x}", v.expected),
            }
        }
        ViolationKind::UnknownAccepted => match abi.unknown {
            Some(Unknown::Error(e)) => format!("{} ({})", e.name, e.value),
            _ => format!("{:#x}", v.expected),
        },
        ViolationKind::InvalidAccepted => {
            let errs: Vec<String> = call
                .map(|c| {
                    c.errors
                        .iter()
                        .map(|e| format!("{}({})", e.name, e.value))
                        .collect()
                })
                .unwrap_or_default();
            format!("one of {}", errs.join(", "))
        }
        ViolationKind::CallerMismatch => format!("{:#x} (the probe's result)", v.expected),
        ViolationKind::LiveValueChanged => {
            "every argument kept live across the call intact (a register the stub does not \
             declare changed was changed)"
                .into()
        }
    }
}

fn violation_report(abi: &Abi, call: Option<&Call>, case: &Case, v: &Violation) -> ViolationReport {
    let args: Vec<String> = call
        .map(|c| {
            c.args
                .iter()
                .zip(&case.args)
                .map(|(a, x)| format!("{}={x:#x}", a.name))
                .collect()
        })
        .unwrap_or_else(|| vec![format!("number={}", crate::plan::number_text(&case.number))]);
    describe(abi, call, &args.join(", "), v)
}

/// A violation as the reports carry it: kind, register, role, values, and one sentence naming
/// the ABI, the call with its arguments, the register and the expected and observed values.
pub fn describe(abi: &Abi, call: Option<&Call>, args: &str, v: &Violation) -> ViolationReport {
    let expected = expected_text(abi, call, v);
    let register = v
        .reg
        .map_or_else(|| "-".to_string(), |r| r.name().to_string());
    let role = v
        .role
        .map_or_else(|| "-".to_string(), |r| r.name().to_string());
    let observed_text = match v.kind {
        ViolationKind::UnexpectedException => format!("exception {:#x}", v.observed),
        // The dispatcher says that an argument changed, not which or to what.
        ViolationKind::LiveValueChanged => "one changed".into(),
        _ => format!("{:#x}", v.observed),
    };
    let message = format!(
        "{}::{}({}): {}{}; expected {expected}, observed {observed_text}",
        abi.id,
        call.map_or("<unknown>", |c| c.name),
        args,
        v.kind.name(),
        v.reg
            .map_or_else(String::new, |r| format!(" in {r} ({role})")),
    );
    ViolationReport {
        kind: v.kind.id().into(),
        register,
        role,
        before: v.reg.map(|_| v.before),
        expected,
        observed: (v.kind != ViolationKind::LiveValueChanged).then_some(v.observed),
        message,
        path: None,
    }
}

/// Decodes a record stream against the plan: `before` files are rebuilt from the plan and the
/// guest's scratch base; `after` files from the changed registers the records carry.
fn decode_against(
    plan: &Plan,
    ex: &Execution,
    out: &mut HashMap<u32, Obs>,
    info: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    let by_id: HashMap<u32, &Case> = plan.cases.iter().map(|c| (c.id, c)).collect();
    let mut r = Reader::new(&ex.records);
    let mut scratch_base = None;
    let mut done = false;
    let mut n = 0u32;
    while !r.is_empty() {
        let at = r.position();
        let rec =
            Record::read(&mut r).map_err(|e| format!("result stream: record at byte {at}: {e}"))?;
        match &rec {
            Record::Info {
                scratch_base: b, ..
            } => {
                scratch_base = Some(*b);
                for (k, v) in rec.info_pairs() {
                    // What the guest says about its stubs and what its boot found out about the
                    // platform (`env:`: e.g. a PVH dom0's Xen CPUID leaves and hypercall page)
                    // reach the report; an ABI id says why the guest cannot run that ABI.
                    if k.starts_with("stubs") || k.starts_with("env:") {
                        info.insert(k.to_string(), v.to_string());
                    } else if plan.abis.iter().any(|a| a.id == k) {
                        info.insert(format!("{UNAVAILABLE}{k}"), v.to_string());
                    }
                }
            }
            Record::Case {
                id,
                status,
                code,
                paths,
                npaths,
                ..
            } => {
                let case = by_id.get(id).ok_or_else(|| {
                    format!("result stream: a result for case {id}, which the plan does not have")
                })?;
                let base = scratch_base
                    .ok_or("result stream: a case result before the guest's info record")?;
                let before = case_input(plan, case, base);
                let after = rec
                    .case_after(&before)
                    .map_err(|e| format!("result stream: case {id}: {e}"))?;
                n += 1;
                out.insert(
                    *id,
                    Obs {
                        observation: Observation {
                            before,
                            after,
                            exception: (*status == wire::STATUS_EXCEPTION).then_some(*code),
                        },
                        paths: paths[..(*npaths as usize).min(paths.len())].to_vec(),
                        not_run: *status == wire::STATUS_NOT_RUN,
                        buffer: None,
                    },
                );
            }
            Record::Buffer {
                id,
                n: count,
                bytes,
            } => {
                let obs = out.get_mut(id).ok_or_else(|| {
                    format!("result stream: a struct record for case {id} before its case record")
                })?;
                let mut b = bytes.clone();
                let mut changed = Vec::with_capacity(*count as usize);
                for _ in 0..*count {
                    let off = b
                        .u8()
                        .map_err(|e| format!("result stream: case {id}: {e}"))?;
                    let v = b
                        .u8()
                        .map_err(|e| format!("result stream: case {id}: {e}"))?;
                    changed.push((off, v));
                }
                obs.buffer = Some(changed);
            }
            Record::Done { ncases } => {
                if *ncases != n {
                    return Err(format!(
                        "result stream: the guest reports {ncases} cases done, {n} results arrived"
                    ));
                }
                done = true;
            }
        }
    }
    if !done && ex.error.is_none() {
        return Err(format!(
            "result stream ended after {n} results without the guest's end record"
        ));
    }
    Ok(())
}

/// Most shrink steps (candidates walked) for one failing case.
pub const SHRINK_BUDGET: u32 = 64;
/// Failing generated cases shrunk per call (the first ones).
const SHRINK_PER_CALL: usize = 1;
/// Shrink steps decided per execution: each execution (a boot on a real target) runs, for every
/// case being shrunk, the candidates of every outcome of its next `SHRINK_DEPTH` steps
/// (2^depth - 1 of them), so a walk of 64 steps needs 16 boots, not 64, whatever the number of
/// failing cases.
pub const SHRINK_DEPTH: usize = 4;
/// Candidate case ids: this bit, a counter from bit 16, and the low 16 bits of the case's own
/// id, which seed its poison (so a candidate is poisoned as its case was).
const CANDIDATE_IDS: u32 = 0x8000_0000;

/// Shrinks failing generated cases to minimal ones by re-executing candidates through the same
/// runner; the case keeps its id and records the arguments it was found with.
pub fn shrink_failures(runner: &mut dyn Runner, plan: &Plan, target: &mut TargetRun) {
    shrink_failures_except(runner, plan, target, &|_| false);
}

/// One failing case's shrink walk: proptest's walk (simplify while the case still fails,
/// complicate when a simplification made it pass), as the list of decisions taken so far, so
/// any state can be rebuilt from the case's value tree.
struct Walk<'p> {
    /// Index into the target's results.
    at: usize,
    case: &'p crate::plan::Case,
    /// Per step: whether the candidate still failed.
    decisions: Vec<bool>,
    best: CaseResult,
    steps: u32,
    done: bool,
}

impl Walk<'_> {
    /// The candidate arguments after `decisions` + `more`, or `None` where the walk ends there.
    fn candidate(&self, plan: &Plan, more: &[bool]) -> Option<Vec<u64>> {
        let mut tree = plan.value_tree(self.case)?;
        let mut live = tree.simplify();
        for &failed in self.decisions.iter().chain(more) {
            if !live {
                return None;
            }
            live = if failed {
                tree.simplify()
            } else {
                tree.complicate()
            };
        }
        live.then(|| tree.current())
    }
}

/// Every decision list of length below `depth` (the nodes of the next `depth` steps).
fn speculation(depth: usize) -> Vec<Vec<bool>> {
    let mut out = vec![vec![]];
    let mut level = vec![vec![]];
    for _ in 1..depth {
        level = level
            .iter()
            .flat_map(|p: &Vec<bool>| {
                [false, true].map(|b| {
                    let mut n = p.clone();
                    n.push(b);
                    n
                })
            })
            .collect();
        out.extend(level.iter().cloned());
    }
    out
}

/// [`shrink_failures`], leaving alone the failures `known` says the baseline already explains.
/// Candidates are batched: one execution decides the next [`SHRINK_DEPTH`] steps of every walk.
pub fn shrink_failures_except(
    runner: &mut dyn Runner,
    plan: &Plan,
    target: &mut TargetRun,
    known: &dyn Fn(&CaseResult) -> bool,
) {
    let mut per_call: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut walks = Vec::new();
    for (at, r) in target.cases.iter().enumerate() {
        if r.verdict != Verdict::Fail || r.kind != crate::report::CaseKind::Generated || known(r) {
            continue;
        }
        let n = per_call.entry((r.abi.clone(), r.call.clone())).or_default();
        if *n >= SHRINK_PER_CALL {
            continue;
        }
        *n += 1;
        let Some(case) = plan.cases.iter().find(|c| c.id == r.id) else {
            continue;
        };
        if plan.value_tree(case).is_none() {
            continue;
        }
        walks.push(Walk {
            at,
            case,
            decisions: vec![],
            best: r.clone(),
            steps: 0,
            done: false,
        });
    }
    let nodes = speculation(SHRINK_DEPTH);
    while walks.iter().any(|w| !w.done) {
        // (walk, node) of every candidate in this execution, by candidate id.
        let mut batch: HashMap<u32, (usize, usize)> = HashMap::new();
        let mut cases = Vec::new();
        for (wi, w) in walks.iter().enumerate().filter(|(_, w)| !w.done) {
            for (ni, node) in nodes.iter().enumerate() {
                if let Some(args) = w.candidate(plan, node) {
                    let mut c = plan.with_args(w.case, &args);
                    c.id = CANDIDATE_IDS | ((cases.len() as u32) << 16) | (w.case.id & 0xffff);
                    batch.insert(c.id, (wi, ni));
                    cases.push(c);
                }
            }
        }
        let sub = run_target(runner, &plan.only(cases), 0.0);
        let mut results: HashMap<(usize, usize), CaseResult> = HashMap::new();
        for r in sub.cases {
            if let Some(k) = batch.get(&r.id) {
                results.insert(*k, r);
            }
        }
        for (wi, w) in walks.iter_mut().enumerate().filter(|(_, w)| !w.done) {
            let mut taken: Vec<bool> = vec![];
            loop {
                if taken.len() == SHRINK_DEPTH || w.steps >= SHRINK_BUDGET {
                    w.done = w.steps >= SHRINK_BUDGET;
                    break;
                }
                let Some(ni) = nodes.iter().position(|n| *n == taken) else {
                    break;
                };
                let Some(r) = results.get(&(wi, ni)) else {
                    // The walk ends here (no candidate), or the execution lost it.
                    w.done = true;
                    break;
                };
                w.steps += 1;
                let failed = r.verdict == Verdict::Fail;
                if failed {
                    w.best = r.clone();
                }
                taken.push(failed);
            }
            w.decisions.extend(taken);
        }
    }
    for w in walks {
        let original = &target.cases[w.at];
        let mut best = w.best;
        if best.args != original.args {
            best.id = original.id;
            best.shrunk_from = Some(original.args.clone());
            best.kind = original.kind;
            target.cases[w.at] = best;
        }
    }
}
