//! The checker: one observation of one call against the ABI's register contract. Pure, `no_std`,
//! and shared by the host engine, the property tests and (if useful) the guest.

use crate::abi::{sign_extend, Abi, Call, Named, Role, UpperOutput};
use crate::arch::{Reg, RegKind};
use crate::regfile::{flags_check_mask, RegisterFile};

/// What a probe saw: every register before and after the trap, and the exception the trap raised
/// instead of returning, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Observation {
    /// Every register before the trap.
    pub before: RegisterFile,
    /// Every register after the trap (or at the exception).
    pub after: RegisterFile,
    /// Arch-specific exception identity (ESR EC on Arm, vector on x86, program-interruption code on
    /// s390, scause on RISC-V) when the trap did not return normally.
    pub exception: Option<u64>,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
    strum::EnumMessage,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
/// Which rule of the contract an observation broke.
pub enum ViolationKind {
    /// A register the ABI says is preserved changed.
    #[strum(message = "preserved register changed")]
    PreservedChanged,
    /// A zero-or-preserve register holds something else.
    #[strum(message = "zero-or-preserve register changed to non-zero")]
    NotZeroOrPreserved,
    /// A result holds a value outside its domain and the call's error codes.
    #[strum(message = "result outside the declared values")]
    ResultOutOfDomain,
    /// The status result register still holds its input while a register that must be preserved
    /// changed: the answer went to the wrong register.
    #[strum(message = "result in the wrong register")]
    ResultInWrongRegister,
    /// The upper bits of a 32-bit convention's result break the declared rule.
    #[strum(message = "upper bits of a 32-bit result break the convention")]
    UpperBits,
    /// The trap raised an exception where a return was due.
    #[strum(message = "exception where a return was due")]
    UnexpectedException,
    /// The trap returned where the spec says it raises an exception (s390's DIAG 500 with an
    /// unknown subcode).
    #[strum(message = "return where an exception was due")]
    MissingException,
    /// An unknown call number was not answered with the ABI's unknown-number error.
    #[strum(message = "unknown number not answered with the unknown-number error")]
    UnknownAccepted,
    /// An argument outside its domain (a must-be-zero argument set) was not rejected with one of
    /// the call's error codes.
    #[strum(message = "invalid argument not rejected with an error code")]
    InvalidAccepted,
    /// The generated caller returned a different status than the probe for the same arguments.
    #[strum(message = "generated caller and probe disagree")]
    CallerMismatch,
    /// An argument the compiler kept live across a generated C or assembly stub came back
    /// changed: the hypervisor changed a register the stub does not declare changed.
    #[strum(message = "a value kept live across the generated stub changed")]
    LiveValueChanged,
    /// A case the spec knows the answer to (an unknown sub-operation, a buffer the hypervisor
    /// cannot reach) got another status than that error code.
    #[strum(message = "another status than the spec's error code")]
    WrongError,
    /// The hypervisor wrote a byte of a parameter struct's window that is not an output field
    /// (an input or reserved field, or past the struct; padding may be written by a whole-struct copy).
    #[strum(message = "parameter struct written outside its output fields")]
    StructWrite,
    /// A sub-operation whose struct held the spec's fixed values (Xen's interface version) was
    /// refused with the family's wrong-fixed-value error: the spec's value is not the
    /// implementation's.
    #[strum(message = "the spec's fixed field value refused")]
    FixedRefused,
    /// A call that succeeded left an output field of its parameter struct untouched.
    #[strum(message = "output field of the parameter struct not written")]
    OutputNotWritten,
    /// A field the hypervisor wrote holds a value outside the field's declared domain.
    #[strum(message = "parameter struct field outside its domain")]
    FieldOutOfDomain,
}

impl ViolationKind {
    /// What the violation means, in words (reports' prose).
    pub fn name(self) -> &'static str {
        strum::EnumMessage::get_message(&self).unwrap_or(self.id())
    }

    /// The snake_case name used in reports and baselines.
    pub fn id(self) -> &'static str {
        self.into()
    }
}

/// One broken rule, with the register, its role and the values that show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Violation {
    /// Which rule.
    pub kind: ViolationKind,
    /// The register, if the rule is about one.
    pub reg: Option<Reg>,
    /// Its role after the call.
    pub role: Option<Role>,
    /// Its value before the trap.
    pub before: u64,
    /// What the contract allows (the old value for a preserved register; for a result, the
    /// register's value is simply not allowed, and `expected` repeats `before`).
    pub expected: u64,
    /// Its value after the trap.
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
    check_regs(abi, call, obs, &mut report)
}

