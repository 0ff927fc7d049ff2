//! Baselines and the gate. A baseline records, per target, the failures known today (each with a
//! one-line reason), the calls that passed, and the values of results the spec marks stable.
//! A run compared with it fails the gate on a regression: a case failing with a violation the
//! baseline does not know (a call that passed before, or a new kind of violation), or a stable
//! value that changed. Known failures are reported, not gated.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::report::{CaseKind, Report, Verdict};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub format_version: u32,
    pub targets: BTreeMap<String, TargetBaseline>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetBaseline {
    /// Failures accepted for now.
    #[serde(default)]
    pub known: Vec<KnownFailure>,
    /// `abi::call` of every call whose cases all passed.
    #[serde(default)]
    pub passing: BTreeSet<String>,
    /// `abi::call` → the result values of its documented-values case, for `#[stable]` calls.
    #[serde(default)]
    pub stable: BTreeMap<String, Vec<String>>,
    /// Calls not to send to this target at all, because they stop or hang it (a firmware bug
    /// found here, with its evidence in the reason). Reported as skipped with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Exclusion>,
}

/// A call kept out of a target's plans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub abi: String,
    pub call: String,
    pub reason: String,
}

/// Marks the cases of excluded calls in `plan` as not to be run.
pub fn apply_exclusions(plan: &mut crate::plan::Plan, target: &str, baseline: &Baseline) {
    let Some(b) = baseline.targets.get(target) else {
        return;
    };
    for case in &mut plan.cases {
        let abi = plan.abis[case.abi];
        let call = case.call.map_or("<unknown>", |c| abi.calls[c].name);
        if let Some(x) = b.exclude.iter().find(|x| x.abi == abi.id && x.call == call) {
            case.excluded = Some(format!("excluded by the baseline: {}", x.reason));
        }
    }
}

/// A failure the baseline accepts: `call` and `kind` may be `*`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownFailure {
    pub abi: String,
    pub call: String,
    pub kind: String,
    pub reason: String,
}

/// Whether every violation of `case` is a known failure of `target` in `baseline` (such a case
/// needs no shrinking: the baseline already explains it).
pub fn all_known(baseline: &Baseline, target: &str, case: &crate::report::CaseResult) -> bool {
    let Some(t) = baseline.targets.get(target) else {
        return false;
    };
    !case.violations.is_empty()
        && case.violations.iter().all(|v| {
            t.known
                .iter()
                .any(|k| k.matches(&case.abi, &case.call, &v.kind))
        })
}

impl KnownFailure {
    fn matches(&self, abi: &str, call: &str, kind: &str) -> bool {
        self.abi == abi
            && (self.call == "*" || self.call == call)
            && (self.kind == "*" || self.kind == kind)
    }
}

/// What the gate concluded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gate {
    pub regressions: Vec<String>,
    /// Failing cases the baseline knows.
    pub known: u32,
    /// Known failures that did not occur (fixed, or not planned): worth a bless.
    pub stale: Vec<String>,
}

fn key(abi: &str, call: &str) -> String {
    format!("{abi}::{call}")
}

/// The documented-values results of `#[stable]` calls, by `abi::call`.
pub fn stable_values(report: &Report, target: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let Some(t) = report.targets.iter().find(|t| t.target == target) else {
        return out;
    };
    for c in &t.cases {
        let stable = specs::find(&c.abi)
            .and_then(|a| a.call(&c.call))
            .is_some_and(|call| call.stable);
        if stable && c.kind == CaseKind::Fixed && c.label == "documented values" {
            if let Some(o) = &c.observed {
                let v = match &o.exception {
                    Some(e) => vec![e.clone()],
                    None => o
                        .results
                        .iter()
                        .map(|r| format!("{:#x}", r.value))
                        .collect(),
                };
                out.insert(key(&c.abi, &c.call), v);
            }
        }
    }
    out
}

