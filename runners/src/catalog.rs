//! The target catalogue: every target hyperabi runs, as data. `hyperabi targets`, the engine,
//! `cargo xtask` (setup, guests, the test gate, conform, bench) and the README's target table
//! are derived from [`TARGETS`], [`COMPONENTS`] and [`BOOT_ENVS`]; nothing else lists targets.
//!
//! A target names its **boot environment** (which guest image), the **components** it runs (QEMU,
//! firmware, hypervisor), each with its Debian package, pinned version and where `cargo xtask
//! setup` puts it, the **machine recipe** (QEMU machine, CPU, memory, extra devices), the ABIs it
//! runs and its baseline file. Adding a target that reuses a boot environment is one entry in
//! [`TARGETS`] plus its baseline.
//!
//! Names follow one scheme: `<implementation><version>-<arch>[-<variant>]`, where the
//! implementation is what answers the hypercalls: `qemu7.2-aarch64` (QEMU's own PSCI),
//! `qemu10.0-riscv64-opensbi1.6` (OpenSBI 1.6 under QEMU 10.0), `xen4.17-arm64-debug`,
//! `tfa2.12-aarch64`.

use std::path::{Path, PathBuf};

use abi_spec::Arch;

/// What a component is to a target.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// The machine emulator.
    Qemu,
    /// Firmware that serves calls (OpenSBI, TF-A, QEMU's bundled SLOF and s390-ccw).
    Firmware,
    /// A hypervisor (Xen).
    Hypervisor,
    /// A host kernel (KVM).
    Kernel,
}

impl Role {
    /// Lower-case name, as the report writes it.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// One Debian binary package of a pinned version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DebPackage {
    /// Its name.
    pub name: &'static str,
    /// Debian's version string, pinned.
    pub version: &'static str,
    /// Debian's architecture (`amd64`, `arm64`, `all`).
    pub arch: &'static str,
}

/// Where a component comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Bookworm packages installed with apt by `cargo xtask setup`; the files are at their system
    /// paths.
    System {
        /// The packages.
        packages: &'static [&'static str],
    },
    /// Binary packages of a Debian suite, downloaded through a private apt configuration and
    /// unpacked under [`Component::dir`] (never installed).
    Archive {
        /// The Debian suite.
        suite: &'static str,
        /// The packages, each pinned.
        packages: &'static [DebPackage],
    },
    /// Built by `cargo xtask setup` from a Debian source package of a pinned version, under
    /// [`Component::dir`].
    Source {
        /// The Debian suite.
        suite: &'static str,
        /// The source package.
        package: &'static str,
        /// The pinned version.
        version: &'static str,
        /// How it is built (shown in the catalogue; the recipe itself is `cargo xtask setup`'s).
        recipe: &'static str,
    },
}

/// A component some target runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Component {
    /// Stable id: the directory under `target/components/`.
    pub id: &'static str,
    /// What it is to the target.
    pub role: Role,
    /// Human name: `QEMU`, `OpenSBI`, `Xen`, `Trusted Firmware-A`.
    pub name: &'static str,
    /// Upstream version, as its own banner prints it (the banner is what the report records).
    pub version: &'static str,
    /// Where it comes from.
    pub origin: Origin,
}

/// Debian bookworm's QEMU (installed with apt).
pub const QEMU_7_2: &str = "qemu-7.2";
/// QEMU 10.0 from bookworm-backports (unpacked under `target/components/qemu-10.0`).
pub const QEMU_10_0: &str = "qemu-10.0";

const fn pkg(name: &'static str, version: &'static str, arch: &'static str) -> DebPackage {
    DebPackage {
        name,
        version,
        arch,
    }
}

/// bookworm-backports' QEMU 10.0 (Debian `qemu` source 1:10.0.2+ds-2+deb13u1~bpo12+1).
const QEMU_10_0_VERSION: &str = "1:10.0.2+ds-2+deb13u1~bpo12+1";

/// Every component a target of [`TARGETS`] runs.
pub const COMPONENTS: &[Component] = &[
    Component {
        id: QEMU_7_2,
        role: Role::Qemu,
        name: "QEMU",
        version: "7.2",
        origin: Origin::System {
            packages: &[
                "qemu-system-arm",
                "qemu-system-misc",
                "qemu-system-ppc",
                "qemu-system-x86",
            ],
        },
    },
    Component {
        id: QEMU_10_0,
        role: Role::Qemu,
        name: "QEMU",
        version: "10.0.2",
        origin: Origin::Archive {
            suite: "bookworm-backports",
            packages: &[
                pkg("qemu-system-arm", QEMU_10_0_VERSION, "amd64"),
                pkg("qemu-system-misc", QEMU_10_0_VERSION, "amd64"),
                pkg("qemu-system-ppc", QEMU_10_0_VERSION, "amd64"),
                pkg("qemu-system-riscv", QEMU_10_0_VERSION, "amd64"),
                pkg("qemu-system-s390x", QEMU_10_0_VERSION, "amd64"),
                pkg("qemu-system-x86", QEMU_10_0_VERSION, "amd64"),
                pkg("qemu-system-common", QEMU_10_0_VERSION, "amd64"),
                pkg("qemu-system-data", QEMU_10_0_VERSION, "all"),
                // QEMU 10.0's riscv64 `-bios default` is this package's fw_dynamic (a relative
                // symlink from qemu-system-data).
                pkg("opensbi", "1.5.1-1~bpo12+2", "all"),
            ],
        },
    },
    Component {
        id: "opensbi-1.6",
        role: Role::Firmware,
        name: "OpenSBI",
        version: "1.6",
        origin: Origin::Archive {
            suite: "trixie",
            packages: &[pkg("opensbi", "1.6-1", "all")],
        },
    },
    Component {
        id: "xen-4.17-arm64",
        role: Role::Hypervisor,
        name: "Xen",
        version: "4.17.5",
        origin: Origin::Archive {
            suite: "bookworm",
            packages: &[pkg(
                "xen-hypervisor-4.17-arm64",
                "4.17.5+72-g01140da4e8-1",
                "arm64",
            )],
        },
    },
    Component {
        id: "xen-4.17-amd64",
        role: Role::Hypervisor,
        name: "Xen",
        version: "4.17.5",
        origin: Origin::Archive {
            suite: "bookworm",
            packages: &[pkg(
                "xen-hypervisor-4.17-amd64",
                "4.17.5+72-g01140da4e8-1",
                "amd64",
            )],
        },
    },
    Component {
        id: "xen-4.17-arm64-debug",
        role: Role::Hypervisor,
        name: "Xen",
        version: "4.17.5",
        origin: Origin::Source {
            suite: "bookworm",
            package: "xen",
            version: "4.17.5+72-g01140da4e8-1",
            recipe: "Debian's arm64 hypervisor config + CONFIG_DEBUG=y, cross-built with gcc-aarch64-linux-gnu",
        },
    },
    Component {
        id: "xen-4.17-amd64-debug",
        role: Role::Hypervisor,
        name: "Xen",
        version: "4.17.5",
        origin: Origin::Source {
            suite: "bookworm",
            package: "xen",
            version: "4.17.5+72-g01140da4e8-1",
            recipe: "Debian's amd64 hypervisor config + CONFIG_DEBUG=y",
        },
    },
    Component {
        id: "xen-4.20-arm64",
        role: Role::Hypervisor,
        name: "Xen",
        // Debian's 4.20.4+63 snapshot of the stable branch, which names itself 4.20.5-pre.
        version: "4.20.5-pre",
        origin: Origin::Archive {
            suite: "trixie",
            packages: &[pkg(
                "xen-hypervisor-4.20-arm64",
                "4.20.4+63-g7abfd2bce2-0+deb13u1",
                "arm64",
            )],
        },
    },
    Component {
        id: "xen-4.20-amd64",
        role: Role::Hypervisor,
        name: "Xen",
        version: "4.20.5-pre",
        origin: Origin::Archive {
            suite: "trixie",
            packages: &[pkg(
                "xen-hypervisor-4.20-amd64",
                "4.20.4+63-g7abfd2bce2-0+deb13u1",
                "amd64",
            )],
        },
    },
    Component {
        id: "tfa-2.12",
        role: Role::Firmware,
        name: "Trusted Firmware-A",
        version: "2.12.1",
        origin: Origin::Source {
            suite: "trixie",
            package: "arm-trusted-firmware",
            version: "2.12.1+dfsg-1",
            recipe: "make PLAT=qemu with aarch64-linux-gnu-gcc; BL33 a trampoline to the guest image",
        },
    },
    Component {
        id: LINUX_6_12_ARM64,
        role: Role::Kernel,
        name: "Linux",
        version: "6.12.117",
        origin: Origin::Archive {
            suite: "trixie",
            packages: &[pkg(
                "linux-image-6.12.117+deb13-arm64-unsigned",
                "6.12.117-1",
                "arm64",
            )],
        },
    },
    Component {
        id: LINUX_6_1_ARM64,
        role: Role::Kernel,
        name: "Linux",
        version: "6.1.176",
        origin: Origin::Archive {
            suite: "bookworm",
            packages: &[pkg(
                "linux-image-6.1.0-50-arm64-unsigned",
                "6.1.176-1",
                "arm64",
            )],
        },
    },
    Component {
        id: LINUX_6_12_RISCV64,
        role: Role::Kernel,
        name: "Linux",
        version: "6.12.117",
        origin: Origin::Archive {
            suite: "trixie",
            packages: &[pkg(
                "linux-image-6.12.117+deb13-riscv64",
                "6.12.117-1",
                "riscv64",
            )],
        },
    },
    Component {
        id: LINUX_6_12_AMD64,
        role: Role::Kernel,
        name: "Linux",
        version: "6.12.117",
        origin: Origin::Archive {
            suite: "trixie",
            packages: &[pkg(
                "linux-image-6.12.117+deb13-amd64-unsigned",
                "6.12.117-1",
                "amd64",
            )],
        },
    },
    Component {
        id: LINUX_6_1_AMD64,
        role: Role::Kernel,
        name: "Linux",
        version: "6.1.176",
        origin: Origin::Archive {
            suite: "bookworm",
            packages: &[pkg(
                "linux-image-6.1.0-50-amd64-unsigned",
                "6.1.176-1",
                "amd64",
            )],
        },
    },
    // The headers and kbuild tools of the arm64 kernels, for the module of the Linux HYP stub
    // targets: the arm64 headers (their generated files and Module.symvers), the common headers
    // they include, and an amd64 kbuild package (fixdep, modpost: host programs). trixie's
    // linux-kbuild-6.12.117+deb13 needs glibc 2.38, newer than this bookworm host's, so 6.12
    // takes the host tools of the same stable series built for bookworm (bookworm-backports'
    // 6.12.95); bookworm's 6.1 its own.
    Component {
        id: LINUX_HEADERS_6_12_ARM64,
        role: Role::Kernel,
        name: "Linux headers",
        version: "6.12.117",
        origin: Origin::Archive {
            suite: "trixie",
            packages: &[
                pkg("linux-headers-6.12.117+deb13-arm64", "6.12.117-1", "arm64"),
                pkg("linux-headers-6.12.117+deb13-common", "6.12.117-1", "all"),
                pkg("linux-kbuild-6.12.95+deb12", "6.12.95-1~bpo12+1", "amd64"),
            ],
        },
    },
    Component {
        id: LINUX_HEADERS_6_1_ARM64,
        role: Role::Kernel,
        name: "Linux headers",
        version: "6.1.176",
        origin: Origin::Archive {
            suite: "bookworm",
            packages: &[
                pkg("linux-headers-6.1.0-50-arm64", "6.1.176-1", "arm64"),
                pkg("linux-headers-6.1.0-50-common", "6.1.176-1", "all"),
                pkg("linux-kbuild-6.1", "6.1.176-1", "amd64"),
            ],
        },
    },
    Component {
        id: LINUX_6_1_ARMHF,
        role: Role::Kernel,
        name: "Linux",
        version: "6.1.176",
        origin: Origin::Archive {
            suite: "bookworm",
            packages: &[pkg("linux-image-6.1.0-50-armmp", "6.1.176-1", "armhf")],
        },
    },
    Component {
        id: LINUX_HEADERS_6_1_ARMHF,
        role: Role::Kernel,
        name: "Linux headers",
        version: "6.1.176",
        origin: Origin::Archive {
            suite: "bookworm",
            packages: &[
                pkg("linux-headers-6.1.0-50-armmp", "6.1.176-1", "armhf"),
                pkg("linux-headers-6.1.0-50-common", "6.1.176-1", "all"),
                pkg("linux-kbuild-6.1", "6.1.176-1", "amd64"),
            ],
        },
    },
];

