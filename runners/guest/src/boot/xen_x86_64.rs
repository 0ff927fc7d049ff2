//! Xen x86_64 PV dom0. The image is an ELF with `.note.Xen` entries (xen/include/public/
//! elfnote.h); Xen maps it at its link addresses and starts it in ring 3 (the PV guest kernel's
//! ring) with rsi = start_info (xen/include/public/xen.h, `struct start_info`).
//!
//! - Hypercalls: through the hypercall page Xen writes into the page the HYPERCALL_PAGE note
//!   names (`call page + nr * 32`; each entry `push rcx; push r11; mov $nr, eax; syscall; pop r11;
//!   pop rcx; ret`), arguments rdi, rsi, rdx, r10, r8, result rax
//!   (xen/include/public/arch-x86/xen-x86_64.h). [`hypercall_page`] goes to the probes
//!   and callers.
//! - Console and shutdown: `xen_x86_dom0` (shared with the PVH dom0) through [`hypercall`].
//! - The plan: the initrd (the second multiboot module), mapped by Xen right after the image:
//!   start_info.mod_start is its virtual address (unless SIF_MOD_START_PFN says it is a frame
//!   number, which happens only for a kernel asking for an unmapped initrd; this one does not).
//! - Exceptions: a trap table (`set_trap_table`) sends vectors 0-19 to handlers that record them
//!   and resume after the faulting instruction when it is one the probes use (`syscall`, `ud2`,
//!   `int n`, `vmcall`/`vmmcall`, ...; traps such as int3 already point after it), through
//!   `HYPERVISOR_iret`. Xen's bounce frame on the (kernel) stack is `rcx, r11, [error code], rip,
//!   cs, rflags, rsp, ss` (xen/arch/x86/x86_64/entry.S, create_bounce_frame); `iret` takes
//!   `rax, r11, rcx, flags, rip, cs, rflags, rsp, ss` (struct iret_context).
//! - Scratch: at the end of Xen's initial mapping (v_end of xen/arch/x86/pv/dom0_build.c:
//!   the 4 MiB boundary after the bootstrap stack, at least 512 KiB past it), so a length that
//!   runs past the scratch faults in Xen (-EFAULT) instead of reaching the rest of the guest.

use core::arch::global_asm;
use core::ptr::{addr_of, addr_of_mut};

pub const ARCH_ID: u8 = 2; // abi_spec::Arch::X86_64

const HC_SET_TRAP_TABLE: usize = 0;
/// FLAT_KERNEL_CS64 (xen/include/public/arch-x86/xen-x86_64.h): ring 3, 64-bit.
const FLAT_KERNEL_CS: u16 = 0xe033;
const SIF_MOD_START_PFN: u32 = 1 << 3;

extern "C" {
    static hyperabi_hypercall_page: u8;
    static hyperabi_exc_entries: [u64; 20];
}

