//! The canonical report: what a run observed and concluded, per target and per case. JSON is
//! the source of truth; JUnit, TAP, Markdown and HTML are derived from it (and can be re-derived
//! later with `hyperabi report`).
//!
//! Register values are written as `0x`-prefixed hex strings: exact for all 64 bits in every JSON
//! reader (a JavaScript number is not), and how a hypervisor engineer reads them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole run: one or more targets, each with its cases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The report format (see `json::FORMAT_VERSION`).
    pub format_version: u32,
    /// `hyperabi <version>`.
    pub tool: String,
    /// The plan seed: `--seed` reproduces the run's generated cases exactly.
    #[serde(with = "hex")]
    pub seed: u64,
    /// Generated cases per call (`--cases`).
    pub cases_per_call: u32,
    /// Set when this report is one shard of a partitioned run (`--shard i/n`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// One entry per target, in `--target` order.
    pub targets: Vec<TargetRun>,
}

/// `--shard index/count`, 1-based index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    /// How many shards the plan was cut into.
    pub count: u32,
}

/// Everything about one target's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRun {
    /// The target name as given to `--target` (`model`, `qemu-aarch64`, `xen-arm64-debug`).
    pub target: String,
    /// What the target is.
    pub identity: Identity,
    /// Whether it ran its plan.
    pub outcome: RunOutcome,
    /// How long each phase took.
    pub timings: Timings,
    /// Every case that did not pass and, when passes are summarised, an example pass per call; otherwise every case, in id order.
    pub cases: Vec<CaseResult>,
    /// Set when passing cases are summarised (the default of `hyperabi run`; `--full` keeps
    /// every case in `cases`): per call, the passing cases left out of `cases`. `cases` still
    /// holds every case that did not pass, and per call its documented-values case and at least
    /// one passing example, so a baseline blessed from the report is the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<Vec<PassedCall>>,
    /// Set when known failures are summarised (the default of `hyperabi run`): per group of
    /// known failures (ABI, call, violation kinds, reason), the cases left out of `cases`.
    /// `cases` still holds every new failure, the first few cases of each group at full detail
    /// and every documented-values case, so a baseline blessed from the report is the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_failures: Option<Vec<KnownGroup>>,
    /// Per call, how often each may-clobber register was observed changed (a debug hypervisor's
    /// poisoning made visible).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clobbers: Vec<ClobberStat>,
    /// Per execution path (probe, Rust caller, C stub, assembly stub), how many cases it ran and
    /// how many of those agreed with the probe; empty when only the probe ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathStat>,
    /// Per ABI, how much of its spec the run exercised: register rules, sub-operations, error
    /// codes and struct fields (empty when the target ran nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<AbiCoverage>,
    /// The target's raw console output, kept whole (also when the run broke).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console_log: Option<String>,
}

/// How much of one ABI's spec a target's run exercised, so that a green run says what it did
/// not check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbiCoverage {
    /// The ABI id.
    pub abi: String,
    /// Register rules: the ABI's (named `set role`) and each call's own (`call: set role`),
    /// exercised when a case of a call for which the rule decides a register returned (the
    /// probe checked the registers it decides).
    pub rules: Coverage,
    /// Sub-operations of the ABI's families: exercised when a case selecting it returned.
    /// Named `call/SUBOP`.
    pub subops: Coverage,
    /// Error codes the spec says something answers (the unknown-number answer, the calls',
    /// the families' and sub-operations'; not the ABI's whole table of names): exercised when
    /// a returned case's status result carried the code.
    pub errors: Coverage,
    /// Fields of the ABI's parameter structs: an output field is exercised when the hypervisor
    /// wrote a byte of it, an input or reserved field when a struct record came back (the
    /// checker saw it left alone). Named `struct.field`.
    pub fields: Coverage,
}

/// One dimension of [`AbiCoverage`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// How many of the declared items the run exercised.
    pub exercised: u32,
    /// How many the spec declares.
    pub declared: u32,
    /// The declared items the run did not exercise, in spec order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missed: Vec<String>,
}

impl Coverage {
    /// `12/14`, or `-` when the spec declares none.
    pub fn fraction(&self) -> String {
        if self.declared == 0 {
            "-".into()
        } else {
            format!("{}/{}", self.exercised, self.declared)
        }
    }
}

