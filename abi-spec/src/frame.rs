//! The framing between a guest and the host, one definition for both (`no_std`): the plan blob
//! the runner places in guest memory, and the frames the guest writes on its console.
//!
//! ```text
//! plan  = "HYPLAN01"(8) len(u32 LE) crc32(u32 LE) payload(len)
//! frame = MAGIC(4) type(1) seq(u32 LE) len(u32 LE) payload(len) crc32(u32 LE)   crc over type..payload
//! ```
//! `seq` counts frames from 0, so a lost frame shows; the last frame is always
//! [`FrameType::End`] (payload: the number of frames before it), so a truncated stream shows. The
//! magic starts with bytes no ASCII text contains, so frames can sit between firmware banners and
//! other console text. CRC-32 is IEEE 802.3 (zlib's), from the `crc` crate.

/// The first bytes of every frame.
pub const MAGIC: [u8; 4] = [0xFA, 0xCE, b'H', b'A'];
/// The first bytes of a plan blob.
pub const PLAN_MAGIC: &[u8; 8] = b"HYPLAN01";
/// Length of the plan blob's header.
pub const PLAN_HEADER_LEN: usize = 16;
/// The most a plan may be (the space the guests' link scripts leave free at the plan address).
pub const MAX_PLAN: usize = 16 << 20;
/// Larger frames are taken as corruption.
pub const MAX_PAYLOAD: usize = 16 << 20;
/// Length of a frame's header: magic, type, seq, len.
pub const HEADER_LEN: usize = 13;
/// Length of a frame's trailer: the CRC.
pub const TRAILER_LEN: usize = 4;
/// The framing version the guest announces in its Hello frame.
pub const VERSION: u8 = 1;

/// What a frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum FrameType {
    /// [`Hello`]: the guest's arch, framing version and the plan it read.
    Hello = 1,
    /// Records (`crate::wire`), opaque to the framing.
    Data = 2,
    /// A guest-side error, UTF-8 text.
    Error = 3,
    /// An exception outside any probe: [`Unexpected`].
    Unexpected = 4,
    /// The last frame: number of frames before it (u32 LE).
    End = 5,
}

impl FrameType {
    /// The type of a frame's type byte.
    pub fn from_u8(b: u8) -> Option<FrameType> {
        Some(match b {
            1 => FrameType::Hello,
            2 => FrameType::Data,
            3 => FrameType::Error,
            4 => FrameType::Unexpected,
            5 => FrameType::End,
            _ => return None,
        })
    }
}

const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// CRC-32 (IEEE 802.3, as zlib computes it) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    CRC32.checksum(bytes)
}

/// A frame's header.
pub fn header(ty: FrameType, seq: u32, len: u32) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..4].copy_from_slice(&MAGIC);
    h[4] = ty as u8;
    h[5..9].copy_from_slice(&seq.to_le_bytes());
    h[9..13].copy_from_slice(&len.to_le_bytes());
    h
}

/// The CRC a frame ends with: over its header after the magic, then the payload.
pub fn frame_crc(header: &[u8; HEADER_LEN], payload: &[u8]) -> u32 {
    let mut d = CRC32.digest();
    d.update(&header[4..]);
    d.update(payload);
    d.finalize()
}

/// The plan blob's header for `payload`.
pub fn plan_header(payload: &[u8]) -> [u8; PLAN_HEADER_LEN] {
    let mut h = [0u8; PLAN_HEADER_LEN];
    h[..8].copy_from_slice(PLAN_MAGIC);
    h[8..12].copy_from_slice(&(payload.len() as u32).to_le_bytes());
    h[12..16].copy_from_slice(&crc32(payload).to_le_bytes());
    h
}

/// Why a plan blob is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// Fewer bytes than a header, or no `HYPLAN01`.
    NoHeader,
    /// The header's length exceeds [`MAX_PLAN`] or the bytes given.
    TooLong,
    /// The payload's CRC does not match the header's.
    Crc,
}

