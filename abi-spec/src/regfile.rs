//! Register files: the value of every register of one arch, as probes load and capture them.

use crate::abi::{Abi, Call, Input};
use crate::arch::{Arch, Reg, RegKind, MAX_REGS};

/// The value of every register of an arch, in the arch's register-table order. Probes read the
/// input file and write the output file by index, so the layout is part of the probe ABI.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(C)]
pub struct RegisterFile {
    /// Values by register index.
    pub values: [u64; MAX_REGS],
    /// The arch.
    pub arch: Arch,
}

impl RegisterFile {
    /// Every register zero.
    pub const fn new(arch: Arch) -> RegisterFile {
        RegisterFile {
            values: [0; MAX_REGS],
            arch,
        }
    }

    /// The value of `reg`.
    pub fn get(&self, reg: Reg) -> u64 {
        debug_assert_eq!(reg.arch, self.arch);
        self.values[reg.index as usize]
    }

    /// Sets `reg`.
    pub fn set(&mut self, reg: Reg, value: u64) {
        debug_assert_eq!(reg.arch, self.arch);
        self.values[reg.index as usize] = value & reg.mask();
    }

    /// Every register with its value.
    pub fn iter(&self) -> impl Iterator<Item = (Reg, u64)> + '_ {
        self.arch.regs().map(move |r| (r, self.get(r)))
    }
}

impl core::fmt::Debug for RegisterFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut m = f.debug_map();
        for (r, v) in self.iter() {
            m.entry(&r.name(), &format_args!("{v:#x}"));
        }
        m.finish()
    }
}

/// The poison a probe loads into `reg`: recognisable in a dump (`0xa5a5a5a5_ssss_00ii`, with the
/// seed's low 16 bits and the register index), distinct per register so a value that moved
/// between registers is told apart from one that was clobbered. Flags get a fixed pattern of bits
/// the arch lets an unprivileged guest set.
pub const fn poison(reg: Reg, seed: u64) -> u64 {
    if matches!(reg.kind(), RegKind::Flags) {
        return flags_poison(reg.arch);
    }
    (0xa5a5_a5a5_0000_0000 | ((seed & 0xffff) << 16) | reg.index as u64) & reg.mask()
}

/// A flags value with a mix of condition bits set (and, on x86, the always-one bit 1).
pub const fn flags_poison(arch: Arch) -> u64 {
    match arch {
        Arch::Aarch64 | Arch::Arm => 0x9000_0000, // N and V
        Arch::X86_64 | Arch::X86 => 0x893,        // CF, bit 1, AF, SF, OF
        Arch::S390x => 2,                         // condition code 2
        Arch::Ppc64 => 0x2468_1357,
        Arch::Riscv64 => 0,
    }
}

/// The flags bits a conformance check compares: the condition bits, not mode or system bits the
/// guest cannot observe or set.
pub const fn flags_check_mask(arch: Arch) -> u64 {
    match arch {
        Arch::Aarch64 | Arch::Arm => 0xf000_0000,
        Arch::X86_64 | Arch::X86 => 0x8d5,
        Arch::S390x => 3,
        Arch::Ppc64 => 0xffff_ffff,
        Arch::Riscv64 => 0,
    }
}

impl Abi {
    /// The register file a probe loads for `call` with `args`: the call number and arguments in
    /// their registers, poison everywhere else it can write. Arguments beyond `args.len()` are 0.
    pub fn probe_input(&self, call: &Call, args: &[u64], seed: u64) -> RegisterFile {
        let mut file = RegisterFile::new(self.arch);
        for reg in self.arch.regs() {
            let value = match self.input_of(call, reg) {
                Input::Number(i) => call.number.get(i).copied().unwrap_or(0),
                Input::Arg(i) => args.get(i).copied().unwrap_or(0),
                Input::Poison => poison(reg, seed),
                Input::Fixed => 0,
            };
            file.set(reg, value);
        }
        file
    }
}