impl AbiCoverage {
    /// Items exercised and declared over the four dimensions.
    pub fn totals(&self) -> (u32, u32) {
        self.dimensions()
            .iter()
            .fold((0, 0), |(e, d), (_, c)| (e + c.exercised, d + c.declared))
    }

    /// The first `n` items the run did not exercise, over the dimensions in order, and how many
    /// more there are.
    pub fn missed_sample(&self, n: usize) -> (Vec<&str>, usize) {
        let all: Vec<&str> = self
            .dimensions()
            .into_iter()
            .flat_map(|(_, c)| c.missed.iter().map(String::as_str))
            .collect();
        let more = all.len().saturating_sub(n);
        (all.into_iter().take(n).collect(), more)
    }

    /// The four dimensions with their titles, in report order.
    pub fn dimensions(&self) -> [(&'static str, &Coverage); 4] {
        [
            ("register rules", &self.rules),
            ("sub-operations", &self.subops),
            ("error codes", &self.errors),
            ("struct fields", &self.fields),
        ]
    }
}

/// What the target is, as far as the runner and the guest could tell.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// `xen`, `qemu` (its firmware services), `model`.
    pub hypervisor: String,
    /// Its version, as it reports it.
    pub version: String,
    /// The arch (or arches) it runs.
    pub arch: String,
    /// `tcg`, `kvm`, `in-process`.
    pub accelerator: String,
    /// The machine the run happened on.
    pub host: String,
    /// What ran, each component as its own banner names it (QEMU, firmware, hypervisor), with
    /// the Debian packages it came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<runners::ComponentInfo>,
    /// Everything else discovered: machine, cpu, the answers of `#[stable]` calls
    /// (`psci_version`, `sbi_impl_id`), firmware banner lines.
    #[serde(default)]
    pub details: BTreeMap<String, String>,
}

/// Whether the target ran its plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
#[strum(serialize_all = "snake_case")]
pub enum RunOutcome {
    /// Every case of the plan was executed (each case has its own verdict).
    Completed,
    /// The environment broke: QEMU died, the guest crashed or hung, the stream was corrupt.
    /// Cases executed before the break are kept; the rest are `error`.
    Error {
        /// What broke.
        reason: String,
    },
    /// The target cannot run on this machine (and how to make it run).
    Unavailable {
        /// Why, and how to make it available.
        reason: String,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// How long the phases of a target's run took, in milliseconds.
pub struct Timings {
    /// Planning the cases.
    pub plan_ms: f64,
    /// From starting the target (e.g. launching QEMU) to the last result.
    pub run_ms: f64,
    /// Checking the observations.
    pub check_ms: f64,
    /// From starting the target to its first result, when the runner can tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_result_ms: Option<f64>,
}

/// One executed (or not executed) case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseResult {
    /// Position in the unsharded plan: stable across shards and reruns with the same seed.
    pub id: u32,
    /// ABI id.
    pub abi: String,
    /// Call name (`<unknown>` for an unknown number).
    pub call: String,
    #[serde(with = "hex_vec")]
    /// The call number as issued.
    pub number: Vec<u64>,
    /// Fixed, generated or edge.
    pub kind: CaseKind,
    /// What the case is for, in words (`unknown number 0x12`, `mbz argument flags = 0x1`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Which path ran: the full-register probe or the generated caller.
    pub path: ExecPath,
    /// The arguments it was run with.
    pub args: Vec<NamedValue>,
    /// How it ended.
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// What a failing case broke.
    pub violations: Vec<ViolationReport>,
    /// What came back: result registers, or the exception taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Observed>,
    /// Why the case errored or was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Set by a baseline comparison: the failure is known, with the baseline's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<String>,
    /// Set when a failing generated case was shrunk: the arguments it was found with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shrunk_from: Option<Vec<NamedValue>>,
    #[serde(default)]
    /// How long it ran.
    pub duration_ns: u64,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
/// Where a case comes from.
pub enum CaseKind {
    /// Written in (or derived one-to-one from) the spec: each call with its documented values.
    Fixed,
    /// Drawn from the argument domains by the seeded generator.
    Generated,
    /// Derived from the spec to probe its edges: unknown numbers, must-be-zero set, all-ones,
    /// junk in ignored upper bits.
    Edge,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
/// How a case was run.
pub enum ExecPath {
    /// The register-clobber probe: every register poisoned, set and captured.
    Probe,
    /// The generated inline-asm caller (Rust), compared with the probe.
    Caller,
    /// The generated C header's `static inline` function (`stubs/<abi>.h`), compared with the
    /// probe.
    CStub,
    /// The generated assembly stub (`stubs/<abi>.S`), compared with the probe.
    AsmStub,
}

/// One execution path's count on one target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathStat {
    /// The path.
    pub path: ExecPath,
    /// Cases the path ran (for the probe: cases with an answer).
    pub ran: u32,
    /// Of those, the cases it agreed with the probe on: the same status, the same exception,
    /// every value kept live across a stub intact (for the probe: cases whose own observation
    /// kept the contract).
    pub agreed: u32,
    /// Cases the guest could not run through this path (no stub linked for the ABI).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unavailable: u32,
    /// Cases that asked for the path and got no answer from it (a backend without it).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub missing: u32,
    /// What built the path into the guest, or why it is unavailable, as the guest says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// How one case ended.
pub enum Verdict {
    /// The answer kept every rule of the contract.
    Pass,
    /// The hypervisor broke the ABI: see `violations`.
    Fail,
    /// The environment broke before this case had an answer: see `reason`.
    Error,
    /// Not run, on purpose: see `reason` (never used for an unavailable target under CI).
    Skip,
}

/// A named value: an argument or a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedValue {
    /// As the spec names it.
    pub name: String,
    #[serde(with = "hex")]
    /// The value.
    pub value: u64,
}

/// The answer the target gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observed {
    /// The call's result registers after the trap, by result name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<NamedValue>,
    /// The exception the trap raised instead of returning (`undefined instruction`,
    /// `specification`), with its code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
}

/// One broken rule of the register contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViolationReport {
    /// `preserved_changed`, `result_out_of_domain`, `result_in_wrong_register`, `upper_bits`,
    /// `unexpected_exception`, `missing_exception`, `caller_mismatch`, `not_zero_or_preserved`.
    pub kind: String,
    /// Register name as the spec spells it (`x16`, `rax`), or `-` for a whole-trap violation.
    pub register: String,
    /// What the spec says the register is after the trap (`preserved`, `result`, ...).
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "hex_opt")]
    /// The register before the trap.
    pub before: Option<u64>,
    /// What the spec allowed, in words (`0x0`, `one of NOT_SUPPORTED(-1), 0..=2`).
    pub expected: String,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "hex_opt")]
    /// The register after the trap.
    pub observed: Option<u64>,
    /// The whole finding as one sentence.
    pub message: String,
    /// The path that saw it, when not the probe (a stub or the Rust caller disagreeing with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<ExecPath>,
}

