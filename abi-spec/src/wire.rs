//! The plan and result wire formats: what the host sends a guest, and what the guest sends back.
//! Compact, little-endian, versioned, and decodable without an allocator, so the same code runs
//! in a bare-metal guest and on the host.
//!
//! A plan names the ABIs it uses by id (the guest resolves them in its own registry) and gives,
//! per case, only what differs from the poison pattern: the number and argument registers. The
//! guest rebuilds the full input register file with [`CaseRef::input`], exactly as the host does,
//! so both agree on every register's value before the trap.
//!
//! ```text
//! plan    = "HXPL" version:u16 arch:u8 flags:u8 ncases:u32 scratch_len:u32 nabis:u8
//!           { len:u8 id:[u8; len] }*nabis  case*ncases
//! case    = id:u32 abi:u8 call:u16 flags:u8 seed:u16 nent:u8 reloc:u16 { reg:u8 value:u64 }*nent
//!           [buf_off:u32 buf_len:u8 bytes:[u8; buf_len] if flags & CASE_BUFFER]
//! record  = kind:u8 ...
//!   info  = 1 scratch_base:u64 nkv:u8 { klen:u8 key vlen:u8 value }*nkv
//!   case  = 2 id:u32 status:u8 [code:u64 if status = exception] changed:u64 value:u64*popcount(changed)
//!           npaths:u8 { path:u8 outcome:u8 n:u8 value:u64*n }*npaths
//!   done  = 3 ncases:u32
//!   buffer = 4 id:u32 n:u8 { off:u8 byte:u8 }*n      (after the case record of a CASE_BUFFER case)
//! ```
//!
//! A `CASE_BUFFER` case carries a parameter struct: the guest writes `bytes` at scratch offset
//! `buf_off` (after zeroing the scratch) before each path, and after the probe returns it sends
//! the bytes of that window that differ from what it wrote (a `buffer` record), as it does for
//! registers.
//!
//! `reloc` marks entries whose value is an offset into the guest's scratch buffer (pointer
//! arguments): the guest adds the buffer's address, which it reports in its `info` record.
//! `changed` marks the registers whose value after the trap differs from before; only those
//! travel, which keeps a typical case under 40 bytes.
//!
//! After the probe's registers, a case record carries what each other path that ran the same call
//! with the same arguments answered ([`PathRecord`]): the generated Rust caller, and the generated
//! C header's inline function and assembly stub (through the header's `<abi>_dispatch`).

use crate::arch::{Arch, Reg};
use crate::regfile::{poison, RegisterFile};

/// The version of the plan wire format (the plan header's `version`). Host and guest are built
/// from the same tree; a guest built before a change rejects the plan instead of misreading it.
/// Separate from [`crate::FORMAT_VERSION`] (exports, reports, baselines), which the wire does not
/// change. 2: parameter-struct windows of up to [`MAX_BUFFER`] = 255 bytes (1: 64).
pub const PLAN_VERSION: u16 = 2;

/// The first bytes of a plan.
pub const PLAN_MAGIC: [u8; 4] = *b"HXPL";
/// `call` value of a case that names no call of the ABI (an unknown-number edge case): only the
/// probe runs.
pub const NO_CALL: u16 = 0xffff;
/// Case flag: also run the generated caller (`call::dispatch`) and report its results.
pub const CASE_CALLER: u8 = 1;
/// Case flag: also run the generated C and assembly stubs (`stubs/<abi>.h` and `.S`, through the
/// header's `<abi>_dispatch`) and report their results.
pub const CASE_STUBS: u8 = 2;

/// Case flag: the case presets a parameter struct in the scratch and the guest reports the bytes
/// of it the call changed (a `buffer` record).
pub const CASE_BUFFER: u8 = 4;
/// Most bytes of a case's parameter-struct window: the length and the offsets of a `buffer`
/// record travel as `u8`. Room for a struct whose selector and interface version are fields
/// copied in and out whole (Xen's `xen_sysctl` is 136 bytes, `xen_domctl` 144) and the slack the
/// plan watches past it.
pub const MAX_BUFFER: usize = 255;
/// Record kind: the bytes of a case's parameter-struct window that the call changed.
pub const RECORD_BUFFER: u8 = 4;
/// Path of a [`PathRecord`]: the generated Rust caller (`call::dispatch`).
pub const PATH_RUST: u8 = 1;
/// Path of a [`PathRecord`]: the C header's `static inline` function.
pub const PATH_C: u8 = 2;
/// Path of a [`PathRecord`]: the assembly stub (`<abi>_<call>_asm`).
pub const PATH_ASM: u8 = 3;
/// Most paths one case record carries.
pub const MAX_PATHS: usize = 3;
/// Most values one path carries (PAPR's hcalls return a status and nine words).
pub const MAX_PATH_VALUES: usize = 16;

