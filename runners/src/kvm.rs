//! KVM targets: Linux's KVM as the hypervisor, the guest harness as its guest. QEMU (TCG, which
//! emulates EL2, the RISC-V H extension and AMD SVM) boots the target's kernel with an initramfs
//! written here per plan: hyperabi's VMM (`runners/vmm`) as `/init`, the harness ELF, the plan,
//! `/vmm.args` and the modules KVM needs. The VMM runs the harness in a VM laid out like QEMU's
//! `virt` and forwards its console bytes unchanged; its own `hyperabi-vmm:` lines (the kernel's
//! banner, KVM's initialisation lines, how the run ended) come before and after them.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::catalog::{module_file, vmm_binary, BootEnv, Component, KernelSpec, Load, TargetSpec};
use crate::error::Error;
use crate::identity::{ComponentInfo, Identity, Role};
use crate::machine::{self, file_arg, Console, End, Limits, QemuBinary, Results};
use crate::{Execution, Overrides, Runner};

/// Limits of one boot: the kernel needs 2–4 s under TCG before the VMM starts, and a protected
/// KVM takes up to 85 µs per exit.
pub const LIMITS: Limits = Limits {
    boot: Duration::from_secs(90),
    first_output: Duration::from_secs(20),
    idle: Some(Duration::from_secs(15)),
};

/// Every VMM line starts so.
const VMM: &str = "hyperabi-vmm: ";

/// The kernel a KVM target boots: the catalogue's, or the user's (`--kernel ARCH=PATH`).
#[derive(Clone, Debug)]
struct Kernel {
    image: PathBuf,
    modules: Vec<PathBuf>,
    /// Package provenance, or `user: PATH`.
    source: String,
}

#[derive(Clone, Debug)]
struct Setup {
    qemu: QemuBinary,
    env: &'static BootEnv,
    kernel: Kernel,
    vmm: PathBuf,
    harness: PathBuf,
}

/// A KVM target of the catalogue as a [`Runner`].
pub struct KvmRunner {
    spec: &'static TargetSpec,
    setup: Result<Setup, Error>,
    /// When a boot is given up.
    pub limits: Limits,
    /// Where initramfs files and console logs go.
    pub work_dir: PathBuf,
}

