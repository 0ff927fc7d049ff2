//! The JSON export of ABIs (`hyperabi spec export --format json`).
//!
//! Registers are written by name and numbers as plain integers, so the export reads like the
//! spec; `format_version` leads the document so readers can reject what they do not know.

use serde::ser::{Serialize, SerializeMap, Serializer};

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
