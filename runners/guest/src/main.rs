//! hyperabi's bare-metal guest harness.
//!
//! One `no_std` image per boot environment (`boot/<env>.rs` + `link/<env>.ld`). The runner places
//! the plan blob at the environment's [`boot::plan_addr`] behind a header ([`plan`]); the guest
//! answers with framed, checksummed results on its console ([`frame`]), then powers the machine
//! off. [`run`] is the body to swap: today the built-in smoke sequence, later the per-case loop.
#![no_std]
#![no_main]

mod boot;
mod cases;
mod exc;
mod frame;
mod plan;
mod smoke;
mod stubs;

use abi_spec::frame::{FrameType, Hello, Unexpected, VERSION};
use frame::Writer;

/// Called by every boot environment's entry code once a stack, the vectors and the console work.
#[no_mangle]
pub extern "C" fn hyperabi_main() -> ! {
    session();
    boot::poweroff()
}

/// The Linux kernel module's entry (`runners/module/glue.c`): one session, then back to the
/// module, which hands the frames to `/init`.
#[cfg(feature = "linux-module")]
#[no_mangle]
pub extern "C" fn hyperabi_module_run() {
    session()
}

/// Hello, the plan's cases (or the control word's action), End.
fn session() {
    let mut out = Writer::new();
    boot::init();
    match plan::read() {
        Ok(p) => {
            let hello = Hello {
                arch: boot::ARCH_ID,
                version: VERSION,
                plan_len: p.payload.len() as u32,
                plan_crc: p.crc,
                plan_addr: boot::plan_addr() as u32,
            };
            out.frame(FrameType::Hello, &hello.encode());
            run(&mut out, p.payload);
        }
        Err(e) => out.frame(FrameType::Error, e.as_bytes()),
    }
    out.end();
}

/// What the guest does with the plan: run its cases ([`cases`]). Control words for the runner's
/// own tests: `spin` never answers again, `fault` raises an exception outside any probe, `crash`
/// (a Xen dom0) has Xen crash the domain, `smoke` runs the built-in smoke sequence.
fn run(out: &mut Writer, plan: &[u8]) {
    match plan {
        b"spin" => loop {
            core::hint::spin_loop()
        },
        b"fault" => boot::fault(),
        #[cfg(feature = "xen")]
        b"crash" => boot::crash(),
        b"smoke" => smoke::run(out),
        _ => cases::run(out, plan),
    }
}

/// An exception outside a probe: report it and stop (called by the vectors when not armed).
#[no_mangle]
pub extern "C" fn hyperabi_unexpected(class: u64, code: u64, addr: u64) -> ! {
    let mut out = Writer::resume();
    let p = Unexpected { class, code, addr }.encode();
    out.frame(FrameType::Unexpected, &p);
    out.end();
    boot::poweroff()
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let mut out = Writer::resume();
    let mut buf = [0u8; 128];
    let mut n = 0;
    for b in b"panic" {
        buf[n] = *b;
        n += 1;
    }
    if let Some(l) = info.location() {
        for b in l.file().bytes().take(100) {
            buf[n] = b;
            n += 1;
        }
        let line = l.line().to_le_bytes();
        buf[n..n + 4].copy_from_slice(&line);
        n += 4;
    }
    out.frame(FrameType::Error, &buf[..n]);
    out.end();
    boot::poweroff()
}
