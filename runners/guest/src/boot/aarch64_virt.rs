//! QEMU `virt` (aarch64) at EL1, as QEMU starts an ELF `-kernel`: PL011 console at 0x09000000,
//! PSCI through `hvc` for power-off. Facts: ../shared/reference/targets.md (QEMU 7.2 table).

use core::arch::global_asm;

pub const ARCH_ID: u8 = 0; // abi_spec::Arch::Aarch64
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
// the raising instruction (ELR already points there for SVC/HVC/SMC exceptions, EC 0x11-0x17),
// restores every register; NZCV comes back from SPSR.
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
    add x3, x3, #4
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
        core::arch::asm!("hvc #0", in("x0") 0x8400_0008u64, options(noreturn));
    }
}
