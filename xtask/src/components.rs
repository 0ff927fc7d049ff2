//! `cargo xtask setup`, the components of the target catalogue (`runners::catalog::COMPONENTS`):
//! every [`Origin::Archive`] component is downloaded from Debian's archives through a private apt
//! configuration and unpacked, every [`Origin::Source`] component is built from its Debian source
//! package, each under `target/components/<id>/` (`HYPERABI_COMPONENTS_DIR` moves it).
//!
//! - **Private apt**: own sources list (bookworm, bookworm-backports, trixie; signed by
//!   `debian-archive-keyring`, which carries trixie's keys), state and cache under
//!   `target/components/.apt`; the architecture is given per package (`name:arch=version`).
//!   Nothing is installed, no foreign dpkg architecture is added, the machine's sources are not
//!   read.
//! - **Pinned**: each package at the version the catalogue pins. A version the archive no longer
//!   serves fails with what it serves instead (`apt-cache madison`).
//! - **Idempotent**: `MANIFEST` (what was pinned, each `.deb` with its sha256, the seconds it
//!   took) is written last; a component whose `MANIFEST` matches the catalogue is only checked,
//!   anything else is made again from scratch.
//! - **Quiet**: one progress line per long step; the full output of every command goes to
//!   `target/components/<id>/setup.log` and is printed only when a step fails.

use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use runners::catalog::{components_dir, Component, DebPackage, Origin, Role, COMPONENTS, TARGETS};
use sha2::{Digest, Sha256};

use crate::{root, Result};

/// Host packages (Debian bookworm) the component steps need, and why.
pub const HOST_PACKAGES: &[(&str, &str)] = &[
    (
        "apt",
        "downloads components through a private configuration",
    ),
    (
        "dpkg-dev",
        "dpkg-source, which unpacks Debian source packages",
    ),
    ("xz-utils", "unpacks .deb and source tarballs"),
    (
        "zstd",
        "unpacks the ELF vmlinux of trixie's x86 kernel from its bzImage",
    ),
    ("make", "drives the Xen and TF-A builds"),
    (
        "gcc",
        "the x86_64 debug Xen and TF-A's host tools (fiptool)",
    ),
    ("libssl-dev", "TF-A's fiptool links libcrypto"),
    (
        "gcc-aarch64-linux-gnu",
        "cross-compiles the arm64 debug Xen and TF-A",
    ),
    (
        "binutils-aarch64-linux-gnu",
        "assembles TF-A's BL33 trampoline (runners/guest/tfa/bl33.S)",
    ),
    ("flex", "Xen's Kconfig"),
    ("bison", "Xen's Kconfig"),
    ("python3", "Xen's build scripts"),
    ("lsb-release", "Debian's Xen banner patch asks lsb_release"),
];

/// The private apt sources: every suite a component comes from. Binary packages of amd64, arm64
/// (armhf from bookworm, riscv64 from trixie, the first release with it) and `all`; sources of the suites a component is built from.
const SOURCES: &str = "\
deb [arch=amd64,arm64,armhf signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
deb [arch=amd64,arm64,riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
";

/// What setup did with a component this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Present and matching the catalogue: only checked.
    Cached,
    /// Downloaded and unpacked.
    Fetched,
    /// Built from source.
    Built,
}

/// Every downloaded or built component of the catalogue, made or checked; a summary at the end.
pub fn run() -> Result {
    let start = Instant::now();
    crate::setup::ensure("setup", HOST_PACKAGES)?;
    let mut apt = None;
    let mut rows = vec![];
    // Archive components first: the debug Xen builds start from the release builds' configs.
    let archive = COMPONENTS
        .iter()
        .filter(|c| matches!(c.origin, Origin::Archive { .. }));
    let source = COMPONENTS
        .iter()
        .filter(|c| matches!(c.origin, Origin::Source { .. }));
    for c in archive.chain(source) {
        let t = Instant::now();
        let outcome = make(c, &mut apt)?;
        rows.push((c, outcome, t.elapsed()));
    }
    eprintln!(
        "setup: components in {} ({:.2} s):",
        components_dir().display(),
        start.elapsed().as_secs_f64()
    );
    for (c, outcome, t) in rows {
        let what = match outcome {
            Outcome::Cached => "cached",
            Outcome::Fetched => "fetched",
            Outcome::Built => "built",
        };
        eprintln!(
            "  {:<22} {:<24} {what:<8} {:>7.1} s",
            c.id,
            format!("{} {}", c.name, c.version),
            t.as_secs_f64()
        );
    }
    Ok(())
}

