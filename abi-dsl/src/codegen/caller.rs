//! The inline-asm caller of one call, built from the model's per-register answers: what goes in
//! (`Abi::input_of`) and what the register holds afterwards (`Abi::role_after`).

use abi_spec::{Abi, Call, Effect, Input, RegKind, Role, Trap};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ArchAsm;

/// The caller of `call`, and its function-pointer type.
pub fn caller(abi: &Abi, call: &Call, asm: &dyn ArchAsm) -> (TokenStream, TokenStream) {
    let name = format_ident!("{}", call.name);
    let word = asm.word();
    let narrow = abi.narrow_for(call).is_some();
    let param_ty = if narrow { quote!(u32) } else { word.clone() };
    let noreturn = call.effect == Effect::NoReturn;
    let page = matches!(abi.trap, Trap::HypercallPage { .. });

    let mut params = Vec::new();
    let mut param_tys = Vec::new();
    if page {
        params.push(quote!(page: *const u8));
        param_tys.push(quote!(*const u8));
    }
    for a in call.args {
        let p = format_ident!("{}", a.name);
        params.push(quote!(#p: #param_ty));
        param_tys.push(param_ty.clone());
    }

    let mut operands = Vec::new();
    let mut pre = Vec::new(); // statements before the asm block
    let mut prefix: Vec<String> = Vec::new(); // template lines before the trap
    let mut suffix: Vec<String> = Vec::new(); // template lines after the trap
    let mut result_vars = vec![None; call.results.len()];
    let mut flags_preserved = true;

    for reg in abi.arch.regs() {
        let input = abi.input_of(call, reg);
        let role = abi.role_after(call, reg);
        if reg.kind() == RegKind::Flags {
            flags_preserved = role == Role::Preserved;
            // Dropping `preserves_flags` is the whole clobber on most arches; where the flags are
            // a register of their own (ppc64 cr), it must also be named.
            if !flags_preserved && !noreturn && asm.clobber_only(reg) {
                if let Some(r) = asm.operand(reg) {
                    operands.push(quote!(out(#r) _));
                }
            }
            continue;
        }
        let value = match input {
            Input::Number(i) => Some(asm.literal(call.number[i])),
            Input::Arg(i) => {
                let p = format_ident!("{}", call.args[i].name);
                // Narrow parameters are u32; the register is wider.
                Some(if narrow && param_ty.to_string() != word.to_string() {
                    quote!(#p as #word)
                } else {
                    quote!(#p)
                })
            }
            Input::Poison | Input::Fixed => None,
        };
        if value.is_none() && role == Role::Preserved {
            continue;
        }
        let result_index = call.results.iter().position(|r| r.reg == reg);
        let out_var = result_index.map(|i| {
            let v = format_ident!("out_{}", call.results[i].name);
            result_vars[i] = Some(v.clone());
            pre.push(quote!(let #v: #word;));
            v
        });
        if noreturn {
            if let Some(value) = value {
                match asm.operand(reg) {
                    Some(r) => operands.push(quote!(in(#r) #value)),
                    None => {
                        let val = format!("v_{}", reg.name());
                        let id = format_ident!("{}", val);
                        operands.push(quote!(#id = in(reg) #value));
                        prefix.extend(asm.swap_in(reg, &val, "_"));
                    }
                }
            }
            continue;
        }
        match asm.operand(reg) {
            Some(r) if asm.clobber_only(reg) => operands.push(quote!(out(#r) _)),
            Some(r) => operands.push(match (value, out_var) {
                (Some(v), Some(o)) => quote!(inout(#r) #v => #o),
                (Some(v), None) if role == Role::Preserved => quote!(in(#r) #v),
                (Some(v), None) => quote!(inout(#r) #v => _),
                (None, Some(o)) => quote!(lateout(#r) #o),
                (None, None) => quote!(lateout(#r) _),
            }),
            None => {
                // Rust cannot bind this register: carry its value in a scratch register and swap
                // it in and out around the trap.
                let val = format!("v_{}", reg.name());
                let tmp = format!("t_{}", reg.name());
                let val_id = format_ident!("{}", val);
                let tmp_id = format_ident!("{}", tmp);
                let v = value.unwrap_or_else(|| asm.literal(0));
                operands.push(match out_var {
                    Some(o) => quote!(#val_id = inout(reg) #v => #o),
                    None => quote!(#val_id = inout(reg) #v => _),
                });
                if asm.swap_needs_tmp() {
                    operands.push(quote!(#tmp_id = out(reg) _));
                }
                prefix.extend(asm.swap_in(reg, &val, &tmp));
                let mut out = asm.swap_out(reg, &val, &tmp);
                out.append(&mut suffix);
                suffix = out;
            }
        }
    }

    if page {
        let stride = match abi.trap {
            Trap::HypercallPage { stride } => stride as usize,
            _ => 0,
        };
        let offset = call.primary_number() as usize * stride;
        operands.push(quote!(entry = in(reg) page.wrapping_add(#offset)));
    }

    let mut template = prefix;
    let mut trap = asm.trap(&abi.trap);
    if page && noreturn {
        // A page entry that does not return (Xen's `iret`) is jumped to, not called: nothing
        // may be left on the guest stack for it to return to (seed 002, "iret").
        for line in &mut trap {
            if let Some(rest) = line.strip_prefix("call ") {
                *line = format!("jmp {rest}");
            } else if line.ends_with(" call") && line.starts_with("hyperabi_p_") {
                *line = format!("{}jmp", &line[..line.len() - 4]);
            }
        }
    }
    template.extend(trap);
    template.extend(suffix);
    let template = template.join("\n");

    let mut options = Vec::new();
    if noreturn {
        options.push(quote!(noreturn));
    }
    // A page stub pushes onto the stack; every other trap leaves the guest stack alone.
    if !page {
        options.push(quote!(nostack));
    }
    // Only a query that takes no guest pointer provably touches no guest memory, and only when
    // the trap is an instruction: a hypercall-page entry is guest code the block calls into,
    // which may do anything with memory (and the page pointer is an operand).
    if !page && !abi.touches_memory(call) && call.effect == Effect::Query && !noreturn {
        options.push(quote!(nomem));
    }
    if flags_preserved && !noreturn {
        options.push(quote!(preserves_flags));
    }

    let results: Vec<TokenStream> = call
        .results
        .iter()
        .zip(&result_vars)
        .map(|(_, v)| {
            let v = v.as_ref().expect("every result register is bound");
            if narrow {
                quote!(#v as u32)
            } else {
                quote!(#v)
            }
        })
        .collect();
    let ret_ty_one = if narrow { quote!(u32) } else { word.clone() };
    let (ret_ty, ret_expr) = match results.len() {
        _ if noreturn => (quote!(!), quote!()),
        0 => (quote!(()), quote!(())),
        1 => (ret_ty_one, results[0].clone()),
        n => {
            let tys = std::iter::repeat_n(ret_ty_one, n);
            (quote!((#(#tys),*)), quote!((#(#results),*)))
        }
    };

    let mut doc = format!("`{}` (number {:?}).", call.name, call.number);
    if !call.doc.is_empty() {
        doc = format!("{}\n\n{doc}", call.doc);
    }
    let safety = "\n\n# Safety\n\nThis traps to the hypervisor, which acts on the arguments: pointers must be valid for \
                  what the call does with them, and the call must be one the running hypervisor \
                  expects from this context.";
    let doc = format!("{doc}{safety}");
    let body = if noreturn {
        quote! { unsafe { ::core::arch::asm!(#template, #(#operands,)* options(#(#options),*)) } }
    } else {
        quote! {
            #(#pre)*
            unsafe { ::core::arch::asm!(#template, #(#operands,)* options(#(#options),*)) };
            #ret_expr
        }
    };
    let fn_ty = quote!(unsafe fn(#(#param_tys),*) -> #ret_ty);
    let caller = quote! {
        #[doc = #doc]
        #[inline(always)]
        #[allow(clippy::too_many_arguments, clippy::unnecessary_cast, unused_unsafe)]
        pub unsafe fn #name(#(#params),*) -> #ret_ty {
            #body
        }
    };
    (caller, fn_ty)
}
