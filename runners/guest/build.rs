//! Picks the linker script of the boot environment for the target being built, and compiles the
//! generated C and assembly stubs (`stubs/`) of the target's arch with Debian's cross gcc into
//! objects linked into the image: `src/stubs.rs` runs plan cases through them.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap();
    let xen = std::env::var_os("CARGO_FEATURE_XEN").is_some();
    let tfa = std::env::var_os("CARGO_FEATURE_TFA").is_some();
    let kvm = std::env::var_os("CARGO_FEATURE_KVM").is_some();
    let module = std::env::var_os("CARGO_FEATURE_LINUX_MODULE").is_some();
    let pvh = std::env::var_os("CARGO_FEATURE_PVH").is_some();
    let env = match arch.as_str() {
        "aarch64" if xen => "xen-arm64",
        "aarch64" if tfa => "aarch64-tfa",
        "aarch64" if module => "aarch64-linux-module",
        "x86_64" if xen && pvh => "xen-x86_64-pvh",
        "x86_64" if xen => "xen-x86_64",
        "arm" if xen => "xen-arm32",
        "arm" if module => "arm-linux-module",
        "x86_64" if kvm => "x86_64-kvm",
        "aarch64" => "aarch64-virt",
        "arm" => "arm-virt",
        "riscv64" => "riscv64-virt",
        "s390x" => "s390x-ccw",
        "powerpc64" => "ppc64-pseries",
        other => panic!("no boot environment for target_arch {other}"),
    };
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let script = format!("{dir}/link/{env}.ld");
    println!("cargo:rerun-if-changed={script}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-link-arg=-T{script}");
    if module {
        // One relocatable object for the kernel module to link in (no entry, no addresses).
        // No section is a root for --gc-sections in a relocatable link (no entry): keep them
        // all (LTO already dropped what the entry does not reach).
        println!("cargo:rustc-link-arg=-r");
        println!("cargo:rustc-link-arg=--no-gc-sections");
    } else {
        println!("cargo:rustc-link-arg=--no-dynamic-linker");
        println!("cargo:rustc-link-arg=-static");
    }
    stubs(&arch, Path::new(&dir));
}

/// The cross gcc of a Rust `target_arch`, the arch name the generated headers use, and the code
/// generation flags that match the guest's Rust target: no FP/SIMD registers (disabled or not
/// saved by the vectors), its float ABI (the linker compares it on riscv64 and arm), no unaligned
/// accesses where MMU-off memory faults on them, no red zone where exceptions push below sp.
fn compiler(arch: &str) -> (&'static str, &'static str, &'static [&'static str]) {
    match arch {
        "aarch64" => (
            "aarch64-linux-gnu-gcc",
            "aarch64",
            &["-mgeneral-regs-only", "-mstrict-align"],
        ),
        "arm" => (
            "arm-linux-gnueabihf-gcc",
            "arm",
            &[
                "-marm",
                "-march=armv7-a",
                "-mfloat-abi=soft",
                "-mno-unaligned-access",
            ],
        ),
        "riscv64" => (
            "riscv64-linux-gnu-gcc",
            "riscv64",
            &[
                "-march=rv64gc",
                "-mabi=lp64d",
                "-mcmodel=medany",
                "-mstrict-align",
            ],
        ),
        "s390x" => (
            "s390x-linux-gnu-gcc",
            "s390x",
            &["-march=z10", "-msoft-float"],
        ),
        "powerpc64" => (
            "powerpc64-linux-gnu-gcc",
            "ppc64",
            &["-mabi=elfv2", "-msoft-float", "-mno-altivec", "-mno-vsx"],
        ),
        "x86_64" => (
            "x86_64-linux-gnu-gcc",
            "x86_64",
            &["-mno-red-zone", "-mgeneral-regs-only", "-mcmodel=small"],
        ),
        other => panic!("no cross compiler for target_arch {other}"),
    }
}

