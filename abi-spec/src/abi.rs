//! ABIs and calls: the register contract of a hypercall interface and the calls it carries.

use crate::arch::{Arch, Reg, RegKind};
use crate::layout::{CallParam, Family, StructDef};
use crate::trap::Trap;

/// What a register must hold after the trap returns.
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
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Role {
    /// Must hold exactly the value it had before the call.
    Preserved,
    /// The hypervisor may leave any value (a debug hypervisor poisons it).
    #[cfg_attr(feature = "serde", serde(rename = "clobbered"))]
    #[strum(serialize = "clobbered")]
    MayClobber,
    /// Must be either its old value or zero (e.g. registers a hypervisor sanitises).
    #[cfg_attr(feature = "serde", serde(rename = "zero_or_preserved"))]
    #[strum(serialize = "zero_or_preserved")]
    ZeroOrPreserve,
    /// Holds one of the call's declared results.
    Result,
}

impl Role {
    /// The DSL keyword of the role (`preserved`, `clobbered`, ...).
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// The set of registers a role rule applies to. Rules on sets that depend on the call ("the argument
/// registers this call uses") are what make Xen's clobber rule expressible as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum RegSet {
    /// One named register.
    Reg(Reg),
    /// The call-number register(s).
    Number,
    /// The ABI's argument registers that this call passes an argument in.
    UsedArgs,
    /// The ABI's argument registers that this call does not use.
    UnusedArgs,
    /// The ABI's result registers that this call returns nothing in.
    UnusedResults,
    /// Every register not matched by a more specific rule.
    Others,
}

impl RegSet {
    /// Lower is more specific; the most specific matching rule decides a register's role.
    const fn specificity(&self) -> u8 {
        match self {
            RegSet::Reg(_) => 0,
            RegSet::Number => 1,
            RegSet::UsedArgs | RegSet::UnusedArgs | RegSet::UnusedResults => 2,
            RegSet::Others => 3,
        }
    }

    /// The DSL keyword of the set.
    pub const fn keyword(&self) -> &'static str {
        match self {
            RegSet::Reg(r) => r.name(),
            RegSet::Number => "number",
            RegSet::UsedArgs => "used_args",
            RegSet::UnusedArgs => "unused_args",
            RegSet::UnusedResults => "unused_results",
            RegSet::Others => "others",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
/// A role for a set of registers after a call.
pub struct RoleRule {
    /// The registers.
    pub set: RegSet,
    /// Their role after the trap.
    pub role: Role,
}

/// How the upper half of 64-bit registers is treated by a 32-bit convention (SMC32/HVC32 from
/// AArch64, KVM hypercalls from 32-bit mode, compat guests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct Narrow {
    /// Bits the convention uses, from bit 0.
    pub bits: u8,
    /// What the callee does with the upper bits of an argument register.
    pub input_upper: UpperInput,
    /// What the upper bits of a result register hold on return.
    pub output_upper: UpperOutput,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
/// The upper bits of a 32-bit argument in a 64-bit register.
pub enum UpperInput {
    /// The callee ignores them: junk there must not change the outcome.
    Ignored,
    /// The caller must clear them.
    MustBeZero,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
/// The upper bits of a 32-bit result in a 64-bit register.
pub enum UpperOutput {
    /// Unspecified on return: compare only the low bits.
    Undefined,
    /// Zero on return.
    Zero,
    /// The 32-bit result sign-extended (what QEMU's PSCI does).
    SignExtended,
}

/// A named constant: an error code or an enumerator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Named {
    /// As the spec names it (`NOT_SUPPORTED`).
    pub name: &'static str,
    /// Its value (negative error codes as they are).
    pub value: i64,
}

/// The values an argument may take, or a result may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(tag = "kind", rename_all = "snake_case")
)]
pub enum Domain {
    /// Any value of the register's width.
    Any,
    /// An inclusive range. Bounds are signed so that results like `0..=i64::MAX` and arguments
    /// like `0..=u32::MAX` read naturally; a value matches if its unsigned or its sign-extended
    /// reading at the call's width lies inside.
    Range {
        /// The lowest value.
        min: i128,
        /// The highest value.
        max: i128,
    },
    /// One of these values.
    Enum {
        /// The values, named.
        values: &'static [Named],
    },
    /// Reserved: must be zero (a non-zero value should be refused).
    MustBeZero,
    /// Only the bits in `mask` may be set.
    Bits {
        /// The bits that may be set.
        mask: u64,
    },
    /// A guest address the hypervisor dereferences (so callers must not claim `nomem`).
    Pointer {
        /// Its alignment in bytes.
        align: u32,
        /// Whether null is allowed.
        nullable: bool,
    },
}

