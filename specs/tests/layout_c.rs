//! The struct layouts the model computes for Xen's parameter structs, held to C: for each Xen ABI
//! that declares structs, a C file asserts (`_Static_assert`) the model's `sizeof`, `alignof` and
//! every field's `offsetof` against the definitions of Xen's public headers
//! (`tests/c/xen_public.h`), compiled by the C compiler of that ABI's arch (Debian's cross gcc):
//! AAPCS64 for arm64 and for arm32 guests alike, LP64 for x86_64, i386 for 32-bit x86. A
//! missing compiler is an error, not a pass.

use std::path::Path;
use std::process::Command;

use abi_spec::Abi;

/// (ABI id, compiler, its flags).
const TARGETS: &[(&str, &str, &[&str])] = &[
    ("xen-arm64", "aarch64-linux-gnu-gcc", &[]),
    ("xen-arm32", "arm-linux-gnueabihf-gcc", &[]),
    ("xen-x86_64", "x86_64-linux-gnu-gcc", &[]),
    ("xen-x86", "i686-linux-gnu-gcc", &[]),
];

fn abi(id: &str) -> &'static Abi {
    specs::all()
        .iter()
        .copied()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no ABI {id}"))
}

/// Model structs that are a view of a C struct whose union holds the sub-operation's struct
/// (Xen's control hypercalls: the header, then one member of `u`): (model struct, C struct,
/// header fields, the union member, the model field for the rest of the union, model fields
/// named otherwise in C with their designator inside the member).
type View = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const VIEWS: &[View] = &[
    (
        "xen_sysctl_with_physinfo",
        "xen_sysctl",
        &["cmd", "interface_version"],
        "u.physinfo",
        "u_rest",
        &[],
    ),
    (
        "xen_domctl_with_getdomaininfo",
        "xen_domctl",
        &["cmd", "interface_version", "domain", "_pad"],
        "u.getdomaininfo",
        "u_rest",
        &[
            ("info_domain", "domain"),
            ("emulation_flags", "arch_config.emulation_flags"),
            ("misc_flags", "arch_config.misc_flags"),
            ("gic_version", "arch_config.gic_version"),
            ("tee_type", "arch_config.tee_type"),
            ("nr_spis", "arch_config.nr_spis"),
            ("clock_frequency", "arch_config.clock_frequency"),
        ],
    ),
    (
        "xen_platform_op_with_pcpuinfo",
        "xen_platform_op",
        &["cmd", "interface_version"],
        "u.pcpu_info",
        "u_rest",
        &[],
    ),
    (
        "xen_platform_op_with_pcpu_version",
        "xen_platform_op",
        &["cmd", "interface_version"],
        "u.pcpu_version",
        "u_rest",
        &[],
    ),
    (
        "xen_platform_op_with_settime64",
        "xen_platform_op",
        &["cmd", "interface_version"],
        "u.settime64",
        "u_rest",
        &[],
    ),
];

/// The assertions of a view's layout: the C struct's size and alignment, each header field and
/// each field of the union member through its designator, the rest of the union after it.
fn view_asserts(s: &abi_spec::StructDef, skew: Option<(&str, &str)>) -> Option<String> {
    let &(_, cs, header, member, rest, renamed) = VIEWS.iter().find(|v| v.0 == s.name)?;
    let mut c = format!(
        "_Static_assert(sizeof(struct {cs}) == {1}, \"sizeof {0}\");\n\
         _Static_assert(_Alignof(struct {cs}) == {2}, \"alignof {0}\");\n",
        s.name,
        s.size(),
        s.align()
    );
    let (mut rest_start, mut rest_len) = (None, 0);
    for (f, l) in s.layouts() {
        let off = l.offset + u32::from(skew == Some((s.name, f.name)));
        let (at, size) = if header.contains(&f.name) {
            (
                format!("offsetof(struct {cs}, {})", f.name),
                format!("sizeof(((struct {cs} *)0)->{})", f.name),
            )
        } else if f.name.starts_with(rest) {
            // The rest of the union may be split (`u_rest_pad`, then `u_rest` of 8-byte units
            // that give the struct the union's alignment): each part where it follows the
            // member, all of them together the union's remaining bytes.
            let first = rest_start.get_or_insert(l.offset);
            rest_len += l.size;
            (
                format!(
                    "offsetof(struct {cs}, {member}) + sizeof(((struct {cs} *)0)->{member}) + {}",
                    l.offset - *first
                ),
                format!("{}", l.size),
            )
        } else {
            let c_name = renamed
                .iter()
                .find(|(m, _)| *m == f.name)
                .map_or(f.name, |(_, c)| c);
            (
                format!("offsetof(struct {cs}, {member}.{c_name})"),
                format!("sizeof(((struct {cs} *)0)->{member}.{c_name})"),
            )
        };
        c += &format!(
            "_Static_assert({at} == {off}, \"offsetof {0}.{1}\");\n\
             _Static_assert({size} == {2}, \"sizeof {0}.{1}\");\n",
            s.name, f.name, l.size
        );
    }
    c += &format!(
        "_Static_assert(sizeof(((struct {cs} *)0)->u) - sizeof(((struct {cs} *)0)->{member}) == {rest_len}, \"sizeof {0}.{rest}*\");\n",
        s.name
    );
    Some(c)
}

