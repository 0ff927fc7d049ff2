//! Offline checking of recorded register dumps (`hyperabi check --dump FILE`): observations
//! taken anywhere — a board, a debugger, another tool — checked against the spec.
//!
//! The format (JSON):
//!
//! ```json
//! {
//!   "format_version": 1,
//!   "dumps": [
//!     {
//!       "abi": "xen-arm64",
//!       "call": "xen_version",          // a call name, or its number: 17 / "0x11" / [16, 3]
//!       "args": { "cmd": "0x0" },       // optional, for the report
//!       "before": { "x0": "0x0", "x16": "0x11", "x1": "0xa5a5a5a5" },
//!       "after":  { "x0": "0x40011", "x16": "0xdeadbeef" },
//!       "exception": "0x0"              // optional: the trap raised this exception
//!     }
//!   ]
//! }
//! ```
//!
//! Registers use the spec's names (aliases like `fp` are accepted where the arch has them). A
//! register missing from `after` did not change; a register missing from `before` is not compared
//! (its role cannot be judged without the value it had).
//!
//! A register is given at most once per side (an alias counts as its register), a call number
//! has one value per number register and agrees with the number register in `before`, and
//! `dumps` is not empty: anything else is bad input, not a guess.

use std::collections::BTreeMap;
use std::path::Path;

use abi_spec::check::{check_case, Expect};
use abi_spec::{Observation, Reg, RegisterFile};
use serde::Deserialize;

