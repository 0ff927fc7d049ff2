//! Spec coverage: which parts of each ABI's spec a target's run exercised (register rules,
//! sub-operations, error codes, struct fields) against what the spec declares, so that a green
//! run says what it did not check. The engine feeds every case that returned an answer to a
//! [`Tracker`]; the report carries the result per target and ABI ([`AbiCoverage`]).

use std::collections::BTreeSet;

use abi_spec::{deciding_rule, Abi, ByteAt, Call, FieldDir, Named, Observation, Unknown};

use crate::plan::{Case, Plan};
use crate::report::{AbiCoverage, Coverage};

/// What a run exercised, per ABI of the plan (by index into `Plan::abis`).
pub struct Tracker<'p> {
    plan: &'p Plan,
    seen: Vec<Seen>,
}

#[derive(Default)]
struct Seen {
    /// Calls (by index) a case of which returned: their register rules were checked.
    calls: BTreeSet<usize>,
    /// Whether an unknown-number case returned and the checker judged its registers by the
    /// ABI's rules (not when the spec says an unknown number raises an exception).
    unknown: bool,
    /// (family, sub-operation) a returned case selected.
    subops: BTreeSet<(usize, usize)>,
    /// Error codes (by name) a returned case's status result carried.
    errors: BTreeSet<&'static str>,
    /// (struct, field) exercised.
    fields: BTreeSet<(usize, usize)>,
}

impl<'p> Tracker<'p> {
    /// Nothing exercised yet.
    pub fn new(plan: &'p Plan) -> Self {
        Tracker {
            plan,
            seen: plan.abis.iter().map(|_| Seen::default()).collect(),
        }
    }

    /// Records one executed case: its observation and, for a case with a parameter struct, the
    /// (window offset, new byte) of every byte the call changed. A case whose trap raised an
    /// exception exercised nothing.
    pub fn see(&mut self, case: &Case, obs: &Observation, buffer: Option<&[(u8, u8)]>) {
        if obs.exception.is_some() {
            return;
        }
        let abi = self.plan.abi(case);
        let seen = &mut self.seen[case.abi];
        let call = case.call.map(|i| &abi.calls[i]);
        match case.call {
            Some(ci) => {
                seen.calls.insert(ci);
            }
            None => seen.unknown |= !matches!(abi.unknown, Some(Unknown::Exception(_))),
        }
        // The sub-operation the case selected.
        let family = call.and_then(|c| abi.family(c.name));
        if let (Some(call), Some(f)) = (call, family) {
            let fi = abi.families.iter().position(|g| g.call == call.name);
            let window = case.buffer.as_ref().map(|(_, b)| b.as_slice());
            let selected = f.selected(abi, &case.args, window);
            if let (Some(fi), Some(value)) = (fi, selected) {
                if let Some(si) = f.subops.iter().position(|s| s.number == value) {
                    seen.subops.insert((fi, si));
                }
            }
        }
        // The error code its status result carried, among those the case's call may answer.
        let (status_reg, bits) = match call {
            Some(c) => (c.status_result().map(|r| r.reg), abi.width_for(c)),
            None => (abi.results.first().copied(), abi.arch.gpr_bits()),
        };
        if let Some(reg) = status_reg {
            let value = obs.after.get(reg) & mask(bits);
            for e in answers(abi, call) {
                if (e.value as u64) & mask(bits) == value {
                    seen.errors.insert(e.name);
                }
            }
        }
        // The struct fields the checker saw.
        let st = case.param.and_then(|p| {
            abi.structs
                .iter()
                .position(|s| s.name == p)
                .map(|i| (i, &abi.structs[i]))
        });
        if let (Some((si, st)), Some(changed)) = (st, buffer) {
            for (fi, f) in st.fields.iter().enumerate() {
                if matches!(f.dir, FieldDir::In | FieldDir::Reserved) {
                    seen.fields.insert((si, fi));
                }
            }
            for &(off, _) in changed {
                if let ByteAt::Field(f) = st.byte_at(u32::from(off)) {
                    if let Some(fi) = st.fields.iter().position(|g| g.name == f.name) {
                        seen.fields.insert((si, fi));
                    }
                }
            }
        }
    }

    /// Per ABI of the plan, what was exercised against what its spec declares.
    pub fn finish(self) -> Vec<AbiCoverage> {
        self.plan
            .abis
            .iter()
            .zip(self.seen)
            .map(|(abi, seen)| coverage(abi, &seen))
            .collect()
    }
}

