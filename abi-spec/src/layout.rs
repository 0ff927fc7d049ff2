//! Parameter structs and sub-operations.
//!
//! Many hypercalls are families: a command argument selects a sub-operation, and most
//! sub-operations take a pointer to a parameter struct (Xen's `memory_op`, `grant_table_op`,
//! `sched_op`, ...). A [`Family`] names the selecting argument and lists its [`SubOp`]s, each with
//! its own effect (a family of mostly disruptive commands may hold harmless queries) and the
//! [`StructDef`] its pointer argument points to.
//!
//! Structs are declared once, with C field types; their layout is computed here from the ABI's
//! [`LayoutRule`], so that the same declaration yields the AAPCS64 layout for Xen on Arm (whatever
//! the guest's width: Xen's public headers make every handle and `xen_ulong_t` 64 bits there),
//! the LP64 layout of x86_64 and the i386 layout of 32-bit x86 guests (8-byte integers aligned
//! to 4, 4-byte handles and longs).

use crate::abi::{Effect, Named, Presence};

/// How C lays out a struct on an ABI: sizes and alignments of the scalar types.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum LayoutRule {
    /// AAPCS64 (Arm's 64-bit procedure call standard): natural alignment, 8-byte `long` and
    /// handles. Xen uses it for every Arm guest, 32-bit ones included ("where there is a
    /// conflict the 64-bit standard should be used regardless of guest type").
    Aapcs64,
    /// The x86_64 System V (LP64) layout: natural alignment, 8-byte `long` and pointers.
    Lp64,
    /// The i386 System V layout: 4-byte `long` and pointers, 8-byte integers aligned to 4.
    Ilp32,
    /// The 64-bit PowerPC ELF ABI, big-endian: natural alignment, 8-byte `long` and pointers
    /// (LP64), and every multi-byte field most significant byte first. PAPR's RTAS argument
    /// buffer is big-endian words whatever the caller's mode.
    Ppc64,
}

impl LayoutRule {
    /// The DSL keyword (`aapcs64`, `lp64`, `ilp32`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Whether multi-byte fields are stored most significant byte first (`ppc64`).
    pub const fn big_endian(self) -> bool {
        matches!(self, LayoutRule::Ppc64)
    }

    /// The scalar `bytes` (at most 8) read in this rule's byte order.
    pub fn read(self, bytes: &[u8]) -> u64 {
        let fold = |acc: u64, &b: &u8| (acc << 8) | u64::from(b);
        if self.big_endian() {
            bytes.iter().fold(0, fold)
        } else {
            bytes.iter().rev().fold(0, fold)
        }
    }

    /// The low `size` bytes (at most 8) of `v` in this rule's byte order.
    pub fn bytes(self, v: u64, size: usize) -> impl Iterator<Item = u8> {
        let le = v.to_le_bytes();
        let big = self.big_endian();
        (0..size.min(8)).map(move |i| le[if big { size.min(8) - 1 - i } else { i }])
    }
}

/// The C type of a struct field (or of an array's elements).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Scalar {
    /// `uint8_t`
    U8,
    /// `uint16_t` (`domid_t`)
    U16,
    /// `uint32_t`
    U32,
    /// `uint64_t`
    U64,
    /// `int8_t`
    I8,
    /// `int16_t`
    I16,
    /// `int32_t`
    I32,
    /// `int64_t`
    I64,
    /// `unsigned long` / `xen_ulong_t`: the layout rule's long.
    Ulong,
    /// A guest handle (`XEN_GUEST_HANDLE(T)`): a pointer, 64 bits on Arm whatever the guest.
    Handle,
    /// `uint64_aligned_t` (Xen's control interfaces): `uint64_t` aligned to 8 under every rule,
    /// i386's too.
    #[strum(serialize = "u64_aligned")]
    #[cfg_attr(feature = "serde", serde(rename = "u64_aligned"))]
    U64Aligned,
}

