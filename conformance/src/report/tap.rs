//! TAP version 13 for kernel CI, nested the way KUnit writes it (which both TAP 14 readers and
//! the kernel's KTAP parser follow): one subtest per target, introduced by `# Subtest: <target>`
//! and indented four spaces, ending in the target's own `ok`/`not ok` line at the top level.
//!
//! - a case is `ok` / `not ok` (a summarised report's passes are one `ok` line per call, with
//!   the count and the case ids); failures carry a YAML diagnostic block (`---` ... `...`) with the
//!   violations, arguments and observed values;
//! - a skipped case is `ok ... # SKIP reason`;
//! - a known failure is `not ok ... # TODO known failure: reason` (TAP: expected to fail, does not
//!   fail the run; KTAP readers that ignore TODO still see the target line as `ok`); a
//!   summarised report's known failures beyond the examples are one such line per group;
//! - a case error is `not ok ... # ERROR reason` (a KTAP directive; plain TAP reads a failure);
//! - a target that did not complete gets a final `not ok N - (target) # ERROR ...` with the
//!   reason and the tail of its console log, rather than `Bail out!`, which would hide the
//!   results of the other targets.
//!
//! Descriptions never contain `#` (it starts a directive): case names are
//! `<abi>::<call> case <id> [<kind>, <path>]`.

use std::fmt::Write;

use super::text::{one_line, visible};
use super::{tail_lines, CaseResult, NamedValue, Report, Status, TargetRun};

const CONSOLE_TAIL: usize = 50;

/// The TAP 13 document of `report`.
pub fn render(report: &Report) -> String {
    let mut out = String::from("TAP version 13\n");
    writeln!(
        out,
        "# {}: seed {:#x}, {} cases per call{}",
        one_line(&report.tool),
        report.seed,
        report.cases_per_call,
        report
            .shard
            .map(|s| format!(", shard {}/{}", s.index, s.count))
            .unwrap_or_default()
    )
    .unwrap();
    writeln!(out, "1..{}", report.targets.len()).unwrap();
    for (i, t) in report.targets.iter().enumerate() {
        target(&mut out, report, i + 1, t);
    }
    writeln!(out, "# totals: {}", report.tally().describe()).unwrap();
    out
}

fn description(s: &str) -> String {
    one_line(s).replace('#', "\\#")
}

fn target(out: &mut String, report: &Report, n: usize, t: &TargetRun) {
    let ind = "    ";
    writeln!(out, "{ind}# Subtest: {}", description(&t.target)).unwrap();
    writeln!(out, "{ind}# identity: {}", one_line(&t.identity.one_line())).unwrap();
    for (k, v) in &t.identity.details {
        writeln!(out, "{ind}# {}: {}", one_line(k), one_line(v)).unwrap();
    }
    let broken = t.outcome.reason();
    let passed = t.passed.as_deref().unwrap_or_default();
    let known = t.known_failures.as_deref().unwrap_or_default();
    let tests = t.cases.len() + passed.len() + known.len();
    writeln!(out, "{ind}1..{}", tests + usize::from(broken.is_some())).unwrap();
    for (i, c) in t.cases.iter().enumerate() {
        case(out, report, i + 1, c);
    }
    // Summarised passes: a line per call.
    for (i, p) in passed.iter().enumerate() {
        writeln!(
            out,
            "{ind}ok {} - {} ({} more case{} pass: {})",
            t.cases.len() + i + 1,
            description(&format!("{}::{}", p.abi, p.call)),
            p.cases,
            if p.cases == 1 { "" } else { "s" },
            one_line(&p.ids)
        )
        .unwrap();
    }
    // Summarised known failures: a line per group.
    for (i, k) in known.iter().enumerate() {
        writeln!(
            out,
            "{ind}not ok {} - {} ({} more case{} {}: {}) # TODO known failure: {}",
            t.cases.len() + passed.len() + i + 1,
            description(&format!("{}::{}", k.abi, k.call)),
            k.cases,
            if k.cases == 1 { "" } else { "s" },
            one_line(&k.kinds),
            one_line(&k.ids),
            one_line(&k.reason)
        )
        .unwrap();
    }
    if let Some(reason) = broken {
        writeln!(
            out,
            "{ind}not ok {} - (target) # ERROR target {}: {}",
            tests + 1,
            t.outcome.as_str(),
            one_line(reason)
        )
        .unwrap();
        let mut y = Yaml::new(6);
        y.str("outcome", t.outcome.as_str());
        y.str("reason", reason);
        match &t.console_log {
            Some(log) => {
                let (skipped, tail) = tail_lines(log, CONSOLE_TAIL);
                y.int("console_lines_omitted", skipped as u64);
                y.block("console_tail", &tail);
            }
            None => y.str("console", "none"),
        }
        out.push_str(&y.finish());
    }
    let tally = t.tally();
    writeln!(out, "{ind}# {}: {}", one_line(&t.target), tally.describe()).unwrap();
    let ok = broken.is_none() && tally.fail == 0 && tally.error == 0;
    let directive = if ok && tally.total() > 0 && tally.skip == tally.total() {
        " # SKIP every case skipped".to_string()
    } else if let Some(reason) = broken {
        format!(" # {}: {}", t.outcome.as_str(), one_line(reason))
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} {n} - {}{directive}",
        if ok { "ok" } else { "not ok" },
        description(&t.target)
    )
    .unwrap();
}