/// Path outcome: the call returned; `values` are its results.
pub const PATH_RAN: u8 = 0;
/// Path outcome: the call raised an exception; `values[0]` is its code.
pub const PATH_EXCEPTION: u8 = 1;
/// Path outcome: the call returned (`values` are its results) but an argument the compiler kept
/// live across it came back changed: a register changed that the stub does not declare changed.
pub const PATH_LIVE_CHANGED: u8 = 2;
/// Path outcome: this guest build has no such path for the ABI (`values` empty); the guest's
/// `info` record says why.
pub const PATH_UNAVAILABLE: u8 = 3;
/// Plan flag: send each case's record as soon as it exists (no batching), so that when the
/// target breaks the first case without a record is the one that broke it.
pub const PLAN_FLUSH_EACH: u8 = 1;
/// Most register entries one case may carry (number registers plus arguments).
pub const MAX_ENTRIES: usize = 16;

/// Record kind: the guest's `info` (scratch address, key-value facts).
pub const RECORD_INFO: u8 = 1;
/// Record kind: one case's observation.
pub const RECORD_CASE: u8 = 2;
/// Record kind: the end of the run.
pub const RECORD_DONE: u8 = 3;

/// Case status: the trap returned.
pub const STATUS_RETURNED: u8 = 0;
/// Case status: the trap raised an exception.
pub const STATUS_EXCEPTION: u8 = 1;
/// The guest could not run the case (it does not know the ABI or the call): an error, never a pass.
pub const STATUS_NOT_RUN: u8 = 2;

/// Why bytes are not a valid plan or record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireError {
    /// Not a plan (`HXPL` missing).
    BadMagic,
    /// A plan of another format version.
    Version(u16),
    /// The bytes end in the middle of something.
    Truncated {
        /// Where.
        at: usize,
    },
    /// A case carries more than `MAX_ENTRIES` entries.
    TooManyEntries {
        /// The case id.
        case: u32,
    },
    /// An arch code this build does not know.
    UnknownArch(u8),
    /// A register index past the arch's registers.
    BadRegister {
        /// The case id.
        case: u32,
        /// The index.
        reg: u8,
    },
    /// A record kind this build does not know.
    BadRecord(u8),
}

impl core::fmt::Display for WireError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            WireError::BadMagic => write!(f, "not a hyperabi plan (bad magic)"),
            WireError::Version(v) => write!(
                f,
                "plan format version {v}, this build reads version {PLAN_VERSION}"
            ),
            WireError::Truncated { at } => write!(f, "truncated at byte {at}"),
            WireError::TooManyEntries { case } => {
                write!(
                    f,
                    "case {case} has more than {MAX_ENTRIES} register entries"
                )
            }
            WireError::UnknownArch(a) => write!(f, "unknown arch code {a}"),
            WireError::BadRegister { case, reg } => {
                write!(
                    f,
                    "case {case} names register index {reg}, not one of the arch's"
                )
            }
            WireError::BadRecord(k) => write!(f, "unknown record kind {k}"),
        }
    }
}

/// A little-endian reader over a byte slice.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }
    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.pos
    }
    /// Whether everything was read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }
    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.bytes.len())
            .ok_or(WireError::Truncated { at: self.pos })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    /// The next byte.
    pub fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }
    /// The next little-endian u16.
    pub fn u16(&mut self) -> Result<u16, WireError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    /// The next little-endian u32.
    pub fn u32(&mut self) -> Result<u32, WireError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// The next little-endian u64.
    pub fn u64(&mut self) -> Result<u64, WireError> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

/// A little-endian writer into a caller-supplied buffer (the guest has no allocator). Writing
/// past the end sets `overflow` instead of panicking.
pub struct Writer<'a> {
    buf: &'a mut [u8],
    len: usize,
    /// Set when a write did not fit.
    pub overflow: bool,
}

