//! The C header of one ABI: constants, and one `static inline` function per call whose GNU
//! inline asm binds exactly the registers the spec names.
//!
//! Per register, from the model (`Abi::input_of`, `Abi::role_after`): a register that carries
//! the number or an argument is a local register variable (`register uint64_t r_x0
//! __asm__("x0")`) passed as an input, or as an input-output (`"+r"`) when the hypervisor may
//! change it; a result register is an output; a register the hypervisor may change that carries
//! nothing is in the clobber list; a preserved register is not mentioned. Flags add `"cc"` when
//! they may change. The registers a compiler may reserve ([`Isa::reserved`]) are never bound or
//! clobbered: the template saves and restores them around the trap.
//!
//! Every argument is a parameter of the inline function, evaluated before the first register
//! variable is assigned, so no argument expression can run code between the assignments and
//! the asm (the bug Linux fixed in its SMCCC 1.1 macro, 755a8bf5579d).

use std::fmt::Write;

use abi_spec::{Abi, Arch, Call, Effect, Input, RegKind, Role};

use super::arch::{isa, Isa};
use super::*;

/// The header for `abi`.
pub fn header(abi: &Abi) -> String {
    let isa = isa(abi.arch);
    let p = prefix(abi);
    let up = p.to_uppercase();
    let mut s = String::new();
    let w = &mut s;
    writeln!(w, "/* {GENERATED_BY}. */").unwrap();
    writeln!(w, "/*").unwrap();
    writeln!(
        w,
        " * {} (`{}`): {} on {}.",
        abi.title, abi.id, abi.trap, abi.arch
    )
    .unwrap();
    comment_block(w, abi.doc);
    if let Some(r) = abi.revision {
        writeln!(w, " *\n * Revision: {r}.").unwrap();
    }
    writeln!(w, " *").unwrap();
    for src in abi.sources {
        writeln!(w, " * Source: {}", clean(src)).unwrap();
    }
    writeln!(w, " *").unwrap();
    for line in contract(abi) {
        writeln!(w, " * {line}").unwrap();
    }
    writeln!(w, " *").unwrap();
    writeln!(
        w,
        " * Each call is a `static inline` function `{p}_<call>` (GNU C: gcc or clang); the\n \
         * same calls are out-of-line functions `{p}_<call>_asm` in {}.",
        Lang::Asm.file_name(abi)
    )
    .unwrap();
    writeln!(w, " */").unwrap();
    writeln!(w, "#ifndef HYPERABI_{up}_H\n#define HYPERABI_{up}_H\n").unwrap();
    writeln!(w, "#include <stdint.h>\n").unwrap();
    writeln!(
        w,
        "#if !({})\n#error \"{}.h is for {}\"\n#endif\n",
        isa.cpp_test(),
        abi.id,
        abi.arch
    )
    .unwrap();

    if !abi.calls.is_empty() {
        writeln!(w, "/* Call numbers. */").unwrap();
        for call in abi.calls {
            for (n, value) in abi.numbers.iter().zip(call.number) {
                writeln!(
                    w,
                    "#define {} {}",
                    number_macro(abi, n.name, call),
                    c_unsigned(*value, abi.arch)
                )
                .unwrap();
            }
        }
        writeln!(w).unwrap();
    }
    if !abi.errors.is_empty() {
        writeln!(w, "/* Error codes (in the status result). */").unwrap();
        for e in abi.errors {
            writeln!(
                w,
                "#define {up}_{} {}",
                e.name.to_uppercase(),
                c_signed(e.value)
            )
            .unwrap();
        }
        writeln!(w).unwrap();
    }
    let mut enums = String::new();
    for call in abi.calls {
        for a in call.args {
            if let abi_spec::Domain::Enum { values } = a.domain {
                for v in values {
                    writeln!(
                        enums,
                        "#define {up}_{}_{} {}",
                        call.name.to_uppercase(),
                        v.name.to_uppercase(),
                        c_signed(v.value)
                    )
                    .unwrap();
                }
            }
        }
    }
    if !enums.is_empty() {
        writeln!(w, "/* Enumerated argument values, per call. */\n{enums}").unwrap();
    }
    for call in abi.calls.iter().filter(|c| c.results.len() > 1) {
        let ty = c_type(abi, call);
        writeln!(w, "/* The results of {}. */", c_function(abi, call)).unwrap();
        writeln!(w, "struct {} {{", result_struct(abi, call)).unwrap();
        for r in call.results {
            writeln!(w, "\t{ty} {}; /* {} */", c_ident(r.name), r.reg).unwrap();
        }
        writeln!(w, "}};\n").unwrap();
    }
    for call in abi.calls {
        w.push_str(&call_doc(abi, call));
        w.push_str(&function(abi, call, isa));
        w.push('\n');
    }
    if !abi.calls.is_empty() {
        writeln!(
            w,
            "/* The same calls out of line, in {} (callable from any language). */",
            Lang::Asm.file_name(abi)
        )
        .unwrap();
        for call in abi.calls {
            writeln!(w, "{};", prototype(abi, call, &asm_symbol(abi, call))).unwrap();
        }
        writeln!(w).unwrap();
        w.push_str(&dispatcher(abi));
    }
    writeln!(w, "#endif /* HYPERABI_{up}_H */").unwrap();
    s
}

