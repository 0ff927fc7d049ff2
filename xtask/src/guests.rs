//! `cargo xtask guests [--arch A]`: the bare-metal guest images (`runners/guest`), one per boot
//! environment, built with Debian's rustc and `-Zbuild-std=core` into `target/guest`, never as
//! part of the host workspace. The ppc64 image is also flattened to the raw `-bios` file QEMU's
//! pseries loads at address 0 (`hyperabi-guest.bin`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::{cargo, root, run, Result};

/// How QEMU or Xen takes the image besides the ELF file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flat {
    /// The ELF file as it is.
    No,
    /// `hyperabi-guest.bin`: the raw `-bios` image from address 0 (ppc64 pseries).
    Bios,
    /// `hyperabi-guest.Image`: a Linux arm64 Image (the header is the first bytes of .text) for a
    /// Xen dom0.
    Image,
}

/// One boot environment: its name (as `--arch` and the runners spell it), Rust target, whether
/// it is a Xen dom0 (the `xen` feature, built into `target/guest-xen`), the flat image, and the
/// target's extra rustflags.
pub struct Guest {
    pub name: &'static str,
    pub target: &'static str,
    pub xen: bool,
    pub flat: Flat,
    pub rustflags: &'static str,
}

const fn g(name: &'static str, target: &'static str, flat: Flat) -> Guest {
    Guest {
        name,
        target,
        xen: false,
        flat,
        rustflags: "",
    }
}

pub const GUESTS: &[Guest] = &[
    g("aarch64", "aarch64-unknown-none", Flat::No),
    g("arm", "armv7a-none-eabi", Flat::No),
    g("riscv64", "riscv64gc-unknown-none-elf", Flat::No),
    g("s390x", "s390x-unknown-none-softfloat", Flat::No),
    g("ppc64", "powerpc64-unknown-linux-musl", Flat::Bios),
    // Xen loads the arm64 dom0 wherever dom0's memory starts: position-independent, relocated by
    // its entry code.
    Guest {
        name: "xen-arm64",
        target: "aarch64-unknown-none",
        xen: true,
        flat: Flat::Image,
        rustflags: "-C relocation-model=pie -C link-arg=-pie -C link-arg=-znorelro",
    },
    // A PV dom0 runs at the virtual addresses of its ELF segments (0x400000 up).
    Guest {
        name: "xen-x86_64",
        target: "x86_64-unknown-none",
        xen: true,
        flat: Flat::No,
        rustflags: "-C relocation-model=static -C code-model=small",
    },
];

fn find(arch: &str) -> Result<&'static Guest> {
    GUESTS
        .iter()
        .find(|g| g.name == arch)
        .ok_or_else(|| format!("no guest for arch {arch:?} (known: {})", names()))
}

/// The target directory (relative to the workspace) of a boot environment.
fn dir_of(g: &Guest) -> &'static str {
    if g.xen {
        "target/guest-xen"
    } else {
        "target/guest"
    }
}

/// The image file of the boot environment `arch` (the flat one where there is one).
pub fn image_of(arch: &str) -> Result<PathBuf> {
    let g = find(arch)?;
    let elf = root()
        .join(dir_of(g))
        .join(g.target)
        .join("release/hyperabi-guest");
    Ok(match g.flat {
        Flat::No => elf,
        Flat::Bios => elf.with_extension("bin"),
        Flat::Image => elf.with_extension("Image"),
    })
}

/// Builds the guest for one arch; returns how long it took.
pub fn build(arch: &str) -> Result<Duration> {
    let g = find(arch)?;
    build_in(arch, &format!("../../{}", dir_of(g)))
}

/// [`build`] into another target directory (relative to runners/guest).
pub fn build_in(arch: &str, target_dir: &str) -> Result<Duration> {
    let g = find(arch)?;
    let target = g.target;
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
    if g.xen {
        cmd.args(["--features", "xen"]);
    }
    if !g.rustflags.is_empty() {
        let var = format!(
            "CARGO_TARGET_{}_RUSTFLAGS",
            target.to_uppercase().replace('-', "_")
        );
        cmd.env(var, g.rustflags);
    }
    run_in(&mut cmd, &dir)?;
    if g.flat != Flat::No {
        let elf = root()
            .join("runners/guest")
            .join(target_dir)
            .join(target)
            .join("release/hyperabi-guest");
        let bytes = std::fs::read(&elf).map_err(|e| format!("{}: {e}", elf.display()))?;
        let bin = flatten(&bytes).map_err(|e| format!("{}: {e}", elf.display()))?;
        let out = elf.with_extension(if g.flat == Flat::Image {
            "Image"
        } else {
            "bin"
        });
        std::fs::write(&out, bin).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    Ok(start.elapsed())
}

/// The guest's `.cargo/config.toml` (linkers, ppc64 flags) is only read from runners/guest.
fn run_in(cmd: &mut std::process::Command, dir: &std::path::Path) -> Result {
    run(cmd.current_dir(dir))
}

fn names() -> String {
    GUESTS.iter().map(|g| g.name).collect::<Vec<_>>().join(", ")
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
        [] => GUESTS.iter().map(|g| g.name.to_string()).collect(),
        [flag, a] if flag == "--arch" => a.split(',').map(str::to_string).collect(),
        _ => return Err(format!("usage: cargo xtask guests [--arch {}]", names())),
    };
    for a in &arches {
        let t = build(a)?;
        eprintln!(
            "guests: {a} built in {:.2} s: {}",
            t.as_secs_f64(),
            image_of(a)?.display()
        );
    }
    Ok(())
}
