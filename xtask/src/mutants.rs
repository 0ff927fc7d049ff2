//! `cargo xtask mutants`: mutation testing of the checker and the wire format
//! (`abi-spec/src/check.rs`, `abi-spec/src/wire.rs`) with `cargo-mutants`, against abi-spec's
//! own tests: every mutant that changes behaviour must make a test fail. Mutants judged
//! equivalent (no input tells them apart) are excluded here, each with its reason. Fails when a
//! mutant is missed. Not part of `cargo xtask test` (a few minutes on two cores); run it after
//! touching either file. Needs `cargo install cargo-mutants`.

use crate::{cargo, root, run, Result};

/// Mutants no test can catch, as `--exclude-re` patterns, with why they are equivalent.
const EQUIVALENT: &[(&str, &str)] = &[];

/// Runs cargo-mutants on the two files; fails when a mutant is missed.
pub fn run_cli() -> Result {
    let have = cargo()
        .args(["mutants", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        return Err("cargo-mutants is not installed: run `cargo install cargo-mutants`".into());
    }
    let mut cmd = cargo();
    cmd.args(["mutants", "-p", "abi-spec", "--test-package", "abi-spec"])
        .args([
            "--file",
            "abi-spec/src/check.rs",
            "--file",
            "abi-spec/src/wire.rs",
        ])
        .args(["-j", "1", "--timeout", "120", "--output"])
        .arg(root().join("target/mutants"));
    for (re, _why) in EQUIVALENT {
        cmd.args(["--exclude-re", re]);
    }
    run(&mut cmd).map_err(|e| {
        format!("{e}: missed mutants are listed in target/mutants/mutants.out/missed.txt")
    })
}
