//! The clobber rules are observable only on a debug Xen, which poisons the argument registers a
//! call used: a spec that declares them preserved must fail there, and the real spec must pass.
//!
//! The wrong spec below is the `xen-arm64` ABI (same id, trap, number and argument registers, so
//! the dom0 harness runs its own `xen-arm64` probe for it) with x16 and the used argument
//! registers declared preserved. Only the probes run (the harness's callers index the real
//! spec's calls). Without Xen, QEMU or the dom0 image the test says so on stderr and returns;
//! under `CI=true` that is a failure.

// The macro's expansion tests `feature = "proptest"`, a feature of the specs crate, not this one.
#![allow(unexpected_cfgs)]

use conformance::engine::run_target;
use conformance::plan::{plan, PlanConfig};
use conformance::report::Verdict;
use runners::catalog::TargetSpec;
use runners::xen::XenRunner;
use runners::Runner;

abi_macros::hypercall_abi! {
    /// xen-arm64 with its clobbers declared preserved (deliberately wrong).
    #[source = "test: xen/include/public/arch-arm.h 'Hypercall ABI', minus its clobber rule"]
    pub abi wrong_xen_arm64 ("xen-arm64", "Xen on Arm, clobbers wrongly declared preserved") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: {
            others: preserved,
        },
        errors: { EFAULT = -14, EINVAL = -22, ENOSYS = -38 },
        unknown: error(ENOSYS),
        calls: {
            /// XENVER_version answers major << 16 | minor.
            #[source = "xen/include/public/version.h"]
            xen_version = 17 (cmd: enum { XENVER_version = 0 }, arg: ptr(nullable)) -> (ret: range(0..=i32::MAX)) errors [EFAULT, EINVAL, ENOSYS];
        },
    }
}

fn runner(debug: bool) -> Option<XenRunner> {
    let name = if debug {
        "xen4.17-arm64-debug"
    } else {
        "xen4.17-arm64"
    };
    let spec = TargetSpec::get(name).expect("catalogue target");
    let r = XenRunner::new(spec, &runners::Overrides::default());
    match r.availability() {
        Ok(()) => Some(r),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{e} (CI=true: an unavailable Xen target is a failure)")
        }
        Err(e) => {
            eprintln!("SKIPPED: {e}");
            None
        }
    }
}

fn config() -> PlanConfig {
    PlanConfig {
        seed: 0x5eed,
        cases_per_call: 8,
        calls: vec!["xen_version".into()],
        callers: false,
    }
}

#[test]
fn a_spec_declaring_the_poisoned_registers_preserved_fails_on_the_debug_xen() {
    let Some(mut debug) = runner(true) else {
        return;
    };
    let wrong = plan(&[&wrong_xen_arm64::ABI], &config());
    let run = run_target(&mut debug, &wrong, 0.0);
    let verdicts: Vec<Verdict> = run.cases.iter().map(|c| c.verdict).collect();
    assert!(
        !verdicts.contains(&Verdict::Error),
        "the debug Xen run broke: {:?}",
        run.cases.iter().find_map(|c| c.reason.clone())
    );
    let poisoned: Vec<&str> = run
        .cases
        .iter()
        .flat_map(|c| &c.violations)
        .filter(|v| v.kind == "preserved_changed")
        .map(|v| v.register.as_str())
        .collect();
    assert!(
        poisoned.contains(&"x16") && poisoned.contains(&"x1"),
        "the debug Xen must be caught changing x16 and x1: {poisoned:?}"
    );
    assert!(verdicts.contains(&Verdict::Fail));

    // The real spec, same calls, same hypervisor: every case passes, and the poisoning shows in
    // the clobber counts.
    let right = plan(&[specs::find("xen-arm64").unwrap()], &config());
    let run = run_target(&mut debug, &right, 0.0);
    for c in &run.cases {
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    }
    assert!(
        run.clobbers
            .iter()
            .any(|c| c.register == "x16" && c.changed > 0),
        "{:?}",
        run.clobbers
    );
}

#[test]
fn the_wrong_spec_passes_on_the_release_xen_which_does_not_poison() {
    let Some(mut release) = runner(false) else {
        return;
    };
    let wrong = plan(&[&wrong_xen_arm64::ABI], &config());
    let run = run_target(&mut release, &wrong, 0.0);
    for c in &run.cases {
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    }
}
