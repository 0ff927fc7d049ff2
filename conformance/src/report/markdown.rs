//! A Markdown summary for a pull-request comment (GitHub / GitLab flavoured): the verdict first,
//! a line per target, then what broke: new failures (regressions) apart from known failures,
//! case and target errors, and the clobber statistics.

use std::fmt::Write;

use super::text::{one_line, visible};
use super::{tail_lines, CaseResult, Report, Status, TargetRun};

/// Rows shown per table before "and N more".
pub const MAX_ROWS: usize = 30;
/// Console lines shown for a target that did not complete.
const CONSOLE_TAIL: usize = 20;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let tally = report.tally();
    let broken = report.broken_targets().count();
    let verdict = if tally.fail > 0 || tally.error > 0 || broken > 0 {
        "FAIL"
    } else {
        "PASS"
    };
    writeln!(out, "## hyperabi conformance: {verdict}\n").unwrap();
    let mut why = Vec::new();
    if tally.fail > 0 {
        why.push(plural(tally.fail, "new failure", "new failures"));
    }
    if tally.error > 0 {
        why.push(plural(tally.error, "case error", "case errors"));
    }
    if broken > 0 {
        why.push(plural(
            broken as u32,
            "target did not complete",
            "targets did not complete",
        ));
    }
    let mut verdict_line = format!(
        "**Verdict: {}**",
        if verdict == "FAIL" { "fail" } else { "pass" }
    );
    if !why.is_empty() {
        write!(verdict_line, ": {}", why.join(", ")).unwrap();
    }
    write!(
        verdict_line,
        ". {} in {} ({} pass, {} known failure{}, {} skipped).",
        plural(tally.total(), "case", "cases"),
        plural(report.targets.len() as u32, "target", "targets"),
        tally.pass,
        tally.known,
        if tally.known == 1 { "" } else { "s" },
        tally.skip,
    )
    .unwrap();
    writeln!(out, "{verdict_line}\n").unwrap();
    writeln!(
        out,
        "{}, seed `{:#x}`, {} cases per call{}.\n",
        cell(&report.tool),
        report.seed,
        report.cases_per_call,
        report
            .shard
            .map(|s| format!(", shard {}/{}", s.index, s.count))
            .unwrap_or_default()
    )
    .unwrap();

    out.push_str("| target | identity | outcome | pass | fail | known | error | skip |\n");
    out.push_str("|---|---|---|---:|---:|---:|---:|---:|\n");
    for t in &report.targets {
        let c = t.tally();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&t.target),
            cell(&t.identity.one_line()),
            t.outcome.as_str(),
            c.pass,
            c.fail,
            c.known,
            c.error,
            c.skip
        )
        .unwrap();
    }
    out.push('\n');

    let of = |s: Status| -> Vec<(&TargetRun, &CaseResult)> {
        report
            .targets
            .iter()
            .flat_map(|t| t.cases.iter().map(move |c| (t, c)))
            .filter(|(_, c)| c.status() == s)
            .collect()
    };

    let failures = of(Status::Fail);
    if !failures.is_empty() {
        writeln!(out, "### New failures (regressions)\n").unwrap();
        failing_calls(&mut out, &failures);
        violation_table(&mut out, &failures, false);
    }
    let known = of(Status::Known);
    if !known.is_empty() {
        writeln!(
            out,
            "### Known failures\n\nListed in the baseline; they do not fail the gate.\n"
        )
        .unwrap();
        violation_table(&mut out, &known, true);
    }
    let errors = of(Status::Error);
    if !errors.is_empty() {
        writeln!(out, "### Case errors\n").unwrap();
        out.push_str("| target | abi | call | case | reason |\n|---|---|---|---|---|\n");
        for (t, c) in errors.iter().take(MAX_ROWS) {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&t.target),
                cell(&c.abi),
                cell(&c.call),
                c.id,
                cell(c.reason.as_deref().unwrap_or(""))
            )
            .unwrap();
        }
        more(&mut out, errors.len());
    }

    let broken: Vec<_> = report.broken_targets().collect();
    if !broken.is_empty() {
        writeln!(out, "### Target errors\n").unwrap();
        for t in broken {
            writeln!(
                out,
                "- **{}** ({}): {}",
                cell(&t.target),
                t.outcome.as_str(),
                cell(t.outcome.reason().unwrap_or(""))
            )
            .unwrap();
            if let Some(log) = &t.console_log {
                let (skipped, tail) = tail_lines(log, CONSOLE_TAIL);
                let tail = visible(&tail);
                let fence = "`".repeat(3.max(longest_run(&tail, '`') + 1));
                writeln!(
                    out,
                    "\n  <details><summary>console log (last {} of {} lines)</summary>\n",
                    tail.lines().count(),
                    skipped + tail.lines().count()
                )
                .unwrap();
                writeln!(out, "  {fence}text").unwrap();
                for line in tail.lines() {
                    writeln!(out, "  {line}").unwrap();
                }
                writeln!(out, "  {fence}\n\n  </details>").unwrap();
            }
        }
        out.push('\n');
    }

    let watched = report
        .targets
        .iter()
        .map(|t| t.clobbers.len())
        .sum::<usize>();
    let clobbers: Vec<_> = report
        .targets
        .iter()
        .flat_map(|t| t.clobbers.iter().map(move |c| (t, c)))
        .filter(|(_, c)| c.changed > 0)
        .collect();
    if watched > 0 {
        writeln!(out, "### Clobbered registers\n").unwrap();
        writeln!(
            out,
            "{watched} may-clobber registers watched; {} seen changed (in how many of the \
             call's returning cases).\n",
            clobbers.len()
        )
        .unwrap();
    }
    if !clobbers.is_empty() {
        out.push_str("| target | abi | call | registers changed |\n|---|---|---|---|\n");
        // One row per (target, abi, call), registers in the report's order.
        let mut rows: Vec<(String, String, String, Vec<String>)> = Vec::new();
        for (t, c) in clobbers {
            let entry = format!(
                "{} {}/{}{}",
                cell(&c.register),
                c.changed,
                c.of,
                c.example
                    .map(|e| format!(" (e.g. `{e:#x}`)"))
                    .unwrap_or_default()
            );
            match rows
                .iter_mut()
                .find(|r| r.0 == t.target && r.1 == c.abi && r.2 == c.call)
            {
                Some(row) => row.3.push(entry),
                None => rows.push((t.target.clone(), c.abi.clone(), c.call.clone(), vec![entry])),
            }
        }
        let n = rows.len();
        for (target, abi, call, regs) in rows.into_iter().take(MAX_ROWS) {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&target),
                cell(&abi),
                cell(&call),
                regs.join(", ")
            )
            .unwrap();
        }
        more(&mut out, n);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// One line per failing call: how many of its cases failed, and with which violation kinds.