/// The passing cases of one call that a summarised report does not list one by one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassedCall {
    /// The ABI id.
    pub abi: String,
    /// The call name.
    pub call: String,
    /// How many cases passed (and are not in `cases`).
    pub cases: u32,
    /// Their case ids as ranges, `0-15,17,20-31`: with the seed, each one can be rerun.
    pub ids: String,
    /// Their execution time, summed.
    #[serde(default)]
    pub duration_ns: u64,
}

/// Known failures of one group (same ABI, call, violation kinds and baseline reason) that a
/// summarised report does not list one by one: their examples are in `cases`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownGroup {
    /// The ABI id.
    pub abi: String,
    /// The call name.
    pub call: String,
    /// The violation kinds of each of these cases, `+`-joined in first-seen order
    /// (`preserved_changed+upper_bits`).
    pub kinds: String,
    /// The baseline's reason (the `known` of each case).
    pub reason: String,
    /// How many cases (not in `cases`).
    pub cases: u32,
    /// Their case ids as ranges, `0-15,17`: with the seed, each one can be rerun.
    pub ids: String,
    /// Their execution time, summed.
    #[serde(default)]
    pub duration_ns: u64,
}

/// How often a may-clobber register was seen changed by one call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClobberStat {
    /// ABI id.
    pub abi: String,
    /// Call name.
    pub call: String,
    /// The register.
    pub register: String,
    /// Cases in which the register changed.
    pub changed: u32,
    /// Cases of this call that returned.
    pub of: u32,
    /// A value it was changed to, e.g. a debug Xen's poison `0xdeadbeef`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "hex_opt")]
    pub example: Option<u64>,
}

