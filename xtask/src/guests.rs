//! `cargo xtask guests [--arch A]`: the bare-metal guest images (`runners/guest`), one per boot
//! environment of the catalogue (`runners::catalog::BOOT_ENVS`), built with Debian's rustc and
//! `-Zbuild-std=core` into `target/guest-<environment>`, never as part of the host workspace.
//! Flat images are made beside the ELF: the raw `-bios` file QEMU's pseries loads at address 0
//! (`hyperabi-guest.bin`), the Linux arm64 `Image` of the Xen dom0.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::{cargo, root, run, Result};

use runners::catalog::{vmm_rust_target, vmm_target_dir, BootEnv, Load, BOOT_ENVS};

fn find(name: &str) -> Result<&'static BootEnv> {
    BootEnv::get(name).ok_or_else(|| format!("no boot environment {name:?} (known: {})", names()))
}

/// The image file of the boot environment `name` (the flat one where there is one).
pub fn image_of(name: &str) -> Result<PathBuf> {
    Ok(find(name)?.image())
}

/// Builds the guest image of one boot environment; returns how long it took.
pub fn build(name: &str) -> Result<Duration> {
    let g = find(name)?;
    build_in(name, &format!("../../{}", g.target_dir()))
}

/// [`build`] into another target directory (relative to runners/guest).
pub fn build_in(name: &str, target_dir: &str) -> Result<Duration> {
    let g = find(name)?;
    let start = Instant::now();
    eprintln!("$ cargo build of {name} into {target_dir}");
    g.build(cargo().get_program(), target_dir, None)?;
    Ok(start.elapsed())
}

/// Builds hyperabi's VMM (`runners/vmm`) for the KVM guests of `env`: a static Linux binary of
/// the guest's arch, with Debian's rustc and `-Zbuild-std` (its std is the host's only).
pub fn build_vmm(env: &BootEnv) -> Result<Option<Duration>> {
    let Some(target) = vmm_rust_target(env.arch).filter(|_| env.load == Load::KvmGuest) else {
        return Ok(None);
    };
    let start = Instant::now();
    let mut cmd = cargo();
    cmd.env("RUSTC", "/usr/bin/rustc")
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .args(["build", "-q", "--release", "--target", target])
        .args(["-Zbuild-std=std,panic_abort"])
        .args([
            "--target-dir",
            &format!("../../{}", vmm_target_dir(env.arch)),
        ]);
    run_in(&mut cmd, &root().join("runners/vmm"))?;
    Ok(Some(start.elapsed()))
}

/// Runs `cmd` in `dir`, whose `.cargo/config.toml` (linkers, rustflags) applies there only.
fn run_in(cmd: &mut std::process::Command, dir: &std::path::Path) -> Result {
    run(cmd.current_dir(dir))
}

fn names() -> String {
    BOOT_ENVS
        .iter()
        .map(|g| g.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Builds the images of `envs` (all of the catalogue's when empty).
pub fn run_cli(envs: &[String]) -> Result {
    let arches: Vec<String> = if envs.is_empty() {
        BOOT_ENVS.iter().map(|g| g.name.to_string()).collect()
    } else {
        envs.to_vec()
    };
    for a in &arches {
        let t = build(a)?;
        eprintln!(
            "guests: {a} built in {:.2} s: {}",
            t.as_secs_f64(),
            image_of(a)?.display()
        );
        if let Some(t) = build_vmm(find(a)?)? {
            eprintln!("guests: {a}: the VMM built in {:.2} s", t.as_secs_f64());
        }
    }
    Ok(())
}