use crate::files::{Kind, ReadError};
use crate::report::{
    hex, CaseKind, CaseResult, ExecPath, Identity, NamedValue, Observed, Report, RunOutcome,
    TargetRun, Timings, Verdict,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DumpFile {
    #[allow(dead_code)]
    format_version: u32,
    dumps: Vec<Dump>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Dump {
    abi: String,
    call: serde_json::Value,
    #[serde(default)]
    args: BTreeMap<String, String>,
    before: Entries,
    #[serde(default)]
    after: Entries,
    #[serde(default)]
    exception: Option<String>,
}

/// A JSON object's entries in file order, duplicates kept: a register given twice must be an
/// error, not the last value silently winning (a map would keep only the last).
#[derive(Default)]
struct Entries(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of register names to hex strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some(e) = m.next_entry::<String, String>()? {
                    out.push(e);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Checks every dump of `path`; the report has one target, `dump:<file name>`.
pub fn check_file(path: &Path) -> Result<Report, ReadError> {
    check_str(path, &crate::files::read_text(path, &Kind::DUMP)?)
}

/// Checks the dumps of the text of a dump file (`path` names it in errors).
pub fn check_str(path: &Path, text: &str) -> Result<Report, ReadError> {
    let file: DumpFile = crate::files::parse_json(path, text, &Kind::DUMP)?;
    check_dumps(path, file)
}

fn check_dumps(path: &Path, file: DumpFile) -> Result<Report, ReadError> {
    // A problem of dump `i`, or of its field `field` (`before.x0`).
    let in_field = |i: usize, field: &str, problem: String| {
        let dot = if field.is_empty() { "" } else { "." };
        ReadError::in_field(path, format!("dumps[{i}]{dot}{field}"), problem)
    };
    let at = |i: usize, problem: String| in_field(i, "", problem);
    if file.dumps.is_empty() {
        // Passing an empty file would be a pass about nothing.
        return Err(ReadError::in_field(
            path,
            "dumps",
            "the list is empty: no register dump to check",
        ));
    }
    let mut cases = Vec::new();
    for (i, d) in file.dumps.iter().enumerate() {
        let abi = specs::find(&d.abi)
            .ok_or_else(|| in_field(i, "abi", format!("unknown ABI `{}`", d.abi)))?;
        let number: Option<Vec<u64>> = match &d.call {
            serde_json::Value::String(s) if hex::parse(s).is_err() => None,
            serde_json::Value::String(s) => {
                Some(vec![hex::parse(s).map_err(|e| in_field(i, "call", e))?])
            }
            serde_json::Value::Number(n) => Some(vec![n
                .as_u64()
                .ok_or_else(|| in_field(i, "call", format!("call number {n} is not a u64")))?]),
            serde_json::Value::Array(a) => Some(
                a.iter()
                    .map(|v| match v {
                        serde_json::Value::Number(n) => n.as_u64().ok_or_else(|| {
                            in_field(i, "call", format!("call number {n} is not a u64"))
                        }),
                        serde_json::Value::String(s) => {
                            hex::parse(s).map_err(|e| in_field(i, "call", e))
                        }
                        _ => Err(in_field(
                            i,
                            "call",
                            "call numbers must be numbers or hex strings".into(),
                        )),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => {
                return Err(at(
                    i,
                    format!("`call` must be a name or a number, not {other}"),
                ))
            }
        };
        if let Some(n) = &number {
            if n.len() != abi.numbers.len() {
                let regs: Vec<String> = abi
                    .numbers
                    .iter()
                    .map(|r| format!("{} ({})", r.name, r.reg.name()))
                    .collect();
                return Err(at(
                    i,
                    format!(
                        "`call` gives {} number(s) but ABI `{}` has {} number register(s): {}",
                        n.len(),
                        abi.id,
                        abi.numbers.len(),
                        regs.join(", ")
                    ),
                ));
            }
        }
        let call = match (&number, &d.call) {
            (None, serde_json::Value::String(name)) => Some(
                abi.call(name)
                    .ok_or_else(|| at(i, format!("ABI `{}` has no call `{name}`", abi.id)))?,
            ),
            (Some(n), _) => abi.call_by_number(n),
            _ => None,
        };
        let mut before = RegisterFile::new(abi.arch);
        let mut after = RegisterFile::new(abi.arch);
        let reg = |name: &str| {
            abi.arch
                .reg(name)
                .ok_or_else(|| at(i, format!("`{name}` is not a {} register", abi.arch)))
        };
        // Each register once per side, whatever name (`fp`, `x29`) it is given by.
        for (side, entries) in [("before", &d.before), ("after", &d.after)] {
            let mut seen: Vec<(Reg, &str)> = Vec::new();
            for (name, _) in &entries.0 {
                let r = reg(name)?;
                if let Some((_, first)) = seen.iter().find(|(s, _)| *s == r) {
                    let what = if first.eq_ignore_ascii_case(name) {
                        format!("`{name}` is given twice")
                    } else {
                        format!(
                            "`{first}` and `{name}` are the same register ({})",
                            r.name()
                        )
                    };
                    return Err(in_field(
                        i,
                        side,
                        format!("{what}; give each register once"),
                    ));
                }
                seen.push((r, name));
            }
        }
        let mut known = vec![false; abi.arch.registers().len()];
        for (name, v) in &d.before.0 {
            let r = reg(name)?;
            let v = hex::parse(v).map_err(|e| in_field(i, &format!("before.{name}"), e))?;
            before.set(r, v);
            after.set(r, v);
            known[r.index as usize] = true;
        }
        for (name, v) in &d.after.0 {
            let r = reg(name)?;
            let v = hex::parse(v).map_err(|e| in_field(i, &format!("after.{name}"), e))?;
            after.set(r, v);
            if !known[r.index as usize] {
                before.set(r, v);
            }
        }
        // The call named (or numbered) must be the call the number registers held.
        let expected_numbers = number.clone().or_else(|| call.map(|c| c.number.to_vec()));
        if let Some(n) = expected_numbers {
            // Read at the call's width: a 32-bit convention ignores the upper bits.
            let width = call.map_or(abi.arch.gpr_bits(), |c| abi.width_for(c));
            let m = abi_spec::abi::mask(width);
            for (nr, want) in abi.numbers.iter().zip(&n) {
                if known[nr.reg.index as usize] {
                    let had = before.get(nr.reg);
                    if had & m != want & nr.reg.mask() & m {
                        return Err(at(
                            i,
                            format!(
                                "`call` is number {want:#x} but before.{} (the {} register) is \
                                 {had:#x}",
                                nr.reg.name(),
                                nr.name
                            ),
                        ));
                    }
                }
            }
        }
        let exception = d
            .exception
            .as_deref()
            .map(|e| hex::parse(e).map_err(|m| in_field(i, "exception", m)))
            .transpose()?;
        let obs = Observation {
            before,
            after,
            exception,
        };
        let expect = match call {
            Some(c) => Expect::Contract(c),
            None => Expect::Unknown,
        };
        let mut violations = Vec::new();
        check_case(abi, expect, &obs, None, |v| violations.push(v));
        let call_name = call.map_or("<unknown>", |c| c.name);
        let args: Vec<NamedValue> = d
            .args
            .iter()
            .map(|(k, v)| {
                Ok(NamedValue {
                    name: k.clone(),
                    value: hex::parse(v).map_err(|e| in_field(i, &format!("args.{k}"), e))?,
                })
            })
            .collect::<Result<_, ReadError>>()?;
        cases.push(CaseResult {
            id: i as u32,
            abi: abi.id.into(),
            call: call_name.into(),
            number: number.unwrap_or_else(|| call.map(|c| c.number.to_vec()).unwrap_or_default()),
            kind: CaseKind::Fixed,
            label: format!("dump {i}"),
            path: ExecPath::Probe,
            args,
            verdict: if violations.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Fail
            },
            violations: violations
                .iter()
                .map(|v| {
                    let args: Vec<String> =
                        d.args.iter().map(|(k, x)| format!("{k}={x}")).collect();
                    crate::engine::describe(abi, call, &args.join(", "), v)
                })
                .collect(),
            observed: Some(Observed {
                results: call
                    .map(|c| {
                        c.results
                            .iter()
                            .map(|r| NamedValue {
                                name: r.name.into(),
                                value: obs.after.get(r.reg),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                exception: exception.map(|e| format!("exception {e:#x}")),
            }),
            reason: None,
            known: None,
            shrunk_from: None,
            duration_ns: 0,
        });
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(Report {
        format_version: abi_spec::FORMAT_VERSION,
        tool: format!("hyperabi {}", env!("CARGO_PKG_VERSION")),
        seed: 0,
        cases_per_call: 0,
        shard: None,
        targets: vec![TargetRun {
            target: format!("dump:{name}"),
            identity: Identity {
                hypervisor: "recorded".into(),
                ..Identity::default()
            },
            outcome: RunOutcome::Completed,
            timings: Timings::default(),
            cases,
            passed: None,
            known_failures: None,
            clobbers: Vec::new(),
            paths: Vec::new(),
            coverage: Vec::new(),
            console_log: None,
        }],
    })
}
