//! Snapshots of the expansion of every `hypercall_abi!` in `specs/src`: a change to any spec's
//! callers, probe or value is reviewed as a diff (`INSTA_UPDATE=always cargo test -p specs`).

use std::path::Path;

/// The expansion of every `hypercall_abi!` invocation in one source file, formatted.
fn expand_file(path: &Path) -> String {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = syn::parse_file(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut items = Vec::new();
    for item in file.items {
        let syn::Item::Macro(m) = item else { continue };
        if m.mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "hypercall_abi")
        {
            let out = abi_dsl::expand(m.mac.tokens);
            assert!(
                !out.to_string().contains("compile_error"),
                "{}: the spec does not expand cleanly",
                path.display()
            );
            let expanded: syn::File = syn::parse2(out).expect("expansion parses as a file");
            items.extend(expanded.items);
        }
    }
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    })
}

#[test]
fn every_spec_expansion_is_snapshotted() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rs") && p.file_stem().is_some_and(|s| s != "lib")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = expand_file(&path);
        assert!(!text.is_empty(), "{name}: no hypercall_abi! found");
        insta::assert_snapshot!(name, text);
    }
}
