//! arm (AArch32, A32 or T32): `hvc`/`smc`. r6 (LLVM base pointer), r7 and r11 (the frame pointer
//! in Thumb and Arm state), r9 (the platform register, reserved on some targets) cannot be asm
//! operands; they are exchanged with the registers carrying their values around the trap (see
//! [`Chain`], which x86, riscv64 and ppc64 use too). pc is never carried. The probe is written in
//! unified syntax valid in both instruction sets and works on little- and big-endian targets.

use std::fmt::Write;

use abi_spec::{Reg, Trap};
use proc_macro2::TokenStream;
use quote::quote;

use super::swap::Chain;
use super::ArchAsm;

pub struct Arm;

/// Register-file offsets (see `abi_spec::arch`): r0-r15 at 8*n, cpsr at 128. Each slot is a u64;
/// a register occupies its low 32 bits.
const SP: usize = 13 * 8;
const LR: usize = 14 * 8;
const CPSR: usize = 16 * 8;
const SLOTS: usize = 17;

const CHAIN: Chain = Chain {
    allocatable: &["r6", "r7", "r9", "r11"],
    // Three EORs: no scratch register, flags untouched.
    exchange: |a, b| {
        vec![
            format!("eor {a}, {a}, {b}"),
            format!("eor {b}, {b}, {a}"),
            format!("eor {a}, {a}, {b}"),
        ]
    },
    locate: false,
};

impl ArchAsm for Arm {
    fn word(&self) -> TokenStream {
        quote!(u32)
    }

    fn operand(&self, reg: Reg) -> Option<&'static str> {
        match reg.name() {
            "r6" | "r7" | "r9" | "r11" | "r13" | "r15" | "cpsr" => None,
            n => Some(n),
        }
    }

    fn trap_insn(&self, trap: &Trap) -> Vec<String> {
        match trap {
            Trap::Hvc(i) => vec![".arch_extension virt".into(), format!("hvc #{i:#x}")],
            Trap::Smc(i) => vec![".arch_extension sec".into(), format!("smc #{i:#x}")],
            other => unreachable!("{other} is not an arm trap"),
        }
    }

    fn chain(&self) -> Option<&'static Chain> {
        Some(&CHAIN)
    }

    /// AAPCS: r0 = input file, r1 = output file. The output file is zeroed first, then both
    /// pointers are moved to the low half of slot 0 (+4 on a big-endian target, found at run
    /// time), so every access is a 32-bit load or store of a slot's low half. The output pointer
    /// waits on the stack with the callee-saved registers; r0/r1 after the trap are pushed until it
    /// is back. `r13` in the output is sp after the trap minus sp before (0 if preserved); `r15`
    /// is not observable and stays 0.
    fn probe(&self, trap: &Trap, symbol: &str) -> String {
        let mut s = String::new();
        let w = &mut s;
        // The body assembles in either instruction set, whichever the target starts module asm
        // in. A Thumb function symbol needs its low bit set, which `.type` alone does not always
        // get (thumbv7neon-linux: an armv7 triple with +thumb-mode, where the assembler encodes
        // Thumb but does not mark functions as such). So the symbol is defined at the end as the
        // entry plus (4 - size of a `mov`) / 2: +1 in Thumb, +0 in Arm state.
        writeln!(
            w,
            ".syntax unified\n.text\n.balign 4\n.L{symbol}_mov:\n    mov r0, r0\n.L{symbol}:"
        )
        .unwrap();
        writeln!(w, "    push {{{{r1, r4-r11, lr}}}}").unwrap();
        // Zero the output file. (Module-level asm is assembled for the target's base architecture,
        // so this sticks to ARMv4T instructions: no strd.)
        writeln!(w, "    mov r2, #0\n    add r3, r1, #{}", SLOTS * 8).unwrap();
        writeln!(
            w,
            "1:  str r2, [r1], #4\n    cmp r1, r3\n    bne 1b\n    sub r1, r1, #{}",
            SLOTS * 8
        )
        .unwrap();
        // Endianness: store 1 as a word and read its first byte back (1 on little-endian).
        writeln!(
            w,
            "    mov r4, #1\n    str r4, [r1]\n    ldrb r4, [r1]\n    str r2, [r1]"
        )
        .unwrap();
        writeln!(
            w,
            "    eor r4, r4, #1\n    lsl r4, r4, #2\n    add r0, r0, r4\n    add r1, r1, r4"
        )
        .unwrap();
        writeln!(w, "    str r1, [sp]\n    str sp, [r1, #{SP}]").unwrap();
        writeln!(w, "    ldr r4, [r0, #{CPSR}]\n    msr APSR_nzcvq, r4").unwrap();
        writeln!(w, "    ldr lr, [r0, #{LR}]").unwrap();
        for n in (1..=12).rev() {
            writeln!(w, "    ldr r{n}, [r0, #{}]", n * 8).unwrap();
        }
        writeln!(w, "    ldr r0, [r0]").unwrap();
        for line in self.trap_insn(trap) {
            writeln!(w, "    {line}").unwrap();
        }
        writeln!(
            w,
            "    push {{{{r0, r1}}}}\n    mrs r1, APSR\n    ldr r0, [sp, #8]"
        )
        .unwrap();
        writeln!(w, "    str r1, [r0, #{CPSR}]").unwrap();
        for n in 2..=12 {
            writeln!(w, "    str r{n}, [r0, #{}]", n * 8).unwrap();
        }
        writeln!(w, "    str lr, [r0, #{LR}]").unwrap();
        writeln!(
            w,
            "    pop {{{{r2, r3}}}}\n    str r2, [r0]\n    str r3, [r0, #8]"
        )
        .unwrap();
        writeln!(
            w,
            "    mov r2, sp\n    ldr r3, [r0, #{SP}]\n    sub r2, r2, r3\n    str r2, [r0, #{SP}]"
        )
        .unwrap();
        writeln!(w, "    add sp, sp, #4\n    pop {{{{r4-r11, pc}}}}").unwrap();
        writeln!(w, ".global {symbol}\n.type {symbol},%function").unwrap();
        writeln!(
            w,
            ".set {symbol}, .L{symbol} + (4 - (.L{symbol} - .L{symbol}_mov)) / 2"
        )
        .unwrap();
        writeln!(w, ".size {symbol}, . - .L{symbol}").unwrap();
        s
    }
}