/// bookworm's Linux 6.1 for armhf (armmp: the multiplatform ARMv7 kernel).
const LINUX_6_1_ARMHF: &str = "linux-6.1-armhf";
/// Its headers.
const LINUX_HEADERS_6_1_ARMHF: &str = "linux-headers-6.1-armhf";

/// The headers of trixie's Linux 6.12 for arm64 (a module's build tree).
const LINUX_HEADERS_6_12_ARM64: &str = "linux-headers-6.12-arm64";
/// The headers of bookworm's Linux 6.1 for arm64.
const LINUX_HEADERS_6_1_ARM64: &str = "linux-headers-6.1-arm64";

/// trixie's Linux 6.12 for riscv64 (KVM is a module).
const LINUX_6_12_RISCV64: &str = "linux-6.12-riscv64";
/// trixie's Linux 6.12 for arm64 (KVM built in).
const LINUX_6_12_ARM64: &str = "linux-6.12-arm64";
/// trixie's Linux 6.12 for amd64 (KVM and kvm-amd are modules).
const LINUX_6_12_AMD64: &str = "linux-6.12-amd64";
/// bookworm's Linux 6.1 for arm64.
const LINUX_6_1_ARM64: &str = "linux-6.1-arm64";
/// bookworm's Linux 6.1 for amd64 (KVM and kvm-amd are modules, uncompressed).
const LINUX_6_1_AMD64: &str = "linux-6.1-amd64";

impl Component {
    /// The component `id`.
    pub fn get(id: &str) -> Option<&'static Component> {
        COMPONENTS.iter().find(|c| c.id == id)
    }

    /// Where `cargo xtask setup` puts it: `target/components/<id>` (unused for [`Origin::System`]).
    pub fn dir(&self) -> PathBuf {
        components_dir().join(self.id)
    }

    /// The file `rel` of this component: under [`Component::dir`], or the system path for
    /// [`Origin::System`].
    pub fn file(&self, rel: &str) -> PathBuf {
        match self.origin {
            Origin::System { .. } => Path::new("/").join(rel),
            _ => self.dir().join(rel),
        }
    }

    /// `apt`, `archive <suite>` or `source <suite>`.
    pub fn origin_kind(&self) -> String {
        match self.origin {
            Origin::System { .. } => "apt".into(),
            Origin::Archive { suite, .. } => format!("archive {suite}"),
            Origin::Source { suite, .. } => format!("source {suite}"),
        }
    }

    /// The Debian packages and versions it comes from, in one line.
    pub fn provenance(&self) -> String {
        match self.origin {
            Origin::System { packages } => format!("Debian bookworm {}", packages.join(", ")),
            Origin::Archive { suite, packages } => format!(
                "Debian {suite} {}",
                packages
                    .iter()
                    .map(|p| format!("{} {} ({})", p.name, p.version, p.arch))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Origin::Source {
                suite,
                package,
                version,
                recipe,
            } => format!("built from Debian {suite} source {package} {version}: {recipe}"),
        }
    }
}

/// `target/components`, where setup unpacks and builds components (`HYPERABI_COMPONENTS_DIR`
/// overrides it, for a shared cache).
pub fn components_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HYPERABI_COMPONENTS_DIR") {
        return dir.into();
    }
    workspace().join("target/components")
}

/// The workspace root (this crate's parent directory).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("runners sits in the workspace")
        .to_path_buf()
}

/// How QEMU takes the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Load {
    /// An ELF (or a Linux image) as `-kernel`.
    Kernel,
    /// A flat image as `-bios` (ppc64 pseries loads it at 0 and enters at 0x100).
    Bios,
    /// The image placed with `-device loader` at its ELF addresses, entered by firmware (TF-A's
    /// BL33 trampoline).
    Loader,
    /// A Xen dom0: the hypervisor is `-kernel`, the image its dom0.
    XenDom0,
    /// A KVM guest: a Linux kernel is `-kernel`, and hyperabi's VMM (`runners/vmm`, `/init` of
    /// the initramfs) loads the image at its ELF addresses in a VM laid out like QEMU's `virt`.
    KvmGuest,
    /// A Linux kernel module at EL1: a Linux kernel is `-kernel`, hyperabi's VMM (`/init`) loads
    /// the module (`runners/module`, the harness linked in as a relocatable object), hands it the
    /// plan through `/proc/hyperabi` and copies the frames it wrote to the console.
    KernelModule,
}

/// A boot environment: one guest image (a build of `runners/guest`) and how it is booted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BootEnv {
    /// `cargo xtask guests --arch` names it so.
    pub name: &'static str,
    /// The arch.
    pub arch: Arch,
    /// The Rust target the image is built for.
    pub rust_target: &'static str,
    /// Cargo features of `runners/guest` that select the boot module.
    pub features: &'static str,
    /// Extra rustflags for this image.
    pub rustflags: &'static str,
    /// The flat file made from the ELF, if any: `bin` (raw, from address 0), `Image` (a Linux
    /// arm64 Image) or `zImage` (a 32-bit Arm zImage): the header is the first bytes of .text.
    pub flat: Option<&'static str>,
    /// How QEMU takes the image.
    pub load: Load,
    /// Where the plan goes (`-device loader`): the guest's `PLAN_ADDR`. 0 for a Xen dom0, whose
    /// plan is a boot module.
    pub plan_addr: u64,
    /// The guest puts its scratch where its memory ends (a Xen dom0), so a parameter struct
    /// that starts in the scratch's last bytes runs past guest memory and the hypervisor's
    /// copy faults: the plan adds a struct that ends early there.
    pub scratch_at_memory_end: bool,
}