global_asm!(
    r#"
.macro note_str type, value
    .balign 4
    .long 4, 2f - 1f, \type
    .asciz "Xen"
1:  .asciz "\value"
2:  .balign 4
.endm
.macro note_quad type, value
    .balign 4
    .long 4, 2f - 1f, \type
    .asciz "Xen"
1:  .quad \value
2:  .balign 4
.endm

.pushsection .note.Xen, "a", @note
    note_str 6, "hyperabi"
    note_str 5, "xen-3.0"
    note_str 8, "generic"
    note_quad 3, 0
    note_quad 4, 0
    note_quad 1, _start
    note_quad 2, hyperabi_hypercall_page
    note_str 9, "yes"
    note_str 10, "!writable_page_tables"
.popsection

.section .text.boot, "ax"
.global _start
_start:
    mov %rsi, %rbx
    lea __stack_top(%rip), %rsp
    lea __bss_start(%rip), %rdi
    lea __bss_end(%rip), %rcx
    sub %rdi, %rcx
    shr $3, %rcx
    xor %eax, %eax
    cld
    rep stosq
    mov %rbx, HYPERABI_START_INFO(%rip)
    and $-16, %rsp
    call hyperabi_main
1:  jmp 1b

.balign 4096
.global hyperabi_hypercall_page
hyperabi_hypercall_page:
    .fill 4096, 1, 0xcc

// One entry per vector 0-19: save rax, vector in eax, join the path for frames with or without
// an error code (8, 10-14, 17 have one).
.macro exc vec, err
hyperabi_exc_\vec:
    mov %rax, hyperabi_exc_save(%rip)
    mov $\vec, %eax
    .if \err
    jmp hyperabi_exc_err
    .else
    jmp hyperabi_exc_noerr
    .endif
.endm
    exc 0, 0
    exc 1, 0
    exc 2, 0
    exc 3, 0
    exc 4, 0
    exc 5, 0
    exc 6, 0
    exc 7, 0
    exc 8, 1
    exc 9, 0
    exc 10, 1
    exc 11, 1
    exc 12, 1
    exc 13, 1
    exc 14, 1
    exc 15, 0
    exc 16, 0
    exc 17, 1
    exc 18, 0
    exc 19, 0

// Save area (rax rbx rcx rdx rsi rdi rbp r8-r15: 15 slots). rbx = the frame's rip slot, rdx =
// error code, rax = vector.
hyperabi_exc_err:
    mov %rdx, hyperabi_exc_save+24(%rip)
    mov 16(%rsp), %rdx
    mov %rbx, hyperabi_exc_save+8(%rip)
    lea 24(%rsp), %rbx
    jmp hyperabi_exc_common
hyperabi_exc_noerr:
    mov %rdx, hyperabi_exc_save+24(%rip)
    xor %edx, %edx
    mov %rbx, hyperabi_exc_save+8(%rip)
    lea 16(%rsp), %rbx
hyperabi_exc_common:
    mov %rsi, hyperabi_exc_save+32(%rip)
    mov %rdi, hyperabi_exc_save+40(%rip)
    mov %rbp, hyperabi_exc_save+48(%rip)
    mov %r8, hyperabi_exc_save+56(%rip)
    mov %r9, hyperabi_exc_save+64(%rip)
    mov %r10, hyperabi_exc_save+72(%rip)
    mov %r12, hyperabi_exc_save+88(%rip)
    mov %r13, hyperabi_exc_save+96(%rip)
    mov %r14, hyperabi_exc_save+104(%rip)
    mov %r15, hyperabi_exc_save+112(%rip)
    mov (%rsp), %rcx
    mov %rcx, hyperabi_exc_save+16(%rip)
    mov 8(%rsp), %rcx
    mov %rcx, hyperabi_exc_save+80(%rip)
    // Where to resume: hyperabi_exc_resume(vector, rip) gives the address, or 0 (cannot).
    mov %rax, %r12
    mov %rdx, %r13
    mov %rsp, %r14
    and $-16, %rsp
    mov %rax, %rdi
    mov (%rbx), %rsi
    call hyperabi_exc_resume
    mov %r14, %rsp
    lea HYPERABI_EXC(%rip), %rsi
    cmpq $0, 40(%rsi)
    je 2f
    test %rax, %rax
    jnz 3f
2:  mov %r12, %rdi
    mov %r13, %rsi
    mov (%rbx), %rdx
    and $-16, %rsp
    call hyperabi_unexpected
3:  incq (%rsi)
    mov %r12, 8(%rsi)
    mov %r13, 16(%rsi)
    mov (%rbx), %rcx
    mov %rcx, 24(%rsi)
    movq $0, 32(%rsi)
    // The iret context below the frame's rip slot: flags = 0 (rcx and r11 restored from it).
    mov %rax, (%rbx)
    movq $0, -8(%rbx)
    lea -8(%rbx), %rsp
    mov hyperabi_exc_save+8(%rip), %rbx
    mov hyperabi_exc_save+24(%rip), %rdx
    mov hyperabi_exc_save+32(%rip), %rsi
    mov hyperabi_exc_save+40(%rip), %rdi
    mov hyperabi_exc_save+48(%rip), %rbp
    mov hyperabi_exc_save+56(%rip), %r8
    mov hyperabi_exc_save+64(%rip), %r9
    mov hyperabi_exc_save+72(%rip), %r10
    mov hyperabi_exc_save+88(%rip), %r12
    mov hyperabi_exc_save+96(%rip), %r13
    mov hyperabi_exc_save+104(%rip), %r14
    mov hyperabi_exc_save+112(%rip), %r15
    mov hyperabi_exc_save+16(%rip), %rcx
    mov hyperabi_exc_save+80(%rip), %r11
    mov hyperabi_exc_save(%rip), %rax
    // The page's iret entry pushes rcx, r11, rax and issues HYPERVISOR_iret.
    jmp *hyperabi_iret_entry(%rip)

.section .rodata
.balign 8
.global hyperabi_exc_entries
hyperabi_exc_entries:
    .quad hyperabi_exc_0, hyperabi_exc_1, hyperabi_exc_2, hyperabi_exc_3, hyperabi_exc_4
    .quad hyperabi_exc_5, hyperabi_exc_6, hyperabi_exc_7, hyperabi_exc_8, hyperabi_exc_9
    .quad hyperabi_exc_10, hyperabi_exc_11, hyperabi_exc_12, hyperabi_exc_13, hyperabi_exc_14
    .quad hyperabi_exc_15, hyperabi_exc_16, hyperabi_exc_17, hyperabi_exc_18, hyperabi_exc_19
hyperabi_iret_entry:
    .quad hyperabi_hypercall_page + 23 * 32

.bss
.balign 16
hyperabi_exc_save:
    .space 128
"#,
    options(att_syntax)
);

