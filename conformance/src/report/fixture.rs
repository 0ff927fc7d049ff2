//! A hand-built report that exercises every branch of the renderers: a pass, a failure with
//! several violations (one of them shrunk), a known failure, case errors, a skip, a target that
//! broke mid-run with a console log, an unavailable target, clobber statistics, and hostile
//! strings (markup, quotes, control characters) where a target could put them.

use std::collections::BTreeMap;

use super::model::*;

fn nv(name: &str, value: u64) -> NamedValue {
    NamedValue {
        name: name.into(),
        value,
    }
}

fn case(id: u32, abi: &str, call: &str, number: u64, kind: CaseKind, path: ExecPath) -> CaseResult {
    CaseResult {
        id,
        abi: abi.into(),
        call: call.into(),
        number: vec![number],
        kind,
        label: String::new(),
        path,
        args: vec![],
        verdict: Verdict::Pass,
        violations: vec![],
        observed: None,
        reason: None,
        known: None,
        shrunk_from: None,
        duration_ns: 1_000 + 250 * id as u64,
    }
}

/// The model target: completed, with a pass, a failure with three violations, a known failure,
/// a skip and an edge-case pass.
pub fn model_target() -> TargetRun {
    use CaseKind::*;
    use ExecPath::*;
    let mut version = case(0, "psci", "version", 0x8400_0000, Fixed, Probe);
    version.observed = Some(Observed {
        results: vec![nv("version", 0x1_0001)],
        exception: None,
    });

    let mut cpu_on = case(1, "psci", "cpu_on", 0xc400_0003, Generated, Caller);
    cpu_on.args = vec![
        nv("target_cpu", 0x1),
        nv("entry_point", 0x4008_0000),
        nv("context_id", 0),
    ];
    cpu_on.shrunk_from = Some(vec![
        nv("target_cpu", 0x8f00_0301),
        nv("entry_point", 0xffff_0000_4008_1234),
        nv("context_id", 0x1234_5678_9abc_def0),
    ]);
    cpu_on.verdict = Verdict::Fail;
    cpu_on.observed = Some(Observed {
        results: vec![nv("status", (-9i64) as u64)],
        exception: None,
    });
    cpu_on.violations = vec![
        ViolationReport {
            kind: "preserved_changed".into(),
            register: "x4".into(),
            role: "preserved".into(),
            before: Some(0x4444_4444_4444_4444),
            expected: "0x4444444444444444".into(),
            observed: Some(0xdead_beef),
            message: "x4 must be preserved but changed from 0x4444444444444444 to 0xdeadbeef"
                .into(),
            path: None,
        },
        ViolationReport {
            kind: "result_out_of_domain".into(),
            register: "x0".into(),
            role: "result status".into(),
            before: Some(0xc400_0003),
            expected: "one of SUCCESS(0), INVALID_PARAMETERS(-2), ALREADY_ON(-4)".into(),
            observed: Some((-9i64) as u64),
            message: "status -9 is not a declared result of cpu_on".into(),
            path: None,
        },
        ViolationReport {
            kind: "caller_mismatch".into(),
            register: "-".into(),
            role: "result".into(),
            before: None,
            expected: "0xfffffffffffffff7 (probe)".into(),
            observed: Some(0),
            message: "the generated caller returned 0x0, the probe 0xfffffffffffffff7".into(),
            path: None,
        },
    ];
    cpu_on.label = "generated from the argument domains".into();

    let mut cpu_off = case(2, "psci", "cpu_off", 0x8400_0002, Edge, Probe);
    cpu_off.label = "all-ones arguments".into();
    cpu_off.verdict = Verdict::Fail;
    cpu_off.known = Some("firmware bug #123: traps instead of returning DENIED".into());
    cpu_off.observed = Some(Observed {
        results: vec![],
        exception: Some("undefined instruction (EC 0x0)".into()),
    });
    cpu_off.violations = vec![ViolationReport {
        kind: "unexpected_exception".into(),
        register: "-".into(),
        role: "trap".into(),
        before: None,
        expected: "a return".into(),
        observed: None,
        message: "the trap raised undefined instruction (EC 0x0) where a return was due".into(),
        path: None,
    }];

    let mut migrate = case(3, "psci", "migrate_info_type", 0x8400_0006, Fixed, Probe);
    migrate.verdict = Verdict::Skip;
    migrate.reason = Some("not implemented by this PSCI version".into());

    let mut unknown = case(4, "psci", "version", 0x8400_ffff, Edge, Probe);
    unknown.label = "unknown number 0x8400ffff".into();
    unknown.observed = Some(Observed {
        results: vec![nv("status", u64::MAX)],
        exception: None,
    });

    TargetRun {
        target: "model".into(),
        identity: Identity {
            hypervisor: "model".into(),
            version: "0.1.0".into(),
            arch: "aarch64".into(),
            accelerator: "in-process".into(),
            host: "ci-runner-1".into(),
            components: vec![],
            details: BTreeMap::from([("psci_version".into(), "1.1".into())]),
        },
        outcome: RunOutcome::Completed,
        timings: Timings {
            plan_ms: 1.5,
            run_ms: 12.25,
            check_ms: 0.75,
            first_result_ms: Some(0.5),
        },
        cases: vec![version, cpu_on, cpu_off, migrate, unknown],
        passed: None,
        known_failures: None,
        clobbers: vec![
            ClobberStat {
                abi: "psci".into(),
                call: "cpu_on".into(),
                register: "x5".into(),
                changed: 3,
                of: 8,
                example: Some(0xdead_beef),
            },
            ClobberStat {
                abi: "psci".into(),
                call: "cpu_on".into(),
                register: "x6".into(),
                changed: 8,
                of: 8,
                example: None,
            },
            ClobberStat {
                abi: "psci".into(),
                call: "cpu_on".into(),
                register: "x7".into(),
                changed: 0,
                of: 8,
                example: None,
            },
        ],
        paths: Vec::new(),
        coverage: vec![AbiCoverage {
            abi: "psci".into(),
            rules: cov(4, &["x4 zero_or_preserved", "system_reset: x1 clobbered"]),
            subops: cov(0, &[]),
            errors: cov(3, &["ALREADY_ON", "DENIED"]),
            fields: cov(0, &[]),
        }],
        console_log: None,
    }
}

