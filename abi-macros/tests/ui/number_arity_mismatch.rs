// An SBI-style ABI with two number registers (eid, fid); a call gives only one number.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-riscv64") {
        arch: riscv64,
        trap: ecall,
        number: { eid: a7, fid: a6 },
        args: [a0, a1, a2, a3, a4, a5],
        results: [a0, a1],
        registers: { others: preserved },
        errors: { SBI_ERR_FAILED = -1, SBI_ERR_NOT_SUPPORTED = -2 },
        unknown: error(SBI_ERR_NOT_SUPPORTED),
        calls: {
            get_spec_version = (0x10, 0) () -> (error: range(0..=0), value: any);
            get_impl_id = 0x10 () -> (error: range(0..=0), value: any);
        },
    }
}

fn main() {}
