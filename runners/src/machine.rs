//! The QEMU machine layer under every QEMU-based backend: which QEMU binary (and its firmware
//! directory), starting it, capturing the console with a timestamp per chunk, the per-boot,
//! first-output and silence timeouts, QEMU's own stderr, the console log file, and reading the
//! guest's frames out of what it wrote. The backends (`qemu`, `xen`) only say what to boot and how
//! to tell their console apart.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use abi_spec::Arch;

use crate::catalog::{Component, Origin};
use crate::error::Error;
use crate::frame::{self, FrameType, Hello, Unexpected};
use crate::identity::{ComponentInfo, Role};

/// The QEMU system emulator for `arch` (`qemu-system-aarch64`).
pub fn qemu_binary_name(arch: Arch) -> &'static str {
    match arch {
        Arch::Aarch64 => "qemu-system-aarch64",
        Arch::Arm => "qemu-system-arm",
        Arch::X86_64 | Arch::X86 => "qemu-system-x86_64",
        Arch::Riscv64 => "qemu-system-riscv64",
        Arch::S390x => "qemu-system-s390x",
        Arch::Ppc64 => "qemu-system-ppc64",
    }
}

/// A QEMU binary that answered `--version` like a QEMU.
#[derive(Clone, Debug)]
pub struct QemuBinary {
    /// Its path.
    pub path: PathBuf,
    /// `-L`: the firmware directory of a QEMU unpacked outside the system; without it such a
    /// QEMU silently loads the system QEMU's firmware.
    pub data_dir: Option<PathBuf>,
    /// The first line of `--version`.
    pub banner: String,
    /// What it is, for the report.
    pub info: ComponentInfo,
}

/// Finds the executable `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    which::which(name).ok()
}

impl QemuBinary {
    /// The QEMU of `component` for `arch`, or the user's (`--qemu ARCH=PATH`).
    pub fn resolve(
        arch: Arch,
        component: &'static Component,
        user: Option<&Path>,
    ) -> Result<QemuBinary, Error> {
        let name = qemu_binary_name(arch);
        let (path, data_dir, source) = match (user, component.origin) {
            (Some(p), _) => (p.to_path_buf(), None, format!("user: {}", p.display())),
            (None, Origin::System { packages }) => {
                let path = which(name).ok_or_else(|| Error::Unavailable {
                    what: format!("{name} is not on PATH"),
                    how: format!(
                        "run `cargo xtask setup` (or, as root, apt-get install -y {})",
                        packages.join(" ")
                    ),
                })?;
                (path, None, component.provenance())
            }
            (None, _) => {
                let path = component.file(&format!("usr/bin/{name}"));
                if !path.is_file() {
                    return Err(Error::Unavailable {
                        what: format!("no {} at {}", component.id, path.display()),
                        how:
                            "run `cargo xtask setup` (it unpacks the pinned Debian packages there)"
                                .into(),
                    });
                }
                (
                    path,
                    Some(component.file("usr/share/qemu")),
                    component.provenance(),
                )
            }
        };
        if !path.is_file() {
            return Err(Error::Unavailable {
                what: format!("QEMU {} does not exist", path.display()),
                how: "pass the path of a built qemu-system-* binary".into(),
            });
        }
        let out = Command::new(&path)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Error::NotQemu {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        let text = String::from_utf8_lossy(&out.stdout);
        let banner = text.lines().next().unwrap_or("").trim().to_string();
        let Some(rest) = banner.strip_prefix("QEMU emulator version ") else {
            return Err(Error::NotQemu {
                path,
                detail: format!(
                    "`--version` printed {:?} ({}), not `QEMU emulator version ...`",
                    banner, out.status
                ),
            });
        };
        let (version, build) = match rest.split_once(' ') {
            Some((v, b)) => (v.to_string(), Some(b.trim_matches(['(', ')']).to_string())),
            None => (rest.to_string(), None),
        };
        Ok(QemuBinary {
            info: ComponentInfo {
                role: Role::Qemu,
                name: "QEMU".into(),
                version,
                build,
                source,
            },
            path,
            data_dir,
            banner,
        })
    }

    /// A command running this QEMU, with its firmware directory.
    pub fn command(&self) -> Command {
        let mut c = Command::new(&self.path);
        if let Some(d) = &self.data_dir {
            c.arg("-L").arg(d);
        }
        c
    }
}

/// When a boot is given up.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The whole boot.
    pub boot: Duration,
    /// Until the first console byte (a QEMU or image that never starts shows fast).
    pub first_output: Duration,
    /// Silence once the guest has started answering (a firmware that never returns from a
    /// trap). `None`: only the boot limit (a debug Xen is silent for seconds in its self-tests).
    pub idle: Option<Duration>,
}

