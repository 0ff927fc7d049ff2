//! The real Xen hypervisor under QEMU TCG: locate Xen and QEMU, boot a dom0 image (and an optional
//! boot module), capture the serial console, and tell Xen's own log from what dom0 wrote.
//! [`XenRunner`] is the `Runner` of the four Xen targets: the guest harness as dom0, the plan as
//! its boot module, the records from the frames dom0 writes with `console_io`.
//!
//! Command lines: `shared/reference/targets.md`, "Real Xen under QEMU". Xen's images come from
//! `cargo xtask setup` (`target/xen/<arch>/<release|debug>/xen`, with a `MANIFEST`) or from the user
//! (`--xen PATH`).
//!
//! What the console looks like (observed with Debian's 4.17 builds, release and debug):
//! - Xen's own lines start with `(XEN) ` and end with `\r\n`.
//! - What dom0 writes with `console_io(CONSOLEIO_write)` goes to the serial port unprefixed (Xen's
//!   `guest_console_write` writes the hardware domain's bytes directly) and byte for byte, except
//!   that Xen's serial driver turns every `\n` into `\r\n`. [`Boot::dom0_output`] undoes that (so a
//!   `\r\n` dom0 wrote itself reads back as `\n`), and splits out any `(XEN) ` line that Xen printed
//!   in the middle of a dom0 line.
//! - Debian's banner differs from upstream's (`debian/patches/0003-Display-Debian-package-version-in-
//!   hypervisor-log.patch`): `Xen version 4.17.5 (Debian <package version>) (<maintainer address>)
//!   (<compiler>) debug=n <date>`, and no `Latest ChangeSet:` line.
//! - Dom0 poweroff (arm64): `Hardware Dom0 halted: halting machine`, then QEMU exits 0. Dom0 reboot
//!   (x86_64, QEMU `-no-reboot`): `Hardware Dom0 shutdown: rebooting machine`, QEMU exits 0.
//! - A dom0 crash prints `Hardware Dom0 crashed: rebooting machine in 5 seconds.` (x86_64 after
//!   `Domain 0 (vcpu#0) crashed on cpu#0:` and a register dump), a panic `Panic on CPU 0:` ...
//!   `Reboot in five seconds...`; in neither case did QEMU exit by itself within 15 s, so the
//!   runner kills QEMU as soon as the message is complete.
//! - Debug hypervisors poison the argument registers a call used except the result register, not on
//!   `-ENOSYS`: arm64 x1.. and x16 with `0x00000000deadbeef` (32 bits, zero-extended); x86_64 rdi,
//!   rsi, rdx, ... with `0xdeadbeefdeadf00d`, through the hypercall page and raw `syscall` alike.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::children::SpawnInGroup;

/// The hypervisor's architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum XenArch {
    Arm64,
    X86_64,
}

impl XenArch {
    /// Our name: `arm64`, `x86_64` (the `target/xen/` directory and the target suffix).
    pub fn name(self) -> &'static str {
        match self {
            XenArch::Arm64 => "arm64",
            XenArch::X86_64 => "x86_64",
        }
    }

    pub fn qemu_binary(self) -> &'static str {
        match self {
            XenArch::Arm64 => "qemu-system-aarch64",
            XenArch::X86_64 => "qemu-system-x86_64",
        }
    }

    fn qemu_package(self) -> &'static str {
        match self {
            XenArch::Arm64 => "qemu-system-arm",
            XenArch::X86_64 => "qemu-system-x86",
        }
    }
}

/// One of the four targets: `xen-arm64`, `xen-arm64-debug`, `xen-x86_64`, `xen-x86_64-debug`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct XenTarget {
    pub arch: XenArch,
    pub debug: bool,
}

impl XenTarget {
    pub const ALL: [XenTarget; 4] = [
        XenTarget::new(XenArch::Arm64, false),
        XenTarget::new(XenArch::Arm64, true),
        XenTarget::new(XenArch::X86_64, false),
        XenTarget::new(XenArch::X86_64, true),
    ];