/// The name of the dispatcher of `abi`'s header.
pub fn dispatch_function(abi: &Abi) -> String {
    format!("{}_dispatch", prefix(abi))
}

/// `<prefix>_dispatch`, compiled where a translation unit defines `HYPERABI_DISPATCH`: every
/// returning call by its index in the spec (the order of the Rust callers' `call::dispatch`),
/// arguments and results as 64-bit words, through the inline function or the assembly stub. A
/// guest harness runs a plan's cases through both with it, beside the Rust callers.
fn dispatcher(abi: &Abi) -> String {
    let up = prefix(abi).to_uppercase();
    let page = matches!(abi.trap, abi_spec::Trap::HypercallPage { .. });
    let mut s = String::new();
    let w = &mut s;
    writeln!(w, "#ifdef HYPERABI_DISPATCH").unwrap();
    writeln!(
        w,
        "/* Call indexes: the order of the spec and of the Rust callers' dispatch. */"
    )
    .unwrap();
    for (i, call) in abi.calls.iter().enumerate() {
        writeln!(w, "#define {up}_INDEX_{} {i}", call.name.to_uppercase()).unwrap();
    }
    writeln!(
        w,
        "\n/*\n * Runs the call at `index` through its inline function (`via_asm` 0) or its assembly\n \
         * stub (`via_asm` 1); arguments and results are words in declaration order, `page` is the\n \
         * hypercall page (unused by other traps). Returns 0, without trapping, for a call that does\n \
         * not return, an unknown index, or too few words; 1 once the call ran; 2 once it ran but an\n \
         * argument, which stays live across the call (the compiler may keep it in any register the\n \
         * stub says survives), no longer equals the word it came from: a register changed that the\n \
         * stub does not declare changed.\n */"
    )
    .unwrap();
    writeln!(
        w,
        "int {}(int via_asm, unsigned index, const void *page, const uint64_t *args, unsigned nargs, uint64_t *results, unsigned nres);",
        dispatch_function(abi)
    )
    .unwrap();
    // One function per path, never inlined into the other: the compiler must not load an
    // argument once for both (it would keep it in a register the assembly stub's call preserves,
    // and the inline path would never rely on the inline asm's operands). Each takes one pointer
    // to the dispatcher's arguments, so that no argument register of the call is busy with them
    // and the compiler loads each argument straight into the register the call passes it in.
    let params = "unsigned index, const void *page, const uint64_t *args, unsigned nargs, uint64_t *results, unsigned nres";
    let frame = format!("{}_call", dispatch_function(abi));
    writeln!(
        w,
        "struct {frame} {{\n\tconst void *page;\n\tconst uint64_t *args;\n\tuint64_t *results;\n\tunsigned index, nargs, nres;\n}};\n"
    )
    .unwrap();
    for via_asm in [false, true] {
        let name = format!(
            "{}_{}",
            dispatch_function(abi),
            if via_asm { "asm" } else { "inline" }
        );
        writeln!(
            w,
            "static __attribute__((noinline)) int {name}(const struct {frame} *d)\n{{"
        )
        .unwrap();
        writeln!(w, "\tswitch (d->index) {{").unwrap();
        for (i, call) in abi.calls.iter().enumerate() {
            if call.effect == Effect::NoReturn {
                continue;
            }
            dispatch_case(w, abi, i, call, page, via_asm);
        }
        writeln!(w, "\tdefault:\n\t\treturn 0;\n\t}}\n}}\n").unwrap();
    }
    writeln!(
        w,
        "int {}(int via_asm, {params})\n{{",
        dispatch_function(abi)
    )
    .unwrap();
    writeln!(
        w,
        "\tconst struct {frame} d = {{ page, args, results, index, nargs, nres }};\n\treturn via_asm ? {f}_asm(&d) : {f}_inline(&d);\n}}\n#endif /* HYPERABI_DISPATCH */\n",
        f = dispatch_function(abi)
    )
    .unwrap();
    s
}

