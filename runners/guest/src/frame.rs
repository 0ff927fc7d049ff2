//! The result stream: frames on the console, between which any text may appear. The format
//! (header, CRC, payloads) is `abi_spec::frame`, shared with the host's decoder.

use abi_spec::frame::{self as f, FrameType};

use crate::boot;

/// Sequence number of the next frame, kept outside the writer so a panic or an unexpected
/// exception continues the sequence.
static mut SEQ: u32 = 0;

pub struct Writer(());

impl Writer {
    pub fn new() -> Writer {
        unsafe { SEQ = 0 };
        Writer(())
    }

    /// A writer continuing the current sequence.
    pub fn resume() -> Writer {
        Writer(())
    }

    pub fn frame(&mut self, ty: FrameType, payload: &[u8]) {
        let seq = unsafe { SEQ };
        unsafe { SEQ = seq.wrapping_add(1) };
        let head = f::header(ty, seq, payload.len() as u32);
        let crc = f::frame_crc(&head, payload);
        boot::write(&head);
        boot::write(payload);
        boot::write(&crc.to_le_bytes());
        boot::flush();
    }

    pub fn end(&mut self) {
        let n = unsafe { SEQ };
        self.frame(FrameType::End, &n.to_le_bytes());
    }
}
