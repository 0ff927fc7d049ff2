// arm registers are 32 bits wide: call number 0x1_0000_0000 does not fit r12.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-arm") {
        arch: arm,
        trap: hvc(0xEA1),
        number: r12,
        args: [r0, r1, r2, r3, r4],
        results: [r0],
        registers: { number: clobbered, others: preserved },
        errors: { EPERM = -1, EINVAL = -22, ENOSYS = -38 },
        unknown: error(ENOSYS),
        calls: {
            memory_op = 12 (cmd: any) -> (ret: range(0..));
            big = 0x1_0000_0000 (cmd: any) -> (ret: range(0..));
        },
    }
}

fn main() {}
