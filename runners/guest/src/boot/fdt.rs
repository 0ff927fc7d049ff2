//! Reading a flattened device tree (the one Xen hands its Arm dom0s) with the MMU off.

/// The 64-bit property `prop` (two cells, or one) of the node `/node` (or `/node@...`).
pub fn prop(fdt: *const u8, node: &[u8], prop: &[u8]) -> Option<u64> {
    prop_at(fdt, node, prop, 0)
}

/// The two cells at byte `at` of the property `prop` of the node `/node` (or `/node@...`) in the
/// flattened device tree at `fdt` (devicetree specification v0.4, chapter 5). Reads are 4-byte
/// aligned (MMU off).
pub fn prop_at(fdt: *const u8, node: &[u8], prop: &[u8], at_byte: usize) -> Option<u64> {
    if fdt.is_null() || fdt as usize % 4 != 0 {
        return None;
    }
    let rd = |off: usize| unsafe { u32::from_be((fdt.add(off) as *const u32).read_volatile()) };
    let byte = |off: usize| unsafe { fdt.add(off).read_volatile() };
    if rd(0) != 0xd00d_feed {
        return None;
    }
    let structs = rd(8) as usize;
    let strings = rd(12) as usize;
    let prefix = |off: usize, s: &[u8]| s.iter().enumerate().all(|(i, c)| byte(off + i) == *c);
    let eq = |off: usize, s: &[u8]| prefix(off, s) && byte(off + s.len()) == 0;
    let node_is = |off: usize| prefix(off, node) && matches!(byte(off + node.len()), 0 | b'@');
    let strlen = |off: usize| {
        let mut n = 0;
        while byte(off + n) != 0 {
            n += 1;
        }
        n
    };
    let (mut at, mut depth, mut in_node) = (structs, 0usize, false);
    for _ in 0..100_000 {
        let tok = rd(at);
        at += 4;
        match tok {
            1 => {
                depth += 1;
                in_node = depth == 2 && node_is(at);
                at += (strlen(at) + 4) & !3;
            }
            2 => {
                depth = depth.saturating_sub(1);
                in_node = false;
            }
            3 => {
                let len = rd(at) as usize;
                let name = strings + rd(at + 4) as usize;
                if in_node && eq(name, prop) {
                    let v = at + 8 + at_byte;
                    return match len.checked_sub(at_byte)? {
                        8.. => Some(((rd(v) as u64) << 32) | rd(v + 4) as u64),
                        4 => Some(rd(v) as u64),
                        _ => None,
                    };
                }
                at += 8 + ((len + 3) & !3);
            }
            4 => {}
            _ => return None,
        }
    }
    None
}
