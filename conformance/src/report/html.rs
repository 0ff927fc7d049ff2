//! One self-contained HTML page (inline CSS, no script, no external resource), in the order a
//! person reads it: the verdict and what broke (new failures, errors, targets that did not
//! complete), then the conformance matrix (rows: ABI and call; columns: targets; each cell
//! coloured by the call's worst status on that target, with counts, linked to its details), then
//! the details grouped one row per (violation kind, reason) with a count and an example, then
//! the targets' identities, clobber statistics and console logs, collapsed.
//!
//! A call that was never planned (the spec marks it `noreturn` or `disruptive`, or the
//! baseline excludes it) is a hatched "not planned" cell with the reason, unlike a cell whose
//! cases were skipped one by one.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::groups::{clobber_rows, group_cases, groups, never_planned, Group};
use super::text::{xml_attr as attr, xml_text as esc};
use super::{CaseResult, IdSet, Report, RunOutcome, Status, Tally, TargetRun};

const STYLE: &str = "
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.5em 0 .5em}h3{font-size:1em;margin:0 0 .4em}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
.meta{color:#444}.broke{margin:.3em 0 0;padding-left:1.2em}
.targets{display:flex;flex-wrap:wrap;gap:1em}
.target{border:1px solid #ccc;border-radius:4px;padding:.6em .8em;min-width:18em}
.target table td:first-child{color:#555}
.badge{display:inline-block;padding:0 .4em;border-radius:3px;font-size:.85em;font-weight:normal}
.v-pass{background:#c8ecc9}.v-fail{background:#f4b4b4}.v-known{background:#f8dc9a}
.v-error{background:#d8c4ec}.v-skip{background:#f2f2f2;color:#555}.v-none{background:#fff}
.v-unplanned{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#e4e4e4 4px,#e4e4e4 8px);color:#444;font-style:italic}
.badge.v-none{border:1px solid #bbb}
.matrix td{text-align:center;min-width:7em}.matrix td a{color:inherit;display:block}
.matrix th.abi{color:#555;font-weight:normal}
.legend span{margin-right:.6em;padding:0 .4em}
.detail{margin:1em 0;padding:.4em .6em;border-left:4px solid #ccc}
.detail:target{border-left-color:#1f6feb;background:#f3f8ff}
pre{background:#f6f6f6;padding:.5em;overflow:auto;max-height:40em;white-space:pre-wrap}
.reason{font-weight:bold}.msg{white-space:pre-wrap}.ids{color:#555;font-size:.85em}
.num{text-align:right;white-space:nowrap}.num details[open]{white-space:normal;text-align:left;max-width:40em}
";

/// The HTML page of `report`.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let tally = report.tally();
    let broken = report.broken_targets().count();
    let verdict = if tally.fail > 0 || tally.error > 0 || broken > 0 {
        Status::Fail
    } else {
        Status::Pass
    };
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    writeln!(
        out,
        "<title>hyperabi conformance: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        verdict.as_str()
    )
    .unwrap();
    writeln!(
        out,
        "<h1 id=\"verdict\">hyperabi conformance: <span class=\"badge v-{0}\">{0}</span></h1>",
        verdict.as_str()
    )
    .unwrap();
    writeln!(
        out,
        "<p class=\"meta\">{} cases in {} target{}: {}. {}; seed <code>{:#x}</code>; {} cases per call{}.</p>",
        tally.total(),
        report.targets.len(),
        if report.targets.len() == 1 { "" } else { "s" },
        tally.describe(),
        esc(&report.tool),
        report.seed,
        report.cases_per_call,
        report
            .shard
            .map(|s| format!("; shard {}/{}", s.index, s.count))
            .unwrap_or_default(),
    )
    .unwrap();

    let m = Matrix::of(report);
    what_broke(&mut out, report, &m);
    matrix(&mut out, report, &m);
    coverage(&mut out, report);
    details(&mut out, report, &m);

    out.push_str("<h2>Targets</h2>\n<div class=\"targets\">\n");
    for (ti, t) in report.targets.iter().enumerate() {
        target_card(&mut out, ti, t);
    }
    out.push_str("</div>\n");
    clobbers(&mut out, report);

    if report.targets.iter().any(|t| t.console_log.is_some()) {
        out.push_str("<h2>Console logs</h2>\n");
    }
    for (ti, t) in report.targets.iter().enumerate() {
        if let Some(log) = &t.console_log {
            writeln!(
                out,
                "<details id=\"log-{ti}\"><summary>console log of {} ({} lines)</summary>\n<pre>{}</pre>\n</details>",
                esc(&t.target),
                log.lines().count(),
                esc(log)
            )
            .unwrap();
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Under the verdict: a line per group of new failures, per target that did not complete and
/// per group of case errors, each linked to its details.
fn what_broke(out: &mut String, report: &Report, m: &Matrix) {
    let mut lines = Vec::new();
    for g in groups(report, Status::Fail) {
        lines.push(format!(
            "<li><span class=\"badge v-fail\">fail</span> <a href=\"#{}\">{}::{} on {}</a>: {} ({} case{})</li>",
            m.anchor(report, g.target, g.abi, g.call),
            esc(g.abi),
            esc(g.call),
            esc(&g.target.target),
            esc(&g.kinds.replace('+', ", ")),
            g.count(),
            if g.count() == 1 { "" } else { "s" }
        ));
    }
    for (ti, t) in report.targets.iter().enumerate() {
        if let Some(reason) = t.outcome.reason() {
            lines.push(format!(
                "<li><span class=\"badge v-error\">{}</span> <a href=\"#target-{ti}\">{}</a>: {}</li>",
                t.outcome.as_str(),
                esc(&t.target),
                esc(reason)
            ));
        }
    }
    let errors = groups(report, Status::Error);
    let n_errors = errors.len();
    for g in errors.into_iter().take(10) {
        lines.push(format!(
            "<li><span class=\"badge v-error\">error</span> <a href=\"#{}\">{}::{} on {}</a>: {} ({} case{})</li>",
            m.anchor(report, g.target, g.abi, g.call),
            esc(g.abi),
            esc(g.call),
            esc(&g.target.target),
            esc(g.reason),
            g.count(),
            if g.count() == 1 { "" } else { "s" }
        ));
    }
    if n_errors > 10 {
        lines.push(format!(
            "<li>and {} more groups of case errors (in the matrix)</li>",
            n_errors - 10
        ));
    }
    if lines.is_empty() {
        out.push_str("<p>No new failure, no error.</p>\n");
        return;
    }
    out.push_str("<ul class=\"broke\">\n");
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str("</ul>\n");
}

fn target_card(out: &mut String, ti: usize, t: &TargetRun) {
    let tally = t.tally();
    let class = match &t.outcome {
        RunOutcome::Completed => "none",
        _ => "error",
    };
    // Identities collapsed: a long list of firmware details is not what a person opens the page for.
    writeln!(
        out,
        "<details class=\"target\" id=\"target-{ti}\"{}>\n<summary><b>{}</b> <span class=\"badge v-{class}\">{}</span> {}</summary>",
        if t.outcome == RunOutcome::Completed { "" } else { " open" },
        esc(&t.target),
        t.outcome.as_str(),
        esc(&t.identity.one_line())
    )
    .unwrap();
    if let Some(reason) = t.outcome.reason() {
        writeln!(out, "<p class=\"reason\">{}</p>", esc(reason)).unwrap();
    }
    out.push_str("<table>\n");
    let id = &t.identity;
    let mut rows: Vec<(&str, String)> = vec![
        ("hypervisor", id.hypervisor.clone()),
        ("version", id.version.clone()),
        ("arch", id.arch.clone()),
        ("accelerator", id.accelerator.clone()),
        ("host", id.host.clone()),
    ];
    rows.extend(id.details.iter().map(|(k, v)| (k.as_str(), v.clone())));
    rows.push(("cases", tally.describe()));
    let tm = &t.timings;
    let mut timing = format!(
        // One decimal: what a person reads, and stable through a JSON round trip.
        "plan {:.1} ms, run {:.1} ms, check {:.1} ms",
        tm.plan_ms, tm.run_ms, tm.check_ms
    );
    if let Some(f) = tm.first_result_ms {
        write!(timing, ", first result {f:.1} ms").unwrap();
    }
    rows.push(("timings", timing));
    for (k, v) in rows {
        if !v.is_empty() {
            writeln!(out, "<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(&v)).unwrap();
        }
    }
    out.push_str("</table>\n");
    if let Some(log) = &t.console_log {
        writeln!(
            out,
            "<p><a href=\"#log-{ti}\">console log</a> ({} lines, below)</p>",
            log.lines().count()
        )
        .unwrap();
    }
    out.push_str("</details>\n");
}

/// Cases of one call on one target.
#[derive(Default)]
struct Cell<'a> {
    tally: Tally,
    cases: Vec<&'a CaseResult>,
    /// Set when every case stands for a call that was never planned: the reason.
    unplanned: Option<&'a str>,
}

/// The matrix: rows (ABI, call) in the order calls first appear, cells per (row, target).
struct Matrix<'a> {
    rows: Vec<(&'a str, &'a str)>,
    row_of: BTreeMap<(&'a str, &'a str), usize>,
    cells: BTreeMap<(usize, usize), Cell<'a>>,
}

impl<'a> Matrix<'a> {
    fn of(report: &'a Report) -> Matrix<'a> {
        let mut m = Matrix {
            rows: Vec::new(),
            row_of: BTreeMap::new(),
            cells: BTreeMap::new(),
        };
        for (ti, t) in report.targets.iter().enumerate() {
            // Cases, summarised passes and summarised known failures, in id order, so that
            // rows follow the plan.
            type Entry<'a> = (u32, &'a str, &'a str, Result<&'a CaseResult, Status>, u32);
            let mut entries: Vec<Entry> = t
                .cases
                .iter()
                .map(|c| (c.id, c.abi.as_str(), c.call.as_str(), Ok(c), 1))
                .collect();
            let summarised = t
                .passed
                .iter()
                .flatten()
                .map(|p| (&p.abi, &p.call, &p.ids, Status::Pass, p.cases))
                .chain(
                    t.known_failures
                        .iter()
                        .flatten()
                        .map(|k| (&k.abi, &k.call, &k.ids, Status::Known, k.cases)),
                );
            for (abi, call, ids, status, n) in summarised {
                let first = IdSet::parse(ids)
                    .ok()
                    .and_then(|s| s.first())
                    .unwrap_or(u32::MAX);
                entries.push((first, abi, call, Err(status), n));
            }
            entries.sort_by_key(|e| e.0);
            for (_, abi, call, case, n) in entries {
                let key = (abi, call);
                let rows = &mut m.rows;
                let ri = *m.row_of.entry(key).or_insert_with(|| {
                    rows.push(key);
                    rows.len() - 1
                });
                let cell = m.cells.entry((ri, ti)).or_default();
                match case {
                    Ok(c) => {
                        cell.tally.add(c.status());
                        cell.cases.push(c);
                    }
                    Err(status) => cell.tally.add_many(status, n),
                }
            }
        }
        for cell in m.cells.values_mut() {
            if !cell.cases.is_empty() && cell.cases.iter().all(|c| never_planned(c)) {
                cell.unplanned = cell.cases[0].reason.as_deref();
            }
        }
        m
    }

    fn anchor(&self, report: &Report, t: &TargetRun, abi: &str, call: &str) -> String {
        let ti = report
            .targets
            .iter()
            .position(|x| std::ptr::eq(x, t))
            .unwrap_or(0);
        let ri = self.row_of.get(&(abi, call)).copied().unwrap_or(0);
        format!("c{ri}-{ti}")
    }
}

fn matrix(out: &mut String, report: &Report, m: &Matrix) {
    out.push_str("<h2>Conformance matrix</h2>\n<p class=\"legend\">");
    for s in Status::ALL {
        write!(out, "<span class=\"v-{0}\">{0}</span>", s.as_str()).unwrap();
    }
    out.push_str(
        "<span class=\"v-unplanned\">not planned</span><span class=\"v-none\">(blank: not in \
         this target's plan)</span> A cell shows the worst status of the call's cases; click it \
         for the cases that did not pass. <i>skip</i>: cases skipped one by one; <i>not \
         planned</i>: the call was never run (spec <code>noreturn</code> or \
         <code>disruptive</code>, or excluded by the baseline), the reason is in the cell.</p>\n",
    );
    out.push_str("<table class=\"matrix\">\n<thead><tr><th>ABI</th><th>call</th>");
    for t in &report.targets {
        let class = if t.outcome == RunOutcome::Completed {
            ""
        } else {
            " class=\"v-error\""
        };
        write!(
            out,
            "<th{class} title=\"{}\">{}",
            attr(&t.identity.one_line()),
            esc(&t.target)
        )
        .unwrap();
        if t.outcome != RunOutcome::Completed {
            write!(out, "<br><small>{}</small>", t.outcome.as_str()).unwrap();
        }
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    // Calls no target planned are listed below the matrix, not as rows of hatched cells.
    let shown: Vec<usize> = (0..m.rows.len())
        .filter(|ri| {
            (0..report.targets.len()).any(|ti| {
                m.cells
                    .get(&(*ri, ti))
                    .is_some_and(|c| c.unplanned.is_none())
            })
        })
        .collect();
    for (i, ri) in shown.iter().enumerate() {
        let (abi, call) = m.rows[*ri];
        out.push_str("<tr>");
        // The ABI once per run of its rows.
        if i == 0 || m.rows[shown[i - 1]].0 != abi {
            let span = shown[i..]
                .iter()
                .take_while(|r| m.rows[**r].0 == abi)
                .count();
            write!(
                out,
                "<th class=\"abi\" rowspan=\"{span}\">{}</th>",
                esc(abi)
            )
            .unwrap();
        }
        write!(out, "<th>{}</th>", esc(call)).unwrap();
        for ti in 0..report.targets.len() {
            match m.cells.get(&(*ri, ti)) {
                None => out.push_str("<td class=\"v-none\"></td>"),
                Some(cell) => {
                    let worst = cell.tally.worst().unwrap_or(Status::Skip);
                    let counts = cell.tally.describe();
                    if let Some(why) = cell.unplanned {
                        write!(
                            out,
                            "<td class=\"v-unplanned\" title=\"{}\">not planned: {}</td>",
                            attr(why),
                            esc(short_reason(why))
                        )
                        .unwrap();
                    } else if cell.tally.pass == cell.tally.total() {
                        write!(out, "<td class=\"v-pass\">{counts}</td>").unwrap();
                    } else {
                        write!(
                            out,
                            "<td class=\"v-{}\"><a href=\"#c{ri}-{ti}\">{counts}</a></td>",
                            worst.as_str()
                        )
                        .unwrap();
                    }
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");

    // (ABI, reason, targets) -> calls.
    let mut unplanned: Vec<(&str, &str, Vec<&str>, Vec<&str>)> = Vec::new();
    for (ri, (abi, call)) in m.rows.iter().enumerate() {
        if shown.contains(&ri) {
            continue;
        }
        let cells: Vec<(usize, &Cell)> = (0..report.targets.len())
            .filter_map(|ti| m.cells.get(&(ri, ti)).map(|c| (ti, c)))
            .collect();
        let why = cells.iter().find_map(|(_, c)| c.unplanned).unwrap_or("");
        let targets: Vec<&str> = cells
            .iter()
            .map(|(ti, _)| report.targets[*ti].target.as_str())
            .collect();
        match unplanned
            .iter_mut()
            .find(|u| u.0 == *abi && u.1 == why && u.2 == targets)
        {
            Some(u) => u.3.push(call),
            None => unplanned.push((abi, why, targets, vec![call])),
        }
    }
    if !unplanned.is_empty() {
        let n: usize = unplanned.iter().map(|u| u.3.len()).sum();
        writeln!(
            out,
            "<details id=\"never-planned\"><summary>Never planned: {n} call{} that no target ran, on \
             purpose</summary>\n<table>\n<thead><tr><th>ABI</th><th>why</th><th>targets</th>\
             <th>calls</th></tr></thead>\n<tbody>",
            if n == 1 { "" } else { "s" }
        )
        .unwrap();
        for (abi, why, targets, calls) in unplanned {
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(abi),
                esc(why),
                esc(&targets.join(", ")),
                esc(&calls.join(", "))
            )
            .unwrap();
        }
        out.push_str("</tbody>\n</table>\n</details>\n");
    }
}

/// `spec: disruptive` out of `would stop, hang or corrupt the guest (spec: disruptive); never
/// planned`: what fits a cell (the whole reason is its title).
fn short_reason(why: &str) -> &str {
    if let Some(start) = why.find("(spec: ") {
        if let Some(end) = why[start..].find(')') {
            return &why[start + 1..start + end];
        }
    }
    if why.starts_with("excluded by the baseline") {
        return "excluded by the baseline";
    }
    why
}

/// A section per cell that did not only pass: its cases grouped by (status, violation kinds,
/// reason), each group with its count, case ids and its first case as the example.
fn details(out: &mut String, report: &Report, m: &Matrix) {
    let mut any = false;
    for ((ri, ti), cell) in &m.cells {
        if cell.tally.pass == cell.tally.total() || cell.unplanned.is_some() {
            continue;
        }
        if !any {
            out.push_str("<h2>Details</h2>\n");
            any = true;
        }
        let (abi, call) = m.rows[*ri];
        let t = &report.targets[*ti];
        writeln!(
            out,
            "<section class=\"detail\" id=\"c{ri}-{ti}\">\n<h3>{}::{} on {}: <span class=\"badge v-{}\">{}</span></h3>",
            esc(abi),
            esc(call),
            esc(&t.target),
            cell.tally.worst().unwrap_or(Status::Skip).as_str(),
            cell.tally.describe()
        )
        .unwrap();
        out.push_str(
            "<table>\n<thead><tr><th>case</th><th>status</th><th>args</th><th>register</th>\
             <th>role</th><th>before</th><th>expected</th><th>observed</th><th>message</th></tr></thead>\n<tbody>\n",
        );
        // Grouped by status, violation kinds and reason: report.json has every case.
        for status in [Status::Fail, Status::Error, Status::Known, Status::Skip] {
            for g in group_cases(t, cell.cases.iter().copied(), status) {
                case_rows(out, report, g.example, Some(&g));
            }
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
}

/// Spec coverage per target and ABI: exercised/declared register rules, sub-operations, error
/// codes and struct fields, each with what the run did not exercise (collapsed).
fn coverage(out: &mut String, report: &Report) {
    let (exercised, declared) = report.coverage_totals();
    if declared == 0 {
        return;
    }
    writeln!(
        out,
        "<section id=\"coverage\">\n<h2>Spec coverage</h2>\n<p class=\"meta\">{exercised} of \
         {declared} declared items exercised ({}%). Register rules: the ABI's and each call's, \
         checked when a case of a call the rule applies to returned; sub-operations: selected by a \
         case that returned; error codes: answered; struct fields: outputs written, inputs \
         checked untouched.</p>",
        u64::from(exercised) * 100 / u64::from(declared)
    )
    .unwrap();
    out.push_str(
        "<table>\n<thead><tr><th>target</th><th>ABI</th><th>register rules</th>\
         <th>sub-operations</th><th>error codes</th><th>struct fields</th></tr></thead>\n<tbody>\n",
    );
    for t in &report.targets {
        for c in &t.coverage {
            write!(
                out,
                "<tr><td>{}</td><td>{}</td>",
                esc(&t.target),
                esc(&c.abi)
            )
            .unwrap();
            for (what, d) in c.dimensions() {
                if d.missed.is_empty() {
                    write!(out, "<td class=\"num\">{}</td>", d.fraction()).unwrap();
                } else {
                    write!(
                        out,
                        "<td class=\"num\"><details><summary>{}</summary>{what} not exercised: \
                         <span class=\"mono\">{}</span></details></td>",
                        d.fraction(),
                        esc(&d.missed.join(", "))
                    )
                    .unwrap();
                }
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// May-clobber registers seen changed, collapsed: one row per (target, ABI, registers changed,
/// example value) with its calls, since a debug hypervisor poisons the same registers in every
/// call (a call whose registers changed in only some of its cases says how many).
fn clobbers(out: &mut String, report: &Report) {
    let (watched, changed, rows) = clobber_rows(report);
    if watched == 0 {
        return;
    }
    writeln!(
        out,
        "<details id=\"clobbers\"><summary>Clobbered registers: {watched} may-clobber registers \
         watched, {changed} seen changed</summary>"
    )
    .unwrap();
    if !rows.is_empty() {
        out.push_str(
            "<table>\n<thead><tr><th>target</th><th>ABI</th><th>registers changed (in every \
             returning case unless counted)</th><th>example</th><th>calls</th></tr></thead>\n<tbody>\n",
        );
        for r in &rows {
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td>{}</td></tr>",
                esc(r.target),
                esc(r.abi),
                esc(&r.registers),
                r.example.map(|e| format!("{e:#x}")).unwrap_or_else(|| "-".into()),
                esc(&r.calls.join(", "))
            )
            .unwrap();
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</details>\n");
}

/// The rows of one case (a row per violation), or of a group of cases through its example.
fn case_rows(out: &mut String, report: &Report, c: &CaseResult, group: Option<&Group>) {
    let status = c.status();
    let mut case = match group {
        Some(g) if g.count() > 1 => format!(
            "{} cases <span class=\"ids\">{}</span><br>e.g. ",
            g.count(),
            esc(&g.ids.abbreviated(120))
        ),
        _ => String::new(),
    };
    write!(
        case,
        "#{} {} {}<br><span class=\"mono\">{}</span>",
        c.id,
        c.kind.as_str(),
        c.path.as_str(),
        esc(&c
            .number
            .iter()
            .map(|n| format!("{n:#x}"))
            .collect::<Vec<_>>()
            .join(" "))
    )
    .unwrap();
    if !c.label.is_empty() {
        write!(case, "<br>{}", esc(&c.label)).unwrap();
    }
    let mut args = if c.args.is_empty() {
        "-".to_string()
    } else {
        String::new()
    };
    args += &c
        .args
        .iter()
        .map(|a| format!("{}={:#x}", esc(&a.name), a.value))
        .collect::<Vec<_>>()
        .join("<br>");
    if let Some(orig) = &c.shrunk_from {
        write!(
            args,
            "<br><small>shrunk from {}</small>",
            orig.iter()
                .map(|a| format!("{}={:#x}", esc(&a.name), a.value))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .unwrap();
    }
    let mut observed_all = String::new();
    if let Some(o) = &c.observed {
        observed_all = o
            .results
            .iter()
            .map(|r| format!("{}={:#x}", esc(&r.name), r.value))
            .collect::<Vec<_>>()
            .join("<br>");
        if let Some(e) = &o.exception {
            if !observed_all.is_empty() {
                observed_all.push_str("<br>");
            }
            write!(observed_all, "exception: {}", esc(e)).unwrap();
        }
    }
    let mut note = String::new();
    if let Some(k) = &c.known {
        write!(note, "known failure: {}", esc(k)).unwrap();
    }
    if let Some(r) = &c.reason {
        write!(note, "{}", esc(r)).unwrap();
    }
    let title = format!(
        "{}: reproduce with seed {:#x}, {} cases per call",
        c.display_name(),
        report.seed,
        report.cases_per_call
    );
    let n = c.violations.len().max(1);
    write!(
        out,
        "<tr class=\"v-{0}\" title=\"{1}\"><td rowspan=\"{n}\">{case}</td><td rowspan=\"{n}\">{0}</td><td rowspan=\"{n}\" class=\"mono\">{args}</td>",
        status.as_str(),
        attr(&title)
    )
    .unwrap();
    if c.violations.is_empty() {
        writeln!(
            out,
            "<td>-</td><td>-</td><td>-</td><td>-</td><td class=\"mono\">{}</td><td class=\"msg\">{note}</td></tr>",
            if observed_all.is_empty() { "-" } else { &observed_all }
        )
        .unwrap();
        return;
    }
    for (i, v) in c.violations.iter().enumerate() {
        if i > 0 {
            write!(out, "<tr class=\"v-{}\">", status.as_str()).unwrap();
        }
        let observed = match v.observed {
            Some(o) => format!("{o:#x}"),
            None if !observed_all.is_empty() => observed_all.clone(),
            None => "-".into(),
        };
        let mut message = esc(&v.message);
        if i == 0 && !note.is_empty() {
            write!(message, "<br><em>{note}</em>").unwrap();
        }
        writeln!(
            out,
            "<td class=\"mono\">{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td class=\"mono\">{observed}</td><td class=\"msg\">{message}</td></tr>",
            esc(&v.register),
            esc(&v.role),
            v.before.map(|b| format!("{b:#x}")).unwrap_or_else(|| "-".into()),
            esc(&v.expected),
        )
        .unwrap();
    }
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
    fn self_contained_and_escaped() {
        let html = render(&fixture::report());
        for external in ["src=", "href=\"http", "@import", "url(", "<link", "<script"] {
            assert!(!html.contains(external), "{external}");
        }
        assert!(html.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; ]]&gt;"));
        assert!(html.contains("x9&lt;&amp;&gt;\"'"));
        assert!(!html.contains('\x1b') && !html.contains('\0'));
        // Every in-page link has its target.
        for part in html.split("href=\"#").skip(1) {
            let id = part.split('"').next().unwrap();
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
    }

    #[test]
    fn cells_take_the_worst_status() {
        let html = render(&fixture::report());
        let row = |call: &str| {
            html.lines()
                .find(|l| l.starts_with("<tr>") && l.contains(&format!("<th>{call}</th>")))
                .unwrap()
                .to_string()
        };
        // version: two passes on model, not planned elsewhere.
        assert_eq!(
            row("version"),
            "<tr><th class=\"abi\" rowspan=\"4\">psci</th><th>version</th><td class=\"v-pass\">2 pass</td><td class=\"v-none\"></td><td class=\"v-none\"></td></tr>"
        );
        assert!(row("cpu_on").contains("<td class=\"v-fail\"><a href=\"#c1-0\">1 fail</a>"));
        assert!(row("cpu_off").contains("class=\"v-known\""));
        assert!(row("migrate_info_type").contains("class=\"v-skip\""));
        assert!(row("memory_op").contains("class=\"v-fail\"><a href=\"#c5-1\">1 pass, 1 fail</a>"));
        assert!(row("grant_table_op").contains("class=\"v-error\""));
    }

    /// A call one target never planned is a hatched cell with the reason, unlike a case skip; a
    /// call no target planned leaves the matrix for the "Never planned" list.
    #[test]
    fn never_planned_calls_are_not_case_skips() {
        let mut r = fixture::report();
        let mut excluded = r.targets[1].cases[0].clone();
        excluded.id = 10;
        excluded.abi = "psci".into();
        excluded.call = "version".into();
        excluded.verdict = crate::report::Verdict::Skip;
        excluded.reason = Some("excluded by the baseline: hangs OpenSBI 1.1".into());
        r.targets[1].cases.push(excluded.clone());
        let mut nowhere = excluded;
        nowhere.id = 11;
        nowhere.call = "system_off".into();
        nowhere.label = "excluded".into();
        nowhere.reason =
            Some("would stop, hang or corrupt the guest (spec: disruptive); never planned".into());
        r.targets[1].cases.push(nowhere);
        let html = render(&r);
        let row = html
            .lines()
            .find(|l| l.starts_with("<tr>") && l.contains("<th>version</th>"))
            .unwrap();
        assert!(
            row.contains("<td class=\"v-unplanned\" title=\"excluded by the baseline: hangs OpenSBI 1.1\">not planned: excluded by the baseline</td>"),
            "{row}"
        );
        assert!(!html.contains("<th>system_off</th>"));
        assert!(
            html.contains(
                "<tr><td>psci</td><td>would stop, hang or corrupt the guest (spec: disruptive); \
                 never planned</td><td>xen-arm64-debug</td><td>system_off</td></tr>"
            ),
            "{html}"
        );
        let skip = html
            .lines()
            .find(|l| l.starts_with("<tr>") && l.contains("<th>migrate_info_type</th>"))
            .unwrap();
        assert!(skip.contains("<td class=\"v-skip\"><a href="), "{skip}");
    }
}
