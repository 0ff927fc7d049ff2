//! riscv64: `ecall`. s0 (frame pointer) and s1 (LLVM base pointer) cannot be asm operands; they
//! are exchanged with a scratch register around the trap. gp and tp (reserved everywhere) are only
//! saved and restored when an ABI lets the hypervisor clobber them: they never carry a value in.

use std::fmt::Write;

use abi_spec::{Reg, Trap};
use proc_macro2::TokenStream;
use quote::quote;

use super::swap::Chain;
use super::ArchAsm;

pub struct Riscv64;

/// Register-file order (see `abi_spec::arch`): x1-x31 by ABI name, each at 8 * index.
const ORDER: [&str; 31] = [
    "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6",
    "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
];
const A0: usize = 9 * 8;
const A1: usize = 10 * 8;
/// Registers the probe cannot load (sp, gp, tp): it reports each as after minus before.
const FIXED: [(&str, usize); 3] = [("sp", 8), ("gp", 16), ("tp", 24)];
/// The probe's frame: ra, s0-s11, gp, tp (restored in case the trap clobbered them), then the
/// output pointer; 16 slots.
const SAVED: [&str; 15] = [
    "ra", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "gp", "tp",
];
const FRAME: usize = 128;
const OUT: usize = 120;

const CHAIN: Chain = Chain {
    allocatable: &["s0", "s1"],
    exchange: |a, b| {
        vec![
            format!("xor {a}, {a}, {b}"),
            format!("xor {b}, {b}, {a}"),
            format!("xor {a}, {a}, {b}"),
        ]
    },
    locate: false,
};

impl ArchAsm for Riscv64 {
    fn word(&self) -> TokenStream {
        quote!(u64)
    }

    fn operand(&self, reg: Reg) -> Option<&'static str> {
        match reg.name() {
            "sp" | "gp" | "tp" | "s0" | "s1" => None,
            n => Some(n),
        }
    }

    fn trap_insn(&self, trap: &Trap) -> Vec<String> {
        match trap {
            Trap::Ecall => vec!["ecall".to_string()],
            other => unreachable!("{other} is not a riscv64 trap"),
        }
    }

    fn chain(&self) -> Option<&'static Chain> {
        Some(&CHAIN)
    }

    /// LP64: a0 = input file, a1 = output file. ra, s0-s11, gp, tp and the output pointer are
    /// saved in a frame; a0/a1 after the trap are pushed until the output pointer is back. sp, gp
    /// and tp are not loaded: the output holds each one's value after the trap minus its value
    /// before (0 if preserved).
    fn probe(&self, trap: &Trap, symbol: &str) -> String {
        let mut s = String::new();
        let w = &mut s;
        writeln!(
            w,
            ".text\n.balign 4\n.global {symbol}\n.type {symbol},@function\n{symbol}:"
        )
        .unwrap();
        writeln!(w, "    addi sp, sp, -{FRAME}").unwrap();
        for (i, r) in SAVED.iter().enumerate() {
            writeln!(w, "    sd {r}, {}(sp)", i * 8).unwrap();
        }
        writeln!(w, "    sd a1, {OUT}(sp)").unwrap();
        for (r, off) in FIXED {
            writeln!(w, "    sd {r}, {off}(a1)").unwrap();
        }
        for (i, r) in ORDER.iter().enumerate() {
            if !matches!(*r, "sp" | "gp" | "tp" | "a0") {
                writeln!(w, "    ld {r}, {}(a0)", i * 8).unwrap();
            }
        }
        writeln!(w, "    ld a0, {A0}(a0)").unwrap();
        for line in self.trap_insn(trap) {
            writeln!(w, "    {line}").unwrap();
        }
        writeln!(
            w,
            "    addi sp, sp, -16\n    sd a0, 0(sp)\n    sd a1, 8(sp)\n    ld a0, {}(sp)",
            OUT + 16
        )
        .unwrap();
        for (i, r) in ORDER.iter().enumerate() {
            if !matches!(*r, "sp" | "gp" | "tp" | "a0" | "a1") {
                writeln!(w, "    sd {r}, {}(a0)", i * 8).unwrap();
            }
        }
        writeln!(w, "    ld a1, 0(sp)\n    sd a1, {A0}(a0)\n    ld a1, 8(sp)\n    sd a1, {A1}(a0)\n    addi sp, sp, 16").unwrap();
        for (r, off) in FIXED {
            writeln!(
                w,
                "    ld a1, {off}(a0)\n    sub a1, {r}, a1\n    sd a1, {off}(a0)"
            )
            .unwrap();
        }
        for (i, r) in SAVED.iter().enumerate() {
            writeln!(w, "    ld {r}, {}(sp)", i * 8).unwrap();
        }
        writeln!(
            w,
            "    addi sp, sp, {FRAME}\n    ret\n.size {symbol}, . - {symbol}"
        )
        .unwrap();
        s
    }
}
