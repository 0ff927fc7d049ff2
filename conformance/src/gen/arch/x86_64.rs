//! x86_64 (System V). rbp is the frame pointer: the header never binds or clobbers it. A call
//! through the hypercall page steps over the 128-byte red zone first, since the call's return
//! address (and a PV page's own pushes) land below the stack pointer, where a leaf function may
//! keep data. AT&T syntax, the default of GCC and clang.

use abi_spec::Trap;

use super::Isa;

pub struct X86_64;

impl Isa for X86_64 {
    fn cpp_test(&self) -> &'static str {
        "defined(__x86_64__)"
    }
    fn word(&self) -> usize {
        8
    }
    fn reserved(&self) -> &'static [&'static str] {
        &["rbp"]
    }
    fn tmpl(&self, reg: &str) -> String {
        format!("%%{reg}")
    }
    fn c_mov(&self, dst: &str, src: &str) -> String {
        format!("mov {src}, {dst}")
    }
    fn c_trap(&self, trap: &Trap, noreturn: bool) -> Vec<String> {
        match trap {
            Trap::HypercallPage { .. } if noreturn => vec!["jmp *%[entry]".into()],
            Trap::HypercallPage { .. } => vec![
                "lea -128(%%rsp), %%rsp".into(),
                "call *%[entry]".into(),
                "lea 128(%%rsp), %%rsp".into(),
            ],
            t => vec![insn(t, "$")],
        }
    }
    fn func_begin(&self, sym: &str) -> Vec<String> {
        vec![
            "\t.balign 16".into(),
            format!("\t.global {sym}"),
            format!("\t.type {sym}, @function"),
            format!("{sym}:"),
        ]
    }
    fn c_args(&self) -> &'static [&'static str] {
        &["rdi", "rsi", "rdx", "rcx", "r8", "r9"]
    }
    fn c_ret(&self) -> &'static str {
        "rax"
    }
    fn stack_arg(&self, i: usize) -> String {
        (8 + 8 * i).to_string()
    }
    fn callee_saved(&self) -> &'static [&'static str] {
        &["rbx", "rbp", "r12", "r13", "r14", "r15"]
    }
    fn scratch(&self) -> &'static [&'static str] {
        &["r11", "rcx"]
    }
    fn alloc(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tsub ${bytes}, %rsp")]
    }
    fn free_and_ret(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tadd ${bytes}, %rsp"), "\tret".into()]
    }
    fn store(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        assert_eq!(bytes, 8, "x86_64 ABIs have no 32-bit convention");
        format!("\tmov %{reg}, {off}(%{})", sp(base))
    }
    fn load(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        assert_eq!(bytes, 8, "x86_64 ABIs have no 32-bit convention");
        format!("\tmov {off}(%{}), %{reg}", sp(base))
    }
    fn load_imm(&self, reg: &str, value: u64) -> Vec<String> {
        vec![format!("\tmovabs ${value:#x}, %{reg}")]
    }
    fn mov(&self, dst: &str, src: &str) -> String {
        format!("\tmov %{src}, %{dst}")
    }
    fn trap(&self, trap: &Trap, entry_slot: &str) -> Vec<String> {
        match trap {
            Trap::HypercallPage { .. } => vec![format!("\tcall *{entry_slot}(%rsp)")],
            t => vec![format!("\t{}", insn(t, "$"))],
        }
    }
    fn hang(&self) -> Vec<String> {
        vec!["1:\tjmp 1b".into()]
    }
    fn page_scratch(&self) -> &'static str {
        "r11"
    }
    fn add_offset(&self, reg: &str, offset: u64) -> Vec<String> {
        vec![format!("\tlea {offset}(%{reg}), %{reg}")]
    }
    fn free_and_jump(&self, bytes: usize) -> Vec<String> {
        vec![
            format!("\tlea {}(%rsp), %rsp", bytes + 8),
            "\tjmp *%r11".into(),
        ]
    }
}

fn sp(base: &str) -> &str {
    if base == "sp" {
        "rsp"
    } else {
        base
    }
}

/// The trap instruction; `dollar` is how the immediate sigil is written (`$`, or `$$` nowhere:
/// C templates take `$` as it is).
pub fn insn(trap: &Trap, dollar: &str) -> String {
    match trap {
        Trap::Vmcall => "vmcall".into(),
        Trap::Vmmcall => "vmmcall".into(),
        Trap::Syscall => "syscall".into(),
        Trap::Int(i) => format!("int {dollar}{i:#x}"),
        other => unreachable!("{other} has no single x86 instruction"),
    }
}
