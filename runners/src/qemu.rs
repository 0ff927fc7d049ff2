//! QEMU targets: boot the guest image (`runners/guest`, built by `cargo xtask guests`) with a
//! plan blob, under a per-boot timeout, and collect its framed results and its console log.
//!
//! | target | QEMU | machine | how the image boots |
//! |---|---|---|---|
//! | `qemu-aarch64` | qemu-system-aarch64 | virt, cortex-a57 | ELF `-kernel`, EL1 |
//! | `qemu-arm` | qemu-system-arm | virt, cortex-a15 | ELF `-kernel`, SVC |
//! | `qemu-s390x` | qemu-system-s390x | s390-ccw-virtio | ELF `-kernel` (IPL) |
//! | `qemu-ppc64` | qemu-system-ppc64 | pseries | flat image as `-bios`, entered at 0x100 |
//! | `qemu-riscv64` | qemu-system-riscv64 | virt | ELF `-kernel`, S-mode under OpenSBI |

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::children::SpawnInGroup;
use crate::frame::{self, FrameType, Hello, Stream, StreamError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Aarch64,
    Arm,
    S390x,
    Ppc64,
    Riscv64,
}

impl Target {
    pub const ALL: [Target; 5] = [
        Target::Aarch64,
        Target::Arm,
        Target::S390x,
        Target::Ppc64,
        Target::Riscv64,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Aarch64 => "qemu-aarch64",
            Target::Arm => "qemu-arm",
            Target::S390x => "qemu-s390x",
            Target::Ppc64 => "qemu-ppc64",
            Target::Riscv64 => "qemu-riscv64",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The arch as `cargo xtask guests --arch` spells it.
    pub fn arch(self) -> &'static str {
        match self {
            Target::Aarch64 => "aarch64",
            Target::Arm => "arm",
            Target::S390x => "s390x",
            Target::Ppc64 => "ppc64",
            Target::Riscv64 => "riscv64",
        }
    }

    /// `abi_spec::Arch` of the target.
    pub fn abi_arch(self) -> abi_spec::Arch {
        match self {
            Target::Aarch64 => abi_spec::Arch::Aarch64,
            Target::Arm => abi_spec::Arch::Arm,
            Target::S390x => abi_spec::Arch::S390x,
            Target::Ppc64 => abi_spec::Arch::Ppc64,
            Target::Riscv64 => abi_spec::Arch::Riscv64,
        }
    }

