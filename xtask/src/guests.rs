//! `cargo xtask guests [--arch A]`: the bare-metal guest images (`runners/guest`), one per boot
//! environment, built with Debian's rustc and `-Zbuild-std=core` into `target/guest`, never as
//! part of the host workspace. The ppc64 image is also flattened to the raw `-bios` file QEMU's
//! pseries loads at address 0 (`hyperabi-guest.bin`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::{cargo, root, run, Result};

/// arch name (as `--arch` and the runners spell it), Rust target, whether QEMU needs a flat image.
pub const GUESTS: &[(&str, &str, bool)] = &[
    ("aarch64", "aarch64-unknown-none", false),
    ("arm", "armv7a-none-eabi", false),
    ("riscv64", "riscv64gc-unknown-none-elf", false),
    ("s390x", "s390x-unknown-none-softfloat", false),
    ("ppc64", "powerpc64-unknown-linux-musl", true),
];

pub fn image(target: &str) -> PathBuf {
    root().join(format!("target/guest/{target}/release/hyperabi-guest"))
}

/// Builds the guest for one arch; returns how long it took.
pub fn build(arch: &str) -> Result<Duration> {
    build_in(arch, "../../target/guest")
}

/// [`build`] into another target directory (relative to runners/guest).
pub fn build_in(arch: &str, target_dir: &str) -> Result<Duration> {
    let &(_, target, flat) = GUESTS
        .iter()
        .find(|(a, _, _)| *a == arch)
        .ok_or_else(|| format!("no guest for arch {arch:?} (known: {})", names()))?;
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
    run_in(&mut cmd, &dir)?;
    if flat {
        let elf = root()
            .join("runners/guest")
            .join(target_dir)
            .join(target)
            .join("release/hyperabi-guest");
        let bytes = std::fs::read(&elf).map_err(|e| format!("{}: {e}", elf.display()))?;
        let bin = flatten(&bytes).map_err(|e| format!("{}: {e}", elf.display()))?;
        let out = elf.with_extension("bin");
        std::fs::write(&out, bin).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    Ok(start.elapsed())
}

/// The guest's `.cargo/config.toml` (linkers, ppc64 flags) is only read from runners/guest.
fn run_in(cmd: &mut std::process::Command, dir: &std::path::Path) -> Result {
    run(cmd.current_dir(dir))
}

fn names() -> String {
    GUESTS.iter().map(|g| g.0).collect::<Vec<_>>().join(", ")
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

pub fn run_cli(args: &[String]) -> Result {
    let arches: Vec<String> = match args {
        [] => GUESTS.iter().map(|g| g.0.to_string()).collect(),
        [flag, a] if flag == "--arch" => a.split(',').map(str::to_string).collect(),
        _ => return Err(format!("usage: cargo xtask guests [--arch {}]", names())),
    };
    for a in &arches {
        let t = build(a)?;
        let target = GUESTS.iter().find(|g| g.0 == a).unwrap().1;
        eprintln!(
            "guests: {a} built in {:.2} s: {}",
            t.as_secs_f64(),
            image(target).display()
        );
    }
    Ok(())
}
