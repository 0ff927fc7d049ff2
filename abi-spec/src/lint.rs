//! Consistency rules over the specs themselves: properties every ABI value must have, whatever
//! its source. The DSL rejects most of these at compile time for what it can see; the lint holds
//! the *values* to them, including ABIs built or edited by other means (a spec export, a test),
//! and the facts the macro cannot know (SMCCC field layout, PSCI twins).
//!
//! Rules are data: each has an id, a one-line summary and a check, and each is proved to fire
//! by a deliberately broken spec in `specs/tests/lint.rs`.

use std::collections::BTreeMap;
use std::format;
use std::string::String;
use std::vec::Vec;

use crate::{Abi, Call, SmcccId, Unknown};

/// Receives each problem a rule finds: the call (if it is about one) and what is wrong.
type Report<'a> = &'a mut dyn FnMut(Option<&Call>, String);

/// One consistency rule.
pub struct Rule {
    /// The stable id.
    pub id: &'static str,
    /// What it checks.
    pub summary: &'static str,
    check: fn(&Abi, Report),
}

/// A rule broken by a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule id.
    pub rule: &'static str,
    /// The ABI id.
    pub abi: &'static str,
    /// The call, if the finding is about one.
    pub call: Option<&'static str>,
    /// The finding in words.
    pub message: String,
}

impl core::fmt::Display for Finding {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.call {
            Some(c) => write!(f, "{} {}::{}: {}", self.rule, self.abi, c, self.message),
            None => write!(f, "{} {}: {}", self.rule, self.abi, self.message),
        }
    }
}

/// Every rule, in the order they run.
pub const RULES: &[Rule] = &[
    Rule {
        id: "sources-cited",
        summary: "every ABI cites at least one source",
        check: |abi, report| {
            if abi.sources.iter().all(|s| s.trim().is_empty()) {
                report(None, "cites no source".into());
            }
        },
    },
    Rule {
        id: "unique-names",
        summary: "call names are unique within an ABI",
        check: |abi, report| {
            let mut seen = BTreeMap::new();
            for c in abi.calls {
                if seen.insert(c.name, ()).is_some() {
                    report(Some(c), "call name used twice".into());
                }
            }
        },
    },
    Rule {
        id: "unique-numbers",
        summary: "call numbers are unique within an ABI",
        check: |abi, report| {
            let mut seen: BTreeMap<&[u64], &str> = BTreeMap::new();
            for c in abi.calls {
                if let Some(first) = seen.insert(c.number, c.name) {
                    report(
                        Some(c),
                        format!("number {:#x?} is also `{first}`'s", c.number),
                    );
                }
            }
        },
    },
    Rule {
        id: "number-arity",
        summary: "each call gives one number per number register, each fitting its register",
        check: |abi, report| {
            for c in abi.calls {
                if c.number.len() != abi.numbers.len() {
                    report(
                        Some(c),
                        format!(
                            "{} number(s) for {} number register(s)",
                            c.number.len(),
                            abi.numbers.len()
                        ),
                    );
                }
                for (n, r) in c.number.iter().zip(abi.numbers) {
                    let bits = r.reg.bits();
                    if bits < 64 && *n >> bits != 0 {
                        report(
                            Some(c),
                            format!("number {n:#x} does not fit {}-bit {}", bits, r.reg),
                        );
                    }
                }
            }
        },
    },
    Rule {
        id: "args-fit",
        summary: "every argument and result sits in one of the ABI's argument/result registers, once",
        check: |abi, report| {
            for c in abi.calls {
                if c.args.len() > abi.args.len() {
                    report(
                        Some(c),
                        format!(
                            "{} arguments, the ABI has {} argument registers",
                            c.args.len(),
                            abi.args.len()
                        ),
                    );
                }
                for a in c.args {
                    if !abi.args.contains(&a.reg) {
                        report(
                            Some(c),
                            format!("argument `{}` in {}, not an argument register", a.name, a.reg),
                        );
                    }
                }
                for r in c.results {
                    if !abi.results.contains(&r.reg) {
                        report(
                            Some(c),
                            format!("result `{}` in {}, not a result register", r.name, r.reg),
                        );
                    }
                }
                let mut regs: Vec<_> = c.args.iter().map(|a| a.reg).collect();
                regs.sort_by_key(|r| r.index);
                if regs.windows(2).any(|w| w[0] == w[1]) {
                    report(Some(c), "two arguments share a register".into());
                }
            }
        },
    },
    Rule {
        id: "errors-declared",
        summary: "every error code a call lists, and the unknown-number error, is declared by the ABI with the same value",
        check: |abi, report| {
            for c in abi.calls {
                for e in c.errors {
                    if !abi.errors.contains(e) {
                        report(
                            Some(c),
                            format!("error {} = {} is not declared by the ABI", e.name, e.value),
                        );
                    }
                }
            }
            if let Some(Unknown::Error(e)) = abi.unknown {
                if !abi.errors.contains(&e) {
                    report(
                        None,
                        format!("unknown-number error {} = {} is not declared", e.name, e.value),
                    );
                }
            }
        },
    },
    Rule {
        id: "smccc-fields",
        summary: "an SMCCC function ID agrees with its declared fast, SMC64 and owner fields, and bits 23:16 are zero",
        check: |abi, report| {
            for c in abi.calls {
                let Some(declared) = c.smccc else { continue };
                let id = c.primary_number();
                let actual = SmcccId::decode(id);
                if actual != declared {
                    report(
                        Some(c),
                        format!("function ID {id:#010x} encodes {actual:?}, the spec declares {declared:?}"),
                    );
                }
                if id >> 32 != 0 || id & 0x00ff_0000 != 0 {
                    report(
                        Some(c),
                        format!("function ID {id:#x} sets bits outside 31:24 and 15:0"),
                    );
                }
            }
        },
    },
    Rule {
        id: "psci-twins",
        summary: "every PSCI SMC64 function has its SMC32 twin in the same ABI (PSCI 1.3, section 5.1)",
        check: |abi, report| {
            let psci = |c: &Call| {
                matches!(c.smccc, Some(SmcccId { owner: 4, .. }))
                    && SmcccId::function(c.primary_number()) < 0x20
            };
            for c in abi.calls.iter().filter(|c| psci(c)) {
                let Some(SmcccId { smc64: true, .. }) = c.smccc else { continue };
                let function = SmcccId::function(c.primary_number());
                let twin = abi.calls.iter().any(|t| {
                    psci(t)
                        && matches!(t.smccc, Some(SmcccId { smc64: false, .. }))
                        && SmcccId::function(t.primary_number()) == function
                });
                if !twin {
                    report(
                        Some(c),
                        format!("PSCI function {function:#x} has an SMC64 form but no SMC32 twin"),
                    );
                }
            }
        },
    },
];

/// Runs every rule over one ABI.
pub fn lint(abi: &Abi) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        (rule.check)(abi, &mut |call, message| {
            out.push(Finding {
                rule: rule.id,
                abi: abi.id,
                call: call.map(|c| c.name),
                message,
            })
        });
    }
    out
}

/// Runs every rule over a registry, plus the registry's own rule: ids are unique.
pub fn lint_all(abis: &[&Abi]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut ids = BTreeMap::new();
    for abi in abis {
        if ids.insert(abi.id, ()).is_some() {
            out.push(Finding {
                rule: "unique-ids",
                abi: abi.id,
                call: None,
                message: "ABI id used twice in the registry".into(),
            });
        }
        out.extend(lint(abi));
    }
    out
}