/// One call of a dispatcher's switch: the arguments as locals, compared after the call with the
/// words they came from (read again through a volatile pointer, so the compiler cannot reuse
/// what it loaded). A value the compiler kept in a register the stub claims survives shows a
/// missing clobber.
fn dispatch_case(w: &mut String, abi: &Abi, i: usize, call: &Call, page: bool, via_asm: bool) {
    let ty = c_type(abi, call);
    let (nargs, nres) = (call.args.len(), call.results.len());
    writeln!(w, "\tcase {i}: {{").unwrap();
    let mut short = Vec::new();
    if nargs > 0 {
        short.push(format!("d->nargs < {nargs}"));
    }
    if nres > 0 {
        short.push(format!("d->nres < {nres}"));
    }
    if !short.is_empty() {
        writeln!(w, "\t\tif ({})\n\t\t\treturn 0;", short.join(" || ")).unwrap();
    }
    let mut actual: Vec<String> = Vec::new();
    if page {
        actual.push("d->page".into());
    }
    // Words are 64-bit; a 32-bit call takes their low half.
    let cast = if ty == "uint64_t" {
        String::new()
    } else {
        format!("({ty})")
    };
    actual.extend((0..nargs).map(|k| format!("{cast}a{k}")));
    if nres > 1 {
        actual.push("&res".into());
    }
    let actual = actual.join(", ");
    let f = if via_asm {
        asm_symbol(abi, call)
    } else {
        c_function(abi, call)
    };
    if nargs > 0 {
        let locals: Vec<String> = (0..nargs).map(|k| format!("a{k} = d->args[{k}]")).collect();
        writeln!(w, "\t\tconst uint64_t {};", locals.join(", ")).unwrap();
    }
    match nres {
        0 => writeln!(w, "\t\t{f}({actual});").unwrap(),
        1 => writeln!(w, "\t\td->results[0] = {f}({actual});").unwrap(),
        _ => {
            writeln!(w, "\t\tstruct {} res;", result_struct(abi, call)).unwrap();
            writeln!(w, "\t\t(void){f}({actual});").unwrap();
            for (k, r) in call.results.iter().enumerate() {
                writeln!(w, "\t\td->results[{k}] = res.{};", c_ident(r.name)).unwrap();
            }
        }
    }
    if nargs > 0 {
        writeln!(
            w,
            "\t\tconst volatile uint64_t *again = d->args;\n\t\treturn {} ? 1 : 2;\n\t}}",
            (0..nargs)
                .map(|k| format!("a{k} == again[{k}]"))
                .collect::<Vec<_>>()
                .join(" && ")
        )
        .unwrap();
    } else {
        writeln!(w, "\t\treturn 1;\n\t}}").unwrap();
    }
}

/// `<PREFIX>_NR_<CALL>` (`_EID_`/`_FID_` for SBI's two number registers).
pub fn number_macro(abi: &Abi, number_name: &str, call: &Call) -> String {
    let n = if number_name == "number" {
        "NR".to_string()
    } else {
        number_name.to_uppercase()
    };
    format!(
        "{}_{n}_{}",
        prefix(abi).to_uppercase(),
        call.name.to_uppercase()
    )
}

/// A comment-safe copy of spec text.
fn clean(text: &str) -> String {
    text.replace("*/", "* /").replace("/*", "/ *")
}

fn comment_block(w: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    writeln!(w, " *").unwrap();
    for line in text.lines() {
        if line.is_empty() {
            writeln!(w, " *").unwrap();
        } else {
            writeln!(w, " * {}", clean(line)).unwrap();
        }
    }
}

/// The ABI's register contract in a few lines.
fn contract(abi: &Abi) -> Vec<String> {
    let names =
        |regs: &[abi_spec::Reg]| regs.iter().map(|r| r.name()).collect::<Vec<_>>().join(" ");
    let numbers: Vec<_> = abi
        .numbers
        .iter()
        .map(|n| format!("{} in {}", n.name, n.reg))
        .collect();
    let mut l = vec![
        format!("Trap: {}; {}.", abi.trap, numbers.join(", ")),
        format!(
            "Arguments: {}; results: {}.",
            names(abi.args),
            names(abi.results)
        ),
    ];
    let rules: Vec<_> = abi
        .rules
        .iter()
        .map(|r| format!("{}: {}", r.set.keyword(), r.role.name()))
        .collect();
    l.push(format!("Register rules: {}.", rules.join(", ")));
    if let Some(n) = abi.narrow {
        l.push(format!("32-bit convention: {} bits.", n.bits));
    }
    l
}

