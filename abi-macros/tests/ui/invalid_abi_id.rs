// An ABI id that cannot name files, symbols or CLI arguments.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo aarch64") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1],
        results: [x0],
        calls: {
            version = 17 (cmd: any) -> (ret: any);
        },
    }
}

fn main() {}
