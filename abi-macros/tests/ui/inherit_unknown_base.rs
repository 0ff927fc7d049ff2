// A derived ABI whose base is not declared (earlier) in the same invocation.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi derived ("demo-derived") : later {
        trap: smc(0),
    }
    pub abi base ("demo-base") {
        arch: aarch64,
        trap: hvc(0),
        number: x0,
        args: [x1, x2],
        results: [x0],
        registers: { others: preserved },
        errors: { NOT_SUPPORTED = -1 },
        unknown: error(NOT_SUPPORTED),
        calls: {
            version = 0x8400_0000 () -> (v: any);
        },
    }
}

fn main() {}
