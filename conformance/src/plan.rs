//! The planner: for a set of ABIs, a reproducible list of cases — fixed cases from the spec,
//! generated cases from the argument domains (the same proptest strategies the property tests
//! use), and edge cases derived from the spec — each with what it expects of the target.
//!
//! Every call draws from its own RNG seeded by (plan seed, ABI id, call name), so adding an ABI
//! or a call never changes the cases of the others, and `--seed` reproduces a run exactly.

use abi_spec::check::Expect;
use abi_spec::strategy::POINTER_BASE;
use abi_spec::wire::{
    self, CaseRef, Writer, CASE_BUFFER, CASE_CALLER, CASE_STUBS, MAX_BUFFER, MAX_ENTRIES, NO_CALL,
};
use abi_spec::{Abi, Arch, Call, Domain, Effect, Input, Reg, Unknown, UpperInput};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::report::CaseKind;

/// Bytes of guest scratch memory pointer arguments point into.
pub const SCRATCH_LEN: u32 = 64 * 1024 + 4096;
/// Poison written into the upper half of narrow (32-bit convention) arguments whose upper bits
/// the convention says are ignored.
pub const UPPER_JUNK: u64 = 0xdead_beef_0000_0000;

#[derive(Clone, Debug)]
/// What to plan.
pub struct PlanConfig {
    /// Seeds the generated cases (`--seed`).
    pub seed: u64,
    /// Generated cases per call.
    pub cases_per_call: u32,
    /// Only these calls (by name), if not empty.
    pub calls: Vec<String>,
    /// Also run the generated callers (not possible on every backend).
    pub callers: bool,
    /// Disruptive calls (ABI id, call name) the target runs safely (its catalogue entry's
    /// `admits`): planned like any other call.
    pub admit: Vec<(String, String)>,
    /// What answers the calls and its version (`"Xen 4.20.5-pre"`, from the target's
    /// catalogue entry), for the values a spec states per version (`fixed_since`); `None`:
    /// the spec's revision.
    pub implementation: Option<String>,
    /// The target's guest puts its scratch where its memory ends (its boot environment's
    /// `scratch_at_memory_end`): structs that end early are planned.
    pub scratch_at_memory_end: bool,
}

/// What a case expects, without borrowing the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expectation {
    /// The call answers by its contract (results in their domains, registers kept).
    Contract,
    /// The call must refuse the arguments (e.g. a must-be-zero argument set).
    Rejected,
    /// An unknown number: the ABI's unknown-number outcome.
    Unknown,
    /// Exactly this error code (an unknown sub-operation, an unreachable parameter struct).
    Answer(abi_spec::Named),
}

/// One case of a plan.
#[derive(Clone, Debug)]
pub struct Case {
    /// Position in the plan: stable across shards and reruns with the same seed.
    pub id: u32,
    /// Index into `Plan::abis`.
    pub abi: usize,
    /// Index into the ABI's calls; `None` for an unknown-number case.
    pub call: Option<usize>,
    /// The call number (two words for SBI's EID and FID).
    pub number: Vec<u64>,
    /// Fixed, generated or edge.
    pub kind: CaseKind,
    /// What the case is for, in words.
    pub label: String,
    /// What a correct answer looks like.
    pub expect: Expectation,
    /// Argument values in declaration order; pointers as scratch offsets.
    pub args: Vec<u64>,
    /// Register entries the probe loads: (register, value, value is a scratch offset).
    pub entries: Vec<(Reg, u64, bool)>,
    /// Also run through the generated caller, compared with the probe.
    pub caller: bool,
    /// Why the case is not executed (a call that would stop or hang the machine).
    pub excluded: Option<String>,
    /// For a generated case: which draw of its call's RNG it is (to shrink it).
    pub draw: Option<u32>,
    /// A parameter struct: (scratch offset, the window's bytes before the call), and the struct.
    pub buffer: Option<(u32, Vec<u8>)>,
    /// The struct the window holds (by name in the ABI's `structs`).
    pub param: Option<&'static str>,
    /// A struct that ends early: how many of its bytes lie in the scratch. Its pointer and
    /// window are placed at encode time so that it starts that many bytes before the end of
    /// the scratch the plan gets (the end of guest memory where the boot environment puts the
    /// scratch there); the planned offset is a placeholder.
    pub at_scratch_end: Option<u32>,
}

impl Case {
    /// The case with a parameter struct: `window` (the struct's bytes and the slack the checker
    /// watches) preset at scratch offset `at`, and the struct it holds.
    pub fn with_struct(mut self, st: &abi_spec::StructDef, at: u32, window: Vec<u8>) -> Case {
        self.buffer = Some((at, window));
        self.param = Some(st.name);
        self
    }

