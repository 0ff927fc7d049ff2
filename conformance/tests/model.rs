//! The reference-model backend end to end: a clean run of every spec passes, a poisoning run
//! passes too (the contract allows it), and each injected fault is caught and named.

use conformance::engine::run_target;
use conformance::plan::{plan, Plan, PlanConfig};
use conformance::report::{RunOutcome, TargetRun, Verdict};
use runners::model::{Fault, Model};
use strum::IntoEnumIterator;

fn full_plan(cases: u32) -> Plan {
    plan(
        specs::all(),
        &PlanConfig {
            seed: 7,
            cases_per_call: cases,
            calls: Vec::new(),
            callers: true,
            admit: Vec::new(),
            implementation: None,
            scratch_at_memory_end: false,
        },
    )
}

fn run(model: Model, plan: &Plan) -> TargetRun {
    let mut model = model;
    run_target(&mut model, plan, 0.0)
}

fn failures(t: &TargetRun) -> Vec<String> {
    t.cases
        .iter()
        .filter(|c| c.verdict == Verdict::Fail || c.verdict == Verdict::Error)
        .flat_map(|c| {
            c.violations
                .iter()
                .map(|v| v.message.clone())
                .chain(c.reason.clone())
        })
        .collect()
}

#[test]
fn a_clean_model_conforms_to_every_spec() {
    let plan = full_plan(16);
    for poison in [false, true] {
        let t = run(Model::new(specs::all()).poisoning(poison), &plan);
        assert_eq!(t.outcome, RunOutcome::Completed);
        let f = failures(&t);
        assert!(
            f.is_empty(),
            "poison={poison}: {} failures, first: {:#?}",
            f.len(),
            &f[..f.len().min(5)]
        );
        assert!(t.cases.iter().any(|c| c.verdict == Verdict::Pass));
    }
}

#[test]
fn poisoning_is_counted_per_call_and_register() {
    let plan = full_plan(4);
    let t = run(Model::new(specs::all()).poisoning(true), &plan);
    let x1 = t
        .clobbers
        .iter()
        .find(|s| s.abi == "xen-arm64" && s.call == "console_io" && s.register == "x1")
        .expect("console_io's x1 is may-clobber");
    assert_eq!(x1.changed, x1.of);
    assert_eq!(x1.example, Some(runners::model::CLOBBER_POISON));
    let clean = run(Model::new(specs::all()), &plan);
    assert!(clean.clobbers.iter().all(|s| s.changed == 0));
}

/// The violation kind each fault must produce.
fn expected_kind(f: Fault) -> &'static str {
    match f {
        Fault::ClobberPreserved => "preserved_changed",
        Fault::ResultInWrongRegister => "result_in_wrong_register",
        Fault::IgnoreMustBeZero => "invalid_accepted",
        Fault::AcceptUnknown => "unknown_accepted",
        Fault::RaiseException => "unexpected_exception",
        Fault::CallerDisagrees => "caller_mismatch",
        Fault::Crash => unreachable!("a crash is an error, not a violation"),
    }
}

#[test]
fn every_injected_fault_is_caught_and_named() {
    let plan = full_plan(4);
    for fault in Fault::iter().filter(|f| *f != Fault::Crash) {
        let t = run(Model::new(specs::all()).with_fault(Some(fault)), &plan);
        let kind = expected_kind(fault);
        let hit = t
            .cases
            .iter()
            .flat_map(|c| &c.violations)
            .find(|v| v.kind == kind)
            .unwrap_or_else(|| panic!("fault {} produced no {kind} violation", fault.name()));
        // Every verdict names the ABI, the call, the arguments and the values.
        assert!(
            hit.message.contains("::")
                && hit.message.contains("expected")
                && hit.message.contains("observed"),
            "{}",
            hit.message
        );
        assert!(
            t.cases.iter().any(|c| c.verdict == Verdict::Fail),
            "{}",
            fault.name()
        );
    }
}

