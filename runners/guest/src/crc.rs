//! CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib computes it.

const fn table() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static TABLE: [u32; 256] = table();

/// A running CRC: `Crc::new().update(a).update(b).finish()` is the CRC of `a ++ b`.
#[derive(Clone, Copy)]
pub struct Crc(u32);

impl Crc {
    pub const fn new() -> Crc {
        Crc(0xFFFF_FFFF)
    }
    pub fn update(mut self, bytes: &[u8]) -> Crc {
        for &b in bytes {
            self.0 = TABLE[((self.0 ^ b as u32) & 0xFF) as usize] ^ (self.0 >> 8);
        }
        self
    }
    pub fn finish(self) -> u32 {
        !self.0
    }
}

pub fn crc32(bytes: &[u8]) -> u32 {
    Crc::new().update(bytes).finish()
}
