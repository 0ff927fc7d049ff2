//! The reference-model backend: executes a plan in-process by applying each ABI's own contract,
//! through the same wire format a guest reads and writes. With `poison` it behaves like a debug
//! hypervisor and overwrites every register the contract lets it clobber; with a [`Fault`] it
//! breaks the contract in one precise way, so tests can prove the checker catches each class.

use std::time::Instant;

use abi_spec::wire::{
    self, CaseRecord, PathRecord, PlanReader, Record, Writer, CASE_CALLER, MAX_PATHS, NO_CALL,
};
use abi_spec::{Abi, Call, Domain, RegKind, RegisterFile, Role, Unknown, UpperOutput};

use crate::{Execution, Runner};

/// Where the model "guest" keeps the scratch memory pointer arguments point into.
pub const SCRATCH_BASE: u64 = 0x4000_0000;
/// What a poisoning model writes into registers it may clobber (a debug Xen's x86 pattern).
pub const CLOBBER_POISON: u64 = 0xdead_beef_dead_f00d;
/// Exception code the model reports for an injected exception or a spec'd one.
pub const MODEL_EXCEPTION: u64 = 6;

/// One way to break the contract. Named in kebab case (`clobber-preserved`): `--fault` takes
/// the name (`FromStr`), reports write it (`Display`, `<&str>::from`), `Fault::iter()` and
/// `Fault::VARIANTS` list every fault.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
    strum::VariantNames,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Fault {
    /// Change a register the spec says is preserved.
    ClobberPreserved,
    /// Write the status result into another register and leave the status register alone.
    ResultInWrongRegister,
    /// Treat a non-zero must-be-zero argument as zero and succeed.
    IgnoreMustBeZero,
    /// Answer an unknown call number with success (0).
    AcceptUnknown,
    /// Raise an exception instead of returning.
    RaiseException,
    /// Return a different status to the generated caller than to the probe.
    CallerDisagrees,
    /// Break (like a firmware that hangs) on every case whose id is 13 modulo 97, losing the
    /// records of the unfinished batch of 32 unless the plan asks for one record at a time.
    Crash,
}

impl Fault {
    /// The name `--fault` takes.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// The model backend over a registry of ABIs.
pub struct Model {
    /// The ABIs it answers.
    pub abis: &'static [&'static Abi],
    /// Whether it poisons what it may clobber.
    pub poison: bool,
    /// The fault it injects, if any.
    pub fault: Option<Fault>,
    name: String,
}

