//! QEMU `virt` (arm, cortex-a15) in SVC mode, as QEMU starts an ELF `-kernel`: PL011 console at
//! 0x09000000, PSCI through `hvc #0` (r0 only) for power-off. The target is soft-float, so no VFP
//! set-up. Facts: docs/targets.md (QEMU firmware services).

use core::arch::global_asm;

pub const ARCH_ID: u8 = 1; // abi_spec::Arch::Arm
pub const PLAN_ADDR: usize = 0x4400_0000;
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
const UART: *mut u32 = 0x0900_0000 as *mut u32;

global_asm!(
    r#"
.syntax unified
.arm
.arch_extension virt
.arch_extension sec
.section .text.boot, "ax"
.global _start
_start:
    ldr r0, =hyperabi_vectors
    mcr p15, 0, r0, c12, c0, 0      @ VBAR
    cps #0x1b                       @ UND
    ldr sp, =__stack_und
    cps #0x17                       @ ABT
    ldr sp, =__stack_abt
    cps #0x13                       @ SVC
    ldr sp, =__stack_top
    isb
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
1:  cmp r0, r1
    strlo r2, [r0], #4
    blo 1b
    bl hyperabi_main
2:  wfe
    b 2b
"#
);

pub fn init() {}

/// PL011 data register; QEMU's PL011 never fills its FIFO, so no status polling.
pub fn write(bytes: &[u8]) {
    for &b in bytes {
        unsafe { UART.write_volatile(b as u32) };
    }
}

pub fn flush() {}

/// An undefined instruction (`udf #0`) outside any probe.
pub fn fault() -> ! {
    unsafe { core::arch::asm!("udf #0", options(noreturn)) }
}

/// PSCI SYSTEM_OFF (0x84000008) through hvc: QEMU exits.
pub fn poweroff() -> ! {
    unsafe {
        core::arch::asm!(".arch_extension virt", "hvc #0", in("r0") 0x8400_0008u32, options(noreturn));
    }
}