impl Scalar {
    /// Its size in bytes under `rule`.
    pub const fn size(self, rule: LayoutRule) -> u32 {
        match self {
            Scalar::U8 | Scalar::I8 => 1,
            Scalar::U16 | Scalar::I16 => 2,
            Scalar::U32 | Scalar::I32 => 4,
            Scalar::U64 | Scalar::I64 | Scalar::U64Aligned => 8,
            Scalar::Ulong | Scalar::Handle => match rule {
                LayoutRule::Aapcs64 | LayoutRule::Lp64 | LayoutRule::Ppc64 => 8,
                LayoutRule::Ilp32 => 4,
            },
        }
    }

    /// Its alignment in bytes under `rule`.
    pub const fn align(self, rule: LayoutRule) -> u32 {
        let size = self.size(rule);
        match rule {
            LayoutRule::Ilp32 if size > 4 && !matches!(self, Scalar::U64Aligned) => 4,
            _ => size,
        }
    }

    /// Whether it is signed (values are read sign-extended).
    pub const fn signed(self) -> bool {
        matches!(self, Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64)
    }

    /// The DSL keyword (`u32`, `handle`, ...).
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// Who writes a struct field.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum FieldDir {
    /// The caller fills it; the hypervisor only reads it.
    In,
    /// The hypervisor fills it whenever the call succeeds (checked: a success that leaves it
    /// untouched fails the case).
    Out,
    /// The hypervisor fills it in some answers only (Xen's `evtchn_status.u`, written for a
    /// bound port and left alone for a closed one).
    MaybeOut,
    /// The caller fills it and the hypervisor may update it.
    InOut,
    /// Reserved: the caller must zero it, the hypervisor neither reads nor writes it.
    Reserved,
}

impl FieldDir {
    /// The DSL keyword.
    pub fn into_str(self) -> &'static str {
        self.into()
    }

    /// Whether the hypervisor may write it (`out`, `maybe_out`, `in_out`).
    pub fn written_by_hypervisor(self) -> bool {
        matches!(self, FieldDir::Out | FieldDir::MaybeOut | FieldDir::InOut)
    }
}

/// One field of a parameter struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FieldDef {
    /// As the header names it.
    pub name: &'static str,
    /// Its C type (the element type of an array).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub ty: Scalar,
    /// Elements: 1 for a scalar, N for `[T; N]`.
    pub count: u32,
    /// Who writes it.
    pub dir: FieldDir,
    /// The values it may hold after the call, inclusive (each element of an array; read
    /// sign-extended for signed types), if the spec says.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub domain: Option<(i128, i128)>,
}

/// Where a field lies in its struct under a layout rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FieldLayout {
    /// Byte offset from the start of the struct.
    pub offset: u32,
    /// Size in bytes (all elements of an array).
    pub size: u32,
    /// Alignment in bytes.
    pub align: u32,
}

impl FieldDef {
    /// Its size in bytes under `rule`.
    pub const fn size(&self, rule: LayoutRule) -> u32 {
        self.ty.size(rule) * self.count
    }
}

/// A parameter struct, declared once per ABI family and laid out by `rule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StructDef {
    /// The C name without `struct` (`xen_memory_reservation`).
    pub name: &'static str,
    /// The layout rule of the ABI that declares it.
    pub rule: LayoutRule,
    /// The fields, in declaration order.
    pub fields: &'static [FieldDef],
    /// Where the header defines it.
    pub source: &'static str,
    /// What it is.
    pub doc: &'static str,
}

const fn round_up(v: u32, align: u32) -> u32 {
    v.div_ceil(align) * align
}