fn case(out: &mut String, report: &Report, n: usize, c: &CaseResult) {
    let name = description(&format!(
        "{}::{} case {} [{}, {}]",
        c.abi,
        c.call,
        c.id,
        c.kind.as_str(),
        c.path.as_str()
    ));
    let reason = c.reason.as_deref().map(one_line).unwrap_or_default();
    let (result, directive) = match c.status() {
        Status::Pass => ("ok", String::new()),
        Status::Fail => ("not ok", String::new()),
        Status::Known => (
            "not ok",
            format!(
                " # TODO known failure: {}",
                one_line(c.known.as_deref().unwrap_or_default())
            ),
        ),
        Status::Error => ("not ok", format!(" # ERROR {reason}")),
        Status::Skip => ("ok", format!(" # SKIP {reason}")),
    };
    writeln!(out, "    {result} {n} - {name}{directive}").unwrap();
    if matches!(c.status(), Status::Fail | Status::Known) {
        out.push_str(&diagnostics(report, c));
    }
}

fn diagnostics(report: &Report, c: &CaseResult) -> String {
    let mut y = Yaml::new(6);
    if let Some(first) = c.violations.first() {
        y.str("message", &first.message);
    }
    y.str("severity", if c.known.is_some() { "todo" } else { "fail" });
    if let Some(known) = &c.known {
        y.str("known", known);
    }
    let number: Vec<_> = c.number.iter().map(|n| format!("{n:#x}")).collect();
    y.str("number", &number.join(" "));
    if !c.label.is_empty() {
        y.str("case", &c.label);
    }
    if !c.violations.is_empty() {
        y.key("violations");
        for v in &c.violations {
            y.item();
            y.str("kind", &v.kind);
            y.str("register", &v.register);
            y.str("role", &v.role);
            if let Some(b) = v.before {
                y.str("before", &format!("{b:#x}"));
            }
            y.str("expected", &v.expected);
            if let Some(o) = v.observed {
                y.str("observed", &format!("{o:#x}"));
            }
            y.str("message", &v.message);
            y.end_item();
        }
    }
    y.values("args", &c.args);
    if let Some(orig) = &c.shrunk_from {
        y.values("shrunk_from", orig);
    }
    if let Some(o) = &c.observed {
        y.key("observed");
        y.indent += 2;
        if !o.results.is_empty() {
            y.values("results", &o.results);
        }
        if let Some(e) = &o.exception {
            y.str("exception", e);
        }
        y.indent -= 2;
    }
    y.str(
        "reproduce",
        &format!(
            "seed {:#x}, {} cases per call, case {}",
            report.seed, report.cases_per_call, c.id
        ),
    );
    y.finish()
}

/// A small YAML writer for diagnostic blocks: every scalar double-quoted (so no value can be
/// read as another type or end the block early).
struct Yaml {
    out: String,
    base: usize,
    indent: usize,
    /// The next key starts a sequence item (`- `).
    pending_item: bool,
}

impl Yaml {
    fn new(base: usize) -> Yaml {
        Yaml {
            out: format!("{}---\n", " ".repeat(base)),
            base,
            indent: base,
            pending_item: false,
        }
    }

    fn prefix(&mut self) -> String {
        if self.pending_item {
            self.pending_item = false;
            format!("{}- ", " ".repeat(self.indent - 2))
        } else {
            " ".repeat(self.indent)
        }
    }

    fn key(&mut self, k: &str) {
        let p = self.prefix();
        writeln!(self.out, "{p}{k}:").unwrap();
    }

