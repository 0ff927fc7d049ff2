//! The VMM's doorbell console (the KVM boot environments): bytes gather in a buffer; [`flush`]
//! (the end of every frame) stores the buffer's address and length at the doorbell, one exit
//! instead of one per byte (`abi_spec::frame::doorbell`).

use abi_spec::frame::doorbell::{encode, MAX_LEN};

#[cfg(target_arch = "aarch64")]
const DOORBELL: u64 = abi_spec::frame::doorbell::AARCH64;
#[cfg(target_arch = "riscv64")]
const DOORBELL: u64 = abi_spec::frame::doorbell::RISCV64;
#[cfg(target_arch = "x86_64")]
const DOORBELL: u64 = abi_spec::frame::doorbell::X86_64;

const LEN: usize = 16 * 1024;
const _: () = assert!(LEN <= MAX_LEN);
static mut BUF: [u8; LEN] = [0; LEN];
static mut USED: usize = 0;

pub fn write(bytes: &[u8]) {
    for &b in bytes {
        if unsafe { USED } == LEN {
            flush();
        }
        unsafe {
            let buf = &raw mut BUF;
            (*buf)[USED] = b;
            USED += 1;
        }
    }
}

pub fn flush() {
    let used = unsafe { USED };
    if used == 0 {
        return;
    }
    let addr = (&raw const BUF) as u64;
    // The buffer is written before the doorbell store. aarch64: both Device memory with the MMU
    // off, so in order, and the barrier keeps it so with the MMU on; riscv64: device output
    // after memory writes; x86 keeps stores in program order.
    unsafe {
        #[cfg(target_arch = "aarch64")]
        core::arch::asm!("dsb sy");
        #[cfg(target_arch = "riscv64")]
        core::arch::asm!("fence w, o");
        (DOORBELL as *mut u64).write_volatile(encode(addr, used));
        USED = 0;
    }
}
