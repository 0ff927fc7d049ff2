//! Xen dom0 on arm64. The image is a Linux arm64 `Image` (64-byte header; Linux
//! Documentation/arch/arm64/booting.rst) that Xen starts at EL1 with the MMU off and x0 = the
//! device tree. Dom0's memory is mapped 1:1 (guest-physical = host-physical), so the addresses
//! the code sees are the ones hypercalls take. Xen loads the image at the start of dom0's first
//! bank, which is not known when linking: the image is linked position-independent at 0 and the
//! entry code applies its own `R_AARCH64_RELATIVE` relocations. With the MMU off all data
//! accesses are Device accesses and must be aligned (the target has `+strict-align`).
//!
//! - Hypercalls: `hvc #0xEA1`, number in x16, arguments x0-x4 (xen/include/public/arch-arm.h).
//! - Console: `console_io(CONSOLEIO_write)`; [`write`] buffers and [`flush`] issues one call per
//!   buffer (Xen writes the hardware domain's bytes to the serial port unprefixed, turning `\n`
//!   into `\r\n`, which the host undoes).
//! - The plan: the initrd (a second guest-loader module), found through the device tree's
//!   `/chosen` `linux,initrd-start` (Xen's `make_chosen_node` writes it as a 64-bit cell pair).
//! - Exceptions: Xen injects them through our VBAR_EL1 like the hardware would; an `hvc` with an
//!   immediate other than 0xEA1 gets an UNDEF (ESR.EC 0) whose ELR already points after the
//!   `hvc` (xen/arch/arm/traps.c: do_trap_hvc64 -> inject_undef64_exception, elr_el1 = pc). The
//!   vectors resume there without adding 4.
//! - Shutdown: `sched_op(SCHEDOP_shutdown, {SHUTDOWN_poweroff})`; Xen powers the machine off
//!   through PSCI and QEMU exits.

use core::arch::global_asm;

use super::fdt;
use core::ptr::{addr_of, addr_of_mut};

pub const ARCH_ID: u8 = 0; // abi_spec::Arch::Aarch64
/// No hypercall page.
pub fn hypercall_page() -> usize {
    0
}

const HC_CONSOLE_IO: u64 = 18;
const HC_SCHED_OP: u64 = 29;
const SCHEDOP_SHUTDOWN: u64 = 2;
const SHUTDOWN_POWEROFF: u32 = 0;
const SHUTDOWN_CRASH: u32 = 3;

