//! The real Xen hypervisor under QEMU TCG: the hypervisor image of the target's catalogue entry
//! (or the user's), booted with a dom0 image and an optional boot module on the machine layer
//! ([`crate::machine`]); Xen's own log is told apart from what dom0 wrote. [`XenRunner`] is the
//! `Runner` of the Xen targets: the guest harness as dom0, the plan as its boot module, the records
//! from the frames dom0 writes with `console_io`.
//!
//! What the console looks like (observed with Debian's 4.17 and 4.20 builds, release and debug):
//! - Xen's own lines start with `(XEN) ` and end with `\r\n`.
//! - What dom0 writes with `console_io(CONSOLEIO_write)` goes to the serial port unprefixed (Xen's
//!   `guest_console_write` writes the hardware domain's bytes directly) and byte for byte, except
//!   that Xen's serial driver turns every `\n` into `\r\n`. [`split_console`] undoes that (so a
//!   `\r\n` dom0 wrote itself reads back as `\n`), and splits out any `(XEN) ` line that Xen printed
//!   in the middle of a dom0 line.
//! - Debian's banner differs from upstream's (`debian/patches/0003-Display-Debian-package-version-in-
//!   hypervisor-log.patch`): `Xen version 4.17.5 (Debian <package version>) (<maintainer address>)
//!   (<compiler>) debug=n <date>`, and no `Latest ChangeSet:` line.
//! - Dom0 poweroff (arm64, and the AArch32 dom0 of arm64 Xen): `Hardware Dom0 halted: halting machine`, then QEMU exits 0. Dom0 reboot
//!   (x86_64, QEMU `-no-reboot`): `Hardware Dom0 shutdown: rebooting machine`, QEMU exits 0.
//! - A dom0 crash prints `Hardware Dom0 crashed: rebooting machine in 5 seconds.` (x86_64 after
//!   `Domain 0 (vcpu#0) crashed on cpu#0:` and a register dump), a panic `Panic on CPU 0:` ...
//!   `Reboot in five seconds...`; in neither case does QEMU exit by itself soon, so the runner
//!   stops QEMU as soon as the message is complete.
//! - Debug hypervisors poison the argument registers a call used except the result register, not on
//!   `-ENOSYS`: arm64 x1.. and x16 with `0x00000000deadbeef` (32 bits, zero-extended), an
//!   AArch32 dom0's r1.. and r12 with `0xdeadbeef`; x86_64 rdi, rsi, rdx, ... with
//!   `0xdeadbeefdeadf00d`, through the hypercall page and raw `syscall` alike.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use abi_spec::Arch;

use crate::catalog::{BootEnv, Component, MachineSpec, TargetSpec};
use crate::error::Error;
use crate::identity::{ComponentInfo, Identity, Role};
use crate::machine::{self, file_arg, Console, End, Limits, QemuBinary};
use crate::{Execution, Overrides, Runner};

/// The hypervisor's architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum XenArch {
    /// arm64.
    Arm64,
    /// x86_64.
    X86_64,
}

impl XenArch {
    /// Our name: `arm64`, `x86_64`.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The Xen arch that runs a dom0 of a guest arch (an AArch32 dom0 runs on arm64 Xen).
    pub fn of(arch: Arch) -> Option<XenArch> {
        match arch {
            Arch::Aarch64 | Arch::Arm => Some(XenArch::Arm64),
            // The 32-bit ABIs run from compatibility mode of a 64-bit dom0.
            Arch::X86_64 | Arch::X86 => Some(XenArch::X86_64),
            _ => None,
        }
    }

    /// The arch of the hypervisor itself (and of its 64-bit dom0): QEMU and `--xen` are chosen by
    /// it.
    pub fn arch(self) -> Arch {
        match self {
            XenArch::Arm64 => Arch::Aarch64,
            XenArch::X86_64 => Arch::X86_64,
        }
    }

    /// The 64-bit dom0 boot environment of the guest harness (a target names its own).
    pub fn boot_env(self) -> &'static BootEnv {
        BootEnv::get(match self {
            XenArch::Arm64 => "xen-arm64",
            XenArch::X86_64 => "xen-x86_64",
        })
        .expect("catalogue has the Xen boot environments")
    }
}

/// A hypervisor image.
#[derive(Clone, Debug)]
pub struct Xen {
    /// The arch.
    pub arch: XenArch,
    /// The image QEMU boots.
    pub image: PathBuf,
    /// The Debian packages it came from, or `user: PATH`.
    pub source: String,
    /// What the target expects of its banner (`None` for a user's build).
    pub debug: Option<bool>,
}

