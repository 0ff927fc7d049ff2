//! The harness inside a Linux kernel module at EL1 (`runners/module/glue.c`): the Linux HYP
//! stub targets, where only kernel code can reach the stub Linux leaves at EL2 (HYP mode on
//! 32-bit arm, where the module runs in SVC mode). The harness is linked into one relocatable
//! object (`cargo xtask guests --arch aarch64-linux-module,arm-linux-module`) that the module
//! links in; the module's C side owns everything Linux-specific:
//!
//! - `hyperabi_module_plan()`: the plan blob (`HYPLAN01` header first) `/init` wrote into
//!   `/proc/hyperabi`;
//! - `hyperabi_module_write(bytes, len)`: the frames, buffered by the module until `/init` reads
//!   them back from `/proc/hyperabi` and copies them to the console;
//! - `hyperabi_module_abort(message, len)`: a kernel panic (a harness panic or a `fault`).
//!
//! No vectors: an exception in a probe is the kernel's (an oops, the runner sees no end frame).
//! Interrupts are masked around every case ([`in_mode`]): the probe loads the case's x29/x30
//! and the whole register file, which the kernel's interrupt entry must never see.

#[cfg(target_arch = "aarch64")]
pub const ARCH_ID: u8 = 0; // abi_spec::Arch::Aarch64
#[cfg(target_arch = "arm")]
pub const ARCH_ID: u8 = 1; // abi_spec::Arch::Arm

extern "C" {
    fn hyperabi_module_plan() -> *const u8;
    fn hyperabi_module_write(bytes: *const u8, len: usize);
    fn hyperabi_module_abort(message: *const u8, len: usize) -> !;
}

/// No hypercall page.
pub fn hypercall_page() -> usize {
    0
}

/// The module's copy of the plan blob (null when `/init` wrote none).
pub fn plan_addr() -> usize {
    unsafe { hyperabi_module_plan() as usize }
}

/// The scratch is a static buffer (module memory).
pub fn scratch_at_end(_len: usize) -> Option<usize> {
    None
}

pub fn init() {}

pub fn write(bytes: &[u8]) {
    unsafe { hyperabi_module_write(bytes.as_ptr(), bytes.len()) }
}

pub fn flush() {}

fn abort(message: &str) -> ! {
    unsafe { hyperabi_module_abort(message.as_ptr(), message.len()) }
}

/// The runner's "fault" control word: nothing outside a probe may raise an exception in a
/// kernel, so the module panics the kernel instead (what the runner must then report).
pub fn fault() -> ! {
    abort("hyperabi: fault requested by the plan")
}

/// Only reached when the harness stops outside `hyperabi_module_run` (a panic, an exception
/// report): the kernel panics and QEMU, run with `-no-reboot` and `panic=-1`, exits.
pub fn poweroff() -> ! {
    abort("hyperabi: the harness stopped")
}

/// Runs `f` with IRQs, FIQs, SErrors and debug exceptions masked (DAIF), restoring them after.
#[cfg(target_arch = "aarch64")]
pub fn in_mode<R>(_abi: &str, f: impl FnOnce() -> R) -> R {
    let daif: u64;
    unsafe {
        core::arch::asm!("mrs {0}, daif", "msr daifset, #0xf", out(reg) daif, options(nostack));
    }
    let r = f();
    unsafe { core::arch::asm!("msr daif, {0}", in(reg) daif, options(nostack)) };
    r
}

/// Runs `f` with IRQs, FIQs and asynchronous aborts masked (CPSR.A, I, F), restoring CPSR's
/// control bits after.
#[cfg(target_arch = "arm")]
pub fn in_mode<R>(_abi: &str, f: impl FnOnce() -> R) -> R {
    let cpsr: u32;
    unsafe { core::arch::asm!("mrs {0}, cpsr", "cpsid aif", out(reg) cpsr, options(nostack)) };
    let r = f();
    unsafe { core::arch::asm!("msr cpsr_c, {0}", in(reg) cpsr, options(nostack)) };
    r
}

/// No other arch's ABIs run here.
pub fn compat_guest(_id: &str) -> Option<abi_spec::GuestAbi> {
    None
}

// The module's entry into the harness. A bin crate exports nothing its own code does not
// reach, so LTO would drop `hyperabi_module_run`; a reference from assembly keeps it (as
// `_start` keeps `hyperabi_main` in the other environments).
core::arch::global_asm!(
    r#"
.section .text.hyperabi_module_entry, "ax"
.balign 4
.global hyperabi_module_entry
.type hyperabi_module_entry, %function
hyperabi_module_entry:
    b hyperabi_module_run
.size hyperabi_module_entry, . - hyperabi_module_entry
"#
);
