// Malformed `smccc(..)` attributes: an unknown word, a missing field, an owner out of range.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-smccc") {
        arch: aarch64,
        trap: hvc(0),
        number: x0,
        args: [x1],
        results: [x0],
        calls: {
            #[smccc(fast, smc32, owner = 4, sve)]
            a = 0x8400_0000 () -> (v: any);
            #[smccc(fast, owner = 4)]
            b = 0x8400_0001 () -> (v: any);
            #[smccc(yielding, smc64, owner = 64)]
            c = 0x4400_0002 () -> (v: any);
        },
    }
}

fn main() {}
