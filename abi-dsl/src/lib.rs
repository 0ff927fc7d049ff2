//! The `hypercall_abi!` pipeline as a library, so the expansion can be tested, snapshotted and
//! timed without a compiler in the loop (the serde_derive / serde_derive_internals split).
//!
//! [`parse`] builds a spanned syntax tree, [`validate`] resolves and checks it (reporting every
//! error at its span, all at once), [`lower`] turns it into an `abi_spec::Abi`, and [`codegen`]
//! emits the spec value, callers, probe, strategies and property tests from that model.

pub mod codegen;
pub mod inherit;
pub mod lower;
pub mod parse;
pub mod validate;

use proc_macro2::TokenStream;

/// Expands the body of one `hypercall_abi! { ... }` invocation. Every ABI that validates is
/// expanded (minus its invalid calls); every error becomes a `compile_error!` at its span.
pub fn expand(input: TokenStream) -> TokenStream {
    let parsed: parse::Input = match syn::parse2(input) {
        Ok(p) => p,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = validate::Errors::default();
    let mut out = TokenStream::new();
    for def in &inherit::resolve(&parsed, &mut errors) {
        if let Some(checked) = validate::check_abi(def, &mut errors) {
            let abi = lower::lower(&checked);
            out.extend(codegen::expand(&checked, &abi));
        }
    }
    out.extend(errors.into_compile_errors());
    out
}
