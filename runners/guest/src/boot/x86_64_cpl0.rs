//! x86_64 at CPL0 with the harness's own IDT, shared by the boot environments that own the CPU's
//! descriptor tables: the KVM guest (`x86_64_kvm`, the VMM's GDT) and the Xen PVH dom0
//! (`xen_pvh`, its own GDT with the same selectors: 0x08 64-bit code, 0x10 data, 0x18 32-bit code).
//!
//! - Exceptions: an IDT of interrupt gates for vectors 0-31 whose handlers record the exception
//!   and resume after the faulting instruction when it is one the probes use
//!   (`x86_resume.rs`), else report it as unexpected. The frame the CPU pushes at CPL0 is
//!   `[error code], rip, cs, rflags, rsp, ss` (Intel SDM vol. 3, 6.14.2).
//! - Compatibility mode: the 32-bit x86 ABIs (a plan for arch x86) run their 32-bit probes,
//!   assembled into the image by `hypercall_abi!` (`specs::compat32`), from the 32-bit code
//!   segment 0x18 ([`compat_guest`]): a far return there, a far return back to 0x08. Before the
//!   switch the upper halves of every general register but rsp are set to junk
//!   (0xa5a5a5a5_xxxxxxxx), so a hypervisor that reads a 32-bit caller's registers as 64-bit
//!   values shows it. There is no Rust caller in that mode.

use core::arch::global_asm;
use core::ptr::addr_of;

use abi_spec::GuestAbi;

/// The 64-bit code selector (the KVM VMM's and the PVH dom0's GDT).
pub const CODE64: u16 = 0x08;

extern "C" {
    static hyperabi_exc_entries: [u64; 32];
    fn hyperabi_compat_call(probe32: u64, input: *const u64, output: *mut u64, entry: usize);
}

global_asm!(
    r#"
.section .text, "ax"
// One entry per vector 0-31: an error code of 0 where the CPU pushes none (it does for 8,
// 10-14, 17, 21, 29, 30), then the vector.
.macro exc vec, err
hyperabi_exc_\vec:
    .if \err == 0
    push $0
    .endif
    push $\vec
    jmp hyperabi_exc_common
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
    exc 20, 0
    exc 21, 1
    exc 22, 0
    exc 23, 0
    exc 24, 0
    exc 25, 0
    exc 26, 0
    exc 27, 0
    exc 28, 0
    exc 29, 1
    exc 30, 1
    exc 31, 0

// Every register saved on the stack; after the 15 pushes: vector at 120(%rbp), error code at
// 128, rip at 136.
hyperabi_exc_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rbp
    and $-16, %rsp
    cld
    // Where to resume: hyperabi_exc_resume(vector, rip) gives the address, or 0 (cannot).
    mov 120(%rbp), %rdi
    mov 136(%rbp), %rsi
    call hyperabi_exc_resume
    lea HYPERABI_EXC(%rip), %rsi
    cmpq $0, 40(%rsi)
    je 2f
    test %rax, %rax
    jnz 3f
2:  mov 120(%rbp), %rdi
    mov 128(%rbp), %rsi
    mov 136(%rbp), %rdx
    call hyperabi_unexpected
3:  incq (%rsi)
    mov 120(%rbp), %rcx
    mov %rcx, 8(%rsi)
    mov 128(%rbp), %rcx
    mov %rcx, 16(%rsi)
    mov 136(%rbp), %rcx
    mov %rcx, 24(%rsi)
    movq $0, 32(%rsi)
    mov %rax, 136(%rbp)
    mov %rbp, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp
    iretq

// hyperabi_compat_call(probe32, input, output, entry): the 32-bit cdecl probe at probe32, run
// from the 32-bit code segment CODE32. The upper halves of the registers are undefined after compatibility
// mode (Intel SDM vol. 1, 3.4.1.1), so the callee-saved ones and rsp wait in memory.
.global hyperabi_compat_call
hyperabi_compat_call:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, hyperabi_compat_rsp(%rip)
    mov %rdi, hyperabi_compat_probe(%rip)
    and $-16, %rsp
    sub $16, %rsp
    mov %esi, (%rsp)
    mov %edx, 4(%rsp)
    mov %ecx, 8(%rsp)
    push $0x18
    lea 1f(%rip), %rax
    push %rax
    // Junk in the upper halves of every register but rsp before the switch (and in r8-r15,
    // which compatibility mode cannot reach): a hypervisor that reads a 32-bit caller's
    // registers as 64-bit values (the stale-upper-half class of bugs, XSA-454) sees it.
    mov $0xa5a5a5a5, %eax
    shl $32, %rax
    mov %rax, %rbx
    mov %rax, %rcx
    mov %rax, %rdx
    mov %rax, %rsi
    mov %rax, %rdi
    mov %rax, %rbp
    mov %rax, %r8
    mov %rax, %r9
    mov %rax, %r10
    mov %rax, %r11
    mov %rax, %r12
    mov %rax, %r13
    mov %rax, %r14
    mov %rax, %r15
    lretq
.code32
1:  call *hyperabi_compat_probe
    push $0x08
    push $2f
    lret
.code64
2:  mov hyperabi_compat_rsp(%rip), %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

.section .rodata
.balign 8
.global hyperabi_exc_entries
hyperabi_exc_entries:
    .quad hyperabi_exc_0, hyperabi_exc_1, hyperabi_exc_2, hyperabi_exc_3, hyperabi_exc_4
    .quad hyperabi_exc_5, hyperabi_exc_6, hyperabi_exc_7, hyperabi_exc_8, hyperabi_exc_9
    .quad hyperabi_exc_10, hyperabi_exc_11, hyperabi_exc_12, hyperabi_exc_13, hyperabi_exc_14
    .quad hyperabi_exc_15, hyperabi_exc_16, hyperabi_exc_17, hyperabi_exc_18, hyperabi_exc_19
    .quad hyperabi_exc_20, hyperabi_exc_21, hyperabi_exc_22, hyperabi_exc_23, hyperabi_exc_24
    .quad hyperabi_exc_25, hyperabi_exc_26, hyperabi_exc_27, hyperabi_exc_28, hyperabi_exc_29
    .quad hyperabi_exc_30, hyperabi_exc_31
"#,
    options(att_syntax)
);