    pub fn rust_target(self) -> &'static str {
        match self {
            Target::Aarch64 => "aarch64-unknown-none",
            Target::Arm => "armv7a-none-eabi",
            Target::S390x => "s390x-unknown-none-softfloat",
            Target::Ppc64 => "powerpc64-unknown-linux-musl",
            Target::Riscv64 => "riscv64gc-unknown-none-elf",
        }
    }

    pub fn qemu_binary(self) -> &'static str {
        match self {
            Target::Aarch64 => "qemu-system-aarch64",
            Target::Arm => "qemu-system-arm",
            Target::S390x => "qemu-system-s390x",
            Target::Ppc64 => "qemu-system-ppc64",
            Target::Riscv64 => "qemu-system-riscv64",
        }
    }

    /// The Debian package with the QEMU binary.
    pub fn package(self) -> &'static str {
        match self {
            Target::Aarch64 | Target::Arm => "qemu-system-arm",
            Target::S390x | Target::Riscv64 => "qemu-system-misc",
            Target::Ppc64 => "qemu-system-ppc",
        }
    }

    pub fn machine(self) -> &'static str {
        match self {
            Target::Aarch64 | Target::Arm | Target::Riscv64 => "virt",
            Target::S390x => "s390-ccw-virtio",
            Target::Ppc64 => "pseries",
        }
    }

    /// The CPU model asked for (`None`: the machine's default).
    pub fn cpu(self) -> Option<&'static str> {
        match self {
            Target::Aarch64 => Some("cortex-a57"),
            Target::Arm => Some("cortex-a15"),
            _ => None,
        }
    }

    /// Where the guest looks for the plan (`PLAN_ADDR` of its boot environment).
    pub fn plan_addr(self) -> u64 {
        match self {
            Target::Aarch64 | Target::Arm => 0x4400_0000,
            Target::Riscv64 => 0x8400_0000,
            Target::S390x | Target::Ppc64 => 0x400_0000,
        }
    }

    fn memory(self) -> &'static str {
        match self {
            Target::Ppc64 => "256M",
            _ => "128M",
        }
    }

    /// The image file under the workspace's `target/guest`.
    pub fn image(self, workspace: &Path) -> PathBuf {
        let elf = workspace
            .join("target/guest")
            .join(self.rust_target())
            .join("release/hyperabi-guest");
        match self {
            Target::Ppc64 => elf.with_extension("bin"),
            _ => elf,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the target is, as far as the host can tell before booting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub target: Target,
    pub qemu: PathBuf,
    /// First line of `qemu-system-* --version`.
    pub qemu_version: String,
    pub machine: String,
    pub cpu: String,
}

#[derive(Debug)]
pub enum RunError {
    /// QEMU is not installed (or not where `--qemu` says).
    Unavailable {
        target: Target,
        detail: String,
        install: String,
    },
    /// The guest image has not been built.
    NoImage { target: Target, path: PathBuf },
    /// Starting QEMU or handling files failed.
    Io { target: Target, detail: String },
    /// The guest did not finish in time; QEMU was killed.
    Timeout {
        target: Target,
        after: Duration,
        frames: usize,
        log: PathBuf,
    },
    /// QEMU exited with a failure status or was killed.
    Died {
        target: Target,
        status: String,
        stderr: String,
        log: PathBuf,
    },
    /// The result stream is truncated, corrupted or has a gap.
    Stream {
        target: Target,
        error: StreamError,
        log: PathBuf,
    },
    /// The guest took an exception outside any probe.
    GuestException {
        target: Target,
        class: u64,
        code: u64,
        addr: u64,
        log: PathBuf,
    },
    /// The guest reported an error (bad plan, panic).
    Guest {
        target: Target,
        message: String,
        log: PathBuf,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Unavailable {
                target,
                detail,
                install,
            } => write!(f, "{target}: unavailable: {detail}; install it with: {install}"),
            RunError::NoImage { target, path } => write!(
                f,
                "{target}: no guest image at {}; build it with: cargo xtask guests --arch {}",
                path.display(),
                target.arch()
            ),
            RunError::Io { target, detail } => write!(f, "{target}: {detail}"),
            RunError::Timeout {
                target,
                after,
                frames,
                log,
            } => write!(
                f,
                "{target}: the guest did not finish (killed after {:.1} s: the per-boot timeout, or {} s without output once it had started; {frames} frames received); console log: {}",
                after.as_secs_f64(),
                IDLE.as_secs(),
                log.display()
            ),
            RunError::Died {
                target,
                status,
                stderr,
                log,
            } => write!(
                f,
                "{target}: QEMU {status}; stderr: {:?}; console log: {}",
                stderr.trim(),
                log.display()
            ),
            RunError::Stream { target, error, log } => {
                write!(f, "{target}: {error}; console log: {}", log.display())
            }
            RunError::GuestException {
                target,
                class,
                code,
                addr,
                log,
            } => write!(
                f,
                "{target}: unexpected exception in the guest outside any probe: class {class:#x}, code {code:#x}, at {addr:#x}; console log: {}",
                log.display()
            ),
            RunError::Guest {
                target,
                message,
                log,
            } => write!(
                f,
                "{target}: the guest reported: {message}; console log: {}",
                log.display()
            ),
        }
    }
}

impl std::error::Error for RunError {}

/// Timings of one boot.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// From spawning QEMU to the first complete frame.
    pub first_frame: Option<Duration>,
    /// From spawning QEMU to its exit.
    pub wall: Duration,
}

/// A finished boot.
#[derive(Clone, Debug)]
pub struct Boot {
    pub identity: Identity,
    pub hello: Hello,
    /// The Data frames' payloads, in order.
    pub data: Vec<Vec<u8>>,
    /// Every byte the guest wrote to its console (frames included).
    pub console: Vec<u8>,
    /// Where the console log was written.
    pub log: PathBuf,
    pub timings: Timings,
}