/// One component: checked when its MANIFEST matches the catalogue, else made from scratch.
fn make(c: &Component, apt: &mut Option<PrivateApt>) -> Result<Outcome> {
    let dir = c.dir();
    let pin = pin(c)?;
    if is_current(c, &pin) {
        return Ok(Outcome::Cached);
    }
    let t = Instant::now();
    // A half-made component (no MANIFEST, or an old pin) is redone from an empty directory; a
    // source build keeps its tree elsewhere, so make resumes where it stopped.
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    mkdir(&dir)?;
    let mut log = Log::create(&dir.join("setup.log"))?;
    let doing = match c.origin {
        Origin::Source { .. } => "building",
        _ => "fetching",
    };
    eprintln!(
        "setup: {}: {doing} {} {}; log {}",
        c.id,
        c.name,
        c.version,
        log.path.display()
    );
    if apt.is_none() {
        *apt = Some(log.step(&format!("setup: {}: private apt", c.id), |log| {
            PrivateApt::open(log)
        })?);
    }
    let apt = apt.as_ref().expect("opened above");
    let (outcome, fields) = match c.origin {
        Origin::System { .. } => unreachable!("System components are not made"),
        Origin::Archive { packages, .. } => (Outcome::Fetched, fetch(c, packages, apt, &mut log)?),
        Origin::Source { package: "xen", .. } => {
            (Outcome::Built, crate::xen::build_debug(c, apt, &mut log)?)
        }
        Origin::Source {
            package: "arm-trusted-firmware",
            ..
        } => (Outcome::Built, build_tfa(c, apt, &mut log)?),
        Origin::Source { package, .. } => {
            return Err(format!(
                "setup: {}: no recipe for source package {package}",
                c.id
            ))
        }
    };
    let mut text = format!(
        "# {} {} ({}) for hyperabi, made by `cargo xtask setup`; written last\nid={}\npin={pin}\n",
        c.name,
        c.version,
        c.provenance(),
        c.id
    );
    for (k, v) in fields {
        text.push_str(&format!("{k}={v}\n"));
    }
    text.push_str(&format!("seconds={:.1}\n", t.elapsed().as_secs_f64()));
    write(&dir.join("MANIFEST"), &text)?;
    Ok(outcome)
}

/// What the catalogue asks for, in one line: a changed pin (a new version, another package, a
/// changed trampoline) makes the component again.
fn pin(c: &Component) -> Result<String> {
    Ok(match c.origin {
        Origin::System { .. } => String::new(),
        Origin::Archive { packages, .. } => packages
            .iter()
            .map(|p| format!("{}:{}={}", p.name, p.arch, p.version))
            .collect::<Vec<_>>()
            .join(" "),
        Origin::Source {
            package, version, ..
        } if package == "arm-trusted-firmware" => {
            let bl33 = root().join(BL33_SOURCE);
            format!(
                "{package}={version} {BL33_SOURCE}@{} make {}",
                sha256_file(&bl33)?,
                tfa_make_args(version).join(" ")
            )
        }
        Origin::Source {
            package, version, ..
        } => format!("{package}={version} CONFIG_DEBUG=y"),
    })
}

/// The files a component must have besides its MANIFEST.
fn outputs(c: &Component) -> Vec<String> {
    match (c.role, c.origin) {
        (Role::Hypervisor, _) => vec!["xen".into(), "xen.config".into()],
        (Role::Kernel, _) => TARGETS
            .iter()
            .filter_map(|t| t.kernel)
            .filter(|k| k.component == c.id)
            .flat_map(|k| {
                std::iter::once(k.image.to_string())
                    .chain((0..k.modules.len()).map(move |i| k.module_file(i)))
            })
            .collect(),
        (
            _,
            Origin::Source {
                package: "arm-trusted-firmware",
                ..
            },
        ) => {
            vec![TFA_BIOS.into()]
        }
        _ => vec![],
    }
}