impl Domain {
    /// Whether the argument is a guest address.
    pub const fn is_pointer(&self) -> bool {
        matches!(self, Domain::Pointer { .. })
    }

    /// Whether `value`, read at `bits` width, lies in the domain.
    pub fn contains(&self, value: u64, bits: u8) -> bool {
        let mask = mask(bits);
        let v = value & mask;
        let signed = sign_extend(v, bits);
        match *self {
            Domain::Any => true,
            Domain::Range { min, max } => {
                (min..=max).contains(&(v as i128)) || (min..=max).contains(&(signed as i128))
            }
            Domain::Enum { values } => enum_contains(values.iter().map(|n| n.value), value, bits),
            Domain::MustBeZero => v == 0,
            Domain::Bits { mask: allowed } => v & !allowed == 0,
            Domain::Pointer { align, nullable } => {
                (v != 0 || nullable) && (align <= 1 || v.is_multiple_of(align as u64))
            }
        }
    }
}

/// Whether `value`, read at `bits` width, is one of an enumeration's `values` (a [`Domain::Enum`]'s,
/// or those of a spec read back from its export).
pub fn enum_contains(values: impl IntoIterator<Item = i64>, value: u64, bits: u8) -> bool {
    let mask = mask(bits);
    values
        .into_iter()
        .any(|n| (n as u64) & mask == value & mask)
}

/// All-ones in the low `bits` bits.
pub const fn mask(bits: u8) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// `value`'s low `bits` bits, sign-extended to 64. Zero bits hold nothing: 0 (a spec export
/// read from a file may say `bits: 0`, and shifting by 64 would overflow).
pub const fn sign_extend(value: u64, bits: u8) -> i64 {
    if bits >= 64 {
        value as i64
    } else if bits == 0 {
        0
    } else {
        let shift = 64 - bits as u32;
        ((value << shift) as i64) >> shift
    }
}

/// One argument of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Arg {
    /// As the spec names it.
    pub name: &'static str,
    /// The register it travels in.
    pub reg: Reg,
    /// The values it may take.
    pub domain: Domain,
}

/// One result of a call. The first result carries the call's status: a value in its domain or one
/// of the call's error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ret {
    /// As the spec names it.
    pub name: &'static str,
    /// The register it comes back in.
    pub reg: Reg,
    /// The values it may hold (besides the error codes).
    pub domain: Domain,
}

/// Whether a guest can rely on a call being there.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Presence {
    /// Every implementation has it.
    Mandatory,
    /// An implementation may lack it (and answers the unknown-number outcome).
    Optional,
    /// Present only if a discovery mechanism (a features call, a bitmap, a probe) says so.
    Discoverable,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
/// Where a call is in its life.
pub enum Status {
    /// In use.
    Active,
    /// Still there, to be dropped: new callers should not use it.
    Deprecated,
    /// No longer implemented by current versions.
    Obsolete,
    /// Gone from the specification.
    Removed,
}

/// What executing a call does beyond answering; plans use it to keep a run alive.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Effect {
    /// Only reads state: safe to execute any number of times.
    Query,
    /// Changes guest or hypervisor state, but the run survives it.
    Stateful,
    /// Stops, resets or hangs the machine or the calling CPU (CPU_OFF, SYSTEM_OFF, ...).
    Disruptive,
    /// Never returns to the caller (a jump, not a call: Xen's `iret`, HVC_SOFT_RESTART).
    #[strum(serialize = "noreturn")]
    NoReturn,
}

/// What the hypervisor does with a number it does not implement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Unknown {
    /// Returns this error code in the status register.
    Error(Named),
    /// Raises a program exception in the guest (s390's specification exception for DIAG 500).
    Exception(&'static str),
}