impl StructDef {
    /// The layout of every field, in declaration order.
    pub fn layouts(&self) -> impl Iterator<Item = (&'static FieldDef, FieldLayout)> + '_ {
        let rule = self.rule;
        let mut at = 0u32;
        self.fields.iter().map(move |f| {
            let align = f.ty.align(rule);
            let offset = round_up(at, align);
            let size = f.size(rule);
            at = offset + size;
            (
                f,
                FieldLayout {
                    offset,
                    size,
                    align,
                },
            )
        })
    }

    /// The layout of the field named `name`.
    pub fn field(&self, name: &str) -> Option<(&'static FieldDef, FieldLayout)> {
        self.layouts().find(|(f, _)| f.name == name)
    }

    /// The struct's alignment: its most aligned field's.
    pub fn align(&self) -> u32 {
        self.fields
            .iter()
            .map(|f| f.ty.align(self.rule))
            .max()
            .unwrap_or(1)
    }

    /// `sizeof`: past the last field, rounded up to the alignment.
    pub fn size(&self) -> u32 {
        let end = self.layouts().last().map_or(0, |(_, l)| l.offset + l.size);
        round_up(end, self.align())
    }

    /// The padding bytes the compiler inserts (between fields and at the end): (offset, length).
    pub fn padding(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0u32;
        let ends = self
            .layouts()
            .map(|(_, l)| (l.offset, l.offset + l.size))
            .chain(core::iter::once((self.size(), self.size())));
        ends.filter_map(move |(start, end)| {
            let gap = (at < start).then_some((at, start - at));
            at = end;
            gap
        })
    }
}

/// What lies at a byte offset of a struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteAt {
    /// A field.
    Field(&'static FieldDef),
    /// Padding between fields or at the end.
    Padding,
    /// Past the struct's end.
    Past,
}

impl ByteAt {
    /// Whether the hypervisor may write there: an output field, or padding (a C struct copied
    /// out whole writes its padding too: Xen's `copy_to_guest` of a `vcpu_runstate_info` writes
    /// bytes 4..8 on x86_64). Input and reserved fields and the bytes past the struct are not.
    pub fn writable(self) -> bool {
        match self {
            ByteAt::Field(f) => f.dir.written_by_hypervisor(),
            ByteAt::Padding => true,
            ByteAt::Past => false,
        }
    }
}

impl StructDef {
    /// What lies at byte `offset`.
    pub fn byte_at(&self, offset: u32) -> ByteAt {
        if offset >= self.size() {
            return ByteAt::Past;
        }
        self.layouts()
            .find(|(_, l)| (l.offset..l.offset + l.size).contains(&offset))
            .map_or(ByteAt::Padding, |(f, _)| ByteAt::Field(f))
    }
}

/// One sub-operation of a [`Family`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SubOp {
    /// As the header names it (`XENMEM_maximum_ram_page`).
    pub name: &'static str,
    /// The value of the selecting argument.
    pub number: u64,
    /// Whether every implementation has it.
    pub presence: Presence,
    /// What it does to the caller; plans run `query` and `stateful` sub-operations.
    pub effect: Effect,
    /// The struct its pointer argument points to, by name (see [`crate::Abi::structs`]).
    pub param: Option<&'static str>,
    /// Values of the family's other arguments that the sub-operation needs (argument index,
    /// value), e.g. `count = 1` for a grant-table query.
    pub args: &'static [(u8, u64)],
    /// Error codes it may return (a subset of the call's); empty: the call's.
    pub errors: &'static [Named],
    /// Where the spec states it.
    pub source: &'static str,
    /// What it does.
    pub doc: &'static str,
}