/// How QEMU's run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// QEMU exited by itself.
    Exited(ExitStatus),
    /// Killed at [`Limits::boot`].
    Timeout,
    /// Killed after [`Limits::first_output`] without a byte.
    Silent,
    /// Killed after [`Limits::idle`] of silence.
    Idle,
    /// Killed because the backend's watcher saw the end (a Xen crash message).
    Stopped,
}

/// What QEMU wrote, and how its run ended.
#[derive(Clone, Debug)]
pub struct Console {
    /// Every byte of the serial console.
    pub bytes: Vec<u8>,
    /// (offset into `bytes`, time since start) of each chunk as it arrived.
    pub chunks: Vec<(usize, Duration)>,
    /// QEMU's own stderr.
    pub stderr: String,
    /// How the run ended.
    pub end: End,
    /// From start to exit.
    pub wall: Duration,
    /// Where the console was written (always, so a failed boot can be read afterwards).
    pub log: PathBuf,
}

impl Console {
    /// When the byte at `offset` arrived.
    pub fn time_at(&self, offset: usize) -> Option<Duration> {
        self.chunks
            .iter()
            .rev()
            .find(|(at, _)| *at <= offset)
            .map(|(_, t)| *t)
    }

    /// QEMU's stderr, trimmed, for a message (empty: none).
    pub fn stderr_note(&self) -> String {
        let s = self.stderr.trim();
        if s.is_empty() {
            String::new()
        } else {
            format!("; QEMU stderr: {s}")
        }
    }
}

/// Describes an exit status.
pub fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (None, Some(s)) => format!("was killed by signal {s}"),
        _ => format!("ended ({status})"),
    }
}

/// Runs `qemu` with `args` until it exits, a limit is hit, or `stop` (given the console so far
/// and where the new bytes start) says the run is over. The console is written to `log`.
pub fn run(
    qemu: &QemuBinary,
    args: &[OsString],
    limits: Limits,
    log: &Path,
    stop: &mut dyn FnMut(&[u8], usize) -> bool,
) -> Result<Console, Error> {
    let mut cmd = qemu.command();
    cmd.args(args);
    run_process(cmd, limits, log, stop)
}