impl<'a> Writer<'a> {
    /// A writer into `buf`.
    pub fn new(buf: &'a mut [u8]) -> Writer<'a> {
        Writer {
            buf,
            len: 0,
            overflow: false,
        }
    }
    /// Bytes written.
    pub fn len(&self) -> usize {
        self.len
    }
    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The bytes written.
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
    /// Appends `b` (or sets `overflow`).
    pub fn put(&mut self, b: &[u8]) {
        match self.buf.get_mut(self.len..self.len + b.len()) {
            Some(dst) => {
                dst.copy_from_slice(b);
                self.len += b.len();
            }
            None => self.overflow = true,
        }
    }
    /// Appends a byte.
    pub fn u8(&mut self, v: u8) {
        self.put(&[v]);
    }
    /// Appends a little-endian u16.
    pub fn u16(&mut self, v: u16) {
        self.put(&v.to_le_bytes());
    }
    /// Appends a little-endian u32.
    pub fn u32(&mut self, v: u32) {
        self.put(&v.to_le_bytes());
    }
    /// Appends a little-endian u64.
    pub fn u64(&mut self, v: u64) {
        self.put(&v.to_le_bytes());
    }
}

/// The code of an arch on the wire.
pub const fn arch_code(arch: Arch) -> u8 {
    match arch {
        Arch::Aarch64 => 1,
        Arch::Arm => 2,
        Arch::X86_64 => 3,
        Arch::X86 => 4,
        Arch::Riscv64 => 5,
        Arch::S390x => 6,
        Arch::Ppc64 => 7,
    }
}

/// The arch of a plan's arch code.
pub fn arch_from_code(code: u8) -> Option<Arch> {
    Arch::ALL.iter().copied().find(|a| arch_code(*a) == code)
}

/// A decoded plan header; cases are read lazily with [`PlanReader::cases`].
#[derive(Clone)]
pub struct PlanReader<'a> {
    /// The arch the plan is for.
    pub arch: Arch,
    /// Plan flags (`PLAN_FLUSH_EACH`).
    pub flags: u8,
    /// How many cases.
    pub ncases: u32,
    /// The scratch buffer the cases need, in bytes.
    pub scratch_len: u32,
    abi_ids: Reader<'a>,
    /// How many ABIs the plan names.
    pub nabis: u8,
    cases: Reader<'a>,
}

impl<'a> PlanReader<'a> {
    /// Reads the header of a plan.
    pub fn parse(bytes: &'a [u8]) -> Result<PlanReader<'a>, WireError> {
        let mut r = Reader::new(bytes);
        if r.take(4).map_err(|_| WireError::BadMagic)? != PLAN_MAGIC {
            return Err(WireError::BadMagic);
        }
        let version = r.u16()?;
        if version != PLAN_VERSION {
            return Err(WireError::Version(version));
        }
        let code = r.u8()?;
        let arch = arch_from_code(code).ok_or(WireError::UnknownArch(code))?;
        let flags = r.u8()?;
        let ncases = r.u32()?;
        let scratch_len = r.u32()?;
        let nabis = r.u8()?;
        let abi_ids = r.clone();
        for _ in 0..nabis {
            let len = r.u8()?;
            r.take(len as usize)?;
        }
        Ok(PlanReader {
            arch,
            flags,
            ncases,
            scratch_len,
            abi_ids,
            nabis,
            cases: r,
        })
    }

    /// The id of ABI `index` of the plan's table.
    pub fn abi_id(&self, index: u8) -> Option<&'a str> {
        let mut r = self.abi_ids.clone();
        for i in 0..self.nabis {
            let len = r.u8().ok()?;
            let id = r.take(len as usize).ok()?;
            if i == index {
                return core::str::from_utf8(id).ok();
            }
        }
        None
    }

    /// The cases, in plan order; each item is a case or the error that ends the plan.
    pub fn cases(&self) -> CaseIter<'a> {
        CaseIter {
            r: self.cases.clone(),
            left: self.ncases,
            arch: self.arch,
        }
    }
}

/// The cases of a plan, decoded one by one.
pub struct CaseIter<'a> {
    r: Reader<'a>,
    left: u32,
    arch: Arch,
}

impl<'a> Iterator for CaseIter<'a> {
    type Item = Result<CaseRef, WireError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let c = CaseRef::read(&mut self.r, self.arch);
        if c.is_err() {
            self.left = 0;
        }
        Some(c)
    }
}

