//! x86 (32-bit): `vmcall`/`vmmcall`/`int imm`/hypercall page; esi (LLVM base pointer) and ebp
//! (frame pointer) cannot be asm operands, so they are exchanged with a scratch register around the
//! trap. Rust can bind ebx on 32-bit x86 (LLVM saves it itself when it is the PIC base).

use std::fmt::Write;

use abi_spec::{Reg, Trap};
use proc_macro2::TokenStream;
use quote::quote;

use super::swap::Chain;
use super::ArchAsm;

pub struct X86;

/// Register-file order (see `abi_spec::arch`): eax ebx ecx edx esi edi ebp esp eflags, each in
/// the low half of a u64 slot (x86 is little-endian).
const ORDER: [&str; 8] = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"];
const ESP: usize = 7 * 8;
const EFLAGS: usize = 8 * 8;
const SLOTS: usize = 9;

const CHAIN: Chain = Chain {
    allocatable: &["esi", "ebp"],
    exchange: |a, b| vec![format!("xchg {a}, {b}")],
    locate: true,
};

impl ArchAsm for X86 {
    fn word(&self) -> TokenStream {
        quote!(u32)
    }

    fn operand(&self, reg: Reg) -> Option<&'static str> {
        match reg.name() {
            "esi" | "ebp" | "esp" | "eflags" => None,
            n => Some(n),
        }
    }

    fn trap_insn(&self, trap: &Trap) -> Vec<String> {
        match trap {
            Trap::Vmcall => vec!["vmcall".into()],
            Trap::Vmmcall => vec!["vmmcall".into()],
            Trap::Int(i) => vec![format!("int {i:#x}")],
            Trap::HypercallPage { .. } => vec!["call {entry}".into()],
            other => unreachable!("{other} is not an x86 trap"),
        }
    }

    fn chain(&self) -> Option<&'static Chain> {
        Some(&CHAIN)
    }

    /// cdecl: the input file, output file and page entry are on the stack. The output pointer and
    /// the entry are pushed again below the callee-saved registers; eax and the flags after the
    /// trap are pushed until the output pointer is back. `esp` in the output is esp after the trap
    /// minus esp before (0 if preserved); the upper half of every slot is written 0.
    fn probe(&self, trap: &Trap, symbol: &str) -> String {
        let mut s = String::new();
        let w = &mut s;
        writeln!(
            w,
            ".text\n.balign 16\n.global {symbol}\n.type {symbol},@function\n{symbol}:"
        )
        .unwrap();
        for r in ["ebp", "ebx", "esi", "edi"] {
            writeln!(w, "    push {r}").unwrap();
        }
        // [esp+20] input, [esp+24] output, [esp+28] entry.
        writeln!(
            w,
            "    mov eax, [esp + 24]\n    push eax\n    push dword ptr [esp + 32]"
        )
        .unwrap();
        // [esp] entry, [esp+4] output, [esp+28] input.
        writeln!(w, "    mov [eax + {ESP}], esp\n    mov eax, [esp + 28]").unwrap();
        writeln!(w, "    push dword ptr [eax + {EFLAGS}]\n    popfd").unwrap();
        for (i, r) in ORDER.iter().enumerate() {
            if !matches!(*r, "eax" | "esp") {
                writeln!(w, "    mov {r}, [eax + {}]", i * 8).unwrap();
            }
        }
        writeln!(w, "    mov eax, [eax]").unwrap();
        match trap {
            Trap::HypercallPage { .. } => writeln!(w, "    call dword ptr [esp]").unwrap(),
            t => {
                for line in self.trap_insn(t) {
                    writeln!(w, "    {line}").unwrap();
                }
            }
        }
        writeln!(w, "    push eax\n    pushfd\n    mov eax, [esp + 12]").unwrap();
        for (i, r) in ORDER.iter().enumerate() {
            if !matches!(*r, "eax" | "esp") {
                writeln!(w, "    mov [eax + {}], {r}", i * 8).unwrap();
            }
        }
        writeln!(
            w,
            "    pop ecx\n    mov [eax + {EFLAGS}], ecx\n    pop ecx\n    mov [eax], ecx"
        )
        .unwrap();
        writeln!(
            w,
            "    mov ecx, esp\n    sub ecx, [eax + {ESP}]\n    mov [eax + {ESP}], ecx"
        )
        .unwrap();
        for i in 0..SLOTS {
            writeln!(w, "    mov dword ptr [eax + {}], 0", i * 8 + 4).unwrap();
        }
        writeln!(w, "    add esp, 8").unwrap();
        for r in ["edi", "esi", "ebx", "ebp"] {
            writeln!(w, "    pop {r}").unwrap();
        }
        // The C ABI requires the direction flag clear on return; the input flags may have set it.
        writeln!(w, "    cld\n    ret\n.size {symbol}, . - {symbol}").unwrap();
        s
    }
}
