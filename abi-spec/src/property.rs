//! Property tests of one call: arguments from the call's domains, each case executed by a backend
//! and checked; a failing case is shrunk by re-executing through the same backend.

use core::cell::RefCell;
use std::string::{String, ToString};
use std::vec::Vec;

use proptest::test_runner::{
    Config as PtConfig, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner,
};

use crate::abi::{Abi, Call};
use crate::check::{violations, Observation, Violation};
use crate::regfile::RegisterFile;

#[derive(Clone, Copy, Debug)]
/// How many cases and which seed.
pub struct Config {
    /// Cases per call.
    pub cases: u32,
    /// The seed.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cases: 256,
            seed: 0x6879_7065_7261_6269,
        }
    }
}

/// A minimal failing case and what it violated; `seed` reproduces the run.
#[derive(Clone, Debug)]
pub struct Failure {
    /// ABI id.
    pub abi: &'static str,
    /// Call name.
    pub call: &'static str,
    /// The seed that reproduces it.
    pub seed: u64,
    /// The arguments (shrunk).
    pub args: Vec<u64>,
    /// What it broke.
    pub violations: Vec<Violation>,
    /// The finding in words.
    pub message: String,
}

impl core::fmt::Display for Failure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{} {} (seed {:#x}) args {:x?}: {}",
            self.abi, self.call, self.seed, self.args, self.message
        )?;
        for v in &self.violations {
            write!(f, "\n  {v}")?;
        }
        Ok(())
    }
}

/// Runs `config.cases` cases of `call`; returns the number run, or the shrunk failure.
pub fn run(
    abi: &'static Abi,
    call: &'static Call,
    config: Config,
    exec: &mut dyn FnMut(&RegisterFile) -> Observation,
) -> Result<u32, Failure> {
    let exec = RefCell::new(exec);
    let one = |args: &[u64]| -> Vec<Violation> {
        let input = abi.probe_input(call, args, config.seed);
        let obs = (exec.borrow_mut())(&input);
        violations(abi, call, &obs)
    };
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&config.seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let pt = PtConfig {
        cases: config.cases,
        failure_persistence: None,
        ..PtConfig::default()
    };
    let mut runner = TestRunner::new_with_rng(pt, rng);
    let strategy = crate::strategy::call_args(abi, call);
    let result = runner.run(&strategy, |args| {
        let v = one(&args);
        if v.is_empty() {
            Ok(())
        } else {
            Err(TestCaseError::fail(
                v.iter()
                    .map(|v| std::format!("{v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            ))
        }
    });
    match result {
        Ok(()) => Ok(config.cases),
        Err(TestError::Fail(msg, args)) => {
            let violations = one(&args);
            Err(Failure {
                abi: abi.id,
                call: call.name,
                seed: config.seed,
                args,
                violations,
                message: msg.message().to_string(),
            })
        }
        Err(TestError::Abort(msg)) => Err(Failure {
            abi: abi.id,
            call: call.name,
            seed: config.seed,
            args: Vec::new(),
            violations: Vec::new(),
            message: msg.message().to_string(),
        }),
    }
}
