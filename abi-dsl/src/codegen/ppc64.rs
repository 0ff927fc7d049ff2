//! ppc64: `sc 1` (hypervisor call). r29 (LLVM base pointer), r30 and r31 (frame pointer) cannot be
//! asm operands; they are exchanged with a scratch register around the trap. r2 (TOC) and r13
//! (thread pointer / PACA) are only saved and restored when an ABI lets the hypervisor clobber
//! them, never loaded. cr, xer, lr and ctr are clobber-only operands. LLVM prints registers as bare
//! numbers, so the templates do too.

use std::fmt::Write;

use abi_spec::{Reg, Trap};
use proc_macro2::TokenStream;
use quote::quote;

use super::swap::Chain;
use super::ArchAsm;

pub struct Ppc64;

/// Register-file offsets (see `abi_spec::arch`): r0-r31 at 8*n, then cr, xer, lr, ctr.
const CR: usize = 32 * 8;
const SPRS: [(&str, &str, usize); 3] = [
    ("xer", "mtxer", 33 * 8),
    ("lr", "mtlr", 34 * 8),
    ("ctr", "mtctr", 35 * 8),
];
/// Registers the probe cannot load (r1, r2, r13): it reports each as after minus before.
const FIXED: [usize; 3] = [1, 2, 13];
/// The probe's frame. Its first 112 bytes are the ELFv1 header and parameter save area (ELFv2
/// needs 32); then the output pointer, r3/r4 after the trap, r2, r13 and r14-r31.
const FRAME: usize = 320;
const OUT: usize = 112;
const PARK: usize = 120;
const SAVE_R2: usize = 136;
const SAVE_R13: usize = 144;
const SAVE_NV: usize = 152;

const CHAIN: Chain = Chain {
    allocatable: &["29", "30", "31"],
    // Three XORs (no `xor.`): cr untouched.
    exchange: |a, b| {
        vec![
            format!("xor {a}, {a}, {b}"),
            format!("xor {b}, {b}, {a}"),
            format!("xor {a}, {a}, {b}"),
        ]
    },
    locate: false,
};

/// The register as LLVM prints it in a template: its number.
fn num(reg: Reg) -> &'static str {
    reg.name().trim_start_matches('r')
}

impl Ppc64 {
    /// The probe body, after the entry label.
    fn probe_body(&self, trap: &Trap, w: &mut String) {
        writeln!(
            w,
            "    mflr 0\n    std 0, 16(1)\n    mfcr 0\n    stw 0, 8(1)\n    stdu 1, -{FRAME}(1)"
        )
        .unwrap();
        writeln!(
            w,
            "    std 4, {OUT}(1)\n    std 2, {SAVE_R2}(1)\n    std 13, {SAVE_R13}(1)"
        )
        .unwrap();
        for n in 14..32 {
            writeln!(w, "    std {n}, {}(1)", SAVE_NV + (n - 14) * 8).unwrap();
        }
        for n in FIXED {
            writeln!(w, "    std {n}, {}(4)", n * 8).unwrap();
        }
        for (_, mt, off) in SPRS {
            writeln!(w, "    ld 0, {off}(3)\n    {mt} 0").unwrap();
        }
        writeln!(w, "    ld 0, {CR}(3)\n    mtcrf 0xff, 0\n    ld 0, 0(3)").unwrap();
        for n in (4..13).chain(14..32) {
            writeln!(w, "    ld {n}, {}(3)", n * 8).unwrap();
        }
        writeln!(w, "    ld 3, 24(3)").unwrap();
        for line in self.trap_insn(trap) {
            writeln!(w, "    {line}").unwrap();
        }
        // Stores leave cr alone, so mfcr still sees the trap's.
        writeln!(w, "    std 3, {PARK}(1)\n    std 4, {}(1)\n    mfcr 3\n    ld 4, {OUT}(1)\n    std 3, {CR}(4)", PARK + 8)
            .unwrap();
        for (name, _, off) in SPRS {
            writeln!(w, "    mf{name} 3\n    std 3, {off}(4)").unwrap();
        }
        for n in [0].into_iter().chain(5..13).chain(14..32) {
            writeln!(w, "    std {n}, {}(4)", n * 8).unwrap();
        }
        writeln!(
            w,
            "    ld 3, {PARK}(1)\n    std 3, 24(4)\n    ld 3, {}(1)\n    std 3, 32(4)",
            PARK + 8
        )
        .unwrap();
        for n in FIXED {
            writeln!(
                w,
                "    ld 3, {off}(4)\n    subf 3, 3, {n}\n    std 3, {off}(4)",
                off = n * 8
            )
            .unwrap();
        }
        writeln!(w, "    ld 2, {SAVE_R2}(1)\n    ld 13, {SAVE_R13}(1)").unwrap();
        for n in 14..32 {
            writeln!(w, "    ld {n}, {}(1)", SAVE_NV + (n - 14) * 8).unwrap();
        }
        writeln!(w, "    addi 1, 1, {FRAME}\n    ld 0, 16(1)\n    mtlr 0\n    lwz 0, 8(1)\n    mtcrf 0xff, 0\n    blr").unwrap();
    }

