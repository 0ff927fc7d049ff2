// `vmcall` is an x86 instruction; it does not exist on aarch64.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-aarch64") {
        arch: aarch64,
        trap: vmcall,
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: { number: clobbered, others: preserved },
        errors: { EPERM = -1, EINVAL = -22, ENOSYS = -38 },
        unknown: error(ENOSYS),
        calls: {
            version = 17 (cmd: range(0..=10)) -> (ret: range(0..)) errors [EINVAL];
        },
    }
}

fn main() {}
