//! x86: placeholder being replaced by the full arch module.

use abi_spec::{Reg, Trap};
use proc_macro2::TokenStream;
use quote::quote;

use super::ArchAsm;

pub struct X86;

impl ArchAsm for X86 {
    fn word(&self) -> TokenStream {
        quote!(u64)
    }
    fn operand(&self, reg: Reg) -> Option<&'static str> {
        Some(reg.name())
    }
    fn trap(&self, trap: &Trap) -> Vec<String> {
        vec![trap.to_string()]
    }
    fn swap_in(&self, _reg: Reg, _val: &str, _tmp: &str) -> Vec<String> {
        Vec::new()
    }
    fn swap_out(&self, _reg: Reg, _val: &str, _tmp: &str) -> Vec<String> {
        Vec::new()
    }
    fn swap_needs_tmp(&self) -> bool {
        false
    }
    fn probe(&self, _trap: &Trap, symbol: &str) -> String {
        format!(".text\n.global {symbol}\n{symbol}:\n")
    }
}
