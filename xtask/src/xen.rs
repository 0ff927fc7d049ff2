//! Xen hypervisors for the `xen-*` targets, fetched and built under `target/xen/` (part of
//! `cargo xtask setup`).
//!
//! - **release**: Debian bookworm's `xen-hypervisor-4.17-arm64` (arm64) and
//!   `xen-hypervisor-4.17-amd64` (amd64) packages, downloaded through a private apt configuration
//!   (own sources list, state and cache under `target/xen/apt`, the architectures given on the
//!   command line) and unpacked with `dpkg -x`: nothing is installed and no foreign dpkg
//!   architecture is added to the machine.
//! - **debug**: the same version of Debian's `xen` source package (`apt-get source` through the same
//!   private configuration), configured with Debian's shipped hypervisor config plus
//!   `CONFIG_DEBUG=y` and built with `make -j2` (arm64 cross-compiled with `gcc-aarch64-linux-gnu`).
//!
//! Layout: `target/xen/<arch>/<release|debug>/xen` is the image QEMU boots (`-kernel`; the amd64
//! one gunzipped, since QEMU's multiboot loader does not take a gzipped image), next to it
//! `xen.config` and `MANIFEST` (package, version, how it was made, how long that took). Once all four
//! are present a run only checks for them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{root, Result};

/// One hypervisor architecture.
pub struct Arch {
    /// Our name: the directory under `target/xen/` and the target suffix (`xen-arm64`).
    pub name: &'static str,
    /// Debian's architecture of the binary package.
    deb_arch: &'static str,
    package: &'static str,
    /// The image inside the package.
    boot_image: &'static str,
    /// Debian's hypervisor config inside the package.
    boot_config: &'static str,
    /// `make` arguments for the hypervisor build (Xen's `xen/Makefile`).
    make_args: &'static [&'static str],
}

pub const ARCHES: &[Arch] = &[
    Arch {
        name: "arm64",
        deb_arch: "arm64",
        package: "xen-hypervisor-4.17-arm64",
        boot_image: "boot/xen-4.17-arm64",
        boot_config: "boot/xen-4.17-arm64.config",
        make_args: &["XEN_TARGET_ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-"],
    },
    Arch {
        name: "x86_64",
        deb_arch: "amd64",
        package: "xen-hypervisor-4.17-amd64",
        boot_image: "boot/xen-4.17-amd64.gz",
        boot_config: "boot/xen-4.17-amd64.config",
        make_args: &["XEN_TARGET_ARCH=x86_64"],
    },
];

/// Host packages (Debian) the debug builds and the Xen boots need, and why.
const HOST_PACKAGES: &[(&str, &str)] = &[
    (
        "gcc-aarch64-linux-gnu",
        "cross-compiles the arm64 debug Xen",
    ),
    (
        "binutils-aarch64-linux-gnu",
        "assembles the arm64 smoke dom0",
    ),
    ("gcc", "compiles the x86_64 debug Xen"),
    ("make", "drives Xen's build"),
    ("flex", "Xen's Kconfig"),
    ("bison", "Xen's Kconfig"),
    ("python3", "Xen's build scripts"),
    ("dpkg-dev", "dpkg-source, which unpacks Debian's xen source"),
    ("lsb-release", "Debian's banner patch asks lsb_release"),
    ("qemu-system-arm", "boots the arm64 Xen"),
    ("qemu-system-x86", "boots the x86_64 Xen"),
];

/// The private apt sources: Debian bookworm main only, binary and source. The binaries of the
/// release build and the source of the debug build must be the same version; the security
/// archive's source pool is not always reachable, so it is not used.
const SOURCES: &str = "\
deb [arch=arm64,amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
";

pub fn xen_dir() -> PathBuf {
    root().join("target/xen")
}

/// The image QEMU boots for `arch` (`arm64` or `x86_64`), release or debug.
pub fn xen_image(arch: &str, debug: bool) -> PathBuf {
    xen_dir()
        .join(arch)
        .join(if debug { "debug" } else { "release" })
        .join("xen")
}

fn manifest(arch: &str, debug: bool) -> PathBuf {
    xen_image(arch, debug).with_file_name("MANIFEST")
}

