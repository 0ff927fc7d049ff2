//! QEMU `s390-ccw-virtio`, an ELF `-kernel` started by QEMU's IPL in 64-bit mode with DAT off
//! and every interruption disabled. Console: the SCLP ASCII console (event type 0x1a), which
//! QEMU connects to the first `-serial`, written a page of bytes per service call; power-off: a
//! disabled wait whose address ends in 0xfff, which QEMU takes as a shutdown (a disabled wait
//! anywhere else is a guest panic). Program interruptions: new PSW at 0x1d0, old PSW at 0x150,
//! interruption code at 0x8e (z/Architecture Principles of Operation, chapter 6, "Assigned
//! Storage Locations"). Facts on DIAG 0x500: docs/targets.md.

use core::arch::global_asm;
use core::ptr::addr_of_mut;

pub const ARCH_ID: u8 = 5; // abi_spec::Arch::S390x
pub const PLAN_ADDR: usize = 0x400_0000;
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

global_asm!(
    r#"
.section .text.boot, "ax"
.global _start
_start:
    larl %r15, __stack_top
    aghi %r15, -160
    lghi %r0, 0
    stg %r0, 0(%r15)
    // program new PSW: 64-bit addressing, everything masked, at hyperabi_pgm
    larl %r1, hyperabi_pgm_psw
    mvc 0x1d0(16, %r0), 0(%r1)
    larl %r1, __bss_start
    larl %r2, __bss_end
1:  clgr %r1, %r2
    jhe 2f
    mvi 0(%r1), 0
    la %r1, 1(%r1)
    j 1b
2:  brasl %r14, hyperabi_main
3:  j 3b

.text
.balign 8
hyperabi_pgm_psw:
    .quad 0x0000000180000000, hyperabi_pgm
.global hyperabi_off_psw
hyperabi_off_psw:
    .quad 0x0002000180000000, 0xfff

// Registers go to 0x1800 (free lowcore). class = interruption code, code = ILC byte,
// address = old PSW address (QEMU has already stepped over a suppressing instruction),
// extra = old PSW mask. lpswe restores the condition code with the old PSW.
hyperabi_pgm:
    stmg %r0, %r15, 0x1800(%r0)
    llgh %r2, 0x8e(%r0)
    llgc %r3, 0x8d(%r0)
    lg %r4, 0x158(%r0)
    lg %r5, 0x150(%r0)
    larl %r1, HYPERABI_EXC
    lg %r6, 40(%r1)
    ltgr %r6, %r6
    jnz 1f
    aghi %r15, -160
    brasl %r14, hyperabi_unexpected
1:  lg %r6, 0(%r1)
    aghi %r6, 1
    stg %r6, 0(%r1)
    stg %r2, 8(%r1)
    stg %r3, 16(%r1)
    stg %r4, 24(%r1)
    stg %r5, 32(%r1)
    lmg %r0, %r15, 0x1800(%r0)
    lpswe 0x150(%r0)
"#
);

/// One SCCB: must be 8-byte aligned, below 2 GiB, outside the lowcore and within one page.
#[repr(C, align(4096))]
struct Sccb([u8; 4096]);
static mut SCCB: Sccb = Sccb([0; 4096]);
/// Header (8) + event buffer header (6) before the data.
const DATA: usize = 14;
static mut FILL: usize = 0;

const WRITE_EVENT_MASK: u32 = 0x0078_0005;
const WRITE_EVENT_DATA: u32 = 0x0076_0005;
const ASCII_CONSOLE: u8 = 0x1a;
const MASK_ASCII: u32 = 1 << (32 - ASCII_CONSOLE as u32);

/// `servc`: the command word and the SCCB's address. Retries while busy (cc 2).
unsafe fn servc(cmd: u32) -> u16 {
    let sccb = addr_of_mut!(SCCB) as u64;
    loop {
        let cc: u64;
        core::arch::asm!(
            ".insn rre, 0xb2200000, {cmd}, {sccb}",
            "ipm {cc}",
            "srl {cc}, 28",
            cmd = in(reg) cmd as u64,
            sccb = in(reg) sccb,
            cc = out(reg) cc,
        );
        if cc != 2 {
            break;
        }
    }
    let s = &*addr_of_mut!(SCCB);
    u16::from_be_bytes([s.0[6], s.0[7]])
}

/// Tells the SCLP we send ASCII console events (WRITE EVENT MASK, 4-byte masks).
pub fn init() {
    unsafe {
        let s = &mut (*addr_of_mut!(SCCB)).0;
        s[..32].fill(0);
        s[0..2].copy_from_slice(&32u16.to_be_bytes());
        s[10..12].copy_from_slice(&4u16.to_be_bytes());
        // cp_receive_mask at 12, cp_send_mask at 16
        s[12..16].copy_from_slice(&MASK_ASCII.to_be_bytes());
        s[16..20].copy_from_slice(&MASK_ASCII.to_be_bytes());
        servc(WRITE_EVENT_MASK);
        FILL = 0;
    }
}

pub fn write(bytes: &[u8]) {
    for chunk in bytes.chunks(512) {
        unsafe {
            if DATA + FILL + chunk.len() > 4096 {
                flush();
            }
            let s = &mut (*addr_of_mut!(SCCB)).0;
            s[DATA + FILL..DATA + FILL + chunk.len()].copy_from_slice(chunk);
            FILL += chunk.len();
        }
    }
}

/// WRITE EVENT DATA with what is buffered.
pub fn flush() {
    unsafe {
        if FILL == 0 {
            return;
        }
        let s = &mut (*addr_of_mut!(SCCB)).0;
        let total = (DATA + FILL) as u16;
        s[0..2].copy_from_slice(&total.to_be_bytes());
        s[2] = 0; // function code: normal write
        s[3..8].fill(0);
        s[8..10].copy_from_slice(&((6 + FILL) as u16).to_be_bytes());
        s[10] = ASCII_CONSOLE;
        s[11..14].fill(0);
        servc(WRITE_EVENT_DATA);
        FILL = 0;
    }
}

/// An operation exception (opcode 0) outside any probe.
pub fn fault() -> ! {
    unsafe { core::arch::asm!(".short 0", options(noreturn)) }
}

/// Disabled wait at an address ending in 0xfff: QEMU shuts down.
pub fn poweroff() -> ! {
    flush();
    unsafe { core::arch::asm!("larl %r1, hyperabi_off_psw", "lpswe 0(%r1)", options(noreturn)) }
}
