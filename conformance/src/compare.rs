//! Two runs side by side: `hyperabi diff OLD.json NEW.json` on two *reports* (not spec exports),
//! and the version differences inside one report. Targets are paired by name, else by family
//! (the name without the implementation's version: `qemu7.2-riscv64` and `qemu10.0-riscv64` are
//! both `qemu-riscv64`). Per pair: which calls changed verdict, which stable values (the answers
//! of `#[stable]` calls, components' versions) changed, and which answers differ for the same
//! ABI, call and arguments.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::report::{CaseResult, Report, TargetRun, Verdict};

/// A target name without its implementation version: `xen4.20-arm64` → `xen-arm64`.
pub fn family(name: &str) -> String {
    let Some((head, tail)) = name.split_once('-') else {
        return name.to_string();
    };
    let letters: String = head
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let rest = &head[letters.len()..];
    if !letters.is_empty()
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        format!("{letters}-{tail}")
    } else {
        name.to_string()
    }
}

/// How a call fared on one target: the worst verdict of its cases and the counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CallVerdict {
    /// Cases that passed.
    pub pass: u32,
    /// Cases that failed, known failures included.
    pub fail: u32,
    /// Failures the baseline knows.
    pub known: u32,
    /// Cases the environment broke.
    pub error: u32,
    /// Cases not run.
    pub skip: u32,
}

impl CallVerdict {
    /// `fail` (a new failure), `known`, `error`, `pass`, `skip`: the word a reader scans for.
    pub fn word(&self) -> &'static str {
        if self.fail > self.known {
            "fail"
        } else if self.error > 0 {
            "error"
        } else if self.known > 0 {
            "known"
        } else if self.pass > 0 {
            "pass"
        } else {
            "skip"
        }
    }
}

/// One difference between two targets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    /// A component's version (from its banner) differs.
    Component {
        /// `qemu`, `firmware`, `hypervisor`.
        role: String,
        /// As its banner names it.
        name: String,
        /// The version on the old target.
        old: String,
        /// The version on the new target.
        new: String,
    },
    /// A `#[stable]` call answered differently.
    Stable {
        /// `abi::call`.
        key: String,
        /// The old answer, if the call was stable there.
        old: Option<String>,
        /// The new answer.
        new: Option<String>,
    },
    /// A call's verdict changed.
    Verdict {
        /// The ABI id.
        abi: String,
        /// The call name.
        call: String,
        /// [`CallVerdict::word`] on the old target.
        old: String,
        /// [`CallVerdict::word`] on the new target.
        new: String,
    },
    /// The same ABI, call and arguments got two answers.
    Answer {
        /// The ABI id.
        abi: String,
        /// The call name.
        call: String,
        /// Number(s), arguments and path.
        args: String,
        /// The old target's results (or its exception).
        old: String,
        /// The new target's.
        new: String,
    },
}

/// The differences of one pair of targets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PairDiff {
    /// The old target's name.
    pub old: String,
    /// The new target's name.
    pub new: String,
    /// What differs.
    pub differences: Vec<Difference>,
}

impl PairDiff {
    /// Calls that passed on the old target and fail on the new one.
    pub fn regressions(&self) -> usize {
        self.differences
            .iter()
            .filter(|d| matches!(d, Difference::Verdict { old, new, .. } if old == "pass" && new == "fail"))
            .count()
    }
}

fn verdicts(t: &TargetRun) -> BTreeMap<(String, String), CallVerdict> {
    let mut m: BTreeMap<(String, String), CallVerdict> = BTreeMap::new();
    for c in &t.cases {
        let v = m.entry((c.abi.clone(), c.call.clone())).or_default();
        match c.verdict {
            Verdict::Pass => v.pass += 1,
            Verdict::Fail => {
                v.fail += 1;
                if c.known.is_some() {
                    v.known += 1;
                }
            }
            Verdict::Error => v.error += 1,
            Verdict::Skip => v.skip += 1,
        }
    }
    // What a summarised report counts without listing.
    for p in t.passed.iter().flatten() {
        m.entry((p.abi.clone(), p.call.clone())).or_default().pass += p.cases;
    }
    for k in t.known_failures.iter().flatten() {
        let v = m.entry((k.abi.clone(), k.call.clone())).or_default();
        v.fail += k.cases;
        v.known += k.cases;
    }
    m
}

/// What makes two cases the same question: the number(s), the arguments and the path (probe or
/// generated caller).
fn args_key(c: &CaseResult) -> String {
    let mut parts: Vec<String> = c.number.iter().map(|n| format!("#{n:#x}")).collect();
    parts.extend(c.args.iter().map(|a| format!("{}={:#x}", a.name, a.value)));
    parts.push(format!("via {:?}", c.path).to_lowercase());
    parts.join(" ")
}

