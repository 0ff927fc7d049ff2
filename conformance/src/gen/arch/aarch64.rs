//! AArch64 (AAPCS64). x29 is the frame pointer and x18 the platform register (the shadow call
//! stack pointer under `-ffixed-x18`, reserved outright on some platforms): the header saves and
//! restores them around the trap instead of clobbering them.

use abi_spec::Trap;

use super::Isa;

pub struct Aarch64;

/// `movz`/`movk` lines that build `value` in `reg` 16 bits at a time (no literal pool needed).
pub fn build_imm(reg: &str, value: u64) -> Vec<String> {
    let mut l = vec![format!("\tmovz {reg}, #{:#x}", value & 0xffff)];
    for shift in [16, 32, 48] {
        let part = (value >> shift) & 0xffff;
        if part != 0 {
            l.push(format!("\tmovk {reg}, #{part:#x}, lsl #{shift}"));
        }
    }
    l
}

impl Isa for Aarch64 {
    fn cpp_test(&self) -> &'static str {
        "defined(__aarch64__)"
    }
    fn word(&self) -> usize {
        8
    }
    fn reserved(&self) -> &'static [&'static str] {
        &["x18", "x29"]
    }
    fn c_mov(&self, dst: &str, src: &str) -> String {
        format!("mov {dst}, {src}")
    }
    fn c_trap(&self, trap: &Trap, _noreturn: bool) -> Vec<String> {
        vec![insn(trap)]
    }
    fn func_begin(&self, sym: &str) -> Vec<String> {
        vec![
            "\t.balign 4".into(),
            format!("\t.global {sym}"),
            format!("\t.type {sym}, %function"),
            format!("{sym}:"),
        ]
    }
    fn c_args(&self) -> &'static [&'static str] {
        &["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"]
    }
    fn c_ret(&self) -> &'static str {
        "x0"
    }
    fn stack_arg(&self, i: usize) -> String {
        (8 * i).to_string()
    }
    fn callee_saved(&self) -> &'static [&'static str] {
        &[
            "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29",
            "x30",
        ]
    }
    fn scratch(&self) -> &'static [&'static str] {
        &["x9", "x19"]
    }
    fn alloc(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tsub sp, sp, #{bytes}")]
    }
    fn free_and_ret(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tadd sp, sp, #{bytes}"), "\tret".into()]
    }
    fn store(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        format!("\tstr {}, [{base}, #{off}]", sized(reg, bytes))
    }
    fn load(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        format!("\tldr {}, [{base}, #{off}]", sized(reg, bytes))
    }
    fn load_imm(&self, reg: &str, value: u64) -> Vec<String> {
        build_imm(reg, value)
    }
    fn mov(&self, dst: &str, src: &str) -> String {
        format!("\tmov {dst}, {src}")
    }
    fn trap(&self, trap: &Trap, _entry_slot: &str) -> Vec<String> {
        vec![format!("\t{}", insn(trap))]
    }
    fn hang(&self) -> Vec<String> {
        vec!["1:\tb 1b".into()]
    }
}

/// `x5` as the 32-bit `w5` for 4-byte accesses.
fn sized(reg: &str, bytes: usize) -> String {
    if bytes == 4 {
        format!("w{}", &reg[1..])
    } else {
        reg.to_string()
    }
}

fn insn(trap: &Trap) -> String {
    match trap {
        Trap::Hvc(i) => format!("hvc #{i:#x}"),
        Trap::Smc(i) => format!("smc #{i:#x}"),
        other => unreachable!("{other} is not an aarch64 trap"),
    }
}