impl PlanError {
    /// What went wrong, in words the guest can send in an Error frame.
    pub fn message(self) -> &'static str {
        match self {
            PlanError::NoHeader => "plan: no HYPLAN01 header at the plan address",
            PlanError::TooLong => "plan: length in the header exceeds the maximum",
            PlanError::Crc => "plan: CRC of the payload does not match the header",
        }
    }
}

/// The payload length and CRC a plan header announces.
pub fn parse_plan_header(head: &[u8]) -> Result<(usize, u32), PlanError> {
    if head.len() < PLAN_HEADER_LEN || &head[..8] != PLAN_MAGIC {
        return Err(PlanError::NoHeader);
    }
    let len = u32::from_le_bytes([head[8], head[9], head[10], head[11]]) as usize;
    let crc = u32::from_le_bytes([head[12], head[13], head[14], head[15]]);
    if len > MAX_PLAN {
        return Err(PlanError::TooLong);
    }
    Ok((len, crc))
}

/// A plan blob's payload, checked against its header.
pub fn parse_plan(blob: &[u8]) -> Result<&[u8], PlanError> {
    let (len, crc) = parse_plan_header(blob)?;
    let payload = blob
        .get(PLAN_HEADER_LEN..PLAN_HEADER_LEN + len)
        .ok_or(PlanError::TooLong)?;
    if crc32(payload) != crc {
        return Err(PlanError::Crc);
    }
    Ok(payload)
}

/// The Hello frame's payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hello {
    /// [`crate::Arch`] discriminant of the guest.
    pub arch: u8,
    /// [`VERSION`] of the guest's framing.
    pub version: u8,
    /// Length of the plan payload the guest read.
    pub plan_len: u32,
    /// CRC-32 of that payload, as the guest computed it.
    pub plan_crc: u32,
    /// Where the guest found the plan (low 32 bits).
    pub plan_addr: u32,
}

impl Hello {
    /// Encoded length.
    pub const LEN: usize = 16;

    /// The payload bytes.
    pub fn encode(&self) -> [u8; Self::LEN] {
        let mut p = [0u8; Self::LEN];
        p[0] = self.arch;
        p[1] = self.version;
        p[4..8].copy_from_slice(&self.plan_len.to_le_bytes());
        p[8..12].copy_from_slice(&self.plan_crc.to_le_bytes());
        p[12..16].copy_from_slice(&self.plan_addr.to_le_bytes());
        p
    }

    /// Parses a Hello payload.
    pub fn parse(p: &[u8]) -> Option<Hello> {
        let w = |o: usize| u32::from_le_bytes([p[o], p[o + 1], p[o + 2], p[o + 3]]);
        (p.len() >= Self::LEN).then(|| Hello {
            arch: p[0],
            version: p[1],
            plan_len: w(4),
            plan_crc: w(8),
            plan_addr: w(12),
        })
    }
}

/// The Unexpected frame's payload: an exception outside any probe, in the arch's own terms
/// (ESR.EC and ESR on aarch64, vector and FSR on arm, scause and stval on riscv64, interruption
/// code and ILC on s390x, vector and SRR1 on ppc64, vector and error code on x86_64).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unexpected {
    /// The exception's class (vector, ESR.EC, scause, interruption code).
    pub class: u64,
    /// Its syndrome or code.
    pub code: u64,
    /// Where it was taken.
    pub addr: u64,
}

impl Unexpected {
    /// Encoded length.
    pub const LEN: usize = 24;

    /// The payload bytes.
    pub fn encode(&self) -> [u8; Self::LEN] {
        let mut p = [0u8; Self::LEN];
        p[0..8].copy_from_slice(&self.class.to_le_bytes());
        p[8..16].copy_from_slice(&self.code.to_le_bytes());
        p[16..24].copy_from_slice(&self.addr.to_le_bytes());
        p
    }

