//! Architectures and their complete register sets.
//!
//! A [`Reg`] is an index into its arch's table, so a register file is a plain array and a register
//! name is resolved once, at macro-expansion time.

/// An instruction-set architecture a hypercall ABI is defined for.
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
pub enum Arch {
    /// 64-bit Arm.
    Aarch64,
    /// 32-bit Arm.
    Arm,
    /// 64-bit x86.
    #[strum(serialize = "x86_64")]
    X86_64,
    /// 32-bit x86.
    X86,
    /// 64-bit RISC-V.
    #[strum(serialize = "riscv64")]
    Riscv64,
    /// IBM Z.
    #[strum(serialize = "s390x")]
    S390x,
    /// 64-bit Power, big-endian.
    #[strum(serialize = "ppc64")]
    Ppc64,
}

/// The most registers any arch's register file holds (ppc64: r0-r31, cr, xer, lr, ctr).
pub const MAX_REGS: usize = 36;

/// What kind of state a register holds; the checker compares flags registers like any other
/// register but reports them as flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegKind {
    /// A general-purpose register.
    General,
    /// The stack pointer.
    StackPointer,
    /// The flags or condition register.
    Flags,
    /// Carries no argument but may be clobbered and can be poisoned (ppc64 lr, ctr, xer).
    Control,
    /// Must not be changed by a probe or a call (pc, thread pointer, TOC, global pointer).
    Special,
}

/// One register of an arch: its canonical name, other accepted spellings, width and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegInfo {
    /// Its assembler name.
    pub name: &'static str,
    /// Other names for it.
    pub aliases: &'static [&'static str],
    /// Its width in bits.
    pub bits: u8,
    /// What kind of register it is.
    pub kind: RegKind,
}

const fn g(name: &'static str, bits: u8) -> RegInfo {
    RegInfo {
        name,
        aliases: &[],
        bits,
        kind: RegKind::General,
    }
}
const fn ga(name: &'static str, aliases: &'static [&'static str], bits: u8) -> RegInfo {
    RegInfo {
        name,
        aliases,
        bits,
        kind: RegKind::General,
    }
}
const fn k(
    name: &'static str,
    aliases: &'static [&'static str],
    bits: u8,
    kind: RegKind,
) -> RegInfo {
    RegInfo {
        name,
        aliases,
        bits,
        kind,
    }
}

const AARCH64: &[RegInfo] = &[
    g("x0", 64),
    g("x1", 64),
    g("x2", 64),
    g("x3", 64),
    g("x4", 64),
    g("x5", 64),
    g("x6", 64),
    g("x7", 64),
    g("x8", 64),
    g("x9", 64),
    g("x10", 64),
    g("x11", 64),
    g("x12", 64),
    g("x13", 64),
    g("x14", 64),
    g("x15", 64),
    ga("x16", &["ip0"], 64),
    ga("x17", &["ip1"], 64),
    g("x18", 64),
    g("x19", 64),
    g("x20", 64),
    g("x21", 64),
    g("x22", 64),
    g("x23", 64),
    g("x24", 64),
    g("x25", 64),
    g("x26", 64),
    g("x27", 64),
    g("x28", 64),
    ga("x29", &["fp"], 64),
    ga("x30", &["lr"], 64),
    k("sp", &[], 64, RegKind::StackPointer),
    k("nzcv", &[], 32, RegKind::Flags),
];

const ARM: &[RegInfo] = &[
    ga("r0", &["a1"], 32),
    ga("r1", &["a2"], 32),
    ga("r2", &["a3"], 32),
    ga("r3", &["a4"], 32),
    ga("r4", &["v1"], 32),
    ga("r5", &["v2"], 32),
    ga("r6", &["v3"], 32),
    ga("r7", &["v4"], 32),
    ga("r8", &["v5"], 32),
    ga("r9", &["v6", "sb"], 32),
    ga("r10", &["v7", "sl"], 32),
    ga("r11", &["v8", "fp"], 32),
    ga("r12", &["ip"], 32),
    k("r13", &["sp"], 32, RegKind::StackPointer),
    ga("r14", &["lr"], 32),
    k("r15", &["pc"], 32, RegKind::Special),
    k("cpsr", &[], 32, RegKind::Flags),
];

const X86_64: &[RegInfo] = &[
    g("rax", 64),
    g("rbx", 64),
    g("rcx", 64),
    g("rdx", 64),
    g("rsi", 64),
    g("rdi", 64),
    g("rbp", 64),
    k("rsp", &[], 64, RegKind::StackPointer),
    g("r8", 64),
    g("r9", 64),
    g("r10", 64),
    g("r11", 64),
    g("r12", 64),
    g("r13", 64),
    g("r14", 64),
    g("r15", 64),
    k("rflags", &[], 64, RegKind::Flags),
];