/// [`run`] for any program whose stdout is the guest's console: QEMU, or hyperabi's VMM on the
/// machine's own KVM.
pub fn run_process(
    mut cmd: Command,
    limits: Limits,
    log: &Path,
    stop: &mut dyn FnMut(&[u8], usize) -> bool,
) -> Result<Console, Error> {
    let program = PathBuf::from(cmd.get_program());
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io {
            path: dir.to_path_buf(),
            detail: e.to_string(),
        })?;
    }
    let start = Instant::now();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, registered: a terminal's Ctrl-C reaches hyperabi alone, which
    // stops every QEMU it started; after that no QEMU starts.
    let mut child = crate::children::spawn_in_group(&mut cmd).map_err(|e| Error::Spawn {
        qemu: program.clone(),
        detail: e.to_string(),
    })?;
    let pid = child.id();
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
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
    let mut bytes = Vec::new();
    let mut chunks = Vec::new();
    let mut last = start;
    let end = loop {
        let now = Instant::now();
        let limit = if bytes.is_empty() {
            (start + limits.first_output.min(limits.boot), End::Silent)
        } else {
            match limits.idle {
                Some(idle) if last + idle < start + limits.boot => (last + idle, End::Idle),
                _ => (start + limits.boot, End::Timeout),
            }
        };
        if now >= limit.0 {
            break limit.1;
        }
        match rx.recv_timeout((limit.0 - now).min(Duration::from_millis(50))) {
            Ok(chunk) => {
                let t = Instant::now();
                last = t;
                chunks.push((bytes.len(), t - start));
                let from = bytes.len();
                bytes.extend_from_slice(&chunk);
                if stop(&bytes, from) {
                    // Give the rest of the message a moment to arrive.
                    let until = Instant::now() + Duration::from_millis(100);
                    while let Ok(more) =
                        rx.recv_timeout(until.saturating_duration_since(Instant::now()))
                    {
                        chunks.push((bytes.len(), start.elapsed()));
                        bytes.extend_from_slice(&more);
                    }
                    break End::Stopped;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Ok(Some(status)) = child.try_wait() {
                    // Drain what is left in the pipe.
                    while let Ok(more) = rx.recv_timeout(Duration::from_millis(200)) {
                        chunks.push((bytes.len(), start.elapsed()));
                        bytes.extend_from_slice(&more);
                    }
                    break End::Exited(status);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = child.wait().map_err(|e| Error::Spawn {
                    qemu: program.clone(),
                    detail: format!("waiting: {e}"),
                })?;
                break End::Exited(status);
            }
        }
    };
    if !matches!(end, End::Exited(_)) {
        // The whole group: QEMU and anything it started.
        let _ = crate::children::kill_group(pid);
        let _ = child.kill();
        let _ = child.wait();
    }
    crate::children::unregister(pid);
    let wall = start.elapsed();
    let _ = reader.join();
    let stderr = err_reader.join().unwrap_or_default();
    std::fs::write(log, &bytes).map_err(|e| Error::Io {
        path: log.to_path_buf(),
        detail: e.to_string(),
    })?;
    Ok(Console {
        bytes,
        chunks,
        stderr,
        end,
        wall,
        log: log.to_path_buf(),
    })
}

/// What the guest's frames said.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// The Hello frame, if one arrived.
    pub hello: Option<Hello>,
    /// The Data frames' payloads, in order, from sound frames only.
    pub data: Vec<Vec<u8>>,
    /// The console text between frames (firmware banners, guest messages).
    pub text: Vec<u8>,
    /// Where the first frame started in the stream.
    pub first_frame: Option<usize>,
    /// Why the stream is not a whole, successful run.
    pub problem: Option<Error>,
}

impl Results {
    /// The records of every Data frame, concatenated.
    pub fn records(&self) -> Vec<u8> {
        self.data.concat()
    }
}

/// Reads the frames of `stream` (the guest's own bytes) from a guest of `arch`: every sound Data
/// frame, and the first problem (a break, a guest error, an exception outside a probe, a guest of
/// another arch or framing version).
pub fn read_results(stream: &[u8], arch: Arch, log: &Path) -> Results {
    let (decoded, err) = frame::decode_partial(stream);
    let mut r = Results {
        text: decoded.text,
        first_frame: decoded.frames.first().map(|f| f.offset),
        ..Results::default()
    };
    let mut problem = None;
    for f in decoded.frames {
        match f.ty {
            FrameType::Hello => r.hello = Hello::parse(&f.payload),
            FrameType::Data => r.data.push(f.payload),
            FrameType::Error => {
                problem.get_or_insert(Error::Guest {
                    message: String::from_utf8_lossy(&f.payload).into_owned(),
                    log: log.to_path_buf(),
                });
            }
            FrameType::Unexpected => {
                problem.get_or_insert(Error::GuestException {
                    exception: Unexpected::parse(&f.payload),
                    log: log.to_path_buf(),
                });
            }
            FrameType::End => {}
        }
    }
    if let Some(error) = err {
        problem.get_or_insert(Error::Stream {
            error,
            log: log.to_path_buf(),
        });
    }
    match r.hello {
        None if problem.is_none() => {
            problem = Some(Error::NoHello {
                log: log.to_path_buf(),
            })
        }
        Some(h) if h.arch != arch as u8 || h.version != frame::VERSION => {
            problem.get_or_insert(Error::WrongGuest {
                detail: format!(
                    "Hello from arch {} framing version {}, expected arch {} ({arch}) version {}",
                    h.arch,
                    h.version,
                    arch as u8,
                    frame::VERSION
                ),
                log: log.to_path_buf(),
            });
        }
        _ => {}
    }
    r.problem = problem;
    r
}

