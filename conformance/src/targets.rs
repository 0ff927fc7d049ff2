//! The targets `--target` names, and the runner behind each.

use abi_spec::Abi;
use runners::model::{Fault, Model};
use runners::Runner;

/// Every target name with a one-line description.
pub const TARGETS: &[(&str, &str)] = &[
    ("model", "in-process reference model of every ABI (a release hypervisor: leaves may-clobber registers alone)"),
    ("model-debug", "reference model that poisons every may-clobber register (a debug hypervisor)"),
];

/// Options that shape a runner.
#[derive(Clone, Debug, Default)]
pub struct TargetOptions {
    /// Model only: break the contract this way (fault injection).
    pub fault: Option<Fault>,
}

/// The runner for `name`, or why there is none.
pub fn runner(name: &str, opts: &TargetOptions) -> Result<Box<dyn Runner>, String> {
    match name {
        "model" | "model-debug" => Ok(Box::new(
            Model::new(specs::all())
                .poisoning(name == "model-debug")
                .with_fault(opts.fault),
        )),
        _ => {
            let known: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
            Err(format!(
                "unknown target `{name}`; known: {}",
                known.join(", ")
            ))
        }
    }
}

/// The ABIs a target runs when `--abi` is not given: those of its arch, or all for the model.
pub fn default_abis(runner: &dyn Runner) -> Vec<&'static Abi> {
    specs::all()
        .iter()
        .copied()
        .filter(|a| runner.arch().is_none_or(|arch| a.arch == arch))
        .collect()
}