    /// The case with its pointer arguments and its window at scratch offset `at` (a struct
    /// that ends early, placed where the scratch ends).
    pub fn placed_at(&self, call: &Call, at: u32) -> Case {
        let mut c = self.clone();
        let from = c.buffer.as_ref().map_or(0, |(off, _)| *off);
        for (_, v, reloc) in c.entries.iter_mut() {
            if *reloc && *v == u64::from(from) {
                *v = u64::from(at);
            }
        }
        for (a, spec) in c.args.iter_mut().zip(call.args) {
            if spec.domain.is_pointer() && *a == u64::from(from) {
                *a = u64::from(at);
            }
        }
        if let Some((off, _)) = c.buffer.as_mut() {
            *off = at;
        }
        c
    }

    /// The case as the guest reads it, with `abi` its index in the plan's ABI table.
    pub fn wire(&self, abi: u8) -> CaseRef {
        let mut r = CaseRef {
            id: self.id,
            abi,
            call: self.call.map_or(NO_CALL, |i| i as u16),
            flags: if self.caller {
                CASE_CALLER | CASE_STUBS
            } else {
                0
            },
            seed: self.poison_seed(),
            nent: self.entries.len() as u8,
            reloc: 0,
            entries: [(0, 0); MAX_ENTRIES],
            buf_off: 0,
            buf_len: 0,
            buf: [0; MAX_BUFFER],
        };
        if let Some((off, bytes)) = &self.buffer {
            r.flags |= CASE_BUFFER;
            r.buf_off = *off;
            r.buf_len = bytes.len() as u8;
            r.buf[..bytes.len()].copy_from_slice(bytes);
        }
        for (k, (reg, value, reloc)) in self.entries.iter().enumerate() {
            r.entries[k] = (reg.index, *value);
            if *reloc {
                r.reloc |= 1 << k;
            }
        }
        r
    }

    /// Poison seed of the case's input registers (the low 16 bits of its id).
    pub fn poison_seed(&self) -> u16 {
        self.id as u16
    }
}

#[derive(Clone, Debug)]
/// Every case for a run, with the ABIs they belong to.
pub struct Plan {
    /// The seed the cases were drawn with.
    pub seed: u64,
    /// Generated cases per call.
    pub cases_per_call: u32,
    /// The ABIs, indexed by `Case::abi`.
    pub abis: Vec<&'static Abi>,
    /// The cases, in id order.
    pub cases: Vec<Case>,
}

impl Plan {
    /// The value tree a generated case was drawn from, to shrink it: simplifying the tree walks
    /// toward smaller arguments within the declared domains.
    pub fn value_tree(&self, case: &Case) -> Option<Box<dyn ValueTree<Value = Vec<u64>>>> {
        let (call, draw) = (self.call(case)?, case.draw?);
        let abi = self.abi(case);
        let strategy = abi_spec::strategy::call_args(abi, call);
        let mut runner = rng_for(self.seed, abi.id, call.name);
        let mut tree = None;
        for _ in 0..=draw {
            tree = Some(strategy.new_tree(&mut runner).ok()?);
        }
        tree.map(|t| Box::new(t) as Box<dyn ValueTree<Value = Vec<u64>>>)
    }

    /// `case` with other arguments (same id, so the same poison).
    pub fn with_args(&self, case: &Case, args: &[u64]) -> Case {
        let mut c = case.clone();
        if let Some(call) = self.call(case) {
            set_args(self.abi(case), call, &mut c, args);
        }
        c
    }

    /// A plan of these cases only (same seed and ABIs).
    pub fn only(&self, cases: Vec<Case>) -> Plan {
        Plan {
            seed: self.seed,
            cases_per_call: self.cases_per_call,
            abis: self.abis.clone(),
            cases,
        }
    }