/// start_info, as Xen passed it in rsi.
#[no_mangle]
static mut HYPERABI_START_INFO: u64 = 0;

/// The hypercall page's address (the probes' `entry` base and the callers' `page`).
pub fn hypercall_page() -> usize {
    addr_of!(hyperabi_hypercall_page) as usize
}

fn start_info_u64(off: usize) -> u64 {
    unsafe { ((HYPERABI_START_INFO as usize + off) as *const u64).read_volatile() }
}

fn start_info_u32(off: usize) -> u32 {
    unsafe { ((HYPERABI_START_INFO as usize + off) as *const u32).read_volatile() }
}

/// `call page + nr * 32` with up to three arguments.
pub fn hypercall(nr: usize, a1: u64, a2: u64, a3: u64) -> i64 {
    let ret: i64;
    unsafe {
        core::arch::asm!(
            "call {entry}",
            entry = in(reg) hypercall_page() + nr * 32,
            lateout("rax") ret,
            inlateout("rdi") a1 => _,
            inlateout("rsi") a2 => _,
            inlateout("rdx") a3 => _,
            lateout("r10") _,
            lateout("r8") _,
        );
    }
    ret
}

#[repr(C)]
struct TrapInfo {
    vector: u8,
    flags: u8,
    cs: u16,
    address: u64,
}

static mut TRAPS: [TrapInfo; 21] = [const {
    TrapInfo {
        vector: 0,
        flags: 0,
        cs: 0,
        address: 0,
    }
}; 21];

static mut PLAN: usize = 0;
static mut MAPPING_END: usize = 0;
static mut INITRD_END: usize = 0;

pub fn init() {
    unsafe {
        let traps = &mut *addr_of_mut!(TRAPS);
        let entries = &*addr_of!(hyperabi_exc_entries);
        let mut n = 0;
        for (v, &address) in entries.iter().enumerate() {
            // NMI and the double fault are Xen's own.
            if v == 2 || v == 8 {
                continue;
            }
            traps[n] = TrapInfo {
                vector: v as u8,
                flags: 0,
                cs: FLAT_KERNEL_CS,
                address,
            };
            n += 1;
        }
        // The table ends with a zero address (traps[n] stays zeroed).
        hypercall(HC_SET_TRAP_TABLE, addr_of!(TRAPS) as u64, 0, 0);

        let flags = start_info_u32(48);
        let (mod_start, mod_len) = (start_info_u64(112), start_info_u64(120));
        if mod_len != 0 && flags & SIF_MOD_START_PFN == 0 {
            PLAN = mod_start as usize;
            INITRD_END = (mod_start + mod_len) as usize;
        }
        // xen/arch/x86/pv/dom0_build.c: v_end = the 4 MiB boundary after the bootstrap stack
        // page (which follows the page tables), plus 4 MiB if that leaves less than 512 KiB.
        let pt_end = start_info_u64(88) + start_info_u64(96) * 4096;
        let stack_end = pt_end + 4096;
        let mut end = (stack_end + (4 << 20) - 1) & !((4 << 20) - 1);
        if end - stack_end < 512 << 10 {
            end += 4 << 20;
        }
        MAPPING_END = end as usize;
    }
}

pub fn plan_addr() -> usize {
    unsafe { PLAN }
}

/// `len` bytes (page-aligned start) ending where Xen's initial mapping ends.
pub fn scratch_at_end(len: usize) -> Option<usize> {
    let (end, initrd_end) = unsafe { (MAPPING_END, INITRD_END) };
    let start = end.checked_sub(len)? & !0xfff;
    (end != 0 && start >= initrd_end).then_some(start)
}
