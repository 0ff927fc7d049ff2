//! Direct mode: the machine's own `/dev/kvm` runs the harness, hyperabi's VMM started as a host
//! program (`hyperabi-vmm HARNESS PLAN PLAN_ADDR`). Its console is the VMM's stdout, read by the
//! same machine layer as QEMU's.
//!
//! Host dependent: a `/dev/kvm` is not always a KVM that handles its guests' hypercalls. On a
//! software KVM (a PVM-style KVM inside a cloud VM) an outer hypervisor answers them, so
//! results would be that hypervisor's. The VMM's witness hypercall decides: the vCPU's
//! hypercall counter (`KVM_GET_STATS_FD`) must move by exactly one and the answer must be KVM's
//! (`runners/vmm/src/main.rs`). Where it does not, the target is unavailable with that reason,
//! and [`left_out`] keeps it out of the default matrix.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use abi_spec::Arch;

use crate::catalog::{vmm_binary, Backend, BootEnv, TargetSpec};
use crate::error::Error;
use crate::identity::{ComponentInfo, Identity, Role};
use crate::kvm::{finish, HostReport};
use crate::machine::{self, Limits};
use crate::{Execution, Runner};

/// A run on the host's KVM: no boot, a VM created in milliseconds.
pub const LIMITS: Limits = Limits {
    boot: Duration::from_secs(60),
    first_output: Duration::from_secs(10),
    idle: Some(Duration::from_secs(10)),
};

/// The arch of this machine, as hyperabi names it.
fn host_arch() -> Option<Arch> {
    Arch::from_name(std::env::consts::ARCH)
}

/// Why this machine cannot run `spec` (a [`Backend::KvmHost`] target), or `None` when it can.
/// The witness runs once per arch and process.
pub fn left_out(spec: &TargetSpec) -> Option<String> {
    if spec.backend != Backend::KvmHost {
        return None;
    }
    check(spec).err().map(|e| e.to_string())
}

/// The witness line, or why this KVM failed it.
type Verdict = Result<String, String>;

fn check(spec: &TargetSpec) -> Result<(), Error> {
    let arch = spec.arch.expect("a host KVM target has an arch");
    let unavailable = |what: String, how: &str| Error::Unavailable {
        what,
        how: how.into(),
    };
    if host_arch() != Some(arch) {
        return Err(unavailable(
            format!(
                "this machine is {}, the target needs an {} KVM host",
                std::env::consts::ARCH,
                arch
            ),
            "run it on such a host",
        ));
    }
    let env = spec
        .boot_env()
        .expect("a host KVM target has a boot environment");
    let vmm = vmm_binary(arch).expect("a KVM arch has a VMM");
    for (f, what) in [(&vmm, "the VMM"), (&env.elf(), "the guest image")] {
        if !f.is_file() {
            return Err(unavailable(
                format!("{what} is missing: {}", f.display()),
                &format!("build it with: cargo xtask guests --arch {}", env.name),
            ));
        }
    }
    if let Err(e) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
    {
        return Err(unavailable(
            format!("/dev/kvm: {e}"),
            "load kvm_intel, kvm_amd or boot an arm64 kernel with KVM, and give this user access to /dev/kvm",
        ));
    }
    static WITNESS: OnceLock<Mutex<Vec<(PathBuf, Verdict)>>> = OnceLock::new();
    let cache = WITNESS.get_or_init(Default::default);
    let mut done = cache.lock().unwrap_or_else(|p| p.into_inner());
    let verdict = match done.iter().find(|(p, _)| *p == vmm) {
        Some((_, v)) => v.clone(),
        None => {
            let v = witness(&vmm);
            done.push((vmm.clone(), v.clone()));
            v
        }
    };
    verdict.map(|_| ()).map_err(|why| {
        unavailable(
            why,
            "direct mode needs a KVM that handles its guests' hypercalls itself (a bare-metal \
             host, or a VM whose hypervisor exposes nested virtualization); the nested kvm* \
             targets run everywhere",
        )
    })
}

