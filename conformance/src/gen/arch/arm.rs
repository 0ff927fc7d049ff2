//! AArch32 (AAPCS, A32 or T32 callers). r7 (the Thumb frame pointer), r11 (the Arm frame
//! pointer) and r9 (the platform register) may be reserved by the compiler: the header saves and
//! restores them around the trap instead of clobbering them. The assembly stubs are A32 code
//! (`.arm`): a Thumb caller reaches them through `blx`, which the linker inserts for a
//! `%function` symbol, and they return with `bx lr`.

use abi_spec::Trap;

use super::Isa;

pub struct Arm;

impl Isa for Arm {
    fn cpp_test(&self) -> &'static str {
        "defined(__arm__)"
    }
    fn word(&self) -> usize {
        4
    }
    fn reserved(&self) -> &'static [&'static str] {
        &["r7", "r9", "r11"]
    }
    fn c_mov(&self, dst: &str, src: &str) -> String {
        format!("mov {dst}, {src}")
    }
    fn c_trap(&self, trap: &Trap, _noreturn: bool) -> Vec<String> {
        insn(trap)
    }
    fn asm_prelude(&self) -> Vec<String> {
        vec![
            "\t.syntax unified".into(),
            "\t.arch armv7-a".into(),
            "\t.arch_extension virt".into(),
            "\t.arch_extension sec".into(),
            "\t.text".into(),
            "\t.arm".into(),
        ]
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
        &["r0", "r1", "r2", "r3"]
    }
    fn c_ret(&self) -> &'static str {
        "r0"
    }
    fn stack_arg(&self, i: usize) -> String {
        (4 * i).to_string()
    }
    fn callee_saved(&self) -> &'static [&'static str] {
        &["r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r14"]
    }
    fn scratch(&self) -> &'static [&'static str] {
        &["r12", "r8"]
    }
    fn alloc(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tsub sp, sp, #{bytes}")]
    }
    fn free_and_ret(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tadd sp, sp, #{bytes}"), "\tbx lr".into()]
    }
    fn store(&self, reg: &str, base: &str, off: &str, _bytes: usize) -> String {
        format!("\tstr {reg}, [{base}, #{off}]")
    }
    fn load(&self, reg: &str, base: &str, off: &str, _bytes: usize) -> String {
        format!("\tldr {reg}, [{base}, #{off}]")
    }
    fn load_imm(&self, reg: &str, value: u64) -> Vec<String> {
        let v = value as u32;
        let mut l = vec![format!("\tmovw {reg}, #{:#x}", v & 0xffff)];
        if v >> 16 != 0 {
            l.push(format!("\tmovt {reg}, #{:#x}", v >> 16));
        }
        l
    }
    fn mov(&self, dst: &str, src: &str) -> String {
        format!("\tmov {dst}, {src}")
    }
    fn trap(&self, trap: &Trap, _entry_slot: &str) -> Vec<String> {
        insn(trap)
            .into_iter()
            .filter(|l| !l.starts_with('.'))
            .map(|l| format!("\t{l}"))
            .collect()
    }
    fn hang(&self) -> Vec<String> {
        vec!["1:\tb 1b".into()]
    }
}

fn insn(trap: &Trap) -> Vec<String> {
    match trap {
        Trap::Hvc(i) => vec![".arch_extension virt".into(), format!("hvc #{i:#x}")],
        Trap::Smc(i) => vec![".arch_extension sec".into(), format!("smc #{i:#x}")],
        other => unreachable!("{other} is not an arm trap"),
    }
}