/// A call whose command argument selects sub-operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Family {
    /// The call.
    pub call: &'static str,
    /// Index of the selecting argument among the call's arguments.
    pub selector: u8,
    /// The sub-operations the spec describes (each value of the selector's enumeration).
    pub subops: &'static [SubOp],
    /// What the call answers for a selector value it does not implement, if the spec says.
    pub unknown: Option<Named>,
    /// What a sub-operation answers when its parameter struct lies where the hypervisor cannot
    /// read it (Xen's -EFAULT from `copy_from_guest`), if the spec says.
    pub fault: Option<Named>,
    /// When the selector is not the argument itself but a field of the struct it points to
    /// (Xen's `xen_sysctl.cmd`): that field's name. Every sub-operation then has a parameter
    /// struct, and each of them has the field at the same place.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub field: Option<&'static str>,
    /// Input fields of every sub-operation's struct that hold one value the plan presets (Xen's
    /// `interface_version`): (field, value).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "<[_]>::is_empty"))]
    pub fixed: &'static [(&'static str, u64)],
    /// The values `fixed` fields hold from a later implementation version on (Xen's domctl
    /// interface version: 0x16 from Xen 4.18, 0x17 from 4.19): (since, field, value), in
    /// version order. `fixed` holds the spec's revision.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "<[_]>::is_empty"))]
    pub fixed_since: &'static [(&'static str, &'static str, u64)],
    /// What the call answers when a `fixed` field holds another value (Xen's -EACCES for a
    /// wrong interface version), if the spec says.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub bad_fixed: Option<Named>,
}

impl Family {
    /// The sub-operation selected by `value`.
    pub fn subop(&self, value: u64) -> Option<&'static SubOp> {
        self.subops.iter().find(|s| s.number == value)
    }

    /// Where `field` lies in a struct: (offset, size), when the struct has it and it is a
    /// scalar of at most 8 bytes.
    pub fn field_in(st: &StructDef, field: &str) -> Option<(u32, u32)> {
        st.layouts()
            .find(|(f, l)| f.name == field && f.count == 1 && l.size <= 8)
            .map(|(_, l)| (l.offset, l.size))
    }

    /// The value the selector holds: the selecting argument among `args`, or, when the selector
    /// is a struct field, that field in `window` (the struct's bytes as the plan presets them,
    /// little-endian) at the place every sub-operation's struct has it.
    pub fn selected(&self, abi: &crate::Abi, args: &[u64], window: Option<&[u8]>) -> Option<u64> {
        let Some(field) = self.field else {
            return args.get(usize::from(self.selector)).copied();
        };
        let st = self
            .subops
            .iter()
            .find_map(|s| abi.struct_named(s.param?))?;
        read_field(st.rule, window?, Self::field_in(st, field)?)
    }

    /// Whether every `fixed` field of `window` holds its value (the struct of the first
    /// sub-operation with one places them; all of them agree, as the DSL checks).
    pub fn fixed_hold(&self, abi: &crate::Abi, window: &[u8]) -> bool {
        let Some(st) = self.subops.iter().find_map(|s| abi.struct_named(s.param?)) else {
            return true;
        };
        self.fixed.iter().all(|&(name, v)| {
            match Self::field_in(st, name)
                .and_then(|at| Some((at, read_field(st.rule, window, at)?)))
            {
                Some(((_, size), got)) => got == v & crate::abi::mask((size * 8) as u8),
                None => true,
            }
        })
    }

    /// The value of the `fixed` field `name` on `implementation` (`"Xen 4.20.5-pre"`, as a
    /// target's catalogue names it; `None`: the spec's revision): the latest `fixed_since`
    /// value whose version the implementation has reached, else the `fixed` one.
    pub fn fixed_value(&self, name: &str, implementation: Option<&str>) -> Option<u64> {
        let base = self.fixed.iter().find(|(n, _)| *n == name)?.1;
        let Some(have) = implementation else {
            return Some(base);
        };
        Some(
            self.fixed_since
                .iter()
                .rfind(|(since, n, _)| *n == name && version_reached(have, since))
                .map_or(base, |&(_, _, v)| v),
        )
    }

    /// The sub-operations a plan may run (`query` and `stateful`).
    pub fn runnable(&self) -> impl Iterator<Item = &'static SubOp> + '_ {
        self.subops
            .iter()
            .filter(|s| matches!(s.effect, Effect::Query | Effect::Stateful))
    }
}

