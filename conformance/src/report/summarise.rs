//! Summarised reports: the default report keeps at full detail every case a reviewer has to
//! read (new failures, errors, skips) and, of the rest, examples:
//!
//! - passes: per call, its documented-values case (or its first pass); the other passing cases
//!   become one [`PassedCall`] per call (count, ids, time);
//! - known failures (failures the baseline accepts, with its reason): per group (ABI, call,
//!   violation kinds, reason) its first [`KNOWN_EXAMPLES`] cases, with their registers and
//!   values, and every documented-values case; the others become one [`KnownGroup`] per group;
//! - calls never planned (spec `noreturn`/`disruptive`, or excluded by the baseline): their one
//!   case each, with its reason but without the arguments it never ran with;
//! - console logs: binary output (the guest's result frames, NUL padding: what the report's
//!   cases already say, unreadable as text) is cut to a line saying how much was left out.
//!
//! A 60k-case run is mostly passes and its console logs mostly frames, so this is what makes
//! the default report small; `run --full` keeps every case and every byte of the logs.
//!
//! Summarising is canonical and idempotent: summarising a full report, or the merge of
//! summarised shards, gives the same report.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::groups::{kinds, never_planned};
use super::{KnownGroup, PassedCall, Report, Status, TargetRun, Verdict};

/// The label of the fixed case that carries a call's documented values (and the values of a
/// `#[stable]` call a baseline records): always kept.
const DOCUMENTED: &str = "documented values";

/// How many cases of each group of known failures a summarised report keeps at full detail.
pub const KNOWN_EXAMPLES: usize = 3;

/// Summarises the passes, known failures and console logs of every target (see the module
/// documentation).
pub fn summarise(report: &mut Report) {
    for t in &mut report.targets {
        summarise_target(t);
    }
}

/// Summarises one target; a target already summarised gets its other examples folded in (after
/// a merge of shards, each with its own examples).
pub fn summarise_target(t: &mut TargetRun) {
    summarise_passes(t);
    summarise_known(t);
    // A call never planned never ran: its reason says it all, not the arguments its
    // documented-values case would have had.
    for c in &mut t.cases {
        if never_planned(c) {
            c.args.clear();
        }
    }
    if let Some(log) = &mut t.console_log {
        if let Some(cut) = cut_binary(log) {
            *log = cut;
        }
    }
}

