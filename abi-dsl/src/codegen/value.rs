//! The model as a `const` expression: `abi_spec::Abi { .. }` with every slice a literal, so the
//! spec value is usable in `no_std` and in constant context.

use abi_spec::{
    Abi, Arg, Call, Domain, Named, Narrow, Reg, RegSet, Ret, Role, RoleRule, Trap, Unknown,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn arch(a: abi_spec::Arch) -> TokenStream {
    let v = format_ident!("{}", format!("{a:?}"));
    quote!(::abi_spec::Arch::#v)
}

/// The expression of the register `r` (`::abi_spec::Reg::new(..)`).
pub fn reg(r: Reg) -> TokenStream {
    let a = arch(r.arch);
    let i = Literal::u8_unsuffixed(r.index);
    quote!(::abi_spec::Reg::new(#a, #i))
}

fn trap(t: &Trap) -> TokenStream {
    match *t {
        Trap::Hvc(i) => quote!(::abi_spec::Trap::Hvc(#i)),
        Trap::Smc(i) => quote!(::abi_spec::Trap::Smc(#i)),
        Trap::Vmcall => quote!(::abi_spec::Trap::Vmcall),
        Trap::Vmmcall => quote!(::abi_spec::Trap::Vmmcall),
        Trap::Syscall => quote!(::abi_spec::Trap::Syscall),
        Trap::Int(i) => quote!(::abi_spec::Trap::Int(#i)),
        Trap::HypercallPage { stride } => {
            quote!(::abi_spec::Trap::HypercallPage { stride: #stride })
        }
        Trap::Diag(i) => quote!(::abi_spec::Trap::Diag(#i)),
        Trap::Sc(i) => quote!(::abi_spec::Trap::Sc(#i)),
        Trap::Ecall => quote!(::abi_spec::Trap::Ecall),
    }
}

fn named(n: &Named) -> TokenStream {
    let (name, value) = (n.name, n.value);
    quote!(::abi_spec::Named { name: #name, value: #value })
}

fn domain(d: &Domain) -> TokenStream {
    match *d {
        Domain::Any => quote!(::abi_spec::Domain::Any),
        Domain::Range { min, max } => quote!(::abi_spec::Domain::Range { min: #min, max: #max }),
        Domain::Enum { values } => {
            let v = values.iter().map(named);
            quote!(::abi_spec::Domain::Enum { values: &[#(#v),*] })
        }
        Domain::MustBeZero => quote!(::abi_spec::Domain::MustBeZero),
        Domain::Bits { mask } => quote!(::abi_spec::Domain::Bits { mask: #mask }),
        Domain::Pointer { align, nullable } => {
            quote!(::abi_spec::Domain::Pointer { align: #align, nullable: #nullable })
        }
    }
}

fn role(r: Role) -> TokenStream {
    let v = format_ident!("{}", format!("{r:?}"));
    quote!(::abi_spec::Role::#v)
}

fn rules(rs: &[RoleRule]) -> TokenStream {
    let items = rs.iter().map(|r| {
        let set = match r.set {
            RegSet::Reg(x) => {
                let x = reg(x);
                quote!(::abi_spec::RegSet::Reg(#x))
            }
            other => {
                let v = format_ident!("{}", format!("{other:?}"));
                quote!(::abi_spec::RegSet::#v)
            }
        };
        let role = role(r.role);
        quote!(::abi_spec::RoleRule { set: #set, role: #role })
    });
    quote!(&[#(#items),*])
}

fn narrow(n: Option<Narrow>) -> TokenStream {
    match n {
        None => quote!(::core::option::Option::None),
        Some(n) => {
            let bits = n.bits;
            let i = format_ident!("{}", format!("{:?}", n.input_upper));
            let o = format_ident!("{}", format!("{:?}", n.output_upper));
            quote!(::core::option::Option::Some(::abi_spec::Narrow {
                bits: #bits,
                input_upper: ::abi_spec::UpperInput::#i,
                output_upper: ::abi_spec::UpperOutput::#o,
            }))
        }
    }
}

fn enum_ident<T: std::fmt::Debug>(path: TokenStream, v: T) -> TokenStream {
    let v = format_ident!("{}", format!("{v:?}"));
    quote!(#path::#v)
}

fn call(c: &Call) -> TokenStream {
    let name = c.name;
    let number = c.number;
    let args = c.args.iter().map(
        |Arg {
             name,
             reg: r,
             domain: d,
         }| {
            let (r, d) = (reg(*r), domain(d));
            quote!(::abi_spec::Arg { name: #name, reg: #r, domain: #d })
        },
    );
    let results = c.results.iter().map(
        |Ret {
             name,
             reg: r,
             domain: d,
         }| {
            let (r, d) = (reg(*r), domain(d));
            quote!(::abi_spec::Ret { name: #name, reg: #r, domain: #d })
        },
    );
    let errors = c.errors.iter().map(named);
    let presence = enum_ident(quote!(::abi_spec::Presence), c.presence);
    let status = enum_ident(quote!(::abi_spec::Status), c.status);
    let effect = enum_ident(quote!(::abi_spec::Effect), c.effect);
    let narrow = narrow(c.narrow);
    let rules = rules(c.rules);
    let since = opt_str(c.since);
    let smccc = match c.smccc {
        Some(::abi_spec::SmcccId { fast, smc64, owner }) => {
            quote!(::core::option::Option::Some(::abi_spec::SmcccId { fast: #fast, smc64: #smc64, owner: #owner }))
        }
        None => quote!(::core::option::Option::None),
    };
    let stable = c.stable;
    let (disruption, source, doc) = (c.disruption, c.source, c.doc);
    quote! {
        ::abi_spec::Call {
            name: #name,
            number: &[#(#number),*],
            args: &[#(#args),*],
            results: &[#(#results),*],
            errors: &[#(#errors),*],
            presence: #presence,
            status: #status,
            effect: #effect,
            narrow: #narrow,
            rules: #rules,
            since: #since,
            smccc: #smccc,
            stable: #stable,
            disruption: #disruption,
            source: #source,
            doc: #doc,
        }
    }
}

fn family(f: &abi_spec::Family) -> TokenStream {
    let (call, selector) = (f.call, f.selector);
    let subops = f.subops.iter().map(|s| {
        let (name, number) = (s.name, s.number);
        let presence = enum_ident(quote!(::abi_spec::Presence), s.presence);
        let effect = enum_ident(quote!(::abi_spec::Effect), s.effect);
        let param = opt_str(s.param);
        let args = s.args.iter().map(|(i, v)| quote!((#i, #v)));
        let errors = s.errors.iter().map(named);
        let (source, doc) = (s.source, s.doc);
        quote!(::abi_spec::SubOp {
            name: #name,
            number: #number,
            presence: #presence,
            effect: #effect,
            param: #param,
            args: &[#(#args),*],
            errors: &[#(#errors),*],
            source: #source,
            doc: #doc,
        })
    });
    let opt = |n: &Option<Named>| match n {
        Some(n) => {
            let n = named(n);
            quote!(::core::option::Option::Some(#n))
        }
        None => quote!(::core::option::Option::None),
    };
    let (unknown, fault, bad_fixed) = (opt(&f.unknown), opt(&f.fault), opt(&f.bad_fixed));
    let field = opt_str(f.field);
    let fixed = f.fixed.iter().map(|(n, v)| quote!((#n, #v)));
    let fixed_since = f
        .fixed_since
        .iter()
        .map(|(since, n, v)| quote!((#since, #n, #v)));
    quote!(::abi_spec::Family {
        call: #call,
        selector: #selector,
        subops: &[#(#subops),*],
        unknown: #unknown,
        fault: #fault,
        field: #field,
        fixed: &[#(#fixed),*],
        fixed_since: &[#(#fixed_since),*],
        bad_fixed: #bad_fixed,
    })
}

fn call_param(p: &abi_spec::CallParam) -> TokenStream {
    let (call, param, pointer) = (p.call, p.param, p.pointer);
    let high = match p.high {
        Some(h) => quote!(::core::option::Option::Some(#h)),
        None => quote!(::core::option::Option::None),
    };
    let args = p.args.iter().map(|(i, v)| quote!((#i, #v)));
    let fault = match &p.fault {
        Some(n) => {
            let n = named(n);
            quote!(::core::option::Option::Some(#n))
        }
        None => quote!(::core::option::Option::None),
    };
    quote!(::abi_spec::CallParam {
        call: #call,
        param: #param,
        pointer: #pointer,
        high: #high,
        args: &[#(#args),*],
        fault: #fault,
    })
}

fn struct_def(s: &abi_spec::StructDef) -> TokenStream {
    let name = s.name;
    let rule = enum_ident(quote!(::abi_spec::LayoutRule), s.rule);
    let fields = s.fields.iter().map(|f| {
        let (fname, count) = (f.name, f.count);
        let ty = enum_ident(quote!(::abi_spec::Scalar), f.ty);
        let dir = enum_ident(quote!(::abi_spec::FieldDir), f.dir);
        let domain = match f.domain {
            Some((min, max)) => {
                let (min, max) = (
                    proc_macro2::Literal::i128_suffixed(min),
                    proc_macro2::Literal::i128_suffixed(max),
                );
                quote!(::core::option::Option::Some((#min, #max)))
            }
            None => quote!(::core::option::Option::None),
        };
        quote!(::abi_spec::FieldDef { name: #fname, ty: #ty, count: #count, dir: #dir, domain: #domain })
    });
    let (source, doc) = (s.source, s.doc);
    quote!(::abi_spec::StructDef {
        name: #name,
        rule: #rule,
        fields: &[#(#fields),*],
        source: #source,
        doc: #doc,
    })
}

/// The expression of the whole `abi_spec::Abi` value `a`.
pub fn abi(a: &Abi) -> TokenStream {
    let (id, title, doc) = (a.id, a.title, a.doc);
    let arch = arch(a.arch);
    let trap = trap(&a.trap);
    let numbers = a.numbers.iter().map(|n| {
        let (name, r) = (n.name, reg(n.reg));
        quote!(::abi_spec::NumberReg { name: #name, reg: #r })
    });
    let args = a.args.iter().map(|r| reg(*r));
    let results = a.results.iter().map(|r| reg(*r));
    let rules = rules(a.rules);
    let narrow = narrow(a.narrow);
    let errors = a.errors.iter().map(named);
    let unknown = match a.unknown {
        None => quote!(::core::option::Option::None),
        Some(Unknown::Error(n)) => {
            let n = named(&n);
            quote!(::core::option::Option::Some(::abi_spec::Unknown::Error(#n)))
        }
        Some(Unknown::Exception(e)) => {
            quote!(::core::option::Option::Some(::abi_spec::Unknown::Exception(#e)))
        }
    };
    let calls = a.calls.iter().map(call);
    let families = a.families.iter().map(family);
    let params = a.params.iter().map(call_param);
    let structs = a.structs.iter().map(struct_def);
    let revision = opt_str(a.revision);
    let sources = a.sources;
    quote! {
        ::abi_spec::Abi {
            id: #id,
            title: #title,
            doc: #doc,
            arch: #arch,
            trap: #trap,
            numbers: &[#(#numbers),*],
            args: &[#(#args),*],
            results: &[#(#results),*],
            rules: #rules,
            narrow: #narrow,
            errors: &[#(#errors),*],
            unknown: #unknown,
            calls: &[#(#calls),*],
            families: &[#(#families),*],
            params: &[#(#params),*],
            structs: &[#(#structs),*],
            revision: #revision,
            sources: &[#(#sources),*],
        }
    }
}