fn failing_calls(out: &mut String, cases: &[(&TargetRun, &CaseResult)]) {
    /// (target, abi, call), failing cases, violation kinds with counts.
    type CallFailures<'a> = ((&'a str, &'a str, &'a str), u32, Vec<(&'a str, u32)>);
    let mut calls: Vec<CallFailures> = Vec::new();
    for (t, c) in cases {
        let key = (t.target.as_str(), c.abi.as_str(), c.call.as_str());
        let i = match calls.iter().position(|x| x.0 == key) {
            Some(i) => i,
            None => {
                calls.push((key, 0, Vec::new()));
                calls.len() - 1
            }
        };
        calls[i].1 += 1;
        for v in &c.violations {
            let kinds = &mut calls[i].2;
            match kinds.iter_mut().find(|k| k.0 == v.kind) {
                Some(k) => k.1 += 1,
                None => kinds.push((&v.kind, 1)),
            }
        }
    }
    out.push_str("| target | abi | call | failing cases | violations |\n|---|---|---|---:|---|\n");
    for ((target, abi, call), n, kinds) in calls.iter().take(MAX_ROWS) {
        let kinds: Vec<_> = kinds
            .iter()
            .map(|(k, n)| format!("{} ×{n}", cell(k)))
            .collect();
        writeln!(
            out,
            "| {} | {} | {} | {n} | {} |",
            cell(target),
            cell(abi),
            cell(call),
            if kinds.is_empty() {
                "-".into()
            } else {
                kinds.join(", ")
            }
        )
        .unwrap();
    }
    more(out, calls.len());
}

