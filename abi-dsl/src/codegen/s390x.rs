//! s390x: DIAGNOSE (`diag %r2,%r4,code`, the form KVM and Linux use: the function code is the
//! displacement). r11 (frame pointer) cannot be an asm operand; it is moved through a scratch
//! register around the trap with `lgr`, which leaves the condition code alone (`xgr` would not).
//! r15 is the stack pointer.

use std::fmt::Write;

use abi_spec::{Reg, Trap};
use proc_macro2::TokenStream;
use quote::quote;

use super::ArchAsm;

pub struct S390x;

/// Register-file offsets (see `abi_spec::arch`): r0-r15 at 8*n, cc at 128 (as 0-3).
const R15: usize = 15 * 8;
const CC: usize = 16 * 8;
/// The probe's frame: the 160-byte register save area, then the output pointer and r0/r1 after
/// the trap.
const FRAME: usize = 184;
const OUT: usize = 160;
const PARK: usize = 168;

/// `lines` unless the carrier `{val}` is `reg` itself (the value is then in place already).
fn unless_in_place(reg: Reg, val: &str, lines: Vec<String>) -> Vec<String> {
    let mut l = vec![format!(".ifnc {{{val}}},%{reg}")];
    l.extend(lines);
    l.push(".endif".into());
    l
}

impl ArchAsm for S390x {
    fn word(&self) -> TokenStream {
        quote!(u64)
    }

    fn operand(&self, reg: Reg) -> Option<&'static str> {
        match reg.name() {
            "r11" | "r15" | "cc" => None,
            n => Some(n),
        }
    }

    fn trap_insn(&self, trap: &Trap) -> Vec<String> {
        vec![match trap {
            Trap::Diag(code) => format!("diag %r2, %r4, {code:#x}"),
            other => unreachable!("{other} is not an s390x trap"),
        }]
    }

    /// r11 is the only unbindable register that carries values, so no carrier can be another
    /// exchanged register; `{tmp}` may be r11 itself (its old value is then dead).
    fn swap_in(&self, reg: Reg, val: &str, tmp: &str) -> Vec<String> {
        if tmp == "_" {
            return unless_in_place(reg, val, vec![format!("lgr %{reg}, {{{val}}}")]);
        }
        unless_in_place(
            reg,
            val,
            vec![
                format!("lgr {{{tmp}}}, %{reg}"),
                format!("lgr %{reg}, {{{val}}}"),
            ],
        )
    }

    fn swap_out(&self, reg: Reg, val: &str, tmp: &str) -> Vec<String> {
        unless_in_place(
            reg,
            val,
            vec![
                format!("lgr {{{val}}}, %{reg}"),
                format!("lgr %{reg}, {{{tmp}}}"),
            ],
        )
    }

    fn swap_needs_tmp(&self) -> bool {
        true
    }

    /// ELF ABI: r2 = input file, r3 = output file. r6-r15 go to the caller's register save area;
    /// the probe's own frame holds the output pointer and, after the trap, r0/r1 until the output
    /// pointer is back. The condition code is set from the input with `spm` (keeping the program
    /// mask) and read back with `ipm`; nothing between the trap and `ipm` sets it. `r15` in the
    /// output is r15 after the trap minus r15 before (0 if preserved).
    fn probe(&self, trap: &Trap, symbol: &str) -> String {
        let mut s = String::new();
        let w = &mut s;
        writeln!(
            w,
            ".text\n.balign 8\n.global {symbol}\n.type {symbol},@function\n{symbol}:"
        )
        .unwrap();
        writeln!(
            w,
            "    stmg %r6, %r15, 48(%r15)\n    lay %r15, -{FRAME}(%r15)"
        )
        .unwrap();
        writeln!(w, "    stg %r3, {OUT}(%r15)\n    stg %r15, {R15}(%r3)").unwrap();
        // cc: bits 34-35 of the `spm` operand; the program mask (bits 36-39) is kept.
        writeln!(w, "    lg %r1, {CC}(%r2)\n    nill %r1, 3\n    sll %r1, 28").unwrap();
        writeln!(
            w,
            "    ipm %r0\n    nilh %r0, 0xcfff\n    or %r0, %r1\n    spm %r0"
        )
        .unwrap();
        // Loads do not set the condition code.
        writeln!(
            w,
            "    lmg %r3, %r14, 24(%r2)\n    lmg %r0, %r1, 0(%r2)\n    lg %r2, 16(%r2)"
        )
        .unwrap();
        for line in self.trap_insn(trap) {
            writeln!(w, "    {line}").unwrap();
        }
        writeln!(
            w,
            "    stg %r0, {PARK}(%r15)\n    stg %r1, {}(%r15)",
            PARK + 8
        )
        .unwrap();
        writeln!(w, "    lghi %r0, 0\n    ipm %r0\n    srl %r0, 28").unwrap();
        writeln!(
            w,
            "    lg %r1, {OUT}(%r15)\n    stg %r0, {CC}(%r1)\n    stmg %r2, %r14, 16(%r1)"
        )
        .unwrap();
        writeln!(w, "    lg %r0, {PARK}(%r15)\n    stg %r0, 0(%r1)\n    lg %r0, {}(%r15)\n    stg %r0, 8(%r1)", PARK + 8).unwrap();
        writeln!(
            w,
            "    lgr %r0, %r15\n    sg %r0, {R15}(%r1)\n    stg %r0, {R15}(%r1)"
        )
        .unwrap();
        writeln!(w, "    lmg %r6, %r15, {}(%r15)\n    br %r14", FRAME + 48).unwrap();
        writeln!(w, ".size {symbol}, . - {symbol}").unwrap();
        s
    }
}
