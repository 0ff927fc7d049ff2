//! The `hypercall_abi!` DSL. The pipeline lives in `abi-dsl`; this crate is its entry point.
#![doc = include_str!("../../abi-dsl/GRAMMAR.md")]
#![warn(missing_docs)]

use proc_macro::TokenStream;

/// Declares one or more hypercall ABIs; see the crate documentation for the grammar.
#[proc_macro]
pub fn hypercall_abi(input: TokenStream) -> TokenStream {
    abi_dsl::expand(input.into()).into()
}
