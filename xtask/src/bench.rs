//! `cargo xtask bench`: figures, printed. Nothing here asserts a speed.

use std::time::Instant;

use crate::{root, Result};

pub fn run(args: &[String]) -> Result {
    macro_expansion()?;
    engine()?;
    guests(args.iter().any(|a| a == "--cold"))?;
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

/// Per QEMU target: guest image build time (cold into a fresh target dir with `--cold`; warm =
/// nothing changed, and after touching the guest's main.rs), then boots of the smoke plan:
/// QEMU spawn to the first complete frame, and spawn to exit.
fn guests(cold: bool) -> Result {
    use runners::qemu::{Qemu, Target};
    println!();
    println!("guests: image build (s) and smoke boots (median of {BOOTS}, ms)");
    println!(
        "{:<14} {:>8} {:>8} {:>9} {:>12} {:>10}",
        "target", "cold", "no-op", "touched", "first frame", "wall"
    );
    let main_rs = root().join("runners/guest/src/main.rs");
    for t in Target::ALL {
        let env = t.boot_env().name;
        let cold_s = if cold {
            let dir = root().join("target/guest-cold");
            let _ = std::fs::remove_dir_all(&dir);
            let d = crate::guests::build_in(env, "../../target/guest-cold")?;
            let _ = std::fs::remove_dir_all(&dir);
            format!("{:.1}", d.as_secs_f64())
        } else {
            "-".into()
        };
        crate::guests::build(env)?;
        let noop = crate::guests::build(env)?;
        let text = std::fs::read(&main_rs).map_err(|e| e.to_string())?;
        std::fs::write(&main_rs, &text).map_err(|e| e.to_string())?;
        let touched = crate::guests::build(env)?;
        let q = match Qemu::new(t, &root(), None) {
            Ok(q) => q,
            Err(e) => {
                println!("{:<14} unavailable: {e}", t.name());
                continue;
            }
        };
        let mut first = Vec::new();
        let mut wall = Vec::new();
        for _ in 0..BOOTS {
            let b = q.boot(b"smoke").map_err(|e| e.to_string())?;
            first.push(b.timings.first_frame.unwrap_or_default());
            wall.push(b.timings.wall);
        }
        first.sort();
        wall.sort();
        println!(
            "{:<14} {:>8} {:>8.2} {:>9.2} {:>12.1} {:>10.1}",
            t.name(),
            cold_s,
            noop.as_secs_f64(),
            touched.as_secs_f64(),
            first[BOOTS / 2].as_secs_f64() * 1e3,
            wall[BOOTS / 2].as_secs_f64() * 1e3,
        );
    }
    if !cold {
        println!("(cold builds: cargo xtask bench --cold; each rebuilds core, about a minute per target)");
    }
    Ok(())
}

const BOOTS: usize = 7;

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