fn manifest_field(c: &Component, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(c.dir().join("MANIFEST")).ok()?;
    text.lines()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

fn is_current(c: &Component, pin: &str) -> bool {
    manifest_field(c, "pin").as_deref() == Some(pin)
        && outputs(c).iter().all(|f| c.dir().join(f).is_file())
}

/// The `key=value` fields of a component's MANIFEST (empty when it was not made).
pub fn manifest(c: &Component) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(c.dir().join("MANIFEST")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Downloads the pinned packages, unpacks each with `dpkg -x`, then what the component's role
/// needs (a hypervisor image at `xen`; QEMU's links and libraries checked).
fn fetch(
    c: &Component,
    packages: &[DebPackage],
    apt: &PrivateApt,
    log: &mut Log,
) -> Result<Vec<(String, String)>> {
    let debs = log.step(
        &format!(
            "setup: {}: downloading {} package{}",
            c.id,
            packages.len(),
            if packages.len() == 1 { "" } else { "s" }
        ),
        |log| apt.download(packages, log),
    )?;
    let dir = c.dir();
    let mut fields = vec![];
    log.step(&format!("setup: {}: unpacking", c.id), |log| {
        for (p, deb) in packages.iter().zip(&debs) {
            log.run(Command::new("dpkg").arg("-x").arg(deb).arg(&dir))?;
            fields.push((
                "package".to_string(),
                format!(
                    "{} {} {} sha256:{}",
                    p.name,
                    p.version,
                    p.arch,
                    sha256_file(deb)?
                ),
            ));
        }
        Ok(())
    })?;
    match c.role {
        Role::Hypervisor => fields.extend(install_xen(&dir)?),
        Role::Kernel => {
            fields.extend(install_kernel(c, &dir, log)?);
            fields.extend(relink_kbuild(&dir, log)?);
        }
        Role::Qemu => fields.extend(check_qemu(&dir, log)?),
        _ => {}
    }
    fields.extend(check_links(&dir, log)?);
    Ok(fields)
}

/// An x86 target boots the ELF `vmlinux` (through its PVH note) rather than the package's
/// bzImage: under TCG the bzImage's own decompressor costs seconds every boot (about 2 s for
/// bookworm's xz kernel). Setup unpacks `boot/vmlinux-V` once from `boot/vmlinuz-V`, whose
/// payload (Linux Documentation/arch/x86/boot.rst: `setup_sects` at 0x1f1, `payload_offset` and
/// `payload_length` at 0x248 and 0x24c from the protected-mode code) is an xz or zstd stream
/// followed by its decompressed size (4 bytes, dropped here). Nothing for other names.
fn extract_vmlinux(image: &Path, log: &mut Log) -> Result {
    let name = image.file_name().unwrap_or_default().to_string_lossy();
    let Some(version) = name.strip_prefix("vmlinux-") else {
        return Ok(());
    };
    let bz = image.with_file_name(format!("vmlinuz-{version}"));
    let Ok(b) = std::fs::read(&bz) else {
        return Ok(());
    };
    let bad = |why: &str| format!("setup: {}: {why}", bz.display());
    let u32_at = |o: usize| {
        b.get(o..o + 4)
            .map(|w| u32::from_le_bytes(w.try_into().unwrap()))
    };
    if b.get(0x202..0x206) != Some(b"HdrS") {
        return Err(bad("not a bzImage (no HdrS at 0x202)"));
    }
    let setup_sects = match b[0x1f1] {
        0 => 4,
        n => usize::from(n),
    };
    let (Some(offset), Some(length)) = (u32_at(0x248), u32_at(0x24c)) else {
        return Err(bad("no payload fields"));
    };
    let start = (setup_sects + 1) * 512 + offset as usize;
    let payload = b
        .get(start..start + length as usize)
        .filter(|p| p.len() > 4)
        .ok_or_else(|| bad("the payload lies outside the file"))?;
    let stream = &payload[..payload.len() - 4];
    let (suffix, tool): (&str, &[&str]) = if stream.starts_with(b"\xfd7zXZ\0") {
        ("xz", &["xz", "-d", "-f", "-q"])
    } else if stream.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        ("zst", &["zstd", "-d", "-f", "-q", "--rm"])
    } else {
        return Err(bad(&format!(
            "a payload compressed neither with xz nor zstd (starts {:02x?})",
            &stream[..stream.len().min(6)]
        )));
    };
    let packed = image.with_file_name(format!("{name}.{suffix}"));
    std::fs::write(&packed, stream).map_err(|e| format!("{}: {e}", packed.display()))?;
    log.run(Command::new(tool[0]).args(&tool[1..]).arg(&packed))?;
    let elf = std::fs::read(image).map_err(|e| format!("{}: {e}", image.display()))?;
    if !elf.starts_with(b"\x7fELF")
        || elf.len() as u32 != u32_at(start + length as usize - 4).unwrap_or(0)
    {
        return Err(bad(
            "the unpacked payload is not the ELF vmlinux of the size the bzImage states",
        ));
    }
    Ok(())
}

/// Kernel headers (`usr/src/linux-headers-*`) reach their host tools through `scripts` and
/// `tools` links into `usr/lib/linux-kbuild-<version>`; when the catalogue pins the kbuild
/// package of another release of the same stable series (one whose programs run on this host),
/// the links are pointed at the one unpacked. Nothing to do for an image package.
fn relink_kbuild(dir: &Path, log: &mut Log) -> Result<Vec<(String, String)>> {
    let lib = dir.join("usr/lib");
    let kbuilds: Vec<String> = std::fs::read_dir(&lib)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("linux-kbuild-"))
                .collect()
        })
        .unwrap_or_default();
    let [kbuild] = kbuilds.as_slice() else {
        return Ok(vec![]);
    };
    let mut fields = vec![];
    let src = dir.join("usr/src");
    for e in std::fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))? {
        let tree = e.map_err(|e| e.to_string())?.path();
        for name in ["scripts", "tools"] {
            let link = tree.join(name);
            let Ok(target) = std::fs::read_link(&link) else {
                continue;
            };
            let want = PathBuf::from(format!("../../lib/{kbuild}/{name}"));
            if target != want && !link.exists() {
                std::fs::remove_file(&link).map_err(|e| format!("{}: {e}", link.display()))?;
                std::os::unix::fs::symlink(&want, &link)
                    .map_err(|e| format!("{}: {e}", link.display()))?;
                log.note(&format!(
                    "{} -> {} (was {})",
                    rel(dir, &link),
                    want.display(),
                    target.display()
                ));
                fields.push((
                    "relinked".to_string(),
                    format!("{} -> {}", rel(dir, &link), want.display()),
                ));
            }
        }
    }
    Ok(fields)
}