    /// The ABI of `case`.
    pub fn abi(&self, case: &Case) -> &'static Abi {
        self.abis[case.abi]
    }

    /// The call of `case` (none for an unknown number).
    pub fn call(&self, case: &Case) -> Option<&'static Call> {
        case.call.map(|i| &self.abis[case.abi].calls[i])
    }

    /// What the checker expects of `case`.
    pub fn expect(&self, case: &Case) -> Expect<'static> {
        match (case.expect, self.call(case)) {
            (Expectation::Contract, Some(c)) => Expect::Contract(c),
            (Expectation::Rejected, Some(c)) => Expect::Rejected(c),
            (Expectation::Answer(e), Some(c)) => Expect::Answer(c, e),
            _ => Expect::Unknown,
        }
    }

    /// The cases of shard `index` of `count` (1-based): every `count`-th case by id, so each
    /// shard gets a fair mix of ABIs and kinds and the shards' union is the whole plan.
    pub fn shard(&mut self, index: u32, count: u32) {
        self.cases
            .retain(|c| c.id % count == index.saturating_sub(1) % count);
    }

    /// The executable cases for ABIs of `arch`, as the wire format a guest reads.
    pub fn encode(&self, arch: Arch) -> Vec<u8> {
        self.encode_some(arch, 0, |_| true)
    }

    /// The executable cases of `arch` that `keep` selects, with plan `flags`.
    pub fn encode_some(&self, arch: Arch, flags: u8, keep: impl Fn(&Case) -> bool) -> Vec<u8> {
        let abis: Vec<usize> = (0..self.abis.len())
            .filter(|i| self.abis[*i].arch == arch)
            .collect();
        let ids: Vec<&str> = abis.iter().map(|i| self.abis[*i].id).collect();
        let cases: Vec<&Case> = self
            .cases
            .iter()
            .filter(|c| c.excluded.is_none() && self.abis[c.abi].arch == arch && keep(c))
            .collect();
        // The scratch the other cases need; a struct that ends early goes at its end (it does
        // not grow it: a larger scratch would let length arguments run further before they
        // fault, and Xen's console_io echo what they cover).
        let scratch = scratch_need(&cases);
        let placed: Vec<Case> = cases
            .iter()
            .filter_map(|c| c.at_scratch_end.map(|inside| (c, inside)))
            .filter_map(|(c, inside)| {
                let call = self.abis[c.abi].calls.get(c.call?)?;
                Some(c.placed_at(call, scratch - inside))
            })
            .collect();
        let mut placed = placed.iter();
        let cases: Vec<&Case> = cases
            .into_iter()
            .map(|c| match c.at_scratch_end {
                Some(_) => placed
                    .next()
                    .expect("one placed case per struct that ends early"),
                None => c,
            })
            .collect();
        let mut buf = vec![
            0u8;
            64 + ids.iter().map(|i| i.len() + 1).sum::<usize>()
                + cases.len() * (13 + MAX_ENTRIES * 9)
                // A struct window: its offset, length and bytes.
                + cases
                    .iter()
                    .filter_map(|c| c.buffer.as_ref())
                    .map(|(_, bytes)| 8 + bytes.len())
                    .sum::<usize>()
        ];
        let mut w = Writer::new(&mut buf);
        wire::write_plan_header(&mut w, arch, flags, cases.len() as u32, scratch, &ids);
        for c in cases {
            let r = c.wire(abis.iter().position(|i| *i == c.abi).unwrap() as u8);
            wire::write_case(&mut w, &r);
        }
        assert!(!w.overflow, "plan buffer sized from the cases");
        let len = w.len();
        buf.truncate(len);
        buf
    }
}

/// The scratch the cases need: past the highest pointer offset, one page for what the hypervisor
/// writes or reads there (whole pages, at most [`SCRATCH_LEN`]). A guest that puts its scratch
/// where its memory ends (a Xen dom0) makes Xen fail with -EFAULT right past it, so a length
/// argument larger than the buffer costs no more than this.
fn scratch_need(cases: &[&Case]) -> u32 {
    let top = cases
        .iter()
        .filter(|c| c.at_scratch_end.is_none())
        .flat_map(|c| &c.entries)
        .filter(|(_, _, reloc)| *reloc)
        .map(|(_, offset, _)| offset + 1)
        .max()
        .unwrap_or(0);
    ((top + 4096).div_ceil(4096) * 4096).min(u64::from(SCRATCH_LEN)) as u32
}

