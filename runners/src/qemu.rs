//! QEMU targets: the guest image of the target's boot environment on QEMU's machine, served by
//! QEMU itself (PSCI, DIAG 0x500, PAPR) or by firmware (OpenSBI, TF-A), one boot per plan. The
//! machine recipe, the QEMU and the firmware come from the target's catalogue entry; starting,
//! timeouts and frame reading are the machine layer's ([`crate::machine`]).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::catalog::{BootEnv, Component, Load, TargetSpec};
use crate::error::Error;
use crate::frame::Hello;
use crate::identity::{firmware_from_banner, ComponentInfo, Identity, Role};
use crate::machine::{self, file_arg, Console, End, Limits, QemuBinary, Results};
use crate::{Execution, Overrides, Runner};

/// Limits of one boot: the whole plan runs in well under a second on every target today.
pub const LIMITS: Limits = Limits {
    boot: Duration::from_secs(20),
    first_output: Duration::from_secs(10),
    idle: Some(Duration::from_secs(3)),
};

/// Firmware passed with `-bios`.
#[derive(Clone, Debug)]
struct Firmware {
    path: PathBuf,
    /// Where it came from (package provenance or `user: PATH`).
    source: String,
}

#[derive(Clone, Debug)]
struct Setup {
    qemu: QemuBinary,
    env: &'static BootEnv,
    image: PathBuf,
    firmware: Option<Firmware>,
}

/// A finished boot whose stream was whole.
#[derive(Clone, Debug)]
pub struct Boot {
    /// What ran.
    pub identity: Identity,
    /// The guest's Hello frame.
    pub hello: Hello,
    /// The Data frames' payloads, in order.
    pub data: Vec<Vec<u8>>,
    /// Every byte the guest and its firmware wrote (frames included).
    pub console: Vec<u8>,
    /// Where the console log was written.
    pub log: PathBuf,
    /// From spawning QEMU to the first frame.
    pub first_frame: Option<Duration>,
    /// From spawning QEMU to its exit.
    pub wall: Duration,
}

/// A QEMU target of the catalogue as a [`Runner`].
pub struct QemuRunner {
    spec: &'static TargetSpec,
    setup: Result<Setup, Error>,
    /// When a boot is given up.
    pub limits: Limits,
    /// Where plan files and console logs go.
    pub work_dir: PathBuf,
}

impl QemuRunner {
    /// The runner of `spec` (a `Backend::Qemu` target), with the user's builds in `overrides`.
    pub fn new(spec: &'static TargetSpec, overrides: &Overrides) -> QemuRunner {
        QemuRunner {
            spec,
            setup: setup(spec, overrides),
            limits: LIMITS,
            work_dir: crate::catalog::workspace().join("target/qemu"),
        }
    }