const X86: &[RegInfo] = &[
    g("eax", 32),
    g("ebx", 32),
    g("ecx", 32),
    g("edx", 32),
    g("esi", 32),
    g("edi", 32),
    g("ebp", 32),
    k("esp", &[], 32, RegKind::StackPointer),
    k("eflags", &[], 32, RegKind::Flags),
];

const RISCV64: &[RegInfo] = &[
    ga("ra", &["x1"], 64),
    k("sp", &["x2"], 64, RegKind::StackPointer),
    k("gp", &["x3"], 64, RegKind::Special),
    k("tp", &["x4"], 64, RegKind::Special),
    ga("t0", &["x5"], 64),
    ga("t1", &["x6"], 64),
    ga("t2", &["x7"], 64),
    ga("s0", &["x8", "fp"], 64),
    ga("s1", &["x9"], 64),
    ga("a0", &["x10"], 64),
    ga("a1", &["x11"], 64),
    ga("a2", &["x12"], 64),
    ga("a3", &["x13"], 64),
    ga("a4", &["x14"], 64),
    ga("a5", &["x15"], 64),
    ga("a6", &["x16"], 64),
    ga("a7", &["x17"], 64),
    ga("s2", &["x18"], 64),
    ga("s3", &["x19"], 64),
    ga("s4", &["x20"], 64),
    ga("s5", &["x21"], 64),
    ga("s6", &["x22"], 64),
    ga("s7", &["x23"], 64),
    ga("s8", &["x24"], 64),
    ga("s9", &["x25"], 64),
    ga("s10", &["x26"], 64),
    ga("s11", &["x27"], 64),
    ga("t3", &["x28"], 64),
    ga("t4", &["x29"], 64),
    ga("t5", &["x30"], 64),
    ga("t6", &["x31"], 64),
];

const S390X: &[RegInfo] = &[
    g("r0", 64),
    g("r1", 64),
    g("r2", 64),
    g("r3", 64),
    g("r4", 64),
    g("r5", 64),
    g("r6", 64),
    g("r7", 64),
    g("r8", 64),
    g("r9", 64),
    g("r10", 64),
    g("r11", 64),
    g("r12", 64),
    g("r13", 64),
    g("r14", 64),
    k("r15", &[], 64, RegKind::StackPointer),
    k("cc", &[], 8, RegKind::Flags),
];

const PPC64: &[RegInfo] = &[
    g("r0", 64),
    k("r1", &["sp"], 64, RegKind::StackPointer),
    k("r2", &["toc"], 64, RegKind::Special),
    g("r3", 64),
    g("r4", 64),
    g("r5", 64),
    g("r6", 64),
    g("r7", 64),
    g("r8", 64),
    g("r9", 64),
    g("r10", 64),
    g("r11", 64),
    g("r12", 64),
    k("r13", &[], 64, RegKind::Special),
    g("r14", 64),
    g("r15", 64),
    g("r16", 64),
    g("r17", 64),
    g("r18", 64),
    g("r19", 64),
    g("r20", 64),
    g("r21", 64),
    g("r22", 64),
    g("r23", 64),
    g("r24", 64),
    g("r25", 64),
    g("r26", 64),
    g("r27", 64),
    g("r28", 64),
    g("r29", 64),
    g("r30", 64),
    g("r31", 64),
    k("cr", &[], 32, RegKind::Flags),
    k("xer", &[], 64, RegKind::Control),
    k("lr", &[], 64, RegKind::Control),
    k("ctr", &[], 64, RegKind::Control),
];

impl Arch {
    /// Every arch.
    pub const ALL: [Arch; 7] = [
        Arch::Aarch64,
        Arch::Arm,
        Arch::X86_64,
        Arch::X86,
        Arch::Riscv64,
        Arch::S390x,
        Arch::Ppc64,
    ];