fn kernel_spec(spec: &'static TargetSpec) -> &'static KernelSpec {
    spec.kernel.as_ref().expect("a KVM target names its kernel")
}

fn unavailable(what: String, how: &str) -> Error {
    Error::Unavailable {
        what,
        how: how.into(),
    }
}

fn setup(spec: &'static TargetSpec, overrides: &Overrides) -> Result<Setup, Error> {
    let env = spec
        .boot_env()
        .expect("a KVM target has a boot environment");
    let m = spec.machine.expect("a KVM target has a machine");
    let k = kernel_spec(spec);
    let qemu = QemuBinary::resolve(
        env.arch,
        Component::get(m.qemu).expect("catalogue component"),
        overrides.qemu(env.arch),
    )?;
    let kernel = match overrides.kernel(env.arch) {
        Some(p) if env.load == Load::KernelModule => {
            return Err(unavailable(
                format!("--kernel {}: hyperabi's module is built against Debian's headers of the catalogue's kernel", p.display()),
                "drop --kernel for this target",
            ))
        }
        Some(p) => Kernel {
            image: p.to_path_buf(),
            // A user's kernel brings its KVM built in (or the catalogue's modules would not
            // load into it).
            modules: vec![],
            source: format!("user: {}", p.display()),
        },
        None => {
            let c = Component::get(k.component).expect("catalogue component");
            Kernel {
                image: c.file(k.image),
                modules: (0..k.modules.len())
                    .map(|i| c.file(&k.module_file(i)))
                    .collect(),
                source: c.provenance(),
            }
        }
    };
    for f in std::iter::once(&kernel.image).chain(&kernel.modules) {
        if !f.is_file() {
            return Err(unavailable(
                format!("no kernel file {}", f.display()),
                "run `cargo xtask setup`, or pass --kernel ARCH=PATH",
            ));
        }
    }
    let vmm = vmm_binary(env.arch).expect("a KVM arch has a VMM");
    let harness = match (env.load, k.headers) {
        (Load::KernelModule, Some(headers)) => module_file(env, headers),
        _ => env.elf(),
    };
    for (f, what) in [(&vmm, "the VMM"), (&harness, "the guest image")] {
        if !f.is_file() {
            return Err(unavailable(
                format!("no {what} at {}", f.display()),
                &format!("build it with: cargo xtask guests --arch {}", env.name),
            ));
        }
    }
    Ok(Setup {
        qemu,
        env,
        kernel,
        vmm,
        harness,
    })
}

/// The initramfs the kernel unpacks: `/init` (the VMM), the harness, the plan, its arguments,
/// the modules, and the directories and console node `/init` needs before `/dev` is mounted.
///
/// With `module` the harness is hyperabi's kernel module (`runners/module`): it goes last into
/// `/modules` (`99-hyperabi.ko`), and `/vmm.args` says `mode=module`.
pub fn initramfs(
    vmm: &[u8],
    harness: &[u8],
    plan_blob: &[u8],
    plan_addr: u64,
    modules: &[(String, Vec<u8>)],
    module: bool,
) -> std::io::Result<Vec<u8>> {
    use cpio::newc::Builder;
    let mut args = format!("plan_addr={plan_addr:#x}\n");
    let mut modules = modules.to_vec();
    if module {
        args.push_str("mode=module\n");
        modules.push(("99-hyperabi.ko".into(), harness.to_vec()));
    }
    let harness = if module { &[][..] } else { harness };
    let mut entries: Vec<(Builder, Vec<u8>)> = vec![
        (Builder::new("dev").mode(0o040755), vec![]),
        (Builder::new("proc").mode(0o040755), vec![]),
        (Builder::new("modules").mode(0o040755), vec![]),
        (
            Builder::new("dev/console")
                .mode(0o020600)
                .rdev_major(5)
                .rdev_minor(1),
            vec![],
        ),
        (Builder::new("init").mode(0o100755), vmm.to_vec()),
        (Builder::new("harness.elf").mode(0o100644), harness.to_vec()),
        (Builder::new("plan.bin").mode(0o100644), plan_blob.to_vec()),
        (Builder::new("vmm.args").mode(0o100644), args.into_bytes()),
    ];
    for (name, bytes) in &modules {
        entries.push((
            Builder::new(&format!("modules/{name}")).mode(0o100644),
            bytes.clone(),
        ));
    }
    let mut out = Vec::new();
    for (i, (b, data)) in entries.into_iter().enumerate() {
        let mut w = b
            .ino(i as u32 + 1)
            .nlink(1)
            .write(&mut out, data.len() as u32);
        w.write_all(&data)?;
        w.finish()?;
    }
    cpio::newc::trailer(&mut out)?;
    Ok(out)
}

/// What the VMM said about the host (its `hyperabi-vmm:` lines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostReport {
    /// `/proc/version`: "Linux version 6.12.117+deb13-arm64 (...) #1 SMP Debian 6.12.117-1 (...)".
    pub kernel_banner: Option<String>,
    /// KVM's mode line: "VHE mode initialized successfully", "hypervisor extension available",
    /// "kvm_amd: Nested Paging enabled".
    pub kvm_mode: Option<String>,
    /// Every KVM line of the kernel log.
    pub kvm_log: Vec<String>,
    /// "end: ..." (the guest powered off) or the VMM's "error: ...".
    pub end: Option<Result<String, String>>,
    /// The witness hypercall: "vmmcall 0xffff answered 0xfffffffffffffc18, `hypercalls` +1:
    /// KVM handled it".
    pub witness: Option<String>,
    /// How many hypercalls KVM counted during the run: "251 handled by KVM (`hypercalls`)".
    pub hypercalls: Option<String>,
    /// Where the kernel and hyperabi's module run (the Linux HYP stub targets): "CPU: All CPU(s)
    /// started at EL2", "KVM disabled from command line", "hyperabi: module at EL1 (CurrentEL
    /// 0x4); hvc #0 goes to EL2".
    pub exception_levels: Vec<String>,
}

