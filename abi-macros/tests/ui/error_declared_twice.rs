// An error code declared twice in `errors`.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-aarch64") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: { number: clobbered, others: preserved },
        errors: { EPERM = -1, EINVAL = -22, EPERM = -2, ENOSYS = -38 },
        unknown: error(ENOSYS),
        calls: {
            version = 17 (cmd: range(0..=10)) -> (ret: range(0..)) errors [EINVAL];
        },
    }
}

fn main() {}
