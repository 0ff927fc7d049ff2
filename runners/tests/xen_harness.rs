//! The guest harness as a Xen dom0 (`XenRunner`), through its control words and broken setups:
//! every way a boot can go wrong must come back as an error carrying the console log.
//!
//! Needs the hypervisors of `cargo xtask setup` and the dom0 images of `cargo xtask guests --arch
//! xen-arm64,xen-x86_64`; without them the tests say so on stderr and return, and under `CI=true`
//! that is a failure.

use std::time::Duration;

use runners::catalog::TargetSpec;
use runners::xen::{XenArch, XenRunner};
use runners::{Overrides, Runner};

fn spec(arch: XenArch, debug: bool) -> &'static TargetSpec {
    let name = format!(
        "xen4.17-{}{}",
        arch.name(),
        if debug { "-debug" } else { "" }
    );
    TargetSpec::get(&name).expect("catalogue target")
}

fn runner(arch: XenArch, debug: bool) -> Option<XenRunner> {
    let r = XenRunner::new(spec(arch, debug), &Overrides::default());
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

#[test]
fn a_fault_outside_any_probe_is_reported_with_its_vector_and_the_log() {
    // arm64: `udf #0` through VBAR_EL1 (ESR.EC 0); x86_64: `ud2` through the trap table (#UD, 6).
    for (arch, class) in [
        (XenArch::Arm64, "class 0x0"),
        (XenArch::X86_64, "class 0x6"),
    ] {
        let Some(mut r) = runner(arch, false) else {
            return;
        };
        let ex = r.execute(b"fault");
        let err = ex.error.expect("a fault must be an error").to_string();
        assert!(
            err.contains("unexpected exception in the guest outside any probe")
                && err.contains(class),
            "{err}"
        );
        assert!(err.contains("console log"), "{err}");
        assert!(
            ex.console_log.contains("(XEN) Xen version 4."),
            "{}",
            ex.console_log
        );
        assert_eq!(ex.identity.primary().map(|c| c.name.as_str()), Some("Xen"));
    }
}

#[test]
fn a_hang_is_killed_at_the_timeout_and_reported_with_the_log() {
    let Some(mut r) = runner(XenArch::Arm64, false) else {
        return;
    };
    r.timeout = Duration::from_secs(4);
    let ex = r.execute(b"spin");
    let err = ex.error.expect("a hang must be an error").to_string();
    assert!(err.contains("did not finish within 4"), "{err}");
    assert!(err.contains("console log"), "{err}");
    assert!(
        ex.console_log.contains("Freed"),
        "Xen's lines belong in the log: {}",
        ex.console_log
    );
    assert!(ex.elapsed >= Duration::from_secs(4));
}

#[test]
fn a_hypervisor_that_does_not_boot_is_reported_with_the_log() {
    let Some(ok) = runner(XenArch::Arm64, false) else {
        return;
    };
    drop(ok);
    // Not a hypervisor: this very test binary.
    let bogus = std::env::current_exe().unwrap();
    let mut o = Overrides::default();
    o.xen.push((abi_spec::Arch::Aarch64, bogus));
    let mut r = XenRunner::new(spec(XenArch::Arm64, false), &o);
    r.timeout = Duration::from_secs(3);
    let ex = r.execute(b"smoke");
    let err = ex.error.expect("a Xen that does not boot must be an error");
    assert!(!err.worth_retrying(), "{err}");
    let err = err.to_string();
    assert!(err.contains("the hypervisor did not boot"), "{err}");
    assert!(err.contains("console log"), "{err}");
    assert!(ex.records.is_empty());
}

#[test]
fn a_bad_plan_is_the_guest_s_error() {
    let Some(mut r) = runner(XenArch::Arm64, true) else {
        return;
    };
    let ex = r.execute(b"HXPL not a plan");
    let err = ex.error.expect("a bad plan must be an error").to_string();
    assert!(err.contains("the guest reported: plan:"), "{err}");
    let xen = ex.identity.primary().unwrap();
    assert!(
        xen.build.as_deref().unwrap_or("").contains("debug=y"),
        "{xen:?}"
    );
}
