//! The clobber rules are observable only on a debug Xen, which poisons the argument registers a
//! call used: a spec that declares them preserved must fail there, and the real spec must pass.
//!
//! The wrong specs below are the `xen-arm64` and `xen-arm32` ABIs (same id, trap, number and
//! argument registers, so the dom0 harness runs its own probe for them) with the number register
//! (x16, r12) and the used argument registers declared preserved. Only the probes run (the
//! harness's callers index the real spec's calls). Without Xen, QEMU or the dom0 image the test says so on stderr and returns;
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

    /// xen-arm32 with its clobbers declared preserved (deliberately wrong).
    #[source = "test: xen/include/public/arch-arm.h 'Hypercall ABI', minus its clobber rule"]
    pub abi wrong_xen_arm32 ("xen-arm32", "Xen on Arm (AArch32), clobbers wrongly declared preserved") {
        arch: arm,
        trap: hvc(0xEA1),
        number: r12,
        args: [r0, r1, r2, r3, r4],
        results: [r0],
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

abi_macros::hypercall_abi! {
    /// xen-arm64's grant_table_op with `struct gnttab_query_size` laid out wrong: `dom` declared
    /// 8 bytes wide, which moves `nr_frames` from offset 4 (Xen's, grant_table.h) to 8.
    #[source = "test: xen/include/public/grant_table.h struct gnttab_query_size, with a field at the wrong offset"]
    pub abi wrong_struct_xen_arm64 ("xen-arm64", "Xen on Arm, gnttab_query_size wrongly laid out") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: {
            number: clobbered,
            used_args: clobbered,
            others: preserved,
        },
        errors: { EPERM = -1, ESRCH = -3, E2BIG = -7, ENOMEM = -12, EFAULT = -14, EBUSY = -16, EINVAL = -22, ENOSYS = -38, EOPNOTSUPP = -95 },
        unknown: error(ENOSYS),
        layout: aapcs64,
        structs: {
            /// `dom` deliberately 8 bytes: every later field 4 bytes too far.
            gnttab_query_size { dom: u64, #[out] nr_frames: u32, #[out] max_nr_frames: u32, #[out] status: i16 }
        },
        calls: {
            /// Grant-table operations; only the size query runs.
            #[source = "xen/include/public/grant_table.h: GNTTABOP_query_size"]
            #[disruptive]
            grant_table_op = 20 (cmd: enum {
                #[query] #[param(gnttab_query_size)] #[args(count = 1)] GNTTABOP_query_size = 6,
            }, uop: ptr(nullable), count: range(0..=u32::MAX)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, ENOMEM, EBUSY, EOPNOTSUPP, E2BIG];
        },
    }
}

/// The wrong struct and the real one, on the release Xen: Xen writes `nr_frames` at offset 4,
/// which the wrong layout says is its input `dom`, so that case fails with the byte named; the
/// real spec's struct cases all pass.
#[test]
fn a_struct_field_at_the_wrong_offset_fails_on_the_real_xen() {
    let Some(mut xen) = runner(false) else {
        return;
    };
    let cfg = PlanConfig {
        calls: vec!["grant_table_op".into()],
        ..config()
    };
    let wrong = plan(&[&wrong_struct_xen_arm64::ABI], &cfg);
    assert!(wrong.cases.iter().any(|c| c.buffer.is_some()));
    let run = run_target(&mut xen, &wrong, 0.0);
    let writes: Vec<&str> = run
        .cases
        .iter()
        .flat_map(|c| &c.violations)
        .filter(|v| v.kind == "struct_write")
        .map(|v| v.message.as_str())
        .collect();
    assert!(
        writes
            .iter()
            .any(|m| m.contains("byte 4 of struct gnttab_query_size (`dom` (in))")),
        "Xen's write of nr_frames at offset 4 must be caught: {:?}",
        run.cases
    );

    let right = plan(&[specs::find("xen-arm64").unwrap()], &cfg);
    let run = run_target(&mut xen, &right, 0.0);
    assert!(run.cases.len() >= 4, "{:?}", run.cases);
    for c in &run.cases {
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    }
}

abi_macros::hypercall_abi! {
    /// xen-arm64's sysctl with `nr_cpus` of physinfo declared an input (deliberately wrong).
    #[source = "test: xen/include/public/sysctl.h struct xen_sysctl with u.physinfo, nr_cpus wrongly an input"]
    pub abi wrong_sysctl_xen_arm64 ("xen-arm64", "Xen on Arm, sysctl with physinfo's nr_cpus an input") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: {
            number: clobbered,
            used_args: clobbered,
            others: preserved,
        },
        errors: { EACCES = -13, EFAULT = -14, ENOSYS = -38 },
        unknown: error(ENOSYS),
        layout: aapcs64,
        structs: {
            /// `nr_cpus` deliberately an input.
            xen_sysctl_with_physinfo {
                cmd: u32, interface_version: u32,
                #[out] threads_per_core: u32, #[out] cores_per_socket: u32, nr_cpus: u32,
                #[out] rest: [u32; 25], #[reserved] u_rest: [u8; 16]
            }
        },
        calls: {
            /// System control; only the physinfo query runs.
            #[source = "xen/include/public/sysctl.h: XEN_SYSCTL_physinfo"]
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(interface_version = 0x15)]
            sysctl = 35 (op: ptr {
                #[query] #[param(xen_sysctl_with_physinfo)] XEN_SYSCTL_physinfo = 3,
            }) -> (ret: range(0..)) errors [EACCES, EFAULT, ENOSYS];
        },
    }
}