#[derive(Clone, Debug)]
pub struct Qemu {
    pub target: Target,
    pub qemu: PathBuf,
    pub image: PathBuf,
    pub timeout: Duration,
    /// Where plan files and console logs go.
    pub work_dir: PathBuf,
}

/// Finds `name` on PATH.
fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

impl Qemu {
    /// A runner for `target` with the image under `workspace/target/guest`. `qemu` overrides the
    /// QEMU binary (`--qemu PATH`).
    pub fn new(target: Target, workspace: &Path, qemu: Option<&Path>) -> Result<Qemu, RunError> {
        let install = format!(
            "apt-get install -y {} (as root; or run `cargo xtask setup`)",
            target.package()
        );
        let qemu = match qemu {
            Some(p) if p.is_file() => p.to_path_buf(),
            Some(p) => {
                return Err(RunError::Unavailable {
                    target,
                    detail: format!("{} does not exist", p.display()),
                    install,
                })
            }
            None => which(target.qemu_binary()).ok_or_else(|| RunError::Unavailable {
                target,
                detail: format!("{} is not on PATH", target.qemu_binary()),
                install,
            })?,
        };
        let image = target.image(workspace);
        if !image.is_file() {
            return Err(RunError::NoImage {
                target,
                path: image,
            });
        }
        Ok(Qemu {
            target,
            qemu,
            image,
            timeout: Duration::from_secs(20),
            work_dir: workspace.join("target/qemu"),
        })
    }

    fn io(&self, detail: impl fmt::Display) -> RunError {
        RunError::Io {
            target: self.target,
            detail: detail.to_string(),
        }
    }

    /// QEMU's version, the machine and the CPU.
    pub fn identity(&self) -> Result<Identity, RunError> {
        let out = Command::new(&self.qemu)
            .arg("--version")
            .output()
            .map_err(|e| self.io(format!("{} --version: {e}", self.qemu.display())))?;
        let version = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        if !out.status.success() || version.is_empty() {
            return Err(RunError::Unavailable {
                target: self.target,
                detail: format!("{} --version failed ({})", self.qemu.display(), out.status),
                install: format!("apt-get install -y {}", self.target.package()),
            });
        }
        Ok(Identity {
            target: self.target,
            qemu: self.qemu.clone(),
            qemu_version: version,
            machine: self.target.machine().to_string(),
            cpu: self.target.cpu().unwrap_or("default").to_string(),
        })
    }

    /// The QEMU command line for a plan file.
    pub fn command(&self, plan: &Path) -> Command {
        let t = self.target;
        let mut c = Command::new(&self.qemu);
        c.args(["-M", t.machine()]);
        if let Some(cpu) = t.cpu() {
            c.args(["-cpu", cpu]);
        }
        c.args(["-m", t.memory()]);
        c.args(["-display", "none", "-nodefaults", "-no-reboot"]);
        c.args(["-serial", "stdio"]);
        match t {
            Target::Ppc64 => {
                c.arg("-bios").arg(&self.image);
                // H_RANDOM is served only with an RNG device, which needs a backend.
                c.args([
                    "-object",
                    "rng-random,id=hyperabi-rng,filename=/dev/urandom",
                ]);
                c.args(["-device", "spapr-rng,rng=hyperabi-rng"]);
            }
            _ => {
                c.arg("-kernel").arg(&self.image);
            }
        }
        c.arg("-device").arg(format!(
            "loader,file={},addr={:#x},force-raw=on",
            plan.display(),
            t.plan_addr()
        ));
        c
    }