/// The parameters of a call's function (C declarations), page and result pointer included.
fn params(abi: &Abi, call: &Call) -> Vec<String> {
    let ty = c_type(abi, call);
    let mut p = Vec::new();
    if page_offset(abi, call).is_some() {
        p.push("const void *page".to_string());
    }
    for a in call.args {
        p.push(format!("{ty} {}", c_ident(a.name)));
    }
    if call.results.len() > 1 {
        p.push(format!("struct {} *res", result_struct(abi, call)));
    }
    p
}

/// The C declaration of `name` with `call`'s signature.
pub fn prototype(abi: &Abi, call: &Call, name: &str) -> String {
    let params = params(abi, call);
    let params = if params.is_empty() {
        "void".to_string()
    } else {
        params.join(", ")
    };
    if call.effect == Effect::NoReturn {
        format!("__attribute__((__noreturn__)) void {name}({params})")
    } else if call.results.is_empty() {
        format!("void {name}({params})")
    } else {
        format!("{} {name}({params})", c_type(abi, call))
    }
}

/// The registers a call leaves changed, by the spec (results included).
fn changed(abi: &Abi, call: &Call) -> Vec<&'static str> {
    abi.clobbered_by(call).map(|r| r.name()).collect()
}

/// The doc comment of a call's function.
fn call_doc(abi: &Abi, call: &Call) -> String {
    let mut s = String::from("/*\n");
    let numbers: Vec<_> = call.number.iter().map(|n| format!("{n:#x}")).collect();
    writeln!(s, " * {} (number {})", call.name, numbers.join(", ")).unwrap();
    comment_block(&mut s, call.doc);
    writeln!(s, " *").unwrap();
    if page_offset(abi, call).is_some() {
        writeln!(s, " * page: the hypercall page the hypervisor wrote.").unwrap();
    }
    for a in call.args {
        writeln!(
            s,
            " * {} ({}): {}",
            c_ident(a.name),
            a.reg,
            clean(&domain_doc(&a.domain))
        )
        .unwrap();
    }
    for (i, r) in call.results.iter().enumerate() {
        let how = if call.results.len() > 1 {
            format!("res->{}", c_ident(r.name))
        } else {
            format!("returns {}", c_ident(r.name))
        };
        write!(s, " * {how} ({}): {}", r.reg, clean(&r.domain.to_string())).unwrap();
        if i == 0 && !call.errors.is_empty() {
            let errs: Vec<_> = call.errors.iter().map(|e| e.name).collect();
            write!(s, ", or an error: {}", errs.join(" ")).unwrap();
        }
        writeln!(s).unwrap();
    }
    if call.results.len() > 1 {
        writeln!(s, " * Returns the first result as well.").unwrap();
    }
    writeln!(
        s,
        " * Changed by the hypervisor: {}.",
        changed(abi, call).join(" ")
    )
    .unwrap();
    if let Some(n) = abi.narrow_for(call) {
        if is_narrow(abi, call) {
            writeln!(
                s,
                " * 32-bit convention: upper argument bits {:?}, upper result bits {:?}.",
                n.input_upper, n.output_upper
            )
            .unwrap();
        }
    }
    let mut facts = vec![call.presence.name(), call.status.name(), call.effect.name()];
    let since;
    if let Some(v) = call.since {
        since = format!("since {v}");
        facts.push(&since);
    }
    writeln!(s, " * {}.", facts.join(", ")).unwrap();
    if !call.source.is_empty() {
        writeln!(s, " * Source: {}", clean(call.source)).unwrap();
    }
    s.push_str(" */\n");
    s
}

/// How one register takes part in a call.
struct Binding {
    reg: abi_spec::Reg,
    /// The C expression loaded into it before the trap.
    value: Option<String>,
    /// The result it returns, by index.
    result: Option<usize>,
    /// Whether the hypervisor may change it.
    changed: bool,
}