impl Model {
    /// A model of `abis`.
    pub fn new(abis: &'static [&'static Abi]) -> Model {
        Model {
            abis,
            poison: false,
            fault: None,
            name: "model".into(),
        }
    }

    /// Poisons every register it may clobber (a debug hypervisor).
    pub fn poisoning(mut self, poison: bool) -> Model {
        self.poison = poison;
        if poison {
            self.name = "model-debug".into();
        }
        self
    }

    /// Injects `fault`.
    pub fn with_fault(mut self, fault: Option<Fault>) -> Model {
        self.fault = fault;
        self
    }

    /// Executes a plan, returning the record stream (or the plan's decoding error).
    pub fn run(&self, plan: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        self.run_into(plan, &mut out).map(|()| out)
    }

    /// Executes a plan into `out`; on a (possibly injected) break, `out` holds the records sent
    /// before it.
    pub fn run_into(&self, plan: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        let reader = PlanReader::parse(plan).map_err(|e| format!("plan: {e}"))?;
        let mut ids = Vec::new();
        for i in 0..reader.nabis {
            let id = reader.abi_id(i).ok_or("plan: bad ABI table")?;
            ids.push(self.abis.iter().copied().find(|a| a.id == id));
        }
        out.reserve(reader.ncases as usize * 48 + 64);
        let mut buf = [0u8; 1024];
        {
            let mut w = Writer::new(&mut buf);
            wire::write_info(&mut w, SCRATCH_BASE, &[("backend", "model")]);
            out.extend_from_slice(w.bytes());
        }
        let mut n = 0;
        // Where the last batch of records ended (what a guest would have sent already).
        let mut flushed = out.len();
        for case in reader.cases() {
            let case = case.map_err(|e| format!("plan: {e}"))?;
            if self.fault == Some(Fault::Crash) && case.id % 97 == 13 {
                out.truncate(flushed);
                return Err(format!(
                    "model: the target broke on case {} (injected crash)",
                    case.id
                ));
            }

            let before = case.input(reader.arch, SCRATCH_BASE);
            let abi = ids.get(case.abi as usize).copied().flatten();
            let call = abi.and_then(|a| {
                (case.call != NO_CALL)
                    .then(|| a.calls.get(case.call as usize))
                    .flatten()
            });
            let mut rec = CaseRecord {
                id: case.id,
                status: wire::STATUS_NOT_RUN,
                code: 0,
                after: before,
                npaths: 0,
                paths: [PathRecord::new(0, 0); MAX_PATHS],
            };
            if let Some(abi) = abi {
                let window = (case.flags & wire::CASE_BUFFER != 0).then(|| case.buffer());
                self.execute_case(abi, call, &before, window, &mut rec);
                if let (Some(call), true) = (call, case.flags & CASE_CALLER != 0) {
                    // The model has no C or assembly stubs (`CASE_STUBS`): only the Rust caller's
                    // path is answered.
                    if rec.status == wire::STATUS_RETURNED {
                        let mut p = PathRecord::new(wire::PATH_RUST, wire::PATH_RAN);
                        p.n = call.results.len().min(wire::MAX_PATH_VALUES) as u8;
                        for (k, r) in call.results.iter().take(wire::MAX_PATH_VALUES).enumerate() {
                            p.values[k] = rec.after.get(r.reg);
                        }
                        if self.fault == Some(Fault::CallerDisagrees) && p.n > 0 {
                            p.values[0] ^= 1;
                        }
                        rec.push_path(p);
                    }
                }
            }
            let mut w = Writer::new(&mut buf);
            wire::write_case_record(&mut w, &before, &rec);
            if case.flags & wire::CASE_BUFFER != 0 && rec.status == wire::STATUS_RETURNED {
                let after = abi
                    .zip(call)
                    .map(|(abi, call)| write_outputs(abi, call, &before, &rec.after, case.buffer()))
                    .unwrap_or_else(|| case.buffer().to_vec());
                wire::write_buffer_record(&mut w, case.id, case.buffer(), &after);
            }
            out.extend_from_slice(w.bytes());
            n += 1;
            if reader.flags & wire::PLAN_FLUSH_EACH != 0 || n % 32 == 0 {
                flushed = out.len();
            }
        }
        let mut w = Writer::new(&mut buf);
        wire::write_done(&mut w, n);
        out.extend_from_slice(w.bytes());
        Ok(())
    }

    fn execute_case(
        &self,
        abi: &Abi,
        call: Option<&Call>,
        before: &RegisterFile,
        window: Option<&[u8]>,
        rec: &mut CaseRecord,
    ) {
        rec.status = wire::STATUS_RETURNED;
        if self.fault == Some(Fault::RaiseException) {
            rec.status = wire::STATUS_EXCEPTION;
            rec.code = MODEL_EXCEPTION;
            return;
        }
        let after = &mut rec.after;
        let Some(call) = call else {
            // An unknown number: the ABI's unknown-number outcome.
            match abi.unknown {
                Some(Unknown::Exception(_)) => {
                    rec.status = wire::STATUS_EXCEPTION;
                    rec.code = MODEL_EXCEPTION;
                }
                Some(Unknown::Error(e)) => {
                    let value = if self.fault == Some(Fault::AcceptUnknown) {
                        0
                    } else {
                        e.value as u64
                    };
                    // Clobber first: the status register may also be an argument register the
                    // unknown call leaves unused (ePAPR's r3), which must still carry the error.
                    self.clobber(abi, None, after);
                    if let Some(reg) = abi.results.first() {
                        after.set(*reg, value);
                    }
                }
                None => {}
            }
            return;
        };

        let width = abi.width_for(call);
        let m = abi_spec::abi::mask(width);
        let valid = call.args.iter().all(|a| {
            let v = before.get(a.reg) & m;
            a.domain.contains(v, width)
                || (a.domain == Domain::MustBeZero && self.fault == Some(Fault::IgnoreMustBeZero))
        });
        let narrow = abi.narrow_for(call);
        let widen = |v: u64| match narrow.map(|n| n.output_upper) {
            Some(UpperOutput::SignExtended) => abi_spec::abi::sign_extend(v & m, width) as u64,
            Some(UpperOutput::Undefined) if self.poison => (v & m) | (CLOBBER_POISON & !m),
            Some(_) => v & m,
            None => v,
        };
        let mut values: Vec<u64> = call.results.iter().map(|r| success(&r.domain)).collect();
        if !valid {
            if let (Some(e), Some(v)) = (call.errors.first(), values.first_mut()) {
                *v = e.value as u64;
            }
        }
        // A sub-operation family: an unknown selector value gets the family's answer, a
        // parameter struct outside the scratch its fault answer.
        if let (Some(f), Some(v)) = (abi.family(call.name), values.first_mut()) {
            let args: Vec<u64> = call.args.iter().map(|a| before.get(a.reg) & m).collect();
            // A struct-field selector: the field in the window the plan preset (none without
            // one: the struct is not in the scratch).
            let selected = f.selected(abi, &args, window);
            // The plan's scratch is at most 68 KiB (conformance::plan::SCRATCH_LEN).
            let in_scratch = |x: u64| (SCRATCH_BASE..SCRATCH_BASE + 0x11000).contains(&x);
            let unreachable = call
                .args
                .iter()
                .any(|a| a.domain.is_pointer() && !in_scratch(before.get(a.reg) & m));
            // The hypervisor reads the struct first (an unreachable one: its fault answer), then
            // checks the fixed fields, then the selector.
            let fixed_wrong = window.is_some_and(|w| !f.fixed_hold(abi, w));
            match selected.map(|s| f.subop(s)) {
                _ if f.field.is_some() && unreachable => {
                    if let Some(e) = f.fault {
                        *v = e.value as u64;
                    }
                }
                _ if fixed_wrong && f.bad_fixed.is_some() => {
                    if let Some(e) = f.bad_fixed {
                        *v = e.value as u64;
                    }
                }
                Some(None) => {
                    if let Some(e) = f.unknown {
                        *v = e.value as u64;
                    }
                }
                Some(Some(op)) if op.param.is_some() => {
                    if let (true, Some(e)) = (unreachable, f.fault) {
                        *v = e.value as u64;
                    }
                }
                _ => {}
            }
        }
        // A plain call's parameter struct outside the scratch: its fault answer.
        if let (Some(p), Some(v)) = (abi.param(call.name), values.first_mut()) {
            let at = call
                .args
                .get(usize::from(p.pointer))
                .map(|a| before.get(a.reg) & m);
            let in_scratch = |x: u64| (SCRATCH_BASE..SCRATCH_BASE + 0x11000).contains(&x);
            if let (Some(e), Some(false)) = (p.fault, at.map(in_scratch)) {
                *v = e.value as u64;
            }
        }
        self.clobber(abi, Some(call), after);
        for (r, v) in call.results.iter().zip(&values) {
            after.set(r.reg, widen(*v));
        }
        match self.fault {
            Some(Fault::ClobberPreserved) => {
                if let Some(reg) = preserved_general(abi, call) {
                    after.set(reg, before.get(reg) ^ 0x5a5a);
                }
            }
            Some(Fault::ResultInWrongRegister) => {
                if let (Some(status), Some(reg)) =
                    (call.results.first(), preserved_general(abi, call))
                {
                    after.set(reg, after.get(status.reg));
                    after.set(status.reg, before.get(status.reg));
                }
            }
            _ => {}
        }
    }

    /// Applies the may-clobber and zero-or-preserve roles (only when poisoning: a release
    /// hypervisor typically leaves them alone).
    fn clobber(&self, abi: &Abi, call: Option<&Call>, after: &mut RegisterFile) {
        if !self.poison {
            return;
        }
        let call = call.unwrap_or(&abi_spec::check::UNKNOWN_CALL);
        for reg in abi.arch.regs() {
            if reg.kind() == RegKind::Flags {
                continue;
            }
            match abi.role_after(call, reg) {
                Role::MayClobber => after.set(reg, CLOBBER_POISON),
                Role::ZeroOrPreserve => after.set(reg, 0),
                _ => {}
            }
        }
    }
}