impl HostReport {
    /// Reads the VMM's lines out of the console text.
    pub fn parse(text: &str) -> HostReport {
        let mut r = HostReport::default();
        for line in text.lines() {
            let Some(rest) = line.trim_end_matches('\r').strip_prefix(VMM) else {
                continue;
            };
            if let Some(v) = rest.strip_prefix("kernel: ") {
                r.kernel_banner = Some(v.to_string());
            } else if let Some(v) = rest.strip_prefix("log: ") {
                if v.contains("started at EL")
                    || v.contains("started in HYP mode")
                    || v.starts_with("hyperabi: module at EL")
                {
                    r.exception_levels.push(v.to_string());
                    continue;
                }
                let v = v.strip_prefix("kvm [1]: ").unwrap_or(v);
                if v == "KVM disabled from command line" {
                    // kvm-arm.mode=none: whatever answers at EL2 is not KVM.
                    r.exception_levels.push(v.to_string());
                }
                let l = v.to_ascii_lowercase();
                if l.contains("mode initialized")
                    || l.contains("hypervisor extension available")
                    || l.contains("kvm_amd: nested paging")
                {
                    r.kvm_mode = Some(v.to_string());
                }
                r.kvm_log.push(v.to_string());
            } else if let Some(v) = rest.strip_prefix("witness: ") {
                r.witness = Some(v.to_string());
            } else if let Some(v) = rest.strip_prefix("hypercalls: ") {
                r.hypercalls = Some(v.to_string());
            } else if let Some(v) = rest.strip_prefix("end: ") {
                r.end = Some(Ok(v.to_string()));
            } else if let Some(v) = rest.strip_prefix("error: ") {
                r.end = Some(Err(v.to_string()));
            }
        }
        r
    }

    /// The witness and the run's hypercall count as report details.
    pub fn push_counts(&self, details: &mut Vec<(String, String)>) {
        if let Some(w) = &self.witness {
            details.push(("kvm_witness".into(), w.clone()));
        }
        if let Some(n) = &self.hypercalls {
            details.push(("kvm_hypercalls".into(), n.clone()));
        }
    }

    /// The kernel's version and the rest of its banner: ("6.12.117+deb13-arm64", "#1 SMP Debian
    /// 6.12.117-1 (2026-11-12)").
    pub fn kernel_version(&self) -> Option<(String, String)> {
        let b = self.kernel_banner.as_deref()?;
        let rest = b.strip_prefix("Linux version ")?;
        let (version, build) = rest.split_once(' ').unwrap_or((rest, ""));
        // The build is what follows the compiler's parentheses: "#1 SMP Debian 6.12.117-1 (...)".
        let build = build.find(" #").map_or(build, |i| &build[i + 1..]);
        Some((version.to_string(), build.trim().to_string()))
    }
}

impl KvmRunner {
    /// The runner of `spec` (a `Backend::Kvm` target), with the user's builds in `overrides`.
    pub fn new(spec: &'static TargetSpec, overrides: &Overrides) -> KvmRunner {
        KvmRunner {
            spec,
            setup: setup(spec, overrides),
            limits: LIMITS,
            work_dir: crate::catalog::workspace().join("target/kvm"),
        }
    }

