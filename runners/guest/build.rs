//! Picks the linker script of the boot environment for the target being built.
fn main() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap();
    let xen = std::env::var_os("CARGO_FEATURE_XEN").is_some();
    let tfa = std::env::var_os("CARGO_FEATURE_TFA").is_some();
    let env = match arch.as_str() {
        "aarch64" if xen => "xen-arm64",
        "aarch64" if tfa => "aarch64-tfa",
        "x86_64" if xen => "xen-x86_64",
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
    println!("cargo:rustc-link-arg=--no-dynamic-linker");
    println!("cargo:rustc-link-arg=-static");
}
