//! A Markdown summary for a pull-request comment (GitHub / GitLab flavoured), leading with what
//! broke: the verdict, a line per target, then new failures (regressions) and errors, grouped one
//! row per (target, ABI, call, violation kind, reason) with a count and one example. What did
//! not break the gate (known failures, calls never planned and skipped cases, clobbered
//! registers) follows collapsed, so a run without regressions fits one screen.

use std::fmt::Write;

use super::groups::{clobber_rows, groups, Group};
use super::text::{one_line, visible};
use super::{tail_lines, Report, Status};

/// Rows shown per table before "and N more".
pub const MAX_ROWS: usize = 30;
/// Console lines shown for a target that did not complete.
const CONSOLE_TAIL: usize = 20;

/// The pull-request comment for `report`.
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
    let failures = groups(report, Status::Fail);
    let errors = groups(report, Status::Error);
    let mut why = Vec::new();
    if tally.fail > 0 {
        why.push(format!(
            "{} in {}",
            plural(tally.fail, "new failure", "new failures"),
            plural(failures.len() as u32, "group", "groups")
        ));
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

    if !failures.is_empty() {
        writeln!(out, "### New failures (regressions)\n").unwrap();
        violation_table(&mut out, &failures);
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
    if !errors.is_empty() {
        writeln!(out, "### Case errors\n").unwrap();
        reason_table(&mut out, &errors);
    }

    // What did not break the gate: collapsed.
    let known = groups(report, Status::Known);
    if !known.is_empty() {
        writeln!(
            out,
            "<details><summary>Known failures: {} in {} (listed in the baseline; they do not \
             fail the gate)</summary>\n",
            plural(tally.known, "case", "cases"),
            plural(known.len() as u32, "group", "groups")
        )
        .unwrap();
        violation_table(&mut out, &known);
        out.push_str("</details>\n\n");
    }
    let skips = groups(report, Status::Skip);
    let (unplanned, skipped): (Vec<_>, Vec<_>) = skips.into_iter().partition(|g| g.never_planned());
    if !unplanned.is_empty() {
        // One row per (target, reason): a spec marks many calls disruptive.
        let mut rows: Vec<(&str, &str, Vec<String>)> = Vec::new();
        for g in &unplanned {
            let call = format!("{}::{}", g.abi, g.call);
            match rows
                .iter_mut()
                .find(|r| r.0 == g.target.target && r.1 == g.reason)
            {
                Some(r) => r.2.push(call),
                None => rows.push((&g.target.target, g.reason, vec![call])),
            }
        }
        writeln!(
            out,
            "<details><summary>Never planned: {} (not run at all, on purpose)</summary>\n",
            plural(unplanned.len() as u32, "call", "calls")
        )
        .unwrap();
        out.push_str("| target | why | calls | e.g. |\n|---|---|---:|---|\n");
        for (target, why, calls) in rows.iter().take(MAX_ROWS) {
            let mut eg = calls
                .iter()
                .take(4)
                .map(|c| cell(c))
                .collect::<Vec<_>>()
                .join(", ");
            if calls.len() > 4 {
                eg.push_str(", ...");
            }
            writeln!(
                out,
                "| {} | {} | {} | {eg} |",
                cell(target),
                cell(why),
                calls.len()
            )
            .unwrap();
        }
        more(&mut out, rows.len());
        out.push_str("</details>\n\n");
    }
    if !skipped.is_empty() {
        let n: u32 = skipped.iter().map(Group::count).sum();
        writeln!(
            out,
            "<details><summary>Skipped cases: {} in {}</summary>\n",
            plural(n, "case", "cases"),
            plural(skipped.len() as u32, "group", "groups")
        )
        .unwrap();
        reason_table(&mut out, &skipped);
        out.push_str("</details>\n\n");
    }

    // Two versions of one implementation in this run (qemu7.2-riscv64 and qemu10.0-riscv64):
    // what they answered differently.
    let pairs: Vec<crate::compare::PairDiff> = crate::compare::version_pairs(report)
        .into_iter()
        .map(|(a, b)| crate::compare::compare(a, b))
        .filter(|d| !d.differences.is_empty())
        .collect();
    if !pairs.is_empty() {
        let n: usize = pairs.iter().map(|p| p.differences.len()).sum();
        writeln!(
            out,
            "<details><summary>Where versions differ: {} in {}</summary>\n\n```text",
            plural(n as u32, "difference", "differences"),
            plural(pairs.len() as u32, "pair of targets", "pairs of targets")
        )
        .unwrap();
        out.push_str(&crate::compare::render_text(&pairs, 5));
        out.push_str("```\n</details>\n\n");
    }

    coverage_section(&mut out, report);
    paths_section(&mut out, report);

    let (watched, changed, rows) = clobber_rows(report);
    if watched > 0 {
        writeln!(
            out,
            "<details><summary>Clobbered registers: {watched} may-clobber registers watched, \
             {changed} seen changed</summary>\n"
        )
        .unwrap();
        if !rows.is_empty() {
            out.push_str(
                "Changed in every returning case of the call unless counted.\n\n\
                 | target | abi | registers changed | e.g. | calls |\n|---|---|---|---|---|\n",
            );
            for r in rows.iter().take(MAX_ROWS) {
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    cell(r.target),
                    cell(r.abi),
                    cell(&r.registers),
                    r.example
                        .map(|e| format!("`{e:#x}`"))
                        .unwrap_or_else(|| "-".into()),
                    cell(&r.calls.join(", "))
                )
                .unwrap();
            }
            more(&mut out, rows.len());
        }
        out.push_str("</details>\n\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// How many of each spec's register rules, sub-operations, error codes and struct fields the
/// run exercised, per target and ABI, with the first items it did not.
fn coverage_section(out: &mut String, report: &Report) {
    let (exercised, declared) = report.coverage_totals();
    if declared == 0 {
        return;
    }
    writeln!(
        out,
        "<details><summary>Spec coverage: {exercised} of {declared} declared items exercised \
         ({}%); what a green run did not check</summary>\n",
        u64::from(exercised) * 100 / u64::from(declared)
    )
    .unwrap();
    out.push_str(
        "Exercised/declared. Register rules: the ABI's and each call's, checked when a case \
         of a call the rule applies to returned; sub-operations: selected by a case that returned; \
         error codes: answered; struct fields: outputs written, inputs checked untouched.\n\n\
         | target | abi | register rules | sub-operations | error codes | struct fields | not exercised |\n\
         |---|---|---:|---:|---:|---:|---|\n",
    );
    let rows: Vec<_> = report
        .targets
        .iter()
        .flat_map(|t| t.coverage.iter().map(move |c| (t, c)))
        .collect();
    for (t, c) in rows.iter().take(MAX_ROWS) {
        let (sample, more) = c.missed_sample(3);
        let mut missed = sample.join(", ");
        if more > 0 {
            missed.push_str(&format!(" and {more} more"));
        }
        let [r, s, e, f] = c.dimensions().map(|(_, d)| d.fraction());
        writeln!(
            out,
            "| {} | {} | {r} | {s} | {e} | {f} | {} |",
            cell(&t.target),
            cell(&c.abi),
            cell(&missed)
        )
        .unwrap();
    }
    more(out, rows.len());
    out.push_str("</details>\n\n");
}

/// Per target, the cases each execution path ran and how many agreed with the probe.
fn paths_section(out: &mut String, report: &Report) {
    let targets: Vec<_> = report
        .targets
        .iter()
        .filter(|t| !t.paths.is_empty())
        .collect();
    if targets.is_empty() {
        return;
    }
    let disagree: u32 = targets
        .iter()
        .flat_map(|t| &t.paths)
        .filter(|p| p.path != super::ExecPath::Probe)
        .map(|p| p.ran - p.agreed.min(p.ran))
        .sum();
    writeln!(
        out,
        "<details><summary>Execution paths: probe, Rust caller, C stub, asm stub: {}</summary>\n",
        if disagree == 0 {
            "every case that ran through a path agreed with the probe".to_string()
        } else {
            plural(disagree, "case disagreed", "cases disagreed")
        }
    )
    .unwrap();
    out.push_str("| target | path | ran | agree | not run | note |\n|---|---|---:|---:|---|---|\n");
    for t in targets {
        for p in &t.paths {
            let mut not_run = Vec::new();
            if p.unavailable > 0 {
                not_run.push(format!("{} unavailable", p.unavailable));
            }
            if p.missing > 0 {
                not_run.push(format!("{} not run by this backend", p.missing));
            }
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                cell(&t.target),
                p.path.title(),
                p.ran,
                if p.path == super::ExecPath::Probe {
                    "-".to_string()
                } else {
                    p.agreed.to_string()
                },
                cell(&not_run.join(", ")),
                cell(p.note.as_deref().unwrap_or(""))
            )
            .unwrap();
        }
    }
    out.push_str("\n</details>\n\n");
}

/// A row per group of failures: its count and cases, and its example's first violation
/// (register, expected, observed) with arguments.
fn violation_table(out: &mut String, groups: &[Group]) {
    let known = groups.iter().any(|g| g.status == Status::Known);
    out.push_str("| target | abi | call | violation | cases | example | args | register | expected | observed |");
    out.push_str(if known { " reason |\n" } else { "\n" });
    out.push_str("|---|---|---|---|---:|---|---|---|---|---|");
    out.push_str(if known { "---|\n" } else { "\n" });
    for g in groups.iter().take(MAX_ROWS) {
        let c = g.example;
        let mut case = format!("{} {}", c.id, c.kind.as_str());
        if !c.label.is_empty() {
            write!(case, ": {}", c.label).unwrap();
        }
        // Every violation of the example, one line each.
        let (mut register, mut expected, mut observed) = (vec![], vec![], vec![]);
        for v in &c.violations {
            register.push(format!("{} ({})", cell(&v.register), cell(&v.role)));
            expected.push(cell(&v.expected));
            observed.push(
                match (
                    v.observed,
                    c.observed.as_ref().and_then(|o| o.exception.as_ref()),
                ) {
                    (Some(o), _) => format!("`{o:#x}`"),
                    (None, Some(e)) => cell(e),
                    (None, None) => "-".into(),
                },
            );
        }
        let lines = |v: Vec<String>| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join("<br>")
            }
        };
        let (register, expected, observed) = (lines(register), lines(expected), lines(observed));
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
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&g.target.target),
            cell(g.abi),
            cell(g.call),
            if g.kinds.is_empty() {
                "-".into()
            } else {
                cell(&g.kinds.replace('+', ", "))
            },
            g.count(),
            cell(&case),
            args,
            register,
            expected,
            observed
        )
        .unwrap();
        if known {
            write!(out, " {} |", cell(g.reason)).unwrap();
        }
        out.push('\n');
    }
    more(out, groups.len());
}