    /// Its catalogue entry.
    pub fn spec(&self) -> &'static TargetSpec {
        self.spec
    }

    fn args(&self, s: &Setup, initrd: &Path) -> Result<Vec<OsString>, Error> {
        let m = self.spec.machine.expect("a KVM target has a machine");
        let k = kernel_spec(self.spec);
        let console = match s.env.arch {
            abi_spec::Arch::Aarch64 | abi_spec::Arch::Arm => "ttyAMA0",
            _ => "ttyS0",
        };
        let cmdline = format!(
            "console={console} rdinit=/init panic=-1 quiet {}",
            k.cmdline
        );
        let mut a: Vec<OsString> = Vec::new();
        for x in ["-M", m.machine, "-cpu", m.cpu, "-m", m.memory] {
            a.push(x.into());
        }
        for x in [
            "-display",
            "none",
            "-nodefaults",
            "-no-reboot",
            "-serial",
            "stdio",
        ] {
            a.push(x.into());
        }
        for x in m.extra {
            a.push(x.into());
        }
        a.push("-kernel".into());
        a.push(file_arg(&s.kernel.image)?.into());
        a.push("-initrd".into());
        a.push(file_arg(initrd)?.into());
        a.push("-append".into());
        a.push(cmdline.trim().into());
        Ok(a)
    }

    fn identity(&self, s: &Setup, host: &HostReport) -> Identity {
        let mut components = vec![s.qemu.info.clone()];
        let k = Component::get(kernel_spec(self.spec).component).expect("catalogue component");
        let (version, build) = host
            .kernel_version()
            .map(|(v, b)| (v, Some(b)))
            .unwrap_or_else(|| (format!("{} (not booted)", k.version), None));
        components.push(ComponentInfo {
            role: Role::Kernel,
            name: "Linux".into(),
            version,
            build,
            source: s.kernel.source.clone(),
        });
        let m = self.spec.machine.expect("a KVM target has a machine");
        let accelerator = if s.env.load == Load::KernelModule {
            // No KVM: the kernel's own stub at EL2 answers, as the kernel and the module say.
            match host.exception_levels.as_slice() {
                [] => "tcg: Linux's HYP stub at EL2".into(),
                lines => format!("tcg: Linux's HYP stub at EL2 ({})", lines.join("; ")),
            }
        } else {
            match &host.kvm_mode {
                Some(mode) => format!("kvm nested in tcg: {mode}"),
                None => "kvm nested in tcg".into(),
            }
        };
        Identity {
            components,
            machine: Some(m.machine.into()),
            cpu: Some(m.cpu.into()),
            accelerator,
        }
    }

    fn boot_raw(&self, s: &Setup, plan: &[u8]) -> Result<(Console, Results), Error> {
        let id = machine::run_id(self.spec.name);
        let io = |path: &Path, e: std::io::Error| Error::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        };
        std::fs::create_dir_all(&self.work_dir).map_err(|e| io(&self.work_dir, e))?;
        let read = |p: &Path| std::fs::read(p).map_err(|e| io(p, e));
        let modules = s
            .kernel
            .modules
            .iter()
            .map(|m| {
                let name = m.file_name().unwrap_or_default().to_string_lossy().into();
                Ok((name, read(m)?))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let initrd = self.work_dir.join(format!("{id}.initrd"));
        let bytes = initramfs(
            &read(&s.vmm)?,
            &read(&s.harness)?,
            &crate::frame::plan_blob(plan),
            s.env.plan_addr,
            &modules,
            s.env.load == Load::KernelModule,
        )
        .map_err(|e| io(&initrd, e))?;
        std::fs::write(&initrd, bytes).map_err(|e| io(&initrd, e))?;
        let args = self.args(s, &initrd)?;
        let log = self.work_dir.join(format!("{id}.console"));
        let console = machine::run(&s.qemu, &args, self.limits, &log, &mut |_, _| false);
        let _ = std::fs::remove_file(&initrd);
        let console = console?;
        let results = machine::read_results(&console.bytes, s.env.arch, &log);
        Ok((console, results))
    }
}