#[test]
fn a_failing_generated_case_is_shrunk_through_the_backend() {
    use conformance::engine::shrink_failures;
    use conformance::report::CaseKind;
    let config = PlanConfig {
        seed: 11,
        cases_per_call: 8,
        calls: vec!["console_io".into()],
        callers: false,
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
    };
    let abis = [specs::find("xen-arm64").unwrap()];
    let p = plan(&abis, &config);
    let mut model = Model::new(specs::all()).with_fault(Some(Fault::ClobberPreserved));
    let mut t = run_target(&mut model, &p, 0.0);
    shrink_failures(&mut model, &p, &mut t);
    let shrunk = t
        .cases
        .iter()
        .find(|c| c.kind == CaseKind::Generated && c.shrunk_from.is_some())
        .expect("the first failing generated case is shrunk");
    let from = shrunk.shrunk_from.as_ref().unwrap();
    assert_ne!(&shrunk.args, from);
    // Still failing, with every argument no larger than it was found with.
    assert_eq!(shrunk.verdict, Verdict::Fail);
    for (a, b) in shrunk.args.iter().zip(from) {
        assert!(a.value <= b.value, "{a:?} vs {b:?}");
    }
}

/// Counts the executions a runner is asked for (each is a boot on a real target).
struct Counting<R: runners::Runner> {
    inner: R,
    executions: usize,
}

impl<R: runners::Runner> runners::Runner for Counting<R> {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn arch(&self) -> Option<abi_spec::Arch> {
        self.inner.arch()
    }
    fn availability(&self) -> Result<(), runners::Error> {
        self.inner.availability()
    }
    fn execute(&mut self, plan: &[u8]) -> runners::Execution {
        self.executions += 1;
        self.inner.execute(plan)
    }
}

#[test]
fn shrinking_batches_every_failing_case_into_a_few_executions() {
    use conformance::engine::{shrink_failures, SHRINK_BUDGET, SHRINK_DEPTH};
    use conformance::report::CaseKind;
    let config = PlanConfig {
        seed: 11,
        cases_per_call: 8,
        calls: Vec::new(),
        callers: false,
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
    };
    let abis = [specs::find("xen-arm64").unwrap()];
    let p = plan(&abis, &config);
    let model = Model::new(specs::all()).with_fault(Some(Fault::ClobberPreserved));
    let mut runner = Counting {
        inner: model,
        executions: 0,
    };
    let mut t = run_target(&mut runner, &p, 0.0);
    let failing_calls: std::collections::BTreeSet<_> = t
        .cases
        .iter()
        .filter(|c| c.verdict == Verdict::Fail && c.kind == CaseKind::Generated)
        .map(|c| c.call.clone())
        .collect();
    assert!(failing_calls.len() > 3, "{failing_calls:?}");
    runner.executions = 0;
    shrink_failures(&mut runner, &p, &mut t);
    let shrunk = t.cases.iter().filter(|c| c.shrunk_from.is_some()).count();
    assert!(shrunk > 3, "{shrunk} cases shrunk");
    // One execution decides SHRINK_DEPTH steps of every walk at once: never one per step, nor
    // one per failing case.
    let bound = (SHRINK_BUDGET as usize).div_ceil(SHRINK_DEPTH);
    assert!(
        runner.executions <= bound,
        "{} executions to shrink {shrunk} cases (at most {bound})",
        runner.executions
    );
}

#[test]
fn failures_the_baseline_explains_are_not_shrunk() {
    use conformance::engine::shrink_failures_except;
    let config = PlanConfig {
        seed: 11,
        cases_per_call: 8,
        calls: vec!["console_io".into()],
        callers: false,
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
    };
    let abis = [specs::find("xen-arm64").unwrap()];
    let p = plan(&abis, &config);
    let mut model = Model::new(specs::all()).with_fault(Some(Fault::ClobberPreserved));
    let mut t = run_target(&mut model, &p, 0.0);
    assert!(t.cases.iter().any(|c| c.verdict == Verdict::Fail));
    // Every shrink step would be a boot on a real target: none for known failures.
    shrink_failures_except(&mut model, &p, &mut t, &|c| c.call == "console_io");
    assert!(t.cases.iter().all(|c| c.shrunk_from.is_none()));
}

