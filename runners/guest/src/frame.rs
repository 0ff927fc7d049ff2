//! The result stream: frames on the console, between which any text may appear.
//!
//! ```text
//! frame = MAGIC(4) type(1) seq(u32 LE) len(u32 LE) payload(len) crc32(u32 LE)
//! ```
//! `crc32` covers type, seq, len and payload. `seq` counts frames from 0, so a lost frame shows;
//! the last frame is always [`FrameType::End`] (payload: the number of frames before it, u32 LE),
//! so a truncated stream shows. The magic starts with bytes no ASCII text contains. The payload is
//! opaque to the framing. The host decoder is `runners/src/frame.rs`.

use crate::boot;
use crate::crc::Crc;

pub const MAGIC: [u8; 4] = [0xFA, 0xCE, b'H', b'A'];
/// Version of the framing and of the Hello payload.
pub const VERSION: u8 = 1;

#[derive(Clone, Copy)]
#[repr(u8)]
pub enum FrameType {
    /// arch id(1) version(1) pad(2) plan len(u32) plan crc32(u32) plan address(u32)
    Hello = 1,
    /// Opaque results (the engine's wire format; today the smoke observations).
    Data = 2,
    /// A guest-side error, UTF-8 text.
    Error = 3,
    /// An exception outside any probe: class(u64) code(u64) address(u64).
    Unexpected = 4,
    /// The last frame: number of frames before it (u32).
    End = 5,
}

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
        let mut head = [0u8; 13];
        head[..4].copy_from_slice(&MAGIC);
        head[4] = ty as u8;
        head[5..9].copy_from_slice(&seq.to_le_bytes());
        head[9..13].copy_from_slice(&(payload.len() as u32).to_le_bytes());
        let crc = Crc::new().update(&head[4..]).update(payload).finish();
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
