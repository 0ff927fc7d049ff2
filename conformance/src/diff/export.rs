//! A spec export (`hyperabi spec export --format json`) read back: one owned model of the
//! document, derived from its JSON (names as strings, lists as vectors), which `diff` compares
//! directly.
//!
//! The model's plain types ([`Arch`], [`Trap`], [`Narrow`], [`Role`], [`Presence`], ...) are read
//! as they are; what the model holds as `'static` data (names, lists, register names resolved
//! per arch) is owned here. Register questions (what a register holds after a call) are answered
//! by [`abi_spec::role_after`], the checker's own code, through [`CallRegisters`].

use abi_spec::{
    Arch, CallRegisters, Effect, Narrow, Presence, Reg, Role, RoleRule, SmcccId, Status, Trap,
};
use serde::{Deserialize, Serialize};

/// A spec export document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    /// The format version (checked before the document is read into these types).
    pub format_version: u32,
    /// The ABIs.
    pub abis: Vec<Abi>,
}

/// One exported ABI (see [`abi_spec::Abi`] for what each field means).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Abi {
    /// Stable identifier (`xen-arm64`).
    pub id: String,
    /// A title for people.
    pub title: String,
    /// What the ABI is, in words.
    pub doc: String,
    /// The arch its guests run.
    pub arch: Arch,
    /// The instruction that enters the hypervisor.
    pub trap: Trap,
    /// The registers of the call number.
    pub numbers: Vec<NumberReg>,
    /// Argument registers, in order, by name.
    pub args: Vec<String>,
    /// Result registers, in order, by name.
    pub results: Vec<String>,
    /// Roles of the registers after a call.
    pub rules: Vec<Rule>,
    /// The 32-bit convention on 64-bit registers, if any.
    pub narrow: Option<Narrow>,
    /// The error codes.
    pub errors: Vec<Named>,
    /// What an unknown call number gets, if the spec says.
    pub unknown: Option<Unknown>,
    /// The calls.
    pub calls: Vec<Call>,
    /// The calls whose command argument selects sub-operations (absent from older exports).
    #[serde(default)]
    pub families: Vec<Family>,
    /// The plain calls with a parameter struct (absent from older exports and where none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<CallParam>,
    /// The parameter structs with their layouts (absent from older exports).
    #[serde(default)]
    pub structs: Vec<Struct>,
    /// The revision of the spec the ABI follows.
    pub revision: Option<String>,
    /// The documents the facts come from.
    pub sources: Vec<String>,
}

/// A call whose command argument selects sub-operations (see [`abi_spec::Family`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// The call.
    pub call: String,
    /// Index of the selecting argument.
    pub selector: u8,
    /// The sub-operations.
    pub subops: Vec<SubOp>,
    /// The answer to an unknown selector value, if specified.
    pub unknown: Option<Named>,
    /// The answer to a parameter struct the hypervisor cannot reach, if specified.
    pub fault: Option<Named>,
    /// The struct field that selects, when the selector is not the argument itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Input fields with one value: (field, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<(String, u64)>,
    /// Values of fixed fields from a later implementation version on: (since, field, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed_since: Vec<(String, String, u64)>,
    /// The answer to a fixed field holding another value, if specified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bad_fixed: Option<Named>,
}

/// A plain call's parameter struct (see [`abi_spec::CallParam`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallParam {
    /// The call.
    pub call: String,
    /// The struct, by name.
    pub param: String,
    /// Index of the pointer argument.
    pub pointer: u8,
    /// Index of the argument with the address's upper bits, if split.
    pub high: Option<u8>,
    /// Fixed values of the other arguments: (argument index, value).
    pub args: Vec<(u8, u64)>,
    /// The answer to a struct the hypervisor cannot reach, if specified.
    pub fault: Option<Named>,
}

/// One sub-operation (see [`abi_spec::SubOp`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubOp {
    /// Its name.
    pub name: String,
    /// The selector's value.
    pub number: u64,
    /// Whether every implementation has it.
    pub presence: Presence,
    /// What it does to the caller.
    pub effect: Effect,
    /// Its parameter struct, by name.
    pub param: Option<String>,
    /// Fixed values of the other arguments: (argument index, value).
    pub args: Vec<(u8, u64)>,
    /// Its error codes (empty: the call's).
    pub errors: Vec<Named>,
    /// Where the spec states it.
    pub source: String,
    /// What it does.
    pub doc: String,
}