    /// Starts QEMU with `plan` (the payload; the header is added here).
    pub fn spawn(&self, plan: &[u8]) -> Result<Running, RunError> {
        std::fs::create_dir_all(&self.work_dir)
            .map_err(|e| self.io(format!("{}: {e}", self.work_dir.display())))?;
        let id = format!(
            "{}-{}-{}",
            self.target.name(),
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let plan_path = self.work_dir.join(format!("{id}.plan"));
        std::fs::write(&plan_path, frame::plan_blob(plan))
            .map_err(|e| self.io(format!("{}: {e}", plan_path.display())))?;
        let log = self.work_dir.join(format!("{id}.console"));
        let start = Instant::now();
        let mut child = self
            .command(&plan_path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn_in_group()
            .map_err(|e| self.io(format!("starting {}: {e}", self.qemu.display())))?;
        let shared = Arc::new(Mutex::new(Capture::default()));
        let mut stdout = child.stdout.take().unwrap();
        let sink = Arc::clone(&shared);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                match stdout.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut c = sink.lock().unwrap();
                        c.bytes.extend_from_slice(&buf[..n]);
                        if c.first_frame.is_none() && frame::scan(&c.bytes) > 0 {
                            c.first_frame = Some(start.elapsed());
                        }
                    }
                }
            }
        });
        let mut stderr = child.stderr.take().unwrap();
        let err_reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        Ok(Running {
            runner: self.clone(),
            child,
            start,
            shared,
            reader: Some(reader),
            err_reader: Some(err_reader),
            log,
            plan_path,
        })
    }

    /// Boots once with `plan` and returns the results.
    pub fn boot(&self, plan: &[u8]) -> Result<Boot, RunError> {
        let identity = self.identity()?;
        self.spawn(plan)?.wait(identity)
    }
}

/// Silence, once the guest has written something, after which it counts as hung.
pub const IDLE: Duration = Duration::from_secs(3);

static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

#[derive(Default)]
struct Capture {
    bytes: Vec<u8>,
    first_frame: Option<Duration>,
}

/// A QEMU process in flight.
pub struct Running {
    runner: Qemu,
    child: Child,
    start: Instant,
    shared: Arc<Mutex<Capture>>,
    reader: Option<std::thread::JoinHandle<()>>,
    err_reader: Option<std::thread::JoinHandle<String>>,
    log: PathBuf,
    plan_path: PathBuf,
}

fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (None, Some(s)) => format!("was killed by signal {s}"),
        _ => format!("ended ({status})"),
    }
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Complete frames received so far.
    pub fn frames(&self) -> usize {
        frame::scan(&self.shared.lock().unwrap().bytes)
    }

    /// Waits for QEMU to exit (killing it at the timeout), then checks the stream.
    pub fn wait(mut self, identity: Identity) -> Result<Boot, RunError> {
        let target = self.runner.target;
        let deadline = self.start + self.runner.timeout;
        // A guest that has started answering and then says nothing for IDLE is hung (a
        // firmware that never returns from a trap): no need to wait for the whole timeout.
        let mut seen = 0;
        let mut last = Instant::now();
        let status = loop {
            let now = Instant::now();
            let len = self.shared.lock().unwrap().bytes.len();
            if len != seen {
                seen = len;
                last = now;
            }
            match self.child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) if now >= deadline => break None,
                Ok(None) if seen > 0 && now - last >= IDLE => break None,
                Ok(None) => std::thread::sleep(Duration::from_millis(1)),
                Err(e) => return Err(self.runner.io(format!("waiting for QEMU: {e}"))),
            }
        };
        let wall = self.start.elapsed();
        if status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let stderr = self
            .err_reader
            .take()
            .and_then(|r| r.join().ok())
            .unwrap_or_default();
        let (console, first_frame) = {
            let c = self.shared.lock().unwrap();
            (c.bytes.clone(), c.first_frame)
        };
        let _ = std::fs::remove_file(&self.plan_path);
        std::fs::write(&self.log, &console)
            .map_err(|e| self.runner.io(format!("{}: {e}", self.log.display())))?;
        let log = self.log.clone();
        let Some(status) = status else {
            return Err(RunError::Timeout {
                target,
                after: wall,
                frames: frame::scan(&console),
                log,
            });
        };
        if !status.success() {
            return Err(RunError::Died {
                target,
                status: describe(status),
                stderr,
                log,
            });
        }
        let stream: Stream = frame::decode(&console).map_err(|error| RunError::Stream {
            target,
            error,
            log: log.clone(),
        })?;
        let mut hello = None;
        let mut data = Vec::new();
        for f in stream.frames {
            match f.ty {
                FrameType::Hello => hello = Hello::parse(&f.payload),
                FrameType::Data => data.push(f.payload),
                FrameType::Error => {
                    return Err(RunError::Guest {
                        target,
                        message: String::from_utf8_lossy(&f.payload).into_owned(),
                        log,
                    })
                }
                FrameType::Unexpected => {
                    let w = |i: usize| {
                        f.payload
                            .get(i * 8..i * 8 + 8)
                            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
                            .unwrap_or(0)
                    };
                    return Err(RunError::GuestException {
                        target,
                        class: w(0),
                        code: w(1),
                        addr: w(2),
                        log,
                    });
                }
                FrameType::End => {}
            }
        }
        let hello = hello.ok_or_else(|| RunError::Stream {
            target,
            error: StreamError::Corrupted {
                offset: 0,
                detail: "no Hello frame".into(),
            },
            log: log.clone(),
        })?;
        if hello.arch != target.abi_arch() as u8 || hello.version != frame::VERSION {
            return Err(RunError::Guest {
                target,
                message: format!(
                    "Hello from arch {} framing version {}, expected arch {} version {}",
                    hello.arch,
                    hello.version,
                    target.abi_arch() as u8,
                    frame::VERSION
                ),
                log,
            });
        }
        Ok(Boot {
            identity,
            hello,
            data,
            console,
            log,
            timings: Timings { first_frame, wall },
        })
    }
}