fn mask(bits: u8) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    }
}

/// The codes a case of `call` (`None`: an unknown number) may answer.
fn answers(abi: &Abi, call: Option<&Call>) -> Vec<Named> {
    let mut out: Vec<Named> = Vec::new();
    match call {
        Some(c) => {
            out.extend_from_slice(c.errors);
            if let Some(f) = abi.family(c.name) {
                out.extend(f.unknown.iter().chain(f.fault.iter()).copied());
                for s in f.subops {
                    out.extend_from_slice(s.errors);
                }
            }
        }
        None => {
            if let Some(Unknown::Error(e)) = abi.unknown {
                out.push(e);
            }
        }
    }
    out
}

/// Every error code the spec says something answers (the unknown-number answer, a call's
/// errors, a family's answers, a sub-operation's errors), first mention first, each name once.
/// The ABI's table of error names (Xen's whole errno list) only names them.
fn declared_errors(abi: &Abi) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    let mut add = |e: &Named| {
        if !names.contains(&e.name) {
            names.push(e.name);
        }
    };
    if let Some(Unknown::Error(e)) = &abi.unknown {
        add(e);
    }
    for c in abi.calls {
        c.errors.iter().for_each(&mut add);
    }
    for f in abi.families {
        f.unknown.iter().chain(f.fault.iter()).for_each(&mut add);
        for s in f.subops {
            s.errors.iter().for_each(&mut add);
        }
    }
    names
}

/// The positions among [`abi_spec::CallRegisters::rules`] (the call's rules, then the ABI's)
/// of the rules that decide at least one register after `call`.
fn deciding(abi: &Abi, call: &Call) -> BTreeSet<usize> {
    let c = (abi, call);
    abi.arch
        .regs()
        .filter_map(|r| deciding_rule(&c, r).map(|(i, _)| i))
        .collect()
}

/// `set role`, as the DSL writes a rule.
fn rule_name(rule: &abi_spec::RoleRule) -> String {
    format!("{} {}", rule.set.keyword(), rule.role.name())
}

fn dimension(items: impl IntoIterator<Item = (String, bool)>) -> Coverage {
    let mut c = Coverage::default();
    for (name, hit) in items {
        c.declared += 1;
        if hit {
            c.exercised += 1;
        } else {
            c.missed.push(name);
        }
    }
    c
}

