//! x86_64 as a KVM guest of hyperabi's VMM (`runners/vmm/src/arch/x86_64.rs`): entered in 64-bit
//! long mode at CPL0 at `_start`, paging on with the low 4 GiB identity-mapped, the VMM's GDT
//! loaded (selector 0x08 64-bit code, 0x10 data), no IDT.
//!
//! - Exceptions: an IDT of interrupt gates for vectors 0-31 whose handlers record the exception
//!   and resume after the faulting instruction when it is one the probes use (as the Xen PV
//!   dom0 does, `xen_x86_64.rs`), else report it as unexpected. The frame the CPU pushes at
//!   CPL0 is `[error code], rip, cs, rflags, rsp, ss` (Intel SDM vol. 3, 6.14.2).
//! - CPL3: the ABIs whose id ends in `-cpl3` run their probes in user mode ([`in_mode`]): an
//!   `iretq` to the VMM's DPL3 selectors (code 0x33, stack 0x2b) on the same stack, back to
//!   CPL0 with `int $0x80` (a DPL3 gate). Exceptions at CPL3 run on the TSS's rsp0, a stack of
//!   their own.
//! - Compatibility mode: the 32-bit x86 ABIs (a plan for arch x86) run their 32-bit probes,
//!   assembled into this image by `hypercall_abi!` (`specs::compat32`), from the VMM's 32-bit
//!   code segment 0x18 ([`compat_guest`]): a far return there, a far return back to 0x08.
//!   There is no Rust caller in that mode.
//! - Console: the VMM's doorbell (`abi_spec::frame::doorbell::X86_64`), one exit per frame.
//! - Power-off: a store to `abi_spec::frame::doorbell::X86_64_POWEROFF`.

use core::arch::global_asm;
use core::ptr::addr_of;

use abi_spec::GuestAbi;

pub const ARCH_ID: u8 = 2; // abi_spec::Arch::X86_64
pub const PLAN_ADDR: usize = 0x400_0000;
/// The VMM's 64-bit code selector.
const CODE64: u16 = 0x08;
/// The TSS the VMM loaded (its rsp0 at offset 4).
const TSS: usize = 0x9000;
/// The vector that returns from CPL3.
const USER_RETURN: usize = 0x80;

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

extern "C" {
    static hyperabi_exc_entries: [u64; 32];
    fn hyperabi_user_return();
    fn hyperabi_user_call(f: extern "C" fn(*mut u8), ctx: *mut u8);
    fn hyperabi_compat_call(probe32: u64, input: *const u64, output: *mut u64, entry: usize);
}