    /// The probe for the ELFv1 ABI (powerpc64-unknown-linux-gnu), where a function symbol names
    /// a descriptor in `.opd`. [`ArchAsm::probe`] gives the ELFv2 form; `global_asm!` text cannot
    /// test the target ABI, so the generator has to pick with `#[cfg(target_abi = "elfv1")]`.
    #[allow(dead_code)]
    fn probe_elfv1(&self, trap: &Trap, symbol: &str) -> String {
        let mut s = String::new();
        let w = &mut s;
        writeln!(w, ".section .opd,\"aw\",@progbits\n.p2align 3\n.global {symbol}\n.type {symbol},@function").unwrap();
        writeln!(w, "{symbol}:\n    .quad .L{symbol}_entry, .TOC.@tocbase, 0").unwrap();
        writeln!(w, ".text\n.p2align 4\n.L{symbol}_entry:").unwrap();
        self.probe_body(trap, w);
        writeln!(w, ".size {symbol}, . - .L{symbol}_entry").unwrap();
        s
    }
}

impl ArchAsm for Ppc64 {
    fn word(&self) -> TokenStream {
        quote!(u64)
    }

    fn operand(&self, reg: Reg) -> Option<&'static str> {
        match reg.name() {
            "r1" | "r2" | "r13" | "r29" | "r30" | "r31" => None,
            n => Some(n),
        }
    }

    fn clobber_only(&self, reg: Reg) -> bool {
        matches!(reg.name(), "cr" | "xer" | "lr" | "ctr")
    }

    fn trap_insn(&self, trap: &Trap) -> Vec<String> {
        match trap {
            Trap::Sc(lev) => vec![format!("sc {lev}")],
            other => unreachable!("{other} is not a ppc64 trap"),
        }
    }

    fn chain(&self) -> Option<&'static Chain> {
        Some(&CHAIN)
    }

    fn asm_name(&self, reg: Reg) -> &'static str {
        num(reg)
    }

    /// ELFv2 (see [`Ppc64::probe_elfv1`] for ELFv1): r3 = input file, r4 = output file. LR and CR
    /// go to the caller's frame; the probe's frame holds the output pointer, r2, r13 and r14-r31,
    /// and, after the trap, r3/r4 until the output pointer is back. cr, xer, lr and ctr are loaded
    /// (mtcrf/mtxer/mtlr/mtctr) and captured. r1, r2 and r13 are not loaded: the output holds each
    /// one's value after the trap minus its value before (0 if preserved); r2 and r13 are restored
    /// before returning. The probe needs no TOC, so it has a single entry point.
    fn probe(&self, trap: &Trap, symbol: &str) -> String {
        let mut s = String::new();
        let w = &mut s;
        writeln!(
            w,
            ".text\n.p2align 4\n.global {symbol}\n.type {symbol},@function\n{symbol}:"
        )
        .unwrap();
        self.probe_body(trap, w);
        writeln!(w, ".size {symbol}, . - {symbol}").unwrap();
        s
    }

    /// Big-endian ppc64 Linux targets use ELFv1, where a function symbol names a descriptor.
    fn probe_variants(&self, trap: &Trap, symbol: &str) -> Vec<(&'static str, String)> {
        vec![("elfv1", self.probe_elfv1(trap, symbol))]
    }
}
