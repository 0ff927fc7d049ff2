//! The GNU assembler stubs of one ABI: one out-of-line function per call, following the arch's C
//! calling convention, so any language can call it as `extern "C"` with the signature the header
//! declares (`<prefix>_<call>_asm`).
//!
//! Every stub has the same shape: allocate a frame; save the callee-saved registers the trap
//! may change or the stub loads (and the link register when the trap may change it); store the
//! C register arguments in the frame; load the number and argument registers from the frame or
//! the caller's stack (never register to register, so no argument can overwrite another before
//! it is read); trap; store the results through the result pointer when there are several;
//! return the first in the C return register; restore and return.

use std::fmt::Write;

use abi_spec::{Abi, Call, Effect, Input, RegKind, Role};

use super::arch::{isa, Isa};
use super::*;

/// The assembly file for `abi`.
pub fn file(abi: &Abi) -> String {
    let isa = isa(abi.arch);
    let mut s = String::new();
    let w = &mut s;
    writeln!(w, "/* {GENERATED_BY}. */").unwrap();
    writeln!(w, "/*").unwrap();
    writeln!(
        w,
        " * {} (`{}`): {} on {}, as C-callable functions.",
        abi.title, abi.id, abi.trap, abi.arch
    )
    .unwrap();
    writeln!(
        w,
        " * Assemble with the C compiler (`cc -c {}`): the file uses the preprocessor.",
        Lang::Asm.file_name(abi)
    )
    .unwrap();
    writeln!(
        w,
        " * Declarations (also in {}; types from <stdint.h>):",
        Lang::C.file_name(abi)
    )
    .unwrap();
    for call in abi.calls {
        writeln!(
            w,
            " *   {};",
            c::prototype(abi, call, &asm_symbol(abi, call))
        )
        .unwrap();
    }
    writeln!(w, " */").unwrap();
    writeln!(
        w,
        "#if !({})\n#error \"{} is for {}\"\n#endif\n",
        isa.cpp_test(),
        Lang::Asm.file_name(abi),
        abi.arch
    )
    .unwrap();
    for l in isa.asm_prelude() {
        writeln!(w, "{l}").unwrap();
    }
    for call in abi.calls {
        writeln!(w).unwrap();
        for l in stub(abi, call, isa) {
            writeln!(w, "{l}").unwrap();
        }
    }
    writeln!(w, "\n\t.section .note.GNU-stack, \"\", %progbits").unwrap();
    s
}

/// Where a C parameter is: a slot of the stub's frame or of the caller's stack.
fn param_offset(isa: &dyn Isa, j: usize, homes: usize, frame: usize) -> String {
    let regs = isa.c_args().len();
    if j < regs {
        (homes + j * isa.word()).to_string()
    } else {
        let on_stack = isa.stack_arg(j - regs);
        match on_stack.parse::<usize>() {
            Ok(n) => (frame + n).to_string(),
            Err(_) => format!("{frame}+{on_stack}"),
        }
    }
}

