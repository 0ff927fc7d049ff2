//! The JSON export of ABIs (`hyperabi spec export --format json`).
//!
//! Registers are written by name and numbers as plain integers, so the export reads like the
//! spec; `format_version` leads the document so readers can reject what they do not know.

use serde::de::{Deserializer, Error as _};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde::Deserialize;

use crate::{Abi, Reg, Trap, FORMAT_VERSION};

impl Serialize for Reg {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl Serialize for Trap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let imm = self.immediate();
        let mut m = s.serialize_map(Some(2 + imm.is_some() as usize))?;
        m.serialize_entry("kind", self.keyword())?;
        if let Some(imm) = imm {
            let key = if matches!(self, Trap::HypercallPage { .. }) {
                "stride"
            } else {
                "immediate"
            };
            m.serialize_entry(key, &imm)?;
        }
        m.serialize_entry("asm", &std::format!("{self}"))?;
        m.end()
    }
}

/// The inverse of the `Serialize` impl: `kind`, and `immediate` (or `stride` for `page`) where the
/// instruction takes one, within what its encoding carries; `asm` is derived and not read.
/// Whether the trap exists on the ABI's arch is for the reader of the whole ABI to check.
impl<'de> Deserialize<'de> for Trap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            kind: std::string::String,
            #[serde(default)]
            immediate: Option<u64>,
            #[serde(default)]
            stride: Option<u64>,
            #[serde(default, rename = "asm")]
            _asm: Option<serde::de::IgnoredAny>,
        }
        let raw = Raw::deserialize(d)?;
        let kind = raw.kind.as_str();
        let fail = |m: std::string::String| Err(D::Error::custom(m));
        const KINDS: [&str; 10] = [
            "hvc", "smc", "vmcall", "vmmcall", "syscall", "int", "page", "diag", "sc", "ecall",
        ];
        if !KINDS.contains(&kind) {
            return fail(std::format!(
                "unknown trap `{kind}`; expected one of {}",
                KINDS.join(", ")
            ));
        }
        let (key, value, stray) = if kind == "page" {
            ("stride", raw.stride, raw.immediate.map(|_| "immediate"))
        } else {
            ("immediate", raw.immediate, raw.stride.map(|_| "stride"))
        };
        if let Some(stray) = stray {
            return fail(std::format!("trap `{kind}` takes no `{stray}`"));
        }
        let v = match (Trap::max_immediate(kind), value) {
            (Some(_), None) => {
                let a = if key == "immediate" { "an" } else { "a" };
                return fail(std::format!("trap `{kind}` needs {a} `{key}`"));
            }
            (Some(max), Some(v)) => {
                let min = u64::from(kind == "page");
                if v < min || v > max {
                    return fail(std::format!(
                        "{key} {v:#x} of `{kind}` is out of range ({min} to {max:#x})"
                    ));
                }
                v
            }
            (None, Some(_)) => return fail(std::format!("trap `{kind}` takes no `{key}`")),
            (None, None) => 0,
        };
        Ok(match kind {
            "hvc" => Trap::Hvc(v as u16),
            "smc" => Trap::Smc(v as u16),
            "int" => Trap::Int(v as u8),
            "page" => Trap::HypercallPage { stride: v as u16 },
            "diag" => Trap::Diag(v as u16),
            "sc" => Trap::Sc(v as u8),
            "vmcall" => Trap::Vmcall,
            "vmmcall" => Trap::Vmmcall,
            "syscall" => Trap::Syscall,
            _ => Trap::Ecall,
        })
    }
}

/// A spec export document: one or more ABIs.
#[derive(serde::Serialize)]
pub struct SpecExport<'a> {
    /// The export format (`FORMAT_VERSION`).
    pub format_version: u32,
    /// The ABIs.
    pub abis: &'a [&'a Abi],
}

impl<'a> SpecExport<'a> {
    /// An export of `abis`.
    pub fn new(abis: &'a [&'a Abi]) -> Self {
        SpecExport {
            format_version: FORMAT_VERSION,
            abis,
        }
    }
}