/// One case as the guest needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseRef {
    /// The case id.
    pub id: u32,
    /// Index into the plan's ABIs.
    pub abi: u8,
    /// Index into the ABI's calls, or [`NO_CALL`].
    pub call: u16,
    /// Case flags (`CASE_CALLER`).
    pub flags: u8,
    /// Seeds the poison pattern of the registers the case does not set.
    pub seed: u16,
    /// How many entries are used.
    pub nent: u8,
    /// Bit i set: entry i is an offset into the scratch buffer.
    pub reloc: u16,
    /// (register index, value) of the number and argument registers.
    pub entries: [(u8, u64); MAX_ENTRIES],
    /// With `CASE_BUFFER`: the scratch offset of the parameter-struct window.
    pub buf_off: u32,
    /// With `CASE_BUFFER`: the window's length.
    pub buf_len: u8,
    /// With `CASE_BUFFER`: what the guest writes into the window before the call.
    pub buf: [u8; MAX_BUFFER],
}

impl CaseRef {
    fn read(r: &mut Reader<'_>, arch: Arch) -> Result<CaseRef, WireError> {
        let id = r.u32()?;
        let abi = r.u8()?;
        let call = r.u16()?;
        let flags = r.u8()?;
        let seed = r.u16()?;
        let nent = r.u8()?;
        let reloc = r.u16()?;
        if nent as usize > MAX_ENTRIES {
            return Err(WireError::TooManyEntries { case: id });
        }
        let mut entries = [(0, 0); MAX_ENTRIES];
        for e in entries.iter_mut().take(nent as usize) {
            let reg = r.u8()?;
            if reg as usize >= arch.registers().len() {
                return Err(WireError::BadRegister { case: id, reg });
            }
            *e = (reg, r.u64()?);
        }
        let (mut buf_off, mut buf_len, mut buf) = (0, 0, [0u8; MAX_BUFFER]);
        if flags & CASE_BUFFER != 0 {
            buf_off = r.u32()?;
            buf_len = r.u8()?;
            if buf_len as usize > MAX_BUFFER {
                return Err(WireError::TooManyEntries { case: id });
            }
            buf[..buf_len as usize].copy_from_slice(r.take(buf_len as usize)?);
        }
        Ok(CaseRef {
            id,
            abi,
            call,
            flags,
            seed,
            nent,
            reloc,
            entries,
            buf_off,
            buf_len,
            buf,
        })
    }

    /// With `CASE_BUFFER`: the bytes the guest writes into the parameter-struct window.
    pub fn buffer(&self) -> &[u8] {
        &self.buf[..(self.buf_len as usize).min(MAX_BUFFER)]
    }

    /// The entries in use.
    pub fn entries(&self) -> &[(u8, u64)] {
        &self.entries[..self.nent as usize]
    }

    /// The full register file the probe loads: poison everywhere, the entries on top (relocated
    /// ones offset by `scratch_base`), zero for registers a probe cannot set.
    pub fn input(&self, arch: Arch, scratch_base: u64) -> RegisterFile {
        let mut file = RegisterFile::new(arch);
        for reg in arch.regs() {
            let value = match reg.kind() {
                crate::RegKind::StackPointer | crate::RegKind::Special => 0,
                _ => poison(reg, u64::from(self.seed)),
            };
            file.set(reg, value);
        }
        for (k, (reg, value)) in self.entries().iter().enumerate() {
            let v = if self.reloc & (1 << k) != 0 {
                value.wrapping_add(scratch_base)
            } else {
                *value
            };
            file.set(Reg { arch, index: *reg }, v);
        }
        file
    }
}

/// Writes a plan header; cases follow with [`write_case`].
pub fn write_plan_header(
    w: &mut Writer<'_>,
    arch: Arch,
    flags: u8,
    ncases: u32,
    scratch_len: u32,
    abi_ids: &[&str],
) {
    w.put(&PLAN_MAGIC);
    w.u16(PLAN_VERSION);
    w.u8(arch_code(arch));
    w.u8(flags);
    w.u32(ncases);
    w.u32(scratch_len);
    w.u8(abi_ids.len() as u8);
    for id in abi_ids {
        w.u8(id.len() as u8);
        w.put(id.as_bytes());
    }
}

/// Writes a case of a plan.
pub fn write_case(w: &mut Writer<'_>, c: &CaseRef) {
    w.u32(c.id);
    w.u8(c.abi);
    w.u16(c.call);
    w.u8(c.flags);
    w.u16(c.seed);
    w.u8(c.nent);
    w.u16(c.reloc);
    for (reg, value) in c.entries() {
        w.u8(*reg);
        w.u64(*value);
    }
    if c.flags & CASE_BUFFER != 0 {
        w.u32(c.buf_off);
        w.u8(c.buf_len);
        w.put(c.buffer());
    }
}

