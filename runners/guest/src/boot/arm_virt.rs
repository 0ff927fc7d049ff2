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

.text
.balign 32
hyperabi_vectors:
    b .                 @ reset
    b hyperabi_und
    b hyperabi_svc
    b hyperabi_pabt
    b hyperabi_dabt
    b .
    b .                 @ irq (masked)
    b .                 @ fiq (masked)

@ Each handler saves r0-r12 and lr on its mode's stack and joins hyperabi_exc_common with
@ r0 = class (vector index), r1 = code, r2 = address of the raising instruction, r3 = resume
@ address, r4 = extra. movs pc, lr restores CPSR (flags included) from SPSR.
hyperabi_und:
    push {{r0-r12, lr}}
    mov r0, #1
    mrs r5, spsr
    tst r5, #0x20                   @ Thumb: lr = insn + 2
    subne r2, lr, #2
    subeq r2, lr, #4
    ldrne r1, [r2]
    ldreq r1, [r2]
    mov r3, lr
    mov r4, #0
    b hyperabi_exc_common
hyperabi_svc:
    push {{r0-r12, lr}}
    mov r0, #2
    mov r1, #0
    sub r2, lr, #4
    mov r3, lr
    mov r4, #0
    b hyperabi_exc_common
hyperabi_pabt:
    push {{r0-r12, lr}}
    mov r0, #3
    mrc p15, 0, r1, c5, c0, 1       @ IFSR
    sub r2, lr, #4
    mov r3, lr
    mrc p15, 0, r4, c6, c0, 2       @ IFAR
    b hyperabi_exc_common
hyperabi_dabt:
    push {{r0-r12, lr}}
    mov r0, #4
    mrc p15, 0, r1, c5, c0, 0       @ DFSR
    sub r2, lr, #8
    sub r3, lr, #4
    mrc p15, 0, r4, c6, c0, 0       @ DFAR
    b hyperabi_exc_common

hyperabi_exc_common:
    ldr r5, =HYPERABI_EXC
    ldr r6, [r5, #40]
    cmp r6, #0
    bne 1f
    @ hyperabi_unexpected(class: u64, code: u64, addr: u64): r0:r1, r2:r3, stack.
    mov r7, r2
    mov r8, #0
    push {{r7, r8}}
    mov r2, r1
    mov r3, #0
    mov r1, #0
    bl hyperabi_unexpected
1:  ldr r6, [r5]
    add r6, r6, #1
    str r6, [r5]
    mov r6, #0
    str r0, [r5, #8]
    str r6, [r5, #12]
    str r1, [r5, #16]
    str r6, [r5, #20]
    str r2, [r5, #24]
    str r6, [r5, #28]
    str r4, [r5, #32]
    str r6, [r5, #36]
    mov lr, r3
    ldmia sp!, {{r0-r12}}
    add sp, sp, #4
    movs pc, lr
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
