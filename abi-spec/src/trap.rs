//! The instruction (or hypercall-page entry) that transfers control to the hypervisor.

use crate::arch::Arch;

/// How a guest enters the hypervisor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trap {
    /// `hvc #imm` (Arm); the immediate travels in the ESR ISS and can select the service.
    Hvc(u16),
    /// `smc #imm` (Arm).
    Smc(u16),
    /// Intel VT-x `vmcall`.
    Vmcall,
    /// AMD-V `vmmcall`.
    Vmmcall,
    /// `syscall` (Xen 64-bit PV guests trap to Xen this way).
    Syscall,
    /// `int $imm` (Xen 32-bit PV: `int $0x82`).
    Int(u8),
    /// `call page + nr * stride` into a hypervisor-written hypercall page (Xen x86); the stubs use
    /// the stack, so callers must not claim `nostack`.
    HypercallPage {
        /// Bytes per entry (32 on Xen).
        stride: u16,
    },
    /// s390 `diag r1,r3,imm`; the function code is the low 16 bits of the second-operand address.
    Diag(u16),
    /// Power `sc lev` (1 = hypervisor call).
    Sc(u8),
    /// RISC-V `ecall`.
    Ecall,
}

impl Trap {
    /// The DSL keyword of this trap.
    pub const fn keyword(&self) -> &'static str {
        match self {
            Trap::Hvc(_) => "hvc",
            Trap::Smc(_) => "smc",
            Trap::Vmcall => "vmcall",
            Trap::Vmmcall => "vmmcall",
            Trap::Syscall => "syscall",
            Trap::Int(_) => "int",
            Trap::HypercallPage { .. } => "page",
            Trap::Diag(_) => "diag",
            Trap::Sc(_) => "sc",
            Trap::Ecall => "ecall",
        }
    }

    /// The arches on which the trap exists.
    pub const fn arches(&self) -> &'static [Arch] {
        match self {
            Trap::Hvc(_) | Trap::Smc(_) => &[Arch::Aarch64, Arch::Arm],
            Trap::Vmcall | Trap::Vmmcall | Trap::Int(_) | Trap::HypercallPage { .. } => {
                &[Arch::X86_64, Arch::X86]
            }
            Trap::Syscall => &[Arch::X86_64],
            Trap::Diag(_) => &[Arch::S390x],
            Trap::Sc(_) => &[Arch::Ppc64],
            Trap::Ecall => &[Arch::Riscv64],
        }
    }

    /// Whether this trap exists on `arch`.
    pub fn valid_for(&self, arch: Arch) -> bool {
        self.arches().contains(&arch)
    }

    /// The largest immediate the encoding can carry, for traps that take one.
    pub const fn max_immediate(keyword: &str) -> Option<u64> {
        match keyword.as_bytes() {
            b"hvc" | b"smc" => Some(0xffff),
            b"int" => Some(0xff),
            // The DIAGNOSE code is a 12-bit displacement with no base register.
            b"diag" => Some(0xfff),
            // LEV is a 7-bit field.
            b"sc" => Some(0x7f),
            b"page" => Some(0x1000),
            _ => None,
        }
    }

    /// The instruction's immediate, if it has one.
    pub const fn immediate(&self) -> Option<u64> {
        match *self {
            Trap::Hvc(i) | Trap::Smc(i) | Trap::Diag(i) => Some(i as u64),
            Trap::Int(i) | Trap::Sc(i) => Some(i as u64),
            Trap::HypercallPage { stride } => Some(stride as u64),
            _ => None,
        }
    }
}

impl core::fmt::Display for Trap {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Trap::Hvc(i) => write!(f, "hvc #{i:#x}"),
            Trap::Smc(i) => write!(f, "smc #{i:#x}"),
            Trap::Vmcall => f.write_str("vmcall"),
            Trap::Vmmcall => f.write_str("vmmcall"),
            Trap::Syscall => f.write_str("syscall"),
            Trap::Int(i) => write!(f, "int ${i:#x}"),
            Trap::HypercallPage { stride } => write!(f, "call hypercall_page + nr*{stride}"),
            Trap::Diag(i) => write!(f, "diag {i:#x}"),
            Trap::Sc(l) => write!(f, "sc {l}"),
            Trap::Ecall => f.write_str("ecall"),
        }
    }
}