/// A parameter struct and its layout (see [`abi_spec::StructDef`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Struct {
    /// The C name.
    pub name: String,
    /// The layout rule.
    pub layout: abi_spec::LayoutRule,
    /// `sizeof`.
    pub size: u32,
    /// `alignof`.
    pub align: u32,
    /// The fields with their layout.
    pub fields: Vec<StructField>,
    /// Where the header defines it.
    pub source: String,
    /// What it is.
    pub doc: String,
}

/// One field of an exported struct.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructField {
    /// Its name.
    pub name: String,
    /// Its C (element) type.
    #[serde(rename = "type")]
    pub ty: abi_spec::Scalar,
    /// Elements (1 for a scalar).
    pub count: u32,
    /// Who writes it.
    pub dir: abi_spec::FieldDir,
    /// The values it may hold after the call, if specified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<FieldDomain>,
    /// Byte offset.
    pub offset: u32,
    /// Size in bytes.
    pub size: u32,
    /// Alignment in bytes.
    pub align: u32,
}

/// A struct field's values, inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDomain {
    /// The least.
    pub min: i128,
    /// The greatest.
    pub max: i128,
}

/// A register that carries the call number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberReg {
    /// As the spec names it (`eid`, `fid`).
    pub name: String,
    /// The register, by name.
    pub reg: String,
}

/// A role for a set of registers after a call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The registers.
    pub set: RegSet,
    /// Their role after the trap.
    pub role: Role,
}

/// The registers a [`Rule`] applies to (see [`abi_spec::RegSet`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegSet {
    /// One register, by name.
    Reg(String),
    /// The call-number register(s).
    Number,
    /// The ABI's argument registers that the call passes an argument in.
    UsedArgs,
    /// The ABI's argument registers that the call does not use.
    UnusedArgs,
    /// The ABI's result registers that the call returns nothing in.
    UnusedResults,
    /// Every register not matched by a more specific rule.
    Others,
}

/// A named constant: an error code or an enumerator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    /// As the spec names it.
    pub name: String,
    /// Its value.
    pub value: i64,
}

/// What the hypervisor does with a number it does not implement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unknown {
    /// Returns this error code.
    Error(Named),
    /// Raises this program exception.
    Exception(String),
}

/// One exported call (see [`abi_spec::Call`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// As the spec names it.
    pub name: String,
    /// One value per number register of the ABI.
    pub number: Vec<u64>,
    /// Its arguments, in order.
    pub args: Vec<Param>,
    /// Its results, in order.
    pub results: Vec<Param>,
    /// Error codes the status result may hold.
    pub errors: Vec<Named>,
    /// Whether every implementation has it.
    pub presence: Presence,
    /// Where it is in its life.
    pub status: Status,
    /// What it does to the caller.
    pub effect: Effect,
    /// Overrides the ABI's 32-bit convention for this call.
    pub narrow: Option<Narrow>,
    /// Role rules for this call only.
    pub rules: Vec<Rule>,
    /// The ABI revision that added it.
    pub since: Option<String>,
    /// The SMCCC function-ID fields (absent from older exports).
    #[serde(default)]
    pub smccc: Option<SmcccId>,
    /// The result is a fixed property of the implementation (absent from older exports).
    #[serde(default)]
    pub stable: bool,
    /// For a disruptive call, what it would do to the test guest (absent when unsaid).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub disruption: String,
    /// Where the spec states it.
    pub source: String,
    /// What it does.
    pub doc: String,
}

/// An argument or a result of a call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// As the spec names it.
    pub name: String,
    /// The register it travels in, by name.
    pub reg: String,
    /// The values it may take or hold.
    pub domain: Domain,
}

