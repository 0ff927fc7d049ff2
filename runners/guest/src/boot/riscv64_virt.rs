//! QEMU `virt` (riscv64) in S-mode under the bundled OpenSBI (fw_dynamic), which jumps to the
//! lowest address of the ELF `-kernel` (0x80200000), not its entry. Console: the NS16550 UART at
//! 0x10000000 written directly (an SBI putchar would trap to M-mode per byte); power-off: SBI SRST.
//! Facts: docs/targets.md (QEMU firmware services).
//!
//! With the `kvm` feature, the same image as a KVM guest (VS-mode) under hyperabi's VMM, which
//! lays the VM out like `virt` and enters the ELF's entry with a0 = hart 0: only the console
//! differs, one doorbell store per frame (`abi_spec::frame::doorbell`).

use core::arch::global_asm;

pub const ARCH_ID: u8 = 4; // abi_spec::Arch::Riscv64
pub const PLAN_ADDR: usize = 0x8400_0000;
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
const UART: *mut u8 = 0x1000_0000 as *mut u8;

global_asm!(
    r#"
.section .text.boot, "ax"
.global _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, hyperabi_trap_save
    csrw sscratch, t0
    la t0, hyperabi_trap
    csrw stvec, t0
    // Rust uses the FPU (lp64d): sstatus.FS = Initial.
    li t0, (1 << 13)
    csrs sstatus, t0
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call hyperabi_main
3:  wfi
    j 3b

// sscratch holds the save area while S-mode code runs. Records class = scause, code = stval,
// address = sepc; resumes after the raising instruction (2 or 4 bytes) unless an interrupt.
.text
.balign 4
hyperabi_trap:
    csrrw sp, sscratch, sp
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    csrr t0, sscratch
    sd t0, 16(sp)
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    csrr a0, scause
    csrr a1, stval
    csrr a2, sepc
    la t1, HYPERABI_EXC
    ld t2, 40(t1)
    bnez t2, 1f
    ld sp, 16(sp)
    call hyperabi_unexpected
1:  ld t2, 0(t1)
    addi t2, t2, 1
    sd t2, 0(t1)
    sd a0, 8(t1)
    sd a1, 16(t1)
    sd a2, 24(t1)
    sd zero, 32(t1)
    bltz a0, 3f
    lhu t3, 0(a2)
    andi t3, t3, 3
    li t4, 3
    addi a2, a2, 2
    bne t3, t4, 2f
    addi a2, a2, 2
2:  csrw sepc, a2
3:  csrw sscratch, sp
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    ld x5, 40(sp)
    ld x6, 48(sp)
    ld x7, 56(sp)
    ld x8, 64(sp)
    ld x9, 72(sp)
    ld x10, 80(sp)
    ld x11, 88(sp)
    ld x12, 96(sp)
    ld x13, 104(sp)
    ld x14, 112(sp)
    ld x15, 120(sp)
    ld x16, 128(sp)
    ld x17, 136(sp)
    ld x18, 144(sp)
    ld x19, 152(sp)
    ld x20, 160(sp)
    ld x21, 168(sp)
    ld x22, 176(sp)
    ld x23, 184(sp)
    ld x24, 192(sp)
    ld x25, 200(sp)
    ld x26, 208(sp)
    ld x27, 216(sp)
    ld x28, 224(sp)
    ld x29, 232(sp)
    ld x30, 240(sp)
    ld x31, 248(sp)
    ld sp, 16(sp)
    sret

.bss
.balign 16
hyperabi_trap_save:
    .space 256
"#
);

pub fn init() {}

/// The NS16550 transmit register; QEMU's UART is always ready.
#[cfg(not(feature = "kvm"))]
pub fn write(bytes: &[u8]) {
    for &b in bytes {
        unsafe { UART.write_volatile(b) };
    }
}

#[cfg(not(feature = "kvm"))]
pub fn flush() {}

#[cfg(feature = "kvm")]
pub use super::doorbell::{flush, write};

/// An illegal instruction (`unimp`) outside any probe.
pub fn fault() -> ! {
    unsafe { core::arch::asm!("unimp", options(noreturn)) }
}

/// SBI SRST (EID 0x53525354) system_reset(shutdown, no reason): QEMU exits.
pub fn poweroff() -> ! {
    unsafe {
        core::arch::asm!("ecall", in("a7") 0x5352_5354u64, in("a6") 0u64, in("a0") 0u64, in("a1") 0u64, options(noreturn));
    }
}
