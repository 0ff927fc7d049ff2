//! Xen dom0 on arm64 Xen, as an AArch32 guest. The image is a 32-bit Linux `zImage` (the header
//! of Linux arch/arm/boot/compressed/head.S: magic 0x016f2818 at 0x24, start address at 0x28,
//! end at 0x2c), which Xen recognises (xen/arch/arm/kernel.c, `kernel_zimage32_probe`) and boots
//! as a 32-bit domain when the CPU implements AArch32 at EL1: in SVC mode with the MMU off, r0 =
//! 0, r1 = 0xffffffff, r2 = the device tree (Xen docs/misc/arm/booting.txt; Linux
//! Documentation/arm/booting.rst). With start = 0 the image is position-independent and Xen
//! places it as high as it fits in dom0's first bank below 128 MiB, 2 MiB-aligned
//! (`kernel_zimage_place`), which moves with dom0's memory: the image is linked at 0 and the
//! entry code applies its own `R_ARM_RELATIVE` relocations. Dom0's memory is mapped 1:1.
//!
//! - Hypercalls: `hvc #0xEA1`, number in r12, arguments r0-r4, result r0
//!   (xen/include/public/arch-arm.h).
//! - Console: `console_io(CONSOLEIO_write)`, buffered like the arm64 dom0.
//! - The plan: the initrd (a second guest-loader module), from the device tree's `/chosen`
//!   `linux,initrd-start` (a 64-bit cell pair, as for arm64).
//! - Exceptions: the vectors of `arm_vectors` through VBAR; an `hvc` with a foreign immediate
//!   gets an UNDEF whose LR_und points 8 bytes past the `hvc` (see `arm_vectors`).
//! - Shutdown: `sched_op(SCHEDOP_shutdown, {SHUTDOWN_poweroff})`; Xen powers the machine off and
//!   QEMU exits.

use core::arch::global_asm;
use core::ptr::{addr_of, addr_of_mut};

use super::fdt;

pub const ARCH_ID: u8 = 1; // abi_spec::Arch::Arm
/// No hypercall page.
pub fn hypercall_page() -> usize {
    0
}

const HC_CONSOLE_IO: u32 = 18;
const HC_SCHED_OP: u32 = 29;
const SCHEDOP_SHUTDOWN: u32 = 2;
const SHUTDOWN_POWEROFF: u32 = 0;
const SHUTDOWN_CRASH: u32 = 3;

extern "C" {
    static __image_end: u8;
}

global_asm!(
    r#"
.syntax unified
.arm
.arch_extension virt
.section .text.boot, "ax"
.global _start
_start:
    // The zImage header: eight no-ops, a branch at 0x20, then magic, start (0: position
    // independent) and end (the length Xen copies), and the endianness word.
    .rept 8
    mov r0, r0
    .endr
    b hyperabi_xen_entry
    .word 0x016f2818
    .word 0
    .word __file_end - _start
    .word 0x04030201

hyperabi_xen_entry:
    mov r8, r2
    // Apply the relocations: every R_ARM_RELATIVE (23) slot gets the load address added. The
    // literal-pool words read here still hold link-time values (offsets: linked at 0).
    adr r9, _start
    ldr r10, =__rel_start
    ldr r11, =__rel_end
    add r10, r10, r9
    add r11, r11, r9
1:  cmp r10, r11
    bhs 2f
    ldr r0, [r10]
    ldr r1, [r10, #4]
    add r10, r10, #8
    and r1, r1, #0xff
    cmp r1, #23
    bne 1b
    ldr r2, [r9, r0]
    add r2, r2, r9
    str r2, [r9, r0]
    b 1b
2:  ldr r0, =hyperabi_vectors
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
3:  cmp r0, r1
    strlo r2, [r0], #4
    blo 3b
    ldr r0, =HYPERABI_FDT
    str r8, [r0]
    bl hyperabi_main
4:  wfe
    b 4b
"#
);

/// The device tree Xen handed over in r2.
#[no_mangle]
static mut HYPERABI_FDT: u32 = 0;

/// Where the initrd (the plan) is, from the device tree; 0 when there is none.
static mut PLAN: usize = 0;
/// The end of dom0's first memory bank and of the initrd (from the device tree).
static mut BANK_END: usize = 0;
static mut INITRD_END: usize = 0;

pub fn init() {
    let fdt = unsafe { HYPERABI_FDT } as usize as *const u8;
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

/// `len` bytes (page-aligned start) ending where dom0's first bank ends, so Xen's copies beyond
/// it fail (-EFAULT). Xen places this image near the end of the bank, so the space must also
/// lie past the image's own end (.bss and stacks), and past the initrd.
pub fn scratch_at_end(len: usize) -> Option<usize> {
    let (end, initrd_end) = unsafe { (BANK_END, INITRD_END) };
    let image_end = addr_of!(__image_end) as usize;
    let start = end.checked_sub(len)? & !0xfff;
    (end != 0 && start >= initrd_end && start >= image_end).then_some(start)
}

fn hypercall(nr: u32, a0: u32, a1: u32, a2: u32) -> u32 {
    let ret: u32;
    unsafe {
        core::arch::asm!(
            ".arch_extension virt",
            "hvc #0xEA1",
            inlateout("r0") a0 => ret,
            inlateout("r1") a1 => _,
            inlateout("r2") a2 => _,
            lateout("r3") _,
            inlateout("r12") nr => _,
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

/// `console_io(CONSOLEIO_write, n, buf)` until everything buffered is out.
pub fn flush() {
    unsafe {
        let base = addr_of!(BUF) as u32;
        let mut done = 0usize;
        while done < FILL {
            let r = hypercall(HC_CONSOLE_IO, 0, (FILL - done) as u32, base + done as u32) as i32;
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
        hypercall(HC_SCHED_OP, SCHEDOP_SHUTDOWN, addr_of!(reason) as u32, 0);
    }
}