/// The values an argument may take or a result may hold (see [`abi_spec::Domain`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Domain {
    /// Any value of the register's width.
    Any,
    /// An inclusive range.
    Range {
        /// The lowest value.
        #[serde(deserialize_with = "bound")]
        min: i128,
        /// The highest value.
        #[serde(deserialize_with = "bound")]
        max: i128,
    },
    /// One of these values.
    Enum {
        /// The values, named.
        values: Vec<Named>,
    },
    /// Reserved: must be zero.
    MustBeZero,
    /// Only the bits in `mask` may be set.
    Bits {
        /// The bits that may be set.
        mask: u64,
    },
    /// A guest address.
    Pointer {
        /// Its alignment in bytes.
        align: u32,
        /// Whether null is allowed.
        nullable: bool,
    },
}

/// A range bound: any integer from `i64::MIN` to `u64::MAX`.
fn bound<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "range bound {n} is not an integer from i64::MIN to u64::MAX"
            ))
        })
}

impl Domain {
    /// The model's domain, for every kind but an enumeration (whose values the model holds as
    /// `'static` data).
    pub fn plain(&self) -> Option<abi_spec::Domain> {
        Some(match *self {
            Domain::Any => abi_spec::Domain::Any,
            Domain::Range { min, max } => abi_spec::Domain::Range { min, max },
            Domain::Enum { .. } => return None,
            Domain::MustBeZero => abi_spec::Domain::MustBeZero,
            Domain::Bits { mask } => abi_spec::Domain::Bits { mask },
            Domain::Pointer { align, nullable } => abi_spec::Domain::Pointer { align, nullable },
        })
    }

    /// Whether `value`, read at `bits` width, lies in the domain ([`abi_spec::Domain::contains`]).
    pub fn contains(&self, value: u64, bits: u8) -> bool {
        match (self, self.plain()) {
            (_, Some(d)) => d.contains(value, bits),
            (Domain::Enum { values }, None) => {
                abi_spec::abi::enum_contains(values.iter().map(|n| n.value), value, bits)
            }
            (_, None) => unreachable!("only an enumeration has no plain form"),
        }
    }

    /// The domain in a few words, as the reference pages write it
    /// ([`crate::spec_md::domain_short`]).
    pub fn short(&self) -> String {
        match (self, self.plain()) {
            (_, Some(d)) => crate::spec_md::domain_short(&d),
            (Domain::Enum { values }, None) if values.len() <= 3 => {
                let v: Vec<&str> = values.iter().map(|n| n.name.as_str()).collect();
                format!("one of {}", v.join(", "))
            }
            (Domain::Enum { values }, None) => format!("one of {} values", values.len()),
            (_, None) => unreachable!("only an enumeration has no plain form"),
        }
    }
}

/// The canonical name of the register `name` on `arch` (an alias such as `ip0` reads as `x16`);
/// a name the arch lacks as it is (a checked export has none).
pub fn canonical(arch: Arch, name: &str) -> &str {
    arch.reg(name).map_or(name, |r| r.name())
}

impl Abi {
    /// The call named `name`.
    pub fn call(&self, name: &str) -> Option<&Call> {
        self.calls.iter().find(|c| c.name == name)
    }

    /// The 32-bit convention in force for `call`, if any.
    pub fn narrow_for(&self, call: &Call) -> Option<Narrow> {
        call.narrow.or(self.narrow)
    }

    /// The width in bits at which `call`'s arguments and results are read.
    pub fn width_for(&self, call: &Call) -> u8 {
        self.narrow_for(call)
            .map_or(self.arch.gpr_bits(), |n| n.bits)
    }

    /// Whether `reg` is the register `name` names.
    fn is(&self, name: &str, reg: Reg) -> bool {
        self.arch.reg(name) == Some(reg)
    }

    /// What `reg` must hold after `call` returns: [`abi_spec::role_after`], as the checker
    /// decides it.
    pub fn role_after(&self, call: &Call, reg: Reg) -> Role {
        abi_spec::role_after(&CallOf { abi: self, call }, reg)
    }
}

/// An exported ABI with one of its calls, as [`abi_spec::role_after`] reads them.
struct CallOf<'a> {
    abi: &'a Abi,
    call: &'a Call,
}