/// A unique file stem for one boot of `target` in this process.
pub fn run_id(target: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!(
        "{target}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// A QEMU option value naming a file: it must exist and hold no comma (QEMU's option syntax).
pub fn file_arg(p: &Path) -> Result<String, Error> {
    let s = p.display().to_string();
    if s.contains(',') {
        return Err(Error::Io {
            path: p.to_path_buf(),
            detail: "QEMU option values cannot take a path with a comma".into(),
        });
    }
    if !p.is_file() {
        return Err(Error::Io {
            path: p.to_path_buf(),
            detail: "no such file".into(),
        });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(frames: &[(FrameType, &[u8])]) -> Vec<u8> {
        let mut out = b"banner\n".to_vec();
        for (seq, (ty, p)) in frames.iter().enumerate() {
            let h = abi_spec::frame::header(*ty, seq as u32, p.len() as u32);
            out.extend_from_slice(&h);
            out.extend_from_slice(p);
            out.extend_from_slice(&abi_spec::frame::frame_crc(&h, p).to_le_bytes());
        }
        out
    }

    fn hello(arch: Arch) -> [u8; 16] {
        Hello {
            arch: arch as u8,
            version: frame::VERSION,
            plan_len: 0,
            plan_crc: 0,
            plan_addr: 0,
        }
        .encode()
    }

    #[test]
    fn whole_stream_has_no_problem() {
        let s = framed(&[
            (FrameType::Hello, &hello(Arch::Riscv64)),
            (FrameType::Data, b"rec"),
            (FrameType::End, &2u32.to_le_bytes()),
        ]);
        let r = read_results(&s, Arch::Riscv64, Path::new("log"));
        assert!(r.problem.is_none(), "{:?}", r.problem);
        assert_eq!(r.records(), b"rec");
        assert_eq!(r.text, b"banner\n");
        assert_eq!(r.first_frame, Some(7));
    }

    #[test]
    fn each_problem_is_named() {
        let wrong = framed(&[
            (FrameType::Hello, &hello(Arch::Arm)),
            (FrameType::End, &1u32.to_le_bytes()),
        ]);
        let r = read_results(&wrong, Arch::Riscv64, Path::new("log"));
        assert!(matches!(r.problem, Some(Error::WrongGuest { .. })));
        let r = read_results(b"no frames at all", Arch::Riscv64, Path::new("log"));
        assert!(matches!(r.problem, Some(Error::Stream { .. })));
        let exc = framed(&[
            (FrameType::Hello, &hello(Arch::Riscv64)),
            (FrameType::Data, b"kept"),
            (
                FrameType::Unexpected,
                &Unexpected {
                    class: 2,
                    code: 0,
                    addr: 0x8020_0000,
                }
                .encode(),
            ),
            (FrameType::End, &3u32.to_le_bytes()),
        ]);
        let r = read_results(&exc, Arch::Riscv64, Path::new("log"));
        assert!(matches!(r.problem, Some(Error::GuestException { .. })));
        assert_eq!(r.records(), b"kept");
    }

    #[test]
    fn a_non_qemu_is_recognised_without_booting() {
        let c = crate::catalog::Component::get(crate::catalog::QEMU_7_2).unwrap();
        let e = QemuBinary::resolve(Arch::Aarch64, c, Some(Path::new("/bin/true"))).unwrap_err();
        assert!(matches!(e, Error::NotQemu { .. }), "{e}");
        assert!(!e.worth_retrying());
    }
}
