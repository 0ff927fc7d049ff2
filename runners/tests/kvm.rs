//! The KVM runner against Debian's Linux 6.12 under QEMU (the `kvm6.12-arm64` and
//! `kvm6.12-x86_64` targets of the catalogue): a plan runs, and each way a KVM boot can break — a kernel that does not boot, a
//! VMM that fails, a guest that hangs — is an error carrying the console log.
//!
//! Direct mode (`kvm-host-x86_64`) runs on this machine's own /dev/kvm where it can.
//!
//! Without the kernel, the VMM or QEMU these tests say so on stderr and return; under `CI=true`
//! that is a failure.

use std::time::Duration;

use runners::catalog::{KernelSpec, TargetSpec};
use runners::kvm::KvmRunner;
use runners::{Error, Overrides, Runner};

fn target(name: &str) -> &'static TargetSpec {
    TargetSpec::get(name).expect("catalogue target")
}

/// The runner of `spec`, or `None` (with the reason on stderr) where it cannot run here.
fn runner(spec: &'static TargetSpec, overrides: &Overrides) -> Option<KvmRunner> {
    let r = KvmRunner::new(spec, overrides);
    if let Err(e) = r.availability() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{}: {e} (CI=true: an unavailable target is a failure)",
            spec.name
        );
        eprintln!("SKIPPED {}: {e}", spec.name);
        return None;
    }
    Some(r)
}

/// The error of an execution that must have failed, with its console log read back.
fn error_and_log(r: &mut KvmRunner, plan: &[u8]) -> (Error, String) {
    let ex = r.execute(plan);
    let e = ex
        .error
        .unwrap_or_else(|| panic!("the run succeeded: {}", ex.console_log));
    let log = e.log().unwrap_or_else(|| panic!("no console log in: {e}"));
    let text = String::from_utf8_lossy(&std::fs::read(log).expect("the console log")).into_owned();
    (e, text)
}

#[test]
fn a_smoke_plan_runs_and_names_kernel_and_kvm_mode() {
    let Some(mut r) = runner(target("kvm6.12-arm64"), &Overrides::default()) else {
        return;
    };
    let ex = r.execute(b"smoke");
    assert!(ex.error.is_none(), "{:?}\n{}", ex.error, ex.console_log);
    let kernel = ex
        .identity
        .components
        .iter()
        .find(|c| c.role == runners::catalog::Role::Kernel)
        .expect("the kernel in the identity");
    assert!(kernel.version.starts_with("6.12."), "{kernel:?}");
    assert!(
        ex.identity.accelerator.contains("VHE mode initialized"),
        "{}",
        ex.identity.accelerator
    );
    assert_eq!(
        detail(&ex, "kvm_witness"),
        "hvc #0, x0 = 0 answered 0xffffffffffffffff, `hvc_exit_stat` +1: KVM handled it"
    );
}

fn detail<'a>(ex: &'a runners::Execution, key: &str) -> &'a str {
    ex.details
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in {:?}\n{}", ex.details, ex.console_log))
}

#[test]
fn the_x86_64_target_runs_a_smoke_plan_under_kvm_amd() {
    let Some(mut r) = runner(target("kvm6.12-x86_64"), &Overrides::default()) else {
        return;
    };
    let ex = r.execute(b"smoke");
    assert!(ex.error.is_none(), "{:?}\n{}", ex.error, ex.console_log);
    assert!(
        ex.console_log
            .contains("hyperabi-vmm: end: guest powered off (power-off register)"),
        "{}",
        ex.console_log
    );
    let kernel = ex
        .identity
        .components
        .iter()
        .find(|c| c.role == runners::catalog::Role::Kernel)
        .expect("the kernel in the identity");
    assert!(
        kernel.version.starts_with("6.12.117+deb13-amd64"),
        "{kernel:?}"
    );
    assert_eq!(
        ex.identity.accelerator,
        "kvm nested in tcg: kvm_amd: Nested Paging enabled"
    );
    assert_eq!(ex.identity.cpu.as_deref(), Some("qemu64,+svm,+npt"));
    // QEMU's qemu64 is an AMD CPU: the witness uses vmmcall, and KVM counted it.
    assert_eq!(
        detail(&ex, "kvm_witness"),
        "vmmcall 0xffff answered 0xfffffffffffffc18, `hypercalls` +1: KVM handled it"
    );
    // The smoke plan makes no hypercall, and KVM counted none after the witness.
    assert_eq!(
        detail(&ex, "kvm_hypercalls"),
        "0 handled by KVM (`hypercalls`)"
    );
}

