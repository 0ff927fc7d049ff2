//! The exception vectors of the AArch32 (SVC-mode) boot environments, QEMU's `virt` and the Xen
//! dom0: every exception is recorded in `HYPERABI_EXC` and the interrupted code resumes after the
//! raising instruction while armed (see `exc.rs`), otherwise `hyperabi_unexpected` reports it.
//! The entry code points VBAR at `hyperabi_vectors` and gives UND and ABT mode their stacks
//! (`__stack_und`, `__stack_abt`). Literal-pool addresses only: position-independent builds
//! relocate them.

use core::arch::global_asm;

global_asm!(
    r#"
.syntax unified
.arm
.text
.balign 32
.global hyperabi_vectors
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
    bne hyperabi_exc_common
    @ Xen injects the UNDEF for an hvc with a foreign immediate with lr = the hvc + 8
    @ (xen/arch/arm/traps.c inject_undef32_exception: lr_und = pc32 + 4, pc32 already past
    @ the hvc): the raising instruction is at lr - 8 and execution resumes at lr - 4. On bare
    @ QEMU the instruction before an UNDEF is never an hvc (A32 HVC: 0x01400070 under mask
    @ 0x0ff000f0), so the rule holds there too.
    ldr r6, [lr, #-8]
    ldr r7, =0x0ff000f0
    and r6, r6, r7
    ldr r7, =0x01400070
    cmp r6, r7
    subeq r2, lr, #8
    subeq r3, lr, #4
    ldreq r1, [r2]
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
    @ The interrupted code always runs in SVC mode, ARM state, A, I and F masked: return to
    @ that, with the NZCVQ flags SPSR holds. QEMU (7.2, 10.0) does not load the SPSR of the
    @ mode an AArch64 EL2 returns into (target/arm/tcg/helper-a64.c exception_return: a raw
    @ CPSR write, then aarch64_sync_64_to_32, which moves the general registers only), so
    @ after Xen injects an exception SPSR_und/SPSR_abt read stale: the mode may be invalid
    @ (an illegal return) and the flags are not the interrupted code's (registers after an
    @ exception outcome are not judged).
    mrs r6, spsr
    lsr r6, r6, #27
    lsl r6, r6, #27
    orr r6, r6, #0x1c0
    orr r6, r6, #0x13
    msr spsr_cxsf, r6
    mov lr, r3
    ldmia sp!, {{r0-r12}}
    add sp, sp, #4
    movs pc, lr
"#
);
