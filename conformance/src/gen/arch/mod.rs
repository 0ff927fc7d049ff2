//! What the C and assembly generators need to know about each arch: how its registers are
//! spelled, which registers C compilers reserve, its C calling convention and its instructions.

mod aarch64;
mod arm;
mod ppc64;
mod riscv64;
mod s390x;
mod x86;
mod x86_64;

use abi_spec::{Arch, Reg, Trap};

/// One arch, for both generators. Register arguments are the spec's canonical names
/// (`abi_spec::Reg::name`); each method spells them as its output needs.
pub trait Isa {
    /// The preprocessor test that holds when compiling for this arch.
    fn cpp_test(&self) -> &'static str;
    /// Bytes in a general register.
    fn word(&self) -> usize;

    // ---- C inline asm ----

    /// Registers a C compiler may reserve (frame pointer, platform register, PIC register): the
    /// header never binds or clobbers them, it saves and restores them around the trap.
    fn reserved(&self) -> &'static [&'static str];
    /// How a C template names a fixed register (`%%rax` where `%` needs escaping).
    fn tmpl(&self, reg: &str) -> String {
        reg.to_string()
    }
    /// Clobber names for the flags register when the hypervisor may change it.
    fn flags_clobbers(&self) -> Vec<String> {
        vec!["cc".into()]
    }
    /// A template line copying register `src` into `dst` (both already in template spelling).
    fn c_mov(&self, dst: &str, src: &str) -> String;
    /// The trap instruction(s) in a C template; page traps call through `%[entry]`.
    fn c_trap(&self, trap: &Trap, noreturn: bool) -> Vec<String>;

    // ---- assembly stubs ----

    /// Directives at the top of a `.S` file.
    fn asm_prelude(&self) -> Vec<String> {
        vec!["\t.text".into()]
    }
    /// Lines that open the function `sym`.
    fn func_begin(&self, sym: &str) -> Vec<String>;
    /// Lines that close the function `sym`.
    fn func_end(&self, sym: &str) -> Vec<String> {
        vec![format!("\t.size {sym}, . - {sym}")]
    }
    /// The registers that carry the first C arguments, in order.
    fn c_args(&self) -> &'static [&'static str];
    /// The register a C function returns a word in.
    fn c_ret(&self) -> &'static str;
    /// Offset from the stack pointer at entry of the `i`-th argument passed on the stack.
    fn stack_arg(&self, i: usize) -> String;
    /// Registers a C function must preserve for its caller (with the link register where the
    /// stub itself needs it to return).
    fn callee_saved(&self) -> &'static [&'static str];
    /// Registers, in order of preference, that may hold the result pointer after the trap.
    fn scratch(&self) -> &'static [&'static str];
    /// Bytes at the bottom of the stub's frame that belong to the ABI (ppc64's header).
    fn frame_base(&self) -> usize {
        0
    }
    /// Lines that allocate `bytes` of frame.
    fn alloc(&self, bytes: usize) -> Vec<String>;
    /// Lines that free the frame and return.
    fn free_and_ret(&self, bytes: usize) -> Vec<String>;
    /// Store `bytes` of `reg` at `off(base)`; `base` is a register name or `sp`.
    fn store(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String;
    /// Load `bytes` at `off(base)` into `reg`, zero-extended.
    fn load(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String;
    /// Lines that put `value` into `reg`.
    fn load_imm(&self, reg: &str, value: u64) -> Vec<String>;
    /// A line copying `src` into `dst`.
    fn mov(&self, dst: &str, src: &str) -> String;
    /// The trap; a page trap calls (or, `noreturn`, jumps) through the entry stored at `off(sp)`.
    fn trap(&self, trap: &Trap, entry_slot: &str) -> Vec<String>;
    /// Lines after a trap that should not have returned.
    fn hang(&self) -> Vec<String>;
    /// Lines saving state the C ABI keeps outside the general registers (ppc64's cr2-cr4) when
    /// the trap may change `reg`; `frame` is the stub's frame size.
    fn save_special(&self, _reg: Reg, _frame: usize) -> Vec<String> {
        Vec::new()
    }
    /// Restores what [`Isa::save_special`] saved.
    fn restore_special(&self, _reg: Reg, _frame: usize) -> Vec<String> {
        Vec::new()
    }
    /// The register that holds the hypercall-page entry (x86 only).
    fn page_scratch(&self) -> &'static str {
        unreachable!("only x86 has hypercall pages")
    }
    /// Lines that add `offset` to `reg` without touching the flags (x86 only).
    fn add_offset(&self, _reg: &str, _offset: u64) -> Vec<String> {
        unreachable!("only x86 has hypercall pages")
    }
    /// Lines that free the frame, drop the return address and jump to the entry in
    /// [`Isa::page_scratch`] (x86 page calls that do not return).
    fn free_and_jump(&self, _bytes: usize) -> Vec<String> {
        unreachable!("only x86 has hypercall pages")
    }
}

/// The generator's view of `arch`.
pub fn isa(arch: Arch) -> &'static dyn Isa {
    match arch {
        Arch::Aarch64 => &aarch64::Aarch64,
        Arch::Arm => &arm::Arm,
        Arch::X86_64 => &x86_64::X86_64,
        Arch::X86 => &x86::X86,
        Arch::Riscv64 => &riscv64::Riscv64,
        Arch::S390x => &s390x::S390x,
        Arch::Ppc64 => &ppc64::Ppc64,
    }
}
