//! Code generation from the lowered model: the spec value, the call numbers, the inline-asm
//! callers, the checker probe and the proptest strategies of one ABI. What differs per arch (trap
//! instructions, register operand names, the registers Rust cannot bind, the probe) lives in one
//! module per arch behind [`ArchAsm`].

mod aarch64;
mod arm;
mod caller;
mod ppc64;
mod riscv64;
mod s390x;
mod swap;
pub mod value;
mod x86;
mod x86_64;

use abi_spec::{Abi, Arch, Effect, Reg, Trap};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::validate::Checked;
use swap::Chain;

/// Everything arch-specific the generator needs.
pub trait ArchAsm {
    /// The Rust type of one register.
    fn word(&self) -> TokenStream;
    /// `value` as a literal of the register type.
    fn literal(&self, value: u64) -> TokenStream {
        let word = self.word().to_string();
        let lit = if word == "u32" {
            proc_macro2::Literal::u32_suffixed(value as u32)
        } else {
            proc_macro2::Literal::u64_suffixed(value)
        };
        quote!(#lit)
    }
    /// The name to use for `reg` in an explicit-register asm operand, or `None` if Rust cannot bind
    /// it (LLVM reserves it: a base or frame pointer); such registers are swapped through a scratch
    /// register around the trap instead.
    fn operand(&self, reg: Reg) -> Option<&'static str>;
    /// The bare trap instruction(s); page traps call through `{entry}`. Probes use these as they
    /// are; callers use [`ArchAsm::trap`].
    fn trap_insn(&self, trap: &Trap) -> Vec<String>;
    /// The exchange chain that moves values into unbindable registers, where the arch uses one.
    fn chain(&self) -> Option<&'static Chain> {
        None
    }
    /// How the assembler spells `reg` (ppc64 prints bare numbers).
    fn asm_name(&self, reg: Reg) -> &'static str {
        reg.name()
    }
    /// Template lines that enter the hypervisor from a caller: the trap, with the chain's
    /// bookkeeping (a page entry may itself sit in an exchanged register).
    fn trap(&self, trap: &Trap) -> Vec<String> {
        let Some(chain) = self.chain() else {
            return self.trap_insn(trap);
        };
        let mut l = match trap {
            Trap::HypercallPage { .. } => chain.locate("{entry}", "call"),
            t => self.trap_insn(t),
        };
        l.extend(chain.after_trap());
        l
    }
    /// Template lines that put `{val}` into the unbindable `reg`, keeping its old value in `{tmp}`
    /// (or, with a chain, in `{val}` itself). `tmp` is `_` for a call that does not return.
    fn swap_in(&self, reg: Reg, val: &str, tmp: &str) -> Vec<String> {
        let chain = self
            .chain()
            .expect("an arch without a chain overrides swap_in");
        chain.swap_in(self.asm_name(reg), val, tmp == "_")
    }
    /// Template lines that put `reg`'s value after the trap into `{val}` and restore `reg`.
    fn swap_out(&self, reg: Reg, _val: &str, _tmp: &str) -> Vec<String> {
        let chain = self
            .chain()
            .expect("an arch without a chain overrides swap_out");
        chain.swap_out(self.asm_name(reg))
    }
    /// Whether `swap_in`/`swap_out` need the separate `{tmp}` operand.
    fn swap_needs_tmp(&self) -> bool {
        self.chain().is_none()
    }
    /// Whether `reg` is clobber-only (can appear as `out(..) _` but carry no value).
    fn clobber_only(&self, _reg: Reg) -> bool {
        false
    }
    /// `global_asm!` text defining `symbol` as a [`abi_spec::ProbeFn`] for this trap.
    fn probe(&self, trap: &Trap, symbol: &str) -> String;
    /// Probes for targets of the arch whose calling convention differs (`target_abi`, text);
    /// [`ArchAsm::probe`] serves every other target.
    fn probe_variants(&self, _trap: &Trap, _symbol: &str) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// The assembly writer of `arch`.
pub fn arch_asm(arch: Arch) -> &'static dyn ArchAsm {
    match arch {
        Arch::Aarch64 => &aarch64::Aarch64,
        Arch::Arm => &arm::Arm,
        Arch::X86_64 => &x86_64::X86_64,
        Arch::X86 => &x86::X86,
        Arch::Riscv64 => &riscv64::Riscv64,
        Arch::S390x => &s390x::S390x,
        Arch::Ppc64 => &ppc64::Ppc64,
    }
}