/// The IDT: 256 gates of 16 bytes (Intel SDM vol. 3, 6.14.1); 0-31 present, and what the
/// environment adds.
#[repr(C, align(16))]
pub struct Idt([u64; 512]);

static mut IDT: Idt = Idt([0; 512]);

/// Where `hyperabi_compat_call` left 64-bit mode.
#[no_mangle]
static mut hyperabi_compat_rsp: u64 = 0;
/// The 32-bit probe `hyperabi_compat_call` calls (read as a 32-bit pointer there).
#[no_mangle]
static mut hyperabi_compat_probe: u64 = 0;
/// The 32-bit probe of the ABI [`select_compat`] chose.
static mut COMPAT_PROBE: u64 = 0;

/// A 64-bit interrupt gate to `handler` (type 0xe, present, `dpl`, no IST).
fn gate(idt: &mut Idt, v: usize, handler: u64, dpl: u64) {
    idt.0[2 * v] = (handler & 0xffff)
        | u64::from(CODE64) << 16
        | (0x8e | dpl << 5) << 40
        | (handler >> 16 & 0xffff) << 48;
    idt.0[2 * v + 1] = handler >> 32;
}

/// Fills the IDT with the exception gates (0-31) and `extra` (vector, handler, dpl), and loads it.
pub fn load_idt(extra: &[(usize, u64, u64)]) {
    unsafe {
        let idt = &mut *core::ptr::addr_of_mut!(IDT);
        for (v, &handler) in (*addr_of!(hyperabi_exc_entries)).iter().enumerate() {
            gate(idt, v, handler, 0);
        }
        for &(v, handler, dpl) in extra {
            gate(idt, v, handler, dpl);
        }
        let desc: [u16; 5] = {
            let base = addr_of!(IDT) as u64;
            [
                (core::mem::size_of::<Idt>() - 1) as u16,
                base as u16,
                (base >> 16) as u16,
                (base >> 32) as u16,
                (base >> 48) as u16,
            ]
        };
        core::arch::asm!("lidt [{}]", in(reg) desc.as_ptr(), options(readonly, nostack));
    }
}

/// What runs a 32-bit x86 ABI here: its 32-bit probe in compatibility mode ([`select_compat`]
/// picks the probe), no Rust caller.
pub fn compat_guest(id: &str) -> Option<GuestAbi> {
    let (abi, _) = specs::compat32(id)?;
    Some(GuestAbi {
        abi,
        probe: compat_probe,
        dispatch: no_caller,
    })
}

unsafe extern "C" fn compat_probe(input: *const u64, output: *mut u64, entry: usize) {
    unsafe { hyperabi_compat_call(COMPAT_PROBE, input, output, entry) }
}

unsafe fn no_caller(_: usize, _: *const u8, _: &[u64], _: &mut [u64]) -> bool {
    false
}

/// Selects the 32-bit probe of `abi` for the next [`compat_guest`] calls; false when `abi` is no
/// 32-bit x86 ABI.
pub fn select_compat(abi: &str) -> bool {
    match specs::compat32(abi) {
        Some((_, probe)) => {
            unsafe { COMPAT_PROBE = probe as u64 };
            true
        }
        None => false,
    }
}
