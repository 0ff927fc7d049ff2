//! s390x (ELF ABI). r11 is the frame pointer and r12 the GOT pointer under PIC: the header never
//! binds or clobbers them. DIAGNOSE in the form KVM and Linux use, `diag %r2,%r4,code`.

use abi_spec::Trap;

use super::Isa;

pub struct S390x;

impl Isa for S390x {
    fn cpp_test(&self) -> &'static str {
        "defined(__s390x__)"
    }
    fn word(&self) -> usize {
        8
    }
    fn reserved(&self) -> &'static [&'static str] {
        &["r11", "r12"]
    }
    fn tmpl(&self, reg: &str) -> String {
        format!("%%{reg}")
    }
    fn c_mov(&self, dst: &str, src: &str) -> String {
        format!("lgr {dst}, {src}")
    }
    fn c_trap(&self, trap: &Trap, _noreturn: bool) -> Vec<String> {
        vec![insn(trap, "%%")]
    }
    fn func_begin(&self, sym: &str) -> Vec<String> {
        vec![
            "\t.balign 8".into(),
            format!("\t.global {sym}"),
            format!("\t.type {sym}, @function"),
            format!("{sym}:"),
        ]
    }
    fn c_args(&self) -> &'static [&'static str] {
        &["r2", "r3", "r4", "r5", "r6"]
    }
    fn c_ret(&self) -> &'static str {
        "r2"
    }
    fn stack_arg(&self, i: usize) -> String {
        // Past the 160-byte register save area the caller provides.
        (160 + 8 * i).to_string()
    }
    fn callee_saved(&self) -> &'static [&'static str] {
        &["r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13", "r14"]
    }
    fn scratch(&self) -> &'static [&'static str] {
        // Not r0: as a base register it reads as 0.
        &["r1", "r8"]
    }
    fn alloc(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tlay %r15, -{bytes}(%r15)")]
    }
    fn free_and_ret(&self, bytes: usize) -> Vec<String> {
        vec![format!("\tlay %r15, {bytes}(%r15)"), "\tbr %r14".into()]
    }
    fn store(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        let op = if bytes == 4 { "st" } else { "stg" };
        format!("\t{op} %{reg}, {off}(%{})", sp(base))
    }
    fn load(&self, reg: &str, base: &str, off: &str, bytes: usize) -> String {
        let op = if bytes == 4 { "llgf" } else { "lg" };
        format!("\t{op} %{reg}, {off}(%{})", sp(base))
    }
    fn load_imm(&self, reg: &str, value: u64) -> Vec<String> {
        if value >> 32 == 0 {
            vec![format!("\tllilf %{reg}, {value:#x}")]
        } else {
            vec![
                format!("\tllihf %{reg}, {:#x}", value >> 32),
                format!("\tiilf %{reg}, {:#x}", value as u32),
            ]
        }
    }
    fn mov(&self, dst: &str, src: &str) -> String {
        format!("\tlgr %{dst}, %{src}")
    }
    fn trap(&self, trap: &Trap, _entry_slot: &str) -> Vec<String> {
        vec![format!("\t{}", insn(trap, "%"))]
    }
    fn hang(&self) -> Vec<String> {
        vec!["1:\tj 1b".into()]
    }
}

fn sp(base: &str) -> &str {
    if base == "sp" {
        "r15"
    } else {
        base
    }
}

fn insn(trap: &Trap, pct: &str) -> String {
    match trap {
        Trap::Diag(code) => format!("diag {pct}r2, {pct}r4, {code:#x}"),
        other => unreachable!("{other} is not an s390x trap"),
    }
}