impl Xen {
    /// The image of `spec` (a `Backend::Xen` target), or the user's (`--xen ARCH=PATH`).
    pub fn locate(spec: &TargetSpec, user: Option<&Path>) -> Result<Xen, Error> {
        let arch = spec
            .arch
            .and_then(XenArch::of)
            .expect("a Xen target's arch");
        let h = spec.hypervisor.expect("a Xen target has a hypervisor");
        if let Some(path) = user {
            if !path.is_file() {
                return Err(Error::Unavailable {
                    what: format!("Xen image {} does not exist", path.display()),
                    how: "pass the path of a built hypervisor (xen/xen in a Xen tree; for x86, \
                          not gzipped)"
                        .into(),
                });
            }
            return Ok(Xen {
                arch,
                image: path.to_path_buf(),
                source: format!("user: {}", path.display()),
                debug: None,
            });
        }
        let c = Component::get(h.component).expect("catalogue component");
        let image = c.file(h.image);
        if !image.is_file() {
            return Err(Error::Unavailable {
                what: format!("no {} at {}", c.id, image.display()),
                how: "run `cargo xtask setup` (downloads Debian's Xen and builds the debug \
                      hypervisors), or pass --xen ARCH=PATH"
                    .into(),
            });
        }
        Ok(Xen {
            arch,
            image,
            source: c.provenance(),
            debug: Some(h.debug),
        })
    }
}

/// What to boot.
#[derive(Clone, Debug)]
pub struct BootConfig {
    /// arm64: a Linux arm64 Image; x86_64: a 64-bit PV ELF with Xen notes.
    pub dom0: PathBuf,
    /// Handed to dom0 as its initrd (arm64: a second guest-loader device; x86_64: the second
    /// multiboot module).
    pub module: Option<PathBuf>,
    /// Kills QEMU after this long.
    pub timeout: Duration,
    /// Appended to Xen's command line.
    pub extra_xen_args: String,
    /// Where the console log goes.
    pub log: PathBuf,
}

impl BootConfig {
    /// Boots `dom0` with the default timeout, the log under `target/xen-runs`.
    pub fn new(dom0: impl Into<PathBuf>) -> Self {
        BootConfig {
            dom0: dom0.into(),
            module: None,
            timeout: Duration::from_secs(30),
            extra_xen_args: String::new(),
            log: work_dir().join(format!("{}.console", machine::run_id("xen"))),
        }
    }
}

/// Where Xen runs keep their plans and console logs.
pub fn work_dir() -> PathBuf {
    crate::catalog::workspace().join("target/xen-runs")
}

/// Who Xen says it is: its boot banner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    /// `4.17.5`: major.minor + extraversion as the banner prints them.
    pub version: String,
    /// The major version.
    pub major: u32,
    /// The minor version.
    pub minor: u32,
    /// What follows `major.minor`, e.g. `.5` or `-unstable`.
    pub extraversion: String,
    /// The parenthesised groups between the version and the compiler: upstream `user@domain`;
    /// Debian's banner patch prints `Debian <package version>` and the maintainer's address.
    pub build_info: Vec<String>,
    /// The compiler the banner names.
    pub compiler: String,
    /// Whether it is a debug build (`debug=y`).
    pub debug: bool,
    /// When it was built.
    pub compile_date: String,
    /// `Latest ChangeSet:` where Xen prints it.
    pub changeset: Option<String>,
}

/// Parses Xen's banner line `Xen version 4.17.5 (...) (...) (compiler) debug=y <date>` (format of
/// `console_init_preirq` in xen/drivers/char/console.c, with or without Debian's patch).
pub fn parse_banner(log: &str) -> Option<Banner> {
    let line = log.lines().find_map(|l| {
        l.trim_start_matches("(XEN) ")
            .trim_end_matches('\r')
            .strip_prefix("Xen version ")
    })?;
    let (version, mut rest) = line.split_once(' ')?;
    let digits_end = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let major_len = digits_end(version);
    let major = version[..major_len].parse().ok()?;
    let after = version[major_len..].strip_prefix('.')?;
    let minor_len = digits_end(after);
    let minor = after[..minor_len].parse().ok()?;
    let extraversion = after[minor_len..].to_string();
    let mut groups = vec![];
    loop {
        rest = rest.trim_start();
        if !rest.starts_with('(') {
            break;
        }
        let mut depth = 0;
        let mut end = None;
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let end = end?;
        groups.push(rest[1..end].to_string());
        rest = &rest[end + 1..];
    }
    let rest = rest.trim_start().strip_prefix("debug=")?;
    let debug = match rest.chars().next()? {
        'y' => true,
        'n' => false,
        _ => return None,
    };
    let compile_date = rest[1..].trim().to_string();
    let compiler = groups.pop()?;
    let changeset = log.lines().find_map(|l| {
        l.trim_start_matches("(XEN) ")
            .trim_end_matches('\r')
            .strip_prefix("Latest ChangeSet: ")
            .map(str::to_string)
    });
    Some(Banner {
        version: version.to_string(),
        major,
        minor,
        extraversion,
        build_info: groups,
        compiler,
        debug,
        compile_date,
        changeset,
    })
}