/// A coverage dimension: `exercised` items and the `missed` ones.
fn cov(exercised: u32, missed: &[&str]) -> Coverage {
    Coverage {
        exercised,
        declared: exercised + missed.len() as u32,
        missed: missed.iter().map(|s| s.to_string()).collect(),
    }
}

/// A Xen target whose QEMU died after three cases, with hostile strings in a violation and in
/// the console log.
pub fn xen_target() -> TargetRun {
    use CaseKind::*;
    use ExecPath::*;
    let mut console = case(0, "xen-arm64", "console_io", 18, Fixed, Probe);
    console.args = vec![nv("cmd", 0), nv("count", 5), nv("buffer", 0x4000_1000)];
    console.observed = Some(Observed {
        results: vec![nv("ret", 0)],
        exception: None,
    });

    let mut memory = case(1, "xen-arm64", "memory_op", 12, Generated, Probe);
    memory.args = vec![nv("cmd", 0x7), nv("arg", 0)];
    memory.verdict = Verdict::Fail;
    memory.violations = vec![ViolationReport {
        kind: "not_zero_or_preserved".into(),
        register: "x9<&>\"'".into(),
        role: "clobbered <zero|preserved>".into(),
        before: Some(0x9),
        expected: "0x0 or 0x9 | `unchanged` & <b>bold</b>".into(),
        observed: Some(0xdead_beef_dead_beef),
        message: "x9 = 0xdeadbeefdeadbeef: <script>alert(\"x\")</script> & ]]> -- \x1b[31mred\x1b[0m \x00\x07 # not a TAP directive\nsecond line | pipe *star* _under_ [link](x)".into(),
        path: None,
    }];
    memory.observed = Some(Observed {
        results: vec![nv("ret", 0)],
        exception: None,
    });

    let mut memory2 = case(2, "xen-arm64", "memory_op", 12, Fixed, Caller);
    memory2.args = vec![nv("cmd", 0x1), nv("arg", 0x8000)];
    memory2.observed = Some(Observed {
        results: vec![nv("ret", (-38i64) as u64)],
        exception: None,
    });

    let mut grant = case(3, "xen-arm64", "grant_table_op", 20, Fixed, Probe);
    grant.verdict = Verdict::Error;
    grant.reason = Some("no answer: QEMU exited with status 1".into());
    let mut sched = case(4, "xen-arm64", "sched_op", 29, Fixed, Probe);
    sched.verdict = Verdict::Error;
    sched.reason = Some("not run: the target broke earlier".into());

    let mut log = String::new();
    for i in 0..60 {
        log.push_str(&format!("(XEN) boot line {i}\n"));
    }
    log.push_str(
        "(XEN) \x1b[1;31mFATAL\x1b[0m: <panic> & \"trap\" in memory_op ]]>\r\n```\n(XEN) Reboot in five seconds...\n",
    );

    TargetRun {
        target: "xen-arm64-debug".into(),
        identity: Identity {
            hypervisor: "xen".into(),
            version: "4.19.1".into(),
            arch: "aarch64".into(),
            accelerator: "tcg".into(),
            host: "ci-runner-2".into(),
            components: vec![],
            details: BTreeMap::from([
                ("debug".into(), "y".into()),
                ("extraversion".into(), ".1-pre".into()),
            ]),
        },
        outcome: RunOutcome::Error {
            reason: "QEMU exited with status 1 after 3 of 5 cases".into(),
        },
        timings: Timings {
            plan_ms: 2.0,
            run_ms: 3512.5,
            check_ms: 1.25,
            first_result_ms: Some(2900.0),
        },
        cases: vec![console, memory, memory2, grant, sched],
        passed: None,
        known_failures: None,
        clobbers: vec![ClobberStat {
            abi: "xen-arm64".into(),
            call: "memory_op".into(),
            register: "x9".into(),
            changed: 2,
            of: 2,
            example: Some(0xdead_beef_dead_beef),
        }],
        paths: Vec::new(),
        coverage: vec![AbiCoverage {
            abi: "xen-arm64".into(),
            rules: cov(3, &["multicall: x0 clobbered"]),
            subops: cov(
                3,
                &[
                    "memory_op/XENMEM_increase_reservation",
                    "grant_table_op/GNTTABOP_setup_table",
                ],
            ),
            errors: cov(2, &["EPERM", "EFAULT", "EINVAL"]),
            fields: cov(
                2,
                &[
                    "gnttab_query_size.max_nr_frames",
                    "gnttab_query_size.status",
                ],
            ),
        }],
        console_log: Some(log),
    }
}

/// A target that could not run at all.
pub fn unavailable_target() -> TargetRun {
    TargetRun {
        target: "kvm-x86_64".into(),
        identity: Identity {
            hypervisor: "kvm".into(),
            arch: "x86_64".into(),
            accelerator: "kvm".into(),
            host: "ci-runner-1".into(),
            ..Identity::default()
        },
        outcome: RunOutcome::Unavailable {
            reason: "/dev/kvm is missing: run on a host with KVM enabled".into(),
        },
        timings: Timings::default(),
        cases: vec![],
        passed: None,
        known_failures: None,
        clobbers: vec![],
        paths: Vec::new(),
        coverage: vec![],
        console_log: None,
    }
}

pub fn report() -> Report {
    Report {
        format_version: super::FORMAT_VERSION,
        tool: "hyperabi 0.1.0".into(),
        seed: 0x5eed,
        cases_per_call: 8,
        shard: None,
        targets: vec![model_target(), xen_target(), unavailable_target()],
    }
}