#[test]
fn a_target_that_breaks_is_rebooted_and_the_breaking_case_named() {
    let abis = [specs::find("xen-arm64").unwrap()];
    let config = PlanConfig {
        seed: 5,
        cases_per_call: 6,
        calls: Vec::new(),
        callers: true,
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
    };
    let p = plan(&abis, &config);
    let breaking: Vec<u32> = p
        .cases
        .iter()
        .filter(|c| c.excluded.is_none() && c.id % 97 == 13)
        .map(|c| c.id)
        .collect();
    assert!(!breaking.is_empty() && breaking.len() <= 3, "{breaking:?}");
    let t = run(Model::new(specs::all()).with_fault(Some(Fault::Crash)), &p);
    assert!(matches!(t.outcome, RunOutcome::Error { .. }));
    for c in &t.cases {
        let planned = p.cases.iter().find(|x| x.id == c.id).unwrap();
        if breaking.contains(&c.id) {
            assert_eq!(c.verdict, Verdict::Error);
            assert!(
                c.reason.as_deref().unwrap().contains("broke on this case"),
                "{c:?}"
            );
        } else if planned.excluded.is_none() {
            // Everything else ran, before or after the breaks.
            assert_eq!(c.verdict, Verdict::Pass, "case {}: {:?}", c.id, c.reason);
        }
    }
}

/// KVM's PTP call is planned whole (a query), and its counter argument selects sub-operations:
/// the plan also asks for a counter past the declared ones, which must answer NOT_SUPPORTED
/// (`kvm_ptp_get_time` leaves the handler's SMCCC_RET_NOT_SUPPORTED); an answer of 0 there fails.
#[test]
fn a_family_planned_whole_gets_its_unknown_sub_operation() {
    use abi_spec::check::{check_case, ViolationKind};
    let abi = specs::find("kvm-arm64").unwrap();
    let p = plan(
        &[abi],
        &PlanConfig {
            seed: 7,
            cases_per_call: 4,
            calls: vec!["ptp".into()],
            callers: false,
            admit: Vec::new(),
            implementation: None,
            scratch_at_memory_end: false,
        },
    );
    let unknown: Vec<_> = p
        .cases
        .iter()
        .filter(|c| c.label.contains("unknown sub-operation"))
        .collect();
    assert_eq!(unknown.len(), 1, "{:?}", p.cases);
    let case = unknown[0];
    assert_eq!(case.args, [3]);
    assert!(matches!(
        case.expect,
        conformance::plan::Expectation::Answer(n) if n.name == "NOT_SUPPORTED"
    ));
    // The two counters are still planned as fixed cases, and the run of the model passes.
    assert!(p
        .cases
        .iter()
        .any(|c| c.args == [1] && c.kind == conformance::report::CaseKind::Fixed));
    let t = run(Model::new(specs::all()), &p);
    assert!(failures(&t).is_empty(), "{:?}", failures(&t));
    // A hypervisor that answered 0 (success) for counter 3 breaks the rule.
    let before = conformance::engine::case_input(&p, case, 0x4000_0000);
    let mut after = before;
    let x0 = abi_spec::Reg {
        arch: abi.arch,
        index: 0,
    };
    after.set(x0, 0);
    let obs = abi_spec::Observation {
        before,
        after,
        exception: None,
    };
    let mut kinds = Vec::new();
    check_case(abi, p.expect(case), &obs, None, |v| kinds.push(v.kind));
    assert!(!kinds.is_empty());
    assert!(
        kinds.iter().all(|k| *k != ViolationKind::CallerMismatch),
        "{kinds:?}"
    );
    // NOT_SUPPORTED (-1, read at 32 bits) passes.
    after.set(x0, u64::MAX);
    let obs = abi_spec::Observation { after, ..obs };
    let mut none = Vec::new();
    check_case(abi, p.expect(case), &obs, None, |v| none.push(v.kind));
    assert!(none.is_empty(), "{none:?}");
}