/// How dom0 ended the run, as Xen reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shutdown {
    /// `Hardware Dom0 halted` (SHUTDOWN_poweroff).
    Halted,
    /// `Hardware Dom0 shutdown: rebooting` (SHUTDOWN_reboot).
    Rebooted,
}

/// A boot that ran to dom0's shutdown.
#[derive(Clone, Debug)]
pub struct Boot {
    /// What its banner says.
    pub banner: Banner,
    /// The whole serial console, as QEMU wrote it.
    pub console: Vec<u8>,
    /// Xen's own lines, without the `(XEN) ` prefix and line ends.
    pub xen_lines: Vec<String>,
    /// What dom0 wrote through console_io (see the module doc for the `\r\n` caveat).
    pub dom0_output: Vec<u8>,
    /// How dom0 ended the run.
    pub shutdown: Shutdown,
    /// From QEMU's start to the first byte dom0 wrote.
    pub first_dom0_output: Option<Duration>,
    /// From QEMU's start to its exit.
    pub total: Duration,
}

/// Xen's command line for `arch`, plus `extra`.
pub fn xen_command_line(arch: XenArch, extra: &str) -> String {
    let console = match arch {
        XenArch::Arm64 => "console=dtuart",
        XenArch::X86_64 => "console=com1",
    };
    let mut s = format!("{console} dom0_mem=32M dom0_max_vcpus=1");
    if !extra.is_empty() {
        s.push(' ');
        s.push_str(extra);
    }
    s
}

/// The QEMU arguments that boot `xen` on `machine` with `config` (without the QEMU binary).
pub fn qemu_args(
    xen: &Xen,
    machine: &MachineSpec,
    config: &BootConfig,
) -> Result<Vec<OsString>, Error> {
    let append = xen_command_line(xen.arch, &config.extra_xen_args);
    let image = file_arg(&xen.image)?;
    let dom0 = file_arg(&config.dom0)?;
    let mut args: Vec<String> = [
        "-M",
        machine.machine,
        "-cpu",
        machine.cpu,
        "-m",
        machine.memory,
        "-smp",
        "1",
        "-display",
        "none",
        "-serial",
        "stdio",
        "-monitor",
        "none",
        "-no-reboot",
    ]
    .map(String::from)
    .to_vec();
    args.extend(machine.extra.iter().map(|s| s.to_string()));
    args.extend(["-kernel".into(), image, "-append".into(), append]);
    match xen.arch {
        XenArch::Arm64 => {
            if let Ok(m) = std::fs::metadata(&config.dom0) {
                // The guest-loader places dom0 at 0x42000000 and a module at 0x44000000.
                if config.module.is_some() && m.len() > 0x0200_0000 {
                    return Err(Error::Io {
                        path: config.dom0.clone(),
                        detail: "dom0 image over 32 MiB would overlap the boot module".into(),
                    });
                }
            }
            args.push("-device".into());
            args.push(format!(
                "guest-loader,addr=0x42000000,kernel={dom0},bootargs=console=hvc0"
            ));
            if let Some(m) = &config.module {
                args.push("-device".into());
                args.push(format!(
                    "guest-loader,addr=0x44000000,initrd={}",
                    file_arg(m)?
                ));
            }
        }
        XenArch::X86_64 => {
            args.push("-initrd".into());
            match &config.module {
                Some(m) => args.push(format!("{dom0},{}", file_arg(m)?)),
                None => args.push(dom0),
            }
        }
    }
    Ok(args.into_iter().map(OsString::from).collect())
}

