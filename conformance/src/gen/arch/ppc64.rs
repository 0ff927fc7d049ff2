//! ppc64 (64-bit PowerPC ELF, ELFv1 and ELFv2). r31 (the frame pointer) and r30 may be reserved
//! by the compiler; r1, r2 (TOC) and r13 are never touched by any ABI. Registers are written as
//! bare numbers, as GCC prints them. The assembly stubs pick the function-entry form and the
//! offset of the caller's parameter save area (48 bytes under ELFv1, 32 under ELFv2) with the
//! preprocessor from `_CALL_ELF`.

use abi_spec::{Reg, Trap};

use super::Isa;

pub struct Ppc64;

/// `r14` as the assembler's `14`.
fn n(reg: &str) -> &str {
    reg.trim_start_matches('r')
}

impl Isa for Ppc64 {
    fn cpp_test(&self) -> &'static str {
        "defined(__powerpc64__)"
    }
    fn word(&self) -> usize {
        8
    }
    fn reserved(&self) -> &'static [&'static str] {
        &["r30", "r31"]
    }
    fn tmpl(&self, reg: &str) -> String {
        n(reg).to_string()
    }
    fn flags_clobbers(&self) -> Vec<String> {
        (0..8).map(|i| format!("cr{i}")).collect()
    }
    fn c_mov(&self, dst: &str, src: &str) -> String {
        format!("mr {dst}, {src}")
    }
    fn c_trap(&self, trap: &Trap, _noreturn: bool) -> Vec<String> {
        vec![insn(trap)]
    }
    fn asm_prelude(&self) -> Vec<String> {
        vec![
            "#if defined(_CALL_ELF) && _CALL_ELF == 2".into(),
            "#define HYPERABI_PSA 32".into(),
            "#else".into(),
            "#define HYPERABI_PSA 48".into(),
            "#endif".into(),
            "\t.text".into(),
        ]
    }
    fn func_begin(&self, sym: &str) -> Vec<String> {
        vec![
            "#if defined(_CALL_ELF) && _CALL_ELF == 2".into(),
            "\t.balign 16".into(),
            format!("\t.globl {sym}"),
            format!("\t.type {sym}, @function"),
            format!("{sym}:"),
            "#else".into(),
            "\t.section \".opd\", \"aw\"".into(),
            "\t.balign 8".into(),
            format!("\t.globl {sym}"),
            format!("{sym}:"),
            format!("\t.quad .L.{sym}, .TOC.@tocbase, 0"),
            "\t.previous".into(),
            format!("\t.type {sym}, @function"),
            "\t.balign 16".into(),
            format!(".L.{sym}:"),
            "#endif".into(),
        ]
    }
    fn func_end(&self, sym: &str) -> Vec<String> {
        vec![
            "#if defined(_CALL_ELF) && _CALL_ELF == 2".into(),
            format!("\t.size {sym}, . - {sym}"),
            "#else".into(),
            format!("\t.size {sym}, . - .L.{sym}"),
            "#endif".into(),
        ]
    }
    fn c_args(&self) -> &'static [&'static str] {
        &["r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"]
    }
    fn c_ret(&self) -> &'static str {
        "r3"
    }
    fn stack_arg(&self, i: usize) -> String {
        // Every argument has a doubleword in the caller's parameter save area, the eight
        // register arguments included.
        format!("HYPERABI_PSA+{}", 8 * (8 + i))
    }
    fn callee_saved(&self) -> &'static [&'static str] {
        &[
            "r14", "r15", "r16", "r17", "r18", "r19", "r20", "r21", "r22", "r23", "r24", "r25",
            "r26", "r27", "r28", "r29", "r30", "r31", "lr",
        ]
    }
    fn scratch(&self) -> &'static [&'static str] {
        // Not r0: as a base register it reads as 0.
        &["r11", "r14"]
    }
    fn frame_base(&self) -> usize {
        48
    }
    fn alloc(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tstdu 1, -{bytes}(1)")]
    }
    fn free_and_ret(&self, bytes: usize) -> Vec<String> {
        vec![format!("\taddi 1, 1, {bytes}"), "\tblr".into()]
    }
    fn store(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        let base = if base == "sp" { "1" } else { n(base) };
        if reg == "lr" {
            return format!("\tmflr 0\n\tstd 0, {off}({base})");
        }
        let op = if bytes == 4 { "stw" } else { "std" };
        format!("\t{op} {}, {off}({base})", n(reg))
    }
    fn load(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        let base = if base == "sp" { "1" } else { n(base) };
        if reg == "lr" {
            return format!("\tld 0, {off}({base})\n\tmtlr 0");
        }
        let op = if bytes == 4 { "lwz" } else { "ld" };
        format!("\t{op} {}, {off}({base})", n(reg))
    }
    fn load_imm(&self, reg: &str, value: u64) -> Vec<String> {
        let r = n(reg);
        let hi = ((value >> 48) & 0xffff) as i64;
        let hi = if hi >= 0x8000 { hi - 0x10000 } else { hi };
        vec![
            format!("\tlis {r}, {hi}"),
            format!("\tori {r}, {r}, {:#x}", (value >> 32) & 0xffff),
            format!("\tsldi {r}, {r}, 32"),
            format!("\toris {r}, {r}, {:#x}", (value >> 16) & 0xffff),
            format!("\tori {r}, {r}, {:#x}", value & 0xffff),
        ]
    }
    fn mov(&self, dst: &str, src: &str) -> String {
        format!("\tmr {}, {}", n(dst), n(src))
    }
    fn trap(&self, trap: &Trap, _entry_slot: &str) -> Vec<String> {
        vec![format!("\t{}", insn(trap))]
    }
    fn hang(&self) -> Vec<String> {
        vec!["1:\tb 1b".into()]
    }
    /// cr2-cr4 are non-volatile: keep cr in the caller's CR save word (8 bytes above the
    /// caller's stack pointer under both ELF ABIs).
    fn save_special(&self, reg: Reg, frame: usize) -> Vec<String> {
        if reg.name() != "cr" {
            return Vec::new();
        }
        vec!["\tmfcr 0".into(), format!("\tstw 0, {}(1)", frame + 8)]
    }
    fn restore_special(&self, reg: Reg, frame: usize) -> Vec<String> {
        if reg.name() != "cr" {
            return Vec::new();
        }
        vec![
            format!("\tlwz 0, {}(1)", frame + 8),
            "\tmtcrf 0x38, 0".into(),
        ]
    }
}

fn insn(trap: &Trap) -> String {
    match trap {
        Trap::Sc(lev) => format!("sc {lev}"),
        other => unreachable!("{other} is not a ppc64 trap"),
    }
}
