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