/// Fills `ex` from a VMM's console (nested or on the host): the records, when the first came,
/// and the VMM's verdict on the run first (a stream cut short by a VMM error is that error);
/// the console log goes when the run was clean.
pub(crate) fn finish(
    ex: &mut Execution,
    console: &Console,
    results: Results,
    host: &HostReport,
    limits: Limits,
    text: String,
) {
    ex.records = results.records();
    ex.first_result = results.first_frame.and_then(|o| console.time_at(o));
    ex.error = end_error(console, &results, host, limits).or(results.problem);
    if ex.error.is_none() {
        let _ = std::fs::remove_file(&console.log);
    }
    ex.console_log = text;
}

/// Why a run that did not end with the VMM's "end:" line failed, from the most telling sign:
/// the VMM's own error, a kernel panic, a kernel that never reached `/init`, then how QEMU ended.
fn end_error(
    console: &Console,
    results: &Results,
    host: &HostReport,
    limits: Limits,
) -> Option<Error> {
    let log = console.log.clone();
    let text = String::from_utf8_lossy(&results.text);
    match &host.end {
        Some(Ok(_)) => return None,
        Some(Err(message)) => {
            return Some(Error::Vmm {
                message: message.clone(),
                log,
            })
        }
        None => {}
    }
    if let Some(i) = text.find("Kernel panic - not syncing") {
        let line = text[i..].lines().next().unwrap_or_default().to_string();
        return Some(Error::Panic { message: line, log });
    }
    let frames = results.data.len() + usize::from(results.hello.is_some());
    if host.kernel_banner.is_none() && frames == 0 {
        return Some(Error::NotBooted {
            reason: "the kernel never started /init (no hyperabi-vmm line on the console)".into(),
            stderr: console.stderr.clone(),
            log,
        });
    }
    match console.end {
        End::Exited(status) if status.success() => Some(Error::Vmm {
            message: "the machine powered off without the VMM's end line".into(),
            log,
        }),
        End::Exited(status) => Some(Error::Died {
            status: machine::describe(status),
            stderr: console.stderr.clone(),
            log,
        }),
        End::Timeout | End::Stopped => Some(Error::Timeout {
            after: console.wall,
            frames,
            stderr: console.stderr.clone(),
            log,
        }),
        End::Silent => Some(Error::Silent {
            after: console.wall,
            stderr: console.stderr.clone(),
            log,
        }),
        End::Idle => Some(Error::Hang {
            idle: limits.idle.unwrap_or_default(),
            frames,
            log,
        }),
    }
}

impl Runner for KvmRunner {
    fn name(&self) -> &str {
        self.spec.name
    }

    fn arch(&self) -> Option<abi_spec::Arch> {
        self.spec.arch
    }

