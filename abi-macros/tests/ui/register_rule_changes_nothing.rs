// A register rule that changes nothing: x0 is every call's result, x5 is preserved by `others`
// anyway. A warning (here denied, so that the test sees it) at each rule; x6 matters.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`
#![deny(deprecated)]

abi_macros::hypercall_abi! {
    pub abi demo ("demo-aarch64") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: { number: clobbered, x0: clobbered, x5: preserved, x6: clobbered, others: preserved },
        errors: { EPERM = -1, EINVAL = -22, ENOSYS = -38 },
        unknown: error(ENOSYS),
        calls: {
            version = 17 (cmd: range(0..=10)) -> (ret: range(0..)) errors [EINVAL];
        },
    }
}

fn main() {}