fn violation_table(out: &mut String, cases: &[(&TargetRun, &CaseResult)], known: bool) {
    if known {
        out.push_str(
            "| target | abi | call | case | args | register | expected | observed | reason |\n",
        );
        out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    } else {
        out.push_str("| target | abi | call | case | args | register | expected | observed |\n");
        out.push_str("|---|---|---|---|---|---|---|---|\n");
    }
    // A row per violation; a failing case without violations still gets a row.
    let rows: Vec<_> = cases
        .iter()
        .flat_map(|(t, c)| {
            let vs: Vec<_> = if c.violations.is_empty() {
                vec![None]
            } else {
                c.violations.iter().map(Some).collect()
            };
            vs.into_iter().map(move |v| (*t, *c, v))
        })
        .collect();
    for (t, c, v) in rows.iter().take(MAX_ROWS) {
        let mut case = format!("{} {}", c.id, c.kind.as_str());
        if !c.label.is_empty() {
            write!(case, ": {}", c.label).unwrap();
        }
        let (register, expected, observed) = match v {
            Some(v) => (
                format!("{} ({})", cell(&v.register), cell(&v.role)),
                cell(&v.expected),
                match (
                    v.observed,
                    c.observed.as_ref().and_then(|o| o.exception.as_ref()),
                ) {
                    (Some(o), _) => format!("`{o:#x}`"),
                    (None, Some(e)) => cell(e),
                    (None, None) => "-".into(),
                },
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let args = if c.args.is_empty() {
            "-".to_string()
        } else {
            c.args
                .iter()
                .map(|a| format!("{}=`{:#x}`", cell(&a.name), a.value))
                .collect::<Vec<_>>()
                .join(" ")
        };
        write!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&t.target),
            cell(&c.abi),
            cell(&c.call),
            cell(&case),
            args,
            register,
            expected,
            observed
        )
        .unwrap();
        if known {
            write!(out, " {} |", cell(c.known.as_deref().unwrap_or(""))).unwrap();
        }
        out.push('\n');
    }
    more(out, rows.len());
}

fn more(out: &mut String, n: usize) {
    if n > MAX_ROWS {
        writeln!(
            out,
            "\nand {} more (see the HTML or JSON report).",
            n - MAX_ROWS
        )
        .unwrap();
    }
    out.push('\n');
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Text for a table cell or a line: one line, Markdown and HTML specials escaped (a target's
/// strings must not become links, emphasis, markup or extra columns).
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&fixture::report()));
    }

    #[test]
    fn hostile_strings_stay_in_their_cell() {
        let md = render(&fixture::report());
        let row = md
            .lines()
            .find(|l| l.contains("xen-arm64-debug | xen-arm64 | memory\\_op | 1 generated |"))
            .unwrap();
        // 8 columns: 9 unescaped pipes.
        let pipes = row.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 9, "{row}");
        assert!(!md.contains("<b>") && !md.contains("<script"), "{md}");
        assert!(!md.contains('\x1b') && !md.contains('\0'));
    }

    #[test]
    fn long_tables_are_capped() {
        let mut r = fixture::report();
        let base = r.targets[0].cases[1].clone();
        r.targets = vec![fixture::model_target()];
        for i in 0..40 {
            let mut c = base.clone();
            c.id = 100 + i;
            r.targets[0].cases.push(c);
        }
        let md = render(&r);
        // 41 failing cases with 3 violations each.
        assert!(
            md.contains("\nand 93 more (see the HTML or JSON report).\n"),
            "{md}"
        );
        assert!(md.contains("**Verdict: fail**: 41 new failures."), "{md}");
    }

    #[test]
    fn clean_run_passes() {
        let mut r = fixture::report();
        r.targets = vec![fixture::model_target()];
        r.targets[0].cases.retain(|c| c.status() != Status::Fail);
        let md = render(&r);
        assert!(md.starts_with("## hyperabi conformance: PASS\n"), "{md}");
        assert!(
            md.contains(
                "**Verdict: pass**. 4 cases in 1 target (2 pass, 1 known failure, 1 skipped)."
            ),
            "{md}"
        );
        assert!(md.contains("### Known failures"));
        assert!(!md.contains("### New failures"));
    }
}