/// One hypercall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Call {
    /// As the spec names it.
    pub name: &'static str,
    /// One value per number register of the ABI (two for SBI: EID and FID).
    pub number: &'static [u64],
    /// Its arguments, in order.
    pub args: &'static [Arg],
    /// Its results, in order.
    pub results: &'static [Ret],
    /// Error codes the status result may hold besides its success domain.
    pub errors: &'static [Named],
    /// Whether every implementation has it.
    pub presence: Presence,
    /// Where it is in its life.
    pub status: Status,
    /// What it does to the caller (query, stateful, disruptive, noreturn).
    pub effect: Effect,
    /// Overrides the ABI's narrow (32-bit) convention for this call; SMCCC decides it per call.
    pub narrow: Option<Narrow>,
    /// Role rules for this call only, more specific than the ABI's.
    pub rules: &'static [RoleRule],
    /// The ABI revision that added it.
    pub since: Option<&'static str>,
    /// The SMCCC function-ID fields the spec declares for this call; `lint` checks them against
    /// the number.
    pub smccc: Option<SmcccId>,
    /// The result is a fixed property of the implementation (a version, a UID): a changed value
    /// between two runs of the same target is a regression.
    pub stable: bool,
    /// For a disruptive call, what it would do to the test guest (why no plan runs it), if the
    /// spec says; empty otherwise.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "str::is_empty"))]
    pub disruption: &'static str,
    /// Where the spec states it (document, section).
    pub source: &'static str,
    /// What it does.
    pub doc: &'static str,
}

/// The fields of an Arm SMCCC function identifier (SMCCC 1.4, section 2.5 "Function Identifiers"):
/// bit 31 fast call, bit 30 SMC64 calling convention, bits 29:24 owning entity, bits 15:0
/// function number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct SmcccId {
    /// Fast call (bit 31 of the function ID).
    pub fast: bool,
    /// SMC64 calling convention (bit 30).
    pub smc64: bool,
    /// The owning entity (bits 29:24).
    pub owner: u8,
}

impl SmcccId {
    /// Bit 31: fast call (1) or yielding call (0).
    pub const FAST: u32 = 1 << 31;
    /// Bit 30: the SMC64/HVC64 convention.
    pub const SMC64: u32 = 1 << 30;
    /// Bit 16: the SVE live-state hint (SMCCC 1.3); ignored when matching IDs.
    pub const SVE_HINT: u32 = 1 << 16;

    /// Decodes a function ID.
    pub fn decode(id: u64) -> SmcccId {
        let id = id as u32;
        SmcccId {
            fast: id & Self::FAST != 0,
            smc64: id & Self::SMC64 != 0,
            owner: ((id >> 24) & 0x3f) as u8,
        }
    }

    /// The function number (bits 15:0).
    pub fn function(id: u64) -> u16 {
        id as u16
    }
}

/// A register that carries the call number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NumberReg {
    /// As the spec names it (`eid`, `fid`).
    pub name: &'static str,
    /// The register it travels in.
    pub reg: Reg,
}

/// A hypercall ABI: its trap, its register contract and its calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Abi {
    /// Stable identifier (`xen-arm64`), used by the CLI and in every file format.
    pub id: &'static str,
    /// A title for people.
    pub title: &'static str,
    /// What the ABI is, in words.
    pub doc: &'static str,
    /// The arch its guests run.
    pub arch: Arch,
    /// The instruction that enters the hypervisor.
    pub trap: Trap,
    /// The registers of the call number (two for SBI).
    pub numbers: &'static [NumberReg],
    /// Argument registers, in order.
    pub args: &'static [Reg],
    /// Result registers, in order.
    pub results: &'static [Reg],
    /// Roles of the registers after a call, first match wins.
    pub rules: &'static [RoleRule],
    /// The 32-bit convention on 64-bit registers, if any.
    pub narrow: Option<Narrow>,
    /// The error codes.
    pub errors: &'static [Named],
    /// What an unknown call number gets, if the spec says.
    pub unknown: Option<Unknown>,
    /// The calls.
    pub calls: &'static [Call],
    /// The calls whose command argument selects sub-operations.
    pub families: &'static [Family],
    /// The plain calls (no sub-operations) whose pointer argument points to a parameter struct.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "<[_]>::is_empty"))]
    pub params: &'static [CallParam],
    /// The parameter structs the sub-operations point to, laid out by the ABI's rule.
    pub structs: &'static [StructDef],
    /// The revision of the spec the ABI follows.
    pub revision: Option<&'static str>,
    /// The documents the facts come from.
    pub sources: &'static [&'static str],
}

