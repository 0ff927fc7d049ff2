// `without` naming a call the base does not have, and `without` on an ABI with no base.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
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
    pub abi derived ("demo-derived") : base {
        trap: smc(0),
        without: [versoin],
    }
    pub abi lone ("demo-lone") {
        arch: aarch64,
        trap: hvc(0),
        number: x0,
        args: [x1],
        results: [x0],
        without: [version],
        calls: {
            version = 0x8400_0000 () -> (v: any);
        },
    }
}

fn main() {}