/// sysctl's physinfo on the release Xen: Xen fills physinfo, and its write of `nr_cpus` (offset
/// 16), which the wrong struct calls an input, is caught; with the real spec every sysctl case
/// (physinfo, the wrong interface version, the unmapped struct, the unknown cmd) passes.
#[test]
fn a_physinfo_output_declared_an_input_fails_on_the_real_xen() {
    let Some(mut xen) = runner(false) else {
        return;
    };
    let cfg = PlanConfig {
        calls: vec!["sysctl".into()],
        ..config()
    };
    let wrong = plan(&[&wrong_sysctl_xen_arm64::ABI], &cfg);
    let run = run_target(&mut xen, &wrong, 0.0);
    let writes: Vec<&str> = run
        .cases
        .iter()
        .flat_map(|c| &c.violations)
        .filter(|v| v.kind == "struct_write")
        .map(|v| v.message.as_str())
        .collect();
    assert!(
        writes
            .iter()
            .any(|m| m.contains("of struct xen_sysctl_with_physinfo (`nr_cpus` (in))")),
        "Xen's write of nr_cpus must be caught: {:?}",
        run.cases
    );

    let right = plan(&[specs::find("xen-arm64").unwrap()], &cfg);
    assert!(right.cases.len() >= 4, "{:?}", right.cases);
    let run = run_target(&mut xen, &right, 0.0);
    assert_eq!(run.cases.len(), right.cases.len());
    for c in &run.cases {
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    }
}