/// The `buffer` record of case `id`: the bytes of `after` (the window after the call) that
/// differ from `before` (what the guest wrote there).
pub fn write_buffer_record(w: &mut Writer<'_>, id: u32, before: &[u8], after: &[u8]) {
    w.u8(RECORD_BUFFER);
    w.u32(id);
    let changed = || {
        before
            .iter()
            .zip(after)
            .enumerate()
            .filter(|(_, (b, a))| b != a)
    };
    w.u8(changed().count() as u8);
    for (off, (_, a)) in changed() {
        w.u8(off as u8);
        w.u8(*a);
    }
}

/// What one path (the Rust caller, the C stub, the assembly stub) answered for a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathRecord {
    /// `PATH_RUST`, `PATH_C` or `PATH_ASM`.
    pub path: u8,
    /// `PATH_RAN`, `PATH_EXCEPTION`, `PATH_LIVE_CHANGED` or `PATH_UNAVAILABLE`.
    pub outcome: u8,
    /// How many values.
    pub n: u8,
    /// The results (the exception code for `PATH_EXCEPTION`).
    pub values: [u64; MAX_PATH_VALUES],
}

impl PathRecord {
    /// A path's record with no values yet.
    pub const fn new(path: u8, outcome: u8) -> PathRecord {
        PathRecord {
            path,
            outcome,
            n: 0,
            values: [0; MAX_PATH_VALUES],
        }
    }

    /// The values in use.
    pub fn values(&self) -> &[u64] {
        &self.values[..(self.n as usize).min(MAX_PATH_VALUES)]
    }
}

/// What the guest observed for one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseRecord {
    /// The case id.
    pub id: u32,
    /// `STATUS_RETURNED`, `STATUS_EXCEPTION` or `STATUS_NOT_RUN`.
    pub status: u8,
    /// The arch's exception identity when `status` is [`STATUS_EXCEPTION`].
    pub code: u64,
    /// Every register after the trap.
    pub after: RegisterFile,
    /// How many paths besides the probe ran the call.
    pub npaths: u8,
    /// What they answered.
    pub paths: [PathRecord; MAX_PATHS],
}

impl CaseRecord {
    /// Adds a path's answer (ignored past [`MAX_PATHS`]).
    pub fn push_path(&mut self, p: PathRecord) {
        if let Some(slot) = self.paths.get_mut(self.npaths as usize) {
            *slot = p;
            self.npaths += 1;
        }
    }

    /// The paths in use.
    pub fn paths(&self) -> &[PathRecord] {
        &self.paths[..(self.npaths as usize).min(MAX_PATHS)]
    }
}

/// Writes a case record: only the registers that changed travel.
pub fn write_case_record(w: &mut Writer<'_>, before: &RegisterFile, rec: &CaseRecord) {
    w.u8(RECORD_CASE);
    w.u32(rec.id);
    w.u8(rec.status);
    if rec.status == STATUS_EXCEPTION {
        w.u64(rec.code);
    }
    let mut changed = 0u64;
    for reg in rec.after.arch.regs() {
        if rec.after.get(reg) != before.get(reg) {
            changed |= 1 << reg.index;
        }
    }
    w.u64(changed);
    for reg in rec.after.arch.regs() {
        if changed & (1 << reg.index) != 0 {
            w.u64(rec.after.get(reg));
        }
    }
    w.u8(rec.paths().len() as u8);
    for p in rec.paths() {
        w.u8(p.path);
        w.u8(p.outcome);
        w.u8(p.values().len() as u8);
        for v in p.values() {
            w.u64(*v);
        }
    }
}

/// Writes the guest's `info` record: its scratch buffer and what it discovered, as key/value text.
pub fn write_info(w: &mut Writer<'_>, scratch_base: u64, kv: &[(&str, &str)]) {
    w.u8(RECORD_INFO);
    w.u64(scratch_base);
    w.u8(kv.len() as u8);
    for (k, v) in kv {
        w.u8(k.len() as u8);
        w.put(k.as_bytes());
        w.u8(v.len() as u8);
        w.put(v.as_bytes());
    }
}

/// Writes the `done` record.
pub fn write_done(w: &mut Writer<'_>, ncases: u32) {
    w.u8(RECORD_DONE);
    w.u32(ncases);
}