fn summarise_passes(t: &mut TargetRun) {
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

/// What makes known failures one group: ABI, call, violation kinds, reason.
type KnownKey = (String, String, String, String);

fn summarise_known(t: &mut TargetRun) {
    let mut known: BTreeMap<KnownKey, (IdSet, u64)> = BTreeMap::new();
    for k in t.known_failures.take().into_iter().flatten() {
        let e = known.entry((k.abi, k.call, k.kinds, k.reason)).or_default();
        e.0.extend(&IdSet::parse(&k.ids).unwrap_or_default());
        e.1 += k.duration_ns;
    }
    let key = |c: &super::CaseResult| -> KnownKey {
        (
            c.abi.clone(),
            c.call.clone(),
            kinds(c),
            c.known.clone().unwrap_or_default(),
        )
    };
    // The examples kept: the lowest ids of each group (the lowest of the whole run are the
    // lowest in the shard holding them, so shards fold to the same) and documented values.
    let mut examples: BTreeMap<KnownKey, usize> = BTreeMap::new();
    let mut keep = BTreeSet::new();
    let mut ids: Vec<_> = t
        .cases
        .iter()
        .filter(|c| c.status() == Status::Known)
        .map(|c| (c.id, key(c), c.label == DOCUMENTED))
        .collect();
    ids.sort();
    for (id, k, documented) in ids {
        let n = examples.entry(k).or_default();
        if *n < KNOWN_EXAMPLES || documented {
            *n += usize::from(!documented);
            keep.insert(id);
        }
    }
    let cases = std::mem::take(&mut t.cases);
    for c in cases {
        if c.status() != Status::Known || keep.contains(&c.id) {
            t.cases.push(c);
        } else {
            let e = known.entry(key(&c)).or_default();
            e.0.insert(c.id);
            e.1 += c.duration_ns;
        }
    }
    let mut out: Vec<KnownGroup> = known
        .into_iter()
        .map(
            |((abi, call, kinds, reason), (ids, duration_ns))| KnownGroup {
                abi,
                call,
                kinds,
                reason,
                cases: ids.len(),
                ids: ids.to_string(),
                duration_ns,
            },
        )
        .collect();
    out.sort_by_key(|k| IdSet::parse(&k.ids).ok().and_then(|s| s.first()));
    t.known_failures = Some(out);
}

/// Whether `c` is binary console output rather than text: a control character other than
/// newline, carriage return, tab and escape (terminal colours are text), or the replacement
/// character that stands for a byte that was no UTF-8.
fn is_binary(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1a' | '\x1c'..='\x1f' | '\x7f' | '\u{fffd}')
}

/// Printable characters between two binary ones that are taken for part of the binary output
/// (frame bytes that happen to be printable).
const BINARY_GAP: usize = 8;

/// Runs of at least this many binary characters are cut; shorter ones stay (a stray control
/// character is evidence too).
const BINARY_RUN: usize = 16;

/// `log` with each run of binary output cut to one line saying how many characters it had, or
/// `None` when it has none. A run is a stretch of binary characters with at most
/// [`BINARY_GAP`] others between two of them, holding at least [`BINARY_RUN`] of them.
pub fn cut_binary(log: &str) -> Option<String> {
    let chars: Vec<(usize, char)> = log.char_indices().collect();
    let mut out = String::new();
    let mut copied = 0; // byte offset in `log` copied up to
    let mut i = 0;
    while i < chars.len() {
        if !is_binary(chars[i].1) {
            i += 1;
            continue;
        }
        // Extend the run while another binary character follows within the gap.
        let (start, mut end, mut binary) = (i, i, 1);
        let mut j = i + 1;
        while j < chars.len() && j - end <= BINARY_GAP + 1 {
            if is_binary(chars[j].1) {
                end = j;
                binary += 1;
            }
            j += 1;
        }
        i = end + 1;
        if binary < BINARY_RUN {
            continue;
        }
        let from = chars[start].0;
        let to = chars.get(end + 1).map_or(log.len(), |c| c.0);
        out.push_str(&log[copied..from]);
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!(
            "[hyperabi: {} characters of binary output left out (result frames, padding); \
             `run --full` keeps them]\n",
            end + 1 - start
        ));
        copied = to;
        // The line the run ended in goes on after the note.
        if log[copied..].starts_with('\n') {
            copied += 1;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&log[copied..]);
    Some(out)
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

    /// The fixture with 20 more known failures of `cpu_off` (case 2's group; ids 60-79, the
    /// documented-values case among them) and 5 of another reason (ids 80-84).
    fn many_known() -> Report {
        let mut r = fixture::report();
        let model = &mut r.targets[0];
        let known = model.cases[2].clone();
        for i in 0..20 {
            let mut c = known.clone();
            c.id = 60 + i;
            c.kind = CaseKind::Generated;
            c.duration_ns = 7;
            if i == 10 {
                c.label = DOCUMENTED.into();
            }
            model.cases.push(c);
        }
        for i in 0..5 {
            let mut c = known.clone();
            c.id = 80 + i;
            c.known = Some("another reason".into());
            model.cases.push(c);
        }
        r
    }

    /// Known failures leave `cases` except the first few of each group (with their registers
    /// and values) and documented values; new failures stay whole; counts and groups stay.
    #[test]
    fn keeps_new_failures_and_the_first_known_failures_of_each_group() {
        let full = many_known();
        let mut r = full.clone();
        summarise(&mut r);
        assert_eq!(r.tally(), full.tally());
        assert_eq!(r.summary(), full.summary());
        let m = &r.targets[0];
        let ids: Vec<u32> = m
            .cases
            .iter()
            .filter(|c| c.status() == Status::Known)
            .map(|c| c.id)
            .collect();
        assert_eq!(
            ids,
            [2, 60, 61, 70, 80, 81, 82],
            "examples and documented values"
        );
        let k = m.known_failures.as_ref().unwrap();
        let rows: Vec<_> = k
            .iter()
            .map(|k| {
                (
                    k.call.as_str(),
                    k.kinds.as_str(),
                    k.reason.as_str(),
                    k.cases,
                    k.ids.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "cpu_off",
                    "unexpected_exception",
                    "firmware bug #123: traps instead of returning DENIED",
                    17,
                    "62-69,71-79"
                ),
                (
                    "cpu_off",
                    "unexpected_exception",
                    "another reason",
                    2,
                    "83-84"
                ),
            ]
        );
        assert_eq!(k[0].duration_ns, 17 * 7);
        for c in full.targets.iter().flat_map(|t| &t.cases) {
            if c.status() == Status::Fail {
                assert!(r.targets.iter().any(|t| t.cases.contains(c)), "{c:?}");
            }
        }
        // The grouped views count every case, listed or not.
        let g = crate::report::groups::groups(&r, Status::Known);
        let counts: Vec<_> = g.iter().map(|g| (g.count(), g.ids.to_string())).collect();
        assert_eq!(
            counts,
            [(21, "2,60-79".to_string()), (5, "80-84".to_string())]
        );
        let once = r.clone();
        summarise(&mut r);
        assert_eq!(r, once);
    }

    /// Shards summarised on their own and merged are the whole run summarised.
    #[test]
    fn summarised_shards_merge_to_the_summarised_run() {
        let full = many_known();
        let mut whole = full.clone();
        summarise(&mut whole);
        for n in 2..=4u32 {
            let shards: Vec<Report> = (1..=n)
                .map(|i| {
                    let mut r = full.clone();
                    r.shard = Some(crate::report::Shard { index: i, count: n });
                    for t in &mut r.targets {
                        t.cases.retain(|c| c.id % n == i - 1);
                        t.console_log = None;
                        t.clobbers.clear();
                        t.outcome = crate::report::RunOutcome::Completed;
                    }
                    summarise(&mut r);
                    r
                })
                .collect();
            let merged = crate::report::merge(shards).unwrap();
            for (m, w) in merged.targets.iter().zip(&whole.targets) {
                assert_eq!(m.cases, w.cases, "{n} shards");
                assert_eq!(m.passed, w.passed, "{n} shards");
                assert_eq!(m.known_failures, w.known_failures, "{n} shards");
            }
        }
    }

    #[test]
    fn binary_console_output_and_arguments_never_used_are_cut() {
        let frames: String = (0..400u32)
            .map(|i| char::from_u32(i % 32).unwrap())
            .filter(|c| *c != '\n')
            .collect();
        let log = format!(
            "OpenSBI v1.6\r\n(XEN) \x1b[1;31mFATAL\x1b[0m \x07bell\n--- dom0 text outside frames ---\n\
             {frames}yy\u{fffd}\u{fffd}{frames}\nguest: done\n"
        );
        let cut = cut_binary(&log).unwrap();
        // Both frame runs (387 characters each: no newline), and the four between them.
        assert!(
            cut.contains("[hyperabi: 778 characters of binary"),
            "{cut:?}"
        );
        assert!(
            cut.starts_with(
                "OpenSBI v1.6\r\n(XEN) \x1b[1;31mFATAL\x1b[0m \x07bell\n--- dom0 text outside frames ---\n\
                 [hyperabi: "
            ),
            "{cut:?}"
        );
        assert!(
            cut.ends_with(
                " characters of binary output left out (result frames, padding); `run --full` \
                 keeps them]\nguest: done\n"
            ),
            "{cut:?}"
        );
        assert_eq!(cut_binary(&cut), None, "idempotent");
        assert_eq!(cut_binary("text\x1b[0m and \x00 one NUL\n"), None);
        let mut r = fixture::report();
        r.targets[1].console_log = Some(log);
        // And a call never planned keeps its reason, not its arguments.
        let mut never = r.targets[0].cases[3].clone();
        never.id = 90;
        never.label = "excluded".into();
        never.reason = Some("does not return (spec: noreturn); never planned".into());
        never.args = r.targets[0].cases[1].args.clone();
        r.targets[0].cases.push(never.clone());
        summarise(&mut r);
        assert_eq!(r.targets[1].console_log.as_deref(), Some(cut.as_str()));
        let kept = r.targets[0].cases.iter().find(|c| c.id == 90).unwrap();
        assert_eq!((kept.args.len(), &kept.reason), (0, &never.reason));
        assert_eq!(
            r.targets[0].cases[1].args.len(),
            3,
            "cases that ran keep theirs"
        );
    }
}