/// What the probe loads into a register before the trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Input {
    /// The i-th call-number register.
    Number(usize),
    /// The call's i-th argument.
    Arg(usize),
    /// A poison value, so that a leak or a clobber is visible.
    Poison,
    /// Not loaded (stack pointer, thread pointer, TOC): the probe cannot change it safely.
    Fixed,
}

impl Abi {
    /// The call named `name`.
    pub fn call(&self, name: &str) -> Option<&'static Call> {
        self.calls.iter().find(|c| c.name == name)
    }

    /// The sub-operation family of the call named `call`, if its command argument selects some.
    pub fn family(&self, call: &str) -> Option<&'static Family> {
        self.families.iter().find(|f| f.call == call)
    }

    /// The parameter struct of the plain call named `call`, if it declares one.
    pub fn param(&self, call: &str) -> Option<&'static CallParam> {
        self.params.iter().find(|p| p.call == call)
    }

    /// The parameter struct named `name`.
    pub fn struct_named(&self, name: &str) -> Option<&'static StructDef> {
        self.structs.iter().find(|s| s.name == name)
    }

    /// The call with this number.
    pub fn call_by_number(&self, number: &[u64]) -> Option<&'static Call> {
        self.calls.iter().find(|c| c.number == number)
    }

    /// The error code named `name`.
    pub fn error(&self, name: &str) -> Option<Named> {
        self.errors.iter().copied().find(|e| e.name == name)
    }

    /// The 32-bit convention in force for `call`, if any.
    pub fn narrow_for(&self, call: &Call) -> Option<Narrow> {
        call.narrow.or(self.narrow)
    }

    /// The width in bits at which `call`'s arguments and results are read.
    pub fn width_for(&self, call: &Call) -> u8 {
        self.narrow_for(call)
            .map_or(self.arch.gpr_bits(), |n| n.bits)
    }

    /// What `reg` must hold after `call` returns ([`role_after`] of this ABI and call).
    pub fn role_after(&self, call: &Call, reg: Reg) -> Role {
        role_after(&(self, call), reg)
    }

    /// What the probe loads into `reg` for `call`.
    pub fn input_of(&self, call: &Call, reg: Reg) -> Input {
        if let Some(i) = self.numbers.iter().position(|n| n.reg == reg) {
            return Input::Number(i);
        }
        if let Some(i) = call.args.iter().position(|a| a.reg == reg) {
            return Input::Arg(i);
        }
        match reg.kind() {
            RegKind::General | RegKind::Flags | RegKind::Control => Input::Poison,
            RegKind::StackPointer | RegKind::Special => Input::Fixed,
        }
    }

    /// Whether any argument of `call` is a guest pointer (callers must then not claim `nomem`).
    pub fn touches_memory(&self, call: &Call) -> bool {
        call.args.iter().any(|a| a.domain.is_pointer())
    }

    /// Every register the caller of `call` must treat as changed by the hypervisor: results and
    /// may-clobber and zero-or-preserve registers.
    pub fn clobbered_by(&self, call: &Call) -> impl Iterator<Item = Reg> + '_ {
        let call = *call;
        self.arch
            .regs()
            .filter(move |&r| self.role_after(&call, r) != Role::Preserved)
    }
}

/// What decides the role of a register after a call ([`role_after`]): the rules in force and the
/// registers they can name. The model (an [`Abi`] with one of its [`Call`]s) provides it, and so
/// does a spec read back from its export (`hyperabi diff`), so both answer with the same code.
pub trait CallRegisters {
    /// The role rules in force: the call's, then the ABI's (of equally specific matching rules,
    /// the first wins).
    fn rules(&self) -> impl Iterator<Item = RoleRule> + '_;
    /// Whether `reg` carries the call number.
    fn is_number(&self, reg: Reg) -> bool;
    /// Whether `reg` is one of the ABI's argument registers.
    fn is_abi_arg(&self, reg: Reg) -> bool;
    /// Whether `reg` is one of the ABI's result registers.
    fn is_abi_result(&self, reg: Reg) -> bool;
    /// Whether the call passes an argument in `reg`.
    fn is_call_arg(&self, reg: Reg) -> bool;
    /// Whether the call returns a result in `reg`.
    fn is_call_result(&self, reg: Reg) -> bool;
}