/// A call number as people write it: `0x11`, or `[0x10, 0x3]` for two number registers.
pub fn number_text(n: &[u64]) -> String {
    match n {
        [one] => format!("{one:#x}"),
        _ => format!(
            "[{}]",
            n.iter()
                .map(|v| format!("{v:#x}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Plans every call of `abis`.
pub fn plan(abis: &[&'static Abi], config: &PlanConfig) -> Plan {
    let mut cases = Vec::new();
    for (ai, abi) in abis.iter().enumerate() {
        for (ci, call) in abi.calls.iter().enumerate() {
            if !config.calls.is_empty() && !config.calls.iter().any(|c| c == call.name) {
                continue;
            }
            let admitted = config
                .admit
                .iter()
                .any(|(a, c)| a == abi.id && c == call.name);
            plan_call(ai, abi, ci, call, config, admitted, &mut cases);
        }
        if config.calls.is_empty() {
            plan_unknown(ai, abi, config, &mut cases);
        }
    }
    for (i, c) in cases.iter_mut().enumerate() {
        c.id = i as u32;
    }
    Plan {
        seed: config.seed,
        cases_per_call: config.cases_per_call,
        abis: abis.to_vec(),
        cases,
    }
}

fn rng_for(seed: u64, abi: &str, call: &str) -> TestRunner {
    // FNV-1a over the names, mixed with the seed: stable across runs, builds and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in abi.bytes().chain([0]).chain(call.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut key = [0u8; 32];
    for (i, chunk) in key.chunks_mut(8).enumerate() {
        let v = h.wrapping_add((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        chunk.copy_from_slice(&v.to_le_bytes());
    }
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &key),
    )
}

/// A value every domain accepts, the one a guest developer would write first.
fn documented(d: &Domain) -> u64 {
    match *d {
        Domain::Range { min, max } => {
            let v = if (min..=max).contains(&0) { 0 } else { min };
            v as u64
        }
        Domain::Enum { values } => values.first().map_or(0, |n| n.value as u64),
        Domain::Pointer { .. } => POINTER_BASE,
        Domain::Any | Domain::MustBeZero | Domain::Bits { .. } => 0,
    }
}

fn excluded(call: &Call, admitted: bool) -> Option<String> {
    match call.effect {
        Effect::Disruptive if admitted => None,
        Effect::NoReturn => Some("does not return (spec: noreturn); never planned".into()),
        Effect::Disruptive if call.disruption.is_empty() => {
            Some("would stop, hang or corrupt the guest (spec: disruptive); never planned".into())
        }
        Effect::Disruptive => Some(format!(
            "would stop, hang or corrupt the guest (spec: disruptive: {}); never planned",
            call.disruption
        )),
        Effect::Query | Effect::Stateful => None,
    }
}

fn plan_call(
    ai: usize,
    abi: &Abi,
    ci: usize,
    call: &Call,
    config: &PlanConfig,
    admitted: bool,
    out: &mut Vec<Case>,
) {
    let width = abi.width_for(call);
    let m = abi_spec::abi::mask(width);
    let new = |kind, label: String, expect, args: Vec<u64>| {
        let mut case = Case {
            id: 0,
            abi: ai,
            call: Some(ci),
            number: call.number.to_vec(),
            kind,
            label,
            expect,
            args: Vec::new(),
            entries: Vec::new(),
            caller: config.callers,
            excluded: None,
            draw: None,
            buffer: None,
            param: None,
            at_scratch_end: None,
        };
        set_args(abi, call, &mut case, &args);
        case
    };
    if let Some(p) = abi.param(call.name) {
        if plan_param(abi, call, p, excluded(call, admitted).is_some(), &new, out) {
            return;
        }
    }
    if excluded(call, admitted).is_some() {
        if let Some(f) = abi.family(call.name) {
            if plan_family(abi, call, f, config, &new, out) {
                return;
            }
        }
    }
    if let Some(reason) = excluded(call, admitted) {
        let mut c = new(
            CaseKind::Fixed,
            "excluded".into(),
            Expectation::Contract,
            vec![0; call.args.len()],
        );
        c.excluded = Some(reason);
        c.caller = false;
        out.push(c);
        return;
    }

    // Fixed: the documented values, then each value of the first enumerated argument.
    let base: Vec<u64> = call.args.iter().map(|a| documented(&a.domain)).collect();
    out.push(new(
        CaseKind::Fixed,
        "documented values".into(),
        Expectation::Contract,
        base.clone(),
    ));
    if let Some((k, Domain::Enum { values })) = call
        .args
        .iter()
        .enumerate()
        .find_map(|(k, a)| matches!(a.domain, Domain::Enum { .. }).then_some((k, a.domain)))
    {
        for n in values.iter().skip(1).take(31) {
            let mut args = base.clone();
            args[k] = n.value as u64 & m;
            out.push(new(
                CaseKind::Fixed,
                format!("{} = {}", call.args[k].name, n.name),
                Expectation::Contract,
                args,
            ));
        }
    }

    // Generated: the domains' strategies under the call's own seeded RNG.
    let strategy = abi_spec::strategy::call_args(abi, call);
    let mut runner = rng_for(config.seed, abi.id, call.name);
    for k in 0..config.cases_per_call {
        let args = strategy
            .new_tree(&mut runner)
            .expect("domain strategies never reject")
            .current();
        let mut case = new(
            CaseKind::Generated,
            String::new(),
            Expectation::Contract,
            args,
        );
        case.draw = Some(k);
        out.push(case);
    }

    // Edges: all-zero and all-ones arguments, must-be-zero set, junk in ignored upper bits.
    if !call.args.is_empty() {
        out.push(new(
            CaseKind::Edge,
            "all arguments zero".into(),
            Expectation::Contract,
            vec![0; call.args.len()],
        ));
        out.push(new(
            CaseKind::Edge,
            "all arguments all-ones".into(),
            Expectation::Contract,
            vec![m; call.args.len()],
        ));
    }
    if !call.errors.is_empty() {
        for (k, a) in call.args.iter().enumerate() {
            if a.domain == Domain::MustBeZero {
                for v in [1, m] {
                    let mut args = base.clone();
                    args[k] = v;
                    out.push(new(
                        CaseKind::Edge,
                        format!("must-be-zero {} = {v:#x}", a.name),
                        Expectation::Rejected,
                        args,
                    ));
                }
            }
        }
    }
    if let Some(n) = abi.narrow_for(call) {
        if n.input_upper == UpperInput::Ignored
            && abi.arch.gpr_bits() > n.bits
            && !call.args.is_empty()
        {
            let args = base.iter().map(|v| v | UPPER_JUNK).collect();
            out.push(new(
                CaseKind::Edge,
                format!("junk in ignored bits {}..63 of every argument", n.bits),
                Expectation::Contract,
                args,
            ));
        }
    }
    // A call planned whole whose argument selects sub-operations (KVM's PTP counter): its
    // unknown sub-operation too.
    if let Some(f) = abi.family(call.name) {
        out.extend(unknown_subop(
            abi,
            call,
            f,
            config.implementation.as_deref(),
            &new,
        ));
    }
}

/// Bytes past a parameter struct that its window also watches (a write there is a violation).
pub const STRUCT_SLACK: u32 = 16;
/// What the guest writes over a struct's output fields, padding and the slack past it, so that
/// what the hypervisor writes there shows.
pub const STRUCT_FILL: u8 = 0xa5;

/// The window of a parameter struct before the call: input fields zero (domain 0, the caller
/// itself as dom0; port, index and IRQ 0), reserved fields zero, everything else
/// [`STRUCT_FILL`], up to [`STRUCT_SLACK`] bytes past the struct (the whole window at most
/// `MAX_BUFFER` bytes).
pub fn struct_window(st: &abi_spec::StructDef) -> Vec<u8> {
    let len = ((st.size() + STRUCT_SLACK) as usize).min(MAX_BUFFER);
    let mut w = vec![STRUCT_FILL; len];
    for (f, l) in st.layouts() {
        if matches!(f.dir, abi_spec::FieldDir::In | abi_spec::FieldDir::Reserved) {
            let end = ((l.offset + l.size) as usize).min(len);
            w[(l.offset as usize).min(len)..end].fill(0);
        }
    }
    w
}

/// How many bytes of a struct that ends early lie in the scratch (the rest past its end).
pub const END_EARLY: u32 = 8;

/// A guest address no hypervisor maps for a guest: non-canonical on x86_64, far past any
/// implemented IPA size on arm64.
pub const UNMAPPED: u64 = 0x8000_0000_0000_0000;

/// The cases of a call whose command argument selects sub-operations and that is, as a whole,
/// disruptive: each `query` or `stateful` sub-operation with its pointer arguments in the zeroed
/// scratch (the documented values, and the sub-operation's own fixed arguments), the same
/// through an unmapped pointer when the spec says what that answers, and a selector value past
/// the declared ones when the spec says what an unknown sub-operation answers. No generated
/// cases: a random pointer given to a sub-operation that writes its struct would write into the
/// guest. `false` when the family has nothing the plan may run.
fn plan_family(
    abi: &Abi,
    call: &Call,
    f: &abi_spec::Family,
    config: &PlanConfig,
    new: &dyn Fn(CaseKind, String, Expectation, Vec<u64>) -> Case,
    out: &mut Vec<Case>,
) -> bool {
    let before = out.len();
    let implementation = config.implementation.as_deref();
    let sel = usize::from(f.selector);
    let m = abi_spec::abi::mask(abi.width_for(call));
    let base: Vec<u64> = call.args.iter().map(|a| documented(&a.domain)).collect();
    let arg_name = call.args.get(sel).map_or("", |a| a.name);
    let sel_name = match f.field {
        Some(field) => format!("{arg_name}.{field}"),
        None => arg_name.to_string(),
    };
    let args_of = |s: &abi_spec::SubOp| {
        let mut args = base.clone();
        if f.field.is_none() {
            args[sel] = s.number & m;
        }
        for &(i, v) in s.args {
            if let Some(a) = args.get_mut(usize::from(i)) {
                *a = v & m;
            }
        }
        args
    };
    // The sub-operation's struct at an address no hypervisor maps (64-bit pointers only).
    let unmapped = |s: &abi_spec::SubOp| {
        let (Some(fault), Some(_), 64) = (f.fault, s.param, abi.width_for(call)) else {
            return None;
        };
        let mut args = args_of(s);
        for (k, a) in call.args.iter().enumerate() {
            if a.domain.is_pointer() {
                args[k] = UNMAPPED;
            }
        }
        Some(new(
            CaseKind::Edge,
            format!("{sel_name} = {}: parameter struct unmapped", s.name),
            Expectation::Answer(fault),
            args,
        ))
    };
    for s in f.runnable() {
        let args = args_of(s);
        let st = s.param.and_then(|p| abi.struct_named(p));
        let window = st.map(|st| family_window(f, st, s.number, implementation, None));
        let case = new(
            CaseKind::Fixed,
            format!("{sel_name} = {} (sub-operation)", s.name),
            Expectation::Contract,
            args.clone(),
        );
        let (Some(st), Some(window)) = (st, window) else {
            out.push(case);
            out.extend(unmapped(s));
            continue;
        };
        out.push(case.with_struct(st, 0, window.clone()));
        // A struct-field selector with fixed fields (Xen's interface version): each fixed
        // field holding another value, when the spec says what that answers.
        if let Some(bad) = f.bad_fixed {
            for &(name, _) in f.fixed {
                let v = f.fixed_value(name, implementation).unwrap_or_default();
                let wrong = family_window(f, st, s.number, implementation, Some((name, !v)));
                let case = new(
                    CaseKind::Edge,
                    format!("{sel_name} = {}: {name} wrong", s.name),
                    Expectation::Answer(bad),
                    args.clone(),
                );
                out.push(case.with_struct(st, 0, wrong));
            }
        }
        out.extend(struct_variants(
            call,
            st,
            &window,
            &args,
            &|what, args, (at, w)| {
                let case = new(
                    CaseKind::Edge,
                    format!("{sel_name} = {}: {what}", s.name),
                    Expectation::Contract,
                    args,
                );
                case.with_struct(st, at, w)
            },
        ));
        // The struct's first bytes in the scratch's last ones, the rest past guest memory: the
        // hypervisor cannot copy it whole.
        let moved = call
            .args
            .iter()
            .enumerate()
            .any(|(k, a)| a.domain.is_pointer() && args[k] == POINTER_BASE);
        if let (Some(fault), true, true) = (f.fault, config.scratch_at_memory_end, moved) {
            let inside = END_EARLY.min(st.size() - 1);
            let case = new(
                CaseKind::Edge,
                format!(
                    "{sel_name} = {}: parameter struct ends early (its first {inside} of {} bytes where guest memory ends)",
                    s.name,
                    st.size()
                ),
                Expectation::Answer(fault),
                args.clone(),
            );
            // Placed where the scratch ends when the plan is encoded.
            let mut case = case.with_struct(st, 0, window[..inside as usize].to_vec());
            case.at_scratch_end = Some(inside);
            out.push(case);
        }
        out.extend(unmapped(s));
    }
    out.extend(unknown_subop(abi, call, f, implementation, new));
    out.len() != before
}

/// The cases of a plain call whose pointer argument points to a parameter struct: the struct
/// in the scratch (its window preset, the arguments the struct fixes, the upper half of a split
/// address zero: on a 64-bit ABI the low register holds the whole address), and the same through an unmapped pointer when the spec says what that
/// answers. A call that is excluded (disruptive: registering the struct would let the
/// hypervisor write it later) runs only that refused case. `true` when the call is planned
/// here whole: excluded, or its struct has fields the hypervisor writes (no generated cases, no
/// all-ones edge: a random pointer would let it write into the guest). A call that only reads
/// its struct goes on to the usual cases.
fn plan_param(
    abi: &Abi,
    call: &Call,
    p: &abi_spec::CallParam,
    excluded: bool,
    new: &dyn Fn(CaseKind, String, Expectation, Vec<u64>) -> Case,
    out: &mut Vec<Case>,
) -> bool {
    let Some(st) = abi.struct_named(p.param) else {
        return false;
    };
    if call.effect == Effect::NoReturn {
        return false;
    }
    let m = abi_spec::abi::mask(abi.width_for(call));
    let mut args: Vec<u64> = call.args.iter().map(|a| documented(&a.domain)).collect();
    for &(i, v) in p.args {
        if let Some(a) = args.get_mut(usize::from(i)) {
            *a = v & m;
        }
    }
    let pointer = usize::from(p.pointer);
    // The scratch's address fits the pointer register: the upper half is zero.
    if let Some(h) = p.high {
        args[usize::from(h)] = 0;
    }
    let ptr_name = call.args.get(pointer).map_or("", |a| a.name);
    let before = out.len();
    if !excluded {
        let case = new(
            CaseKind::Fixed,
            format!("{ptr_name} -> {} in the scratch", st.name),
            Expectation::Contract,
            args.clone(),
        );
        out.push(case.with_struct(st, 0, struct_window(st)));
        // Each must-be-zero argument set (the upper half of a split address too: an address
        // past the 64 bits the SEE can reach), the struct in place, so an implementation that
        // ignores the argument writes where the window watches.
        if !call.errors.is_empty() {
            for (k, a) in call.args.iter().enumerate() {
                if a.domain == Domain::MustBeZero {
                    let mut bad = args.clone();
                    bad[k] = 1;
                    let case = new(
                        CaseKind::Edge,
                        format!("{ptr_name} -> {}: must-be-zero {} = 0x1", st.name, a.name),
                        Expectation::Rejected,
                        bad,
                    );
                    out.push(case.with_struct(st, 0, struct_window(st)));
                }
            }
        }
    }
    if let (Some(fault), 64) = (p.fault, abi.width_for(call)) {
        let mut bad = args;
        bad[pointer] = UNMAPPED;
        out.push(new(
            CaseKind::Edge,
            format!("{ptr_name} -> {}: parameter struct unmapped", st.name),
            Expectation::Answer(fault),
            bad,
        ));
    }
    let writes = st.fields.iter().any(|f| f.dir.written_by_hypervisor());
    (excluded && out.len() != before) || (!excluded && writes)
}

/// The cases of a struct a call reads, besides the plain one, each answered by the call's
/// contract: its reserved fields all ones (a reserved field is the caller's to zero and the
/// hypervisor's to leave alone: it may ignore or refuse the value, never write there), and the
/// struct one byte into the scratch (C structs passed by pointer need no alignment from the
/// hypervisor's copy; skipped when the pointer's domain asks for alignment). `make` builds a case
/// from (what it is, arguments, window).
fn struct_variants(
    call: &Call,
    st: &abi_spec::StructDef,
    window: &[u8],
    args: &[u64],
    make: &dyn Fn(String, Vec<u64>, (u32, Vec<u8>)) -> Case,
) -> Vec<Case> {
    let mut out = Vec::new();
    let reserved: Vec<_> = st
        .layouts()
        .filter(|(f, _)| f.dir == abi_spec::FieldDir::Reserved)
        .collect();
    if !reserved.is_empty() {
        let mut w = window.to_vec();
        for (_, l) in &reserved {
            let end = ((l.offset + l.size) as usize).min(w.len());
            w[(l.offset as usize).min(end)..end].fill(0xff);
        }
        let names: Vec<&str> = reserved.iter().map(|(f, _)| f.name).collect();
        out.push(make(
            format!("reserved {} all ones", names.join(", ")),
            args.to_vec(),
            (0, w),
        ));
    }
    let pointers: Vec<usize> = call
        .args
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a.domain, Domain::Pointer { align, .. } if align <= 1))
        .map(|(k, _)| k)
        .collect();
    if !pointers.is_empty() && pointers.iter().all(|&k| args.get(k) == Some(&POINTER_BASE)) {
        let mut args = args.to_vec();
        for k in pointers {
            args[k] = POINTER_BASE + 1;
        }
        out.push(make(
            "parameter struct unaligned (scratch offset 1)".into(),
            args,
            (1, window.to_vec()),
        ));
    }
    out
}

/// The case of a selector value well past a family's declared sub-operations (the other
/// arguments at their documented values), when the spec says what an unknown sub-operation
/// answers.
fn unknown_subop(
    abi: &Abi,
    call: &Call,
    f: &abi_spec::Family,
    implementation: Option<&str>,
    new: &dyn Fn(CaseKind, String, Expectation, Vec<u64>) -> Case,
) -> Option<Case> {
    let unknown = f.unknown?;
    let sel = usize::from(f.selector);
    let m = abi_spec::abi::mask(abi.width_for(call));
    let mut args: Vec<u64> = call.args.iter().map(|a| documented(&a.domain)).collect();
    // Well past the declared numbers, not just after the last: later versions append
    // sub-operations (Xen 4.18 added VCPUOP 14 and 15 after 4.17's last, 13), and a number
    // one of them defines is not unknown there. All ones below twice the declared space
    // (31 for vcpu_op, 63 for memory_op) stays inside every command mask (memory_op's is 6
    // bits, hvm_op's 8).
    let next = f.subops.iter().map(|s| s.number).max().map_or(0, |n| n + 1);
    let next = ((next * 2).max(2).next_power_of_two() - 1) & m;
    let sel_name = call.args.get(sel).map_or("", |a| a.name);
    let Some(field) = f.field else {
        args[sel] = next;
        return Some(new(
            CaseKind::Edge,
            format!("{sel_name} = {next:#x} (unknown sub-operation)"),
            Expectation::Answer(unknown),
            args,
        ));
    };
    // A struct-field selector: the struct of the first sub-operation that has one, its
    // selector field the unknown value.
    let st = f.subops.iter().find_map(|s| abi.struct_named(s.param?))?;
    let case = new(
        CaseKind::Edge,
        format!("{sel_name}.{field} = {next:#x} (unknown sub-operation)"),
        Expectation::Answer(unknown),
        args,
    );
    Some(case.with_struct(st, 0, family_window(f, st, next, implementation, None)))
}

/// A sub-operation's struct window ([`struct_window`]) with, for a struct-field selector, the
/// selector field holding `number` and the family's fixed fields their values on
/// `implementation` (`wrong`: one of them holding another value instead).
fn family_window(
    f: &abi_spec::Family,
    st: &abi_spec::StructDef,
    number: u64,
    implementation: Option<&str>,
    wrong: Option<(&str, u64)>,
) -> Vec<u8> {
    let mut w = struct_window(st);
    let fixed = f.fixed.iter().map(|&(name, _)| match wrong {
        Some((bad, other)) if bad == name => (name, other),
        _ => (
            name,
            f.fixed_value(name, implementation).unwrap_or_default(),
        ),
    });
    for (name, v) in f.field.map(|n| (n, number)).into_iter().chain(fixed) {
        if let Some((off, size)) = abi_spec::Family::field_in(st, name) {
            let (off, size) = (off as usize, size as usize);
            if off + size <= w.len() {
                for (d, b) in w[off..off + size].iter_mut().zip(st.rule.bytes(v, size)) {
                    *d = b;
                }
            }
        }
    }
    w
}

/// Loads `args` into the case's register entries (pointers become scratch offsets).
fn set_args(abi: &Abi, call: &Call, case: &mut Case, args: &[u64]) {
    case.entries.clear();
    case.args.clear();
    for reg in abi.arch.regs() {
        match abi.input_of(call, reg) {
            Input::Number(i) => {
                case.entries
                    .push((reg, call.number.get(i).copied().unwrap_or(0), false))
            }
            Input::Arg(i) => {
                let v = args.get(i).copied().unwrap_or(0);
                let is_ptr = matches!(call.args[i].domain, Domain::Pointer { .. });
                let reloc =
                    is_ptr && (POINTER_BASE..POINTER_BASE + u64::from(SCRATCH_LEN)).contains(&v);
                let v = if reloc { v - POINTER_BASE } else { v };
                case.entries.push((reg, v, reloc));
            }
            Input::Poison | Input::Fixed => {}
        }
    }
    case.args = call
        .args
        .iter()
        .map(|a| {
            case.entries
                .iter()
                .find(|(r, _, _)| *r == a.reg)
                .map_or(0, |(_, v, _)| *v)
        })
        .collect();
}

/// Unknown numbers: edges of the number space, the gap after the highest defined number, and
/// (for SMCCC ABIs) the next function number of each owner in both conventions.
fn plan_unknown(ai: usize, abi: &Abi, config: &PlanConfig, out: &mut Vec<Case>) {
    let Some(first) = abi.numbers.first() else {
        return;
    };
    let m = abi_spec::abi::mask(
        abi.narrow
            .map_or(first.reg.bits(), |n| n.bits.min(first.reg.bits())),
    );
    let defined = |n: &[u64]| abi.calls.iter().any(|c| c.number == n);
    let mut candidates: Vec<(Vec<u64>, String)> = Vec::new();
    let known_rest: Vec<u64> = abi
        .calls
        .first()
        .map(|c| c.number[1..].to_vec())
        .unwrap_or_default();
    let with_rest = |v: u64| {
        let mut n = vec![v];
        n.extend(known_rest.iter().map(|_| 0));
        n
    };
    let max = abi.calls.iter().map(|c| c.number[0]).max().unwrap_or(0);
    for (v, why) in [
        (0, "zero"),
        (
            max.wrapping_add(1) & m,
            "one past the highest defined number",
        ),
        (m, "all-ones"),
        (m >> 1 ^ m, "only the top bit"),
        (0x7fff & m, "0x7fff"),
    ] {
        candidates.push((with_rest(v), why.into()));
    }
    // SMCCC: the first unused function number of every owner and convention in use.
    let mut owners: Vec<(u8, bool, bool)> = abi
        .calls
        .iter()
        .filter_map(|c| c.smccc)
        .map(|s| (s.owner, s.fast, s.smc64))
        .collect();
    owners.sort();
    owners.dedup();
    for (owner, fast, smc64) in owners {
        let prefix = (u64::from(fast) << 31) | (u64::from(smc64) << 30) | (u64::from(owner) << 24);
        let top = abi
            .calls
            .iter()
            .filter(|c| c.number[0] & 0xff00_0000 == prefix)
            .map(|c| c.number[0] & 0xffff)
            .max()
            .unwrap_or(0);
        candidates.push((
            with_rest(prefix | ((top + 1) & 0xffff)),
            format!(
                "next function of SMCCC owner {owner}{}",
                if smc64 { " (SMC64)" } else { "" }
            ),
        ));
    }
    // Two number registers (SBI EID/FID): a known first number with an unknown second.
    // The first number with the most calls: its second number is surely decoded (SBI's
    // legacy extensions ignore the FID, BASE does not).
    if abi.numbers.len() == 2 {
        let busiest = abi.calls.iter().max_by_key(|c| {
            abi.calls
                .iter()
                .filter(|x| x.number[0] == c.number[0])
                .count()
        });
        if let Some(c) = busiest {
            let fmax = abi
                .calls
                .iter()
                .filter(|x| x.number[0] == c.number[0])
                .map(|x| x.number[1])
                .max()
                .unwrap_or(0);
            candidates.push((
                vec![c.number[0], fmax + 1],
                format!(
                    "defined {} with an unknown {}",
                    abi.numbers[0].name, abi.numbers[1].name
                ),
            ));
        }
    }
    let mut runner = rng_for(config.seed, abi.id, "<unknown>");
    for _ in 0..config.cases_per_call.min(16) {
        let v = (0..=m).new_tree(&mut runner).expect("range").current();
        candidates.push((with_rest(v), "random".into()));
    }
    let mut seen = Vec::new();
    for (number, why) in candidates {
        if defined(&number) || seen.contains(&number) {
            continue;
        }
        seen.push(number.clone());
        let entries = abi
            .numbers
            .iter()
            .zip(&number)
            .map(|(r, v)| (r.reg, *v, false))
            .collect();
        out.push(Case {
            id: 0,
            abi: ai,
            call: None,
            number: number.clone(),
            kind: CaseKind::Edge,
            label: format!("unknown number {} ({why})", number_text(&number)),
            expect: Expectation::Unknown,
            args: Vec::new(),
            entries,
            caller: false,
            draw: None,
            buffer: None,
            param: None,
            at_scratch_end: None,
            excluded: match abi.unknown {
                None => Some("the spec declares no unknown-number outcome".into()),
                Some(_) if !page_reaches(abi, number[0]) => Some(format!(
                    "{} has no entry in a 4 KiB hypercall page",
                    number_text(&number)
                )),
                Some(Unknown::Error(_) | Unknown::Exception(_)) => None,
            },
        });
    }
}

/// Whether a number can be issued through the ABI's trap: a hypercall page (4 KiB) has an entry
/// only for numbers below 4096 / stride (the entry loads the number itself); other traps take any.
fn page_reaches(abi: &Abi, number: u64) -> bool {
    match abi.trap {
        abi_spec::Trap::HypercallPage { stride } => {
            number.saturating_mul(u64::from(stride.max(1))) < 4096
        }
        _ => true,
    }
}
