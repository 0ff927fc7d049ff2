//! Joining the shard reports of one run (`hyperabi run --shard i/n` on n machines) into the
//! report the unsharded run would have written.
//!
//! The shards must come from the same run: same `format_version`, tool, seed and cases per call,
//! shards 1..=n each present exactly once, and the same targets in each. Per target:
//! - cases are concatenated and ordered by case id (an id in two shards is an error); summarised
//!   passes and known failures are joined and summarised again, so that each call keeps one
//!   example of its passes and each group of known failures its first few;
//! - the identity must agree on hypervisor, version, arch and accelerator; hosts and details
//!   that differ (shards on different machines) are joined, distinct values in shard order;
//! - timings are summed (the first result is the earliest one);
//! - clobber statistics are summed per (abi, call, register), calls in case order;
//! - the outcome is the worst (completed < error < unavailable), with the reasons of the shards
//!   that had it;
//! - console logs are concatenated under a `=== shard i/n ===` line each.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::{
    AbiCoverage, ClobberStat, IdSet, Identity, KnownGroup, PassedCall, PathStat, Report,
    RunOutcome, TargetRun, Timings,
};

/// Why the shards could not be merged. The inputs are named as the caller named them (file
/// names for the CLI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeError(pub String);

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MergeError {}

/// Merges shard reports, naming them `input 1`, `input 2`, ... in errors.
pub fn merge(reports: Vec<Report>) -> Result<Report, MergeError> {
    merge_named(
        reports
            .into_iter()
            .enumerate()
            .map(|(i, r)| (format!("input {}", i + 1), r))
            .collect(),
    )
}

