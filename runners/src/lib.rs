//! The [`Runner`] trait and its backends, one file each. A runner takes a plan in the wire format
//! (`abi_spec::wire`), executes it on its target, and returns the records the target produced,
//! what it is, and, when the environment broke, why. It never judges: checking is the engine's.

use std::collections::BTreeMap;
use std::time::Duration;

use abi_spec::Arch;

pub mod children;
pub mod frame;
pub mod model;
pub mod qemu;
pub mod xen;

/// What one execution of a plan produced.
#[derive(Clone, Debug, Default)]
pub struct Execution {
    /// What the target is: `hypervisor`, `version`, `arch`, `accelerator`, and any details
    /// discovered (firmware versions, machine, cpu).
    pub identity: BTreeMap<String, String>,
    /// The result records (`abi_spec::wire::Record`), concatenated, from verified frames only.
    pub records: Vec<u8>,
    /// The target's console output, whole.
    pub console_log: String,
    /// Set when the environment broke (QEMU died, timeout, corrupt stream): records before the
    /// break are kept.
    pub error: Option<String>,
    /// From start to the first record, when the runner can tell.
    pub first_result: Option<Duration>,
    pub elapsed: Duration,
}

/// A place plans run.
pub trait Runner {
    /// The target name (`model`, `qemu-aarch64`).
    fn name(&self) -> &str;
    /// The one arch this target executes, or `None` for a backend that runs every arch.
    fn arch(&self) -> Option<Arch>;
    /// `Err(why, and how to make it available)` when the target cannot run here.
    fn availability(&self) -> Result<(), String>;
    /// Executes an encoded plan.
    fn execute(&mut self, plan: &[u8]) -> Execution;
    /// Whether a plan that broke the target may be executed again in a fresh start (a boot);
    /// not for a target that is simply unavailable.
    fn retriable(&self) -> bool {
        self.availability().is_ok()
    }
}