    pub const fn new(arch: XenArch, debug: bool) -> Self {
        XenTarget { arch, debug }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn name(self) -> String {
        format!(
            "xen-{}{}",
            self.arch.name(),
            if self.debug { "-debug" } else { "" }
        )
    }
}

impl fmt::Display for XenTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Why a boot gave no usable result. Every variant after `Unavailable` carries the console log.
#[derive(Debug)]
pub enum XenError {
    /// Xen or QEMU is not there; `how` says how to get it.
    Unavailable { what: String, how: String },
    /// QEMU could not be started or watched.
    Qemu { message: String },
    /// Xen did not come up (no banner), or it panicked before dom0 wrote anything.
    NotBooted { reason: String, log: String },
    /// Xen panicked after dom0 had started.
    Panic { message: String, log: String },
    /// Xen reported that dom0 crashed.
    Dom0Crashed { message: String, log: String },
    /// Nothing ended the boot within the timeout; QEMU was killed.
    Hang { timeout: Duration, log: String },
    /// QEMU exited without Xen reporting dom0's shutdown.
    UnexpectedExit { status: String, log: String },
}

impl XenError {
    /// The console log, where there is one.
    pub fn log(&self) -> Option<&str> {
        match self {
            XenError::NotBooted { log, .. }
            | XenError::Panic { log, .. }
            | XenError::Dom0Crashed { log, .. }
            | XenError::Hang { log, .. }
            | XenError::UnexpectedExit { log, .. } => Some(log),
            XenError::Unavailable { .. } | XenError::Qemu { .. } => None,
        }
    }
}

impl fmt::Display for XenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XenError::Unavailable { what, how } => write!(f, "unavailable: {what}; {how}"),
            XenError::Qemu { message } => write!(f, "QEMU: {message}"),
            XenError::NotBooted { reason, .. } => write!(f, "Xen did not boot: {reason}"),
            XenError::Panic { message, .. } => write!(f, "Xen panicked: {message}"),
            XenError::Dom0Crashed { message, .. } => write!(f, "dom0 crashed: {message}"),
            XenError::Hang { timeout, .. } => {
                write!(
                    f,
                    "hang: no end of the boot within {timeout:?}, QEMU killed"
                )
            }
            XenError::UnexpectedExit { status, .. } => write!(
                f,
                "QEMU exited ({status}) without Xen reporting dom0's shutdown"
            ),
        }?;
        if let Some(log) = self.log() {
            write!(f, "\n--- console log ---\n{log}")?;
        }
        Ok(())
    }
}

impl std::error::Error for XenError {}

/// Where the Xen image came from.
#[derive(Clone, Debug)]
pub enum XenOrigin {
    /// `cargo xtask setup`'s cache; the `MANIFEST` fields (`version`, `made`, ...).
    Cached { manifest: Vec<(String, String)> },
    /// Given by the user (`--xen PATH`).
    User,
}

#[derive(Clone, Debug)]
pub struct Xen {
    pub target: XenTarget,
    pub image: PathBuf,
    pub origin: XenOrigin,
}

/// The workspace's `target/xen`, where `cargo xtask setup` puts the hypervisors.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HYPERABI_XEN_DIR") {
        return dir.into();
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("runners sits in the workspace")
        .join("target/xen")
}