/// The workspace root (this crate's parent directory).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

impl RunError {
    /// The console log of the boot, when there was one.
    pub fn log(&self) -> Option<&Path> {
        match self {
            RunError::Timeout { log, .. }
            | RunError::Died { log, .. }
            | RunError::Stream { log, .. }
            | RunError::GuestException { log, .. }
            | RunError::Guest { log, .. } => Some(log),
            RunError::Unavailable { .. } | RunError::NoImage { .. } | RunError::Io { .. } => None,
        }
    }
}

/// A QEMU target as a [`crate::Runner`]: one boot per plan, the plan in memory, the results
/// from the Data frames.
pub struct QemuRunner {
    target: Target,
    qemu: Result<Qemu, String>,
}

impl QemuRunner {
    /// `qemu` overrides the QEMU binary (`--qemu PATH`).
    pub fn new(target: Target, qemu: Option<&Path>) -> QemuRunner {
        let qemu = Qemu::new(target, &workspace(), qemu).map_err(|e| e.to_string());
        QemuRunner { target, qemu }
    }
}

impl crate::Runner for QemuRunner {
    fn name(&self) -> &str {
        self.target.name()
    }

    fn arch(&self) -> Option<abi_spec::Arch> {
        Some(self.target.abi_arch())
    }

    fn availability(&self) -> Result<(), String> {
        self.qemu.as_ref().map(|_| ()).map_err(Clone::clone)
    }

    fn execute(&mut self, plan: &[u8]) -> crate::Execution {
        let mut ex = crate::Execution::default();
        let q = match &self.qemu {
            Ok(q) => q,
            Err(e) => {
                ex.error = Some(e.clone());
                return ex;
            }
        };
        ex.identity.insert("hypervisor".into(), "qemu".into());
        ex.identity.insert("accelerator".into(), "tcg".into());
        ex.identity
            .insert("arch".into(), self.target.abi_arch().name().into());
        match q.identity() {
            Ok(id) => {
                ex.identity
                    .insert("version".into(), id.qemu_version.clone());
                ex.identity.insert("machine".into(), id.machine.clone());
                ex.identity.insert("cpu".into(), id.cpu.clone());
            }
            Err(e) => {
                ex.error = Some(e.to_string());
                return ex;
            }
        }
        let start = std::time::Instant::now();
        let console = match q.boot(plan) {
            Ok(b) => {
                ex.first_result = b.timings.first_frame;
                for d in &b.data {
                    ex.records.extend_from_slice(d);
                }
                b.console
            }
            Err(e) => {
                ex.error = Some(e.to_string());
                // Keep what arrived before the break: every sound Data frame.
                let bytes = e
                    .log()
                    .and_then(|l| std::fs::read(l).ok())
                    .unwrap_or_default();
                let (stream, _) = frame::decode_partial(&bytes);
                for f in stream.frames.iter().filter(|f| f.ty == FrameType::Data) {
                    ex.records.extend_from_slice(&f.payload);
                }
                bytes
            }
        };
        ex.elapsed = start.elapsed();
        let (stream, _) = frame::decode_partial(&console);
        ex.console_log = String::from_utf8_lossy(&stream.text).into_owned();
        ex
    }
}
