//! riscv64 (LP64). s0 is the frame pointer: the header never binds or clobbers it. gp and tp
//! are never touched by any ABI (the model keeps them preserved).

use abi_spec::Trap;

use super::Isa;

pub struct Riscv64;

impl Isa for Riscv64 {
    fn cpp_test(&self) -> &'static str {
        "defined(__riscv) && __riscv_xlen == 64"
    }
    fn word(&self) -> usize {
        8
    }
    fn reserved(&self) -> &'static [&'static str] {
        &["s0"]
    }
    fn c_mov(&self, dst: &str, src: &str) -> String {
        format!("mv {dst}, {src}")
    }
    fn c_trap(&self, trap: &Trap, _noreturn: bool) -> Vec<String> {
        vec![insn(trap)]
    }
    fn func_begin(&self, sym: &str) -> Vec<String> {
        vec![
            "\t.balign 4".into(),
            format!("\t.global {sym}"),
            format!("\t.type {sym}, @function"),
            format!("{sym}:"),
        ]
    }
    fn c_args(&self) -> &'static [&'static str] {
        &["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"]
    }
    fn c_ret(&self) -> &'static str {
        "a0"
    }
    fn stack_arg(&self, i: usize) -> String {
        (8 * i).to_string()
    }
    fn callee_saved(&self) -> &'static [&'static str] {
        &[
            "ra", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
        ]
    }
    fn scratch(&self) -> &'static [&'static str] {
        &["t0", "s1"]
    }
    fn alloc(&self, bytes: usize) -> Vec<String> {
        vec![format!("\taddi sp, sp, -{bytes}")]
    }
    fn free_and_ret(&self, bytes: usize) -> Vec<String> {
        vec![format!("\taddi sp, sp, {bytes}"), "\tret".into()]
    }
    fn store(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        let op = if bytes == 4 { "sw" } else { "sd" };
        format!("\t{op} {reg}, {off}({base})")
    }
    fn load(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        let op = if bytes == 4 { "lwu" } else { "ld" };
        format!("\t{op} {reg}, {off}({base})")
    }
    fn load_imm(&self, reg: &str, value: u64) -> Vec<String> {
        vec![format!("\tli {reg}, {value:#x}")]
    }
    fn mov(&self, dst: &str, src: &str) -> String {
        format!("\tmv {dst}, {src}")
    }
    fn trap(&self, trap: &Trap, _entry_slot: &str) -> Vec<String> {
        vec![format!("\t{}", insn(trap))]
    }
    fn hang(&self) -> Vec<String> {
        vec!["1:\tj 1b".into()]
    }
}

fn insn(trap: &Trap) -> String {
    match trap {
        Trap::Ecall => "ecall".into(),
        other => unreachable!("{other} is not a riscv64 trap"),
    }
}
