// A parameter named with a Rust keyword.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-x86") {
        arch: x86_64,
        trap: vmcall,
        number: rax,
        args: [rbx, rcx],
        results: [rax],
        calls: {
            c = 1 (loop: any) -> (ret: any);
        },
    }
}

fn main() {}
