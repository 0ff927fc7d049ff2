//! AArch64: `hvc`/`smc`; x19 (LLVM base pointer) and x29 (frame pointer) cannot be asm operands.

use std::fmt::Write;

use abi_spec::{Reg, Trap};
use proc_macro2::TokenStream;
use quote::quote;

use super::swap::Chain;
use super::ArchAsm;

pub struct Aarch64;

/// Register-file offsets: x0-x30 at 8*n, sp at 248, nzcv at 256 (see `abi_spec::arch`).
const SP: usize = 31 * 8;
const NZCV: usize = 32 * 8;

/// `eor` leaves NZCV alone (only `eors` sets flags), so the exchange does not disturb the flags.
const CHAIN: Chain = Chain {
    allocatable: &["x19", "x29"],
    exchange: |a, b| {
        vec![
            format!("eor {a}, {a}, {b}"),
            format!("eor {b}, {b}, {a}"),
            format!("eor {a}, {a}, {b}"),
        ]
    },
    locate: false,
};

impl ArchAsm for Aarch64 {
    fn trap_insn(&self, trap: &Trap) -> Vec<String> {
        match trap {
            Trap::Hvc(i) => vec![format!("hvc #{i:#x}")],
            Trap::Smc(i) => vec![format!("smc #{i:#x}")],
            other => unreachable!("{other} is not an aarch64 trap"),
        }
    }

    fn chain(&self) -> Option<&'static Chain> {
        Some(&CHAIN)
    }

    fn word(&self) -> TokenStream {
        quote!(u64)
    }

    fn operand(&self, reg: Reg) -> Option<&'static str> {
        match reg.name() {
            "x19" | "x29" | "sp" | "nzcv" => None,
            n => Some(n),
        }
    }

    /// x0 = input file, x1 = output file. The output pointer waits on the stack while every
    /// register holds the input; x0/x1 after the trap are parked on the stack until the output
    /// pointer is back. `sp` in the output is sp after the trap minus sp before (0 if preserved).
    fn probe(&self, trap: &Trap, symbol: &str) -> String {
        let mut s = String::new();
        let w = &mut s;
        writeln!(
            w,
            ".text\n.balign 4\n.global {symbol}\n.type {symbol},%function\n{symbol}:"
        )
        .unwrap();
        for (a, b) in [(29, 30), (27, 28), (25, 26), (23, 24), (21, 22), (19, 20)] {
            writeln!(w, "    stp x{a}, x{b}, [sp, #-16]!").unwrap();
        }
        writeln!(w, "    stp x1, x18, [sp, #-16]!").unwrap();
        writeln!(w, "    mov x9, sp\n    str x9, [x1, #{SP}]").unwrap();
        writeln!(w, "    ldr x9, [x0, #{NZCV}]\n    msr nzcv, x9").unwrap();
        for n in (2..30).step_by(2) {
            writeln!(w, "    ldp x{n}, x{}, [x0, #{}]", n + 1, n * 8).unwrap();
        }
        writeln!(w, "    ldr x30, [x0, #240]\n    ldp x0, x1, [x0]").unwrap();
        for line in self.trap_insn(trap) {
            writeln!(w, "    {line}").unwrap();
        }
        writeln!(
            w,
            "    stp x0, x1, [sp, #-16]!\n    mrs x1, nzcv\n    ldr x0, [sp, #16]"
        )
        .unwrap();
        writeln!(w, "    str x1, [x0, #{NZCV}]").unwrap();
        for n in (2..30).step_by(2) {
            writeln!(w, "    stp x{n}, x{}, [x0, #{}]", n + 1, n * 8).unwrap();
        }
        writeln!(
            w,
            "    str x30, [x0, #240]\n    ldp x2, x3, [sp], #16\n    stp x2, x3, [x0]"
        )
        .unwrap();
        writeln!(
            w,
            "    mov x2, sp\n    ldr x3, [x0, #{SP}]\n    sub x2, x2, x3\n    str x2, [x0, #{SP}]"
        )
        .unwrap();
        writeln!(w, "    ldp x1, x18, [sp], #16").unwrap();
        for (a, b) in [(19, 20), (21, 22), (23, 24), (25, 26), (27, 28), (29, 30)] {
            writeln!(w, "    ldp x{a}, x{b}, [sp], #16").unwrap();
        }
        writeln!(w, "    ret\n.size {symbol}, . - {symbol}").unwrap();
        s
    }
}
