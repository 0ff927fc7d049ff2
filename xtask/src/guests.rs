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
    let target = g.rust_target;
    let start = Instant::now();
    let dir = root().join("runners/guest");
    let mut cmd = cargo();
    cmd.env("RUSTC", "/usr/bin/rustc")
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .args(["build", "-q", "--release", "--target", target])
        .args([
            "-Zbuild-std=core",
            "-Zbuild-std-features=compiler-builtins-mem",
        ])
        .args(["--target-dir", target_dir]);
    if !g.features.is_empty() {
        cmd.args(["--features", g.features]);
    }
    if !g.rustflags.is_empty() {
        let var = format!(
            "CARGO_TARGET_{}_RUSTFLAGS",
            target.to_uppercase().replace('-', "_")
        );
        cmd.env(var, g.rustflags);
    }
    run_in(&mut cmd, &dir)?;
    if let Some(ext) = g.flat {
        let elf = root()
            .join("runners/guest")
            .join(target_dir)
            .join(target)
            .join("release/hyperabi-guest");
        let bytes = std::fs::read(&elf).map_err(|e| format!("{}: {e}", elf.display()))?;
        let bin = flatten(&bytes).map_err(|e| format!("{}: {e}", elf.display()))?;
        let out = elf.with_extension(ext);
        std::fs::write(&out, bin).map_err(|e| format!("{}: {e}", out.display()))?;
    }
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

/// The guest's `.cargo/config.toml` (linkers, ppc64 flags) is only read from runners/guest.
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

/// The PT_LOAD segments of a 64-bit ELF laid out from physical address 0 (what `objcopy -O
/// binary` makes for an image linked at 0), without the zero-filled tail (.bss).
pub fn flatten(elf: &[u8]) -> std::result::Result<Vec<u8>, String> {
    if elf.len() < 64 || &elf[..4] != b"\x7fELF" || elf[4] != 2 {
        return Err("not a 64-bit ELF file".into());
    }
    let be = elf[5] == 2;
    let u16_at = |o: usize| {
        let b = [elf[o], elf[o + 1]];
        if be {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    };
    let u64_at = |o: usize| {
        let b: [u8; 8] = elf[o..o + 8].try_into().unwrap();
        if be {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        }
    };
    let phoff = u64_at(32) as usize;
    let phentsize = u16_at(54) as usize;
    let phnum = u16_at(56) as usize;
    let mut out = Vec::new();
    for i in 0..phnum {
        let ph = phoff + i * phentsize;
        if ph + 56 > elf.len() {
            return Err(format!("program header {i} lies outside the file"));
        }
        let ty = if be {
            u32::from_be_bytes(elf[ph..ph + 4].try_into().unwrap())
        } else {
            u32::from_le_bytes(elf[ph..ph + 4].try_into().unwrap())
        };
        let (offset, paddr, filesz) = (u64_at(ph + 8), u64_at(ph + 24), u64_at(ph + 32));
        if ty != 1 || filesz == 0 {
            continue;
        }
        let (offset, paddr, filesz) = (offset as usize, paddr as usize, filesz as usize);
        if paddr > 64 << 20 || offset + filesz > elf.len() {
            return Err(format!("segment {i} at {paddr:#x} is not a flat low image"));
        }
        if out.len() < paddr + filesz {
            out.resize(paddr + filesz, 0);
        }
        out[paddr..paddr + filesz].copy_from_slice(&elf[offset..offset + filesz]);
    }
    Ok(out)
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