impl CallRegisters for CallOf<'_> {
    fn rules(&self) -> impl Iterator<Item = RoleRule> + '_ {
        let arch = self.abi.arch;
        self.call
            .rules
            .iter()
            .chain(&self.abi.rules)
            .filter_map(move |r| {
                let set = match &r.set {
                    // A name the arch lacks matches no register (a checked export has none).
                    RegSet::Reg(name) => abi_spec::RegSet::Reg(arch.reg(name)?),
                    RegSet::Number => abi_spec::RegSet::Number,
                    RegSet::UsedArgs => abi_spec::RegSet::UsedArgs,
                    RegSet::UnusedArgs => abi_spec::RegSet::UnusedArgs,
                    RegSet::UnusedResults => abi_spec::RegSet::UnusedResults,
                    RegSet::Others => abi_spec::RegSet::Others,
                };
                Some(RoleRule { set, role: r.role })
            })
    }
    fn is_number(&self, reg: Reg) -> bool {
        self.abi.numbers.iter().any(|n| self.abi.is(&n.reg, reg))
    }
    fn is_abi_arg(&self, reg: Reg) -> bool {
        self.abi.args.iter().any(|n| self.abi.is(n, reg))
    }
    fn is_abi_result(&self, reg: Reg) -> bool {
        self.abi.results.iter().any(|n| self.abi.is(n, reg))
    }
    fn is_call_arg(&self, reg: Reg) -> bool {
        self.call.args.iter().any(|a| self.abi.is(&a.reg, reg))
    }
    fn is_call_result(&self, reg: Reg) -> bool {
        self.call.results.iter().any(|r| self.abi.is(&r.reg, reg))
    }
}

/// What is wrong with an export's meaning, and where: the path inside the document
/// (`abis[0] (`xen-arm64`).calls[3] (`console_io`).args[1].reg`) and the problem.
pub type Bad = (String, String);

impl Export {
    /// Checks what the JSON types cannot say: unique ABI ids and call names, register names of
    /// the ABI's arch, traps that exist on it, one number value per number register.
    pub fn check(&self) -> Result<(), Bad> {
        for (i, abi) in self.abis.iter().enumerate() {
            let at = |(place, message): Bad| (format!("abis[{i}] (`{}`){place}", abi.id), message);
            if self.abis[..i].iter().any(|a| a.id == abi.id) {
                return Err(at((
                    String::new(),
                    format!("ABI `{}` appears twice", abi.id),
                )));
            }
            abi.check().map_err(at)?;
        }
        Ok(())
    }
}

impl Abi {
    fn check(&self) -> Result<(), Bad> {
        let arch = self.arch;
        let reg = |name: &str, place: String| -> Result<(), Bad> {
            match arch.reg(name) {
                Some(_) => Ok(()),
                None => Err((place, format!("`{name}` is not a register of {arch}"))),
            }
        };
        let rules = |rules: &[Rule], place: &str| -> Result<(), Bad> {
            for (i, r) in rules.iter().enumerate() {
                if let RegSet::Reg(name) = &r.set {
                    reg(name, format!("{place}[{i}].set.reg"))?;
                }
            }
            Ok(())
        };
        if !self.trap.valid_for(arch) {
            return Err((
                ".trap".into(),
                format!("trap `{}` does not exist on {arch}", self.trap.keyword()),
            ));
        }
        for (i, n) in self.numbers.iter().enumerate() {
            reg(&n.reg, format!(".numbers[{i}].reg"))?;
        }
        for (what, names) in [("args", &self.args), ("results", &self.results)] {
            for (i, n) in names.iter().enumerate() {
                reg(n, format!(".{what}[{i}]"))?;
            }
        }
        rules(&self.rules, ".rules")?;
        for (ci, c) in self.calls.iter().enumerate() {
            let cp = format!(".calls[{ci}] (`{}`)", c.name);
            if self.calls[..ci].iter().any(|o| o.name == c.name) {
                return Err((cp, format!("call `{}` appears twice", c.name)));
            }
            if c.number.len() != self.numbers.len() {
                return Err((
                    format!("{cp}.number"),
                    format!(
                        "{} number values for {} number registers",
                        c.number.len(),
                        self.numbers.len()
                    ),
                ));
            }
            for (what, params) in [("args", &c.args), ("results", &c.results)] {
                for (i, p) in params.iter().enumerate() {
                    reg(&p.reg, format!("{cp}.{what}[{i}].reg"))?;
                }
            }
            rules(&c.rules, &format!("{cp}.rules"))?;
        }
        Ok(())
    }
}