global_asm!(
    r#"
.section .text.boot, "ax"
.global _start
_start:
    // The Image header (booting.rst): code0/code1, text_offset, image_size, flags, res2-4,
    // magic "ARM\x64", res5. flags 0xa: little-endian, 4K pages, anywhere in RAM.
    b hyperabi_xen_entry
    .long 0
    .quad 0
    .quad __image_end - _start
    .quad 0xa
    .quad 0, 0, 0
    .ascii "ARM\x64"
    .long 0

hyperabi_xen_entry:
    mov x19, x0
    // Apply the relocations: every R_AARCH64_RELATIVE (1027) slot gets base + addend.
    adr x9, _start
    adrp x10, __rela_start
    add x10, x10, :lo12:__rela_start
    adrp x11, __rela_end
    add x11, x11, :lo12:__rela_end
1:  cmp x10, x11
    b.hs 2f
    ldp x12, x13, [x10]
    ldr x14, [x10, #16]
    add x10, x10, #24
    cmp x13, #1027
    b.ne 1b
    add x14, x14, x9
    str x14, [x9, x12]
    b 1b
2:  // Rust emits FP/SIMD: CPACR_EL1.FPEN = 0b11 before any Rust code.
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
3:  cmp x0, x1
    b.hs 4f
    str xzr, [x0], #8
    b 3b
4:  adrp x0, HYPERABI_FDT
    add x0, x0, :lo12:HYPERABI_FDT
    str x19, [x0]
    bl hyperabi_main
5:  wfe
    b 5b

"#
);

/// The device tree Xen handed over in x0.
#[no_mangle]
static mut HYPERABI_FDT: u64 = 0;

/// Where the initrd (the plan) is, from the device tree; 0 when there is none.
static mut PLAN: usize = 0;

pub fn init() {
    let fdt = unsafe { HYPERABI_FDT } as *const u8;
    if let Some(start) = fdt::prop(fdt, b"chosen", b"linux,initrd-start") {
        unsafe { PLAN = start as usize };
    }
    if let Some(end) = fdt::prop(fdt, b"chosen", b"linux,initrd-end") {
        unsafe { INITRD_END = end as usize };
    }
    // Xen writes dom0's /memory node with #address-cells = #size-cells = 2 (one bank here).
    if let (Some(base), Some(size)) = (
        fdt::prop(fdt, b"memory", b"reg"),
        fdt::prop_at(fdt, b"memory", b"reg", 8),
    ) {
        unsafe { BANK_END = (base + size) as usize };
    }
}

/// The plan's address: the initrd's start (0, which holds no plan header, without one).
pub fn plan_addr() -> usize {
    unsafe { PLAN }
}

/// The end of dom0's first memory bank and of the initrd (from the device tree).
static mut BANK_END: usize = 0;
static mut INITRD_END: usize = 0;

/// `len` bytes (page-aligned start) ending where dom0's first bank ends: beyond it there is no
/// guest memory, so Xen's copy to or from guest memory fails there (-EFAULT). `None` when the
/// device tree does not say where the bank ends or the initrd reaches into that space.
pub fn scratch_at_end(len: usize) -> Option<usize> {
    let (end, initrd_end) = unsafe { (BANK_END, INITRD_END) };
    let start = end.checked_sub(len)? & !0xfff;
    (end != 0 && start >= initrd_end).then_some(start)
}

fn hypercall(nr: u64, a0: u64, a1: u64, a2: u64) -> u64 {
    let ret: u64;
    unsafe {
        core::arch::asm!(
            "hvc #0xEA1",
            inlateout("x0") a0 => ret,
            inlateout("x1") a1 => _,
            inlateout("x2") a2 => _,
            inlateout("x16") nr => _,
            options(nostack),
        );
    }
    ret
}

const BUF_LEN: usize = 4096;
#[repr(C, align(16))]
struct Buf([u8; BUF_LEN]);
static mut BUF: Buf = Buf([0; BUF_LEN]);
static mut FILL: usize = 0;

/// Buffers console output; a full buffer is written with one `console_io` call.
pub fn write(bytes: &[u8]) {
    for &b in bytes {
        unsafe {
            if FILL == BUF_LEN {
                flush();
            }
            (*addr_of_mut!(BUF)).0[FILL] = b;
            FILL += 1;
        }
    }
}

/// `console_io(CONSOLEIO_write, n, buf)` until everything buffered is out (it returns how many
/// bytes it took, or a negative errno: then the rest is dropped, there is no other console).
pub fn flush() {
    unsafe {
        let base = addr_of!(BUF) as u64;
        let mut done = 0usize;
        while done < FILL {
            let r = hypercall(HC_CONSOLE_IO, 0, (FILL - done) as u64, base + done as u64) as i64;
            if r <= 0 {
                break;
            }
            done += r as usize;
        }
        FILL = 0;
    }
}

/// An undefined instruction (`udf #0`) outside any probe.
pub fn fault() -> ! {
    unsafe { core::arch::asm!("udf #0", options(noreturn)) }
}

/// `sched_op(SCHEDOP_shutdown, {SHUTDOWN_poweroff})`: Xen powers off, QEMU exits.
pub fn poweroff() -> ! {
    shutdown(SHUTDOWN_POWEROFF)
}

/// `sched_op(SCHEDOP_shutdown, {SHUTDOWN_crash})`: Xen reports that dom0 crashed.
pub fn crash() -> ! {
    shutdown(SHUTDOWN_CRASH)
}

fn shutdown(reason: u32) -> ! {
    flush();
    #[repr(C, align(8))]
    struct Shutdown(u32);
    let reason = Shutdown(reason);
    loop {
        hypercall(HC_SCHED_OP, SCHEDOP_SHUTDOWN, addr_of!(reason) as u64, 0);
    }
}