/// Boots `xen` under `qemu` on `machine` with `config`, and waits for dom0's shutdown, a crash, a
/// panic or the timeout.
pub fn boot(
    xen: &Xen,
    qemu: &QemuBinary,
    machine: &MachineSpec,
    config: &BootConfig,
) -> Result<Boot, Error> {
    let console = run(xen, qemu, machine, config)?;
    judge(&console, config.timeout)
}

/// Runs the boot and returns the console whatever happened on it.
pub fn run(
    xen: &Xen,
    qemu: &QemuBinary,
    machine: &MachineSpec,
    config: &BootConfig,
) -> Result<Console, Error> {
    let args = qemu_args(xen, machine, config)?;
    let limits = Limits {
        boot: config.timeout,
        // Xen prints its banner within a second; a file that is no Xen prints nothing.
        first_output: Duration::from_secs(20),
        // A debug Xen is silent for seconds in its self-tests: only the boot limit.
        idle: None,
    };
    // Xen would wait seconds before restarting after a dom0 crash or a panic: stop as soon as
    // the message is complete. Only the lines the chunk completed are new (scanning the whole
    // console per chunk is quadratic: QEMU hands over a few bytes at a time).
    let mut line_start = 0usize;
    let mut stop = |bytes: &[u8], from: usize| {
        let before = line_start;
        if let Some(i) = bytes[from..].iter().rposition(|&b| b == b'\n') {
            line_start = from + i + 1;
        }
        line_start > before && terminal_message(&bytes[before..line_start])
    };
    machine::run(qemu, &args, limits, &config.log, &mut stop)
}

/// What a finished console says: dom0's clean shutdown, or the error.
pub fn judge(console: &Console, timeout: Duration) -> Result<Boot, Error> {
    let log = console.log.clone();
    let split = split_console(&console.bytes);
    let banner = parse_banner(&String::from_utf8_lossy(&console.bytes));
    let xen_text = split.xen_lines.join("\n");
    if let Some(message) = find_block(&split.xen_lines, "Panic on CPU") {
        return Err(if split.dom0.is_empty() {
            Error::NotBooted {
                reason: format!("Xen panicked: {message}"),
                stderr: console.stderr.clone(),
                log,
            }
        } else {
            Error::Panic { message, log }
        });
    }
    if let Some(line) = split
        .xen_lines
        .iter()
        .find(|l| l.contains("Hardware Dom0 crashed") || l.contains("crashed on cpu#"))
    {
        let mut message = line.clone();
        if let Some(l) = split
            .xen_lines
            .iter()
            .find(|l| l.contains("Hardware Dom0 crashed"))
        {
            if l != line {
                message = format!("{line}; {l}");
            }
        }
        return Err(Error::GuestCrashed { message, log });
    }
    let Some(banner) = banner else {
        return Err(Error::NotBooted {
            reason: match console.end {
                End::Exited(status) => {
                    format!("no Xen banner; QEMU {}", machine::describe(status))
                }
                End::Silent => format!(
                    "no Xen banner: nothing on the console within {:.1} s",
                    console.wall.as_secs_f64()
                ),
                _ => format!("no Xen banner within {timeout:?}"),
            },
            stderr: console.stderr.clone(),
            log,
        });
    };
    if matches!(console.end, End::Timeout | End::Idle | End::Silent) {
        return Err(Error::Timeout {
            after: console.wall,
            frames: crate::frame::scan(&split.dom0),
            stderr: console.stderr.clone(),
            log,
        });
    }
    let shutdown = if xen_text.contains("Hardware Dom0 halted") {
        Shutdown::Halted
    } else if xen_text.contains("Hardware Dom0 shutdown: rebooting") {
        Shutdown::Rebooted
    } else {
        return Err(Error::UnexpectedExit {
            status: match console.end {
                End::Exited(s) => machine::describe(s),
                _ => "was stopped".into(),
            },
            stderr: console.stderr.clone(),
            log,
        });
    };
    Ok(Boot {
        banner,
        first_dom0_output: split.first_dom0_offset.and_then(|o| console.time_at(o)),
        console: console.bytes.clone(),
        xen_lines: split.xen_lines,
        dom0_output: split.dom0,
        shutdown,
        total: console.wall,
    })
}

/// Xen's command-line options every harness boot adds: a 16 MiB serial transmit buffer, so a
/// dom0 writing faster than the serial line drains loses nothing (Xen's `__serial_putc` drops
/// characters while its transmit buffer is full).
pub const HARNESS_XEN_ARGS: &str = "serial_tx_buffer=16M";

