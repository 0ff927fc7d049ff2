//! Summarised passes: the default report keeps every case that did not pass at full detail and,
//! per call, only an example of its passes (the documented-values case, or the first pass);
//! the other passing cases become one [`PassedCall`] per call (count, ids, time). A 60k-case
//! run is mostly passes, so this is what makes the default report small; `run --full` keeps
//! every case.
//!
//! Summarising is canonical and idempotent: summarising a full report, or the merge of
//! summarised shards, gives the same report.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::{PassedCall, Report, TargetRun, Verdict};

/// The label of the fixed case that carries a call's documented values (and the values of a
/// `#[stable]` call a baseline records): always kept.
const DOCUMENTED: &str = "documented values";

/// Summarises the passes of every target (see the module documentation).
pub fn summarise(report: &mut Report) {
    for t in &mut report.targets {
        summarise_target(t);
    }
}

/// Summarises one target's passes; a target already summarised gets its other examples folded
/// in (after a merge of shards, each with its own examples).
pub fn summarise_target(t: &mut TargetRun) {
    let mut passed: BTreeMap<(String, String), (IdSet, u64)> = BTreeMap::new();
    for p in t.passed.take().into_iter().flatten() {
        let e = passed.entry((p.abi, p.call)).or_default();
        e.0.extend(&IdSet::parse(&p.ids).unwrap_or_default());
        e.1 += p.duration_ns;
    }
    // The examples kept: each call's documented-values passes, else its lowest-id pass (the
    // one that also is the lowest in any shard holding it, so shards fold to the same).
    let mut has_example: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut keep = BTreeSet::new();
    for c in &t.cases {
        if c.verdict == Verdict::Pass && c.label == DOCUMENTED {
            has_example.insert((&c.abi, &c.call));
            keep.insert(c.id);
        }
    }
    let mut passes: Vec<_> = t
        .cases
        .iter()
        .filter(|c| c.verdict == Verdict::Pass)
        .collect();
    passes.sort_by_key(|c| c.id);
    for c in passes {
        if has_example.insert((&c.abi, &c.call)) {
            keep.insert(c.id);
        }
    }
    let cases = std::mem::take(&mut t.cases);
    for c in cases {
        if c.verdict != Verdict::Pass || keep.contains(&c.id) {
            t.cases.push(c);
        } else {
            let e = passed.entry((c.abi, c.call)).or_default();
            e.0.insert(c.id);
            e.1 += c.duration_ns;
        }
    }
    let mut out: Vec<PassedCall> = passed
        .into_iter()
        .map(|((abi, call), (ids, duration_ns))| PassedCall {
            abi,
            call,
            cases: ids.len(),
            ids: ids.to_string(),
            duration_ns,
        })
        .collect();
    out.sort_by_key(|p| IdSet::parse(&p.ids).ok().and_then(|s| s.first()));
    t.passed = Some(out);
}

/// A set of case ids, written as ranges: `0-15,17,20-31`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdSet(BTreeSet<u32>);

impl IdSet {
    /// Parses `0-15,17` (the empty string is the empty set).
    pub fn parse(s: &str) -> Result<IdSet, String> {
        let mut set = BTreeSet::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let num = |x: &str| {
                x.trim()
                    .parse::<u32>()
                    .map_err(|_| format!("`{x}` in case ids `{s}` is not a case id"))
            };
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (num(a)?, num(b)?),
                None => (num(part)?, num(part)?),
            };
            if a > b {
                return Err(format!("range `{part}` in case ids `{s}` is backwards"));
            }
            set.extend(a..=b);
        }
        Ok(IdSet(set))
    }

    /// Adds an id; false if it was already there.
    pub fn insert(&mut self, id: u32) -> bool {
        self.0.insert(id)
    }

    /// Adds every id of `other`.
    pub fn extend(&mut self, other: &IdSet) {
        self.0.extend(other.0.iter().copied());
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: u32) -> bool {
        self.0.contains(&id)
    }

    /// The ids, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().copied()
    }

    /// The lowest id.
    pub fn first(&self) -> Option<u32> {
        self.0.first().copied()
    }

    /// How many ids.
    pub fn len(&self) -> u32 {
        self.0.len() as u32
    }

    /// The ranges, cut after about `max` characters with `…` and the number of ids left out.
    pub fn abbreviated(&self, max: usize) -> String {
        let full = self.to_string();
        if full.len() <= max {
            return full;
        }
        let cut = full[..max].rfind(',').unwrap_or(max);
        let shown = IdSet::parse(&full[..cut]).map_or(0, |s| s.len());
        format!("{}, … ({} more)", &full[..cut], self.len() - shown)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for IdSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids = self.0.iter().copied().peekable();
        let mut first = true;
        while let Some(a) = ids.next() {
            let mut b = a;
            while ids.peek() == Some(&(b + 1)) {
                b = ids.next().unwrap();
            }
            if !first {
                f.write_str(",")?;
            }
            first = false;
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}-{b}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{fixture, CaseKind, Status};

    #[test]
    fn id_sets_round_trip_as_ranges() {
        let s = IdSet::parse("0-3, 7,9-10,4").unwrap();
        assert_eq!(s.to_string(), "0-4,7,9-10");
        assert_eq!(s.len(), 8);
        assert_eq!(IdSet::parse("").unwrap().to_string(), "");
        assert!(IdSet::parse("3-1").unwrap_err().contains("backwards"));
        assert!(IdSet::parse("1,x").unwrap_err().contains("`x`"));
        let many = IdSet::parse("0,2,4,6,8,10,12").unwrap();
        assert_eq!(many.abbreviated(7), "0,2,4, … (4 more)");
        assert_eq!(many.abbreviated(99), many.to_string());
    }

    /// Passing cases leave `cases` except one example per call; counts, failures and
    /// examples stay; summarising twice changes nothing.
    #[test]
    fn keeps_failures_and_an_example_per_call() {
        let mut r = fixture::report();
        let model = &mut r.targets[0];
        let version = model.cases[0].clone();
        for i in 0..5 {
            let mut c = version.clone();
            c.id = 50 + i;
            c.kind = CaseKind::Generated;
            c.duration_ns = 10;
            model.cases.push(c);
        }
        let before = r.tally();
        let not_passing: Vec<_> = r.targets[0]
            .cases
            .iter()
            .filter(|c| c.status() != Status::Pass)
            .cloned()
            .collect();
        summarise(&mut r);
        assert_eq!(r.tally(), before);
        let m = &r.targets[0];
        let p = m.passed.as_ref().unwrap();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            (p[0].abi.as_str(), p[0].call.as_str(), p[0].cases),
            ("psci", "version", 6)
        );
        assert_eq!(p[0].ids, "4,50-54");
        assert!(m.cases.iter().any(|c| c.id == 0), "the example stays");
        for c in &not_passing {
            assert!(m.cases.contains(c), "{c:?}");
        }
        let once = r.clone();
        summarise(&mut r);
        assert_eq!(r, once);
    }
}
