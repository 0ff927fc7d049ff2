//! Where an x86_64 boot environment's exception handlers resume (the Xen PV dom0, the KVM guest
//! and the Xen PVH dom0 alike).

/// Where to resume after exception `vector` at `rip`: after the instruction for the faults the
/// probes can raise (a decodable trap instruction), `rip` for traps (it already points after),
/// 0 when the harness cannot tell.
#[no_mangle]
extern "C" fn hyperabi_exc_resume(vector: u64, rip: u64) -> u64 {
    // #DB (1), #BP (3), #OF (4) are traps.
    if matches!(vector, 1 | 3 | 4) {
        return rip;
    }
    let at = |i: u64| unsafe { ((rip + i) as *const u8).read_volatile() };
    let len = match (at(0), at(1)) {
        (0x0f, 0x05) | (0x0f, 0x0b) | (0x0f, 0x34) | (0x0f, 0x07) => 2, // syscall ud2 sysenter sysret
        (0x0f, 0x01) => 3,                                              // vmcall, vmmcall, ...
        (0xcd, _) => 2,                                                 // int n
        (0xcc, _) | (0xf4, _) | (0xfa, _) | (0xfb, _) => 1,             // int3 hlt cli sti
        _ => return 0,
    };
    rip + len
}
