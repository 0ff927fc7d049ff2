//! `cargo xtask setup`: Debian packages the project needs, installed only when missing.

use std::process::Command;

use crate::Result;

/// Packages and why we need them.
pub const PACKAGES: &[(&str, &str)] = &[
    (
        "rustc-web",
        "Debian's rustc, which builds `core` for every guest target",
    ),
    (
        "rust-web-src",
        "the Rust sources that `-Zbuild-std=core` compiles",
    ),
    ("lld-22", "the linker for bare-metal guest images"),
    (
        "qemu-system-arm",
        "QEMU for the qemu-aarch64 and qemu-arm targets (virt, PSCI)",
    ),
    (
        "qemu-system-misc",
        "QEMU for the qemu-s390x and qemu-riscv64 targets (DIAG 0x500, OpenSBI)",
    ),
    (
        "qemu-system-ppc",
        "QEMU for the qemu-ppc64 target (pseries, PAPR hcalls)",
    ),
    (
        "qemu-system-x86",
        "QEMU for x86_64 guests (and Xen under TCG, later)",
    ),
    (
        "gcc-aarch64-linux-gnu",
        "compiles and assembles the generated aarch64 stubs (stubs/, conformance/tests/stubs.rs)",
    ),
    (
        "libc6-dev-arm64-cross",
        "links the static aarch64 VMM of the KVM targets (runners/vmm)",
    ),
    (
        "libc6-dev-riscv64-cross",
        "links the static riscv64 VMM of the KVM RISC-V target (runners/vmm)",
    ),
    (
        "libc6-dev-armhf-cross",
        "links the static armhf /init of the 32-bit HYP stub target (runners/vmm)",
    ),
    (
        "gcc-arm-linux-gnueabihf",
        "compiles and assembles the generated arm stubs",
    ),
    (
        "gcc-i686-linux-gnu",
        "compiles and assembles the generated x86 (i386) stubs",
    ),
    (
        "gcc-riscv64-linux-gnu",
        "compiles and assembles the generated riscv64 stubs",
    ),
    (
        "gcc-s390x-linux-gnu",
        "compiles and assembles the generated s390x stubs",
    ),
    (
        "gcc-powerpc64-linux-gnu",
        "compiles and assembles the generated ppc64 stubs",
    ),
    (
        "clang",
        "the second compiler of the generated stubs (--target= for every arch)",
    ),
];

/// The packages of `pkgs` that dpkg does not list as installed (one `dpkg-query` for all).
fn missing_of<'a>(pkgs: &[&'a str]) -> Vec<&'a str> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Package} ${Status}\\n"])
        .args(pkgs)
        .output();
    let text = out
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    pkgs.iter()
        .copied()
        .filter(|p| {
            !text
                .lines()
                .any(|l| l.starts_with(&format!("{p} ")) && l.ends_with("install ok installed"))
        })
        .collect()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Everything: the Debian packages, then every component of the target catalogue (downloaded
/// from Debian's archives or built from Debian's sources under `target/components/`).
pub fn run() -> Result {
    packages()?;
    crate::components::run()
}

fn packages() -> Result {
    ensure("setup", PACKAGES)
}

/// The packages of `pkgs` (name, why) not installed yet, installed with apt; as a non-root user,
/// the exact command instead. `label` prefixes every line (`setup`, `setup: xen`).
pub fn ensure(label: &str, pkgs: &[(&str, &str)]) -> Result {
    let all: Vec<&str> = pkgs.iter().map(|(p, _)| *p).collect();
    let missing = missing_of(&all);
    if missing.is_empty() {
        eprintln!(
            "{label}: all {} packages present ({})",
            pkgs.len(),
            all.join(", ")
        );
        return Ok(());
    }
    for (p, _) in pkgs.iter().filter(|(p, _)| !missing.contains(p)) {
        eprintln!("{label}: {p} present, skipped");
    }
    for (p, why) in pkgs.iter().filter(|(p, _)| missing.contains(p)) {
        eprintln!("{label}: installing {p}: {why}");
    }
    let command = format!(
        "apt-get update && apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    if !is_root() {
        return Err(format!(
            "{label}: missing packages {}; run as root:\n  {command}",
            missing.join(", ")
        ));
    }
    crate::run(Command::new("apt-get").args(["update", "-q"]))?;
    crate::run(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing),
    )?;
    let still = missing_of(&missing);
    if !still.is_empty() {
        return Err(format!(
            "apt-get install finished but {} still not installed",
            still.join(", ")
        ));
    }
    eprintln!("{label}: installed {}", missing.join(", "));
    Ok(())
}