/// A kernel package cut down to what the KVM targets boot: the images they name and their
/// modules, decompressed to `modules/NN-<name>.ko` (the VMM loads them in name order); the rest
/// of `lib/modules` (hundreds of MB) goes.
fn install_kernel(c: &Component, dir: &Path, log: &mut Log) -> Result<Vec<(String, String)>> {
    let kernels: Vec<_> = TARGETS
        .iter()
        .filter_map(|t| t.kernel)
        .filter(|k| k.component == c.id)
        .collect();
    let mut fields = vec![];
    let mut kept = std::collections::BTreeSet::new();
    for k in &kernels {
        let image = dir.join(k.image);
        if !image.is_file() {
            extract_vmlinux(&image, log)?;
        }
        if !image.is_file() {
            return Err(format!(
                "setup: {}: the package has no {} (the catalogue's image)",
                c.id, k.image
            ));
        }
        if kept.insert(k.image.to_string()) {
            fields.push(("image".to_string(), k.image.to_string()));
        }
        for (i, m) in k.modules.iter().enumerate() {
            let to = dir.join(k.module_file(i));
            if !kept.insert(k.module_file(i)) {
                continue;
            }
            let from = dir.join(m);
            mkdir(to.parent().expect("modules/"))?;
            if m.ends_with(".xz") {
                // Decompressed in place (the log takes xz's stdout).
                let packed = to.with_extension("ko.xz");
                copy(&from, &packed)?;
                log.run(Command::new("xz").arg("-d").arg("-f").arg(&packed))?;
            } else {
                copy(&from, &to)?;
            }
            let module = std::fs::read(&to).map_err(|e| format!("{}: {e}", to.display()))?;
            if !module.starts_with(b"\x7fELF") {
                return Err(format!(
                    "setup: {}: {} is not an ELF module after unpacking",
                    c.id,
                    to.display()
                ));
            }
            fields.push(("module".to_string(), k.module_file(i)));
        }
    }
    // bookworm's packages ship lib/modules, trixie's (merged /usr) usr/lib/modules.
    for rel in ["lib/modules", "usr/lib/modules"] {
        let modules = dir.join(rel);
        if modules.exists() {
            std::fs::remove_dir_all(&modules).map_err(|e| format!("{}: {e}", modules.display()))?;
        }
    }
    Ok(fields)
}

/// A hypervisor package's image as `xen` at the component's root (gunzipped: QEMU's multiboot
/// loader rejects a gzipped Xen with "linux kernel too old to load a ram disk"), and its build
/// config as `xen.config`. The packages ship `boot/xen-<version>-<arch>[.gz]`, the config and an
/// EFI application that QEMU's direct boot does not take.
fn install_xen(dir: &Path) -> Result<Vec<(String, String)>> {
    let boot = dir.join("boot");
    let mut images = vec![];
    let mut config = None;
    for e in std::fs::read_dir(&boot).map_err(|e| format!("{}: {e}", boot.display()))? {
        let e = e.map_err(|e| e.to_string())?;
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with("xen-") || name.ends_with(".efi") {
            continue;
        }
        if name.ends_with(".config") {
            config = Some(e.path());
        } else {
            images.push(e.path());
        }
    }
    let [image] = &images[..] else {
        return Err(format!(
            "{}: expected one xen-* image besides .efi and .config, found {images:?}",
            boot.display()
        ));
    };
    let config = config.ok_or_else(|| format!("{}: no xen-*.config", boot.display()))?;
    let bytes = std::fs::read(image).map_err(|e| format!("{}: {e}", image.display()))?;
    let out = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut plain = vec![];
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut plain)
            .map_err(|e| format!("gunzip {}: {e}", image.display()))?;
        plain
    } else {
        bytes
    };
    // What QEMU boots: a multiboot ELF (x86) or a Linux arm64 Image ("ARM\x64" at 0x38).
    let format = if out.starts_with(b"\x7fELF") {
        "ELF"
    } else if out.get(0x38..0x3c) == Some(b"ARM\x64") {
        "arm64 Image"
    } else {
        return Err(format!(
            "{}: neither an ELF nor an arm64 Image",
            image.display()
        ));
    };
    std::fs::write(dir.join("xen"), out).map_err(|e| format!("{}/xen: {e}", dir.display()))?;
    copy(&config, &dir.join("xen.config"))?;
    Ok(vec![(
        "made".into(),
        format!(
            "xen ({format}) <- {}, xen.config <- {}",
            rel(dir, image),
            rel(dir, &config)
        ),
    )])
}

