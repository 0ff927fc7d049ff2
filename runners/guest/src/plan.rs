//! The plan blob, placed in memory by the runner (`-device loader,...,force-raw=on`) at
//! [`boot::plan_addr`] (a fixed address, or a Xen dom0's boot module), in the format of
//! `abi_spec::frame`.

use abi_spec::frame::{self, PLAN_HEADER_LEN};

use crate::boot;

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
    let head = unsafe { core::slice::from_raw_parts(base, PLAN_HEADER_LEN) };
    let (len, crc) = frame::parse_plan_header(head).map_err(|e| e.message())?;
    let payload = unsafe { core::slice::from_raw_parts(base.add(PLAN_HEADER_LEN), len) };
    if frame::crc32(payload) != crc {
        return Err(frame::PlanError::Crc.message());
    }
    Ok(Plan { payload, crc })
}