fn stub(abi: &Abi, call: &Call, isa: &dyn Isa) -> Vec<String> {
    let sym = asm_symbol(abi, call);
    let word = isa.word();
    let bytes = if is_narrow(abi, call) { 4 } else { word };
    let noreturn = call.effect == Effect::NoReturn;
    let page = page_offset(abi, call);

    // C parameters: [page] args... [res].
    let first_arg = usize::from(page.is_some());
    let nparams = first_arg + call.args.len() + usize::from(call.results.len() > 1);
    let res_param = nparams.saturating_sub(1);

    // Registers the stub loads or the trap may change.
    let mut touched: Vec<&str> = Vec::new();
    let mut loads = Vec::new();
    for reg in abi.arch.regs() {
        let input = abi.input_of(call, reg);
        let changed = abi.role_after(call, reg) != Role::Preserved;
        match input {
            Input::Number(i) => loads.push((reg, None, Some(call.number[i]))),
            Input::Arg(i) => loads.push((reg, Some(first_arg + i), None)),
            _ => {}
        }
        let loaded = matches!(input, Input::Number(_) | Input::Arg(_));
        if (loaded || changed) && matches!(reg.kind(), RegKind::General | RegKind::Control) {
            touched.push(reg.name());
        }
    }
    let results: Vec<&str> = call.results.iter().map(|r| r.reg.name()).collect();
    let scratch = (call.results.len() > 1 && !noreturn).then(|| {
        *isa.scratch()
            .iter()
            .find(|r| !results.contains(r))
            .expect("a scratch register that holds no result")
    });
    let saved: Vec<&str> = isa
        .callee_saved()
        .iter()
        .copied()
        .filter(|r| touched.contains(r) || Some(*r) == scratch)
        .collect();
    let flags = abi
        .arch
        .flags()
        .filter(|f| abi.role_after(call, *f) != Role::Preserved);

    let base = isa.frame_base();
    let homes = base + saved.len() * word;
    let reg_params = nparams.min(isa.c_args().len());
    let entry_slot = homes + reg_params * word;
    let slots = entry_slot + if page.is_some() { word } else { 0 };
    let frame = slots.div_ceil(16) * 16;
    let frame = frame.max(16);

    let mut l = isa.func_begin(&sym);
    l.extend(isa.alloc(frame));
    for (i, r) in saved.iter().enumerate() {
        l.push(isa.store(r, "sp", &(base + i * word).to_string(), word));
    }
    if let Some(f) = flags {
        l.extend(isa.save_special(f, frame));
    }
    for j in 0..reg_params {
        l.push(isa.store(isa.c_args()[j], "sp", &(homes + j * word).to_string(), word));
    }
    if let Some(off) = page {
        let ps = isa.page_scratch();
        // A returning call parks the entry in the frame before the loads; a jump needs it kept.
        assert!(
            !noreturn || !loads.iter().any(|(r, _, _)| r.name() == ps),
            "{}: the page entry register {ps} carries an input",
            abi.id
        );
        l.push(isa.load(ps, "sp", &param_offset(isa, 0, homes, frame), word));
        l.extend(isa.add_offset(ps, off));
        if !noreturn {
            l.push(isa.store(ps, "sp", &entry_slot.to_string(), word));
        }
    }
    for (reg, param, number) in &loads {
        match (param, number) {
            (_, Some(n)) => l.extend(isa.load_imm(reg.name(), *n)),
            (Some(j), None) => l.push(isa.load(
                reg.name(),
                "sp",
                &param_offset(isa, *j, homes, frame),
                bytes,
            )),
            (None, None) => unreachable!(),
        }
    }
    if noreturn {
        if page.is_some() {
            assert!(
                saved
                    .iter()
                    .all(|r| !loads.iter().any(|(x, _, _)| x.name() == *r)),
                "{}: a call that does not return loads a callee-saved register",
                abi.id
            );
            for (i, r) in saved.iter().enumerate() {
                l.push(isa.load(r, "sp", &(base + i * word).to_string(), word));
            }
            l.extend(isa.free_and_jump(frame));
        } else {
            l.extend(isa.trap(&abi.trap, &entry_slot.to_string()));
            l.extend(isa.hang());
        }
        l.extend(isa.func_end(&sym));
        return l;
    }
    l.extend(isa.trap(&abi.trap, &entry_slot.to_string()));
    if let Some(sc) = scratch {
        l.push(isa.load(sc, "sp", &param_offset(isa, res_param, homes, frame), word));
        for (k, r) in results.iter().enumerate() {
            l.push(isa.store(r, sc, &(k * bytes).to_string(), bytes));
        }
    }
    if let Some(first) = results.first() {
        if *first != isa.c_ret() {
            l.push(isa.mov(isa.c_ret(), first));
        }
    }
    if let Some(f) = flags {
        l.extend(isa.restore_special(f, frame));
    }
    for (i, r) in saved.iter().enumerate() {
        l.push(isa.load(r, "sp", &(base + i * word).to_string(), word));
    }
    l.extend(isa.free_and_ret(frame));
    l.extend(isa.func_end(&sym));
    l
}
