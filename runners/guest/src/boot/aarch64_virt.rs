//! QEMU `virt` (aarch64) at EL1, as QEMU starts an ELF `-kernel`: PL011 console at 0x09000000,
//! PSCI through `hvc` for power-off. Facts: docs/targets.md (QEMU firmware services).
//!
//! With the `tfa` feature, the same machine with Trusted Firmware-A at EL3 (`virt,secure=on,
//! virtualization=on`): QEMU's `-device loader` places the image, TF-A's BL33 trampoline
//! (`runners/guest/tfa/bl33.S`) drops from EL2 to EL1h at its entry. Only addresses and the PSCI
//! conduit differ: firmware puts the DTB at the start of RAM, so the image is linked at
//! 0x50000000 (`link/aarch64-tfa.ld`), and power-off goes to BL31 with `smc` (an `hvc` reaches
//! no hypervisor there).
//!
//! With the `kvm` feature, the same image as a KVM guest under hyperabi's VMM (`runners/vmm`),
//! which lays the VM out like `virt`: only the console differs, a buffer handed to the VMM with
//! one doorbell store per frame (`abi_spec::frame::doorbell`) instead of one exit per byte.

use core::arch::global_asm;

pub const ARCH_ID: u8 = 0; // abi_spec::Arch::Aarch64
#[cfg(not(feature = "tfa"))]
pub const PLAN_ADDR: usize = 0x4400_0000;
/// 64 MiB above the image, as on bare virt; below TF-A's BL33 at 0x60000000.
#[cfg(feature = "tfa")]
pub const PLAN_ADDR: usize = 0x5400_0000;
/// No hypercall page.
pub fn hypercall_page() -> usize {
    0
}

pub fn plan_addr() -> usize {
    PLAN_ADDR
}

/// The scratch is a static buffer here.
pub fn scratch_at_end(_len: usize) -> Option<usize> {
    None
}
#[cfg(not(feature = "kvm"))]
const UART: *mut u32 = 0x0900_0000 as *mut u32;

global_asm!(
    r#"
.section .text.boot, "ax"
.global _start
_start:
    // Rust emits FP/SIMD: CPACR_EL1.FPEN = 0b11 before any Rust code.
    mov x0, #(3 << 20)
    msr cpacr_el1, x0
    adrp x0, hyperabi_vectors
    add x0, x0, :lo12:hyperabi_vectors
    msr vbar_el1, x0
    isb
    adrp x0, __stack_top
    add x0, x0, :lo12:__stack_top
    mov sp, x0
    adrp x0, __bss_start
    add x0, x0, :lo12:__bss_start
    adrp x1, __bss_end
    add x1, x1, :lo12:__bss_end
1:  cmp x0, x1
    b.hs 2f
    str xzr, [x0], #8
    b 1b
2:  bl hyperabi_main
3:  wfe
    b 3b

"#
);

pub fn init() {}

/// PL011 data register; QEMU's PL011 never fills its FIFO, so no status polling.
#[cfg(not(feature = "kvm"))]
pub fn write(bytes: &[u8]) {
    for &b in bytes {
        unsafe { UART.write_volatile(b as u32) };
    }
}

#[cfg(not(feature = "kvm"))]
pub fn flush() {}

#[cfg(feature = "kvm")]
pub use super::doorbell::{flush, write};

/// An undefined instruction (`udf #0`) outside any probe.
pub fn fault() -> ! {
    unsafe { core::arch::asm!("udf #0", options(noreturn)) }
}

/// PSCI SYSTEM_OFF (0x84000008) through hvc: QEMU exits.
#[cfg(not(feature = "tfa"))]
pub fn poweroff() -> ! {
    unsafe {
        core::arch::asm!("hvc #0", in("x0") 0x8400_0008u64, options(noreturn));
    }
}

/// PSCI SYSTEM_OFF (0x84000008) through smc to TF-A's BL31, which drives QEMU's secure power-off
/// GPIO: QEMU exits.
#[cfg(feature = "tfa")]
pub fn poweroff() -> ! {
    unsafe {
        core::arch::asm!("smc #0", in("x0") 0x8400_0008u64, options(noreturn));
    }
}