/// The assertions of `abi`'s model layouts; `skew` moves one field's expected offset (to show
/// the compile catches a wrong layout).
fn asserts(abi: &Abi, skew: Option<(&str, &str)>) -> String {
    let mut c = String::from("#include \"xen_public.h\"\n");
    for s in abi.structs {
        if let Some(view) = view_asserts(s, skew) {
            c += &view;
            continue;
        }
        c += &format!(
            "_Static_assert(sizeof(struct {0}) == {1}, \"sizeof {0}\");\n\
             _Static_assert(_Alignof(struct {0}) == {2}, \"alignof {0}\");\n",
            s.name,
            s.size(),
            s.align()
        );
        for (f, l) in s.layouts() {
            let off = l.offset + u32::from(skew == Some((s.name, f.name)));
            c += &format!(
                "_Static_assert(offsetof(struct {0}, {1}) == {2}, \"offsetof {0}.{1}\");\n\
                 _Static_assert(sizeof(((struct {0} *)0)->{1}) == {3}, \"sizeof {0}.{1}\");\n",
                s.name, f.name, off, l.size
            );
        }
    }
    c
}

fn compile(cc: &str, flags: &[&str], source: &str, name: &str) -> Result<(), String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layout_c");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/xen_public.h"),
        dir.join("xen_public.h"),
    )
    .unwrap();
    let file = dir.join(format!("{name}.c"));
    std::fs::write(&file, source).unwrap();
    let out = Command::new(cc)
        .args(flags)
        .args([
            "-std=c11",
            "-ffreestanding",
            "-fsyntax-only",
            "-Wall",
            "-Werror",
        ])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cc} (install Debian's cross gcc): {e}"));
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn model_layouts_are_those_c_gives_for_xens_headers() {
    for &(id, cc, flags) in TARGETS {
        let abi = abi(id);
        assert!(abi.structs.len() >= 8, "{id} declares its structs");
        let name = id.replace('-', "_");
        if let Err(e) = compile(cc, flags, &asserts(abi, None), &name) {
            panic!("{id}: the model's layouts differ from {cc}'s:\n{e}");
        }
    }
}

#[test]
fn a_wrong_offset_fails_the_compile() {
    let abi = abi("xen-x86_64");
    let e = compile(
        "x86_64-linux-gnu-gcc",
        &[],
        &asserts(abi, Some(("gnttab_query_size", "nr_frames"))),
        "skewed",
    )
    .expect_err("a skewed offset must not compile");
    assert!(e.contains("offsetof gnttab_query_size.nr_frames"), "{e}");
}

#[test]
fn a_wrong_offset_in_a_view_of_a_union_fails_the_compile() {
    let abi = abi("xen-arm64");
    for field in ["interface_version", "total_pages", "u_rest"] {
        let e = compile(
            "aarch64-linux-gnu-gcc",
            &[],
            &asserts(abi, Some(("xen_sysctl_with_physinfo", field))),
            "skewed_view",
        )
        .expect_err("a skewed offset must not compile");
        assert!(
            e.contains(&format!("offsetof xen_sysctl_with_physinfo.{field}")),
            "{e}"
        );
    }
}

#[test]
fn the_rules_differ_where_xen_says() {
    // vcpu_runstate_info: uint64_t after an int is at 4 on i386, at 8 on the 64-bit layouts,
    // and Arm's 32-bit guests use the 64-bit layout.
    let at = |id: &str| {
        abi(id)
            .struct_named("vcpu_runstate_info")
            .unwrap()
            .field("state_entry_time")
            .unwrap()
            .1
            .offset
    };
    assert_eq!(at("xen-x86"), 4);
    assert_eq!(at("xen-x86_64"), 8);
    assert_eq!(at("xen-arm32"), 8);
    assert_eq!(at("xen-arm64"), 8);
    let size = |id: &str, s: &str| abi(id).struct_named(s).unwrap().size();
    assert_eq!(size("xen-x86", "xen_machphys_mapping"), 12);
    assert_eq!(size("xen-arm32", "xen_machphys_mapping"), 24);
}