impl BootEnv {
    /// The environment `name`.
    pub fn get(name: &str) -> Option<&'static BootEnv> {
        BOOT_ENVS.iter().find(|b| b.name == name)
    }

    /// The target directory its build goes to (relative to the workspace).
    pub fn target_dir(&self) -> String {
        format!("target/guest-{}", self.name)
    }

    /// The ELF file `cargo xtask guests` builds.
    pub fn elf(&self) -> PathBuf {
        self.elf_in(&workspace().join(self.target_dir()))
    }

    /// The file QEMU or Xen boots (the flat one where there is one).
    pub fn image(&self) -> PathBuf {
        self.image_in(&workspace().join(self.target_dir()))
    }

    /// The ELF file a build into `target_dir` makes.
    pub fn elf_in(&self, target_dir: &std::path::Path) -> PathBuf {
        target_dir
            .join(self.rust_target)
            .join("release/hyperabi-guest")
    }

    /// The file QEMU or Xen boots, of a build into `target_dir`.
    pub fn image_in(&self, target_dir: &std::path::Path) -> PathBuf {
        match self.flat {
            Some(ext) => self.elf_in(target_dir).with_extension(ext),
            None => self.elf_in(target_dir),
        }
    }

    /// The `cargo build` of the image into `target_dir` (relative to `runners/guest`, or
    /// absolute), run in `runners/guest` (whose `.cargo/config.toml` names the linkers) with
    /// Debian's rustc and `-Zbuild-std=core`. The flat image, if any, is made from the ELF
    /// afterwards (`cargo xtask guests`).
    pub fn build_command(
        &self,
        cargo: &std::ffi::OsStr,
        target_dir: &str,
    ) -> std::process::Command {
        let mut cmd = std::process::Command::new(cargo);
        cmd.current_dir(workspace().join("runners/guest"))
            .env("RUSTC", "/usr/bin/rustc")
            .env("RUSTC_BOOTSTRAP", "1")
            .env_remove("RUSTFLAGS")
            .args(["build", "-q", "--release", "--target", self.rust_target])
            .args([
                "-Zbuild-std=core",
                "-Zbuild-std-features=compiler-builtins-mem",
            ])
            .args(["--target-dir", target_dir]);
        if !self.features.is_empty() {
            cmd.args(["--features", self.features]);
        }
        if !self.rustflags.is_empty() {
            let var = format!(
                "CARGO_TARGET_{}_RUSTFLAGS",
                self.rust_target.to_uppercase().replace('-', "_")
            );
            cmd.env(var, self.rustflags);
        }
        cmd
    }

    /// Builds the image into `target_dir` ([`BootEnv::build_command`]) and makes its flat file;
    /// returns the file QEMU or Xen boots. `stubs` names another directory of generated stubs to link in place of `stubs/` (a
    /// test's deliberately broken one).
    pub fn build(
        &self,
        cargo: &std::ffi::OsStr,
        target_dir: &str,
        stubs: Option<&std::path::Path>,
    ) -> Result<PathBuf, String> {
        let mut cmd = self.build_command(cargo, target_dir);
        if let Some(dir) = stubs {
            cmd.env("HYPERABI_GUEST_STUBS", dir);
        }
        let status = cmd
            .status()
            .map_err(|e| format!("cargo build of the {} image: {e}", self.name))?;
        if !status.success() {
            return Err(format!(
                "cargo build of the {} image into {target_dir} failed ({status})",
                self.name
            ));
        }
        let dir = workspace().join("runners/guest").join(target_dir);
        let elf = self.elf_in(&dir);
        if let Some(ext) = self.flat {
            let bytes = std::fs::read(&elf).map_err(|e| format!("{}: {e}", elf.display()))?;
            let bin = flatten(&bytes).map_err(|e| format!("{}: {e}", elf.display()))?;
            let out = elf.with_extension(ext);
            std::fs::write(&out, bin).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        Ok(self.image_in(&dir))
    }
}

/// The PT_LOAD segments of an ELF (64- or 32-bit) laid out from physical address 0 (what `objcopy
/// -O binary` makes for an image linked at 0), without the zero-filled tail (.bss).
pub fn flatten(elf: &[u8]) -> std::result::Result<Vec<u8>, String> {
    if elf.len() < 52 || &elf[..4] != b"\x7fELF" || !matches!(elf[4], 1 | 2) {
        return Err("not an ELF file".into());
    }
    let wide = elf[4] == 2;
    if wide && elf.len() < 64 {
        return Err("truncated ELF header".into());
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
    let u32_at = |o: usize| {
        let b: [u8; 4] = elf[o..o + 4].try_into().unwrap();
        if be {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
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
    // Elf64_Ehdr / Elf32_Ehdr: e_phoff, e_phentsize, e_phnum.
    let (phoff, phentsize, phnum) = if wide {
        (
            u64_at(32) as usize,
            u16_at(54) as usize,
            u16_at(56) as usize,
        )
    } else {
        (
            u32_at(28) as usize,
            u16_at(42) as usize,
            u16_at(44) as usize,
        )
    };
    let mut out = Vec::new();
    for i in 0..phnum {
        let ph = phoff + i * phentsize;
        if ph + if wide { 56 } else { 32 } > elf.len() {
            return Err(format!("program header {i} lies outside the file"));
        }
        let ty = u32_at(ph);
        // Elf64_Phdr: offset 8, paddr 24, filesz 32; Elf32_Phdr: offset 4, paddr 12, filesz 16.
        let (offset, paddr, filesz) = if wide {
            (u64_at(ph + 8), u64_at(ph + 24), u64_at(ph + 32))
        } else {
            (
                u32_at(ph + 4).into(),
                u32_at(ph + 12).into(),
                u32_at(ph + 16).into(),
            )
        };
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

/// Every boot environment of the guest harness.
pub const BOOT_ENVS: &[BootEnv] = &[
    BootEnv {
        name: "aarch64-virt",
        arch: Arch::Aarch64,
        rust_target: "aarch64-unknown-none",
        features: "",
        rustflags: "",
        flat: None,
        load: Load::Kernel,
        plan_addr: 0x4400_0000,
        scratch_at_memory_end: false,
    },
    BootEnv {
        name: "arm-virt",
        arch: Arch::Arm,
        rust_target: "armv7a-none-eabi",
        features: "",
        rustflags: "",
        flat: None,
        load: Load::Kernel,
        plan_addr: 0x4400_0000,
        scratch_at_memory_end: false,
    },
    BootEnv {
        name: "riscv64-virt",
        arch: Arch::Riscv64,
        rust_target: "riscv64gc-unknown-none-elf",
        features: "",
        rustflags: "",
        flat: None,
        load: Load::Kernel,
        plan_addr: 0x8400_0000,
        scratch_at_memory_end: false,
    },
    BootEnv {
        name: "s390x-ccw",
        arch: Arch::S390x,
        rust_target: "s390x-unknown-none-softfloat",
        features: "",
        rustflags: "",
        flat: None,
        load: Load::Kernel,
        plan_addr: 0x400_0000,
        scratch_at_memory_end: false,
    },
    BootEnv {
        name: "ppc64-pseries",
        arch: Arch::Ppc64,
        rust_target: "powerpc64-unknown-linux-musl",
        features: "",
        rustflags: "",
        flat: Some("bin"),
        load: Load::Bios,
        plan_addr: 0x400_0000,
        scratch_at_memory_end: false,
    },
    // QEMU virt with TF-A at EL3: the same EL1 harness, placed by `-device loader` at 0x50000000
    // (firmware puts the DTB at the start of RAM) and entered by TF-A's BL33 trampoline.
    BootEnv {
        name: "aarch64-tfa",
        arch: Arch::Aarch64,
        rust_target: "aarch64-unknown-none",
        features: "tfa",
        rustflags: "",
        flat: None,
        load: Load::Loader,
        plan_addr: 0x5400_0000,
        scratch_at_memory_end: false,
    },
    // Xen loads the arm64 dom0 wherever dom0's memory starts: position-independent, relocated by
    // its entry code.
    BootEnv {
        name: "xen-arm64",
        arch: Arch::Aarch64,
        rust_target: "aarch64-unknown-none",
        features: "xen",
        rustflags: "-C relocation-model=pie -C link-arg=-pie -C link-arg=-znorelro",
        flat: Some("Image"),
        load: Load::XenDom0,
        plan_addr: 0,
        scratch_at_memory_end: true,
    },
    // The AArch32 dom0 of arm64 Xen: a 32-bit zImage, position-independent like the arm64 one
    // (Xen places it near the end of dom0's first bank); the vectors and entry code use
    // literal-pool addresses, hence text relocations.
    BootEnv {
        name: "xen-arm32",
        arch: Arch::Arm,
        rust_target: "armv7a-none-eabi",
        features: "xen",
        rustflags:
            "-C relocation-model=pie -C link-arg=-pie -C link-arg=-znorelro -C link-arg=-znotext",
        flat: Some("zImage"),
        load: Load::XenDom0,
        plan_addr: 0,
        scratch_at_memory_end: true,
    },
    // The aarch64-virt harness as a KVM guest: the same EL1 image, its console a doorbell the
    // VMM reads once per frame (one exit per frame, not per byte).
    BootEnv {
        name: "aarch64-kvm",
        arch: Arch::Aarch64,
        rust_target: "aarch64-unknown-none",
        features: "kvm",
        rustflags: "",
        flat: None,
        load: Load::KvmGuest,
        plan_addr: 0x4400_0000,
        scratch_at_memory_end: false,
    },
    // The riscv64-virt harness as a KVM guest (VS-mode), console by doorbell as on aarch64.
    BootEnv {
        name: "riscv64-kvm",
        arch: Arch::Riscv64,
        rust_target: "riscv64gc-unknown-none-elf",
        features: "kvm",
        rustflags: "",
        flat: None,
        load: Load::KvmGuest,
        plan_addr: 0x8400_0000,
        scratch_at_memory_end: false,
    },
    // The harness as a KVM guest on x86_64: the VMM enters it in 64-bit long mode at CPL0 with
    // identity-mapped page tables; it installs its own IDT. Console by doorbell.
    BootEnv {
        name: "x86_64-kvm",
        arch: Arch::X86_64,
        rust_target: "x86_64-unknown-none",
        features: "kvm",
        rustflags: "-C relocation-model=static -C code-model=small",
        flat: None,
        load: Load::KvmGuest,
        plan_addr: 0x400_0000,
        scratch_at_memory_end: false,
    },
    // The aarch64 harness in a Linux kernel module at EL1: a relocatable object (no FP/SIMD, as
    // all kernel code) that `cargo xtask guests` links into one module per kernel headers
    // component (`runners/module`). The plan travels through `/proc/hyperabi`, not an address.
    BootEnv {
        name: "aarch64-linux-module",
        arch: Arch::Aarch64,
        rust_target: "aarch64-unknown-none-softfloat",
        features: "linux-module",
        rustflags: "",
        flat: None,
        load: Load::KernelModule,
        plan_addr: 0,
        scratch_at_memory_end: false,
    },
    // The arm harness in a Linux kernel module in SVC mode (the 32-bit HYP stub target): the
    // same design as aarch64-linux-module; armv7a-none-eabi is soft-float already.
    BootEnv {
        name: "arm-linux-module",
        arch: Arch::Arm,
        rust_target: "armv7a-none-eabi",
        features: "linux-module",
        rustflags: "",
        flat: None,
        load: Load::KernelModule,
        plan_addr: 0,
        scratch_at_memory_end: false,
    },
    // A PV dom0 runs at the virtual addresses of its ELF segments (0x400000 up).
    BootEnv {
        name: "xen-x86_64",
        arch: Arch::X86_64,
        rust_target: "x86_64-unknown-none",
        features: "xen",
        rustflags: "-C relocation-model=static -C code-model=small",
        flat: None,
        load: Load::XenDom0,
        plan_addr: 0,
        scratch_at_memory_end: true,
    },
    // A PVH dom0 is loaded at the physical addresses of its ELF segments (1 MiB up) and entered
    // in 32-bit protected mode through its XEN_ELFNOTE_PHYS32_ENTRY note; it builds its own page
    // tables, GDT and IDT.
    BootEnv {
        name: "xen-x86_64-pvh",
        arch: Arch::X86_64,
        rust_target: "x86_64-unknown-none",
        features: "xen pvh",
        rustflags: "-C relocation-model=static -C code-model=small",
        flat: None,
        load: Load::XenDom0,
        plan_addr: 0,
        scratch_at_memory_end: true,
    },
];

/// hyperabi's kernel module (`runners/module`, the harness of `env` linked in) built by `cargo
/// xtask guests` against the kernel headers component `headers`.
pub fn module_file(env: &BootEnv, headers: &str) -> PathBuf {
    workspace()
        .join(env.target_dir())
        .join(headers)
        .join("hyperabi.ko")
}

/// hyperabi's VMM (`runners/vmm`) for KVM guests of `arch`: the Linux Rust target `cargo xtask
/// guests` builds it for (a static binary), if KVM targets of that arch exist.
pub fn vmm_rust_target(arch: Arch) -> Option<&'static str> {
    match arch {
        Arch::Aarch64 => Some("aarch64-unknown-linux-gnu"),
        Arch::Riscv64 => Some("riscv64gc-unknown-linux-gnu"),
        Arch::X86_64 => Some("x86_64-unknown-linux-gnu"),
        // No KVM: only /init of the 32-bit HYP stub target (mode=module).
        Arch::Arm => Some("armv7-unknown-linux-gnueabihf"),
        _ => None,
    }
}

/// The target directory of the VMM's build for `arch` (relative to the workspace).
pub fn vmm_target_dir(arch: Arch) -> String {
    format!("target/vmm-{}", arch.name())
}

/// The VMM binary for `arch` that `cargo xtask guests` builds.
pub fn vmm_binary(arch: Arch) -> Option<PathBuf> {
    Some(
        workspace()
            .join(vmm_target_dir(arch))
            .join(vmm_rust_target(arch)?)
            .join("release/hyperabi-vmm"),
    )
}

/// Which backend runs a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The in-process reference model (`poisoning`: a debug hypervisor's behaviour).
    Model {
        /// Poison every register the contract lets it clobber.
        poisoning: bool,
    },
    /// A guest on QEMU's machine, served by QEMU itself or by firmware.
    Qemu,
    /// Xen under QEMU, the guest as dom0.
    Xen,
    /// Linux's KVM under QEMU (nested: QEMU emulates EL2, the H extension, SVM), the guest run by
    /// hyperabi's VMM.
    Kvm,
    /// The machine's own `/dev/kvm`, the guest run by hyperabi's VMM as a host program. Host
    /// dependent: only a KVM that handles its guests' hypercalls itself can serve it (the VMM's
    /// witness hypercall tells), so the default matrix holds it only where it can run.
    KvmHost,
}

/// Firmware given to QEMU in place of what it would load by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirmwareSpec {
    /// A [`Component`] id.
    pub component: &'static str,
    /// The file inside the component, passed as `-bios`.
    pub file: &'static str,
}

/// The QEMU machine a target boots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MachineSpec {
    /// The QEMU [`Component`] id.
    pub qemu: &'static str,
    /// `-M` (with its properties).
    pub machine: &'static str,
    /// `-cpu`, always explicit: a default differs between QEMU versions.
    pub cpu: &'static str,
    /// `-m`.
    pub memory: &'static str,
    /// Further arguments (devices a call needs).
    pub extra: &'static [&'static str],
}

