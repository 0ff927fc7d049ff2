//! x86 (i386 System V, cdecl). ebp is the frame pointer and ebx the PIC register: the header
//! never binds them. Their values travel in a small block in memory whose address is in eax (the
//! number register, loaded last), the glibc i386 six-argument syscall technique; the template
//! saves them with `push` and restores them with `pop` (the 32-bit ABI has no red zone). The
//! hypercall-page entry travels in the same block.

use abi_spec::Trap;

use super::x86_64::insn;
use super::Isa;

pub struct X86;

impl Isa for X86 {
    fn cpp_test(&self) -> &'static str {
        "defined(__i386__)"
    }
    fn word(&self) -> usize {
        4
    }
    fn reserved(&self) -> &'static [&'static str] {
        &["ebx", "ebp"]
    }
    fn tmpl(&self, reg: &str) -> String {
        format!("%%{reg}")
    }
    fn c_mov(&self, dst: &str, src: &str) -> String {
        format!("mov {src}, {dst}")
    }
    fn c_trap(&self, trap: &Trap, noreturn: bool) -> Vec<String> {
        match trap {
            // The entry was pushed from the block: `ret` jumps to it, leaving the stack as it was.
            Trap::HypercallPage { .. } if noreturn => vec!["ret".into()],
            Trap::HypercallPage { .. } => {
                vec!["call *(%%esp)".into(), "lea 4(%%esp), %%esp".into()]
            }
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
        &[]
    }
    fn c_ret(&self) -> &'static str {
        "eax"
    }
    fn stack_arg(&self, i: usize) -> String {
        (4 + 4 * i).to_string()
    }
    fn callee_saved(&self) -> &'static [&'static str] {
        &["ebx", "esi", "edi", "ebp"]
    }
    fn scratch(&self) -> &'static [&'static str] {
        &["ecx", "edx"]
    }
    fn alloc(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tsub ${bytes}, %esp")]
    }
    fn free_and_ret(&self, bytes: usize) -> Vec<String> {
        // The C ABI wants the direction flag clear on return.
        vec![
            format!("\tadd ${bytes}, %esp"),
            "\tcld".into(),
            "\tret".into(),
        ]
    }
    fn store(&self, reg: &str, base: &str, off: &str, _bytes: usize) -> String {
        format!("\tmov %{reg}, {off}(%{})", sp(base))
    }
    fn load(&self, reg: &str, base: &str, off: &str, _bytes: usize) -> String {
        format!("\tmov {off}(%{}), %{reg}", sp(base))
    }
    fn load_imm(&self, reg: &str, value: u64) -> Vec<String> {
        vec![format!("\tmov ${:#x}, %{reg}", value as u32)]
    }
    fn mov(&self, dst: &str, src: &str) -> String {
        format!("\tmov %{src}, %{dst}")
    }
    fn trap(&self, trap: &Trap, entry_slot: &str) -> Vec<String> {
        match trap {
            Trap::HypercallPage { .. } => vec![format!("\tcall *{entry_slot}(%esp)")],
            t => vec![format!("\t{}", insn(t, "$"))],
        }
    }
    fn hang(&self) -> Vec<String> {
        vec!["1:\tjmp 1b".into()]
    }
    fn page_scratch(&self) -> &'static str {
        "ecx"
    }
    fn add_offset(&self, reg: &str, offset: u64) -> Vec<String> {
        vec![format!("\tlea {offset}(%{reg}), %{reg}")]
    }
    fn free_and_jump(&self, bytes: usize) -> Vec<String> {
        vec![
            format!("\tlea {}(%esp), %esp", bytes + 4),
            "\tjmp *%ecx".into(),
        ]
    }
}

fn sp(base: &str) -> &str {
    if base == "sp" {
        "esp"
    } else {
        base
    }
}
