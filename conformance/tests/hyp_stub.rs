//! The Linux HYP stub targets (`linux6.12-arm64-hyp-stub`, `linux6.1-arm64-hyp-stub`,
//! `linux6.1-arm-hyp-stub`): Debian's kernel booted at EL2 (HYP mode) with KVM off (none on
//! 32-bit arm) keeps its stub there, and hyperabi's kernel module calls it from EL1 (SVC mode). A spec that has the stub answer an unknown function with 0 instead of
//! `HVC_STUB_ERR` (0xbadca11) must fail there on every unknown-number case, and the real spec
//! must pass the same plan, calls included (`reset_vectors` and, on arm64, `finalise_el2`, which
//! the targets admit).
//!
//! Needs what `cargo xtask setup` and `cargo xtask guests --arch aarch64-linux-module,arm-linux-module` provide;
//! without them the test says so on stderr and returns, and under `CI=true` that is a failure.

use abi_spec::{Abi, Named, Unknown};
use conformance::engine::run_target;
use conformance::plan::{plan, PlanConfig};
use conformance::report::{TargetRun, Verdict};
use runners::catalog::TargetSpec;

/// The targets, their ABI, what the module says of where it runs, and the calls that must pass.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);
const TARGETS: [Case; 3] = [
    (
        "linux6.12-arm64-hyp-stub",
        "linux-hyp-stub-arm64",
        "CurrentEL 0x4",
        &["reset_vectors", "finalise_el2", "get_ich_vtr_el2"],
    ),
    (
        "linux6.1-arm64-hyp-stub",
        "linux-hyp-stub-arm64",
        "CurrentEL 0x4",
        &["reset_vectors", "finalise_el2", "get_ich_vtr_el2"],
    ),
    (
        "linux6.1-arm-hyp-stub",
        "linux-hyp-stub-arm",
        "SVC mode, CPSR.M 0x13",
        &["reset_vectors"],
    ),
];

/// The stub's ABI `id` with unknown functions answering 0 (deliberately wrong).
fn zero_for_unknown(id: &str) -> &'static Abi {
    let right = specs::find(id).expect("the stub's spec");
    Box::leak(Box::new(Abi {
        unknown: Some(Unknown::Error(Named {
            name: "ZERO",
            value: 0,
        })),
        ..*right
    }))
}

fn config(t: &TargetSpec) -> PlanConfig {
    PlanConfig {
        seed: 0x5eed,
        cases_per_call: 4,
        calls: Vec::new(),
        callers: true,
        admit: t
            .admits
            .iter()
            .map(|a| (a.abi.to_string(), a.call.to_string()))
            .collect(),
        implementation: t.implementation(),
        scratch_at_memory_end: false,
    }
}

fn verdicts(run: &TargetRun, unknown: bool) -> Vec<Verdict> {
    run.cases
        .iter()
        .filter(|c| (c.call == "<unknown>") == unknown)
        .map(|c| c.verdict)
        .collect()
}

#[test]
fn unknown_functions_answering_zero_fail_and_the_real_spec_passes() {
    for (name, abi, level, calls) in TARGETS {
        let t = TargetSpec::get(name).expect("catalogue target");
        let opts = conformance::targets::TargetOptions::default();
        let mut runner = conformance::targets::runner(name, &opts).expect("catalogue target");
        if let Err(e) = runner.availability() {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "{name}: {e} (CI=true: an unavailable target is a failure)"
            );
            eprintln!("SKIPPED {name}: {e}");
            continue;
        }
        let right = specs::find(abi).unwrap();
        let run = run_target(runner.as_mut(), &plan(&[right], &config(t)), 0.0);
        assert!(
            run.identity.accelerator.contains(level),
            "{name}: the module must say it ran at EL1: {:?}",
            run.identity
        );
        let known = verdicts(&run, false);
        let unknown = verdicts(&run, true);
        assert!(
            known.iter().filter(|v| **v == Verdict::Pass).count() >= calls.len()
                && unknown.len() >= 8
                && known
                    .iter()
                    .chain(&unknown)
                    .all(|v| matches!(v, Verdict::Pass | Verdict::Skip)),
            "{name}: the real spec must pass: {:?}",
            run.cases
                .iter()
                .filter(|c| !matches!(c.verdict, Verdict::Pass | Verdict::Skip))
                .collect::<Vec<_>>()
        );
        for call in calls {
            let cases: Vec<_> = run.cases.iter().filter(|c| c.call == *call).collect();
            assert!(!cases.is_empty(), "{name}: {call} must be planned");
            for c in cases {
                assert_eq!(c.verdict, Verdict::Pass, "{name}: {c:?}");
            }
        }

        let run = run_target(
            runner.as_mut(),
            &plan(&[zero_for_unknown(abi)], &config(t)),
            0.0,
        );
        let unknown = verdicts(&run, true);
        assert!(
            !unknown.is_empty() && unknown.iter().all(|v| *v == Verdict::Fail),
            "{name}: every unknown-number case must fail under the wrong spec: {unknown:?}"
        );
        assert!(
            verdicts(&run, false)
                .iter()
                .all(|v| matches!(v, Verdict::Pass | Verdict::Skip)),
            "{name}: the documented calls are the same in both specs"
        );
    }
}