/// `hyperabi-vmm --witness`: its witness line, or why this KVM failed it.
fn witness(vmm: &Path) -> Verdict {
    let out = Command::new(vmm)
        .arg("--witness")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", vmm.display()))?;
    let host = HostReport::parse(&String::from_utf8_lossy(&out.stdout));
    match (host.witness, host.end) {
        (Some(w), Some(Ok(_))) if out.status.success() => Ok(w),
        (_, Some(Err(e))) => Err(e),
        _ => Err(format!(
            "`{} --witness` {} without a verdict; stderr: {}",
            vmm.display(),
            machine::describe(out.status),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// A [`Backend::KvmHost`] target as a [`Runner`].
pub struct KvmHostRunner {
    spec: &'static TargetSpec,
    /// When a run is given up.
    pub limits: Limits,
    /// Where plans and console logs go.
    pub work_dir: PathBuf,
}

impl KvmHostRunner {
    /// The runner of `spec`.
    pub fn new(spec: &'static TargetSpec) -> KvmHostRunner {
        KvmHostRunner {
            spec,
            limits: LIMITS,
            work_dir: crate::catalog::workspace().join("target/kvm"),
        }
    }

    fn env(&self) -> &'static BootEnv {
        self.spec
            .boot_env()
            .expect("a host KVM target has a boot environment")
    }

    /// What ran: the running kernel (its own banner), this machine's CPU, KVM's module.
    fn identity() -> Identity {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let banner = read("/proc/version");
        let host = HostReport::parse(&format!("hyperabi-vmm: kernel: {}", banner.trim()));
        let (version, build) = host
            .kernel_version()
            .map(|(v, b)| (v, Some(b)))
            .unwrap_or_else(|| ("unknown".into(), None));
        let cpu = read("/proc/cpuinfo")
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                matches!(k.trim(), "model name" | "CPU part").then(|| v.trim().to_string())
            })
            .unwrap_or_else(|| std::env::consts::ARCH.into());
        let module = ["kvm_intel", "kvm_amd", "kvm_pvm"]
            .into_iter()
            .find(|m| Path::new("/sys/module").join(m).exists());
        Identity {
            components: vec![ComponentInfo {
                role: Role::Kernel,
                name: "Linux".into(),
                version,
                build,
                source: "this machine's running kernel".into(),
            }],
            machine: None,
            cpu: Some(cpu),
            accelerator: match module {
                Some(m) => format!("kvm on this machine ({m})"),
                None => "kvm on this machine".into(),
            },
        }
    }
}

impl Runner for KvmHostRunner {
    fn name(&self) -> &str {
        self.spec.name
    }

    fn arch(&self) -> Option<Arch> {
        self.spec.arch
    }

    fn availability(&self) -> Result<(), Error> {
        check(self.spec)
    }

    fn execute(&mut self, plan: &[u8]) -> Execution {
        let start = std::time::Instant::now();
        let mut ex = Execution {
            identity: Self::identity(),
            ..Default::default()
        };
        if let Err(e) = check(self.spec) {
            ex.error = Some(e);
            return ex;
        }
        let env = self.env();
        let vmm = vmm_binary(env.arch).expect("a KVM arch has a VMM");
        let id = machine::run_id(self.spec.name);
        let plan_file = self.work_dir.join(format!("{id}.plan"));
        let io = |path: &Path, e: std::io::Error| Error::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        };
        if let Err(e) = std::fs::create_dir_all(&self.work_dir)
            .and_then(|_| std::fs::write(&plan_file, crate::frame::plan_blob(plan)))
        {
            ex.error = Some(io(&plan_file, e));
            return ex;
        }
        let mut cmd = Command::new(&vmm);
        cmd.arg(env.elf())
            .arg(&plan_file)
            .arg(format!("{:#x}", env.plan_addr));
        let log = self.work_dir.join(format!("{id}.console"));
        let console = machine::run_process(cmd, self.limits, &log, &mut |_, _| false);
        let _ = std::fs::remove_file(&plan_file);
        match console {
            Ok(console) => {
                let results = machine::read_results(&console.bytes, env.arch, &log);
                let text = String::from_utf8_lossy(&results.text).into_owned();
                let host = HostReport::parse(&text);
                host.push_counts(&mut ex.details);
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
    fn only_host_targets_can_be_left_out() {
        for t in crate::catalog::TARGETS {
            if t.backend != Backend::KvmHost {
                assert_eq!(left_out(t), None, "{}", t.name);
            }
        }
    }

    /// A host target of another arch is left out for that reason, before any witness runs.
    #[test]
    fn a_host_target_of_another_arch_says_so() {
        let other = crate::catalog::TARGETS
            .iter()
            .find(|t| t.backend == Backend::KvmHost && t.arch != host_arch())
            .expect("a host target for an arch this machine is not");
        let why = left_out(other).expect("left out");
        assert!(why.contains("needs an"), "{why}");
    }
}