/// Every `usr/bin/qemu-system-*` finds its libraries on this machine (`ldd`), and says its
/// version.
fn check_qemu(dir: &Path, log: &mut Log) -> Result<Vec<(String, String)>> {
    let bin = dir.join("usr/bin");
    let mut names: Vec<String> = std::fs::read_dir(&bin)
        .map_err(|e| format!("{}: {e}", bin.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("qemu-system-"))
        .collect();
    names.sort();
    let mut missing = vec![];
    let mut version = String::new();
    for n in &names {
        let out = Command::new("ldd")
            .arg(bin.join(n))
            .output()
            .map_err(|e| format!("ldd: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        log.note(&format!("$ ldd usr/bin/{n}\n{text}"));
        for l in text.lines().filter(|l| l.contains("not found")) {
            missing.push(format!("{n}: {}", l.trim()));
        }
        if version.is_empty() {
            let out = Command::new(bin.join(n))
                .arg("--version")
                .output()
                .map_err(|e| format!("{n} --version: {e}"))?;
            version = String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "{}: libraries not found on this machine:\n  {}",
            dir.display(),
            missing.join("\n  ")
        ));
    }
    Ok(vec![
        ("binaries".into(), names.join(" ")),
        ("banner".into(), version),
    ])
}

/// Symbolic links must stay inside the component (QEMU 10's OpenSBI is a relative link into the
/// `opensbi` package unpacked beside it); an absolute link would reach the machine's own files,
/// so it is an error, and so is a relative one that resolves nowhere.
fn check_links(dir: &Path, log: &mut Log) -> Result<Vec<(String, String)>> {
    let mut links = 0;
    let mut bad = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            let meta = std::fs::symlink_metadata(&p).map_err(|e| e.to_string())?;
            if meta.is_dir() {
                stack.push(p);
            } else if meta.file_type().is_symlink() {
                links += 1;
                let target = std::fs::read_link(&p).map_err(|e| e.to_string())?;
                let ok = target.is_relative()
                    && p.canonicalize()
                        .is_ok_and(|t| t.starts_with(dir.canonicalize().unwrap_or_default()));
                if !ok {
                    bad.push(format!("{} -> {}", rel(dir, &p), target.display()));
                }
            }
        }
    }
    log.note(&format!("{links} symbolic links checked"));
    if !bad.is_empty() {
        return Err(format!(
            "{}: links that leave the component or resolve nowhere:\n  {}",
            dir.display(),
            bad.join("\n  ")
        ));
    }
    Ok(vec![("links".into(), format!("{links}, all inside"))])
}

/// TF-A's BL33 trampoline, in the repository.
const BL33_SOURCE: &str = "runners/guest/tfa/bl33.S";
/// The firmware QEMU takes as `-bios`: BL1, and the FIP at 256 KiB (TF-A's `qemu_fw.bios`).
const TFA_BIOS: &str = "qemu_fw.bios";

/// TF-A's `make` arguments besides BL33 (part of the pin: a change rebuilds).
fn tfa_make_args(version: &str) -> Vec<String> {
    vec![
        "-j2".into(),
        "CROSS_COMPILE=aarch64-linux-gnu-".into(),
        // gcc 12 warns of array bounds at address 0 (MMIO) without it.
        "CFLAGS=--param=min-pagesize=0".into(),
        "PLAT=qemu".into(),
        // The banner names the Debian source instead of `git describe` of whatever repository
        // the tree sits in (this one) and of the hour it was built: "BL31: v2.12.1(release):
        // debian-2.12.1+dfsg-1", "BL31: Built : by hyperabi setup".
        format!("BUILD_STRING=debian-{version}"),
        "BUILD_MESSAGE_TIMESTAMP=\"by hyperabi setup\"".into(),
    ]
}