    /// The name used in the DSL, in CLI flags and in every file format.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The `target_arch` value Rust uses for this arch.
    pub const fn rust_target_arch(self) -> &'static str {
        match self {
            Arch::Aarch64 => "aarch64",
            Arch::Arm => "arm",
            Arch::X86_64 => "x86_64",
            Arch::X86 => "x86",
            Arch::Riscv64 => "riscv64",
            Arch::S390x => "s390x",
            Arch::Ppc64 => "powerpc64",
        }
    }

    /// The arch named `name` (`aarch64`, `x86_64`, ...).
    pub fn from_name(name: &str) -> Option<Arch> {
        name.parse().ok()
    }

    /// Width of a general-purpose register in bits.
    pub const fn gpr_bits(self) -> u8 {
        match self {
            Arch::Arm | Arch::X86 => 32,
            _ => 64,
        }
    }

    /// Every register of the arch, in register-file order.
    pub const fn registers(self) -> &'static [RegInfo] {
        match self {
            Arch::Aarch64 => AARCH64,
            Arch::Arm => ARM,
            Arch::X86_64 => X86_64,
            Arch::X86 => X86,
            Arch::Riscv64 => RISCV64,
            Arch::S390x => S390X,
            Arch::Ppc64 => PPC64,
        }
    }

    /// How many registers the model has for this arch.
    pub const fn reg_count(self) -> usize {
        self.registers().len()
    }

    /// Looks a register up by its canonical name or an alias (case-insensitive).
    pub fn reg(self, name: &str) -> Option<Reg> {
        self.registers()
            .iter()
            .position(|r| {
                r.name.eq_ignore_ascii_case(name)
                    || r.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
            })
            .map(|i| Reg::new(self, i as u8))
    }

    /// The flags register (condition codes), which every arch has except riscv64.
    pub fn flags(self) -> Option<Reg> {
        self.registers()
            .iter()
            .position(|r| r.kind == RegKind::Flags)
            .map(|i| Reg::new(self, i as u8))
    }

    /// Every register as a [`Reg`].
    pub fn regs(self) -> impl Iterator<Item = Reg> + Clone {
        (0..self.reg_count() as u8).map(move |i| Reg::new(self, i))
    }
}

/// One register of one arch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg {
    /// The arch.
    pub arch: Arch,
    /// Its index in [`Arch::registers`].
    pub index: u8,
}

impl Reg {
    /// The register `index` of `arch`.
    pub const fn new(arch: Arch, index: u8) -> Reg {
        Reg { arch, index }
    }
    /// Its description.
    pub const fn info(self) -> &'static RegInfo {
        &self.arch.registers()[self.index as usize]
    }
    /// Its assembler name.
    pub const fn name(self) -> &'static str {
        self.info().name
    }
    /// Its width in bits.
    pub const fn bits(self) -> u8 {
        self.info().bits
    }
    /// The mask of the bits this register holds.
    pub const fn mask(self) -> u64 {
        if self.bits() >= 64 {
            u64::MAX
        } else {
            (1u64 << self.bits()) - 1
        }
    }
    /// What kind of register it is.
    pub const fn kind(self) -> RegKind {
        self.info().kind
    }
}

impl core::fmt::Display for Reg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::fmt::Display for Arch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_sets_are_complete() {
        assert_eq!(Arch::Aarch64.reg_count(), 33); // x0-x30, sp, nzcv
        assert_eq!(Arch::Arm.reg_count(), 17); // r0-r15, cpsr
        assert_eq!(Arch::X86_64.reg_count(), 17); // 16 GPRs, rflags
        assert_eq!(Arch::X86.reg_count(), 9); // 8 GPRs, eflags
        assert_eq!(Arch::Riscv64.reg_count(), 31); // x1-x31
        assert_eq!(Arch::S390x.reg_count(), 17); // r0-r15, cc
        assert_eq!(Arch::Ppc64.reg_count(), 36); // r0-r31, cr, xer, lr, ctr
        assert!(Arch::ALL.iter().all(|a| a.reg_count() <= MAX_REGS));
    }

    #[test]
    fn names_and_aliases_are_unique_per_arch() {
        for arch in Arch::ALL {
            let mut seen = std::vec::Vec::new();
            for r in arch.registers() {
                for n in core::iter::once(&r.name).chain(r.aliases) {
                    let lower = n.to_ascii_lowercase();
                    assert!(!seen.contains(&lower), "{arch}: {n} named twice");
                    seen.push(lower);
                }
            }
        }
    }

    #[test]
    fn lookup_by_alias() {
        assert_eq!(Arch::Riscv64.reg("x17").unwrap().name(), "a7");
        assert_eq!(Arch::Arm.reg("ip").unwrap().name(), "r12");
        assert_eq!(Arch::Aarch64.reg("LR").unwrap().name(), "x30");
        assert_eq!(Arch::X86_64.reg("eax"), None);
        assert_eq!(Arch::Aarch64.flags().unwrap().name(), "nzcv");
        assert_eq!(Arch::Riscv64.flags(), None);
        assert_eq!(Arch::X86.reg("esi").unwrap().mask(), 0xffff_ffff);
    }
}
