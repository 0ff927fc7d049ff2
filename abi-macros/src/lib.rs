//! The `hypercall_abi!` DSL. See the crate README section in [`hypercall_abi!`] for the grammar.
//!
//! The macro is thin: [`parse`] builds a spanned syntax tree, [`validate`] resolves and checks it
//! (reporting every error at its span, all at once), [`lower`] turns it into an `abi_spec::Abi`,
//! and [`codegen`] emits the spec value, callers, probe and strategies from that model.

mod codegen;
mod lower;
mod parse;
mod validate;

use proc_macro::TokenStream;

#[doc = include_str!("../GRAMMAR.md")]
#[proc_macro]
pub fn hypercall_abi(input: TokenStream) -> TokenStream {
    expand(input.into()).into()
}

/// The whole pipeline on token streams, so tests can snapshot an expansion without a compiler.
fn expand(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let parsed: parse::Input = match syn::parse2(input) {
        Ok(p) => p,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = validate::Errors::default();
    let mut out = proc_macro2::TokenStream::new();
    for def in &parsed.abis {
        if let Some(checked) = validate::check_abi(def, &mut errors) {
            let abi = lower::lower(&checked);
            out.extend(codegen::expand(&checked, &abi));
        }
    }
    out.extend(errors.into_compile_errors());
    out
}
