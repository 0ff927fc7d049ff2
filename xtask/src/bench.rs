//! `cargo xtask bench`: figures, printed. Nothing here asserts a speed.

use std::time::Instant;

use crate::{root, Result};

pub fn run() -> Result {
    macro_expansion()?;
    engine()?;
    crate::xen::bench()
}

/// Planning and checking through the model backend, built in release (the engine's speed in
/// a debug build says nothing).
fn engine() -> Result {
    println!();
    println!("engine: conformance/examples/engine_bench.rs, release profile");
    crate::run(std::process::Command::new(env!("CARGO")).args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "conformance",
        "--example",
        "engine_bench",
    ]))
}

/// How long `hypercall_abi!` takes to expand each invocation in `specs/src`, measured by calling
/// the pipeline (`abi_dsl::expand`) on the invocation's tokens, as rustc would.
fn macro_expansion() -> Result {
    let dir = root().join("specs/src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let profile = if cfg!(debug_assertions) {
        "dev (as cargo builds proc-macros)"
    } else {
        "release"
    };
    println!(
        "hypercall_abi! expansion: abi_dsl::expand on each invocation's tokens, {profile} profile"
    );
    println!(
        "{:<28} {:>6} {:>8} {:>12} {:>12}",
        "invocation", "calls", "runs", "mean", "bytes out"
    );
    for path in files {
        let src = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = syn::parse_file(&src).map_err(|e| format!("{}: {e}", path.display()))?;
        for item in file.items {
            let syn::Item::Macro(m) = item else { continue };
            let name = m.mac.path.segments.last().map(|s| s.ident.to_string());
            if name.as_deref() != Some("hypercall_abi") {
                continue;
            }
            let tokens = m.mac.tokens.clone();
            let name = ident_of(&tokens);
            let calls = count_calls(&tokens);
            let out_len = abi_dsl::expand(tokens.clone()).to_string().len();
            let runs = 200;
            let start = Instant::now();
            for _ in 0..runs {
                std::hint::black_box(abi_dsl::expand(tokens.clone()));
            }
            let mean = start.elapsed() / runs;
            println!(
                "{:<28} {:>6} {:>8} {:>10.3?} {:>12}",
                name, calls, runs, mean, out_len
            );
        }
    }
    Ok(())
}

fn count_calls(tokens: &proc_macro2::TokenStream) -> usize {
    let Ok(input) = syn::parse2::<abi_dsl::parse::Input>(tokens.clone()) else {
        return 0;
    };
    input
        .abis
        .iter()
        .flat_map(|a| &a.fields)
        .map(|f| match &f.value {
            abi_dsl::parse::FieldValue::Calls(c) => c.len(),
            _ => 0,
        })
        .sum()
}

fn ident_of(tokens: &proc_macro2::TokenStream) -> String {
    let mut it = tokens.clone().into_iter();
    while let Some(t) = it.next() {
        if t.to_string() == "abi" {
            if let Some(i) = it.next() {
                return i.to_string();
            }
        }
    }
    "?".into()
}