global_asm!(
    r#"
.section .text.boot, "ax"
.global _start
_start:
    lea __stack_top(%rip), %rsp
    lea __bss_start(%rip), %rdi
    lea __bss_end(%rip), %rcx
    sub %rdi, %rcx
    shr $3, %rcx
    xor %eax, %eax
    cld
    rep stosq
    call hyperabi_main
1:  hlt
    jmp 1b

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

// hyperabi_user_call(f, ctx): f(ctx) at CPL3. The callee-saved registers and rsp stay here
// while f runs below them on the same stack.
.global hyperabi_user_call
hyperabi_user_call:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, hyperabi_kernel_rsp(%rip)
    lea -64(%rsp), %rax
    and $-16, %rax
    push $0x2b
    push %rax
    push $0x2
    push $0x33
    lea hyperabi_user_entry(%rip), %rax
    push %rax
    iretq
hyperabi_user_entry:
    mov %rdi, %rax
    mov %rsi, %rdi
    call *%rax
    int $0x80
// The int $0x80 gate: back to CPL0 where hyperabi_user_call left, the data segments reloaded
// (the iretq to CPL3 cleared them).
.global hyperabi_user_return
hyperabi_user_return:
    mov hyperabi_kernel_rsp(%rip), %rsp
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

// hyperabi_compat_call(probe32, input, output, entry): the 32-bit cdecl probe at probe32, run
// from the 32-bit code segment. The upper halves of the registers are undefined after compatibility
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

/// The IDT: 256 gates of 16 bytes (Intel SDM vol. 3, 6.14.1); 0-31 and 0x80 present.
#[repr(C, align(16))]
struct Idt([u64; 512]);

static mut IDT: Idt = Idt([0; 512]);

/// The stack exceptions taken at CPL3 run on (the TSS's rsp0).
#[repr(C, align(16))]
struct Stack([u8; 16 * 1024]);

static mut EXC_STACK: Stack = Stack([0; 16 * 1024]);

/// Where `hyperabi_user_call` left CPL0.
#[no_mangle]
static mut hyperabi_kernel_rsp: u64 = 0;
/// Where `hyperabi_compat_call` left 64-bit mode.
#[no_mangle]
static mut hyperabi_compat_rsp: u64 = 0;
/// The 32-bit probe `hyperabi_compat_call` calls (read as a 32-bit pointer there).
#[no_mangle]
static mut hyperabi_compat_probe: u64 = 0;
/// The 32-bit probe of the ABI [`in_mode`] runs.
static mut COMPAT_PROBE: u64 = 0;

/// A 64-bit interrupt gate to `handler` (type 0xe, present, `dpl`, no IST).
fn gate(idt: &mut Idt, v: usize, handler: u64, dpl: u64) {
    idt.0[2 * v] = (handler & 0xffff)
        | u64::from(CODE64) << 16
        | (0x8e | dpl << 5) << 40
        | (handler >> 16 & 0xffff) << 48;
    idt.0[2 * v + 1] = handler >> 32;
}

/// Installs the IDT and the TSS's rsp0.
pub fn init() {
    unsafe {
        let idt = &mut *core::ptr::addr_of_mut!(IDT);
        for (v, &handler) in (*addr_of!(hyperabi_exc_entries)).iter().enumerate() {
            gate(idt, v, handler, 0);
        }
        gate(
            idt,
            USER_RETURN,
            hyperabi_user_return as *const () as u64,
            3,
        );
        let top = addr_of!(EXC_STACK) as u64 + core::mem::size_of::<Stack>() as u64;
        ((TSS + 4) as *mut u64).write_unaligned(top);
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

/// What runs a 32-bit x86 ABI here: its 32-bit probe in compatibility mode ([`in_mode`] picks
/// the probe), no Rust caller.
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

/// Runs `f` in the mode the ABI `abi` is specified for: at CPL3 for the `-cpl3` ABIs, with the
/// ABI's 32-bit probe selected for the 32-bit ones, else here (CPL0, 64-bit).
pub fn in_mode<R>(abi: &str, f: impl FnOnce() -> R) -> R {
    if let Some((_, probe)) = specs::compat32(abi) {
        unsafe { COMPAT_PROBE = probe as u64 };
        return f();
    }
    if !abi.ends_with("-cpl3") {
        return f();
    }
    extern "C" fn trampoline(ctx: *mut u8) {
        let call = unsafe { &mut *(ctx as *mut &mut dyn FnMut()) };
        call();
    }
    let mut f = Some(f);
    let mut result = None;
    let mut call = || result = f.take().map(|f| f());
    let mut call: &mut dyn FnMut() = &mut call;
    unsafe { hyperabi_user_call(trampoline, (&raw mut call).cast()) };
    result.expect("the CPL3 call ran")
}

/// Where to resume after exception `vector` at `rip`: after the instruction for the faults the
/// probes can raise (a decodable trap instruction), `rip` for traps (it already points after),
/// 0 when the harness cannot tell.
#[no_mangle]
extern "C" fn hyperabi_exc_resume(vector: u64, rip: u64) -> u64 {
    // #DB (1), #BP (3), #OF (4) are traps.
    if matches!(vector, 1 | 3 | 4) {
        return rip;
    }
    let at = |i: u64| unsafe { ((rip + i) as *const u8).read_volatile() };
    let len = match (at(0), at(1)) {
        (0x0f, 0x05) | (0x0f, 0x0b) | (0x0f, 0x34) | (0x0f, 0x07) => 2, // syscall ud2 sysenter sysret
        (0x0f, 0x01) => 3,                                              // vmcall, vmmcall, ...
        (0xcd, _) => 2,                                                 // int n
        (0xcc, _) | (0xf4, _) | (0xfa, _) | (0xfb, _) => 1,             // int3 hlt cli sti
        _ => return 0,
    };
    rip + len
}

pub use super::doorbell::{flush, write};

/// `ud2` outside any probe.
pub fn fault() -> ! {
    unsafe { core::arch::asm!("ud2", options(noreturn)) }
}

/// A store to the VMM's power-off register.
pub fn poweroff() -> ! {
    flush();
    unsafe {
        (abi_spec::frame::doorbell::X86_64_POWEROFF as *mut u64).write_volatile(0);
    }
    loop {
        unsafe { core::arch::asm!("hlt") };
    }
}