/// Direct mode on this machine's /dev/kvm: it runs only where the witness hypercall shows a KVM
/// that handles hypercalls itself; anywhere else every case is an error naming that reason,
/// never a pass. (On the machines this project is built on, a software KVM, the second.)
#[test]
fn direct_mode_runs_only_on_a_kvm_that_handles_its_hypercalls() {
    let spec = target("kvm-host-x86_64");
    let mut r = runners::kvm_host::KvmHostRunner::new(spec);
    let ex = r.execute(b"smoke");
    match runners::kvm_host::left_out(spec) {
        Some(why) => {
            let e = ex.error.expect("an error, never a pass");
            assert!(matches!(e, Error::Unavailable { .. }), "{e}");
            assert_eq!(e.to_string(), why);
            assert!(ex.records.is_empty());
            // With an x86_64 host, /dev/kvm and the VMM built (`cargo xtask guests`), the
            // reason can only be the witness's.
            if std::env::consts::ARCH == "x86_64"
                && std::path::Path::new("/dev/kvm").exists()
                && !why.contains("is missing")
            {
                assert!(why.contains("witness hypercall"), "{why}");
            }
        }
        None => {
            assert!(ex.error.is_none(), "{:?}\n{}", ex.error, ex.console_log);
            assert!(detail(&ex, "kvm_witness").ends_with("KVM handled it"));
        }
    }
}

#[test]
fn the_x86_64_harness_reports_a_fault_outside_a_probe_through_its_idt() {
    let Some(mut r) = runner(target("kvm6.12-x86_64"), &Overrides::default()) else {
        return;
    };
    // `ud2` outside any probe: #UD (vector 6) through the harness's IDT, then power-off.
    let ex = r.execute(b"fault");
    let e = ex.error.expect("a fault must be an error");
    match &e {
        Error::GuestException { exception, .. } => {
            assert_eq!(exception.class, 6, "{e}");
        }
        other => panic!("not a guest exception: {other}\n{}", ex.console_log),
    }
    assert!(
        ex.console_log
            .contains("hyperabi-vmm: end: guest powered off (power-off register)"),
        "{}",
        ex.console_log
    );
}

#[test]
fn a_kernel_that_does_not_boot_is_an_error_with_the_console_log() {
    let spec = target("kvm6.12-arm64");
    let junk = std::env::temp_dir().join(format!("hyperabi-not-a-kernel-{}", std::process::id()));
    std::fs::write(&junk, [0u8; 4096]).unwrap();
    let overrides = Overrides {
        kernel: vec![(abi_spec::Arch::Aarch64, junk.clone())],
        ..Overrides::default()
    };
    let Some(mut r) = runner(spec, &overrides) else {
        return;
    };
    r.limits.first_output = Duration::from_secs(5);
    let (e, _) = error_and_log(&mut r, b"smoke");
    let _ = std::fs::remove_file(&junk);
    assert!(matches!(e, Error::NotBooted { .. }), "{e}");
    assert!(e.to_string().contains("never started /init"), "{e}");
}

#[test]
fn a_vmm_that_fails_is_an_error_with_the_console_log() {
    // KVM switched off on the kernel command line: the VMM finds no /dev/kvm.
    let base = target("kvm6.12-arm64");
    let spec: &'static TargetSpec = Box::leak(Box::new(TargetSpec {
        kernel: Some(KernelSpec {
            cmdline: "kvm-arm.mode=none",
            ..base.kernel.unwrap()
        }),
        ..*base
    }));
    let Some(mut r) = runner(spec, &Overrides::default()) else {
        return;
    };
    let (e, log) = error_and_log(&mut r, b"smoke");
    assert!(matches!(e, Error::Vmm { .. }), "{e}");
    assert!(e.to_string().contains("/dev/kvm"), "{e}");
    assert!(log.contains("hyperabi-vmm: error: /dev/kvm"), "{log}");
}

#[test]
fn a_guest_that_hangs_is_an_error_with_the_console_log() {
    let Some(mut r) = runner(target("kvm6.12-arm64"), &Overrides::default()) else {
        return;
    };
    r.limits.idle = Some(Duration::from_secs(3));
    let (e, log) = error_and_log(&mut r, b"spin");
    assert!(matches!(e, Error::Hang { .. }), "{e}");
    assert!(log.contains("hyperabi-vmm: guest: entry"), "{log}");
}

#[test]
fn the_hyp_stub_module_refuses_a_kernel_at_el2_which_is_an_error() {
    // `-cpu max` has VHE: the kernel stays at EL2 and no stub is left below it. The module reads
    // CurrentEL and refuses to load, and the VMM says so.
    let base = target("linux6.12-arm64-hyp-stub");
    let spec: &'static TargetSpec = Box::leak(Box::new(TargetSpec {
        machine: Some(runners::catalog::MachineSpec {
            cpu: "max,pauth-impdef=on",
            ..base.machine.unwrap()
        }),
        ..*base
    }));
    let Some(mut r) = runner(spec, &Overrides::default()) else {
        return;
    };
    let (e, log) = error_and_log(&mut r, b"smoke");
    assert!(matches!(e, Error::Vmm { .. }), "{e}");
    assert!(e.to_string().contains("99-hyperabi.ko"), "{e}");
    assert!(log.contains("hyperabi-vmm: error: loading"), "{log}");
}

#[test]
fn a_fault_in_the_hyp_stub_module_is_a_kernel_panic_error() {
    let Some(mut r) = runner(target("linux6.1-arm64-hyp-stub"), &Overrides::default()) else {
        return;
    };
    let (e, log) = error_and_log(&mut r, b"fault");
    assert!(matches!(e, Error::Panic { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("hyperabi: fault requested by the plan"),
        "{e}"
    );
    assert!(log.contains("hyperabi: module at EL1"), "{log}");
}
