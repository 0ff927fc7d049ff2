//! One self-contained HTML page (inline CSS, no script, no external resource): a header with the
//! run and each target's identity, the conformance matrix (rows: ABI and call; columns: targets;
//! each cell coloured by the call's worst status on that target, with counts) whose cells link
//! to the details of their failing, erroring and skipped cases, and the targets' error reasons
//! and console logs (collapsed).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::text::{xml_attr as attr, xml_text as esc};
use super::{CaseResult, Report, RunOutcome, Status, Tally, TargetRun};

const STYLE: &str = "
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.5em 0 .5em}h3{font-size:1em;margin:0 0 .4em}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
.meta{color:#444}.targets{display:flex;flex-wrap:wrap;gap:1em}
.target{border:1px solid #ccc;border-radius:4px;padding:.6em .8em;min-width:18em}
.target table td:first-child{color:#555}
.badge{display:inline-block;padding:0 .4em;border-radius:3px;font-size:.85em;font-weight:normal}
.v-pass{background:#c8ecc9}.v-fail{background:#f4b4b4}.v-known{background:#f8dc9a}
.v-error{background:#d8c4ec}.v-skip{background:#f2f2f2;color:#555}.v-none{background:#fff}
.badge.v-none{border:1px solid #bbb}
.matrix td{text-align:center;min-width:7em}.matrix td a{color:inherit;display:block}
.matrix th.abi{color:#555;font-weight:normal}
.legend span{margin-right:.6em;padding:0 .4em}
.detail{margin:1em 0;padding:.4em .6em;border-left:4px solid #ccc}
.detail:target{border-left-color:#1f6feb;background:#f3f8ff}
pre{background:#f6f6f6;padding:.5em;overflow:auto;max-height:40em;white-space:pre-wrap}
.reason{font-weight:bold}.msg{white-space:pre-wrap}
";

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
        "<h1>hyperabi conformance: <span class=\"badge v-{0}\">{0}</span></h1>",
        verdict.as_str()
    )
    .unwrap();
    writeln!(
        out,
        "<p class=\"meta\">{}; seed <code>{:#x}</code>; {} cases per call{}; {} cases in {} target{}: {}{}.</p>",
        esc(&report.tool),
        report.seed,
        report.cases_per_call,
        report
            .shard
            .map(|s| format!("; shard {}/{}", s.index, s.count))
            .unwrap_or_default(),
        tally.total(),
        report.targets.len(),
        if report.targets.len() == 1 { "" } else { "s" },
        tally.describe(),
        if broken > 0 {
            format!("; {broken} target(s) did not complete")
        } else {
            String::new()
        }
    )
    .unwrap();

    out.push_str("<div class=\"targets\">\n");
    for (ti, t) in report.targets.iter().enumerate() {
        target_card(&mut out, ti, t);
    }
    out.push_str("</div>\n");

    matrix(&mut out, report);
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

fn target_card(out: &mut String, ti: usize, t: &TargetRun) {
    let tally = t.tally();
    let class = match &t.outcome {
        RunOutcome::Completed => "none",
        _ => "error",
    };
    writeln!(
        out,
        "<div class=\"target\">\n<h3>{} <span class=\"badge v-{class}\">{}</span></h3>",
        esc(&t.target),
        t.outcome.as_str()
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
        "plan {} ms, run {} ms, check {} ms",
        tm.plan_ms, tm.run_ms, tm.check_ms
    );
    if let Some(f) = tm.first_result_ms {
        write!(timing, ", first result {f} ms").unwrap();
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
    out.push_str("</div>\n");
}

/// Cases of one call on one target.
#[derive(Default)]
struct Cell<'a> {
    tally: Tally,
    cases: Vec<&'a CaseResult>,
}

fn matrix(out: &mut String, report: &Report) {
    // Rows in the order calls first appear; cells per (row, target).
    let mut rows: Vec<(&str, &str)> = Vec::new();
    let mut row_of: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut cells: BTreeMap<(usize, usize), Cell> = BTreeMap::new();
    for (ti, t) in report.targets.iter().enumerate() {
        for c in &t.cases {
            let key = (c.abi.as_str(), c.call.as_str());
            let ri = *row_of.entry(key).or_insert_with(|| {
                rows.push(key);
                rows.len() - 1
            });
            let cell = cells.entry((ri, ti)).or_default();
            cell.tally.add(c.status());
            cell.cases.push(c);
        }
    }

    out.push_str("<h2>Conformance matrix</h2>\n<p class=\"legend\">");
    for s in Status::ALL {
        write!(out, "<span class=\"v-{0}\">{0}</span>", s.as_str()).unwrap();
    }
    out.push_str(
        "<span class=\"v-none\">(blank: not planned)</span> A cell shows the worst status of \
         the call's cases; click it for the cases that did not pass.</p>\n",
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
    for (ri, (abi, call)) in rows.iter().enumerate() {
        write!(
            out,
            "<tr><th class=\"abi\">{}</th><th>{}</th>",
            esc(abi),
            esc(call)
        )
        .unwrap();
        for ti in 0..report.targets.len() {
            match cells.get(&(ri, ti)) {
                None => out.push_str("<td class=\"v-none\"></td>"),
                Some(cell) => {
                    let worst = cell.tally.worst().unwrap_or(Status::Skip);
                    let counts = cell.tally.describe();
                    if cell.tally.pass == cell.tally.total() {
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

    let mut any = false;
    for ((ri, ti), cell) in &cells {
        if cell.tally.pass == cell.tally.total() {
            continue;
        }
        if !any {
            out.push_str("<h2>Details</h2>\n");
            any = true;
        }
        let (abi, call) = rows[*ri];
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
        for c in cell.cases.iter().filter(|c| c.status() != Status::Pass) {
            case_rows(out, report, c);
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
}

/// May-clobber registers seen changed, per target and call.
fn clobbers(out: &mut String, report: &Report) {
    let watched = report
        .targets
        .iter()
        .map(|t| t.clobbers.len())
        .sum::<usize>();
    if watched == 0 {
        return;
    }
    let changed = report
        .targets
        .iter()
        .flat_map(|t| &t.clobbers)
        .filter(|s| s.changed > 0)
        .count();
    writeln!(
        out,
        "<h2>Clobbered registers</h2>\n<p>{watched} may-clobber registers watched; {changed} \
         seen changed (in how many of the call's returning cases):</p>"
    )
    .unwrap();
    if changed == 0 {
        return;
    }
    out.push_str(
        "<table>\n<thead><tr><th>target</th><th>ABI</th><th>call</th><th>register</th>\
         <th>changed</th><th>example</th></tr></thead>\n<tbody>\n",
    );
    for t in &report.targets {
        for s in t.clobbers.iter().filter(|s| s.changed > 0) {
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td>{}/{}</td><td class=\"mono\">{}</td></tr>",
                esc(&t.target),
                esc(&s.abi),
                esc(&s.call),
                esc(&s.register),
                s.changed,
                s.of,
                s.example.map(|e| format!("{e:#x}")).unwrap_or_else(|| "-".into())
            )
            .unwrap();
        }
    }
    out.push_str("</tbody>\n</table>\n");
}

fn case_rows(out: &mut String, report: &Report, c: &CaseResult) {
    let status = c.status();
    let mut case = format!(
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
    );
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
                .find(|l| {
                    l.starts_with("<tr><th class=\"abi\">")
                        && l.contains(&format!("<th>{call}</th>"))
                })
                .unwrap()
                .to_string()
        };
        // version: two passes on model, not planned elsewhere.
        assert_eq!(
            row("version"),
            "<tr><th class=\"abi\">psci</th><th>version</th><td class=\"v-pass\">2 pass</td><td class=\"v-none\"></td><td class=\"v-none\"></td></tr>"
        );
        assert!(row("cpu_on").contains("<td class=\"v-fail\"><a href=\"#c1-0\">1 fail</a>"));
        assert!(row("cpu_off").contains("class=\"v-known\""));
        assert!(row("migrate_info_type").contains("class=\"v-skip\""));
        assert!(row("memory_op").contains("class=\"v-fail\"><a href=\"#c5-1\">1 pass, 1 fail</a>"));
        assert!(row("grant_table_op").contains("class=\"v-error\""));
    }
}