/// A hypervisor image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HypervisorSpec {
    /// The [`Component`] id.
    pub component: &'static str,
    /// The image QEMU boots, inside the component's directory.
    pub image: &'static str,
    /// A `CONFIG_DEBUG=y` build (poisons what a call may clobber).
    pub debug: bool,
    /// Xen command-line options of this target (the kind of dom0), after the harness's own.
    pub options: &'static str,
}

/// A Linux kernel that serves the calls with KVM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelSpec {
    /// The [`Component`] id.
    pub component: &'static str,
    /// The image QEMU boots, inside the component's directory.
    pub image: &'static str,
    /// Modules KVM needs on this arch, inside the package, in load order; setup keeps them
    /// (decompressed) under `modules/` of the component and nothing else of `lib/modules`.
    pub modules: &'static [&'static str],
    /// Kernel command-line options of this target (the KVM mode).
    pub cmdline: &'static str,
    /// The [`Component`] with the kernel's headers and kbuild, for a target whose harness is a
    /// kernel module ([`Load::KernelModule`]): `cargo xtask guests` builds the module against it.
    pub headers: Option<&'static str>,
}

impl KernelSpec {
    /// Where setup puts module `i` (`modules/NN-<name>.ko`: the name order is the load order).
    pub fn module_file(&self, i: usize) -> String {
        let name = self.modules[i].rsplit('/').next().unwrap_or_default();
        let name = name.strip_suffix(".xz").unwrap_or(name);
        format!("modules/{i:02}-{name}")
    }
}

/// One target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetSpec {
    /// Its name.
    pub name: &'static str,
    /// One line: what answers the calls, and how the guest reaches it.
    pub summary: &'static str,
    /// The arch of the guest; `None` for the model (every arch).
    pub arch: Option<Arch>,
    /// Which backend runs it.
    pub backend: Backend,
    /// The [`BootEnv`] name (none for the model).
    pub boot: Option<&'static str>,
    /// The QEMU machine (none for the model).
    pub machine: Option<MachineSpec>,
    /// Firmware in place of QEMU's default, if any.
    pub firmware: Option<FirmwareSpec>,
    /// The hypervisor it boots, if any.
    pub hypervisor: Option<HypervisorSpec>,
    /// The host kernel whose KVM answers the calls, if any.
    pub kernel: Option<KernelSpec>,
    /// The ABIs it runs when `--abi` is not given (empty: every ABI of its arch).
    pub abis: &'static [&'static str],
    /// The committed baseline it is gated against (relative to the workspace).
    pub baseline: Option<&'static str>,
    /// Calls the spec marks disruptive that this target's state makes harmless, planned here
    /// like any other call (everywhere else they are never planned).
    pub admits: &'static [Admit],
}

/// A disruptive call one target runs safely, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admit {
    /// The ABI id.
    pub abi: &'static str,
    /// The call's name.
    pub call: &'static str,
    /// Why it does not disturb the guest on this target.
    pub why: &'static str,
}

impl TargetSpec {
    /// The target `name`.
    pub fn get(name: &str) -> Option<&'static TargetSpec> {
        TARGETS.iter().find(|t| t.name == name)
    }

    /// The arch of the machine QEMU emulates and of the hypervisor, which `--qemu` and `--xen`
    /// name: the guest's arch, except for an AArch32 Xen dom0 (arm64 Xen).
    pub fn machine_arch(&self) -> Option<Arch> {
        match (self.backend, self.arch) {
            (Backend::Xen, Some(Arch::Arm)) => Some(Arch::Aarch64),
            (Backend::Xen, Some(Arch::X86)) => Some(Arch::X86_64),
            (_, arch) => arch,
        }
    }

    /// Its boot environment.
    pub fn boot_env(&self) -> Option<&'static BootEnv> {
        self.boot
            .map(|b| BootEnv::get(b).expect("catalogue names a known boot environment"))
    }

    /// Every component it runs, QEMU first.
    pub fn components(&self) -> Vec<&'static Component> {
        let ids = self
            .machine
            .map(|m| m.qemu)
            .into_iter()
            .chain(self.firmware.map(|f| f.component))
            .chain(self.hypervisor.map(|h| h.component))
            .chain(self.kernel.map(|k| k.component))
            .chain(self.kernel.and_then(|k| k.headers));
        ids.map(|id| Component::get(id).expect("catalogue names a known component"))
            .collect()
    }

    /// What answers its calls, with its version (`"Xen 4.20.5-pre"`, `"Linux 6.12.117"`): the
    /// hypervisor, else the kernel, else the firmware, else QEMU. Specs state some values per
    /// version of it (Xen's domctl interface version).
    pub fn implementation(&self) -> Option<String> {
        let id = self
            .hypervisor
            .map(|h| h.component)
            .or(self.kernel.map(|k| k.component))
            .or(self.firmware.map(|f| f.component))
            .or(self.machine.map(|m| m.qemu))?;
        let c = Component::get(id)?;
        Some(format!("{} {}", c.name, c.version))
    }
}

const fn qemu_machine(
    qemu: &'static str,
    machine: &'static str,
    cpu: &'static str,
    memory: &'static str,
) -> MachineSpec {
    MachineSpec {
        qemu,
        machine,
        cpu,
        memory,
        extra: &[],
    }
}

/// pseries: H_RANDOM is served only with an RNG device, which needs a backend.
const PSERIES_EXTRA: &[&str] = &[
    "-object",
    "rng-random,id=hyperabi-rng,filename=/dev/urandom",
    "-device",
    "spapr-rng,rng=hyperabi-rng",
];