/// One decoded record.
// The case variant carries its paths inline: there is no allocator in the guest, and records
// are decoded one at a time.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Record<'a> {
    /// The guest's facts.
    Info {
        /// The scratch buffer's address.
        scratch_base: u64,
        /// The key-value pairs, still encoded.
        kv: Reader<'a>,
        /// How many.
        nkv: u8,
    },
    /// A case; `after` is completed against `before` by [`Record::case_after`].
    Case {
        /// The case id.
        id: u32,
        /// The case status.
        status: u8,
        /// The exception identity (when status is exception).
        code: u64,
        /// Bit i set: register i changed; its value follows in `values`.
        changed: u64,
        /// The changed registers' values, still encoded.
        values: Reader<'a>,
        /// What the other paths answered.
        paths: [PathRecord; MAX_PATHS],
        /// How many.
        npaths: u8,
    },
    /// The end of the run.
    Done {
        /// How many case records were sent.
        ncases: u32,
    },
    /// The bytes of a case's parameter-struct window the call changed: `n` (offset, byte) pairs.
    Buffer {
        /// The case.
        id: u32,
        /// How many pairs.
        n: u8,
        /// The pairs.
        bytes: Reader<'a>,
    },
}

impl<'a> Record<'a> {
    /// Reads one record from `r`.
    pub fn read(r: &mut Reader<'a>) -> Result<Record<'a>, WireError> {
        match r.u8()? {
            RECORD_INFO => {
                let scratch_base = r.u64()?;
                let nkv = r.u8()?;
                let kv = r.clone();
                for _ in 0..nkv {
                    let k = r.u8()?;
                    r.take(k as usize)?;
                    let v = r.u8()?;
                    r.take(v as usize)?;
                }
                Ok(Record::Info {
                    scratch_base,
                    kv,
                    nkv,
                })
            }
            RECORD_CASE => {
                let id = r.u32()?;
                let status = r.u8()?;
                let code = if status == STATUS_EXCEPTION {
                    r.u64()?
                } else {
                    0
                };
                let changed = r.u64()?;
                let values = r.clone();
                r.take(8 * changed.count_ones() as usize)?;
                let npaths = r.u8()?;
                if npaths as usize > MAX_PATHS {
                    return Err(WireError::BadRecord(RECORD_CASE));
                }
                let mut paths = [PathRecord::new(0, 0); MAX_PATHS];
                for p in paths.iter_mut().take(npaths as usize) {
                    p.path = r.u8()?;
                    p.outcome = r.u8()?;
                    if !(PATH_RUST..=PATH_ASM).contains(&p.path) || p.outcome > PATH_UNAVAILABLE {
                        return Err(WireError::BadRecord(RECORD_CASE));
                    }
                    p.n = r.u8()?;
                    if p.n as usize > MAX_PATH_VALUES {
                        return Err(WireError::BadRecord(RECORD_CASE));
                    }
                    for v in p.values.iter_mut().take(p.n as usize) {
                        *v = r.u64()?;
                    }
                }
                Ok(Record::Case {
                    id,
                    status,
                    code,
                    changed,
                    values,
                    paths,
                    npaths,
                })
            }
            RECORD_DONE => Ok(Record::Done { ncases: r.u32()? }),
            RECORD_BUFFER => {
                let id = r.u32()?;
                let n = r.u8()?;
                let bytes = r.clone();
                r.take(2 * n as usize)?;
                Ok(Record::Buffer { id, n, bytes })
            }
            k => Err(WireError::BadRecord(k)),
        }
    }

    /// The register file after the trap: `before` with the changed registers replaced.
    pub fn case_after(&self, before: &RegisterFile) -> Result<RegisterFile, WireError> {
        let Record::Case {
            changed, values, ..
        } = self
        else {
            return Ok(*before);
        };
        let mut after = *before;
        let mut v = values.clone();
        for bit in 0..64u8 {
            if changed & (1 << bit) != 0 {
                if bit as usize >= before.arch.registers().len() {
                    return Err(WireError::BadRegister { case: 0, reg: bit });
                }
                after.values[bit as usize] = v.u64()?;
            }
        }
        Ok(after)
    }

    /// Key/value pairs of an `info` record.
    pub fn info_pairs(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        let (mut r, n) = match self {
            Record::Info { kv, nkv, .. } => (kv.clone(), *nkv),
            _ => (Reader::new(&[]), 0),
        };
        (0..n).map_while(move |_| {
            let k = r.u8().ok()?;
            let k = core::str::from_utf8(r.take(k as usize).ok()?).ok()?;
            let v = r.u8().ok()?;
            let v = core::str::from_utf8(r.take(v as usize).ok()?).ok()?;
            Some((k, v))
        })
    }
}