fn bindings(abi: &Abi, call: &Call) -> (Vec<Binding>, Vec<String>) {
    let isa = isa(abi.arch);
    let mut binds = Vec::new();
    let mut clobbers = Vec::new();
    for reg in abi.arch.regs() {
        let role = abi.role_after(call, reg);
        let changed = role != Role::Preserved;
        match reg.kind() {
            RegKind::Flags => {
                if changed {
                    clobbers.extend(isa.flags_clobbers());
                }
                continue;
            }
            RegKind::Control => {
                if changed {
                    clobbers.push(reg.name().to_string());
                }
                continue;
            }
            RegKind::StackPointer | RegKind::Special => continue,
            RegKind::General => {}
        }
        let value = match abi.input_of(call, reg) {
            Input::Number(i) => Some(number_macro(abi, abi.numbers[i].name, call)),
            Input::Arg(i) => Some(c_ident(call.args[i].name)),
            Input::Poison | Input::Fixed => None,
        };
        let result = call.results.iter().position(|r| r.reg == reg);
        if value.is_none() && result.is_none() && !changed {
            continue;
        }
        if value.is_none() && result.is_none() && !isa.reserved().contains(&reg.name()) {
            clobbers.push(reg.name().to_string());
            continue;
        }
        binds.push(Binding {
            reg,
            value,
            result,
            changed,
        });
    }
    (binds, clobbers)
}

/// The `static inline` function of one call.
fn function(abi: &Abi, call: &Call, isa: &dyn Isa) -> String {
    let noreturn = call.effect == Effect::NoReturn;
    let word = word_type(abi.arch);
    let ty = c_type(abi, call);
    let (binds, mut clobbers) = bindings(abi, call);
    if touches_memory(abi, call) {
        clobbers.push("memory".into());
    }
    let page = page_offset(abi, call);
    let reserved: Vec<&Binding> = binds
        .iter()
        .filter(|b| isa.reserved().contains(&b.reg.name()))
        .collect();
    let block = abi.arch == Arch::X86 && (page.is_some() || !reserved.is_empty());

    let mut body = Vec::new();
    let mut outputs = Vec::new();
    let mut inputs = Vec::new();
    let mut prefix_lines = Vec::new();
    let mut suffix_lines = Vec::new();
    let var = |b: &Binding| format!("r_{}", b.reg.name());

    if block {
        // i386: ebx and ebp (and the page entry) come from a block whose address is in eax.
        let number = abi.numbers[0].reg;
        assert_eq!(number.name(), "eax", "x86 ABIs take the number in eax");
        let mut slots = vec![binds
            .iter()
            .find(|b| b.reg == number)
            .and_then(|b| b.value.clone())
            .expect("the number is bound")];
        for b in &reserved {
            assert!(b.result.is_none(), "{}: a result in {}", abi.id, b.reg);
            prefix_lines.push(format!("push {}", isa.tmpl(b.reg.name())));
            suffix_lines.insert(0, format!("pop {}", isa.tmpl(b.reg.name())));
        }
        for b in &reserved {
            if let Some(v) = &b.value {
                prefix_lines.push(format!(
                    "mov {}(%%eax), {}",
                    4 * slots.len(),
                    isa.tmpl(b.reg.name())
                ));
                slots.push(v.clone());
            }
        }
        if let Some(off) = page {
            prefix_lines.push(format!("pushl {}(%%eax)", 4 * slots.len()));
            slots.push(format!("(uint32_t)(uintptr_t)((const char *)page + {off})"));
        }
        prefix_lines.push("mov 0(%%eax), %%eax".into());
        body.push(format!(
            "\tconst uint32_t blk[{}] = {{ {} }};",
            slots.len(),
            slots.join(", ")
        ));
        inputs.push("\"m\"(blk)".to_string());
        for b in binds
            .iter()
            .filter(|b| !isa.reserved().contains(&b.reg.name()))
        {
            let value = if b.reg == number {
                Some("(uint32_t)(uintptr_t)blk".to_string())
            } else {
                b.value.clone()
            };
            bind_fixed(
                b,
                value,
                &var(b),
                word,
                &mut body,
                &mut outputs,
                &mut inputs,
            );
        }
    } else {
        for b in &binds {
            if isa.reserved().contains(&b.reg.name()) {
                // Saved in an operand the compiler picks among the registers the hypervisor
                // preserves, restored after the trap.
                assert!(
                    b.value.is_none() && b.result.is_none(),
                    "{}: {} carries a value, which only the x86 block can pass",
                    abi.id,
                    b.reg
                );
                assert!(
                    reserved.len() == 1,
                    "{}: more than one reserved register",
                    abi.id
                );
                let t = format!("t_{}", b.reg.name());
                body.push(format!("\t{word} {t};"));
                outputs.push(format!("[{t}] \"=&r\"({t})"));
                prefix_lines.push(isa.c_mov(&format!("%[{t}]"), &isa.tmpl(b.reg.name())));
                suffix_lines.push(isa.c_mov(&isa.tmpl(b.reg.name()), &format!("%[{t}]")));
                continue;
            }
            bind_fixed(
                b,
                b.value.clone(),
                &var(b),
                word,
                &mut body,
                &mut outputs,
                &mut inputs,
            );
        }
        if let Some(off) = page {
            inputs.push(format!("[entry] \"r\"((const char *)page + {off})"));
        }
    }

    let mut template = prefix_lines;
    template.extend(isa.c_trap(&abi.trap, noreturn));
    if !noreturn {
        template.extend(suffix_lines);
    }
    let last = template.len() - 1;
    let template: Vec<String> = template
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == last {
                format!("\"{l}\"")
            } else {
                format!("\"{l}\\n\\t\"")
            }
        })
        .collect();
    let list = |items: &[String]| {
        if items.is_empty() {
            String::new()
        } else {
            format!(" {}", items.join(", "))
        }
    };
    let clobbers: Vec<String> = clobbers.iter().map(|c| format!("\"{c}\"")).collect();

    let mut s = String::new();
    let name = c_function(abi, call);
    let proto = prototype(abi, call, &name);
    let proto = proto
        .strip_prefix("__attribute__((__noreturn__)) ")
        .map(|rest| format!("__attribute__((__noreturn__)) static inline {rest}"))
        .unwrap_or_else(|| format!("static inline {proto}"));
    writeln!(s, "{proto}\n{{").unwrap();
    for l in &body {
        writeln!(s, "{l}").unwrap();
    }
    writeln!(s, "\t__asm__ __volatile__(").unwrap();
    writeln!(s, "\t\t{}", template.join("\n\t\t")).unwrap();
    writeln!(s, "\t\t:{}", list(&outputs)).unwrap();
    writeln!(s, "\t\t:{}", list(&inputs)).unwrap();
    writeln!(s, "\t\t:{});", list(&clobbers)).unwrap();
    if noreturn {
        writeln!(s, "\t__builtin_unreachable();").unwrap();
    } else {
        let narrow = is_narrow(abi, call);
        let value = |i: usize| {
            let reg = call.results[i].reg;
            if narrow {
                format!("({ty})r_{}", reg.name())
            } else {
                format!("r_{}", reg.name())
            }
        };
        if call.results.len() > 1 {
            for (i, r) in call.results.iter().enumerate() {
                writeln!(s, "\tres->{} = {};", c_ident(r.name), value(i)).unwrap();
            }
        }
        if !call.results.is_empty() {
            writeln!(s, "\treturn {};", value(0)).unwrap();
        }
    }
    s.push_str("}\n");
    s
}

