//! QEMU `pseries` with this image as `-bios`: loaded at 0, entered at 0x100 in real mode,
//! big-endian, MSR = 0 (32-bit mode), r3 = the device tree's address. The entry sets MSR.SF (the
//! probes need 64-bit registers) and MSR.FP. Interrupt vectors sit at their architected offsets
//! (Power ISA III, chapter 7 "Interrupts"; LPCR.AIL = 0); every vector records and resumes at
//! SRR0 (+4 unless the interrupt already points past the instruction: system call, external,
//! decrementer). SPRG0 holds the save area, SPRG1 stashes r13. Console: H_PUT_TERM_CHAR on vty
//! 0x71000000, 16 bytes per hcall; power-off: RTAS `power-off` through H_RTAS (0xf000), its token
//! read from /rtas in the device tree. Built for the big-endian ELFv2 target
//! (`powerpc64-unknown-linux-musl`): functions are entered at their global entry with r12 = address. Facts: docs/targets.md.

use core::arch::global_asm;
use core::ptr::addr_of_mut;

pub const ARCH_ID: u8 = 6; // abi_spec::Arch::Ppc64
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
const VTY: u64 = 0x7100_0000;
const H_PUT_TERM_CHAR: u64 = 0x58;
const H_RTAS: u64 = 0xf000;

global_asm!(
    r#"
.macro vec addr
    .org \addr
    mtspr 273, 13
    mfspr 13, 272
    std 3, 24(13)
    li 3, \addr
    b hyperabi_vec_common
.endm

.section .text.vectors, "ax"
.global _start
    .org 0x100
_start:
    b hyperabi_entry
    vec 0x200
    vec 0x300
    vec 0x380
    vec 0x400
    vec 0x480
    vec 0x500
    vec 0x600
    vec 0x700
    vec 0x800
    vec 0x900
    vec 0x980
    vec 0xa00
    vec 0xb00
    vec 0xc00
    vec 0xd00
    vec 0xe00
    vec 0xe20
    vec 0xe40
    vec 0xe60
    vec 0xe80
    vec 0xea0
    vec 0xf00
    vec 0xf20
    vec 0xf40
    vec 0xf60
    vec 0xf80
    vec 0x1000
    vec 0x1100
    vec 0x1200
    vec 0x1300
    vec 0x1400
    vec 0x1500
    vec 0x1600
    vec 0x1700
    vec 0x1800

.text
hyperabi_entry:
    mr 31, 3
    li 4, 1
    rldicr 4, 4, 63, 0
    ori 4, 4, 0x2000
    // MSR.VEC and MSR.VSX: the target has AltiVec/VSX, and LLVM may save v20-v31 in any
    // prologue (a vector-unavailable interrupt otherwise).
    oris 4, 4, 0x0280
    mfmsr 5
    or 5, 5, 4
    mtmsrd 5
    isync
    lis 4, hyperabi_vec_save@ha
    addi 4, 4, hyperabi_vec_save@l
    mtspr 272, 4
    lis 4, __bss_start@ha
    addi 4, 4, __bss_start@l
    lis 5, __bss_end@ha
    addi 5, 5, __bss_end@l
    li 6, 0
1:  cmpld 4, 5
    bge 2f
    std 6, 0(4)
    addi 4, 4, 8
    b 1b
2:  lis 4, HYPERABI_FDT@ha
    addi 4, 4, HYPERABI_FDT@l
    std 31, 0(4)
    lis 1, __stack_top@ha
    addi 1, 1, __stack_top@l
    addi 1, 1, -256
    li 0, 0
    std 0, 0(1)
    lis 12, hyperabi_main@ha
    addi 12, 12, hyperabi_main@l
    mtctr 12
    bctrl
3:  b 3b

// r3 (saved at 24), r13 (in SPRG1) and r3 = vector. Records class = vector, code = SRR1
// (program-check reason bits included), address = SRR0, extra = DAR.
hyperabi_vec_common:
    std 0, 0(13)
    std 1, 8(13)
    std 2, 16(13)
    std 4, 32(13)
    std 5, 40(13)
    std 6, 48(13)
    std 7, 56(13)
    std 8, 64(13)
    std 9, 72(13)
    std 10, 80(13)
    std 11, 88(13)
    std 12, 96(13)
    mfspr 0, 273
    std 0, 104(13)
    mfcr 0
    std 0, 256(13)
    mfxer 0
    std 0, 264(13)
    mflr 0
    std 0, 272(13)
    mfctr 0
    std 0, 280(13)
    mfsrr0 4
    mfsrr1 5
    mfspr 6, 19
    lis 7, HYPERABI_EXC@ha
    addi 7, 7, HYPERABI_EXC@l
    ld 8, 40(7)
    cmpdi 8, 0
    bne 1f
    mr 9, 4
    mr 4, 5
    mr 5, 9
    addi 1, 1, -256
    lis 12, hyperabi_unexpected@ha
    addi 12, 12, hyperabi_unexpected@l
    mtctr 12
    bctrl
1:  ld 8, 0(7)
    addi 8, 8, 1
    std 8, 0(7)
    std 3, 8(7)
    std 5, 16(7)
    std 4, 24(7)
    std 6, 32(7)
    cmpdi 3, 0xc00
    beq 2f
    cmpdi 3, 0x500
    beq 2f
    cmpdi 3, 0x900
    beq 2f
    addi 4, 4, 4
    mtsrr0 4
2:  ld 0, 256(13)
    mtcr 0
    ld 0, 264(13)
    mtxer 0
    ld 0, 272(13)
    mtlr 0
    ld 0, 280(13)
    mtctr 0
    ld 0, 0(13)
    ld 1, 8(13)
    ld 2, 16(13)
    ld 3, 24(13)
    ld 4, 32(13)
    ld 5, 40(13)
    ld 6, 48(13)
    ld 7, 56(13)
    ld 8, 64(13)
    ld 9, 72(13)
    ld 10, 80(13)
    ld 11, 88(13)
    ld 12, 96(13)
    ld 13, 104(13)
    rfid

.bss
.balign 16
hyperabi_vec_save:
    .space 512
"#
);