    fn str(&mut self, k: &str, v: &str) {
        let p = self.prefix();
        writeln!(self.out, "{p}{k}: {}", quote(v)).unwrap();
    }

    fn int(&mut self, k: &str, v: u64) {
        let p = self.prefix();
        writeln!(self.out, "{p}{k}: {v}").unwrap();
    }

    /// A literal block scalar (`|`), lines kept, control characters shown as pictures.
    fn block(&mut self, k: &str, v: &str) {
        let p = self.prefix();
        writeln!(self.out, "{p}{k}: |-").unwrap();
        let ind = " ".repeat(self.indent + 2);
        for line in visible(v).lines() {
            writeln!(self.out, "{ind}{line}").unwrap();
        }
    }

    /// A mapping of names to hex values.
    fn values(&mut self, k: &str, values: &[NamedValue]) {
        if values.is_empty() {
            let p = self.prefix();
            writeln!(self.out, "{p}{k}: {{}}").unwrap();
            return;
        }
        self.key(k);
        let ind = " ".repeat(self.indent + 2);
        for v in values {
            writeln!(
                self.out,
                "{ind}{}: {}",
                quote(&v.name),
                quote(&format!("{:#x}", v.value))
            )
            .unwrap();
        }
    }

    fn item(&mut self) {
        self.indent += 4;
        self.pending_item = true;
    }

    fn end_item(&mut self) {
        self.indent -= 4;
    }

    fn finish(mut self) -> String {
        writeln!(self.out, "{}...", " ".repeat(self.base)).unwrap();
        self.out
    }
}

/// A YAML double-quoted scalar.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\x7f' => write!(out, "\\x{:02x}", c as u32).unwrap(),
            '\u{80}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {
                write!(out, "\\u{:04x}", c as u32).unwrap()
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
    fn quoting() {
        assert_eq!(quote("a\"b\\c\n\x1b\x00é"), "\"a\\\"b\\\\c\\n\\x1b\\x00é\"");
    }

    /// A line-level check as a TAP consumer sees it: the plan matches the test lines at each
    /// level, and no description carries an unescaped `#`.
    #[test]
    fn plans_match_and_directives_are_where_expected() {
        let tap = render(&fixture::report());
        let mut top = 0;
        let mut nested = Vec::new();
        let mut current = 0;
        let mut in_yaml = false;
        for line in tap.lines() {
            let t = line.trim_start();
            if t == "---" {
                in_yaml = true;
                continue;
            }
            if t == "..." {
                in_yaml = false;
                continue;
            }
            if in_yaml {
                continue;
            }
            let indented = line.starts_with("    ");
            if t.starts_with("ok ") || t.starts_with("not ok ") {
                let rest = t.trim_start_matches("not ").trim_start_matches("ok ");
                let num: usize = rest.split(' ').next().unwrap().parse().unwrap();
                let desc = rest.split(" - ").nth(1).unwrap();
                let before_directive = desc.split(" # ").next().unwrap();
                assert!(!before_directive.replace("\\#", "").contains('#'), "{line}");
                if indented {
                    current += 1;
                    assert_eq!(num, current, "{line}");
                } else {
                    top += 1;
                    assert_eq!(num, top, "{line}");
                    nested.push(current);
                    current = 0;
                }
            }
        }
        assert_eq!(top, 3);
        assert_eq!(nested, [5, 6, 1]);
        assert!(tap.contains("    1..5\n    ok 1 - "));
        assert!(tap.contains("\n    1..6\n"));
        assert!(tap.contains("\nnot ok 1 - model\n"));
        assert!(tap.contains(" # TODO known failure: firmware bug #123"));
        assert!(tap.contains(" # SKIP not implemented by this PSCI version\n"));
        assert!(tap.contains(" # ERROR no answer: QEMU exited with status 1\n"));
        assert!(tap.contains("not ok 3 - kvm-x86_64 # unavailable: /dev/kvm is missing"));
        // ESC in a YAML string is escaped, in the console block shown as a picture.
        assert!(tap.contains("\\x1b[31mred"));
        assert!(tap.contains("\u{241b}[1;31mFATAL"));
        assert!(!tap.contains('\x1b') && !tap.contains('\0'));
    }

    #[test]
    fn only_known_failures_leave_the_target_ok() {
        let mut r = fixture::report();
        r.targets = vec![fixture::model_target()];
        r.targets[0].cases.retain(|c| c.status() != Status::Fail);
        let tap = render(&r);
        assert!(tap.contains("\nok 1 - model\n"), "{tap}");
    }
}
