//! Compile-fail tests of the `hypercall_abi!` DSL: every file under `tests/ui` is a small ABI with a
//! mistake (or several), and its `.stderr` is the exact diagnostic the macro must report, at the
//! span of the offending token. Regenerate with
//! `TRYBUILD=overwrite cargo test -p abi-macros --test compile_fail` and review every diff.

#[test]
fn dsl_errors() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