/// A row per group of errors or skips: the reason, the count and an example case.
fn reason_table(out: &mut String, groups: &[Group]) {
    out.push_str(
        "| target | abi | call | cases | example | reason |\n|---|---|---|---:|---|---|\n",
    );
    for g in groups.iter().take(MAX_ROWS) {
        let c = g.example;
        let mut case = format!("{} {}", c.id, c.kind.as_str());
        if !c.label.is_empty() {
            write!(case, ": {}", c.label).unwrap();
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&g.target.target),
            cell(g.abi),
            cell(g.call),
            g.count(),
            cell(&case),
            cell(g.reason)
        )
        .unwrap();
    }
    more(out, groups.len());
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

    /// Each target's paths are one row each; the summary says whether every path agreed.
    #[test]
    fn paths_show_what_ran_and_agreed() {
        use crate::report::{ExecPath, PathStat};
        let stat = |path, ran, agreed, unavailable, missing| PathStat {
            path,
            ran,
            agreed,
            unavailable,
            missing,
            note: (path == ExecPath::CStub).then(|| "compiled by gcc | -O2".to_string()),
        };
        let mut r = fixture::report();
        assert!(
            !render(&r).contains("Execution paths"),
            "only the probe ran"
        );
        r.targets[1].paths = vec![
            stat(ExecPath::Probe, 10, 9, 0, 0),
            stat(ExecPath::Caller, 8, 8, 0, 0),
            stat(ExecPath::CStub, 8, 8, 0, 0),
            stat(ExecPath::AsmStub, 6, 6, 2, 0),
        ];
        let md = render(&r);
        assert!(
            md.contains(
                "<details><summary>Execution paths: probe, Rust caller, C stub, asm stub: every \
                 case that ran through a path agreed with the probe</summary>"
            ),
            "{md}"
        );
        assert!(
            md.contains("| xen-arm64-debug | probe | 10 | - |  |  |"),
            "{md}"
        );
        assert!(
            md.contains("| xen-arm64-debug | C stub | 8 | 8 |  | compiled by gcc \\| -O2 |"),
            "{md}"
        );
        assert!(md.contains("| xen-arm64-debug | asm stub | 6 | 6 | 2 unavailable |  |"));
        r.targets[1].paths[2].agreed = 5;
        r.targets[1].paths[1].missing = 1;
        let md = render(&r);
        assert!(md.contains("asm stub: 3 cases disagreed</summary>"), "{md}");
        assert!(md.contains("| Rust caller | 8 | 8 | 1 not run by this backend |"));
        assert_eq!(
            crate::report::paths_line(&r.targets[1].paths).unwrap(),
            "probe 10, Rust caller 8 of 8 agree (1 not run by this backend), C stub 5 of 8 \
             agree, asm stub 6 of 6 agree (2 unavailable)"
        );
    }

    #[test]
    fn hostile_strings_stay_in_their_cell() {
        let md = render(&fixture::report());
        let row = md
            .lines()
            .find(|l| l.contains("xen-arm64-debug | xen-arm64 | memory\\_op | not\\_zero"))
            .unwrap();
        // 10 columns: 11 unescaped pipes.
        let pipes = row.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 11, "{row}");
        assert!(!md.contains("<b>") && !md.contains("<script"), "{md}");
        assert!(!md.contains('\x1b') && !md.contains('\0'));
    }

    /// Forty failing cases of one call for one reason are one row; forty calls are forty rows,
    /// capped.
    #[test]
    fn failures_are_grouped_and_long_tables_capped() {
        let mut r = fixture::report();
        let base = r.targets[0].cases[1].clone();
        r.targets = vec![fixture::model_target()];
        for i in 0..40 {
            let mut c = base.clone();
            c.id = 100 + i;
            r.targets[0].cases.push(c);
        }
        let md = render(&r);
        assert!(
            md.contains("**Verdict: fail**: 41 new failures in 1 group."),
            "{md}"
        );
        let row = md
            .lines()
            .find(|l| l.starts_with("| model | psci | cpu\\_on |"))
            .unwrap();
        assert!(row.contains(" | 41 | 1 generated"), "{row}");

        for i in 0..40 {
            let mut c = base.clone();
            c.id = 200 + i;
            c.call = format!("call_{i}");
            r.targets[0].cases.push(c);
        }
        let md = render(&r);
        assert!(
            md.contains("\nand 11 more (see the HTML or JSON report).\n"),
            "{md}"
        );
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
        assert!(md.contains("<details><summary>Known failures: 1 case in 1 group"));
        assert!(!md.contains("### New failures"));
        // Nothing regressed: what follows the target table is collapsed.
        let after_table = md.split("\n\n").skip(4).collect::<Vec<_>>().join("\n\n");
        assert!(after_table.starts_with("<details>"), "{after_table}");
    }
}
