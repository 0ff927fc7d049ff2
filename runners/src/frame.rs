//! The host's decoder of the guest's result stream. The format (frame header, CRC, plan header,
//! Hello and Unexpected payloads) is defined once, in `abi_spec::frame`, for host and guest.
//! Text may appear between frames (firmware banners, guest messages); it is kept, never parsed.
//! A stream is complete only when it ends with an `End` frame whose count matches, every frame's
//! CRC holds and the sequence numbers have no gap.

use std::fmt;

pub use abi_spec::frame::{crc32, FrameType, Hello, Unexpected, MAGIC, MAX_PAYLOAD, VERSION};

#[derive(Clone, Debug, PartialEq, Eq)]
/// One frame of the result stream.
pub struct Frame {
    /// Its type.
    pub ty: FrameType,
    /// Its sequence number.
    pub seq: u32,
    /// Where the frame starts in the stream.
    pub offset: usize,
    /// Its payload.
    pub payload: Vec<u8>,
}

/// A decoded stream: the frames, and the text around them.
#[derive(Clone, Debug, Default)]
pub struct Stream {
    /// The sound frames, in order.
    pub frames: Vec<Frame>,
    /// The console text between frames.
    pub text: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// Why a stream is not whole.
pub enum StreamError {
    /// The stream ends inside a frame, or without an End frame.
    Truncated {
        /// Where the unfinished frame starts.
        offset: usize,
        /// What is missing.
        detail: String,
    },
    /// A frame's CRC, length or type is wrong.
    Corrupted {
        /// Where the bad frame starts.
        offset: usize,
        /// What is wrong with it.
        detail: String,
    },
    /// A frame is missing: sequence numbers jump.
    Gap {
        /// Where in the stream.
        offset: usize,
        /// The sequence number due.
        expected: u32,
        /// The sequence number found.
        got: u32,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Truncated { offset, detail } => {
                write!(f, "result stream truncated at byte {offset}: {detail}")
            }
            StreamError::Corrupted { offset, detail } => {
                write!(f, "result stream corrupted at byte {offset}: {detail}")
            }
            StreamError::Gap {
                offset,
                expected,
                got,
            } => write!(
                f,
                "result stream lost frames before byte {offset}: expected frame {expected}, got {got}"
            ),
        }
    }
}

impl std::error::Error for StreamError {}

fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap())
}

/// Frames found so far in a possibly unfinished stream (no completeness checks): for watching a
/// stream as it arrives.
pub fn scan(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while let Some(j) = find(bytes, i) {
        if j + 13 > bytes.len() {
            break;
        }
        let len = u32_at(bytes, j + 9) as usize;
        if len > MAX_PAYLOAD || j + 17 + len > bytes.len() {
            break;
        }
        n += 1;
        i = j + 17 + len;
    }
    n
}

fn find(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(4)
        .position(|w| w == MAGIC)
        .map(|p| p + from)
}

/// Decodes a complete stream.
pub fn decode(bytes: &[u8]) -> Result<Stream, StreamError> {
    match decode_partial(bytes) {
        (s, None) => Ok(s),
        (_, Some(e)) => Err(e),
    }
}

/// Decodes as much of a stream as is sound: the frames before the first problem, and the
/// problem. A crashed or killed guest's results up to the crash are kept this way.
pub fn decode_partial(bytes: &[u8]) -> (Stream, Option<StreamError>) {
    let mut s = Stream::default();
    let mut i = 0;
    let mut seq = 0u32;
    loop {
        let Some(j) = find(bytes, i) else {
            s.text.extend_from_slice(&bytes[i..]);
            break;
        };
        s.text.extend_from_slice(&bytes[i..j]);
        if j + 13 > bytes.len() {
            return (
                s,
                Some(StreamError::Truncated {
                    offset: j,
                    detail: "inside a frame header".into(),
                }),
            );
        }
        let ty = bytes[j + 4];
        let fseq = u32_at(bytes, j + 5);
        let len = u32_at(bytes, j + 9) as usize;
        if len > MAX_PAYLOAD {
            return (
                s,
                Some(StreamError::Corrupted {
                    offset: j,
                    detail: format!("frame length {len} exceeds {MAX_PAYLOAD}"),
                }),
            );
        }
        if j + 17 + len > bytes.len() {
            return (
                s,
                Some(StreamError::Truncated {
                    offset: j,
                    detail: format!(
                        "frame {fseq} announces {len} payload bytes, {} remain",
                        bytes.len() - j - 13
                    ),
                }),
            );
        }
        let want = u32_at(bytes, j + 13 + len);
        let got = crc32(&bytes[j + 4..j + 13 + len]);
        if want != got {
            return (
                s,
                Some(StreamError::Corrupted {
                    offset: j,
                    detail: format!("CRC {got:#010x} does not match {want:#010x}"),
                }),
            );
        }
        let Some(ty) = FrameType::from_u8(ty) else {
            return (
                s,
                Some(StreamError::Corrupted {
                    offset: j,
                    detail: format!("unknown frame type {ty}"),
                }),
            );
        };
        if fseq != seq {
            return (
                s,
                Some(StreamError::Gap {
                    offset: j,
                    expected: seq,
                    got: fseq,
                }),
            );
        }
        seq += 1;
        s.frames.push(Frame {
            ty,
            seq: fseq,
            offset: j,
            payload: bytes[j + 13..j + 13 + len].to_vec(),
        });
        i = j + 17 + len;
        if ty == FrameType::End {
            let count = s
                .frames
                .last()
                .unwrap()
                .payload
                .get(..4)
                .map(|p| u32_at(p, 0));
            if count != Some(fseq) {
                return (
                    s,
                    Some(StreamError::Corrupted {
                        offset: j,
                        detail: format!("End frame counts {count:?} frames, {fseq} came before it"),
                    }),
                );
            }
            s.text.extend_from_slice(&bytes[i..]);
            return (s, None);
        }
    }
    let n = s.frames.len();
    (
        s,
        Some(StreamError::Truncated {
            offset: bytes.len(),
            detail: format!("no End frame after {n} frames"),
        }),
    )
}