/// Merges shard reports, each with the name errors use for it (e.g. its file name).
pub fn merge_named(inputs: Vec<(String, Report)>) -> Result<Report, MergeError> {
    let err = |m: String| Err(MergeError(m));
    let Some((first_name, first)) = inputs.first() else {
        return err("nothing to merge: no shard reports given".into());
    };

    // Same run.
    for (name, r) in &inputs[1..] {
        let differs = |what: &str, a: String, b: String| {
            err(format!(
                "{name} is not from the same run as {first_name}: {what} {b} differs from {a}"
            ))
        };
        if r.format_version != first.format_version {
            return differs(
                "format_version",
                first.format_version.to_string(),
                r.format_version.to_string(),
            );
        }
        if r.tool != first.tool {
            return differs("tool", format!("`{}`", first.tool), format!("`{}`", r.tool));
        }
        if r.seed != first.seed {
            return differs(
                "seed",
                format!("{:#x}", first.seed),
                format!("{:#x}", r.seed),
            );
        }
        if r.cases_per_call != first.cases_per_call {
            return differs(
                "cases per call",
                first.cases_per_call.to_string(),
                r.cases_per_call.to_string(),
            );
        }
    }

    // Every shard exactly once.
    let mut count = None;
    let mut seen: BTreeMap<u32, &str> = BTreeMap::new();
    for (name, r) in &inputs {
        let Some(shard) = r.shard else {
            return err(format!(
                "{name} is not a shard report (it has no `shard` field): only the shards of one \
                 `hyperabi run --shard i/n` can be merged"
            ));
        };
        match count {
            None => count = Some((shard.count, name.as_str())),
            Some((n, other)) if n != shard.count => {
                return err(format!(
                    "{name} is shard {}/{} but {other} is one of {n} shards",
                    shard.index, shard.count
                ))
            }
            Some(_) => {}
        }
        if shard.index == 0 || shard.index > shard.count {
            return err(format!(
                "{name} has an impossible shard {}/{}",
                shard.index, shard.count
            ));
        }
        if let Some(other) = seen.insert(shard.index, name) {
            return err(format!(
                "shard {}/{} is given twice: {other} and {name}",
                shard.index, shard.count
            ));
        }
    }
    let n = count.map(|c| c.0).unwrap_or(0);
    let missing: Vec<String> = (1..=n)
        .filter(|i| !seen.contains_key(i))
        .map(|i| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        return err(format!(
            "shard{} {} {} missing (have {})",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" },
            seen.keys()
                .map(|i| format!("{i}/{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    // Same targets in each shard.
    let mut inputs = inputs;
    inputs.sort_by_key(|(_, r)| r.shard.map(|s| s.index));
    let names = |r: &Report| {
        r.targets
            .iter()
            .map(|t| t.target.clone())
            .collect::<Vec<_>>()
    };
    let (base_name, base) = &inputs[0];
    for (name, r) in &inputs[1..] {
        let (a, b) = (names(base), names(r));
        let (sa, sb): (BTreeSet<_>, BTreeSet<_>) = (a.iter().collect(), b.iter().collect());
        if sa != sb || a.len() != b.len() {
            return err(format!(
                "{name} ran targets [{}] but {base_name} ran [{}]",
                b.join(", "),
                a.join(", ")
            ));
        }
    }

    let mut merged = Report {
        // Written by this hyperabi, in its format (every field a newer version added is optional).
        format_version: super::FORMAT_VERSION,
        tool: base.tool.clone(),
        seed: base.seed,
        cases_per_call: base.cases_per_call,
        shard: None,
        targets: Vec::new(),
    };
    for t in &base.targets {
        let parts: Vec<(&str, String, &TargetRun)> = inputs
            .iter()
            .map(|(name, r)| {
                let s = r.shard.unwrap();
                (
                    name.as_str(),
                    format!("{}/{}", s.index, s.count),
                    r.targets.iter().find(|x| x.target == t.target).unwrap(),
                )
            })
            .collect();
        merged.targets.push(merge_target(&parts)?);
    }
    Ok(merged)
}

fn merge_target(parts: &[(&str, String, &TargetRun)]) -> Result<TargetRun, MergeError> {
    let (first_name, _, first) = parts[0];
    let target = &first.target;

    let mut identity = Identity {
        details: BTreeMap::new(),
        ..first.identity.clone()
    };
    let mut hosts: Vec<&str> = Vec::new();
    let mut details: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, _, t) in parts {
        let (a, b) = (&first.identity, &t.identity);
        for (what, x, y) in [
            ("hypervisor", &a.hypervisor, &b.hypervisor),
            ("version", &a.version, &b.version),
            ("arch", &a.arch, &b.arch),
            ("accelerator", &a.accelerator, &b.accelerator),
        ] {
            if x != y {
                return Err(MergeError(format!(
                    "target `{target}` is not the same in {name} and {first_name}: {what} `{y}` \
                     differs from `{x}`"
                )));
            }
        }
        if !hosts.contains(&b.host.as_str()) {
            hosts.push(&b.host);
        }
        for (k, v) in &b.details {
            let vs = details.entry(k).or_default();
            if !vs.contains(&v.as_str()) {
                vs.push(v);
            }
        }
    }
    identity.host = hosts.join(", ");
    identity.details = details
        .into_iter()
        .map(|(k, vs)| (k.to_string(), vs.join(", ")))
        .collect();

    let mut cases = Vec::new();
    let mut owner: BTreeMap<u32, &str> = BTreeMap::new();
    for (name, _, t) in parts {
        for c in &t.cases {
            if let Some(other) = owner.insert(c.id, name) {
                return Err(MergeError(format!(
                    "target `{target}`: case {} is in both {other} and {name} (the shards overlap)",
                    c.id
                )));
            }
            cases.push(c.clone());
        }
    }
    cases.sort_by_key(|c| c.id);
    // Summarised passes: their ids may not overlap either.
    let mut passed: Vec<PassedCall> = Vec::new();
    let mut summarised = false;
    for (name, _, t) in parts {
        let Some(ps) = &t.passed else { continue };
        summarised = true;
        for p in ps {
            let ids = IdSet::parse(&p.ids).map_err(|e| {
                MergeError(format!(
                    "target `{target}` in {name}: passed {}: {e}",
                    p.call
                ))
            })?;
            for id in ids.iter() {
                if let Some(other) = owner.insert(id, name) {
                    return Err(MergeError(format!(
                        "target `{target}`: case {id} is in both {other} and {name} (the shards \
                         overlap)"
                    )));
                }
            }
            passed.push(p.clone());
        }
    }

    // Summarised known failures: their ids may not overlap either.
    let mut known: Vec<KnownGroup> = Vec::new();
    for (name, _, t) in parts {
        let Some(ks) = &t.known_failures else {
            continue;
        };
        summarised = true;
        for k in ks {
            let ids = IdSet::parse(&k.ids).map_err(|e| {
                MergeError(format!(
                    "target `{target}` in {name}: known failures of {}: {e}",
                    k.call
                ))
            })?;
            for id in ids.iter() {
                if let Some(other) = owner.insert(id, name) {
                    return Err(MergeError(format!(
                        "target `{target}`: case {id} is in both {other} and {name} (the shards \
                         overlap)"
                    )));
                }
            }
            known.push(k.clone());
        }
    }

    let mut timings = Timings::default();
    for (_, _, t) in parts {
        timings.plan_ms += t.timings.plan_ms;
        timings.run_ms += t.timings.run_ms;
        timings.check_ms += t.timings.check_ms;
        timings.first_result_ms = match (timings.first_result_ms, t.timings.first_result_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    // Clobbers: calls in the order their first case appears, registers in first-seen order.
    let mut first_case: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    let summarised_ids = passed
        .iter()
        .map(|p| (&p.abi, &p.call, &p.ids))
        .chain(known.iter().map(|k| (&k.abi, &k.call, &k.ids)))
        .filter_map(|(abi, call, ids)| {
            IdSet::parse(ids)
                .ok()
                .and_then(|s| s.first())
                .map(|id| ((abi.as_str(), call.as_str()), id))
        });
    for (key, id) in cases
        .iter()
        .map(|c| ((c.abi.as_str(), c.call.as_str()), c.id))
        .chain(summarised_ids)
    {
        let e = first_case.entry(key).or_insert(id);
        *e = (*e).min(id);
    }
    let mut clobbers: Vec<ClobberStat> = Vec::new();
    for (_, _, t) in parts {
        for s in &t.clobbers {
            match clobbers
                .iter_mut()
                .find(|m| m.abi == s.abi && m.call == s.call && m.register == s.register)
            {
                Some(m) => {
                    // Counts past u32::MAX cannot come from real shards (each counts cases):
                    // refuse them rather than wrap (release) or panic (debug).
                    let sum = |a: u32, b: u32, what: &str| {
                        a.checked_add(b).ok_or_else(|| {
                            MergeError(format!(
                                "target `{target}`: clobber count `{what}` of {}::{} {} is more \
                                 than {} over the shards ({a} + {b}): not counts of real cases",
                                s.abi,
                                s.call,
                                s.register,
                                u32::MAX
                            ))
                        })
                    };
                    m.changed = sum(m.changed, s.changed, "changed")?;
                    m.of = sum(m.of, s.of, "of")?;
                    m.example = m.example.or(s.example);
                }
                None => clobbers.push(s.clone()),
            }
        }
    }
    // Path counts add up over the shards (each shard ran its own cases).
    let mut paths: Vec<PathStat> = Vec::new();
    for (_, _, t) in parts {
        for s in &t.paths {
            match paths.iter_mut().find(|m| m.path == s.path) {
                Some(m) => {
                    let sum = |a: u32, b: u32| {
                        a.checked_add(b).ok_or_else(|| {
                            MergeError(format!(
                                "target `{target}`: path counts of the {} over {} over the \
                                 shards: not counts of real cases",
                                s.path.title(),
                                u32::MAX
                            ))
                        })
                    };
                    m.ran = sum(m.ran, s.ran)?;
                    m.agreed = sum(m.agreed, s.agreed)?;
                    m.unavailable = sum(m.unavailable, s.unavailable)?;
                    m.missing = sum(m.missing, s.missing)?;
                    if m.note.is_none() {
                        m.note = s.note.clone();
                    }
                }
                None => paths.push(s.clone()),
            }
        }
    }
    paths.sort_by_key(|p| p.path);
    let coverage = merge_coverage(target, parts.iter().map(|p| &p.2.coverage))?;
    clobbers.sort_by_key(|s| {
        first_case
            .get(&(s.abi.as_str(), s.call.as_str()))
            .copied()
            .unwrap_or(u32::MAX)
    });

    let rank = |o: &RunOutcome| match o {
        RunOutcome::Completed => 0,
        RunOutcome::Error { .. } => 1,
        RunOutcome::Unavailable { .. } => 2,
    };
    let worst = parts.iter().map(|p| rank(&p.2.outcome)).max().unwrap_or(0);
    let reasons: Vec<String> = parts
        .iter()
        .filter(|p| rank(&p.2.outcome) == worst)
        .filter_map(|(_, shard, t)| t.outcome.reason().map(|r| format!("shard {shard}: {r}")))
        .collect();
    let reason = reasons.join("; ");
    let outcome = match worst {
        0 => RunOutcome::Completed,
        1 => RunOutcome::Error { reason },
        _ => RunOutcome::Unavailable { reason },
    };

    let logs: Vec<String> = parts
        .iter()
        .filter_map(|(_, shard, t)| {
            t.console_log.as_ref().map(|log| {
                let mut s = format!("=== shard {shard} ===\n{log}");
                if !s.ends_with('\n') {
                    s.push('\n');
                }
                s
            })
        })
        .collect();

    let mut merged = TargetRun {
        target: target.clone(),
        identity,
        outcome,
        timings,
        cases,
        passed: summarised.then_some(passed),
        known_failures: summarised.then_some(known),
        clobbers,
        paths,
        coverage,
        console_log: (!logs.is_empty()).then(|| logs.concat()),
    };
    if summarised {
        // Each shard kept its own examples: fold them to the whole run's.
        super::summarise::summarise_target(&mut merged);
    }
    Ok(merged)
}

/// Spec coverage over the shards: an item is exercised when any shard exercised it (each shard
/// declares the same items: the same spec), so the run missed what every shard missed.
fn merge_coverage<'a>(
    target: &str,
    parts: impl Iterator<Item = &'a Vec<AbiCoverage>>,
) -> Result<Vec<AbiCoverage>, MergeError> {
    let mut merged: Vec<AbiCoverage> = Vec::new();
    for part in parts {
        for c in part {
            let Some(m) = merged.iter_mut().find(|m| m.abi == c.abi) else {
                merged.push(c.clone());
                continue;
            };
            let pairs = [
                (&mut m.rules, &c.rules, "register rules"),
                (&mut m.subops, &c.subops, "sub-operations"),
                (&mut m.errors, &c.errors, "error codes"),
                (&mut m.fields, &c.fields, "struct fields"),
            ];
            for (into, from, what) in pairs {
                if into.declared != from.declared {
                    return Err(MergeError(format!(
                        "target `{target}`: the shards declare {} and {} {what} for {}: \
                         reports of different specs",
                        into.declared, from.declared, c.abi
                    )));
                }
                into.missed.retain(|n| from.missed.contains(n));
                into.exercised = into.declared - into.missed.len() as u32;
            }
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{fixture, Shard};

    /// Splits the fixture into `n` shards the way a sharded run partitions a plan: case ids
    /// round-robin; clobber counts and timings split too.
    fn shards(n: u32) -> Vec<Report> {
        let full = fixture::report();
        (1..=n)
            .map(|i| {
                let mut r = full.clone();
                r.shard = Some(Shard { index: i, count: n });
                for t in &mut r.targets {
                    t.cases.retain(|c| c.id % n == i - 1);
                    for s in &mut t.clobbers {
                        s.changed = share(s.changed, i, n);
                        s.of = share(s.of, i, n);
                        if i > 1 {
                            s.example = None;
                        }
                    }
                    t.timings.run_ms /= n as f64;
                    t.timings.plan_ms /= n as f64;
                    t.timings.check_ms /= n as f64;
                    if i > 1 {
                        t.console_log = None;
                        t.timings.first_result_ms = t.timings.first_result_ms.map(|f| f + 1.0);
                    }
                    if i > 1 && matches!(t.outcome, RunOutcome::Error { .. }) {
                        t.outcome = RunOutcome::Completed;
                    }
                }
                r
            })
            .collect()
    }

    /// `total` split over `n` parts, part `i` (1-based).
    fn share(total: u32, i: u32, n: u32) -> u32 {
        total / n + u32::from(i <= total % n)
    }

    fn named(reports: Vec<Report>) -> Vec<(String, Report)> {
        reports
            .into_iter()
            .map(|r| (format!("shard{}.json", r.shard.unwrap().index), r))
            .collect()
    }

    #[test]
    fn merged_shards_equal_the_whole_run() {
        let full = fixture::report();
        for n in 1..=4 {
            let mut parts = shards(n);
            parts.reverse(); // order of the inputs does not matter
            let mut merged = merge(parts).unwrap();
            // Console logs gain a shard header; timings are sums of the split ones.
            for (m, f) in merged.targets.iter_mut().zip(&full.targets) {
                if let Some(log) = &mut m.console_log {
                    let header = format!("=== shard 1/{n} ===\n");
                    assert!(log.starts_with(&header), "{log}");
                    *log = log[header.len()..].to_string();
                }
                if let RunOutcome::Error { reason } | RunOutcome::Unavailable { reason } =
                    &mut m.outcome
                {
                    let prefix = format!("shard 1/{n}: ");
                    assert!(reason.starts_with(&prefix), "{reason}");
                    let rest = reason[prefix.len()..].to_string();
                    *reason = rest.split("; shard ").next().unwrap().to_string();
                }
                assert!((m.timings.run_ms - f.timings.run_ms).abs() < 1e-9);
                m.timings = f.timings.clone();
            }
            assert_eq!(merged, full, "{n} shards");
        }
    }

    #[test]
    fn coverage_is_what_any_shard_exercised() {
        let mut parts = shards(2);
        // Shard 1 also missed an error code shard 2 exercised, shard 2 a rule shard 1
        // exercised: the run exercised both.
        let errors = &mut parts[0].targets[0].coverage[0].errors;
        errors.missed.push("INVALID_PARAMETERS".into());
        errors.exercised -= 1;
        let rules = &mut parts[1].targets[0].coverage[0].rules;
        rules.missed.push("unused_args clobbered".into());
        rules.exercised -= 1;
        let m = merge(parts.clone()).unwrap();
        let c = &m.targets[0].coverage[0];
        assert_eq!(c.errors.missed, ["ALREADY_ON", "DENIED"]);
        assert_eq!((c.errors.exercised, c.errors.declared), (3, 5));
        assert_eq!(
            c.rules.missed,
            ["x4 zero_or_preserved", "system_reset: x1 clobbered"]
        );
        assert_eq!((c.rules.exercised, c.rules.declared), (4, 6));
        assert_eq!(m.targets[1].coverage, fixture::report().targets[1].coverage);

        parts[1].targets[1].coverage[0].fields.declared += 1;
        let err = merge(parts).unwrap_err().to_string();
        assert!(
            err.contains("declare 4 and 5 struct fields for xen-arm64"),
            "{err}"
        );
    }

    #[test]
    fn sums_clobbers_and_joins_hosts_and_worst_outcome() {
        let mut parts = shards(2);
        parts[1].targets[0].identity.host = "ci-runner-9".into();
        parts[1].targets[0].outcome = RunOutcome::Error {
            reason: "guest hung".into(),
        };
        parts[1].targets[0].clobbers.push(ClobberStat {
            abi: "psci".into(),
            call: "version".into(),
            register: "x17".into(),
            changed: 1,
            of: 2,
            example: None,
        });
        let m = merge(parts).unwrap();
        let model = &m.targets[0];
        assert_eq!(model.identity.host, "ci-runner-1, ci-runner-9");
        assert_eq!(
            model.outcome,
            RunOutcome::Error {
                reason: "shard 2/2: guest hung".into()
            }
        );
        let regs: Vec<_> = model
            .clobbers
            .iter()
            .map(|s| format!("{}:{} {}/{}", s.call, s.register, s.changed, s.of))
            .collect();
        // `version` has the first case, so its statistics come first.
        assert_eq!(
            regs,
            [
                "version:x17 1/2",
                "cpu_on:x5 3/8",
                "cpu_on:x6 8/8",
                "cpu_on:x7 0/8"
            ]
        );
        assert_eq!(model.timings.first_result_ms, Some(0.5));
        // Unavailable is worse than an error, and both shards' reasons are kept.
        let kvm = &m.targets[2];
        assert_eq!(
            kvm.outcome.reason(),
            Some(
                "shard 1/2: /dev/kvm is missing: run on a host with KVM enabled; \
                 shard 2/2: /dev/kvm is missing: run on a host with KVM enabled"
            )
        );
        assert_eq!(m.shard, None);
    }

    #[test]
    fn refuses_different_runs() {
        let mut parts = shards(2);
        parts[1].seed = 0x1234;
        assert_eq!(
            merge_named(named(parts)).unwrap_err().0,
            "shard2.json is not from the same run as shard1.json: seed 0x1234 differs from 0x5eed"
        );
        let mut parts = shards(2);
        parts[1].cases_per_call = 64;
        assert!(merge(parts)
            .unwrap_err()
            .0
            .contains("cases per call 64 differs from 8"));
        let mut parts = shards(2);
        parts[0].tool = "hyperabi 0.2.0".into();
        assert!(merge(parts)
            .unwrap_err()
            .0
            .contains("tool `hyperabi 0.1.0` differs"));
    }

    #[test]
    fn refuses_missing_duplicate_and_foreign_shards() {
        let parts = shards(3);
        let two = vec![parts[0].clone(), parts[2].clone()];
        assert_eq!(
            merge_named(named(two)).unwrap_err().0,
            "shard 2/3 is missing (have 1/3, 3/3)"
        );
        let dup = vec![
            parts[0].clone(),
            parts[1].clone(),
            parts[1].clone(),
            parts[2].clone(),
        ];
        assert_eq!(
            merge_named(named(dup)).unwrap_err().0,
            "shard 2/3 is given twice: shard2.json and shard2.json"
        );
        let mut other = shards(2);
        other[1].shard = Some(Shard { index: 2, count: 2 });
        let mixed = vec![parts[0].clone(), other[1].clone()];
        assert_eq!(
            merge(mixed).unwrap_err().0,
            "input 2 is shard 2/2 but input 1 is one of 3 shards"
        );
        let mut whole = fixture::report();
        whole.shard = None;
        assert!(merge(vec![whole])
            .unwrap_err()
            .0
            .starts_with("input 1 is not a shard report"));
        let mut bad = shards(2);
        bad[0].shard = Some(Shard { index: 0, count: 2 });
        assert_eq!(
            merge(bad).unwrap_err().0,
            "input 1 has an impossible shard 0/2"
        );
        assert_eq!(
            merge(vec![]).unwrap_err().0,
            "nothing to merge: no shard reports given"
        );
    }

    #[test]
    fn refuses_overlaps_and_disagreeing_targets() {
        let mut parts = shards(2);
        let stolen = parts[0].targets[0].cases[0].clone();
        parts[1].targets[0].cases.push(stolen);
        assert_eq!(
            merge(parts).unwrap_err().0,
            "target `model`: case 0 is in both input 1 and input 2 (the shards overlap)"
        );
        let mut parts = shards(2);
        parts[1].targets[1].identity.version = "4.20.0".into();
        assert_eq!(
            merge(parts).unwrap_err().0,
            "target `xen-arm64-debug` is not the same in input 2 and input 1: version `4.20.0` \
             differs from `4.19.1`"
        );
        let mut parts = shards(2);
        parts[1].targets.pop();
        assert_eq!(
            merge(parts).unwrap_err().0,
            "input 2 ran targets [model, xen-arm64-debug] but input 1 ran [model, \
             xen-arm64-debug, kvm-x86_64]"
        );
    }
}
