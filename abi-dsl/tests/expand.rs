//! Snapshots of the expansion of one ABI per arch (fixtures in `tests/fixtures/<arch>.abi`), so a
//! change to a caller's operands, clobbers or options, or to a probe, is reviewed as a diff.

use std::path::Path;

fn expand_fixture(arch: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{arch}.abi"));
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let tokens: proc_macro2::TokenStream = src.parse().expect("fixture tokenizes");
    let out = abi_dsl::expand(tokens);
    let text = out.to_string();
    assert!(
        !text.contains("compile_error"),
        "{arch} fixture must be valid:\n{text}"
    );
    let file: syn::File = syn::parse2(out).expect("expansion parses as a file");
    prettyplease::unparse(&file)
}

macro_rules! snapshot {
    ($($arch:ident),* $(,)?) => {$(
        #[test]
        fn $arch() {
            insta::assert_snapshot!(stringify!($arch), expand_fixture(stringify!($arch)));
        }
    )*};
}

snapshot!(aarch64, arm, x86_64, x86, riscv64, s390x, ppc64, inherit);

/// A register rule that changes nothing is warned about at its span (issue 17): `a1: preserved`
/// beside `others: preserved` when every call returns a result in a1; a rule that matters (a2
/// clobbered) is not.
#[test]
fn a_rule_that_changes_nothing_is_warned_about() {
    let src = r#"
        pub abi sbi ("sbi", "RISC-V SBI") {
            arch: riscv64,
            trap: ecall,
            number: { eid: a7, fid: a6 },
            args: [a0, a1, a2, a3, a4, a5],
            results: [a0, a1],
            registers: { a1: preserved, a2: clobbered, a3: preserved, others: preserved },
            errors: { SBI_ERR_NOT_SUPPORTED = -2 },
            unknown: error(SBI_ERR_NOT_SUPPORTED),
            calls: {
                get_spec_version = (0x10, 0) () -> (error: range(0..=0), version: any);
            },
        }
    "#;
    let out = abi_dsl::expand(src.parse().unwrap()).to_string();
    assert!(!out.contains("compile_error"), "{out}");
    let warnings: Vec<&str> = out
        .match_indices("the rule `")
        .map(|(i, _)| out[i..i + 24].trim_end())
        .collect();
    assert_eq!(
        warnings,
        ["the rule `a1: preserved`", "the rule `a3: preserved`"]
    );
    assert!(out.contains("# [deprecated (note ="), "{out}");
}