fn check_regs(abi: &Abi, call: &Call, obs: &Observation, report: &mut dyn FnMut(Violation)) {
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
    // An error in the status result: the call's own error codes, or — for a call the spec does
    // not make mandatory — the ABI's "not implemented" answer to an unknown number.
    let status_error = call.results.first().is_some_and(|r| {
        let low = obs.after.get(r.reg) & crate::abi::mask(width);
        !r.domain.contains(low, width) && is_error(abi, call, low, width)
    });
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
                    || is_status && is_error(abi, call, low, width)
                    // The other results mean nothing once the status says the call failed.
                    || !is_status && status_error;
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

/// What a case expects of the target, beyond the register contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect<'a> {
    /// An ordinary call: results in their domains or the call's error codes.
    Contract(&'a Call),
    /// The arguments break their domains on purpose (a must-be-zero argument set): the status
    /// result must be one of the call's error codes.
    Rejected(&'a Call),
    /// A number the ABI does not define: the ABI's unknown-number outcome.
    Unknown,
    /// The spec says which error code answers (an unknown sub-operation of a family, an
    /// unmapped parameter buffer): the status must be exactly it, and the registers keep the
    /// call's contract.
    Answer(&'a Call, Named),
}

/// The registers of an unknown call: no arguments used, no results, so every register takes
/// the role the ABI's rules give it (the status register is judged separately).
pub static UNKNOWN_CALL: Call = Call {
    name: "<unknown>",
    number: &[],
    args: &[],
    results: &[],
    errors: &[],
    presence: crate::abi::Presence::Optional,
    status: crate::abi::Status::Active,
    effect: crate::abi::Effect::Query,
    narrow: None,
    rules: &[],
    since: None,
    smccc: None,
    stable: false,
    disruption: "",
    source: "",
    doc: "",
};

/// Checks one case: the observation against the register contract and the case's expectation,
/// and the generated caller's results (`caller`, when it ran) against the probe's.
///
/// The caller is compared on the status result only, and only when that result has a declared
/// domain: other results may legitimately differ between two traps (random numbers, clocks).
pub fn check_case(
    abi: &Abi,
    expect: Expect<'_>,
    obs: &Observation,
    caller: Option<&[u64]>,
    mut report: impl FnMut(Violation),
) {
    match expect {
        Expect::Contract(call) => check(abi, call, obs, &mut report),
        Expect::Rejected(call) => {
            check(abi, call, obs, |v| {
                if v.kind != ViolationKind::ResultOutOfDomain {
                    report(v)
                }
            });
            if obs.exception.is_none() {
                if let Some(status) = call.results.first() {
                    let width = abi.width_for(call);
                    let observed = obs.after.get(status.reg) & crate::abi::mask(width);
                    let rejected = call
                        .errors
                        .iter()
                        .chain(match abi.unknown {
                            Some(crate::abi::Unknown::Error(ref e)) => core::slice::from_ref(e),
                            _ => &[],
                        })
                        .any(|e| (e.value as u64) & crate::abi::mask(width) == observed);
                    if !rejected {
                        report(Violation {
                            kind: ViolationKind::InvalidAccepted,
                            reg: Some(status.reg),
                            role: Some(Role::Result),
                            before: obs.before.get(status.reg),
                            expected: call.errors.first().map_or(0, |e| e.value as u64),
                            observed,
                        });
                    }
                }
            }
        }
        Expect::Unknown => check_unknown(abi, obs, &mut report),
        Expect::Answer(call, error) => {
            check(abi, call, obs, |v| {
                if v.kind != ViolationKind::ResultOutOfDomain {
                    report(v)
                }
            });
            if let (Some(status), None) = (call.results.first(), obs.exception) {
                let m = crate::abi::mask(abi.width_for(call));
                let observed = obs.after.get(status.reg) & m;
                // An implementation without an optional or discoverable call answers as for
                // an unknown number, whatever the arguments.
                let absent = call.presence != crate::abi::Presence::Mandatory
                    && matches!(abi.unknown, Some(crate::abi::Unknown::Error(e)) if (e.value as u64) & m == observed);
                if observed != (error.value as u64) & m && !absent {
                    report(Violation {
                        kind: ViolationKind::WrongError,
                        reg: Some(status.reg),
                        role: Some(Role::Result),
                        before: obs.before.get(status.reg),
                        expected: (error.value as u64) & m,
                        observed,
                    });
                }
            }
        }
    }
    if let Some(caller) = caller {
        compare_status(abi, expect, obs, caller, &mut report);
    }
}

/// The caller's status against the probe's (see [`check_case`]).
fn compare_status(
    abi: &Abi,
    expect: Expect<'_>,
    obs: &Observation,
    caller: &[u64],
    report: &mut impl FnMut(Violation),
) {
    let Expect::Contract(call) = expect else {
        return;
    };
    if let (Some(status), None) = (call.results.first(), obs.exception) {
        if status.domain != crate::abi::Domain::Any {
            let m = crate::abi::mask(abi.width_for(call));
            let probe = obs.after.get(status.reg) & m;
            let via_caller = caller.first().copied().unwrap_or(0) & m;
            if probe != via_caller {
                report(Violation {
                    kind: ViolationKind::CallerMismatch,
                    reg: Some(status.reg),
                    role: Some(Role::Result),
                    before: obs.before.get(status.reg),
                    expected: probe,
                    observed: via_caller,
                });
            }
        }
    }
}

/// What a generated C or assembly stub answered for a case the probe ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StubAnswer<'a> {
    /// It returned these results, and every argument kept live across it was intact.
    Returned(&'a [u64]),
    /// It returned these results, but an argument kept live across it changed.
    LiveChanged(&'a [u64]),
    /// It raised the exception with this code.
    Exception(u64),
}

/// Checks a stub's answer against the probe's observation of the same call: the status as for
/// the generated caller ([`check_case`]), an exception only where the probe took one, and every
/// value the compiler kept live across the stub intact.
pub fn check_stub(
    abi: &Abi,
    expect: Expect<'_>,
    obs: &Observation,
    answer: StubAnswer<'_>,
    mut report: impl FnMut(Violation),
) {
    match answer {
        StubAnswer::Returned(results) => compare_status(abi, expect, obs, results, &mut report),
        StubAnswer::LiveChanged(results) => {
            report(Violation {
                kind: ViolationKind::LiveValueChanged,
                reg: None,
                role: None,
                before: 0,
                expected: 0,
                observed: 0,
            });
            compare_status(abi, expect, obs, results, &mut report);
        }
        StubAnswer::Exception(code) => {
            if obs.exception.is_none() {
                report(Violation {
                    kind: ViolationKind::UnexpectedException,
                    reg: None,
                    role: None,
                    before: 0,
                    expected: 0,
                    observed: code,
                });
            }
        }
    }
}

fn check_unknown(abi: &Abi, obs: &Observation, report: &mut impl FnMut(Violation)) {
    let status = abi.results.first().copied();
    match abi.unknown {
        Some(crate::abi::Unknown::Exception(_)) => {
            if obs.exception.is_none() {
                let observed = status.map_or(0, |r| obs.after.get(r));
                report(Violation {
                    kind: ViolationKind::MissingException,
                    reg: status,
                    role: None,
                    before: status.map_or(0, |r| obs.before.get(r)),
                    expected: 0,
                    observed,
                });
            }
            return;
        }
        Some(crate::abi::Unknown::Error(e)) => {
            if let (Some(reg), None) = (status, obs.exception) {
                let width = abi.narrow.map_or(abi.arch.gpr_bits(), |n| n.bits);
                let m = crate::abi::mask(width);
                let observed = obs.after.get(reg) & m;
                if observed != e.value as u64 & m {
                    report(Violation {
                        kind: ViolationKind::UnknownAccepted,
                        reg: Some(reg),
                        role: Some(Role::Result),
                        before: obs.before.get(reg),
                        expected: e.value as u64 & m,
                        observed,
                    });
                }
            }
        }
        None => {}
    }
    // The ABI's result registers carry nothing meaningful after an unknown number (SBI's
    // `value` in a1, PAPR's output registers): only the status is judged.
    check(abi, &UNKNOWN_CALL, obs, |v| {
        if v.reg.is_none_or(|r| !abi.results.contains(&r)) {
            report(v)
        }
    });
}

/// Whether `value` (the status result, at `width` bits) is an error the call may return: one of
/// its declared codes, or the ABI's unknown-number error when the call is optional or
/// discoverable (an implementation without it answers as for any unknown number).
fn is_error(abi: &Abi, call: &Call, value: u64, width: u8) -> bool {
    let m = crate::abi::mask(width);
    call.errors.iter().any(|e| (e.value as u64) & m == value)
        || call.presence != crate::abi::Presence::Mandatory
            && matches!(abi.unknown, Some(crate::abi::Unknown::Error(e)) if (e.value as u64) & m == value)
}

/// [`check`] collecting into a vector.
#[cfg(feature = "std")]
pub fn violations(abi: &Abi, call: &Call, obs: &Observation) -> std::vec::Vec<Violation> {
    let mut out = std::vec::Vec::new();
    check(abi, call, obs, |v| out.push(v));
    out
}