/// Trusted Firmware-A for QEMU virt from Debian's source: the trampoline assembled as BL33, then
/// `make PLAT=qemu all fip`, whose `qemu_fw.bios` rule (plat/qemu/qemu/platform.mk) writes BL1
/// with the FIP at 256 KiB.
fn build_tfa(c: &Component, apt: &PrivateApt, log: &mut Log) -> Result<Vec<(String, String)>> {
    let Origin::Source {
        package, version, ..
    } = c.origin
    else {
        unreachable!()
    };
    let dsc = log.step(&format!("setup: {}: apt-get source", c.id), |log| {
        apt.source(package, version, log)
    })?;
    let tree = build_dir(c.id);
    log.step(&format!("setup: {}: dpkg-source -x", c.id), |log| {
        unpack_source(&dsc, &tree, log)
    })?;
    let dir = c.dir();
    let bl33 = dir.join("bl33.bin");
    log.step(&format!("setup: {}: assembling BL33", c.id), |log| {
        let obj = dir.join("bl33.o");
        log.run(
            Command::new("aarch64-linux-gnu-as")
                .arg("-o")
                .arg(&obj)
                .arg(root().join(BL33_SOURCE)),
        )?;
        log.run(
            Command::new("aarch64-linux-gnu-objcopy")
                .args(["-O", "binary", "-j", ".text"])
                .arg(&obj)
                .arg(&bl33),
        )?;
        std::fs::remove_file(&obj).map_err(|e| e.to_string())
    })?;
    log.step(&format!("setup: {}: make PLAT=qemu all fip", c.id), |log| {
        // A short build: always from clean, so a changed BL33 or make argument is in every file.
        let out = tree.join("build");
        if out.exists() {
            std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        log.run(
            Command::new("make")
                .current_dir(&tree)
                .args(tfa_make_args(version))
                .arg(format!("BL33={}", bl33.display()))
                .args(["all", "fip"])
                .env_remove("CFLAGS")
                .env_remove("LDFLAGS"),
        )
    })?;
    let built = tree.join("build/qemu/release");
    for f in [TFA_BIOS, "bl1.bin", "fip.bin", "bl31/bl31.elf"] {
        let to = dir.join(Path::new(f).file_name().unwrap());
        copy(&built.join(f), &to)?;
    }
    Ok(vec![
        (
            "made".into(),
            format!(
                "apt-get source {package}={version}; make PLAT=qemu BL33=bl33.bin ({BL33_SOURCE}) all fip; {TFA_BIOS} = bl1.bin + fip.bin at 256 KiB"
            ),
        ),
        ("tree".into(), tree.display().to_string()),
    ])
}

/// Where a source build's tree lives: outside the component, so a failed or interrupted build
/// resumes in it.
pub fn build_dir(id: &str) -> PathBuf {
    components_dir().join(".build").join(id)
}

/// `dpkg-source -x` of `dsc` into `tree`, unless a tree is already there.
pub fn unpack_source(dsc: &Path, tree: &Path, log: &mut Log) -> Result {
    if tree.join("debian/changelog").is_file() {
        log.note(&format!("{}: unpacked before, kept", tree.display()));
        return Ok(());
    }
    if tree.exists() {
        std::fs::remove_dir_all(tree).map_err(|e| format!("{}: {e}", tree.display()))?;
    }
    mkdir(tree.parent().unwrap())?;
    log.run(
        Command::new("dpkg-source")
            .args(["--no-check", "-x"])
            .arg(dsc)
            .arg(tree),
    )
}

/// apt with its own sources, state and cache under `target/components/.apt`: nothing of the
/// machine's package state is read or changed except its general apt settings (proxies and the
/// like).
pub struct PrivateApt {
    dir: PathBuf,
    options: Vec<String>,
}

impl PrivateApt {
    fn open(log: &mut Log) -> Result<Self> {
        let dir = components_dir().join(".apt");
        for sub in [
            "etc/sources.list.d",
            "etc/preferences.d",
            "state/lists/partial",
            "cache/archives/partial",
            "debs",
            "src",
        ] {
            mkdir(&dir.join(sub))?;
        }
        let sources = dir.join("etc/sources.list");
        let changed = std::fs::read_to_string(&sources).ok().as_deref() != Some(SOURCES);
        if changed {
            write(&sources, SOURCES)?;
        }
        let status = dir.join("state/status");
        if !status.exists() {
            write(&status, "")?;
        }
        let d = |p: &str| dir.join(p).display().to_string();
        let mut options = vec![];
        let mut set = |k: &str, v: String| {
            options.push("-o".to_string());
            options.push(format!("{k}={v}"));
        };
        set("Dir::Etc::SourceList", d("etc/sources.list"));
        set("Dir::Etc::SourceParts", d("etc/sources.list.d"));
        set("Dir::Etc::Preferences", d("etc/preferences"));
        set("Dir::Etc::PreferencesParts", d("etc/preferences.d"));
        set("Dir::State", d("state"));
        set("Dir::State::status", d("state/status"));
        set("Dir::Cache", d("cache"));
        // Keep the parsed lists between runs (Debian's container images switch this cache off,
        // which costs 20 s per apt call here).
        set("Dir::Cache::pkgcache", "pkgcache.bin".into());
        set("Dir::Cache::srcpkgcache", "srcpkgcache.bin".into());
        set("APT::Architecture", "amd64".into());
        set("APT::Architectures::", "amd64".into());
        set("APT::Architectures::", "arm64".into());
        // trixie's riscv64 kernel (the KVM RISC-V target); bookworm has no riscv64.
        set("APT::Architectures::", "riscv64".into());
        // bookworm's armmp kernel (the 32-bit HYP stub target).
        set("APT::Architectures::", "armhf".into());
        // Only the package and source lists: no translations, no AppStream metadata.
        set("Acquire::Languages", "none".into());
        for t in [
            "DEP-11",
            "DEP-11-icons",
            "DEP-11-icons-small",
            "DEP-11-icons-large",
            "DEP-11-icons-hidpi",
            "DEP-11-icons-large-hidpi",
        ] {
            set(
                &format!("Acquire::IndexTargets::deb::{t}::DefaultEnabled"),
                "false".into(),
            );
        }
        // Files under target/ belong to the user, not to apt's sandbox user `_apt`.
        set("APT::Sandbox::User", whoami());
        let apt = PrivateApt { dir, options };
        let has_lists = std::fs::read_dir(apt.dir.join("state/lists"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .any(|e| e.file_name().to_string_lossy().contains("_Sources"))
            })
            .unwrap_or(false);
        if changed || !has_lists {
            apt.update(log)?;
        }
        Ok(apt)
    }

    fn command(&self, tool: &str) -> Command {
        let mut cmd = Command::new(tool);
        cmd.args(&self.options);
        cmd
    }

    fn update(&self, log: &mut Log) -> Result {
        log.run(self.command("apt-get").args(["update", "-q"]))
    }

    /// The `.deb` of each package (downloaded once into `.apt/debs`, kept for a later unpack).
    fn download(&self, packages: &[DebPackage], log: &mut Log) -> Result<Vec<PathBuf>> {
        let debs = self.dir.join("debs");
        let file = |p: &DebPackage| {
            debs.join(format!(
                "{}_{}_{}.deb",
                p.name,
                p.version.replace(':', "%3a"),
                p.arch
            ))
        };
        let missing: Vec<&DebPackage> = packages.iter().filter(|p| !file(p).is_file()).collect();
        if !missing.is_empty() {
            let specs: Vec<String> = missing
                .iter()
                .map(|p| match p.arch {
                    "all" => format!("{}={}", p.name, p.version),
                    arch => format!("{}:{arch}={}", p.name, p.version),
                })
                .collect();
            let get = |log: &mut Log| {
                log.run(
                    self.command("apt-get")
                        .current_dir(&debs)
                        .args(["download", "-q"])
                        .args(&specs),
                )
            };
            // Lists a day old may not know a version pinned since: update once and retry.
            if get(log).is_err() {
                self.update(log)?;
                if get(log).is_err() {
                    return Err(self.not_served(missing.iter().map(|p| (p.name, p.version))));
                }
            }
        }
        packages
            .iter()
            .map(|p| {
                let f = file(p);
                if f.is_file() {
                    Ok(f)
                } else {
                    Err(format!("apt-get download did not leave {}", f.display()))
                }
            })
            .collect()
    }

    /// Downloads (not unpacks) a source package; returns its `.dsc`.
    pub fn source(&self, package: &str, version: &str, log: &mut Log) -> Result<PathBuf> {
        let src = self.dir.join("src");
        let dsc = src.join(format!(
            "{package}_{}.dsc",
            version.split_once(':').map_or(version, |v| v.1)
        ));
        if !dsc.is_file() {
            let spec = format!("{package}={version}");
            let get = |log: &mut Log| {
                log.run(self.command("apt-get").current_dir(&src).args([
                    "source",
                    "-q",
                    "--download-only",
                    &spec,
                ]))
            };
            if get(log).is_err() {
                self.update(log)?;
                if get(log).is_err() {
                    return Err(self.not_served([(package, version)].into_iter()));
                }
            }
        }
        if !dsc.is_file() {
            return Err(format!("apt-get source did not leave {}", dsc.display()));
        }
        Ok(dsc)
    }

    /// The error for pinned versions the archive does not serve: what it serves instead.
    fn not_served<'a>(&self, pins: impl Iterator<Item = (&'a str, &'a str)>) -> String {
        let mut text = String::from("pinned versions not served by Debian's archives:\n");
        for (name, version) in pins {
            let out = self
                .command("apt-cache")
                .args(["madison", name])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            text.push_str(&format!(
                "  {name} {version}; the archive has:\n{}",
                out.lines()
                    .map(|l| format!("    {l}\n"))
                    .collect::<String>()
            ));
        }
        text.push_str("fix the pin in runners/src/catalog.rs (COMPONENTS)");
        text
    }
}

