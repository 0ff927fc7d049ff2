// Two call numbers in one register.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-riscv") {
        arch: riscv64,
        trap: ecall,
        number: { eid: a7, fid: a7 },
        args: [a0, a1],
        results: [a0, a1],
        calls: {
            probe = (0x10, 3) (ext: any) -> (error: any, value: any);
        },
    }
}

fn main() {}
