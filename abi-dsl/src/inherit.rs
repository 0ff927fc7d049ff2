//! `pub abi derived ("id", "title") : base { .. }`: an ABI that starts from another one of the same
//! invocation. Families share most of a contract (Xen's hypercall list and errno table across
//! arm64, arm32 and the x86 transfer instructions; PSCI over HVC and SMC), and stating it once is
//! what keeps the copies from drifting.
//!
//! Resolution happens on the syntax tree, before validation, so every error still points at the
//! text that caused it. The rules:
//! - a derived ABI takes every field of its base, and each field it gives replaces the base's;
//! - except `errors`, `calls` and `structs`, which merge by name (a derived entry replaces the
//!   base's entry of the same name, new names are appended): Xen's arm64 ABI restates the one
//!   struct whose arch part differs from x86's and keeps the others;
//! - `without: [name, ..]` drops calls of the base;
//! - `#[source]` attributes accumulate; the doc comment is the derived one if it has any.

use std::collections::HashMap;

use syn::Ident;

use crate::parse::{AbiDef, Field, FieldValue, Input};
use crate::validate::Errors;

/// Every ABI of the invocation with its base applied. ABIs whose base cannot be resolved are
/// dropped after reporting why.
pub fn resolve(input: &Input, errors: &mut Errors) -> Vec<AbiDef> {
    let mut resolved: HashMap<String, AbiDef> = HashMap::new();
    let mut out = Vec::new();
    for def in &input.abis {
        let flat = match &def.base {
            None => {
                let mut flat = def.clone();
                flat.fields.retain(|f| {
                    if f.key == "without" {
                        errors.push(
                            f.key.span(),
                            "`without` only applies to an ABI with a base (`pub abi name (..) : base { .. }`)",
                        );
                    }
                    f.key != "without"
                });
                flat
            }
            Some(base) => match resolved.get(&base.to_string()) {
                Some(b) => derive(b, def, errors),
                None => {
                    errors.push(
                        base.span(),
                        format!(
                            "unknown base ABI `{base}`; a base must be declared earlier in the same invocation"
                        ),
                    );
                    continue;
                }
            },
        };
        resolved.insert(def.ident.to_string(), flat.clone());
        out.push(flat);
    }
    out
}

fn derive(base: &AbiDef, def: &AbiDef, errors: &mut Errors) -> AbiDef {
    let derived_has_doc = def.attrs.iter().any(|a| a.path().is_ident("doc"));
    let mut attrs: Vec<_> = base
        .attrs
        .iter()
        .filter(|a| !(derived_has_doc && a.path().is_ident("doc")))
        .cloned()
        .collect();
    attrs.extend(def.attrs.iter().cloned());

    let mut fields = base.fields.clone();
    // `without` first, so a derived ABI may drop a base call and declare its own of that name.
    for f in def.fields.iter().filter(|f| f.key == "without") {
        match &f.value {
            FieldValue::List(names) => {
                for name in names {
                    if !remove_call(&mut fields, name) {
                        errors.push(
                            name.span(),
                            format!("`without`: base ABI `{}` has no call `{name}`", base.ident),
                        );
                    }
                }
            }
            _ => errors.push(
                f.key.span(),
                "`without` takes a list of call names: `without: [a, b]`",
            ),
        }
    }
    for f in def.fields.iter().filter(|f| f.key != "without") {
        merge_field(&mut fields, f);
    }
    AbiDef {
        attrs,
        vis: def.vis.clone(),
        ident: def.ident.clone(),
        id: def.id.clone(),
        title: def.title.clone().or_else(|| base.title.clone()),
        base: None,
        fields,
    }
}

fn remove_call(fields: &mut [Field], name: &Ident) -> bool {
    for f in fields.iter_mut() {
        if let FieldValue::Calls(calls) = &mut f.value {
            let before = calls.len();
            calls.retain(|c| c.ident != *name);
            return calls.len() != before;
        }
    }
    false
}

fn merge_field(fields: &mut Vec<Field>, new: &Field) {
    let Some(old) = fields.iter_mut().find(|f| f.key == new.key) else {
        fields.push(new.clone());
        return;
    };
    match (&mut old.value, &new.value) {
        (FieldValue::Calls(old_calls), FieldValue::Calls(new_calls)) => {
            for c in new_calls {
                match old_calls.iter_mut().find(|o| o.ident == c.ident) {
                    Some(o) => *o = c.clone(),
                    None => old_calls.push(c.clone()),
                }
            }
        }
        (FieldValue::Structs(old_structs), FieldValue::Structs(new_structs)) => {
            for st in new_structs {
                match old_structs.iter_mut().find(|o| o.ident == st.ident) {
                    Some(o) => *o = st.clone(),
                    None => old_structs.push(st.clone()),
                }
            }
        }
        (FieldValue::Consts(old_consts), FieldValue::Consts(new_consts)) => {
            for c in new_consts {
                match old_consts.iter_mut().find(|o| o.ident == c.ident) {
                    Some(o) => *o = c.clone(),
                    None => old_consts.push(c.clone()),
                }
            }
        }
        _ => *old = new.clone(),
    }
}
