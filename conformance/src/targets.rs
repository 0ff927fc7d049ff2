//! The targets `--target` names, and the runner behind each.

use abi_spec::Abi;
use runners::model::{Fault, Model};
use runners::Runner;

/// Every target name with a one-line description.
pub const TARGETS: &[(&str, &str)] = &[
    ("model", "in-process reference model of every ABI (a release hypervisor: leaves may-clobber registers alone)"),
    ("model-debug", "reference model that poisons every may-clobber register (a debug hypervisor)"),
    ("qemu-aarch64", "QEMU virt, cortex-a57, EL1 guest: QEMU's PSCI firmware over HVC"),
    ("qemu-arm", "QEMU virt, cortex-a15, SVC guest: QEMU's PSCI firmware over HVC"),
    ("qemu-s390x", "QEMU s390-ccw-virtio: KVM's DIAGNOSE 0x500 as QEMU serves it"),
    ("qemu-ppc64", "QEMU pseries: PAPR hcalls (sc 1)"),
    ("qemu-riscv64", "QEMU virt: OpenSBI (SBI over ecall) to an S-mode guest"),
    ("xen-arm64", "Xen 4.17 (release) on QEMU virt, the harness as arm64 dom0: hvc #0xEA1 and Xen's SMCCC on hvc #0"),
    ("xen-arm64-debug", "Xen 4.17 debug build (poisons used argument registers) on QEMU virt, arm64 dom0"),
    ("xen-x86_64", "Xen 4.17 (release) on QEMU pc, the harness as 64-bit PV dom0: hypercall page and raw syscall"),
    ("xen-x86_64-debug", "Xen 4.17 debug build (poisons used argument registers) on QEMU pc, 64-bit PV dom0"),
];

/// The ABIs a target runs when `--abi` is not given.
fn abis_of(target: &str) -> Option<&'static [&'static str]> {
    Some(match target {
        // QEMU's firmware: PSCI under the SMCCC 1.0 rules it implements, and the SMCCC 1.1 view
        // (architecture calls) a guest kernel probes first.
        "qemu-aarch64" => &["psci-arm64", "smccc11-arm64"],
        "qemu-arm" => &["psci-arm", "smccc11-arm"],
        "qemu-s390x" => &["kvm-s390x"],
        "qemu-ppc64" => &["papr-ppc64"],
        "qemu-riscv64" => &["sbi-riscv64"],
        // Xen on Arm: its own hypercalls, its SMCCC service on hvc #0 (PSCI and the Xen UIDs),
        // and the foreign HVC immediate Xen answers with an UNDEF.
        "xen-arm64" | "xen-arm64-debug" => &["xen-arm64", "xen-arm64-smccc", "xen-arm64-badimm"],
        // Xen x86 PV: every call through the hypercall page and through a raw syscall.
        "xen-x86_64" | "xen-x86_64-debug" => &["xen-x86_64", "xen-x86_64-syscall"],
        _ => return None,
    })
}

/// Options that shape a runner.
#[derive(Clone, Debug, Default)]
pub struct TargetOptions {
    /// Model only: break the contract this way (fault injection).
    pub fault: Option<Fault>,
    /// QEMU and Xen targets: this QEMU binary instead of the one on PATH (`--qemu PATH`).
    pub qemu: Option<std::path::PathBuf>,
    /// Xen targets: this hypervisor image instead of the cached one (`--xen PATH`).
    pub xen: Option<std::path::PathBuf>,
}

/// The runner for `name`, or why there is none.
pub fn runner(name: &str, opts: &TargetOptions) -> Result<Box<dyn Runner>, String> {
    match name {
        "model" | "model-debug" => Ok(Box::new(
            Model::new(specs::all())
                .poisoning(name == "model-debug")
                .with_fault(opts.fault),
        )),
        name if name.starts_with("qemu-") && runners::qemu::Target::from_name(name).is_some() => {
            let target = runners::qemu::Target::from_name(name).expect("checked");
            Ok(Box::new(runners::qemu::QemuRunner::new(
                target,
                opts.qemu.as_deref(),
            )))
        }
        name if runners::xen::XenTarget::parse(name).is_some() => {
            let target = runners::xen::XenTarget::parse(name).expect("checked");
            Ok(Box::new(runners::xen::XenRunner::new(
                target,
                opts.xen.as_deref(),
                opts.qemu.as_deref(),
            )))
        }
        _ => {
            let known: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
            Err(format!(
                "unknown target `{name}`; known: {}",
                known.join(", ")
            ))
        }
    }
}

/// The ABIs a target runs when `--abi` is not given: the target's own list, else those of its
/// arch, or all for the model.
pub fn default_abis(runner: &dyn Runner) -> Vec<&'static Abi> {
    if let Some(ids) = abis_of(runner.name()) {
        return ids
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