/// ABIs of QEMU's own PSCI firmware: PSCI under the SMCCC 1.0 rules it implements, and the SMCCC
/// 1.1 view (architecture calls) a guest kernel probes first.
const QEMU_ARM64_ABIS: &[&str] = &["psci-arm64", "smccc11-arm64"];
const QEMU_ARM_ABIS: &[&str] = &["psci-arm", "smccc11-arm"];
/// Xen on Arm: its own hypercalls, its SMCCC service on hvc #0 and on the smc #0 it traps (PSCI
/// and the Xen UIDs), and the foreign HVC immediate Xen answers with an UNDEF.
const XEN_ARM64_ABIS: &[&str] = &[
    "xen-arm64",
    "xen-arm64-smccc",
    "xen-arm64-smccc-smc",
    "xen-arm64-badimm",
];
/// Xen on Arm from an AArch32 dom0: the same four, with the AArch32 register conventions (r12).
const XEN_ARM32_ABIS: &[&str] = &[
    "xen-arm32",
    "xen-arm32-smccc",
    "xen-arm32-smccc-smc",
    "xen-arm32-badimm",
];
/// Xen x86 PV: every call through the hypercall page and through a raw syscall.
const XEN_X86_64_ABIS: &[&str] = &["xen-x86_64", "xen-x86_64-syscall"];

/// The QEMU firmware-service targets of one QEMU version.
macro_rules! qemu_targets {
    ($qemu:expr, $prefix:literal, $baseline:expr) => {
        [
            TargetSpec {
                name: concat!($prefix, "-aarch64"),
                summary: "QEMU's PSCI firmware over HVC to an EL1 guest (virt, cortex-a57)",
                arch: Some(Arch::Aarch64),
                backend: Backend::Qemu,
                boot: Some("aarch64-virt"),
                machine: Some(qemu_machine($qemu, "virt", "cortex-a57", "128M")),
                firmware: None,
                hypervisor: None,
                kernel: None,
                abis: QEMU_ARM64_ABIS,
                baseline: Some($baseline),
                admits: &[],
            },
            TargetSpec {
                name: concat!($prefix, "-arm"),
                summary: "QEMU's PSCI firmware over HVC to an SVC guest (virt, cortex-a15)",
                arch: Some(Arch::Arm),
                backend: Backend::Qemu,
                boot: Some("arm-virt"),
                machine: Some(qemu_machine($qemu, "virt", "cortex-a15", "128M")),
                firmware: None,
                hypervisor: None,
                kernel: None,
                abis: QEMU_ARM_ABIS,
                baseline: Some($baseline),
                admits: &[],
            },
            TargetSpec {
                name: concat!($prefix, "-s390x"),
                summary: "KVM's DIAGNOSE 0x500 as QEMU serves it (s390-ccw-virtio)",
                arch: Some(Arch::S390x),
                backend: Backend::Qemu,
                boot: Some("s390x-ccw"),
                machine: Some(qemu_machine($qemu, "s390-ccw-virtio", "qemu", "128M")),
                firmware: None,
                hypervisor: None,
                kernel: None,
                abis: &["kvm-s390x"],
                baseline: Some($baseline),
                admits: &[],
            },
            TargetSpec {
                name: concat!($prefix, "-ppc64"),
                summary: "PAPR hcalls (sc 1) as QEMU's pseries serves them",
                arch: Some(Arch::Ppc64),
                backend: Backend::Qemu,
                boot: Some("ppc64-pseries"),
                machine: Some(MachineSpec {
                    qemu: $qemu,
                    machine: "pseries",
                    cpu: "power9",
                    memory: "256M",
                    extra: PSERIES_EXTRA,
                }),
                firmware: None,
                hypervisor: None,
                kernel: None,
                abis: &["papr-ppc64"],
                baseline: Some($baseline),
                admits: &[],
            },
            TargetSpec {
                name: concat!($prefix, "-riscv64"),
                summary: "the OpenSBI QEMU bundles, over ecall to an S-mode guest (virt)",
                arch: Some(Arch::Riscv64),
                backend: Backend::Qemu,
                boot: Some("riscv64-virt"),
                machine: Some(qemu_machine($qemu, "virt", "rv64", "128M")),
                firmware: None,
                hypervisor: None,
                kernel: None,
                abis: &["sbi-riscv64"],
                baseline: Some($baseline),
                admits: &[],
            },
        ]
    };
}

const QEMU_7_2_TARGETS: [TargetSpec; 5] =
    qemu_targets!(QEMU_7_2, "qemu7.2", "baselines/qemu-7.2.json");
const QEMU_10_0_TARGETS: [TargetSpec; 5] =
    qemu_targets!(QEMU_10_0, "qemu10.0", "baselines/qemu-10.0.json");

/// A Xen target.
const fn xen(
    name: &'static str,
    summary: &'static str,
    arch: Arch,
    component: &'static str,
    image: &'static str,
    debug: bool,
    baseline: &'static str,
) -> TargetSpec {
    let (boot, machine, abis) = match arch {
        Arch::Aarch64 => (
            "xen-arm64",
            qemu_machine(
                QEMU_7_2,
                "virt,virtualization=on,gic-version=3",
                "cortex-a57",
                "1G",
            ),
            XEN_ARM64_ABIS,
        ),
        // Cortex-A57 implements AArch32 at EL1: Xen builds a 32-bit dom0 from a zImage.
        Arch::Arm => (
            "xen-arm32",
            qemu_machine(
                QEMU_7_2,
                "virt,virtualization=on,gic-version=3",
                "cortex-a57",
                "1G",
            ),
            XEN_ARM32_ABIS,
        ),
        _ => (
            "xen-x86_64",
            MachineSpec {
                extra: if debug { X86_DEBUG_XEN_EXTRA } else { &[] },
                ..qemu_machine(QEMU_7_2, "pc", "qemu64", "512M")
            },
            XEN_X86_64_ABIS,
        ),
    };
    TargetSpec {
        name,
        summary,
        arch: Some(arch),
        backend: Backend::Xen,
        boot: Some(boot),
        machine: Some(machine),
        firmware: None,
        hypervisor: Some(HypervisorSpec {
            component,
            image,
            debug,
            options: "",
        }),
        kernel: None,
        abis,
        baseline: Some(baseline),
        admits: &[],
    }
}

/// A debug x86 Xen under TCG fails one of its stub-recovery self-tests (`stub_selftest` in
/// xen/arch/x86/extable.c expects #SS for a non-canonical stack access; TCG raises #GP), and
/// `warning_print` (xen/common/warning.c) then counts down "3... 2... 1..." with `mdelay`, a
/// busy loop on the TSC, before dom0 starts: 3 s of host time and more under load. With QEMU's
/// instruction counter as the clock (`-icount shift=7`: each instruction advances virtual time
/// by 128 ns; `sleep=off`: an idle vCPU jumps to the next timer), the TSC and the timers Xen
/// calibrates it against follow the instructions executed, so the countdown's loop takes a few
/// milliseconds. Xen still fails the self-test and prints the warning: only the waiting goes.
const X86_DEBUG_XEN_EXTRA: &[&str] = &["-icount", "shift=7,sleep=off"];

/// Xen's options for a PVH dom0: `dom0=pvh`, and `dom0-iommu=none` (QEMU's pc has no IOMMU, and
/// without the option Xen panics: "iommu must be enabled for PVH hardware domain").
const PVH_XEN_OPTIONS: &str = "dom0=pvh dom0-iommu=none";

/// Xen x86 PVH, 64-bit: every call through the hypercall page Xen writes through the MSR of its
/// CPUID leaf, and through a raw `vmmcall` (AMD's instruction: QEMU emulates SVM, not VMX; the
/// `vmcall` ABIs are run on request and reported unavailable).
const XEN_X86_64_PVH_ABIS: &[&str] = &["xen-x86_64-hvm", "xen-x86_64-hvm-vmmcall"];
/// Xen x86 PVH, the 32-bit ABI from a compatibility-mode code segment of the 64-bit dom0.
const XEN_X86_PVH_ABIS: &[&str] = &["xen-x86-hvm", "xen-x86-hvm-vmmcall"];

/// A Xen target with the harness as PVH dom0: `arch` x86_64 for the 64-bit ABIs, x86 for the
/// 32-bit ones from compatibility mode (the same image). QEMU's CPU has SVM and NPT (Xen 4.20
/// has no shadow paging in Debian's build, so an HVM/PVH guest needs NPT).
const fn xen_pvh(
    name: &'static str,
    summary: &'static str,
    arch: Arch,
    component: &'static str,
    image: &'static str,
    debug: bool,
    baseline: &'static str,
) -> TargetSpec {
    TargetSpec {
        name,
        summary,
        arch: Some(arch),
        backend: Backend::Xen,
        boot: Some("xen-x86_64-pvh"),
        machine: Some(MachineSpec {
            extra: if debug { X86_DEBUG_XEN_EXTRA } else { &[] },
            ..qemu_machine(QEMU_7_2, "pc", "qemu64,+svm,+npt", "512M")
        }),
        firmware: None,
        hypervisor: Some(HypervisorSpec {
            component,
            image,
            debug,
            options: PVH_XEN_OPTIONS,
        }),
        kernel: None,
        abis: if matches!(arch, Arch::X86) {
            XEN_X86_PVH_ABIS
        } else {
            XEN_X86_64_PVH_ABIS
        },
        baseline: Some(baseline),
        admits: &[],
    }
}

/// The nested machine of the KVM/arm64 targets: QEMU emulates EL2 and GICv3; `-cpu max` with
/// the implementation-defined pointer-authentication algorithm (QARMA emulation makes `max`
/// about three times slower).
const KVM_ARM64_MACHINE: MachineSpec = qemu_machine(
    QEMU_7_2,
    "virt,virtualization=on,gic-version=3",
    "max,pauth-impdef=on",
    "1G",
);

/// What KVM/arm64 serves a guest: PSCI and the SMCCC 1.1 architecture calls over HVC and over
/// SMC (trapped to KVM), and KVM's vendor hypercalls.
const KVM_ARM64_ABIS: &[&str] = &[
    "psci-arm64",
    "smccc11-arm64",
    "psci-arm64-smc",
    "smccc11-arm64-smc",
    "kvm-arm64",
];