impl Xen {
    /// The user's image if given, else the cached build for `target`.
    pub fn locate(target: XenTarget, user: Option<&Path>) -> Result<Xen, XenError> {
        if let Some(path) = user {
            if !path.is_file() {
                return Err(XenError::Unavailable {
                    what: format!("Xen image {} does not exist", path.display()),
                    how: "pass the path of a built hypervisor (xen/xen in a Xen tree; for x86, \
                          not gzipped)"
                        .into(),
                });
            }
            return Ok(Xen {
                target,
                image: path.to_path_buf(),
                origin: XenOrigin::User,
            });
        }
        let dir = cache_dir().join(target.arch.name()).join(if target.debug {
            "debug"
        } else {
            "release"
        });
        let image = dir.join("xen");
        let manifest = std::fs::read_to_string(dir.join("MANIFEST"));
        match (image.is_file(), manifest) {
            (true, Ok(text)) => Ok(Xen {
                target,
                image,
                origin: XenOrigin::Cached {
                    manifest: text
                        .lines()
                        .filter(|l| !l.starts_with('#'))
                        .filter_map(|l| l.split_once('='))
                        .map(|(k, v)| (k.into(), v.into()))
                        .collect(),
                },
            }),
            _ => Err(XenError::Unavailable {
                what: format!("no Xen for {target} in {}", dir.display()),
                how: "run `cargo xtask setup` (downloads Debian's Xen 4.17 and builds the debug \
                      hypervisors), or pass --xen PATH"
                    .into(),
            }),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Qemu {
    pub path: PathBuf,
    /// The first line of `--version`, e.g. `QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u18+b3)`.
    pub version: String,
}

impl Qemu {
    /// The user's QEMU if given, else the one on `PATH`.
    pub fn locate(arch: XenArch, user: Option<&Path>) -> Result<Qemu, XenError> {
        let path = user
            .map(Path::to_path_buf)
            .unwrap_or_else(|| arch.qemu_binary().into());
        let out = Command::new(&path).arg("--version").output();
        match out {
            Ok(o) if o.status.success() => Ok(Qemu {
                version: String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                path,
            }),
            Ok(o) => Err(XenError::Unavailable {
                what: format!("`{} --version` failed ({})", path.display(), o.status),
                how: format!("install {} or pass --qemu PATH", arch.qemu_package()),
            }),
            Err(e) => Err(XenError::Unavailable {
                what: format!("{}: {e}", path.display()),
                how: format!(
                    "`apt-get install {}` (or `cargo xtask setup`), or pass --qemu PATH",
                    arch.qemu_package()
                ),
            }),
        }
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
}

impl BootConfig {
    pub fn new(dom0: impl Into<PathBuf>) -> Self {
        BootConfig {
            dom0: dom0.into(),
            module: None,
            timeout: Duration::from_secs(30),
            extra_xen_args: String::new(),
        }
    }
}

/// Who Xen says it is (its boot banner), and the QEMU it ran under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// `4.17.5`: major.minor + extraversion as the banner prints them.
    pub version: String,
    pub major: u32,
    pub minor: u32,
    /// What follows `major.minor`, e.g. `.5` or `-unstable`.
    pub extraversion: String,
    /// The parenthesised groups between the version and the compiler: upstream `user@domain`;
    /// Debian's banner patch prints `Debian <package version>` and the maintainer's address.
    pub build_info: Vec<String>,
    pub compiler: String,
    pub debug: bool,
    pub compile_date: String,
    /// `Latest ChangeSet:` where Xen prints it.
    pub changeset: Option<String>,
    pub qemu_version: String,
}

/// Parses Xen's banner line `Xen version 4.17.5 (...) (...) (compiler) debug=y <date>` (format of
/// `console_init_preirq` in xen/drivers/char/console.c, with or without Debian's patch).
pub fn parse_banner(log: &str) -> Option<Identity> {
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
    Some(Identity {
        version: version.to_string(),
        major,
        minor,
        extraversion,
        build_info: groups,
        compiler,
        debug,
        compile_date,
        changeset,
        qemu_version: String::new(),
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
    pub identity: Identity,
    /// The whole serial console, as QEMU wrote it.
    pub console: Vec<u8>,
    /// Xen's own lines, without the `(XEN) ` prefix and line ends.
    pub xen_lines: Vec<String>,
    /// What dom0 wrote through console_io (see the module doc for the `\r\n` caveat).
    pub dom0_output: Vec<u8>,
    pub shutdown: Shutdown,
    /// From QEMU's start to the first byte dom0 wrote.
    pub first_dom0_output: Option<Duration>,
    /// From QEMU's start to its exit.
    pub total: Duration,
}

/// Xen's command line for `arch` (targets.md), plus `extra`.
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

/// The QEMU command line that boots `xen` with `config` (without the QEMU binary).
pub fn qemu_args(xen: &Xen, config: &BootConfig) -> Result<Vec<String>, XenError> {
    let path = |p: &Path| -> Result<String, XenError> {
        let s = p.display().to_string();
        if s.contains(',') {
            return Err(XenError::Qemu {
                message: format!("{s}: QEMU option values cannot take a path with a comma"),
            });
        }
        if !p.is_file() {
            return Err(XenError::Qemu {
                message: format!("{s}: no such file"),
            });
        }
        Ok(s)
    };
    let append = xen_command_line(xen.target.arch, &config.extra_xen_args);
    let image = path(&xen.image)?;
    let dom0 = path(&config.dom0)?;
    let mut args: Vec<String> = match xen.target.arch {
        XenArch::Arm64 => [
            "-M",
            "virt,virtualization=on,gic-version=3",
            "-cpu",
            "cortex-a57",
            "-m",
            "1G",
        ]
        .map(String::from)
        .to_vec(),
        XenArch::X86_64 => ["-M", "pc", "-cpu", "qemu64", "-m", "512M"]
            .map(String::from)
            .to_vec(),
    };
    args.extend(
        [
            "-smp",
            "1",
            "-display",
            "none",
            "-serial",
            "stdio",
            "-monitor",
            "none",
            "-no-reboot",
            "-kernel",
        ]
        .map(String::from),
    );
    args.push(image);
    args.push("-append".into());
    args.push(append);
    match xen.target.arch {
        XenArch::Arm64 => {
            args.push("-device".into());
            args.push(format!(
                "guest-loader,addr=0x42000000,kernel={dom0},bootargs=console=hvc0"
            ));
            if let Some(m) = &config.module {
                args.push("-device".into());
                args.push(format!("guest-loader,addr=0x44000000,initrd={}", path(m)?));
            }
        }
        XenArch::X86_64 => {
            args.push("-initrd".into());
            match &config.module {
                Some(m) => args.push(format!("{dom0},{}", path(m)?)),
                None => args.push(dom0),
            }
        }
    }
    Ok(args)
}

/// Boots `xen` under `qemu` with `config`, and waits for dom0's shutdown, a crash, a panic or the
/// timeout.
pub fn boot(xen: &Xen, qemu: &Qemu, config: &BootConfig) -> Result<Boot, XenError> {
    boot_raw(xen, qemu, config, &mut Vec::new())
}

/// [`boot`], also leaving the raw console bytes in `raw` whatever the outcome (the error's log is
/// text; the frames dom0 wrote before a break are binary).
pub fn boot_raw(
    xen: &Xen,
    qemu: &Qemu,
    config: &BootConfig,
    raw: &mut Vec<u8>,
) -> Result<Boot, XenError> {
    if xen.target.arch == XenArch::Arm64 {
        // The guest-loader places dom0 at 0x42000000 and a module at 0x44000000.
        if let Ok(m) = std::fs::metadata(&config.dom0) {
            if config.module.is_some() && m.len() > 0x0200_0000 {
                return Err(XenError::Qemu {
                    message: format!(
                        "{}: dom0 image over 32 MiB would overlap the boot module",
                        config.dom0.display()
                    ),
                });
            }
        }
    }
    let args = qemu_args(xen, config)?;
    let start = Instant::now();
    let mut child = Command::new(&qemu.path)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn_in_group()
        .map_err(|e| XenError::Qemu {
            message: format!("{}: {e}", qemu.path.display()),
        })?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });

    let deadline = start + config.timeout;
    let mut console = Vec::new();
    let mut chunks: Vec<(usize, Instant)> = Vec::new();
    let mut timed_out = false;
    let mut stopped_early = false;
    // Where the console's last incomplete line starts.
    let mut line_start = 0usize;
    loop {
        let now = Instant::now();
        if now >= deadline {
            timed_out = true;
            break;
        }
        match rx.recv_timeout(deadline - now) {
            Ok((t, bytes)) => {
                chunks.push((console.len(), t));
                console.extend_from_slice(&bytes);
                // Xen would wait seconds before restarting after a dom0 crash or a panic: stop
                // as soon as the message is complete.
                // Only the lines the chunk completed are new: scanning the whole console per
                // chunk is quadratic (QEMU hands over a few bytes at a time).
                let from = line_start;
                if let Some(i) = bytes.iter().rposition(|&b| b == b'\n') {
                    line_start = console.len() - bytes.len() + i + 1;
                }
                if line_start > from && terminal_message(&console[from..line_start]) {
                    stopped_early = true;
                    // Give the rest of the message a moment to arrive.
                    let until = Instant::now() + Duration::from_millis(100);
                    while let Ok((t, bytes)) =
                        rx.recv_timeout(until.saturating_duration_since(Instant::now()))
                    {
                        chunks.push((console.len(), t));
                        console.extend_from_slice(&bytes);
                    }
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                timed_out = true;
                break;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    if timed_out || stopped_early {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| XenError::Qemu {
        message: format!("waiting for QEMU: {e}"),
    })?;
    let total = start.elapsed();
    let _ = reader.join();
    raw.clone_from(&console);
    let qemu_stderr = err_reader.join().unwrap_or_default();
    let mut log = String::from_utf8_lossy(&console).into_owned();
    if !qemu_stderr.trim().is_empty() {
        log.push_str("\n--- QEMU stderr ---\n");
        log.push_str(&qemu_stderr);
    }

    let split = split_console(&console);
    let identity = parse_banner(&String::from_utf8_lossy(&console));
    let xen_text = split.xen_lines.join("\n");

    if let Some(message) = find_block(&split.xen_lines, "Panic on CPU") {
        return Err(if split.dom0.is_empty() {
            XenError::NotBooted {
                reason: format!("Xen panicked: {message}"),
                log,
            }
        } else {
            XenError::Panic { message, log }
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
        return Err(XenError::Dom0Crashed { message, log });
    }
    let Some(mut identity) = identity else {
        return Err(XenError::NotBooted {
            reason: if timed_out {
                format!("no Xen banner within {:?}", config.timeout)
            } else {
                format!("no Xen banner; QEMU exited ({status})")
            },
            log,
        });
    };
    identity.qemu_version = qemu.version.clone();
    if timed_out {
        return Err(XenError::Hang {
            timeout: config.timeout,
            log,
        });
    }
    let shutdown = if xen_text.contains("Hardware Dom0 halted") {
        Shutdown::Halted
    } else if xen_text.contains("Hardware Dom0 shutdown: rebooting") {
        Shutdown::Rebooted
    } else {
        return Err(XenError::UnexpectedExit {
            status: status.to_string(),
            log,
        });
    };
    let first_dom0_output = split.first_dom0_offset.map(|off| {
        let t = chunks
            .iter()
            .rev()
            .find(|(at, _)| *at <= off)
            .map(|(_, t)| *t)
            .unwrap_or(start);
        t - start
    });
    Ok(Boot {
        identity,
        console,
        xen_lines: split.xen_lines,
        dom0_output: split.dom0,
        shutdown,
        first_dom0_output,
        total,
    })
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

struct Split {
    xen_lines: Vec<String>,
    dom0: Vec<u8>,
    first_dom0_offset: Option<usize>,
}

/// Separates Xen's `(XEN) ` lines from dom0's bytes. Dom0 output counts from the line after Xen's
/// `Freed ... init memory` (its last line before it runs dom0); before that, unprefixed bytes are
/// boot noise.
fn split_console(console: &[u8]) -> Split {
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
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("runners sits in the workspace")
        .to_path_buf()
}

/// The guest harness built as a dom0 for `arch` by `cargo xtask guests --arch xen-arm64,xen-x86_64`
/// (`runners/guest` with the `xen` feature): arm64 a Linux `Image`, x86_64 a PV ELF.
pub fn guest_image(arch: XenArch) -> PathBuf {
    let dir = workspace().join("target/guest-xen");
    match arch {
        XenArch::Arm64 => dir.join("aarch64-unknown-none/release/hyperabi-guest.Image"),
        XenArch::X86_64 => dir.join("x86_64-unknown-none/release/hyperabi-guest"),
    }
}

/// The arch's name for `cargo xtask guests --arch`.
fn guest_arch(arch: XenArch) -> &'static str {
    match arch {
        XenArch::Arm64 => "xen-arm64",
        XenArch::X86_64 => "xen-x86_64",
    }
}

/// Xen's command-line options every harness boot adds: `sync_console` makes Xen write console
/// output synchronously, so a dom0 writing faster than the serial buffer drains loses nothing
/// (asynchronously, Xen's `__serial_putc` drops characters while its transmit buffer is full).
pub const HARNESS_XEN_ARGS: &str = "serial_tx_buffer=16M";

static NEXT_RUN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A Xen target as a [`crate::Runner`]: one boot per plan, the guest harness as dom0, the plan as
/// its boot module (arm64: the initrd of a second guest-loader device; x86_64: the second
/// multiboot module), the results in the frames dom0 writes through `console_io`.
pub struct XenRunner {
    target: XenTarget,
    name: String,
    setup: Result<(Xen, Qemu, PathBuf), String>,
    /// Kills QEMU after this long (a hang).
    pub timeout: Duration,
    /// Where plan files and console logs go.
    pub work_dir: PathBuf,
}

impl XenRunner {
    /// `xen` and `qemu` override the cached hypervisor and the QEMU on PATH (`--xen`, `--qemu`).
    pub fn new(target: XenTarget, xen: Option<&Path>, qemu: Option<&Path>) -> XenRunner {
        let setup = (|| {
            let x = Xen::locate(target, xen).map_err(|e| format!("{target}: {e}"))?;
            let q = Qemu::locate(target.arch, qemu).map_err(|e| format!("{target}: {e}"))?;
            let image = guest_image(target.arch);
            if !image.is_file() {
                return Err(format!(
                    "{target}: no dom0 image at {}; build it with: cargo xtask guests --arch {}",
                    image.display(),
                    guest_arch(target.arch)
                ));
            }
            Ok((x, q, image))
        })();
        XenRunner {
            target,
            name: target.name(),
            setup,
            timeout: Duration::from_secs(if target.debug { 90 } else { 60 }),
            work_dir: workspace().join("target/xen-runs"),
        }
    }

    pub fn target(&self) -> XenTarget {
        self.target
    }
}

fn abi_arch(arch: XenArch) -> abi_spec::Arch {
    match arch {
        XenArch::Arm64 => abi_spec::Arch::Aarch64,
        XenArch::X86_64 => abi_spec::Arch::X86_64,
    }
}

/// What the frames dom0 wrote say: the records of every sound Data frame, and why the stream is
/// not a whole, successful run (a break, a guest error, an exception outside a probe).
fn read_frames(target: XenTarget, dom0: &[u8], records: &mut Vec<u8>) -> (Vec<u8>, Option<String>) {
    use crate::frame::{self, FrameType, Hello};
    let (stream, err) = frame::decode_partial(dom0);
    let mut problem = err.map(|e| format!("{target}: result stream: {e}"));
    let mut hello = None;
    for f in &stream.frames {
        match f.ty {
            FrameType::Hello => hello = Hello::parse(&f.payload),
            FrameType::Data => records.extend_from_slice(&f.payload),
            FrameType::Error => {
                problem.get_or_insert(format!(
                    "{target}: the guest reported: {}",
                    String::from_utf8_lossy(&f.payload)
                ));
            }
            FrameType::Unexpected => {
                let w = |i: usize| {
                    f.payload
                        .get(i * 8..i * 8 + 8)
                        .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
                        .unwrap_or(0)
                };
                problem.get_or_insert(format!(
                    "{target}: unexpected exception in dom0 outside any probe: class {:#x}, code {:#x}, at {:#x}",
                    w(0),
                    w(1),
                    w(2)
                ));
            }
            FrameType::End => {}
        }
    }
    let want = abi_arch(target.arch) as u8;
    match hello {
        None => {
            problem.get_or_insert(format!("{target}: dom0 sent no Hello frame"));
        }
        Some(h) if h.arch != want || h.version != frame::VERSION => {
            problem.get_or_insert(format!(
                "{target}: Hello from arch {} framing version {}, expected arch {want} version {}",
                h.arch,
                h.version,
                frame::VERSION
            ));
        }
        Some(_) => {}
    }
    (stream.text, problem)
}

impl crate::Runner for XenRunner {
    fn name(&self) -> &str {
        &self.name
    }

    fn arch(&self) -> Option<abi_spec::Arch> {
        Some(abi_arch(self.target.arch))
    }

    fn availability(&self) -> Result<(), String> {
        self.setup.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    fn execute(&mut self, plan: &[u8]) -> crate::Execution {
        let mut ex = crate::Execution::default();
        let (xen, qemu, image) = match &self.setup {
            Ok(s) => s,
            Err(e) => {
                ex.error = Some(e.clone());
                return ex;
            }
        };
        let target = self.target;
        ex.identity.insert("hypervisor".into(), "xen".into());
        ex.identity.insert("accelerator".into(), "qemu-tcg".into());
        ex.identity
            .insert("arch".into(), abi_arch(target.arch).name().into());
        ex.identity
            .insert("qemu_version".into(), qemu.version.clone());
        ex.identity
            .insert("xen_image".into(), xen.image.display().to_string());
        if let XenOrigin::Cached { manifest } = &xen.origin {
            for (k, v) in manifest {
                if k == "version" || k == "package" {
                    ex.identity.insert(format!("xen_package_{k}"), v.clone());
                }
            }
        }
        let start = Instant::now();
        if let Err(e) = std::fs::create_dir_all(&self.work_dir) {
            ex.error = Some(format!("{}: {e}", self.work_dir.display()));
            return ex;
        }
        let id = format!(
            "{}-{}-{}",
            self.name,
            std::process::id(),
            NEXT_RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let plan_path = self.work_dir.join(format!("{id}.plan"));
        if let Err(e) = std::fs::write(&plan_path, crate::frame::plan_blob(plan)) {
            ex.error = Some(format!("{}: {e}", plan_path.display()));
            return ex;
        }
        let config = BootConfig {
            dom0: image.clone(),
            module: Some(plan_path.clone()),
            timeout: self.timeout,
            extra_xen_args: HARNESS_XEN_ARGS.into(),
        };
        let mut raw = Vec::new();
        let result = boot_raw(xen, qemu, &config, &mut raw);
        if result.is_ok() {
            // Kept after a failed boot, to reproduce it.
            let _ = std::fs::remove_file(&plan_path);
        }
        let log_path = self.work_dir.join(format!("{id}.console"));
        ex.elapsed = start.elapsed();
        let split = split_console(&raw);
        if let Some(idn) = parse_banner(&String::from_utf8_lossy(&raw)) {
            ex.identity.insert("version".into(), idn.version.clone());
            ex.identity
                .insert("xen_extraversion".into(), idn.extraversion.clone());
            let mut info = idn.build_info.clone();
            info.push(idn.compiler.clone());
            info.push(idn.compile_date.clone());
            ex.identity
                .insert("xen_compile_info".into(), info.join("; "));
            ex.identity
                .insert("xen_debug".into(), if idn.debug { "y" } else { "n" }.into());
            if let Some(c) = &idn.changeset {
                ex.identity.insert("xen_changeset".into(), c.clone());
            }
        }
        let (dom0_text, problem) = read_frames(target, &split.dom0, &mut ex.records);
        // The raw console (frames included) is kept when the boot went wrong.
        if result.is_err() || problem.is_some() {
            let _ = std::fs::write(&log_path, &raw);
        }
        let mut log = String::new();
        for l in &split.xen_lines {
            log.push_str("(XEN) ");
            log.push_str(l);
            log.push('\n');
        }
        if !dom0_text.is_empty() {
            log.push_str("--- dom0 text outside frames ---\n");
            log.push_str(&String::from_utf8_lossy(&dom0_text));
        }
        match result {
            Ok(b) => {
                ex.first_result = b.first_dom0_output;
                ex.error = problem.map(|p| format!("{p}; console log: {}", log_path.display()));
                if ex.error.is_none()
                    && b.identity.debug != target.debug
                    && !matches!(xen.origin, XenOrigin::User)
                {
                    ex.error = Some(format!(
                        "{target}: the hypervisor says debug={}, the target expects debug={}",
                        if b.identity.debug { "y" } else { "n" },
                        if target.debug { "y" } else { "n" }
                    ));
                }
            }
            Err(e) => {
                // The error's own log is the raw console as text; the frames in it are binary, so
                // the message carries Xen's lines and dom0's text instead (raw bytes: the file).
                let what = e.to_string();
                let what = what.split("\n--- console log ---").next().unwrap_or("");
                let mut msg = format!("{target}: {what}");
                if let Some(p) = problem {
                    msg.push_str(&format!(" (and: {p})"));
                }
                msg.push_str(&format!(
                    "\n--- console log (raw: {}) ---\n{log}",
                    log_path.display()
                ));
                ex.error = Some(msg);
            }
        }
        ex.console_log = log;
        ex
    }
}

/// The throwaway smoke dom0s of `runners/xen-smoke/` (see its README), used by the runner's tests
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

    #[test]
    fn target_names() {
        for t in XenTarget::ALL {
            assert_eq!(XenTarget::parse(&t.name()), Some(t));
        }
        assert_eq!(XenTarget::parse("xen-riscv64"), None);
    }
}
