//! The guest harness as a Xen dom0 (`XenRunner`), through its control words and broken setups:
//! every way a boot can go wrong must come back as an error carrying the console log.
//!
//! Needs the hypervisors of `cargo xtask setup` and the dom0 images of `cargo xtask guests --arch
//! xen-arm64,xen-arm32,xen-x86_64,xen-x86_64-pvh`; without them the tests say so on stderr and return, and under `CI=true`
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
    runner_of(spec(arch, debug))
}

/// The runner of the catalogue target `spec`, or `None` (not under CI) when it is unavailable.
fn runner_of(spec: &'static TargetSpec) -> Option<XenRunner> {
    let r = XenRunner::new(spec, &Overrides::default());
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
fn a_dom0_that_xen_crashes_is_an_error_with_the_log() {
    // `crash`: sched_op(SCHEDOP_shutdown, SHUTDOWN_crash). Xen reports the crash and waits; a
    // clean end here would hide it.
    for arch in [XenArch::Arm64, XenArch::X86_64] {
        let Some(mut r) = runner(arch, false) else {
            return;
        };
        let ex = r.execute(b"crash");
        let err = ex.error.expect("a dom0 crash must be an error").to_string();
        assert!(err.contains("dom0 crashed"), "{err}");
        assert!(err.contains("console log"), "{err}");
        assert!(ex.console_log.contains("crashed"), "{}", ex.console_log);
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

/// The AArch32 dom0 (a zImage Xen relocates) on each arm64 Xen of the catalogue: the smoke
/// sequence comes back whole with a clean power-off, a fault outside any probe is an error naming
/// the UNDEF vector (AArch32 class 1), and a dom0 Xen crashes is an error with the log, never a
/// clean end.
#[test]
fn the_arm32_dom0_boots_reports_its_faults_and_its_crash() {
    for name in ["xen4.17-arm32", "xen4.17-arm32-debug", "xen4.20-arm32"] {
        let spec = TargetSpec::get(name).expect("catalogue target");
        let Some(mut r) = runner_of(spec) else {
            return;
        };
        let ex = r.execute(b"smoke");
        assert!(ex.error.is_none(), "{name}: {:?}", ex.error);
        assert!(!ex.records.is_empty(), "{name}: no smoke records");
        let xen = ex.identity.primary().expect("Xen's identity");
        assert_eq!(xen.name, "Xen", "{name}");
        assert!(
            ex.console_log.contains("Loading zImage from"),
            "{name}: Xen must load the harness as a zImage: {}",
            ex.console_log
        );

        let ex = r.execute(b"fault");
        let err = ex.error.expect("a fault must be an error").to_string();
        assert!(
            err.contains("unexpected exception in the guest outside any probe")
                && err.contains("class 0x1,"),
            "{name}: {err}"
        );
        assert!(err.contains("console log"), "{name}: {err}");

        let ex = r.execute(b"crash");
        let err = ex.error.expect("a dom0 crash must be an error").to_string();
        assert!(err.contains("Hardware Dom0 crashed"), "{name}: {err}");
        assert!(err.contains("console log"), "{name}: {err}");
        assert!(
            ex.console_log.contains("Hardware Dom0 crashed"),
            "{name}: {}",
            ex.console_log
        );
    }
}

/// The PVH dom0 (64-bit and the compatibility-mode targets share its image) on release and
/// debug 4.17 and on 4.20: the smoke word ends with a clean reboot, a fault
/// outside any probe is an error naming #UD (vector 6, through the dom0's own IDT), and a dom0
/// Xen crashes is an error with the log, never a clean end.
#[test]
fn the_pvh_dom0_boots_reports_its_faults_and_its_crash() {
    for name in [
        "xen4.17-x86_64-pvh",
        "xen4.17-x86_64-pvh-debug",
        "xen4.20-x86_64-pvh",
    ] {
        let spec = TargetSpec::get(name).expect("catalogue target");
        let Some(mut r) = runner_of(spec) else {
            return;
        };
        // The smoke sequence has no x86 calls: a clean end with the guest's hello and end.
        let ex = r.execute(b"smoke");
        assert!(ex.error.is_none(), "{name}: {:?}", ex.error);
        // The image has only a PHYS32_ENTRY note, which a PV dom0 build refuses.
        assert!(
            ex.console_log
                .lines()
                .any(|l| l.starts_with("(XEN) Command line:")
                    && l.contains("dom0=pvh dom0-iommu=none")),
            "{name}: Xen must be told to build a PVH dom0: {}",
            ex.console_log
        );

        let ex = r.execute(b"fault");
        let err = ex.error.expect("a fault must be an error").to_string();
        assert!(
            err.contains("unexpected exception in the guest outside any probe")
                && err.contains("class 0x6,"),
            "{name}: {err}"
        );

        let ex = r.execute(b"crash");
        let err = ex.error.expect("a dom0 crash must be an error").to_string();
        assert!(err.contains("Hardware Dom0 crashed"), "{name}: {err}");
        assert!(err.contains("console log"), "{name}: {err}");
    }
}