/// A KVM/arm64 target: `kernel` (component, image) in the KVM mode `cmdline` selects.
const fn kvm_arm64(
    name: &'static str,
    summary: &'static str,
    component: &'static str,
    image: &'static str,
    cmdline: &'static str,
    baseline: &'static str,
) -> TargetSpec {
    TargetSpec {
        name,
        summary,
        arch: Some(Arch::Aarch64),
        backend: Backend::Kvm,
        boot: Some("aarch64-kvm"),
        machine: Some(KVM_ARM64_MACHINE),
        firmware: None,
        hypervisor: None,
        kernel: Some(KernelSpec {
            component,
            image,
            modules: &[],
            cmdline,
            headers: None,
        }),
        abis: KVM_ARM64_ABIS,
        baseline: Some(baseline),
        admits: &[],
    }
}

/// Direct mode: the machine's own KVM on an x86_64 host (kvm_intel or kvm_amd), the harness at
/// CPL0 in 64-bit mode and at CPL3; the host vendor's instruction is native, the other one
/// patched by KVM.
const KVM_HOST_X86_64: TargetSpec = TargetSpec {
    name: "kvm-host-x86_64",
    summary: "this machine's own KVM x86 (/dev/kvm: kvm_intel or kvm_amd), the harness as its guest over vmcall and vmmcall, at CPL0 and CPL3; host dependent",
    arch: Some(Arch::X86_64),
    backend: Backend::KvmHost,
    boot: Some("x86_64-kvm"),
    machine: None,
    firmware: None,
    hypervisor: None,
    kernel: None,
    abis: &["kvm-x86_64-vmmcall", "kvm-x86_64", "kvm-x86_64-cpl3"],
    baseline: Some("baselines/kvm-host.json"),
    admits: &[],
};

/// Direct mode on an arm64 host: the machine's own KVM/arm64 in whatever mode it booted.
const KVM_HOST_ARM64: TargetSpec = TargetSpec {
    name: "kvm-host-arm64",
    summary:
        "this machine's own KVM/arm64 (/dev/kvm), the harness as its guest at EL1; host dependent",
    arch: Some(Arch::Aarch64),
    backend: Backend::KvmHost,
    boot: Some("aarch64-kvm"),
    machine: None,
    firmware: None,
    hypervisor: None,
    kernel: None,
    abis: KVM_ARM64_ABIS,
    baseline: Some("baselines/kvm-host.json"),
    admits: &[],
};

/// KVM RISC-V (a module in Debian's kernel) serves SBI to a VS-mode guest; QEMU emulates the H
/// extension.
const KVM_6_12_RISCV64: TargetSpec = TargetSpec {
    name: "kvm6.12-riscv64",
    summary: "KVM RISC-V of Debian's Linux 6.12 (kvm.ko; QEMU TCG emulates the H extension), its SBI over ecall to the harness in VS-mode",
    arch: Some(Arch::Riscv64),
    backend: Backend::Kvm,
    boot: Some("riscv64-kvm"),
    machine: Some(qemu_machine(QEMU_7_2, "virt", "rv64,h=true", "1G")),
    firmware: None,
    hypervisor: None,
    kernel: Some(KernelSpec {
        component: LINUX_6_12_RISCV64,
        image: "boot/vmlinux-6.12.117+deb13-riscv64",
        modules: &["usr/lib/modules/6.12.117+deb13-riscv64/kernel/arch/riscv/kvm/kvm.ko.xz"],
        cmdline: "",
        headers: None,
    }),
    abis: &["sbi-riscv64"],
    baseline: Some("baselines/kvm-6.12.json"),
    admits: &[],
};

/// The modules KVM on AMD needs in Debian's amd64 kernel, in dependency order (each one's
/// `depends=`: kvm needs irqbypass, kvm-amd needs kvm and ccp, the AMD Secure Processor driver
/// its SEV support calls).
const LINUX_6_12_AMD64_KVM_MODULES: &[&str] = &[
    "usr/lib/modules/6.12.117+deb13-amd64/kernel/virt/lib/irqbypass.ko.xz",
    "usr/lib/modules/6.12.117+deb13-amd64/kernel/drivers/crypto/ccp/ccp.ko.xz",
    "usr/lib/modules/6.12.117+deb13-amd64/kernel/arch/x86/kvm/kvm.ko.xz",
    "usr/lib/modules/6.12.117+deb13-amd64/kernel/arch/x86/kvm/kvm-amd.ko.xz",
];

/// KVM x86 on AMD SVM (QEMU TCG emulates SVM with nested paging): the harness in 64-bit long
/// mode at CPL0, over `vmmcall` (the native instruction) and `vmcall` (which KVM patches), and
/// at CPL3 (`kvm-x86_64-cpl3`: every number refused).
const KVM_6_12_X86_64: TargetSpec = TargetSpec {
    name: "kvm6.12-x86_64",
    summary: "KVM x86 of Debian's Linux 6.12 on AMD SVM (kvm-amd.ko; QEMU TCG emulates SVM and NPT), its hypercalls over vmmcall and vmcall to the harness in 64-bit mode at CPL0, and at CPL3",
    arch: Some(Arch::X86_64),
    backend: Backend::Kvm,
    boot: Some("x86_64-kvm"),
    machine: Some(qemu_machine(QEMU_7_2, "pc", "qemu64,+svm,+npt", "1G")),
    firmware: None,
    hypervisor: None,
    kernel: Some(KernelSpec {
        component: LINUX_6_12_AMD64,
        image: "boot/vmlinux-6.12.117+deb13-amd64",
        modules: LINUX_6_12_AMD64_KVM_MODULES,
        cmdline: "",
        headers: None,
    }),
    abis: &["kvm-x86_64-vmmcall", "kvm-x86_64", "kvm-x86_64-cpl3"],
    baseline: Some("baselines/kvm-6.12.json"),
    admits: &[],
};

/// The 32-bit x86 ABI under KVM x86: the same machine and harness image, the cases run from a
/// compatibility-mode code segment of the 64-bit harness (number, arguments and result cut to
/// 32 bits by KVM).
const KVM_6_12_X86_COMPAT: TargetSpec = TargetSpec {
    name: "kvm6.12-x86-compat",
    summary: "KVM x86 of Linux 6.12 on AMD SVM, its 32-bit hypercalls (vmcall and vmmcall) from a compatibility-mode code segment of the 64-bit harness",
    arch: Some(Arch::X86),
    abis: &["kvm-x86", "kvm-x86-vmmcall"],
    ..KVM_6_12_X86_64
};

/// Linux 6.1's modules for KVM on AMD: the same four, in bookworm's unmerged `lib/modules`.
const LINUX_6_1_AMD64_KVM_MODULES: &[&str] = &[
    "lib/modules/6.1.0-50-amd64/kernel/virt/lib/irqbypass.ko",
    "lib/modules/6.1.0-50-amd64/kernel/drivers/crypto/ccp/ccp.ko",
    "lib/modules/6.1.0-50-amd64/kernel/arch/x86/kvm/kvm.ko",
    "lib/modules/6.1.0-50-amd64/kernel/arch/x86/kvm/kvm-amd.ko",
];

/// KVM x86 of bookworm's Linux 6.1 on AMD SVM: the machine and harness of `kvm6.12-x86_64`.
const KVM_6_1_X86_64: TargetSpec = TargetSpec {
    name: "kvm6.1-x86_64",
    summary: "KVM x86 of Debian's Linux 6.1 on AMD SVM (kvm-amd.ko; QEMU TCG emulates SVM and NPT), its hypercalls over vmmcall and vmcall to the harness in 64-bit mode at CPL0, and at CPL3",
    kernel: Some(KernelSpec {
        component: LINUX_6_1_AMD64,
        image: "boot/vmlinux-6.1.0-50-amd64",
        modules: LINUX_6_1_AMD64_KVM_MODULES,
        cmdline: "",
        headers: None,
    }),
    baseline: Some("baselines/kvm-6.1.json"),
    admits: &[],
    ..KVM_6_12_X86_64
};

/// The 32-bit x86 ABI under Linux 6.1's KVM, from compatibility mode.
const KVM_6_1_X86_COMPAT: TargetSpec = TargetSpec {
    name: "kvm6.1-x86-compat",
    summary: "KVM x86 of Linux 6.1 on AMD SVM, its 32-bit hypercalls (vmcall and vmmcall) from a compatibility-mode code segment of the 64-bit harness",
    arch: Some(Arch::X86),
    abis: &["kvm-x86", "kvm-x86-vmmcall"],
    ..KVM_6_1_X86_64
};

/// The machine of the Linux HYP stub targets: QEMU emulates EL2 for a CPU without VHE
/// (Cortex-A57, ARMv8.0), so Linux boots at EL2, installs its stub vectors there and drops to
/// EL1; with `kvm-arm.mode=none` KVM never replaces them.
const HYP_STUB_ARM64_MACHINE: MachineSpec =
    qemu_machine(QEMU_7_2, "virt,virtualization=on", "cortex-a57", "1G");

/// What the stub may be asked on these targets although the spec calls it disruptive: with
/// KVM off no hypervisor is installed, so resetting the vectors changes nothing; without VHE
/// (Cortex-A57) `__finalise_el2` finds nothing to upgrade and returns (Linux
/// arch/arm64/kernel/hyp-stub.S).
const HYP_STUB_ARM64_ADMITS: &[Admit] = &[
    Admit {
        abi: "linux-hyp-stub-arm64",
        call: "reset_vectors",
        why: "kvm-arm.mode=none: no hypervisor installed, VBAR_EL2 already holds the stub vectors",
    },
    Admit {
        abi: "linux-hyp-stub-arm64",
        call: "finalise_el2",
        why: "Cortex-A57 has no VHE: the stub cannot move the CPU to EL2",
    },
];

