// AArch32 `smc` takes a 4-bit immediate (aarch64's takes 16 bits).

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-arm") {
        arch: arm,
        trap: smc(0x10),
        number: r0,
        args: [r1, r2],
        results: [r0],
        calls: {
            version = 0x84000000 () -> (ret: any);
        },
    }
}

fn main() {}
