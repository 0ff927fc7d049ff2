//! Cases grouped the way a reviewer reads them: one group per (target, ABI, call, violation
//! kind, reason), with a count, the case ids and one example. Thirty known failures of one call
//! for one reason are one line, not thirty. The Markdown, HTML, JUnit and terminal summaries all
//! group through here.

use super::{CaseResult, IdSet, Report, Status, TargetRun};

/// Cases of one target that ended the same way for the same reason.
#[derive(Debug)]
pub struct Group<'a> {
    /// The target they ran on.
    pub target: &'a TargetRun,
    /// Their status (all the same).
    pub status: Status,
    /// ABI id.
    pub abi: &'a str,
    /// Call name.
    pub call: &'a str,
    /// The violation kinds of a failure, `+`-joined in first-seen order (empty for an error or
    /// a skip).
    pub kinds: String,
    /// The known-failure reason of a known failure, the reason of an error or a skip (empty
    /// for a new failure).
    pub reason: &'a str,
    /// The cases, by id.
    pub ids: IdSet,
    /// `reason` with its hex values blanked: reasons that differ only in a value (`0x7fff has
    /// no entry in a 4 KiB hypercall page`) are one group.
    key: String,
    /// The first case of the group.
    pub example: &'a CaseResult,
}

impl Group<'_> {
    /// How many cases.
    pub fn count(&self) -> u32 {
        self.ids.len()
    }

    /// Whether these are the cases of a call that was never planned (the spec marks it
    /// `noreturn` or `disruptive`, or the baseline excludes it): the call did not run at all,
    /// unlike cases skipped one by one.
    pub fn never_planned(&self) -> bool {
        self.status == Status::Skip && never_planned(self.example)
    }
}

/// Whether a skipped case stands for a call that was never planned (see
/// [`Group::never_planned`]).
pub fn never_planned(c: &CaseResult) -> bool {
    let reason = c.reason.as_deref().unwrap_or("");
    c.status() == Status::Skip
        && (c.label == "excluded"
            || reason.ends_with("never planned")
            || reason.starts_with("excluded by the baseline"))
}

/// The violation kinds of a case, `+`-joined without repeats.
pub fn kinds(c: &CaseResult) -> String {
    let mut ks: Vec<&str> = Vec::new();
    for v in &c.violations {
        if !ks.contains(&v.kind.as_str()) {
            ks.push(&v.kind);
        }
    }
    ks.join("+")
}

/// The groups of the cases with `status`, targets in report order, groups in order of their
/// first case.
pub fn groups(report: &Report, status: Status) -> Vec<Group<'_>> {
    report
        .targets
        .iter()
        .flat_map(|t| target_groups(t, status))
        .collect()
}

/// The groups of one target's cases with `status`, in order of their first case.
pub fn target_groups(t: &TargetRun, status: Status) -> Vec<Group<'_>> {
    group_cases(t, t.cases.iter(), status)
}

/// The groups of some of a target's cases with `status`, in order of their first case; a group
/// of known failures counts the cases of the target's summarised known failures
/// (`known_failures`) of the same group too.
pub fn group_cases<'a>(
    t: &'a TargetRun,
    cases: impl IntoIterator<Item = &'a CaseResult>,
    status: Status,
) -> Vec<Group<'a>> {
    let mut out: Vec<Group> = Vec::new();
    for c in cases.into_iter().filter(|c| c.status() == status) {
        let kinds = kinds(c);
        let reason = match status {
            Status::Known => c.known.as_deref().unwrap_or(""),
            Status::Fail | Status::Pass => "",
            Status::Error | Status::Skip => c.reason.as_deref().unwrap_or(""),
        };
        let key = blank_values(reason);
        match out
            .iter_mut()
            .find(|g| g.abi == c.abi && g.call == c.call && g.kinds == kinds && g.key == key)
        {
            Some(g) => {
                g.ids.insert(c.id);
            }
            None => {
                let mut ids = IdSet::default();
                ids.insert(c.id);
                out.push(Group {
                    target: t,
                    status,
                    abi: &c.abi,
                    call: &c.call,
                    kinds,
                    reason,
                    ids,
                    key,
                    example: c,
                });
            }
        }
    }
    // Known failures a summarised report counts without listing: into the group of their
    // examples.
    if status == Status::Known {
        for k in t.known_failures.iter().flatten() {
            let key = blank_values(&k.reason);
            if let Some(g) = out
                .iter_mut()
                .find(|g| g.abi == k.abi && g.call == k.call && g.kinds == k.kinds && g.key == key)
            {
                g.ids.extend(&IdSet::parse(&k.ids).unwrap_or_default());
            }
        }
    }
    out
}

