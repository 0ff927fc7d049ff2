//! The exception record the vectors of every boot environment fill in.
//!
//! While `ARMED` is non-zero an exception is recorded here and the interrupted code resumes after
//! the instruction that raised it (with every register as it was); otherwise the vectors call
//! `hyperabi_unexpected`. Layout (used by the asm): `[count, class, code, address, extra, armed]`.

use core::ptr::{addr_of, addr_of_mut};

#[no_mangle]
pub static mut HYPERABI_EXC: [u64; 6] = [0; 6];

/// One exception as recorded: what the arch calls its class and code, the address it was taken at.
#[derive(Clone, Copy, Default)]
pub struct Exception {
    pub count: u64,
    pub class: u64,
    pub code: u64,
    pub addr: u64,
    pub extra: u64,
}

/// Runs `f` with exceptions recorded, returning what was recorded (count 0: none).
pub fn armed<R>(f: impl FnOnce() -> R) -> (R, Exception) {
    unsafe {
        let p = addr_of_mut!(HYPERABI_EXC) as *mut u64;
        for i in 0..5 {
            p.add(i).write_volatile(0);
        }
        p.add(5).write_volatile(1);
        core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
        let r = f();
        core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
        p.add(5).write_volatile(0);
        let q = addr_of!(HYPERABI_EXC) as *const u64;
        let e = Exception {
            count: q.read_volatile(),
            class: q.add(1).read_volatile(),
            code: q.add(2).read_volatile(),
            addr: q.add(3).read_volatile(),
            extra: q.add(4).read_volatile(),
        };
        (r, e)
    }
}