/// The struct window after a call the model answered: when the call succeeded (its status is
/// none of its error codes) and selected a sub-operation with a struct, every `out` field holds
/// the least value of its domain (0 without one), as a conforming hypervisor writes each.
fn write_outputs(
    abi: &Abi,
    call: &Call,
    before: &RegisterFile,
    after: &RegisterFile,
    window: &[u8],
) -> Vec<u8> {
    let mut out = window.to_vec();
    let m = abi_spec::abi::mask(abi.width_for(call));
    let Some(status) = call.results.first().map(|r| after.get(r.reg) & m) else {
        return out;
    };
    if call.errors.iter().any(|e| (e.value as u64) & m == status) {
        return out;
    }
    let Some(f) = abi.family(call.name) else {
        return out;
    };
    let args: Vec<u64> = call.args.iter().map(|a| before.get(a.reg) & m).collect();
    let st = f
        .selected(abi, &args, Some(window))
        .and_then(|v| f.subop(v))
        .and_then(|op| abi.struct_named(op.param?));
    let Some(st) = st else {
        return out;
    };
    for (field, l) in st.layouts() {
        if field.dir != abi_spec::FieldDir::Out {
            continue;
        }
        let value = field.domain.map_or(0, |(min, _)| min as u64);
        let elem = (l.size / field.count) as usize;
        for i in 0..field.count as usize {
            let at = l.offset as usize + i * elem;
            if let Some(dst) = out.get_mut(at..at + elem) {
                for (d, b) in dst.iter_mut().zip(st.rule.bytes(value, elem)) {
                    *d = b;
                }
            }
        }
    }
    out
}