    /// Its catalogue entry.
    pub fn spec(&self) -> &'static TargetSpec {
        self.spec
    }

    /// The QEMU arguments that boot the image with the plan blob at `plan` (without the binary
    /// and its `-L`).
    pub fn args(&self, plan: &Path) -> Result<Vec<OsString>, Error> {
        let s = self.setup.as_ref().map_err(Clone::clone)?;
        let m = self.spec.machine.expect("a QEMU target has a machine");
        let mut a: Vec<OsString> = Vec::new();
        let mut push = |x: &str| a.push(x.into());
        push("-M");
        push(m.machine);
        push("-cpu");
        push(m.cpu);
        push("-m");
        push(m.memory);
        for x in [
            "-display",
            "none",
            "-nodefaults",
            "-no-reboot",
            "-serial",
            "stdio",
        ] {
            push(x);
        }
        for x in m.extra {
            push(x);
        }
        if let Some(fw) = &s.firmware {
            push("-bios");
            push(&file_arg(&fw.path)?);
        }
        let image = file_arg(&s.image)?;
        match s.env.load {
            Load::Kernel => {
                push("-kernel");
                push(&image);
            }
            Load::Bios => {
                push("-bios");
                push(&image);
            }
            Load::Loader => {
                push("-device");
                push(&format!("loader,file={image}"));
            }
            Load::XenDom0 => unreachable!("a Xen dom0 is booted by the Xen backend"),
            Load::KvmGuest | Load::KernelModule => {
                unreachable!("a KVM guest or a kernel module is booted by the KVM backend")
            }
        }
        push("-device");
        push(&format!(
            "loader,file={},addr={:#x},force-raw=on",
            file_arg(plan)?,
            s.env.plan_addr
        ));
        Ok(a)
    }

    fn identity(&self, s: &Setup, text: &str) -> (Identity, Vec<(String, String)>) {
        let mut components = vec![s.qemu.info.clone()];
        let mut details = Vec::new();
        if let Some((name, version, line)) = firmware_from_banner(text) {
            let source = match &s.firmware {
                Some(fw) => fw.source.clone(),
                None => format!("bundled with QEMU {}", s.qemu.info.version),
            };
            details.push(("firmware_banner".into(), line));
            components.push(ComponentInfo {
                role: Role::Firmware,
                name,
                version,
                build: None,
                source,
            });
        }
        let m = self.spec.machine.expect("a QEMU target has a machine");
        (
            Identity {
                components,
                machine: Some(m.machine.into()),
                cpu: Some(m.cpu.into()),
                accelerator: "tcg".into(),
            },
            details,
        )
    }

    /// Boots once with `plan` (the payload; the header is added here): the console and what its
    /// frames said, whatever the outcome.
    fn boot_raw(&self, plan: &[u8]) -> Result<(Console, Results), Error> {
        let s = self.setup.as_ref().map_err(Clone::clone)?;
        let id = machine::run_id(self.spec.name);
        std::fs::create_dir_all(&self.work_dir).map_err(|e| Error::Io {
            path: self.work_dir.clone(),
            detail: e.to_string(),
        })?;
        let plan_path = self.work_dir.join(format!("{id}.plan"));
        std::fs::write(&plan_path, crate::frame::plan_blob(plan)).map_err(|e| Error::Io {
            path: plan_path.clone(),
            detail: e.to_string(),
        })?;
        let args = self.args(&plan_path)?;
        let log = self.work_dir.join(format!("{id}.console"));
        let console = machine::run(&s.qemu, &args, self.limits, &log, &mut |_, _| false)?;
        let _ = std::fs::remove_file(&plan_path);
        let results = machine::read_results(&console.bytes, s.env.arch, &log);
        Ok((console, results))
    }

    /// Boots once with `plan` and returns the results of a whole, sound stream.
    pub fn boot(&self, plan: &[u8]) -> Result<Boot, Error> {
        let s = self.setup.as_ref().map_err(Clone::clone)?;
        let (console, results) = self.boot_raw(plan)?;
        if let Some(e) = end_error(&console, &results, self.limits) {
            return Err(e);
        }
        if let Some(e) = results.problem.clone() {
            return Err(e);
        }
        let (identity, _) = self.identity(s, &String::from_utf8_lossy(&results.text));
        Ok(Boot {
            identity,
            hello: results.hello.expect("no problem means a Hello"),
            first_frame: results.first_frame.and_then(|o| console.time_at(o)),
            data: results.data,
            log: console.log.clone(),
            wall: console.wall,
            console: console.bytes,
        })
    }
}

/// The error of how QEMU's run ended, if it did not end by itself with success.
fn end_error(console: &Console, results: &Results, limits: Limits) -> Option<Error> {
    let log = console.log.clone();
    let frames = results.data.len() + usize::from(results.hello.is_some());
    match console.end {
        End::Exited(status) if status.success() => None,
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

fn setup(spec: &'static TargetSpec, overrides: &Overrides) -> Result<Setup, Error> {
    let env = spec
        .boot_env()
        .expect("a QEMU target has a boot environment");
    let m = spec.machine.expect("a QEMU target has a machine");
    let component = Component::get(m.qemu).expect("catalogue component");
    let qemu = QemuBinary::resolve(env.arch, component, overrides.qemu(env.arch))?;
    let firmware = match (overrides.firmware(env.arch), spec.firmware) {
        (Some(p), _) => Some(Firmware {
            path: p.to_path_buf(),
            source: format!("user: {}", p.display()),
        }),
        (None, Some(f)) => {
            let c = Component::get(f.component).expect("catalogue component");
            Some(Firmware {
                path: c.file(f.file),
                source: c.provenance(),
            })
        }
        (None, None) => None,
    };
    if let Some(fw) = &firmware {
        if !fw.path.is_file() {
            return Err(Error::Unavailable {
                what: format!("no firmware at {}", fw.path.display()),
                how: "run `cargo xtask setup`, or pass --firmware ARCH=PATH".into(),
            });
        }
    }
    let image = env.image();
    if !image.is_file() {
        return Err(Error::Unavailable {
            what: format!("no guest image at {}", image.display()),
            how: format!("build it with: cargo xtask guests --arch {}", env.name),
        });
    }
    Ok(Setup {
        qemu,
        env,
        image,
        firmware,
    })
}

impl Runner for QemuRunner {
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
        // Without a boot there is still QEMU's own identity.
        ex.identity = self.identity(&s, "").0;
        match self.boot_raw(plan) {
            Ok((console, results)) => {
                let text = String::from_utf8_lossy(&results.text).into_owned();
                (ex.identity, ex.details) = self.identity(&s, &text);
                ex.records = results.records();
                ex.first_result = results.first_frame.and_then(|o| console.time_at(o));
                ex.error = end_error(&console, &results, self.limits).or(results.problem);
                if ex.error.is_none() {
                    // A whole run: the console file is not needed.
                    let _ = std::fs::remove_file(&console.log);
                }
                ex.console_log = text;
            }
            Err(e) => ex.error = Some(e),
        }
        ex.elapsed = start.elapsed();
        ex
    }
}