fn coverage(abi: &Abi, seen: &Seen) -> AbiCoverage {
    // Each ABI rule once, then each call's own rules: exercised when a case of a call for which
    // the rule decides a register returned (the probe checked those registers).
    let mut abi_hit = vec![false; abi.rules.len()];
    if seen.unknown {
        // An unknown number is judged as a call without arguments or results.
        let unknown = &abi_spec::check::UNKNOWN_CALL;
        for i in deciding(abi, unknown) {
            if let Some(a) = i.checked_sub(unknown.rules.len()) {
                abi_hit[a] = true;
            }
        }
    }
    let mut call_hit: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &ci in &seen.calls {
        let call = &abi.calls[ci];
        for i in deciding(abi, call) {
            match i.checked_sub(call.rules.len()) {
                Some(a) => abi_hit[a] = true,
                None => {
                    call_hit.insert((ci, i));
                }
            }
        }
    }
    let abi_rules = abi
        .rules
        .iter()
        .zip(abi_hit)
        .map(|(r, hit)| (rule_name(r), hit));
    let call_rules = abi.calls.iter().enumerate().flat_map(|(ci, call)| {
        let call_hit = &call_hit;
        call.rules.iter().enumerate().map(move |(i, r)| {
            (
                format!("{}: {}", call.name, rule_name(r)),
                call_hit.contains(&(ci, i)),
            )
        })
    });
    let rules = dimension(abi_rules.chain(call_rules));
    let subops = dimension(abi.families.iter().enumerate().flat_map(|(fi, f)| {
        f.subops.iter().enumerate().map(move |(si, s)| {
            (
                format!("{}/{}", f.call, s.name),
                seen.subops.contains(&(fi, si)),
            )
        })
    }));
    let errors = dimension(
        declared_errors(abi)
            .into_iter()
            .map(|n| (n.to_string(), seen.errors.contains(n))),
    );
    let fields = dimension(abi.structs.iter().enumerate().flat_map(|(si, st)| {
        st.fields.iter().enumerate().map(move |(fi, f)| {
            (
                format!("{}.{}", st.name, f.name),
                seen.fields.contains(&(si, fi)),
            )
        })
    }));
    AbiCoverage {
        abi: abi.id.into(),
        rules,
        subops,
        errors,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{plan, PlanConfig};
    use abi_spec::RegisterFile;

    fn xen_plan() -> Plan {
        let abi = specs::find("xen-arm64").unwrap();
        plan(
            &[abi],
            &PlanConfig {
                seed: 0x5eed,
                cases_per_call: 1,
                calls: Vec::new(),
                callers: false,
                admit: Vec::new(),
                implementation: None,
                scratch_at_memory_end: false,
            },
        )
    }

    /// A case of `memory_op` selecting `XENMEM_maximum_ram_page` (no struct), and one of
    /// `grant_table_op` selecting `GNTTABOP_query_size` with its struct window.
    fn case<'a>(p: &'a Plan, call: &str, subop: &str) -> &'a Case {
        let abi = p.abis[0];
        let f = abi.family(call).unwrap();
        let s = f.subops.iter().find(|s| s.name == subop).unwrap();
        p.cases
            .iter()
            .find(|c| {
                p.call(c).is_some_and(|k| k.name == call)
                    && c.args.get(usize::from(f.selector)) == Some(&s.number)
                    && c.excluded.is_none()
            })
            .unwrap_or_else(|| panic!("no case of {call}/{subop}"))
    }

    /// The case's registers before, and after with the status result set to `status`.
    fn returned(p: &Plan, c: &Case, status: i64) -> Observation {
        let before = crate::engine::case_input(p, c, 0x8000_0000);
        let mut after: RegisterFile = before;
        let reg = p.call(c).unwrap().status_result().unwrap().reg;
        after.set(reg, status as u64);
        Observation {
            before,
            after,
            exception: None,
        }
    }

    fn find(cov: &[AbiCoverage]) -> &AbiCoverage {
        &cov[0]
    }

    #[test]
    fn nothing_seen_is_nothing_exercised_and_everything_missed() {
        let p = xen_plan();
        let cov = Tracker::new(&p).finish();
        let c = find(&cov);
        for (what, d) in c.dimensions() {
            assert!(d.declared > 0, "{what}: xen-arm64 declares some");
            assert_eq!(d.exercised, 0, "{what}");
            assert_eq!(d.missed.len() as u32, d.declared, "{what}");
        }
        assert!(c
            .subops
            .missed
            .contains(&"memory_op/XENMEM_maximum_ram_page".to_string()));
        assert!(c
            .fields
            .missed
            .iter()
            .any(|f| f.starts_with("gnttab_query_size.")));
    }

    #[test]
    fn a_returned_case_exercises_its_rules_subop_and_answer() {
        let p = xen_plan();
        let c = case(&p, "memory_op", "XENMEM_maximum_ram_page");
        let mut t = Tracker::new(&p);
        // -ENOSYS (Xen's -38) in x0.
        t.see(c, &returned(&p, c, -38), None);
        let cov = t.finish();
        let c = find(&cov);
        // The ABI's rules that decide a register of memory_op were checked, those that decide
        // none (for this call) were not.
        let abi = p.abis[0];
        let call = abi.call("memory_op").unwrap();
        let decided: BTreeSet<usize> = deciding(abi, call);
        assert!(!decided.is_empty());
        for (i, r) in abi.rules.iter().enumerate() {
            let name = rule_name(r);
            let hit = decided.contains(&(i + call.rules.len()));
            assert_eq!(
                !c.rules.missed.contains(&name),
                hit,
                "{name}: {:?}",
                c.rules
            );
        }
        assert_eq!(c.rules.exercised as usize, decided.len());
        assert_eq!(c.subops.exercised, 1);
        assert!(!c
            .subops
            .missed
            .contains(&"memory_op/XENMEM_maximum_ram_page".to_string()));
        assert_eq!(c.errors.exercised, 1, "{:?}", c.errors);
        assert!(!c.errors.missed.contains(&"ENOSYS".to_string()));
        assert!(c.errors.missed.contains(&"EFAULT".to_string()));
        assert_eq!(c.fields.exercised, 0);
    }

    #[test]
    fn a_success_answers_no_error_code_and_an_exception_exercises_nothing() {
        let p = xen_plan();
        let c = case(&p, "memory_op", "XENMEM_maximum_ram_page");
        let mut t = Tracker::new(&p);
        t.see(c, &returned(&p, c, 0x1234), None);
        let mut trapped = returned(&p, c, -38);
        trapped.exception = Some(0x15);
        // -ENOSYS in x0, but the trap raised an exception: no answer.
        t.see(c, &trapped, None);
        let g = case(&p, "grant_table_op", "GNTTABOP_query_size");
        let mut trapped_g = returned(&p, g, -14);
        trapped_g.exception = Some(0x15);
        t.see(g, &trapped_g, Some(&[]));
        let cov = t.finish();
        let c = find(&cov);
        assert_eq!(c.errors.exercised, 0, "{:?}", c.errors);
        assert_eq!(c.subops.exercised, 1);
        assert_eq!(c.fields.exercised, 0);
        // The exception checked no register of grant_table_op: only memory_op's rules count.
        let call = p.abis[0].call("memory_op").unwrap();
        assert_eq!(c.rules.exercised as usize, deciding(p.abis[0], call).len());
    }

    #[test]
    fn an_unknown_number_that_returned_checked_the_abi_rules() {
        let p = xen_plan();
        let c = p
            .cases
            .iter()
            .find(|c| c.call.is_none() && c.excluded.is_none())
            .expect("an unknown-number case");
        let abi = p.abis[0];
        assert!(matches!(abi.unknown, Some(Unknown::Error(_))));
        let before = crate::engine::case_input(&p, c, 0x8000_0000);
        let mut after = before;
        after.set(abi.results[0], -38i64 as u64);
        let obs = Observation {
            before,
            after,
            exception: None,
        };
        let mut t = Tracker::new(&p);
        t.see(c, &obs, None);
        let cov = t.finish();
        let rules = &find(&cov).rules;
        let decided = deciding(abi, &abi_spec::check::UNKNOWN_CALL);
        assert!(!decided.is_empty());
        assert_eq!(rules.exercised as usize, decided.len(), "{rules:?}");
        assert!(!find(&cov).errors.missed.contains(&"ENOSYS".to_string()));
        // Through an exception, nothing.
        let mut t = Tracker::new(&p);
        t.see(
            c,
            &Observation {
                exception: Some(1),
                ..obs
            },
            None,
        );
        assert_eq!(find(&t.finish()).rules.exercised, 0);
    }

    #[test]
    fn out_fields_count_when_written_inputs_when_the_struct_came_back() {
        let p = xen_plan();
        let g = case(&p, "grant_table_op", "GNTTABOP_query_size");
        let abi = p.abis[0];
        let st = abi.struct_named("gnttab_query_size").unwrap();
        let outs: Vec<_> = st
            .layouts()
            .filter(|(f, _)| f.dir.written_by_hypervisor())
            .collect();
        let ins = st.fields.len() - outs.len();
        assert!(outs.len() >= 2 && ins >= 1, "{st:?}");
        // No struct record: no field.
        let mut t = Tracker::new(&p);
        t.see(g, &returned(&p, g, 0), None);
        assert_eq!(find(&t.finish()).fields.exercised, 0);
        // A struct record with nothing changed: the inputs were checked, no output was written.
        let mut t = Tracker::new(&p);
        t.see(g, &returned(&p, g, 0), Some(&[]));
        let cov = t.finish();
        assert_eq!(find(&cov).fields.exercised as usize, ins);
        // One output written: that one more.
        let (written, at) = outs[0];
        let mut t = Tracker::new(&p);
        t.see(g, &returned(&p, g, 0), Some(&[(at.offset as u8, 7)]));
        let cov = t.finish();
        let fields = &find(&cov).fields;
        assert_eq!(fields.exercised as usize, ins + 1);
        let name = format!("gnttab_query_size.{}", written.name);
        assert!(!fields.missed.contains(&name), "{fields:?}");
        let other = format!("gnttab_query_size.{}", outs[1].0.name);
        assert!(fields.missed.contains(&other), "{fields:?}");
        // Padding and bytes past the struct are no field.
        let mut t = Tracker::new(&p);
        t.see(g, &returned(&p, g, 0), Some(&[(st.size() as u8, 7)]));
        assert_eq!(find(&t.finish()).fields.exercised as usize, ins);
    }
}
