//! Lowering: a checked ABI becomes an `abi_spec::Abi` value, so code generation asks the model
//! (`Abi::role_after`, `Abi::input_of`) the same questions the runtime checker asks.

use abi_spec::{Abi, Arg, Call, NumberReg, Ret, RoleRule};

use crate::validate::{leak, Checked};

fn slice<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

fn rules(v: &[(abi_spec::RegSet, abi_spec::Role)]) -> &'static [RoleRule] {
    slice(
        v.iter()
            .map(|&(set, role)| RoleRule { set, role })
            .collect(),
    )
}

/// The `abi_spec::Abi` of a checked ABI (its strings leaked: this runs in the compiler,
/// once per ABI).
pub fn lower(c: &Checked) -> Abi {
    let calls = c
        .calls
        .iter()
        .map(|k| Call {
            name: leak(k.ident.to_string()),
            number: slice(k.number.clone()),
            args: slice(
                k.args
                    .iter()
                    .map(|(n, r, d)| Arg {
                        name: leak(n.clone()),
                        reg: *r,
                        domain: *d,
                    })
                    .collect(),
            ),
            results: slice(
                k.results
                    .iter()
                    .map(|(n, r, d)| Ret {
                        name: leak(n.clone()),
                        reg: *r,
                        domain: *d,
                    })
                    .collect(),
            ),
            errors: slice(k.errors.clone()),
            presence: k.presence,
            status: k.status,
            effect: k.effect,
            narrow: k.narrow,
            rules: rules(&k.rules),
            since: k.since.clone().map(leak),
            smccc: k.smccc,
            stable: k.stable,
            disruption: leak(k.disruption.clone()),
            source: leak(k.source.clone()),
            doc: leak(k.doc.clone()),
        })
        .collect();
    Abi {
        id: leak(c.id.clone()),
        title: leak(c.title.clone()),
        doc: leak(c.doc.clone()),
        arch: c.arch,
        trap: c.trap,
        numbers: slice(
            c.numbers
                .iter()
                .map(|(n, r)| NumberReg {
                    name: leak(n.clone()),
                    reg: *r,
                })
                .collect(),
        ),
        args: slice(c.args.clone()),
        results: slice(c.results.clone()),
        rules: rules(&c.rules),
        narrow: c.narrow,
        errors: slice(c.errors.clone()),
        unknown: c.unknown,
        calls: slice(calls),
        families: slice(c.calls.iter().filter_map(|k| k.family).collect()),
        params: slice(c.calls.iter().filter_map(|k| k.param).collect()),
        structs: slice(c.structs.clone()),
        revision: c.revision.clone().map(leak),
        sources: slice(c.sources.iter().cloned().map(leak).collect()),
    }
}