/// The plan blob as the guest reads it at its plan address.
pub fn plan_blob(payload: &[u8]) -> Vec<u8> {
    let mut b = abi_spec::frame::plan_header(payload).to_vec();
    b.extend_from_slice(payload);
    b
}

/// An exception as the guest's vectors recorded it (class and code are the arch's own: ESR.EC
/// and ESR on aarch64, vector and instruction/FSR on arm, scause and stval on riscv64,
/// interruption code and ILC on s390x, vector and SRR1 on ppc64).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exception {
    /// How many exceptions were taken.
    pub count: u64,
    /// The exception class.
    pub class: u64,
    /// Its syndrome or code.
    pub code: u64,
    /// Where it was taken.
    pub addr: u64,
    /// An arch-specific extra word.
    pub extra: u64,
}

/// One observation of the built-in smoke sequence (a Data frame).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmokeObservation {
    /// The call's name.
    pub call: String,
    /// The arch.
    pub arch: u8,
    /// The registers before the call.
    pub regs_in: Vec<u64>,
    /// The registers after it.
    pub regs_out: Vec<u64>,
    /// The exception taken, if any.
    pub exception: Exception,
}

impl SmokeObservation {
    /// Parses a Data payload of the smoke sequence.
    pub fn parse(p: &[u8]) -> Option<SmokeObservation> {
        let nl = *p.first()? as usize;
        let call = String::from_utf8(p.get(1..1 + nl)?.to_vec()).ok()?;
        let arch = *p.get(1 + nl)?;
        let n = *p.get(2 + nl)? as usize;
        let o = 3 + nl;
        let words: Vec<u64> = p
            .get(o..o + 16 * n + 40)?
            .chunks(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let e = &words[2 * n..];
        Some(SmokeObservation {
            call,
            arch,
            regs_in: words[..n].to_vec(),
            regs_out: words[n..2 * n].to_vec(),
            exception: Exception {
                count: e[0],
                class: e[1],
                code: e[2],
                addr: e[3],
                extra: e[4],
            },
        })
    }

    /// Indices of the registers whose value changed.
    pub fn changed(&self) -> Vec<usize> {
        (0..self.regs_in.len())
            .filter(|&i| self.regs_in[i] != self.regs_out[i])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(ty: u8, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut body = vec![ty];
        body.extend_from_slice(&seq.to_le_bytes());
        body.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        body.extend_from_slice(payload);
        let mut f = MAGIC.to_vec();
        f.extend_from_slice(&body);
        f.extend_from_slice(&crc32(&body).to_le_bytes());
        f
    }

    fn stream() -> Vec<u8> {
        let mut s = b"OpenSBI banner\n".to_vec();
        s.extend(frame(1, 0, &[0; 16]));
        s.extend(b"text between");
        s.extend(frame(2, 1, b"data"));
        s.extend(frame(5, 2, &2u32.to_le_bytes()));
        s
    }

    #[test]
    fn crc_matches_zlib() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn decodes_frames_and_keeps_text() {
        let s = decode(&stream()).unwrap();
        assert_eq!(s.frames.len(), 3);
        assert_eq!(s.frames[1].payload, b"data");
        assert_eq!(s.text, b"OpenSBI banner\ntext between");
    }

    #[test]
    fn every_truncation_is_an_error() {
        let s = stream();
        for cut in 0..s.len() {
            assert!(
                matches!(decode(&s[..cut]), Err(StreamError::Truncated { .. })),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn every_flipped_frame_byte_is_an_error() {
        let s = stream();
        let first = 15; // after the banner
        for at in first..s.len() {
            if (first + 33..first + 45).contains(&at) {
                continue; // the text between frames
            }
            let mut t = s.clone();
            t[at] ^= 0x40;
            assert!(decode(&t).is_err(), "flip at {at}");
        }
    }

    #[test]
    fn a_lost_frame_is_a_gap() {
        let mut s = frame(1, 0, &[0; 16]);
        s.extend(frame(2, 2, b"x"));
        assert!(matches!(
            decode(&s),
            Err(StreamError::Gap {
                expected: 1,
                got: 2,
                ..
            })
        ));
    }

    #[test]
    fn plan_header() {
        let b = plan_blob(b"spin");
        assert_eq!(&b[..8], abi_spec::frame::PLAN_MAGIC);
        assert_eq!(u32_at(&b, 8), 4);
        assert_eq!(u32_at(&b, 12), crc32(b"spin"));
    }
}