abi_macros::hypercall_abi! {
    /// xen-arm64's sysctl with the interface version of Xen 4.16 (0x14; deliberately wrong).
    #[source = "test: xen/include/public/sysctl.h XEN_SYSCTL_INTERFACE_VERSION, one version too old"]
    pub abi old_sysctl_xen_arm64 ("xen-arm64", "Xen on Arm, sysctl with an old interface version") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: {
            number: clobbered,
            used_args: clobbered,
            others: preserved,
        },
        errors: { EACCES = -13, EFAULT = -14, ENOSYS = -38 },
        unknown: error(ENOSYS),
        layout: aapcs64,
        structs: {
            /// The real layout.
            xen_sysctl_with_physinfo {
                cmd: u32, interface_version: u32,
                #[out] rest: [u32; 30], #[reserved] u_rest: [u8; 16]
            }
        },
        calls: {
            /// System control; only the physinfo query runs.
            #[source = "xen/include/public/sysctl.h: XEN_SYSCTL_physinfo"]
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(interface_version = 0x14)]
            #[bad_fixed(EACCES)]
            sysctl = 35 (op: ptr {
                #[query] #[param(xen_sysctl_with_physinfo)] XEN_SYSCTL_physinfo = 3,
            }) -> (ret: range(0..)) errors [EACCES, EFAULT, ENOSYS];
        },
    }

    /// xen-arm64's sysctl claiming Xen writes the union's last 16 bytes and that the host has
    /// at least 4096 CPUs (both deliberately wrong).
    #[source = "test: xen/include/public/sysctl.h struct xen_sysctl with u.physinfo, an output Xen never writes and a domain no QEMU machine meets"]
    pub abi unwritten_sysctl_xen_arm64 ("xen-arm64", "Xen on Arm, sysctl with an unwritten output and a wrong domain") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: {
            number: clobbered,
            used_args: clobbered,
            others: preserved,
        },
        errors: { EACCES = -13, EFAULT = -14, ENOSYS = -38 },
        unknown: error(ENOSYS),
        layout: aapcs64,
        structs: {
            /// `u_rest` an output, `nr_cpus` at least 4096.
            xen_sysctl_with_physinfo {
                cmd: u32, interface_version: u32,
                #[out] threads_per_core: u32, #[out] cores_per_socket: u32,
                #[out] #[domain(4096..)] nr_cpus: u32,
                #[out] rest: [u32; 25], #[out] u_rest: [u8; 16]
            }
        },
        calls: {
            /// System control; only the physinfo query runs.
            #[source = "xen/include/public/sysctl.h: XEN_SYSCTL_physinfo"]
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(interface_version = 0x15)]
            #[bad_fixed(EACCES)]
            sysctl = 35 (op: ptr {
                #[query] #[param(xen_sysctl_with_physinfo)] XEN_SYSCTL_physinfo = 3,
            }) -> (ret: range(0..)) errors [EACCES, EFAULT, ENOSYS];
        },
    }
}

/// The struct checks beyond stray writes, on the release Xen: a spec whose interface version
/// Xen refuses fails `fixed_refused` (not accepted as one of the call's errors), and a spec
/// claiming an output Xen leaves alone and a domain its answer is outside fails
/// `output_not_written` and `field_out_of_domain`, each naming the field.
#[test]
fn a_refused_interface_version_an_unwritten_output_and_a_value_out_of_its_domain_fail_on_the_real_xen(
) {
    let Some(mut xen) = runner(false) else {
        return;
    };
    let cfg = PlanConfig {
        calls: vec!["sysctl".into()],
        ..config()
    };
    let messages = |abi: &'static abi_spec::Abi, xen: &mut XenRunner, kind: &str| {
        let run = run_target(xen, &plan(&[abi], &cfg), 0.0);
        assert!(
            run.cases.iter().all(|c| c.verdict != Verdict::Error),
            "{:?}",
            run.cases
        );
        run.cases
            .iter()
            .flat_map(|c| &c.violations)
            .filter(|v| v.kind == kind)
            .map(|v| v.message.clone())
            .collect::<Vec<_>>()
    };
    let refused = messages(&old_sysctl_xen_arm64::ABI, &mut xen, "fixed_refused");
    assert!(
        refused.iter().any(|m| m
            .contains("field `interface_version` of struct xen_sysctl_with_physinfo")
            && m.contains("EACCES")),
        "{refused:?}"
    );
    let unwritten = messages(
        &unwritten_sysctl_xen_arm64::ABI,
        &mut xen,
        "output_not_written",
    );
    assert!(
        unwritten
            .iter()
            .any(|m| m.contains("`u_rest` of struct xen_sysctl_with_physinfo")),
        "{unwritten:?}"
    );
    let domain = messages(
        &unwritten_sysctl_xen_arm64::ABI,
        &mut xen,
        "field_out_of_domain",
    );
    assert!(
        domain.iter().any(|m| m
            .contains("`nr_cpus` of struct xen_sysctl_with_physinfo (domain 4096..=4294967295)")),
        "{domain:?}"
    );
}