impl CallRegisters for (&Abi, &Call) {
    fn rules(&self) -> impl Iterator<Item = RoleRule> + '_ {
        self.1.rules.iter().chain(self.0.rules).copied()
    }
    fn is_number(&self, reg: Reg) -> bool {
        self.0.numbers.iter().any(|n| n.reg == reg)
    }
    fn is_abi_arg(&self, reg: Reg) -> bool {
        self.0.args.contains(&reg)
    }
    fn is_abi_result(&self, reg: Reg) -> bool {
        self.0.results.contains(&reg)
    }
    fn is_call_arg(&self, reg: Reg) -> bool {
        self.1.args.iter().any(|a| a.reg == reg)
    }
    fn is_call_result(&self, reg: Reg) -> bool {
        self.1.results.iter().any(|r| r.reg == reg)
    }
}

/// What `reg` must hold after the call `c` describes. The result registers the call declares are
/// [`Role::Result`]; otherwise the most specific rule wins, the call's rules before the ABI's at
/// equal specificity; a register no rule covers is preserved.
pub fn role_after(c: &impl CallRegisters, reg: Reg) -> Role {
    if c.is_call_result(reg) {
        return Role::Result;
    }
    deciding_rule(c, reg).map_or(Role::Preserved, |(_, r)| r.role)
}

/// The rule that decides what `reg` holds after the call `c` describes, with its position among
/// [`CallRegisters::rules`] (the call's rules first, then the ABI's): the most specific matching
/// rule, the first of equally specific ones. `None` for a result register of the call, a stack,
/// thread or global pointer (always preserved) and a register no rule covers (preserved).
pub fn deciding_rule(c: &impl CallRegisters, reg: Reg) -> Option<(usize, RoleRule)> {
    // No rule can make a caller survive a changed stack, thread or global pointer: validation
    // rejects naming them, and `others` does not reach them.
    if c.is_call_result(reg) || matches!(reg.kind(), RegKind::StackPointer | RegKind::Special) {
        return None;
    }
    let mut best: Option<(u8, usize, RoleRule)> = None;
    for (i, rule) in c.rules().enumerate() {
        if rule_matches(c, &rule.set, reg) {
            let s = rule.set.specificity();
            if best.is_none_or(|(b, _, _)| s < b) {
                best = Some((s, i, rule));
            }
        }
    }
    best.map(|(_, i, r)| (i, r))
}

fn rule_matches(c: &impl CallRegisters, set: &RegSet, reg: Reg) -> bool {
    match *set {
        RegSet::Reg(r) => r == reg,
        RegSet::Number => c.is_number(reg),
        RegSet::UsedArgs => c.is_abi_arg(reg) && c.is_call_arg(reg),
        RegSet::UnusedArgs => c.is_abi_arg(reg) && !c.is_call_arg(reg),
        RegSet::UnusedResults => c.is_abi_result(reg) && !c.is_call_result(reg),
        RegSet::Others => true,
    }
}

impl Call {
    /// The call number as one value (the first number register's value).
    pub fn primary_number(&self) -> u64 {
        self.number.first().copied().unwrap_or(0)
    }

    /// The result that carries the status (error codes), if any.
    pub fn status_result(&self) -> Option<&Ret> {
        self.results.first()
    }
}

impl Presence {
    /// The DSL keyword.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl Status {
    /// The DSL keyword.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl Effect {
    /// The DSL keyword.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// The DSL's spelling of a domain (`range(0..=3)`, `enum { A = 0, .. }`, `ptr(align = 8)`).
impl core::fmt::Display for Domain {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Domain::Any => write!(f, "any"),
            Domain::Range { min, max } => write!(f, "range({min}..={max})"),
            Domain::Enum { values } => {
                write!(f, "enum {{ ")?;
                for (i, n) in values.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{} = {}", n.name, n.value)?;
                }
                write!(f, " }}")
            }
            Domain::MustBeZero => write!(f, "mbz"),
            Domain::Bits { mask } => write!(f, "bits({mask:#x})"),
            Domain::Pointer { align, nullable } => match (align, nullable) {
                (0 | 1, false) => write!(f, "ptr"),
                (0 | 1, true) => write!(f, "ptr(nullable)"),
                (a, false) => write!(f, "ptr(align = {a})"),
                (a, true) => write!(f, "ptr(align = {a}, nullable)"),
            },
        }
    }
}