/// Whether `have` (`"Xen 4.20.5-pre"`) is the implementation `since` names (`"Xen 4.19"`) at
/// that version or a later one: the same first word, then the dotted numbers compared in order
/// (a missing number counts as 0; what follows the numbers, such as `-pre`, is ignored).
pub fn version_reached(have: &str, since: &str) -> bool {
    fn split(v: &str) -> (&str, impl Iterator<Item = u64> + '_) {
        let (name, rest) = v.trim().split_once(' ').unwrap_or(("", v));
        let numbers = rest
            .trim()
            .split(|c: char| !c.is_ascii_digit() && c != '.')
            .next()
            .unwrap_or("")
            .split('.')
            .map(|n| n.parse().unwrap_or(0));
        (name, numbers)
    }
    let ((hn, mut h), (sn, s)) = (split(have), split(since));
    if !hn.eq_ignore_ascii_case(sn) {
        return false;
    }
    for want in s {
        let got = h.next().unwrap_or(0);
        if got != want {
            return got > want;
        }
    }
    true
}

/// The parameter struct of a plain call (no sub-operations): the struct its pointer argument
/// points to (SBI DBCN's console buffer), with the argument values the struct's size fixes and
/// what the call answers when the struct lies where the hypervisor cannot reach it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CallParam {
    /// The call.
    pub call: &'static str,
    /// The struct, by name (see [`crate::Abi::structs`]).
    pub param: &'static str,
    /// Index of the pointer argument (the low part when the address is split).
    pub pointer: u8,
    /// Index of the argument that holds the address's upper bits when the ABI splits it in two
    /// registers (SBI's `base_addr_hi`: 0 for an address that fits the low register).
    pub high: Option<u8>,
    /// Values of the call's other arguments that go with the struct (argument index, value),
    /// e.g. `num_bytes` = the buffer's size.
    pub args: &'static [(u8, u64)],
    /// What the call answers when the struct lies where the hypervisor cannot reach it, if the
    /// spec says.
    pub fault: Option<Named>,
}

/// A scalar of `window` at (offset, size) in `rule`'s byte order; `None` past its end.
fn read_field(rule: LayoutRule, window: &[u8], (offset, size): (u32, u32)) -> Option<u64> {
    let bytes = window.get(offset as usize..(offset + size) as usize)?;
    Some(rule.read(bytes))
}