/// A Linux HYP stub target: Debian's arm64 `kernel` (component, image) with KVM off, the
/// harness in a kernel module built against `headers`, calling the stub at EL2 from EL1.
const fn linux_hyp_stub_arm64(
    name: &'static str,
    summary: &'static str,
    component: &'static str,
    image: &'static str,
    headers: &'static str,
    baseline: &'static str,
) -> TargetSpec {
    TargetSpec {
        name,
        summary,
        arch: Some(Arch::Aarch64),
        backend: Backend::Kvm,
        boot: Some("aarch64-linux-module"),
        machine: Some(HYP_STUB_ARM64_MACHINE),
        firmware: None,
        hypervisor: None,
        kernel: Some(KernelSpec {
            component,
            image,
            modules: &[],
            cmdline: "kvm-arm.mode=none",
            headers: Some(headers),
        }),
        abis: &["linux-hyp-stub-arm64"],
        baseline: Some(baseline),
        admits: HYP_STUB_ARM64_ADMITS,
    }
}

const LINUX_6_12_ARM64_IMAGE: &str = "boot/vmlinuz-6.12.117+deb13-arm64";
const LINUX_6_1_ARM64_IMAGE: &str = "boot/vmlinuz-6.1.0-50-arm64";

/// The model targets, then every real target.
pub const TARGETS: &[TargetSpec] = &[
    TargetSpec {
        name: "model",
        summary: "in-process reference model of every ABI (a release hypervisor: leaves may-clobber registers alone)",
        arch: None,
        backend: Backend::Model { poisoning: false },
        boot: None,
        machine: None,
        firmware: None,
        hypervisor: None,
        kernel: None,
        abis: &[],
        baseline: None,
        admits: &[],
    },
    TargetSpec {
        name: "model-debug",
        summary: "reference model that poisons every may-clobber register (a debug hypervisor)",
        arch: None,
        backend: Backend::Model { poisoning: true },
        boot: None,
        machine: None,
        firmware: None,
        hypervisor: None,
        kernel: None,
        abis: &[],
        baseline: None,
        admits: &[],
    },
    QEMU_7_2_TARGETS[0],
    QEMU_7_2_TARGETS[1],
    QEMU_7_2_TARGETS[2],
    QEMU_7_2_TARGETS[3],
    QEMU_7_2_TARGETS[4],
    QEMU_10_0_TARGETS[0],
    QEMU_10_0_TARGETS[1],
    QEMU_10_0_TARGETS[2],
    QEMU_10_0_TARGETS[3],
    QEMU_10_0_TARGETS[4],
    TargetSpec {
        name: "qemu10.0-riscv64-opensbi1.6",
        summary: "OpenSBI 1.6 (Debian trixie's fw_dynamic as -bios) over ecall to an S-mode guest",
        arch: Some(Arch::Riscv64),
        backend: Backend::Qemu,
        boot: Some("riscv64-virt"),
        machine: Some(qemu_machine(QEMU_10_0, "virt", "rv64", "128M")),
        firmware: Some(FirmwareSpec {
            component: "opensbi-1.6",
            file: "usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
        }),
        hypervisor: None,
        kernel: None,
        abis: &["sbi-riscv64"],
        baseline: Some("baselines/opensbi-1.6.json"),
        admits: &[],
    },
    TargetSpec {
        name: "tfa2.12-aarch64",
        summary: "Trusted Firmware-A 2.12's BL31 (PSCI, SMCCC) over SMC from an EL1 guest (virt with EL3 and EL2, cortex-a57)",
        arch: Some(Arch::Aarch64),
        backend: Backend::Qemu,
        boot: Some("aarch64-tfa"),
        // TF-A's BL2 loads BL33 at 0x60000000: RAM must reach past it.
        machine: Some(qemu_machine(
            QEMU_7_2,
            "virt,secure=on,virtualization=on",
            "cortex-a57",
            "1G",
        )),
        firmware: Some(FirmwareSpec {
            component: "tfa-2.12",
            file: "qemu_fw.bios",
        }),
        hypervisor: None,
        kernel: None,
        abis: &["psci-arm64-smc", "smccc11-arm64-smc"],
        baseline: Some("baselines/tfa-2.12.json"),
        admits: &[],
    },
    TargetSpec {
        name: "qemu7.2-riscv64-opensbi1.6",
        summary: "OpenSBI 1.6 (Debian trixie's fw_dynamic as -bios) under QEMU 7.2, over ecall to an S-mode guest",
        arch: Some(Arch::Riscv64),
        backend: Backend::Qemu,
        boot: Some("riscv64-virt"),
        machine: Some(qemu_machine(QEMU_7_2, "virt", "rv64", "128M")),
        firmware: Some(FirmwareSpec {
            component: "opensbi-1.6",
            file: "usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
        }),
        hypervisor: None,
        kernel: None,
        abis: &["sbi-riscv64"],
        baseline: Some("baselines/opensbi-1.6.json"),
        admits: &[],
    },
    xen(
        "xen4.17-arm64",
        "Xen 4.17 (Debian's release build) on QEMU virt, the harness as arm64 dom0: hvc #0xEA1 and Xen's SMCCC on hvc #0",
        Arch::Aarch64,
        "xen-4.17-arm64",
        "xen",
        false,
        "baselines/xen-4.17.json",
    ),
    xen(
        "xen4.17-arm64-debug",
        "Xen 4.17 debug build (poisons used argument registers) on QEMU virt, arm64 dom0",
        Arch::Aarch64,
        "xen-4.17-arm64-debug",
        "xen",
        true,
        "baselines/xen-4.17.json",
    ),
    xen(
        "xen4.17-x86_64",
        "Xen 4.17 (Debian's release build) on QEMU pc, the harness as 64-bit PV dom0: hypercall page and raw syscall",
        Arch::X86_64,
        "xen-4.17-amd64",
        "xen",
        false,
        "baselines/xen-4.17.json",
    ),
    xen(
        "xen4.17-x86_64-debug",
        "Xen 4.17 debug build (poisons used argument registers) on QEMU pc, 64-bit PV dom0",
        Arch::X86_64,
        "xen-4.17-amd64-debug",
        "xen",
        true,
        "baselines/xen-4.17.json",
    ),
    xen(
        "xen4.17-arm32",
        "Xen 4.17 (Debian's release build) on QEMU virt (cortex-a57), the harness as AArch32 dom0 (zImage): hvc #0xEA1 with r12, Xen's SMCCC on hvc #0",
        Arch::Arm,
        "xen-4.17-arm64",
        "xen",
        false,
        "baselines/xen-4.17.json",
    ),
    xen(
        "xen4.17-arm32-debug",
        "Xen 4.17 debug build (poisons r12 and the used argument registers) on QEMU virt, AArch32 dom0",
        Arch::Arm,
        "xen-4.17-arm64-debug",
        "xen",
        true,
        "baselines/xen-4.17.json",
    ),
    xen(
        "xen4.20-arm64",
        "Xen 4.20 (Debian trixie's release build) on QEMU virt, the harness as arm64 dom0",
        Arch::Aarch64,
        "xen-4.20-arm64",
        "xen",
        false,
        "baselines/xen-4.20.json",
    ),
    xen(
        "xen4.20-arm32",
        "Xen 4.20 (Debian trixie's release build) on QEMU virt, the harness as AArch32 dom0",
        Arch::Arm,
        "xen-4.20-arm64",
        "xen",
        false,
        "baselines/xen-4.20.json",
    ),
    xen(
        "xen4.20-x86_64",
        "Xen 4.20 (Debian trixie's release build) on QEMU pc, the harness as 64-bit PV dom0",
        Arch::X86_64,
        "xen-4.20-amd64",
        "xen",
        false,
        "baselines/xen-4.20.json",
    ),
    xen_pvh(
        "xen4.17-x86_64-pvh",
        "Xen 4.17 (Debian's release build) on QEMU pc with SVM and NPT, the harness as 64-bit PVH dom0: the hypercall page from the CPUID-named MSR and raw vmmcall",
        Arch::X86_64,
        "xen-4.17-amd64",
        "xen",
        false,
        "baselines/xen-4.17.json",
    ),
    xen_pvh(
        "xen4.17-x86_64-pvh-debug",
        "Xen 4.17 debug build (poisons used argument registers) on QEMU pc with SVM and NPT, 64-bit PVH dom0",
        Arch::X86_64,
        "xen-4.17-amd64-debug",
        "xen",
        true,
        "baselines/xen-4.17.json",
    ),
    xen_pvh(
        "xen4.20-x86_64-pvh",
        "Xen 4.20 (Debian trixie's release build) on QEMU pc with SVM and NPT, 64-bit PVH dom0",
        Arch::X86_64,
        "xen-4.20-amd64",
        "xen",
        false,
        "baselines/xen-4.20.json",
    ),
    xen_pvh(
        "xen4.17-x86-pvh",
        "Xen 4.17 (Debian's release build), the 32-bit ABI from a compatibility-mode code segment of the PVH dom0: the hypercall page and raw vmmcall",
        Arch::X86,
        "xen-4.17-amd64",
        "xen",
        false,
        "baselines/xen-4.17.json",
    ),
    xen_pvh(
        "xen4.17-x86-pvh-debug",
        "Xen 4.17 debug build (poisons the used 32-bit argument registers), the 32-bit ABI from compatibility mode of the PVH dom0",
        Arch::X86,
        "xen-4.17-amd64-debug",
        "xen",
        true,
        "baselines/xen-4.17.json",
    ),
    xen_pvh(
        "xen4.20-x86-pvh",
        "Xen 4.20 (Debian trixie's release build), the 32-bit ABI from compatibility mode of the PVH dom0",
        Arch::X86,
        "xen-4.20-amd64",
        "xen",
        false,
        "baselines/xen-4.20.json",
    ),
    kvm_arm64(
        "kvm6.12-arm64",
        "KVM/arm64 of Debian's Linux 6.12 in VHE mode (nested under QEMU TCG), the harness as its guest at EL1",
        LINUX_6_12_ARM64,
        LINUX_6_12_ARM64_IMAGE,
        "",
        "baselines/kvm-6.12.json",
    ),
    kvm_arm64(
        "kvm6.12-arm64-nvhe",
        "KVM/arm64 of Linux 6.12 in nVHE mode (kvm-arm.mode=nvhe: KVM's hyp code alone at EL2)",
        LINUX_6_12_ARM64,
        LINUX_6_12_ARM64_IMAGE,
        "kvm-arm.mode=nvhe",
        "baselines/kvm-6.12.json",
    ),
    kvm_arm64(
        "kvm6.12-arm64-protected",
        "KVM/arm64 of Linux 6.12 in protected mode (kvm-arm.mode=protected: pKVM at EL2)",
        LINUX_6_12_ARM64,
        LINUX_6_12_ARM64_IMAGE,
        "kvm-arm.mode=protected",
        "baselines/kvm-6.12.json",
    ),
    KVM_6_12_RISCV64,
    KVM_6_12_X86_64,
    KVM_6_12_X86_COMPAT,
    linux_hyp_stub_arm64(
        "linux6.12-arm64-hyp-stub",
        "The HYP stub Debian's Linux 6.12 leaves at EL2 (Cortex-A57 without VHE, kvm-arm.mode=none), called over hvc #0 by a kernel module at EL1",
        LINUX_6_12_ARM64,
        LINUX_6_12_ARM64_IMAGE,
        LINUX_HEADERS_6_12_ARM64,
        "baselines/linux-6.12.json",
    ),
    kvm_arm64(
        "kvm6.1-arm64",
        "KVM/arm64 of Debian's Linux 6.1 in VHE mode (nested under QEMU TCG), the harness as its guest at EL1",
        LINUX_6_1_ARM64,
        LINUX_6_1_ARM64_IMAGE,
        "",
        "baselines/kvm-6.1.json",
    ),
    kvm_arm64(
        "kvm6.1-arm64-nvhe",
        "KVM/arm64 of Linux 6.1 in nVHE mode (kvm-arm.mode=nvhe)",
        LINUX_6_1_ARM64,
        LINUX_6_1_ARM64_IMAGE,
        "kvm-arm.mode=nvhe",
        "baselines/kvm-6.1.json",
    ),
    kvm_arm64(
        "kvm6.1-arm64-protected",
        "KVM/arm64 of Linux 6.1 in protected mode (kvm-arm.mode=protected)",
        LINUX_6_1_ARM64,
        LINUX_6_1_ARM64_IMAGE,
        "kvm-arm.mode=protected",
        "baselines/kvm-6.1.json",
    ),
    KVM_6_1_X86_64,
    KVM_6_1_X86_COMPAT,
    KVM_HOST_X86_64,
    KVM_HOST_ARM64,
    TargetSpec {
        name: "linux6.1-arm-hyp-stub",
        summary: "The HYP stub Debian's 32-bit Linux 6.1 (armmp) leaves in HYP mode (Cortex-A15), called over hvc #0 by a kernel module in SVC mode",
        arch: Some(Arch::Arm),
        backend: Backend::Kvm,
        boot: Some("arm-linux-module"),
        machine: Some(qemu_machine(
            QEMU_7_2,
            "virt,virtualization=on",
            "cortex-a15",
            "1G",
        )),
        firmware: None,
        hypervisor: None,
        kernel: Some(KernelSpec {
            component: LINUX_6_1_ARMHF,
            image: "boot/vmlinuz-6.1.0-50-armmp",
            modules: &[],
            cmdline: "",
            headers: Some(LINUX_HEADERS_6_1_ARMHF),
        }),
        abis: &["linux-hyp-stub-arm"],
        baseline: Some("baselines/linux-6.1.json"),
        admits: &[Admit {
            abi: "linux-hyp-stub-arm",
            call: "reset_vectors",
            why: "removed from the arm stub with KVM/arm32 (Linux 5.7): answered HVC_STUB_ERR, nothing reset",
        }],
    },
    linux_hyp_stub_arm64(
        "linux6.1-arm64-hyp-stub",
        "The HYP stub Debian's Linux 6.1 leaves at EL2 (Cortex-A57 without VHE, kvm-arm.mode=none), called over hvc #0 by a kernel module at EL1",
        LINUX_6_1_ARM64,
        LINUX_6_1_ARM64_IMAGE,
        LINUX_HEADERS_6_1_ARM64,
        "baselines/linux-6.1.json",
    ),
];