/// Compares `report` with `baseline`, marking known failures in the report.
pub fn gate(report: &mut Report, baseline: &Baseline) -> Gate {
    let mut g = Gate::default();
    for ti in 0..report.targets.len() {
        let stable_now = stable_values(report, &report.targets[ti].target.clone());
        let t = &mut report.targets[ti];
        let empty = TargetBaseline::default();
        let b = baseline.targets.get(&t.target).unwrap_or(&empty);
        let mut used = vec![false; b.known.len()];
        for c in t.cases.iter_mut().filter(|c| c.verdict == Verdict::Fail) {
            let mut reasons = Vec::new();
            let mut unknown = Vec::new();
            for v in &c.violations {
                match b
                    .known
                    .iter()
                    .position(|k| k.matches(&c.abi, &c.call, &v.kind))
                {
                    Some(i) => {
                        used[i] = true;
                        if !reasons.contains(&b.known[i].reason) {
                            reasons.push(b.known[i].reason.clone());
                        }
                    }
                    None => unknown.push(v),
                }
            }
            if unknown.is_empty() {
                c.known = Some(reasons.join("; "));
                g.known += 1;
            } else {
                let was = if b.passing.contains(&key(&c.abi, &c.call)) {
                    "passed in the baseline"
                } else {
                    "violation not in the baseline"
                };
                g.regressions.push(format!(
                    "{}: case #{} ({was}): {}",
                    t.target, c.id, unknown[0].message
                ));
            }
        }
        for (k, old) in &b.stable {
            if let Some(new) = stable_now.get(k) {
                if new != old {
                    g.regressions.push(format!(
                        "{}: stable value of {k} changed: baseline {}, now {}",
                        t.target,
                        old.join(" "),
                        new.join(" ")
                    ));
                }
            }
        }
        for (k, u) in b.known.iter().zip(used) {
            if !u {
                g.stale.push(format!(
                    "{}: {}::{} {} ({})",
                    t.target, k.abi, k.call, k.kind, k.reason
                ));
            }
        }
    }
    g
}