/// A component's `setup.log`: every command with its full output. Steps show one progress line
/// each; a failed step prints the whole log.
pub struct Log {
    path: PathBuf,
    file: File,
}

impl Log {
    fn create(path: &Path) -> Result<Self> {
        let file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Log {
            path: path.to_path_buf(),
            file,
        })
    }

    /// A line of its own in the log.
    pub fn note(&mut self, text: &str) {
        let _ = writeln!(self.file, "{text}");
    }

    /// Runs `cmd` (from the workspace root unless it names a directory), its stdout and stderr
    /// appended to the log; fails with its exit status.
    pub fn run(&mut self, cmd: &mut Command) -> Result {
        if cmd.get_current_dir().is_none() {
            cmd.current_dir(root());
        }
        let shown = crate::describe(cmd);
        self.note(&format!(
            "$ (cd {}) {shown}",
            cmd.get_current_dir().unwrap().display()
        ));
        let out = self.file.try_clone().map_err(|e| e.to_string())?;
        let err = self.file.try_clone().map_err(|e| e.to_string())?;
        let status = cmd
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .status()
            .map_err(|e| format!("{shown}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            self.note(&format!("({status})"));
            Err(format!("`{shown}` failed ({status})"))
        }
    }

    /// One long step: a progress line while `f` runs (an indicatif spinner on a terminal, a
    /// plain line otherwise or under `CI=true`); when it fails, the whole log is printed.
    pub fn step<T>(&mut self, label: &str, f: impl FnOnce(&mut Log) -> Result<T>) -> Result<T> {
        self.note(&format!("## {label}"));
        let t = Instant::now();
        let bar = if fancy() {
            let bar = ProgressBar::new_spinner().with_message(label.to_string());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .expect("a valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            Some(bar)
        } else {
            eprintln!("{label}");
            None
        };
        let result = f(self);
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        self.note(&format!(
            "## {label}: {} in {:.1} s",
            if result.is_ok() { "done" } else { "FAILED" },
            t.elapsed().as_secs_f64()
        ));
        if let Err(e) = &result {
            let _ = self.file.flush();
            let text = std::fs::read_to_string(&self.path).unwrap_or_default();
            eprintln!("{text}");
            return Err(format!(
                "{label}: {e}\n(the log above is {})",
                self.path.display()
            ));
        }
        result
    }
}

/// Progress lines are redrawn in place only on a terminal, and never under CI.
fn fancy() -> bool {
    std::io::stderr().is_terminal() && std::env::var("CI").as_deref() != Ok("true")
}

pub fn sha256_file(p: &Path) -> Result<String> {
    let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn rel(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir).unwrap_or(p).display().to_string()
}

fn whoami() -> String {
    Command::new("id")
        .arg("-un")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "root".into())
}