    /// Parses an Unexpected payload (missing words read as 0).
    pub fn parse(p: &[u8]) -> Unexpected {
        let w = |i: usize| {
            p.get(i * 8..i * 8 + 8)
                .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
                .unwrap_or(0)
        };
        Unexpected {
            class: w(0),
            code: w(1),
            addr: w(2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_zlib() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let h = header(FrameType::Data, 7, 3);
        let mut whole = h[4..].to_vec();
        whole.extend_from_slice(b"abc");
        assert_eq!(frame_crc(&h, b"abc"), crc32(&whole));
    }

    #[test]
    fn plan_round_trip_and_errors() {
        let mut blob = plan_header(b"spin").to_vec();
        blob.extend_from_slice(b"spin");
        assert_eq!(parse_plan(&blob), Ok(&b"spin"[..]));
        assert_eq!(parse_plan(&blob[..3]), Err(PlanError::NoHeader));
        assert_eq!(parse_plan(&blob[..18]), Err(PlanError::TooLong));
        blob[17] ^= 1;
        assert_eq!(parse_plan(&blob), Err(PlanError::Crc));
        let mut big = plan_header(b"").to_vec();
        big[8..12].copy_from_slice(&(MAX_PLAN as u32 + 1).to_le_bytes());
        assert_eq!(parse_plan_header(&big), Err(PlanError::TooLong));
    }

    #[test]
    fn payloads_round_trip() {
        let h = Hello {
            arch: 3,
            version: VERSION,
            plan_len: 9,
            plan_crc: 0xdead_beef,
            plan_addr: 0x4400_0000,
        };
        assert_eq!(Hello::parse(&h.encode()), Some(h));
        assert_eq!(Hello::parse(&[0; 15]), None);
        let u = Unexpected {
            class: 0x25,
            code: 0x9600_0000,
            addr: 0x4008_1234,
        };
        assert_eq!(Unexpected::parse(&u.encode()), u);
        for t in 1..=5 {
            assert_eq!(FrameType::from_u8(t).map(|f| f as u8), Some(t));
        }
        assert_eq!(FrameType::from_u8(0), None);
        assert_eq!(FrameType::from_u8(6), None);
    }
}

/// The console of a guest under hyperabi's KVM VMM: one MMIO store per flushed batch of console
/// bytes instead of one exit per byte (each exit of a nested KVM costs 30–85 µs). The guest
/// stores `batch_address | len << 48` (64 bits) at the doorbell; the VMM copies `len` bytes from
/// that guest-physical address to its output unchanged. The doorbell sits in the page after the
/// machine's UART, where the VMM's `virt`-like memory map has no device (on x86_64, with no UART,
/// in the MMIO hole below 4 GiB, its power-off register in the page after it).
pub mod doorbell {
    /// The doorbell address on aarch64 (QEMU `virt`'s PL011 is at 0x0900_0000).
    pub const AARCH64: u64 = 0x0900_1000;
    /// The doorbell address on riscv64 (QEMU `virt`'s NS16550 is at 0x1000_0000).
    pub const RISCV64: u64 = 0x1000_1000;
    /// The doorbell address on x86_64: the VM has RAM from 0 and no device, so the doorbell sits
    /// in the 32-bit hole below 4 GiB where a PC keeps its MMIO, outside RAM.
    pub const X86_64: u64 = 0xd000_0000;
    /// x86 has no PSCI or SBI to power a machine off: a store of any value to this address (the
    /// page after the doorbell) ends the run as PSCI SYSTEM_OFF and SBI SRST do elsewhere.
    pub const X86_64_POWEROFF: u64 = 0xd000_1000;
    /// The largest batch one store describes.
    pub const MAX_LEN: usize = 0xffff;

    /// The value the guest stores for `len` bytes at guest-physical `addr` (below 2^48).
    pub const fn encode(addr: u64, len: usize) -> u64 {
        (addr & 0xffff_ffff_ffff) | ((len as u64) << 48)
    }

    /// The address and length a stored value names.
    pub const fn decode(value: u64) -> (u64, usize) {
        (value & 0xffff_ffff_ffff, (value >> 48) as usize)
    }
}