/// May-clobber registers a target changed in one or more calls of an ABI, the same way with the
/// same example value: a debug hypervisor poisons the same registers in every call, which reads
/// best as one row.
#[derive(Debug)]
pub struct ClobberRow<'a> {
    /// The target.
    pub target: &'a str,
    /// ABI id.
    pub abi: &'a str,
    /// The registers changed, `x1, x16 (3/8)`: a count only for a register changed in some of
    /// the call's returning cases, not all.
    pub registers: String,
    /// A value a register was changed to (the poison).
    pub example: Option<u64>,
    /// The calls.
    pub calls: Vec<&'a str>,
}

/// The clobber statistics of every target as [`ClobberRow`]s, and how many registers were
/// watched and seen changed.
pub fn clobber_rows(report: &Report) -> (usize, usize, Vec<ClobberRow<'_>>) {
    let watched = report.targets.iter().map(|t| t.clobbers.len()).sum();
    let mut changed = 0;
    type Key<'a> = (&'a str, &'a str, &'a str);
    let mut per_call: Vec<(Key, Vec<String>, Option<u64>)> = Vec::new();
    for t in &report.targets {
        for s in t.clobbers.iter().filter(|s| s.changed > 0) {
            changed += 1;
            let reg = if s.changed == s.of {
                s.register.clone()
            } else {
                format!("{} ({}/{})", s.register, s.changed, s.of)
            };
            let key = (t.target.as_str(), s.abi.as_str(), s.call.as_str());
            match per_call.iter_mut().find(|e| e.0 == key) {
                Some(e) => {
                    e.1.push(reg);
                    e.2 = e.2.or(s.example);
                }
                None => per_call.push((key, vec![reg], s.example)),
            }
        }
    }
    let mut rows: Vec<ClobberRow> = Vec::new();
    for ((target, abi, call), regs, example) in per_call {
        let registers = regs.join(", ");
        match rows.iter_mut().find(|r| {
            r.target == target && r.abi == abi && r.registers == registers && r.example == example
        }) {
            Some(r) => r.calls.push(call),
            None => rows.push(ClobberRow {
                target,
                abi,
                registers,
                example,
                calls: vec![call],
            }),
        }
    }
    (watched, changed, rows)
}

/// `0x7fff has no entry` as `0x… has no entry`.
fn blank_values(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        out.push_str("0x…");
        let digits = rest[i + 2..]
            .find(|c: char| !c.is_ascii_hexdigit() && c != '_')
            .unwrap_or(rest.len() - i - 2);
        rest = &rest[i + 2 + digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn thirty_known_failures_of_one_call_are_one_group() {
        let mut r = fixture::report();
        let known = r.targets[0]
            .cases
            .iter()
            .find(|c| c.status() == Status::Known)
            .unwrap()
            .clone();
        for i in 0..29 {
            let mut c = known.clone();
            c.id = 100 + i;
            r.targets[0].cases.push(c);
        }
        let mut other = known.clone();
        other.id = 200;
        other.known = Some("another reason".into());
        r.targets[0].cases.push(other);
        let g = groups(&r, Status::Known);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g[0].count(), 30);
        assert_eq!(g[0].ids.to_string(), format!("{},100-128", known.id));
        assert_eq!(g[0].example.id, known.id);
        assert_eq!(g[1].reason, "another reason");
        assert_eq!(g[1].count(), 1);
    }

    #[test]
    fn reasons_that_differ_in_a_value_are_one_group() {
        assert_eq!(
            blank_values("0x7fff has no entry, nor 0xffff_ffff; 0x"),
            "0x… has no entry, nor 0x…; 0x…"
        );
        let mut r = fixture::report();
        let skip = r.targets[0].cases[3].clone();
        r.targets[0].cases.clear();
        for (id, n) in [(10, "0x7fff"), (11, "0x8000")] {
            let mut c = skip.clone();
            c.id = id;
            c.reason = Some(format!("{n} has no entry in a 4 KiB hypercall page"));
            r.targets[0].cases.push(c);
        }
        let g = groups(&r, Status::Skip);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].ids.to_string(), "10-11");
        assert_eq!(g[0].reason, "0x7fff has no entry in a 4 KiB hypercall page");
    }

    #[test]
    fn never_planned_is_not_a_case_skip() {
        let r = fixture::report();
        let skips = groups(&r, Status::Skip);
        assert!(!skips.is_empty());
        assert!(skips.iter().all(|g| !g.never_planned()), "{skips:?}");
        let mut c = skips[0].example.clone();
        c.label = "excluded".into();
        c.reason = Some("does not return (spec: noreturn); never planned".into());
        assert!(never_planned(&c));
    }
}
