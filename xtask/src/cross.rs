//! Cross builds of `specs` for every arch with Debian's rustc (`-Zbuild-std=core`), with every
//! caller kept alive so the assembler checks each generated template and probe.

use crate::{cargo, run, Result};

/// Rust target per arch of the model, with extra rustflags.
pub const TARGETS: &[(&str, &str)] = &[
    ("aarch64-unknown-none", ""),
    ("x86_64-unknown-none", "-C relocation-model=static"),
];

pub fn build_all() -> Result {
    for (target, flags) in TARGETS {
        run(cargo()
            .env("RUSTC", "/usr/bin/rustc")
            .env("RUSTC_BOOTSTRAP", "1")
            .env("RUSTFLAGS", format!("--cfg hyperabi_check_callers {flags}"))
            .args([
                "build",
                "--release",
                "-p",
                "specs",
                "--no-default-features",
                "--target",
                target,
            ])
            .args([
                "-Zbuild-std=core",
                "-Zbuild-std-features=compiler-builtins-mem",
            ])
            .args(["--target-dir", "target/cross"]))?;
    }
    Ok(())
}