#[derive(Clone, Debug)]
struct Setup {
    xen: Xen,
    qemu: QemuBinary,
    image: PathBuf,
    machine: MachineSpec,
}

/// A Xen target of the catalogue as a [`Runner`]: one boot per plan, the guest harness as dom0,
/// the plan as its boot module (arm64: the initrd of a second guest-loader device; x86_64: the
/// second multiboot module), the results in the frames dom0 writes through `console_io`.
pub struct XenRunner {
    spec: &'static TargetSpec,
    setup: Result<Setup, Error>,
    /// Kills QEMU after this long (a hang).
    pub timeout: Duration,
    /// Where plan files and console logs go.
    pub work_dir: PathBuf,
}

impl XenRunner {
    /// The runner of `spec` (a `Backend::Xen` target), with the user's builds in `overrides`.
    pub fn new(spec: &'static TargetSpec, overrides: &Overrides) -> XenRunner {
        let setup = (|| {
            // QEMU and the hypervisor are those of Xen's arch (arm64 for an AArch32 dom0).
            let arch = spec.machine_arch().expect("a Xen target's arch");
            let xen = Xen::locate(spec, overrides.xen(arch))?;
            let machine = spec.machine.expect("a Xen target has a machine");
            let component = Component::get(machine.qemu).expect("catalogue component");
            let qemu = QemuBinary::resolve(arch, component, overrides.qemu(arch))?;
            let env = spec
                .boot_env()
                .expect("a Xen target has a boot environment");
            let image = env.image();
            if !image.is_file() {
                return Err(Error::Unavailable {
                    what: format!("no dom0 image at {}", image.display()),
                    how: format!("build it with: cargo xtask guests --arch {}", env.name),
                });
            }
            Ok(Setup {
                xen,
                qemu,
                image,
                machine,
            })
        })();
        let debug = spec.hypervisor.is_some_and(|h| h.debug);
        XenRunner {
            spec,
            setup,
            timeout: Duration::from_secs(if debug { 90 } else { 60 }),
            work_dir: work_dir(),
        }
    }

    /// Its catalogue entry.
    pub fn spec(&self) -> &'static TargetSpec {
        self.spec
    }

    /// Boots `image` as dom0 instead of the boot environment's image (another build of the
    /// harness, as a test makes one).
    pub fn with_dom0(mut self, image: PathBuf) -> XenRunner {
        if let Ok(s) = &mut self.setup {
            if image.is_file() {
                s.image = image;
            } else {
                self.setup = Err(Error::Unavailable {
                    what: format!("no dom0 image at {}", image.display()),
                    how: "build it first".into(),
                });
            }
        }
        self
    }
}

/// The identity of a Xen run: QEMU, and Xen as its banner says.
fn identity(s: &Setup, banner: Option<&Banner>) -> Identity {
    let mut components = vec![s.qemu.info.clone()];
    components.push(match banner {
        Some(b) => {
            let mut build = b.build_info.clone();
            build.push(b.compiler.clone());
            build.push(b.compile_date.clone());
            build.push(format!("debug={}", if b.debug { "y" } else { "n" }));
            if let Some(c) = &b.changeset {
                build.push(format!("changeset {c}"));
            }
            ComponentInfo {
                role: Role::Hypervisor,
                name: "Xen".into(),
                version: b.version.clone(),
                build: Some(build.join("; ")),
                source: s.xen.source.clone(),
            }
        }
        None => ComponentInfo {
            role: Role::Hypervisor,
            name: "Xen".into(),
            version: "unknown (no banner)".into(),
            build: None,
            source: s.xen.source.clone(),
        },
    });
    Identity {
        components,
        machine: Some(s.machine.machine.into()),
        cpu: Some(s.machine.cpu.into()),
        accelerator: "tcg".into(),
    }
}

impl Runner for XenRunner {
    fn name(&self) -> &str {
        self.spec.name
    }

    fn arch(&self) -> Option<Arch> {
        self.spec.arch
    }