/// A baseline accepting everything `report` shows, keeping the reasons `old` gives for failures
/// that persist. New failures get a reason to be edited by a person.
///
/// `old` is merged into, not replaced: its other targets are kept as they were, and within a
/// target the report ran, the entries of calls the report did not run (a `--call`, `--abi` or
/// `--shard` run) are kept too. Only what the report observed is rewritten.
pub fn bless(report: &Report, old: Option<&Baseline>) -> Baseline {
    let mut out = Baseline {
        format_version: abi_spec::FORMAT_VERSION,
        targets: old.map(|o| o.targets.clone()).unwrap_or_default(),
    };
    for t in &report.targets {
        let prev = old.and_then(|o| o.targets.get(&t.target));
        let mut tb = TargetBaseline::default();
        let mut failing: BTreeSet<String> = BTreeSet::new();
        let mut calls: BTreeSet<String> = BTreeSet::new();
        for c in &t.cases {
            calls.insert(key(&c.abi, &c.call));
            if c.verdict != Verdict::Fail {
                if c.verdict != Verdict::Pass {
                    failing.insert(key(&c.abi, &c.call));
                }
                continue;
            }
            failing.insert(key(&c.abi, &c.call));
            for v in &c.violations {
                if tb.known.iter().any(|k| k.matches(&c.abi, &c.call, &v.kind)) {
                    continue;
                }
                match prev
                    .and_then(|p| p.known.iter().find(|k| k.matches(&c.abi, &c.call, &v.kind)))
                {
                    // Keep a wildcard entry as it was written, with its reason.
                    Some(k) => {
                        if !tb.known.contains(k) {
                            tb.known.push(k.clone());
                        }
                    }
                    None => tb.known.push(KnownFailure {
                        abi: c.abi.clone(),
                        call: c.call.clone(),
                        kind: v.kind.clone(),
                        reason: format!("TODO explain: first seen as `{}`", v.message),
                    }),
                }
            }
        }
        let abis: BTreeSet<&str> = t.cases.iter().map(|c| c.abi.as_str()).collect();
        let ran = |abi: &str, call: &str| {
            if call == "*" {
                abis.contains(abi)
            } else {
                calls.contains(&key(abi, call))
            }
        };
        tb.passing = calls.difference(&failing).cloned().collect();
        tb.exclude = prev.map(|p| p.exclude.clone()).unwrap_or_default();
        tb.stable = stable_values(report, &t.target);
        if let Some(p) = prev {
            // What this report did not run stays as the old baseline had it.
            for k in &p.known {
                if !ran(&k.abi, &k.call) && !tb.known.contains(k) {
                    tb.known.push(k.clone());
                }
            }
            for k in &p.passing {
                if !calls.contains(k) {
                    tb.passing.insert(k.clone());
                }
            }
            for (k, v) in &p.stable {
                if !calls.contains(k) {
                    tb.stable.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        out.targets.insert(t.target.clone(), tb);
    }
    out
}

/// Why a report cannot be blessed: a target that did not run to the end, or cases that errored,
/// would bless the environment's failure as the target's behaviour (and drop its known failures
/// and passing calls). `None` when it can.
pub fn unblessable(report: &Report) -> Option<String> {
    if report.shard.is_some() {
        return Some(
            "it is one shard of a run; merge the shards (`hyperabi merge`) and bless the result"
                .into(),
        );
    }
    let mut why = Vec::new();
    for t in &report.targets {
        if let Some(r) = t.outcome.reason() {
            let state = match t.outcome {
                crate::report::RunOutcome::Unavailable { .. } => "was unavailable",
                _ => "broke",
            };
            why.push(format!("target `{}` {state}: {r}", t.target));
        }
        let errors = t
            .cases
            .iter()
            .filter(|c| c.verdict == Verdict::Error)
            .count();
        if errors > 0 && t.outcome.reason().is_none() {
            why.push(format!("target `{}`: {errors} case(s) errored", t.target));
        }
    }
    (!why.is_empty()).then(|| why.join("; "))
}

impl Baseline {
    /// Checks what serde cannot: target names hyperabi knows, ABIs and calls the specs have,
    /// stable values that are values. Each problem names the file (`path`) and the entry.
    pub fn validate(&self, path: &std::path::Path) -> Result<(), crate::files::ReadError> {
        let bad = |field: String, problem: String| {
            Err(crate::files::ReadError::in_field(path, field, problem))
        };
        let known_targets: Vec<&str> = runners::catalog::names();
        for (target, tb) in &self.targets {
            if !known_targets.contains(&target.as_str()) {
                return bad(
                    format!("targets.`{target}`"),
                    format!("unknown target; known: {}", known_targets.join(", ")),
                );
            }
            let at = |what: &str, i: usize| format!("targets.`{target}`.{what}[{i}]");
            let call_of = |abi: &str, call: &str, wildcard: bool| {
                let Some(a) = specs::find(abi) else {
                    return Err(format!("unknown ABI `{abi}`"));
                };
                if (wildcard && call == "*") || call == "<unknown>" || a.call(call).is_some() {
                    Ok(())
                } else {
                    Err(format!("ABI `{abi}` has no call `{call}`"))
                }
            };
            for (i, k) in tb.known.iter().enumerate() {
                if let Err(m) = call_of(&k.abi, &k.call, true) {
                    return bad(at("known", i), m);
                }
            }
            for (i, x) in tb.exclude.iter().enumerate() {
                if let Err(m) = call_of(&x.abi, &x.call, false) {
                    return bad(at("exclude", i), m);
                }
            }
            for (k, values) in &tb.stable {
                let place = format!("targets.`{target}`.stable.`{k}`");
                let Some((abi, call)) = k.split_once("::") else {
                    return bad(place, "expected `abi::call`".into());
                };
                if let Err(m) = call_of(abi, call, false) {
                    return bad(place, m);
                }
                for (i, v) in values.iter().enumerate() {
                    let value = v.strip_prefix("exception ").unwrap_or(v);
                    let hex = value.starts_with("0x") || value.starts_with("0X");
                    if !hex || crate::report::hex::parse(value).is_err() {
                        return bad(
                            format!("{place}[{i}]"),
                            format!(
                                "`{v}` is not a stable value (a hex value like 0x1f, or \
                                 `exception 0x..`)"
                            ),
                        );
                    }
                }
            }
        }
        Ok(())
    }
}