/// `key=value` lines of a manifest, if it exists.
pub fn read_manifest(arch: &str, debug: bool) -> Option<Vec<(String, String)>> {
    let text = std::fs::read_to_string(manifest(arch, debug)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn present(arch: &str, debug: bool) -> bool {
    xen_image(arch, debug).is_file() && manifest(arch, debug).is_file()
}

pub fn run() -> Result {
    let start = Instant::now();
    let all = ARCHES
        .iter()
        .flat_map(|a| [(a, false), (a, true)])
        .collect::<Vec<_>>();
    if all.iter().all(|(a, d)| present(a.name, *d)) && crate::setup::all_installed(HOST_PACKAGES) {
        let version = read_manifest("arm64", false)
            .and_then(|m| m.into_iter().find(|(k, _)| k == "version").map(|(_, v)| v))
            .unwrap_or_default();
        eprintln!(
            "setup: xen {version}: release and debug hypervisors for {} cached in {} (checked in {:.1?})",
            ARCHES.iter().map(|a| a.name).collect::<Vec<_>>().join(", "),
            xen_dir().display(),
            start.elapsed()
        );
        return Ok(());
    }
    crate::setup::ensure("setup: xen", HOST_PACKAGES)?;
    let apt = PrivateApt::new()?;

    // Release: the binary packages, unpacked.
    let need_release: Vec<&Arch> = ARCHES.iter().filter(|a| !present(a.name, false)).collect();
    let need_debug: Vec<&Arch> = ARCHES.iter().filter(|a| !present(a.name, true)).collect();
    let version = apt.version(&ARCHES[0])?;
    eprintln!("setup: xen: Debian version {version}");
    for arch in need_release {
        let t = Instant::now();
        let deb = apt.download(arch, &version)?;
        let out = xen_image(arch.name, false);
        let dir = out.parent().unwrap();
        let pkg = dir.join("pkg");
        let _ = std::fs::remove_dir_all(dir);
        mkdir(&pkg)?;
        crate::run(Command::new("dpkg").arg("-x").arg(&deb).arg(&pkg))?;
        install_image(&pkg.join(arch.boot_image), &out)?;
        copy(&pkg.join(arch.boot_config), &dir.join("xen.config"))?;
        write_manifest(
            arch,
            false,
            &[
                ("package", arch.package.to_string()),
                ("version", version.clone()),
                (
                    "made",
                    format!(
                        "apt-get download {}:{}, dpkg -x",
                        arch.package, arch.deb_arch
                    ),
                ),
                ("seconds", format!("{:.1}", t.elapsed().as_secs_f64())),
            ],
        )?;
        eprintln!(
            "setup: xen: {} release {} ready in {:.1?}",
            arch.name,
            out.display(),
            t.elapsed()
        );
    }

    // Debug: built from the same version's source package, with Debian's config + CONFIG_DEBUG=y.
    if !need_debug.is_empty() {
        let dsc = apt.source(&version)?;
        for arch in need_debug {
            build_debug(arch, &dsc, &version)?;
        }
    }
    eprintln!("setup: xen: done in {:.1?}", start.elapsed());
    Ok(())
}

/// apt with its own sources, state and cache under `target/xen/apt`: nothing of the machine's
/// package state is read or changed except its general apt settings (proxies and the like).
struct PrivateApt {
    dir: PathBuf,
    options: Vec<String>,
}

impl PrivateApt {
    fn new() -> Result<Self> {
        let dir = xen_dir().join("apt");
        for sub in [
            "etc/sources.list.d",
            "etc/preferences.d",
            "state/lists/partial",
            "cache/archives/partial",
            "debs",
        ] {
            mkdir(&dir.join(sub))?;
        }
        mkdir(&xen_dir().join("src"))?;
        write(&dir.join("etc/sources.list"), SOURCES)?;
        let status = dir.join("state/status");
        if !status.exists() {
            write(&status, "")?;
        }
        let d = |p: &str| dir.join(p).display().to_string();
        let mut options = vec![];
        for (k, v) in [
            ("Dir::Etc::SourceList", d("etc/sources.list")),
            ("Dir::Etc::SourceParts", d("etc/sources.list.d")),
            ("Dir::Etc::Preferences", d("etc/preferences")),
            ("Dir::Etc::PreferencesParts", d("etc/preferences.d")),
            ("Dir::State", d("state")),
            ("Dir::State::status", d("state/status")),
            ("Dir::Cache", d("cache")),
            ("APT::Architecture", "amd64".into()),
            ("APT::Architectures::", "amd64".into()),
            ("APT::Architectures::", "arm64".into()),
            // Files under target/ belong to the user, not to apt's sandbox user `_apt`.
            ("APT::Sandbox::User", whoami()),
        ] {
            options.push("-o".into());
            options.push(format!("{k}={v}"));
        }
        let apt = PrivateApt { dir, options };
        let has_lists = std::fs::read_dir(apt.dir.join("state/lists"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .any(|e| e.file_name().to_string_lossy().ends_with("_Sources"))
            })
            .unwrap_or(false);
        if !has_lists {
            apt.run("apt-get", &["update", "-q"], &apt.dir)?;
        }
        Ok(apt)
    }

    fn run(&self, tool: &str, args: &[&str], cwd: &Path) -> Result {
        let mut cmd = Command::new(tool);
        cmd.args(&self.options).args(args).current_dir(cwd);
        eprintln!(
            "$ (cd {}) {tool} <private apt options> {}",
            cwd.display(),
            args.join(" ")
        );
        let status = cmd.status().map_err(|e| format!("{tool}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "`{tool} {}` failed ({status}); private apt options: {}",
                args.join(" "),
                self.options.join(" ")
            ))
        }
    }

    fn output(&self, tool: &str, args: &[&str]) -> Result<String> {
        let out = Command::new(tool)
            .args(&self.options)
            .args(args)
            .output()
            .map_err(|e| format!("{tool}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "`{tool} {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The candidate version of `arch`'s hypervisor package.
    fn version(&self, arch: &Arch) -> Result<String> {
        let spec = format!("{}:{}", arch.package, arch.deb_arch);
        let text = self.output("apt-cache", &["show", "--no-all-versions", &spec])?;
        text.lines()
            .find_map(|l| l.strip_prefix("Version: "))
            .map(|v| v.trim().to_string())
            .ok_or_else(|| format!("apt-cache show {spec}: no Version field"))
    }

    fn download(&self, arch: &Arch, version: &str) -> Result<PathBuf> {
        let debs = self.dir.join("debs");
        let file = debs.join(format!(
            "{}_{}_{}.deb",
            arch.package,
            version.replace(':', "%3a"),
            arch.deb_arch
        ));
        if !file.is_file() {
            let spec = format!("{}:{}={version}", arch.package, arch.deb_arch);
            self.run("apt-get", &["download", "-q", &spec], &debs)?;
        }
        if !file.is_file() {
            return Err(format!("apt-get download did not leave {}", file.display()));
        }
        Ok(file)
    }

    /// Downloads (not unpacks) the `xen` source package; returns the `.dsc`.
    fn source(&self, version: &str) -> Result<PathBuf> {
        let src = xen_dir().join("src");
        let dsc = src.join(format!(
            "xen_{}.dsc",
            version.split_once(':').map_or(version, |v| v.1)
        ));
        if !dsc.is_file() {
            let spec = format!("xen={version}");
            self.run("apt-get", &["source", "-q", "--download-only", &spec], &src)?;
        }
        if !dsc.is_file() {
            return Err(format!("apt-get source did not leave {}", dsc.display()));
        }
        Ok(dsc)
    }
}

fn build_debug(arch: &Arch, dsc: &Path, version: &str) -> Result {
    let t = Instant::now();
    let tree = xen_dir().join("build").join(arch.name);
    // An unpacked tree is kept between runs so an interrupted build resumes where make left it.
    let fresh = !tree.join("xen/Makefile").is_file();
    if fresh {
        let _ = std::fs::remove_dir_all(&tree);
        mkdir(tree.parent().unwrap())?;
        crate::run(
            Command::new("dpkg-source")
                .args(["--no-check", "-x"])
                .arg(dsc)
                .arg(&tree),
        )?;
    }
    let release_config = xen_image(arch.name, false).with_file_name("xen.config");
    let config = std::fs::read_to_string(&release_config)
        .map_err(|e| format!("{}: {e}", release_config.display()))?;
    let mut debug_config: String = config
        .lines()
        .filter(|l| !l.starts_with("CONFIG_DEBUG=") && *l != "# CONFIG_DEBUG is not set")
        .map(|l| format!("{l}\n"))
        .collect();
    debug_config.push_str("CONFIG_DEBUG=y\n");
    let dot_config = tree.join("xen/.config");
    // Seeded once: rewriting it on a resumed build would make make redo everything.
    let seeded = std::fs::read_to_string(&dot_config)
        .is_ok_and(|c| c.lines().any(|l| l == "CONFIG_DEBUG=y"));
    if !seeded {
        write(&dot_config, &debug_config)?;
    }
    let maintainer = std::fs::read_to_string(dsc)
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("Maintainer: ").map(str::to_string))
        })
        .unwrap_or_default();
    let make = |args: &[&str]| {
        let mut cmd = Command::new("make");
        cmd.arg("-C")
            .arg(tree.join("xen"))
            .args(arch.make_args)
            .args(args)
            // What debian/rules gives the banner patch (debian/patches/0003-*).
            .env("DEB_VERSION", version)
            .env("DEB_MAINTAINER", &maintainer)
            .env_remove("CFLAGS")
            .env_remove("LDFLAGS");
        crate::run(&mut cmd)
    };
    eprintln!(
        "setup: xen: building the {} debug hypervisor (Debian's config + CONFIG_DEBUG=y, make -j2)",
        arch.name
    );
    make(&["olddefconfig"])?;
    let built = std::fs::read_to_string(&dot_config).unwrap_or_default();
    if !built.lines().any(|l| l == "CONFIG_DEBUG=y") {
        return Err(format!(
            "{}: CONFIG_DEBUG=y did not survive olddefconfig",
            dot_config.display()
        ));
    }
    make(&["-j2"])?;
    let out = xen_image(arch.name, true);
    let dir = out.parent().unwrap();
    mkdir(dir)?;
    copy(&tree.join("xen/xen"), &out)?;
    copy(&dot_config, &dir.join("xen.config"))?;
    write_manifest(
        arch,
        true,
        &[
            ("package", "xen (source)".to_string()),
            ("version", version.to_string()),
            (
                "made",
                format!(
                    "apt-get source xen={version}; Debian's {} with CONFIG_DEBUG=y; make {} -j2",
                    arch.boot_config.trim_start_matches("boot/"),
                    arch.make_args.join(" ")
                ),
            ),
            ("seconds", format!("{:.1}", t.elapsed().as_secs_f64())),
            (
                "build",
                if fresh {
                    "fresh".to_string()
                } else {
                    format!("resumed in the existing tree {}", tree.display())
                },
            ),
        ],
    )?;
    eprintln!(
        "setup: xen: {} debug {} built in {:.1?}",
        arch.name,
        out.display(),
        t.elapsed()
    );
    Ok(())
}

fn write_manifest(arch: &Arch, debug: bool, fields: &[(&str, String)]) -> Result {
    let mut text = format!(
        "# Xen hypervisor for the xen-{}{} target, made by `cargo xtask setup`\narch={}\nkind={}\n",
        arch.name,
        if debug { "-debug" } else { "" },
        arch.name,
        if debug { "debug" } else { "release" }
    );
    for (k, v) in fields {
        text.push_str(&format!("{k}={v}\n"));
    }
    write(&manifest(arch.name, debug), &text)
}

/// Copies the boot image, gunzipping it when it is gzipped.
fn install_image(from: &Path, to: &Path) -> Result {
    let bytes = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let out = Command::new("gzip")
            .arg("-dc")
            .arg(from)
            .output()
            .map_err(|e| format!("gzip: {e}"))?;
        if !out.status.success() {
            return Err(format!("gzip -dc {} failed", from.display()));
        }
        std::fs::write(to, out.stdout).map_err(|e| format!("{}: {e}", to.display()))
    } else {
        copy(from, to)
    }
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

fn mkdir(p: &Path) -> Result {
    std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn write(p: &Path, text: &str) -> Result {
    std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copy {} -> {}: {e}", from.display(), to.display()))
}
