//! The `hypercall_abi!` pipeline as a library, so the expansion can be tested, snapshotted and
//! timed without a compiler in the loop (the serde_derive / serde_derive_internals split).
//!
//! [`parse`] builds a spanned syntax tree, [`validate`] resolves and checks it (reporting every
//! error at its span, all at once), [`lower`] turns it into an `abi_spec::Abi`, and [`codegen`]
//! emits the spec value, callers, probe, strategies and property tests from that model.

#![warn(missing_docs)]

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
            for (span, message) in redundant_rules(&checked, &abi) {
                out.extend(warning(span, &message));
            }
        }
    }
    out.extend(errors.into_compile_errors());
    out
}

/// The single-register rules of an ABI's `registers` that change nothing: without the rule,
/// every call gives every register the same role (e.g. `x1: preserved` beside `others:
/// preserved`, or a rule for a register every call returns a result in). Such a rule misleads
/// a reader into thinking it matters. Each comes with its span and a message.
pub fn redundant_rules(
    checked: &validate::Checked,
    abi: &abi_spec::Abi,
) -> Vec<(proc_macro2::Span, String)> {
    let mut out = Vec::new();
    if abi.calls.is_empty() {
        return out;
    }
    for (i, rule) in abi.rules.iter().enumerate() {
        let abi_spec::RegSet::Reg(reg) = rule.set else {
            continue;
        };
        // A register named twice is already an error; no warning about what survived of it.
        let mut spans = checked.rule_spans.iter().filter(|(s, _)| *s == rule.set);
        let (Some((_, span)), None) = (spans.next(), spans.next()) else {
            continue;
        };
        let rest: Vec<abi_spec::RoleRule> = abi
            .rules
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, r)| *r)
            .collect();
        let without = abi_spec::Abi {
            rules: Box::leak(rest.into_boxed_slice()),
            ..*abi
        };
        let same = abi
            .calls
            .iter()
            .all(|c| abi.role_after(c, reg) == without.role_after(c, reg))
            // Unknown numbers are checked with the ABI's rules too, except on its result
            // registers (`abi_spec::check`).
            && (abi.results.contains(&reg)
                || abi.role_after(&abi_spec::check::UNKNOWN_CALL, reg)
                    == without.role_after(&abi_spec::check::UNKNOWN_CALL, reg));
        if same {
            out.push((
                *span,
                format!(
                    "the rule `{reg}: {}` changes nothing: every call gives `{reg}` the same role \
                     without it (a result, or what a broader rule such as `others` says); remove it",
                    rule.role.name()
                ),
            ));
        }
    }
    out
}

/// A compiler warning at `span` on stable Rust: the use of a deprecated constant, whose note
/// is the message (proc macros cannot emit warnings of their own yet).
fn warning(span: proc_macro2::Span, message: &str) -> TokenStream {
    let use_it = quote::quote_spanned!(span=> hypercall_abi_warning);
    quote::quote! {
        const _: () = {
            #[deprecated(note = #message)]
            #[allow(non_upper_case_globals)]
            const hypercall_abi_warning: () = ();
            #use_it
        };
    }
}
