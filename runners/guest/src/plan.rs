//! The plan blob, placed in memory by the runner (`-device loader,...,force-raw=on`) at
//! [`boot::plan_addr`] (a fixed address, or a Xen dom0's boot module):
//!
//! ```text
//! "HYPLAN01"(8) len(u32 LE) crc32(u32 LE) payload(len)
//! ```

use crate::boot;
use crate::crc::crc32;

pub const MAGIC: &[u8; 8] = b"HYPLAN01";
/// The most the runner may hand over (the space the link scripts leave free there).
pub const MAX_LEN: usize = 16 << 20;

pub struct Plan {
    pub payload: &'static [u8],
    pub crc: u32,
}

pub fn read() -> Result<Plan, &'static str> {
    let base = boot::plan_addr() as *const u8;
    if base.is_null() {
        return Err("plan: no boot module with the plan");
    }
    // The loader wrote it before the CPU started; nothing else aliases it.
    let head = unsafe { core::slice::from_raw_parts(base, 16) };
    if &head[..8] != MAGIC {
        return Err("plan: no HYPLAN01 header at the plan address");
    }
    let len = u32::from_le_bytes(head[8..12].try_into().unwrap()) as usize;
    let want = u32::from_le_bytes(head[12..16].try_into().unwrap());
    if len > MAX_LEN {
        return Err("plan: length in the header exceeds the maximum");
    }
    let payload = unsafe { core::slice::from_raw_parts(base.add(16), len) };
    let crc = crc32(payload);
    if crc != want {
        return Err("plan: CRC of the payload does not match the header");
    }
    Ok(Plan { payload, crc })
}
