// A `range` domain whose lower bound is above its upper bound.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-aarch64") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: { number: clobbered, others: preserved },
        errors: { EPERM = -1, EINVAL = -22, ENOSYS = -38 },
        unknown: error(ENOSYS),
        calls: {
            vm_assist = 21 (kind: range(31..=0)) -> (ret: range(0..=0));
        },
    }
}

fn main() {}