/// Compiles `<stubs>/<abi>.h` (with `HYPERABI_DISPATCH`, one translation unit per ABI) and
/// `<stubs>/<abi>.S` for every ABI of the arch, links the objects in, and writes
/// `$OUT_DIR/stubs_table.rs`: the dispatchers by ABI id, and what compiled them. The stubs come
/// from `stubs/` unless `HYPERABI_GUEST_STUBS` names another directory (a test's deliberately
/// broken stub). Without the compiler the table is empty and says why: the guest then reports
/// the C and assembly paths unavailable instead of skipping them silently.
fn stubs(arch: &str, manifest: &Path) {
    println!("cargo:rerun-if-env-changed=HYPERABI_GUEST_STUBS");
    let dir = match std::env::var_os("HYPERABI_GUEST_STUBS") {
        Some(d) => PathBuf::from(d),
        None => manifest.join("../../stubs"),
    };
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let (cc, header_arch, arch_flags) = compiler(arch);
    let pie = std::env::var("CARGO_ENCODED_RUSTFLAGS")
        .unwrap_or_default()
        .contains("relocation-model=pie");
    let mut flags: Vec<&str> = vec![
        "-std=c11",
        "-O2",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-ffreestanding",
        "-nostdlib",
        "-fno-stack-protector",
        "-fno-asynchronous-unwind-tables",
        "-fno-unwind-tables",
        "-ffunction-sections",
        if pie { "-fpie" } else { "-fno-pic" },
    ];
    flags.extend(arch_flags);

    let mut abis: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".h")?.to_string();
            let text = std::fs::read_to_string(e.path()).ok()?;
            // An ABI without calls (only unknown numbers) has no dispatcher.
            let dispatcher = format!("int {}_dispatch(", id.replace('-', "_"));
            (text.contains(&format!("#error \"{id}.h is for {header_arch}\""))
                && text.contains(&dispatcher))
            .then_some(id)
        })
        .collect();
    abis.sort();

    let version = Command::new(cc).arg("-dumpfullversion").output();
    let unavailable = match &version {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!(
            "{cc} -dumpfullversion failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Some(format!(
            "no {cc} ({e}): install Debian's cross gcc for {arch}"
        )),
    };
    let mut table = String::from("// generated by build.rs from the stubs of this arch\n");
    match unavailable {
        Some(why) => {
            println!("cargo:warning=the C and assembly stubs are not linked: {why}");
            writeln!(
                table,
                "pub const COMPILED_BY: Result<&str, &str> = Err({why:?});"
            )
            .unwrap();
            table.push_str("pub static DISPATCH: &[(&str, Dispatch)] = &[];\n");
        }
        None if abis.is_empty() => {
            panic!("no stubs for {header_arch} in {}", dir.display())
        }
        None => {
            let version = String::from_utf8_lossy(&version.unwrap().stdout)
                .trim()
                .to_string();
            for id in &abis {
                let prefix = id.replace('-', "_");
                let c = out.join(format!("{id}.c"));
                std::fs::write(
                    &c,
                    format!("#define HYPERABI_DISPATCH\n#include \"{id}.h\"\n"),
                )
                .unwrap();
                for (src, obj) in [
                    (c.clone(), out.join(format!("{id}.c.o"))),
                    (dir.join(format!("{id}.S")), out.join(format!("{id}.S.o"))),
                ] {
                    println!("cargo:rerun-if-changed={}", src.display());
                    let status = Command::new(cc)
                        .args(&flags)
                        .arg("-I")
                        .arg(&dir)
                        .arg("-c")
                        .arg(&src)
                        .arg("-o")
                        .arg(&obj)
                        .status()
                        .unwrap_or_else(|e| panic!("{cc}: {e}"));
                    assert!(status.success(), "{cc} {}: failed", src.display());
                    println!("cargo:rustc-link-arg={}", obj.display());
                }
                println!(
                    "cargo:rerun-if-changed={}",
                    dir.join(format!("{id}.h")).display()
                );
                writeln!(
                    table,
                    "extern \"C\" {{ fn {prefix}_dispatch(via_asm: i32, index: u32, page: *const u8, args: *const u64, nargs: u32, results: *mut u64, nres: u32) -> i32; }}"
                )
                .unwrap();
            }
            // Short: it travels in the guest's info record (at most 255 bytes).
            writeln!(
                table,
                "pub const COMPILED_BY: Result<&str, &str> = Ok({:?});",
                format!(
                    "{cc} {version} -O2 -ffreestanding {} {}",
                    if pie { "-fpie" } else { "-fno-pic" },
                    arch_flags.join(" ")
                )
            )
            .unwrap();
            table.push_str("pub static DISPATCH: &[(&str, Dispatch)] = &[\n");
            for id in &abis {
                writeln!(table, "    ({id:?}, {}_dispatch),", id.replace('-', "_")).unwrap();
            }
            table.push_str("];\n");
        }
    }
    std::fs::write(out.join("stubs_table.rs"), table).unwrap();
}