#[cfg(feature = "serde")]
impl serde::Serialize for StructDef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(serde::Serialize)]
        struct Field<'a> {
            name: &'a str,
            #[serde(rename = "type")]
            ty: Scalar,
            count: u32,
            dir: FieldDir,
            #[serde(skip_serializing_if = "Option::is_none")]
            domain: Option<Domain>,
            offset: u32,
            size: u32,
            align: u32,
        }
        #[derive(serde::Serialize)]
        struct Domain {
            min: i128,
            max: i128,
        }
        let fields: std::vec::Vec<Field> = self
            .layouts()
            .map(|(f, l)| Field {
                name: f.name,
                ty: f.ty,
                count: f.count,
                dir: f.dir,
                domain: f.domain.map(|(min, max)| Domain { min, max }),
                offset: l.offset,
                size: l.size,
                align: l.align,
            })
            .collect();
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("name", self.name)?;
        m.serialize_entry("layout", &self.rule)?;
        m.serialize_entry("size", &self.size())?;
        m.serialize_entry("align", &self.align())?;
        m.serialize_entry("fields", &fields)?;
        m.serialize_entry("source", self.source)?;
        m.serialize_entry("doc", self.doc)?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[FieldDef] = &[
        FieldDef {
            name: "a",
            ty: Scalar::U16,
            count: 1,
            dir: FieldDir::In,
            domain: None,
        },
        FieldDef {
            name: "b",
            ty: Scalar::U64,
            count: 1,
            dir: FieldDir::Out,
            domain: None,
        },
        FieldDef {
            name: "c",
            ty: Scalar::Handle,
            count: 1,
            dir: FieldDir::In,
            domain: None,
        },
        FieldDef {
            name: "d",
            ty: Scalar::U8,
            count: 3,
            dir: FieldDir::Reserved,
            domain: None,
        },
    ];

    fn s(rule: LayoutRule) -> StructDef {
        StructDef {
            name: "t",
            rule,
            fields: FIELDS,
            source: "",
            doc: "",
        }
    }

    fn offsets(rule: LayoutRule) -> std::vec::Vec<u32> {
        s(rule).layouts().map(|(_, l)| l.offset).collect()
    }

    #[test]
    fn the_three_rules_differ_where_c_does() {
        assert_eq!(offsets(LayoutRule::Aapcs64), [0, 8, 16, 24]);
        assert_eq!(offsets(LayoutRule::Lp64), [0, 8, 16, 24]);
        assert_eq!(offsets(LayoutRule::Ilp32), [0, 4, 12, 16]);
        assert_eq!(s(LayoutRule::Aapcs64).size(), 32);
        assert_eq!(s(LayoutRule::Ilp32).size(), 20);
        assert_eq!(s(LayoutRule::Ilp32).align(), 4);
        assert_eq!(offsets(LayoutRule::Ppc64), [0, 8, 16, 24]);
        assert_eq!(s(LayoutRule::Ppc64).size(), 32);
    }

    #[test]
    fn ppc64_fields_are_big_endian() {
        assert!(LayoutRule::Ppc64.big_endian() && !LayoutRule::Lp64.big_endian());
        let v: std::vec::Vec<u8> = LayoutRule::Ppc64.bytes(0x2001, 4).collect();
        assert_eq!(v, [0, 0, 0x20, 0x01]);
        let v: std::vec::Vec<u8> = LayoutRule::Lp64.bytes(0x2001, 4).collect();
        assert_eq!(v, [0x01, 0x20, 0, 0]);
        assert_eq!(LayoutRule::Ppc64.read(&[0, 0, 0x20, 0x01]), 0x2001);
        assert_eq!(LayoutRule::Lp64.read(&[0, 0, 0x20, 0x01]), 0x0120_0000);
    }

    #[test]
    fn padding_is_every_gap_and_the_tail() {
        let p: std::vec::Vec<_> = s(LayoutRule::Lp64).padding().collect();
        assert_eq!(p, [(2, 6), (27, 5)]);
        let p: std::vec::Vec<_> = s(LayoutRule::Ilp32).padding().collect();
        assert_eq!(p, [(2, 2), (19, 1)]);
    }

    #[test]
    fn versions_compare_by_implementation_then_numbers() {
        assert!(version_reached("Xen 4.20.5-pre", "Xen 4.19"));
        assert!(version_reached("Xen 4.19", "Xen 4.19"));
        assert!(version_reached("Xen 4.19.0", "Xen 4.19"));
        assert!(!version_reached("Xen 4.17.5", "Xen 4.18"));
        assert!(!version_reached("Xen 4.9", "Xen 4.18"));
        assert!(version_reached("Xen 4.100", "Xen 4.18"));
        assert!(!version_reached("Linux 6.12", "Xen 4.18"));
    }

    #[test]
    fn a_fixed_value_follows_the_implementation_version() {
        let f = Family {
            call: "domctl",
            selector: 0,
            subops: &[],
            unknown: None,
            fault: None,
            field: Some("cmd"),
            fixed: &[("interface_version", 0x15)],
            fixed_since: &[
                ("Xen 4.18", "interface_version", 0x16),
                ("Xen 4.19", "interface_version", 0x17),
            ],
            bad_fixed: None,
        };
        let v = |i| f.fixed_value("interface_version", i);
        assert_eq!(v(None), Some(0x15));
        assert_eq!(v(Some("Xen 4.17.5")), Some(0x15));
        assert_eq!(v(Some("Xen 4.18.1")), Some(0x16));
        assert_eq!(v(Some("Xen 4.20.5-pre")), Some(0x17));
        assert_eq!(f.fixed_value("cmd", None), None);
    }
}
