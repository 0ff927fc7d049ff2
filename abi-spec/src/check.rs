//! The checker: one observation of one call against the ABI's register contract. Pure, `no_std`,
//! and shared by the host engine, the property tests and (if useful) the guest.

use crate::abi::{sign_extend, Abi, Call, Role, UpperOutput};
use crate::arch::{Reg, RegKind};
use crate::regfile::{flags_check_mask, RegisterFile};

/// What a probe saw: every register before and after the trap, and the exception the trap raised
/// instead of returning, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Observation {
    pub before: RegisterFile,
    pub after: RegisterFile,
    /// Arch-specific exception identity (ESR EC on Arm, vector on x86, program-interruption code on
    /// s390, scause on RISC-V) when the trap did not return normally.
    pub exception: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum ViolationKind {
    /// A register the ABI says is preserved changed.
    PreservedChanged,
    /// A zero-or-preserve register holds something else.
    NotZeroOrPreserved,
    /// A result holds a value outside its domain and the call's error codes.
    ResultOutOfDomain,
    /// The status result register still holds its input while a register that must be preserved
    /// changed: the answer went to the wrong register.
    ResultInWrongRegister,
    /// The upper bits of a 32-bit convention's result break the declared rule.
    UpperBits,
    /// The trap raised an exception where a return was due.
    UnexpectedException,
}

impl ViolationKind {
    pub const fn name(self) -> &'static str {
        match self {
            ViolationKind::PreservedChanged => "preserved register changed",
            ViolationKind::NotZeroOrPreserved => "zero-or-preserve register changed to non-zero",
            ViolationKind::ResultOutOfDomain => "result outside the declared values",
            ViolationKind::ResultInWrongRegister => "result in the wrong register",
            ViolationKind::UpperBits => "upper bits of a 32-bit result break the convention",
            ViolationKind::UnexpectedException => "exception where a return was due",
        }
    }
}

/// One broken rule, with the register, its role and the values that show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Violation {
    pub kind: ViolationKind,
    pub reg: Option<Reg>,
    pub role: Option<Role>,
    pub before: u64,
    /// What the contract allows (the old value for a preserved register; for a result, the
    /// register's value is simply not allowed, and `expected` repeats `before`).
    pub expected: u64,
    pub observed: u64,
}

impl core::fmt::Display for Violation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.kind.name())?;
        if let (Some(r), Some(role)) = (self.reg, self.role) {
            write!(f, ": {r} ({})", role.name())?;
        }
        write!(
            f,
            " before {:#x}, expected {:#x}, observed {:#x}",
            self.before, self.expected, self.observed
        )
    }
}

/// Checks `obs` of `call` against `abi`, reporting each violation to `report`.
pub fn check(abi: &Abi, call: &Call, obs: &Observation, mut report: impl FnMut(Violation)) {
    if let Some(code) = obs.exception {
        report(Violation {
            kind: ViolationKind::UnexpectedException,
            reg: None,
            role: None,
            before: 0,
            expected: 0,
            observed: code,
        });
        return;
    }
    let width = abi.width_for(call);
    let narrow = abi.narrow_for(call);
    let status_untouched = call
        .results
        .first()
        .is_some_and(|r| obs.before.get(r.reg) == obs.after.get(r.reg));
    for reg in abi.arch.regs() {
        let role = abi.role_after(call, reg);
        let mask = if reg.kind() == RegKind::Flags {
            flags_check_mask(abi.arch)
        } else {
            reg.mask()
        };
        let before = obs.before.get(reg) & mask;
        let after = obs.after.get(reg) & mask;
        let v = |kind, expected| Violation {
            kind,
            reg: Some(reg),
            role: Some(role),
            before,
            expected,
            observed: after,
        };
        match role {
            Role::Preserved if before != after => {
                report(v(ViolationKind::PreservedChanged, before));
                if status_untouched && reg.kind() == RegKind::General {
                    report(v(ViolationKind::ResultInWrongRegister, before));
                }
            }
            Role::ZeroOrPreserve if after != before && after != 0 => {
                report(v(ViolationKind::NotZeroOrPreserved, before))
            }
            Role::Result => {
                let is_status = call.results.first().map(|r| r.reg) == Some(reg);
                let ret = call
                    .results
                    .iter()
                    .find(|r| r.reg == reg)
                    .expect("result role");
                let low = after & crate::abi::mask(width);
                let in_domain = ret.domain.contains(low, width)
                    || is_status
                        && call
                            .errors
                            .iter()
                            .any(|e| (e.value as u64) & crate::abi::mask(width) == low);
                if !in_domain {
                    report(v(ViolationKind::ResultOutOfDomain, before));
                }
                if let Some(n) = narrow {
                    let upper_ok = match n.output_upper {
                        UpperOutput::Undefined => true,
                        UpperOutput::Zero => after == low,
                        UpperOutput::SignExtended => {
                            after == sign_extend(low, width) as u64 & reg.mask()
                        }
                    };
                    if !upper_ok {
                        report(v(ViolationKind::UpperBits, before));
                    }
                }
            }
            _ => {}
        }
    }
}

/// [`check`] collecting into a vector.
#[cfg(feature = "std")]
pub fn violations(abi: &Abi, call: &Call, obs: &Observation) -> std::vec::Vec<Violation> {
    let mut out = std::vec::Vec::new();
    check(abi, call, obs, |v| out.push(v));
    out
}