    fn availability(&self) -> Result<(), Error> {
        self.setup.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    fn execute(&mut self, plan: &[u8]) -> Execution {
        let mut ex = Execution::default();
        let start = std::time::Instant::now();
        let s = match &self.setup {
            Ok(s) => s.clone(),
            Err(e) => {
                ex.error = Some(e.clone());
                return ex;
            }
        };
        ex.identity = self.identity(&s, &HostReport::default());
        match self.boot_raw(&s, plan) {
            Ok((console, results)) => {
                let text = String::from_utf8_lossy(&results.text).into_owned();
                let host = HostReport::parse(&text);
                ex.identity = self.identity(&s, &host);
                if let Some(b) = &host.kernel_banner {
                    ex.details.push(("kernel_banner".into(), b.clone()));
                }
                if let Some(m) = &host.kvm_mode {
                    ex.details.push(("kvm_mode".into(), m.clone()));
                }
                host.push_counts(&mut ex.details);
                for l in &host.exception_levels {
                    ex.details.push(("exception_level".into(), l.clone()));
                }
                finish(&mut ex, &console, results, &host, self.limits, text);
            }
            Err(e) => ex.error = Some(e),
        }
        ex.elapsed = start.elapsed();
        ex
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vmm_lines_name_kernel_mode_and_end() {
        let text = "[    3.4] Run /init as init process\n\
            hyperabi-vmm: kernel: Linux version 6.12.117+deb13-arm64 (debian-kernel@lists.debian.org) (aarch64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0, GNU ld (GNU Binutils for Debian) 2.44) #1 SMP Debian 6.12.117-1 (2026-11-12)\n\
            hyperabi-vmm: log: kvm [1]: IPA Size Limit: 52 bits\n\
            hyperabi-vmm: log: kvm [1]: Hyp nVHE mode initialized successfully\n\
            hyperabi-vmm: witness: hvc #0, x0 = 0 answered 0xffffffffffffffff, `hvc_exit_stat` +1: KVM handled it\n\
            hyperabi-vmm: hypercalls: 1329 handled by KVM (`hvc_exit_stat`)\n\
            hyperabi-vmm: end: guest powered off (PSCI SYSTEM_OFF)\n";
        let h = HostReport::parse(text);
        assert_eq!(
            h.kernel_version(),
            Some((
                "6.12.117+deb13-arm64".into(),
                "#1 SMP Debian 6.12.117-1 (2026-11-12)".into()
            ))
        );
        assert_eq!(
            h.kvm_mode.as_deref(),
            Some("Hyp nVHE mode initialized successfully")
        );
        assert_eq!(h.kvm_log.len(), 2);
        assert_eq!(
            h.witness.as_deref(),
            Some("hvc #0, x0 = 0 answered 0xffffffffffffffff, `hvc_exit_stat` +1: KVM handled it")
        );
        assert_eq!(
            h.hypercalls.as_deref(),
            Some("1329 handled by KVM (`hvc_exit_stat`)")
        );
        assert_eq!(
            h.end,
            Some(Ok("guest powered off (PSCI SYSTEM_OFF)".into()))
        );
        let e = HostReport::parse("hyperabi-vmm: error: /dev/kvm: No such file or directory\n");
        assert_eq!(
            e.end,
            Some(Err("/dev/kvm: No such file or directory".into()))
        );
    }

    #[test]
    fn the_module_lines_say_where_the_stub_and_the_caller_run() {
        let text = "hyperabi-vmm: log: CPU: All CPU(s) started at EL2\n\
            hyperabi-vmm: log: kvm [1]: KVM disabled from command line\n\
            hyperabi-vmm: log: hyperabi: loading out-of-tree module taints kernel.\n\
            hyperabi-vmm: log: hyperabi: module at EL1 (CurrentEL 0x4); hvc #0 goes to EL2\n\
            hyperabi-vmm: end: the module ran the plan (2048 bytes of frames)\n";
        let h = HostReport::parse(text);
        assert_eq!(
            h.exception_levels,
            [
                "CPU: All CPU(s) started at EL2",
                "KVM disabled from command line",
                "hyperabi: module at EL1 (CurrentEL 0x4); hvc #0 goes to EL2"
            ]
        );
        assert_eq!(h.kvm_mode, None);
    }

    #[test]
    fn the_initramfs_holds_init_console_and_plan() {
        let blob = initramfs(
            b"VMM",
            b"ELF",
            b"PLAN",
            0x4400_0000,
            &[("00-kvm.ko".into(), b"KO".to_vec())],
            false,
        )
        .unwrap();
        let mut names = vec![];
        let mut r = &blob[..];
        loop {
            let mut e = cpio::NewcReader::new(r).unwrap();
            if e.entry().is_trailer() {
                break;
            }
            let name = e.entry().name().to_string();
            let mut data = vec![];
            std::io::Read::read_to_end(&mut e, &mut data).unwrap();
            if name == "dev/console" {
                assert_eq!(e.entry().mode(), 0o020600);
                assert_eq!((e.entry().rdev_major(), e.entry().rdev_minor()), (5, 1));
            }
            if name == "vmm.args" {
                assert_eq!(data, b"plan_addr=0x44000000\n");
            }
            names.push(name);
            r = e.finish().unwrap();
        }
        assert_eq!(
            names,
            [
                "dev",
                "proc",
                "modules",
                "dev/console",
                "init",
                "harness.elf",
                "plan.bin",
                "vmm.args",
                "modules/00-kvm.ko"
            ]
        );
    }
}