/// Verdict counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Passes.
    pub pass: u32,
    /// Failures, known ones included.
    pub fail: u32,
    /// Case errors.
    pub error: u32,
    /// Skipped cases.
    pub skip: u32,
    /// Failures a baseline knows about (counted in `fail` too).
    pub known: u32,
}

impl Summary {
    /// The counts of `cases`.
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a CaseResult>) -> Summary {
        let mut s = Summary::default();
        for c in cases {
            match c.verdict {
                Verdict::Pass => s.pass += 1,
                Verdict::Fail => s.fail += 1,
                Verdict::Error => s.error += 1,
                Verdict::Skip => s.skip += 1,
            }
            if c.known.is_some() {
                s.known += 1;
            }
        }
        s
    }

    /// Every case counted.
    pub fn total(&self) -> u32 {
        self.pass + self.fail + self.error + self.skip
    }
}

impl TargetRun {
    /// Verdict counts of the target's cases, summarised passes and known failures included.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::of(&self.cases);
        s.pass += self.passed_count();
        s.fail += self.known_count();
        s.known += self.known_count();
        s
    }

    /// Passing cases summarised in `passed` (not in `cases`).
    pub fn passed_count(&self) -> u32 {
        self.passed.iter().flatten().map(|p| p.cases).sum()
    }

    /// Known failures summarised in `known_failures` (not in `cases`).
    pub fn known_count(&self) -> u32 {
        self.known_failures.iter().flatten().map(|k| k.cases).sum()
    }
}

impl Report {
    /// Spec coverage items exercised and declared over every target and ABI.
    pub fn coverage_totals(&self) -> (u32, u32) {
        self.targets
            .iter()
            .flat_map(|t| &t.coverage)
            .map(AbiCoverage::totals)
            .fold((0, 0), |(e, d), (a, b)| (e + a, d + b))
    }

    /// Verdict counts of every target, summarised cases included.
    pub fn summary(&self) -> Summary {
        let mut total = Summary::default();
        for t in &self.targets {
            let s = t.summary();
            total.pass += s.pass;
            total.fail += s.fail;
            total.error += s.error;
            total.skip += s.skip;
            total.known += s.known;
        }
        total
    }
}

/// `u64` as a `0x`-prefixed hex string (decimal strings and plain numbers accepted on input).
pub mod hex {
    use serde::{de, Deserializer, Serializer};

    /// Writes `0x..`.
    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:#x}"))
    }

    /// Reads `0x1f`, `31`, `-1` or a JSON number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        d.deserialize_any(Value)
    }

    /// A hex or decimal string, or a JSON number that fits in 64 unsigned bits; anything else
    /// is named as what it is (an untagged enum would only say that no variant matched).
    struct Value;

    impl de::Visitor<'_> for Value {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a 64-bit value (hex string like \"0x1f\", or a number 0 to 2^64-1)")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| {
                E::custom(format!(
                    "{v} is negative, not a 64-bit value (write it as a hex string, e.g. \"{:#x}\")",
                    v as u64
                ))
            })
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
            Err(E::custom(format!("{v} is not a whole 64-bit value")))
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<u64, E> {
            parse(s).map_err(E::custom)
        }
    }

    /// Parses `0x1f`, `31` or `-1` (as the 64-bit two's complement).
    pub fn parse(s: &str) -> Result<u64, String> {
        let t = s.trim();
        let parsed = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            u64::from_str_radix(&h.replace('_', ""), 16).ok()
        } else if let Some(n) = t.strip_prefix('-') {
            n.parse::<u64>()
                .ok()
                .filter(|v| *v <= 1 << 63)
                .map(|v| v.wrapping_neg())
        } else {
            t.parse::<u64>().ok()
        };
        parsed.ok_or_else(|| {
            format!("`{s}` is not a 64-bit value (expected hex like 0x1f or decimal)")
        })
    }
}

/// `Option<u64>` as an optional hex string.
pub mod hex_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `0x..` or null.
    pub fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => super::hex::serialize(v, s),
            None => s.serialize_none(),
        }
    }

    /// Reads an optional value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "super::hex")] u64);
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

/// `Vec<u64>` as hex strings.
pub mod hex_vec {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `["0x..", ...]`.
    pub fn serialize<S: Serializer>(v: &[u64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|v| format!("{v:#x}")))
    }

    /// Reads a list of values.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "super::hex")] u64);
        Ok(Vec::<Wrap>::deserialize(d)?
            .into_iter()
            .map(|w| w.0)
            .collect())
    }
}
