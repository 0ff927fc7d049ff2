//! Every real target of the catalogue catches a deliberately wrong spec: the target's first ABI,
//! with the answer to an unknown call number changed, fails there on exactly the unknown-number
//! cases that the real spec passes on the same boot environment. A target that cannot tell a
//! wrong spec from a right one proves nothing.
//!
//! Needs what `cargo xtask setup` and `cargo xtask guests` provide; a target that is unavailable
//! says so on stderr and is left out, and under `CI=true` that is a failure.

use std::collections::BTreeSet;

use abi_spec::{Abi, Named, Unknown};
use conformance::engine::run_target;
use conformance::plan::{plan, PlanConfig};
use conformance::report::Verdict;
use runners::catalog::{Backend, TARGETS};

/// `abi` with a different unknown-number answer: an error code no implementation gives, or a
/// return where the ABI raises an exception.
fn wrong(abi: &'static Abi) -> &'static Abi {
    let unknown = match abi.unknown {
        Some(Unknown::Error(e)) => Unknown::Error(Named {
            name: "WRONG",
            value: e.value ^ 0x55,
        }),
        Some(Unknown::Exception(_)) | None => Unknown::Error(Named {
            name: "WRONG",
            value: -0x55,
        }),
    };
    Box::leak(Box::new(Abi {
        unknown: Some(unknown),
        ..*abi
    }))
}

/// The ids of the unknown-number cases with `verdict`.
fn unknown_cases(run: &conformance::report::TargetRun, verdict: Verdict) -> BTreeSet<u32> {
    run.cases
        .iter()
        .filter(|c| c.call == "<unknown>" && c.verdict == verdict)
        .map(|c| c.id)
        .collect()
}

#[test]
fn every_real_target_fails_a_deliberately_wrong_spec() {
    let config = PlanConfig {
        seed: 0x5eed,
        cases_per_call: 1,
        calls: Vec::new(),
        callers: false,
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
    };
    let mut checked = 0;
    for t in
        TARGETS
            .iter()
            .filter(|t| matches!(t.backend, Backend::Qemu | Backend::Xen | Backend::Kvm))
            // A host-dependent target where this machine can run it (direct mode on a real KVM).
            .chain(TARGETS.iter().filter(|t| {
                t.backend == Backend::KvmHost && runners::kvm_host::left_out(t).is_none()
            }))
    {
        let opts = conformance::targets::TargetOptions::default();
        let mut runner = conformance::targets::runner(t.name, &opts).expect("catalogue target");
        if let Err(e) = runner.availability() {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "{}: {e} (CI=true: an unavailable target is a failure)",
                t.name
            );
            eprintln!("SKIPPED {}: {e}", t.name);
            continue;
        }
        let right = specs::find(t.abis[0]).expect("the target's ABI");
        // The calls that hang an implementation stay out, as in the gate.
        let baseline = t.baseline.map(|b| {
            conformance::run::load_baseline(&runners::catalog::workspace().join(b))
                .expect("the committed baseline")
        });
        let planned = |abi: &'static Abi| {
            let mut p = plan(&[abi], &config);
            if let Some(b) = &baseline {
                conformance::baseline::apply_exclusions(&mut p, t.name, b);
            }
            p
        };
        let good = run_target(runner.as_mut(), &planned(right), 0.0);
        let bad = run_target(runner.as_mut(), &planned(wrong(right)), 0.0);
        let passed = unknown_cases(&good, Verdict::Pass);
        assert!(
            !passed.is_empty(),
            "{}: no unknown-number case of {} passed with the real spec",
            t.name,
            right.id
        );
        let failed = unknown_cases(&bad, Verdict::Fail);
        assert!(
            passed.is_subset(&failed),
            "{}: the wrong {} spec was not caught on unknown-number cases {:?}",
            t.name,
            right.id,
            passed.difference(&failed).collect::<Vec<_>>()
        );
        checked += 1;
    }
    eprintln!("{checked} targets caught the wrong spec");
}
