//! The targets `--target` names — the catalogue of `runners::catalog` — and the runner behind
//! each.

use std::path::PathBuf;

use abi_spec::{Abi, Arch};
use runners::catalog::{Backend, TargetSpec, TARGETS};
use runners::model::{Fault, Model};
use runners::{Overrides, Runner};

/// Options that shape a runner.
#[derive(Clone, Debug, Default)]
pub struct TargetOptions {
    /// Model only: break the contract this way (fault injection).
    pub fault: Option<Fault>,
    /// A developer's own QEMU, hypervisor or firmware, per arch.
    pub overrides: Overrides,
}

/// The catalogue entry `name`, or a usage error listing the known names.
pub fn spec(name: &str) -> Result<&'static TargetSpec, String> {
    TargetSpec::get(name).ok_or_else(|| {
        let near: Vec<&str> = TARGETS
            .iter()
            .map(|t| t.name)
            .filter(|t| {
                let tail = |s: &str| s.rsplit('-').next().unwrap_or("").to_string();
                tail(t) == tail(name) || t.contains(name) || name.contains(t)
            })
            .collect();
        let known: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", near.join(", "))
        };
        format!("unknown target `{name}`{hint}; known: {}", known.join(", "))
    })
}

/// The runner for `name`, or why there is none.
pub fn runner(name: &str, opts: &TargetOptions) -> Result<Box<dyn Runner + Send>, String> {
    let spec = spec(name)?;
    Ok(match spec.backend {
        Backend::Model { poisoning } => Box::new(
            Model::new(specs::all())
                .poisoning(poisoning)
                .with_fault(opts.fault),
        ),
        Backend::Qemu => Box::new(runners::qemu::QemuRunner::new(spec, &opts.overrides)),
        Backend::Xen => Box::new(runners::xen::XenRunner::new(spec, &opts.overrides)),
        Backend::Kvm => Box::new(runners::kvm::KvmRunner::new(spec, &opts.overrides)),
        Backend::KvmHost => Box::new(runners::kvm_host::KvmHostRunner::new(spec)),
    })
}

/// The ABIs a target runs when `--abi` is not given: the catalogue's list, else every ABI of
/// its arch (all of them for the model).
pub fn default_abis(runner: &dyn Runner) -> Vec<&'static Abi> {
    let listed = TargetSpec::get(runner.name()).map_or(&[][..], |t| t.abis);
    if !listed.is_empty() {
        return listed
            .iter()
            .map(|id| specs::find(id).unwrap_or_else(|| panic!("target ABI `{id}` is not a spec")))
            .collect();
    }
    specs::all()
        .iter()
        .copied()
        .filter(|a| runner.arch().is_none_or(|arch| a.arch == arch))
        .collect()
}

/// Parses the values of `--qemu`/`--xen`/`--firmware` (`ARCH=PATH`, repeatable; ARCH is the
/// machine's, aarch64 for an AArch32 Xen dom0). A bare `PATH` is accepted only when every target
/// of the run has one machine arch, which it then applies to.
pub fn parse_overrides(
    flag: &str,
    values: &[String],
    targets: &[String],
) -> Result<Vec<(Arch, PathBuf)>, String> {
    let mut out: Vec<(Arch, PathBuf)> = Vec::new();
    for v in values {
        let (arch, path) = match v.split_once('=') {
            Some((a, p)) if !a.contains('/') => {
                let arch = Arch::from_name(a).ok_or_else(|| {
                    format!(
                        "--{flag} {v}: unknown arch `{a}`; known: {}",
                        Arch::ALL.map(|a| a.name()).join(", ")
                    )
                })?;
                (arch, PathBuf::from(p))
            }
            _ => {
                let mut arches: Vec<Arch> = targets
                    .iter()
                    .filter_map(|t| TargetSpec::get(t).and_then(|s| s.machine_arch()))
                    .collect();
                arches.dedup();
                match arches.as_slice() {
                    [a] => (*a, PathBuf::from(v)),
                    _ => {
                        return Err(format!(
                            "--{flag} {v}: the targets of this run have several arches; say which: --{flag} ARCH=PATH (e.g. aarch64={v})"
                        ))
                    }
                }
            }
        };
        if out.iter().any(|(a, _)| *a == arch) {
            return Err(format!("--{flag}: two paths for {arch}"));
        }
        out.push((arch, path));
    }
    Ok(out)
}

/// One target as `hyperabi targets` shows it: name, summary, components, baseline, state.
pub fn describe(spec: &TargetSpec, opts: &TargetOptions) -> String {
    let mut s = format!("{}\n  {}\n", spec.name, spec.summary);
    if let Some(m) = spec.machine {
        s += &format!(
            "  machine: -M {} -cpu {} -m {}\n",
            m.machine, m.cpu, m.memory
        );
    }
    for c in spec.components() {
        s += &format!(
            "  {}: {} {} — {}\n",
            c.role.name(),
            c.name,
            c.version,
            c.provenance()
        );
    }
    if let Some(b) = spec.boot {
        s += &format!("  guest: {b}\n");
    }
    if !spec.abis.is_empty() {
        s += &format!("  ABIs: {}\n", spec.abis.join(", "));
    }
    for a in spec.admits {
        s += &format!("  admits {}::{} ({})\n", a.abi, a.call, a.why);
    }
    if let Some(b) = spec.baseline {
        s += &format!("  baseline: {b}\n");
    }
    let state = match runner(spec.name, opts)
        .map_err(|e| e.to_string())
        .and_then(|r| r.availability().map_err(|e| e.to_string()))
    {
        Ok(()) => "available".to_string(),
        Err(why) if why.starts_with("unavailable") => why,
        Err(why) => format!("unavailable: {why}"),
    };
    s += &format!("  {state}\n");
    if spec.backend == Backend::KvmHost {
        s += &match runners::kvm_host::left_out(spec) {
            Some(_) => "  host dependent: left out of the default matrix (conform, gate, bench) here, for the reason above\n".to_string(),
            None => "  host dependent: in the default matrix on this machine\n".to_string(),
        };
    }
    s
}