    fn availability(&self) -> Result<(), Error> {
        self.setup.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    fn execute(&mut self, plan: &[u8]) -> Execution {
        let mut ex = Execution::default();
        let s = match &self.setup {
            Ok(s) => s.clone(),
            Err(e) => {
                ex.error = Some(e.clone());
                return ex;
            }
        };
        ex.identity = identity(&s, None);
        let start = std::time::Instant::now();
        let id = machine::run_id(self.spec.name);
        if let Err(e) = std::fs::create_dir_all(&self.work_dir) {
            ex.error = Some(Error::Io {
                path: self.work_dir.clone(),
                detail: e.to_string(),
            });
            return ex;
        }
        let plan_path = self.work_dir.join(format!("{id}.plan"));
        if let Err(e) = std::fs::write(&plan_path, crate::frame::plan_blob(plan)) {
            ex.error = Some(Error::Io {
                path: plan_path,
                detail: e.to_string(),
            });
            return ex;
        }
        let config = BootConfig {
            dom0: s.image.clone(),
            module: Some(plan_path.clone()),
            timeout: self.timeout,
            extra_xen_args: match self.spec.hypervisor.map(|h| h.options) {
                Some(o) if !o.is_empty() => format!("{HARNESS_XEN_ARGS} {o}"),
                _ => HARNESS_XEN_ARGS.into(),
            },
            log: self.work_dir.join(format!("{id}.console")),
        };
        let console = match run(&s.xen, &s.qemu, &s.machine, &config) {
            Ok(c) => c,
            Err(e) => {
                ex.error = Some(e);
                return ex;
            }
        };
        ex.elapsed = start.elapsed();
        let split = split_console(&console.bytes);
        let banner = parse_banner(&String::from_utf8_lossy(&console.bytes));
        ex.identity = identity(&s, banner.as_ref());
        // The image's arch (a 64-bit dom0 also serves the 32-bit x86 ABIs).
        let dom0_arch = self.spec.boot_env().map_or(Arch::X86_64, |e| e.arch);
        let results = machine::read_results(&split.dom0, dom0_arch, &console.log);
        ex.records = results.records();
        let mut log = String::new();
        for l in &split.xen_lines {
            log.push_str("(XEN) ");
            log.push_str(l);
            log.push('\n');
        }
        if !results.text.is_empty() {
            log.push_str("--- dom0 text outside frames ---\n");
            log.push_str(&String::from_utf8_lossy(&results.text));
        }
        ex.console_log = log;
        match judge(&console, self.timeout) {
            Ok(b) => {
                ex.first_result = b.first_dom0_output;
                ex.error = results.problem;
                if ex.error.is_none() && self.spec.boot == Some("xen-x86_64-pvh") {
                    ex.error = check_pvh_facts(&ex.records, &b.banner);
                }
                if ex.error.is_none() {
                    if let Some(want) = s.xen.debug.filter(|d| *d != b.banner.debug) {
                        ex.error = Some(Error::Mismatch {
                            detail: format!(
                                "the hypervisor says debug={}, the target expects debug={}",
                                if b.banner.debug { "y" } else { "n" },
                                if want { "y" } else { "n" }
                            ),
                        });
                    }
                }
            }
            // The boot's own error comes first: a stream cut short is its consequence.
            Err(e) => ex.error = Some(e),
        }
        if ex.error.is_none() {
            // Kept after a failed boot, to reproduce it.
            let _ = std::fs::remove_file(&plan_path);
            let _ = std::fs::remove_file(&console.log);
        }
        ex
    }
}

/// Checks what a PVH dom0 found (its info record's `env:` facts) against Xen's public headers
/// and the banner: the "XenVMMXenVMM" signature, the version leaf (major << 16 | minor,
/// xen/include/public/arch-x86/cpuid.h) equal to the banner's version, and a hypercall page of
/// `mov $nr,%eax; vmmcall; ret` entries with `ud2` for iret (xen/arch/x86/hvm/svm/svm.c,
/// svm_init_hypercall_page: QEMU's CPU is AMD). A missing or different fact is an error.
fn check_pvh_facts(records: &[u8], banner: &Banner) -> Option<Error> {
    use abi_spec::wire::{Reader, Record};
    let mut r = Reader::new(records);
    let mut facts = std::collections::BTreeMap::new();
    while !r.is_empty() {
        match Record::read(&mut r) {
            Ok(rec @ Record::Info { .. }) => {
                facts.extend(
                    rec.info_pairs()
                        .map(|(k, v)| (k.to_string(), v.to_string())),
                );
                break;
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    // No info record: no plan ran (a control word of the runner's tests); the engine refuses
    // case results that come without one.
    if facts.is_empty() {
        return None;
    }
    let cpuid = facts.get("env:xen-cpuid").map_or("", String::as_str);
    let page = facts
        .get("env:xen-hypercall-page")
        .map_or("", String::as_str);
    let version = format!("version {:#x};", banner.major << 16 | banner.minor);
    let problem = if !cpuid.contains("XenVMMXenVMM") {
        format!("Xen's CPUID leaves: {cpuid:?}, no XenVMMXenVMM signature")
    } else if !cpuid.contains(&version) {
        format!(
            "Xen's CPUID version leaf: {cpuid:?}, the banner says {}",
            banner.version
        )
    } else if !page.contains("vmmcall 127, vmcall 0, ud2 1 (first at 23), other 0") {
        format!("the hypercall page: {page:?}, expected 127 vmmcall entries and ud2 at 23")
    } else {
        return None;
    };
    Some(Error::Mismatch { detail: problem })
}

/// Whether Xen has printed a message after which it only waits and restarts.
fn terminal_message(console: &[u8]) -> bool {
    let text = String::from_utf8_lossy(console);
    text.lines().any(|l| {
        l.contains("Hardware Dom0 crashed")
            || l.contains("Reboot in five seconds")
            || l.contains("Manual reset required")
    }) && console.ends_with(b"\n")
}

/// The `****`-framed block of Xen lines starting at the one containing `start`.
fn find_block(lines: &[String], start: &str) -> Option<String> {
    let i = lines.iter().position(|l| l.contains(start))?;
    let msg: Vec<&str> = lines[i..]
        .iter()
        .take_while(|l| !l.starts_with("****************"))
        .map(|l| l.trim_matches('*').trim())
        .filter(|l| !l.is_empty())
        .collect();
    Some(msg.join(" / "))
}

/// Xen's lines and dom0's bytes of a console.
pub struct Split {
    /// Xen's own lines, without prefix and line end.
    pub xen_lines: Vec<String>,
    /// What dom0 wrote.
    pub dom0: Vec<u8>,
    /// Where dom0's first byte is in the console.
    pub first_dom0_offset: Option<usize>,
}

/// Separates Xen's `(XEN) ` lines from dom0's bytes. Dom0 output counts from the line after Xen's
/// `Freed ... init memory` (its last line before it runs dom0); before that, unprefixed bytes are
/// boot noise.
pub fn split_console(console: &[u8]) -> Split {
    const PREFIX: &[u8] = b"(XEN) ";
    let mut xen_lines = vec![];
    let mut dom0 = vec![];
    let mut first = None;
    let mut dom0_started = false;
    let mut pos = 0;
    while pos < console.len() {
        let end = console[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(console.len(), |i| pos + i + 1);
        let line = &console[pos..end];
        if line.starts_with(PREFIX) {
            let text = String::from_utf8_lossy(&line[PREFIX.len()..]);
            let text = text.trim_end_matches(['\r', '\n']).to_string();
            if text.starts_with("Freed ") && text.contains("init memory") {
                dom0_started = true;
            }
            xen_lines.push(text);
            pos = end;
            continue;
        }
        // A dom0 line, possibly with a Xen line printed into its middle.
        let (own, xen_at) = match find(line, PREFIX) {
            Some(i) => (&line[..i], Some(pos + i)),
            None => (line, None),
        };
        if dom0_started && !own.is_empty() {
            first.get_or_insert(pos);
            let body = own.strip_suffix(b"\r\n").map_or(own, |b| b);
            dom0.extend_from_slice(body);
            if body.len() != own.len() {
                dom0.push(b'\n');
            }
        }
        pos = xen_at.unwrap_or(end);
    }
    Split {
        xen_lines,
        dom0,
        first_dom0_offset: first,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The workspace root (this crate's parent directory).
/// and `cargo xtask bench` until the guest harness boots as dom0.
pub mod smoke {
    use super::XenArch;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// What the smoke dom0 does after its calls.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Mode {
        /// Shuts down (arm64: poweroff; x86_64: reboot).
        Normal = 0,
        /// Spins forever.
        Hang = 1,
        /// arm64: `sched_op(SHUTDOWN_crash)`; x86_64: `ud2` with no trap table.
        Crash = 2,
    }

    fn source_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("xen-smoke")
    }

    fn run(cmd: &mut Command) -> Result<(), String> {
        let out = cmd
            .output()
            .map_err(|e| format!("{cmd:?}: {e} (`cargo xtask setup` installs the assemblers)"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{cmd:?} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Assembles the smoke dom0 for `arch` in `mode` into `out_dir`; returns the image.
    /// arm64 needs binutils-aarch64-linux-gnu, x86_64 the host's binutils.
    pub fn build(arch: XenArch, mode: Mode, out_dir: &Path) -> Result<PathBuf, String> {
        std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
        let src = source_dir();
        let m = mode as u8;
        // Unique intermediate names, renamed into place: tests build the same image in parallel.
        static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let tmp = format!(
            "tmp-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let obj = out_dir.join(format!("{}-{m}.{tmp}.o", arch.name()));
        let publish = |built: &Path, image: PathBuf| -> Result<PathBuf, String> {
            let _ = std::fs::remove_file(&obj);
            std::fs::rename(built, &image)
                .map_err(|e| format!("{} -> {}: {e}", built.display(), image.display()))?;
            Ok(image)
        };
        let defsym = format!("MODE={m}");
        match arch {
            XenArch::Arm64 => {
                let image = out_dir.join(format!("arm64-{m}.Image"));
                let built = out_dir.join(format!("arm64-{m}.{tmp}.Image"));
                run(Command::new("aarch64-linux-gnu-as")
                    .args(["--defsym", &defsym, "-o"])
                    .arg(&obj)
                    .arg(src.join("arm64.S")))?;
                run(Command::new("aarch64-linux-gnu-objcopy")
                    .args(["-O", "binary"])
                    .arg(&obj)
                    .arg(&built))?;
                publish(&built, image)
            }
            XenArch::X86_64 => {
                let image = out_dir.join(format!("x86_64-{m}.elf"));
                let built = out_dir.join(format!("x86_64-{m}.{tmp}.elf"));
                run(Command::new("as")
                    .args(["--64", "--defsym", &defsym, "-o"])
                    .arg(&obj)
                    .arg(src.join("x86_64.S")))?;
                run(Command::new("ld")
                    .arg("-T")
                    .arg(src.join("x86_64.ld"))
                    .args(["-nostdlib", "-static", "-z", "max-page-size=4096", "-o"])
                    .arg(&built)
                    .arg(&obj))?;
                publish(&built, image)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xen_arch_names() {
        assert_eq!(XenArch::Arm64.name(), "arm64");
        assert_eq!(XenArch::X86_64.name(), "x86_64");
    }

    #[test]
    fn debian_banner() {
        let log = "(XEN) Xen version 4.17.5 (Debian 4.17.5+72-g01140da4e8-1) (pkg-xen-devel@lists.alioth.debian.org) (aarch64-linux-gnu-gcc (Debian 12.2.0-14+deb12u1) 12.2.0) debug=n Sat Nov 29 13:52:25 UTC 2025\r\n";
        let id = parse_banner(log).unwrap();
        assert_eq!((id.major, id.minor), (4, 17));
        assert_eq!(id.extraversion, ".5");
        assert_eq!(
            id.build_info,
            [
                "Debian 4.17.5+72-g01140da4e8-1",
                "pkg-xen-devel@lists.alioth.debian.org"
            ]
        );
        assert_eq!(
            id.compiler,
            "aarch64-linux-gnu-gcc (Debian 12.2.0-14+deb12u1) 12.2.0"
        );
        assert!(!id.debug);
        assert_eq!(id.compile_date, "Sat Nov 29 13:52:25 UTC 2025");
    }

    #[test]
    fn upstream_banner() {
        let log = "(XEN) Xen version 4.19-unstable (me@example.org) (gcc (GCC) 13.2.0) debug=y Mon Jan  1 00:00:00 UTC 2024\n(XEN) Latest ChangeSet: Fri Dec 1 2023 git:0123abc\n";
        let id = parse_banner(log).unwrap();
        assert_eq!((id.major, id.minor), (4, 19));
        assert_eq!(id.extraversion, "-unstable");
        assert_eq!(id.build_info, ["me@example.org"]);
        assert!(id.debug);
        assert_eq!(id.changeset.as_deref(), Some("Fri Dec 1 2023 git:0123abc"));
    }

    #[test]
    fn no_banner() {
        assert_eq!(parse_banner("(XEN) something else\n"), None);
        assert_eq!(parse_banner("(XEN) Xen version 4.x debug=y\n"), None);
    }

    #[test]
    fn split_dom0_from_xen() {
        let console = b"noise\r\n(XEN) Freed 1kB init memory.\r\nhello\r\nraw\x00\r(XEN) late line\r\nmore\r\n";
        let s = split_console(console);
        assert_eq!(
            s.xen_lines,
            ["Freed 1kB init memory.", "late line"].map(String::from)
        );
        assert_eq!(s.dom0, b"hello\nraw\x00\rmore\n");
        assert_eq!(s.first_dom0_offset, Some(37));
    }
}