pub fn mkdir(p: &Path) -> Result {
    std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))
}

pub fn write(p: &Path, text: &str) -> Result {
    std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))
}

pub fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copy {} -> {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system's temp dir (removed first if a previous run left it).
    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("hyperabi-components-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn log_in(d: &Path) -> Log {
        Log::create(&d.join("setup.log")).unwrap()
    }

    #[test]
    fn the_gzipped_xen_is_installed_gunzipped_and_the_efi_one_ignored() {
        let d = scratch("xen-gz");
        std::fs::create_dir_all(d.join("boot")).unwrap();
        let elf = b"\x7fELF a multiboot hypervisor".to_vec();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&elf).unwrap();
        std::fs::write(d.join("boot/xen-4.20-amd64.gz"), gz.finish().unwrap()).unwrap();
        std::fs::write(d.join("boot/xen-4.20-amd64.efi"), b"MZ an EFI application").unwrap();
        std::fs::write(d.join("boot/xen-4.20-amd64.config"), "CONFIG_X=y\n").unwrap();
        let fields = install_xen(&d).unwrap();
        assert_eq!(std::fs::read(d.join("xen")).unwrap(), elf);
        assert_eq!(
            std::fs::read_to_string(d.join("xen.config")).unwrap(),
            "CONFIG_X=y\n"
        );
        assert!(fields[0].1.contains("boot/xen-4.20-amd64.gz"), "{fields:?}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_xen_image_qemu_cannot_boot_is_refused() {
        let d = scratch("xen-bad");
        std::fs::create_dir_all(d.join("boot")).unwrap();
        std::fs::write(d.join("boot/xen-4.20-arm64"), b"not an Image").unwrap();
        std::fs::write(d.join("boot/xen-4.20-arm64.config"), "").unwrap();
        let e = install_xen(&d).unwrap_err();
        assert!(e.contains("neither an ELF nor an arm64 Image"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn links_must_stay_inside_the_component() {
        let d = scratch("links");
        std::fs::create_dir_all(d.join("usr/share/qemu")).unwrap();
        std::fs::create_dir_all(d.join("usr/lib/opensbi")).unwrap();
        std::fs::write(d.join("usr/lib/opensbi/fw_dynamic.bin"), b"fw").unwrap();
        std::os::unix::fs::symlink(
            "../../lib/opensbi/fw_dynamic.bin",
            d.join("usr/share/qemu/opensbi.bin"),
        )
        .unwrap();
        let mut log = log_in(&d);
        let fields = check_links(&d, &mut log).unwrap();
        assert_eq!(fields[0].1, "1, all inside");

        std::os::unix::fs::symlink(
            "/usr/share/qemu/bios.bin",
            d.join("usr/share/qemu/bios.bin"),
        )
        .unwrap();
        std::os::unix::fs::symlink("../missing.bin", d.join("usr/share/qemu/missing.bin")).unwrap();
        let e = check_links(&d, &mut log).unwrap_err();
        assert!(
            e.contains("usr/share/qemu/bios.bin -> /usr/share/qemu/bios.bin"),
            "{e}"
        );
        assert!(
            e.contains("usr/share/qemu/missing.bin -> ../missing.bin"),
            "{e}"
        );
        assert!(!e.contains("opensbi.bin"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_failed_step_fails_with_the_log_path_and_keeps_the_output() {
        let d = scratch("step");
        let mut log = log_in(&d);
        let e = log
            .step("setup: test: a failing command", |log| {
                log.run(Command::new("sh").args(["-c", "echo output-of-the-step; exit 3"]))
            })
            .unwrap_err();
        assert!(e.contains("setup.log"), "{e}");
        let text = std::fs::read_to_string(d.join("setup.log")).unwrap();
        assert!(text.contains("output-of-the-step"), "{text}");
        assert!(text.contains("FAILED"), "{text}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn every_archive_and_source_component_has_a_pin_and_a_recipe() {
        for c in COMPONENTS {
            match c.origin {
                Origin::System { .. } => continue,
                Origin::Archive { packages, .. } => {
                    let p = pin(c).unwrap();
                    for pkg in packages {
                        assert!(p.contains(&format!("{}:{}={}", pkg.name, pkg.arch, pkg.version)));
                    }
                }
                Origin::Source { package, .. } => {
                    assert!(
                        ["xen", "arm-trusted-firmware"].contains(&package),
                        "{}: no recipe for {package}",
                        c.id
                    );
                    assert!(!pin(c).unwrap().is_empty());
                }
            }
            if c.role == Role::Hypervisor {
                assert_eq!(outputs(c), ["xen", "xen.config"], "{}", c.id);
            }
        }
    }
}