/// A successful value of a result domain.
fn success(d: &Domain) -> u64 {
    match *d {
        Domain::Range { min, max } => (if (min..=max).contains(&0) { 0 } else { min }) as u64,
        Domain::Enum { values } => values.first().map_or(0, |n| n.value as u64),
        Domain::Pointer { nullable, align } => {
            if nullable {
                0
            } else {
                u64::from(align.max(1)) * 0x1000
            }
        }
        Domain::Any | Domain::MustBeZero | Domain::Bits { .. } => 0,
    }
}

/// A general-purpose register the call must preserve (the fault-injection target).
fn preserved_general(abi: &Abi, call: &Call) -> Option<abi_spec::Reg> {
    abi.arch
        .regs()
        .find(|r| r.kind() == RegKind::General && abi.role_after(call, *r) == Role::Preserved)
}

impl Runner for Model {
    fn name(&self) -> &str {
        &self.name
    }

    fn arch(&self) -> Option<abi_spec::Arch> {
        None
    }

    fn availability(&self) -> Result<(), crate::Error> {
        Ok(())
    }

    fn execute(&mut self, plan: &[u8]) -> Execution {
        let start = Instant::now();
        let mut ex = Execution {
            identity: crate::Identity {
                components: vec![crate::ComponentInfo {
                    role: crate::identity::Role::Hypervisor,
                    name: "model".into(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    build: Some(format!("poison={}", self.poison)),
                    source: "hyperabi's reference model (runners/src/model.rs)".into(),
                }],
                machine: None,
                cpu: None,
                accelerator: "in-process".into(),
            },
            ..Execution::default()
        };
        if let Some(f) = self.fault {
            ex.details.push(("fault".into(), f.name().into()));
        }
        let mut records = Vec::new();
        if let Err(message) = self.run_into(plan, &mut records) {
            ex.error = Some(crate::Error::Model { message });
        }
        ex.first_result = Some(start.elapsed());
        ex.records = records;
        ex.elapsed = start.elapsed();
        // Keep the record decoder honest: the model's stream must decode like a guest's.
        debug_assert!(decodes(&ex.records));
        ex
    }
}

fn decodes(records: &[u8]) -> bool {
    let mut r = wire::Reader::new(records);
    while !r.is_empty() {
        if Record::read(&mut r).is_err() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::Fault;
    use strum::{IntoEnumIterator, VariantNames};

    /// The names `--fault` takes and reports write: derived, and still these.
    #[test]
    fn fault_names() {
        let names: Vec<&str> = Fault::iter().map(Fault::name).collect();
        assert_eq!(
            names,
            [
                "clobber-preserved",
                "result-in-wrong-register",
                "ignore-must-be-zero",
                "accept-unknown",
                "raise-exception",
                "caller-disagrees",
                "crash"
            ]
        );
        assert_eq!(Fault::VARIANTS, names.as_slice());
        for f in Fault::iter() {
            assert_eq!(f.name().parse::<Fault>(), Ok(f));
            assert_eq!(f.to_string(), f.name());
        }
        assert!("Crash".parse::<Fault>().is_err());
    }
}