/// A struct that starts in the scratch's last 8 bytes is planned only for a guest whose scratch
/// ends its memory (a Xen dom0), and must answer the family's fault error.
#[test]
fn a_struct_ends_early_only_where_the_scratch_ends_guest_memory() {
    let abi = specs::find("xen-x86_64").unwrap();
    let config = |at_end| PlanConfig {
        seed: 7,
        cases_per_call: 4,
        calls: vec!["sysctl".into()],
        callers: false,
        admit: Vec::new(),
        implementation: Some("Xen 4.20.5-pre".into()),
        scratch_at_memory_end: at_end,
    };
    let label = "op.cmd = XEN_SYSCTL_physinfo: parameter struct ends early (its first 8 of 136 bytes where guest memory ends)";
    let p = plan(&[abi], &config(false));
    assert!(p.cases.iter().all(|c| c.label != label));
    let p = plan(&[abi], &config(true));
    let c = p.cases.iter().find(|c| c.label == label).expect(label);
    assert_eq!(c.at_scratch_end, Some(8));
    let (_, window) = c.buffer.as_ref().unwrap();
    assert_eq!(window.len(), 8);
    // cmd and the interface version of the implementation (0x15 for sysctl up to 4.20).
    assert_eq!(window[..8], [3, 0, 0, 0, 0x15, 0, 0, 0]);
    // Encoding places it where the scratch the other cases need ends (one page here), without
    // growing that scratch.
    let placed = c.placed_at(&abi.calls[c.call.unwrap()], 4096 - 8);
    assert_eq!(placed.buffer.as_ref().unwrap().0, 4096 - 8);
    assert_eq!(placed.args, [4096 - 8]);
    assert!(placed
        .entries
        .iter()
        .any(|&(_, v, reloc)| reloc && v == 4096 - 8));
    assert!(matches!(c.expect, conformance::plan::Expectation::Answer(n) if n.name == "EFAULT"));
}

/// Xen's sysctl selects its sub-operation by `xen_sysctl.cmd`, a field of the struct its pointer
/// argument points to, after which `interface_version` must be 0x15: the plan presets both in
/// the struct window (physinfo: cmd 3 at offset 0, the version at 4), a version case holds
/// another value and must answer -EACCES, an unknown-cmd case -ENOSYS, an unreachable struct
/// -EFAULT; the model, which reads the window, passes all four, and a hypervisor that answered
/// 0 to the wrong version breaks the rule.
#[test]
fn a_family_selected_by_a_struct_field_presets_it_and_its_interface_version() {
    use abi_spec::check::check_case;
    let abi = specs::find("xen-x86_64").unwrap();
    let p = plan(
        &[abi],
        &PlanConfig {
            seed: 7,
            cases_per_call: 4,
            calls: vec!["sysctl".into()],
            callers: false,
            admit: Vec::new(),
            implementation: None,
            scratch_at_memory_end: false,
        },
    );
    let by = |label: &str| {
        p.cases
            .iter()
            .find(|c| c.label == label)
            .unwrap_or_else(|| panic!("no case {label}: {:?}", p.cases))
    };
    let word = |c: &conformance::plan::Case, at: usize| {
        let (_, w) = c.buffer.as_ref().unwrap();
        u32::from_le_bytes(w[at..at + 4].try_into().unwrap())
    };
    let physinfo = by("op.cmd = XEN_SYSCTL_physinfo (sub-operation)");
    assert_eq!((word(physinfo, 0), word(physinfo, 4)), (3, 0x15));
    assert_eq!(physinfo.param, Some("xen_sysctl_with_physinfo"));
    // The window: the 136-byte struct and the slack past it.
    assert_eq!(physinfo.buffer.as_ref().unwrap().1.len(), 136 + 16);
    let wrong = by("op.cmd = XEN_SYSCTL_physinfo: interface_version wrong");
    assert_eq!((word(wrong, 0), word(wrong, 4)), (3, !0x15));
    assert!(matches!(
        wrong.expect,
        conformance::plan::Expectation::Answer(n) if n.name == "EACCES"
    ));
    let unknown = by("op.cmd = 0x3f (unknown sub-operation)");
    assert_eq!((word(unknown, 0), word(unknown, 4)), (0x3f, 0x15));
    assert!(matches!(
        unknown.expect,
        conformance::plan::Expectation::Answer(n) if n.name == "ENOSYS"
    ));
    assert!(p
        .cases
        .iter()
        .any(|c| c.label == "op.cmd = XEN_SYSCTL_physinfo: parameter struct unmapped"));
    // The reserved rest of the union all ones, and the struct one byte into the scratch.
    let reserved = by("op.cmd = XEN_SYSCTL_physinfo: reserved u_rest all ones");
    let (_, w) = reserved.buffer.as_ref().unwrap();
    assert!(w[120..136].iter().all(|&b| b == 0xff), "{w:?}");
    let unaligned =
        by("op.cmd = XEN_SYSCTL_physinfo: parameter struct unaligned (scratch offset 1)");
    assert_eq!(unaligned.buffer.as_ref().unwrap().0, 1);
    assert_eq!(unaligned.args, [1]);
    let t = run(Model::new(specs::all()), &p);
    assert!(failures(&t).is_empty(), "{:?}", failures(&t));
    assert_eq!(t.cases.len(), 6, "{:?}", t.cases);
    // A Xen that took the wrong version (answered 0) breaks the rule; -EACCES passes.
    let before = conformance::engine::case_input(&p, wrong, 0x4000_0000);
    let rax = abi.results[0];
    let mut after = before;
    after.set(rax, 0);
    let obs = abi_spec::Observation {
        before,
        after,
        exception: None,
    };
    let mut kinds = Vec::new();
    check_case(abi, p.expect(wrong), &obs, None, |v| kinds.push(v.kind));
    assert!(!kinds.is_empty());
    after.set(rax, -13i64 as u64);
    let obs = abi_spec::Observation { after, ..obs };
    let mut none = Vec::new();
    check_case(abi, p.expect(wrong), &obs, None, |v| none.push(v.kind));
    assert!(none.is_empty(), "{none:?}");
}

