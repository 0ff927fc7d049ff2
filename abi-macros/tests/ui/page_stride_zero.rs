// A hypercall page whose entries are 0 bytes apart.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-x86") {
        arch: x86_64,
        trap: page(0),
        number: rax,
        args: [rdi, rsi],
        results: [rax],
        calls: {
            c = 1 (a: any) -> (ret: any);
        },
    }
}

fn main() {}