/// The target names, in catalogue order.
pub fn names() -> Vec<&'static str> {
    TARGETS.iter().map(|t| t.name).collect()
}

/// The baseline files of the catalogue, each with its targets, in catalogue order.
pub fn baselines() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for t in TARGETS {
        let Some(b) = t.baseline else { continue };
        match out.iter_mut().find(|(f, _)| *f == b) {
            Some((_, names)) => names.push(t.name),
            None => out.push((b, vec![t.name])),
        }
    }
    out
}

/// The catalogue as a Markdown page (`docs/catalogue/targets.md`, written by `cargo xtask
/// codegen`).
pub fn markdown() -> String {
    let mut s = String::from(
        "<!-- generated by `cargo xtask codegen` from runners/src/catalog.rs; do not edit -->\n\n",
    );
    s += "# Targets\n\n";
    s += "Every target of `hyperabi run --target`. Names: `<implementation><version>-<arch>[-<variant>]`, \
          the implementation being what answers the calls. `cargo xtask test` gates each against its \
          baseline; `cargo xtask conform` runs them all.\n\n";
    s += "| target | answers the calls | machine | guest | ABIs | baseline |\n";
    s += "|---|---|---|---|---|---|\n";
    for t in TARGETS {
        let machine = t
            .machine
            .map(|m| format!("`-M {} -cpu {} -m {}`", m.machine, m.cpu, m.memory))
            .unwrap_or_else(|| "in-process".into());
        let abis = if t.abis.is_empty() {
            "every ABI".to_string()
        } else {
            t.abis
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        s += &format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            t.name,
            t.summary,
            machine,
            t.boot.map_or("-".to_string(), |b| format!("`{b}`")),
            abis,
            t.baseline.map_or("-".to_string(), |b| format!("`{b}`")),
        );
    }
    s += "\n## Components\n\n";
    s += "What setup fetches or builds (`target/components/<id>/`, pinned here) or installs with apt.\n\n";
    s += "| id | what | origin |\n|---|---|---|\n";
    for c in COMPONENTS {
        s += &format!(
            "| `{}` | {} {} ({}) | {} |\n",
            c.id,
            c.name,
            c.version,
            c.role.name(),
            c.provenance()
        );
    }
    s += "\n## Guest boot environments\n\n";
    s += "Built by `cargo xtask guests` from `runners/guest` into `target/guest-<name>/`.\n\n";
    s += "| name | arch | Rust target | features | loaded as | plan at |\n|---|---|---|---|---|---|\n";
    for b in BOOT_ENVS {
        s += &format!(
            "| `{}` | {} | `{}` | {} | {:?} | {} |\n",
            b.name,
            b.arch.name(),
            b.rust_target,
            if b.features.is_empty() {
                "-"
            } else {
                b.features
            },
            b.load,
            if b.load == Load::KernelModule {
                "`/proc/hyperabi`".to_string()
            } else if b.plan_addr == 0 {
                "boot module".to_string()
            } else {
                format!("`{:#x}`", b.plan_addr)
            }
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--qemu`/`--xen` name the machine's arch: arm64 for the AArch32 dom0s, whose guest arch
    /// is arm; the guest's arch for a QEMU arm target.
    #[test]
    fn an_aarch32_dom0_runs_on_an_aarch64_machine() {
        for (name, arch, machine) in [
            ("xen4.17-arm32", Arch::Arm, Arch::Aarch64),
            ("xen4.20-arm32", Arch::Arm, Arch::Aarch64),
            ("xen4.17-arm64", Arch::Aarch64, Arch::Aarch64),
            ("qemu7.2-arm", Arch::Arm, Arch::Arm),
        ] {
            let t = TargetSpec::get(name).unwrap();
            assert_eq!(
                (t.arch, t.machine_arch()),
                (Some(arch), Some(machine)),
                "{name}"
            );
        }
    }

    #[test]
    fn names_are_unique_and_regular() {
        let mut seen = std::collections::BTreeSet::new();
        for t in TARGETS {
            assert!(seen.insert(t.name), "{} twice", t.name);
            assert!(
                t.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c)),
                "{}",
                t.name
            );
        }
    }

    #[test]
    fn references_resolve() {
        for t in TARGETS {
            let _ = t.components();
            if let Some(b) = t.boot_env() {
                // A 64-bit x86 image also runs the 32-bit ABIs, from a compatibility-mode
                // code segment (kvm6.12-x86-compat).
                let compat = b.arch == Arch::X86_64 && t.arch == Some(Arch::X86);
                assert!(
                    Some(b.arch) == t.arch || compat,
                    "{}: boot environment arch {} for a target of {:?}",
                    t.name,
                    b.arch,
                    t.arch
                );
            }
            assert_eq!(
                t.backend == Backend::Model { poisoning: false }
                    || t.backend == Backend::Model { poisoning: true },
                t.boot.is_none(),
                "{}: every real target boots an image",
                t.name
            );
        }
        let mut ids = std::collections::BTreeSet::new();
        for t in TARGETS {
            // A kernel module is built against the headers of the kernel it loads into.
            let k = t
                .kernel
                .filter(|_| t.boot_env().is_some_and(|b| b.load == Load::KernelModule));
            if let Some(k) = k {
                let headers = Component::get(k.headers.expect("a module target names headers"))
                    .expect("known headers component");
                let kernel = Component::get(k.component).unwrap();
                assert_eq!(headers.version, kernel.version, "{}", t.name);
            }
        }
        for c in COMPONENTS {
            assert!(ids.insert(c.id), "component {} twice", c.id);
        }
    }
}
