//! The target catalogue, the [`Runner`] trait and its backends, one file each, over one QEMU
//! machine layer. A runner takes a plan in the wire format (`abi_spec::wire`), executes it on its
//! target, and returns the records the target produced, what really ran, and, when the
//! environment broke, why. It never judges: checking is the engine's.

#![warn(missing_docs)]

use std::time::Duration;

use abi_spec::Arch;

pub mod catalog;
pub mod children;
pub mod error;
pub mod frame;
pub mod identity;
pub mod kvm;
pub mod kvm_host;
pub mod machine;
pub mod model;
pub mod qemu;
pub mod xen;

pub use error::Error;

/// The default matrix (`cargo xtask conform`, the gate, the bench): every target of the
/// catalogue except the host-dependent ones this machine cannot run (see
/// [`kvm_host::left_out`], which says why).
pub fn default_matrix() -> Vec<&'static catalog::TargetSpec> {
    catalog::TARGETS
        .iter()
        .filter(|t| kvm_host::left_out(t).is_none())
        .collect()
}

/// The baseline files of the default matrix, each with its targets, in catalogue order.
pub fn matrix_baselines() -> Vec<(&'static str, Vec<&'static str>)> {
    let matrix = default_matrix();
    catalog::baselines()
        .into_iter()
        .filter_map(|(file, targets)| {
            let targets: Vec<_> = targets
                .into_iter()
                .filter(|t| matrix.iter().any(|m| m.name == *t))
                .collect();
            (!targets.is_empty()).then_some((file, targets))
        })
        .collect()
}
pub use identity::{ComponentInfo, Identity};

/// What one execution of a plan produced.
#[derive(Clone, Debug, Default)]
pub struct Execution {
    /// What ran, as far as this execution found out (versions from the components' banners).
    pub identity: Identity,
    /// Further facts found (key, value), e.g. the firmware's whole banner line.
    pub details: Vec<(String, String)>,
    /// The result records (`abi_spec::wire::Record`), concatenated, from verified frames only.
    pub records: Vec<u8>,
    /// The target's console output, as text.
    pub console_log: String,
    /// Set when the environment broke (QEMU died, timeout, corrupt stream): records before the
    /// break are kept.
    pub error: Option<Error>,
    /// From start to the first record, when the runner can tell.
    pub first_result: Option<Duration>,
    /// From start to end of the execution.
    pub elapsed: Duration,
}

/// A place plans run.
pub trait Runner {
    /// The target name (`model`, `qemu7.2-aarch64`).
    fn name(&self) -> &str;
    /// The one arch this target executes, or `None` for a backend that runs every arch.
    fn arch(&self) -> Option<Arch>;
    /// `Err(why, and how to make it available)` when the target cannot run here.
    fn availability(&self) -> Result<(), Error>;
    /// Executes an encoded plan.
    fn execute(&mut self, plan: &[u8]) -> Execution;
    /// Whether a plan that broke the target may be executed again in a fresh start (a boot);
    /// not for a target that is simply unavailable.
    fn retriable(&self) -> bool {
        self.availability().is_ok()
    }
}

/// A developer's own build of a component, per arch: `--qemu aarch64=PATH`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// QEMU system emulators, by guest arch.
    pub qemu: Vec<(Arch, std::path::PathBuf)>,
    /// Hypervisor images, by guest arch.
    pub xen: Vec<(Arch, std::path::PathBuf)>,
    /// Firmware images passed as `-bios`, by guest arch.
    pub firmware: Vec<(Arch, std::path::PathBuf)>,
    /// Host kernels of the KVM targets (with KVM built in), by guest arch.
    pub kernel: Vec<(Arch, std::path::PathBuf)>,
}

impl Overrides {
    fn find(list: &[(Arch, std::path::PathBuf)], arch: Arch) -> Option<&std::path::Path> {
        list.iter()
            .find(|(a, _)| *a == arch)
            .map(|(_, p)| p.as_path())
    }

    /// The user's QEMU for `arch`.
    pub fn qemu(&self, arch: Arch) -> Option<&std::path::Path> {
        Self::find(&self.qemu, arch)
    }

    /// The user's hypervisor for `arch`.
    pub fn xen(&self, arch: Arch) -> Option<&std::path::Path> {
        Self::find(&self.xen, arch)
    }

    /// The user's kernel for `arch`.
    pub fn kernel(&self, arch: Arch) -> Option<&std::path::Path> {
        Self::find(&self.kernel, arch)
    }

    /// The user's firmware for `arch`.
    pub fn firmware(&self, arch: Arch) -> Option<&std::path::Path> {
        Self::find(&self.firmware, arch)
    }
}