/// `COMPAT32`: for a 32-bit x86 ABI, its probe assembled as 32-bit code into x86_64 builds
/// too, where a 64-bit guest runs it from a compatibility-mode code segment (a cdecl function,
/// callable only there); `None` everywhere else.
fn compat32(abi: &Abi, asm: &dyn ArchAsm, symbol: &str) -> TokenStream {
    let doc = "The address of the 32-bit probe in a 64-bit x86 image, to be called from a \
               compatibility-mode code segment (cdecl); `None` for other ABIs and builds.";
    if abi.arch != Arch::X86 {
        return quote! {
            #[doc = #doc]
            pub const COMPAT32: ::core::option::Option<fn() -> usize> = ::core::option::Option::None;
        };
    }
    let symbol = format!("{symbol}_compat32");
    let text = format!(".code32\n{}\n.code64\n", asm.probe(&abi.trap, &symbol));
    let ident = format_ident!("{}", symbol);
    quote! {
        /// The 32-bit probe assembled into 64-bit x86 images.
        #[cfg(target_arch = "x86_64")]
        pub mod compat32 {
            ::core::arch::global_asm!(#text);
            unsafe extern "C" {
                static #ident: u8;
            }
            /// The probe's address.
            pub fn address() -> usize {
                unsafe { ::core::ptr::addr_of!(#ident) as usize }
            }
        }
        #[doc = #doc]
        #[cfg(target_arch = "x86_64")]
        pub const COMPAT32: ::core::option::Option<fn() -> usize> = ::core::option::Option::Some(compat32::address);
        #[doc = #doc]
        #[cfg(not(target_arch = "x86_64"))]
        pub const COMPAT32: ::core::option::Option<fn() -> usize> = ::core::option::Option::None;
    }
}

/// Rust's `target_arch` for an arch (ppc64 is `powerpc64`).
fn target_arch(arch: Arch) -> &'static str {
    arch.rust_target_arch()
}

/// The module of one checked ABI: its spec value, callers, probe, strategies and property
/// tests.
pub fn expand(c: &Checked, abi: &Abi) -> TokenStream {
    let ident = &c.ident;
    let vis = &c.vis;
    let value = value::abi(abi);
    let target = target_arch(abi.arch);
    let asm = arch_asm(abi.arch);

    let nr = abi.calls.iter().map(|call| {
        let name = format_ident!("{}", call.name.to_uppercase());
        let doc = format!("`{}`", call.name);
        if call.number.len() == 1 {
            let n = call.number[0];
            quote!(#[doc = #doc] pub const #name: u64 = #n;)
        } else {
            let n = call.number;
            let len = n.len();
            quote!(#[doc = #doc] pub const #name: [u64; #len] = [#(#n),*];)
        }
    });

    let (callers, fn_tys): (Vec<_>, Vec<_>) = abi
        .calls
        .iter()
        .map(|call| caller::caller(abi, call, asm))
        .unzip();
    // Callers are `#[inline(always)]`, so nothing assembles their templates until a guest calls
    // them; `--cfg hyperabi_check_callers` keeps a pointer to each so a cross build checks them all.
    let checks = abi.calls.iter().zip(&fn_tys).map(|(call, ty)| {
        let f = format_ident!("{}", call.name);
        let s = format_ident!("CHECK_{}", call.name.to_uppercase());
        quote!(#[cfg(hyperabi_check_callers)] #[used] static #s: #ty = #f;)
    });

    let dispatch = dispatch(abi);

    let symbol = format!("hyperabi_probe_{}", abi.id.replace('-', "_"));
    let probe_asm = asm.probe(&abi.trap, &symbol);
    let variants = asm.probe_variants(&abi.trap, &symbol);
    let probe_global = if variants.is_empty() {
        quote!(::core::arch::global_asm!(#probe_asm);)
    } else {
        let abis: Vec<_> = variants.iter().map(|(a, _)| *a).collect();
        let texts = variants.iter().map(|(_, t)| t);
        quote! {
            #[cfg(not(any(#(target_abi = #abis),*)))]
            ::core::arch::global_asm!(#probe_asm);
            #(
                #[cfg(target_abi = #abis)]
                ::core::arch::global_asm!(#texts);
            )*
        }
    };
    let symbol_ident = format_ident!("{}", symbol);
    let compat32 = compat32(abi, asm, &symbol);

    let strategies = abi.calls.iter().enumerate().map(|(i, call)| {
        let f = format_ident!("{}", call.name);
        let doc = format!(
            "Arguments for `{}`, drawn from their declared domains.",
            call.name
        );
        quote! {
            #[doc = #doc]
            pub fn #f() -> ::abi_spec::strategy::ArgsStrategy {
                ::abi_spec::strategy::call_args(&super::ABI, &super::ABI.calls[#i])
            }
        }
    });
    let properties = abi.calls.iter().enumerate().map(|(i, call)| {
        let f = format_ident!("{}", call.name);
        let doc = format!(
            "Property test of `{}`: arguments from its domains, each case executed by `exec` (a probe \
             through some backend) and checked against the register contract; a failure is shrunk.",
            call.name
        );
        quote! {
            #[doc = #doc]
            pub fn #f(
                config: ::abi_spec::property::Config,
                exec: &mut dyn FnMut(&::abi_spec::RegisterFile) -> ::abi_spec::Observation,
            ) -> ::core::result::Result<u32, ::abi_spec::property::Failure> {
                ::abi_spec::property::run(&super::ABI, &super::ABI.calls[#i], config, exec)
            }
        }
    });

    let types = types(abi);

    let doc = format!(
        "{} (`{}`): {} on {}, generated by `hypercall_abi!`.{}",
        abi.title,
        abi.id,
        abi.trap,
        abi.arch,
        if abi.doc.is_empty() {
            String::new()
        } else {
            format!("\n\n{}", abi.doc)
        }
    );
    quote! {
        #[doc = #doc]
        #vis mod #ident {
            /// The ABI as a value of the `abi_spec` model.
            pub const ABI: ::abi_spec::Abi = #value;

            /// Call numbers.
            pub mod nr {
                #(#nr)*
            }

            #types

            /// Inline-asm callers, one per call, binding exactly the declared registers.
            #[cfg(target_arch = #target)]
            pub mod call {
                #(#callers)*
                #(#checks)*
                #dispatch
            }

            /// The checker probe: full register file in, trap, full register file out.
            #[cfg(target_arch = #target)]
            pub mod probe {
                #probe_global
                unsafe extern "C" {
                    fn #symbol_ident(input: *const u64, output: *mut u64, entry: usize);
                }
                /// The probe as a function pointer.
                pub const PROBE: ::abi_spec::ProbeFn = #symbol_ident;
            }

            /// Everything a guest harness needs to run this ABI's cases; `None` when built for
            /// another arch.
            #[cfg(target_arch = #target)]
            pub const GUEST: ::core::option::Option<::abi_spec::GuestAbi> = ::core::option::Option::Some(::abi_spec::GuestAbi {
                abi: &ABI,
                probe: probe::PROBE,
                dispatch: call::dispatch,
            });
            /// Everything a guest harness needs to run this ABI's cases; `None` when built for
            /// another arch.
            #[cfg(not(target_arch = #target))]
            pub const GUEST: ::core::option::Option<::abi_spec::GuestAbi> = ::core::option::Option::None;

            #compat32

            /// Argument strategies derived from the declared domains.
            #[cfg(feature = "proptest")]
            pub mod strategies {
                #(#strategies)*
            }

            /// Property tests, run by a backend's executor.
            #[cfg(feature = "proptest")]
            pub mod properties {
                #(#properties)*
            }
        }
    }
}

/// `types`: the parameter structs as `#[repr(C)]` Rust types laid out by the ABI's rule on any
/// host (the i386 rule as `packed(4)`, which caps 8-byte alignment at 4), each followed by
/// compile-time assertions that `size_of` and every `offset_of` are the model's.
fn types(abi: &Abi) -> TokenStream {
    if abi.structs.is_empty() {
        return TokenStream::new();
    }
    let items = abi.structs.iter().map(|s| {
        let name = format_ident!("{}", s.name);
        let repr = match s.rule {
            abi_spec::LayoutRule::Ilp32 => quote!(#[repr(C, packed(4))]),
            _ => quote!(#[repr(C)]),
        };
        // An 8-byte integer is 4-aligned on a 32-bit x86 host, so `repr(C)` there cannot give
        // an AAPCS64 or LP64 layout: no such type on that host rather than a wrong one.
        let host = match s.rule {
            abi_spec::LayoutRule::Ilp32 => quote!(),
            _ => quote!(#[cfg(not(target_arch = "x86"))]),
        };
        let fields = s.fields.iter().map(|f| {
            let fname = format_ident!("{}", f.name);
            let bits = f.ty.size(s.rule) * 8;
            let ty = format_ident!("{}{}", if f.ty.signed() { "i" } else { "u" }, bits);
            let doc = format!("`{}` ({})", f.ty.name(), f.dir.into_str());
            if f.count == 1 {
                quote!(#[doc = #doc] pub #fname: #ty)
            } else {
                let n = f.count as usize;
                quote!(#[doc = #doc] pub #fname: [#ty; #n])
            }
        });
        // All zeros, written out: `derive(Default)` stops at arrays of 32 elements (SBI's
        // steal-time record pads with 47 bytes).
        let zeros = s.fields.iter().map(|f| {
            let fname = format_ident!("{}", f.name);
            if f.count == 1 {
                quote!(#fname: 0)
            } else {
                let n = f.count as usize;
                quote!(#fname: [0; #n])
            }
        });
        let size = s.size() as usize;
        let asserts = s.layouts().map(|(f, l)| {
            let fname = format_ident!("{}", f.name);
            let off = l.offset as usize;
            quote!(assert!(::core::mem::offset_of!(#name, #fname) == #off);)
        });
        let doc = format!(
            "`struct {}` ({} layout, {size} bytes).",
            s.name,
            s.rule.name()
        );
        quote! {
            #[doc = #doc]
            #[allow(non_camel_case_types)]
            #[derive(Clone, Copy, Debug)]
            #host
            #repr
            pub struct #name { #(#fields),* }
            #host
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self { #(#zeros),* }
                }
            }
            #host
            const _: () = {
                assert!(::core::mem::size_of::<#name>() == #size);
                #(#asserts)*
            };
        }
    });
    quote! {
        /// Parameter structs, laid out as the model computes (checked at compile time).
        pub mod types {
            #(#items)*
        }
    }
}

/// `call::dispatch`: every returning caller reachable by its index in `ABI.calls`, with
/// arguments and results as words, so a guest can run a plan's cases through the very callers a
/// real guest would use.
fn dispatch(abi: &Abi) -> TokenStream {
    let page = matches!(abi.trap, Trap::HypercallPage { .. });
    let arms = abi
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.effect != Effect::NoReturn)
        .map(|(i, call)| {
            let f = format_ident!("{}", call.name);
            let (nargs, nres) = (call.args.len(), call.results.len());
            let page_arg = page.then(|| quote!(page,));
            let args = (0..nargs).map(|k| quote!(args[#k] as _));
            let vars: Vec<_> = (0..nres).map(|k| format_ident!("r{}", k)).collect();
            let store = vars
                .iter()
                .enumerate()
                .map(|(k, v)| quote!(results[#k] = #v as u64;));
            let bind = match nres {
                0 => quote!(let () =),
                1 => {
                    let v = &vars[0];
                    quote!(let #v =)
                }
                _ => quote!(let (#(#vars),*) =),
            };
            let mut short = Vec::new();
            if nargs > 0 {
                short.push(quote!(args.len() < #nargs));
            }
            if nres > 0 {
                short.push(quote!(results.len() < #nres));
            }
            let guard = (!short.is_empty()).then(|| quote!(if #(#short)||* { return false; }));
            quote! {
                #i => {
                    #guard
                    #bind unsafe { #f(#page_arg #(#args),*) };
                    #(#store)*
                    true
                }
            }
        });
    quote! {
        /// Runs the call at `index` in `ABI.calls` through its caller; arguments and results
        /// are words in declaration order; `page` is the hypercall page (ignored by other
        /// traps). Returns `false`, without trapping, for a call that does not return, an
        /// unknown index, or slices too short for the call.
        ///
        /// # Safety
        ///
        /// As for the callers: this traps to the hypervisor with these arguments.
        #[allow(clippy::unnecessary_cast, unused_unsafe, unreachable_code, unused_variables)]
        pub unsafe fn dispatch(index: usize, page: *const u8, args: &[u64], results: &mut [u64]) -> bool {
            match index {
                #(#arms)*
                _ => false,
            }
        }
    }
}