/// SBI's DBCN and STA calls name the struct their split address points to: `console_read`
/// (a struct the SEE writes) runs only with its 16-byte buffer in the scratch, `num_bytes` = 16
/// and `base_addr_hi` = 0, never with random pointers; `console_write` (a struct it only reads)
/// keeps its generated cases besides; the disruptive `steal_time_set_shmem` runs only the
/// refused registration of an unmapped record. The model's run of them passes.
#[test]
fn sbi_calls_with_a_parameter_struct_are_planned_with_their_window() {
    use conformance::plan::{Expectation, STRUCT_SLACK, UNMAPPED};
    use conformance::report::CaseKind;
    let abi = specs::find("sbi-riscv64").unwrap();
    let p = plan(
        &[abi],
        &PlanConfig {
            seed: 7,
            cases_per_call: 8,
            calls: vec![
                "console_read".into(),
                "console_write".into(),
                "steal_time_set_shmem".into(),
            ],
            callers: false,
            admit: Vec::new(),
            implementation: None,
            scratch_at_memory_end: false,
        },
    );
    let of = |name: &str| -> Vec<&conformance::plan::Case> {
        let i = abi.calls.iter().position(|c| c.name == name).unwrap();
        p.cases.iter().filter(|c| c.call == Some(i)).collect()
    };
    let read = of("console_read");
    assert_eq!(read.len(), 2, "{read:?}");
    assert!(read.iter().all(|c| c.kind != CaseKind::Generated));
    let window = &read[0];
    assert_eq!(window.expect, Expectation::Contract);
    assert_eq!(window.args, [16, 0, 0]);
    assert!(window.entries.iter().any(|&(_, v, reloc)| reloc && v == 0));
    assert_eq!(window.param, Some("dbcn_read_buffer"));
    let (off, bytes) = window.buffer.as_ref().unwrap();
    assert_eq!((*off, bytes.len()), (0, 16 + STRUCT_SLACK as usize));
    // The must-be-zero upper half set, the window in place: the SEE must refuse it.
    assert_eq!(read[1].args, [16, 0, 1]);
    assert_eq!(read[1].expect, Expectation::Rejected);
    assert_eq!(read[1].param, Some("dbcn_read_buffer"));

    let write = of("console_write");
    assert!(write.iter().any(|c| c.param == Some("dbcn_write_buffer")));
    assert!(write.iter().any(|c| c.kind == CaseKind::Generated));

    let sta = of("steal_time_set_shmem");
    assert_eq!(sta.len(), 1, "{sta:?}");
    assert_eq!(sta[0].args, [UNMAPPED, 0, 0]);
    assert!(matches!(sta[0].expect, Expectation::Answer(e) if e.name == "SBI_ERR_INVALID_ADDRESS"));

    let t = run(Model::new(specs::all()), &p);
    assert!(failures(&t).is_empty(), "{:?}", failures(&t));
}