fn answer(c: &CaseResult) -> Option<String> {
    let o = c.observed.as_ref()?;
    Some(match &o.exception {
        Some(e) => e.clone(),
        None => o
            .results
            .iter()
            .map(|r| format!("{}={:#x}", r.name, r.value))
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// The differences between two targets' runs.
pub fn compare(old: &TargetRun, new: &TargetRun) -> PairDiff {
    let mut d = Vec::new();
    for n in &new.identity.components {
        if let Some(o) = old
            .identity
            .components
            .iter()
            .find(|o| o.role == n.role && o.name == n.name)
        {
            if o.version != n.version {
                d.push(Difference::Component {
                    role: n.role.name().into(),
                    name: n.name.clone(),
                    old: o.version.clone(),
                    new: n.version.clone(),
                });
            }
        }
    }
    // The answers of `#[stable]` calls are the identity details named `abi::call`.
    let stable = |t: &TargetRun| -> BTreeMap<String, String> {
        t.identity
            .details
            .iter()
            .filter(|(k, _)| k.contains("::"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let (so, sn) = (stable(old), stable(new));
    for k in so.keys().chain(sn.keys().filter(|k| !so.contains_key(*k))) {
        if so.get(k) != sn.get(k) {
            d.push(Difference::Stable {
                key: k.clone(),
                old: so.get(k).cloned(),
                new: sn.get(k).cloned(),
            });
        }
    }
    let (vo, vn) = (verdicts(old), verdicts(new));
    for (key, n) in &vn {
        if let Some(o) = vo.get(key) {
            if o.word() != n.word() {
                d.push(Difference::Verdict {
                    abi: key.0.clone(),
                    call: key.1.clone(),
                    old: o.word().into(),
                    new: n.word().into(),
                });
            }
        }
    }
    // A question asked twice in one run with two answers (a random number, a register the call
    // does not write, still holding the case's poison) has no answer to compare.
    let answers = |t: &TargetRun| {
        let mut m: BTreeMap<(String, String, String), Option<String>> = BTreeMap::new();
        for c in &t.cases {
            if let Some(a) = answer(c) {
                let key = (c.abi.clone(), c.call.clone(), args_key(c));
                m.entry(key)
                    .and_modify(|e| {
                        if e.as_ref() != Some(&a) {
                            *e = None;
                        }
                    })
                    .or_insert(Some(a));
            }
        }
        m
    };
    let (ao, an) = (answers(old), answers(new));
    for (key, n) in &an {
        if let (Some(n), Some(Some(o))) = (n, ao.get(key)) {
            if n != o {
                d.push(Difference::Answer {
                    abi: key.0.clone(),
                    call: key.1.clone(),
                    args: key.2.clone(),
                    old: o.clone(),
                    new: n.clone(),
                });
            }
        }
    }
    PairDiff {
        old: old.target.clone(),
        new: new.target.clone(),
        differences: d,
    }
}

/// Pairs the targets of two reports: by name, then by family.
pub fn pair<'a>(old: &'a Report, new: &'a Report) -> Vec<(&'a TargetRun, &'a TargetRun)> {
    let mut out = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for n in &new.targets {
        let found = old
            .targets
            .iter()
            .find(|o| o.target == n.target)
            .or_else(|| {
                old.targets
                    .iter()
                    .find(|o| family(&o.target) == family(&n.target) && !used.contains(&o.target))
            });
        if let Some(o) = found {
            used.insert(o.target.clone());
            out.push((o, n));
        }
    }
    out
}

/// Pairs of targets of one family inside one report (two versions of one implementation), in
/// report order.
pub fn version_pairs(report: &Report) -> Vec<(&TargetRun, &TargetRun)> {
    let mut out = Vec::new();
    for (i, a) in report.targets.iter().enumerate() {
        for b in &report.targets[i + 1..] {
            if a.target != b.target && family(&a.target) == family(&b.target) {
                out.push((a, b));
            }
        }
    }
    out
}

/// The differences as text, at most `limit` answers per pair.
pub fn render_text(pairs: &[PairDiff], limit: usize) -> String {
    let mut s = String::new();
    for p in pairs {
        let _ = writeln!(
            s,
            "{} -> {}: {} difference(s)",
            p.old,
            p.new,
            p.differences.len()
        );
        let mut answers = 0;
        for d in &p.differences {
            match d {
                Difference::Component {
                    role,
                    name,
                    old,
                    new,
                } => {
                    let _ = writeln!(s, "  {role} {name}: {old} -> {new}");
                }
                Difference::Stable { key, old, new } => {
                    let _ = writeln!(
                        s,
                        "  stable {key}: {} -> {}",
                        old.as_deref().unwrap_or("(none)"),
                        new.as_deref().unwrap_or("(none)")
                    );
                }
                Difference::Verdict {
                    abi,
                    call,
                    old,
                    new,
                } => {
                    let _ = writeln!(s, "  verdict {abi}::{call}: {old} -> {new}");
                }
                Difference::Answer {
                    abi,
                    call,
                    args,
                    old,
                    new,
                } => {
                    answers += 1;
                    if answers <= limit {
                        let _ = writeln!(s, "  answer {abi}::{call}({args}): {old} | {new}");
                    }
                }
            }
        }
        if answers > limit {
            let _ = writeln!(s, "  ... and {} more differing answers", answers - limit);
        }
    }
    s
}

/// Whether `path` holds a report (`run`'s report.json) rather than a spec export: it has a
/// `targets` array and a `seed`.
pub fn is_report(path: &std::path::Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| v.get("targets").is_some_and(|t| t.is_array()) && v.get("seed").is_some())
}

/// `hyperabi diff OLD NEW` on two reports: the text (or JSON), how many calls regressed (passed
/// on the old target, fail on the new one) and how many differences there are in all. Verdicts
/// count every case, summarised ones included; answers are compared where both reports kept
/// them: every new failure, error and skip, the examples of passes and known failures, and
/// every case of a `run --full` report.
pub fn diff_reports(
    old: &std::path::Path,
    new: &std::path::Path,
    json: bool,
) -> Result<(String, usize, usize), crate::files::ReadError> {
    let read = crate::report::json::read;
    let (o, n) = (read(old)?, read(new)?);
    let pairs: Vec<PairDiff> = pair(&o, &n)
        .into_iter()
        .map(|(a, b)| compare(a, b))
        .collect();
    if pairs.is_empty() {
        return Err(crate::files::ReadError::new(
            new,
            format!(
                "no target of the report pairs with a target of {} (by name or family)",
                old.display()
            ),
        ));
    }
    let regressions = pairs.iter().map(PairDiff::regressions).sum();
    let differences = pairs.iter().map(|p| p.differences.len()).sum();
    let text = if json {
        serde_json::to_string_pretty(&pairs).expect("serialisable") + "\n"
    } else {
        render_text(&pairs, 20)
    };
    Ok((text, regressions, differences))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{NamedValue, Observed};

    #[test]
    fn families() {
        assert_eq!(family("qemu7.2-riscv64"), "qemu-riscv64");
        assert_eq!(
            family("qemu10.0-riscv64-opensbi1.6"),
            "qemu-riscv64-opensbi1.6"
        );
        assert_eq!(family("xen4.20-arm64"), "xen-arm64");
        assert_eq!(family("model-debug"), "model-debug");
        assert_eq!(family("model"), "model");
    }

    fn report() -> Report {
        crate::report::fixture::report()
    }

    #[test]
    fn a_changed_answer_verdict_and_version_are_found() {
        let old = report();
        let mut new = report();
        let t = &mut new.targets[0];
        t.identity.version = "2".into();
        t.identity.components.push(runners::ComponentInfo {
            role: runners::identity::Role::Firmware,
            name: "OpenSBI".into(),
            version: "1.6".into(),
            build: None,
            source: "x".into(),
        });
        let c = t
            .cases
            .iter_mut()
            .find(|c| c.observed.is_some() && c.verdict == Verdict::Pass)
            .expect("a passing case with an answer");
        c.observed = Some(Observed {
            results: vec![NamedValue {
                name: "status".into(),
                value: 0x1234,
            }],
            exception: None,
        });
        c.verdict = Verdict::Fail;
        let pairs = pair(&old, &new);
        assert_eq!(pairs.len(), old.targets.len());
        let d = compare(pairs[0].0, pairs[0].1);
        assert!(d
            .differences
            .iter()
            .any(|d| matches!(d, Difference::Answer { new, .. } if new.contains("0x1234"))));
        assert!(d.regressions() >= 1, "{d:?}");
        let same = compare(pairs[0].0, pairs[0].0);
        assert!(same.differences.is_empty(), "{same:?}");
        assert!(render_text(&[d], 5).contains("0x1234"));
    }

    #[test]
    fn a_report_with_two_versions_says_where_they_differ() {
        let mut r = report();
        let mut a = r.targets[0].clone();
        a.target = "qemu7.2-riscv64".into();
        let mut b = a.clone();
        b.target = "qemu10.0-riscv64".into();
        let component = |v: &str| runners::ComponentInfo {
            role: runners::identity::Role::Firmware,
            name: "OpenSBI".into(),
            version: v.into(),
            build: None,
            source: "x".into(),
        };
        a.identity.components = vec![component("1.1")];
        b.identity.components = vec![component("1.5")];
        r.targets = vec![a, b];
        assert_eq!(version_pairs(&r).len(), 1);
        let md = crate::report::markdown::render(&r);
        assert!(md.contains("Where versions differ"), "{md}");
        assert!(md.contains("firmware OpenSBI: 1.1 -> 1.5"), "{md}");
        r.targets.truncate(1);
        assert!(!crate::report::markdown::render(&r).contains("Where versions differ"));
    }
}