/// Declares the register variable of a bindable register and adds its operand.
fn bind_fixed(
    b: &Binding,
    value: Option<String>,
    var: &str,
    word: &str,
    body: &mut Vec<String>,
    outputs: &mut Vec<String>,
    inputs: &mut Vec<String>,
) {
    let name = b.reg.name();
    match &value {
        Some(v) => body.push(format!(
            "\tregister {word} {var} __asm__(\"{name}\") = {v};"
        )),
        None => body.push(format!("\tregister {word} {var} __asm__(\"{name}\");")),
    }
    match (value.is_some(), b.result.is_some() || b.changed) {
        (true, true) => outputs.push(format!("\"+r\"({var})")),
        (true, false) => inputs.push(format!("\"r\"({var})")),
        (false, _) => outputs.push(format!("\"=r\"({var})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which registers a compiler may reserve each ABI touches: the generator supports a
    /// reserved register that carries a value only on x86 (the block), and at most one that is
    /// only clobbered elsewhere. This pins today's cases.
    #[test]
    fn reserved_registers_touched_by_the_specs() {
        let mut seen = Vec::new();
        for abi in specs::all() {
            let isa = isa(abi.arch);
            for call in abi.calls {
                let (binds, _) = bindings(abi, call);
                for b in binds {
                    if isa.reserved().contains(&b.reg.name()) {
                        let what = if b.value.is_some() { "in" } else { "clobbered" };
                        let entry = format!("{} {} {what}", abi.id, b.reg);
                        if !seen.contains(&entry) {
                            seen.push(entry);
                        }
                    }
                }
            }
        }
        insta::assert_snapshot!(seen.join("\n"));
    }
}