/// The device tree QEMU handed over in r3.
#[no_mangle]
static mut HYPERABI_FDT: u64 = 0;

static mut BUF: [u8; 16] = [0; 16];
static mut FILL: usize = 0;

pub fn init() {}

fn hcall(op: u64, a: u64, b: u64, c: u64, d: u64) -> u64 {
    let ret: u64;
    unsafe {
        core::arch::asm!(
            "sc 1",
            inlateout("r3") op => ret,
            inlateout("r4") a => _,
            inlateout("r5") b => _,
            inlateout("r6") c => _,
            inlateout("r7") d => _,
            out("r0") _, out("r8") _, out("r9") _, out("r10") _, out("r11") _, out("r12") _,
            out("ctr") _, out("xer") _, out("cr0") _, out("cr1") _, out("cr5") _, out("cr6") _, out("cr7") _,
        );
    }
    ret
}

pub fn write(bytes: &[u8]) {
    for &b in bytes {
        unsafe {
            let buf = &mut *addr_of_mut!(BUF);
            buf[FILL] = b;
            FILL += 1;
            if FILL == 16 {
                flush();
            }
        }
    }
}

/// H_PUT_TERM_CHAR with the buffered bytes (big-endian in r6, r7).
pub fn flush() {
    unsafe {
        if FILL == 0 {
            return;
        }
        let buf = &*addr_of_mut!(BUF);
        let hi = u64::from_be_bytes(buf[..8].try_into().unwrap());
        let lo = u64::from_be_bytes(buf[8..].try_into().unwrap());
        hcall(H_PUT_TERM_CHAR, VTY, FILL as u64, hi, lo);
        FILL = 0;
    }
}

/// An illegal instruction (word 0) outside any probe: a program interrupt.
pub fn fault() -> ! {
    unsafe { core::arch::asm!(".long 0", options(noreturn)) }
}

/// The u32 property `prop` of the node `/node` in the flattened device tree at `fdt`
/// (devicetree specification v0.4, chapter 5: header, structure block tokens).
fn fdt_prop_u32(fdt: *const u8, node: &[u8], prop: &[u8]) -> Option<u32> {
    let rd = |off: usize| unsafe { u32::from_be_bytes(*(fdt.add(off) as *const [u8; 4])) };
    if rd(0) != 0xd00d_feed {
        return None;
    }
    let structs = rd(8) as usize;
    let strings = rd(12) as usize;
    let cstr = |off: usize| unsafe {
        let p = fdt.add(off);
        let mut n = 0;
        while *p.add(n) != 0 {
            n += 1;
        }
        core::slice::from_raw_parts(p, n)
    };
    let (mut at, mut depth, mut in_node) = (structs, 0usize, false);
    loop {
        let tok = rd(at);
        at += 4;
        match tok {
            1 => {
                let name = cstr(at);
                depth += 1;
                in_node = depth == 2 && name == node;
                at += (name.len() + 4) & !3;
            }
            2 => {
                depth -= 1;
                in_node = false;
            }
            3 => {
                let len = rd(at) as usize;
                let name = cstr(strings + rd(at + 4) as usize);
                if in_node && name == prop && len == 4 {
                    return Some(rd(at + 8));
                }
                at += 8 + ((len + 3) & !3);
            }
            4 => {}
            _ => return None,
        }
    }
}

/// RTAS `power-off` (2 arguments, 1 return) through H_RTAS: QEMU exits.
pub fn poweroff() -> ! {
    flush();
    let fdt = unsafe { HYPERABI_FDT } as *const u8;
    let token = fdt_prop_u32(fdt, b"rtas", b"power-off").unwrap_or(0);
    #[repr(C, align(8))]
    struct Args([u32; 6]);
    let mut args = Args([token, 2, 1, 0, 0, 0]);
    hcall(H_RTAS, addr_of_mut!(args) as u64, 0, 0, 0);
    loop {
        core::hint::spin_loop()
    }
}