fn runner(debug: bool) -> Option<XenRunner> {
    target(if debug {
        "xen4.17-arm64-debug"
    } else {
        "xen4.17-arm64"
    })
}

/// The runner of the catalogue's Xen target `name`, or `None` (not under CI) when unavailable.
fn target(name: &str) -> Option<XenRunner> {
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
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
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

/// The AArch32 dom0 on the debug Xen: r12 and the used argument registers come back as
/// 0xdeadbeef, so the spec that declares them preserved fails and the real one passes (with r12
/// in the clobber counts); the release Xen leaves them alone and passes the wrong spec.
#[test]
fn the_arm32_dom0_sees_r12_and_the_arguments_poisoned_on_the_debug_xen_only() {
    let Some(mut debug) = target("xen4.17-arm32-debug") else {
        return;
    };
    let wrong = plan(&[&wrong_xen_arm32::ABI], &config());
    let run = run_target(&mut debug, &wrong, 0.0);
    assert!(
        !run.cases.iter().any(|c| c.verdict == Verdict::Error),
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
        poisoned.contains(&"r12") && poisoned.contains(&"r1"),
        "the debug Xen must be caught changing r12 and r1: {poisoned:?}"
    );

    let right = plan(&[specs::find("xen-arm32").unwrap()], &config());
    let run = run_target(&mut debug, &right, 0.0);
    for c in &run.cases {
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    }
    assert!(
        run.clobbers
            .iter()
            .any(|c| c.register == "r12" && c.changed > 0),
        "{:?}",
        run.clobbers
    );

    let Some(mut release) = target("xen4.17-arm32") else {
        return;
    };
    let run = run_target(&mut release, &wrong, 0.0);
    for c in &run.cases {
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    }
}

/// The PVH dom0's 32-bit ABI (from a compatibility-mode code segment, with junk in the upper
/// register halves) on the debug Xen: ebx and ecx come back as 0xdeadf00d, so a spec that
/// declares them preserved fails and the real one passes (with ebx in the clobber counts); the
/// release Xen leaves them alone and passes the wrong spec.
#[test]
fn the_pvh_dom0_sees_the_32_bit_registers_poisoned_in_compat_mode_on_the_debug_xen_only() {
    let Some(mut debug) = target("xen4.17-x86-pvh-debug") else {
        return;
    };
    // The real spec with ebx and ecx (the first two argument registers) declared preserved: a
    // copy of it (same id, so the dom0 runs the real 32-bit probe), not a second
    // `hypercall_abi!` expansion, whose compat32 probe symbol would clash with the specs crate's.
    let lie = one_clobber_left_out("xen-x86-hvm-vmmcall", "ebx");
    let lie: &'static abi_spec::Abi = Box::leak(Box::new(one_more_clobber_left_out(lie, "ecx")));
    let wrong = plan(&[lie], &config());
    let run = run_target(&mut debug, &wrong, 0.0);
    assert!(
        !run.cases.iter().any(|c| c.verdict == Verdict::Error),
        "the debug Xen run broke: {:?}",
        run.cases.iter().find_map(|c| c.reason.clone())
    );
    let poisoned: Vec<(&str, Option<u64>)> = run
        .cases
        .iter()
        .flat_map(|c| &c.violations)
        .filter(|v| v.kind == "preserved_changed")
        .map(|v| (v.register.as_str(), v.observed))
        .collect();
    for reg in ["ebx", "ecx"] {
        assert!(
            poisoned
                .iter()
                .any(|(r, v)| *r == reg && *v == Some(0xdead_f00d)),
            "the debug Xen must be caught writing 0xdeadf00d to {reg}: {poisoned:?}"
        );
    }

    let right = plan(&[specs::find("xen-x86-hvm-vmmcall").unwrap()], &config());
    let run = run_target(&mut debug, &right, 0.0);
    for c in &run.cases {
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    }
    assert!(
        run.clobbers
            .iter()
            .any(|c| c.register == "ebx" && c.changed > 0),
        "{:?}",
        run.clobbers
    );

    let Some(mut release) = target("xen4.17-x86-pvh") else {
        return;
    };
    let run = run_target(&mut release, &wrong, 0.0);
    for c in &run.cases {
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    }
}

/// Intel's `vmcall` on the PVH dom0: QEMU's CPU is AMD's SVM without VMX, so the instruction
/// raises #UD; the dom0 finds that at boot and the target reports every case of the vmcall ABI
/// as an error naming the reason, never as a pass or as Xen's failure.
#[test]
fn vmcall_is_reported_unavailable_with_its_reason_on_the_pvh_dom0() {
    let Some(mut pvh) = target("xen4.17-x86_64-pvh") else {
        return;
    };
    let p = plan(&[specs::find("xen-x86_64-hvm-vmcall").unwrap()], &config());
    let run = run_target(&mut pvh, &p, 0.0);
    let run_cases: Vec<_> = run
        .cases
        .iter()
        .filter(|c| c.verdict != Verdict::Skip)
        .collect();
    assert!(!run_cases.is_empty());
    for c in run_cases {
        assert_eq!(c.verdict, Verdict::Error, "{c:?}");
        let reason = c.reason.as_deref().unwrap_or_default();
        assert!(
            reason.starts_with("unavailable on this target: vmcall raises #UD"),
            "{reason}"
        );
    }
    assert_eq!(
        run.identity.details.get("env:vmcall").map(String::as_str),
        Some("exception 6 (#UD)")
    );
}

/// The spec of `id` with one lie: `reg`, an argument register the hypervisor may change, declared
/// preserved. Its header binds the register as an input only, so the compiler may keep the
/// argument in it across the call.
fn one_clobber_left_out(id: &str, reg: &str) -> abi_spec::Abi {
    one_more_clobber_left_out(*specs::find(id).unwrap(), reg)
}

/// `abi` with one more lie: `reg` declared preserved.
fn one_more_clobber_left_out(mut abi: abi_spec::Abi, reg: &str) -> abi_spec::Abi {
    use abi_spec::{RegSet, Role, RoleRule};
    let reg = abi.arch.reg(reg).unwrap();
    let mut rules = abi.rules.to_vec();
    rules.push(RoleRule {
        set: RegSet::Reg(reg),
        role: Role::Preserved,
    });
    abi.rules = Box::leak(rules.into_boxed_slice());
    abi
}

/// The checked-in stubs with `abi`'s header replaced by the one generated from it, in a
/// directory of their own.
fn stubs_with(abi: &abi_spec::Abi, name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let stubs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../stubs");
    for e in std::fs::read_dir(&stubs).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let header = conformance::gen::c::header(abi);
    let real = std::fs::read_to_string(stubs.join(format!("{}.h", abi.id))).unwrap();
    assert_ne!(header, real, "the lie must change the header");
    std::fs::write(dir.join(format!("{}.h", abi.id)), header).unwrap();
    dir
}

/// The C stub of `xen-arm64` (x1) and of `xen-x86_64` (rsi) with the second argument register
/// left out of what the call may change, linked into a dom0 harness of its own: on the debug
/// Xen, which writes 0xdeadbeef into the argument registers a call used, the argument the
/// compiler kept in that register comes back changed and the cases fail; the real stubs, in the
/// catalogue's image, pass the same plan on the same hypervisor.
#[test]
fn a_c_stub_missing_one_clobber_fails_on_the_debug_xen_and_the_real_one_passes() {
    use conformance::report::{ExecPath, PathStat};
    for (target, env, id, reg) in [
        ("xen4.17-arm64-debug", "xen-arm64", "xen-arm64", "x1"),
        ("xen4.17-x86_64-debug", "xen-x86_64", "xen-x86_64", "rsi"),
    ] {
        let spec = TargetSpec::get(target).unwrap();
        let real = XenRunner::new(spec, &runners::Overrides::default());
        if let Err(e) = real.availability() {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{e} (CI=true: an unavailable Xen target is a failure)");
            }
            eprintln!("SKIPPED: {e}");
            return;
        }
        let abi = one_clobber_left_out(id, reg);
        let stubs = stubs_with(&abi, &format!("broken-stubs-{env}"));
        let env_spec = runners::catalog::BootEnv::get(env).unwrap();
        let target_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("guest-{env}-broken-stub"));
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let image = env_spec
            .build(&cargo, target_dir.to_str().unwrap(), Some(&stubs))
            .unwrap_or_else(|e| panic!("{e}"));
        let config = PlanConfig {
            callers: true,
            admit: Vec::new(),
            implementation: None,
            scratch_at_memory_end: false,
            ..config()
        };
        let p = plan(&[specs::find(id).unwrap()], &config);
        let path = |paths: &[PathStat], which| {
            paths
                .iter()
                .find(|s| s.path == which)
                .cloned()
                .unwrap_or_else(|| panic!("{target}: no {which:?} path in {paths:?}"))
        };

        let mut broken = XenRunner::new(spec, &runners::Overrides::default()).with_dom0(image);
        let run = run_target(&mut broken, &p, 0.0);
        assert!(
            !run.cases.iter().any(|c| c.verdict == Verdict::Error),
            "{target}: the run broke: {:?}",
            run.cases.iter().find_map(|c| c.reason.clone())
        );
        let failing: Vec<_> = run
            .cases
            .iter()
            .filter(|c| c.verdict == Verdict::Fail)
            .collect();
        eprintln!(
            "{target} with the broken C stub: {} of {} cases fail; paths: {}",
            failing.len(),
            run.cases.len(),
            conformance::report::paths_line(&run.paths).unwrap_or_default()
        );
        for c in failing.iter().take(2) {
            eprintln!("  {:?} #{}: {}", c.verdict, c.id, c.violations[0].message);
        }
        assert!(!failing.is_empty(), "{target}: the broken stub must fail");
        for c in &failing {
            for v in &c.violations {
                assert_eq!(
                    (v.kind.as_str(), v.path),
                    ("live_value_changed", Some(ExecPath::CStub)),
                    "{target}: only the C stub may disagree: {}",
                    v.message
                );
            }
        }
        let c = path(&run.paths, ExecPath::CStub);
        assert!(c.ran > 0 && c.agreed < c.ran, "{target}: {c:?}");
        for other in [ExecPath::Caller, ExecPath::AsmStub] {
            let s = path(&run.paths, other);
            assert!(s.ran > 0 && s.agreed == s.ran, "{target}: {s:?}");
        }

        // The catalogue's image, built from the real stubs: the same plan passes.
        let mut real = real;
        let run = run_target(&mut real, &p, 0.0);
        for c in &run.cases {
            assert_eq!(c.verdict, Verdict::Pass, "{target}: {c:?}");
        }
        for which in [ExecPath::Caller, ExecPath::CStub, ExecPath::AsmStub] {
            let s = path(&run.paths, which);
            assert!(s.ran > 0 && s.agreed == s.ran, "{target}: {s:?}");
        }
        eprintln!(
            "{target} with the real stubs: {} cases pass; paths: {}",
            run.cases.len(),
            conformance::report::paths_line(&run.paths).unwrap_or_default()
        );
    }
}
