//! What the two x86_64 Xen dom0s (PV `xen_x86_64`, PVH `xen_pvh`) do alike through their
//! `hypercall` (the hypercall page; the PVH dom0 raw `vmmcall` before it has one).
//!
//! - Console: `console_io(CONSOLEIO_write)`, buffered; a full buffer or [`flush`] is one call
//!   (xen/include/public/xen.h, `__HYPERVISOR_console_io`).
//! - Shutdown: `sched_op(SCHEDOP_shutdown, {SHUTDOWN_reboot})`: Xen reboots the machine, which
//!   QEMU's `-no-reboot` turns into an exit (Xen halts instead of powering off under QEMU);
//!   `SHUTDOWN_crash` has Xen report that dom0 crashed (public/sched.h).

use core::ptr::{addr_of, addr_of_mut};

use super::hypercall;

const HC_CONSOLE_IO: usize = 18;
const HC_SCHED_OP: usize = 29;
const SCHEDOP_SHUTDOWN: u64 = 2;
const SHUTDOWN_REBOOT: u32 = 1;
const SHUTDOWN_CRASH: u32 = 3;

const BUF_LEN: usize = 4096;
static mut BUF: [u8; BUF_LEN] = [0; BUF_LEN];
static mut FILL: usize = 0;

/// Buffers console output; a full buffer is written with one `console_io` call.
pub fn write(bytes: &[u8]) {
    for &b in bytes {
        unsafe {
            if FILL == BUF_LEN {
                flush();
            }
            (*addr_of_mut!(BUF))[FILL] = b;
            FILL += 1;
        }
    }
}

pub fn flush() {
    unsafe {
        let base = addr_of!(BUF) as u64;
        let mut done = 0usize;
        while done < FILL {
            let r = hypercall(HC_CONSOLE_IO, 0, (FILL - done) as u64, base + done as u64);
            if r <= 0 {
                break;
            }
            done += r as usize;
        }
        FILL = 0;
    }
}

/// `ud2` outside any probe.
pub fn fault() -> ! {
    unsafe { core::arch::asm!("ud2", options(noreturn)) }
}

/// `sched_op(SCHEDOP_shutdown, {SHUTDOWN_reboot})`: with QEMU's `-no-reboot`, QEMU exits.
pub fn poweroff() -> ! {
    shutdown(SHUTDOWN_REBOOT)
}

/// `sched_op(SCHEDOP_shutdown, {SHUTDOWN_crash})`: Xen reports that dom0 crashed.
pub fn crash() -> ! {
    shutdown(SHUTDOWN_CRASH)
}

fn shutdown(reason: u32) -> ! {
    flush();
    loop {
        hypercall(HC_SCHED_OP, SCHEDOP_SHUTDOWN, addr_of!(reason) as u64, 0);
    }
}
