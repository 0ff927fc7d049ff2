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
];

fn installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

pub fn run() -> Result {
    crate::xen::run()?;
    let missing: Vec<&str> = PACKAGES
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        eprintln!("setup: all {} packages present", PACKAGES.len());
        return Ok(());
    }
    for (p, why) in PACKAGES.iter().filter(|(p, _)| missing.contains(p)) {
        eprintln!("setup: installing {p}: {why}");
    }
    let command = format!(
        "apt-get update && apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    if !is_root() {
        return Err(format!(
            "missing packages {}; run as root:\n  {command}",
            missing.join(", ")
        ));
    }
    crate::run(Command::new("apt-get").args(["update", "-q"]))?;
    crate::run(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing),
    )
}
