//! The AArch64 EL1 exception vectors every aarch64 boot environment installs (QEMU virt and the
//! Xen dom0): any exception is recorded in `HYPERABI_EXC` and the interrupted code resumes after
//! the instruction that raised it while armed; otherwise `hyperabi_unexpected` reports it.

core::arch::global_asm!(
    r#"
// 16 vectors of 0x80 bytes; each saves x0/x1, puts its index in x0 and joins the common path.
.macro vec idx
    .balign 0x80
    sub sp, sp, #256
    stp x0, x1, [sp]
    mov x0, #\idx
    b hyperabi_vec_common
.endm
.text
.balign 2048
.global hyperabi_vectors
hyperabi_vectors:
    vec 0
    vec 1
    vec 2
    vec 3
    vec 4
    vec 5
    vec 6
    vec 7
    vec 8
    vec 9
    vec 10
    vec 11
    vec 12
    vec 13
    vec 14
    vec 15

// Saves x2-x30, records (class = ESR.EC, code = ESR, address = ELR, extra = FAR), resumes after
// the raising instruction: ELR already points there for SVC/HVC/SMC exceptions (EC 0x11-0x17)
// and for the UNDEF Xen injects for an `hvc` with a foreign immediate (EC 0 with an `hvc` just
// before ELR; on bare QEMU the instruction before an UNDEF is never an `hvc`, so the rule holds
// there too); otherwise ELR + 4. Restores every register; NZCV comes back from SPSR.
hyperabi_vec_common:
    stp x2, x3, [sp, #16]
    stp x4, x5, [sp, #32]
    stp x6, x7, [sp, #48]
    stp x8, x9, [sp, #64]
    stp x10, x11, [sp, #80]
    stp x12, x13, [sp, #96]
    stp x14, x15, [sp, #112]
    stp x16, x17, [sp, #128]
    stp x18, x19, [sp, #144]
    stp x20, x21, [sp, #160]
    stp x22, x23, [sp, #176]
    stp x24, x25, [sp, #192]
    stp x26, x27, [sp, #208]
    stp x28, x29, [sp, #224]
    str x30, [sp, #240]
    mrs x1, esr_el1
    lsr x2, x1, #26
    mrs x3, elr_el1
    mrs x4, far_el1
    // x0 = vector index: only synchronous ones (index % 4 == 0) have a meaningful ESR.
    and x5, x0, #3
    cbz x5, 1f
    mov x2, #0x100
    add x2, x2, x0
1:  adrp x6, HYPERABI_EXC
    add x6, x6, :lo12:HYPERABI_EXC
    ldr x7, [x6, #40]
    cbnz x7, 2f
    mov x0, x2
    mov x2, x3
    bl hyperabi_unexpected
2:  ldr x7, [x6]
    add x7, x7, #1
    stp x7, x2, [x6]
    stp x1, x3, [x6, #16]
    str x4, [x6, #32]
    cbnz x5, 4f
    sub x7, x2, #0x11
    cmp x7, #6
    b.ls 4f
    cbnz x2, 3f
    // EC 0: an UNDEF Xen injected for an hvc leaves ELR after the hvc (mask 0xffe0001f,
    // value 0xd4000002).
    ldr w7, [x3, #-4]
    mov w8, #0x001f
    movk w8, #0xffe0, lsl #16
    and w7, w7, w8
    mov w8, #0x0002
    movk w8, #0xd400, lsl #16
    cmp w7, w8
    b.eq 4f
3:  add x3, x3, #4
    msr elr_el1, x3
4:  ldp x0, x1, [sp]
    ldp x2, x3, [sp, #16]
    ldp x4, x5, [sp, #32]
    ldp x6, x7, [sp, #48]
    ldp x8, x9, [sp, #64]
    ldp x10, x11, [sp, #80]
    ldp x12, x13, [sp, #96]
    ldp x14, x15, [sp, #112]
    ldp x16, x17, [sp, #128]
    ldp x18, x19, [sp, #144]
    ldp x20, x21, [sp, #160]
    ldp x22, x23, [sp, #176]
    ldp x24, x25, [sp, #192]
    ldp x26, x27, [sp, #208]
    ldp x28, x29, [sp, #224]
    ldr x30, [sp, #240]
    add sp, sp, #256
    eret
"#
);
