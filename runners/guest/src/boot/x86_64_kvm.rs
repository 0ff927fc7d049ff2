//! x86_64 as a KVM guest of hyperabi's VMM (`runners/vmm/src/arch/x86_64.rs`): entered in 64-bit
//! long mode at CPL0 at `_start`, paging on with the low 4 GiB identity-mapped, the VMM's GDT
//! loaded (selector 0x08 64-bit code, 0x10 data), no IDT.
//!
//! - Exceptions and compatibility mode: `x86_64_cpl0` (the IDT of vectors 0-31 that records
//!   exceptions; the 32-bit x86 ABIs from the VMM's 32-bit code segment 0x18).
//! - CPL3: the ABIs whose id ends in `-cpl3` run their probes in user mode ([`in_mode`]): an
//!   `iretq` to the VMM's DPL3 selectors (code 0x33, stack 0x2b) on the same stack, back to
//!   CPL0 with `int $0x80` (a DPL3 gate). Exceptions at CPL3 run on the TSS's rsp0, a stack of
//!   their own.
//! - Console: the VMM's doorbell (`abi_spec::frame::doorbell::X86_64`), one exit per frame.
//! - Power-off: a store to `abi_spec::frame::doorbell::X86_64_POWEROFF`.

use core::arch::global_asm;
use core::ptr::addr_of;

pub use super::x86_64_cpl0::compat_guest;
use super::x86_64_cpl0::{load_idt, select_compat};

pub const ARCH_ID: u8 = 2; // abi_spec::Arch::X86_64
pub const PLAN_ADDR: usize = 0x400_0000;
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
    fn hyperabi_user_return();
    fn hyperabi_user_call(f: extern "C" fn(*mut u8), ctx: *mut u8);
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
"#,
    options(att_syntax)
);

/// The stack exceptions taken at CPL3 run on (the TSS's rsp0).
#[repr(C, align(16))]
struct Stack([u8; 16 * 1024]);

static mut EXC_STACK: Stack = Stack([0; 16 * 1024]);

/// Where `hyperabi_user_call` left CPL0.
#[no_mangle]
static mut hyperabi_kernel_rsp: u64 = 0;

/// Installs the IDT (with the DPL3 gate back from CPL3) and the TSS's rsp0.
pub fn init() {
    load_idt(&[(USER_RETURN, hyperabi_user_return as *const () as u64, 3)]);
    let top = addr_of!(EXC_STACK) as u64 + core::mem::size_of::<Stack>() as u64;
    unsafe { ((TSS + 4) as *mut u64).write_unaligned(top) };
}

/// Runs `f` in the mode the ABI `abi` is specified for: at CPL3 for the `-cpl3` ABIs, with the
/// ABI's 32-bit probe selected for the 32-bit ones, else here (CPL0, 64-bit).
pub fn in_mode<R>(abi: &str, f: impl FnOnce() -> R) -> R {
    if select_compat(abi) {
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
