//! x86_64: `vmcall`/`vmmcall`/`syscall`/hypercall page; rbx (LLVM base pointer) and rbp (frame
//! pointer) cannot be asm operands, so they are exchanged with a scratch register around the trap.

use std::fmt::Write;

use abi_spec::{Reg, Trap};
use proc_macro2::TokenStream;
use quote::quote;

use super::swap::Chain;
use super::ArchAsm;

pub struct X86_64;

/// Register-file order (see `abi_spec::arch`): rax rbx rcx rdx rsi rdi rbp rsp r8-r15 rflags.
const ORDER: [&str; 16] = [
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13",
    "r14", "r15",
];
const RSP: usize = 7 * 8;
const RFLAGS: usize = 16 * 8;

const CHAIN: Chain = Chain {
    allocatable: &["rbx", "rbp"],
    exchange: |a, b| vec![format!("xchg {a}, {b}")],
    locate: true,
};

impl ArchAsm for X86_64 {
    fn word(&self) -> TokenStream {
        quote!(u64)
    }

    fn operand(&self, reg: Reg) -> Option<&'static str> {
        match reg.name() {
            "rbx" | "rbp" | "rsp" | "rflags" => None,
            n => Some(n),
        }
    }

    fn trap_insn(&self, trap: &Trap) -> Vec<String> {
        match trap {
            Trap::Vmcall => vec!["vmcall".into()],
            Trap::Vmmcall => vec!["vmmcall".into()],
            Trap::Syscall => vec!["syscall".into()],
            Trap::Int(i) => vec![format!("int {i:#x}")],
            Trap::HypercallPage { .. } => vec!["call {entry}".into()],
            other => unreachable!("{other} is not an x86_64 trap"),
        }
    }

    fn chain(&self) -> Option<&'static Chain> {
        Some(&CHAIN)
    }

    /// System V: rdi = input file, rsi = output file, rdx = page entry. The output pointer and the
    /// entry wait on the stack; rdi and the flags after the trap are pushed until the output
    /// pointer is back. `rsp` in the output is rsp after the trap minus rsp before.
    fn probe(&self, trap: &Trap, symbol: &str) -> String {
        let mut s = String::new();
        let w = &mut s;
        writeln!(
            w,
            ".text\n.balign 16\n.global {symbol}\n.type {symbol},@function\n{symbol}:"
        )
        .unwrap();
        for r in ["rbx", "rbp", "r12", "r13", "r14", "r15", "rsi", "rdx"] {
            writeln!(w, "    push {r}").unwrap();
        }
        writeln!(w, "    mov [rsi + {RSP}], rsp").unwrap();
        writeln!(w, "    push qword ptr [rdi + {RFLAGS}]\n    popfq").unwrap();
        for (i, r) in ORDER.iter().enumerate() {
            if !matches!(*r, "rdi" | "rsp") {
                writeln!(w, "    mov {r}, [rdi + {}]", i * 8).unwrap();
            }
        }
        writeln!(w, "    mov rdi, [rdi + 40]").unwrap();
        match trap {
            Trap::HypercallPage { .. } => writeln!(w, "    call qword ptr [rsp]").unwrap(),
            t => {
                for line in self.trap_insn(t) {
                    writeln!(w, "    {line}").unwrap();
                }
            }
        }
        writeln!(w, "    push rdi\n    pushfq\n    mov rdi, [rsp + 24]").unwrap();
        for (i, r) in ORDER.iter().enumerate() {
            if !matches!(*r, "rdi" | "rsp") {
                writeln!(w, "    mov [rdi + {}], {r}", i * 8).unwrap();
            }
        }
        writeln!(w, "    pop rax\n    mov [rdi + {RFLAGS}], rax").unwrap();
        writeln!(w, "    pop rax\n    mov [rdi + 40], rax").unwrap();
        writeln!(
            w,
            "    mov rax, rsp\n    sub rax, [rdi + {RSP}]\n    mov [rdi + {RSP}], rax"
        )
        .unwrap();
        writeln!(w, "    add rsp, 16").unwrap();
        for r in ["r15", "r14", "r13", "r12", "rbp", "rbx"] {
            writeln!(w, "    pop {r}").unwrap();
        }
        writeln!(w, "    ret\n.size {symbol}, . - {symbol}").unwrap();
        s
    }
}
